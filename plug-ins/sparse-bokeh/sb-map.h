/* The blur map of the "map" variation (sb-map.c).
 *
 * The map's values are gray as shown (Y', 0 black .. 1 white), what
 * skc:bokeh reads from its stored map.  A map drawable is read in image
 * coordinates: a target pixel at drawable (u, v) takes the map's value at
 * the same image position, the edges clamped beyond the map.
 *
 * A painted mask is a PFM file in the profile (<profile>/sparse-bokeh/
 * masks/), resampled to the target's size.
 *
 * The op gets the map, whatever its source, in its own properties
 * (map-data): the aligned map (the target's size, pixel (0, 0) at the
 * target's origin) reduced to at most SB_MAP_MAX_SIDE pixels a side and
 * kept as inline data (plug-ins/PROPERTIES.md).  GIMP 3.0.4 keeps no live
 * filter with an aux input, and a kept effect must render after an XCF
 * reload on any machine, with no file of the profile.
 */
#ifndef SB_MAP_H
#define SB_MAP_H

#include "sb-params.h"
#include "sb-quiet.h"

G_BEGIN_DECLS

/* The map for @drawable as a new "Y' float" buffer of the drawable's size
 * at (0, 0), or NULL with @error. */
GeglBuffer *sb_map_buffer       (const SbParams  *params,
                                 GimpDrawable    *drawable,
                                 GError         **error);

/* Keep a painted mask (@width x @height values, 0..1) as a file named by
 * its content; returns the path or NULL with @error. */
gchar      *sb_map_save_painted (const float     *values,
                                 gint             width,
                                 gint             height,
                                 GError         **error);
/* Load a painted mask file (g_free the values), or NULL. */
float      *sb_map_load_painted (const gchar     *path,
                                 gint            *width,
                                 gint            *height);

/* The longest side of the map an effect stores: a few hundred kilobytes
 * of text at most; a reduced map moves a hard edge's blur a little and a
 * smooth map's not visibly (the figures: plug-ins/PROPERTIES.md). */
#define SB_MAP_MAX_SIDE 512

/* @map (from sb_map_buffer) as inline data for skc:bokeh's map-data;
 * NULL with @error. */
gchar      *sb_map_data         (GeglBuffer      *map,
                                 GError         **error);

G_END_DECLS

#endif
