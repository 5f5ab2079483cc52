/* Sparse Bokeh Kernel Editor: a GIMP 3 plug-in to draw or load a bokeh
 * kernel, preview it on point lights, fit it at several quality levels and
 * keep it as a named preset.
 *
 * Interactive runs open the editor (editor-dialog.c).  Non-interactive
 * runs do one of three things, so presets can be scripted and tested:
 *
 *   create  a kernel from exactly one of kernel-file, shape or brush,
 *           fitted at fit-quality, written as user preset preset-name
 *   rename  user preset rename-preset becomes preset-name
 *   delete  user preset delete-preset is removed
 *
 * Every argument is checked before anything is written; a bad name, a
 * missing or empty kernel, an unknown shape or a built-in preset gives a
 * calling error with a message and leaves the presets folder untouched.
 *
 * Copyright 2026 the Sparse Bokeh authors.  GPL-3.0-or-later.
 */
#include <math.h>
#include <string.h>

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>

#include "skc.h"
#include "skc-cache.h"
#include "skc-preset.h"

#include "editor-dialog.h"
#include "editor-scene.h"
#include "editor-store.h"

typedef struct
{
  GimpPlugIn parent_instance;
} SparseBokehEditor;

typedef struct
{
  GimpPlugInClass parent_class;
} SparseBokehEditorClass;

#define EDITOR_TYPE (editor_get_type ())
GType editor_get_type (void) G_GNUC_CONST;

static GList          *editor_query_procedures (GimpPlugIn     *plug_in);
static GimpProcedure  *editor_create_procedure (GimpPlugIn     *plug_in,
                                                const gchar    *name);
static gboolean        editor_set_i18n         (GimpPlugIn     *plug_in,
                                                const gchar    *procedure_name,
                                                gchar         **gettext_domain,
                                                gchar         **catalog_dir);
static GimpValueArray *editor_run              (GimpProcedure       *procedure,
                                                GimpProcedureConfig *config,
                                                gpointer             run_data);

G_DEFINE_TYPE (SparseBokehEditor, editor, GIMP_TYPE_PLUG_IN)

GIMP_MAIN (EDITOR_TYPE)

/* The fit-quality words: "none", the levels of skc_quality_levels, "all". */
#define QUALITY_NONE (-1)
#define QUALITY_ALL  EDITOR_N_LEVELS
#define QUALITY_BAD  (-2)

/* The level of a fit-quality word: a level's nick or its older name
 * (skc-quality.h), "none", "all", or QUALITY_BAD. */
static int
quality_id (const gchar *word)
{
  if (g_strcmp0 (word, "none") == 0)
    return QUALITY_NONE;
  if (g_strcmp0 (word, "all") == 0)
    return QUALITY_ALL;
  for (int l = 0; word && l < EDITOR_N_LEVELS; l++)
    if (strcmp (word, skc_quality_levels[l].nick) == 0
        || g_strcmp0 (word, skc_quality_levels[l].alias) == 0)
      return l;
  return QUALITY_BAD;
}

/* "none", "fast", "normal" (or "balanced"), ..., "all"; g_free it. */
static gchar *
quality_words (void)
{
  GString *s = g_string_new ("\"none\"");

  for (int l = 0; l < EDITOR_N_LEVELS; l++)
    {
      g_string_append_printf (s, ", \"%s\"", skc_quality_levels[l].nick);
      if (skc_quality_levels[l].alias)
        g_string_append_printf (s, " (or \"%s\")",
                                skc_quality_levels[l].alias);
    }
  g_string_append (s, ", \"all\"");
  return g_string_free (s, FALSE);
}

static void
editor_class_init (SparseBokehEditorClass *klass)
{
  GimpPlugInClass *plug_in_class = GIMP_PLUG_IN_CLASS (klass);

  plug_in_class->query_procedures = editor_query_procedures;
  plug_in_class->create_procedure = editor_create_procedure;
  plug_in_class->set_i18n         = editor_set_i18n;
}

static void
editor_init (SparseBokehEditor *editor)
{
}

