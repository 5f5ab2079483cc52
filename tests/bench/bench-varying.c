/* skc-bench-varying: fidelity and speed of spatially varying filtering on
 * the paper's three effects (METHOD.md section 6).
 *
 * For each effect it fits a family (bases at geometric diameters from --min-size (3 px by default)
 * to --size, 47 by default: 49 x 49 kernels), computes the parameter
 * field over the whole photo (linear-light RGB, alpha 1) and runs
 * skc_apply_varying_rgba, then compares with the dense per-pixel ground
 * truth
 *     gt (p) = sum_u K_p (u) in (p - u)          (clamped borders)
 * where K_p is the dense kernel of p's own diameter and angle
 * (skc_family_target: what the bases are fitted to).  The comparison is on
 * the interior (a frame of the largest kernel's radius plus the complex's
 * halo left out), on every --stride-th pixel in x and y (the dense truth
 * costs a kernel per pixel; a regular subsample estimates the interior
 * PSNR without bias).
 *
 *   tilt-shift  disk, 24x4; a horizontal sharp band through the middle,
 *               blur growing to full over --falloff px
 *   spin        rotational bokeh: a pentagon iris, 32x4, turned with the
 *               tangent and growing with the distance to the centre
 *   zoom        radial motion blur: a line kernel (a box along x with a
 *               Gaussian profile across), 32x4, along the radius
 *
 * The pentagon and the line come as user kernels drawn 2x larger than the
 * largest size, so the dense truth is a resampling per pixel rather than
 * a fresh drawing.  Times: the varying apply over the whole image, the
 * fastest of --repeat runs (the bench machine is shared: the fastest run
 * is the least disturbed), on all cores (--threads) and on one; "dense"
 * is the time the truth's sums took per sampled pixel (kernels already
 * made, zero weights skipped, 3 channels, one thread) times the image's
 * pixels.
 *
 * The apply quantises the (size, angle) of pixels where the field changes
 * slowly and gathers them in runs with folded stencils; pixels where it
 * changes fast keep the exact per-pixel path (skc-apply-varying.c).
 * --lone-rate picks the split for comparisons: -1 every pixel exact (the
 * apply before runs), inf every pixel quantised, 0 the default.  The last
 * column gives the share of lone (exact) pixels over all passes.
 *
 * --methods ours,pst,lowrank prints another table instead: every method
 * with its own family, on the same image, fields, dense truth and
 * interior (issue 4; METHOD.md section 6):
 *   ours      skc_family_fit (as above)
 *   pst       skc_family_fit_pst: every basis fitted independently by
 *             parallel tempering at the paper's budget (--pst-iterations
 *             10000 x --pst-chains 10), same sizes and structure
 *   lowrank   skc_family_fit_lowrank: truncated SVDs on one tap grid with
 *             aligned signs, 2 r M taps; tilt-shift only (a rotated
 *             separable filter is not separable: spin and zoom get a
 *             "n/a" row)
 * Tilt-shift rows: ours and PST at 24x4, LowRank rank 1 (98 taps) and
 * rank 2 (196), and ours at 48x4 (192 taps) beside rank 2; spin and zoom:
 * ours and PST at 32x4.  Times there are medians of --repeat runs on
 * --threads threads; "family fit" is the family's construction.  The
 * interior frame is the largest halo of the unbranched families (a
 * separable chain clamps its borders exactly as the dense truth does)
 * plus the largest radius.
 *
 * Options:
 *   --effects tilt-shift,spin,zoom   --size PX   --bases N   --steps K
 *   --stride S   --threads T   --repeat R   --photo PATH   --falloff PX
 *   --radius PX   --lone-rate R   --methods ours,pst,lowrank
 *   --pst-iterations N   --pst-chains N
 */
#define _POSIX_C_SOURCE 200809L
#include "skc.h"
#include "skc-options.h"
#include "bench-common.h"
#include "skc-private.h"
#include "skc-apply-varying-private.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  const char *id;
  const char *kernel;
  int         samples, layers;
  double      paper_db;     /* DISK, METHOD.md section 6 */
  double      paper_ms;
} Effect;

