/* Safe files (core/skc-file.c) through every writer and reader that uses
 * them: PNG and PFM images, .skc complexes, presets and fit-cache entries.
 *
 *  - A write that fails half way (the file-size limit, RLIMIT_FSIZE, makes
 *    write () fail as a full disk does) leaves the existing file byte for
 *    byte as it was, and no temporary file behind.
 *  - A target that is a FIFO, a directory, a symbolic link or a device
 *    node is refused with SKC_ERR_NOT_FILE and left as it was (the link's
 *    own target too).
 *  - A successful save over a file keeps that file's permissions.
 *  - Readers refuse a FIFO at once (an alarm turns a hang into a failure),
 *    and the fit cache refits an entry that is a FIFO, a symbolic link or
 *    an oversized file instead of hanging, following or reading it.
 */
#define _GNU_SOURCE
#include "test-common.h"
#include "skc-cache.h"
#include "skc-preset.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static char dir[256];

static const char *
path_in (const char *name)
{
  return test_path_in (dir, name);
}

static void
put (const char *path, const char *text)
{
  FILE *f = fopen (path, "wb");

  fputs (text, f);
  fclose (f);
}

/* Files in the folder whose name contains ".tmp" (left-over temporaries). */
static int
temporaries (void)
{
  DIR           *d = opendir (dir);
  struct dirent *e;
  int            n = 0;

  while (d && (e = readdir (d)))
    n += strstr (e->d_name, ".tmp") != NULL;
  if (d)
    closedir (d);
  return n;
}

static SkcImage *
test_image (int w, int h, int channels)
{
  SkcImage *img = NULL;
  uint64_t  st = 7;

  skc_image_new (w, h, channels, &img);
  for (size_t i = 0; i < (size_t) w * h * channels; i++)
    img->data[i] = (float) test_rand (&st);
  return img;
}

static SkcComplex *
test_complex (int n_samples)
{
  SkcComplex *c = NULL;
  uint64_t    st = 3;

  skc_complex_new_uniform (2, n_samples, &c);
  for (int i = 0; i < 2 * n_samples; i++)
    {
      c->taps[i].ox = (float) (test_rand (&st) * 10 - 5);
      c->taps[i].oy = (float) (test_rand (&st) * 10 - 5);
      c->taps[i].w = 1.0f / n_samples;
    }
  return c;
}

/* ---------------------------------------------------------------- writers */

typedef SkcStatus (*SaveFunc) (const char *path, int big);

/* A test image of @side x @side with @channels, saved to @path (the
 * suffix picks PNG or PFM). */
static SkcStatus
save_image (const char *path, int side, int channels)
{
  SkcImage *img = test_image (side, side, channels);
  SkcStatus s = skc_image_save (img, path);

  skc_image_free (img);
  return s;
}

static SkcStatus
save_png (const char *path, int big)
{
  return save_image (path, big ? 400 : 8, 3);
}

static SkcStatus
save_pfm (const char *path, int big)
{
  return save_image (path, big ? 300 : 8, 1);
}

static SkcStatus
save_skc (const char *path, int big)
{
  SkcComplex *c = test_complex (big ? 256 : 4);
  SkcStatus   s = skc_complex_save (c, path);

  skc_complex_free (c);
  return s;
}

static SkcStatus
save_preset (const char *path, int big)
{
  SkcPreset p = { 0 };
  char     *names[SKC_MAX_LAYERS];
  char      name[4096];

  /* a long label makes a preset too large for the size limit */
  memset (name, 'a', sizeof name - 1);
  name[big ? sizeof name - 1 : 8] = 0;
  p.name = name;
  p.is_shape = 1;
  skc_shape_params_from_name ("hexagon", &p.shape);
  for (int i = 0; i < SKC_MAX_LAYERS; i++)
    names[i] = name;
  p.complexes = names;
  p.n_complexes = big ? SKC_MAX_LAYERS : 0;
  return skc_preset_save (&p, path);
}

