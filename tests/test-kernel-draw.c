/* The kernel drawing widget (ui/skc-kernel-draw.c): what it gives out as
 * an SkcKernel after scripted strokes, symmetry, erasing, resampling,
 * set_kernel round trips, undo, the "changed" signal, and mouse events
 * sent to a realised widget.  Needs a display (run it under xvfb-run);
 * without one it is skipped (exit 77).
 */
#include "test-common.h"
#include "skc-kernel-draw.h"

#include <string.h>

static int changed_count;

static void
on_changed (SkcKernelDraw *draw, gpointer data)
{
  changed_count++;
}

/* Centre of mass of @k relative to its centre pixel. */
static void
centroid (const SkcKernel *k, double *cx, double *cy)
{
  double s = 0, sx = 0, sy = 0;

  for (int y = 0; y < k->height; y++)
    for (int x = 0; x < k->width; x++)
      {
        double v = k->data[y * k->width + x];

        s += v;
        sx += v * (x - k->width / 2);
        sy += v * (y - k->height / 2);
      }
  *cx = s > 0 ? sx / s : 0;
  *cy = s > 0 ? sy / s : 0;
}

static double
max_abs_diff (const float *a, const float *b, size_t n)
{
  double d = 0;

  for (size_t i = 0; i < n; i++)
    d = fmax (d, fabs ((double) a[i] - b[i]));
  return d;
}

static SkcKernelDraw *
new_draw (int size)
{
  GtkWidget *w = skc_kernel_draw_new (size);

  g_object_ref_sink (w);
  g_signal_connect (w, "changed", G_CALLBACK (on_changed), NULL);
  return SKC_KERNEL_DRAW (w);
}

static void
test_empty_and_dab (void)
{
  SkcKernelDraw *d = new_draw (65);
  SkcKernel     *k;
  double         cx, cy, r;

  CHECK (skc_kernel_draw_get_size (d) == 65, "size 65");
  CHECK (skc_kernel_draw_is_empty (d), "a new canvas is empty");
  CHECK (skc_kernel_draw_get_kernel (d, 0) == NULL, "an empty canvas gives no kernel");

  g_object_set (d, "brush-radius", 10.0, "brush-softness", 0.0, NULL);
  changed_count = 0;
  skc_kernel_draw_stroke (d, 32, 32, 32, 32);
  CHECK (changed_count == 1, "one stroke, one \"changed\" (%d)", changed_count);
  CHECK (!skc_kernel_draw_is_empty (d), "not empty after a dab");
  k = skc_kernel_draw_get_kernel (d, 0);
  CHECK (k && k->width == 65 && k->height == 65, "kernel at canvas size");
  if (k)
    {
      CHECK_NEAR (skc_kernel_sum (k), 1.0, 1e-5, "unit sum");
      centroid (k, &cx, &cy);
      CHECK_NEAR (cx, 0.0, 1e-4, "dab at the centre: centroid x");
      CHECK_NEAR (cy, 0.0, 1e-4, "dab at the centre: centroid y");
      r = skc_kernel_radius (k);
      CHECK (r >= 10.0 && r <= 11.6, "hard dab of radius 10 reaches %.2f px", r);
      /* hard brush: flat inside, anti-aliased edge */
      CHECK_NEAR (k->data[32 * 65 + 32] / skc_kernel_peak (k), 1.0, 1e-6, "flat top");
      CHECK_NEAR (k->data[32 * 65 + 32 + 7] / skc_kernel_peak (k), 1.0, 1e-6, "flat at r 7");
      CHECK (k->data[32 * 65 + 32 + 12] == 0.0f, "zero beyond the edge");
      /* area close to pi r^2 (in canvas pixels) */
      {
        const float *c = skc_kernel_draw_peek (d);
        double       area = 0;

        for (int i = 0; i < 65 * 65; i++)
          area += c[i];
        CHECK (fabs (area - G_PI * 100.0) < 0.03 * G_PI * 100.0,
               "anti-aliased disk area %.1f vs pi r^2 %.1f", area, G_PI * 100.0);
      }
    }
  skc_kernel_free (k);

  /* softness: a soft dab falls off gradually */
  skc_kernel_draw_clear (d);
  g_object_set (d, "brush-softness", 1.0, NULL);
  skc_kernel_draw_stroke (d, 32, 32, 32, 32);
  {
    const float *c = skc_kernel_draw_peek (d);

    CHECK_NEAR (c[32 * 65 + 32], 1.0, 1e-6, "soft dab: 1 at the centre");
    CHECK (c[32 * 65 + 37] > 0.3 && c[32 * 65 + 37] < 0.9,
           "soft dab: between at half the radius (%.3f)", c[32 * 65 + 37]);
    CHECK (c[32 * 65 + 42] < 0.05, "soft dab: near 0 at the radius (%.3f)", c[32 * 65 + 42]);
  }
  g_object_unref (d);
}

