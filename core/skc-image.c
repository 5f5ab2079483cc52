/* Float images and their files: PNG through libpng, PFM by hand.
 *
 * Images hold interleaved float samples with no colour conversion: a PNG's
 * code values are divided by their maximum (255 or 65535), a PFM's floats
 * are kept as they are.  Colour-space decisions (sRGB to linear) belong to
 * the caller; skc_srgb_to_linear and skc_linear_to_srgb are provided for it.
 *
 * PNG reading asks libpng to expand everything to 8 or 16 bits per sample:
 * palettes become RGB, 1/2/4-bit gray becomes 8-bit, a tRNS chunk becomes an
 * alpha channel.  libpng reports errors by longjmp; our handlers never print
 * (the core is silent), every heap pointer that lives across setjmp is
 * volatile, and a corrupt or truncated file ends as SKC_ERR_FORMAT with
 * everything freed.
 *
 * PFM (Debevec's portable float map): "PF" is RGB, "Pf" gray; then width,
 * height and a scale whose sign gives the byte order (negative: little
 * endian).  Its magnitude is ignored on reading ("values as stored") and
 * written as 1.  Rows are stored bottom to top.  PFM has no alpha, so saving
 * a 2- or 4-channel image as PFM is refused with SKC_ERR_INVALID rather than
 * silently dropping data.
 *
 * Saving writes 16-bit PNGs (values clamped to 0..1, NaN as 0) or PFM,
 * chosen by the extension, case-insensitively, through the atomic save of
 * skc-file.c: a failed save leaves an existing file as it was, and a
 * target that is not a regular file is refused.  Loading opens only
 * regular files, without blocking on a FIFO.
 */
#include "skc.h"
#include "skc-private.h"
#include "skc-image-private.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---------------------------------------------------------------- images */

SkcStatus
skc_image_new (int width, int height, int channels, SkcImage **out)
{
  SkcImage *img;
  size_t    n;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (width < 1 || height < 1 || width > SKC_MAX_IMAGE_SIDE
      || height > SKC_MAX_IMAGE_SIDE || channels < 1 || channels > 4)
    return SKC_ERR_INVALID;

  n = (size_t) width * (size_t) height;
  if (n > SIZE_MAX / (size_t) channels / sizeof (float))
    return SKC_ERR_NOMEM;
  n *= (size_t) channels;

  img = malloc (sizeof *img);
  if (!img)
    return SKC_ERR_NOMEM;
  img->data = calloc (n, sizeof *img->data);
  if (!img->data)
    {
      free (img);
      return SKC_ERR_NOMEM;
    }
  img->width = width;
  img->height = height;
  img->channels = channels;
  *out = img;
  return SKC_OK;
}

void
skc_image_free (SkcImage *image)
{
  if (!image)
    return;
  free (image->data);
  free (image);
}

static int
image_ok (const SkcImage *image)
{
  return image && image->data && image->width >= 1 && image->height >= 1
         && image->width <= SKC_MAX_IMAGE_SIDE
         && image->height <= SKC_MAX_IMAGE_SIDE && image->channels >= 1
         && image->channels <= 4;
}

/* ---------------------------------------------------------------- sRGB */

float
skc_srgb_to_linear (float v)
{
  if (v <= 0.04045f)
    return v / 12.92f;
  return (float) pow ((v + 0.055) / 1.055, 2.4);
}

float
skc_linear_to_srgb (float v)
{
  if (v <= 0.0031308f)
    return v * 12.92f;
  return (float) (1.055 * pow (v, 1.0 / 2.4) - 0.055);
}

/* ---------------------------------------------------------------- PNG */

void
skc_png_silent_error (png_structp png, png_const_charp msg)
{
  (void) msg;
  png_longjmp (png, 1);
}

void
skc_png_silent_warning (png_structp png, png_const_charp msg)
{
  (void) png;
  (void) msg;
}

/* The declared size from a header, checked against @max_side and the
 * pixel budget before any pixel is decoded or any buffer allocated. */
