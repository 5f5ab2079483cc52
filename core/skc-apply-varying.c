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
 * The quantisation (skc-varying-keys.c), the stencils (skc-varying-fold.c),
 * the runs (skc-varying-runs.c) and the lone pixels (skc-varying-lone.c)
 * are described in their files; skc-varying-internal.h lists them all.
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
 * Speed: a depth map costs a small multiple of the uniform blur at its
 * largest size, not the per-pixel exact path's order of magnitude more;
 * the stencils are no larger than the uniform ones, the price is runs a
 * few dozen pixels long and the keys and borders around them.  A coarser
 * quantisation step would be faster but visibly less exact on gentle
 * depth maps (tests/test-varying.c holds the accuracy; the times are in
 * tests/bench/results/bokeh.md and varying.md).
 *
 * Branches.  A family whose bases sum several chains (the LowRank
 * baseline, skc-family-baselines.c) is applied chain by chain through
 * the path above, each chain as a family of its own (views of the bases'
 * layers, nothing copied), and the outputs are added in branch order, as
 * the uniform engine does for branched plans.  The unbranched path does
 * not change.
 */
#define _POSIX_C_SOURCE 200809L
#include "skc-varying-internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- tiles */

/* One call's work: square tiles of the output, taken by the threads in
 * turn; each thread runs every pass of its tile in its own buffers. */
typedef struct Job
{
  Call             call;         /* what every pass reads               */
  SkcRect          bounds;
  const Layer     *layers;
  int              n_layers;
  int              rem[SKC_MAX_LAYERS];
  SkcInView        src;
  SkcOutView       dst;          /* its rect: the roi                   */
  ptrdiff_t        buf_stride;   /* floats, every intermediate           */
  int              tile, n_tiles;
} Job;

/* Every pass of output tile @tile: pass l computes the tile grown by
 * rem[l] (clipped to bounds) into a buffer, reading the one before; the
 * last writes the output. */
static void
tile_run (const struct Job *job, Worker *wk, SkcRect tile)
{
  Src src = skc_vary_src_of (job->src.data, job->src.stride, job->src.rect,
                             job->bounds);

  for (int l = 0; l < job->n_layers; l++)
    {
      Pass p;

      p.call = &job->call;
      p.layer = &job->layers[l];
      p.index = l;
      p.src = src;
      if (l == job->n_layers - 1)
        {
          p.dst.data = job->dst.data;
          p.dst.stride = job->dst.stride;
          p.dst.x = job->dst.rect.x;
          p.dst.y = job->dst.rect.y;
          p.dst.r = tile;
        }
      else
        {
          p.dst.r = skc_vary_grow_clip (tile, job->rem[l], job->bounds);
          p.dst.data = wk->buf[l & 1];
          p.dst.stride = job->buf_stride;
          p.dst.x = p.dst.r.x;
          p.dst.y = p.dst.r.y;
        }
      for (int y = p.dst.r.y; y < p.dst.r.y + p.dst.r.height; y++)
        skc_vary_pass_row (&p, wk, y, p.dst.r.x, p.dst.r.x + p.dst.r.width);
      src = skc_vary_src_of (p.dst.data, p.dst.stride, p.dst.r, job->bounds);
    }
}

/* skc_tiles_run's callback. */
static void
tile_func (const void *job, void *worker, SkcRect tile)
{
  tile_run (job, worker, tile);
}

/* ---------------------------------------------------------------- entry */

SkcStatus
skc_apply_varying_rgba (const SkcFamily *family, const float *field,
                        SkcInView in, SkcRect bounds, SkcOutView out,
                        const SkcApplyOptions *options)
{
  return skc_apply_varying_rgba_tuned (family, field, in, bounds, out,
                                       options, NULL);
}

SkcStatus
skc_apply_varying_rgba_tuned (const SkcFamily *family, const float *field,
                              SkcInView src, SkcRect bounds, SkcOutView dst,
                              const SkcApplyOptions *options,
                              const SkcVaryingTuning *tuning)
{
  const float *in = src.data;
  float       *out = dst.data;
  int          in_stride = src.stride, out_stride = dst.stride;
  SkcRect      in_rect = src.rect, roi = dst.rect;
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

  if (skc_vary_family_branched (family))
    return skc_vary_apply_branched (family, field, src, bounds, dst, options,
                                    tuning);
  if (!skc_vary_family_ok (family) || !field || !in || !out
      || !skc_vary_rect_ok (in_rect) || !skc_vary_rect_ok (bounds)
      || !skc_vary_rect_ok (roi)
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
  if (!skc_vary_rect_contains (bounds, roi))
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
  n_threads = skc_thread_count (options ? options->n_threads : 0);
  if (!skc_vary_field_scan (field, in_rect, n_threads, &s_max, &any_angle))
    return SKC_ERR_INVALID;
  if (!skc_vary_rect_contains (in_rect,
                               skc_vary_grow_clip (roi,
                                                   skc_family_halo (family,
                                                                    s_max),
                                                   bounds)))
    return SKC_ERR_INVALID;

  n_layers = family->bases[0]->n_layers;
  memset (layers, 0, sizeof layers);

  /* Rotations of the lone pixels once per pixel, not once per pixel and
   * pass (none without lone pixels). */
  if (any_angle && !(tuning && tuning->lone_rate == INFINITY))
    {
      Scan sc[SKC_MAX_THREADS];
      int  nt = n_threads < in_rect.height / 64 + 1 ? n_threads
                                                     : in_rect.height / 64 + 1;

      rot = malloc (2 * (size_t) in_rect.width * in_rect.height * sizeof *rot);
      if (!rot)
        {
          st = SKC_ERR_NOMEM;
          goto done;
        }
      skc_vary_field_rows (field, rot, in_rect, nt, sc);
    }

  st = skc_vary_layers_new (family, layers);
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
  st = skc_vary_workers_new (workers, n_threads, layers, n_layers,
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

  job.call = (Call) {
    .family = family, .field = field, .rot = rot, .field_rect = in_rect,
    .bx0 = bounds.x, .bx1 = bounds.x + bounds.width - 1, .gather = gather,
    .max_run = tuning ? tuning->max_run : 0,
    .no_cache = tuning ? tuning->no_cache : 0,
    .lone_rate = tuning && tuning->lone_rate != 0.0f ? tuning->lone_rate
                                                     : RUN_RATE };
  job.bounds = bounds;
  job.layers = layers;
  job.n_layers = n_layers;
  memcpy (job.rem, rem, sizeof rem);
  job.src = src;
  job.dst = dst;
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
    skc_vary_workers_free (workers, n_threads);
  free (workers);
  skc_vary_layers_free (layers, SKC_MAX_LAYERS);
  free (scratch);
  free (rot);
  return st;
}
