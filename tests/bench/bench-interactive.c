/* skc-bench-interactive: what one fit per kernel (issue 12) costs and
 * gains against a fit per size, in the core (no GEGL).
 *
 *   skc-bench-interactive accuracy [--kernels a,b] [--sizes 5,9,...]
 *       [--angles 0,15,...] [--threads T] [--brushes DIR]
 *     For every kernel (shapes, thin and asymmetric ones, a GIMP brush
 *     from --brushes, a drawn scribble) and size, image PSNR (linear
 *     light, peak 1) of
 *       - a fit at that size: skc_fit of the dense kernel drawn at the size
 *         (skc_family_target), 24x4, default options: what the op and the
 *         plug-ins fitted for each new size before issue 12;
 *       - the canonical family (skc.h, SKC_FAMILY_CANON_*), fitted once per
 *         kernel and evaluated at the size (skc_family_eval);
 *       - what the uniform filter renders (skc_family_uniform: the dense
 *         kernel itself where that costs no more, below the top basis
 *         the family polished at the size and angle, beyond it the
 *         family widened),
 *         and how long skc_family_uniform took (the slowest angle);
 *     each turned by every angle of --angles (the per-size fit turned
 *     analytically, as the op always did), applied to the sample photo
 *     mirror-tiled to 1200 x 800 (so the largest kernels keep an
 *     interior), against exact FFT convolution with the dense kernel at
 *     that size and angle (skc_eval_image_psnr).  Each row shows the worst
 *     angle of each column and the worst filter - fit difference at one
 *     angle; the per-size fit's time is printed too.
 *
 *   skc-bench-interactive fit-time [--kernels a,b] [--sizes 25,49,...]
 *       [--repeat R] [--threads T]
 *     Wall-clock seconds of a first fit (no cache) at each size: the
 *     canonical family (whatever the size: the median of --repeat fits)
 *     and a fit at the size (one fit; they take long).
 */
#define _POSIX_C_SOURCE 200809L
#include "skc.h"
#include "skc-private.h"
#include "bench-common.h"
#include "../scribble.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PHOTO_W 1200
#define PHOTO_H 800

#define PROG "skc-bench-interactive"

static void
die (const char *msg, const char *arg)
{
  fprintf (stderr, PROG ": %s%s\n", msg, arg ? arg : "");
  exit (2);
}

/* @p (w x h) mirror-tiled to W x H. */
static float *
mirror_tile (const float *p, int w, int h, int W, int H)
{
  float *o = malloc (sizeof (float) * (size_t) W * H);

  if (!o)
    die ("out of memory", NULL);
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      o[(size_t) y * W + x] = p[(size_t) bench_mirror (y, h) * w
                                + bench_mirror (x, w)];
  return o;
}

/* The kernels of the accuracy grid: shapes, thin and asymmetric ones,
 * and a GIMP brush. */
typedef struct
{
  const char *id;
  const char *shape;   /* a shape name, or NULL for the brush            */
  float       inner;   /* ring, star: inner radius; < 0 the default      */
  const char *brush;   /* a .gbr under the brush folder; "-" the scribble */
} Kern;

static const Kern kerns[] = {
  { "disk", "disk", -1.0f, NULL },
  { "pentagon", "pentagon", -1.0f, NULL },
  { "hexagon", "hexagon", -1.0f, NULL },
  { "heart", "heart", -1.0f, NULL },
  { "star", "star", -1.0f, NULL },
  { "coma", "coma", -1.0f, NULL },
  { "catseye", "catseye", -1.0f, NULL },
  { "thin-ring", "ring", 0.85f, NULL },
  { "thin-star", "star", 0.25f, NULL },
  { "pencil-scratch", NULL, -1.0f, "Sketch/Pencil-Scratch.gbr" },
  { "scribble", NULL, -1.0f, "-" },   /* tests/scribble.h: a drawn stroke */
};