SkcStatus
skc_image_size_ok (long width, long height, int max_side)
{
  if (width < 1 || height < 1)
    return SKC_ERR_FORMAT;
  if (width > max_side || height > max_side
      || (unsigned long long) width * (unsigned long long) height
         > SKC_MAX_IMAGE_PIXELS)
    return SKC_ERR_TOO_LARGE;
  return SKC_OK;
}

SkcStatus
skc_png_data_ok (png_structp png, png_infop info, unsigned long long avail)
{
  unsigned long long w = png_get_image_width (png, info);
  unsigned long long h = png_get_image_height (png, info);
  unsigned long long bits = (unsigned long long) png_get_channels (png, info)
                            * png_get_bit_depth (png, info);
  unsigned long long raw = h * (1 + (w * bits + 7) / 8);

  /* deflate codes at most 1032 bytes per byte (zlib's bound); an
   * interlaced image has more raw bytes, never fewer */
  return raw / 1032 > avail ? SKC_ERR_FORMAT : SKC_OK;
}

/* Where a PNG is read from or written to: a file, or memory (the inline
 * data of skc:bokeh's properties).  libpng calls these through its
 * user-I/O hooks when @fp is NULL. */
typedef struct
{
  FILE                *fp;
  const unsigned char *data;    /* reading memory                      */
  size_t               length;
  size_t               pos;
  unsigned char       *out;     /* writing memory: malloc()ed, grows   */
  size_t               out_len;
  size_t               out_cap;
  int                  want_channels;   /* reading: 0 any, else refused
                                           before decoding otherwise    */
} PngIo;

static void
png_mem_read (png_structp png, png_bytep dst, png_size_t n)
{
  PngIo *io = png_get_io_ptr (png);

  if (n > io->length - io->pos)
    png_error (png, "truncated");
  memcpy (dst, io->data + io->pos, n);
  io->pos += n;
}

static void
png_mem_write (png_structp png, png_bytep src, png_size_t n)
{
  PngIo *io = png_get_io_ptr (png);

  if (n > io->out_cap - io->out_len)
    {
      size_t         cap = io->out_cap ? io->out_cap : 4096;
      unsigned char *grown;

      while (cap - io->out_len < n)
        {
          if (cap > SIZE_MAX / 2)
            png_error (png, "allocation");
          cap *= 2;
        }
      grown = realloc (io->out, cap);
      if (!grown)
        png_error (png, "allocation");
      io->out = grown;
      io->out_cap = cap;
    }
  memcpy (io->out + io->out_len, src, n);
  io->out_len += n;
}

static void
png_mem_flush (png_structp png)
{
  (void) png;
}

static void
png_set_io (png_structp png, PngIo *io, int writing)
{
  if (io->fp)
    png_init_io (png, io->fp);
  else if (writing)
    png_set_write_fn (png, io, png_mem_write, png_mem_flush);
  else
    png_set_read_fn (png, io, png_mem_read);
}

