/* SkcMaskPaint: paint a blur mask over a thumbnail (see skc-mask-paint.h).
 *
 * The mask is an SkcPaintPlane (skc-paint-plane.c: undo, strokes as runs
 * of dabs spaced a quarter of the radius apart).  A stroke keeps the mask
 * as it was when the button went down (`base`) and a coverage plane: every
 * dab raises the coverage of the pixels it touches to its own profile
 * (max), and the mask is recomputed over the dab's box as
 * base + (value - base) * coverage.  A dab's profile is 1 inside
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

#include "skc-paint-plane.h"

#define UNDO_DEPTH 16
#define TINT_ALPHA 0.7

struct _SkcMaskPaint
{
  GtkDrawingArea   parent_instance;

  SkcPaintPlane    mask;            /* with undo and the stroke state   */

  double           radius;
  double           value;
  double           softness;

  /* the stroke under way */
  float            drag_value;
  float           *base;
  float           *coverage;

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
  return skc_paint_plane_n_values (&paint->mask);
}

static void
changed (SkcMaskPaint *paint)
{
  paint->overlay_dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (paint));
  g_signal_emit (paint, signals[CHANGED], 0);
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

/* SkcPaintDabFunc */
static void
dab (gpointer data, double cx, double cy)
{
  SkcMaskPaint *paint = data;
  int           x0, y0, x1, y1;

  skc_paint_plane_dab_box (&paint->mask, cx, cy, paint->radius,
                           &x0, &y0, &x1, &y1);
  for (int y = y0; y <= y1; y++)
    for (int x = x0; x <= x1; x++)
      {
        gsize  i = (gsize) y * paint->mask.width + x;
        double c = dab_profile (paint, hypot (x - cx, y - cy));

        if (c > paint->coverage[i])
          {
            paint->coverage[i] = (float) c;
            paint->mask.data[i] = paint->base[i]
                                  + (paint->drag_value - paint->base[i]) * (float) c;
          }
      }
}

static void
stroke_begin (SkcMaskPaint *paint, double x, double y, float value)
{
  paint->drag_value = CLAMP (value, 0.0f, 1.0f);
  g_free (paint->base);
  g_free (paint->coverage);
  paint->base = g_memdup2 (paint->mask.data, n_values (paint) * sizeof (float));
  paint->coverage = g_new0 (float, n_values (paint));
  skc_paint_plane_stroke_begin (&paint->mask, x, y, dab, paint);
  changed (paint);
}

static void
stroke_to (SkcMaskPaint *paint, double x, double y)
{
  if (skc_paint_plane_stroke_to (&paint->mask, x, y, paint->radius,
                                 dab, paint) > 0)
    changed (paint);
}

static void
stroke_end (SkcMaskPaint *paint)
{
  skc_paint_plane_stroke_end (&paint->mask);
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

  *scale = MIN (aw / paint->mask.width, ah / paint->mask.height);
  if (!(*scale > 0.0))
    *scale = 1.0;
  *ox = (aw - paint->mask.width * *scale) / 2.0;
  *oy = (ah - paint->mask.height * *scale) / 2.0;
}

static void
to_mask (SkcMaskPaint *paint, double wx, double wy, double *mx, double *my)
{
  double s, ox, oy;

  frame (paint, &s, &ox, &oy);
  skc_paint_widget_to_plane (ox, oy, s, wx, wy, mx, my);
}

