/* Unit tests of dense kernels and procedural shapes.
 *
 * Shapes are checked against closed-form geometry.  A rendered binary shape
 * is normalised coverage, so an interior pixel holds 1 / (covered area):
 * 1 / peak is the shape's area in pixels, compared with the analytic area of
 * the disk, n-gon, curved-blade iris, ring, star and heart.  Centres of mass
 * and second moments are compared with their analytic values (a pixel box
 * adds 1/12 to each variance); symmetry tests compare a kernel with its own
 * mirror images; the coma's brightness model is tested through the
 * difference of its two variances, which the model fixes.
 */
#include "test-common.h"

#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

typedef struct
{
  double mx, my;  /* centre of mass relative to the kernel centre */
  double vx, vy;  /* central second moments                       */
} Moments;

static Moments
moments (const SkcKernel *k)
{
  Moments m = { 0, 0, 0, 0 };
  double  s = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
  int     c = k->width / 2, x, y;

  for (y = 0; y < k->height; y++)
    for (x = 0; x < k->width; x++)
      {
        double w = k->data[y * k->width + x];
        double dx = x - c, dy = y - k->height / 2;

        s += w;
        sx += w * dx;
        sy += w * dy;
        sxx += w * dx * dx;
        syy += w * dy * dy;
      }
  m.mx = sx / s;
  m.my = sy / s;
  m.vx = sxx / s - m.mx * m.mx;
  m.vy = syy / s - m.my * m.my;
  return m;
}

/* Sum of |K (p) - K (mirror (p))|: mode 0 point mirror, 1 left-right,
 * 2 top-bottom. */
static double
asymmetry (const SkcKernel *k, int mode)
{
  double d = 0.0;
  int    w = k->width, h = k->height, x, y;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        int mx = mode == 2 ? x : w - 1 - x;
        int my = mode == 1 ? y : h - 1 - y;

        d += fabs (k->data[y * w + x] - k->data[my * w + mx]);
      }
  return d;
}

static double
max_abs_diff (const SkcKernel *a, const SkcKernel *b)
{
  double d = 0.0;
  int    i;

  for (i = 0; i < a->width * a->height; i++)
    if (fabs (a->data[i] - b->data[i]) > d)
      d = fabs (a->data[i] - b->data[i]);
  return d;
}

static SkcKernel *
render (SkcShapeParams p)
{
  SkcKernel *k = NULL;
  SkcStatus  s = skc_shape_render (&p, &k);

  CHECK (s == SKC_OK && k, "render %s size %d: %s", skc_shape_name (p.type),
         p.side_px, skc_status_string (s));
  return k;
}

static SkcKernel *
render_named (const char *name, int size, float rotation)
{
  SkcShapeParams p;

  CHECK_OK (skc_shape_params_from_name (name, &p));
  p.side_px = size;
  p.rotation_deg = rotation;
  return render (p);
}

/* ---------------------------------------------------------------- kernels */

static void
test_kernel_basics (void)
{
  SkcKernel *k = NULL, *k2 = NULL;
  int        i;

  CHECK (skc_kernel_new (4, 3, &k) == SKC_ERR_INVALID && !k, "even width");
  CHECK (skc_kernel_new (3, 0, &k) == SKC_ERR_INVALID, "zero height");
  CHECK (skc_kernel_new (-1, 3, &k) == SKC_ERR_INVALID, "negative width");
  CHECK (skc_kernel_new (SKC_MAX_KERNEL_SIZE + 2, 1, &k) == SKC_ERR_INVALID,
         "width over the limit");
  CHECK (skc_kernel_new (3, 3, NULL) == SKC_ERR_INVALID, "NULL out");
  CHECK_OK (skc_kernel_new (SKC_MAX_KERNEL_SIZE, 1, &k));
  skc_kernel_free (k);
  skc_kernel_free (NULL);

  CHECK_OK (skc_kernel_new (5, 3, &k));
  CHECK (k->width == 5 && k->height == 3, "size %dx%d", k->width, k->height);
  for (i = 0; i < 15; i++)
    CHECK (k->data[i] == 0.0f, "not zero-filled at %d", i);
  CHECK (skc_kernel_sum (k) == 0.0, "sum of zeros");
  CHECK (skc_kernel_radius (k) == 0.0f, "radius of zeros");
  CHECK (skc_kernel_normalize (k) == SKC_ERR_EMPTY, "normalize zero kernel");
  for (i = 0; i < 15; i++)
    CHECK (k->data[i] == 0.0f && !isnan (k->data[i]), "zero kernel changed");

  /* centre (2, 1); weights at offsets (2, 1) and (-1, 0) */
  k->data[1 * 5 + 2] = 1.0f;
  k->data[2 * 5 + 4] = 3.0f;
  k->data[1 * 5 + 1] = 4.0f;
  CHECK_NEAR (skc_kernel_sum (k), 8.0, 0.0, "sum");
  CHECK_NEAR (skc_kernel_peak (k), 4.0, 0.0, "peak");
  CHECK_NEAR (skc_kernel_radius (k), sqrt (5.0), 1e-6, "radius");
  CHECK_OK (skc_kernel_copy (k, &k2));
  CHECK (k2 && k2 != k && k2->data != k->data
         && memcmp (k2->data, k->data, 15 * sizeof (float)) == 0, "copy");
  CHECK_OK (skc_kernel_normalize (k));
  CHECK_NEAR (skc_kernel_sum (k), 1.0, 1e-7, "normalised sum");
  CHECK_NEAR (k->data[1 * 5 + 1], 0.5, 1e-7, "normalised weight");
  CHECK_NEAR (skc_kernel_sum (k2), 8.0, 0.0, "copy unaffected");
  skc_kernel_free (k2);

  /* negative total, NaN: no positive finite sum */
  memset (k->data, 0, 15 * sizeof (float));
  k->data[3] = -1.0f;
  CHECK (skc_kernel_normalize (k) == SKC_ERR_EMPTY, "negative kernel");
  CHECK (k->data[3] == -1.0f, "negative kernel changed");
  k->data[4] = NAN;
  CHECK (skc_kernel_normalize (k) == SKC_ERR_EMPTY, "NaN kernel");
  skc_kernel_free (k);

  CHECK (skc_kernel_copy (NULL, &k2) == SKC_ERR_INVALID && !k2, "copy NULL");
}

