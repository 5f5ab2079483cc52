/* SkcKernelDraw: draw a bokeh kernel with the mouse (see skc-kernel-draw.h).
 *
 * The canvas is a size x size float plane in 0..1 (skc-paint-plane.c: undo,
 * strokes as runs of round dabs spaced a quarter of the radius apart); each
 * dab is repeated for every symmetry copy (the dihedral group spanned by
 * the chosen mirrors and the n-fold rotation).  Paint takes
 * max (canvas, dab), erase min (canvas, 1 - dab): both are idempotent,
 * which keeps strokes even however the dabs overlap and lets symmetry
 * copies coincide harmlessly.
 *
 * A dab's profile: full strength inside radius - softness * radius, then a
 * smoothstep ramp out to radius + 0.5; a hard brush (softness 0) keeps a
 * one-pixel linear ramp, which is area coverage to first order, so hard
 * strokes are anti-aliased.
 *
 * Resampling between the canvas and a kernel of another size aligns the
 * two frames at their outer edges (so centre maps to centre) and treats
 * everything outside as zero: shrinking averages the covered area exactly,
 * growing interpolates bilinearly.
 */
#include "skc-kernel-draw.h"

#include <math.h>
#include <string.h>

#include "skc-paint-plane.h"

#define UNDO_DEPTH 32
#define MIN_SIZE   9
#define MAX_ROT    16

struct _SkcKernelDraw
{
  GtkDrawingArea   parent_instance;

  int              size;
  SkcPaintPlane    canvas;         /* size x size, with undo, strokes  */

  int              tool;
  double           radius;
  double           softness;
  double           strength;
  int              mirror;
  int              rotational;

  int              drag_tool;      /* the mouse stroke's tool          */
  gboolean         pointer_in;
  double           pointer_x, pointer_y; /* widget coordinates        */

  cairo_surface_t *surface;        /* the canvas as an image           */
  gboolean         surface_dirty;
};

enum
{
  PROP_0,
  PROP_SIZE,
  PROP_TOOL,
  PROP_BRUSH_RADIUS,
  PROP_BRUSH_SOFTNESS,
  PROP_BRUSH_STRENGTH,
  PROP_MIRROR,
  PROP_ROTATIONAL,
  N_PROPS
};

enum
{
  CHANGED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint       signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SkcKernelDraw, skc_kernel_draw, GTK_TYPE_DRAWING_AREA)

/* ---------------------------------------------------------------- pixels */

static int
odd_size (int size)
{
  size = CLAMP (size, MIN_SIZE, SKC_KERNEL_DRAW_MAX_SIZE);
  return size | 1;
}

/* Weight of input sample i for output sample j, n_in -> n_out, frames
 * aligned at the outer edges, zero outside: a dense n_out x n_in matrix. */
static float *
resample_weights (int n_in, int n_out)
{
  float *w = g_new0 (float, (gsize) n_in * n_out);

  if (n_out <= n_in)
    {
      double scale = (double) n_in / n_out;

      for (int j = 0; j < n_out; j++)
        {
          double a = j * scale, b = (j + 1) * scale;

          for (int i = (int) floor (a); i < n_in && i < b; i++)
            {
              double lo = MAX (a, (double) i), hi = MIN (b, (double) i + 1);

              if (hi > lo)
                w[(gsize) j * n_in + i] = (float) ((hi - lo) / scale);
            }
        }
    }
  else
    {
      for (int j = 0; j < n_out; j++)
        {
          double u  = (j + 0.5) * n_in / n_out - 0.5;
          int    i0 = (int) floor (u);
          double f  = u - i0;

          if (i0 >= 0 && i0 < n_in)
            w[(gsize) j * n_in + i0] += (float) (1.0 - f);
          if (i0 + 1 >= 0 && i0 + 1 < n_in)
            w[(gsize) j * n_in + i0 + 1] += (float) f;
        }
    }
  return w;
}

