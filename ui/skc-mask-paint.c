/* SkcMaskPaint: paint a blur mask over a thumbnail (see skc-mask-paint.h).
 *
 * A stroke keeps the mask as it was when the button went down (`base`)
 * and a coverage plane: every dab raises the coverage of the pixels it
 * touches to its own profile (max), and the mask is recomputed over the
 * dab's box as base + (value - base) * coverage.  Dabs are spaced a
 * quarter of the radius apart (at most half a pixel), so a fast mouse
 * still leaves a continuous line.  A dab's profile is 1 inside
 * radius * (1 - softness), then a smoothstep ramp out to radius + 0.5; a
 * hard brush keeps a one-pixel linear ramp (anti-aliasing).
 *
 * Drawing: the background is scaled into the mask's frame, then the mask
 * is laid over it as an ARGB32 surface, red with alpha 0.7 * value (the
 * surface is rebuilt lazily after a change).
 */
#include "skc-mask-paint.h"

#include <math.h>
#include <string.h>

#define UNDO_DEPTH 16
#define TINT_ALPHA 0.7

struct _SkcMaskPaint
{
  GtkDrawingArea   parent_instance;

  int              width, height;
  float           *mask;
  GPtrArray       *undo;            /* float * snapshots, newest last   */

  double           radius;
  double           value;
  double           softness;

  /* the stroke under way */
  gboolean         dragging;
  float            drag_value;
  float           *base;
  float           *coverage;
  double           last_x, last_y;  /* mask coordinates                 */

  GdkPixbuf       *background;
  cairo_surface_t *overlay;
  gboolean         overlay_dirty;
};

enum
{
  PROP_0,
  PROP_BRUSH_RADIUS,
  PROP_BRUSH_VALUE,
  PROP_BRUSH_SOFTNESS,
  N_PROPS
};

enum
{
  CHANGED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint       signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SkcMaskPaint, skc_mask_paint, GTK_TYPE_DRAWING_AREA)

/* ---------------------------------------------------------------- mask */

static gsize
n_values (SkcMaskPaint *paint)
{
  return (gsize) paint->width * paint->height;
}

static void
changed (SkcMaskPaint *paint)
{
  paint->overlay_dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (paint));
  g_signal_emit (paint, signals[CHANGED], 0);
}

static void
push_undo (SkcMaskPaint *paint)
{
  if (paint->undo->len >= UNDO_DEPTH)
    g_ptr_array_remove_index (paint->undo, 0);
  g_ptr_array_add (paint->undo,
                   g_memdup2 (paint->mask, n_values (paint) * sizeof (float)));
}

/* Bilinear resampling with pixel centres aligned and edges clamped. */
void
skc_mask_resample (const float *src, int sw, int sh, float *dst, int dw, int dh)
{
  for (int y = 0; y < dh; y++)
    {
      double v  = (y + 0.5) * sh / dh - 0.5;
      int    y0 = (int) floor (v);
      double fy = v - y0;
      int    ya = CLAMP (y0, 0, sh - 1), yb = CLAMP (y0 + 1, 0, sh - 1);

      for (int x = 0; x < dw; x++)
        {
          double u  = (x + 0.5) * sw / dw - 0.5;
          int    x0 = (int) floor (u);
          double fx = u - x0;
          int    xa = CLAMP (x0, 0, sw - 1), xb = CLAMP (x0 + 1, 0, sw - 1);
          double top = src[(gsize) ya * sw + xa] * (1.0 - fx)
                       + src[(gsize) ya * sw + xb] * fx;
          double bot = src[(gsize) yb * sw + xa] * (1.0 - fx)
                       + src[(gsize) yb * sw + xb] * fx;

          dst[(gsize) y * dw + x] = (float) (top * (1.0 - fy) + bot * fy);
        }
    }
}

