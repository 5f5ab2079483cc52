/* The render of the skc:bokeh operations: the op's settings made into
 * what process() reads (skc-bokeh-render.h).
 *
 * The kernel is resolved and fitted, or found in the fit cache
 * (skc-bokeh-kernels.c), then made ready for the mode: in the uniform
 * mode the family evaluated at the size and rotation and planned
 * (skc_family_uniform), with the dense kernel beside it when the complex
 * misses the fidelity target or for highlights (the exact path), or a
 * cat's-eye family, axial chromatic aberration's two plans, a colour
 * kernel's three; in the varying modes the family itself with the field's
 * parameters, and the occlusion settings of the map mode.  The halo is
 * known from the settings alone (skc_bokeh_settings_halo), before any
 * fit.
 */
#include <glib/gi18n-lib.h>

#include <math.h>

#include "skc-bokeh-render.h"

void
skc_bokeh_render_unref (SkcBokehRender *r)
{
  if (!r || !g_atomic_int_dec_and_test (&r->ref_count))
    return;
  skc_plan_free (r->plan);
  skc_exact_free (r->exact);
  skc_complex_free (r->complex);
  skc_bokeh_map_unref (r->map);
  skc_bokeh_cateye_unref (r->cateye);
  skc_plan_free (r->rb_plan);
  skc_complex_free (r->rb_complex);
  for (gint ch = 0; ch < 3; ch++)
    {
      skc_plan_free (r->ch_plan[ch]);
      skc_complex_free (r->ch_complex[ch]);
    }
  skc_bokeh_fit_unref (r->fit);
  g_free (r);
}

/* The exact path of the uniform mode (skc-exact.c): the dense kernel
 * blurs the whole image when the complex misses the fidelity target on
 * the core's test photo (skc_complex_photo_psnr, kept with the fit per
 * size and angle: skc_bokeh_fit_fidelity), and the boosted part of the
 * highlights otherwise (skc_apply_split_rgba at the threshold). */
static SkcStatus
exact_prepare (SkcBokehRender *r, const SkcBokehSettings *set,
               const SkcKernel *k, gfloat angle, gboolean dense)
{
  SkcStatus  st = SKC_OK;
  double     psnr = INFINITY;

  r->halo = skc_plan_halo (r->plan);
  if (!k)
    return SKC_OK;   /* a .skc file: no dense kernel, the complex only */
  /* the dense kernel itself (skc_family_uniform) is exact already */
  if (set->fidelity > 0.0 && !dense)
    st = skc_bokeh_fit_fidelity (r->fit, angle, r->complex, k, &psnr);
  r->exact_all = st == SKC_OK && psnr < set->fidelity;
  if (st == SKC_OK && (r->exact_all || r->hl_gain > 0.0f))
    st = skc_exact_new (k, &r->exact);
  if (r->exact)
    r->halo = MAX (r->halo, skc_exact_halo (r->exact));
  if (r->exact_all)
    g_debug ("%s: %s at %g px: the sparse kernel reaches %.1f dB "
             "on the test photo, under the %.1f dB target: exact blur",
             set->op_name, r->fit->identity, r->fit->size, psnr, set->fidelity);
  return st;
}

/* The kernel the properties name, as the fit cache reads it
 * (skc-bokeh-kernels.h): the kernel string when set, else the stored
 * kernel or the shape with its parameters.  NULL with @error when the
 * shape "stored" has no data. */
static gchar *
kernel_string (const SkcBokehSettings *set, GError **error)
{
  SkcShapeParams p;

  if (set->kernel && *set->kernel)
    return g_strdup (set->kernel);
  if (set->shape_stored)
    {
      if (set->kernel_data && *set->kernel_data)
        return g_strdup (set->kernel_data);
      g_set_error_literal (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                           _("the shape is 'stored kernel', but the effect "
                             "holds no kernel data"));
      return NULL;
    }
  skc_shape_params_init (&p, set->shape);
  p.blades = set->blades;
  p.curvature = (float) set->curvature;
  p.rotation_deg = (float) set->shape_rotation_deg;
  p.inner = (float) set->inner;
  p.strength = (float) set->strength;
  return skc_bokeh_shape_spec (&p);
}

/* The kernel for messages: never the whole of inline data. */
static const gchar *
kernel_label (const gchar *kernel)
{
  return skc_inline_is_data (kernel) ? _("stored kernel") : kernel;
}

static gboolean
has_map_file (const SkcBokehSettings *set)
{
  return set->map_file && *set->map_file;
}

static gboolean
has_map_data (const SkcBokehSettings *set)
{
  return !has_map_file (set) && set->map_data && *set->map_data;
}