/* Separable resampling of a wi x hi plane to wo x ho. */
static void
resample (const float *in, int wi, int hi, float *out, int wo, int ho)
{
  float *wx  = resample_weights (wi, wo);
  float *wy  = resample_weights (hi, ho);
  float *tmp = g_new0 (float, (gsize) hi * wo);

  for (int y = 0; y < hi; y++)
    for (int j = 0; j < wo; j++)
      {
        const float *row = in + (gsize) y * wi;
        const float *wr  = wx + (gsize) j * wi;
        double       s   = 0.0;

        for (int i = 0; i < wi; i++)
          s += (double) wr[i] * row[i];
        tmp[(gsize) y * wo + j] = (float) s;
      }
  for (int j = 0; j < ho; j++)
    for (int x = 0; x < wo; x++)
      {
        const float *wc = wy + (gsize) j * hi;
        double       s  = 0.0;

        for (int y = 0; y < hi; y++)
          s += (double) wc[y] * tmp[(gsize) y * wo + x];
        out[(gsize) j * wo + x] = (float) s;
      }
  g_free (tmp);
  g_free (wy);
  g_free (wx);
}

/* The dab's value at distance @d from its centre. */
static double
dab_profile (const SkcKernelDraw *self, double d)
{
  double r    = self->radius;
  double ramp = MIN (self->softness * r + 1.0, r + 0.5);
  double t    = CLAMP ((r + 0.5 - d) / ramp, 0.0, 1.0);

  if (self->softness > 0.0)
    t = t * t * (3.0 - 2.0 * t);
  return self->strength * t;
}

static void
dab_one (SkcKernelDraw *self, double cx, double cy, int tool)
{
  int n = self->size, x0, y0, x1, y1;

  skc_paint_plane_dab_box (&self->canvas, cx, cy, self->radius,
                           &x0, &y0, &x1, &y1);
  for (int y = y0; y <= y1; y++)
    for (int x = x0; x <= x1; x++)
      {
        float *v = self->canvas.data + (gsize) y * n + x;
        float  a = (float) dab_profile (self, hypot (x - cx, y - cy));

        if (a <= 0.0f)
          continue;
        if (tool == SKC_DRAW_ERASE)
          *v = MIN (*v, 1.0f - a);
        else
          *v = MAX (*v, a);
      }
}

/* One dab and all its symmetry copies. */
static void
dab (SkcKernelDraw *self, double x, double y, int tool)
{
  double c  = (self->size - 1) / 2.0;
  double px = x - c, py = y - c;
  int    n  = MAX (self->rotational, 1);

  for (int m = 0; m < 4; m++)
    {
      double sx = (m & 1) ? -1.0 : 1.0;
      double sy = (m & 2) ? -1.0 : 1.0;

      if ((m & 1) && !(self->mirror & SKC_MIRROR_HORIZONTAL))
        continue;
      if ((m & 2) && !(self->mirror & SKC_MIRROR_VERTICAL))
        continue;
      for (int k = 0; k < n; k++)
        {
          double a  = 2.0 * G_PI * k / n;
          double qx = sx * px, qy = sy * py;

          dab_one (self, c + qx * cos (a) - qy * sin (a),
                   c + qx * sin (a) + qy * cos (a), tool);
        }
    }
}

/* SkcPaintDabFunc for a mouse stroke: its own tool (the right button
 * erases). */
static void
dab_drag (gpointer data, double x, double y)
{
  SkcKernelDraw *self = data;

  dab (self, x, y, self->drag_tool);
}

/* SkcPaintDabFunc for a scripted stroke: the current tool. */
static void
dab_tool (gpointer data, double x, double y)
{
  SkcKernelDraw *self = data;

  dab (self, x, y, self->tool);
}

