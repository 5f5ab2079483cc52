/* The sparse kernel complex: L layers of taps (ox, oy, w), each layer a
 * bilinear *gather*
 *
 *     out(p) = sum_i w_i * bilerp (in, p + o_i)
 *
 * applied one after the other (METHOD.md section 1).  This file holds the
 * object itself, its impulse response on a zero canvas (what the fit
 * compares with the target) and a scalar single-threaded reference apply
 * with clamped borders (what the fast apply engine is tested against).
 */
#include "skc.h"
#include "skc-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

SkcStatus
skc_complex_new (int n_layers, const int *n_samples, SkcComplex **out)
{
  SkcComplex *c;
  int         total = 0;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (n_layers < 1 || n_layers > SKC_MAX_LAYERS || !n_samples)
    return SKC_ERR_INVALID;
  for (int l = 0; l < n_layers; l++)
    {
      if (n_samples[l] < 1 || n_samples[l] > SKC_MAX_SAMPLES)
        return SKC_ERR_INVALID;
      total += n_samples[l];
    }

  c = calloc (1, sizeof *c);
  if (!c)
    return SKC_ERR_NOMEM;
  c->taps = calloc ((size_t) total, sizeof *c->taps);
  if (!c->taps)
    {
      free (c);
      return SKC_ERR_NOMEM;
    }
  c->n_layers = n_layers;
  memcpy (c->n_samples, n_samples, (size_t) n_layers * sizeof *n_samples);
  c->n_branches = 1;
  c->branch_layers[0] = n_layers;
  *out = c;
  return SKC_OK;
}

SkcStatus
skc_complex_new_uniform (int n_layers, int n_samples, SkcComplex **out)
{
  int ns[SKC_MAX_LAYERS];

  if (out)
    *out = NULL;
  if (n_layers < 1 || n_layers > SKC_MAX_LAYERS)
    return SKC_ERR_INVALID;
  for (int l = 0; l < n_layers; l++)
    ns[l] = n_samples;
  return skc_complex_new (n_layers, ns, out);
}

void
skc_complex_free (SkcComplex *complex)
{
  if (!complex)
    return;
  free (complex->taps);
  free (complex);
}

SkcStatus
skc_complex_copy (const SkcComplex *complex, SkcComplex **out)
{
  SkcStatus st;

  if (out)
    *out = NULL;
  if (!complex || !out)
    return SKC_ERR_INVALID;
  st = skc_complex_new (complex->n_layers, complex->n_samples, out);
  if (st != SKC_OK)
    return st;
  {
    SkcTap *taps = (*out)->taps;
    **out = *complex;
    (*out)->taps = taps;
    memcpy (taps, complex->taps,
            (size_t) skc_complex_total_taps (complex) * sizeof *taps);
  }
  return SKC_OK;
}

int
skc_complex_total_taps (const SkcComplex *complex)
{
  int total = 0;

  for (int l = 0; l < complex->n_layers; l++)
    total += complex->n_samples[l];
  return total;
}

int
skc_complex_n_branches (const SkcComplex *complex)
{
  int total = 0;

  if (complex->n_branches <= 1)
    return 1;
  /* A malformed grouping counts as one chain rather than overrunning. */
  for (int b = 0; b < complex->n_branches && b < SKC_MAX_LAYERS; b++)
    {
      if (complex->branch_layers[b] < 1)
        return 1;
      total += complex->branch_layers[b];
    }
  return total == complex->n_layers ? complex->n_branches : 1;
}

void
skc_complex_branch (const SkcComplex *complex, int branch, int *first_layer,
                    int *n_layers)
{
  int first = 0;

  if (skc_complex_n_branches (complex) == 1)
    {
      *first_layer = 0;
      *n_layers = complex->n_layers;
      return;
    }
  for (int b = 0; b < branch; b++)
    first += complex->branch_layers[b];
  *first_layer = first;
  *n_layers = complex->branch_layers[branch];
}

SkcTap *
skc_complex_layer (const SkcComplex *complex, int layer)
{
  int start = 0;

  for (int l = 0; l < layer; l++)
    start += complex->n_samples[l];
  return complex->taps + start;
}

