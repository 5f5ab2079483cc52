/* Occlusion-aware depth blur (issue 15): depth layers, each blurred with
 * its own sizes, their hidden parts filled in, composited far to near.
 *
 * A gather with the output pixel's size (the map mode) blurs the
 * background next to a sharp foreground with the background's large
 * kernel, which reaches into the foreground: a halo of the sharp object
 * around it.  It also blurs the sharp background next to a blurred
 * foreground with a small kernel, so the foreground's blur stops at its
 * own edge: a hard cut-out.  (A scatter, GEGL's lens blur, has the
 * halo's mirror image: the blurred background spreads over the sharp
 * object.)  A lens sees layers: the background blurred with its kernel
 * where it is not hidden, the foreground blurred with its own and laid
 * over it with its blurred coverage.  This file renders that.
 *
 * Depth and layers.  The map is oriented so that larger is nearer (z = m,
 * or 1 - m), with the focus likewise (f), and range r: the blur diameter
 * is D clamp01 (|z - f| / r), as in the map mode.  Three layers have
 * their centres at depth f - r (full blur behind the focus), f (sharp)
 * and f + r (full blur in front); a pixel belongs to the two layers whose
 * centres enclose its depth with hat weights (w_0 + w_1 + w_2 = 1), and
 * to the outer layer alone beyond its centre.  On a map of a few flat
 * depths (a subject and its background) each depth lies in one layer; a
 * smooth depth ramp is shared between neighbouring layers without seams.
 * A layer no pixel touches (every depth behind the focus: no near layer)
 * costs nothing.
 *
 * Holes.  Unknown depths (non-finite, or 0 with SkcOcclusionParams.holes:
 * the holes of a stereo disparity map) are filled from their known
 * neighbours (skc-fill.c) before anything else, so a hole takes the depth
 * around it instead of a depth of its own (a speck of sharpness in a
 * blurred background, or of blur in a sharp subject).
 *
 * A layer's input.  Layer k holds w_k of each pixel (premultiplied RGBA:
 * alpha is coverage) plus, where nearer layers hide it (h_k = the sum of
 * the nearer layers' weights), what it has behind them: the pixel itself
 * where the pixel belongs to k at all, else the layer's colour filled in
 * from its visible rim (skc_fill_fronts, up to the halo deep).  The
 * farthest layer is thus complete: the background behind a sharp subject
 * is continued under it, and blurring it no longer pulls the subject in.
 * A layer's field is its pixels' own sizes, continued outwards (the
 * depth filled the same way) so that a blurred foreground spreads beyond
 * its edge with its own size over the sharper pixels around it.  Each
 * layer is blurred by skc_apply_varying_rgba (only over the part of the
 * roi its non-zero pixels reach) and laid over the farther ones:
 * out = L_2 + (1 - L_2.a) (L_1 + (1 - L_1.a) L_0).
 *
 * Fill distances.  Hidden parts and fields are filled up to F = the halo
 * px away, as far as any kernel reaches; holes are filled up to F before
 * that.  Pixel values then depend only on what lies within the input the
 * caller gives (roi + halo + F, + F with holes), so tiles agree.
 *
 * Cost: one varying apply per layer over the part of the roi it reaches,
 * and the fills (a few operations per pixel of the margin).  What it
 * measured against the map mode and GEGL's lens blur: tests/
 * test-occlusion.c and tests/bench/results/occlusion.md.
 */
#include "skc.h"
#include "skc-apply-private.h"
#include "skc-fill.h"
#include "skc-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N_LAYERS 3

void
skc_occlusion_params_init (SkcOcclusionParams *params)
{
  if (!params)
    return;
  memset (params, 0, sizeof *params);
  params->near_white = 1;
  params->holes = 0;
}

int
skc_occlusion_halo (int halo, const SkcOcclusionParams *params)
{
  if (halo < 0)
    halo = 0;
  if (halo > SKC_MAX_IMAGE_SIDE)
    halo = SKC_MAX_IMAGE_SIDE;
  return halo * (params && params->holes ? 3 : 2);
}

