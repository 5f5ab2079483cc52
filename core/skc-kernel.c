/* Dense kernels: allocation, basic measures, and conversion from and to
 * images.
 *
 * A kernel is an odd-sized float grid whose centre pixel is
 * (width / 2, height / 2).  Sizes are checked against SKC_MAX_KERNEL_SIZE
 * before any allocation, so width * height never overflows.  Sums are taken
 * in double: a 1025 x 1025 kernel has a million terms, and float
 * accumulation would lose about three digits of the unit sum.
 *
 * Normalisation refuses kernels whose sum is not positive and finite
 * (SKC_ERR_EMPTY) rather than dividing by zero, so no NaN ever leaves this
 * file.
 *
 * From an image: gray is taken as stored, RGB as the mean of the three
 * channels, and an alpha channel multiplies; negative results clamp to zero.
 * An even side is padded with one zero column (row) on the right (bottom).
 * Either side is equally far from the image's geometric centre (half a
 * pixel), and padding at the end keeps image pixel (w / 2, h / 2) on the
 * kernel centre, the same centre convention as the kernels themselves.
 * An image whose padded size exceeds SKC_MAX_KERNEL_SIZE, or that holds a
 * NaN or infinite value, is refused with SKC_ERR_INVALID.
 */
#include "skc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int
kernel_side_ok (int side)
{
  return side >= 1 && side <= SKC_MAX_KERNEL_SIZE && (side & 1) == 1;
}

SkcStatus
skc_kernel_new (int width, int height, SkcKernel **out)
{
  SkcKernel *k;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!kernel_side_ok (width) || !kernel_side_ok (height))
    return SKC_ERR_INVALID;

  k = malloc (sizeof *k);
  if (!k)
    return SKC_ERR_NOMEM;
  /* Both sides are at most SKC_MAX_KERNEL_SIZE: no overflow possible. */
  k->data = calloc ((size_t) width * (size_t) height, sizeof *k->data);
  if (!k->data)
    {
      free (k);
      return SKC_ERR_NOMEM;
    }
  k->width = width;
  k->height = height;
  *out = k;
  return SKC_OK;
}

void
skc_kernel_free (SkcKernel *kernel)
{
  if (!kernel)
    return;
  free (kernel->data);
  free (kernel);
}

SkcStatus
skc_kernel_copy (const SkcKernel *kernel, SkcKernel **out)
{
  SkcStatus s;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!kernel || !kernel->data)
    return SKC_ERR_INVALID;
  s = skc_kernel_new (kernel->width, kernel->height, out);
  if (s != SKC_OK)
    return s;
  memcpy ((*out)->data, kernel->data,
          (size_t) kernel->width * (size_t) kernel->height
          * sizeof *kernel->data);
  return SKC_OK;
}

double
skc_kernel_sum (const SkcKernel *kernel)
{
  double sum = 0.0;
  size_t n, i;

  if (!kernel || !kernel->data)
    return 0.0;
  n = (size_t) kernel->width * (size_t) kernel->height;
  for (i = 0; i < n; i++)
    sum += kernel->data[i];
  return sum;
}

float
skc_kernel_peak (const SkcKernel *kernel)
{
  float  peak;
  size_t n, i;

  if (!kernel || !kernel->data)
    return 0.0f;
  n = (size_t) kernel->width * (size_t) kernel->height;
  peak = kernel->data[0];
  for (i = 1; i < n; i++)
    if (kernel->data[i] > peak)
      peak = kernel->data[i];
  return peak;
}

SkcStatus
skc_kernel_normalize (SkcKernel *kernel)
{
  double sum, scale;
  size_t n, i;

  if (!kernel || !kernel->data)
    return SKC_ERR_INVALID;
  sum = skc_kernel_sum (kernel);
  if (!(sum > 0.0) || !isfinite (sum))
    return SKC_ERR_EMPTY;

  scale = 1.0 / sum;
  n = (size_t) kernel->width * (size_t) kernel->height;
  for (i = 0; i < n; i++)
    kernel->data[i] = (float) (kernel->data[i] * scale);
  return SKC_OK;
}