static GList *
editor_query_procedures (GimpPlugIn *plug_in)
{
  return g_list_append (NULL, g_strdup (PLUG_IN_PROC));
}

/* Translations, when they are installed next to the plug-in (locale/);
 * otherwise none, and no warning. */
static gboolean
editor_set_i18n (GimpPlugIn   *plug_in,
                 const gchar  *procedure_name,
                 gchar       **gettext_domain,
                 gchar       **catalog_dir)
{
  gchar   *dir = g_path_get_dirname (gimp_get_progname ());
  gchar   *locale = g_build_filename (dir, "locale", NULL);
  gboolean found = g_file_test (locale, G_FILE_TEST_IS_DIR);

  g_free (locale);
  g_free (dir);
  if (!found)
    return FALSE;
  *gettext_domain = g_strdup (GETTEXT_PACKAGE);
  *catalog_dir = g_strdup ("locale");
  return TRUE;
}

static GimpProcedure *
editor_create_procedure (GimpPlugIn  *plug_in,
                         const gchar *name)
{
  GimpProcedure *procedure;
  gchar         *words, *help;

  if (strcmp (name, PLUG_IN_PROC) != 0)
    return NULL;

  /* the built-in presets are installed beside the plug-in */
  skc_preset_set_builtin_dir_beside (gimp_get_progname ());
  procedure = gimp_procedure_new (plug_in, name, GIMP_PDB_PROC_TYPE_PLUGIN,
                                  editor_run, NULL, NULL);
  gimp_procedure_set_sensitivity_mask (procedure, GIMP_PROCEDURE_SENSITIVE_ALWAYS);
  gimp_procedure_set_menu_label (procedure, _("Sparse Bokeh _Kernel Editor..."));
  gimp_procedure_add_menu_path (procedure, "<Image>/Filters/Blur");
  gimp_procedure_set_documentation
    (procedure,
     _("Draw, fit and keep custom bokeh kernels"),
     _("Draw or load a bokeh kernel (by hand, from an image file, a "
       "procedural iris or a GIMP brush), preview its bokeh on point "
       "lights, fit it at several quality levels, and save it as a named "
       "preset for the Sparse Bokeh filter.  Run non-interactively, it "
       "creates a preset from kernel-file, shape or brush (exactly one), "
       "or renames (rename-preset) or deletes (delete-preset) a user "
       "preset.  User presets live in <profile>/sparse-bokeh/presets."),
     name);
  gimp_procedure_set_attribution (procedure, "Sparse Bokeh authors",
                                  "Sparse Bokeh authors", "2026");

  gimp_procedure_add_enum_argument (procedure, "run-mode", _("Run mode"),
                                    _("The run mode"), GIMP_TYPE_RUN_MODE,
                                    GIMP_RUN_NONINTERACTIVE, G_PARAM_READWRITE);
  gimp_procedure_add_image_argument (procedure, "image", _("Image"),
                                     _("Not used; may be none"),
                                     TRUE, G_PARAM_READWRITE);
  gimp_procedure_add_file_argument (procedure, "kernel-file", _("Kernel _file"),
                                    _("Kernel image: gray PNG (8 or 16 bit) "
                                      "or PFM; values are weights"),
                                    /* ANY, not OPEN: GIMP would refuse a
                                     * missing file itself, with a vaguer
                                     * message than ours (no procedure
                                     * dialog shows this argument) */
                                    GIMP_FILE_CHOOSER_ACTION_ANY, TRUE, NULL,
                                    G_PARAM_READWRITE);
  gimp_procedure_add_string_argument (procedure, "shape", _("S_hape"),
                                      _("Procedural shape: disk, polygon "
                                        "(triangle .. dodecagon), ring, star, "
                                        "heart, gaussian, coma, catseye"),
                                      "", G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "blades", _("_Blades"),
                                   _("Polygon blades or star points "
                                     "(0: the shape's default)"),
                                   0, 12, 0, G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "curvature", _("C_urvature"),
                                      _("Blade curvature, 0 straight .. 1 round"),
                                      0.0, 1.0, 0.0, G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "rotation", _("Rotati_on"),
                                      _("Degrees, counter-clockwise"),
                                      -360.0, 360.0, 0.0, G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "inner", _("_Inner"),
                                      _("Ring or star inner radius fraction "
                                        "(0: the shape's default)"),
                                      0.0, 1.0, 0.0, G_PARAM_READWRITE);
  gimp_procedure_add_brush_argument (procedure, "brush", _("Br_ush"),
                                     _("A GIMP brush whose mask is the kernel"),
                                     TRUE, NULL, FALSE, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "kernel-size", _("Kernel si_ze"),
                                   _("Kernel side in pixels for shapes and "
                                     "brushes (kernel files keep their own)"),
                                   EDITOR_MIN_KERNEL_SIZE, EDITOR_MAX_KERNEL_SIZE,
                                   49, G_PARAM_READWRITE);
  gimp_procedure_add_string_argument (procedure, "preset-name", _("Preset _name"),
                                      _("Id of the preset to write (or the new "
                                        "id when renaming): lowercase letters, "
                                        "digits and '-'"),
                                      "", G_PARAM_READWRITE);
  gimp_procedure_add_string_argument (procedure, "preset-label", _("Preset _label"),
                                      _("Display name (default: the id)"),
                                      "", G_PARAM_READWRITE);
  /* a string checked in batch_create, not a GimpChoice: Script-Fu in
   * GIMP 3.0.4 turns an unknown choice into the default (a CRITICAL in
   * its own process) and the call would report success */
  words = quality_words ();
  help = g_strdup_printf (_("Which quality levels to fit and save: %s "
                            "(none: save the kernel only, the filter fits "
                            "when used; all: every level)"), words);
  gimp_procedure_add_string_argument (procedure, "fit-quality", _("Fit _quality"),
                                      help,
                                      skc_quality_levels[EDITOR_DEFAULT_LEVEL].nick,
                                      G_PARAM_READWRITE);
  g_free (help);
  g_free (words);
  gimp_procedure_add_boolean_argument (procedure, "overwrite", _("O_verwrite"),
                                       _("Replace a user preset of the same name"),
                                       FALSE, G_PARAM_READWRITE);
  gimp_procedure_add_string_argument (procedure, "rename-preset", _("Rena_me preset"),
                                      _("Rename this user preset to preset-name"),
                                      "", G_PARAM_READWRITE);
  gimp_procedure_add_string_argument (procedure, "delete-preset", _("_Delete preset"),
                                      _("Delete this user preset"),
                                      "", G_PARAM_READWRITE);

  gimp_procedure_add_string_return_value (procedure, "preset-file",
                                          _("Preset file"),
                                          _("The preset written or renamed "
                                            "(empty after a delete)"),
                                          "", G_PARAM_READWRITE);
  gimp_procedure_add_double_return_value (procedure, "kernel-psnr",
                                          _("Kernel PSNR"),
                                          _("dB, the suggested level's impulse "
                                            "response against the kernel "
                                            "(0: nothing fitted)"),
                                          0.0, 1000.0, 0.0, G_PARAM_READWRITE);
  gimp_procedure_add_double_return_value (procedure, "image-psnr",
                                          _("Image PSNR"),
                                          _("dB, the suggested level against "
                                            "the exact kernel on the sample "
                                            "photo, linear light (0: nothing "
                                            "fitted or no photo)"),
                                          0.0, 1000.0, 0.0, G_PARAM_READWRITE);
  gimp_procedure_add_double_return_value (procedure, "scene-psnr",
                                          _("Scene PSNR"),
                                          _("dB, the same on the editor's "
                                            "point-light scene (0: nothing "
                                            "fitted)"),
                                          0.0, 1000.0, 0.0, G_PARAM_READWRITE);
  return procedure;
}