static const Effect effects[] = {
  { "tilt-shift", "disk", 24, 4, 39.27, 12.66 },
  { "spin", "pentagon", 32, 4, 35.67, 17.04 },
  { "zoom", "line", 32, 4, 34.21, 26.01 },
};
#define N_EFFECTS ((int) (sizeof effects / sizeof effects[0]))

typedef struct
{
  const char *effects;
  const char *photo;
  float       size, min_size;
  int         bases, steps, stride, threads, repeat;
  float       falloff, radius;
  float       lone_rate;
  const char *methods;           /* NULL: the original table */
  int         pst_iterations, pst_chains;
} Options;

static void
die (const char *msg, const char *arg)
{
  fprintf (stderr, "skc-bench-varying: %s%s\n", msg, arg ? arg : "");
  exit (2);
}



/* ---------------------------------------------------------------- kernels */

/* A box of @len px along x with anti-aliased ends, a Gaussian of @sigma
 * across: a motion-blur streak. */
static SkcKernel *
line_kernel (int len, double sigma)
{
  int        side = (len + 4) | 1;
  SkcKernel *k = NULL;

  if (skc_kernel_new (side, side, &k) != SKC_OK)
    die ("out of memory", NULL);
  for (int j = 0; j < side; j++)
    for (int i = 0; i < side; i++)
      {
        double dx = fabs ((double) (i - side / 2)), dy = j - side / 2;
        double along = fmin (fmax (len / 2.0 + 0.5 - dx, 0.0), 1.0);

        k->data[j * side + i]
          = (float) (along * exp (-dy * dy / (2 * sigma * sigma)));
      }
  skc_kernel_normalize (k);
  return k;
}

/* ---------------------------------------------------------------- truth */

typedef struct
{
  const SkcShapeParams *shape;
  const SkcKernel      *kernel;
  const float          *field, *in;
  int                   w, h, x0, y0, x1, y1, stride;
  int                   n_threads, thread;
  float                *gt;      /* 3 floats per sampled pixel */
  int                   cols;
  int                   failed;
  double                dense_s;  /* time in the dense sums only */
} Truth;

static void *
truth_thread (void *data)
{
  Truth     *t = data;
  SkcKernel *k = NULL;
  float      ks = -1.0f, ka = 0.0f;
  int        row = 0;
  double     t0;

  for (int y = t->y0; y < t->y1; y += t->stride, row++)
    {
      if (row % t->n_threads != t->thread)
        continue;
      for (int x = t->x0, col = 0; x < t->x1; x += t->stride, col++)
        {
          float  s = t->field[2 * ((size_t) y * t->w + x)];
          float  a = t->field[2 * ((size_t) y * t->w + x) + 1];
          float *g = t->gt + 3 * ((size_t) row * t->cols + col);
          double acc[3] = { 0, 0, 0 };

          if (!(s > 0.0f))
            {
              for (int c = 0; c < 3; c++)
                g[c] = t->in[4 * ((size_t) y * t->w + x) + c];
              continue;
            }
          if (!k || s != ks || a != ka)
            {
              skc_kernel_free (k);
              k = NULL;
              if (skc_family_target (t->shape, t->kernel, s, a, &k) != SKC_OK)
                {
                  t->failed = 1;
                  return NULL;
                }
              ks = s;
              ka = a;
            }
          t0 = skc_time_now ();
          for (int j = 0; j < k->height; j++)
            for (int i = 0; i < k->width; i++)
              {
                float        wt = k->data[j * k->width + i];
                int          sx = x - (i - k->width / 2);
                int          sy = y - (j - k->height / 2);
                const float *q;

                if (wt == 0.0f)
                  continue;
                sx = sx < 0 ? 0 : sx >= t->w ? t->w - 1 : sx;
                sy = sy < 0 ? 0 : sy >= t->h ? t->h - 1 : sy;
                q = t->in + 4 * ((size_t) sy * t->w + sx);
                acc[0] += wt * q[0];
                acc[1] += wt * q[1];
                acc[2] += wt * q[2];
              }
          for (int c = 0; c < 3; c++)
            g[c] = (float) acc[c];
          t->dense_s += skc_time_now () - t0;
        }
    }
  skc_kernel_free (k);
  return NULL;
}

