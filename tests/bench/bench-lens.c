/* skc-bench-lens: lens realism (issue 15) on a 4000 x 3000 photo.
 *
 *   skc-bench-lens cateye [--shape NAME] [--size PX] [--strength S]
 *                         [--start F] [--runs R] [--threads T]
 *                         [--points N] [--steps CLIP,ANGLE ...] [--cpu]
 *
 * The sample photo mirror-tiled to 4000 x 3000 (linear light, RGBA, alpha
 * 1).  One plain 24x4 complex fitted at min (size, 33) px and scaled to the
 * size, as the GEGL op's canonical family does beyond 33 px; the cat's-eye
 * family from it (skc_cateye_family).  Times (median of R runs, T
 * threads): the uniform blur (skc_apply_rgba) and the cat's eye (its field,
 * skc_cateye_field, plus skc_apply_varying_rgba), and, for the cost of the
 * map mode, a size family (12 bases 1..33 px, top scaled) driven by a
 * depth map (a ramp with a wave, as bench-bokeh).  PSNR (peak 1, RGB,
 * linear) of the cat's eye against the dense per-pixel truth on N pixels
 * of a grid over the frame (beyond the halo): each pixel's own clip and
 * direction worked out here, its kernel the shape drawn turned by the
 * direction (skc_kernel_target) and cut by a circle here, summed
 * directly.  --steps adds rows with the field quantised to other steps
 * (0: not quantised), to show what the defaults cost and save.
 */
#include "skc.h"
#include "skc-apply-varying-private.h"
#include "bench-common.h"
#include "../lens-truth.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define W 4000
#define H 3000
#define TOP 33.0f

static void
die (const char *what)
{
  fprintf (stderr, "skc-bench-lens: %s\n", what);
  exit (1);
}

/* The whole number given to --@option, strictly in @lo..@hi; else a
 * message naming the option and exit 2. */
static int
opt_int (const char *option, const char *v, long lo, long hi)
{
  int n;

  if (!skc_options_int (v, lo, hi, &n))
    exit (skc_options_error ("skc-bench-lens", NULL, "--%s: a whole number "
                             "%ld..%ld, got '%s'", option, lo, hi, v));
  return n;
}

static float *
tiled_photo (void)
{
  SkcImage *src = NULL;
  float    *p;

  if (skc_image_load (SKC_SAMPLE_PHOTO, &src) != SKC_OK)
    die ("cannot load the sample photo");
  p = malloc (sizeof (float) * 4 * W * H);
  if (!p)
    die ("out of memory");
  bench_mirror_photo (src, W, H, 4, p);
  skc_image_free (src);
  return p;
}

/* --cpu: the process's CPU time (all its threads) instead of the wall
 * clock, for ratios on a machine shared with other work (with --threads
 * 1 it is the time of the one thread, whatever else runs). */
static int use_cpu_clock;

static double
now (void)
{
  struct timespec ts;

  if (!use_cpu_clock)
    return skc_time_now ();
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static double
median (double *t, int n)
{
  qsort (t, (size_t) n, sizeof *t, bench_cmp_double);
  return t[n / 2];
}

static SkcApplyOptions
apply_options (int threads)
{
  SkcApplyOptions ao;

  skc_apply_options_init (&ao);
  ao.n_threads = threads;
  return ao;
}

static double
time_uniform (const SkcComplex *c, const float *in, float *out, int runs,
              int threads)
{
  SkcPlan        *plan = NULL;
  SkcApplyOptions ao = apply_options (threads);
  SkcRect         all = { 0, 0, W, H };
  double          t[32];

  if (skc_plan_new (c, &plan) != SKC_OK)
    die ("plan failed");
  for (int r = 0; r < runs; r++)
    {
      double t0 = now ();

      if (skc_apply_rgba (plan, skc_in_view (in, 4 * W, all), all,
                          skc_out_view (out, 4 * W, all), &ao)
          != SKC_OK)
        die ("apply failed");
      t[r] = now () - t0;
    }
  skc_plan_free (plan);
  return median (t, runs);
}

/* The field quantised to @clip_steps, @angle_steps (0: exact). */
static void
cateye_field (const SkcCateyeParams *cp, float d, int clip_steps,
              int angle_steps, float *field)
{
  if (clip_steps == SKC_CATEYE_CLIP_STEPS
      && angle_steps == SKC_CATEYE_ANGLE_STEPS)
    {
      if (skc_cateye_field (cp, d, (SkcRect) { 0, 0, W, H }, field)
          != SKC_OK)
        die ("field failed");
      return;
    }
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        float c, a;

        skc_cateye_at (cp, (float) x, (float) y, &c, &a);
        if (clip_steps > 0)
          c = floorf (c * clip_steps + 0.5f) / clip_steps;
        if (angle_steps > 0)
          a = (float) (floor (a * angle_steps / (2 * M_PI) + 0.5)
                       * (2 * M_PI / angle_steps));
        field[2 * ((size_t) y * W + x)] = d * (1.0f + c);
        field[2 * ((size_t) y * W + x) + 1] = c > 0.0f ? a : 0.0f;
      }
}

