/* Differentiable synthesis of a complex's impulse response, and the
 * gradient of the Charbonnier loss against a target kernel (METHOD.md 2).
 *
 * Forward: X_0 is a unit impulse at the canvas centre; layer l gathers
 *     X_l(p) = sum_i w_i bilerp (X_{l-1}, p + o_i)
 * and the loss is  mean_p sqrt ((s (X_L(p) - T(p)))^2 + eps^2)  with s
 * chosen so the target's peak is 1.
 *
 * Backward, with G_l = dLoss/dX_l and a b c d the four neighbours of p + o_i
 * (top-left, top-right, bottom-left, bottom-right), fx fy its fractions:
 *     dL/dw_i  = sum_p G_l(p) bilerp_i(p)
 *     dL/dox_i = w_i sum_p G_l(p) ((1-fy)(b-a) + fy(d-c))
 *     dL/doy_i = w_i sum_p G_l(p) ((1-fx)(c-a) + fx(d-b))
 * and G_{l-1} is the transpose of the gather, which we evaluate as a gather
 * of G_l with mirrored offsets, so it is only computed where it is needed.
 *
 * Speed comes from three things.  Every X_l is only non-zero inside a box
 * that follows from the previous box and the layer's offset range, so each
 * layer works on its box only (the first layers are tiny).  Buffers carry a
 * zero pad as wide as the largest offset, so inner loops never test bounds.
 * And inner loops are written as straight float row operations (and
 * reductions into eight fixed lanes) that the compiler vectorises; the
 * order of every sum is fixed, so results do not depend on the ISA.
 */
#include "skc.h"
#include "skc-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  int x0, y0, x1, y1;   /* half-open, padded coordinates */
} Box;

struct SkcGradWork
{
  int    canvas;        /* side of the canvas                          */
  int    pad;           /* zero frame around the canvas                */
  int    stride;        /* canvas + 2 pad                              */
  int    max_offset;
  float  eps;
  float  scale;         /* 1 / target peak                             */
  float *target;        /* canvas^2, target embedded at the centre     */
  float *x[SKC_MAX_LAYERS + 1];  /* X_0 .. X_L, stride^2 each          */
  float *g[2];          /* ping-pong gradient buffers                  */
  Box    xbox[SKC_MAX_LAYERS + 1];
  Box    gbox[2];
  int    n_layers;      /* of the last evaluation                      */
  int    n_scales;      /* extra coarse scales in the loss             */
  float *err;           /* canvas^2: scaled error, then its box blurs  */
  float *gcanvas;       /* canvas^2: dLoss/dX_L                        */
  float *tmp;           /* 4 canvas^2 scratch for the coarse scales    */
  double *acc;          /* canvas: running column sums                 */
};

static size_t
plane_size (const SkcGradWork *w)
{
  return (size_t) w->stride * (size_t) w->stride;
}

SkcStatus
skc_grad_work_new (const SkcKernel *target, int canvas, int max_offset,
                   float eps, SkcGradWork **out)
{
  SkcGradWork *w;
  float        peak;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!target || canvas < target->width || canvas < target->height
      || canvas > 4 * SKC_MAX_KERNEL_SIZE || max_offset < 1
      || max_offset > (int) SKC_MAX_OFFSET || !(eps > 0.0f))
    return SKC_ERR_INVALID;
  peak = skc_kernel_peak (target);
  if (!(peak > 0.0f) || !isfinite (peak))
    return SKC_ERR_EMPTY;

  w = calloc (1, sizeof *w);
  if (!w)
    return SKC_ERR_NOMEM;
  w->canvas = canvas | 1;
  w->pad = max_offset + 2;
  w->stride = w->canvas + 2 * w->pad;
  w->max_offset = max_offset;
  w->eps = eps;
  w->scale = 1.0f / peak;
  w->target = calloc ((size_t) w->canvas * w->canvas, sizeof (float));
  w->err = calloc ((size_t) w->canvas * w->canvas, sizeof (float));
  w->gcanvas = calloc ((size_t) w->canvas * w->canvas, sizeof (float));
  w->tmp = calloc ((size_t) 4 * w->canvas * w->canvas, sizeof (float));
  w->acc = calloc ((size_t) w->canvas, sizeof (double));
  for (int l = 0; l <= SKC_MAX_LAYERS; l++)
    w->x[l] = calloc (plane_size (w), sizeof (float));
  w->g[0] = calloc (plane_size (w), sizeof (float));
  w->g[1] = calloc (plane_size (w), sizeof (float));
  {
    int ok = w->target && w->g[0] && w->g[1] && w->err && w->gcanvas && w->tmp && w->acc;

    for (int l = 0; l <= SKC_MAX_LAYERS; l++)
      ok = ok && w->x[l];
    if (!ok)
      {
        skc_grad_work_free (w);
        return SKC_ERR_NOMEM;
      }
  }
  {
    int ox = w->canvas / 2 - target->width / 2;
    int oy = w->canvas / 2 - target->height / 2;

    for (int y = 0; y < target->height; y++)
      for (int x = 0; x < target->width; x++)
        w->target[(size_t) (y + oy) * w->canvas + x + ox]
          = target->data[(size_t) y * target->width + x];
  }
  *out = w;
  return SKC_OK;
}

