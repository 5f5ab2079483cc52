/* Spatially varying filtering: families, parameter fields, the varying
 * apply and highlights.
 *
 * The main check is against a dense per-pixel ground truth: every pixel p
 * of a real photo gets the dense kernel K_p of its own (size, angle)
 * (skc_family_target, itself checked against skc_shape_render), and
 *     gt (p) = sum_u K_p (u) in (p - u)        (clamped borders)
 * which is the spatially varying blur the effect stands for.  The varying
 * apply with a small fitted family must come close to it: a tilt-shift
 * (disk), a rotational bokeh (heart, asymmetric, so a wrong rotation would
 * show) and a radial motion blur (a line kernel of our own).  Around it:
 * eval and its rotation convention, the identity at size 0, the uniform
 * field against the reference apply, bit-identical tiling and threading,
 * field values at known points, highlights and bad input.
 */
#include "test-common.h"
#include "skc-private.h"
#include "skc-apply-private.h"
#include "skc-apply-varying-private.h"

#include <stdlib.h>
#include <string.h>

#define IMG_W    128
#define IMG_H    96
#define MARGIN   16      /* interior frame for the dense comparisons */

/* The dense truths and the PSNRs against them on every pixel of the
 * interior; every 2nd in x and y under the sanitizers (test_sanitized:
 * each pixel's kernel is drawn anew), same floors. */
static int truth_step = 1;

/* ---------------------------------------------------------------- helpers */

static SkcFamily *
fit_family (const SkcShapeParams *shape, const SkcKernel *kernel,
            float min_size, float max_size, int n_bases)
{
  SkcFitOptions o;
  SkcFamily    *f = NULL;
  double        t0 = skc_time_now ();

  skc_fit_options_init (&o);
  o.n_samples = 12;
  o.n_layers = 4;
  o.steps = 300;
  CHECK_OK (skc_family_fit (shape, kernel, min_size, max_size, n_bases, &o,
                            &f));
  if (f)
    printf ("family %s: %d bases %.1f..%.1f px, 12x4, fit %.2f s\n",
            f->bases[0]->kernel_name, f->n_bases, (double) f->sizes[0],
            (double) f->sizes[f->n_bases - 1], skc_time_now () - t0);
  return f;
}

/* The whole image in, the whole image out. */
static SkcStatus
apply_whole (const SkcFamily *f, const float *field, const float *in,
             float *out, int n_threads, int tile)
{
  SkcApplyOptions o;
  SkcRect         all = test_rect (0, 0, IMG_W, IMG_H);

  skc_apply_options_init (&o);
  o.n_threads = n_threads;
  o.tile_size = tile;
  return skc_apply_varying_rgba (f, field, skc_in_view (in, 4 * IMG_W, all),
                                 all, skc_out_view (out, 4 * IMG_W, all), &o);
}

/* The dense per-pixel truth over the interior, RGB (3 floats a pixel).
 * Kernels are reused along runs of equal (size, angle). */
static void
dense_truth (const SkcShapeParams *shape, const SkcKernel *kernel,
             const float *field, const float *in, float *gt)
{
  SkcKernel *k = NULL;
  float      ks = -1.0f, ka = 0.0f;

  for (int y = MARGIN; y < IMG_H - MARGIN; y += truth_step)
    for (int x = MARGIN; x < IMG_W - MARGIN; x += truth_step)
      {
        float  s = field[2 * (y * IMG_W + x)];
        float  a = field[2 * (y * IMG_W + x) + 1];
        double acc[3] = { 0, 0, 0 };

        if (!(s > 0.0f))
          {
            for (int c = 0; c < 3; c++)
              gt[3 * (y * IMG_W + x) + c] = in[4 * (y * IMG_W + x) + c];
            continue;
          }
        if (!k || s != ks || a != ka)
          {
            skc_kernel_free (k);
            k = NULL;
            if (skc_family_target (shape, kernel, s, a, &k) != SKC_OK)
              {
                CHECK (0, "skc_family_target failed at (%d, %d)", x, y);
                return;
              }
            ks = s;
            ka = a;
          }
        for (int j = 0; j < k->height; j++)
          for (int i = 0; i < k->width; i++)
            {
              int          sx = x - (i - k->width / 2);
              int          sy = y - (j - k->height / 2);
              float        w = k->data[j * k->width + i];
              const float *q;

              if (w == 0.0f)
                continue;
              sx = sx < 0 ? 0 : sx >= IMG_W ? IMG_W - 1 : sx;
              sy = sy < 0 ? 0 : sy >= IMG_H ? IMG_H - 1 : sy;
              q = in + 4 * (sy * IMG_W + sx);
              acc[0] += w * q[0];
              acc[1] += w * q[1];
              acc[2] += w * q[2];
            }
        for (int c = 0; c < 3; c++)
          gt[3 * (y * IMG_W + x) + c] = (float) acc[c];
      }
  skc_kernel_free (k);
}

static SkcStatus apply_tuned (const SkcFamily *f, const float *field,
                              const float *in, float *out, SkcSimdPath path,
                              int max_run, int no_cache, float lone_rate,
                              SkcVaryingStats *stats);

/* PSNR (peak 1) of @out against the dense truth @gt, RGB, interior. */
static double
interior_psnr (const float *out, const float *gt)
{
  float *a = malloc (sizeof (float) * 3 * IMG_W * IMG_H);
  float *b = malloc (sizeof (float) * 3 * IMG_W * IMG_H);
  size_t n = 0;
  double p;

  for (int y = MARGIN; y < IMG_H - MARGIN; y += truth_step)
    for (int x = MARGIN; x < IMG_W - MARGIN; x += truth_step)
      for (int c = 0; c < 3; c++)
        {
          a[n] = out[4 * (y * IMG_W + x) + c];
          b[n] = gt[3 * (y * IMG_W + x) + c];
          n++;
        }
  p = skc_psnr (a, b, n, 1.0);
  free (a);
  free (b);
  return p;
}

/* PSNR (peak 1) of the varying apply against the dense truth, RGB, over
 * the interior; beside it, the apply with every pixel quantised (runs
 * only) and with every pixel on the exact per-pixel path (no
 * quantisation, the apply as it was before runs): the quantised stencils
 * must cost at most 0.5 dB. */
static double
effect_psnr (const char *what, const SkcShapeParams *shape,
             const SkcKernel *kernel, const SkcFamily *f, const float *field,
             const float *in)
{
  float  *out = malloc (sizeof (float) * 4 * IMG_W * IMG_H);
  float  *gt = calloc (3 * IMG_W * IMG_H, sizeof (float));
  double  p, p_runs, p_exact, t0, t1;

  t0 = skc_time_now ();
  CHECK_OK (apply_whole (f, field, in, out, 0, 0));
  t1 = skc_time_now ();
  dense_truth (shape, kernel, field, in, gt);
  p = interior_psnr (out, gt);
  printf ("%-30s PSNR %.2f dB against the dense per-pixel truth "
          "(apply %.1f ms, truth %.0f ms)\n", what, p, (t1 - t0) * 1e3,
          (skc_time_now () - t1) * 1e3);
  CHECK_OK (apply_tuned (f, field, in, out, SKC_SIMD_COUNT, 0, 0, INFINITY,
                         NULL));
  p_runs = interior_psnr (out, gt);
  CHECK_OK (apply_tuned (f, field, in, out, SKC_SIMD_COUNT, 0, 0, -1.0f,
                         NULL));
  p_exact = interior_psnr (out, gt);
  printf ("%-30s      %.2f dB every pixel quantised, %.2f dB every pixel "
          "exact\n", "", p_runs, p_exact);
  CHECK (p > p_exact - 0.5 && p_runs > p_exact - 0.5,
         "%s: quantised %.2f / %.2f dB, exact %.2f dB", what, p, p_runs,
         p_exact);
  free (out);
  free (gt);
  return p;
}

/* A horizontal line kernel: a box of @len pixels along x with anti-aliased
 * ends and a Gaussian profile of @sigma across, odd square canvas. */
static SkcKernel *
line_kernel (int len, double sigma)
{
  int        side = (len + 4) | 1;
  SkcKernel *k = NULL;

  CHECK_OK (skc_kernel_new (side, side, &k));
  for (int j = 0; j < side; j++)
    for (int i = 0; i < side; i++)
      {
        double dx = fabs ((double) (i - side / 2));
        double dy = j - side / 2;
        double along = fmin (fmax (len / 2.0 + 0.5 - dx, 0.0), 1.0);

        k->data[j * side + i]
          = (float) (along * exp (-dy * dy / (2 * sigma * sigma)));
      }
  CHECK_OK (skc_kernel_normalize (k));
  return k;
}