/* ---------------------------------------------------------------- helpers */

/* String arguments left out by the caller come back as NULL, not their
 * "" default, once GIMP has the procedure from its pluginrc cache. */
static gchar *
string_arg (GimpProcedureConfig *config,
            const gchar         *name)
{
  gchar *value = NULL;

  g_object_get (config, name, &value, NULL);
  return value ? value : g_strdup ("");
}

SkcKernel *
editor_brush_kernel (GimpBrush *brush,
                     int        size,
                     GError   **error)
{
  GeglBuffer *mask;
  SkcImage   *img = NULL;
  SkcKernel  *k = NULL;
  SkcStatus   s;
  int         w, h;

  mask = gimp_brush_get_mask (brush, size, size, babl_format ("Y' u8"));
  if (!mask)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("The brush '%s' has no mask."),
                   gimp_resource_get_name (GIMP_RESOURCE (brush)));
      return NULL;
    }
  w = gegl_buffer_get_width (mask);
  h = gegl_buffer_get_height (mask);
  s = skc_image_new (w, h, 1, &img);
  if (s == SKC_OK)
    {
      /* the mask's stored coverage as weights, as a kernel image's */
      gegl_buffer_get (mask, GEGL_RECTANGLE (gegl_buffer_get_x (mask),
                                             gegl_buffer_get_y (mask), w, h),
                       1.0, babl_format ("Y' float"), img->data,
                       GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      s = skc_kernel_from_image (img, &k);
    }
  skc_image_free (img);
  g_object_unref (mask);
  if (s == SKC_OK && (k->width > SKC_MAX_KERNEL_SIZE || k->height > SKC_MAX_KERNEL_SIZE))
    s = SKC_ERR_INVALID;
  if (s != SKC_OK)
    {
      skc_kernel_free (k);
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("The brush '%s' cannot be used as a kernel: %s"),
                   gimp_resource_get_name (GIMP_RESOURCE (brush)),
                   s == SKC_ERR_EMPTY ? _("its mask is empty")
                                      : skc_status_message (s));
      return NULL;
    }
  return k;
}

