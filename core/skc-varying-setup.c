/* Set-up of the spatially varying apply (skc-apply-varying.c): checks of
 * the family and rectangles, the layers' taps and differences, per-thread
 * state, and one scan of the field.
 */
#define _POSIX_C_SOURCE 200809L
#include "skc-varying-internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- set-up */

void
skc_vary_layers_free (Layer *layers, int n)
{
  for (int l = 0; l < n; l++)
    {
      free (layers[l].ox);
      free (layers[l].oy);
      free (layers[l].w);
      free (layers[l].dox);
      free (layers[l].doy);
      free (layers[l].dw);
    }
}

int
skc_vary_family_ok (const SkcFamily *f)
{
  const SkcComplex *b0;

  if (!f || f->n_bases < 1 || f->n_bases > SKC_MAX_BASES || !f->bases[0])
    return 0;
  b0 = f->bases[0];
  if (b0->n_layers < 1 || b0->n_layers > SKC_MAX_LAYERS || !b0->taps)
    return 0;
  /* one chain of layers (summed branches are a LowRank baseline matter) */
  for (int k = 0; k < f->n_bases; k++)
    {
      const SkcComplex *b = f->bases[k];

      if (!b || !b->taps || b->n_layers != b0->n_layers
          || skc_complex_n_branches (b) != 1
          || !isfinite (f->sizes[k]) || !(f->sizes[k] > 0.0f)
          || (k > 0 && !(f->sizes[k] > f->sizes[k - 1])))
        return 0;
      for (int l = 0; l < b0->n_layers; l++)
        if (b->n_samples[l] != b0->n_samples[l] || b->n_samples[l] < 1
            || b->n_samples[l] > SKC_MAX_SAMPLES)
          return 0;
      for (int i = 0; i < skc_complex_total_taps (b); i++)
        if (!isfinite (b->taps[i].ox) || !isfinite (b->taps[i].oy)
            || !isfinite (b->taps[i].w)
            || fabsf (b->taps[i].ox) > SKC_MAX_OFFSET
            || fabsf (b->taps[i].oy) > SKC_MAX_OFFSET)
          return 0;
    }
  return 1;
}

SkcStatus
skc_vary_layers_new (const SkcFamily *f, Layer *layers)
{
  int m = f->n_bases;

  for (int l = 0; l < f->bases[0]->n_layers; l++)
    {
      Layer *L = &layers[l];
      int    n = f->bases[0]->n_samples[l];
      size_t nb = (size_t) m * n;   /* differences: the last row stays 0 */
      double g = 0.0;

      L->n = n;
      L->ox = malloc (nb * sizeof (float));
      L->oy = malloc (nb * sizeof (float));
      L->w = malloc (nb * sizeof (float));
      L->dox = calloc (nb, sizeof (float));
      L->doy = calloc (nb, sizeof (float));
      L->dw = calloc (nb, sizeof (float));
      if (!L->ox || !L->oy || !L->w || !L->dox || !L->doy || !L->dw)
        return SKC_ERR_NOMEM;
      for (int k = 0; k < m; k++)
        {
          const SkcTap *a = skc_complex_layer (f->bases[k], l);
          const SkcTap *b = k + 1 < m ? skc_complex_layer (f->bases[k + 1], l)
                                      : NULL;

          for (int i = 0; i < n; i++)
            {
              L->ox[(size_t) k * n + i] = a[i].ox;
              L->oy[(size_t) k * n + i] = a[i].oy;
              L->w[(size_t) k * n + i] = a[i].w;
              if (b)
                {
                  L->dox[(size_t) k * n + i] = b[i].ox - a[i].ox;
                  L->doy[(size_t) k * n + i] = b[i].oy - a[i].oy;
                  L->dw[(size_t) k * n + i] = b[i].w - a[i].w;
                }
            }
        }
      for (int i = 0; i < n; i++)
        g += L->w[i];
      L->gain0 = fabs (g - 1.0) <= 1e-6 ? 1.0f : (float) g;
      skc_vary_layer_quant (f, l, L);
    }
  return SKC_OK;
}

