/* Cat's eye across the frame (core/skc-cateye.c) against a dense
 * per-pixel truth made here.
 *
 * The truth never goes through the code under test: for each pixel p the
 * test works out its own clip amount c and direction a from the frame's
 * geometry (the definition in skc-cateye.c, written again), draws the
 * kernel turned by a (skc_kernel_target: the shape renderer, checked by
 * test-varying against skc_shape_render), cuts it with its own circle and
 * sums gt (p) = sum_u K_p (u) in (p - u) with clamped borders.  The
 * varying apply with a cat's-eye family must come close to it.
 */
#include "test-common.h"
#include "skc-private.h"
#include "lens-truth.h"

#include <stdlib.h>
#include <string.h>

#define IMG_W   128
#define IMG_H   96
#define MARGIN  16
/* The truth on every 3rd pixel in x and y; every 6th under the sanitizers
 * (test_sanitized: each pixel's kernel is drawn anew), same floors. */
static int truth_step = 3;

/* PSNR (peak 1, RGB) of @out against the per-pixel truth on every truth_step-th
 * pixel of the interior. */
static double
truth_psnr (const SkcShapeParams *shape, float d, double rot,
            const SkcCateyeParams *cp, const float *in, const float *out,
            double const_c, double const_a)
{
  size_t n = 0, cap = 3 * (IMG_W / truth_step + 1) * (IMG_H / truth_step + 1);
  float *a = malloc (cap * sizeof *a), *b = malloc (cap * sizeof *b);
  double p;

  for (int y = MARGIN; y < IMG_H - MARGIN; y += truth_step)
    for (int x = MARGIN; x < IMG_W - MARGIN; x += truth_step)
      {
        double     c, ang, acc[3] = { 0, 0, 0 };
        SkcKernel *k;

        lens_truth_clip (cp->cx, cp->cy, cp->half_diagonal, cp->strength,
                         cp->start, x, y, &c, &ang);
        if (const_c >= 0.0)
          {
            c = const_c;
            ang = const_a;
          }
        k = lens_truth_kernel (shape, NULL, d, rot, c, ang);
        if (!k)
          continue;
        for (int j = 0; j < k->height; j++)
          for (int i = 0; i < k->width; i++)
            {
              int   sx = x - (i - k->width / 2), sy = y - (j - k->height / 2);
              float w = k->data[j * k->width + i];

              sx = sx < 0 ? 0 : sx >= IMG_W ? IMG_W - 1 : sx;
              sy = sy < 0 ? 0 : sy >= IMG_H ? IMG_H - 1 : sy;
              for (int ch = 0; ch < 3; ch++)
                acc[ch] += w * in[4 * (sy * IMG_W + sx) + ch];
            }
        for (int ch = 0; ch < 3; ch++)
          {
            a[n] = out[4 * (y * IMG_W + x) + ch];
            b[n] = (float) acc[ch];
            n++;
          }
        skc_kernel_free (k);
      }
  p = skc_psnr (a, b, n, 1.0);
  free (a);
  free (b);
  return p;
}

/* Clip amounts and directions at known points. */
static void
test_geometry (void)
{
  SkcCateyeParams p;
  float           c, a;

  skc_cateye_params_init (&p);
  p.cx = 100.0f;
  p.cy = 50.0f;
  p.half_diagonal = 100.0f;
  p.strength = 0.8f;
  p.start = 0.5f;
  skc_cateye_at (&p, 100.0f, 50.0f, &c, &a);
  CHECK (c == 0.0f && a == 0.0f, "centre: clip %g angle %g", c, a);
  skc_cateye_at (&p, 140.0f, 50.0f, &c, &a);
  CHECK (c == 0.0f, "inside the start: clip %g", c);
  skc_cateye_at (&p, 175.0f, 50.0f, &c, &a);     /* r 0.75: halfway */
  CHECK_NEAR (c, 0.4, 1e-6, "halfway clip");
  CHECK_NEAR (cos (a), -1.0, 1e-6, "right of the centre: towards the left");
  skc_cateye_at (&p, 100.0f, 200.0f, &c, &a);    /* below, beyond h */
  CHECK_NEAR (c, 0.8, 1e-6, "full strength beyond the half-diagonal");
  CHECK_NEAR (a, M_PI / 2, 1e-6, "below the centre: upwards (y down)");
  skc_cateye_at (&p, 0.0f, -50.0f, &c, &a);     /* up-left corner */
  CHECK_NEAR (a, -M_PI / 4, 1e-6, "up-left: towards down-right");
  p.start = 1.0f;
  skc_cateye_at (&p, 0.0f, -50.0f, &c, &a);
  CHECK (c == 0.0f, "start 1: no clip anywhere (%g)", c);
}

