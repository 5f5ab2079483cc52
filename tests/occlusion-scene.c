/* Synthetic layered scenes and their layered truth (occlusion-scene.h). */
#include "occlusion-scene.h"
#include "test-truth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static float
clamp01 (double v)
{
  return (float) (v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v);
}

/* Textures: colour c of each layer at (x, y), fine detail and contrast
 * against each other so a halo or a cut shows. */
static float
texture (int layer, int c, int x, int y)
{
  switch (layer)
    {
    case 0:   /* background: smooth waves and fine diagonal stripes */
      return clamp01 (0.42 + 0.25 * sin (0.21 * x + 0.13 * y + 1.7 * c)
                      * cos (0.09 * x - 0.19 * y + 0.6 * c)
                      + 0.12 * (((x + 2 * y) / 4) % 2 ? 1 : -1)
                      * (c == 1 ? 1.0 : 0.6));
    case 1:   /* the middle layer: bluish vertical bars */
      {
        static const float lo[3] = { 0.05f, 0.15f, 0.45f };
        static const float hi[3] = { 0.25f, 0.55f, 0.95f };

        return (x / 6) % 2 ? hi[c] : lo[c];
      }
    default:  /* the front: a red and yellow checker */
      {
        static const float lo[3] = { 0.85f, 0.12f, 0.05f };
        static const float hi[3] = { 0.98f, 0.85f, 0.20f };

        return ((x / 7) + (y / 7)) % 2 ? hi[c] : lo[c];
      }
    }
}

/* Coverage of an anti-aliased disk and of an axis-aligned block. */
static float
disk_cover (double cx, double cy, double r, int x, int y)
{
  return clamp01 (r + 0.5 - hypot (x - cx, y - cy));
}

static float
block_cover (double x0, double y0, double x1, double y1, int x, int y)
{
  return clamp01 (x + 0.5 - x0) * clamp01 (x1 - (x - 0.5))
         * clamp01 (y + 0.5 - y0) * clamp01 (y1 - (y - 0.5));
}

/* Each kind's layers, their depths and the map mode's settings. */
static const struct
{
  const char *name;
  int         n_layers;
  float       depth[SCENE_MAX_LAYERS], focus, range;
} kinds[SCENE_COUNT] = {
  [SCENE_SHARP_SUBJECT] = { "sharp subject", 2, { 0.2f, 0.8f }, 0.8f, 0.6f },
  [SCENE_BLURRED_FRONT] = { "blurred front", 2, { 0.2f, 0.8f }, 0.2f, 0.6f },
  [SCENE_THREE]         = { "three layers", 3, { 0.1f, 0.5f, 0.9f }, 0.5f,
                            0.4f },
};

int
scene_make (SceneKind kind, int width, int height, Scene *s)
{
  size_t    n = (size_t) width * height;
  const int ki = kind >= 0 && kind < SCENE_COUNT ? (int) kind : SCENE_THREE;

  memset (s, 0, sizeof *s);
  s->width = width;
  s->height = height;
  s->name = kinds[ki].name;
  s->n_layers = kinds[ki].n_layers;
  for (int i = 0; i < kinds[ki].n_layers; i++)
    s->depth[i] = kinds[ki].depth[i];
  s->focus = kinds[ki].focus;
  s->range = kinds[ki].range;
  s->photo = calloc (4 * n, sizeof (float));
  s->map = calloc (n, sizeof (float));
  for (int k = 0; k < s->n_layers; k++)
    s->layer[k] = calloc (4 * n, sizeof (float));
  if (!s->photo || !s->map || !s->layer[s->n_layers - 1])
    {
      scene_clear (s);
      return -1;
    }
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        size_t i = (size_t) y * width + x;
        float  cover[SCENE_MAX_LAYERS];

        cover[0] = 1.0f;
        if (kind == SCENE_THREE)
          {
            cover[1] = block_cover (0.42 * width, 0.18 * height,
                                    0.82 * width, 0.82 * height, x, y);
            cover[2] = disk_cover (0.38 * width, 0.58 * height,
                                   0.24 * height, x, y);
          }
        else
          cover[1] = disk_cover (0.5 * width, 0.5 * height, 0.28 * height,
                                 x, y);
        s->map[i] = s->depth[0];
        for (int k = 0; k < s->n_layers; k++)
          {
            float *l = s->layer[k] + 4 * i;
            /* the layer's texture index: the middle layer of a
             * two-layer scene is its front */
            int    tex = s->n_layers == 2 && k == 1 ? 2 : k;

            for (int c = 0; c < 3; c++)
              l[c] = cover[k] * texture (tex, c, x, y);
            l[3] = cover[k];
            if (cover[k] > 0.5f)
              s->map[i] = s->depth[k];
            for (int c = 0; c < 4; c++)
              s->photo[4 * i + c] = l[c] + (1.0f - l[3]) * s->photo[4 * i + c];
          }
      }
  return 0;
}

