/* Tests of the exact references (core/skc-reference.c) and the metrics
 * (core/skc-metrics.c).
 *
 * The dense convolution is checked against first principles: an
 * off-centre impulse must come out as the kernel itself, un-mirrored, at
 * the impulse (true convolution), and on a tiny image every output must
 * equal the naive clamped sum.  The FFT path is then checked against the
 * dense one on random planes and kernels of many shapes, with a tolerance
 * relative to the output's magnitude (float FFTs lose about log2 (n) ulps,
 * far below 1e-5).
 */
#include "test-common.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static float *
random_plane (int       width,
              int       height,
              uint64_t *rng)
{
  float *p = malloc ((size_t) width * height * sizeof *p);

  for (size_t i = 0; i < (size_t) width * height; i++)
    p[i] = (float) test_rand (rng);
  return p;
}

/* Kernels are made here rather than with skc_kernel_new () so that this
 * test depends on nothing but the code under test. */
static SkcKernel *
kernel_new (int width,
            int height)
{
  SkcKernel *k = malloc (sizeof *k);

  k->width = width;
  k->height = height;
  k->data = calloc ((size_t) width * height, sizeof *k->data);
  return k;
}

static void
kernel_free (SkcKernel *k)
{
  if (k)
    free (k->data);
  free (k);
}

/* A random kernel; @signed_weights allows negative values. */
static SkcKernel *
random_kernel (int       width,
               int       height,
               int       signed_weights,
               uint64_t *rng)
{
  SkcKernel *k = kernel_new (width, height);

  for (int i = 0; i < width * height; i++)
    k->data[i] = (float) (signed_weights ? test_rand (rng) - 0.3
                                         : test_rand (rng));
  if (!signed_weights)
    {
      double sum = 0.0;

      for (int i = 0; i < width * height; i++)
        sum += k->data[i];
      for (int i = 0; i < width * height; i++)
        k->data[i] = (float) (k->data[i] / sum);
    }
  return k;
}

static int
clampi (int v,
        int lo,
        int hi)
{
  return v < lo ? lo : v > hi ? hi : v;
}

/* out(x, y) = sum_u K(u) in (clamp (p - u)), straight from the definition. */
static void
naive_convolve (const float     *src,
                int              width,
                int              height,
                const SkcKernel *k,
                double          *out)
{
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        double s = 0.0;

        for (int j = 0; j < k->height; j++)
          for (int i = 0; i < k->width; i++)
            {
              int ux = i - k->width / 2, uy = j - k->height / 2;
              int sx = clampi (x - ux, 0, width - 1);
              int sy = clampi (y - uy, 0, height - 1);

              s += (double) k->data[j * k->width + i]
                   * src[sy * width + sx];
            }
        out[y * width + x] = s;
      }
}

static void
test_impulse (void)
{
  const int  w = 21, h = 17, px = 6, py = 9;
  float     *src = calloc ((size_t) w * h, sizeof *src);
  float     *dense = malloc ((size_t) w * h * sizeof *dense);
  float     *fft = malloc ((size_t) w * h * sizeof *fft);
  SkcKernel *k = kernel_new (5, 3);
  int        bad_dense = 0, bad_fft = 0;

  /* every weight distinct, so any mirroring or shift shows */
  for (int j = 0; j < 3; j++)
    for (int i = 0; i < 5; i++)
      k->data[j * 5 + i] = (float) (1 + i + 10 * j);
  src[py * w + px] = 1.0f;

  CHECK_OK (skc_convolve_dense (src, w, h, k, dense));
  CHECK_OK (skc_convolve_fft (src, w, h, k, fft));
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        /* out(p) = K(p - impulse): kernel pixel (i, j) at
         * (px + i - 2, py + j - 1) */
        int   i = x - px + 2, j = y - py + 1;
        float want = (i >= 0 && i < 5 && j >= 0 && j < 3)
                     ? k->data[j * 5 + i] : 0.0f;

        bad_dense += dense[y * w + x] != want;
        bad_fft += fabsf (fft[y * w + x] - want) > 1e-4f;
      }
  CHECK (bad_dense == 0, "dense impulse response: %d pixels wrong",
         bad_dense);
  CHECK (bad_fft == 0, "fft impulse response: %d pixels wrong", bad_fft);
  /* spot check: the kernel's top-left weight lands up-left of the impulse */
  CHECK (dense[(py - 1) * w + (px - 2)] == 1.0f
         && dense[(py + 1) * w + (px + 2)] == 25.0f,
         "orientation: %g %g", (double) dense[(py - 1) * w + (px - 2)],
         (double) dense[(py + 1) * w + (px + 2)]);

  kernel_free (k);
  free (src);
  free (dense);
  free (fft);
}

