/* The blur map: read aligned to the target, painted masks and the
 * aligned map kept as files (see sb-map.h). */
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sb-kernel.h"
#include "sb-map.h"
#include "skc-mask-paint.h"

static GeglBuffer *
buffer_from_values (const float *values, gint width, gint height)
{
  GeglBuffer *buf = gegl_buffer_new (GEGL_RECTANGLE (0, 0, width, height),
                                     babl_format ("Y' float"));

  gegl_buffer_set (buf, GEGL_RECTANGLE (0, 0, width, height), 0,
                   babl_format ("Y' float"), values, GEGL_AUTO_ROWSTRIDE);
  return buf;
}

static GeglBuffer *
painted_buffer (const gchar *path, gint width, gint height, GError **error)
{
  gint        mw, mh;
  float      *mask = sb_map_load_painted (path, &mw, &mh);
  float      *values;
  GeglBuffer *buf = NULL;

  if (!mask)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("Cannot read the painted mask '%s'."), path);
      return NULL;
    }
  values = g_try_new (float, (gsize) width * height);
  if (values)
    {
      skc_mask_resample (mask, mw, mh, values, width, height);
      buf = buffer_from_values (values, width, height);
    }
  else
    g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0,
                         _("Not enough memory for the blur map."));
  g_free (values);
  g_free (mask);
  return buf;
}

GeglBuffer *
sb_map_buffer (const SbParams *p, GimpDrawable *drawable, GError **error)
{
  gint        w = gimp_drawable_get_width (drawable);
  gint        h = gimp_drawable_get_height (drawable);
  gint        tx, ty, mx, my;
  GeglBuffer *src, *buf;
  float      *values;

  if (p->map_source == SB_MAP_PAINTED)
    return painted_buffer (p->painted_mask, w, h, error);

  values = g_try_new (float, (gsize) w * h);
  if (!values)
    {
      g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0,
                           _("Not enough memory for the blur map."));
      return NULL;
    }
  gimp_drawable_get_offsets (drawable, &tx, &ty);
  gimp_drawable_get_offsets (p->map, &mx, &my);
  src = gimp_drawable_get_buffer (p->map);
  /* target (u, v) = image (u + tx, v + ty) = map (u + tx - mx, ...) */
  gegl_buffer_get (src, GEGL_RECTANGLE (tx - mx, ty - my, w, h), 1.0,
                   babl_format ("Y' float"), values, GEGL_AUTO_ROWSTRIDE,
                   GEGL_ABYSS_CLAMP);
  g_object_unref (src);
  buf = buffer_from_values (values, w, h);
  g_free (values);
  return buf;
}

gchar *
sb_map_save_painted (const float *values, gint width, gint height,
                     GError **error)
{
  SkcImage *img = NULL;
  gchar    *path;

  if (skc_image_new (width, height, 1, &img) != SKC_OK)
    {
      g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0,
                           _("Not enough memory for the painted mask."));
      return NULL;
    }
  memcpy (img->data, values, (gsize) width * height * sizeof (float));
  path = sb_profile_store_image (img, "masks", "mask", error);
  skc_image_free (img);
  return path;
}

float *
sb_map_load_painted (const gchar *path, gint *width, gint *height)
{
  SkcImage *img = NULL;
  float    *values = NULL;

  if (!path || !*path || skc_image_load (path, &img) != SKC_OK)
    return NULL;
  values = g_new (float, (gsize) img->width * img->height);
  for (gsize i = 0; i < (gsize) img->width * img->height; i++)
    values[i] = CLAMP (img->data[i * img->channels], 0.0f, 1.0f);
  *width = img->width;
  *height = img->height;
  skc_image_free (img);
  return values;
}

gchar *
sb_map_data (GeglBuffer *map, GError **error)
{
  const GeglRectangle *r = gegl_buffer_get_extent (map);
  gfloat              *values = g_try_new (gfloat, (gsize) r->width * r->height);
  SkcImage            *grid = NULL;
  char                *data = NULL;
  gchar               *text = NULL;
  SkcStatus            st = SKC_ERR_NOMEM;

  if (values)
    {
      gegl_buffer_get (map, r, 1.0, babl_format ("Y' float"), values,
                       GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      st = skc_map_shrink (values, r->width, r->height, SB_MAP_MAX_SIDE,
                           &grid);
    }
  if (st == SKC_OK)
    st = skc_inline_encode_image (grid, r->width, r->height, &data);
  if (st == SKC_OK)
    text = g_strdup (data);
  else
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("Cannot store the blur map in the effect: %s"),
                 skc_status_message (st));
  free (data);
  skc_image_free (grid);
  g_free (values);
  return text;
}
