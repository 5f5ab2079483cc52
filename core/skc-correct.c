/* The coarse correction: what a complex misses of its kernel, added back
 * at a fraction of the resolution.
 *
 * A complex K~ follows its kernel K up to an error kernel E = K - K~, and
 * an image I blurred through it misses I * E.  The fit spreads E over all
 * frequencies alike (it minimises the kernel's squared error), but a
 * photo's spectrum falls as 1/f: most of I * E on a photo is the low
 * frequencies of I meeting those of E.  That part needs no full
 * resolution.  With a factor s:
 *
 *   D  averages I over s x s blocks (block j covers pixels s j .. s j +
 *      s - 1, its centre at s j + (s - 1) / 2; the image's clamped edge
 *      pixels outside the bounds, GEGL's CLAMP abyss);
 *   Es bins E on the same grid: Es(m) sums E(u) over u within s / 2 of
 *      s m (an entry exactly on the border of two bins, for even s, is
 *      split between them), so that sum_m D(I)(j - m) Es(m) is I * E at
 *      the block centre for an image smooth over a block;
 *   U  interpolates the coarse result bilinearly back to every pixel.
 *
 *   out = K~ * I + U (D (I) * Es)
 *
 * D (I) * Es is exact (skc-exact.c on the coarse image: FFT or scatter
 * tiles), so the correction costs about 1 / s^2 of the exact path plus a
 * block average and a bilinear pass, and the complexes that miss the
 * fidelity target on photos by several dB reach it (test-correct,
 * tests/bench/results/highlights.md).  What stays is the high-frequency
 * part of E, which point lights see: the split apply (skc-exact.c) takes
 * those through the exact kernel, and the correction then sees only
 * min (I, level).
 *
 * Determinism and tiling.  The coarse grid is fixed in image coordinates
 * (block j at s j whatever the roi), so every roi computes the same
 * coarse values and the same interpolation; the coarse convolution
 * rounds as the exact path does (FFT tiles: about 1e-7 of the largest
 * value between tilings).
 */
#include "skc.h"
#include "skc-private.h"
#include "skc-apply-private.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct SkcCorrection
{
  int       factor;   /* s                                              */
  int       rs;       /* the coarse kernel's half-size, coarse pixels   */
  int       halo;     /* full-resolution input needed on every side     */
  double    error;    /* sum of |E|: how much there is to correct       */
  SkcExact *coarse;   /* Es                                             */
};

static int
floordiv (int a, int b)
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

void
skc_correction_free (SkcCorrection *corr)
{
  if (!corr)
    return;
  skc_exact_free (corr->coarse);
  free (corr);
}

int
skc_correction_halo (const SkcCorrection *corr)
{
  return corr ? corr->halo : 0;
}

int
skc_correction_factor (const SkcCorrection *corr)
{
  return corr ? corr->factor : 0;
}

/* E = K - K~ on a (2 r + 1)^2 canvas centred on both. */
static SkcStatus
error_kernel (const SkcComplex *complex, const SkcKernel *kernel, int r,
              float *e)
{
  int       n = 2 * r + 1;
  SkcStatus st = skc_complex_synthesize (complex, n, n, e);

  if (st != SKC_OK)
    return st;
  for (size_t i = 0; i < (size_t) n * n; i++)
    e[i] = -e[i];
  for (int y = 0; y < kernel->height; y++)
    for (int x = 0; x < kernel->width; x++)
      e[(size_t) (y - kernel->height / 2 + r) * n + x - kernel->width / 2 + r]
        += kernel->data[(size_t) y * kernel->width + x];
  return SKC_OK;
}

/* The bin of offset @u (full pixels) at factor @s: m with u within s / 2
 * of s m; *@split set when u lies on the border of bins m - 1 and m (even
 * s), which then take half each. */
static int
bin_of (int s, int u, int *split)
{
  *split = s % 2 == 0 && (u + s / 2) % s == 0;
  return floordiv (u + s / 2, s);
}

static void
bin_add (double *acc, int stride, int s, int u, double w)
{
  int split, m = bin_of (s, u, &split);

  if (split)
    {
      acc[(ptrdiff_t) (m - 1) * stride] += 0.5 * w;
      acc[(ptrdiff_t) m * stride] += 0.5 * w;
    }
  else
    acc[(ptrdiff_t) m * stride] += w;
}

