/* A deterministic fuzzer for every parser of outside data:
 *
 *   skc     .skc text: skc_complex_load, skc_complex_check, a synthesis
 *   png     PNG images: skc_image_probe (header only), skc_image_load,
 *           skc_kernel_load (kernel images), skc_image_decode_png
 *   pfm     PFM images, the same calls
 *   map     blur-map files (PNG or PFM) read as skc:bokeh and `skc inline
 *           map` read them: load, first channel, skc_map_shrink,
 *           skc_map_sample over every row
 *   preset  kernel presets: skc_preset_load
 *   cache   fit-cache entries: skc_cache_lookup (a complex with a key line,
 *           a checksum and, for families, a family-size line)
 *   inline  data: text, what the op's kernel-data and map-data properties
 *           hold: skc_inline_decode, then the kernel, map or complex
 *
 * Each round takes one of the target's valid seeds, applies a few seeded
 * mutations (bit flips, interesting bytes, insertions and deletions,
 * truncation, chunk copies, repeated blocks and long runs of one byte (a
 * field's length limit), words of the format's own vocabulary; for PNG
 * the chunk CRCs are then put right in most rounds, so that libpng reads
 * past them, and the header's width and height are set to edge values)
 * and feeds the result to the parser.  A crash, a hang or a sanitizer
 * report is the failure; the parsers may refuse anything, but what they
 * accept must be well formed (sizes within the budget, a complex that
 * passes its checks synthesises, map samples within the map's range).
 * The same seed gives the same inputs, target by target (a target's
 * inputs do not depend on which other targets run).
 *
 *   fuzz-parsers [--rounds N] [--seed S] [TARGET...]
 *       N rounds per target (default 1500; the test suite runs one
 *       target per test at that budget), all targets if none is named
 *   fuzz-parsers --long SECONDS [--seed S] [TARGET...]
 *       rounds of 1000 per target until SECONDS have passed
 *   fuzz-parsers --replay FILE TARGET
 *       feed FILE to TARGET's parser once (an input kept after a crash)
 *
 * The round's input is written to $TMPDIR/skc-fuzz-XXXXXX/ (printed first;
 * /tmp without TMPDIR);
 * the folder is removed on a normal exit, so after a crash or a sanitizer
 * report the input that caused it is still there, for --replay.
 * A long run under the sanitizers (tests/BAD-INPUT.md, "Fuzzing"):
 *   ./dev shell -- env TMPDIR=build-asan UBSAN_OPTIONS=halt_on_error=1 \
 *     build-asan/tests/fuzz-parsers --long 600 preset
 */
#define _GNU_SOURCE
#include "test-common.h"
#include "skc-cache.h"
#include "skc-options.h"
#include "skc-preset.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CAP (1 << 20)

static char     dir[512];
static uint64_t rng;

