/* editor-check: checks on presets written by the kernel editor, for
 * tests/test-editor.sh.
 *
 *   editor-check preset FILE.preset [--complexes N] [--shape | --image]
 *                [--source KERNEL.png] [--kernel-psnr DB] [--image-psnr DB]
 *                [--scene-psnr DB]
 *       FILE parses with skc_preset_load; it holds N complexes that load,
 *       fit the preset's kernel (same size) and measure, against it, the
 *       kernel PSNR they carry; a kernel image matches --source (the
 *       image the preset was made from) up to 16-bit rounding; the
 *       suggested level's PSNRs are the ones the plug-in returned (image:
 *       on the sample photo; scene: on the editor's point lights), to
 *       0.01 dB; and, measured independently (test-truth.c: the complex's
 *       taps gathered and the dense convolution of the kernel, by the
 *       test's own loops), its kernel, photo and scene PSNRs are at least
 *       --min-kernel-psnr, --min-image-psnr and --min-scene-psnr DB, and
 *       within 0.1 dB of the reported ones (0.5 dB for the scene).
 *   editor-check black OUT.png SIZE
 *       writes an all-black SIZE x SIZE kernel image (an empty kernel).
 *   editor-check image-size FILE.png
 *       prints "WIDTH HEIGHT" of an image.
 *
 * Prints what it checked; exit status 1 on any failure.
 */
#include "test-common.h"
#include "test-truth.h"
#include "skc-preset.h"
#include "editor-scene.h"
#include "editor-store.h"
#include "skc-options.h"

#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
  "usage: editor-check preset FILE [options] | black OUT.png SIZE"
  " | image-size FILE\n";

