/* Spatially varying apply: every pass of the complex gathers, at each of
 * its output pixels, with the family's taps interpolated at that pixel's
 * (size, angle) (METHOD.md section 4; the interpolation rule is in
 * skc-family.c).
 *
 * Two paths.  Gathering bilinear taps pixel by pixel costs about 4 ns per
 * tap and RGBA pixel, ten times the uniform engine (skc-apply.c), whose
 * layers are folded once into integer stencils and run by SIMD row
 * kernels.  Where the field changes slowly (depth maps, painted masks,
 * tilt-shift) neighbouring pixels can share a stencil if the parameters
 * are quantised finely enough: such pixels are gathered in runs with
 * folded stencils.  Where it changes fast (spin and zoom near their
 * centre) no stencil would serve two pixels, and folding one costs more
 * than gathering the taps: those "lone" pixels keep the exact per-pixel
 * path.  For pass l a pixel is lone when its field value differs from a
 * horizontal neighbour's (inside bounds) by more than RUN_RATE (1/4) of
 * layer l's quantisation steps (below), i.e. when runs would be shorter
 * than about 4 pixels.  The choice reads the field at the pixel and its
 * two neighbours only, all inside the input (the halo is one pixel wider
 * than the first pass needs), so it is the same in every tiling.
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
 *
 * Geometry, as in the uniform engine.  Let m_l be the largest offset of
 * layer l over the field's sizes (skc_family_layer_reach, any angle) and
 * e_l = ceil (m_l) (skc_family_layer_extent, a hair more for rounding): a
 * nonzero tap or stencil entry never lies farther.  Pass l computes the
 * output rectangle grown by e_l+1 + ... + e_L-1, clipped to bounds (the
 * last pass computes the output itself); outside bounds every
 * intermediate is clamped to its edge, exactly as in the reference
 * skc_complex_apply_plane.
 *
 * Tiles.  The output is cut into square tiles (the option tile_size, or
 * 512 + 16 rem_0 px, rem_0 = e_1 + ... + e_L-1) that the threads take in
 * turn through the scheduler the uniform engine uses too (skc-tiles.c),
 * each running every pass of its tile in its own two buffers: no thread
 * waits for another until the end, and the buffers stay a few megabytes.
 *
 * Speed (tests/bench/bench-bokeh.c, 4000 x 3000 RGBA, the map-driven
 * heart, 24x4, 6 bases up to 101 px; 2-core Xeon under KVM, shared, so
 * CPU times on one thread, uniform and varying runs interleaved): 0.75 to
 * 0.8 s against 0.54 to 0.57 s for the uniform 101 px heart, 1.3 to 1.45
 * times (every pixel exact, as before: 4.9 s, 8.6 times); 158 entries
 * per pixel over the four passes against the uniform heart's 201, but
 * runs of 20 pixels on average and the keys, runs and borders cost a
 * third of the time.  With q = 1/8 px it would be 1.25 times, but the
 * PSNR of a gentle depth map (tests/test-varying.c) drops 1.8 dB.  Spin
 * and zoom (tests/bench/bench-varying.c) take the time they took; a
 * tilt-shift is 4 to 5 times faster.
 *
 * Branches.  A family whose bases sum several chains (the LowRank
 * baseline, skc-family-baselines.c) is applied chain by chain through
 * the path above, each chain as a family of its own (views of the bases'
 * layers, nothing copied), and the outputs are added in branch order, as
 * the uniform engine does for branched plans.  The unbranched path does
 * not change.
 */
#define _POSIX_C_SOURCE 200809L
#include "skc.h"
#include "skc-private.h"
#include "skc-apply-private.h"
#include "skc-apply-varying-private.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_THREADS 64
#define CACHE_SETS  32      /* a power of two */
#define CACHE_WAYS  4
#define QS_LIMIT    2147483520.0f   /* the largest float below 2^31 */
#define N_ANGLE_MAX 1073741824.0
#define TWO_PI      6.283185307179586
/* Keys per pixel beyond which a pixel is lone (see the top of the file). */
#define RUN_RATE    0.25f
#define LONE        UINT64_MAX

/* One layer's taps for every basis: [basis * n + i]; d* are the
 * differences basis k + 1 - basis k. */
typedef struct
{
  int       n;
  float    *ox, *oy, *w;
  float    *dox, *doy, *dw;
  float     gain0;         /* weight sum of basis 0: the size-0 factor */
  int       reach;         /* e_l for this call                        */
  ptrdiff_t stride;        /* row stride of the pass's source, floats  */
  /* quantisation: from the family alone */
  double    step;          /* h_l; rotated pixels use h_l / 2          */
  float     inv_step, inv_half;   /* 1 / h_l, 2 / h_l */
  double    n_angle;       /* angle steps per turn up to s_last        */
  float     s_last;
} Layer;

/* A plane of RGBA pixels covering @r, and the part readable by clamping. */
typedef struct
{
  const float *data;
  ptrdiff_t    stride;     /* floats */
  SkcRect      r;
  int          x0, y0, x1, y1;   /* readable, inclusive: r ∩ bounds */
} Src;

/* Rows @r of a plane whose first pixel is (@x, @y). */
typedef struct
{
  float    *data;
  ptrdiff_t stride;
  int       x, y;
  SkcRect   r;
} Dst;

/* A layer folded at one key (cache slot). */
typedef struct
{
  uint64_t   key;          /* 0: empty                                 */
  uint32_t   age;
  int        n;            /* entries, >= 1                            */
  int        x0, x1, y0, y1;   /* box of the entries                   */
  float     *w;
  ptrdiff_t *off;          /* dy * stride + 4 dx                       */
  int       *dx, *dy;
} Stencil;

typedef struct
{
  Stencil  slot[CACHE_SETS * CACHE_WAYS];
  Stencil *last;
  void    *mem;
} Cache;

/* Bilinear taps of one layer at one exact (size, angle): the lone
 * pixels' path.  Kept while consecutive lone pixels share them. */
