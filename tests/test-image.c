/* Unit tests of float images and their files.
 *
 * PNGs of every layout the loader expands (1/2/4/8/16-bit gray, gray+alpha,
 * RGB, RGBA, palette with and without tRNS, Adam7 interlace) are written
 * here with libpng itself and must load as code value / maximum exactly.
 * 16-bit PNG and PFM round trips go through files in a private mkdtemp
 * directory under /tmp; PFM must round-trip bit for bit and store its rows
 * bottom to top.  Damaged files (every truncation of a PNG, flipped and
 * random bytes, bad PFM headers) must give SKC_ERR_FORMAT, never a crash.
 */
#include "test-common.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmp_dir[64];

static const char *
tmp_path (const char *name)
{
  static char buf[256];

  snprintf (buf, sizeof buf, "%s/%s", tmp_dir, name);
  return buf;
}

static int
write_bytes (const char *path, const void *data, size_t n)
{
  FILE *fp = fopen (path, "wb");
  int   ok;

  if (!fp)
    return 0;
  ok = fwrite (data, 1, n, fp) == n;
  return fclose (fp) == 0 && ok;
}

static unsigned char *
read_bytes (const char *path, size_t *n)
{
  FILE          *fp = fopen (path, "rb");
  unsigned char *buf;
  long           len;

  if (!fp)
    return NULL;
  fseek (fp, 0, SEEK_END);
  len = ftell (fp);
  rewind (fp);
  buf = malloc (len > 0 ? (size_t) len : 1);
  *n = fread (buf, 1, (size_t) len, fp);
  fclose (fp);
  return buf;
}

static SkcStatus
load_bytes (const void *data, size_t n, SkcImage **out)
{
  if (!write_bytes (tmp_path ("bytes.bin"), data, n))
    return SKC_ERR_IO;
  return skc_image_load (tmp_path ("bytes.bin"), out);
}

/* ------------------------------------------------------- PNG by libpng */

typedef struct
{
  int                  bit_depth, color_type, interlace;
  const png_color     *palette;
  int                  n_palette;
  const unsigned char *trans;
  int                  n_trans;
  int                  trans_gray;  /* -1: none */
} PngLayout;

