/* Measuring a complex against its dense kernel on an image: the image-domain
 * PSNR that the benchmark tables and `skc fit` report.
 *
 * Both results come from the same linear-light plane: the complex through
 * the reference apply (skc_complex_photo_psnr, which the filter runs for
 * every new size, through the fast engine: the same up to float
 * rounding, and 10-20 times faster), the kernel through FFT convolution
 * (exact up to float rounding).  The comparison skips a frame as wide as the larger of the
 * kernel's half-size and the complex's reach, where the two border
 * treatments (clamp once vs clamp per layer) legitimately differ.
 */
#include "skc.h"
#include "skc-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* @complex on the gray @plane through the fast engine (skc_apply_rgba on
 * all cores, clamped borders as the reference), into @out. */
static SkcStatus
fast_apply_plane (const SkcComplex *complex, const SkcCorrection *corr,
                  const float *plane, int width, int height, float *out)
{
  size_t          n = (size_t) width * height;
  float          *in = malloc (4 * n * sizeof *in);
  float          *res = malloc (4 * n * sizeof *res);
  SkcPlan        *plan = NULL;
  SkcApplyOptions o;
  SkcRect         all = { 0, 0, width, height };
  SkcStatus       s = in && res ? skc_plan_new (complex, &plan) : SKC_ERR_NOMEM;

  if (s == SKC_OK)
    {
      for (size_t i = 0; i < n; i++)
        in[4 * i] = in[4 * i + 1] = in[4 * i + 2] = in[4 * i + 3] = plane[i];
      skc_apply_options_init (&o);
      o.n_threads = 0;
      s = skc_apply_rgba (plan, skc_in_view (in, 4 * width, all), all,
                          skc_out_view (res, 4 * width, all), &o);
      if (s == SKC_OK && corr)
        s = skc_correction_add_rgba (corr, INFINITY,
                                     skc_in_view (in, 4 * width, all), all,
                                     skc_out_view (res, 4 * width, all), &o);
    }
  if (s == SKC_OK)
    for (size_t i = 0; i < n; i++)
      out[i] = res[4 * i];
  skc_plan_free (plan);
  free (in);
  free (res);
  return s;
}

static SkcStatus
image_psnr (const SkcComplex *complex, const SkcCorrection *corr,
            const SkcKernel *kernel, const float *plane, int width,
            int height, int fast, double *psnr, double *psnr_srgb)
{
  float    *a, *b;
  SkcStatus s;
  int       frame;

  if (!complex || !kernel || !plane || !psnr)
    return SKC_ERR_INVALID;
  frame = skc_complex_reach (complex);
  if (kernel->width / 2 + 1 > frame)
    frame = kernel->width / 2 + 1;
  if (kernel->height / 2 + 1 > frame)
    frame = kernel->height / 2 + 1;
  if (skc_correction_halo (corr) > frame)
    frame = skc_correction_halo (corr);
  if (width <= 2 * frame || height <= 2 * frame)
    return SKC_ERR_INVALID;
  a = malloc (sizeof (float) * (size_t) width * height);
  b = malloc (sizeof (float) * (size_t) width * height);
  if (!a || !b)
    {
      free (a);
      free (b);
      return SKC_ERR_NOMEM;
    }
  s = fast ? fast_apply_plane (complex, corr, plane, width, height, a)
       : skc_complex_apply_plane (complex, plane, width, height, a);
  if (s == SKC_OK)
    s = skc_convolve_fft (plane, width, height, kernel, b);
  if (s == SKC_OK)
    *psnr = skc_psnr_rect (a, b, width, frame, frame, width - 2 * frame,
                           height - 2 * frame, 1.0);
  if (s == SKC_OK && psnr_srgb)
    {
      /* The same comparison after encoding both results to sRGB, as an
       * 8-bit pipeline would see them: dark errors weigh more. */
      for (size_t i = 0; i < (size_t) width * height; i++)
        {
          a[i] = skc_linear_to_srgb (a[i] < 0 ? 0 : a[i] > 1 ? 1 : a[i]);
          b[i] = skc_linear_to_srgb (b[i] < 0 ? 0 : b[i] > 1 ? 1 : b[i]);
        }
      *psnr_srgb = skc_psnr_rect (a, b, width, frame, frame, width - 2 * frame,
                                  height - 2 * frame, 1.0);
    }
  free (a);
  free (b);
  return s;
}

SkcStatus
skc_eval_image_psnr (const SkcComplex *complex, const SkcKernel *kernel,
                     const float *plane, int width, int height, double *psnr,
                     double *psnr_srgb)
{
  return image_psnr (complex, NULL, kernel, plane, width, height, 0, psnr,
                     psnr_srgb);
}