/* argv[0] is "preset" */
static int
check_preset (int argc, char **argv)
{
  const char *path = NULL, *source = NULL;
  int         want_complexes = -1, want_shape = -1, n_words, rc;
  double      want_kpsnr = NAN, want_ipsnr = NAN, want_spsnr = NAN;
  double      min_kpsnr = NAN, min_ipsnr = NAN, min_spsnr = NAN;
  SkcPreset  *p = NULL;
  SkcKernel  *k = NULL;
  char        err[512];
  int         matched = 0;
  const SkcOption opts[] = {
    { "complexes",   0, SKC_OPT_INT,    &want_complexes, 0, 64, NULL },
    { "shape",       0, SKC_OPT_FLAG,   &want_shape, 1, 0, NULL },
    { "image",       0, SKC_OPT_FLAG,   &want_shape, 0, 0, NULL },
    { "source",      0, SKC_OPT_STRING, &source, 0, 0, NULL },
    { "kernel-psnr", 0, SKC_OPT_DOUBLE, &want_kpsnr, -1000, 1000, NULL },
    { "image-psnr",  0, SKC_OPT_DOUBLE, &want_ipsnr, -1000, 1000, NULL },
    { "scene-psnr",  0, SKC_OPT_DOUBLE, &want_spsnr, -1000, 1000, NULL },
    { "min-kernel-psnr", 0, SKC_OPT_DOUBLE, &min_kpsnr, -1000, 1000, NULL },
    { "min-image-psnr",  0, SKC_OPT_DOUBLE, &min_ipsnr, -1000, 1000, NULL },
    { "min-scene-psnr",  0, SKC_OPT_DOUBLE, &min_spsnr, -1000, 1000, NULL },
    { 0 }
  };

  rc = skc_options_parse ("editor-check", "preset", usage_text, argc, argv,
                          opts, &path, 1, &n_words);
  if (rc >= 0)
    return rc;
  if (!path)
    return skc_options_error ("editor-check", "preset", "missing FILE");

  {
    GError *error = NULL;

    CHECK (skc_preset_load (path, &p, &error) == SKC_OK,
           "%s parses (%s)", path, error ? error->message : "");
    g_clear_error (&error);
  }
  if (!p)
    return test_finish ();
  printf ("%s: id %s, name '%s', %s, samples %d, layers %d, %d complexes\n", path,
          p->id, p->name, p->is_shape ? "shape" : "kernel image", p->samples,
          p->layers, p->n_complexes);
  if (want_shape >= 0)
    CHECK (p->is_shape == want_shape, "%s is a %s preset", p->id,
           want_shape ? "shape" : "kernel-image");
  if (want_complexes >= 0)
    CHECK (p->n_complexes == want_complexes, "%d complexes (want %d)",
           p->n_complexes, want_complexes);

  /* the preset's kernel: an image at its own size, a shape at the size the
   * complexes were fitted for */
  if (!p->is_shape)
    CHECK_OK (skc_preset_kernel (p, 0, &k));
  if (source && k)
    {
      SkcImage  *img = NULL;
      SkcKernel *src = NULL;

      CHECK_OK (skc_image_load (source, &img));
      if (img)
        CHECK_OK (skc_kernel_from_image (img, &src));
      if (src)
        {
          double d = 0, peak = skc_kernel_peak (src);

          CHECK (src->width == k->width && src->height == k->height,
                 "kernel image %d x %d as the source %d x %d", k->width, k->height,
                 src->width, src->height);
          for (int i = 0; src->width == k->width && src->height == k->height
                          && i < k->width * k->height; i++)
            d = fmax (d, fabs ((double) src->data[i] - k->data[i]));
          CHECK (d <= peak * 2e-5, "kernel image matches its source (max diff %.3g, peak %.3g)",
                 d, peak);
          printf ("kernel image matches its source: max diff %.3g of peak %.3g\n", d, peak);
        }
      skc_kernel_free (src);
      skc_image_free (img);
    }

  for (int i = 0; i < p->n_complexes; i++)
    {
      SkcComplex *c = NULL;
      double      kpsnr = NAN;

      CHECK (skc_complex_load (p->complexes[i], &c, err, sizeof err) == SKC_OK,
             "%s loads (%s)", p->complexes[i], err);
      if (!c)
        continue;
      if (p->is_shape && !k)
        {
          CHECK_OK (skc_preset_kernel (p, c->target_width, &k));
        }
      if (!k)
        {
          skc_complex_free (c);
          continue;
        }
      CHECK (c->target_width == k->width && c->target_height == k->height,
             "%s was fitted at %d x %d, the kernel is %d x %d", p->complexes[i],
             c->target_width, c->target_height, k->width, k->height);
      CHECK (strcmp (c->kernel_name, p->id) == 0, "%s names its kernel '%s'",
             p->complexes[i], c->kernel_name);
      CHECK_OK (skc_eval_kernel_psnr (c, k, &kpsnr));
      CHECK_NEAR (kpsnr, c->kernel_psnr, 0.01, "kernel PSNR measured vs the one carried");
      printf ("%s: %d x %d, kernel PSNR %.2f dB (carried %.2f dB)\n", p->complexes[i],
              c->n_samples[0], c->n_layers, kpsnr, c->kernel_psnr);
      if (c->n_samples[0] == p->samples && c->n_layers == p->layers)
        {
          matched = 1;
          if (!isnan (want_kpsnr))
            CHECK_NEAR (kpsnr, want_kpsnr, 0.01, "kernel PSNR vs the plug-in's report");
          if (!isnan (min_kpsnr))
            {
              double t = truth_kernel_psnr (c, k);

              printf ("independent kernel PSNR %.2f dB (floor %.2f dB)\n", t, min_kpsnr);
              CHECK (t >= min_kpsnr, "kernel PSNR %.2f dB under its floor %.2f dB", t,
                     min_kpsnr);
              CHECK_NEAR (t, kpsnr, 0.05, "independent kernel PSNR vs the core's");
            }
          if (!isnan (want_ipsnr))
            {
              char  *photo_path = editor_sample_photo_find (NULL);
              int    w = 0, h = 0;
              float *photo = editor_sample_photo_load (photo_path, &w, &h);
              double ipsnr = NAN;

              CHECK (photo != NULL, "the sample photo (%s) loads",
                     photo_path ? photo_path : "none");
              if (photo)
                CHECK_OK (skc_eval_image_psnr (c, k, photo, w, h, &ipsnr, NULL));
              CHECK_NEAR (ipsnr, want_ipsnr, 0.01, "photo PSNR vs the plug-in's report");
              printf ("photo PSNR %.2f dB (reported %.2f dB)\n", ipsnr, want_ipsnr);
              if (photo && !isnan (min_ipsnr))
                {
                  double t = truth_image_psnr (c, k, photo, w, h);

                  printf ("independent photo PSNR %.2f dB (floor %.2f dB)\n", t, min_ipsnr);
                  CHECK (t >= min_ipsnr, "photo PSNR %.2f dB under its floor %.2f dB",
                         t, min_ipsnr);
                  CHECK_NEAR (t, want_ipsnr, 0.1, "independent photo PSNR vs the report");
                }
              g_free (photo);
              g_free (photo_path);
            }
          if (!isnan (want_spsnr))
            {
              EditorScene *scene = editor_scene_new (k);
              float       *lum = scene ? editor_scene_luminance (scene) : NULL;
              double       spsnr = NAN;

              if (lum)
                CHECK_OK (skc_eval_image_psnr (c, k, lum, scene->width, scene->height,
                                               &spsnr, NULL));
              CHECK_NEAR (spsnr, want_spsnr, 0.01, "scene PSNR vs the plug-in's report");
              printf ("scene PSNR %.2f dB (reported %.2f dB)\n", spsnr, want_spsnr);
              if (lum && !isnan (min_spsnr))
                {
                  double t = truth_image_psnr (c, k, lum, scene->width, scene->height);

                  printf ("independent scene PSNR %.2f dB (floor %.2f dB)\n", t, min_spsnr);
                  CHECK (t >= min_spsnr, "scene PSNR %.2f dB under its floor %.2f dB",
                         t, min_spsnr);
                  /* the point lights are bright: the core's FFT rounds them
                   * a little differently (0.1-0.35 dB measured) */
                  CHECK_NEAR (t, want_spsnr, 0.5, "independent scene PSNR vs the report");
                }
              g_free (lum);
              editor_scene_free (scene);
            }
        }
      skc_complex_free (c);
    }
  if (!isnan (want_kpsnr) || !isnan (want_ipsnr) || !isnan (want_spsnr))
    CHECK (matched, "a complex for the suggested level %d x %d", p->samples, p->layers);
  skc_kernel_free (k);
  skc_preset_free (p);
  return test_finish ();
}

