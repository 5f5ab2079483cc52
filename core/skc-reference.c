/* Exact dense convolution: the references every approximation is measured
 * against.
 *
 * Both functions compute the true convolution of one plane with a dense
 * kernel whose centre is pixel (width / 2, height / 2):
 *
 *     out(p) = sum_u K(u) in(p - u)
 *
 * with the image extended by clamping (edge pixels repeat, GEGL's CLAMP
 * abyss).
 *
 * skc_convolve_dense () is the direct sum, O(w h kw kh), accumulated in
 * double.  It walks the kernel row by row and adds each weight times a
 * shifted, clamped source row into a row of double accumulators, so the
 * inner loop is a plain stride-1 multiply-add; clamping is resolved once
 * per (row, kernel column) through an index table.
 *
 * skc_convolve_fft () does the same through FFTW in single precision:
 * the plane is padded by the kernel radius on every side with replicated
 * edges (that turns the clamped convolution into a plain linear one over
 * the padded plane), the padded plane and the kernel are zero-padded to a
 * size whose factors are 2, 3, 5 and 7 (fast for FFTW), multiplied in the
 * frequency domain and the result cropped.  Only outputs whose support lies
 * inside the padded plane are kept, so the transform needs no room beyond
 * the padded plane itself: the wrap-around of the circular convolution
 * falls entirely outside the crop.  Its error is that of float FFTs, about
 * 1e-6 of the signal's magnitude.
 *
 * FFTW's planner is not thread safe; plan creation and destruction are
 * serialised with one mutex, execution (on plans private to the call) is
 * not.  Plans use FFTW_ESTIMATE, which does not touch the arrays and takes
 * no measurable time.
 */
#include "skc.h"
#include "skc-private.h"

#include <fftw3.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Shared with the exact path (skc-exact.c): skc-private.h. */
pthread_mutex_t skc_fftw_planner_lock = PTHREAD_MUTEX_INITIALIZER;

static SkcStatus
check_args (const float     *src,
            int              width,
            int              height,
            const SkcKernel *kernel,
            const float     *dst)
{
  if (!src || !dst || !kernel || !kernel->data)
    return SKC_ERR_INVALID;
  if (width <= 0 || height <= 0
      || width > SKC_MAX_IMAGE_SIDE || height > SKC_MAX_IMAGE_SIDE)
    return SKC_ERR_INVALID;
  if (kernel->width < 1 || kernel->height < 1
      || kernel->width > SKC_MAX_KERNEL_SIZE
      || kernel->height > SKC_MAX_KERNEL_SIZE
      || kernel->width % 2 == 0 || kernel->height % 2 == 0)
    return SKC_ERR_INVALID;
  if ((size_t) width > SIZE_MAX / sizeof (double) / (size_t) height)
    return SKC_ERR_NOMEM;
  return SKC_OK;
}

SkcStatus
skc_convolve_dense (const float     *src,
                    int              width,
                    int              height,
                    const SkcKernel *kernel,
                    float           *dst)
{
  const int    kw = kernel ? kernel->width : 0;
  const int    kh = kernel ? kernel->height : 0;
  float       *copy = NULL;
  double      *acc;
  int         *colidx;
  SkcStatus    st;

  st = check_args (src, width, height, kernel, dst);
  if (st != SKC_OK)
    return st;

  /* In place is allowed: read from a copy then. */
  if (src == dst)
    {
      copy = malloc ((size_t) width * height * sizeof *copy);
      if (!copy)
        return SKC_ERR_NOMEM;
      memcpy (copy, src, (size_t) width * height * sizeof *copy);
      src = copy;
    }

  /* out(x) takes in(x - i + cx) for kernel column i: with t = x + kw - 1 - i
   * (0 .. width + kw - 2) that is column clamp (t - (kw - 1 - cx)). */
  acc = malloc ((size_t) width * sizeof *acc);
  colidx = malloc (((size_t) width + kw - 1) * sizeof *colidx);
  if (!acc || !colidx)
    {
      free (acc);
      free (colidx);
      free (copy);
      return SKC_ERR_NOMEM;
    }
  for (int t = 0; t < width + kw - 1; t++)
    colidx[t] = skc_clampi (t - (kw - 1 - kw / 2), 0, width - 1);

  for (int y = 0; y < height; y++)
    {
      for (int x = 0; x < width; x++)
        acc[x] = 0.0;
      for (int j = 0; j < kh; j++)
        {
          const int    sy = skc_clampi (y - (j - kh / 2), 0, height - 1);
          const float *row = src + (size_t) sy * width;
          const float *krow = kernel->data + (size_t) j * kw;

          for (int i = 0; i < kw; i++)
            {
              const double k = krow[i];
              const int   *idx = colidx + (kw - 1 - i);

              if (k == 0.0)
                continue;
              for (int x = 0; x < width; x++)
                acc[x] += k * row[idx[x]];
            }
        }
      for (int x = 0; x < width; x++)
        dst[(size_t) y * width + x] = (float) acc[x];
    }

  free (acc);
  free (colidx);
  free (copy);
  return SKC_OK;
}