static void
emit_changed (SkcKernelDraw *self)
{
  self->surface_dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

/* ---------------------------------------------------------------- public */

GtkWidget *
skc_kernel_draw_new (int size)
{
  return g_object_new (SKC_TYPE_KERNEL_DRAW, "size", odd_size (size), NULL);
}

int
skc_kernel_draw_get_size (SkcKernelDraw *self)
{
  g_return_val_if_fail (SKC_IS_KERNEL_DRAW (self), 0);
  return self->size;
}

const float *
skc_kernel_draw_peek (SkcKernelDraw *self)
{
  g_return_val_if_fail (SKC_IS_KERNEL_DRAW (self), NULL);
  return self->canvas.data;
}

SkcKernel *
skc_kernel_draw_get_kernel (SkcKernelDraw *self, int size)
{
  SkcKernel *k = NULL;

  g_return_val_if_fail (SKC_IS_KERNEL_DRAW (self), NULL);
  if (size == 0)
    size = self->size;
  if (size < 1 || size > SKC_MAX_KERNEL_SIZE || !(size & 1))
    return NULL;
  if (skc_kernel_new (size, size, &k) != SKC_OK)
    return NULL;
  resample (self->canvas.data, self->size, self->size, k->data, size, size);
  if (skc_kernel_normalize (k) != SKC_OK)
    {
      skc_kernel_free (k);
      return NULL;
    }
  return k;
}

gboolean
skc_kernel_draw_set_kernel (SkcKernelDraw *self, const SkcKernel *kernel)
{
  int    s, n;
  float *square, *out, peak = 0.0f;

  g_return_val_if_fail (SKC_IS_KERNEL_DRAW (self), FALSE);
  if (!kernel || !kernel->data || kernel->width < 1 || kernel->height < 1)
    return FALSE;
  s = MAX (kernel->width, kernel->height);
  n = self->size;
  square = g_new0 (float, (gsize) s * s);
  for (int y = 0; y < kernel->height; y++)
    for (int x = 0; x < kernel->width; x++)
      {
        float v = kernel->data[(gsize) y * kernel->width + x];

        /* negative or non-finite weights cannot be drawn */
        square[(gsize) (y + (s - kernel->height) / 2) * s
               + x + (s - kernel->width) / 2] = isfinite (v) && v > 0 ? v : 0;
      }
  out = g_new (float, (gsize) n * n);
  resample (square, s, s, out, n, n);
  g_free (square);
  for (gsize i = 0; i < (gsize) n * n; i++)
    peak = MAX (peak, out[i]);
  if (!(peak > 0.0f))
    {
      g_free (out);
      return FALSE;
    }
  for (gsize i = 0; i < (gsize) n * n; i++)
    out[i] = CLAMP (out[i] / peak, 0.0f, 1.0f);
  skc_paint_plane_push_undo (&self->canvas);
  memcpy (self->canvas.data, out, (gsize) n * n * sizeof (float));
  g_free (out);
  emit_changed (self);
  return TRUE;
}

void
skc_kernel_draw_clear (SkcKernelDraw *self)
{
  g_return_if_fail (SKC_IS_KERNEL_DRAW (self));
  skc_paint_plane_push_undo (&self->canvas);
  memset (self->canvas.data, 0, (gsize) self->size * self->size * sizeof (float));
  emit_changed (self);
}

gboolean
skc_kernel_draw_is_empty (SkcKernelDraw *self)
{
  g_return_val_if_fail (SKC_IS_KERNEL_DRAW (self), TRUE);
  for (gsize i = 0; i < (gsize) self->size * self->size; i++)
    if (self->canvas.data[i] > 0.0f)
      return FALSE;
  return TRUE;
}

gboolean
skc_kernel_draw_undo (SkcKernelDraw *self)
{
  g_return_val_if_fail (SKC_IS_KERNEL_DRAW (self), FALSE);
  if (!skc_paint_plane_undo (&self->canvas))
    return FALSE;
  emit_changed (self);
  return TRUE;
}

void
skc_kernel_draw_stroke (SkcKernelDraw *self, double x0, double y0,
                        double x1, double y1)
{
  g_return_if_fail (SKC_IS_KERNEL_DRAW (self));
  /* not skc_paint_plane_stroke_begin: a mouse stroke may be under way */
  skc_paint_plane_push_undo (&self->canvas);
  dab_tool (self, x0, y0);
  skc_paint_line (x0, y0, x1, y1, self->radius, dab_tool, self);
  emit_changed (self);
}

/* ---------------------------------------------------------------- view */

/* Where the canvas sits in the widget: top left corner and pixel scale. */
static void
view_geometry (SkcKernelDraw *self, double *ox, double *oy, double *scale)
{
  GtkWidget *w    = GTK_WIDGET (self);
  int        aw   = gtk_widget_get_allocated_width (w);
  int        ah   = gtk_widget_get_allocated_height (w);
  double     side = MAX (MIN (aw, ah) - 8, 1);

  *scale = side / self->size;
  *ox = (aw - side) / 2.0;
  *oy = (ah - side) / 2.0;
}

static void
to_canvas (SkcKernelDraw *self, double wx, double wy, double *cx, double *cy)
{
  double ox, oy, scale;

  view_geometry (self, &ox, &oy, &scale);
  skc_paint_widget_to_plane (ox, oy, scale, wx, wy, cx, cy);
}

static void
update_surface (SkcKernelDraw *self)
{
  int     n = self->size, stride;
  guchar *data;

  if (!self->surface)
    self->surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, n, n);
  cairo_surface_flush (self->surface);
  data = cairo_image_surface_get_data (self->surface);
  stride = cairo_image_surface_get_stride (self->surface);
  for (int y = 0; y < n; y++)
    {
      guint32 *row = (guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < n; x++)
        {
          guint32 g = (guint32) lrint (CLAMP (self->canvas.data[(gsize) y * n + x],
                                              0.0f, 1.0f) * 255.0f);

          row[x] = 0xff000000u | g << 16 | g << 8 | g;
        }
    }
  cairo_surface_mark_dirty (self->surface);
  self->surface_dirty = FALSE;
}

