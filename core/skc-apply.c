/* The uniform fast apply engine: a complex applied to interleaved float
 * RGBA, any output rectangle at a time, on threads and SIMD.
 *
 * Stencils.  A layer gathers out(p) = sum_i w_i bilerp (in, p + o_i).  A
 * tap at o = (ix + fx, iy + fy) reads the four pixels (ix, iy) ..
 * (ix + 1, iy + 1) with weights w (1 - fx) (1 - fy), w fx (1 - fy), ...,
 * and these do not depend on p: skc_plan_new folds every layer into a
 * sparse *integer* stencil out(p) = sum_e W_e in(p + d_e).  Corners of
 * different taps that land on the same pixel merge (their weights add, in
 * double, then round once to float), zero weights are dropped, so a tap at
 * an integer offset is one entry and a 24-tap layer is at most 96.
 * Entries are sorted by (dy, dx), which keeps consecutive loads close.
 * The folding is skc-stencil.c's, shared with the varying apply.
 *
 * Borders.  The reference (skc_complex_apply_plane) clamps every layer's
 * input at the image bounds.  Here each layer writes its output into a
 * buffer that also holds, around the part inside the bounds, the clamped
 * copies of the edge pixels the next layer will read (a replicated pad), so
 * the gather kernels never test bounds.  Pads exist only where a tile
 * touches the image border.
 *
 * Tiles, fused.  The output rectangle is cut into square tiles.  For a tile
 * T, layer L writes T; layer L-1 must cover T grown by layer L's stencil
 * box, clipped to the bounds; and so on back to layer 1, whose input
 * region (the union of all boxes) is read straight from the caller's
 * buffer when it lies inside the bounds, or copied with clamping.  All
 * layers of a tile run back to back in two per-thread scratch buffers, so
 * the intermediates stay in cache.  The price is recomputing the halo
 * overlap between neighbouring tiles: tiles grow with the halo to keep it
 * small.
 *
 * Determinism.  Every intermediate pixel is the same float sum in the same
 * order whatever tile computed it, and tiles only decide *which* pixels
 * are computed, so the result is bit-identical for any tiling, rectangle
 * split and thread count.  The SIMD kernels (skc-apply-sse2.c,
 * skc-apply-avx2.c) vectorise across pixels and channels and perform per
 * value exactly the scalar kernel's multiplies and adds: all paths agree
 * bit for bit.  Against the reference (double accumulation of bilinear
 * taps) the difference is float rounding.
 *
 * Threads.  Tiles go to n_threads workers, the caller one of them, through
 * the scheduler both engines share (skc-tiles.c): tiles are handed out by
 * an atomic counter; the progress callback runs only on the calling
 * thread, between its tiles; a non-zero return stops every thread after
 * its current tile.
 *
 * SIMD dispatch.  The best path (AVX2, SSE2, scalar) is probed once with
 * __builtin_cpu_supports (SKC_DISABLE_SIMD turns paths off) and stored in
 * each plan as a function pointer.
 *
 * Contract details beyond skc.h: @roi must lie inside @bounds; @in_rect
 * may reach beyond @bounds (those pixels are never read); after
 * SKC_ERR_CANCELLED @out is partly written.
 *
 * Speed: time follows the stencil entry count, not the kernel's size,
 * at about one cycle per 8-float multiply-add with AVX2
 * (tests/bench/results/apply.md).
 */
#define _POSIX_C_SOURCE 200809L
#include "skc.h"
#include "skc-private.h"
#include "skc-apply-private.h"
#include "skc-stencil.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Rectangle coordinates accepted by skc_apply_rgba: far beyond any image,
 * small enough that a coordinate plus sizes and halos never overflows. */
#define MAX_TILE    4096
/* Scratch of all threads together; beyond it fewer threads run (huge
 * stencils only: a thread needs 2 (tile + span)^2 RGBA floats). */
#define SCRATCH_BUDGET ((size_t) 1 << 30)

