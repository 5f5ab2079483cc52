/* PST baseline: the complex's parameters optimised by parallel tempering
 * (Schuster, Trettner, Kobbelt 2020, "High-Performance Image Filters via
 * Sparse Approximations"; METHOD.md section 5), so that the gradient fit
 * can be compared with it at equal taps and equal loss.
 *
 * State: n_chains replicas of the complex, chain c at temperature
 *   T_c = T_min (T_max / T_min)^(c / (n_chains - 1)),
 * with temperatures relative to the initial loss.  One iteration lets every
 * chain propose one Metropolis move, so "iterations x candidates" in the
 * paper's budget (10 000 x 10) is iterations x n_chains loss evaluations:
 *  - a move picks one tap and perturbs its offset by a Gaussian of
 *    sigma_o (in units of the kernel radius) and its weight by a Gaussian
 *    of sigma_w (in units of 1/N), both shrinking with the chain's
 *    temperature rank; with the DC constraint on, the layer's weights are
 *    re-projected to sum 1, as in the gradient fit;
 *  - it is accepted with probability min (1, exp (-(L' - L) / T_c)).
 * Every exchange_every iterations neighbouring chains swap states with the
 * replica-exchange probability min (1, exp ((L_i - L_j)(1/T_i - 1/T_j))).
 * Every replace_every iterations the worse half of the chains (a band) is
 * replaced by copies of the best state found so far.  The loss is the
 * same as the gradient fit's (Charbonnier plus the coarse scales), so the
 * comparison is between optimisers, not objectives.
 *
 * Deterministic: each chain has its own RNG seeded from (seed, chain);
 * chains step in parallel but only read their own state, and exchanges
 * happen between iterations on one thread.
 */
