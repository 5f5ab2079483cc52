/* The uniform fast apply engine (skc_apply_rgba) against the scalar
 * reference skc_complex_apply_plane and against dense convolution, on
 * every SIMD path this machine and SKC_DISABLE_SIMD allow; tiling, rect
 * splitting and thread counts must not change a single bit.
 *
 * Registered twice in meson: as is, and with SKC_DISABLE_SIMD=all.
 */
#include "test-common.h"
#include "skc-private.h"
#include "skc-apply-private.h"

#include <float.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- helpers */

/* A random premultiplied RGBA image: alpha in [0, 1], colour <= alpha. */
static float *
random_rgba (int w, int h, uint64_t *rng)
{
  float *img = malloc (sizeof (float) * 4 * w * h);

  for (int i = 0; i < w * h; i++)
    {
      float a = (float) test_rand (rng);

      for (int c = 0; c < 3; c++)
        img[4 * i + c] = a * (float) test_rand (rng);
      img[4 * i + 3] = a;
    }
  return img;
}

/* kind 0: general; 1: integer offsets; 2: asymmetric (taps right and
 * above only); 3: coincident taps (pairs at the same offset). */
static SkcComplex *
random_complex (uint64_t *rng, int kind, int max_layers, int max_samples,
                double spread)
{
  SkcComplex *c = NULL;
  int         layers = 1 + (int) (test_rand (rng) * max_layers);
  int         ns[SKC_MAX_LAYERS];

  for (int l = 0; l < layers; l++)
    ns[l] = 1 + (int) (test_rand (rng) * max_samples);
  if (skc_complex_new (layers, ns, &c) != SKC_OK)
    return NULL;
  for (int l = 0; l < layers; l++)
    {
      SkcTap *t = skc_complex_layer (c, l);

      for (int i = 0; i < ns[l]; i++)
        {
          double ox = (2 * test_rand (rng) - 1) * spread;
          double oy = (2 * test_rand (rng) - 1) * spread;

          if (kind == 1 || test_rand (rng) < 0.2)
            ox = floor (ox + 0.5), oy = floor (oy + 0.5);
          if (kind == 2)
            ox = fabs (ox), oy = -fabs (oy);
          t[i].ox = (float) ox;
          t[i].oy = (float) oy;
          /* some negative weights; layer sums near 1 */
          t[i].w = (float) ((test_rand (rng) * 1.5 - 0.25) / ns[l]);
          if (kind == 3 && i > 0 && test_rand (rng) < 0.5)
            t[i].ox = t[i - 1].ox, t[i].oy = t[i - 1].oy;
        }
    }
  return c;
}

/* The whole image at once. */
static SkcStatus
apply_full (const SkcPlan *plan, const float *img, int w, int h, float *out,
            int n_threads, int tile)
{
  SkcApplyOptions o;

  skc_apply_options_init (&o);
  o.n_threads = n_threads;
  o.tile_size = tile;
  return skc_apply_rgba (plan,
                         skc_in_view (img, 4 * w, test_rect (0, 0, w, h)),
                         test_rect (0, 0, w, h),
                         skc_out_view (out, 4 * w, test_rect (0, 0, w, h)), &o);
}

/* Max abs difference of channel @c of @rgba against the reference applied
 * to that channel; *range gets the reference's value range. */
static double
diff_vs_reference (const SkcComplex *cx, const float *img, const float *rgba,
                   int w, int h, int c, double *range)
{
  float *plane = calloc ((size_t) w * h, sizeof (float));
  float *ref = malloc (sizeof (float) * w * h);
  double md = 0.0, lo = INFINITY, hi = -INFINITY;

  for (int i = 0; i < w * h; i++)
    plane[i] = img[4 * i + c];
  if (skc_complex_apply_plane (cx, plane, w, h, ref) != SKC_OK)
    md = INFINITY;
  else
    for (int i = 0; i < w * h; i++)
      {
        md = fmax (md, fabs ((double) rgba[4 * i + c] - ref[i]));
        lo = fmin (lo, ref[i]);
        hi = fmax (hi, ref[i]);
      }
  *range = hi - lo;
  free (plane);
  free (ref);
  return md;
}

