/* Tests of the .skc text format (core/skc-format.c).
 *
 * A random complex survives format -> parse and save -> load bit for bit,
 * also under a locale whose decimal point is a comma; every kind of
 * malformed input is rejected with SKC_ERR_FORMAT and a message naming the
 * right line; a seeded mutation fuzz of a valid file never crashes (run
 * under ASan to make that mean something: every mutated text lives in a
 * buffer of exactly its length) and always either parses or errors; saving
 * is atomic and leaves no temporary file behind.
 */
#define _GNU_SOURCE

#include "test-common.h"

#include <dirent.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static SkcComplex *
random_complex (uint64_t *rng)
{
  int         ns[4] = { 5, 17, 1, 24 };
  SkcComplex *c = NULL;
  int         total;

  if (skc_complex_new (4, ns, &c) != SKC_OK)
    return NULL;
  total = skc_complex_total_taps (c);
  for (int i = 0; i < total; i++)
    {
      SkcTap *t = c->taps + i;
      double  scale = pow (10.0, -6.0 + 9.0 * test_rand (rng));

      t->ox = (float) ((test_rand (rng) - 0.5) * 60.0);
      t->oy = (float) ((test_rand (rng) - 0.5) * 60.0);
      t->w = (float) ((test_rand (rng) - 0.3) * scale);
    }
  /* awkward values: extremes of the range, signed zero, subnormal */
  c->taps[0].ox = 4096.0f;
  c->taps[0].oy = -4096.0f;
  c->taps[1].w = -0.0f;
  c->taps[2].w = 1e-40f;
  c->taps[3].w = 3.4e38f;
  c->taps[4].ox = 1.0f / 3.0f;

  c->target_width = 49;
  c->target_height = 51;
  strcpy (c->method, "disk");
  strcpy (c->init, "ss");
  strcpy (c->kernel_name, "polygon 6 blades, rotation 15");
  c->steps = 1000;
  c->seed = UINT64_C (18446744073709551615);
  c->loss = 1.0 / 3.0 * 1e-5;
  c->kernel_psnr = 48.123456789012345;
  c->fit_seconds = 0.1 + 0.2;
  return c;
}

static int
same_float (float a,
            float b)
{
  return memcmp (&a, &b, sizeof a) == 0;
}

/* Compares everything; returns the number of differences. */
static int
compare_complex (const SkcComplex *a,
                 const SkcComplex *b)
{
  int diff = 0;

  if (a->n_layers != b->n_layers)
    return 1;
  for (int l = 0; l < a->n_layers; l++)
    if (a->n_samples[l] != b->n_samples[l])
      return 1;
  for (int i = 0; i < skc_complex_total_taps (a); i++)
    diff += !same_float (a->taps[i].ox, b->taps[i].ox)
            + !same_float (a->taps[i].oy, b->taps[i].oy)
            + !same_float (a->taps[i].w, b->taps[i].w);
  diff += a->target_width != b->target_width;
  diff += a->target_height != b->target_height;
  diff += strcmp (a->method, b->method) != 0;
  diff += strcmp (a->init, b->init) != 0;
  diff += strcmp (a->kernel_name, b->kernel_name) != 0;
  diff += a->steps != b->steps;
  diff += a->seed != b->seed;
  diff += a->loss != b->loss;
  diff += a->kernel_psnr != b->kernel_psnr;
  diff += a->fit_seconds != b->fit_seconds;
  return diff;
}

