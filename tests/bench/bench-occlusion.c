/* skc-bench-occlusion: the occlusion-aware depth blur (issue 15).
 *
 *   skc-bench-occlusion [SCENES.png [PHOTO.png]]
 *
 * No options: every setting is printed.  Two tables.
 *
 * Fidelity: the synthetic layered scenes of tests/occlusion-scene.c at
 * 480 x 320 with a largest diameter of 41 px (a disk), against their
 * layered truth (each layer, hidden parts included, blurred densely with
 * its own disk, laid over the farther ones), for skc_occlusion_apply_rgba,
 * the map mode (skc_vary_field + skc_apply_varying_rgba) of the same
 * family on the same map, and gegl:lens-blur with the blur amount
 * clamp01 (|map - focus| / range) on its aux input and radius 20.5.  PSNR
 * (peak 1, RGB, linear) over the interior (a 24 px frame left out), over
 * the band within 16 px of the depth edges, and over the rest (where
 * occlusion plays no part: how the methods' disks differ).
 *
 * Cost: the scenes at 2400 x 1600 and the sample photo mirror-tiled to
 * 2400 x 1600 under a smooth depth map (a ramp with a wave: every depth,
 * all three layers), 41 px, one thread (as the op calls the core), median of 3 runs: the map mode,
 * occlusion, and gegl:lens-blur (GEGL's own threads).
 *
 * The family is the GEGL op's canonical one for a disk (12 bases 1..33
 * px, 24x4, the top one scaled beyond).  With SCENES.png, a picture: the
 * sharp subject and the blurred front (each: gegl:lens-blur, map mode,
 * occlusion, truth), sRGB.
 *
 * Last, a real photo with a depth map from stereo: Middlebury's Cones
 * (tests/data/cones.png, its ground-truth disparity with 3 % holes as the
 * map, white near, focus on the mask): the times, and how far the result
 * moves when the holes are read as depth 0 instead of filled.  No truth
 * exists for it; PHOTO.png shows it: the photo, gegl:lens-blur, the map
 * mode, occlusion with holes filled.
 */
#include "skc.h"
#include "bench-common.h"
#include "../occlusion-scene.h"
#include "../lens-blur-map.h"

#include <gegl.h>
#include <math.h>

#define FW     480
#define FH     320
#define CW     2400
#define CH     1600
#define SIZE   41.0f
#define FRAME  24
#define BAND   16
#define RUNS   3

static void
die (const char *what)
{
  fprintf (stderr, "skc-bench-occlusion: %s\n", what);
  exit (1);
}

static SkcVaryParams
map_params (float focus, float range)
{
  SkcVaryParams v;

  skc_vary_params_init (&v, SKC_VARY_MAP);
  v.diameter_px = SIZE;
  v.focus = focus;
  v.range = range;
  return v;
}

static double
run_ours (const SkcFamily *f, const float *photo, const float *map, int w,
          int h, float focus, float range, float *out)
{
  SkcVaryParams      v = map_params (focus, range);
  SkcOcclusionParams occ;
  SkcApplyOptions    o;
  SkcRect            all = { 0, 0, w, h };
  double             t0 = skc_time_now ();

  skc_occlusion_params_init (&occ);
  skc_apply_options_init (&o);
  o.n_threads = 1;
  if (skc_occlusion_apply_rgba (f, &v, &occ, map, w,
                                skc_in_view (photo, 4 * w, all), all,
                                skc_out_view (out, 4 * w, all), &o) != SKC_OK)
    die ("occlusion apply failed");
  return skc_time_now () - t0;
}

static double
run_plain (const SkcFamily *f, const float *photo, const float *map, int w,
           int h, float focus, float range, float *out)
{
  SkcVaryParams   v = map_params (focus, range);
  SkcApplyOptions o;
  SkcRect         all = { 0, 0, w, h };
  float          *field = malloc (2 * sizeof (float) * w * h);
  double          t0 = skc_time_now ();

  skc_apply_options_init (&o);
  o.n_threads = 1;
  if (!field || skc_vary_field (&v, all, map, w, all, field) != SKC_OK
      || skc_apply_varying_rgba (f, field, skc_in_view (photo, 4 * w, all),
                                 all, skc_out_view (out, 4 * w, all), &o)
         != SKC_OK)
    die ("map mode failed");
  t0 = skc_time_now () - t0;
  free (field);
  return t0;
}