static int
n_paths_tested (void)
{
  int n = 0;

  for (int p = 0; p < SKC_SIMD_COUNT; p++)
    n += skc_simd_path_available ((SkcSimdPath) p);
  return n;
}

/* ---------------------------------------------------------------- tests */

/* Folding: integer offsets are one entry, coincident corners merge. */
static void
test_folding (void)
{
  SkcComplex *c = NULL;
  SkcPlan    *plan = NULL;

  CHECK_OK (skc_complex_new_uniform (3, 3, &c));
  /* layer 0: three integer offsets -> 3 entries */
  c->taps[0] = (SkcTap) { 2, -3, 0.5f };
  c->taps[1] = (SkcTap) { 0, 0, 0.25f };
  c->taps[2] = (SkcTap) { -7, 1, 0.25f };
  /* layer 1: the same fractional tap three times -> 4 entries */
  for (int i = 3; i < 6; i++)
    c->taps[i] = (SkcTap) { 1.25f, -0.5f, 1.0f / 3 };
  /* layer 2: half-pixel taps sharing corners: (0.5, 0) reads (0,0),(1,0);
   * (1.5, 0) reads (1,0),(2,0); (0, 0.5) reads (0,0),(0,1) -> 4 entries */
  c->taps[6] = (SkcTap) { 0.5f, 0, 0.3f };
  c->taps[7] = (SkcTap) { 1.5f, 0, 0.3f };
  c->taps[8] = (SkcTap) { 0, 0.5f, 0.4f };
  CHECK_OK (skc_plan_new (c, &plan));
  CHECK (skc_plan_layer_entries (plan, 0) == 3, "integer taps: %d entries",
         skc_plan_layer_entries (plan, 0));
  CHECK (skc_plan_layer_entries (plan, 1) == 4, "coincident taps: %d entries",
         skc_plan_layer_entries (plan, 1));
  CHECK (skc_plan_layer_entries (plan, 2) == 4, "shared corners: %d entries",
         skc_plan_layer_entries (plan, 2));
  /* halo: x -7 + 0 + 0 .. 2 + 2 + 2, y -3 - 1 + 0 .. 1 + 0 + 1 */
  CHECK (skc_plan_halo (plan) == 7, "halo %d", skc_plan_halo (plan));
  CHECK (skc_plan_halo (plan) <= skc_complex_reach (c), "halo within reach");
  skc_plan_free (plan);
  skc_complex_free (c);
}

/* Every path against the reference, whole images of many shapes, and
 * every path bit for bit against the scalar path. */
static void
test_paths_vs_reference (void)
{
  static const int sizes[][2] = {
    { 67, 53 }, { 1, 1 }, { 1, 9 }, { 9, 1 }, { 3, 5 }, { 15, 7 },
    { 16, 16 }, { 17, 40 }, { 33, 2 }, { 100, 31 },
  };
  uint64_t rng = 7;
  double   worst = 0.0;
  int      cases = 0;

  for (int k = 0; k < 44; k++)
    {
      int         w = k < 40 ? sizes[k % 10][0] : 120;
      int         h = k < 40 ? sizes[k % 10][1] : 90;
      /* the last cases: paper-sized complexes, up to 48 x 6 taps */
      SkcComplex *cx = k < 40 ? random_complex (&rng, k % 4, 4, 12,
                                                k < 20 ? 5.0 : 14.0)
                              : random_complex (&rng, k % 4, 6, 48, 25.0);
      float      *img = random_rgba (w, h, &rng);
      float      *out[SKC_SIMD_COUNT] = { NULL };
      SkcPlan    *plan = NULL;

      CHECK_OK (skc_plan_new (cx, &plan));
      for (int p = 0; p < SKC_SIMD_COUNT; p++)
        {
          if (!skc_simd_path_available ((SkcSimdPath) p))
            continue;
          out[p] = malloc (sizeof (float) * 4 * w * h);
          CHECK_OK (skc_plan_set_path (plan, (SkcSimdPath) p));
          CHECK_OK (apply_full (plan, img, w, h, out[p], 1 + k % 3,
                                k % 2 ? 16 : 0));
          for (int c = 0; c < 4; c++)
            {
              double range, md = diff_vs_reference (cx, img, out[p], w, h, c,
                                                    &range);
              double tol = 1e-5 * fmax (range, 1e-2);

              worst = fmax (worst, md / fmax (range, 1e-2));
              CHECK (md <= tol, "case %d %dx%d path %s channel %d: max diff "
                     "%.3g > %.3g", k, w, h,
                     skc_simd_path_name ((SkcSimdPath) p), c, md, tol);
            }
#if FLT_EVAL_METHOD == 0
          if (p > 0)
            CHECK (memcmp (out[p], out[0], sizeof (float) * 4 * w * h) == 0,
                   "case %d: path %s differs from scalar", k,
                   skc_simd_path_name ((SkcSimdPath) p));
#endif
          cases++;
        }
      for (int p = 0; p < SKC_SIMD_COUNT; p++)
        free (out[p]);
      free (img);
      skc_plan_free (plan);
      skc_complex_free (cx);
    }
  printf ("paths vs reference: %d cases on %d path(s), worst diff %.3g of "
          "the value range\n", cases, n_paths_tested (), worst);
}

