/* Stencils of the spatially varying apply (skc-apply-varying.c): a layer
 * folded at one quantised key, and the per-thread cache of folded ones.
 *
 * Stencils.  A layer at one quantised (s, a) is folded like the uniform
 * engine's layers (skc-stencil.c, fractions in float): each tap's four
 * bilinear corners, weights in double, corners landing on the same pixel
 * merged, zero sums dropped, rounded once to float, sorted by (dy, dx).
 * Every pixel of the run path, in a long run or alone, is
 *     acc = w_0 in (p + d_0);  acc = acc + w_e in (p + d_e), e = 1 .. n-1
 * in float, no FMA: the row kernels (skc-apply-varying-rows.c, and the
 * uniform engine's scalar kernel) compute exactly this, and so does the
 * clamped per-pixel code at the borders.  A pixel's value thus depends on
 * the field alone (its own value, and its neighbours' for the choice of
 * path), never on how rows are cut into runs, tiles or threads or
 * on the SIMD path: the result is bit-identical for all of them.
 */
#define _POSIX_C_SOURCE 200809L
#include "skc-varying-internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- fold */

/* Every tap through tap_at into @tx, @ty, @tw. */
static inline void
taps_fill (float *tx, float *ty, float *tw, int n, const LayerAt *a, float c,
           float s, int lerp, int rotate)
{
  for (int i = 0; i < n; i++)
    {
      float x, y, w;

      tap_at (a, i, c, s, lerp, rotate, &x, &y, &w);
      tx[i] = x;
      ty[i] = y;
      tw[i] = w;
    }
}

/* Fold layer @L at @key into @st. */
static void
fold (const SkcFamily *f, const Layer *L, Worker *wk, uint64_t key,
      StencilSlot *st)
{
  const int n = L->n;
  float     s, a, c = 1.0f, sn = 0.0f;
  LayerAt   at;

  skc_vary_key_params (L, key, &s, &a);
  at = layer_at (f, L, s);
  if (a != 0.0f)
    {
      skc_rotation (a, &c, &sn);
      if (at.lerp)
        taps_fill (wk->tx, wk->ty, wk->tw, n, &at, c, sn, 1, 1);
      else
        taps_fill (wk->tx, wk->ty, wk->tw, n, &at, c, sn, 0, 1);
    }
  else if (at.lerp)
    taps_fill (wk->tx, wk->ty, wk->tw, n, &at, c, sn, 1, 0);
  else
    taps_fill (wk->tx, wk->ty, wk->tw, n, &at, c, sn, 0, 0);

  skc_stencil_fold (&wk->folder, wk->tx, wk->ty, wk->tw, n, 1, &st->s);
  for (int e = 0; e < st->s.n; e++)
    st->off[e] = st->s.dy[e] * L->stride + 4 * (ptrdiff_t) st->s.dx[e];
}

/* The stencil of the pass's layer at @key: cached or folded now. */
const StencilSlot *
skc_vary_lookup (const Pass *p, Worker *wk, uint64_t key)
{
  Cache   *c = &wk->cache[p->index];
  StencilSlot *set, *victim;

  if (c->last && c->last->key == key)
    return c->last;
  set = c->slot + ((key * 0x9E3779B97F4A7C15ull) >> 32 & (CACHE_SETS - 1))
                  * CACHE_WAYS;
  victim = set;
  if (!p->call->no_cache)
    for (int w = 0; w < CACHE_WAYS; w++)
      {
        if (set[w].key == key)
          {
            set[w].age = ++wk->clock;
            c->last = &set[w];
            return c->last;
          }
        if (set[w].age < victim->age)
          victim = &set[w];
      }
  fold (p->call->family, p->layer, wk, key, victim);
  victim->key = key;
  victim->age = ++wk->clock;
  c->last = p->call->no_cache ? NULL : victim;
  wk->stats.folds++;
  return victim;
}
