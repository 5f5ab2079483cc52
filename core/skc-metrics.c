/* Image quality metrics.
 *
 * PSNR = 10 log10 (peak^2 / MSE), with the squared errors summed in double
 * so that the result does not depend on the plane's size or order beyond
 * the last few bits.  Identical inputs (MSE exactly 0) give INFINITY.
 * Bad arguments (NULL planes, an empty set, a peak that is not positive
 * and finite) give NAN: a metric has no status to return.
 */
#include "skc.h"

#include <math.h>

static double
psnr_from_sse (double sse,
               double count,
               double peak)
{
  double mse = sse / count;

  if (mse == 0.0)
    return INFINITY;
  return 10.0 * log10 (peak * peak / mse);
}

double
skc_psnr (const float *a,
          const float *b,
          size_t       n,
          double       peak)
{
  double sse = 0.0;

  if (!a || !b || n == 0 || !(peak > 0.0) || !isfinite (peak))
    return NAN;
  for (size_t i = 0; i < n; i++)
    {
      double d = (double) a[i] - (double) b[i];

      sse += d * d;
    }
  return psnr_from_sse (sse, (double) n, peak);
}

double
skc_psnr_rect (const float *a,
               const float *b,
               int          width,
               int          x,
               int          y,
               int          w,
               int          h,
               double       peak)
{
  double sse = 0.0;

  if (!a || !b || width <= 0 || x < 0 || y < 0 || w <= 0 || h <= 0
      || w > width - x || !(peak > 0.0) || !isfinite (peak))
    return NAN;
  for (int j = 0; j < h; j++)
    {
      const float *ra = a + (size_t) (y + j) * width + x;
      const float *rb = b + (size_t) (y + j) * width + x;

      for (int i = 0; i < w; i++)
        {
          double d = (double) ra[i] - (double) rb[i];

          sse += d * d;
        }
    }
  return psnr_from_sse (sse, (double) w * h, peak);
}
