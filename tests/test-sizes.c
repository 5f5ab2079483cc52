/* Issue 12: one fit per kernel serves every size and rotation.
 *
 * The canonical family (skc.h, SKC_FAMILY_CANON_*: what the GEGL op and
 * the plug-ins fit once per kernel) of a heart and a star, fitted at 24x4
 * as the op fits it, is evaluated at sizes from below its first bases to
 * far beyond its top basis, at several rotations (skc_family_eval), run by
 * the fast engine (skc_plan + skc_apply_rgba, the op's path) over a real
 * photo in linear light, and compared with the exact dense convolution
 * (FFTW) by the dense kernel of that size and rotation, drawn by the shape
 * renderer with the rotation in its own parameters.  Floors sit 1.5-2 dB
 * under the values measured (printed; tests/bench/results/interactive.md
 * has them beside the per-size fits this replaces).
 *
 * Also the halo bound that lets the op size its halo before fitting: the
 * plan at every size and angle, and the family's own halo, stay within
 * skc_family_halo_bound.
 *
 * And what the uniform filter renders (skc_family_uniform: the dense
 * kernel itself where that costs no more, below the top basis the family
 * polished at the size and angle) against a fit at the size, the design
 * the family replaced: at the sizes and angles where the family alone
 * lost most to such fits (2-7 dB, small kernels turned; 2.7-3.3 dB
 * upright between the bases, heart and hexagon at 21 px;
 * tests/bench/results/interactive.md), the filter must come within 1 dB
 * of the per-size fit, turned as the op always turned it.  A dense kernel
 * as whole-pixel taps (skc_complex_from_kernel), in one layer or in
 * summed branches, must equal the FFT convolution.
 */
#include "test-common.h"
#include "scribble.h"
#include "skc-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  float  size;
  float  degrees;
  double floor_db;
} Case;

/* Image PSNR of @plan against the dense convolution by @truth (the fast
 * engine on the photo in RGBA against FFTW on its plane), over the
 * interior @frame px in from the borders. */
static double
plan_psnr (const SkcPlan *plan, const SkcKernel *truth, int frame,
           const float *plane, const float *rgba, int w, int h)
{
  SkcApplyOptions o;
  SkcRect         all = test_rect (0, 0, w, h);
  float          *out = malloc (sizeof (float) * 4 * w * h);
  float          *dense = malloc (sizeof (float) * w * h);
  float          *mine = malloc (sizeof (float) * w * h);
  double          psnr = 0.0;

  if (out && dense && mine)
    {
      skc_apply_options_init (&o);
      o.n_threads = 2;
      CHECK_OK (skc_apply_rgba (plan, skc_in_view (rgba, 4 * w, all), all,
                                skc_out_view (out, 4 * w, all), &o));
      CHECK_OK (skc_convolve_fft (plane, w, h, truth, dense));
      for (int i = 0; i < w * h; i++)
        mine[i] = out[4 * i];
      psnr = skc_psnr_rect (mine, dense, w, frame, frame, w - 2 * frame,
                            h - 2 * frame, 1.0);
    }
  free (out);
  free (dense);
  free (mine);
  return psnr;
}

static int
frame_of (const SkcPlan *plan, const SkcKernel *truth)
{
  return skc_plan_halo (plan) > truth->width / 2 + 1 ? skc_plan_halo (plan)
                                                    : truth->width / 2 + 1;
}

