/* The kernel editor's model, shared by its dialog and its scripted mode:
 * quality levels, fitting one level (through the fit cache) with its
 * errors, and user presets on disk (write, rename, delete).  GLib and the
 * core only: no GTK, no libgimp.
 *
 * A preset written here is ID.preset in the user folder, with the kernel
 * as ID.png (16-bit gray, peak 1; not for procedural shapes, which are
 * stored by their parameters) and each fitted level as ID-SxL.skc, all
 * referenced by relative paths (presets/FORMAT.md).  Rename and delete
 * move or remove exactly those companion files and nothing else.
 */
#ifndef EDITOR_STORE_H
#define EDITOR_STORE_H

#include <glib.h>

#include "skc.h"
#include "skc-cache.h"
#include "skc-error.h"
#include "skc-preset.h"
#include "skc-quality.h"

G_BEGIN_DECLS

/* The levels the editor fits: the first ones of the shared quality
 * levels (plug-ins/skc-quality.h), by index. */
#define EDITOR_N_LEVELS        SKC_QUALITY_EDITOR_LEVELS
#define EDITOR_DEFAULT_LEVEL   SKC_QUALITY_DEFAULT
#define EDITOR_MIN_KERNEL_SIZE 9
#define EDITOR_MAX_KERNEL_SIZE 129   /* dialog and shapes/brushes        */
#define EDITOR_MAX_FILE_KERNEL 255   /* kernel images, scripted          */

/* One fitted level and how good it is. */
typedef struct
{
  SkcComplex *complex;      /* NULL: not fitted                          */
  double      kernel_psnr;  /* dB, skc_eval_kernel_psnr                  */
  double      photo_psnr;   /* dB, skc_eval_image_psnr on the sample
                             * photo (NAN without one)                   */
  double      scene_psnr;   /* dB, the same on the preview scene's point
                             * lights (NAN without it)                   */
  double      seconds;      /* wall time of the fit (or cache look-up)   */
  int         cache_hit;
} EditorFit;

/* Linear-light luminance planes a fit is measured on (any may be NULL). */
typedef struct
{
  const float *photo;
  int          photo_width, photo_height;
  const float *scene;
  int          scene_width, scene_height;
} EditorPlanes;

void       editor_fit_clear (EditorFit *fit);

/* Fit @level to @kernel through @cache (may be NULL) and measure it on
 * @planes (may be NULL).  @progress may be NULL; its non-zero return
 * cancels (SKC_ERR_CANCELLED).  Reentrant: run it in a worker thread. */
SkcStatus  editor_fit_level (SkcCache *cache, const SkcKernel *kernel, int level,
                             const EditorPlanes *planes,
                             SkcProgressFunc progress, void *progress_data,
                             EditorFit *out);

/* The sample photo (tests/data/coffee.png, installed next to the plug-in
 * as sample-photo.png): $SKC_SAMPLE_PHOTO if set, else @plugin_dir's
 * sample-photo.png, else the source tree's copy (uninstalled builds).
 * NULL if none is readable.  g_free the result. */
char      *editor_sample_photo_find (const char *plugin_dir);
/* Its Rec. 709 luminance in linear light (g_free), or NULL. */
float     *editor_sample_photo_load (const char *path, int *width, int *height);

/* The kernel as a preset's 16-bit PNG holds it: values rounded to
 * 1/65535 of the peak, normalised.  Fits target this, so the saved
 * complexes match the saved image exactly.  NULL if @kernel is empty. */
SkcKernel *editor_kernel_quantize (const SkcKernel *kernel);

/* A preset id made from a display name ("My Heart 2" -> "my-heart-2"):
 * lowercase ASCII letters and digits, other runs become '-'.  NULL if
 * nothing is left. */
char      *editor_id_from_name (const char *name);

typedef enum
{
  EDITOR_ERROR_INPUT,   /* bad argument: name, kernel, missing preset    */
  EDITOR_ERROR_EXISTS,  /* the target preset exists                      */
  EDITOR_ERROR_IO       /* a file could not be written, moved, removed   */
} EditorError;

#define EDITOR_ERROR (editor_error_quark ())
GQuark     editor_error_quark (void);

/* Write preset @id (display name @name; NULL or "": @id) into @user_dir
 * (created if missing).  The kernel is @shape's parameters when @shape is
 * not NULL, else @kernel saved as a 16-bit PNG.  Fitted levels in @fits
 * (array of EDITOR_N_LEVELS, may be NULL) are saved as .skc files;
 * @suggested_level's structure goes into samples/layers.  An existing
 * user preset @id is replaced only with @overwrite, and its old companion
 * files that are not rewritten are removed.  All or nothing: on error
 * nothing new is left behind.  *@path_out (may be NULL) gets the .preset
 * path. */
gboolean   editor_preset_write  (const char *user_dir, const char *id,
                                 const char *name, const SkcKernel *kernel,
                                 const SkcShapeParams *shape,
                                 const EditorFit *fits, int suggested_level,
                                 gboolean overwrite, char **path_out,
                                 GError **error);

/* Rename user preset @old_id to @new_id (may be equal: only the display
 * name changes) with display name @new_name (NULL or "": keep the old
 * one when the id is unchanged, else @new_id).  Built-in presets
 * (@builtin_dir) cannot be renamed. */
gboolean   editor_preset_rename (const char *builtin_dir, const char *user_dir,
                                 const char *old_id, const char *new_id,
                                 const char *new_name, char **path_out,
                                 GError **error);

/* Delete user preset @id and its companion files. */
gboolean   editor_preset_delete (const char *builtin_dir, const char *user_dir,
                                 const char *id, GError **error);

G_END_DECLS

#endif