static void
test_kernel_images (void)
{
  SkcImage  *img = NULL;
  SkcKernel *k = NULL;
  int        x, y;

  /* all zero (and all negative) images have no mass */
  CHECK_OK (skc_image_new (3, 3, 1, &img));
  CHECK (skc_kernel_from_image (img, &k) == SKC_ERR_EMPTY && !k, "zero image");
  for (x = 0; x < 9; x++)
    img->data[x] = -0.5f;
  CHECK (skc_kernel_from_image (img, &k) == SKC_ERR_EMPTY && !k,
         "negative image");
  img->data[4] = NAN;
  CHECK (skc_kernel_from_image (img, &k) == SKC_ERR_INVALID && !k,
         "NaN pixel");
  skc_image_free (img);

  /* RGB: the mean of the channels; negative values clamp to zero */
  CHECK_OK (skc_image_new (3, 1, 3, &img));
  {
    const float v[9] = { 0.3f, 0.6f, 0.9f,  0.0f, 0.0f, 0.3f,
                         -0.9f, 0.0f, 0.3f };

    memcpy (img->data, v, sizeof v);
  }
  CHECK_OK (skc_kernel_from_image (img, &k));
  if (k)
    {
      CHECK (k->width == 3 && k->height == 1, "RGB kernel size");
      CHECK_NEAR (k->data[0], 0.6 / 0.7, 1e-6, "RGB mean 0");
      CHECK_NEAR (k->data[1], 0.1 / 0.7, 1e-6, "RGB mean 1");
      CHECK_NEAR (k->data[2], 0.0, 0.0, "negative mean clamps");
    }
  skc_kernel_free (k);
  skc_image_free (img);

  /* RGBA and gray+alpha: alpha multiplies */
  CHECK_OK (skc_image_new (1, 3, 4, &img));
  {
    const float v[12] = { 1, 1, 1, 0.25f,  0.5f, 0.5f, 0.5f, 1,
                          1, 1, 1, 0 };

    memcpy (img->data, v, sizeof v);
  }
  CHECK_OK (skc_kernel_from_image (img, &k));
  if (k)
    {
      CHECK_NEAR (k->data[0], 0.25 / 0.75, 1e-6, "RGBA alpha");
      CHECK_NEAR (k->data[1], 0.5 / 0.75, 1e-6, "RGBA opaque");
      CHECK_NEAR (k->data[2], 0.0, 0.0, "RGBA transparent");
    }
  skc_kernel_free (k);
  skc_image_free (img);

  CHECK_OK (skc_image_new (1, 1, 2, &img));
  img->data[0] = 0.8f;
  img->data[1] = 0.5f;
  CHECK_OK (skc_kernel_from_image (img, &k));
  CHECK (k && k->data[0] == 1.0f, "gray+alpha single pixel");
  skc_kernel_free (k);
  skc_image_free (img);

  /* Even sides: a zero column on the right and a zero row at the bottom,
   * so image pixel (w / 2, h / 2) lands on the kernel centre. */
  CHECK_OK (skc_image_new (4, 2, 1, &img));
  for (y = 0; y < 2; y++)
    for (x = 0; x < 4; x++)
      img->data[y * 4 + x] = (float) (1 + x + 4 * y);  /* sum 36 */
  CHECK_OK (skc_kernel_from_image (img, &k));
  if (k)
    {
      CHECK (k->width == 5 && k->height == 3, "padded to %dx%d", k->width,
             k->height);
      for (y = 0; y < 3; y++)
        for (x = 0; x < 5; x++)
          {
            double want = (x < 4 && y < 2) ? (1 + x + 4 * y) / 36.0 : 0.0;

            CHECK_NEAR (k->data[y * 5 + x], want, 1e-7, "padded kernel");
          }
      CHECK_NEAR (k->data[1 * 5 + 2], 7.0 / 36.0, 1e-7,
                  "pixel (w/2, h/2) on the centre");
    }
  skc_kernel_free (k);
  skc_image_free (img);

  CHECK_OK (skc_image_new (SKC_MAX_KERNEL_SIZE + 1, 1, 1, &img));
  img->data[0] = 1.0f;
  CHECK (skc_kernel_from_image (img, &k) == SKC_ERR_INVALID && !k,
         "image wider than a kernel can be");
  skc_image_free (img);
  CHECK (skc_kernel_from_image (NULL, &k) == SKC_ERR_INVALID, "NULL image");

  /* to_image: peak 1, one channel; an empty kernel cannot be scaled */
  CHECK_OK (skc_kernel_new (3, 3, &k));
  CHECK (skc_kernel_to_image (k, &img) == SKC_ERR_EMPTY && !img,
         "to_image of zeros");
  k->data[4] = 0.2f;
  k->data[0] = 0.05f;
  CHECK_OK (skc_kernel_to_image (k, &img));
  if (img)
    {
      CHECK (img->width == 3 && img->height == 3 && img->channels == 1,
             "to_image layout");
      CHECK_NEAR (img->data[4], 1.0, 0.0, "to_image peak");
      CHECK_NEAR (img->data[0], 0.25, 1e-7, "to_image scale");
    }
  skc_image_free (img);
  skc_kernel_free (k);
}