static GimpValueArray *
error_return (GimpProcedure *procedure,
              GError        *error)
{
  GimpPDBStatusType status = GIMP_PDB_CALLING_ERROR;

  if (error->domain == EDITOR_ERROR && error->code == EDITOR_ERROR_IO)
    status = GIMP_PDB_EXECUTION_ERROR;
  return gimp_procedure_new_return_values (procedure, status, error);
}

static GimpValueArray *
calling_error (GimpProcedure *procedure,
               const gchar   *format,
               ...) G_GNUC_PRINTF (2, 3);

static GimpValueArray *
calling_error (GimpProcedure *procedure,
               const gchar   *format,
               ...)
{
  GError *error;
  va_list ap;

  va_start (ap, format);
  error = g_error_new_valist (GIMP_PLUG_IN_ERROR, 0, format, ap);
  va_end (ap);
  return gimp_procedure_new_return_values (procedure, GIMP_PDB_CALLING_ERROR, error);
}

/* A PSNR as a return value: 0 for none, the range's top for an exact
 * fit (infinite PSNR). */
static gdouble
psnr_value (gdouble psnr)
{
  if (isnan (psnr))
    return 0.0;
  return isfinite (psnr) ? CLAMP (psnr, 0.0, 1000.0) : 1000.0;
}

static GimpValueArray *
success_return (GimpProcedure   *procedure,
                const gchar     *path,
                const EditorFit *fit)
{
  GimpValueArray *ret = gimp_procedure_new_return_values (procedure, GIMP_PDB_SUCCESS, NULL);
  gboolean        fitted = fit && fit->complex;

  GIMP_VALUES_SET_STRING (ret, 1, path ? path : "");
  GIMP_VALUES_SET_DOUBLE (ret, 2, fitted ? psnr_value (fit->kernel_psnr) : 0.0);
  GIMP_VALUES_SET_DOUBLE (ret, 3, fitted ? psnr_value (fit->photo_psnr) : 0.0);
  GIMP_VALUES_SET_DOUBLE (ret, 4, fitted ? psnr_value (fit->scene_psnr) : 0.0);
  return ret;
}

typedef struct
{
  double done;    /* levels finished          */
  double total;   /* levels to fit            */
  double shown;   /* last fraction reported   */
} BatchProgress;

