/* The Sparse Bokeh filter's settings: the argument list, reading it, and
 * turning it into skc:bokeh properties (see sb-params.h).
 *
 * Arguments that a script gives ("kernel", "size", "variation", ...) are
 * PDB arguments; what only the dialog can make (a drawn kernel, a painted
 * mask, the on-canvas switch) is an aux argument, kept in saved settings
 * but not part of the PDB signature.  The drawn kernel and the painted
 * mask are files in the profile (sb-kernel.c, sb-map.c), so saved settings
 * and "Repeat" find them again.
 */
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sb-params.h"
#include "skc-quality.h"

/* The words a script gives for "kernel-source", "quality" and
 * "variation".  They are string arguments checked here, not GimpChoice
 * arguments: in GIMP 3.0.4, Script-Fu sets a choice with
 * g_object_set_property, so an unknown word only printed a GLib CRITICAL
 * in Script-Fu's process and the call ran with the default, reporting
 * success; the plug-in never saw the word.  A string reaches run(), which
 * refuses an unknown word with the accepted ones (sb_params_check_words).
 * The dialog shows each as a combo box (sb-dialog.c); saved settings hold
 * the same words a choice did. */
typedef struct
{
  const gchar *nick;    /* NULL: a quality level's own nick            */
  gint         id;      /* -1 ends a list                              */
  const gchar *label;   /* N_(); NULL: a quality level's own label     */
} SbWord;

static const SbWord source_words[] = {
  { "preset", SB_SOURCE_PRESET, N_("Preset") },
  { "iris",   SB_SOURCE_IRIS,   N_("Iris") },
  { "brush",  SB_SOURCE_BRUSH,  N_("Brush") },
  { "file",   SB_SOURCE_FILE,   N_("Image file") },
  { "drawn",  SB_SOURCE_DRAWN,  N_("Drawn") },
  { NULL, -1, NULL }
};

/* The quality levels of skc-quality.c (nick and label there), then
 * custom. */
G_STATIC_ASSERT (SKC_N_QUALITIES == SB_QUALITY_CUSTOM);
static const SbWord quality_words[] = {
  { NULL, SB_QUALITY_FAST,   NULL },
  { NULL, SB_QUALITY_NORMAL, NULL },
  { NULL, SB_QUALITY_HIGH,   NULL },
  { NULL, SB_QUALITY_BEST,   NULL },
  { "custom", SB_QUALITY_CUSTOM, N_("Custom") },
  { NULL, -1, NULL }
};

static const SbWord variation_words[] = {
  { "uniform",    SB_VARY_UNIFORM,    N_("Uniform") },
  { "map",        SB_VARY_MAP,        N_("Blur map") },
  { "tilt-shift", SB_VARY_TILT_SHIFT, N_("Tilt-shift") },
  { "spin",       SB_VARY_SPIN,       N_("Spin") },
  { "zoom",       SB_VARY_ZOOM,       N_("Zoom") },
  { NULL, -1, NULL }
};

static const SbWord *
words_of (const gchar *argument)
{
  if (g_strcmp0 (argument, "kernel-source") == 0)
    return source_words;
  if (g_strcmp0 (argument, "quality") == 0)
    return quality_words;
  if (g_strcmp0 (argument, "variation") == 0)
    return variation_words;
  return NULL;
}

gint
sb_params_n_words (const gchar *argument)
{
  const SbWord *w = words_of (argument);
  gint          n = 0;

  while (w && w[n].id >= 0)
    n++;
  return n;
}

const gchar *
sb_params_word (const gchar *argument, gint index)
{
  const SbWord *w = words_of (argument);

  if (!w || index < 0 || index >= sb_params_n_words (argument))
    return NULL;
  return w[index].nick ? w[index].nick : skc_quality_levels[w[index].id].nick;
}

gchar *
sb_params_word_label (const gchar *argument, gint index)
{
  const SbWord *w = words_of (argument);

  if (!w || index < 0 || index >= sb_params_n_words (argument))
    return NULL;
  return w[index].label ? g_strdup (_(w[index].label))
                        : skc_quality_label (w[index].id);
}

gint
sb_params_word_id (const gchar *argument, const gchar *word)
{
  const SbWord *w = words_of (argument);
  gint          n = sb_params_n_words (argument);

  for (gint i = 0; word && i < n; i++)
    if (strcmp (word, sb_params_word (argument, i)) == 0)
      return w[i].id;
  return -1;
}