static double
time_varying (const SkcFamily *f, const float *field, const float *in,
              float *out, int runs, int threads)
{
  SkcApplyOptions ao = apply_options (threads);
  SkcRect         all = { 0, 0, W, H };
  double          t[32];

  for (int r = 0; r < runs; r++)
    {
      double t0 = now ();

      if (skc_apply_varying_rgba (f, field, skc_in_view (in, 4 * W, all),
                                  all, skc_out_view (out, 4 * W, all), &ao) != SKC_OK)
        die ("varying apply failed");
      t[r] = now () - t0;
    }
  return median (t, runs);
}

/* The cat's eye as the op runs it: field and apply in one call. */
static double
time_cateye (const SkcFamily *f, const SkcCateyeParams *cp, float d,
             const float *in, float *out, int runs, int threads)
{
  SkcApplyOptions ao = apply_options (threads);
  SkcRect         all = { 0, 0, W, H };
  double          t[32];

  for (int r = 0; r < runs; r++)
    {
      double t0 = now ();

      if (skc_cateye_apply_rgba (f, cp, d, skc_in_view (in, 4 * W, all), all,
                                 skc_out_view (out, 4 * W, all), &ao)
          != SKC_OK)
        die ("cat's-eye apply failed");
      t[r] = now () - t0;
    }
  return median (t, runs);
}

/* The engine's counters for a field (@lone_rate as the tuning's). */
static void
print_stats (const char *what, const SkcFamily *f, const float *field,
             const float *in, float *out, int threads, float lone_rate)
{
  SkcApplyOptions  ao = apply_options (threads);
  SkcRect          all = { 0, 0, W, H };
  SkcVaryingStats  s;
  SkcVaryingTuning tu = { 0 };

  tu.path = SKC_SIMD_COUNT;
  tu.stats = &s;
  tu.lone_rate = lone_rate;
  if (skc_apply_varying_rgba_tuned (f, field, skc_in_view (in, 4 * W, all),
                                    all, skc_out_view (out, 4 * W, all), &ao,
                                    &tu) != SKC_OK)
    die ("varying apply failed");
  printf ("| %s | %.1f | %.1f | %.2f | %.0f | %.1f |\n", what,
          (double) s.pixels / s.runs, 100.0 * s.lone / s.pixels,
          100.0 * s.identity / s.pixels, (double) s.folds,
          (double) s.entries / (s.pixels - s.lone - s.identity));
}

/* The per-pixel truth at (x, y), RGB, from the definition (skc-cateye.c)
 * written again: clip, direction, the shape turned, the circle. */