/* image PSNR of the family at (size, angle) against the dense truth */
static double
measure (const SkcShapeParams *shape, const SkcFamily *f, const Case *c,
         const float *plane, const float *rgba, int w, int h)
{
  float           angle = (float) (c->degrees * M_PI / 180.0);
  SkcKernel      *truth = NULL;
  SkcComplex     *cx = NULL;
  SkcPlan        *plan = NULL;
  double          psnr = 0.0;
  int             bound;

  CHECK_OK (skc_family_target (shape, NULL, c->size, angle, &truth));
  CHECK_OK (skc_complex_copy (f->bases[0], &cx));
  if (!truth || !cx)
    goto done;
  CHECK_OK (skc_family_eval (f, c->size, angle, cx));
  CHECK_OK (skc_plan_new (cx, &plan));
  if (!plan)
    goto done;
  bound = skc_family_halo_bound (c->size, SKC_FAMILY_CANON_TOP,
                                 cx->n_layers);
  CHECK (skc_plan_halo (plan) <= bound
         && skc_family_halo (f, c->size) <= bound,
         "%s at %.0f px, %.0f deg: halo %d (plan), %d (family) beyond the "
         "bound %d", skc_shape_name (shape->type), (double) c->size,
         (double) c->degrees, skc_plan_halo (plan),
         skc_family_halo (f, c->size), bound);
  psnr = plan_psnr (plan, truth, frame_of (plan, truth), plane, rgba, w, h);
  printf ("%-6s %4.0f px %5.0f deg: %6.2f dB (floor %.1f)\n",
          skc_shape_name (shape->type), (double) c->size,
          (double) c->degrees, psnr, c->floor_db);
  CHECK (psnr >= c->floor_db, "%s at %.0f px, %.0f deg: %.2f dB < %.1f dB",
         skc_shape_name (shape->type), (double) c->size,
         (double) c->degrees, psnr, c->floor_db);
done:
  skc_plan_free (plan);
  skc_complex_free (cx);
  skc_kernel_free (truth);
  return psnr;
}

/* Image PSNRs of a fit at the size (skc_fit of the kernel drawn there,
 * 24x4 as the op fitted before issue 12), turned as the op turned it, in
 * *@fit_db, and of what the filter renders from the canonical family of
 * @shape or @image (skc_family_canon, skc_family_uniform) in *@filter_db,
 * on the same interior; *@dense says whether the filter took the dense
 * kernel.  0 dB when something failed (reported). */
static void
against_size_fit (const SkcShapeParams *shape, const SkcKernel *image,
                  float size, float angle, double *fit_db, double *filter_db,
                  int *dense, const float *plane, const float *rgba, int w,
                  int h)
{
  SkcFitOptions  o;
  SkcFamily     *f = NULL, *one = NULL;
  SkcKernel     *upright = NULL, *truth = NULL;
  SkcComplex    *fit = NULL, *turned = NULL, *cx = NULL;
  SkcPlan       *p_fit = NULL, *p_cx = NULL;
  float          top;
  int            n_bases, frame;

  *fit_db = *filter_db = 0.0;
  skc_family_canon (image, &top, &n_bases);
  skc_fit_options_init (&o);
  o.n_threads = 2;
  CHECK_OK (skc_family_fit (shape, image, SKC_FAMILY_CANON_MIN, top, n_bases,
                            &o, &f));
  CHECK_OK (skc_family_target (shape, image, size, 0.0f, &upright));
  CHECK_OK (skc_family_target (shape, image, size, angle, &truth));
  if (!f || !upright || !truth)
    goto done;
  CHECK_OK (skc_fit (upright, &o, &fit));
  CHECK_OK (skc_complex_copy (fit, &turned));
  CHECK_OK (skc_family_from_bases (1, &size,
                                   (const SkcComplex *const[]) { fit }, &one));
  if (!one || !turned)
    goto done;
  CHECK_OK (skc_family_eval (one, size, angle, turned));
  CHECK_OK (skc_plan_new (turned, &p_fit));
  CHECK_OK (skc_family_uniform (f, truth, size, angle, &cx, &p_cx, dense));
  if (!p_fit || !p_cx)
    goto done;
  CHECK (skc_plan_halo (p_cx) <= skc_family_halo_bound (
           size, SKC_FAMILY_CANON_TOP, o.n_layers),
         "at %.0f px the filter's halo %d is beyond the bound %d",
         (double) size, skc_plan_halo (p_cx),
         skc_family_halo_bound (size, SKC_FAMILY_CANON_TOP, o.n_layers));
  frame = frame_of (p_fit, truth) > frame_of (p_cx, truth)
          ? frame_of (p_fit, truth) : frame_of (p_cx, truth);
  *fit_db = plan_psnr (p_fit, truth, frame, plane, rgba, w, h);
  *filter_db = plan_psnr (p_cx, truth, frame, plane, rgba, w, h);
done:
  skc_plan_free (p_fit);
  skc_plan_free (p_cx);
  skc_complex_free (cx);
  skc_complex_free (turned);
  skc_family_free (one);
  skc_family_free (f);
  skc_kernel_free (upright);
  skc_kernel_free (truth);
  skc_complex_free (fit);
}