static void
test_round_trip (void)
{
  uint64_t    rng = 7;
  SkcComplex *c = random_complex (&rng);
  SkcComplex *back = NULL;
  char       *text = NULL, *text2 = NULL;
  char        err[256];

  CHECK (c != NULL, "skc_complex_new failed");
  if (!c)
    return;
  CHECK_OK (skc_complex_format (c, &text));
  CHECK (text && strncmp (text, "skc-complex 1\n", 14) == 0,
         "text starts with the magic line");
  CHECK_OK (skc_complex_parse (text, strlen (text), &back, err, sizeof err));
  CHECK (back && compare_complex (c, back) == 0,
         "round trip is exact (%d differences)",
         back ? compare_complex (c, back) : -1);
  if (back)
    {
      CHECK_OK (skc_complex_format (back, &text2));
      CHECK (text2 && strcmp (text, text2) == 0, "format is stable");
    }
  free (text2);
  skc_complex_free (back);
  back = NULL;

  /* The same under a comma-decimal locale, which must exist (./dev's root
   * generates de_DE.UTF-8; tests/test-locale.c covers the other formats). */
  if (setlocale (LC_ALL, "de_DE.UTF-8") || setlocale (LC_ALL, "de_DE.utf8"))
    {
      char *text3 = NULL;
      char  probe[32];

      snprintf (probe, sizeof probe, "%.1f", 0.5);
      CHECK (strcmp (probe, "0,5") == 0, "de_DE locale is active (%s)",
             probe);
      CHECK_OK (skc_complex_format (c, &text3));
      CHECK (text3 && strcmp (text, text3) == 0,
             "format does not depend on LC_NUMERIC");
      CHECK_OK (skc_complex_parse (text, strlen (text), &back, err,
                                   sizeof err));
      CHECK (back && compare_complex (c, back) == 0,
             "parse does not depend on LC_NUMERIC");
      snprintf (probe, sizeof probe, "%.1f", 0.5);
      CHECK (strcmp (probe, "0,5") == 0, "the locale is restored (%s)",
             probe);
      skc_complex_free (back);
      back = NULL;
      free (text3);
      setlocale (LC_ALL, "C");
    }
  else
    CHECK (0, "the de_DE.UTF-8 locale is not available (locale-gen "
           "de_DE.UTF-8): the locale case does not skip");

  /* A minimal file: no metadata at all reads as zeros. */
  {
    const char *min = "skc-complex 1\nlayer 1\n0 0 1\n";

    CHECK_OK (skc_complex_parse (min, strlen (min), &back, err, sizeof err));
    CHECK (back && back->n_layers == 1 && back->n_samples[0] == 1
           && back->taps[0].w == 1.0f && back->steps == 0
           && back->method[0] == '\0' && back->loss == 0.0,
           "minimal file");
    skc_complex_free (back);
    back = NULL;
  }

  /* Comments, blank lines, CRLF, unknown keys, blanks in the kernel name,
   * metadata between layers, no final newline. */
  {
    const char *lax =
      "skc-complex 1\r\n"
      "# a comment\r\n"
      "\r\n"
      "   \t  \n"
      "future-key some value # trailing comment\n"
      "kernel   my  heart\tshape   # comment\n"
      "layer 2   # two taps\n"
      "  1.5 -2  0.25  # first\n"
      "# between taps\n"
      "\n"
      "-1e-3\t+2.5E+1 .5\n"
      "steps 300\n"
      "layer 1\n"
      "0 0 -1.";

    CHECK_OK (skc_complex_parse (lax, strlen (lax), &back, err, sizeof err));
    CHECK (back != NULL, "lax file parses: %s", err);
    if (back)
      {
        CHECK (back->n_layers == 2 && back->n_samples[0] == 2
               && back->n_samples[1] == 1, "lax layers");
        CHECK (back->taps[0].ox == 1.5f && back->taps[0].oy == -2.0f
               && back->taps[0].w == 0.25f && back->taps[1].ox == -1e-3f
               && back->taps[1].oy == 25.0f && back->taps[1].w == 0.5f
               && back->taps[2].w == -1.0f, "lax taps");
        /* control characters (the tab) read as '_', as they are written */
        CHECK (strcmp (back->kernel_name, "my  heart_shape") == 0,
               "kernel name is the rest of the line: '%s'",
               back->kernel_name);
        CHECK (back->steps == 300, "steps between layers");
      }
    skc_complex_free (back);
    back = NULL;
  }

  /* Strings that cannot be written as they are get sanitised, not
   * silently produce an unreadable file. */
  {
    char *t = NULL;

    strcpy (c->method, "a b#c");
    strcpy (c->kernel_name, "  line\nbreak # x  ");
    CHECK_OK (skc_complex_format (c, &t));
    CHECK_OK (skc_complex_parse (t, t ? strlen (t) : 0, &back, err,
                                 sizeof err));
    CHECK (back && strcmp (back->method, "a_b_c") == 0
           && strcmp (back->kernel_name, "line_break _ x") == 0,
           "sanitised strings: '%s' '%s'", back ? back->method : "",
           back ? back->kernel_name : "");
    skc_complex_free (back);
    back = NULL;
    free (t);
  }

  /* Complexes that cannot be written are refused. */
  {
    char *t = (char *) 1;

    c->taps[5].w = NAN;
    CHECK (skc_complex_format (c, &t) == SKC_ERR_INVALID && t == NULL,
           "NaN weight is refused");
    c->taps[5].w = 1.0f;
    c->taps[5].oy = 4097.0f;
    CHECK (skc_complex_format (c, &t) == SKC_ERR_INVALID,
           "offset beyond 4096 is refused");
    c->taps[5].oy = 0.0f;
    CHECK (skc_complex_format (NULL, &t) == SKC_ERR_INVALID, "NULL complex");
    CHECK (skc_complex_format (c, NULL) == SKC_ERR_INVALID, "NULL out");
  }

  free (text);
  skc_complex_free (c);
}