static void
truth_pixel (const SkcShapeParams *shape, float d, double rot,
             const SkcCateyeParams *cp, const float *in, int x, int y,
             double *rgb)
{
  double     c, a, sum = 0.0;
  SkcKernel *k;

  lens_truth_clip (cp->cx, cp->cy, cp->half_diagonal, cp->strength,
                   cp->start, x, y, &c, &a);
  k = lens_truth_kernel (shape, NULL, d, rot, c, a);
  if (!k)
    die ("cannot draw the truth's kernel");
  rgb[0] = rgb[1] = rgb[2] = 0.0;
  for (int j = 0; j < k->height; j++)
    for (int i = 0; i < k->width; i++)
      {
        double w = k->data[j * k->width + i];
        int    sx = x - (i - k->width / 2), sy = y - (j - k->height / 2);

        if (w == 0.0)
          continue;
        sx = sx < 0 ? 0 : sx >= W ? W - 1 : sx;
        sy = sy < 0 ? 0 : sy >= H ? H - 1 : sy;
        for (int ch = 0; ch < 3; ch++)
          rgb[ch] += w * in[((size_t) sy * W + sx) * 4 + ch];
        sum += w;
      }
  for (int ch = 0; ch < 3; ch++)
    rgb[ch] /= sum;
  skc_kernel_free (k);
}

typedef struct
{
  int    n;
  int   *x, *y;
  double *rgb;
} Truth;

static void
truth_make (Truth *tr, int n_points, const SkcShapeParams *shape, float d,
            double rot, const SkcCateyeParams *cp, const float *in, int halo)
{
  int side = (int) ceil (sqrt ((double) n_points * W / H));
  int rows = (n_points + side - 1) / side;

  tr->n = 0;
  tr->x = malloc (sizeof (int) * (size_t) side * rows);
  tr->y = malloc (sizeof (int) * (size_t) side * rows);
  tr->rgb = malloc (sizeof (double) * 3 * (size_t) side * rows);
  for (int j = 0; j < rows; j++)
    for (int i = 0; i < side; i++)
      {
        int x = halo + (int) ((W - 2 * halo - 1) * (i + 0.5) / side);
        int y = halo + (int) ((H - 2 * halo - 1) * (j + 0.5) / rows);

        tr->x[tr->n] = x;
        tr->y[tr->n] = y;
        truth_pixel (shape, d, rot, cp, in, x, y, tr->rgb + 3 * tr->n);
        tr->n++;
      }
}

static double
truth_psnr (const Truth *tr, const float *out)
{
  double se = 0.0;

  for (int i = 0; i < tr->n; i++)
    for (int ch = 0; ch < 3; ch++)
      {
        double e = out[((size_t) tr->y[i] * W + tr->x[i]) * 4 + ch]
                   - tr->rgb[3 * i + ch];

        se += e * e;
      }
  return se > 0.0 ? 10.0 * log10 (3.0 * tr->n / se) : INFINITY;
}

static float
map_at (int x, int y)
{
  float v = (float) y / (H - 1) * 1.1f - 0.05f
            + 0.05f * sinf ((float) x / W * 6.2831853f * 2.0f);

  return v < 0 ? 0 : v > 1 ? 1 : v;
}

