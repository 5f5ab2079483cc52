/* Where the kernel editor's kernel comes from, and the target it makes.
 *
 * The sources: a procedural shape (with its blades, curvature, rotation
 * and inner radius), a kernel image file, a GIMP brush, a preset, or the
 * canvas drawn by hand.  While the canvas shows a source untouched, the
 * target is that source's exact kernel (a shape rendered at the kernel
 * size, a file or brush at its own size); once the user draws, it is the
 * canvas resampled to the kernel size.  Except for procedural shapes
 * (saved by their parameters) it is rounded as the preset's 16-bit PNG
 * will hold it, so the fitted complexes match the saved kernel exactly.
 */
#include <math.h>

#include <glib/gi18n-lib.h>

#include "skc-kernel-draw.h"

#include "editor-dialog-private.h"

void
editor_source_label_update (EditorDialog *ed)
{
  gchar *text = NULL;

  switch (ed->source)
    {
    case SOURCE_DRAWN:
      text = g_strdup (_("Drawn by hand"));
      break;
    case SOURCE_SHAPE:
      text = g_strdup_printf (_("Procedural: %s"),
                              gtk_combo_box_text_get_active_text
                                (GTK_COMBO_BOX_TEXT (ed->shape_combo)));
      break;
    case SOURCE_FILE:
      text = g_strdup_printf (_("File: %s"), ed->source_name);
      break;
    case SOURCE_BRUSH:
      text = g_strdup_printf (_("Brush: %s"), ed->source_name);
      break;
    case SOURCE_PRESET:
      text = g_strdup_printf (_("Preset: %s"), ed->source_name);
      break;
    }
  gtk_label_set_text (GTK_LABEL (ed->source_label), text);
  g_free (text);
}

/* ---------------------------------------------------------------- target */

SkcKernel *
editor_target (EditorDialog *ed)
{
  SkcKernel *k;

  if (ed->target_gen == ed->kernel_gen)
    return ed->target;
  g_clear_pointer (&ed->target, skc_kernel_free);
  g_clear_pointer (&ed->scene, editor_scene_free);
  g_clear_pointer (&ed->scene_lum, g_free);
  g_clear_pointer (&ed->exact, editor_scene_free);
  ed->target_gen = ed->kernel_gen;

  if (ed->source_kernel && ed->source == SOURCE_SHAPE)
    skc_kernel_copy (ed->source_kernel, &ed->target);
  else if (ed->source_kernel)
    ed->target = editor_kernel_quantize (ed->source_kernel);
  else
    {
      k = skc_kernel_draw_get_kernel (SKC_KERNEL_DRAW (ed->draw),
                                      editor_kernel_size (ed));
      ed->target = editor_kernel_quantize (k);
      skc_kernel_free (k);
    }
  if (ed->target)
    {
      ed->scene = editor_scene_new (ed->target);
      ed->scene_lum = editor_scene_luminance (ed->scene);
    }
  return ed->target;
}

void
editor_source_set (EditorDialog *ed, EditorSource source, SkcKernel *kernel,
                   const gchar *name)
{
  ed->setting = TRUE;
  skc_kernel_draw_set_kernel (SKC_KERNEL_DRAW (ed->draw), kernel);
  ed->setting = FALSE;
  skc_kernel_free (ed->source_kernel);
  ed->source_kernel = kernel;
  ed->source = source;
  g_free (ed->source_name);
  ed->source_name = g_strdup (name);
  /* the kernel size follows a file's or preset's own size */
  if (source == SOURCE_FILE || source == SOURCE_PRESET)
    {
      int s = MAX (kernel->width, kernel->height);

      ed->setting = TRUE;
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (ed->size_spin),
                                 MIN (s, EDITOR_MAX_KERNEL_SIZE));
      ed->setting = FALSE;
      if (s > EDITOR_MAX_KERNEL_SIZE)
        {
          /* too large to keep exactly: the canvas resamples it */
          g_clear_pointer (&ed->source_kernel, skc_kernel_free);
          editor_status (ed, FALSE, _("The kernel is %d px; it is scaled to %d px."),
                         s, EDITOR_MAX_KERNEL_SIZE);
        }
    }
  editor_source_label_update (ed);
  editor_kernel_changed (ed);
}

/* A source's exact kernel gives way to the canvas. */
static void
source_forget (EditorDialog *ed)
{
  if (ed->source != SOURCE_DRAWN || ed->source_kernel)
    {
      g_clear_pointer (&ed->source_kernel, skc_kernel_free);
      ed->source = SOURCE_DRAWN;
      editor_source_label_update (ed);
    }
}

void
editor_source_drawn (EditorDialog *ed)
{
  source_forget (ed);
  editor_kernel_changed (ed);
}

static void brush_load (EditorDialog *ed);