struct SkcPlan
{
  int           n_layers;
  SkcStencil    layers[SKC_MAX_LAYERS];
  int           halo;
  int           span_x, span_y;  /* sum of the layers' box widths - 1    */
  SkcSimdPath   path;
  SkcGatherFunc gather;
  void         *storage;         /* all dx, dy, w arrays                 */
  /* A complex with summed branches (LowRank) is a container: no layers of
   * its own, one chain plan per branch, outputs added in branch order. */
  int           n_branches;
  SkcPlan      *branch[SKC_MAX_LAYERS];
};

/* ---------------------------------------------------------------- dispatch */

static const char *const path_names[SKC_SIMD_COUNT] = {
  "scalar", "sse2", "avx2"
};

/* Written once under simd_once, read-only afterwards. */
static pthread_once_t simd_once = PTHREAD_ONCE_INIT;
static int            simd_ok[SKC_SIMD_COUNT];
static SkcSimdPath    simd_best = SKC_SIMD_SCALAR;

static const SkcGatherFunc gather_funcs[SKC_SIMD_COUNT] = {
  skc_gather_rgba_scalar,
#if defined(__SSE2__)
  skc_gather_rgba_sse2,
#else
  NULL,
#endif
#if defined(SKC_HAVE_AVX2)
  skc_gather_rgba_avx2,
#else
  NULL,
#endif
};

static void
simd_probe (void)
{
  const char *env = getenv ("SKC_DISABLE_SIMD");

  simd_ok[SKC_SIMD_SCALAR] = 1;
#if defined(__SSE2__)
  /* Compiled for SSE2 at all means the CPU has it. */
  simd_ok[SKC_SIMD_SSE2] = 1;
#endif
#if defined(SKC_HAVE_AVX2)
  __builtin_cpu_init ();
  simd_ok[SKC_SIMD_AVX2] = __builtin_cpu_supports ("avx2") ? 1 : 0;
#endif
  /* Words separated by spaces or commas: "all", "avx2", "sse2". */
  while (env && *env)
    {
      size_t n;

      env += strspn (env, " ,");
      n = strcspn (env, " ,");
      if (n == 3 && strncasecmp (env, "all", 3) == 0)
        for (int p = 1; p < SKC_SIMD_COUNT; p++)
          simd_ok[p] = 0;
      for (int p = 1; p < SKC_SIMD_COUNT; p++)
        if (n == strlen (path_names[p])
            && strncasecmp (env, path_names[p], n) == 0)
          simd_ok[p] = 0;
      env += n;
    }
  for (int p = 0; p < SKC_SIMD_COUNT; p++)
    if (simd_ok[p] && gather_funcs[p])
      simd_best = (SkcSimdPath) p;
}

const char *
skc_simd_path_name (SkcSimdPath path)
{
  return path >= 0 && path < SKC_SIMD_COUNT ? path_names[path] : "unknown";
}

int
skc_simd_path_available (SkcSimdPath path)
{
  pthread_once (&simd_once, simd_probe);
  return path >= 0 && path < SKC_SIMD_COUNT && simd_ok[path]
         && gather_funcs[path] != NULL;
}

const char *
skc_apply_simd_path (void)
{
  pthread_once (&simd_once, simd_probe);
  return path_names[simd_best];
}

SkcSimdPath
skc_simd_best (void)
{
  pthread_once (&simd_once, simd_probe);
  return simd_best;
}

SkcGatherFunc
skc_gather_func (SkcSimdPath path)
{
  return skc_simd_path_available (path) ? gather_funcs[path] : NULL;
}

/* ---------------------------------------------------------------- scalar */

#define SCALAR_CHUNK 8   /* pixels per register block */

/* The reference kernel and the fallback.  Per value: acc = w0 v0, then
 * acc = acc + we ve for e = 1 .. n - 1; the SIMD kernels do the same.
 * Plain C, written so that a vectorising compiler keeps the 8 x 4
 * accumulators in registers (GCC -O3 makes it as fast as the SSE2
 * kernel; elsewhere, e.g. on NEON, this is the fast path). */
