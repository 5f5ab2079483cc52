/* gegl:lens-blur driven by a depth map (see lens-blur-map.h). */
#include "lens-blur-map.h"

#include <math.h>
#include <stdlib.h>

GeglNode *
lens_blur_map (GeglNode *graph, const float *photo, const float *map,
               int width, int height, float focus, float range,
               double radius)
{
  GeglRectangle all = { 0, 0, width, height };
  const Babl   *rgba = babl_format ("RaGaBaA float");
  const Babl   *y = babl_format ("Y float");
  GeglBuffer   *in = gegl_buffer_new (&all, rgba);
  GeglBuffer   *aux = gegl_buffer_new (&all, y);
  size_t        n = (size_t) width * height;
  float        *amount = malloc (sizeof (float) * (n ? n : 1));
  GeglNode     *src, *asrc, *blur;

  if (!amount)
    abort ();
  for (size_t i = 0; i < n; i++)
    {
      float a = fabsf (map[i] - focus) / range;

      amount[i] = a > 1.0f ? 1.0f : a;
    }
  gegl_buffer_set (in, &all, 0, rgba, photo, GEGL_AUTO_ROWSTRIDE);
  gegl_buffer_set (aux, &all, 0, y, amount, GEGL_AUTO_ROWSTRIDE);
  free (amount);
  src = gegl_node_new_child (graph, "operation", "gegl:buffer-source",
                             "buffer", in, NULL);
  asrc = gegl_node_new_child (graph, "operation", "gegl:buffer-source",
                              "buffer", aux, NULL);
  blur = gegl_node_new_child (graph, "operation", "gegl:lens-blur",
                              "radius", radius, "linear-mask", TRUE, NULL);
  gegl_node_link (src, blur);
  gegl_node_connect (asrc, "output", blur, "aux");
  /* the source nodes hold their buffers now */
  g_object_unref (in);
  g_object_unref (aux);
  return blur;
}
