/* Image files row by row, so that an image of any height is filtered in
 * bounded memory (skc apply holds a strip and its halo, not the image).
 *
 * A reader gives rows top to bottom as the interleaved floats
 * skc_image_load would hold, with the same checks first: the declared
 * size against the side and pixel budget from the header, before any row
 * is decoded.  A writer takes rows top to bottom and writes, through the
 * atomic save of skc-file.c, exactly the bytes skc_image_save writes for
 * the whole image (the same libpng settings and sample conversion).
 *
 * PFM stores rows bottom to top: both sides seek to the row's place.  An
 * interlaced PNG sends its rows in seven passes over the whole image, so
 * it is decoded whole, as code values (1 to 8 bytes a pixel, not the 4 to
 * 16 of floats); every other PNG is read one row at a time.
 */
#include "skc.h"
#include "skc-private.h"
#include "skc-image-private.h"

#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

struct SkcImageReader
{
  FILE          *fp;
  int            width, height, channels;
  int            next;          /* the next row to give                */
  /* PNG */
  png_structp    png;
  png_infop      info;
  int            bytes;         /* 1 or 2 per sample                   */
  size_t         rowbytes;
  unsigned char *row;
  unsigned char *whole;         /* an interlaced PNG, decoded          */
  /* PFM */
  int            pfm, swap;
  long           data;          /* where the samples start             */
};

struct SkcImageWriter
{
  SkcSave       *save;
  FILE          *fp;
  int            width, height, channels, next;
  png_structp    png;
  png_infop      info;
  unsigned char *row;
  int            pfm;
  long           data;
};

void
skc_image_reader_close (SkcImageReader *r)
{
  if (!r)
    return;
  if (r->png)
    png_destroy_read_struct (&r->png, &r->info, NULL);
  free (r->row);
  free (r->whole);
  if (r->fp)
    fclose (r->fp);
  free (r);
}

/* The PNG's header and, for an interlaced one, all its rows.  On any
 * libpng error: SKC_ERR_FORMAT unless r->next says otherwise. */
static SkcStatus
png_open (SkcImageReader *r)
{
  volatile SkcStatus  status = SKC_ERR_FORMAT;
  png_bytep *volatile rows = NULL;
  png_uint_32         width, height;
  int                 bit_depth, color_type, interlace;

  r->png = png_create_read_struct (PNG_LIBPNG_VER_STRING, NULL,
                                   skc_png_silent_error,
                                   skc_png_silent_warning);
  if (!r->png)
    return SKC_ERR_NOMEM;
  r->info = png_create_info_struct (r->png);
  if (!r->info)
    return SKC_ERR_NOMEM;
  if (setjmp (png_jmpbuf (r->png)))
    {
      free (rows);
      return status;
    }
  png_set_user_limits (r->png, SKC_MAX_IMAGE_SIDE, SKC_MAX_IMAGE_SIDE);
  png_init_io (r->png, r->fp);
  png_read_info (r->png, r->info);
  png_get_IHDR (r->png, r->info, &width, &height, &bit_depth, &color_type,
                &interlace, NULL, NULL);
  status = skc_image_size_ok ((long) width, (long) height,
                              SKC_MAX_IMAGE_SIDE);
  if (status != SKC_OK)
    png_error (r->png, "too large");
  status = SKC_ERR_FORMAT;
  {
    struct stat st;

    if (fstat (fileno (r->fp), &st) != 0 || st.st_size < 0
        || skc_png_data_ok (r->png, r->info,
                            (unsigned long long) st.st_size) != SKC_OK)
      png_error (r->png, "declares more than it holds");
  }

  /* as skc_image_load: 8 or 16 bits, palette to RGB, tRNS to alpha */
  png_set_expand (r->png);
  png_set_interlace_handling (r->png);
  png_read_update_info (r->png, r->info);
  r->width = (int) width;
  r->height = (int) height;
  r->channels = png_get_channels (r->png, r->info);
  bit_depth = png_get_bit_depth (r->png, r->info);
  if ((bit_depth != 8 && bit_depth != 16) || r->channels < 1
      || r->channels > 4)
    png_error (r->png, "unsupported layout");
  r->bytes = bit_depth / 8;
  r->rowbytes = png_get_rowbytes (r->png, r->info);
  if (r->rowbytes != (size_t) width * r->channels * r->bytes
      || (size_t) height > SIZE_MAX / r->rowbytes)
    png_error (r->png, "unexpected row size");
  r->row = malloc (r->rowbytes);
  if (!r->row)
    {
      status = SKC_ERR_NOMEM;
      png_error (r->png, "allocation");
    }
  if (interlace != PNG_INTERLACE_NONE)
    {
      r->whole = malloc (r->rowbytes * height);
      rows = malloc (height * sizeof *rows);
      if (!r->whole || !rows)
        {
          status = SKC_ERR_NOMEM;
          png_error (r->png, "allocation");
        }
      for (png_uint_32 y = 0; y < height; y++)
        rows[y] = r->whole + (size_t) y * r->rowbytes;
      png_read_image (r->png, rows);
      free (rows);
      rows = NULL;
    }
  return SKC_OK;
}