static float
clamp01f (float v)
{
  return v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
}

/* The layers of depth z (oriented), focus f, range r. */
typedef struct
{
  float f, r, diameter;
} Depth;

/* A hat weight, snapped to 0 and 1 within SNAP: a depth one rounding
 * away from a layer's centre (0.9f - 0.5f over 0.4f is 0.99999994) must
 * not put a sliver of the pixel into the next layer, which would then
 * count the pixel as its own and blur it there too. */
#define SNAP 1e-4f

static float
hat (float t)
{
  return t < SNAP ? 0.0f : t > 1.0f - SNAP ? 1.0f : t;
}

static void
weights (const Depth *d, float z, float w[N_LAYERS])
{
  w[0] = hat ((d->f - z) / d->r);
  w[2] = hat ((z - d->f) / d->r);
  w[1] = 1.0f - w[0] - w[2];
}

static float
size_at (const Depth *d, float z)
{
  return d->diameter * clamp01f (fabsf (z - d->f) / d->r);
}

static SkcRect
grow_clip (SkcRect r, int by, SkcRect bounds)
{
  SkcRect g = { r.x - by, r.y - by, r.width + 2 * by, r.height + 2 * by };

  return skc_rect_intersect (g, bounds);
}

/* The oriented depth over @R (inside the map's @map_rect), holes filled. */
static SkcStatus
depth_read (const float *map, int map_stride, SkcRect map_rect, SkcRect R,
            const SkcOcclusionParams *occ, const Depth *d, int fill,
            float *z)
{
  size_t    n = (size_t) R.width * R.height;
  uint16_t *state = NULL;
  int       any_hole = 0;
  SkcStatus st = SKC_OK;

  for (int y = 0; y < R.height; y++)
    {
      const float *m = map + (size_t) (R.y + y - map_rect.y) * map_stride
                       + (R.x - map_rect.x);

      for (int x = 0; x < R.width; x++)
        {
          float v = m[x];
          int   hole = !isfinite (v) || (occ->holes && v == 0.0f);

          any_hole |= hole;
          z[(size_t) y * R.width + x] = hole ? NAN
                                        : occ->near_white ? v : 1.0f - v;
        }
    }
  if (!any_hole)
    return SKC_OK;
  if (occ->holes)
    {
      state = malloc (n * sizeof *state);
      if (!state)
        return SKC_ERR_NOMEM;
      for (size_t i = 0; i < n; i++)
        state[i] = isnan (z[i]) ? SKC_FILL_UNKNOWN : SKC_FILL_KNOWN;
      st = skc_fill_fronts (z, 1, state, R.width, R.height, fill);
      for (size_t i = 0; i < n && st == SKC_OK; i++)
        if (state[i] == SKC_FILL_UNKNOWN)
          z[i] = d->f;   /* a hole wider than the fill: in focus */
      free (state);
      return st;
    }
  /* Without holes, a non-finite value is in focus, as in the map mode. */
  for (size_t i = 0; i < n; i++)
    if (isnan (z[i]))
      z[i] = d->f;
  return SKC_OK;
}

/* Everything one layer's blur needs. */
typedef struct
{
  SkcRect  R2, R1;        /* fill sources; the apply's input            */
  float   *fillv;         /* R2: RGBA + z per pixel                     */
  uint16_t *state;        /* R2                                         */
  uint16_t *dmin;         /* R2: the farther layers' nearest front      */
  float   *p;             /* R1: the layer's premultiplied RGBA         */
  float   *field;         /* R1: (size, angle)                          */
} Work;

/* One layer's preparation, cut into bands of rows run side by side. */
typedef struct
{
  Work        *wk;
  int          k, nc, n_bands;
  const Depth *d;
  float        angle;
  const float *z;
  SkcRect      Rz;
  SkcInView    in;
  int          any_unknown[SKC_MAX_THREADS];
  int          box[SKC_MAX_THREADS][4];   /* x0, y0, x1, y1 in R1 */
} Prep;