/* The occlusion settings of the map mode. */
static void
occlusion_params (const SkcBokehSettings *set, SkcOcclusionParams *occ)
{
  skc_occlusion_params_init (occ);
  occ->near_white = !set->black_near;
  occ->holes = set->map_holes;
}

/* The colour kernel's channels (kernel-colour, core/skc-chroma.c): each
 * channel of the RGB image @kernel names, as a kernel of its own, fitted
 * through the fit cache as inline data (so each is one cached fit, like
 * any stored kernel) and evaluated at the size and @angle into r's
 * channel plans.  FALSE with @error; TRUE with no plans when @kernel is
 * not a file with colour (gray, a shape, inline data: the gray path). */
static gboolean
colour_prepare (SkcBokehRender *r, const SkcBokehRequest *req, gfloat angle,
                GError **error)
{
  SkcImage *img = NULL;
  SkcStatus st = SKC_OK;

  if (skc_inline_is_data (req->kernel)
      || !(g_str_has_suffix (req->kernel, ".png")
           || g_str_has_suffix (req->kernel, ".pfm")))
    return TRUE;
  st = skc_image_load (req->kernel, &img);
  if (st != SKC_OK)
    {
      g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                   _("cannot load kernel image '%s': %s"), req->kernel,
                   skc_status_message (st));
      return FALSE;
    }
  if (img->channels < 3)
    {
      skc_image_free (img);
      return TRUE;
    }
  for (gint ch = 0; ch < 3 && st == SKC_OK; ch++)
    {
      SkcKernel      *k = NULL;
      SkcBokehRequest rc = *req;
      SkcBokehFit    *fit = NULL;
      gchar          *data = NULL;

      st = skc_kernel_from_image_channel (img, ch, &k);
      if (st != SKC_OK)
        {
          g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                       _("cannot load kernel image '%s': %s"), req->kernel,
                       skc_status_message (st));
          break;
        }
      data = skc_bokeh_kernel_data (k, error);
      skc_kernel_free (k);
      rc.kernel = data;
      fit = data ? skc_bokeh_fit_get (&rc, error) : NULL;
      g_free (data);
      if (!fit)
        {
          st = SKC_ERR_INVALID;
          break;
        }
      st = skc_complex_copy (fit->family->bases[0], &r->ch_complex[ch]);
      if (st == SKC_OK)
        st = skc_family_eval (fit->family, fit->size, angle,
                              r->ch_complex[ch]);
      if (st == SKC_OK)
        st = skc_plan_new (r->ch_complex[ch], &r->ch_plan[ch]);
      if (st == SKC_OK)
        r->halo = MAX (r->halo, skc_plan_halo (r->ch_plan[ch]));
      else
        g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_FIT,
                     _("cannot fit the colour kernel '%s': %s"), req->kernel,
                     skc_status_message (st));
      skc_bokeh_fit_unref (fit);
    }
  skc_image_free (img);
  return st == SKC_OK;
}