/* Away from borders the filter is a convolution with the impulse
 * response of the complex: random images and a photo (its linear-light
 * luminance in R, 1 - luminance in G, its square in B, opaque), with a
 * small complex and a paper-sized 24 x 4 one. */
static void
test_vs_dense (int photo)
{
  uint64_t    rng = 99 + (uint64_t) photo;
  int         W = photo ? 200 : 80, H = photo ? 150 : 64;
  SkcComplex *cx = random_complex (&rng, 0, 4, 10, 4.0);
  SkcPlan    *plan = NULL;
  SkcKernel  *k = NULL;
  int         reach, K;
  float      *img = random_rgba (W, H, &rng);
  float      *out = malloc (sizeof (float) * 4 * W * H);
  float      *plane = malloc (sizeof (float) * W * H);
  float      *ref = malloc (sizeof (float) * W * H);
  double      md = 0.0;

  if (photo)
    {
      int    pw = 0, ph = 0;
      float *lum = test_load_photo_plane ("coffee.png", &pw, &ph);
      int    ns[4] = { 24, 24, 24, 24 };

      CHECK (lum && pw >= W && ph >= H, "photo loaded");
      if (!lum || pw < W || ph < H)
        {
          free (lum);
          lum = NULL;
        }
      for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
          {
            float v = lum ? lum[(y + 100) % ph * pw + (x + 200) % pw] : 0.5f;

            img[4 * (y * W + x) + 0] = v;
            img[4 * (y * W + x) + 1] = 1.0f - v;
            img[4 * (y * W + x) + 2] = v * v;
            img[4 * (y * W + x) + 3] = 1.0f;
          }
      free (lum);
      /* rings growing layer by layer, like the fits' initialisation */
      skc_complex_free (cx);
      cx = NULL;
      CHECK_OK (skc_complex_new (4, ns, &cx));
      for (int l = 0; l < 4; l++)
        for (int i = 0; i < 24; i++)
          {
            SkcTap *t = skc_complex_layer (cx, l) + i;
            double  a = 2 * M_PI * (i + 0.37 * l) / 24;
            double  r = (l + 1) * 2.3 * (1 + 0.2 * test_rand (&rng));

            t->ox = (float) (r * cos (a));
            t->oy = (float) (r * sin (a) + 0.3 * l);
            t->w = (float) ((0.8 + 0.4 * test_rand (&rng)) / 24);
          }
    }
  reach = skc_complex_reach (cx);
  K = 2 * reach + 1;

  CHECK_OK (skc_plan_new (cx, &plan));
  CHECK_OK (skc_kernel_new (K, K, &k));
  CHECK_OK (skc_complex_synthesize (cx, K, K, k->data));
  CHECK_OK (apply_full (plan, img, W, H, out, 2, 0));
  for (int c = 0; c < 4; c++)
    {
      for (int i = 0; i < W * H; i++)
        plane[i] = img[4 * i + c];
      CHECK_OK (skc_convolve_dense (plane, W, H, k, ref));
      for (int y = reach; y < H - reach; y++)
        for (int x = reach; x < W - reach; x++)
          md = fmax (md, fabs (out[4 * (y * W + x) + c] - ref[y * W + x]));
    }
  CHECK (md < 2e-5, "fast apply vs dense convolution, interior (%s): %.3g",
         photo ? "photo, 24 x 4" : "random", md);
  if (photo)
    {
      double worst = 0.0;

      for (int c = 0; c < 4; c++)
        {
          double range, d = diff_vs_reference (cx, img, out, W, H, c, &range);

          worst = fmax (worst, d / fmax (range, 1e-2));
        }
      CHECK (worst < 1e-5, "photo, 24 x 4: %.3g of the range vs reference",
             worst);
      printf ("photo, 24 x 4 taps: %.3g vs dense (interior), %.3g of the "
              "range vs reference\n", md, worst);
    }
  free (img);
  free (out);
  free (plane);
  free (ref);
  skc_kernel_free (k);
  skc_plan_free (plan);
  skc_complex_free (cx);
}

