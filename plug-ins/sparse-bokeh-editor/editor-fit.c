/* The kernel editor's Fit frame: a table of the quality levels with their
 * errors and times, Fit All Levels and Cancel, and the progress bar.  The
 * fitting is an EditorFitJob (editor-fit-job.c); its results belong to
 * the kernel generation it started for and are dropped once that passes.
 */
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "editor-dialog-private.h"

static gchar *
psnr_text (double psnr)
{
  if (isnan (psnr))
    return g_strdup ("–");
  if (!isfinite (psnr))
    return g_strdup ("∞");
  return g_strdup_printf (_("%.1f dB"), psnr);
}

void
editor_fit_table_update (EditorDialog *ed)
{
  for (int l = 0; l < EDITOR_N_LEVELS; l++)
    {
      const EditorFit *f = &ed->fits[l];
      gchar           *text[N_CELLS];

      text[CELL_TAPS] = g_strdup_printf ("%d", skc_quality_levels[l].samples
                                               * skc_quality_levels[l].layers);
      if (f->complex && ed->fits_gen == ed->kernel_gen)
        {
          text[CELL_KERNEL] = psnr_text (f->kernel_psnr);
          text[CELL_PHOTO] = psnr_text (f->photo_psnr);
          text[CELL_SCENE] = psnr_text (f->scene_psnr);
          text[CELL_TIME] = f->cache_hit ? g_strdup (_("cached"))
                            : g_strdup_printf (_("%.2f s"), f->seconds);
        }
      else
        {
          text[CELL_KERNEL] = g_strdup ("–");
          text[CELL_PHOTO] = g_strdup ("–");
          text[CELL_SCENE] = g_strdup ("–");
          text[CELL_TIME] = g_strdup ("–");
        }
      for (int c = 0; c < N_CELLS; c++)
        {
          gtk_label_set_text (GTK_LABEL (ed->cells[l][c]), text[c]);
          g_free (text[c]);
        }
    }
}

void
editor_fits_clear (EditorDialog *ed)
{
  for (int l = 0; l < EDITOR_N_LEVELS; l++)
    editor_fit_clear (&ed->fits[l]);
}

/* ---------------------------------------------------------------- the job */

static void
job_progress (int level, double fraction, gpointer data)
{
  EditorDialog *ed = data;
  gchar        *text = g_strdup_printf (_("Fitting %s (%d x %d)..."),
                                        _(skc_quality_levels[level].label),
                                        skc_quality_levels[level].samples,
                                        skc_quality_levels[level].layers);

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (ed->progress), fraction);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (ed->progress), text);
  g_free (text);
}

static void
job_level_done (int level, SkcStatus status, EditorFit *fit, gpointer data)
{
  EditorDialog *ed = data;

  if (status != SKC_OK && status != SKC_ERR_CANCELLED)
    editor_status (ed, TRUE, _("Fitting %s failed: %s"),
                   _(skc_quality_levels[level].label), skc_status_message (status));
  if (status != SKC_OK || ed->job_gen != ed->kernel_gen)
    return;   /* the kernel changed meanwhile: the fit is dropped */
  editor_fit_clear (&ed->fits[level]);
  ed->fits[level] = *fit;
  memset (fit, 0, sizeof *fit);
  ed->fits_gen = ed->job_gen;
  editor_fit_table_update (ed);
  if (gtk_combo_box_get_active (GTK_COMBO_BOX (ed->show_combo)) - 1 == level)
    editor_preview_schedule (ed);
}

static void
job_done (gboolean cancelled, gpointer data)
{
  EditorDialog *ed = data;

  ed->job = NULL;
  gtk_widget_set_sensitive (ed->fit_button, TRUE);
  gtk_widget_set_sensitive (ed->cancel_button, FALSE);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (ed->progress),
                                 cancelled ? 0.0 : 1.0);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (ed->progress),
                             cancelled ? _("Cancelled") : _("Done"));
  editor_test_fit_done (ed->test, cancelled);
}

void
editor_fit_start (EditorDialog *ed)
{
  SkcKernel   *target = editor_target (ed);
  EditorPlanes planes = { 0 };

  if (ed->job)
    return;
  if (!target)
    {
      editor_status (ed, TRUE, _("The kernel is empty: draw or load one first."));
      return;
    }
  editor_fits_clear (ed);
  editor_fit_table_update (ed);
  /* the photo stays the dialog's: editor_fit_stop waits for the job */
  planes.photo = ed->photo;
  planes.photo_width = ed->photo_width;
  planes.photo_height = ed->photo_height;
  planes.scene = ed->scene_lum;
  planes.scene_width = ed->scene->width;
  planes.scene_height = ed->scene->height;
  gtk_widget_set_sensitive (ed->fit_button, FALSE);
  gtk_widget_set_sensitive (ed->cancel_button, TRUE);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (ed->progress), 0.0);
  ed->job_gen = ed->kernel_gen;
  ed->job = editor_fit_job_start (ed->cache, target, &planes, job_progress,
                                  job_level_done, job_done, ed);
}

