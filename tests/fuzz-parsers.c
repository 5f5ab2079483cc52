/* A deterministic fuzzer for every parser of outside data: .skc text
 * (skc_complex_parse and skc_complex_check), PNG and PFM images and map
 * files (skc_image_load, skc_kernel_load), presets (skc_preset_load) and
 * fit-cache entries (skc_cache_lookup).  Each round takes a valid seed
 * input, applies a few seeded mutations (bit flips, byte overwrites with
 * interesting values, insertions, deletions, truncation, chunk copies) and
 * feeds the result to the parser; a crash, a hang or a sanitizer report is
 * the failure (the parsers may refuse anything; anything accepted must be
 * well formed).  The same seed gives the same inputs.
 *
 *   fuzz-parsers [ROUNDS [SEED]]     default 1500 rounds per parser, seed 1
 *
 * ./dev test runs the default budget in the unit suite (and under ASan +
 * UBSan with ./dev asan); a long run:
 *   ./dev shell -- build-asan/tests/fuzz-parsers 1000000 $RANDOM
 */
#define _GNU_SOURCE
#include "test-common.h"
#include "skc-cache.h"
#include "skc-preset.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char     dir[256];
static uint64_t rng;

static uint64_t
next (void)
{
  uint64_t z = (rng += 0x9E3779B97F4A7C15ull);

  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Mutate @buf (@len bytes, room for @cap) in place; returns the new length. */
static size_t
mutate (unsigned char *buf, size_t len, size_t cap)
{
  static const unsigned char special[] = { 0, 0xff, 0x7f, 0x80, '-', '.', 'e',
                                           '9', ' ', '\n', '#', 'n', '\0' };
  int n = 1 + (int) (next () % 4);

  for (int m = 0; m < n && len > 0; m++)
    {
      size_t at = next () % len;

      switch (next () % 7)
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
          if (len < cap)
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
        default:  /* copy a chunk elsewhere */
          {
            size_t from = next () % len, k = 1 + next () % 16;

            if (from + k > len)
              k = len - from;
            if (at + k > len)
              k = len - at;
            memmove (buf + at, buf + from, k);
          }
          break;
        }
    }
  return len;
}

static void
put (const char *path, const unsigned char *data, size_t len)
{
  FILE *f = fopen (path, "wb");

  fwrite (data, 1, len, f);
  fclose (f);
}

static unsigned char *
slurp (const char *path, size_t *len)
{
  FILE          *f = fopen (path, "rb");
  unsigned char *buf = malloc (1 << 20);

  *len = f ? fread (buf, 1, 1 << 20, f) : 0;
  if (f)
    fclose (f);
  return buf;
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
  return c;
}

/* One parser over @rounds mutations of the seed file @seed_path; the
 * parser reads the file @work.  Returns how many inputs it accepted. */
typedef int (*Parse) (const char *path);

static int
run (const char *name, const char *seed_path, const char *work, Parse parse,
     long rounds)
{
  size_t         len, cap = 1 << 20;
  unsigned char *seed = slurp (seed_path, &len);
  unsigned char *buf = malloc (cap);
  int            accepted = 0;

  CHECK (len > 0, "%s: no seed", name);
  for (long r = 0; r < rounds && len > 0; r++)
    {
      size_t n;

      memcpy (buf, seed, len);
      n = mutate (buf, len, cap);
      put (work, buf, n);
      accepted += parse (work);
    }
  printf ("%-8s %ld inputs, %d accepted\n", name, rounds, accepted);
  free (seed);
  free (buf);
  return accepted;
}

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
        CHECK_OK (skc_complex_synthesize (c, 15, 15, out));
      free (out);
    }
  skc_complex_free (c);
  return ok;
}

static int
parse_image (const char *path)
{
  SkcImage  *img = NULL;
  SkcKernel *k = NULL;
  char       err[256];
  int        ok = skc_image_load (path, &img) == SKC_OK;

  if (ok)
    CHECK (img->width >= 1 && img->height >= 1
           && (size_t) img->width * img->height <= SKC_MAX_IMAGE_PIXELS,
           "an accepted image of %dx%d", img->width, img->height);
  skc_image_free (img);
  if (skc_kernel_load (path, &k, err, sizeof err) == SKC_OK)
    CHECK (k->width % 2 == 1 && k->height % 2 == 1, "an even kernel");
  skc_kernel_free (k);
  return ok;
}

