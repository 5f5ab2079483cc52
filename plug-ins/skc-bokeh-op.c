/* skc:bokeh: lens blur with any kernel shape, through sparse kernel
 * complexes (libskc).
 *
 * The kernel (a shape, a kernel image or a fitted .skc file) is fitted once
 * per setting by the core into a few layers of sparse bilinear taps; the
 * blur then costs layers x samples taps per pixel whatever the kernel's
 * size.  Fits live in a process-wide cache (skc-bokeh-kernels.c), so tiles,
 * threads and other instances of the op share them, and turning the kernel
 * is analytic (skc_family_eval rotates the offsets) and never refits.
 *
 * Modes: uniform (one complex, skc_plan + skc_apply_rgba), or a blur size
 * that varies over the image, from a gray map, a tilt-shift band, or a
 * spin/zoom centre (a size family, skc_vary_field +
 * skc_apply_varying_rgba).
 *
 * Two operations are built from this file (skc-bokeh-map-op.c compiles it
 * again with SKC_BOKEH_MAP_OP defined), one module registering both:
 *  - skc:bokeh, a plain filter: the map comes from a file (map-file,
 *    skc-bokeh-mapfile.c), pixel (0, 0) at the input's origin.  GIMP 3.0.4
 *    keeps only operations without an aux pad as live, non-destructive
 *    filters, so this is the one GIMP shows on the canvas and keeps.
 *  - skc:bokeh-map, a composer with the map on its aux pad (map-file is
 *    used when nothing is connected there), for GEGL graphs and for GIMP
 *    filters merged with a map drawable.
 *
 * With occlusion (map mode), the map is read as depth and the image blurred
 * in depth layers composited far to near (skc_occlusion_apply_rgba): a
 * sharp subject does not bleed into the blurred background, a blurred
 * foreground spreads over what is behind it.  It needs two or three
 * times the halo of input (the hidden parts and holes are filled).
 *
 * Highlights are boosted in linear light before the blur
 * (skc_highlights_rgba) so that point lights bloom into the kernel's
 * shape.
 *
 * Working format: "RaGaBaA float" (linear, premultiplied) in the input's
 * space; the map is read as "Y' float", so a gray painted at 50 % is 0.5
 * (a map file's stored values are taken as such).
 * Borders clamp, as GEGL_ABYSS_CLAMP does.
 *
 * prepare() records the settings (kernel files by path, mtime and size)
 * and the halo they need, which comes from the settings alone
 * (skc_bokeh_halo: every fit keeps its reach within a bound of the size),
 * so GEGL's questions about regions (get_required_for_output,
 * get_invalidated_by_change), which GIMP asks on its main thread, never
 * wait for a fit.  The kernel is resolved and fitted, or found in the
 * cache, the first time pixels are asked for, where GEGL processes
 * (operation_process); the fit reports progress through
 * gegl_operation_progress and is cancelled when the settings change
 * meanwhile.  process() only reads that immutable, reference-counted
 * render.  Graphs that are put together one property at a time (the gegl
 * command, GIMP) thus fit only what they draw.  One fit per kernel,
 * samples and layers serves every size, rotation and mode (issue 12), so
 * dragging the size or rotation only evaluates the fitted family.
 *
 * Threads: GEGL splits each requested rectangle over its worker threads
 * (the class is marked threaded) and calls process() on each part, so the
 * core is called with n_threads = 1: two levels of threads would only
 * oversubscribe the cores, and GEGL's own thread count (GIMP's
 * preference) is respected.  The result does not depend on the split.
 *
 * The kernel is a shape with its parameters (shape, blades, ...), or a
 * kernel stored in the properties themselves (shape "stored",
 * kernel-data: inline data), and the map of the map mode may be stored
 * too (map-data): a kept effect needs no file, so it renders the same
 * after the plug-in's files are gone, on a fresh fit cache, on another
 * machine.  The kernel and map-file strings (names and paths, for
 * scripts, the gegl command and effects kept by older versions) are used
 * instead when set.  Encodings: plug-ins/PROPERTIES.md.
 *
 * Bad settings (an unknown kernel name, a missing or unreadable file, size
 * 0 with a shape, a NaN, map mode without a map, damaged inline data)
 * print one g_warning per distinct problem when the op renders, and the
 * output is a pattern of magenta and black squares: never a silent copy
 * of the input, which would pass for a lost effect.  A number out of its
 * property's range or a NaN is one of them: GObject hands the op's int
 * and double properties on, clamped one step beyond their limits
 * (skc-bokeh-params.c), where it would refuse them with a GLib warning
 * and keep the default, and skc_bokeh_params_check names each with the
 * values it takes, before the settings go to the render.
 *
 * Files: this one declares the properties, reads them into a plain
 * SkcBokehSettings (settings_read), keeps the per-instance state (the
 * settings recorded, the render built once on demand) and the GEGL class;
 * skc-bokeh-render.c makes the render from the settings, skc-bokeh-apply.c
 * applies it to one region.
 *
 * No menu entry: GIMP's generic dialog for the op would be a second
 * "Sparse Bokeh..." beside the plug-in (which is the one to use); GIMP
 * still opens that dialog to edit a kept effect, where the properties'
 * ranges, units and visibility make it usable.
 */
