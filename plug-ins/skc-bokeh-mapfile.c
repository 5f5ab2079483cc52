/* Blur maps from files for skc:bokeh (see skc-bokeh-mapfile.h). */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <babl/babl.h>

#include "skc-bokeh-kernels.h"
#include "skc-bokeh-mapfile.h"

/* A few maps at most are in use at a time (one per image being edited). */
#define CACHE_MAX 4

static GMutex      cache_lock;
static GHashTable *cache;   /* identity -> SkcBokehMap (one reference) */

gchar *
skc_bokeh_map_identity (const gchar *path, GError **error)
{
  GStatBuf st;
  gint     e = 0;

  if (!path || !*path)
    e = ENOENT;
  else if (g_stat (path, &st) != 0)
    e = errno;
  else if (!S_ISREG (st.st_mode))
    e = S_ISDIR (st.st_mode) ? EISDIR : EINVAL;
  if (e)
    {
      g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_SETTINGS,
                   _("cannot read map file '%s': %s"), path ? path : "",
                   g_strerror (e));
      return NULL;
    }
  return g_strdup_printf ("map:%s@%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                          path, (gint64) st.st_mtime, (gint64) st.st_size);
}

void
skc_bokeh_map_unref (SkcBokehMap *map)
{
  if (!map || !g_atomic_int_dec_and_test (&map->ref_count))
    return;
  g_free (map->values);
  skc_image_free (map->grid);
  g_free (map->identity);
  g_free (map);
}

/* Y' of every pixel of @img into @out. */
static void
gray_values (const SkcImage *img, gfloat *out)
{
  gsize n = (gsize) img->width * img->height;

  if (img->channels >= 3)
    {
      const Babl *from = babl_format (img->channels == 4 ? "R'G'B'A float"
                                                         : "R'G'B' float");

      babl_process (babl_fish (from, babl_format ("Y' float")), img->data,
                    out, (long) n);
      return;
    }
  for (gsize i = 0; i < n; i++)
    out[i] = img->data[i * img->channels];
}

static SkcBokehMap *
map_load (const gchar *path, gchar *identity, GError **error)
{
  SkcImage    *img = NULL;
  SkcStatus    st = skc_image_load (path, &img);
  SkcBokehMap *map;

  if (st != SKC_OK)
    {
      g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_SETTINGS,
                   _("cannot load map file '%s': %s"), path,
                   skc_status_message (st));
      g_free (identity);
      return NULL;
    }
  map = g_new0 (SkcBokehMap, 1);
  map->ref_count = 1;
  map->width = img->width;
  map->height = img->height;
  map->identity = identity;
  map->values = g_try_new (gfloat, (gsize) img->width * img->height);
  if (!map->values)
    {
      g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_SETTINGS,
                   _("cannot load map file '%s': %s"), path,
                   skc_status_message (SKC_ERR_NOMEM));
      skc_image_free (img);
      skc_bokeh_map_unref (map);
      return NULL;
    }
  gray_values (img, map->values);
  skc_image_free (img);
  {
    gsize n = (gsize) map->width * map->height, bad = 0;

    for (gsize i = 0; i < n; i++)
      bad += !isfinite (map->values[i]);
    if (bad)
      {
        /* NaN would blur nothing (or everything) without a word */
        g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_SETTINGS,
                     "map file '%s' holds %" G_GSIZE_FORMAT " NaN or infinite "
                     "value%s of %" G_GSIZE_FORMAT "; a map holds finite "
                     "values", path, bad, bad == 1 ? "" : "s", n);
        skc_bokeh_map_unref (map);
        return NULL;
      }
  }
  return map;
}

/* A new reference to the cached map @id, or NULL. */
static SkcBokehMap *
cache_lookup (const gchar *id)
{
  SkcBokehMap *map;

  g_mutex_lock (&cache_lock);
  if (!cache)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                   (GDestroyNotify) skc_bokeh_map_unref);
  map = g_hash_table_lookup (cache, id);
  if (map)
    g_atomic_int_inc (&map->ref_count);
  g_mutex_unlock (&cache_lock);
  return map;
}

/* Keep @map (just read, not shared yet) in the cache; returns the map to
 * use: @map, or the copy another thread stored first. */
