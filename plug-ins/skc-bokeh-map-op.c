/* skc:bokeh-map: skc:bokeh with the blur map on an aux pad, a composer
 * built from the same source (see the top of skc-bokeh-op.c). */
#define SKC_BOKEH_MAP_OP 1
#include "skc-bokeh-op.c"