#include <glib/gi18n-lib.h>

#include "skc.h"

#ifdef GEGL_PROPERTIES

#define SKC_BOKEH_MODE_VALUES \
  enum_value (SKC_BOKEH_MODE_UNIFORM,    "uniform",    N_("Uniform"))     \
  enum_value (SKC_BOKEH_MODE_MAP,        "map",        N_("Blur map"))    \
  enum_value (SKC_BOKEH_MODE_TILT_SHIFT, "tilt-shift", N_("Tilt-shift"))  \
  enum_value (SKC_BOKEH_MODE_SPIN,       "spin",       N_("Spin"))        \
  enum_value (SKC_BOKEH_MODE_ZOOM,       "zoom",       N_("Zoom"))
#ifdef SKC_BOKEH_MAP_OP
enum_start (skc_bokeh_map_mode)
  SKC_BOKEH_MODE_VALUES
enum_end (SkcBokehMapMode)
#else
enum_start (skc_bokeh_mode)
  SKC_BOKEH_MODE_VALUES
enum_end (SkcBokehMode)
#endif
#undef SKC_BOKEH_MODE_VALUES

/* The kernel: a shape with its parameters, or a kernel stored in the
 * effect itself (kernel-data, inline data written by the plug-in), so a
 * kept effect renders without any file (plug-ins/PROPERTIES.md).  The
 * kernel string, when set, is used instead: a preset id, a shape name, a
 * file (scripts, the gegl command, effects kept by older versions). */
#define SKC_BOKEH_SHAPE_VALUES \
  enum_value (SKC_BOKEH_SHAPE_DISK,     "disk",     N_("Disk"))            \
  enum_value (SKC_BOKEH_SHAPE_POLYGON,  "polygon",  N_("Iris (polygon)"))  \
  enum_value (SKC_BOKEH_SHAPE_RING,     "ring",     N_("Ring"))            \
  enum_value (SKC_BOKEH_SHAPE_STAR,     "star",     N_("Star"))            \
  enum_value (SKC_BOKEH_SHAPE_HEART,    "heart",    N_("Heart"))           \
  enum_value (SKC_BOKEH_SHAPE_GAUSSIAN, "gaussian", N_("Gaussian"))        \
  enum_value (SKC_BOKEH_SHAPE_COMA,     "coma",     N_("Coma"))            \
  enum_value (SKC_BOKEH_SHAPE_CATSEYE,  "catseye",  N_("Cat's eye"))       \
  enum_value (SKC_BOKEH_SHAPE_STORED,   "stored",                          \
              N_("Stored kernel (drawn, brush or image)"))
#ifdef SKC_BOKEH_MAP_OP
enum_start (skc_bokeh_map_shape)
  SKC_BOKEH_SHAPE_VALUES
enum_end (SkcBokehMapShape)
property_enum (shape, _("Shape"), SkcBokehMapShape, skc_bokeh_map_shape,
               SKC_BOKEH_SHAPE_POLYGON)
#else
enum_start (skc_bokeh_shape)
  SKC_BOKEH_SHAPE_VALUES
enum_end (SkcBokehShape)
property_enum (shape, _("Shape"), SkcBokehShape, skc_bokeh_shape,
               SKC_BOKEH_SHAPE_POLYGON)
#endif
#undef SKC_BOKEH_SHAPE_VALUES
    description (_("The kernel's shape; a drawn, brush or image kernel is "
                   "stored in the effect"))

property_int (blades, _("Blades"), 6)
    description (_("Aperture blades of the iris, points of the star"))
    value_range (3, 12)
    ui_meta     ("visible", "shape {polygon, star}")

property_double (curvature, _("Blade curvature"), 0.0)
    description (_("0 straight blades (a polygon) .. 1 a circle"))
    value_range (0.0, 1.0)
    ui_meta     ("visible", "shape {polygon}")

property_double (inner, _("Inner radius"), 0.7)
    description (_("Inner radius of the ring, or of the star's points, as "
                   "a fraction of the outer one"))
    value_range (0.0, 1.0)
    ui_meta     ("visible", "shape {ring, star}")

