/* The fit cache on disk, shared by the plug-ins, the GEGL operation and skc.
 *
 * A fit is a pure function of the target kernel and the fit settings, so
 * its result is stored under a key that hashes exactly those, plus the
 * cache and library versions:
 *
 *   SHA-256 ("skc-cache 1" | library version | method | kernel width,
 *            height and weights as little-endian IEEE floats | every fit
 *            option that changes the result, as fixed-width little-endian)
 *
 * n_threads, progress and the callback data are left out: they never change
 * the result.  Each entry is one `.skc` file named after the key, holding
 * two extra lines: `cache-key HEX` and `checksum HEX`, the SHA-256 of the
 * entry's canonical text without the checksum line.  Loading parses the
 * file with the strict .skc parser, re-formats it and compares the
 * checksum, and checks the key and the structure against the request, so a
 * corrupt, truncated, foreign or stale entry is refitted, never trusted.
 *
 * Writes go to a temporary file in the cache folder and are renamed into
 * place (skc_file_write is atomic), so a second process reading at the
 * same time sees either no entry or a whole one.  Reads are hostile-proof:
 * at most CACHE_MAX_ENTRY bytes, regular files only, a symbolic link is not
 * followed and a FIFO does not block (skc_file_read); such an entry is
 * removed and refitted.  After a write, the
 * folder is trimmed to its byte budget by deleting the least recently used
 * entries (a hit refreshes the entry's modification time).
 *
 * This file uses GLib (checksums, paths, directory listing): the numeric
 * core does not.
 */
#include "skc.h"
#include "skc-cache.h"

#include <errno.h>
#include <glib.h>
#include <math.h>
#include <glib/gstdio.h>
#include <utime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CACHE_FORMAT "skc-cache 1"
/* 16 x 256 taps at about 40 bytes a line, with room to spare. */
#define CACHE_MAX_ENTRY (1024 * 1024)

struct SkcCache
{
  char  *dir;
  size_t max_bytes;
  GMutex lock;   /* serialises trimming within this process */
};

SkcStatus
skc_cache_open (const char *dir, size_t max_bytes, SkcCache **out)
{
  SkcCache *c;
  char     *path;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (dir && *dir)
    path = g_strdup (dir);
  else if (g_getenv ("SKC_CACHE_DIR") && *g_getenv ("SKC_CACHE_DIR"))
    path = g_strdup (g_getenv ("SKC_CACHE_DIR"));
  else
    path = g_build_filename (g_get_user_cache_dir (), "sparse-bokeh", "fits",
                             NULL);
  if (g_mkdir_with_parents (path, 0755) != 0)
    {
      g_free (path);
      return SKC_ERR_IO;
    }
  c = g_new0 (SkcCache, 1);
  c->dir = path;
  c->max_bytes = max_bytes ? max_bytes : SKC_CACHE_DEFAULT_BYTES;
  g_mutex_init (&c->lock);
  *out = c;
  return SKC_OK;
}

void
skc_cache_close (SkcCache *cache)
{
  if (!cache)
    return;
  g_mutex_clear (&cache->lock);
  g_free (cache->dir);
  g_free (cache);
}

const char *
skc_cache_dir (const SkcCache *cache)
{
  return cache->dir;
}

static void
put_u32 (GChecksum *h, uint32_t v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

  g_checksum_update (h, b, 4);
}

static void
put_u64 (GChecksum *h, uint64_t v)
{
  put_u32 (h, (uint32_t) v);
  put_u32 (h, (uint32_t) (v >> 32));
}

static void
put_f32 (GChecksum *h, float f)
{
  uint32_t v;

  memcpy (&v, &f, 4);
  put_u32 (h, v);
}

static void
put_str (GChecksum *h, const char *s)
{
  put_u32 (h, (uint32_t) strlen (s));
  g_checksum_update (h, (const guchar *) s, (gssize) strlen (s));
}

