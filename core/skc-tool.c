/* skc: the command-line face of libskc.
 *
 *   skc fit KERNEL.png [options] -o OUT.skc    fit a complex to a kernel
 *   skc synth IN.skc [--size PX] -o OUT        impulse response as an image
 *   skc shape NAME [options] --size PX -o OUT  render a procedural kernel
 *   skc apply IN.skc IMAGE -o OUT.png          blur an sRGB image (linear light)
 *   skc inline kernel|map FILE [--max-side N]  print a kernel or map as inline data
 *
 * Every subcommand has --help.  Errors go to stderr with the file name and
 * the reason, and the exit status is 1 (2 for usage errors).
 */
#include "skc.h"
#include "skc-cache.h"
#include "skc-private.h"
#include "skc-options.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SKC_SAMPLE_PHOTO
#define SKC_SAMPLE_PHOTO ""
#endif

static const char *prog = "skc";

static int
fail (const char *what, const char *path, SkcStatus s)
{
  fprintf (stderr, "%s: %s%s%s: %s\n", prog, what, path ? " " : "",
           path ? path : "", skc_status_string (s));
  return 1;
}

/* The end of a command that writes @path: on failure "cannot ...", exit
 * status 1; else "wrote PATH" and @fmt's note (may be ""), status 0. */
static int written (SkcStatus s, const char *what, const char *path,
                    const char *fmt, ...) __attribute__ ((format (printf, 4, 5)));

static int
written (SkcStatus s, const char *what, const char *path, const char *fmt, ...)
{
  va_list ap;

  if (s != SKC_OK)
    return fail (what, path, s);
  printf ("wrote %s", path);
  va_start (ap, fmt);
  vprintf (fmt, ap);
  va_end (ap);
  printf ("\n");
  return 0;
}

/* "skc CMD: MESSAGE" and where to find help; the exit status 2. */
#define usage_error(cmd, ...) skc_options_error (prog, cmd, __VA_ARGS__)

/* ---------------------------------------------------------------- fit */

static const char fit_help[] =
  "Usage: skc fit KERNEL.png [options] -o OUT.skc\n"
  "\n"
  "Fit a sparse kernel complex to a dense kernel image (gray values are\n"
  "weights; the kernel is normalised to unit sum) and write it as .skc.\n"
  "The method is ours (gradient fit, DISK) or one of the two baselines.\n"
  "Prints the kernel-domain PSNR, the image-domain PSNR on a sample photo\n"
  "(linear light, against exact FFT convolution) and the time taken.\n"
  "\n"
  "Options:\n"
  "  --method M       disk (default) | pst | lowrank\n"
  "  --rank R         lowrank: rank, 1..8 (default 2)\n"
  "  --iterations N   pst: parallel-tempering iterations (default 10000)\n"
  "  --samples N      taps per layer, 1..256 (default 24)\n"
  "  --layers L       layers, 1..16 (default 4)\n"
  "  --init I         ir | ss | random (default ss)\n"
  "  --seed S         random seed (default 1)\n"
  "  --steps K        Adam steps, 0..1000000 (default 1000)\n"
  "  --starts N       multi-start candidates, 1..64 (default 4)\n"
  "  --threads T      threads, 0 = all cores (default 0; never changes the result)\n"
  "  --no-dc          do not constrain the DC gain\n"
  "  --photo PATH     photo for the image-domain PSNR (default: the sample)\n"
  "  --no-cache       always fit; do not read or write the fit cache\n"
  "  --cache-dir DIR  fit cache folder (default $SKC_CACHE_DIR, else\n"
  "                   $XDG_CACHE_HOME/sparse-bokeh/fits)\n"
  "  -o, --output F   output .skc file (required)\n";

static int
progress_bar (double f, double loss, void *data)
{
  int *last = data;
  int  pct = (int) (f * 100.0);

  if (pct != *last)
    {
      fprintf (stderr, "\rfitting %3d%%  loss %.4g ", pct, loss);
      *last = pct;
    }
  return 0;
}