/* The dense truth on every @stride-th pixel of the interior (a frame of
 * @margin px left out), 3 floats a sampled pixel, on @n_threads threads:
 * *gt malloc()ed, *cols x *rows samples, *dense_ms the sums' time
 * extrapolated to the whole image. */
static void
dense_truth (const SkcShapeParams *shp, const SkcKernel *kernel,
             const float *field, const float *in, int W, int H, int margin,
             int stride, int n_threads, float **gt, int *cols, int *rows,
             double *dense_ms)
{
  Truth     tr[64];
  pthread_t th[64];
  int       nt = n_threads < 64 ? n_threads : 64;
  size_t    n;

  if (2 * margin >= W || 2 * margin >= H)
    die ("image too small for the kernel", NULL);
  *cols = (W - 2 * margin + stride - 1) / stride;
  *rows = (H - 2 * margin + stride - 1) / stride;
  n = (size_t) *cols * *rows;
  *gt = malloc (sizeof (float) * 3 * n);
  if (!*gt)
    die ("out of memory", NULL);
  for (int t = 0; t < nt; t++)
    {
      tr[t] = (Truth) { shp, kernel, field, in, W, H, margin, margin,
                        W - margin, H - margin, stride, nt, t, *gt,
                        *cols, 0, 0.0 };
      if (pthread_create (&th[t], NULL, truth_thread, &tr[t]) != 0)
        die ("cannot start a thread", NULL);
    }
  for (int t = 0; t < nt; t++)
    {
      pthread_join (th[t], NULL);
      if (tr[t].failed)
        die ("dense truth failed", NULL);
    }
  *dense_ms = 0.0;
  for (int t = 0; t < nt; t++)
    *dense_ms += tr[t].dense_s;
  *dense_ms *= 1e3 / n * W * H;
}

/* PSNR (peak 1) of the sampled pixels of @out (RGBA, W wide) against
 * @gt, in linear light and both encoded to sRGB. */
static void
sampled_psnr (const float *out, const float *gt, int W, int margin,
              int stride, int cols, int rows, double *p_lin, double *p_srgb)
{
  size_t n = (size_t) cols * rows;
  float *a = malloc (sizeof (float) * 3 * n);
  float *b = malloc (sizeof (float) * 3 * n);

  if (!a || !b)
    die ("out of memory", NULL);
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      for (int ch = 0; ch < 3; ch++)
        a[3 * ((size_t) r * cols + c) + ch]
          = out[4 * ((size_t) (margin + r * stride) * W + margin
                     + c * stride) + ch];
  *p_lin = skc_psnr (a, gt, 3 * n, 1.0);
  for (size_t i = 0; i < 3 * n; i++)
    {
      a[i] = skc_linear_to_srgb (fminf (fmaxf (a[i], 0.0f), 1.0f));
      b[i] = skc_linear_to_srgb (fminf (fmaxf (gt[i], 0.0f), 1.0f));
    }
  *p_srgb = skc_psnr (a, b, 3 * n, 1.0);
  free (a);
  free (b);
}

/* The effect's kernel: a procedural shape in *shape (returns @shape) or
 * a user kernel in *kernel (returns NULL). */
static SkcShapeParams *
effect_kernel (const Effect *ef, float size, SkcShapeParams *shape,
               SkcKernel **kernel)
{
  *kernel = NULL;
  if (!strcmp (ef->kernel, "disk"))
    {
      skc_shape_params_from_name ("disk", shape);
      return shape;
    }
  if (!strcmp (ef->kernel, "pentagon"))
    {
      skc_shape_params_from_name ("pentagon", shape);
      shape->side_px = ((int) ceil (2 * size) + 2) | 1;
      if (skc_shape_render (shape, kernel) != SKC_OK)
        die ("cannot draw the pentagon", NULL);
      return NULL;
    }
  *kernel = line_kernel (((int) ceil (2 * size) - 2) | 1, 1.5);
  return NULL;
}

