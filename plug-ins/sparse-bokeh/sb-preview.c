/* The in-dialog preview, drawn by skc:bokeh in the plug-in's process (see
 * sb-preview.h).  The graph is made once and kept: the op keeps its fit
 * between renders, and a change of settings only sets properties. */
#include "sb-preview.h"

struct _SbPreview
{
  GimpDrawable *drawable;
  GeglBuffer   *source;
  GeglNode     *graph;
  GeglNode     *input;
  GeglNode     *op;
  GeglNode     *map_node;
  const Babl   *format;       /* what gimp_preview_draw_buffer wants     */
};

static const Babl *
preview_format (GimpDrawable *d)
{
  gboolean alpha = gimp_drawable_has_alpha (d);

  if (gimp_drawable_is_rgb (d))
    return babl_format (alpha ? "R'G'B'A u8" : "R'G'B' u8");
  return babl_format (alpha ? "Y'A u8" : "Y' u8");
}

SbPreview *
sb_preview_new (GimpDrawable *drawable)
{
  SbPreview *p = g_new0 (SbPreview, 1);

  p->drawable = drawable;
  p->format = preview_format (drawable);
  p->source = gimp_drawable_get_buffer (drawable);
  p->graph = gegl_node_new ();
  p->input = gegl_node_new_child (p->graph, "operation", "gegl:buffer-source",
                                  "buffer", p->source, NULL);
  /* The map is at hand as a buffer: the composer takes it on aux. */
  if (gegl_has_operation (SB_OP_MAP))
    {
      p->op = gegl_node_new_child (p->graph, "operation", SB_OP_MAP, NULL);
      p->map_node = gegl_node_new_child (p->graph,
                                         "operation", "gegl:buffer-source",
                                         NULL);
      gegl_node_link (p->input, p->op);
    }
  return p;
}

void
sb_preview_free (SbPreview *p)
{
  if (!p)
    return;
  g_clear_object (&p->graph);
  g_clear_object (&p->source);
  g_free (p);
}

gboolean
sb_preview_available (SbPreview *p)
{
  return p->op != NULL;
}

void
sb_preview_render (SbPreview *p, GimpPreview *area, const SbParams *params,
                   const gchar *kernel, GeglBuffer *map)
{
  GeglNode *out = p->input;
  gint      x, y, w, h, bpp = babl_format_get_bytes_per_pixel (p->format);
  guchar   *buf;

  gimp_preview_get_position (area, &x, &y);
  gimp_preview_get_size (area, &w, &h);
  if (w <= 0 || h <= 0)
    return;
  if (p->op && kernel)
    {
      sb_op_configure (G_OBJECT (gegl_node_get_gegl_operation (p->op)),
                       params, kernel, NULL);
      if (map)
        {
          gegl_node_set (p->map_node, "buffer", map, NULL);
          gegl_node_connect (p->map_node, "output", p->op, "aux");
        }
      else
        gegl_node_disconnect (p->op, "aux");
      out = p->op;
    }
  buf = g_new (guchar, (gsize) w * h * bpp);
  gegl_node_blit (out, 1.0, GEGL_RECTANGLE (x, y, w, h), p->format, buf,
                  GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
  gimp_preview_draw_buffer (area, buf, w * bpp);
  g_free (buf);
}
