/* The result on the canvas while the dialog is open (see sb-canvas.h). */
#include <glib/gi18n-lib.h>

#include "sb-apply.h"
#include "sb-canvas.h"

struct _SbCanvas
{
  GimpImage          *image;
  GimpDrawable       *drawable;
  SbQuiet            *quiet;
  SbCanvasMode        mode;        /* what the last show used             */
  gint                live_ok;     /* GIMP keeps the live effect: -1 ?    */
  GimpDrawableFilter *filter;      /* live                                */
  GimpLayer          *copy;        /* preview layer                       */
  gboolean            visible;     /* the drawable's own visibility       */
  gboolean            hidden;      /* the drawable was hidden by us       */
  gchar              *map_data;    /* the stored map (map variation)      */
};

SbCanvas *
sb_canvas_new (GimpImage *image, GimpDrawable *drawable, SbQuiet *quiet)
{
  SbCanvas *c = g_new0 (SbCanvas, 1);

  c->image = image;
  c->drawable = drawable;
  c->quiet = quiet;
  c->visible = gimp_item_get_visible (GIMP_ITEM (drawable));
  c->live_ok = -1;
  c->mode = GIMP_IS_LAYER (drawable) && !GIMP_IS_LAYER_MASK (drawable)
            ? SB_CANVAS_UNKNOWN : SB_CANVAS_NONE;
  return c;
}

SbCanvasMode
sb_canvas_mode (SbCanvas *c)
{
  return c->mode;
}

static void
remove_copy (SbCanvas *c)
{
  if (!c->copy)
    return;
  gimp_image_remove_layer (c->image, c->copy);
  c->copy = NULL;
}

static gboolean
show_live (SbCanvas *c, const SbParams *p, const gchar *kernel)
{
  if (!c->filter)
    {
      c->filter = sb_filter_new (c->drawable, p, kernel, c->map_data);
      if (!c->filter)
        return FALSE;
      if (!sb_filter_append (c->drawable, c->filter))
        {
          c->filter = NULL;
          return FALSE;
        }
      return TRUE;
    }
  sb_op_configure (G_OBJECT (gimp_drawable_filter_get_config (c->filter)), p,
                   kernel, c->map_data);
  gimp_drawable_filter_update (c->filter);
  return TRUE;
}

static gboolean
show_layer (SbCanvas *c, const SbParams *p, const gchar *kernel)
{
  GimpItem           *item = GIMP_ITEM (c->drawable);
  GimpLayer          *parent = GIMP_LAYER (gimp_item_get_parent (item));
  GimpDrawableFilter *filter;

  remove_copy (c);
  c->copy = gimp_layer_copy (GIMP_LAYER (c->drawable));
  if (!c->copy)
    return FALSE;
  gimp_item_set_name (GIMP_ITEM (c->copy), _("Sparse Bokeh preview"));
  gimp_image_insert_layer (c->image, c->copy, parent,
                           gimp_image_get_item_position (c->image, item));
  gimp_item_set_visible (GIMP_ITEM (c->copy), c->visible);
  if (!c->hidden && c->visible)
    {
      gimp_item_set_visible (item, FALSE);
      c->hidden = TRUE;
    }
  filter = sb_filter_new (GIMP_DRAWABLE (c->copy), p, kernel, c->map_data);
  if (!filter)
    return FALSE;
  gimp_drawable_merge_filter (GIMP_DRAWABLE (c->copy), filter);
  return TRUE;
}

static void
drop_live (SbCanvas *c)
{
  if (c->filter)
    gimp_drawable_filter_delete (c->filter);
  c->filter = NULL;
}

static void
drop_layer (SbCanvas *c)
{
  remove_copy (c);
  if (c->hidden)
    gimp_item_set_visible (GIMP_ITEM (c->drawable), TRUE);
  c->hidden = FALSE;
}

gboolean
sb_canvas_show (SbCanvas *c, const SbParams *p, const gchar *kernel,
                GeglBuffer *map, gboolean map_changed, GError **error)
{
  gboolean ok = FALSE;

  if (c->mode == SB_CANVAS_NONE)
    return TRUE;
  if (map_changed || !map)
    g_clear_pointer (&c->map_data, g_free);
  if (map && !c->map_data && !(c->map_data = sb_map_data (map, error)))
    return FALSE;

  sb_quiet_begin (c->quiet);
  if (c->live_ok != 0)
    {
      drop_layer (c);
      ok = show_live (c, p, kernel);
      if (c->live_ok < 0)
        g_debug (ok ? "GIMP keeps the live %s effect: previewing with it"
                    : "GIMP keeps no live %s effect; previewing on a layer",
                 SB_OP);
      if (c->live_ok < 0)
        c->live_ok = ok;
      c->mode = SB_CANVAS_LIVE;
    }
  if (!ok)
    {
      drop_live (c);
      ok = show_layer (c, p, kernel);
      c->mode = SB_CANVAS_LAYER;
    }
  sb_quiet_end (c->quiet);
  gimp_displays_flush ();
  if (!ok)
    g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0,
                         _("The result cannot be shown on the canvas."));
  return ok;
}

void
sb_canvas_hide (SbCanvas *c)
{
  sb_quiet_begin (c->quiet);
  drop_live (c);
  drop_layer (c);
  sb_quiet_end (c->quiet);
  gimp_displays_flush ();
}

void
sb_canvas_free (SbCanvas *c)
{
  if (!c)
    return;
  sb_canvas_hide (c);
  g_free (c->map_data);
  g_free (c);
}
