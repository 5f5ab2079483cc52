/* The exact path: a dense kernel applied to RGBA tiles exactly, alone (the
 * fallback for kernels a complex cannot follow within the error target)
 * or to the highlight part of an image beside a complex (the split apply).
 *
 * Split.  The blur is linear, so an image I = L + H blurs as
 * K * I = K * L + K * H.  With a level t, H is the part of each colour
 * value above t, H = max (I - t, 0), and L = min (I, t) (alpha stays in
 * L).  L goes through the complex, whose error on an image is bounded by
 * the image's amplitude: it never holds more than t.  H, the point lights
 * and boosted highlights where a complex's grain and soft edges show,
 * goes through the exact kernel.  H is sparse in ordinary photos: a tile
 * with no H pixel within the kernel's reach costs nothing extra, and an
 * image with none at all costs one scan on top of the complex.
 *
 * Exact tiles.  The roi is cut into tiles (the smallest of a few sides
 * that holds it, 64 px up to 4 kernel widths, at least 512); for a tile T
 * the exact part reads T grown by the kernel's half-sizes, clamped at the
 * bounds (GEGL's CLAMP abyss, as skc_convolve_dense and the complex).  A
 * tile holding few H pixels scatters the kernel from each of them (cost
 * n x kernel area); otherwise each non-zero channel goes through one FFT
 * of the padded tile (size fast for FFTW, the kernel's spectrum computed
 * once in skc_exact_new) and back, as skc_convolve_fft does for a whole
 * plane.  The choice is made per tile from the two costs.
 *
 * Determinism.  A scattered tile adds the H pixels in raster order, so
 * each output is the same float sum whatever the tiling; an FFT tile
 * rounds differently for different tilings (about 1e-7 of the tile's
 * largest value).  Results do not depend on the thread count.
 *
 * FFTW plans are made once per SkcExact (under the library's planner
 * lock) and executed on per-thread arrays with the new-array functions,
 * which FFTW allows from any thread.
 */
#include "skc.h"
#include "skc-private.h"
#include "skc-apply-private.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>


/* FFT tiles of one side: a request for a small roi (GEGL hands out
 * parts of the image) uses the smallest tile that holds it, so that it
 * does not transform a big mostly empty plane. */
#define MAX_LEVELS 6

typedef struct
{
  int            tile;         /* output tile side                       */
  int            nx, ny, ncx;  /* FFT size                               */
  fftwf_complex *spectrum;     /* the kernel's, times 1 / (nx ny)        */
  fftwf_plan     fwd, inv;
  double         fft_cost;     /* one channel of one tile, in scatter
                                * multiply-adds                          */
} FftLevel;

struct SkcExact
{
  int            kw, kh, rx, ry;
  float         *k;            /* the kernel, kw x kh                    */
  int           *col0, *col1;  /* per kernel row: nonzero columns [0, 1) */
  int            n_levels;
  FftLevel       level[MAX_LEVELS];  /* tile sides halving from level 0 */
  double         area;         /* kernel nonzeros                        */
  double         sum;          /* kernel sum                             */
  int            force;        /* 0 by cost, 1 scatter, 2 FFT (tests)    */
};

/* Scatter entries an FFT channel is worth, per n log2 n.  The scatter
 * (sequential multiply-adds) runs faster per operation than the FFT, so
 * the plain count of one multiply-add per entry against 1.5 n log2 n per
 * FFT channel picks the FFT too early; the factor was set on boosted
 * star fields with skc-bench highlights (tests/bench/results/
 * highlights.md). */
#define FFT_COST_FACTOR 4.0

void
skc_exact_free (SkcExact *exact)
{
  if (!exact)
    return;
  pthread_mutex_lock (&skc_fftw_planner_lock);
  for (int l = 0; l < exact->n_levels; l++)
    {
      if (exact->level[l].fwd)
        fftwf_destroy_plan (exact->level[l].fwd);
      if (exact->level[l].inv)
        fftwf_destroy_plan (exact->level[l].inv);
    }
  pthread_mutex_unlock (&skc_fftw_planner_lock);
  for (int l = 0; l < exact->n_levels; l++)
    fftwf_free (exact->level[l].spectrum);
  free (exact->k);
  free (exact->col0);
  free (exact->col1);
  free (exact);
}

