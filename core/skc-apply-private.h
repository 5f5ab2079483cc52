/* Internals of the uniform fast apply engine (skc-apply*.c), shared with the
 * unit tests.  Not installed, not part of the API.
 *
 * A gather kernel computes, for every pixel p of a width x height block of
 * interleaved RGBA floats,
 *
 *     dst(p) = w[0] * src(p + d[0]) + w[1] * src(p + d[1]) + ...
 *
 * where src + off[e] is the float address of src(p + d[e]) for p = (0, 0)
 * (off[e] = dy * src_stride + 4 * dx).  Every channel of every pixel is
 * accumulated in float in exactly this order, one multiply and one add per
 * entry, starting with w[0] * v[0]: the scalar, SSE2 and AVX2 kernels give
 * bit-identical results (no FMA, no reassociation).  The kernels do not
 * test bounds: the caller guarantees every address read is valid.
 */
#ifndef SKC_APPLY_PRIVATE_H
#define SKC_APPLY_PRIVATE_H

#include "skc.h"

#include <stddef.h>

typedef enum
{
  SKC_SIMD_SCALAR = 0,
  SKC_SIMD_SSE2,
  SKC_SIMD_AVX2,
  SKC_SIMD_COUNT
} SkcSimdPath;

/* A gather kernel (the contract above).  Every kernel is declared with
 * this type and defined with SKC_DEFINE_GATHER from its row function. */
typedef void SkcGather (const float *src, ptrdiff_t src_stride,
                        float *dst, ptrdiff_t dst_stride,
                        int width, int height,
                        const float *w, const ptrdiff_t *off, int n);
typedef SkcGather *SkcGatherFunc;

SkcGather skc_gather_rgba_scalar;
#if defined(__SSE2__)
SkcGather skc_gather_rgba_sse2;
#endif
#if defined(SKC_HAVE_AVX2)
SkcGather skc_gather_rgba_avx2;
#endif

#if defined(__GNUC__) || defined(__clang__)
#define SKC_ALWAYS_INLINE static inline __attribute__ ((always_inline))
#else
#define SKC_ALWAYS_INLINE static inline
#endif

/* Pixels of one row: @width of them from @s into @d (a row function), or
 * a fixed number of them (a chunk function). */
typedef void SkcGatherRow   (const float *s, float *d, int width,
                             const float *w, const ptrdiff_t *off, int n);
typedef void SkcGatherChunk (const float *s, float *d,
                             const float *w, const ptrdiff_t *off, int n);

/* Defines the gather kernel NAME, with the attributes ATTRS (a target, or
 * nothing), as ROW on every row of the block: the one row loop all the
 * kernels share. */
#define SKC_DEFINE_GATHER(ATTRS, NAME, ROW)                                  \
  ATTRS void                                                                 \
  NAME (const float *src, ptrdiff_t src_stride, float *dst,                  \
        ptrdiff_t dst_stride, int width, int height, const float *w,         \
        const ptrdiff_t *off, int n)                                         \
  {                                                                          \
    for (int y = 0; y < height; y++)                                         \
      ROW (src + y * src_stride, dst + y * dst_stride, width, w, off, n);    \
  }

/* A row in chunks of @chunk pixels through @chunk_fn, the last chunk
 * aligned to the row's end and overlapping the one before (the pixels
 * computed twice get the same bits twice), so there is no tail loop; a
 * row narrower than a chunk goes through @narrow.  Inlined with constant
 * functions, it costs nothing over writing the loop out. */
SKC_ALWAYS_INLINE void
skc_gather_row_chunks (const float *s, float *d, int width, int chunk,
                       SkcGatherChunk *chunk_fn, SkcGatherRow *narrow,
                       const float *w, const ptrdiff_t *off, int n)
{
  if (width < chunk)
    {
      narrow (s, d, width, w, off, n);
      return;
    }
  for (int x = 0; x < width; x += chunk)
    {
      int xx = x + chunk <= width ? x : width - chunk;

      chunk_fn (s + 4 * xx, d + 4 * xx, w, off, n);
    }
}

/* "scalar", "sse2", "avx2" (static string). */
const char *skc_simd_path_name (SkcSimdPath path);
/* Whether @path is compiled in, supported by this CPU and not turned off
 * by SKC_DISABLE_SIMD. */
int         skc_simd_path_available (SkcSimdPath path);
/* The path skc_plan_new picks: the best one available. */
SkcSimdPath skc_simd_best (void);
/* The gather kernel of @path, or NULL if @path is not available (the
 * spatially varying apply runs it on runs of pixels, skc-apply-varying.c). */
