/* The baselines' families (core/skc-family-baselines.c) and branched
 * families in the spatially varying apply (core/skc-apply-varying.c).
 *
 *  - A branched family through the varying apply is the sum of its chains
 *    each applied as a family of its own: bit for bit, on a tilt-shift
 *    field, and bit-identical for any tiling and thread count.
 *  - With a constant field, on the exact per-pixel path, it equals the
 *    uniform skc_apply_rgba of the basis at that size, or of the complex
 *    skc_family_eval gives between bases (float rounding only).
 *  - LowRank at full rank reproduces the dense convolution of the target
 *    at a basis size; adjacent bases' branches correlate non-negatively;
 *    between two bases the aligned family's kernel is closer to the two
 *    kernels' blend than with one branch's sign flipped.
 *  - PST: the same structure in every basis, each basis exactly
 *    skc_fit_pst of the target at its size (a small budget: seconds).
 *  - Bad input: the documented SKC_ERR_INVALID cases and cancelling.
 */
#include "test-common.h"
#include "skc-private.h"
#include "skc-apply-varying-private.h"

#include <stdlib.h>
#include <string.h>

#define IMG_W 96
#define IMG_H 72

/* ---------------------------------------------------------------- helpers */

static float *
constant_field (float size)
{
  float *f = malloc (sizeof (float) * 2 * IMG_W * IMG_H);

  for (int i = 0; i < IMG_W * IMG_H; i++)
    {
      f[2 * i] = size;
      f[2 * i + 1] = 0.0f;
    }
  return f;
}

static float *
tilt_field (float max_size)
{
  SkcVaryParams vp;
  float        *f = malloc (sizeof (float) * 2 * IMG_W * IMG_H);

  skc_vary_params_init (&vp, SKC_VARY_TILT_SHIFT);
  vp.diameter_px = max_size;
  vp.cx = IMG_W / 2.0f;
  vp.cy = IMG_H / 2.0f;
  vp.angle = 0.3f;
  vp.width = 8.0f;
  vp.falloff = 20.0f;
  CHECK_OK (skc_vary_field (&vp, test_rect (0, 0, IMG_W, IMG_H), NULL, 0,
                            test_rect (0, 0, IMG_W, IMG_H), f));
  return f;
}

/* The varying apply over the whole image; @lone_rate as in
 * SkcVaryingTuning (-1: every pixel on the exact path, 0: the default). */
static SkcStatus
apply_varying (const SkcFamily *f, const float *field, const float *in,
               float *out, int n_threads, int tile, float lone_rate)
{
  SkcApplyOptions  o;
  SkcVaryingTuning tu = { SKC_SIMD_COUNT, 0, 0, NULL, lone_rate };
  SkcRect          all = test_rect (0, 0, IMG_W, IMG_H);

  skc_apply_options_init (&o);
  o.n_threads = n_threads;
  o.tile_size = tile;
  return skc_apply_varying_rgba_tuned (f, field,
                                       skc_in_view (in, 4 * IMG_W, all), all,
                                       skc_out_view (out, 4 * IMG_W, all), &o,
                                       &tu);
}

/* The uniform fast apply of @c over the whole image. */
static SkcStatus
apply_uniform (const SkcComplex *c, const float *in, float *out)
{
  SkcPlan  *plan = NULL;
  SkcRect   all = test_rect (0, 0, IMG_W, IMG_H);
  SkcStatus st = skc_plan_new (c, &plan);

  if (st == SKC_OK)
    st = skc_apply_rgba (plan, skc_in_view (in, 4 * IMG_W, all), all,
                         skc_out_view (out, 4 * IMG_W, all), NULL);
  skc_plan_free (plan);
  return st;
}

static double
max_abs_diff (const float *a, const float *b, size_t n)
{
  double m = 0.0;

  for (size_t i = 0; i < n; i++)
    m = fmax (m, fabs ((double) a[i] - b[i]));
  return m;
}

/* Chain @branch of @c as a complex of its own. */
static SkcComplex *
branch_complex (const SkcComplex *c, int branch)
{
  SkcComplex *o = NULL;
  int         first, n;

  skc_complex_branch (c, branch, &first, &n);
  CHECK_OK (skc_complex_new (n, c->n_samples + first, &o));
  if (o)
    memcpy (o->taps, skc_complex_layer (c, first),
            sizeof (SkcTap) * skc_complex_total_taps (o));
  return o;
}

