/* Blur maps read from files for skc:bokeh's map-file property
 * (skc-bokeh-mapfile.c).
 *
 * A map file is a gray PNG (8 or 16 bit) or PFM read by the core
 * (skc_image_load): values are the stored ones scaled to 0..1, i.e. Y'
 * code values for a PNG, the same numbers skc:bokeh-map reads from its aux
 * input as "Y' float".  A colour file is turned into Y' by babl, as GEGL
 * would on the aux input; an alpha channel is ignored.
 *
 * Maps are cached in memory, process-wide, by path, mtime and size (like
 * kernel files), so every tile, thread and instance shares one copy and a
 * rewritten file is read again.  Thread safe.
 *
 * A map is checked: its declared size within the core's pixel budget
 * before it is decoded, finite values, and the size of the image it
 * drives (skc_bokeh_map_fits); it is never scaled.
 */
#ifndef SKC_BOKEH_MAPFILE_H
#define SKC_BOKEH_MAPFILE_H

#include <glib.h>
#include <gegl.h>

G_BEGIN_DECLS

typedef struct
{
  /*< private >*/
  gint     ref_count;
  /*< public, read-only >*/
  gint     width;
  gint     height;
  gfloat  *values;     /* width x height, rows top to bottom           */
  gchar   *identity;   /* "map:PATH@MTIME:BYTES"                       */
} SkcBokehMap;

/* The identity of the map file @path, or NULL with @error (a translated
 * message naming the file) when it cannot be read.  A stat only. */
gchar       *skc_bokeh_map_identity (const gchar       *path,
                                     GError           **error);
/* The map in @path, from the cache or read now: a new reference, or
 * NULL with @error. */
SkcBokehMap *skc_bokeh_map_get      (const gchar       *path,
                                     GError           **error);
void         skc_bokeh_map_unref    (SkcBokehMap       *map);
/* TRUE if @map has the size of @bounds (or @bounds is empty or infinite);
 * FALSE with @error naming @path and both sizes. */
gboolean     skc_bokeh_map_fits     (const SkcBokehMap   *map,
                                     const gchar         *path,
                                     const GeglRectangle *bounds,
                                     GError             **error);
/* Fill @out (@width x @height floats) with the map's values at
 * (@x .. @x + @width - 1, @y .. @y + @height - 1), pixel (0, 0) being the
 * map's first one, the edges repeated outside. */
void         skc_bokeh_map_read     (const SkcBokehMap *map,
                                     gint               x,
                                     gint               y,
                                     gint               width,
                                     gint               height,
                                     gfloat            *out);

G_END_DECLS

#endif
