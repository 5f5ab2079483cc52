/* Sparse Bokeh: lens blur with any kernel shape, for GIMP 3
 * (Filters > Blur > Sparse Bokeh...).
 *
 * The blur itself is the skc:bokeh GEGL operation (plug-ins/skc-bokeh-op.c)
 * running inside GIMP as a drawable filter; this plug-in is its front end:
 *
 *   run()   checks the image and the settings, shows the dialog
 *           (sb-dialog.c), turns the kernel source into the op's kernel
 *           name (sb-kernel.c), fits the kernel here with a progress bar
 *           (sb-fit.c: the fit lands in the disk cache the op reads), then
 *           applies the op, merged in one undo step or kept as an effect
 *           (sb-apply.c).
 *
 * The arguments are declared once (sb-params.c); scripts call
 *   (plug-in-sparse-bokeh #:image img #:drawables (vector layer)
 *                         #:kernel "heart" #:size 60)
 * and errors come back as a failed call carrying the message.
 */
#include <math.h>

#include <glib/gi18n-lib.h>

#include "skc-preset.h"

#include "sb-apply.h"
#include "sb-dialog.h"
#include "sb-fit.h"
#include "sb-kernel.h"
#include "sb-map.h"
#include "sb-params.h"

typedef struct
{
  GimpPlugIn parent_instance;
} SparseBokeh;

typedef struct
{
  GimpPlugInClass parent_class;
} SparseBokehClass;

#define SPARSE_BOKEH_TYPE (sparse_bokeh_get_type ())
GType sparse_bokeh_get_type (void) G_GNUC_CONST;

static GList          *sparse_bokeh_query  (GimpPlugIn           *plug_in);
static GimpProcedure  *sparse_bokeh_create (GimpPlugIn           *plug_in,
                                            const gchar          *name);
static gboolean        sparse_bokeh_i18n   (GimpPlugIn           *plug_in,
                                            const gchar          *name,
                                            gchar               **domain,
                                            gchar               **catalog);
static GimpValueArray *sparse_bokeh_run    (GimpProcedure        *procedure,
                                            GimpRunMode           run_mode,
                                            GimpImage            *image,
                                            GimpDrawable        **drawables,
                                            GimpProcedureConfig  *config,
                                            gpointer              run_data);

G_DEFINE_TYPE (SparseBokeh, sparse_bokeh, GIMP_TYPE_PLUG_IN)

GIMP_MAIN (SPARSE_BOKEH_TYPE)

static void
sparse_bokeh_class_init (SparseBokehClass *klass)
{
  GimpPlugInClass *plug_in_class = GIMP_PLUG_IN_CLASS (klass);

  plug_in_class->query_procedures = sparse_bokeh_query;
  plug_in_class->create_procedure = sparse_bokeh_create;
  plug_in_class->set_i18n = sparse_bokeh_i18n;
}

static void
sparse_bokeh_init (SparseBokeh *self)
{
}

static GList *
sparse_bokeh_query (GimpPlugIn *plug_in)
{
  return g_list_append (NULL, g_strdup (SB_PROC));
}

/* One gettext domain for the suite, catalogs in the plug-in's folder. */
static gboolean
sparse_bokeh_i18n (GimpPlugIn *plug_in, const gchar *name, gchar **domain,
                   gchar **catalog)
{
  gchar   *folder = g_path_get_dirname (gimp_get_progname ());
  gchar   *dir = g_build_filename (folder, "locale", NULL);
  gboolean have = g_file_test (dir, G_FILE_TEST_IS_DIR);

  g_free (folder);
  g_free (dir);
  if (!have)
    return FALSE;   /* no catalogs installed: no warning on every run */
  *domain = g_strdup (GETTEXT_PACKAGE);
  *catalog = g_strdup ("locale");
  return TRUE;
}