/* Any rectangle from its own input block equals the same pixels of the
 * full render, bit for bit; so do thread counts and tile sizes. */
static void
test_tiling_invariance (void)
{
  uint64_t rng = 2024;
  int      W = 150, H = 110;
  int      rects = 0, mismatches = 0;

  for (int k = 0; k < 6; k++)
    {
      SkcComplex *cx = random_complex (&rng, k % 4, 4, 10, k < 3 ? 6.0 : 20.0);
      SkcPlan    *plan = NULL;
      float      *img = random_rgba (W, H, &rng);
      float      *full = malloc (sizeof (float) * 4 * W * H);
      float      *alt = malloc (sizeof (float) * 4 * W * H);
      int         halo;
      static const int threads[] = { 1, 2, 3, 7 };
      static const int tiles[] = { 16, 37, 256 };

      CHECK_OK (skc_plan_new (cx, &plan));
      halo = skc_plan_halo (plan);
      CHECK_OK (apply_full (plan, img, W, H, full, 1, 0));

      for (int t = 0; t < 4; t++)
        {
          CHECK_OK (apply_full (plan, img, W, H, alt, threads[t], 16));
          CHECK (memcmp (alt, full, sizeof (float) * 4 * W * H) == 0,
                 "complex %d: %d threads differ", k, threads[t]);
        }
      for (int t = 0; t < 3; t++)
        {
          CHECK_OK (apply_full (plan, img, W, H, alt, 2, tiles[t]));
          CHECK (memcmp (alt, full, sizeof (float) * 4 * W * H) == 0,
                 "complex %d: tile %d differs", k, tiles[t]);
        }

      for (int r = 0; r < 25; r++)
        {
          int      x = (int) (test_rand (&rng) * W);
          int      y = (int) (test_rand (&rng) * H);
          int      w = 1 + (int) (test_rand (&rng) * (W - x));
          int      h = 1 + (int) (test_rand (&rng) * (H - y));
          SkcRect  roi = test_rect (x, y, w, h);
          SkcRect  in_rect;
          int      ix0 = x - halo, iy0 = y - halo;
          int      ix1 = x + w + halo, iy1 = y + h + halo;
          int      in_stride, out_stride = 4 * w + 8;
          float   *in, *out;
          int      bad = 0;
          SkcApplyOptions o;

          ix0 = ix0 < 0 ? 0 : ix0, iy0 = iy0 < 0 ? 0 : iy0;
          ix1 = ix1 > W ? W : ix1, iy1 = iy1 > H ? H : iy1;
          in_rect = test_rect (ix0, iy0, ix1 - ix0, iy1 - iy0);
          in_stride = 4 * in_rect.width + 4 * (r % 3);
          in = malloc (sizeof (float) * in_stride * in_rect.height);
          out = malloc (sizeof (float) * out_stride * h);
          for (int yy = 0; yy < in_rect.height; yy++)
            memcpy (in + yy * in_stride,
                    img + 4 * ((iy0 + yy) * W + ix0),
                    sizeof (float) * 4 * in_rect.width);
          skc_apply_options_init (&o);
          o.n_threads = 1 + r % 3;
          o.tile_size = r % 2 ? 0 : 8 + r;
          CHECK_OK (skc_apply_rgba (plan, skc_in_view (in, in_stride, in_rect),
                                    test_rect (0, 0, W, H),
                                    skc_out_view (out, out_stride, roi), &o));
          for (int yy = 0; yy < h; yy++)
            if (memcmp (out + yy * out_stride, full + 4 * ((y + yy) * W + x),
                        sizeof (float) * 4 * w) != 0)
              bad = 1;
          CHECK (!bad, "complex %d: rect %d,%d %dx%d differs from the full "
                 "render", k, x, y, w, h);
          mismatches += bad;
          rects++;
          free (in);
          free (out);
        }
      free (img);
      free (full);
      free (alt);
      skc_plan_free (plan);
      skc_complex_free (cx);
    }
  printf ("tiling: %d random rects, %d differ\n", rects, mismatches);
}

