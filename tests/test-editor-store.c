/* The kernel editor's model without GIMP (plug-ins/sparse-bokeh-editor/
 * editor-store.c, editor-scene.c): preset ids from names, the 16-bit
 * rounding of saved kernels, fitting with measures and cancellation, and
 * presets written, replaced, renamed and deleted in a temporary folder,
 * touching only their own files.
 */
#include "test-common.h"
#include "editor-scene.h"
#include "editor-store.h"

#include <glib/gstdio.h>
#include <string.h>

static int
cancel_at_once (double fraction, double loss, void *data)
{
  (*(int *) data)++;
  return 1;
}

static gboolean
exists (const char *dir, const char *name)
{
  char    *path = g_build_filename (dir, name, NULL);
  gboolean e = g_file_test (path, G_FILE_TEST_EXISTS);

  g_free (path);
  return e;
}

static void
test_ids (void)
{
  static const char *const cases[][2] = {
    { "My Heart 2", "my-heart-2" }, { "  soft--hex ", "soft-hex" },
    { "Ünïcode x", "n-code-x" },    { "iris-6", "iris-6" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *id = editor_id_from_name (cases[i][0]);

      CHECK (id && strcmp (id, cases[i][1]) == 0, "'%s' -> '%s' (got '%s')",
             cases[i][0], cases[i][1], id ? id : "(null)");
      CHECK (id && skc_preset_id_valid (id), "'%s' is a valid id", id ? id : "");
      g_free (id);
    }
  CHECK (editor_id_from_name ("!!! ") == NULL, "no letters, no id");
  CHECK (editor_id_from_name (NULL) == NULL, "NULL, no id");
}

static void
test_quantize (const SkcKernel *k)
{
  SkcKernel *q = editor_kernel_quantize (k);
  double     d = 0, peak = skc_kernel_peak (k);

  CHECK (q && q->width == k->width, "quantised");
  if (!q)
    return;
  CHECK_NEAR (skc_kernel_sum (q), 1.0, 1e-5, "quantised kernel sums to 1");
  for (int i = 0; i < k->width * k->height; i++)
    d = fmax (d, fabs ((double) q->data[i] - k->data[i]));
  CHECK (d <= peak / 65535.0 * 1.01, "rounding within 1/65535 of the peak (%.3g)", d / peak);
  skc_kernel_free (q);
}

static void
test_fit (const SkcKernel *k, EditorFit *fit)
{
  EditorScene *scene = editor_scene_new (k);
  float       *lum = editor_scene_luminance (scene);
  EditorPlanes planes = { 0 };
  EditorFit    cancelled;
  int          calls = 0;

  planes.scene = lum;
  planes.scene_width = scene->width;
  planes.scene_height = scene->height;
  CHECK (scene->width >= 320 && scene->height >= 224, "scene %d x %d", scene->width,
         scene->height);
  CHECK (editor_fit_level (NULL, k, 0, &planes, cancel_at_once, &calls, &cancelled)
         == SKC_ERR_CANCELLED && !cancelled.complex && calls >= 1,
         "a progress callback returning 1 cancels the fit (%d calls)", calls);
  CHECK_OK (editor_fit_level (NULL, k, 0, &planes, NULL, NULL, fit));
  CHECK (fit->complex && fit->complex->n_layers == skc_quality_levels[0].layers
         && fit->complex->n_samples[0] == skc_quality_levels[0].samples, "fast level is 12 x 4");
  printf ("fast level: kernel PSNR %.2f dB, scene PSNR %.2f dB\n", fit->kernel_psnr,
          fit->scene_psnr);
  CHECK (isfinite (fit->kernel_psnr) && fit->kernel_psnr > 18.0, "kernel PSNR %.2f (20.19 measured)",
         fit->kernel_psnr);
  CHECK (isfinite (fit->scene_psnr) && fit->scene_psnr > 30.5, "scene PSNR %.2f (32.87 measured)",
         fit->scene_psnr);
  CHECK (isnan (fit->photo_psnr), "no photo, no photo PSNR");
  CHECK (editor_fit_level (NULL, k, EDITOR_N_LEVELS, NULL, NULL, NULL, &cancelled)
         == SKC_ERR_INVALID, "a level out of range is refused");
  g_free (lum);
  editor_scene_free (scene);
}

static void
test_presets (const SkcKernel *k, const EditorFit *fit)
{
  char      *dir = g_dir_make_tmp ("skc-editor-XXXXXX", NULL);
  char      *user = g_build_filename (dir, "user", NULL);
  char      *builtin = g_build_filename (dir, "builtin", NULL);
  char      *path = NULL, *foreign, *text;
  EditorFit  fits[EDITOR_N_LEVELS] = { { 0 } };
  GError    *error = NULL;
  SkcPreset *p = NULL;
  SkcComplex *c = NULL;

  fits[0] = *fit;
  g_mkdir_with_parents (builtin, 0755);
  {
    char *f = g_build_filename (builtin, "iris-6.preset", NULL);

    g_file_set_contents (f, "[Sparse Bokeh Preset]\nname=6-blade iris\nshape=polygon\n",
                         -1, NULL);
    g_free (f);
  }

  /* write: the folder is made, the kernel and the fit saved beside */
  CHECK (editor_preset_write (user, "a", "Preset A", k, NULL, fits, 0, FALSE, &path, &error),
         "write a (%s)", error ? error->message : "");
  g_clear_error (&error);
  CHECK (exists (user, "a.preset") && exists (user, "a.png") && exists (user, "a-12x4.skc"),
         "a.preset, a.png, a-12x4.skc written");
  CHECK (skc_preset_load (path, &p, NULL) == SKC_OK && p && !p->is_shape
         && strcmp (p->name, "Preset A") == 0 && p->samples == 12 && p->n_complexes == 1,
         "a.preset reads back");
  skc_preset_free (p);
  p = NULL;
  g_free (path);

  /* refusals write nothing */
  CHECK (!editor_preset_write (user, "a", NULL, k, NULL, NULL, 1, FALSE, NULL, &error)
         && g_error_matches (error, EDITOR_ERROR, EDITOR_ERROR_EXISTS), "no overwrite");
  g_clear_error (&error);
  CHECK (!editor_preset_write (user, "Bad Name", NULL, k, NULL, NULL, 1, FALSE, NULL, &error)
         && g_error_matches (error, EDITOR_ERROR, EDITOR_ERROR_INPUT)
         && strstr (error->message, "not a valid preset name"), "bad name refused");
  g_clear_error (&error);
  {
    SkcKernel *empty = NULL;

    skc_kernel_new (9, 9, &empty);
    CHECK (!editor_preset_write (user, "e", NULL, empty, NULL, NULL, 1, FALSE, NULL, &error)
           && strstr (error->message, "empty"), "empty kernel refused");
    g_clear_error (&error);
    CHECK (!exists (user, "e.preset") && !exists (user, "e.png"), "nothing written for it");
    skc_kernel_free (empty);
  }

  /* overwrite with a shape and no fits: the old companions go */
  {
    SkcShapeParams sp;

    skc_shape_params_from_name ("star", &sp);
    CHECK (editor_preset_write (user, "a", "Star A", k, &sp, NULL, 1, TRUE, NULL, &error),
           "overwrite a (%s)", error ? error->message : "");
    g_clear_error (&error);
    CHECK (exists (user, "a.preset") && !exists (user, "a.png") && !exists (user, "a-12x4.skc"),
           "overwritten: the old kernel image and complex are gone");
  }
  editor_preset_write (user, "a", "Preset A", k, NULL, fits, 0, TRUE, NULL, NULL);

  /* rename: files follow, complexes name their new kernel */
  CHECK (!editor_preset_rename (builtin, user, "iris-6", "mine", NULL, NULL, &error)
         && strstr (error->message, "built-in"), "a built-in cannot be renamed");
  g_clear_error (&error);
  CHECK (!editor_preset_rename (builtin, user, "zz", "mine", NULL, NULL, &error)
         && strstr (error->message, "no user preset"), "a missing preset cannot be renamed");
  g_clear_error (&error);
  CHECK (editor_preset_rename (builtin, user, "a", "b", "Preset B", &path, &error),
         "rename a -> b (%s)", error ? error->message : "");
  g_clear_error (&error);
  CHECK (!exists (user, "a.preset") && !exists (user, "a.png") && !exists (user, "a-12x4.skc")
         && exists (user, "b.preset") && exists (user, "b.png") && exists (user, "b-12x4.skc"),
         "renamed files");
  if (path && skc_preset_load (path, &p, NULL) == SKC_OK)
    {
      CHECK (strcmp (p->name, "Preset B") == 0, "renamed display name");
      CHECK (p->n_complexes == 1
             && skc_complex_load (p->complexes[0], &c, NULL, 0) == SKC_OK
             && strcmp (c->kernel_name, "b") == 0, "the complex names its kernel 'b'");
      skc_complex_free (c);
      skc_preset_free (p);
      p = NULL;
    }
  g_free (path);
  path = NULL;
  CHECK (editor_preset_rename (builtin, user, "b", "b", "Still B", NULL, &error),
         "rename to the same id changes the display name");
  g_clear_error (&error);
  editor_preset_write (user, "c", NULL, k, NULL, NULL, 1, FALSE, NULL, NULL);
  CHECK (!editor_preset_rename (builtin, user, "b", "c", NULL, NULL, &error)
         && g_error_matches (error, EDITOR_ERROR, EDITOR_ERROR_EXISTS), "no rename onto c");
  g_clear_error (&error);

  /* delete: its own files only, never a file it merely references */
  foreign = g_build_filename (dir, "foreign.png", NULL);
  {
    SkcImage *img = NULL;

    skc_kernel_to_image (k, &img);
    skc_image_save (img, foreign);
    skc_image_free (img);
  }
  text = g_strdup_printf ("[Sparse Bokeh Preset]\nname=Foreign\nkernel-image=%s\n", foreign);
  {
    char *f = g_build_filename (user, "f.preset", NULL);

    g_file_set_contents (f, text, -1, NULL);
    g_free (f);
  }
  g_free (text);
  CHECK (editor_preset_delete (builtin, user, "f", &error), "delete f");
  g_clear_error (&error);
  CHECK (g_file_test (foreign, G_FILE_TEST_EXISTS), "f's foreign kernel image is kept");
  CHECK (!editor_preset_delete (builtin, user, "iris-6", &error)
         && strstr (error->message, "built-in"), "a built-in cannot be deleted");
  g_clear_error (&error);
  CHECK (editor_preset_delete (builtin, user, "b", &error)
         && !exists (user, "b.preset") && !exists (user, "b.png") && !exists (user, "b-12x4.skc"),
         "delete b and its files");
  g_clear_error (&error);
  CHECK (exists (user, "c.preset") && exists (user, "c.png"), "c untouched");
  {
    GDir       *d = g_dir_open (user, 0, NULL);
    const char *name;
    int         tmp = 0;

    while (d && (name = g_dir_read_name (d)))
      tmp += g_str_has_prefix (name, ".tmp-");
    if (d)
      g_dir_close (d);
    CHECK (tmp == 0, "no temporary files left (%d)", tmp);
  }
  /* clean up */
  editor_preset_delete (builtin, user, "c", NULL);
  g_unlink (foreign);
  {
    char *f = g_build_filename (builtin, "iris-6.preset", NULL);

    g_unlink (f);
    g_free (f);
  }
  g_rmdir (user);
  g_rmdir (builtin);
  g_rmdir (dir);
  g_free (foreign);
  g_free (builtin);
  g_free (user);
  g_free (dir);
}

int
main (void)
{
  SkcShapeParams sp;
  SkcKernel     *heart = NULL;
  EditorFit      fit;

  skc_shape_params_from_name ("heart", &sp);
  sp.side_px = 21;
  CHECK_OK (skc_shape_render (&sp, &heart));
  test_ids ();
  test_quantize (heart);
  test_fit (heart, &fit);
  if (fit.complex)
    test_presets (heart, &fit);
  editor_fit_clear (&fit);
  skc_kernel_free (heart);
  return test_finish ();
}