/* ---------------------------------------------------------------- branched */

/* The branched apply is the sum of its chains applied alone, in branch
 * order, to the bit; and the same bits for any tiling and threads. */
static void
test_branched_sum (const SkcFamily *f, const float *in)
{
  size_t  n = 4 * (size_t) IMG_W * IMG_H;
  float  *field = tilt_field (f->sizes[f->n_bases - 1] * 1.2f);
  float  *whole = malloc (n * sizeof (float));
  float  *sum = malloc (n * sizeof (float));
  float  *part = malloc (n * sizeof (float));
  int     nb = skc_complex_n_branches (f->bases[0]);
  float   rates[2] = { 0.0f, -1.0f };

  CHECK (nb > 1, "family has %d branches", nb);
  for (int m = 0; m < 2; m++)
    {
      CHECK_OK (apply_varying (f, field, in, whole, 1, 0, rates[m]));
      for (int b = 0; b < nb; b++)
        {
          SkcComplex *chains[16] = { NULL };
          SkcFamily  *cf = NULL;

          for (int k = 0; k < f->n_bases; k++)
            chains[k] = branch_complex (f->bases[k], b);
          CHECK_OK (skc_family_from_bases (f->n_bases, f->sizes,
                                           (const SkcComplex *const *) chains,
                                           &cf));
          CHECK (cf && skc_complex_n_branches (cf->bases[0]) == 1,
                 "chain %d is one chain", b);
          CHECK_OK (apply_varying (cf, field, in, b ? part : sum, 2, 0,
                                   rates[m]));
          if (b)
            for (size_t i = 0; i < n; i++)
              sum[i] += part[i];
          skc_family_free (cf);
          for (int k = 0; k < f->n_bases; k++)
            skc_complex_free (chains[k]);
        }
      CHECK (!memcmp (whole, sum, n * sizeof (float)),
             "lone rate %g: branched apply == sum of its chains (max %.3g)",
             (double) rates[m], max_abs_diff (whole, sum, n));

      /* Other threads and tiles: the same bits. */
      CHECK_OK (apply_varying (f, field, in, part, 2, 24, rates[m]));
      CHECK (!memcmp (whole, part, n * sizeof (float)),
             "lone rate %g: 2 threads, 24 px tiles == 1 thread",
             (double) rates[m]);
      CHECK_OK (apply_varying (f, field, in, part, 3, 17, rates[m]));
      CHECK (!memcmp (whole, part, n * sizeof (float)),
             "lone rate %g: 3 threads, 17 px tiles == 1 thread",
             (double) rates[m]);
    }

  /* Cut into rois with their own input windows: the same bits too. */
  {
    SkcApplyOptions o;
    int             halo = skc_family_halo (f, f->sizes[f->n_bases - 1]
                                               * 1.2f);
    SkcRect         all = test_rect (0, 0, IMG_W, IMG_H);

    skc_apply_options_init (&o);
    o.n_threads = 1;
    CHECK_OK (apply_varying (f, field, in, whole, 1, 0, 0.0f));
    memset (part, 0, n * sizeof (float));
    for (int y = 0; y < IMG_H; y += 29)
      for (int x = 0; x < IMG_W; x += 37)
        {
          SkcRect roi = test_rect (x, y, x + 37 <= IMG_W ? 37 : IMG_W - x,
                              y + 29 <= IMG_H ? 29 : IMG_H - y);
          int     x0 = x - halo > 0 ? x - halo : 0;
          int     y0 = y - halo > 0 ? y - halo : 0;
          int     x1 = x + roi.width + halo < IMG_W ? x + roi.width + halo
                                                    : IMG_W;
          int     y1 = y + roi.height + halo < IMG_H ? y + roi.height + halo
                                                     : IMG_H;
          SkcRect ir = test_rect (x0, y0, x1 - x0, y1 - y0);
          float  *tf = malloc (sizeof (float) * 2 * ir.width * ir.height);
          float  *ti = malloc (sizeof (float) * 4 * ir.width * ir.height);

          for (int j = 0; j < ir.height; j++)
            {
              memcpy (tf + (size_t) j * 2 * ir.width,
                      field + ((size_t) (j + y0) * IMG_W + x0) * 2,
                      sizeof (float) * 2 * ir.width);
              memcpy (ti + (size_t) j * 4 * ir.width,
                      in + ((size_t) (j + y0) * IMG_W + x0) * 4,
                      sizeof (float) * 4 * ir.width);
            }
          CHECK_OK (skc_apply_varying_rgba (f, tf,
                                            skc_in_view (ti, 4 * ir.width, ir),
                                            all,
                                            skc_out_view (part + ((size_t) y * IMG_W + x) * 4, 4 * IMG_W, roi),
                                            &o));
          free (tf);
          free (ti);
        }
    CHECK (!memcmp (whole, part, n * sizeof (float)),
           "rois of 37 x 29 with their own windows == whole (max %.3g)",
           max_abs_diff (whole, part, n));
  }
  free (field);
  free (whole);
  free (sum);
  free (part);
}