/* @out NULL: read the header only. */
static SkcStatus
png_load (PngIo *io, int max_side, int *w, int *h, SkcImage **out)
{
  png_structp         png;
  png_infop           info = NULL;
  SkcImage *volatile  img = NULL;
  png_bytep *volatile rows = NULL;
  png_bytep volatile  buf = NULL;
  volatile SkcStatus  status = SKC_ERR_FORMAT;
  png_uint_32         width, height, y;
  int                 bit_depth, color_type, channels, bytes;
  size_t              rowbytes, x, n;

  png = png_create_read_struct (PNG_LIBPNG_VER_STRING, NULL,
                                skc_png_silent_error, skc_png_silent_warning);
  if (!png)
    return SKC_ERR_NOMEM;
  info = png_create_info_struct (png);
  if (!info)
    {
      png_destroy_read_struct (&png, NULL, NULL);
      return SKC_ERR_NOMEM;
    }

  if (setjmp (png_jmpbuf (png)))
    {
      /* status is SKC_ERR_FORMAT unless an allocation failed first. */
      png_destroy_read_struct (&png, &info, NULL);
      free (rows);
      free (buf);
      skc_image_free (img);
      return status;
    }

  png_set_user_limits (png, SKC_MAX_IMAGE_SIDE, SKC_MAX_IMAGE_SIDE);
  png_set_io (png, io, 0);
  png_read_info (png, info);
  png_get_IHDR (png, info, &width, &height, &bit_depth, &color_type, NULL,
                NULL, NULL);
  *w = (int) width;
  *h = (int) height;
  status = skc_image_size_ok ((long) width, (long) height, max_side);
  if (status != SKC_OK)
    png_error (png, "too large");
  status = SKC_ERR_FORMAT;
  if (!out)
    {
      png_destroy_read_struct (&png, &info, NULL);
      return SKC_OK;
    }
  /* a header that declares more than its data can hold (a small file or
   * inline string claiming 10000 x 10000): refused before allocating */
  {
    unsigned long long avail = io->length;
    struct stat        st;

    if (io->fp)
      avail = fstat (fileno (io->fp), &st) == 0 && st.st_size > 0
              ? (unsigned long long) st.st_size : 0;
    if (skc_png_data_ok (png, info, avail) != SKC_OK)
      png_error (png, "declares more than it holds");
  }

  /* Everything to 8 or 16 bits per sample, palette to RGB, tRNS to alpha;
   * no gamma or colour conversion. */
  png_set_expand (png);
  png_set_interlace_handling (png);
  png_read_update_info (png, info);

  bit_depth = png_get_bit_depth (png, info);
  channels = png_get_channels (png, info);
  if (io->want_channels && channels != io->want_channels)
    png_error (png, "channels");
  if ((bit_depth != 8 && bit_depth != 16) || channels < 1 || channels > 4
      || width < 1 || height < 1 || width > SKC_MAX_IMAGE_SIDE
      || height > SKC_MAX_IMAGE_SIDE)
    png_error (png, "unsupported layout");
  bytes = bit_depth / 8;
  rowbytes = png_get_rowbytes (png, info);
  if (rowbytes != (size_t) width * (size_t) channels * (size_t) bytes
      || (size_t) height > SIZE_MAX / rowbytes)
    png_error (png, "unexpected row size");

  {
    SkcImage *tmp = NULL;
    SkcStatus s = skc_image_new ((int) width, (int) height, channels, &tmp);

    if (s != SKC_OK)
      {
        status = s;
        png_error (png, "allocation");
      }
    img = tmp;
  }
  buf = malloc (rowbytes * height);
  rows = malloc (height * sizeof *rows);
  if (!buf || !rows)
    {
      status = SKC_ERR_NOMEM;
      png_error (png, "allocation");
    }
  for (y = 0; y < height; y++)
    rows[y] = buf + (size_t) y * rowbytes;

  png_read_image (png, rows);
  png_read_end (png, NULL);

  n = (size_t) width * (size_t) channels;
  for (y = 0; y < height; y++)
    {
      const png_byte *src = rows[y];
      float          *dst = img->data + (size_t) y * n;

      if (bytes == 1)
        for (x = 0; x < n; x++)
          dst[x] = src[x] / 255.0f;
      else
        for (x = 0; x < n; x++)
          dst[x] = ((src[2 * x] << 8) | src[2 * x + 1]) / 65535.0f;
    }

  png_destroy_read_struct (&png, &info, NULL);
  free (rows);
  free (buf);
  *out = img;
  return SKC_OK;
}

void
skc_png_row16 (const float *src, size_t n, png_bytep row)
{
  for (size_t x = 0; x < n; x++)
    {
      float    v = src[x];
      unsigned code;

      /* !(v > 0) also catches NaN. */
      if (!(v > 0.0f))
        code = 0;
      else if (v >= 1.0f)
        code = 65535;
      else
        code = (unsigned) lrint ((double) v * 65535.0);
      row[2 * x] = (png_byte) (code >> 8);
      row[2 * x + 1] = (png_byte) (code & 0xff);
    }
}