void
editor_fit_cancel (EditorDialog *ed)
{
  if (ed->job)
    editor_fit_job_cancel (ed->job);
}

void
editor_fit_stop (EditorDialog *ed)
{
  editor_fit_cancel (ed);
  while (ed->job)
    g_main_context_iteration (NULL, TRUE);
}

static void
fit_clicked (GtkButton *button, EditorDialog *ed)
{
  editor_fit_start (ed);
}

static void
cancel_clicked (GtkButton *button, EditorDialog *ed)
{
  editor_fit_cancel (ed);
}

/* ---------------------------------------------------------------- layout */

GtkWidget *
editor_fit_frame (EditorDialog *ed)
{
  GtkWidget   *box, *grid, *row, *note;
  const gchar *heads[] = { _("Level"), _("Taps"), _("Kernel"),
                           _("Photo"), _("Lights"), _("Time") };
  /* What each PSNR measures: the three differ widely for the same fit. */
  const gchar *tips[] = {
    _("The quality level: taps per layer x layers"),
    _("Taps per pixel: the work of the blur"),
    _("One isolated point light at full brightness: the fitted complex's "
      "impulse response against the kernel, the kernel's peak as the peak. "
      "The taps show there as grain, so this reads low (12-24 dB) even for "
      "a fit that is invisible on photos"),
    _("The sample photo blurred by the complex and by the exact kernel, in "
      "linear light (peak 1): what ordinary pictures see.  Above about "
      "50 dB no difference shows"),
    _("The preview's night scene of point lights, blurred both ways: the "
      "grain of the Kernel column on many lights at once, the hardest case"),
    _("Time of the fit (or of the cache look-up)") };

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 3);
  for (int c = 0; c < N_CELLS + 1; c++)
    {
      GtkWidget *l = gtk_label_new (heads[c]);

      gimp_label_set_attributes (GTK_LABEL (l), PANGO_ATTR_WEIGHT, PANGO_WEIGHT_BOLD, -1);
      gtk_label_set_xalign (GTK_LABEL (l), c ? 1.0 : 0.0);
      gimp_help_set_help_data (l, tips[c], NULL);
      gtk_grid_attach (GTK_GRID (grid), l, c, 0, 1, 1);
    }
  for (int l = 0; l < EDITOR_N_LEVELS; l++)
    {
      gchar     *t = skc_quality_label (l);
      GtkWidget *name = gtk_label_new (t);

      g_free (t);
      t = skc_quality_help (l);
      gimp_help_set_help_data (name, t, NULL);
      g_free (t);
      gtk_label_set_xalign (GTK_LABEL (name), 0.0);
      gtk_grid_attach (GTK_GRID (grid), name, 0, l + 1, 1, 1);
      for (int c = 0; c < N_CELLS; c++)
        {
          ed->cells[l][c] = gtk_label_new ("–");
          gtk_label_set_xalign (GTK_LABEL (ed->cells[l][c]), 1.0);
          gtk_grid_attach (GTK_GRID (grid), ed->cells[l][c], c + 1, l + 1, 1, 1);
        }
    }
  gtk_box_pack_start (GTK_BOX (box), grid, FALSE, FALSE, 0);
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  ed->fit_button = editor_control (row, gtk_button_new_with_mnemonic (_("_Fit All Levels")),
                                   _("Fit the kernel at every quality level (results are "
                                     "cached: a kernel fitted before comes back at once)"),
                                   "clicked", G_CALLBACK (fit_clicked), ed);
  ed->cancel_button = gtk_button_new_with_mnemonic (_("C_ancel"));
  gtk_widget_set_sensitive (ed->cancel_button, FALSE);
  g_signal_connect (ed->cancel_button, "clicked", G_CALLBACK (cancel_clicked), ed);
  gtk_box_pack_start (GTK_BOX (row), ed->cancel_button, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), row, FALSE, FALSE, 0);
  ed->progress = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (ed->progress), TRUE);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (ed->progress), _("Not fitted"));
  gtk_box_pack_start (GTK_BOX (box), ed->progress, FALSE, FALSE, 0);
  note = gtk_label_new (_("PSNR against the exact kernel.  Photo: "
                          "a photo blurred both ways, what most "
                          "pictures see (above 50 dB no difference "
                          "shows).  Kernel: one isolated point light, "
                          "where the taps show as grain (low by "
                          "nature).  Lights: the preview's point "
                          "lights, the hardest case."));
  gtk_label_set_line_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (note), 40);
  gtk_label_set_xalign (GTK_LABEL (note), 0.0);
  gimp_label_set_attributes (GTK_LABEL (note), PANGO_ATTR_SCALE, PANGO_SCALE_SMALL, -1);
  gtk_box_pack_start (GTK_BOX (box), note, FALSE, FALSE, 0);
  return editor_frame_new (_("Fit"), box);
}