void
scene_clear (Scene *s)
{
  free (s->photo);
  free (s->map);
  for (int k = 0; k < SCENE_MAX_LAYERS; k++)
    free (s->layer[k]);
  memset (s, 0, sizeof *s);
}

float
scene_layer_size (const Scene *s, int k, float diameter)
{
  return diameter * clamp01 (fabs (s->depth[k] - s->focus) / s->range);
}

void
scene_truth (const Scene *s, float diameter, float *out)
{
  int    w = s->width, h = s->height;
  size_t n = (size_t) w * h;
  float *plane = malloc (n * sizeof *plane);
  float *blur = malloc (4 * n * sizeof *blur);
  float *conv = malloc (n * sizeof *conv);

  memset (out, 0, 4 * n * sizeof *out);
  for (int k = 0; k < s->n_layers && plane && blur && conv; k++)
    {
      float          d = scene_layer_size (s, k, diameter);
      SkcKernel     *kernel = NULL;
      SkcShapeParams disk;

      skc_shape_params_init (&disk, SKC_SHAPE_DISK);
      /* below a pixel the disk is the identity */
      if (d >= 1.0f && skc_kernel_target (&disk, NULL, d, 0.0f, &kernel)
                       != SKC_OK)
        kernel = NULL;
      for (int c = 0; c < 4; c++)
        {
          for (size_t i = 0; i < n; i++)
            plane[i] = s->layer[k][4 * i + c];
          if (kernel)
            truth_convolve (plane, w, h, kernel, 1, conv);
          else
            memcpy (conv, plane, n * sizeof *conv);
          for (size_t i = 0; i < n; i++)
            blur[4 * i + c] = conv[i];
        }
      for (size_t i = 0; i < n; i++)
        {
          float t = 1.0f - blur[4 * i + 3];

          for (int c = 0; c < 4; c++)
            out[4 * i + c] = blur[4 * i + c] + t * out[4 * i + c];
        }
      skc_kernel_free (kernel);
    }
  free (plane);
  free (blur);
  free (conv);
}

/* 1 for the pixels compared: inside the frame and, with @band, within
 * @band px (chessboard) of a depth edge. */
static unsigned char *
scene_mask (const Scene *s, int frame, int band)
{
  int            w = s->width, h = s->height;
  unsigned char *m = calloc ((size_t) w * h, 1), *e;

  if (!m)
    return NULL;
  if (band <= 0)
    {
      for (int y = frame; y < h - frame; y++)
        memset (m + (size_t) y * w + frame, 1, w > 2 * frame ? w - 2 * frame : 0);
      return m;
    }
  e = calloc ((size_t) w * h, 1);
  if (!e)
    {
      free (m);
      return NULL;
    }
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        float v = s->map[(size_t) y * w + x];

        if ((x + 1 < w && s->map[(size_t) y * w + x + 1] != v)
            || (y + 1 < h && s->map[(size_t) (y + 1) * w + x] != v))
          e[(size_t) y * w + x] = 1;
      }
  for (int y = frame; y < h - frame; y++)
    for (int x = frame; x < w - frame; x++)
      for (int j = -band; j <= band && !m[(size_t) y * w + x]; j++)
        for (int i = -band; i <= band; i++)
          {
            int yy = y + j, xx = x + i;

            if (yy >= 0 && yy < h && xx >= 0 && xx < w
                && e[(size_t) yy * w + xx])
              {
                m[(size_t) y * w + x] = 1;
                break;
              }
          }
  free (e);
  return m;
}

double
scene_psnr (const Scene *s, const float *a, const float *b, int frame,
            int band)
{
  unsigned char *m = scene_mask (s, frame, band);
  double         se = 0.0;
  size_t         cnt = 0;

  if (!m)
    return NAN;
  for (size_t i = 0; i < (size_t) s->width * s->height; i++)
    if (m[i])
      for (int c = 0; c < 3; c++)
        {
          double d = (double) a[4 * i + c] - b[4 * i + c];

          se += d * d;
          cnt++;
        }
  free (m);
  if (cnt == 0)
    return NAN;
  return se == 0.0 ? INFINITY : 10.0 * log10 (cnt / se);
}

double
scene_max_diff (const Scene *s, const float *a, const float *b, int frame,
                int band)
{
  unsigned char *m = scene_mask (s, frame, band);
  double         mx = 0.0;

  if (!m)
    return NAN;
  for (size_t i = 0; i < (size_t) s->width * s->height; i++)
    if (m[i])
      for (int c = 0; c < 3; c++)
        {
          double d = fabs ((double) a[4 * i + c] - b[4 * i + c]);

          mx = d > mx ? d : mx;
        }
  free (m);
  return mx;
}
