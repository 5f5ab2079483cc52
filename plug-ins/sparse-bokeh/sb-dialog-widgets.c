/* The Sparse Bokeh dialog's widgets (sb-dialog-private.h): the procedure
 * dialog filled with its three pages, and the plug-in's own widgets on
 * them: the preset list, the kernel drawing canvas, the mask painter, the
 * kernel view with the fit's progress and Stop, the scales of the
 * variation and the lens, the notes.  Built once per run; the widgets'
 * own callbacks change the config or the drawing, and the dialog
 * (sb-dialog.c) settles.
 */
#include <glib/gi18n-lib.h>

#include "sb-dialog-private.h"
#include "sb-kernel.h"
#include "sb-map.h"
#include "sb-picker.h"
#include "skc-kernel-draw.h"
#include "skc-kernel-view.h"
#include "skc-mask-paint.h"
#include "skc-help.h"
#include "skc-preset.h"

#define THUMB_SIZE    256   /* mask painter and picker thumbnails        */
#define DRAW_SIZE     65    /* kernel drawing canvas, pixels             */
#define SCALE_WIDTH   150   /* the slider of a scale entry, at least     */

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


static void
preset_changed (GtkComboBox *combo, SbDialog *d)
{
  const gchar *id = gtk_combo_box_get_active_id (combo);

  if (id && g_strcmp0 (id, d->params.kernel) != 0)
    g_object_set (d->config, "kernel", id, NULL);
}

/* The combo shows the config's kernel, added as an entry of its own when
 * it is not a preset (a shape name or a file from a script). */
void
sb_dialog_preset_sync (SbDialog *d)
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
preset_box_new (SbDialog *d)
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
  sb_dialog_preset_sync (d);
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
drawn_changed (SkcKernelDraw *draw, SbDialog *d)
{
  d->drawn_dirty = TRUE;
  sb_dialog_settle_later (d);
}

static void
draw_clear (GtkButton *b, SbDialog *d)
{
  skc_kernel_draw_clear (SKC_KERNEL_DRAW (d->draw));
}

static void
draw_undo (GtkButton *b, SbDialog *d)
{
  skc_kernel_draw_undo (SKC_KERNEL_DRAW (d->draw));
}

/* Start the drawing from the kernel shown as the target. */
static void
draw_from_target (GtkButton *b, SbDialog *d)
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
button (const gchar *label, const gchar *tooltip, GCallback cb, SbDialog *d)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_tooltip_text (b, tooltip);
  g_signal_connect (b, "clicked", cb, d);
  return b;
}

static GtkWidget *
draw_box_new (SbDialog *d)
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
painted_changed (SkcMaskPaint *paint, SbDialog *d)
{
  d->painted_dirty = TRUE;
  sb_dialog_settle_later (d);
}

static void
paint_fill (GtkButton *b, SbDialog *d)
{
  skc_mask_paint_fill (SKC_MASK_PAINT (d->paint),
                       GPOINTER_TO_INT (g_object_get_data (G_OBJECT (b),
                                                           "value")) / 100.0f);
}

static void
paint_undo (GtkButton *b, SbDialog *d)
{
  skc_mask_paint_undo (SKC_MASK_PAINT (d->paint));
}

/* Start the mask from the map drawable chosen before. */
static void
paint_from_map (GtkButton *b, SbDialog *d)
{
  SbParams    p = d->params;
  GeglBuffer *buf;
  gint        w = gimp_drawable_get_width (d->drawable);
  gint        h = gimp_drawable_get_height (d->drawable);
  float      *v;

  if (!p.map)
    {
      sb_dialog_set_status (d, _("Choose a map drawable first (Map from: "
                                 "Drawable)."));
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
paint_box_new (SbDialog *d, GdkPixbuf *thumb)
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
fit_box_new (SbDialog *d)
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
                    G_CALLBACK (sb_dialog_stop_clicked), d);
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
pages_new (SbDialog *d, GtkWidget *const page[3])
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
keep_note_new (SbDialog *d)
{
  GimpItem  *item = GIMP_ITEM (d->drawable);

  if (gimp_item_is_group (item))
    {
      gtk_widget_set_sensitive (sb_dialog_prop_widget (d, "keep-filter"),
                                FALSE);
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
word_combo_add (SbDialog *d, const gchar *argument, GtkWidget *box,
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

void
sb_dialog_build (SbDialog *d, GimpProcedure *procedure)
{
  GimpProcedureDialog *dlg;
  GdkPixbuf           *thumb;
  GtkWidget           *box, *w, *page[3];

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
        GtkWidget *check = gimp_procedure_dialog_get_widget (dlg, checks[i],
                                                             G_TYPE_NONE);

        gtk_box_pack_start (GTK_BOX (box), check, FALSE, FALSE, 0);
        gtk_box_reorder_child (GTK_BOX (box), check, at + 1 + (gint) i);
        gtk_widget_show (check);
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
}

