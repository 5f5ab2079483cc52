/* Kernel resolution and the in-memory fit cache of the skc:bokeh GEGL
 * operation (skc-bokeh-kernels.c).  GLib glue over libskc; knows nothing
 * of GEGL.
 *
 * A request names a kernel (shape, kernel image or .skc file), a diameter
 * and the fit's structure.  The answer is an immutable, reference-counted
 * SkcBokehFit holding a family of complexes: one basis for the uniform
 * mode, several for the spatially varying modes.  Rotation is not part of
 * the request: it is applied analytically by skc_family_eval, which turns
 * the offsets, so turning the kernel never refits.
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
  const gchar     *kernel;    /* shape name, kernel image or .skc path      */
  gint             size;      /* diameter, px; 0: the file's own size       */
  gint             samples;   /* taps per layer                             */
  gint             layers;
  gboolean         family;    /* fit several sizes for a varying mode       */
  SkcProgressFunc  progress;  /* may be NULL; called while fitting (not on a
                               * cache hit); non-zero return cancels        */
  gpointer         progress_data;
} SkcBokehRequest;

typedef struct
{
  /*< private >*/
  gint        ref_count;
  gboolean    core_family;   /* family from skc_family_fit (vs. built here) */
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

/* The identity of @kernel as the cache sees it ("shape:heart",
 * "image:/k.png@MTIME:BYTES"), or NULL with @error set when it names
 * nothing usable.  Cheap (a stat at most): callers use it to notice that a
 * kernel file changed. */
gchar       *skc_bokeh_kernel_identity (const gchar *kernel,
                                        GError     **error);

/* The user's preset folder as the op sees it: $SKC_USER_PRESET_DIR, else
 * <GIMP profile>/sparse-bokeh/presets (the profile from $GIMP3_DIRECTORY
 * or the default ~/.config/GIMP/3.0), newly allocated. */
gchar       *skc_bokeh_user_preset_dir (void);

/* Drop every cached fit (fits still referenced stay alive).  For tests. */
void         skc_bokeh_fit_cache_clear (void);

G_END_DECLS

#endif