void
editor_source_resized (EditorDialog *ed)
{
  if (ed->source == SOURCE_SHAPE && ed->source_kernel)
    editor_shape_apply (ed);
  else if (ed->source == SOURCE_BRUSH && ed->source_kernel)
    brush_load (ed);
  else
    {
      /* a file's or preset's exact kernel gives way to the canvas */
      if (ed->source_kernel)
        source_forget (ed);
      editor_kernel_changed (ed);
    }
}

/* ---------------------------------------------------------------- shapes */

void
editor_shape_apply (EditorDialog *ed)
{
  SkcShapeParams sp;
  SkcKernel     *k = NULL;
  const gchar   *name;
  SkcShapeType   type;

  if (ed->setting)
    return;
  name = gtk_combo_box_get_active_id (GTK_COMBO_BOX (ed->shape_combo));
  if (!name || skc_shape_params_from_name (name, &sp) != SKC_OK)
    return;
  type = sp.type;
  sp.blades = (int) gimp_label_spin_get_value (GIMP_LABEL_SPIN (ed->blades));
  sp.curvature = (float) gimp_label_spin_get_value (GIMP_LABEL_SPIN (ed->curvature));
  sp.rotation_deg =
    (float) gimp_label_spin_get_value (GIMP_LABEL_SPIN (ed->rotation));
  sp.inner = (float) CLAMP (gimp_label_spin_get_value (GIMP_LABEL_SPIN (ed->inner)),
                            0.05, 0.95);
  sp.side_px = editor_kernel_size (ed);
  sp.sigma = sp.side_px / 7.0f;
  gtk_widget_set_sensitive (ed->blades, type == SKC_SHAPE_POLYGON || type == SKC_SHAPE_STAR);
  gtk_widget_set_sensitive (ed->curvature, type == SKC_SHAPE_POLYGON);
  gtk_widget_set_sensitive (ed->inner, type == SKC_SHAPE_RING || type == SKC_SHAPE_STAR);
  if (skc_shape_render (&sp, &k) != SKC_OK)
    {
      editor_status (ed, TRUE, _("Cannot render this shape."));
      return;
    }
  ed->shape = sp;
  editor_source_set (ed, SOURCE_SHAPE, k, NULL);
}

void
editor_shape_controls_set (EditorDialog *ed, const SkcShapeParams *sp)
{
  ed->setting = TRUE;
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (ed->shape_combo), skc_shape_name (sp->type));
  gimp_label_spin_set_value (GIMP_LABEL_SPIN (ed->blades), sp->blades);
  gimp_label_spin_set_value (GIMP_LABEL_SPIN (ed->curvature), sp->curvature);
  gimp_label_spin_set_value (GIMP_LABEL_SPIN (ed->rotation),
                             fmod (sp->rotation_deg, 360.0));
  gimp_label_spin_set_value (GIMP_LABEL_SPIN (ed->inner), sp->inner);
  ed->setting = FALSE;
}

static void
on_shape_param (GtkWidget *widget, EditorDialog *ed)
{
  editor_shape_apply (ed);
}

/* A new shape starts from its own inner radius (a star's points are
 * thinner than a ring), keeping blades, curvature and rotation. */
static void
on_shape_changed (GtkComboBox *combo, EditorDialog *ed)
{
  SkcShapeParams sp;
  const gchar   *name = gtk_combo_box_get_active_id (combo);

  if (ed->setting || !name || skc_shape_params_from_name (name, &sp) != SKC_OK)
    return;
  ed->setting = TRUE;
  gimp_label_spin_set_value (GIMP_LABEL_SPIN (ed->inner), sp.inner);
  ed->setting = FALSE;
  editor_shape_apply (ed);
}

/* ---------------------------------------------------------------- files */

static void
file_set (GtkFileChooserButton *button, EditorDialog *ed)
{
  gchar     *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (button));
  SkcKernel *k;
  GError    *error = NULL;

  if (!path)
    return;
  /* checked by the core: size from the header, finite values */
  k = skc_kernel_load_file (path, &error);
  if (!k && (error->code == SKC_ERR_TOO_LARGE || error->code == SKC_ERR_INVALID))
    editor_status (ed, TRUE, "%s", error->message);
  else if (!k)
    editor_status (ed, TRUE, _("Cannot use '%s' as a kernel: %s"),
                   gimp_filename_to_utf8 (path),
                   error->code == SKC_ERR_EMPTY ? _("it is empty (all black)")
                   : skc_status_message (error->code));
  else
    {
      gchar *base = g_filename_display_basename (path);

      editor_source_set (ed, SOURCE_FILE, k, base);
      editor_status (ed, FALSE, _("Loaded %s (%d x %d)."), base, k->width, k->height);
      g_free (base);
    }
  g_clear_error (&error);
  g_free (path);
}

/* ---------------------------------------------------------------- brushes */

