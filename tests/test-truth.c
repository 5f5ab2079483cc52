/* Independent references for the tests: see test-truth.h. */
#include "test-truth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const SkcTap *
layer_taps (const SkcComplex *c, int layer)
{
  const SkcTap *t = c->taps;

  for (int l = 0; l < layer; l++)
    t += c->n_samples[l];
  return t;
}

/* One layer: dst(p) = sum_i w_i src(p + o_i), bilinear; outside the plane
 * a sample is 0 (@clamp 0) or the nearest edge pixel (@clamp 1). */
static void
gather (const double *src, double *dst, int w, int h, const SkcTap *t, int n,
        int clamp)
{
  memset (dst, 0, sizeof *dst * (size_t) w * h);
  for (int i = 0; i < n; i++)
    {
      double fx0 = floor (t[i].ox), fy0 = floor (t[i].oy);
      double fx = t[i].ox - fx0, fy = t[i].oy - fy0;
      int    dx = (int) fx0, dy = (int) fy0;
      double wt[4] = { (1 - fx) * (1 - fy) * t[i].w, fx * (1 - fy) * t[i].w,
                       (1 - fx) * fy * t[i].w, fx * fy * t[i].w };

      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          {
            double acc = 0.0;

            for (int k = 0; k < 4; k++)
              {
                int sx = x + dx + (k & 1), sy = y + dy + (k >> 1);

                if (clamp)
                  {
                    sx = sx < 0 ? 0 : sx >= w ? w - 1 : sx;
                    sy = sy < 0 ? 0 : sy >= h ? h - 1 : sy;
                  }
                else if (sx < 0 || sy < 0 || sx >= w || sy >= h)
                  continue;
                acc += wt[k] * src[(size_t) sy * w + sx];
              }
            dst[(size_t) y * w + x] += acc;
          }
    }
}

/* @c's layers in turn on @plane (w x h doubles), in place. */
static void
run_layers (const SkcComplex *c, double *plane, int w, int h, int clamp)
{
  double *tmp = malloc (sizeof *tmp * (size_t) w * h);

  for (int l = 0; tmp && l < c->n_layers; l++)
    {
      gather (plane, tmp, w, h, layer_taps (c, l), c->n_samples[l], clamp);
      memcpy (plane, tmp, sizeof *tmp * (size_t) w * h);
    }
  free (tmp);
}

double *
truth_response (const SkcComplex *c, int side)
{
  double *r = calloc ((size_t) side * side, sizeof *r);

  if (!r)
    return NULL;
  r[(size_t) (side / 2) * side + side / 2] = 1.0;
  run_layers (c, r, side, side, 0);
  return r;
}

void
truth_apply (const SkcComplex *c, const float *in, int w, int h, float *out)
{
  size_t  n = (size_t) w * h;
  double *p = malloc (sizeof *p * n);

  if (!p)
    return;
  for (size_t i = 0; i < n; i++)
    p[i] = in[i];
  run_layers (c, p, w, h, 1);
  for (size_t i = 0; i < n; i++)
    out[i] = (float) p[i];
  free (p);
}

void
truth_convolve (const float *in, int w, int h, const SkcKernel *k, int stride,
                float *out)
{
  int kw = k->width, kh = k->height;

  if (stride < 1)
    stride = 1;
  memset (out, 0, sizeof *out * (size_t) w * h);
  for (int y = 0; y < h; y += stride)
    for (int x = 0; x < w; x += stride)
      {
        double acc = 0.0;

        for (int v = 0; v < kh; v++)
          {
            int sy = y - (v - kh / 2);

            sy = sy < 0 ? 0 : sy >= h ? h - 1 : sy;
            for (int u = 0; u < kw; u++)
              {
                float wt = k->data[(size_t) v * kw + u];
                int   sx = x - (u - kw / 2);

                if (wt == 0.0f)
                  continue;
                sx = sx < 0 ? 0 : sx >= w ? w - 1 : sx;
                acc += (double) wt * in[(size_t) sy * w + sx];
              }
          }
        out[(size_t) y * w + x] = (float) acc;
      }
}

SkcComplex *
truth_turn (const SkcComplex *c, double scale, double angle)
{
  SkcComplex *t = NULL;
  int         n = 0;
  double      cs = cos (angle), sn = sin (angle);

  if (skc_complex_copy (c, &t) != SKC_OK)
    return NULL;
  for (int l = 0; l < c->n_layers; l++)
    n += c->n_samples[l];
  /* Counter-clockwise on screen, where y points down: (x, y) goes to
   * (x cos a + y sin a, -x sin a + y cos a). */
  for (int i = 0; i < n; i++)
    {
      double x = c->taps[i].ox, y = c->taps[i].oy;

      t->taps[i].ox = (float) (scale * (x * cs + y * sn));
      t->taps[i].oy = (float) (scale * (-x * sn + y * cs));
    }
  return t;
}

