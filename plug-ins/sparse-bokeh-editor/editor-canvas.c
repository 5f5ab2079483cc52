/* The kernel editor's left column: the drawing canvas
 * (ui/skc-kernel-draw.c) with the name of the kernel's source under it,
 * its brush (paint or erase, radius, softness, strength, undo, clear), its
 * symmetry (mirror, n-fold rotation) and the kernel size.
 */
#include <glib/gi18n-lib.h>

#include "skc-kernel-draw.h"

#include "editor-dialog-private.h"

#define DEFAULT_SIZE 49

int
editor_kernel_size (EditorDialog *ed)
{
  return gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (ed->size_spin)) | 1;
}

static void
size_changed (GtkSpinButton *spin, EditorDialog *ed)
{
  int v = gtk_spin_button_get_value_as_int (spin);

  if (!(v & 1))
    {
      gtk_spin_button_set_value (spin, v + 1);   /* kernels are odd */
      return;
    }
  if (!ed->setting)
    editor_source_resized (ed);
}

static void
canvas_changed (SkcKernelDraw *draw, EditorDialog *ed)
{
  if (!ed->setting)
    editor_source_drawn (ed);
}

static void
on_erase (GtkToggleButton *button, EditorDialog *ed)
{
  g_object_set (ed->draw, "tool", gtk_toggle_button_get_active (button)
                                  ? SKC_DRAW_ERASE : SKC_DRAW_PAINT, NULL);
}

static void
on_mirror (GtkComboBox *combo, EditorDialog *ed)
{
  g_object_set (ed->draw, "mirror", gtk_combo_box_get_active (combo), NULL);
}

static void
on_rotational (GtkSpinButton *spin, EditorDialog *ed)
{
  g_object_set (ed->draw, "rotational", gtk_spin_button_get_value_as_int (spin), NULL);
}

static void
on_undo (GtkButton *button, EditorDialog *ed)
{
  skc_kernel_draw_undo (SKC_KERNEL_DRAW (ed->draw));
}

static void
on_clear (GtkButton *button, EditorDialog *ed)
{
  skc_kernel_draw_clear (SKC_KERNEL_DRAW (ed->draw));
}

/* Paint/Erase, Undo and Clear in a row. */
static GtkWidget *
tools_row (EditorDialog *ed)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *paint, *erase, *clear, *undo;

  paint = gtk_radio_button_new_with_mnemonic (NULL, _("_Paint"));
  erase = gtk_radio_button_new_with_mnemonic_from_widget (GTK_RADIO_BUTTON (paint),
                                                           _("_Erase"));
  gtk_toggle_button_set_mode (GTK_TOGGLE_BUTTON (paint), FALSE);
  gtk_toggle_button_set_mode (GTK_TOGGLE_BUTTON (erase), FALSE);
  g_signal_connect (erase, "toggled", G_CALLBACK (on_erase), ed);
  gtk_box_pack_start (GTK_BOX (row), paint, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row), erase, FALSE, FALSE, 0);
  clear = gtk_button_new_with_mnemonic (_("C_lear"));
  undo = gtk_button_new_with_mnemonic (_("_Undo"));
  gtk_widget_set_tooltip_text (undo, _("Undo the last stroke (Ctrl+Z)"));
  g_signal_connect (clear, "clicked", G_CALLBACK (on_clear), ed);
  g_signal_connect (undo, "clicked", G_CALLBACK (on_undo), ed);
  gtk_box_pack_end (GTK_BOX (row), clear, FALSE, FALSE, 0);
  gtk_box_pack_end (GTK_BOX (row), undo, FALSE, FALSE, 0);
  return row;
}

/* A slider bound both ways to the canvas' brush property @prop. */
static GtkWidget *
brush_scale (EditorDialog *ed, const gchar *label, const gchar *prop,
             gdouble value, gdouble lo, gdouble hi, gint digits)
{
  GtkWidget *w = editor_scale_new (label, value, lo, hi, digits);

  g_object_bind_property (ed->draw, prop, w, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  return w;
}

/* Mirror and rotations, and the kernel size. */
static GtkWidget *
symmetry_grid (EditorDialog *ed)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *w;

  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  w = gtk_combo_box_text_new ();
  gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (w), _("No mirror"));
  gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (w), _("Left-right"));
  gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (w), _("Top-bottom"));
  gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (w), _("Both"));
  gtk_combo_box_set_active (GTK_COMBO_BOX (w), 0);
  g_signal_connect (w, "changed", G_CALLBACK (on_mirror), ed);
  ed->mirror_combo = w;
  gtk_grid_attach (GTK_GRID (grid), gtk_label_new (_("Mirror")), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), w, 1, 0, 1, 1);
  w = editor_control (NULL, gtk_spin_button_new_with_range (1, 16, 1),
                      _("n-fold rotational symmetry (1: none)"),
                      "value-changed", G_CALLBACK (on_rotational), ed);
  ed->rotations_spin = w;
  gtk_grid_attach (GTK_GRID (grid), gtk_label_new (_("Rotations")), 2, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), w, 3, 0, 1, 1);
  ed->size_spin = gtk_spin_button_new_with_range (EDITOR_MIN_KERNEL_SIZE,
                                                  EDITOR_MAX_KERNEL_SIZE, 2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ed->size_spin), DEFAULT_SIZE);
  editor_control (NULL, ed->size_spin,
                  _("Side of the kernel that is fitted and saved, in pixels"),
                  "value-changed", G_CALLBACK (size_changed), ed);
  gtk_grid_attach (GTK_GRID (grid), gtk_label_new (_("Kernel size")), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), ed->size_spin, 1, 1, 1, 1);
  return grid;
}

GtkWidget *
editor_canvas_column (EditorDialog *ed)
{
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *w;

  ed->draw = skc_kernel_draw_new (EDITOR_CANVAS_SIZE);
  gtk_widget_set_size_request (ed->draw, 300, 300);
  g_object_set (ed->draw, "brush-radius", 6.0, NULL);
  g_signal_connect (ed->draw, "changed", G_CALLBACK (canvas_changed), ed);
  gtk_box_pack_start (GTK_BOX (box), ed->draw, TRUE, TRUE, 0);
  ed->source_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (ed->source_label), 0.0);
  gimp_label_set_attributes (GTK_LABEL (ed->source_label),
                             PANGO_ATTR_STYLE, PANGO_STYLE_ITALIC, -1);
  gtk_box_pack_start (GTK_BOX (box), ed->source_label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), tools_row (ed), FALSE, FALSE, 0);

  /* Ctrl+wheel on the canvas sets the radius too */
  w = brush_scale (ed, _("Radius"), "brush-radius", 6.0, 0.5, 40.0, 1);
  gimp_help_set_help_data (w, _("Brush radius in canvas pixels (Ctrl+wheel)"), NULL);
  gtk_box_pack_start (GTK_BOX (box), w, FALSE, FALSE, 0);
  w = brush_scale (ed, _("Softness"), "brush-softness", 0.0, 0.0, 1.0, 2);
  gtk_box_pack_start (GTK_BOX (box), w, FALSE, FALSE, 0);
  w = brush_scale (ed, _("Strength"), "brush-strength", 1.0, 0.0, 1.0, 2);
  gtk_box_pack_start (GTK_BOX (box), w, FALSE, FALSE, 0);

  gtk_box_pack_start (GTK_BOX (box), symmetry_grid (ed), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (vbox), editor_frame_new (_("Kernel"), box), TRUE, TRUE, 0);
  return vbox;
}