static int
write_black (const char *path, int size)
{
  SkcImage *img = NULL;

  CHECK_OK (skc_image_new (size, size, 1, &img));
  if (img)
    {
      memset (img->data, 0, sizeof (float) * size * size);
      CHECK_OK (skc_image_save (img, path));
    }
  skc_image_free (img);
  return test_finish ();
}

static int
image_size (const char *path)
{
  SkcImage *img = NULL;

  if (skc_image_load (path, &img) != SKC_OK)
    {
      fprintf (stderr, "editor-check: cannot read '%s'\n", path);
      return 1;
    }
  printf ("%d %d\n", img->width, img->height);
  skc_image_free (img);
  return 0;
}

int
main (int argc, char **argv)
{
  int size;

  if (argc >= 3 && strcmp (argv[1], "preset") == 0)
    return check_preset (argc - 1, argv + 1);
  if (argc == 4 && strcmp (argv[1], "black") == 0)
    {
      if (!skc_options_int (argv[3], 1, SKC_MAX_KERNEL_SIZE, &size))
        return skc_options_error ("editor-check", "black",
                                  "SIZE must be 1..%d, got '%s'",
                                  SKC_MAX_KERNEL_SIZE, argv[3]);
      return write_black (argv[2], size);
    }
  if (argc == 3 && strcmp (argv[1], "image-size") == 0)
    return image_size (argv[2]);
  fputs (usage_text, stderr);
  return 2;
}
