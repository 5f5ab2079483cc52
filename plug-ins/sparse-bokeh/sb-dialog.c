/* The Sparse Bokeh dialog (see sb-dialog.h).
 *
 * Layout: on the left the in-dialog preview (1:1, scrollable), the
 * on-canvas switch and the kernel view with the fit's progress and
 * status; on the right three pages: Kernel (source and its settings), Blur
 * (size, rotation, quality, highlights) and Variation (mode, map or mask
 * painter, centre picker and geometry).  Widgets that do not apply to the
 * current kernel source or variation are hidden.
 *
 * All state lives in one Dialog struct owned by sb_dialog_run; nothing is
 * global.
 */
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sb-canvas.h"
#include "sb-dialog-test.h"
#include "sb-dialog.h"
#include "sb-fit.h"
#include "sb-kernel.h"
#include "sb-map.h"
#include "sb-picker.h"
#include "sb-preview.h"
#include "skc-kernel-draw.h"
#include "skc-kernel-view.h"
#include "skc-mask-paint.h"
#include "skc-help.h"
#include "skc-preset.h"
#include "skc-quality.h"

#define SETTLE_MS     250   /* quiet time after a change before work     */
#define PROGRESS_MS   100
#define THUMB_SIZE    256   /* mask painter and picker thumbnails        */
#define DRAW_SIZE     65    /* kernel drawing canvas, pixels             */
#define CROP_SIZE     256   /* the image crop the fit error is taken on  */
#define SCALE_WIDTH   150   /* the slider of a scale entry, at least     */

typedef struct
{
  GimpProcedureConfig *config;
  GimpImage           *image;
  GimpDrawable        *drawable;
  SbQuiet             *quiet;

  GtkWidget           *dialog;
  GtkWidget           *preview;
  GtkWidget           *view;
  GtkWidget           *progress;
  GtkWidget           *stop;
  GtkWidget           *status;
  GtkWidget           *preset_combo;
  GtkWidget           *preset_box;
  GtkWidget           *draw_box;
  GtkWidget           *draw;
  GtkWidget           *paint_box;
  GtkWidget           *paint;
  GtkWidget           *picker;
  GtkWidget           *pages;        /* Kernel, Blur, Variation          */
  GtkWidget           *keep_note;    /* text layers and groups           */
  GtkWidget           *exact_note;   /* the fidelity check's verdict     */
  GHashTable          *own;          /* property -> widget made here     */

  SbParams             params;
  gchar               *kernel;       /* resolved; NULL: settings are bad */
  SbFitter            *fitter;
  SkcBokehFit         *fit;
  gchar               *cur_key;      /* the request the settings make    */
  gchar               *fit_key;      /* the request fit answers          */
  gchar               *want_key;     /* the request being fitted         */
  SbPreview           *render;
  SbCanvas            *canvas;
  GeglBuffer          *map;
  gchar               *map_key;
  gboolean             map_changed;

  guint                settle_id;
  guint                progress_id;
  guint                canvas_id;
  gboolean             drawn_dirty;
  gboolean             painted_dirty;
  gboolean             ready;        /* settled, fitted, previews drawn  */
  gint                 renders;      /* in-dialog preview renders so far */
  gdouble              press_x;      /* where a click on the preview began */
  gdouble              press_y;
  SbDialogTest        *test;
} Dialog;

static void settle_later (Dialog *d);

/* The variation's numbers (made in build): scale bounds and steps. */
typedef struct
{
  const gchar *property;
  gdouble      lower, upper, step;
  guint        digits;
} OwnScale;

static const OwnScale own_scales[] = {
  { "focus",      0.0,    1.0, 0.01, 3 },
  { "range",      0.0,    1.0, 0.01, 3 },
  { "center-x",   0.0,    1.0, 0.01, 3 },
  { "center-y",   0.0,    1.0, 0.01, 3 },
  { "angle",   -180.0,  180.0, 1.0,  1 },
  { "band-width", 0.0, 1000.0, 1.0,  1 },
  { "falloff",    1.0, 1000.0, 1.0,  1 },
  { "radius",     1.0, 2000.0, 1.0,  1 },
};

/* The lens's (issue 15), on the Blur page, made the same way. */
static const OwnScale lens_scales[] = {
  { "cateye",       0.0, 1.0, 0.01, 2 },
  { "cateye-start", 0.0, 1.0, 0.01, 2 },
  { "chroma",      -1.0, 1.0, 0.01, 2 },
};

/* ---------------------------------------------------------------- state */

static gchar *
request_key (const SkcBokehRequest *r)
{
  return g_strdup_printf ("%s|%d|%d|%d|%d", r->kernel, r->size, r->samples,
                          r->layers, r->family);
}

/* The fit for the current settings is at hand: the previews may render
 * (the op then reads it from the cache instead of fitting in the UI). */
static gboolean
fit_ready (Dialog *d)
{
  return d->kernel && d->fit && d->cur_key
         && g_strcmp0 (d->fit_key, d->cur_key) == 0;
}

static void
set_status (Dialog *d, const gchar *text)
{
  gtk_label_set_text (GTK_LABEL (d->status), text ? text : "");
}

/* ---------------------------------------------------------------- previews */

static gboolean
canvas_update (gpointer data)
{
  Dialog *d = data;
  GError *error = NULL;

  d->canvas_id = 0;
  if (!d->canvas)
    return G_SOURCE_REMOVE;
  if (!fit_ready (d) || !d->params.show_on_canvas)
    sb_canvas_hide (d->canvas);
  else if (!sb_canvas_show (d->canvas, &d->params, d->kernel,
                            d->params.variation == SB_VARY_MAP ? d->map : NULL,
                            d->map_changed, &error))
    {
      set_status (d, error->message);
      g_clear_error (&error);
    }
  d->map_changed = FALSE;
  d->ready = fit_ready (d);
  return G_SOURCE_REMOVE;
}

/* The exact fallback, said where the quality is chosen: the fidelity
 * check of the fit at the size and rotation (skc_bokeh_fit_fidelity, as
 * the op makes it; kept with the fit, so measured once per size and
 * angle) against the op's target. */
