/* Spatially varying apply: every pass of the complex gathers, at each of
 * its output pixels, with the family's taps interpolated at that pixel's
 * (size, angle) (METHOD.md section 4; the interpolation rule is in
 * skc-family.c).  Cost per pixel is that of one fixed complex plus the tap
 * interpolation, done once per pixel and layer from per-basis arrays
 * (structure of arrays, differences between neighbouring bases
 * precomputed), and skipped when a pixel has the same (size, angle) as the
 * one before it (uniform fields, rows of a horizontal tilt-shift).
 *
 * Geometry, as in the uniform engine.  Let m_l be the largest offset of
 * layer l over the field's sizes (skc_family_layer_reach, any angle) and
 * e_l = ceil (m_l) (skc_family_layer_extent, a hair more for rounding): a
 * nonzero bilinear weight of layer l never reaches farther.  Pass l
 * computes the output rectangle grown by e_l+1 + ... + e_L-1, clipped to
 * bounds (the last pass computes the output itself); outside bounds every
 * intermediate is clamped to its edge, exactly as in the reference
 * skc_complex_apply_plane.  Reads are also clamped to the pixels that
 * exist, which can only touch taps of weight zero.
 *
 * Work is cut into strips of output rows (the option tile_size, or about
 * 256 rows); in each strip every pass is shared by the threads in chunks
 * of rows.  Each pixel is computed by the same arithmetic whoever computes
 * it, so the result is bit-identical for any thread count and strip size.
 * Pixels of size 0 (or less) are the identity scaled by the layer's
 * weight sum; a sum within 1e-6 of 1 (what the fit's DC constraint
 * leaves) counts as 1, so a sharp region is passed through unchanged.
 */
#define _POSIX_C_SOURCE 200809L
#include "skc.h"
#include "skc-private.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK_ROWS 4
#define MAX_THREADS 64

/* One layer's taps for every basis: [basis * n + i]; d* are the
 * differences basis k + 1 - basis k. */
typedef struct
{
  int    n;
  float *ox, *oy, *w;
  float *dox, *doy, *dw;
  float  gain0;            /* weight sum of basis 0: the size-0 factor */
  int    reach;            /* e_l for this call                        */
} Layer;

/* A plane of RGBA pixels covering @r, and the part readable by clamping. */
typedef struct
{
  const float *data;
  int          stride;     /* floats */
  SkcRect      r;
  int          x0, y0, x1, y1;   /* readable, inclusive: r ∩ bounds */
} Src;

/* Rows @r of a plane whose first pixel is (@x, @y). */
typedef struct
{
  float  *data;
  int     stride;
  int     x, y;
  SkcRect r;
} Dst;

typedef struct
{
  const SkcFamily *family;
  const float     *field;
  const float     *rot;    /* cos, sin of every angle, or NULL: all 0 */
  SkcRect          field_rect;
  const Layer     *layer;
  Src              src;
  Dst              dst;
  atomic_int       next;
} Pass;

/* ---------------------------------------------------------------- taps */

typedef struct
{
  int   dx[SKC_MAX_SAMPLES], dy[SKC_MAX_SAMPLES];
  float w00[SKC_MAX_SAMPLES], w01[SKC_MAX_SAMPLES];
  float w10[SKC_MAX_SAMPLES], w11[SKC_MAX_SAMPLES];
  int   identity;          /* size <= 0 */
  uint32_t key_size, key_angle;
  int   valid;
} Taps;

static uint32_t
float_bits (float v)
{
  uint32_t u;

  memcpy (&u, &v, sizeof u);
  return u;
}

/* Taps @ox.. (basis k) interpolated toward basis k + 1 (@lerp, by t * d)
 * or scaled by @t, rotated if @rotate, turned into integer offsets and
 * bilinear weights.  Inlined with constant flags: four straight loops the
 * compiler vectorises. */