static void
brush_load (EditorDialog *ed)
{
  GError    *error = NULL;
  SkcKernel *k;

  if (!ed->brush)
    return;
  k = editor_brush_kernel (ed->brush, editor_kernel_size (ed), &error);
  if (!k)
    {
      editor_status (ed, TRUE, "%s", error->message);
      g_error_free (error);
      return;
    }
  editor_source_set (ed, SOURCE_BRUSH, k,
                     gimp_resource_get_name (GIMP_RESOURCE (ed->brush)));
}

void
editor_brush_choose (EditorDialog *ed, GimpBrush *brush)
{
  g_set_object (&ed->brush, brush);
  brush_load (ed);
}

static void
brush_set (GimpResourceChooser *chooser, GimpResource *resource,
           gboolean dialog_closing, EditorDialog *ed)
{
  if (GIMP_IS_BRUSH (resource))
    editor_brush_choose (ed, GIMP_BRUSH (resource));
}

/* ---------------------------------------------------------------- layout */

static GtkWidget *
shape_page (EditorDialog *ed)
{
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  static const struct { const char *id; const char *label; } shapes[] = {
    { "polygon",  N_("Iris (polygon)") }, { "disk",     N_("Disk") },
    { "ring",     N_("Ring") },           { "star",     N_("Star") },
    { "heart",    N_("Heart") },          { "gaussian", N_("Gaussian") },
    { "coma",     N_("Coma") },           { "catseye",  N_("Cat's eye") },
  };

  gtk_container_set_border_width (GTK_CONTAINER (page), 6);
  ed->shape_combo = gtk_combo_box_text_new ();
  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (ed->shape_combo), shapes[i].id,
                               _(shapes[i].label));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (ed->shape_combo), "polygon");
  g_signal_connect (ed->shape_combo, "changed", G_CALLBACK (on_shape_changed), ed);
  gtk_box_pack_start (GTK_BOX (page), ed->shape_combo, FALSE, FALSE, 0);
  ed->blades = editor_scale_new (_("Blades"), 6, 3, 12, 0);
  ed->curvature = editor_scale_new (_("Curvature"), 0.35, 0.0, 1.0, 2);
  ed->rotation = editor_scale_new (_("Rotation"), 0.0, -180.0, 180.0, 1);
  /* 0..1: GIMP 3.0.4's spin estimates its page increment as 1 for
   * ranges under 1 wide and then rejects it */
  ed->inner = editor_scale_new (_("Inner"), 0.7, 0.0, 1.0, 2);
  for (GtkWidget **p = (GtkWidget *[]) { ed->blades, ed->curvature, ed->rotation,
                                         ed->inner, NULL }; *p; p++)
    {
      g_signal_connect (*p, "value-changed", G_CALLBACK (on_shape_param), ed);
      gtk_box_pack_start (GTK_BOX (page), *p, FALSE, FALSE, 0);
    }
  return page;
}

/* A page of @chooser with an explanation under it. */
/* A notebook page @title holding @chooser above a wrapped @note. */
static void
append_chooser_page (GtkWidget *notebook, const gchar *title,
                     GtkWidget *chooser, const gchar *note)
{
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (note);

  gtk_container_set_border_width (GTK_CONTAINER (page), 6);
  gtk_box_pack_start (GTK_BOX (page), chooser, FALSE, FALSE, 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_box_pack_start (GTK_BOX (page), label, FALSE, FALSE, 0);
  gtk_notebook_append_page (GTK_NOTEBOOK (notebook), page,
                            gtk_label_new (title));
}

GtkWidget *
editor_source_frame (EditorDialog *ed)
{
  GtkWidget     *notebook = gtk_notebook_new ();
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_notebook_append_page (GTK_NOTEBOOK (notebook), shape_page (ed),
                            gtk_label_new (_("Shape")));

  ed->file_button = gtk_file_chooser_button_new (_("Open Kernel Image"),
                                                 GTK_FILE_CHOOSER_ACTION_OPEN);
  gtk_file_filter_set_name (filter, _("Kernel images (PNG, PFM)"));
  gtk_file_filter_add_pattern (filter, "*.png");
  gtk_file_filter_add_pattern (filter, "*.PNG");
  gtk_file_filter_add_pattern (filter, "*.pfm");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (ed->file_button), filter);
  g_signal_connect (ed->file_button, "file-set", G_CALLBACK (file_set), ed);
  append_chooser_page (notebook, _("File"), ed->file_button,
                       _("A gray PNG (8 or 16 bit) or PFM. Values are weights: "
                         "white lets light through, black blocks it."));

  ed->brush_chooser = gimp_brush_chooser_new (_("Kernel Brush"), _("Brush"), NULL);
  g_signal_connect (ed->brush_chooser, "resource-set", G_CALLBACK (brush_set), ed);
  append_chooser_page (notebook, _("Brush"), ed->brush_chooser,
                       _("The brush's mask becomes the kernel, scaled to the "
                         "kernel size."));
  return editor_frame_new (_("Source"), notebook);
}