void
skc_grad_work_free (SkcGradWork *w)
{
  if (!w)
    return;
  free (w->target);
  free (w->err);
  free (w->gcanvas);
  free (w->tmp);
  free (w->acc);
  for (int l = 0; l <= SKC_MAX_LAYERS; l++)
    free (w->x[l]);
  free (w->g[0]);
  free (w->g[1]);
  free (w);
}

void
skc_grad_work_set_scales (SkcGradWork *w, int n_scales)
{
  w->n_scales = n_scales < 0 ? 0 : n_scales > SKC_MAX_LOSS_SCALES ? SKC_MAX_LOSS_SCALES : n_scales;
}

int
skc_grad_work_max_offset (const SkcGradWork *w)
{
  return w->max_offset;
}

static void
box_clear (float *buf, int stride, const Box *b)
{
  for (int y = b->y0; y < b->y1; y++)
    memset (buf + (size_t) y * stride + b->x0, 0,
            (size_t) (b->x1 - b->x0) * sizeof *buf);
}

static int
box_empty (const Box *b)
{
  return b->x1 <= b->x0 || b->y1 <= b->y0;
}

/* Offsets as used by the inner loops: integer part, fractions, and the four
 * bilinear weights times the tap weight. */
typedef struct
{
  int   ix, iy;
  float fx, fy;
  float c00, c01, c10, c11;
} TapSplit;

static void
tap_split (const SkcTap *t, float max_offset, TapSplit *s)
{
  float ox = fminf (fmaxf (t->ox, -max_offset), max_offset);
  float oy = fminf (fmaxf (t->oy, -max_offset), max_offset);
  float flx = floorf (ox), fly = floorf (oy);

  s->ix = (int) flx;
  s->iy = (int) fly;
  s->fx = ox - flx;
  s->fy = oy - fly;
  s->c00 = t->w * (1.0f - s->fx) * (1.0f - s->fy);
  s->c01 = t->w * s->fx * (1.0f - s->fy);
  s->c10 = t->w * (1.0f - s->fx) * s->fy;
  s->c11 = t->w * s->fx * s->fy;
}

/* The box where a gather with offsets in [minx, maxx] x [miny, maxy] of
 * something non-zero only in @in can be non-zero, clipped to the canvas. */
static Box
box_after_gather (const SkcGradWork *w, const Box *in, const TapSplit *s,
                  int n)
{
  int  minx = s[0].ix, maxx = s[0].ix, miny = s[0].iy, maxy = s[0].iy;
  Box  b;
  int  lo = w->pad, hi = w->pad + w->canvas;

  for (int i = 1; i < n; i++)
    {
      minx = s[i].ix < minx ? s[i].ix : minx;
      maxx = s[i].ix > maxx ? s[i].ix : maxx;
      miny = s[i].iy < miny ? s[i].iy : miny;
      maxy = s[i].iy > maxy ? s[i].iy : maxy;
    }
  /* p contributes when ix + p + {0,1} hits [in.x0, in.x1). */
  b.x0 = in->x0 - maxx - 1;
  b.x1 = in->x1 - minx;
  b.y0 = in->y0 - maxy - 1;
  b.y1 = in->y1 - miny;
  b.x0 = b.x0 < lo ? lo : b.x0;
  b.y0 = b.y0 < lo ? lo : b.y0;
  b.x1 = b.x1 > hi ? hi : b.x1;
  b.y1 = b.y1 > hi ? hi : b.y1;
  return b;
}

