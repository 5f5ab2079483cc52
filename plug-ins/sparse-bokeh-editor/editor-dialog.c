/* The kernel editor's dialog.
 *
 *   left    the drawing canvas (ui/skc-kernel-draw.c) with its brush and
 *           symmetry controls, the kernel size, and the kernel's sources:
 *           a procedural shape, an image file, a GIMP brush
 *   middle  the kernel's bokeh on a night scene of point lights
 *           (editor-scene.c), exact or through a fitted level
 *   right   fitting at every quality level, with progress, Cancel and a
 *           table of errors; the presets: save, load, rename, delete
 *
 * The target kernel.  While the canvas shows a source untouched, the
 * target is that source's exact kernel (a shape rendered at the kernel
 * size, a file or brush at its own size); once the user draws, it is the
 * canvas resampled to the kernel size.  Except for procedural shapes
 * (saved by their parameters) it is rounded as the preset's 16-bit PNG
 * will hold it, so the fitted complexes match the saved kernel exactly.
 * Every change bumps kernel_gen; fits, the scene and the preview belong
 * to one generation and are dropped when it passes.
 *
 * Fitting runs in a GThread (FitJob).  The core's progress callback
 * stores the fraction and, at most one at a time, queues an idle that
 * shows it; cancelling is the callback's non-zero return.  Results come
 * back to the main thread through idles holding a reference on the job;
 * the job forgets the dialog (job->ed = NULL) when the dialog goes, so a
 * late idle touches nothing.  The dialog joins the thread before it is
 * freed.
 *
 * Test hook: with SKC_EDITOR_TEST_SCREENSHOT=FILE.png set, the dialog
 * presses Help, draws a snowflake with the symmetry tools once it is
 * shown, fits every level, shows the normal fit, saves the preset named by
 * SKC_EDITOR_TEST_PRESET (if set) through its Save button, writes a
 * screenshot of itself and closes (after 120 s at the latest).
 */
#include <math.h>
#include <string.h>

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>

#include "skc.h"
#include "skc-cache.h"
#include "skc-preset.h"
#include "skc-help.h"
#include "skc-kernel-draw.h"

#include "editor-dialog.h"
#include "editor-scene.h"
#include "editor-store.h"

#define CANVAS_SIZE     EDITOR_MAX_KERNEL_SIZE
#define PREVIEW_WIDTH   380
#define PREVIEW_HEIGHT  266
#define DIFF_GAIN       8.0f

typedef enum
{
  SOURCE_DRAWN,
  SOURCE_SHAPE,
  SOURCE_FILE,
  SOURCE_BRUSH,
  SOURCE_PRESET
} Source;

enum
{
  COL_NAME,
  COL_ID,
  COL_KIND,
  COL_BUILTIN,
  N_COLS
};

enum
{
  CELL_TAPS,
  CELL_KERNEL,
  CELL_PHOTO,
  CELL_SCENE,
  CELL_TIME,
  N_CELLS
};

typedef struct _FitJob FitJob;

typedef struct
{
  GtkWidget      *dialog;
  gchar          *user_dir;
  gchar          *builtin_dir;
  SkcCache       *cache;
  float          *photo;           /* the sample photo's luminance, or NULL */
  int             photo_width, photo_height;

  /* kernel */
  GtkWidget      *draw;
  GtkWidget      *mirror_combo;
  GtkWidget      *rotations_spin;
  GtkWidget      *size_spin;
  GtkWidget      *source_label;
  GtkWidget      *shape_combo;
  GtkWidget      *blades;
  GtkWidget      *curvature;
  GtkWidget      *rotation;
  GtkWidget      *inner;
  GtkWidget      *file_button;
  GtkWidget      *brush_chooser;

  Source          source;
  SkcKernel      *source_kernel;   /* exact kernel while untouched       */
  SkcShapeParams  shape;           /* SOURCE_SHAPE's parameters          */
  gchar          *source_name;     /* file, brush or preset name         */
  GimpBrush      *brush;
  gboolean        setting;         /* the editor changes its own widgets */

  guint           kernel_gen;
  SkcKernel      *target;
  guint           target_gen;
  EditorScene    *scene;           /* for target_gen                     */
  float          *scene_lum;
  EditorScene    *exact;           /* the scene blurred by the target    */

  /* preview */
  GtkWidget      *preview;
  GtkWidget      *show_combo;
  GtkWidget      *diff_check;
  GtkWidget      *preview_note;
  GdkPixbuf      *preview_pixbuf;
  guint           preview_timeout;

  /* fit */
  GtkWidget      *fit_button;
  GtkWidget      *cancel_button;
  GtkWidget      *progress;
  GtkWidget      *cells[EDITOR_N_LEVELS][N_CELLS];
  EditorFit       fits[EDITOR_N_LEVELS];
  guint           fits_gen;
  FitJob         *job;

  /* presets */
  GtkWidget      *name_entry;
  GtkListStore   *store;
  GtkWidget      *tree;
  GtkWidget      *load_button;
  GtkWidget      *rename_button;
  GtkWidget      *delete_button;
  GtkWidget      *status;

  /* test hook */
  gchar          *test_shot;
  gchar          *test_preset;
  guint           test_sources[3];  /* start, shoot, time-out */
} EditorDialog;

struct _FitJob
{
  EditorDialog *ed;          /* main thread only; NULL once it is gone */
  GThread      *thread;
  SkcCache     *cache;
  SkcKernel    *target;
  EditorPlanes  planes;      /* the photo is the dialog's, the scene ours */
  float        *scene;
  guint         gen;
  gint          cancel;      /* atomic */
  gint          permille;    /* atomic: overall progress               */
  gint          level;       /* atomic: the level being fitted         */
  gint          pending;     /* atomic: a progress idle is queued      */
};

