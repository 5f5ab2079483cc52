/* Hostile input is refused before anything large is allocated, and the
 * refusal says what is wrong (core/skc-image.c, core/skc-check.c):
 *
 *  - a small PNG or PFM that declares 20000 x 20000 pixels is refused from
 *    its header (SKC_ERR_TOO_LARGE) under an address-space limit of 256 MB
 *    that any decode would exceed (the old loader returned "out of memory"
 *    there, having tried); a PFM that declares more samples than it holds
 *    is refused before the image is allocated;
 *  - skc_kernel_load refuses a kernel image declaring more than 1025 px
 *    (from the header), NaN/Inf and negative values, and an empty kernel,
 *    each with a message that names the file and the reason;
 *  - skc_complex_check refuses zero, negative and huge DC gains, NaN taps
 *    and a tap beyond the largest kernel, and accepts a fitted complex;
 *  - the fit cache refits an entry whose complex fails that check.
 */
#define _GNU_SOURCE
#include "test-common.h"
#include "skc-cache.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static char dir[256];

static const char *
path_in (const char *name)
{
  return test_path_in (dir, name);
}

/* ---------------------------------------------------------------- files */

/* A real 8 x 8 PNG whose IHDR then claims @w x @h (with a valid CRC). */
static void
write_lying_png (const char *path, uint32_t w, uint32_t h)
{
  SkcImage      *img = NULL;
  FILE          *f;
  unsigned char  buf[65536];
  size_t         n;

  skc_image_new (8, 8, 1, &img);
  skc_image_save (img, path);
  skc_image_free (img);
  f = fopen (path, "rb");
  n = fread (buf, 1, sizeof buf, f);
  fclose (f);
  /* signature (8), IHDR length (4), "IHDR" (4), width, height, ... */
  test_put_be32 (buf + 16, w);
  test_put_be32 (buf + 20, h);
  test_put_be32 (buf + 29, test_png_crc (buf + 12, 17));
  f = fopen (path, "wb");
  fwrite (buf, 1, n, f);
  fclose (f);
}

/* A file as skc:bokeh's inline data (a data: URI, base64); free() it. */
static char *
inline_of_file (const char *path)
{
  static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static const char head[] = "data:image/png;skc=1;base64,";
  unsigned char     buf[65536];
  FILE             *f = fopen (path, "rb");
  size_t            n = f ? fread (buf, 1, sizeof buf, f) : 0, o;
  char             *t;

  if (f)
    fclose (f);
  t = malloc (sizeof head + (n + 2) / 3 * 4);
  if (!t || n == 0)
    {
      free (t);
      return NULL;
    }
  memcpy (t, head, sizeof head - 1);
  o = sizeof head - 1;
  for (size_t i = 0; i < n; i += 3)
    {
      unsigned v = buf[i] << 16 | (i + 1 < n ? buf[i + 1] << 8 : 0)
                   | (i + 2 < n ? buf[i + 2] : 0);

      t[o++] = abc[v >> 18 & 63];
      t[o++] = abc[v >> 12 & 63];
      t[o++] = i + 1 < n ? abc[v >> 6 & 63] : '=';
      t[o++] = i + 2 < n ? abc[v & 63] : '=';
    }
  t[o] = '\0';
  return t;
}

/* A PFM header for @w x @h gray, followed by @n floats of @value. */
static void
write_pfm (const char *path, int w, int h, size_t n, float value)
{
  FILE *f = fopen (path, "wb");

  fprintf (f, "Pf\n%d %d\n-1.0\n", w, h);
  for (size_t i = 0; i < n; i++)
    fwrite (&value, sizeof value, 1, f);
  fclose (f);
}