static SkcStatus
save_cache (const char *path, int big)
{
  /* the cache writes "KEY.skc" in its folder: @path is that folder */
  SkcCache   *cache = NULL;
  SkcComplex *c = test_complex (big ? 256 : 4);
  SkcStatus   s = skc_cache_open (path, 0, &cache);

  if (s == SKC_OK)
    s = skc_cache_store (cache, "0123456789abcdef0123456789abcdef"
                                "0123456789abcdef0123456789abcdef", c);
  skc_cache_close (cache);
  skc_complex_free (c);
  return s;
}

static const struct
{
  const char *name;
  const char *file;
  SaveFunc    save;
} writers[] = {
  { "PNG image", "out.png", save_png },
  { "PFM image", "out.pfm", save_pfm },
  { ".skc complex", "out.skc", save_skc },
  { "preset", "out.preset", save_preset },
};

/* A write that fails half way leaves the old file intact. */
static void
test_failed_write_keeps_file (const char *name, const char *file, SaveFunc save)
{
  struct rlimit old, lim;
  char         *before, *after;
  size_t        nb, na;
  SkcStatus     s;
  const char   *path = path_in (file);

  CHECK_OK (save (path, 0));
  before = test_read_file (path, &nb);
  CHECK (before && nb > 0, "%s: the first save wrote nothing", name);

  getrlimit (RLIMIT_FSIZE, &old);
  lim = old;
  lim.rlim_cur = 16384;   /* bytes: the big save needs more */
  setrlimit (RLIMIT_FSIZE, &lim);
  s = save (path, 1);
  setrlimit (RLIMIT_FSIZE, &old);
  CHECK (s == SKC_ERR_IO, "%s: a save past the size limit returned %s, "
         "not an I/O error", name, skc_status_string (s));

  after = test_read_file (path, &na);
  CHECK (after && na == nb && memcmp (before, after, nb) == 0,
         "%s: the existing file changed after a failed save (%zu -> %zu bytes)",
         name, nb, na);
  CHECK (temporaries () == 0, "%s: a failed save left a temporary file", name);
  free (before);
  free (after);
  unlink (path);
}

/* Non-regular targets are refused and left as they were. */
static void
test_refused_targets (const char *name, const char *file, SaveFunc save)
{
  char        target[512], *fifo = path_in ("fifo"), *sub = path_in ("sub");
  char       *link = path_in ("link"), *dev = path_in ("dev");
  struct stat st;
  const char *ext = strrchr (file, '.');
  char        fifo_x[600], sub_x[600], link_x[600], dev_x[600], text[64];
  size_t      n;
  char       *kept;

  snprintf (fifo_x, sizeof fifo_x, "%s%s", fifo, ext);
  snprintf (sub_x, sizeof sub_x, "%s%s", sub, ext);
  snprintf (link_x, sizeof link_x, "%s%s", link, ext);
  snprintf (dev_x, sizeof dev_x, "%s%s", dev, ext);
  snprintf (target, sizeof target, "%s", path_in ("linked-file"));

  CHECK (mkfifo (fifo_x, 0600) == 0, "mkfifo failed");
  CHECK (save (fifo_x, 0) == SKC_ERR_NOT_FILE, "%s: a FIFO target was not refused", name);
  CHECK (lstat (fifo_x, &st) == 0 && S_ISFIFO (st.st_mode), "%s: the FIFO was replaced", name);
  unlink (fifo_x);

  CHECK (mkdir (sub_x, 0700) == 0, "mkdir failed");
  CHECK (save (sub_x, 0) == SKC_ERR_NOT_FILE, "%s: a directory target was not refused", name);
  CHECK (lstat (sub_x, &st) == 0 && S_ISDIR (st.st_mode), "%s: the directory was replaced", name);
  rmdir (sub_x);

  put (target, "precious");
  CHECK (symlink (target, link_x) == 0, "symlink failed");
  CHECK (save (link_x, 0) == SKC_ERR_NOT_FILE, "%s: a symbolic link target was not refused", name);
  CHECK (lstat (link_x, &st) == 0 && S_ISLNK (st.st_mode), "%s: the link was replaced", name);
  kept = test_read_file (target, &n);
  snprintf (text, sizeof text, "%.*s", (int) n, kept ? kept : "");
  CHECK (strcmp (text, "precious") == 0, "%s: written through a symbolic link", name);
  free (kept);
  unlink (link_x);
  unlink (target);

  /* A device node: /dev/full's numbers, made here (as root) so that a
   * broken save could never replace the real one. */
  if (mknod (dev_x, S_IFCHR | 0600, makedev (1, 7)) == 0)
    {
      CHECK (save (dev_x, 0) == SKC_ERR_NOT_FILE, "%s: a device target was not refused", name);
      CHECK (lstat (dev_x, &st) == 0 && S_ISCHR (st.st_mode), "%s: the device was replaced", name);
      unlink (dev_x);
    }
  else
    printf ("note: device-node case not run for %s (mknod: %s; needs root)\n",
            name, strerror (errno));
  CHECK (temporaries () == 0, "%s: a refused save left a temporary file", name);
}

