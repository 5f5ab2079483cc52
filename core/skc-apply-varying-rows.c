/* Row kernels for the short runs of the spatially varying apply
 * (skc-apply-varying.c), with the gather contract of skc-apply-private.h:
 *
 *     dst(p) = w[0] src(p + d[0]) + w[1] src(p + d[1]) + ...
 *
 * accumulated per value in float in exactly that order, one multiply and
 * one add per entry: bit for bit what the uniform engine's kernels give.
 *
 * Why not those kernels: a varying field cuts rows into runs of a few
 * dozen pixels (a depth map: 20 on average on the bokeh benchmark), and
 * they go 16 pixels at a time (AVX2) with the last chunk overlapping, so a
 * run of 20 computes 32 pixels, and one narrower than 16 goes two pixels
 * at a time on a single add chain, bound by the add latency.  Here a run
 * goes 16 pixels at a time (8 accumulators of two pixels), and what is
 * left in one block of as many accumulators as it has pixel pairs, the
 * last pair ending at the run's end: a run of w pixels computes at most
 * w + 1, and the adds have independent chains but for the last few
 * pixels.  A pixel computed twice gets the same bits twice.
 *
 * One body in GCC's generic vectors (8 floats: two RGBA pixels), built
 * twice: for the baseline (SSE2 on x86-64, as pairs of 4-float registers)
 * and, where meson found -mavx2 (SKC_HAVE_AVX2), with the avx2 target
 * attribute (never FMA), called only when the CPU probe of skc-apply.c
 * allows AVX2.  Without GCC vectors the uniform engine's scalar kernel
 * serves.
 */
#include "skc-apply-private.h"
#include "skc-apply-varying-private.h"

#if defined (__GNUC__) || defined (__clang__)

/* Unaligned, aliasing views of 8 and 4 floats: two pixels, one pixel. */
typedef float V8 __attribute__ ((vector_size (32), aligned (4), may_alias));
typedef float V4 __attribute__ ((vector_size (16), aligned (4), may_alias));

/* @nb accumulators of two pixels each, at pixels @px[j] of the row:
 * one pass over the entries.  @nb is a constant after inlining. */
SKC_ALWAYS_INLINE void
block (const float *s, float *d, const float *w, const ptrdiff_t *off, int n,
       const int *px, const int nb)
{
  V8 acc[8];

  for (int j = 0; j < nb; j++)
    acc[j] = w[0] * *(const V8 *) (s + off[0] + 4 * px[j]);
  for (int e = 1; e < n; e++)
    {
      const float *p = s + off[e];
      float        we = w[e];

      for (int j = 0; j < nb; j++)
        acc[j] = acc[j] + we * *(const V8 *) (p + 4 * px[j]);
    }
  for (int j = 0; j < nb; j++)
    *(V8 *) (d + 4 * px[j]) = acc[j];
}

SKC_ALWAYS_INLINE void
pixel (const float *s, float *d, const float *w, const ptrdiff_t *off, int n)
{
  V4 acc = w[0] * *(const V4 *) (s + off[0]);

  for (int e = 1; e < n; e++)
    acc = acc + w[e] * *(const V4 *) (s + off[e]);
  *(V4 *) d = acc;
}

/* Pixels [0, @r) for 2 <= @r <= 16: ceil (r / 2) accumulators, the last
 * one ending at r (overlapping the one before when r is odd). */
SKC_ALWAYS_INLINE void
tail (const float *s, float *d, int r, const float *w, const ptrdiff_t *off,
      int n)
{
  int px[8];
  int nb = (r + 1) / 2;

  for (int j = 0; j < nb - 1; j++)
    px[j] = 2 * j;
  px[nb - 1] = r - 2;
  switch (nb)
    {
    case 1: block (s, d, w, off, n, px, 1); break;
    case 2: block (s, d, w, off, n, px, 2); break;
    case 3: block (s, d, w, off, n, px, 3); break;
    case 4: block (s, d, w, off, n, px, 4); break;
    case 5: block (s, d, w, off, n, px, 5); break;
    case 6: block (s, d, w, off, n, px, 6); break;
    case 7: block (s, d, w, off, n, px, 7); break;
    default: block (s, d, w, off, n, px, 8); break;
    }
}

SKC_ALWAYS_INLINE void
run_row (const float *s, float *d, int width, const float *w,
         const ptrdiff_t *off, int n)
{
  const int px16[8] = { 0, 2, 4, 6, 8, 10, 12, 14 };
  int       x = 0;

  for (; x + 16 <= width; x += 16)
    block (s + 4 * x, d + 4 * x, w, off, n, px16, 8);
  if (width - x >= 2)
    tail (s + 4 * x, d + 4 * x, width - x, w, off, n);
  else if (width - x == 1 && width >= 2)
    tail (s + 4 * (width - 2), d + 4 * (width - 2), 2, w, off, n);
  else if (width == 1)
    pixel (s, d, w, off, n);
}

SKC_DEFINE_GATHER (, skc_gather_runs_generic, run_row)

#if defined (SKC_HAVE_AVX2) && (defined (__x86_64__) || defined (__i386__))
SKC_DEFINE_GATHER (__attribute__ ((target ("avx2"))), skc_gather_runs_avx2,
                   run_row)
#endif

#endif /* __GNUC__ || __clang__ */

SkcGatherFunc
skc_gather_runs_func (SkcSimdPath path)
{
  if (!skc_simd_path_available (path))
    return NULL;
#if defined (__GNUC__) || defined (__clang__)
#if defined (SKC_HAVE_AVX2) && (defined (__x86_64__) || defined (__i386__))
  if (path == SKC_SIMD_AVX2)
    return skc_gather_runs_avx2;
#endif
  if (path != SKC_SIMD_SCALAR)
    return skc_gather_runs_generic;
#endif
  return skc_gather_func (path);
}