/* The word of @argument in @config; an argument left out of a call can
 * come back as NULL rather than its default once GIMP has the procedure
 * from its pluginrc: the default then. */
static gchar *
get_word (GimpProcedureConfig *config, const gchar *argument)
{
  gchar *word = NULL;

  g_object_get (config, argument, &word, NULL);
  if (!word)
    {
      GParamSpec *ps = g_object_class_find_property (G_OBJECT_GET_CLASS
                                                     (config), argument);

      word = g_strdup (ps ? G_PARAM_SPEC_STRING (ps)->default_value : NULL);
    }
  return word;
}

gint
sb_params_get_word_id (GimpProcedureConfig *config, const gchar *argument)
{
  gchar *word = get_word (config, argument);
  gint   id = sb_params_word_id (argument, word);

  g_free (word);
  return id;
}

gboolean
sb_params_check_words (GimpProcedureConfig *config, GError **error)
{
  static const gchar *const arguments[] = { "kernel-source", "quality",
                                            "variation" };

  for (gsize a = 0; a < G_N_ELEMENTS (arguments); a++)
    {
      gchar   *word = get_word (config, arguments[a]);
      GString *list;

      if (sb_params_word_id (arguments[a], word) >= 0)
        {
          g_free (word);
          continue;
        }
      list = g_string_new (NULL);
      for (gint i = 0; i < sb_params_n_words (arguments[a]); i++)
        g_string_append_printf (list, "%s\"%s\"", i ? ", " : "",
                                sb_params_word (arguments[a], i));
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("Argument '%s' cannot be \"%s\": it takes one of %s."),
                   arguments[a], word ? word : "", list->str);
      g_string_free (list, TRUE);
      g_free (word);
      return FALSE;
    }
  return TRUE;
}

/* A string argument for the words of @name, its accepted words in its
 * help (the procedure browser shows it). */
static void
add_word_argument (GimpProcedure *p, const gchar *name, const gchar *label,
                   const gchar *help, const gchar *value)
{
  GString *blurb = g_string_new (help);

  for (gint i = 0; i < sb_params_n_words (name); i++)
    g_string_append_printf (blurb, "%s%s", i ? ", " : ": ",
                            sb_params_word (name, i));
  gimp_procedure_add_string_argument (p, name, label, blurb->str, value,
                                      G_PARAM_READWRITE);
  g_string_free (blurb, TRUE);
}

/* Mnemonics: the dialog builds the kernel, blur and variation choices
 * from this list and GIMP checks that their letters are unique and clear
 * of its buttons' (s, l, r, c, o, h): k b v u i z t q p y d g x a f m
 * n.
 * The variation geometry and the canvas switch are built by the dialog
 * itself (sb-dialog.c) and may repeat letters of other pages. */