static double
dab_profile (SkcMaskPaint *paint, double d)
{
  double r = paint->radius, inner = r * (1.0 - paint->softness);
  double outer = r + 0.5, t;

  if (outer - inner <= 1.0)   /* hard: a one-pixel linear ramp */
    return CLAMP (outer - d, 0.0, 1.0);
  if (d <= inner)
    return 1.0;
  if (d >= outer)
    return 0.0;
  t = (outer - d) / (outer - inner);
  return t * t * (3.0 - 2.0 * t);
}

static void
dab (SkcMaskPaint *paint, double cx, double cy)
{
  int reach = (int) ceil (paint->radius + 1.0);
  int x0 = MAX (0, (int) floor (cx) - reach);
  int x1 = MIN (paint->width - 1, (int) ceil (cx) + reach);
  int y0 = MAX (0, (int) floor (cy) - reach);
  int y1 = MIN (paint->height - 1, (int) ceil (cy) + reach);

  for (int y = y0; y <= y1; y++)
    for (int x = x0; x <= x1; x++)
      {
        gsize  i = (gsize) y * paint->width + x;
        double c = dab_profile (paint, hypot (x - cx, y - cy));

        if (c > paint->coverage[i])
          {
            paint->coverage[i] = (float) c;
            paint->mask[i] = paint->base[i]
                             + (paint->drag_value - paint->base[i]) * (float) c;
          }
      }
}

static void
stroke_begin (SkcMaskPaint *paint, double x, double y, float value)
{
  push_undo (paint);
  paint->dragging = TRUE;
  paint->drag_value = CLAMP (value, 0.0f, 1.0f);
  g_free (paint->base);
  g_free (paint->coverage);
  paint->base = g_memdup2 (paint->mask, n_values (paint) * sizeof (float));
  paint->coverage = g_new0 (float, n_values (paint));
  paint->last_x = x;
  paint->last_y = y;
  dab (paint, x, y);
  changed (paint);
}

static void
stroke_to (SkcMaskPaint *paint, double x, double y)
{
  double dx = x - paint->last_x, dy = y - paint->last_y;
  double len = hypot (dx, dy);
  double step = MAX (0.5, paint->radius / 4.0);
  int    n = (int) ceil (len / step);

  for (int i = 1; i <= n; i++)
    dab (paint, paint->last_x + dx * i / n, paint->last_y + dy * i / n);
  paint->last_x = x;
  paint->last_y = y;
  if (n > 0)
    changed (paint);
}

static void
stroke_end (SkcMaskPaint *paint)
{
  paint->dragging = FALSE;
  g_clear_pointer (&paint->base, g_free);
  g_clear_pointer (&paint->coverage, g_free);
}

/* ---------------------------------------------------------------- view */

/* The mask's frame in widget coordinates: scale and top-left corner. */
static void
frame (SkcMaskPaint *paint, double *scale, double *ox, double *oy)
{
  GtkWidget *w = GTK_WIDGET (paint);
  double     aw = gtk_widget_get_allocated_width (w);
  double     ah = gtk_widget_get_allocated_height (w);

  *scale = MIN (aw / paint->width, ah / paint->height);
  if (!(*scale > 0.0))
    *scale = 1.0;
  *ox = (aw - paint->width * *scale) / 2.0;
  *oy = (ah - paint->height * *scale) / 2.0;
}

static void
to_mask (SkcMaskPaint *paint, double wx, double wy, double *mx, double *my)
{
  double s, ox, oy;

  frame (paint, &s, &ox, &oy);
  *mx = (wx - ox) / s - 0.5;
  *my = (wy - oy) / s - 0.5;
}

