/* gegl-reference: an independent answer for what skc:bokeh should
 * produce, and the comparison of a rendered image against it
 * (tests/test-gegl.sh, test-gimp-op.sh, test-plugin.sh, test-dialog.sh,
 * test-kept-effect.sh).
 *
 * Independent: the blur is computed here by the plain loops of
 * test-truth.c (a dense convolution of the kernel, a complex's taps
 * gathered layer by layer), and the highlight boost, a kernel image's
 * weights and the varying modes' per-pixel size and angle are written
 * again below from their documented meaning (plug-ins/PROPERTIES.md,
 * skc.h); nothing goes through libskc's apply, plan, complex evaluation,
 * convolution, highlight or field code.  What the op approximates is taken
 * from the core as a definition: the dense kernel of a shape, or of a
 * kernel image resampled or turned, at a diameter and angle
 * (skc_family_target: the target every fit is made against).
 *
 *   gegl-reference compare INPUT.png TEST.png REFERENCE [options]
 *   gegl-reference half-map W H OUT.png
 *   gegl-reference ramp-map W H OUT.png
 *   gegl-reference nudge IN.png X Y OUT.png
 *   gegl-reference colour-kernel SIDE OUT.png
 *
 * REFERENCE is one of
 *   --shape NAME --size D      dense convolution with the kernel the core's
 *                              families fit for that shape at diameter D
 *                              (skc_family_target: the op's uniform target)
 *   --kernel-image K [--size D] the kernel image as it is (size 0: its
 *                              pixels read here), or resampled to diameter
 *                              D the same way
 *   --skc FILE [--size D]      the complex itself, its taps gathered here
 *                              (truth_apply), offsets scaled to diameter D
 *                              if given and turned here (truth_turn)
 *   --identity                 the input unchanged
 *   --error-pattern            what skc:bokeh shows when it cannot render:
 *                              opaque magenta and black squares of 16 px
 *                              from (0, 0), magenta where x / 16 + y / 16
 *                              is odd (plug-ins/PROPERTIES.md)
 * with --rotation DEG (counter-clockwise) and --highlights T G applied as
 * the op applies them, and --blades N / --curvature C changing the
 * shape's parameters (a preset like iris-6 is polygon, 6 blades, 0.35).
 *
 * A blur size varying over the image (the op's modes) is compared with a
 * dense per-pixel truth: pixel p gets the dense kernel of its own size and
 * angle (skc_family_target, the family's target), from the field written
 * again here (vary_field), gathered with clamped borders:
 *   --vary tilt-shift|spin|zoom|map  with --center CX,CY (fractions of the
 *   image), --angle DEG, --band-width PX, --falloff PX, --radius PX,
 *   --map GRAY.png --focus F --range R (the op's property meanings);
 *   --size is the largest diameter.
 *   --chroma A  axial chromatic aberration (the op's chroma): each
 *   channel convolved with the shape at its own diameter, A > 0: red and
 *   blue --size, green size (1 - A); A < 0: green --size, red and blue
 *   size (1 + A); alpha as green.
 *   --cateye S,START  the cat's eye across the frame (the op's cateye and
 *   cateye-start; the frame is the whole input): pixel p's kernel is the
 *   shape turned towards the centre and cut (tests/lens-truth.h, written
 *   from the definition; kernels made once per 1/4 degree).  --stride N computes and compares
 *   every N-th pixel in x and y only (the truth costs a kernel per pixel).  The input is decoded from sRGB to linear light
 * (alpha premultiplied), filtered per channel with clamped borders,
 * clamped to 0..1 as an integer file would be, and compared with TEST
 * decoded the same way.
 *
 * Printed: the PSNR in linear light (peak 1) and the largest difference in
 * 8-bit sRGB code values, over the whole image or --region X,Y,W,H.
 * --at X,Y: TEST is a crop of the result whose top-left pixel is INPUT's
 * (X, Y) (a dialog's preview); the comparison covers that crop, or its
 * part inside --region (INPUT coordinates).  The
 * exit status is 1 when --min-psnr DB or --max-diff CODES is not met.
 * --kernel-colour (with --kernel-image K, its own size, no rotation):
 * each colour channel blurred with that channel of K as its kernel (alpha
 * with green's), the op's kernel-colour.
 * --per-channel also prints the PSNR of red, green and blue on their own,
 * and --min-psnr then holds for the worst of them.
 * --diff OUT.png writes |TEST - REFERENCE| in sRGB x 16 for a look.
 *
 * half-map writes a 16-bit gray PNG, black on the left half and white on
 * the right: a blur map for the map mode.  ramp-map writes a left-to-right
 * ramp from black to white in steps of 1/255, which an 8-bit image holds
 * exactly, so GIMP and the reference read the same map.
 *
 * nudge writes IN.png with one 8-bit code value changed by one (the red
 * of pixel X, Y, up, or down at 255): what compare --max-diff 0 must
 * catch, so a test that asks for identical results shows it would see
 * the smallest difference an 8-bit file can hold.
 */
#include "skc.h"
#include "skc-private.h"   /* skc_family_target: the kernel's definition */
#include "skc-options.h"
#include "lens-truth.h"
#include "test-truth.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  const char *shape, *kernel_image, *skc;
  int         identity;
  int         error_pattern;
  double      size, rotation;
  double      highlights[2];  /* threshold, gain */
  double      min_psnr, max_diff;
  int         per_channel;    /* --per-channel: the floor per colour channel */
  int         kernel_colour;  /* --kernel-colour: a kernel per channel */
  int         region[4];
  int         has_region;
  int         at[2], crop[2];
  int         has_at;
  const char *diff_path;
  int         blades;
  double      curvature;
  const char *vary;
  double      center[2], angle, band_width, falloff, radius;
  const char *map_path;
  double      focus, range;
  int         stride;
  double      cateye[2];     /* strength, start */
  double      chroma;        /* axial chromatic aberration */
  int         has_cateye;
} Options;