/* Kernel PSNR of @a against @b (odd squares, centred; peak of @b). */
static double
kernel_psnr (const SkcKernel *a, const SkcKernel *b)
{
  int    s = a->width > b->width ? a->width : b->width;
  float *x = calloc ((size_t) s * s, sizeof *x);
  float *y = calloc ((size_t) s * s, sizeof *y);
  double p;

  for (int j = 0; j < a->height; j++)
    for (int i = 0; i < a->width; i++)
      x[(j + s / 2 - a->height / 2) * s + i + s / 2 - a->width / 2]
        = a->data[j * a->width + i];
  for (int j = 0; j < b->height; j++)
    for (int i = 0; i < b->width; i++)
      y[(j + s / 2 - b->height / 2) * s + i + s / 2 - b->width / 2]
        = b->data[j * b->width + i];
  p = skc_psnr (x, y, (size_t) s * s, skc_kernel_peak (b));
  free (x);
  free (y);
  return p;
}

/* The impulse response of @c on an odd square of side @side. */
static SkcKernel *
response (const SkcComplex *c, int side)
{
  SkcKernel *k = NULL;

  CHECK_OK (skc_kernel_new (side, side, &k));
  CHECK_OK (skc_complex_synthesize (c, side, side, k->data));
  return k;
}

/* ---------------------------------------------------------------- targets */

/* The family's dense targets agree with skc_shape_render: a shape of
 * diameter d is drawn on a canvas of d + 2, rotation counter-clockwise. */
static void
test_targets (void)
{
  const char *names[] = { "disk", "hexagon", "heart", "coma" };

  for (int n = 0; n < 4; n++)
    for (int side = 7; side <= 31; side += 12)
      {
        SkcShapeParams p;
        SkcKernel     *t = NULL, *r = NULL, *u = NULL;
        double         pr, pu;

        skc_shape_params_from_name (names[n], &p);
        p.side_px = side;
        p.rotation_deg = 40.0f;
        CHECK_OK (skc_shape_render (&p, &r));
        p.rotation_deg = 10.0f;
        CHECK_OK (skc_family_target (&p, NULL, side - 2.0f,
                                     (float) (30.0 * M_PI / 180.0), &t));
        if (!t || !r)
          continue;
        pr = kernel_psnr (t, r);
        CHECK (pr > 40.0, "%s %d px: target vs render %.2f dB", names[n],
               side, pr);
        CHECK_NEAR (skc_kernel_sum (t), 1.0, 1e-5, "target unit sum");
        /* The rendered kernel as a user kernel: same size, same kernel. */
        CHECK_OK (skc_family_target (NULL, r, side - 2.0f, 0.0f, &u));
        pu = u ? kernel_psnr (u, r) : 0.0;
        CHECK (pu > 40.0, "%s %d px: user kernel at its own size %.2f dB",
               names[n], side, pu);
        skc_kernel_free (t);
        skc_kernel_free (r);
        skc_kernel_free (u);

        /* Drawn four times larger and handed in as a kernel: resampled
         * down, it is close to the shape drawn at the size. */
        p.side_px = 4 * side - 1;
        p.rotation_deg = 0.0f;
        CHECK_OK (skc_shape_render (&p, &r));
        CHECK_OK (skc_family_target (NULL, r, side - 2.0f, 0.5f, &u));
        p.rotation_deg = 0.0f;
        CHECK_OK (skc_family_target (&p, NULL, side - 2.0f, 0.5f, &t));
        pu = u && t ? kernel_psnr (u, t) : 0.0;
        printf ("%-8s %2d px: target vs render %.2f dB, 4x user kernel "
                "resampled %.2f dB\n", names[n], side, pr, pu);
        CHECK (pu > 38.0, "%s %d px: 4x user kernel resampled %.2f dB",
               names[n], side, pu);
        skc_kernel_free (t);
        skc_kernel_free (r);
        skc_kernel_free (u);
      }
}

/* ---------------------------------------------------------------- eval */

static void
test_eval (const SkcFamily *f)
{
  SkcComplex *c = NULL;
  int         n;

  CHECK_OK (skc_complex_copy (f->bases[0], &c));
  if (!c)
    return;
  n = skc_complex_total_taps (c);

  /* Structure and sizes. */
  for (int k = 1; k < f->n_bases; k++)
    {
      CHECK (f->sizes[k] > f->sizes[k - 1], "sizes increase");
      CHECK (f->bases[k]->n_layers == c->n_layers
             && !memcmp (f->bases[k]->n_samples, c->n_samples,
                         sizeof c->n_samples), "same structure");
      CHECK_NEAR (f->sizes[k] / f->sizes[k - 1], f->sizes[1] / f->sizes[0],
                  1e-4, "geometric sizes");
    }

  /* At a basis size, that basis exactly. */
  for (int k = 0; k < f->n_bases; k++)
    {
      CHECK_OK (skc_family_eval (f, f->sizes[k], 0.0f, c));
      CHECK (!memcmp (c->taps, f->bases[k]->taps, n * sizeof (SkcTap)),
             "eval at basis %d size returns the basis", k);
    }

  /* Another structure is left alone. */
  {
    SkcComplex *other = NULL;

    CHECK_OK (skc_complex_new_uniform (c->n_layers, c->n_samples[0] + 1,
                                       &other));
    if (other)
      {
        other->taps[0].ox = 42.0f;
        CHECK (skc_family_eval (f, f->sizes[1], 0.0f, other)
               == SKC_ERR_INVALID, "eval into a wrong structure refused");
        CHECK (other->taps[0].ox == 42.0f, "eval into a wrong structure");
        skc_complex_free (other);
      }
  }

  /* Size 0: all offsets zero, each layer sums to 1 (the identity). */
  CHECK_OK (skc_family_eval (f, 0.0f, 1.0f, c));
  {
    int zero = 1;

    for (int i = 0; i < n; i++)
      zero &= c->taps[i].ox == 0.0f && c->taps[i].oy == 0.0f;
    CHECK (zero, "size 0: offsets zero");
    CHECK_NEAR (skc_complex_gain (c), 1.0, 1e-5, "size 0: gain 1");
  }

  /* Halfway (in size) between two bases: the tap-wise mean. */
  {
    float s = 0.5f * (f->sizes[1] + f->sizes[2]);

    CHECK_OK (skc_family_eval (f, s, 0.0f, c));
    for (int i = 0; i < n; i += 7)
      CHECK_NEAR (c->taps[i].ox,
                  0.5 * (f->bases[1]->taps[i].ox + f->bases[2]->taps[i].ox),
                  1e-4, "midpoint ox");
  }

  /* Below the first basis and beyond the last: offsets scaled. */
  CHECK_OK (skc_family_eval (f, 0.5f * f->sizes[0], 0.0f, c));
  CHECK_NEAR (c->taps[3].ox, 0.5 * f->bases[0]->taps[3].ox, 1e-6,
              "half the first basis");
  CHECK_NEAR (c->taps[3].w, f->bases[0]->taps[3].w, 0.0, "weights kept");
  CHECK_OK (skc_family_eval (f, 2.0f * f->sizes[f->n_bases - 1], 0.0f, c));
  CHECK_NEAR (c->taps[5].oy, 2.0 * f->bases[f->n_bases - 1]->taps[5].oy, 1e-5,
              "twice the last basis");

  /* The halo grows with the size and covers the rotated taps. */
  CHECK (skc_family_halo (f, 0.0f) == 1, "halo at size 0: %d",
         skc_family_halo (f, 0.0f));
  CHECK (skc_family_halo (f, f->sizes[0]) <= skc_family_halo (f, f->sizes[2])
         && skc_family_halo (f, f->sizes[2])
            <= skc_family_halo (f, 2 * f->sizes[f->n_bases - 1]),
         "halo is monotonic");
  {
    float s = f->sizes[f->n_bases - 1];
    int   h = 1;

    CHECK_OK (skc_family_eval (f, s, 0.7f, c));
    for (int l = 0; l < c->n_layers; l++)
      {
        const SkcTap *t = skc_complex_layer (c, l);
        double        m = 0.0;

        for (int i = 0; i < c->n_samples[l]; i++)
          m = fmax (m, fmax (fabs (t[i].ox), fabs (t[i].oy)));
        h += (int) ceil (m);
      }
    CHECK (skc_family_halo (f, s) >= h, "halo %d covers rotated reach %d",
           skc_family_halo (f, s), h);
  }
  skc_complex_free (c);
}

/* Rotation: counter-clockwise on screen, y down.  One tap at ox = 3 puts
 * an impulse 3 px to the left; turned by 90 degrees it must go down
 * (left -> down is counter-clockwise on screen). */
