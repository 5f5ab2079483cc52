/* skc-bench highlights: crisp bokeh on point lights (issue 13).
 *
 * For kernels from 25 to 151 px (procedural shapes, GIMP brushes read
 * from their .gbr files, a drawn stroke), fits the default complex
 * (24 x 4, the op's fit: skc_kernel_target + skc_fit) and measures, in
 * linear light against the exact blur (skc_convolve_fft per channel):
 *   - "today": the complex alone (skc_apply_rgba);
 *   - "new": the filter's choice: the split apply (skc_apply_split_rgba at
 *     --level) when the complex's synthetic-photo PSNR
 *     (skc_complex_photo_psnr) reaches --target, else the exact path
 *     (skc_exact_apply_rgba);
 * PSNR (peak 1, RGB, interior) on the photos (coffee, astronaut), on a
 * star field and on the star field with 8x boosted highlights
 * (skc_highlights_rgba, gain 8 at threshold 0.5: a star of value 1 ends
 * at 5), and time per 12 MP (4000 x 3000, --threads; today's path and
 * the new one alternated, the fastest of 3 each) on the coffee photo
 * mirror-tiled and on a star field of that size.
 *
 * --taps SxL fits S taps per layer x L layers instead of the default
 * 24 x 4 (the quality levels: 12x4 Fast, 24x4 Normal, 32x4 High, 48x6
 * Best, plug-ins/skc-quality.c), for their rows of the table.
 *
 * --time-plain times the photo without highlights only (the other two
 * time columns show "-"): the goal's column, at a fraction of the cost.
 *
 * Usage: skc-bench highlights [--kernels a,b] [--sizes 25,49] [--level L]
 *          [--target DB] [--taps SxL] [--threads T] [--brushes DIR]
 *          [--no-time | --time-plain]
 */
#include "skc.h"
#include "skc-private.h"   /* skc_ascii_strtod */
#include "bench-common.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define MAX_SIZES 16
#define BIG_W 4000
#define BIG_H 3000

typedef struct
{
  int    w, h;
  float *rgba;   /* linear, premultiplied (alpha 1) */
} Img;

static void
die (const char *msg, const char *arg)
{
  fprintf (stderr, "skc-bench highlights: %s%s\n", msg, arg ? arg : "");
  exit (2);
}

/* The number @v given to option @opt: the whole string, in the C locale
 * whatever LC_NUMERIC says (skc_ascii_strtod), finite, in [lo, hi];
 * otherwise the program stops with a message naming the option.  With
 * @rest, the number may be followed by @sep (then *@rest points at it). */
static double
parse_number (const char *opt, const char *v, double lo, double hi,
              int integer, char sep, const char **rest)
{
  char   *end;
  double  x;
  char    range[128];

  errno = 0;
  x = v && *v ? skc_ascii_strtod (v, &end) : NAN;
  if (!(v && *v) || errno || end == v
      || (rest ? *end && *end != sep : *end)
      || !isfinite (x) || x < lo || x > hi || (integer && x != floor (x)))
    {
      skc_ascii_snprintf (range, sizeof range, ": want %s %g .. %g, got ",
                          integer ? "an integer" : "a number", lo, hi);
      fprintf (stderr, "skc-bench highlights: bad value for %s%s'%s'\n", opt,
               range, v ? v : "");
      exit (2);
    }
  if (rest)
    *rest = end;
  return x;
}

static uint64_t rng_state = 12345;

static double
rnd (void)
{
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return (double) (rng_state >> 11) * (1.0 / 9007199254740992.0);
}

/* Point lights at night: a faint gradient, one light per @per px, each a
 * Gaussian spot (sigma 0.5 .. 2.5 px, most small) of peak 2 x 10^(-2u)
 * (0.02 .. 2) clipped at 1, as a camera saturates, slightly tinted. */
