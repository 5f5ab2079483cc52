/* Synthetic layered scenes for the occlusion-aware depth blur
 * (tests/test-occlusion.c, tests/bench/bench-occlusion.c), with their
 * truth: the layered render a lens makes (occlusion-scene.c).
 *
 * A scene is up to three layers, far to near, each a full premultiplied
 * RGBA plane (its colour everywhere, the hidden parts too) times its
 * coverage, at one depth (map value, white near).  The photo is the
 * layers laid over one another; the depth map holds, per pixel, the depth
 * of the nearest layer that covers it more than half.  The truth blurs
 * each whole layer (hidden parts included: what the camera saw past the
 * object's edge) with the disk of its own diameter and lays them over
 * one another far to near with their blurred coverage:
 *   out = K_n * N + (1 - K_n * a_n) (K_m * M + (1 - K_m * a_m) K_b * B)
 * per channel, dense convolution with clamped borders (test-truth.c).
 * Nothing of libskc's apply, fill or occlusion code is used.
 */
#ifndef OCCLUSION_SCENE_H
#define OCCLUSION_SCENE_H

#include "skc.h"

#define SCENE_MAX_LAYERS 3

typedef enum
{
  SCENE_SHARP_SUBJECT = 0,  /* a sharp disk before a blurred background  */
  SCENE_BLURRED_FRONT,      /* a blurred disk before a sharp background  */
  SCENE_THREE,              /* blurred disk, sharp block, blurred back   */
  SCENE_COUNT
} SceneKind;

typedef struct
{
  int    width, height, n_layers;
  float *layer[SCENE_MAX_LAYERS];   /* premultiplied RGBA, far first    */
  float  depth[SCENE_MAX_LAYERS];   /* map value, white near            */
  float *photo;                     /* RGBA, the layers composited      */
  float *map;                       /* one value per pixel              */
  float  focus, range;              /* the map mode's settings          */
  const char *name;
} Scene;

/* Make scene @kind at @width x @height (0 on success). */
int   scene_make  (SceneKind kind, int width, int height, Scene *scene);
void  scene_clear (Scene *scene);
/* The layered truth for the largest diameter @diameter (each layer's
 * diameter from the map mode's rule: diameter clamp01 (|depth - focus| /
 * range)), RGBA into @out (width * height * 4). */
void  scene_truth (const Scene *scene, float diameter, float *out);
/* The blur diameter of layer @k. */
float scene_layer_size (const Scene *scene, int k, float diameter);
/* PSNR (peak 1) of the colour channels of @a against @b over the scene
 * without a frame of @frame px; with @band > 0 only over the pixels
 * within @band px of a depth edge of the map (where occlusion matters). */
double scene_psnr (const Scene *scene, const float *a, const float *b,
                   int frame, int band);
/* The largest colour difference over the same pixels. */
double scene_max_diff (const Scene *scene, const float *a, const float *b,
                       int frame, int band);

#endif