static void
test_rotation_impulse (void)
{
  SkcFamily   f;
  SkcComplex *b = NULL, *c = NULL;
  float      *in = calloc (4 * IMG_W * IMG_H, sizeof (float));
  float      *out = malloc (sizeof (float) * 4 * IMG_W * IMG_H);
  float      *field = malloc (sizeof (float) * 2 * IMG_W * IMG_H);
  int         px = 40, py = 30;

  memset (&f, 0, sizeof f);
  CHECK_OK (skc_complex_new_uniform (1, 1, &b));
  b->taps[0].ox = 3.0f;
  b->taps[0].w = 1.0f;
  f.n_bases = 1;
  f.sizes[0] = 10.0f;
  f.bases[0] = b;
  CHECK_OK (skc_complex_copy (b, &c));
  CHECK_OK (skc_family_eval (&f, 10.0f, (float) (M_PI / 2), c));
  CHECK_NEAR (c->taps[0].ox, 0.0, 1e-6, "rotated ox");
  CHECK_NEAR (c->taps[0].oy, -3.0, 1e-6, "rotated oy: up");

  /* The apply gathers with the (size, angle) quantised so that no offset
   * moves by 1/16 px or more (skc-apply-varying.c): the impulse lands
   * where the quantised tap says, within 1/16 px of the exact place. */
  in[4 * (py * IMG_W + px)] = 1.0f;
  for (int deg = 90; deg >= 30; deg -= 60)
    {
      float  a = (float) (deg * M_PI / 180.0), qs, qa;
      double sx = 0, sy = 0, sw = 0, ox, oy;

      for (int i = 0; i < IMG_W * IMG_H; i++)
        {
          field[2 * i] = 10.0f;
          field[2 * i + 1] = a;
        }
      CHECK_OK (apply_whole (&f, field, in, out, 1, 0));
      CHECK_OK (skc_vary_quantise (&f, 0, 10.0f, a, &qs, &qa));
      ox = 3.0 * qs / 10.0 * cos (qa);
      oy = -3.0 * qs / 10.0 * sin (qa);
      for (int y = py - 5; y <= py + 5; y++)
        for (int x = px - 5; x <= px + 5; x++)
          {
            double v = out[4 * (y * IMG_W + x)];

            sx += v * (x - px);
            sy += v * (y - py);
            sw += v;
          }
      CHECK_NEAR (sw, 1.0, 1e-5, "rotated impulse keeps its mass");
      /* the impulse at P shows at P - o */
      CHECK_NEAR (sx / sw, -ox, 1e-4, "centroid x: the quantised tap");
      CHECK_NEAR (sy / sw, -oy, 1e-4, "centroid y: the quantised tap");
      CHECK (hypot (sx / sw + 3.0 * cos (a), sy / sw - 3.0 * sin (a))
             < SKC_VARY_OFFSET_BOUND, "%d deg: centroid (%.4f, %.4f) within "
             "1/16 px of (%.4f, %.4f)", deg, sx / sw, sy / sw,
             -3.0 * cos (a), 3.0 * sin (a));
      if (deg == 90)
        CHECK (out[4 * ((py + 3) * IMG_W + px)] > 0.9f,
               "impulse turned from left to down (%.4f)",
               (double) out[4 * ((py + 3) * IMG_W + px)]);
    }
  skc_complex_free (b);
  skc_complex_free (c);
  free (in);
  free (out);
  free (field);
}

/* An asymmetric kernel turned by the family matches the shape drawn at that
 * rotation, and not the one turned the other way. */
static void
test_rotation_shape (const SkcShapeParams *heart, const SkcFamily *f)
{
  SkcComplex *c = NULL;
  float       s = f->sizes[f->n_bases - 1];

  CHECK_OK (skc_complex_copy (f->bases[0], &c));
  for (int deg = 30; deg <= 90; deg += 60)
    {
      float      a = (float) (deg * M_PI / 180.0);
      SkcKernel *right = NULL, *wrong = NULL, *r;
      double     pr, pw;

      CHECK_OK (skc_family_eval (f, s, a, c));
      CHECK_OK (skc_family_target (heart, NULL, s, a, &right));
      CHECK_OK (skc_family_target (heart, NULL, s, -a, &wrong));
      r = response (c, right->width);
      pr = kernel_psnr (r, right);
      pw = kernel_psnr (r, wrong);
      printf ("heart turned %d deg: %.2f dB against the shape at +%d, "
              "%.2f dB at -%d\n", deg, pr, deg, pw, deg);
      /* Fitted heart, 12x4: 19 dB pixel by pixel (hard edges are matched
       * far better in the image domain), the wrong way round 6-10 dB
       * below. */
      CHECK (pr > 17.0 && pr > pw + 5.0, "rotation direction (%.2f vs %.2f)",
             pr, pw);
      skc_kernel_free (right);
      skc_kernel_free (wrong);
      skc_kernel_free (r);
    }
  skc_complex_free (c);
}

/* ---------------------------------------------------------------- apply */

/* Size 0 everywhere: the image comes back unchanged. */
static void
test_identity (const SkcFamily *f, const float *in)
{
  float *out = malloc (sizeof (float) * 4 * IMG_W * IMG_H);
  float *field = calloc (2 * IMG_W * IMG_H, sizeof (float));

  CHECK_OK (apply_whole (f, field, in, out, 0, 0));
  CHECK (!memcmp (in, out, sizeof (float) * 4 * IMG_W * IMG_H),
         "size 0 is the identity");
  free (out);
  free (field);
}

/* The complex the varying apply uses at a pixel of (@s, @a): layer l of
 * the family evaluated at layer l's quantised (size, angle). */
static void
quantised_complex (const SkcFamily *f, float s, float a, SkcComplex *c,
                   SkcComplex *tmp)
{
  for (int l = 0; l < c->n_layers; l++)
    {
      float qs, qa;

      CHECK_OK (skc_vary_quantise (f, l, s, a, &qs, &qa));
      CHECK_OK (skc_family_eval (f, qs, qa, tmp));
      memcpy (skc_complex_layer (c, l), skc_complex_layer (tmp, l),
              sizeof (SkcTap) * c->n_samples[l]);
    }
}

/* A uniform field equals the reference apply of the complex at the
 * quantised (size, angle), every channel, borders included; and comes
 * close to the complex at the exact (size, angle). */
static void
test_uniform_reference (const SkcFamily *f, const float *in)
{
  float      *out = malloc (sizeof (float) * 4 * IMG_W * IMG_H);
  float      *field = malloc (sizeof (float) * 2 * IMG_W * IMG_H);
  float      *plane = malloc (sizeof (float) * IMG_W * IMG_H);
  float      *ref = malloc (sizeof (float) * IMG_W * IMG_H);
  float      *exact = malloc (sizeof (float) * IMG_W * IMG_H);
  SkcComplex *c = NULL, *e = NULL;
  const float sizes[] = { 1.7f, 7.3f, 16.0f, 30.0f };

  CHECK_OK (skc_complex_copy (f->bases[0], &c));
  CHECK_OK (skc_complex_copy (f->bases[0], &e));
  for (int t = 0; t < 4; t++)
    {
      float  s = sizes[t], a = t * 0.9f;
      double err = 0.0, dev = 0.0;

      for (int i = 0; i < IMG_W * IMG_H; i++)
        {
          field[2 * i] = s;
          field[2 * i + 1] = a;
        }
      quantised_complex (f, s, a, c, e);
      CHECK_OK (skc_family_eval (f, s, a, e));
      CHECK_OK (apply_whole (f, field, in, out, 0, 0));
      for (int ch = 0; ch < 4; ch++)
        {
          for (int i = 0; i < IMG_W * IMG_H; i++)
            plane[i] = in[4 * i + ch];
          CHECK_OK (skc_complex_apply_plane (c, plane, IMG_W, IMG_H, ref));
          CHECK_OK (skc_complex_apply_plane (e, plane, IMG_W, IMG_H, exact));
          for (int i = 0; i < IMG_W * IMG_H; i++)
            {
              err = fmax (err, fabs (ref[i] - out[4 * i + ch]));
              dev = fmax (dev, fabs (exact[i] - out[4 * i + ch]));
            }
        }
      /* float accumulation against double: 4 passes of <= 12 taps on
       * values <= 1 stay far below 1e-5 */
      CHECK (err < 1e-5, "uniform field %.1f px: max |diff| %.3g vs reference",
             (double) s, err);
      /* taps within 1/16 px on a photo: a fraction of its steepest step */
      printf ("uniform field %4.1f px: max |diff| %.2g vs the quantised "
              "reference, %.2g vs the exact one\n", (double) s, err, dev);
      /* every pixel on the exact per-pixel path: the exact reference */
      CHECK_OK (apply_tuned (f, field, in, out, SKC_SIMD_COUNT, 0, 0, -1.0f,
                             NULL));
      err = 0.0;
      for (int ch = 0; ch < 4; ch++)
        {
          for (int i = 0; i < IMG_W * IMG_H; i++)
            plane[i] = in[4 * i + ch];
          CHECK_OK (skc_complex_apply_plane (e, plane, IMG_W, IMG_H, exact));
          for (int i = 0; i < IMG_W * IMG_H; i++)
            err = fmax (err, fabs (exact[i] - out[4 * i + ch]));
        }
      CHECK (err < 1e-5, "uniform field %.1f px, exact path: max |diff| %.3g "
             "vs reference", (double) s, err);
      CHECK (dev < 0.03, "uniform field %.1f px: max |diff| %.3g vs the "
             "exact (size, angle)", (double) s, dev);
    }
  skc_complex_free (c);
  skc_complex_free (e);
  free (exact);
  free (out);
  free (field);
  free (plane);
  free (ref);
}