/* A constant field, every pixel on the exact path: the uniform apply of
 * the basis at a basis size, of skc_family_eval's complex between. */
static void
test_branched_constant (const SkcFamily *f, const float *in)
{
  size_t      n = 4 * (size_t) IMG_W * IMG_H;
  float      *a = malloc (n * sizeof (float));
  float      *b = malloc (n * sizeof (float));
  SkcComplex *c = NULL;
  float       sizes[3] = { f->sizes[1], f->sizes[f->n_bases - 1],
                           0.6f * f->sizes[1] + 0.4f * f->sizes[2] };

  CHECK_OK (skc_complex_copy (f->bases[0], &c));
  for (int i = 0; i < 3 && c; i++)
    {
      float *field = constant_field (sizes[i]);
      double d;

      CHECK_OK (apply_varying (f, field, in, a, 2, 0, -1.0f));
      if (i < 2)
        CHECK_OK (apply_uniform (f->bases[i ? f->n_bases - 1 : 1], in, b));
      else
        {
          CHECK_OK (skc_family_eval (f, sizes[i], 0.0f, c));
          CHECK_OK (apply_uniform (c, in, b));
        }
      d = max_abs_diff (a, b, n);
      /* Sums of a few hundred float products of values below 1: a few
       * units in the last place of the result. */
      CHECK (d <= 2e-6, "size %.3f: varying (exact path) vs uniform, "
             "max |diff| %.3g > 2e-6", (double) sizes[i], d);
      printf ("branched, constant size %.3f: max |varying - uniform| %.3g\n",
              (double) sizes[i], d);
      free (field);
    }
  skc_complex_free (c);
  free (a);
  free (b);
}

/* ---------------------------------------------------------------- LowRank */

/* Full rank (kernels of 5 x 5 to 7 x 7 weights): the dense convolution
 * with the target at a basis size, per channel. */
static void
test_lowrank_full (const float *in)
{
  SkcShapeParams disk;
  SkcFamily     *f = NULL;
  size_t         np = (size_t) IMG_W * IMG_H;
  float         *out = malloc (4 * np * sizeof (float));
  float         *plane = malloc (np * sizeof (float));
  float         *dense = malloc (np * sizeof (float));

  skc_shape_params_from_name ("disk", &disk);
  CHECK_OK (skc_family_fit_lowrank (&disk, NULL, 2.0f, 4.0f, 3, 8, &f));
  if (!f)
    return;
  /* The grid: the 4 px disk's nonzero weights, at most its 7 px canvas;
   * rank 8 asks for more than the grid holds: full rank. */
  CHECK (f->bases[0]->n_samples[0] == f->bases[2]->n_samples[0]
         && f->bases[0]->n_samples[0] <= 7 && f->bases[0]->n_samples[0] >= 5
         && skc_complex_n_branches (f->bases[0])
            == f->bases[0]->n_samples[0],
         "one grid, full rank: %d samples, %d branches",
         f->bases[0]->n_samples[0], skc_complex_n_branches (f->bases[0]));
  for (int k = 0; k < 3; k++)
    {
      SkcKernel *t = NULL;
      float     *field = constant_field (f->sizes[k]);
      double     worst = 0.0;

      CHECK_OK (skc_family_target (&disk, NULL, f->sizes[k], 0.0f, &t));
      CHECK_OK (apply_varying (f, field, in, out, 2, 0, -1.0f));
      for (int ch = 0; t && ch < 4; ch++)
        {
          for (size_t i = 0; i < np; i++)
            plane[i] = in[4 * i + ch];
          CHECK_OK (skc_convolve_dense (plane, IMG_W, IMG_H, t, dense));
          for (size_t i = 0; i < np; i++)
            worst = fmax (worst, fabs ((double) out[4 * i + ch] - dense[i]));
        }
      CHECK (worst <= 5e-6, "basis %d (%.2f px): full-rank LowRank vs dense, "
             "max |diff| %.3g > 5e-6", k, (double) f->sizes[k], worst);
      printf ("LowRank full rank at %.2f px: max |varying - dense| %.3g\n",
              (double) f->sizes[k], worst);
      skc_kernel_free (t);
      free (field);
    }
  skc_family_free (f);
  free (out);
  free (plane);
  free (dense);
}