SkcGatherFunc skc_gather_func (SkcSimdPath path);

/* Tile @t of a grid of @tile-sided squares over @roi, @tiles_x a row, the
 * last row and column cut to the roi (both apply engines hand tiles out
 * this way). */
static inline SkcRect
skc_tile_rect (SkcRect roi, int tile, int tiles_x, int t)
{
  SkcRect r;

  r.x = roi.x + (t % tiles_x) * tile;
  r.y = roi.y + (t / tiles_x) * tile;
  r.width = roi.x + roi.width - r.x;
  r.height = roi.y + roi.height - r.y;
  r.width = r.width < tile ? r.width : tile;
  r.height = r.height < tile ? r.height : tile;
  return r;
}
/* Renders tile by tile: @func (@job, worker, tile) for every tile of a
 * grid of @tile-sided squares over @roi (skc_tile_rect), on @n_workers
 * workers, the caller being the first; worker i is @workers + i *
 * @worker_size (its scratch, so that no two tiles at once share one).
 * @progress, if not NULL, is called on the caller's thread only, with the
 * fraction of tiles done; non-zero stops the run (SKC_ERR_CANCELLED).
 * The output must depend only on the tile: which worker renders it does
 * not matter.  skc-tiles.c. */
typedef void (*SkcTileFunc) (const void *job, void *worker, SkcRect tile);

SkcStatus skc_tiles_run (SkcRect roi, int tile, SkcTileFunc func,
                         const void *job, void *workers, size_t worker_size,
                         int n_workers, SkcProgressFunc progress,
                         void *progress_data);

/* Sums chains: @func (@data, b, dst, dst_stride, options) renders chain b
 * of @n_branches over @roi, the first into @out, every further one into a
 * scratch block that is then added to @out, in branch order, pixel by
 * pixel (so the sum is the same bits however each chain is tiled).  The
 * options handed to @func carry @options' settings with its progress
 * mapped so that chain b reports in [b / n, (b + 1) / n].  skc-tiles.c. */
typedef SkcStatus (*SkcBranchFunc) (void *data, int branch, float *dst,
                                    int dst_stride,
                                    const SkcApplyOptions *options);

SkcStatus skc_branches_sum (int n_branches, SkcBranchFunc func, void *data,
                            float *out, int out_stride, SkcRect roi,
                            const SkcApplyOptions *options);

/* The address of pixel (@x, @y), inside the view's rect. */
static inline const float *
skc_in_view_at (SkcInView v, int x, int y)
{
  return v.data + (ptrdiff_t) (y - v.rect.y) * v.stride
         + 4 * (ptrdiff_t) (x - v.rect.x);
}

static inline float *
skc_out_view_at (SkcOutView v, int x, int y)
{
  return v.data + (ptrdiff_t) (y - v.rect.y) * v.stride
         + 4 * (ptrdiff_t) (x - v.rect.x);
}

/* Rectangles (skc-rect.c): coordinates within +-SKC_RECT_COORD_LIMIT,
 * sides within SKC_MAX_IMAGE_SIDE; an empty rectangle is inside any. */
#define SKC_RECT_COORD_LIMIT (1 << 28)

int     skc_rect_empty     (SkcRect r);
SkcRect skc_rect_intersect (SkcRect a, SkcRect b);
int     skc_rect_contains  (SkcRect outer, SkcRect inner);
int     skc_rect_valid     (SkcRect r);

/* The arguments of an RGBA apply (skc.h, skc_apply_rgba): pointers, valid
 * rectangles and strides, options, @out's rect (the roi) inside @bounds,
 * @in's holding roi grown by @halo within @bounds, @in and @out apart.  SKC_OK also for
 * an empty @roi (nothing to do). */
SkcStatus skc_apply_check_args (SkcInView in, SkcRect bounds,
                                SkcOutView out, int halo,
                                const SkcApplyOptions *options);

/* Make @plan use @path (tests and benchmarks; not thread safe with
 * respect to concurrent applies of the same plan).  SKC_ERR_INVALID if
 * the path is not available. */
SkcStatus   skc_plan_set_path (SkcPlan *plan, SkcSimdPath path);
SkcSimdPath skc_plan_path (const SkcPlan *plan);
/* Stencil entries of @layer after folding (for tests and reports). */
int         skc_plan_layer_entries (const SkcPlan *plan, int layer);

#endif
