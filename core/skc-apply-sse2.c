/* SSE2 gather kernel of the fast apply engine (skc-apply-private.h): the
 * body of skc-apply-simd.h with one RGBA pixel a register, so a chunk is
 * 8 pixels.  SSE2 is part of x86-64, so this file needs no extra compiler
 * flags.
 */
#include "skc-apply-private.h"

#if defined(__SSE2__)

#include <emmintrin.h>

typedef __m128 SkcVec;
#define VEC_PIXELS 1
#define vec_set1(w)     _mm_set1_ps (*(w))
#define vec_load(p)     _mm_loadu_ps (p)
#define vec_store(p, v) _mm_storeu_ps ((p), (v))
#define vec_mul(a, b)   _mm_mul_ps ((a), (b))
#define vec_add(a, b)   _mm_add_ps ((a), (b))

#include "skc-apply-simd.h"

SKC_DEFINE_GATHER (, skc_gather_rgba_sse2, simd_row)

#else

/* ISO C wants a declaration in every translation unit. */
typedef int skc_apply_sse2_absent;

#endif /* __SSE2__ */
