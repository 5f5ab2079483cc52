/* gegl:lens-blur driven by a depth map, the baseline beside the map mode
 * and occlusion (tests/test-occlusion.c, tests/bench/bench-occlusion.c).
 */
#ifndef LENS_BLUR_MAP_H
#define LENS_BLUR_MAP_H

#include <gegl.h>

/* A gegl:lens-blur node in @graph over @photo (@width x @height,
 * premultiplied linear RGBA float) with the blur amount
 * clamp01 (|map - focus| / range) on its aux input (linear-mask: read as
 * it is) and @radius: a pixel at amount 1 gets a disk of radius @radius,
 * as the map mode's diameter 2 @radius there.  The graph holds the
 * buffers; blit the node as "RaGaBaA float", then unref @graph. */
GeglNode *lens_blur_map (GeglNode *graph, const float *photo,
                         const float *map, int width, int height,
                         float focus, float range, double radius);

#endif
