/* Small helpers shared by the benchmark programs. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skc.h"
#include "skc-options.h"

/* qsort comparator for doubles (medians of timings). */
static inline int
bench_cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* 1 if @id is an item of the comma-separated @list (NULL: every id). */
static inline int
bench_in_list (const char *list, const char *id)
{
  size_t      n = strlen (id);
  const char *p = list;

  if (!list)
    return 1;
  while ((p = strstr (p, id)))
    {
      if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
        return 1;
      p += n;
    }
  return 0;
}

/* Coordinate @x of a mirror tiling of a side of @n pixels: the image,
 * then mirrored, then the image again, ... */
static inline int
bench_mirror (int x, int n)
{
  int t = x % (2 * n);

  return t < n ? t : 2 * n - 1 - t;
}

/* @photo (sRGB) mirror-tiled to @w x @h in linear light into @out, of
 * @channels (3: RGB; 4: RGBA, alpha 1) per pixel.  A photo tiled at its
 * own scale keeps a real photo's detail, which an upscale would smooth
 * away (every blur would look perfect on it). */
static inline void
bench_mirror_photo (const SkcImage *photo, int w, int h, int channels,
                    float *out)
{
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const float *s = photo->data
                         + ((size_t) bench_mirror (y, photo->height)
                            * photo->width + bench_mirror (x, photo->width))
                           * photo->channels;
        float       *d = out + ((size_t) y * w + x) * channels;

        for (int c = 0; c < 3; c++)
          d[c] = skc_srgb_to_linear (s[c]);
        if (channels == 4)
          d[3] = 1.0f;
      }
}

/* Item @item of the comma-separated list given to --@option of @prog:
 * strictly a number in @lo..@hi (skc_options_double: the whole item,
 * whatever the locale); else a message naming the option and exit 2. */
static inline double
bench_list_number (const char *prog, const char *option, const char *item,
                   double lo, double hi)
{
  double v;

  if (!skc_options_double (item, lo, hi, &v))
    exit (skc_options_error (prog, NULL, "--%s: each item must be a number "
                             "%g..%g, got '%s'", option, lo, hi, item));
  return v;
}

/* A GIMP brush (.gbr version 2, gray or RGBA: alpha), values as stored,
 * as a kernel; NULL if @path is not such a brush or is empty. */
static inline SkcKernel *
bench_load_gbr (const char *path)
{
  FILE          *f = fopen (path, "rb");
  unsigned char  hd[28];
  uint32_t       v[7];
  SkcKernel     *k = NULL;
  SkcImage      *im = NULL;
  unsigned char *data = NULL;
  size_t         n;

  if (!f || fread (hd, 1, 28, f) != 28)
    goto fail;
  for (int i = 0; i < 7; i++)
    v[i] = (uint32_t) hd[4 * i] << 24 | (uint32_t) hd[4 * i + 1] << 16
           | (uint32_t) hd[4 * i + 2] << 8 | hd[4 * i + 3];
  if (v[1] != 2 || memcmp (hd + 20, "GIMP", 4) != 0 || (v[4] != 1 && v[4] != 4)
      || v[2] < 1 || v[3] < 1 || v[2] > SKC_MAX_KERNEL_SIZE
      || v[3] > SKC_MAX_KERNEL_SIZE)
    goto fail;
  n = (size_t) v[2] * v[3] * v[4];
  data = malloc (n);
  if (!data || fseek (f, (long) v[0], SEEK_SET) != 0
      || fread (data, 1, n, f) != n
      || skc_image_new ((int) v[2], (int) v[3], 1, &im) != SKC_OK)
    goto fail;
  for (size_t i = 0; i < (size_t) v[2] * v[3]; i++)
    im->data[i] = data[i * v[4] + (v[4] - 1)] / 255.0f;
  if (skc_kernel_from_image (im, &k) != SKC_OK)
    k = NULL;
fail:
  if (f)
    fclose (f);
  free (data);
  skc_image_free (im);
  return k;
}

#endif
