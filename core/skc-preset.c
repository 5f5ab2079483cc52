/* Kernel presets: small GKeyFile files naming a procedural shape or a
 * kernel image, a suggested quality and optional fitted complexes (format
 * in skc-preset.h and presets/FORMAT.md).
 *
 * Parsing is strict where a mistake would silently change the kernel (an
 * unknown shape, a number that does not parse, a parameter out of range,
 * both or neither of shape and kernel-image) and lenient elsewhere
 * (unknown keys are ignored, so newer files load in older versions).
 * Saving is atomic (skc_file_write), so a preset is never half written and
 * an existing one survives a failed save.  Reading takes regular files of
 * at most PRESET_MAX_FILE bytes (a FIFO or a huge file is refused).
 */
#include "skc.h"
#include "skc-preset.h"
#include "skc-private.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GROUP "Sparse Bokeh Preset"
#define PRESET_MAX_FILE (256 * 1024)

/* The built-in presets' folder the program set (beside its binary). */
static char *builtin_folder;

void
skc_preset_free (SkcPreset *p)
{
  if (!p)
    return;
  g_free (p->name);
  g_free (p->path);
  g_free (p->kernel_image);
  for (int i = 0; i < p->n_complexes; i++)
    g_free (p->complexes[i]);
  g_free (p->complexes);
  g_free (p);
}

int
skc_preset_id_valid (const char *id)
{
  size_t n;

  if (!id || !*id)
    return 0;
  n = strlen (id);
  if (n >= SKC_PRESET_ID_MAX)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!g_ascii_islower (id[i]) && !g_ascii_isdigit (id[i]) && id[i] != '-')
      return 0;
  return 1;
}

G_DEFINE_QUARK (skc-preset-error-quark, skc_preset_error)

/* @error set from @d: its template in the user's language, filled in
 * (skc-detail.c), system errors in GLib's words. */
static void
set_error (GError **error, const SkcDetail *d)
{
  char buf[1024];

  if (!error)
    return;
  skc_detail_render (g_dgettext (GETTEXT_PACKAGE,
                                 skc_detail_template (d->code)),
                     d, d->sys_errno ? g_strerror (d->sys_errno)
                                     : skc_status_string (d->status),
                     buf, sizeof buf);
  g_set_error_literal (error, SKC_PRESET_ERROR, d->status, buf);
}

/* A refusal of @path: @code with the words @word, @word2. */
static void
refuse (GError **error, const char *path, SkcStatus status,
        SkcDetailCode code, const char *word, const char *word2)
{
  SkcDetail d;

  skc_detail_set (&d, status, code, path);
  skc_detail_word (d.word, sizeof d.word, word, sizeof d.word);
  skc_detail_word (d.word2, sizeof d.word2, word2, sizeof d.word2);
  set_error (error, &d);
}

/* A float key: absent leaves *v alone; present must parse and be finite. */
static int
get_float (GKeyFile *kf, const char *key, float lo, float hi, float *v,
           const char *path, GError **error)
{
  char  *s, *end;
  double d;

  if (!g_key_file_has_key (kf, GROUP, key, NULL))
    return 1;
  s = g_key_file_get_value (kf, GROUP, key, NULL);
  d = s ? g_ascii_strtod (g_strstrip (s), &end) : NAN;
  if (!s || *end || !isfinite (d) || d < lo || d > hi)
    {
      SkcDetail d;

      skc_detail_set (&d, SKC_ERR_FORMAT, SKC_DETAIL_PRESET_NUMBER, path);
      skc_detail_word (d.word, sizeof d.word, key, sizeof d.word);
      skc_detail_word (d.word2, sizeof d.word2, s, sizeof d.word2);
      d.x[0] = lo;
      d.x[1] = hi;
      set_error (error, &d);
      g_free (s);
      return 0;
    }
  g_free (s);
  *v = (float) d;
  return 1;
}

static int
get_int (GKeyFile *kf, const char *key, int lo, int hi, int *v,
         const char *path, GError **error)
{
  float f = (float) *v;

  if (!get_float (kf, key, (float) lo, (float) hi, &f, path, error))
    return 0;
  if (f != floorf (f))
    {
      refuse (error, path, SKC_ERR_FORMAT, SKC_DETAIL_PRESET_WHOLE, key,
              NULL);
      return 0;
    }
  *v = (int) f;
  return 1;
}

static char *
resolve (const char *dir, const char *rel)
{
  return g_path_is_absolute (rel) ? g_strdup (rel)
                                  : g_build_filename (dir, rel, NULL);
}

