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

/* Layer @k's input and field over R1; *@reach gets the bounding box of
 * its non-zero pixels (empty if none). */
static SkcStatus
layer_prepare (Work *wk, int k, int nearest, const Depth *d, float angle,
               const float *z, SkcRect Rz, SkcInView in, int fill,
               SkcRect *nonzero)
{
  SkcRect   R2 = wk->R2, R1 = wk->R1;
  size_t    n2 = (size_t) R2.width * R2.height;
  int       nc = nearest ? 1 : 5;   /* the nearest hides nothing: depth only */
  int       any_unknown = 0, x0 = R1.width, y0 = R1.height, x1 = -1, y1 = -1;
  SkcStatus st;

  for (int y = 0; y < R2.height; y++)
    {
      const float *zr = z + (size_t) (R2.y + y - Rz.y) * Rz.width
                        + (R2.x - Rz.x);
      const float *ir = in.data + (size_t) (R2.y + y - in.rect.y) * in.stride
                        + 4 * (size_t) (R2.x - in.rect.x);

      for (int x = 0; x < R2.width; x++)
        {
          size_t i = (size_t) y * R2.width + x;
          float  w[N_LAYERS];
          float *v = wk->fillv + i * nc;

          weights (d, zr[x], w);
          if (w[k] > 0.0f)
            {
              wk->state[i] = SKC_FILL_KNOWN;
              if (nc == 5)
                memcpy (v, ir + 4 * (size_t) x, 4 * sizeof *v);
              v[nc - 1] = zr[x];
            }
          else
            {
              wk->state[i] = SKC_FILL_UNKNOWN;
              any_unknown = 1;
            }
        }
    }
  if (any_unknown)
    {
      st = skc_fill_fronts (wk->fillv, nc, wk->state, R2.width, R2.height,
                            fill);
      if (st != SKC_OK)
        return st;
    }

  for (int y = 0; y < R1.height; y++)
    {
      const float *zr = z + (size_t) (R1.y + y - Rz.y) * Rz.width
                        + (R1.x - Rz.x);
      const float *ir = in.data + (size_t) (R1.y + y - in.rect.y) * in.stride
                        + 4 * (size_t) (R1.x - in.rect.x);

      for (int x = 0; x < R1.width; x++)
        {
          size_t       i1 = (size_t) y * R1.width + x;
          size_t       i2 = (size_t) (R1.y + y - R2.y) * R2.width
                            + (R1.x + x - R2.x);
          const float *v = wk->fillv + i2 * nc;
          float       *p = wk->p + 4 * i1;
          float        w[N_LAYERS], hid = 0.0f, zk;
          int          nz = 0;

          weights (d, zr[x], w);
          for (int j = k + 1; j < N_LAYERS; j++)
            hid += w[j];
          if (wk->state[i2] == SKC_FILL_KNOWN)
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
              float keep = nc == 5 && wk->state[i2] <= wk->dmin[i2];

              for (int c = 0; c < 4; c++)
                {
                  p[c] = keep * hid * v[c];
                  nz |= p[c] != 0.0f;
                }
              /* Beyond the fill nothing of the layer is in reach. */
              zk = wk->state[i2] == SKC_FILL_UNKNOWN ? d->f : v[nc - 1];
            }
          wk->field[2 * i1] = size_at (d, zk);
          wk->field[2 * i1 + 1] = angle;
          if (nz)
            {
              x0 = x < x0 ? x : x0;
              x1 = x > x1 ? x : x1;
              y0 = y < y0 ? y : y0;
              y1 = y > y1 ? y : y1;
            }
        }
    }
  for (size_t i = 0; i < n2; i++)
    if (wk->state[i] < wk->dmin[i])
      wk->dmin[i] = wk->state[i];
  *nonzero = x1 < 0 ? (SkcRect) { R1.x, R1.y, 0, 0 }
                    : (SkcRect) { R1.x + x0, R1.y + y0, x1 - x0 + 1,
                                  y1 - y0 + 1 };
  return SKC_OK;
}

/* Layer blur over the part of @roi its non-zero pixels reach (halo
 * @halo); zero elsewhere.  The engine is bit-identical for any roi, and
 * gives exactly 0 where nothing non-zero is in reach. */
static SkcStatus
layer_blur (const SkcFamily *family, const Work *wk, SkcRect nonzero,
            int halo, SkcRect bounds, SkcOutView out,
            const SkcApplyOptions *options)
{
  SkcRect roi = out.rect, part;

  for (int y = 0; y < roi.height; y++)
    memset (out.data + (size_t) y * out.stride, 0,
            4 * (size_t) roi.width * sizeof (float));
  if (skc_rect_empty (nonzero))
    return SKC_OK;
  part = skc_rect_intersect (grow_clip (nonzero, halo, bounds), roi);
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
    float     *field = NULL;
    SkcStatus  st;

    /* The engine reads a field covering its input exactly: copy the
     * part's rows out of R1's. */
    field = malloc (2 * (size_t) need.width * need.height * sizeof *field);
    if (!field)
      return SKC_ERR_NOMEM;
    for (int y = 0; y < need.height; y++)
      memcpy (field + 2 * (size_t) y * need.width,
              wk->field + 2 * (off + (size_t) y * R1.width),
              2 * (size_t) need.width * sizeof *field);
    st = skc_apply_varying_rgba (family, field,
                                 skc_in_view (wk->p + 4 * off,
                                              4 * R1.width, need),
                                 bounds, o, options);
    free (field);
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
  int       halo, fill, present[N_LAYERS] = { 0 }, nearest = -1;
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
                            Rz, in, fill, &nonzero);
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
