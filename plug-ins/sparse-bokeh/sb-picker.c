/* The centre and angle picker (see sb-picker.h).  Angles are
 * counter-clockwise on screen, as the op's: a drag to the upper right is
 * a positive angle. */
#include <math.h>

#include <glib/gi18n-lib.h>

#include "sb-params.h"
#include "sb-picker.h"

typedef struct
{
  GimpProcedureConfig *config;
  GdkPixbuf           *thumbnail;
  gint                 width, height;   /* the drawable's pixels         */
  gboolean             dragging;
  gdouble              press_x, press_y;
} Picker;

/* Thumbnail frame in the widget: scale from drawable pixels, offset. */
static void
frame (GtkWidget *w, Picker *p, gdouble *s, gdouble *ox, gdouble *oy)
{
  gdouble aw = gtk_widget_get_allocated_width (w);
  gdouble ah = gtk_widget_get_allocated_height (w);

  *s = MIN (aw / p->width, ah / p->height);
  *ox = (aw - p->width * *s) / 2.0;
  *oy = (ah - p->height * *s) / 2.0;
}

static gboolean
draw (GtkWidget *w, cairo_t *cr, Picker *p)
{
  gdouble s, ox, oy, cx, cy, angle, band, falloff, radius, len;
  gint    mode;

  frame (w, p, &s, &ox, &oy);
  g_object_get (p->config, "center-x", &cx, "center-y", &cy,
                "angle", &angle, "band-width", &band, "falloff", &falloff,
                "radius", &radius, NULL);
  mode = sb_params_get_word_id (p->config, "variation");

  cairo_save (cr);
  cairo_translate (cr, ox, oy);
  cairo_rectangle (cr, 0, 0, p->width * s, p->height * s);
  cairo_clip (cr);
  if (p->thumbnail)
    {
      gdouble ts = p->width * s / gdk_pixbuf_get_width (p->thumbnail);

      cairo_save (cr);
      cairo_scale (cr, ts, ts);
      gdk_cairo_set_source_pixbuf (cr, p->thumbnail, 0, 0);
      cairo_paint (cr);
      cairo_restore (cr);
    }
  /* drawable pixels from here on */
  cairo_scale (cr, s, s);
  cairo_translate (cr, cx * p->width, cy * p->height);
  cairo_set_line_width (cr, 1.5 / s);
  len = hypot (p->width, p->height);
  if (mode == SB_VARY_TILT_SHIFT)
    {
      cairo_rotate (cr, -angle * G_PI / 180.0);
      for (gint k = -1; k <= 1; k += 2)
        {
          cairo_set_source_rgba (cr, 1, 1, 0, 0.9);
          cairo_move_to (cr, -len, k * band / 2.0);
          cairo_line_to (cr, len, k * band / 2.0);
          cairo_stroke (cr);
          cairo_set_source_rgba (cr, 1, 0.5, 0, 0.7);
          cairo_move_to (cr, -len, k * (band / 2.0 + falloff));
          cairo_line_to (cr, len, k * (band / 2.0 + falloff));
          cairo_stroke (cr);
        }
    }
  else if (mode == SB_VARY_SPIN || mode == SB_VARY_ZOOM)
    {
      cairo_set_source_rgba (cr, 1, 0.5, 0, 0.8);
      cairo_arc (cr, 0, 0, radius, 0, 2 * G_PI);
      cairo_stroke (cr);
    }
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_move_to (cr, -8 / s, 0);
  cairo_line_to (cr, 8 / s, 0);
  cairo_move_to (cr, 0, -8 / s);
  cairo_line_to (cr, 0, 8 / s);
  cairo_stroke (cr);
  cairo_restore (cr);
  return TRUE;
}

static void
to_drawable (GtkWidget *w, Picker *p, gdouble x, gdouble y, gdouble *dx,
             gdouble *dy)
{
  gdouble s, ox, oy;

  frame (w, p, &s, &ox, &oy);
  *dx = (x - ox) / s;
  *dy = (y - oy) / s;
}

static gboolean
press (GtkWidget *w, GdkEventButton *e, Picker *p)
{
  gdouble dx, dy;

  if (e->button != 1 || e->type != GDK_BUTTON_PRESS)
    return FALSE;
  to_drawable (w, p, e->x, e->y, &dx, &dy);
  g_object_set (p->config,
                "center-x", CLAMP (dx / p->width, -1.0, 2.0),
                "center-y", CLAMP (dy / p->height, -1.0, 2.0), NULL);
  p->dragging = TRUE;
  p->press_x = dx;
  p->press_y = dy;
  return TRUE;
}

static gboolean
motion (GtkWidget *w, GdkEventMotion *e, Picker *p)
{
  gdouble dx, dy;

  if (!p->dragging
      || sb_params_get_word_id (p->config, "variation")
         != SB_VARY_TILT_SHIFT)
    return FALSE;
  to_drawable (w, p, e->x, e->y, &dx, &dy);
  if (hypot (dx - p->press_x, dy - p->press_y) * 1.0 > 4.0)
    g_object_set (p->config, "angle",
                  atan2 (-(dy - p->press_y), dx - p->press_x) * 180.0 / G_PI,
                  NULL);
  gdk_event_request_motions (e);
  return TRUE;
}

static gboolean
release (GtkWidget *w, GdkEventButton *e, Picker *p)
{
  p->dragging = FALSE;
  return TRUE;
}

static void
picker_free (gpointer data)
{
  Picker *p = data;

  g_clear_object (&p->thumbnail);
  g_free (p);
}

GtkWidget *
sb_picker_new (GimpProcedureConfig *config, GdkPixbuf *thumbnail, gint width,
               gint height)
{
  GtkWidget *area = gtk_drawing_area_new ();
  Picker    *p = g_new0 (Picker, 1);
  gdouble    scale;

  p->config = config;
  p->thumbnail = thumbnail ? g_object_ref (thumbnail) : NULL;
  p->width = MAX (width, 1);
  p->height = MAX (height, 1);
  scale = thumbnail ? (gdouble) gdk_pixbuf_get_width (thumbnail) / p->width
                    : 160.0 / MAX (p->width, p->height);
  gtk_widget_set_size_request (area, (gint) ceil (p->width * scale),
                               (gint) ceil (p->height * scale));
  gtk_widget_add_events (area, GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK
                         | GDK_BUTTON1_MOTION_MASK
                         | GDK_POINTER_MOTION_HINT_MASK);
  gtk_widget_set_tooltip_text (area,
                               _("Click to put the centre there; in "
                                 "tilt-shift, drag to turn the band"));
  g_object_set_data_full (G_OBJECT (area), "sb-picker", p, picker_free);
  g_signal_connect (area, "draw", G_CALLBACK (draw), p);
  g_signal_connect (area, "button-press-event", G_CALLBACK (press), p);
  g_signal_connect (area, "motion-notify-event", G_CALLBACK (motion), p);
  g_signal_connect (area, "button-release-event", G_CALLBACK (release), p);
  g_signal_connect_object (config, "notify", G_CALLBACK (gtk_widget_queue_draw),
                           area, G_CONNECT_SWAPPED);
  return area;
}