static int
die (const char *what, const char *name, SkcStatus s)
{
  fprintf (stderr, "gegl-reference: %s %s: %s\n", what, name ? name : "",
           skc_status_string (s));
  return 2;
}

/* The @n comma-separated numbers of @option's value @s, each strictly a
 * finite number (skc_options_double: the whole item, whatever the locale;
 * @whole: an integer); else a message naming the option and exit 2. */
static void
numbers (const char *s, const char *option, int n, int whole, double *out)
{
  const char *p = s ? s : "";

  for (int i = 0; i < n; i++)
    {
      const char *comma = strchr (p, ',');
      size_t      len = i < n - 1 && comma ? (size_t) (comma - p) : strlen (p);
      char        item[64];

      if ((i < n - 1 && !comma) || len >= sizeof item
          || (memcpy (item, p, len), item[len] = '\0',
              !skc_options_double (item, -1e300, 1e300, &out[i]))
          || (whole && (out[i] != floor (out[i]) || fabs (out[i]) > 1e9)))
        {
          if (n == 1)
            fprintf (stderr, "gegl-reference: %s wants a number, got '%s'\n",
                     option, s ? s : "");
          else
            fprintf (stderr, "gegl-reference: %s wants %d %ss separated by "
                     "commas, got '%s'\n", option, n,
                     whole ? "integer" : "number", s ? s : "");
          exit (2);
        }
      p += len + (i < n - 1);
    }
}

static double
number (const char *s, const char *option)
{
  double v;

  numbers (s, option, 1, 0, &v);
  return v;
}

/* @n integers into @out. */
static void
integers (const char *s, const char *option, int n, int *out)
{
  double v[4];

  numbers (s, option, n, 1, v);
  for (int i = 0; i < n; i++)
    out[i] = (int) v[i];
}

/* Linear premultiplied RGBA of an sRGB image (gray is spread to RGB). */
static float *
to_linear_rgba (const SkcImage *img)
{
  size_t n = (size_t) img->width * img->height;
  float *p = malloc (n * 4 * sizeof *p);
  int    nc = img->channels, alpha = nc == 2 || nc == 4;

  if (!p)
    return NULL;
  for (size_t i = 0; i < n; i++)
    {
      const float *s = img->data + i * nc;
      float        a = alpha ? s[nc - 1] : 1.0f;

      for (int c = 0; c < 3; c++)
        p[i * 4 + c] = skc_srgb_to_linear (s[nc >= 3 ? c : 0]) * a;
      p[i * 4 + 3] = a;
    }
  return p;
}

static SkcStatus
shape_params (const Options *o, SkcShapeParams *p)
{
  SkcStatus s = skc_shape_params_from_name (o->shape, p);

  if (o->blades > 0)
    p->blades = o->blades;
  if (o->curvature >= 0.0)
    p->curvature = (float) o->curvature;
  return s;
}

/* A kernel image's weights as the op reads them (plug-ins/PROPERTIES.md:
 * gray as stored, the mean of R, G and B, times alpha; negative values
 * count as 0), pixel (x, y) at kernel (x, y) on an odd canvas padded on
 * the right and at the bottom, scaled to unit sum. */
static SkcStatus
image_kernel_channel (const char *path, int channel, SkcKernel **out);

static SkcStatus
image_kernel (const char *path, SkcKernel **out)
{
  return image_kernel_channel (path, -1, out);
}

/* The same with colour channel @channel (0..2) of an RGB(A) image as the
 * weights instead of the mean (-1: the mean): --kernel-colour. */
static SkcStatus
image_kernel_channel (const char *path, int channel, SkcKernel **out)
{
  SkcImage  *img = NULL;
  SkcKernel *k = NULL;
  SkcStatus  s = skc_image_load (path, &img);
  double     sum = 0.0;
  int        nc;

  if (s == SKC_OK)
    s = skc_kernel_new (img->width | 1, img->height | 1, &k);
  if (s != SKC_OK)
    {
      skc_image_free (img);
      return s;
    }
  nc = img->channels;
  memset (k->data, 0, sizeof (float) * k->width * k->height);
  for (int y = 0; y < img->height; y++)
    for (int x = 0; x < img->width; x++)
      {
        const float *p = img->data + ((size_t) y * img->width + x) * nc;
        double       v = nc >= 3 ? (channel >= 0 ? (double) p[channel]
                                    : ((double) p[0] + p[1] + p[2]) / 3.0)
                                 : p[0];
        double       a = nc == 2 ? p[1] : nc == 4 ? p[3] : 1.0;

        v = (v > 0 ? v : 0) * (a > 0 ? a : 0);
        k->data[(size_t) y * k->width + x] = (float) v;
        sum += v;
      }
  skc_image_free (img);
  if (!(sum > 0))
    {
      skc_kernel_free (k);
      return SKC_ERR_EMPTY;
    }
  for (size_t i = 0; i < (size_t) k->width * k->height; i++)
    k->data[i] = (float) (k->data[i] / sum);
  *out = k;
  return SKC_OK;
}

