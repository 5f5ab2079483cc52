/* The kernel editor's dialog (editor-dialog.c) and the GIMP-side helpers
 * it shares with the scripted mode (sparse-bokeh-editor.c).
 */
#ifndef EDITOR_DIALOG_H
#define EDITOR_DIALOG_H

#include <libgimp/gimp.h>

#include "skc.h"

G_BEGIN_DECLS

#define PLUG_IN_PROC   "plug-in-sparse-bokeh-kernel-editor"
#define PLUG_IN_BINARY "sparse-bokeh-editor"
#define PLUG_IN_ROLE   "sparse-bokeh-kernel-editor"

/* Show the editor until the user closes it.  Presets are written to
 * @user_dir; @builtin_dir's presets are listed read-only. */
void       editor_dialog_run   (const char *user_dir,
                                const char *builtin_dir);

/* @brush's mask as a kernel at most @size px on its longer side (GIMP
 * scales it, keeping its aspect), values taken as stored coverage.  NULL
 * with @error set if the brush has no mask or the mask is empty.  Needs
 * gegl_init. */
SkcKernel *editor_brush_kernel (GimpBrush  *brush,
                                int         size,
                                GError    **error);

G_END_DECLS

#endif