typedef struct
{
  const char *text;
  int         line;
  const char *needle;
} BadCase;

static void
check_bad (const char *text,
           size_t      length,
           int         line,
           const char *needle,
           const char *label)
{
  SkcComplex *c = (SkcComplex *) 1;
  char        err[256] = "untouched";
  char        prefix[32];
  SkcStatus   st;

  st = skc_complex_parse (text, length, &c, err, sizeof err);
  snprintf (prefix, sizeof prefix, "line %d: ", line);
  CHECK (st == SKC_ERR_FORMAT && c == NULL,
         "%s: status %s", label, skc_status_string (st));
  CHECK (strncmp (err, prefix, strlen (prefix)) == 0
         && strstr (err, needle) != NULL,
         "%s: message '%s' (want '%s...%s')", label, err, prefix, needle);
  if (st == SKC_OK)
    skc_complex_free (c);
}

static void
test_malformed (void)
{
#define HDR "skc-complex 1\n"
  static const BadCase cases[] = {
    { "", 1, "not an .skc file" },
    { "hello\n", 1, "not an .skc file" },
    { "skc-complex\n", 1, "not an .skc file" },
    { "skc-complex 1 \nlayer 1\n0 0 1\n", 1, "not an .skc file" },
    { "skc-complex 2\nlayer 1\n0 0 1\n", 1, "unsupported version 2" },
    { "skc-complex 10\n", 1, "unsupported version 10" },
    { HDR, 1, "no layers" },
    { HDR "steps 3\n# only metadata\n", 3, "no layers" },
    { HDR "# c\nlayer 2\n1 2 3\n1.0 2.0\n", 5,
      "expected 3 numbers 'ox oy w', got 2" },
    { HDR "layer 1\n7\n", 3, "expected 3 numbers 'ox oy w', got 1" },
    { HDR "layer 1\nnan 0 1\n", 3, "non-finite" },
    { HDR "layer 1\n0 -inf 1\n", 3, "non-finite" },
    { HDR "layer 1\n0 0 Infinity\n", 3, "non-finite" },
    { HDR "layer 1\n0 0 1e999\n", 3, "non-finite" },
    { HDR "layer 1\n0 0 1e39\n", 3, "non-finite" },
    { HDR "layer 1\n0x1p3 0 1\n", 3, "not a number" },
    { HDR "layer 1\ninit 0 1\n", 3, "not a number" },
    { HDR "layer 1\n0 NaN(123) 1\n", 3, "non-finite" },
    { HDR "layer 1\n1 2 3 4\n", 3, "trailing garbage" },
    { HDR "layer 1\n1 2 3x\n", 3, "not a number" },
    { HDR "layer 1\n1 2 3,5\n", 3, "not a number" },
    { HDR "layer 1\n1 2 .\n", 3, "not a number" },
    { HDR "layer 1\n1 2 1e\n", 3, "not a number" },
    { HDR "layer 1\n1 2 --1\n", 3, "not a number" },
    { HDR "\nlayer 3\n1 2 3\n\n1 2 3\n", 3, "only 2 of its 3 taps" },
    { HDR "layer 2\n1 2 3\nlayer 1\n0 0 1\n", 4, "expected 3 numbers" },
    { HDR "layer 1\n0 0 1\n1 2 3\n", 4, "beyond the 1 taps of layer 1" },
    { HDR "0 0 1\nlayer 1\n0 0 1\n", 2, "before the first 'layer N'" },
    { HDR "layer 1\n0 0 1\nnan 0 1\n", 4, "tap line beyond" },
    { HDR "layer 1\n0 0 1\n=x 1\n", 4, "not a key" },
    { HDR "layer 1\n0 0 1\nsteps: 1\n", 4, "not a key" },
    { HDR "layer 0\n", 2, "out of range 1..256" },
    { HDR "layer 257\n", 2, "out of range 1..256" },
    { HDR "layer -1\n", 2, "out of range" },
    { HDR "layer 99999999999999999999999\n", 2, "out of range" },
    { HDR "layer x\n", 2, "not an integer" },
    { HDR "layer 1.5\n", 2, "not an integer" },
    { HDR "layer 2 3\n0 0 1\n0 0 1\n", 2, "trailing garbage" },
    { HDR "layer\n", 2, "has no value" },
    { HDR "layer 1\n4096.5 0 1\n", 3, "out of range" },
    { HDR "layer 1\n0 -5000 1\n", 3, "out of range" },
    { HDR "steps\nlayer 1\n0 0 1\n", 2, "'steps' has no value" },
    { HDR "steps   # none\nlayer 1\n0 0 1\n", 2, "has no value" },
    { HDR "future-key\nlayer 1\n0 0 1\n", 2, "has no value" },
    { HDR "steps -3\nlayer 1\n0 0 1\n", 2, "out of range" },
    { HDR "steps 1.5\nlayer 1\n0 0 1\n", 2, "not a number" },
    { HDR "steps 3000000000\nlayer 1\n0 0 1\n", 2, "out of range" },
    { HDR "target-width 70000\nlayer 1\n0 0 1\n", 2, "out of range" },
    { HDR "seed 18446744073709551616\nlayer 1\n0 0 1\n", 2, "out of range" },
    { HDR "loss nan\nlayer 1\n0 0 1\n", 2, "non-finite" },
    { HDR "fit-seconds 1 s\nlayer 1\n0 0 1\n", 2, "trailing garbage" },
    { HDR "method abcdefghijklmnopq\nlayer 1\n0 0 1\n", 2, "longer than" },
    { HDR "method disk pst\nlayer 1\n0 0 1\n", 2, "trailing garbage" },
    { HDR "steps 3\nlayer 1\n0 0 1\nsteps 4\n", 5, "duplicate" },
  };
  char *buf;
  size_t n;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      char label[64];

      snprintf (label, sizeof label, "bad case %zu", i);
      check_bad (cases[i].text, strlen (cases[i].text), cases[i].line,
                 cases[i].needle, label);
    }

  /* 17 layers */
  buf = malloc (4096);
  n = (size_t) sprintf (buf, HDR);
  for (int l = 0; l < 17; l++)
    n += (size_t) sprintf (buf + n, "layer 1\n0 0 1\n");
  check_bad (buf, n, 2 + 2 * 16, "more than 16 layers", "17 layers");

  /* a kernel name over 127 characters */
  n = (size_t) sprintf (buf, HDR "kernel ");
  memset (buf + n, 'k', 128);
  n += 128;
  n += (size_t) sprintf (buf + n, "\nlayer 1\n0 0 1\n");
  check_bad (buf, n, 2, "longer than 127", "long kernel name");
  free (buf);

  /* Over-long lines: 4096 characters are fine, 4097 are not, even in a
   * comment. */
  {
    size_t len = 14 + 4097 + 1 + 14;

    buf = malloc (len);
    memcpy (buf, HDR, 14);
    buf[14] = '#';
    memset (buf + 15, 'x', 4095);
    memcpy (buf + 14 + 4096, "\nlayer 1\n0 0 1\n", 15);
    {
      SkcComplex *c = NULL;
      char        err[256];

      CHECK_OK (skc_complex_parse (buf, 14 + 4096 + 15, &c, err, sizeof err));
      skc_complex_free (c);
    }
    buf[14 + 4096] = 'x';
    memcpy (buf + 14 + 4097, "\nlayer 1\n0 0 1\n", 14);
    check_bad (buf, len - 1, 2, "too long", "4097-character line");
    free (buf);
  }

  /* Embedded NUL, in a tap line and in a comment. */
  {
    static const char t1[] = HDR "layer 1\n0 0\0 1\n";
    static const char t2[] = HDR "layer 1\n0 0 1 # c\0mment\n";

    check_bad (t1, sizeof t1 - 1, 3, "NUL", "NUL in a tap line");
    check_bad (t2, sizeof t2 - 1, 3, "NUL", "NUL in a comment");
  }

  /* A tiny error buffer still gets a terminated (truncated) message, and a
   * NULL one is allowed. */
  {
    SkcComplex *c = NULL;
    char        tiny[8];

    CHECK (skc_complex_parse ("x", 1, &c, tiny, sizeof tiny)
           == SKC_ERR_FORMAT && strcmp (tiny, "line 1:") == 0,
           "truncated message '%s'", tiny);
    CHECK (skc_complex_parse ("x", 1, &c, NULL, 0) == SKC_ERR_FORMAT,
           "NULL error buffer");
    CHECK (skc_complex_parse (NULL, 5, &c, NULL, 0) == SKC_ERR_INVALID,
           "NULL text");
    CHECK (skc_complex_parse ("x", 1, NULL, NULL, 0) == SKC_ERR_INVALID,
           "NULL out");
  }