SkcStatus
skc_image_luminance_linear (const SkcImage *image, float **out)
{
  size_t n;
  float *p;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!image || !image->data || image->channels < 1 || image->channels > 4)
    return SKC_ERR_INVALID;
  n = (size_t) image->width * image->height;
  p = malloc (n * sizeof *p);
  if (!p)
    return SKC_ERR_NOMEM;
  for (size_t i = 0; i < n; i++)
    {
      const float *v = image->data + i * image->channels;

      p[i] = image->channels >= 3
             ? 0.2126f * skc_srgb_to_linear (v[0])
               + 0.7152f * skc_srgb_to_linear (v[1])
               + 0.0722f * skc_srgb_to_linear (v[2])
             : skc_srgb_to_linear (v[0]);
    }
  *out = p;
  return SKC_OK;
}

SkcStatus
skc_eval_kernel_psnr (const SkcComplex *complex, const SkcKernel *kernel,
                      double *psnr)
{
  int    reach, cw, ch;
  float *resp, *crop;
  size_t nt;

  if (!complex || !kernel || !psnr)
    return SKC_ERR_INVALID;
  reach = skc_complex_reach (complex);
  cw = (kernel->width > 2 * reach + 1 ? kernel->width : 2 * reach + 1) | 1;
  ch = (kernel->height > 2 * reach + 1 ? kernel->height : 2 * reach + 1) | 1;
  nt = (size_t) kernel->width * kernel->height;
  resp = malloc ((size_t) cw * ch * sizeof *resp);
  crop = malloc (nt * sizeof *crop);
  if (!resp || !crop)
    {
      free (resp);
      free (crop);
      return SKC_ERR_NOMEM;
    }
  if (skc_complex_synthesize (complex, cw, ch, resp) != SKC_OK)
    {
      free (resp);
      free (crop);
      return SKC_ERR_INVALID;
    }
  for (int y = 0; y < kernel->height; y++)
    memcpy (crop + (size_t) y * kernel->width,
            resp + (size_t) (y + ch / 2 - kernel->height / 2) * cw
            + cw / 2 - kernel->width / 2,
            (size_t) kernel->width * sizeof *crop);
  *psnr = skc_psnr (crop, kernel->data, nt, skc_kernel_peak (kernel));
  free (resp);
  free (crop);
  return SKC_OK;
}

/* A synthetic photo: "dead leaves", opaque disks of random gray (uniform
 * in sRGB, stored linear) dropped one over the other, radii drawn with
 * density r^-3 between 2 and 64 px, which gives the power spectrum of
 * natural images (about 1/f^2) and their sharp occluding edges; drawn at
 * twice the size and averaged down, so edges are anti-aliased like a
 * camera's.  Deterministic. */
static float *
dead_leaves (int side)
{
  int       big = 2 * side;
  float    *hi = malloc ((size_t) big * big * sizeof *hi);
  float    *lo = malloc ((size_t) side * side * sizeof *lo);
  uint64_t  rng = 0x5eedbeefcafe1234ull;
  const int n = 40 * side * side / 1024 + 200;

  if (!hi || !lo)
    {
      free (hi);
      free (lo);
      return NULL;
    }
  for (size_t i = 0; i < (size_t) big * big; i++)
    hi[i] = 0.2f;
  for (int d = 0; d < n; d++)
    {
      double u = skc_rng_uniform (&rng);
      /* inverse CDF of r^-3 on [2, 64] px, times 2 for the doubled image */
      double r = 2.0 / sqrt (1.0 / 4.0 - u * (1.0 / 4.0 - 1.0 / 4096.0));
      double cx = skc_rng_uniform (&rng) * big;
      double cy = skc_rng_uniform (&rng) * big;
      float  v = skc_srgb_to_linear ((float) skc_rng_uniform (&rng));
      int    y0 = (int) floor (cy - r), y1 = (int) ceil (cy + r);
      int    x0 = (int) floor (cx - r), x1 = (int) ceil (cx + r);

      for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < big; y++)
        for (int x = x0 < 0 ? 0 : x0; x <= x1 && x < big; x++)
          if ((x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy)
              <= r * r)
            hi[(size_t) y * big + x] = v;
    }
  for (int y = 0; y < side; y++)
    for (int x = 0; x < side; x++)
      {
        const float *p = hi + (size_t) 2 * y * big + 2 * x;

        lo[(size_t) y * side + x] = 0.25f * (p[0] + p[1] + p[big] + p[big + 1]);
      }
  free (hi);
  return lo;
}

static SkcStatus
photo_psnr (const SkcComplex *complex, const SkcCorrection *corr,
            const SkcKernel *kernel, double *psnr)
{
  int       frame, side;
  float    *plane;
  SkcStatus s;

  frame = skc_complex_reach (complex);
  frame = kernel->width / 2 + 1 > frame ? kernel->width / 2 + 1 : frame;
  frame = kernel->height / 2 + 1 > frame ? kernel->height / 2 + 1 : frame;
  frame = skc_correction_halo (corr) > frame ? skc_correction_halo (corr)
                                             : frame;
  side = 256 + 2 * frame;
  plane = dead_leaves (side);
  if (!plane)
    return SKC_ERR_NOMEM;
  s = image_psnr (complex, corr, kernel, plane, side, side, 1, psnr, NULL);
  free (plane);
  return s;
}

