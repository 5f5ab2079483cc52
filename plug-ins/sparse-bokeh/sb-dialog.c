/* The Sparse Bokeh dialog (see sb-dialog.h).
 *
 * Layout: on the left the in-dialog preview (1:1, scrollable), the
 * on-canvas switch and the kernel view with the fit's progress and
 * status; on the right three pages: Kernel (source and its settings), Blur
 * (size, rotation, quality, highlights) and Variation (mode, map or mask
 * painter, centre picker and geometry).  Widgets that do not apply to the
 * current kernel source or variation are hidden.
 *
 * All state lives in one SbDialog struct owned by sb_dialog_run; nothing is
 * global.
 */
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sb-dialog.h"
#include "sb-dialog-private.h"
#include "sb-kernel.h"
#include "sb-map.h"
#include "skc-kernel-draw.h"
#include "skc-kernel-view.h"
#include "skc-mask-paint.h"
#include "skc-quality.h"

#define SETTLE_MS     250   /* quiet time after a change before work     */
#define PROGRESS_MS   100
#define CROP_SIZE     256   /* the image crop the fit error is taken on  */

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
fit_ready (SbDialog *d)
{
  return d->kernel && d->fit && d->cur_key
         && g_strcmp0 (d->fit_key, d->cur_key) == 0;
}

void
sb_dialog_set_status (SbDialog *d, const gchar *text)
{
  gtk_label_set_text (GTK_LABEL (d->status), text ? text : "");
}

/* ---------------------------------------------------------------- previews */

static gboolean
canvas_update (gpointer data)
{
  SbDialog *d = data;
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
      sb_dialog_set_status (d, error->message);
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
exact_note_update (SbDialog *d)
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
previews_update (SbDialog *d)
{
  exact_note_update (d);
  gimp_preview_invalidate (GIMP_PREVIEW (d->preview));
  if (!d->canvas_id)
    d->canvas_id = g_idle_add (canvas_update, d);
}

static void
preview_render (GimpPreview *preview, SbDialog *d)
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
preview_pressed (GtkWidget *area, GdkEventButton *event, SbDialog *d)
{
  d->press_x = event->x;
  d->press_y = event->y;
  return FALSE;
}

static gboolean
preview_released (GtkWidget *area, GdkEventButton *event, SbDialog *d)
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
  SbDialog *d = data;
  gchar  *caption, *status;

  g_clear_pointer (&d->fit, skc_bokeh_fit_unref);
  g_clear_pointer (&d->fit_key, g_free);
  d->fit_key = g_steal_pointer (&d->want_key);
  if (!r->fit)
    {
      skc_kernel_view_set_fitted (SKC_KERNEL_VIEW (d->view), NULL, NULL);
      skc_kernel_view_set_message (SKC_KERNEL_VIEW (d->view), _("No fit"));
      sb_dialog_set_status (d, r->error ? r->error->message
                               : _("The fit failed."));
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
  sb_dialog_set_status (d, status);
  g_free (status);
  g_free (caption);
  previews_update (d);
}

static gboolean
progress_tick (gpointer data)
{
  SbDialog *d = data;
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
fit_start (SbDialog *d, const SkcBokehRequest *req, gchar *key)
{
  g_free (d->want_key);
  d->want_key = key;
  skc_kernel_view_set_fitted (SKC_KERNEL_VIEW (d->view), NULL, NULL);
  skc_kernel_view_set_message (SKC_KERNEL_VIEW (d->view), _("Fitting..."));
  sb_dialog_set_status (d, "");
  sb_fitter_start (d->fitter, req);
  if (!d->progress_id)
    d->progress_id = g_timeout_add (PROGRESS_MS, progress_tick, d);
}

void
sb_dialog_stop_clicked (GtkButton *button, SbDialog *d)
{
  sb_fitter_cancel (d->fitter);
  g_clear_pointer (&d->want_key, g_free);
  skc_kernel_view_set_message (SKC_KERNEL_VIEW (d->view), _("Fit stopped"));
  sb_dialog_set_status (d, _("Fitting stopped: change a setting to fit "
                             "again."));
  previews_update (d);
}

/* ---------------------------------------------------------------- files */

/* The drawing and the painted mask become files (their paths go into the
 * config) when they change, so OK, saved settings and Repeat see them. */
static void
store_drawn (SbDialog *d)
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
      sb_dialog_set_status (d, error->message);
      g_clear_error (&error);
      return;
    }
  if (g_strcmp0 (path, d->params.drawn_kernel) != 0)
    g_object_set (d->config, "drawn-kernel", path, NULL);
  g_free (path);
}

static void
store_painted (SbDialog *d)
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
      sb_dialog_set_status (d, error->message);
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

static void
show_prop (SbDialog *d, const gchar *property, gboolean visible)
{
  show_if (sb_dialog_prop_widget (d, property), visible);
}

/* The widget of @property: one the plug-in made (sb_dialog_build), or the
 * procedure dialog's. */
GtkWidget *
sb_dialog_prop_widget (SbDialog *d, const gchar *property)
{
  GtkWidget *w = g_hash_table_lookup (d->own, property);

  return w ? w : gimp_procedure_dialog_get_widget (GIMP_PROCEDURE_DIALOG
                                                   (d->dialog),
                                                   property, G_TYPE_NONE);
}

