/* SSE2 gather kernel of the fast apply engine (skc-apply-private.h).
 *
 * One RGBA pixel is one __m128.  The row is walked in chunks of 8 pixels
 * held in 8 accumulators, so 8 independent add chains hide the latency of
 * the adds; every stencil entry is one broadcast weight and 8 unaligned
 * loads, multiplies and adds.  A row whose width is not a multiple of 8
 * ends with one chunk aligned to its end that overlaps the previous one:
 * the overlapped pixels are computed again, bit for bit the same, so there
 * is no slow tail loop.  Rows narrower than a chunk go pixel by pixel.
 *
 * Per channel the operations are the scalar kernel's, in its order
 * (acc = w0 v0, then acc = acc + we ve): results are bit-identical.
 * SSE2 is part of x86-64, so this file needs no extra compiler flags.
 */
#include "skc-apply-private.h"

#if defined(__SSE2__)

#include <emmintrin.h>

#define CHUNK 8

static inline void
gather_chunk (const float *s, float *d, const float *w, const ptrdiff_t *off,
              int n)
{
  const float *p = s + off[0];
  __m128       wv = _mm_set1_ps (w[0]);
  __m128       a0 = _mm_mul_ps (wv, _mm_loadu_ps (p));
  __m128       a1 = _mm_mul_ps (wv, _mm_loadu_ps (p + 4));
  __m128       a2 = _mm_mul_ps (wv, _mm_loadu_ps (p + 8));
  __m128       a3 = _mm_mul_ps (wv, _mm_loadu_ps (p + 12));
  __m128       a4 = _mm_mul_ps (wv, _mm_loadu_ps (p + 16));
  __m128       a5 = _mm_mul_ps (wv, _mm_loadu_ps (p + 20));
  __m128       a6 = _mm_mul_ps (wv, _mm_loadu_ps (p + 24));
  __m128       a7 = _mm_mul_ps (wv, _mm_loadu_ps (p + 28));

  for (int e = 1; e < n; e++)
    {
      p = s + off[e];
      wv = _mm_set1_ps (w[e]);
      a0 = _mm_add_ps (a0, _mm_mul_ps (wv, _mm_loadu_ps (p)));
      a1 = _mm_add_ps (a1, _mm_mul_ps (wv, _mm_loadu_ps (p + 4)));
      a2 = _mm_add_ps (a2, _mm_mul_ps (wv, _mm_loadu_ps (p + 8)));
      a3 = _mm_add_ps (a3, _mm_mul_ps (wv, _mm_loadu_ps (p + 12)));
      a4 = _mm_add_ps (a4, _mm_mul_ps (wv, _mm_loadu_ps (p + 16)));
      a5 = _mm_add_ps (a5, _mm_mul_ps (wv, _mm_loadu_ps (p + 20)));
      a6 = _mm_add_ps (a6, _mm_mul_ps (wv, _mm_loadu_ps (p + 24)));
      a7 = _mm_add_ps (a7, _mm_mul_ps (wv, _mm_loadu_ps (p + 28)));
    }
  _mm_storeu_ps (d, a0);
  _mm_storeu_ps (d + 4, a1);
  _mm_storeu_ps (d + 8, a2);
  _mm_storeu_ps (d + 12, a3);
  _mm_storeu_ps (d + 16, a4);
  _mm_storeu_ps (d + 20, a5);
  _mm_storeu_ps (d + 24, a6);
  _mm_storeu_ps (d + 28, a7);
}

static inline void
gather_pixel (const float *s, float *d, const float *w, const ptrdiff_t *off,
              int n)
{
  __m128 a = _mm_mul_ps (_mm_set1_ps (w[0]), _mm_loadu_ps (s + off[0]));

  for (int e = 1; e < n; e++)
    a = _mm_add_ps (a, _mm_mul_ps (_mm_set1_ps (w[e]),
                                   _mm_loadu_ps (s + off[e])));
  _mm_storeu_ps (d, a);
}

void
skc_gather_rgba_sse2 (const float *src, ptrdiff_t src_stride,
                      float *dst, ptrdiff_t dst_stride,
                      int width, int height,
                      const float *w, const ptrdiff_t *off, int n)
{
  for (int y = 0; y < height; y++)
    {
      const float *s = src + y * src_stride;
      float       *d = dst + y * dst_stride;

      if (width >= CHUNK)
        for (int x = 0; x < width; x += CHUNK)
          {
            int xx = x + CHUNK <= width ? x : width - CHUNK;

            gather_chunk (s + 4 * xx, d + 4 * xx, w, off, n);
          }
      else
        for (int x = 0; x < width; x++)
          gather_pixel (s + 4 * x, d + 4 * x, w, off, n);
    }
}

#else

/* ISO C wants a declaration in every translation unit. */
typedef int skc_apply_sse2_absent;

#endif /* __SSE2__ */