SkcStatus
skc_complex_photo_psnr (const SkcComplex *complex, const SkcKernel *kernel,
                        double *psnr)
{
  if (!complex || !kernel || !psnr)
    return SKC_ERR_INVALID;
  return photo_psnr (complex, NULL, kernel, psnr);
}

/* The synthetic photo's PSNR through @complex corrected at each of the
 * @n @factors (skc_correction_add_rgba), into @out: one photo, one
 * reference and one complex apply for all.  The frame skipped covers the
 * largest factor's halo (its bound r + 2.5 factor, r the larger of the
 * kernel's half-size and the complex's reach), so a factor measures the
 * same whichever others come along, as long as they are no larger. */
static SkcStatus
corrected_psnrs (const SkcComplex *complex, const SkcKernel *kernel,
                 const int *factors, int n, double *out)
{
  int             r = skc_complex_reach (complex), fmax = 8, frame, side;
  float          *plane = NULL, *ref = NULL, *in = NULL, *alone = NULL;
  float          *res = NULL, *gray = NULL;
  SkcPlan        *plan = NULL;
  SkcApplyOptions o;
  SkcStatus       s;
  size_t          np;

  r = kernel->width / 2 > r ? kernel->width / 2 : r;
  r = kernel->height / 2 > r ? kernel->height / 2 : r;
  for (int i = 0; i < n; i++)
    fmax = factors[i] > fmax ? factors[i] : fmax;
  frame = r + (5 * fmax + 1) / 2 + 1;
  side = 256 + 2 * frame;
  np = (size_t) side * side;
  plane = dead_leaves (side);
  ref = malloc (np * sizeof *ref);
  gray = malloc (np * sizeof *gray);
  in = calloc (4 * np, sizeof *in);
  alone = malloc (4 * np * sizeof *alone);
  res = malloc (4 * np * sizeof *res);
  s = plane && ref && gray && in && alone && res ? SKC_OK : SKC_ERR_NOMEM;
  if (s == SKC_OK)
    s = skc_convolve_fft (plane, side, side, kernel, ref);
  if (s == SKC_OK)
    s = skc_plan_new (complex, &plan);
  if (s == SKC_OK)
    {
      SkcRect all = { 0, 0, side, side };

      /* the photo in red; green, blue and alpha 0 (flat: the coarse part
       * transforms one channel) */
      for (size_t i = 0; i < np; i++)
        in[4 * i] = plane[i];
      skc_apply_options_init (&o);
      o.n_threads = 0;
      s = skc_apply_rgba (plan, skc_in_view (in, 4 * side, all), all,
                          skc_out_view (alone, 4 * side, all), &o);
      for (int f = 0; f < n && s == SKC_OK; f++)
        {
          SkcCorrection *corr = NULL;

          memcpy (res, alone, 4 * np * sizeof *res);
          s = skc_correction_new (complex, kernel, factors[f], &corr);
          if (s == SKC_OK)
            s = skc_correction_add_rgba (corr, INFINITY,
                                         skc_in_view (in, 4 * side, all), all,
                                         skc_out_view (res, 4 * side, all),
                                         &o);
          skc_correction_free (corr);
          if (s != SKC_OK)
            break;
          for (size_t i = 0; i < np; i++)
            gray[i] = res[4 * i];
          out[f] = skc_psnr_rect (gray, ref, side, frame, frame,
                                  side - 2 * frame, side - 2 * frame, 1.0);
        }
    }
  skc_plan_free (plan);
  free (plane);
  free (ref);
  free (gray);
  free (in);
  free (alone);
  free (res);
  return s;
}

SkcStatus
skc_corrected_photo_psnr (const SkcComplex *complex, const SkcKernel *kernel,
                          int factor, double *psnr)
{
  if (!complex || !kernel || !psnr || factor < 1 || factor > 16)
    return SKC_ERR_INVALID;
  return corrected_psnrs (complex, kernel, &factor, 1, psnr);
}

SkcStatus
skc_correction_choose (const SkcComplex *complex, const SkcKernel *kernel,
                       double target, int *factor, double *psnr)
{
  static const int factors[] = SKC_CORRECTION_FACTORS;
  const int        n = (int) (sizeof factors / sizeof factors[0]);
  double           p[sizeof factors / sizeof factors[0]];
  SkcStatus        s;

  if (!complex || !kernel || !factor || !psnr || isnan (target))
    return SKC_ERR_INVALID;
  *factor = 0;
  *psnr = -INFINITY;
  s = corrected_psnrs (complex, kernel, factors, n, p);
  if (s != SKC_OK)
    return s;
  for (int i = 0; i < n; i++)
    if (p[i] >= target)
      {
        *factor = factors[i];
        *psnr = p[i];
        return SKC_OK;
      }
  for (int i = 0; i < n; i++)
    *psnr = p[i] > *psnr ? p[i] : *psnr;
  return SKC_OK;
}