property_double (strength, _("Strength"), 0.6)
    description (_("Asymmetry of the coma, vignetting of the cat's eye"))
    value_range (0.0, 1.0)
    ui_meta     ("visible", "shape {coma, catseye}")

property_double (shape_rotation, _("Shape rotation"), 0.0)
    description (_("Rotation drawn into the shape itself (a preset's); the "
                   "Rotation setting turns it further"))
    value_range (-360.0, 360.0)
    ui_meta     ("unit", "degree")
    ui_meta     ("visible", "0")

property_string (kernel_data, _("Stored kernel"), "")
    description (_("The stored kernel as inline data (data:image/png;skc=1;"
                   "base64,... or data:text/x-skc;skc=1;base64,...), used "
                   "by the shape 'stored'"))
    ui_meta     ("visible", "0")

property_string (kernel, _("Kernel file or name"), "")
    description (_("When set, used instead of the shape: a preset id "
                   "(hexagon, iris-6, heart, ...), a shape name, a kernel "
                   "image (.png or .pfm; gray values are weights), a fitted "
                   ".skc file or inline data"))

property_int (size, _("Size"), 25)
    description (_("Kernel diameter in pixels (the largest diameter in the "
                   "varying modes); 0 keeps a kernel image's or .skc file's "
                   "own size"))
    value_range (0, 1000)
    ui_range    (0, 151)
    ui_meta     ("unit", "pixel-distance")

property_double (rotation, _("Rotation"), 0.0)
    description (_("Kernel rotation, counter-clockwise"))
    value_range (-360.0, 360.0)
    ui_range    (-180.0, 180.0)
    ui_meta     ("unit", "degree")
    ui_meta     ("direction", "ccw")

property_int (samples, _("Samples"), 24)
    description (_("Taps per layer of the sparse kernel: more follow the "
                   "kernel more closely and cost more time"))
    value_range (1, SKC_MAX_SAMPLES)
    ui_range    (4, 64)

property_int (layers, _("Layers"), 4)
    description (_("Layers of the sparse kernel, applied one after the other"))
    value_range (1, SKC_MAX_LAYERS)
    ui_range    (1, 8)

#ifdef SKC_BOKEH_MAP_OP
property_enum (mode, _("Variation"), SkcBokehMapMode, skc_bokeh_map_mode,
               SKC_BOKEH_MODE_UNIFORM)
#else
property_enum (mode, _("Variation"), SkcBokehMode, skc_bokeh_mode,
               SKC_BOKEH_MODE_UNIFORM)
#endif
    description (_("How the blur size varies over the image: not at all, "
                   "from a gray map (the map file, or skc:bokeh-map's aux "
                   "input), away from a sharp band, or around a centre"))

property_double (focus, _("Focus"), 0.0)
    description (_("Map value that stays sharp (0 black, 1 white)"))
    value_range (0.0, 1.0)
    ui_meta     ("visible", "mode {map}")

property_double (range, _("Range"), 1.0)
    description (_("Distance of a map value from the focus at which the "
                   "blur reaches its full size"))
    value_range (0.001, 1.0)
    ui_meta     ("visible", "mode {map}")

property_string (map_file, _("Map file"), "")
    description (_("Gray PNG or PFM file holding the blur map of the map "
                   "mode, its stored values taken as 0 (black) .. 1 "
                   "(white); its pixel (0, 0) lies at the input's origin, "
                   "and its edges repeat beyond it.  When set, used instead "
                   "of the stored map"))
    ui_meta     ("visible", "mode {map}")

property_string (map_data, _("Stored map"), "")
    description (_("The blur map stored in the effect as inline data "
                   "(data:image/png;skc=1;size=W,H;base64,...): a gray grid "
                   "stretched over W x H pixels from the input's origin"))
    ui_meta     ("visible", "0")

property_boolean (occlusion, _("Occlusion"), FALSE)
    description (_("Read the map as depth and blur it in layers: a sharp "
                   "subject does not bleed into the blurred background "
                   "behind it, and a blurred foreground spreads over what "
                   "lies behind it (map mode; about twice the time)"))
    ui_meta     ("visible", "mode {map}")

property_boolean (black_near, _("Black is near"), FALSE)
    description (_("With occlusion: darker map values are nearer (a depth "
                   "map); off, lighter values are nearer (a disparity map, "
                   "most depth estimators)"))
    ui_meta     ("visible", "mode {map}")

property_boolean (map_holes, _("Black is unknown depth"), FALSE)
    description (_("With occlusion: map pixels of value 0 are holes (a "
                   "stereo map's unknown depths), filled from the depths "
                   "around them"))
    ui_meta     ("visible", "mode {map}")