/* @out (whole image) from tiles of @tw x @th, each given only its own
 * input rectangle and field (@lone_rate: see SkcVaryingTuning). */
static void
tiled_apply (const SkcFamily *f, const float *in, const float *field, int tw,
             int th, float lone_rate, float *out)
{
  SkcVaryingTuning tu = { SKC_SIMD_COUNT, 0, 0, NULL, lone_rate };
  float           s_max = 0.0f;
  int             halo;
  SkcRect         all = test_rect (0, 0, IMG_W, IMG_H);
  SkcApplyOptions o;

  for (int i = 0; i < IMG_W * IMG_H; i++)
    s_max = fmaxf (s_max, field[2 * i]);
  halo = skc_family_halo (f, s_max);
  skc_apply_options_init (&o);
  o.n_threads = 2;
  for (int ty = 0; ty < IMG_H; ty += th)
    for (int tx = 0; tx < IMG_W; tx += tw)
      {
        SkcRect roi = test_rect (tx, ty, tx + tw > IMG_W ? IMG_W - tx : tw,
                            ty + th > IMG_H ? IMG_H - ty : th);
        int     x0 = roi.x - halo < 0 ? 0 : roi.x - halo;
        int     y0 = roi.y - halo < 0 ? 0 : roi.y - halo;
        int     x1 = roi.x + roi.width + halo;
        int     y1 = roi.y + roi.height + halo;
        SkcRect ir;
        float  *tin, *tf, *tout;

        x1 = x1 > IMG_W ? IMG_W : x1;
        y1 = y1 > IMG_H ? IMG_H : y1;
        ir = test_rect (x0, y0, x1 - x0, y1 - y0);
        tin = malloc (sizeof (float) * 4 * ir.width * ir.height);
        tf = malloc (sizeof (float) * 2 * ir.width * ir.height);
        tout = malloc (sizeof (float) * 4 * roi.width * roi.height);
        for (int y = 0; y < ir.height; y++)
          {
            memcpy (tin + 4 * y * ir.width, in + 4 * ((y + y0) * IMG_W + x0),
                    sizeof (float) * 4 * ir.width);
            memcpy (tf + 2 * y * ir.width, field + 2 * ((y + y0) * IMG_W + x0),
                    sizeof (float) * 2 * ir.width);
          }
        CHECK_OK (skc_apply_varying_rgba_tuned (f, tf,
                                                skc_in_view (tin, 4 * ir.width, ir),
                                                all,
                                                skc_out_view (tout, 4 * roi.width, roi),
                                                &o, &tu));
        for (int y = 0; y < roi.height; y++)
          memcpy (out + 4 * ((y + roi.y) * IMG_W + roi.x),
                  tout + 4 * y * roi.width, sizeof (float) * 4 * roi.width);
        /* One pixel less of input is refused (its field cropped too,
         * lest a smaller largest size shrink the halo). */
        if (ir.x > 0)
          {
            SkcRect small = test_rect (ir.x + 1, ir.y, ir.width - 1, ir.height);
            float  *sf = malloc (sizeof (float) * 2 * small.width
                                 * small.height);
            float   sm = 0.0f;
            int     need;

            for (int y = 0; y < small.height; y++)
              memcpy (sf + 2 * y * small.width, tf + 2 * (y * ir.width + 1),
                      sizeof (float) * 2 * small.width);
            for (int i = 0; i < small.width * small.height; i++)
              sm = fmaxf (sm, sf[2 * i]);
            need = roi.x - skc_family_halo (f, sm);
            CHECK ((skc_apply_varying_rgba (f, sf,
                                            skc_in_view (tin + 4, 4 * ir.width, small),
                                            all,
                                            skc_out_view (tout, 4 * roi.width, roi),
                                            &o) == SKC_ERR_INVALID)
                   == ((need > 0 ? need : 0) < small.x),
                   "in_rect smaller than roi + halo");
            free (sf);
          }
        free (tin);
        free (tf);
        free (tout);
      }
}

static SkcStatus
apply_tuned (const SkcFamily *f, const float *field, const float *in,
             float *out, SkcSimdPath path, int max_run, int no_cache,
             float lone_rate, SkcVaryingStats *stats)
{
  SkcApplyOptions  o;
  SkcVaryingTuning t = { path, max_run, no_cache, stats, lone_rate };
  SkcRect          all = test_rect (0, 0, IMG_W, IMG_H);

  skc_apply_options_init (&o);
  o.n_threads = 2;
  return skc_apply_varying_rgba_tuned (f, field,
                                       skc_in_view (in, 4 * IMG_W, all), all,
                                       skc_out_view (out, 4 * IMG_W, all), &o,
                                       &t);
}

/* Any split into rectangles, tiles or threads gives the same bits, and
 * so does any cut of the rows into runs: a pixel's value depends on the
 * field alone (its own value, and its horizontal neighbours' for the
 * choice between a quantised stencil and the exact per-pixel path).
 * Every pixel in a run or alone is the same folded sum in the same
 * order.  Tiles of 37 x 23 put tile edges inside runs and between lone
 * and quantised pixels.  Checked for the default choice, for every pixel
 * quantised and for every pixel exact; @what names the field. */
static void
test_invariance (const char *what, const SkcFamily *f, const float *in,
                 const float *field)
{
  size_t          n = (size_t) 4 * IMG_W * IMG_H;
  float          *a = malloc (n * sizeof (float));
  float          *b = malloc (n * sizeof (float));
  float          *c = calloc (n, sizeof (float));
  SkcVaryingStats st;
  const int       runs[] = { 1, 2, 3, 7, 16, 17 };
  const float     rates[] = { 0.0f, INFINITY, -1.0f };
  const char     *modes[] = { "default", "all quantised", "all exact" };

  CHECK_OK (apply_whole (f, field, in, a, 1, 0));
  CHECK_OK (apply_whole (f, field, in, b, 3, 5));
  CHECK (!memcmp (a, b, n * sizeof (float)),
         "%s: 1 thread == 3 threads, tiles of 5", what);
  CHECK_OK (apply_whole (f, field, in, b, 2, 1));
  CHECK (!memcmp (a, b, n * sizeof (float)), "%s: tiles of 1 px", what);
  CHECK_OK (apply_tuned (f, field, in, b, SKC_SIMD_COUNT, 0, 0, 0.0f, &st));
  CHECK (!memcmp (a, b, n * sizeof (float)), "%s: tuned, default == public",
         what);
  printf ("%-30s %3.0f%% lone, %3.0f%% identity, %5.1f px a run, "
          "%5.2f folds per 100 px, %.1f%% clamped at borders\n", what,
          100.0 * st.lone / st.pixels, 100.0 * st.identity / st.pixels,
          (double) (st.gathered + st.clamped) / (st.runs ? st.runs : 1),
          100.0 * st.folds / st.pixels, 100.0 * st.clamped / st.pixels);
  CHECK (st.pixels >= (uint64_t) IMG_W * IMG_H * f->bases[0]->n_layers
         && st.gathered + st.clamped + st.identity + st.lone == st.pixels,
         "%s: stats add up", what);

  for (int m = 0; m < 3; m++)
    {
      CHECK_OK (apply_tuned (f, field, in, a, SKC_SIMD_COUNT, 0, 0, rates[m],
                             &st));
      CHECK (m != 1 || st.lone == 0, "%s, %s: no lone pixel", what,
             modes[m]);
      CHECK (m != 2 || st.lone + st.identity == st.pixels,
             "%s, %s: every pixel lone", what, modes[m]);
      memset (c, 0, n * sizeof (float));
      tiled_apply (f, in, field, 50, 40, rates[m], c);
      CHECK (!memcmp (a, c, n * sizeof (float)), "%s, %s: tiles 50 x 40 == "
             "whole image", what, modes[m]);
      memset (c, 0, n * sizeof (float));
      tiled_apply (f, in, field, 37, 23, rates[m], c);
      CHECK (!memcmp (a, c, n * sizeof (float)), "%s, %s: tiles 37 x 23 == "
             "whole image", what, modes[m]);

      /* Runs cut short, down to every pixel on its own (the per-pixel
       * path of the stencils): the same bits. */
      for (int i = 0; i < (int) (sizeof runs / sizeof runs[0]); i++)
        {
          CHECK_OK (apply_tuned (f, field, in, b, SKC_SIMD_COUNT, runs[i], 0,
                                 rates[m], NULL));
          CHECK (!memcmp (a, b, n * sizeof (float)), "%s, %s: runs of at most "
                 "%d px == whole runs", what, modes[m], runs[i]);
        }
      CHECK_OK (apply_tuned (f, field, in, b, SKC_SIMD_COUNT, 0, 1, rates[m],
                             NULL));
      CHECK (!memcmp (a, b, n * sizeof (float)), "%s, %s: no stencil cache",
             what, modes[m]);

      /* Every SIMD path, runs whole and cut to single pixels: the same
       * bits. */
      for (int p = 0; p < SKC_SIMD_COUNT; p++)
        {
          if (!skc_simd_path_available ((SkcSimdPath) p))
            continue;
          CHECK_OK (apply_tuned (f, field, in, b, (SkcSimdPath) p, 0, 0,
                                 rates[m], NULL));
          CHECK (!memcmp (a, b, n * sizeof (float)), "%s, %s: path %s == "
                 "default", what, modes[m],
                 skc_simd_path_name ((SkcSimdPath) p));
          CHECK_OK (apply_tuned (f, field, in, b, (SkcSimdPath) p, 1, 0,
                                 rates[m], NULL));
          CHECK (!memcmp (a, b, n * sizeof (float)), "%s, %s: path %s, every "
                 "pixel alone == default", what, modes[m],
                 skc_simd_path_name ((SkcSimdPath) p));
        }
    }
  free (a);
  free (b);
  free (c);
}