void
sb_params_add_arguments (GimpProcedure *p)
{
  const GParamFlags rw = G_PARAM_READWRITE;

  /* ---- kernel */
  add_word_argument (p, "kernel-source", _("_Kernel from"),
    _("Where the bokeh kernel comes from: the Preset argument (a preset, a "
      "shape or a kernel file), a procedural iris, a GIMP brush, a kernel "
      "image file, or a shape drawn in the dialog"),
    "preset");
  gimp_procedure_add_string_argument (p, "kernel", _("_Preset"),
    _("A kernel preset id (disk, hexagon, iris-6, heart, star, ring, coma, "
      "catseye, or one of yours), a shape name, or the path of a kernel "
      "image (.png, .pfm: gray values are weights) or a fitted .skc file"),
    "hexagon", rw);
  gimp_procedure_add_int_argument (p, "iris-blades", _("_Blades"),
    _("Number of aperture blades of the iris"), 3, 12, 6, rw);
  gimp_procedure_add_double_argument (p, "iris-curvature", _("Cur_vature"),
    _("Blade curvature: 0 straight blades (a polygon) .. 1 a circle"),
    0.0, 1.0, 0.0, rw);
  gimp_procedure_add_brush_argument (p, "brush", _("Br_ush"),
    _("A GIMP brush whose shape (its mask, values as stored) is the kernel"),
    TRUE, NULL, TRUE, rw);
  gimp_procedure_add_file_argument (p, "kernel-file", _("Kernel _image"),
    _("A kernel image (.png or .pfm; gray values are weights) or a fitted "
      ".skc file"),
    GIMP_FILE_CHOOSER_ACTION_OPEN, TRUE, NULL, rw);
  gimp_procedure_add_string_aux_argument (p, "drawn-kernel",
    _("Drawn kernel"),
    _("The kernel drawn in the dialog, kept as a file in the profile"),
    "", rw);

  /* ---- blur */
  gimp_procedure_add_int_argument (p, "size", _("Si_ze"),
    _("Kernel diameter in pixels (the largest one in the varying modes); "
      "0 keeps a kernel image's own size"),
    0, 1000, 25, rw);
  gimp_procedure_add_double_argument (p, "rotation", _("Ro_tation"),
    _("Kernel rotation in degrees, counter-clockwise"),
    -360.0, 360.0, 0.0, rw);
  add_word_argument (p, "quality", _("_Quality"),
    _("How closely the sparse kernel follows the kernel (taps per layer x "
      "layers): more taps cost more time per pixel and show less grain in "
      "bright bokeh; custom takes samples and layers"),
    "normal");
  gimp_procedure_add_int_argument (p, "samples", _("Sam_ples"),
    _("Taps per layer (quality custom)"), 1, SKC_MAX_SAMPLES, 24, rw);
  gimp_procedure_add_int_argument (p, "layers", _("La_yers"),
    _("Layers of taps (quality custom)"), 1, SKC_MAX_LAYERS, 4, rw);
  gimp_procedure_add_double_argument (p, "highlight-threshold",
    _("Highlight threshol_d"),
    _("Linear-light value above which colours are boosted before the "
      "blur, so point lights bloom into the kernel's shape"),
    0.0, 1000.0, 0.9, rw);
  gimp_procedure_add_double_argument (p, "highlight-gain",
    _("Highlight _gain"),
    _("How much highlights above the threshold are boosted; 0 leaves them "
      "as they are"),
    0.0, 1000.0, 0.0, rw);
  gimp_procedure_add_boolean_argument (p, "exact-fallback",
    _("E_xact fallback"),
    _("Blur exactly (FFT: slower, but exact) when the sparse kernel "
      "cannot follow the kernel to 50 dB at this quality (uniform "
      "variation; the varying ones always use the sparse kernel)"),
    TRUE, rw);
  /* Lens realism (issue 15): the op's cateye, cateye-start and chroma
   * (plug-ins/PROPERTIES.md), in the uniform variation. */
  gimp_procedure_add_double_argument (p, "cateye", _("Cat's _eye"),
    _("Optical vignetting across the frame (uniform variation only): "
      "towards the image's edges the bokeh is cut by a second circle, the "
      "cut facing away from the centre; 0 off, 1 cut to a lens shape at "
      "the corners. A shape, preset or kernel image, not a fitted .skc "
      "file"),
    0.0, 1.0, 0.0, rw);
  gimp_procedure_add_double_argument (p, "cateye-start",
    _("Cat's eye start"),
    _("Where the cat's eye begins: a fraction of the distance from the "
      "image's centre to its corners; it grows to its full strength at the "
      "corners"),
    0.0, 1.0, 0.3, rw);
  gimp_procedure_add_double_argument (p, "chroma",
    _("Chromatic aberration"),
    _("Axial chromatic aberration (uniform variation only): above 0 green "
      "is blurred less than red and blue, so bright edges fringe purple; "
      "below 0 red and blue less than green (green fringes); 0 off. The "
      "size stays the largest diameter; costs about twice the time"),
    -1.0, 1.0, 0.0, rw);

  /* ---- variation */
  add_word_argument (p, "variation", _("Blur v_ariation"),
    _("How the blur size varies over the image"), "uniform");
  gimp_procedure_add_drawable_argument (p, "map", _("Depth _map"),
    _("A layer, channel or layer mask of the image whose gray values (as "
      "shown, Y') set the blur size: the distance from the focus value"),
    TRUE, rw);
  gimp_procedure_add_choice_aux_argument (p, "map-source", _("Map _from"),
    _("Use a drawable of the image as the map, or paint one in the dialog"),
    gimp_choice_new_with_values (
      "drawable", SB_MAP_DRAWABLE, _("Drawable"),      NULL,
      "painted",  SB_MAP_PAINTED,  _("Painted mask"),  NULL,
      NULL),
    "drawable", rw);
  gimp_procedure_add_string_aux_argument (p, "painted-mask",
    _("Painted mask"),
    _("The mask painted in the dialog, kept as a file in the profile"),
    "", rw);
  gimp_procedure_add_double_argument (p, "focus", _("Focus _value"),
    _("Map value that stays sharp (0 black, 1 white; click the preview "
      "to take the map's value there)"),
    0.0, 1.0, 0.0, rw);
  gimp_procedure_add_double_argument (p, "range", _("Ra_nge"),
    _("Distance of a map value from the focus value at which the blur "
      "reaches its full size"),
    0.001, 1.0, 1.0, rw);
  gimp_procedure_add_boolean_argument (p, "occlusion", _("Occ_lusion"),
    _("Read the map as depth and blur in layers: a sharp subject does not "
      "bleed into the blurred background, a blurred foreground spreads "
      "over what is behind it (about twice the time)"),
    FALSE, rw);
  gimp_procedure_add_boolean_argument (p, "black-near", _("Black is n_ear"),
    _("With occlusion: darker map values are nearer (a depth map); off, "
      "lighter values are nearer (a disparity map)"),
    FALSE, rw);
  gimp_procedure_add_boolean_argument (p, "map-holes",
    _("Black i_s unknown depth"),
    _("With occlusion: map pixels of value 0 are holes (a stereo map's "
      "unknown depths), filled from the depths around them"),
    FALSE, rw);
  gimp_procedure_add_double_argument (p, "center-x", _("Centre _X"),
    _("Centre of the band or of the spin/zoom, as a fraction of the "
      "drawable's width (click in the preview to pick it)"),
    -1.0, 2.0, 0.5, rw);
  gimp_procedure_add_double_argument (p, "center-y", _("Centre _Y"),
    _("Centre of the band or of the spin/zoom, as a fraction of the "
      "drawable's height"),
    -1.0, 2.0, 0.5, rw);
  gimp_procedure_add_double_argument (p, "angle", _("Band an_gle"),
    _("Direction of the sharp band in degrees, counter-clockwise from "
      "horizontal (drag in the preview to set it)"),
    -360.0, 360.0, 0.0, rw);
  gimp_procedure_add_double_argument (p, "band-width", _("Band _width"),
    _("Width of the sharp band in pixels"), 0.0, SKC_MAX_IMAGE_SIDE, 60.0, rw);
  gimp_procedure_add_double_argument (p, "falloff", _("_Falloff"),
    _("Distance in pixels from the band's edge to the full blur"),
    0.1, SKC_MAX_IMAGE_SIDE, 150.0, rw);
  gimp_procedure_add_double_argument (p, "radius", _("Ra_dius"),
    _("Distance in pixels from the centre at which spin or zoom blur "
      "reaches its full size"),
    0.1, SKC_MAX_IMAGE_SIDE, 300.0, rw);

  /* ---- output */
  gimp_procedure_add_boolean_argument (p, "keep-filter",
    _("Keep as _non-destructive filter"),
    _("Keep the effect editable on the layer instead of merging it (where "
      "GIMP allows it; otherwise it is merged)"),
    FALSE, rw);
  gimp_procedure_add_boolean_aux_argument (p, "show-on-canvas",
    _("Show on _canvas"),
    _("Show the result on the image while the dialog is open"),
    TRUE, rw);
}

