/* Quantisation keys of the spatially varying apply (skc-apply-varying.c):
 * which stencil a pixel of each pass uses, or whether it is lone.
 *
 * Quantised parameters.  A pixel on the run path does not use its (s, a)
 * as they are but the nearest point below on a grid that depends on the
 * family and the layer only (never on the field's range, which differs
 * between tiles):
 *
 *   D_l   the largest |d o / d s| of a tap of layer l over all pieces of
 *         the interpolation rule (below the first basis and beyond the
 *         last the offsets scale: |o| / s there), Euclidean;
 *   W_l   the largest sum over taps of |d w / d s| over all pieces;
 *   R_l   the largest |o| of a tap of layer l at any basis: offsets are
 *         linear in s on each piece, so |o (s)| <= R_l up to the last
 *         basis and R_l s / s_last beyond it;
 *   h_l   = min (q / D_l, q_w / W_l), q = SKC_VARY_OFFSET_BOUND = 1/16 px,
 *         q_w = SKC_VARY_WEIGHT_BOUND = 1/512.
 *
 * A pixel of angle exactly 0 gets s_q = h_l floor (s / h_l); any other
 * gets s_q = (h_l / 2) floor (2 s / h_l) and its angle rounded to the
 * nearest of N = ceil (2 pi R_l / q) steps per turn (times
 * ceil (s_q / s_last) beyond the last basis).  s_q = 0 is the identity.
 * The bound: every tap offset moves by less than q = 1/16 px (the size
 * moves it by |s - s_q| D_l < q, or < q / 2 when the angle is quantised
 * too, and the angle by at most |o| pi / N <= q / 2) and the layer's
 * weights by less than q_w in sum of absolute values.  Rounding the size
 * down, never up, keeps every offset within the reach skc_family_halo
 * promises.  tests/test-varying.c checks the bound at random (size, angle)
 * for four families (worst seen 0.0625 px, 0.0008).  On the bokeh
 * benchmark's heart family (6 bases, 3..101 px) h_l is 0.11, 0.56, 0.39
 * and 0.16 px for its four layers: runs of 20 pixels on average along the
 * rows of its depth map, 2000 stencils folded per 4000 x 3000 image.
 */
#define _POSIX_C_SOURCE 200809L
#include "skc-varying-internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- keys */

/* Quantisation constants of layer @l (see the top of the file). */
void
skc_vary_layer_quant (const SkcFamily *f, int l, Layer *L)
{
  int    m = f->n_bases, n = f->bases[0]->n_samples[l];
  double d = 0.0, ws = 0.0, r = 0.0;

  for (int k = 0; k < m; k++)
    {
      const SkcTap *a = skc_complex_layer (f->bases[k], l);
      const SkcTap *b = k + 1 < m ? skc_complex_layer (f->bases[k + 1], l)
                                  : NULL;
      double        len = b ? (double) f->sizes[k + 1] - f->sizes[k] : 1.0;
      double        sum = 0.0;

      for (int i = 0; i < n; i++)
        {
          double norm = hypot (a[i].ox, a[i].oy);

          r = fmax (r, norm);
          if (k == 0)
            d = fmax (d, norm / f->sizes[0]);
          if (k == m - 1)
            d = fmax (d, norm / f->sizes[m - 1]);
          if (b)
            {
              d = fmax (d, hypot ((double) b[i].ox - a[i].ox,
                                  (double) b[i].oy - a[i].oy) / len);
              sum += fabs ((double) b[i].w - a[i].w);
            }
        }
      ws = fmax (ws, sum / len);
    }
  L->step = INFINITY;
  if (d > 0.0)
    L->step = SKC_VARY_OFFSET_BOUND / d;
  if (ws > 0.0)
    L->step = fmin (L->step, SKC_VARY_WEIGHT_BOUND / ws);
  L->step = fmax (L->step, 1e-30);   /* 1 / step stays finite */
  L->inv_step = (float) (1.0 / L->step);
  L->inv_half = (float) (2.0 / L->step);
  L->n_angle = fmin (fmax (1.0, ceil (TWO_PI * r / SKC_VARY_OFFSET_BOUND)),
                     N_ANGLE_MAX);
  L->s_last = f->sizes[m - 1];
}

