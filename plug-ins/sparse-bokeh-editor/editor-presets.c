/* The kernel editor's Presets frame: a name and Save (the target kernel
 * with the levels fitted so far, editor_preset_write), the list of
 * built-in and user presets, and Load, Rename and Delete (user presets
 * only).  Replacing or deleting a preset asks first.
 */
#include <string.h>

#include <glib/gi18n-lib.h>

#include "skc-preset.h"

#include "editor-dialog-private.h"

static gchar *
selected_preset (EditorDialog *ed, gboolean *builtin, gchar **name)
{
  GtkTreeSelection *sel = gtk_tree_view_get_selection (GTK_TREE_VIEW (ed->tree));
  GtkTreeModel     *model;
  GtkTreeIter       iter;
  gchar            *id = NULL;

  if (!gtk_tree_selection_get_selected (sel, &model, &iter))
    return NULL;
  gtk_tree_model_get (model, &iter, COL_ID, &id, COL_BUILTIN, builtin,
                      COL_NAME, name, -1);
  return id;
}

static void
selection_changed (GtkTreeSelection *sel, EditorDialog *ed)
{
  gboolean builtin = TRUE;
  gchar   *name = NULL;
  gchar   *id = selected_preset (ed, &builtin, &name);

  gtk_widget_set_sensitive (ed->load_button, id != NULL);
  gtk_widget_set_sensitive (ed->rename_button, id && !builtin);
  gtk_widget_set_sensitive (ed->delete_button, id && !builtin);
  g_free (id);
  g_free (name);
}

void
editor_presets_refresh (EditorDialog *ed, const gchar *select_id)
{
  SkcPreset **list = NULL;
  int         n = skc_preset_list (ed->builtin_dir, ed->user_dir, &list);

  gtk_list_store_clear (ed->store);
  for (int i = 0; i < n; i++)
    {
      GtkTreeIter iter;

      gtk_list_store_insert_with_values (ed->store, &iter, -1,
                                         COL_NAME, list[i]->name,
                                         COL_ID, list[i]->id,
                                         COL_KIND, list[i]->builtin ? _("built-in")
                                                                    : _("user"),
                                         COL_BUILTIN, list[i]->builtin, -1);
      if (select_id && strcmp (select_id, list[i]->id) == 0)
        {
          GtkTreeSelection *sel = gtk_tree_view_get_selection (GTK_TREE_VIEW (ed->tree));
          GtkTreePath      *path = gtk_tree_model_get_path (GTK_TREE_MODEL (ed->store), &iter);

          gtk_tree_selection_select_iter (sel, &iter);
          gtk_tree_view_scroll_to_cell (GTK_TREE_VIEW (ed->tree), path, NULL, FALSE, 0, 0);
          gtk_tree_path_free (path);
        }
    }
  skc_preset_list_free (list, n);
}

static gboolean
confirm (EditorDialog *ed, const gchar *question, const gchar *detail,
         const gchar *action)
{
  GtkWidget *msg;
  gint       response;

  if (editor_test_unattended (ed->test))
    return TRUE;
  msg = gtk_message_dialog_new (GTK_WINDOW (ed->dialog), GTK_DIALOG_MODAL,
                                GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                "%s", question);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (msg), "%s", detail);
  gtk_dialog_add_buttons (GTK_DIALOG (msg), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          action, GTK_RESPONSE_ACCEPT, NULL);
  response = gtk_dialog_run (GTK_DIALOG (msg));
  gtk_widget_destroy (msg);
  return response == GTK_RESPONSE_ACCEPT;
}

static void
save_clicked (GtkButton *button, EditorDialog *ed)
{
  const gchar *name = gtk_entry_get_text (GTK_ENTRY (ed->name_entry));
  gchar       *label = g_strstrip (g_strdup (name));
  gchar       *id = editor_id_from_name (label);
  gchar       *path = NULL, *file;
  SkcKernel   *target = editor_target (ed);
  GError      *error = NULL;
  gboolean     fitted = ed->fits_gen == ed->kernel_gen;
  int          n_fits = 0;

  if (!id)
    {
      editor_status (ed, TRUE, _("Give the preset a name (letters or digits)."));
      goto out;
    }
  if (!target)
    {
      editor_status (ed, TRUE, _("The kernel is empty: draw or load one first."));
      goto out;
    }
  file = g_strconcat (id, ".preset", NULL);
  path = g_build_filename (ed->user_dir, file, NULL);
  g_free (file);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      gchar *q = g_strdup_printf (_("Replace the preset '%s'?"), id);
      gboolean yes = confirm (ed, q, _("A user preset with this name exists."),
                              _("_Replace"));

      g_free (q);
      if (!yes)
        goto out;
    }
  g_clear_pointer (&path, g_free);
  for (int l = 0; fitted && l < EDITOR_N_LEVELS; l++)
    n_fits += ed->fits[l].complex != NULL;
  if (!editor_preset_write (ed->user_dir, id, label, target,
                            ed->source == SOURCE_SHAPE && ed->source_kernel
                            ? &ed->shape : NULL,
                            fitted ? ed->fits : NULL, EDITOR_DEFAULT_LEVEL,
                            TRUE, &path, &error))
    {
      editor_status (ed, TRUE, "%s", error->message);
      g_error_free (error);
      goto out;
    }
  if (n_fits)
    editor_status (ed, FALSE, g_dngettext (GETTEXT_PACKAGE,
                                        "Saved '%s' (%s) with %d fitted level.",
                                        "Saved '%s' (%s) with %d fitted levels.",
                                        n_fits), label, id, n_fits);
  else
    editor_status (ed, FALSE, _("Saved '%s' (%s), not fitted: the filter fits "
                             "it when it is used."), label, id);
  editor_presets_refresh (ed, id);

