/* The coarse correction (skc-correct.c) against the dense reference
 * skc_convolve_dense (the independent truth, skc-reference.c): a complex
 * of the default budget (24 x 4) that misses the fidelity target on a
 * big star, with its correction, on a photo; the same result whatever
 * the roi and the input's stride; the highlight level; the corrected
 * fidelity check.
 *
 * Floors are set a few dB under the values measured when they were
 * written (in the messages).
 */
#include "test-common.h"
#include "skc-private.h"

#include <stdlib.h>
#include <string.h>

#define W 320
#define H 240

static float *
dense_rgb (const float *img, const SkcKernel *k)
{
  float *out = malloc (sizeof (float) * 4 * W * H);
  float *a = malloc (sizeof (float) * W * H), *b = malloc (sizeof (float) * W * H);

  for (int c = 0; c < 3; c++)
    {
      for (int i = 0; i < W * H; i++)
        a[i] = img[4 * i + c];
      CHECK_OK (skc_convolve_dense (a, W, H, k, b));
      for (int i = 0; i < W * H; i++)
        out[4 * i + c] = b[i];
    }
  for (int i = 0; i < W * H; i++)
    out[4 * i + 3] = 1.0f;   /* alpha 1, a unit-sum kernel */
  free (a);
  free (b);
  return out;
}

/* PSNR (peak 1) of RGB (or RGBA) over @r of two W x H images. */
static double
psnr_in (const float *a, const float *b, SkcRect r, int channels)
{
  double se = 0;
  size_t n = 0;

  for (int y = r.y; y < r.y + r.height; y++)
    for (int x = r.x; x < r.x + r.width; x++)
      for (int c = 0; c < channels; c++)
        {
          double d = a[4 * (y * W + x) + c] - b[4 * (y * W + x) + c];

          se += d * d;
          n++;
        }
  return se > 0 ? 10 * log10 (n / se) : INFINITY;
}

/* The complex alone, then (with @corr) its correction at @level, over
 * the roi @roi read from a crop of @img with a padded stride, into the
 * roi's pixels of the W x H @out. */
static void
render (const SkcPlan *plan, const SkcCorrection *corr, float level,
        const float *img, SkcRect roi, float *out)
{
  SkcRect all = test_rect (0, 0, W, H);
  int     halo = skc_plan_halo (plan);
  SkcRect in_rect;
  int     stride;
  float  *in, *res;

  if (corr && skc_correction_halo (corr) > halo)
    halo = skc_correction_halo (corr);
  in_rect = test_rect (roi.x - halo, roi.y - halo, roi.width + 2 * halo,
                       roi.height + 2 * halo);
  in_rect.x = in_rect.x < 0 ? 0 : in_rect.x;
  in_rect.y = in_rect.y < 0 ? 0 : in_rect.y;
  in_rect.width = (roi.x + roi.width + halo > W ? W : roi.x + roi.width + halo)
                  - in_rect.x;
  in_rect.height = (roi.y + roi.height + halo > H ? H : roi.y + roi.height + halo)
                   - in_rect.y;
  stride = 4 * in_rect.width + 8;
  in = calloc ((size_t) stride * in_rect.height, sizeof *in);
  res = malloc (sizeof (float) * 4 * roi.width * roi.height);
  for (int y = 0; y < in_rect.height; y++)
    memcpy (in + (size_t) y * stride,
            img + 4 * ((size_t) (in_rect.y + y) * W + in_rect.x),
            4 * (size_t) in_rect.width * sizeof *in);
  CHECK_OK (skc_apply_rgba (plan, skc_in_view (in, stride, in_rect), all,
                            skc_out_view (res, 4 * roi.width, roi), NULL));
  if (corr)
    CHECK_OK (skc_correction_add_rgba (corr, level,
                                       skc_in_view (in, stride, in_rect), all,
                                       skc_out_view (res, 4 * roi.width, roi),
                                       NULL));
  for (int y = 0; y < roi.height; y++)
    memcpy (out + 4 * ((size_t) (roi.y + y) * W + roi.x),
            res + 4 * (size_t) y * roi.width,
            4 * (size_t) roi.width * sizeof *out);
  free (in);
  free (res);
}

