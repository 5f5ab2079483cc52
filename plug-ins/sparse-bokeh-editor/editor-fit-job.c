/* Fitting every quality level in the background (see editor-fit-job.h).
 *
 * One GTask a level, run in GLib's worker pool: the thread only calls
 * editor_fit_level on the job's own copies and reads the cancellable, and
 * the task's callback, in the main loop, hands the level over and starts
 * the next one.  Progress crosses threads as one atomic integer that a
 * main-loop timeout reads.
 */
#include <string.h>

#include <gio/gio.h>

#include "editor-fit-job.h"

#define PROGRESS_MS 100

struct _EditorFitJob
{
  SkcCache              *cache;      /* the caller's                       */
  SkcKernel             *target;
  float                 *scene;
  EditorPlanes           planes;     /* the photo is the caller's          */
  GCancellable          *cancellable;
  int                    level;      /* main thread: the level under way   */
  gint                   permille;   /* atomic: of the level under way     */
  guint                  progress_id;

  EditorFitProgressFunc  progress;
  EditorFitLevelFunc     level_done;
  EditorFitDoneFunc      done;
  gpointer               data;
};

typedef struct
{
  EditorFitJob *job;
  int           level;
  SkcStatus     status;
  EditorFit     fit;
} Level;

static void level_start (EditorFitJob *job);

/* In the worker thread. */
static int
level_progress (double fraction, double loss, void *data)
{
  EditorFitJob *job = data;

  g_atomic_int_set (&job->permille, (gint) (CLAMP (fraction, 0.0, 1.0) * 1000));
  return g_cancellable_is_cancelled (job->cancellable);
}

/* In the worker thread. */
static void
level_thread (GTask *task, gpointer source, gpointer data,
              GCancellable *cancellable)
{
  Level        *l = data;
  EditorFitJob *job = l->job;

  l->status = editor_fit_level (job->cache, job->target, l->level,
                                &job->planes, level_progress, job, &l->fit);
  g_task_return_boolean (task, TRUE);
}

static void
level_free (gpointer data)
{
  Level *l = data;

  editor_fit_clear (&l->fit);
  g_free (l);
}

static gboolean
progress_tick (gpointer data)
{
  EditorFitJob *job = data;

  job->progress (job->level,
                 (job->level + g_atomic_int_get (&job->permille) / 1000.0)
                 / EDITOR_N_LEVELS, job->data);
  return G_SOURCE_CONTINUE;
}

static void
job_finish (EditorFitJob *job)
{
  g_clear_handle_id (&job->progress_id, g_source_remove);
  job->done (g_cancellable_is_cancelled (job->cancellable), job->data);
  g_object_unref (job->cancellable);
  skc_kernel_free (job->target);
  g_free (job->scene);
  g_free (job);
}

static void
level_finished (GObject *source, GAsyncResult *result, gpointer data)
{
  Level        *l = g_task_get_task_data (G_TASK (result));
  EditorFitJob *job = l->job;

  job->level_done (l->level, l->status, &l->fit, job->data);
  if (l->status == SKC_OK && l->level + 1 < EDITOR_N_LEVELS
      && !g_cancellable_is_cancelled (job->cancellable))
    {
      job->level = l->level + 1;
      level_start (job);
    }
  else
    job_finish (job);
}

static void
level_start (EditorFitJob *job)
{
  Level *l = g_new0 (Level, 1);
  GTask *task;

  l->job = job;
  l->level = job->level;
  g_atomic_int_set (&job->permille, 0);
  task = g_task_new (NULL, job->cancellable, level_finished, NULL);
  g_task_set_task_data (task, l, level_free);
  g_task_run_in_thread (task, level_thread);
  g_object_unref (task);
}

EditorFitJob *
editor_fit_job_start (SkcCache *cache, const SkcKernel *target,
                      const EditorPlanes *planes,
                      EditorFitProgressFunc progress,
                      EditorFitLevelFunc level_done, EditorFitDoneFunc done,
                      gpointer data)
{
  EditorFitJob *job = g_new0 (EditorFitJob, 1);

  job->cache = cache;
  skc_kernel_copy (target, &job->target);
  job->planes = *planes;
  if (planes->scene)
    {
      job->scene = g_memdup2 (planes->scene, (gsize) planes->scene_width
                                             * planes->scene_height * sizeof (float));
      job->planes.scene = job->scene;
    }
  job->cancellable = g_cancellable_new ();
  job->progress = progress;
  job->level_done = level_done;
  job->done = done;
  job->data = data;
  job->progress_id = g_timeout_add (PROGRESS_MS, progress_tick, job);
  level_start (job);
  return job;
}

void
editor_fit_job_cancel (EditorFitJob *job)
{
  g_cancellable_cancel (job->cancellable);
}