/* ---------------------------------------------------------------- params */

static void
test_params (void)
{
  static const struct
  {
    const char  *name;
    SkcShapeType type;
    int          blades;
  } names[] = {
    { "disk", SKC_SHAPE_DISK, 6 },          { "polygon", SKC_SHAPE_POLYGON, 6 },
    { "Triangle", SKC_SHAPE_POLYGON, 3 },   { "SQUARE", SKC_SHAPE_POLYGON, 4 },
    { "pentagon", SKC_SHAPE_POLYGON, 5 },   { "HeXaGoN", SKC_SHAPE_POLYGON, 6 },
    { "heptagon", SKC_SHAPE_POLYGON, 7 },   { "octagon", SKC_SHAPE_POLYGON, 8 },
    { "nonagon", SKC_SHAPE_POLYGON, 9 },    { "ring", SKC_SHAPE_RING, 6 },
    { "star", SKC_SHAPE_STAR, 6 },          { "Heart", SKC_SHAPE_HEART, 6 },
    { "gaussian", SKC_SHAPE_GAUSSIAN, 6 },  { "coma", SKC_SHAPE_COMA, 6 },
  };
  SkcShapeParams p;
  size_t         i;
  int            t;

  skc_shape_params_init (&p, SKC_SHAPE_POLYGON);
  CHECK (p.type == SKC_SHAPE_POLYGON && p.side_px == 49 && p.blades == 6
         && p.curvature == 0.0f && p.rotation_deg == 0.0f && p.sigma == 7.0f
         && fabsf (p.strength - 0.6f) < 1e-7f, "polygon defaults");
  skc_shape_params_init (&p, SKC_SHAPE_RING);
  CHECK_NEAR (p.inner, 0.7, 1e-7, "ring inner default");
  skc_shape_params_init (&p, SKC_SHAPE_STAR);
  CHECK_NEAR (p.inner, 0.45, 1e-7, "star inner default");

  for (i = 0; i < sizeof names / sizeof names[0]; i++)
    {
      memset (&p, 0xff, sizeof p);
      CHECK (skc_shape_params_from_name (names[i].name, &p) == SKC_OK
             && p.type == names[i].type && p.blades == names[i].blades
             && p.side_px == 49, "from_name %s", names[i].name);
    }
  CHECK (skc_shape_params_from_name ("ring", &p) == SKC_OK
         && fabsf (p.inner - 0.7f) < 1e-7f, "ring by name");
  CHECK (skc_shape_params_from_name ("star", &p) == SKC_OK
         && fabsf (p.inner - 0.45f) < 1e-7f, "star by name");
  CHECK (skc_shape_params_from_name ("bogus", &p) == SKC_ERR_INVALID,
         "unknown name");
  CHECK (skc_shape_params_from_name ("disk2", &p) == SKC_ERR_INVALID,
         "prefix match");
  CHECK (skc_shape_params_from_name ("", &p) == SKC_ERR_INVALID, "empty");
  CHECK (skc_shape_params_from_name (NULL, &p) == SKC_ERR_INVALID, "NULL");

  for (t = 0; t < SKC_SHAPE_COUNT; t++)
    CHECK (skc_shape_params_from_name (skc_shape_name (t), &p) == SKC_OK
           && (int) p.type == t, "name round trip %d", t);
  CHECK (strcmp (skc_shape_name (SKC_SHAPE_COUNT), "unknown") == 0,
         "name of a bad type");
}

static void
expect_invalid (SkcShapeParams p, const char *what)
{
  SkcKernel *k = (SkcKernel *) &p;  /* must be reset to NULL */

  CHECK (skc_shape_render (&p, &k) == SKC_ERR_INVALID && k == NULL,
         "%s accepted", what);
}