static void
effect_field (int e, const Options *opt, int W, int H, float *field)
{
  SkcVaryParams vp;
  SkcRect       all = { 0, 0, W, H };

  skc_vary_params_init (&vp, e == 0 ? SKC_VARY_TILT_SHIFT
                             : e == 1 ? SKC_VARY_SPIN : SKC_VARY_ZOOM);
  vp.diameter_px = opt->size;
  vp.cx = W / 2.0f;
  vp.cy = H / 2.0f;
  vp.width = H / 8.0f;
  vp.falloff = opt->falloff;
  vp.radius = opt->radius;
  if (skc_vary_field (&vp, all, NULL, 0, all, field) != SKC_OK)
    die ("field failed", NULL);
}

/* ---------------------------------------------------------------- methods */

/* One row of the methods table. */
typedef struct
{
  const char *method;     /* "ours", "pst", "lowrank"          */
  int         samples, layers, rank;
  double      paper_db;   /* METHOD.md section 6; 0: none       */
} MethodRow;

typedef struct
{
  const char *effect;
  MethodRow   rows[5];
  int         n_rows;
} MethodRows;

static const MethodRows method_rows[] = {
  { "tilt-shift", { { "ours", 24, 4, 0, 39.27 }, { "pst", 24, 4, 0, 32.49 },
                    { "lowrank", 0, 0, 1, 33.22 },
                    { "lowrank", 0, 0, 2, 33.22 },
                    { "ours", 48, 4, 0, 0.0 } }, 5 },
  { "spin", { { "ours", 32, 4, 0, 35.67 }, { "pst", 32, 4, 0, 28.56 },
              { "lowrank", 0, 0, 0, 0.0 } }, 3 },
  { "zoom", { { "ours", 32, 4, 0, 34.21 }, { "pst", 32, 4, 0, 27.11 },
              { "lowrank", 0, 0, 0, 0.0 } }, 3 },
};