static SkcStatus
kernel_for (const Options *o, SkcKernel **out)
{
  SkcShapeParams p;
  SkcImage      *img = NULL;
  SkcKernel     *k = NULL;
  SkcStatus      s;
  float          angle = (float) (o->rotation * M_PI / 180.0);

  if (o->shape)
    {
      s = shape_params (o, &p);
      if (s == SKC_OK)
        s = skc_family_target (&p, NULL, (float) o->size, angle, out);
      return s;
    }
  if (o->size <= 0 && angle == 0.0f)
    return image_kernel (o->kernel_image, out);
  s = skc_image_load (o->kernel_image, &img);
  if (s == SKC_OK)
    s = skc_kernel_from_image (img, &k);
  skc_image_free (img);
  if (s != SKC_OK)
    return s;
  if (o->size <= 0)
    {
      int side = k->width > k->height ? k->width : k->height;

      s = skc_family_target (NULL, k, (float) (side > 3 ? side - 2 : 1),
                             angle, out);
    }
  else
    s = skc_family_target (NULL, k, (float) o->size, angle, out);
  skc_kernel_free (k);
  return s;
}

/* The complex of --skc, its offsets scaled from its own diameter (its
 * target's side - 2) to --size and turned by --rotation, here. */
static SkcStatus
complex_for (const Options *o, SkcComplex **out)
{
  SkcComplex *c = NULL;
  char        err[256] = "";
  SkcStatus   s;
  int         side;
  double      own;

  s = skc_complex_load (o->skc, &c, err, sizeof err);
  if (s != SKC_OK)
    {
      fprintf (stderr, "gegl-reference: %s: %s\n", o->skc, err);
      return s;
    }
  side = c->target_width > c->target_height ? c->target_width : c->target_height;
  own = side > 3 ? side - 2.0 : 1.0;
  *out = truth_turn (c, o->size > 0 ? o->size / own : 1.0,
                     o->rotation * M_PI / 180.0);
  skc_complex_free (c);
  return *out ? SKC_OK : SKC_ERR_NOMEM;
}


/* The field for --vary, per pixel (size, angle), from the modes' meaning
 * (skc.h, SkcVaryParams; plug-ins/PROPERTIES.md), for an input of w x h
 * at the origin, pixel (x, y) at (x, y), y down, c the centre:
 *   map         size = S clamp01 (|m - focus| / range) (m the map's gray
 *               as stored, clamped to the map; not finite: 0)
 *   tilt-shift  d = |(x - cx) sin a + (y - cy) cos a|,
 *               size = S clamp01 ((d - width / 2) / falloff)
 *   spin, zoom  r = |p - c|, phi = atan2 (cy - y, x - cx),
 *               size = S clamp01 (r / radius), angle = rotation + phi
 *               (+ pi / 2 for spin)
 * and angle = rotation elsewhere. */
static double
clamp01 (double v)
{
  return v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v;
}

static SkcStatus
vary_field (const Options *o, int w, int h, float **out)
{
  SkcImage *map = NULL;
  float    *field;
  double    S = o->size, rot = o->rotation * M_PI / 180.0;
  double    cx = o->center[0] * w, cy = o->center[1] * h;
  double    sn = sin (o->angle * M_PI / 180.0), cs = cos (o->angle * M_PI / 180.0);
  int       is_map = strcmp (o->vary, "map") == 0;
  int       tilt = strcmp (o->vary, "tilt-shift") == 0;
  int       spin = strcmp (o->vary, "spin") == 0;
  int       zoom = strcmp (o->vary, "zoom") == 0;
  SkcStatus s;

  *out = NULL;
  if (!is_map && !tilt && !spin && !zoom)
    return SKC_ERR_INVALID;
  if (is_map && (!o->map_path || (s = skc_image_load (o->map_path, &map)) != SKC_OK))
    return o->map_path ? s : SKC_ERR_INVALID;
  field = malloc (sizeof *field * 2 * (size_t) w * h);
  if (!field)
    {
      skc_image_free (map);
      return SKC_ERR_NOMEM;
    }
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        double dx = x - cx, dy = y - cy, size = S, angle = rot;

        if (is_map)
          {
            int    mx = x < map->width ? x : map->width - 1;
            int    my = y < map->height ? y : map->height - 1;
            double m = map->data[((size_t) my * map->width + mx) * map->channels];

            size = isfinite (m) ? S * clamp01 (fabs (m - o->focus) / o->range) : 0.0;
          }
        else if (tilt)
          size = S * clamp01 ((fabs (dx * sn + dy * cs) - 0.5 * o->band_width)
                              / o->falloff);
        else
          {
            size = S * clamp01 (hypot (dx, dy) / o->radius);
            angle += atan2 (-dy, dx) + (spin ? 0.5 * M_PI : 0.0);
          }
        field[2 * ((size_t) y * w + x)] = (float) size;
        field[2 * ((size_t) y * w + x) + 1] = (float) angle;
      }
  skc_image_free (map);
  *out = field;
  return SKC_OK;
}

static int
sampled (const Options *o, int x, int y)
{
  return o->stride <= 1 || (x % o->stride == 0 && y % o->stride == 0);
}

/* One pixel of the dense convolution of RGBA @in (w x h, clamped
 * borders) with @k at (x, y), into @out. */
static void
gather_clamped (const float *in, int w, int h, int x, int y,
                const SkcKernel *k, float *out)
{
  double acc[4] = { 0, 0, 0, 0 };

  for (int j = 0; j < k->height; j++)
    for (int u = 0; u < k->width; u++)
      {
        float        wt = k->data[j * k->width + u];
        int          sx = x - (u - k->width / 2);
        int          sy = y - (j - k->height / 2);
        const float *q;

        if (wt == 0.0f)
          continue;
        sx = sx < 0 ? 0 : sx >= w ? w - 1 : sx;
        sy = sy < 0 ? 0 : sy >= h ? h - 1 : sy;
        q = in + 4 * ((size_t) sy * w + sx);
        for (int c = 0; c < 4; c++)
          acc[c] += wt * q[c];
      }
  for (int c = 0; c < 4; c++)
    out[c] = (float) acc[c];
}