static void
test_pixel_budget (void)
{
  struct rlimit old, lim;
  SkcImage     *img = NULL;
  SkcStatus     s1, s2, s3, s4;
  int           w = 0, h = 0;

  write_lying_png (path_in ("huge.png"), 20000, 20000);
  write_pfm (path_in ("huge.pfm"), 20000, 20000, 16, 0.5f);
  /* 10000 x 10000 is within the budget, but the file holds 16 samples */
  write_pfm (path_in ("short.pfm"), 10000, 10000, 16, 0.5f);
  write_lying_png (path_in ("tall.png"), 1, 200000);
  /* within the budget (10^8 pixels), but the file has 8 x 8 pixels of
   * data: deflate cannot make 200 MB of rows of it */
  write_lying_png (path_in ("lying.png"), 10000, 10000);

  /* Refused from the header, so they pass under a 256 MB address-space
   * limit; not under the sanitizers, whose shadow memory alone exceeds it
   * (ASan then fails every mmap). */
  getrlimit (RLIMIT_AS, &old);
  lim = old;
  lim.rlim_cur = 256u << 20;
  if (!test_sanitized ())
    setrlimit (RLIMIT_AS, &lim);
  s1 = skc_image_load (path_in ("huge.png"), &img);
  s2 = skc_image_load (path_in ("huge.pfm"), &img);
  s3 = skc_image_load (path_in ("short.pfm"), &img);
  s4 = skc_image_load (path_in ("tall.png"), &img);
  {
    SkcImageReader *r = NULL;
    SkcInline       in;
    char           *text = inline_of_file (path_in ("lying.png"));
    SkcStatus       l1 = skc_image_load (path_in ("lying.png"), &img);
    SkcStatus       l2 = skc_image_reader_open (path_in ("lying.png"), &r);
    SkcStatus       l3 = text ? skc_inline_decode (text, &in) : SKC_OK;

    CHECK (l1 == SKC_ERR_FORMAT && l2 == SKC_ERR_FORMAT
           && l3 == SKC_ERR_FORMAT && r == NULL,
           "a small PNG declaring 10000x10000 (within the budget): load %s, "
           "row reader %s, inline data %s", skc_status_string (l1),
           skc_status_string (l2), skc_status_string (l3));
    free (text);
  }
  /* inline data is gray: an RGB PNG is refused (from its header) */
  {
    SkcImage *rgb = NULL;
    SkcInline in;
    char     *text;

    CHECK_OK (skc_image_new (4, 3, 3, &rgb));
    CHECK_OK (skc_image_save (rgb, path_in ("rgb.png")));
    skc_image_free (rgb);
    text = inline_of_file (path_in ("rgb.png"));
    CHECK (text && skc_inline_decode (text, &in) == SKC_ERR_FORMAT,
           "inline data holding an RGB PNG was taken");
    free (text);
  }
  /* the row reader of skc apply checks the same, from the header */
  {
    SkcImageReader *r = NULL;
    SkcStatus       r1 = skc_image_reader_open (path_in ("huge.png"), &r);
    SkcStatus       r2 = skc_image_reader_open (path_in ("huge.pfm"), &r);
    SkcStatus       r3 = skc_image_reader_open (path_in ("short.pfm"), &r);

    CHECK (r1 == SKC_ERR_TOO_LARGE && r2 == SKC_ERR_TOO_LARGE
           && r3 == SKC_ERR_FORMAT && r == NULL,
           "row reader: PNG 20000x20000 %s, PFM %s, short PFM %s",
           skc_status_string (r1), skc_status_string (r2),
           skc_status_string (r3));
  }
  if (!test_sanitized ())
    setrlimit (RLIMIT_AS, &old);

  CHECK (s1 == SKC_ERR_TOO_LARGE, "a PNG declaring 20000x20000: %s", skc_status_string (s1));
  CHECK (s2 == SKC_ERR_TOO_LARGE, "a PFM declaring 20000x20000: %s", skc_status_string (s2));
  CHECK (s3 == SKC_ERR_FORMAT, "a PFM declaring 10^8 samples, holding 16: %s",
         skc_status_string (s3));
  CHECK (s4 == SKC_ERR_FORMAT || s4 == SKC_ERR_TOO_LARGE,
         "a PNG declaring 1x200000: %s", skc_status_string (s4));
  CHECK (img == NULL, "an image came back from a refused load");

  CHECK (skc_image_probe (path_in ("huge.png"), &w, &h) == SKC_ERR_TOO_LARGE
         && w == 20000 && h == 20000, "probe reports %dx%d", w, h);
  CHECK (skc_image_load_max (path_in ("huge.png"), 1025, &img) == SKC_ERR_TOO_LARGE,
         "load_max did not refuse");

  /* within the budget and the side limit: read */
  write_pfm (path_in ("ok.pfm"), 3, 2, 6, 0.25f);
  CHECK_OK (skc_image_load_max (path_in ("ok.pfm"), 3, &img));
  CHECK (img && img->width == 3 && img->height == 2 && img->data[5] == 0.25f,
         "a small PFM did not read back");
  skc_image_free (img);
  img = NULL;
  CHECK (skc_image_load_max (path_in ("ok.pfm"), 2, &img) == SKC_ERR_TOO_LARGE,
         "a PFM wider than max_side was read");
}