static void
exact_note_update (Dialog *d)
{
  gdouble psnr = INFINITY;
  gchar  *note = NULL;

  if (fit_ready (d)
      && skc_bokeh_fit_fidelity (d->fit, (gfloat) (d->params.rotation
                                                   * G_PI / 180.0),
                                 NULL, NULL, &psnr) == SKC_OK)
    note = sb_exact_note (&d->params, psnr);
  gtk_label_set_text (GTK_LABEL (d->exact_note), note ? note : "");
  gtk_widget_set_visible (d->exact_note, note != NULL);
  if (note)
    g_debug ("exact note: %s", note);
  g_free (note);
}

static void
previews_update (Dialog *d)
{
  exact_note_update (d);
  gimp_preview_invalidate (GIMP_PREVIEW (d->preview));
  if (!d->canvas_id)
    d->canvas_id = g_idle_add (canvas_update, d);
}

static void
preview_render (GimpPreview *preview, Dialog *d)
{
  gboolean on = fit_ready (d);

  sb_preview_render (d->render, preview, &d->params, on ? d->kernel : NULL,
                     on && d->params.variation == SB_VARY_MAP ? d->map
                                                              : NULL);
  d->renders++;
}

/* In the map variation a click (not a drag, which scrolls) on the preview
 * takes the map's value there as the focus value: what is clicked turns
 * sharp. */
static gboolean
preview_pressed (GtkWidget *area, GdkEventButton *event, Dialog *d)
{
  d->press_x = event->x;
  d->press_y = event->y;
  return FALSE;
}

static gboolean
preview_released (GtkWidget *area, GdkEventButton *event, Dialog *d)
{
  gint   x, y;
  gfloat value;
  gchar  text[G_ASCII_DTOSTR_BUF_SIZE];

  if (event->button != 1 || d->params.variation != SB_VARY_MAP || !d->map
      || fabs (event->x - d->press_x) > 3.0
      || fabs (event->y - d->press_y) > 3.0)
    return FALSE;
  gimp_preview_untransform (GIMP_PREVIEW (d->preview), (gint) event->x,
                            (gint) event->y, &x, &y);
  gegl_buffer_get (d->map, GEGL_RECTANGLE (x, y, 1, 1), 1.0,
                   babl_format ("Y' float"), &value, GEGL_AUTO_ROWSTRIDE,
                   GEGL_ABYSS_CLAMP);
  g_debug ("focus picked at %d,%d: %s", x, y,
           g_ascii_formatd (text, sizeof text, "%.4f", value));
  g_object_set (d->config, "focus", CLAMP ((gdouble) value, 0.0, 1.0), NULL);
  return FALSE;
}

/* ---------------------------------------------------------------- fitting */

static void
fit_done (SbFitter *fitter, const SbFitResult *r, gpointer data)
{
  Dialog *d = data;
  gchar  *caption, *status;

  g_clear_pointer (&d->fit, skc_bokeh_fit_unref);
  g_clear_pointer (&d->fit_key, g_free);
  d->fit_key = g_steal_pointer (&d->want_key);
  if (!r->fit)
    {
      skc_kernel_view_set_fitted (SKC_KERNEL_VIEW (d->view), NULL, NULL);
      skc_kernel_view_set_message (SKC_KERNEL_VIEW (d->view), _("No fit"));
      set_status (d, r->error ? r->error->message : _("The fit failed."));
      g_clear_pointer (&d->fit_key, g_free);
      previews_update (d);
      return;
    }
  d->fit = skc_bokeh_fit_ref (r->fit);
  if (isfinite (r->image_psnr))
    caption = g_strdup_printf (_("Fit error: PSNR %.1f dB on this image"),
                               r->image_psnr);
  else
    caption = g_strdup_printf (_("Fit error: kernel PSNR %.1f dB"),
                               r->fit->family->bases[r->fit->family->n_bases
                                                     - 1]->kernel_psnr);
  skc_kernel_view_set_target (SKC_KERNEL_VIEW (d->view), r->target);
  skc_kernel_view_set_fitted (SKC_KERNEL_VIEW (d->view), r->fitted_kernel,
                              caption);
  status = r->fitted
           ? g_strdup_printf (_("Fitted in %.1f s (%d x %d taps)."),
                              r->seconds, d->params.samples, d->params.layers)
           : g_strdup_printf (_("Fit found in the cache (%d x %d taps)."),
                              d->params.samples, d->params.layers);
  set_status (d, status);
  g_free (status);
  g_free (caption);
  previews_update (d);
}

static gboolean
progress_tick (gpointer data)
{
  Dialog *d = data;
  gchar  *text;

  if (!sb_fitter_busy (d->fitter))
    {
      gtk_widget_hide (d->progress);
      gtk_widget_set_sensitive (d->stop, FALSE);
      d->progress_id = 0;
      return G_SOURCE_REMOVE;
    }
  gtk_widget_show (d->progress);
  gtk_widget_set_sensitive (d->stop, TRUE);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (d->progress),
                                 sb_fitter_progress (d->fitter));
  text = g_strdup_printf (_("Fitting... %.0f %%"),
                          100.0 * sb_fitter_progress (d->fitter));
  skc_kernel_view_set_message (SKC_KERNEL_VIEW (d->view), text);
  g_free (text);
  return G_SOURCE_CONTINUE;
}

static void
fit_start (Dialog *d, const SkcBokehRequest *req, gchar *key)
{
  g_free (d->want_key);
  d->want_key = key;
  skc_kernel_view_set_fitted (SKC_KERNEL_VIEW (d->view), NULL, NULL);
  skc_kernel_view_set_message (SKC_KERNEL_VIEW (d->view), _("Fitting..."));
  set_status (d, "");
  sb_fitter_start (d->fitter, req);
  if (!d->progress_id)
    d->progress_id = g_timeout_add (PROGRESS_MS, progress_tick, d);
}

static void
stop_clicked (GtkButton *button, Dialog *d)
{
  sb_fitter_cancel (d->fitter);
  g_clear_pointer (&d->want_key, g_free);
  skc_kernel_view_set_message (SKC_KERNEL_VIEW (d->view), _("Fit stopped"));
  set_status (d, _("Fitting stopped: change a setting to fit again."));
  previews_update (d);
}

/* ---------------------------------------------------------------- files */

/* The drawing and the painted mask become files (their paths go into the
 * config) when they change, so OK, saved settings and Repeat see them. */