static void
test_mode_kept (void)
{
  const char *path = path_in ("mode.png");
  struct stat st;

  put (path, "old");
  chmod (path, 0640);
  CHECK_OK (save_png (path, 0));
  CHECK (stat (path, &st) == 0 && (st.st_mode & 07777) == 0640,
         "a saved file lost its permissions (0%o, not 0640)", st.st_mode & 07777);
  unlink (path);
}

static void
test_cache_store (void)
{
  char        *cdir = path_in ("cache"), entry[600], *before, *after;
  struct rlimit old, lim;
  size_t        nb, na;

  snprintf (entry, sizeof entry, "%s/0123456789abcdef0123456789abcdef"
            "0123456789abcdef0123456789abcdef.skc", cdir);
  CHECK_OK (save_cache (cdir, 0));
  before = test_read_file (entry, &nb);
  CHECK (before && nb > 0, "cache: no entry written");
  getrlimit (RLIMIT_FSIZE, &old);
  lim = old;
  lim.rlim_cur = 8192;
  setrlimit (RLIMIT_FSIZE, &lim);
  CHECK (save_cache (cdir, 1) == SKC_ERR_IO, "cache: a store past the size limit did not fail");
  setrlimit (RLIMIT_FSIZE, &old);
  after = test_read_file (entry, &na);
  CHECK (after && na == nb && memcmp (before, after, nb) == 0,
         "cache: a failed store changed the existing entry");
  free (before);
  free (after);
}

/* ---------------------------------------------------------------- readers */

static void
on_alarm (int sig)
{
  (void) sig;
  static const char msg[] = "FAIL: a save or a read blocked (on a FIFO?)\n";
  write (2, msg, sizeof msg - 1);
  _exit (1);
}

static void
test_readers (void)
{
  char       *fifo = path_in ("r.fifo"), err[256];
  SkcImage   *img = NULL;
  SkcComplex *c = NULL;
  SkcPreset  *p = NULL;
  char       *buf = NULL;
  size_t      n;

  CHECK (mkfifo (fifo, 0600) == 0, "mkfifo failed");
  CHECK (skc_image_load (fifo, &img) == SKC_ERR_NOT_FILE && !img,
         "image load did not refuse a FIFO");
  CHECK (skc_complex_load (fifo, &c, err, sizeof err) == SKC_ERR_NOT_FILE && !c,
         ".skc load did not refuse a FIFO");
  CHECK (strstr (err, fifo) != NULL, ".skc load's message does not name the file: %s", err);
  CHECK (skc_preset_load (fifo, &p, NULL) != SKC_OK && !p,
         "preset load did not refuse a FIFO");
  CHECK (skc_image_load (dir, &img) == SKC_ERR_NOT_FILE, "image load did not refuse a directory");
  unlink (fifo);

  /* a preset larger than any real one is not read */
  {
    FILE *f = fopen (path_in ("big.preset"), "wb");

    fputs ("[Sparse Bokeh Preset]\nname=big\nshape=disk\n", f);
    for (int i = 0; i < 300; i++)
      fprintf (f, "# %01020d\n", 0);
    fclose (f);
    GError *error = NULL;

    CHECK (skc_preset_load (path_in ("big.preset"), &p, &error) == SKC_ERR_FORMAT
           && !p && error && strstr (error->message, "too large"),
           "a 300 KiB preset was not refused: %s", error ? error->message : "");
    g_clear_error (&error);
    unlink (path_in ("big.preset"));
  }

  /* bounded reads: over the bound is refused, at the bound is read */
  put (path_in ("ten"), "0123456789");
  CHECK (skc_file_read (path_in ("ten"), 9, 0, &buf, &n) == SKC_ERR_TOO_LARGE && !buf,
         "a read over its bound was not refused");
  CHECK (skc_file_read (path_in ("ten"), 10, 0, &buf, &n) == SKC_OK && n == 10
         && buf && buf[10] == 0, "a read at its bound failed");
  free (buf);
  buf = NULL;
  symlink (path_in ("ten"), path_in ("ten-link"));
  CHECK (skc_file_read (path_in ("ten-link"), 10, 1, &buf, &n) == SKC_ERR_NOT_FILE && !buf,
         "a no-follow read followed a symbolic link");
  CHECK (skc_file_read (path_in ("ten-link"), 10, 0, &buf, &n) == SKC_OK,
         "a plain read did not follow a symbolic link");
  free (buf);
  unlink (path_in ("ten-link"));
  unlink (path_in ("ten"));
}

