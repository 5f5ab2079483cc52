/* The kernel editor's preview scene: a small synthetic night scene of
 * point lights, in linear light, blurred by a kernel (exactly, by FFT) or
 * by a fitted complex, shown as sRGB.  GLib and the core only.
 */
#ifndef EDITOR_SCENE_H
#define EDITOR_SCENE_H

#include <glib.h>

#include "skc.h"

G_BEGIN_DECLS

typedef struct
{
  int    width;
  int    height;
  float *rgb;      /* linear RGB, 3 floats per pixel, row-major */
} EditorScene;

/* The scene for @kernel (normalised or not): its size grows with the
 * kernel (320 px wide for kernels up to 49 px), the lights sit inside a
 * border of half the kernel, and each light's energy is set so that,
 * blurred by @kernel, its bokeh peaks at 0.3..1.6 (some lights clip, as
 * real highlights do).  Deterministic.  NULL if @kernel is empty. */
EditorScene *editor_scene_new       (const SkcKernel *kernel);
void         editor_scene_free      (EditorScene *scene);
/* Rec. 709 luminance, width * height floats (g_free). */
float       *editor_scene_luminance (const EditorScene *scene);
/* Blur every channel with @complex (skc_complex_apply_plane) or, when it
 * is NULL, with @kernel (skc_convolve_fft), into a new scene. */
SkcStatus    editor_scene_blur      (const EditorScene *scene,
                                     const SkcKernel   *kernel,
                                     const SkcComplex  *complex,
                                     EditorScene      **out);
/* |a - b| * gain per value into a new scene (same sizes). */
EditorScene *editor_scene_difference (const EditorScene *a,
                                      const EditorScene *b,
                                      float              gain);
/* 8-bit sRGB, 3 bytes per pixel, rows @rowstride bytes apart. */
void         editor_scene_to_srgb8  (const EditorScene *scene,
                                     guchar            *out,
                                     int                rowstride);

G_END_DECLS

#endif
