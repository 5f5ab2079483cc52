/* The cat's eye's apply: its field, then the varying engine (issue 15).
 *
 * The field (skc_cateye_field) is piecewise constant: SKC_CATEYE_CLIP_STEPS
 * clip rings times SKC_CATEYE_ANGLE_STEPS sectors.  The varying engine's
 * "lone" pixels (skc-apply-varying.c) are for fields that change fast and
 * smoothly, where a stencil quantised on a neighbour's value would be too
 * far from the pixel's own; across a step of this field each side already
 * holds its exact value, which its own key serves within the engine's
 * bound, so the per-pixel path would cost the most (about a third of the
 * cat's eye's time, perf on tests/bench/bench-lens.c) and buy nothing.
 * Here every pixel takes the run path (lone rate infinite).  The field is
 * worked out on the apply's threads, row by row, and only where the clip
 * is above 0 does a pixel need its direction (one atan2).
 */
#include "skc.h"
#include "skc-private.h"
#include "skc-apply-varying-private.h"

#include <math.h>
#include <stdlib.h>

typedef struct
{
  const SkcCateyeParams *params;
  float                  diameter;
  SkcRect                rect;
  float                 *field;
  int                    n_parts;
} FieldJob;

static void
field_part (void *data, int index)
{
  const FieldJob *j = data;
  int             y0 = (int) ((long long) j->rect.height * index / j->n_parts);
  int             y1 = (int) ((long long) j->rect.height * (index + 1)
                              / j->n_parts);

  skc_cateye_field (j->params, j->diameter,
                    (SkcRect) { j->rect.x, j->rect.y + y0, j->rect.width,
                                y1 - y0 },
                    j->field + 2 * (size_t) y0 * j->rect.width);
}

SkcStatus
skc_cateye_apply_rgba (const SkcFamily *family, const SkcCateyeParams *params,
                       float diameter, SkcInView in, SkcRect bounds,
                       SkcOutView out, const SkcApplyOptions *options)
{
  SkcVaryingTuning tuning = { 0 };
  FieldJob         job;
  SkcStatus        st;
  size_t           n;

  if (!family || !params || !in.data || in.rect.width < 0
      || in.rect.height < 0 || !(diameter > 0.0f) || !isfinite (diameter))
    return SKC_ERR_INVALID;
  n = (size_t) in.rect.width * in.rect.height;
  if (n > SIZE_MAX / (2 * sizeof (float)))
    return SKC_ERR_NOMEM;
  job.params = params;
  job.diameter = diameter;
  job.rect = in.rect;
  job.field = malloc ((n ? n : 1) * 2 * sizeof (float));
  if (!job.field)
    return SKC_ERR_NOMEM;
  /* the field's own checks, on an empty rectangle */
  st = skc_cateye_field (params, diameter, (SkcRect) { 0, 0, 0, 0 },
                         job.field);
  if (st != SKC_OK)
    {
      free (job.field);
      return st;
    }
  job.n_parts = skc_thread_count (options ? options->n_threads : 0);
  if (job.n_parts > in.rect.height)
    job.n_parts = in.rect.height > 0 ? in.rect.height : 1;
  skc_parallel_run (job.n_parts, field_part, &job);
  tuning.path = SKC_SIMD_COUNT;
  tuning.lone_rate = INFINITY;
  st = skc_apply_varying_rgba_tuned (family, job.field, in, bounds, out,
                                     options, &tuning);
  free (job.field);
  return st;
}