static void
run_methods (const Options *opt, const float *in, float *out, int W, int H)
{
  printf ("Methods: each with its own family of %d bases at geometric "
          "diameters %g..%.0f px, interpolated per pixel by "
          "skc_apply_varying_rgba; ours %d Adam steps; PST %d iterations x "
          "%d chains per basis; PSNR on every %d-th pixel of the interior, "
          "peak 1; apply times: median of %d runs on %d thread(s).\n\n",
          opt->bases, (double) opt->min_size, (double) opt->size, opt->steps,
          opt->pst_iterations,
          opt->pst_chains, opt->stride, opt->repeat, opt->threads);
  printf ("| effect | kernel | method | config | taps per pixel "
          "| paper (dB) | PSNR, linear (dB) | PSNR, sRGB-encoded (dB) "
          "| family fit (s) | apply (ms, median, %d thr) |\n", opt->threads);
  printf ("|---|---|---|---|---:|---:|---:|---:|---:|---:|\n");
  fflush (stdout);

  for (int e = 0; e < N_EFFECTS; e++)
    {
      const Effect     *ef = &effects[e];
      const MethodRows *mr = &method_rows[e];
      SkcShapeParams    shape, *shp;
      SkcKernel        *kernel = NULL;
      SkcFamily        *fams[5] = { NULL };
      double            fit_s[5] = { 0 };
      float            *field, *gt = NULL;
      int               margin = 0, cols, rows;
      double            dense_ms;

      if (!bench_in_list (opt->effects, ef->id))
        continue;
      shp = effect_kernel (ef, opt->size, &shape, &kernel);
      field = malloc (sizeof (float) * 2 * W * H);
      if (!field)
        die ("out of memory", NULL);
      effect_field (e, opt, W, H, field);

      /* Every family first: the interior frame is common to all. */
      for (int i = 0; i < mr->n_rows; i++)
        {
          const MethodRow *m = &mr->rows[i];
          double           t0 = skc_time_now ();
          SkcStatus        st = SKC_OK;

          if (!bench_in_list (opt->methods, m->method)
              || (!strcmp (m->method, "lowrank") && m->rank == 0))
            continue;
          if (!strcmp (m->method, "ours"))
            {
              SkcFitOptions fo;

              skc_fit_options_init (&fo);
              fo.n_samples = m->samples;
              fo.n_layers = m->layers;
              fo.steps = opt->steps;
              st = skc_family_fit (shp, kernel, opt->min_size, opt->size, opt->bases,
                                   &fo, &fams[i]);
            }
          else if (!strcmp (m->method, "pst"))
            {
              SkcPstOptions po;

              skc_pst_options_init (&po);
              po.n_samples = m->samples;
              po.n_layers = m->layers;
              po.iterations = opt->pst_iterations;
              po.n_chains = opt->pst_chains;
              st = skc_family_fit_pst (shp, kernel, opt->min_size, opt->size,
                                       opt->bases, &po, &fams[i]);
            }
          else
            st = skc_family_fit_lowrank (shp, kernel, opt->min_size, opt->size,
                                         opt->bases, m->rank, &fams[i]);
          if (st != SKC_OK)
            die ("family failed for ", m->method);
          fit_s[i] = skc_time_now () - t0;
          fprintf (stderr, "%s %s: family in %.1f s\n", ef->id, m->method,
                   fit_s[i]);
          if (skc_complex_n_branches (fams[i]->bases[0]) == 1)
            {
              int h = skc_family_halo (fams[i], opt->size);

              margin = h > margin ? h : margin;
            }
        }
      if (margin == 0)
        margin = (int) ceil (opt->size) + 1;
      margin += (int) ceil (opt->size / 2) + 2;
      dense_truth (shp, kernel, field, in, W, H, margin, opt->stride,
                   opt->threads, &gt, &cols, &rows, &dense_ms);

      for (int i = 0; i < mr->n_rows; i++)
        {
          const MethodRow *m = &mr->rows[i];
          SkcApplyOptions  ao;
          SkcRect          all = { 0, 0, W, H };
          double           runs[64], p_lin, p_srgb;
          int              nr = opt->repeat < 64 ? opt->repeat : 64;
          char             config[32], paper[16];

          if (!bench_in_list (opt->methods, m->method))
            continue;
          if (m->paper_db > 0)
            snprintf (paper, sizeof paper, "%.2f", m->paper_db);
          else
            snprintf (paper, sizeof paper, "-");
          if (!fams[i])
            {
              printf ("| %s | %s, %g..%.0f px | LowRank | - | - | - "
                      "| n/a | n/a | - | - |\n", ef->id, ef->kernel,
                      (double) opt->min_size, (double) opt->size);
              continue;
            }
          skc_apply_options_init (&ao);
          ao.n_threads = opt->threads;
          for (int r = 0; r < nr; r++)
            {
              double t0 = skc_time_now ();

              if (skc_apply_varying_rgba (fams[i], field,
                                          skc_in_view (in, 4 * W, all), all,
                                          skc_out_view (out, 4 * W, all), &ao) != SKC_OK)
                die ("apply failed for ", m->method);
              runs[r] = skc_time_now () - t0;
            }
          qsort (runs, (size_t) nr, sizeof *runs, bench_cmp_double);
          sampled_psnr (out, gt, W, margin, opt->stride, cols, rows, &p_lin,
                        &p_srgb);
          if (m->rank > 0)
            snprintf (config, sizeof config, "rank %d", m->rank);
          else
            snprintf (config, sizeof config, "%dx%d", m->samples, m->layers);
          printf ("| %s | %s, %g..%.0f px | %s | %s | %d | %s | %.2f | %.2f "
                  "| %.1f | %.1f |\n", ef->id, ef->kernel,
                  (double) opt->min_size, (double) opt->size,
                  !strcmp (m->method, "ours") ? "ours"
                  : !strcmp (m->method, "pst") ? "PST" : "LowRank", config,
                  skc_complex_total_taps (fams[i]->bases[0]), paper, p_lin,
                  p_srgb, fit_s[i],
                  nr % 2 ? runs[nr / 2] * 1e3
                         : 0.5 * (runs[nr / 2 - 1] + runs[nr / 2]) * 1e3);
          fflush (stdout);
        }
      for (int i = 0; i < 5; i++)
        skc_family_free (fams[i]);
      free (gt);
      free (field);
      skc_kernel_free (kernel);
    }
  printf ("\n");
}

/* ---------------------------------------------------------------- main */