static void
expect_kernel (const char *path, SkcStatus want, const char *text)
{
  SkcKernel *k = NULL;
  char       err[512] = "";
  SkcStatus  s = skc_kernel_load (path, &k, err, sizeof err);

  CHECK (s == want && !k, "kernel %s: %s, wanted %s", path,
         skc_status_string (s), skc_status_string (want));
  CHECK (strstr (err, path) && strstr (err, text),
         "kernel %s: message lacks the file or '%s': %s", path, text, err);
  skc_kernel_free (k);
}

static void
test_kernel_load (void)
{
  SkcKernel *k = NULL;
  char       err[512];
  FILE      *f;
  float      v[9] = { 0, 1, 0, 1, 2, 1, 0, 1, 0 };

  write_pfm (path_in ("big-kernel.pfm"), 2000, 2000, 4, 1.0f);
  expect_kernel (path_in ("big-kernel.pfm"), SKC_ERR_TOO_LARGE, "2000x2000");
  write_lying_png (path_in ("big-kernel.png"), 1027, 5);
  expect_kernel (path_in ("big-kernel.png"), SKC_ERR_TOO_LARGE, "at most 1025x1025");

  write_pfm (path_in ("nan.pfm"), 3, 3, 9, NAN);
  expect_kernel (path_in ("nan.pfm"), SKC_ERR_INVALID, "9 NaN or infinite values");
  write_pfm (path_in ("inf.pfm"), 3, 3, 9, 1.0f);
  f = fopen (path_in ("inf.pfm"), "r+b");
  fseek (f, -4 * 5, SEEK_END);   /* the middle sample */
  {
    float inf = INFINITY;
    fwrite (&inf, sizeof inf, 1, f);
  }
  fclose (f);
  expect_kernel (path_in ("inf.pfm"), SKC_ERR_INVALID, "(first at x 1, y 1)");
  write_pfm (path_in ("neg.pfm"), 3, 3, 9, -1.0f);
  expect_kernel (path_in ("neg.pfm"), SKC_ERR_INVALID, "negative");
  write_pfm (path_in ("zero.pfm"), 3, 3, 9, 0.0f);
  expect_kernel (path_in ("zero.pfm"), SKC_ERR_EMPTY, "empty");

  f = fopen (path_in ("good.pfm"), "wb");
  fprintf (f, "Pf\n3 3\n-1.0\n");
  fwrite (v, sizeof v[0], 9, f);
  fclose (f);
  CHECK_OK (skc_kernel_load (path_in ("good.pfm"), &k, err, sizeof err));
  CHECK (k && k->width == 3 && fabsf (k->data[4] - 2.0f / 6.0f) < 1e-6f,
         "a good kernel did not load as its normalised weights");
  skc_kernel_free (k);
}