SkcBokehRender *
skc_bokeh_render_new (const SkcBokehSettings *set, const GeglRectangle *bounds,
                      gboolean has_aux, gint max_halo,
                      SkcProgressFunc progress, gpointer progress_data,
                      GError **error)
{
  SkcBokehRequest req = { 0 };
  SkcBokehRender *r;
  SkcStatus       st = SKC_OK;
  gchar          *kernel;
  gint64          t[4] = { g_get_monotonic_time (), 0, 0, 0 };

  if (set->mode == SKC_VARY_MAP && !has_aux && !has_map_file (set)
      && !has_map_data (set))
    {
      if (set->aux_map)
        g_set_error_literal (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_SETTINGS,
                             _("map mode needs a gray map on the aux input"));
      else
        g_set_error_literal (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_SETTINGS,
                             _("map mode needs a gray map: set map-file to a "
                               "gray PNG or PFM file, or map-data"));
      return NULL;
    }

  r = g_new0 (SkcBokehRender, 1);
  r->ref_count = 1;
  if (set->mode == SKC_VARY_MAP && !has_aux)
    {
      /* A file has the image's size; stored data says what it covers. */
      r->map = has_map_file (set)
               ? skc_bokeh_map_get (set->map_file, bounds, error)
               : skc_bokeh_map_get_data (set->map_data, error);
      if (!r->map
          || (has_map_file (set)
              && !skc_bokeh_map_fits (r->map, set->map_file, bounds, error)))
        {
          skc_bokeh_render_unref (r);
          return NULL;
        }
    }
  r->varying = set->mode != SKC_VARY_UNIFORM;
  r->hl_threshold = (gfloat) set->highlight_threshold;
  r->hl_gain = (gfloat) set->highlight_gain;

  kernel = kernel_string (set, error);
  if (!kernel)
    {
      skc_bokeh_render_unref (r);
      return NULL;
    }
  req.kernel = kernel;
  req.size = set->size;
  req.samples = set->samples;
  req.layers = set->layers;
  req.family = r->varying;
  req.progress = progress;
  req.progress_data = progress_data;
  r->fit = skc_bokeh_fit_get (&req, error);
  t[1] = t[2] = g_get_monotonic_time ();
  if (!r->fit)
    {
      g_free (kernel);
      skc_bokeh_render_unref (r);
      return NULL;
    }

  if (!r->varying && set->cateye > 0.0)
    {
      /* The cat's eye: a family over the clip (skc-bokeh-cateye.c), the
       * frame the input's bounding box. */
      r->varying = TRUE;
      r->cateye = skc_bokeh_cateye_get (r->fit,
                                        (gfloat) (set->rotation_deg
                                                  * G_PI / 180.0),
                                        set->samples, set->layers, progress,
                                        progress_data, error);
      if (!r->cateye)
        {
          g_free (kernel);
          skc_bokeh_render_unref (r);
          return NULL;
        }
      skc_cateye_params_init (&r->cateye_params);
      r->cateye_params.strength = (gfloat) set->cateye;
      r->cateye_params.start = (gfloat) set->cateye_start;
      r->cateye_params.cx = (gfloat) (bounds->x + 0.5 * (bounds->width - 1));
      r->cateye_params.cy = (gfloat) (bounds->y + 0.5 * (bounds->height - 1));
      r->cateye_params.half_diagonal
        = (gfloat) MAX (0.5 * hypot (bounds->width, bounds->height), 1.0);
      r->halo = r->cateye->halo;
    }
  else if (!r->varying && set->kernel_colour && set->chroma == 0.0
           && !colour_prepare (r, &req,
                               (gfloat) (set->rotation_deg * G_PI / 180.0),
                               error))
    {
      g_free (kernel);
      skc_bokeh_render_unref (r);
      return NULL;
    }
  else if (r->ch_plan[0])
    ;   /* the colour kernel's plans are made */
  else if (!r->varying && set->chroma != 0.0)
    {
      /* Axial chromatic aberration (core/skc-chroma.c): green and alpha
       * through plan, red and blue through rb_plan, the complex path
       * only (no exact or split path). */
      gfloat sizes[3], angle = (gfloat) (set->rotation_deg * G_PI / 180.0);

      skc_chroma_sizes (r->fit->size, (gfloat) set->chroma, sizes);
      st = skc_complex_copy (r->fit->family->bases[0], &r->complex);
      if (st == SKC_OK)
        st = skc_complex_copy (r->fit->family->bases[0], &r->rb_complex);
      if (st == SKC_OK)
        {
          skc_family_eval (r->fit->family, sizes[1], angle, r->complex);
          skc_family_eval (r->fit->family, sizes[0], angle, r->rb_complex);
          st = skc_plan_new (r->complex, &r->plan);
        }
      if (st == SKC_OK)
        st = skc_plan_new (r->rb_complex, &r->rb_plan);
      if (st == SKC_OK)
        r->halo = MAX (skc_plan_halo (r->plan), skc_plan_halo (r->rb_plan));
    }
  else if (!r->varying)
    {
      /* the family at the size and rotation, or the dense kernel itself
       * where that costs no more (small sizes: exact) */
      gfloat     angle = (gfloat) (set->rotation_deg * G_PI / 180.0);
      SkcKernel *k = skc_bokeh_fit_target (r->fit, angle);
      gint       dense = 0;

      st = skc_family_uniform (r->fit->family, k, r->fit->size, angle,
                               &r->complex, &r->plan, &dense);
      t[2] = g_get_monotonic_time ();
      if (st == SKC_OK)
        st = exact_prepare (r, set, k, angle, dense);
      skc_kernel_free (k);
    }
  else
    {
      SkcVaryParams *v = &r->vary;

      skc_vary_params_init (v, set->mode);
      v->diameter_px = r->fit->size;
      v->rotation_rad = (gfloat) (set->rotation_deg * G_PI / 180.0);
      v->focus = (gfloat) set->focus;
      v->range = (gfloat) set->range;
      v->cx = (gfloat) (bounds->x + set->center_x * bounds->width);
      v->cy = (gfloat) (bounds->y + set->center_y * bounds->height);
      v->angle = (gfloat) (set->angle_deg * G_PI / 180.0);
      v->width = (gfloat) set->width;
      v->falloff = (gfloat) set->falloff;
      v->radius = (gfloat) set->radius;
      r->halo = skc_family_halo (r->fit->family, r->fit->size);
      if (set->mode == SKC_VARY_MAP && set->occlusion)
        {
          /* depth layers: the fills need more input (core/skc-occlusion.c) */
          r->occlusion = TRUE;
          occlusion_params (set, &r->occ);
          r->halo = skc_occlusion_halo (r->halo, &r->occ);
        }
    }
  /* GEGL gave process() max_halo pixels around each region: every fit
   * keeps within it (skc_bokeh_halo), so this never happens. */
  if (st != SKC_OK || r->halo < 0 || r->halo > max_halo)
    {
      g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_FIT,
                   _("cannot prepare kernel '%s': %s"), kernel_label (kernel),
                   st != SKC_OK ? skc_status_message (st)
                   : _("the halo is beyond its bound"));
      g_free (kernel);
      skc_bokeh_render_unref (r);
      return NULL;
    }
  g_free (kernel);
  /* where a new setting's time goes (skc-bench-interactive-gegl reads it) */
  t[3] = g_get_monotonic_time ();
  g_debug ("render built in %.4f s: fit %.4f s, kernel %.4f s, fidelity "
           "and exact %.4f s", (t[3] - t[0]) * 1e-6, (t[1] - t[0]) * 1e-6,
           (t[2] - t[1]) * 1e-6, (t[3] - t[2]) * 1e-6);
  return r;
}