/* A shape where the family alone lost most to per-size fits: the filter
 * within @slack dB (1 dB, the bound, unless a case is held to
 * less) of a fit at the size. */
static void
small_shape (const char *name, float size, double degrees, double slack,
             const float *plane, const float *rgba, int w, int h)
{
  SkcShapeParams shape;
  double         a, b;
  int            dense = 0;

  CHECK_OK (skc_shape_params_from_name (name, &shape));
  against_size_fit (&shape, NULL, size, (float) (degrees * M_PI / 180.0), &a,
                    &b, &dense, plane, rgba, w, h);
  printf ("%-7s %4.0f px %5.0f deg: a fit at the size %6.2f dB, the filter "
          "(%s) %6.2f dB\n", name, (double) size, degrees, a,
          dense ? "dense" : size < SKC_FAMILY_CANON_TOP ? "polished"
          : "family", b);
  CHECK (b >= a - slack, "%s at %.0f px, %.0f deg: the filter %.2f dB, "
         "more than %.1f dB under a fit at the size (%.2f dB)", name,
         (double) size, degrees, b, slack, a);
}

/* A detailed kernel image (a 3 px pen scribble on 65 px, as drawn in the
 * dialog, tests/scribble.h) at 101 px, beyond its family's top basis
 * (45 px, skc_family_canon): the top basis scaled left gaps between its
 * taps that a fit at the size fills, 5.9 dB under that fit (51.3 against
 * 57.2 dB); widened by two blur layers (skc_family_widen) 56.2 dB, within
 * 1.5 dB of it. */
static void
detailed_image (const float *plane, const float *rgba, int w, int h)
{
  const float size = 101.0f;
  SkcKernel  *img = NULL;
  float       top;
  int         n_bases, dense = 0;
  double      a, b;

  img = scribble_kernel ();
  CHECK (img != NULL, "the scribble: out of memory");
  if (!img)
    return;
  skc_family_canon (img, &top, &n_bases);
  CHECK (n_bases == SKC_FAMILY_CANON_BASES + 1 && top > 45.0f && top < 46.0f,
         "a 65 px image: %d bases to %.1f px", n_bases, (double) top);
  against_size_fit (NULL, img, size, 0.5f, &a, &b, &dense, plane, rgba, w,
                    h);
  printf ("scribble %4.0f px: a fit at the size %6.2f dB, the filter "
          "%6.2f dB\n", (double) size, a, b);
  CHECK (b >= a - 1.5, "a detailed image at %.0f px: the filter %.2f dB, "
         "more than 1.5 dB under a fit at the size (%.2f dB)", (double) size,
         b, a);
  skc_kernel_free (img);
}

/* A dense kernel as whole-pixel taps is that kernel: one layer, and
 * summed branches beyond SKC_MAX_SAMPLES entries. */
static void
dense_complex (const float *plane, const float *rgba, int w, int h)
{
  SkcShapeParams shape;
  SkcKernel     *k = NULL;
  SkcComplex    *c = NULL;
  SkcPlan       *plan = NULL;

  CHECK_OK (skc_shape_params_from_name ("heart", &shape));
  for (int i = 0; i < 2; i++)
    {
      float size = i ? 31.0f : 11.0f;

      CHECK_OK (skc_family_target (&shape, NULL, size, 0.4f, &k));
      if (!k)
        return;
      CHECK (skc_complex_from_kernel (k, 10, &c) == SKC_ERR_TOO_LARGE && !c,
             "%.0f px: more entries than allowed", (double) size);
      CHECK_OK (skc_complex_from_kernel (k, 1 << 20, &c));
      if (c)
        {
          int n = 0;

          for (int j = 0; j < k->width * k->height; j++)
            n += k->data[j] != 0.0f;
          CHECK (skc_complex_n_branches (c)
                 == (n + SKC_MAX_SAMPLES - 1) / SKC_MAX_SAMPLES
                 && skc_complex_total_taps (c) == n && (i || n <= 256)
                 && (!i || n > 256),
                 "%.0f px: %d entries in %d branches", (double) size, n,
                 skc_complex_n_branches (c));
          CHECK_OK (skc_plan_new (c, &plan));
        }
      if (plan)
        {
          double p = plan_psnr (plan, k, frame_of (plan, k), plane, rgba, w,
                                h);

          CHECK (p >= 120.0, "%.0f px dense kernel as taps: %.1f dB",
                 (double) size, p);
        }
      skc_plan_free (plan);
      skc_complex_free (c);
      skc_kernel_free (k);
      plan = NULL;
      c = NULL;
      k = NULL;
    }
}