/* The quantisation bound (skc-varying-keys.c): at any (size, angle) each
 * layer's quantised taps lie within 1/16 px of the exact ones, its weights
 * within 1/512 in sum, and the size is rounded down (never past the reach
 * the halo covers). */
static void
test_quantise_bound (const char *what, const SkcFamily *f)
{
  SkcComplex *x = NULL, *q = NULL;
  uint64_t    rng = 77;
  double      worst_o = 0.0, worst_w = 0.0;
  float       s_last = f->sizes[f->n_bases - 1];

  CHECK_OK (skc_complex_copy (f->bases[0], &x));
  CHECK_OK (skc_complex_copy (f->bases[0], &q));
  if (!x || !q)
    return;
  for (int it = 0; it < 2000; it++)
    {
      float s = (float) (test_rand (&rng) * 1.6 * s_last - 0.1 * s_last);
      float a = it % 3 == 0 ? 0.0f : (float) ((test_rand (&rng) - 0.5) * 20.0);

      if (it < 16)   /* the bases themselves, and just below them */
        s = f->sizes[it / 2 % f->n_bases] * (it % 2 ? 0.9999f : 1.0f);
      CHECK_OK (skc_family_eval (f, s, a, x));
      for (int l = 0; l < x->n_layers; l++)
        {
          float         qs, qa;
          const SkcTap *tx = skc_complex_layer (x, l);
          const SkcTap *tq;
          double        dw = 0.0, d = 0.0;

          CHECK_OK (skc_vary_quantise (f, l, s, a, &qs, &qa));
          CHECK (qs <= fmaxf (s, 0.0f) * (1.0f + 1e-6f),
                 "%s: size %.6g rounded down to %.6g", what, (double) s,
                 (double) qs);
          CHECK (qs >= 0.0f && (a != 0.0f || qa == 0.0f),
                 "%s: angle 0 stays 0", what);
          CHECK_OK (skc_family_eval (f, qs, qa, q));
          tq = skc_complex_layer (q, l);
          for (int i = 0; i < x->n_samples[l]; i++)
            {
              d = fmax (d, hypot (tq[i].ox - tx[i].ox, tq[i].oy - tx[i].oy));
              dw += fabs ((double) tq[i].w - tx[i].w);
            }
          worst_o = fmax (worst_o, d);
          worst_w = fmax (worst_w, dw);
          /* float arithmetic of the interpolation: 1e-4 px, 1e-6 */
          CHECK (d < SKC_VARY_OFFSET_BOUND + 1e-4 && dw < SKC_VARY_WEIGHT_BOUND
                 + 1e-6, "%s: layer %d at (%.4f, %.4f) -> (%.4f, %.4f): taps "
                 "moved %.4f px, weights %.2g", what, l, (double) s,
                 (double) a, (double) qs, (double) qa, d, dw);
        }
    }
  printf ("%-30s quantised taps within %.4f px (bound %.4f), weights "
          "within %.2g (bound %.2g)\n", what, worst_o, SKC_VARY_OFFSET_BOUND,
          worst_w, SKC_VARY_WEIGHT_BOUND);
  skc_complex_free (x);
  skc_complex_free (q);
}

/* ---------------------------------------------------------------- effects */

static float *
make_field (const SkcVaryParams *vp)
{
  float *field = malloc (sizeof (float) * 2 * IMG_W * IMG_H);
  SkcRect r = test_rect (0, 0, IMG_W, IMG_H);

  CHECK_OK (skc_vary_field (vp, r, NULL, 0, r, field));
  return field;
}

static void
test_effects (void)
{
  float          *in = test_load_photo_rgba ("coffee.png", 300, 60,
                                             IMG_W, IMG_H);
  SkcShapeParams  disk, heart;
  SkcKernel      *line = line_kernel (31, 0.6);
  SkcKernel      *big_heart = NULL;
  SkcFamily      *fd, *fh, *fb, *fl;
  SkcVaryParams   vp;
  float          *field;
  double          p;

  if (!in)
    return;
  skc_shape_params_from_name ("disk", &disk);
  skc_shape_params_from_name ("heart", &heart);
  /* The heart for the rotational bokeh comes as a user kernel drawn large:
   * its per-pixel truth is then a fast resampling, not a fresh drawing. */
  heart.side_px = 43;
  CHECK_OK (skc_shape_render (&heart, &big_heart));
  fd = fit_family (&disk, NULL, 3.0f, 21.0f, 4);
  fh = fit_family (&heart, NULL, 3.0f, 21.0f, 4);
  fb = fit_family (NULL, big_heart, 3.0f, 21.0f, 4);
  fl = fit_family (NULL, line, 3.0f, 21.0f, 4);
  if (!fd || !fh || !fb || !fl)
    return;

  test_eval (fd);
  test_rotation_shape (&heart, fh);
  test_identity (fd, in);
  test_uniform_reference (fd, in);

  /* Tilt-shift: a tilted sharp band through the middle. */
  skc_vary_params_init (&vp, SKC_VARY_TILT_SHIFT);
  vp.diameter_px = 21.0f;
  vp.cx = IMG_W / 2.0f;
  vp.cy = IMG_H / 2.0f;
  vp.angle = 0.3f;
  vp.width = 12.0f;
  vp.falloff = 24.0f;
  field = make_field (&vp);
  p = effect_psnr ("tilt-shift, disk 3..21 px", &disk, NULL, fd, field, in);
  CHECK (p > 51.0, "tilt-shift PSNR %.2f dB", p);   /* 53.18 measured */
  test_invariance ("tilt-shift", fd, in, field);
  free (field);

  /* A depth map: smooth in both directions, so rows break into runs a
   * few dozen pixels long that cross tile edges. */
  {
    float  *map = malloc (sizeof (float) * IMG_W * IMG_H);
    SkcRect all = test_rect (0, 0, IMG_W, IMG_H);

    for (int y = 0; y < IMG_H; y++)
      for (int x = 0; x < IMG_W; x++)
        map[y * IMG_W + x] = (float) (0.5 + 0.45 * sin (x * 0.05 + 0.3)
                                      * cos (y * 0.04));
    skc_vary_params_init (&vp, SKC_VARY_MAP);
    vp.diameter_px = 21.0f;
    vp.focus = 0.1f;
    vp.range = 0.8f;
    field = malloc (sizeof (float) * 2 * IMG_W * IMG_H);
    CHECK_OK (skc_vary_field (&vp, all, map, IMG_W, all, field));
    p = effect_psnr ("depth map, disk 3..21 px", &disk, NULL, fd, field, in);
    CHECK (p > 49.5, "depth map PSNR %.2f dB", p);   /* 51.33 */
    test_invariance ("depth map", fd, in, field);
    /* A gentler map: long runs in the layers of short reach, lone
     * pixels where the widest layer's field changes fastest. */
    for (int y = 0; y < IMG_H; y++)
      for (int x = 0; x < IMG_W; x++)
        map[y * IMG_W + x] = (float) (0.5 + 0.1 * sin (x * 0.02 + 0.3)
                                      * cos (y * 0.03));
    CHECK_OK (skc_vary_field (&vp, all, map, IMG_W, all, field));
    p = effect_psnr ("gentle map, disk 3..21 px", &disk, NULL, fd, field,
                     in);
    CHECK (p > 59.0, "gentle map PSNR %.2f dB", p);   /* 61.36 */
    test_invariance ("gentle map", fd, in, field);
    /* Blur growing with y only: every row is a single run across every
     * tile edge. */
    for (int y = 0; y < IMG_H; y++)
      for (int x = 0; x < IMG_W; x++)
        {
          field[2 * (y * IMG_W + x)] = 21.0f * y / (IMG_H - 1);
          field[2 * (y * IMG_W + x) + 1] = 0.0f;
        }
    test_invariance ("rows of one size", fd, in, field);
    free (map);
    free (field);
  }

  /* Rotational bokeh: hearts turning around the centre, growing. */
  skc_vary_params_init (&vp, SKC_VARY_SPIN);
  vp.diameter_px = 21.0f;
  vp.cx = IMG_W / 2.0f;
  vp.cy = IMG_H / 2.0f;
  vp.radius = 60.0f;
  field = make_field (&vp);
  p = effect_psnr ("spin, heart 3..21 px", NULL, big_heart, fb, field, in);
  CHECK (p > 51.0, "spin PSNR %.2f dB", p);   /* 53.23 */
  test_invariance ("spin", fb, in, field);
  free (field);

  /* Radial motion blur: a line kernel along the radius. */
  skc_vary_params_init (&vp, SKC_VARY_ZOOM);
  vp.diameter_px = 21.0f;
  vp.cx = IMG_W / 2.0f;
  vp.cy = IMG_H / 2.0f;
  vp.radius = 60.0f;
  field = make_field (&vp);
  p = effect_psnr ("zoom, line 3..21 px", NULL, line, fl, field, in);
  CHECK (p > 52.0, "zoom PSNR %.2f dB", p);   /* 54.01 */
  test_invariance ("zoom", fl, in, field);
  free (field);

  test_quantise_bound ("disk family", fd);
  test_quantise_bound ("heart family", fh);
  test_quantise_bound ("user heart family", fb);
  test_quantise_bound ("line family", fl);

  skc_family_free (fd);
  skc_family_free (fh);
  skc_family_free (fb);
  skc_family_free (fl);
  skc_kernel_free (big_heart);
  skc_kernel_free (line);
  free (in);
}

