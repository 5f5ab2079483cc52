/* SkcKernelView: a target kernel beside its fit (see skc-kernel-view.h).
 *
 * Each kernel is turned once, when it is set, into a cairo image surface:
 * weight / peak, clamped to 0..1, sRGB encoded (so a tail at 5 % of the
 * peak shows as a visible dark gray instead of black), then drawn scaled
 * into its panel with nearest-neighbour filtering when enlarged (kernel
 * pixels stay crisp) and the default filter when reduced.  The panels keep
 * the kernels' aspect ratios and are centred.
 */
#include "skc-kernel-view.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#define GAP        12    /* between the two panels, px                 */
#define TEXT_LINES 2     /* the panel titles and the error line         */

struct _SkcKernelView
{
  GtkDrawingArea   parent_instance;

  int              panel;
  SkcKernel       *target;
  SkcKernel       *fitted;
  char            *caption;
  char            *message;
  cairo_surface_t *target_surface;
  cairo_surface_t *fitted_surface;
};

G_DEFINE_FINAL_TYPE (SkcKernelView, skc_kernel_view, GTK_TYPE_DRAWING_AREA)

static cairo_surface_t *
kernel_surface (const SkcKernel *k)
{
  cairo_surface_t *s;
  unsigned char   *data;
  int              stride;
  float            peak = skc_kernel_peak (k);

  s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, k->width, k->height);
  if (cairo_surface_status (s) != CAIRO_STATUS_SUCCESS)
    return s;
  cairo_surface_flush (s);
  data = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  for (int y = 0; y < k->height; y++)
    {
      guint32 *row = (guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < k->width; x++)
        {
          float   v = peak > 0.0f ? k->data[(gsize) y * k->width + x] / peak
                                  : 0.0f;
          guint32 c;

          v = CLAMP (v, 0.0f, 1.0f);
          c = (guint32) lrintf (255.0f * skc_linear_to_srgb (v));
          row[x] = (c << 16) | (c << 8) | c;
        }
    }
  cairo_surface_mark_dirty (s);
  return s;
}

static void
set_kernel (SkcKernel **slot, cairo_surface_t **surface, const SkcKernel *k)
{
  skc_kernel_free (*slot);
  *slot = NULL;
  g_clear_pointer (surface, cairo_surface_destroy);
  if (k && skc_kernel_copy (k, slot) == SKC_OK)
    *surface = kernel_surface (*slot);
}

static void
draw_panel (SkcKernelView *view, cairo_t *cr, cairo_surface_t *surface,
            const SkcKernel *k, double x0, double y0)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (view));
  double           p = view->panel;

  cairo_save (cr);
  cairo_rectangle (cr, x0, y0, p, p);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
  cairo_fill (cr);
  if (surface && k)
    {
      double scale = p / MAX (k->width, k->height);
      double w = k->width * scale, h = k->height * scale;

      cairo_rectangle (cr, x0, y0, p, p);
      cairo_clip (cr);
      cairo_translate (cr, x0 + (p - w) / 2.0, y0 + (p - h) / 2.0);
      cairo_scale (cr, scale, scale);
      cairo_set_source_surface (cr, surface, 0, 0);
      if (scale >= 1.0)
        cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
      cairo_paint (cr);
    }
  cairo_restore (cr);
  gtk_render_frame (style, cr, x0, y0, p, p);
}

static void
draw_text (SkcKernelView *view, cairo_t *cr, const char *text, double x,
           double y, double width)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (view));
  PangoLayout     *layout = gtk_widget_create_pango_layout (GTK_WIDGET (view),
                                                            text);
  int              tw, th;

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_get_pixel_size (layout, &tw, &th);
  gtk_render_layout (style, cr, x + MAX (0.0, (width - tw) / 2.0), y, layout);
  g_object_unref (layout);
}

static int
line_height (SkcKernelView *view)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (view),
                                                        "Ag");
  int          h;

  pango_layout_get_pixel_size (layout, NULL, &h);
  g_object_unref (layout);
  return h + 2;
}

