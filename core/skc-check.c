/* Kernels and complexes from outside (files, caches, scripts) are checked
 * before they are used, and a refusal says what is wrong and where:
 *
 *  - a kernel image's declared size comes from its header and must be at
 *    most SKC_MAX_KERNEL_SIZE on each side before a pixel is decoded; its
 *    values must be finite and not negative, and its mass positive;
 *  - a complex must have finite taps, a DC gain (the sum of its impulse
 *    response) within SKC_MIN_DC_GAIN .. SKC_MAX_DC_GAIN, so that zero or
 *    huge weights are refused rather than turning a layer black or white,
 *    and a reach of at most SKC_MAX_COMPLEX_REACH pixels, so that one far
 *    tap cannot make every apply read (and allocate halos for) thousands of
 *    pixels around each tile.
 *
 * Messages name the file (when there is one) and give the measured value
 * and the accepted range; they are plain ASCII English like the rest of
 * the core, and numbers are printed with '.' (only %d and %g of values the
 * C locale prints the same: the core never calls setlocale).
 */
#include "skc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void say (char *err, size_t size, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));

static void
say (char *err, size_t size, const char *fmt, ...)
{
  va_list ap;

  if (!err || size == 0)
    return;
  va_start (ap, fmt);
  vsnprintf (err, size, fmt, ap);
  va_end (ap);
}

SkcStatus
skc_kernel_load (const char *path, SkcKernel **out, char *err, size_t err_size)
{
  SkcImage *img = NULL;
  SkcStatus s;
  int       w = 0, h = 0;

  say (err, err_size, "%s", "");
  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!path)
    return SKC_ERR_INVALID;

  s = skc_image_probe (path, &w, &h);
  if (s == SKC_OK && (w > SKC_MAX_KERNEL_SIZE || h > SKC_MAX_KERNEL_SIZE))
    s = SKC_ERR_TOO_LARGE;
  if (s == SKC_ERR_TOO_LARGE)
    {
      say (err, err_size, "kernel image '%s' is %dx%d px; a kernel is at "
           "most %dx%d px", path, w, h, SKC_MAX_KERNEL_SIZE,
           SKC_MAX_KERNEL_SIZE);
      return s;
    }
  if (s == SKC_OK)
    s = skc_image_load_max (path, SKC_MAX_KERNEL_SIZE, &img);
  if (s != SKC_OK)
    {
      say (err, err_size, "cannot load kernel image '%s': %s", path,
           skc_status_string (s));
      return s;
    }

  {
    size_t n = (size_t) img->width * img->height * img->channels;
    size_t bad = 0, neg = 0, first = 0;

    for (size_t i = 0; i < n; i++)
      {
        if (!isfinite (img->data[i]))
          {
            if (bad++ == 0)
              first = i / (size_t) img->channels;
          }
        else if (img->data[i] < 0.0f && neg++ == 0 && bad == 0)
          first = i / (size_t) img->channels;
      }
    if (bad || neg)
      {
        say (err, err_size, "kernel image '%s' holds %zu %s value%s (first "
             "at x %zu, y %zu); kernel weights must be finite and not "
             "negative", path, bad ? bad : neg,
             bad ? "NaN or infinite" : "negative", (bad ? bad : neg) == 1 ? "" : "s",
             first % (size_t) img->width, first / (size_t) img->width);
        skc_image_free (img);
        return SKC_ERR_INVALID;
      }
  }

  s = skc_kernel_from_image (img, out);
  skc_image_free (img);
  if (s == SKC_ERR_EMPTY)
    say (err, err_size, "kernel image '%s' is empty (no positive weight)",
         path);
  else if (s != SKC_OK)
    say (err, err_size, "cannot use kernel image '%s': %s", path,
         skc_status_string (s));
  return s;
}

SkcStatus
skc_complex_check (const SkcComplex *complex, const char *name, char *err,
                   size_t err_size)
{
  double gain;
  int    reach, n;

  say (err, err_size, "%s", "");
  if (!name)
    name = "complex";
  if (!complex || !complex->taps || complex->n_layers < 1)
    {
      say (err, err_size, "'%s': no layers", name);
      return SKC_ERR_INVALID;
    }
  n = skc_complex_total_taps (complex);
  for (int i = 0; i < n; i++)
    {
      const SkcTap *t = complex->taps + i;

      if (!isfinite (t->ox) || !isfinite (t->oy) || !isfinite (t->w))
        {
          say (err, err_size, "'%s': tap %d is NaN or infinite", name, i + 1);
          return SKC_ERR_INVALID;
        }
    }
  gain = skc_complex_gain (complex);
  if (!(gain >= SKC_MIN_DC_GAIN && gain <= SKC_MAX_DC_GAIN))
    {
      say (err, err_size, "'%s': DC gain %.3g (the sum of the kernel) is "
           "outside %g..%g; the weights are zero, negative or far too large",
           name, gain, SKC_MIN_DC_GAIN, SKC_MAX_DC_GAIN);
      return SKC_ERR_INVALID;
    }
  reach = skc_complex_reach (complex);
  if (reach > SKC_MAX_COMPLEX_REACH)
    {
      say (err, err_size, "'%s': taps reach %d px from the centre; a "
           "kernel reaches at most %d px (%d px wide)", name, reach,
           SKC_MAX_COMPLEX_REACH, SKC_MAX_KERNEL_SIZE);
      return SKC_ERR_INVALID;
    }
  return SKC_OK;
}