out:
  g_free (path);
  g_free (id);
  g_free (label);
}

void
editor_presets_load_selected (EditorDialog *ed)
{
  gboolean   builtin;
  gchar     *name = NULL;
  gchar     *id = selected_preset (ed, &builtin, &name);
  SkcPreset *p = NULL;
  SkcKernel *k = NULL;
  SkcStatus  s;

  if (!id)
    return;
  s = skc_preset_find (ed->builtin_dir, ed->user_dir, id, &p);
  if (s == SKC_OK && p->is_shape)
    {
      editor_shape_controls_set (ed, &p->shape);
      editor_shape_apply (ed);
    }
  else if (s == SKC_OK && (s = skc_preset_kernel (p, 0, &k)) == SKC_OK)
    editor_source_set (ed, SOURCE_PRESET, k, name);
  if (s != SKC_OK)
    editor_status (ed, TRUE, _("Cannot load the preset '%s': %s"), id, skc_status_message (s));
  else
    {
      gtk_entry_set_text (GTK_ENTRY (ed->name_entry), name);
      editor_status (ed, FALSE, _("Loaded the preset '%s'."), name);
    }
  skc_preset_free (p);
  g_free (name);
  g_free (id);
}

static void
row_activated (GtkTreeView *tree, GtkTreePath *path, GtkTreeViewColumn *column,
               EditorDialog *ed)
{
  editor_presets_load_selected (ed);
}

/* @action on the selected preset if it is a user preset; nothing if none
 * is selected or a built-in one is, which cannot be renamed or deleted. */
typedef void (*PresetAction) (EditorDialog *ed, const gchar *id,
                              const gchar *name);

static void
on_user_preset (EditorDialog *ed, PresetAction action)
{
  gboolean builtin = TRUE;
  gchar   *name = NULL;
  gchar   *id = selected_preset (ed, &builtin, &name);

  if (id && !builtin)
    action (ed, id, name);
  g_free (name);
  g_free (id);
}

/* The outcome of a rename or delete: @done (a message, freed here) and
 * the list refreshed with @select_id selected, or @error's message. */
static void
report_change (EditorDialog *ed, gboolean ok, GError **error, gchar *done,
               const gchar *select_id)
{
  if (ok)
    {
      editor_status (ed, FALSE, "%s", done);
      editor_presets_refresh (ed, select_id);
    }
  else
    {
      editor_status (ed, TRUE, "%s", (*error)->message);
      g_clear_error (error);
    }
  g_free (done);
}

static void
rename_preset (EditorDialog *ed, const gchar *id, const gchar *name)
{
  GtkWidget *dlg, *entry, *box;
  GError    *error = NULL;

  dlg = gimp_dialog_new (_("Rename Preset"), PLUG_IN_ROLE "-rename", ed->dialog,
                         GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                         NULL, NULL,
                         _("_Cancel"), GTK_RESPONSE_CANCEL,
                         _("Re_name"), GTK_RESPONSE_OK, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dlg), GTK_RESPONSE_OK);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_container_set_border_width (GTK_CONTAINER (box), 12);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dlg))),
                      box, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), gtk_label_new (_("New name:")), FALSE, FALSE, 0);
  entry = gtk_entry_new ();
  gtk_entry_set_text (GTK_ENTRY (entry), name);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_box_pack_start (GTK_BOX (box), entry, FALSE, FALSE, 0);
  gtk_widget_show_all (box);
  if (gimp_dialog_run (GIMP_DIALOG (dlg)) == GTK_RESPONSE_OK)
    {
      gchar *label = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (entry))));
      gchar *new_id = editor_id_from_name (label);

      if (!new_id)
        editor_status (ed, TRUE, _("Give the preset a name (letters or digits)."));
      else
        report_change (ed, editor_preset_rename (ed->builtin_dir, ed->user_dir,
                                                 id, new_id, label, NULL,
                                                 &error),
                       &error,
                       g_strdup_printf (_("Renamed '%s' to '%s'."), name,
                                        label),
                       new_id);
      g_free (new_id);
      g_free (label);
    }
  gtk_widget_destroy (dlg);
}