/* Dense per-pixel truth: every sampled pixel gets the family's dense
 * target at its own (size, angle), gathered with clamped borders; size 0
 * is the pixel itself.  Kernels are made once per size in 1/8 px and
 * angle in 1/2 degree (far below what 8-bit output shows: at most 0.03 px
 * of displacement 10 px from the centre). */
#define SIZE_STEPS  8
#define ANGLE_STEPS 720

static SkcStatus
reference_vary (const Options *o, const float *in, int w, int h, float *ref)
{
  SkcShapeParams p;
  SkcKernel     *user = NULL, **cache = NULL;
  SkcImage      *img = NULL;
  float         *field = NULL;
  int            n_sizes = (int) ceil (o->size * SIZE_STEPS) + 2;
  SkcStatus      s;

  if (o->shape)
    s = shape_params (o, &p);
  else if ((s = skc_image_load (o->kernel_image, &img)) == SKC_OK)
    s = skc_kernel_from_image (img, &user);
  skc_image_free (img);
  if (s == SKC_OK)
    s = vary_field (o, w, h, &field);
  if (s == SKC_OK
      && !(cache = calloc ((size_t) n_sizes * ANGLE_STEPS, sizeof *cache)))
    s = SKC_ERR_NOMEM;
  for (int y = 0; s == SKC_OK && y < h; y++)
    for (int x = 0; s == SKC_OK && x < w; x++)
      {
        size_t     i = (size_t) y * w + x;
        long       si = lrint (field[2 * i] * SIZE_STEPS);
        double     deg = field[2 * i + 1] * 180.0 / M_PI;
        long       ai = ((lrint (deg * ANGLE_STEPS / 360.0) % ANGLE_STEPS)
                         + ANGLE_STEPS) % ANGLE_STEPS;
        SkcKernel **k;

        if (!sampled (o, x, y))
          continue;
        if (si <= 0)
          {
            memcpy (ref + 4 * i, in + 4 * i, 4 * sizeof *ref);
            continue;
          }
        if (si >= n_sizes)
          si = n_sizes - 1;
        k = &cache[(size_t) si * ANGLE_STEPS + ai];
        if (!*k)
          s = skc_family_target (o->shape ? &p : NULL, user,
                                 (float) si / SIZE_STEPS,
                                 (float) (ai * 2.0 * M_PI / ANGLE_STEPS), k);
        if (s != SKC_OK)
          break;
        gather_clamped (in, w, h, x, y, *k, ref + 4 * i);
      }
  if (cache)
    for (size_t i = 0; i < (size_t) n_sizes * ANGLE_STEPS; i++)
      skc_kernel_free (cache[i]);
  free (cache);
  skc_kernel_free (user);
  free (field);
  return s;
}

/* The cat's eye's truth on the sampled pixels (tests/lens-truth.h): the
 * kernel turned by the pixel's direction (made once per 1/4 degree),
 * cut for its clip. */
#define CATEYE_ANGLE_STEPS 1440

static SkcStatus
reference_cateye (const Options *o, const float *in, int w, int h,
                  float *ref)
{
  SkcShapeParams p;
  SkcKernel     *user = NULL, **cache, *k = NULL;
  SkcImage      *img = NULL;
  SkcStatus      s;

  if (o->shape)
    s = shape_params (o, &p);
  else if ((s = skc_image_load (o->kernel_image, &img)) == SKC_OK)
    s = skc_kernel_from_image (img, &user);
  skc_image_free (img);
  cache = calloc (CATEYE_ANGLE_STEPS, sizeof *cache);
  if (s == SKC_OK && !cache)
    s = SKC_ERR_NOMEM;
  for (int y = 0; s == SKC_OK && y < h; y++)
    for (int x = 0; s == SKC_OK && x < w; x++)
      {
        size_t i = (size_t) y * w + x;
        double c, a;
        long   ai;

        if (!sampled (o, x, y))
          continue;
        lens_truth_clip (0.5 * (w - 1), 0.5 * (h - 1), 0.5 * hypot (w, h),
                         o->cateye[0], o->cateye[1], x, y, &c, &a);
        ai = ((lrint (a * CATEYE_ANGLE_STEPS / (2 * M_PI))
               % CATEYE_ANGLE_STEPS) + CATEYE_ANGLE_STEPS) % CATEYE_ANGLE_STEPS;
        a = ai * 2 * M_PI / CATEYE_ANGLE_STEPS;
        if (!cache[ai])
          s = skc_kernel_target (o->shape ? &p : NULL, user, (float) o->size,
                                 (float) (o->rotation * M_PI / 180.0 + a),
                                 &cache[ai]);
        if (s == SKC_OK)
          s = skc_kernel_copy (cache[ai], &k);
        if (s != SKC_OK)
          break;
        lens_truth_cut (k, (float) o->size, c, a);
        gather_clamped (in, w, h, x, y, k, ref + 4 * i);
        skc_kernel_free (k);
        k = NULL;
      }
  for (int i = 0; cache && i < CATEYE_ANGLE_STEPS; i++)
    skc_kernel_free (cache[i]);
  free (cache);
  skc_kernel_free (user);
  return s;
}