/* The clipped kernel: its mass moves towards the direction, and it keeps
 * unit sum; clip 0 changes nothing. */
static void
test_clip (void)
{
  SkcShapeParams s;
  SkcKernel     *k = NULL, *c0 = NULL, *c1 = NULL;
  double         mx = 0.0, my = 0.0;

  skc_shape_params_init (&s, SKC_SHAPE_DISK);
  CHECK_OK (skc_kernel_target (&s, NULL, 21.0f, 0.0f, &k));
  CHECK_OK (skc_cateye_clip (k, 21.0f, 0.0f, 1.0f, &c0));
  CHECK_OK (skc_cateye_clip (k, 21.0f, 0.6f, (float) (M_PI / 2), &c1));
  if (!k || !c0 || !c1)
    goto out;
  for (int i = 0; i < k->width * k->height; i++)
    CHECK_NEAR (c0->data[i], k->data[i], 1e-7, "clip 0 is the kernel");
  for (int j = 0; j < c1->height; j++)
    for (int i = 0; i < c1->width; i++)
      {
        mx += (i - c1->width / 2) * c1->data[j * c1->width + i];
        my += (j - c1->height / 2) * c1->data[j * c1->width + i];
      }
  CHECK_NEAR (skc_kernel_sum (c1), 1.0, 1e-5, "clipped: unit sum");
  CHECK (my < -2.0 && fabs (mx) < 0.05,
         "clipped upwards: centroid (%.3f, %.3f) should be up", mx, my);
  skc_kernel_free (c0);   /* the refused call sets it to NULL */
  CHECK (skc_cateye_clip (k, 21.0f, 1.5f, 0.0f, &c0) == SKC_ERR_INVALID
         && !c0, "clip 1.5 refused");
out:
  skc_kernel_free (k);
  skc_kernel_free (c0);
  skc_kernel_free (c1);
}

/* The effect against the truth, on a crop of a photo: the frame's centre
 * in the crop's middle, a small half-diagonal so the clip runs from none
 * to full over the crop. */