static inline float
key_size (const Layer *L, uint64_t qs, int rotated)
{
  return (float) ((double) qs * (rotated ? 0.5 * L->step : L->step));
}

/* Angle steps per turn at quantised size @s. */
static inline double
angle_steps (const Layer *L, float s)
{
  double n = L->n_angle;

  if (s > L->s_last)
    n *= ceil ((double) s / L->s_last);
  return n < N_ANGLE_MAX ? n : N_ANGLE_MAX;
}

/* floor (s * inv) in float, 0 for s <= 0, at most QS_LIMIT: integer and
 * select operations only, so that loops of it vectorise.  A product that
 * rounds up across an integer moves s_q above s by a relative 2^-23 at
 * most, far inside the slack of skc_family_layer_extent. */
static inline uint32_t
size_index (float s, float inv)
{
  float   t = s * inv;
  int32_t b;

  memcpy (&b, &t, sizeof b);
  b &= ~(b >> 31);                 /* negative -> +0 */
  memcpy (&t, &b, sizeof b);
  t = t < QS_LIMIT ? t : QS_LIMIT;
  return (uint32_t) (int32_t) t;
}

/* The key of a pixel of field value (@s, @a): 0 for the identity, else
 * the size index in the low 32 bits and, in the high ones, 0 for an
 * angle of exactly 0 or 1 + the angle index. */
uint64_t
skc_vary_layer_key (const Layer *L, float s, float a)
{
  uint64_t qs;
  double   n, k;

  if (a == 0.0f)
    return size_index (s, L->inv_step);
  qs = size_index (s, L->inv_half);
  if (qs == 0)
    return 0;
  n = angle_steps (L, key_size (L, qs, 1));
  k = floor ((double) a * (n / TWO_PI) + 0.5);
  k -= n * floor (k / n);
  if (!(k >= 0.0 && k < n))
    k = 0.0;
  return qs | (uint64_t) (k + 1.0) << 32;
}

/* Keys of pixels [@x0, @x1) of a field row into @keys (both indexed by
 * x).  Whether any angle is not 0 first (a loop the compiler
 * vectorises); without one, every key by another such loop; with one,
 * pixel by pixel, a pixel of the same (size, angle) as the one before
 * taking its key (piecewise constant fields, as the cat's eye's, cost a
 * comparison per pixel).  Whether there were any angles. */
int
skc_vary_row_keys (const Layer *L, const float *frow, uint64_t *keys, int x0,
                   int x1)
{
  const float inv = L->inv_step;
  uint32_t    rotated = 0;
  float       ps = NAN, pa = NAN;
  uint64_t    pk = 0;

  for (int x = x0; x < x1; x++)
    {
      uint32_t a;

      memcpy (&a, &frow[2 * x + 1], sizeof a);
      rotated |= a << 1;           /* any angle but +-0 */
    }
  if (!rotated)
    {
      for (int x = x0; x < x1; x++)
        keys[x] = size_index (frow[2 * x], inv);
      return 0;
    }
  for (int x = x0; x < x1; x++)
    {
      float s = frow[2 * x], a = frow[2 * x + 1];

      if (s != ps || a != pa)
        {
          ps = s;
          pa = a;
          pk = a != 0.0f ? skc_vary_layer_key (L, s, a) : size_index (s, inv);
        }
      keys[x] = pk;
    }
  return 1;
}

/* Whether pixel @x of a field row is lone: its size is above 0 and the
 * field changes by more than the pass's lone rate (RUN_RATE) in keys per
 * pixel toward a horizontal neighbour (within bounds).  The field around
 * a pixel of any pass is always at hand: the halo holds one column more
 * than the first pass computes. */
