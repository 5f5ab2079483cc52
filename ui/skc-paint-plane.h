/* SkcPaintPlane: the painting machinery SkcKernelDraw and SkcMaskPaint
 * share (internal to ui/, not installed).
 *
 * A plane is a width x height float image, row-major, with an undo history
 * of whole-plane snapshots and the state of the mouse stroke under way.
 * A stroke is a run of dabs: one where the button went down, then, for
 * every pointer move, dabs spaced a quarter of the brush radius apart (at
 * least half a pixel) up to the new point, so a fast mouse still leaves a
 * continuous line.  What a dab does to the pixels (its profile, how it
 * combines with the plane, symmetry copies) is the widget's own: the plane
 * calls back with the dab's centre.
 *
 * Coordinates are plane pixels with pixel centres at whole numbers, (0, 0)
 * the top-left pixel's centre.  A plane is a plain struct embedded in the
 * widget; main-thread only, as the widgets.
 */
#ifndef SKC_PAINT_PLANE_H
#define SKC_PAINT_PLANE_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Paint one dab centred at (@x, @y), plane coordinates. */
typedef void (*SkcPaintDabFunc) (gpointer user_data,
                                 double   x,
                                 double   y);

typedef struct
{
  int        width, height;
  float     *data;          /* width * height values, row-major          */
  GPtrArray *undo;          /* float * snapshots, newest last            */
  guint      undo_depth;    /* the most snapshots kept                   */

  gboolean   stroking;      /* a stroke is under way                     */
  double     last_x;        /* its last point                            */
  double     last_y;
} SkcPaintPlane;

/* An empty (0 x 0) plane keeping up to @undo_depth undo steps. */
void     skc_paint_plane_init         (SkcPaintPlane   *plane,
                                       guint            undo_depth);
/* Free what @plane holds; it is empty afterwards. */
void     skc_paint_plane_clear        (SkcPaintPlane   *plane);
/* Make @plane @width x @height (at least 1 x 1), all 0, with no undo
 * history. */
void     skc_paint_plane_resize       (SkcPaintPlane   *plane,
                                       int              width,
                                       int              height);
/* width * height. */
gsize    skc_paint_plane_n_values     (const SkcPaintPlane *plane);

/* Remember the plane as it is now as one undo step (the oldest step goes
 * once there are undo_depth). */
void     skc_paint_plane_push_undo    (SkcPaintPlane   *plane);
/* Go back to the newest undo step, copied into data (the data pointer
 * stays the same).  FALSE, and nothing changes, if there is none. */
gboolean skc_paint_plane_undo         (SkcPaintPlane   *plane);

/* The pixels a dab of @radius centred at (@cx, @cy) can touch, clipped to
 * the plane: x0..x1, y0..y1 inclusive (empty when x0 > x1 or y0 > y1).
 * It holds every pixel within radius + 1 of the centre. */
void     skc_paint_plane_dab_box      (const SkcPaintPlane *plane,
                                       double           cx,
                                       double           cy,
                                       double           radius,
                                       int             *x0,
                                       int             *y0,
                                       int             *x1,
                                       int             *y1);

/* Dabs along the line from (@x0, @y0) to (@x1, @y1), not at its start:
 * n = ceil (length / spacing) of them, spacing = MAX (0.5, @radius / 4),
 * at x0 + i / n * (x1 - x0) for i = 1..n.  Returns n (0 when the two
 * points are the same). */
int      skc_paint_line               (double           x0,
                                       double           y0,
                                       double           x1,
                                       double           y1,
                                       double           radius,
                                       SkcPaintDabFunc  dab,
                                       gpointer         user_data);

/* Start a stroke at (@x, @y): push an undo step, then one dab there. */
void     skc_paint_plane_stroke_begin (SkcPaintPlane   *plane,
                                       double           x,
                                       double           y,
                                       SkcPaintDabFunc  dab,
                                       gpointer         user_data);
/* Continue the stroke to (@x, @y) (skc_paint_line from the last point).
 * Returns the number of dabs, 0 if the point did not move. */
int      skc_paint_plane_stroke_to    (SkcPaintPlane   *plane,
                                       double           x,
                                       double           y,
                                       double           radius,
                                       SkcPaintDabFunc  dab,
                                       gpointer         user_data);
void     skc_paint_plane_stroke_end   (SkcPaintPlane   *plane);

/* Pointer events. */

/* Whether @event is a single press of the left (1) or right (3) button,
 * the two that start a stroke. */
gboolean skc_paint_event_is_stroke_press (const GdkEventButton *event);
/* Whether @event is Ctrl+Z. */
gboolean skc_paint_event_is_undo         (const GdkEventKey    *event);
/* Widget coordinates (@wx, @wy) to plane coordinates, for a plane drawn
 * with its top-left corner at (@ox, @oy) and @scale widget pixels per
 * plane pixel. */
void     skc_paint_widget_to_plane       (double                ox,
                                          double                oy,
                                          double                scale,
                                          double                wx,
                                          double                wy,
                                          double               *px,
                                          double               *py);

G_END_DECLS

#endif