static void
store_drawn (Dialog *d)
{
  SkcKernel *k;
  gchar     *path;
  GError    *error = NULL;

  d->drawn_dirty = FALSE;
  k = skc_kernel_draw_get_kernel (SKC_KERNEL_DRAW (d->draw), 0);
  path = k ? sb_kernel_store (k, "drawn", &error) : g_strdup ("");
  skc_kernel_free (k);
  if (!path)
    {
      set_status (d, error->message);
      g_clear_error (&error);
      return;
    }
  if (g_strcmp0 (path, d->params.drawn_kernel) != 0)
    g_object_set (d->config, "drawn-kernel", path, NULL);
  g_free (path);
}

static void
store_painted (Dialog *d)
{
  SkcMaskPaint *paint = SKC_MASK_PAINT (d->paint);
  GError       *error = NULL;
  gchar        *path;

  d->painted_dirty = FALSE;
  path = sb_map_save_painted (skc_mask_paint_peek (paint),
                              skc_mask_paint_get_width (paint),
                              skc_mask_paint_get_height (paint), &error);
  if (!path)
    {
      set_status (d, error->message);
      g_clear_error (&error);
      return;
    }
  if (g_strcmp0 (path, d->params.painted_mask) != 0)
    g_object_set (d->config, "painted-mask", path, NULL);
  g_free (path);
}

/* ---------------------------------------------------------------- settle */

static void
show_if (GtkWidget *w, gboolean visible)
{
  if (w)
    gtk_widget_set_visible (w, visible);
}

/* The widget of @property: one the plug-in made (see build), or the
 * procedure dialog's. */
static GtkWidget *
prop_widget (Dialog *d, const gchar *property)
{
  GtkWidget *w = g_hash_table_lookup (d->own, property);

  return w ? w : gimp_procedure_dialog_get_widget (GIMP_PROCEDURE_DIALOG
                                                   (d->dialog),
                                                   property, G_TYPE_NONE);
}

static void
update_visibility (Dialog *d)
{
  const SbParams *p = &d->params;
  gboolean        map = p->variation == SB_VARY_MAP;
  gboolean        geo = p->variation == SB_VARY_TILT_SHIFT
                        || p->variation == SB_VARY_SPIN
                        || p->variation == SB_VARY_ZOOM;

  show_if (d->preset_box, p->source == SB_SOURCE_PRESET);
  show_if (prop_widget (d, "iris-blades"), p->source == SB_SOURCE_IRIS);
  show_if (prop_widget (d, "iris-curvature"), p->source == SB_SOURCE_IRIS);
  show_if (prop_widget (d, "brush"), p->source == SB_SOURCE_BRUSH);
  show_if (prop_widget (d, "kernel-file"), p->source == SB_SOURCE_FILE);
  show_if (d->draw_box, p->source == SB_SOURCE_DRAWN);

  gtk_widget_set_sensitive (prop_widget (d, "samples"),
                            p->quality == SB_QUALITY_CUSTOM);
  gtk_widget_set_sensitive (prop_widget (d, "layers"),
                            p->quality == SB_QUALITY_CUSTOM);
  if (p->quality != SB_QUALITY_CUSTOM)
    {
      gchar *help = skc_quality_help (p->quality);

      gimp_help_set_help_data (prop_widget (d, "quality"), help, NULL);
      g_free (help);
    }

  /* the lens's effects are the uniform variation's */
  gtk_widget_set_sensitive (prop_widget (d, "cateye"),
                            p->variation == SB_VARY_UNIFORM);
  gtk_widget_set_sensitive (prop_widget (d, "cateye-start"),
                            p->variation == SB_VARY_UNIFORM
                            && p->cateye > 0.0);
  gtk_widget_set_sensitive (prop_widget (d, "chroma"),
                            p->variation == SB_VARY_UNIFORM);

  show_if (prop_widget (d, "map-source"), map);
  show_if (prop_widget (d, "map"), map && p->map_source == SB_MAP_DRAWABLE);
  show_if (d->paint_box, map && p->map_source == SB_MAP_PAINTED);
  show_if (d->exact_note,
           *gtk_label_get_text (GTK_LABEL (d->exact_note)) != '\0');
  show_if (d->keep_note, !p->keep_filter
                        || gimp_item_is_group (GIMP_ITEM (d->drawable)));
  show_if (prop_widget (d, "focus"), map);
  gtk_widget_set_tooltip_text (gimp_preview_get_area (GIMP_PREVIEW
                                                      (d->preview)),
                               map ? _("Click to make this point sharp: its "
                                       "map value becomes the focus value")
                                   : NULL);
  show_if (prop_widget (d, "range"), map);
  show_if (prop_widget (d, "occlusion"), map);
  show_if (prop_widget (d, "black-near"), map && p->occlusion);
  show_if (prop_widget (d, "map-holes"), map && p->occlusion);
  show_if (d->picker, geo);
  show_if (prop_widget (d, "center-x"), geo);
  show_if (prop_widget (d, "center-y"), geo);
  show_if (prop_widget (d, "angle"), p->variation == SB_VARY_TILT_SHIFT);
  show_if (prop_widget (d, "band-width"), p->variation == SB_VARY_TILT_SHIFT);
  show_if (prop_widget (d, "falloff"), p->variation == SB_VARY_TILT_SHIFT);
  show_if (prop_widget (d, "radius"),
           p->variation == SB_VARY_SPIN || p->variation == SB_VARY_ZOOM);
}

/* Samples and layers show what a quality level uses (and Custom starts
 * from the level chosen before). */
static void
show_quality_taps (Dialog *d)
{
  gint samples, layers;

  if (d->params.quality == SB_QUALITY_CUSTOM)
    return;
  g_object_get (d->config, "samples", &samples, "layers", &layers, NULL);
  if (samples != d->params.samples || layers != d->params.layers)
    g_object_set (d->config, "samples", d->params.samples,
                  "layers", d->params.layers, NULL);
}

/* The map for the map variation, read again when its source changed;
 * FALSE with @error when it cannot be read. */
static gboolean
update_map (Dialog *d, GError **error)
{
  gchar *key;

  if (d->params.variation != SB_VARY_MAP)
    return TRUE;
  key = d->params.map_source == SB_MAP_PAINTED
        ? g_strdup_printf ("painted:%s", d->params.painted_mask)
        : g_strdup_printf ("drawable:%d",
                           d->params.map
                           ? gimp_item_get_id (GIMP_ITEM (d->params.map))
                           : -1);
  if (g_strcmp0 (key, d->map_key) == 0 && d->map)
    {
      g_free (key);
      return TRUE;
    }
  g_free (d->map_key);
  d->map_key = key;
  g_clear_object (&d->map);
  d->map = sb_map_buffer (&d->params, d->drawable, error);
  d->map_changed = TRUE;
  if (!d->map)
    g_clear_pointer (&d->map_key, g_free);
  return d->map != NULL;
}

