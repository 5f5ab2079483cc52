/* Fitting in the plug-in's process, with progress (see sb-fit.h).
 *
 * A job is one request fitted in a worker thread.  It owns copies of all
 * it reads (the request's kernel string, the error crop as GBytes), so a
 * dialog that goes away, or a newer request, never pulls anything from
 * under it; the worker only talks to the main thread through atomic
 * integers (progress, cancel) and the GTask's return.
 */
#include <math.h>

#include <glib/gi18n-lib.h>

#include "sb-fit.h"
#include "sb-kernel.h"

typedef struct
{
  SkcBokehRequest req;
  gchar          *kernel;
  GBytes         *plane;          /* linear luminance crop, or NULL      */
  gint            plane_width;
  gint            plane_height;
  gboolean        for_view;       /* also make the view's kernels        */

  gint            progress;       /* atomic, per mille                   */
  gint            fitting;        /* atomic: the progress callback ran   */
  gint            cancel;         /* atomic                              */

  SbFitter       *fitter;        /* main thread only; NULL: dropped     */
  SbFitResult     result;
} Job;

struct _SbFitter
{
  SbFitterDone done;
  gpointer     user_data;
  GBytes      *plane;
  gint         plane_width;
  gint         plane_height;
  Job         *current;
};

static int
job_progress (double fraction, double loss, void *data)
{
  Job *job = data;

  g_atomic_int_set (&job->fitting, 1);
  g_atomic_int_set (&job->progress, (gint) CLAMP (fraction * 1000.0, 0, 1000));
  return g_atomic_int_get (&job->cancel);
}

static Job *
job_new (const SkcBokehRequest *req)
{
  Job *job = g_new0 (Job, 1);

  job->req = *req;
  job->kernel = g_strdup (req->kernel);
  job->req.kernel = job->kernel;
  job->req.progress = job_progress;
  job->req.progress_data = job;
  job->result.image_psnr = NAN;
  return job;
}

static void
result_clear (SbFitResult *r)
{
  g_clear_pointer (&r->fit, skc_bokeh_fit_unref);
  g_clear_error (&r->error);
  g_clear_pointer (&r->target, skc_kernel_free);
  g_clear_pointer (&r->fitted_kernel, skc_kernel_free);
}

static void
job_free (gpointer data)
{
  Job *job = data;

  result_clear (&job->result);
  g_clear_pointer (&job->plane, g_bytes_unref);
  g_free (job->kernel);
  g_free (job);
}

/* What the kernel view shows: the target, the fit's impulse response on
 * the same canvas, and the error on the image crop. */
static void
job_view (Job *job)
{
  SbFitResult *r = &job->result;
  SkcComplex  *c;
  gint         side;

  r->target = sb_kernel_target (job->kernel, job->req.size, NULL);
  side = ((gint) ceilf (r->fit->size) + 2) | 1;
  r->fitted_kernel = r->target
                     ? sb_kernel_fitted (r->fit, r->target->width,
                                         r->target->height)
                     : sb_kernel_fitted (r->fit, side, side);
  if (!r->target || !job->plane || sb_kernel_is_complex (job->kernel))
    return;
  c = sb_kernel_complex (r->fit);
  if (c)
    {
      double psnr;

      if (skc_eval_image_psnr (c, r->target,
                               g_bytes_get_data (job->plane, NULL),
                               job->plane_width, job->plane_height, &psnr,
                               NULL) == SKC_OK)
        r->image_psnr = psnr;
      skc_complex_free (c);
    }
}

static void
job_run (Job *job)
{
  gint64 t0 = g_get_monotonic_time ();

  job->result.fit = skc_bokeh_fit_get (&job->req, &job->result.error);
  job->result.seconds = (g_get_monotonic_time () - t0) / 1e6;
  job->result.fitted = g_atomic_int_get (&job->fitting);
  if (job->result.fit && job->for_view && !g_atomic_int_get (&job->cancel))
    job_view (job);
}

/* ---------------------------------------------------------------- task */

