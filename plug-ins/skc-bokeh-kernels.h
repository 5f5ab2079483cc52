/* Kernel resolution and the in-memory fit cache of the skc:bokeh GEGL
 * operation (skc-bokeh-kernels.c).  GLib glue over libskc; knows nothing
 * of GEGL.
 *
 * A request names a kernel (shape, kernel image or .skc file), a diameter
 * and the fit's structure.  The answer is an immutable, reference-counted
 * SkcBokehFit holding a size family of complexes, the same for every size,
 * rotation and mode (one fit per kernel, samples and layers): the uniform
 * mode evaluates it at one size and rotation (skc_family_eval), the
 * varying modes per pixel.  So changing the size or turning the kernel
 * never refits, and the halo is known from the settings alone
 * (skc_bokeh_halo_bound).
 *
 * Thread safety: every function may be called from any thread.  Fits are
 * shared between all operation instances of the process.  A fit is run
 * without holding the cache lock; a second caller asking for a fit that is
 * under way waits for it instead of fitting again.
 */
#ifndef SKC_BOKEH_KERNELS_H
#define SKC_BOKEH_KERNELS_H

#include <glib.h>

#include "skc.h"
#include "skc-error.h"

G_BEGIN_DECLS

#define SKC_BOKEH_ERROR (skc_bokeh_error_quark ())
GQuark skc_bokeh_error_quark (void);

typedef enum
{
  SKC_BOKEH_ERROR_KERNEL,   /* the kernel property names nothing usable   */
  SKC_BOKEH_ERROR_SETTINGS, /* a setting is out of range or inconsistent  */
  SKC_BOKEH_ERROR_FIT       /* the core failed (message has the status)   */
} SkcBokehError;

typedef struct
{
  const gchar     *kernel;    /* inline data, shape spec, preset or shape
                               * name, kernel image or .skc path            */
  gint             size;      /* diameter, px; 0: the file's own size       */
  gint             samples;   /* taps per layer                             */
  gint             layers;
  gboolean         family;    /* for a varying mode (messages only: the
                               * same family serves every mode)            */
  SkcProgressFunc  progress;  /* may be NULL; called while fitting (not on a
                               * cache hit); non-zero return cancels        */
  gpointer         progress_data;
} SkcBokehRequest;

typedef struct
{
  /*< private >*/
  gint        ref_count;
  gpointer    shared;        /* the cache's family, reference counted       */
  /*< public, read-only >*/
  SkcFamily  *family;        /* at least one basis                          */
  gfloat      size;          /* the diameter the request resolved to, px    */
  gchar      *identity;      /* kernel identity, for messages and logs      */
} SkcBokehFit;

/* The fit for @request, from the cache or fitted now.  Returns a new
 * reference, or NULL with @error set (a translated, user-readable message
 * naming the kernel).  Errors are not cached. */
SkcBokehFit *skc_bokeh_fit_get   (const SkcBokehRequest *request,
                                  GError               **error);
SkcBokehFit *skc_bokeh_fit_ref   (SkcBokehFit          *fit);
void         skc_bokeh_fit_unref (SkcBokehFit          *fit);

/* The dense kernel @fit stands for at its size, turned by @angle
 * (radians, counter-clockwise on screen): the shape drawn, or the kernel
 * image resampled (skc_kernel_target), for the exact path.  NULL for a
 * .skc file (it has no dense kernel) or when it cannot be made.  Free
 * with skc_kernel_free. */
SkcKernel   *skc_bokeh_fit_target (const SkcBokehFit *fit, gfloat angle);
/* The same at diameter @size px instead of the fit's. */
SkcKernel   *skc_bokeh_fit_target_at (const SkcBokehFit *fit, gfloat size,
                                      gfloat angle);

