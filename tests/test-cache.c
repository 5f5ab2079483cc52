/* The fit cache: misses fit and store, hits return the same complex bit for
 * bit, other settings miss, and corrupt, truncated, foreign and stale
 * entries are refitted (and replaced), never trusted.  The folder stays
 * within its byte budget.  Two processes fitting the same key at once fit
 * at most once each (every later call is a hit), and a reader never sees a
 * torn entry while another process rewrites it: every lookup during 200
 * back-to-back stores is a whole, valid entry (a torn read would
 * be dropped and refitted in silence, so the lookups are counted, not only
 * their results).
 */
#include "test-common.h"
#include "skc-cache.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[256];

static SkcKernel *
small_kernel (const char *name)
{
  SkcShapeParams p;
  SkcKernel     *k = NULL;

  skc_shape_params_from_name (name, &p);
  p.side_px = 15;
  skc_shape_render (&p, &k);
  return k;
}

static void
options (SkcFitOptions *o)
{
  skc_fit_options_init (o);
  o->n_samples = 6;
  o->n_layers = 2;
  o->steps = 60;
  o->n_starts = 1;
  o->n_threads = 1;
}

static int
same_taps (const SkcComplex *a, const SkcComplex *b)
{
  return a->n_layers == b->n_layers
         && memcmp (a->taps, b->taps,
                    skc_complex_total_taps (a) * sizeof (SkcTap)) == 0;
}

static char *
entry_file (SkcCache *c, const SkcKernel *k, const SkcFitOptions *o)
{
  char        key[SKC_CACHE_KEY_SIZE];
  static char path[512];

  skc_cache_key (k, o, "disk", key);
  snprintf (path, sizeof path, "%s/%s.skc", skc_cache_dir (c), key);
  return path;
}

static void
rewrite (const char *path, const char *from, const char *to, long truncate_at)
{
  FILE *f = fopen (path, "rb");
  char  buf[65536];
  size_t n = f ? fread (buf, 1, sizeof buf - 1, f) : 0;
  char *p;

  if (f)
    fclose (f);
  buf[n] = 0;
  if (from && (p = strstr (buf, from)))
    memcpy (p, to, strlen (to));
  if (truncate_at >= 0 && (size_t) truncate_at < n)
    n = (size_t) truncate_at;
  f = fopen (path, "wb");
  fwrite (buf, 1, n, f);
  fclose (f);
}

