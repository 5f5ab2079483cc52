/* The LowRank baseline and branched complexes: full rank reproduces the
 * kernel exactly, a separable kernel needs rank 1, error falls with rank
 * (Eckart-Young), singular vector signs are aligned, branched complexes
 * apply as the sum of their chains, and the .skc format keeps branches.
 */
#include "test-common.h"

#include <stdlib.h>
#include <string.h>

static double
max_error (const SkcComplex *c, const SkcKernel *k)
{
  float  *r = malloc (sizeof (float) * k->width * k->height);
  double  m = 0.0;

  skc_complex_synthesize (c, k->width, k->height, r);
  for (int i = 0; i < k->width * k->height; i++)
    m = fmax (m, fabs (r[i] - k->data[i]));
  free (r);
  return m;
}

int
main (void)
{
  SkcShapeParams sp;
  SkcKernel     *heart = NULL, *gauss = NULL;
  SkcComplex    *c = NULL, *d = NULL;
  double         prev = 0.0;

  skc_shape_params_from_name ("heart", &sp);
  sp.side_px = 21;
  CHECK_OK (skc_shape_render (&sp, &heart));
  skc_shape_params_from_name ("gaussian", &sp);
  sp.side_px = 21;
  sp.sigma = 3.0f;
  CHECK_OK (skc_shape_render (&sp, &gauss));

  /* full rank (8 is not full for 21 px; use a 15 px kernel) */
  {
    SkcKernel *small = NULL;

    skc_shape_params_from_name ("star", &sp);
    sp.side_px = 15;
    skc_shape_render (&sp, &small);
    CHECK (skc_fit_lowrank (small, 8, &c) == SKC_OK, "rank 8 of 15 px");
    skc_complex_free (c);
    c = NULL;
    /* rank 8 is the limit (16 layers); check exactness on a 7 px kernel */
    skc_kernel_free (small);
    sp.side_px = 7;
    skc_shape_render (&sp, &small);
    CHECK_OK (skc_fit_lowrank (small, 7, &c));
    CHECK (max_error (c, small) < 1e-6 * skc_kernel_peak (small) * 10,
           "full rank reproduces the kernel: max error %.3g", max_error (c, small));
    CHECK_NEAR (skc_complex_gain (c), 1.0, 1e-5, "full-rank gain");
    skc_complex_free (c);
    c = NULL;
    skc_kernel_free (small);
  }

  /* a Gaussian is separable: rank 1 is exact */
  CHECK_OK (skc_fit_lowrank (gauss, 1, &c));
  CHECK (max_error (c, gauss) < 1e-6, "rank-1 Gaussian exact: %.3g", max_error (c, gauss));
  CHECK (skc_complex_total_taps (c) == 2 * 21, "2 M taps per rank");
  skc_complex_free (c);
  c = NULL;

  /* error falls with rank; signs aligned (horizontal taps sum > 0) */
  for (int r = 1; r <= 4; r++)
    {
      double p;

      CHECK_OK (skc_fit_lowrank (heart, r, &c));
      CHECK_OK (skc_eval_kernel_psnr (c, heart, &p));
      printf ("lowrank heart 21px rank %d: kernel PSNR %.2f dB, %d taps\n", r, p,
              skc_complex_total_taps (c));
      CHECK (p > prev, "rank %d better than rank %d (%.2f vs %.2f)", r, r - 1, p, prev);
      prev = p;
      CHECK (skc_complex_n_branches (c) == r, "rank %d has %d branches", r, r);
      for (int b = 0; b < r; b++)
        {
          const SkcTap *h = skc_complex_layer (c, 2 * b);
          double        s = 0.0;

          for (int i = 0; i < c->n_samples[2 * b]; i++)
            s += h[i].w;
          CHECK (s >= -1e-9, "branch %d horizontal sum %.3g is not negative", b, s);
        }
      if (r < 4)
        {
          skc_complex_free (c);
          c = NULL;
        }
    }

  /* a branched complex applies as the sum of its chains, i.e. as dense
   * convolution with its impulse response (interior) */
  {
    int        W = 60, H = 44;
    float     *src = malloc (sizeof (float) * W * H);
    float     *a = malloc (sizeof (float) * W * H);
    float     *b = malloc (sizeof (float) * W * H);
    SkcKernel *k = NULL;
    uint64_t   rng = 5;
    double     md = 0.0;

    for (int i = 0; i < W * H; i++)
      src[i] = (float) test_rand (&rng);
    skc_kernel_new (21, 21, &k);
    skc_complex_synthesize (c, 21, 21, k->data);
    CHECK_OK (skc_complex_apply_plane (c, src, W, H, a));
    CHECK_OK (skc_convolve_dense (src, W, H, k, b));
    for (int y = 11; y < H - 11; y++)
      for (int x = 11; x < W - 11; x++)
        md = fmax (md, fabs (a[y * W + x] - b[y * W + x]));
    CHECK (md < 1e-5, "branched apply equals dense: %.3g", md);
    free (src);
    free (a);
    free (b);
    skc_kernel_free (k);
  }

  /* the fast engine: a branched plan equals the reference, whole image,
   * and is split-invariant */
  {
    int             W = 70, H = 50;
    float          *rgba = malloc (sizeof (float) * 4 * W * H);
    float          *o1 = malloc (sizeof (float) * 4 * W * H);
    float          *o2 = malloc (sizeof (float) * 4 * W * H);
    float          *pl = malloc (sizeof (float) * W * H);
    float          *rf = malloc (sizeof (float) * W * H);
    SkcPlan        *plan = NULL;
    SkcApplyOptions ao;
    SkcRect         all = { 0, 0, W, H }, top = { 0, 0, W, 17 }, rest = { 0, 17, W, H - 17 };
    uint64_t        rng = 9;
    double          md = 0.0;

    for (int i = 0; i < 4 * W * H; i++)
      rgba[i] = (float) test_rand (&rng);
    CHECK_OK (skc_plan_new (c, &plan));
    skc_apply_options_init (&ao);
    CHECK_OK (skc_apply_rgba (plan, skc_in_view (rgba, 4 * W, all), all,
                              skc_out_view (o1, 4 * W, all), &ao));
    for (int ch = 0; ch < 4; ch++)
      {
        for (int i = 0; i < W * H; i++)
          pl[i] = rgba[4 * i + ch];
        skc_complex_apply_plane (c, pl, W, H, rf);
        for (int i = 0; i < W * H; i++)
          md = fmax (md, fabs (o1[4 * i + ch] - rf[i]));
      }
    CHECK (md < 2e-5, "branched plan equals the reference apply: %.3g", md);
    CHECK_OK (skc_apply_rgba (plan, skc_in_view (rgba, 4 * W, all), all,
                              skc_out_view (o2, 4 * W, top), &ao));
    CHECK_OK (skc_apply_rgba (plan, skc_in_view (rgba, 4 * W, all), all,
                              skc_out_view (o2 + 4 * W * 17, 4 * W, rest), &ao));
    CHECK (memcmp (o1, o2, sizeof (float) * 4 * W * H) == 0, "branched plan split-invariant");
    skc_plan_free (plan);
    free (rgba);
    free (o1);
    free (o2);
    free (pl);
    free (rf);
  }

  /* .skc keeps the branches */
  {
    char *text = NULL;
    char  err[200];

    CHECK_OK (skc_complex_format (c, &text));
    CHECK (text && strstr (text, "\nbranch 2\n"), "format writes branch lines");
    CHECK_OK (skc_complex_parse (text, strlen (text), &d, err, sizeof err));
    CHECK (d && skc_complex_n_branches (d) == 4
           && memcmp (d->taps, c->taps, skc_complex_total_taps (c) * sizeof (SkcTap)) == 0,
           "branches round-trip");
    free (text);
    skc_complex_free (d);
    d = NULL;
    CHECK (skc_complex_parse ("skc-complex 1\nbranch 2\nlayer 1\n0 0 1\n", 37, &d, err, sizeof err)
           == SKC_ERR_FORMAT && strstr (err, "promise"), "short branch rejected: %s", err);
    CHECK (skc_complex_parse ("skc-complex 1\nbranch 1\nlayer 1\n0 0 1\nlayer 1\n0 0 1\n", 51, &d, err, sizeof err)
           == SKC_ERR_FORMAT, "layers beyond the branches rejected: %s", err);
  }

  CHECK (skc_fit_lowrank (heart, 0, &d) == SKC_ERR_INVALID, "rank 0 rejected");
  skc_complex_free (c);
  skc_kernel_free (heart);
  skc_kernel_free (gauss);
  return test_finish ();
}