SkcStatus
skc_complex_from_kernel (const SkcKernel *kernel, int max_taps,
                         SkcComplex **out)
{
  int ns[SKC_MAX_LAYERS];
  int n = 0, nb, cx, cy, i = 0;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!kernel || !kernel->data || kernel->width < 1 || kernel->height < 1
      || kernel->width > SKC_MAX_KERNEL_SIZE
      || kernel->height > SKC_MAX_KERNEL_SIZE)
    return SKC_ERR_INVALID;
  for (size_t j = 0; j < (size_t) kernel->width * kernel->height; j++)
    {
      if (!isfinite (kernel->data[j]))
        return SKC_ERR_INVALID;
      n += kernel->data[j] != 0.0f;
    }
  if (n > max_taps || n > SKC_MAX_LAYERS * SKC_MAX_SAMPLES)
    return SKC_ERR_TOO_LARGE;
  if (n == 0)
    return SKC_ERR_INVALID;
  /* as few branches as hold them, the taps spread evenly */
  nb = (n + SKC_MAX_SAMPLES - 1) / SKC_MAX_SAMPLES;
  for (int b = 0; b < nb; b++)
    ns[b] = n / nb + (b < n % nb);
  if (skc_complex_new (nb, ns, out) != SKC_OK)
    return SKC_ERR_NOMEM;
  (*out)->n_branches = nb;
  for (int b = 0; b < nb; b++)
    (*out)->branch_layers[b] = 1;
  (*out)->target_width = kernel->width;
  (*out)->target_height = kernel->height;
  cx = kernel->width / 2;
  cy = kernel->height / 2;
  for (int y = 0; y < kernel->height; y++)
    for (int x = 0; x < kernel->width; x++)
      {
        float v = kernel->data[(size_t) y * kernel->width + x];

        if (v != 0.0f)
          (*out)->taps[i++] = (SkcTap) { (float) (cx - x), (float) (cy - y),
                                         v };
      }
  return SKC_OK;
}

/* A measure of a complex from one number per layer: combined along each
 * chain by @along (starting from @along_start), the chains' values
 * combined by @across (starting from @across_start). */
typedef enum { COMBINE_SUM, COMBINE_PRODUCT, COMBINE_MAX } Combine;

static double
combine (Combine how, double a, double b)
{
  switch (how)
    {
    case COMBINE_SUM:     return a + b;
    case COMBINE_PRODUCT: return a * b;
    default:              return fmax (a, b);
    }
}

static double
over_chains (const SkcComplex *complex,
             double (*layer_value) (const SkcTap *taps, int n),
             Combine along, double along_start,
             Combine across, double across_start)
{
  double total = across_start;

  for (int b = 0; b < skc_complex_n_branches (complex); b++)
    {
      double chain = along_start;
      int    first, n;

      skc_complex_branch (complex, b, &first, &n);
      for (int l = first; l < first + n; l++)
        chain = combine (along, chain,
                         layer_value (skc_complex_layer (complex, l),
                                      complex->n_samples[l]));
      total = combine (across, total, chain);
    }
  return total;
}

/* A layer's DC gain: the sum of its weights. */
static double
layer_gain (const SkcTap *t, int n)
{
  double s = 0.0;

  for (int i = 0; i < n; i++)
    s += t[i].w;
  return s;
}

/* How far a layer reads, in whole pixels: its largest offset, rounded up. */
static double
layer_reach (const SkcTap *t, int n)
{
  double m = 0.0;

  for (int i = 0; i < n; i++)
    {
      m = fmax (m, fabs (t[i].ox));
      m = fmax (m, fabs (t[i].oy));
    }
  return ceil (m);
}

double
skc_complex_gain (const SkcComplex *complex)
{
  /* layers in a chain multiply their gains; chains add */
  return over_chains (complex, layer_gain, COMBINE_PRODUCT, 1.0,
                      COMBINE_SUM, 0.0);
}

int
skc_complex_reach (const SkcComplex *complex)
{
  /* a chain reads as far as its layers' reaches add up (plus the centre
   * pixel); the widest chain counts */
  double best = over_chains (complex, layer_reach, COMBINE_SUM, 1.0,
                             COMBINE_MAX, 1.0);

  return best > 1e6 ? 1000000 : (int) best;
}

