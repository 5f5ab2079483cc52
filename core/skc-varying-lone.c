/* Lone pixels of the spatially varying apply (skc-apply-varying.c): each
 * gathered with the bilinear taps of its own exact (size, angle), where the
 * field changes too fast for a folded stencil to serve two pixels.
 */
#define _POSIX_C_SOURCE 200809L
#include "skc-varying-internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------- lone pixels */

static uint32_t
float_bits (float v)
{
  uint32_t u;

  memcpy (&u, &v, sizeof u);
  return u;
}

/* Every tap through tap_at, turned into integer offsets and bilinear
 * weights.  Inlined with constant flags: straight loops the compiler
 * vectorises. */
static inline void
lone_fill (Taps *tp, int n, const LayerAt *a, float c, float s, int lerp,
           int rotate)
{
  for (int i = 0; i < n; i++)
    {
      float x, y, w, fx, fy;
      int   ix, iy;

      tap_at (a, i, c, s, lerp, rotate, &x, &y, &w);
      /* floor without a libm call (|x| is far below 2^31) */
      ix = (int) x;
      ix -= x < (float) ix;
      iy = (int) y;
      iy -= y < (float) iy;
      fx = x - (float) ix;
      fy = y - (float) iy;
      tp->dx[i] = ix;
      tp->dy[i] = iy;
      tp->w00[i] = w * ((1.0f - fy) * (1.0f - fx));
      tp->w01[i] = w * ((1.0f - fy) * fx);
      tp->w10[i] = w * (fy * (1.0f - fx));
      tp->w11[i] = w * (fy * fx);
    }
}

/* Layer @l's taps at the exact (size, angle), with the arithmetic of
 * skc_family_eval (c, s: skc_rotation of the angle). */
static void
lone_prepare (Taps *tp, const SkcFamily *family, const Layer *L, int l,
              float size, float angle, float c, float s)
{
  uint32_t ks = float_bits (size), ka = float_bits (angle);
  int      n = L->n;
  LayerAt  at;

  if (tp->layer == l && tp->key_size == ks && tp->key_angle == ka)
    return;
  tp->layer = l;
  tp->key_size = ks;
  tp->key_angle = ka;
  tp->identity = !(size > 0.0f);
  if (tp->identity)
    return;

  at = layer_at (family, L, size);
  if (at.lerp && angle != 0.0f)
    lone_fill (tp, n, &at, c, s, 1, 1);
  else if (at.lerp)
    lone_fill (tp, n, &at, c, s, 1, 0);
  else if (angle != 0.0f)
    lone_fill (tp, n, &at, c, s, 0, 1);
  else
    lone_fill (tp, n, &at, c, s, 0, 0);
}

/* Pixels [@xa, @xb) of row @y, each gathered with the bilinear taps of
 * its own exact (size, angle). */
void
skc_vary_lone_run (const Pass *p, Worker *wk, const float *base, float *orow,
                   int y, int xa, int xb)
{
  const Src   *S = &p->src;
  const Layer *L = p->layer;
  const float *frow = pass_field_row (p, y);
  const float *rrow = p->call->rot ? p->call->rot + (frow - p->call->field)
                                    : NULL;
  Taps        *tp = &wk->lone;

  for (int x = xa; x < xb; x++)
    {
      float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
      float rc = 1.0f, rs = 0.0f;

      if (rrow)
        {
          rc = rrow[2 * x];
          rs = rrow[2 * x + 1];
        }
      lone_prepare (tp, p->call->family, L, p->index, frow[2 * x],
                    frow[2 * x + 1], rc, rs);
      if (tp->identity)
        {
          const float *q = base
                           + skc_clampi (y, S->y0, S->y1) * S->stride
                           + 4 * (ptrdiff_t) skc_clampi (x, S->x0, S->x1);

          if (L->gain0 == 1.0f)
            memcpy (orow + 4 * (ptrdiff_t) x, q, 4 * sizeof (float));
          else
            for (int c = 0; c < 4; c++)
              orow[4 * (ptrdiff_t) x + c] = L->gain0 * q[c];
          continue;
        }
      /* Every tap reads within L->reach (+ 1 for the bilinear neighbour,
       * of weight 0 at the extreme): inside the readable source, no
       * clamping is needed. */
      if (x - L->reach >= S->x0 && x + L->reach + 1 <= S->x1
          && y - L->reach >= S->y0 && y + L->reach + 1 <= S->y1)
        {
          const float *q = base + y * S->stride + (ptrdiff_t) x * 4;

#ifdef SKC_HAVE_VEC4
          Vec4 acc = { 0.0f, 0.0f, 0.0f, 0.0f };
#else
          float acc[4] = { 0.0f, 0.0f, 0.0f, 0.0f };
#endif

          for (int i = 0; i < L->n; i++)
            {
              const float *r0 = q + tp->dy[i] * S->stride
                                + (ptrdiff_t) tp->dx[i] * 4;
              const float *r1 = r0 + S->stride;
              float        w00 = tp->w00[i], w01 = tp->w01[i];
              float        w10 = tp->w10[i], w11 = tp->w11[i];

#ifdef SKC_HAVE_VEC4
              acc += w00 * load4 (r0) + w01 * load4 (r0 + 4)
                     + w10 * load4 (r1) + w11 * load4 (r1 + 4);
#else
              for (int c = 0; c < 4; c++)
                acc[c] += w00 * r0[c] + w01 * r0[4 + c] + w10 * r1[c]
                          + w11 * r1[4 + c];
#endif
            }
          a0 = acc[0];
          a1 = acc[1];
          a2 = acc[2];
          a3 = acc[3];
        }
      else
        for (int i = 0; i < L->n; i++)
          {
            int          xa_ = skc_clampi (x + tp->dx[i], S->x0, S->x1);
            int          xb_ = skc_clampi (x + tp->dx[i] + 1, S->x0, S->x1);
            int          ya = skc_clampi (y + tp->dy[i], S->y0, S->y1);
            int          yb = skc_clampi (y + tp->dy[i] + 1, S->y0, S->y1);
            const float *r00 = base + ya * S->stride + xa_ * 4;
            const float *r01 = base + ya * S->stride + xb_ * 4;
            const float *r10 = base + yb * S->stride + xa_ * 4;
            const float *r11 = base + yb * S->stride + xb_ * 4;
            float        w00 = tp->w00[i], w01 = tp->w01[i];
            float        w10 = tp->w10[i], w11 = tp->w11[i];

            a0 += w00 * r00[0] + w01 * r01[0] + w10 * r10[0] + w11 * r11[0];
            a1 += w00 * r00[1] + w01 * r01[1] + w10 * r10[1] + w11 * r11[1];
            a2 += w00 * r00[2] + w01 * r01[2] + w10 * r10[2] + w11 * r11[2];
            a3 += w00 * r00[3] + w01 * r01[3] + w10 * r10[3] + w11 * r11[3];
          }
      orow[4 * (ptrdiff_t) x] = a0;
      orow[4 * (ptrdiff_t) x + 1] = a1;
      orow[4 * (ptrdiff_t) x + 2] = a2;
      orow[4 * (ptrdiff_t) x + 3] = a3;
    }
  wk->stats.lone += (uint64_t) (xb - xa);
}