static void
test_stroke_line (void)
{
  SkcKernelDraw *d = new_draw (65);
  const float   *c;
  int            gaps = 0;

  g_object_set (d, "brush-radius", 2.0, "brush-strength", 0.5, NULL);
  skc_kernel_draw_stroke (d, 5, 20, 60, 20);
  c = skc_kernel_draw_peek (d);
  for (int x = 5; x <= 60; x++)
    gaps += fabsf (c[20 * 65 + x] - 0.5f) > 1e-6f;
  CHECK (gaps == 0, "a fast stroke is continuous at the brush strength (%d gaps)", gaps);
  CHECK (c[30 * 65 + 30] == 0.0f, "nothing painted off the line");
  /* painting twice does not build up */
  skc_kernel_draw_stroke (d, 5, 20, 60, 20);
  CHECK_NEAR (c[20 * 65 + 30], 0.5, 1e-6, "strokes do not accumulate");
  g_object_unref (d);
}

static void
test_symmetry (void)
{
  SkcKernelDraw *d = new_draw (65);
  SkcKernel     *k;
  double         cx, cy;

  /* mirror left-right */
  g_object_set (d, "brush-radius", 3.0, "mirror", SKC_MIRROR_HORIZONTAL, NULL);
  skc_kernel_draw_stroke (d, 45, 20, 50, 25);
  k = skc_kernel_draw_get_kernel (d, 0);
  if (k)
    {
      double asym = 0;

      for (int y = 0; y < 65; y++)
        for (int x = 0; x < 65; x++)
          asym = fmax (asym, fabs (k->data[y * 65 + x] - k->data[y * 65 + 64 - x]));
      CHECK (asym < 1e-6, "mirror: K(x, y) = K(-x, y) (max diff %g)", asym);
      CHECK (k->data[20 * 65 + 45] > 0 && k->data[20 * 65 + 19] > 0, "mirror: both copies");
    }
  skc_kernel_free (k);

  /* both mirrors: four copies, centroid at the centre */
  skc_kernel_draw_clear (d);
  g_object_set (d, "mirror", SKC_MIRROR_HORIZONTAL | SKC_MIRROR_VERTICAL, NULL);
  skc_kernel_draw_stroke (d, 45, 20, 45, 20);
  k = skc_kernel_draw_get_kernel (d, 0);
  CHECK (k && k->data[20 * 65 + 45] > 0 && k->data[44 * 65 + 45] > 0
         && k->data[20 * 65 + 19] > 0 && k->data[44 * 65 + 19] > 0, "two mirrors: four copies");
  if (k)
    {
      centroid (k, &cx, &cy);
      CHECK (fabs (cx) < 1e-3 && fabs (cy) < 1e-3, "two mirrors: centred (%g, %g)", cx, cy);
    }
  skc_kernel_free (k);

  /* 6-fold rotation: six equal blobs on a circle of radius 20 */
  skc_kernel_draw_clear (d);
  g_object_set (d, "mirror", SKC_MIRROR_NONE, "rotational", 6, NULL);
  skc_kernel_draw_stroke (d, 52, 32, 52, 32);
  k = skc_kernel_draw_get_kernel (d, 0);
  if (k)
    {
      double mass[6] = { 0 }, lo = 1, hi = 0;

      centroid (k, &cx, &cy);
      CHECK (fabs (cx) < 1e-3 && fabs (cy) < 1e-3, "6-fold: centred (%g, %g)", cx, cy);
      for (int y = 0; y < 65; y++)
        for (int x = 0; x < 65; x++)
          {
            double a = atan2 (y - 32, x - 32) + G_PI / 6;
            int    s = ((int) floor (a / (G_PI / 3)) % 6 + 6) % 6;

            mass[s] += k->data[y * 65 + x];
          }
      for (int s = 0; s < 6; s++)
        {
          lo = fmin (lo, mass[s]);
          hi = fmax (hi, mass[s]);
        }
      CHECK (lo > 0.15 && hi < 0.185, "6-fold: each sector holds 1/6 (%.4f .. %.4f)", lo, hi);
    }
  skc_kernel_free (k);
  g_object_unref (d);
}

