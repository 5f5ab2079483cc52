/* Families of complexes over blur size, for spatially varying filtering
 * (METHOD.md section 4).
 *
 * Size.  A family's parameter is the kernel's *diameter* in pixels: the
 * diameter of the shape's enclosing circle, which skc_shape_render draws
 * on a canvas of side diameter + 2.  A user kernel of side W (the larger
 * of width and height) counts as a shape of diameter W - 2 on its canvas,
 * so a rendered shape handed in as a kernel gives the same family as the
 * shape itself.  A Gaussian has sigma = diameter / 6 (the params' sigma is
 * not used: it would not scale).  Diameter 0 is the identity.
 *
 * Targets.  skc_family_target makes the dense kernel for any real diameter
 * and rotation.  Procedural shapes are drawn four times larger (beyond
 * 33 px less, down to once from 132 px: at least 132 px across; with the
 * rotation in the shape's own parameters, so edges stay exact) and
 * area-averaged down: every output pixel gets the exact mean of the large
 * kernel over its footprint, i.e. the coverage anti-aliasing of the shape
 * at the small size (tests/test-sizes.c holds it to skc_shape_render at
 * odd sizes).  User kernels are scaled and rotated through their bilinear
 * interpolant, averaged over a footprint that shrinks to a point at scale
 * 1 (see resample_kernel).  Both keep unit sum.
 *
 * Fitting.  Bases sit at geometric diameters from min to max.  The largest
 * is fitted from scratch (the caller's options, multi-start included);
 * each smaller one starts from the nearest larger basis at least MIN_HOP
 * (1.8) times its size, or from the largest when none is, with its offsets
 * scaled by the diameter ratio, and is refined (skc_fit_from) by half as
 * many Adam steps from a quarter of the initial learning rates: it only
 * has to mend what scaling does not carry (anti-aliasing, the pixel grid).
 * Tap i is thus the same sample in every basis, which is what makes
 * tap-wise interpolation work: bases fitted independently do not
 * correspond tap for tap and interpolate badly between them, and bases
 * only scaled from the largest miss the small sizes' anti-aliasing; the
 * full schedule for every basis buys nothing for twice the time
 * (tests/bench/results/varying.md).
 *
 * Why a hop of at least MIN_HOP rather than the next larger basis: a
 * fitted complex often keeps its shape in one layer and uses the others
 * as small smoothing layers whose right reach is not proportional to the
 * diameter.  Small hops (many bases) let the refinement pull such a layer
 * back to whole-pixel offsets hop after hop, an exact discrete shift that
 * the smallest basis keeps; below it the family scales offsets (the rule
 * below), and a 1 px shift scaled down is a bilinear blur.  Hops near a
 * factor 2 keep the layers' character whatever the number of bases, so
 * adding bases never makes a family worse; the sizes below the first
 * basis, not the number of bases, set the floor.
 *
 * Evaluation (here and, with the same arithmetic, per pixel in
 * skc-apply-varying.c) at diameter s and angle a:
 *   s <= 0:             basis 0 with offsets times 0 (the identity when its
 *                       layers sum to 1, as the DC constraint keeps them)
 *   0 < s < s_0:        basis 0, offsets times s / s_0
 *   s_k <= s < s_k+1:   o = o_k + t (o_k+1 - o_k), w likewise,
 *                       t = (s - s_k) / (s_k+1 - s_k)
 *   s >= s_last:        the last basis, offsets times s / s_last
 * then every offset is rotated counter-clockwise on screen by a: with
 * y down, (x, y) -> (x cos a + y sin a, -x sin a + y cos a).  A pure
 * scaling family is reproduced exactly by the linear rule, since offsets
 * are linear in s.
 */
#define _POSIX_C_SOURCE 200809L
#include "skc.h"
#include "skc-private.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OVERSAMPLE     4      /* procedural shapes are drawn this much larger */
#define MAX_DIAMETER   (SKC_MAX_KERNEL_SIZE - 4)
#define MIN_HOP        1.8    /* warm starts come from >= 1.8x larger */

/* ---------------------------------------------------------------- geometry */