static void
test_naive_clamp (void)
{
  uint64_t rng = 3;
  static const int shapes[][4] = {
    /* image w, h, kernel w, h */
    { 4, 3, 5, 5 },
    { 3, 5, 7, 3 },
    { 1, 1, 3, 3 },
    { 6, 2, 1, 9 },
    { 5, 4, 11, 13 },
  };

  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
    {
      int        w = shapes[s][0], h = shapes[s][1];
      float     *src = random_plane (w, h, &rng);
      SkcKernel *k = random_kernel (shapes[s][2], shapes[s][3], 1, &rng);
      double    *want = malloc ((size_t) w * h * sizeof *want);
      float     *dense = malloc ((size_t) w * h * sizeof *dense);
      float     *fft = malloc ((size_t) w * h * sizeof *fft);
      double     err_dense = 0.0, err_fft = 0.0, mag = 0.0;

      naive_convolve (src, w, h, k, want);
      CHECK_OK (skc_convolve_dense (src, w, h, k, dense));
      CHECK_OK (skc_convolve_fft (src, w, h, k, fft));
      for (int i = 0; i < w * h; i++)
        {
          err_dense = fmax (err_dense, fabs (dense[i] - want[i]));
          err_fft = fmax (err_fft, fabs (fft[i] - want[i]));
          mag = fmax (mag, fabs (want[i]));
        }
      CHECK (err_dense <= 1e-6 * fmax (mag, 1.0),
             "clamp %dx%d * %dx%d: dense error %g", w, h, shapes[s][2],
             shapes[s][3], err_dense);
      CHECK (err_fft <= 1e-5 * fmax (mag, 1.0),
             "clamp %dx%d * %dx%d: fft error %g", w, h, shapes[s][2],
             shapes[s][3], err_fft);
      kernel_free (k);
      free (src);
      free (want);
      free (dense);
      free (fft);
    }
}

static void
test_dense_vs_fft (void)
{
  uint64_t rng = 11;
  static const int shapes[][5] = {
    /* image w, h, kernel w, h, signed */
    { 64, 48, 9, 9, 0 },
    { 37, 53, 15, 7, 0 },
    { 20, 13, 41, 41, 0 },    /* kernel larger than the image */
    { 1, 1, 5, 5, 0 },
    { 50, 40, 1, 1, 0 },
    { 7, 1, 3, 9, 1 },
    { 1, 30, 11, 1, 1 },
    { 128, 96, 49, 49, 0 },
    { 101, 67, 31, 17, 1 },
    { 211, 127, 3, 3, 0 },
  };

  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
    {
      int        w = shapes[s][0], h = shapes[s][1];
      float     *src = random_plane (w, h, &rng);
      SkcKernel *k = random_kernel (shapes[s][2], shapes[s][3],
                                    shapes[s][4], &rng);
      float     *dense = malloc ((size_t) w * h * sizeof *dense);
      float     *fft = malloc ((size_t) w * h * sizeof *fft);
      double     err = 0.0, mag = 0.0;

      CHECK_OK (skc_convolve_dense (src, w, h, k, dense));
      CHECK_OK (skc_convolve_fft (src, w, h, k, fft));
      for (int i = 0; i < w * h; i++)
        {
          err = fmax (err, fabs ((double) dense[i] - fft[i]));
          mag = fmax (mag, fabs (dense[i]));
        }
      CHECK (err <= 1e-5 * mag,
             "dense vs fft %dx%d * %dx%d: max error %g, relative %g", w, h,
             shapes[s][2], shapes[s][3], err, err / mag);
      kernel_free (k);
      free (src);
      free (dense);
      free (fft);
    }
}