static Img
star_field (int w, int h, int per)
{
  Img img = { w, h, calloc ((size_t) w * h * 4, sizeof (float)) };
  int n = w * h / per;

  rng_state = 777;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        float *p = img.rgba + 4 * ((size_t) y * w + x);
        float  b = 0.004f + 0.01f * (float) y / h;

        p[0] = b, p[1] = b, p[2] = 1.5f * b, p[3] = 1.0f;
      }
  for (int s = 0; s < n; s++)
    {
      double cx = rnd () * w, cy = rnd () * h;
      double u = rnd ();
      double sig = 0.5 + 2.0 * u * u;
      double a = 2.0 * pow (10.0, -2.0 * rnd ());
      double tint[3] = { 0.85 + 0.3 * rnd (), 1.0, 0.85 + 0.3 * rnd () };

      for (int y = (int) cy - 8; y <= (int) cy + 8; y++)
        for (int x = (int) cx - 8; x <= (int) cx + 8; x++)
          {
            double d2;
            float *p;

            if (x < 0 || y < 0 || x >= w || y >= h)
              continue;
            d2 = (x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy);
            p = img.rgba + 4 * ((size_t) y * w + x);
            for (int c = 0; c < 3; c++)
              {
                float v = p[c] + (float) (a * tint[c] * exp (-d2 / (2 * sig * sig)));

                p[c] = v > 1.0f ? 1.0f : v;
              }
          }
    }
  return img;
}

static Img
photo (const char *path)
{
  SkcImage *im = NULL;
  Img       img;

  if (skc_image_load (path, &im) != SKC_OK || im->channels < 3)
    die ("cannot load RGB photo ", path);
  img.w = im->width;
  img.h = im->height;
  img.rgba = malloc ((size_t) img.w * img.h * 4 * sizeof (float));
  for (size_t i = 0; i < (size_t) img.w * img.h; i++)
    {
      for (int c = 0; c < 3; c++)
        img.rgba[4 * i + c] = skc_srgb_to_linear (im->data[i * im->channels + c]);
      img.rgba[4 * i + 3] = 1.0f;
    }
  skc_image_free (im);
  return img;
}

/* @src mirror-tiled to w x h. */
static Img
tiled (const Img *src, int w, int h)
{
  Img img = { w, h, malloc ((size_t) w * h * 4 * sizeof (float)) };

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        int tx = x % (2 * src->w), ty = y % (2 * src->h);
        int sx = tx < src->w ? tx : 2 * src->w - 1 - tx;
        int sy = ty < src->h ? ty : 2 * src->h - 1 - ty;

        memcpy (img.rgba + 4 * ((size_t) y * w + x),
                src->rgba + 4 * ((size_t) sy * src->w + sx), 4 * sizeof (float));
      }
  return img;
}

static Img
boosted (const Img *src)
{
  Img img = { src->w, src->h, malloc ((size_t) src->w * src->h * 4 * sizeof (float)) };

  memcpy (img.rgba, src->rgba, (size_t) src->w * src->h * 4 * sizeof (float));
  skc_highlights_rgba (img.rgba, (size_t) img.w * img.h, 0.5f, 8.0f);
  return img;
}

/* The exact blur of @img, channel by channel (the FFT reference). */
static float *
exact_blur (const Img *img, const SkcKernel *k)
{
  size_t n = (size_t) img->w * img->h;
  float *out = malloc (n * 4 * sizeof (float));
  float *a = malloc (n * sizeof (float)), *b = malloc (n * sizeof (float));

  for (int c = 0; c < 4; c++)
    {
      for (size_t i = 0; i < n; i++)
        a[i] = img->rgba[4 * i + c];
      if (skc_convolve_fft (a, img->w, img->h, k, b) != SKC_OK)
        die ("reference failed", NULL);
      for (size_t i = 0; i < n; i++)
        out[4 * i + c] = b[i];
    }
  free (a);
  free (b);
  return out;
}

typedef enum { PATH_TODAY, PATH_SPLIT, PATH_EXACT, PATH_CORR, PATH_CORR_SPLIT } Path;

