/* Families of the baselines (PST, LowRank) for spatially varying
 * filtering, so that each method is compared with its own bases
 * interpolated (issue 4; METHOD.md sections 4-6).
 *
 * Sizes and targets are those of skc_family_fit: bases at geometric
 * diameters from min to max (the first and last exactly min and max), each
 * basis fitted to skc_family_target at its diameter and rotation 0.  The
 * apply interpolates any family tap by tap (skc-family.c); what differs is
 * whether tap i of one basis is "the same" tap as tap i of the next.
 *
 * PST.  Every basis is skc_fit_pst's result for its own target, fitted
 * independently from the same initialisation and seed, as the paper's
 * PST baseline is: nothing ties tap i of one basis to tap i of the next
 * (a Metropolis walk from the SS start wanders differently at each size),
 * which is the paper's point about PST bases interpolating badly.  The
 * structure (layers, samples) is the same in every basis, so the family
 * is valid.  At the paper's budget (10 000 iterations x 10 chains) a
 * basis is far slower to fit than a gradient fit, so a family of a few
 * bases takes minutes (tests/bench/results/baselines.md).
 *
 * LowRank.  Every basis is the SVD of its target truncated to rank r, as
 * skc_fit_lowrank makes it (r summed branches of a horizontal and a
 * vertical layer of whole-pixel taps), with two changes so that bases
 * interpolate:
 *  - one tap grid: every target is padded with zeros (or cropped of its
 *    zero frame) to the smallest odd W x H centred grid that holds every
 *    basis's nonzero weights (the largest basis's), so tap x of a
 *    horizontal layer is the same whole-pixel offset -(x - W / 2) in
 *    every basis; between bases only the weights move (below the first
 *    basis offsets scale, as in any family);
 *  - aligned signs: singular vectors come with arbitrary signs
 *    (skc_fit_lowrank only makes v_k sum positive, which says nothing for
 *    k >= 2, whose vectors sum to about 0).  From the largest basis down,
 *    branch k of each basis is negated (both of its layers: the product,
 *    the rank-1 term, is unchanged) when its weights' correlation with the
 *    next larger basis's branch k, u . u' + v . v', is negative.  Without
 *    it, the midpoint of two bases whose second terms have opposite signs
 *    cancels that term instead of blending it.
 * Each basis is then scaled to unit DC gain (its horizontal layers): a
 * truncated SVD keeps slightly less or more than the kernel's mass, and
 * size 0 is basis 0's gain times the input, which would darken or
 * brighten the sharp parts of a varying image.  At full rank the gain is
 * already 1.  Components are not re-ordered: when two singular values of
 * one shape cross between sizes, branch k pairs different terms (not seen
 * for the shapes of the benchmarks, whose spectra scale with the size).
 * No fitting: a family of 49 px kernels takes milliseconds.
 */
#include "skc.h"
#include "skc-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIAMETER  (SKC_MAX_KERNEL_SIZE - 4)

/* ---------------------------------------------------------------- common */

static void
name_basis (SkcComplex *c, const SkcShapeParams *shape,
            const SkcKernel *kernel, float size)
{
  skc_ascii_snprintf (c->kernel_name, sizeof c->kernel_name, "%s@%.2fpx",
                      kernel ? "kernel" : skc_shape_name (shape->type),
                      (double) size);
}

SkcStatus
skc_family_from_bases (int n_bases, const float *sizes,
                       const SkcComplex *const *bases, SkcFamily **out)
{
  SkcFamily *fam;
  int        nb;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (n_bases < 1 || n_bases > SKC_MAX_BASES || !sizes || !bases
      || !bases[0])
    return SKC_ERR_INVALID;
  nb = skc_complex_n_branches (bases[0]);
  for (int k = 0; k < n_bases; k++)
    {
      const SkcComplex *b = bases[k];

      if (!b || !b->taps || b->n_layers != bases[0]->n_layers
          || memcmp (b->n_samples, bases[0]->n_samples,
                     (size_t) b->n_layers * sizeof *b->n_samples)
          || skc_complex_n_branches (b) != nb
          || (nb > 1 && memcmp (b->branch_layers, bases[0]->branch_layers,
                                (size_t) nb * sizeof *b->branch_layers))
          || !isfinite (sizes[k]) || !(sizes[k] > 0.0f)
          || sizes[k] > MAX_DIAMETER
          || (k > 0 && !(sizes[k] > sizes[k - 1])))
        return SKC_ERR_INVALID;
    }
  fam = calloc (1, sizeof *fam);
  if (!fam)
    return SKC_ERR_NOMEM;
  fam->n_bases = n_bases;
  for (int k = 0; k < n_bases; k++)
    {
      SkcStatus st = skc_complex_copy (bases[k], &fam->bases[k]);

      fam->sizes[k] = sizes[k];
      if (st != SKC_OK)
        {
          skc_family_free (fam);
          return st;
        }
    }
  *out = fam;
  return SKC_OK;
}