/* Every option that changes a fit's result (not threads, not callbacks). */
static void
put_options (GChecksum *h, const SkcFitOptions *o)
{
  put_u32 (h, (uint32_t) o->n_samples);
  put_u32 (h, (uint32_t) o->n_layers);
  put_u32 (h, (uint32_t) o->init);
  put_u64 (h, o->seed);
  put_u32 (h, (uint32_t) o->steps);
  put_u32 (h, (uint32_t) o->n_starts);
  put_u32 (h, (uint32_t) o->start_steps);
  put_f32 (h, o->lr_offset[0]);
  put_f32 (h, o->lr_offset[1]);
  put_f32 (h, o->lr_weight[0]);
  put_f32 (h, o->lr_weight[1]);
  put_f32 (h, o->eps);
  put_u32 (h, (uint32_t) o->dc_constraint);
  put_u32 (h, (uint32_t) o->loss_scales);
  if (o->max_reach > 0.0f)   /* keys of fits without it stay as they were */
    put_f32 (h, o->max_reach);
}

static void
put_kernel (GChecksum *h, const SkcKernel *kernel)
{
  size_t n = (size_t) kernel->width * kernel->height;

  put_u32 (h, (uint32_t) kernel->width);
  put_u32 (h, (uint32_t) kernel->height);
  for (size_t i = 0; i < n; i++)
    put_f32 (h, kernel->data[i]);
}

SkcStatus
skc_cache_key (const SkcKernel *kernel, const SkcFitOptions *o,
               const char *method, char key[SKC_CACHE_KEY_SIZE])
{
  GChecksum *h;

  if (!kernel || !kernel->data || !o || !key || o->struct_size < sizeof *o)
    return SKC_ERR_INVALID;
  h = g_checksum_new (G_CHECKSUM_SHA256);
  put_str (h, CACHE_FORMAT);
  put_str (h, SKC_VERSION_STRING);
  put_str (h, method ? method : "disk");
  put_kernel (h, kernel);
  put_options (h, o);
  g_strlcpy (key, g_checksum_get_string (h), SKC_CACHE_KEY_SIZE);
  g_checksum_free (h);
  return SKC_OK;
}

static char *
entry_path (const SkcCache *cache, const char *key)
{
  char *name = g_strconcat (key, ".skc", NULL);
  char *path = g_build_filename (cache->dir, name, NULL);

  g_free (name);
  return path;
}

/* The entry's text without its checksum line: the complex, a cache-key
 * line and, for a family basis, its diameter (@size > 0). */
static char *
canonical_text (const SkcComplex *c, const char *key, float size)
{
  char *text = NULL;
  char *full;
  char  num[G_ASCII_DTOSTR_BUF_SIZE];

  if (skc_complex_format (c, &text) != SKC_OK)
    return NULL;
  if (size > 0.0f)
    full = g_strdup_printf ("%scache-key %s\nfamily-size %s\n", text, key,
                            g_ascii_formatd (num, sizeof num, "%.9g", size));
  else
    full = g_strdup_printf ("%scache-key %s\n", text, key);
  free (text);
  return full;
}

