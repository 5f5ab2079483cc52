/* Applying skc:bokeh inside GIMP (see sb-apply.h). */
#include <glib/gi18n-lib.h>

#include "sb-apply.h"

GimpDrawableFilter *
sb_filter_new (GimpDrawable *drawable, const SbParams *p, const gchar *kernel,
               const gchar *map_data)
{
  GimpDrawableFilter *filter;

  filter = gimp_drawable_filter_new (drawable, SB_OP, _("Sparse Bokeh"));
  if (!filter)
    return NULL;
  sb_op_configure (G_OBJECT (gimp_drawable_filter_get_config (filter)), p,
                   kernel, map_data);
  gimp_drawable_filter_set_opacity (filter, 1.0);
  gimp_drawable_filter_set_blend_mode (filter, GIMP_LAYER_MODE_REPLACE);
  gimp_drawable_filter_update (filter);
  return filter;
}

static gboolean
has_filter (GimpDrawable *drawable, GimpDrawableFilter *filter)
{
  GimpDrawableFilter **filters = gimp_drawable_get_filters (drawable);
  gboolean             found = FALSE;

  for (gint i = 0; filters && filters[i]; i++)
    found |= gimp_drawable_filter_get_id (filters[i])
             == gimp_drawable_filter_get_id (filter);
  g_free (filters);
  return found;
}

gboolean
sb_filter_append (GimpDrawable *drawable, GimpDrawableFilter *filter)
{
  GimpPlugIn *plug_in = gimp_get_plug_in ();

  if (!GIMP_IS_LAYER (drawable) || GIMP_IS_LAYER_MASK (drawable))
    {
      gimp_drawable_filter_delete (filter);
      return FALSE;
    }
  /* Should GIMP refuse it, report that here, not as an error message
   * from GIMP. */
  gimp_plug_in_set_pdb_error_handler (plug_in, GIMP_PDB_ERROR_HANDLER_PLUGIN);
  gimp_drawable_append_filter (drawable, filter);
  gimp_plug_in_set_pdb_error_handler (plug_in,
                                      GIMP_PDB_ERROR_HANDLER_INTERNAL);
  if (has_filter (drawable, filter))
    return TRUE;
  gimp_drawable_filter_delete (filter);
  return FALSE;
}

gboolean
sb_apply (const SbParams *p, const gchar *kernel, GimpDrawable *drawable,
          GeglBuffer *map, gboolean *kept, GError **error)
{
  GimpDrawableFilter *filter;
  gchar              *map_data = NULL;

  *kept = FALSE;
  if (map && !(map_data = sb_map_data (map, error)))
    return FALSE;

  filter = sb_filter_new (drawable, p, kernel, map_data);
  if (!filter)
    {
      g_free (map_data);
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("GIMP does not know the operation '%s': the "
                     "skc-bokeh GEGL module is not installed where GIMP "
                     "looks for GEGL modules."), SB_OP);
      return FALSE;
    }
  if (p->keep_filter)
    {
      *kept = sb_filter_append (drawable, filter);
      if (!*kept)
        filter = sb_filter_new (drawable, p, kernel, map_data);
    }
  if (!*kept && filter)
    gimp_drawable_merge_filter (drawable, filter);
  g_free (map_data);
  return TRUE;
}