static int
cmd_fit (int argc, char **argv)
{
  SkcFitOptions o;
  const char   *in = NULL, *outp = NULL, *photo = SKC_SAMPLE_PHOTO;
  const char   *cache_dir = NULL;
  int           use_cache = 1, hit = 0, rank = 2, iterations = 10000;
  const char   *method = "disk", *init = NULL;
  int           n_words;
  SkcCache     *cache = NULL;
  SkcKernel    *k = NULL;
  char          err[512];
  SkcComplex   *c = NULL;
  SkcStatus     s;
  int           last = -1;
  double        t0;   /* start, then elapsed seconds of the fit */

  skc_fit_options_init (&o);
  {
    const SkcOption opts[] = {
      { "method",     0,   SKC_OPT_STRING,  &method, 0, 0, NULL },
      { "rank",       0,   SKC_OPT_INT,     &rank, 1, SKC_MAX_LAYERS / 2, NULL },
      { "iterations", 0,   SKC_OPT_INT,     &iterations, 0, 10000000, NULL },
      { "samples",    0,   SKC_OPT_INT,     &o.n_samples, 1, SKC_MAX_SAMPLES, NULL },
      { "layers",     0,   SKC_OPT_INT,     &o.n_layers, 1, SKC_MAX_LAYERS, NULL },
      { "init",       0,   SKC_OPT_STRING,  &init, 0, 0, NULL },
      { "seed",       0,   SKC_OPT_U64,     &o.seed, 0, 0, "a non-negative integer" },
      { "steps",      0,   SKC_OPT_INT,     &o.steps, 0, 1000000, NULL },
      { "starts",     0,   SKC_OPT_INT,     &o.n_starts, 1, 64, NULL },
      { "threads",    0,   SKC_OPT_INT,     &o.n_threads, 0, 64, NULL },
      { "no-dc",      0,   SKC_OPT_FLAG,    &o.dc_constraint, 0, 0, NULL },
      { "no-cache",   0,   SKC_OPT_FLAG,    &use_cache, 0, 0, NULL },
      { "photo",      0,   SKC_OPT_STRING,  &photo, 0, 0, NULL },
      { "cache-dir",  0,   SKC_OPT_STRING,  &cache_dir, 0, 0, NULL },
      { "output",     'o', SKC_OPT_STRING,  &outp, 0, 0, NULL },
      { 0 }
    };
    int rc = skc_options_parse (prog, "fit", fit_help, argc, argv, opts,
                                &in, 1, &n_words);

    if (rc >= 0)
      return rc;
  }
  if (strcmp (method, "disk") && strcmp (method, "pst") && strcmp (method, "lowrank"))
    return usage_error ("fit", "--method must be disk, pst or lowrank, got '%s'", method);
  if (init && skc_init_from_name (init, &o.init) != SKC_OK)
    return usage_error ("fit", "--init must be ir, ss or random, got '%s'", init);
  if (!in)
    return usage_error ("fit", "%s", "missing KERNEL image");
  if (!outp)
    return usage_error ("fit", "%s", "missing -o OUT.skc");

  s = skc_kernel_load (in, &k, err, sizeof err);
  if (s == SKC_ERR_IO || s == SKC_ERR_FORMAT || s == SKC_ERR_NOT_FILE)
    return fail ("cannot load kernel image", in, s);
  if (s != SKC_OK)
    {
      fprintf (stderr, "%s: %s\n", prog, err);
      return 1;
    }
  if (k->width > 513 || k->height > 513)
    {
      fprintf (stderr, "%s: kernel image %s is %dx%d; the fit accepts at most 513x513\n",
               prog, in, k->width, k->height);
      skc_kernel_free (k);
      return 1;
    }

  if (isatty (2))
    {
      o.progress = progress_bar;
      o.progress_data = &last;
    }
  if (strcmp (method, "disk") == 0 && use_cache
      && skc_cache_open (cache_dir, 0, &cache) != SKC_OK)
    fprintf (stderr, "%s: warning: fit cache unavailable, fitting without it\n", prog);
  t0 = skc_time_now ();
  if (strcmp (method, "lowrank") == 0)
    s = skc_fit_lowrank (k, rank, &c);
  else if (strcmp (method, "pst") == 0)
    {
      SkcPstOptions po;

      skc_pst_options_init (&po);
      po.n_samples = o.n_samples;
      po.n_layers = o.n_layers;
      po.init = o.init;
      po.seed = o.seed;
      po.iterations = iterations;
      po.n_threads = o.n_threads;
      po.dc_constraint = o.dc_constraint;
      po.progress = o.progress;
      po.progress_data = o.progress_data;
      s = skc_fit_pst (k, &po, &c);
    }
  else
    s = skc_cache_fit (cache, k, &o, &c, &hit);
  t0 = skc_time_now () - t0;   /* now the elapsed time */
  skc_cache_close (cache);
  if (isatty (2))
    fputs ("\r\033[K", stderr);
  if (s != SKC_OK)
    {
      skc_kernel_free (k);
      return fail ("fit failed for", in, s);
    }
  {
    const char *base = strrchr (in, '/');
    snprintf (c->kernel_name, sizeof c->kernel_name, "%s", base ? base + 1 : in);
  }
  if (strcmp (method, "lowrank") == 0)
    printf ("fit %s (%dx%d): lowrank rank %d = %d taps\n", in, k->width,
            k->height, skc_complex_n_branches (c), skc_complex_total_taps (c));
  else if (strcmp (method, "pst") == 0)
    printf ("fit %s (%dx%d): pst, %d samples x %d layers = %d taps, init %s, "
            "%d iterations x 10 chains, seed %llu\n", in, k->width, k->height,
            o.n_samples, o.n_layers, skc_complex_total_taps (c),
            skc_init_name (o.init), iterations, (unsigned long long) o.seed);
  else
    printf ("fit %s (%dx%d): %d samples x %d layers = %d taps, init %s, %d steps, %d starts, seed %llu\n",
            in, k->width, k->height, o.n_samples, o.n_layers,
            skc_complex_total_taps (c), skc_init_name (o.init), o.steps,
            o.n_starts, (unsigned long long) o.seed);
  printf ("kernel PSNR   %.2f dB   (loss %.4g)\n", c->kernel_psnr, c->loss);
  if (photo && *photo)
    {
      SkcImage *ph = NULL;
      float    *plane = NULL;
      double    ip = 0, ips = 0;

      if (skc_image_load (photo, &ph) == SKC_OK
          && skc_image_luminance_linear (ph, &plane) == SKC_OK
          && skc_eval_image_psnr (c, k, plane, ph->width, ph->height, &ip, &ips) == SKC_OK)
        printf ("image PSNR    %.2f dB   (%s, linear light, interior; %.2f dB sRGB-encoded)\n",
                ip, photo, ips);
      else
        printf ("image PSNR    not measured (photo %s unusable)\n", photo);
      free (plane);
      skc_image_free (ph);
    }
  if (hit)
    printf ("fit time      %.3f s   (from the fit cache; the fit took %.3f s)\n",
            t0, c->fit_seconds);
  else
    printf ("fit time      %.3f s\n", t0);

  s = skc_complex_save (c, outp);
  skc_complex_free (c);
  skc_kernel_free (k);
  return written (s, "cannot write", outp, "%s", "");
}