static SkcStatus
reference (const Options *o, const float *in, int w, int h, float *ref)
{
  size_t      n = (size_t) w * h;
  float      *src = malloc (n * sizeof *src), *dst = malloc (n * sizeof *dst);
  SkcKernel  *k = NULL;
  SkcComplex *c = NULL;
  SkcStatus   s = SKC_OK;

  if (!src || !dst)
    s = SKC_ERR_NOMEM;
  else if (o->vary)
    {
      free (src);
      free (dst);
      return reference_vary (o, in, w, h, ref);
    }
  else if (o->has_cateye)
    {
      free (src);
      free (dst);
      return reference_cateye (o, in, w, h, ref);
    }
  else if (o->error_pattern)
    {
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          {
            float *p = ref + ((size_t) y * w + x) * 4;

            p[0] = p[2] = ((x / 16 + y / 16) & 1) ? 1.0f : 0.0f;
            p[1] = 0.0f;
            p[3] = 1.0f;
          }
      free (src);
      free (dst);
      return SKC_OK;
    }
  else if (o->skc)
    s = complex_for (o, &c);
  else if (!o->identity)
    s = kernel_for (o, &k);
  for (int ch = 0; s == SKC_OK && ch < 4; ch++)
    {
      if (o->kernel_colour)
        {
          /* this channel's own kernel (alpha as green) */
          skc_kernel_free (k);
          k = NULL;
          s = image_kernel_channel (o->kernel_image, ch < 3 ? ch : 1, &k);
          if (s != SKC_OK)
            break;
        }
      else if (o->chroma != 0.0 && o->shape)
        {
          /* this channel's own diameter (blue as red, alpha as green) */
          Options oc = *o;
          double  a = o->chroma;

          oc.size = ch % 2 ? (a > 0 ? o->size * (1 - a) : o->size)
                            : (a < 0 ? o->size * (1 + a) : o->size);
          skc_kernel_free (k);
          k = NULL;
          s = kernel_for (&oc, &k);
          if (s != SKC_OK)
            break;
        }
      for (size_t i = 0; i < n; i++)
        src[i] = in[i * 4 + ch];
      if (o->identity)
        memcpy (dst, src, n * sizeof *dst);
      else if (c)
        truth_apply (c, src, w, h, dst);
      else
        truth_convolve (src, w, h, k, o->stride, dst);
      for (size_t i = 0; i < n; i++)
        ref[i * 4 + ch] = dst[i];
    }
  skc_kernel_free (k);
  skc_complex_free (c);
  free (src);
  free (dst);
  return s;
}

/* sRGB code value (0..255) of a premultiplied linear pixel's channel. */
static double
code (const float *p, int ch)
{
  double a = p[3], v;

  if (ch == 3)
    return 255.0 * a;
  v = a > 1e-6 ? p[ch] / a : 0.0;
  v = v < 0 ? 0 : v > 1 ? 1 : v;
  return 255.0 * skc_linear_to_srgb ((float) v);
}

/* Put the crop *@test into an image of INPUT's size at --at (the rest
 * is never compared); FALSE when it does not fit. */
static int
place_crop (Options *o, int w, int h, SkcImage **test)
{
  SkcImage *crop = *test, *full = NULL;
  int       cw = crop->width, ch = crop->height, n = crop->channels;

  if (o->at[0] < 0 || o->at[1] < 0 || o->at[0] + cw > w || o->at[1] + ch > h
      || skc_image_new (w, h, n, &full) != SKC_OK)
    return 0;
  for (int y = 0; y < ch; y++)
    memcpy (full->data + ((size_t) (o->at[1] + y) * w + o->at[0]) * n,
            crop->data + (size_t) y * cw * n, sizeof (float) * cw * n);
  o->crop[0] = cw;
  o->crop[1] = ch;
  skc_image_free (crop);
  *test = full;
  return 1;
}

/* compare's options, from one table: a flag, a word, or @count numbers
 * (integers) separated by commas in @words argv words (--highlights T G:
 * two words of one number each); @given, if not NULL, set to 1. */
typedef enum { ARG_FLAG, ARG_WORD, ARG_NUMBERS, ARG_INTEGERS } ArgKind;

typedef struct
{
  const char *name;
  ArgKind     kind;
  int         count, words;
  void       *dest;
  int        *given;
} Arg;

static int
parse_args (const Arg *args, int argc, char **argv)
{
  for (int i = 0; i < argc; i++)
    {
      const Arg *a = args;

      while (a->name && strcmp (a->name, argv[i]) != 0)
        a++;
      if (!a->name)
        {
          fprintf (stderr, "gegl-reference: unknown option '%s'\n", argv[i]);
          return 0;
        }
      if (i + a->words >= argc)
        {
          fprintf (stderr, "gegl-reference: %s needs %s\n", a->name,
                   a->words > 1 ? "more values" : "a value");
          return 0;
        }
      for (int w = 0; w < a->words; w++)
        {
          const char *v = argv[i + 1 + w];
          int         n = a->count / a->words;

          if (a->kind == ARG_WORD)
            *(const char **) a->dest = v;
          else if (a->kind == ARG_NUMBERS)
            numbers (v, a->name, n, 0, (double *) a->dest + w * n);
          else
            integers (v, a->name, n, (int *) a->dest + w * n);
        }
      if (a->kind == ARG_FLAG)
        *(int *) a->dest = 1;
      if (a->given)
        *a->given = 1;
      i += a->words;
    }
  return 1;
}

