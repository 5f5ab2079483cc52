/* Quiet changes to an image (sb-quiet.c): the plug-in's own helpers (a
 * hidden temporary map layer, the on-canvas preview layer) come and go
 * with the undo history frozen, so they never show up in it, and the
 * selected layers and channels are put back afterwards.
 *
 * GIMP 3.0.4 still counts frozen changes as making the image dirty (seen:
 * inserting and removing a layer with undo frozen left the image dirty),
 * so each quiet block notes whether the image was clean when it began and
 * marks it clean again at its end.  The image's dirt is thus exactly the
 * user's: an edit made in GIMP while the dialog is open keeps it dirty
 * after Cancel (marking the image clean at Cancel, as an earlier version
 * did, lost that edit's unsaved state).
 */
#ifndef SB_QUIET_H
#define SB_QUIET_H

#include <libgimp/gimp.h>

G_BEGIN_DECLS

typedef struct
{
  GimpImage    *image;
  gboolean      clean;      /* the image was clean at sb_quiet_begin   */
  GimpLayer   **layers;     /* selected when the plug-in started       */
  GimpChannel **channels;
} SbQuiet;

void sb_quiet_init           (SbQuiet *quiet,
                              GimpImage *image);
void sb_quiet_clear          (SbQuiet *quiet);
/* Freeze undo; sb_quiet_end thaws it, restores the selection and marks
 * the image clean again if it was clean at sb_quiet_begin. */
void sb_quiet_begin          (SbQuiet *quiet);
void sb_quiet_end            (SbQuiet *quiet);

G_END_DECLS

#endif