/* ---------------------------------------------------------------- fields */

static void
test_fields (void)
{
  SkcVaryParams vp;
  float         f[2 * 64];
  float         map[4] = { 0.2f, 0.5f, 0.9f, 0.5f };

  /* Uniform. */
  skc_vary_params_init (&vp, SKC_VARY_UNIFORM);
  vp.diameter_px = 9.0f;
  vp.rotation_rad = 0.25f;
  CHECK_OK (skc_vary_field (&vp, test_rect (-3, 7, 2, 1), NULL, 0,
                            test_rect (0, 0, 0, 0), f));
  CHECK (f[0] == 9.0f && f[1] == 0.25f && f[2] == 9.0f, "uniform field");

  /* Tilt-shift: band at 30 degrees through (100, 50), width 10, falloff
   * 20, size 16.  Along the band: 0; across, at distance d from its
   * centre line: 16 clamp01 ((d - 5) / 20). */
  skc_vary_params_init (&vp, SKC_VARY_TILT_SHIFT);
  vp.diameter_px = 16.0f;
  vp.cx = 100.0f;
  vp.cy = 50.0f;
  vp.angle = (float) (M_PI / 6);
  vp.width = 10.0f;
  vp.falloff = 20.0f;
  {
    /* direction (cos a, -sin a) on screen; normal (sin a, cos a) */
    double dirx = cos (M_PI / 6), diry = -sin (M_PI / 6);
    double nx = sin (M_PI / 6), ny = cos (M_PI / 6);
    struct { double along, across, want; } pts[] = {
      { 0, 0, 0 }, { 40, 0, 0 }, { -40, 4, 0 }, { 0, 15, 8 },
      { 12, -15, 8 }, { 0, 25, 16 }, { 0, 60, 16 }, { 0, 10, 4 } };

    for (int i = 0; i < 8; i++)
      {
        /* pick the pixel nearest the point and compute its exact distance */
        double px = 100 + pts[i].along * dirx + pts[i].across * nx;
        double py = 50 + pts[i].along * diry + pts[i].across * ny;
        int    ix = (int) lround (px), iy = (int) lround (py);
        double d = fabs ((ix - 100) * nx + (iy - 50) * ny);
        double want = 16 * fmin (fmax ((d - 5) / 20, 0), 1);

        CHECK_OK (skc_vary_field (&vp, test_rect (ix, iy, 1, 1), NULL, 0,
                                  test_rect (0, 0, 0, 0), f));
        CHECK_NEAR (f[0], want, 1e-4, "tilt-shift size");
        CHECK_NEAR (f[0], pts[i].want, 16 * 0.75 / 20 + 1e-4,
                    "tilt-shift size near the nominal point");
        CHECK (f[1] == 0.0f, "tilt-shift angle is the rotation");
      }
  }

  /* Spin and zoom around (10, 10), radius 20, size 8. */
  skc_vary_params_init (&vp, SKC_VARY_SPIN);
  vp.diameter_px = 8.0f;
  vp.cx = 10.0f;
  vp.cy = 10.0f;
  vp.radius = 20.0f;
  for (int zoom = 0; zoom < 2; zoom++)
    {
      /* right, above, left, below, centre, far away (down-right) */
      int    xs[] = { 15, 10, 0, 10, 10, 40 };
      int    ys[] = { 10, 0, 10, 30, 10, 40 };
      double phi[] = { 0, M_PI / 2, M_PI, -M_PI / 2, 0, -M_PI / 4 };
      double size[] = { 2, 4, 4, 8, 0, 8 };

      vp.mode = zoom ? SKC_VARY_ZOOM : SKC_VARY_SPIN;
      vp.rotation_rad = 0.1f;
      for (int i = 0; i < 6; i++)
        {
          double want = 0.1 + phi[i] + (zoom ? 0 : M_PI / 2);

          CHECK_OK (skc_vary_field (&vp, test_rect (xs[i], ys[i], 1, 1), NULL, 0,
                                    test_rect (0, 0, 0, 0), f));
          CHECK_NEAR (f[0], size[i], 1e-5, zoom ? "zoom size" : "spin size");
          CHECK_NEAR (remainder (f[1] - want, 2 * M_PI), 0.0, 1e-5,
                      zoom ? "zoom angle" : "spin angle");
        }
    }

  /* Map: |m - focus| / range, clamped, with the map clamped at its edges. */
  skc_vary_params_init (&vp, SKC_VARY_MAP);
  vp.diameter_px = 10.0f;
  vp.focus = 0.5f;
  vp.range = 0.25f;
  CHECK_OK (skc_vary_field (&vp, test_rect (4, 6, 3, 2), map, 2,
                            test_rect (5, 6, 2, 2), f));
  /* row 6: x 4 -> map (5,6) = 0.2, x 5 -> 0.2, x 6 -> 0.5 */
  CHECK_NEAR (f[0], 10.0, 1e-5, "map clamped left: |0.2 - 0.5| / 0.25 > 1");
  CHECK_NEAR (f[2], 10.0, 1e-5, "map 0.2");
  CHECK_NEAR (f[4], 0.0, 1e-5, "map in focus");
  /* row 7: x 4 -> 0.9, x 5 -> 0.9, x 6 -> 0.5 */
  CHECK_NEAR (f[6], 10.0, 1e-5, "map 0.9");
  vp.range = 0.8f;
  CHECK_OK (skc_vary_field (&vp, test_rect (5, 7, 1, 1), map, 2,
                            test_rect (5, 6, 2, 2), f));
  CHECK_NEAR (f[0], 10.0 * 0.4 / 0.8, 1e-5, "map partial blur");
}

/* ------------------------------------------------------------ highlights */

static void
test_highlights (void)
{
  float px[8] = { 0.5f, 1.0f, 3.0f, 0.7f, 2.0f, -1.0f, 0.8f, 0.9f };
  float orig[8];

  memcpy (orig, px, sizeof px);
  skc_highlights_rgba (px, 2, 0.8f, 0.0f);
  CHECK (!memcmp (px, orig, sizeof px), "gain 0 is a no-op");
  skc_highlights_rgba (px, 2, 0.8f, 4.0f);
  CHECK (px[0] == 0.5f, "below threshold");
  CHECK_NEAR (px[1], 1.0 + 4.0 * 0.2, 1e-6, "v + gain (v - t)");
  CHECK_NEAR (px[2], 3.0 + 4.0 * 2.2, 1e-5, "bright");
  CHECK (px[3] == 0.7f, "alpha untouched");
  CHECK_NEAR (px[4], 2.0 + 4.0 * 1.2, 1e-5, "second pixel");
  CHECK (px[5] == -1.0f, "negative kept");
  CHECK (px[6] == 0.8f, "at threshold");
  CHECK (px[7] == 0.9f, "alpha untouched");
}