/* The kernel @id names: its shape (return 1) or its image in *@image. */
static int
kern_get (const char *id, const char *brushes, SkcShapeParams *sp,
          SkcKernel **image)
{
  *image = NULL;
  for (size_t i = 0; i < sizeof kerns / sizeof kerns[0]; i++)
    if (strcmp (kerns[i].id, id) == 0)
      {
        if (kerns[i].shape)
          {
            skc_shape_params_from_name (kerns[i].shape, sp);
            if (kerns[i].inner >= 0.0f)
              sp->inner = kerns[i].inner;
            return 1;
          }
        if (strcmp (kerns[i].brush, "-") == 0)
          {
            *image = scribble_kernel ();
            if (!*image)
              die ("out of memory", NULL);
            return 0;
          }
        {
          char path[4096];

          snprintf (path, sizeof path, "%s/%s", brushes, kerns[i].brush);
          *image = bench_load_gbr (path);
          if (!*image)
            die ("cannot read the brush ", path);
          return 0;
        }
      }
  if (skc_shape_params_from_name (id, sp) != SKC_OK)
    die ("unknown kernel ", id);
  return 1;
}

static SkcFamily *
canon_fit (const SkcShapeParams *shape, const SkcKernel *image,
           const SkcFitOptions *o, double *secs)
{
  SkcFamily *f = NULL;
  double     t0 = skc_time_now ();
  float      top;
  int        n_bases;

  skc_family_canon (image, &top, &n_bases);
  if (skc_family_fit (shape, image, SKC_FAMILY_CANON_MIN, top, n_bases, o,
                      &f) != SKC_OK)
    die ("family fit failed", NULL);
  *secs = skc_time_now () - t0;
  return f;
}

static SkcComplex *
size_fit (const SkcShapeParams *shape, const SkcKernel *image, float size,
          const SkcFitOptions *o, double *secs)
{
  SkcKernel  *k = NULL;
  SkcComplex *c = NULL;
  double      t0 = skc_time_now ();

  if (skc_family_target (shape, image, size, 0.0f, &k) != SKC_OK
      || skc_fit (k, o, &c) != SKC_OK)
    die ("fit failed", NULL);
  *secs = skc_time_now () - t0;
  skc_kernel_free (k);
  return c;
}

/* @c (a fit at @size) turned by @angle, into @out (its copy). */
static void
turn (const SkcComplex *c, float size, float angle, SkcComplex *out)
{
  SkcFamily        *one = NULL;
  const SkcComplex *b[1] = { c };

  skc_family_from_bases (1, &size, b, &one);
  if (skc_family_eval (one, size, angle, out) != SKC_OK)
    die ("skc_family_eval failed", "");
  skc_family_free (one);
}

static double
psnr_of (const SkcComplex *c, const SkcKernel *truth, const float *big)
{
  double p = NAN;

  if (skc_eval_image_psnr (c, truth, big, PHOTO_W, PHOTO_H, &p, NULL)
      != SKC_OK)
    die ("cannot measure", NULL);
  return p;
}

/* One row: the worst over @angles of a fit at the size (turned), of the
 * family and of what the filter renders (skc_family_uniform), and the
 * worst difference filter - fit at one angle. */
