/* Rectangles of the apply engines, and the argument checks every RGBA
 * apply (skc_apply_rgba, skc_exact_apply_rgba) shares.
 *
 * Coordinates are accepted up to SKC_RECT_COORD_LIMIT (2^28) from the
 * origin and sides up to SKC_MAX_IMAGE_SIDE: far beyond any image, small
 * enough that a coordinate plus sides and halos never overflows an int.
 */
#include "skc-apply-private.h"

#include <stdint.h>

int
skc_rect_empty (SkcRect r)
{
  return r.width <= 0 || r.height <= 0;
}

SkcRect
skc_rect_intersect (SkcRect a, SkcRect b)
{
  int x0 = a.x > b.x ? a.x : b.x;
  int y0 = a.y > b.y ? a.y : b.y;
  int x1 = a.x + a.width < b.x + b.width ? a.x + a.width : b.x + b.width;
  int y1 = a.y + a.height < b.y + b.height ? a.y + a.height : b.y + b.height;

  if (x1 <= x0 || y1 <= y0)
    return (SkcRect) { x0, y0, 0, 0 };
  return (SkcRect) { x0, y0, x1 - x0, y1 - y0 };
}

int
skc_rect_contains (SkcRect outer, SkcRect inner)
{
  if (skc_rect_empty (inner))
    return 1;
  return inner.x >= outer.x && inner.y >= outer.y
         && inner.x + inner.width <= outer.x + outer.width
         && inner.y + inner.height <= outer.y + outer.height;
}

int
skc_rect_valid (SkcRect r)
{
  return r.width >= 0 && r.height >= 0
         && r.width <= SKC_MAX_IMAGE_SIDE && r.height <= SKC_MAX_IMAGE_SIDE
         && r.x >= -SKC_RECT_COORD_LIMIT && r.x <= SKC_RECT_COORD_LIMIT
         && r.y >= -SKC_RECT_COORD_LIMIT && r.y <= SKC_RECT_COORD_LIMIT;
}

/* Address range of a @r.width x @r.height block of RGBA with @stride. */
static void
block_range (const float *p, SkcRect r, ptrdiff_t stride,
             uintptr_t *start, uintptr_t *end)
{
  *start = (uintptr_t) p;
  *end = *start;
  if (!skc_rect_empty (r))
    *end += ((size_t) (r.height - 1) * (size_t) stride + 4 * (size_t) r.width)
            * sizeof (float);
}

SkcStatus
skc_apply_check_args (SkcInView src, SkcRect bounds, SkcOutView dst,
                      int halo, const SkcApplyOptions *options)
{
  SkcRect   in_rect = src.rect, roi = dst.rect, need;
  uintptr_t a0, a1, b0, b1;

  if (!src.data || !dst.data)
    return SKC_ERR_INVALID;
  if (!skc_rect_valid (in_rect) || !skc_rect_valid (bounds)
      || !skc_rect_valid (roi))
    return SKC_ERR_INVALID;
  if (src.stride < 4 * in_rect.width || dst.stride < 4 * roi.width)
    return SKC_ERR_INVALID;
  if (options && (options->struct_size < sizeof *options
                  || options->n_threads < 0))
    return SKC_ERR_INVALID;
  if (skc_rect_empty (roi))
    return SKC_OK;
  if (!skc_rect_contains (bounds, roi))
    return SKC_ERR_INVALID;
  need = (SkcRect) { roi.x - halo, roi.y - halo,
                     roi.width + 2 * halo, roi.height + 2 * halo };
  need = skc_rect_intersect (need, bounds);
  if (!skc_rect_contains (in_rect, need))
    return SKC_ERR_INVALID;
  block_range (src.data, in_rect, src.stride, &a0, &a1);
  block_range (dst.data, roi, dst.stride, &b0, &b1);
  if (a0 < b1 && b0 < a1)
    return SKC_ERR_INVALID;
  return SKC_OK;
}
