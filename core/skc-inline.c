/* Inline data: a kernel image, a fitted complex or a blur map carried as
 * text, so that an effect (skc:bokeh's kernel-data and map-data
 * properties) holds everything it renders.  The encoding is a data: URI
 * (RFC 2397) with base64 content, described in plug-ins/PROPERTIES.md:
 *
 *   data:image/png;skc=1;base64,...              a kernel image
 *   data:image/png;skc=1;size=W,H;base64,...     a blur map covering W x H
 *   data:text/x-skc;skc=1;base64,...             a .skc complex (FORMAT.md)
 *
 * Images are 16-bit PNGs (skc_image_encode_png): exact for 8- and 16-bit
 * sources, 1/65535 steps for float ones.  Nothing here depends on the
 * locale: the only numbers are the integers of "skc" and "size", written
 * and read digit by digit.
 */
#include "skc.h"
#include "skc-image-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INLINE_VERSION 1

static const char b64[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
b64_value (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

/* @prefix then the base64 of @data; malloc()ed. */
static SkcStatus
b64_encode (const char *prefix, const unsigned char *data, size_t n,
            char **out)
{
  size_t plen = strlen (prefix);
  size_t i, o;
  char  *s;

  if (n > (SIZE_MAX - plen - 1) / 4 * 3 - 3)
    return SKC_ERR_NOMEM;
  s = malloc (plen + (n + 2) / 3 * 4 + 1);
  if (!s)
    return SKC_ERR_NOMEM;
  memcpy (s, prefix, plen);
  o = plen;
  for (i = 0; i + 2 < n; i += 3)
    {
      unsigned v = (unsigned) data[i] << 16 | (unsigned) data[i + 1] << 8
                   | data[i + 2];

      s[o++] = b64[v >> 18];
      s[o++] = b64[(v >> 12) & 63];
      s[o++] = b64[(v >> 6) & 63];
      s[o++] = b64[v & 63];
    }
  if (i < n)
    {
      unsigned v = (unsigned) data[i] << 16
                   | (i + 1 < n ? (unsigned) data[i + 1] << 8 : 0);

      s[o++] = b64[v >> 18];
      s[o++] = b64[(v >> 12) & 63];
      s[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
      s[o++] = '=';
    }
  s[o] = '\0';
  *out = s;
  return SKC_OK;
}

/* Strict base64 (padding required, no whitespace); malloc()ed bytes. */
static SkcStatus
b64_decode (const char *s, unsigned char **out, size_t *n_out)
{
  size_t         len = strlen (s), i, o = 0;
  unsigned char *d;

  if (len == 0 || len % 4 != 0)
    return SKC_ERR_FORMAT;
  d = malloc (len / 4 * 3);
  if (!d)
    return SKC_ERR_NOMEM;
  for (i = 0; i < len; i += 4)
    {
      int      v[4], k, pad = 0;
      unsigned w;

      for (k = 0; k < 4; k++)
        {
          if (s[i + k] == '=' && i + 4 == len && k >= 2)
            {
              v[k] = 0;
              pad++;
            }
          else if (pad || (v[k] = b64_value (s[i + k])) < 0)
            {
              free (d);
              return SKC_ERR_FORMAT;
            }
        }
      w = (unsigned) v[0] << 18 | (unsigned) v[1] << 12
          | (unsigned) v[2] << 6 | (unsigned) v[3];
      d[o++] = (unsigned char) (w >> 16);
      if (pad < 2)
        d[o++] = (unsigned char) (w >> 8);
      if (pad < 1)
        d[o++] = (unsigned char) w;
    }
  *out = d;
  *n_out = o;
  return SKC_OK;
}

int
skc_inline_is_data (const char *text)
{
  return text && strncmp (text, "data:", 5) == 0;
}

/* A decimal integer of 1 to 7 digits, in 1 .. SKC_MAX_IMAGE_SIDE. */
static const char *
parse_side (const char *s, int *v)
{
  int n = 0, k;

  for (k = 0; k < 7 && s[k] >= '0' && s[k] <= '9'; k++)
    n = n * 10 + (s[k] - '0');
  if (k == 0 || n < 1 || n > SKC_MAX_IMAGE_SIDE)
    return NULL;
  *v = n;
  return s + k;
}

SkcStatus
skc_inline_encode_image (const SkcImage *image, int map_width,
                         int map_height, char **out)
{
  unsigned char *png = NULL;
  size_t         n = 0;
  char           prefix[96];
  SkcStatus      s;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!image || image->channels != 1 || map_width < 0 || map_height < 0
      || (map_width > 0) != (map_height > 0)
      || map_width > SKC_MAX_IMAGE_SIDE || map_height > SKC_MAX_IMAGE_SIDE)
    return SKC_ERR_INVALID;
  s = skc_image_encode_png (image, &png, &n);
  if (s != SKC_OK)
    return s;
  if (map_width > 0)
    snprintf (prefix, sizeof prefix, "data:image/png;skc=%d;size=%d,%d;base64,",
              INLINE_VERSION, map_width, map_height);
  else
    snprintf (prefix, sizeof prefix, "data:image/png;skc=%d;base64,",
              INLINE_VERSION);
  s = b64_encode (prefix, png, n, out);
  free (png);
  return s;
}

SkcStatus
skc_inline_encode_complex (const SkcComplex *complex, char **out)
{
  char     *text = NULL;
  char      prefix[64];
  SkcStatus s;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  s = skc_complex_format (complex, &text);
  if (s != SKC_OK)
    return s;
  snprintf (prefix, sizeof prefix, "data:text/x-skc;skc=%d;base64,",
            INLINE_VERSION);
  s = b64_encode (prefix, (const unsigned char *) text, strlen (text), out);
  free (text);
  return s;
}

void
skc_inline_clear (SkcInline *data)
{
  if (!data)
    return;
  skc_image_free (data->image);
  skc_complex_free (data->complex);
  memset (data, 0, sizeof *data);
}

/* One parameter of the header, @p .. @end: skc=N or size=W,H; others are
 * skipped (a newer writer may add some).  0 if a known one is malformed. */
static int
parse_param (const char *p, const char *end, int *version, SkcInline *out)
{
  const char *e;

  if (strncmp (p, "skc=", 4) == 0)
    return (e = parse_side (p + 4, version)) != NULL && e == end;
  if (strncmp (p, "size=", 5) == 0)
    return (e = parse_side (p + 5, &out->map_width)) != NULL && *e == ','
           && (e = parse_side (e + 1, &out->map_height)) != NULL && e == end;
  return 1;
}

SkcStatus
skc_inline_decode (const char *text, SkcInline *out)
{
  const char    *p, *data;
  unsigned char *bytes = NULL;
  size_t         n = 0;
  int            version = 0, is_png;
  SkcStatus      s;

  if (!out)
    return SKC_ERR_INVALID;
  memset (out, 0, sizeof *out);
  if (!skc_inline_is_data (text) || !(data = strstr (text, ";base64,")))
    return SKC_ERR_FORMAT;
  p = text + 5;
  is_png = strncmp (p, "image/png;", 10) == 0;
  if (!is_png && strncmp (p, "text/x-skc;", 11) != 0)
    return SKC_ERR_FORMAT;
  /* The parameters between the media type and ";base64,". */
  p = strchr (p, ';');
  while (p < data)
    {
      const char *next = strchr (p + 1, ';');

      if (!parse_param (p + 1, next, &version, out))
        return SKC_ERR_FORMAT;
      p = next;
    }
  /* Version 1 is the only one: a newer writer's data is refused rather
   * than misread. */
  if (version != INLINE_VERSION || (!is_png && out->map_width))
    return SKC_ERR_FORMAT;
  s = b64_decode (data + 8, &bytes, &n);
  if (s != SKC_OK)
    return s;
  if (is_png)
    {
      /* gray only, and the declared size checked against the data's,
       * both from the header before anything is decoded */
      s = skc_image_decode_png_channels (bytes, n, 1, &out->image);
    }
  else
    s = skc_complex_parse ((const char *) bytes, n, &out->complex, NULL, 0);
  free (bytes);
  if (s != SKC_OK)
    skc_inline_clear (out);
  return s;
}

/* ---------------------------------------------------------------- maps */

/* Area average of @n values (stride @step) into @m cells, cell u covering
 * [u * n / m, (u + 1) * n / m). */
static void
shrink_line (const float *src, int n, int step, float *dst, int m,
             int dstep)
{
  double scale = (double) n / m;
  int    u;

  for (u = 0; u < m; u++)
    {
      double a = u * scale, b = (u + 1) * scale, sum = 0.0;
      int    i;

      for (i = (int) a; i < n && i < b; i++)
        {
          double lo = i > a ? i : a, hi = i + 1 < b ? i + 1 : b;

          sum += (hi - lo) * src[(size_t) i * step];
        }
      dst[(size_t) u * dstep] = (float) (sum / scale);
    }
}

SkcStatus
skc_map_shrink (const float *values, int width, int height, int max_side,
                SkcImage **out)
{
  int       side = width > height ? width : height;
  int       f, gw, gh, x, y;
  float    *rows;
  SkcImage *img;
  SkcStatus s;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!values || width < 1 || height < 1 || max_side < 1
      || width > SKC_MAX_IMAGE_SIDE || height > SKC_MAX_IMAGE_SIDE)
    return SKC_ERR_INVALID;
  f = (side + max_side - 1) / max_side;
  gw = (width + f - 1) / f;
  gh = (height + f - 1) / f;
  s = skc_image_new (gw, gh, 1, &img);
  if (s != SKC_OK)
    return s;
  rows = malloc ((size_t) gw * height * sizeof *rows);
  if (!rows)
    {
      skc_image_free (img);
      return SKC_ERR_NOMEM;
    }
  for (y = 0; y < height; y++)
    shrink_line (values + (size_t) y * width, width, 1,
                 rows + (size_t) y * gw, gw, 1);
  for (x = 0; x < gw; x++)
    shrink_line (rows + x, height, gw, img->data + x, gh, gw);
  free (rows);
  *out = img;
  return SKC_OK;
}

static int
clamp_int (int v, int lo, int hi)
{
  return v < lo ? lo : v > hi ? hi : v;
}

/* The two grid cells around full-size pixel @pos of @n (clamped) on a
 * grid of @m cells, and the weight of the second. */
static void
grid_coord (int pos, int n, int m, int *i0, int *i1, float *frac)
{
  double g = (clamp_int (pos, 0, n - 1) + 0.5) * m / n - 0.5;

  if (g < 0.0)
    g = 0.0;
  if (g > m - 1)
    g = m - 1;
  *i0 = (int) g;
  *i1 = *i0 + 1 < m ? *i0 + 1 : *i0;
  *frac = (float) (g - *i0);
}

void
skc_map_sample (const SkcImage *grid, int width, int height, int x, int y,
                int n, float *out)
{
  const float *r0, *r1;
  int          y0, y1, i;
  float        fy;

  grid_coord (y, height, grid->height, &y0, &y1, &fy);
  r0 = grid->data + (size_t) y0 * grid->width;
  r1 = grid->data + (size_t) y1 * grid->width;
  for (i = 0; i < n; i++)
    {
      int   x0, x1;
      float fx, top, bottom;

      grid_coord (x + i, width, grid->width, &x0, &x1, &fx);
      top = r0[x0] + fx * (r0[x1] - r0[x0]);
      bottom = r1[x0] + fx * (r1[x1] - r1[x0]);
      out[i] = top + fy * (bottom - top);
    }
}