property_double (center_x, _("Center X"), 0.5)
    description (_("Horizontal centre of the band or of the spin/zoom, as a "
                   "fraction of the image width"))
    value_range (-1.0, 2.0)
    ui_range    (0.0, 1.0)
    ui_meta     ("unit", "relative-coordinate")
    ui_meta     ("axis", "x")
    ui_meta     ("visible", "mode {tilt-shift, spin, zoom}")

property_double (center_y, _("Center Y"), 0.5)
    description (_("Vertical centre of the band or of the spin/zoom, as a "
                   "fraction of the image height"))
    value_range (-1.0, 2.0)
    ui_range    (0.0, 1.0)
    ui_meta     ("unit", "relative-coordinate")
    ui_meta     ("axis", "y")
    ui_meta     ("visible", "mode {tilt-shift, spin, zoom}")

property_double (angle, _("Band angle"), 0.0)
    description (_("Direction of the sharp band, counter-clockwise from "
                   "horizontal"))
    value_range (-360.0, 360.0)
    ui_range    (-180.0, 180.0)
    ui_meta     ("unit", "degree")
    ui_meta     ("direction", "ccw")
    ui_meta     ("visible", "mode {tilt-shift}")

property_double (width, _("Band width"), 60.0)
    description (_("Width of the sharp band in pixels"))
    value_range (0.0, SKC_MAX_IMAGE_SIDE)
    ui_range    (0.0, 1000.0)
    ui_meta     ("unit", "pixel-distance")
    ui_meta     ("visible", "mode {tilt-shift}")

property_double (falloff, _("Falloff"), 150.0)
    description (_("Distance in pixels from the band's edge to full blur"))
    value_range (0.1, SKC_MAX_IMAGE_SIDE)
    ui_range    (1.0, 1000.0)
    ui_meta     ("unit", "pixel-distance")
    ui_meta     ("visible", "mode {tilt-shift}")

property_double (radius, _("Radius"), 300.0)
    description (_("Distance in pixels from the centre at which the blur "
                   "reaches its full size"))
    value_range (0.1, SKC_MAX_IMAGE_SIDE)
    ui_range    (1.0, 2000.0)
    ui_meta     ("unit", "pixel-distance")
    ui_meta     ("visible", "mode {spin, zoom}")

property_double (highlight_threshold, _("Highlight threshold"), 0.9)
    description (_("Linear-light value above which colours are boosted "
                   "before the blur"))
    value_range (0.0, 1000.0)
    ui_range    (0.0, 1.0)

property_double (highlight_gain, _("Highlight gain"), 0.0)
    description (_("How much highlights above the threshold are boosted; "
                   "0 leaves them as they are.  Boosted highlights are "
                   "blurred exactly, so point lights keep the kernel's "
                   "shape"))
    value_range (0.0, 1000.0)
    ui_range    (0.0, 20.0)

property_double (fidelity, _("Fidelity target"), SKC_FIDELITY_TARGET_DB)
    description (_("PSNR in dB (linear light, against the exact blur of a "
                   "test photo) the sparse kernel must reach; a kernel that "
                   "falls short is blurred exactly (FFT), which is slower; "
                   "0 always uses the sparse kernel (uniform mode only)"))
    value_range (0.0, 200.0)
    ui_range    (0.0, 80.0)

property_double (cateye, _("Cat's eye"), 0.0)
    description (_("Optical vignetting across the frame (uniform "
                   "variation): towards the edges the bokeh is cut by a "
                   "second circle, the cut facing away from the centre; 0 "
                   "off, 1 cut to a lens at the corners"))
    value_range (0.0, 1.0)
    ui_meta     ("visible", "mode {uniform}")

property_double (chroma, _("Chromatic aberration"), 0.0)
    description (_("Axial chromatic aberration (uniform variation): above "
                   "0 green is blurred less than red and blue (purple "
                   "rims), below 0 red and blue less than green (green "
                   "rims); the size stays the largest diameter"))
    value_range (-1.0, 1.0)
    ui_meta     ("visible", "mode {uniform}")

property_double (cateye_start, _("Cat's eye start"), 0.3)
    description (_("Distance from the frame's centre at which the cat's "
                   "eye begins, a fraction of the half-diagonal"))
    value_range (0.0, 1.0)
    ui_meta     ("visible", "mode {uniform}")

property_boolean (kernel_colour, _("Colour kernel"), FALSE)
    description (_("A kernel image with colour (an RGB .png or .pfm file "
                   "named by kernel) blurs each of red, green and blue with "
                   "its own channel of the image as the kernel, each scaled "
                   "to unit sum (uniform variation, without the cat's eye "
                   "and chromatic aberration); off, the image's gray is the "
                   "kernel of every channel"))
    ui_meta     ("visible", "mode {uniform}")

