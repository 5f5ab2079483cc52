/* A drawn stroke as a kernel image, shared by test-sizes and
 * skc-bench-interactive: a 3 px pen scribble (a closed loop with a
 * wiggle) on a 65 x 65 canvas, as an artist draws it in the kernel
 * editor; unit sum.  NULL when out of memory. */
#ifndef SKC_TESTS_SCRIBBLE_H
#define SKC_TESTS_SCRIBBLE_H

#include "skc.h"

#include <math.h>

static inline SkcKernel *
scribble_kernel (void)
{
  SkcKernel *img = NULL;

  if (skc_kernel_new (65, 65, &img) != SKC_OK)
    return NULL;
  for (int s = 0; s <= 3000; s++)
    {
      double t = s / 3000.0 * 2 * M_PI;
      double cx0 = 32 + 24 * sin (t) * cos (0.5 * t);
      double cy0 = 32 + 28 * sin (0.5 * t) - 4 * sin (3 * t);

      for (int y = (int) cy0 - 2; y <= (int) cy0 + 2; y++)
        for (int x = (int) cx0 - 2; x <= (int) cx0 + 2; x++)
          if (x >= 0 && y >= 0 && x < 65 && y < 65
              && hypot (x - cx0, y - cy0) < 1.5)
            img->data[y * 65 + x] = 1.0f;
    }
  if (skc_kernel_normalize (img) != SKC_OK)
    {
      skc_kernel_free (img);
      return NULL;
    }
  return img;
}

#endif
