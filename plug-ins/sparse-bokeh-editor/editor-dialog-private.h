/* The kernel editor's dialog, inside: its state and the parts it is made
 * of, one file each (see editor-dialog.c for the whole).
 *
 *   editor-dialog.c    the window, the three columns, the status line,
 *                      what a kernel change sets off
 *   editor-canvas.c    the drawing canvas, its brush, symmetry and size
 *   editor-source.c    where the kernel comes from (shape, file, brush,
 *                      preset) and the target kernel made of it
 *   editor-preview.c   the kernel's bokeh on the night scene
 *   editor-fit.c       the Fit frame: the table of levels, the buttons,
 *                      the progress bar, driving an EditorFitJob
 *   editor-presets.c   the Presets frame: save, load, rename, delete
 *   editor-test.c      the test hook (test builds only)
 *
 * Everything here runs in the main thread; the fitting itself runs in
 * editor-fit-job.c's worker threads and owns copies of what it reads.
 */
#ifndef EDITOR_DIALOG_PRIVATE_H
#define EDITOR_DIALOG_PRIVATE_H

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "skc.h"
#include "skc-cache.h"

#include "editor-dialog.h"
#include "editor-fit-job.h"
#include "editor-scene.h"
#include "editor-store.h"

G_BEGIN_DECLS

#define EDITOR_CANVAS_SIZE EDITOR_MAX_KERNEL_SIZE

typedef enum
{
  SOURCE_DRAWN,
  SOURCE_SHAPE,
  SOURCE_FILE,
  SOURCE_BRUSH,
  SOURCE_PRESET
} EditorSource;

/* The presets list's columns. */
enum
{
  COL_NAME,
  COL_ID,
  COL_KIND,
  COL_BUILTIN,
  N_COLS
};

/* The fit table's cells of a level. */
enum
{
  CELL_TAPS,
  CELL_KERNEL,
  CELL_PHOTO,
  CELL_SCENE,
  CELL_TIME,
  N_CELLS
};

typedef struct _EditorTest EditorTest;

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

  EditorSource    source;
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
  EditorFitJob   *job;             /* until its done callback            */
  guint           job_gen;

  /* presets */
  GtkWidget      *name_entry;
  GtkWidget      *save_button;
  GtkListStore   *store;
  GtkWidget      *tree;
  GtkWidget      *load_button;
  GtkWidget      *rename_button;
  GtkWidget      *delete_button;
  GtkWidget      *status;

  EditorTest     *test;            /* NULL unless a test drives it       */
} EditorDialog;

/* editor-dialog.c */
void       editor_status             (EditorDialog         *ed,
                                      gboolean              is_error,
                                      const gchar          *format,
                                      ...) G_GNUC_PRINTF (3, 4);
/* @widget with the tooltip @help (if not NULL) and @callback (@ed) on
 * @signal, packed at the end of the box @row (if not NULL), not
 * expanding; returns @widget. */
GtkWidget *editor_control            (GtkWidget            *row,
                                      GtkWidget            *widget,
                                      const gchar          *help,
                                      const gchar          *signal,
                                      GCallback             callback,
                                      EditorDialog         *ed);
GtkWidget *editor_frame_new          (const gchar          *title,
                                      GtkWidget            *child);
GtkWidget *editor_scale_new          (const gchar          *label,
                                      gdouble               value,
                                      gdouble               lo,
                                      gdouble               hi,
                                      gint                  digits);
/* The kernel changed: a new generation; fits, scene and preview go. */
void       editor_kernel_changed     (EditorDialog         *ed);

/* editor-canvas.c */
GtkWidget *editor_canvas_column      (EditorDialog         *ed);
/* The kernel size (odd) in pixels. */
int        editor_kernel_size        (EditorDialog         *ed);

/* editor-source.c */
GtkWidget *editor_source_frame       (EditorDialog         *ed);
void       editor_source_label_update(EditorDialog         *ed);
/* Show @kernel on the canvas as the exact source @source (takes it). */
void       editor_source_set         (EditorDialog         *ed,
                                      EditorSource          source,
                                      SkcKernel            *kernel,
                                      const gchar          *name);
/* The canvas was drawn on, or the size changed: a drawn kernel, or the
 * source's kernel made again at the new size. */
void       editor_source_drawn       (EditorDialog         *ed);
void       editor_source_resized     (EditorDialog         *ed);
void       editor_shape_apply        (EditorDialog         *ed);
void       editor_shape_controls_set (EditorDialog         *ed,
                                      const SkcShapeParams *sp);
void       editor_brush_choose       (EditorDialog         *ed,
                                      GimpBrush            *brush);
/* The kernel to fit, save and preview, for the current generation (the
 * editor's; NULL when the canvas is empty), with its scene. */
SkcKernel *editor_target             (EditorDialog         *ed);

/* editor-preview.c */
GtkWidget *editor_preview_frame      (EditorDialog         *ed);
void       editor_preview_schedule   (EditorDialog         *ed);
void       editor_preview_render_now (EditorDialog         *ed);

/* editor-fit.c */
GtkWidget *editor_fit_frame          (EditorDialog         *ed);
void       editor_fit_table_update   (EditorDialog         *ed);
void       editor_fits_clear         (EditorDialog         *ed);
void       editor_fit_start          (EditorDialog         *ed);
void       editor_fit_cancel         (EditorDialog         *ed);
/* Cancel a fit under way and wait for its worker to stop. */
void       editor_fit_stop           (EditorDialog         *ed);

/* editor-presets.c */
GtkWidget *editor_presets_frame      (EditorDialog         *ed);
void       editor_presets_refresh    (EditorDialog         *ed,
                                      const gchar          *select_id);
void       editor_presets_load_selected (EditorDialog      *ed);

/* editor-test.c, only in a build with the test hooks (meson
 * -Dtest_hooks=true, never an install): NULL unless the environment asks
 * for the test hook. */
#ifdef SKC_TEST_HOOKS
EditorTest *editor_test_new          (EditorDialog         *ed);
void        editor_test_free         (EditorTest           *test);
/* The fit of every level ended (cancelled or not). */
void        editor_test_fit_done     (EditorTest           *test,
                                      gboolean              cancelled);
#else
static inline EditorTest *editor_test_new  (EditorDialog *ed) { return NULL; }
static inline void editor_test_free        (EditorTest *test) { }
static inline void editor_test_fit_done    (EditorTest *test,
                                            gboolean    cancelled) { }
#endif
/* Questions are answered yes when a test drives the dialog. */
#define editor_test_unattended(test) ((test) != NULL)

G_END_DECLS

#endif