typedef struct
{
  SkcPlan       *plan;
  SkcExact      *exact;
  SkcCorrection *corr;
  float          level;
  int            threads;
} Filter;

static SkcStatus
run (const Filter *f, Path path, const Img *img, float *out)
{
  SkcRect         all = { 0, 0, img->w, img->h };
  SkcApplyOptions o;

  skc_apply_options_init (&o);
  o.n_threads = f->threads;
  if (path == PATH_TODAY)
    return skc_apply_rgba (f->plan, skc_in_view (img->rgba, 4 * img->w, all),
                           all, skc_out_view (out, 4 * img->w, all), &o);
  if (path == PATH_CORR || path == PATH_CORR_SPLIT)
    {
      SkcStatus st = path == PATH_CORR
        ? skc_apply_rgba (f->plan, skc_in_view (img->rgba, 4 * img->w, all),
                          all, skc_out_view (out, 4 * img->w, all), &o)
        : skc_apply_split_rgba (f->plan, f->exact, f->level,
                                skc_in_view (img->rgba, 4 * img->w, all), all,
                                skc_out_view (out, 4 * img->w, all), &o);

      if (st != SKC_OK)
        return st;
      return skc_correction_add_rgba (f->corr,
                                      path == PATH_CORR ? INFINITY : f->level,
                                      skc_in_view (img->rgba, 4 * img->w, all),
                                      all, skc_out_view (out, 4 * img->w, all),
                                      &o);
    }
  if (path == PATH_SPLIT)
    return skc_apply_split_rgba (f->plan, f->exact, f->level,
                                 skc_in_view (img->rgba, 4 * img->w, all), all,
                                 skc_out_view (out, 4 * img->w, all), &o);
  return skc_exact_apply_rgba (f->exact,
                               skc_in_view (img->rgba, 4 * img->w, all), all,
                               skc_out_view (out, 4 * img->w, all), &o);
}

/* PSNR over RGB of the interior (a frame of @frame px skipped). */
static double
psnr_rgb (const float *a, const float *b, int w, int h, int frame)
{
  double se = 0;
  size_t n = 0;

  for (int y = frame; y < h - frame; y++)
    for (int x = frame; x < w - frame; x++)
      for (int c = 0; c < 3; c++)
        {
          double d = a[4 * ((size_t) y * w + x) + c] - b[4 * ((size_t) y * w + x) + c];

          se += d * d;
          n++;
        }
  return se > 0 ? 10 * log10 (n / se) : INFINITY;
}

static double
psnr_of (const Filter *f, Path path, const Img *img, const float *ref, int frame)
{
  float *out = malloc ((size_t) img->w * img->h * 4 * sizeof (float));
  double p;

  if (run (f, path, img, out) != SKC_OK)
    die ("apply failed", NULL);
  p = psnr_rgb (out, ref, img->w, img->h, frame);
  free (out);
  return p;
}

/* Seconds of @a and of @b on @img: runs alternated, the fastest of 3
 * each, so a busy machine slows both alike and a burst of load does not
 * pass for a difference between them. */
static void
time_pair (const Filter *f, Path a, Path b, const Img *img, double *ta,
           double *tb)
{
  float *out = malloc ((size_t) img->w * img->h * 4 * sizeof (float));

  *ta = *tb = INFINITY;
  for (int r = 0; r < 3; r++)
    for (int w = 0; w < 2; w++)
      {
        double t0 = skc_time_now (), t;

        if (run (f, w ? b : a, img, out) != SKC_OK)
          die ("apply failed", NULL);
        t = skc_time_now () - t0;
        if (w)
          *tb = t < *tb ? t : *tb;
        else
          *ta = t < *ta ? t : *ta;
      }
  free (out);
}

static SkcKernel *
load_gbr (const char *path)
{
  SkcKernel *k = bench_load_gbr (path);

  if (!k)
    die ("cannot read the brush (a version 2 gray or RGBA .gbr) ", path);
  return k;
}