SkcStatus
skc_correction_new (const SkcComplex *complex, const SkcKernel *kernel,
                    int factor, SkcCorrection **out)
{
  SkcCorrection *c;
  SkcKernel     *ks = NULL;
  float         *e = NULL;
  double        *acc = NULL, *col = NULL;
  SkcStatus      st;
  int            r, n, ns, reach;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!complex || !kernel || !kernel->data || kernel->width < 1
      || kernel->height < 1 || kernel->width % 2 == 0
      || kernel->height % 2 == 0 || kernel->width > SKC_MAX_KERNEL_SIZE
      || kernel->height > SKC_MAX_KERNEL_SIZE || factor < 1 || factor > 16)
    return SKC_ERR_INVALID;
  reach = skc_complex_reach (complex);
  if (reach < 0 || reach > SKC_MAX_COMPLEX_REACH)
    return SKC_ERR_INVALID;
  r = reach;
  r = kernel->width / 2 > r ? kernel->width / 2 : r;
  r = kernel->height / 2 > r ? kernel->height / 2 : r;
  n = 2 * r + 1;

  c = calloc (1, sizeof *c);
  if (!c)
    return SKC_ERR_NOMEM;
  c->factor = factor;
  /* bins reach s / 2 beyond their centre: the outermost offset r lands in
   * bin (r + s / 2) / s */
  c->rs = (r + factor / 2) / factor;
  ns = 2 * c->rs + 1;
  /* An output pixel x reads the coarse samples floor ((x - (s - 1) / 2) /
   * s) and the next, each the sum over rs coarse pixels around, each the
   * mean of a block of s: at most s rs + 2 s - 1 pixels on either side. */
  c->halo = factor * c->rs + 2 * factor;

  e = malloc ((size_t) n * n * sizeof *e);
  acc = calloc ((size_t) ns * ns, sizeof *acc);
  col = calloc ((size_t) ns, sizeof *col);
  st = e && acc && col ? skc_kernel_new (ns, ns, &ks) : SKC_ERR_NOMEM;
  if (st == SKC_OK)
    st = error_kernel (complex, kernel, r, e);
  if (st == SKC_OK)
    {
      /* separable binning: each row into bins of x, then those rows into
       * bins of y (acc and col are indexed from bin -rs) */
      for (int y = 0; y < n; y++)
        {
          memset (col, 0, (size_t) ns * sizeof *col);
          for (int x = 0; x < n; x++)
            {
              c->error += fabs (e[(size_t) y * n + x]);
              bin_add (col + c->rs, 1, factor, x - r, e[(size_t) y * n + x]);
            }
          for (int m = 0; m < ns; m++)
            if (col[m] != 0.0)
              bin_add (acc + (size_t) c->rs * ns + m, ns, factor, y - r,
                       col[m]);
        }
      for (size_t i = 0; i < (size_t) ns * ns; i++)
        ks->data[i] = (float) acc[i];
      st = skc_exact_new (ks, &c->coarse);
    }
  free (e);
  free (acc);
  free (col);
  skc_kernel_free (ks);
  if (st != SKC_OK)
    {
      skc_correction_free (c);
      return st;
    }
  *out = c;
  return SKC_OK;
}

/* ---------------------------------------------------------------- apply */

typedef struct
{
  const SkcCorrection *corr;
  SkcInView            src;
  SkcRect              bounds;
  SkcOutView           dst;
  float                level;
  const float         *coarse;    /* the coarse result over co          */
  SkcRect              co;
  const int           *jx;        /* per roi column: 4 (coarse column - co.x) */
  const int           *jn;        /* and the offset of the next one (0, 4) */
  const float         *fx;        /* and the weight of the next one      */
  float               *rows;      /* per part: one blended coarse row    */
  int                  n_parts;
} UpJob;