#else

/* Both operations live in one module, which registers them (below).
 * Each registers its own mode enum type (a GType name is taken once),
 * with the same values. */
#define GEGL_OP_BUNDLE
#ifdef SKC_BOKEH_MAP_OP
#define GEGL_OP_COMPOSER
#define GEGL_OP_NAME     skc_bokeh_map
#define SKC_BOKEH_OP     "skc:bokeh-map"
#else
#define GEGL_OP_FILTER
#define GEGL_OP_NAME     skc_bokeh
#define SKC_BOKEH_OP     "skc:bokeh"
#endif
#define GEGL_OP_C_SOURCE skc-bokeh-op.c

#include "gegl-op.h"

#include <math.h>
#include <string.h>

#include "skc-bokeh-data.h"
#include "skc-bokeh-params.h"
#include "skc-bokeh-render.h"

/* Translations and presets.  The op runs inside GEGL or GIMP, which bind
 * only their own gettext domains, so it binds "sparse-bokeh" to the
 * catalogues installed beside the module itself (skc-bokeh-data.c), once.
 * This has to happen before GEGL initialises the class, because gegl-op.h
 * translates the property labels, descriptions and enum names right then:
 * a constructor runs when GEGL loads the module.  class_init calls it too,
 * for compilers without constructors. */
#if defined (__GNUC__)
static void skc_bokeh_data_init_at_load (void) __attribute__ ((constructor));

static void
skc_bokeh_data_init_at_load (void)
{
  skc_bokeh_data_init ();
}
#endif

/* Per-instance state in o->user_data.  prepare() records the settings;
 * the render is built from them the first time rendering needs it (the
 * halo, or pixels), so that a graph being put together one property at a
 * time, as the gegl command and GIMP do, fits nothing it will not draw. */
typedef struct
{
  GMutex         lock;
  GCond          cond;      /* a render was built (or given up)           */
  gchar         *key;       /* the settings recorded by prepare()         */
  guint          generation;/* bumped with every new key                  */
  GeglRectangle  bounds;    /* the input's bounding box then              */
  gboolean       has_aux;   /* whether something was on the aux pad       */
  gint           halo;      /* from the settings (skc_bokeh_halo)         */
  gboolean       uses_map;  /* map mode: the aux pad is read              */
  gboolean       building;  /* a thread builds the render for generation  */
  gboolean       built;     /* render and error are for key               */
  SkcBokehRender *render;   /* NULL: the settings are bad; error pattern  */
  gchar         *error;     /* why render is NULL                         */
  gchar         *warned;    /* the last problem reported                  */
} State;

static State *
state_get (GeglOperation *operation)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);
  State          *s = g_atomic_pointer_get (&o->user_data);

  /* Normally made by the first prepare(); installed atomically anyway, in
   * case some other entry point comes first from two threads. */
  if (!s)
    {
      s = g_new0 (State, 1);
      g_mutex_init (&s->lock);
      g_cond_init (&s->cond);
      if (!g_atomic_pointer_compare_and_exchange (&o->user_data, NULL, s))
        {
          g_mutex_clear (&s->lock);
          g_cond_clear (&s->cond);
          g_free (s);
          s = g_atomic_pointer_get (&o->user_data);
        }
    }
  return s;
}

static SkcVaryMode
vary_mode (gint mode)
{
  switch (mode)
    {
    case SKC_BOKEH_MODE_MAP:
      return SKC_VARY_MAP;
    case SKC_BOKEH_MODE_TILT_SHIFT:
      return SKC_VARY_TILT_SHIFT;
    case SKC_BOKEH_MODE_SPIN:
      return SKC_VARY_SPIN;
    case SKC_BOKEH_MODE_ZOOM:
      return SKC_VARY_ZOOM;
    case SKC_BOKEH_MODE_UNIFORM:
    default:
      return SKC_VARY_UNIFORM;
    }
}

/* The properties as the render reads them (skc-bokeh-render.h), read
 * once per build or key; the strings stay the properties'. */
