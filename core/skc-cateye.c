/* Cat's eye across the frame: optical vignetting (issue 15).
 *
 * Off the optical axis a lens's barrel clips the aperture: the bokeh of a
 * point light is the aperture's shape cut by a second, offset circle, more
 * and more towards the frame's edges, the cut facing away from the frame's
 * centre.  Here, for a kernel K of diameter d (radius R = d / 2) and a
 * clip amount c in 0..1 towards the direction a (radians, counter-clockwise
 * on screen, y down), the clipped kernel is
 *
 *   K_c,a (u) = K (u) cov (R + 2 - |u - c R (cos a, -sin a)|) / sum
 *
 * with u measured from the kernel's centre, cov (v) = min (max (v, 0), 1)
 * (a one-pixel linear edge, one pixel out, beyond the kernel's own
 * anti-aliased rim, so that c = 0 is K itself) and the sum taken so that K_c,a has unit
 * sum (the blur keeps a flat area's brightness).  c = 1 leaves the lens
 * where two circles of radius R, R apart, overlap with K.
 *
 * Across the frame, with the frame's centre C, its half-diagonal h, a
 * strength S and a start fraction s0 (skc_cateye_at): pixel p at distance
 * r = |p - C| gets c = S clamp01 ((r / h - s0) / (1 - s0)) and the
 * direction a from p towards C.
 *
 * Spatially varying through the family machinery (METHOD.md section 4):
 * the family's parameter is the clip amount instead of the diameter.
 * Basis k is K clipped along +x by c_k = k / (n - 1); its "size" is
 * d (1 + c_k), so the varying apply (skc-apply-varying.c) interpolates the
 * bases tap by tap at s = d (1 + c) and turns the taps by the pixel's
 * angle a: the rotated, interpolated complex stands for K rotated by a,
 * clipped towards a.  (The whole kernel turns with a, as in the spin
 * mode: exact for round apertures; a polygon or heart turns with its
 * position in the frame.)  Basis 0 is the plain kernel's complex as the
 * caller has it; basis k > 0 is warm-started from basis k - 1 and refined
 * (skc_fit_from), so tap i stays the same sample along the family.  The
 * bases are fitted at a diameter of at most SKC_FAMILY_CANON_TOP and
 * scaled to the kernel's diameter beyond it, as the canonical size family
 * does (the circle's margin is drawn for the kernel's own size, so the
 * scaled bases cut where the truth does).  The parameter is quantised before the apply (skc_cateye_field):
 * the clip to 1/SKC_CATEYE_CLIP_STEPS, the angle to
 * 2 pi / SKC_CATEYE_ANGLE_STEPS, so neighbouring pixels share stencils.
 */
#include "skc.h"
#include "skc-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void
skc_cateye_params_init (SkcCateyeParams *params)
{
  if (!params)
    return;
  memset (params, 0, sizeof *params);
  params->strength = 0.5f;
  params->start = 0.3f;
  params->half_diagonal = 1.0f;
}

static double
clamp01 (double v)
{
  return v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v;
}

static int
params_ok (const SkcCateyeParams *p)
{
  return p && p->strength >= 0.0f && p->strength <= 1.0f
         && p->start >= 0.0f && p->start <= 1.0f
         && isfinite (p->cx) && isfinite (p->cy)
         && p->half_diagonal > 0.0f && isfinite (p->half_diagonal);
}

void
skc_cateye_at (const SkcCateyeParams *p, float x, float y, float *clip,
               float *angle)
{
  double dx = (double) p->cx - x, dy = (double) p->cy - y;
  double r = sqrt (dx * dx + dy * dy) / p->half_diagonal;
  double c = p->start >= 1.0f ? 0.0
             : p->strength * clamp01 ((r - p->start) / (1.0 - p->start));

  *clip = (float) c;
  /* towards the centre, counter-clockwise on screen (y down) */
  *angle = c > 0.0 ? (float) atan2 (-dy, dx) : 0.0f;
}