#include "skc.h"
#include "skc-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
skc_pst_options_init (SkcPstOptions *o)
{
  SkcFitOptions fit;

  /* The gradient fit's complex, start, seed, loss and threads, so that
   * the baseline is compared with it on equal terms. */
  skc_fit_options_init (&fit);
  memset (o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  o->n_samples = fit.n_samples;
  o->n_layers = fit.n_layers;
  o->init = fit.init;
  o->seed = fit.seed;
  o->eps = fit.eps;
  o->dc_constraint = fit.dc_constraint;
  o->loss_scales = fit.loss_scales;
  o->n_threads = fit.n_threads;
  o->iterations = 10000;
  o->n_chains = 10;
  o->t_min = 1e-4f;
  o->t_max = 1e-1f;
  o->sigma_offset = 0.05f;
  o->sigma_weight = 0.2f;
  o->exchange_every = 10;
  o->replace_every = 500;
}

typedef struct
{
  SkcComplex  *cur, *prop;
  SkcGradWork *work;
  double       loss;
  double       temp;
  double       sigma_o, sigma_w;   /* px, weight units */
  uint64_t     rng;
} Chain;

typedef struct
{
  Chain *chains;
  int    first, last;
  int    iterations;   /* to run in this batch */
  int    dc;
} Batch;

static double
gauss (uint64_t *rng)
{
  double u = skc_rng_uniform (rng), v = skc_rng_uniform (rng);

  return sqrt (-2.0 * log (u + 1e-300)) * cos (2.0 * M_PI * v);
}

static void
project_layer (SkcComplex *c, int layer)
{
  SkcTap *t = skc_complex_layer (c, layer);
  int     n = c->n_samples[layer];
  double  s = 0.0;

  for (int i = 0; i < n; i++)
    s += t[i].w;
  for (int i = 0; i < n; i++)
    t[i].w += (float) ((1.0 - s) / n);
}

static void
chain_step (Chain *ch, int dc)
{
  SkcComplex *p = ch->prop;
  int         total = skc_complex_total_taps (p);
  int         k, layer = 0, start = 0;
  float       lim = (float) skc_grad_work_max_offset (ch->work);
  double      loss;

  memcpy (p->taps, ch->cur->taps, (size_t) total * sizeof *p->taps);
  k = (int) (skc_rng_uniform (&ch->rng) * total);
  while (k >= start + p->n_samples[layer])
    start += p->n_samples[layer++];
  p->taps[k].ox += (float) (ch->sigma_o * gauss (&ch->rng));
  p->taps[k].oy += (float) (ch->sigma_o * gauss (&ch->rng));
  p->taps[k].w += (float) (ch->sigma_w * gauss (&ch->rng));
  p->taps[k].ox = fminf (fmaxf (p->taps[k].ox, -lim), lim);
  p->taps[k].oy = fminf (fmaxf (p->taps[k].oy, -lim), lim);
  if (dc)
    project_layer (p, layer);
  loss = skc_grad_eval (ch->work, p, NULL);
  if (loss <= ch->loss
      || skc_rng_uniform (&ch->rng) < exp (-(loss - ch->loss) / ch->temp))
    {
      SkcComplex *t = ch->cur;

      ch->cur = p;
      ch->prop = t;
      ch->loss = loss;
    }
}

static void
batch_func (void *data, int index)
{
  Batch *b = (Batch *) data + index;

  for (int it = 0; it < b->iterations; it++)
    for (int c = b->first; c < b->last; c++)
      chain_step (&b->chains[c], b->dc);
}

static SkcStatus
check (const SkcPstOptions *o)
{
  if (!o || o->struct_size < sizeof *o
      || o->n_samples < 1 || o->n_samples > SKC_MAX_SAMPLES
      || o->n_layers < 1 || o->n_layers > SKC_MAX_LAYERS
      || o->init < 0 || o->init >= SKC_INIT_COUNT
      || o->iterations < 0 || o->iterations > 100000000
      || o->n_chains < 1 || o->n_chains > 64
      || !(o->t_min > 0) || !(o->t_max >= o->t_min) || !isfinite (o->t_max)
      || !(o->sigma_offset > 0) || !(o->sigma_weight > 0)
      || !isfinite (o->sigma_offset) || !isfinite (o->sigma_weight)
      || o->exchange_every < 1 || o->replace_every < 1
      || !(o->eps > 0) || o->loss_scales < 0 || o->loss_scales > 6)
    return SKC_ERR_INVALID;
  return SKC_OK;
}

SkcStatus
skc_fit_pst (const SkcKernel *target, const SkcPstOptions *o,
             SkcComplex **out)
{
  SkcKernel     *t = NULL;
  SkcFitGeometry g;
  Chain         *ch = NULL;
  SkcComplex    *best = NULL;
  double         best_loss, loss0, t0 = skc_time_now ();
  SkcStatus      s;
  int            n_threads, nc;
  uint64_t       xrng;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  s = check (o);
  if (s != SKC_OK || !target)
    return s != SKC_OK ? s : SKC_ERR_INVALID;
  s = skc_kernel_copy (target, &t);
  if (s == SKC_OK)
    s = skc_kernel_normalize (t);
  if (s != SKC_OK)
    goto out;
  skc_fit_geometry (t, &g);
  nc = o->n_chains;
  ch = calloc ((size_t) nc, sizeof *ch);
  if (!ch)
    {
      s = SKC_ERR_NOMEM;
      goto out;
    }

  /* Every chain starts from the same initialisation. */
  for (int c = 0; c < nc && s == SKC_OK; c++)
    {
      s = skc_init_complex (t, o->init, o->n_layers, o->n_samples, o->seed,
                            &ch[c].cur);
      if (s == SKC_OK)
        s = skc_complex_copy (ch[c].cur, &ch[c].prop);
      if (s == SKC_OK)
        s = skc_grad_work_new (t, g.canvas, g.max_offset, o->eps, &ch[c].work);
      if (s == SKC_OK)
        {
          skc_grad_work_set_scales (ch[c].work, o->loss_scales);
          ch[c].rng = o->seed * 0x9E3779B97F4A7C15ull + (uint64_t) c + 1;
          if (o->dc_constraint)
            for (int l = 0; l < o->n_layers; l++)
              project_layer (ch[c].cur, l);
          ch[c].loss = skc_grad_eval (ch[c].work, ch[c].cur, NULL);
        }
    }
  if (s != SKC_OK)
    goto out;
  loss0 = ch[0].loss;
  for (int c = 0; c < nc; c++)
    {
      double f = nc > 1 ? (double) c / (nc - 1) : 0.0;

      ch[c].temp = loss0 * o->t_min * pow (o->t_max / o->t_min, f);
      /* cold chains take small steps, hot chains large ones */
      ch[c].sigma_o = o->sigma_offset * g.radius * pow (4.0, f - 0.5);
      ch[c].sigma_w = o->sigma_weight / o->n_samples * pow (4.0, f - 0.5);
    }
  s = skc_complex_copy (ch[0].cur, &best);
  if (s != SKC_OK)
    goto out;
  best_loss = ch[0].loss;
  xrng = o->seed ^ 0xD1B54A32D192ED03ull;

  n_threads = skc_thread_count (o->n_threads);
  if (n_threads > nc)
    n_threads = nc;

  for (int it = 0; it < o->iterations;)
    {
      int       batch = o->exchange_every;
      Batch     b[SKC_MAX_THREADS];

      if (batch > o->iterations - it)
        batch = o->iterations - it;
      for (int k = 0; k < n_threads; k++)
        {
          b[k].chains = ch;
          b[k].first = nc * k / n_threads;
          b[k].last = nc * (k + 1) / n_threads;
          b[k].iterations = batch;
          b[k].dc = o->dc_constraint;
        }
      skc_parallel_run (n_threads, batch_func, b);
      it += batch;

      /* best so far */
      for (int c = 0; c < nc; c++)
        if (ch[c].loss < best_loss)
          {
            best_loss = ch[c].loss;
            memcpy (best->taps, ch[c].cur->taps,
                    (size_t) skc_complex_total_taps (best) * sizeof (SkcTap));
          }
      /* replica exchange between neighbours */
      for (int c = 0; c + 1 < nc; c++)
        {
          double a = (ch[c].loss - ch[c + 1].loss)
                     * (1.0 / ch[c].temp - 1.0 / ch[c + 1].temp);

          if (a >= 0 || skc_rng_uniform (&xrng) < exp (a))
            {
              SkcComplex *tc = ch[c].cur;
              double      tl = ch[c].loss;

              ch[c].cur = ch[c + 1].cur;
              ch[c].loss = ch[c + 1].loss;
              ch[c + 1].cur = tc;
              ch[c + 1].loss = tl;
            }
        }
      /* periodic replacement of the worse band by the best */
      if (it / o->replace_every != (it - batch) / o->replace_every)
        {
          int order[64];

          for (int c = 0; c < nc; c++)
            order[c] = c;
          for (int i = 1; i < nc; i++)   /* insertion sort by loss */
            for (int j = i; j > 0 && ch[order[j]].loss < ch[order[j - 1]].loss; j--)
              {
                int x = order[j];
                order[j] = order[j - 1];
                order[j - 1] = x;
              }
          for (int r = (nc + 1) / 2; r < nc; r++)
            {
              Chain *w = &ch[order[r]];

              memcpy (w->cur->taps, best->taps,
                      (size_t) skc_complex_total_taps (best) * sizeof (SkcTap));
              w->loss = best_loss;
            }
        }
      if (o->progress
          && o->progress ((double) it / o->iterations, best_loss, o->progress_data))
        {
          s = SKC_ERR_CANCELLED;
          goto out;
        }
    }

  /* Label like a gradient fit. */
  s = skc_eval_kernel_psnr (best, t, &best->kernel_psnr);
  if (s != SKC_OK)
    goto out;
  best->loss = best_loss;
  best->target_width = t->width;
  best->target_height = t->height;
  best->steps = o->iterations;
  best->seed = o->seed;
  snprintf (best->method, sizeof best->method, "pst");
  snprintf (best->init, sizeof best->init, "%s", skc_init_name (o->init));
  best->fit_seconds = skc_time_now () - t0;
  *out = best;
  best = NULL;

out:
  if (ch)
    for (int c = 0; c < o->n_chains; c++)
      {
        skc_complex_free (ch[c].cur);
        skc_complex_free (ch[c].prop);
        skc_grad_work_free (ch[c].work);
      }
  free (ch);
  skc_complex_free (best);
  skc_kernel_free (t);
  return s;
}