void
skc_vary_workers_free (Worker *workers, int n)
{
  for (int i = 0; i < n; i++)
    {
      Worker *wk = &workers[i];

      for (int l = 0; l < SKC_MAX_LAYERS; l++)
        free (wk->cache[l].mem);
      free (wk->keys);
      free (wk->off_y);
      free (wk->tx);
      free (wk->ty);
      free (wk->tw);
      skc_stencil_folder_clear (&wk->folder);
    }
}

/* Per-thread state for rows up to @width pixels wide. */
SkcStatus
skc_vary_workers_new (Worker *workers, int n, const Layer *layers,
                      int n_layers, int width)
{
  int max_taps = 0;

  for (int l = 0; l < n_layers; l++)
    max_taps = layers[l].n > max_taps ? layers[l].n : max_taps;
  memset (workers, 0, (size_t) n * sizeof *workers);
  for (int i = 0; i < n; i++)
    {
      Worker *wk = &workers[i];
      size_t  cap = 4 * (size_t) max_taps;

      wk->lone.layer = -1;
      wk->keys = malloc ((size_t) width * sizeof *wk->keys);
      wk->off_y = malloc (cap * sizeof *wk->off_y);
      wk->tx = malloc ((size_t) max_taps * sizeof (float));
      wk->ty = malloc ((size_t) max_taps * sizeof (float));
      wk->tw = malloc ((size_t) max_taps * sizeof (float));
      if (!wk->keys || !wk->off_y || !wk->tx || !wk->ty || !wk->tw
          || skc_stencil_folder_init (&wk->folder, max_taps) != SKC_OK)
        return SKC_ERR_NOMEM;
      for (int l = 0; l < n_layers; l++)
        {
          Cache *c = &wk->cache[l];
          size_t lc = 4 * (size_t) layers[l].n;
          size_t per = lc * (sizeof (float) + sizeof (ptrdiff_t)
                             + 2 * sizeof (int));
          char  *mem = malloc (per * CACHE_SETS * CACHE_WAYS);

          if (!mem)
            return SKC_ERR_NOMEM;
          c->mem = mem;
          for (int s = 0; s < CACHE_SETS * CACHE_WAYS; s++)
            {
              StencilSlot *st = &c->slot[s];

              st->off = (ptrdiff_t *) mem;
              mem += lc * sizeof (ptrdiff_t);
              st->s.w = (float *) mem;
              mem += lc * sizeof (float);
              st->s.dx = (int *) mem;
              mem += lc * sizeof (int);
              st->s.dy = (int *) mem;
              mem += lc * sizeof (int);
            }
        }
    }
  return SKC_OK;
}

SkcRect
skc_vary_grow_clip (SkcRect r, int by, SkcRect bounds)
{
  long    x0 = (long) r.x - by, y0 = (long) r.y - by;
  long    x1 = (long) r.x + r.width + by, y1 = (long) r.y + r.height + by;
  long    bx1 = (long) bounds.x + bounds.width;
  long    by1 = (long) bounds.y + bounds.height;
  SkcRect o;

  x0 = x0 > bounds.x ? x0 : bounds.x;
  y0 = y0 > bounds.y ? y0 : bounds.y;
  x1 = x1 < bx1 ? x1 : bx1;
  y1 = y1 < by1 ? y1 : by1;
  o.x = (int) x0;
  o.y = (int) y0;
  o.width = x1 > x0 ? (int) (x1 - x0) : 0;
  o.height = y1 > y0 ? (int) (y1 - y0) : 0;
  return o;
}

int
skc_vary_rect_contains (SkcRect outer, SkcRect inner)
{
  return inner.width <= 0 || inner.height <= 0
         || ((long) inner.x >= outer.x && (long) inner.y >= outer.y
             && (long) inner.x + inner.width <= (long) outer.x + outer.width
             && (long) inner.y + inner.height
                <= (long) outer.y + outer.height);
}