/* Pixels of @in_rect outside @bounds are never read: poison them. */
static void
test_input_beyond_bounds (void)
{
  uint64_t    rng = 5;
  int         W = 40, H = 30, pad = 9;
  int         IW = W + 2 * pad, IH = H + 2 * pad;
  SkcComplex *cx = random_complex (&rng, 0, 3, 8, 6.0);
  SkcPlan    *plan = NULL;
  float      *img = random_rgba (W, H, &rng);
  float      *big = malloc (sizeof (float) * 4 * IW * IH);
  float      *a = malloc (sizeof (float) * 4 * W * H);
  float      *b = malloc (sizeof (float) * 4 * W * H);

  for (int i = 0; i < 4 * IW * IH; i++)
    big[i] = NAN;
  for (int y = 0; y < H; y++)
    memcpy (big + 4 * ((y + pad) * IW + pad), img + 4 * y * W,
            sizeof (float) * 4 * W);
  CHECK_OK (skc_plan_new (cx, &plan));
  CHECK_OK (apply_full (plan, img, W, H, a, 1, 0));
  CHECK_OK (skc_apply_rgba (plan,
                            skc_in_view (big, 4 * IW, test_rect (-pad, -pad, IW, IH)),
                            test_rect (0, 0, W, H),
                            skc_out_view (b, 4 * W, test_rect (0, 0, W, H)),
                            NULL));
  CHECK (memcmp (a, b, sizeof (float) * 4 * W * H) == 0,
         "input beyond the bounds is not read");
  /* image bounds not at the origin */
  CHECK_OK (skc_apply_rgba (plan,
                            skc_in_view (img, 4 * W, test_rect (100, -50, W, H)),
                            test_rect (100, -50, W, H),
                            skc_out_view (b, 4 * W, test_rect (100, -50, W, H)),
                            NULL));
  CHECK (memcmp (a, b, sizeof (float) * 4 * W * H) == 0,
         "bounds away from the origin");
  free (img);
  free (big);
  free (a);
  free (b);
  skc_plan_free (plan);
  skc_complex_free (cx);
}

/* Premultiplied alpha: colour = k * alpha everywhere stays so (a linear
 * filter), transparent regions far from anything stay exactly 0, and with
 * non-negative weights colour never exceeds alpha. */