#undef HDR
}

#ifndef FUZZ_ITERATIONS
#define FUZZ_ITERATIONS 20000
#endif
#ifndef FUZZ_SEED
#define FUZZ_SEED 12345
#endif

static uint64_t
rand_below (uint64_t *rng,
            uint64_t  n)
{
  return (uint64_t) (test_rand (rng) * (double) n) % (n ? n : 1);
}

static void
test_fuzz (void)
{
  static const char alphabet[] = "0123456789.-+eE \t\n\r#\0xlayernfi";
  uint64_t    rng = FUZZ_SEED;
  SkcComplex *c;
  char       *valid = NULL;
  size_t      vlen;
  int         n_ok = 0, n_err = 0, bad = 0;

  {
    int ns[3] = { 3, 2, 4 };

    if (skc_complex_new (3, ns, &c) != SKC_OK)
      {
        CHECK (0, "skc_complex_new");
        return;
      }
    for (int i = 0; i < 9; i++)
      {
        c->taps[i].ox = (float) (test_rand (&rng) * 20 - 10);
        c->taps[i].oy = (float) (test_rand (&rng) * 20 - 10);
        c->taps[i].w = (float) test_rand (&rng);
      }
    strcpy (c->method, "disk");
    strcpy (c->kernel_name, "heart");
    c->steps = 10;
    CHECK_OK (skc_complex_format (c, &valid));
    skc_complex_free (c);
    if (!valid)
      return;
    vlen = strlen (valid);
  }

  for (int iter = 0; iter < FUZZ_ITERATIONS; iter++)
    {
      size_t      cap = vlen + 64;
      char       *work = malloc (cap);
      size_t      len = vlen;
      int         n_mut = 1 + (int) rand_below (&rng, 4);
      char       *exact;
      char        err[128];
      SkcComplex *out = NULL;
      SkcStatus   st;

      memcpy (work, valid, vlen);
      for (int m = 0; m < n_mut; m++)
        {
          size_t pos = len ? rand_below (&rng, len) : 0;
          char   ch = test_rand (&rng) < 0.5
                      ? alphabet[rand_below (&rng, sizeof alphabet - 1)]
                      : (char) rand_below (&rng, 256);

          switch (rand_below (&rng, 5))
            {
            case 0:  /* replace a byte */
              if (len)
                work[pos] = ch;
              break;
            case 1:  /* truncate */
              len = pos;
              break;
            case 2:  /* insert a byte */
              if (len < cap)
                {
                  memmove (work + pos + 1, work + pos, len - pos);
                  work[pos] = ch;
                  len++;
                }
              break;
            case 3:  /* delete a byte */
              if (len)
                {
                  memmove (work + pos, work + pos + 1, len - pos - 1);
                  len--;
                }
              break;
            default: /* flip a bit */
              if (len)
                work[pos] ^= (char) (1 << rand_below (&rng, 8));
              break;
            }
        }
      /* exactly len bytes, so that ASan sees any over-read */
      exact = malloc (len ? len : 1);
      memcpy (exact, work, len);
      free (work);

      err[0] = '\0';
      st = skc_complex_parse (exact, len, &out, err, sizeof err);
      if (st == SKC_OK && out)
        {
          char       *again = NULL;
          SkcComplex *out2 = NULL;

          /* whatever parses formats and parses back to the same */
          if (skc_complex_format (out, &again) != SKC_OK
              || skc_complex_parse (again, strlen (again), &out2, err,
                                    sizeof err) != SKC_OK
              || compare_complex (out, out2) != 0)
            {
              if (bad++ < 5)
                fprintf (stderr, "fuzz %d: parsed but does not round "
                         "trip: %s\n", iter, err);
            }
          free (again);
          skc_complex_free (out2);
          skc_complex_free (out);
          n_ok++;
        }
      else if (st == SKC_ERR_FORMAT && out == NULL
               && strncmp (err, "line ", 5) == 0)
        n_err++;
      else if (bad++ < 5)
        fprintf (stderr, "fuzz %d: status %s, message '%s'\n", iter,
                 skc_status_string (st), err);
      free (exact);
    }
  printf ("fuzz: %d parsed, %d rejected\n", n_ok, n_err);
  CHECK (bad == 0, "fuzz: %d bad outcomes", bad);
  CHECK (n_ok > 100 && n_err > 100, "fuzz exercises both outcomes");
  free (valid);
}