static void
settings_read (GeglOperation *operation, SkcBokehSettings *set)
{
  GeglProperties *o = GEGL_PROPERTIES (operation);

  G_STATIC_ASSERT ((gint) SKC_BOKEH_SHAPE_CATSEYE == (gint) SKC_SHAPE_CATSEYE);
  *set = (SkcBokehSettings) {
    .op_name = SKC_BOKEH_OP,
#ifdef SKC_BOKEH_MAP_OP
    .aux_map = TRUE,
#endif
    .shape = (SkcShapeType) o->shape,
    .shape_stored = o->shape == SKC_BOKEH_SHAPE_STORED,
    .blades = o->blades,
    .curvature = o->curvature,
    .inner = o->inner,
    .strength = o->strength,
    .shape_rotation_deg = o->shape_rotation,
    .kernel_data = o->kernel_data,
    .kernel = o->kernel,
    .size = o->size,
    .rotation_deg = o->rotation,
    .samples = o->samples,
    .layers = o->layers,
    .mode = vary_mode (o->mode),
    .focus = o->focus,
    .range = o->range,
    .map_file = o->map_file,
    .map_data = o->map_data,
    .occlusion = o->occlusion,
    .black_near = o->black_near,
    .map_holes = o->map_holes,
    .center_x = o->center_x,
    .center_y = o->center_y,
    .angle_deg = o->angle,
    .width = o->width,
    .falloff = o->falloff,
    .radius = o->radius,
    .highlight_threshold = o->highlight_threshold,
    .highlight_gain = o->highlight_gain,
    .fidelity = o->fidelity,
    .cateye = o->cateye,
    .cateye_start = o->cateye_start,
    .chroma = o->chroma,
    .kernel_colour = o->kernel_colour,
  };
}

/* A fit's progress: shown where GIMP shows a filter's progress (GEGL
 * 0.4.62 emits a node's progress on its main thread only); the fit stops
 * at its next report (every 25 steps, milliseconds) once new settings
 * are prepared: the render it is for is no longer wanted.  Setting a
 * property on a node prepares it at once (GEGL asks the new bounding box
 * to invalidate it), on whatever thread sets it, so this is what stops a
 * fit under way.  GEGL has no cancel for a running process() otherwise
 * (gegl_operation_progress only reports; GeglProcessor and GIMP stop
 * between chunks), and an op cannot be finalized while it processes. */
typedef struct
{
  GeglOperation *operation;
  State         *state;
  guint          generation;
} FitProgress;

static int
fit_progress (double fraction, double loss, void *data)
{
  FitProgress *p = data;
  guint        now;

  g_mutex_lock (&p->state->lock);
  now = p->state->generation;
  g_mutex_unlock (&p->state->lock);
  gegl_operation_progress (p->operation, fraction,
                           _("Fitting the bokeh kernel"));
  return now != p->generation;
}

/* A new reference to the render for the settings prepare() recorded,
 * built now if it is not yet, or NULL for bad settings.  With @report, a
 * problem not reported yet is printed: bad settings are reported when the
 * op renders, not while a graph is still being built (the gegl command
 * prepares the op before it connects the aux input).  Called only where
 * GEGL processes.  The first caller builds (fits) without holding the
 * instance lock, so prepare() on another thread never waits for a fit;
 * other threads of this instance wait for the render instead of fitting
 * it again.  A render whose settings changed meanwhile is dropped. */
static SkcBokehRender *
state_render (GeglOperation *operation, gboolean report)
{
  State          *s = state_get (operation);
  SkcBokehRender *r;

  g_mutex_lock (&s->lock);
  while (!s->built && s->key)
    {
      FitProgress      progress = { operation, s, s->generation };
      GeglRectangle    bounds = s->bounds;
      gboolean         has_aux = s->has_aux;
      gint             halo = s->halo;
      GError          *error = NULL;
      SkcBokehSettings set;
      SkcBokehRender  *built;

      if (s->building)
        {
          g_cond_wait (&s->cond, &s->lock);
          continue;
        }
      s->building = TRUE;
      g_mutex_unlock (&s->lock);
      settings_read (operation, &set);
      built = skc_bokeh_params_check (G_OBJECT (operation), &error)
              ? skc_bokeh_render_new (&set, &bounds, has_aux, halo,
                                      fit_progress, &progress, &error)
              : NULL;
      g_mutex_lock (&s->lock);
      s->building = FALSE;
      if (s->generation == progress.generation)
        {
          s->render = built;
          s->error = error ? g_strdup (error->message) : NULL;
          if (!error)
            g_clear_pointer (&s->warned, g_free);
          s->built = TRUE;
        }
      else
        skc_bokeh_render_unref (built);   /* for settings that are gone */
      g_clear_error (&error);
      g_cond_broadcast (&s->cond);
    }
  r = skc_bokeh_render_ref (s->render);
  if (!r && report && s->error && g_strcmp0 (s->error, s->warned) != 0)
    {
      g_warning (SKC_BOKEH_OP ": %s; the result shows an error pattern "
                 "(magenta and black squares)", s->error);
      g_free (s->warned);
      s->warned = g_strdup (s->error);
    }
  g_mutex_unlock (&s->lock);
  return r;
}

/* The halo for the recorded settings, and whether the map is read: from
 * the settings alone, never from a fit (GIMP asks on its main thread). */
