/* Blur maps for skc:bokeh: read from files (the map-file property) or
 * from inline data (map-data, a compact grid carried by the effect)
 * (skc-bokeh-mapfile.c).
 *
 * A map file is a gray PNG (8 or 16 bit) or PFM read by the core
 * (skc_image_load): values are the stored ones scaled to 0..1, i.e. Y'
 * code values for a PNG, the same numbers skc:bokeh-map reads from its aux
 * input as "Y' float".  A colour file is turned into Y' by babl, as GEGL
 * would on the aux input; an alpha channel is ignored.
 *
 * Inline data (skc_inline_decode) holds a grid of at most a few hundred
 * pixels a side and the size W x H it covers: it is sampled bilinearly
 * (skc_map_sample), never expanded in memory.
 *
 * Maps are cached in memory, process-wide, by path, mtime and size (like
 * kernel files) or by a digest of the data, so every tile, thread and
 * instance shares one copy and a rewritten file is read again.  Thread
 * safe.
 *
 * A map is checked: its declared size within the core's pixel budget
 * before it is decoded, finite values, and the size of the image it
 * drives (skc_bokeh_map_fits); a file is never scaled (stored data is a
 * grid standing for its declared size).
 */
#ifndef SKC_BOKEH_MAPFILE_H
#define SKC_BOKEH_MAPFILE_H

#include <glib.h>
#include <gegl.h>

#include "skc.h"

G_BEGIN_DECLS

typedef struct
{
  /*< private >*/
  gint     ref_count;
  /*< public, read-only >*/
  gint      width;
  gint      height;
  gfloat   *values;    /* width x height, rows top to bottom, or NULL  */
  SkcImage *grid;      /* inline data: the grid standing for them      */
  gchar    *identity;  /* "map:PATH@MTIME:BYTES" or "map-data:DIGEST"  */
} SkcBokehMap;

/* The identity of the map file @path, or NULL with @error (a translated
 * message naming the file) when it cannot be read.  A stat only. */
gchar       *skc_bokeh_map_identity (const gchar       *path,
                                     GError           **error);
/* The map in @path, from the cache or read now: a new reference, or
 * NULL with @error.  A file whose header declares another size than
 * @bounds (NULL: any) is refused before it is decoded. */
SkcBokehMap *skc_bokeh_map_get      (const gchar         *path,
                                     const GeglRectangle *bounds,
                                     GError             **error);
/* The map in inline data @data (what map-data holds), from the cache or
 * decoded now, or NULL with @error. */
SkcBokehMap *skc_bokeh_map_get_data (const gchar       *data,
                                     GError           **error);
/* The identity of inline map data (a digest; no decoding). */
gchar       *skc_bokeh_map_data_identity (const gchar  *data);
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