static inline void
scalar_chunk (const float *s, float *d, const float *w, const ptrdiff_t *off,
              int n)
{
  const float *p = s + off[0];
  float        acc[SCALAR_CHUNK][4];

  for (int i = 0; i < SCALAR_CHUNK; i++)
    for (int c = 0; c < 4; c++)
      acc[i][c] = w[0] * p[4 * i + c];
  for (int e = 1; e < n; e++)
    {
      float we = w[e];

      p = s + off[e];
      for (int i = 0; i < SCALAR_CHUNK; i++)
        for (int c = 0; c < 4; c++)
          acc[i][c] = acc[i][c] + we * p[4 * i + c];
    }
  memcpy (d, acc, sizeof acc);
}

static inline void
scalar_narrow (const float *s, float *d, int width, const float *w,
               const ptrdiff_t *off, int n)
{
  for (int x = 0; x < width; x++)
    {
      const float *p = s + 4 * x + off[0];
      float        acc[4];

      for (int c = 0; c < 4; c++)
        acc[c] = w[0] * p[c];
      for (int e = 1; e < n; e++)
        {
          float we = w[e];

          p = s + 4 * x + off[e];
          for (int c = 0; c < 4; c++)
            acc[c] = acc[c] + we * p[c];
        }
      memcpy (d + 4 * x, acc, sizeof acc);
    }
}

static void
scalar_row (const float *s, float *d, int width, const float *w,
            const ptrdiff_t *off, int n)
{
  skc_gather_row_chunks (s, d, width, SCALAR_CHUNK, scalar_chunk,
                         scalar_narrow, w, off, n);
}

SKC_DEFINE_GATHER (, skc_gather_rgba_scalar, scalar_row)

/* ---------------------------------------------------------------- plan */

/* Fold @n_taps bilinear taps into @st (skc-stencil.c), whose arrays hold
 * 4 * n_taps, its box grown to hold the origin.  @xyw: room for 3 n_taps
 * floats. */
static void
fold_layer (SkcStencilFolder *folder, const SkcTap *taps, int n_taps,
            float *xyw, SkcStencil *st)
{
  float *x = xyw, *y = xyw + n_taps, *w = xyw + 2 * n_taps;

  for (int i = 0; i < n_taps; i++)
    {
      x[i] = taps[i].ox;
      y[i] = taps[i].oy;
      w[i] = taps[i].w;
    }
  skc_stencil_fold (folder, x, y, w, n_taps, 0, st);
  st->x0 = st->x0 < 0 ? st->x0 : 0;
  st->x1 = st->x1 > 0 ? st->x1 : 0;
  st->y0 = st->y0 < 0 ? st->y0 : 0;
  st->y1 = st->y1 > 0 ? st->y1 : 0;
}

static SkcStatus
plan_new_branched (const SkcComplex *complex, SkcPlan **out)
{
  SkcPlan *plan = calloc (1, sizeof *plan);
  int      nb = skc_complex_n_branches (complex);

  if (!plan)
    return SKC_ERR_NOMEM;
  for (int b = 0; b < nb; b++)
    {
      SkcComplex *chain = NULL;
      int         first, nl;
      SkcStatus   s;

      skc_complex_branch (complex, b, &first, &nl);
      s = skc_complex_new (nl, complex->n_samples + first, &chain);
      if (s == SKC_OK)
        {
          memcpy (chain->taps, skc_complex_layer (complex, first),
                  (size_t) skc_complex_total_taps (chain) * sizeof (SkcTap));
          s = skc_plan_new (chain, &plan->branch[b]);
        }
      skc_complex_free (chain);
      if (s != SKC_OK)
        {
          plan->n_branches = b;
          skc_plan_free (plan);
          return s;
        }
      plan->n_branches = b + 1;
      if (plan->branch[b]->halo > plan->halo)
        plan->halo = plan->branch[b]->halo;
    }
  plan->path = plan->branch[0]->path;
  plan->gather = plan->branch[0]->gather;
  *out = plan;
  return SKC_OK;
}

