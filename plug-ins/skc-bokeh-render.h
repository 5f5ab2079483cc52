/* The render of the skc:bokeh operations (skc-bokeh-render.c): what
 * process() reads, built once per setting from the op's properties read
 * into a plain struct, never changed after, shared by the threads that
 * render; and its application to one region of GEGL buffers
 * (skc-bokeh-apply.c).
 *
 * Thread safety: a render is immutable once built and reference counted
 * (skc_bokeh_render_ref/_unref from any thread); building may fit, which
 * takes long and may be cancelled through the progress callback.
 */
#ifndef SKC_BOKEH_RENDER_H
#define SKC_BOKEH_RENDER_H

#include <gegl.h>

#include "skc.h"
#include "skc-bokeh-kernels.h"
#include "skc-bokeh-mapfile.h"
#include "skc-bokeh-cateye.h"

G_BEGIN_DECLS

/* The op's properties as the render reads them (skc-bokeh-op.c reads
 * them from GeglProperties; plug-ins/PROPERTIES.md has their meaning).
 * Strings are borrowed from the properties. */
typedef struct
{
  const gchar   *op_name;          /* "skc:bokeh" or "skc:bokeh-map"      */
  gboolean       aux_map;          /* the map may come on an aux pad      */
  /* the kernel */
  SkcShapeType   shape;
  gboolean       shape_stored;     /* shape "stored": kernel-data         */
  gint           blades;
  gdouble        curvature;
  gdouble        inner;
  gdouble        strength;
  gdouble        shape_rotation_deg;
  const gchar   *kernel_data;
  const gchar   *kernel;
  gint           size;             /* diameter, px                        */
  gdouble        rotation_deg;
  gint           samples;
  gint           layers;
  /* the variation */
  SkcVaryMode    mode;
  gdouble        focus;
  gdouble        range;
  const gchar   *map_file;
  const gchar   *map_data;
  gboolean       occlusion;
  gboolean       black_near;
  gboolean       map_holes;
  gdouble        center_x;         /* fractions of the input's box        */
  gdouble        center_y;
  gdouble        angle_deg;        /* tilt-shift band                     */
  gdouble        width;
  gdouble        falloff;
  gdouble        radius;
  /* highlights, fidelity, lens */
  gdouble        highlight_threshold;
  gdouble        highlight_gain;
  gdouble        fidelity;         /* dB                                  */
  gdouble        cateye;
  gdouble        cateye_start;
  gdouble        chroma;
  gboolean       kernel_colour;
} SkcBokehSettings;

/* What process() needs. */
typedef struct
{
  gint           ref_count;
  SkcBokehFit   *fit;
  gboolean       varying;
  SkcBokehMap   *map;          /* map mode without an aux input: the file */
  SkcComplex    *complex;      /* uniform: the rotated complex ...         */
  SkcPlan       *plan;         /* ... and its plan                         */
  SkcExact      *exact;        /* uniform: the dense kernel (NULL: none)   */
  gboolean       exact_all;    /* the complex misses the fidelity target  */
  SkcVaryParams  vary;         /* varying: pixels and radians              */
  gboolean       occlusion;    /* map mode in depth layers (skc-occlusion) */
  SkcOcclusionParams occ;
  SkcBokehCateye *cateye;      /* uniform with a cat's eye: its family     */
  SkcCateyeParams cateye_params;
  SkcComplex    *rb_complex;   /* uniform with axial CA: red and blue's   */
  SkcPlan       *rb_plan;      /* (plan: green's and alpha's)             */
  SkcComplex    *ch_complex[3];/* uniform, colour kernel: R, G, B's (alpha */
  SkcPlan       *ch_plan[3];   /* as green)                                */
  gfloat         hl_threshold;
  gfloat         hl_gain;
  gint           halo;
} SkcBokehRender;

/* The render for @settings over the input's @bounds (@has_aux: a map on
 * the aux pad; every number within its property's range and finite: the
 * op checks them first, skc_bokeh_params_check), fitted now or found in the fit cache, with @progress
 * called while fitting (a non-zero return cancels).  NULL with @error (a
 * translated message) for bad settings or a failed fit; never a halo over
 * @max_halo. */
SkcBokehRender *skc_bokeh_render_new   (const SkcBokehSettings *settings,
                                        const GeglRectangle    *bounds,
                                        gboolean                has_aux,
                                        gint                    max_halo,
                                        SkcProgressFunc         progress,
                                        gpointer                progress_data,
                                        GError                **error);
SkcBokehRender *skc_bokeh_render_ref   (SkcBokehRender *render);
void            skc_bokeh_render_unref (SkcBokehRender *render);

/* A string that changes whenever the render would, newly allocated. */
gchar          *skc_bokeh_settings_key  (const SkcBokehSettings *settings,
                                         const GeglRectangle    *bounds,
                                         gboolean                has_aux);
/* The halo for @settings, from the settings alone (never a fit), and 0
 * for bad settings (the error pattern needs none). */
gint            skc_bokeh_settings_halo (const SkcBokehSettings *settings);

/* Blur @roi of @output with @render: the input read with clamped borders
 * inside @bounds (the input's, or a region around @roi for an infinite
 * source), the map of the map mode from the render's file or @aux (read
 * as @aux_format).  An error is warned about and the region shows the
 * error pattern. */
void            skc_bokeh_render_apply  (SkcBokehRender       *render,
                                         const gchar          *op_name,
                                         GeglBuffer           *input,
                                         GeglBuffer           *aux,
                                         const Babl           *aux_format,
                                         GeglBuffer           *output,
                                         const Babl           *format,
                                         const GeglRectangle  *bounds,
                                         const GeglRectangle  *roi);

/* @rect grown by @halo on every side (an infinite plane stays as it is). */
GeglRectangle   skc_bokeh_grow          (const GeglRectangle *rect,
                                         gint                 halo);

/* What an effect that cannot render shows instead of a silent copy of
 * its input: opaque magenta and black squares. */
void            skc_bokeh_fill_error_pattern (GeglBuffer          *output,
                                              const GeglRectangle *roi,
                                              const Babl          *format);

G_END_DECLS

#endif
