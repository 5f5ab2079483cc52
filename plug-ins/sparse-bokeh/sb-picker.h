/* The centre and angle picker of the tilt-shift, spin and zoom variations
 * (sb-picker.c): a thumbnail of the drawable with the band or the centre
 * and full-blur radius drawn over it.  A click puts the centre there
 * (config "center-x", "center-y"); in tilt-shift a drag from the centre
 * turns the band ("angle").  It reads and writes the procedure config
 * directly and redraws when it changes.
 */
#ifndef SB_PICKER_H
#define SB_PICKER_H

#include <libgimp/gimpui.h>

G_BEGIN_DECLS

/* @thumbnail shows the drawable (@width x @height pixels). */
GtkWidget *sb_picker_new (GimpProcedureConfig *config,
                          GdkPixbuf           *thumbnail,
                          gint                 width,
                          gint                 height);

G_END_DECLS

#endif