/* @target normalized to sum 1, centred on a side x side canvas. */
static double *
embed_target (const SkcKernel *target, int side, double *peak)
{
  double *t = calloc ((size_t) side * side, sizeof *t);
  double  sum = 0.0;
  int     ox = side / 2 - target->width / 2, oy = side / 2 - target->height / 2;

  if (!t)
    return NULL;
  for (size_t i = 0; i < (size_t) target->width * target->height; i++)
    sum += target->data[i];
  *peak = 0.0;
  for (int y = 0; y < target->height; y++)
    for (int x = 0; x < target->width; x++)
      {
        double v = target->data[(size_t) y * target->width + x] / sum;

        t[(size_t) (y + oy) * side + x + ox] = v;
        *peak = v > *peak ? v : *peak;
      }
  return t;
}

double
truth_loss (const SkcComplex *c, const SkcKernel *target, int side, double eps)
{
  double  peak, loss = 0.0;
  double *t = embed_target (target, side, &peak);
  double *r = truth_response (c, side);
  size_t  n = (size_t) side * side;

  for (size_t i = 0; t && r && i < n; i++)
    {
      double e = (r[i] - t[i]) / peak;

      loss += sqrt (e * e + eps * eps);
    }
  free (t);
  free (r);
  return loss / (double) n;
}

/* Half-size of a square that holds @c's whole response: per layer, the
 * largest |ox| or |oy| rounded up, plus one for bilinear reads. */
static int
reach_of (const SkcComplex *c)
{
  int reach = 0;

  for (int l = 0, k = 0; l < c->n_layers; l++)
    {
      double m = 0.0;

      for (int i = 0; i < c->n_samples[l]; i++, k++)
        m = fmax (m, fmax (fabs (c->taps[k].ox), fabs (c->taps[k].oy)));
      reach += (int) ceil (m) + 1;
    }
  return reach;
}

double
truth_kernel_psnr (const SkcComplex *c, const SkcKernel *target)
{
  int     side;
  double  peak, sse = 0.0;
  double *t, *r;

  side = 2 * reach_of (c) + 1;
  side = side > target->width ? side : target->width;
  side = (side > target->height ? side : target->height) | 1;
  t = embed_target (target, side, &peak);
  r = truth_response (c, side);
  if (!t || !r)
    {
      free (t);
      free (r);
      return NAN;
    }
  for (int y = 0; y < target->height; y++)
    for (int x = 0; x < target->width; x++)
      {
        size_t i = (size_t) (y + side / 2 - target->height / 2) * side
                   + x + side / 2 - target->width / 2;
        double d = r[i] - t[i];

        sse += d * d;
      }
  free (t);
  free (r);
  return 10.0 * log10 (peak * peak * target->width * target->height / sse);
}

double
truth_psnr (const float *a, const float *b, size_t n, double peak)
{
  double sse = 0.0;

  for (size_t i = 0; i < n; i++)
    {
      double d = (double) a[i] - b[i];

      sse += d * d;
    }
  return sse == 0.0 ? INFINITY : 10.0 * log10 (peak * peak * (double) n / sse);
}

double
truth_image_psnr (const SkcComplex *c, const SkcKernel *k, const float *plane,
                  int w, int h)
{
  size_t     n = (size_t) w * h, kn = (size_t) k->width * k->height;
  int        frame = reach_of (c);
  float     *a = malloc (sizeof *a * n), *b = malloc (sizeof *b * n);
  SkcKernel  unit = *k;
  float     *kd = malloc (sizeof *kd * kn);
  double     sum = 0.0, sse = 0.0;
  long       count = 0;

  frame = frame > k->width / 2 + 1 ? frame : k->width / 2 + 1;
  frame = frame > k->height / 2 + 1 ? frame : k->height / 2 + 1;
  if (!a || !b || !kd || w <= 2 * frame || h <= 2 * frame)
    {
      free (a);
      free (b);
      free (kd);
      return NAN;
    }
  for (size_t i = 0; i < kn; i++)
    sum += k->data[i];
  for (size_t i = 0; i < kn; i++)
    kd[i] = (float) (k->data[i] / sum);
  unit.data = kd;
  truth_apply (c, plane, w, h, a);
  truth_convolve (plane, w, h, &unit, 1, b);
  for (int y = frame; y < h - frame; y++)
    for (int x = frame; x < w - frame; x++, count++)
      {
        double d = (double) a[(size_t) y * w + x] - b[(size_t) y * w + x];

        sse += d * d;
      }
  free (a);
  free (b);
  free (kd);
  return sse == 0.0 ? INFINITY : 10.0 * log10 ((double) count / sse);
}
