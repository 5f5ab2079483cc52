/* The complex object, its impulse response and the reference apply, checked
 * against dense convolution (an independent path: skc_convolve_dense).
 */
#include "test-common.h"
#include "skc-private.h"

#include <stdlib.h>
#include <string.h>

/* A gather tap at offset o moves an impulse to p - o (METHOD.md 1). */
static void
test_orientation (void)
{
  SkcComplex *c = NULL;
  float       src[21 * 21] = { 0 }, dst[21 * 21];
  float       syn[15 * 15];

  CHECK_OK (skc_complex_new_uniform (1, 1, &c));
  c->taps[0].ox = 3.0f;
  c->taps[0].oy = -2.0f;
  c->taps[0].w = 1.0f;
  src[10 * 21 + 10] = 1.0f;
  CHECK_OK (skc_complex_apply_plane (c, src, 21, 21, dst));
  CHECK_NEAR (dst[12 * 21 + 7], 1.0, 1e-6, "impulse lands at p - o");
  CHECK_OK (skc_complex_synthesize (c, 15, 15, syn));
  CHECK_NEAR (syn[(7 + 2) * 15 + 7 - 3], 1.0, 1e-6, "synthesis puts mass at -o");

  /* half-pixel offset splits the impulse evenly */
  c->taps[0].ox = 0.5f;
  c->taps[0].oy = 0.0f;
  CHECK_OK (skc_complex_synthesize (c, 15, 15, syn));
  CHECK_NEAR (syn[7 * 15 + 7], 0.5, 1e-6, "bilinear half, centre");
  CHECK_NEAR (syn[7 * 15 + 6], 0.5, 1e-6, "bilinear half, left");
  skc_complex_free (c);
}

static SkcComplex *
random_complex (int layers, int samples, double spread, uint64_t *rng)
{
  SkcComplex *c = NULL;

  skc_complex_new_uniform (layers, samples, &c);
  for (int i = 0; i < skc_complex_total_taps (c); i++)
    {
      c->taps[i].ox = (float) ((2 * test_rand (rng) - 1) * spread);
      c->taps[i].oy = (float) ((2 * test_rand (rng) - 1) * spread);
      c->taps[i].w = (float) ((test_rand (rng) - 0.2) / samples);
    }
  return c;
}

/* Applying the complex equals dense convolution with its impulse response,
 * away from the borders (clamping differs per layer there). */
static void
test_apply_matches_dense (void)
{
  uint64_t    rng = 42;
  int         W = 64, H = 48, K = 31;
  SkcComplex *c = random_complex (3, 7, 4.0, &rng);
  SkcKernel  *k = NULL;
  float      *src = malloc (sizeof (float) * W * H);
  float      *a = malloc (sizeof (float) * W * H);
  float      *b = malloc (sizeof (float) * W * H);
  double      md = 0.0, sum = 0.0;
  int         reach = skc_complex_reach (c);

  CHECK (reach <= K / 2, "reach %d fits the %d kernel", reach, K);
  CHECK_OK (skc_kernel_new (K, K, &k));
  CHECK_OK (skc_complex_synthesize (c, K, K, k->data));
  for (int i = 0; i < K * K; i++)
    sum += k->data[i];
  CHECK_NEAR (sum, skc_complex_gain (c), 1e-5, "response sum equals gain");
  for (int i = 0; i < W * H; i++)
    src[i] = (float) test_rand (&rng);
  CHECK_OK (skc_complex_apply_plane (c, src, W, H, a));
  CHECK_OK (skc_convolve_dense (src, W, H, k, b));
  for (int y = reach; y < H - reach; y++)
    for (int x = reach; x < W - reach; x++)
      md = fmax (md, fabs (a[y * W + x] - b[y * W + x]));
  CHECK (md < 2e-5, "apply vs dense of impulse response: max diff %.3g", md);

  /* Layer order does not matter for one fixed complex (interior). */
  {
    SkcComplex *r = NULL;
    int         n = c->n_samples[0];

    skc_complex_copy (c, &r);
    memcpy (r->taps, c->taps + 2 * n, n * sizeof (SkcTap));
    memcpy (r->taps + 2 * n, c->taps, n * sizeof (SkcTap));
    CHECK_OK (skc_complex_apply_plane (r, src, W, H, b));
    md = 0.0;
    for (int y = reach; y < H - reach; y++)
      for (int x = reach; x < W - reach; x++)
        md = fmax (md, fabs (a[y * W + x] - b[y * W + x]));
    CHECK (md < 2e-5, "layer order commutes: max diff %.3g", md);
    skc_complex_free (r);
  }

  /* Clamped borders: a constant image stays constant times the gain. */
  for (int i = 0; i < W * H; i++)
    src[i] = 0.25f;
  CHECK_OK (skc_complex_apply_plane (c, src, W, H, a));
  md = 0.0;
  for (int i = 0; i < W * H; i++)
    md = fmax (md, fabs (a[i] - 0.25 * skc_complex_gain (c)));
  CHECK (md < 1e-5, "constant image under clamp: max diff %.3g", md);

  free (src);
  free (a);
  free (b);
  skc_kernel_free (k);
  skc_complex_free (c);
}