/* The impulse response of @f at @size on a @side x @side canvas. */
static float *
family_response (const SkcFamily *f, float size, int side)
{
  SkcComplex *c = NULL;
  float      *r = calloc ((size_t) side * side, sizeof *r);

  CHECK_OK (skc_complex_copy (f->bases[0], &c));
  if (c)
    {
      CHECK_OK (skc_family_eval (f, size, 0.0f, c));
      CHECK_OK (skc_complex_synthesize (c, side, side, r));
    }
  skc_complex_free (c);
  return r;
}

/* Signs aligned basis to basis, and what they are for.  On one tap grid
 * a LowRank family at t between bases k and k + 1 has, per branch, the
 * kernel (u + t du)(v + t dv)^T: the blend (1 - t) u v^T + t u' v'^T of
 * the two bases' terms less t (1 - t) (u - u')(v - v')^T.  With aligned
 * signs u - u' is small; with one basis's branch negated (what an SVD
 * may return) it is u + u', and the midpoint loses the blend. */
static void
test_lowrank_align (void)
{
  SkcShapeParams hex;
  SkcFamily     *f = NULL, *g = NULL;
  double         cosine[3];
  int            tested = 0;

  skc_shape_params_from_name ("hexagon", &hex);
  CHECK_OK (skc_family_fit_lowrank (&hex, NULL, 9.0f, 25.0f, 5, 3, &f));
  if (!f)
    return;
  for (int k = 0; k + 1 < f->n_bases; k++)
    for (int b = 0; b < 3; b++)
      {
        double d = skc_lowrank_branch_correlation (f->bases[k],
                                                   f->bases[k + 1], b);

        CHECK (d >= 0.0, "bases %d, %d, branch %d: correlation %.3g < 0", k,
               k + 1, b, d);
      }
  for (int k = 0; k < f->n_bases; k++)
    CHECK_NEAR (skc_complex_gain (f->bases[k]), 1.0, 1e-5, "unit DC gain");
  CHECK (isnan (skc_lowrank_branch_correlation (f->bases[0], f->bases[1], 3)),
         "branch out of range: NAN");

  for (int b = 0; b < 3; b++)
    cosine[b] = skc_lowrank_branch_correlation (f->bases[1], f->bases[2], b)
                / sqrt (skc_lowrank_branch_correlation (f->bases[1],
                                                        f->bases[1], b)
                        * skc_lowrank_branch_correlation (f->bases[2],
                                                          f->bases[2], b));
  printf ("LowRank rank 3 hexagon, bases 1, 2: cosines %.3f %.3f %.3f\n",
          cosine[0], cosine[1], cosine[2]);
  CHECK_OK (skc_family_from_bases (f->n_bases, f->sizes,
                                   (const SkcComplex *const *) f->bases, &g));
  for (int b = 0; g && b < 3; b++)
    {
      int    first, n, side = 2 * f->bases[0]->n_samples[0] + 1;
      size_t np = (size_t) side * side;
      float  mid = 0.5f * (f->sizes[1] + f->sizes[2]);
      float *k1 = family_response (f, f->sizes[1], side);
      float *k2 = family_response (f, f->sizes[2], side);
      float *blend = malloc (np * sizeof *blend);
      float *ka, *kb;
      float  peak = 0.0f;
      double pa, pb;

      /* g: f with branch b of basis 1 negated; basis 1's kernel is the
       * same. */
      for (int k = 0; k < f->n_bases; k++)
        memcpy (g->bases[k]->taps, f->bases[k]->taps,
                sizeof (SkcTap) * skc_complex_total_taps (f->bases[k]));
      skc_complex_branch (g->bases[1], b, &first, &n);
      for (int l = first; l < first + n; l++)
        for (int i = 0; i < g->bases[1]->n_samples[l]; i++)
          skc_complex_layer (g->bases[1], l)[i].w
            = -skc_complex_layer (g->bases[1], l)[i].w;
      kb = family_response (g, f->sizes[1], side);
      CHECK (max_abs_diff (k1, kb, np) <= 1e-7,
             "branch %d: negated basis, same kernel (%.3g)", b,
             max_abs_diff (k1, kb, np));
      free (kb);

      /* Halfway, against the blend of the two bases' kernels. */
      for (size_t i = 0; i < np; i++)
        {
          blend[i] = 0.5f * (k1[i] + k2[i]);
          peak = fmaxf (peak, blend[i]);
        }
      ka = family_response (f, mid, side);
      kb = family_response (g, mid, side);
      pa = skc_psnr (ka, blend, np, peak);
      pb = skc_psnr (kb, blend, np, peak);
      printf ("LowRank rank 3 hexagon, branch %d negated in basis 1: at "
              "%.2f px, kernel PSNR against the bases' blend: aligned "
              "%.2f dB, negated %.2f dB\n", b, (double) mid, pa, pb);
      CHECK (pa > 37.0, "branch %d: aligned midpoint %.2f dB from the "
             "blend", b, pa);
      /* Only where the two bases' terms correspond: vectors of kernels of
       * different sizes on one grid are far from parallel past the first
       * few (cosine 0.03-0.1 for the third here), and then their signs
       * matter little either way. */
      if (cosine[b] >= 0.2)
        {
          CHECK (pa > pb + 6.0, "branch %d: aligned %.2f dB not 6 dB above "
                 "negated %.2f dB", b, pa, pb);
          tested++;
        }
      free (k1);
      free (k2);
      free (blend);
      free (ka);
      free (kb);
    }
  CHECK (tested >= 2, "%d branches with corresponding terms tested", tested);
  skc_family_free (g);
  skc_family_free (f);
}

