/* Driving the dialog from a test (sb-dialog-test.c), for the smoke test
 * under Xvfb (tests/test-dialog.sh).  Only in a build with the test hooks
 * (meson -Dtest_hooks=true, which ./dev's build sets and no install
 * does), and only active when the environment asks for it; otherwise
 * sb_dialog_test_new returns NULL and nothing changes.
 *
 *   SPARSE_BOKEH_TEST_RESPONSE    "ok" or "cancel": answer the dialog once
 *                                 it has settled (fit done, previews
 *                                 drawn), or after the timeout
 *   SPARSE_BOKEH_TEST_CONFIG      settings to apply first, in GimpConfig
 *                                 text: (variation "tilt-shift") (size 41)
 *   SPARSE_BOKEH_TEST_DRAW        "X0 Y0 X1 Y1": a stroke on the kernel
 *                                 canvas, in fractions of its side
 *   SPARSE_BOKEH_TEST_PAINT       "X0 Y0 X1 Y1 VALUE RADIUS": a stroke on
 *                                 the mask, fractions of its width/height
 *   SPARSE_BOKEH_TEST_SCREENSHOT  PREFIX: save PREFIX-dialog.png (the
 *                                 dialog) and PREFIX-screen.png (the whole
 *                                 screen, the canvas preview included)
 *                                 before answering
 *   SPARSE_BOKEH_TEST_PAGE        the page to show (0, 1, 2)
 *   SPARSE_BOKEH_TEST_MAP_LAYER   NAME: the image's layer NAME is the map
 *   SPARSE_BOKEH_TEST_CLICK       "U V": once settled, click the in-dialog
 *                                 preview at that fraction of its size
 *                                 (then settle again)
 *   SPARSE_BOKEH_TEST_EDIT        "1": once settled, add a layer to the
 *                                 image, as a user would while the dialog
 *                                 is open
 *   SPARSE_BOKEH_TEST_HELP        "1": once settled, press Help
 *   SPARSE_BOKEH_TEST_PREVIEW     PREFIX: once settled, have the preview
 *                                 drawn again (*renders counts the
 *                                 dialog's renders), then save its pixels
 *                                 as PREFIX-preview.png and print where
 *                                 in the drawable they are
 *   SPARSE_BOKEH_TEST_TIMEOUT     seconds to wait for it to settle (90)
 *
 * Several dialogs in one GIMP session (the environment is GIMP's, the same
 * for every run): SPARSE_BOKEH_TEST_STEPS names a file of blocks of
 * KEY=VALUE lines (the names above without SPARSE_BOKEH_TEST_), separated
 * by lines "---"; run N takes block N (counted in FILE.count).
 */
#ifndef SB_DIALOG_TEST_H
#define SB_DIALOG_TEST_H

#include <libgimp/gimpui.h>

G_BEGIN_DECLS

typedef struct _SbDialogTest SbDialogTest;
typedef gboolean (*SbDialogReadyFunc) (gpointer data);

#ifdef SKC_TEST_HOOKS

SbDialogTest *sb_dialog_test_new  (GtkDialog           *dialog,
                                   GimpProcedureConfig *config,
                                   GimpImage           *image,
                                   GtkWidget           *preview,
                                   const gint          *renders,
                                   GtkWidget           *draw,
                                   GtkWidget           *paint,
                                   SbDialogReadyFunc    ready,
                                   gpointer             data);
void          sb_dialog_test_free (SbDialogTest        *test);

#else   /* a build without the hooks: never a test */

static inline SbDialogTest *
sb_dialog_test_new (GtkDialog *dialog, GimpProcedureConfig *config,
                    GimpImage *image, GtkWidget *preview, const gint *renders,
                    GtkWidget *draw, GtkWidget *paint, SbDialogReadyFunc ready,
                    gpointer data)
{
  return NULL;
}

static inline void
sb_dialog_test_free (SbDialogTest *test)
{
}

#endif

G_END_DECLS

#endif
