/* Gradients of the fit loss against central finite differences, for every
 * parameter of random complexes (1..4 layers), and the synthesis of the
 * differentiable path against the plain reference synthesis.
 *
 * The loss is evaluated in float, so the finite-difference step and the
 * tolerance are chosen from float precision: h = 1e-2 px for offsets (the
 * loss is piecewise smooth in offsets, kinks at integer positions, so
 * offsets are kept away from them) and h = 1e-3 relative for weights.
 */
#include "test-common.h"
#include "skc-private.h"

#include <stdlib.h>
#include <string.h>

static SkcKernel *
make_target (int size, uint64_t *rng)
{
  SkcKernel *k = NULL;

  skc_kernel_new (size, size, &k);
  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      {
        double dx = x - size / 2 + 1.5, dy = y - size / 2;
        /* an asymmetric blob plus noise */
        k->data[y * size + x] = (float) (exp (-(dx * dx + 2 * dy * dy) / (size * 1.5))
                                         * (0.5 + test_rand (rng)));
      }
  skc_kernel_normalize (k);
  return k;
}

static SkcComplex *
random_complex (int layers, int samples, double spread, uint64_t *rng)
{
  SkcComplex *c = NULL;

  skc_complex_new_uniform (layers, samples, &c);
  for (int i = 0; i < skc_complex_total_taps (c); i++)
    {
      /* keep fractions in [0.2, 0.8] so +-h never crosses a pixel edge */
      double ix = floor ((2 * test_rand (rng) - 1) * spread);
      double iy = floor ((2 * test_rand (rng) - 1) * spread);

      c->taps[i].ox = (float) (ix + 0.2 + 0.6 * test_rand (rng));
      c->taps[i].oy = (float) (iy + 0.2 + 0.6 * test_rand (rng));
      c->taps[i].w = (float) ((0.3 + test_rand (rng)) / samples
                              * (test_rand (rng) < 0.15 ? -1 : 1));
    }
  return c;
}

static void
check_gradients (int layers, int samples, int size, uint64_t seed)
{
  uint64_t     rng = seed;
  SkcKernel   *target = make_target (size, &rng);
  SkcComplex  *c = random_complex (layers, samples, size / (2.0 * layers), &rng);
  SkcGradWork *w = NULL;
  int          n = skc_complex_total_taps (c);
  SkcTap      *g = calloc ((size_t) n, sizeof *g);
  double       worst = 0.0, scale = 0.0;

  /* A larger eps keeps the loss smooth enough for finite differences: near
   * e = 0 the Charbonnier curvature is 1/eps. */
  CHECK_OK (skc_grad_work_new (target, size + 8, size, 0.05f, &w));
  /* the last cases add the coarse-scale loss terms */
  skc_grad_work_set_scales (w, seed >= 4 ? 3 : 0);
  skc_grad_eval (w, c, g);

  for (int i = 0; i < n; i++)
    {
      scale = fmax (scale, fabs (g[i].ox));
      scale = fmax (scale, fabs (g[i].oy));
      scale = fmax (scale, fabs (g[i].w) / samples);
    }

  for (int i = 0; i < n; i++)
    for (int p = 0; p < 3; p++)
      {
        float *par = p == 0 ? &c->taps[i].ox : p == 1 ? &c->taps[i].oy : &c->taps[i].w;
        float  an = p == 0 ? g[i].ox : p == 1 ? g[i].oy : g[i].w;
        float  keep = *par;
        double h = p < 2 ? 1e-2 : 1e-3 / samples;
        double lp, lm, fd, err;

        *par = (float) (keep + h);
        lp = skc_grad_eval (w, c, NULL);
        *par = (float) (keep - h);
        lm = skc_grad_eval (w, c, NULL);
        *par = keep;
        fd = (lp - lm) / (2 * h);
        /* compare in units where weights and offsets are alike */
        err = fabs (fd - an) * (p < 2 ? 1.0 : 1.0 / samples);
        worst = fmax (worst, err);
        CHECK (err <= 2e-3 * scale + 1e-9,
               "%dx%d size %d tap %d param %d: analytic %.6g, fd %.6g (scale %.3g)",
               samples, layers, size, i, p, an, fd, scale);
      }
  printf ("grad %2dx%d size %2d: worst |fd - analytic| = %.3g of max %.3g\n",
          samples, layers, size, worst, scale);

  /* The differentiable forward pass is the reference synthesis. */
  {
    int    S = (size + 8) | 1;
    float *a = malloc (sizeof (float) * S * S);
    float *b = malloc (sizeof (float) * S * S);
    double md = 0.0;

    skc_grad_eval (w, c, NULL);
    skc_grad_response (w, a);
    CHECK_OK (skc_complex_synthesize (c, S, S, b));
    for (int k = 0; k < S * S; k++)
      md = fmax (md, fabs (a[k] - b[k]));
    CHECK (md < 1e-6, "grad forward vs synthesize: max diff %.3g", md);
    free (a);
    free (b);
  }

  free (g);
  skc_grad_work_free (w);
  skc_complex_free (c);
  skc_kernel_free (target);
}

int
main (void)
{
  check_gradients (1, 5, 15, 1);
  check_gradients (2, 6, 21, 2);
  check_gradients (3, 8, 25, 3);
  check_gradients (4, 6, 31, 4);
  check_gradients (4, 12, 21, 5);
  return test_finish ();
}
