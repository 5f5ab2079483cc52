/* AVX2 gather kernel of the fast apply engine (skc-apply-private.h).
 *
 * Built on its own with -mavx2 (and never -mfma: results must not change
 * with the instruction set) and called only after the run-time CPU probe in
 * skc-apply.c found AVX2.  Two RGBA pixels are one __m256.  The row is
 * walked in chunks of 16 pixels held in 8 accumulators: 8 independent add
 * chains hide the add latency, and per stencil entry the work is one
 * broadcast weight and 8 unaligned loads, multiplies and adds.  The last
 * chunk of a row is aligned to its end and overlaps the previous one (the
 * overlapped pixels are computed again, bit for bit the same); rows
 * narrower than a chunk go two pixels, then one pixel, at a time.
 *
 * Per channel the operations are the scalar kernel's, in its order
 * (acc = w0 v0, then acc = acc + we ve): results are bit-identical.
 */
#include "skc-apply-private.h"

#if defined(SKC_HAVE_AVX2) && defined(__AVX2__)

#include <immintrin.h>

#define CHUNK 16

static inline void
gather_chunk (const float *s, float *d, const float *w, const ptrdiff_t *off,
              int n)
{
  const float *p = s + off[0];
  __m256       wv = _mm256_broadcast_ss (w);
  __m256       a0 = _mm256_mul_ps (wv, _mm256_loadu_ps (p));
  __m256       a1 = _mm256_mul_ps (wv, _mm256_loadu_ps (p + 8));
  __m256       a2 = _mm256_mul_ps (wv, _mm256_loadu_ps (p + 16));
  __m256       a3 = _mm256_mul_ps (wv, _mm256_loadu_ps (p + 24));
  __m256       a4 = _mm256_mul_ps (wv, _mm256_loadu_ps (p + 32));
  __m256       a5 = _mm256_mul_ps (wv, _mm256_loadu_ps (p + 40));
  __m256       a6 = _mm256_mul_ps (wv, _mm256_loadu_ps (p + 48));
  __m256       a7 = _mm256_mul_ps (wv, _mm256_loadu_ps (p + 56));

  for (int e = 1; e < n; e++)
    {
      p = s + off[e];
      wv = _mm256_broadcast_ss (w + e);
      a0 = _mm256_add_ps (a0, _mm256_mul_ps (wv, _mm256_loadu_ps (p)));
      a1 = _mm256_add_ps (a1, _mm256_mul_ps (wv, _mm256_loadu_ps (p + 8)));
      a2 = _mm256_add_ps (a2, _mm256_mul_ps (wv, _mm256_loadu_ps (p + 16)));
      a3 = _mm256_add_ps (a3, _mm256_mul_ps (wv, _mm256_loadu_ps (p + 24)));
      a4 = _mm256_add_ps (a4, _mm256_mul_ps (wv, _mm256_loadu_ps (p + 32)));
      a5 = _mm256_add_ps (a5, _mm256_mul_ps (wv, _mm256_loadu_ps (p + 40)));
      a6 = _mm256_add_ps (a6, _mm256_mul_ps (wv, _mm256_loadu_ps (p + 48)));
      a7 = _mm256_add_ps (a7, _mm256_mul_ps (wv, _mm256_loadu_ps (p + 56)));
    }
  _mm256_storeu_ps (d, a0);
  _mm256_storeu_ps (d + 8, a1);
  _mm256_storeu_ps (d + 16, a2);
  _mm256_storeu_ps (d + 24, a3);
  _mm256_storeu_ps (d + 32, a4);
  _mm256_storeu_ps (d + 40, a5);
  _mm256_storeu_ps (d + 48, a6);
  _mm256_storeu_ps (d + 56, a7);
}

static inline void
gather_pair (const float *s, float *d, const float *w, const ptrdiff_t *off,
             int n)
{
  __m256 a = _mm256_mul_ps (_mm256_broadcast_ss (w),
                            _mm256_loadu_ps (s + off[0]));

  for (int e = 1; e < n; e++)
    a = _mm256_add_ps (a, _mm256_mul_ps (_mm256_broadcast_ss (w + e),
                                         _mm256_loadu_ps (s + off[e])));
  _mm256_storeu_ps (d, a);
}

static inline void
gather_pixel (const float *s, float *d, const float *w, const ptrdiff_t *off,
              int n)
{
  __m128 a = _mm_mul_ps (_mm_broadcast_ss (w), _mm_loadu_ps (s + off[0]));

  for (int e = 1; e < n; e++)
    a = _mm_add_ps (a, _mm_mul_ps (_mm_broadcast_ss (w + e),
                                   _mm_loadu_ps (s + off[e])));
  _mm_storeu_ps (d, a);
}

void
skc_gather_rgba_avx2 (const float *src, ptrdiff_t src_stride,
                      float *dst, ptrdiff_t dst_stride,
                      int width, int height,
                      const float *w, const ptrdiff_t *off, int n)
{
  for (int y = 0; y < height; y++)
    {
      const float *s = src + y * src_stride;
      float       *d = dst + y * dst_stride;
      int          x = 0;

      if (width >= CHUNK)
        for (; x < width; x += CHUNK)
          {
            int xx = x + CHUNK <= width ? x : width - CHUNK;

            gather_chunk (s + 4 * xx, d + 4 * xx, w, off, n);
          }
      else
        {
          for (; x + 2 <= width; x += 2)
            gather_pair (s + 4 * x, d + 4 * x, w, off, n);
          if (x < width)
            gather_pixel (s + 4 * x, d + 4 * x, w, off, n);
        }
    }
}

#else

/* ISO C wants a declaration in every translation unit. */
typedef int skc_apply_avx2_absent;

#endif /* SKC_HAVE_AVX2 && __AVX2__ */
