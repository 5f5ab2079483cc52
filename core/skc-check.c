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
 * A refusal is described as an SkcDetail (skc-detail.c) naming the file
 * (when there is one) with the measured value and the accepted range; the
 * char-buffer forms give its English sentence.
 */
#include "skc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The English sentence of @d into @err (if any). */
static SkcStatus
to_text (SkcStatus status, const SkcDetail *d, char *err, size_t err_size)
{
  skc_detail_format (d, err, err_size);
  return status;
}

SkcStatus
skc_kernel_load (const char *path, SkcKernel **out, char *err, size_t err_size)
{
  SkcDetail d;

  return to_text (skc_kernel_load_detail (path, out, &d), &d, err, err_size);
}

SkcStatus
skc_complex_check (const SkcComplex *complex, const char *name, char *err,
                   size_t err_size)
{
  SkcDetail d;

  return to_text (skc_complex_check_detail (complex, name, &d), &d, err,
                  err_size);
}

/* @d (if not NULL) set to @status and @code about @name; returns @status. */
static SkcStatus
refuse (SkcDetail *d, SkcStatus status, SkcDetailCode code, const char *name)
{
  skc_detail_set (d, status, code, name);
  return status;
}

SkcStatus
skc_kernel_load_detail (const char *path, SkcKernel **out, SkcDetail *d)
{
  SkcImage *img = NULL;
  SkcStatus s;
  int       w = 0, h = 0;

  skc_detail_set (d, SKC_OK, SKC_DETAIL_NONE, path);
  if (!out)
    return refuse (d, SKC_ERR_INVALID, SKC_DETAIL_NONE, path);
  *out = NULL;
  if (!path)
    return refuse (d, SKC_ERR_INVALID, SKC_DETAIL_NONE, path);

  s = skc_image_probe (path, &w, &h);
  if (s == SKC_OK && (w > SKC_MAX_KERNEL_SIZE || h > SKC_MAX_KERNEL_SIZE))
    s = SKC_ERR_TOO_LARGE;
  if (s == SKC_ERR_TOO_LARGE)
    {
      refuse (d, s, SKC_DETAIL_KERNEL_TOO_LARGE, path);
      if (d)
        {
          d->n[0] = w;
          d->n[1] = h;
          d->n[2] = SKC_MAX_KERNEL_SIZE;
        }
      return s;
    }
  if (s == SKC_OK)
    s = skc_image_load_max (path, SKC_MAX_KERNEL_SIZE, &img);
  if (s != SKC_OK)
    return refuse (d, s, SKC_DETAIL_KERNEL_UNREADABLE, path);

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
        refuse (d, SKC_ERR_INVALID, bad ? SKC_DETAIL_KERNEL_NONFINITE
                                        : SKC_DETAIL_KERNEL_NEGATIVE, path);
        if (d)
          {
            d->n[0] = (long long) (bad ? bad : neg);
            d->n[1] = (long long) (first % (size_t) img->width);
            d->n[2] = (long long) (first / (size_t) img->width);
          }
        skc_image_free (img);
        return SKC_ERR_INVALID;
      }
  }

  s = skc_kernel_from_image (img, out);
  skc_image_free (img);
  if (s == SKC_ERR_EMPTY)
    return refuse (d, s, SKC_DETAIL_KERNEL_EMPTY, path);
  if (s != SKC_OK)
    return refuse (d, s, SKC_DETAIL_KERNEL_UNUSABLE, path);
  return SKC_OK;
}

SkcStatus
skc_complex_check_detail (const SkcComplex *complex, const char *name,
                          SkcDetail *d)
{
  double gain;
  int    reach, n;

  if (!name)
    name = "complex";
  skc_detail_set (d, SKC_OK, SKC_DETAIL_NONE, name);
  if (!complex || !complex->taps || complex->n_layers < 1)
    return refuse (d, SKC_ERR_INVALID, SKC_DETAIL_COMPLEX_NO_LAYERS, name);
  n = skc_complex_total_taps (complex);
  for (int i = 0; i < n; i++)
    {
      const SkcTap *t = complex->taps + i;

      if (!isfinite (t->ox) || !isfinite (t->oy) || !isfinite (t->w))
        {
          refuse (d, SKC_ERR_INVALID, SKC_DETAIL_COMPLEX_TAP, name);
          if (d)
            d->n[0] = i + 1;
          return SKC_ERR_INVALID;
        }
    }
  gain = skc_complex_gain (complex);
  if (!(gain >= SKC_MIN_DC_GAIN && gain <= SKC_MAX_DC_GAIN))
    {
      refuse (d, SKC_ERR_INVALID, SKC_DETAIL_COMPLEX_GAIN, name);
      if (d)
        {
          d->x[0] = gain;
          d->x[1] = SKC_MIN_DC_GAIN;
          d->x[2] = SKC_MAX_DC_GAIN;
        }
      return SKC_ERR_INVALID;
    }
  reach = skc_complex_reach (complex);
  if (reach > SKC_MAX_COMPLEX_REACH)
    {
      refuse (d, SKC_ERR_INVALID, SKC_DETAIL_COMPLEX_REACH, name);
      if (d)
        {
          d->n[0] = reach;
          d->n[1] = SKC_MAX_COMPLEX_REACH;
          d->n[2] = SKC_MAX_KERNEL_SIZE;
        }
      return SKC_ERR_INVALID;
    }
  return SKC_OK;
}
