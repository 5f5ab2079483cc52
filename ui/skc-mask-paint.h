/* SkcMaskPaint: paint a gray blur mask over a thumbnail of the image.
 *
 * A GTK3 widget (a GtkDrawingArea) holding a mask of width x height values
 * in 0..1 (the thumbnail's resolution), drawn over a background picture
 * (the thumbnail) as a red tint whose opacity follows the value, like
 * GIMP's Quick Mask.  The left mouse button paints the brush value, the
 * right button paints 0; Ctrl+Z undoes the last change.  Within one stroke
 * a pixel moves towards the brush value by the largest coverage any dab
 * gave it, so going over a spot twice in a stroke does not build up.
 *
 * For a blur map the values mean what a gray map layer's do: 0 black,
 * 1 white, perceptual (Y'), read by the plug-in against its focus value.
 *
 * The mask is handed out as it is (skc_mask_paint_peek) or resampled to
 * any size (bilinear, pixel centres aligned: the image's size for the
 * filter).  Values are never gamma-converted here.
 *
 * Properties (readable and writable, bind them to controls):
 *   "brush-radius"    double  dab radius in mask pixels, 0.5..512
 *   "brush-value"     double  0..1, the value the left button paints
 *   "brush-softness"  double  0 a hard (anti-aliased) edge .. 1 soft from
 *                             the centre out
 *
 * Signals:
 *   "changed" (SkcMaskPaint *paint, gpointer user_data): the mask changed
 *   (a stroke step, fill, set_mask or undo).  Emitted often while the
 *   mouse moves: debounce expensive work.
 *
 * No GIMP dependency.  Main-thread only, as all GTK widgets.
 */
#ifndef SKC_MASK_PAINT_H
#define SKC_MASK_PAINT_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SKC_MASK_PAINT_MAX_SIDE 2048

#define SKC_TYPE_MASK_PAINT (skc_mask_paint_get_type ())
G_DECLARE_FINAL_TYPE (SkcMaskPaint, skc_mask_paint, SKC, MASK_PAINT,
                      GtkDrawingArea)

/* A mask of @width x @height (1..SKC_MASK_PAINT_MAX_SIDE, clamped), all 0.
 * The widget asks for that many screen pixels and scales to whatever it
 * gets, keeping the aspect ratio. */
GtkWidget   *skc_mask_paint_new            (int           width,
                                            int           height);
int          skc_mask_paint_get_width      (SkcMaskPaint *paint);
int          skc_mask_paint_get_height     (SkcMaskPaint *paint);

/* The picture under the mask, scaled to the mask's frame (NULL: a gray
 * checkerboard).  The widget keeps a reference. */
void         skc_mask_paint_set_background (SkcMaskPaint *paint,
                                            GdkPixbuf    *background);

/* Replace the mask with @values (@width x @height, row-major, clamped to
 * 0..1), resampled to the mask's size.  Undoable. */
void         skc_mask_paint_set_mask       (SkcMaskPaint *paint,
                                            const float  *values,
                                            int           width,
                                            int           height);
/* Set every value to @value.  Undoable. */
void         skc_mask_paint_fill           (SkcMaskPaint *paint,
                                            float         value);
/* Undo the last stroke, fill or set_mask (up to 16 steps).  FALSE if
 * there was nothing to undo. */
gboolean     skc_mask_paint_undo           (SkcMaskPaint *paint);

/* One stroke from (x0, y0) to (x1, y1) in mask pixel coordinates (pixel
 * centres at whole numbers) with the current brush, painting @value, as a
 * mouse drag does; one undo step.  For scripted painting and tests. */
void         skc_mask_paint_stroke         (SkcMaskPaint *paint,
                                            double        x0,
                                            double        y0,
                                            double        x1,
                                            double        y1,
                                            float         value);

/* The mask itself: width * height values, owned by the widget and valid
 * until the next change. */
const float *skc_mask_paint_peek           (SkcMaskPaint *paint);
/* The mask resampled to @width x @height (bilinear, edges clamped), newly
 * allocated (g_free), or NULL if a size is outside 1..65536 or the
 * allocation fails. */
float       *skc_mask_paint_get_resampled  (SkcMaskPaint *paint,
                                            int           width,
                                            int           height);

/* The resampling the widget uses, as a plain function: @src (@sw x @sh)
 * to @dst (@dw x @dh), bilinear, pixel centres aligned, edges clamped. */
void         skc_mask_resample             (const float  *src,
                                            int           sw,
                                            int           sh,
                                            float        *dst,
                                            int           dw,
                                            int           dh);

G_END_DECLS

#endif
