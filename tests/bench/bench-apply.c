/* skc-bench-apply: speed of the uniform fast apply engine (skc_apply_rgba).
 *
 * A photo is upscaled (bilinear) to a large RGBA image, default 4000 x 3000,
 * in linear light with opaque premultiplied alpha.  For each kernel size a
 * heart is fitted with the default fit options (24 x 4), or a complex is
 * loaded, and the whole image is filtered --runs times per SIMD path, thread
 * count and tile size.  Prints a Markdown table with the median wall-clock
 * time, ms per megapixel, megapixels per second, and the median CPU time
 * of the process (all threads; on a busy machine the steadier number).
 *
 * Options:
 *   --sizes 51,101      heart diameters, px (fitted once each)
 *   --complex FILE      a .skc file instead of fitting (repeatable)
 *   --save-dir DIR      write the fitted complexes there as heart-N.skc
 *   --threads 1,2       thread counts
 *   --paths all         or a list: scalar,sse2,avx2
 *   --tiles 0           tile sides (0: automatic)
 *   --runs 5  --width 4000  --height 3000  --photo PATH
 */
#define _POSIX_C_SOURCE 200809L
#include "skc.h"
#include "skc-options.h"
#include "bench-common.h"
#include "skc-apply-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LIST 16

static void
die (const char *msg, const char *arg)
{
  fprintf (stderr, "skc-bench-apply: %s%s\n", msg, arg ? arg : "");
  exit (2);
}

static int
parse_list (const char *s, int *v)
{
  int n = 0;

  while (s && *s && n < MAX_LIST)
    {
      char *end;

      v[n++] = (int) strtol (s, &end, 10);
      if (end == s)
        die ("bad number list ", s);
      s = *end == ',' ? end + 1 : end;
    }
  return n;
}

/* CPU seconds of the whole process, all threads: on a shared machine
 * wall time also counts other people's work, this does not. */
static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}