static void
accuracy (const char *klist, const char *slist, const char *alist,
          const char *brushes, const SkcFitOptions *o)
{
  SkcImage *ph = NULL;
  float    *plane = NULL, *big;
  char     *kl = strdup (klist), *ksave = NULL;

  if (skc_image_load (SKC_SAMPLE_PHOTO, &ph) != SKC_OK
      || skc_image_luminance_linear (ph, &plane) != SKC_OK)
    die ("cannot load ", SKC_SAMPLE_PHOTO);
  big = mirror_tile (plane, ph->width, ph->height, PHOTO_W, PHOTO_H);
  printf ("| kernel | size (px) | fit at the size (dB) | its fit time (s) "
          "| one family (dB) | the filter (dB) | filter renders "
          "| its build (s, slowest angle) | filter - fit (dB) |\n"
          "|---|---:|---:|---:|---:|---:|---|---:|---:|\n");
  for (char *k = strtok_r (kl, ",", &ksave); k; k = strtok_r (NULL, ",", &ksave))
    {
      SkcShapeParams sp;
      SkcKernel     *image = NULL;
      const SkcShapeParams *shape;
      SkcFamily     *fam;
      double         secs, low[3] = { INFINITY, INFINITY, INFINITY };
      double         low_diff = INFINITY;
      char          *sl = strdup (slist), *save = NULL;

      shape = kern_get (k, brushes, &sp, &image) ? &sp : NULL;
      fam = canon_fit (shape, image, o, &secs);
      for (char *s = strtok_r (sl, ",", &save); s;
           s = strtok_r (NULL, ",", &save))
        {
          float       size = (float) bench_list_number (PROG, "sizes", s, 1,
                                                        SKC_MAX_KERNEL_SIZE);
          SkcComplex *pf, *turned = NULL, *fe = NULL;
          double      t_pf, w[3] = { INFINITY, INFINITY, INFINITY };
          double      diff = INFINITY;
          char       *al = strdup (alist), *asave = NULL;
          int         n_dense = 0, n_polished = 0, n_widened = 0;
          int         n_angles = 0;
          double      build = 0.0;

          pf = size_fit (shape, image, size, o, &t_pf);
          skc_complex_copy (pf, &turned);
          skc_complex_copy (fam->bases[0], &fe);
          for (char *a = strtok_r (al, ",", &asave); a;
               a = strtok_r (NULL, ",", &asave))
            {
              float       angle = (float) (bench_list_number (PROG, "angles", a,
                                                             -3600, 3600)
                                           * M_PI / 180.0);
              SkcKernel  *truth = NULL;
              SkcComplex *fc = NULL;
              SkcPlan    *plan = NULL;
              double      p[3];
              int         dense = 0, polished, widened;

              double      t0;

              if (skc_family_target (shape, image, size, angle, &truth)
                  != SKC_OK)
                die ("cannot draw ", k);
              t0 = skc_time_now ();
              if (skc_family_uniform (fam, truth, size, angle, &fc, &plan,
                                      &dense) != SKC_OK)
                die ("cannot render ", k);
              build = fmax (build, skc_time_now () - t0);
              turn (pf, size, angle, turned);
              if (skc_family_eval (fam, size, angle, fe) != SKC_OK)
                die ("skc_family_eval failed", "");
              p[0] = psnr_of (turned, truth, big);
              p[1] = psnr_of (fe, truth, big);
              /* polished or widened: the filter's complex is not the
               * evaluation */
              widened = !dense && fc->n_layers != fe->n_layers;
              polished = !dense && !widened
                         && memcmp (fc->taps, fe->taps, sizeof (SkcTap)
                                    * (size_t) skc_complex_total_taps (fe));
              n_polished += polished;
              n_widened += widened;
              n_dense += dense;
              p[2] = dense || polished || widened ? psnr_of (fc, truth, big)
                                                  : p[1];
              for (int m = 0; m < 3; m++)
                w[m] = fmin (w[m], p[m]);
              diff = fmin (diff, p[2] - p[0]);
              n_angles++;
              skc_plan_free (plan);
              skc_complex_free (fc);
              skc_kernel_free (truth);
            }
          printf ("| %s | %.0f | %.2f | %.2f | %.2f | %.2f | %s | %.3f "
                  "| %+.2f |\n",
                  k, (double) size, w[0], t_pf, w[1], w[2],
                  n_dense == n_angles ? "dense"
                  : n_polished == n_angles ? "polished"
                  : n_widened == n_angles ? "widened"
                  : n_dense + n_polished + n_widened == 0 ? "family"
                  : "mixed",
                  build, diff);
          fflush (stdout);
          for (int m = 0; m < 3; m++)
            low[m] = fmin (low[m], w[m]);
          low_diff = fmin (low_diff, diff);
          free (al);
          skc_complex_free (pf);
          skc_complex_free (turned);
          skc_complex_free (fe);
        }
      printf ("| %s | lowest | %.2f | | %.2f | %.2f | | | %+.2f |\n", k,
              low[0], low[1], low[2], low_diff);
      fflush (stdout);
      free (sl);
      skc_family_free (fam);
      skc_kernel_free (image);
    }
  free (kl);
  free (big);
  free (plane);
  skc_image_free (ph);
}