static void
update_overlay (SkcMaskPaint *paint)
{
  unsigned char *data;
  int            stride;

  if (!paint->overlay)
    paint->overlay = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                 paint->width, paint->height);
  if (cairo_surface_status (paint->overlay) != CAIRO_STATUS_SUCCESS)
    return;
  cairo_surface_flush (paint->overlay);
  data = cairo_image_surface_get_data (paint->overlay);
  stride = cairo_image_surface_get_stride (paint->overlay);
  for (int y = 0; y < paint->height; y++)
    {
      guint32 *row = (guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < paint->width; x++)
        {
          float   v = paint->mask[(gsize) y * paint->width + x];
          guint32 a = (guint32) lrint (255.0 * TINT_ALPHA
                                       * CLAMP (v, 0.0f, 1.0f));

          row[x] = (a << 24) | (a << 16);   /* premultiplied red */
        }
    }
  cairo_surface_mark_dirty (paint->overlay);
  paint->overlay_dirty = FALSE;
}

static gboolean
skc_mask_paint_draw (GtkWidget *widget, cairo_t *cr)
{
  SkcMaskPaint *paint = SKC_MASK_PAINT (widget);
  double        s, ox, oy;

  frame (paint, &s, &ox, &oy);
  cairo_save (cr);
  cairo_translate (cr, ox, oy);
  cairo_rectangle (cr, 0, 0, paint->width * s, paint->height * s);
  cairo_clip (cr);
  if (paint->background)
    {
      double bs = MIN (paint->width * s
                       / gdk_pixbuf_get_width (paint->background),
                       paint->height * s
                       / gdk_pixbuf_get_height (paint->background));

      cairo_save (cr);
      cairo_scale (cr, bs, bs);
      gdk_cairo_set_source_pixbuf (cr, paint->background, 0, 0);
      cairo_paint (cr);
      cairo_restore (cr);
    }
  else
    {
      for (int y = 0; y * 8 < paint->height * s; y++)
        for (int x = 0; x * 8 < paint->width * s; x++)
          {
            double g = (x + y) % 2 ? 0.6 : 0.4;

            cairo_set_source_rgb (cr, g, g, g);
            cairo_rectangle (cr, x * 8, y * 8, 8, 8);
            cairo_fill (cr);
          }
    }
  if (paint->overlay_dirty || !paint->overlay)
    update_overlay (paint);
  cairo_scale (cr, s, s);
  cairo_set_source_surface (cr, paint->overlay, 0, 0);
  if (s >= 1.0)
    cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);
  return TRUE;
}

static gboolean
skc_mask_paint_button_press (GtkWidget *widget, GdkEventButton *event)
{
  SkcMaskPaint *paint = SKC_MASK_PAINT (widget);
  double        x, y;

  if (event->type != GDK_BUTTON_PRESS || paint->dragging
      || (event->button != 1 && event->button != 3))
    return FALSE;
  gtk_widget_grab_focus (widget);
  to_mask (paint, event->x, event->y, &x, &y);
  stroke_begin (paint, x, y,
                event->button == 1 ? (float) paint->value : 0.0f);
  return TRUE;
}

static gboolean
skc_mask_paint_motion (GtkWidget *widget, GdkEventMotion *event)
{
  SkcMaskPaint *paint = SKC_MASK_PAINT (widget);
  double        x, y;

  if (!paint->dragging)
    return FALSE;
  to_mask (paint, event->x, event->y, &x, &y);
  stroke_to (paint, x, y);
  gdk_event_request_motions (event);
  return TRUE;
}

static gboolean
skc_mask_paint_button_release (GtkWidget *widget, GdkEventButton *event)
{
  SkcMaskPaint *paint = SKC_MASK_PAINT (widget);

  if (!paint->dragging)
    return FALSE;
  stroke_end (paint);
  return TRUE;
}

static gboolean
skc_mask_paint_key_press (GtkWidget *widget, GdkEventKey *event)
{
  if ((event->state & GDK_CONTROL_MASK)
      && (event->keyval == GDK_KEY_z || event->keyval == GDK_KEY_Z))
    return skc_mask_paint_undo (SKC_MASK_PAINT (widget));
  return GTK_WIDGET_CLASS (skc_mask_paint_parent_class)->key_press_event
         (widget, event);
}