static void
band (int rows, int n_bands, int index, int *y0, int *y1)
{
  *y0 = (int) ((long long) rows * index / n_bands);
  *y1 = (int) ((long long) rows * (index + 1) / n_bands);
}

/* Which pixels of R2 belong to the layer, and their colour and depth. */
static void
prep_sources (void *data, int index)
{
  Prep   *P = data;
  Work   *wk = P->wk;
  SkcRect R2 = wk->R2;
  int     nc = P->nc, ya, yb, any = 0;

  band (R2.height, P->n_bands, index, &ya, &yb);
  for (int y = ya; y < yb; y++)
    {
      const float *zr = P->z + (size_t) (R2.y + y - P->Rz.y) * P->Rz.width
                        + (R2.x - P->Rz.x);
      const float *ir = P->in.data
                        + (size_t) (R2.y + y - P->in.rect.y) * P->in.stride
                        + 4 * (size_t) (R2.x - P->in.rect.x);

      for (int x = 0; x < R2.width; x++)
        {
          size_t i = (size_t) y * R2.width + x;
          float  w[N_LAYERS];
          float *v = wk->fillv + i * nc;

          weights (P->d, zr[x], w);
          if (w[P->k] > 0.0f)
            {
              wk->state[i] = SKC_FILL_KNOWN;
              if (nc == 5)
                memcpy (v, ir + 4 * (size_t) x, 4 * sizeof *v);
              v[nc - 1] = zr[x];
            }
          else
            {
              wk->state[i] = SKC_FILL_UNKNOWN;
              any = 1;
            }
        }
    }
  P->any_unknown[index] = any;
}

/* The layer's input and field over R1, and the farther layers' fronts. */
static void
prep_input (void *data, int index)
{
  Prep        *P = data;
  Work        *wk = P->wk;
  const Depth *d = P->d;
  SkcRect      R2 = wk->R2, R1 = wk->R1;
  int          k = P->k, nc = P->nc, ya, yb;
  int          x0 = R1.width, y0 = R1.height, x1 = -1, y1 = -1;

  band (R1.height, P->n_bands, index, &ya, &yb);
  for (int y = ya; y < yb; y++)
    {
      const float *zr = P->z + (size_t) (R1.y + y - P->Rz.y) * P->Rz.width
                        + (R1.x - P->Rz.x);
      const float *ir = P->in.data
                        + (size_t) (R1.y + y - P->in.rect.y) * P->in.stride
                        + 4 * (size_t) (R1.x - P->in.rect.x);

      for (int x = 0; x < R1.width; x++)
        {
          size_t       i1 = (size_t) y * R1.width + x;
          size_t       i2 = (size_t) (R1.y + y - R2.y) * R2.width
                            + (R1.x + x - R2.x);
          const float *v = wk->fillv + i2 * nc;
          float       *p = wk->p + 4 * i1;
          float        w[N_LAYERS], hid = 0.0f, zk;
          uint16_t     s = wk->state[i2];
          int          nz = 0;

          weights (d, zr[x], w);
          for (int j = k + 1; j < N_LAYERS; j++)
            hid += w[j];
          if (s == SKC_FILL_KNOWN)
            {
              for (int c = 0; c < 4; c++)
                {
                  p[c] = (w[k] + hid) * ir[4 * (size_t) x + c];
                  nz |= p[c] != 0.0f;
                }
              zk = zr[x];
            }
          else
            {
              /* A hidden pixel nearer a farther layer's pixels than this
               * layer's is taken to have that layer behind it. */
              float keep = nc == 5 && s <= wk->dmin[i2];

              for (int c = 0; c < 4; c++)
                {
                  p[c] = keep * hid * v[c];
                  nz |= p[c] != 0.0f;
                }
              /* Beyond the fill nothing of the layer is in reach. */
              zk = s == SKC_FILL_UNKNOWN ? d->f : v[nc - 1];
            }
          /* only R1's fronts are read again (the next layers' keep) */
          if (s < wk->dmin[i2])
            wk->dmin[i2] = s;
          wk->field[2 * i1] = size_at (d, zk);
          wk->field[2 * i1 + 1] = P->angle;
          if (nz)
            {
              x0 = x < x0 ? x : x0;
              x1 = x > x1 ? x : x1;
              y0 = y < y0 ? y : y0;
              y1 = y > y1 ? y : y1;
            }
        }
    }
  P->box[index][0] = x0;
  P->box[index][1] = y0;
  P->box[index][2] = x1;
  P->box[index][3] = y1;
}