static gboolean
skc_kernel_draw_draw (GtkWidget *widget, cairo_t *cr)
{
  SkcKernelDraw *self = SKC_KERNEL_DRAW (widget);
  double         ox, oy, scale, side, c;
  int            n = MAX (self->rotational, 1);

  if (self->surface_dirty || !self->surface)
    update_surface (self);
  view_geometry (self, &ox, &oy, &scale);
  side = scale * self->size;
  c = side / 2.0;

  cairo_set_source_rgb (cr, 0.16, 0.16, 0.17);
  cairo_paint (cr);

  cairo_save (cr);
  cairo_translate (cr, ox, oy);
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, self->surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr),
                            scale >= 3.0 ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);

  /* guides: the kernel's frame, centre and symmetry axes */
  cairo_save (cr);
  cairo_translate (cr, ox, oy);
  cairo_set_line_width (cr, 1.0);
  cairo_set_source_rgba (cr, 0.5, 0.6, 0.8, 0.35);
  cairo_rectangle (cr, 0.5, 0.5, side - 1.0, side - 1.0);
  cairo_stroke (cr);
  cairo_arc (cr, c, c, c - 0.5, 0, 2 * G_PI);
  cairo_stroke (cr);
  cairo_set_source_rgba (cr, 0.95, 0.7, 0.2, 0.45);
  if (self->mirror & SKC_MIRROR_HORIZONTAL)
    {
      cairo_move_to (cr, c, 0);
      cairo_line_to (cr, c, side);
    }
  if (self->mirror & SKC_MIRROR_VERTICAL)
    {
      cairo_move_to (cr, 0, c);
      cairo_line_to (cr, side, c);
    }
  cairo_stroke (cr);
  if (n > 1)
    {
      double dash = 3.0;

      cairo_set_dash (cr, &dash, 1, 0);
      for (int k = 0; k < n; k++)
        {
          double a = -G_PI / 2 + 2.0 * G_PI * k / n;

          cairo_move_to (cr, c, c);
          cairo_line_to (cr, c + c * cos (a), c + c * sin (a));
        }
      cairo_stroke (cr);
    }
  cairo_restore (cr);

  /* the brush under the pointer, with its symmetry copies */
  if (self->pointer_in)
    {
      double px, py, cc = (self->size - 1) / 2.0;

      to_canvas (self, self->pointer_x, self->pointer_y, &px, &py);
      cairo_set_line_width (cr, 1.0);
      for (int m = 0; m < 4; m++)
        {
          double sx = (m & 1) ? -1.0 : 1.0, sy = (m & 2) ? -1.0 : 1.0;

          if (((m & 1) && !(self->mirror & SKC_MIRROR_HORIZONTAL))
              || ((m & 2) && !(self->mirror & SKC_MIRROR_VERTICAL)))
            continue;
          for (int k = 0; k < n; k++)
            {
              double a  = 2.0 * G_PI * k / n;
              double qx = sx * (px - cc), qy = sy * (py - cc);
              double x  = cc + qx * cos (a) - qy * sin (a);
              double y  = cc + qx * sin (a) + qy * cos (a);

              cairo_new_sub_path (cr);
              cairo_arc (cr, ox + (x + 0.5) * scale, oy + (y + 0.5) * scale,
                         MAX (self->radius * scale, 1.5), 0, 2 * G_PI);
              cairo_set_source_rgba (cr, 1.0, 0.45, 0.25,
                                     (m == 0 && k == 0) ? 0.95 : 0.45);
              cairo_stroke (cr);
            }
        }
    }
  return FALSE;
}

static gboolean
skc_kernel_draw_button_press (GtkWidget *widget, GdkEventButton *event)
{
  SkcKernelDraw *self = SKC_KERNEL_DRAW (widget);
  double         x, y;

  if (!skc_paint_event_is_stroke_press (event))
    return FALSE;
  gtk_widget_grab_focus (widget);
  to_canvas (self, event->x, event->y, &x, &y);
  self->drag_tool = event->button == 3 ? SKC_DRAW_ERASE : self->tool;
  skc_paint_plane_stroke_begin (&self->canvas, x, y, dab_drag, self);
  emit_changed (self);
  return TRUE;
}

