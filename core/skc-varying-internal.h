/* The spatially varying apply's own types and helpers, shared by its
 * files (skc-apply-varying.c is the entry and says how it works):
 *
 *   skc-varying-keys.c      quantisation keys: a pixel's stencil, or lone
 *   skc-varying-fold.c      a layer folded into a stencil at a key; cache
 *   skc-varying-runs.c      a pass's rows: runs of one stencil, borders
 *   skc-varying-lone.c      the exact per-pixel path
 *   skc-varying-setup.c     checks, layers, per-thread state, field scan
 *   skc-varying-branches.c  branched families, chain by chain
 *   skc-apply-varying-rows.c  the row kernels for runs
 *
 * Not installed, not part of the API.
 */
#ifndef SKC_VARYING_INTERNAL_H
#define SKC_VARYING_INTERNAL_H

#include "skc.h"
#include "skc-private.h"
#include "skc-apply-private.h"
#include "skc-apply-varying-private.h"
#include "skc-stencil.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* A cache slot: a layer folded at one key (the stencil itself is
 * skc-stencil.h's SkcStencil). */
typedef struct
{
  uint64_t   key;          /* 0: empty                                 */
  uint32_t   age;
  SkcStencil s;
  ptrdiff_t *off;          /* dy * stride + 4 dx                       */
} StencilSlot;

typedef struct
{
  StencilSlot  slot[CACHE_SETS * CACHE_WAYS];
  StencilSlot *last;
  void        *mem;
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
  SkcStencilFolder folder;       /* scratch of the folds               */
  uint32_t        clock;
  SkcVaryingStats stats;
  float          *buf[2];        /* a tile's intermediates             */
} Worker;

/* What every pass of one call reads, set once per call. */
typedef struct
{
  const SkcFamily *family;
  const float     *field;
  const float     *rot;    /* cos, sin of every angle, or NULL: all 0 */
  SkcRect          field_rect;
  int              bx0, bx1;     /* bounds' first and last column      */
  SkcGatherFunc    gather;
  int              max_run, no_cache;
  float            lone_rate;    /* RUN_RATE, or the tuning's          */
} Call;

/* One layer's pass over one tile. */
typedef struct
{
  const Call      *call;
  const Layer     *layer;
  int              index;        /* the layer's                        */
  Src              src;
  Dst              dst;
} Pass;

/* Row @y of the field (size, angle pairs), indexed by image column. */
static inline const float *
pass_field_row (const Pass *p, int y)
{
  const Call *c = p->call;

  return c->field + ((ptrdiff_t) (y - c->field_rect.y) * c->field_rect.width
                     - c->field_rect.x) * 2;
}

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

/* A layer's taps at one diameter (skc_family_locate): basis k's taps and
 * their differences toward basis k + 1, with @t and @lerp of the rule. */
typedef struct
{
  const float *ox, *oy, *w, *dox, *doy, *dw;
  float        t;
  int          lerp;
} LayerAt;

static inline LayerAt
layer_at (const SkcFamily *f, const Layer *L, float size)
{
  LayerAt a;
  int     k;
  size_t  o;

  skc_family_locate (f, size, &k, &a.lerp, &a.t);
  o = (size_t) k * L->n;
  a.ox = L->ox + o;
  a.oy = L->oy + o;
  a.w = L->w + o;
  a.dox = L->dox + o;
  a.doy = L->doy + o;
  a.dw = L->dw + o;
  return a;
}

/* Tap @i of @a through skc_tap_at_size (@lerp, @rotate constant where it
 * is inlined, so that the loops calling it vectorise). */
static inline __attribute__ ((always_inline)) void
tap_at (const LayerAt *a, int i, float c, float s, int lerp, int rotate,
        float *x, float *y, float *w)
{
  skc_tap_at_size (a->ox[i], a->oy[i], a->w[i], a->dox[i], a->doy[i],
                   a->dw[i], a->t, c, s, lerp, rotate, x, y, w);
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

/* skc-varying-keys.c */
void     skc_vary_layer_quant (const SkcFamily *f, int l, Layer *L);
uint64_t skc_vary_layer_key   (const Layer *L, float s, float a);
void     skc_vary_key_params  (const Layer *L, uint64_t key, float *s,
                               float *a);
int      skc_vary_row_keys    (const Layer *L, const float *frow,
                               uint64_t *keys, int x0, int x1);
void     skc_vary_row_classes (const Pass *p, const float *frow,
                               uint64_t *keys, int x0, int x1, int rotated);

/* skc-varying-fold.c */
const StencilSlot *skc_vary_lookup (const Pass *p, Worker *wk, uint64_t key);

/* skc-varying-runs.c */
void skc_vary_pass_row (const Pass *p, Worker *wk, int y, int x0, int x1);

/* skc-varying-lone.c */
void skc_vary_lone_run (const Pass *p, Worker *wk, const float *base,
                        float *orow, int y, int xa, int xb);

/* skc-varying-setup.c */
int       skc_vary_family_ok    (const SkcFamily *f);
SkcStatus skc_vary_layers_new   (const SkcFamily *f, Layer *layers);
void      skc_vary_layers_free  (Layer *layers, int n);
SkcStatus skc_vary_workers_new  (Worker *workers, int n, const Layer *layers,
                                 int n_layers, int width);
void      skc_vary_workers_free (Worker *workers, int n);
SkcRect   skc_vary_grow_clip    (SkcRect r, int by, SkcRect bounds);
int       skc_vary_rect_contains (SkcRect outer, SkcRect inner);
int       skc_vary_rect_ok      (SkcRect r);
Src       skc_vary_src_of       (const float *data, ptrdiff_t stride,
                                 SkcRect r, SkcRect bounds);
void      skc_vary_field_rows   (const float *field, float *rot, SkcRect r,
                                 int n_threads, Scan *sc);
int       skc_vary_field_scan   (const float *field, SkcRect r,
                                 int n_threads, float *s_max,
                                 int *any_angle);

/* skc-varying-branches.c */
int       skc_vary_family_branched (const SkcFamily *f);
SkcStatus skc_vary_apply_branched  (const SkcFamily *family,
                                    const float *field, SkcInView in,
                                    SkcRect bounds, SkcOutView out,
                                    const SkcApplyOptions *options,
                                    const SkcVaryingTuning *tuning);

#endif