/* Row kernel of every gather:  d[x] += k00 r0[x] + k01 r0[x+1]
 *                                    + k10 r1[x] + k11 r1[x+1]          */
static void
stencil_rows (float *restrict dst, const float *restrict r0, int stride,
              const Box *b, float k00, float k01, float k10, float k11)
{
  int n = b->x1 - b->x0;

  for (int y = b->y0; y < b->y1; y++)
    {
      float       *d = dst + (size_t) y * stride + b->x0;
      const float *s0 = r0 + (size_t) (y - b->y0) * stride;
      const float *s1 = s0 + stride;

      for (int x = 0; x < n; x++)
        d[x] += k00 * s0[x] + k01 * s0[x + 1] + k10 * s1[x] + k11 * s1[x + 1];
    }
}

/* Forward gather of one tap over @b: dst(p) += sum of c * src(p + o + {0,1}^2). */
static void
gather_box (float *dst, const float *src, int stride, const Box *b,
            const TapSplit *s)
{
  const float *r0 = src + (size_t) (b->y0 + s->iy) * stride + b->x0 + s->ix;

  stencil_rows (dst, r0, stride, b, s->c00, s->c01, s->c10, s->c11);
}

/* Transposed gather of one tap over @b: q receives c_ab * src(q - o - (b,a)).
 * Starting one row up and one column left of q - o, the stencil is the
 * forward one mirrored: r0[x] is q - o - (1,1), r0[x+1] is q - o - (0,1),
 * r1[x] is q - o - (1,0) and r1[x+1] is q - o. */
static void
gather_box_transposed (float *dst, const float *src, int stride, const Box *b,
                       const TapSplit *s)
{
  const float *r0 = src + (size_t) (b->y0 - s->iy - 1) * stride
                    + b->x0 - s->ix - 1;

  stencil_rows (dst, r0, stride, b, s->c11, s->c10, s->c01, s->c00);
}

/* Correlations of G with the four neighbours of the shifted input, summed
 * over @b: out[0..3] = sum G a, sum G b, sum G c, sum G d. */
static void
correlate_box (const float *restrict g, const float *restrict src, int stride,
               const Box *b, const TapSplit *s, double out[4])
{
  float la[8] = { 0 }, lb[8] = { 0 }, lc[8] = { 0 }, ld[8] = { 0 };
  int   n = b->x1 - b->x0;
  int   n8 = n & ~7;

  for (int y = b->y0; y < b->y1; y++)
    {
      const float *gr = g + (size_t) y * stride + b->x0;
      const float *s0 = src + (size_t) (y + s->iy) * stride + b->x0 + s->ix;
      const float *s1 = s0 + stride;
      int          x;

      for (x = 0; x < n8; x += 8)
        for (int k = 0; k < 8; k++)
          {
            float gv = gr[x + k];
            la[k] += gv * s0[x + k];
            lb[k] += gv * s0[x + k + 1];
            lc[k] += gv * s1[x + k];
            ld[k] += gv * s1[x + k + 1];
          }
      for (; x < n; x++)
        {
          float gv = gr[x];
          la[x & 7] += gv * s0[x];
          lb[x & 7] += gv * s0[x + 1];
          lc[x & 7] += gv * s1[x];
          ld[x & 7] += gv * s1[x + 1];
        }
    }
  out[0] = out[1] = out[2] = out[3] = 0.0;
  for (int k = 0; k < 8; k++)
    {
      out[0] += la[k];
      out[1] += lb[k];
      out[2] += lc[k];
      out[3] += ld[k];
    }
}

/* Vertical box sum of radius r over an S x S plane, zero outside: a
 * running sum kept per column, updated a whole row at a time, so the inner
 * loops are plain vector adds.  The sums are double so that adding and
 * removing rows leaves no drift (the gradient test sees float drift). */