static int
complex_is_finite (const SkcComplex *complex)
{
  int n = skc_complex_total_taps (complex);

  for (int i = 0; i < n; i++)
    if (!isfinite (complex->taps[i].ox) || !isfinite (complex->taps[i].oy)
        || !isfinite (complex->taps[i].w)
        || fabsf (complex->taps[i].ox) > SKC_MAX_OFFSET
        || fabsf (complex->taps[i].oy) > SKC_MAX_OFFSET)
      return 0;
  return 1;
}

/* Sum over branches of the layers applied in order to @src (a plane), with
 * @border; shared by the synthesis (zero canvas) and the reference apply. */
static SkcStatus
apply_chains (const SkcComplex *complex, const float *src, int width,
              int height, SkcBorder border, float *dst)
{
  size_t n = (size_t) width * (size_t) height;
  float *a = malloc (n * sizeof *a);
  float *b = malloc (n * sizeof *b);
  int    nb = skc_complex_n_branches (complex);

  if (!a || !b)
    {
      free (a);
      free (b);
      return SKC_ERR_NOMEM;
    }
  for (int br = 0; br < nb; br++)
    {
      int first, nl;

      skc_complex_branch (complex, br, &first, &nl);
      memcpy (a, src, n * sizeof *a);
      for (int l = first; l < first + nl; l++)
        {
          float *t;

          skc_gather_plane (a, width, height, skc_complex_layer (complex, l),
                            complex->n_samples[l], border, b);
          t = a, a = b, b = t;
        }
      if (br == 0)
        memcpy (dst, a, n * sizeof *dst);
      else
        for (size_t i = 0; i < n; i++)
          dst[i] += a[i];
    }
  free (a);
  free (b);
  return SKC_OK;
}

SkcStatus
skc_complex_synthesize (const SkcComplex *complex, int width, int height,
                        float *out)
{
  float    *impulse;
  SkcStatus s;

  if (!complex || !out || width < 1 || height < 1
      || width > SKC_MAX_IMAGE_SIDE || height > SKC_MAX_IMAGE_SIDE
      || !complex_is_finite (complex))
    return SKC_ERR_INVALID;
  impulse = calloc ((size_t) width * (size_t) height, sizeof *impulse);
  if (!impulse)
    return SKC_ERR_NOMEM;
  impulse[(size_t) (height / 2) * width + width / 2] = 1.0f;
  s = apply_chains (complex, impulse, width, height, SKC_BORDER_ZERO, out);
  free (impulse);
  return s;
}

SkcStatus
skc_complex_apply_plane (const SkcComplex *complex, const float *src,
                         int width, int height, float *dst)
{
  if (!complex || !src || !dst || src == dst || width < 1 || height < 1
      || width > SKC_MAX_IMAGE_SIDE || height > SKC_MAX_IMAGE_SIDE
      || !complex_is_finite (complex))
    return SKC_ERR_INVALID;
  return apply_chains (complex, src, width, height, SKC_BORDER_CLAMP, dst);
}

/* Rows [dst_y0, dst_y0 + dst_rows) of one gather layer over a plane of
 * @width x @height, scalar, reading rows [src_y0, src_y0 + src_rows) of its
 * source (@src holds those rows only).  Pixel p reads the four neighbours
 * of p + o; outside the plane they are zero or clamped, so the rows read
 * are the clamped ones and must lie in the source's span (the caller's
 * halo: skc_complex_row_reach).  The arithmetic does not depend on the
 * spans, so a plane done in strips is bit-identical to one done whole. */
static void
gather_rows (const float *src, int src_y0, int width, int height,
             const SkcTap *taps, int n_taps, SkcBorder border,
             float *dst, int dst_y0, int dst_rows)
{
  for (int y = dst_y0; y < dst_y0 + dst_rows; y++)
    for (int x = 0; x < width; x++)
      {
        double acc = 0.0;

        for (int i = 0; i < n_taps; i++)
          {
            double px = x + (double) taps[i].ox;
            double py = y + (double) taps[i].oy;
            double fx0 = floor (px), fy0 = floor (py);
            int    ix = (int) fx0, iy = (int) fy0;
            double fx = px - fx0, fy = py - fy0;
            double v00, v01, v10, v11;

            v00 = skc_rows_at (src, src_y0, width, height, ix, iy, border);
            v01 = skc_rows_at (src, src_y0, width, height, ix + 1, iy,
                               border);
            v10 = skc_rows_at (src, src_y0, width, height, ix, iy + 1,
                               border);
            v11 = skc_rows_at (src, src_y0, width, height, ix + 1, iy + 1,
                               border);
            acc += taps[i].w
                   * ((1 - fy) * ((1 - fx) * v00 + fx * v01)
                      + fy * ((1 - fx) * v10 + fx * v11));
          }
        dst[(size_t) (y - dst_y0) * width + x] = (float) acc;
      }
}