/* ---------------------------------------------------------------- PST */

static void
test_pst_family (const float *in)
{
  SkcShapeParams star;
  SkcPstOptions  o;
  SkcFamily     *f = NULL;

  skc_shape_params_from_name ("star", &star);
  skc_pst_options_init (&o);
  o.n_samples = 6;
  o.n_layers = 3;
  o.iterations = 150;
  o.n_chains = 4;
  o.replace_every = 50;
  CHECK_OK (skc_family_fit_pst (&star, NULL, 3.0f, 11.0f, 3, &o, &f));
  if (!f)
    return;
  for (int k = 0; k < f->n_bases; k++)
    {
      SkcKernel  *t = NULL;
      SkcComplex *c = NULL;
      SkcComplex *b = f->bases[k];

      CHECK (b->n_layers == 3 && skc_complex_n_branches (b) == 1,
             "basis %d: 3 layers, one chain", k);
      for (int l = 0; l < b->n_layers; l++)
        CHECK (b->n_samples[l] == 6, "basis %d layer %d: 6 samples", k, l);
      CHECK_OK (skc_family_target (&star, NULL, f->sizes[k], 0.0f, &t));
      CHECK_OK (skc_fit_pst (t, &o, &c));
      CHECK (c && c->n_layers == b->n_layers
             && !memcmp (c->taps, b->taps,
                         sizeof (SkcTap) * skc_complex_total_taps (b))
             && !strcmp (c->method, b->method) && c->loss == b->loss,
             "basis %d is skc_fit_pst of the target at %.2f px", k,
             (double) f->sizes[k]);
      skc_kernel_free (t);
      skc_complex_free (c);
    }
  CHECK_NEAR (f->sizes[1], 3.0 * sqrt (11.0 / 3.0), 1e-5,
              "geometric sizes, as skc_family_fit");

  /* Through the varying apply: a basis at its size, exact path. */
  {
    size_t n = 4 * (size_t) IMG_W * IMG_H;
    float *field = constant_field (f->sizes[1]);
    float *a = malloc (n * sizeof (float));
    float *b = malloc (n * sizeof (float));
    double d;

    CHECK_OK (apply_varying (f, field, in, a, 2, 0, -1.0f));
    CHECK_OK (apply_uniform (f->bases[1], in, b));
    d = max_abs_diff (a, b, n);
    CHECK (d <= 2e-6, "PST basis 1: varying vs uniform, max |diff| %.3g", d);
    free (field);
    free (a);
    free (b);
  }
  skc_family_free (f);
}