static void
check_shape (const char *name, const Case *cases, int n,
             const float *plane, const float *rgba, int w, int h)
{
  SkcShapeParams shape;
  SkcFitOptions  o;
  SkcFamily     *f = NULL;

  CHECK_OK (skc_shape_params_from_name (name, &shape));
  skc_fit_options_init (&o);   /* 24x4, as the op fits */
  CHECK_OK (skc_family_fit (&shape, NULL, SKC_FAMILY_CANON_MIN,
                            SKC_FAMILY_CANON_TOP, SKC_FAMILY_CANON_BASES,
                            &o, &f));
  if (!f)
    return;
  for (int i = 0; i < n; i++)
    measure (&shape, f, &cases[i], plane, rgba, w, h);
  skc_family_free (f);
}

int
main (void)
{
  /* below and between the small bases, at the top basis, and scaled far
   * beyond it; turned by odd angles (the heart is asymmetric, so a
   * mirrored or misplaced rotation shows) */
  static const Case heart[] = {
    { 5, 0, 68.0 }, { 9, 30, 56.5 }, { 21, 0, 63.0 }, { 21, 90, 63.0 },
    { 33, 0, 64.0 }, { 60, 45, 61.5 }, { 101, 0, 58.0 }, { 151, 200, 55.5 },
  };
  static const Case star[] = {
    { 7, 0, 65.5 }, { 15, 17, 56.5 }, { 33, 0, 60.0 }, { 77, 60, 57.0 },
    { 151, 0, 52.5 },
  };
  int    w = 0, h = 0;
  float *plane = test_load_photo_plane ("coffee.png", &w, &h);
  float *rgba;

  if (!plane)
    return test_finish ();
  rgba = malloc (sizeof (float) * 4 * w * h);
  for (int i = 0; i < w * h; i++)
    {
      rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = plane[i];
      rgba[4 * i + 3] = 1.0f;
    }
  /* Under the sanitizers (test_sanitized) each family fit costs about a
   * minute: the heart's family (every size and angle above) and one small
   * shape keep every property; the star's family, three small shapes and
   * the detailed image (a third of the time; image families run under
   * the sanitizers in test-varying and gegl-op) are left to the normal
   * build. */
  check_shape ("heart", heart, (int) (sizeof heart / sizeof heart[0]),
               plane, rgba, w, h);
  if (!test_sanitized ())
    check_shape ("star", star, (int) (sizeof star / sizeof star[0]),
                 plane, rgba, w, h);
  /* where the family alone lost most to per-size fits: small sizes
   * (the dense kernel), and upright between the bases (polished; the
   * family alone 3.3 and 2.7 dB under) */
  small_shape ("coma", 9, 30, 1.0, plane, rgba, w, h);
  if (!test_sanitized ())
    {
      small_shape ("heart", 9, 0, 1.0, plane, rgba, w, h);
      small_shape ("star", 15, 0, 1.0, plane, rgba, w, h);
      small_shape ("hexagon", 21, 0, 1.0, plane, rgba, w, h);
      /* the polish at the default rates first: 67.40 against 67.59 dB
       * (0.19 under); at a quarter of them only, 67.18 (0.41 under) */
      small_shape ("heart", 21, 0, 0.3, plane, rgba, w, h);
    }
  dense_complex (plane, rgba, w, h);
  if (!test_sanitized ())
    detailed_image (plane, rgba, w, h);
  free (rgba);
  free (plane);
  return test_finish ();
}