static const char usage_text[] =
  "usage: skc-bench-varying [--effects tilt-shift,spin,zoom] [--size PX]\n"
  "  [--min-size PX] [--bases N] [--steps K] [--stride S] [--threads T]\n"
  "  [--repeat R] [--photo PATH] [--falloff PX] [--radius PX]\n"
  "  [--lone-rate R] [--methods ours,pst,lowrank] [--pst-iterations N]\n"
  "  [--pst-chains N]\n";

int
main (int argc, char **argv)
{
  Options   opt = { NULL, SKC_SAMPLE_PHOTO, 47.0f, 3.0f, 5, 1000, 3, 0, 3,
                    120.0f, 0.0f, 0.0f, NULL, 10000, 10 };
  SkcImage *img = NULL;
  float    *in, *out;
  int       W, H, n_cores = (int) sysconf (_SC_NPROCESSORS_ONLN);

  {
    const SkcOption opts[] = {
      { "effects",        0, SKC_OPT_STRING, &opt.effects, 0, 0, NULL },
      { "photo",          0, SKC_OPT_STRING, &opt.photo, 0, 0, NULL },
      { "size",           0, SKC_OPT_FLOAT,  &opt.size, 3, 500, NULL },
      { "min-size",       0, SKC_OPT_FLOAT,  &opt.min_size, 0.01, 500, NULL },
      { "bases",          0, SKC_OPT_INT,    &opt.bases, 1, 16, NULL },
      { "steps",          0, SKC_OPT_INT,    &opt.steps, 0, 1000000, NULL },
      { "stride",         0, SKC_OPT_INT,    &opt.stride, 1, 1000, NULL },
      { "threads",        0, SKC_OPT_INT,    &opt.threads, 0, 64, NULL },
      { "repeat",         0, SKC_OPT_INT,    &opt.repeat, 1, 1000, NULL },
      { "falloff",        0, SKC_OPT_FLOAT,  &opt.falloff, 0, 100000, NULL },
      { "radius",         0, SKC_OPT_FLOAT,  &opt.radius, 0, 100000, NULL },
      { "lone-rate",      0, SKC_OPT_FLOAT,  &opt.lone_rate, -1, 1e6, NULL },
      { "methods",        0, SKC_OPT_STRING, &opt.methods, 0, 0, NULL },
      { "pst-iterations", 0, SKC_OPT_INT,    &opt.pst_iterations, 1, 10000000, NULL },
      { "pst-chains",     0, SKC_OPT_INT,    &opt.pst_chains, 1, 64, NULL },
      { 0 }
    };
    int n_words, rc = skc_options_parse ("skc-bench-varying", NULL, usage_text,
                                         argc, argv, opts, NULL, 0, &n_words);

    if (rc >= 0)
      return rc;
  }
  if (opt.size < 3 || opt.size > 500 || opt.bases < 1 || opt.bases > 16
      || !(opt.min_size > 0) || opt.min_size > opt.size
      || opt.stride < 1 || opt.repeat < 1 || opt.steps < 0
      || opt.pst_iterations < 1 || opt.pst_chains < 1)
    die ("bad option value", NULL);
  if (opt.threads <= 0)
    opt.threads = n_cores;

  if (skc_image_load (opt.photo, &img) != SKC_OK || img->channels < 3)
    die ("cannot load an RGB photo from ", opt.photo);
  W = img->width;
  H = img->height;
  in = malloc (sizeof (float) * 4 * W * H);
  out = malloc (sizeof (float) * 4 * W * H);
  if (!in || !out)
    die ("out of memory", NULL);
  for (size_t i = 0; i < (size_t) W * H; i++)
    {
      for (int c = 0; c < 3; c++)
        in[4 * i + c] = skc_srgb_to_linear (img->data[i * img->channels + c]);
      in[4 * i + 3] = 1.0f;
    }
  if (opt.radius <= 0)
    opt.radius = 0.5f * (W < H ? W : H);

  printf ("# Spatially varying filtering: %s, %d x %d, linear light\n\n",
          opt.photo, W, H);
  if (opt.methods)
    {
      run_methods (&opt, in, out, W, H);
      free (in);
      free (out);
      skc_image_free (img);
      return 0;
    }
  printf ("Bases: %d at geometric diameters %g..%.0f px; fit %d steps; "
          "PSNR on every %d-th pixel of the interior, peak 1; times on %d "
          "thread(s) and 1, fastest of %d.\n\n", opt.bases,
          (double) opt.min_size, (double) opt.size,
          opt.steps, opt.stride, opt.threads, opt.repeat);
  printf ("| effect | kernel | config | paper DISK (dB) | ours, linear (dB) "
          "| ours, sRGB-encoded (dB) | paper DISK (ms, phone GPU) "
          "| ours (ms, %d thr) | ours (ms, 1 thr) | dense (ms, 1 thr, est.) "
          "| family fit (s) | lone pixels (%%) |\n", opt.threads);
  printf ("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  fflush (stdout);

  for (int e = 0; e < N_EFFECTS; e++)
    {
      const Effect   *ef = &effects[e];
      SkcShapeParams  shape, *shp;
      SkcKernel      *kernel = NULL;
      SkcFitOptions   fo;
      SkcFamily      *fam = NULL;
      SkcApplyOptions ao;
      SkcVaryingStats stats;
      SkcVaryingTuning tu = { SKC_SIMD_COUNT, 0, 0, &stats, opt.lone_rate };
      SkcRect         all = { 0, 0, W, H };
      float          *field;
      double          t0, fit_s, times[2], dense_ms, p_lin, p_srgb;
      double          runs[64];
      int             margin, cols, rows;
      float          *gt;

      if (!bench_in_list (opt.effects, ef->id))
        continue;
      shp = effect_kernel (ef, opt.size, &shape, &kernel);

      skc_fit_options_init (&fo);
      fo.n_samples = ef->samples;
      fo.n_layers = ef->layers;
      fo.steps = opt.steps;
      t0 = skc_time_now ();
      if (skc_family_fit (shp, kernel, opt.min_size, opt.size, opt.bases, &fo, &fam)
          != SKC_OK)
        die ("family fit failed for ", ef->id);
      fit_s = skc_time_now () - t0;

      field = malloc (sizeof (float) * 2 * W * H);
      if (!field)
        die ("out of memory", NULL);
      effect_field (e, &opt, W, H, field);

      /* Ours, timed. */
      skc_apply_options_init (&ao);
      for (int pass = 0; pass < 2; pass++)
        {
          ao.n_threads = pass == 0 ? opt.threads : 1;
          for (int r = 0; r < opt.repeat && r < 64; r++)
            {
              t0 = skc_time_now ();
              if (skc_apply_varying_rgba_tuned (fam, field,
                                                skc_in_view (in, 4 * W, all),
                                                all,
                                                skc_out_view (out, 4 * W, all),
                                                &ao, &tu) != SKC_OK)
                die ("apply failed for ", ef->id);
              runs[r] = skc_time_now () - t0;
            }
          qsort (runs, (size_t) (opt.repeat < 64 ? opt.repeat : 64),
                 sizeof *runs, bench_cmp_double);
          times[pass] = runs[0] * 1e3;
        }

      /* The dense truth on the sampled interior. */
      margin = skc_family_halo (fam, opt.size) + (int) ceil (opt.size / 2) + 2;
      dense_truth (shp, kernel, field, in, W, H, margin, opt.stride,
                   opt.threads, &gt, &cols, &rows, &dense_ms);
      sampled_psnr (out, gt, W, margin, opt.stride, cols, rows, &p_lin,
                    &p_srgb);

      printf ("| %s | %s, %g..%.0f px | %dx%d | %.2f | %.2f | %.2f | %.2f "
              "| %.1f | %.1f | %.0f | %.1f | %.0f |\n", ef->id, ef->kernel,
              (double) opt.min_size, (double) opt.size, ef->samples, ef->layers, ef->paper_db, p_lin,
              p_srgb, ef->paper_ms, times[0], times[1], dense_ms, fit_s,
              100.0 * stats.lone / (stats.pixels ? stats.pixels : 1));
      fflush (stdout);

      free (gt);
      free (field);
      skc_family_free (fam);
      skc_kernel_free (kernel);
    }
  printf ("\n");
  free (in);
  free (out);
  skc_image_free (img);
  return 0;
}