static void
skc_mask_paint_get_preferred_width (GtkWidget *widget, int *min, int *nat)
{
  SkcMaskPaint *paint = SKC_MASK_PAINT (widget);

  *min = MIN (paint->width, 64);
  *nat = paint->width;
}

static void
skc_mask_paint_get_preferred_height (GtkWidget *widget, int *min, int *nat)
{
  SkcMaskPaint *paint = SKC_MASK_PAINT (widget);

  *min = MIN (paint->height, 64);
  *nat = paint->height;
}

/* ---------------------------------------------------------------- GObject */

static void
skc_mask_paint_set_property (GObject *object, guint id, const GValue *value,
                             GParamSpec *pspec)
{
  SkcMaskPaint *paint = SKC_MASK_PAINT (object);

  switch (id)
    {
    case PROP_BRUSH_RADIUS:
      paint->radius = g_value_get_double (value);
      break;
    case PROP_BRUSH_VALUE:
      paint->value = g_value_get_double (value);
      break;
    case PROP_BRUSH_SOFTNESS:
      paint->softness = g_value_get_double (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
skc_mask_paint_get_property (GObject *object, guint id, GValue *value,
                             GParamSpec *pspec)
{
  SkcMaskPaint *paint = SKC_MASK_PAINT (object);

  switch (id)
    {
    case PROP_BRUSH_RADIUS:
      g_value_set_double (value, paint->radius);
      break;
    case PROP_BRUSH_VALUE:
      g_value_set_double (value, paint->value);
      break;
    case PROP_BRUSH_SOFTNESS:
      g_value_set_double (value, paint->softness);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
skc_mask_paint_finalize (GObject *object)
{
  SkcMaskPaint *paint = SKC_MASK_PAINT (object);

  g_free (paint->mask);
  g_free (paint->base);
  g_free (paint->coverage);
  g_ptr_array_unref (paint->undo);
  g_clear_object (&paint->background);
  g_clear_pointer (&paint->overlay, cairo_surface_destroy);
  G_OBJECT_CLASS (skc_mask_paint_parent_class)->finalize (object);
}

static void
skc_mask_paint_class_init (SkcMaskPaintClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = skc_mask_paint_set_property;
  object_class->get_property = skc_mask_paint_get_property;
  object_class->finalize = skc_mask_paint_finalize;
  widget_class->draw = skc_mask_paint_draw;
  widget_class->button_press_event = skc_mask_paint_button_press;
  widget_class->motion_notify_event = skc_mask_paint_motion;
  widget_class->button_release_event = skc_mask_paint_button_release;
  widget_class->key_press_event = skc_mask_paint_key_press;
  widget_class->get_preferred_width = skc_mask_paint_get_preferred_width;
  widget_class->get_preferred_height = skc_mask_paint_get_preferred_height;

  props[PROP_BRUSH_RADIUS] =
    g_param_spec_double ("brush-radius", "Brush radius",
                         "Dab radius in mask pixels", 0.5, 512.0, 8.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
                         | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_BRUSH_VALUE] =
    g_param_spec_double ("brush-value", "Brush value",
                         "The value the left button paints", 0.0, 1.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_BRUSH_SOFTNESS] =
    g_param_spec_double ("brush-softness", "Brush softness",
                         "0 a hard edge .. 1 soft from the centre",
                         0.0, 1.0, 0.5,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
skc_mask_paint_init (SkcMaskPaint *paint)
{
  paint->radius = 8.0;
  paint->value = 1.0;
  paint->softness = 0.5;
  paint->undo = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_add_events (GTK_WIDGET (paint),
                         GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK
                         | GDK_BUTTON1_MOTION_MASK | GDK_BUTTON3_MOTION_MASK
                         | GDK_POINTER_MOTION_HINT_MASK | GDK_KEY_PRESS_MASK);
  gtk_widget_set_can_focus (GTK_WIDGET (paint), TRUE);
}

/* ---------------------------------------------------------------- API */

GtkWidget *
skc_mask_paint_new (int width, int height)
{
  SkcMaskPaint *paint = g_object_new (SKC_TYPE_MASK_PAINT, NULL);

  paint->width = CLAMP (width, 1, SKC_MASK_PAINT_MAX_SIDE);
  paint->height = CLAMP (height, 1, SKC_MASK_PAINT_MAX_SIDE);
  paint->mask = g_new0 (float, n_values (paint));
  paint->overlay_dirty = TRUE;
  return GTK_WIDGET (paint);
}

int
skc_mask_paint_get_width (SkcMaskPaint *paint)
{
  g_return_val_if_fail (SKC_IS_MASK_PAINT (paint), 0);
  return paint->width;
}

int
skc_mask_paint_get_height (SkcMaskPaint *paint)
{
  g_return_val_if_fail (SKC_IS_MASK_PAINT (paint), 0);
  return paint->height;
}

void
skc_mask_paint_set_background (SkcMaskPaint *paint, GdkPixbuf *background)
{
  g_return_if_fail (SKC_IS_MASK_PAINT (paint));

  if (background)
    g_object_ref (background);
  g_clear_object (&paint->background);
  paint->background = background;
  gtk_widget_queue_draw (GTK_WIDGET (paint));
}

void
skc_mask_paint_set_mask (SkcMaskPaint *paint, const float *values, int width,
                         int height)
{
  g_return_if_fail (SKC_IS_MASK_PAINT (paint));
  g_return_if_fail (values != NULL && width > 0 && height > 0);

  push_undo (paint);
  skc_mask_resample (values, width, height, paint->mask, paint->width, paint->height);
  for (gsize i = 0; i < n_values (paint); i++)
    paint->mask[i] = CLAMP (paint->mask[i], 0.0f, 1.0f);
  changed (paint);
}

void
skc_mask_paint_fill (SkcMaskPaint *paint, float value)
{
  g_return_if_fail (SKC_IS_MASK_PAINT (paint));

  push_undo (paint);
  value = CLAMP (value, 0.0f, 1.0f);
  for (gsize i = 0; i < n_values (paint); i++)
    paint->mask[i] = value;
  changed (paint);
}

gboolean
skc_mask_paint_undo (SkcMaskPaint *paint)
{
  g_return_val_if_fail (SKC_IS_MASK_PAINT (paint), FALSE);

  if (paint->dragging || paint->undo->len == 0)
    return FALSE;
  memcpy (paint->mask, g_ptr_array_index (paint->undo, paint->undo->len - 1),
          n_values (paint) * sizeof (float));
  g_ptr_array_remove_index (paint->undo, paint->undo->len - 1);
  changed (paint);
  return TRUE;
}

void
skc_mask_paint_stroke (SkcMaskPaint *paint, double x0, double y0, double x1,
                       double y1, float value)
{
  g_return_if_fail (SKC_IS_MASK_PAINT (paint));

  if (paint->dragging)
    return;
  stroke_begin (paint, x0, y0, value);
  stroke_to (paint, x1, y1);
  stroke_end (paint);
}

const float *
skc_mask_paint_peek (SkcMaskPaint *paint)
{
  g_return_val_if_fail (SKC_IS_MASK_PAINT (paint), NULL);
  return paint->mask;
}

float *
skc_mask_paint_get_resampled (SkcMaskPaint *paint, int width, int height)
{
  float *out;

  g_return_val_if_fail (SKC_IS_MASK_PAINT (paint), NULL);

  if (width < 1 || height < 1 || width > 65536 || height > 65536)
    return NULL;
  out = g_try_new (float, (gsize) width * height);
  if (out)
    skc_mask_resample (paint->mask, paint->width, paint->height, out, width, height);
  return out;
}