SkcStatus
skc_plan_new (const SkcComplex *complex, SkcPlan **out)
{
  SkcPlan         *plan;
  SkcStencilFolder folder;
  float           *tmp;
  char            *mem;
  size_t           total = 0;
  int              max_taps = 0;
  int              sx0 = 0, sx1 = 0, sy0 = 0, sy1 = 0;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!complex || !complex->taps || complex->n_layers < 1
      || complex->n_layers > SKC_MAX_LAYERS)
    return SKC_ERR_INVALID;
  for (int l = 0; l < complex->n_layers; l++)
    {
      if (complex->n_samples[l] < 1 || complex->n_samples[l] > SKC_MAX_SAMPLES)
        return SKC_ERR_INVALID;
      total += 4 * (size_t) complex->n_samples[l];
      if (complex->n_samples[l] > max_taps)
        max_taps = complex->n_samples[l];
    }
  for (int i = 0; i < skc_complex_total_taps (complex); i++)
    {
      const SkcTap *t = &complex->taps[i];

      if (!isfinite (t->ox) || !isfinite (t->oy) || !isfinite (t->w)
          || fabsf (t->ox) > SKC_MAX_OFFSET || fabsf (t->oy) > SKC_MAX_OFFSET)
        return SKC_ERR_INVALID;
    }

  if (skc_complex_n_branches (complex) > 1)
    return plan_new_branched (complex, out);

  plan = calloc (1, sizeof *plan);
  mem = malloc (total * (2 * sizeof (int) + sizeof (float)));
  tmp = malloc (3 * (size_t) max_taps * sizeof *tmp);
  if (!plan || !mem || !tmp
      || skc_stencil_folder_init (&folder, max_taps) != SKC_OK)
    {
      free (plan);
      free (mem);
      free (tmp);
      return SKC_ERR_NOMEM;
    }
  plan->storage = mem;
  plan->n_layers = complex->n_layers;
  {
    int   *ip = (int *) mem;
    float *fp = (float *) (ip + 2 * total);

    for (int l = 0; l < complex->n_layers; l++)
      {
        SkcStencil *st = &plan->layers[l];
        size_t      cap = 4 * (size_t) complex->n_samples[l];

        st->dx = ip, ip += cap;
        st->dy = ip, ip += cap;
        st->w = fp, fp += cap;
        fold_layer (&folder, skc_complex_layer (complex, l),
                    complex->n_samples[l], tmp, st);
        sx0 += st->x0, sx1 += st->x1;
        sy0 += st->y0, sy1 += st->y1;
      }
  }
  free (tmp);
  skc_stencil_folder_clear (&folder);
  plan->span_x = sx1 - sx0;
  plan->span_y = sy1 - sy0;
  plan->halo = -sx0;
  plan->halo = sx1 > plan->halo ? sx1 : plan->halo;
  plan->halo = -sy0 > plan->halo ? -sy0 : plan->halo;
  plan->halo = sy1 > plan->halo ? sy1 : plan->halo;

  pthread_once (&simd_once, simd_probe);
  plan->path = simd_best;
  plan->gather = gather_funcs[simd_best];
  *out = plan;
  return SKC_OK;
}

void
skc_plan_free (SkcPlan *plan)
{
  if (!plan)
    return;
  for (int b = 0; b < plan->n_branches; b++)
    skc_plan_free (plan->branch[b]);
  free (plan->storage);
  free (plan);
}

int
skc_plan_halo (const SkcPlan *plan)
{
  return plan ? plan->halo : 0;
}

int
skc_plan_entries (const SkcPlan *plan)
{
  int n = 0;

  if (!plan)
    return 0;
  for (int b = 0; b < plan->n_branches; b++)
    n += skc_plan_entries (plan->branch[b]);
  for (int l = 0; l < plan->n_layers; l++)
    n += plan->layers[l].n;
  return n;
}