static gint
state_halo (GeglOperation *operation, gboolean *uses_map)
{
  State *s = state_get (operation);
  gint   halo;

  g_mutex_lock (&s->lock);
  halo = s->halo;
  if (uses_map)
    *uses_map = s->uses_map;
  g_mutex_unlock (&s->lock);
  return halo;
}

/* Record the settings; a change drops the render (rebuilt on demand). */
static void
state_update (GeglOperation *operation)
{
  State           *s = state_get (operation);
  GeglRectangle    bounds = { 0, 0, 0, 0 };
  GeglRectangle   *in = gegl_operation_source_get_bounding_box (operation, "input");
  gboolean         has_aux = FALSE;
  SkcBokehSettings set;
  SkcBokehRender  *old = NULL;
  GError          *error = NULL;
  gboolean         numbers_ok;
  gchar           *key;

  if (in)
    bounds = *in;
#ifdef SKC_BOKEH_MAP_OP
  has_aux = gegl_operation_source_get_bounding_box (operation, "aux") != NULL;
#endif
  settings_read (operation, &set);
  /* bad numbers first: the kernel is not looked at with them */
  numbers_ok = skc_bokeh_params_check (G_OBJECT (operation), &error);
  key = numbers_ok ? skc_bokeh_settings_key (&set, &bounds, has_aux)
        : g_strdup_printf ("error:%s", error->message);
  g_clear_error (&error);

  g_mutex_lock (&s->lock);
  if (g_strcmp0 (s->key, key) != 0)
    {
      s->halo = numbers_ok ? skc_bokeh_settings_halo (&set) : 0;
      s->uses_map = set.mode == SKC_VARY_MAP;
      g_free (s->key);
      s->key = g_steal_pointer (&key);
      s->generation++;
      s->bounds = bounds;
      s->has_aux = has_aux;
      s->built = FALSE;
      old = g_steal_pointer (&s->render);
      g_clear_pointer (&s->error, g_free);
    }
  g_mutex_unlock (&s->lock);

  skc_bokeh_render_unref (old);
  g_free (key);
}

static void
prepare (GeglOperation *operation)
{
  const Babl *space = gegl_operation_get_source_space (operation, "input");
  const Babl *rgba = babl_format_with_space ("RaGaBaA float", space);

  gegl_operation_set_format (operation, "input", rgba);
#ifdef SKC_BOKEH_MAP_OP
  gegl_operation_set_format (operation, "aux",
                             babl_format_with_space ("Y' float", space));
#endif
  gegl_operation_set_format (operation, "output", rgba);
  state_update (operation);
}

static GeglRectangle
get_bounding_box (GeglOperation *operation)
{
  GeglRectangle *in = gegl_operation_source_get_bounding_box (operation, "input");

  return in ? *in : (GeglRectangle) { 0, 0, 0, 0 };
}

static GeglRectangle
get_required_for_output (GeglOperation       *operation,
                         const gchar         *input_pad,
                         const GeglRectangle *roi)
{
  gboolean uses_map;
  gint     halo = state_halo (operation, &uses_map);

  if (strcmp (input_pad, "aux") == 0 && !uses_map)
    return (GeglRectangle) { 0, 0, 0, 0 };
  return skc_bokeh_grow (roi, halo);
}

static GeglRectangle
get_invalidated_by_change (GeglOperation       *operation,
                           const gchar         *input_pad,
                           const GeglRectangle *input_region)
{
  return skc_bokeh_grow (input_region, state_halo (operation, NULL));
}

/* The filter's and the composer's process (aux NULL for the filter). */
static gboolean
process_common (GeglOperation       *operation,
                GeglBuffer          *input,
                GeglBuffer          *aux,
                GeglBuffer          *output,
                const GeglRectangle *result)
{
  const Babl     *format = gegl_operation_get_format (operation, "output");
  SkcBokehRender *r = state_render (operation, TRUE);
  GeglRectangle  *in_box = gegl_operation_source_get_bounding_box (operation, "input");
  GeglRectangle   bounds, roi;

  if (!r)
    {
      skc_bokeh_fill_error_pattern (output, result, format);
      return TRUE;
    }
  if (!in_box)
    {
      gegl_buffer_copy (input, result, GEGL_ABYSS_NONE, output, result);
      skc_bokeh_render_unref (r);
      return TRUE;
    }
  /* An infinite source (a color fill) has no edges to clamp at. */
  bounds = gegl_rectangle_is_infinite_plane (in_box)
           ? skc_bokeh_grow (result, r->halo) : *in_box;
  if (!gegl_rectangle_intersect (&roi, result, &bounds))
    {
      skc_bokeh_render_unref (r);
      return TRUE;
    }
  skc_bokeh_render_apply (r, SKC_BOKEH_OP, input, aux,
                          aux ? gegl_operation_get_format (operation, "aux")
                          : NULL,
                          output, format, &bounds, &roi);
  skc_bokeh_render_unref (r);
  return TRUE;
}