/* Layer @k's input and field over R1 (rows on @n_threads threads; the
 * fill on the caller's); *@nonzero gets the bounding box of its non-zero
 * pixels (empty if none). */
static SkcStatus
layer_prepare (Work *wk, int k, int nearest, const Depth *d, float angle,
               const float *z, SkcRect Rz, SkcInView in, int fill,
               int n_threads, SkcRect *nonzero)
{
  Prep      P;
  SkcRect   R1 = wk->R1;
  int       any_unknown = 0, x0 = R1.width, y0 = R1.height, x1 = -1, y1 = -1;
  SkcStatus st;

  memset (&P, 0, sizeof P);
  P.wk = wk;
  P.k = k;
  P.nc = nearest ? 1 : 5;   /* the nearest hides nothing: depth only */
  P.d = d;
  P.angle = angle;
  P.z = z;
  P.Rz = Rz;
  P.in = in;
  P.n_bands = n_threads < wk->R2.height ? n_threads : wk->R2.height;
  if (P.n_bands < 1)
    P.n_bands = 1;
  skc_parallel_run (P.n_bands, prep_sources, &P);
  for (int i = 0; i < P.n_bands; i++)
    any_unknown |= P.any_unknown[i];
  if (any_unknown)
    {
      st = skc_fill_fronts (wk->fillv, P.nc, wk->state, wk->R2.width,
                            wk->R2.height, fill);
      if (st != SKC_OK)
        return st;
    }
  skc_parallel_run (P.n_bands, prep_input, &P);
  for (int i = 0; i < P.n_bands; i++)
    if (P.box[i][2] >= 0)
      {
        x0 = P.box[i][0] < x0 ? P.box[i][0] : x0;
        y0 = P.box[i][1] < y0 ? P.box[i][1] : y0;
        x1 = P.box[i][2] > x1 ? P.box[i][2] : x1;
        y1 = P.box[i][3] > y1 ? P.box[i][3] : y1;
      }
  *nonzero = x1 < 0 ? (SkcRect) { R1.x, R1.y, 0, 0 }
                    : (SkcRect) { R1.x + x0, R1.y + y0, x1 - x0 + 1,
                                  y1 - y0 + 1 };
  return SKC_OK;
}

/* What the varying engine does at size 0 (skc-varying-setup.c,
 * skc-varying-runs.c): each pass copies its input times the weight sum
 * of its layer in basis 0 (1 when within 1e-6 of it). */
static void
identity_blur (const SkcFamily *family, const float *p, int p_stride,
               SkcOutView o)
{
  const SkcComplex *b = family->bases[0];
  float             gain[SKC_MAX_LAYERS];

  for (int l = 0; l < b->n_layers; l++)
    {
      const SkcTap *t = skc_complex_layer (b, l);
      double        g = 0.0;

      for (int i = 0; i < b->n_samples[l]; i++)
        g += t[i].w;
      gain[l] = fabs (g - 1.0) <= 1e-6 ? 1.0f : (float) g;
    }
  for (int y = 0; y < o.rect.height; y++)
    {
      const float *q = p + (size_t) y * p_stride;
      float       *r = o.data + (size_t) y * o.stride;

      memcpy (r, q, 4 * (size_t) o.rect.width * sizeof *r);
      for (int l = 0; l < b->n_layers; l++)
        if (gain[l] != 1.0f)
          for (int x = 0; x < 4 * o.rect.width; x++)
            r[x] = gain[l] * r[x];
    }
}

/* Layer blur over the part of @roi its non-zero pixels reach (halo
 * @halo); zero elsewhere.  The engine is bit-identical for any roi, and
 * gives exactly 0 where nothing non-zero is in reach; where every size in
 * reach is 0 it copies, as identity_blur does. */