static void
update_visibility (SbDialog *d)
{
  const SbParams *p = &d->params;
  gboolean        map = p->variation == SB_VARY_MAP;
  gboolean        geo = p->variation == SB_VARY_TILT_SHIFT
                        || p->variation == SB_VARY_SPIN
                        || p->variation == SB_VARY_ZOOM;

  show_if (d->preset_box, p->source == SB_SOURCE_PRESET);
  show_prop (d, "iris-blades", p->source == SB_SOURCE_IRIS);
  show_prop (d, "iris-curvature", p->source == SB_SOURCE_IRIS);
  show_prop (d, "brush", p->source == SB_SOURCE_BRUSH);
  show_prop (d, "kernel-file", p->source == SB_SOURCE_FILE);
  show_if (d->draw_box, p->source == SB_SOURCE_DRAWN);

  gtk_widget_set_sensitive (sb_dialog_prop_widget (d, "samples"),
                            p->quality == SB_QUALITY_CUSTOM);
  gtk_widget_set_sensitive (sb_dialog_prop_widget (d, "layers"),
                            p->quality == SB_QUALITY_CUSTOM);
  if (p->quality != SB_QUALITY_CUSTOM)
    {
      gchar *help = skc_quality_help (p->quality);

      gimp_help_set_help_data (sb_dialog_prop_widget (d, "quality"), help,
                               NULL);
      g_free (help);
    }

  /* the lens's effects are the uniform variation's */
  gtk_widget_set_sensitive (sb_dialog_prop_widget (d, "cateye"),
                            p->variation == SB_VARY_UNIFORM);
  gtk_widget_set_sensitive (sb_dialog_prop_widget (d, "cateye-start"),
                            p->variation == SB_VARY_UNIFORM
                            && p->cateye > 0.0);
  gtk_widget_set_sensitive (sb_dialog_prop_widget (d, "chroma"),
                            p->variation == SB_VARY_UNIFORM);

  show_prop (d, "map-source", map);
  show_prop (d, "map", map && p->map_source == SB_MAP_DRAWABLE);
  show_if (d->paint_box, map && p->map_source == SB_MAP_PAINTED);
  show_if (d->exact_note,
           *gtk_label_get_text (GTK_LABEL (d->exact_note)) != '\0');
  show_if (d->keep_note, !p->keep_filter
                        || gimp_item_is_group (GIMP_ITEM (d->drawable)));
  show_prop (d, "focus", map);
  gtk_widget_set_tooltip_text (gimp_preview_get_area (GIMP_PREVIEW
                                                      (d->preview)),
                               map ? _("Click to make this point sharp: its "
                                       "map value becomes the focus value")
                                   : NULL);
  show_prop (d, "range", map);
  show_prop (d, "occlusion", map);
  show_prop (d, "black-near", map && p->occlusion);
  show_prop (d, "map-holes", map && p->occlusion);
  show_if (d->picker, geo);
  show_prop (d, "center-x", geo);
  show_prop (d, "center-y", geo);
  show_prop (d, "angle", p->variation == SB_VARY_TILT_SHIFT);
  show_prop (d, "band-width", p->variation == SB_VARY_TILT_SHIFT);
  show_prop (d, "falloff", p->variation == SB_VARY_TILT_SHIFT);
  show_prop (d, "radius",
             p->variation == SB_VARY_SPIN || p->variation == SB_VARY_ZOOM);
}

/* Samples and layers show what a quality level uses (and Custom starts
 * from the level chosen before). */
static void
show_quality_taps (SbDialog *d)
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
update_map (SbDialog *d, GError **error)
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
  SbDialog         *d = data;
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
      sb_dialog_set_status (d, error ? error->message : "");
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

void
sb_dialog_settle_later (SbDialog *d)
{
  d->ready = FALSE;
  if (d->settle_id)
    g_source_remove (d->settle_id);
  d->settle_id = g_timeout_add (SETTLE_MS, settle, d);
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

/* ---------------------------------------------------------------- run */

static void
config_notify (GObject *config, GParamSpec *pspec, SbDialog *d)
{
  if (strcmp (pspec->name, "kernel") == 0)
    sb_dialog_preset_sync (d);
  sb_dialog_settle_later (d);
}

/* GimpProcedureDialog shows all its widgets when it runs: hide again what
 * does not apply. */
static void
dialog_mapped (GtkWidget *dialog, SbDialog *d)
{
  update_visibility (d);
}

static gboolean
dialog_ready (gpointer data)
{
  SbDialog *d = data;

  return d->ready && !d->settle_id && !d->canvas_id
         && !sb_fitter_busy (d->fitter);
}

gboolean
sb_dialog_run (GimpProcedure *procedure, GimpProcedureConfig *config,
               GimpImage *image, GimpDrawable *drawable, SbQuiet *quiet)
{
  SbDialog   d = { 0 };
  gboolean ok;
  float   *crop;
  gint     cw, ch;

  gimp_ui_init (SB_BINARY);
  d.config = config;
  d.image = image;
  d.drawable = drawable;
  d.quiet = quiet;
  d.own = g_hash_table_new (g_str_hash, g_str_equal);
  sb_params_from_config (&d.params, config);
  d.render = sb_preview_new (drawable);
  d.canvas = sb_canvas_new (image, drawable, quiet);

  sb_dialog_build (&d, procedure);
  crop = error_crop (drawable, &cw, &ch);
  d.fitter = sb_fitter_new (fit_done, &d, crop, cw, ch);
  g_free (crop);
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
    sb_dialog_set_status (&d, _("The in-dialog preview needs the skc:bokeh "
                                "GEGL module in this process; it shows the "
                                "image unfiltered."));
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