/* ---------------------------------------------------------------- synth */

static const char synth_help[] =
  "Usage: skc synth IN.skc [--size PX] -o OUT.png|OUT.pfm\n"
  "\n"
  "Write the impulse response of a complex as an image: a 16-bit PNG scaled\n"
  "so the peak is white, or a PFM with the true weights.\n"
  "\n"
  "  --size PX        canvas size (default: the fitted target's size)\n"
  "  -o, --output F   output image (required)\n";

static int
cmd_synth (int argc, char **argv)
{
  const char *in = NULL, *outp = NULL;
  int         size = 0;
  SkcComplex *c = NULL;
  SkcKernel  *k = NULL;
  SkcImage   *img = NULL;
  SkcStatus   s;
  char        err[256];
  int         pfm, n_words;
  const SkcOption opts[] = {
    { "size",       0,   SKC_OPT_INT,     &size, 1, SKC_MAX_KERNEL_SIZE, NULL },
    { "output",     'o', SKC_OPT_STRING,  &outp, 0, 0, NULL },
    { 0 }
  };
  int rc = skc_options_parse (prog, "synth", synth_help, argc, argv, opts,
                              &in, 1, &n_words);

  if (rc >= 0)
    return rc;
  if (!in)
    return usage_error ("synth", "%s", "missing IN.skc");
  if (!outp)
    return usage_error ("synth", "%s", "missing -o OUT");

  s = skc_complex_load (in, &c, err, sizeof err);
  if (s != SKC_OK)
    {
      fprintf (stderr, "%s: cannot load %s: %s\n", prog, in,
               s == SKC_ERR_FORMAT ? err : skc_status_string (s));
      return 1;
    }
  if (size == 0)
    size = c->target_width > 0 ? c->target_width : 2 * skc_complex_reach (c) + 1;
  if (size > SKC_MAX_KERNEL_SIZE)
    size = SKC_MAX_KERNEL_SIZE;
  size |= 1;
  s = skc_kernel_new (size, size, &k);
  if (s == SKC_OK)
    s = skc_complex_synthesize (c, size, size, k->data);
  skc_complex_free (c);
  if (s != SKC_OK)
    {
      skc_kernel_free (k);
      return fail ("cannot synthesise", in, s);
    }
  {
    const char *dot = strrchr (outp, '.');
    pfm = dot && (strcmp (dot, ".pfm") == 0 || strcmp (dot, ".PFM") == 0);
  }
  if (pfm)
    {
      s = skc_image_new (size, size, 1, &img);
      if (s == SKC_OK)
        memcpy (img->data, k->data, sizeof (float) * size * size);
    }
  else
    s = skc_kernel_to_image (k, &img);
  if (s == SKC_OK)
    s = skc_image_save (img, outp);
  skc_image_free (img);
  skc_kernel_free (k);
  return written (s, "cannot write", outp, " (%dx%d)", size, size);
}