static void
test_invalid (void)
{
  SkcShapeParams p, q;
  SkcKernel     *k;

  skc_shape_params_init (&p, SKC_SHAPE_POLYGON);
  q = p; q.side_px = 0;                   expect_invalid (q, "size 0");
  q = p; q.side_px = -5;                  expect_invalid (q, "size -5");
  q = p; q.side_px = SKC_MAX_KERNEL_SIZE + 1; expect_invalid (q, "size 1026");
  q = p; q.blades = 2;                 expect_invalid (q, "2 blades");
  q = p; q.blades = 13;                expect_invalid (q, "13 blades");
  q = p; q.curvature = -0.01f;         expect_invalid (q, "curvature < 0");
  q = p; q.curvature = 1.01f;          expect_invalid (q, "curvature > 1");
  q = p; q.curvature = NAN;            expect_invalid (q, "curvature NaN");
  q = p; q.rotation_deg = NAN;             expect_invalid (q, "rotation NaN");
  q = p; q.rotation_deg = INFINITY;        expect_invalid (q, "rotation inf");
  q = p; q.type = SKC_SHAPE_COUNT;     expect_invalid (q, "type COUNT");
  q = p; q.type = (SkcShapeType) -1;   expect_invalid (q, "type -1");

  skc_shape_params_init (&p, SKC_SHAPE_RING);
  q = p; q.inner = 1.0f;               expect_invalid (q, "ring inner 1");
  q = p; q.inner = -0.1f;              expect_invalid (q, "ring inner < 0");
  q = p; q.inner = NAN;                expect_invalid (q, "ring inner NaN");

  skc_shape_params_init (&p, SKC_SHAPE_STAR);
  q = p; q.inner = 0.0f;               expect_invalid (q, "star inner 0");
  q = p; q.inner = 1.5f;               expect_invalid (q, "star inner 1.5");
  q = p; q.blades = 1;                 expect_invalid (q, "star 1 point");

  skc_shape_params_init (&p, SKC_SHAPE_GAUSSIAN);
  q = p; q.sigma = 0.0f;               expect_invalid (q, "sigma 0");
  q = p; q.sigma = -1.0f;              expect_invalid (q, "sigma < 0");
  q = p; q.sigma = NAN;                expect_invalid (q, "sigma NaN");
  q = p; q.sigma = INFINITY;           expect_invalid (q, "sigma inf");

  skc_shape_params_init (&p, SKC_SHAPE_COMA);
  q = p; q.strength = 1.5f;            expect_invalid (q, "strength 1.5");
  q = p; q.strength = -0.5f;           expect_invalid (q, "strength < 0");
  q = p; q.strength = NAN;             expect_invalid (q, "strength NaN");

  /* fields a shape does not use are not its business */
  skc_shape_params_init (&p, SKC_SHAPE_DISK);
  p.blades = 0;
  p.sigma = NAN;
  p.inner = 7.0f;
  CHECK_OK (skc_shape_render (&p, &k));
  skc_kernel_free (k);

  CHECK (skc_shape_render (NULL, &k) == SKC_ERR_INVALID && !k, "NULL params");
  CHECK (skc_shape_render (&p, NULL) == SKC_ERR_INVALID, "NULL out");
}

/* ---------------------------------------------------------------- shapes */

static void
test_all_shapes_valid (void)
{
  static const char *const names[] = {
    "disk", "triangle", "square", "hexagon", "nonagon", "ring", "star",
    "heart", "gaussian", "coma", "catseye",
  };
  static const int sizes[] = { 1, 2, 3, 4, 10, 48, 49, 50, 101 };
  size_t           i, j;

  for (i = 0; i < sizeof names / sizeof names[0]; i++)
    for (j = 0; j < sizeof sizes / sizeof sizes[0]; j++)
      {
        SkcKernel *k = render_named (names[i], sizes[j], 17.0f);
        int        n, bad = 0, border = 0, x, y;

        if (!k)
          continue;
        n = k->width * k->height;
        CHECK (k->width == (sizes[j] | 1) && k->height == k->width,
               "%s size %d gave %dx%d", names[i], sizes[j], k->width,
               k->height);
        CHECK_NEAR (skc_kernel_sum (k), 1.0, 1e-5, names[i]);
        for (x = 0; x < n; x++)
          bad += !(k->data[x] >= 0.0f) || !isfinite (k->data[x]);
        CHECK (bad == 0, "%s size %d: %d negative or NaN weights", names[i],
               sizes[j], bad);
        /* every shape but the Gaussian stays within R = size / 2 - 1: the
         * outermost ring of pixels is empty */
        if (k->width >= 5 && strcmp (names[i], "gaussian") != 0)
          {
            for (y = 0; y < k->height; y++)
              for (x = 0; x < k->width; x++)
                if (x == 0 || y == 0 || x == k->width - 1
                    || y == k->height - 1)
                  border += k->data[y * k->width + x] != 0.0f;
            CHECK (border == 0, "%s size %d: %d border pixels set",
                   names[i], sizes[j], border);
          }
        skc_kernel_free (k);
      }
}

