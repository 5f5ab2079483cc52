/* The Help button of the Sparse Bokeh dialogs (skc-help.c).
 *
 * GIMP's own help function looks the help id up in the GIMP user manual,
 * which knows nothing of third-party plug-ins: it only said that the
 * manual is missing.  This one opens the README shipped with the plug-in
 * (installed beside it as README.md; in an uninstalled build the source
 * tree's) with the desktop's viewer for it.
 */
#ifndef SKC_HELP_H
#define SKC_HELP_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A GimpHelpFunc: @help_id is logged, @data is the dialog (or NULL). */
void skc_help_show (const gchar *help_id,
                    gpointer     data);

G_END_DECLS

#endif
