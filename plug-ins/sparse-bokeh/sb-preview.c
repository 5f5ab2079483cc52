/* The in-dialog preview, drawn by skc:bokeh in the plug-in's process (see
 * sb-preview.h).  The graph is made once and kept: the op keeps its fit
 * between renders, and a change of settings only sets properties.
 *
 * The result is drawn straight into the preview's area, the selection
 * applied here: gimp_preview_draw_buffer masks with the selection itself
 * from 8-bit thumbnail data, which in GIMP 3.0.4 left the area blank on
 * 16- and 32-bit images and out of register (a seam) on 8-bit ones.  The
 * mix is done in linear light, as the filter's merge through the
 * selection is. */
#include "sb-preview.h"

struct _SbPreview
{
  GimpDrawable *drawable;
  GeglBuffer   *source;
  GeglNode     *graph;
  GeglNode     *input;
  GeglNode     *op;
  GeglNode     *map_node;
  const Babl   *format;       /* what gimp_preview_area_draw wants      */
  GimpImageType type;
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
  p->type = gimp_drawable_is_rgb (drawable)
            ? (gimp_drawable_has_alpha (drawable) ? GIMP_RGBA_IMAGE
                                                  : GIMP_RGB_IMAGE)
            : (gimp_drawable_has_alpha (drawable) ? GIMP_GRAYA_IMAGE
                                                  : GIMP_GRAY_IMAGE);
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

/* @rgba (the filtered area, linear RGBA float) put through the selection
 * over the drawable's own pixels: what merging the filter gives. */
static void
apply_selection (SbPreview *p, GimpImage *image, gint x, gint y, gint w,
                 gint h, gfloat *rgba)
{
  GimpSelection *selection = gimp_image_get_selection (image);
  GeglBuffer    *mask_buf = gimp_drawable_get_buffer (GIMP_DRAWABLE
                                                      (selection));
  gfloat        *orig = g_new (gfloat, (gsize) w * h * 4);
  gfloat        *mask = g_new (gfloat, (gsize) w * h);
  gint           ox, oy;

  gimp_drawable_get_offsets (p->drawable, &ox, &oy);
  gegl_buffer_get (p->source, GEGL_RECTANGLE (x, y, w, h), 1.0,
                   babl_format ("RGBA float"), orig, GEGL_AUTO_ROWSTRIDE,
                   GEGL_ABYSS_NONE);
  gegl_buffer_get (mask_buf, GEGL_RECTANGLE (x + ox, y + oy, w, h), 1.0,
                   babl_format ("Y float"), mask, GEGL_AUTO_ROWSTRIDE,
                   GEGL_ABYSS_NONE);
  for (gsize i = 0; i < (gsize) w * h; i++)
    for (gint c = 0; c < 4; c++)
      rgba[4 * i + c] = orig[4 * i + c]
                        + mask[i] * (rgba[4 * i + c] - orig[4 * i + c]);
  g_free (mask);
  g_free (orig);
  g_object_unref (mask_buf);
}

void
sb_preview_render (SbPreview *p, GimpPreview *area, const SbParams *params,
                   const gchar *kernel, GeglBuffer *map)
{
  GimpImage *image = gimp_item_get_image (GIMP_ITEM (p->drawable));
  GeglNode  *out = p->input;
  gint       x, y, w, h, bpp = babl_format_get_bytes_per_pixel (p->format);
  gfloat    *rgba;
  guchar    *buf;

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
  rgba = g_new (gfloat, (gsize) w * h * 4);
  gegl_node_blit (out, 1.0, GEGL_RECTANGLE (x, y, w, h),
                  babl_format ("RGBA float"), rgba, GEGL_AUTO_ROWSTRIDE,
                  GEGL_BLIT_DEFAULT);
  if (out != p->input && !gimp_selection_is_empty (image))
    apply_selection (p, image, x, y, w, h, rgba);
  buf = g_new (guchar, (gsize) w * h * bpp);
  babl_process (babl_fish (babl_format ("RGBA float"), p->format), rgba, buf,
                (glong) w * h);
  gimp_preview_area_draw (GIMP_PREVIEW_AREA (gimp_preview_get_area (area)),
                          0, 0, w, h, p->type, buf, w * bpp);
  g_free (buf);
  g_free (rgba);
}