static void
test_disk (void)
{
  static const int sizes[] = { 49, 101 };
  size_t           i;

  for (i = 0; i < 2; i++)
    {
      SkcKernel *k = render_named ("disk", sizes[i], 0.0f);
      double     R = sizes[i] / 2.0 - 1.0;
      Moments    m;

      if (!k)
        continue;
      m = moments (k);
      /* coverage error of 233 samples: well under a pixel of area */
      CHECK_NEAR (1.0 / skc_kernel_peak (k), M_PI * R * R, 0.5, "disk area");
      CHECK_NEAR (m.mx, 0.0, 1e-6, "disk centre x");
      CHECK_NEAR (m.my, 0.0, 1e-6, "disk centre y");
      /* a uniform disk has variance R^2 / 4 per axis, plus the pixel box */
      CHECK_NEAR (m.vx, R * R / 4 + 1.0 / 12, 0.002 * R * R / 4,
                  "disk variance x");
      CHECK_NEAR (m.vy, m.vx, 1e-6 * m.vx, "disk variance isotropic");
      CHECK (asymmetry (k, 0) < 1e-6, "disk not point-symmetric");
      /* pixels touching the rim have centres within R + sqrt (2) / 2 */
      CHECK (skc_kernel_radius (k) > R - 0.5
             && skc_kernel_radius (k) < R + 0.71, "disk support radius %g",
             skc_kernel_radius (k));
      skc_kernel_free (k);
    }
}

/* Area of a regular n-gon with circumradius R whose sides are arcs of
 * radius R / c through the corners. */
static double
iris_area (int n, double R, double c)
{
  double a = M_PI / n, s = R * sin (a);
  double area = n * R * R * sin (a) * cos (a);

  if (c > 0)
    {
      double rb = R / c, th = 2.0 * asin (s / rb);

      area += n * rb * rb * (th - sin (th)) / 2.0;
    }
  return area;
}

static void
test_polygon (void)
{
  SkcShapeParams p;
  SkcKernel     *k, *k2;
  double         R = 23.5;
  int            n;

  skc_shape_params_init (&p, SKC_SHAPE_POLYGON);
  for (n = 3; n <= 12; n++)
    {
      double  area = 0.5 * n * R * R * sin (2 * M_PI / n);
      Moments m;

      p.blades = n;
      p.curvature = 0.0f;
      p.rotation_deg = 0.0f;
      k = render (p);
      if (!k)
        continue;
      CHECK_NEAR (1.0 / skc_kernel_peak (k), area, 0.5, "n-gon area");
      CHECK_NEAR (iris_area (n, R, 0.0), area, 1e-9, "iris_area (c = 0)");
      /* a regular polygon's centroid is its centre, its inertia isotropic */
      m = moments (k);
      CHECK_NEAR (m.mx, 0.0, 0.005, "n-gon centroid x");
      CHECK_NEAR (m.my, 0.0, 0.005, "n-gon centroid y");
      CHECK_NEAR (m.vx, m.vy, 0.002 * m.vx, "n-gon inertia isotropic");
      CHECK (asymmetry (k, 1) < 0.005, "%d-gon not left-right symmetric", n);

      /* turning by 360 / n degrees gives the same polygon; half of it
       * does not */
      p.rotation_deg = 360.0f / n;
      k2 = render (p);
      if (k2)
        CHECK (max_abs_diff (k, k2) <= 2.0 / 233 * skc_kernel_peak (k),
               "%d-gon changed by a turn of 360/n: %g", n,
               max_abs_diff (k, k2) / skc_kernel_peak (k));
      skc_kernel_free (k2);
      p.rotation_deg = 180.0f / n;
      k2 = render (p);
      if (k2)
        CHECK (max_abs_diff (k, k2) > 0.5 * skc_kernel_peak (k),
               "%d-gon unchanged by a turn of 180/n", n);
      skc_kernel_free (k2);
      skc_kernel_free (k);
    }

  /* curved blades: n-gon plus n circular segments; c = 1 is the disk */
  {
    static const float curv[] = { 0.25f, 0.5f, 0.9f, 1.0f };
    size_t             i;

    p.rotation_deg = 10.0f;
    for (n = 5; n <= 9; n += 4)
      for (i = 0; i < 4; i++)
        {
          p.blades = n;
          p.curvature = curv[i];
          k = render (p);
          if (!k)
            continue;
          CHECK_NEAR (1.0 / skc_kernel_peak (k), iris_area (n, R, curv[i]),
                      0.5, "curved iris area");
          skc_kernel_free (k);
        }
    CHECK_NEAR (iris_area (6, R, 1.0), M_PI * R * R, 1e-9,
                "iris_area (c = 1)");
    p.curvature = 1.0f;
    k = render (p);
    k2 = render_named ("disk", 49, 0.0f);
    if (k && k2)
      CHECK (max_abs_diff (k, k2) <= 2.0 / 233 * skc_kernel_peak (k2),
             "curvature 1 is not the disk");
    skc_kernel_free (k);
    skc_kernel_free (k2);
  }

  /* Orientation: at rotation 0 a triangle has a flat side at the bottom
   * (screen rows grow downwards), so the lower half holds more mass; a
   * counter-clockwise quarter turn moves the flat side to the right. */
  {
    double up = 0, down = 0, left = 0, right = 0;
    int    c = 24, x, y;

    k = render_named ("triangle", 49, 0.0f);
    k2 = render_named ("triangle", 49, 90.0f);
    if (k && k2)
      {
        for (y = 0; y < 49; y++)
          for (x = 0; x < 49; x++)
            {
              up += y < c ? k->data[y * 49 + x] : 0;
              down += y > c ? k->data[y * 49 + x] : 0;
              left += x < c ? k2->data[y * 49 + x] : 0;
              right += x > c ? k2->data[y * 49 + x] : 0;
            }
        CHECK (down > 1.15 * up, "triangle: up %g down %g", up, down);
        CHECK (right > 1.15 * left, "turned triangle: left %g right %g",
               left, right);
        /* the apex is straight up, the base R / 2 below the centre */
        CHECK (k->data[(c - 22) * 49 + c] > 0 && k->data[(c - 22) * 49 + c - 3]
               == 0, "triangle apex not up");
      }
    skc_kernel_free (k);
    skc_kernel_free (k2);
  }

  /* An axis-aligned square: its right edge at x = R / sqrt 2 = 16.617 cuts
   * pixel 17 (16.5 .. 17.5) at 0.117 of its width, resolved to 1/233. */
  k = render_named ("square", 49, 0.0f);
  if (k)
    {
      double peak = skc_kernel_peak (k);

      CHECK_NEAR (k->data[24 * 49 + 24 + 16] / peak, 1.0, 0.0,
                  "square interior");
      CHECK_NEAR (k->data[24 * 49 + 24 + 17] / peak,
                  R / sqrt (2.0) - 16.5, 1.0 / 200, "square edge coverage");
      CHECK_NEAR (k->data[(24 - 17) * 49 + 24] / peak,
                  R / sqrt (2.0) - 16.5, 1.0 / 200, "square top coverage");
      CHECK_NEAR (k->data[24 * 49 + 24 + 18], 0.0, 0.0, "square exterior");
    }
  skc_kernel_free (k);
}