/* ---------------------------------------------------------------- errors */

static void
test_errors (void)
{
  SkcShapeParams  disk;
  SkcFitOptions   o;
  SkcFamily      *f = (SkcFamily *) 1;
  SkcVaryParams   vp;
  float           field[2 * 16], in[4 * 16], out[4 * 16];
  SkcFamily       fam;
  SkcComplex     *b = NULL;
  SkcRect         r4 = test_rect (0, 0, 4, 4);

  skc_shape_params_from_name ("disk", &disk);
  skc_fit_options_init (&o);
  o.steps = 1;
  o.n_samples = 2;
  o.n_layers = 1;
  CHECK (skc_family_fit (&disk, NULL, 0.0f, 9.0f, 3, &o, &f) == SKC_ERR_INVALID
         && f == NULL, "min size 0");
  CHECK (skc_family_fit (&disk, NULL, 9.0f, 3.0f, 3, &o, &f) == SKC_ERR_INVALID,
         "min > max");
  CHECK (skc_family_fit (&disk, NULL, 3.0f, 3.0f, 2, &o, &f) == SKC_ERR_INVALID,
         "two bases at one size");
  CHECK (skc_family_fit (&disk, NULL, 3.0f, 9.0f, 0, &o, &f) == SKC_ERR_INVALID,
         "no bases");
  CHECK (skc_family_fit (&disk, NULL, 3.0f, 9.0f, 17, &o, &f)
         == SKC_ERR_INVALID, "too many bases");
  CHECK (skc_family_fit (NULL, NULL, 3.0f, 9.0f, 3, &o, &f) == SKC_ERR_INVALID,
         "no shape");
  CHECK (skc_family_fit (&disk, NULL, 3.0f, NAN, 3, &o, &f) == SKC_ERR_INVALID,
         "NaN size");
  CHECK (skc_family_fit (&disk, NULL, 3.0f, 9.0f, 3, NULL, &f)
         == SKC_ERR_INVALID, "no options");
  CHECK (skc_family_fit (&disk, NULL, 3.0f, 5000.0f, 3, &o, &f)
         == SKC_ERR_INVALID, "size beyond the kernel limit");
  CHECK_OK (skc_family_fit (&disk, NULL, 3.0f, 5.0f, 1, &o, &f));
  if (f)
    CHECK (f->n_bases == 1 && f->sizes[0] == 5.0f, "one basis at max size");
  skc_family_free (f);
  skc_family_free (NULL);

  skc_vary_params_init (&vp, SKC_VARY_MAP);
  CHECK (skc_vary_field (&vp, r4, NULL, 4, r4, field) == SKC_ERR_INVALID,
         "map mode without a map");
  vp.range = 0.0f;
  CHECK (skc_vary_field (&vp, r4, in, 4, r4, field) == SKC_ERR_INVALID,
         "range 0");
  skc_vary_params_init (&vp, SKC_VARY_TILT_SHIFT);
  vp.falloff = 0.0f;
  CHECK (skc_vary_field (&vp, r4, NULL, 0, r4, field) == SKC_ERR_INVALID,
         "falloff 0");
  skc_vary_params_init (&vp, SKC_VARY_SPIN);
  vp.radius = -1.0f;
  CHECK (skc_vary_field (&vp, r4, NULL, 0, r4, field) == SKC_ERR_INVALID,
         "radius < 0");
  skc_vary_params_init (&vp, SKC_VARY_UNIFORM);
  vp.diameter_px = NAN;
  CHECK (skc_vary_field (&vp, r4, NULL, 0, r4, field) == SKC_ERR_INVALID,
         "NaN size");
  vp.diameter_px = 3.0f;
  vp.mode = (SkcVaryMode) 99;
  CHECK (skc_vary_field (&vp, r4, NULL, 0, r4, field) == SKC_ERR_INVALID,
         "unknown mode");
  vp.mode = SKC_VARY_UNIFORM;
  CHECK (skc_vary_field (&vp, test_rect (0, 0, -1, 4), NULL, 0, r4, field)
         == SKC_ERR_INVALID, "negative width");

  /* The apply. */
  memset (&fam, 0, sizeof fam);
  CHECK_OK (skc_complex_new_uniform (1, 1, &b));
  b->taps[0].ox = 1.0f;
  b->taps[0].w = 1.0f;
  fam.n_bases = 1;
  fam.sizes[0] = 2.0f;
  fam.bases[0] = b;
  for (int i = 0; i < 16; i++)
    {
      field[2 * i] = 2.0f;
      field[2 * i + 1] = 0.0f;
    }
  memset (in, 0, sizeof in);
  CHECK_OK (skc_apply_varying_rgba (&fam, field, skc_in_view (in, 16, r4), r4,
                                    skc_out_view (out, 16, r4), NULL));
  CHECK (skc_apply_varying_rgba (NULL, field, skc_in_view (in, 16, r4), r4,
                                 skc_out_view (out, 16, r4), NULL)
         == SKC_ERR_INVALID, "no family");
  CHECK (skc_apply_varying_rgba (&fam, NULL, skc_in_view (in, 16, r4), r4,
                                 skc_out_view (out, 16, r4), NULL)
         == SKC_ERR_INVALID, "no field");
  CHECK (skc_apply_varying_rgba (&fam, field, skc_in_view (in, 15, r4), r4,
                                 skc_out_view (out, 16, r4), NULL)
         == SKC_ERR_INVALID, "short in stride");
  CHECK (skc_apply_varying_rgba (&fam, field, skc_in_view (in, 16, r4), r4,
                                 skc_out_view (in, 16, r4), NULL)
         == SKC_ERR_INVALID, "in and out alias");
  CHECK (skc_apply_varying_rgba (&fam, field, skc_in_view (in, 16, r4), r4,
                                 skc_out_view (out, 16, test_rect (1, 0, 4, 4)),
                                 NULL) == SKC_ERR_INVALID,
         "roi outside bounds");
  CHECK (skc_apply_varying_rgba (&fam, field,
                                 skc_in_view (in, 16, test_rect (0, 0, 3, 4)),
                                 test_rect (0, 0, 5, 4),
                                 skc_out_view (out, 16, test_rect (0, 0, 2, 4)),
                                 NULL) == SKC_ERR_INVALID, "halo not covered");
  field[5] = NAN;
  CHECK (skc_apply_varying_rgba (&fam, field, skc_in_view (in, 16, r4), r4,
                                 skc_out_view (out, 16, r4), NULL)
         == SKC_ERR_INVALID, "NaN in the field");
  field[5] = 0.0f;
  fam.sizes[0] = 0.0f;
  CHECK (skc_apply_varying_rgba (&fam, field, skc_in_view (in, 16, r4), r4,
                                 skc_out_view (out, 16, r4), NULL)
         == SKC_ERR_INVALID, "basis size 0");
  fam.sizes[0] = 2.0f;
  b->taps[0].w = INFINITY;
  CHECK (skc_apply_varying_rgba (&fam, field, skc_in_view (in, 16, r4), r4,
                                 skc_out_view (out, 16, r4), NULL)
         == SKC_ERR_INVALID, "non-finite tap");
  b->taps[0].w = 1.0f;
  {
    SkcApplyOptions ao;

    skc_apply_options_init (&ao);
    ao.struct_size = 4;
    CHECK (skc_apply_varying_rgba (&fam, field, skc_in_view (in, 16, r4), r4,
                                   skc_out_view (out, 16, r4), &ao) == SKC_ERR_INVALID,
           "options too small");
  }
  CHECK (skc_family_halo (NULL, 5.0f) == 0, "halo of nothing");
  skc_complex_free (b);
}

typedef struct
{
  int    calls;
  double last;
  int    monotonic;
  int    cancel_after;
} Progress;

static int
count_progress (double fraction, double loss, void *data)
{
  Progress *p = data;

  p->monotonic &= fraction >= p->last && fraction <= 1.0 + 1e-9;
  p->last = fraction;
  p->calls++;
  return p->cancel_after > 0 && p->calls >= p->cancel_after;
}

/* The family fit: deterministic whatever the thread count, progress over
 * all bases in order, cancellable. */
