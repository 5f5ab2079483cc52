/* Applying skc:bokeh to a drawable inside GIMP (sb-apply.c).
 *
 * The filter runs in GIMP's own process as a GimpDrawableFilter, so GIMP
 * does the tiling, the format conversions, the selection (the result is
 * only taken inside it, feathering included) and the undo step.  The
 * on-canvas preview (sb-canvas.c) makes its filters here too, so it shows
 * exactly what OK applies.  skc:bokeh has no aux pad (the map comes in
 * its properties, sb_map_data), so GIMP takes it as a live,
 * non-destructive filter that keeps everything it needs.
 */
#ifndef SB_APPLY_H
#define SB_APPLY_H

#include "sb-map.h"

G_BEGIN_DECLS

/* A new skc:bokeh filter on @drawable with every property from @params
 * and @kernel, and @map_data (may be NULL) as its stored map. */
GimpDrawableFilter *sb_filter_new    (GimpDrawable        *drawable,
                                      const SbParams      *params,
                                      const gchar         *kernel,
                                      const gchar         *map_data);

/* Append @filter to @drawable as a non-destructive filter.  FALSE (and
 * @filter deleted) if GIMP refused it: only layers take effects (and GIMP
 * 3.0.4 keeps none whose operation has an aux pad, which skc:bokeh has
 * not). */
gboolean            sb_filter_append (GimpDrawable        *drawable,
                                      GimpDrawableFilter  *filter);

/* The final result: @params applied to @drawable, merged as one undo
 * step, or kept as a non-destructive filter when params->keep_filter and
 * GIMP takes it (*kept says which).  @map: the aligned map for the map
 * variation (stored in the op's properties), else NULL. */
gboolean            sb_apply         (const SbParams      *params,
                                      const gchar         *kernel,
                                      GimpDrawable        *drawable,
                                      GeglBuffer          *map,
                                      gboolean            *kept,
                                      GError             **error);

G_END_DECLS

#endif