static gboolean
settle (gpointer data)
{
  Dialog         *d = data;
  GError         *error = NULL;
  SkcBokehRequest req;
  gchar          *key;

  d->settle_id = 0;
  d->ready = FALSE;
  sb_params_clear (&d->params);
  sb_params_from_config (&d->params, d->config);
  show_quality_taps (d);
  update_visibility (d);

  if (d->drawn_dirty && d->params.source == SB_SOURCE_DRAWN)
    store_drawn (d);
  if (d->painted_dirty && d->params.variation == SB_VARY_MAP
      && d->params.map_source == SB_MAP_PAINTED)
    store_painted (d);
  if (d->settle_id)   /* a path changed in the config: settle once more */
    return G_SOURCE_REMOVE;

  g_clear_pointer (&d->kernel, g_free);
  g_clear_pointer (&d->cur_key, g_free);
  if (sb_params_check (&d->params, d->image, &error)
      && update_map (d, &error))
    d->kernel = sb_kernel_resolve (&d->params, &error);
  if (!d->kernel)
    {
      sb_fitter_cancel (d->fitter);
      g_clear_pointer (&d->want_key, g_free);
      skc_kernel_view_set_target (SKC_KERNEL_VIEW (d->view), NULL);
      skc_kernel_view_set_fitted (SKC_KERNEL_VIEW (d->view), NULL, NULL);
      skc_kernel_view_set_message (SKC_KERNEL_VIEW (d->view), _("No kernel"));
      set_status (d, error ? error->message : "");
      g_clear_error (&error);
      previews_update (d);
      return G_SOURCE_REMOVE;
    }

  sb_params_request (&d->params, d->kernel, &req);
  key = request_key (&req);
  d->cur_key = g_strdup (key);
  if (g_strcmp0 (key, d->fit_key) == 0)
    {
      /* fitted already: drop a fit for other settings still under way */
      sb_fitter_cancel (d->fitter);
      g_clear_pointer (&d->want_key, g_free);
      g_free (key);
      previews_update (d);
    }
  else if (g_strcmp0 (key, d->want_key) != 0)
    fit_start (d, &req, key);
  else
    g_free (key);
  return G_SOURCE_REMOVE;
}

static void
settle_later (Dialog *d)
{
  d->ready = FALSE;
  if (d->settle_id)
    g_source_remove (d->settle_id);
  d->settle_id = g_timeout_add (SETTLE_MS, settle, d);
}

/* ---------------------------------------------------------------- widgets */

static void
preset_changed (GtkComboBox *combo, Dialog *d)
{
  const gchar *id = gtk_combo_box_get_active_id (combo);

  if (id && g_strcmp0 (id, d->params.kernel) != 0)
    g_object_set (d->config, "kernel", id, NULL);
}

/* The combo shows the config's kernel, added as an entry of its own when
 * it is not a preset (a shape name or a file from a script). */
static void
preset_sync (Dialog *d)
{
  GtkComboBox *combo = GTK_COMBO_BOX (d->preset_combo);
  gchar       *kernel = NULL;

  g_object_get (d->config, "kernel", &kernel, NULL);
  if (kernel && !gtk_combo_box_set_active_id (combo, kernel))
    {
      gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (combo), kernel, kernel);
      gtk_combo_box_set_active_id (combo, kernel);
    }
  g_free (kernel);
}

static GtkWidget *
preset_box_new (Dialog *d)
{
  GtkWidget  *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget  *label = gtk_label_new_with_mnemonic (_("_Preset"));
  gchar      *user = skc_bokeh_user_preset_dir ();
  SkcPreset **list = NULL;
  gint        n = skc_preset_list (skc_preset_builtin_dir (), user, &list);

  d->preset_combo = gtk_combo_box_text_new ();
  for (gint i = 0; i < n; i++)
    {
      gchar *text = g_strdup_printf ("%s%s", list[i]->name,
                                     list[i]->builtin ? "" : _(" (yours)"));

      gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (d->preset_combo),
                                 list[i]->id, text);
      g_free (text);
    }
  skc_preset_list_free (list, n);
  g_free (user);
  preset_sync (d);
  gtk_widget_set_tooltip_text (d->preset_combo,
                               _("A kernel preset: built in, or yours from "
                                 "the Kernel Editor"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), d->preset_combo);
  gtk_box_pack_start (GTK_BOX (box), label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), d->preset_combo, TRUE, TRUE, 0);
  g_signal_connect (d->preset_combo, "changed", G_CALLBACK (preset_changed),
                    d);
  gtk_widget_show_all (box);
  return box;
}

static void
drawn_changed (SkcKernelDraw *draw, Dialog *d)
{
  d->drawn_dirty = TRUE;
  settle_later (d);
}

static void
draw_clear (GtkButton *b, Dialog *d)
{
  skc_kernel_draw_clear (SKC_KERNEL_DRAW (d->draw));
}

static void
draw_undo (GtkButton *b, Dialog *d)
{
  skc_kernel_draw_undo (SKC_KERNEL_DRAW (d->draw));
}

/* Start the drawing from the kernel shown as the target. */
static void
draw_from_target (GtkButton *b, Dialog *d)
{
  gchar     *kernel = NULL;
  SkcKernel *k;

  g_object_get (d->config, "kernel", &kernel, NULL);
  k = sb_kernel_target (kernel ? kernel : "", DRAW_SIZE - 2, NULL);
  if (k)
    skc_kernel_draw_set_kernel (SKC_KERNEL_DRAW (d->draw), k);
  skc_kernel_free (k);
  g_free (kernel);
}

static GtkWidget *
button (const gchar *label, const gchar *tooltip, GCallback cb, Dialog *d)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_tooltip_text (b, tooltip);
  g_signal_connect (b, "clicked", cb, d);
  return b;
}