void
skc_rotation (float angle, float *c, float *s)
{
  *c = (float) cos ((double) angle);
  *s = (float) sin ((double) angle);
}

/* Side of the odd square canvas for a kernel of @radius px about its
 * centre, plus a pixel for anti-aliasing. */
static int
canvas_side (double radius)
{
  return 2 * (int) ceil (radius + 1.0) + 1;
}

/* Exact area averaging of the odd square @src (a piecewise-constant
 * function, pixel j covering [j - 1/2, j + 1/2]) scaled by @f <= 1 about
 * its centre onto the odd square @dst.  Separable: rows, then columns;
 * output cell i overlaps the source cells lo[i] .. hi[i] only. */
static SkcStatus
area_downsample (const SkcKernel *src, double f, SkcKernel *dst)
{
  int     sw = src->width, dw = dst->width;
  int     sc = sw / 2, dc = dw / 2;
  double *wt = calloc ((size_t) dw * sw, sizeof *wt);
  double *tmp = calloc ((size_t) sw * dw, sizeof *tmp);
  int    *lo = calloc ((size_t) dw, sizeof *lo);
  int    *hi = calloc ((size_t) dw, sizeof *hi);

  if (!wt || !tmp || !lo || !hi)
    {
      free (wt);
      free (tmp);
      free (lo);
      free (hi);
      return SKC_ERR_NOMEM;
    }
  /* wt[i * sw + j]: overlap of output cell i with source cell j, in source
   * pixels (the same table serves rows and columns: both are square). */
  for (int i = 0; i < dw; i++)
    {
      double u0 = (i - dc - 0.5) / f + sc, u1 = (i - dc + 0.5) / f + sc;
      int    j0 = (int) floor (u0 + 0.5), j1 = (int) floor (u1 + 0.5);

      lo[i] = j0 < 0 ? 0 : j0;
      hi[i] = j1 < sw ? j1 : sw - 1;
      for (int j = lo[i]; j <= hi[i]; j++)
        {
          double a = fmax (u0, j - 0.5), b = fmin (u1, j + 0.5);

          if (b > a)
            wt[(size_t) i * sw + j] = b - a;
        }
    }
  /* tmp (sw rows x dw columns): every source row reduced along x. */
  for (int y = 0; y < sw; y++)
    for (int i = 0; i < dw; i++)
      {
        const double *w = wt + (size_t) i * sw;
        const float  *row = src->data + (size_t) y * sw;
        double        acc = 0.0;

        for (int j = lo[i]; j <= hi[i]; j++)
          if (w[j] != 0.0)
            acc += w[j] * row[j];
        tmp[(size_t) y * dw + i] = acc;
      }
  for (int i = 0; i < dw; i++)
    for (int x = 0; x < dw; x++)
      {
        const double *w = wt + (size_t) i * sw;
        double        acc = 0.0;

        for (int j = lo[i]; j <= hi[i]; j++)
          if (w[j] != 0.0)
            acc += w[j] * tmp[(size_t) j * dw + x];
        dst->data[(size_t) i * dw + x] = (float) acc;
      }
  free (wt);
  free (tmp);
  free (lo);
  free (hi);
  return SKC_OK;
}

static double
bilerp_zero (const SkcKernel *k, double u, double v)
{
  double fu0 = floor (u), fv0 = floor (v);
  int    iu = (int) fu0, iv = (int) fv0;
  double fu = u - fu0, fv = v - fv0;
  double acc = 0.0;

  for (int b = 0; b < 2; b++)
    for (int a = 0; a < 2; a++)
      {
        int x = iu + a, y = iv + b;

        if (x >= 0 && y >= 0 && x < k->width && y < k->height)
          acc += (a ? fu : 1 - fu) * (b ? fv : 1 - fv)
                 * k->data[(size_t) y * k->width + x];
      }
  return acc;
}