static void
test_effect (const char *name, float d, float rot_deg, double floor_db,
             double steep_floor_db)
{
  SkcShapeParams  s;
  SkcCateyeParams cp;
  SkcFitOptions   o;
  SkcKernel      *target = NULL;
  SkcComplex     *plain = NULL;
  SkcFamily      *f = NULL;
  SkcApplyOptions ao;
  SkcRect         all = test_rect (0, 0, IMG_W, IMG_H);
  float          *in = test_load_photo_rgba ("coffee.png", 300, 60, IMG_W,
                                             IMG_H);
  float          *out = malloc (sizeof (float) * 4 * IMG_W * IMG_H);
  float          *field = malloc (sizeof (float) * 2 * IMG_W * IMG_H);
  double          rot = rot_deg * M_PI / 180.0, t0, p;

  skc_shape_params_from_name (name, &s);
  skc_fit_options_init (&o);
  o.n_samples = 24;
  o.n_layers = 4;
  o.steps = 400;
  o.max_reach = (float) (SKC_FAMILY_REACH * d + SKC_FAMILY_REACH_PAD);
  t0 = skc_time_now ();
  CHECK_OK (skc_kernel_target (&s, NULL, d, (float) rot, &target));
  if (!in || !target)
    goto out;
  CHECK_OK (skc_fit (target, &o, &plain));
  if (!plain)
    goto out;
  CHECK_OK (skc_cateye_family (plain, target, d, d, SKC_CATEYE_BASES, &o,
                               &f));
  if (!f)
    goto out;
  printf ("%s %.0f px: plain + cat's-eye family fitted in %.2f s\n", name,
          (double) d, skc_time_now () - t0);

  /* The crop as the top-left corner of a 600 x 400 frame: the clip runs
   * from about 0.45 to 0.8 across it, changing by 0.06 over a 21 px
   * kernel (a 101 px kernel on a 4000 x 3000 photo sees 0.04). */
  skc_cateye_params_init (&cp);
  cp.cx = 300.0f;
  cp.cy = 200.0f;
  cp.half_diagonal = 360.0f;
  cp.strength = 1.0f;
  cp.start = 0.0f;
  skc_apply_options_init (&ao);
  CHECK_OK (skc_cateye_apply_rgba (f, &cp, d,
                                   skc_in_view (in, 4 * IMG_W, all), all,
                                   skc_out_view (out, 4 * IMG_W, all), &ao));
  p = truth_psnr (&s, d, rot, &cp, in, out, -1.0, 0.0);
  printf ("%s %.0f px, rotation %.0f: cat's eye %.2f dB against the dense "
          "per-pixel truth (a frame's corner)\n", name, (double) d,
          (double) rot_deg, p);
  CHECK (p > floor_db, "%s: cat's eye %.2f dB, floor %.1f dB", name, p,
         floor_db);
  /* The same through the field and the engine's default (its exact
   * per-pixel path at the field's steps): no better, and the bottom
   * half alone gives the same bits (the field is the frame's, not the
   * request's). */
  {
    float  *out2 = malloc (sizeof (float) * 4 * IMG_W * IMG_H);
    SkcRect half = test_rect (0, IMG_H / 2, IMG_W, IMG_H - IMG_H / 2);
    double  p2;

    CHECK_OK (skc_cateye_field (&cp, d, all, field));
    CHECK_OK (skc_apply_varying_rgba (f, field,
                                      skc_in_view (in, 4 * IMG_W, all), all,
                                      skc_out_view (out2, 4 * IMG_W, all),
                                      &ao));
    p2 = truth_psnr (&s, d, rot, &cp, in, out2, -1.0, 0.0);
    printf ("%s: with the engine's lone pixels %.2f dB\n", name, p2);
    CHECK (p2 < p + 0.5, "%s: lone pixels %.2f dB against %.2f", name, p2,
           p);
    CHECK_OK (skc_cateye_apply_rgba (f, &cp, d,
                                     skc_in_view (in, 4 * IMG_W, all), all,
                                     skc_out_view (out2 + 4 * (size_t) IMG_W
                                                   * half.y, 4 * IMG_W, half),
                                     &ao));
    CHECK (memcmp (out2 + 4 * (size_t) IMG_W * half.y,
                   out + 4 * (size_t) IMG_W * half.y,
                   sizeof (float) * 4 * IMG_W * half.height) == 0,
           "%s: the bottom half alone differs", name);
    free (out2);
  }
  /* A steep frame: the whole clip and every direction within the crop,
   * the clip changing by 0.5 over the kernel. */
  cp.cx = IMG_W / 2.0f;
  cp.cy = IMG_H / 2.0f;
  cp.half_diagonal = 60.0f;
  cp.start = 0.25f;
  CHECK_OK (skc_cateye_apply_rgba (f, &cp, d,
                                   skc_in_view (in, 4 * IMG_W, all), all,
                                   skc_out_view (out, 4 * IMG_W, all), &ao));
  p = truth_psnr (&s, d, rot, &cp, in, out, -1.0, 0.0);
  printf ("%s %.0f px, rotation %.0f: cat's eye %.2f dB against the dense "
          "per-pixel truth (a steep frame)\n", name, (double) d,
          (double) rot_deg, p);
  CHECK (p > steep_floor_db, "%s: steep cat's eye %.2f dB, floor %.1f dB",
         name, p, steep_floor_db);
  /* One clip everywhere: between bases and turned, at a basis, none. */
  {
    const double cases[3][2] = { { 0.5, 0.7 }, { 0.6, 0.0 }, { 0.0, 0.0 } };

    for (int n = 0; n < 3; n++)
      {
        for (int i = 0; i < IMG_W * IMG_H; i++)
          {
            field[2 * i] = d * (float) (1.0 + cases[n][0]);
            field[2 * i + 1] = (float) cases[n][1];
          }
        CHECK_OK (skc_apply_varying_rgba (f, field,
                                          skc_in_view (in, 4 * IMG_W, all),
                                          all,
                                          skc_out_view (out, 4 * IMG_W, all),
                                          &ao));
        p = truth_psnr (&s, d, rot, &cp, in, out, cases[n][0], cases[n][1]);
        printf ("%s: clip %.1f at %.1f rad everywhere %.2f dB\n", name,
                cases[n][0], cases[n][1], p);
        CHECK (p > 58.0, "%s: clip %.1f everywhere %.2f dB", name,
               cases[n][0], p);
      }
  }
out:
  skc_kernel_free (target);
  skc_complex_free (plain);
  skc_family_free (f);
  free (in);
  free (out);
  free (field);
}

int
main (void)
{
  if (test_sanitized ())
    truth_step = 6;
  test_geometry ();
  test_clip ();
  test_effect ("disk", 21.0f, 0.0f, 57.0, 46.0);
  test_effect ("heart", 21.0f, 20.0f, 57.0, 52.0);
  return test_finish ();
}