static void
test_alpha (void)
{
  uint64_t    rng = 11;
  int         W = 90, H = 70;
  SkcComplex *cx = random_complex (&rng, 0, 3, 8, 4.0);
  SkcPlan    *plan = NULL;
  float      *img = malloc (sizeof (float) * 4 * W * H);
  float      *out = malloc (sizeof (float) * 4 * W * H);
  const float col[3] = { 0.9f, 0.4f, 0.1f };
  double      ratio_err = 0.0, over = 0.0, transparent = 0.0;
  int         halo;

  for (int i = 0; i < skc_complex_total_taps (cx); i++)
    cx->taps[i].w = fabsf (cx->taps[i].w);
  CHECK_OK (skc_plan_new (cx, &plan));
  halo = skc_plan_halo (plan);
  /* opaque-ish blob on the left, transparent on the right */
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        float a = x < W / 3 ? (float) test_rand (&rng) : 0.0f;

        for (int c = 0; c < 3; c++)
          img[4 * (y * W + x) + c] = col[c] * a;
        img[4 * (y * W + x) + 3] = a;
      }
  CHECK_OK (apply_full (plan, img, W, H, out, 2, 32));
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        const float *p = out + 4 * (y * W + x);

        for (int c = 0; c < 3; c++)
          {
            if (p[3] > 1e-3f)
              ratio_err = fmax (ratio_err, fabs (p[c] / p[3] - col[c]));
            over = fmax (over, p[c] - p[3]);
          }
        if (x >= W / 3 + halo)
          for (int c = 0; c < 4; c++)
            transparent = fmax (transparent, fabs (p[c]));
      }
  CHECK (ratio_err < 1e-4, "unpremultiplied colour kept: err %.3g", ratio_err);
  CHECK (over <= 1e-6, "colour <= alpha: excess %.3g", over);
  CHECK (transparent == 0.0, "transparent stays 0: %.3g", transparent);
  free (img);
  free (out);
  skc_plan_free (plan);
  skc_complex_free (cx);
}