SkcStatus
skc_preset_load (const char *path, SkcPreset **out, GError **error)
{
  GKeyFile  *kf;
  GError    *e = NULL;
  SkcPreset *p;
  char      *base, *dir, *shape, *image, *text = NULL;
  size_t     len = 0;
  SkcStatus  s;
  int        ok = 1;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!path)
    return SKC_ERR_INVALID;
  s = skc_file_read (path, PRESET_MAX_FILE, 0, &text, &len);
  if (s != SKC_OK)
    {
      SkcDetail d;

      skc_detail_set (&d, s, SKC_DETAIL_PRESET_UNREADABLE, path);
      d.sys_errno = s == SKC_ERR_IO ? errno : 0;
      set_error (error, &d);
      /* a file too large to be a preset is not one */
      s = s == SKC_ERR_TOO_LARGE ? SKC_ERR_FORMAT : s;
      if (error && *error)
        (*error)->code = s;
      return s;
    }
  kf = g_key_file_new ();
  if (!g_key_file_load_from_data (kf, text, len, G_KEY_FILE_NONE, &e))
    {
      refuse (error, path, SKC_ERR_FORMAT, SKC_DETAIL_PRESET_SYNTAX,
              e->message, NULL);
      g_error_free (e);
      g_key_file_free (kf);
      free (text);
      return SKC_ERR_FORMAT;
    }
  free (text);
  if (!g_key_file_has_group (kf, GROUP))
    {
      refuse (error, path, SKC_ERR_FORMAT, SKC_DETAIL_PRESET_NO_GROUP, GROUP,
              NULL);
      g_key_file_free (kf);
      return SKC_ERR_FORMAT;
    }

  p = g_new0 (SkcPreset, 1);
  p->path = g_strdup (path);
  base = g_path_get_basename (path);
  if (g_str_has_suffix (base, ".preset"))
    base[strlen (base) - strlen (".preset")] = 0;
  g_strlcpy (p->id, base, sizeof p->id);
  if (!skc_preset_id_valid (base))
    {
      refuse (error, path, SKC_ERR_FORMAT, SKC_DETAIL_PRESET_ID, base, NULL);
      ok = 0;
    }
  g_free (base);
  dir = g_path_get_dirname (path);

  p->name = g_key_file_get_locale_string (kf, GROUP, "name", NULL, NULL);
  if (ok && (!p->name || !*p->name))
    {
      refuse (error, path, SKC_ERR_FORMAT, SKC_DETAIL_PRESET_NO_NAME, NULL,
              NULL);
      ok = 0;
    }
  shape = g_key_file_get_string (kf, GROUP, "shape", NULL);
  image = g_key_file_get_string (kf, GROUP, "kernel-image", NULL);
  if (ok && !!shape == !!image)
    {
      refuse (error, path, SKC_ERR_FORMAT, SKC_DETAIL_PRESET_SOURCE, NULL,
              NULL);
      ok = 0;
    }
  if (ok && shape)
    {
      if (skc_shape_params_from_name (g_strstrip (shape), &p->shape) != SKC_OK)
        {
          refuse (error, path, SKC_ERR_FORMAT, SKC_DETAIL_PRESET_SHAPE, shape,
                  NULL);
          ok = 0;
        }
      p->is_shape = 1;
      p->shape.side_px = 0;
      ok = ok && get_int (kf, "blades", 3, 12, &p->shape.blades, path, error)
           && get_float (kf, "curvature", 0, 1, &p->shape.curvature, path, error)
           && get_float (kf, "rotation", -3600, 3600, &p->shape.rotation_deg, path, error)
           && get_float (kf, "inner", 0, 1, &p->shape.inner, path, error)
           && get_float (kf, "sigma", 0.01f, 1000, &p->shape.sigma, path, error)
           && get_float (kf, "strength", 0, 1, &p->shape.strength, path, error);
    }
  if (ok && image)
    p->kernel_image = resolve (dir, g_strstrip (image));
  ok = ok && get_int (kf, "samples", 0, SKC_MAX_SAMPLES, &p->samples, path, error)
       && get_int (kf, "layers", 0, SKC_MAX_LAYERS, &p->layers, path, error);
  if (ok)
    {
      gsize  n = 0;
      char **list = g_key_file_get_string_list (kf, GROUP, "complex", &n, NULL);

      p->n_complexes = (int) n;
      p->complexes = g_new0 (char *, n + 1);
      for (gsize i = 0; i < n; i++)
        p->complexes[i] = resolve (dir, g_strstrip (list[i]));
      g_strfreev (list);
    }
  g_free (shape);
  g_free (image);
  g_free (dir);
  g_key_file_free (kf);
  if (!ok)
    {
      skc_preset_free (p);
      return SKC_ERR_FORMAT;
    }
  *out = p;
  return SKC_OK;
}

SkcStatus
skc_preset_save (const SkcPreset *p, const char *path)
{
  GKeyFile *kf;
  char     *data;
  gsize     len;
  SkcStatus s;
  char      num[G_ASCII_DTOSTR_BUF_SIZE];

  if (!p || !path || !p->name || !!p->is_shape == !!p->kernel_image)
    return SKC_ERR_INVALID;
  kf = g_key_file_new ();
  g_key_file_set_string (kf, GROUP, "name", p->name);
  if (p->is_shape)
    {
      g_key_file_set_string (kf, GROUP, "shape", skc_shape_name (p->shape.type));
      g_key_file_set_integer (kf, GROUP, "blades", p->shape.blades);
#define SET_F(key, v) \
      g_key_file_set_value (kf, GROUP, key, g_ascii_dtostr (num, sizeof num, (double) (v)))
      SET_F ("curvature", p->shape.curvature);
      SET_F ("rotation", p->shape.rotation_deg);
      SET_F ("inner", p->shape.inner);
      SET_F ("sigma", p->shape.sigma);
      SET_F ("strength", p->shape.strength);
#undef SET_F
    }
  else
    g_key_file_set_string (kf, GROUP, "kernel-image", p->kernel_image);
  if (p->samples > 0)
    g_key_file_set_integer (kf, GROUP, "samples", p->samples);
  if (p->layers > 0)
    g_key_file_set_integer (kf, GROUP, "layers", p->layers);
  if (p->n_complexes > 0)
    g_key_file_set_string_list (kf, GROUP, "complex",
                                (const gchar *const *) p->complexes,
                                (gsize) p->n_complexes);
  data = g_key_file_to_data (kf, &len, NULL);
  s = skc_file_write (path, data, len);
  g_free (data);
  g_key_file_free (kf);
  return s;
}

