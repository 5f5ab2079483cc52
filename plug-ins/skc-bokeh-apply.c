/* A render of the skc:bokeh operations applied to one region of GEGL
 * buffers (skc-bokeh-render.h): the input read around the region with
 * clamped borders, highlights boosted, then the path the render was made
 * for (a colour kernel, axial chromatic aberration, the exact path, the
 * highlight split, the sparse complex, the cat's eye, the varying field
 * or depth layers); what cannot be rendered shows the error pattern.
 */
#include "skc-bokeh-render.h"

GeglRectangle
skc_bokeh_grow (const GeglRectangle *r, gint halo)
{
  if (gegl_rectangle_is_infinite_plane (r))
    return *r;
  return (GeglRectangle) { r->x - halo, r->y - halo,
                           r->width + 2 * halo, r->height + 2 * halo };
}

static SkcRect
skc_rect (const GeglRectangle *r)
{
  return (SkcRect) { r->x, r->y, r->width, r->height };
}

static gfloat *
alloc_floats (gsize n_pixels, gsize per_pixel)
{
  if (n_pixels > G_MAXSIZE / per_pixel / sizeof (gfloat))
    return NULL;
  return g_try_new0 (gfloat, n_pixels * per_pixel);
}

/* What an effect that cannot render shows instead of a silent copy of
 * its input (GEGL ops have no error channel; the warning says why):
 * opaque magenta and black squares of ERROR_CELL pixels, in image
 * coordinates, unmistakable on any photo. */
#define ERROR_CELL 16

void
skc_bokeh_fill_error_pattern (GeglBuffer *output, const GeglRectangle *roi,
                              const Babl *format)
{
  gfloat *px = alloc_floats ((gsize) roi->width * roi->height, 4);

  if (!px)
    {
      gegl_buffer_clear (output, roi);
      return;
    }
  for (gint y = 0; y < roi->height; y++)
    for (gint x = 0; x < roi->width; x++)
      {
        gfloat *p = px + ((gsize) y * roi->width + x) * 4;
        gint    on = ((roi->x + x) / ERROR_CELL + (roi->y + y) / ERROR_CELL
                      + (roi->x + x < 0) + (roi->y + y < 0)) & 1;

        p[0] = p[2] = on ? 1.0f : 0.0f;
        p[1] = 0.0f;
        p[3] = 1.0f;
      }
  gegl_buffer_set (output, roi, 0, format, px, GEGL_AUTO_ROWSTRIDE);
  g_free (px);
}

/* Axial CA: group 0 green's plan, group 1 red and blue's. */
static SkcStatus
chroma_apply (void *data, int group, SkcInView in, SkcRect bounds,
              SkcOutView out, const SkcApplyOptions *options)
{
  const SkcBokehRender *r = data;

  return skc_apply_rgba (group ? r->rb_plan : r->plan, in, bounds, out,
                         options);
}

/* A colour kernel: group g is channel g's plan. */
static SkcStatus
colour_apply (void *data, int group, SkcInView in, SkcRect bounds,
              SkcOutView out, const SkcApplyOptions *options)
{
  const SkcBokehRender *r = data;

  return skc_apply_rgba (r->ch_plan[group], in, bounds, out, options);
}

void
skc_bokeh_render_apply (SkcBokehRender *r, const gchar *op_name,
                        GeglBuffer *input, GeglBuffer *aux,
                        const Babl *aux_format, GeglBuffer *output,
                        const Babl *format, const GeglRectangle *bounds_in,
                        const GeglRectangle *roi_in)
{
  GeglRectangle   bounds = *bounds_in, roi = *roi_in, in_rect, grown;
  SkcApplyOptions opt;
  SkcStatus       st = SKC_ERR_NOMEM;
  gfloat         *in = NULL, *out = NULL, *map = NULL, *field = NULL;
  gsize           n_in, n_out;

  grown = skc_bokeh_grow (&roi, r->halo);
  gegl_rectangle_intersect (&in_rect, &grown, &bounds);
  n_in = (gsize) in_rect.width * in_rect.height;
  n_out = (gsize) roi.width * roi.height;

  in = alloc_floats (n_in, 4);
  out = alloc_floats (n_out, 4);
  if (in && out)
    {
      gegl_buffer_get (input, &in_rect, 1.0, format, in,
                       GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_CLAMP);
      if (r->hl_gain > 0.0f)
        skc_highlights_rgba (in, n_in, r->hl_threshold, r->hl_gain);

      SkcInView  src = skc_in_view (in, in_rect.width * 4,
                                    skc_rect (&in_rect));
      SkcOutView dst = skc_out_view (out, roi.width * 4, skc_rect (&roi));

      skc_apply_options_init (&opt);
      opt.n_threads = 1;   /* GEGL threads the op (skc-bokeh-op.c) */

      if (!r->varying && r->ch_plan[0])
        {
          const int group[3] = { 0, 1, 2 };   /* alpha with green */

          st = skc_apply_channels_rgba (3, group, colour_apply, r, src,
                                        skc_rect (&bounds), dst, &opt);
        }
      else if (!r->varying && r->rb_plan)
        {
          const int group[3] = { 1, 0, 1 };   /* green's plan is group 0 */

          st = skc_apply_channels_rgba (2, group, chroma_apply, r, src,
                                        skc_rect (&bounds), dst, &opt);
        }
      else if (!r->varying && r->exact_all)
        st = skc_exact_apply_rgba (r->exact, src, skc_rect (&bounds), dst,
                                   &opt);
      else if (!r->varying && r->exact)
        st = skc_apply_split_rgba (r->plan, r->exact, r->hl_threshold, src,
                                   skc_rect (&bounds), dst, &opt);
      else if (!r->varying)
        st = skc_apply_rgba (r->plan, src, skc_rect (&bounds), dst, &opt);
      else if (r->cateye)
        st = skc_cateye_apply_rgba (r->cateye->family, &r->cateye_params,
                                    r->cateye->size, src, skc_rect (&bounds),
                                    dst, &opt);
      else
        {
          field = r->occlusion ? NULL : alloc_floats (n_in, 2);
          if (r->vary.mode == SKC_VARY_MAP)
            {
              map = alloc_floats (n_in, 1);
              /* No map (disconnected since prepare): all zero. */
              if (map && r->map)
                skc_bokeh_map_read (r->map, in_rect.x, in_rect.y,
                                    in_rect.width, in_rect.height, map);
              else if (map && aux)
                gegl_buffer_get (aux, &in_rect, 1.0,
                                 aux_format,
                                 map, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_CLAMP);
            }
          if (r->occlusion && map)
            st = skc_occlusion_apply_rgba (r->fit->family, &r->vary, &r->occ,
                                           map, in_rect.width, src,
                                           skc_rect (&bounds), dst, &opt);
          else if (field && (map || r->vary.mode != SKC_VARY_MAP))
            st = skc_vary_field (&r->vary, skc_rect (&in_rect), map,
                                 in_rect.width, skc_rect (&in_rect), field);
          if (st == SKC_OK && !r->occlusion)
            st = skc_apply_varying_rgba (r->fit->family, field, src,
                                         skc_rect (&bounds), dst, &opt);
        }
    }

  if (st == SKC_OK)
    gegl_buffer_set (output, &roi, 0, format, out, GEGL_AUTO_ROWSTRIDE);
  else
    {
      g_warning ("%s: cannot filter %dx%d pixels: %s; they show "
                 "an error pattern", op_name, roi.width, roi.height,
                 skc_status_message (st));
      skc_bokeh_fill_error_pattern (output, &roi, format);
    }
  g_free (in);
  g_free (out);
  g_free (map);
  g_free (field);
}