static void
test_ring_star (void)
{
  SkcShapeParams p;
  SkcKernel     *k;
  double         R = 23.5;

  /* ring: annulus area, an empty middle */
  skc_shape_params_init (&p, SKC_SHAPE_RING);
  k = render (p);
  if (k)
    {
      CHECK_NEAR (1.0 / skc_kernel_peak (k), M_PI * R * R * (1 - 0.49), 0.5,
                  "ring area");
      CHECK (k->data[24 * 49 + 24] == 0.0f, "ring centre has mass");
      CHECK (skc_kernel_sum (k) > 0.99999, "ring sum");
      {
        double mid = 0;
        int    x, y;

        /* nothing within the inner radius 16.45 minus a pixel */
        for (y = 0; y < 49; y++)
          for (x = 0; x < 49; x++)
            if (hypot (x - 24, y - 24) < 0.7 * R - 0.75)
              mid += k->data[y * 49 + x];
        CHECK (mid == 0.0, "ring hole holds mass %g", mid);
      }
    }
  skc_kernel_free (k);
  p.inner = 0.0f;
  k = render (p);
  if (k)
    CHECK_NEAR (1.0 / skc_kernel_peak (k), M_PI * R * R, 0.5,
                "ring of inner 0 is the disk");
  skc_kernel_free (k);

  /* star: 2n triangles of area R r sin (pi / n) / 2 */
  skc_shape_params_init (&p, SKC_SHAPE_STAR);
  for (p.blades = 3; p.blades <= 8; p.blades++)
    {
      double area = p.blades * R * (0.45 * R) * sin (M_PI / p.blades);

      k = render (p);
      if (!k)
        continue;
      CHECK_NEAR (1.0 / skc_kernel_peak (k), area, 0.5, "star area");
      CHECK (asymmetry (k, 1) < 0.005, "star not left-right symmetric");
      skc_kernel_free (k);
    }
  p.blades = 5;
  p.inner = 1.0f;  /* a decagon */
  k = render (p);
  if (k)
    CHECK_NEAR (1.0 / skc_kernel_peak (k), 5 * R * R * sin (M_PI / 5), 0.5,
                "star of inner 1");
  skc_kernel_free (k);

  /* a point straight up at rotation 0; turned by 36 degrees, a valley */
  p.inner = 0.45f;
  p.rotation_deg = 0.0f;
  k = render (p);
  if (k)
    {
      CHECK (k->data[(24 - 22) * 49 + 24] > 0, "star point not up");
      CHECK (k->data[(24 + 22) * 49 + 24] == 0, "5-star point down");
    }
  skc_kernel_free (k);
  p.rotation_deg = 36.0f;
  k = render (p);
  if (k)
    CHECK (k->data[(24 - 22) * 49 + 24] == 0 && k->data[(24 + 22) * 49 + 24]
           > 0, "turned star");
  skc_kernel_free (k);
}