static int
compare (int argc, char **argv)
{
  Options   o = { 0 };
  SkcImage *in_img = NULL, *test_img = NULL;
  float    *in, *test, *ref;
  SkcStatus s;
  size_t    n;
  int       w, h, x0, y0, x1, y1, failed = 0;
  double    se = 0.0, max_diff = 0.0, psnr;
  double    se_ch[4] = { 0.0, 0.0, 0.0, 0.0 };
  long      count = 0;

  if (argc < 4)
    {
      fprintf (stderr, "usage: gegl-reference compare INPUT TEST REFERENCE [options]\n");
      return 2;
    }
  o.min_psnr = -INFINITY;
  o.max_diff = INFINITY;
  o.curvature = -1.0;
  o.center[0] = o.center[1] = 0.5;
  o.band_width = 60.0;
  o.falloff = 150.0;
  o.radius = 300.0;
  o.range = 1.0;
  o.stride = 1;
  {
    const Arg args[] = {
      { "--identity",      ARG_FLAG,     0, 0, &o.identity, NULL },
      { "--error-pattern", ARG_FLAG,     0, 0, &o.error_pattern, NULL },
      { "--per-channel",   ARG_FLAG,     0, 0, &o.per_channel, NULL },
      { "--kernel-colour", ARG_FLAG,     0, 0, &o.kernel_colour, NULL },
      { "--highlights",    ARG_NUMBERS,  2, 2, o.highlights, NULL },
      { "--shape",         ARG_WORD,     1, 1, &o.shape, NULL },
      { "--kernel-image",  ARG_WORD,     1, 1, &o.kernel_image, NULL },
      { "--skc",           ARG_WORD,     1, 1, &o.skc, NULL },
      { "--size",          ARG_NUMBERS,  1, 1, &o.size, NULL },
      { "--rotation",      ARG_NUMBERS,  1, 1, &o.rotation, NULL },
      { "--min-psnr",      ARG_NUMBERS,  1, 1, &o.min_psnr, NULL },
      { "--max-diff",      ARG_NUMBERS,  1, 1, &o.max_diff, NULL },
      { "--diff",          ARG_WORD,     1, 1, &o.diff_path, NULL },
      { "--blades",        ARG_INTEGERS, 1, 1, &o.blades, NULL },
      { "--curvature",     ARG_NUMBERS,  1, 1, &o.curvature, NULL },
      { "--vary",          ARG_WORD,     1, 1, &o.vary, NULL },
      { "--center",        ARG_NUMBERS,  2, 1, o.center, NULL },
      { "--angle",         ARG_NUMBERS,  1, 1, &o.angle, NULL },
      { "--band-width",    ARG_NUMBERS,  1, 1, &o.band_width, NULL },
      { "--falloff",       ARG_NUMBERS,  1, 1, &o.falloff, NULL },
      { "--radius",        ARG_NUMBERS,  1, 1, &o.radius, NULL },
      { "--map",           ARG_WORD,     1, 1, &o.map_path, NULL },
      { "--focus",         ARG_NUMBERS,  1, 1, &o.focus, NULL },
      { "--range",         ARG_NUMBERS,  1, 1, &o.range, NULL },
      { "--chroma",        ARG_NUMBERS,  1, 1, &o.chroma, NULL },
      { "--cateye",        ARG_NUMBERS,  2, 1, o.cateye, &o.has_cateye },
      { "--stride",        ARG_INTEGERS, 1, 1, &o.stride, NULL },
      { "--at",            ARG_INTEGERS, 2, 1, o.at, &o.has_at },
      { "--region",        ARG_INTEGERS, 4, 1, o.region, &o.has_region },
      { NULL }
    };

    if (!parse_args (args, argc - 4, argv + 4))
      return 2;
  }
  if (!o.identity + !o.shape + !o.kernel_image + !o.skc + !o.error_pattern
      != 4)
    {
      fprintf (stderr, "gegl-reference: give one of --shape, --kernel-image, "
               "--skc, --identity, --error-pattern\n");
      return 2;
    }
  if (o.vary && (o.skc || o.identity || o.error_pattern || !(o.size > 0)))
    {
      fprintf (stderr, "gegl-reference: --vary needs --shape or "
               "--kernel-image, and --size\n");
      return 2;
    }
  if (o.shape && !(o.size > 0))
    {
      fprintf (stderr, "gegl-reference: --shape needs --size\n");
      return 2;
    }

  if ((s = skc_image_load (argv[2], &in_img)) != SKC_OK)
    return die ("cannot load", argv[2], s);
  if ((s = skc_image_load (argv[3], &test_img)) != SKC_OK)
    return die ("cannot load", argv[3], s);
  w = in_img->width;
  h = in_img->height;
  if (o.has_at && !place_crop (&o, w, h, &test_img))
    {
      fprintf (stderr, "gegl-reference: %s does not fit in %s at %d,%d\n",
               argv[3], argv[2], o.at[0], o.at[1]);
      return 1;
    }
  if (test_img->width != w || test_img->height != h)
    {
      fprintf (stderr, "gegl-reference: %s is %dx%d, %s is %dx%d\n", argv[2],
               w, h, argv[3], test_img->width, test_img->height);
      return 1;
    }
  n = (size_t) w * h;
  in = to_linear_rgba (in_img);
  test = to_linear_rgba (test_img);
  ref = calloc (n * 4, sizeof *ref);
  if (!in || !test || !ref)
    return die ("out of memory", NULL, SKC_ERR_NOMEM);
  if (o.highlights[1] > 0.0)
    /* the boost (skc.h): a linear value v above the threshold t becomes
     * v + gain (v - t), in R, G and B */
    for (size_t i = 0; i < n; i++)
      for (int ch = 0; ch < 3; ch++)
        if (in[4 * i + ch] > (float) o.highlights[0])
          in[4 * i + ch] += (float) o.highlights[1]
                            * (in[4 * i + ch] - (float) o.highlights[0]);
  if ((s = reference (&o, in, w, h, ref)) != SKC_OK)
    return die ("cannot compute the reference", NULL, s);
  /* TEST went through an integer file: clamp as its encoder did. */
  for (size_t i = 0; i < n; i++)
    {
      float *p = ref + i * 4;

      p[3] = p[3] < 0.0f ? 0.0f : p[3] > 1.0f ? 1.0f : p[3];
      for (int ch = 0; ch < 3; ch++)
        p[ch] = p[ch] < 0.0f ? 0.0f : p[ch] > p[3] ? p[3] : p[ch];
    }

  x0 = o.has_region ? o.region[0] : 0;
  y0 = o.has_region ? o.region[1] : 0;
  x1 = o.has_region ? x0 + o.region[2] : w;
  y1 = o.has_region ? y0 + o.region[3] : h;
  if (o.has_at)
    {
      x0 = x0 > o.at[0] ? x0 : o.at[0];
      y0 = y0 > o.at[1] ? y0 : o.at[1];
      x1 = x1 < o.at[0] + o.crop[0] ? x1 : o.at[0] + o.crop[0];
      y1 = y1 < o.at[1] + o.crop[1] ? y1 : o.at[1] + o.crop[1];
    }
  x0 = x0 < 0 ? 0 : x0;
  y0 = y0 < 0 ? 0 : y0;
  x1 = x1 > w ? w : x1;
  y1 = y1 > h ? h : y1;
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      for (int ch = 0; ch < 4 && sampled (&o, x, y); ch++)
        {
          size_t i = ((size_t) y * w + x) * 4;
          double d = (double) test[i + ch] - ref[i + ch];
          double dc = fabs (code (test + i, ch) - code (ref + i, ch));

          se += d * d;
          se_ch[ch] += d * d;
          count++;
          max_diff = dc > max_diff ? dc : max_diff;
        }
  psnr = count == 0 ? NAN : se == 0.0 ? INFINITY
         : 10.0 * log10 (count / se);
  printf ("PSNR %.2f dB (linear light), max diff %.2f (8-bit sRGB codes) "
          "over %dx%d at %d,%d%s\n", psnr, max_diff, x1 - x0, y1 - y0, x0, y0,
          o.stride > 1 ? " (sampled)" : "");
  if (o.per_channel)
    {
      /* each colour channel on its own; the floor holds for the worst */
      double worst = INFINITY;

      printf ("PSNR per channel (R, G, B):");
      for (int ch = 0; ch < 3; ch++)
        {
          double p = count == 0 ? NAN : se_ch[ch] == 0.0 ? INFINITY
                     : 10.0 * log10 (count / 4.0 / se_ch[ch]);

          printf (" %.2f", p);
          worst = p < worst ? p : worst;
        }
      printf (" dB\n");
      psnr = worst;
    }
  if (!(psnr >= o.min_psnr))
    {
      printf ("FAIL: PSNR %.2f dB below %.2f dB\n", psnr, o.min_psnr);
      failed = 1;
    }
  if (!(max_diff <= o.max_diff))
    {
      printf ("FAIL: max diff %.2f above %.2f\n", max_diff, o.max_diff);
      failed = 1;
    }

  if (o.diff_path)
    {
      SkcImage *d = NULL;

      if (skc_image_new (w, h, 3, &d) == SKC_OK)
        {
          for (size_t i = 0; i < n; i++)
            for (int ch = 0; ch < 3; ch++)
              {
                double v = fabs (code (test + i * 4, ch) - code (ref + i * 4, ch))
                           * 16.0 / 255.0;

                d->data[i * 3 + ch] = (float) (v > 1 ? 1 : v);
              }
          if ((s = skc_image_save (d, o.diff_path)) != SKC_OK)
            die ("cannot write", o.diff_path, s);
        }
      skc_image_free (d);
    }
  skc_image_free (in_img);
  skc_image_free (test_img);
  free (in);
  free (test);
  free (ref);
  return failed;
}

