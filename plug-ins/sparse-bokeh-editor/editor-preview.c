/* The kernel editor's bokeh preview: a night scene of point lights
 * (editor-scene.c) blurred by the exact kernel, or through a fitted level,
 * or the difference of the two amplified.  Rendered in the main loop a
 * moment after the last change (strokes come fast, a render is not free).
 */
#include <glib/gi18n-lib.h>

#include "editor-dialog-private.h"

#define PREVIEW_WIDTH   380
#define PREVIEW_HEIGHT  266
#define PREVIEW_DELAY   120   /* ms */
#define DIFF_GAIN       8.0f

static GdkPixbuf *
scene_pixbuf (const EditorScene *scene)
{
  GdkPixbuf *pix = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8,
                                   scene->width, scene->height);

  editor_scene_to_srgb8 (scene, gdk_pixbuf_get_pixels (pix),
                         gdk_pixbuf_get_rowstride (pix));
  return pix;
}

void
editor_preview_render_now (EditorDialog *ed)
{
  SkcKernel   *target;
  EditorScene *shown = NULL, *fitted = NULL;
  int          level = gtk_combo_box_get_active (GTK_COMBO_BOX (ed->show_combo)) - 1;
  gboolean     diff = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (ed->diff_check));
  const gchar *note = "";

  g_clear_handle_id (&ed->preview_timeout, g_source_remove);
  g_clear_object (&ed->preview_pixbuf);
  target = editor_target (ed);
  if (!target || !ed->scene)
    {
      gtk_label_set_text (GTK_LABEL (ed->preview_note), _("Draw or load a kernel."));
      gtk_widget_queue_draw (ed->preview);
      return;
    }
  if (!ed->exact && editor_scene_blur (ed->scene, target, NULL, &ed->exact) != SKC_OK)
    ed->exact = NULL;
  if (level >= 0 && ed->fits[level].complex && ed->fits_gen == ed->kernel_gen)
    {
      if (editor_scene_blur (ed->scene, target, ed->fits[level].complex, &fitted) == SKC_OK)
        {
          if (diff && ed->exact)
            {
              shown = editor_scene_difference (fitted, ed->exact, DIFF_GAIN);
              note = _("Difference to the exact kernel, x 8.");
            }
          else
            {
              shown = fitted;
              fitted = NULL;
              note = _("Through the fitted complex.");
            }
        }
    }
  else if (level >= 0)
    note = _("Not fitted yet: the exact kernel is shown.");
  else
    note = _("Exact kernel (FFT convolution).");
  if (shown)
    ed->preview_pixbuf = scene_pixbuf (shown);
  else if (ed->exact)
    ed->preview_pixbuf = scene_pixbuf (ed->exact);
  editor_scene_free (shown);
  editor_scene_free (fitted);
  gtk_label_set_text (GTK_LABEL (ed->preview_note), note);
  gtk_widget_queue_draw (ed->preview);
}

static gboolean
preview_timeout (gpointer data)
{
  EditorDialog *ed = data;

  ed->preview_timeout = 0;   /* this source ends here */
  editor_preview_render_now (ed);
  return G_SOURCE_REMOVE;
}

void
editor_preview_schedule (EditorDialog *ed)
{
  if (ed->preview_timeout)
    g_source_remove (ed->preview_timeout);
  ed->preview_timeout = g_timeout_add (PREVIEW_DELAY, preview_timeout, ed);
}

static void
option_changed (GtkWidget *widget, EditorDialog *ed)
{
  editor_preview_schedule (ed);
}

static gboolean
preview_draw (GtkWidget *widget, cairo_t *cr, EditorDialog *ed)
{
  int    aw = gtk_widget_get_allocated_width (widget);
  int    ah = gtk_widget_get_allocated_height (widget);
  int    pw, ph;
  double scale;

  cairo_set_source_rgb (cr, 0.05, 0.05, 0.07);
  cairo_paint (cr);
  if (!ed->preview_pixbuf)
    return FALSE;
  pw = gdk_pixbuf_get_width (ed->preview_pixbuf);
  ph = gdk_pixbuf_get_height (ed->preview_pixbuf);
  scale = MIN ((double) aw / pw, (double) ah / ph);
  cairo_translate (cr, (aw - pw * scale) / 2, (ah - ph * scale) / 2);
  cairo_scale (cr, scale, scale);
  gdk_cairo_set_source_pixbuf (cr, ed->preview_pixbuf, 0, 0);
  cairo_paint (cr);
  return FALSE;
}

GtkWidget *
editor_preview_frame (EditorDialog *ed)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  ed->preview = gtk_drawing_area_new ();
  gtk_widget_set_size_request (ed->preview, PREVIEW_WIDTH, PREVIEW_HEIGHT);
  g_signal_connect (ed->preview, "draw", G_CALLBACK (preview_draw), ed);
  gtk_box_pack_start (GTK_BOX (box), ed->preview, TRUE, TRUE, 0);

  ed->show_combo = gtk_combo_box_text_new ();
  gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (ed->show_combo), _("Exact kernel"));
  for (int l = 0; l < EDITOR_N_LEVELS; l++)
    {
      gchar *t = skc_quality_label (l);

      gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (ed->show_combo), t);
      g_free (t);
    }
  gtk_combo_box_set_active (GTK_COMBO_BOX (ed->show_combo), 0);
  g_signal_connect (ed->show_combo, "changed", G_CALLBACK (option_changed), ed);
  gtk_box_pack_start (GTK_BOX (row), gtk_label_new (_("Show")), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row), ed->show_combo, FALSE, FALSE, 0);
  ed->diff_check = editor_control (row, gtk_check_button_new_with_mnemonic (_("D_ifference")),
                                   _("Show how a fitted level differs from "
                                     "the exact kernel, amplified 8 times"),
                                   "toggled", G_CALLBACK (option_changed), ed);
  gtk_box_pack_start (GTK_BOX (box), row, FALSE, FALSE, 0);
  ed->preview_note = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (ed->preview_note), 0.0);
  gimp_label_set_attributes (GTK_LABEL (ed->preview_note),
                             PANGO_ATTR_STYLE, PANGO_STYLE_ITALIC, -1);
  gtk_box_pack_start (GTK_BOX (box), ed->preview_note, FALSE, FALSE, 0);
  return editor_frame_new (_("Bokeh Preview"), box);
}
