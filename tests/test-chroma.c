/* Chromatic bokeh (core/skc-chroma.c) against dense per-channel blurs.
 *
 * Every truth here is the dense convolution of one colour channel with
 * that channel's own kernel, made in the test: for longitudinal chromatic
 * aberration the shape drawn at the channel's diameter (skc_kernel_target,
 * the shape renderer), for a colour kernel the channel of the kernel
 * image normalised here.  Ours goes through the engines the op uses: a
 * fitted complex per kernel, its plan, skc_apply_channels_rgba.
 */
#include "test-common.h"

#include <stdlib.h>
#include <string.h>

#define IMG_W   128
#define IMG_H   96
#define MARGIN  16

typedef struct
{
  SkcPlan *plan[3];
} Plans;

static SkcStatus
apply_plan (void *data, int group, SkcInView in, SkcRect bounds,
            SkcOutView out, const SkcApplyOptions *options)
{
  Plans *p = data;

  return skc_apply_rgba (p->plan[group], in, bounds, out, options);
}

/* PSNR (peak 1) of channel @c of RGBA @out against the dense convolution
 * of that channel of @in with @k, over the interior. */
static double
channel_psnr (const float *in, const float *out, int c, const SkcKernel *k)
{
  size_t n = (size_t) IMG_W * IMG_H;
  float *src = malloc (n * sizeof *src), *ref = malloc (n * sizeof *ref);
  float *got = malloc (n * sizeof *got);
  double p = 0.0;

  for (size_t i = 0; i < n; i++)
    {
      src[i] = in[4 * i + c];
      got[i] = out[4 * i + c];
    }
  CHECK_OK (skc_convolve_dense (src, IMG_W, IMG_H, k, ref));
  p = skc_psnr_rect (got, ref, IMG_W, MARGIN, MARGIN, IMG_W - 2 * MARGIN,
                     IMG_H - 2 * MARGIN, 1.0);
  free (src);
  free (ref);
  free (got);
  return p;
}

static SkcComplex *
fit (const SkcKernel *k)
{
  SkcFitOptions o;
  SkcComplex   *c = NULL;

  skc_fit_options_init (&o);
  o.n_samples = 24;
  o.n_layers = 4;
  o.steps = 400;
  CHECK_OK (skc_fit (k, &o, &c));
  return c;
}

static void
test_sizes (void)
{
  float s[3];

  skc_chroma_sizes (40.0f, 0.25f, s);
  CHECK (s[0] == 40.0f && s[2] == 40.0f && s[1] == 30.0f,
         "purple: %g %g %g", s[0], s[1], s[2]);
  skc_chroma_sizes (40.0f, -0.5f, s);
  CHECK (s[0] == 20.0f && s[2] == 20.0f && s[1] == 40.0f,
         "green: %g %g %g", s[0], s[1], s[2]);
  skc_chroma_sizes (40.0f, 0.0f, s);
  CHECK (s[0] == 40.0f && s[1] == 40.0f && s[2] == 40.0f, "none");
  skc_chroma_sizes (40.0f, NAN, s);
  CHECK (s[0] == 40.0f && s[1] == 40.0f, "NaN is none");
}

/* Longitudinal CA: red and blue at 23 px, green at 16.1 px (amount 0.3),
 * from one size family evaluated at each size, as the op does. */
static void
test_axial (void)
{
  SkcShapeParams  shape;
  SkcFitOptions   o;
  SkcFamily      *f = NULL;
  SkcComplex     *c[2] = { NULL, NULL };
  Plans           plans = { { NULL, NULL, NULL } };
  SkcApplyOptions ao;
  SkcRect         all = test_rect (0, 0, IMG_W, IMG_H);
  float           sizes[3];
  int             group[3] = { 0, 1, 0 };
  float          *in = test_load_photo_rgba ("coffee.png", 300, 60, IMG_W,
                                             IMG_H);
  float          *out = malloc (sizeof (float) * 4 * IMG_W * IMG_H);

  skc_shape_params_from_name ("heart", &shape);
  skc_fit_options_init (&o);
  o.n_samples = 24;
  o.n_layers = 4;
  o.steps = 400;
  skc_chroma_sizes (23.0f, 0.3f, sizes);
  CHECK_OK (skc_family_fit (&shape, NULL, 4.0f, 23.0f, 4, &o, &f));
  if (!f || !in)
    goto out;
  for (int g = 0; g < 2; g++)
    {
      CHECK_OK (skc_complex_copy (f->bases[0], &c[g]));
      skc_family_eval (f, sizes[g], 0.0f, c[g]);
      CHECK_OK (skc_plan_new (c[g], &plans.plan[g]));
    }
  skc_apply_options_init (&ao);
  CHECK_OK (skc_apply_channels_rgba (2, group, apply_plan, &plans,
                                     skc_in_view (in, 4 * IMG_W, all), all,
                                     skc_out_view (out, 4 * IMG_W, all),
                                     &ao));
  for (int ch = 0; ch < 3; ch++)
    {
      SkcKernel *k = NULL;
      double     p;

      CHECK_OK (skc_kernel_target (&shape, NULL, sizes[ch], 0.0f, &k));
      if (!k)
        continue;
      p = channel_psnr (in, out, ch, k);
      printf ("axial CA 0.3, heart 23 px: channel %d (%.1f px) %.2f dB "
              "against its dense blur\n", ch, (double) sizes[ch], p);
      CHECK (p > 62.0, "axial CA channel %d: %.2f dB", ch, p);
      skc_kernel_free (k);
    }
  /* alpha through green's kernel: 1 stays 1 */
  CHECK_NEAR (out[4 * (40 * IMG_W + 60) + 3], 1.0, 2e-3, "alpha");
out:
  for (int g = 0; g < 2; g++)
    {
      skc_plan_free (plans.plan[g]);
      skc_complex_free (c[g]);
    }
  skc_family_free (f);
  free (in);
  free (out);
}