static int
batch_progress (double fraction, double loss, void *data)
{
  BatchProgress *bp = data;
  double         f = (bp->done + fraction) / bp->total;

  if (f - bp->shown >= 0.02 || f >= 1.0)
    {
      gimp_progress_update (f);
      bp->shown = f;
    }
  return 0;
}

/* The kernel named by the create mode's arguments, or NULL and @error. */
static SkcKernel *
batch_kernel (GFile           *file,
              const gchar     *shape,
              GimpBrush       *brush,
              gint             blades,
              gdouble          curvature,
              gdouble          rotation,
              gdouble          inner,
              gint             size,
              SkcShapeParams  *shape_out,
              gboolean        *is_shape,
              GError         **error)
{
  SkcKernel *k = NULL;
  SkcStatus  s;

  *is_shape = FALSE;
  if (file)
    {
      gchar    *path = g_file_get_path (file);
      GError   *e = NULL;

      if (!path)
        {
          gchar *uri = g_file_get_uri (file);

          g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                       _("The kernel file '%s' is not a local file."), uri);
          g_free (uri);
          return NULL;
        }
      /* checked by the core: size from the header, finite values */
      k = skc_kernel_load_file (path, &e);
      s = k ? SKC_OK : e->code;
      if (s == SKC_ERR_TOO_LARGE || s == SKC_ERR_INVALID)
        g_set_error (error, GIMP_PLUG_IN_ERROR, 0, "%s", e->message);
      else if (s == SKC_ERR_IO || s == SKC_ERR_FORMAT || s == SKC_ERR_NOT_FILE)
        g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                     _("Cannot read the kernel image '%s': %s (a gray PNG or "
                       "a PFM is expected)."), path,
                     g_file_test (path, G_FILE_TEST_EXISTS)
                     ? skc_status_message (s) : _("no such file"));
      else if (s == SKC_ERR_EMPTY)
        g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                     _("The kernel image '%s' is empty: it has no positive "
                       "weight (all black)."), path);
      else if (s != SKC_OK)
        g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                     _("Cannot use the kernel image '%s': %s"), path,
                     skc_status_message (s));
      else if (k->width > EDITOR_MAX_FILE_KERNEL || k->height > EDITOR_MAX_FILE_KERNEL)
        {
          g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                       _("The kernel image '%s' is %d x %d pixels; kernels "
                         "up to %d pixels are supported: scale it down."),
                       path, k->width, k->height, EDITOR_MAX_FILE_KERNEL);
          skc_kernel_free (k);
          k = NULL;
        }
      g_clear_error (&e);
      g_free (path);
      return k;
    }
  if (shape && *shape)
    {
      SkcShapeParams sp;

      if (skc_shape_params_from_name (shape, &sp) != SKC_OK)
        {
          g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                       _("Unknown shape '%s': use disk, polygon, triangle .. "
                         "dodecagon, ring, star, heart, gaussian, coma or "
                         "catseye."), shape);
          return NULL;
        }
      if (blades > 0)
        {
          if (blades < 3)
            {
              g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                           _("A shape needs 3 to 12 blades, not %d."), blades);
              return NULL;
            }
          sp.blades = blades;
        }
      sp.curvature = (float) curvature;
      sp.rotation_deg = (float) rotation;
      if (inner > 0.0)
        sp.inner = (float) inner;
      sp.sigma = (float) (size / 7.0);
      sp.side_px = size;
      s = skc_shape_render (&sp, &k);
      if (s != SKC_OK)
        {
          g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                       _("Cannot render the shape '%s': %s"), shape,
                       skc_status_message (s));
          return NULL;
        }
      *shape_out = sp;
      *is_shape = TRUE;
      return k;
    }
  return editor_brush_kernel (brush, size, error);
}

