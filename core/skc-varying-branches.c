/* Families of branched bases (the LowRank baseline) in the spatially
 * varying apply (skc-apply-varying.c): chain by chain, summed.
 */
#define _POSIX_C_SOURCE 200809L
#include "skc-varying-internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ branches */

/* Whether @f's bases have summed branches (the LowRank baseline): then
 * every basis must group its layers alike, checked by branched_ok. */
int
skc_vary_family_branched (const SkcFamily *f)
{
  return f && f->n_bases >= 1 && f->n_bases <= SKC_MAX_BASES && f->bases[0]
         && f->bases[0]->taps && skc_complex_n_branches (f->bases[0]) > 1;
}

static int
branched_ok (const SkcFamily *f)
{
  const SkcComplex *b0 = f->bases[0];
  int               nb = skc_complex_n_branches (b0);

  for (int k = 1; k < f->n_bases; k++)
    {
      const SkcComplex *b = f->bases[k];

      if (!b || !b->taps || b->n_layers != b0->n_layers
          || skc_complex_n_branches (b) != nb
          || memcmp (b->branch_layers, b0->branch_layers,
                     (size_t) nb * sizeof *b0->branch_layers))
        return 0;
    }
  return 1;
}

/* Chain @branch of @f as a family of its own: @views[k] is basis k's
 * layers of that branch, sharing its taps (nothing is copied; the views
 * live as long as @f).  The rest of the chain's checks (structure, sizes,
 * finite taps) are skc_vary_family_ok's, in the chain's own apply. */
static void
branch_family (const SkcFamily *f, int branch, SkcComplex *views,
               SkcFamily *out)
{
  memset (out, 0, sizeof *out);
  out->n_bases = f->n_bases;
  for (int k = 0; k < f->n_bases; k++)
    {
      const SkcComplex *b = f->bases[k];
      SkcComplex       *v = &views[k];
      int               first, n;

      skc_complex_branch (b, branch, &first, &n);
      memset (v, 0, sizeof *v);
      v->n_layers = n;
      memcpy (v->n_samples, b->n_samples + first,
              (size_t) n * sizeof *v->n_samples);
      v->taps = skc_complex_layer (b, first);
      v->n_branches = 1;
      v->branch_layers[0] = n;
      out->sizes[k] = f->sizes[k];
      out->bases[k] = v;
    }
}

/* A family of branched bases: every chain is applied on its own, with
 * the chain's taps interpolated at each pixel as any family's, to the
 * same input, and the chains are summed in branch order, pixel by pixel,
 * as the uniform engine's branched plans are (skc_branches_sum).  Each
 * chain's result is bit-identical for any tiling and thread count, and so
 * is their sum in a fixed order.  Each chain checks the arguments (the
 * first against @out) and its own halo, which is at most the family's. */
typedef struct
{
  const SkcFamily        *family;
  const float            *field;
  SkcInView               in;
  SkcRect                 bounds, roi;
  const SkcVaryingTuning *tuning;
  SkcVaryingStats         sum;
} Branches;

static SkcStatus
branch_func (void *data, int b, float *dst, int dst_stride,
             const SkcApplyOptions *options)
{
  Branches        *br = data;
  SkcComplex       views[SKC_MAX_BASES];
  SkcFamily        chain;
  SkcVaryingTuning tu;
  SkcVaryingStats  stats;
  SkcStatus        st;

  if (br->tuning)
    tu = *br->tuning;
  else
    tu = (SkcVaryingTuning) { SKC_SIMD_COUNT, 0, 0, NULL, 0.0f };
  memset (&stats, 0, sizeof stats);
  tu.stats = &stats;
  branch_family (br->family, b, views, &chain);
  st = skc_apply_varying_rgba_tuned (&chain, br->field, br->in, br->bounds,
                                     skc_out_view (dst, dst_stride, br->roi),
                                     options, &tu);
  br->sum.pixels += stats.pixels;
  br->sum.identity += stats.identity;
  br->sum.runs += stats.runs;
  br->sum.gathered += stats.gathered;
  br->sum.clamped += stats.clamped;
  br->sum.folds += stats.folds;
  br->sum.lone += stats.lone;
  br->sum.entries += stats.entries;
  return st;
}

SkcStatus
skc_vary_apply_branched (const SkcFamily *family, const float *field,
                         SkcInView in, SkcRect bounds, SkcOutView out,
                         const SkcApplyOptions *options,
                         const SkcVaryingTuning *tuning)
{
  Branches  br;
  SkcStatus st;

  if (!branched_ok (family) || !skc_vary_rect_ok (out.rect)
      || (options && options->struct_size < sizeof *options))
    return SKC_ERR_INVALID;
  memset (&br, 0, sizeof br);
  br.family = family;
  br.field = field;
  br.in = in;
  br.bounds = bounds;
  br.roi = out.rect;
  br.tuning = tuning;
  st = skc_branches_sum (skc_complex_n_branches (family->bases[0]),
                         branch_func, &br, out.data, out.stride, out.rect,
                         options);
  if (tuning && tuning->stats)
    *tuning->stats = br.sum;
  return st;
}
