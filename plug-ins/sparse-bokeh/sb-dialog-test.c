/* Driving the dialog from a test (see sb-dialog-test.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sb-dialog-test.h"
#include "skc-kernel-draw.h"
#include "skc-mask-paint.h"

#define POLL_MS 200

struct _SbDialogTest
{
  GHashTable          *step;      /* this run's block of the steps file  */
  GtkDialog           *dialog;
  GimpProcedureConfig *config;
  GimpImage           *image;
  GtkWidget           *preview;
  const gint          *renders;   /* the dialog's preview renders        */
  gint                 redrawn;   /* renders when PREVIEW asked: -1 not  */
  gboolean             clicked;   /* CLICK done                          */
  gboolean             helped;    /* HELP done                           */
  SbDialogReadyFunc    ready;
  gpointer             data;
  gint                 response;
  gint                 settled;   /* polls in a row found ready          */
  gint64               start;
  gdouble              timeout;
  guint                poll_id;
};

/* Block N of the steps file, N counted in FILE.count. */
static GHashTable *
steps_block (void)
{
  const gchar *file = g_getenv ("SPARSE_BOKEH_TEST_STEPS");
  gchar       *text = NULL, *count_file, *count = NULL, **blocks;
  GHashTable  *step = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             g_free);
  gint         n = 0;

  if (!file || !*file || !g_file_get_contents (file, &text, NULL, NULL))
    return step;
  count_file = g_strconcat (file, ".count", NULL);
  if (g_file_get_contents (count_file, &count, NULL, NULL))
    n = atoi (count);
  g_free (count);
  count = g_strdup_printf ("%d\n", n + 1);
  g_file_set_contents (count_file, count, -1, NULL);
  blocks = g_regex_split_simple ("^---$", text, G_REGEX_MULTILINE, 0);
  if (n < (gint) g_strv_length (blocks))
    {
      gchar **lines = g_strsplit (blocks[n], "\n", -1);

      for (gchar **l = lines; *l; l++)
        {
          gchar *eq = strchr (*l, '=');
          gchar *key;

          if (!eq || eq == *l)
            continue;
          key = g_strndup (*l, eq - *l);
          g_hash_table_insert (step,
                               g_strconcat ("SPARSE_BOKEH_TEST_",
                                            g_strstrip (key), NULL),
                               g_strdup (eq + 1));
          g_free (key);
        }
      g_strfreev (lines);
    }
  g_strfreev (blocks);
  g_free (count_file);
  g_free (count);
  g_free (text);
  return step;
}

static const gchar *
get (SbDialogTest *t, const gchar *key)
{
  const gchar *v = g_hash_table_lookup (t->step, key);

  return v ? v : g_getenv (key);
}

static GtkWidget *
find_stack (GtkWidget *w)
{
  GtkWidget *found = NULL;
  GList     *children;

  if (GTK_IS_STACK (w))
    return w;
  if (!GTK_IS_CONTAINER (w))
    return NULL;
  children = gtk_container_get_children (GTK_CONTAINER (w));
  for (GList *l = children; l && !found; l = l->next)
    found = find_stack (l->data);
  g_list_free (children);
  return found;
}

/* The part of @pix that is not black: the screen without the empty rest. */
static GdkPixbuf *
crop_black (GdkPixbuf *pix)
{
  gint          w = gdk_pixbuf_get_width (pix), h = gdk_pixbuf_get_height (pix);
  gint          n = gdk_pixbuf_get_n_channels (pix);
  gint          stride = gdk_pixbuf_get_rowstride (pix);
  const guchar *p = gdk_pixbuf_read_pixels (pix);
  gint          x1 = 0, y1 = 0;
  GdkPixbuf    *sub;

  for (gint y = 0; y < h; y++)
    for (gint x = 0; x < w; x++)
      {
        const guchar *q = p + (gsize) y * stride + (gsize) x * n;

        if (q[0] | q[1] | q[2])
          {
            x1 = MAX (x1, x + 1);
            y1 = MAX (y1, y + 1);
          }
      }
  if (x1 == 0 || y1 == 0)
    return pix;
  sub = gdk_pixbuf_new_subpixbuf (pix, 0, 0, x1, y1);
  g_object_unref (pix);
  return sub;
}

