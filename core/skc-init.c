/* Initial complexes for the fit (METHOD.md section 3).
 *
 * All three put the composite's centre of mass on the target's: a gather
 * tap at offset o puts mass at -o, so layer 0's offsets are shifted by
 * minus the target's centroid.
 *
 * IR (increasing radial): layer l (1-based) is a ring of N taps of radius
 *   l * dr, weights 1/N, each ring turned by half a tap spacing against the
 *   previous one.  dr matches the target's second moment: a ring of radius
 *   r has per-axis variance r^2 / 2 and variances add under convolution, so
 *   sum_l (l dr)^2 / 2 = var  gives  dr = sqrt (2 var / sum_l l^2).
 * SS (sparse sampling): layer 0 takes N points of the target's support by
 *   dart throwing with minimum spacing r = sqrt (support / (N pi)) (shrunk
 *   by 10 % whenever darts stop landing), weights 1/N.  The other layers
 *   are small IR rings whose radii sum to r, so they spread every point
 *   over about the gap to its neighbours.
 * Random: every layer's offsets uniform in the target's bounding square
 *   shrunk by the number of layers (so the composite spans about the
 *   target), weights 1/N.
 * A seed other than 0 turns each IR ring by a random angle, so multi-start
 * has distinct IR candidates; seed 0 is the textbook IR.
 */
#include "skc.h"
#include "skc-private.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

void
skc_kernel_stats (const SkcKernel *k, SkcKernelStats *st)
{
  double sum = 0, sx = 0, sy = 0, sxx = 0;
  float  peak = skc_kernel_peak (k);
  int    cx = k->width / 2, cy = k->height / 2;

  memset (st, 0, sizeof *st);
  for (int y = 0; y < k->height; y++)
    for (int x = 0; x < k->width; x++)
      {
        double v = k->data[(size_t) y * k->width + x];
        double u = x - cx, w = y - cy;

        if (v <= 0)
          continue;
        sum += v;
        sx += v * u;
        sy += v * w;
        sxx += v * (u * u + w * w);
        if (v > 1e-3 * peak)
          st->radius = fmax (st->radius, sqrt (u * u + w * w) + 0.5);
        if (v > 0.01 * peak)
          st->support += 1.0;
      }
  if (sum <= 0)
    return;
  st->cx = sx / sum;
  st->cy = sy / sum;
  st->var = (sxx / sum - st->cx * st->cx - st->cy * st->cy) / 2.0;
  if (st->var < 0.0)
    st->var = 0.0;
}

void
skc_fit_geometry (const SkcKernel *t, SkcFitGeometry *g)
{
  SkcKernelStats st;
  int            side = t->width > t->height ? t->width : t->height;
  int            margin = side / 4 > 4 ? side / 4 : 4;

  skc_kernel_stats (t, &st);
  g->radius = fmax (st.radius, 1.0);
  g->canvas = (side + 2 * margin) | 1;
  g->max_offset = (int) ceil (g->radius * 1.25) + 2;
}

static void
init_rings (SkcComplex *c, int first, double dr, uint64_t *rng, int jitter)
{
  for (int l = first; l < c->n_layers; l++)
    {
      SkcTap *t = skc_complex_layer (c, l);
      int     n = c->n_samples[l];
      double  r = (l - first + 1) * dr;
      double  phase = (l - first) * M_PI / n;

      if (jitter)
        phase = 2.0 * M_PI * skc_rng_uniform (rng);
      for (int i = 0; i < n; i++)
        {
          double a = phase + 2.0 * M_PI * i / n;

          t[i].ox = (float) (r * cos (a));
          t[i].oy = (float) (r * sin (a));
          t[i].w = 1.0f / n;
        }
    }
}

static void
init_sparse (SkcComplex *c, const SkcKernel *k, const SkcKernelStats *st,
             uint64_t *rng)
{
  SkcTap *t = skc_complex_layer (c, 0);
  int     n = c->n_samples[0];
  float   peak = skc_kernel_peak (k);
  double  r = sqrt (fmax (st->support, 1.0) / (n * M_PI));
  int     got = 0;
  int     cx = k->width / 2, cy = k->height / 2;

  while (got < n)
    {
      int tries = 0;

      while (got < n && tries < 200 * n)
        {
          int    x = (int) (skc_rng_uniform (rng) * k->width);
          int    y = (int) (skc_rng_uniform (rng) * k->height);
          double px = x - cx + skc_rng_uniform (rng) - 0.5;
          double py = y - cy + skc_rng_uniform (rng) - 0.5;
          int    ok = 1;

          tries++;
          if (k->data[(size_t) y * k->width + x] <= 0.01f * peak)
            continue;
          for (int j = 0; j < got && ok; j++)
            {
              double dx = -t[j].ox - px, dy = -t[j].oy - py;

              ok = dx * dx + dy * dy >= r * r;
            }
          if (!ok)
            continue;
          t[got].ox = (float) -px;
          t[got].oy = (float) -py;
          t[got].w = 1.0f / n;
          got++;
        }
      r *= 0.9;
    }
  if (c->n_layers > 1)
    {
      int    m = c->n_layers - 1;
      double dr = 2.0 * r / (0.9 * m * (m + 1));  /* undo the last shrink */

      init_rings (c, 1, dr, rng, 0);
    }
}

SkcStatus
skc_init_complex (const SkcKernel *target, SkcInit init, int n_layers,
                  int n_samples, uint64_t seed, SkcComplex **out)
{
  SkcKernelStats st;
  SkcComplex    *c;
  SkcStatus      s;
  uint64_t       rng = seed ^ 0x5bd1e9955bd1e995ull;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!target || init < 0 || init >= SKC_INIT_COUNT)
    return SKC_ERR_INVALID;
  s = skc_complex_new_uniform (n_layers, n_samples, &c);
  if (s != SKC_OK)
    return s;
  skc_kernel_stats (target, &st);

  switch (init)
    {
    case SKC_INIT_IR:
      {
        double sl2 = n_layers * (n_layers + 1) * (2.0 * n_layers + 1) / 6.0;
        double dr = sqrt (2.0 * fmax (st.var, 0.05) / sl2);

        init_rings (c, 0, dr, &rng, seed != 0);
      }
      break;
    case SKC_INIT_SS:
      init_sparse (c, target, &st, &rng);
      break;
    case SKC_INIT_RANDOM:
    default:
      {
        double half = fmax (st.radius, 1.0) / n_layers;

        for (int i = 0; i < skc_complex_total_taps (c); i++)
          {
            c->taps[i].ox = (float) (half * (2.0 * skc_rng_uniform (&rng) - 1));
            c->taps[i].oy = (float) (half * (2.0 * skc_rng_uniform (&rng) - 1));
            c->taps[i].w = 1.0f / n_samples;
          }
      }
      break;
    }

  /* Centre of mass onto the target's (mass lands at -o). */
  {
    SkcTap *t = skc_complex_layer (c, 0);

    for (int i = 0; i < c->n_samples[0]; i++)
      {
        if (init != SKC_INIT_SS)
          {
            t[i].ox -= (float) st.cx;
            t[i].oy -= (float) st.cy;
          }
      }
  }
  snprintf (c->init, sizeof c->init, "%s", skc_init_name (init));
  *out = c;
  return SKC_OK;
}