/* A colour kernel image: red a disk, green a ring, blue a heart, each
 * channel its own kernel. */
static void
test_color_kernel (void)
{
  const char     *names[3] = { "disk", "ring", "heart" };
  SkcImage       *img = NULL;
  SkcKernel      *k[3] = { NULL, NULL, NULL }, *truth[3] = { NULL, NULL, NULL };
  SkcComplex     *c[3] = { NULL, NULL, NULL };
  Plans           plans = { { NULL, NULL, NULL } };
  SkcApplyOptions ao;
  SkcRect         all = test_rect (0, 0, IMG_W, IMG_H);
  int             group[3] = { 0, 1, 2 }, side = 23;
  float          *in = test_load_photo_rgba ("coffee.png", 300, 60, IMG_W,
                                             IMG_H);
  float          *out = malloc (sizeof (float) * 4 * IMG_W * IMG_H);

  CHECK_OK (skc_image_new (side, side, 3, &img));
  if (!img || !in)
    goto out;
  for (int ch = 0; ch < 3; ch++)
    {
      SkcShapeParams p;
      SkcKernel     *r = NULL;
      double         sum = 0.0;

      skc_shape_params_from_name (names[ch], &p);
      p.side_px = side;
      CHECK_OK (skc_shape_render (&p, &r));
      CHECK_OK (skc_kernel_new (side, side, &truth[ch]));
      if (!r || !truth[ch])
        goto out;
      /* the image holds the shapes at different brightness */
      for (int i = 0; i < side * side; i++)
        {
          img->data[3 * i + ch] = r->data[i] * (0.5f + 0.2f * ch) * 40.0f;
          sum += img->data[3 * i + ch];
        }
      for (int i = 0; i < side * side; i++)
        truth[ch]->data[i] = (float) (img->data[3 * i + ch] / sum);
      skc_kernel_free (r);
    }
  for (int ch = 0; ch < 3; ch++)
    {
      CHECK_OK (skc_kernel_from_image_channel (img, ch, &k[ch]));
      if (!k[ch])
        goto out;
      for (int i = 0; i < side * side; i++)
        CHECK_NEAR (k[ch]->data[i], truth[ch]->data[i], 1e-6,
                    "channel kernel");
      c[ch] = fit (k[ch]);
      if (!c[ch])
        goto out;
      CHECK_OK (skc_plan_new (c[ch], &plans.plan[ch]));
    }
  skc_apply_options_init (&ao);
  CHECK_OK (skc_apply_channels_rgba (3, group, apply_plan, &plans,
                                     skc_in_view (in, 4 * IMG_W, all), all,
                                     skc_out_view (out, 4 * IMG_W, all),
                                     &ao));
  for (int ch = 0; ch < 3; ch++)
    {
      double p = channel_psnr (in, out, ch, truth[ch]);

      printf ("colour kernel: channel %d (%s) %.2f dB against its dense "
              "blur\n", ch, names[ch], p);
      CHECK (p > 64.0, "colour kernel channel %d: %.2f dB", ch, p);
    }
  /* bad arguments */
  group[0] = 3;
  CHECK (skc_apply_channels_rgba (3, group, apply_plan, &plans,
                                  skc_in_view (in, 4 * IMG_W, all), all,
                                  skc_out_view (out, 4 * IMG_W, all), &ao) == SKC_ERR_INVALID, "group 3 of 3");
out:
  for (int ch = 0; ch < 3; ch++)
    {
      skc_kernel_free (k[ch]);
      skc_kernel_free (truth[ch]);
      skc_complex_free (c[ch]);
      skc_plan_free (plans.plan[ch]);
    }
  skc_image_free (img);
  free (in);
  free (out);
}

int
main (void)
{
  test_sizes ();
  test_axial ();
  test_color_kernel ();
  return test_finish ();
}
