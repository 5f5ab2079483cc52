/* SkcKernelDraw: draw a bokeh kernel with the mouse.
 *
 * A GTK3 widget (a GtkDrawingArea) holding a square canvas of weights in
 * 0..1, size x size pixels (size odd; the kernel's centre is the canvas's
 * centre pixel).  The left mouse button paints with the current tool, the
 * right button always erases, Ctrl+Z undoes the last change.  A stroke is a
 * line of round dabs; each dab is copied by the symmetry settings (mirror
 * across the vertical and/or horizontal axis through the centre, n-fold
 * rotation about the centre).  Painting takes the maximum of the canvas
 * and the dab (strength x falloff), erasing the minimum of the canvas and
 * 1 - dab, so going over a spot twice does not build up.
 *
 * The drawing is handed out as an SkcKernel (core/skc.h) of any odd size,
 * resampled from the canvas (area average when shrinking, bilinear when
 * growing) and normalised to unit sum; a kernel is loaded with
 * skc_kernel_draw_set_kernel.  Values are weights, linear: nothing is
 * gamma-encoded.
 *
 * Properties (all readable and writable, bind them to controls):
 *   "size"            int     canvas side, odd, 9..SKC_KERNEL_DRAW_MAX_SIZE
 *                             (construct only)
 *   "tool"            int     SKC_DRAW_PAINT or SKC_DRAW_ERASE
 *   "brush-radius"    double  dab radius in canvas pixels, 0.5..size / 2
 *   "brush-softness"  double  0 a hard (anti-aliased) edge .. 1 soft from
 *                             the centre out
 *   "brush-strength"  double  0..1, the dab's peak value
 *   "mirror"          int     SkcDrawMirror flags
 *   "rotational"      int     n-fold rotational symmetry, 1 (none) .. 16
 *
 * Signals:
 *   "changed" (SkcKernelDraw *draw, gpointer user_data): the drawing
 *   changed (a stroke step, clear, undo or set_kernel).  Emitted often
 *   while the mouse moves: debounce expensive work.
 *
 * No GIMP dependency.  Main-thread only, as all GTK widgets.
 */
#ifndef SKC_KERNEL_DRAW_H
#define SKC_KERNEL_DRAW_H

#include <gtk/gtk.h>

#include "skc.h"

G_BEGIN_DECLS

#define SKC_KERNEL_DRAW_MAX_SIZE 255

typedef enum
{
  SKC_DRAW_PAINT = 0,
  SKC_DRAW_ERASE = 1
} SkcDrawTool;

typedef enum
{
  SKC_MIRROR_NONE       = 0,
  SKC_MIRROR_HORIZONTAL = 1 << 0,  /* left-right: across the vertical axis */
  SKC_MIRROR_VERTICAL   = 1 << 1   /* top-bottom: across the horizontal axis */
} SkcDrawMirror;

#define SKC_TYPE_KERNEL_DRAW (skc_kernel_draw_get_type ())
G_DECLARE_FINAL_TYPE (SkcKernelDraw, skc_kernel_draw, SKC, KERNEL_DRAW,
                      GtkDrawingArea)

/* A new, empty canvas of @size x @size (odd, 9..SKC_KERNEL_DRAW_MAX_SIZE;
 * other values are clamped and rounded up to odd). */
GtkWidget *skc_kernel_draw_new        (int            size);
int        skc_kernel_draw_get_size   (SkcKernelDraw *draw);

/* The drawing as a normalised kernel of @size x @size (odd, 1 ..
 * SKC_MAX_KERNEL_SIZE; 0 means the canvas size).  Returns a new kernel
 * (free with skc_kernel_free), or NULL if the canvas is empty or @size is
 * invalid. */
SkcKernel *skc_kernel_draw_get_kernel (SkcKernelDraw *draw,
                                       int            size);

/* Replace the drawing with @kernel, resampled to fill the canvas (a
 * non-square kernel is centred in a square of its larger side) and scaled
 * so its peak is 1.  Undoable.  Returns FALSE (and leaves the drawing
 * alone) if @kernel is NULL or has no positive weight. */
gboolean   skc_kernel_draw_set_kernel (SkcKernelDraw   *draw,
                                       const SkcKernel *kernel);

void       skc_kernel_draw_clear      (SkcKernelDraw *draw);
gboolean   skc_kernel_draw_is_empty   (SkcKernelDraw *draw);
/* Undo the last stroke, clear or set_kernel (up to 32 steps).  FALSE if
 * there was nothing to undo. */
gboolean   skc_kernel_draw_undo       (SkcKernelDraw *draw);

/* Draw one stroke from (x0, y0) to (x1, y1) in canvas pixel coordinates
 * (pixel centres at whole numbers, (0, 0) top left) with the current
 * tool, brush and symmetry, exactly as a mouse drag does, as one undo
 * step.  For scripted drawing and tests. */
void       skc_kernel_draw_stroke     (SkcKernelDraw *draw,
                                       double         x0,
                                       double         y0,
                                       double         x1,
                                       double         y1);

/* The canvas itself: size * size values in 0..1, row-major, owned by the
 * widget and valid until the next change. */
const float *skc_kernel_draw_peek     (SkcKernelDraw *draw);

G_END_DECLS

#endif