static void
fit_time (const char *klist, const char *slist, int repeat,
          const SkcFitOptions *o)
{
  char *kl = strdup (klist);

  printf ("| kernel | size (px) | one family, first fit (s, median of %d) "
          "| fit at the size (s) |\n|---|---:|---:|---:|\n", repeat);
  for (char *k = strtok (kl, ","); k; k = strtok (NULL, ","))
    {
      SkcShapeParams sp;
      char          *sl = strdup (slist), *save = NULL;

      if (skc_shape_params_from_name (k, &sp) != SKC_OK)
        die ("unknown kernel ", k);
      for (char *s = strtok_r (sl, ",", &save); s;
           s = strtok_r (NULL, ",", &save))
        {
          float   size = (float) bench_list_number (PROG, "sizes", s, 1,
                                                    SKC_MAX_KERNEL_SIZE);
          double *t = calloc ((size_t) repeat, sizeof *t), t_size;

          for (int r = 0; r < repeat; r++)
            {
              /* the family does not depend on the size: a first fit at
               * any size is this fit and an evaluation */
              SkcFamily  *f = canon_fit (&sp, NULL, o, &t[r]);
              SkcComplex *c = NULL;
              double      t0 = skc_time_now ();

              skc_complex_copy (f->bases[0], &c);
              if (skc_family_eval (f, size, 0.0f, c) != SKC_OK)
                die ("skc_family_eval failed", "");
              t[r] += skc_time_now () - t0;
              skc_complex_free (c);
              skc_family_free (f);
            }
          qsort (t, (size_t) repeat, sizeof *t, bench_cmp_double);
          skc_complex_free (size_fit (&sp, NULL, size, o, &t_size));
          printf ("| %s | %.0f | %.2f | %.2f |\n", k, (double) size,
                  t[repeat / 2], t_size);
          fflush (stdout);
          free (t);
        }
      free (sl);
    }
  free (kl);
}

int
main (int argc, char **argv)
{
  const char   *mode = NULL;
  const char   *klist = NULL;
  const char   *slist = NULL;
  const char   *alist = "0,15,30,45";
  const char   *brushes = "/usr/share/gimp/3.0/brushes";
  int           repeat = 3;
  SkcFitOptions o;

  skc_fit_options_init (&o);   /* 24x4, as the op fits */
  {
    static const char usage[] =
      "usage: skc-bench-interactive accuracy [--kernels LIST] "
      "[--sizes LIST] [--angles LIST] [--threads T]\n"
      "         [--brushes DIR]\n"
      "       skc-bench-interactive fit-time [--kernels LIST] "
      "[--sizes LIST] [--repeat R] [--threads T]\n";
    const SkcOption opts[] = {
      { "kernels", 0, SKC_OPT_STRING, &klist, 0, 0, NULL },
      { "sizes",   0, SKC_OPT_STRING, &slist, 0, 0, NULL },
      { "angles",  0, SKC_OPT_STRING, &alist, 0, 0, NULL },
      { "brushes", 0, SKC_OPT_STRING, &brushes, 0, 0, NULL },
      { "repeat",  0, SKC_OPT_INT,    &repeat, 1, 1000, NULL },
      { "threads", 0, SKC_OPT_INT,    &o.n_threads, 0, 64, NULL },
      { 0 }
    };
    int n_words, rc = skc_options_parse (PROG, NULL, usage, argc, argv, opts,
                                         &mode, 1, &n_words);

    if (rc >= 0)
      return rc;
    if (!mode || (strcmp (mode, "accuracy") != 0
                  && strcmp (mode, "fit-time") != 0))
      return skc_options_error (PROG, NULL, "the first word must be "
                                "'accuracy' or 'fit-time'");
  }
  if (strcmp (mode, "accuracy") == 0)
    accuracy (klist ? klist : "disk,hexagon,heart,star,coma,catseye,"
                              "thin-ring,thin-star,pencil-scratch",
              slist ? slist : "3,5,9,15,21,25,33,49,101,151,301", alist,
              brushes, &o);
  else
    fit_time (klist ? klist : "heart", slist ? slist : "25,49,101,151,301",
              repeat, &o);
  return 0;
}
