/* Parameter fields for spatially varying filtering, and highlights.
 *
 * A field gives every pixel a kernel diameter (size, px) and a kernel
 * rotation (angle, radians, counter-clockwise on screen); the varying
 * apply (skc-apply-varying.c) interpolates the family there.  Positions
 * are pixel indices: pixel (x, y) sits at (x, y), y down.  With p the
 * pixel, c = (cx, cy), S = params->size and clamp01 (v) = min (max (v, 0), 1):
 *
 *   uniform     size = S, angle = rotation
 *   map         size = S clamp01 (|m (p) - focus| / range), angle = rotation;
 *               m (p) is the map at p, clamped to the map's rectangle (a
 *               non-finite map value counts as in focus)
 *   tilt-shift  d = |(p - c) . n|, n = (sin a, cos a) the band's normal for
 *               a band direction (cos a, -sin a) on screen (a = angle,
 *               counter-clockwise); size = S clamp01 ((d - width / 2) /
 *               falloff), angle = rotation
 *   spin        r = |p - c|, phi = atan2 (-(py - cy), px - cx) the direction
 *               of p seen from c (counter-clockwise on screen);
 *               size = S clamp01 (r / radius), angle = rotation + phi + pi/2:
 *               the kernel's x axis follows the circle through p, so a
 *               line kernel along x blurs along circles (rotational blur)
 *               and a bokeh shape turns with its position
 *   zoom        as spin with angle = rotation + phi: the kernel's x axis
 *               points away from c, so a line kernel along x blurs along
 *               the radius (radial motion blur)
 *
 * Highlights boost linear values above a threshold before the blur so that
 * point lights keep their energy concentrated and bloom into the kernel's
 * shape, as in GEGL's and Photoshop's lens blur.
 */
#include "skc.h"
#include "skc-private.h"

#include <math.h>
#include <string.h>

void
skc_vary_params_init (SkcVaryParams *params, SkcVaryMode mode)
{
  if (!params)
    return;
  memset (params, 0, sizeof *params);
  params->mode = mode;
  params->diameter_px = 21.0f;
  params->rotation_rad = 0.0f;
  params->focus = 0.0f;
  params->range = 1.0f;
  params->cx = 0.0f;        /* callers set the centre: the image's, usually */
  params->cy = 0.0f;
  params->angle = 0.0f;     /* horizontal band */
  params->width = 64.0f;
  params->falloff = 128.0f;
  params->radius = 256.0f;
}

static int
finite_nonneg (float v)
{
  return isfinite (v) && v >= 0.0f;
}

static SkcStatus
check_params (const SkcVaryParams *p)
{
  if (!finite_nonneg (p->diameter_px) || p->diameter_px > SKC_MAX_KERNEL_SIZE
      || !isfinite (p->rotation_rad))
    return SKC_ERR_INVALID;
  switch (p->mode)
    {
    case SKC_VARY_UNIFORM:
      return SKC_OK;
    case SKC_VARY_MAP:
      return isfinite (p->focus) && isfinite (p->range) && p->range > 0.0f
             ? SKC_OK : SKC_ERR_INVALID;
    case SKC_VARY_TILT_SHIFT:
      return isfinite (p->cx) && isfinite (p->cy) && isfinite (p->angle)
             && finite_nonneg (p->width) && isfinite (p->falloff)
             && p->falloff > 0.0f ? SKC_OK : SKC_ERR_INVALID;
    case SKC_VARY_SPIN:
    case SKC_VARY_ZOOM:
      return isfinite (p->cx) && isfinite (p->cy) && isfinite (p->radius)
             && p->radius > 0.0f ? SKC_OK : SKC_ERR_INVALID;
    default:
      return SKC_ERR_INVALID;
    }
}

static double
clamp01 (double v)
{
  return v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v;
}

SkcStatus
skc_vary_field (const SkcVaryParams *params, SkcRect rect, const float *map,
                int map_stride, SkcRect map_rect, float *field)
{
  SkcStatus st;
  double    s_max, sn, cs;

  if (!params || !field || rect.width < 0 || rect.height < 0
      || rect.width > SKC_MAX_IMAGE_SIDE || rect.height > SKC_MAX_IMAGE_SIDE)
    return SKC_ERR_INVALID;
  st = check_params (params);
  if (st != SKC_OK)
    return st;
  if (params->mode == SKC_VARY_MAP
      && (!map || map_rect.width < 1 || map_rect.height < 1
          || map_stride < map_rect.width))
    return SKC_ERR_INVALID;

  s_max = params->diameter_px;
  sn = sin ((double) params->angle);
  cs = cos ((double) params->angle);
  for (int j = 0; j < rect.height; j++)
    {
      int    y = rect.y + j;
      float *f = field + (size_t) j * 2 * rect.width;

      for (int i = 0; i < rect.width; i++)
        {
          int    x = rect.x + i;
          double dx = x - (double) params->cx, dy = y - (double) params->cy;
          double size = s_max, angle = params->rotation_rad;

          switch (params->mode)
            {
            case SKC_VARY_MAP:
              {
                int    mx = x - map_rect.x, my = y - map_rect.y;
                int    mw = map_rect.width, mh = map_rect.height;
                double m;

                mx = mx < 0 ? 0 : mx >= mw ? mw - 1 : mx;
                my = my < 0 ? 0 : my >= mh ? mh - 1 : my;
                m = map[(size_t) my * map_stride + mx];
                size = isfinite (m) ? s_max * clamp01 (fabs (m - params->focus)
                                                       / params->range)
                                    : 0.0;
              }
              break;
            case SKC_VARY_TILT_SHIFT:
              {
                double d = fabs (dx * sn + dy * cs);

                size = s_max * clamp01 ((d - 0.5 * params->width)
                                         / params->falloff);
              }
              break;
            case SKC_VARY_SPIN:
            case SKC_VARY_ZOOM:
              {
                double r = hypot (dx, dy);
                double phi = atan2 (-dy, dx);

                size = s_max * clamp01 (r / params->radius);
                angle += params->mode == SKC_VARY_SPIN ? phi + 0.5 * M_PI : phi;
              }
              break;
            default:
              break;
            }
          f[2 * i] = (float) size;
          f[2 * i + 1] = (float) angle;
        }
    }
  return SKC_OK;
}

void
skc_highlights_rgba (float *rgba, size_t n_pixels, float threshold, float gain)
{
  if (!rgba || gain == 0.0f || !isfinite (gain) || !isfinite (threshold))
    return;
  for (size_t i = 0; i < n_pixels; i++)
    for (int c = 0; c < 3; c++)
      {
        float v = rgba[4 * i + c];

        if (v > threshold)
          rgba[4 * i + c] = v + gain * (v - threshold);
      }
}