static void
box_vertical (const float *restrict src, float *restrict dst, double *restrict acc,
              int S, int r, float norm)
{
  memset (acc, 0, (size_t) S * sizeof *acc);
  for (int y = 0; y < r && y < S; y++)
    for (int x = 0; x < S; x++)
      acc[x] += src[(size_t) y * S + x];
  for (int y = 0; y < S; y++)
    {
      float *d = dst + (size_t) y * S;

      if (y + r < S)
        {
          const float *a = src + (size_t) (y + r) * S;
          for (int x = 0; x < S; x++)
            acc[x] += a[x];
        }
      if (y - r - 1 >= 0)
        {
          const float *b = src + (size_t) (y - r - 1) * S;
          for (int x = 0; x < S; x++)
            acc[x] -= b[x];
        }
      for (int x = 0; x < S; x++)
        d[x] = (float) acc[x] * norm;
    }
}

static void
transpose (const float *restrict src, float *restrict dst, int S)
{
  for (int y = 0; y < S; y++)
    for (int x = 0; x < S; x++)
      dst[(size_t) x * S + y] = src[(size_t) y * S + x];
}

/* Box blur (mean) of radius r, zero outside the plane.  The blur matrix is
 * symmetric, so the same call applies its transpose in the backward pass.
 * @tmp holds S * S floats, @acc S doubles. */
static void
box_blur (const float *src, float *tmp, double *acc, float *dst, int S, int r)
{
  float norm = 1.0f / (float) (2 * r + 1);

  box_vertical (src, dst, acc, S, r, norm);
  transpose (dst, tmp, S);
  box_vertical (tmp, dst, acc, S, r, norm);
  transpose (dst, tmp, S);
  memcpy (dst, tmp, (size_t) S * S * sizeof *dst);
}

/* Charbonnier over the canvas at scale 0 (pixels) and at n_scales coarser
 * scales (box blurs of radius 1, 2, 4, ... of the error): the coarse terms
 * weigh the low frequencies that dominate the error on natural images.
 * Fills w->gcanvas with dLoss/dX_L when @want_grad. */
static double
loss_and_gradient (SkcGradWork *w, int want_grad)
{
  int     S = w->canvas, P = w->pad, stride = w->stride;
  size_t  n = (size_t) S * S;
  float   eps2 = w->eps * w->eps, scale = w->scale;
  float   inv_n = 1.0f / (float) n;
  double  loss = 0.0;

  for (int y = 0; y < S; y++)
    {
      const float *xr = w->x[w->n_layers] + (size_t) (y + P) * stride + P;
      const float *tr = w->target + (size_t) y * S;
      float       *er = w->err + (size_t) y * S;
      float       *gr = w->gcanvas + (size_t) y * S;
      double       row = 0.0;

      for (int x = 0; x < S; x++)
        {
          float e = scale * (xr[x] - tr[x]);
          float r = sqrtf (e * e + eps2);

          er[x] = e;
          row += r;
          gr[x] = scale * e / r * inv_n;
        }
      loss += row;
    }
  for (int k = 0; k < w->n_scales; k++)
    {
      float  *eb = w->tmp, *gk = w->tmp + n, *back = w->tmp + 2 * n;
      float  *scratch = w->tmp + 3 * n;
      double  sum = 0.0;

      box_blur (w->err, scratch, w->acc, eb, S, 1 << k);
      for (size_t i = 0; i < n; i++)
        {
          float r = sqrtf (eb[i] * eb[i] + eps2);

          sum += r;
          gk[i] = eb[i] / r * inv_n;
        }
      loss += sum;
      if (want_grad)
        {
          box_blur (gk, scratch, w->acc, back, S, 1 << k);
          for (size_t i = 0; i < n; i++)
            w->gcanvas[i] += scale * back[i];
        }
    }
  return loss / (double) n;
}

