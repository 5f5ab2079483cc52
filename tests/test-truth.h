/* Independent references for the tests (test-truth.c): what a complex and
 * a dense kernel do to an image, written again here as plain loops in
 * double precision, without libskc's apply, plan, synthesis, convolution,
 * family or highlight code, so that the code under test is never its own
 * reference.  Only the data structures (SkcComplex taps, SkcKernel) are
 * shared with the core.
 *
 * Conventions (METHOD.md 1): a tap (ox, oy, w) gathers, out(p) += w *
 * in(p + o) read bilinearly, so an impulse moves to p - o; a layer reads
 * the previous layer's output.  A dense kernel K of W x H centred at
 * (W / 2, H / 2) gives out(x, y) = sum K(u, v) in(x - (u - W/2),
 * y - (v - H/2)).  Rotations are counter-clockwise on screen (y down).
 */
#ifndef TEST_TRUTH_H
#define TEST_TRUTH_H

#include "skc.h"

/* The impulse response of @c on a zero canvas of @side x @side (odd), the
 * impulse at (side / 2, side / 2), every layer evaluated on the canvas
 * (what leaves it is lost); side^2 doubles, caller frees. */
double *truth_response (const SkcComplex *c, int side);

/* @c applied to a plane of @w x @h, every layer reading the previous one
 * with clamped borders (@in and @out may not overlap). */
void    truth_apply (const SkcComplex *c, const float *in, int w, int h,
                     float *out);

/* Dense convolution of a plane with @k, clamped borders; @stride > 1
 * computes only pixels whose x and y are multiples of it (others 0). */
void    truth_convolve (const float *in, int w, int h, const SkcKernel *k,
                        int stride, float *out);

/* A copy of @c with every offset scaled by @scale and turned by @angle
 * radians (counter-clockwise on screen), weights unchanged. */
SkcComplex *truth_turn (const SkcComplex *c, double scale, double angle);

/* The fit loss (METHOD.md 2) of @c against @target (normalized to sum 1
 * here) on a canvas of @side, the target centred, without coarse scales:
 * mean over the canvas of sqrt ((s (X - T))^2 + eps^2), s = 1 / peak T. */
double  truth_loss (const SkcComplex *c, const SkcKernel *target, int side,
                    double eps);

/* The kernel PSNR (peak = the target's peak) of @c's response against
 * @target (normalized to sum 1 here) over the target's own extent. */
double  truth_kernel_psnr (const SkcComplex *c, const SkcKernel *target);

/* Image PSNR (peak 1) of @c applied to @plane (truth_apply) against the
 * dense convolution with @k scaled to unit sum (truth_convolve), over the
 * plane without a frame as wide as the larger of @k's half-size + 1 and
 * the complex's reach (where clamping once and clamping per layer
 * legitimately differ).  NAN if the plane is too small. */
double  truth_image_psnr (const SkcComplex *c, const SkcKernel *k,
                          const float *plane, int w, int h);

/* PSNR of two planes over n values, peak @peak, in double. */
double  truth_psnr (const float *a, const float *b, size_t n, double peak);

#endif