/* @src scaled by @f and rotated by @angle about its centre.  Each output
 * pixel averages the bilinear interpolant of @src (zero outside) over a
 * centred square of side sqrt (1 - f^2) output pixels (n x n samples).
 * Magnifying (f >= 1) that is a point sample, so scale 1 without rotation
 * returns @src exactly; minifying, the filter (a tent of one source pixel
 * and a box of sqrt (1/f^2 - 1) source pixels) has the variance of the
 * exact area average of square source pixels over the output pixel
 * (1/6 + w^2/12 = 1/12 + 1/(12 f^2)), and it is continuous in f.  A shape
 * drawn 4x larger and resampled matches the shape drawn at the size
 * (tests/test-sizes.c) where a plain box of 1 - f visibly blurs it. */
static SkcStatus
resample_kernel (const SkcKernel *src, double f, float angle,
                 SkcKernel **out)
{
  double    r = skc_kernel_radius (src) + 1.0;   /* bilinear support */
  int       side = canvas_side (f * r);
  double    foot = f < 1.0 ? sqrt (1.0 - f * f) : 0.0;  /* output px */
  int       n = foot > 0.0 ? (int) ceil (2.0 * foot / f) + 1 : 1;
  int       dc, sw2 = src->width / 2, sh2 = src->height / 2;
  double    c = cos ((double) angle), s = sin ((double) angle);
  SkcStatus st;

  if (side > SKC_MAX_KERNEL_SIZE)
    return SKC_ERR_INVALID;
  n = n > 16 ? 16 : n;
  st = skc_kernel_new (side, side, out);
  if (st != SKC_OK)
    return st;
  dc = side / 2;
  for (int i = 0; i < side; i++)
    for (int j = 0; j < side; j++)
      {
        double acc = 0.0;

        for (int b = 0; b < n; b++)
          for (int a = 0; a < n; a++)
            {
              double x = j - dc + ((a + 0.5) / n - 0.5) * foot;
              double y = i - dc + ((b + 0.5) / n - 0.5) * foot;

              /* The inverse of the screen rotation, then of the scale. */
              acc += bilerp_zero (src, (c * x - s * y) / f + sw2,
                                  (s * x + c * y) / f + sh2);
            }
        (*out)->data[(size_t) i * side + j] = (float) acc;
      }
  st = skc_kernel_normalize (*out);
  if (st != SKC_OK)
    {
      skc_kernel_free (*out);
      *out = NULL;
    }
  return st;
}

static double
kernel_diameter (const SkcKernel *k)
{
  int side = k->width > k->height ? k->width : k->height;

  return side > 3 ? side - 2 : 1;
}

static double
oversample (float size)
{
  double k = ceil (OVERSAMPLE * SKC_FAMILY_CANON_TOP / size);

  return k < 1.0 ? 1.0 : k > OVERSAMPLE ? OVERSAMPLE : k;
}

void
skc_family_canon (const SkcKernel *image, float *top, int *n_bases)
{
  int wide = image && image->width > 0 && image->height > 0
             && kernel_diameter (image) > SKC_FAMILY_CANON_TOP;

  *n_bases = SKC_FAMILY_CANON_BASES + wide;
  *top = wide ? (float) (SKC_FAMILY_CANON_TOP
                         * pow (SKC_FAMILY_CANON_TOP / SKC_FAMILY_CANON_MIN,
                                1.0 / (SKC_FAMILY_CANON_BASES - 1)))
              : SKC_FAMILY_CANON_TOP;
}

