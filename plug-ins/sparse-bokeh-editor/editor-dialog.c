/* The kernel editor's dialog.
 *
 *   left    the drawing canvas (editor-canvas.c, ui/skc-kernel-draw.c)
 *           with its brush and symmetry controls and the kernel size
 *   middle  the kernel's bokeh on a night scene of point lights
 *           (editor-preview.c, editor-scene.c), exact or through a fitted
 *           level; under it the kernel's sources (editor-source.c): a
 *           procedural shape, an image file, a GIMP brush
 *   right   fitting at every quality level, with progress, Cancel and a
 *           table of errors (editor-fit.c, in the background:
 *           editor-fit-job.c); the presets: save, load, rename, delete
 *           (editor-presets.c); the status line
 *
 * The target kernel (editor-source.c) belongs to a generation: every
 * change of the kernel bumps kernel_gen, and fits, the scene and the
 * preview made for an older generation are dropped.  A fit under way is
 * cancelled; the dialog waits for its worker before it goes.
 */
#include <glib/gi18n-lib.h>

#include "skc-help.h"

#include "editor-dialog-private.h"

void
editor_status (EditorDialog *ed, gboolean is_error, const gchar *format, ...)
{
  va_list ap;
  gchar  *text, *markup;

  va_start (ap, format);
  text = g_strdup_vprintf (format, ap);
  va_end (ap);
  markup = g_markup_printf_escaped (is_error ? "<span foreground=\"#e04040\">%s</span>"
                                             : "%s", text);
  gtk_label_set_markup (GTK_LABEL (ed->status), markup);
  g_free (markup);
  g_free (text);
}

GtkWidget *
editor_control (GtkWidget *row, GtkWidget *widget, const gchar *help,
                const gchar *signal, GCallback callback, EditorDialog *ed)
{
  if (help)
    gimp_help_set_help_data (widget, help, NULL);
  g_signal_connect (widget, signal, callback, ed);
  if (row)
    gtk_box_pack_start (GTK_BOX (row), widget, FALSE, FALSE, 0);
  return widget;
}

GtkWidget *
editor_frame_new (const gchar *title, GtkWidget *child)
{
  GtkWidget *frame = gimp_frame_new (title);

  gtk_container_add (GTK_CONTAINER (frame), child);
  return frame;
}

GtkWidget *
editor_scale_new (const gchar *label, gdouble value, gdouble lo, gdouble hi,
                  gint digits)
{
  GtkWidget *w = gimp_scale_entry_new (label, value, lo, hi, digits);

  /* GIMP 3.0.4 sets the value before the range while constructing, so
   * it comes out clamped to 0: set it again */
  gimp_label_spin_set_value (GIMP_LABEL_SPIN (w), value);
  return w;
}

void
editor_kernel_changed (EditorDialog *ed)
{
  ed->kernel_gen++;
  editor_fit_cancel (ed);
  editor_fits_clear (ed);
  editor_fit_table_update (ed);
  editor_preview_schedule (ed);
}

static GtkWidget *
status_label (EditorDialog *ed)
{
  ed->status = gtk_label_new (NULL);
  gtk_label_set_line_wrap (GTK_LABEL (ed->status), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (ed->status), 40);
  gtk_label_set_xalign (GTK_LABEL (ed->status), 0.0);
  return ed->status;
}

static GtkWidget *
column_new (GtkWidget *top, gboolean top_expands, GtkWidget *middle,
            gboolean middle_expands, GtkWidget *bottom)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_box_pack_start (GTK_BOX (box), top, top_expands, top_expands, 0);
  gtk_box_pack_start (GTK_BOX (box), middle, middle_expands, middle_expands, 0);
  if (bottom)
    gtk_box_pack_start (GTK_BOX (box), bottom, FALSE, FALSE, 0);
  return box;
}

void
editor_dialog_run (const char *user_dir, const char *builtin_dir)
{
  EditorDialog *ed = g_new0 (EditorDialog, 1);
  GtkWidget    *hbox;
  gchar        *dir, *photo;

  ed->user_dir = g_strdup (user_dir);
  ed->builtin_dir = g_strdup (builtin_dir);
  ed->kernel_gen = 1;
  ed->target_gen = 0;
  if (skc_cache_open (NULL, 0, &ed->cache) != SKC_OK)
    ed->cache = NULL;   /* fit without a cache */
  dir = g_path_get_dirname (gimp_get_progname ());
  photo = editor_sample_photo_find (dir);
  ed->photo = editor_sample_photo_load (photo, &ed->photo_width, &ed->photo_height);
  g_free (photo);
  g_free (dir);

  ed->dialog = gimp_dialog_new (_("Sparse Bokeh Kernel Editor"), PLUG_IN_ROLE,
                                NULL, 0, skc_help_show, PLUG_IN_PROC,
                                _("_Close"), GTK_RESPONSE_CLOSE, NULL);
  gimp_window_set_transient (GTK_WINDOW (ed->dialog));

  /* status first: the other parts report there while they are built */
  status_label (ed);
  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_container_set_border_width (GTK_CONTAINER (hbox), 12);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (ed->dialog))),
                      hbox, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (hbox), editor_canvas_column (ed), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (hbox),
                      column_new (editor_preview_frame (ed), TRUE,
                                  editor_source_frame (ed), FALSE, NULL),
                      TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (hbox),
                      column_new (editor_fit_frame (ed), FALSE,
                                  editor_presets_frame (ed), TRUE, ed->status),
                      FALSE, FALSE, 0);
  gtk_widget_show_all (hbox);

  editor_fit_table_update (ed);
  editor_shape_apply (ed);   /* start from a 6-blade iris */

  ed->test = editor_test_new (ed);
  gtk_widget_show (ed->dialog);
  gimp_dialog_run (GIMP_DIALOG (ed->dialog));

  /* stop a running fit before anything it points at goes */
  editor_fit_stop (ed);
  g_clear_handle_id (&ed->preview_timeout, g_source_remove);
  g_clear_pointer (&ed->test, editor_test_free);
  gtk_widget_destroy (ed->dialog);
  editor_fits_clear (ed);
  skc_kernel_free (ed->source_kernel);
  skc_kernel_free (ed->target);
  editor_scene_free (ed->scene);
  editor_scene_free (ed->exact);
  g_free (ed->scene_lum);
  g_free (ed->photo);
  g_clear_object (&ed->preview_pixbuf);
  g_clear_object (&ed->brush);
  skc_cache_close (ed->cache);
  g_free (ed->source_name);
  g_free (ed->user_dir);
  g_free (ed->builtin_dir);
  g_free (ed);
}
