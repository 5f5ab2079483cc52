/* skc-bench: fidelity and speed of the fit on the paper's kernel set.
 *
 * For every kernel (49 x 49 unless --size) and configuration (samples x
 * layers) it fits a complex, then measures
 *   - image PSNR: the complex applied to a real photo (linear-light
 *     luminance) against exact FFT convolution with the dense kernel,
 *     interior only (skc_eval_image_psnr);
 *   - kernel PSNR: impulse response against the kernel, peak = kernel peak;
 *   - fit time: median wall-clock seconds over --repeat fits.
 * and prints a Markdown table, with the paper's 24x4 numbers beside ours
 * where it has them (METHOD.md section 6).
 *
 * Options:
 *   --kernels a,b,c   subset (disk hexagon star heart ring coma g5 g7 g9 g11)
 *   --configs 12x4,24x4
 *   --size PX  --steps K  --starts N  --start-steps K  --init ir|ss|random
 *   --threads T  --repeat R  --no-dc  --seed S  --photo PATH
 *   --lr-offset A,B  --lr-weight A,B  --eps E   schedule overrides
 *   --scales N        coarse loss scales (0: the paper's plain loss)
 *   --method disk|pst|lowrank  --iterations N (pst)
 *                     (lowrank reads a config "2x1" as rank 2)
 *   --curve K         print image PSNR every K steps instead (ablations)
 *   --apply-time      also time skc_apply_rgba of each result on a
 *                     4000 x 3000 RGBA image (the photo mirror-tiled),
 *                     2 threads, median of 3
 *
 * `skc-bench highlights [...]` runs the point-light benchmark instead
 * (bench-highlights.c, --help there).
 */
#include "skc.h"
#include "skc-options.h"
#include "bench-common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  const char *id;
  const char *shape;
  float       sigma;
  double      paper_db;   /* paper's 24x4 image PSNR, 0 if none */
} BenchKernel;

static const BenchKernel kernels[] = {
  { "disk", "disk", 0, 49.0 },
  { "hexagon", "hexagon", 0, 0 },
  { "star", "star", 0, 56.5 },
  { "heart", "heart", 0, 0 },
  { "ring", "ring", 0, 0 },
  { "coma", "coma", 0, 47.1 },
  { "g5", "gaussian", 5, 0 },
  { "g7", "gaussian", 7, 0 },
  { "g9", "gaussian", 9, 0 },
  { "g11", "gaussian", 11, 0 },
};
#define N_KERNELS ((int) (sizeof kernels / sizeof kernels[0]))



#define BIG_W 4000
#define BIG_H 3000

/* Median of 3 runs of the fast engine on @big (4000 x 3000 RGBA). */
static double
time_apply (const SkcComplex *c, const float *big)
{
  SkcPlan        *plan = NULL;
  SkcApplyOptions ao;
  SkcRect         all = { 0, 0, BIG_W, BIG_H };
  float          *out = malloc (sizeof (float) * 4 * BIG_W * BIG_H);
  double          t[3];

  skc_plan_new (c, &plan);
  skc_apply_options_init (&ao);
  ao.n_threads = 2;
  for (int r = 0; r < 3; r++)
    {
      double t0 = skc_time_now ();

      skc_apply_rgba (plan, skc_in_view (big, 4 * BIG_W, all), all,
                      skc_out_view (out, 4 * BIG_W, all), &ao);
      t[r] = skc_time_now () - t0;
    }
  skc_plan_free (plan);
  free (out);
  qsort (t, 3, sizeof *t, bench_cmp_double);
  return t[1];
}

static void
die (const char *msg, const char *arg)
{
  fprintf (stderr, "skc-bench: %s%s\n", msg, arg ? arg : "");
  exit (2);
}

int bench_highlights_main (int argc, char **argv);

static const char bench_help[] =
  "usage: skc-bench [--kernels LIST] [--configs 12x4,24x4] [--size PX]\n"
  "  [--steps K] [--starts N] [--start-steps K] [--init ir|ss|random]\n"
  "  [--threads T] [--repeat R] [--no-dc] [--seed S] [--photo PATH] [--curve K]\n"
  "  [--scales N] [--eps E] [--lr-offset A,B] [--lr-weight A,B]\n"
  "  [--method disk|pst|lowrank] [--iterations N] [--apply-time]\n"
  "       skc-bench highlights --help\n";