void
skc_gather_plane (const float *src, int width, int height,
                  const SkcTap *taps, int n_taps, SkcBorder border,
                  float *dst)
{
  gather_rows (src, 0, width, height, taps, n_taps, border, dst, 0, height);
}

/* Rows a layer reads above and below an output row: the bilinear pair
 * floor (y + oy), floor (y + oy) + 1 for |oy| <= m. */
static int
layer_row_reach (const SkcComplex *complex, int l)
{
  const SkcTap *t = skc_complex_layer (complex, l);
  double        m = 0.0;

  for (int i = 0; i < complex->n_samples[l]; i++)
    m = fmax (m, fabs (t[i].oy));
  return (int) ceil (m) + 1;
}

int
skc_complex_row_reach (const SkcComplex *complex)
{
  int best = 0;

  if (!complex || !complex_is_finite (complex))
    return -1;
  for (int br = 0; br < skc_complex_n_branches (complex); br++)
    {
      int first, nl, reach = 0;

      skc_complex_branch (complex, br, &first, &nl);
      for (int l = first; l < first + nl; l++)
        reach += layer_row_reach (complex, l);
      best = reach > best ? reach : best;
    }
  return best;
}

static int
imin (int a, int b)
{
  return a < b ? a : b;
}

static int
imax (int a, int b)
{
  return a > b ? a : b;
}

SkcStatus
skc_complex_apply_rows (const SkcComplex *complex, const float *src,
                        int src_y0, int src_rows, int width, int height,
                        int y0, int rows, float *dst)
{
  int    reach = skc_complex_row_reach (complex);
  int    span_lo, span_hi, nb;
  size_t span;
  float *a, *b;

  if (!src || !dst || width < 1 || height < 1 || reach < 0
      || width > SKC_MAX_IMAGE_SIDE || height > SKC_MAX_IMAGE_SIDE
      || rows < 1 || y0 < 0 || y0 + rows > height
      || src_y0 > imax (0, y0 - reach) || src_rows < 1
      || src_y0 + src_rows < imin (height, y0 + rows + reach))
    return SKC_ERR_INVALID;
  /* every layer's output lies within the source's halo */
  span_lo = imax (0, y0 - reach);
  span_hi = imin (height, y0 + rows + reach);
  span = (size_t) (span_hi - span_lo) * (size_t) width;
  a = malloc (span * sizeof *a);
  b = malloc (span * sizeof *b);
  if (!a || !b)
    {
      free (a);
      free (b);
      return SKC_ERR_NOMEM;
    }
  nb = skc_complex_n_branches (complex);
  for (int br = 0; br < nb; br++)
    {
      const float *in = src;
      int          in_y0 = src_y0, first, nl, after = 0;

      skc_complex_branch (complex, br, &first, &nl);
      for (int l = first; l < first + nl; l++)
        after += layer_row_reach (complex, l);
      for (int l = first; l < first + nl; l++)
        {
          /* the rows the later layers will read */
          int    lo, hi;
          float *t;

          after -= layer_row_reach (complex, l);
          lo = imax (0, y0 - after);
          hi = imin (height, y0 + rows + after);
          gather_rows (in, in_y0, width, height,
                       skc_complex_layer (complex, l),
                       complex->n_samples[l], SKC_BORDER_CLAMP,
                       a, lo, hi - lo);
          in = a;
          in_y0 = lo;
          t = a, a = b, b = t;
        }
      /* the last layer wrote rows [y0, y0 + rows), now in b */
      if (nl == 0)
        {
          for (int y = y0; y < y0 + rows; y++)
            memcpy (b + (size_t) (y - y0) * width,
                    src + (size_t) (y - src_y0) * width,
                    (size_t) width * sizeof *b);
        }
      if (br == 0)
        memcpy (dst, b, (size_t) rows * width * sizeof *dst);
      else
        for (size_t i = 0; i < (size_t) rows * width; i++)
          dst[i] += b[i];
    }
  free (a);
  free (b);
  return SKC_OK;
}