static SkcBokehMap *
cache_insert (SkcBokehMap *map)
{
  SkcBokehMap *old;

  g_debug ("read blur map %s (%d x %d)", map->identity, map->width,
           map->height);
  g_mutex_lock (&cache_lock);
  old = g_hash_table_lookup (cache, map->identity);
  if (old)
    {
      g_atomic_int_inc (&old->ref_count);
      skc_bokeh_map_unref (map);
      map = old;
    }
  else
    {
      if (g_hash_table_size (cache) >= CACHE_MAX)
        g_hash_table_remove_all (cache);
      g_atomic_int_inc (&map->ref_count);
      g_hash_table_insert (cache, map->identity, map);
    }
  g_mutex_unlock (&cache_lock);
  return map;
}

static gboolean
size_fits (gint width, gint height, const gchar *path,
           const GeglRectangle *bounds, GError **error)
{
  if (!bounds || bounds->width <= 0 || bounds->height <= 0
      || gegl_rectangle_is_infinite_plane (bounds)
      || (width == bounds->width && height == bounds->height))
    return TRUE;
  g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_SETTINGS,
               "map file '%s' is %d x %d pixels but the image is %d x %d; "
               "a map has the image's size (it is not scaled)", path,
               width, height, bounds->width, bounds->height);
  return FALSE;
}

SkcBokehMap *
skc_bokeh_map_get (const gchar *path, const GeglRectangle *bounds,
                   GError **error)
{
  gchar       *id = skc_bokeh_map_identity (path, error);
  SkcBokehMap *map;
  gint         w = 0, h = 0;

  if (!id)
    return NULL;
  if ((map = cache_lookup (id)))
    {
      g_free (id);
      return map;
    }
  /* The size from the header: a map of another size is refused before
   * it is decoded (a file's other problems are map_load's to tell). */
  if (skc_image_probe (path, &w, &h) == SKC_OK
      && !size_fits (w, h, path, bounds, error))
    {
      g_free (id);
      return NULL;
    }
  /* Read without the lock; two threads reading the same new file at
   * once both read it, and the first one stored wins. */
  map = map_load (path, id, error);
  return map ? cache_insert (map) : NULL;
}

gchar *
skc_bokeh_map_data_identity (const gchar *data)
{
  gchar *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data, -1);
  gchar *id = g_strdup_printf ("map-data:%.16s", sum);

  g_free (sum);
  return id;
}

SkcBokehMap *
skc_bokeh_map_get_data (const gchar *data, GError **error)
{
  gchar       *id = skc_bokeh_map_data_identity (data);
  SkcBokehMap *map = cache_lookup (id);
  SkcInline    in;
  SkcStatus    st;

  if (map)
    {
      g_free (id);
      return map;
    }
  st = skc_inline_decode (data, &in);
  if (st == SKC_OK && (!in.image || in.map_width <= 0))
    {
      skc_inline_clear (&in);
      st = SKC_ERR_FORMAT;   /* a kernel, not a map */
    }
  if (st != SKC_OK)
    {
      g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_SETTINGS,
                   _("cannot read the stored map (inline data, %zu "
                     "characters): %s"), strlen (data),
                   skc_status_message (st));
      g_free (id);
      return NULL;
    }
  map = g_new0 (SkcBokehMap, 1);
  map->ref_count = 1;
  map->width = in.map_width;
  map->height = in.map_height;
  map->grid = g_steal_pointer (&in.image);
  map->identity = id;
  skc_inline_clear (&in);
  return cache_insert (map);
}

gboolean
skc_bokeh_map_fits (const SkcBokehMap *map, const gchar *path,
                    const GeglRectangle *bounds, GError **error)
{
  return size_fits (map->width, map->height, path, bounds, error);
}

void
skc_bokeh_map_read (const SkcBokehMap *map, gint x, gint y, gint width,
                    gint height, gfloat *out)
{
  if (map->grid)
    {
      for (gint j = 0; j < height; j++)
        skc_map_sample (map->grid, map->width, map->height, x, y + j, width,
                        out + (gsize) j * width);
      return;
    }
  for (gint j = 0; j < height; j++)
    {
      const gfloat *row = map->values
                          + (gsize) CLAMP (y + j, 0, map->height - 1)
                            * map->width;
      gfloat       *o = out + (gsize) j * width;

      for (gint i = 0; i < width; i++)
        o[i] = row[CLAMP (x + i, 0, map->width - 1)];
    }
}
