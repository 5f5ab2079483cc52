/* Fitting a complex to a dense kernel by gradient descent (METHOD.md 2).
 *
 * The loss is Charbonnier on a copy of the target scaled to peak 1
 * (skc-grad.c); the optimiser is Adam with learning rates decayed linearly
 * from a start to an end value.  Parameters are scaled so one learning rate
 * suits every kernel: offsets are measured in units of the target's radius
 * and weights in units of 1/N.
 *
 * Beyond the paper:
 *  - DC constraint: after every step each layer's weights are moved by the
 *    same amount so they sum to exactly 1 (the Euclidean projection onto the
 *    constraint).  The composite's DC gain is then exactly the target's,
 *    and the scale ambiguity between layers is gone.
 *  - Multi-start: several candidates (the chosen initialisation with
 *    different seeds) run the first steps of the schedule; the best one by
 *    loss goes on.  Candidates run on threads; which wins depends only on
 *    the losses (ties: the lower index), never on the thread count.
 *  - Offsets are clamped to a box a little larger than the target, so a
 *    tap cannot wander off the synthesis canvas.
 *  - Reach limit (options->max_reach): the sum over layers of each layer's
 *    largest |offset| is projected back under a limit after every step,
 *    so a caller can size its halo before fitting (the families do:
 *    skc_family_halo_bound).
 */
#define _POSIX_C_SOURCE 200809L
#include "skc.h"
#include "skc-private.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *init_names[SKC_INIT_COUNT] = { "ir", "ss", "random" };

const char *
skc_init_name (SkcInit init)
{
  return init >= 0 && init < SKC_INIT_COUNT ? init_names[init] : "unknown";
}

SkcStatus
skc_init_from_name (const char *name, SkcInit *init)
{
  if (!name || !init)
    return SKC_ERR_INVALID;
  for (int i = 0; i < SKC_INIT_COUNT; i++)
    if (strcasecmp (name, init_names[i]) == 0)
      {
        *init = (SkcInit) i;
        return SKC_OK;
      }
  return SKC_ERR_INVALID;
}