/* ---------------------------------------------------------------- complexes */

static SkcComplex *
unit_complex (void)
{
  SkcComplex *c = NULL;

  /* two layers of four taps at +-2 px, weights 1/4: DC gain 1, reach 5 */
  skc_complex_new_uniform (2, 4, &c);
  for (int i = 0; i < 8; i++)
    {
      c->taps[i].ox = (i & 1) ? 2.0f : -2.0f;
      c->taps[i].oy = (i & 2) ? 2.0f : -2.0f;
      c->taps[i].w = 0.25f;
    }
  return c;
}

static void
expect_refused (SkcComplex *c, const char *what, const char *text)
{
  char err[512] = "";

  CHECK (skc_complex_check (c, "x.skc", err, sizeof err) == SKC_ERR_INVALID,
         "%s was accepted", what);
  CHECK (strstr (err, "x.skc") && strstr (err, text),
         "%s: message lacks the name or '%s': %s", what, text, err);
}

static void
test_complex_check (void)
{
  SkcComplex *c = unit_complex ();
  char        err[512];

  CHECK_OK (skc_complex_check (c, "x.skc", err, sizeof err));
  for (int i = 0; i < 8; i++)
    c->taps[i].w = 0.0f;
  expect_refused (c, "zero weights", "DC gain 0 ");
  for (int i = 0; i < 8; i++)
    c->taps[i].w = 1000.0f;
  expect_refused (c, "huge weights", "DC gain 1.6e+07");
  for (int i = 0; i < 8; i++)
    c->taps[i].w = i < 4 ? -0.25f : 0.25f;
  expect_refused (c, "negative gain", "DC gain -1");
  /* gains at the ends of the accepted range pass, just beyond fail */
  for (int i = 0; i < 8; i++)
    c->taps[i].w = 0.125f;   /* 0.5 x 0.5 */
  CHECK_OK (skc_complex_check (c, "x.skc", err, sizeof err));
  for (int i = 0; i < 8; i++)
    c->taps[i].w = i < 4 ? 0.0624f : 0.25f;   /* 0.2496 */
  expect_refused (c, "gain 0.2496", "outside 0.25..4");
  for (int i = 0; i < 8; i++)
    c->taps[i].w = 0.25f;
  c->taps[3].ox = 4096.0f;
  expect_refused (c, "a tap at 4096 px", "reach 4099 px");
  c->taps[3].ox = 2.0f;
  c->taps[6].w = NAN;
  expect_refused (c, "a NaN weight", "tap 7 is NaN");
  skc_complex_free (c);
}

static void
test_cache_entry_checked (void)
{
  SkcCache     *cache = NULL;
  SkcComplex   *c = unit_complex (), *back = NULL;
  SkcFitOptions o;
  const char   *key = "fedcba9876543210fedcba9876543210"
                      "fedcba9876543210fedcba9876543210";

  skc_fit_options_init (&o);
  o.n_samples = 4;
  o.n_layers = 2;
  CHECK_OK (skc_cache_open (path_in ("cache"), 0, &cache));
  CHECK_OK (skc_cache_store (cache, key, c));
  CHECK_OK (skc_cache_lookup (cache, key, &o, &back));
  skc_complex_free (back);
  back = NULL;
  for (int i = 0; i < 8; i++)
    c->taps[i].w = 0.0f;
  CHECK_OK (skc_cache_store (cache, key, c));
  CHECK (skc_cache_lookup (cache, key, &o, &back) == SKC_ERR_FORMAT && !back,
         "cache: an entry with zero weights was used");
  skc_cache_close (cache);
  skc_complex_free (c);
}

int
main (void)
{
  if (!test_make_dir ("test-input", dir, sizeof dir))
    return test_finish ();
  test_pixel_budget ();
  test_kernel_load ();
  test_complex_check ();
  test_cache_entry_checked ();
  test_remove_dir (dir);
  return test_finish ();
}