void
skc_exact_force_path (SkcExact *exact, int path)
{
  if (exact)
    exact->force = path >= 0 && path <= 2 ? path : 0;
}

int
skc_exact_halo (const SkcExact *exact)
{
  if (!exact)
    return 0;
  return exact->rx > exact->ry ? exact->rx : exact->ry;
}

/* FFT plans and the kernel's spectrum for output tiles of side @tile. */
static SkcStatus
level_new (const SkcExact *e, FftLevel *lv, int tile)
{
  float *plane;
  float  scale;

  lv->tile = tile;
  lv->nx = skc_fft_fast_size (tile + 2 * e->rx);
  lv->ny = skc_fft_fast_size (tile + 2 * e->ry);
  lv->ncx = lv->nx / 2 + 1;
  lv->fft_cost = FFT_COST_FACTOR * (double) lv->nx * lv->ny
                 * log2 ((double) lv->nx * lv->ny);
  plane = fftwf_malloc ((size_t) lv->nx * lv->ny * sizeof *plane);
  lv->spectrum = fftwf_malloc ((size_t) lv->ncx * lv->ny
                               * sizeof *lv->spectrum);
  if (!plane || !lv->spectrum)
    {
      fftwf_free (plane);
      return SKC_ERR_NOMEM;
    }
  pthread_mutex_lock (&skc_fftw_planner_lock);
  lv->fwd = fftwf_plan_dft_r2c_2d (lv->ny, lv->nx, plane, lv->spectrum,
                                   FFTW_ESTIMATE);
  lv->inv = fftwf_plan_dft_c2r_2d (lv->ny, lv->nx, lv->spectrum, plane,
                                   FFTW_ESTIMATE);
  pthread_mutex_unlock (&skc_fftw_planner_lock);
  if (!lv->fwd || !lv->inv)
    {
      fftwf_free (plane);
      return SKC_ERR_NOMEM;
    }
  /* The kernel with its centre at the origin, negative offsets wrapped. */
  memset (plane, 0, (size_t) lv->nx * lv->ny * sizeof *plane);
  for (int j = 0; j < e->kh; j++)
    for (int i = 0; i < e->kw; i++)
      {
        int ux = i - e->rx, uy = j - e->ry;

        plane[(size_t) (uy < 0 ? uy + lv->ny : uy) * lv->nx
              + (ux < 0 ? ux + lv->nx : ux)] = e->k[(size_t) j * e->kw + i];
      }
  fftwf_execute_dft_r2c (lv->fwd, plane, lv->spectrum);
  scale = (float) (1.0 / ((double) lv->nx * lv->ny));
  for (size_t i = 0; i < (size_t) lv->ncx * lv->ny; i++)
    {
      lv->spectrum[i][0] *= scale;
      lv->spectrum[i][1] *= scale;
    }
  fftwf_free (plane);
  return SKC_OK;
}