static void
test_erase_undo (void)
{
  SkcKernelDraw *d = new_draw (65);
  const float   *c;
  float         *before;

  g_object_set (d, "brush-radius", 20.0, NULL);
  skc_kernel_draw_stroke (d, 32, 32, 32, 32);
  before = g_memdup2 (skc_kernel_draw_peek (d), 65 * 65 * sizeof (float));
  g_object_set (d, "tool", SKC_DRAW_ERASE, "brush-radius", 6.0, NULL);
  skc_kernel_draw_stroke (d, 32, 32, 32, 32);
  c = skc_kernel_draw_peek (d);
  CHECK (c[32 * 65 + 32] == 0.0f, "erased at the centre");
  CHECK (c[32 * 65 + 32 + 12] == 1.0f, "ring kept outside the eraser");
  CHECK (skc_kernel_draw_undo (d), "undo");
  c = skc_kernel_draw_peek (d);
  CHECK (max_abs_diff (c, before, 65 * 65) == 0.0, "undo restores the canvas");
  CHECK (skc_kernel_draw_undo (d), "undo again");
  CHECK (skc_kernel_draw_is_empty (d), "back to empty");
  CHECK (!skc_kernel_draw_undo (d), "nothing more to undo");
  g_free (before);
  g_object_unref (d);
}

static void
test_resample_set (void)
{
  SkcKernelDraw *d = new_draw (65);
  SkcShapeParams sp;
  SkcKernel     *heart = NULL, *k, *small;
  double         cx, cy, hx, hy;

  skc_shape_params_from_name ("heart", &sp);
  sp.side_px = 65;
  CHECK_OK (skc_shape_render (&sp, &heart));
  changed_count = 0;
  CHECK (skc_kernel_draw_set_kernel (d, heart), "set_kernel");
  CHECK (changed_count == 1, "set_kernel emits \"changed\"");
  k = skc_kernel_draw_get_kernel (d, 65);
  CHECK (k && max_abs_diff (k->data, heart->data, 65 * 65) < 1e-6,
         "same size: the kernel comes back unchanged");
  skc_kernel_free (k);

  /* shrink: area average keeps the shape and its centre */
  small = skc_kernel_draw_get_kernel (d, 33);
  CHECK (small && small->width == 33 && fabs (skc_kernel_sum (small) - 1) < 1e-5,
         "33 px kernel, unit sum");
  if (small)
    {
      centroid (heart, &hx, &hy);
      centroid (small, &cx, &cy);
      CHECK (fabs (cx - hx * 33 / 65) < 0.05 && fabs (cy - hy * 33 / 65) < 0.05,
             "shrunk heart's centroid (%.3f, %.3f) scales (%.3f, %.3f)", cx, cy,
             hx * 33 / 65, hy * 33 / 65);
    }
  CHECK (skc_kernel_draw_get_kernel (d, 32) == NULL, "even size refused");
  CHECK (skc_kernel_draw_get_kernel (d, -1) == NULL, "negative size refused");

  /* grow back from a small kernel: still centred, fills the canvas */
  CHECK (skc_kernel_draw_set_kernel (d, small), "set a 33 px kernel on a 65 px canvas");
  k = skc_kernel_draw_get_kernel (d, 0);
  if (k)
    {
      centroid (k, &cx, &cy);
      CHECK (fabs (cx - hx) < 0.3 && fabs (cy - hy) < 0.3,
             "grown heart's centroid (%.3f, %.3f) near the original (%.3f, %.3f)",
             cx, cy, hx, hy);
      CHECK (skc_kernel_radius (k) > 28, "grown kernel fills the canvas");
    }
  skc_kernel_free (k);
  skc_kernel_free (small);

  /* a non-square kernel is centred */
  {
    SkcKernel *bar = NULL;

    CHECK_OK (skc_kernel_new (11, 31, &bar));
    for (int y = 0; y < 31; y++)
      bar->data[y * 11 + 5] = 1.0f;
    CHECK (skc_kernel_draw_set_kernel (d, bar), "set an 11 x 31 kernel");
    k = skc_kernel_draw_get_kernel (d, 31);
    if (k)
      {
        centroid (k, &cx, &cy);
        CHECK (fabs (cx) < 1e-3 && fabs (cy) < 1e-3, "bar centred (%g, %g)", cx, cy);
        CHECK (k->data[15 * 31 + 15] > 0 && k->data[15 * 31 + 10] == 0,
               "bar stays a vertical bar");
      }
    skc_kernel_free (k);
    memset (bar->data, 0, 11 * 31 * sizeof (float));
    changed_count = 0;
    CHECK (!skc_kernel_draw_set_kernel (d, bar), "an all-zero kernel is refused");
    CHECK (changed_count == 0, "and changes nothing");
    skc_kernel_free (bar);
  }
  skc_kernel_free (heart);
  g_object_unref (d);
}

