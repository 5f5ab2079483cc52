/* Internal declarations shared between core files and the unit tests.
 * Not installed, not part of the API. */
#ifndef SKC_PRIVATE_H
#define SKC_PRIVATE_H

#include "skc.h"

#include <locale.h>
#include <stddef.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define SKC_MAX_OFFSET 4096.0f  /* |ox|, |oy| accepted anywhere, pixels */

/* @v within @lo..@hi. */
static inline int
skc_clampi (int v, int lo, int hi)
{
  return v < lo ? lo : v > hi ? hi : v;
}

typedef enum
{
  SKC_BORDER_ZERO,
  SKC_BORDER_CLAMP
} SkcBorder;

/* Pixel (@x, @y) of a @width x @height plane, outside it zero or the
 * clamped pixel (@border); @rows holds the plane's rows from @y0 on, and
 * the row read (clamped) must be among them. */
static inline float
skc_rows_at (const float *rows, int y0, int width, int height, int x, int y,
             SkcBorder border)
{
  if (border == SKC_BORDER_ZERO)
    {
      if (x < 0 || y < 0 || x >= width || y >= height)
        return 0.0f;
    }
  else
    {
      x = x < 0 ? 0 : x >= width ? width - 1 : x;
      y = y < 0 ? 0 : y >= height ? height - 1 : y;
    }
  return rows[(size_t) (y - y0) * width + x];
}

void skc_gather_plane (const float *src, int width, int height,
                       const SkcTap *taps, int n_taps, SkcBorder border,
                       float *dst);

/* ---- threads (skc-parallel.c) ---------------------------------------- */

#define SKC_MAX_THREADS 64

/* Threads for a request: @requested if > 0, else the CPUs the process may
 * run on (affinity mask); 1 .. SKC_MAX_THREADS. */
int  skc_thread_count (int requested);

typedef void (*SkcParallelFunc) (void *data, int index);

/* @func (@data, i) for i = 0 .. @n - 1 side by side, i = 0 on the caller;
 * returns when all are done.  An index whose thread cannot start runs on
 * the caller afterwards.  Reentrant; no thread outlives the call. */
void skc_parallel_run (int n, SkcParallelFunc func, void *data);

/* ---- numbers in files, in the C locale (skc-locale.c) ---------------- */

/* Every number read from or written to a file goes through these, so '.'
 * is the decimal point whatever locale the process runs in (GIMP sets
 * LC_NUMERIC from the user's environment).  They switch the calling thread
 * only (uselocale), never the process locale.
 *
 * skc_ascii_strtod: strtod () in the C locale (same grammar: callers that
 * want a stricter one check the token first).  skc_ascii_snprintf:
 * snprintf () in the C locale; -1 if the C locale cannot be had.
 * skc_c_locale_begin/end: the same switch around a longer job (a whole
 * file); begin returns 0 (and changes nothing) if it cannot switch. */
typedef struct
{
  locale_t previous;
} SkcCLocale;

double skc_ascii_strtod   (const char *s, char **end);
int    skc_ascii_snprintf (char *buf, size_t size, const char *format, ...)
  __attribute__ ((format (printf, 3, 4)));
int    skc_c_locale_begin (SkcCLocale *saved);
void   skc_c_locale_end   (const SkcCLocale *saved);

/* ---- FFT helpers (skc-reference.c) ---------------------------------- */

/* The smallest n >= m whose only prime factors are 2, 3, 5 and 7 (sizes
 * FFTW transforms fast). */
int skc_fft_fast_size (int m);
/* FFTW's planner is not thread safe: every plan creation and destruction
 * in the library holds this lock (execution on private arrays does not). */
#include <pthread.h>
extern pthread_mutex_t skc_fftw_planner_lock;

/* ---- the exact path (skc-exact.c) ----------------------------------- */

/* Make every tile of @exact take one path: 0 chosen by cost (the
 * default), 1 the scatter, 2 the FFT.  For tests; not thread safe with
 * respect to concurrent applies. */
void skc_exact_force_path (SkcExact *exact, int path);

/* ---- progress of one part of a longer job (skc-util.c) --------------- */

/* A job made of n_parts equal parts (bases of a family, branches of a
 * complex) hands skc_progress_part_report and a SkcProgressPart to each
 * part as its progress callback; the part's fraction 0..1 reaches @func as
 * (part + fraction) / n_parts, and @func's return value (cancel) is
 * passed back.  Set @part before running each part. */
typedef struct
{
  SkcProgressFunc func;
  void           *data;
  int             part, n_parts;
} SkcProgressPart;

int skc_progress_part_report (double fraction, double loss, void *part);

/* ---- differentiable synthesis (skc-grad.c) ---------------------------- */

/* A workspace for evaluating the loss of a complex against one target and
 * its gradient.  The canvas is the target embedded in a zero frame; every
 * buffer has a zero pad around the canvas so that gathers never test
 * bounds.  Not thread safe: one per thread. */
typedef struct SkcGradWork SkcGradWork;

/* @canvas: side of the square canvas (odd, >= target sides).  @max_offset:
 * the largest |ox|, |oy| the taps may take (the fit clamps to it). */
SkcStatus skc_grad_work_new (const SkcKernel *target, int canvas,
                             int max_offset, float eps, SkcGradWork **out);
void      skc_grad_work_free (SkcGradWork *work);
int       skc_grad_work_max_offset (const SkcGradWork *work);
/* Add @n_scales coarser scales to the loss (box blurs of the error with
 * radius 1, 2, 4, ...); 0, the default, is the paper's plain loss. */