SkcStatus
skc_plan_set_path (SkcPlan *plan, SkcSimdPath path)
{
  if (!plan || !skc_simd_path_available (path))
    return SKC_ERR_INVALID;
  for (int b = 0; b < plan->n_branches; b++)
    skc_plan_set_path (plan->branch[b], path);
  plan->path = path;
  plan->gather = gather_funcs[path];
  return SKC_OK;
}

SkcSimdPath
skc_plan_path (const SkcPlan *plan)
{
  return plan->path;
}

int
skc_plan_layer_entries (const SkcPlan *plan, int layer)
{
  if (!plan || layer < 0 || layer >= plan->n_layers)
    return 0;
  return plan->layers[layer].n;
}

/* ---------------------------------------------------------------- options */

void
skc_apply_options_init (SkcApplyOptions *options)
{
  if (!options)
    return;
  memset (options, 0, sizeof *options);
  options->struct_size = sizeof *options;
  options->n_threads = 0;
  options->tile_size = 0;
}

/* ---------------------------------------------------------------- rects */

/* Every pixel p + d for p in @r and d in the stencil's box. */
static SkcRect
rect_grow (SkcRect r, const SkcStencil *st)
{
  return (SkcRect) { r.x + st->x0, r.y + st->y0,
                     r.width + st->x1 - st->x0, r.height + st->y1 - st->y0 };
}

/* ---------------------------------------------------------------- job */

typedef struct
{
  const SkcPlan   *plan;
  SkcInView        src;
  SkcRect          bounds;
  SkcOutView       dst;             /* its rect: the roi                */
  int              tile;
  int              n_tiles;
  ptrdiff_t        stride;          /* scratch row stride, floats       */
  const ptrdiff_t *off_in;          /* layer 0 read from @in            */
  const ptrdiff_t *off[SKC_MAX_LAYERS];  /* layers read from scratch    */
} Job;

typedef struct
{
  float *buf[2];     /* a tile's intermediates, ping-pong */
} Worker;

/* Fill the part of @g outside @r (inside @g, the part computed) with
 * clamped copies of @r's edge pixels.  @buf holds @g with row @stride. */
static void
fill_clamped (float *buf, ptrdiff_t stride, SkcRect g, SkcRect r)
{
  int    left = r.x - g.x, right = g.x + g.width - r.x - r.width;
  int    top = r.y - g.y, bottom = g.y + g.height - r.y - r.height;
  size_t row_bytes = 4 * (size_t) g.width * sizeof (float);

  if (left > 0 || right > 0)
    for (int y = top; y < top + r.height; y++)
      {
        float       *row = buf + y * stride;
        const float *first = row + 4 * left;
        const float *last = row + 4 * (left + r.width - 1);

        for (int x = 0; x < left; x++)
          memcpy (row + 4 * x, first, 4 * sizeof (float));
        for (int x = 0; x < right; x++)
          memcpy (row + 4 * (left + r.width + x), last, 4 * sizeof (float));
      }
  for (int y = 0; y < top; y++)
    memcpy (buf + y * stride, buf + top * stride, row_bytes);
  for (int y = 0; y < bottom; y++)
    memcpy (buf + (top + r.height + y) * stride,
            buf + (top + r.height - 1) * stride, row_bytes);
}