void
skc_fit_options_init (SkcFitOptions *o)
{
  memset (o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  o->n_samples = 24;
  o->n_layers = 4;
  o->init = SKC_INIT_SS;
  o->seed = 1;
  o->steps = 1000;
  o->n_starts = 4;
  o->start_steps = 150;
  o->lr_offset[0] = 0.02f;
  o->lr_offset[1] = 0.001f;
  o->lr_weight[0] = 0.02f;
  o->lr_weight[1] = 0.001f;
  o->eps = 1e-3f;
  o->dc_constraint = 1;
  o->loss_scales = 4;
  o->n_threads = 0;
}

/* ---------------------------------------------------------------- a run */

typedef struct
{
  const SkcFitOptions *opt;
  SkcGradWork *work;
  SkcComplex  *c;
  SkcTap      *grad, *m, *v;     /* Adam moments, per parameter     */
  double       unit_o, unit_w;   /* parameter units: px, weight     */
  int          step;             /* steps done                      */
  double       loss;
} Run;

static void
run_free (Run *r)
{
  skc_grad_work_free (r->work);
  skc_complex_free (r->c);
  free (r->grad);
  free (r->m);
  free (r->v);
  memset (r, 0, sizeof *r);
}

/* Keep sum_l max_i |o_li| <= @limit: when the sum is over, every layer's
 * taps beyond its share (its own largest |o| times limit / sum) are moved
 * in radially to that share.  Layers keep their shape inside the share;
 * only outer taps move, so a fit that stays inside the limit never
 * notices it. */
static void
project_reach (SkcComplex *c, double limit)
{
  double m[SKC_MAX_LAYERS], sum = 0.0;

  for (int l = 0; l < c->n_layers; l++)
    {
      const SkcTap *t = skc_complex_layer (c, l);

      m[l] = 0.0;
      for (int i = 0; i < c->n_samples[l]; i++)
        m[l] = fmax (m[l], hypot (t[i].ox, t[i].oy));
      sum += m[l];
    }
  if (!(sum > limit))
    return;
  for (int l = 0; l < c->n_layers; l++)
    {
      SkcTap *t = skc_complex_layer (c, l);
      /* a hair inside, so float rounding never leaves it over */
      double  cap = m[l] * limit / sum * (1.0 - 1e-6);

      for (int i = 0; i < c->n_samples[l]; i++)
        {
          double r = hypot (t[i].ox, t[i].oy);

          if (r > cap)
            {
              t[i].ox = (float) (t[i].ox * (cap / r));
              t[i].oy = (float) (t[i].oy * (cap / r));
            }
        }
    }
}

/* A run from the initialisation @o->init with @seed, or from a copy of
 * @start when it is not NULL (its structure then replaces the options'). */
static SkcStatus
run_new (Run *r, const SkcKernel *t, const SkcFitGeometry *g,
         const SkcFitOptions *o, uint64_t seed, const SkcComplex *start)
{
  SkcStatus s;
  int       n;

  memset (r, 0, sizeof *r);
  r->opt = o;
  if (start)
    s = skc_complex_copy (start, &r->c);
  else
    s = skc_init_complex (t, o->init, o->n_layers, o->n_samples, seed, &r->c);
  if (s != SKC_OK)
    return s;
  s = skc_grad_work_new (t, g->canvas, g->max_offset, o->eps, &r->work);
  if (s != SKC_OK)
    {
      run_free (r);
      return s;
    }
  n = skc_complex_total_taps (r->c);
  r->grad = calloc ((size_t) n, sizeof (SkcTap));
  r->m = calloc ((size_t) n, sizeof (SkcTap));
  r->v = calloc ((size_t) n, sizeof (SkcTap));
  if (!r->grad || !r->m || !r->v)
    {
      run_free (r);
      return SKC_ERR_NOMEM;
    }
  skc_grad_work_set_scales (r->work, o->loss_scales);
  if (o->max_reach > 0.0f)
    project_reach (r->c, o->max_reach);
  r->unit_o = g->radius;
  r->unit_w = (double) r->c->n_layers / n;   /* 1 / samples per layer */
  r->c->seed = seed;
  return SKC_OK;
}

static void
project_dc (SkcComplex *c)
{
  for (int l = 0; l < c->n_layers; l++)
    {
      SkcTap *t = skc_complex_layer (c, l);
      int     n = c->n_samples[l];
      double  s = 0.0;
      float   d;

      for (int i = 0; i < n; i++)
        s += t[i].w;
      d = (float) ((1.0 - s) / n);
      for (int i = 0; i < n; i++)
        t[i].w += d;
    }
}

static inline float
adam (float *p, float g, float *m, float *v, double lr, double unit,
      double bc1, double bc2)
{
  const double b1 = 0.9, b2 = 0.999, e = 1e-8;
  double       gs = g * unit;      /* gradient in scaled units */
  double       mh, vh;

  *m = (float) (b1 * *m + (1 - b1) * gs);
  *v = (float) (b2 * *v + (1 - b2) * gs * gs);
  mh = *m / bc1;
  vh = *v / bc2;
  *p -= (float) (lr * unit * mh / (sqrt (vh) + e));
  return *p;
}

/* Steps r->step .. until - 1 of a schedule that is @total steps long. */
static void
run_steps (Run *r, int until, int total)
{
  const SkcFitOptions *o = r->opt;
  int                  n = skc_complex_total_taps (r->c);
  float                lim = (float) skc_grad_work_max_offset (r->work);

  for (; r->step < until; r->step++)
    {
      double f = total > 1 ? (double) r->step / (total - 1) : 1.0;
      double lro = o->lr_offset[0] + f * (o->lr_offset[1] - o->lr_offset[0]);
      double lrw = o->lr_weight[0] + f * (o->lr_weight[1] - o->lr_weight[0]);
      double bc1 = 1.0 - pow (0.9, r->step + 1);
      double bc2 = 1.0 - pow (0.999, r->step + 1);

      r->loss = skc_grad_eval (r->work, r->c, r->grad);
      for (int i = 0; i < n; i++)
        {
          SkcTap *t = &r->c->taps[i], *g = &r->grad[i];

          adam (&t->ox, g->ox, &r->m[i].ox, &r->v[i].ox, lro, r->unit_o, bc1, bc2);
          adam (&t->oy, g->oy, &r->m[i].oy, &r->v[i].oy, lro, r->unit_o, bc1, bc2);
          adam (&t->w, g->w, &r->m[i].w, &r->v[i].w, lrw, r->unit_w, bc1, bc2);
          t->ox = fminf (fmaxf (t->ox, -lim), lim);
          t->oy = fminf (fmaxf (t->oy, -lim), lim);
        }
      if (o->dc_constraint)
        project_dc (r->c);
      if (o->max_reach > 0.0f)
        project_reach (r->c, o->max_reach);
    }
  r->loss = skc_grad_eval (r->work, r->c, NULL);
}

/* ---------------------------------------------------------------- threads */

typedef struct
{
  Run            *runs;
  SkcStatus      *status;
  const SkcKernel *target;
  const SkcFitGeometry *geom;
  const SkcFitOptions *opt;
  int             n;
  int             steps, total;
  atomic_int      next;
  atomic_int      cancelled;
  atomic_int      done;
} Pool;

static uint64_t
candidate_seed (uint64_t seed, int j)
{
  return j == 0 ? seed : seed + 0x9E3779B97F4A7C15ull * (uint64_t) j;
}

static void
pool_work (Pool *p, int is_main)
{
  const int chunk = 25;

  for (;;)
    {
      int j = atomic_fetch_add (&p->next, 1);
      Run *r;

      if (j >= p->n)
        return;
      r = &p->runs[j];
      p->status[j] = run_new (r, p->target, p->geom, p->opt,
                              candidate_seed (p->opt->seed, j), NULL);
      if (p->status[j] != SKC_OK)
        continue;
      while (r->step < p->steps && !atomic_load (&p->cancelled))
        {
          int until = r->step + chunk < p->steps ? r->step + chunk : p->steps;
          int before = r->step;

          run_steps (r, until, p->total);
          atomic_fetch_add (&p->done, until - before);
          if (is_main && p->opt->progress)
            {
              double frac = (double) atomic_load (&p->done)
                            / ((double) p->n * p->steps + (p->total - p->steps));
              if (p->opt->progress (frac, r->loss, p->opt->progress_data))
                atomic_store (&p->cancelled, 1);
            }
        }
    }
}

static void
pool_func (void *data, int index)
{
  pool_work (data, index == 0);
}

/* The rest of @r's schedule, then its measurements and labels; on success
 * the complex moves to *out.  Progress reports (done + steps since @from)
 * out of (done + steps remaining after @from). */
static SkcStatus
run_finish (Run *r, const SkcKernel *t, const SkcFitGeometry *g,
            const SkcFitOptions *options, double done, int from, double t0,
            SkcComplex **out)
{
  const int chunk = 25;
  size_t    nc = (size_t) g->canvas * g->canvas;
  size_t    nt = (size_t) t->width * t->height;
  float    *resp, *crop;

  while (r->step < options->steps)
    {
      int until = r->step + chunk < options->steps ? r->step + chunk
                                                   : options->steps;

      run_steps (r, until, options->steps);
      if (options->progress)
        {
          double frac = (done + (r->step - from))
                        / (done + (options->steps - from));
          if (options->progress (frac, r->loss, options->progress_data))
            return SKC_ERR_CANCELLED;
        }
    }
  if (r->step == 0)
    r->loss = skc_grad_eval (r->work, r->c, NULL);

  /* Measure and label: kernel PSNR over the target's own frame. */
  resp = malloc (nc * sizeof *resp);
  crop = malloc (nt * sizeof *crop);
  if (!resp || !crop)
    {
      free (resp);
      free (crop);
      return SKC_ERR_NOMEM;
    }
  skc_grad_response (r->work, resp);
  for (int y = 0; y < t->height; y++)
    memcpy (crop + (size_t) y * t->width,
            resp + (size_t) (y + g->canvas / 2 - t->height / 2) * g->canvas
            + g->canvas / 2 - t->width / 2,
            (size_t) t->width * sizeof *crop);
  r->c->kernel_psnr = skc_psnr (crop, t->data, nt, skc_kernel_peak (t));
  free (resp);
  free (crop);

  r->c->loss = r->loss;
  r->c->target_width = t->width;
  r->c->target_height = t->height;
  r->c->steps = options->steps;
  r->c->seed = options->seed;   /* with n_starts, reproduces the fit */
  snprintf (r->c->method, sizeof r->c->method, "disk");
  r->c->fit_seconds = skc_time_now () - t0;
  *out = r->c;
  r->c = NULL;
  return SKC_OK;
}

/* ---------------------------------------------------------------- fit */

static SkcStatus
check_options (const SkcFitOptions *o)
{
  if (!o || o->struct_size < sizeof *o)
    return SKC_ERR_INVALID;
  if (o->n_samples < 1 || o->n_samples > SKC_MAX_SAMPLES
      || o->n_layers < 1 || o->n_layers > SKC_MAX_LAYERS
      || o->init < 0 || o->init >= SKC_INIT_COUNT
      || o->steps < 0 || o->steps > 10000000
      || o->n_starts < 1 || o->n_starts > 256
      || o->start_steps < 0
      || o->loss_scales < 0 || o->loss_scales > 6
      || !(o->eps > 0.0f) || !isfinite (o->eps)
      || !(o->max_reach >= 0.0f) || !isfinite (o->max_reach))
    return SKC_ERR_INVALID;
  for (int k = 0; k < 2; k++)
    if (!(o->lr_offset[k] >= 0.0f) || !isfinite (o->lr_offset[k])
        || !(o->lr_weight[k] >= 0.0f) || !isfinite (o->lr_weight[k]))
      return SKC_ERR_INVALID;
  return SKC_OK;
}

static SkcStatus
normalized_copy (const SkcKernel *target, SkcKernel **out)
{
  SkcStatus s;

  *out = NULL;
  if (!target || !target->data || target->width < 1 || target->height < 1
      || !(target->width & 1) || !(target->height & 1)
      || target->width > SKC_MAX_KERNEL_SIZE
      || target->height > SKC_MAX_KERNEL_SIZE)
    return SKC_ERR_INVALID;
  for (size_t i = 0; i < (size_t) target->width * target->height; i++)
    if (!isfinite (target->data[i]))
      return SKC_ERR_INVALID;
  s = skc_kernel_copy (target, out);
  if (s != SKC_OK)
    return s;
  s = skc_kernel_normalize (*out);
  if (s != SKC_OK)
    {
      skc_kernel_free (*out);
      *out = NULL;
    }
  return s;
}

/* What every fit entry does first: @out cleared, @options checked, @t a
 * normalised copy of @target (freed by the caller). */
static SkcStatus
fit_begin (const SkcKernel *target, const SkcFitOptions *options,
           SkcComplex **out, SkcKernel **t)
{
  SkcStatus s;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  s = check_options (options);
  if (s == SKC_OK)
    s = normalized_copy (target, t);
  return s;
}

SkcStatus
skc_fit_initial (const SkcKernel *target, const SkcFitOptions *options,
                 uint64_t seed, SkcComplex **out)
{
  SkcKernel *t;
  SkcStatus  s;

  s = fit_begin (target, options, out, &t);
  if (s != SKC_OK)
    return s;
  s = skc_init_complex (t, options->init, options->n_layers,
                        options->n_samples, seed, out);
  skc_kernel_free (t);
  return s;
}

SkcStatus
skc_fit (const SkcKernel *target, const SkcFitOptions *options,
         SkcComplex **out)
{
  SkcKernel *t = NULL;
  SkcFitGeometry g;
  Pool       p;
  Run       *runs = NULL;
  SkcStatus *status = NULL;
  SkcStatus  s;
  double     t0 = skc_time_now ();
  int        best = -1;
  int        n_threads;

  s = fit_begin (target, options, out, &t);
  if (s != SKC_OK)
    return s;
  skc_fit_geometry (t, &g);

  memset (&p, 0, sizeof p);
  p.n = options->n_starts;
  p.steps = options->start_steps < options->steps ? options->start_steps
                                                  : options->steps;
  if (p.n == 1)
    p.steps = 0;
  p.total = options->steps;
  runs = calloc ((size_t) p.n, sizeof *runs);
  status = calloc ((size_t) p.n, sizeof *status);
  if (!runs || !status)
    {
      s = SKC_ERR_NOMEM;
      goto out;
    }
  p.runs = runs;
  p.status = status;
  p.target = t;
  p.geom = &g;
  p.opt = options;
  atomic_init (&p.next, 0);
  atomic_init (&p.cancelled, 0);
  atomic_init (&p.done, 0);

  /* Phase 1: candidates, in parallel. */
  n_threads = skc_thread_count (options->n_threads);
  if (n_threads > p.n)
    n_threads = p.n;
  skc_parallel_run (n_threads, pool_func, &p);
  if (atomic_load (&p.cancelled))
    {
      s = SKC_ERR_CANCELLED;
      goto out;
    }
  for (int j = 0; j < p.n; j++)
    {
      if (status[j] != SKC_OK)
        {
          s = status[j];
          goto out;
        }
      if (best < 0 || runs[j].loss < runs[best].loss)
        best = j;
    }

  /* Phase 2: the best goes on alone. */
  s = run_finish (&runs[best], t, &g, options, (double) p.n * p.steps,
                  p.steps, t0, out);

out:
  if (runs)
    for (int j = 0; j < p.n; j++)
      run_free (&runs[j]);
  free (runs);
  free (status);
  skc_kernel_free (t);
  return s;
}

/* A warm start (skc-private.h): one run from a copy of @start, no
 * multi-start.  Used by the spatially varying families, where basis k
 * starts from basis k + 1 scaled so that tap i stays the same tap. */
SkcStatus
skc_fit_from (const SkcKernel *target, const SkcFitOptions *options,
              const SkcComplex *start, SkcComplex **out)
{
  SkcKernel *t = NULL;
  SkcFitGeometry g;
  Run        r;
  SkcStatus  s;
  double     t0 = skc_time_now ();

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  s = check_options (options);
  if (s != SKC_OK)
    return s;
  if (!start || start->n_layers < 1 || start->n_layers > SKC_MAX_LAYERS
      || !start->taps)
    return SKC_ERR_INVALID;
  for (int l = 0; l < start->n_layers; l++)
    if (start->n_samples[l] < 1 || start->n_samples[l] > SKC_MAX_SAMPLES)
      return SKC_ERR_INVALID;
  for (int i = 0; i < skc_complex_total_taps (start); i++)
    if (!isfinite (start->taps[i].ox) || !isfinite (start->taps[i].oy)
        || !isfinite (start->taps[i].w))
      return SKC_ERR_INVALID;
  s = normalized_copy (target, &t);
  if (s != SKC_OK)
    return s;
  skc_fit_geometry (t, &g);
  s = run_new (&r, t, &g, options, options->seed, start);
  if (s == SKC_OK)
    {
      snprintf (r.c->init, sizeof r.c->init, "warm");
      s = run_finish (&r, t, &g, options, 0.0, 0, t0, out);
    }
  run_free (&r);
  skc_kernel_free (t);
  return s;
}
