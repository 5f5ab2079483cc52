/* skc-bench-interactive: what one fit per kernel (issue 12) costs and
 * gains against a fit per size, in the core (no GEGL).
 *
 *   skc-bench-interactive accuracy [--kernels a,b] [--sizes 5,9,...]
 *       [--angle DEG] [--threads T]
 *     For every kernel and size, image PSNR (linear light, peak 1) of
 *       - a fit at that size: skc_fit of the dense kernel drawn at the size
 *         (skc_family_target), 24x4, default options: what the op and the
 *         plug-ins fitted for each new size before;
 *       - the canonical family (skc.h, SKC_FAMILY_CANON_*), fitted once per
 *         kernel and evaluated at the size (skc_family_eval): what they
 *         fit now;
 *     both turned by --angle (the per-size fit turned analytically, as the
 *     op always did), applied to the sample photo mirror-tiled to
 *     1200 x 800 (so the largest kernels keep an interior), against exact
 *     FFT convolution with the dense kernel at that size and angle
 *     (skc_eval_image_psnr).  The per-size fit's time is printed too.
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

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PHOTO_W 1200
#define PHOTO_H 800

static void
die (const char *msg, const char *arg)
{
  fprintf (stderr, "skc-bench-interactive: %s%s\n", msg, arg ? arg : "");
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
      {
        int xx = x % (2 * w), yy = y % (2 * h);

        xx = xx < w ? xx : 2 * w - 1 - xx;
        yy = yy < h ? yy : 2 * h - 1 - yy;
        o[(size_t) y * W + x] = p[(size_t) yy * w + xx];
      }
  return o;
}

static SkcFamily *
canon_fit (const SkcShapeParams *shape, const SkcFitOptions *o, double *secs)
{
  SkcFamily *f = NULL;
  double     t0 = skc_time_now ();

  if (skc_family_fit (shape, NULL, SKC_FAMILY_CANON_MIN, SKC_FAMILY_CANON_TOP,
                      SKC_FAMILY_CANON_BASES, o, &f) != SKC_OK)
    die ("family fit failed", NULL);
  *secs = skc_time_now () - t0;
  return f;
}

static SkcComplex *
size_fit (const SkcShapeParams *shape, float size, const SkcFitOptions *o,
          double *secs)
{
  SkcKernel  *k = NULL;
  SkcComplex *c = NULL;
  double      t0 = skc_time_now ();

  if (skc_family_target (shape, NULL, size, 0.0f, &k) != SKC_OK
      || skc_fit (k, o, &c) != SKC_OK)
    die ("fit failed", NULL);
  *secs = skc_time_now () - t0;
  skc_kernel_free (k);
  return c;
}

/* @c (a fit at @size) turned by @angle, in place. */
static void
turn (SkcComplex *c, float size, float angle)
{
  SkcFamily        *one = NULL;
  const SkcComplex *b[1] = { c };
  SkcComplex       *copy = NULL;

  if (angle == 0.0f)
    return;
  skc_complex_copy (c, &copy);
  b[0] = copy;
  skc_family_from_bases (1, &size, b, &one);
  if (skc_family_eval (one, size, angle, c) != SKC_OK)
    die ("skc_family_eval failed", "");
  skc_family_free (one);
  skc_complex_free (copy);
}

