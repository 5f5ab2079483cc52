/* Every file format under a decimal-comma locale.
 *
 * GIMP and its plug-ins run with LC_NUMERIC taken from the user's
 * environment; under de_DE.UTF-8 printf ("%g", 0.5) writes "0,5" and
 * strtod ("-1.0") stops at the '.'.  This test switches the whole process
 * to de_DE.UTF-8 (setlocale, as GIMP does) and checks every number the
 * core and its GLib layer read or write in files: PFM headers (kernels,
 * drawn kernels, painted masks and blur maps are PFM files), .skc
 * complexes, the kernel names stored in them, presets and fit cache
 * entries (family sizes).  The references are bytes written by hand here
 * in the C convention, never output of the code under test.
 *
 * The locale must exist: the development root generates de_DE.UTF-8 (see
 * make_root in dev).  Without it this test FAILS, since a skipped locale
 * test is how the decimal-comma bug went unseen.
 */
#include "test-common.h"
#include "skc-private.h"
#include "skc-cache.h"
#include "skc-preset.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];

static void
write_bytes (const char *path, const void *data, size_t n)
{
  FILE *f = fopen (path, "wb");

  CHECK (f && fwrite (data, 1, n, f) == n, "write %s", path);
  if (f)
    fclose (f);
}

static int
de_locale_active (void)
{
  char probe[16];

  snprintf (probe, sizeof probe, "%.1f", 0.5);
  return strcmp (probe, "0,5") == 0;
}

/* The helpers themselves: '.' in and out, the thread's locale restored. */
static void
test_helpers (void)
{
  char  buf[64], *end;
  double v;

  v = skc_ascii_strtod ("-1.25e1 rest", &end);
  CHECK (v == -12.5 && strcmp (end, " rest") == 0,
         "skc_ascii_strtod reads '.' (%g, rest '%s')", v, end);
  v = skc_ascii_strtod ("0,5", &end);
  CHECK (v == 0.0 && strcmp (end, ",5") == 0,
         "skc_ascii_strtod stops at a comma (rest '%s')", end);
  skc_ascii_snprintf (buf, sizeof buf, "%.2f|%g|%.9g", 0.5, 1.5, 0.1f);
  CHECK (strcmp (buf, "0.50|1.5|0.100000001") == 0,
         "skc_ascii_snprintf writes '.' (%s)", buf);
  CHECK (de_locale_active (), "the process locale is restored after the helpers");
}

/* PFM: a file written by hand reads back exactly; a saved file has the
 * header the format defines ("-1.0" little-endian scale). */
static void
test_pfm (void)
{
  static const char header[] = "Pf\n3 2\n-1.0\n";
  const float       want[6] = { 0.5f, 0.25f, -1.5f, 3.0e-3f, 1.0f, 0.0f };
  unsigned char     file[sizeof header - 1 + sizeof want];
  char              path[512];
  SkcImage         *img = NULL, *back = NULL;
  int               same = 1;
  char             *text;

  /* bottom row first, as PFM stores it; little-endian host assumed by
   * the "-1.0" scale, checked below */
  {
    const unsigned int probe = 1;
    CHECK (*(const unsigned char *) &probe == 1, "little-endian host");
  }
  memcpy (file, header, sizeof header - 1);
  memcpy (file + sizeof header - 1, want + 3, 3 * sizeof (float));
  memcpy (file + sizeof header - 1 + 3 * sizeof (float), want, 3 * sizeof (float));
  snprintf (path, sizeof path, "%s/hand.pfm", dir);
  write_bytes (path, file, sizeof file);
  CHECK_OK (skc_image_load (path, &img));
  for (int i = 0; img && i < 6; i++)
    same = same && img->data[i] == want[i];
  CHECK (img && img->width == 3 && img->height == 2 && img->channels == 1 && same,
         "a PFM with scale -1.0 loads under de_DE");

  snprintf (path, sizeof path, "%s/saved.pfm", dir);
  CHECK (img && skc_image_save (img, path) == SKC_OK, "PFM saves under de_DE");
  text = test_read_file (path, NULL);
  CHECK (text && memcmp (text, header, sizeof header - 1) == 0,
         "saved PFM header is the C one");
  free (text);
  CHECK_OK (skc_image_load (path, &back));
  same = 1;
  for (int i = 0; back && i < 6; i++)
    same = same && back->data[i] == want[i];
  CHECK (back && same, "PFM round trip under de_DE is exact");
  skc_image_free (back);
  back = NULL;

  /* colour PFM (PF) too */
  skc_image_free (img);
  img = NULL;
  CHECK_OK (skc_image_new (2, 2, 3, &img));
  for (int i = 0; img && i < 12; i++)
    img->data[i] = 0.125f * (float) i - 0.3f;
  snprintf (path, sizeof path, "%s/rgb.pfm", dir);
  CHECK (img && skc_image_save (img, path) == SKC_OK, "PF saves under de_DE");
  CHECK_OK (skc_image_load (path, &back));
  same = 1;
  for (int i = 0; back && i < 12; i++)
    same = same && back->channels == 3 && back->data[i] == img->data[i];
  CHECK (back && same, "PF round trip under de_DE is exact");
  skc_image_free (back);
  skc_image_free (img);
}