int
main (void)
{
  SkcCache     *c = NULL;
  SkcKernel    *k = small_kernel ("heart"), *k2 = small_kernel ("star");
  SkcFitOptions o, o2;
  SkcComplex   *a = NULL, *b = NULL;
  int           hit = -1;
  char          key1[SKC_CACHE_KEY_SIZE], key2[SKC_CACHE_KEY_SIZE];

  snprintf (dir, sizeof dir, "/tmp/skc-cache-test-XXXXXX");
  CHECK (mkdtemp (dir) != NULL, "temp dir");
  CHECK_OK (skc_cache_open (dir, 0, &c));
  options (&o);

  /* keys: stable, and every result-changing option changes them */
  skc_cache_key (k, &o, "disk", key1);
  skc_cache_key (k, &o, "disk", key2);
  CHECK (strcmp (key1, key2) == 0 && strlen (key1) == 64, "key is stable");
  o2 = o;
  o2.n_threads = 2;
  skc_cache_key (k, &o2, "disk", key2);
  CHECK (strcmp (key1, key2) == 0, "thread count does not change the key");
  o2 = o;
  o2.seed = 2;
  skc_cache_key (k, &o2, "disk", key2);
  CHECK (strcmp (key1, key2) != 0, "seed changes the key");
  o2 = o;
  o2.loss_scales = 1;
  skc_cache_key (k, &o2, "disk", key2);
  CHECK (strcmp (key1, key2) != 0, "loss scales change the key");
  skc_cache_key (k2, &o, "disk", key2);
  CHECK (strcmp (key1, key2) != 0, "kernel changes the key");
  skc_cache_key (k, &o, "pst", key2);
  CHECK (strcmp (key1, key2) != 0, "method changes the key");

  /* miss, then hit with the same taps */
  CHECK_OK (skc_cache_fit (c, k, &o, &a, &hit));
  CHECK (hit == 0, "first fit is a miss");
  CHECK_OK (skc_cache_fit (c, k, &o, &b, &hit));
  CHECK (hit == 1, "second fit is a hit");
  CHECK (b && same_taps (a, b), "hit returns the same complex");
  skc_complex_free (b);

  /* corrupt: change one digit of a tap; truncated; foreign key */
  {
    char        path[512];
    const char *cases[] = { "digit", "truncate", "foreign", "garbage" };

    snprintf (path, sizeof path, "%s", entry_file (c, k, &o));

    for (int i = 0; i < 4; i++)
      {
        if (i == 0)
          {
            /* flip the first digit after the layer line */
            FILE  *f = fopen (path, "rb");
            char   buf[65536];
            size_t n = fread (buf, 1, sizeof buf - 1, f);
            char  *p;

            fclose (f);
            buf[n] = 0;
            p = strstr (buf, "\nlayer ");
            p = p ? strchr (p + 1, '\n') : NULL;
            while (p && *p && (*p < '1' || *p > '8'))
              p++;
            if (p && *p)
              (*p)++;
            f = fopen (path, "wb");
            fwrite (buf, 1, n, f);
            fclose (f);
          }
        else if (i == 1)
          rewrite (path, NULL, NULL, 200);
        else if (i == 2)
          {
            /* another key's (valid) entry under this name */
            SkcComplex *x = NULL;
            skc_cache_fit (c, k2, &o, &x, &hit);
            skc_complex_free (x);
            rename (entry_file (c, k2, &o), path);
          }
        else
          rewrite (path, "skc-complex 1", "skc-complex 9", -1);
        b = NULL;
        CHECK_OK (skc_cache_fit (c, k, &o, &b, &hit));
        CHECK (hit == 0, "%s entry is refitted, not trusted", cases[i]);
        CHECK (b && same_taps (a, b), "%s entry: the refit equals the original", cases[i]);
        skc_complex_free (b);
        b = NULL;
        CHECK_OK (skc_cache_fit (c, k, &o, &b, &hit));
        CHECK (hit == 1, "%s entry was replaced by a good one", cases[i]);
        skc_complex_free (b);
      }
  }

  /* size bound: a tiny budget keeps the folder small */
  {
    SkcCache *tiny = NULL;
    char      tdir[300];
    int       count = 0;
    FILE     *ls;
    char      cmd[400], line[512];

    snprintf (tdir, sizeof tdir, "%s/tiny", dir);
    CHECK_OK (skc_cache_open (tdir, 6000, &tiny));
    for (int s = 0; s < 8; s++)
      {
        SkcComplex *x = NULL;
        o2 = o;
        o2.seed = 100 + s;
        skc_cache_fit (tiny, k, &o2, &x, &hit);
        skc_complex_free (x);
      }
    snprintf (cmd, sizeof cmd, "du -sb %s", tdir);
    ls = popen (cmd, "r");
    if (ls && fgets (line, sizeof line, ls))
      count = atoi (line);
    if (ls)
      pclose (ls);
    CHECK (count > 0 && count <= 6000 + 4096, "folder within budget: %d bytes", count);
    skc_cache_close (tiny);
  }

  /* two processes, same key, at once: both get a valid complex, and each
   * fits at most once (its first call); every later call is a hit */
  {
    SkcFitOptions o3 = o;
    pid_t         pid[2];
    int           good = 0;

    o3.seed = 777;
    for (int i = 0; i < 2; i++)
      if ((pid[i] = fork ()) == 0)
        {
          SkcCache   *cc = NULL;
          SkcComplex *x = NULL;
          int         ok = 1, misses = 0, h = 0;

          skc_cache_open (dir, 0, &cc);
          for (int r = 0; r < 20 && ok; r++)
            {
              ok = skc_cache_fit (cc, k, &o3, &x, &h) == SKC_OK && x
                   && skc_complex_total_taps (x) == 12;
              misses += !h;
              ok = ok && (h || r == 0);
              skc_complex_free (x);
              x = NULL;
            }
          _exit (ok ? 0 : 1 + misses);
        }
    for (int i = 0; i < 2; i++)
      {
        int st = 0;
        waitpid (pid[i], &st, 0);
        good += WIFEXITED (st) && WEXITSTATUS (st) == 0;
        if (!(WIFEXITED (st) && WEXITSTATUS (st) == 0))
          fprintf (stderr, "process %d: exit %d (1 + its misses)\n", i,
                   WIFEXITED (st) ? WEXITSTATUS (st) : -1);
      }
    CHECK (good == 2, "two processes sharing the cache: %d of 2 fitted once "
           "and then only hit", good);
  }

  /* a writer rewriting one entry back to back while a reader looks at it:
   * the reader's own raw reads (many, fast) always find the very bytes of
   * the whole entry, and the core's lookups always a valid entry (a torn
   * one would be dropped and refitted in silence, so they are counted).  A
   * big complex (4 x 256 taps, about 40 KB) makes a torn write easy to
   * catch.  Counts, not time, end it: the reader goes on until it has made
   * READER_LOOKUPS lookups and the writer has made WRITER_STORES stores
   * since the reader began, whatever the speed (a sanitized build is 3-10x
   * slower), then tells the writer to stop; a cap on the reader's rounds
   * turns a writer that never stores into a failure, never a hang. */
  {
    enum { READER_LOOKUPS = 200, WRITER_STORES = 200, READS_PER_LOOKUP = 50,
           ROUND_CAP = 200000 };
    SkcFitOptions o4 = o;
    SkcComplex   *big = NULL;
    char          bkey[SKC_CACHE_KEY_SIZE], *whole = NULL, *buf = NULL;
    char          bpath[600];
    size_t        whole_len = 0;
    uint64_t      rng = 99;
    pid_t         writer;
    long          lookups = 0, reads = 0, torn = 0, torn_raw = 0, missing = 0;
    long          rounds = 0, stores_at_start, stores_seen = 0;
    int           st = 0;
    /* shared with the writer: its store count and the reader's stop flag */
    struct shared { _Atomic long stores; _Atomic int stop; } *sh;

    sh = mmap (NULL, sizeof *sh, PROT_READ | PROT_WRITE,
               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK (sh != MAP_FAILED, "mmap of the shared counters failed");
    atomic_store (&sh->stores, 0);
    atomic_store (&sh->stop, 0);
    o4.n_samples = 256;
    o4.n_layers = 4;
    o4.seed = 4242;
    CHECK_OK (skc_complex_new_uniform (4, 256, &big));
    for (int i = 0; big && i < 4 * 256; i++)
      {
        big->taps[i].ox = (float) (20 * test_rand (&rng) - 10);
        big->taps[i].oy = (float) (20 * test_rand (&rng) - 10);
        big->taps[i].w = (float) (1.0 / 256 + 1e-4 * (test_rand (&rng) - 0.5));
      }
    CHECK_OK (skc_cache_key (k, &o4, "disk", bkey));
    CHECK_OK (skc_cache_store (c, bkey, big));
    snprintf (bpath, sizeof bpath, "%s/%s.skc", skc_cache_dir (c), bkey);
    CHECK_OK (skc_file_read (bpath, 1 << 20, 1, &whole, &whole_len));
    buf = malloc (whole_len + 1);
    fflush (stdout);
    if ((writer = fork ()) == 0)
      {
        SkcCache *cw = NULL;
        long      failed = 0;

        skc_cache_open (dir, 0, &cw);
        while (!atomic_load (&sh->stop) && failed < 100)
          {
            if (skc_cache_store (cw, bkey, big) == SKC_OK)
              atomic_fetch_add (&sh->stores, 1);
            else
              failed++;
          }
        skc_cache_close (cw);
        _exit (failed < 100 ? 0 : 1);
      }
    /* the writer's first store starts the count */
    while (atomic_load (&sh->stores) == 0 && rounds++ < ROUND_CAP)
      {
        if (waitpid (writer, &st, WNOHANG) == writer)
          {
            writer = 0;
            break;
          }
        usleep (100);
      }
    stores_at_start = atomic_load (&sh->stores);
    for (rounds = 0; writer > 0 && whole && buf && rounds < ROUND_CAP; rounds++)
      {
        SkcComplex *x = NULL;
        SkcStatus   ls;

        stores_seen = atomic_load (&sh->stores) - stores_at_start;
        if (lookups >= READER_LOOKUPS && stores_seen >= WRITER_STORES)
          break;
        if (waitpid (writer, &st, WNOHANG) == writer)
          {
            writer = 0;
            break;
          }
        ls = skc_cache_lookup (c, bkey, &o4, &x);
        lookups++;
        torn += ls == SKC_ERR_FORMAT || (ls == SKC_OK && !same_taps (x, big));
        missing += ls != SKC_OK && ls != SKC_ERR_FORMAT;
        if (ls != SKC_OK)   /* put it back for the next reads */
          skc_cache_store (c, bkey, big);
        skc_complex_free (x);
        for (int r = 0; r < READS_PER_LOOKUP; r++, reads++)
          {
            FILE  *f = fopen (bpath, "rb");
            size_t n = f ? fread (buf, 1, whole_len + 1, f) : 0;

            if (f)
              fclose (f);
            torn_raw += n != whole_len || memcmp (buf, whole, whole_len) != 0;
          }
      }
    atomic_store (&sh->stop, 1);
    if (writer > 0)
      waitpid (writer, &st, 0);
    printf ("entry rewritten %ld times while read: %ld lookups (%ld torn, "
            "%ld missing), %ld raw reads (%ld torn or missing)\n",
            stores_seen, lookups, torn, missing, reads, torn_raw);
    CHECK (WIFEXITED (st) && WEXITSTATUS (st) == 0,
           "the writer failed to store (or died)");
    CHECK (lookups >= READER_LOOKUPS && stores_seen >= WRITER_STORES,
           "only %ld lookups and %ld stores overlapped (wanted %d and %d) "
           "in %ld rounds", lookups, stores_seen, READER_LOOKUPS,
           WRITER_STORES, rounds);
    CHECK (torn == 0 && missing == 0,
           "the core's lookup saw %ld torn and %ld missing entries in %ld "
           "while another process rewrote it", torn, missing, lookups);
    CHECK (torn_raw == 0, "%ld of %ld raw reads saw a torn or missing entry "
           "while another process rewrote it", torn_raw, reads);
    free (whole);
    free (buf);
    skc_complex_free (big);
    munmap (sh, sizeof *sh);
  }

  /* families: miss, hit with identical bases, a corrupt basis refits all */
  {
    SkcShapeParams sp;
    SkcFamily     *f1 = NULL, *f2 = NULL;
    char           fkey[SKC_CACHE_KEY_SIZE], path[600];
    int            same = 1;

    skc_shape_params_from_name ("star", &sp);
    CHECK_OK (skc_cache_family_fit (c, &sp, NULL, 5.0f, 15.0f, 3, &o, &f1, &hit));
    CHECK (hit == 0 && f1 && f1->n_bases == 3, "family: first fit is a miss");
    CHECK_OK (skc_cache_family_fit (c, &sp, NULL, 5.0f, 15.0f, 3, &o, &f2, &hit));
    CHECK (hit == 1, "family: second fit is a hit");
    for (int j = 0; f1 && f2 && j < 3; j++)
      same = same && f1->sizes[j] == f2->sizes[j] && same_taps (f1->bases[j], f2->bases[j]);
    CHECK (same, "family hit returns the same bases and sizes");
    skc_family_free (f2);
    f2 = NULL;
    sp.rotation_deg = 10.0f;
    skc_cache_family_key (&sp, NULL, 5.0f, 15.0f, 3, &o, fkey);
    sp.rotation_deg = 0.0f;
    skc_cache_family_key (&sp, NULL, 5.0f, 15.0f, 3, &o, key2);
    CHECK (strcmp (fkey, key2) != 0, "shape parameters change the family key");
    snprintf (path, sizeof path, "%s/%s-1.skc", skc_cache_dir (c), key2);
    rewrite (path, "family-size", "family-sizz", -1);
    CHECK_OK (skc_cache_family_fit (c, &sp, NULL, 5.0f, 15.0f, 3, &o, &f2, &hit));
    CHECK (hit == 0, "family with a corrupt basis is refitted");
    same = 1;
    for (int j = 0; f1 && f2 && j < 3; j++)
      same = same && same_taps (f1->bases[j], f2->bases[j]);
    CHECK (same, "refitted family equals the original");
    skc_family_free (f1);
    skc_family_free (f2);
  }

  skc_complex_free (a);
  skc_cache_close (c);
  skc_kernel_free (k);
  skc_kernel_free (k2);
  test_remove_dir (dir);
  return test_finish ();
}
