/* Internals of the spatially varying apply (skc-apply-varying.c), shared
 * with the unit tests and benchmarks.  Not installed, not part of the API.
 */
#ifndef SKC_APPLY_VARYING_PRIVATE_H
#define SKC_APPLY_VARYING_PRIVATE_H

#include "skc.h"
#include "skc-apply-private.h"

#include <stdint.h>

/* The quantisation bound (skc-varying-keys.c): every tap offset of a
 * layer at a pixel's quantised (size, angle) lies within this many pixels
 * of the offset at its exact (size, angle), and the layer's weights differ
 * by at most SKC_VARY_WEIGHT_BOUND in sum of absolute values. */
#define SKC_VARY_OFFSET_BOUND (1.0 / 16)
#define SKC_VARY_WEIGHT_BOUND (1.0 / 512)

/* Counters of one apply, summed over threads and passes. */
typedef struct
{
  uint64_t pixels;     /* pixels computed, over all passes              */
  uint64_t identity;   /* of which size 0: copied                       */
  uint64_t runs;       /* runs of one stencil (identity runs excluded)  */
  uint64_t gathered;   /* pixels computed by the row kernel             */
  uint64_t clamped;    /* pixels computed one by one at the borders     */
  uint64_t lone;       /* pixels on the exact per-pixel path            */
  uint64_t folds;      /* stencils folded (cache misses)                */
  uint64_t entries;    /* stencil entries times pixels (the work)       */
} SkcVaryingStats;

typedef struct
{
  SkcSimdPath      path;     /* row kernel; SKC_SIMD_COUNT: the best one */
  int              max_run;  /* > 0: cut runs to at most this many pixels
                              * (1: every pixel on its own)              */
  int              no_cache; /* fold a stencil for every run             */
  SkcVaryingStats *stats;    /* filled in if not NULL                    */
  float            lone_rate;/* keys per pixel beyond which a pixel is
                              * lone (exact per-pixel path); 0: the
                              * default, < 0: every pixel, INFINITY: none */
} SkcVaryingTuning;

/* Row kernels for runs (skc-apply-varying-rows.c): the gather contract of
 * skc-apply-private.h, bit-identical to the uniform engine's kernels,
 * faster on runs of a few dozen pixels.  NULL if @path is not
 * available. */
SkcGatherFunc skc_gather_runs_func (SkcSimdPath path);
SkcGather     skc_gather_runs_generic;
SkcGather     skc_gather_runs_avx2;

/* skc_apply_varying_rgba with the choices above (NULL: the defaults,
 * which skc_apply_varying_rgba uses).  The result is the same bits for
 * every path, max_run and no_cache; lone_rate changes which pixels take
 * the exact per-pixel path.  SKC_ERR_INVALID also for an unavailable
 * path. */
SkcStatus skc_apply_varying_rgba_tuned (const SkcFamily *family,
                                        const float *field, SkcInView in,
                                        SkcRect bounds, SkcOutView out,
                                        const SkcApplyOptions *options,
                                        const SkcVaryingTuning *tuning);

/* The (size, angle) layer @layer of the varying apply gathers with on its
 * run path (quantised stencils) at a pixel whose field holds (@size,
 * @angle): *q_size 0 means the pixel is passed through (times the layer's
 * weight sum).  Lone pixels use (@size, @angle) as they are.
 * SKC_ERR_INVALID for a bad family or layer. */
SkcStatus skc_vary_quantise (const SkcFamily *family, int layer, float size,
                             float angle, float *q_size, float *q_angle);

#endif