typedef struct
{
  FitJob   *job;
  int       level;
  SkcStatus status;
  EditorFit fit;
} LevelDone;

static void     kernel_changed   (EditorDialog *ed);
static void     preview_schedule (EditorDialog *ed);
static void     presets_refresh  (EditorDialog *ed,
                                  const gchar  *select_id);
static void     fit_start        (EditorDialog *ed);
static gboolean test_shoot       (gpointer      data);

/* ---------------------------------------------------------------- status */

static void
set_status (EditorDialog *ed, gboolean is_error, const gchar *format, ...)
  G_GNUC_PRINTF (3, 4);

static void
set_status (EditorDialog *ed, gboolean is_error, const gchar *format, ...)
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

static void
update_source_label (EditorDialog *ed)
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

static int
kernel_size (EditorDialog *ed)
{
  return gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (ed->size_spin)) | 1;
}

/* The kernel to fit, save and preview, for the current generation; NULL
 * when the canvas is empty. */
static SkcKernel *
target_get (EditorDialog *ed)
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
      k = skc_kernel_draw_get_kernel (SKC_KERNEL_DRAW (ed->draw), kernel_size (ed));
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

/* Show @kernel on the canvas as the exact source @source (takes it). */
static void
set_source (EditorDialog *ed, Source source, SkcKernel *kernel, const gchar *name)
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
          set_status (ed, FALSE, _("The kernel is %d px; it is scaled to %d px."),
                      s, EDITOR_MAX_KERNEL_SIZE);
        }
    }
  update_source_label (ed);
  kernel_changed (ed);
}

/* ---------------------------------------------------------------- sources */

static void
shape_apply (EditorDialog *ed)
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
  sp.side_px = kernel_size (ed);
  sp.sigma = sp.side_px / 7.0f;
  gtk_widget_set_sensitive (ed->blades, type == SKC_SHAPE_POLYGON || type == SKC_SHAPE_STAR);
  gtk_widget_set_sensitive (ed->curvature, type == SKC_SHAPE_POLYGON);
  gtk_widget_set_sensitive (ed->inner, type == SKC_SHAPE_RING || type == SKC_SHAPE_STAR);
  if (skc_shape_render (&sp, &k) != SKC_OK)
    {
      set_status (ed, TRUE, _("Cannot render this shape."));
      return;
    }
  ed->shape = sp;
  set_source (ed, SOURCE_SHAPE, k, NULL);
}

/* Set the shape controls (not applying them). */
static void
shape_controls_set (EditorDialog *ed, const SkcShapeParams *sp)
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
file_set (GtkFileChooserButton *button, EditorDialog *ed)
{
  gchar     *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (button));
  SkcKernel *k = NULL;
  SkcStatus  s;
  char       msg[512] = "";

  if (!path)
    return;
  /* checked by the core: size from the header, finite values */
  s = skc_kernel_load (path, &k, msg, sizeof msg);
  if (s == SKC_ERR_TOO_LARGE || s == SKC_ERR_INVALID)
    set_status (ed, TRUE, "%s", msg);
  else if (s != SKC_OK)
    set_status (ed, TRUE, _("Cannot use '%s' as a kernel: %s"),
                gimp_filename_to_utf8 (path),
                s == SKC_ERR_EMPTY ? _("it is empty (all black)") : skc_status_string (s));
  else
    {
      gchar *base = g_filename_display_basename (path);

      set_source (ed, SOURCE_FILE, k, base);
      set_status (ed, FALSE, _("Loaded %s (%d x %d)."), base, k->width, k->height);
      g_free (base);
    }
  g_free (path);
}

static void
brush_load (EditorDialog *ed)
{
  GError    *error = NULL;
  SkcKernel *k;

  if (!ed->brush)
    return;
  k = editor_brush_kernel (ed->brush, kernel_size (ed), &error);
  if (!k)
    {
      set_status (ed, TRUE, "%s", error->message);
      g_error_free (error);
      return;
    }
  set_source (ed, SOURCE_BRUSH, k,
              gimp_resource_get_name (GIMP_RESOURCE (ed->brush)));
}

static void
brush_set (GimpResourceChooser *chooser, GimpResource *resource,
           gboolean dialog_closing, EditorDialog *ed)
{
  if (!GIMP_IS_BRUSH (resource))
    return;
  g_set_object (&ed->brush, GIMP_BRUSH (resource));
  brush_load (ed);
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
  if (ed->setting)
    return;
  if (ed->source == SOURCE_SHAPE && ed->source_kernel)
    shape_apply (ed);
  else if (ed->source == SOURCE_BRUSH && ed->source_kernel)
    brush_load (ed);
  else
    {
      /* a file's or preset's exact kernel gives way to the canvas */
      if (ed->source_kernel)
        {
          g_clear_pointer (&ed->source_kernel, skc_kernel_free);
          ed->source = SOURCE_DRAWN;
          update_source_label (ed);
        }
      kernel_changed (ed);
    }
}

static void
canvas_changed (SkcKernelDraw *draw, EditorDialog *ed)
{
  if (ed->setting)
    return;
  if (ed->source != SOURCE_DRAWN || ed->source_kernel)
    {
      g_clear_pointer (&ed->source_kernel, skc_kernel_free);
      ed->source = SOURCE_DRAWN;
      update_source_label (ed);
    }
  kernel_changed (ed);
}

/* ---------------------------------------------------------------- table */

static gchar *
psnr_text (double psnr)
{
  if (isnan (psnr))
    return g_strdup ("–");
  if (!isfinite (psnr))
    return g_strdup ("∞");
  return g_strdup_printf (_("%.1f dB"), psnr);
}