double
skc_grad_eval (SkcGradWork *w, const SkcComplex *complex, SkcTap *grad)
{
  TapSplit  split[SKC_MAX_LAYERS * SKC_MAX_SAMPLES];
  TapSplit *ls[SKC_MAX_LAYERS];
  int       L = complex->n_layers;
  int       S = w->canvas, P = w->pad, stride = w->stride;
  float     maxo = (float) w->max_offset;
  double    loss;

  /* Split every tap once. */
  {
    int k = 0;

    for (int l = 0; l < L; l++)
      {
        const SkcTap *t = skc_complex_layer (complex, l);

        ls[l] = split + k;
        for (int i = 0; i < complex->n_samples[l]; i++, k++)
          tap_split (&t[i], maxo, &split[k]);
      }
  }

  /* Forward.  Clear what the last evaluation left, then gather. */
  for (int l = 0; l <= w->n_layers; l++)
    if (!box_empty (&w->xbox[l]))
      box_clear (w->x[l], stride, &w->xbox[l]);
  {
    Box c = { P + S / 2, P + S / 2, P + S / 2 + 1, P + S / 2 + 1 };

    w->xbox[0] = c;
    w->x[0][(size_t) c.y0 * stride + c.x0] = 1.0f;
  }
  for (int l = 1; l <= L; l++)
    {
      Box b = box_after_gather (w, &w->xbox[l - 1], ls[l - 1],
                                complex->n_samples[l - 1]);

      w->xbox[l] = b;
      if (box_empty (&b))
        continue;
      for (int i = 0; i < complex->n_samples[l - 1]; i++)
        gather_box (w->x[l], w->x[l - 1], stride, &b, &ls[l - 1][i]);
    }
  w->n_layers = L;

  /* Loss, and G_L on the last box. */
  loss = loss_and_gradient (w, grad != NULL);
  if (!grad)
    return loss;
  for (int k = 0; k < 2; k++)
    if (!box_empty (&w->gbox[k]))
      box_clear (w->g[k], stride, &w->gbox[k]);
  w->gbox[L & 1] = w->xbox[L];
  {
    const Box *b = &w->xbox[L];

    for (int y = b->y0; y < b->y1; y++)
      memcpy (w->g[L & 1] + (size_t) y * stride + b->x0,
              w->gcanvas + (size_t) (y - P) * S + b->x0 - P,
              (size_t) (b->x1 - b->x0) * sizeof (float));
  }

  /* Backward, layer L down to 1. */
  {
    int k = skc_complex_total_taps (complex);

    for (int l = L; l >= 1; l--)
      {
        const Box    *b = &w->xbox[l];
        const Box    *bp = &w->xbox[l - 1];
        const SkcTap *t = skc_complex_layer (complex, l - 1);
        float        *g = w->g[l & 1];
        float        *gp = w->g[(l - 1) & 1];
        int           n = complex->n_samples[l - 1];

        k -= n;
        for (int i = 0; i < n; i++)
          {
            const TapSplit *s = &ls[l - 1][i];
            double          c[4];
            double          fx = s->fx, fy = s->fy, wt = t[i].w;

            if (box_empty (b))
              {
                grad[k + i].ox = grad[k + i].oy = grad[k + i].w = 0.0f;
                continue;
              }
            correlate_box (g, w->x[l - 1], stride, b, s, c);
            grad[k + i].w = (float) ((1 - fx) * (1 - fy) * c[0]
                                     + fx * (1 - fy) * c[1]
                                     + (1 - fx) * fy * c[2] + fx * fy * c[3]);
            grad[k + i].ox = (float) (wt * ((1 - fy) * (c[1] - c[0])
                                            + fy * (c[3] - c[2])));
            grad[k + i].oy = (float) (wt * ((1 - fx) * (c[2] - c[0])
                                            + fx * (c[3] - c[1])));
            /* An offset pinned at the clamp limit has no gradient. */
            if (fabsf (t[i].ox) > maxo)
              grad[k + i].ox = 0.0f;
            if (fabsf (t[i].oy) > maxo)
              grad[k + i].oy = 0.0f;
          }
        if (l > 1)
          {
            box_clear (gp, stride, &w->gbox[(l - 1) & 1]);
            w->gbox[(l - 1) & 1] = *bp;
            if (!box_empty (b) && !box_empty (bp))
              for (int i = 0; i < n; i++)
                gather_box_transposed (gp, g, stride, bp, &ls[l - 1][i]);
            /* The previous G must be zero outside its box for the next
             * correlation: gather_box only wrote inside bp. */
          }
      }
  }
  return loss;
}

void
skc_grad_response (const SkcGradWork *w, float *out)
{
  int S = w->canvas, P = w->pad;

  for (int y = 0; y < S; y++)
    memcpy (out + (size_t) y * S, w->x[w->n_layers] + (size_t) (y + P) * w->stride + P,
            (size_t) S * sizeof *out);
}