/* .skc: a hand-written file parses; saving writes '.'; load(save) is exact. */
static void
test_skc (void)
{
  const char *hand = "skc-complex 1\nkernel disk@3.50px\nloss 0.125\n"
                     "layer 2\n0.5 -1.25 0.75\n2.5e-1 0 0.25\n";
  SkcComplex *c = NULL, *back = NULL;
  char        path[512], err[256] = "";
  char       *text;

  CHECK_OK (skc_complex_parse (hand, strlen (hand), &c, err, sizeof err));
  CHECK (c && c->n_layers == 1 && c->n_samples[0] == 2
         && c->taps[0].ox == 0.5f && c->taps[0].oy == -1.25f
         && c->taps[0].w == 0.75f && c->taps[1].ox == 0.25f
         && c->taps[1].w == 0.25f && c->loss == 0.125,
         ".skc with '.' parses under de_DE (%s)", err);
  if (!c)
    return;
  snprintf (path, sizeof path, "%s/c.skc", dir);
  CHECK_OK (skc_complex_save (c, path));
  text = test_read_file (path, NULL);
  CHECK (text && strstr (text, "\n0.5 -1.25 0.75\n") && strstr (text, "loss 0.125\n")
         && !strstr (text, "0,"), "saved .skc writes '.' under de_DE");
  free (text);
  CHECK_OK (skc_complex_load (path, &back, err, sizeof err));
  CHECK (back && back->taps[1].ox == 0.25f && back->loss == 0.125
         && strcmp (back->kernel_name, "disk@3.50px") == 0,
         ".skc round trip under de_DE (%s)", err);
  skc_complex_free (back);
  skc_complex_free (c);
}

/* Presets: a hand-written file's fractions load; a saved one writes '.'. */
static void
test_preset (void)
{
  const char *hand = "[Sparse Bokeh Preset]\nname=Iris\nshape=polygon\n"
                     "blades=7\ncurvature=0.35\nrotation=12.5\n";
  char        path[512];
  SkcPreset  *p = NULL, *q = NULL;
  char       *text;

  snprintf (path, sizeof path, "%s/iris.preset", dir);
  write_bytes (path, hand, strlen (hand));
  CHECK_OK (skc_preset_load (path, &p, NULL));
  CHECK (p && p->shape.curvature == 0.35f && p->shape.rotation_deg == 12.5f,
         "preset fractions load under de_DE");
  if (!p)
    return;
  p->shape.curvature = 0.625f;
  snprintf (path, sizeof path, "%s/saved.preset", dir);
  CHECK_OK (skc_preset_save (p, path));
  text = test_read_file (path, NULL);
  CHECK (text && strstr (text, "curvature=0.625") && strstr (text, "rotation=12.5"),
         "saved preset writes '.' under de_DE");
  free (text);
  CHECK_OK (skc_preset_load (path, &q, NULL));
  CHECK (q && q->shape.curvature == 0.625f && q->shape.rotation_deg == 12.5f,
         "preset round trip under de_DE");
  skc_preset_free (q);
  skc_preset_free (p);
}

/* Fit cache: a family's bases carry fractional sizes (family-size and the
 * basis name); stored under de_DE, they are found again, with '.' on disk. */
static void
test_cache (void)
{
  SkcCache      *cache = NULL;
  SkcShapeParams sp;
  SkcFitOptions  o;
  SkcFamily     *f1 = NULL, *f2 = NULL;
  char           cdir[300], key[SKC_CACHE_KEY_SIZE], path[700];
  int            hit = -1, same = 1;
  char          *text;

  snprintf (cdir, sizeof cdir, "%s/cache", dir);
  CHECK_OK (skc_cache_open (cdir, 0, &cache));
  if (!cache)
    return;
  skc_fit_options_init (&o);
  o.n_samples = 4;
  o.n_layers = 2;
  o.steps = 30;
  o.n_starts = 1;
  skc_shape_params_from_name ("disk", &sp);
  CHECK_OK (skc_cache_family_fit (cache, &sp, NULL, 3.5f, 7.0f, 2, &o, &f1, &hit));
  CHECK (f1 && hit == 0 && f1->sizes[0] == 3.5f
         && strcmp (f1->bases[0]->kernel_name, "disk@3.50px") == 0,
         "family basis named with '.' under de_DE ('%s')",
         f1 ? f1->bases[0]->kernel_name : "");
  CHECK_OK (skc_cache_family_fit (cache, &sp, NULL, 3.5f, 7.0f, 2, &o, &f2, &hit));
  CHECK (hit == 1, "family stored under de_DE is found again (hit %d)", hit);
  for (int k = 0; f1 && f2 && k < 2; k++)
    same = same && f1->sizes[k] == f2->sizes[k];
  CHECK (f2 && same, "cached family sizes read back exactly");
  CHECK_OK (skc_cache_family_key (&sp, NULL, 3.5f, 7.0f, 2, &o, key));
  snprintf (path, sizeof path, "%s/%s-0.skc", cdir, key);
  text = test_read_file (path, NULL);
  CHECK (text && strstr (text, "family-size 3.5\n")
         && strstr (text, "kernel disk@3.50px\n"),
         "cache entry %s writes '.' under de_DE", path);
  free (text);
  skc_family_free (f1);
  skc_family_free (f2);
  skc_cache_close (cache);
}

int
main (void)
{
  if (!test_make_dir ("test-locale", dir, sizeof dir))
    return test_finish ();

  if (!setlocale (LC_ALL, "de_DE.UTF-8") && !setlocale (LC_ALL, "de_DE.utf8"))
    {
      CHECK (0, "the de_DE.UTF-8 locale is not available: generate it "
             "(locale-gen de_DE.UTF-8; ./dev's root does) - this test "
             "does not skip");
      return test_finish ();
    }
  CHECK (de_locale_active (), "de_DE is active (printf writes a comma)");

  test_helpers ();
  test_pfm ();
  test_skc ();
  test_preset ();
  test_cache ();
  CHECK (de_locale_active (), "the process locale is still de_DE at the end");

  test_remove_dir (dir);
  return test_finish ();
}