static SkcStatus
png_save (const SkcImage *image, PngIo *io)
{
  static const int    types[4] = { PNG_COLOR_TYPE_GRAY,
                                   PNG_COLOR_TYPE_GRAY_ALPHA,
                                   PNG_COLOR_TYPE_RGB,
                                   PNG_COLOR_TYPE_RGB_ALPHA };
  png_structp         png;
  png_infop           info = NULL;
  png_bytep volatile  row = NULL;
  volatile SkcStatus  status = SKC_ERR_IO;
  size_t              n;
  int                 y;

  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL,
                                 skc_png_silent_error, skc_png_silent_warning);
  if (!png)
    return SKC_ERR_NOMEM;
  info = png_create_info_struct (png);
  if (!info)
    {
      png_destroy_write_struct (&png, NULL);
      return SKC_ERR_NOMEM;
    }

  if (setjmp (png_jmpbuf (png)))
    {
      png_destroy_write_struct (&png, &info);
      free (row);
      return status;
    }

  n = (size_t) image->width * (size_t) image->channels;
  row = malloc (n * 2);
  if (!row)
    {
      status = SKC_ERR_NOMEM;
      png_error (png, "allocation");
    }

  png_set_io (png, io, 1);
  png_set_IHDR (png, info, (png_uint_32) image->width,
                (png_uint_32) image->height, 16, types[image->channels - 1],
                PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                PNG_FILTER_TYPE_DEFAULT);
  png_write_info (png, info);

  for (y = 0; y < image->height; y++)
    {
      skc_png_row16 (image->data + (size_t) y * n, n, row);
      png_write_row (png, row);
    }
  png_write_end (png, NULL);

  png_destroy_write_struct (&png, &info);
  free (row);
  return SKC_OK;
}

/* ---------------------------------------------------------------- PFM */

int
skc_host_is_little_endian (void)
{
  const uint32_t one = 1;
  unsigned char  b;

  memcpy (&b, &one, 1);
  return b == 1;
}

void
skc_swap4 (unsigned char *p)
{
  unsigned char t;

  t = p[0];
  p[0] = p[3];
  p[3] = t;
  t = p[1];
  p[1] = p[2];
  p[2] = t;
}

/* Skip whitespace, then read one token of at most @size - 1 characters.
 * Returns the character that ended the token (a whitespace character), or
 * EOF on a missing, overlong or unterminated token. */
static int
pfm_token (FILE *fp, char *tok, size_t size)
{
  size_t len = 0;
  int    c;

  do
    c = fgetc (fp);
  while (c == ' ' || c == '\t' || c == '\n' || c == '\r');

  while (c != EOF && !isspace (c))
    {
      if (len + 1 >= size)
        return EOF;
      tok[len++] = (char) c;
      c = fgetc (fp);
    }
  tok[len] = '\0';
  if (len == 0)
    return EOF;
  return c;
}

/* A width or height: digits only, at least 1; SKC_ERR_TOO_LARGE for a
 * valid number over any side we accept. */
static SkcStatus
parse_side (const char *tok, int *side)
{
  char *end;
  long  v;

  if (!isdigit ((unsigned char) tok[0]))
    return SKC_ERR_FORMAT;
  errno = 0;
  v = strtol (tok, &end, 10);
  if (*end || v < 1)
    return SKC_ERR_FORMAT;
  if (errno == ERANGE || v > SKC_MAX_IMAGE_SIDE)
    return SKC_ERR_TOO_LARGE;
  *side = (int) v;
  return SKC_OK;
}