static GtkWidget *
draw_box_new (Dialog *d)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  SkcImage  *img = NULL;
  SkcKernel *k = NULL;

  d->draw = skc_kernel_draw_new (DRAW_SIZE);
  gtk_widget_set_size_request (d->draw, 3 * DRAW_SIZE, 3 * DRAW_SIZE);
  gtk_widget_set_tooltip_text (d->draw,
                               _("Draw the kernel: left button paints, "
                                 "right button erases, Ctrl+Z undoes"));
  g_object_set (d->draw, "brush-radius", 4.0, "mirror",
                SKC_MIRROR_HORIZONTAL, NULL);
  /* The drawing kept from last time, if any. */
  if (*d->params.drawn_kernel
      && skc_image_load_max (d->params.drawn_kernel, SKC_MAX_KERNEL_SIZE,
                             &img) == SKC_OK
      && skc_kernel_from_image (img, &k) == SKC_OK)
    skc_kernel_draw_set_kernel (SKC_KERNEL_DRAW (d->draw), k);
  skc_image_free (img);
  skc_kernel_free (k);
  g_signal_connect (d->draw, "changed", G_CALLBACK (drawn_changed), d);

  gtk_box_pack_start (GTK_BOX (row),
                      button (_("Clea_r drawing"), _("Erase the drawing"),
                              G_CALLBACK (draw_clear), d), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row),
                      button (_("_Undo"), _("Undo the last stroke"),
                              G_CALLBACK (draw_undo), d), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row),
                      button (_("From pr_eset"),
                              _("Start from the preset's kernel"),
                              G_CALLBACK (draw_from_target), d),
                      FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), d->draw, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), row, FALSE, FALSE, 0);
  gtk_widget_show_all (box);
  return box;
}

static void
painted_changed (SkcMaskPaint *paint, Dialog *d)
{
  d->painted_dirty = TRUE;
  settle_later (d);
}

static void
paint_fill (GtkButton *b, Dialog *d)
{
  skc_mask_paint_fill (SKC_MASK_PAINT (d->paint),
                       GPOINTER_TO_INT (g_object_get_data (G_OBJECT (b),
                                                           "value")) / 100.0f);
}

static void
paint_undo (GtkButton *b, Dialog *d)
{
  skc_mask_paint_undo (SKC_MASK_PAINT (d->paint));
}

/* Start the mask from the map drawable chosen before. */
static void
paint_from_map (GtkButton *b, Dialog *d)
{
  SbParams    p = d->params;
  GeglBuffer *buf;
  gint        w = gimp_drawable_get_width (d->drawable);
  gint        h = gimp_drawable_get_height (d->drawable);
  float      *v;

  if (!p.map)
    {
      set_status (d, _("Choose a map drawable first (Map from: Drawable)."));
      return;
    }
  p.map_source = SB_MAP_DRAWABLE;
  buf = sb_map_buffer (&p, d->drawable, NULL);
  if (!buf)
    return;
  v = g_new (float, (gsize) w * h);
  gegl_buffer_get (buf, GEGL_RECTANGLE (0, 0, w, h), 1.0,
                   babl_format ("Y' float"), v, GEGL_AUTO_ROWSTRIDE,
                   GEGL_ABYSS_NONE);
  skc_mask_paint_set_mask (SKC_MASK_PAINT (d->paint), v, w, h);
  g_free (v);
  g_object_unref (buf);
}

static GtkWidget *
paint_box_new (Dialog *d, GdkPixbuf *thumb)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *value, *radius, *b;
  gint       w = thumb ? gdk_pixbuf_get_width (thumb) : THUMB_SIZE;
  gint       h = thumb ? gdk_pixbuf_get_height (thumb) : THUMB_SIZE;
  float     *mask;
  gint       mw, mh;

  d->paint = skc_mask_paint_new (w, h);
  skc_mask_paint_set_background (SKC_MASK_PAINT (d->paint), thumb);
  gtk_widget_set_tooltip_text (d->paint,
                               _("Paint where the image blurs: red is the "
                                 "painted value (white in a map), left "
                                 "button paints, right button clears, "
                                 "Ctrl+Z undoes"));
  mask = sb_map_load_painted (d->params.painted_mask, &mw, &mh);
  if (mask)
    skc_mask_paint_set_mask (SKC_MASK_PAINT (d->paint), mask, mw, mh);
  g_free (mask);
  g_signal_connect (d->paint, "changed", G_CALLBACK (painted_changed), d);

  /* the painter holds the brush: it is the binding's source */
  g_object_set (d->paint, "brush-radius", MAX (4.0, w / 16.0), NULL);
  value = gimp_scale_entry_new (_("Paint val_ue"), 1.0, 0.0, 1.0, 2);
  g_object_bind_property (d->paint, "brush-value", value, "value",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  radius = gimp_scale_entry_new (_("Brush radi_us"), 12.0, 1.0, 128.0, 1);
  g_object_bind_property (d->paint, "brush-radius", radius, "value",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);

  b = button (_("_Black"), _("Fill the mask with 0"),
              G_CALLBACK (paint_fill), d);
  g_object_set_data (G_OBJECT (b), "value", GINT_TO_POINTER (0));
  gtk_box_pack_start (GTK_BOX (row), b, FALSE, FALSE, 0);
  b = button (_("_White"), _("Fill the mask with 1"),
              G_CALLBACK (paint_fill), d);
  g_object_set_data (G_OBJECT (b), "value", GINT_TO_POINTER (100));
  gtk_box_pack_start (GTK_BOX (row), b, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row),
                      button (_("From _map"),
                              _("Start from the map drawable's values"),
                              G_CALLBACK (paint_from_map), d),
                      FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row),
                      button (_("U_ndo"), _("Undo the last stroke"),
                              G_CALLBACK (paint_undo), d), FALSE, FALSE, 0);

  gtk_box_pack_start (GTK_BOX (box), d->paint, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), value, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), radius, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), row, FALSE, FALSE, 0);
  gtk_widget_show_all (box);
  return box;
}

static GtkWidget *
fit_box_new (Dialog *d)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

  d->view = skc_kernel_view_new (112);
  gtk_widget_set_tooltip_text (d->view,
                               _("The kernel asked for and the sparse "
                                 "kernel fitted to it, with the error of "
                                 "the fit measured on a crop of this "
                                 "image in linear light"));
  d->progress = gtk_progress_bar_new ();
  d->stop = button (_("S_top"), _("Stop the fit under way"),
                    G_CALLBACK (stop_clicked), d);
  gtk_widget_set_sensitive (d->stop, FALSE);
  d->status = gtk_label_new ("");
  gtk_label_set_line_wrap (GTK_LABEL (d->status), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (d->status), 44);
  gtk_label_set_xalign (GTK_LABEL (d->status), 0.0);

  gtk_box_pack_start (GTK_BOX (row), d->progress, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (row), d->stop, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), d->view, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), row, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), d->status, FALSE, FALSE, 0);
  gtk_widget_show_all (box);
  gtk_widget_hide (d->progress);
  gtk_widget_set_valign (d->progress, GTK_ALIGN_CENTER);
  return box;
}

