/* LowRank baseline (McGraw 2015, "Fast bokeh effects using low-rank linear
 * filters"; METHOD.md section 5): the dense kernel's singular value
 * decomposition K = sum_k s_k u_k v_k^T, truncated to rank r, applied as r
 * separable filters whose outputs are summed.
 *
 * As a complex: r branches of two layers each.  Branch k's first layer is
 * horizontal, one tap per kernel column x with weight sqrt (s_k) v_k(x) at
 * offset (-(x - cx), 0) (a gather tap at o puts mass at -o); its second is
 * vertical, one tap per row y with weight sqrt (s_k) u_k(y) at offset
 * (0, -(y - cy)).  Taps are whole pixels, so the apply engine folds them
 * into integer stencils.  2 r M taps for an M x M kernel, as in the paper.
 *
 * Singular vectors have arbitrary signs; each pair is flipped so that v_k
 * has a positive sum (or, if that is zero, a positive largest entry), so
 * bases of one family can be interpolated.
 *
 * The SVD is LAPACK's dgesvd (Debian's liblapacke): the reference
 * implementation, in double precision, rather than a hand-written Jacobi
 * SVD that we would have to test to the same standard.
 */
#include "skc.h"
#include "skc-private.h"

#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

SkcStatus
skc_fit_lowrank (const SkcKernel *target, int rank, SkcComplex **out)
{
  int        m, n, k, ns[SKC_MAX_LAYERS];
  double    *a = NULL, *s = NULL, *u = NULL, *vt = NULL, *superb = NULL;
  SkcKernel *t = NULL;
  SkcComplex *c = NULL;
  SkcStatus  st;
  double     t0 = skc_time_now ();

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!target || rank < 1 || rank > SKC_MAX_LAYERS / 2)
    return SKC_ERR_INVALID;
  if (target->width > SKC_MAX_SAMPLES || target->height > SKC_MAX_SAMPLES)
    return SKC_ERR_INVALID;   /* one tap per row/column must fit a layer */
  st = skc_kernel_copy (target, &t);
  if (st == SKC_OK)
    st = skc_kernel_normalize (t);
  if (st != SKC_OK)
    goto out;
  m = t->height;
  n = t->width;
  k = m < n ? m : n;
  if (rank > k)
    rank = k;

  a = malloc (sizeof (double) * m * n);
  s = malloc (sizeof (double) * k);
  u = malloc (sizeof (double) * m * m);
  vt = malloc (sizeof (double) * n * n);
  superb = malloc (sizeof (double) * (k > 1 ? k : 2));
  if (!a || !s || !u || !vt || !superb)
    {
      st = SKC_ERR_NOMEM;
      goto out;
    }
  for (int i = 0; i < m * n; i++)
    a[i] = t->data[i];
  if (LAPACKE_dgesvd (LAPACK_ROW_MAJOR, 'A', 'A', m, n, a, n, s, u, m, vt, n,
                      superb) != 0)
    {
      st = SKC_ERR_INVALID;   /* did not converge */
      goto out;
    }

  for (int b = 0; b < 2 * rank; b += 2)
    {
      ns[b] = n;
      ns[b + 1] = m;
    }
  st = skc_complex_new (2 * rank, ns, &c);
  if (st != SKC_OK)
    goto out;
  c->n_branches = rank;
  for (int r = 0; r < rank; r++)
    {
      SkcTap *h = skc_complex_layer (c, 2 * r);
      SkcTap *v = skc_complex_layer (c, 2 * r + 1);
      double  root = sqrt (fmax (s[r], 0.0));
      double  sum = 0.0, big = 0.0;
      double  sign;

      c->branch_layers[r] = 2;
      for (int x = 0; x < n; x++)
        {
          double e = vt[(size_t) r * n + x];

          sum += e;
          if (fabs (e) > fabs (big))
            big = e;
        }
      sign = sum > 1e-12 ? 1.0 : sum < -1e-12 ? -1.0 : big >= 0 ? 1.0 : -1.0;
      for (int x = 0; x < n; x++)
        {
          h[x].ox = (float) -(x - n / 2);
          h[x].oy = 0.0f;
          h[x].w = (float) (sign * root * vt[(size_t) r * n + x]);
        }
      for (int y = 0; y < m; y++)
        {
          v[y].ox = 0.0f;
          v[y].oy = (float) -(y - m / 2);
          v[y].w = (float) (sign * root * u[(size_t) y * m + r]);
        }
    }
  c->target_width = n;
  c->target_height = m;
  snprintf (c->method, sizeof c->method, "lowrank");
  snprintf (c->init, sizeof c->init, "svd");
  c->steps = rank;   /* the rank, for the record */
  skc_eval_kernel_psnr (c, t, &c->kernel_psnr);
  c->fit_seconds = skc_time_now () - t0;
  *out = c;
  c = NULL;

out:
  skc_complex_free (c);
  skc_kernel_free (t);
  free (a);
  free (s);
  free (u);
  free (vt);
  free (superb);
  return st;
}