static gboolean
skc_kernel_draw_motion (GtkWidget *widget, GdkEventMotion *event)
{
  SkcKernelDraw *self = SKC_KERNEL_DRAW (widget);

  self->pointer_in = TRUE;
  self->pointer_x = event->x;
  self->pointer_y = event->y;
  if (self->canvas.stroking)
    {
      double x, y;

      to_canvas (self, event->x, event->y, &x, &y);
      /* the last point again: Ctrl+Z during the drag may have taken it
       * back (otherwise it changes nothing, paint and erase being
       * idempotent) */
      dab_drag (self, self->canvas.last_x, self->canvas.last_y);
      skc_paint_plane_stroke_to (&self->canvas, x, y, self->radius,
                                 dab_drag, self);
      emit_changed (self);
    }
  else
    gtk_widget_queue_draw (widget);
  return TRUE;
}

static gboolean
skc_kernel_draw_button_release (GtkWidget *widget, GdkEventButton *event)
{
  skc_paint_plane_stroke_end (&SKC_KERNEL_DRAW (widget)->canvas);
  return TRUE;
}

static gboolean
skc_kernel_draw_crossing (GtkWidget *widget, GdkEventCrossing *event)
{
  SkcKernelDraw *self = SKC_KERNEL_DRAW (widget);

  self->pointer_in = event->type == GDK_ENTER_NOTIFY;
  self->pointer_x = event->x;
  self->pointer_y = event->y;
  gtk_widget_queue_draw (widget);
  return FALSE;
}

/* Ctrl+scroll resizes the brush. */
static gboolean
skc_kernel_draw_scroll (GtkWidget *widget, GdkEventScroll *event)
{
  SkcKernelDraw *self = SKC_KERNEL_DRAW (widget);
  double         f;

  if (!(event->state & GDK_CONTROL_MASK))
    return FALSE;
  if (event->direction == GDK_SCROLL_UP)
    f = 1.15;
  else if (event->direction == GDK_SCROLL_DOWN)
    f = 1.0 / 1.15;
  else
    return FALSE;
  g_object_set (self, "brush-radius",
                CLAMP (self->radius * f, 0.5, self->size / 2.0), NULL);
  return TRUE;
}

static gboolean
skc_kernel_draw_key_press (GtkWidget *widget, GdkEventKey *event)
{
  if (skc_paint_event_is_undo (event))
    {
      skc_kernel_draw_undo (SKC_KERNEL_DRAW (widget));
      return TRUE;
    }
  return FALSE;
}

static void
skc_kernel_draw_get_preferred_size (GtkWidget *widget, int *minimum,
                                    int *natural)
{
  *minimum = 128;
  *natural = 288;
}

/* ---------------------------------------------------------------- GObject */