static GimpValueArray *
batch_create (GimpProcedure       *procedure,
              GimpProcedureConfig *config,
              const gchar         *user_dir)
{
  GFile          *file = NULL;
  GimpBrush      *brush = NULL;
  gchar          *shape = NULL, *id = NULL, *label = NULL;
  gint            blades, size, quality, n_sources;
  gdouble         curvature, rotation, inner;
  gboolean        overwrite, is_shape = FALSE;
  SkcShapeParams  sp;
  SkcKernel      *kernel = NULL, *target = NULL;
  EditorFit       fits[EDITOR_N_LEVELS];
  gchar          *preset_path = NULL;
  GError         *error = NULL;
  GimpValueArray *ret = NULL;
  int             report;

  memset (fits, 0, sizeof fits);
  g_object_get (config,
                "kernel-file", &file, "brush", &brush,
                "blades", &blades, "curvature", &curvature,
                "rotation", &rotation, "inner", &inner,
                "kernel-size", &size, "overwrite", &overwrite, NULL);
  shape = string_arg (config, "shape");
  id = string_arg (config, "preset-name");
  label = string_arg (config, "preset-label");
  {
    gchar *word = NULL;

    g_object_get (config, "fit-quality", &word, NULL);
    /* left out: the default (see string_arg) */
    quality = word ? quality_id (word) : EDITOR_DEFAULT_LEVEL;
    if (quality == QUALITY_BAD)
      {
        gchar *words = quality_words ();

        ret = calling_error (procedure,
                             _("Argument '%s' cannot be \"%s\": it takes "
                               "one of %s."), "fit-quality", word, words);
        g_free (words);
        g_free (word);
        goto out;
      }
    g_free (word);
  }
  /* the level suggested in the preset and reported back */
  report = quality >= 0 && quality < EDITOR_N_LEVELS ? quality : EDITOR_DEFAULT_LEVEL;

  n_sources = (file != NULL) + (shape && *shape) + (brush != NULL);
  if (n_sources != 1)
    {
      ret = calling_error (procedure, n_sources
                           ? _("Give only one of kernel-file, shape and brush.")
                           : _("Give a kernel: kernel-file, shape or brush."));
      goto out;
    }
  if (!id || !*id)
    {
      ret = calling_error (procedure, _("Give the preset's name (preset-name)."));
      goto out;
    }
  if (!skc_preset_id_valid (id))
    {
      ret = calling_error (procedure,
                           _("'%s' is not a valid preset name: use lowercase "
                             "letters, digits and '-', at most %d characters."),
                           id, SKC_PRESET_ID_MAX - 1);
      goto out;
    }
  if (!overwrite)
    {
      gchar *base = g_strconcat (id, ".preset", NULL);
      gchar *path = g_build_filename (user_dir, base, NULL);
      gboolean exists = g_file_test (path, G_FILE_TEST_EXISTS);

      g_free (path);
      g_free (base);
      if (exists)
        {
          ret = calling_error (procedure,
                               _("A user preset '%s' exists already (set "
                                 "overwrite to replace it)."), id);
          goto out;
        }
    }

  kernel = batch_kernel (file, shape, brush, blades, curvature, rotation,
                         inner, size, &sp, &is_shape, &error);
  if (!kernel)
    {
      ret = gimp_procedure_new_return_values (procedure, GIMP_PDB_CALLING_ERROR, error);
      goto out;
    }
  /* what the preset will hold, exactly: fits must match it */
  target = is_shape ? kernel : editor_kernel_quantize (kernel);
  if (!target)
    {
      ret = calling_error (procedure, _("The kernel is empty: it has no positive weight."));
      goto out;
    }

  if (quality != QUALITY_NONE)
    {
      EditorScene  *scene = editor_scene_new (target);
      float        *lum = scene ? editor_scene_luminance (scene) : NULL;
      gchar        *dir = g_path_get_dirname (gimp_get_progname ());
      gchar        *photo_path = editor_sample_photo_find (dir);
      EditorPlanes  planes = { 0 };
      float        *photo;
      SkcCache     *cache = NULL;
      BatchProgress bp = { 0, quality == QUALITY_ALL ? EDITOR_N_LEVELS : 1, 0 };

      photo = editor_sample_photo_load (photo_path, &planes.photo_width,
                                        &planes.photo_height);
      planes.photo = photo;
      planes.scene = lum;
      planes.scene_width = scene ? scene->width : 0;
      planes.scene_height = scene ? scene->height : 0;

      if (skc_cache_open (NULL, 0, &cache) != SKC_OK)
        cache = NULL;   /* no cache folder: fit without */
      gimp_progress_init (_("Fitting the kernel"));
      for (int l = 0; l < EDITOR_N_LEVELS; l++)
        {
          SkcStatus s;

          if (quality != QUALITY_ALL && quality != l)
            continue;
          s = editor_fit_level (cache, target, l, &planes, batch_progress, &bp,
                                &fits[l]);
          if (s != SKC_OK)
            {
              ret = gimp_procedure_new_return_values
                      (procedure, GIMP_PDB_EXECUTION_ERROR,
                       g_error_new (GIMP_PLUG_IN_ERROR, 0,
                                    _("Fitting at quality '%s' failed: %s"),
                                    skc_quality_levels[l].nick, skc_status_message (s)));
              break;
            }
          bp.done += 1;
        }
      gimp_progress_end ();
      skc_cache_close (cache);
      g_free (photo);
      g_free (photo_path);
      g_free (dir);
      g_free (lum);
      editor_scene_free (scene);
      if (ret)
        goto out;
    }

  if (!editor_preset_write (user_dir, id, label, target, is_shape ? &sp : NULL,
                            fits, report, overwrite, &preset_path, &error))
    {
      ret = error_return (procedure, error);
      goto out;
    }
  ret = success_return (procedure, preset_path, &fits[report]);

out:
  for (int l = 0; l < EDITOR_N_LEVELS; l++)
    editor_fit_clear (&fits[l]);
  if (target != kernel)
    skc_kernel_free (target);
  skc_kernel_free (kernel);
  g_free (preset_path);
  g_clear_object (&file);
  g_clear_object (&brush);
  g_free (shape);
  g_free (id);
  g_free (label);
  return ret;
}