SkcStatus
skc_family_target (const SkcShapeParams *shape, const SkcKernel *kernel,
                   float size, float angle, SkcKernel **out)
{
  SkcShapeParams p;
  SkcKernel     *big = NULL;
  SkcStatus      st;
  int            side, big_side;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if ((!shape && !kernel) || !isfinite (size) || !(size > 0.0f)
      || size > MAX_DIAMETER || !isfinite (angle))
    return SKC_ERR_INVALID;

  if (kernel)
    {
      if (!kernel->data || kernel->width < 1 || kernel->height < 1)
        return SKC_ERR_INVALID;
      return resample_kernel (kernel, size / kernel_diameter (kernel), angle,
                              out);
    }

  p = *shape;
  if (p.type == SKC_SHAPE_GAUSSIAN)
    {
      /* Isotropic: no rotation.  Truncated at 4 sigma. */
      p.sigma = size / 6.0f;
      p.side_px = canvas_side (4.0 * p.sigma);
      if (p.side_px > SKC_MAX_KERNEL_SIZE)
        p.side_px = SKC_MAX_KERNEL_SIZE;
      return skc_shape_render (&p, out);
    }

  /* Draw OVERSAMPLE times larger, then average down exactly; a large
   * kernel less (down to once), at least OVERSAMPLE * SKC_FAMILY_CANON_TOP
   * px across: every basis of the canonical family is drawn as before,
   * while a large shape's outline pixels, whose samples grow with the
   * square of the oversampling, no longer dominate its drawing time. */
  big_side = ((int) ceil (oversample (size) * size) + 2) | 1;
  if (big_side > SKC_MAX_KERNEL_SIZE)
    big_side = SKC_MAX_KERNEL_SIZE;
  p.side_px = big_side;
  p.rotation_deg = (float) fmod (shape->rotation_deg + angle * (180.0 / M_PI),
                                 360.0);
  st = skc_shape_render (&p, &big);
  if (st != SKC_OK)
    return st;
  side = canvas_side (size / 2.0);
  st = skc_kernel_new (side, side, out);
  if (st == SKC_OK)
    st = area_downsample (big, size / (double) (big_side - 2), *out);
  if (st == SKC_OK)
    st = skc_kernel_normalize (*out);
  skc_kernel_free (big);
  if (st != SKC_OK)
    {
      skc_kernel_free (*out);
      *out = NULL;
    }
  return st;
}

SkcStatus
skc_kernel_target (const SkcShapeParams *shape, const SkcKernel *kernel,
                   float size, float angle, SkcKernel **out)
{
  return skc_family_target (shape, kernel, size, angle, out);
}

/* ---------------------------------------------------------------- fit */

void
skc_family_free (SkcFamily *family)
{
  if (!family)
    return;
  for (int k = 0; k < family->n_bases && k < SKC_MAX_BASES; k++)
    skc_complex_free (family->bases[k]);
  free (family);
}

SkcFamily *
skc_family_new (const SkcShapeParams *shape, const SkcKernel *kernel,
                float min_size, float max_size, int n_bases,
                SkcStatus *status)
{
  SkcFamily *fam;

  *status = SKC_ERR_INVALID;
  if ((!shape && !kernel) || n_bases < 1 || n_bases > SKC_MAX_BASES
      || !isfinite (min_size) || !isfinite (max_size)
      || !(min_size > 0.0f) || max_size > MAX_DIAMETER
      || max_size < min_size || (n_bases > 1 && !(max_size > min_size)))
    return NULL;
  *status = SKC_ERR_NOMEM;
  fam = calloc (1, sizeof *fam);
  if (!fam)
    return NULL;
  fam->n_bases = n_bases;
  for (int k = 0; k < n_bases; k++)
    fam->sizes[k] = n_bases == 1
                    ? max_size
                    : (float) (min_size * pow ((double) max_size / min_size,
                                               (double) k / (n_bases - 1)));
  fam->sizes[0] = n_bases == 1 ? max_size : min_size;
  fam->sizes[n_bases - 1] = max_size;
  *status = SKC_OK;
  return fam;
}

/* The bases' warm starts, and the threads that fit them.  Basis k starts
 * from from[k] (> k) once that one is done; bases whose starts are done
 * are fitted side by side, each by one thread (skc_fit_from is one run).
 * Each basis depends only on its start and the options, so the family is
 * the same whatever the thread count and the order bases finish in. */
typedef struct
{
  const SkcShapeParams *shape;
  const SkcKernel      *kernel;
  SkcFamily            *fam;
  SkcFitOptions         top, warm;     /* progress not set: see part_report */
  int                   from[SKC_MAX_BASES];
  int                   state[SKC_MAX_BASES];   /* 0 waiting, 1 fitting,
                                                 * 2 done */
  double                frac[SKC_MAX_BASES], cost[SKC_MAX_BASES];
  SkcStatus             status;
  int                   cancelled;
  const SkcFitOptions  *user;          /* the caller's progress callback */
  pthread_t             caller;
  pthread_mutex_t       lock;
  pthread_cond_t        cond;
} Sched;

