#include "test-common.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int test_passed = 0;
int test_failed = 0;

void
test_fail (const char *file, int line, const char *fmt, ...)
{
  va_list ap;

  test_failed++;
  fprintf (stderr, "FAIL %s:%d: ", file, line);
  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fputc ('\n', stderr);
}

int
test_finish (void)
{
  printf ("%d passed, %d failed\n", test_passed, test_failed);
  return test_failed ? 1 : 0;
}

const char *
test_data_path (const char *name)
{
  static char buf[4096];
  const char *dir = getenv ("SKC_TEST_DATA");

  snprintf (buf, sizeof buf, "%s/%s", dir ? dir : SKC_TEST_DATA, name);
  return buf;
}

double
test_rand (uint64_t *state)
{
  /* splitmix64 */
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (double) (z >> 11) / 9007199254740992.0;
}

float *
test_load_photo_plane (const char *name, int *width, int *height)
{
  SkcImage *img = NULL;
  float    *plane = NULL;

  if (skc_image_load (test_data_path (name), &img) != SKC_OK)
    return NULL;
  if (skc_image_luminance_linear (img, &plane) == SKC_OK)
    {
      *width = img->width;
      *height = img->height;
    }
  skc_image_free (img);
  return plane;
}