SkcStatus
skc_exact_new (const SkcKernel *kernel, SkcExact **out)
{
  SkcExact *e;
  SkcStatus st = SKC_ERR_NOMEM;
  int       r;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!kernel || !kernel->data || kernel->width < 1 || kernel->height < 1
      || kernel->width > SKC_MAX_KERNEL_SIZE
      || kernel->height > SKC_MAX_KERNEL_SIZE
      || kernel->width % 2 == 0 || kernel->height % 2 == 0)
    return SKC_ERR_INVALID;
  for (size_t i = 0; i < (size_t) kernel->width * kernel->height; i++)
    if (!isfinite (kernel->data[i]))
      return SKC_ERR_INVALID;

  e = calloc (1, sizeof *e);
  if (!e)
    return SKC_ERR_NOMEM;
  e->kw = kernel->width;
  e->kh = kernel->height;
  e->rx = e->kw / 2;
  e->ry = e->kh / 2;
  e->k = malloc ((size_t) e->kw * e->kh * sizeof *e->k);
  e->col0 = malloc ((size_t) e->kh * sizeof *e->col0);
  e->col1 = malloc ((size_t) e->kh * sizeof *e->col1);
  if (!e->k || !e->col0 || !e->col1)
    goto fail;
  memcpy (e->k, kernel->data, (size_t) e->kw * e->kh * sizeof *e->k);
  for (int j = 0; j < e->kh; j++)
    {
      const float *row = e->k + (size_t) j * e->kw;
      int          a = 0, b = e->kw;

      while (a < b && row[a] == 0.0f)
        a++;
      while (b > a && row[b - 1] == 0.0f)
        b--;
      e->col0[j] = a;
      e->col1[j] = b;
      for (int i = a; i < b; i++)
        {
          e->area += row[i] != 0.0f;
          e->sum += row[i];
        }
    }

  /* Tiles four kernel widths wide, at least 512 px: the padding then
   * costs at most a third of the transform.  Smaller levels for small
   * requests, down to 64 px. */
  r = e->rx > e->ry ? e->rx : e->ry;
  {
    int tile = 8 * r;

    tile = tile < 512 ? 512 : tile > 1024 ? 1024 : tile;
    for (; e->n_levels < MAX_LEVELS && tile >= 64; tile /= 2)
      {
        st = level_new (e, &e->level[e->n_levels], tile);
        e->n_levels++;
        if (st != SKC_OK)
          goto fail;
      }
  }
  *out = e;
  return SKC_OK;

fail:
  skc_exact_free (e);
  return st;
}

/* ---------------------------------------------------------------- tiles */

typedef struct
{
  const SkcExact *exact;
  SkcInView       src;
  SkcRect         bounds;
  SkcOutView      dst;      /* its rect: the roi                        */
  int             all;      /* 1: the whole image, written; 0: H, added */
  float           level;
  const FftLevel *lv;       /* the tiles' FFT size                      */
} Job;

typedef struct
{
  float         *plane;
  fftwf_complex *spec;
} Worker;

/* The part of the colour (or any, for the whole image) value @v of
 * channel @c the exact path takes. */
static inline float
part_of (const Job *job, float v, int c)
{
  if (job->all)
    return v;
  return c < 3 && v > job->level ? v - job->level : 0.0f;
}

/* Pixel (x, y), clamped into the bounds. */
static inline const float *
pixel_at (const Job *job, int x, int y)
{
  x = skc_clampi (x, job->bounds.x, job->bounds.x + job->bounds.width - 1);
  y = skc_clampi (y, job->bounds.y, job->bounds.y + job->bounds.height - 1);
  return skc_in_view_at (job->src, x, y);
}

/* The exact part of pixel (x, y) in @h; whether any of it is non-zero. */
static inline int
part_at (const Job *job, int x, int y, float h[4])
{
  const float *p = pixel_at (job, x, y);
  int          any = 0;

  for (int c = 0; c < 4; c++)
    {
      h[c] = part_of (job, p[c], c);
      any |= h[c] != 0.0f;
    }
  return any;
}

/* out(q + u) += K(u) h(q) for every H pixel q of @g, in raster order,
 * for the channels @chan marks. */
static void
scatter_tile_channels (const Job *job, SkcRect tile, SkcRect g,
                       const int chan[4])
{
  const SkcExact *e = job->exact;

  for (int y = g.y; y < g.y + g.height; y++)
    for (int x = g.x; x < g.x + g.width; x++)
      {
        float h[4];
        int   j0, j1;

        if (!part_at (job, x, y, h))
          continue;
        for (int c = 0; c < 4; c++)
          h[c] = chan[c] ? h[c] : 0.0f;
        /* output row y + j - ry inside the tile */
        j0 = tile.y - y + e->ry;
        j1 = tile.y + tile.height - y + e->ry;
        j0 = j0 < 0 ? 0 : j0;
        j1 = j1 > e->kh ? e->kh : j1;
        for (int j = j0; j < j1; j++)
          {
            const float *krow = e->k + (size_t) j * e->kw;
            int          i0 = tile.x - x + e->rx;
            int          i1 = tile.x + tile.width - x + e->rx;
            float       *o;

            i0 = i0 < e->col0[j] ? e->col0[j] : i0;
            i1 = i1 > e->col1[j] ? e->col1[j] : i1;
            o = skc_out_view_at (job->dst, x - e->rx, y + j - e->ry);
            for (int i = i0; i < i1; i++)
              for (int c = 0; c < 4; c++)
                o[4 * i + c] += krow[i] * h[c];
          }
      }
}