static void
render_tile (const Job *job, float *const buf[2], SkcRect tile)
{
  const SkcPlan   *plan = job->plan;
  const int        L = plan->n_layers;
  const ptrdiff_t  S = job->stride;
  SkcRect          r[SKC_MAX_LAYERS], g[SKC_MAX_LAYERS];
  const float     *src;
  ptrdiff_t        src_stride;
  const ptrdiff_t *off;

  /* Output region r[l] of every layer (inside the bounds) and the region
   * g[l] it reads (p + d, not clipped: outside the bounds are pads). */
  r[L - 1] = tile;
  for (int l = L - 1; l >= 0; l--)
    {
      g[l] = rect_grow (r[l], &plan->layers[l]);
      if (l > 0)
        r[l - 1] = skc_rect_intersect (g[l], job->bounds);
    }

  if (skc_rect_contains (job->bounds, g[0]))
    {
      src = skc_in_view_at (job->src, g[0].x, g[0].y);
      src_stride = job->src.stride;
      off = job->off_in;
    }
  else
    {
      SkcRect part = skc_rect_intersect (g[0], job->bounds);
      float  *dst = buf[0] + (part.y - g[0].y) * S + 4 * (part.x - g[0].x);

      for (int y = 0; y < part.height; y++)
        memcpy (dst + y * S, skc_in_view_at (job->src, part.x, part.y + y),
                4 * (size_t) part.width * sizeof (float));
      fill_clamped (buf[0], S, g[0], part);
      src = buf[0];
      src_stride = S;
      off = job->off[0];
    }

  for (int l = 0; l < L; l++)
    {
      const SkcStencil *st = &plan->layers[l];
      const float   *s = src + (r[l].y - g[l].y) * src_stride
                         + 4 * (ptrdiff_t) (r[l].x - g[l].x);

      if (l == L - 1)
        {
          float *d = skc_out_view_at (job->dst, tile.x, tile.y);

          plan->gather (s, src_stride, d, job->dst.stride,
                        r[l].width, r[l].height, st->w, off, st->n);
        }
      else
        {
          float *b = buf[(l + 1) & 1];
          float *d = b + (r[l].y - g[l + 1].y) * S
                     + 4 * (ptrdiff_t) (r[l].x - g[l + 1].x);

          plan->gather (s, src_stride, d, S, r[l].width, r[l].height,
                        st->w, off, st->n);
          fill_clamped (b, S, g[l + 1], r[l]);
          src = b;
          src_stride = S;
          off = job->off[l + 1];
        }
    }
}

/* skc_tiles_run's callback. */
static void
tile_func (const void *job, void *worker, SkcRect tile)
{
  render_tile (job, ((Worker *) worker)->buf, tile);
}

/* Tile side when the caller leaves it to us.  A tile recomputes the
 * overlap of its layers' regions with its neighbours', a fraction of at
 * most about 2 span / side, so the side grows with the stencils' span;
 * past a few hundred pixels the side hardly matters, below that the
 * overlap shows. */
static int
auto_tile (const SkcPlan *plan)
{
  int span = plan->span_x > plan->span_y ? plan->span_x : plan->span_y;
  int t = 128 + 4 * span;

  return t > 1024 ? 1024 : t;
}

static SkcStatus
check_args (const SkcPlan *plan, SkcInView in, SkcRect bounds,
            SkcOutView out, const SkcApplyOptions *options)
{
  if (!plan || (options && options->struct_size >= sizeof *options
                && options->tile_size < 0))
    return SKC_ERR_INVALID;
  return skc_apply_check_args (in, bounds, out, plan->halo, options);
}

/* A branched plan: its chains summed (skc_branches_sum). */
typedef struct
{
  const SkcPlan *plan;
  SkcInView      in;
  SkcRect        bounds, roi;
} Branches;

static SkcStatus
branch_func (void *data, int b, float *dst, int dst_stride,
             const SkcApplyOptions *options)
{
  const Branches *br = data;

  return skc_apply_rgba (br->plan->branch[b], br->in, br->bounds,
                         skc_out_view (dst, dst_stride, br->roi), options);
}

static SkcStatus
apply_branches (const SkcPlan *plan, SkcInView in, SkcRect bounds,
                SkcOutView out, const SkcApplyOptions *options)
{
  Branches br = { plan, in, bounds, out.rect };

  return skc_branches_sum (plan->n_branches, branch_func, &br, out.data,
                           out.stride, out.rect, options);
}

