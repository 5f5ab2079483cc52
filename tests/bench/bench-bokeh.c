/* skc-bench-bokeh: our side of the bokeh benchmark on a 4000 x 3000 photo
 * (tests/bench/bench-bokeh.sh runs it beside G'MIC and GEGL).
 *
 *   skc-bench-bokeh prepare DIR   write DIR/photo.pfm (the sample photo
 *                                 mirror-tiled to 4000 x 3000, linear light;
 *                                 photo.png the same, sRGB, 16 bits),
 *                                 DIR/map.png and map.pfm (the depth map),
 *                                 DIR/heart-51.pfm, heart-101.pfm and the
 *                                 8 level kernels of the layered reference
 *   skc-bench-bokeh ours DIR      time our uniform (51, 101 px) and
 *                                 map-driven (max 101 px) heart bokeh,
 *                                 dense direct convolution on a crop, and
 *                                 measure PSNR against exact references
 *
 * Uniform PSNR is over the whole interior against FFT convolution with the
 * dense kernel (exact).  Map-driven PSNR is against the per-pixel dense
 * truth, gt(p) = sum_u K_p(u) in(p - u) with K_p the heart at p's own
 * diameter, on a crop; the layered reference (8 FFT blurs at fixed sizes,
 * blended per pixel by the map, what a layered G'MIC pipeline computes) is
 * measured on the same crop.  All in linear light, RGB, peak 1.
 */
#include "skc.h"
#include "skc-options.h"
#include "bench-common.h"
#include "skc-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define W 4000
#define H 3000
#define LEVELS 8
#define MAX_SIZE 101.0f

static void
die (const char *what, const char *arg)
{
  fprintf (stderr, "skc-bench-bokeh: %s%s\n", what, arg ? arg : "");
  exit (1);
}

