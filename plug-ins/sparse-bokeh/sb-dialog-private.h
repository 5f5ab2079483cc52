/* The Sparse Bokeh dialog's parts (sb-dialog.h): the state of one run,
 * shared by the dialog's behaviour (sb-dialog.c: settling, fitting,
 * previews, files) and its widgets (sb-dialog-widgets.c: the pages and the
 * plug-in's own widgets, built once).  Private to the dialog.
 */
#ifndef SB_DIALOG_PRIVATE_H
#define SB_DIALOG_PRIVATE_H

#include <libgimp/gimpui.h>

#include "sb-canvas.h"
#include "sb-dialog-test.h"
#include "sb-fit.h"
#include "sb-params.h"
#include "sb-preview.h"
#include "sb-quiet.h"

G_BEGIN_DECLS

/* All the state of one dialog, owned by sb_dialog_run; nothing is global. */
typedef struct
{
  GimpProcedureConfig *config;
  GimpImage           *image;
  GimpDrawable        *drawable;
  SbQuiet             *quiet;

  GtkWidget           *dialog;
  GtkWidget           *preview;
  GtkWidget           *view;
  GtkWidget           *progress;
  GtkWidget           *stop;
  GtkWidget           *status;
  GtkWidget           *preset_combo;
  GtkWidget           *preset_box;
  GtkWidget           *draw_box;
  GtkWidget           *draw;
  GtkWidget           *paint_box;
  GtkWidget           *paint;
  GtkWidget           *picker;
  GtkWidget           *pages;        /* Kernel, Blur, Variation          */
  GtkWidget           *keep_note;    /* text layers and groups           */
  GtkWidget           *exact_note;   /* the fidelity check's verdict     */
  GHashTable          *own;          /* property -> widget made here     */

  SbParams             params;
  gchar               *kernel;       /* resolved; NULL: settings are bad */
  SbFitter            *fitter;
  SkcBokehFit         *fit;
  gchar               *cur_key;      /* the request the settings make    */
  gchar               *fit_key;      /* the request fit answers          */
  gchar               *want_key;     /* the request being fitted         */
  SbPreview           *render;
  SbCanvas            *canvas;
  GeglBuffer          *map;
  gchar               *map_key;
  gboolean             map_changed;

  guint                settle_id;
  guint                progress_id;
  guint                canvas_id;
  gboolean             drawn_dirty;
  gboolean             painted_dirty;
  gboolean             ready;        /* settled, fitted, previews drawn  */
  gint                 renders;      /* in-dialog preview renders so far */
  gdouble              press_x;      /* where a click on the preview began */
  gdouble              press_y;
  SbDialogTest        *test;
} SbDialog;

/* sb-dialog.c */
/* Settle again after SETTLE_MS of quiet: a setting changed. */
void       sb_dialog_settle_later (SbDialog *d);
void       sb_dialog_set_status   (SbDialog *d, const gchar *text);
/* The widget of @property: one the plug-in made (d->own), or the
 * procedure dialog's. */
GtkWidget *sb_dialog_prop_widget  (SbDialog *d, const gchar *property);
/* Stop: the fit under way is cancelled. */
void       sb_dialog_stop_clicked (GtkButton *button, SbDialog *d);

/* sb-dialog-widgets.c */
/* The procedure dialog with every page and widget, into d->dialog and
 * the widget fields of @d. */
void       sb_dialog_build        (SbDialog *d, GimpProcedure *procedure);
/* The preset combo shows the config's kernel. */
void       sb_dialog_preset_sync  (SbDialog *d);

G_END_DECLS

#endif