int
skc_fft_fast_size (int m)
{
  for (int n = m > 1 ? m : 1;; n++)
    {
      int r = n;

      while (r % 2 == 0)
        r /= 2;
      while (r % 3 == 0)
        r /= 3;
      while (r % 5 == 0)
        r /= 5;
      while (r % 7 == 0)
        r /= 7;
      if (r == 1)
        return n;
    }
}

SkcStatus
skc_convolve_fft (const float     *src,
                  int              width,
                  int              height,
                  const SkcKernel *kernel,
                  float           *dst)
{
  int            kw, kh, rx, ry, nx, ny, ncx;
  size_t         n_real, n_cplx;
  float         *plane = NULL, *kplane = NULL;
  fftwf_complex *fplane = NULL, *fkernel = NULL;
  fftwf_plan     p_plane = NULL, p_kernel = NULL, p_inverse = NULL;
  SkcStatus      st;
  float          scale;

  st = check_args (src, width, height, kernel, dst);
  if (st != SKC_OK)
    return st;
  kw = kernel->width;
  kh = kernel->height;
  rx = kw / 2;
  ry = kh / 2;
  /* padded plane (width + 2 rx) x (height + 2 ry); both below 2^17 */
  nx = skc_fft_fast_size (width + 2 * rx);
  ny = skc_fft_fast_size (height + 2 * ry);
  ncx = nx / 2 + 1;
  if ((size_t) nx > SIZE_MAX / sizeof (fftwf_complex) / (size_t) ny)
    return SKC_ERR_NOMEM;
  n_real = (size_t) nx * ny;
  n_cplx = (size_t) ncx * ny;

  plane = fftwf_malloc (n_real * sizeof *plane);
  kplane = fftwf_malloc (n_real * sizeof *kplane);
  fplane = fftwf_malloc (n_cplx * sizeof *fplane);
  fkernel = fftwf_malloc (n_cplx * sizeof *fkernel);
  if (!plane || !kplane || !fplane || !fkernel)
    {
      st = SKC_ERR_NOMEM;
      goto out;
    }

  pthread_mutex_lock (&skc_fftw_planner_lock);
  p_plane = fftwf_plan_dft_r2c_2d (ny, nx, plane, fplane, FFTW_ESTIMATE);
  p_kernel = fftwf_plan_dft_r2c_2d (ny, nx, kplane, fkernel, FFTW_ESTIMATE);
  p_inverse = fftwf_plan_dft_c2r_2d (ny, nx, fplane, plane, FFTW_ESTIMATE);
  pthread_mutex_unlock (&skc_fftw_planner_lock);
  if (!p_plane || !p_kernel || !p_inverse)
    {
      st = SKC_ERR_NOMEM;
      goto out;
    }

  /* Padded plane: P(px, py) = in(clamp (px - rx), clamp (py - ry)), zero
   * beyond the padded size. */
  for (int py = 0; py < ny; py++)
    {
      float *row = plane + (size_t) py * nx;

      if (py >= height + 2 * ry)
        {
          memset (row, 0, (size_t) nx * sizeof *row);
          continue;
        }
      {
        const float *srow = src + (size_t) skc_clampi (py - ry, 0, height - 1)
                                  * width;
        int          px = 0;

        for (; px < width + 2 * rx; px++)
          row[px] = srow[skc_clampi (px - rx, 0, width - 1)];
        for (; px < nx; px++)
          row[px] = 0.0f;
      }
    }

  /* Kernel with its centre at the origin, negative offsets wrapped. */
  memset (kplane, 0, n_real * sizeof *kplane);
  for (int j = 0; j < kh; j++)
    for (int i = 0; i < kw; i++)
      {
        int ux = i - rx, uy = j - ry;
        int kx = ux < 0 ? ux + nx : ux;
        int ky = uy < 0 ? uy + ny : uy;

        kplane[(size_t) ky * nx + kx] = kernel->data[(size_t) j * kw + i];
      }

  fftwf_execute (p_plane);
  fftwf_execute (p_kernel);
  scale = (float) (1.0 / ((double) nx * ny));
  for (size_t k = 0; k < n_cplx; k++)
    {
      float a = fplane[k][0], b = fplane[k][1];
      float c = fkernel[k][0], d = fkernel[k][1];

      fplane[k][0] = (a * c - b * d) * scale;
      fplane[k][1] = (a * d + b * c) * scale;
    }
  fftwf_execute (p_inverse);

  /* out(x, y) = (P * K)(x + rx, y + ry): it reads P over
   * [x, x + 2 rx] x [y, y + 2 ry], inside the padded plane. */
  for (int y = 0; y < height; y++)
    memcpy (dst + (size_t) y * width, plane + (size_t) (y + ry) * nx + rx,
            (size_t) width * sizeof *dst);
  st = SKC_OK;

out:
  pthread_mutex_lock (&skc_fftw_planner_lock);
  if (p_plane)
    fftwf_destroy_plan (p_plane);
  if (p_kernel)
    fftwf_destroy_plan (p_kernel);
  if (p_inverse)
    fftwf_destroy_plan (p_inverse);
  pthread_mutex_unlock (&skc_fftw_planner_lock);
  fftwf_free (plane);
  fftwf_free (kplane);
  fftwf_free (fplane);
  fftwf_free (fkernel);
  return st;
}