static void
test_bad_input (void)
{
  SkcComplex     *cx = NULL;
  SkcPlan        *plan = NULL;
  SkcApplyOptions o;
  int             W = 20, H = 10, halo;
  float          *img = calloc (4 * W * H * 2, sizeof (float));
  float          *out = calloc (4 * W * H, sizeof (float));
  SkcRect         all = test_rect (0, 0, W, H);

  CHECK (skc_plan_new (NULL, &plan) == SKC_ERR_INVALID && !plan,
         "NULL complex");
  CHECK_OK (skc_complex_new_uniform (2, 3, &cx));
  CHECK (skc_plan_new (cx, NULL) == SKC_ERR_INVALID, "NULL out");
  cx->taps[1].w = NAN;
  CHECK (skc_plan_new (cx, &plan) == SKC_ERR_INVALID && !plan, "NaN weight");
  cx->taps[1].w = 0.5f;
  cx->taps[1].ox = 1e7f;
  CHECK (skc_plan_new (cx, &plan) == SKC_ERR_INVALID && !plan, "huge offset");
  cx->taps[1].ox = 2.5f;
  cx->taps[4].oy = -1.5f;
  CHECK_OK (skc_plan_new (cx, &plan));
  halo = skc_plan_halo (plan);
  CHECK (halo == 3, "halo %d", halo);
  CHECK (skc_plan_halo (NULL) == 0, "halo of NULL");
  skc_plan_free (NULL);

  CHECK_OK (skc_apply_rgba (plan, skc_in_view (img, 4 * W, all), all,
                            skc_out_view (out, 4 * W, all), NULL));
  CHECK (skc_apply_rgba (NULL, skc_in_view (img, 4 * W, all), all,
                         skc_out_view (out, 4 * W, all), NULL)
         == SKC_ERR_INVALID, "NULL plan");
  CHECK (skc_apply_rgba (plan, skc_in_view (NULL, 4 * W, all), all,
                         skc_out_view (out, 4 * W, all), NULL)
         == SKC_ERR_INVALID, "NULL in");
  CHECK (skc_apply_rgba (plan, skc_in_view (img, 4 * W, all), all,
                         skc_out_view (NULL, 4 * W, all), NULL)
         == SKC_ERR_INVALID, "NULL out");
  CHECK (skc_apply_rgba (plan, skc_in_view (img, 4 * W - 1, all), all,
                         skc_out_view (out, 4 * W, all), NULL)
         == SKC_ERR_INVALID, "in stride too small");
  CHECK (skc_apply_rgba (plan, skc_in_view (img, 4 * W, all), all,
                         skc_out_view (out, 4 * W - 4, all), NULL)
         == SKC_ERR_INVALID, "out stride too small");
  CHECK (skc_apply_rgba (plan, skc_in_view (img, 4 * W, all), all,
                         skc_out_view (img + 4 * W * H - 4, 4 * W, all), NULL) == SKC_ERR_INVALID,
         "overlapping in and out");
  CHECK (skc_apply_rgba (plan, skc_in_view (img, 4 * W, all), all,
                         skc_out_view (img, 4 * W, all), NULL)
         == SKC_ERR_INVALID, "in place");
  CHECK_OK (skc_apply_rgba (plan, skc_in_view (img, 4 * W, all), all,
                            skc_out_view (img + 4 * W * H, 4 * W, all), NULL));
  /* in_rect must hold roi + halo, clipped to the bounds */
  CHECK (skc_apply_rgba (plan,
                         skc_in_view (img, 4 * W, test_rect (0, 0, W - 1, H)),
                         all, skc_out_view (out, 4 * W, all), NULL) == SKC_ERR_INVALID,
         "in_rect misses a column");
  CHECK (skc_apply_rgba (plan,
                         skc_in_view (img + 4, 4 * W, test_rect (1, 0, W - 1, H)),
                         all,
                         skc_out_view (out, 4 * W, test_rect (halo, 0, W - halo, H)),
                         NULL)
         == SKC_ERR_INVALID, "in_rect misses the halo");
  CHECK_OK (skc_apply_rgba (plan,
                            skc_in_view (img + 4, 4 * W, test_rect (1, 0, W - 1, H)),
                            all,
                            skc_out_view (out, 4 * W, test_rect (halo + 1, 0, W - halo - 1, H)),
                            NULL));
  CHECK (skc_apply_rgba (plan, skc_in_view (img, 4 * W, all), all,
                         skc_out_view (out, 4 * W, test_rect (1, 0, W, H)),
                         NULL) == SKC_ERR_INVALID,
         "roi outside the bounds");
  CHECK (skc_apply_rgba (plan, skc_in_view (img, 4 * W, all), all,
                         skc_out_view (out, 4 * W, test_rect (0, 0, -1, H)),
                         NULL) == SKC_ERR_INVALID,
         "negative width");
  CHECK (skc_apply_rgba (plan, skc_in_view (img, 4 * W, all),
                         test_rect (0, 0, SKC_MAX_IMAGE_SIDE + 1, H),
                         skc_out_view (out, 4 * W, all), NULL) == SKC_ERR_INVALID, "bounds too large");
  CHECK (skc_apply_rgba (plan,
                         skc_in_view (img, 4 * W, test_rect (0, 0, W, SKC_MAX_IMAGE_SIDE + 1)),
                         all, skc_out_view (out, 4 * W, all), NULL) == SKC_ERR_INVALID,
         "in_rect too large");
  CHECK (skc_apply_rgba (plan, skc_in_view (img, 4 * W, all), all,
                         skc_out_view (out, 4 * W, test_rect (0, 0, 0, 0)),
                         NULL) == SKC_OK, "empty roi");
  skc_apply_options_init (&o);
  o.struct_size = 4;
  CHECK (skc_apply_rgba (plan, skc_in_view (img, 4 * W, all), all,
                         skc_out_view (out, 4 * W, all), &o)
         == SKC_ERR_INVALID, "options struct_size");
  skc_apply_options_init (&o);
  o.n_threads = -1;
  CHECK (skc_apply_rgba (plan, skc_in_view (img, 4 * W, all), all,
                         skc_out_view (out, 4 * W, all), &o)
         == SKC_ERR_INVALID, "negative threads");
  skc_apply_options_init (&o);
  o.tile_size = -5;
  CHECK (skc_apply_rgba (plan, skc_in_view (img, 4 * W, all), all,
                         skc_out_view (out, 4 * W, all), &o)
         == SKC_ERR_INVALID, "negative tile size");
  CHECK (skc_plan_set_path (plan, SKC_SIMD_COUNT) == SKC_ERR_INVALID,
         "unknown path");
  skc_plan_free (plan);
  skc_complex_free (cx);
  free (img);
  free (out);
}

typedef struct
{
  int       calls;
  int       stop_at;
  int       wrong_thread;
  double    last;
  int       backwards;
  pthread_t caller;
} Progress;