typedef struct
{
  Sched *s;
  int    k;
} Part;

/* Progress of one basis: recorded; the caller's callback is called only
 * from the caller's own thread (with the whole family's fraction), so it
 * never runs on two threads.  Every part stops once one is cancelled. */
static int
part_report (double fraction, double loss, void *data)
{
  Part  *p = data;
  Sched *s = p->s;
  double done = 0.0, all = 0.0;
  int    report, stop;

  pthread_mutex_lock (&s->lock);
  s->frac[p->k] = fraction;
  for (int k = 0; k < s->fam->n_bases; k++)
    {
      done += s->frac[k] * s->cost[k];
      all += s->cost[k];
    }
  report = s->user->progress && pthread_equal (pthread_self (), s->caller);
  stop = s->cancelled;
  pthread_mutex_unlock (&s->lock);
  if (report && !stop && s->user->progress (done / all, loss,
                                            s->user->progress_data))
    {
      pthread_mutex_lock (&s->lock);
      s->cancelled = 1;
      pthread_mutex_unlock (&s->lock);
      stop = 1;
    }
  return stop;
}

/* Fit basis @k of the family (its start, if any, is done). */
static SkcStatus
fit_basis (Sched *s, int k)
{
  SkcFamily    *fam = s->fam;
  SkcKernel    *target = NULL;
  SkcFitOptions o = k == fam->n_bases - 1 ? s->top : s->warm;
  Part          part = { s, k };
  SkcStatus     st;

  o.progress = part_report;
  o.progress_data = &part;
  o.max_reach = (float) (SKC_FAMILY_REACH * fam->sizes[k]
                         + SKC_FAMILY_REACH_PAD);
  st = skc_family_target (s->shape, s->kernel, fam->sizes[k], 0.0f, &target);
  if (st != SKC_OK)
    return st;
  if (k == fam->n_bases - 1)
    st = skc_fit (target, &o, &fam->bases[k]);
  else
    {
      SkcComplex *start = NULL;
      float       ratio = fam->sizes[k] / fam->sizes[s->from[k]];

      st = skc_complex_copy (fam->bases[s->from[k]], &start);
      if (st == SKC_OK)
        {
          int n = skc_complex_total_taps (start);

          for (int i = 0; i < n; i++)
            {
              start->taps[i].ox *= ratio;
              start->taps[i].oy *= ratio;
            }
          st = skc_fit_from (target, &o, start, &fam->bases[k]);
        }
      skc_complex_free (start);
    }
  if (st == SKC_OK)
    skc_ascii_snprintf (fam->bases[k]->kernel_name,
                        sizeof fam->bases[k]->kernel_name, "%s@%.2fpx",
                        s->kernel ? "kernel" : skc_shape_name (s->shape->type),
                        (double) fam->sizes[k]);
  skc_kernel_free (target);
  return st;
}

/* A worker: the largest basis whose start is done, until none is left. */
static void
sched_work (Sched *s)
{
  int n = s->fam->n_bases;

  pthread_mutex_lock (&s->lock);
  for (;;)
    {
      int k, pending = 0;

      if (s->status != SKC_OK || s->cancelled)
        break;
      for (k = n - 2; k >= 0; k--)
        {
          pending += s->state[k] != 2;
          if (s->state[k] == 0 && s->state[s->from[k]] == 2)
            break;
        }
      if (k < 0)
        {
          if (!pending)
            break;
          pthread_cond_wait (&s->cond, &s->lock);
          continue;
        }
      s->state[k] = 1;
      pthread_mutex_unlock (&s->lock);
      {
        SkcStatus st = fit_basis (s, k);

        pthread_mutex_lock (&s->lock);
        s->state[k] = 2;
        s->frac[k] = 1.0;
        if (st != SKC_OK && s->status == SKC_OK)
          s->status = st;
      }
      pthread_cond_broadcast (&s->cond);
    }
  pthread_cond_broadcast (&s->cond);
  pthread_mutex_unlock (&s->lock);
}