static void
test_heart (void)
{
  /* Square of half-diagonal e standing on a corner, lobes of radius
   * e / sqrt 2 on its upper sides; the enclosing circle of radius R is
   * centred t e above the square's centre. */
  double t = (sqrt (2.0) - 1.0) / (3.0 - sqrt (2.0));
  double R = 23.5, e = R / (1.0 + t);
  double area = e * e * (2.0 + M_PI / 2.0);
  /* centroid of square + two half-disks above the square's centre */
  double cy = e * (M_PI / 4.0 + 1.0 / 3.0) / (2.0 + M_PI / 2.0);
  float  rot;

  for (rot = 0.0f; rot < 360.0f; rot += 45.0f)
    {
      SkcKernel *k = render_named ("heart", 49, rot);
      Moments    m;
      double     th = rot * M_PI / 180.0, off = cy - t * e;

      if (!k)
        continue;
      m = moments (k);
      /* no rotation clips the heart */
      CHECK_NEAR (1.0 / skc_kernel_peak (k), area, 0.5, "heart area");
      /* the centre of mass lies 'up' the heart, turned with it:
       * (-sin, -cos) on screen at angle th counter-clockwise */
      CHECK_NEAR (m.mx, -off * sin (th), 0.02, "heart centroid x");
      CHECK_NEAR (m.my, -off * cos (th), 0.02, "heart centroid y");
      CHECK (asymmetry (k, 0) > 0.25, "heart point-symmetric at %g: %g",
             rot, asymmetry (k, 0));
      if (rot == 0.0f)
        {
          CHECK (m.my < -0.9, "heart centroid not above the centre: %g",
                 m.my);
          CHECK (asymmetry (k, 1) < 0.005, "heart not left-right symmetric");
          CHECK (asymmetry (k, 2) > 0.25, "heart top-bottom symmetric");
          /* point at the bottom: the centre column reaches R downwards
           * but the lobes' notch leaves the top of it short */
          CHECK (k->data[(24 + 22) * 49 + 24] > 0, "heart point missing");
          CHECK (k->data[(24 + 22) * 49 + 24 - 3] == 0, "heart point wide");
          CHECK (k->data[(24 - 15) * 49 + 24] == 0
                 && k->data[(24 - 15) * 49 + 24 - 9] > 0, "heart notch");
        }
      skc_kernel_free (k);
    }
}

static void
test_gaussian (void)
{
  SkcShapeParams p;
  SkcKernel     *k;
  static const float sig[] = { 1.0f, 3.0f, 5.0f };
  size_t         i;

  skc_shape_params_init (&p, SKC_SHAPE_GAUSSIAN);
  for (i = 0; i < 3; i++)
    {
      Moments m;

      /* 101 pixels: the truncation at 10 sigma is out of sight */
      p.sigma = sig[i];
      p.side_px = 101;
      k = render (p);
      if (!k)
        continue;
      m = moments (k);
      /* integrated over pixels: sigma^2 plus the box's 1/12 */
      CHECK_NEAR (m.vx, sig[i] * sig[i] + 1.0 / 12, 1e-4, "gaussian var x");
      CHECK_NEAR (m.vy, sig[i] * sig[i] + 1.0 / 12, 1e-4, "gaussian var y");
      CHECK_NEAR (m.mx, 0.0, 1e-7, "gaussian mean");
      CHECK (asymmetry (k, 0) < 1e-6 && asymmetry (k, 1) < 1e-6,
             "gaussian asymmetric");
      /* exact pixel integral at the centre: erf (1 / (2 sqrt 2 sigma))^2 */
      CHECK_NEAR (k->data[50 * 101 + 50],
                  pow (erf (0.5 / (sqrt (2.0) * sig[i])), 2), 1e-6,
                  "gaussian centre");
      skc_kernel_free (k);
    }

  /* default sigma 7 on 49 pixels: truncated at 3.5 sigma */
  skc_shape_params_init (&p, SKC_SHAPE_GAUSSIAN);
  k = render (p);
  if (k)
    {
      Moments m = moments (k);

      CHECK (m.vx < 49.0 && m.vx > 47.0, "sigma 7 variance %g", m.vx);
    }
  skc_kernel_free (k);

  /* a tiny sigma is a delta, not NaN */
  p.sigma = 1e-3f;
  p.side_px = 9;
  k = render (p);
  if (k)
    CHECK_NEAR (k->data[4 * 9 + 4], 1.0, 1e-6, "tiny sigma");
  skc_kernel_free (k);
}