/* @kernel times the circle, drawn for a kernel shown @scale times larger
 * (the family's bases are fitted smaller than they are used): the
 * circle's radius and the margin scale, the anti-aliased edge stays one
 * pixel of @kernel. */
static SkcStatus
clip_scaled (const SkcKernel *kernel, float diameter, float clip,
             float angle, double scale, SkcKernel **out)
{
  SkcKernel *k;
  SkcStatus  st;
  double     R = 0.5 * diameter, cx, cy, edge;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!kernel || !kernel->data || !(diameter > 0.0f) || !isfinite (diameter)
      || !(clip >= 0.0f && clip <= 1.0f) || !isfinite (angle))
    return SKC_ERR_INVALID;
  st = skc_kernel_copy (kernel, &k);
  if (st != SKC_OK)
    return st;
  cx = clip * R * cos ((double) angle);
  cy = -clip * R * sin ((double) angle);
  /* the edge's middle at R + 1.5 px of the shown kernel */
  edge = R + 1.5 / scale + 0.5;
  for (int j = 0; j < k->height; j++)
    for (int i = 0; i < k->width; i++)
      {
        double u = i - k->width / 2 - cx, v = j - k->height / 2 - cy;

        k->data[j * k->width + i] *= (float) clamp01 (edge - hypot (u, v));
      }
  st = skc_kernel_normalize (k);
  if (st != SKC_OK)
    {
      skc_kernel_free (k);
      return st;
    }
  *out = k;
  return SKC_OK;
}

SkcStatus
skc_cateye_clip (const SkcKernel *kernel, float diameter, float clip,
                 float angle, SkcKernel **out)
{
  return clip_scaled (kernel, diameter, clip, angle, 1.0, out);
}

SkcStatus
skc_cateye_family (const SkcComplex *plain, const SkcKernel *target,
                   float fit_diameter, float diameter, int n_bases,
                   const SkcFitOptions *options, SkcFamily **out)
{
  SkcFamily    *fam;
  SkcFitOptions o;
  SkcStatus     st = SKC_OK;
  float         scale;
  int           n;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!plain || !target || !options
      || options->struct_size < sizeof *options || n_bases < 2
      || n_bases > SKC_MAX_BASES || !(fit_diameter > 0.0f) || !(diameter > 0.0f)
      || !isfinite (diameter) || diameter > SKC_MAX_KERNEL_SIZE)
    return SKC_ERR_INVALID;
  fam = calloc (1, sizeof *fam);
  if (!fam)
    return SKC_ERR_NOMEM;
  fam->n_bases = n_bases;
  o = *options;
  /* A refinement: as the size family's warm bases (skc-family.c). */
  o.lr_offset[0] *= 0.25f;
  o.lr_weight[0] *= 0.25f;
  o.steps = (options->steps + 1) / 2;
  o.max_reach = (float) (SKC_FAMILY_REACH * fit_diameter
                         + SKC_FAMILY_REACH_PAD);
  st = skc_complex_copy (plain, &fam->bases[0]);
  for (int k = 1; k < n_bases && st == SKC_OK; k++)
    {
      SkcKernel      *t = NULL;
      SkcProgressPart part = { options->progress, options->progress_data,
                               k - 1, n_bases - 1 };

      o.progress = options->progress ? skc_progress_part_report : NULL;
      o.progress_data = &part;
      st = clip_scaled (target, fit_diameter, (float) k / (n_bases - 1),
                        0.0f, (double) diameter / fit_diameter, &t);
      if (st == SKC_OK)
        st = skc_fit_from (t, &o, fam->bases[k - 1], &fam->bases[k]);
      skc_kernel_free (t);
    }
  if (st != SKC_OK)
    {
      skc_family_free (fam);
      return st;
    }
  scale = diameter / fit_diameter;
  n = skc_complex_total_taps (plain);
  for (int k = 0; k < n_bases; k++)
    {
      fam->sizes[k] = diameter * (1.0f + (float) k / (n_bases - 1));
      for (int i = 0; i < n; i++)
        {
          fam->bases[k]->taps[i].ox *= scale;
          fam->bases[k]->taps[i].oy *= scale;
        }
      skc_ascii_snprintf (fam->bases[k]->kernel_name,
                          sizeof fam->bases[k]->kernel_name,
                          "cateye@%.3f", (double) k / (n_bases - 1));
    }
  *out = fam;
  return SKC_OK;
}