static char *
path_in (const char *dir, const char *name)
{
  static char buf[4][1024];
  static int  k;

  k = (k + 1) & 3;
  snprintf (buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

/* depth map: 0 (sharp) at the top to 1 (full blur) at the bottom, with a
 * gentle horizontal wave so sizes vary in both directions */
static float
map_at (int x, int y)
{
  float v = (float) y / (H - 1) * 1.1f - 0.05f
            + 0.05f * sinf ((float) x / W * 6.2831853f * 2.0f);

  return v < 0 ? 0 : v > 1 ? 1 : v;
}


static SkcKernel *
heart (float size)
{
  SkcShapeParams sp;
  SkcKernel     *k = NULL;

  skc_shape_params_from_name ("heart", &sp);
  if (skc_family_target (&sp, NULL, size, 0.0f, &k) != SKC_OK)
    die ("cannot render the heart", NULL);
  return k;
}

static void
save_kernel (const SkcKernel *k, const char *path)
{
  SkcImage *img = NULL;

  skc_image_new (k->width, k->height, 1, &img);
  memcpy (img->data, k->data, sizeof (float) * k->width * k->height);
  if (skc_image_save (img, path) != SKC_OK)
    die ("cannot write ", path);
  skc_image_free (img);
}

static void
prepare (const char *dir)
{
  SkcImage *src = NULL, *big = NULL, *map = NULL;

  mkdir (dir, 0755);
  if (skc_image_load (SKC_SAMPLE_PHOTO, &src) != SKC_OK)
    die ("cannot load ", SKC_SAMPLE_PHOTO);
  skc_image_new (W, H, 3, &big);
  /* The sample photo mirror-tiled to 4000 x 3000 at its own scale. */
  bench_mirror_photo (src, W, H, 3, big->data);
  if (skc_image_save (big, path_in (dir, "photo.pfm")) != SKC_OK)
    die ("cannot write photo.pfm", NULL);
  /* the same photo sRGB-encoded in a 16-bit PNG, for the gegl command */
  for (size_t i = 0; i < (size_t) W * H * 3; i++)
    big->data[i] = skc_linear_to_srgb (big->data[i]);
  if (skc_image_save (big, path_in (dir, "photo.png")) != SKC_OK)
    die ("cannot write photo.png", NULL);
  skc_image_new (W, H, 1, &map);
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      map->data[(size_t) y * W + x] = map_at (x, y);
  skc_image_save (map, path_in (dir, "map.pfm"));
  skc_image_save (map, path_in (dir, "map.png"));
  {
    SkcKernel *k51 = heart (51), *k101 = heart (MAX_SIZE);

    save_kernel (k51, path_in (dir, "heart-51.pfm"));
    save_kernel (k101, path_in (dir, "heart-101.pfm"));
    printf ("heart kernels: %dx%d and %dx%d\n", k51->width, k51->height,
            k101->width, k101->height);
    skc_kernel_free (k51);
    skc_kernel_free (k101);
  }
  for (int l = 1; l <= LEVELS; l++)
    {
      char       name[64];
      SkcKernel *k = heart (MAX_SIZE * l / LEVELS);

      snprintf (name, sizeof name, "level-%d.pfm", l);
      save_kernel (k, path_in (dir, name));
      skc_kernel_free (k);
    }
  skc_image_free (src);
  skc_image_free (big);
  skc_image_free (map);
  printf ("prepared %s\n", dir);
}

/* RGB (3 ch) -> premultiplied RGBA, alpha 1 */
static float *
to_rgba (const SkcImage *img)
{
  size_t n = (size_t) img->width * img->height;
  float *p = malloc (n * 4 * sizeof *p);

  for (size_t i = 0; i < n; i++)
    {
      p[4 * i + 0] = img->data[3 * i + 0];
      p[4 * i + 1] = img->data[3 * i + 1];
      p[4 * i + 2] = img->data[3 * i + 2];
      p[4 * i + 3] = 1.0f;
    }
  return p;
}

static float *
channel (const SkcImage *img, int c)
{
  size_t n = (size_t) img->width * img->height;
  float *p = malloc (n * sizeof *p);

  for (size_t i = 0; i < n; i++)
    p[i] = img->data[3 * i + c];
  return p;
}

static SkcFamily *
fit_family (float size, int n_bases, float min_size)
{
  SkcShapeParams sp;
  SkcFitOptions  o;
  SkcFamily     *f = NULL;
  double         t0 = skc_time_now ();

  skc_shape_params_from_name ("heart", &sp);
  skc_fit_options_init (&o);
  if (skc_family_fit (&sp, NULL, n_bases == 1 ? size : min_size, size, n_bases,
                      &o, &f) != SKC_OK)
    die ("family fit failed", NULL);
  printf ("fitted heart family up to %.0f px, %d bases, %.2f s\n", size,
          n_bases, skc_time_now () - t0);
  return f;
}

static double
time_uniform (const SkcComplex *c, const float *rgba, float *out, int runs,
              int threads)
{
  SkcPlan        *plan = NULL;
  SkcApplyOptions ao;
  SkcRect         all = { 0, 0, W, H };
  double          t[16];

  if (skc_plan_new (c, &plan) != SKC_OK)
    die ("plan failed", NULL);
  skc_apply_options_init (&ao);
  ao.n_threads = threads;
  for (int r = 0; r < runs; r++)
    {
      double t0 = skc_time_now ();

      if (skc_apply_rgba (plan, skc_in_view (rgba, 4 * W, all), all,
                          skc_out_view (out, 4 * W, all), &ao) != SKC_OK)
        die ("apply failed", NULL);
      t[r] = skc_time_now () - t0;
    }
  skc_plan_free (plan);
  qsort (t, (size_t) runs, sizeof *t, bench_cmp_double);
  return t[runs / 2];
}

/* PSNR of RGBA @out against 3 planes @ref over the interior */
static double
psnr_rgba_vs_planes (const float *out, float *const ref[3], int frame)
{
  double se = 0;
  size_t n = 0;

  for (int y = frame; y < H - frame; y++)
    for (int x = frame; x < W - frame; x++)
      for (int c = 0; c < 3; c++)
        {
          double d = out[((size_t) y * W + x) * 4 + c] - ref[c][(size_t) y * W + x];
          se += d * d;
          n++;
        }
  return 10 * log10 (1.0 / (se / n));
}

static void
ours (const char *dir, int runs)
{
  SkcImage  *img = NULL;
  float     *rgba, *out;
  float     *planes[3];
  SkcFamily *f51, *f101, *fmap;
  SkcComplex *c51, *c101;

  if (skc_image_load (path_in (dir, "photo.pfm"), &img) != SKC_OK
      || img->width != W || img->height != H || img->channels != 3)
    die ("run 'prepare' first: no ", path_in (dir, "photo.pfm"));
  rgba = to_rgba (img);
  out = malloc (sizeof (float) * 4 * W * H);
  for (int c = 0; c < 3; c++)
    planes[c] = channel (img, c);

  f51 = fit_family (51, 1, 51);
  f101 = fit_family (MAX_SIZE, 1, MAX_SIZE);
  skc_complex_copy (f51->bases[0], &c51);
  if (skc_family_eval (f51, 51, 0, c51) != SKC_OK)
    die ("skc_family_eval failed", "");
  skc_complex_copy (f101->bases[0], &c101);
  if (skc_family_eval (f101, MAX_SIZE, 0, c101) != SKC_OK)
    die ("skc_family_eval failed", "");

  printf ("\n| what | threads | median s (%d runs) | Mpix/s | PSNR (dB) |\n|---|---:|---:|---:|---:|\n", runs);
  {
    const SkcComplex *cs[2] = { c51, c101 };
    const float       sz[2] = { 51, MAX_SIZE };

    for (int i = 0; i < 2; i++)
      {
        double     t2 = time_uniform (cs[i], rgba, out, runs, 2);
        double     t1 = time_uniform (cs[i], rgba, out, 1, 1);
        SkcKernel *k = heart (sz[i]);
        float     *ref[3];
        double     p;

        for (int c = 0; c < 3; c++)
          {
            ref[c] = malloc (sizeof (float) * W * H);
            skc_convolve_fft (planes[c], W, H, k, ref[c]);
          }
        time_uniform (cs[i], rgba, out, 1, 2);
        p = psnr_rgba_vs_planes (out, ref, k->width / 2 + skc_complex_reach (cs[i]) + 2);
        printf ("| ours uniform heart %.0f px (24x4) | 2 | %.3f | %.1f | %.2f |\n",
                sz[i], t2, W * H / t2 / 1e6, p);
        printf ("| ours uniform heart %.0f px (24x4) | 1 | %.3f | %.1f | |\n",
                sz[i], t1, W * H / t1 / 1e6);
        fflush (stdout);
        for (int c = 0; c < 3; c++)
          free (ref[c]);
        skc_kernel_free (k);
      }
  }

  /* map-driven: size = 101 * map */
  {
    SkcVaryParams   vp;
    SkcImage       *map = NULL;
    float          *field = malloc (sizeof (float) * 2 * W * H);
    SkcRect         all = { 0, 0, W, H };
    SkcApplyOptions ao;
    double          t[16];

    fmap = fit_family (MAX_SIZE, 6, 3);
    if (skc_image_load (path_in (dir, "map.pfm"), &map) != SKC_OK)
      die ("no map", NULL);
    skc_vary_params_init (&vp, SKC_VARY_MAP);
    vp.diameter_px = MAX_SIZE;
    vp.focus = 0.0f;
    vp.range = 1.0f;
    skc_vary_field (&vp, all, map->data, W, all, field);
    skc_apply_options_init (&ao);
    ao.n_threads = 2;
    for (int r = 0; r < runs; r++)
      {
        double t0 = skc_time_now ();

        if (skc_apply_varying_rgba (fmap, field,
                                    skc_in_view (rgba, 4 * W, all), all,
                                    skc_out_view (out, 4 * W, all), &ao) != SKC_OK)
          die ("varying apply failed", NULL);
        t[r] = skc_time_now () - t0;
      }
    qsort (t, (size_t) runs, sizeof *t, bench_cmp_double);

    /* per-pixel dense truth and the layered reference on a crop */
    {
      const int cx = 1900, cy = 1700, cw = 200, ch = 150;
      SkcKernel *cache[H] = { 0 };
      float     *lev[LEVELS + 1][3];
      double     se_ours = 0, se_layer = 0;
      size_t     n = 0;

      for (int l = 1; l <= LEVELS; l++)
        {
          SkcKernel *k = heart (MAX_SIZE * l / LEVELS);

          for (int c = 0; c < 3; c++)
            {
              lev[l][c] = malloc (sizeof (float) * W * H);
              skc_convolve_fft (planes[c], W, H, k, lev[l][c]);
            }
          skc_kernel_free (k);
        }
      for (int c = 0; c < 3; c++)
        lev[0][c] = planes[c];
      for (int y = cy; y < cy + ch; y++)
        for (int x = cx; x < cx + cw; x++)
          {
            float      s = field[2 * ((size_t) y * W + x)];
            float      pos = s / MAX_SIZE * LEVELS;
            int        l0 = (int) floorf (pos);
            float      a = pos - l0;
            SkcKernel *k;
            int        key = (int) lroundf (s * 16.0f);   /* 1/16 px bins */

            if (l0 >= LEVELS)
              l0 = LEVELS - 1, a = 1.0f;
            if (key >= H)
              key = H - 1;
            if (!cache[key])
              cache[key] = s > 0.05f ? heart (key / 16.0f) : NULL;
            k = cache[key];
            for (int c = 0; c < 3; c++)
              {
                double gt = 0, d;

                if (!k)
                  gt = planes[c][(size_t) y * W + x];
                else
                  for (int v = 0; v < k->height; v++)
                    for (int u = 0; u < k->width; u++)
                      {
                        int sx = x - (u - k->width / 2), sy = y - (v - k->height / 2);
                        sx = sx < 0 ? 0 : sx >= W ? W - 1 : sx;
                        sy = sy < 0 ? 0 : sy >= H ? H - 1 : sy;
                        gt += k->data[v * k->width + u] * planes[c][(size_t) sy * W + sx];
                      }
                d = out[((size_t) y * W + x) * 4 + c] - gt;
                se_ours += d * d;
                d = (1 - a) * lev[l0][c][(size_t) y * W + x]
                    + a * lev[l0 + 1][c][(size_t) y * W + x] - gt;
                se_layer += d * d;
                n++;
              }
          }
      printf ("| ours map-driven heart, max 101 px (24x4, 6 bases) | 2 | %.3f | %.1f | %.2f |\n",
              t[runs / 2], W * H / t[runs / 2] / 1e6, 10 * log10 (n / se_ours));
      printf ("| layered reference, 8 FFT levels blended (accuracy only) | | | | %.2f |\n",
              10 * log10 (n / se_layer));
      for (int i = 0; i < H; i++)
        skc_kernel_free (cache[i]);
      for (int l = 1; l <= LEVELS; l++)
        for (int c = 0; c < 3; c++)
          free (lev[l][c]);
    }
    free (field);
    skc_image_free (map);
  }

  /* dense direct, one channel of a 400 x 300 crop, scaled to 3 x 12 Mpix */
  {
    const int  cw = 400, ch = 300;
    float     *crop = malloc (sizeof (float) * cw * ch);
    float     *res = malloc (sizeof (float) * cw * ch);
    const float sz[2] = { 51, MAX_SIZE };

    for (int y = 0; y < ch; y++)
      memcpy (crop + (size_t) y * cw, planes[1] + (size_t) (1000 + y) * W + 1000,
              sizeof (float) * cw);
    for (int i = 0; i < 2; i++)
      {
        SkcKernel *k = heart (sz[i]);
        double     t0 = skc_time_now (), t;

        skc_convolve_dense (crop, cw, ch, k, res);
        t = (skc_time_now () - t0) * (double) W * H / (cw * ch) * 3;
        printf ("| dense direct heart %.0f px (%dx%d taps; 400x300 crop x 1 channel, scaled) | 1 | %.1f | %.2f | exact |\n",
                sz[i], k->width, k->height, t, W * H / t / 1e6);
        skc_kernel_free (k);
      }
    free (crop);
    free (res);
  }

  skc_family_free (f51);
  skc_family_free (f101);
  skc_family_free (fmap);
  skc_complex_free (c51);
  skc_complex_free (c101);
  for (int c = 0; c < 3; c++)
    free (planes[c]);
  free (rgba);
  free (out);
  skc_image_free (img);
}

int
main (int argc, char **argv)
{
  int runs = 3;

  if (argc >= 3 && strcmp (argv[1], "prepare") == 0)
    prepare (argv[2]);
  else if (argc >= 3 && strcmp (argv[1], "ours") == 0)
    {
      if (argc >= 4 && !skc_options_int (argv[3], 1, 1000, &runs))
        die ("RUNS must be 1..1000, got ", argv[3]);
      ours (argv[2], runs);
    }
  else
    {
      fprintf (stderr, "usage: skc-bench-bokeh prepare DIR | ours DIR [RUNS]\n");
      return 2;
    }
  return 0;
}