static void
table_update (EditorDialog *ed)
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

/* ---------------------------------------------------------------- kernel */

static void
fits_clear (EditorDialog *ed)
{
  for (int l = 0; l < EDITOR_N_LEVELS; l++)
    editor_fit_clear (&ed->fits[l]);
}

static void
kernel_changed (EditorDialog *ed)
{
  ed->kernel_gen++;
  if (ed->job)
    g_atomic_int_set (&ed->job->cancel, 1);
  fits_clear (ed);
  table_update (ed);
  preview_schedule (ed);
}

/* ---------------------------------------------------------------- preview */

static gboolean
preview_render (gpointer data)
{
  EditorDialog *ed = data;
  SkcKernel    *target;
  EditorScene  *shown = NULL, *fitted = NULL;
  int           level = gtk_combo_box_get_active (GTK_COMBO_BOX (ed->show_combo)) - 1;
  gboolean      diff = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (ed->diff_check));
  const gchar  *note = "";

  ed->preview_timeout = 0;
  g_clear_object (&ed->preview_pixbuf);
  target = target_get (ed);
  if (!target || !ed->scene)
    {
      gtk_label_set_text (GTK_LABEL (ed->preview_note), _("Draw or load a kernel."));
      gtk_widget_queue_draw (ed->preview);
      return G_SOURCE_REMOVE;
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
  if (!shown && ed->exact)
    {
      ed->preview_pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8,
                                           ed->exact->width, ed->exact->height);
      editor_scene_to_srgb8 (ed->exact, gdk_pixbuf_get_pixels (ed->preview_pixbuf),
                             gdk_pixbuf_get_rowstride (ed->preview_pixbuf));
    }
  else if (shown)
    {
      ed->preview_pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8,
                                           shown->width, shown->height);
      editor_scene_to_srgb8 (shown, gdk_pixbuf_get_pixels (ed->preview_pixbuf),
                             gdk_pixbuf_get_rowstride (ed->preview_pixbuf));
    }
  editor_scene_free (shown);
  editor_scene_free (fitted);
  gtk_label_set_text (GTK_LABEL (ed->preview_note), note);
  gtk_widget_queue_draw (ed->preview);
  return G_SOURCE_REMOVE;
}

/* Re-render soon: strokes come fast, the render is not free. */
static void
preview_schedule (EditorDialog *ed)
{
  if (ed->preview_timeout)
    g_source_remove (ed->preview_timeout);
  ed->preview_timeout = g_timeout_add (120, preview_render, ed);
}

static void
preview_option_changed (GtkWidget *widget, EditorDialog *ed)
{
  preview_schedule (ed);
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

/* ---------------------------------------------------------------- fitting */

static void
job_clear (FitJob *job)
{
  skc_kernel_free (job->target);
  g_free (job->scene);
}

static gboolean
progress_idle (gpointer data)
{
  FitJob       *job = data;
  EditorDialog *ed = job->ed;

  g_atomic_int_set (&job->pending, 0);
  if (ed && ed->job == job)
    {
      int    level = g_atomic_int_get (&job->level);
      gchar *text = g_strdup_printf (_("Fitting %s (%d x %d)..."),
                                     _(skc_quality_levels[level].label),
                                     skc_quality_levels[level].samples,
                                     skc_quality_levels[level].layers);

      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (ed->progress),
                                     g_atomic_int_get (&job->permille) / 1000.0);
      gtk_progress_bar_set_text (GTK_PROGRESS_BAR (ed->progress), text);
      g_free (text);
    }
  g_atomic_rc_box_release_full (job, (GDestroyNotify) job_clear);
  return G_SOURCE_REMOVE;
}

/* In the fit thread. */
static int
job_progress (double fraction, double loss, void *data)
{
  FitJob *job = data;
  int     level = g_atomic_int_get (&job->level);

  g_atomic_int_set (&job->permille,
                    (int) ((level + CLAMP (fraction, 0, 1)) * 1000 / EDITOR_N_LEVELS));
  if (g_atomic_int_compare_and_exchange (&job->pending, 0, 1))
    g_idle_add (progress_idle, g_atomic_rc_box_acquire (job));
  return g_atomic_int_get (&job->cancel);
}

static gboolean
level_done_idle (gpointer data)
{
  LevelDone    *d = data;
  FitJob       *job = d->job;
  EditorDialog *ed = job->ed;

  if (ed && ed->job == job && d->status != SKC_OK && d->status != SKC_ERR_CANCELLED)
    set_status (ed, TRUE, _("Fitting %s failed: %s"), _(skc_quality_levels[d->level].label),
                skc_status_string (d->status));
  if (ed && ed->job == job && job->gen == ed->kernel_gen && d->status == SKC_OK)
    {
      editor_fit_clear (&ed->fits[d->level]);
      ed->fits[d->level] = d->fit;
      ed->fits_gen = job->gen;
      memset (&d->fit, 0, sizeof d->fit);
      table_update (ed);
      if (gtk_combo_box_get_active (GTK_COMBO_BOX (ed->show_combo)) - 1 == d->level)
        preview_schedule (ed);
    }
  editor_fit_clear (&d->fit);
  g_atomic_rc_box_release_full (job, (GDestroyNotify) job_clear);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static gboolean
job_done_idle (gpointer data)
{
  FitJob       *job = data;
  EditorDialog *ed = job->ed;

  if (job->thread)
    {
      g_thread_join (job->thread);
      job->thread = NULL;
    }
  if (ed && ed->job == job)
    {
      gboolean cancelled = g_atomic_int_get (&job->cancel);

      ed->job = NULL;
      gtk_widget_set_sensitive (ed->fit_button, TRUE);
      gtk_widget_set_sensitive (ed->cancel_button, FALSE);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (ed->progress),
                                     cancelled ? 0.0 : 1.0);
      gtk_progress_bar_set_text (GTK_PROGRESS_BAR (ed->progress),
                                 cancelled ? _("Cancelled") : _("Done"));
      job->ed = NULL;
      g_atomic_rc_box_release_full (job, (GDestroyNotify) job_clear);  /* ed's */

      if (ed->test_shot && !cancelled)
        {
          gtk_combo_box_set_active (GTK_COMBO_BOX (ed->show_combo),
                                    1 + EDITOR_DEFAULT_LEVEL);
          if (ed->test_preset)
            {
              gtk_entry_set_text (GTK_ENTRY (ed->name_entry), ed->test_preset);
              gtk_button_clicked (GTK_BUTTON (g_object_get_data (G_OBJECT (ed->dialog),
                                                                 "save-button")));
            }
          ed->test_sources[1] = g_timeout_add (1000, test_shoot, ed);
        }
    }
  g_atomic_rc_box_release_full (job, (GDestroyNotify) job_clear);  /* thread's */
  return G_SOURCE_REMOVE;
}