#define SKC_MAX_LOSS_SCALES 6
void      skc_grad_work_set_scales (SkcGradWork *work, int n_scales);
/* The Charbonnier loss of @complex against the target (normalised to peak 1,
 * mean over the canvas) and, if @grad is not NULL, dL/d(ox, oy, w) for every
 * tap, in the same layout as complex->taps. */
double    skc_grad_eval (SkcGradWork *work, const SkcComplex *complex,
                         SkcTap *grad);
/* The last evaluation's impulse response on the canvas (canvas^2 floats). */
void      skc_grad_response (const SkcGradWork *work, float *out);

/* ---- initialisations (skc-init.c) -------------------------------------- */

typedef struct
{
  double cx, cy;        /* centroid relative to the kernel centre, px  */
  double var;           /* second moment about the centroid, per axis  */
  double radius;        /* radius of the support about the centre      */
  double support;       /* pixels above 1 % of the peak                */
} SkcKernelStats;

void      skc_kernel_stats (const SkcKernel *k, SkcKernelStats *stats);

/* The synthesis canvas a fit of @k uses: side, offset clamp, and the
 * kernel radius that scales offsets (all fits and baselines share it). */
typedef struct
{
  int    canvas;
  int    max_offset;
  double radius;
} SkcFitGeometry;

void      skc_fit_geometry (const SkcKernel *k, SkcFitGeometry *geometry);
SkcStatus skc_init_complex (const SkcKernel *target, SkcInit init,
                            int n_layers, int n_samples, uint64_t seed,
                            SkcComplex **out);

/* splitmix64: the one RNG of the core, seeded explicitly. */
static inline uint64_t
skc_rng_next (uint64_t *state)
{
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static inline double
skc_rng_uniform (uint64_t *state)
{
  return (double) (skc_rng_next (state) >> 11) * (1.0 / 9007199254740992.0);
}

/* ---- warm-started fit (skc-fit.c) -------------------------------------- */

/* Fit @target starting from a copy of @start (whose structure is kept; the
 * options' n_samples, n_layers, init, n_starts and start_steps are not
 * used): @o->steps Adam steps of the usual schedule, then the usual
 * measurements.  The result's init label is "warm". */
SkcStatus skc_fit_from (const SkcKernel *target, const SkcFitOptions *o,
                        const SkcComplex *start, SkcComplex **out);

/* ---- spatially varying (skc-family.c) ---------------------------------- */

/* A new family (bases NULL, freed by skc_family_free) for the arguments
 * skc_family_fit accepts: @n_bases diameters from @min_size to @max_size,
 * geometric, the first and last exactly min and max.  NULL with
 * *@status SKC_ERR_INVALID for arguments skc_family_fit refuses, or
 * SKC_ERR_NOMEM. */
SkcFamily *skc_family_new (const SkcShapeParams *shape,
                           const SkcKernel *kernel, float min_size,
                           float max_size, int n_bases, SkcStatus *status);

/* The dense kernel a family of @shape (or of @kernel when not NULL)
 * stands for at diameter @size px (> 0) and rotation @angle (radians,
 * counter-clockwise on screen): what its bases are fitted to, and the
 * per-pixel ground truth of the tests.  Odd square, unit sum. */
SkcStatus skc_family_target (const SkcShapeParams *shape,
                             const SkcKernel *kernel, float size,
                             float angle, SkcKernel **out);

/* Where diameter @size falls in @family: taps are basis @basis's with
 * offsets times @t (@lerp 0: below the first basis, beyond the last), or
 * basis @basis + t (basis @basis + 1 - basis @basis) (@lerp 1). */
void      skc_family_locate (const SkcFamily *family, float size, int *basis,
                             int *lerp, float *t);
/* Largest |offset| of layer @l over diameters 0 .. @max_size. */
double    skc_family_layer_reach (const SkcFamily *family, int l,
                                  float max_size);
/* The same rounded up to whole pixels, with room for rounding: 0 or
 * ceil (reach (1 + 1e-5) + 1e-4).  skc_family_halo is 1 + their sum. */
double    skc_family_layer_extent (const SkcFamily *family, int l,
                                   float max_size);

/* Rotate an offset by @angle radians counter-clockwise on screen (y down):
 * (x, y) -> (c x + s y, -s x + c y) with c = cos, s = sin of @angle. */
void      skc_rotation (float angle, float *c, float *s);

/* One tap of a family at a diameter (skc-family.c's rule, the one
 * arithmetic of skc_family_eval and the varying apply): basis k's tap
 * (@ox, @oy, @ow) moved toward basis k + 1 by @t times the difference
 * (@dox, @doy, @dw) when @lerp, else its offset scaled by @t; then, if
 * @rotate, turned by (@c, @s) from skc_rotation.  In float, no FMA.
 * Always inlined, so that loops calling it with constant flags stay
 * straight loops the compiler vectorises. */
static inline __attribute__ ((always_inline)) void
skc_tap_at_size (float ox, float oy, float ow, float dox, float doy,
                 float dw, float t, float c, float s, int lerp, int rotate,
                 float *x, float *y, float *w)
{
  if (lerp)
    {
      *x = ox + t * dox;
      *y = oy + t * doy;
      *w = ow + t * dw;
    }
  else
    {
      *x = ox * t;
      *y = oy * t;
      *w = ow;
    }
  if (rotate)
    {
      float rx = c * *x + s * *y;
      float ry = -s * *x + c * *y;

      *x = rx;
      *y = ry;
    }
}

#endif