static void
test_coma (void)
{
  SkcShapeParams p;
  SkcKernel     *k, *k2;
  static const float strengths[] = { 0.6f, 1.0f };
  size_t         i;

  skc_shape_params_init (&p, SKC_SHAPE_COMA);
  for (i = 0; i < 2; i++)
    {
      double  b = strengths[i] / 8.0, d2, peak = -1.0;
      Moments m;
      int     x, y, px = -1, py = -1;

      p.strength = strengths[i];
      p.rotation_deg = 0.0f;
      k = render (p);
      if (!k)
        continue;
      m = moments (k);
      /* Model moments in units of the defocus radius D: var_x =
       * D^2 (1/4 + b^2/2), var_y = D^2 (1/4 + b^2/6), each plus 1/12 for
       * the pixel.  D comes from var_y; var_x is then predicted. */
      d2 = (m.vy - 1.0 / 12) / (0.25 + b * b / 6);
      CHECK_NEAR (m.vx - m.vy, d2 * b * b / 3, 0.05 + 0.02 * d2 * b * b / 3,
                  "coma variance difference");
      CHECK (d2 > 20.0 * 20.0 && d2 < 23.5 * 23.5, "coma D^2 = %g", d2);
      /* bright head on the left, dim tail on the right: the centre of mass
       * moves left, the brightest pixel is near the left rim */
      CHECK (m.mx < -2.0, "coma centroid %g not toward the head", m.mx);
      CHECK_NEAR (m.my, 0.0, 2e-3, "coma centroid y");
      for (y = 0; y < 49; y++)
        for (x = 0; x < 49; x++)
          if (k->data[y * 49 + x] > peak)
            {
              peak = k->data[y * 49 + x];
              px = x;
              py = y;
            }
      CHECK (px > 0 && px < 8 && abs (py - 24) < 8, "coma peak at (%d, %d)",
             px, py);
      CHECK (k->data[24 * 49 + 4] > 2.5 * k->data[24 * 49 + 44],
             "coma head %g not brighter than tail %g", k->data[24 * 49 + 4],
             k->data[24 * 49 + 44]);
      CHECK (asymmetry (k, 0) > 0.15, "coma point-symmetric: %g",
             asymmetry (k, 0));
      CHECK (asymmetry (k, 2) < 0.005, "coma not symmetric about its axis");

      /* a counter-clockwise quarter turn points the tail up, the head down */
      p.rotation_deg = 90.0f;
      k2 = render (p);
      if (k2)
        {
          Moments m2 = moments (k2);

          CHECK_NEAR (m2.my, -m.mx, 0.01, "turned coma centroid y");
          CHECK_NEAR (m2.mx, 0.0, 2e-3, "turned coma centroid x");
        }
      skc_kernel_free (k2);
      skc_kernel_free (k);
    }

  /* strength 0: plain defocus, the disk */
  p.strength = 0.0f;
  p.rotation_deg = 0.0f;
  k = render (p);
  k2 = render_named ("disk", 49, 0.0f);
  if (k && k2)
    CHECK (max_abs_diff (k, k2) <= 2.0 / 233 * skc_kernel_peak (k2),
           "coma of strength 0 is not the disk");
  skc_kernel_free (k);
  skc_kernel_free (k2);
}

/* cat's eye: the lens where two disks of radius Rc, centres 2d apart,
 * overlap: area 2 Rc^2 acos (d / Rc) - 2 d sqrt (Rc^2 - d^2); its tips on
 * the y axis reach R; mirror-symmetric both ways; rotation turns it. */
static void
test_catseye (void)
{
  SkcShapeParams p;
  SkcKernel     *k, *r;
  double         R = 23.5;

  skc_shape_params_from_name ("catseye", &p);
  CHECK (p.type == SKC_SHAPE_CATSEYE, "catseye by name");
  p.side_px = 49;
  for (int i = 0; i <= 4; i++)
    {
      double f = 0.25 * i * 0.5, Rc = R / sqrt (1.0 - f * f), d = f * Rc;
      double area = 2.0 * Rc * Rc * acos (d / Rc) - 2.0 * d * sqrt (Rc * Rc - d * d);

      p.strength = 0.25f * i;
      k = render (p);
      if (!k)
        continue;
      CHECK_NEAR (1.0 / skc_kernel_peak (k), area, 0.5, "cat's eye area");
      CHECK (asymmetry (k, 1) < 0.005 && asymmetry (k, 2) < 0.005,
             "cat's eye mirror-symmetric");
      skc_kernel_free (k);
    }
  /* strength 0 is the disk */
  p.strength = 0.0f;
  k = render (p);
  skc_shape_params_from_name ("disk", &p);
  p.side_px = 49;
  r = render (p);
  if (k && r)
    {
      double md = 0.0;
      for (int i = 0; i < 49 * 49; i++)
        md = fmax (md, fabs (k->data[i] - r->data[i]));
      CHECK (md < 1e-7, "cat's eye of strength 0 is the disk (%.3g)", md);
    }
  skc_kernel_free (k);
  skc_kernel_free (r);
  p.type = SKC_SHAPE_CATSEYE;
  p.strength = 1.5f;
  CHECK (skc_shape_render (&p, &k) == SKC_ERR_INVALID, "strength above 1 rejected");
}

int
main (void)
{
  test_kernel_basics ();
  test_kernel_images ();
  test_params ();
  test_invalid ();
  test_all_shapes_valid ();
  test_disk ();
  test_polygon ();
  test_ring_star ();
  test_heart ();
  test_gaussian ();
  test_coma ();
  test_catseye ();
  return test_finish ();
}