static gpointer
job_thread (gpointer data)
{
  FitJob *job = data;

  for (int l = 0; l < EDITOR_N_LEVELS && !g_atomic_int_get (&job->cancel); l++)
    {
      LevelDone *d = g_new0 (LevelDone, 1);
      SkcStatus  status;

      g_atomic_int_set (&job->level, l);
      d->level = l;
      d->status = status = editor_fit_level (job->cache, job->target, l,
                                             &job->planes, job_progress, job,
                                             &d->fit);
      d->job = g_atomic_rc_box_acquire (job);
      g_idle_add (level_done_idle, d);   /* d belongs to the idle now */
      if (status != SKC_OK)
        break;
    }
  g_idle_add (job_done_idle, job);   /* passes on the thread's reference */
  return NULL;
}

static void
fit_start (EditorDialog *ed)
{
  SkcKernel *target = target_get (ed);
  FitJob    *job;

  if (ed->job)
    return;
  if (!target)
    {
      set_status (ed, TRUE, _("The kernel is empty: draw or load one first."));
      return;
    }
  fits_clear (ed);
  table_update (ed);
  job = g_atomic_rc_box_new0 (FitJob);
  job->ed = ed;
  job->cache = ed->cache;
  skc_kernel_copy (target, &job->target);
  job->scene = g_memdup2 (ed->scene_lum,
                          (gsize) ed->scene->width * ed->scene->height * sizeof (float));
  /* the photo stays the dialog's: it joins this thread before freeing it */
  job->planes.photo = ed->photo;
  job->planes.photo_width = ed->photo_width;
  job->planes.photo_height = ed->photo_height;
  job->planes.scene = job->scene;
  job->planes.scene_width = ed->scene->width;
  job->planes.scene_height = ed->scene->height;
  job->gen = ed->kernel_gen;
  ed->job = job;                                   /* ed's reference     */
  g_atomic_rc_box_acquire (job);                   /* the thread's       */
  gtk_widget_set_sensitive (ed->fit_button, FALSE);
  gtk_widget_set_sensitive (ed->cancel_button, TRUE);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (ed->progress), 0.0);
  job->thread = g_thread_new ("skc-editor-fit", job_thread, job);
}

static void
fit_clicked (GtkButton *button, EditorDialog *ed)
{
  fit_start (ed);
}

static void
cancel_clicked (GtkButton *button, EditorDialog *ed)
{
  if (ed->job)
    g_atomic_int_set (&ed->job->cancel, 1);
}

/* ---------------------------------------------------------------- presets */

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

static void
presets_refresh (EditorDialog *ed, const gchar *select_id)
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

  if (ed->test_shot)
    return TRUE;   /* unattended */
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
  SkcKernel   *target = target_get (ed);
  GError      *error = NULL;
  gboolean     fitted = ed->fits_gen == ed->kernel_gen;
  int          n_fits = 0;

  if (!id)
    {
      set_status (ed, TRUE, _("Give the preset a name (letters or digits)."));
      goto out;
    }
  if (!target)
    {
      set_status (ed, TRUE, _("The kernel is empty: draw or load one first."));
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
      set_status (ed, TRUE, "%s", error->message);
      g_error_free (error);
      goto out;
    }
  if (n_fits)
    set_status (ed, FALSE, g_dngettext (GETTEXT_PACKAGE,
                                        "Saved '%s' (%s) with %d fitted level.",
                                        "Saved '%s' (%s) with %d fitted levels.",
                                        n_fits), label, id, n_fits);
  else
    set_status (ed, FALSE, _("Saved '%s' (%s), not fitted: the filter fits "
                             "it when it is used."), label, id);
  presets_refresh (ed, id);

out:
  g_free (path);
  g_free (id);
  g_free (label);
}

static void
load_clicked (GtkButton *button, EditorDialog *ed)
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
      shape_controls_set (ed, &p->shape);
      shape_apply (ed);
    }
  else if (s == SKC_OK && (s = skc_preset_kernel (p, 0, &k)) == SKC_OK)
    set_source (ed, SOURCE_PRESET, k, name);
  if (s != SKC_OK)
    set_status (ed, TRUE, _("Cannot load the preset '%s': %s"), id, skc_status_string (s));
  else
    {
      gtk_entry_set_text (GTK_ENTRY (ed->name_entry), name);
      set_status (ed, FALSE, _("Loaded the preset '%s'."), name);
    }
  skc_preset_free (p);
  g_free (name);
  g_free (id);
}

