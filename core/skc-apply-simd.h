/* The body of the uniform engine's SIMD gather kernels, written once
 * against a small vector vocabulary and included by each instruction-set
 * file (skc-apply-sse2.c, skc-apply-avx2.c), which defines first:
 *
 *   SkcVec                 a register of VEC_PIXELS RGBA pixels (1 or 2)
 *   vec_set1 (const float *w)      *w in every lane
 *   vec_load (const float *p), vec_store (float *p, SkcVec v)  unaligned
 *   vec_mul (a, b), vec_add (a, b)
 *
 * A row goes in chunks of 8 registers: 8 independent add chains hide the
 * latency of the adds, and per stencil entry the work is one broadcast
 * weight and 8 loads, multiplies and adds.  The last chunk of a row is
 * aligned to its end (skc_gather_row_chunks); rows narrower than a chunk
 * go a register, then one pixel, at a time.
 *
 * Per channel the operations are the scalar kernel's, in its order
 * (acc = w0 v0, then acc = acc + we ve): results are bit-identical across
 * instruction sets.  The file defines static functions only: simd_row is
 * the row function the including file hands to SKC_DEFINE_GATHER.
 */
#ifndef SKC_APPLY_SIMD_H
#define SKC_APPLY_SIMD_H

#include "skc-apply-private.h"

#include <emmintrin.h>

#define VEC_FLOATS   (4 * VEC_PIXELS)
#define CHUNK_VECS   8
#define CHUNK_PIXELS (CHUNK_VECS * VEC_PIXELS)

static inline void
simd_chunk (const float *s, float *d, const float *w, const ptrdiff_t *off,
            int n)
{
  SkcVec wv = vec_set1 (w);
  SkcVec a[CHUNK_VECS];

  for (int j = 0; j < CHUNK_VECS; j++)
    a[j] = vec_mul (wv, vec_load (s + off[0] + VEC_FLOATS * j));
  for (int e = 1; e < n; e++)
    {
      const float *p = s + off[e];

      wv = vec_set1 (w + e);
      for (int j = 0; j < CHUNK_VECS; j++)
        a[j] = vec_add (a[j], vec_mul (wv, vec_load (p + VEC_FLOATS * j)));
    }
  for (int j = 0; j < CHUNK_VECS; j++)
    vec_store (d + VEC_FLOATS * j, a[j]);
}

/* VEC_PIXELS pixels. */
static inline void
simd_vec (const float *s, float *d, const float *w, const ptrdiff_t *off,
          int n)
{
  SkcVec a = vec_mul (vec_set1 (w), vec_load (s + off[0]));

  for (int e = 1; e < n; e++)
    a = vec_add (a, vec_mul (vec_set1 (w + e), vec_load (s + off[e])));
  vec_store (d, a);
}

/* One pixel (SSE, which every x86-64 has). */
static inline void
simd_pixel (const float *s, float *d, const float *w, const ptrdiff_t *off,
            int n)
{
  __m128 a = _mm_mul_ps (_mm_set1_ps (w[0]), _mm_loadu_ps (s + off[0]));

  for (int e = 1; e < n; e++)
    a = _mm_add_ps (a, _mm_mul_ps (_mm_set1_ps (w[e]),
                                   _mm_loadu_ps (s + off[e])));
  _mm_storeu_ps (d, a);
}

static inline void
simd_narrow (const float *s, float *d, int width, const float *w,
             const ptrdiff_t *off, int n)
{
  int x = 0;

  for (; x + VEC_PIXELS <= width; x += VEC_PIXELS)
    simd_vec (s + 4 * x, d + 4 * x, w, off, n);
  if (x < width)
    simd_pixel (s + 4 * x, d + 4 * x, w, off, n);
}

static void
simd_row (const float *s, float *d, int width, const float *w,
          const ptrdiff_t *off, int n)
{
  skc_gather_row_chunks (s, d, width, CHUNK_PIXELS, simd_chunk, simd_narrow,
                         w, off, n);
}

#endif