/* Mouse events on a realised widget land where the pointer is. */
static void
test_mouse (void)
{
  GtkWidget     *win = gtk_offscreen_window_new ();
  GtkWidget     *w = skc_kernel_draw_new (49);
  SkcKernelDraw *d = SKC_KERNEL_DRAW (w);
  GdkEvent      *ev;
  SkcKernel     *k;
  double         cx, cy;
  int            aw, ah;

  gtk_widget_set_size_request (w, 200, 200);
  gtk_container_add (GTK_CONTAINER (win), w);
  gtk_widget_show_all (win);
  while (gtk_events_pending ())
    gtk_main_iteration ();
  aw = gtk_widget_get_allocated_width (w);
  ah = gtk_widget_get_allocated_height (w);
  CHECK (aw >= 200 && ah >= 200, "realised at %d x %d", aw, ah);
  g_object_set (d, "brush-radius", 3.0, NULL);

  /* a click in the middle paints the centre */
  ev = gdk_event_new (GDK_BUTTON_PRESS);
  ev->button.window = g_object_ref (gtk_widget_get_window (w));
  ev->button.button = 1;
  ev->button.x = aw / 2.0;
  ev->button.y = ah / 2.0;
  gtk_widget_event (w, ev);
  ev->type = GDK_BUTTON_RELEASE;
  gtk_widget_event (w, ev);
  gdk_event_free (ev);
  k = skc_kernel_draw_get_kernel (d, 0);
  CHECK (k != NULL, "a click paints");
  if (k)
    {
      centroid (k, &cx, &cy);
      CHECK (fabs (cx) < 0.6 && fabs (cy) < 0.6, "a click in the middle paints the centre (%g, %g)",
             cx, cy);
    }
  skc_kernel_free (k);

  /* a drag with the right button erases (a wider brush covers the
   * painted dot's anti-aliased rim) */
  g_object_set (d, "brush-radius", 5.0, NULL);
  ev = gdk_event_new (GDK_BUTTON_PRESS);
  ev->button.window = g_object_ref (gtk_widget_get_window (w));
  ev->button.button = 3;
  ev->button.x = aw / 2.0 - 30;
  ev->button.y = ah / 2.0;
  gtk_widget_event (w, ev);
  gdk_event_free (ev);
  ev = gdk_event_new (GDK_MOTION_NOTIFY);
  ev->motion.window = g_object_ref (gtk_widget_get_window (w));
  ev->motion.x = aw / 2.0 + 30;
  ev->motion.y = ah / 2.0;
  gtk_widget_event (w, ev);
  gdk_event_free (ev);
  CHECK (skc_kernel_draw_is_empty (d), "a right-button drag across erases");

  /* drawing the widget does not fail */
  {
    cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, aw, ah);
    cairo_t         *cr = cairo_create (s);

    g_object_set (d, "mirror", SKC_MIRROR_HORIZONTAL, "rotational", 5, NULL);
    gtk_widget_draw (w, cr);
    CHECK (cairo_status (cr) == CAIRO_STATUS_SUCCESS, "draw");
    cairo_destroy (cr);
    cairo_surface_destroy (s);
  }
  gtk_widget_destroy (win);
}

int
main (int argc, char **argv)
{
  if (!gtk_init_check (&argc, &argv))
    {
      printf ("SKIP: no display\n");
      return 77;
    }
  test_empty_and_dab ();
  test_stroke_line ();
  test_symmetry ();
  test_erase_undo ();
  test_resample_set ();
  test_mouse ();
  return test_finish ();
}
