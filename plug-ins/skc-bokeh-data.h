/* Data installed beside the skc:bokeh module (skc-bokeh-data.c). */
#ifndef SKC_BOKEH_DATA_H
#define SKC_BOKEH_DATA_H

#include <glib.h>

G_BEGIN_DECLS

void skc_bokeh_data_init (void);

G_END_DECLS

#endif