static void
row_activated (GtkTreeView *tree, GtkTreePath *path, GtkTreeViewColumn *column,
               EditorDialog *ed)
{
  load_clicked (NULL, ed);
}

static void
rename_clicked (GtkButton *button, EditorDialog *ed)
{
  gboolean   builtin;
  gchar     *name = NULL;
  gchar     *id = selected_preset (ed, &builtin, &name);
  GtkWidget *dlg, *entry, *box;
  GError    *error = NULL;

  if (!id || builtin)
    goto out;
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
        set_status (ed, TRUE, _("Give the preset a name (letters or digits)."));
      else if (editor_preset_rename (ed->builtin_dir, ed->user_dir, id, new_id,
                                     label, NULL, &error))
        {
          set_status (ed, FALSE, _("Renamed '%s' to '%s'."), name, label);
          presets_refresh (ed, new_id);
        }
      else
        {
          set_status (ed, TRUE, "%s", error->message);
          g_clear_error (&error);
        }
      g_free (new_id);
      g_free (label);
    }
  gtk_widget_destroy (dlg);

out:
  g_free (name);
  g_free (id);
}

static void
delete_clicked (GtkButton *button, EditorDialog *ed)
{
  gboolean builtin;
  gchar   *name = NULL;
  gchar   *id = selected_preset (ed, &builtin, &name);
  gchar   *q;
  GError  *error = NULL;

  if (!id || builtin)
    goto out;
  q = g_strdup_printf (_("Delete the preset '%s'?"), name);
  if (confirm (ed, q, _("Its kernel image and fitted complexes are deleted too."),
               _("_Delete")))
    {
      if (editor_preset_delete (ed->builtin_dir, ed->user_dir, id, &error))
        {
          set_status (ed, FALSE, _("Deleted '%s'."), name);
          presets_refresh (ed, NULL);
        }
      else
        {
          set_status (ed, TRUE, "%s", error->message);
          g_clear_error (&error);
        }
    }
  g_free (q);

out:
  g_free (name);
  g_free (id);
}

/* ---------------------------------------------------------------- test hook */

static gboolean
test_shoot (gpointer data)
{
  EditorDialog *ed = data;
  GdkWindow    *win = gtk_widget_get_window (ed->dialog);
  GdkPixbuf    *shot;
  GError       *error = NULL;

  ed->test_sources[1] = 0;   /* this source ends here */
  shot = gdk_pixbuf_get_from_window (win, 0, 0, gdk_window_get_width (win),
                                     gdk_window_get_height (win));
  if (!shot || !gdk_pixbuf_save (shot, ed->test_shot, "png", &error, NULL))
    g_printerr ("sparse-bokeh-editor: screenshot failed: %s\n",
                error ? error->message : "no pixels");
  else
    g_printerr ("sparse-bokeh-editor: screenshot %s (%d x %d)\n", ed->test_shot,
                gdk_pixbuf_get_width (shot), gdk_pixbuf_get_height (shot));
  g_clear_error (&error);
  g_clear_object (&shot);
  gtk_dialog_response (GTK_DIALOG (ed->dialog), GTK_RESPONSE_CLOSE);
  return G_SOURCE_REMOVE;
}

/* Go through the sources (a built-in preset, another shape, a brush) and
 * the difference view, then draw a snowflake with the symmetry controls,
 * as a user would, and fit it. */
static gboolean
test_start (gpointer data)
{
  EditorDialog  *ed = data;
  SkcKernelDraw *draw = SKC_KERNEL_DRAW (ed->draw);
  double         c = (CANVAS_SIZE - 1) / 2.0;
  GtkTreeModel  *model = GTK_TREE_MODEL (ed->store);
  GtkTreeIter    iter;
  GimpBrush     *brush;
  GtkWidget     *help;

  ed->test_sources[0] = 0;   /* this source ends here */
  for (gboolean more = gtk_tree_model_get_iter_first (model, &iter); more;
       more = gtk_tree_model_iter_next (model, &iter))
    {
      gchar *id = NULL;

      gtk_tree_model_get (model, &iter, COL_ID, &id, -1);
      if (g_strcmp0 (id, "heart") == 0)
        {
          gtk_tree_selection_select_iter
            (gtk_tree_view_get_selection (GTK_TREE_VIEW (ed->tree)), &iter);
          load_clicked (NULL, ed);
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
    brush_set (GIMP_RESOURCE_CHOOSER (ed->brush_chooser), GIMP_RESOURCE (brush),
               FALSE, ed);
  g_printerr ("sparse-bokeh-editor: test: brush -> %s\n",
              gtk_label_get_text (GTK_LABEL (ed->source_label)));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ed->diff_check), TRUE);
  g_clear_handle_id (&ed->preview_timeout, g_source_remove);
  preview_render (ed);
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
  fit_start (ed);
  return G_SOURCE_REMOVE;
}

static gboolean
test_timeout (gpointer data)
{
  EditorDialog *ed = data;

  ed->test_sources[2] = 0;   /* this source ends here */
  g_printerr ("sparse-bokeh-editor: test hook timed out\n");
  gtk_dialog_response (GTK_DIALOG (ed->dialog), GTK_RESPONSE_CLOSE);
  return G_SOURCE_REMOVE;
}

/* ---------------------------------------------------------------- layout */

static GtkWidget *
frame_new (const gchar *title, GtkWidget *child)
{
  GtkWidget *frame = gimp_frame_new (title);

  gtk_container_add (GTK_CONTAINER (frame), child);
  return frame;
}