/* ---------------------------------------------------------------- PST */

SkcStatus
skc_family_fit_pst (const SkcShapeParams *shape, const SkcKernel *kernel,
                    float min_size, float max_size, int n_bases,
                    const SkcPstOptions *options, SkcFamily **out)
{
  SkcFamily    *fam;
  SkcPstOptions o;
  SkcProgressPart pp;
  SkcStatus     st = SKC_OK;
  const float  *sizes;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!options || options->struct_size < sizeof *options)
    return SKC_ERR_INVALID;
  fam = skc_family_new (shape, kernel, min_size, max_size, n_bases, &st);
  if (!fam)
    return st;
  sizes = fam->sizes;
  o = *options;
  if (options->progress)
    {
      pp = (SkcProgressPart) { options->progress, options->progress_data,
                               0, n_bases };
      o.progress = skc_progress_part_report;
      o.progress_data = &pp;
    }
  /* Largest first, as skc_family_fit, so progress reads alike; the
   * bases do not depend on each other. */
  for (int k = n_bases - 1; k >= 0 && st == SKC_OK; k--)
    {
      SkcKernel *target = NULL;

      pp.part = n_bases - 1 - k;
      st = skc_family_target (shape, kernel, sizes[k], 0.0f, &target);
      if (st == SKC_OK)
        st = skc_fit_pst (target, &o, &fam->bases[k]);
      if (st == SKC_OK)
        name_basis (fam->bases[k], shape, kernel, sizes[k]);
      skc_kernel_free (target);
    }
  if (st != SKC_OK)
    {
      skc_family_free (fam);
      return st;
    }
  *out = fam;
  return SKC_OK;
}

/* ---------------------------------------------------------------- LowRank */

/* @k on a zero canvas of @w x @h (both odd), centre on centre: padded
 * with zeros or cropped (only zeros are cropped away here). */
static SkcStatus
pad_kernel (const SkcKernel *k, int w, int h, SkcKernel **out)
{
  SkcStatus st = skc_kernel_new (w, h, out);
  int       dx = w / 2 - k->width / 2, dy = h / 2 - k->height / 2;

  if (st != SKC_OK)
    return st;
  for (int y = 0; y < k->height; y++)
    for (int x = 0; x < k->width; x++)
      if (x + dx >= 0 && x + dx < w && y + dy >= 0 && y + dy < h)
        (*out)->data[(size_t) (y + dy) * w + x + dx]
          = k->data[(size_t) y * k->width + x];
  return SKC_OK;
}

/* Sum over the two layers of branch @b of the products of @a's and @c's
 * weights, tap by tap: u . u' + v . v' up to positive factors. */
static double
branch_correlation (const SkcComplex *a, const SkcComplex *c, int b)
{
  double d = 0.0;
  int    first, n;

  skc_complex_branch (a, b, &first, &n);
  for (int l = first; l < first + n; l++)
    {
      const SkcTap *p = skc_complex_layer (a, l);
      const SkcTap *q = skc_complex_layer (c, l);

      for (int i = 0; i < a->n_samples[l]; i++)
        d += (double) p[i].w * q[i].w;
    }
  return d;
}