/* Channel @c of the tile through the FFT, added into the output. */
static void
fft_tile_channel (const Job *job, Worker *w, SkcRect tile, SkcRect g, int c)
{
  const SkcExact *e = job->exact;
  const FftLevel *lv = job->lv;

  for (int py = 0; py < lv->ny; py++)
    {
      float *row = w->plane + (size_t) py * lv->nx;

      if (py >= g.height)
        {
          memset (row, 0, (size_t) lv->nx * sizeof *row);
          continue;
        }
      {
        const float *src = pixel_at (job, g.x, g.y + py) + c;
        int          x0 = job->bounds.x - g.x;          /* first inside */
        int          x1 = job->bounds.x + job->bounds.width - g.x;
        int          px = 0;

        x0 = x0 < 0 ? 0 : x0;
        x1 = x1 > g.width ? g.width : x1;
        for (; px < x0; px++)
          row[px] = part_of (job, src[0], c);
        for (; px < x1; px++)
          row[px] = part_of (job, src[4 * (px - x0)], c);
        for (; px < g.width; px++)
          row[px] = row[x1 - 1];
      }
      memset (row + g.width, 0, (size_t) (lv->nx - g.width) * sizeof *row);
    }
  fftwf_execute_dft_r2c (lv->fwd, w->plane, w->spec);
  for (size_t k = 0; k < (size_t) lv->ncx * lv->ny; k++)
    {
      float a = w->spec[k][0], b = w->spec[k][1];
      float kr = lv->spectrum[k][0], ki = lv->spectrum[k][1];

      w->spec[k][0] = a * kr - b * ki;
      w->spec[k][1] = a * ki + b * kr;
    }
  fftwf_execute_dft_c2r (lv->inv, w->spec, w->plane);
  /* out(x, y) = (P * K)(x - g.x + rx, y - g.y + ry) */
  for (int y = 0; y < tile.height; y++)
    {
      const float *s = w->plane + (size_t) (y + e->ry) * lv->nx + e->rx;
      float       *o = skc_out_view_at (job->dst, tile.x, tile.y + y) + c;

      for (int x = 0; x < tile.width; x++)
        o[4 * x] += s[x];
    }
}

