/* The core's statuses as the GLib layer reports them (skc-error.c): one
 * translated sentence per SkcStatus, and the core's file loaders with a
 * GError instead of a message buffer.  Every plug-in, the GEGL op and the
 * kernel editor's model report through these, so a status reads the same,
 * in the user's language, everywhere.
 */
#ifndef SKC_ERROR_H
#define SKC_ERROR_H

#include <glib.h>

#include "skc.h"

G_BEGIN_DECLS

/* Errors from the core: the code is the SkcStatus. */
#define SKC_ERROR (skc_error_quark ())
GQuark       skc_error_quark          (void);

/* @status in a few translated words ("unsupported or corrupt file
 * format"), for "cannot do X: REASON".  Never NULL. */
const gchar *skc_status_message       (SkcStatus          status);

/* The core's loaders and checks (skc.h), the same checks made, with
 * @error set on failure (SKC_ERROR, the status as its code).  Its message
 * is the core's SkcDetail in the user's language when there is one
 * (naming the file: a size or value out of range, a parse error and its
 * line), else skc_status_message; callers put it after their own
 * "cannot ...: ".  (Presets: skc_preset_load gives a GError itself.) */
SkcKernel   *skc_kernel_load_file     (const gchar       *path,
                                       GError           **error);
SkcComplex  *skc_complex_load_file    (const gchar       *path,
                                       GError           **error);
gboolean     skc_complex_check_usable (const SkcComplex  *complex,
                                       const gchar       *name,
                                       GError           **error);

G_END_DECLS

#endif