static void
delete_preset (EditorDialog *ed, const gchar *id, const gchar *name)
{
  gchar  *q;
  GError *error = NULL;

  q = g_strdup_printf (_("Delete the preset '%s'?"), name);
  if (confirm (ed, q, _("Its kernel image and fitted complexes are deleted too."),
               _("_Delete")))
    report_change (ed, editor_preset_delete (ed->builtin_dir, ed->user_dir, id,
                                             &error),
                   &error, g_strdup_printf (_("Deleted '%s'."), name), NULL);
  g_free (q);
}

static void
rename_clicked (GtkButton *button, EditorDialog *ed)
{
  on_user_preset (ed, rename_preset);
}

static void
delete_clicked (GtkButton *button, EditorDialog *ed)
{
  on_user_preset (ed, delete_preset);
}

static void
load_clicked (GtkButton *button, EditorDialog *ed)
{
  editor_presets_load_selected (ed);
}

GtkWidget *
editor_presets_frame (EditorDialog *ed)
{
  GtkWidget        *box, *row, *scrolled;
  GtkCellRenderer  *cell;
  GtkTreeSelection *sel;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  ed->name_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (ed->name_entry), _("Preset name"));
  gtk_box_pack_start (GTK_BOX (row), ed->name_entry, TRUE, TRUE, 0);
  ed->save_button = editor_control (row, gtk_button_new_with_mnemonic (_("_Save Preset")),
                                    _("Save the kernel, with the levels "
                                      "fitted so far, as a user preset"),
                                    "clicked", G_CALLBACK (save_clicked), ed);
  gtk_box_pack_start (GTK_BOX (box), row, FALSE, FALSE, 0);

  ed->store = gtk_list_store_new (N_COLS, G_TYPE_STRING, G_TYPE_STRING,
                                  G_TYPE_STRING, G_TYPE_BOOLEAN);
  ed->tree = gtk_tree_view_new_with_model (GTK_TREE_MODEL (ed->store));
  g_object_unref (ed->store);
  cell = gtk_cell_renderer_text_new ();
  g_object_set (cell, "ellipsize", PANGO_ELLIPSIZE_END, NULL);
  gtk_tree_view_insert_column_with_attributes (GTK_TREE_VIEW (ed->tree), -1, _("Name"),
                                               cell, "text", COL_NAME, NULL);
  gtk_tree_view_column_set_expand (gtk_tree_view_get_column (GTK_TREE_VIEW (ed->tree), 0),
                                   TRUE);
  cell = gtk_cell_renderer_text_new ();
  g_object_set (cell, "style", PANGO_STYLE_ITALIC, NULL);
  gtk_tree_view_insert_column_with_attributes (GTK_TREE_VIEW (ed->tree), -1, _("Kind"),
                                               cell, "text", COL_KIND, NULL);
  sel = gtk_tree_view_get_selection (GTK_TREE_VIEW (ed->tree));
  g_signal_connect (sel, "changed", G_CALLBACK (selection_changed), ed);
  g_signal_connect (ed->tree, "row-activated", G_CALLBACK (row_activated), ed);
  scrolled = gtk_scrolled_window_new (NULL, NULL);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_shadow_type (GTK_SCROLLED_WINDOW (scrolled), GTK_SHADOW_IN);
  /* an overlay scrollbar would hide the Kind column's end */
  gtk_scrolled_window_set_overlay_scrolling (GTK_SCROLLED_WINDOW (scrolled), FALSE);
  gtk_widget_set_size_request (scrolled, -1, 170);
  gtk_container_add (GTK_CONTAINER (scrolled), ed->tree);
  gtk_box_pack_start (GTK_BOX (box), scrolled, TRUE, TRUE, 0);

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  ed->load_button = gtk_button_new_with_mnemonic (_("L_oad"));
  ed->rename_button = gtk_button_new_with_mnemonic (_("Re_name..."));
  ed->delete_button = gtk_button_new_with_mnemonic (_("_Delete"));
  g_signal_connect (ed->load_button, "clicked", G_CALLBACK (load_clicked), ed);
  g_signal_connect (ed->rename_button, "clicked", G_CALLBACK (rename_clicked), ed);
  g_signal_connect (ed->delete_button, "clicked", G_CALLBACK (delete_clicked), ed);
  gtk_box_pack_start (GTK_BOX (row), ed->load_button, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row), ed->rename_button, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row), ed->delete_button, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), row, FALSE, FALSE, 0);

  editor_presets_refresh (ed, NULL);
  selection_changed (sel, ed);
  return editor_frame_new (_("Presets"), box);
}