static uint64_t
next (void)
{
  uint64_t z = (rng += 0x9E3779B97F4A7C15ull);

  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static const char *
in_dir (const char *name)
{
  return test_path_in (dir, name);
}

/* ---------------------------------------------------------------- mutation */

/* Insert @word at @at of @buf (@len bytes, room for CAP). */
static size_t
insert_word (unsigned char *buf, size_t len, size_t at, const char *word)
{
  size_t k = strlen (word);

  if (len + k > CAP)
    return len;
  memmove (buf + at + k, buf + at, len - at);
  memcpy (buf + at, word, k);
  return len + k;
}

/* Mutate @buf (@len bytes, room for CAP) in place; @words (NULL-ended, may
 * be NULL) are the format's vocabulary.  Returns the new length. */
static size_t
mutate (unsigned char *buf, size_t len, const char *const *words)
{
  static const unsigned char special[] = { 0, 0xff, 0x7f, 0x80, '-', '.', 'e',
                                           '9', ' ', '\n', '#', 'n', '\0',
                                           '=', '[', ';', '/' };
  static const char *const numbers[] = { "0", "-1", "-0", "1e9", "1e-45",
    "nan", "inf", "-inf", "2147483647", "4294967296", "99999999999999999999",
    "0x1p3", "1,5", "3.4e38", "1e309", "", NULL };
  int n = 1 + (int) (next () % 4);
  int n_words = 0;

  while (words && words[n_words])
    n_words++;
  for (int m = 0; m < n && len > 0; m++)
    {
      size_t at = next () % len;

      switch (next () % 11)
        {
        case 0:
          buf[at] ^= (unsigned char) (1u << (next () % 8));
          break;
        case 1:
          buf[at] = special[next () % sizeof special];
          break;
        case 2:
          buf[at] = (unsigned char) next ();
          break;
        case 3:   /* insert a byte */
          if (len < CAP)
            {
              memmove (buf + at + 1, buf + at, len - at);
              buf[at] = (unsigned char) next ();
              len++;
            }
          break;
        case 4:   /* delete a run */
          {
            size_t k = 1 + next () % 8;

            if (at + k > len)
              k = len - at;
            memmove (buf + at, buf + at + k, len - at - k);
            len -= k;
          }
          break;
        case 5:   /* truncate */
          len = at;
          break;
        case 6:   /* copy a chunk elsewhere */
          {
            size_t from = next () % len, k = 1 + next () % 16;

            if (from + k > len)
              k = len - from;
            if (at + k > len)
              k = len - at;
            memmove (buf + at, buf + from, k);
          }
          break;
        case 7:   /* an edge-case number, in place of a digit run */
          {
            size_t e = at;

            while (e < len && ((buf[e] >= '0' && buf[e] <= '9') || buf[e] == '.'))
              e++;
            memmove (buf + at, buf + e, len - e);
            len -= e - at;
            len = insert_word (buf, len, at,
                               numbers[next () % (sizeof numbers / sizeof *numbers - 1)]);
          }
          break;
        case 8:   /* a block repeated: long tokens, lines and values */
          {
            size_t from = next () % len, k = 1 + next () % 16;
            int    times = 2 + (int) (next () % 63);

            if (from + k > len)
              k = len - from;
            for (int t = 0; t < times && len + k <= CAP; t++)
              {
                memmove (buf + at + k, buf + at, len - at);
                memmove (buf + at, buf + from + (from >= at ? k : 0), k);
                len += k;
              }
          }
          break;
        case 9:   /* a long run of one byte (a field's length limit) */
          {
            size_t        k = 1 + next () % 600;
            unsigned char c = next () % 2 ? buf[at] : (unsigned char) next ();

            if (len + k > CAP)
              break;
            memmove (buf + at + k, buf + at, len - at);
            memset (buf + at, c, k);
            len += k;
          }
          break;
        default:  /* a word of the format */
          if (n_words)
            len = insert_word (buf, len, at, words[next () % n_words]);
          break;
        }
    }
  return len;
}

static uint32_t
get_be32 (const unsigned char *p)
{
  return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

/* PNG: now and then a header of edge-case size, depth and colour type;
 * then, in 7 rounds of 8, every whole chunk's CRC made right again so that
 * libpng reads what the mutations did instead of stopping at the CRC. */
static void
png_fixup (unsigned char *buf, size_t len)
{
  static const uint32_t sides[] = { 0, 1, 2, 3, 7, 255, 1025, 1026, 11586,
    11587, 20000, 65535, 65536, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu };
  size_t at = 8;

  if (len >= 33 && memcmp (buf + 12, "IHDR", 4) == 0 && next () % 4 == 0)
    {
      int what = (int) (next () % 4);

      if (what == 0 || what == 2)
        test_put_be32 (buf + 16, sides[next () % (sizeof sides / sizeof *sides)]);
      if (what == 1 || what == 2)
        test_put_be32 (buf + 20, sides[next () % (sizeof sides / sizeof *sides)]);
      if (what == 3)
        {
          buf[24] = (unsigned char) (1u << (next () % 5));   /* bit depth */
          buf[25] = (unsigned char) (next () % 7);            /* colour type */
        }
    }
  if (next () % 8 == 0)
    return;
  while (at + 12 <= len)
    {
      uint32_t n = get_be32 (buf + at);

      if (n > len - at - 12)
        break;
      test_put_be32 (buf + at + 8 + n, test_png_crc (buf + at + 4, n + 4));
      at += 12 + n;
    }
}

/* Append a chunk to the PNG in @buf (@n bytes so far); the new length. */
static size_t
png_chunk (unsigned char *buf, size_t n, const char *type,
           const unsigned char *data, uint32_t len)
{
  test_put_be32 (buf + n, len);
  memcpy (buf + n + 4, type, 4);
  if (len)
    memcpy (buf + n + 8, data, len);
  test_put_be32 (buf + n + 8 + len, test_png_crc (buf + n + 4, len + 4));
  return n + 12 + len;
}

/* ---------------------------------------------------------------- parsers */

static int
parse_skc (const char *path)
{
  SkcComplex *c = NULL;
  char        err[256];
  int         ok = skc_complex_load (path, &c, err, sizeof err) == SKC_OK;

  if (ok)
    {
      /* accepted means well formed: the checks and a synthesis run */
      float *out = malloc (sizeof (float) * 15 * 15);

      CHECK (c->n_layers >= 1 && c->n_layers <= SKC_MAX_LAYERS, "bad layers");
      if (skc_complex_check (c, path, err, sizeof err) == SKC_OK)
        {
          CHECK_OK (skc_complex_synthesize (c, 15, 15, out));
          for (int i = 0; i < 15 * 15; i++)
            if (!isfinite (out[i]))
              {
                CHECK (0, "a checked complex synthesises %g", out[i]);
                break;
              }
        }
      free (out);
    }
  skc_complex_free (c);
  return ok;
}

static void
check_image (const SkcImage *img, const char *what)
{
  CHECK (img->width >= 1 && img->height >= 1 && img->channels >= 1
         && img->channels <= 4
         && (size_t) img->width * img->height <= SKC_MAX_IMAGE_PIXELS,
         "%s: an accepted image of %dx%dx%d", what, img->width, img->height,
         img->channels);
}

static int
parse_image (const char *path)
{
  SkcImage  *img = NULL;
  SkcKernel *k = NULL;
  char       err[256];
  int        w = 0, h = 0, ok;
  SkcStatus  probe = skc_image_probe (path, &w, &h);

  ok = skc_image_load (path, &img) == SKC_OK;
  if (ok)
    {
      check_image (img, "load");
      CHECK (probe == SKC_OK && w == img->width && h == img->height,
             "the probe said %s %dx%d, the load %dx%d",
             skc_status_string (probe), w, h, img->width, img->height);
    }
  skc_image_free (img);
  img = NULL;
  if (skc_kernel_load (path, &k, err, sizeof err) == SKC_OK)
    CHECK (k->width % 2 == 1 && k->height % 2 == 1
           && k->width <= SKC_MAX_KERNEL_SIZE && k->height <= SKC_MAX_KERNEL_SIZE,
           "an accepted kernel of %dx%d", k->width, k->height);
  skc_kernel_free (k);
  {
    size_t         len = 0;
    unsigned char *data = (unsigned char *) test_read_file (path, &len);

    if (data && skc_image_decode_png (data, len, &img) == SKC_OK)
      check_image (img, "decode");
    skc_image_free (img);
    free (data);
  }
  return ok;
}

/* The map path: the first channel, finite values only (as the op and
 * `skc inline map` require), shrunk to a grid of at most 4 px a side,
 * sampled at every pixel: each sample within the map's range. */
static int
parse_map (const char *path)
{
  SkcImage *img = NULL, *grid = NULL;
  float    *v, *row, lo = INFINITY, hi = -INFINITY;
  size_t    n;
  int       finite = 1;

  if (skc_image_load (path, &img) != SKC_OK)
    return 0;
  check_image (img, "map");
  n = (size_t) img->width * img->height;
  v = malloc (sizeof (float) * n);
  row = malloc (sizeof (float) * img->width);
  for (size_t i = 0; i < n; i++)
    {
      v[i] = img->data[i * img->channels];
      finite = finite && isfinite (v[i]);
      lo = fminf (lo, v[i]);
      hi = fmaxf (hi, v[i]);
    }
  if (finite && skc_map_shrink (v, img->width, img->height, 4, &grid) == SKC_OK)
    {
      int bad = 0;

      CHECK (grid->width >= 1 && grid->width <= 4 && grid->height >= 1
             && grid->height <= 4, "a grid of %dx%d", grid->width, grid->height);
      for (int y = 0; y < img->height; y++)
        {
          skc_map_sample (grid, img->width, img->height, 0, y, img->width, row);
          for (int x = 0; x < img->width; x++)
            {
              /* an area average, then bilinear: within the map's range
               * (to float rounding) */
              float tol = 1e-5f * fmaxf (1.0f, fmaxf (fabsf (lo), fabsf (hi)));

              bad += !(row[x] >= lo - tol && row[x] <= hi + tol);
            }
        }
      CHECK (bad == 0, "%d map samples outside %g..%g", bad, lo, hi);
    }
  skc_image_free (grid);
  skc_image_free (img);
  free (v);
  free (row);
  return 1;
}

static int
parse_preset (const char *path)
{
  SkcPreset *p = NULL;
  GError    *error = NULL;
  int        ok = skc_preset_load (path, &p, &error) == SKC_OK;

  g_clear_error (&error);

  if (ok)
    {
      /* accepted means usable: every value within its documented range
       * (skc-preset.h), and a shape that renders */
      const SkcShapeParams *sp = &p->shape;

      CHECK (p->name && *p->name && skc_preset_id_valid (p->id)
             && p->samples >= 0 && p->samples <= SKC_MAX_SAMPLES
             && p->layers >= 0 && p->layers <= SKC_MAX_LAYERS
             && p->n_complexes >= 0 && !!p->is_shape != !!p->kernel_image,
             "an accepted preset: samples %d, layers %d", p->samples,
             p->layers);
      for (int i = 0; i < p->n_complexes; i++)
        CHECK (p->complexes[i] != NULL, "complex %d is NULL", i);
      if (p->is_shape)
        {
          SkcShapeParams r = *sp;
          SkcKernel     *k = NULL;

          CHECK (sp->blades >= 3 && sp->blades <= 12 && sp->curvature >= 0
                 && sp->curvature <= 1 && sp->inner >= 0 && sp->inner <= 1
                 && sp->strength >= 0 && sp->strength <= 1
                 && sp->sigma >= 0.01f && sp->sigma <= 1000
                 && fabsf (sp->rotation_deg) <= 3600,
                 "an accepted shape out of range: blades %d, curvature %g, "
                 "inner %g, strength %g, sigma %g, rotation %g", sp->blades,
                 sp->curvature, sp->inner, sp->strength, sp->sigma,
                 sp->rotation_deg);
          r.side_px = 17;
          if (skc_shape_render (&r, &k) == SKC_OK)
            {
              double sum = 0;

              for (int i = 0; i < k->width * k->height; i++)
                sum += k->data[i];
              CHECK (isfinite (sum) && sum > 0, "the preset's shape sums "
                     "to %g", sum);
            }
          else
            CHECK (0, "an accepted shape does not render");
          skc_kernel_free (k);
        }
    }
  skc_preset_free (p);
  return ok;
}

static SkcCache     *cache;
static char          cache_key[SKC_CACHE_KEY_SIZE];
static SkcFitOptions cache_opt;

static int
parse_cache (const char *path)
{
  SkcComplex *c = NULL;
  int         ok = skc_cache_lookup (cache, cache_key, &cache_opt, &c) == SKC_OK;

  (void) path;
  if (ok)
    CHECK (skc_complex_check (c, "entry", NULL, 0) == SKC_OK
           && c->n_layers == cache_opt.n_layers,
           "an accepted entry that fails the checks");
  skc_complex_free (c);
  return ok;
}

static int
parse_inline (const char *path)
{
  char     *text = test_read_file (path, NULL);
  SkcInline in;
  int       ok;

  if (!text)
    return 0;
  ok = skc_inline_decode (text, &in) == SKC_OK;
  if (ok && in.image)
    {
      check_image (in.image, "inline");
      if (in.map_width > 0)
        {
          float *row = malloc (sizeof (float) * 64);
          int    w = in.map_width < 64 ? in.map_width : 64;

          CHECK (in.map_height > 0, "a map of %dx%d", in.map_width, in.map_height);
          for (int y = 0; y < in.map_height && y < 64; y++)
            skc_map_sample (in.image, in.map_width, in.map_height, 0, y, w, row);
          free (row);
        }
    }
  if (ok && in.complex && skc_complex_check (in.complex, "inline", NULL, 0) == SKC_OK)
    {
      float out[15 * 15];

      CHECK_OK (skc_complex_synthesize (in.complex, 15, 15, out));
    }
  if (ok)
    skc_inline_clear (&in);
  free (text);
  return ok;
}

/* ---------------------------------------------------------------- seeds */

static void
put (const char *path, const unsigned char *data, size_t len)
{
  FILE *f = fopen (path, "wb");

  if (!f)
    {
      CHECK (0, "cannot write %s", path);
      return;
    }
  fwrite (data, 1, len, f);
  fclose (f);
}

static SkcComplex *
seed_complex (void)
{
  SkcComplex *c = NULL;
  int         n[3] = { 5, 3, 4 };

  skc_complex_new (3, n, &c);
  for (int i = 0; i < 12; i++)
    {
      c->taps[i].ox = (float) (i % 5) - 2.0f + 0.25f;
      c->taps[i].oy = (float) (i % 3) - 1.0f;
      c->taps[i].w = i < 5 ? 0.2f : i < 8 ? 1.0f / 3 : 0.25f;
    }
  snprintf (c->method, sizeof c->method, "disk");
  snprintf (c->init, sizeof c->init, "ir");
  snprintf (c->kernel_name, sizeof c->kernel_name, "heart 15x15");
  c->target_width = c->target_height = 15;
  return c;
}

static SkcImage *
seed_image (int w, int h, int channels, float scale)
{
  SkcImage *img = NULL;

  skc_image_new (w, h, channels, &img);
  for (int i = 0; i < w * h * channels; i++)
    img->data[i] = scale * (float) (i % 11) / 10.0f;
  return img;
}

static void
save_image (SkcImage *img, const char *name)
{
  CHECK_OK (skc_image_save (img, in_dir (name)));
  skc_image_free (img);
}

static void
save_text (const char *text, const char *name)
{
  put (in_dir (name), (const unsigned char *) text, strlen (text));
}

static void
seed_cache_entry (void)
{
  SkcComplex *u = NULL;
  char        entry[600];

  skc_fit_options_init (&cache_opt);
  cache_opt.n_layers = 3;
  cache_opt.n_samples = 4;
  snprintf (cache_key, sizeof cache_key, "%064d", 7);
  CHECK_OK (skc_cache_open (in_dir ("cache"), 0, &cache));
  skc_complex_new_uniform (3, 4, &u);
  for (int i = 0; u && i < 12; i++)
    {
      u->taps[i].ox = (float) (i % 3) - 1.0f;
      u->taps[i].w = 0.25f;
    }
  CHECK_OK (skc_cache_store (cache, cache_key, u));
  skc_complex_free (u);
  snprintf (entry, sizeof entry, "%s/%s.skc", skc_cache_dir (cache), cache_key);
  CHECK (rename (entry, in_dir ("seed-cache-0")) == 0, "cannot move the entry");
}

static void
seed_inline (void)
{
  SkcImage   *k = seed_image (5, 5, 1, 1.0f), *m = seed_image (3, 2, 1, 1.0f);
  SkcComplex *c = seed_complex ();
  char       *t = NULL;

  CHECK_OK (skc_inline_encode_image (k, 0, 0, &t));
  save_text (t, "seed-inline-0");
  free (t);
  CHECK_OK (skc_inline_encode_image (m, 640, 480, &t));
  save_text (t, "seed-inline-1");
  free (t);
  CHECK_OK (skc_inline_encode_complex (c, &t));
  save_text (t, "seed-inline-2");
  free (t);
  skc_image_free (k);
  skc_image_free (m);
  skc_complex_free (c);
}

/* ---------------------------------------------------------------- targets */

typedef int (*Parse) (const char *path);

typedef struct
{
  const char        *name;
  Parse              parse;
  int                n_seeds;     /* files seed-NAME-0 .. */
  const char        *work;        /* the input's file name (or NULL: cache) */
  const char *const *words;
  int                png;         /* png_fixup the inputs */
  const char        *head_end;    /* in half the rounds, mutate only the
                                   * text before this (NULL: never) */
} Target;

static const char *const skc_words[] = { "skc-complex 1\n", "layers ",
  "layer ", "samples ", "tap ", "\n", " ", "# ", "-", "e-", "0.", "1e38",
  "checksum ", "cache-key ", "family-size ", NULL };
static const char *const pfm_words[] = { "PF\n", "Pf\n", " ", "\n", "-1.0",
  "1.0", "-1", "0", "65536 65536", "1 1", NULL };
static const char *const preset_words[] = { "[Sparse Bokeh Preset]\n",
  "\nname=", "\nname[de]=", "\nshape=", "\nshape=polygon", "\nshape=iris",
  "\nkernel-image=", "\nkernel-image=../../x.png", "\ncomplex=",
  "\nblades=", "\ncurvature=", "\nrotation=", "\ninner=", "\nsigma=",
  "\nstrength=", "\nsamples=", "\nlayers=", ";", "\\", "\\n", "=", "[",
  "]", "\n", "/", NULL };
static const char *const inline_words[] = { "data:", "text/x-skc;",
  "image/png;", ";base64,", ";skc=1", ";skc=2", ";size=", "1,1", "0,0",
  "640,480", "2147483647,3", ";x=y", ",", "=", ";", "AAAA", "////", "+",
  "iVBORw0KGgo", NULL };

static const Target targets[] = {
  { "skc",    parse_skc,    1, "x.skc",    skc_words,    0, NULL },
  { "png",    parse_image,  3, "x.png",    NULL,         1, NULL },
  { "pfm",    parse_image,  3, "x.pfm",    pfm_words,    0, NULL },
  { "map",    parse_map,    3, "x.map",    pfm_words,    1, NULL },
  { "preset", parse_preset, 2, "x.preset", preset_words, 0, NULL },
  { "cache",  parse_cache,  1, NULL,       skc_words,    0, NULL },
  { "inline", parse_inline, 3, "x.inline", inline_words, 0, ";base64," },
};
#define N_TARGETS ((int) (sizeof targets / sizeof *targets))

static void
make_seeds (void)
{
  SkcComplex *c = seed_complex ();

  CHECK_OK (skc_complex_save (c, in_dir ("seed-skc-0")));
  skc_complex_free (c);

  /* PNG: 16-bit RGBA (what skc writes), 16-bit gray, and an 8-bit
   * palette image with transparency, written by hand */
  save_image (seed_image (7, 5, 4, 1.0f), "seed-png-0.png");
  save_image (seed_image (5, 5, 1, 1.0f), "seed-png-1.png");
  {
    /* 3 x 3, palette of 2 with tRNS, one zlib stored block */
    static const unsigned char ihdr[] = { 0, 0, 0, 3, 0, 0, 0, 3, 8, 3, 0, 0, 0 };
    static const unsigned char plte[] = { 0, 0, 0, 255, 255, 255 };
    static const unsigned char trns[] = { 0x80 };
    static const unsigned char raw[] = { 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0 };
    unsigned char idat[2 + 5 + sizeof raw + 4], buf[256];
    size_t        n = 8;
    uint32_t      a = 1, b = 0;

    memcpy (idat, "\x78\x01\x01\x0c\x00\xf3\xff", 7);
    memcpy (idat + 7, raw, sizeof raw);
    for (size_t i = 0; i < sizeof raw; i++)
      {
        a = (a + raw[i]) % 65521;
        b = (b + a) % 65521;
      }
    test_put_be32 (idat + 7 + sizeof raw, b << 16 | a);
    memcpy (buf, "\x89PNG\r\n\x1a\n", 8);
    n = png_chunk (buf, n, "IHDR", ihdr, sizeof ihdr);
    n = png_chunk (buf, n, "PLTE", plte, sizeof plte);
    n = png_chunk (buf, n, "tRNS", trns, sizeof trns);
    n = png_chunk (buf, n, "IDAT", idat, sizeof idat);
    n = png_chunk (buf, n, "IEND", NULL, 0);
    put (in_dir ("seed-png-2.png"), buf, n);
  }

  /* PFM: colour and gray, little endian (what skc writes) and big endian */
  save_image (seed_image (5, 3, 3, 1.0f), "seed-pfm-0.pfm");
  save_image (seed_image (4, 3, 1, 1.0f), "seed-pfm-1.pfm");
  {
    unsigned char buf[64];
    int           n = snprintf ((char *) buf, sizeof buf, "Pf\n2 2\n1.0\n");
    float         v[4] = { 0.0f, 0.5f, 1.0f, 2.0f };

    for (int i = 0; i < 4; i++)
      {
        uint32_t u;

        memcpy (&u, &v[i], 4);
        test_put_be32 (buf + n + 4 * i, u);
      }
    put (in_dir ("seed-pfm-2.pfm"), buf, (size_t) n + 16);
  }

  /* maps: a gray PFM of depths, an 8-bit-like gray PNG, a colour PNG */
  save_image (seed_image (9, 7, 1, 20.0f), "seed-map-0.pfm");
  save_image (seed_image (9, 7, 1, 1.0f), "seed-map-1.png");
  save_image (seed_image (6, 4, 3, 1.0f), "seed-map-2.png");

  save_text ("[Sparse Bokeh Preset]\nname=Seed\nname[de]=Saat\nshape=polygon\n"
             "blades=6\ncurvature=0.3\nrotation=15\ninner=0.5\nsigma=3\n"
             "strength=0.5\nsamples=24\nlayers=4\ncomplex=seed-24x4.skc;\n",
             "seed-preset-0");
  save_text ("# a drawn kernel\n[Sparse Bokeh Preset]\nname=Drawn\n"
             "kernel-image=seed-png-1.png\nsamples=16\nlayers=3\n",
             "seed-preset-1");

  seed_cache_entry ();
  seed_inline ();
}

/* The path of seed @i of @t (PNG and PFM seeds keep their extension). */
static const char *
seed_path (const Target *t, int i)
{
  char        name[64];
  const char *exts[] = { "", ".png", ".pfm" };

  for (int e = 0; e < 3; e++)
    {
      snprintf (name, sizeof name, "seed-%s-%d%s", t->name, i, exts[e]);
      if (access (in_dir (name), F_OK) == 0)
        return in_dir (name);
    }
  return in_dir (name);
}

static const char *
work_path (const Target *t)
{
  static char path[600];

  if (t->work)
    snprintf (path, sizeof path, "%s/%s", dir, t->work);
  else
    snprintf (path, sizeof path, "%s/%s.skc", skc_cache_dir (cache), cache_key);
  return path;
}

/* Rounds @first .. @first + @rounds - 1 of @t: round r's input depends
 * only on the seed, the target and r. */
static long
run_rounds (const Target *t, uint64_t seed, long first, long rounds,
            unsigned char **seeds, size_t *lens, unsigned char *buf)
{
  const char *work = work_path (t);
  long        accepted = 0;

  for (long r = first; r < first + rounds; r++)
    {
      int    s = (int) (r % t->n_seeds);
      size_t n;
      void  *head;

      rng = seed * 0x100000001B3ull + (uint64_t) (t - targets) * 0x9E3779B9ull
            + (uint64_t) r * 0xD1B54A32D192ED03ull;
      memcpy (buf, seeds[s], lens[s]);
      head = t->head_end && next () % 2
             ? memmem (seeds[s], lens[s], t->head_end, strlen (t->head_end))
             : NULL;
      if (head)
        {
          /* the header mutated, the rest (the payload) kept */
          size_t h = (size_t) ((unsigned char *) head - seeds[s]);

          n = mutate (buf, h, t->words);
          if (n + lens[s] - h <= CAP)
            {
              memcpy (buf + n, seeds[s] + h, lens[s] - h);
              n += lens[s] - h;
            }
        }
      else
        n = mutate (buf, lens[s], t->words);
      if (t->png && n >= 8 && memcmp (buf, "\x89PNG", 4) == 0)
        png_fixup (buf, n);
      put (work, buf, n);
      accepted += t->parse (work);
    }
  return accepted;
}

static int
run_target (const Target *t, uint64_t seed, long rounds, double seconds)
{
  unsigned char *seeds[4], *buf = malloc (CAP);
  size_t         lens[4];
  long           done = 0, accepted = 0;
  double         t0 = skc_time_now ();

  for (int i = 0; i < t->n_seeds; i++)
    {
      seeds[i] = (unsigned char *) test_read_file (seed_path (t, i), &lens[i]);
      CHECK (seeds[i] && lens[i] > 0 && lens[i] < CAP, "%s: no seed %d (%s)",
             t->name, i, seed_path (t, i));
      if (!seeds[i])
        return 0;
      /* every seed itself is accepted (or the fuzzing starts nowhere) */
      put (work_path (t), seeds[i], lens[i]);
      CHECK (t->parse (work_path (t)), "%s: seed %d is refused", t->name, i);
    }
  if (seconds > 0)
    while (skc_time_now () - t0 < seconds)
      {
        accepted += run_rounds (t, seed, done, 1000, seeds, lens, buf);
        done += 1000;
      }
  else
    {
      accepted = run_rounds (t, seed, 0, rounds, seeds, lens, buf);
      done = rounds;
    }
  printf ("%-7s %ld inputs (seed %llu), %ld accepted, %.1f s\n", t->name, done,
          (unsigned long long) seed, accepted, skc_time_now () - t0);
  fflush (stdout);
  for (int i = 0; i < t->n_seeds; i++)
    free (seeds[i]);
  free (buf);
  return 1;
}

static const char help[] =
  "Usage: fuzz-parsers [--rounds N | --long SECONDS] [--seed S] [TARGET...]\n"
  "       fuzz-parsers --replay FILE TARGET\n"
  "Feed seeded mutations of valid inputs to the parsers of outside data.\n"
  "TARGETs: skc png pfm map preset cache inline (default: all).\n";

int
main (int argc, char **argv)
{
  int         rounds = 1500, seconds = 0, n_words = 0;
  uint64_t    seed = 1;
  const char *replay = NULL, *words[16];
  char        tmpl[512];
  int         want[N_TARGETS] = { 0 }, any = 0, status;
  const SkcOption opts[] = {
    { "rounds", 0, SKC_OPT_INT, &rounds, 1, 100000000, NULL },
    { "long", 0, SKC_OPT_INT, &seconds, 1, 7 * 86400, NULL },
    { "seed", 0, SKC_OPT_U64, &seed, 0, 0, NULL },
    { "replay", 0, SKC_OPT_STRING, &replay, 0, 0, NULL },
    { NULL, 0, 0, NULL, 0, 0, NULL } };

  status = skc_options_parse ("fuzz-parsers", NULL, help, argc, argv, opts,
                              words, 16, &n_words);
  if (status >= 0)
    return status;
  for (int w = 0; w < n_words; w++)
    {
      int found = 0;

      for (int i = 0; i < N_TARGETS; i++)
        if (strcmp (words[w], targets[i].name) == 0)
          want[i] = found = any = 1;
      if (!found)
        return skc_options_error ("fuzz-parsers", NULL, "unknown target '%s' "
                                  "(skc png pfm map preset cache inline)",
                                  words[w]);
    }
  if (replay && n_words != 1)
    return skc_options_error ("fuzz-parsers", NULL, "--replay needs one target");

  snprintf (tmpl, sizeof tmpl, "%s/skc-fuzz-XXXXXX",
            getenv ("TMPDIR") && *getenv ("TMPDIR") ? getenv ("TMPDIR") : "/tmp");
  if (!mkdtemp (tmpl))
    {
      fprintf (stderr, "fuzz-parsers: cannot make %s\n", tmpl);
      return 1;
    }
  snprintf (dir, sizeof dir, "%s", tmpl);
  printf ("inputs in %s\n", dir);
  fflush (stdout);
  make_seeds ();

  for (int i = 0; i < N_TARGETS; i++)
    {
      if (any && !want[i])
        continue;
      if (replay)
        {
          size_t len = 0;
          char  *data = test_read_file (replay, &len);

          CHECK (data != NULL, "cannot read %s", replay);
          if (data)
            {
              put (work_path (&targets[i]), (unsigned char *) data, len);
              printf ("%s: %s\n", targets[i].name,
                      targets[i].parse (work_path (&targets[i])) ? "accepted"
                                                                 : "refused");
            }
          free (data);
          continue;
        }
      run_target (&targets[i], seed, rounds, seconds);
    }
  skc_cache_close (cache);
  test_remove_dir (dir);
  return test_finish ();
}