static double
median (double *v, int n)
{
  qsort (v, (size_t) n, sizeof v[0], bench_cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}


/* The photo in linear light, bilinearly resized to @w x @h, RGBA. */
static float *
make_image (const char *photo, int w, int h)
{
  SkcImage *ph = NULL;
  float    *lin, *img;
  int       pw, ph_h, ch;

  if (skc_image_load (photo, &ph) != SKC_OK)
    die ("cannot load photo ", photo);
  pw = ph->width, ph_h = ph->height, ch = ph->channels;
  lin = malloc (sizeof (float) * 4 * pw * ph_h);
  img = malloc (sizeof (float) * 4 * (size_t) w * h);
  if (!lin || !img)
    die ("out of memory", NULL);
  for (int i = 0; i < pw * ph_h; i++)
    for (int c = 0; c < 4; c++)
      {
        float v = c < 3 ? ph->data[i * ch + (ch >= 3 ? c : 0)] : 1.0f;

        lin[4 * i + c] = c < 3 ? skc_srgb_to_linear (v) : v;
      }
  for (int y = 0; y < h; y++)
    {
      double sy = (y + 0.5) * ph_h / h - 0.5;
      int    y0 = sy < 0 ? 0 : (int) sy;
      int    y1 = y0 + 1 < ph_h ? y0 + 1 : ph_h - 1;
      float  fy = (float) (sy < 0 ? 0 : sy - y0);

      for (int x = 0; x < w; x++)
        {
          double sx = (x + 0.5) * pw / w - 0.5;
          int    x0 = sx < 0 ? 0 : (int) sx;
          int    x1 = x0 + 1 < pw ? x0 + 1 : pw - 1;
          float  fx = (float) (sx < 0 ? 0 : sx - x0);

          for (int c = 0; c < 4; c++)
            img[4 * ((size_t) y * w + x) + c]
              = (1 - fy) * ((1 - fx) * lin[4 * (y0 * pw + x0) + c]
                            + fx * lin[4 * (y0 * pw + x1) + c])
                + fy * ((1 - fx) * lin[4 * (y1 * pw + x0) + c]
                        + fx * lin[4 * (y1 * pw + x1) + c]);
        }
    }
  free (lin);
  skc_image_free (ph);
  return img;
}

static SkcComplex *
fit_heart (int size, const char *save_dir)
{
  SkcShapeParams sp;
  SkcKernel     *k = NULL;
  SkcFitOptions  fo;
  SkcComplex    *c = NULL;
  SkcStatus      s;
  double         t0 = skc_time_now ();

  skc_shape_params_init (&sp, SKC_SHAPE_HEART);
  sp.side_px = size;
  if (skc_shape_render (&sp, &k) != SKC_OK)
    die ("cannot render the heart", NULL);
  skc_fit_options_init (&fo);
  s = skc_fit (k, &fo, &c);
  skc_kernel_free (k);
  if (s != SKC_OK)
    die ("fit failed: ", skc_status_string (s));
  fprintf (stderr,
           "fitted heart %d px (%dx%d) in %.1f s, kernel PSNR %.1f dB\n",
           size, fo.n_samples, fo.n_layers, skc_time_now () - t0,
           c->kernel_psnr);
  if (save_dir)
    {
      char path[4096];

      snprintf (path, sizeof path, "%s/heart-%d.skc", save_dir, size);
      if (skc_complex_save (c, path) != SKC_OK)
        fprintf (stderr, "could not save %s\n", path);
    }
  return c;
}

int
main (int argc, char **argv)
{
  const char *photo = SKC_SAMPLE_PHOTO, *save_dir = NULL;
  const char *paths = "all";
  const char *files[MAX_LIST];
  int         sizes[MAX_LIST] = { 51, 101 }, n_sizes = 2;
  int         threads[MAX_LIST] = { 1, 2 }, n_threads = 2;
  int         tiles[MAX_LIST] = { 0 }, n_tiles = 1;
  int         n_files = 0, runs = 5, W = 4000, H = 3000;
  SkcComplex *cx[2 * MAX_LIST];
  char        names[2 * MAX_LIST][64];
  int         n_cx = 0;
  float      *img, *out;
  double      mpix;

  for (int i = 1; i < argc; i++)
    {
      const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

      if (strcmp (a, "--help") == 0)
        {
          printf ("usage: skc-bench-apply [--sizes 51,101] [--complex FILE]..."
                  " [--save-dir DIR]\n  [--threads 1,2]"
                  " [--paths all|scalar,sse2,avx2] [--tiles 0,256] [--runs N]\n"
                  "  [--width W] [--height H] [--photo PATH]\n");
          return 0;
        }
      if (!v)
        die ("missing value for ", a);
      i++;
      if (strcmp (a, "--sizes") == 0)
        n_sizes = parse_list (v, sizes);
      else if (strcmp (a, "--complex") == 0 && n_files < MAX_LIST)
        files[n_files++] = v;
      else if (strcmp (a, "--save-dir") == 0)
        save_dir = v;
      else if (strcmp (a, "--threads") == 0)
        n_threads = parse_list (v, threads);
      else if (strcmp (a, "--paths") == 0)
        paths = v;
      else if (strcmp (a, "--tiles") == 0)
        n_tiles = parse_list (v, tiles);
      else if (strcmp (a, "--runs") == 0)
        {
          if (!skc_options_int (v, 1, 1000, &runs))
            die ("--runs must be 1..1000, got ", v);
        }
      else if (strcmp (a, "--width") == 0 || strcmp (a, "--height") == 0)
        {
          if (!skc_options_int (v, 1, SKC_MAX_IMAGE_SIDE, a[2] == 'w' ? &W : &H))
            die ("--width and --height must be 1..65536, got ", v);
        }
      else if (strcmp (a, "--photo") == 0)
        photo = v;
      else
        die ("unknown option ", a);
    }
  if (runs < 1 || runs > 1000 || W < 1 || H < 1
      || W > SKC_MAX_IMAGE_SIDE || H > SKC_MAX_IMAGE_SIDE)
    die ("bad --runs/--width/--height", NULL);

  for (int f = 0; f < n_files; f++)
    {
      char err[256] = "";

      if (skc_complex_load (files[f], &cx[n_cx], err, sizeof err) != SKC_OK)
        die ("cannot load ", files[f]);
      snprintf (names[n_cx++], sizeof names[0], "%.60s", files[f]);
    }
  if (n_files == 0)
    for (int s = 0; s < n_sizes; s++)
      {
        cx[n_cx] = fit_heart (sizes[s], save_dir);
        snprintf (names[n_cx++], sizeof names[0], "heart %d px", sizes[s]);
      }

  img = make_image (photo, W, H);
  out = malloc (sizeof (float) * 4 * (size_t) W * H);
  if (!out)
    die ("out of memory", NULL);
  mpix = (double) W * H / 1e6;

  printf ("%dx%d RGBA float (%.1f Mpix), default path %s, "
          "median of %d runs\n\n", W, H, mpix, skc_apply_simd_path (), runs);
  printf ("| complex | taps | entries | halo | path | threads | tile "
          "| median ms | ms/Mpix | Mpix/s | CPU ms |\n");
  printf ("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
  for (int c = 0; c < n_cx; c++)
    {
      SkcPlan *plan = NULL;
      int      entries = 0;

      if (skc_plan_new (cx[c], &plan) != SKC_OK)
        die ("cannot plan ", names[c]);
      for (int l = 0; l < cx[c]->n_layers; l++)
        entries += skc_plan_layer_entries (plan, l);
      for (int p = 0; p < SKC_SIMD_COUNT; p++)
        {
          const char *pn = skc_simd_path_name ((SkcSimdPath) p);

          if (strcmp (paths, "all") != 0 && !strstr (paths, pn))
            continue;
          if (skc_plan_set_path (plan, (SkcSimdPath) p) != SKC_OK)
            continue;
          for (int t = 0; t < n_threads; t++)
            for (int ti = 0; ti < n_tiles; ti++)
              {
                SkcApplyOptions o;
                SkcRect         all = { 0, 0, W, H };
                double          ms[1000], cpu[1000], med, cpu_med;
                char            tile[16];

                skc_apply_options_init (&o);
                o.n_threads = threads[t];
                o.tile_size = tiles[ti];
                for (int r = 0; r < runs; r++)
                  {
                    double    t0 = skc_time_now (), c0 = cpu_now ();
                    SkcStatus s = skc_apply_rgba (plan,
                                                  skc_in_view (img, 4 * W, all),
                                                  all,
                                                  skc_out_view (out, 4 * W, all),
                                                  &o);

                    if (s != SKC_OK)
                      die ("apply failed: ", skc_status_string (s));
                    ms[r] = 1e3 * (skc_time_now () - t0);
                    cpu[r] = 1e3 * (cpu_now () - c0);
                  }
                med = median (ms, runs);
                cpu_med = median (cpu, runs);
                snprintf (tile, sizeof tile, tiles[ti] ? "%d" : "auto",
                          tiles[ti]);
                printf ("| %s | %d | %d | %d | %s | %d | %s | %.0f | %.1f "
                        "| %.1f | %.0f |\n", names[c],
                        skc_complex_total_taps (cx[c]), entries,
                        skc_plan_halo (plan), pn, threads[t], tile, med,
                        med / mpix, mpix / (med / 1e3), cpu_med);
                fflush (stdout);
              }
        }
      skc_plan_free (plan);
    }
  for (int c = 0; c < n_cx; c++)
    skc_complex_free (cx[c]);
  free (img);
  free (out);
  return 0;
}