/* ---------------------------------------------------------------- shape */

static const char shape_help[] =
  "Usage: skc shape NAME [options] --size PX -o OUT.png\n"
  "\n"
  "Render a procedural bokeh kernel (anti-aliased, unit sum; the PNG is\n"
  "scaled so its peak is white).  NAME: disk, polygon, triangle, square,\n"
  "pentagon, hexagon, heptagon, octagon, nonagon, ring, star, heart,\n"
  "gaussian, coma.\n"
  "\n"
  "  --size PX        kernel width and height, 1..1025 (even is rounded up)\n"
  "  --blades N       polygon/star blades or points, 3..12\n"
  "  --curvature C    polygon blade curvature, 0 (straight) .. 1 (round)\n"
  "  --rotation DEG   rotation in degrees\n"
  "  --inner F        ring/star inner radius fraction, 0..1\n"
  "  --sigma S        gaussian sigma in pixels\n"
  "  --strength S     coma asymmetry, 0..1\n"
  "  -o, --output F   output image, .png or .pfm (required)\n";

static int
cmd_shape (int argc, char **argv)
{
  SkcShapeParams p;
  const char    *name = NULL, *outp = NULL;
  SkcKernel     *k = NULL;
  SkcImage      *img = NULL;
  SkcStatus      s;
  int            size = 0, blades = -1, n_words, w, h;
  float          curv = NAN, rot = NAN, inner = NAN, sigma = NAN, strength = NAN;
  const SkcOption opts[] = {
    { "size",       0,   SKC_OPT_INT,     &size, 1, SKC_MAX_KERNEL_SIZE, NULL },
    { "blades",     0,   SKC_OPT_INT,     &blades, 3, 12, NULL },
    { "curvature",  0,   SKC_OPT_FLOAT,   &curv, 0, 1, NULL },
    { "rotation",   0,   SKC_OPT_FLOAT,   &rot, -3600, 3600, "degrees" },
    { "inner",      0,   SKC_OPT_FLOAT,   &inner, 0, 1, NULL },
    { "sigma",      0,   SKC_OPT_FLOAT,   &sigma, 0.1, 1000, NULL },
    { "strength",   0,   SKC_OPT_FLOAT,   &strength, 0, 1, NULL },
    { "output",     'o', SKC_OPT_STRING,  &outp, 0, 0, NULL },
    { 0 }
  };
  int rc = skc_options_parse (prog, "shape", shape_help, argc, argv, opts,
                              &name, 1, &n_words);

  if (rc >= 0)
    return rc;
  if (!name)
    return usage_error ("shape", "%s", "missing shape NAME");
  if (!size)
    return usage_error ("shape", "%s", "missing --size PX");
  if (!outp)
    return usage_error ("shape", "%s", "missing -o OUT.png");
  if (skc_shape_params_from_name (name, &p) != SKC_OK)
    return usage_error ("shape", "unknown shape '%s'", name);
  p.side_px = size;
  if (blades > 0)
    p.blades = blades;
  if (!isnan (curv))
    p.curvature = curv;
  if (!isnan (rot))
    p.rotation_deg = rot;
  if (!isnan (inner))
    p.inner = inner;
  if (!isnan (sigma))
    p.sigma = sigma;
  if (!isnan (strength))
    p.strength = strength;
  s = skc_shape_render (&p, &k);
  if (s != SKC_OK)
    return fail ("cannot render shape", name, s);
  {
    const char *dot = strrchr (outp, '.');
    if (dot && (strcmp (dot, ".pfm") == 0 || strcmp (dot, ".PFM") == 0))
      {
        s = skc_image_new (k->width, k->height, 1, &img);
        if (s == SKC_OK)
          memcpy (img->data, k->data, sizeof (float) * k->width * k->height);
      }
    else
      s = skc_kernel_to_image (k, &img);
  }
  if (s == SKC_OK)
    s = skc_image_save (img, outp);
  skc_image_free (img);
  w = k->width;
  h = k->height;
  skc_kernel_free (k);
  return written (s, "cannot write", outp, " (%s, %dx%d)",
                  skc_shape_name (p.type), w, h);
}