/* Values typed into an own scale are held to the argument's range. */
static gboolean
clamp_to_pspec (GBinding *binding, const GValue *from, GValue *to,
                gpointer data)
{
  GParamSpecDouble *pd = data;

  g_value_set_double (to, CLAMP (g_value_get_double (from), pd->minimum,
                                 pd->maximum));
  return TRUE;
}

/* A scale entry for a double argument, bound to the config: label and
 * tooltip from the argument, the spin over the argument's range (from 0
 * for a tiny lower bound such as range's 0.001, which GimpLabelSpin 3.0.4
 * cannot take: its increments assertion fails), the scale over the useful
 * part of it. */
static GtkWidget *
own_scale_new (GimpProcedureConfig *config, const OwnScale *o)
{
  GParamSpec       *ps = g_object_class_find_property (G_OBJECT_GET_CLASS
                                                       (config), o->property);
  GParamSpecDouble *pd = G_PARAM_SPEC_DOUBLE (ps);
  gdouble           lower = pd->minimum > 0.0 && pd->minimum < 0.01
                            ? 0.0 : pd->minimum;
  GtkWidget        *w;
  gdouble           value;

  g_object_get (config, o->property, &value, NULL);
  w = gimp_scale_entry_new (g_param_spec_get_nick (ps), value, lower,
                            pd->maximum, o->digits);
  gimp_scale_entry_set_bounds (GIMP_SCALE_ENTRY (w), o->lower, o->upper,
                               TRUE);
  gimp_label_spin_set_increments (GIMP_LABEL_SPIN (w), o->step,
                                  10.0 * o->step);
  gimp_help_set_help_data (w, g_param_spec_get_blurb (ps), NULL);
  g_object_bind_property_full (config, o->property, w, "value",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               NULL, clamp_to_pspec, pd, NULL);
  return w;
}

/* The linear luminance of a crop in the middle of the drawable: where the
 * fit's error is measured. */
static float *
error_crop (GimpDrawable *drawable, gint *w, gint *h)
{
  gint        dw = gimp_drawable_get_width (drawable);
  gint        dh = gimp_drawable_get_height (drawable);
  GeglBuffer *buf = gimp_drawable_get_buffer (drawable);
  float      *plane;

  *w = MIN (dw, CROP_SIZE);
  *h = MIN (dh, CROP_SIZE);
  plane = g_new (float, (gsize) *w * *h);
  gegl_buffer_get (buf, GEGL_RECTANGLE ((dw - *w) / 2, (dh - *h) / 2, *w, *h),
                   1.0, babl_format ("Y float"), plane, GEGL_AUTO_ROWSTRIDE,
                   GEGL_ABYSS_CLAMP);
  g_object_unref (buf);
  return plane;
}

/* Sliders of the pages' scale entries at a usable width: in a narrow
 * column GTK gives the label and the spin button their room first and
 * leaves the slider a bare knob. */
static void
widen_scales (GtkWidget *w, gpointer data)
{
  if (GIMP_IS_SCALE_ENTRY (w))
    gtk_widget_set_size_request (gimp_scale_entry_get_range
                                 (GIMP_SCALE_ENTRY (w)), SCALE_WIDTH, -1);
  else if (GTK_IS_CONTAINER (w))
    gtk_container_foreach (GTK_CONTAINER (w), widen_scales, data);
}

/* The three pages, switched by buttons above them.  Not a GtkNotebook: a
 * notebook is as tall as its tallest page, so the short Kernel and
 * Variation pages showed big empty frames; the stack is as tall as the
 * page shown. */
static GtkWidget *
pages_new (Dialog *d, GtkWidget *const page[3])
{
  const gchar *names[3] = { "kernel", "blur", "variation" };
  const gchar *titles[3] = { _("Kernel"), _("Blur"), _("Variation") };
  GtkWidget   *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget   *switcher = gtk_stack_switcher_new ();

  d->pages = gtk_stack_new ();
  gtk_stack_set_vhomogeneous (GTK_STACK (d->pages), FALSE);
  for (gint i = 0; i < 3; i++)
    {
      widen_scales (page[i], NULL);
      gtk_stack_add_titled (GTK_STACK (d->pages), page[i], names[i],
                            titles[i]);
      gtk_widget_show (page[i]);
    }
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher),
                                GTK_STACK (d->pages));
  gtk_widget_set_halign (switcher, GTK_ALIGN_CENTER);
  gtk_box_pack_start (GTK_BOX (box), switcher, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), d->pages, FALSE, FALSE, 0);
  gtk_widget_show (switcher);
  gtk_widget_show (d->pages);
  gtk_widget_show (box);
  return box;
}

/* A note under a setting: wrapped, italic. */
static GtkWidget *
note_label_new (const gchar *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gimp_label_set_attributes (GTK_LABEL (label), PANGO_ATTR_STYLE,
                             PANGO_STYLE_ITALIC, -1);
  gtk_widget_show (label);
  return label;
}

/* What keeping or merging means for a layer group or a text layer (run()
 * acts on it: a group always keeps the effect). */
static GtkWidget *
keep_note_new (Dialog *d)
{
  GimpItem  *item = GIMP_ITEM (d->drawable);

  if (gimp_item_is_group (item))
    {
      gtk_widget_set_sensitive (prop_widget (d, "keep-filter"), FALSE);
      return note_label_new (_("A layer group has no pixels of its own: the "
                               "effect is kept on it as a non-destructive "
                               "filter."));
    }
  if (gimp_item_is_text_layer (item))
    return note_label_new (_("A text layer: merged, the blur makes it a "
                             "plain layer whose text can no longer be "
                             "edited.  Keep the effect as a filter to keep "
                             "the text."));
  return NULL;
}

/* A combo box over the words of a string argument (kernel-source,
 * quality, variation: sb-params.c), labelled as the procedure dialog
 * labels its own, packed into @box at @position. */
