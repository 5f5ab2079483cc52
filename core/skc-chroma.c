/* Chromatic bokeh: a kernel per colour channel (issue 15).
 *
 * Two lens effects give red, green and blue different kernels:
 *  - longitudinal (axial) chromatic aberration: the channels come into
 *    focus at different distances, so out of focus their disks differ in
 *    size.  An achromat brings red and blue together and leaves green
 *    apart (the secondary spectrum), which is what fringes bokeh purple
 *    on one side of the focus and green on the other.  With an amount A
 *    in -1..1 and the diameter D (skc_chroma_sizes):
 *      A > 0: red and blue D, green D (1 - A)  (purple rims)
 *      A < 0: green D, red and blue D (1 + A)  (green rims)
 *    so no channel is ever larger than D (the halo does not grow);
 *  - a kernel with colour (an RGB kernel image, a colour brush): each
 *    channel of the image is a kernel of its own, normalised to unit sum
 *    (skc_kernel_from_image_channel), so a flat area keeps its colour.
 * Each channel goes through the same engines as the gray kernel (the
 * uniform plan, the exact or split path, the varying apply); the caller
 * hands one apply per distinct kernel, and skc_apply_channels_rgba runs
 * each once over all four channels and keeps the channels it stands for:
 * red-and-blue plus green costs two applies, an RGB kernel three.  Alpha
 * goes with green's kernel (the brightest, for most kernels the middle
 * one).
 */
#include "skc.h"
#include "skc-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void
skc_chroma_sizes (float size, float amount, float sizes[3])
{
  float a = amount < -1.0f ? -1.0f : amount > 1.0f ? 1.0f : amount;

  if (!(a == a))
    a = 0.0f;
  sizes[0] = sizes[2] = a < 0.0f ? size * (1.0f + a) : size;
  sizes[1] = a > 0.0f ? size * (1.0f - a) : size;
}

SkcStatus
skc_kernel_from_image_channel (const SkcImage *image, int channel,
                               SkcKernel **out)
{
  SkcImage  plane;
  SkcStatus st;
  size_t    n;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!image || !image->data || image->channels < 1
      || image->channels > 4 || channel < 0 || channel > 2)
    return SKC_ERR_INVALID;
  if (image->channels < 3)
    return skc_kernel_from_image (image, out);
  n = (size_t) image->width * image->height;
  plane = *image;
  plane.channels = 1;
  plane.data = malloc (n * sizeof *plane.data);
  if (!plane.data)
    return SKC_ERR_NOMEM;
  for (size_t i = 0; i < n; i++)
    {
      const float *p = image->data + i * image->channels;

      /* an alpha channel multiplies, as in skc_kernel_from_image */
      plane.data[i] = p[channel] * (image->channels == 4 ? p[3] : 1.0f);
    }
  st = skc_kernel_from_image (&plane, out);
  free (plane.data);
  return st;
}

SkcStatus
skc_apply_channels_rgba (int n_groups, const int group[3],
                         SkcChannelApply apply, void *data, SkcInView in,
                         SkcRect bounds, SkcOutView out,
                         const SkcApplyOptions *options)
{
  SkcRect   roi = out.rect;
  float    *tmp = NULL;
  SkcStatus st = SKC_OK;
  int       green;

  if (!apply || !group || n_groups < 1 || n_groups > 3 || !out.data
      || roi.width < 0 || roi.height < 0 || out.stride < 4 * roi.width)
    return SKC_ERR_INVALID;
  for (int c = 0; c < 3; c++)
    if (group[c] < 0 || group[c] >= n_groups)
      return SKC_ERR_INVALID;
  green = group[1];
  /* green's group straight into @out, the others through a scratch */
  st = apply (data, green, in, bounds, out, options);
  if (st != SKC_OK || n_groups == 1)
    return st;
  if ((size_t) roi.width * roi.height > SIZE_MAX / 16)
    return SKC_ERR_NOMEM;
  tmp = malloc ((size_t) roi.width * roi.height * 4 * sizeof *tmp);
  if (!tmp)
    return SKC_ERR_NOMEM;
  for (int g = 0; g < n_groups && st == SKC_OK; g++)
    {
      if (g == green)
        continue;
      st = apply (data, g, in, bounds,
                  skc_out_view (tmp, 4 * roi.width, roi), options);
      for (int y = 0; st == SKC_OK && y < roi.height; y++)
        {
          const float *s = tmp + (size_t) y * 4 * roi.width;
          float       *d = out.data + (size_t) y * out.stride;

          for (int c = 0; c < 3; c++)
            if (group[c] == g)
              for (int x = 0; x < roi.width; x++)
                d[4 * x + c] = s[4 * x + c];
        }
    }
  free (tmp);
  return st;
}
