/* The cat's eye's per-pixel truth, written from its definition
 * (core/skc-cateye.c) for the tests and benchmarks, never through the
 * code under test: the clip and direction of a pixel, and its kernel, the
 * shape drawn turned by the direction (skc_kernel_target, the shape
 * renderer, checked against skc_shape_render by test-varying) times the
 * cutting circle, unit sum. */
#ifndef LENS_TRUTH_H
#define LENS_TRUTH_H

#include <math.h>
#include "skc.h"

/* Clip amount and its direction (radians, counter-clockwise on screen, y
 * down, from the pixel towards the centre; 0 where the clip is 0) at pixel (x, y) of a frame
 * with centre (cx, cy) and half-diagonal hd. */
static inline void
lens_truth_clip (double cx, double cy, double hd, double strength,
                 double start, double x, double y, double *c, double *a)
{
  double dx = cx - x, dy = cy - y;
  double t = start >= 1.0 ? 0.0
             : (sqrt (dx * dx + dy * dy) / hd - start) / (1.0 - start);

  *c = strength * (t < 0.0 ? 0.0 : t > 1.0 ? 1.0 : t);
  /* where nothing is cut the kernel is not turned either */
  *a = *c > 0.0 ? atan2 (-dy, dx) : 0.0;
}

/* Cut @k (a kernel of diameter @d, odd, centred) by the circle of radius
 * d / 2 + 1.5 centred c d / 2 towards @a, its edge one pixel wide, and
 * bring it back to unit sum, in place. */
static inline void
lens_truth_cut (SkcKernel *k, float d, double c, double a)
{
  double R = d / 2.0, ccx = c * R * cos (a), ccy = -c * R * sin (a);
  double sum = 0.0;

  for (int j = 0; j < k->height; j++)
    for (int i = 0; i < k->width; i++)
      {
        double u = i - k->width / 2 - ccx, v = j - k->height / 2 - ccy;
        double cov = R + 2.0 - sqrt (u * u + v * v);

        cov = cov < 0.0 ? 0.0 : cov > 1.0 ? 1.0 : cov;
        k->data[j * k->width + i] *= (float) cov;
        sum += k->data[j * k->width + i];
      }
  for (int i = 0; i < k->width * k->height; i++)
    k->data[i] = (float) (k->data[i] / sum);
}

/* The kernel of a pixel: @shape (or @user, resampled) at diameter @d
 * turned by @rot + @a, cut (lens_truth_cut).  NULL on failure. */
static inline SkcKernel *
lens_truth_kernel (const SkcShapeParams *shape, const SkcKernel *user,
                   float d, double rot, double c, double a)
{
  SkcKernel *k = NULL;

  if (skc_kernel_target (shape, user, d, (float) (rot + a), &k) != SKC_OK)
    return NULL;
  lens_truth_cut (k, d, c, a);
  return k;
}

#endif