/* The fidelity check of the uniform render of @fit at its size, turned
 * by @angle (radians): the PSNR in dB that its sparse kernel @complex
 * reaches against the exact blur with @target on the core's test photo
 * (skc_complex_photo_psnr); the op blurs exactly (FFT) below its
 * fidelity target, and the filter's dialog says so.  @complex and
 * @target may be NULL: then they are made here as the op makes them
 * (skc_bokeh_fit_target, skc_family_uniform).  +inf when the render is
 * the dense kernel itself (small sizes) or @fit has no dense kernel (a
 * .skc file).  Kept with the fit, per size and angle (the fit itself is
 * per kernel, samples and layers), so rendering the same settings again,
 * in any instance of the op, never measures it again. */
SkcStatus    skc_bokeh_fit_fidelity (const SkcBokehFit *fit, gfloat angle,
                                     const SkcComplex  *complex,
                                     const SkcKernel   *target,
                                     gdouble           *psnr);

/* The identity of @kernel as the cache sees it ("shape:heart",
 * "image:/k.png@MTIME:BYTES"), or NULL with @error set when it names
 * nothing usable.  Cheap (a stat at most): callers use it to notice that a
 * kernel file changed. */
gchar       *skc_bokeh_kernel_identity (const gchar *kernel,
                                        GError     **error);

/* A shape with its parameters as the kernel string
 * "shape:NAME;blades=N;curvature=C;rotation=DEG;inner=R;strength=S"
 * (numbers with '.', whatever the locale), newly allocated. */
gchar       *skc_bokeh_shape_spec      (const SkcShapeParams *params);
/* Read such a string (missing keys keep the shape's defaults, unknown
 * ones are ignored).  FALSE without @error if @spec does not start with
 * "shape:"; FALSE with @error if it is malformed. */
gboolean     skc_bokeh_shape_spec_parse (const gchar          *spec,
                                         SkcShapeParams       *params,
                                         GError              **error);

/* The kernel @kernel names, carried in the string itself so that an
 * effect needs no file: a shape or a shape preset as a shape string, a
 * kernel image (a file, an image preset) or a .skc file as inline data
 * (plug-ins/PROPERTIES.md); a shape string or inline data as it is.  NULL
 * with @error when it names nothing usable. */
gchar       *skc_bokeh_kernel_inline   (const gchar          *kernel,
                                        GError              **error);
/* @kernel as inline data (a 16-bit PNG, peak 1), newly allocated. */
gchar       *skc_bokeh_kernel_data     (const SkcKernel      *kernel,
                                        GError              **error);
/* The kernel @kernel names at diameter @size as the fit targets it (a
 * shape drawn on a canvas of size + 2, an image resampled as families
 * do, or at its own size for 0; a complex's impulse response), for
 * showing it; NULL with @error. */
SkcKernel   *skc_bokeh_kernel_target   (const gchar          *kernel,
                                        gint                  size,
                                        GError              **error);

/* The user's preset folder as the op sees it: $SKC_USER_PRESET_DIR, else
 * <GIMP profile>/sparse-bokeh/presets (the profile from $GIMP3_DIRECTORY
 * or the default ~/.config/GIMP/3.0), newly allocated. */
gchar       *skc_bokeh_user_preset_dir (void);

/* Families fitted by this process so far (found in neither cache). */
guint        skc_bokeh_fit_count (void);
/* Fidelity checks measured so far (not found with their fit). */
guint        skc_bokeh_fidelity_count (void);

/* The halo (px) of @request's kernel at any diameter up to its size, any
 * rotation, in every mode: for a shape or kernel image from the settings
 * alone (skc_family_halo_bound: every fit keeps within it), for a .skc
 * file from its offsets.  Never fits (a kernel image at size 0 is read
 * for its size, a .skc file for its offsets), so it may run on GIMP's
 * main thread.  FALSE with @error when the kernel names nothing usable. */
gboolean     skc_bokeh_halo (const SkcBokehRequest *request, gint *halo,
                             GError **error);

/* Drop every cached fit (fits still referenced stay alive).  For tests. */
void         skc_bokeh_fit_cache_clear (void);

G_END_DECLS

#endif
