/* The in-dialog preview (sb-preview.c): a GimpDrawablePreview drawn by
 * skc:bokeh itself, run in the plug-in's process (GEGL loads the same
 * module here as in GIMP) with the properties sb_op_configure gives the
 * final filter, on the drawable's own pixels at 1:1.  What it shows is
 * what OK applies.  It runs skc:bokeh-map, the same operation with the
 * map on its aux input, since the map is at hand here as a buffer.
 */
#ifndef SB_PREVIEW_H
#define SB_PREVIEW_H

#include <libgimp/gimpui.h>

#include "sb-params.h"

G_BEGIN_DECLS

typedef struct _SbPreview SbPreview;

SbPreview *sb_preview_new       (GimpDrawable   *drawable);
void       sb_preview_free      (SbPreview      *preview);
/* Whether skc:bokeh could be loaded in this process. */
gboolean   sb_preview_available (SbPreview      *preview);
/* Draw the visible area of @area filtered with @params and @kernel (NULL:
 * the drawable unchanged); @map is the aligned map or NULL. */
void       sb_preview_render    (SbPreview      *preview,
                                 GimpPreview    *area,
                                 const SbParams *params,
                                 const gchar    *kernel,
                                 GeglBuffer     *map);

G_END_DECLS

#endif
