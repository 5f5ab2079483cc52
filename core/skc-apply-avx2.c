/* AVX2 gather kernel of the fast apply engine (skc-apply-private.h): the
 * body of skc-apply-simd.h with two RGBA pixels a register, so a chunk is
 * 16 pixels.
 *
 * Built on its own with -mavx2 (and never -mfma: results must not change
 * with the instruction set) and called only after the run-time CPU probe in
 * skc-apply.c found AVX2.
 */
#include "skc-apply-private.h"

#if defined(SKC_HAVE_AVX2) && defined(__AVX2__)

#include <immintrin.h>

typedef __m256 SkcVec;
#define VEC_PIXELS 2
#define vec_set1(w)     _mm256_broadcast_ss (w)
#define vec_load(p)     _mm256_loadu_ps (p)
#define vec_store(p, v) _mm256_storeu_ps ((p), (v))
#define vec_mul(a, b)   _mm256_mul_ps ((a), (b))
#define vec_add(a, b)   _mm256_add_ps ((a), (b))

#include "skc-apply-simd.h"

SKC_DEFINE_GATHER (, skc_gather_rgba_avx2, simd_row)

#else

/* ISO C wants a declaration in every translation unit. */
typedef int skc_apply_avx2_absent;

#endif /* SKC_HAVE_AVX2 && __AVX2__ */