static void
test_bad_input (void)
{
  SkcComplex *c = NULL;
  int         bad[2] = { 4, 0 };
  float       buf[9], src[9] = { 0 };

  CHECK (skc_complex_new_uniform (0, 4, &c) == SKC_ERR_INVALID && !c, "0 layers");
  CHECK (skc_complex_new_uniform (SKC_MAX_LAYERS + 1, 4, &c) == SKC_ERR_INVALID, "too many layers");
  CHECK (skc_complex_new_uniform (2, SKC_MAX_SAMPLES + 1, &c) == SKC_ERR_INVALID, "too many samples");
  CHECK (skc_complex_new (2, bad, &c) == SKC_ERR_INVALID, "0 samples in a layer");
  CHECK_OK (skc_complex_new_uniform (1, 2, &c));
  c->taps[1].w = NAN;
  CHECK (skc_complex_synthesize (c, 3, 3, buf) == SKC_ERR_INVALID, "NaN weight rejected");
  CHECK (skc_complex_apply_plane (c, src, 3, 3, buf) == SKC_ERR_INVALID, "NaN weight rejected (apply)");
  c->taps[1].w = 0.5f;
  c->taps[1].ox = 1e9f;
  CHECK (skc_complex_synthesize (c, 3, 3, buf) == SKC_ERR_INVALID, "absurd offset rejected");
  CHECK (skc_complex_apply_plane (c, src, 3, 3, src) == SKC_ERR_INVALID, "aliasing rejected");
  skc_complex_free (c);
}

/* The apply in strips of rows (skc apply's bounded memory) is the whole
 * plane's apply bit for bit: one chain and three branches, strips of 1,
 * 7 and 40 rows, with the source given as just the halo's rows and as
 * the whole plane; a source one row short of the halo is refused. */
static void
test_apply_rows (void)
{
  uint64_t rng = 9;
  int      W = 37, H = 53;
  float   *src = malloc (sizeof (float) * W * H);
  float   *whole = malloc (sizeof (float) * W * H);
  float   *part = malloc (sizeof (float) * W * H);

  for (int i = 0; i < W * H; i++)
    src[i] = (float) test_rand (&rng);
  for (int branched = 0; branched < 2; branched++)
    {
      SkcComplex *c = random_complex (3, 5, 6.0, &rng);
      int         reach;

      if (branched)
        {
          c->n_branches = 3;
          c->branch_layers[0] = 1;
          c->branch_layers[1] = 1;
          c->branch_layers[2] = 1;
        }
      reach = skc_complex_row_reach (c);
      CHECK (reach >= 3 && reach <= 3 * 7, "row reach %d", reach);
      CHECK_OK (skc_complex_apply_plane (c, src, W, H, whole));
      for (int si = 0; si < 3; si++)
        for (int halo_only = 0; halo_only < 2; halo_only++)
          {
            static const int strips[3] = { 1, 7, 40 };
            int              strip = strips[si], bad = 0;

            for (int y0 = 0; y0 < H; y0 += strip)
              {
                int rows = H - y0 < strip ? H - y0 : strip;
                int lo = halo_only && y0 - reach > 0 ? y0 - reach : 0;
                int hi = halo_only && y0 + rows + reach < H
                         ? y0 + rows + reach : H;

                CHECK_OK (skc_complex_apply_rows (c, src + (size_t) lo * W,
                                                  lo, hi - lo, W, H, y0, rows,
                                                  part + (size_t) y0 * W));
              }
            for (int i = 0; i < W * H; i++)
              bad += memcmp (&part[i], &whole[i], sizeof (float)) != 0;
            CHECK (bad == 0, "strips of %d rows (%s, %d branches): %d "
                   "pixels differ from the whole plane's apply", strip,
                   halo_only ? "halo only" : "whole source",
                   skc_complex_n_branches (c), bad);
          }
      /* a source that stops one row short of the halo */
      CHECK (skc_complex_apply_rows (c, src, 0, 10 + reach - 1, W, H, 0, 10,
                                     part) == SKC_ERR_INVALID,
             "a source short of the halo was taken");
      skc_complex_free (c);
    }
  free (src);
  free (whole);
  free (part);
}

int
main (void)
{
  test_orientation ();
  test_apply_matches_dense ();
  test_apply_rows ();
  test_bad_input ();
  return test_finish ();
}