/* ---------------------------------------------------------------- apply */

static const char apply_help[] =
  "Usage: skc apply IN.skc IMAGE.png -o OUT.png\n"
  "\n"
  "Blur an sRGB image with a complex, in linear light (reference apply:\n"
  "one thread, for checks and demos; GIMP and GEGL use the fast engine).\n"
  "The image is read, blurred and written in strips of rows, so memory\n"
  "stays a few strips of its width whatever its height.\n"
  "Alpha, if any, is premultiplied during the blur.\n"
  "\n"
  "  --gain G         multiply the result (default 1)\n"
  "  -o, --output F   output image, .png or .pfm (required)\n";

/* The apply in strips of rows: each strip of output rows from the input
 * rows within the complex's reach (read once, kept while later strips
 * need them), so memory is a few strips of the image's width whatever its
 * height; the result is that of the whole image at once, bit for bit
 * (skc_complex_apply_rows).  Alpha is premultiplied during the blur. */
typedef struct
{
  int    width, height, nc, reach, strip;
  float *win;       /* input rows [lo, hi), interleaved          */
  float *plane;     /* one channel of the window                 */
  float *alpha;     /* the strip's blurred alpha                 */
  float *blur;      /* the strip's blurred channel               */
  float *out;       /* the strip's output rows, interleaved      */
} Strips;