SkcStatus
skc_apply_rgba (const SkcPlan *plan, SkcInView src, SkcRect bounds,
                SkcOutView dst, const SkcApplyOptions *options)
{
  SkcRect         roi = dst.rect;
  SkcApplyOptions opt;
  Job             job;
  Worker          workers[SKC_MAX_THREADS];
  ptrdiff_t      *offs = NULL;
  float          *scratch = NULL;
  size_t          total_entries = 0, buf_floats, rows;
  int             n_threads, tw, th;
  SkcStatus       s;

  s = check_args (plan, src, bounds, dst, options);
  if (s != SKC_OK || skc_rect_empty (roi))
    return s;
  if (plan->n_branches > 0)
    return apply_branches (plan, src, bounds, dst, options);
  if (options)
    opt = *options;
  else
    skc_apply_options_init (&opt);

  memset (&job, 0, sizeof job);
  job.plan = plan;
  job.src = src;
  job.bounds = bounds;
  job.dst = dst;
  job.tile = opt.tile_size > 0 ? opt.tile_size : auto_tile (plan);
  job.tile = job.tile > MAX_TILE ? MAX_TILE : job.tile;
  /* keep the tile count an int (tile side 1 on a 65536^2 image) */
  while (((int64_t) roi.width + job.tile - 1) / job.tile
         * (((int64_t) roi.height + job.tile - 1) / job.tile) > (1 << 24))
    job.tile *= 2;
  job.n_tiles = ((roi.width + job.tile - 1) / job.tile)
                * ((roi.height + job.tile - 1) / job.tile);

  /* Scratch: every region a tile's layers touch fits in the tile grown by
   * all stencil boxes.  Rows are a whole odd number of cache lines, so
   * the rows a stencil reads at once do not fight over cache sets. */
  tw = roi.width < job.tile ? roi.width : job.tile;
  th = roi.height < job.tile ? roi.height : job.tile;
  job.stride = ((4 * (ptrdiff_t) (tw + plan->span_x) + 15) / 16) * 16;
  if ((job.stride / 16) % 2 == 0)
    job.stride += 16;
  rows = (size_t) th + (size_t) plan->span_y;
  if ((size_t) job.stride > SIZE_MAX / sizeof (float) / rows / 2)
    return SKC_ERR_NOMEM;
  buf_floats = (size_t) job.stride * rows;

  n_threads = skc_thread_count (opt.n_threads);
  n_threads = n_threads > job.n_tiles ? job.n_tiles : n_threads;
  while (n_threads > 1
         && buf_floats * 2 * sizeof (float)
            > SCRATCH_BUDGET / (size_t) n_threads)
    n_threads--;
  if (buf_floats > SIZE_MAX / sizeof (float) / 2 / (size_t) n_threads)
    return SKC_ERR_NOMEM;

  /* Entry offsets in floats: for the scratch stride (every layer) and for
   * the caller's stride (layer 0 read in place). */
  for (int l = 0; l < plan->n_layers; l++)
    total_entries += (size_t) plan->layers[l].n;
  total_entries += (size_t) plan->layers[0].n;
  offs = malloc (total_entries * sizeof *offs);
  if (posix_memalign ((void **) &scratch, 64,
                      buf_floats * 2 * (size_t) n_threads * sizeof (float))
      != 0)
    scratch = NULL;
  if (!offs || !scratch)
    {
      free (offs);
      free (scratch);
      return SKC_ERR_NOMEM;
    }
  {
    ptrdiff_t *o = offs;

    for (int l = 0; l < plan->n_layers; l++)
      {
        const SkcStencil *st = &plan->layers[l];

        job.off[l] = o;
        for (int e = 0; e < st->n; e++)
          *o++ = st->dy[e] * job.stride + 4 * (ptrdiff_t) st->dx[e];
      }
    job.off_in = o;
    for (int e = 0; e < plan->layers[0].n; e++)
      *o++ = plan->layers[0].dy[e] * job.src.stride
             + 4 * (ptrdiff_t) plan->layers[0].dx[e];
  }

  for (int i = 0; i < n_threads; i++)
    {
      workers[i].buf[0] = scratch + (2 * (size_t) i) * buf_floats;
      workers[i].buf[1] = scratch + (2 * (size_t) i + 1) * buf_floats;
    }
  s = skc_tiles_run (roi, job.tile, tile_func, &job, workers, sizeof *workers,
                     n_threads, opt.progress, opt.progress_data);
  free (offs);
  free (scratch);
  return s;
}