void
sb_quality_taps (SbQuality quality, gint *samples, gint *layers)
{
  if ((guint) quality < SKC_N_QUALITIES)
    {
      *samples = skc_quality_levels[quality].samples;
      *layers = skc_quality_levels[quality].layers;
    }
}

static gchar *
file_path (GFile *file)
{
  return file ? g_file_get_path (file) : NULL;
}

void
sb_params_from_config (SbParams *p, GimpProcedureConfig *config)
{
  GFile *kernel_file = NULL;

  memset (p, 0, sizeof *p);
  g_object_get (config,
                "kernel",              &p->kernel,
                "iris-blades",         &p->iris_blades,
                "iris-curvature",      &p->iris_curvature,
                "brush",               &p->brush,
                "kernel-file",         &kernel_file,
                "drawn-kernel",        &p->drawn_kernel,
                "size",                &p->size,
                "rotation",            &p->rotation,
                "samples",             &p->samples,
                "layers",              &p->layers,
                "highlight-threshold", &p->highlight_threshold,
                "highlight-gain",      &p->highlight_gain,
                "exact-fallback",      &p->exact_fallback,
                "cateye",              &p->cateye,
                "cateye-start",        &p->cateye_start,
                "chroma",              &p->chroma,
                "map",                 &p->map,
                "painted-mask",        &p->painted_mask,
                "focus",               &p->focus,
                "range",               &p->range,
                "occlusion",           &p->occlusion,
                "black-near",          &p->black_near,
                "map-holes",           &p->map_holes,
                "center-x",            &p->center_x,
                "center-y",            &p->center_y,
                "angle",               &p->angle,
                "band-width",          &p->band_width,
                "falloff",             &p->falloff,
                "radius",              &p->radius,
                "keep-filter",         &p->keep_filter,
                "show-on-canvas",      &p->show_on_canvas,
                NULL);
  /* unknown words (refused by sb_params_check_words) as the defaults */
  p->source = MAX (0, sb_params_get_word_id (config, "kernel-source"));
  p->quality = sb_params_get_word_id (config, "quality");
  if (p->quality < 0)
    p->quality = SB_QUALITY_NORMAL;
  p->variation = MAX (0, sb_params_get_word_id (config, "variation"));
  p->map_source = gimp_procedure_config_get_choice_id (config, "map-source");
  sb_quality_taps (p->quality, &p->samples, &p->layers);
  p->kernel_file = file_path (kernel_file);
  g_clear_object (&kernel_file);
  if (!p->kernel)
    p->kernel = g_strdup ("");
  if (!p->drawn_kernel)
    p->drawn_kernel = g_strdup ("");
  if (!p->painted_mask)
    p->painted_mask = g_strdup ("");
}