static void
test_family_fit (void)
{
  SkcShapeParams hex;
  SkcFitOptions  o;
  SkcFamily     *a = NULL, *b = NULL, *c = (SkcFamily *) 1;
  Progress       p = { 0, 0.0, 1, 0 };

  skc_shape_params_from_name ("hexagon", &hex);
  skc_fit_options_init (&o);
  o.n_samples = 8;
  o.n_layers = 3;
  o.steps = 100;
  o.start_steps = 20;
  o.n_threads = 1;
  o.progress = count_progress;
  o.progress_data = &p;
  CHECK_OK (skc_family_fit (&hex, NULL, 2.0f, 13.0f, 3, &o, &a));
  CHECK (p.calls > 3 && p.monotonic && fabs (p.last - 1.0) < 1e-9,
         "progress: %d calls, monotonic %d, last %.3f", p.calls, p.monotonic,
         p.last);
  o.n_threads = 3;
  o.progress = NULL;
  CHECK_OK (skc_family_fit (&hex, NULL, 2.0f, 13.0f, 3, &o, &b));
  if (a && b)
    for (int k = 0; k < 3; k++)
      CHECK (!memcmp (a->bases[k]->taps, b->bases[k]->taps,
                      sizeof (SkcTap) * skc_complex_total_taps (a->bases[k])),
             "basis %d the same on 1 and 3 threads", k);
  if (a)
    {
      CHECK (!strcmp (a->bases[0]->init, "warm")
             && strcmp (a->bases[2]->init, "warm"),
             "smaller bases warm-started (%s), the largest not (%s)",
             a->bases[0]->init, a->bases[2]->init);
      printf ("hexagon family 2..13 px, 8 x 3: basis 1 kernel PSNR %.2f dB\n",
              a->bases[1]->kernel_psnr);
      CHECK (a->bases[1]->kernel_psnr > 22.0, "basis 1 kernel PSNR %.2f dB (24.14 measured)",
             a->bases[1]->kernel_psnr);
    }
  p.calls = 0;
  p.cancel_after = 2;
  o.progress = count_progress;
  CHECK (skc_family_fit (&hex, NULL, 2.0f, 13.0f, 3, &o, &c)
         == SKC_ERR_CANCELLED && c == NULL, "family fit cancelled");
  skc_family_free (a);
  skc_family_free (b);
}

/* Image PSNR (linear light, the test photo's luminance) of @f evaluated at
 * diameter @size against the dense target at that size. */
static double
family_psnr_at (const SkcFamily *f, const SkcShapeParams *shape, float size,
                const float *plane, int w, int h)
{
  SkcComplex *c = NULL;
  SkcKernel  *k = NULL;
  double      psnr = 0.0, srgb;

  CHECK_OK (skc_complex_copy (f->bases[0], &c));
  CHECK_OK (skc_family_target (shape, NULL, size, 0.0f, &k));
  if (c && k)
    {
      CHECK_OK (skc_family_eval (f, size, 0.0f, c));
      CHECK_OK (skc_eval_image_psnr (c, k, plane, w, h, &psnr, &srgb));
    }
  skc_complex_free (c);
  skc_kernel_free (k);
  return psnr;
}

/* More bases never cost quality: with 16 bases (a factor 1.2 apart) each
 * warm start still comes from a basis about 2x larger, so the smallest
 * basis does not inherit whole-pixel shifts that a shrinking kernel has
 * no use for.  Below the first basis the family scales basis 0, which
 * shows such leftovers most: with the default fit options (24x4), a chain
 * of 1.2x warm starts lost 4-9 dB at 1-2 px here (33.6 against 37.2 dB at
 * 1 px; skc-family.c). */
static void
test_many_bases (void)
{
  SkcShapeParams disk;
  SkcFamily     *f5, *f16;
  int            w = 0, h = 0;
  float         *plane = test_load_photo_plane ("coffee.png", &w, &h);

  SkcFitOptions  o;
  /* Under the sanitizers (test_sanitized) the families span 3..23 px, a
   * quarter of the fitting (the 16 bases then 1.15x apart, closer still) */
  float          top = test_sanitized () ? 23.0f : 47.0f;

  skc_shape_params_from_name ("disk", &disk);
  skc_fit_options_init (&o);
  f5 = f16 = NULL;
  CHECK_OK (skc_family_fit (&disk, NULL, 3.0f, top, 5, &o, &f5));
  CHECK_OK (skc_family_fit (&disk, NULL, 3.0f, top, 16, &o, &f16));
  CHECK (plane != NULL, "photo plane");
  if (f5 && f16 && plane)
    {
      const float sizes[] = { 1.0f, 1.5f, 2.0f, 4.0f, 9.0f, 20.0f };

      for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        {
          double p5 = family_psnr_at (f5, &disk, sizes[i], plane, w, h);
          double p16 = family_psnr_at (f16, &disk, sizes[i], plane, w, h);

          printf ("disk family at %.1f px: 5 bases %.2f dB, 16 bases %.2f dB\n",
                  (double) sizes[i], p5, p16);
          CHECK (p16 > p5 - 1.0, "16 bases at %.1f px: %.2f dB, 5 bases %.2f dB",
                 (double) sizes[i], p16, p5);
        }
    }
  free (plane);
  skc_family_free (f5);
  skc_family_free (f16);
}

/* The warm start under the family: structure kept, 0 steps returns the
 * start itself, a few steps improve it, bad starts are refused. */
static void
test_fit_from (void)
{
  SkcShapeParams disk;
  SkcKernel     *k = NULL;
  SkcFitOptions  o;
  SkcComplex    *start = NULL, *c = NULL;
  int            ns[3] = { 5, 7, 6 };

  skc_shape_params_from_name ("disk", &disk);
  disk.side_px = 15;
  CHECK_OK (skc_shape_render (&disk, &k));
  CHECK_OK (skc_complex_new (3, ns, &start));
  if (!k || !start)
    return;
  for (int i = 0; i < 18; i++)
    {
      start->taps[i].ox = (float) (3.0 * cos (i * 2.1));
      start->taps[i].oy = (float) (3.0 * sin (i * 2.1));
    }
  for (int l = 0; l < 3; l++)
    for (int i = 0; i < ns[l]; i++)
      skc_complex_layer (start, l)[i].w = 1.0f / ns[l];
  skc_fit_options_init (&o);
  o.steps = 0;
  CHECK_OK (skc_fit_from (k, &o, start, &c));
  if (c)
    {
      CHECK (!memcmp (c->taps, start->taps, 18 * sizeof (SkcTap))
             && !memcmp (c->n_samples, ns, sizeof ns) && c->n_layers == 3,
             "0 steps: the start, structure kept");
      CHECK (!strcmp (c->init, "warm") && !strcmp (c->method, "disk"),
             "labels");
      o.steps = 200;
      {
        double      loss0 = c->loss;
        SkcComplex *d = NULL;

        CHECK_OK (skc_fit_from (k, &o, start, &d));
        if (d)
          CHECK (d->loss < loss0 && d->n_samples[1] == 7,
                 "200 steps lower the loss (%.4g -> %.4g)", loss0, d->loss);
        skc_complex_free (d);
      }
    }
  skc_complex_free (c);
  start->taps[4].ox = NAN;
  CHECK (skc_fit_from (k, &o, start, &c) == SKC_ERR_INVALID && c == NULL,
         "non-finite start");
  CHECK (skc_fit_from (k, &o, NULL, &c) == SKC_ERR_INVALID, "no start");
  skc_complex_free (start);
  skc_kernel_free (k);
}

static int
cancel_at_once (double fraction, double loss, void *data)
{
  (*(int *) data)++;
  return 1;
}

static void
test_cancel (const float *in)
{
  SkcComplex     *b = NULL;
  SkcFamily       fam;
  SkcApplyOptions o;
  float          *field = malloc (sizeof (float) * 2 * IMG_W * IMG_H);
  float          *out = malloc (sizeof (float) * 4 * IMG_W * IMG_H);
  SkcRect         all = test_rect (0, 0, IMG_W, IMG_H);
  int             calls = 0;

  memset (&fam, 0, sizeof fam);
  skc_complex_new_uniform (2, 3, &b);
  for (int i = 0; i < 6; i++)
    {
      b->taps[i].ox = (float) i - 2.5f;
      b->taps[i].w = 1.0f / 3;
    }
  fam.n_bases = 1;
  fam.sizes[0] = 4.0f;
  fam.bases[0] = b;
  for (int i = 0; i < IMG_W * IMG_H; i++)
    {
      field[2 * i] = 4.0f;
      field[2 * i + 1] = 0.0f;
    }
  skc_apply_options_init (&o);
  o.tile_size = 16;
  o.progress = cancel_at_once;
  o.progress_data = &calls;
  CHECK (skc_apply_varying_rgba (&fam, field, skc_in_view (in, 4 * IMG_W, all),
                                 all, skc_out_view (out, 4 * IMG_W, all), &o) == SKC_ERR_CANCELLED
         && calls == 1, "progress cancels (%d calls)", calls);
  skc_complex_free (b);
  free (field);
  free (out);
}

int
main (void)
{
  float *in = test_load_photo_rgba ("astronaut.png", 200, 150,
                                    IMG_W, IMG_H);

  if (test_sanitized ())
    truth_step = 2;
  test_targets ();
  test_rotation_impulse ();
  test_fields ();
  test_highlights ();
  test_errors ();
  test_family_fit ();
  test_many_bases ();
  test_fit_from ();
  if (in)
    test_cancel (in);
  test_effects ();
  free (in);
  return test_finish ();
}