/* Write @h rows of @rowbytes packed bytes with libpng. */
static int
write_png (const char *path, int w, int h, const PngLayout *l,
           const unsigned char *data, size_t rowbytes)
{
  png_structp        png;
  png_infop          info;
  png_bytep *volatile rows = NULL;
  FILE *volatile     fp = fopen (path, "wb");
  int                y;

  if (!fp)
    return 0;
  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  info = png_create_info_struct (png);
  if (setjmp (png_jmpbuf (png)))
    {
      png_destroy_write_struct (&png, &info);
      free (rows);
      fclose (fp);
      return 0;
    }
  png_init_io (png, fp);
  png_set_IHDR (png, info, w, h, l->bit_depth, l->color_type,
                l->interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (l->palette)
    png_set_PLTE (png, info, l->palette, l->n_palette);
  if (l->trans)
    png_set_tRNS (png, info, l->trans, l->n_trans, NULL);
  if (l->trans_gray >= 0)
    {
      png_color_16 tc;

      memset (&tc, 0, sizeof tc);
      tc.gray = (png_uint_16) l->trans_gray;
      png_set_tRNS (png, info, NULL, 0, &tc);
    }
  png_write_info (png, info);
  rows = malloc (h * sizeof *rows);
  for (y = 0; y < h; y++)
    rows[y] = (png_bytep) data + y * rowbytes;
  png_write_image (png, rows);
  png_write_end (png, NULL);
  png_destroy_write_struct (&png, &info);
  free (rows);
  return fclose (fp) == 0;
}

/* The row reader gives what skc_image_load gives, bit for bit (rows
 * asked 2 at a time, the last alone). */
static void
expect_rows_as_loaded (const char *what, const char *path)
{
  SkcImage       *img = NULL;
  SkcImageReader *r = NULL;
  float          *rows = NULL;
  int             w = 0, h = 0, c = 0, bad = 0;

  CHECK_OK (skc_image_load (path, &img));
  CHECK_OK (skc_image_reader_open (path, &r));
  if (!img || !r)
    goto out;
  skc_image_reader_size (r, &w, &h, &c);
  CHECK (w == img->width && h == img->height && c == img->channels,
         "%s: reader %dx%dx%d", what, w, h, c);
  if (w != img->width || h != img->height || c != img->channels)
    goto out;
  rows = malloc ((size_t) 2 * w * c * sizeof *rows);
  for (int y = 0; rows && y < h; y += 2)
    {
      int n = h - y < 2 ? h - y : 2;

      CHECK_OK (skc_image_reader_rows (r, n, rows));
      bad += memcmp (rows, img->data + (size_t) y * w * c,
                     (size_t) n * w * c * sizeof *rows) != 0;
    }
  CHECK (bad == 0, "%s: %d row pairs differ from skc_image_load", what, bad);
  CHECK (skc_image_reader_rows (r, 1, rows) == SKC_ERR_INVALID,
         "%s: a row past the end was given", what);
out:
  free (rows);
  skc_image_reader_close (r);
  skc_image_free (img);
}

/* The row writer (rows 3 at a time) writes the bytes skc_image_save
 * writes. */
static void
expect_writer_as_saved (const SkcImage *img, const char *name)
{
  char            whole[128], rows[128];
  SkcImageWriter *w = NULL;
  unsigned char  *a, *b;
  size_t          na = 0, nb = 0, rowf;

  /* (not tmp_path: the caller may hold its buffer) */
  snprintf (whole, sizeof whole, "%s/%s", tmp_dir, name);
  snprintf (rows, sizeof rows, "%s/rows.%s", tmp_dir,
            strrchr (name, '.') + 1);
  CHECK_OK (skc_image_save (img, whole));
  CHECK_OK (skc_image_writer_open (rows, img->width, img->height,
                                   img->channels, &w));
  rowf = (size_t) img->width * img->channels;
  for (int y = 0; w && y < img->height; y += 3)
    {
      int n = img->height - y < 3 ? img->height - y : 3;

      CHECK_OK (skc_image_writer_rows (w, n, img->data + (size_t) y * rowf));
    }
  if (w)
    CHECK_OK (skc_image_writer_commit (w));
  a = read_bytes (whole, &na);
  b = read_bytes (rows, &nb);
  CHECK (a && b && na == nb && memcmp (a, b, na) == 0,
         "%s: the row writer's file (%zu bytes) differs from "
         "skc_image_save's (%zu bytes)", name, nb, na);
  free (a);
  free (b);
  remove (whole);
  remove (rows);
}

/* Load @path and compare with @want (values already divided by the
 * maximum), exactly up to float rounding. */
static void
expect_image (const char *what, int w, int h, int channels, const float *want)
{
  SkcImage *img = NULL;
  SkcStatus s = skc_image_load (tmp_path ("layout.png"), &img);
  int       i, bad = 0;

  CHECK (s == SKC_OK && img, "%s: load %s", what, skc_status_string (s));
  if (!img)
    return;
  CHECK (img->width == w && img->height == h && img->channels == channels,
         "%s: %dx%dx%d, want %dx%dx%d", what, img->width, img->height,
         img->channels, w, h, channels);
  if (img->width == w && img->height == h && img->channels == channels)
    {
      for (i = 0; i < w * h * channels; i++)
        bad += fabsf (img->data[i] - want[i]) > 1e-7f;
      CHECK (bad == 0, "%s: %d wrong values", what, bad);
    }
  skc_image_free (img);
  expect_rows_as_loaded (what, tmp_path ("layout.png"));
}

static void
test_png_layouts (void)
{
  enum { W = 7, H = 5 };
  unsigned char data[W * H * 8];
  float         want[W * H * 4];
  int           x, y, c;
  const char   *path = tmp_path ("layout.png");

  /* 8-bit gray, gray+alpha, RGB, RGBA; interlaced RGBA too */
  {
    static const int types[4] = { PNG_COLOR_TYPE_GRAY,
                                   PNG_COLOR_TYPE_GRAY_ALPHA,
                                   PNG_COLOR_TYPE_RGB,
                                   PNG_COLOR_TYPE_RGB_ALPHA };
    int              t, il;

    for (il = 0; il < 2; il++)
      for (t = 0; t < 4; t++)
        {
          PngLayout l = { 8, types[t], il, NULL, 0, NULL, 0, -1 };
          int       ch = t + 1;

          for (y = 0; y < H; y++)
            for (x = 0; x < W; x++)
              for (c = 0; c < ch; c++)
                {
                  int i = (y * W + x) * ch + c;
                  int v = (37 * x + 11 * y + 101 * c) % 256;

                  data[i] = (unsigned char) v;
                  want[i] = v / 255.0f;
                }
          CHECK (write_png (path, W, H, &l, data, W * ch), "write png");
          expect_image (il ? "8-bit interlaced" : "8-bit", W, H, ch, want);
        }
  }

  /* 16-bit RGB: big-endian samples, divided by 65535 */
  {
    PngLayout l = { 16, PNG_COLOR_TYPE_RGB, 0, NULL, 0, NULL, 0, -1 };

    for (x = 0; x < W * H * 3; x++)
      {
        unsigned v = (unsigned) (x * 2011 + 7) % 65536;

        data[2 * x] = (unsigned char) (v >> 8);
        data[2 * x + 1] = (unsigned char) v;
        want[x] = v / 65535.0f;
      }
    CHECK (write_png (path, W, H, &l, data, W * 6), "write png");
    expect_image ("16-bit RGB", W, H, 3, want);
  }

  /* 1-, 2- and 4-bit gray: expanded and scaled to 8 bits */
  {
    static const int depths[3] = { 1, 2, 4 };
    int              d;

    for (d = 0; d < 3; d++)
      {
        PngLayout l = { depths[d], PNG_COLOR_TYPE_GRAY, 0, NULL, 0, NULL, 0,
                        -1 };
        int       bits = depths[d], max = (1 << bits) - 1;
        size_t    rowbytes = (W * bits + 7) / 8;

        memset (data, 0, sizeof data);
        for (y = 0; y < H; y++)
          for (x = 0; x < W; x++)
            {
              int v = (x + 3 * y) % (max + 1);
              int bit = x * bits;

              data[y * rowbytes + bit / 8]
                |= (unsigned char) (v << (8 - bits - bit % 8));
              want[y * W + x] = (float) v / max;
            }
        CHECK (write_png (path, W, H, &l, data, rowbytes), "write png");
        expect_image ("low-bit gray", W, H, 1, want);
      }
  }

  /* palettes: 4-bit indices to RGB; with tRNS to RGBA */
  {
    static const png_color pal[3] = { { 255, 0, 10 }, { 0, 128, 20 },
                                      { 1, 2, 255 } };
    static const unsigned char trans[2] = { 0, 77 };
    int                        with_trns;

    for (with_trns = 0; with_trns < 2; with_trns++)
      {
        PngLayout l = { 4, PNG_COLOR_TYPE_PALETTE, 0, pal, 3,
                        with_trns ? trans : NULL, with_trns ? 2 : 0, -1 };
        size_t    rowbytes = (W * 4 + 7) / 8;
        int       ch = with_trns ? 4 : 3;

        memset (data, 0, sizeof data);
        for (y = 0; y < H; y++)
          for (x = 0; x < W; x++)
            {
              int             idx = (x + y) % 3;
              const png_color p = pal[idx];
              float          *o = want + (y * W + x) * ch;

              data[y * rowbytes + x / 2]
                |= (unsigned char) (idx << (x % 2 ? 0 : 4));
              o[0] = p.red / 255.0f;
              o[1] = p.green / 255.0f;
              o[2] = p.blue / 255.0f;
              if (with_trns)
                o[3] = (idx < 2 ? trans[idx] : 255) / 255.0f;
            }
        CHECK (write_png (path, W, H, &l, data, rowbytes), "write png");
        expect_image (with_trns ? "palette + tRNS" : "palette", W, H, ch,
                      want);
      }
  }

  /* 8-bit gray with a transparent gray value: gray+alpha */
  {
    PngLayout l = { 8, PNG_COLOR_TYPE_GRAY, 0, NULL, 0, NULL, 0, 9 };

    for (x = 0; x < W * H; x++)
      {
        data[x] = (unsigned char) (x % 4 == 0 ? 9 : x);
        want[2 * x] = data[x] / 255.0f;
        want[2 * x + 1] = data[x] == 9 ? 0.0f : 1.0f;
      }
    CHECK (write_png (path, W, H, &l, data, W), "write png");
    expect_image ("gray + tRNS", W, H, 2, want);
  }
  remove (path);
}

/* --------------------------------------------------------- round trips */

static void
fill_random (SkcImage *img, uint64_t *seed)
{
  size_t n = (size_t) img->width * img->height * img->channels, i;

  for (i = 0; i < n; i++)
    img->data[i] = (float) test_rand (seed);
}

static void
test_png_round_trip (void)
{
  uint64_t seed = 42;
  int      ch;

  for (ch = 1; ch <= 4; ch++)
    {
      SkcImage *img = NULL, *back = NULL;
      size_t    n, i;
      double    err = 0.0;

      CHECK_OK (skc_image_new (37, 23, ch, &img));
      if (!img)
        continue;
      fill_random (img, &seed);
      /* exact ends, and out-of-range values that must clamp */
      img->data[0] = 0.0f;
      img->data[1] = 1.0f;
      img->data[2] = 0.5f;
      img->data[3] = -0.25f;
      img->data[4] = 1.75f;
      img->data[5] = NAN;
      CHECK_OK (skc_image_save (img, tmp_path (ch == 2 ? "rt.PNG" : "rt.png")));
      expect_rows_as_loaded ("16-bit PNG", tmp_path (ch == 2 ? "rt.PNG"
                                                              : "rt.png"));
      expect_writer_as_saved (img, "wr.png");
      CHECK_OK (skc_image_load (tmp_path (ch == 2 ? "rt.PNG" : "rt.png"),
                                &back));
      if (back)
        {
          CHECK (back->width == 37 && back->height == 23
                 && back->channels == ch, "PNG round trip layout");
          n = (size_t) 37 * 23 * ch;
          for (i = 6; i < n; i++)
            if (fabs (back->data[i] - img->data[i]) > err)
              err = fabs (back->data[i] - img->data[i]);
          /* rounding to 16 bits: at most half a code */
          CHECK (err <= 0.5 / 65535 + 1e-7, "16-bit round trip error %g",
                 err * 65535);
          CHECK (back->data[0] == 0.0f && back->data[1] == 1.0f,
                 "0 and 1 not exact");
          CHECK_NEAR (back->data[2], 32768.0 / 65535, 1e-9, "0.5");
          CHECK (back->data[3] == 0.0f && back->data[4] == 1.0f
                 && back->data[5] == 0.0f, "clamping: %g %g %g",
                 back->data[3], back->data[4], back->data[5]);
        }
      skc_image_free (back);
      skc_image_free (img);
      remove (tmp_path (ch == 2 ? "rt.PNG" : "rt.png"));
    }

  /* a kernel survives image -> 16-bit PNG -> kernel to 1/65535 of its peak */
  {
    SkcShapeParams p;
    SkcKernel     *k = NULL, *k2 = NULL;
    SkcImage      *img = NULL;
    double         err = 0.0;
    int            i;

    skc_shape_params_from_name ("heart", &p);
    CHECK_OK (skc_shape_render (&p, &k));
    CHECK_OK (skc_kernel_to_image (k, &img));
    CHECK_OK (skc_image_save (img, tmp_path ("kernel.png")));
    skc_image_free (img);
    img = NULL;
    CHECK_OK (skc_image_load (tmp_path ("kernel.png"), &img));
    CHECK_OK (skc_kernel_from_image (img, &k2));
    if (k && k2)
      {
        for (i = 0; i < k->width * k->height; i++)
          if (fabs (k2->data[i] - k->data[i]) > err)
            err = fabs (k2->data[i] - k->data[i]);
        CHECK (err <= 1.0 / 65535 * skc_kernel_peak (k), "kernel via PNG %g",
               err / skc_kernel_peak (k) * 65535);
      }
    skc_kernel_free (k);
    skc_kernel_free (k2);
    skc_image_free (img);
    remove (tmp_path ("kernel.png"));
  }
}

static void
test_pfm (void)
{
  static const float specials[] = { -1.5f, 1e30f, 1e-40f, -0.0f, 3.25f,
                                    INFINITY, 65536.5f };
  uint64_t           seed = 7;
  int                ch;

  for (ch = 1; ch <= 3; ch += 2)
    {
      SkcImage      *img = NULL, *back = NULL;
      unsigned char *raw;
      size_t         n, len;
      const char    *path = tmp_path (ch == 1 ? "g.pfm" : "c.PFM");

      CHECK_OK (skc_image_new (5, 3, ch, &img));
      if (!img)
        continue;
      fill_random (img, &seed);
      memcpy (img->data, specials, sizeof specials);
      img->data[7] = NAN;
      n = (size_t) 5 * 3 * ch;
      CHECK_OK (skc_image_save (img, path));
      expect_rows_as_loaded (ch == 1 ? "gray PFM" : "RGB PFM", path);
      expect_writer_as_saved (img, ch == 1 ? "wg.pfm" : "wc.pfm");
      CHECK_OK (skc_image_load (path, &back));
      if (back)
        CHECK (back->width == 5 && back->height == 3 && back->channels == ch
               && memcmp (back->data, img->data, n * sizeof (float)) == 0,
               "PFM round trip not bit-exact (%d channels)", ch);
      skc_image_free (back);

      /* the file: header, then little-endian rows from the bottom up */
      raw = read_bytes (path, &len);
      if (raw)
        {
          const char *hdr = ch == 1 ? "Pf\n5 3\n-1.0\n" : "PF\n5 3\n-1.0\n";
          size_t      hl = strlen (hdr);

          CHECK (len == hl + n * 4 && memcmp (raw, hdr, hl) == 0,
                 "PFM header or length (%zu bytes)", len);
          if (len == hl + n * 4)
            {
              /* first stored value: the bottom row's first sample */
              float    v = img->data[2 * 5 * ch];
              uint32_t bits;

              memcpy (&bits, &v, 4);
              CHECK (raw[hl] == (bits & 0xff)
                     && raw[hl + 3] == (bits >> 24), "PFM not bottom-up LE");
            }
          free (raw);
        }
      skc_image_free (img);
      remove (path);
    }

  /* big-endian (positive scale), written by hand: rows bottom to top */
  {
    static const unsigned char be[] = {
      'P', 'F', '\n', '1', ' ', '2', '\n', '1', '.', '0', '\n',
      0x3f, 0x80, 0, 0,  0x40, 0, 0, 0,  0x40, 0x40, 0, 0,   /* 1 2 3 */
      0x40, 0x80, 0, 0,  0x40, 0xa0, 0, 0,  0x40, 0xc0, 0, 0 /* 4 5 6 */
    };
    SkcImage *img = NULL;

    CHECK_OK (load_bytes (be, sizeof be, &img));
    if (img)
      CHECK (img->width == 1 && img->height == 2 && img->channels == 3
             && img->data[0] == 4 && img->data[2] == 6 && img->data[3] == 1
             && img->data[5] == 3, "big-endian PFM");
    skc_image_free (img);
  }

  /* the scale's magnitude is not applied ("values as stored") */
  {
    static const unsigned char le[] = { 'P', 'f', '\n', '1', ' ', '1', '\n',
                                        '-', '4', '\n', 0, 0, 0, 0x3f };
    SkcImage *img = NULL;

    CHECK_OK (load_bytes (le, sizeof le, &img));
    CHECK (img && img->channels == 1 && img->data[0] == 0.5f, "PFM scale");
    skc_image_free (img);
  }

  /* PFM holds 1 or 3 channels: no silent loss of alpha */
  {
    SkcImage *img = NULL;

    for (ch = 2; ch <= 4; ch += 2)
      {
        CHECK_OK (skc_image_new (2, 2, ch, &img));
        CHECK (skc_image_save (img, tmp_path ("a.pfm")) == SKC_ERR_INVALID,
               "PFM with %d channels", ch);
        CHECK (access (tmp_path ("a.pfm"), F_OK) != 0, "file left behind");
        skc_image_free (img);
      }
  }
}

/* ---------------------------------------------------------------- errors */

static void
expect_format (const void *data, size_t n, const char *what)
{
  SkcImage *img = (SkcImage *) &n;  /* must come back NULL */
  SkcStatus s = load_bytes (data, n, &img);

  CHECK (s == SKC_ERR_FORMAT && img == NULL, "%s: %s", what,
         skc_status_string (s));
  if (s == SKC_OK)
    skc_image_free (img);
}

static void
test_damaged_files (void)
{
  SkcImage      *img = NULL;
  unsigned char *png, *buf;
  size_t         len = 0, cut;
  uint64_t       seed = 99;
  int            iter, ok = 0, format = 0, other = 0;

  /* a small valid PNG to damage */
  CHECK_OK (skc_image_new (8, 6, 3, &img));
  fill_random (img, &seed);
  CHECK_OK (skc_image_save (img, tmp_path ("good.png")));
  skc_image_free (img);
  png = read_bytes (tmp_path ("good.png"), &len);
  CHECK (png && len > 100, "good.png");
  if (!png)
    return;
  buf = malloc (len);

  /* every truncation */
  for (cut = 0; cut < len; cut++)
    {
      img = NULL;
      if (load_bytes (png, cut, &img) != SKC_ERR_FORMAT || img)
        {
          CHECK (0, "PNG cut at %zu of %zu bytes not SKC_ERR_FORMAT", cut,
                 len);
          skc_image_free (img);
          break;
        }
    }
  CHECK (cut == len, "truncations");

  /* a flipped byte in IHDR and in the image data: CRC errors */
  memcpy (buf, png, len);
  buf[18] ^= 0x40;
  expect_format (buf, len, "IHDR byte flipped");
  memcpy (buf, png, len);
  buf[len / 2] ^= 0x01;
  expect_format (buf, len, "IDAT byte flipped");

  /* random damage: SKC_OK or SKC_ERR_FORMAT, nothing else, no crash */
  for (iter = 0; iter < 300; iter++)
    {
      int       flips = 1 + (int) (test_rand (&seed) * 4), f;
      SkcStatus s;

      memcpy (buf, png, len);
      for (f = 0; f < flips; f++)
        buf[8 + (size_t) (test_rand (&seed) * (len - 8))]
          = (unsigned char) (test_rand (&seed) * 256);
      img = NULL;
      s = load_bytes (buf, len, &img);
      if (s == SKC_OK)
        {
          ok++;
          other += !(img && img->width == 8 && img->height == 6);
          skc_image_free (img);
        }
      else if (s == SKC_ERR_FORMAT && !img)
        format++;
      else
        other++;
    }
  CHECK (other == 0, "random damage: %d unexpected results", other);
  CHECK (format > 250, "random damage: only %d detected", format);
  free (buf);
  free (png);
  remove (tmp_path ("good.png"));

  /* not images at all */
  expect_format ("", 0, "empty file");
  expect_format ("hello, world\n", 13, "text");
  expect_format ("P6\n1 1\n255\n\0\0\0", 14, "PPM");
  expect_format ("\x89PNG\r\n\x1a\n", 8, "PNG signature only");
  expect_format ("PF", 2, "PF only");
  expect_format ("PFX 1 1 -1\n", 11, "PF without whitespace");
  expect_format ("Pf\n0 1\n-1\n\0\0\0\0", 14, "PFM width 0");
  expect_format ("Pf\n-2 1\n-1\n\0\0\0\0", 15, "PFM negative width");
  {
    /* a side over the limit is refused as too large, not as corrupt */
    SkcImage *img = NULL;
    SkcStatus s = load_bytes ("Pf\n70000 1\n-1\n", 14, &img);

    CHECK (s == SKC_ERR_TOO_LARGE && img == NULL, "PFM too wide: %s",
           skc_status_string (s));
  }
  expect_format ("Pf\n1 1\n0\n\0\0\0\0", 13, "PFM scale 0");
  expect_format ("Pf\n1 1\nabc\n\0\0\0\0", 15, "PFM scale text");
  expect_format ("Pf\n2 2\n-1\n\0\0\0\0\0\0\0\0", 18, "PFM truncated");
  expect_format ("Pf\n1 1", 6, "PFM header cut");

  /* missing file: an I/O error; a directory: not a regular file */
  img = (SkcImage *) &len;
  CHECK (skc_image_load (tmp_path ("missing.png"), &img) == SKC_ERR_IO
         && img == NULL, "missing file");
  CHECK (skc_image_load (tmp_dir, &img) == SKC_ERR_NOT_FILE && img == NULL,
         "directory");
  CHECK (skc_image_load (NULL, &img) == SKC_ERR_INVALID, "NULL path");
  CHECK (skc_image_load (tmp_path ("x.png"), NULL) == SKC_ERR_INVALID,
         "NULL out");
  remove (tmp_path ("bytes.bin"));
}

static void
test_save_errors (void)
{
  SkcImage *img = NULL;
  SkcImage  bad;

  CHECK_OK (skc_image_new (3, 2, 3, &img));
  if (!img)
    return;
  CHECK (skc_image_save (img, tmp_path ("x.tif")) == SKC_ERR_INVALID,
         "unknown extension");
  CHECK (skc_image_save (img, tmp_path ("png")) == SKC_ERR_INVALID,
         "no extension");
  CHECK (skc_image_save (img, tmp_path ("d.png/x")) == SKC_ERR_INVALID,
         "extension of a directory");
  CHECK (skc_image_save (img, tmp_path ("x.pngx")) == SKC_ERR_INVALID,
         "longer extension");
  CHECK (skc_image_save (img, "/nonexistent-skc-dir/x.png") == SKC_ERR_IO,
         "missing directory (PNG)");
  CHECK (skc_image_save (img, "/nonexistent-skc-dir/x.pfm") == SKC_ERR_IO,
         "missing directory (PFM)");
  CHECK (skc_image_save (NULL, tmp_path ("x.png")) == SKC_ERR_INVALID,
         "NULL image");
  bad = *img;
  bad.channels = 5;
  CHECK (skc_image_save (&bad, tmp_path ("x.png")) == SKC_ERR_INVALID,
         "5 channels");
  CHECK (skc_image_save (img, NULL) == SKC_ERR_INVALID, "NULL path");
  CHECK_OK (skc_image_save (img, tmp_path ("x.Png")));
  remove (tmp_path ("x.Png"));
  skc_image_free (img);

  img = (SkcImage *) &bad;
  CHECK (skc_image_new (0, 1, 1, &img) == SKC_ERR_INVALID && !img, "width 0");
  CHECK (skc_image_new (1, 1, 5, &img) == SKC_ERR_INVALID, "5 channels");
  CHECK (skc_image_new (1, 1, 0, &img) == SKC_ERR_INVALID, "0 channels");
  CHECK (skc_image_new (SKC_MAX_IMAGE_SIDE + 1, 1, 1, &img)
         == SKC_ERR_INVALID, "too wide");
  CHECK_OK (skc_image_new (SKC_MAX_IMAGE_SIDE, 1, 4, &img));
  if (img)
    CHECK (img->data[4 * SKC_MAX_IMAGE_SIDE - 1] == 0.0f, "zero-filled");
  skc_image_free (img);
  skc_image_free (NULL);
}

/* ---------------------------------------------------------- data, sRGB */

static void
test_photos (void)
{
  static const struct
  {
    const char *name;
    int         w, h;
  } photos[] = { { "coffee.png", 600, 400 }, { "astronaut.png", 512, 512 } };
  size_t i;

  for (i = 0; i < 2; i++)
    {
      SkcImage *img = NULL;
      size_t    n, j;
      double    sum = 0.0;
      int       bad = 0;

      CHECK_OK (skc_image_load (test_data_path (photos[i].name), &img));
      if (!img)
        continue;
      CHECK (img->width == photos[i].w && img->height == photos[i].h
             && img->channels == 3, "%s is %dx%dx%d", photos[i].name,
             img->width, img->height, img->channels);
      n = (size_t) img->width * img->height * img->channels;
      for (j = 0; j < n; j++)
        {
          double code = img->data[j] * 255.0;

          /* 8-bit code values, exactly */
          bad += !(img->data[j] >= 0.0f && img->data[j] <= 1.0f)
                 || fabs (code - floor (code + 0.5)) > 1e-4;
          sum += img->data[j];
        }
      CHECK (bad == 0, "%s: %d values not k / 255", photos[i].name, bad);
      CHECK (sum / n > 0.1 && sum / n < 0.9, "%s mean %g", photos[i].name,
             sum / n);
      skc_image_free (img);
    }
}

static void
test_srgb (void)
{
  int i, bad = 0;

  CHECK_NEAR (skc_srgb_to_linear (0.0f), 0.0, 0.0, "srgb 0");
  CHECK_NEAR (skc_srgb_to_linear (1.0f), 1.0, 1e-7, "srgb 1");
  CHECK_NEAR (skc_srgb_to_linear (0.5f), 0.21404114, 1e-7, "srgb 0.5");
  CHECK_NEAR (skc_srgb_to_linear (0.04f), 0.04 / 12.92, 1e-9, "srgb toe");
  CHECK_NEAR (skc_linear_to_srgb (0.21404114f), 0.5, 1e-6, "linear 0.214");
  CHECK_NEAR (skc_linear_to_srgb (0.001f), 0.01292, 1e-8, "linear toe");
  CHECK_NEAR (skc_linear_to_srgb (1.0f), 1.0, 1e-7, "linear 1");
  /* the two pieces meet: no jump at the thresholds */
  CHECK_NEAR (skc_srgb_to_linear (0.04045f), skc_srgb_to_linear (0.040451f),
              1e-6, "srgb continuity");
  CHECK_NEAR (skc_linear_to_srgb (0.0031308f),
              skc_linear_to_srgb (0.0031309f), 1e-5, "linear continuity");
  for (i = 0; i <= 1000; i++)
    {
      float v = i / 1000.0f;

      bad += fabsf (skc_linear_to_srgb (skc_srgb_to_linear (v)) - v) > 2e-6f;
      bad += i > 0 && !(skc_srgb_to_linear (v)
                        > skc_srgb_to_linear ((i - 1) / 1000.0f));
    }
  CHECK (bad == 0, "sRGB round trip or monotony: %d bad", bad);
}

int
main (void)
{
  snprintf (tmp_dir, sizeof tmp_dir, "/tmp/skc-test-image-XXXXXX");
  if (!mkdtemp (tmp_dir))
    {
      CHECK (0, "mkdtemp failed");
      return test_finish ();
    }
  test_png_layouts ();
  test_png_round_trip ();
  test_pfm ();
  test_damaged_files ();
  test_save_errors ();
  test_photos ();
  test_srgb ();
  if (rmdir (tmp_dir) != 0)
    CHECK (0, "files left in %s", tmp_dir);
  return test_finish ();
}