static void
screenshot (GdkWindow *window, const gchar *prefix, const gchar *what)
{
  GdkPixbuf *pix;
  gchar     *path;
  GError    *error = NULL;

  if (!window)
    return;
  pix = gdk_pixbuf_get_from_window (window, 0, 0,
                                    gdk_window_get_width (window),
                                    gdk_window_get_height (window));
  if (pix && window == gdk_get_default_root_window ())
    pix = crop_black (pix);
  path = g_strdup_printf ("%s-%s.png", prefix, what);
  if (!pix || !gdk_pixbuf_save (pix, path, "png", &error, NULL))
    g_printerr ("sparse-bokeh-test: cannot save %s: %s\n", path,
                error ? error->message : "no pixels");
  else
    g_printerr ("sparse-bokeh-test: saved %s\n", path);
  g_clear_error (&error);
  g_clear_object (&pix);
  g_free (path);
}

static gboolean numbers (SbDialogTest *t, const gchar *env, gdouble *v,
                         gint n);

/* A left click (press and release) on the preview's area at fractions
 * @u, @v of the part of the drawable it shows. */
static void
click_preview (SbDialogTest *t, gdouble u, gdouble v)
{
  GtkWidget  *area = gimp_preview_get_area (GIMP_PREVIEW (t->preview));
  GdkSeat    *seat = gdk_display_get_default_seat (gdk_display_get_default ());
  gint        w, h;

  gimp_preview_get_size (GIMP_PREVIEW (t->preview), &w, &h);
  for (gint i = 0; i < 2; i++)
    {
      GdkEvent *e = gdk_event_new (i ? GDK_BUTTON_RELEASE : GDK_BUTTON_PRESS);

      e->button.window = g_object_ref (gtk_widget_get_window (area));
      e->button.x = u * w;
      e->button.y = v * h;
      e->button.button = 1;
      e->button.time = GDK_CURRENT_TIME;
      gdk_event_set_device (e, gdk_seat_get_pointer (seat));
      gtk_widget_event (area, e);
      gdk_event_free (e);
    }
  g_printerr ("sparse-bokeh-test: clicked the preview at %.0f,%.0f of %dx%d\n",
              u * w, v * h, w, h);
}

/* What the user might do while the dialog is open: add a layer. */
static void
user_edit (SbDialogTest *t)
{
  GimpLayer *layer = gimp_layer_new (t->image, "user edit", 8, 8,
                                     GIMP_RGBA_IMAGE, 100.0,
                                     GIMP_LAYER_MODE_NORMAL);

  gimp_image_insert_layer (t->image, layer, NULL, 0);
  g_printerr ("sparse-bokeh-test: added a layer, the image is %s\n",
              gimp_image_is_dirty (t->image) ? "dirty" : "clean");
}

static void
save_preview (SbDialogTest *t, const gchar *prefix)
{
  GtkWidget *area = gimp_preview_get_area (GIMP_PREVIEW (t->preview));
  GdkPixbuf *pix;
  gchar     *path = g_strdup_printf ("%s-preview.png", prefix);
  gint       x, y, w, h;

  gimp_preview_get_position (GIMP_PREVIEW (t->preview), &x, &y);
  gimp_preview_get_size (GIMP_PREVIEW (t->preview), &w, &h);
  /* the area centres what it draws in its allocation */
  pix = gdk_pixbuf_get_from_window (gtk_widget_get_window (area),
                                    (gtk_widget_get_allocated_width (area)
                                     - w) / 2,
                                    (gtk_widget_get_allocated_height (area)
                                     - h) / 2, w, h);
  if (pix && gdk_pixbuf_save (pix, path, "png", NULL, NULL))
    g_printerr ("sparse-bokeh-test: preview %s at %d,%d size %dx%d\n", path,
                x, y, w, h);
  else
    g_printerr ("sparse-bokeh-test: cannot save %s\n", path);
  g_clear_object (&pix);
  g_free (path);
}