#ifdef SKC_BOKEH_MAP_OP
static gboolean
process (GeglOperation       *operation,
         GeglBuffer          *input,
         GeglBuffer          *aux,
         GeglBuffer          *output,
         const GeglRectangle *result,
         gint                 level)
{
  return process_common (operation, input, aux, output, result);
}
#else
static gboolean
process (GeglOperation       *operation,
         GeglBuffer          *input,
         GeglBuffer          *output,
         const GeglRectangle *result,
         gint                 level)
{
  return process_common (operation, input, NULL, output, result);
}
#endif

/* The render is built (fitted) here, once, before GEGL splits the region
 * over its threads; with bad settings process() draws the error pattern. */
static gboolean
operation_process (GeglOperation        *operation,
                   GeglOperationContext *context,
                   const gchar          *output_prop,
                   const GeglRectangle  *result,
                   gint                  level)
{
  GeglOperationClass *parent = GEGL_OPERATION_CLASS (gegl_op_parent_class);

  skc_bokeh_render_unref (state_render (operation, TRUE));
  return parent->process (operation, context, output_prop, result,
                          gegl_operation_context_get_level (context));
}

static void
finalize (GObject *object)
{
  GeglProperties *o = GEGL_PROPERTIES (object);
  State          *s = o->user_data;

  if (s)
    {
      skc_bokeh_render_unref (s->render);
      g_free (s->key);
      g_free (s->error);
      g_free (s->warned);
      g_mutex_clear (&s->lock);
      g_cond_clear (&s->cond);
      g_free (s);
      o->user_data = NULL;
    }
  G_OBJECT_CLASS (gegl_op_parent_class)->finalize (object);
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GObjectClass               *object_class = G_OBJECT_CLASS (klass);
  GeglOperationClass         *operation_class = GEGL_OPERATION_CLASS (klass);
#ifdef SKC_BOKEH_MAP_OP
  GeglOperationComposerClass *composer_class = GEGL_OPERATION_COMPOSER_CLASS (klass);
#else
  GeglOperationFilterClass   *filter_class = GEGL_OPERATION_FILTER_CLASS (klass);
#endif

  skc_bokeh_data_init ();
  /* the numbers reach the op, which checks them (skc-bokeh-params.c) */
  skc_bokeh_params_class_init (object_class);
  object_class->finalize = finalize;
  operation_class->prepare = prepare;
  operation_class->process = operation_process;
  operation_class->get_bounding_box = get_bounding_box;
  operation_class->get_required_for_output = get_required_for_output;
  operation_class->get_invalidated_by_change = get_invalidated_by_change;
  operation_class->threaded = TRUE;
#ifdef SKC_BOKEH_MAP_OP
  composer_class->process = process;
  composer_class->aux_label = _("Blur map");
  composer_class->aux_description =
    _("Gray map for the map mode: the blur size follows the distance of "
      "its value from the focus value");

  gegl_operation_class_set_keys (operation_class,
    "name",            "skc:bokeh-map",
    "title",           _("Sparse Bokeh (blur map input)"),
    "categories",      "blur",
    "license",         "GPL3+",
    "description",     _("Sparse Bokeh with the blur map of the map mode on "
                         "the aux input, for GEGL graphs and merged "
                         "filters; otherwise the same as skc:bokeh"),
    NULL);
#else
  filter_class->process = process;

  gegl_operation_class_set_keys (operation_class,
    "name",            "skc:bokeh",
    "title",           _("Sparse Bokeh"),
    "categories",      "blur",
    "license",         "GPL3+",
    "description",     _("Lens blur with any kernel shape (hexagon, star, "
                         "heart, a kernel image, ...) through sparse kernel "
                         "complexes, uniform or varying over the image"),
    NULL);
#endif
}

#ifdef SKC_BOKEH_MAP_OP
/* gegl-op.h defines this for the module functions, in the other file. */
static const GeglModuleInfo *skc_bokeh_map_modinfo G_GNUC_UNUSED = &modinfo;
#else
void gegl_op_skc_bokeh_map_register_type (GTypeModule *module);

G_MODULE_EXPORT const GeglModuleInfo *
gegl_module_query (GTypeModule *module)
{
  return &modinfo;
}

G_MODULE_EXPORT gboolean
gegl_module_register (GTypeModule *module)
{
  gegl_op_skc_bokeh_register_type (module);
  gegl_op_skc_bokeh_map_register_type (module);
  return TRUE;
}
#endif

#endif