static int
parse_preset (const char *path)
{
  SkcPreset *p = NULL;
  char       err[256];
  int        ok = skc_preset_load (path, &p, err, sizeof err) == SKC_OK;

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
  skc_complex_free (c);
  return ok;
}

static const char *
in_dir (const char *name)
{
  static char buf[4][512];
  static int  i;

  i = (i + 1) % 4;
  snprintf (buf[i], sizeof buf[i], "%s/%s", dir, name);
  return buf[i];
}

int
main (int argc, char **argv)
{
  char        tmpl[] = "/tmp/skc-fuzz-XXXXXX";
  long        rounds = argc > 1 ? atol (argv[1]) : 1500;
  SkcComplex *c = seed_complex ();
  SkcImage   *img = NULL;

  rng = argc > 2 ? strtoull (argv[2], NULL, 10) : 1;
  if (!mkdtemp (tmpl))
    return 1;
  snprintf (dir, sizeof dir, "%s", tmpl);

  /* seeds: a complex, an 8-bit and a 16-bit PNG, a PFM, a preset, an entry */
  skc_complex_save (c, in_dir ("seed.skc"));
  run (".skc", in_dir ("seed.skc"), in_dir ("x.skc"), parse_skc, rounds);

  skc_image_new (7, 5, 4, &img);
  for (int i = 0; i < 7 * 5 * 4; i++)
    img->data[i] = (float) (i % 11) / 10.0f;
  skc_image_save (img, in_dir ("seed.png"));
  skc_image_free (img);
  run ("PNG", in_dir ("seed.png"), in_dir ("x.png"), parse_image, rounds);
  skc_image_new (5, 3, 1, &img);
  for (int i = 0; i < 15; i++)
    img->data[i] = (float) i;
  skc_image_save (img, in_dir ("seed.pfm"));
  skc_image_free (img);
  run ("PFM/map", in_dir ("seed.pfm"), in_dir ("x.pfm"), parse_image, rounds);

  {
    static const char preset[] =
      "[Sparse Bokeh Preset]\nname=Seed\nname[de]=Saat\nshape=polygon\n"
      "blades=6\ncurvature=0.3\nrotation=15\ninner=0.5\nsigma=3\n"
      "strength=0.5\nsamples=24\nlayers=4\ncomplex=seed-24x4.skc;\n";
    put (in_dir ("seed.preset"), (const unsigned char *) preset, sizeof preset - 1);
    run ("preset", in_dir ("seed.preset"), in_dir ("x.preset"), parse_preset, rounds);
  }

  {
    char entry[600];

    skc_fit_options_init (&cache_opt);
    cache_opt.n_layers = 3;
    cache_opt.n_samples = 4;
    snprintf (cache_key, sizeof cache_key, "%064d", 7);
    skc_cache_open (in_dir ("cache"), 0, &cache);
    {
      SkcComplex *u = NULL;

      skc_complex_new_uniform (3, 4, &u);
      for (int i = 0; i < 12; i++)
        {
          u->taps[i].ox = (float) (i % 3) - 1.0f;
          u->taps[i].w = 0.25f;
        }
      CHECK_OK (skc_cache_store (cache, cache_key, u));
      skc_complex_free (u);
    }
    snprintf (entry, sizeof entry, "%s/%s.skc", in_dir ("cache"), cache_key);
    rename (entry, in_dir ("seed-entry.skc"));
    run ("cache", in_dir ("seed-entry.skc"), entry, parse_cache, rounds);
    skc_cache_close (cache);
  }
  skc_complex_free (c);

  {
    char cmd[600];

    snprintf (cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system (cmd) != 0)
      printf ("note: could not remove %s\n", dir);
  }
  return test_finish ();
}
