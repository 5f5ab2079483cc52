/* skc-bench-picture: one picture comparing the methods on the same
 * non-convex bokeh (README).  A night scene of point lights (linear light,
 * lights well above 1 as real highlights are) blurred with a 41 px heart
 * by, left to right: dense convolution (exact, FFT), ours (DISK 24x4 =
 * 96 taps), PST (24x4, full budget) and LowRank (rank 1 = 82 taps, the
 * nearest to 96).  Prints each panel's PSNR against the dense one.
 *
 *   skc-bench-picture OUT.png
 */
#include "skc.h"
#include "skc-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SW 300
#define SH 220
#define GAP 6
#define KSIZE 41

static void
scene (float *rgb)
{
  uint64_t rng = 2026;

  for (int y = 0; y < SH; y++)
    for (int x = 0; x < SW; x++)
      {
        float *p = rgb + 3 * ((size_t) y * SW + x);
        float  g = 0.004f + 0.01f * (float) y / SH;

        p[0] = g * 0.6f;
        p[1] = g * 0.7f;
        p[2] = g * 1.4f;
      }
  for (int i = 0; i < 34; i++)
    {
      int   x = 12 + (int) (skc_rng_uniform (&rng) * (SW - 24));
      int   y = 12 + (int) (skc_rng_uniform (&rng) * (SH - 24));
      float v = 250.0f + 550.0f * (float) skc_rng_uniform (&rng);
      float c[3] = { 1.0f, 0.55f + 0.45f * (float) skc_rng_uniform (&rng),
                     0.25f + 0.5f * (float) skc_rng_uniform (&rng) };

      if (i % 3 == 1)
        c[0] = 0.35f, c[2] = 1.0f;
      for (int k = 0; k < 3; k++)
        rgb[3 * ((size_t) y * SW + x) + k] = v * c[k];
    }
}

static void
blur_dense (const float *rgb, const SkcKernel *k, float *out)
{
  float *a = malloc (sizeof (float) * SW * SH), *b = malloc (sizeof (float) * SW * SH);

  for (int c = 0; c < 3; c++)
    {
      for (int i = 0; i < SW * SH; i++)
        a[i] = rgb[3 * i + c];
      skc_convolve_fft (a, SW, SH, k, b);
      for (int i = 0; i < SW * SH; i++)
        out[3 * i + c] = b[i];
    }
  free (a);
  free (b);
}

static void
blur_complex (const float *rgb, const SkcComplex *cx, float *out)
{
  float          *in = malloc (sizeof (float) * 4 * SW * SH);
  float          *res = malloc (sizeof (float) * 4 * SW * SH);
  SkcPlan        *plan = NULL;
  SkcRect         all = { 0, 0, SW, SH };
  SkcApplyOptions ao;

  for (int i = 0; i < SW * SH; i++)
    {
      memcpy (in + 4 * i, rgb + 3 * i, 3 * sizeof (float));
      in[4 * i + 3] = 1.0f;
    }
  skc_apply_options_init (&ao);
  if (skc_plan_new (cx, &plan) != SKC_OK
      || skc_apply_rgba (plan, skc_in_view (in, 4 * SW, all), all,
                         skc_out_view (res, 4 * SW, all), &ao) != SKC_OK)
    {
      fprintf (stderr, "apply failed\n");
      exit (1);
    }
  for (int i = 0; i < SW * SH; i++)
    memcpy (out + 3 * i, res + 4 * i, 3 * sizeof (float));
  skc_plan_free (plan);
  free (in);
  free (res);
}

static double
psnr (const float *a, const float *b)
{
  double se = 0;
  size_t n = 0;

  /* interior, values clipped to the displayable range as shown */
  for (int y = KSIZE; y < SH - KSIZE; y++)
    for (int x = KSIZE; x < SW - KSIZE; x++)
      for (int c = 0; c < 3; c++)
        {
          double u = fmin (a[3 * ((size_t) y * SW + x) + c], 1.0);
          double v = fmin (b[3 * ((size_t) y * SW + x) + c], 1.0);

          se += (u - v) * (u - v);
          n++;
        }
  return 10 * log10 (n / se);
}

int
main (int argc, char **argv)
{
  SkcShapeParams sp;
  SkcKernel     *k = NULL;
  SkcFitOptions  fo;
  SkcPstOptions  po;
  SkcComplex    *ours = NULL, *pst = NULL, *lr = NULL;
  float         *rgb = malloc (sizeof (float) * 3 * SW * SH);
  float         *panel[4];
  SkcImage      *img = NULL;
  const char    *names[4] = { "dense", "ours 24x4", "PST 24x4", "LowRank r1" };
  int            OW = 4 * SW + 3 * GAP;

  if (argc < 2)
    {
      fprintf (stderr, "usage: skc-bench-picture OUT.png\n");
      return 2;
    }
  scene (rgb);
  skc_shape_params_from_name ("heart", &sp);
  sp.side_px = KSIZE;
  skc_shape_render (&sp, &k);
  skc_fit_options_init (&fo);
  skc_pst_options_init (&po);
  if (skc_fit (k, &fo, &ours) != SKC_OK || skc_fit_pst (k, &po, &pst) != SKC_OK
      || skc_fit_lowrank (k, 1, &lr) != SKC_OK)
    {
      fprintf (stderr, "fit failed\n");
      return 1;
    }
  for (int i = 0; i < 4; i++)
    panel[i] = malloc (sizeof (float) * 3 * SW * SH);
  blur_dense (rgb, k, panel[0]);
  blur_complex (rgb, ours, panel[1]);
  blur_complex (rgb, pst, panel[2]);
  blur_complex (rgb, lr, panel[3]);
  printf ("| panel | taps | PSNR vs dense (dB, clipped display range) |\n|---|---:|---:|\n");
  printf ("| %s | %d | - |\n", names[0], KSIZE * KSIZE);
  printf ("| %s | %d | %.2f |\n", names[1], skc_complex_total_taps (ours), psnr (panel[1], panel[0]));
  printf ("| %s | %d | %.2f |\n", names[2], skc_complex_total_taps (pst), psnr (panel[2], panel[0]));
  printf ("| %s | %d | %.2f |\n", names[3], skc_complex_total_taps (lr), psnr (panel[3], panel[0]));

  skc_image_new (OW, SH, 3, &img);
  for (size_t i = 0; i < (size_t) 3 * OW * SH; i++)
    img->data[i] = 1.0f;
  for (int p = 0; p < 4; p++)
    for (int y = 0; y < SH; y++)
      for (int x = 0; x < SW; x++)
        for (int c = 0; c < 3; c++)
          {
            float v = panel[p][3 * ((size_t) y * SW + x) + c];

            v = v < 0 ? 0 : v > 1 ? 1 : v;
            img->data[3 * ((size_t) y * OW + p * (SW + GAP) + x) + c]
              = skc_linear_to_srgb (v);
          }
  if (skc_image_save (img, argv[1]) != SKC_OK)
    {
      fprintf (stderr, "cannot write %s\n", argv[1]);
      return 1;
    }
  printf ("\nwrote %s: %s | %s | %s | %s\n", argv[1], names[0], names[1], names[2], names[3]);
  skc_image_free (img);
  for (int i = 0; i < 4; i++)
    free (panel[i]);
  free (rgb);
  skc_kernel_free (k);
  skc_complex_free (ours);
  skc_complex_free (pst);
  skc_complex_free (lr);
  return 0;
}