static void
word_combo_add (Dialog *d, const gchar *argument, GtkWidget *box,
                gint position)
{
  GParamSpec   *ps = g_object_class_find_property (G_OBJECT_GET_CLASS
                                                   (d->config), argument);
  GtkListStore *store = gtk_list_store_new (2, G_TYPE_STRING, G_TYPE_STRING);
  GtkWidget    *combo, *w;

  for (gint i = 0; i < sb_params_n_words (argument); i++)
    {
      gchar *label = sb_params_word_label (argument, i);

      gtk_list_store_insert_with_values (store, NULL, -1,
                                         0, sb_params_word (argument, i),
                                         1, label, -1);
      g_free (label);
    }
  combo = gimp_prop_string_combo_box_new (G_OBJECT (d->config), argument,
                                          GTK_TREE_MODEL (store), 0, 1);
  g_object_unref (store);
  w = gimp_label_string_widget_new (g_param_spec_get_nick (ps), combo);
  gimp_help_set_help_data (w, g_param_spec_get_blurb (ps), NULL);
  g_hash_table_insert (d->own, (gpointer) argument, w);
  gtk_box_pack_start (GTK_BOX (box), w, FALSE, FALSE, 0);
  gtk_box_reorder_child (GTK_BOX (box), w, position);
  gtk_widget_show (w);
}

/* gimp_procedure_dialog_new, with our own help function (skc-help.h)
 * instead of GIMP's manual, which has no page for a third-party filter. */
static GtkWidget *
dialog_new (GimpProcedure *procedure, GimpProcedureConfig *config)
{
  gchar     *role = g_strdup_printf ("gimp-%s",
                                     gimp_procedure_get_name (procedure));
  gboolean   header_bar = FALSE;
  GtkWidget *dialog;

  g_object_get (gtk_settings_get_default (), "gtk-dialogs-use-header",
                &header_bar, NULL);
  dialog = g_object_new (GIMP_TYPE_PROCEDURE_DIALOG,
                         "procedure",      procedure,
                         "config",         config,
                         "title",          _("Sparse Bokeh"),
                         "role",           role,
                         "help-func",      skc_help_show,
                         "help-id",        gimp_procedure_get_help_id
                                             (procedure),
                         "use-header-bar", header_bar,
                         NULL);
  g_free (role);
  return dialog;
}

static void
build (Dialog *d, GimpProcedure *procedure)
{
  GimpProcedureDialog *dlg;
  GdkPixbuf           *thumb;
  GtkWidget           *box, *w, *page[3];
  float               *crop;
  gint                 cw, ch;

  d->dialog = dialog_new (procedure, d->config);
  dlg = GIMP_PROCEDURE_DIALOG (d->dialog);
  thumb = gimp_drawable_get_thumbnail (d->drawable, THUMB_SIZE, THUMB_SIZE,
                                       GIMP_PIXBUF_SMALL_CHECKS);

  /* left: previews */
  d->preview = gimp_procedure_dialog_get_drawable_preview (dlg, "preview",
                                                           d->drawable);
  gtk_widget_set_size_request (d->preview, 320, 320);
  box = gimp_procedure_dialog_fill_box (dlg, "left-box", "preview", NULL);
  w = gimp_prop_check_button_new (G_OBJECT (d->config), "show-on-canvas",
                                  NULL);
  g_hash_table_insert (d->own, "show-on-canvas", w);
  gtk_box_pack_start (GTK_BOX (box), w, FALSE, FALSE, 0);
  gtk_widget_show (w);
  gtk_box_pack_start (GTK_BOX (box), fit_box_new (d), FALSE, FALSE, 6);

  /* right: kernel view, then the pages */
  box = page[0] = gimp_procedure_dialog_fill_box (dlg, "kernel-page",
                                                  "iris-blades",
                                                  "iris-curvature", "brush",
                                                  "kernel-file", NULL);
  word_combo_add (d, "kernel-source", box, 0);
  d->preset_box = preset_box_new (d);
  gtk_box_pack_start (GTK_BOX (box), d->preset_box, FALSE, FALSE, 0);
  gtk_box_reorder_child (GTK_BOX (box), d->preset_box, 1);
  d->draw_box = draw_box_new (d);
  gtk_box_pack_start (GTK_BOX (box), d->draw_box, FALSE, FALSE, 0);

  /* scales over the useful part of each range; any value can be typed */
  w = gimp_procedure_dialog_get_scale_entry (dlg, "size", 1.0);
  gimp_scale_entry_set_bounds (GIMP_SCALE_ENTRY (w), 0.0, 151.0, TRUE);
  gimp_procedure_dialog_get_scale_entry (dlg, "rotation", 1.0);
  w = gimp_procedure_dialog_get_scale_entry (dlg, "highlight-threshold", 1.0);
  gimp_scale_entry_set_bounds (GIMP_SCALE_ENTRY (w), 0.0, 1.0, TRUE);
  w = gimp_procedure_dialog_get_scale_entry (dlg, "highlight-gain", 1.0);
  gimp_scale_entry_set_bounds (GIMP_SCALE_ENTRY (w), 0.0, 20.0, TRUE);
  box = page[1] = gimp_procedure_dialog_fill_box (dlg, "blur-page", "size",
                                                  "rotation", "samples",
                                                  "layers", "exact-fallback",
                                                  "highlight-threshold",
                                                  "highlight-gain", NULL);
  word_combo_add (d, "quality", box, 2);
  d->exact_note = note_label_new (NULL);
  gtk_widget_set_name (d->exact_note, "exact-note");
  gtk_box_pack_start (GTK_BOX (box), d->exact_note, FALSE, FALSE, 0);
  gtk_box_reorder_child (GTK_BOX (box), d->exact_note, 6);
  gtk_widget_hide (d->exact_note);
  for (gsize i = 0; i < G_N_ELEMENTS (lens_scales); i++)
    {
      GtkWidget *scale = own_scale_new (d->config, &lens_scales[i]);

      g_hash_table_insert (d->own, (gpointer) lens_scales[i].property, scale);
      gtk_box_pack_start (GTK_BOX (box), scale, FALSE, FALSE, 0);
      gtk_widget_show (scale);
    }

  box = page[2] = gimp_procedure_dialog_fill_box (dlg, "vary-page",
                                                  "map-source", "map", NULL);
  word_combo_add (d, "variation", box, 0);
  /* The variation's numbers are made here, not by the procedure dialog:
   * with them its mnemonic check would run out of letters. */
  for (gsize i = 0; i < G_N_ELEMENTS (own_scales); i++)
    {
      GtkWidget *scale = own_scale_new (d->config, &own_scales[i]);

      g_hash_table_insert (d->own, (gpointer) own_scales[i].property, scale);
      gtk_box_pack_start (GTK_BOX (box), scale, FALSE, FALSE, 0);
      gtk_widget_show (scale);
    }
  /* occlusion's check boxes after the range */
  {
    const gchar *const checks[] = { "occlusion", "black-near", "map-holes" };
    GList             *kids = gtk_container_get_children (GTK_CONTAINER (box));
    gint               at = g_list_index (kids, g_hash_table_lookup (d->own,
                                                                     "range"));

    g_list_free (kids);
    for (gsize i = 0; i < G_N_ELEMENTS (checks); i++)
      {
        GtkWidget *w = gimp_procedure_dialog_get_widget (dlg, checks[i],
                                                         G_TYPE_NONE);

        gtk_box_pack_start (GTK_BOX (box), w, FALSE, FALSE, 0);
        gtk_box_reorder_child (GTK_BOX (box), w, at + 1 + (gint) i);
        gtk_widget_show (w);
      }
  }
  d->picker = sb_picker_new (d->config, thumb,
                             gimp_drawable_get_width (d->drawable),
                             gimp_drawable_get_height (d->drawable));
  gtk_box_pack_start (GTK_BOX (box), d->picker, FALSE, FALSE, 0);
  gtk_box_reorder_child (GTK_BOX (box), d->picker, 1);
  d->paint_box = paint_box_new (d, thumb);
  gtk_box_pack_start (GTK_BOX (box), d->paint_box, FALSE, FALSE, 0);
  gtk_box_reorder_child (GTK_BOX (box), d->paint_box, 4);
  g_clear_object (&thumb);

  box = gimp_procedure_dialog_fill_box (dlg, "right-box", "keep-filter",
                                        NULL);
  d->keep_note = keep_note_new (d);
  if (d->keep_note)
    gtk_box_pack_start (GTK_BOX (box), d->keep_note, FALSE, FALSE, 0);
  w = pages_new (d, page);
  gtk_box_pack_start (GTK_BOX (box), w, FALSE, FALSE, 0);
  gtk_box_reorder_child (GTK_BOX (box), w, 0);

  box = gimp_procedure_dialog_fill_box (dlg, "main-box", "left-box",
                                        "right-box", NULL);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (box),
                                  GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (box), 12);
  gimp_procedure_dialog_fill (dlg, "main-box", NULL);

  crop = error_crop (d->drawable, &cw, &ch);
  d->fitter = sb_fitter_new (fit_done, d, crop, cw, ch);
  g_free (crop);
}

