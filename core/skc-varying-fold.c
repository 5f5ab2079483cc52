/* Stencils of the spatially varying apply (skc-apply-varying.c): a layer
 * folded at one quantised key, and the per-thread cache of folded ones.
 *
 * Stencils.  A layer at one quantised (s, a) is folded like the uniform
 * engine's layers: each tap's four bilinear corners, weights in double,
 * corners landing on the same pixel merged, zero sums dropped, rounded
 * once to float, sorted by (dy, dx).  Every pixel of the run path, in a
 * long run or alone, is
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
taps_fill (float *tx, float *ty, float *tw, int n, const float *ox,
           const float *oy, const float *ow, const float *dox,
           const float *doy, const float *dw, float t, float c, float s,
           int lerp, int rotate)
{
  for (int i = 0; i < n; i++)
    {
      float x, y, w;

      tap_at (i, ox, oy, ow, dox, doy, dw, t, c, s, lerp, rotate, &x, &y, &w);
      tx[i] = x;
      ty[i] = y;
      tw[i] = w;
    }
}

/* Index of the entry at (@dx, @dy) in the fold under way, appended to
 * @st (with a zero weight) if new. */
static inline int
merge_entry (Worker *wk, Stencil *st, int *m, int dx, int dy)
{
  uint64_t k = (uint64_t) (uint32_t) dy << 32 | (uint32_t) dx;
  uint32_t mask = (1u << wk->mbits) - 1;
  uint32_t h = (uint32_t) ((k * 0x9E3779B97F4A7C15ull) >> (64 - wk->mbits));

  for (;; h = (h + 1) & mask)
    {
      if (wk->mgen[h] != wk->gen)
        {
          wk->mgen[h] = wk->gen;
          wk->mkey[h] = k;
          wk->midx[h] = *m;
          st->dx[*m] = dx;
          st->dy[*m] = dy;
          wk->acc[*m] = 0.0;
          return (*m)++;
        }
      if (wk->mkey[h] == k)
        return wk->midx[h];
    }
}

/* Fold layer @L at @key into @st. */
static void
fold (const SkcFamily *f, const Layer *L, Worker *wk, uint64_t key,
      Stencil *st)
{
  const int    n = L->n;
  float        s, a, t, c = 1.0f, sn = 0.0f;
  int          k, lerp, m = 0, e2 = 0;
  const float *ox, *oy, *ow, *dox, *doy, *dw;

  skc_vary_key_params (L, key, &s, &a);
  skc_family_locate (f, s, &k, &lerp, &t);
  ox = L->ox + (size_t) k * n;
  oy = L->oy + (size_t) k * n;
  ow = L->w + (size_t) k * n;
  dox = L->dox + (size_t) k * n;
  doy = L->doy + (size_t) k * n;
  dw = L->dw + (size_t) k * n;
  if (a != 0.0f)
    {
      skc_rotation (a, &c, &sn);
      if (lerp)
        taps_fill (wk->tx, wk->ty, wk->tw, n, ox, oy, ow, dox, doy, dw, t,
                   c, sn, 1, 1);
      else
        taps_fill (wk->tx, wk->ty, wk->tw, n, ox, oy, ow, dox, doy, dw, t,
                   c, sn, 0, 1);
    }
  else if (lerp)
    taps_fill (wk->tx, wk->ty, wk->tw, n, ox, oy, ow, dox, doy, dw, t, c, sn,
               1, 0);
  else
    taps_fill (wk->tx, wk->ty, wk->tw, n, ox, oy, ow, dox, doy, dw, t, c, sn,
               0, 0);

  /* a new generation empties the merge table */
  if (++wk->gen == 0)
    {
      memset (wk->mgen, 0, sizeof (uint32_t) << wk->mbits);
      wk->gen = 1;
    }
  for (int i = 0; i < n; i++)
    {
      float  x = wk->tx[i], y = wk->ty[i];
      int    ix = (int) x, iy = (int) y;   /* floor: |x| far below 2^31 */
      double fx, fy, w = wk->tw[i], cw[4];

      ix -= x < (float) ix;
      iy -= y < (float) iy;
      fx = x - (float) ix;   /* exact */
      fy = y - (float) iy;
      cw[0] = w * (1 - fx) * (1 - fy);
      cw[1] = w * fx * (1 - fy);
      cw[2] = w * (1 - fx) * fy;
      cw[3] = w * fx * fy;
      for (int j = 0; j < 4; j++)
        if (cw[j] != 0.0)
          wk->acc[merge_entry (wk, st, &m, ix + (j & 1), iy + (j >> 1))]
            += cw[j];
    }

  /* drop zero sums, round once */
  for (int e = 0; e < m; e++)
    {
      float v = (float) wk->acc[e];

      if (v != 0.0f)
        {
          st->dx[e2] = st->dx[e];
          st->dy[e2] = st->dy[e];
          st->w[e2] = v;
          e2++;
        }
    }
  if (e2 == 0)
    {
      /* all weights cancel: the layer outputs zero */
      st->dx[0] = st->dy[0] = 0;
      st->w[0] = 0.0f;
      e2 = 1;
    }
  /* Sorted by (dy, dx), as the uniform engine's: loads that follow each
   * other stay close (insertion sort: a few dozen entries, and no two
   * alike, so the order is total). */
  for (int e = 1; e < e2; e++)
    {
      int   dx = st->dx[e], dy = st->dy[e], j = e;
      float w = st->w[e];

      for (; j > 0 && (st->dy[j - 1] > dy
                       || (st->dy[j - 1] == dy && st->dx[j - 1] > dx)); j--)
        {
          st->dx[j] = st->dx[j - 1];
          st->dy[j] = st->dy[j - 1];
          st->w[j] = st->w[j - 1];
        }
      st->dx[j] = dx;
      st->dy[j] = dy;
      st->w[j] = w;
    }
  st->n = e2;
  st->x0 = st->x1 = st->dx[0];
  st->y0 = st->y1 = st->dy[0];
  for (int e = 0; e < e2; e++)
    {
      st->x0 = st->dx[e] < st->x0 ? st->dx[e] : st->x0;
      st->x1 = st->dx[e] > st->x1 ? st->dx[e] : st->x1;
      st->y0 = st->dy[e] < st->y0 ? st->dy[e] : st->y0;
      st->y1 = st->dy[e] > st->y1 ? st->dy[e] : st->y1;
      st->off[e] = st->dy[e] * L->stride + 4 * (ptrdiff_t) st->dx[e];
    }
}

/* The stencil of the pass's layer at @key: cached or folded now. */
const Stencil *
skc_vary_lookup (const Pass *p, Worker *wk, uint64_t key)
{
  Cache   *c = &wk->cache[p->index];
  Stencil *set, *victim;

  if (c->last && c->last->key == key)
    return c->last;
  set = c->slot + ((key * 0x9E3779B97F4A7C15ull) >> 32 & (CACHE_SETS - 1))
                  * CACHE_WAYS;
  victim = set;
  if (!p->no_cache)
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
  fold (p->family, p->layer, wk, key, victim);
  victim->key = key;
  victim->age = ++wk->clock;
  c->last = p->no_cache ? NULL : victim;
  wk->stats.folds++;
  return victim;
}
