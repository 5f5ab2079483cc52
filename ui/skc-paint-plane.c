/* SkcPaintPlane: a float plane with undo and mouse strokes, shared by the
 * painting widgets (see skc-paint-plane.h).
 *
 * Undo keeps whole-plane copies: the planes are small (a kernel canvas of
 * at most 255 x 255, a mask of a thumbnail) and a stroke can touch any of
 * it, so copies are simpler than and about as cheap as tiles or deltas.
 *
 * Dab spacing: a quarter of the radius leaves no visible scallops on a hard
 * brush's edge; the half-pixel floor keeps small brushes from dabbing many
 * times per pixel.  A line does not dab at its start: that is the previous
 * line's end, or the stroke's first dab.
 */
#include "skc-paint-plane.h"

#include <math.h>
#include <string.h>

void
skc_paint_plane_init (SkcPaintPlane *plane, guint undo_depth)
{
  memset (plane, 0, sizeof *plane);
  plane->undo = g_ptr_array_new_with_free_func (g_free);
  plane->undo_depth = MAX (undo_depth, 1);
}

void
skc_paint_plane_clear (SkcPaintPlane *plane)
{
  g_clear_pointer (&plane->data, g_free);
  g_clear_pointer (&plane->undo, g_ptr_array_unref);
  plane->width = plane->height = 0;
  plane->stroking = FALSE;
}

void
skc_paint_plane_resize (SkcPaintPlane *plane, int width, int height)
{
  plane->width = MAX (width, 1);
  plane->height = MAX (height, 1);
  g_free (plane->data);
  plane->data = g_new0 (float, skc_paint_plane_n_values (plane));
  g_ptr_array_set_size (plane->undo, 0);
  plane->stroking = FALSE;
}

gsize
skc_paint_plane_n_values (const SkcPaintPlane *plane)
{
  return (gsize) plane->width * plane->height;
}

void
skc_paint_plane_push_undo (SkcPaintPlane *plane)
{
  if (plane->undo->len >= plane->undo_depth)
    g_ptr_array_remove_index (plane->undo, 0);
  g_ptr_array_add (plane->undo,
                   g_memdup2 (plane->data,
                              skc_paint_plane_n_values (plane) * sizeof (float)));
}

gboolean
skc_paint_plane_undo (SkcPaintPlane *plane)
{
  guint last;

  if (plane->undo->len == 0)
    return FALSE;
  last = plane->undo->len - 1;
  memcpy (plane->data, g_ptr_array_index (plane->undo, last),
          skc_paint_plane_n_values (plane) * sizeof (float));
  g_ptr_array_remove_index (plane->undo, last);
  return TRUE;
}

void
skc_paint_plane_dab_box (const SkcPaintPlane *plane, double cx, double cy,
                         double radius, int *x0, int *y0, int *x1, int *y1)
{
  double r = radius + 1.0;

  *x0 = MAX ((int) floor (cx - r), 0);
  *x1 = MIN ((int) ceil (cx + r), plane->width - 1);
  *y0 = MAX ((int) floor (cy - r), 0);
  *y1 = MIN ((int) ceil (cy + r), plane->height - 1);
}

int
skc_paint_line (double x0, double y0, double x1, double y1, double radius,
                SkcPaintDabFunc dab, gpointer user_data)
{
  double len  = hypot (x1 - x0, y1 - y0);
  double step = MAX (0.5, 0.25 * radius);
  int    n    = (int) ceil (len / step);

  for (int i = 1; i <= n; i++)
    {
      double t = (double) i / n;

      dab (user_data, x0 + t * (x1 - x0), y0 + t * (y1 - y0));
    }
  return n;
}

void
skc_paint_plane_stroke_begin (SkcPaintPlane *plane, double x, double y,
                              SkcPaintDabFunc dab, gpointer user_data)
{
  skc_paint_plane_push_undo (plane);
  plane->stroking = TRUE;
  plane->last_x = x;
  plane->last_y = y;
  dab (user_data, x, y);
}

int
skc_paint_plane_stroke_to (SkcPaintPlane *plane, double x, double y,
                           double radius, SkcPaintDabFunc dab,
                           gpointer user_data)
{
  int n = skc_paint_line (plane->last_x, plane->last_y, x, y, radius,
                          dab, user_data);

  plane->last_x = x;
  plane->last_y = y;
  return n;
}

void
skc_paint_plane_stroke_end (SkcPaintPlane *plane)
{
  plane->stroking = FALSE;
}

/* ---------------------------------------------------------------- events */

gboolean
skc_paint_event_is_stroke_press (const GdkEventButton *event)
{
  return event->type == GDK_BUTTON_PRESS
         && (event->button == 1 || event->button == 3);
}

gboolean
skc_paint_event_is_undo (const GdkEventKey *event)
{
  return (event->state & GDK_CONTROL_MASK)
         && (event->keyval == GDK_KEY_z || event->keyval == GDK_KEY_Z);
}

void
skc_paint_widget_to_plane (double ox, double oy, double scale, double wx,
                           double wy, double *px, double *py)
{
  *px = (wx - ox) / scale - 0.5;
  *py = (wy - oy) / scale - 0.5;
}