static void
exact_tile (const void *jobp, void *workerp, SkcRect tile)
{
  const Job      *job = jobp;
  const SkcExact *e = job->exact;
  SkcRect         g = { tile.x - e->rx, tile.y - e->ry,
                        tile.width + 2 * e->rx, tile.height + 2 * e->ry };
  double          n = 0;
  int             chan[4] = { 0, 0, 0, 0 }, n_chan = 0;

  float           flat[4];     /* a channel's value when it is constant */
  int             is_flat[4] = { 0, 0, 0, 0 };

  if (job->all)
    for (int y = 0; y < tile.height; y++)
      memset (skc_out_view_at (job->dst, tile.x, tile.y + y), 0,
              4 * (size_t) tile.width * sizeof (float));
  /* Pixels outside the bounds are copies of pixels of g inside them: the
   * count inside tells whether there is anything to do (the cost model
   * ignores the copies). */
  {
    int x0 = g.x > job->bounds.x ? g.x : job->bounds.x;
    int y0 = g.y > job->bounds.y ? g.y : job->bounds.y;
    int x1 = g.x + g.width < job->bounds.x + job->bounds.width
             ? g.x + g.width : job->bounds.x + job->bounds.width;
    int y1 = g.y + g.height < job->bounds.y + job->bounds.height
             ? g.y + g.height : job->bounds.y + job->bounds.height;

    /* A channel constant over g (alpha of an opaque image) blurs to its
     * value times the kernel's sum: no transform for it. */
    if (job->all)
      {
        const float *p0 = pixel_at (job, x0, y0);

        for (int c = 0; c < 4; c++)
          {
            flat[c] = p0[c];
            is_flat[c] = 1;
          }
        for (int y = y0; y < y1; y++)
          {
            const float *p = pixel_at (job, x0, y);

            for (int i = 0; i < 4 * (x1 - x0); i++)
              is_flat[i & 3] &= p[i] == flat[i & 3];
          }
      }
    for (int y = y0; y < y1; y++)
      {
        const float *p = pixel_at (job, x0, y);
        int          any = 0, m = 0;

        for (int i = 0; i < 4 * (x1 - x0); i++)
          any |= (part_of (job, p[i], i & 3) != 0.0f) << (i & 3);
        if (!any)
          continue;
        for (int x = 0; x < x1 - x0; x++)
          m += part_of (job, p[4 * x], 0) != 0.0f
               || part_of (job, p[4 * x + 1], 1) != 0.0f
               || part_of (job, p[4 * x + 2], 2) != 0.0f
               || part_of (job, p[4 * x + 3], 3) != 0.0f;
        n += m;
        for (int c = 0; c < 4; c++)
          chan[c] |= (any >> c) & 1;
      }
  }
  for (int c = 0; c < 4; c++)
    if (is_flat[c] && chan[c])
      {
        float v = (float) (flat[c] * e->sum);

        chan[c] = 0;
        for (int y = 0; y < tile.height; y++)
          {
            float *o = skc_out_view_at (job->dst, tile.x, tile.y + y) + c;

            for (int x = 0; x < tile.width; x++)
              o[4 * x] += v;
          }
      }
  for (int c = 0; c < 4; c++)
    n_chan += chan[c];
  if (n == 0 || n_chan == 0)
    return;
  if (e->force == 1 || (e->force == 0 && n * e->area < n_chan * job->lv->fft_cost))
    scatter_tile_channels (job, tile, g, chan);
  else
    for (int c = 0; c < 4; c++)
      if (chan[c])
        fft_tile_channel (job, workerp, tile, g, c);
}

/* Run the exact tiles of @job over its roi. */
static SkcStatus
run_exact (Job *job, const SkcApplyOptions *options, SkcProgressFunc progress,
           void *progress_data)
{
  const SkcExact *e = job->exact;
  const FftLevel *lv = &e->level[0];
  Worker          workers[SKC_MAX_THREADS];
  int             n_threads = skc_thread_count (options ? options->n_threads : 0);
  int             side = job->dst.rect.width > job->dst.rect.height ? job->dst.rect.width
                                                          : job->dst.rect.height;
  int             n_tiles;
  SkcStatus       st = SKC_ERR_NOMEM;
  int             made = 0;

  /* the smallest tile holding the roi, else the largest */
  for (int l = 1; l < e->n_levels && e->level[l].tile >= side; l++)
    lv = &e->level[l];
  job->lv = lv;
  n_tiles = ((job->dst.rect.width + lv->tile - 1) / lv->tile)
            * ((job->dst.rect.height + lv->tile - 1) / lv->tile);

  n_threads = n_threads > n_tiles ? n_tiles : n_threads;
  n_threads = n_threads < 1 ? 1 : n_threads;
  for (; made < n_threads; made++)
    {
      workers[made].plane = fftwf_malloc ((size_t) lv->nx * lv->ny
                                          * sizeof (float));
      workers[made].spec = fftwf_malloc ((size_t) lv->ncx * lv->ny
                                         * sizeof (fftwf_complex));
      if (!workers[made].plane || !workers[made].spec)
        {
          fftwf_free (workers[made].plane);
          fftwf_free (workers[made].spec);
          break;
        }
    }
  if (made == n_threads)
    st = skc_tiles_run (job->dst.rect, lv->tile, exact_tile, job, workers,
                        sizeof *workers, n_threads, progress, progress_data);
  for (int i = 0; i < made; i++)
    {
      fftwf_free (workers[i].plane);
      fftwf_free (workers[i].spec);
    }
  return st;
}