static inline void
taps_fill (Taps *tp, int n, const float *ox, const float *oy,
           const float *ow, const float *dox, const float *doy,
           const float *dw, float t, float c, float s, int lerp, int rotate)
{
  for (int i = 0; i < n; i++)
    {
      float x, y, w, fx, fy;
      int   ix, iy;

      if (lerp)
        {
          x = ox[i] + t * dox[i];
          y = oy[i] + t * doy[i];
          w = ow[i] + t * dw[i];
        }
      else
        {
          x = ox[i] * t;
          y = oy[i] * t;
          w = ow[i];
        }
      if (rotate)
        {
          float rx = c * x + s * y;
          float ry = -s * x + c * y;

          x = rx;
          y = ry;
        }
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

/* The layer's taps at (size, angle), with the same arithmetic as
 * skc_family_eval (c, s: skc_rotation of the angle).  Kept while
 * consecutive pixels have the same (size, angle). */
static void
taps_prepare (Taps *tp, const SkcFamily *family, const Layer *L, float size,
              float angle, float c, float s)
{
  uint32_t     ks = float_bits (size), ka = float_bits (angle);
  int          k, lerp, n = L->n;
  float        t;
  const float *ox, *oy, *ow, *dox, *doy, *dw;

  if (tp->valid && tp->key_size == ks && tp->key_angle == ka)
    return;
  tp->valid = 1;
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
    taps_fill (tp, n, ox, oy, ow, dox, doy, dw, t, c, s, 1, 1);
  else if (lerp)
    taps_fill (tp, n, ox, oy, ow, dox, doy, dw, t, c, s, 1, 0);
  else if (angle != 0.0f)
    taps_fill (tp, n, ox, oy, ow, dox, doy, dw, t, c, s, 0, 1);
  else
    taps_fill (tp, n, ox, oy, ow, dox, doy, dw, t, c, s, 0, 0);
}

/* The four channels of a pixel side by side in one vector: GCC's and
 * Clang's generic vectors (SSE2 on x86-64, NEON on arm64, no ISA switch).
 * Each lane does exactly the scalar fallback's arithmetic, in the same
 * order, so both give the same bits. */
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

/* One output row of a pass. */
static void
pass_row (const Pass *p, Taps *tp, int y)
{
  const Src   *S = &p->src;
  const Layer *L = p->layer;
  const float *frow = p->field
                      + ((ptrdiff_t) (y - p->field_rect.y) * p->field_rect.width
                         - p->field_rect.x) * 2;
  const float *rrow = p->rot
                      ? p->rot + ((ptrdiff_t) (y - p->field_rect.y)
                                  * p->field_rect.width - p->field_rect.x) * 2
                      : NULL;
  float       *orow = p->dst.data + (ptrdiff_t) (y - p->dst.y) * p->dst.stride
                      - (ptrdiff_t) p->dst.x * 4;
  /* base (x, y) is pixel (x, y) of the source plane */
  const float *base = S->data - (ptrdiff_t) S->r.y * S->stride
                      - (ptrdiff_t) S->r.x * 4;

  for (int x = p->dst.r.x; x < p->dst.r.x + p->dst.r.width; x++)
    {
      float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
      float rc = 1.0f, rs = 0.0f;

      if (rrow)
        {
          rc = rrow[2 * x];
          rs = rrow[2 * x + 1];
        }
      taps_prepare (tp, p->family, L, frow[2 * x], frow[2 * x + 1], rc, rs);
      if (tp->identity)
        {
          const float *q = base
                           + (ptrdiff_t) clampi (y, S->y0, S->y1) * S->stride
                           + (ptrdiff_t) clampi (x, S->x0, S->x1) * 4;

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
          const float *q = base + (ptrdiff_t) y * S->stride
                           + (ptrdiff_t) x * 4;

#ifdef SKC_HAVE_VEC4
          Vec4 acc = { 0.0f, 0.0f, 0.0f, 0.0f };
#else
          float acc[4] = { 0.0f, 0.0f, 0.0f, 0.0f };
#endif

          for (int i = 0; i < L->n; i++)
            {
              const float *r0 = q + (ptrdiff_t) tp->dy[i] * S->stride
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
            int          xa = clampi (x + tp->dx[i], S->x0, S->x1);
            int          xb = clampi (x + tp->dx[i] + 1, S->x0, S->x1);
            int          ya = clampi (y + tp->dy[i], S->y0, S->y1);
            int          yb = clampi (y + tp->dy[i] + 1, S->y0, S->y1);
            const float *r00 = base + (ptrdiff_t) ya * S->stride + xa * 4;
            const float *r01 = base + (ptrdiff_t) ya * S->stride + xb * 4;
            const float *r10 = base + (ptrdiff_t) yb * S->stride + xa * 4;
            const float *r11 = base + (ptrdiff_t) yb * S->stride + xb * 4;
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
}

static void
pass_work (Pass *p)
{
  Taps tp;

  tp.valid = 0;
  for (;;)
    {
      int y0 = atomic_fetch_add (&p->next, CHUNK_ROWS) + p->dst.r.y;
      int y1 = y0 + CHUNK_ROWS;

      if (y0 >= p->dst.r.y + p->dst.r.height)
        return;
      if (y1 > p->dst.r.y + p->dst.r.height)
        y1 = p->dst.r.y + p->dst.r.height;
      for (int y = y0; y < y1; y++)
        pass_row (p, &tp, y);
    }
}

static void *
pass_thread (void *data)
{
  pass_work (data);
  return NULL;
}

static void
pass_run (Pass *p, int n_threads)
{
  pthread_t threads[MAX_THREADS];
  int       started = 0;
  int       chunks = (p->dst.r.height + CHUNK_ROWS - 1) / CHUNK_ROWS;

  atomic_init (&p->next, 0);
  if (n_threads > chunks)
    n_threads = chunks;
  for (int i = 1; i < n_threads; i++)
    if (pthread_create (&threads[started], NULL, pass_thread, p) == 0)
      started++;
  pass_work (p);
  for (int i = 0; i < started; i++)
    pthread_join (threads[i], NULL);
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
src_of (const float *data, int stride, SkcRect r, SkcRect bounds)
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

/* ---------------------------------------------------------------- apply */

SkcStatus
skc_apply_varying_rgba (const SkcFamily *family, const float *field,
                        const float *in, int in_stride, SkcRect in_rect,
                        SkcRect bounds,
                        float *out, int out_stride, SkcRect roi,
                        const SkcApplyOptions *options)
{
  Layer     layers[SKC_MAX_LAYERS];
  int       n_layers, n_threads, strip, rem[SKC_MAX_LAYERS];
  float     s_max = 0.0f;
  float    *buf[2] = { NULL, NULL };
  float    *rot = NULL;
  int       any_angle = 0;
  SkcStatus st = SKC_OK;
  size_t    in_n;

  if (!family_ok (family) || !field || !in || !out
      || !rect_ok (in_rect) || !rect_ok (bounds) || !rect_ok (roi)
      || bounds.width < 1 || bounds.height < 1
      || in_stride < 4 * in_rect.width || out_stride < 4 * roi.width
      || (options && options->struct_size < sizeof *options)
      || (options && options->tile_size < 0))
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
  for (int j = 0; j < in_rect.height; j++)
    {
      const float *f = field + (size_t) j * 2 * in_rect.width;

      for (int i = 0; i < in_rect.width; i++)
        {
          if (!isfinite (f[2 * i]) || !isfinite (f[2 * i + 1]))
            return SKC_ERR_INVALID;
          s_max = f[2 * i] > s_max ? f[2 * i] : s_max;
          any_angle |= f[2 * i + 1] != 0.0f;
        }
    }
  if (!rect_contains (in_rect,
                      grow_clip (roi, skc_family_halo (family, s_max), bounds)))
    return SKC_ERR_INVALID;

  n_layers = family->bases[0]->n_layers;
  memset (layers, 0, sizeof layers);

  /* Rotations once per pixel, not once per pixel and pass. */
  if (any_angle)
    {
      size_t n = (size_t) in_rect.width * in_rect.height;

      rot = malloc (2 * n * sizeof *rot);
      if (!rot)
        {
          st = SKC_ERR_NOMEM;
          goto done;
        }
      for (size_t i = 0; i < n; i++)
        skc_rotation (field[2 * i + 1], &rot[2 * i], &rot[2 * i + 1]);
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

  /* Strips of output rows: tall enough that the first pass's extra rows
   * (2 rem[0]) cost little, short enough to keep buffers small. */
  n_threads = thread_count (options);
  strip = rem[0] * 4 > 256 ? rem[0] * 4 : 256;
  if (options && options->tile_size > 0)
    strip = options->tile_size;
  if (strip > roi.height)
    strip = roi.height;

  /* Ping-pong buffers for the intermediate passes of one strip. */
  if (n_layers > 1)
    {
      size_t w = (size_t) roi.width + 2 * (size_t) rem[0];
      size_t h = (size_t) strip + 2 * (size_t) rem[0];
      size_t n;

      w = w < (size_t) bounds.width ? w : (size_t) bounds.width;
      h = h < (size_t) bounds.height ? h : (size_t) bounds.height;
      n = w * h;

      if (n > SIZE_MAX / (4 * sizeof (float)))
        {
          st = SKC_ERR_NOMEM;
          goto done;
        }
      buf[0] = malloc (n * 4 * sizeof (float));
      buf[1] = n_layers > 2 ? malloc (n * 4 * sizeof (float)) : NULL;
      if (!buf[0] || (n_layers > 2 && !buf[1]))
        {
          st = SKC_ERR_NOMEM;
          goto done;
        }
    }

  for (int y = roi.y; y < roi.y + roi.height; y += strip)
    {
      int     rows = roi.y + roi.height - y < strip ? roi.y + roi.height - y
                                                        : strip;
      SkcRect part = { roi.x, y, roi.width, rows };
      Src     src = src_of (in, in_stride, in_rect, bounds);

      for (int l = 0; l < n_layers; l++)
        {
          Pass p;

          p.family = family;
          p.field = field;
          p.rot = rot;
          p.field_rect = in_rect;
          p.layer = &layers[l];
          p.src = src;
          if (l == n_layers - 1)
            {
              p.dst.data = out;
              p.dst.stride = out_stride;
              p.dst.x = roi.x;
              p.dst.y = roi.y;
              p.dst.r = part;
            }
          else
            {
              p.dst.r = grow_clip (part, rem[l], bounds);
              p.dst.data = buf[l & 1];
              p.dst.stride = 4 * p.dst.r.width;
              p.dst.x = p.dst.r.x;
              p.dst.y = p.dst.r.y;
            }
          pass_run (&p, n_threads);
          src = src_of (p.dst.data, p.dst.stride, p.dst.r, bounds);
        }
      if (options && options->progress
          && options->progress ((double) (y + part.height - roi.y) / roi.height,
                                0.0, options->progress_data))
        {
          st = SKC_ERR_CANCELLED;
          goto done;
        }
    }

done:
  layers_free (layers, SKC_MAX_LAYERS);
  free (buf[0]);
  free (buf[1]);
  free (rot);
  return st;
}