void
sb_params_clear (SbParams *p)
{
  g_clear_pointer (&p->kernel, g_free);
  g_clear_object (&p->brush);
  g_clear_pointer (&p->kernel_file, g_free);
  g_clear_pointer (&p->drawn_kernel, g_free);
  g_clear_object (&p->map);
  g_clear_pointer (&p->painted_mask, g_free);
}

gboolean
sb_params_check (const SbParams *p, GimpImage *image, GError **error)
{
  if (p->size == 0 && p->source == SB_SOURCE_IRIS)
    {
      g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0,
                           _("A procedural iris needs a size above 0 "
                             "(size 0 keeps a kernel image's own size)."));
      return FALSE;
    }
  if (p->variation != SB_VARY_MAP)
    return TRUE;
  if (p->map_source == SB_MAP_PAINTED)
    {
      if (!*p->painted_mask
          || !g_file_test (p->painted_mask, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0,
                               _("The blur map is a painted mask, but no "
                                 "mask has been painted yet: paint one in "
                                 "the dialog, or pass a map drawable."));
          return FALSE;
        }
      return TRUE;
    }
  if (!p->map)
    {
      g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0,
                           _("Variation 'map' needs a map: a layer, "
                             "channel or layer mask of the image."));
      return FALSE;
    }
  if (gimp_item_get_image (GIMP_ITEM (p->map)) != image)
    {
      g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0,
                           _("The blur map must be a layer, channel or "
                             "layer mask of the same image."));
      return FALSE;
    }
  if (gimp_item_is_group (GIMP_ITEM (p->map)))
    {
      g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0,
                           _("A layer group cannot be used as the blur map."));
      return FALSE;
    }
  return TRUE;
}

void
sb_params_request (const SbParams *p, const gchar *kernel,
                   SkcBokehRequest *req)
{
  memset (req, 0, sizeof *req);
  req->kernel = kernel;
  req->size = p->size;
  req->samples = p->samples;
  req->layers = p->layers;
  req->family = p->variation != SB_VARY_UNIFORM;
}

/* An enum property by nick: GEGL's own GEnum in the plug-in's process, a
 * choice (string) on GIMP's filter config, or a plain int. */
static void
set_enum (GObject *target, const gchar *name, const gchar *nick, gint value)
{
  GParamSpec *ps = g_object_class_find_property (G_OBJECT_GET_CLASS (target),
                                                 name);

  if (!ps)
    {
      g_warning ("%s has no property '%s'", G_OBJECT_TYPE_NAME (target), name);
      return;
    }
  if (G_IS_PARAM_SPEC_ENUM (ps))
    {
      GEnumClass *ec = g_type_class_ref (ps->value_type);
      GEnumValue *ev = g_enum_get_value_by_nick (ec, nick);

      g_object_set (target, name, ev ? ev->value : value, NULL);
      g_type_class_unref (ec);
    }
  else if (G_PARAM_SPEC_VALUE_TYPE (ps) == G_TYPE_STRING)
    g_object_set (target, name, nick, NULL);
  else
    g_object_set (target, name, value, NULL);
}