typedef struct
{
  int      dx[SKC_MAX_SAMPLES], dy[SKC_MAX_SAMPLES];
  float    w00[SKC_MAX_SAMPLES], w01[SKC_MAX_SAMPLES];
  float    w10[SKC_MAX_SAMPLES], w11[SKC_MAX_SAMPLES];
  int      identity;          /* size <= 0 */
  uint32_t key_size, key_angle;
  int      layer;             /* -1: nothing kept */
} Taps;

/* Per-thread state, kept over all tiles and passes of a call. */
typedef struct
{
  Taps            lone;
  Cache           cache[SKC_MAX_LAYERS];
  uint64_t       *keys;          /* one row of keys                    */
  ptrdiff_t      *off_y;         /* offsets with clamped rows          */
  float          *tx, *ty, *tw;  /* taps at one key                    */
  double         *acc;           /* merged weights while folding       */
  uint64_t       *mkey;          /* merge table: packed (dx, dy)       */
  uint32_t       *mgen;
  int            *midx;
  int             mbits;
  uint32_t        gen, clock;
  SkcVaryingStats stats;
  float          *buf[2];        /* a tile's intermediates             */
} Worker;

typedef struct
{
  const SkcFamily *family;
  const float     *field;
  const float     *rot;    /* cos, sin of every angle, or NULL: all 0 */
  SkcRect          field_rect;
  int              bx0, bx1;     /* bounds' first and last column      */
  const Layer     *layer;
  int              index;        /* the layer's                        */
  SkcGatherFunc    gather;
  int              max_run, no_cache;
  float            lone_rate;    /* RUN_RATE, or the tuning's          */
  Src              src;
  Dst              dst;
} Pass;

/* ---------------------------------------------------------------- keys */

/* Quantisation constants of layer @l (see the top of the file). */
static void
layer_quant (const SkcFamily *f, int l, Layer *L)
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
static inline uint64_t
layer_key (const Layer *L, float s, float a)
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
 * x): all as angle 0 first, by a loop the compiler vectorises, then the
 * pixels of other angles again.  Whether there were any. */