static SkcStatus
apply_strips (const SkcComplex *c, SkcImageReader *reader, const char *outp,
              float gain)
{
  Strips          t;
  SkcImageWriter *writer = NULL;
  SkcStatus       s;
  int             lo = 0, hi = 0, has_alpha, ncol;
  size_t          win_rows;

  memset (&t, 0, sizeof t);
  skc_image_reader_size (reader, &t.width, &t.height, &t.nc);
  t.reach = skc_complex_row_reach (c);
  if (t.reach < 0)
    return SKC_ERR_INVALID;
  /* strips at least twice the reach: the halo at most doubles the work */
  t.strip = t.reach * 2 > 64 ? t.reach * 2 : 64;
  if (t.strip > t.height)
    t.strip = t.height;
  win_rows = (size_t) t.strip + 2 * (size_t) t.reach;
  if (win_rows > (size_t) t.height)
    win_rows = (size_t) t.height;
  has_alpha = t.nc == 2 || t.nc == 4;
  ncol = has_alpha ? t.nc - 1 : t.nc;
  t.win = malloc (win_rows * t.width * t.nc * sizeof *t.win);
  t.plane = malloc (win_rows * t.width * sizeof *t.plane);
  t.alpha = malloc ((size_t) t.strip * t.width * sizeof *t.alpha);
  t.blur = malloc ((size_t) t.strip * t.width * sizeof *t.blur);
  t.out = malloc ((size_t) t.strip * t.width * t.nc * sizeof *t.out);
  s = t.win && t.plane && t.alpha && t.blur && t.out ? SKC_OK
                                                      : SKC_ERR_NOMEM;
  if (s == SKC_OK)
    s = skc_image_writer_open (outp, t.width, t.height, t.nc, &writer);
  for (int y0 = 0; s == SKC_OK && y0 < t.height; y0 += t.strip)
    {
      int    rows = t.height - y0 < t.strip ? t.height - y0 : t.strip;
      int    need_lo = y0 - t.reach > 0 ? y0 - t.reach : 0;
      int    need_hi = y0 + rows + t.reach < t.height
                       ? y0 + rows + t.reach : t.height;
      size_t rowf = (size_t) t.width * t.nc, n = (size_t) rows * t.width;
      size_t nwin;

      /* slide the window: keep rows [need_lo, hi), read up to need_hi */
      memmove (t.win, t.win + (size_t) (need_lo - lo) * rowf,
               (size_t) (hi - need_lo) * rowf * sizeof *t.win);
      lo = need_lo;
      s = skc_image_reader_rows (reader, need_hi - hi,
                                 t.win + (size_t) (hi - lo) * rowf);
      hi = need_hi;
      nwin = (size_t) (hi - lo) * t.width;
      if (s == SKC_OK && has_alpha)
        {
          for (size_t i = 0; i < nwin; i++)
            t.plane[i] = t.win[i * t.nc + t.nc - 1];
          s = skc_complex_apply_rows (c, t.plane, lo, hi - lo, t.width,
                                      t.height, y0, rows, t.alpha);
        }
      for (int ch = 0; s == SKC_OK && ch < ncol; ch++)
        {
          for (size_t i = 0; i < nwin; i++)
            {
              float a = has_alpha ? t.win[i * t.nc + t.nc - 1] : 1.0f;

              t.plane[i] = skc_srgb_to_linear (t.win[i * t.nc + ch]) * a;
            }
          s = skc_complex_apply_rows (c, t.plane, lo, hi - lo, t.width,
                                      t.height, y0, rows, t.blur);
          for (size_t i = 0; s == SKC_OK && i < n; i++)
            {
              float a = has_alpha ? t.alpha[i] : 1.0f;
              float v = a > 1e-6f ? t.blur[i] * gain / a : 0.0f;

              t.out[i * t.nc + ch] = skc_linear_to_srgb (v < 0 ? 0 : v);
            }
        }
      if (s == SKC_OK && has_alpha)
        for (size_t i = 0; i < n; i++)
          t.out[i * t.nc + t.nc - 1] = t.alpha[i] < 0 ? 0
                                       : t.alpha[i] > 1 ? 1 : t.alpha[i];
      if (s == SKC_OK)
        s = skc_image_writer_rows (writer, rows, t.out);
    }
  if (s == SKC_OK)
    s = skc_image_writer_commit (writer);
  else
    skc_image_writer_abort (writer);
  free (t.win);
  free (t.plane);
  free (t.alpha);
  free (t.blur);
  free (t.out);
  return s;
}

