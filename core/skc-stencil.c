/* Folding a layer of bilinear taps into an integer stencil, the one rule
 * both apply engines (skc-apply.c once per plan, the varying apply per
 * quantised key) use, so that their stencils agree bit for bit.
 *
 * A tap at o = (ix + fx, iy + fy) reads the four pixels (ix, iy) ..
 * (ix + 1, iy + 1) with weights w (1 - fx) (1 - fy), w fx (1 - fy),
 * w (1 - fx) fy and w fx fy, in double.  The uniform engine takes the
 * fractions fx, fy exactly (in double); the varying apply has always
 * taken them in float (o - floor (o), rounded for small negative offsets:
 * -0.3f + 1 loses the last bit), and keeps that so that its output stays
 * what it was (float_fraction).  Corners of different taps that
 * land on the same pixel merge: their weights add in double, in the order
 * the taps and corners come, and round once to float.  Entries whose
 * float weight is 0 are dropped (a layer whose weights all cancel keeps
 * one entry of weight 0 at the origin), and the rest are sorted by
 * (dy, dx), which keeps consecutive loads close.
 *
 * Merging goes through a small open-addressed table per thread (a new
 * generation empties it), the sort is an insertion sort: a few dozen
 * entries, no two alike, so the order is total.  The varying apply folds
 * thousands of stencils per image, so both are kept cheap.
 */
#include "skc-stencil.h"

#include <stdlib.h>
#include <string.h>

SkcStatus
skc_stencil_folder_init (SkcStencilFolder *f, int max_taps)
{
  int bits = 4;

  memset (f, 0, sizeof *f);
  while ((1 << bits) < 8 * max_taps)   /* 4 corners a tap, half full */
    bits++;
  f->bits = bits;
  f->acc = malloc (4 * (size_t) max_taps * sizeof *f->acc);
  f->key = malloc (sizeof (uint64_t) << bits);
  f->gen_of = calloc ((size_t) 1 << bits, sizeof (uint32_t));
  f->index = malloc (sizeof (int) << bits);
  if (!f->acc || !f->key || !f->gen_of || !f->index)
    {
      skc_stencil_folder_clear (f);
      return SKC_ERR_NOMEM;
    }
  return SKC_OK;
}

void
skc_stencil_folder_clear (SkcStencilFolder *f)
{
  free (f->acc);
  free (f->key);
  free (f->gen_of);
  free (f->index);
  memset (f, 0, sizeof *f);
}

/* Index of the entry at (@dx, @dy) in the fold under way, appended to
 * @st (with a zero weight) if new. */
static inline int
merge_entry (SkcStencilFolder *f, SkcStencil *st, int *m, int dx, int dy)
{
  uint64_t k = (uint64_t) (uint32_t) dy << 32 | (uint32_t) dx;
  uint32_t mask = (1u << f->bits) - 1;
  uint32_t h = (uint32_t) ((k * 0x9E3779B97F4A7C15ull) >> (64 - f->bits));

  for (;; h = (h + 1) & mask)
    {
      if (f->gen_of[h] != f->gen)
        {
          f->gen_of[h] = f->gen;
          f->key[h] = k;
          f->index[h] = *m;
          st->dx[*m] = dx;
          st->dy[*m] = dy;
          f->acc[*m] = 0.0;
          return (*m)++;
        }
      if (f->key[h] == k)
        return f->index[h];
    }
}

void
skc_stencil_fold (SkcStencilFolder *f, const float *tx, const float *ty,
                  const float *tw, int n, int float_fraction, SkcStencil *st)
{
  int m = 0, e2 = 0;

  /* a new generation empties the merge table */
  if (++f->gen == 0)
    {
      memset (f->gen_of, 0, sizeof (uint32_t) << f->bits);
      f->gen = 1;
    }
  for (int i = 0; i < n; i++)
    {
      float  x = tx[i], y = ty[i];
      int    ix = (int) x, iy = (int) y;   /* floor: |x| far below 2^31 */
      double fx, fy, w = tw[i], cw[4];

      ix -= x < (float) ix;
      iy -= y < (float) iy;
      if (float_fraction)
        {
          fx = x - (float) ix;
          fy = y - (float) iy;
        }
      else
        {
          fx = (double) x - ix;   /* exact */
          fy = (double) y - iy;
        }
      cw[0] = w * (1 - fx) * (1 - fy);
      cw[1] = w * fx * (1 - fy);
      cw[2] = w * (1 - fx) * fy;
      cw[3] = w * fx * fy;
      for (int j = 0; j < 4; j++)
        if (cw[j] != 0.0)
          f->acc[merge_entry (f, st, &m, ix + (j & 1), iy + (j >> 1))]
            += cw[j];
    }

  /* drop zero sums, round once */
  for (int e = 0; e < m; e++)
    {
      float v = (float) f->acc[e];

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
  /* sorted by (dy, dx) */
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
    }
}
