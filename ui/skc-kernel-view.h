/* SkcKernelView: a target kernel beside the kernel that was fitted to it.
 *
 * A GTK3 widget (a GtkDrawingArea) showing two square panels, "Target" and
 * "Fitted", each kernel scaled to fit its panel and shown with its peak
 * white.  Values are weights in linear light; they are displayed sRGB
 * encoded so that the faint parts of a kernel stay visible.  Under the
 * panels one line of text says how well the fit follows the target (the
 * caller measures it and formats the caption: "error 61.2 dB PSNR on
 * this image"), or, while there is no fitted kernel, what is happening
 * ("Fitting... 40 %").
 *
 * The widget copies what it is given; it never keeps the caller's
 * pointers.  No GIMP dependency.  Main-thread only, as all GTK widgets.
 */
#ifndef SKC_KERNEL_VIEW_H
#define SKC_KERNEL_VIEW_H

#include <gtk/gtk.h>

#include "skc.h"

G_BEGIN_DECLS

#define SKC_TYPE_KERNEL_VIEW (skc_kernel_view_get_type ())
G_DECLARE_FINAL_TYPE (SkcKernelView, skc_kernel_view, SKC, KERNEL_VIEW,
                      GtkDrawingArea)

/* A new view with empty panels; @panel_size is each panel's side in
 * pixels (32..512, clamped). */
GtkWidget *skc_kernel_view_new        (int              panel_size);

/* Show @target in the left panel (NULL clears it). */
void       skc_kernel_view_set_target (SkcKernelView   *view,
                                       const SkcKernel *target);

/* Show @fitted in the right panel (NULL clears it) with @caption, its
 * measured error, as the line under the panels (NULL: none). */
void       skc_kernel_view_set_fitted (SkcKernelView   *view,
                                       const SkcKernel *fitted,
                                       const char      *caption);

/* The line under the panels while no fitted kernel is shown (NULL or ""
 * for none), e.g. progress or why there is no fit. */
void       skc_kernel_view_set_message (SkcKernelView  *view,
                                        const char     *message);

/* The text under the panels now (owned by the view). */
const char *skc_kernel_view_get_text  (SkcKernelView   *view);

G_END_DECLS

#endif