/* What the Samples and Layers spin buttons show, and the focus value. */
static void
show_values (SbDialogTest *t)
{
  GimpProcedureDialog *dlg = GIMP_PROCEDURE_DIALOG (t->dialog);
  GtkWidget           *samples = gimp_procedure_dialog_get_widget
                                   (dlg, "samples", G_TYPE_NONE);
  GtkWidget           *layers = gimp_procedure_dialog_get_widget
                                  (dlg, "layers", G_TYPE_NONE);
  gdouble              focus;
  gchar                text[G_ASCII_DTOSTR_BUF_SIZE];

  g_object_get (t->config, "focus", &focus, NULL);
  if (GIMP_IS_LABEL_SPIN (samples) && GIMP_IS_LABEL_SPIN (layers))
    g_printerr ("sparse-bokeh-test: shows samples %d layers %d focus %s\n",
                (gint) gimp_label_spin_get_value (GIMP_LABEL_SPIN (samples)),
                (gint) gimp_label_spin_get_value (GIMP_LABEL_SPIN (layers)),
                g_ascii_formatd (text, sizeof text, "%.4f", focus));
}

static gboolean
poll (gpointer data)
{
  SbDialogTest *t = data;
  gdouble       elapsed = (g_get_monotonic_time () - t->start) / 1e6;
  const gchar  *prefix = get (t, "SPARSE_BOKEH_TEST_SCREENSHOT");
  const gchar  *preview = get (t, "SPARSE_BOKEH_TEST_PREVIEW");
  const gchar  *edit = get (t, "SPARSE_BOKEH_TEST_EDIT");
  const gchar  *help = get (t, "SPARSE_BOKEH_TEST_HELP");
  gdouble       v[2];

  t->settled = t->ready (t->data) ? t->settled + 1 : 0;
  /* Three polls in a row: the canvas and the preview have been redrawn. */
  if (t->settled < 3 && elapsed < t->timeout)
    return G_SOURCE_CONTINUE;
  if (!t->clicked && numbers (t, "SPARSE_BOKEH_TEST_CLICK", v, 2))
    {
      t->clicked = TRUE;
      click_preview (t, v[0], v[1]);
      t->settled = 0;
      return G_SOURCE_CONTINUE;
    }
  if (!t->helped && help && atoi (help) == 1)
    {
      GtkWidget *b = gtk_dialog_get_widget_for_response (t->dialog,
                                                         GTK_RESPONSE_HELP);

      t->helped = TRUE;
      g_printerr ("sparse-bokeh-test: %s the Help button\n",
                  b ? "clicking" : "no");
      if (b)
        gtk_button_clicked (GTK_BUTTON (b));
      t->settled = 0;
      return G_SOURCE_CONTINUE;
    }
  /* GimpPreview may have drawn the drawable itself meanwhile (its own
   * draw, the selection masked by GIMP): what counts is our render. */
  if (preview && *preview && t->redrawn < 0)
    {
      t->redrawn = *t->renders;
      gimp_preview_invalidate (GIMP_PREVIEW (t->preview));
      t->settled = 0;
      return G_SOURCE_CONTINUE;
    }
  if (preview && *preview && *t->renders == t->redrawn
      && elapsed < t->timeout)
    return G_SOURCE_CONTINUE;
  if (edit && atoi (edit) == 1)
    user_edit (t);

  show_values (t);
  g_printerr ("sparse-bokeh-test: %s after %.1f s, answering %s\n",
              t->settled >= 3 ? "settled" : "TIMED OUT", elapsed,
              t->response == GTK_RESPONSE_OK ? "ok" : "cancel");
  if (prefix && *prefix)
    {
      gdk_display_sync (gdk_display_get_default ());
      screenshot (gtk_widget_get_window (GTK_WIDGET (t->dialog)), prefix,
                  "dialog");
      screenshot (gdk_get_default_root_window (), prefix, "screen");
    }
  if (preview && *preview)
    save_preview (t, preview);
  t->poll_id = 0;
  gtk_dialog_response (t->dialog, t->response);
  return G_SOURCE_REMOVE;
}

static gboolean
numbers (SbDialogTest *t, const gchar *env, gdouble *v, gint n)
{
  const gchar *s = get (t, env);
  gchar       *end;

  if (!s || !*s)
    return FALSE;
  for (gint i = 0; i < n; i++)
    {
      v[i] = g_ascii_strtod (s, &end);
      if (end == s)
        {
          g_printerr ("sparse-bokeh-test: %s wants %d numbers\n", env, n);
          return FALSE;
        }
      s = end;
    }
  return TRUE;
}