SkcStatus
skc_pfm_header (FILE *fp, int channels, int max_side, int *w, int *h,
                int *swap_out, int check_data)
{
  char      tok[64];
  char     *end;
  double    scale;
  int       width, height, swap;
  SkcStatus s;
  int       c;

  c = fgetc (fp);
  if (c == EOF || !isspace (c))
    return SKC_ERR_FORMAT;
  if (pfm_token (fp, tok, sizeof tok) == EOF)
    return SKC_ERR_FORMAT;
  s = parse_side (tok, &width);
  if (s != SKC_OK)
    return s;
  if (pfm_token (fp, tok, sizeof tok) == EOF)
    return SKC_ERR_FORMAT;
  s = parse_side (tok, &height);
  if (s != SKC_OK)
    return s;
  /* The scale ends with exactly one whitespace character, then data. */
  if (pfm_token (fp, tok, sizeof tok) == EOF)
    return SKC_ERR_FORMAT;
  /* "-1.0" whatever LC_NUMERIC says (GIMP sets it from the user's). */
  scale = skc_ascii_strtod (tok, &end);
  if (*end || !isfinite (scale) || scale == 0.0)
    return SKC_ERR_FORMAT;
  swap = (scale < 0.0) != skc_host_is_little_endian ();
  *w = width;
  *h = height;
  s = skc_image_size_ok (width, height, max_side);
  if (s != SKC_OK)
    return s;
  *swap_out = swap;
  if (!check_data)
    return SKC_OK;
  {
    struct stat st;
    long        here = ftell (fp);

    if (here < 0 || fstat (fileno (fp), &st) != 0)
      return SKC_ERR_IO;
    if ((unsigned long long) (st.st_size - here)
        < (unsigned long long) width * height * channels * sizeof (float))
      return SKC_ERR_FORMAT;   /* truncated: refused before allocating */
  }
  return SKC_OK;
}

/* @fp is positioned just after the two magic bytes; @out NULL: read the
 * header only.  The file must hold every declared sample (checked from
 * its size) before the image is allocated. */
static SkcStatus
pfm_load (FILE *fp, int channels, int max_side, int *w, int *h,
          SkcImage **out)
{
  int       width, height, y, swap;
  SkcImage *img;
  SkcStatus s;
  size_t    n, i;

  s = skc_pfm_header (fp, channels, max_side, w, h, &swap, out != NULL);
  if (s != SKC_OK || !out)
    return s;
  width = *w;
  height = *h;
  s = skc_image_new (width, height, channels, &img);
  if (s != SKC_OK)
    return s;

  n = (size_t) width * (size_t) channels;
  for (y = height - 1; y >= 0; y--)
    {
      float *row = img->data + (size_t) y * n;

      if (fread (row, sizeof (float), n, fp) != n)
        {
          skc_image_free (img);
          return ferror (fp) ? SKC_ERR_IO : SKC_ERR_FORMAT;
        }
      if (swap)
        for (i = 0; i < n; i++)
          skc_swap4 ((unsigned char *) (row + i));
    }
  *out = img;
  return SKC_OK;
}

static SkcStatus
pfm_save (const SkcImage *image, FILE *fp)
{
  float *row;
  size_t n, i;
  int    y, swap = !skc_host_is_little_endian ();

  if (fprintf (fp, "%s\n%d %d\n-1.0\n", image->channels == 3 ? "PF" : "Pf",
               image->width, image->height) < 0)
    return SKC_ERR_IO;

  n = (size_t) image->width * (size_t) image->channels;
  row = malloc (n * sizeof *row);
  if (!row)
    return SKC_ERR_NOMEM;
  for (y = image->height - 1; y >= 0; y--)
    {
      memcpy (row, image->data + (size_t) y * n, n * sizeof *row);
      if (swap)
        for (i = 0; i < n; i++)
          skc_swap4 ((unsigned char *) (row + i));
      if (fwrite (row, sizeof *row, n, fp) != n)
        {
          free (row);
          return SKC_ERR_IO;
        }
    }
  free (row);
  return SKC_OK;
}

/* ---------------------------------------------------------------- files */

static SkcStatus
image_read (const char *path, int max_side, int *w, int *h, SkcImage **out)
{
  unsigned char sig[8];
  SkcStatus     s;
  FILE         *fp;
  size_t        got;

  if (!path)
    return SKC_ERR_INVALID;
  fp = skc_file_fopen_read (path, &s);
  if (!fp)
    return s;

  got = fread (sig, 1, sizeof sig, fp);
  if (got < sizeof sig && ferror (fp))
    s = SKC_ERR_IO;
  else if (got == sizeof sig && png_sig_cmp (sig, 0, sizeof sig) == 0)
    {
      PngIo io = { fp, NULL, 0, 0, NULL, 0, 0 };

      rewind (fp);
      s = png_load (&io, max_side, w, h, out);
    }
  else if (got >= 3 && sig[0] == 'P' && (sig[1] == 'F' || sig[1] == 'f'))
    {
      /* Back to just after the magic. */
      if (fseek (fp, 2, SEEK_SET) != 0)
        s = SKC_ERR_IO;
      else
        s = pfm_load (fp, sig[1] == 'F' ? 3 : 1, max_side, w, h, out);
    }
  else
    s = SKC_ERR_FORMAT;

  fclose (fp);
  return s;
}

