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

int
main (void)
{
  test_orientation ();
  test_apply_matches_dense ();
  test_bad_input ();
  return test_finish ();
}