static GimpProcedure *
sparse_bokeh_create (GimpPlugIn *plug_in, const gchar *name)
{
  GimpProcedure *p;

  if (g_strcmp0 (name, SB_PROC) != 0)
    return NULL;

  /* the built-in presets are installed beside the plug-in */
  skc_preset_set_builtin_dir_beside (gimp_get_progname ());
  gegl_init (NULL, NULL);
  p = gimp_image_procedure_new (plug_in, name, GIMP_PDB_PROC_TYPE_PLUGIN,
                                sparse_bokeh_run, NULL, NULL);
  gimp_procedure_set_image_types (p, "RGB*, GRAY*");
  gimp_procedure_set_sensitivity_mask (p, GIMP_PROCEDURE_SENSITIVE_DRAWABLE);
  gimp_procedure_set_menu_label (p, _("Sparse _Bokeh..."));
  gimp_procedure_add_menu_path (p, "<Image>/Filters/Blur");
  gimp_procedure_set_documentation (p,
    _("Lens blur with any kernel shape"),
    _("Blurs the drawable with a bokeh kernel of any shape (a preset, a "
      "procedural iris, a brush, a kernel image or a shape drawn in the "
      "dialog), uniformly or varying over the image (a depth map or "
      "painted mask, tilt-shift, spin, zoom).  The kernel is fitted once "
      "into a few layers of sparse taps (the fit is cached), so the blur "
      "costs the same whatever its size.  Highlights can be boosted so "
      "that point lights bloom into the kernel's shape."),
    name);
  gimp_procedure_set_attribution (p, "Sparse Bokeh authors",
                                  "Sparse Bokeh authors, GPL-3.0-or-later",
                                  "2025");
  sb_params_add_arguments (p);
  return p;
}

static GimpValueArray *
fail (GimpProcedure *procedure, GimpPDBStatusType status, GError *error)
{
  return gimp_procedure_new_return_values (procedure, status, error);
}

static GimpValueArray *
error_literal (GimpProcedure *procedure, GimpPDBStatusType status,
               const gchar *message)
{
  return fail (procedure, status,
               g_error_new_literal (GIMP_PLUG_IN_ERROR, 0, message));
}

/* What the drawable and the run mode allow, before any settings. */
static GimpValueArray *
check_drawable (GimpProcedure *procedure, GimpDrawable **drawables,
                GimpDrawable **out)
{
  GimpDrawable *d;

  if (gimp_core_object_array_get_length ((GObject **) drawables) != 1)
    return fail (procedure, GIMP_PDB_CALLING_ERROR,
                 g_error_new (GIMP_PLUG_IN_ERROR, 0,
                              _("Procedure '%s' works with exactly one "
                                "drawable."), SB_PROC));
  d = drawables[0];
  if (gimp_drawable_is_indexed (d))
    return error_literal (procedure, GIMP_PDB_EXECUTION_ERROR,
                          _("Sparse Bokeh does not work on indexed images: "
                            "convert the image to RGB or grayscale first "
                            "(Image > Mode)."));
  *out = d;
  return NULL;
}