static gboolean
skc_kernel_view_draw (GtkWidget *widget, cairo_t *cr)
{
  SkcKernelView *view = SKC_KERNEL_VIEW (widget);
  int            lh = line_height (view);
  double         total = 2.0 * view->panel + GAP;
  double         x0 = MAX (0.0, (gtk_widget_get_allocated_width (widget)
                                 - total) / 2.0);

  draw_text (view, cr, _("Target"), x0, 0, view->panel);
  draw_text (view, cr, _("Fitted"), x0 + view->panel + GAP, 0, view->panel);
  draw_panel (view, cr, view->target_surface, view->target, x0, lh);
  draw_panel (view, cr, view->fitted_surface, view->fitted,
              x0 + view->panel + GAP, lh);

  /* the line may be wider than the panels */
  draw_text (view, cr, skc_kernel_view_get_text (view), 0,
             lh + view->panel + 4, gtk_widget_get_allocated_width (widget));
  return TRUE;
}

static void
skc_kernel_view_get_preferred_width (GtkWidget *widget, int *min, int *nat)
{
  SkcKernelView *view = SKC_KERNEL_VIEW (widget);

  *min = *nat = 2 * view->panel + GAP;
}

static void
skc_kernel_view_get_preferred_height (GtkWidget *widget, int *min, int *nat)
{
  SkcKernelView *view = SKC_KERNEL_VIEW (widget);

  *min = *nat = view->panel + TEXT_LINES * line_height (view) + 4;
}

static void
skc_kernel_view_finalize (GObject *object)
{
  SkcKernelView *view = SKC_KERNEL_VIEW (object);

  set_kernel (&view->target, &view->target_surface, NULL);
  set_kernel (&view->fitted, &view->fitted_surface, NULL);
  g_free (view->caption);
  g_free (view->message);
  G_OBJECT_CLASS (skc_kernel_view_parent_class)->finalize (object);
}

static void
skc_kernel_view_class_init (SkcKernelViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = skc_kernel_view_finalize;
  widget_class->draw = skc_kernel_view_draw;
  widget_class->get_preferred_width = skc_kernel_view_get_preferred_width;
  widget_class->get_preferred_height = skc_kernel_view_get_preferred_height;
}

static void
skc_kernel_view_init (SkcKernelView *view)
{
  view->panel = 96;
}

GtkWidget *
skc_kernel_view_new (int panel_size)
{
  SkcKernelView *view = g_object_new (SKC_TYPE_KERNEL_VIEW, NULL);

  view->panel = CLAMP (panel_size, 32, 512);
  return GTK_WIDGET (view);
}

void
skc_kernel_view_set_target (SkcKernelView *view, const SkcKernel *target)
{
  g_return_if_fail (SKC_IS_KERNEL_VIEW (view));

  set_kernel (&view->target, &view->target_surface, target);
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

void
skc_kernel_view_set_fitted (SkcKernelView *view, const SkcKernel *fitted,
                            const char *caption)
{
  g_return_if_fail (SKC_IS_KERNEL_VIEW (view));

  set_kernel (&view->fitted, &view->fitted_surface, fitted);
  g_free (view->caption);
  view->caption = fitted && caption ? g_strdup (caption) : NULL;
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

void
skc_kernel_view_set_message (SkcKernelView *view, const char *message)
{
  g_return_if_fail (SKC_IS_KERNEL_VIEW (view));

  if (g_strcmp0 (view->message, message) == 0)
    return;
  g_free (view->message);
  view->message = message && *message ? g_strdup (message) : NULL;
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

const char *
skc_kernel_view_get_text (SkcKernelView *view)
{
  g_return_val_if_fail (SKC_IS_KERNEL_VIEW (view), "");

  if (view->fitted)
    return view->caption ? view->caption : "";
  return view->message ? view->message : "";
}