int
skc_vary_rect_ok (SkcRect r)
{
  return r.width >= 0 && r.height >= 0 && r.width <= SKC_MAX_IMAGE_SIDE
         && r.height <= SKC_MAX_IMAGE_SIDE
         && r.x > -SKC_MAX_IMAGE_SIDE * 4 && r.x < SKC_MAX_IMAGE_SIDE * 4
         && r.y > -SKC_MAX_IMAGE_SIDE * 4 && r.y < SKC_MAX_IMAGE_SIDE * 4;
}

Src
skc_vary_src_of (const float *data, ptrdiff_t stride, SkcRect r,
                 SkcRect bounds)
{
  Src s;
  int rx1 = r.x + r.width, bx1 = bounds.x + bounds.width;
  int ry1 = r.y + r.height, by1 = bounds.y + bounds.height;

  s.data = data;
  s.stride = stride;
  s.r = r;
  s.x0 = r.x > bounds.x ? r.x : bounds.x;
  s.y0 = r.y > bounds.y ? r.y : bounds.y;
  s.x1 = (rx1 < bx1 ? rx1 : bx1) - 1;
  s.y1 = (ry1 < by1 ? ry1 : by1) - 1;
  return s;
}

static void
scan_rows (Scan *sc)
{
  size_t       n = (size_t) (sc->y1 - sc->y0) * sc->width;
  const float *f = sc->field + (size_t) sc->y0 * 2 * sc->width;
  float        m = 0.0f;
  int          ok = 1;
  uint32_t     any = 0;

  if (sc->rot)
    {
      float *r = sc->rot + (size_t) sc->y0 * 2 * sc->width;

      for (size_t i = 0; i < n; i++)
        if (i > 0 && f[2 * i + 1] == f[2 * i - 1])
          {
            r[2 * i] = r[2 * i - 2];       /* the angle before's */
            r[2 * i + 1] = r[2 * i - 1];
          }
        else
          skc_rotation (f[2 * i + 1], &r[2 * i], &r[2 * i + 1]);
      return;
    }
  for (size_t i = 0; i < n; i++)
    {
      uint32_t a;

      /* finite: v - v is 0, NaN for an infinity or a NaN */
      ok &= f[2 * i] - f[2 * i] == 0.0f && f[2 * i + 1] - f[2 * i + 1] == 0.0f;
      m = f[2 * i] > m ? f[2 * i] : m;
      memcpy (&a, &f[2 * i + 1], sizeof a);
      any |= a << 1;
    }
  sc->s_max = m;
  sc->finite = ok;
  sc->any_angle = any != 0;
}

static void
scan_func (void *data, int index)
{
  scan_rows ((Scan *) data + index);
}

/* scan_rows over the field's rows on @n_threads threads. */
void
skc_vary_field_rows (const float *field, float *rot, SkcRect r, int n_threads,
                     Scan *sc)
{
  for (int i = 0; i < n_threads; i++)
    sc[i] = (Scan) { field, rot, r.width,
                     (int) ((int64_t) r.height * i / n_threads),
                     (int) ((int64_t) r.height * (i + 1) / n_threads),
                     0.0f, 1, 0 };
  skc_parallel_run (n_threads, scan_func, sc);
}

/* The field's largest size (0 if none is positive) and whether any angle
 * is not 0; 0 if a value is not finite. */
int
skc_vary_field_scan (const float *field, SkcRect r, int n_threads,
                     float *s_max, int *any_angle)
{
  Scan sc[SKC_MAX_THREADS];
  int  ok = 1;

  if (n_threads > r.height / 64 + 1)
    n_threads = r.height / 64 + 1;
  skc_vary_field_rows (field, NULL, r, n_threads, sc);
  *s_max = 0.0f;
  *any_angle = 0;
  for (int i = 0; i < n_threads; i++)
    {
      ok &= sc[i].finite;
      *any_angle |= sc[i].any_angle;
      *s_max = sc[i].s_max > *s_max ? sc[i].s_max : *s_max;
    }
  return ok;
}