/* A drawn stroke: a 3 px wide pen line along an S curve with a loop, as
 * a user paints one in the dialog (at 161 px; resampled to each size). */
static SkcKernel *
drawn_stroke (void)
{
  SkcKernel *k = NULL;
  int        n = 161;

  skc_kernel_new (n, n, &k);
  for (int s = 0; s <= 4000; s++)
    {
      double t = s / 4000.0 * 2 * M_PI;
      double cx = n / 2 + 60 * sin (t) * cos (0.5 * t);
      double cy = n / 2 + 70 * sin (0.5 * t) - 10 * sin (3 * t);

      for (int y = (int) cy - 2; y <= (int) cy + 2; y++)
        for (int x = (int) cx - 2; x <= (int) cx + 2; x++)
          {
            double d = hypot (x - cx, y - cy);

            if (x >= 0 && y >= 0 && x < n && y < n && d < 1.5)
              k->data[y * n + x] = 1.0f;
          }
    }
  skc_kernel_normalize (k);
  return k;
}

typedef struct
{
  const char *id;
  const char *shape;   /* a shape name, or NULL */
  const char *brush;   /* a .gbr under the brush folder, or NULL (stroke) */
} Kern;

static const Kern kerns[] = {
  { "hexagon", "hexagon", NULL },
  { "star", "star", NULL },
  { "heart", "heart", NULL },
  { "stroke", NULL, NULL },
  { "pencil-scratch", NULL, "Sketch/Pencil-Scratch.gbr" },
  { "hatch-pen", NULL, "Texture/Hatch-Pen-01.gbr" },
  { "sponge", NULL, "Splatters/Sponge-01.gbr" },
  { "cell", NULL, "Texture/Cell-02.gbr" },
  { "vegetation", NULL, "Texture/Vegetation-01.gbr" },
};

int bench_highlights_main (int argc, char **argv);