static SkcStatus
layer_blur (const SkcFamily *family, const Work *wk, SkcRect nonzero,
            int halo, SkcRect bounds, SkcOutView out,
            const SkcApplyOptions *options)
{
  SkcRect roi = out.rect, part;

  part = skc_rect_empty (nonzero)
         ? nonzero
         : skc_rect_intersect (grow_clip (nonzero, halo, bounds), roi);
  if (part.x != roi.x || part.y != roi.y || part.width != roi.width
      || part.height != roi.height)
    for (int y = 0; y < roi.height; y++)
      memset (out.data + (size_t) y * out.stride, 0,
              4 * (size_t) roi.width * sizeof (float));
  if (skc_rect_empty (part))
    return SKC_OK;
  {
    SkcRect    need = grow_clip (part, halo, bounds);
    SkcRect    R1 = wk->R1;
    size_t     off = (size_t) (need.y - R1.y) * R1.width + (need.x - R1.x);
    SkcOutView o = skc_out_view (out.data
                                 + (size_t) (part.y - roi.y) * out.stride
                                 + 4 * (size_t) (part.x - roi.x),
                                 out.stride, part);
    float     *field = wk->field + 2 * off;
    float     *copy = NULL;
    int        sharp = 1;
    SkcStatus  st;

    for (int y = 0; y < need.height && sharp; y++)
      {
        const float *f = field + 2 * (size_t) y * R1.width;

        for (int x = 0; x < need.width; x++)
          if (f[2 * x] > 0.0f)
            {
              sharp = 0;
              break;
            }
      }
    if (sharp)
      {
        size_t at = (size_t) (part.y - R1.y) * R1.width + (part.x - R1.x);

        identity_blur (family, wk->p + 4 * at, 4 * R1.width, o);
        return SKC_OK;
      }
    /* The engine reads a field covering its input exactly. */
    if (need.width != R1.width || need.height != R1.height)
      {
        copy = malloc (2 * (size_t) need.width * need.height * sizeof *copy);
        if (!copy)
          return SKC_ERR_NOMEM;
        for (int y = 0; y < need.height; y++)
          memcpy (copy + 2 * (size_t) y * need.width,
                  field + 2 * (size_t) y * R1.width,
                  2 * (size_t) need.width * sizeof *copy);
        field = copy;
      }
    st = skc_apply_varying_rgba (family, field,
                                 skc_in_view (wk->p + 4 * off,
                                              4 * R1.width, need),
                                 bounds, o, options);
    free (copy);
    return st;
  }
}