void
skc_preset_set_builtin_dir (const char *dir)
{
  g_free (builtin_folder);
  builtin_folder = g_strdup (dir);
}

void
skc_preset_set_builtin_dir_beside (const char *binary)
{
  char *folder = g_path_get_dirname (binary);
  char *dir = g_build_filename (folder, "presets", NULL);

  skc_preset_set_builtin_dir (dir);
  g_free (dir);
  g_free (folder);
}

const char *
skc_preset_builtin_dir (void)
{
  const char *env = g_getenv ("SKC_PRESET_DIR");

  if (env && *env)
    return env;
  return builtin_folder ? builtin_folder : "";
}

static void
scan (const char *dir, int builtin, GHashTable *by_id)
{
  GDir       *d;
  const char *name;

  if (!dir || !*dir || !(d = g_dir_open (dir, 0, NULL)))
    return;
  while ((name = g_dir_read_name (d)))
    {
      char      *path;
      SkcPreset *p = NULL;

      if (!g_str_has_suffix (name, ".preset"))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (skc_preset_load (path, &p, NULL) == SKC_OK)
        {
          p->builtin = builtin;
          g_hash_table_replace (by_id, p->id, p);   /* user shadows builtin */
        }
      g_free (path);
    }
  g_dir_close (d);
}

static gint
by_id_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(SkcPreset *const *) a)->id, (*(SkcPreset *const *) b)->id);
}

int
skc_preset_list (const char *builtin_dir, const char *user_dir,
                 SkcPreset ***out)
{
  GHashTable    *by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                 (GDestroyNotify) skc_preset_free);
  GHashTableIter it;
  gpointer       v;
  GPtrArray     *arr = g_ptr_array_new ();
  int            n;

  scan (builtin_dir, 1, by_id);
  scan (user_dir, 0, by_id);
  g_hash_table_iter_init (&it, by_id);
  while (g_hash_table_iter_next (&it, NULL, &v))
    {
      g_ptr_array_add (arr, v);
      g_hash_table_iter_steal (&it);
    }
  g_hash_table_destroy (by_id);
  g_ptr_array_sort (arr, by_id_cmp);
  n = (int) arr->len;
  *out = (SkcPreset **) g_ptr_array_free (arr, FALSE);
  return n;
}

void
skc_preset_list_free (SkcPreset **list, int n)
{
  for (int i = 0; i < n; i++)
    skc_preset_free (list[i]);
  g_free (list);
}

SkcStatus
skc_preset_find (const char *builtin_dir, const char *user_dir,
                 const char *id, SkcPreset **out)
{
  const char *dirs[2] = { user_dir, builtin_dir };

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!skc_preset_id_valid (id))
    return SKC_ERR_INVALID;
  for (int i = 0; i < 2; i++)
    {
      char     *name, *path;
      SkcStatus s;

      if (!dirs[i] || !*dirs[i])
        continue;
      name = g_strconcat (id, ".preset", NULL);
      path = g_build_filename (dirs[i], name, NULL);
      g_free (name);
      s = g_file_test (path, G_FILE_TEST_EXISTS)
          ? skc_preset_load (path, out, NULL) : SKC_ERR_IO;
      g_free (path);
      if (s == SKC_OK)
        {
          (*out)->builtin = i == 1;
          return SKC_OK;
        }
      if (s == SKC_ERR_FORMAT)
        return s;
    }
  return SKC_ERR_IO;
}

SkcStatus
skc_preset_kernel (const SkcPreset *p, int size, SkcKernel **out)
{
  SkcKernel *k = NULL;
  SkcStatus  s;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (!p || size < 0 || size > SKC_MAX_KERNEL_SIZE)
    return SKC_ERR_INVALID;
  if (p->is_shape)
    {
      SkcShapeParams sp = p->shape;

      if (size < 1)
        return SKC_ERR_INVALID;
      sp.side_px = size;
      return skc_shape_render (&sp, out);
    }
  /* Checked: size from the header, finite, non-negative, not empty. */
  s = skc_kernel_load (p->kernel_image, &k, NULL, 0);
  if (s != SKC_OK || size == 0)
    {
      *out = k;
      return s;
    }
  s = skc_family_target (NULL, k, (float) size, 0.0f, out);
  skc_kernel_free (k);
  return s;
}