int
bench_highlights_main (int argc, char **argv)
{
  const char *klist = NULL, *slist = "25,49,101,151";
  int         sizes[MAX_SIZES], n_sizes = 0;
  const char *brushes = "/usr/share/gimp/3.0/brushes";
  float       level = 0.5f;   /* the boost's threshold */
  double      target = 50.0;
  int         threads = 2, timing = 1;
  int         samples = 24, layers = 4;
  int         factor = -1;   /* -1: chosen (skc_correction_choose), 0: none */
  Img         ph[2], stars, stars8, big_photo, big_photo8, big_stars8;
  const char *names[2] = { SKC_SAMPLE_PHOTO, SKC_SAMPLE_PHOTO2 };

  for (int i = 1; i < argc; i++)
    {
      const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

      if (strcmp (a, "--no-time") == 0 || strcmp (a, "--time-plain") == 0)
        {
          timing = a[2] == 'n' ? 0 : 2;
          continue;
        }
      if (strcmp (a, "--help") == 0)
        {
          printf ("usage: skc-bench highlights [--kernels LIST] [--sizes 25,49,101,151]\n"
                  "  [--level L] [--target DB] [--taps SxL (24x4)] [--factor auto|none|F]\n"
                  "  [--threads T]\n"
                  "  [--brushes DIR] [--no-time | --time-plain]\n");
          return 0;
        }
      if (!v)
        die ("missing value for ", a);
      i++;
      if (strcmp (a, "--kernels") == 0)
        klist = v;
      else if (strcmp (a, "--sizes") == 0)
        slist = v;
      else if (strcmp (a, "--level") == 0)
        level = (float) parse_number (a, v, 0.0, 1000.0, 0, 0, NULL);
      else if (strcmp (a, "--target") == 0)
        target = parse_number (a, v, 0.0, 200.0, 0, 0, NULL);
      else if (strcmp (a, "--taps") == 0)
        {
          const char *rest;

          samples = (int) parse_number (a, v, 1, SKC_MAX_SAMPLES, 1, 'x', &rest);
          if (*rest != 'x')
            die ("bad value for --taps: want SAMPLESxLAYERS (24x4), got ", v);
          layers = (int) parse_number (a, rest + 1, 1, SKC_MAX_LAYERS, 1, 0, NULL);
        }
      else if (strcmp (a, "--factor") == 0)
        factor = strcmp (v, "auto") == 0 ? -1 : strcmp (v, "none") == 0 ? 0
                 : (int) parse_number (a, v, 1, 16, 1, 0, NULL);
      else if (strcmp (a, "--threads") == 0)
        threads = (int) parse_number (a, v, 0, 64, 1, 0, NULL);
      else if (strcmp (a, "--brushes") == 0)
        brushes = v;
      else
        die ("unknown option ", a);
    }

  /* every size read before any work */
  for (const char *s = slist; s; s = *s == ',' ? s + 1 : NULL)
    {
      if (n_sizes == MAX_SIZES)
        die ("too many --sizes, at most 16", NULL);
      sizes[n_sizes++] = (int) parse_number ("--sizes", s, 3,
                                             SKC_MAX_KERNEL_SIZE - 2, 1, ',', &s);
    }

  ph[0] = photo (names[0]);
  ph[1] = photo (names[1]);
  stars = star_field (640, 480, 400);
  stars8 = boosted (&stars);
  if (timing)
    big_photo = tiled (&ph[0], BIG_W, BIG_H);
  if (timing == 1)
    {
      Img big_stars = star_field (BIG_W, BIG_H, 400);

      big_photo8 = boosted (&big_photo);
      big_stars8 = boosted (&big_stars);
      free (big_stars.rgba);
    }
  printf ("%dx%d fit; split level %.3g; below %.1f dB synthetic-photo PSNR "
          "the coarse correction at factor %s, exact when that "
          "misses too; threads %d; PSNR in linear light (peak 1, RGB) "
          "against FFT convolution; star field 640x480, one star per 400 px; "
          "boosted: gain 8 at threshold 0.5; time per 4000x3000 RGBA\n\n",
          samples, layers, level, target,
          factor < 0 ? "8, 4 or 2 (the cheapest that reaches the target)"
          : factor == 0 ? "none" : "as given", threads);
  printf ("| kernel | px | synth. photo dB | corrected dB | path | coffee dB | astronaut dB | stars dB | stars 8x dB |%s\n",
          timing ? " photo 12 MP s | photo 8x 12 MP s | stars 8x 12 MP s |" : "");
  printf ("|---|---:|---:|---:|---|---:|---:|---:|---:|%s\n", timing ? "---:|---:|---:|" : "");

  for (size_t ki = 0; ki < sizeof kerns / sizeof kerns[0]; ki++)
    {
      const Kern *kd = &kerns[ki];
      SkcKernel  *src = NULL;

      if (!bench_in_list (klist, kd->id))
        continue;
      if (kd->brush)
        {
          char path[1024];

          snprintf (path, sizeof path, "%s/%s", brushes, kd->brush);
          src = load_gbr (path);
        }
      else if (!kd->shape)
        src = drawn_stroke ();
      for (int si = 0; si < n_sizes; si++)
        {
          int            size = sizes[si];
          SkcShapeParams sp;
          SkcKernel     *k = NULL;
          SkcComplex    *cx = NULL;
          SkcFitOptions  fo;
          Filter         f = { NULL, NULL, NULL, level, threads };
          double         synth = 0, csynth = -INFINITY;
          Path           plain_new, boost_new;
          int            frame;
          float         *ref[4];
          const Img     *imgs[4] = { &ph[0], &ph[1], &stars, &stars8 };
          double         secs[2][3];

          if (kd->shape && skc_shape_params_from_name (kd->shape, &sp) != SKC_OK)
            die ("unknown shape ", kd->shape);
          if (skc_kernel_target (kd->shape ? &sp : NULL, src, (float) size, 0.0f, &k)
              != SKC_OK)
            die ("cannot make the kernel ", kd->id);
          skc_fit_options_init (&fo);
          fo.n_samples = samples;
          fo.n_layers = layers;
          if (skc_fit (k, &fo, &cx) != SKC_OK || skc_plan_new (cx, &f.plan) != SKC_OK
              || skc_exact_new (k, &f.exact) != SKC_OK
              || skc_complex_photo_psnr (cx, k, &synth) != SKC_OK)
            die ("fit failed for ", kd->id);
          /* the filter's rule: the complex where it reaches the target,
           * else the complex corrected where that does, else exact */
          if (factor != 0 && synth < target)
            {
              int f_used = factor;

              if (factor < 0
                  ? skc_correction_choose (cx, k, target, &f_used, &csynth) != SKC_OK
                  : skc_corrected_photo_psnr (cx, k, factor, &csynth) != SKC_OK)
                die ("correction failed for ", kd->id);
              if (f_used > 0 && csynth >= target
                  && skc_correction_new (cx, k, f_used, &f.corr) != SKC_OK)
                die ("correction failed for ", kd->id);
            }
          plain_new = synth >= target ? PATH_TODAY
                      : f.corr ? PATH_CORR : PATH_EXACT;
          boost_new = synth >= target ? PATH_SPLIT
                      : f.corr ? PATH_CORR_SPLIT : PATH_EXACT;
          frame = skc_plan_halo (f.plan) > skc_exact_halo (f.exact)
                  ? skc_plan_halo (f.plan) : skc_exact_halo (f.exact);
          for (int i = 0; i < 4; i++)
            ref[i] = exact_blur (imgs[i], k);
          if (timing)
            {
              /* today's path and the new one, alternated per image */
              Path new_plain = plain_new;
              Path new_boost = boost_new;

              time_pair (&f, PATH_TODAY, new_plain, &big_photo, &secs[0][0],
                         &secs[1][0]);
              if (timing == 1)
                {
                  time_pair (&f, PATH_TODAY, new_boost, &big_photo8,
                             &secs[0][1], &secs[1][1]);
                  time_pair (&f, PATH_TODAY, new_boost, &big_stars8,
                             &secs[0][2], &secs[1][2]);
                }
            }
          for (int p = 0; p < 2; p++)
            {
              /* the op's rule: the exact path when the complex misses the
               * target; else the complex, split when highlights are
               * boosted (images 3, 5, 6 here) */
              Path plain = p == 0 ? PATH_TODAY : plain_new;
              Path boost = p == 0 ? PATH_TODAY : boost_new;
              char cs[32] = "-";

              if (f.corr)
                snprintf (cs, sizeof cs, "%.1f (1/%d)", csynth,
                          skc_correction_factor (f.corr));
              else if (isfinite (csynth))
                snprintf (cs, sizeof cs, "%.1f", csynth);
              printf ("| %s | %d | %.1f | %s | %s |", kd->id, size, synth, cs,
                      p == 0 ? "today" : boost == PATH_SPLIT ? "new: split"
                      : boost == PATH_CORR_SPLIT ? "new: corrected" : "new: exact");
              for (int i = 0; i < 4; i++)
                printf (" %.1f |", psnr_of (&f, i == 3 ? boost : plain, imgs[i], ref[i], frame));
              if (timing == 1)
                printf (" %.2f | %.2f | %.2f |", secs[p][0], secs[p][1],
                        secs[p][2]);
              else if (timing == 2)
                printf (" %.2f | - | - |", secs[p][0]);
              printf ("\n");
              fflush (stdout);
            }
          for (int i = 0; i < 4; i++)
            free (ref[i]);
          skc_plan_free (f.plan);
          skc_exact_free (f.exact);
          skc_correction_free (f.corr);
          skc_complex_free (cx);
          skc_kernel_free (k);
        }
      skc_kernel_free (src);
    }
  return 0;
}