/* The image-making commands: gegl-reference NAME W H OUT.png, or NAME
 * SIDE OUT.png for a square (@square): an image of @channels drawn by
 * @draw on black, saved. */
typedef void (*DrawFunc) (SkcImage *img);

static int
make_image (int argc, char **argv, int square, int channels, DrawFunc draw)
{
  const char *out = argv[square ? 3 : 4];
  SkcImage   *img = NULL;
  SkcStatus   s;
  int         w, h;

  if (argc != (square ? 4 : 5))
    {
      fprintf (stderr, "usage: gegl-reference %s %s OUT.png\n", argv[1],
               square ? "SIDE" : "W H");
      return 2;
    }
  w = (int) number (argv[2], square ? "side" : "width");
  h = square ? w : (int) number (argv[3], "height");
  if ((s = skc_image_new (w, h, channels, &img)) != SKC_OK)
    return die ("cannot make", out, s);
  draw (img);
  s = skc_image_save (img, out);
  skc_image_free (img);
  return s == SKC_OK ? 0 : die ("cannot write", out, s);
}

/* half-map: a gray map, black on the left half, white on the right. */
static void
draw_half_map (SkcImage *img)
{
  for (int y = 0; y < img->height; y++)
    for (int x = 0; x < img->width; x++)
      img->data[(size_t) y * img->width + x] = x < img->width / 2 ? 0.0f
                                                                   : 1.0f;
}

/* ramp-map: a gray map, black to white left to right in 8-bit steps. */
static void
draw_ramp_map (SkcImage *img)
{
  int w = img->width;

  for (int y = 0; y < img->height; y++)
    for (int x = 0; x < w; x++)
      img->data[(size_t) y * w + x]
        = (float) (lrint (255.0 * x / (w > 1 ? w - 1 : 1)) / 255.0);
}

/* stars: point lights at night (sRGB-encoded RGB): a dark sky and one
 * saturated light of 1 to 9 pixels per 300 pixels, some dimmer, at fixed
 * pseudo-random places. */
