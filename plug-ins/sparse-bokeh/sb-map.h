/* The blur map of the "map" variation (sb-map.c).
 *
 * The map's values are gray as shown (Y', 0 black .. 1 white), what
 * skc:bokeh reads on its aux input.  A map drawable is read in image
 * coordinates: a target pixel at drawable (u, v) takes the map's value at
 * the same image position, the edges clamped beyond the map.  GIMP itself
 * hands a filter's aux drawable over in the drawable's own pixel
 * coordinates, offsets ignored (seen in 3.0.4: a layer at offset 100 read
 * the map 100 px off), so a map that does not line up with the target is
 * given to GIMP as a hidden temporary layer that does.
 *
 * A painted mask is a PFM file in the profile (<profile>/sparse-bokeh/
 * masks/), resampled to the target's size.
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

/* The drawable to hand GIMP as the filter's aux input. */
typedef struct
{
  GimpDrawable *drawable;   /* the map itself or the temporary layer     */
  GimpLayer    *temp;       /* a hidden layer to remove, or NULL         */
} SbMapAux;

/* @map (from sb_map_buffer) as an aux drawable for @drawable: the map
 * drawable itself when it lines up with @drawable, else a hidden
 * temporary layer holding @map, inserted quietly. */
gboolean    sb_map_aux_make     (const SbParams  *params,
                                 GimpImage       *image,
                                 GimpDrawable    *drawable,
                                 GeglBuffer      *map,
                                 SbQuiet         *quiet,
                                 SbMapAux        *aux,
                                 GError         **error);
/* Remove the temporary layer, if any, quietly. */
void        sb_map_aux_clear    (SbMapAux        *aux,
                                 SbQuiet         *quiet);

G_END_DECLS

#endif