static void
sched_func (void *data, int index)
{
  sched_work (data);
}

SkcStatus
skc_family_fit (const SkcShapeParams *shape, const SkcKernel *kernel,
                float min_size, float max_size, int n_bases,
                const SkcFitOptions *options, SkcFamily **out)
{
  Sched     s;
  SkcStatus st = SKC_OK;
  int       n_threads;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!options || options->struct_size < sizeof *options)
    return SKC_ERR_INVALID;
  memset (&s, 0, sizeof s);
  s.fam = skc_family_new (shape, kernel, min_size, max_size, n_bases, &st);
  if (!s.fam)
    return st;
  s.shape = shape;
  s.kernel = kernel;
  s.user = options;
  s.caller = pthread_self ();
  s.top = *options;
  s.warm = *options;
  s.warm.lr_offset[0] *= 0.25f;
  s.warm.lr_weight[0] *= 0.25f;
  s.warm.steps = (options->steps + 1) / 2;
  s.warm.n_threads = 1;
  for (int k = 0; k < n_bases; k++)
    {
      int from = k + 1;

      /* The nearest larger basis at least MIN_HOP times larger (the
       * largest when none is): see the comment at the top. */
      while (from < n_bases - 1 && s.fam->sizes[k] * MIN_HOP > s.fam->sizes[from])
        from++;
      s.from[k] = from < n_bases ? from : k;
      /* a warm basis runs half the steps of the top one's final run */
      s.cost[k] = (double) s.fam->sizes[k] * s.fam->sizes[k]
                  * (k == n_bases - 1 ? 2.0 : 1.0);
    }
  pthread_mutex_init (&s.lock, NULL);
  pthread_cond_init (&s.cond, NULL);

  /* The largest basis first, with all the threads its multi-start takes;
   * then the others, side by side as their starts are done. */
  st = fit_basis (&s, n_bases - 1);
  s.state[n_bases - 1] = 2;
  if (st == SKC_OK && n_bases > 1)
    {
      n_threads = skc_thread_count (options->n_threads);
      n_threads = n_threads > n_bases - 1 ? n_bases - 1 : n_threads;
      skc_parallel_run (n_threads, sched_func, &s);
      st = s.cancelled ? SKC_ERR_CANCELLED : s.status;
    }
  pthread_mutex_destroy (&s.lock);
  pthread_cond_destroy (&s.cond);
  if (st != SKC_OK)
    {
      skc_family_free (s.fam);
      return st;
    }
  *out = s.fam;
  return SKC_OK;
}

/* ---------------------------------------------------------------- eval */

void
skc_family_locate (const SkcFamily *family, float size, int *basis,
                   int *lerp, float *t)
{
  int m = family->n_bases;

  *lerp = 0;
  if (!(size > 0.0f))
    {
      *basis = 0;
      *t = 0.0f;
    }
  else if (size < family->sizes[0])
    {
      *basis = 0;
      *t = size / family->sizes[0];
    }
  else if (size >= family->sizes[m - 1])
    {
      *basis = m - 1;
      *t = size / family->sizes[m - 1];
    }
  else
    {
      int k = 0;

      while (k + 2 < m && size >= family->sizes[k + 1])
        k++;
      *basis = k;
      *lerp = 1;
      *t = (size - family->sizes[k])
           / (family->sizes[k + 1] - family->sizes[k]);
    }
}