static GtkWidget *
scale_new (const gchar *label, gdouble value, gdouble lo, gdouble hi,
           gint digits)
{
  GtkWidget *w = gimp_scale_entry_new (label, value, lo, hi, digits);

  /* GIMP 3.0.4 sets the value before the range while constructing, so
   * it comes out clamped to 0: set it again */
  gimp_label_spin_set_value (GIMP_LABEL_SPIN (w), value);
  return w;
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

static void
on_shape_param (GtkWidget *widget, EditorDialog *ed)
{
  shape_apply (ed);
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
  shape_apply (ed);
}

static GtkWidget *
kernel_column (EditorDialog *ed)
{
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *box, *w, *paint, *erase, *grid;

  /* canvas */
  ed->draw = skc_kernel_draw_new (CANVAS_SIZE);
  gtk_widget_set_size_request (ed->draw, 300, 300);
  g_object_set (ed->draw, "brush-radius", 6.0, NULL);
  g_signal_connect (ed->draw, "changed", G_CALLBACK (canvas_changed), ed);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_box_pack_start (GTK_BOX (box), ed->draw, TRUE, TRUE, 0);
  ed->source_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (ed->source_label), 0.0);
  gimp_label_set_attributes (GTK_LABEL (ed->source_label),
                             PANGO_ATTR_STYLE, PANGO_STYLE_ITALIC, -1);
  gtk_box_pack_start (GTK_BOX (box), ed->source_label, FALSE, FALSE, 0);

  /* tools */
  w = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  paint = gtk_radio_button_new_with_mnemonic (NULL, _("_Paint"));
  erase = gtk_radio_button_new_with_mnemonic_from_widget (GTK_RADIO_BUTTON (paint),
                                                           _("_Erase"));
  gtk_toggle_button_set_mode (GTK_TOGGLE_BUTTON (paint), FALSE);
  gtk_toggle_button_set_mode (GTK_TOGGLE_BUTTON (erase), FALSE);
  g_signal_connect (erase, "toggled", G_CALLBACK (on_erase), ed);
  gtk_box_pack_start (GTK_BOX (w), paint, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (w), erase, FALSE, FALSE, 0);
  {
    GtkWidget *clear = gtk_button_new_with_mnemonic (_("C_lear"));
    GtkWidget *undo = gtk_button_new_with_mnemonic (_("_Undo"));

    gtk_widget_set_tooltip_text (undo, _("Undo the last stroke (Ctrl+Z)"));
    g_signal_connect (clear, "clicked", G_CALLBACK (on_clear), ed);
    g_signal_connect (undo, "clicked", G_CALLBACK (on_undo), ed);
    gtk_box_pack_end (GTK_BOX (w), clear, FALSE, FALSE, 0);
    gtk_box_pack_end (GTK_BOX (w), undo, FALSE, FALSE, 0);
  }
  gtk_box_pack_start (GTK_BOX (box), w, FALSE, FALSE, 0);

  /* the brush: bound both ways, Ctrl+wheel on the canvas sets the radius */
  w = scale_new (_("Radius"), 6.0, 0.5, 40.0, 1);
  gimp_help_set_help_data (w, _("Brush radius in canvas pixels (Ctrl+wheel)"), NULL);
  g_object_bind_property (ed->draw, "brush-radius", w, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_box_pack_start (GTK_BOX (box), w, FALSE, FALSE, 0);
  w = scale_new (_("Softness"), 0.0, 0.0, 1.0, 2);
  g_object_bind_property (ed->draw, "brush-softness", w, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_box_pack_start (GTK_BOX (box), w, FALSE, FALSE, 0);
  w = scale_new (_("Strength"), 1.0, 0.0, 1.0, 2);
  g_object_bind_property (ed->draw, "brush-strength", w, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_box_pack_start (GTK_BOX (box), w, FALSE, FALSE, 0);

  /* symmetry and size */
  grid = gtk_grid_new ();
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
  w = gtk_spin_button_new_with_range (1, 16, 1);
  gimp_help_set_help_data (w, _("n-fold rotational symmetry (1: none)"), NULL);
  g_signal_connect (w, "value-changed", G_CALLBACK (on_rotational), ed);
  ed->rotations_spin = w;
  gtk_grid_attach (GTK_GRID (grid), gtk_label_new (_("Rotations")), 2, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), w, 3, 0, 1, 1);
  ed->size_spin = gtk_spin_button_new_with_range (EDITOR_MIN_KERNEL_SIZE,
                                                  EDITOR_MAX_KERNEL_SIZE, 2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ed->size_spin), 49);
  gimp_help_set_help_data (ed->size_spin,
                           _("Side of the kernel that is fitted and saved, in pixels"),
                           NULL);
  g_signal_connect (ed->size_spin, "value-changed", G_CALLBACK (size_changed), ed);
  gtk_grid_attach (GTK_GRID (grid), gtk_label_new (_("Kernel size")), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), ed->size_spin, 1, 1, 1, 1);
  gtk_box_pack_start (GTK_BOX (box), grid, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (vbox), frame_new (_("Kernel"), box), TRUE, TRUE, 0);
  return vbox;
}