/* Names in @dir other than "." and "..", or -1. */
static int
count_entries (const char *dir)
{
  DIR           *d = opendir (dir);
  struct dirent *e;
  int            n = 0;

  if (!d)
    return -1;
  while ((e = readdir (d)))
    if (strcmp (e->d_name, ".") && strcmp (e->d_name, ".."))
      n++;
  closedir (d);
  return n;
}

static void
test_files (void)
{
  char        dir[] = "/tmp/skc-test-format-XXXXXX";
  char        path[512], bad_path[600];
  uint64_t    rng = 99;
  SkcComplex *c, *back = NULL;
  char        err[512];
  SkcStatus   st;

  st = skc_complex_load ("/nonexistent/dir/none.skc", &back, err, sizeof err);
  CHECK (st == SKC_ERR_IO && back == NULL, "missing file: %s",
         skc_status_string (st));
  CHECK (strstr (err, "none.skc") != NULL, "message names the file: %s", err);

  if (!mkdtemp (dir))
    {
      CHECK (0, "mkdtemp");
      return;
    }
  snprintf (path, sizeof path, "%s/fit.skc", dir);
  c = random_complex (&rng);
  if (!c)
    return;

  CHECK_OK (skc_complex_save (c, path));
  CHECK (count_entries (dir) == 1, "one file after save, %d entries",
         count_entries (dir));
  CHECK_OK (skc_complex_load (path, &back, err, sizeof err));
  CHECK (back && compare_complex (c, back) == 0, "save/load is exact");
  skc_complex_free (back);
  back = NULL;

  /* overwrite: the new content replaces the old one, nothing left over */
  c->steps = 4242;
  CHECK_OK (skc_complex_save (c, path));
  CHECK (count_entries (dir) == 1, "one file after overwrite");
  CHECK_OK (skc_complex_load (path, &back, err, sizeof err));
  CHECK (back && back->steps == 4242, "overwrite took effect");
  skc_complex_free (back);
  back = NULL;

  /* a complex that cannot be written leaves the old file alone */
  c->taps[0].w = INFINITY;
  CHECK (skc_complex_save (c, path) == SKC_ERR_INVALID, "invalid complex");
  c->taps[0].w = 1.0f;
  CHECK_OK (skc_complex_load (path, &back, err, sizeof err));
  CHECK (back && back->steps == 4242 && count_entries (dir) == 1,
         "the old file is intact");
  skc_complex_free (back);
  back = NULL;

  /* a directory that does not exist: an I/O error, nothing created */
  snprintf (bad_path, sizeof bad_path, "%s/missing/fit.skc", dir);
  CHECK (skc_complex_save (c, bad_path) == SKC_ERR_IO, "save into nowhere");
  CHECK (count_entries (dir) == 1, "nothing left behind");

  /* a parse error through load reports the line */
  {
    FILE *fp = fopen (path, "w");

    if (fp)
      {
        fputs ("skc-complex 1\nlayer 2\n0 0 1\n", fp);
        fclose (fp);
      }
    st = skc_complex_load (path, &back, err, sizeof err);
    CHECK (st == SKC_ERR_FORMAT && back == NULL
           && strncmp (err, "line 2: ", 8) == 0, "load of a bad file: %s",
           err);
  }

  unlink (path);
  rmdir (dir);
  skc_complex_free (c);
}