static int
is_lone (const Pass *p, const float *frow, int x)
{
  const Layer *L = p->layer;
  const Call  *c = p->call;
  float        s = frow[2 * x], a = frow[2 * x + 1];
  float        ds = 0.0f, da = 0.0f;

  if (!(s > 0.0f))
    return 0;
  if (c->lone_rate < 0.0f)
    return 1;
  for (int side = -1; side <= 1; side += 2)
    {
      int   xn = x + side;
      float d, e;

      if (xn < c->bx0 || xn > c->bx1)
        continue;
      d = fabsf (frow[2 * xn] - s);
      ds = d > ds ? d : ds;
      if (a != 0.0f || frow[2 * xn + 1] != 0.0f)
        {
          e = fabsf (remainderf (frow[2 * xn + 1] - a, (float) TWO_PI));
          da = e > da ? e : da;
        }
    }
  if (a == 0.0f && da == 0.0f)
    return ds * L->inv_step > c->lone_rate;
  return ds * L->inv_half
         + da * (float) (angle_steps (L, s) * (1.0 / TWO_PI)) > c->lone_rate;
}

/* Marks the lone pixels of [@x0, @x1) LONE (a lone pixel of a size
 * below the first quantisation step too); @rotated: whether
 * skc_vary_row_keys saw an angle.  Where no angle is near, a loop the
 * compiler vectorises (is_lone's value for angle 0). */
void
skc_vary_row_classes (const Pass *p, const float *frow, uint64_t *keys,
                      int x0, int x1, int rotated)
{
  const int   bx0 = p->call->bx0, bx1 = p->call->bx1;
  const float inv = p->layer->inv_step, rate = p->call->lone_rate;
  int         xa = x0 > bx0 ? x0 : bx0 + 1;
  int         xb = x1 <= bx1 ? x1 : bx1;

  if (rate == INFINITY)
    return;                        /* no pixel is lone */
  if (rotated || rate < 0.0f || (x0 > bx0 && frow[2 * x0 - 1] != 0.0f)
      || (x1 <= bx1 && frow[2 * x1 + 1] != 0.0f))
    {
      for (int x = x0; x < x1; x++)
        if (is_lone (p, frow, x))
          keys[x] = LONE;
      return;
    }
  for (int x = x0; x < xa && x < x1; x++)
    if (is_lone (p, frow, x))
      keys[x] = LONE;
  for (int x = xa; x < xb; x++)
    {
      float    s = frow[2 * x];
      float    dl = fabsf (s - frow[2 * x - 2]);
      float    dr = fabsf (frow[2 * x + 2] - s);
      float    ds = dl > dr ? dl : dr;
      uint64_t m = -(uint64_t) (ds * inv > rate);

      keys[x] |= m & -(uint64_t) (s > 0.0f);
    }
  for (int x = xb > xa ? xb : xa; x < x1; x++)
    if (is_lone (p, frow, x))
      keys[x] = LONE;
}

/* The (size, angle) of a nonzero key. */
void
skc_vary_key_params (const Layer *L, uint64_t key, float *s, float *a)
{
  uint64_t qa = key >> 32;

  *s = key_size (L, key & 0xffffffffu, qa != 0);
  *a = 0.0f;
  if (qa > 1)
    {
      double n = angle_steps (L, *s);
      double k = (double) (qa - 1);

      if (k > 0.5 * n)
        k -= n;
      *a = (float) (k * (TWO_PI / n));
    }
}

/* ---------------------------------------------------------------- apply */

SkcStatus
skc_vary_quantise (const SkcFamily *family, int layer, float size,
                   float angle, float *q_size, float *q_angle)
{
  Layer     L[SKC_MAX_LAYERS];
  uint64_t  key;
  SkcStatus st;

  if (!skc_vary_family_ok (family) || layer < 0
      || layer >= family->bases[0]->n_layers || !isfinite (size)
      || !isfinite (angle) || !q_size || !q_angle)
    return SKC_ERR_INVALID;
  memset (L, 0, sizeof L);
  st = skc_vary_layers_new (family, L);
  if (st == SKC_OK)
    {
      key = skc_vary_layer_key (&L[layer], size, angle);
      *q_size = 0.0f;
      *q_angle = 0.0f;
      if (key != 0)
        skc_vary_key_params (&L[layer], key, q_size, q_angle);
    }
  skc_vary_layers_free (L, SKC_MAX_LAYERS);
  return st;
}