float
skc_kernel_radius (const SkcKernel *kernel)
{
  int cx, cy, x, y;
  int r2max = 0;

  if (!kernel || !kernel->data)
    return 0.0f;
  cx = kernel->width / 2;
  cy = kernel->height / 2;
  for (y = 0; y < kernel->height; y++)
    {
      const float *row = kernel->data + (size_t) y * kernel->width;
      int          dy = y - cy;

      for (x = 0; x < kernel->width; x++)
        if (row[x] != 0.0f)
          {
            int dx = x - cx;
            int r2 = dx * dx + dy * dy;

            if (r2 > r2max)
              r2max = r2;
          }
    }
  return (float) sqrt ((double) r2max);
}

/* The kernel weight of one image pixel (see the file comment), or -1 for a
 * value that is not finite. */
static double
pixel_weight (const float *p, int channels)
{
  double v, alpha = 1.0;
  int    c;

  for (c = 0; c < channels; c++)
    if (!isfinite (p[c]))
      return -1.0;

  switch (channels)
    {
    case 1:
      v = p[0];
      break;
    case 2:
      v = p[0];
      alpha = p[1];
      break;
    case 3:
      v = ((double) p[0] + p[1] + p[2]) / 3.0;
      break;
    default:
      v = ((double) p[0] + p[1] + p[2]) / 3.0;
      alpha = p[3];
      break;
    }
  if (v < 0.0)
    v = 0.0;
  if (alpha < 0.0)
    alpha = 0.0;
  return v * alpha;
}

SkcStatus
skc_kernel_from_image (const SkcImage *image, SkcKernel **out)
{
  SkcKernel *k;
  SkcStatus  s;
  int        kw, kh, x, y;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!image || !image->data || image->channels < 1 || image->channels > 4
      || image->width < 1 || image->height < 1
      || image->width > SKC_MAX_KERNEL_SIZE
      || image->height > SKC_MAX_KERNEL_SIZE)
    return SKC_ERR_INVALID;

  kw = image->width | 1;
  kh = image->height | 1;
  s = skc_kernel_new (kw, kh, &k);
  if (s != SKC_OK)
    return s;

  /* Image pixel (x, y) lands on kernel pixel (x, y): the zero padding, if
   * any, is the last column and the last row. */
  for (y = 0; y < image->height; y++)
    for (x = 0; x < image->width; x++)
      {
        const float *p = image->data
                         + ((size_t) y * image->width + x) * image->channels;
        double       w = pixel_weight (p, image->channels);

        if (w < 0.0)
          {
            skc_kernel_free (k);
            return SKC_ERR_INVALID;
          }
        k->data[(size_t) y * kw + x] = (float) w;
      }

  s = skc_kernel_normalize (k);
  if (s != SKC_OK)
    {
      skc_kernel_free (k);
      return s;
    }
  *out = k;
  return SKC_OK;
}

SkcStatus
skc_kernel_to_image (const SkcKernel *kernel, SkcImage **out)
{
  SkcImage *img;
  SkcStatus s;
  float     peak;
  double    scale;
  size_t    n, i;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!kernel || !kernel->data)
    return SKC_ERR_INVALID;
  peak = skc_kernel_peak (kernel);
  if (!(peak > 0.0f) || !isfinite (peak))
    return SKC_ERR_EMPTY;

  s = skc_image_new (kernel->width, kernel->height, 1, &img);
  if (s != SKC_OK)
    return s;
  scale = 1.0 / peak;
  n = (size_t) kernel->width * (size_t) kernel->height;
  for (i = 0; i < n; i++)
    img->data[i] = (float) (kernel->data[i] * scale);
  *out = img;
  return SKC_OK;
}
