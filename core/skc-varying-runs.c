/* A pass's rows in the spatially varying apply (skc-apply-varying.c).
 *
 * Runs.  Each pass computes, row by row, the key (quantised parameters, or
 * "lone") of every pixel and cuts the row into runs of equal keys.  A run
 * is gathered by the row kernel over its interior part (all reads inside
 * the readable source; near the top or bottom edge the entries' offsets
 * are adjusted to read clamped rows) and pixel by pixel with clamped reads
 * within a stencil's reach of the left or right edge.  Size-0 runs are
 * copied (times the layer's weight sum when that is not 1 within 1e-6).
 * Folded stencils are kept per thread and layer in a small set-associative
 * cache (32 sets of 4, least recently used out).
 */
#define _POSIX_C_SOURCE 200809L
#include "skc-varying-internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One pixel with every read clamped to the readable source.  @base + y *
 * stride + 4 x is pixel (x, y) of the source. */
static void
pixel_clamped (const Src *S, const float *base, const SkcStencil *st, int x,
               int y, float *o)
{
#ifdef SKC_HAVE_VEC4
  Vec4 acc = { 0.0f, 0.0f, 0.0f, 0.0f };

  for (int e = 0; e < st->n; e++)
    {
      const float *q = base
                       + skc_clampi (y + st->dy[e], S->y0, S->y1) * S->stride
                       + 4 * (ptrdiff_t) skc_clampi (x + st->dx[e], S->x0, S->x1);

      acc = e == 0 ? st->w[e] * load4 (q) : acc + st->w[e] * load4 (q);
    }
  memcpy (o, &acc, sizeof acc);
#else
  float acc[4] = { 0.0f, 0.0f, 0.0f, 0.0f };

  for (int e = 0; e < st->n; e++)
    {
      const float *q = base
                       + skc_clampi (y + st->dy[e], S->y0, S->y1) * S->stride
                       + 4 * (ptrdiff_t) skc_clampi (x + st->dx[e], S->x0, S->x1);

      for (int c = 0; c < 4; c++)
        acc[c] = e == 0 ? st->w[e] * q[c] : acc[c] + st->w[e] * q[c];
    }
  memcpy (o, acc, sizeof acc);
#endif
}

/* Pixels [@xa, @xb) of row @y, all of one stencil. */
static void
stencil_run (const Pass *p, Worker *wk, const float *base, float *orow,
             const StencilSlot *slot, int y, int xa, int xb)
{
  const Src        *S = &p->src;
  const SkcStencil *st = &slot->s;
  const ptrdiff_t  *off = slot->off;
  int               lo, hi;

  /* Near the top or bottom edge: rows clamped through the offsets. */
  if (y + st->y0 < S->y0 || y + st->y1 > S->y1)
    {
      for (int e = 0; e < st->n; e++)
        wk->off_y[e] = (skc_clampi (y + st->dy[e], S->y0, S->y1) - y) * S->stride
                       + 4 * (ptrdiff_t) st->dx[e];
      off = wk->off_y;
    }
  /* [lo, hi): every column read lies inside the readable source */
  lo = skc_clampi (S->x0 - st->x0, xa, xb);
  hi = skc_clampi (S->x1 - st->x1 + 1, lo, xb);
  for (int x = xa; x < lo; x++)
    pixel_clamped (S, base, st, x, y, orow + 4 * (ptrdiff_t) x);
  if (lo < hi)
    p->call->gather (base + y * S->stride + 4 * (ptrdiff_t) lo, S->stride,
                     orow + 4 * (ptrdiff_t) lo, 0, hi - lo, 1, st->w, off,
                     st->n);
  for (int x = hi; x < xb; x++)
    pixel_clamped (S, base, st, x, y, orow + 4 * (ptrdiff_t) x);
  wk->stats.runs++;
  wk->stats.entries += (uint64_t) st->n * (uint64_t) (xb - xa);
  wk->stats.gathered += (uint64_t) (hi - lo);
  wk->stats.clamped += (uint64_t) (xb - xa - (hi - lo));
}

/* Size-0 pixels [@xa, @xb) of row @y: copied, times the size-0 gain. */
static void
identity_run (const Pass *p, const float *base, float *orow, int y, int xa,
              int xb)
{
  const Src   *S = &p->src;
  const float *row = base + skc_clampi (y, S->y0, S->y1) * S->stride;
  float        g = p->layer->gain0;

  for (int x = xa; x < xb; x++)
    {
      const float *q = row + 4 * (ptrdiff_t) skc_clampi (x, S->x0, S->x1);
      float       *o = orow + 4 * (ptrdiff_t) x;

      if (g == 1.0f)
        memcpy (o, q, 4 * sizeof (float));
      else
        for (int c = 0; c < 4; c++)
          o[c] = g * q[c];
    }
}

/* Pixels [@x0, @x1) of output row @y of a pass. */
void
skc_vary_pass_row (const Pass *p, Worker *wk, int y, int x0, int x1)
{
  const Src   *S = &p->src;
  const Layer *L = p->layer;
  const float *frow = pass_field_row (p, y);
  float       *orow = p->dst.data + (ptrdiff_t) (y - p->dst.y) * p->dst.stride
                      - (ptrdiff_t) p->dst.x * 4;
  /* base + y * stride + 4 x is pixel (x, y) of the source plane */
  const float *base = S->data - S->r.y * S->stride - (ptrdiff_t) S->r.x * 4;
  uint64_t    *keys = wk->keys - x0;
  int          rotated;

  rotated = skc_vary_row_keys (L, frow, keys, x0, x1);
  skc_vary_row_classes (p, frow, keys, x0, x1, rotated);
  for (int x = x0; x < x1; )
    {
      uint64_t k = keys[x];
      int      max_run = p->call->max_run;
      int      end = max_run > 0 && x1 - x > max_run ? x + max_run : x1;
      int      xe = x + 1;

      while (xe < end && keys[xe] == k)
        xe++;
      if (k == 0)
        {
          identity_run (p, base, orow, y, x, xe);
          wk->stats.identity += (uint64_t) (xe - x);
        }
      else if (k == LONE)
        skc_vary_lone_run (p, wk, base, orow, y, x, xe);
      else
        stencil_run (p, wk, base, orow, skc_vary_lookup (p, wk, k), y, x, xe);
      x = xe;
    }
  wk->stats.pixels += (uint64_t) (x1 - x0);
}