/* gegl:lens-blur (lens-blur-map.c) with radius SIZE / 2; the blit timed. */
static double
run_gegl (const float *photo, const float *map, int w, int h, float focus,
          float range, float *out)
{
  GeglRectangle all = { 0, 0, w, h };
  GeglNode     *g = gegl_node_new ();
  GeglNode     *blur = lens_blur_map (g, photo, map, w, h, focus, range,
                                      SIZE / 2.0);
  double        t0 = skc_time_now ();

  gegl_node_blit (blur, 1.0, &all, babl_format ("RaGaBaA float"), out,
                  GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
  t0 = skc_time_now () - t0;
  g_object_unref (g);
  return t0;
}

/* PSNR over the interior minus the band (scene_psnr covers the interior
 * and the band; the rest from their squared errors). */
static double
psnr_rest (const Scene *s, const float *a, const float *b)
{
  double pa = scene_psnr (s, a, b, FRAME, 0), pb = scene_psnr (s, a, b,
                                                               FRAME, BAND);
  double na = 0, nb = 0;
  /* counts of the two masks, from pixel loops of the same rule */
  int    w = s->width, h = s->height;

  for (int y = FRAME; y < h - FRAME; y++)
    for (int x = FRAME; x < w - FRAME; x++)
      {
        int edge = 0;

        na++;
        for (int j = -BAND; j <= BAND && !edge; j++)
          for (int i = -BAND; i <= BAND && !edge; i++)
            {
              int xx = x + i, yy = y + j;
              float v;

              if (xx < 0 || yy < 0 || xx >= w || yy >= h)
                continue;
              v = s->map[(size_t) yy * w + xx];
              if ((xx + 1 < w && s->map[(size_t) yy * w + xx + 1] != v)
                  || (yy + 1 < h && s->map[(size_t) (yy + 1) * w + xx] != v))
                edge = 1;
            }
        nb += edge;
      }
  {
    double se_a = na * pow (10.0, -pa / 10.0);
    double se_b = nb * pow (10.0, -pb / 10.0);

    return 10.0 * log10 ((na - nb) / (se_a - se_b));
  }
}

static double
median (double *t)
{
  qsort (t, RUNS, sizeof *t, bench_cmp_double);
  return t[RUNS / 2];
}

/* The sample photo mirror-tiled, linear RGBA, and a ramp-and-wave map. */
static void
photo_scene (float **photo, float **map)
{
  SkcImage *src = NULL;

  if (skc_image_load (SKC_SAMPLE_PHOTO, &src) != SKC_OK)
    die ("cannot load the sample photo");
  *photo = malloc (sizeof (float) * 4 * CW * CH);
  *map = malloc (sizeof (float) * CW * CH);
  if (!*photo || !*map)
    die ("out of memory");
  for (int y = 0; y < CH; y++)
    for (int x = 0; x < CW; x++)
      {
        int    tx = x % (2 * src->width), ty = y % (2 * src->height);
        int    sx = tx < src->width ? tx : 2 * src->width - 1 - tx;
        int    sy = ty < src->height ? ty : 2 * src->height - 1 - ty;
        float *p = *photo + 4 * ((size_t) y * CW + x);

        for (int c = 0; c < 3; c++)
          p[c] = skc_srgb_to_linear (src->data[src->channels
                                               * ((size_t) sy * src->width
                                                  + sx) + c]);
        p[3] = 1.0f;
        (*map)[(size_t) y * CW + x]
          = (float) (0.1 + 0.8 * y / (CH - 1.0)
                     + 0.08 * sin (x * 0.004) * cos (y * 0.006));
      }
  skc_image_free (src);
}

/* A montage of @rows x @cols images of @w px wide, each cropped to
 * (@x0, @y0, @cw, @ch), sRGB, 6 px of white between. */
static void
montage (const char *path, float *const *img, int rows, int cols, int w,
         int x0, int y0, int cw, int ch)
{
  int       gap = 6;
  SkcImage *im = NULL;

  if (skc_image_new (cols * cw + (cols - 1) * gap, rows * ch + (rows - 1) * gap,
                     3, &im) != SKC_OK)
    die ("out of memory");
  for (size_t i = 0; i < (size_t) im->width * im->height * 3; i++)
    im->data[i] = 1.0f;
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      for (int y = 0; y < ch; y++)
        for (int x = 0; x < cw; x++)
          {
            const float *p = img[r * cols + c]
                             + 4 * ((size_t) (y + y0) * w + x + x0);
            float       *q = im->data + 3 * ((size_t) (r * (ch + gap) + y)
                                             * im->width
                                             + c * (cw + gap) + x);

            for (int k = 0; k < 3; k++)
              q[k] = skc_linear_to_srgb (p[k] < 0.0f ? 0.0f
                                         : p[k] > 1.0f ? 1.0f : p[k]);
          }
  if (skc_image_save (im, path) != SKC_OK)
    die ("cannot save the picture");
  skc_image_free (im);
}

/* The stereo photo (tests/data/cones.png) under its disparity map
 * (cones-disparity.png: white near, 0 unknown), focus on the mask. */
#define CONES_FOCUS 0.54f
#define CONES_RANGE 0.3f

static void
cones (const SkcFamily *f, const char *picture)
{
  SkcImage          *src = NULL, *disp = NULL;
  float             *photo, *map, *out[4];
  int                w, h;
  SkcVaryParams      v = map_params (CONES_FOCUS, CONES_RANGE);
  SkcOcclusionParams occ;
  SkcApplyOptions    o;
  SkcRect            all;
  double             tp[RUNS], to[RUNS], tg[RUNS], md = 0.0;
  size_t             n_holes = 0, n_changed = 0;

  if (skc_image_load (SKC_CONES_PHOTO, &src) != SKC_OK
      || skc_image_load (SKC_CONES_DISPARITY, &disp) != SKC_OK
      || disp->width != src->width || disp->height != src->height)
    die ("cannot load the cones photo and disparity");
  w = src->width;
  h = src->height;
  all = (SkcRect) { 0, 0, w, h };
  photo = malloc (sizeof (float) * 4 * w * h);
  map = malloc (sizeof (float) * w * h);
  for (int k = 0; k < 4; k++)
    out[k] = malloc (sizeof (float) * 4 * w * h);
  if (!photo || !map || !out[3])
    die ("out of memory");
  for (size_t i = 0; i < (size_t) w * h; i++)
    {
      for (int c = 0; c < 3; c++)
        photo[4 * i + c] = skc_srgb_to_linear (src->data[src->channels * i
                                                         + c]);
      photo[4 * i + 3] = 1.0f;
      map[i] = disp->data[disp->channels * i];
      n_holes += map[i] == 0.0f;
    }
  memcpy (out[0], photo, sizeof (float) * 4 * w * h);
  for (int r = 0; r < RUNS; r++)
    {
      tg[r] = run_gegl (photo, map, w, h, CONES_FOCUS, CONES_RANGE, out[1]);
      tp[r] = run_plain (f, photo, map, w, h, CONES_FOCUS, CONES_RANGE,
                         out[2]);
      skc_occlusion_params_init (&occ);
      occ.holes = 1;
      skc_apply_options_init (&o);
      o.n_threads = 1;
      to[r] = skc_time_now ();
      if (skc_occlusion_apply_rgba (f, &v, &occ, map, w,
                                    skc_in_view (photo, 4 * w, all), all,
                                    skc_out_view (out[3], 4 * w, all), &o)
          != SKC_OK)
        die ("occlusion apply failed");
      to[r] = skc_time_now () - to[r];
    }
  /* what the holes do when read as depth 0 (farthest): specks */
  {
    float *raw = malloc (sizeof (float) * 4 * w * h);

    occ.holes = 0;
    if (!raw || skc_occlusion_apply_rgba (f, &v, &occ, map, w,
                                          skc_in_view (photo, 4 * w, all),
                                          all, skc_out_view (raw, 4 * w, all),
                                          &o) != SKC_OK)
      die ("occlusion apply failed");
    for (size_t i = 0; i < (size_t) w * h; i++)
      {
        double d = 0.0;

        for (int c = 0; c < 3; c++)
          d = fmax (d, fabs ((double) raw[4 * i + c] - out[3][4 * i + c]));
        md = fmax (md, d);
        n_changed += d > 0.02;
      }
    free (raw);
  }
  printf ("\n## The stereo photo: Middlebury 2003 Cones, %d x %d, its "
          "ground-truth disparity as the map (%zu holes, %.1f %%), focus "
          "%.2f, range %.2f, %.0f px, one thread, median of %d runs (s)\n\n"
          "| map mode | occlusion, holes filled | ratio | gegl:lens-blur |\n"
          "|---|---|---|---|\n| %.3f | %.3f | %.2f | %.3f |\n\n"
          "Holes read as depth 0 instead of filled: %zu pixels differ by "
          "more than 0.02 (largest %.3f).\n", w, h, n_holes,
          100.0 * n_holes / ((double) w * h), (double) CONES_FOCUS,
          (double) CONES_RANGE, (double) SIZE, RUNS, median (tp),
          median (to), median (to) / median (tp), median (tg), n_changed, md);
  if (picture)
    montage (picture, out, 1, 4, w, 0, 0, w, h);
  for (int k = 0; k < 4; k++)
    free (out[k]);
  free (photo);
  free (map);
  skc_image_free (src);
  skc_image_free (disp);
}

int
main (int argc, char **argv)
{
  SkcShapeParams disk;
  SkcFitOptions  fo;
  SkcFamily     *f = NULL;
  float         *img[2][4] = { { 0 } };
  double         t0;

  gegl_init (&argc, &argv);
  skc_shape_params_init (&disk, SKC_SHAPE_DISK);
  skc_fit_options_init (&fo);
  t0 = skc_time_now ();
  if (skc_family_fit (&disk, NULL, SKC_FAMILY_CANON_MIN, SKC_FAMILY_CANON_TOP,
                      SKC_FAMILY_CANON_BASES, &fo, &f) != SKC_OK)
    die ("family fit failed");
  printf ("family: disk, %d bases %.0f..%.0f px, %dx%d, fit %.1f s; "
          "largest diameter %.0f px; SIMD %s\n\n", f->n_bases,
          (double) f->sizes[0], (double) f->sizes[f->n_bases - 1],
          fo.n_samples, fo.n_layers, skc_time_now () - t0, (double) SIZE,
          skc_apply_simd_path ());

  printf ("## Fidelity: %d x %d, PSNR (dB) against the layered truth\n\n"
          "| scene | method | interior | edge band (%d px) | elsewhere |\n"
          "|---|---|---|---|---|\n", FW, FH, BAND);
  for (int k = 0; k < SCENE_COUNT; k++)
    {
      Scene       s;
      size_t      n = (size_t) 4 * FW * FH;
      float      *truth = malloc (n * sizeof (float));
      float      *out[3];
      const char *names[3] = { "occlusion", "map mode", "gegl:lens-blur" };

      if (!truth || scene_make (k, FW, FH, &s) != 0)
        die ("out of memory");
      for (int m = 0; m < 3; m++)
        if (!(out[m] = malloc (n * sizeof (float))))
          die ("out of memory");
      scene_truth (&s, SIZE, truth);
      run_ours (f, s.photo, s.map, FW, FH, s.focus, s.range, out[0]);
      run_plain (f, s.photo, s.map, FW, FH, s.focus, s.range, out[1]);
      run_gegl (s.photo, s.map, FW, FH, s.focus, s.range, out[2]);
      for (int m = 0; m < 3; m++)
        printf ("| %s | %s | %.2f | %.2f | %.2f |\n", s.name, names[m],
                scene_psnr (&s, out[m], truth, FRAME, 0),
                scene_psnr (&s, out[m], truth, FRAME, BAND),
                psnr_rest (&s, out[m], truth));
      if (k < 2)
        {
          img[k][0] = out[2];
          img[k][1] = out[1];
          img[k][2] = out[0];
          img[k][3] = truth;
        }
      else
        {
          for (int m = 0; m < 3; m++)
            free (out[m]);
          free (truth);
        }
      scene_clear (&s);
    }
  if (argc > 1)
    {
      float *flat[8];

      for (int r = 0; r < 2; r++)
        for (int c = 0; c < 4; c++)
          flat[r * 4 + c] = img[r][c];
      montage (argv[1], flat, 2, 4, FW, FW / 4, FH / 4, FW / 2, FH / 2);
    }
  for (int r = 0; r < 2; r++)
    for (int c = 0; c < 4; c++)
      free (img[r][c]);

  printf ("\n## Cost: %d x %d, one thread (as the GEGL op calls the core; GEGL threads the op), median of %d runs (s)\n\n"
          "| scene | map mode | occlusion | ratio | gegl:lens-blur |\n"
          "|---|---|---|---|---|\n", CW, CH, RUNS);
  for (int k = 0; k <= SCENE_COUNT; k++)
    {
      Scene       s;
      size_t      n = (size_t) 4 * CW * CH;
      float      *out = malloc (n * sizeof (float));
      float      *photo, *map, focus, range;
      const char *name;
      double      tp[RUNS], to[RUNS], tg[RUNS];

      if (!out)
        die ("out of memory");
      if (k < SCENE_COUNT)
        {
          if (scene_make (k, CW, CH, &s) != 0)
            die ("out of memory");
          photo = s.photo;
          map = s.map;
          focus = s.focus;
          range = s.range;
          name = s.name;
        }
      else
        {
          photo_scene (&photo, &map);
          focus = 0.5f;
          range = 0.4f;
          name = "photo, ramp-and-wave depth";
        }
      for (int r = 0; r < RUNS; r++)
        {
          tp[r] = run_plain (f, photo, map, CW, CH, focus, range, out);
          to[r] = run_ours (f, photo, map, CW, CH, focus, range, out);
          tg[r] = run_gegl (photo, map, CW, CH, focus, range, out);
        }
      {
        double p = median (tp), o = median (to), g = median (tg);

        printf ("| %s | %.3f | %.3f | %.2f | %.3f |\n", name, p, o, o / p, g);
      }
      fflush (stdout);
      if (k < SCENE_COUNT)
        scene_clear (&s);
      else
        {
          free (photo);
          free (map);
        }
      free (out);
    }
  cones (f, argc > 2 ? argv[2] : NULL);
  skc_family_free (f);
  gegl_exit ();
  return 0;
}