static void
accuracy (const char *klist, const char *slist, float angle,
          const SkcFitOptions *o)
{
  SkcImage *ph = NULL;
  float    *plane = NULL, *big;
  char     *kl = strdup (klist);

  if (skc_image_load (SKC_SAMPLE_PHOTO, &ph) != SKC_OK
      || skc_image_luminance_linear (ph, &plane) != SKC_OK)
    die ("cannot load ", SKC_SAMPLE_PHOTO);
  big = mirror_tile (plane, ph->width, ph->height, PHOTO_W, PHOTO_H);
  printf ("| kernel | size (px) | fit at the size (dB) | its fit time (s) "
          "| one family (dB) | difference (dB) |\n"
          "|---|---:|---:|---:|---:|---:|\n");
  for (char *k = strtok (kl, ","); k; k = strtok (NULL, ","))
    {
      SkcShapeParams sp;
      SkcFamily     *fam;
      double         secs, worst_size = INFINITY, worst_fam = INFINITY;
      char          *sl = strdup (slist), *save = NULL;

      if (skc_shape_params_from_name (k, &sp) != SKC_OK)
        die ("unknown kernel ", k);
      fam = canon_fit (&sp, o, &secs);
      for (char *s = strtok_r (sl, ",", &save); s;
           s = strtok_r (NULL, ",", &save))
        {
          float       size = (float) strtod (s, NULL);
          SkcKernel  *truth = NULL;
          SkcComplex *pf, *fe = NULL;
          double      p_pf = NAN, p_fe = NAN, t_pf;

          if (!(size > 0.0f))
            die ("bad size ", s);
          if (skc_family_target (&sp, NULL, size, angle, &truth) != SKC_OK)
            die ("cannot draw ", k);
          skc_complex_copy (fam->bases[0], &fe);
          if (skc_family_eval (fam, size, angle, fe) != SKC_OK)
            die ("skc_family_eval failed", "");
          pf = size_fit (&sp, size, o, &t_pf);
          turn (pf, size, angle);
          if (skc_eval_image_psnr (pf, truth, big, PHOTO_W, PHOTO_H, &p_pf,
                                   NULL) != SKC_OK
              || skc_eval_image_psnr (fe, truth, big, PHOTO_W, PHOTO_H, &p_fe,
                                      NULL) != SKC_OK)
            die ("cannot measure ", k);
          printf ("| %s | %.0f | %.2f | %.2f | %.2f | %+.2f |\n", k,
                  (double) size, p_pf, t_pf, p_fe, p_fe - p_pf);
          fflush (stdout);
          worst_size = fmin (worst_size, p_pf);
          worst_fam = fmin (worst_fam, p_fe);
          skc_complex_free (pf);
          skc_complex_free (fe);
          skc_kernel_free (truth);
        }
      printf ("| %s | lowest | %.2f | | %.2f | %+.2f |\n", k, worst_size,
              worst_fam, worst_fam - worst_size);
      fflush (stdout);
      free (sl);
      skc_family_free (fam);
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
          float   size = (float) strtod (s, NULL);
          double *t = calloc ((size_t) repeat, sizeof *t), t_size;

          for (int r = 0; r < repeat; r++)
            {
              /* the family does not depend on the size: a first fit at
               * any size is this fit and an evaluation */
              SkcFamily  *f = canon_fit (&sp, o, &t[r]);
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
          skc_complex_free (size_fit (&sp, size, o, &t_size));
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
  const char   *mode = argc > 1 ? argv[1] : "";
  const char   *klist = "disk,hexagon,heart,star,coma";
  const char   *slist = NULL;
  float         angle = 0.0f;
  int           repeat = 3;
  SkcFitOptions o;

  skc_fit_options_init (&o);   /* 24x4, as the op fits */
  if (strcmp (mode, "--help") == 0 || (strcmp (mode, "accuracy") != 0
                                       && strcmp (mode, "fit-time") != 0))
    {
      printf ("usage: skc-bench-interactive accuracy [--kernels LIST] "
              "[--sizes LIST] [--angle DEG] [--threads T]\n"
              "       skc-bench-interactive fit-time [--kernels LIST] "
              "[--sizes LIST] [--repeat R] [--threads T]\n");
      return strcmp (mode, "--help") == 0 ? 0 : 2;
    }
  for (int i = 2; i < argc; i += 2)
    {
      const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

      if (!v)
        die ("missing value for ", a);
      if (strcmp (a, "--kernels") == 0)
        klist = v;
      else if (strcmp (a, "--sizes") == 0)
        slist = v;
      else if (strcmp (a, "--angle") == 0)
        angle = (float) (strtod (v, NULL) * M_PI / 180.0);
      else if (strcmp (a, "--repeat") == 0)
        repeat = atoi (v) > 0 ? atoi (v) : 1;
      else if (strcmp (a, "--threads") == 0)
        o.n_threads = atoi (v);
      else
        die ("unknown option ", a);
    }
  if (strcmp (mode, "accuracy") == 0)
    accuracy (klist, slist ? slist : "5,9,15,25,33,49,77,101,151", angle, &o);
  else
    fit_time (klist, slist ? slist : "25,49,101,151,301", repeat, &o);
  return 0;
}