int
main (int argc, char **argv)
{
  const char   *klist = NULL, *clist = "12x4,24x4,32x4";
  const char   *photo = SKC_SAMPLE_PHOTO;
  SkcFitOptions base;
  int           size = 49, repeat = 1, curve = 0;
  int           pst = 0, lowrank = 0, apply_time = 0;
  float        *big = NULL;
  SkcPstOptions pbase;
  SkcImage     *ph = NULL;
  float        *plane = NULL;

  if (argc > 1 && strcmp (argv[1], "highlights") == 0)
    return bench_highlights_main (argc - 1, argv + 1);
  skc_fit_options_init (&base);
  skc_pst_options_init (&pbase);
  {
    const char     *method = "disk", *init = NULL;
    const SkcOption opts[] = {
      { "kernels",     0, SKC_OPT_STRING, &klist, 0, 0, NULL },
      { "configs",     0, SKC_OPT_STRING, &clist, 0, 0, NULL },
      { "size",        0, SKC_OPT_INT,    &size, 3, SKC_MAX_KERNEL_SIZE, NULL },
      { "steps",       0, SKC_OPT_INT,    &base.steps, 0, 1000000, NULL },
      { "starts",      0, SKC_OPT_INT,    &base.n_starts, 1, 64, NULL },
      { "start-steps", 0, SKC_OPT_INT,    &base.start_steps, 0, 1000000, NULL },
      { "threads",     0, SKC_OPT_INT,    &base.n_threads, 0, 64, NULL },
      { "repeat",      0, SKC_OPT_INT,    &repeat, 1, 1000, NULL },
      { "seed",        0, SKC_OPT_U64,    &base.seed, 0, 0, "a non-negative integer" },
      { "photo",       0, SKC_OPT_STRING, &photo, 0, 0, NULL },
      { "lr-offset",   0, SKC_OPT_FLOAT2, base.lr_offset, 0, 10, "A,B within 0..10" },
      { "lr-weight",   0, SKC_OPT_FLOAT2, base.lr_weight, 0, 100, "A,B within 0..100" },
      { "scales",      0, SKC_OPT_INT,    &base.loss_scales, 0, 6, NULL },
      { "eps",         0, SKC_OPT_FLOAT,  &base.eps, 0, 1, NULL },
      { "method",      0, SKC_OPT_STRING, &method, 0, 0, NULL },
      { "iterations",  0, SKC_OPT_INT,    &pbase.iterations, 0, 10000000, NULL },
      { "curve",       0, SKC_OPT_INT,    &curve, 0, 1000000, NULL },
      { "init",        0, SKC_OPT_STRING, &init, 0, 0, NULL },
      { "no-dc",       0, SKC_OPT_FLAG,   &base.dc_constraint, 0, 0, NULL },
      { "apply-time",  0, SKC_OPT_FLAG,   &apply_time, 1, 0, NULL },
      { 0 }
    };
    int n_words, rc = skc_options_parse ("skc-bench", NULL, bench_help, argc,
                                         argv, opts, NULL, 0, &n_words);

    if (rc >= 0)
      return rc;
    pst = strcmp (method, "pst") == 0;
    lowrank = strcmp (method, "lowrank") == 0;
    if (!pst && !lowrank && strcmp (method, "disk") != 0)
      die ("bad --method ", method);
    if (init && skc_init_from_name (init, &base.init) != SKC_OK)
      die ("bad --init ", init);
  }

  if (skc_image_load (photo, &ph) != SKC_OK
      || skc_image_luminance_linear (ph, &plane) != SKC_OK)
    die ("cannot load photo ", photo);

  printf ("method %s; ", pst ? "pst" : lowrank ? "lowrank (config RxL = rank R)" : "disk (gradient)");
  if (pst)
    printf ("%d iterations x %d chains; ", pbase.iterations, pbase.n_chains);
  printf ("kernel %dx%d; photo %s (%dx%d, linear light); steps %d, starts %d x %d steps, "
          "init %s, DC constraint %s, threads %d, seed %llu, repeat %d\n\n",
          size, size, photo, ph->width, ph->height, base.steps, base.n_starts,
          base.start_steps, skc_init_name (base.init),
          base.dc_constraint ? "on" : "off", base.n_threads,
          (unsigned long long) base.seed, repeat);
  if (apply_time)
    {
      /* the photo's linear luminance mirror-tiled to 4000 x 3000 RGBA */
      big = malloc (sizeof (float) * 4 * BIG_W * BIG_H);
      for (int y = 0; y < BIG_H; y++)
        for (int x = 0; x < BIG_W; x++)
          {
            int tx = x % (2 * ph->width), ty = y % (2 * ph->height);
            int sx = tx < ph->width ? tx : 2 * ph->width - 1 - tx;
            int sy = ty < ph->height ? ty : 2 * ph->height - 1 - ty;
            float v = plane[(size_t) sy * ph->width + sx];
            float *d = big + 4 * ((size_t) y * BIG_W + x);

            d[0] = d[1] = d[2] = v;
            d[3] = 1.0f;
          }
    }
  if (!curve)
    {
      printf ("| kernel | config | taps | image PSNR, linear (dB) | paper 24x4 (dB) | image PSNR, sRGB-encoded (dB) | kernel PSNR (dB) | fit time (s, median) |%s\n",
              apply_time ? " apply 4000x3000 RGBA, 2 threads (s) |" : "");
      printf ("|---|---|---:|---:|---:|---:|---:|---:|%s\n", apply_time ? "---:|" : "");
    }
  else
    {
      printf ("| kernel | config |");
      for (int s = curve; s <= base.steps; s += curve)
        printf (" %d |", s);
      printf ("\n|---|---|");
      for (int s = curve; s <= base.steps; s += curve)
        printf ("---:|");
      printf ("\n");
    }

  for (int ki = 0; ki < N_KERNELS; ki++)
    {
      const BenchKernel *bk = &kernels[ki];
      SkcShapeParams     sp;
      SkcKernel         *k = NULL;
      const char        *c = clist;

      if (!bench_in_list (klist, bk->id))
        continue;
      if (skc_shape_params_from_name (bk->shape, &sp) != SKC_OK)
        die ("unknown shape ", bk->shape);
      sp.side_px = size;
      if (bk->sigma > 0)
        sp.sigma = bk->sigma;
      if (skc_shape_render (&sp, &k) != SKC_OK)
        die ("cannot render ", bk->id);

      while (c && *c)
        {
          SkcFitOptions o = base;
          int           ns, nl;
          double       *times = calloc ((size_t) repeat, sizeof *times);
          SkcComplex   *cx = NULL;
          double        ip = NAN, ips = NAN;

          if (sscanf (c, "%dx%d", &ns, &nl) != 2)
            die ("bad config in ", clist);
          o.n_samples = ns;
          o.n_layers = nl;
          if (curve)
            {
              printf ("| %s | %dx%d |", bk->id, ns, nl);
              for (int s = curve; s <= base.steps; s += curve)
                {
                  o.steps = s;
                  if (skc_fit (k, &o, &cx) != SKC_OK)
                    die ("fit failed for ", bk->id);
                  skc_eval_image_psnr (cx, k, plane, ph->width, ph->height, &ip, NULL);
                  printf (" %.2f |", ip);
                  fflush (stdout);
                  skc_complex_free (cx);
                  cx = NULL;
                }
              printf ("\n");
            }
          else
            {
              for (int r = 0; r < repeat; r++)
                {
                  double t0 = skc_time_now ();

                  skc_complex_free (cx);
                  cx = NULL;
                  if (lowrank)
                    {
                      /* config "RxL" reads as rank R (L ignored) */
                      if (skc_fit_lowrank (k, ns, &cx) != SKC_OK)
                        die ("lowrank failed for ", bk->id);
                    }
                  else if (pst)
                    {
                      SkcPstOptions po = pbase;

                      po.n_samples = ns;
                      po.n_layers = nl;
                      po.init = o.init;
                      po.seed = o.seed;
                      po.n_threads = o.n_threads;
                      po.dc_constraint = o.dc_constraint;
                      po.loss_scales = o.loss_scales;
                      if (skc_fit_pst (k, &po, &cx) != SKC_OK)
                        die ("pst failed for ", bk->id);
                    }
                  else if (skc_fit (k, &o, &cx) != SKC_OK)
                    die ("fit failed for ", bk->id);
                  times[r] = skc_time_now () - t0;
                }
              qsort (times, (size_t) repeat, sizeof *times, bench_cmp_double);
              skc_eval_image_psnr (cx, k, plane, ph->width, ph->height, &ip, &ips);
              {
                char paper[16] = "";

                if (bk->paper_db > 0 && ns == 24 && nl == 4)
                  snprintf (paper, sizeof paper, "%.1f", bk->paper_db);
                printf ("| %s | %dx%d | %d | %.2f | %s | %.2f | %.2f | %.3f |",
                        bk->id, ns, nl, skc_complex_total_taps (cx), ip, paper, ips, cx->kernel_psnr,
                        times[repeat / 2]);
                if (apply_time)
                  printf (" %.3f |", time_apply (cx, big));
                printf ("\n");
              }
              fflush (stdout);
              skc_complex_free (cx);
            }
          free (times);
          c = strchr (c, ',');
          if (c)
            c++;
        }
      skc_kernel_free (k);
    }
  free (big);
  free (plane);
  skc_image_free (ph);
  return 0;
}
