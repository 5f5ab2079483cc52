/* Kernel presets (skc-preset.c): named kernels with their parameters and,
 * optionally, complexes already fitted for them.  Plain C declarations; the
 * implementation uses GLib (GKeyFile) and lives in libskc-cache with the
 * fit cache.  The file format is documented in presets/FORMAT.md.
 *
 * A preset is a small key file, `NAME.preset`:
 *
 *   [Sparse Bokeh Preset]
 *   name=Heart                 # shown to users (translatable: name[de]=Herz)
 *   shape=heart                # a procedural shape ...
 *   blades=6                   #   ... with its parameters (all optional)
 *   curvature=0.0
 *   rotation=0.0
 *   inner=0.7
 *   sigma=7.0
 *   strength=0.6
 *   kernel-image=heart.png     # ... or a kernel image, relative to the file
 *   samples=24                 # suggested quality (optional)
 *   layers=4
 *   complex=heart-24x4.skc     # optional fitted complexes (relative paths)
 *
 * Exactly one of `shape` and `kernel-image` must be present.  The preset's
 * id is its file name without `.preset`; ids are lowercase letters, digits
 * and '-'.  Built-in presets live in the installed presets folder, user
 * presets in a user folder; a user preset shadows a built-in of the same
 * id.
 */
#ifndef SKC_PRESET_H
#define SKC_PRESET_H

#include "skc.h"

#include <glib.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SKC_PRESET_ID_MAX 64

typedef struct
{
  char            id[SKC_PRESET_ID_MAX];  /* file name without .preset     */
  char           *name;                   /* display name (UTF-8)          */
  char           *path;                   /* the .preset file              */
  int             is_shape;               /* 1: shape below; 0: image      */
  SkcShapeParams  shape;                  /* size is 0 (set by the user)   */
  char           *kernel_image;           /* absolute path, or NULL        */
  int             samples, layers;        /* 0 when not given              */
  int             n_complexes;
  char          **complexes;              /* absolute paths                */
  int             builtin;                /* from the built-in folder      */
} SkcPreset;

/* Errors of skc_preset_load: the code is the SkcStatus. */
#define SKC_PRESET_ERROR (skc_preset_error_quark ())
GQuark     skc_preset_error_quark (void);

/* Parse one preset file.  On error returns SKC_ERR_FORMAT (or _IO, ...)
 * and sets @error (SKC_PRESET_ERROR, if not NULL) to a sentence in the
 * user's language (domain "sparse-bokeh"; English where it is not bound)
 * naming the file and the problem. */
SkcStatus  skc_preset_load (const char *path, SkcPreset **out,
                            GError **error);
/* Write @preset as PATH atomically (a temp file renamed into place).  The
 * kernel image and complexes are referenced by their paths as given. */
SkcStatus  skc_preset_save (const SkcPreset *preset, const char *path);
void       skc_preset_free (SkcPreset *preset);

/* The folder of built-in presets: $SKC_PRESET_DIR if set (tests, the
 * development profile), else the folder the program gave to
 * skc_preset_set_builtin_dir, else none ("").  Nothing is compiled in:
 * the presets are installed beside each binary that reads them (the GIMP
 * plug-ins: <plug-in folder>/presets; the skc:bokeh module:
 * <module folder>/sparse-bokeh/presets), which finds them from its own
 * location, so an install works wherever it is put.  Call the setter at
 * start-up, before threads read presets.  The user folder:
 * $SKC_USER_PRESET_DIR if set, else $XDG_CONFIG_HOME/sparse-bokeh/presets
 * (the GIMP plug-ins pass their own, under GIMP's profile). */
const char *skc_preset_builtin_dir     (void);
void        skc_preset_set_builtin_dir (const char *dir);
/* The same with the presets/ folder beside the program file @binary. */
void        skc_preset_set_builtin_dir_beside (const char *binary);

/* Every valid preset in @builtin_dir and @user_dir (either may be NULL),
 * user ones shadowing built-ins, sorted by id.  Invalid files are skipped.
 * Returns the count; *out is a malloc()ed array freed with
 * skc_preset_list_free. */
int        skc_preset_list      (const char *builtin_dir, const char *user_dir,
                                 SkcPreset ***out);
void       skc_preset_list_free (SkcPreset **list, int n);
/* The preset @id (user folder first), or SKC_ERR_IO if there is none. */
SkcStatus  skc_preset_find      (const char *builtin_dir, const char *user_dir,
                                 const char *id, SkcPreset **out);
/* Render the preset's kernel at diameter @size px (odd; 0: a kernel
 * image's own size), normalised. */
SkcStatus  skc_preset_kernel    (const SkcPreset *preset, int size,
                                 SkcKernel **out);
/* 1 if @id is a valid preset id. */
int        skc_preset_id_valid  (const char *id);

#ifdef __cplusplus
}
#endif

#endif