static void
draw_stars (SkcImage *img)
{
  uint32_t seed = 2024;
  int      w = img->width, h = img->height;

  for (size_t i = 0; i < (size_t) w * h * 3; i++)
    img->data[i] = 0.05f + 0.05f * (float) (i % 3);
  for (int n = 0; n < w * h / 300; n++)
    {
      int   x, y, r;
      float v;

      seed = seed * 1664525u + 1013904223u;
      x = (int) (seed >> 8) % w;
      seed = seed * 1664525u + 1013904223u;
      y = (int) (seed >> 8) % h;
      r = (int) (seed >> 4) % 2;
      v = n % 3 == 0 ? 0.7f : 1.0f;
      for (int yy = y - r; yy <= y + r; yy++)
        for (int xx = x - r; xx <= x + r; xx++)
          if (xx >= 0 && yy >= 0 && xx < w && yy < h)
            for (int c = 0; c < 3; c++)
              img->data[3 * ((size_t) yy * w + xx) + c] = v;
    }
}

/* brush: a thin pen kernel (gray): a 1 px quarter circle and two 1 px
 * strokes off the centre, as a drawn brush. */
static void
draw_brush (SkcImage *img)
{
  int n = img->width;

  for (int a = 0; a <= 4 * n; a++)
    {
      double t = a / (4.0 * n) * M_PI / 2;
      int    x = (int) lround (n / 2 + 0.4 * n * cos (t));
      int    y = (int) lround (n / 2 - 0.4 * n * sin (t));

      img->data[(size_t) y * n + x] = 1.0f;
    }
  for (int i = 2; i < n - 2; i++)
    {
      img->data[(size_t) (n - 4) * n + i] = 0.8f;           /* a bottom stroke */
      if (i < n / 2)
        img->data[(size_t) i * n + 3 + i / 4] = 0.6f;      /* a slanted one */
    }
}

/* colour-kernel: a kernel image with colour (RGB, SIDE x SIDE): red a
 * disk, green a ring, blue a heart, each drawn by the core's shape
 * renderer and scaled to peak 1. */
static void
draw_colour_kernel (SkcImage *img)
{
  const char *names[3] = { "disk", "ring", "heart" };
  int         side = img->width;
  SkcStatus   s = SKC_OK;

  for (int ch = 0; ch < 3 && s == SKC_OK; ch++)
    {
      SkcShapeParams p;
      SkcKernel     *k = NULL;
      float          peak = 0.0f;

      s = skc_shape_params_from_name (names[ch], &p);
      p.side_px = side;
      if (s == SKC_OK)
        s = skc_shape_render (&p, &k);
      for (int i = 0; s == SKC_OK && i < side * side; i++)
        peak = k->data[i] > peak ? k->data[i] : peak;
      for (int i = 0; s == SKC_OK && i < side * side; i++)
        img->data[3 * i + ch] = peak > 0.0f ? k->data[i] / peak : 0.0f;
      skc_kernel_free (k);
    }
  if (s != SKC_OK)
    exit (die ("cannot draw", "the colour kernel", s));
}

/* gegl-reference nudge IN.png X Y OUT.png (see the top). */
static int
make_nudge (int argc, char **argv)
{
  SkcImage *img = NULL;
  SkcStatus s;
  int       x, y;
  float    *v;

  if (argc != 6)
    {
      fprintf (stderr, "usage: gegl-reference nudge IN.png X Y OUT.png\n");
      return 2;
    }
  if ((s = skc_image_load (argv[2], &img)) != SKC_OK)
    return die ("cannot load", argv[2], s);
  x = (int) number (argv[3], "x");
  y = (int) number (argv[4], "y");
  if (x < 0 || y < 0 || x >= img->width || y >= img->height)
    {
      fprintf (stderr, "gegl-reference: %d,%d is outside %s (%dx%d)\n", x,
               y, argv[2], img->width, img->height);
      skc_image_free (img);
      return 2;
    }
  v = img->data + ((size_t) y * img->width + x) * img->channels;
  *v = (float) ((lrintf (*v * 255.0f) + (*v < 1.0f ? 1 : -1)) / 255.0);
  s = skc_image_save (img, argv[5]);
  skc_image_free (img);
  return s == SKC_OK ? 0 : die ("cannot write", argv[5], s);
}

int
main (int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "compare") == 0)
    return compare (argc, argv);
  if (argc >= 2 && strcmp (argv[1], "half-map") == 0)
    return make_image (argc, argv, 0, 1, draw_half_map);
  if (argc >= 2 && strcmp (argv[1], "ramp-map") == 0)
    return make_image (argc, argv, 0, 1, draw_ramp_map);
  if (argc >= 2 && strcmp (argv[1], "stars") == 0)
    return make_image (argc, argv, 0, 3, draw_stars);
  if (argc >= 2 && strcmp (argv[1], "colour-kernel") == 0)
    return make_image (argc, argv, 1, 3, draw_colour_kernel);
  if (argc >= 2 && strcmp (argv[1], "brush") == 0)
    return make_image (argc, argv, 1, 1, draw_brush);
  if (argc >= 2 && strcmp (argv[1], "nudge") == 0)
    return make_nudge (argc, argv);
  fprintf (stderr, "usage: gegl-reference compare INPUT TEST REFERENCE [options]\n"
                   "       gegl-reference half-map W H OUT.png\n"
                   "       gegl-reference ramp-map W H OUT.png\n"
                   "       gegl-reference stars W H OUT.png\n"
                   "       gegl-reference brush SIDE OUT.png\n"
                   "       gegl-reference nudge IN.png X Y OUT.png\n"
                   "       gegl-reference colour-kernel SIDE OUT.png\n");
  return 2;
}