gchar *
skc_bokeh_settings_key (const SkcBokehSettings *set,
                        const GeglRectangle *bounds, gboolean has_aux)
{
  GError         *error = NULL;
  gchar          *kernel = kernel_string (set, &error);
  gchar          *id = kernel ? skc_bokeh_kernel_identity (kernel, &error)
                       : NULL;
  gchar          *map_id = NULL;
  gchar          *key;

  g_free (kernel);
  if (!id)
    {
      key = g_strdup_printf ("error:%s", error->message);
      g_error_free (error);
      return key;
    }
  /* A map counts by its identity: rewriting its file redraws. */
  if (set->mode == SKC_VARY_MAP && !has_aux && has_map_data (set))
    map_id = skc_bokeh_map_data_identity (set->map_data);
  else if (set->mode == SKC_VARY_MAP && !has_aux && has_map_file (set))
    {
      map_id = skc_bokeh_map_identity (set->map_file, &error);
      if (!map_id)
        {
          map_id = g_strdup_printf ("error:%s", error->message);
          g_clear_error (&error);
        }
    }
  key = g_strdup_printf ("%s|%d|%.9g|%d|%d|%d|%.9g|%.9g|%.9g|%.9g|%.9g|%.9g"
                         "|%.9g|%.9g|%.9g|%.9g|%.9g|%d,%d,%d,%d|%d|%s"
                         "|%.9g|%.9g|%.9g|%d|%d",
                         id, set->size, set->rotation_deg, set->samples,
                         set->layers, set->mode, set->focus, set->range,
                         set->center_x, set->center_y, set->angle_deg,
                         set->width, set->falloff,
                         set->radius, set->highlight_threshold,
                         set->highlight_gain, set->fidelity,
                         bounds->x, bounds->y, bounds->width, bounds->height,
                         has_aux, map_id ? map_id : "",
                         set->mode == SKC_VARY_UNIFORM ? set->cateye : 0.0,
                         set->cateye_start,
                         set->mode == SKC_VARY_UNIFORM ? set->chroma : 0.0,
                         set->mode == SKC_VARY_MAP && set->occlusion
                         ? 1 + 2 * set->black_near + 4 * set->map_holes : 0,
                         set->mode == SKC_VARY_UNIFORM && set->kernel_colour);
  g_free (id);
  g_free (map_id);
  return key;
}

SkcBokehRender *
skc_bokeh_render_ref (SkcBokehRender *r)
{
  if (r)
    g_atomic_int_inc (&r->ref_count);
  return r;
}

gint
skc_bokeh_settings_halo (const SkcBokehSettings *set)
{
  gchar          *kernel = kernel_string (set, NULL);
  SkcBokehRequest req = { .kernel = kernel, .size = set->size,
                          .samples = set->samples, .layers = set->layers };
  gint            halo = 0;

  /* Bad settings leave halo 0: the error pattern needs none. */
  if (!kernel || !skc_bokeh_halo (&req, &halo, NULL))
    halo = 0;
  else if (set->mode == SKC_VARY_MAP && set->occlusion)
    {
      SkcOcclusionParams occ;

      occlusion_params (set, &occ);
      halo = skc_occlusion_halo (halo, &occ);
    }
  g_free (kernel);
  return halo;
}
