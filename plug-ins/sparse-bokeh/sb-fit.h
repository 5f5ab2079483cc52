/* Fitting the kernel in the plug-in's process (sb-fit.c).
 *
 * skc:bokeh fits its kernel itself when it first renders, inside GIMP's
 * process, with no progress bar and no way to stop it.  The plug-in asks
 * for the very same fit first (skc_bokeh_fit_get with the request the op
 * will make), which runs here with a progress bar and can be cancelled,
 * and lands in the disk fit cache shared with the op: when the op then
 * renders, its fit is read back at once.  A fit already in the cache is
 * instant here too.
 *
 * sb_fit_run is for run(): GIMP's progress bar, the fit in a worker
 * thread, the bar updated from the main thread (libgimp is not thread
 * safe).  SbFitter is for the dialog: fits in the background, a newer
 * request cancels an older one, results come back in the main loop with
 * what the kernel view shows.
 */
#ifndef SB_FIT_H
#define SB_FIT_H

#include "sb-params.h"

G_BEGIN_DECLS

/* The fit for @request, from the caches or fitted now under GIMP's
 * progress bar.  @fitted (may be NULL) tells whether a fit ran.  NULL with
 * @error if the kernel cannot be fitted. */
SkcBokehFit *sb_fit_run        (const SkcBokehRequest *request,
                                gboolean              *fitted,
                                GError               **error);

typedef struct
{
  SkcBokehFit *fit;          /* NULL on error or cancel                   */
  GError      *error;
  gboolean     fitted;       /* a fit ran (not from a cache)              */
  gdouble      seconds;
  SkcKernel   *target;       /* for the kernel view, may be NULL          */
  SkcKernel   *fitted_kernel;
  gdouble      image_psnr;   /* sparse vs dense on a crop of the image,
                              * linear light, dB; NaN if not measured    */
} SbFitResult;

typedef struct _SbFitter SbFitter;

/* Called in the main loop when the current request is done (not for
 * requests replaced or cancelled before they finished).  @result is only
 * valid during the call; take a reference to keep result->fit. */
typedef void (*SbFitterDone) (SbFitter          *fitter,
                              const SbFitResult *result,
                              gpointer           user_data);

/* @plane (@width x @height linear luminance, copied; may be NULL) is the
 * crop of the image the error is measured on. */
SbFitter *sb_fitter_new        (SbFitterDone           done,
                                gpointer               user_data,
                                const float           *plane,
                                gint                   width,
                                gint                   height);
/* Cancels the fit under way; its result is dropped. */
void      sb_fitter_free       (SbFitter              *fitter);
/* Fit @request in the background (a copy is taken), cancelling the
 * previous request. */
void      sb_fitter_start      (SbFitter              *fitter,
                                const SkcBokehRequest *request);
void      sb_fitter_cancel     (SbFitter              *fitter);
gboolean  sb_fitter_busy       (SbFitter              *fitter);
/* 0..1 of the fit under way (0 while it looks in the caches). */
gdouble   sb_fitter_progress   (SbFitter              *fitter);

G_END_DECLS

#endif