SkcStatus
skc_occlusion_apply_rgba (const SkcFamily *family, const SkcVaryParams *vary,
                          const SkcOcclusionParams *occ, const float *map,
                          int map_stride, SkcInView in, SkcRect bounds,
                          SkcOutView out, const SkcApplyOptions *options)
{
  SkcRect   roi = out.rect, Rz, need;
  Depth     d;
  int       halo, fill, present[N_LAYERS] = { 0 }, nearest = -1, n_threads;
  float    *z = NULL, *layer = NULL;
  Work      wk = { 0 };
  SkcStatus st;

  if (!family || family->n_bases < 1 || !vary || !occ || !map || !in.data
      || !out.data || vary->mode != SKC_VARY_MAP
      || !isfinite (vary->focus) || !isfinite (vary->range)
      || !(vary->range > 0.0f) || !isfinite (vary->diameter_px)
      || vary->diameter_px < 0.0f
      || vary->diameter_px > SKC_MAX_KERNEL_SIZE
      || !isfinite (vary->rotation_rad)
      || !skc_rect_valid (in.rect) || !skc_rect_valid (roi)
      || !skc_rect_valid (bounds) || skc_rect_empty (bounds)
      || map_stride < in.rect.width || in.stride < 4 * in.rect.width
      || out.stride < 4 * roi.width
      || (options && options->struct_size < sizeof *options))
    return SKC_ERR_INVALID;
  if (skc_rect_empty (roi))
    return SKC_OK;
  if (!skc_rect_contains (bounds, roi))
    return SKC_ERR_INVALID;
  n_threads = skc_thread_count (options ? options->n_threads : 0);
  halo = skc_family_halo (family, vary->diameter_px);
  fill = halo < SKC_FILL_MAX ? halo : SKC_FILL_MAX;
  need = grow_clip (roi, skc_occlusion_halo (halo, occ), bounds);
  if (!skc_rect_contains (in.rect, need))
    return SKC_ERR_INVALID;

  d.f = occ->near_white ? vary->focus : 1.0f - vary->focus;
  d.r = vary->range;
  d.diameter = vary->diameter_px;
  wk.R2 = grow_clip (roi, halo + fill, bounds);
  wk.R1 = grow_clip (roi, halo, bounds);
  Rz = need;

  {
    size_t nz = (size_t) Rz.width * Rz.height;
    size_t n2 = (size_t) wk.R2.width * wk.R2.height;
    size_t n1 = (size_t) wk.R1.width * wk.R1.height;

    z = malloc (nz * sizeof *z);
    wk.fillv = malloc (5 * n2 * sizeof *wk.fillv);
    wk.state = malloc (n2 * sizeof *wk.state);
    wk.dmin = malloc (n2 * sizeof *wk.dmin);
    wk.p = malloc (4 * n1 * sizeof *wk.p);
    wk.field = malloc (2 * n1 * sizeof *wk.field);
    layer = malloc (4 * (size_t) roi.width * roi.height * sizeof *layer);
    if (!z || !wk.fillv || !wk.state || !wk.dmin || !wk.p || !wk.field || !layer)
      {
        st = SKC_ERR_NOMEM;
        goto done;
      }
  }
  for (size_t i = 0; i < (size_t) wk.R2.width * wk.R2.height; i++)
    wk.dmin[i] = SKC_FILL_UNKNOWN;
  st = depth_read (map, map_stride, in.rect, Rz, occ, &d, fill, z);
  if (st != SKC_OK)
    goto done;

  /* Which layers any pixel within reach of the roi touches. */
  for (int y = wk.R2.y; y < wk.R2.y + wk.R2.height; y++)
    for (int x = wk.R2.x; x < wk.R2.x + wk.R2.width; x++)
      {
        float w[N_LAYERS];

        weights (&d, z[(size_t) (y - Rz.y) * Rz.width + (x - Rz.x)], w);
        for (int k = 0; k < N_LAYERS; k++)
          present[k] |= w[k] > 0.0f;
      }
  for (int k = 0; k < N_LAYERS; k++)
    if (present[k])
      nearest = k;

  /* Far to near: the first layer present goes straight into @out, the
   * others into @layer, laid over it. */
  {
    int first = 1;

    for (int k = 0; k < N_LAYERS && st == SKC_OK; k++)
      {
        SkcRect    nonzero;
        SkcOutView o = first ? out
                             : skc_out_view (layer, 4 * roi.width, roi);

        if (!present[k])
          continue;
        st = layer_prepare (&wk, k, k == nearest, &d, vary->rotation_rad, z,
                            Rz, in, fill, n_threads, &nonzero);
        if (st == SKC_OK)
          st = layer_blur (family, &wk, nonzero, halo, bounds, o, options);
        if (st != SKC_OK || first)
          {
            first = 0;
            continue;
          }
        for (int y = 0; y < roi.height; y++)
          {
            float       *a = out.data + (size_t) y * out.stride;
            const float *b = layer + 4 * (size_t) y * roi.width;

            for (int x = 0; x < roi.width; x++)
              {
                float t = 1.0f - b[4 * x + 3];

                for (int c = 0; c < 4; c++)
                  a[4 * x + c] = b[4 * x + c] + t * a[4 * x + c];
              }
          }
      }
  }

done:
  free (z);
  free (wk.fillv);
  free (wk.state);
  free (wk.dmin);
  free (wk.p);
  free (wk.field);
  free (layer);
  return st;
}