static int
cmd_apply (int argc, char **argv)
{
  const char *cin = NULL, *iin = NULL, *outp = NULL;
  SkcComplex *c = NULL;
  SkcImageReader *reader = NULL;
  SkcStatus   s;
  char        err[256];
  float       gain = 1.0f;
  const SkcOption opts[] = {
    { "gain",       0,   SKC_OPT_FLOAT,   &gain, 0, 1000, NULL },
    { "output",     'o', SKC_OPT_STRING,  &outp, 0, 0, NULL },
    { 0 }
  };
  const char *words[2] = { NULL, NULL };
  int         n_words;
  int         rc = skc_options_parse (prog, "apply", apply_help, argc, argv,
                                      opts, words, 2, &n_words);

  if (rc >= 0)
    return rc;
  cin = words[0];
  iin = words[1];
  if (!cin || !iin)
    return usage_error ("apply", "%s", "need IN.skc and IMAGE");
  if (!outp)
    return usage_error ("apply", "%s", "missing -o OUT");
  s = skc_complex_load (cin, &c, err, sizeof err);
  if (s != SKC_OK)
    {
      fprintf (stderr, "%s: cannot load %s: %s\n", prog, cin,
               s == SKC_ERR_FORMAT ? err : skc_status_string (s));
      return 1;
    }
  if (skc_complex_check (c, cin, err, sizeof err) != SKC_OK)
    {
      fprintf (stderr, "%s: cannot use %s\n", prog, err);
      skc_complex_free (c);
      return 1;
    }
  s = skc_image_reader_open (iin, &reader);
  if (s != SKC_OK)
    {
      skc_complex_free (c);
      return fail ("cannot load image", iin, s);
    }
  s = apply_strips (c, reader, outp, gain);
  skc_image_reader_close (reader);
  skc_complex_free (c);
  return written (s, "cannot apply/write", outp, "%s", "");
}

/* ---------------------------------------------------------------- inline */

static const char inline_help[] =
  "Usage: skc inline kernel K.png|K.pfm|C.skc\n"
  "       skc inline map MAP.png|MAP.pfm [--max-side N]\n"
  "\n"
  "Print a kernel or a blur map as inline data (a data: URI, see\n"
  "plug-ins/PROPERTIES.md), the value of skc:bokeh's kernel-data (with\n"
  "shape=stored) or map-data property:\n"
  "  gegl in.png -o out.png -- skc:bokeh shape=stored size=31 \\\n"
  "    kernel-data=\"$(skc inline kernel heart.png)\"\n"
  "\n"
  "A kernel image is kept as a 16-bit gray PNG (gray values are weights; the\n"
  "first channel of a colour image); a .skc complex as its text.  A map keeps\n"
  "its size and is reduced by an integer factor to at most --max-side\n"
  "pixels a side (default 512; the area average), its first channel taken\n"
  "as stored values 0..1.\n";

/* The first channel of @img as a 1-channel image. */
static SkcStatus
first_channel (const SkcImage *img, SkcImage **out)
{
  SkcStatus s = skc_image_new (img->width, img->height, 1, out);
  size_t    n = (size_t) img->width * img->height;

  for (size_t i = 0; s == SKC_OK && i < n; i++)
    (*out)->data[i] = img->data[i * img->channels];
  return s;
}