/* Rows of part @index of the roi: coarse rows blended, then columns. */
static void
up_part (void *data, int index)
{
  const UpJob *job = data;
  SkcRect      roi = job->dst.rect;
  int          s = job->corr->factor;
  int          y0 = roi.y + (int) ((long long) roi.height * index / job->n_parts);
  int          y1 = roi.y + (int) ((long long) roi.height * (index + 1)
                                   / job->n_parts);
  float       *row = job->rows + (size_t) index * 4 * job->co.width;

  for (int y = y0; y < y1; y++)
    {
      double       ty = (y - 0.5 * (s - 1)) / s;
      int          jy = (int) floor (ty);
      float        fy = (float) (ty - jy);
      int          a = skc_clampi (jy, job->co.y, job->co.y + job->co.height - 1);
      int          b = skc_clampi (jy + 1, job->co.y, job->co.y + job->co.height - 1);
      const float *ra = job->coarse + (size_t) (a - job->co.y) * 4 * job->co.width;
      const float *rb = job->coarse + (size_t) (b - job->co.y) * 4 * job->co.width;
      float       *o = skc_out_view_at (job->dst, roi.x, y);

      for (int i = 0; i < 4 * job->co.width; i++)
        row[i] = ra[i] + fy * (rb[i] - ra[i]);
      for (int x = 0; x < roi.width; x++)
        {
          const float *p = row + job->jx[x];
          const float *q = p + job->jn[x];
          float        f = job->fx[x];

          for (int c = 0; c < 4; c++)
            o[4 * x + c] += p[c] + f * (q[c] - p[c]);
        }
    }
}

typedef struct
{
  SkcInView src;
  SkcRect   bounds;
  float     level;
  int       s;
  float    *cin;       /* the coarse input over ci                      */
  SkcRect   ci;
  int       n_parts;
} DownJob;

/* Coarse rows of part @index of ci: each the mean of its s x s block. */
static void
down_part (void *data, int index)
{
  const DownJob *job = data;
  SkcRect        ci = job->ci, b = job->bounds;
  int            s = job->s;
  int            j0 = (int) ((long long) ci.height * index / job->n_parts);
  int            j1 = (int) ((long long) ci.height * (index + 1) / job->n_parts);
  float          inv = 1.0f / (float) (s * s), level = job->level;
  /* the coarse columns whose blocks lie inside the bounds */
  int            i0, i1;

  i0 = floordiv (b.x + s - 1, s) - ci.x;
  i1 = floordiv (b.x + b.width, s) - ci.x;
  i0 = i0 < 0 ? 0 : i0 > ci.width ? ci.width : i0;
  i1 = i1 < i0 ? i0 : i1 > ci.width ? ci.width : i1;
  for (int j = j0; j < j1; j++)
    {
      float *d = job->cin + (size_t) j * 4 * ci.width;

      memset (d, 0, (size_t) ci.width * 4 * sizeof *d);
      for (int k = 0; k < s; k++)
        {
          int          yy = skc_clampi ((ci.y + j) * s + k, b.y,
                                        b.y + b.height - 1);
          const float *row = i0 < i1 ? skc_in_view_at (job->src,
                                                       (ci.x + i0) * s, yy)
                                     : NULL;

          /* blocks inside the bounds: s pixels in a row */
          for (int i = i0; i < i1; i++)
            {
              const float *p = row + 4 * (size_t) s * (i - i0);
              float        acc[4] = { 0.0f, 0.0f, 0.0f, 0.0f };

              if (isinf (level))
                for (int l = 0; l < s; l++)
                  for (int c = 0; c < 4; c++)
                    acc[c] += p[4 * l + c];
              else
                for (int l = 0; l < s; l++)
                  for (int c = 0; c < 4; c++)
                    acc[c] += c < 3 && p[4 * l + c] > level ? level
                                                            : p[4 * l + c];
              for (int c = 0; c < 4; c++)
                d[4 * i + c] += acc[c];
            }
          /* blocks crossing the bounds: clamped pixels */
          for (int i = 0; i < ci.width; i++)
            {
              if (i == i0)
                i = i1;
              if (i >= ci.width)
                break;
              for (int l = 0; l < s; l++)
                {
                  int          xx = skc_clampi ((ci.x + i) * s + l, b.x,
                                                b.x + b.width - 1);
                  const float *p = skc_in_view_at (job->src, xx, yy);

                  for (int c = 0; c < 4; c++)
                    d[4 * i + c] += c < 3 && p[c] > level ? level : p[c];
                }
            }
        }
      for (int i = 0; i < 4 * ci.width; i++)
        d[i] *= inv;
    }
}