SkcStatus
skc_family_eval (const SkcFamily *family, float size, float angle,
                 SkcComplex *out)
{
  const SkcComplex *a, *b;
  int               k, lerp, n, rotate;
  float             t, c = 1.0f, s = 0.0f;

  if (!family || !out || family->n_bases < 1
      || family->n_bases > SKC_MAX_BASES || !family->bases[0])
    return SKC_ERR_INVALID;
  a = family->bases[0];
  if (out->n_layers != a->n_layers || !out->taps
      || memcmp (out->n_samples, a->n_samples,
                 (size_t) a->n_layers * sizeof *a->n_samples))
    return SKC_ERR_INVALID;
  n = skc_complex_total_taps (a);
  skc_family_locate (family, size, &k, &lerp, &t);
  a = family->bases[k];
  b = lerp ? family->bases[k + 1] : a;
  rotate = angle != 0.0f && isfinite (angle);
  if (rotate)
    skc_rotation (angle, &c, &s);
  for (int i = 0; i < n; i++)
    {
      const SkcTap *p = &a->taps[i], *r = &b->taps[i];
      SkcTap       *q = &out->taps[i];

      skc_tap_at_size (p->ox, p->oy, p->w, r->ox - p->ox, r->oy - p->oy,
                       r->w - p->w, t, c, s, lerp, rotate, &q->ox, &q->oy,
                       &q->w);
    }
  return SKC_OK;
}

/* ---------------------------------------------------------------- uniform */

/* @next in place of *@c and its plan *@p when a plan of it can be made
 * (the old pair freed); else @next freed and the plan's status. */
static SkcStatus
adopt (SkcComplex **c, SkcPlan **p, SkcComplex *next)
{
  SkcPlan  *q = NULL;
  SkcStatus st = skc_plan_new (next, &q);

  if (st != SKC_OK)
    {
      skc_complex_free (next);
      return st;
    }
  skc_plan_free (*p);
  skc_complex_free (*c);
  *p = q;
  *c = next;
  return SKC_OK;
}

SkcStatus
skc_family_uniform (const SkcFamily *family, const SkcKernel *target,
                    float size, float angle, SkcComplex **complex,
                    SkcPlan **plan, int *dense)
{
  SkcComplex *c = NULL, *d = NULL;
  SkcPlan    *p = NULL;
  SkcStatus   st;
  int         is_dense = 0;

  if (!complex || !plan)
    return SKC_ERR_INVALID;
  *complex = NULL;
  *plan = NULL;
  if (dense)
    *dense = 0;
  if (!family || family->n_bases < 1 || family->n_bases > SKC_MAX_BASES
      || !family->bases[0])
    return SKC_ERR_INVALID;
  st = skc_complex_copy (family->bases[0], &c);
  if (st != SKC_OK)
    return st;
  st = skc_family_eval (family, size, angle, c);
  if (st == SKC_OK)
    st = skc_plan_new (c, &p);
  if (st == SKC_OK && target)
    {
      /* The dense kernel in one layer (summed branches cost far more per
       * entry) when it has at most SKC_FAMILY_DENSE_COST times the
       * complex's entries: exact, at the small sizes where a family loses
       * most, and no slower (one pass where the complex makes 4). */
      double    cap = SKC_FAMILY_DENSE_COST * skc_plan_entries (p);
      SkcStatus ds = skc_complex_from_kernel (
        target, cap < SKC_MAX_SAMPLES ? (int) cap : SKC_MAX_SAMPLES, &d);

      if (ds == SKC_OK)
        ds = adopt (&c, &p, d);
      else
        skc_complex_free (d);
      if (ds == SKC_OK)
        is_dense = 1;
      else if (ds == SKC_ERR_NOMEM || ds == SKC_ERR_INVALID)
        st = ds;
    }
  /* Between the dense sizes and the top basis, an interpolation of two
   * bases: polished at the size and angle (skc-polish.c). */
  if (st == SKC_OK && target && !is_dense && size > 0.0f
      && size < family->sizes[family->n_bases - 1]
      && skc_complex_n_branches (c) == 1)
    {
      SkcComplex *polished = NULL;

      st = skc_family_polish (c, target, size, &polished);
      if (st == SKC_OK && polished)
        st = adopt (&c, &p, polished);
    }
  /* Beyond the top basis, its offsets scaled: widened (skc-polish.c). */
  if (st == SKC_OK && !is_dense && family->n_bases > 1
      && size > family->sizes[family->n_bases - 1]
      && skc_complex_n_branches (c) == 1
      && c->n_layers + 2 <= SKC_MAX_LAYERS)
    {
      SkcComplex *wide = NULL;

      st = skc_family_widen (c, size, family->sizes[family->n_bases - 1],
                             &wide);
      if (st == SKC_OK && wide)
        st = adopt (&c, &p, wide);
    }
  if (st != SKC_OK)
    {
      skc_plan_free (p);
      skc_complex_free (c);
      return st;
    }
  *complex = c;
  *plan = p;
  if (dense)
    *dense = is_dense;
  return SKC_OK;
}

