/* Fitting every quality level of a kernel in the background
 * (editor-fit-job.c), for the kernel editor's dialog.
 *
 * A job fits the levels one after the other, each in a GTask run in a
 * worker thread, and reports in the main loop: the progress every tenth
 * of a second, each level when it is done, and the end.  It owns copies of
 * the kernel and the scene; the cache and the photo stay the caller's,
 * who keeps them until @done has run (editor_fit_job_cancel, then let the
 * main loop run until @done, when the caller goes away first).
 */
#ifndef EDITOR_FIT_JOB_H
#define EDITOR_FIT_JOB_H

#include <glib.h>

#include "editor-store.h"

G_BEGIN_DECLS

typedef struct _EditorFitJob EditorFitJob;

/* @fraction: 0..1 of the whole job; @level: the level being fitted. */
typedef void (*EditorFitProgressFunc)  (int        level,
                                        double     fraction,
                                        gpointer   data);
/* @fit is the job's: move its contents out to keep them (status SKC_OK);
 * whatever is left in it is freed after the call.  SKC_ERR_CANCELLED
 * when the job was cancelled during the level. */
typedef void (*EditorFitLevelFunc)     (int        level,
                                        SkcStatus  status,
                                        EditorFit *fit,
                                        gpointer   data);
/* The last call; the job is freed after it. */
typedef void (*EditorFitDoneFunc)      (gboolean   cancelled,
                                        gpointer   data);

/* Fit every level of @target (copied) through @cache (may be NULL),
 * measured on @planes (the scene copied, the photo borrowed). */
EditorFitJob *editor_fit_job_start  (SkcCache              *cache,
                                     const SkcKernel       *target,
                                     const EditorPlanes    *planes,
                                     EditorFitProgressFunc  progress,
                                     EditorFitLevelFunc     level_done,
                                     EditorFitDoneFunc      done,
                                     gpointer               data);
/* Stop soon: no level starts after this; @done still runs, with
 * @cancelled TRUE. */
void          editor_fit_job_cancel (EditorFitJob          *job);

G_END_DECLS

#endif