static const gchar *
variation_nick (SbVariation v)
{
  static const gchar *const nicks[] = { "uniform", "map", "tilt-shift",
                                        "spin", "zoom" };

  return (guint) v < G_N_ELEMENTS (nicks) ? nicks[v] : "uniform";
}

/* The kernel as the op's properties: a shape string becomes the shape
 * and its parameters, inline data the stored kernel; "kernel" stays
 * empty, so the effect holds the kernel itself (PROPERTIES.md). */
static void
set_kernel (GObject *target, const gchar *kernel)
{
  SkcShapeParams sp;

  if (skc_bokeh_shape_spec_parse (kernel, &sp, NULL))
    {
      g_object_set (target,
                    "kernel",         "",
                    "kernel-data",    "",
                    "blades",         sp.blades,
                    "curvature",      (gdouble) sp.curvature,
                    "inner",          (gdouble) sp.inner,
                    "strength",       (gdouble) sp.strength,
                    "shape-rotation", (gdouble) sp.rotation_deg,
                    NULL);
      set_enum (target, "shape", skc_shape_name (sp.type), sp.type);
    }
  else if (skc_inline_is_data (kernel))
    {
      g_object_set (target, "kernel", "", "kernel-data", kernel, NULL);
      set_enum (target, "shape", "stored", SKC_SHAPE_COUNT);
    }
  else
    g_object_set (target, "kernel", kernel, NULL);
}

void
sb_op_configure (GObject *target, const SbParams *p, const gchar *kernel,
                 const gchar *map_data)
{
  set_kernel (target, kernel);
  g_object_set (target,
                "size",                p->size,
                "rotation",            p->rotation,
                "samples",             p->samples,
                "layers",              p->layers,
                "focus",               p->focus,
                "range",               p->range,
                "occlusion",           p->occlusion,
                "black-near",          p->black_near,
                "map-holes",           p->map_holes,
                "center-x",            p->center_x,
                "center-y",            p->center_y,
                "angle",               p->angle,
                "width",               p->band_width,
                "falloff",             p->falloff,
                "radius",              p->radius,
                "highlight-threshold", p->highlight_threshold,
                "highlight-gain",      p->highlight_gain,
                "fidelity",            p->exact_fallback
                                       ? SKC_FIDELITY_TARGET_DB : 0.0,
                "cateye",              p->cateye,
                "cateye-start",        p->cateye_start,
                "chroma",              p->chroma,
                "map-file",            "",
                "map-data",            map_data ? map_data : "",
                NULL);
  set_enum (target, "mode", variation_nick (p->variation), p->variation);
}

gchar *
sb_exact_note (const SbParams *p, gdouble psnr)
{
  if (!(psnr < SKC_FIDELITY_TARGET_DB))
    return NULL;
  if (p->variation != SB_VARY_UNIFORM)
    return g_strdup_printf (_("At this quality the sparse kernel reaches "
                              "%.1f dB against the exact blur, under the "
                              "%.0f dB target; the varying modes always use "
                              "the sparse kernel: a higher quality follows "
                              "this kernel more closely."),
                            psnr, SKC_FIDELITY_TARGET_DB);
  /* the lens's effects render through families of their own (the clipped
   * kernels, each channel's size): never the exact path */
  if (p->cateye > 0.0 || p->chroma != 0.0)
    return g_strdup_printf (_("At this quality the sparse kernel reaches "
                              "%.1f dB against the exact blur, under the "
                              "%.0f dB target; the cat's eye and the "
                              "chromatic aberration always use the sparse "
                              "kernel: a higher quality follows this kernel "
                              "more closely."),
                            psnr, SKC_FIDELITY_TARGET_DB);
  if (p->exact_fallback)
    return g_strdup_printf (_("This kernel is blurred exactly (FFT): slower "
                              "but exact.  At this quality the sparse "
                              "kernel reaches only %.1f dB against the "
                              "exact blur, under the %.0f dB target."),
                            psnr, SKC_FIDELITY_TARGET_DB);
  return g_strdup_printf (_("At this quality the sparse kernel reaches only "
                            "%.1f dB against the exact blur, under the "
                            "%.0f dB target: turn on Exact fallback to blur "
                            "this kernel exactly (FFT: slower, but exact), "
                            "or choose a higher quality."),
                          psnr, SKC_FIDELITY_TARGET_DB);
}