/* ---------------------------------------------------------------- run */

static GimpValueArray *
editor_run (GimpProcedure       *procedure,
            GimpProcedureConfig *config,
            gpointer             run_data)
{
  GimpRunMode     run_mode;
  gchar          *rename_from = NULL, *delete_id = NULL, *id = NULL, *label = NULL;
  gchar          *user_dir, *path = NULL;
  const gchar    *builtin_dir = skc_preset_builtin_dir ();
  GError         *error = NULL;
  GimpValueArray *ret;

  gegl_init (NULL, NULL);
  g_object_get (config, "run-mode", &run_mode, NULL);
  rename_from = string_arg (config, "rename-preset");
  delete_id = string_arg (config, "delete-preset");
  id = string_arg (config, "preset-name");
  label = string_arg (config, "preset-label");
  user_dir = g_build_filename (gimp_directory (), "sparse-bokeh", "presets", NULL);

  if (run_mode != GIMP_RUN_NONINTERACTIVE)
    {
      gimp_ui_init (PLUG_IN_BINARY);
      editor_dialog_run (user_dir, builtin_dir);
      ret = gimp_procedure_new_return_values (procedure, GIMP_PDB_SUCCESS, NULL);
    }
  else if (*delete_id && *rename_from)
    ret = calling_error (procedure, _("Give delete-preset or rename-preset, not both."));
  else if (*delete_id)
    ret = editor_preset_delete (builtin_dir, user_dir, delete_id, &error)
          ? success_return (procedure, "", NULL) : error_return (procedure, error);
  else if (*rename_from)
    {
      if (!*id)
        ret = calling_error (procedure, _("Give the new name (preset-name) "
                                          "for the renamed preset."));
      else if (editor_preset_rename (builtin_dir, user_dir, rename_from, id,
                                     label, &path, &error))
        ret = success_return (procedure, path, NULL);
      else
        ret = error_return (procedure, error);
    }
  else
    ret = batch_create (procedure, config, user_dir);

  g_free (path);
  g_free (user_dir);
  g_free (rename_from);
  g_free (delete_id);
  g_free (id);
  g_free (label);
  return ret;
}