static void
cateye (int argc, char **argv)
{
  const char     *shape_name = "heart";
  float           size = 101.0f, strength = 0.8f, start = 0.3f;
  int             runs = 3, threads = 2, n_points = 300, n_extra = 0;
  int             extra[8][2];
  SkcShapeParams  shape;
  SkcFitOptions   o;
  SkcKernel      *target = NULL;
  SkcComplex     *plain = NULL, *uniform = NULL;
  SkcFamily      *fam = NULL, *sizes = NULL;
  SkcCateyeParams cp;
  float          *in, *out, *field, *map;
  float           fit_d;
  double          t0, t_fit, t_uni, t_cat, t_map, t_field, p;
  double          t_cat_apply, p_apply;
  Truth           tr;
  int             halo;

  for (int i = 0; i < argc; i++)
    {
      const char *v = i + 1 < argc ? argv[i + 1] : NULL;

      if (!strcmp (argv[i], "--help"))
        {
          printf ("usage: skc-bench-lens cateye [--shape NAME] [--size PX] "
                  "[--strength S] [--start S] [--runs N] [--threads N] "
                  "[--points N] [--steps CLIP,ANGLE ...] [--cpu]\n");
          exit (0);
        }
      if (!v && strcmp (argv[i], "--cpu"))
        die ("an option lacks its value");
      if (!strcmp (argv[i], "--shape"))
        shape_name = v;
      else if (!strcmp (argv[i], "--size"))
        size = (float) bench_list_number ("skc-bench-lens", "size", v, 1.0,
                                          SKC_MAX_KERNEL_SIZE);
      else if (!strcmp (argv[i], "--strength"))
        strength = (float) bench_list_number ("skc-bench-lens", "strength",
                                              v, 0.0, 1.0);
      else if (!strcmp (argv[i], "--start"))
        start = (float) bench_list_number ("skc-bench-lens", "start", v,
                                           0.0, 1.0);
      else if (!strcmp (argv[i], "--runs"))
        runs = opt_int ("runs", v, 1, 32);
      else if (!strcmp (argv[i], "--threads"))
        threads = opt_int ("threads", v, 0, 256);
      else if (!strcmp (argv[i], "--cpu"))
        {
          use_cpu_clock = 1;
          continue;
        }
      else if (!strcmp (argv[i], "--points"))
        n_points = opt_int ("points", v, 1, 1 << 20);
      else if (!strcmp (argv[i], "--steps") && n_extra < 8)
        {
          /* CLIP,ANGLE: two whole numbers */
          const char *comma = strchr (v, ',');
          char        first[32];

          if (!comma || (size_t) (comma - v) >= sizeof first)
            die ("--steps takes two whole numbers, CLIP,ANGLE");
          memcpy (first, v, (size_t) (comma - v));
          first[comma - v] = '\0';
          extra[n_extra][0] = opt_int ("steps", first, 1, 1 << 20);
          extra[n_extra][1] = opt_int ("steps", comma + 1, 1, 1 << 20);
          n_extra++;
        }
      else
        die ("unknown option (see the file's comment)");
      i++;
    }
  if (runs < 1 || runs > 32 || skc_shape_params_from_name (shape_name,
                                                           &shape) != SKC_OK)
    die ("bad --runs or --shape");

  in = tiled_photo ();
  out = malloc (sizeof (float) * 4 * W * H);
  field = malloc (sizeof (float) * 2 * W * H);
  map = malloc (sizeof (float) * W * H);
  if (!out || !field || !map)
    die ("out of memory");

  fit_d = size < TOP ? size : TOP;
  skc_fit_options_init (&o);
  o.max_reach = (float) (SKC_FAMILY_REACH * fit_d + SKC_FAMILY_REACH_PAD);
  t0 = skc_time_now ();
  if (skc_kernel_target (&shape, NULL, fit_d, 0.0f, &target) != SKC_OK
      || skc_fit (target, &o, &plain) != SKC_OK)
    die ("plain fit failed");
  t_fit = skc_time_now () - t0;
  t0 = skc_time_now ();
  if (skc_cateye_family (plain, target, fit_d, size, SKC_CATEYE_BASES, &o,
                         &fam) != SKC_OK)
    die ("cat's-eye family failed");
  printf ("# cat's eye, %s %.0f px, 24x4, 4000 x 3000, %d threads, "
          "medians of %d, %s\n\n", shape_name, (double) size, threads, runs,
          use_cpu_clock ? "CPU time of the process" : "wall clock");
  printf ("plain fit at %.0f px: %.2f s; cat's-eye family (%d bases, %d "
          "refined): %.2f s\n\n", (double) fit_d, t_fit, SKC_CATEYE_BASES,
          SKC_CATEYE_BASES - 1, skc_time_now () - t0);
  if (skc_complex_copy (fam->bases[0], &uniform) != SKC_OK)
    die ("copy failed");

  skc_cateye_params_init (&cp);
  cp.strength = strength;
  cp.start = start;
  cp.cx = W / 2.0f;
  cp.cy = H / 2.0f;
  cp.half_diagonal = (float) (0.5 * hypot (W, H));
  halo = skc_family_halo (fam, 2.0f * size);

  t0 = skc_time_now ();
  truth_make (&tr, n_points, &shape, size, 0.0, &cp, in, halo);
  printf ("truth: %d pixels in %.1f s\n\n", tr.n, skc_time_now () - t0);

  t_uni = time_uniform (uniform, in, out, runs, threads);
  {
    double t[32];

    for (int r = 0; r < runs; r++)
      {
        t0 = now ();
        cateye_field (&cp, size, SKC_CATEYE_CLIP_STEPS,
                      SKC_CATEYE_ANGLE_STEPS, field);
        t[r] = now () - t0;
      }
    t_field = median (t, runs);
  }
  t_cat = time_varying (fam, field, in, out, runs, threads);
  p = truth_psnr (&tr, out);
  t_cat_apply = time_cateye (fam, &cp, size, in, out, runs, threads);
  p_apply = truth_psnr (&tr, out);
  printf ("| field (one row per pass) | pixels per run | lone (%%) | "
          "identity (%%) | stencils folded | entries per run pixel |\n"
          "|---|---:|---:|---:|---:|---:|\n");
  print_stats ("cat's eye, lone pixels", fam, field, in, out, threads, 0.0f);
  print_stats ("cat's eye, none lone (skc_cateye_apply_rgba)", fam, field, in,
               out, threads, INFINITY);

  /* the map mode's cost: a size family driven by a depth map */
  {
    SkcVaryParams vp;

    t0 = skc_time_now ();
    o.max_reach = 0.0f;
    if (skc_family_fit (&shape, NULL, SKC_FAMILY_CANON_MIN,
                        SKC_FAMILY_CANON_TOP, SKC_FAMILY_CANON_BASES, &o,
                        &sizes) != SKC_OK)
      die ("size family failed");
    for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++)
        map[(size_t) y * W + x] = map_at (x, y);
    skc_vary_params_init (&vp, SKC_VARY_MAP);
    vp.diameter_px = size;
    vp.focus = 0.0f;
    vp.range = 1.0f;
    if (skc_vary_field (&vp, (SkcRect) { 0, 0, W, H }, map, W,
                        (SkcRect) { 0, 0, W, H }, field) != SKC_OK)
      die ("map field failed");
    t_map = time_varying (sizes, field, in, out, runs, threads);
    print_stats ("map mode, depth map", sizes, field, in, out, threads, 0.0f);
    printf ("\n");
  }

  printf ("| blur | field steps (clip, angle per turn) | time (s) | vs uniform "
          "| PSNR vs per-pixel truth (dB) |\n|---|---|---:|---:|---:|\n");
  printf ("| uniform (skc_apply_rgba) | - | %.3f | 1.00 | - |\n", t_uni);
  printf ("| map mode, depth map (size family) | - | %.3f | %.2f | - |\n",
          t_map, t_map / t_uni);
  printf ("| cat's eye, strength %.2f, start %.2f: skc_cateye_apply_rgba "
          "(field on the threads, none lone) | %d, %d | %.3f | %.2f | %.2f |\n",
          (double) strength, (double) start, SKC_CATEYE_CLIP_STEPS,
          SKC_CATEYE_ANGLE_STEPS, t_cat_apply, t_cat_apply / t_uni, p_apply);
  printf ("| the same before: skc_cateye_field (one thread, %.3f s) + "
          "skc_apply_varying_rgba (lone pixels) "
          "| %d, %d | %.3f | %.2f | %.2f |\n", t_field, SKC_CATEYE_CLIP_STEPS,
          SKC_CATEYE_ANGLE_STEPS, t_field + t_cat, (t_field + t_cat) / t_uni,
          p);
  for (int e = 0; e < n_extra; e++)
    {
      double t;

      cateye_field (&cp, size, extra[e][0], extra[e][1], field);
      t = time_varying (fam, field, in, out, runs, threads);
      printf ("| cat's eye, apply only | %d, %d | %.3f | %.2f | %.2f |\n",
              extra[e][0], extra[e][1], t, t / t_uni, truth_psnr (&tr, out));
    }
  free (tr.x);
  free (tr.y);
  free (tr.rgb);
  skc_kernel_free (target);
  skc_complex_free (plain);
  skc_complex_free (uniform);
  skc_family_free (fam);
  skc_family_free (sizes);
  free (in);
  free (out);
  free (field);
  free (map);
}

int
main (int argc, char **argv)
{
  if (argc >= 2 && !strcmp (argv[1], "cateye"))
    cateye (argc - 2, argv + 2);
  else
    {
      fprintf (stderr, "usage: skc-bench-lens cateye [options] (see "
                       "tests/bench/bench-lens.c)\n");
      return 2;
    }
  return 0;
}