/* atan2 (y, x) in float, within 1e-5 rad: a minimax odd polynomial for
 * atan on [0, 1] (error about 1e-5, far below the field's angle step of
 * 2 pi / SKC_CATEYE_ANGLE_STEPS) and the octant folded by hand.  The
 * field needs the angle only to pick its sector, so a value a hair off
 * moves a pixel by at most one sector at a sector's edge, which the
 * engine's bound on quantised stencils covers like any other step. */
static inline float
fast_atan2 (float y, float x)
{
  float ax = fabsf (x), ay = fabsf (y);
  float lo = ax < ay ? ax : ay, hi = ax < ay ? ay : ax;
  float z = hi > 0.0f ? lo / hi : 0.0f, z2 = z * z, a;

  a = z * (0.99997726f + z2 * (-0.33262347f + z2 * (0.19354346f
      + z2 * (-0.11643287f + z2 * (0.05265332f + z2 * -0.01172120f)))));
  if (ay > ax)
    a = 1.57079633f - a;
  if (x < 0.0f)
    a = 3.14159265f - a;
  return y < 0.0f ? -a : a;
}

SkcStatus
skc_cateye_field (const SkcCateyeParams *params, float diameter,
                  SkcRect rect, float *field)
{
  const float steps = SKC_CATEYE_CLIP_STEPS;
  const float per_rad = (float) (SKC_CATEYE_ANGLE_STEPS / (2.0 * M_PI));
  const float rad_per = (float) (2.0 * M_PI / SKC_CATEYE_ANGLE_STEPS);
  float       inv_h, r0, span, r0_sq;

  if (!params_ok (params) || !field || rect.width < 0 || rect.height < 0
      || !(diameter > 0.0f) || !isfinite (diameter))
    return SKC_ERR_INVALID;
  /* c = strength clamp01 ((r / h - start) / (1 - start)), as skc_cateye_at,
   * in float; below the start radius (plus half a clip step) c rounds to
   * 0 and no angle is needed. */
  inv_h = 1.0f / params->half_diagonal;
  r0 = params->start;
  span = params->start < 1.0f ? params->strength / (1.0f - params->start)
                              : 0.0f;
  r0_sq = span > 0.0f ? r0 + 0.5f / (steps * span) : INFINITY;
  r0_sq = r0_sq * r0_sq * params->half_diagonal * params->half_diagonal;
  for (int y = 0; y < rect.height; y++)
    {
      float  dy = params->cy - (float) (rect.y + y);
      float *f = field + 2 * (size_t) y * rect.width;

      for (int x = 0; x < rect.width; x++)
        {
          float dx = params->cx - (float) (rect.x + x);
          float r_sq = dx * dx + dy * dy, c, a;

          f[2 * x] = diameter;
          f[2 * x + 1] = 0.0f;
          if (r_sq < r0_sq)
            continue;
          c = span * (sqrtf (r_sq) * inv_h - r0);
          c = c < params->strength ? c : params->strength;
          c = floorf (c * steps + 0.5f) / steps;
          if (!(c > 0.0f))
            continue;
          /* towards the centre, counter-clockwise on screen (y down) */
          a = floorf (fast_atan2 (-dy, dx) * per_rad + 0.5f) * rad_per;
          f[2 * x] = diameter * (1.0f + c);
          f[2 * x + 1] = a != 0.0f ? a : 0.0f;
        }
    }
  return SKC_OK;
}
