/* Numeric properties of the skc:bokeh operations that the op checks
 * itself (skc-bokeh-params.c), instead of GObject refusing a bad value
 * with a GLib warning and keeping the default, which then renders as if
 * nothing were wrong.
 *
 * Thread safety: skc_bokeh_params_class_init from the op's class_init;
 * skc_bokeh_params_check from any thread. */
#ifndef SKC_BOKEH_PARAMS_H
#define SKC_BOKEH_PARAMS_H

#include <gegl-plugin.h>

G_BEGIN_DECLS

/* For every int and double property @klass itself installed (gegl-op.h,
 * before the op's class_init): keeps its range (the chant's value_range)
 * as the property's limits, then widens the pspec's range by one step on
 * either side (1 for an int, the next double) and sets
 * G_PARAM_LAX_VALIDATION, so that GObject hands any value to the op,
 * clamped to the widened range, instead of refusing it.  The UI range is
 * left as it was. */
void     skc_bokeh_params_class_init (GObjectClass *klass);

/* Every property of @op prepared above within its limits (a NaN is not).
 * FALSE with @error (SKC_BOKEH_ERROR_SETTINGS) naming each property that
 * is not and the values it takes, e.g. "property 'size' is too large: it
 * takes whole numbers from 0 to 1000" (or too small, or not a number) (numbers with a '.' whatever the
 * locale; several joined by "; ").  The value as given is not known:
 * GObject clamps it to the widened range first. */
gboolean skc_bokeh_params_check      (GObject *op, GError **error);

G_END_DECLS

#endif