/* Where the kernel comes from: a procedural shape, a file, a brush. */
static GtkWidget *
source_frame (EditorDialog *ed)
{
  GtkWidget *w, *notebook, *page;
  static const struct { const char *id; const char *label; } shapes[] = {
    { "polygon",  N_("Iris (polygon)") }, { "disk",     N_("Disk") },
    { "ring",     N_("Ring") },           { "star",     N_("Star") },
    { "heart",    N_("Heart") },          { "gaussian", N_("Gaussian") },
    { "coma",     N_("Coma") },           { "catseye",  N_("Cat's eye") },
  };

  notebook = gtk_notebook_new ();
  page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_container_set_border_width (GTK_CONTAINER (page), 6);
  ed->shape_combo = gtk_combo_box_text_new ();
  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (ed->shape_combo), shapes[i].id,
                               _(shapes[i].label));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (ed->shape_combo), "polygon");
  g_signal_connect (ed->shape_combo, "changed", G_CALLBACK (on_shape_changed), ed);
  gtk_box_pack_start (GTK_BOX (page), ed->shape_combo, FALSE, FALSE, 0);
  ed->blades = scale_new (_("Blades"), 6, 3, 12, 0);
  ed->curvature = scale_new (_("Curvature"), 0.35, 0.0, 1.0, 2);
  ed->rotation = scale_new (_("Rotation"), 0.0, -180.0, 180.0, 1);
  /* 0..1: GIMP 3.0.4's spin estimates its page increment as 1 for
   * ranges under 1 wide and then rejects it */
  ed->inner = scale_new (_("Inner"), 0.7, 0.0, 1.0, 2);
  for (GtkWidget **p = (GtkWidget *[]) { ed->blades, ed->curvature, ed->rotation,
                                         ed->inner, NULL }; *p; p++)
    {
      g_signal_connect (*p, "value-changed", G_CALLBACK (on_shape_param), ed);
      gtk_box_pack_start (GTK_BOX (page), *p, FALSE, FALSE, 0);
    }
  gtk_notebook_append_page (GTK_NOTEBOOK (notebook), page, gtk_label_new (_("Shape")));

  page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_container_set_border_width (GTK_CONTAINER (page), 6);
  ed->file_button = gtk_file_chooser_button_new (_("Open Kernel Image"),
                                                 GTK_FILE_CHOOSER_ACTION_OPEN);
  {
    GtkFileFilter *filter = gtk_file_filter_new ();

    gtk_file_filter_set_name (filter, _("Kernel images (PNG, PFM)"));
    gtk_file_filter_add_pattern (filter, "*.png");
    gtk_file_filter_add_pattern (filter, "*.PNG");
    gtk_file_filter_add_pattern (filter, "*.pfm");
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (ed->file_button), filter);
  }
  g_signal_connect (ed->file_button, "file-set", G_CALLBACK (file_set), ed);
  gtk_box_pack_start (GTK_BOX (page), ed->file_button, FALSE, FALSE, 0);
  w = gtk_label_new (_("A gray PNG (8 or 16 bit) or PFM. Values are weights: "
                       "white lets light through, black blocks it."));
  gtk_label_set_line_wrap (GTK_LABEL (w), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (w), 36);
  gtk_label_set_xalign (GTK_LABEL (w), 0.0);
  gtk_box_pack_start (GTK_BOX (page), w, FALSE, FALSE, 0);
  gtk_notebook_append_page (GTK_NOTEBOOK (notebook), page, gtk_label_new (_("File")));

  page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_container_set_border_width (GTK_CONTAINER (page), 6);
  ed->brush_chooser = gimp_brush_chooser_new (_("Kernel Brush"), _("Brush"), NULL);
  g_signal_connect (ed->brush_chooser, "resource-set", G_CALLBACK (brush_set), ed);
  gtk_box_pack_start (GTK_BOX (page), ed->brush_chooser, FALSE, FALSE, 0);
  w = gtk_label_new (_("The brush's mask becomes the kernel, scaled to the "
                       "kernel size."));
  gtk_label_set_line_wrap (GTK_LABEL (w), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (w), 36);
  gtk_label_set_xalign (GTK_LABEL (w), 0.0);
  gtk_box_pack_start (GTK_BOX (page), w, FALSE, FALSE, 0);
  gtk_notebook_append_page (GTK_NOTEBOOK (notebook), page, gtk_label_new (_("Brush")));
  return frame_new (_("Source"), notebook);
}

static GtkWidget *
preview_column (EditorDialog *ed)
{
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
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
  g_signal_connect (ed->show_combo, "changed", G_CALLBACK (preview_option_changed), ed);
  gtk_box_pack_start (GTK_BOX (row), gtk_label_new (_("Show")), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row), ed->show_combo, FALSE, FALSE, 0);
  ed->diff_check = gtk_check_button_new_with_mnemonic (_("D_ifference"));
  gimp_help_set_help_data (ed->diff_check,
                           _("Show how a fitted level differs from the exact "
                             "kernel, amplified 8 times"), NULL);
  g_signal_connect (ed->diff_check, "toggled", G_CALLBACK (preview_option_changed), ed);
  gtk_box_pack_start (GTK_BOX (row), ed->diff_check, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), row, FALSE, FALSE, 0);
  ed->preview_note = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (ed->preview_note), 0.0);
  gimp_label_set_attributes (GTK_LABEL (ed->preview_note),
                             PANGO_ATTR_STYLE, PANGO_STYLE_ITALIC, -1);
  gtk_box_pack_start (GTK_BOX (box), ed->preview_note, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (column), frame_new (_("Bokeh Preview"), box), TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (column), source_frame (ed), FALSE, FALSE, 0);
  return column;
}

