/* The cat's eye of the skc:bokeh operation (skc-bokeh-cateye.c): the
 * family over the clip amount (core/skc-cateye.c) made from a fit, kept
 * in a small process-wide cache.  GLib glue; knows nothing of GEGL.
 *
 * Thread safety: any thread; results are immutable and reference
 * counted. */
#ifndef SKC_BOKEH_CATEYE_H
#define SKC_BOKEH_CATEYE_H

#include <glib.h>

#include "skc.h"
#include "skc-bokeh-kernels.h"

G_BEGIN_DECLS

typedef struct
{
  /*< private >*/
  gint        ref_count;
  gchar      *key;
  /*< public, read-only >*/
  SkcFamily  *family;     /* skc_cateye_family at the fit's size         */
  gfloat      size;       /* diameter, px                                */
  gint        halo;       /* skc_family_halo (family, 2 size)            */
} SkcBokehCateye;

/* The cat's-eye family of @fit at its size, the kernel turned by @angle
 * (radians), @samples x @layers, from the cache or fitted now (progress
 * as in skc_fit; a non-zero return cancels).  NULL with @error: a .skc
 * file (no dense kernel to clip), a cancelled or failed fit. */
SkcBokehCateye *skc_bokeh_cateye_get   (const SkcBokehFit *fit, gfloat angle,
                                        gint samples, gint layers,
                                        SkcProgressFunc progress,
                                        gpointer progress_data,
                                        GError **error);
void            skc_bokeh_cateye_unref (SkcBokehCateye *cateye);

G_END_DECLS

#endif
