/* Kernel sources of the Sparse Bokeh filter (sb-kernel.c).
 *
 * skc:bokeh gets the kernel itself as one string: a shape string
 * ("shape:polygon;blades=6;...") for an iris, a shape or a shape preset,
 * inline data for a brush, a drawn kernel, a kernel file or an image
 * preset (plug-ins/PROPERTIES.md); sb_op_configure turns it into the op's
 * shape or stored-kernel properties.  A kept effect thus needs no file.
 * The dialog keeps a drawn kernel as a file in the profile
 * (<profile>/sparse-bokeh/kernels/, sb_kernel_store) for its own settings
 * and Repeat; the effect does not refer to it.
 *
 * sb_kernel_target and sb_kernel_fitted only use GLib and the core: the
 * dialog's fitter calls them from its worker thread.
 */
#ifndef SB_KERNEL_H
#define SB_KERNEL_H

#include "sb-params.h"

G_BEGIN_DECLS

/* The kernel for skc:bokeh (a shape string or inline data), or NULL with
 * a translated error that says what is missing or wrong.  Main thread
 * (reads brushes). */
gchar     *sb_kernel_resolve (const SbParams     *params,
                              GError            **error);

/* Keep @kernel as a PFM in the profile's kernel folder under a name made
 * of @prefix and a digest of its weights; the file is written only if it
 * is not there yet.  Returns its path, or NULL with @error. */
gchar     *sb_kernel_store   (const SkcKernel    *kernel,
                              const gchar        *prefix,
                              GError            **error);

/* The kernel @kernel names, at diameter @size (0: a file's own size), as
 * the fit targets it; NULL with @error if it cannot be made. */
SkcKernel *sb_kernel_target  (const gchar        *kernel,
                              gint                size,
                              GError            **error);

/* Whether @kernel is a fitted complex (inline or a .skc file). */
gboolean   sb_kernel_is_complex (const gchar     *kernel);

/* The impulse response of @fit at its size, unrotated, on a canvas of
 * @width x @height (odd); NULL if it cannot be made. */
SkcKernel *sb_kernel_fitted  (const SkcBokehFit  *fit,
                              gint                width,
                              gint                height);

/* The complex @fit applies at its size, unrotated (free with
 * skc_complex_free); NULL on failure. */
SkcComplex *sb_kernel_complex (const SkcBokehFit *fit);

/* <profile>/sparse-bokeh/@sub, created if needed (newly allocated). */
gchar     *sb_profile_dir    (const gchar        *sub);

/* Keep @image as a PFM in <profile>/sparse-bokeh/@sub named @prefix and
 * a digest of its size and values, written once (to a temporary name,
 * then renamed).  Returns the path, or NULL with @error. */
gchar     *sb_profile_store_image (const SkcImage *image,
                                   const gchar    *sub,
                                   const gchar    *prefix,
                                   GError        **error);

G_END_DECLS

#endif