static GtkWidget *
fit_and_presets_column (EditorDialog *ed)
{
  GtkWidget         *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget         *box, *grid, *row, *scrolled, *save;
  GtkCellRenderer   *cell;
  GtkTreeSelection  *sel;
  const gchar       *heads[] = { _("Level"), _("Taps"), _("Kernel"),
                                 _("Photo"), _("Lights"), _("Time") };
  /* What each PSNR measures: the three differ by 40 dB for the same fit. */
  const gchar       *tips[] = {
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

  /* fit */
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
  ed->fit_button = gtk_button_new_with_mnemonic (_("_Fit All Levels"));
  gimp_help_set_help_data (ed->fit_button,
                           _("Fit the kernel at every quality level (results are "
                             "cached: a kernel fitted before comes back at once)"),
                           NULL);
  g_signal_connect (ed->fit_button, "clicked", G_CALLBACK (fit_clicked), ed);
  ed->cancel_button = gtk_button_new_with_mnemonic (_("C_ancel"));
  gtk_widget_set_sensitive (ed->cancel_button, FALSE);
  g_signal_connect (ed->cancel_button, "clicked", G_CALLBACK (cancel_clicked), ed);
  gtk_box_pack_start (GTK_BOX (row), ed->fit_button, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row), ed->cancel_button, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), row, FALSE, FALSE, 0);
  ed->progress = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (ed->progress), TRUE);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (ed->progress), _("Not fitted"));
  gtk_box_pack_start (GTK_BOX (box), ed->progress, FALSE, FALSE, 0);
  {
    GtkWidget *note = gtk_label_new (_("PSNR against the exact kernel.  Photo: "
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
  }
  gtk_box_pack_start (GTK_BOX (vbox), frame_new (_("Fit"), box), FALSE, FALSE, 0);

  /* presets */
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  ed->name_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (ed->name_entry), _("Preset name"));
  gtk_box_pack_start (GTK_BOX (row), ed->name_entry, TRUE, TRUE, 0);
  save = gtk_button_new_with_mnemonic (_("_Save Preset"));
  gimp_help_set_help_data (save, _("Save the kernel, with the levels fitted so "
                                   "far, as a user preset"), NULL);
  g_signal_connect (save, "clicked", G_CALLBACK (save_clicked), ed);
  g_object_set_data (G_OBJECT (ed->dialog), "save-button", save);
  gtk_box_pack_start (GTK_BOX (row), save, FALSE, FALSE, 0);
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
  gtk_box_pack_start (GTK_BOX (vbox), frame_new (_("Presets"), box), TRUE, TRUE, 0);

  ed->status = gtk_label_new (NULL);
  gtk_label_set_line_wrap (GTK_LABEL (ed->status), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (ed->status), 40);
  gtk_label_set_xalign (GTK_LABEL (ed->status), 0.0);
  gtk_box_pack_start (GTK_BOX (vbox), ed->status, FALSE, FALSE, 0);
  return vbox;
}

/* ---------------------------------------------------------------- run */

void
editor_dialog_run (const char *user_dir, const char *builtin_dir)
{
  EditorDialog *ed = g_new0 (EditorDialog, 1);
  GtkWidget    *hbox;
  const gchar  *shot = g_getenv ("SKC_EDITOR_TEST_SCREENSHOT");

  ed->user_dir = g_strdup (user_dir);
  ed->builtin_dir = g_strdup (builtin_dir);
  ed->kernel_gen = 1;
  ed->target_gen = 0;
  if (skc_cache_open (NULL, 0, &ed->cache) != SKC_OK)
    ed->cache = NULL;   /* fit without a cache */
  {
    gchar *dir = g_path_get_dirname (gimp_get_progname ());
    gchar *photo = editor_sample_photo_find (dir);

    ed->photo = editor_sample_photo_load (photo, &ed->photo_width, &ed->photo_height);
    g_free (photo);
    g_free (dir);
  }
  if (shot && *shot)
    {
      ed->test_shot = g_strdup (shot);
      ed->test_preset = g_strdup (g_getenv ("SKC_EDITOR_TEST_PRESET"));
    }

  ed->dialog = gimp_dialog_new (_("Sparse Bokeh Kernel Editor"), PLUG_IN_ROLE,
                                NULL, 0, skc_help_show, PLUG_IN_PROC,
                                _("_Close"), GTK_RESPONSE_CLOSE, NULL);
  gimp_window_set_transient (GTK_WINDOW (ed->dialog));

  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_container_set_border_width (GTK_CONTAINER (hbox), 12);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (ed->dialog))),
                      hbox, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (hbox), kernel_column (ed), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (hbox), preview_column (ed), TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (hbox), fit_and_presets_column (ed), FALSE, FALSE, 0);
  gtk_widget_show_all (hbox);

  table_update (ed);
  presets_refresh (ed, NULL);
  selection_changed (gtk_tree_view_get_selection (GTK_TREE_VIEW (ed->tree)), ed);
  shape_apply (ed);   /* start from a 6-blade iris */

  if (ed->test_shot)
    {
      ed->test_sources[0] = g_timeout_add (500, test_start, ed);
      ed->test_sources[2] = g_timeout_add_seconds (120, test_timeout, ed);
    }
  gtk_widget_show (ed->dialog);
  gimp_dialog_run (GIMP_DIALOG (ed->dialog));

  /* stop a running fit before anything it points at goes */
  if (ed->job)
    {
      FitJob *job = ed->job;

      g_atomic_int_set (&job->cancel, 1);
      if (job->thread)
        {
          g_thread_join (job->thread);
          job->thread = NULL;
        }
      job->ed = NULL;
      ed->job = NULL;
      g_atomic_rc_box_release_full (job, (GDestroyNotify) job_clear);
    }
  g_clear_handle_id (&ed->preview_timeout, g_source_remove);
  for (gsize i = 0; i < G_N_ELEMENTS (ed->test_sources); i++)
    g_clear_handle_id (&ed->test_sources[i], g_source_remove);
  gtk_widget_destroy (ed->dialog);
  fits_clear (ed);
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
  g_free (ed->test_shot);
  g_free (ed->test_preset);
  g_free (ed);
}