static char *
text_checksum (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* Value of the line "NAME value" in @text, or NULL (newly allocated). */
static char *
find_line (const char *text, const char *name)
{
  size_t      n = strlen (name);
  const char *p = text;

  while (p && *p)
    {
      if (strncmp (p, name, n) == 0 && p[n] == ' ')
        {
          const char *e = strchr (p + n + 1, '\n');
          return g_strndup (p + n + 1, e ? (gsize) (e - p - n - 1) : strlen (p + n + 1));
        }
      p = strchr (p, '\n');
      if (p)
        p++;
    }
  return NULL;
}

static SkcStatus
lookup_entry (SkcCache *cache, const char *key, const SkcFitOptions *o,
              SkcComplex **out, float *family_size)
{
  char       *path, *text = NULL, *stored_key, *stored_sum, *canon, *sum;
  char       *fsize = NULL;
  size_t      len = 0;
  SkcComplex *c = NULL;
  float       size = 0.0f;
  int         ok;

  *out = NULL;
  path = entry_path (cache, key);
  switch (skc_file_read (path, CACHE_MAX_ENTRY, 1, &text, &len))
    {
    case SKC_OK:
      break;
    case SKC_ERR_NOT_FILE:
    case SKC_ERR_TOO_LARGE:
      g_unlink (path);   /* not an entry we wrote: refit */
      g_free (path);
      return SKC_ERR_FORMAT;
    default:
      g_free (path);
      return SKC_ERR_IO;
    }
  ok = skc_complex_parse (text, len, &c, NULL, 0) == SKC_OK
       && skc_complex_check (c, path, NULL, 0) == SKC_OK;
  stored_key = find_line (text, "cache-key");
  stored_sum = find_line (text, "checksum");
  if (family_size)
    {
      fsize = find_line (text, "family-size");
      size = fsize ? (float) g_ascii_strtod (fsize, NULL) : 0.0f;
      ok = ok && size > 0.0f && isfinite (size);
    }
  ok = ok && stored_key && stored_sum && strcmp (stored_key, key) == 0
       && c->n_layers == o->n_layers;
  for (int l = 0; ok && l < c->n_layers; l++)
    ok = c->n_samples[l] == o->n_samples;
  if (ok)
    {
      canon = canonical_text (c, key, family_size ? size : 0.0f);
      sum = canon ? text_checksum (canon) : NULL;
      ok = sum && strcmp (sum, stored_sum) == 0;
      g_free (canon);
      g_free (sum);
    }
  g_free (stored_key);
  g_free (stored_sum);
  g_free (fsize);
  free (text);
  if (!ok)
    {
      /* Corrupt, foreign or stale: drop it so it is refitted. */
      g_unlink (path);
      g_free (path);
      skc_complex_free (c);
      return SKC_ERR_FORMAT;
    }
  g_utime (path, NULL);   /* least recently used bookkeeping */
  g_free (path);
  *out = c;
  if (family_size)
    *family_size = size;
  return SKC_OK;
}

SkcStatus
skc_cache_lookup (SkcCache *cache, const char *key,
                  const SkcFitOptions *o, SkcComplex **out)
{
  return lookup_entry (cache, key, o, out, NULL);
}

typedef struct
{
  char   *path;
  gint64  mtime;
  goffset size;
} Entry;

static gint
entry_cmp (gconstpointer a, gconstpointer b)
{
  const Entry *x = a, *y = b;

  return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

void
skc_cache_trim (SkcCache *cache)
{
  GDir   *d;
  GArray *entries;
  const char *name;
  guint64 total = 0;

  g_mutex_lock (&cache->lock);
  d = g_dir_open (cache->dir, 0, NULL);
  if (!d)
    {
      g_mutex_unlock (&cache->lock);
      return;
    }
  entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  while ((name = g_dir_read_name (d)))
    {
      GStatBuf st;
      Entry    e;

      if (!g_str_has_suffix (name, ".skc"))
        continue;
      e.path = g_build_filename (cache->dir, name, NULL);
      if (g_lstat (e.path, &st) != 0 || !S_ISREG (st.st_mode))
        {
          g_free (e.path);
          continue;
        }
      e.mtime = (gint64) st.st_mtime;
      e.size = st.st_size;
      total += (guint64) st.st_size;
      g_array_append_val (entries, e);
    }
  g_dir_close (d);
  g_array_sort (entries, entry_cmp);
  for (guint i = 0; i < entries->len && total > cache->max_bytes; i++)
    {
      Entry *e = &g_array_index (entries, Entry, i);

      if (g_unlink (e->path) == 0)
        total -= (guint64) e->size;
    }
  for (guint i = 0; i < entries->len; i++)
    g_free (g_array_index (entries, Entry, i).path);
  g_array_free (entries, TRUE);
  g_mutex_unlock (&cache->lock);
}

static SkcStatus
store_entry (SkcCache *cache, const char *key, const SkcComplex *c,
             float family_size, int trim)
{
  char     *canon, *sum, *full, *path;
  SkcStatus s;

  canon = canonical_text (c, key, family_size);
  if (!canon)
    return SKC_ERR_INVALID;
  sum = text_checksum (canon);
  full = g_strdup_printf ("%schecksum %s\n", canon, sum);
  path = entry_path (cache, key);
  s = skc_file_write (path, full, strlen (full));
  g_free (path);
  g_free (full);
  g_free (sum);
  g_free (canon);
  if (s == SKC_OK && trim)
    skc_cache_trim (cache);
  return s;
}

SkcStatus
skc_cache_store (SkcCache *cache, const char *key, const SkcComplex *c)
{
  return store_entry (cache, key, c, 0.0f, 1);
}

SkcStatus
skc_cache_fit (SkcCache *cache, const SkcKernel *target,
               const SkcFitOptions *options, SkcComplex **out, int *hit)
{
  char      key[SKC_CACHE_KEY_SIZE];
  SkcStatus s;

  if (hit)
    *hit = 0;
  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!cache)
    return skc_fit (target, options, out);
  s = skc_cache_key (target, options, "disk", key);
  if (s != SKC_OK)
    return s;
  if (skc_cache_lookup (cache, key, options, out) == SKC_OK)
    {
      if (hit)
        *hit = 1;
      return SKC_OK;
    }
  s = skc_fit (target, options, out);
  if (s == SKC_OK)
    skc_cache_store (cache, key, *out);   /* a full disk is not an error */
  return s;
}

/* ---------------------------------------------------------------- families */

/* Family entries: basis k of family KEY is the entry "KEY-k" with its
 * diameter on a family-size line.  A family is used only when every basis
 * is valid; otherwise the whole family is refitted and rewritten. */
SkcStatus
skc_cache_family_key (const SkcShapeParams *shape, const SkcKernel *kernel,
                      float min_size, float max_size, int n_bases,
                      const SkcFitOptions *o, char key[SKC_CACHE_KEY_SIZE])
{
  GChecksum *h;

  if ((!shape && !kernel) || (kernel && !kernel->data) || !o || !key
      || o->struct_size < sizeof *o)
    return SKC_ERR_INVALID;
  h = g_checksum_new (G_CHECKSUM_SHA256);
  /* "family 3": every basis's reach bounded (SKC_FAMILY_REACH, so the op
   * knows its halo before fitting); "family 2": warm starts from a basis
   * >= 1.8x larger (skc-family.c); "family" entries came from the next
   * larger basis. */
  put_str (h, CACHE_FORMAT " family 3");
  put_str (h, SKC_VERSION_STRING);
  if (kernel)
    {
      put_str (h, "kernel");
      put_kernel (h, kernel);
    }
  else
    {
      put_str (h, "shape");
      put_u32 (h, (uint32_t) shape->type);
      put_u32 (h, (uint32_t) shape->blades);
      put_f32 (h, shape->curvature);
      put_f32 (h, shape->rotation_deg);
      put_f32 (h, shape->inner);
      put_f32 (h, shape->sigma);
      put_f32 (h, shape->strength);
    }
  put_f32 (h, min_size);
  put_f32 (h, max_size);
  put_u32 (h, (uint32_t) n_bases);
  put_options (h, o);
  g_strlcpy (key, g_checksum_get_string (h), SKC_CACHE_KEY_SIZE);
  g_checksum_free (h);
  return SKC_OK;
}

SkcStatus
skc_cache_family_fit (SkcCache *cache, const SkcShapeParams *shape,
                      const SkcKernel *kernel, float min_size, float max_size,
                      int n_bases, const SkcFitOptions *options,
                      SkcFamily **out, int *hit)
{
  char       key[SKC_CACHE_KEY_SIZE], sub[SKC_CACHE_KEY_SIZE + 8];
  SkcFamily *fam;
  SkcStatus  s;
  int        k;

  if (hit)
    *hit = 0;
  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!cache)
    return skc_family_fit (shape, kernel, min_size, max_size, n_bases,
                           options, out);
  if (n_bases < 1 || n_bases > SKC_MAX_BASES)
    return SKC_ERR_INVALID;
  s = skc_cache_family_key (shape, kernel, min_size, max_size, n_bases,
                            options, key);
  if (s != SKC_OK)
    return s;

  fam = calloc (1, sizeof *fam);
  if (!fam)
    return SKC_ERR_NOMEM;
  for (k = 0; k < n_bases; k++)
    {
      g_snprintf (sub, sizeof sub, "%s-%d", key, k);
      if (lookup_entry (cache, sub, options, &fam->bases[k], &fam->sizes[k])
          != SKC_OK)
        break;
      fam->n_bases = k + 1;
      if (k > 0 && !(fam->sizes[k] > fam->sizes[k - 1]))
        break;
    }
  if (k == n_bases && fam->n_bases == n_bases)
    {
      if (hit)
        *hit = 1;
      *out = fam;
      return SKC_OK;
    }
  skc_family_free (fam);

  s = skc_family_fit (shape, kernel, min_size, max_size, n_bases, options,
                      &fam);
  if (s != SKC_OK)
    return s;
  for (k = 0; k < fam->n_bases; k++)
    {
      g_snprintf (sub, sizeof sub, "%s-%d", key, k);
      store_entry (cache, sub, fam->bases[k], fam->sizes[k],
                   k == fam->n_bases - 1);   /* a full disk is not an error */
    }
  *out = fam;
  return SKC_OK;
}