static int
progress_cb (double fraction, double loss, void *data)
{
  Progress *p = data;

  p->calls++;
  if (!pthread_equal (pthread_self (), p->caller))
    p->wrong_thread++;
  if (fraction < p->last)
    p->backwards++;
  p->last = fraction;
  return p->stop_at > 0 && p->calls >= p->stop_at;
}

static void
test_progress_cancel (void)
{
  uint64_t        rng = 3;
  int             W = 400, H = 300;
  SkcComplex     *cx = random_complex (&rng, 0, 3, 6, 3.0);
  SkcPlan        *plan = NULL;
  float          *img = random_rgba (W, H, &rng);
  float          *out = malloc (sizeof (float) * 4 * W * H);
  SkcApplyOptions o;
  Progress        p;
  SkcStatus       s;

  CHECK_OK (skc_plan_new (cx, &plan));
  skc_apply_options_init (&o);
  o.tile_size = 20;
  o.n_threads = 3;
  o.progress = progress_cb;
  o.progress_data = &p;

  memset (&p, 0, sizeof p);
  p.caller = pthread_self ();
  CHECK_OK (skc_apply_rgba (plan,
                            skc_in_view (img, 4 * W, test_rect (0, 0, W, H)),
                            test_rect (0, 0, W, H),
                            skc_out_view (out, 4 * W, test_rect (0, 0, W, H)),
                            &o));
  CHECK (p.calls >= 1 && p.wrong_thread == 0 && p.backwards == 0,
         "progress: %d calls, %d off-thread, %d backwards", p.calls,
         p.wrong_thread, p.backwards);

  /* With helper threads, a loaded machine may let them finish every tile
   * before the caller reports even once (then its one report is the final
   * one): so cancel at the first report, which must always be honoured.
   * Stopping early is checked with one thread below. */
  memset (&p, 0, sizeof p);
  p.caller = pthread_self ();
  p.stop_at = 1;
  s = skc_apply_rgba (plan, skc_in_view (img, 4 * W, test_rect (0, 0, W, H)),
                      test_rect (0, 0, W, H),
                      skc_out_view (out, 4 * W, test_rect (0, 0, W, H)), &o);
  CHECK (s == SKC_ERR_CANCELLED, "cancel: %s", skc_status_string (s));
  CHECK (p.calls == 1, "cancel: stopped after %d calls", p.calls);

  o.n_threads = 1;
  memset (&p, 0, sizeof p);
  p.caller = pthread_self ();
  p.stop_at = 1;
  s = skc_apply_rgba (plan, skc_in_view (img, 4 * W, test_rect (0, 0, W, H)),
                      test_rect (0, 0, W, H),
                      skc_out_view (out, 4 * W, test_rect (0, 0, W, H)), &o);
  CHECK (s == SKC_ERR_CANCELLED && p.calls == 1 && p.last < 1.0,
         "cancel, one thread: %s after %d calls at %.3f", skc_status_string (s),
         p.calls, p.last);
  free (img);
  free (out);
  skc_plan_free (plan);
  skc_complex_free (cx);
}

static void
test_simd_env (void)
{
  const char *env = getenv ("SKC_DISABLE_SIMD");
  const char *path = skc_apply_simd_path ();

  printf ("simd path: %s (SKC_DISABLE_SIMD=%s)\n", path, env ? env : "");
  CHECK (strcmp (path, "scalar") == 0 || strcmp (path, "sse2") == 0
         || strcmp (path, "avx2") == 0, "path name %s", path);
  if (env && strstr (env, "all"))
    CHECK (strcmp (path, "scalar") == 0 && n_paths_tested () == 1,
           "SKC_DISABLE_SIMD=all forces scalar, got %s", path);
  if (env && strstr (env, "avx2"))
    CHECK (strcmp (path, "avx2") != 0, "avx2 disabled, got %s", path);
}

int
main (void)
{
  test_simd_env ();
  test_folding ();
  test_paths_vs_reference ();
  test_vs_dense (0);
  test_vs_dense (1);
  test_tiling_invariance ();
  test_input_beyond_bounds ();
  test_alpha ();
  test_bad_input ();
  test_progress_cancel ();
  return test_finish ();
}