static void
skc_kernel_draw_set_property (GObject *object, guint id, const GValue *value,
                              GParamSpec *pspec)
{
  SkcKernelDraw *self = SKC_KERNEL_DRAW (object);

  switch (id)
    {
    case PROP_SIZE:
      self->size = odd_size (g_value_get_int (value));
      skc_paint_plane_resize (&self->canvas, self->size, self->size);
      self->radius = MIN (self->radius, self->size / 2.0);
      self->surface_dirty = TRUE;
      g_clear_pointer (&self->surface, cairo_surface_destroy);
      break;
    case PROP_TOOL:
      self->tool = g_value_get_int (value);
      break;
    case PROP_BRUSH_RADIUS:
      self->radius = CLAMP (g_value_get_double (value), 0.5,
                            MAX (self->size / 2.0, 0.5));
      break;
    case PROP_BRUSH_SOFTNESS:
      self->softness = g_value_get_double (value);
      break;
    case PROP_BRUSH_STRENGTH:
      self->strength = g_value_get_double (value);
      break;
    case PROP_MIRROR:
      self->mirror = g_value_get_int (value);
      break;
    case PROP_ROTATIONAL:
      self->rotational = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
      return;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
skc_kernel_draw_get_property (GObject *object, guint id, GValue *value,
                              GParamSpec *pspec)
{
  SkcKernelDraw *self = SKC_KERNEL_DRAW (object);

  switch (id)
    {
    case PROP_SIZE:
      g_value_set_int (value, self->size);
      break;
    case PROP_TOOL:
      g_value_set_int (value, self->tool);
      break;
    case PROP_BRUSH_RADIUS:
      g_value_set_double (value, self->radius);
      break;
    case PROP_BRUSH_SOFTNESS:
      g_value_set_double (value, self->softness);
      break;
    case PROP_BRUSH_STRENGTH:
      g_value_set_double (value, self->strength);
      break;
    case PROP_MIRROR:
      g_value_set_int (value, self->mirror);
      break;
    case PROP_ROTATIONAL:
      g_value_set_int (value, self->rotational);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
skc_kernel_draw_finalize (GObject *object)
{
  SkcKernelDraw *self = SKC_KERNEL_DRAW (object);

  skc_paint_plane_clear (&self->canvas);
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  G_OBJECT_CLASS (skc_kernel_draw_parent_class)->finalize (object);
}

static void
skc_kernel_draw_class_init (SkcKernelDrawClass *klass)
{
  GObjectClass   *oc = G_OBJECT_CLASS (klass);
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  GParamFlags     rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  oc->set_property = skc_kernel_draw_set_property;
  oc->get_property = skc_kernel_draw_get_property;
  oc->finalize = skc_kernel_draw_finalize;
  wc->draw = skc_kernel_draw_draw;
  wc->button_press_event = skc_kernel_draw_button_press;
  wc->button_release_event = skc_kernel_draw_button_release;
  wc->motion_notify_event = skc_kernel_draw_motion;
  wc->enter_notify_event = skc_kernel_draw_crossing;
  wc->leave_notify_event = skc_kernel_draw_crossing;
  wc->scroll_event = skc_kernel_draw_scroll;
  wc->key_press_event = skc_kernel_draw_key_press;
  wc->get_preferred_width = skc_kernel_draw_get_preferred_size;
  wc->get_preferred_height = skc_kernel_draw_get_preferred_size;

  props[PROP_SIZE] =
    g_param_spec_int ("size", "Size", "Canvas side in pixels (odd)",
                      MIN_SIZE, SKC_KERNEL_DRAW_MAX_SIZE, 65,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                      | G_PARAM_STATIC_STRINGS);
  props[PROP_TOOL] =
    g_param_spec_int ("tool", "Tool", "SKC_DRAW_PAINT or SKC_DRAW_ERASE",
                      SKC_DRAW_PAINT, SKC_DRAW_ERASE, SKC_DRAW_PAINT, rw);
  props[PROP_BRUSH_RADIUS] =
    g_param_spec_double ("brush-radius", "Brush radius",
                         "Dab radius in canvas pixels",
                         0.5, SKC_KERNEL_DRAW_MAX_SIZE / 2.0, 4.0, rw);
  props[PROP_BRUSH_SOFTNESS] =
    g_param_spec_double ("brush-softness", "Brush softness",
                         "0: hard edge, 1: soft from the centre",
                         0.0, 1.0, 0.0, rw);
  props[PROP_BRUSH_STRENGTH] =
    g_param_spec_double ("brush-strength", "Brush strength",
                         "Peak value of a dab", 0.0, 1.0, 1.0, rw);
  props[PROP_MIRROR] =
    g_param_spec_int ("mirror", "Mirror", "SkcDrawMirror flags",
                      0, SKC_MIRROR_HORIZONTAL | SKC_MIRROR_VERTICAL, 0, rw);
  props[PROP_ROTATIONAL] =
    g_param_spec_int ("rotational", "Rotational symmetry",
                      "n-fold rotational symmetry (1: none)",
                      1, MAX_ROT, 1, rw);
  g_object_class_install_properties (oc, N_PROPS, props);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
skc_kernel_draw_init (SkcKernelDraw *self)
{
  self->size = 65;
  skc_paint_plane_init (&self->canvas, UNDO_DEPTH);
  skc_paint_plane_resize (&self->canvas, self->size, self->size);
  self->tool = SKC_DRAW_PAINT;
  self->radius = 4.0;
  self->softness = 0.0;
  self->strength = 1.0;
  self->mirror = SKC_MIRROR_NONE;
  self->rotational = 1;
  self->surface_dirty = TRUE;
  gtk_widget_set_can_focus (GTK_WIDGET (self), TRUE);
  gtk_widget_add_events (GTK_WIDGET (self),
                         GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK
                         | GDK_POINTER_MOTION_MASK | GDK_ENTER_NOTIFY_MASK
                         | GDK_LEAVE_NOTIFY_MASK | GDK_SCROLL_MASK
                         | GDK_KEY_PRESS_MASK);
}