static int
row_keys (const Layer *L, const float *frow, uint64_t *keys, int x0, int x1)
{
  const float inv = L->inv_step;
  uint32_t    rotated = 0;

  for (int x = x0; x < x1; x++)
    {
      uint32_t a;

      memcpy (&a, &frow[2 * x + 1], sizeof a);
      rotated |= a << 1;           /* any angle but +-0 */
      keys[x] = size_index (frow[2 * x], inv);
    }
  if (rotated)
    for (int x = x0; x < x1; x++)
      if (frow[2 * x + 1] != 0.0f)
        keys[x] = layer_key (L, frow[2 * x], frow[2 * x + 1]);
  return rotated != 0;
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
  float        s = frow[2 * x], a = frow[2 * x + 1];
  float        ds = 0.0f, da = 0.0f;

  if (!(s > 0.0f))
    return 0;
  if (p->lone_rate < 0.0f)
    return 1;
  for (int side = -1; side <= 1; side += 2)
    {
      int   xn = x + side;
      float d, e;

      if (xn < p->bx0 || xn > p->bx1)
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
    return ds * L->inv_step > p->lone_rate;
  return ds * L->inv_half
         + da * (float) (angle_steps (L, s) * (1.0 / TWO_PI)) > p->lone_rate;
}

/* Marks the lone pixels of [@x0, @x1) LONE (a lone pixel of a size
 * below the first quantisation step too); @rotated: whether row_keys saw
 * an angle.  Where no angle is near, a loop the compiler vectorises
 * (is_lone's value for angle 0). */
static void
row_classes (const Pass *p, const float *frow, uint64_t *keys, int x0, int x1,
             int rotated)
{
  const float inv = p->layer->inv_step, rate = p->lone_rate;
  int         xa = x0 > p->bx0 ? x0 : p->bx0 + 1;
  int         xb = x1 <= p->bx1 ? x1 : p->bx1;

  if (rotated || rate < 0.0f || (x0 > p->bx0 && frow[2 * x0 - 1] != 0.0f)
      || (x1 <= p->bx1 && frow[2 * x1 + 1] != 0.0f))
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
static void
key_params (const Layer *L, uint64_t key, float *s, float *a)
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

/* ---------------------------------------------------------------- fold */

/* Tap @i of @ox.. (basis k) interpolated toward basis k + 1 (@lerp, by
 * t * d) or scaled by @t, rotated if @rotate: the arithmetic of
 * skc_family_eval.  Always inlined, so the loops below that call it with
 * constant flags stay straight loops the compiler vectorises. */
static inline __attribute__ ((always_inline)) void
tap_at (int i, const float *ox, const float *oy, const float *ow,
        const float *dox, const float *doy, const float *dw, float t,
        float c, float s, int lerp, int rotate, float *x, float *y, float *w)
{
  if (lerp)
    {
      *x = ox[i] + t * dox[i];
      *y = oy[i] + t * doy[i];
      *w = ow[i] + t * dw[i];
    }
  else
    {
      *x = ox[i] * t;
      *y = oy[i] * t;
      *w = ow[i];
    }
  if (rotate)
    {
      float rx = c * *x + s * *y;
      float ry = -s * *x + c * *y;

      *x = rx;
      *y = ry;
    }
}

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

  key_params (L, key, &s, &a);
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
static const Stencil *
lookup (const Pass *p, Worker *wk, uint64_t key)
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

/* ---------------------------------------------------------------- rows */

/* The four channels of a pixel side by side in one vector: GCC's and
 * Clang's generic vectors (SSE2 on x86-64, NEON on arm64, no ISA switch).
 * Each lane does exactly the row kernels' arithmetic, in their order. */
#if defined (__GNUC__) || defined (__clang__)
#define SKC_HAVE_VEC4 1
typedef float Vec4 __attribute__ ((vector_size (16)));

static inline Vec4
load4 (const float *p)
{
  Vec4 v;

  memcpy (&v, p, sizeof v);
  return v;
}
#endif

static inline int
clampi (int v, int lo, int hi)
{
  return v < lo ? lo : v > hi ? hi : v;
}

/* One pixel with every read clamped to the readable source.  @base + y *
 * stride + 4 x is pixel (x, y) of the source. */
static void
pixel_clamped (const Src *S, const float *base, const Stencil *st, int x,
               int y, float *o)
{
#ifdef SKC_HAVE_VEC4
  Vec4 acc = { 0.0f, 0.0f, 0.0f, 0.0f };

  for (int e = 0; e < st->n; e++)
    {
      const float *q = base
                       + clampi (y + st->dy[e], S->y0, S->y1) * S->stride
                       + 4 * (ptrdiff_t) clampi (x + st->dx[e], S->x0, S->x1);

      acc = e == 0 ? st->w[e] * load4 (q) : acc + st->w[e] * load4 (q);
    }
  memcpy (o, &acc, sizeof acc);
#else
  float acc[4] = { 0.0f, 0.0f, 0.0f, 0.0f };

  for (int e = 0; e < st->n; e++)
    {
      const float *q = base
                       + clampi (y + st->dy[e], S->y0, S->y1) * S->stride
                       + 4 * (ptrdiff_t) clampi (x + st->dx[e], S->x0, S->x1);

      for (int c = 0; c < 4; c++)
        acc[c] = e == 0 ? st->w[e] * q[c] : acc[c] + st->w[e] * q[c];
    }
  memcpy (o, acc, sizeof acc);
#endif
}

/* Pixels [@xa, @xb) of row @y, all of one stencil. */
static void
stencil_run (const Pass *p, Worker *wk, const float *base, float *orow,
             const Stencil *st, int y, int xa, int xb)
{
  const Src       *S = &p->src;
  const ptrdiff_t *off = st->off;
  int              lo, hi;

  /* Near the top or bottom edge: rows clamped through the offsets. */
  if (y + st->y0 < S->y0 || y + st->y1 > S->y1)
    {
      for (int e = 0; e < st->n; e++)
        wk->off_y[e] = (clampi (y + st->dy[e], S->y0, S->y1) - y) * S->stride
                       + 4 * (ptrdiff_t) st->dx[e];
      off = wk->off_y;
    }
  /* [lo, hi): every column read lies inside the readable source */
  lo = clampi (S->x0 - st->x0, xa, xb);
  hi = clampi (S->x1 - st->x1 + 1, lo, xb);
  for (int x = xa; x < lo; x++)
    pixel_clamped (S, base, st, x, y, orow + 4 * (ptrdiff_t) x);
  if (lo < hi)
    p->gather (base + y * S->stride + 4 * (ptrdiff_t) lo, S->stride,
               orow + 4 * (ptrdiff_t) lo, 0, hi - lo, 1, st->w, off, st->n);
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
  const float *row = base + clampi (y, S->y0, S->y1) * S->stride;
  float        g = p->layer->gain0;

  for (int x = xa; x < xb; x++)
    {
      const float *q = row + 4 * (ptrdiff_t) clampi (x, S->x0, S->x1);
      float       *o = orow + 4 * (ptrdiff_t) x;

      if (g == 1.0f)
        memcpy (o, q, 4 * sizeof (float));
      else
        for (int c = 0; c < 4; c++)
          o[c] = g * q[c];
    }
}

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
lone_fill (Taps *tp, int n, const float *ox, const float *oy,
           const float *ow, const float *dox, const float *doy,
           const float *dw, float t, float c, float s, int lerp, int rotate)
{
  for (int i = 0; i < n; i++)
    {
      float x, y, w, fx, fy;
      int   ix, iy;

      tap_at (i, ox, oy, ow, dox, doy, dw, t, c, s, lerp, rotate, &x, &y, &w);
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
  uint32_t     ks = float_bits (size), ka = float_bits (angle);
  int          k, lerp, n = L->n;
  float        t;
  const float *ox, *oy, *ow, *dox, *doy, *dw;

  if (tp->layer == l && tp->key_size == ks && tp->key_angle == ka)
    return;
  tp->layer = l;
  tp->key_size = ks;
  tp->key_angle = ka;
  tp->identity = !(size > 0.0f);
  if (tp->identity)
    return;

  skc_family_locate (family, size, &k, &lerp, &t);
  ox = L->ox + (size_t) k * n;
  oy = L->oy + (size_t) k * n;
  ow = L->w + (size_t) k * n;
  dox = L->dox + (size_t) k * n;
  doy = L->doy + (size_t) k * n;
  dw = L->dw + (size_t) k * n;
  if (lerp && angle != 0.0f)
    lone_fill (tp, n, ox, oy, ow, dox, doy, dw, t, c, s, 1, 1);
  else if (lerp)
    lone_fill (tp, n, ox, oy, ow, dox, doy, dw, t, c, s, 1, 0);
  else if (angle != 0.0f)
    lone_fill (tp, n, ox, oy, ow, dox, doy, dw, t, c, s, 0, 1);
  else
    lone_fill (tp, n, ox, oy, ow, dox, doy, dw, t, c, s, 0, 0);
}

/* Pixels [@xa, @xb) of row @y, each gathered with the bilinear taps of
 * its own exact (size, angle). */
static void
lone_run (const Pass *p, Worker *wk, const float *base, float *orow, int y,
          int xa, int xb)
{
  const Src   *S = &p->src;
  const Layer *L = p->layer;
  const float *frow = p->field
                      + ((ptrdiff_t) (y - p->field_rect.y) * p->field_rect.width
                         - p->field_rect.x) * 2;
  const float *rrow = p->rot ? p->rot + (frow - p->field) : NULL;
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
      lone_prepare (tp, p->family, L, p->index, frow[2 * x], frow[2 * x + 1],
                    rc, rs);
      if (tp->identity)
        {
          const float *q = base
                           + clampi (y, S->y0, S->y1) * S->stride
                           + 4 * (ptrdiff_t) clampi (x, S->x0, S->x1);

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
            int          xa_ = clampi (x + tp->dx[i], S->x0, S->x1);
            int          xb_ = clampi (x + tp->dx[i] + 1, S->x0, S->x1);
            int          ya = clampi (y + tp->dy[i], S->y0, S->y1);
            int          yb = clampi (y + tp->dy[i] + 1, S->y0, S->y1);
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

/* Pixels [@x0, @x1) of output row @y of a pass. */
static void
pass_row (const Pass *p, Worker *wk, int y, int x0, int x1)
{
  const Src   *S = &p->src;
  const Layer *L = p->layer;
  const float *frow = p->field
                      + ((ptrdiff_t) (y - p->field_rect.y) * p->field_rect.width
                         - p->field_rect.x) * 2;
  float       *orow = p->dst.data + (ptrdiff_t) (y - p->dst.y) * p->dst.stride
                      - (ptrdiff_t) p->dst.x * 4;
  /* base + y * stride + 4 x is pixel (x, y) of the source plane */
  const float *base = S->data - S->r.y * S->stride - (ptrdiff_t) S->r.x * 4;
  uint64_t    *keys = wk->keys - x0;
  int          rotated;

  rotated = row_keys (L, frow, keys, x0, x1);
  row_classes (p, frow, keys, x0, x1, rotated);
  for (int x = x0; x < x1; )
    {
      uint64_t k = keys[x];
      int      end = p->max_run > 0 && x1 - x > p->max_run ? x + p->max_run
                                                             : x1;
      int      xe = x + 1;

      while (xe < end && keys[xe] == k)
        xe++;
      if (k == 0)
        {
          identity_run (p, base, orow, y, x, xe);
          wk->stats.identity += (uint64_t) (xe - x);
        }
      else if (k == LONE)
        lone_run (p, wk, base, orow, y, x, xe);
      else
        stencil_run (p, wk, base, orow, lookup (p, wk, k), y, x, xe);
      x = xe;
    }
  wk->stats.pixels += (uint64_t) (x1 - x0);
}

/* ---------------------------------------------------------------- set-up */

static void
layers_free (Layer *layers, int n)
{
  for (int l = 0; l < n; l++)
    {
      free (layers[l].ox);
      free (layers[l].oy);
      free (layers[l].w);
      free (layers[l].dox);
      free (layers[l].doy);
      free (layers[l].dw);
    }
}

static int
family_ok (const SkcFamily *f)
{
  const SkcComplex *b0;

  if (!f || f->n_bases < 1 || f->n_bases > 16 || !f->bases[0])
    return 0;
  b0 = f->bases[0];
  if (b0->n_layers < 1 || b0->n_layers > SKC_MAX_LAYERS || !b0->taps)
    return 0;
  /* one chain of layers (summed branches are a LowRank baseline matter) */
  for (int k = 0; k < f->n_bases; k++)
    {
      const SkcComplex *b = f->bases[k];

      if (!b || !b->taps || b->n_layers != b0->n_layers
          || skc_complex_n_branches (b) != 1
          || !isfinite (f->sizes[k]) || !(f->sizes[k] > 0.0f)
          || (k > 0 && !(f->sizes[k] > f->sizes[k - 1])))
        return 0;
      for (int l = 0; l < b0->n_layers; l++)
        if (b->n_samples[l] != b0->n_samples[l] || b->n_samples[l] < 1
            || b->n_samples[l] > SKC_MAX_SAMPLES)
          return 0;
      for (int i = 0; i < skc_complex_total_taps (b); i++)
        if (!isfinite (b->taps[i].ox) || !isfinite (b->taps[i].oy)
            || !isfinite (b->taps[i].w)
            || fabsf (b->taps[i].ox) > SKC_MAX_OFFSET
            || fabsf (b->taps[i].oy) > SKC_MAX_OFFSET)
          return 0;
    }
  return 1;
}

static SkcStatus
layers_new (const SkcFamily *f, Layer *layers)
{
  int m = f->n_bases;

  for (int l = 0; l < f->bases[0]->n_layers; l++)
    {
      Layer *L = &layers[l];
      int    n = f->bases[0]->n_samples[l];
      size_t nb = (size_t) m * n;   /* differences: the last row stays 0 */
      double g = 0.0;

      L->n = n;
      L->ox = malloc (nb * sizeof (float));
      L->oy = malloc (nb * sizeof (float));
      L->w = malloc (nb * sizeof (float));
      L->dox = calloc (nb, sizeof (float));
      L->doy = calloc (nb, sizeof (float));
      L->dw = calloc (nb, sizeof (float));
      if (!L->ox || !L->oy || !L->w || !L->dox || !L->doy || !L->dw)
        return SKC_ERR_NOMEM;
      for (int k = 0; k < m; k++)
        {
          const SkcTap *a = skc_complex_layer (f->bases[k], l);
          const SkcTap *b = k + 1 < m ? skc_complex_layer (f->bases[k + 1], l)
                                      : NULL;

          for (int i = 0; i < n; i++)
            {
              L->ox[(size_t) k * n + i] = a[i].ox;
              L->oy[(size_t) k * n + i] = a[i].oy;
              L->w[(size_t) k * n + i] = a[i].w;
              if (b)
                {
                  L->dox[(size_t) k * n + i] = b[i].ox - a[i].ox;
                  L->doy[(size_t) k * n + i] = b[i].oy - a[i].oy;
                  L->dw[(size_t) k * n + i] = b[i].w - a[i].w;
                }
            }
        }
      for (int i = 0; i < n; i++)
        g += L->w[i];
      L->gain0 = fabs (g - 1.0) <= 1e-6 ? 1.0f : (float) g;
      layer_quant (f, l, L);
    }
  return SKC_OK;
}

static void
workers_free (Worker *workers, int n)
{
  for (int i = 0; i < n; i++)
    {
      Worker *wk = &workers[i];

      for (int l = 0; l < SKC_MAX_LAYERS; l++)
        free (wk->cache[l].mem);
      free (wk->keys);
      free (wk->off_y);
      free (wk->tx);
      free (wk->ty);
      free (wk->tw);
      free (wk->acc);
      free (wk->mkey);
      free (wk->mgen);
      free (wk->midx);
    }
}

/* Per-thread state for rows up to @width pixels wide. */
static SkcStatus
workers_new (Worker *workers, int n, const Layer *layers, int n_layers,
             int width)
{
  int max_taps = 0, bits = 4;

  for (int l = 0; l < n_layers; l++)
    max_taps = layers[l].n > max_taps ? layers[l].n : max_taps;
  while ((1 << bits) < 8 * max_taps)   /* 4 corners a tap, half full */
    bits++;
  memset (workers, 0, (size_t) n * sizeof *workers);
  for (int i = 0; i < n; i++)
    {
      Worker *wk = &workers[i];
      size_t  cap = 4 * (size_t) max_taps;

      wk->lone.layer = -1;
      wk->keys = malloc ((size_t) width * sizeof *wk->keys);
      wk->off_y = malloc (cap * sizeof *wk->off_y);
      wk->tx = malloc ((size_t) max_taps * sizeof (float));
      wk->ty = malloc ((size_t) max_taps * sizeof (float));
      wk->tw = malloc ((size_t) max_taps * sizeof (float));
      wk->acc = malloc (cap * sizeof *wk->acc);
      wk->mbits = bits;
      wk->mkey = malloc (sizeof (uint64_t) << bits);
      wk->mgen = calloc ((size_t) 1 << bits, sizeof (uint32_t));
      wk->midx = malloc (sizeof (int) << bits);
      if (!wk->keys || !wk->off_y || !wk->tx || !wk->ty || !wk->tw
          || !wk->acc || !wk->mkey || !wk->mgen || !wk->midx)
        return SKC_ERR_NOMEM;
      for (int l = 0; l < n_layers; l++)
        {
          Cache *c = &wk->cache[l];
          size_t lc = 4 * (size_t) layers[l].n;
          size_t per = lc * (sizeof (float) + sizeof (ptrdiff_t)
                             + 2 * sizeof (int));
          char  *mem = malloc (per * CACHE_SETS * CACHE_WAYS);

          if (!mem)
            return SKC_ERR_NOMEM;
          c->mem = mem;
          for (int s = 0; s < CACHE_SETS * CACHE_WAYS; s++)
            {
              Stencil *st = &c->slot[s];

              st->off = (ptrdiff_t *) mem;
              mem += lc * sizeof (ptrdiff_t);
              st->w = (float *) mem;
              mem += lc * sizeof (float);
              st->dx = (int *) mem;
              mem += lc * sizeof (int);
              st->dy = (int *) mem;
              mem += lc * sizeof (int);
            }
        }
    }
  return SKC_OK;
}

static int
thread_count (const SkcApplyOptions *o)
{
  long n = o ? o->n_threads : 0;

  if (n <= 0)
    n = sysconf (_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int) n;
}

static SkcRect
grow_clip (SkcRect r, int by, SkcRect bounds)
{
  long    x0 = (long) r.x - by, y0 = (long) r.y - by;
  long    x1 = (long) r.x + r.width + by, y1 = (long) r.y + r.height + by;
  long    bx1 = (long) bounds.x + bounds.width;
  long    by1 = (long) bounds.y + bounds.height;
  SkcRect o;

  x0 = x0 > bounds.x ? x0 : bounds.x;
  y0 = y0 > bounds.y ? y0 : bounds.y;
  x1 = x1 < bx1 ? x1 : bx1;
  y1 = y1 < by1 ? y1 : by1;
  o.x = (int) x0;
  o.y = (int) y0;
  o.width = x1 > x0 ? (int) (x1 - x0) : 0;
  o.height = y1 > y0 ? (int) (y1 - y0) : 0;
  return o;
}

static int
rect_contains (SkcRect outer, SkcRect inner)
{
  return inner.width <= 0 || inner.height <= 0
         || ((long) inner.x >= outer.x && (long) inner.y >= outer.y
             && (long) inner.x + inner.width <= (long) outer.x + outer.width
             && (long) inner.y + inner.height <= (long) outer.y + outer.height);
}

static int
rect_ok (SkcRect r)
{
  return r.width >= 0 && r.height >= 0 && r.width <= SKC_MAX_IMAGE_SIDE
         && r.height <= SKC_MAX_IMAGE_SIDE
         && r.x > -SKC_MAX_IMAGE_SIDE * 4 && r.x < SKC_MAX_IMAGE_SIDE * 4
         && r.y > -SKC_MAX_IMAGE_SIDE * 4 && r.y < SKC_MAX_IMAGE_SIDE * 4;
}

static Src
src_of (const float *data, ptrdiff_t stride, SkcRect r, SkcRect bounds)
{
  Src s;
  int rx1 = r.x + r.width, bx1 = bounds.x + bounds.width;
  int ry1 = r.y + r.height, by1 = bounds.y + bounds.height;

  s.data = data;
  s.stride = stride;
  s.r = r;
  s.x0 = r.x > bounds.x ? r.x : bounds.x;
  s.y0 = r.y > bounds.y ? r.y : bounds.y;
  s.x1 = (rx1 < bx1 ? rx1 : bx1) - 1;
  s.y1 = (ry1 < by1 ? ry1 : by1) - 1;
  return s;
}

/* ---------------------------------------------------------------- tiles */

/* One call's work: square tiles of the output, taken by the threads in
 * turn; each thread runs every pass of its tile in its own buffers. */
typedef struct Job
{
  const SkcFamily *family;
  const float     *field, *rot;
  SkcRect          field_rect, bounds, roi;
  const Layer     *layers;
  int              n_layers;
  int              rem[SKC_MAX_LAYERS];
  const float     *in;
  ptrdiff_t        in_stride;
  SkcRect          in_rect;
  float           *out;
  ptrdiff_t        out_stride;
  ptrdiff_t        buf_stride;   /* floats, every intermediate           */
  int              tile, n_tiles;
  SkcGatherFunc    gather;
  int              max_run, no_cache;
  float            lone_rate;
} Job;

/* Every pass of output tile @tile: pass l computes the tile grown by
 * rem[l] (clipped to bounds) into a buffer, reading the one before; the
 * last writes the output. */
static void
tile_run (const struct Job *job, Worker *wk, SkcRect tile)
{
  Src src = src_of (job->in, job->in_stride, job->in_rect, job->bounds);

  for (int l = 0; l < job->n_layers; l++)
    {
      Pass p;

      p.family = job->family;
      p.field = job->field;
      p.rot = job->rot;
      p.field_rect = job->field_rect;
      p.bx0 = job->bounds.x;
      p.bx1 = job->bounds.x + job->bounds.width - 1;
      p.layer = &job->layers[l];
      p.index = l;
      p.gather = job->gather;
      p.max_run = job->max_run;
      p.no_cache = job->no_cache;
      p.lone_rate = job->lone_rate;
      p.src = src;
      if (l == job->n_layers - 1)
        {
          p.dst.data = job->out;
          p.dst.stride = job->out_stride;
          p.dst.x = job->roi.x;
          p.dst.y = job->roi.y;
          p.dst.r = tile;
        }
      else
        {
          p.dst.r = grow_clip (tile, job->rem[l], job->bounds);
          p.dst.data = wk->buf[l & 1];
          p.dst.stride = job->buf_stride;
          p.dst.x = p.dst.r.x;
          p.dst.y = p.dst.r.y;
        }
      for (int y = p.dst.r.y; y < p.dst.r.y + p.dst.r.height; y++)
        pass_row (&p, wk, y, p.dst.r.x, p.dst.r.x + p.dst.r.width);
      src = src_of (p.dst.data, p.dst.stride, p.dst.r, job->bounds);
    }
}

/* skc_tiles_run's callback. */
static void
tile_func (const void *job, void *worker, SkcRect tile)
{
  tile_run (job, worker, tile);
}

/* Rows [y0, y1) of the field: the largest size, whether every value is
 * finite and whether any angle is not 0; or, with @rot, the cosine and
 * sine of every angle into @rot. */
typedef struct
{
  const float *field;
  float       *rot;
  int          width, y0, y1;
  float        s_max;
  int          finite, any_angle;
} Scan;

static void *
scan_rows (void *data)
{
  Scan        *sc = data;
  size_t       n = (size_t) (sc->y1 - sc->y0) * sc->width;
  const float *f = sc->field + (size_t) sc->y0 * 2 * sc->width;
  float        m = 0.0f;
  int          ok = 1;
  uint32_t     any = 0;

  if (sc->rot)
    {
      float *r = sc->rot + (size_t) sc->y0 * 2 * sc->width;

      for (size_t i = 0; i < n; i++)
        skc_rotation (f[2 * i + 1], &r[2 * i], &r[2 * i + 1]);
      return NULL;
    }
  for (size_t i = 0; i < n; i++)
    {
      uint32_t a;

      /* finite: v - v is 0, NaN for an infinity or a NaN */
      ok &= f[2 * i] - f[2 * i] == 0.0f && f[2 * i + 1] - f[2 * i + 1] == 0.0f;
      m = f[2 * i] > m ? f[2 * i] : m;
      memcpy (&a, &f[2 * i + 1], sizeof a);
      any |= a << 1;
    }
  sc->s_max = m;
  sc->finite = ok;
  sc->any_angle = any != 0;
  return NULL;
}

/* scan_rows over the field's rows on @n_threads threads. */
static void
field_rows (const float *field, float *rot, SkcRect r, int n_threads,
            Scan *sc)
{
  pthread_t threads[MAX_THREADS];
  int       started = 0;

  for (int i = 0; i < n_threads; i++)
    sc[i] = (Scan) { field, rot, r.width,
                     (int) ((int64_t) r.height * i / n_threads),
                     (int) ((int64_t) r.height * (i + 1) / n_threads),
                     0.0f, 1, 0 };
  for (int i = 1; i < n_threads; i++)
    {
      if (pthread_create (&threads[i], NULL, scan_rows, &sc[i]) != 0)
        break;
      started = i;
    }
  /* the rows of threads that did not start are done here */
  scan_rows (&sc[0]);
  for (int i = started + 1; i < n_threads; i++)
    scan_rows (&sc[i]);
  for (int i = 1; i <= started; i++)
    pthread_join (threads[i], NULL);
}

/* The field's largest size (0 if none is positive) and whether any angle
 * is not 0; 0 if a value is not finite. */
static int
field_scan (const float *field, SkcRect r, int n_threads, float *s_max,
            int *any_angle)
{
  Scan sc[MAX_THREADS];
  int  ok = 1;

  if (n_threads > r.height / 64 + 1)
    n_threads = r.height / 64 + 1;
  field_rows (field, NULL, r, n_threads, sc);
  *s_max = 0.0f;
  *any_angle = 0;
  for (int i = 0; i < n_threads; i++)
    {
      ok &= sc[i].finite;
      *any_angle |= sc[i].any_angle;
      *s_max = sc[i].s_max > *s_max ? sc[i].s_max : *s_max;
    }
  return ok;
}

/* ---------------------------------------------------------------- apply */

SkcStatus
skc_vary_quantise (const SkcFamily *family, int layer, float size,
                   float angle, float *q_size, float *q_angle)
{
  Layer     L[SKC_MAX_LAYERS];
  uint64_t  key;
  SkcStatus st;

  if (!family_ok (family) || layer < 0
      || layer >= family->bases[0]->n_layers || !isfinite (size)
      || !isfinite (angle) || !q_size || !q_angle)
    return SKC_ERR_INVALID;
  memset (L, 0, sizeof L);
  st = layers_new (family, L);
  if (st == SKC_OK)
    {
      key = layer_key (&L[layer], size, angle);
      *q_size = 0.0f;
      *q_angle = 0.0f;
      if (key != 0)
        key_params (&L[layer], key, q_size, q_angle);
    }
  layers_free (L, SKC_MAX_LAYERS);
  return st;
}

/* ------------------------------------------------------------ branches */

/* Whether @f's bases have summed branches (the LowRank baseline): then
 * every basis must group its layers alike, checked by branched_ok. */
static int
family_branched (const SkcFamily *f)
{
  return f && f->n_bases >= 1 && f->n_bases <= 16 && f->bases[0]
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
 * finite taps) are family_ok's, in the chain's own apply. */
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
  const float            *field, *in;
  int                     in_stride;
  SkcRect                 in_rect, bounds, roi;
  const SkcVaryingTuning *tuning;
  SkcVaryingStats         sum;
} Branches;

static SkcStatus
branch_func (void *data, int b, float *dst, int dst_stride,
             const SkcApplyOptions *options)
{
  Branches        *br = data;
  SkcComplex       views[16];
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
  st = skc_apply_varying_rgba_tuned (&chain, br->field, br->in, br->in_stride,
                                     br->in_rect, br->bounds, dst, dst_stride,
                                     br->roi, options, &tu);
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

static SkcStatus
apply_branched (const SkcFamily *family, const float *field,
                const float *in, int in_stride, SkcRect in_rect,
                SkcRect bounds, float *out, int out_stride, SkcRect roi,
                const SkcApplyOptions *options,
                const SkcVaryingTuning *tuning)
{
  Branches  br;
  SkcStatus st;

  if (!branched_ok (family) || !rect_ok (roi)
      || (options && options->struct_size < sizeof *options))
    return SKC_ERR_INVALID;
  memset (&br, 0, sizeof br);
  br.family = family;
  br.field = field;
  br.in = in;
  br.in_stride = in_stride;
  br.in_rect = in_rect;
  br.bounds = bounds;
  br.roi = roi;
  br.tuning = tuning;
  st = skc_branches_sum (skc_complex_n_branches (family->bases[0]),
                         branch_func, &br, out, out_stride, roi, options);
  if (tuning && tuning->stats)
    *tuning->stats = br.sum;
  return st;
}

/* ---------------------------------------------------------------- entry */

SkcStatus
skc_apply_varying_rgba (const SkcFamily *family, const float *field,
                        const float *in, int in_stride, SkcRect in_rect,
                        SkcRect bounds,
                        float *out, int out_stride, SkcRect roi,
                        const SkcApplyOptions *options)
{
  return skc_apply_varying_rgba_tuned (family, field, in, in_stride, in_rect,
                                       bounds, out, out_stride, roi, options,
                                       NULL);
}

SkcStatus
skc_apply_varying_rgba_tuned (const SkcFamily *family, const float *field,
                              const float *in, int in_stride, SkcRect in_rect,
                              SkcRect bounds,
                              float *out, int out_stride, SkcRect roi,
                              const SkcApplyOptions *options,
                              const SkcVaryingTuning *tuning)
{
  Layer         layers[SKC_MAX_LAYERS];
  Worker       *workers = NULL;
  Job           job;
  int           n_layers, n_threads = 0, rem[SKC_MAX_LAYERS];
  float         s_max = 0.0f;
  float        *scratch = NULL;
  float        *rot = NULL;
  size_t        buf_floats = 0;
  int           any_angle = 0;
  SkcGatherFunc gather;
  SkcStatus     st = SKC_OK;
  size_t        in_n;

  if (family_branched (family))
    return apply_branched (family, field, in, in_stride, in_rect, bounds,
                           out, out_stride, roi, options, tuning);
  if (!family_ok (family) || !field || !in || !out
      || !rect_ok (in_rect) || !rect_ok (bounds) || !rect_ok (roi)
      || bounds.width < 1 || bounds.height < 1
      || in_stride < 4 * in_rect.width || out_stride < 4 * roi.width
      || (options && options->struct_size < sizeof *options)
      || (options && options->tile_size < 0))
    return SKC_ERR_INVALID;
  gather = skc_gather_runs_func (tuning && tuning->path != SKC_SIMD_COUNT
                                 ? tuning->path : skc_simd_best ());
  if (!gather)
    return SKC_ERR_INVALID;
  if (roi.width == 0 || roi.height == 0)
    return SKC_OK;
  if (!rect_contains (bounds, roi))
    return SKC_ERR_INVALID;
  /* in and out must not overlap */
  in_n = (size_t) (in_rect.height > 0 ? in_rect.height - 1 : 0) * in_stride
         + 4 * (size_t) in_rect.width;
  {
    uintptr_t a0 = (uintptr_t) in, a1 = (uintptr_t) (in + in_n);
    uintptr_t b0 = (uintptr_t) out;
    uintptr_t b1 = (uintptr_t) (out + (size_t) (roi.height - 1) * out_stride
                                + 4 * (size_t) roi.width);

    if (a0 < b1 && b0 < a1)
      return SKC_ERR_INVALID;
  }

  /* The largest size in the field decides every pass's reach. */
  n_threads = thread_count (options);
  if (!field_scan (field, in_rect, n_threads, &s_max, &any_angle))
    return SKC_ERR_INVALID;
  if (!rect_contains (in_rect,
                      grow_clip (roi, skc_family_halo (family, s_max), bounds)))
    return SKC_ERR_INVALID;

  n_layers = family->bases[0]->n_layers;
  memset (layers, 0, sizeof layers);

  /* Rotations of the lone pixels once per pixel, not once per pixel and
   * pass. */
  if (any_angle)
    {
      Scan sc[MAX_THREADS];
      int  nt = n_threads < in_rect.height / 64 + 1 ? n_threads
                                                     : in_rect.height / 64 + 1;

      rot = malloc (2 * (size_t) in_rect.width * in_rect.height * sizeof *rot);
      if (!rot)
        {
          st = SKC_ERR_NOMEM;
          goto done;
        }
      field_rows (field, rot, in_rect, nt, sc);
    }

  st = layers_new (family, layers);
  if (st != SKC_OK)
    goto done;
  rem[n_layers - 1] = 0;
  for (int l = n_layers - 1; l >= 0; l--)
    {
      double m = skc_family_layer_extent (family, l, s_max);

      if (!(m <= 2.0 * SKC_MAX_IMAGE_SIDE))
        {
          st = SKC_ERR_INVALID;
          goto done;
        }
      layers[l].reach = (int) m;
      if (l > 0)
        rem[l - 1] = rem[l] + layers[l].reach;
    }

  /* Tiles: each pass recomputes the overlap of its region with the
   * neighbouring tiles', a fraction of about 4 rem[0] / side of the first
   * pass, so the side grows with rem[0] (816 px for the 101 px heart of
   * the bokeh benchmark: 5 % more work than no tiles, 20 tiles on
   * 4000 x 3000; 512 to 1024 px are within noise of each other). */
  job.tile = options && options->tile_size > 0 ? options->tile_size
             : 512 + 16 * rem[0] < 2048 ? 512 + 16 * rem[0] : 2048;
  /* ... but two tiles a thread or more, so that every thread works, as
   * long as a tile stays 8 rem[0] wide (a pass's overlap 1.56 at most) */
  if (!(options && options->tile_size > 0) && n_threads > 1)
    while (job.tile / 2 >= 64 && job.tile / 2 >= 8 * rem[0]
           && ((int64_t) roi.width + job.tile - 1) / job.tile
              * (((int64_t) roi.height + job.tile - 1) / job.tile)
              < 2 * (int64_t) n_threads)
      job.tile = (job.tile + 1) / 2;
  while (((int64_t) roi.width + job.tile - 1) / job.tile
         * (((int64_t) roi.height + job.tile - 1) / job.tile) > (1 << 24))
    job.tile *= 2;
  job.n_tiles = ((roi.width + job.tile - 1) / job.tile)
                * ((roi.height + job.tile - 1) / job.tile);
  n_threads = n_threads < job.n_tiles ? n_threads : job.n_tiles;

  /* Intermediates of one tile: its region grown by rem[0], rows an odd
   * number of cache lines apart (as the uniform engine's scratch). */
  {
    SkcRect t = { roi.x, roi.y, roi.width < job.tile ? roi.width : job.tile,
                  roi.height < job.tile ? roi.height : job.tile };
    size_t  w = (size_t) t.width + 2 * (size_t) rem[0];
    size_t  h = (size_t) t.height + 2 * (size_t) rem[0];

    w = w < (size_t) bounds.width ? w : (size_t) bounds.width;
    h = h < (size_t) bounds.height ? h : (size_t) bounds.height;
    job.buf_stride = (ptrdiff_t) (((4 * w + 15) / 16) * 16);
    if ((job.buf_stride / 16) % 2 == 0)
      job.buf_stride += 16;
    buf_floats = (size_t) job.buf_stride * h;
    if (n_layers > 1
        && buf_floats > SIZE_MAX / sizeof (float) / 2 / (size_t) n_threads)
      {
        st = SKC_ERR_NOMEM;
        goto done;
      }
  }
  /* Each pass reads the one before with the same stride in every tile. */
  layers[0].stride = in_stride;
  for (int l = 1; l < n_layers; l++)
    layers[l].stride = job.buf_stride;

  workers = malloc ((size_t) n_threads * sizeof *workers);
  if (!workers)
    {
      n_threads = 0;
      st = SKC_ERR_NOMEM;
      goto done;
    }
  st = workers_new (workers, n_threads, layers, n_layers,
                    (int) (job.buf_stride / 4));
  if (st == SKC_OK && n_layers > 1)
    {
      scratch = malloc (buf_floats * (n_layers > 2 ? 2 : 1)
                        * (size_t) n_threads * sizeof (float));
      if (!scratch)
        st = SKC_ERR_NOMEM;
    }
  if (st != SKC_OK)
    goto done;

  job.family = family;
  job.field = field;
  job.rot = rot;
  job.field_rect = in_rect;
  job.bounds = bounds;
  job.roi = roi;
  job.layers = layers;
  job.n_layers = n_layers;
  memcpy (job.rem, rem, sizeof rem);
  job.in = in;
  job.in_stride = in_stride;
  job.in_rect = in_rect;
  job.out = out;
  job.out_stride = out_stride;
  job.gather = gather;
  job.max_run = tuning ? tuning->max_run : 0;
  job.no_cache = tuning ? tuning->no_cache : 0;
  job.lone_rate = tuning && tuning->lone_rate != 0.0f ? tuning->lone_rate
                                                      : RUN_RATE;
  for (int i = 0; i < n_threads; i++)
    {
      size_t per = n_layers > 2 ? 2 * buf_floats : buf_floats;

      workers[i].buf[0] = scratch ? scratch + (size_t) i * per : NULL;
      workers[i].buf[1] = scratch && n_layers > 2
                          ? scratch + (size_t) i * per + buf_floats : NULL;
    }
  st = skc_tiles_run (roi, job.tile, tile_func, &job, workers,
                      sizeof *workers, n_threads,
                      options ? options->progress : NULL,
                      options ? options->progress_data : NULL);

done:
  if (workers && tuning && tuning->stats)
    {
      SkcVaryingStats *t = tuning->stats;

      memset (t, 0, sizeof *t);
      for (int i = 0; i < n_threads; i++)
        {
          t->pixels += workers[i].stats.pixels;
          t->identity += workers[i].stats.identity;
          t->runs += workers[i].stats.runs;
          t->gathered += workers[i].stats.gathered;
          t->clamped += workers[i].stats.clamped;
          t->folds += workers[i].stats.folds;
          t->lone += workers[i].stats.lone;
          t->entries += workers[i].stats.entries;
        }
    }
  if (workers)
    workers_free (workers, n_threads);
  free (workers);
  layers_free (layers, SKC_MAX_LAYERS);
  free (scratch);
  free (rot);
  return st;
}