/* ---------------------------------------------------------------- errors */

typedef struct
{
  int    calls, cancel_after;
  double last;
  int    monotonic;
} Progress;

static int
count_progress (double fraction, double loss, void *data)
{
  Progress *p = data;

  (void) loss;
  p->monotonic &= fraction >= p->last && fraction <= 1.0 + 1e-9;
  p->last = fraction;
  p->calls++;
  return p->cancel_after > 0 && p->calls >= p->cancel_after;
}

static void
test_errors (const SkcFamily *lr, const float *in)
{
  SkcShapeParams disk;
  SkcPstOptions  o;
  SkcFamily     *f = (SkcFamily *) 1, *r1 = NULL, mixed;
  Progress       p = { 0, 3, 0.0, 1 };
  float          sizes[2] = { 3.0f, 2.0f };
  float         *field = constant_field (5.0f);
  float         *out = malloc (sizeof (float) * 4 * IMG_W * IMG_H);
  SkcApplyOptions ao;

  skc_shape_params_from_name ("disk", &disk);
  CHECK (skc_family_fit_lowrank (&disk, NULL, 3.0f, 9.0f, 3, 0, &f)
         == SKC_ERR_INVALID && f == NULL, "rank 0 refused");
  CHECK (skc_family_fit_lowrank (&disk, NULL, 3.0f, 9.0f, 3, 9, &f)
         == SKC_ERR_INVALID, "rank 9 refused");
  CHECK (skc_family_fit_lowrank (&disk, NULL, 9.0f, 3.0f, 3, 1, &f)
         == SKC_ERR_INVALID, "max < min refused");
  CHECK (skc_family_fit_lowrank (NULL, NULL, 3.0f, 9.0f, 3, 1, &f)
         == SKC_ERR_INVALID, "no shape, no kernel refused");
  CHECK (skc_family_fit_lowrank (&disk, NULL, 3.0f, 300.0f, 2, 1, &f)
         == SKC_ERR_INVALID, "kernel wider than SKC_MAX_SAMPLES refused");
  CHECK (skc_family_fit_lowrank (&disk, NULL, 3.0f, 9.0f, 17, 1, &f)
         == SKC_ERR_INVALID, "17 bases refused");
  CHECK (skc_family_fit_pst (&disk, NULL, 3.0f, 9.0f, 3, NULL, &f)
         == SKC_ERR_INVALID, "PST without options refused");
  skc_pst_options_init (&o);
  o.struct_size = 8;
  CHECK (skc_family_fit_pst (&disk, NULL, 3.0f, 9.0f, 3, &o, &f)
         == SKC_ERR_INVALID, "PST options of a bad size refused");
  CHECK (skc_family_from_bases (2, sizes,
                                (const SkcComplex *const *) lr->bases, &f)
         == SKC_ERR_INVALID, "decreasing sizes refused");

  /* Progress over the bases, and cancelling. */
  skc_pst_options_init (&o);
  o.n_samples = 4;
  o.n_layers = 2;
  o.iterations = 60;
  o.n_chains = 2;
  o.progress = count_progress;
  o.progress_data = &p;
  CHECK (skc_family_fit_pst (&disk, NULL, 3.0f, 7.0f, 2, &o, &f)
         == SKC_ERR_CANCELLED && f == NULL, "PST family fit cancelled");
  p = (Progress) { 0, 0, 0.0, 1 };
  CHECK_OK (skc_family_fit_pst (&disk, NULL, 3.0f, 7.0f, 2, &o, &f));
  CHECK (p.calls > 2 && p.monotonic && fabs (p.last - 1.0) < 1e-9,
         "PST progress: %d calls, monotonic %d, last %.3f", p.calls,
         p.monotonic, p.last);
  skc_family_free (f);

  /* Bases branched differently: refused by the constructor and by the
   * apply. */
  CHECK_OK (skc_family_fit_lowrank (&disk, NULL, lr->sizes[0],
                                    lr->sizes[lr->n_bases - 1],
                                    lr->n_bases, 1, &r1));
  if (r1)
    {
      const SkcComplex *bs[2] = { lr->bases[0], r1->bases[1] };

      CHECK (skc_family_from_bases (2, lr->sizes, bs, &f) == SKC_ERR_INVALID,
             "bases of rank 2 and 1 refused");
      memset (&mixed, 0, sizeof mixed);
      mixed.n_bases = 2;
      mixed.sizes[0] = lr->sizes[0];
      mixed.sizes[1] = lr->sizes[1];
      mixed.bases[0] = lr->bases[0];
      mixed.bases[1] = r1->bases[1];
      skc_apply_options_init (&ao);
      CHECK (skc_apply_varying_rgba (&mixed, field,
                                     skc_in_view (in, 4 * IMG_W, test_rect (0, 0, IMG_W, IMG_H)),
                                     test_rect (0, 0, IMG_W, IMG_H),
                                     skc_out_view (out, 4 * IMG_W, test_rect (0, 0, IMG_W, IMG_H)),
                                     &ao) == SKC_ERR_INVALID,
             "varying apply: bases branched differently refused");
    }
  /* An input window too small for the halo. */
  CHECK (skc_apply_varying_rgba (lr, field,
                                 skc_in_view (in, 4 * IMG_W, test_rect (0, 0, IMG_W, IMG_H)),
                                 test_rect (-5, 0, IMG_W + 5, IMG_H),
                                 skc_out_view (out, 4 * IMG_W, test_rect (0, 0, IMG_W, IMG_H)),
                                 NULL)
         == SKC_ERR_INVALID, "branched: window without the halo refused");
  /* In and out overlapping. */
  CHECK (skc_apply_varying_rgba (lr, field,
                                 skc_in_view (in, 4 * IMG_W, test_rect (0, 0, IMG_W, IMG_H)),
                                 test_rect (0, 0, IMG_W, IMG_H),
                                 skc_out_view ((float *) in, 4 * IMG_W, test_rect (0, 0, IMG_W, IMG_H)),
                                 NULL)
         == SKC_ERR_INVALID, "branched: in == out refused");
  /* Cancelling the branched apply. */
  p = (Progress) { 0, 1, 0.0, 1 };
  skc_apply_options_init (&ao);
  ao.progress = count_progress;
  ao.progress_data = &p;
  CHECK (skc_apply_varying_rgba (lr, field,
                                 skc_in_view (in, 4 * IMG_W, test_rect (0, 0, IMG_W, IMG_H)),
                                 test_rect (0, 0, IMG_W, IMG_H),
                                 skc_out_view (out, 4 * IMG_W, test_rect (0, 0, IMG_W, IMG_H)),
                                 &ao)
         == SKC_ERR_CANCELLED, "branched apply cancelled");
  p = (Progress) { 0, 0, 0.0, 1 };
  CHECK_OK (skc_apply_varying_rgba (lr, field,
                                    skc_in_view (in, 4 * IMG_W, test_rect (0, 0, IMG_W, IMG_H)),
                                    test_rect (0, 0, IMG_W, IMG_H),
                                    skc_out_view (out, 4 * IMG_W, test_rect (0, 0, IMG_W, IMG_H)),
                                    &ao));
  CHECK (p.calls >= 2 && p.monotonic && fabs (p.last - 1.0) < 1e-9,
         "branched apply progress: %d calls, monotonic %d, last %.3f",
         p.calls, p.monotonic, p.last);
  skc_family_free (r1);
  free (field);
  free (out);
}

int
main (void)
{
  SkcShapeParams star;
  SkcFamily     *lr = NULL;
  float         *in = test_load_photo_rgba ("coffee.png", 250, 150,
                                            IMG_W, IMG_H);

  if (!in)
    return test_finish ();
  /* A small branched family, no fitting: LowRank rank 2 of a star. */
  skc_shape_params_from_name ("star", &star);
  CHECK_OK (skc_family_fit_lowrank (&star, NULL, 3.0f, 13.0f, 3, 2, &lr));
  if (lr)
    {
      test_branched_sum (lr, in);
      test_branched_constant (lr, in);
      test_errors (lr, in);
    }
  test_lowrank_full (in);
  test_lowrank_align ();
  test_pst_family (in);
  skc_family_free (lr);
  free (in);
  return test_finish ();
}
