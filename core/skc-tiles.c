/* How both apply engines (skc-apply.c for uniform complexes,
 * skc-apply-varying.c for families) split their work: into tiles run on
 * threads, and into summed chains (branches).
 *
 * The roi is cut into tile x tile squares (skc_tile_rect), handed out by
 * an atomic counter to n_workers workers (skc_parallel_run: the caller is
 * worker 0).  Which worker renders which tile changes from run to run,
 * but a tile's pixels depend only on the tile, so the output does not.
 * If a thread cannot be started, the workers that exist do its share.
 *
 * Progress is reported by the caller's thread only (GEGL, GIMP and GTK
 * callbacks are not thread safe): after each tile the caller finishes,
 * with the fraction of all tiles done by anyone; a non-zero return stops
 * every worker after its current tile.  Since the other workers may finish
 * the last tiles, the caller reports 1.0 at the end if it has not already.
 */
#include "skc.h"
#include "skc-apply-private.h"
#include "skc-private.h"

#include <stdatomic.h>
#include <stdlib.h>

typedef struct
{
  SkcRect          roi;
  int              tile, tiles_x, n_tiles;
  SkcTileFunc      func;
  const void      *job;
  SkcProgressFunc  progress;
  void            *progress_data;
  atomic_int       next, done, cancelled;
} Schedule;

typedef struct
{
  Schedule *s;
  void     *worker;
  int       is_caller;
  int       reported;   /* tiles done at the caller's last progress call */
} Runner;

static void
runner_run (Runner *r)
{
  Schedule *s = r->s;

  while (!atomic_load (&s->cancelled))
    {
      int t = atomic_fetch_add (&s->next, 1);
      int done;

      if (t >= s->n_tiles)
        break;
      s->func (s->job, r->worker, skc_tile_rect (s->roi, s->tile, s->tiles_x, t));
      done = atomic_fetch_add (&s->done, 1) + 1;
      if (r->is_caller && s->progress)
        {
          r->reported = done;
          if (s->progress ((double) done / s->n_tiles, 0.0, s->progress_data))
            atomic_store (&s->cancelled, 1);
        }
    }
}

static void
runner_func (void *data, int index)
{
  runner_run ((Runner *) data + index);
}

SkcStatus
skc_tiles_run (SkcRect roi, int tile, SkcTileFunc func, const void *job,
               void *workers, size_t worker_size, int n_workers,
               SkcProgressFunc progress, void *progress_data)
{
  Schedule  s;
  Runner    runners[SKC_MAX_THREADS];

  if (roi.width <= 0 || roi.height <= 0)
    return SKC_OK;
  if (tile < 1 || n_workers < 1 || !func || !workers)
    return SKC_ERR_INVALID;
  if (n_workers > SKC_MAX_THREADS)
    n_workers = SKC_MAX_THREADS;
  s.roi = roi;
  s.tile = tile;
  s.tiles_x = (roi.width + tile - 1) / tile;
  s.n_tiles = s.tiles_x * ((roi.height + tile - 1) / tile);
  s.func = func;
  s.job = job;
  s.progress = progress;
  s.progress_data = progress_data;
  atomic_init (&s.next, 0);
  atomic_init (&s.done, 0);
  atomic_init (&s.cancelled, 0);
  for (int i = 0; i < n_workers; i++)
    {
      runners[i].s = &s;
      runners[i].worker = (char *) workers + (size_t) i * worker_size;
      runners[i].is_caller = i == 0;
      runners[i].reported = 0;
    }
  skc_parallel_run (n_workers, runner_func, runners);
  if (progress && !atomic_load (&s.cancelled)
      && runners[0].reported < s.n_tiles
      && progress (1.0, 0.0, progress_data))
    atomic_store (&s.cancelled, 1);
  return atomic_load (&s.cancelled) ? SKC_ERR_CANCELLED : SKC_OK;
}

/* ---------------------------------------------------------------- branches */

SkcStatus
skc_branches_sum (int n_branches, SkcBranchFunc func, void *data,
                  float *out, int out_stride, SkcRect roi,
                  const SkcApplyOptions *options)
{
  SkcApplyOptions opt;
  SkcProgressPart part;
  float          *tmp = NULL;
  size_t          row = 4 * (size_t) (roi.width > 0 ? roi.width : 0);
  SkcStatus       st = SKC_OK;

  if (n_branches < 1 || !func)
    return SKC_ERR_INVALID;
  if (options)
    opt = *options;
  else
    skc_apply_options_init (&opt);
  if (options && options->progress)
    {
      part = (SkcProgressPart) { options->progress, options->progress_data,
                                 0, n_branches };
      opt.progress = skc_progress_part_report;
      opt.progress_data = &part;
    }
  if (n_branches > 1 && row > 0 && roi.height > 0)
    {
      tmp = malloc (row * (size_t) roi.height * sizeof *tmp);
      if (!tmp)
        return SKC_ERR_NOMEM;
    }
  for (int b = 0; b < n_branches && st == SKC_OK; b++)
    {
      part.part = b;
      if (b == 0)
        st = func (data, 0, out, out_stride, &opt);
      else if (tmp)
        {
          st = func (data, b, tmp, (int) row, &opt);
          for (int y = 0; st == SKC_OK && y < roi.height; y++)
            {
              float       *o = out + (size_t) y * out_stride;
              const float *t = tmp + (size_t) y * row;

              for (size_t i = 0; i < row; i++)
                o[i] += t[i];
            }
        }
    }
  free (tmp);
  return st;
}