double
skc_lowrank_branch_correlation (const SkcComplex *a, const SkcComplex *b,
                                int branch)
{
  int nb;

  if (!a || !b || !a->taps || !b->taps || a->n_layers != b->n_layers
      || memcmp (a->n_samples, b->n_samples,
                 (size_t) a->n_layers * sizeof *a->n_samples))
    return NAN;
  nb = skc_complex_n_branches (a);
  if (skc_complex_n_branches (b) != nb || branch < 0 || branch >= nb
      || memcmp (a->branch_layers, b->branch_layers,
                 (size_t) nb * sizeof *a->branch_layers))
    return NAN;
  return branch_correlation (a, b, branch);
}

static void
negate_branch (SkcComplex *c, int b)
{
  int first, n;

  skc_complex_branch (c, b, &first, &n);
  for (int l = first; l < first + n; l++)
    {
      SkcTap *t = skc_complex_layer (c, l);

      for (int i = 0; i < c->n_samples[l]; i++)
        t[i].w = -t[i].w;
    }
}

SkcStatus
skc_family_fit_lowrank (const SkcShapeParams *shape, const SkcKernel *kernel,
                        float min_size, float max_size, int n_bases,
                        int rank, SkcFamily **out)
{
  SkcFamily *fam;
  SkcKernel *targets[SKC_MAX_BASES] = { NULL };
  SkcStatus  st = SKC_OK;
  const float *sizes;
  int        w = 1, h = 1;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (rank < 1 || rank > SKC_MAX_LAYERS / 2)
    return SKC_ERR_INVALID;
  fam = skc_family_new (shape, kernel, min_size, max_size, n_bases, &st);
  if (!fam)
    return st;
  sizes = fam->sizes;

  /* Every target, and the smallest centred grid that holds every
   * target's nonzero weights (a 47 px disk's canvas is 51 px wide, its
   * weights 49: 98 taps at rank 1, as the paper counts). */
  for (int k = 0; k < n_bases && st == SKC_OK; k++)
    {
      st = skc_family_target (shape, kernel, sizes[k], 0.0f, &targets[k]);
      for (int y = 0; st == SKC_OK && y < targets[k]->height; y++)
        for (int x = 0; x < targets[k]->width; x++)
          if (targets[k]->data[(size_t) y * targets[k]->width + x] != 0.0f)
            {
              int ex = abs (x - targets[k]->width / 2);
              int ey = abs (y - targets[k]->height / 2);

              w = 2 * ex + 1 > w ? 2 * ex + 1 : w;
              h = 2 * ey + 1 > h ? 2 * ey + 1 : h;
            }
    }
  if (st == SKC_OK && (w > SKC_MAX_SAMPLES || h > SKC_MAX_SAMPLES))
    st = SKC_ERR_INVALID;   /* one tap per row or column must fit a layer */

  for (int k = n_bases - 1; k >= 0 && st == SKC_OK; k--)
    {
      SkcKernel *padded = NULL;
      SkcComplex *c;
      double      gain;
      int         first, n;

      st = pad_kernel (targets[k], w, h, &padded);
      if (st == SKC_OK)
        st = skc_fit_lowrank (padded, rank, &fam->bases[k]);
      if (st != SKC_OK)
        {
          skc_kernel_free (padded);
          break;
        }
      c = fam->bases[k];
      if (k + 1 < n_bases)
        for (int b = 0; b < skc_complex_n_branches (c); b++)
          if (branch_correlation (c, fam->bases[k + 1], b) < 0.0)
            negate_branch (c, b);
      /* Unit DC gain through the horizontal layers. */
      gain = skc_complex_gain (c);
      if (isfinite (gain) && gain > 0.0 && gain != 1.0)
        for (int b = 0; b < skc_complex_n_branches (c); b++)
          {
            SkcTap *t;

            skc_complex_branch (c, b, &first, &n);
            t = skc_complex_layer (c, first);
            for (int i = 0; i < c->n_samples[first]; i++)
              t[i].w = (float) (t[i].w / gain);
          }
      skc_eval_kernel_psnr (c, padded, &c->kernel_psnr);
      skc_kernel_free (padded);
      name_basis (c, shape, kernel, sizes[k]);
    }
  for (int k = 0; k < n_bases; k++)
    skc_kernel_free (targets[k]);
  if (st != SKC_OK)
    {
      skc_family_free (fam);
      return st;
    }
  *out = fam;
  return SKC_OK;
}