/* A fit-cache entry that is a FIFO, a link or huge is refitted. */
static void
test_cache_entries (void)
{
  SkcShapeParams sp;
  SkcKernel     *k = NULL;
  SkcFitOptions  o;
  SkcCache      *cache = NULL;
  SkcComplex    *c = NULL;
  char           key[SKC_CACHE_KEY_SIZE], entry[700], *cdir = path_in ("cache2");
  struct stat    st;
  int            hit = 1;
  FILE          *f;

  skc_shape_params_from_name ("disk", &sp);
  sp.side_px = 9;
  skc_shape_render (&sp, &k);
  skc_fit_options_init (&o);
  o.n_samples = 4;
  o.n_layers = 1;
  o.steps = 20;
  o.n_starts = 1;
  o.n_threads = 1;
  CHECK_OK (skc_cache_open (cdir, 0, &cache));
  skc_cache_key (k, &o, "disk", key);
  snprintf (entry, sizeof entry, "%s/%s.skc", cdir, key);

  /* a FIFO */
  CHECK (mkfifo (entry, 0600) == 0, "mkfifo failed");
  CHECK_OK (skc_cache_fit (cache, k, &o, &c, &hit));
  CHECK (!hit, "cache: a FIFO entry was a hit");
  CHECK (lstat (entry, &st) == 0 && S_ISREG (st.st_mode),
         "cache: the FIFO entry was not replaced by a fitted entry");
  skc_complex_free (c);
  c = NULL;

  /* a link to a valid entry elsewhere is not followed */
  rename (entry, path_in ("valid.skc"));
  symlink (path_in ("valid.skc"), entry);
  CHECK_OK (skc_cache_fit (cache, k, &o, &c, &hit));
  CHECK (!hit, "cache: a symbolic link entry was followed");
  skc_complex_free (c);
  c = NULL;

  /* an entry larger than any real one is not read */
  f = fopen (entry, "wb");
  for (int i = 0; f && i < 2 * 1024; i++)
    fprintf (f, "%01023d\n", 0);
  if (f)
    fclose (f);
  CHECK (skc_cache_lookup (cache, key, &o, &c) == SKC_ERR_FORMAT && !c,
         "cache: a 2 MiB entry was not refused");
  CHECK (lstat (entry, &st) != 0, "cache: the oversized entry was not removed");
  skc_cache_close (cache);
  skc_kernel_free (k);
}

int
main (void)
{
  if (!test_make_dir ("test-file", dir, sizeof dir))
    return test_finish ();
  signal (SIGXFSZ, SIG_IGN);   /* over the size limit, write () fails */
  /* Nothing here takes a second: a hang on a FIFO becomes a failure. */
  signal (SIGALRM, on_alarm);
  alarm (60);

  for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++)
    {
      test_failed_write_keeps_file (writers[i].name, writers[i].file, writers[i].save);
      test_refused_targets (writers[i].name, writers[i].file, writers[i].save);
    }
  test_mode_kept ();
  test_cache_store ();
  test_readers ();
  test_cache_entries ();

  test_remove_dir (dir);
  return test_finish ();
}