/* ---------------------------------------------------------------- halo */

/* Largest |o| (Euclidean, so that any rotation is covered) of layer @l of
 * the family at any diameter in [0, @max_size].  Offsets are piecewise
 * linear in the diameter, so their norms are convex on every piece and
 * the maximum is at a basis below @max_size or at @max_size itself. */
double
skc_family_layer_reach (const SkcFamily *family, int l, float max_size)
{
  const SkcTap *ta, *tb;
  double        m = 0.0;
  int           k, lerp;
  float         t;

  if (!(max_size > 0.0f))
    return 0.0;
  for (int j = 0; j < family->n_bases && family->sizes[j] <= max_size; j++)
    {
      ta = skc_complex_layer (family->bases[j], l);
      for (int i = 0; i < family->bases[j]->n_samples[l]; i++)
        m = fmax (m, hypot (ta[i].ox, ta[i].oy));
    }
  skc_family_locate (family, max_size, &k, &lerp, &t);
  ta = skc_complex_layer (family->bases[k], l);
  tb = lerp ? skc_complex_layer (family->bases[k + 1], l) : NULL;
  for (int i = 0; i < family->bases[k]->n_samples[l]; i++)
    {
      float x = tb ? ta[i].ox + t * (tb[i].ox - ta[i].ox) : ta[i].ox * t;
      float y = tb ? ta[i].oy + t * (tb[i].oy - ta[i].oy) : ta[i].oy * t;

      m = fmax (m, hypot (x, y));
    }
  return m;
}

/* The reach in whole pixels, with room for float rounding of rotated
 * offsets (a nonzero bilinear weight never lies farther). */
double
skc_family_layer_extent (const SkcFamily *family, int l, float max_size)
{
  double m = skc_family_layer_reach (family, l, max_size);

  return m > 0.0 ? ceil (m * (1.0 + 1e-5) + 1e-4) : 0.0;
}

int
skc_family_halo_bound (float max_size, float top_size, int n_layers)
{
  double r;

  if (!(max_size > 0.0f) || !(top_size > 0.0f) || n_layers < 1
      || n_layers > SKC_MAX_LAYERS || !isfinite (max_size))
    return n_layers >= 1 && n_layers <= SKC_MAX_LAYERS ? 1 + n_layers : 1;
  /* Every basis k: reach <= R s_k + P (fit_basis).  Between bases and
   * below the first the reach is at most the convex combination, R s + P;
   * beyond the largest it scales: (R top + P) s / top.  skc_family_halo
   * adds per layer at most one pixel of rounding up (and 1e-5 of relative
   * slack); the plan of an evaluated complex also rounds up per layer and
   * adds a pixel of bilinear stencil per layer. */
  r = SKC_FAMILY_REACH * max_size
      + SKC_FAMILY_REACH_PAD * fmax (1.0, max_size / top_size);
  r = ceil (r * (1.0 + 1e-5) + 1e-3) + 2 * n_layers + 2;
  /* beyond the top, the uniform filter's two widening layers
   * (skc_family_widen), each with its pixel of stencil */
  if (max_size > top_size)
    r += 2 * skc_family_blur_radius (max_size, top_size, n_layers) + 2;
  return r > 1e6 ? 1000000 : (int) r;
}

int
skc_family_halo (const SkcFamily *family, float max_size)
{
  double h = 1.0;

  if (!family || family->n_bases < 1 || family->n_bases > SKC_MAX_BASES
      || !family->bases[0])
    return 0;
  for (int l = 0; l < family->bases[0]->n_layers; l++)
    h += skc_family_layer_extent (family, l, max_size);
  return h > 1e6 ? 1000000 : (int) h;
}
