/* The preview scene (editor-scene.h): a dark blue night sky with a warm
 * glow near the horizon and a scatter of point lights, each a single
 * pixel so the blur draws the kernel's exact shape.  A blurred point of
 * energy E peaks at E * peak (K) for a unit-sum kernel K, so every light
 * gets E = brightness / peak (K): whatever the kernel's size, the bokeh
 * discs come out with the brightness the table below asks for.
 */
#include <math.h>
#include <string.h>

#include "editor-scene.h"

static const float palette[][3] = {
  { 1.00f, 0.78f, 0.52f },   /* warm white (tungsten) */
  { 1.00f, 0.50f, 0.12f },   /* amber (sodium)        */
  { 1.00f, 0.14f, 0.08f },   /* red                   */
  { 0.22f, 1.00f, 0.38f },   /* green                 */
  { 0.28f, 0.55f, 1.00f },   /* blue                  */
  { 0.90f, 0.32f, 1.00f },   /* magenta               */
  { 1.00f, 1.00f, 1.00f },   /* white                 */
};

/* Light positions in 0..1 of the area inside the border, colour index,
 * and bokeh peak brightness. */
static const struct
{
  float u, v;
  int   colour;
  float brightness;
} lights[] = {
  { 0.04f, 0.10f, 0, 0.90f }, { 0.27f, 0.02f, 6, 1.30f }, { 0.50f, 0.16f, 4, 0.75f },
  { 0.71f, 0.05f, 1, 1.00f }, { 0.95f, 0.20f, 2, 0.85f }, { 0.16f, 0.46f, 3, 0.60f },
  { 0.40f, 0.52f, 0, 1.60f }, { 0.47f, 0.60f, 1, 0.90f }, { 0.64f, 0.42f, 5, 0.70f },
  { 0.85f, 0.60f, 6, 1.10f }, { 0.02f, 0.86f, 1, 1.20f }, { 0.28f, 0.93f, 2, 0.55f },
  { 0.55f, 0.90f, 0, 0.80f }, { 0.75f, 0.97f, 4, 1.00f }, { 0.98f, 0.88f, 3, 0.90f },
  { 0.22f, 0.24f, 0, 0.35f }, { 0.60f, 0.27f, 6, 0.30f }, { 0.82f, 0.36f, 1, 0.40f },
};

void
editor_scene_free (EditorScene *scene)
{
  if (!scene)
    return;
  g_free (scene->rgb);
  g_free (scene);
}

static EditorScene *
scene_alloc (int width, int height)
{
  EditorScene *s = g_new0 (EditorScene, 1);

  s->width = width;
  s->height = height;
  s->rgb = g_new0 (float, (gsize) width * height * 3);
  return s;
}

EditorScene *
editor_scene_new (const SkcKernel *kernel)
{
  EditorScene *s;
  double       sum, peak;
  int          ks, w, h, mx, my;

  if (!kernel)
    return NULL;
  sum = skc_kernel_sum (kernel);
  peak = skc_kernel_peak (kernel);
  if (!(sum > 0.0) || !(peak > 0.0))
    return NULL;
  peak /= sum;
  ks = MAX (kernel->width, kernel->height);
  w = CLAMP ((int) lrint (6.5 * ks), 320, 720);
  h = (int) lrint (w * 0.7);
  s = scene_alloc (w, h);

  for (int y = 0; y < h; y++)
    {
      float t = (float) y / (h - 1);
      /* deep blue sky, a faint warm glow low down */
      float glow = expf (-(1.0f - t) * (1.0f - t) * 18.0f);
      float r = 0.0025f + 0.010f * t + 0.012f * glow;
      float g = 0.0030f + 0.006f * t + 0.006f * glow;
      float b = 0.0140f + 0.004f * t + 0.002f * glow;

      for (int x = 0; x < w; x++)
        {
          float *p = s->rgb + ((gsize) y * w + x) * 3;

          p[0] = r;
          p[1] = g;
          p[2] = b;
        }
    }

  /* lights inside a border of half the kernel, plus a little */
  mx = ks / 2 + 2;
  my = ks / 2 + 2;
  for (gsize i = 0; i < G_N_ELEMENTS (lights); i++)
    {
      int    x = mx + (int) lrint (lights[i].u * (w - 1 - 2 * mx));
      int    y = my + (int) lrint (lights[i].v * (h - 1 - 2 * my));
      float *p = s->rgb + ((gsize) y * w + x) * 3;
      double e = lights[i].brightness / peak;

      for (int c = 0; c < 3; c++)
        p[c] += (float) (e * palette[lights[i].colour][c]);
    }
  return s;
}

float *
editor_scene_luminance (const EditorScene *s)
{
  gsize  n = (gsize) s->width * s->height;
  float *l = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    l[i] = 0.2126f * s->rgb[3 * i] + 0.7152f * s->rgb[3 * i + 1]
           + 0.0722f * s->rgb[3 * i + 2];
  return l;
}

SkcStatus
editor_scene_blur (const EditorScene *scene, const SkcKernel *kernel,
                   const SkcComplex *complex, EditorScene **out)
{
  gsize        n = (gsize) scene->width * scene->height;
  float       *in = g_new (float, n), *res = g_new (float, n);
  EditorScene *o = scene_alloc (scene->width, scene->height);
  SkcStatus    st = SKC_OK;

  *out = NULL;
  for (int c = 0; c < 3 && st == SKC_OK; c++)
    {
      for (gsize i = 0; i < n; i++)
        in[i] = scene->rgb[3 * i + c];
      st = complex ? skc_complex_apply_plane (complex, in, scene->width,
                                              scene->height, res)
                   : skc_convolve_fft (in, scene->width, scene->height,
                                       kernel, res);
      for (gsize i = 0; i < n && st == SKC_OK; i++)
        o->rgb[3 * i + c] = res[i];
    }
  g_free (in);
  g_free (res);
  if (st != SKC_OK)
    editor_scene_free (o);
  else
    *out = o;
  return st;
}

EditorScene *
editor_scene_difference (const EditorScene *a, const EditorScene *b, float gain)
{
  EditorScene *o = scene_alloc (a->width, a->height);

  for (gsize i = 0; i < (gsize) a->width * a->height * 3; i++)
    o->rgb[i] = fabsf (a->rgb[i] - b->rgb[i]) * gain;
  return o;
}

void
editor_scene_to_srgb8 (const EditorScene *s, guchar *out, int rowstride)
{
  for (int y = 0; y < s->height; y++)
    {
      const float *p = s->rgb + (gsize) y * s->width * 3;
      guchar      *q = out + (gsize) y * rowstride;

      for (int i = 0; i < s->width * 3; i++)
        {
          float v = CLAMP (p[i], 0.0f, 1.0f);

          q[i] = (guchar) lrintf (skc_linear_to_srgb (v) * 255.0f);
        }
    }
}