static void
test_constant_and_identity (void)
{
  uint64_t   rng = 5;
  const int  w = 33, h = 19;
  float     *src = malloc ((size_t) w * h * sizeof *src);
  float     *dense = malloc ((size_t) w * h * sizeof *dense);
  float     *fft = malloc ((size_t) w * h * sizeof *fft);
  SkcKernel *k = random_kernel (7, 5, 0, &rng);
  SkcKernel *one = kernel_new (1, 1);
  double     err_dense = 0.0, err_fft = 0.0;
  int        identical = 1;

  for (int i = 0; i < w * h; i++)
    src[i] = 0.37f;
  CHECK_OK (skc_convolve_dense (src, w, h, k, dense));
  CHECK_OK (skc_convolve_fft (src, w, h, k, fft));
  for (int i = 0; i < w * h; i++)
    {
      err_dense = fmax (err_dense, fabs (dense[i] - 0.37));
      err_fft = fmax (err_fft, fabs (fft[i] - 0.37));
    }
  CHECK (err_dense <= 1e-6, "constant stays constant (dense): %g", err_dense);
  CHECK (err_fft <= 1e-5, "constant stays constant (fft): %g", err_fft);

  /* a 1x1 unit kernel is the identity, exactly for the direct sum */
  one->data[0] = 1.0f;
  free (src);
  src = random_plane (w, h, &rng);
  CHECK_OK (skc_convolve_dense (src, w, h, one, dense));
  for (int i = 0; i < w * h; i++)
    identical &= dense[i] == src[i];
  CHECK (identical, "1x1 unit kernel is the identity");

  /* in place (src == dst) gives the same as out of place */
  {
    float *inplace = malloc ((size_t) w * h * sizeof *inplace);
    int    same = 1;

    memcpy (inplace, src, (size_t) w * h * sizeof *inplace);
    CHECK_OK (skc_convolve_dense (src, w, h, k, dense));
    CHECK_OK (skc_convolve_dense (inplace, w, h, k, inplace));
    for (int i = 0; i < w * h; i++)
      same &= inplace[i] == dense[i];
    CHECK (same, "dense in place");
    memcpy (inplace, src, (size_t) w * h * sizeof *inplace);
    CHECK_OK (skc_convolve_fft (src, w, h, k, fft));
    CHECK_OK (skc_convolve_fft (inplace, w, h, k, inplace));
    same = 1;
    for (int i = 0; i < w * h; i++)
      same &= inplace[i] == fft[i];
    CHECK (same, "fft in place");
    free (inplace);
  }

  kernel_free (k);
  kernel_free (one);
  free (src);
  free (dense);
  free (fft);
}

static void
test_bad_args (void)
{
  float     buf[16] = { 0 };
  float     kdata[4] = { 1, 0, 0, 0 };
  SkcKernel even = { 2, 1, kdata };
  SkcKernel huge = { SKC_MAX_KERNEL_SIZE + 2, 1, kdata };
  SkcKernel nodata = { 1, 1, NULL };
  SkcKernel good = { 1, 1, kdata };
  SkcStatus (*fn[2]) (const float *, int, int, const SkcKernel *, float *) = {
    skc_convolve_dense, skc_convolve_fft
  };

  for (int f = 0; f < 2; f++)
    {
      CHECK (fn[f] (NULL, 4, 4, &good, buf) == SKC_ERR_INVALID, "NULL src");
      CHECK (fn[f] (buf, 4, 4, &good, NULL) == SKC_ERR_INVALID, "NULL dst");
      CHECK (fn[f] (buf, 4, 4, NULL, buf) == SKC_ERR_INVALID, "NULL kernel");
      CHECK (fn[f] (buf, 4, 4, &nodata, buf) == SKC_ERR_INVALID,
             "kernel without data");
      CHECK (fn[f] (buf, 0, 4, &good, buf) == SKC_ERR_INVALID, "width 0");
      CHECK (fn[f] (buf, 4, -1, &good, buf) == SKC_ERR_INVALID, "height -1");
      CHECK (fn[f] (buf, SKC_MAX_IMAGE_SIDE + 1, 1, &good, buf)
             == SKC_ERR_INVALID, "width too large");
      CHECK (fn[f] (buf, 4, 4, &even, buf) == SKC_ERR_INVALID, "even kernel");
      CHECK (fn[f] (buf, 4, 4, &huge, buf) == SKC_ERR_INVALID, "huge kernel");
    }
}

typedef struct
{
  const float     *src;
  int              width, height;
  const SkcKernel *kernel;
  float           *dst;
  SkcStatus        status;
} FftJob;