SkcStatus
skc_image_load_max (const char *path, int max_side, SkcImage **out)
{
  int w, h;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (max_side < 1)
    return SKC_ERR_INVALID;
  return image_read (path, max_side, &w, &h, out);
}

SkcStatus
skc_image_load (const char *path, SkcImage **out)
{
  return skc_image_load_max (path, SKC_MAX_IMAGE_SIDE, out);
}

SkcStatus
skc_image_probe (const char *path, int *width, int *height)
{
  int       w = 0, h = 0;
  SkcStatus s = image_read (path, INT32_MAX, &w, &h, NULL);

  /* A size over the budget is reported, with the size. */
  if (width)
    *width = w;
  if (height)
    *height = h;
  return s;
}

/* 1 for .png, 2 for .pfm, 0 otherwise. */
int
skc_image_file_kind (const char *path)
{
  const char *slash = strrchr (path, '/');
  const char *dot = strrchr (path, '.');
  char        ext[4];
  int         i;

  if (!dot || (slash && dot < slash) || strlen (dot + 1) != 3)
    return 0;
  for (i = 0; i < 3; i++)
    ext[i] = (char) tolower ((unsigned char) dot[1 + i]);
  ext[3] = '\0';
  if (strcmp (ext, "png") == 0)
    return 1;
  if (strcmp (ext, "pfm") == 0)
    return 2;
  return 0;
}

SkcStatus
skc_image_save (const SkcImage *image, const char *path)
{
  SkcStatus s;
  SkcSave  *save;
  int       kind;

  if (!image_ok (image) || !path)
    return SKC_ERR_INVALID;
  kind = skc_image_file_kind (path);
  if (kind == 0)
    return SKC_ERR_INVALID;
  if (kind == 2 && image->channels != 1 && image->channels != 3)
    return SKC_ERR_INVALID;

  s = skc_save_begin (path, &save);
  if (s != SKC_OK)
    return s;
  if (kind == 1)
    {
      PngIo io = { skc_save_stream (save), NULL, 0, 0, NULL, 0, 0 };

      s = png_save (image, &io);
    }
  else
    s = pfm_save (image, skc_save_stream (save));
  if (s != SKC_OK)
    {
      skc_save_abort (save);
      return s;
    }
  return skc_save_commit (save);
}

/* ---------------------------------------------------------------- memory */

SkcStatus
skc_image_decode_png (const unsigned char *data, size_t length,
                      SkcImage **out)
{
  return skc_image_decode_png_channels (data, length, 0, out);
}

SkcStatus
skc_image_decode_png_channels (const unsigned char *data, size_t length,
                               int channels, SkcImage **out)
{
  PngIo io = { NULL, data, length, 0, NULL, 0, 0, channels };

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!data || length < 8 || png_sig_cmp (data, 0, 8) != 0)
    return SKC_ERR_FORMAT;
  {
    int w, h;

    return png_load (&io, SKC_MAX_IMAGE_SIDE, &w, &h, out);
  }
}

SkcStatus
skc_image_encode_png (const SkcImage *image, unsigned char **out,
                      size_t *length)
{
  PngIo     io = { NULL, NULL, 0, 0, NULL, 0, 0 };
  SkcStatus s;

  if (!out || !length)
    return SKC_ERR_INVALID;
  *out = NULL;
  *length = 0;
  if (!image_ok (image))
    return SKC_ERR_INVALID;
  s = png_save (image, &io);
  if (s != SKC_OK)
    {
      free (io.out);
      return s;
    }
  *out = io.out;
  *length = io.out_len;
  return SKC_OK;
}