static void
test_correct_photo (void)
{
  SkcShapeParams sp;
  SkcKernel     *k = NULL;
  SkcComplex    *cx = NULL;
  SkcPlan       *plan = NULL;
  SkcCorrection *corr = NULL;
  SkcFitOptions  fo;
  float         *img = test_load_photo_rgba ("coffee.png", 100, 60, W, H);
  float         *ref, *alone, *fixed, *tiled;
  SkcRect        inner;
  int            frame;
  double         p_alone, p_fixed, p_alpha, p_tiles, synth, csynth;

  if (!img)
    return;
  CHECK_OK (skc_shape_params_from_name ("star", &sp));
  CHECK_OK (skc_kernel_target (&sp, NULL, 101.0f, 0.0f, &k));
  skc_fit_options_init (&fo);   /* the default budget, 24 x 4 */
  CHECK (fo.n_samples == 24 && fo.n_layers == 4, "default budget %d x %d",
         fo.n_samples, fo.n_layers);
  CHECK_OK (skc_fit (k, &fo, &cx));
  CHECK_OK (skc_plan_new (cx, &plan));
  CHECK_OK (skc_correction_new (cx, k, 4, &corr));
  CHECK (skc_correction_factor (corr) == 4, "factor %d",
         skc_correction_factor (corr));

  ref = dense_rgb (img, k);
  alone = malloc (sizeof (float) * 4 * W * H);
  fixed = malloc (sizeof (float) * 4 * W * H);
  tiled = malloc (sizeof (float) * 4 * W * H);
  render (plan, NULL, INFINITY, img, test_rect (0, 0, W, H), alone);
  render (plan, corr, INFINITY, img, test_rect (0, 0, W, H), fixed);
  /* the complex's own border treatment differs from the reference's
   * within its reach: compare the interior */
  frame = skc_plan_halo (plan) > k->width / 2 ? skc_plan_halo (plan) : k->width / 2;
  inner = test_rect (frame, frame, W - 2 * frame, H - 2 * frame);
  p_alone = psnr_in (alone, ref, inner, 3);
  p_fixed = psnr_in (fixed, ref, inner, 3);
  p_alpha = psnr_in (fixed, ref, inner, 4);
  printf ("star 101 px, 24 x 4, coffee %d x %d: alone %.2f dB, corrected "
          "%.2f dB (RGBA %.2f)\n", W, H, p_alone, p_fixed, p_alpha);
  /* measured: alone 49.11 dB, corrected 63.05 dB (RGBA 64.30) */
  CHECK (p_fixed >= 61.0, "corrected: %.2f dB against the dense blur, floor 61",
         p_fixed);
  CHECK (p_fixed >= p_alone + 12.0, "corrected %.2f dB, alone %.2f: want 12 dB "
         "more", p_fixed, p_alone);
  CHECK (p_alpha >= 61.0, "corrected RGBA: %.2f dB, floor 61", p_alpha);

  /* the same result from parts, each read from its own crop */
  {
    const SkcRect parts[] = {
      { 0, 0, 97, 240 }, { 97, 0, 130, 51 }, { 97, 51, 130, 189 },
      { 227, 0, 93, 120 }, { 227, 120, 93, 120 },
    };
    double worst = 0;

    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
      render (plan, corr, INFINITY, img, parts[i], tiled);
    for (int i = 0; i < W * H * 4; i++)
      {
        double d = fabs ((double) tiled[i] - fixed[i]);

        worst = d > worst ? d : worst;
      }
    p_tiles = psnr_in (tiled, fixed, test_rect (0, 0, W, H), 4);
    printf ("parts against whole: largest difference %.3g, %.1f dB\n", worst,
            p_tiles);
    /* measured 0 (FFT tiles of other sizes could round differently,
     * about 1e-7) */
    CHECK (worst < 1e-5, "parts differ from the whole by %.3g", worst);
  }

  /* the level: clipping inside equals clipping the input */
  {
    float *clipped = malloc (sizeof (float) * 4 * W * H);
    float  level = 0.2f;
    double worst = 0;

    for (int i = 0; i < W * H * 4; i++)
      clipped[i] = (i & 3) != 3 && img[i] > level ? level : img[i];
    render (plan, corr, level, img, test_rect (0, 0, W, H), tiled);
    render (plan, NULL, INFINITY, img, test_rect (0, 0, W, H), alone);
    for (int i = 0; i < W * H * 4; i++)
      tiled[i] -= alone[i];
    render (plan, corr, INFINITY, clipped, test_rect (0, 0, W, H), fixed);
    render (plan, NULL, INFINITY, clipped, test_rect (0, 0, W, H), alone);
    for (int i = 0; i < W * H * 4; i++)
      {
        double d = fabs ((double) tiled[i] - (fixed[i] - alone[i]));

        worst = d > worst ? d : worst;
      }
    CHECK (worst < 1e-6, "level 0.2: the correction differs from that of "
           "the clipped image by %.3g", worst);
    free (clipped);
  }

  /* the fidelity check of the corrected path */
  CHECK_OK (skc_complex_photo_psnr (cx, k, &synth));
  CHECK_OK (skc_corrected_photo_psnr (cx, k, 4, &csynth));
  printf ("synthetic photo: alone %.2f dB, corrected %.2f dB\n", synth, csynth);
  /* measured: alone 48.74 dB (under the 50 dB target), corrected 56.43 */
  CHECK (synth < SKC_FIDELITY_TARGET_DB && csynth >= 54.0,
         "synthetic photo: alone %.2f dB (want under the target), corrected "
         "%.2f (floor 54)", synth, csynth);

  /* the filter's choice: the cheapest factor that reaches the target */
  {
    int    factor = -1;
    double p = 0;

    CHECK_OK (skc_correction_choose (cx, k, SKC_FIDELITY_TARGET_DB, &factor,
                                     &p));
    printf ("chosen for %.0f dB: factor %d, %.2f dB\n",
            SKC_FIDELITY_TARGET_DB, factor, p);
    CHECK (factor > 0 && p >= SKC_FIDELITY_TARGET_DB, "no factor reaches "
           "%.0f dB (best %.2f)", SKC_FIDELITY_TARGET_DB, p);
    CHECK_OK (skc_correction_choose (cx, k, 90.0, &factor, &p));
    CHECK (factor == 0 && p < 90.0, "90 dB: factor %d at %.2f dB", factor, p);
  }

  /* refusals: a factor out of range, a short input */
  {
    SkcCorrection *bad = NULL;
    float          out[4 * 10 * 10];

    CHECK (skc_correction_new (cx, k, 0, &bad) == SKC_ERR_INVALID && !bad,
           "factor 0 accepted");
    CHECK (skc_correction_new (cx, k, 17, &bad) == SKC_ERR_INVALID && !bad,
           "factor 17 accepted");
    CHECK (skc_correction_add_rgba (corr, INFINITY,
                                    skc_in_view (img + 4 * (100 * W + 100), 4 * W,
                                                 test_rect (100, 100, 30, 30)),
                                    test_rect (0, 0, W, H),
                                    skc_out_view (out, 40, test_rect (110, 110, 10, 10)),
                                    NULL) == SKC_ERR_INVALID,
           "a short input rectangle is accepted");
    CHECK (skc_correction_add_rgba (corr, -1.0f,
                                    skc_in_view (img, 4 * W, test_rect (0, 0, W, H)),
                                    test_rect (0, 0, W, H),
                                    skc_out_view (out, 40, test_rect (110, 110, 10, 10)),
                                    NULL) == SKC_ERR_INVALID,
           "a negative level is accepted");
  }

  skc_correction_free (corr);
  skc_plan_free (plan);
  skc_complex_free (cx);
  skc_kernel_free (k);
  free (img);
  free (ref);
  free (alone);
  free (fixed);
  free (tiled);
}

/* A complex that is its kernel exactly has nothing to correct. */
static void
test_identity (void)
{
  SkcKernel     *k = NULL;
  SkcComplex    *c = NULL;
  SkcCorrection *corr = NULL;
  double         p = 0;

  CHECK_OK (skc_kernel_new (3, 3, &k));
  k->data[4] = 1.0f;
  CHECK_OK (skc_complex_new_uniform (1, 1, &c));
  c->taps[0] = (SkcTap) { 0.0f, 0.0f, 1.0f };
  CHECK_OK (skc_correction_new (c, k, 4, &corr));
  CHECK_OK (skc_corrected_photo_psnr (c, k, 4, &p));
  printf ("identity corrected: %.1f dB\n", p);
  /* measured 141.6 dB, as skc_complex_photo_psnr */
  CHECK (p > 139.0, "identity corrected: %.1f dB, want > 139", p);
  skc_correction_free (corr);
  skc_complex_free (c);
  skc_kernel_free (k);
}

int
main (void)
{
  test_correct_photo ();
  test_identity ();
  return test_finish ();
}