static void *
fft_thread (void *data)
{
  FftJob *job = data;

  for (int rep = 0; rep < 5 && job->status == SKC_OK; rep++)
    job->status = skc_convolve_fft (job->src, job->width, job->height,
                                    job->kernel, job->dst);
  return NULL;
}

/* FFTW's planner is not thread safe: calls from several threads at once
 * must still work and give the one-thread result. */
static void
test_fft_threads (void)
{
  enum { N_THREADS = 6 };
  uint64_t   rng = 21;
  const int  w = 90, h = 70;
  float     *src = random_plane (w, h, &rng);
  float     *want = malloc ((size_t) w * h * sizeof *want);
  SkcKernel *k = random_kernel (21, 15, 0, &rng);
  FftJob     jobs[N_THREADS];
  pthread_t  tid[N_THREADS];
  int        bad = 0;

  CHECK_OK (skc_convolve_fft (src, w, h, k, want));
  for (int t = 0; t < N_THREADS; t++)
    {
      jobs[t] = (FftJob) { src, w, h, k,
                           malloc ((size_t) w * h * sizeof (float)), SKC_OK };
      pthread_create (&tid[t], NULL, fft_thread, &jobs[t]);
    }
  for (int t = 0; t < N_THREADS; t++)
    {
      pthread_join (tid[t], NULL);
      bad += jobs[t].status != SKC_OK
             || memcmp (jobs[t].dst, want, (size_t) w * h * sizeof *want);
      free (jobs[t].dst);
    }
  CHECK (bad == 0, "fft from %d threads: %d differ", N_THREADS, bad);
  kernel_free (k);
  free (src);
  free (want);
}

static void
test_psnr (void)
{
  enum { W = 10, H = 8 };
  float  a[W * H], b[W * H];
  double want;

  for (int i = 0; i < W * H; i++)
    a[i] = b[i] = (float) (i % 7) / 7.0f;
  CHECK (isinf (skc_psnr (a, b, W * H, 1.0)) && skc_psnr (a, b, W * H, 1.0) > 0,
         "identical planes: %g", skc_psnr (a, b, W * H, 1.0));

  /* every value off by 0.1: MSE 0.01, 20 dB at peak 1, 40 dB at peak 10 */
  for (int i = 0; i < W * H; i++)
    b[i] = a[i] + 0.1f;
  CHECK_NEAR (skc_psnr (a, b, W * H, 1.0), 20.0, 1e-5, "psnr 0.1 error");
  CHECK_NEAR (skc_psnr (a, b, W * H, 10.0), 40.0, 1e-5, "psnr peak 10");

  /* one value off by 0.5 among 80: MSE 0.25 / 80 */
  memcpy (b, a, sizeof b);
  b[3 * W + 4] += 0.5f;
  want = 10.0 * log10 (1.0 / ((double) (b[3 * W + 4] - a[3 * W + 4])
                              * (b[3 * W + 4] - a[3 * W + 4]) / (W * H)));
  CHECK_NEAR (skc_psnr (a, b, W * H, 1.0), want, 1e-9, "psnr one pixel");

  /* rectangles: (2, 1, 5, 4) holds the error, (6, 0, 4, 8) does not */
  want = 10.0 * log10 (1.0 / ((double) (b[3 * W + 4] - a[3 * W + 4])
                              * (b[3 * W + 4] - a[3 * W + 4]) / 20.0));
  CHECK_NEAR (skc_psnr_rect (a, b, W, 2, 1, 5, 4, 1.0), want, 1e-9,
              "psnr_rect with the error");
  CHECK (isinf (skc_psnr_rect (a, b, W, 6, 0, 4, 8, 1.0)),
         "psnr_rect without the error is infinite");
  CHECK (isnan (skc_psnr (a, b, 0, 1.0)), "psnr of nothing is NaN");
  CHECK (isnan (skc_psnr_rect (a, b, W, 8, 0, 4, 8, 1.0)),
         "psnr_rect beyond the width is NaN");
}

int
main (void)
{
  test_impulse ();
  test_naive_clamp ();
  test_dense_vs_fft ();
  test_constant_and_identity ();
  test_bad_args ();
  test_fft_threads ();
  test_psnr ();
  return test_finish ();
}
