#include "test-common.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int
test_make_dir (const char *name, char *dir, size_t size)
{
  snprintf (dir, size, "/tmp/skc-%s-XXXXXX", name);
  if (mkdtemp (dir))
    return 1;
  CHECK (0, "cannot make a folder %s", dir);
  return 0;
}

const char *
test_path_in (const char *dir, const char *name)
{
  static char buf[4][512];
  static int  i;

  i = (i + 1) % 4;
  snprintf (buf[i], sizeof buf[i], "%s/%s", dir, name);
  return buf[i];
}

void
test_remove_dir (const char *dir)
{
  char cmd[600];

  snprintf (cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system (cmd) != 0)
    printf ("note: could not remove %s\n", dir);
}

char *
test_read_file (const char *path, size_t *len)
{
  FILE  *f = fopen (path, "rb");
  char  *buf = NULL;
  long   n;
  size_t got = 0;

  if (len)
    *len = 0;
  if (!f)
    return NULL;
  if (fseek (f, 0, SEEK_END) == 0 && (n = ftell (f)) >= 0
      && fseek (f, 0, SEEK_SET) == 0 && (buf = malloc ((size_t) n + 1)))
    {
      got = fread (buf, 1, (size_t) n, f);
      buf[got] = '\0';
    }
  fclose (f);
  if (len)
    *len = got;
  return buf;
}

int
test_sanitized (void)
{
  static int noted;
  const char *v = getenv ("SKC_TEST_SANITIZED");
  int         yes = v && strcmp (v, "1") == 0;

  if (yes && !noted)
    {
      noted = 1;
      printf ("SKC_TEST_SANITIZED=1: the smaller workload\n");
    }
  return yes;
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

float *
test_load_photo_rgba (const char *name, int x0, int y0, int w, int h)
{
  SkcImage *img = NULL;
  float    *rgba = NULL;
  SkcStatus st = skc_image_load (test_data_path (name), &img);

  CHECK (st == SKC_OK, "loading %s: %s", name, skc_status_string (st));
  if (st != SKC_OK)
    return NULL;
  CHECK (x0 >= 0 && y0 >= 0 && x0 + w <= img->width && y0 + h <= img->height
         && img->channels >= 3,
         "%s: no %d x %d crop at (%d, %d) in %d x %d", name, w, h, x0, y0,
         img->width, img->height);
  if (x0 >= 0 && y0 >= 0 && x0 + w <= img->width && y0 + h <= img->height
      && img->channels >= 3)
    rgba = malloc (sizeof (float) * 4 * (size_t) w * (size_t) h);
  for (int y = 0; rgba && y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const float *p = img->data
                         + ((size_t) (y + y0) * img->width + x + x0) * img->channels;
        float       *q = rgba + 4 * ((size_t) y * w + x);

        for (int c = 0; c < 3; c++)
          q[c] = skc_srgb_to_linear (p[c]);
        q[3] = 1.0f;
      }
  skc_image_free (img);
  return rgba;
}

uint32_t
test_png_crc (const unsigned char *p, size_t n)
{
  uint32_t c = 0xffffffffu;

  for (size_t i = 0; i < n; i++)
    {
      c ^= p[i];
      for (int k = 0; k < 8; k++)
        c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
  return c ^ 0xffffffffu;
}

void
test_put_be32 (unsigned char *p, uint32_t v)
{
  p[0] = (unsigned char) (v >> 24);
  p[1] = (unsigned char) (v >> 16);
  p[2] = (unsigned char) (v >> 8);
  p[3] = (unsigned char) v;
}