SkcStatus
skc_image_reader_open (const char *path, SkcImageReader **out)
{
  SkcImageReader *r;
  unsigned char   sig[8];
  SkcStatus       s;
  size_t          got;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!path)
    return SKC_ERR_INVALID;
  r = calloc (1, sizeof *r);
  if (!r)
    return SKC_ERR_NOMEM;
  r->fp = skc_file_fopen_read (path, &s);
  if (!r->fp)
    {
      free (r);
      return s;
    }
  got = fread (sig, 1, sizeof sig, r->fp);
  if (got < sizeof sig && ferror (r->fp))
    s = SKC_ERR_IO;
  else if (got == sizeof sig && png_sig_cmp (sig, 0, sizeof sig) == 0)
    {
      rewind (r->fp);
      s = png_open (r);
    }
  else if (got >= 3 && sig[0] == 'P' && (sig[1] == 'F' || sig[1] == 'f'))
    {
      r->pfm = 1;
      r->channels = sig[1] == 'F' ? 3 : 1;
      if (fseek (r->fp, 2, SEEK_SET) != 0)
        s = SKC_ERR_IO;
      else
        s = skc_pfm_header (r->fp, r->channels, SKC_MAX_IMAGE_SIDE,
                            &r->width, &r->height, &r->swap, 1);
      if (s == SKC_OK && (r->data = ftell (r->fp)) < 0)
        s = SKC_ERR_IO;
    }
  else
    s = SKC_ERR_FORMAT;
  if (s != SKC_OK)
    {
      skc_image_reader_close (r);
      return s;
    }
  *out = r;
  return SKC_OK;
}

void
skc_image_reader_size (const SkcImageReader *r, int *width, int *height,
                       int *channels)
{
  if (width)
    *width = r ? r->width : 0;
  if (height)
    *height = r ? r->height : 0;
  if (channels)
    *channels = r ? r->channels : 0;
}

static SkcStatus
png_rows (SkcImageReader *r, int rows, float *dst)
{
  size_t n = (size_t) r->width * r->channels;

  if (setjmp (png_jmpbuf (r->png)))
    return SKC_ERR_FORMAT;
  for (int k = 0; k < rows; k++)
    {
      const unsigned char *src;
      float               *d = dst + (size_t) k * n;

      if (r->whole)
        src = r->whole + (size_t) (r->next + k) * r->rowbytes;
      else
        {
          png_read_row (r->png, r->row, NULL);
          src = r->row;
        }
      if (r->bytes == 1)
        for (size_t x = 0; x < n; x++)
          d[x] = src[x] / 255.0f;
      else
        for (size_t x = 0; x < n; x++)
          d[x] = ((src[2 * x] << 8) | src[2 * x + 1]) / 65535.0f;
    }
  return SKC_OK;
}

static SkcStatus
pfm_rows (SkcImageReader *r, int rows, float *dst)
{
  size_t n = (size_t) r->width * r->channels;

  for (int k = 0; k < rows; k++)
    {
      float *d = dst + (size_t) k * n;
      off_t  at = (off_t) r->data
                  + (off_t) (r->height - 1 - (r->next + k)) * (off_t) n * 4;

      if (fseeko (r->fp, at, SEEK_SET) != 0)
        return SKC_ERR_IO;
      if (fread (d, sizeof (float), n, r->fp) != n)
        return ferror (r->fp) ? SKC_ERR_IO : SKC_ERR_FORMAT;
      if (r->swap)
        for (size_t i = 0; i < n; i++)
          skc_swap4 ((unsigned char *) (d + i));
    }
  return SKC_OK;
}

SkcStatus
skc_image_reader_rows (SkcImageReader *r, int rows, float *dst)
{
  SkcStatus s;

  if (!r || !dst || rows < 0 || rows > r->height - r->next)
    return SKC_ERR_INVALID;
  s = r->pfm ? pfm_rows (r, rows, dst) : png_rows (r, rows, dst);
  if (s == SKC_OK)
    r->next += rows;
  return s;
}

/* ---------------------------------------------------------------- writer */

void
skc_image_writer_abort (SkcImageWriter *w)
{
  if (!w)
    return;
  if (w->png)
    png_destroy_write_struct (&w->png, &w->info);
  free (w->row);
  if (w->save)
    skc_save_abort (w->save);
  free (w);
}