/* Every detail code has a template of its own whose places all fill in
 * (a "{" left over is a place the renderer does not know), and a parse
 * error's detail carries its line and words: what the plug-ins translate
 * and fill in themselves. */
static void
test_details (void)
{
  static const char dup[] = "skc-complex 1\nlayer 1\n0 0 1\nsteps 1\nsteps 2\n";
  SkcDetail   d;
  SkcComplex *c = NULL;
  char        buf[512];

  memset (&d, 0, sizeof d);
  d.name = "k.png";
  d.line = 7;
  d.n[0] = 2;
  d.x[0] = 0.125;
  strcpy (d.word, "w");
  strcpy (d.word2, "v");
  for (int code = 1; code < SKC_DETAIL_COUNT; code++)
    {
      const char *t = skc_detail_template ((SkcDetailCode) code);

      CHECK (t && t != skc_detail_template (SKC_DETAIL_NONE) && *t,
             "detail code %d has no template", code);
      for (int other = 1; other < code; other++)
        CHECK (strcmp (t, skc_detail_template ((SkcDetailCode) other)) != 0,
               "detail codes %d and %d share a template (one msgid)", other,
               code);
      skc_detail_render (t, &d, "E", buf, sizeof buf);
      CHECK (!strchr (buf, '{') && !strchr (buf, '}'),
             "detail code %d leaves a place unfilled: %s", code, buf);
    }
  d.code = SKC_DETAIL_COMPLEX_GAIN;
  d.x[0] = 0.123456;
  d.x[1] = 0.25;
  d.x[2] = 4;
  skc_detail_render ("{x0:3} {x1}..{x2} {s0} {n0}", &d, NULL, buf, sizeof buf);
  CHECK (strcmp (buf, "0.123 0.25..4 s 2") == 0, "places rendered: '%s'", buf);
  CHECK (skc_complex_parse_detail (dup, strlen (dup), &c, &d)
         == SKC_ERR_FORMAT && !c && d.status == SKC_ERR_FORMAT
         && d.code == SKC_DETAIL_SKC_DUPLICATE && d.line == 5
         && strcmp (d.word, "steps") == 0,
         "duplicate key: code %d, line %d, word '%s'", (int) d.code, d.line,
         d.word);
}

int
main (void)
{
  test_details ();
  test_round_trip ();
  test_malformed ();
  test_fuzz ();
  test_files ();
  return test_finish ();
}