static void
update_overlay (SkcMaskPaint *paint)
{
  unsigned char *data;
  int            stride;

  if (!paint->overlay)
    paint->overlay = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                 paint->mask.width,
                                                 paint->mask.height);
  if (cairo_surface_status (paint->overlay) != CAIRO_STATUS_SUCCESS)
    return;
  cairo_surface_flush (paint->overlay);
  data = cairo_image_surface_get_data (paint->overlay);
  stride = cairo_image_surface_get_stride (paint->overlay);
  for (int y = 0; y < paint->mask.height; y++)
    {
      guint32 *row = (guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < paint->mask.width; x++)
        {
          float   v = paint->mask.data[(gsize) y * paint->mask.width + x];
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
  cairo_rectangle (cr, 0, 0, paint->mask.width * s, paint->mask.height * s);
  cairo_clip (cr);
  if (paint->background)
    {
      double bs = MIN (paint->mask.width * s
                       / gdk_pixbuf_get_width (paint->background),
                       paint->mask.height * s
                       / gdk_pixbuf_get_height (paint->background));

      cairo_save (cr);
      cairo_scale (cr, bs, bs);
      gdk_cairo_set_source_pixbuf (cr, paint->background, 0, 0);
      cairo_paint (cr);
      cairo_restore (cr);
    }
  else
    {
      for (int y = 0; y * 8 < paint->mask.height * s; y++)
        for (int x = 0; x * 8 < paint->mask.width * s; x++)
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

  if (!skc_paint_event_is_stroke_press (event) || paint->mask.stroking)
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

  if (!paint->mask.stroking)
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

  if (!paint->mask.stroking)
    return FALSE;
  stroke_end (paint);
  return TRUE;
}

static gboolean
skc_mask_paint_key_press (GtkWidget *widget, GdkEventKey *event)
{
  if (skc_paint_event_is_undo (event))
    return skc_mask_paint_undo (SKC_MASK_PAINT (widget));
  return GTK_WIDGET_CLASS (skc_mask_paint_parent_class)->key_press_event
         (widget, event);
}

static void
skc_mask_paint_get_preferred_width (GtkWidget *widget, int *min, int *nat)
{
  SkcMaskPaint *paint = SKC_MASK_PAINT (widget);

  *min = MIN (paint->mask.width, 64);
  *nat = paint->mask.width;
}

static void
skc_mask_paint_get_preferred_height (GtkWidget *widget, int *min, int *nat)
{
  SkcMaskPaint *paint = SKC_MASK_PAINT (widget);

  *min = MIN (paint->mask.height, 64);
  *nat = paint->mask.height;
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

  skc_paint_plane_clear (&paint->mask);
  g_free (paint->base);
  g_free (paint->coverage);
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
  skc_paint_plane_init (&paint->mask, UNDO_DEPTH);
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

  skc_paint_plane_resize (&paint->mask,
                          CLAMP (width, 1, SKC_MASK_PAINT_MAX_SIDE),
                          CLAMP (height, 1, SKC_MASK_PAINT_MAX_SIDE));
  paint->overlay_dirty = TRUE;
  return GTK_WIDGET (paint);
}

int
skc_mask_paint_get_width (SkcMaskPaint *paint)
{
  g_return_val_if_fail (SKC_IS_MASK_PAINT (paint), 0);
  return paint->mask.width;
}

int
skc_mask_paint_get_height (SkcMaskPaint *paint)
{
  g_return_val_if_fail (SKC_IS_MASK_PAINT (paint), 0);
  return paint->mask.height;
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

  skc_paint_plane_push_undo (&paint->mask);
  skc_mask_resample (values, width, height, paint->mask.data,
                     paint->mask.width, paint->mask.height);
  for (gsize i = 0; i < n_values (paint); i++)
    paint->mask.data[i] = CLAMP (paint->mask.data[i], 0.0f, 1.0f);
  changed (paint);
}

void
skc_mask_paint_fill (SkcMaskPaint *paint, float value)
{
  g_return_if_fail (SKC_IS_MASK_PAINT (paint));

  skc_paint_plane_push_undo (&paint->mask);
  value = CLAMP (value, 0.0f, 1.0f);
  for (gsize i = 0; i < n_values (paint); i++)
    paint->mask.data[i] = value;
  changed (paint);
}

gboolean
skc_mask_paint_undo (SkcMaskPaint *paint)
{
  g_return_val_if_fail (SKC_IS_MASK_PAINT (paint), FALSE);

  if (paint->mask.stroking || !skc_paint_plane_undo (&paint->mask))
    return FALSE;
  changed (paint);
  return TRUE;
}

void
skc_mask_paint_stroke (SkcMaskPaint *paint, double x0, double y0, double x1,
                       double y1, float value)
{
  g_return_if_fail (SKC_IS_MASK_PAINT (paint));

  if (paint->mask.stroking)
    return;
  stroke_begin (paint, x0, y0, value);
  stroke_to (paint, x1, y1);
  stroke_end (paint);
}

const float *
skc_mask_paint_peek (SkcMaskPaint *paint)
{
  g_return_val_if_fail (SKC_IS_MASK_PAINT (paint), NULL);
  return paint->mask.data;
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
    skc_mask_resample (paint->mask.data, paint->mask.width, paint->mask.height,
                       out, width, height);
  return out;
}
