/* The Sparse Bokeh dialog (sb-dialog.c).
 *
 * Built from the procedure's arguments (GimpProcedureDialog), plus the
 * plug-in's own widgets: the preset list, the kernel drawing canvas
 * (ui/skc-kernel-draw), the mask painter (ui/skc-mask-paint), the
 * target/fitted kernel view (ui/skc-kernel-view) with the fit's progress
 * bar and a Stop button, and the centre picker (sb-picker.c).
 *
 * Every change of settings is debounced, then: the kernel is resolved,
 * fitted in the background if the fit changed (a fit in the cache comes
 * back at once), and when the fit is ready the in-dialog preview
 * (sb-preview.c) and the canvas (sb-canvas.c) are redrawn.  A drawn
 * kernel and a painted mask are stored as files and their paths put in
 * the config, so saved settings and Repeat use them.
 */
#ifndef SB_DIALOG_H
#define SB_DIALOG_H

#include <libgimp/gimpui.h>

#include "sb-quiet.h"

G_BEGIN_DECLS

/* Run the dialog; TRUE for OK.  The canvas preview is gone when it
 * returns (OK or Cancel); the image is changed only through @quiet's
 * quiet changes, which leave its dirty state as they found it. */
gboolean sb_dialog_run (GimpProcedure       *procedure,
                        GimpProcedureConfig *config,
                        GimpImage           *image,
                        GimpDrawable        *drawable,
                        SbQuiet             *quiet);

G_END_DECLS

#endif
