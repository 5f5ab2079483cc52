/* The Sparse Bokeh filter's settings as plain data (sb-params.c).
 *
 * The procedure's arguments are declared once, here
 * (sb_params_add_arguments).  run() reads them once into an SbParams, and
 * everything after works from that struct: validation, the fit request,
 * and the skc:bokeh properties that the in-dialog preview, the on-canvas
 * preview and the final filter all get from the one function
 * sb_op_configure, so the three cannot disagree.
 */
#ifndef SB_PARAMS_H
#define SB_PARAMS_H

#include <libgimp/gimp.h>

#include "skc-bokeh-kernels.h"

G_BEGIN_DECLS

#define SB_PROC   "plug-in-sparse-bokeh"
#define SB_BINARY "sparse-bokeh"
#define SB_OP     "skc:bokeh"       /* the filter, map in map-data     */
#define SB_OP_MAP "skc:bokeh-map"   /* the same with the map on aux    */

typedef enum
{
  SB_SOURCE_PRESET,   /* the kernel argument: preset, shape or file     */
  SB_SOURCE_IRIS,     /* a procedural iris: blades and curvature        */
  SB_SOURCE_BRUSH,    /* a GIMP brush's mask                            */
  SB_SOURCE_FILE,     /* a kernel image chosen as a file                */
  SB_SOURCE_DRAWN     /* drawn in the dialog, kept as a file            */
} SbSource;

typedef enum
{
  SB_QUALITY_FAST,
  SB_QUALITY_NORMAL,
  SB_QUALITY_HIGH,
  SB_QUALITY_BEST,
  SB_QUALITY_CUSTOM
} SbQuality;

/* Same order and nicks as the op's SkcBokehMode. */
typedef enum
{
  SB_VARY_UNIFORM,
  SB_VARY_MAP,
  SB_VARY_TILT_SHIFT,
  SB_VARY_SPIN,
  SB_VARY_ZOOM
} SbVariation;

typedef enum
{
  SB_MAP_DRAWABLE,    /* a layer, channel or layer mask of the image    */
  SB_MAP_PAINTED      /* painted in the dialog, kept as a file          */
} SbMapSource;

typedef struct
{
  SbSource      source;
  gchar        *kernel;          /* SB_SOURCE_PRESET                      */
  gint          iris_blades;
  gdouble       iris_curvature;
  GimpBrush    *brush;           /* owned reference or NULL               */
  gchar        *kernel_file;     /* path or NULL                          */
  gchar        *drawn_kernel;    /* path or "" (aux argument)             */

  gint          size;            /* diameter, px; 0: a file's own size    */
  gdouble       rotation;        /* degrees, counter-clockwise            */
  SbQuality     quality;
  gint          samples;         /* resolved from quality                 */
  gint          layers;
  gdouble       highlight_threshold;
  gdouble       highlight_gain;
  gboolean      exact_fallback;  /* below the fidelity target: exact blur */
  gdouble       cateye;          /* 0..1, 0 off (uniform variation only)  */
  gdouble       cateye_start;    /* fraction of the half-diagonal         */
  gdouble       chroma;          /* -1..1, 0 off (uniform variation only) */

  SbVariation   variation;
  SbMapSource   map_source;
  GimpDrawable *map;             /* owned reference or NULL               */
  gchar        *painted_mask;    /* path or "" (aux argument)             */
  gdouble       focus, range;
  gboolean      occlusion;       /* map: depth layers (skc-occlusion.c)   */
  gboolean      black_near, map_holes;
  gdouble       center_x, center_y;   /* fractions of the drawable        */
  gdouble       angle;           /* degrees                               */
  gdouble       band_width, falloff, radius;   /* px                      */

  gboolean      keep_filter;
  gboolean      show_on_canvas;  /* aux argument                          */
} SbParams;

/* Declare every argument of the procedure (labels, tooltips, ranges,
 * defaults): the single list the PDB, the dialog and saved settings use. */
void     sb_params_add_arguments (GimpProcedure        *procedure);

/* The words of the string arguments "kernel-source", "quality" and
 * "variation" (see sb-params.c for why they are not choices): how many,
 * the @index-th word and its translated label (g_free it), the id
 * (SbSource, SbQuality, SbVariation) of @word or -1 if unknown, and the
 * id of the word in @config (-1 if unknown). */
gint         sb_params_n_words     (const gchar          *argument);
const gchar *sb_params_word        (const gchar          *argument,
                                    gint                  index);
gchar       *sb_params_word_label  (const gchar          *argument,
                                    gint                  index);
gint         sb_params_word_id     (const gchar          *argument,
                                    const gchar          *word);
gint         sb_params_get_word_id (GimpProcedureConfig  *config,
                                    const gchar          *argument);

/* Every word in @config is known, or FALSE with a translated message
 * naming the argument, the word and the accepted words.  run() calls it
 * first: a script's typo fails the call and leaves the image as it was. */
gboolean sb_params_check_words   (GimpProcedureConfig  *config,
                                  GError              **error);

void     sb_params_from_config   (SbParams             *params,
                                  GimpProcedureConfig  *config);
void     sb_params_clear         (SbParams             *params);

/* Samples and layers of a quality level (custom: the arguments). */
void     sb_quality_taps         (SbQuality             quality,
                                  gint                 *samples,
                                  gint                 *layers);

/* Checks that need the image: the map belongs to it, a painted mask
 * exists, sizes make sense for the source.  A translated message. */
gboolean sb_params_check         (const SbParams       *params,
                                  GimpImage            *image,
                                  GError              **error);

/* The fit the op will ask for with @kernel (the resolved kernel name). */
void     sb_params_request       (const SbParams       *params,
                                  const gchar          *kernel,
                                  SkcBokehRequest      *request);

/* Set every skc:bokeh property from @params on @target: a GeglOperation
 * (the in-dialog preview) or a GimpDrawableFilterConfig (the canvas
 * preview and the final filter).  @kernel: from sb_kernel_resolve (a
 * shape string or inline data, set as the op's shape or stored kernel);
 * @map_data: the blur map as inline data for the map variation
 * (sb_map_data), or NULL.  The one place settings become op properties. */
void     sb_op_configure         (GObject              *target,
                                  const SbParams       *params,
                                  const gchar          *kernel,
                                  const gchar          *map_data);

/* What the user should know when the sparse kernel reaches only @psnr dB
 * on the fidelity check (skc_bokeh_fit_fidelity) at @params' quality,
 * under the op's target (SKC_FIDELITY_TARGET_DB): the kernel is blurred
 * exactly (uniform, exact-fallback on), or could be (off), or the varying
 * modes keep the sparse kernel.  Translated, g_free it; NULL when the
 * check passes. */
gchar   *sb_exact_note           (const SbParams       *params,
                                  gdouble               psnr);

G_END_DECLS

#endif