/* ---------------------------------------------------------------- run */

static void
config_notify (GObject *config, GParamSpec *pspec, Dialog *d)
{
  if (strcmp (pspec->name, "kernel") == 0)
    preset_sync (d);
  settle_later (d);
}

/* GimpProcedureDialog shows all its widgets when it runs: hide again what
 * does not apply. */
static void
dialog_mapped (GtkWidget *dialog, Dialog *d)
{
  update_visibility (d);
}

static gboolean
dialog_ready (gpointer data)
{
  Dialog *d = data;

  return d->ready && !d->settle_id && !d->canvas_id
         && !sb_fitter_busy (d->fitter);
}

gboolean
sb_dialog_run (GimpProcedure *procedure, GimpProcedureConfig *config,
               GimpImage *image, GimpDrawable *drawable, SbQuiet *quiet)
{
  Dialog   d = { 0 };
  gboolean ok;

  gimp_ui_init (SB_BINARY);
  d.config = config;
  d.image = image;
  d.drawable = drawable;
  d.quiet = quiet;
  d.own = g_hash_table_new (g_str_hash, g_str_equal);
  sb_params_from_config (&d.params, config);
  d.render = sb_preview_new (drawable);
  d.canvas = sb_canvas_new (image, drawable, quiet);

  build (&d, procedure);
  g_signal_connect (d.preview, "invalidated", G_CALLBACK (preview_render), &d);
  gtk_widget_add_events (gimp_preview_get_area (GIMP_PREVIEW (d.preview)),
                         GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK);
  g_signal_connect (gimp_preview_get_area (GIMP_PREVIEW (d.preview)),
                    "button-press-event", G_CALLBACK (preview_pressed), &d);
  g_signal_connect (gimp_preview_get_area (GIMP_PREVIEW (d.preview)),
                    "button-release-event", G_CALLBACK (preview_released),
                    &d);
  g_signal_connect (config, "notify", G_CALLBACK (config_notify), &d);
  g_signal_connect_after (d.dialog, "map", G_CALLBACK (dialog_mapped), &d);
  if (!sb_preview_available (d.render))
    set_status (&d, _("The in-dialog preview needs the skc:bokeh GEGL "
                      "module in this process; it shows the image "
                      "unfiltered."));
  d.test = sb_dialog_test_new (GTK_DIALOG (d.dialog), config, image,
                               d.preview, &d.renders, d.draw, d.paint,
                               dialog_ready, &d);
  settle (&d);

  ok = gimp_procedure_dialog_run (GIMP_PROCEDURE_DIALOG (d.dialog));

  g_signal_handlers_disconnect_by_data (config, &d);
  if (ok && d.drawn_dirty && d.params.source == SB_SOURCE_DRAWN)
    store_drawn (&d);
  if (ok && d.painted_dirty)
    store_painted (&d);
  sb_dialog_test_free (d.test);
  if (d.settle_id)
    g_source_remove (d.settle_id);
  if (d.progress_id)
    g_source_remove (d.progress_id);
  if (d.canvas_id)
    g_source_remove (d.canvas_id);
  sb_fitter_free (d.fitter);
  sb_canvas_free (d.canvas);
  gtk_widget_destroy (d.dialog);
  sb_preview_free (d.render);
  g_clear_object (&d.map);
  g_free (d.map_key);
  g_clear_pointer (&d.fit, skc_bokeh_fit_unref);
  g_free (d.cur_key);
  g_free (d.fit_key);
  g_free (d.want_key);
  g_free (d.kernel);
  g_hash_table_unref (d.own);
  sb_params_clear (&d.params);
  return ok;
}
