/* The result shown on the image while the dialog is open (sb-canvas.c).
 *
 * Two ways, chosen on the first update:
 *
 *  - live: the skc:bokeh filter appended to the layer as a non-destructive
 *    effect and updated in place, which is GIMP's own way of previewing a
 *    GEGL filter on the canvas.  GIMP 3.0.4 refuses this for any
 *    operation with an aux pad ("effects with an 'aux' pad cannot be
 *    applied non-destructively"); skc:bokeh has none (the blur map comes
 *    in its properties, map-data), so every variation previews live, map
 *    included.
 *  - preview layer: only should GIMP refuse the live effect, a copy of
 *    the layer is put above it with the filter merged into it, and the
 *    layer itself is hidden; every update replaces the copy.  The filter
 *    is the very one OK applies, merged the same way, so the canvas shows
 *    the final result.
 *
 * Both happen with the undo history frozen and the selected layers put
 * back (SbQuiet), and sb_canvas_free leaves the image as it was.  A layer
 * mask or a channel gets no canvas preview (only the in-dialog one).
 */
#ifndef SB_CANVAS_H
#define SB_CANVAS_H

#include "sb-map.h"

G_BEGIN_DECLS

typedef struct _SbCanvas SbCanvas;

typedef enum
{
  SB_CANVAS_UNKNOWN,
  SB_CANVAS_LIVE,
  SB_CANVAS_LAYER,
  SB_CANVAS_NONE
} SbCanvasMode;

SbCanvas     *sb_canvas_new  (GimpImage      *image,
                              GimpDrawable   *drawable,
                              SbQuiet        *quiet);
/* Show @params with @kernel; @map is the aligned map (map variation) or
 * NULL, @map_changed says it differs from the last call's. */
gboolean      sb_canvas_show (SbCanvas       *canvas,
                              const SbParams *params,
                              const gchar    *kernel,
                              GeglBuffer     *map,
                              gboolean        map_changed,
                              GError        **error);
/* Take the preview off the image. */
void          sb_canvas_hide (SbCanvas       *canvas);
void          sb_canvas_free (SbCanvas       *canvas);
SbCanvasMode  sb_canvas_mode (SbCanvas       *canvas);

G_END_DECLS

#endif
