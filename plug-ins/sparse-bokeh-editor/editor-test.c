/* The kernel editor's test hook, for tests/test-editor-dialog.sh under
 * Xvfb; built only with meson -Dtest_hooks=true (./dev's build, never an
 * install).  With SKC_EDITOR_TEST_SCREENSHOT=FILE.png set, the dialog goes
 * through its sources (a built-in preset, another shape, a brush) and
 * the difference view, presses Help, draws a snowflake with the symmetry
 * tools once it is shown, fits every level, shows the normal fit, saves
 * the preset named by SKC_EDITOR_TEST_PRESET (if set) through its Save
 * button, writes a screenshot of itself and closes (after 120 s at the
 * latest).  Questions (replace, delete) are answered yes.
 */
#include "skc-kernel-draw.h"

#include "editor-dialog-private.h"

struct _EditorTest
{
  EditorDialog *ed;
  gchar        *shot;
  gchar        *preset;
  guint         start_id;
  guint         shoot_id;
  guint         timeout_id;
};

static gboolean
test_shoot (gpointer data)
{
  EditorTest *t = data;
  GtkWidget  *dialog = t->ed->dialog;
  GdkWindow  *win = gtk_widget_get_window (dialog);
  GdkPixbuf  *shot;
  GError     *error = NULL;

  t->shoot_id = 0;   /* this source ends here */
  shot = gdk_pixbuf_get_from_window (win, 0, 0, gdk_window_get_width (win),
                                     gdk_window_get_height (win));
  if (!shot || !gdk_pixbuf_save (shot, t->shot, "png", &error, NULL))
    g_printerr ("sparse-bokeh-editor: screenshot failed: %s\n",
                error ? error->message : "no pixels");
  else
    g_printerr ("sparse-bokeh-editor: screenshot %s (%d x %d)\n", t->shot,
                gdk_pixbuf_get_width (shot), gdk_pixbuf_get_height (shot));
  g_clear_error (&error);
  g_clear_object (&shot);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CLOSE);
  return G_SOURCE_REMOVE;
}

/* Go through the sources (a built-in preset, another shape, a brush) and
 * the difference view, then draw a snowflake with the symmetry controls,
 * as a user would, and fit it. */
static gboolean
test_start (gpointer data)
{
  EditorTest    *t = data;
  EditorDialog  *ed = t->ed;
  SkcKernelDraw *draw = SKC_KERNEL_DRAW (ed->draw);
  double         c = (EDITOR_CANVAS_SIZE - 1) / 2.0;
  GtkTreeModel  *model = GTK_TREE_MODEL (ed->store);
  GtkTreeIter    iter;
  GimpBrush     *brush;
  GtkWidget     *help;

  t->start_id = 0;   /* this source ends here */
  for (gboolean more = gtk_tree_model_get_iter_first (model, &iter); more;
       more = gtk_tree_model_iter_next (model, &iter))
    {
      gchar *id = NULL;

      gtk_tree_model_get (model, &iter, COL_ID, &id, -1);
      if (g_strcmp0 (id, "heart") == 0)
        {
          gtk_tree_selection_select_iter
            (gtk_tree_view_get_selection (GTK_TREE_VIEW (ed->tree)), &iter);
          editor_presets_load_selected (ed);
        }
      g_free (id);
    }
  g_printerr ("sparse-bokeh-editor: test: preset heart -> %s\n",
              gtk_label_get_text (GTK_LABEL (ed->source_label)));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (ed->shape_combo), "star");
  g_printerr ("sparse-bokeh-editor: test: star -> %s\n",
              gtk_label_get_text (GTK_LABEL (ed->source_label)));
  brush = gimp_brush_get_by_name ("2. Hardness 050");
  if (brush)
    editor_brush_choose (ed, brush);
  g_printerr ("sparse-bokeh-editor: test: brush -> %s\n",
              gtk_label_get_text (GTK_LABEL (ed->source_label)));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ed->diff_check), TRUE);
  editor_preview_render_now (ed);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ed->diff_check), FALSE);

  /* Help, as a user would press it: it opens the README */
  help = gtk_dialog_get_widget_for_response (GTK_DIALOG (ed->dialog),
                                             GTK_RESPONSE_HELP);
  g_printerr ("sparse-bokeh-editor: test: %s\n",
              help ? "pressing Help" : "no Help button");
  if (help)
    gtk_button_clicked (GTK_BUTTON (help));

  skc_kernel_draw_clear (draw);
  gtk_combo_box_set_active (GTK_COMBO_BOX (ed->mirror_combo), SKC_MIRROR_HORIZONTAL);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ed->rotations_spin), 6);
  g_object_set (draw, "brush-radius", 4.5, "brush-softness", 0.3, NULL);
  skc_kernel_draw_stroke (draw, c, c, c, c - 56);
  skc_kernel_draw_stroke (draw, c, c - 30, c + 14, c - 44);
  g_object_set (draw, "brush-radius", 3.0, NULL);
  skc_kernel_draw_stroke (draw, c, c - 46, c + 8, c - 54);
  g_object_set (draw, "brush-radius", 9.0, "brush-softness", 0.0, NULL);
  skc_kernel_draw_stroke (draw, c, c, c, c);
  editor_fit_start (ed);
  return G_SOURCE_REMOVE;
}

static gboolean
test_timeout (gpointer data)
{
  EditorTest *t = data;

  t->timeout_id = 0;   /* this source ends here */
  g_printerr ("sparse-bokeh-editor: test hook timed out\n");
  gtk_dialog_response (GTK_DIALOG (t->ed->dialog), GTK_RESPONSE_CLOSE);
  return G_SOURCE_REMOVE;
}

EditorTest *
editor_test_new (EditorDialog *ed)
{
  const gchar *shot = g_getenv ("SKC_EDITOR_TEST_SCREENSHOT");
  EditorTest  *t;

  if (!shot || !*shot)
    return NULL;
  t = g_new0 (EditorTest, 1);
  t->ed = ed;
  t->shot = g_strdup (shot);
  t->preset = g_strdup (g_getenv ("SKC_EDITOR_TEST_PRESET"));
  t->start_id = g_timeout_add (500, test_start, t);
  t->timeout_id = g_timeout_add_seconds (120, test_timeout, t);
  return t;
}

void
editor_test_free (EditorTest *t)
{
  if (!t)
    return;
  g_clear_handle_id (&t->start_id, g_source_remove);
  g_clear_handle_id (&t->shoot_id, g_source_remove);
  g_clear_handle_id (&t->timeout_id, g_source_remove);
  g_free (t->shot);
  g_free (t->preset);
  g_free (t);
}

void
editor_test_fit_done (EditorTest *t, gboolean cancelled)
{
  EditorDialog *ed;

  if (!t || cancelled)
    return;
  ed = t->ed;
  gtk_combo_box_set_active (GTK_COMBO_BOX (ed->show_combo), 1 + EDITOR_DEFAULT_LEVEL);
  if (t->preset)
    {
      gtk_entry_set_text (GTK_ENTRY (ed->name_entry), t->preset);
      gtk_button_clicked (GTK_BUTTON (ed->save_button));
    }
  t->shoot_id = g_timeout_add (1000, test_shoot, t);
}