/* A job in GLib's worker pool, for the dialog and run() alike. */
static void
task_thread (GTask *task, gpointer source, gpointer data,
             GCancellable *cancellable)
{
  job_run (data);
  g_task_return_boolean (task, TRUE);
}

/* ---------------------------------------------------------------- dialog */

static void
task_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Job      *job = g_task_get_task_data (G_TASK (res));
  SbFitter *fitter = job->fitter;

  if (!fitter || fitter->current != job)
    return;   /* replaced, cancelled or the dialog is gone */
  fitter->current = NULL;
  fitter->done (fitter, &job->result, fitter->user_data);
}

/* ---------------------------------------------------------------- run() */

static void
run_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

SkcBokehFit *
sb_fit_run (const SkcBokehRequest *req, gboolean *fitted, GError **error)
{
  Job          *job = job_new (req);
  GMainContext *ctx = g_main_context_new ();
  GTask        *task;
  SkcBokehFit  *fit;
  gboolean      finished = FALSE, shown = FALSE;
  gint          ticks = 0;

  /* The same GTask as the dialog's, its end delivered to a context of
   * our own (no main loop runs here), iterated while the bar is updated.
   * A cache hit comes back in milliseconds: look often, but update the
   * bar (a round trip to GIMP) only ten times a second. */
  g_main_context_push_thread_default (ctx);
  task = g_task_new (NULL, NULL, run_done, &finished);
  g_task_set_task_data (task, job, NULL);
  g_task_run_in_thread (task, task_thread);
  g_object_unref (task);
  while (!finished)
    {
      if (g_main_context_iteration (ctx, FALSE))
        continue;
      g_usleep (G_USEC_PER_SEC / 200);
      if (++ticks % 20 == 0 && g_atomic_int_get (&job->fitting))
        {
          if (!shown)
            gimp_progress_init (_("Fitting the bokeh kernel"));
          shown = TRUE;
          gimp_progress_update (g_atomic_int_get (&job->progress) / 1000.0);
        }
    }
  g_main_context_pop_thread_default (ctx);
  g_main_context_unref (ctx);
  if (shown)
    gimp_progress_update (1.0);

  fit = g_steal_pointer (&job->result.fit);
  if (!fit)
    g_propagate_error (error, g_steal_pointer (&job->result.error));
  if (fitted)
    *fitted = job->result.fitted;
  job_free (job);
  return fit;
}

SbFitter *
sb_fitter_new (SbFitterDone done, gpointer user_data, const float *plane,
               gint width, gint height)
{
  SbFitter *f = g_new0 (SbFitter, 1);

  f->done = done;
  f->user_data = user_data;
  if (plane && width > 0 && height > 0)
    {
      f->plane = g_bytes_new (plane, (gsize) width * height * sizeof (float));
      f->plane_width = width;
      f->plane_height = height;
    }
  return f;
}

void
sb_fitter_cancel (SbFitter *f)
{
  if (f->current)
    {
      g_atomic_int_set (&f->current->cancel, 1);
      f->current->fitter = NULL;
      f->current = NULL;
    }
}

void
sb_fitter_free (SbFitter *f)
{
  if (!f)
    return;
  sb_fitter_cancel (f);
  g_clear_pointer (&f->plane, g_bytes_unref);
  g_free (f);
}

void
sb_fitter_start (SbFitter *f, const SkcBokehRequest *req)
{
  Job   *job = job_new (req);
  GTask *task;

  sb_fitter_cancel (f);
  job->for_view = TRUE;
  job->fitter = f;
  if (f->plane)
    {
      job->plane = g_bytes_ref (f->plane);
      job->plane_width = f->plane_width;
      job->plane_height = f->plane_height;
    }
  f->current = job;
  task = g_task_new (NULL, NULL, task_done, NULL);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, task_thread);
  g_object_unref (task);
}

gboolean
sb_fitter_busy (SbFitter *f)
{
  return f->current != NULL;
}

gdouble
sb_fitter_progress (SbFitter *f)
{
  return f->current ? g_atomic_int_get (&f->current->progress) / 1000.0 : 0.0;
}