static int
cmd_inline (int argc, char **argv)
{
  const char *what = NULL, *in = NULL;
  int         max_side = 512;
  SkcImage   *img = NULL, *gray = NULL, *grid = NULL;
  SkcComplex *c = NULL;
  char       *text = NULL, err[256];
  SkcStatus   s;
  const SkcOption opts[] = {
    { "max-side",   0,   SKC_OPT_INT,     &max_side, 1, SKC_MAX_IMAGE_SIDE,
      "a positive number of pixels" },
    { 0 }
  };
  const char *words[2] = { NULL, NULL };
  int         n_words;
  int         rc = skc_options_parse (prog, "inline", inline_help, argc, argv,
                                      opts, words, 2, &n_words);

  if (rc >= 0)
    return rc;
  what = words[0];
  in = words[1];
  if (!what || (strcmp (what, "kernel") != 0 && strcmp (what, "map") != 0))
    return usage_error ("inline", "%s", "say 'kernel' or 'map'");
  if (!in)
    return usage_error ("inline", "%s", "missing FILE");

  if (strcmp (what, "kernel") == 0 && strlen (in) > 4
      && strcmp (in + strlen (in) - 4, ".skc") == 0)
    {
      s = skc_complex_load (in, &c, err, sizeof err);
      if (s != SKC_OK)
        {
          fprintf (stderr, "%s: cannot load %s: %s\n", prog, in,
                   s == SKC_ERR_FORMAT ? err : skc_status_string (s));
          return 1;
        }
      s = skc_inline_encode_complex (c, &text);
      skc_complex_free (c);
    }
  else
    {
      s = skc_image_load (in, &img);
      if (s != SKC_OK)
        return fail ("cannot load", in, s);
      s = first_channel (img, &gray);
      if (s == SKC_OK && strcmp (what, "map") == 0)
        s = skc_map_shrink (gray->data, gray->width, gray->height, max_side,
                            &grid);
      if (s == SKC_OK)
        s = grid ? skc_inline_encode_image (grid, img->width, img->height,
                                            &text)
                 : skc_inline_encode_image (gray, 0, 0, &text);
      skc_image_free (img);
      skc_image_free (gray);
      skc_image_free (grid);
    }
  if (s != SKC_OK)
    return fail ("cannot encode", in, s);
  puts (text);
  free (text);
  return 0;
}

/* ---------------------------------------------------------------- main */

static const char main_help[] =
  "Usage: skc COMMAND [options]\n"
  "\n"
  "Sparse kernel complexes for custom-shaped bokeh (libskc " SKC_VERSION_STRING ").\n"
  "\n"
  "Commands:\n"
  "  fit      fit a complex to a kernel image, write .skc\n"
  "  synth    write a complex's impulse response as an image\n"
  "  shape    render a procedural kernel (disk, hexagon, heart, ...)\n"
  "  apply    blur an image with a complex (reference, linear light)\n"
  "  inline   print a kernel or a blur map as skc:bokeh's inline data\n"
  "\n"
  "'skc COMMAND --help' describes each command.\n";

int
main (int argc, char **argv)
{
  static char help_flag[] = "--help";
  char       *help_argv[3];

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      fputs (main_help, argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  if (strcmp (argv[1], "help") == 0)
    {
      if (argc < 3)
        {
          fputs (main_help, stdout);
          return 0;
        }
      help_argv[0] = argv[2];
      help_argv[1] = help_flag;
      help_argv[2] = NULL;
      argv = help_argv;
      argc = 2;
    }
  else
    {
      argv++;
      argc--;
    }
  if (strcmp (argv[0], "fit") == 0)
    return cmd_fit (argc, argv);
  if (strcmp (argv[0], "synth") == 0)
    return cmd_synth (argc, argv);
  if (strcmp (argv[0], "shape") == 0)
    return cmd_shape (argc, argv);
  if (strcmp (argv[0], "apply") == 0)
    return cmd_apply (argc, argv);
  if (strcmp (argv[0], "inline") == 0)
    return cmd_inline (argc, argv);
  fprintf (stderr, "%s: unknown command '%s'\n\n%s", prog, argv[0], main_help);
  return 2;
}