static SkcStatus
png_begin (SkcImageWriter *w)
{
  static const int types[4] = { PNG_COLOR_TYPE_GRAY,
                                PNG_COLOR_TYPE_GRAY_ALPHA,
                                PNG_COLOR_TYPE_RGB,
                                PNG_COLOR_TYPE_RGB_ALPHA };

  w->png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL,
                                    skc_png_silent_error,
                                    skc_png_silent_warning);
  if (!w->png)
    return SKC_ERR_NOMEM;
  w->info = png_create_info_struct (w->png);
  w->row = malloc ((size_t) w->width * w->channels * 2);
  if (!w->info || !w->row)
    return SKC_ERR_NOMEM;
  if (setjmp (png_jmpbuf (w->png)))
    return SKC_ERR_IO;
  png_init_io (w->png, w->fp);
  png_set_IHDR (w->png, w->info, (png_uint_32) w->width,
                (png_uint_32) w->height, 16, types[w->channels - 1],
                PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                PNG_FILTER_TYPE_DEFAULT);
  png_write_info (w->png, w->info);
  return SKC_OK;
}

SkcStatus
skc_image_writer_open (const char *path, int width, int height,
                       int channels, SkcImageWriter **out)
{
  SkcImageWriter *w;
  SkcStatus       s;
  int             kind;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!path || width < 1 || height < 1 || width > SKC_MAX_IMAGE_SIDE
      || height > SKC_MAX_IMAGE_SIDE || channels < 1 || channels > 4)
    return SKC_ERR_INVALID;
  kind = skc_image_file_kind (path);
  if (kind == 0 || (kind == 2 && channels != 1 && channels != 3))
    return SKC_ERR_INVALID;
  w = calloc (1, sizeof *w);
  if (!w)
    return SKC_ERR_NOMEM;
  w->width = width;
  w->height = height;
  w->channels = channels;
  w->pfm = kind == 2;
  s = skc_save_begin (path, &w->save);
  if (s != SKC_OK)
    {
      free (w);
      return s;
    }
  w->fp = skc_save_stream (w->save);
  if (!w->pfm)
    s = png_begin (w);
  else if (fprintf (w->fp, "%s\n%d %d\n-1.0\n", channels == 3 ? "PF" : "Pf",
                    width, height) < 0
           || (w->data = ftell (w->fp)) < 0)
    s = SKC_ERR_IO;
  else if (!(w->row = malloc ((size_t) width * channels * sizeof (float))))
    s = SKC_ERR_NOMEM;
  if (s != SKC_OK)
    {
      skc_image_writer_abort (w);
      return s;
    }
  *out = w;
  return SKC_OK;
}

static SkcStatus
png_put (SkcImageWriter *w, int rows, const float *src)
{
  size_t n = (size_t) w->width * w->channels;

  if (setjmp (png_jmpbuf (w->png)))
    return SKC_ERR_IO;
  for (int k = 0; k < rows; k++)
    {
      skc_png_row16 (src + (size_t) k * n, n, w->row);
      png_write_row (w->png, w->row);
    }
  return SKC_OK;
}

static SkcStatus
pfm_put (SkcImageWriter *w, int rows, const float *src)
{
  size_t n = (size_t) w->width * w->channels;
  int    swap = !skc_host_is_little_endian ();
  float *row = (float *) w->row;

  for (int k = 0; k < rows; k++)
    {
      off_t at = (off_t) w->data
                 + (off_t) (w->height - 1 - (w->next + k)) * (off_t) n * 4;

      memcpy (row, src + (size_t) k * n, n * sizeof *row);
      if (swap)
        for (size_t i = 0; i < n; i++)
          skc_swap4 ((unsigned char *) (row + i));
      if (fseeko (w->fp, at, SEEK_SET) != 0
          || fwrite (row, sizeof *row, n, w->fp) != n)
        return SKC_ERR_IO;
    }
  return SKC_OK;
}

SkcStatus
skc_image_writer_rows (SkcImageWriter *w, int rows, const float *src)
{
  SkcStatus s;

  if (!w || !src || rows < 0 || rows > w->height - w->next)
    return SKC_ERR_INVALID;
  s = w->pfm ? pfm_put (w, rows, src) : png_put (w, rows, src);
  if (s == SKC_OK)
    w->next += rows;
  return s;
}

static SkcStatus
png_end (SkcImageWriter *w)
{
  if (setjmp (png_jmpbuf (w->png)))
    return SKC_ERR_IO;
  png_write_end (w->png, NULL);
  return SKC_OK;
}

SkcStatus
skc_image_writer_commit (SkcImageWriter *w)
{
  SkcStatus s;
  SkcSave  *save;

  if (!w)
    return SKC_ERR_INVALID;
  if (w->next != w->height)
    s = SKC_ERR_INVALID;
  else
    s = w->pfm ? SKC_OK : png_end (w);
  if (s != SKC_OK)
    {
      skc_image_writer_abort (w);
      return s;
    }
  save = w->save;
  w->save = NULL;
  skc_image_writer_abort (w);   /* frees the rest */
  return skc_save_commit (save);
}