static GimpValueArray *
sparse_bokeh_run (GimpProcedure *procedure, GimpRunMode run_mode,
                  GimpImage *image, GimpDrawable **drawables,
                  GimpProcedureConfig *config, gpointer run_data)
{
  GimpDrawable   *drawable = NULL;
  GimpValueArray *ret;
  SbParams        params;
  SbQuiet         quiet;
  SkcBokehRequest req;
  SkcBokehFit    *fit;
  GeglBuffer     *map = NULL;
  GError         *error = NULL;
  gchar          *kernel = NULL;
  gboolean        fitted = FALSE, kept = FALSE, group_kept = FALSE;
  gboolean        text;
  gint            x, y, w, h;
  gint64          t0;

  gegl_init (NULL, NULL);
  if ((ret = check_drawable (procedure, drawables, &drawable)))
    return ret;

  /* a script's unknown word ("tiltshift"), before anything is touched */
  if (!sb_params_check_words (config, &error))
    return fail (procedure, GIMP_PDB_CALLING_ERROR, error);

  sb_quiet_init (&quiet, image);
  if (run_mode == GIMP_RUN_INTERACTIVE)
    {
      gboolean ok;

      if (!gtk_init_check (NULL, NULL))
        {
          sb_quiet_clear (&quiet);
          return error_literal (procedure, GIMP_PDB_EXECUTION_ERROR,
                                _("Cannot open the Sparse Bokeh dialog: "
                                  "there is no display.  In batch mode, "
                                  "call it with RUN-NONINTERACTIVE."));
        }
      ok = sb_dialog_run (procedure, config, image, drawable, &quiet);
      if (!ok)
        {
          sb_quiet_clear (&quiet);
          return gimp_procedure_new_return_values (procedure,
                                                   GIMP_PDB_CANCEL, NULL);
        }
    }

  sb_params_from_config (&params, config);
  if (!sb_params_check (&params, image, &error)
      || !(kernel = sb_kernel_resolve (&params, &error)))
    {
      ret = fail (procedure, GIMP_PDB_CALLING_ERROR, error);
      goto out;
    }
  /* The cat's eye refits the kernel clipped (skc-bokeh-cateye.c): it
   * needs the kernel itself, which a fitted complex does not carry. */
  if (params.variation == SB_VARY_UNIFORM && params.cateye > 0.0
      && sb_kernel_is_complex (kernel))
    {
      g_set_error_literal (&error, GIMP_PLUG_IN_ERROR, 0,
                           _("The cat's eye needs a shape, a preset or a "
                             "kernel image, not a fitted .skc file."));
      ret = fail (procedure, GIMP_PDB_CALLING_ERROR, error);
      goto out;
    }

  /* A group's pixels are its children's: the effect can only be kept on
   * it (GIMP 3 renders filters kept on groups). */
  if (gimp_item_is_group (GIMP_ITEM (drawable)) && !params.keep_filter)
    {
      params.keep_filter = TRUE;
      group_kept = TRUE;
    }

  /* Nothing of this drawable is selected: nothing to do. */
  if (!gimp_drawable_mask_intersect (drawable, &x, &y, &w, &h))
    {
      ret = gimp_procedure_new_return_values (procedure, GIMP_PDB_SUCCESS,
                                              NULL);
      goto out;
    }

  if (params.variation == SB_VARY_MAP
      && !(map = sb_map_buffer (&params, drawable, &error)))
    {
      ret = fail (procedure, GIMP_PDB_EXECUTION_ERROR, error);
      goto out;
    }

  /* Fit here, with progress, into the cache the op reads in GIMP. */
  sb_params_request (&params, kernel, &req);
  t0 = g_get_monotonic_time ();
  fit = sb_fit_run (&req, &fitted, &error);
  if (!fit)
    {
      ret = fail (procedure, GIMP_PDB_EXECUTION_ERROR, error);
      goto out;
    }
  /* The kernel as the user named it: the resolved one may be inline data */
  g_debug ("%s: %s at %d px, %d x %d, %s: %s in %.3f s", SB_PROC,
           params.source == SB_SOURCE_PRESET ? params.kernel
           : skc_inline_is_data (kernel) ? "stored kernel" : kernel,
           params.size, params.samples, params.layers,
           req.family ? "varying" : "uniform",
           fitted ? "fitted" : "from the cache",
           (g_get_monotonic_time () - t0) / 1e6);
  /* A script is told when the sparse kernel misses the fidelity target
   * and is kept (a varying mode, a lens effect, or exact-fallback off);
   * the dialog said so already.  The uniform mode with the fallback blurs
   * exactly: the op decides that itself, and nothing is measured here. */
  if (run_mode != GIMP_RUN_INTERACTIVE
      && (params.variation != SB_VARY_UNIFORM || !params.exact_fallback
          || params.cateye > 0.0 || params.chroma != 0.0))
    {
      gdouble psnr = INFINITY;
      gchar  *note = NULL;

      if (skc_bokeh_fit_fidelity (fit, (gfloat) (params.rotation * G_PI
                                                 / 180.0),
                                  NULL, NULL, &psnr) == SKC_OK)
        note = sb_exact_note (&params, psnr);
      if (note)
        g_message ("%s", note);
      g_free (note);
    }
  skc_bokeh_fit_unref (fit);

  /* (a merge makes a text layer a plain one: ask first) */
  text = gimp_item_is_text_layer (GIMP_ITEM (drawable));
  gimp_progress_init (_("Sparse Bokeh"));
  if (!sb_apply (&params, kernel, drawable, map, &kept, &error))
    {
      ret = fail (procedure, GIMP_PDB_EXECUTION_ERROR, error);
      goto out;
    }
  gimp_progress_end ();
  if (params.keep_filter && !kept)
    g_message (_("Sparse Bokeh was merged: GIMP keeps non-destructive "
                 "filters only on layers."));
  if (group_kept && kept)
    g_message (_("The pixels of a layer group cannot be changed: Sparse "
                 "Bokeh is kept on the group as a non-destructive filter "
                 "(edit or merge it in the Layers dialog)."));
  if (!kept && text)
    g_message (_("The blur was merged into the text layer '%s': it is now "
                 "a plain layer, its text no longer editable.  Keep the "
                 "effect as a non-destructive filter to keep the text."),
               gimp_item_get_name (GIMP_ITEM (drawable)));
  if (run_mode != GIMP_RUN_NONINTERACTIVE)
    gimp_displays_flush ();
  ret = gimp_procedure_new_return_values (procedure, GIMP_PDB_SUCCESS, NULL);

out:
  g_clear_object (&map);
  g_free (kernel);
  sb_params_clear (&params);
  sb_quiet_clear (&quiet);
  return ret;
}