SbDialogTest *
sb_dialog_test_new (GtkDialog *dialog, GimpProcedureConfig *config,
                    GimpImage *image, GtkWidget *preview, const gint *renders,
                    GtkWidget *draw, GtkWidget *paint, SbDialogReadyFunc ready,
                    gpointer data)
{
  SbDialogTest *t = g_new0 (SbDialogTest, 1);
  const gchar  *response, *text, *timeout, *page, *map_layer;
  gdouble       v[6];
  GError       *error = NULL;

  t->step = steps_block ();
  response = get (t, "SPARSE_BOKEH_TEST_RESPONSE");
  text = get (t, "SPARSE_BOKEH_TEST_CONFIG");
  timeout = get (t, "SPARSE_BOKEH_TEST_TIMEOUT");
  page = get (t, "SPARSE_BOKEH_TEST_PAGE");
  if (!response || !*response)
    {
      sb_dialog_test_free (t);
      return NULL;
    }
  t->dialog = dialog;
  t->config = config;
  t->image = image;
  t->preview = preview;
  t->renders = renders;
  t->redrawn = -1;
  t->ready = ready;
  t->data = data;
  t->response = g_ascii_strcasecmp (response, "ok") == 0 ? GTK_RESPONSE_OK
                                                         : GTK_RESPONSE_CANCEL;
  t->timeout = timeout ? g_ascii_strtod (timeout, NULL) : 90.0;
  t->start = g_get_monotonic_time ();

  if (text && *text
      && !gimp_config_deserialize_string (GIMP_CONFIG (config), text, -1,
                                          NULL, &error))
    {
      g_printerr ("sparse-bokeh-test: bad SPARSE_BOKEH_TEST_CONFIG: %s\n",
                  error->message);
      g_clear_error (&error);
    }
  map_layer = get (t, "SPARSE_BOKEH_TEST_MAP_LAYER");
  if (map_layer && *map_layer)
    g_object_set (config, "map",
                  gimp_image_get_layer_by_name (image, map_layer), NULL);
  if (page && *page)
    {
      GtkWidget *stack = find_stack (GTK_WIDGET (dialog));
      GList     *pages = stack ? gtk_container_get_children
                                   (GTK_CONTAINER (stack)) : NULL;
      GList     *p = g_list_nth (pages, atoi (page));

      if (p)
        gtk_stack_set_visible_child (GTK_STACK (stack), p->data);
      g_list_free (pages);
    }
  if (draw && numbers (t, "SPARSE_BOKEH_TEST_DRAW", v, 4))
    {
      gint n = skc_kernel_draw_get_size (SKC_KERNEL_DRAW (draw)) - 1;

      skc_kernel_draw_stroke (SKC_KERNEL_DRAW (draw), v[0] * n, v[1] * n,
                              v[2] * n, v[3] * n);
    }
  if (paint && numbers (t, "SPARSE_BOKEH_TEST_PAINT", v, 6))
    {
      SkcMaskPaint *mp = SKC_MASK_PAINT (paint);
      gint          w = skc_mask_paint_get_width (mp) - 1;
      gint          h = skc_mask_paint_get_height (mp) - 1;

      g_object_set (mp, "brush-radius", MAX (0.5, v[5] * (w + 1)),
                    "brush-softness", 0.0, NULL);
      skc_mask_paint_stroke (mp, v[0] * w, v[1] * h, v[2] * w, v[3] * h,
                             (float) v[4]);
    }
  /* For screenshots: the dialog beside GIMP's window (1024 wide under
   * Xvfb), and the pointer out of the way (no tooltips). */
  if (get (t, "SPARSE_BOKEH_TEST_SCREENSHOT"))
    {
      GdkDisplay *display = gdk_display_get_default ();
      GdkSeat    *seat = gdk_display_get_default_seat (display);
      GdkWindow  *root = gdk_get_default_root_window ();

      gtk_window_move (GTK_WINDOW (dialog), 1030, 0);
      if (seat && gdk_seat_get_pointer (seat))
        gdk_device_warp (gdk_seat_get_pointer (seat),
                         gdk_window_get_screen (root),
                         gdk_window_get_width (root) - 1,
                         gdk_window_get_height (root) - 1);
    }
  t->poll_id = g_timeout_add (POLL_MS, poll, t);
  return t;
}

void
sb_dialog_test_free (SbDialogTest *t)
{
  if (!t)
    return;
  if (t->poll_id)
    g_source_remove (t->poll_id);
  g_hash_table_unref (t->step);
  g_free (t);
}