SkcStatus
skc_exact_apply_rgba (const SkcExact *exact, SkcInView src, SkcRect bounds,
                      SkcOutView dst, const SkcApplyOptions *options)
{
  Job       job;
  SkcStatus st;

  if (!exact)
    return SKC_ERR_INVALID;
  st = skc_apply_check_args (src, bounds, dst, skc_exact_halo (exact),
                             options);
  if (st != SKC_OK || skc_rect_empty (dst.rect))
    return st;
  job = (Job) { exact, src, bounds, dst, 1, 0.0f, NULL };
  return run_exact (&job, options, options ? options->progress : NULL,
                    options ? options->progress_data : NULL);
}

/* ---------------------------------------------------------------- split */

/* Whether any colour value of the rows of @r in @in exceeds @level. */
static int
any_above (SkcInView in, SkcRect r, float level)
{
  for (int y = 0; y < r.height; y++)
    {
      const float *p = skc_in_view_at (in, r.x, r.y + y);
      int          any = 0;

      /* all four channels, alpha masked after: a loop compilers vectorise */
      for (int i = 0; i < 4 * r.width; i++)
        any |= (p[i] > level) << (i & 3);
      if (any & 7)
        return 1;
    }
  return 0;
}

SkcStatus
skc_apply_split_rgba (const SkcPlan *plan, const SkcExact *exact, float level,
                      SkcInView src, SkcRect bounds, SkcOutView dst,
                      const SkcApplyOptions *options)
{
  SkcRect         in_rect = src.rect, roi = dst.rect;
  SkcApplyOptions opt;
  SkcProgressPart part;
  SkcRect         used;
  float          *low;
  Job             job;
  int             halo;
  SkcStatus       st;

  if (!plan || !exact || !isfinite (level) || level < 0.0f)
    return SKC_ERR_INVALID;
  halo = skc_plan_halo (plan) > skc_exact_halo (exact)
         ? skc_plan_halo (plan) : skc_exact_halo (exact);
  st = skc_apply_check_args (src, bounds, dst, halo, options);
  if (st != SKC_OK || roi.width == 0 || roi.height == 0)
    return st;
  if (options)
    opt = *options;
  else
    skc_apply_options_init (&opt);

  /* The input the exact part can reach: roi grown, inside the bounds. */
  used.x = roi.x - halo > bounds.x ? roi.x - halo : bounds.x;
  used.y = roi.y - halo > bounds.y ? roi.y - halo : bounds.y;
  used.width = (roi.x + roi.width + halo < bounds.x + bounds.width
                ? roi.x + roi.width + halo : bounds.x + bounds.width) - used.x;
  used.height = (roi.y + roi.height + halo < bounds.y + bounds.height
                 ? roi.y + roi.height + halo : bounds.y + bounds.height)
                - used.y;
  if (!any_above (src, used, level))
    return skc_apply_rgba (plan, src, bounds, dst, &opt);

  /* L = min (I, level) through the complex, over in_rect ... */
  if ((size_t) in_rect.width * in_rect.height > SIZE_MAX / 16)
    return SKC_ERR_NOMEM;
  low = malloc ((size_t) in_rect.width * in_rect.height * 4 * sizeof *low);
  if (!low)
    return SKC_ERR_NOMEM;
  for (int y = 0; y < in_rect.height; y++)
    {
      const float *p = src.data + (ptrdiff_t) y * src.stride;
      float       *d = low + (size_t) y * 4 * in_rect.width;

      for (int i = 0; i < 4 * in_rect.width; i++)
        d[i] = (i & 3) != 3 && p[i] > level ? level : p[i];
    }
  part = (SkcProgressPart) { opt.progress, opt.progress_data, 0, 2 };
  opt.progress = options && options->progress ? skc_progress_part_report
                                              : NULL;
  opt.progress_data = &part;
  st = skc_apply_rgba (plan, skc_in_view (low, 4 * in_rect.width, in_rect),
                       bounds, dst, &opt);
  free (low);
  if (st != SKC_OK)
    return st;

  /* ... and H = I - L through the kernel, added. */
  part.part = 1;
  job = (Job) { exact, src, bounds, dst, 0, level, NULL };
  return run_exact (&job, &opt, opt.progress, opt.progress_data);
}