SkcStatus
skc_correction_add_rgba (const SkcCorrection *corr, float level,
                         SkcInView src, SkcRect bounds, SkcOutView dst,
                         const SkcApplyOptions *options)
{
  SkcRect         roi = dst.rect, cb, co, ci;
  SkcApplyOptions opt;
  int             s, n_threads;
  float          *cin = NULL, *cout = NULL, *fx = NULL;
  int            *jx = NULL, *jn = NULL;
  SkcStatus       st;

  if (!corr || isnan (level) || level < 0.0f)
    return SKC_ERR_INVALID;
  st = skc_apply_check_args (src, bounds, dst, corr->halo, options);
  if (st != SKC_OK || skc_rect_empty (roi))
    return st;
  if (options)
    opt = *options;
  else
    skc_apply_options_init (&opt);
  opt.progress = NULL;   /* a small part of the caller's job */
  opt.progress_data = NULL;
  s = corr->factor;

  /* the coarse image's bounds, the samples the roi interpolates (co) and
   * the coarse input those need (ci) */
  cb.x = floordiv (bounds.x, s);
  cb.y = floordiv (bounds.y, s);
  cb.width = floordiv (bounds.x + bounds.width - 1, s) - cb.x + 1;
  cb.height = floordiv (bounds.y + bounds.height - 1, s) - cb.y + 1;
  co.x = (int) floor ((roi.x - 0.5 * (s - 1)) / s);
  co.y = (int) floor ((roi.y - 0.5 * (s - 1)) / s);
  co.width = (int) floor ((roi.x + roi.width - 1 - 0.5 * (s - 1)) / s) + 2 - co.x;
  co.height = (int) floor ((roi.y + roi.height - 1 - 0.5 * (s - 1)) / s) + 2 - co.y;
  co = skc_rect_intersect (co, cb);
  ci = (SkcRect) { co.x - corr->rs, co.y - corr->rs, co.width + 2 * corr->rs,
                   co.height + 2 * corr->rs };
  ci = skc_rect_intersect (ci, cb);
  if (skc_rect_empty (co))
    return SKC_OK;

  cin = malloc ((size_t) ci.width * ci.height * 4 * sizeof *cin);
  cout = malloc ((size_t) co.width * co.height * 4 * sizeof *cout);
  jx = malloc ((size_t) roi.width * sizeof *jx);
  jn = malloc ((size_t) roi.width * sizeof *jn);
  fx = malloc ((size_t) roi.width * sizeof *fx);
  if (!cin || !cout || !jx || !jn || !fx)
    {
      st = SKC_ERR_NOMEM;
      goto done;
    }

  /* D: block means, colour clipped at @level, clamped into the bounds */
  {
    DownJob job = { src, bounds, level, s, cin, ci, 1 };

    n_threads = skc_thread_count (opt.n_threads);
    job.n_parts = n_threads < ci.height ? n_threads : ci.height;
    skc_parallel_run (job.n_parts, down_part, &job);
  }

  /* D (I) * Es, exactly */
  st = skc_exact_apply_rgba (corr->coarse,
                             skc_in_view (cin, 4 * ci.width, ci), cb,
                             skc_out_view (cout, 4 * co.width, co), &opt);
  if (st != SKC_OK)
    goto done;

  /* U, added */
  for (int x = 0; x < roi.width; x++)
    {
      double tx = (roi.x + x - 0.5 * (s - 1)) / s;
      int    j = (int) floor (tx);

      fx[x] = (float) (tx - j);
      if (j < co.x)
        j = co.x, fx[x] = 0.0f;
      if (j > co.x + co.width - 1)
        j = co.x + co.width - 1, fx[x] = 0.0f;
      jx[x] = 4 * (j - co.x);
      jn[x] = j + 1 < co.x + co.width ? 4 : 0;
    }
  {
    UpJob job = { corr, src, bounds, dst, level, cout, co, jx, jn, fx, NULL, 1 };

    n_threads = skc_thread_count (opt.n_threads);
    job.n_parts = n_threads < roi.height ? n_threads : roi.height;
    job.rows = malloc ((size_t) job.n_parts * co.width * 4 * sizeof *job.rows);
    if (!job.rows)
      {
        st = SKC_ERR_NOMEM;
        goto done;
      }
    skc_parallel_run (job.n_parts, up_part, &job);
    free (job.rows);
  }

done:
  free (cin);
  free (cout);
  free (jx);
  free (jn);
  free (fx);
  return st;
}
