/* The kernel editor's model: quality levels, fitting, user presets on disk
 * (see editor-store.h).
 *
 * Writing a preset is all or nothing: the kernel image and the complexes
 * go to hidden temporary files first, are renamed into place only when
 * every one of them was written, and the .preset file itself comes last
 * (skc_preset_save writes it atomically).  Every file goes through the
 * core's safe save (skc-file.c): a target that is a directory, device,
 * FIFO or symbolic link is refused, never replaced.  A preset that exists stays
 * valid if anything fails before that point.
 */
#include <errno.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "editor-store.h"

G_DEFINE_QUARK (sparse-bokeh-editor-error-quark, editor_error)

void
editor_fit_clear (EditorFit *fit)
{
  skc_complex_free (fit->complex);
  memset (fit, 0, sizeof *fit);
}

SkcStatus
editor_fit_level (SkcCache *cache, const SkcKernel *kernel, int level,
                  const EditorPlanes *planes,
                  SkcProgressFunc progress, void *progress_data,
                  EditorFit *out)
{
  SkcFitOptions opt;
  SkcStatus     s;
  double        t0 = skc_time_now ();

  memset (out, 0, sizeof *out);
  out->photo_psnr = out->scene_psnr = NAN;
  if (!kernel || level < 0 || level >= EDITOR_N_LEVELS)
    return SKC_ERR_INVALID;
  skc_fit_options_init (&opt);
  opt.n_samples = skc_quality_levels[level].samples;
  opt.n_layers = skc_quality_levels[level].layers;
  opt.progress = progress;
  opt.progress_data = progress_data;
  s = skc_cache_fit (cache, kernel, &opt, &out->complex, &out->cache_hit);
  if (s == SKC_OK)
    s = skc_eval_kernel_psnr (out->complex, kernel, &out->kernel_psnr);
  if (s == SKC_OK && planes && planes->photo)
    s = skc_eval_image_psnr (out->complex, kernel, planes->photo,
                             planes->photo_width, planes->photo_height,
                             &out->photo_psnr, NULL);
  if (s == SKC_OK && planes && planes->scene)
    s = skc_eval_image_psnr (out->complex, kernel, planes->scene,
                             planes->scene_width, planes->scene_height,
                             &out->scene_psnr, NULL);
  out->seconds = skc_time_now () - t0;
  if (s != SKC_OK)
    editor_fit_clear (out);
  return s;
}

char *
editor_sample_photo_find (const char *plugin_dir)
{
  const char *env = g_getenv ("SKC_SAMPLE_PHOTO");
  char       *path;

  if (env && *env)
    return g_file_test (env, G_FILE_TEST_IS_REGULAR) ? g_strdup (env) : NULL;
  path = plugin_dir ? g_build_filename (plugin_dir, "sample-photo.png", NULL) : NULL;
  if (path && g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return path;
  g_free (path);
#ifdef SKC_EDITOR_SOURCE_PHOTO
  if (g_file_test (SKC_EDITOR_SOURCE_PHOTO, G_FILE_TEST_IS_REGULAR))
    return g_strdup (SKC_EDITOR_SOURCE_PHOTO);
#endif
  return NULL;
}

float *
editor_sample_photo_load (const char *path, int *width, int *height)
{
  SkcImage *img = NULL;
  float    *lum = NULL, *out = NULL;

  if (path && skc_image_load (path, &img) == SKC_OK
      && skc_image_luminance_linear (img, &lum) == SKC_OK)
    {
      *width = img->width;
      *height = img->height;
      out = g_memdup2 (lum, (gsize) img->width * img->height * sizeof (float));
    }
  free (lum);
  skc_image_free (img);
  return out;
}

SkcKernel *
editor_kernel_quantize (const SkcKernel *kernel)
{
  SkcImage  *img = NULL;
  SkcKernel *k = NULL;
  size_t     n;

  if (!kernel || skc_kernel_to_image (kernel, &img) != SKC_OK)
    return NULL;
  /* the same rounding as the 16-bit PNG writer and reader in skc-image.c */
  n = (size_t) img->width * img->height;
  for (size_t i = 0; i < n; i++)
    {
      float    v = img->data[i];
      unsigned code = !(v > 0.0f) ? 0 : v >= 1.0f ? 65535
                      : (unsigned) lrint ((double) v * 65535.0);

      img->data[i] = code / 65535.0f;
    }
  if (skc_kernel_from_image (img, &k) != SKC_OK)
    k = NULL;
  skc_image_free (img);
  return k;
}

char *
editor_id_from_name (const char *name)
{
  GString *s = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = name ? name : ""; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (dash && s->len)
            g_string_append_c (s, '-');
          g_string_append_c (s, g_ascii_tolower (*p));
          dash = FALSE;
        }
      else
        dash = TRUE;
      if (s->len >= SKC_PRESET_ID_MAX - 1)
        break;
    }
  if (!s->len)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  return g_string_free (s, FALSE);
}

/* ---------------------------------------------------------------- files */

static char *
preset_path (const char *dir, const char *id)
{
  char *name = g_strconcat (id, ".preset", NULL);
  char *path = g_build_filename (dir, name, NULL);

  g_free (name);
  return path;
}

static char *
complex_basename (const char *id, int level)
{
  return g_strdup_printf ("%s-%dx%d.skc", id, skc_quality_levels[level].samples,
                          skc_quality_levels[level].layers);
}

static gboolean
same_dir (const char *a, const char *b)
{
  char    *ca = g_canonicalize_filename (a, NULL);
  char    *cb = g_canonicalize_filename (b, NULL);
  gboolean same = strcmp (ca, cb) == 0;

  g_free (ca);
  g_free (cb);
  return same;
}

/* Is @path one of preset @id's own companions in @dir: DIR/ID.png,
 * DIR/ID.pfm or DIR/ID-SxL.skc?  Only these are moved or removed. */
static gboolean
is_companion (const char *dir, const char *id, const char *path,
              const char **suffix)
{
  char       *d = g_path_get_dirname (path);
  char       *base = g_path_get_basename (path);
  gboolean    ok = FALSE;
  size_t      n = strlen (id);
  const char *rest = base + n;

  if (same_dir (d, dir) && strncmp (base, id, n) == 0)
    {
      if (strcmp (rest, ".png") == 0 || strcmp (rest, ".pfm") == 0)
        ok = TRUE;
      else if (rest[0] == '-' && g_str_has_suffix (rest, ".skc"))
        {
          int  a, b;
          char tail[8];

          ok = sscanf (rest, "-%dx%d%7s", &a, &b, tail) == 3
               && strcmp (tail, ".skc") == 0;
        }
    }
  if (ok && suffix)
    *suffix = path + strlen (path) - strlen (rest);
  g_free (d);
  g_free (base);
  return ok;
}

static gboolean
id_check (const char *id, const char *what, GError **error)
{
  if (skc_preset_id_valid (id))
    return TRUE;
  g_set_error (error, EDITOR_ERROR, EDITOR_ERROR_INPUT,
               _("%s '%s' is not a valid preset name: use lowercase letters, "
                 "digits and '-', at most %d characters."),
               what, id ? id : "", SKC_PRESET_ID_MAX - 1);
  return FALSE;
}

/* The user preset file of @id, or an error saying why there is none. */
static char *
existing_user_preset (const char *builtin_dir, const char *user_dir,
                      const char *id, const char *action, GError **error)
{
  char *path;

  if (!id_check (id, _("Preset"), error))
    return NULL;
  path = preset_path (user_dir, id);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return path;
  g_free (path);
  path = builtin_dir && *builtin_dir ? preset_path (builtin_dir, id) : NULL;
  if (path && g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_set_error (error, EDITOR_ERROR, EDITOR_ERROR_INPUT,
                 /* %s: "renamed" or "deleted" */
                 _("'%s' is a built-in preset; built-in presets cannot be %s."),
                 id, action);
  else
    g_set_error (error, EDITOR_ERROR, EDITOR_ERROR_INPUT,
                 _("There is no user preset '%s'."), id);
  g_free (path);
  return NULL;
}

static void
set_io_error (GError **error, const char *what, const char *path, int err)
{
  g_set_error (error, EDITOR_ERROR, EDITOR_ERROR_IO,
               /* what: "write", "rename", ...; path; reason */
               _("Could not %s '%s': %s"), what, path, g_strerror (err));
}

/* ---------------------------------------------------------------- write */

typedef struct
{
  char *tmp;    /* written here first   */
  char *final;  /* renamed to this      */
} PendingFile;

static void
pending_free (gpointer data)
{
  PendingFile *f = data;

  if (f->tmp)
    g_unlink (f->tmp);
  g_free (f->tmp);
  g_free (f->final);
  g_free (f);
}

static char *
tmp_name (const char *dir, const char *base)
{
  /* a hidden name keeping the extension, which picks the file format */
  char *name = g_strdup_printf (".tmp-%08x-%s", g_random_int (), base);
  char *path = g_build_filename (dir, name, NULL);

  g_free (name);
  return path;
}

gboolean
editor_preset_write (const char *user_dir, const char *id, const char *name,
                     const SkcKernel *kernel, const SkcShapeParams *shape,
                     const EditorFit *fits, int suggested_level,
                     gboolean overwrite, char **path_out, GError **error)
{
  GPtrArray *pending = g_ptr_array_new_with_free_func (pending_free);
  GPtrArray *refs = g_ptr_array_new_with_free_func (g_free);
  SkcPreset  p = { 0 };
  SkcPreset *old = NULL;
  char      *path = NULL;
  gboolean   ok = FALSE;
  SkcStatus  s;

  if (path_out)
    *path_out = NULL;
  if (!id_check (id, _("Preset"), error))
    goto out;
  if (!shape && (!kernel || !(skc_kernel_sum (kernel) > 0.0)))
    {
      g_set_error (error, EDITOR_ERROR, EDITOR_ERROR_INPUT,
                   _("The kernel is empty: it has no positive weight."));
      goto out;
    }
  path = preset_path (user_dir, id);
  if (g_file_test (path, G_FILE_TEST_EXISTS) && !overwrite)
    {
      g_set_error (error, EDITOR_ERROR, EDITOR_ERROR_EXISTS,
                   _("A user preset '%s' exists already."), id);
      goto out;
    }
  if (g_mkdir_with_parents (user_dir, 0755) != 0)
    {
      set_io_error (error, _("create the folder"), user_dir, errno);
      goto out;
    }

  /* the kernel image */
  if (!shape)
    {
      SkcImage    *img = NULL;
      PendingFile *f = g_new0 (PendingFile, 1);
      char        *base = g_strconcat (id, ".png", NULL);

      f->final = g_build_filename (user_dir, base, NULL);
      f->tmp = tmp_name (user_dir, base);
      g_ptr_array_add (pending, f);
      p.kernel_image = base;
      s = skc_kernel_to_image (kernel, &img);
      if (s == SKC_OK)
        s = skc_image_save (img, f->tmp);
      skc_image_free (img);
      if (s != SKC_OK)
        {
          g_set_error (error, EDITOR_ERROR, EDITOR_ERROR_IO,
                       _("Could not write '%s': %s"), f->final,
                       skc_status_message (s));
          goto out;
        }
    }

  /* the fitted complexes */
  for (int l = 0; fits && l < EDITOR_N_LEVELS; l++)
    {
      SkcComplex  *c = NULL;
      PendingFile *f;
      char        *base;

      if (!fits[l].complex)
        continue;
      base = complex_basename (id, l);
      f = g_new0 (PendingFile, 1);
      f->final = g_build_filename (user_dir, base, NULL);
      f->tmp = tmp_name (user_dir, base);
      g_ptr_array_add (pending, f);
      g_ptr_array_add (refs, base);
      s = skc_complex_copy (fits[l].complex, &c);
      if (s == SKC_OK)
        {
          g_strlcpy (c->kernel_name, id, sizeof c->kernel_name);
          s = skc_complex_save (c, f->tmp);
        }
      skc_complex_free (c);
      if (s != SKC_OK)
        {
          g_set_error (error, EDITOR_ERROR, EDITOR_ERROR_IO,
                       _("Could not write '%s': %s"), f->final,
                       skc_status_message (s));
          goto out;
        }
    }

  /* every file is written: move them into place, then the preset */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    skc_preset_load (path, &old, NULL);
  for (guint i = 0; i < pending->len; i++)
    {
      PendingFile *f = g_ptr_array_index (pending, i);

      s = skc_file_check_target (f->final);
      if (s != SKC_OK)
        {
          g_set_error (error, EDITOR_ERROR, EDITOR_ERROR_IO,
                       _("Could not write '%s': %s"), f->final,
                       skc_status_message (s));
          goto out;
        }
      if (g_rename (f->tmp, f->final) != 0)
        {
          set_io_error (error, _("rename"), f->final, errno);
          goto out;
        }
      g_clear_pointer (&f->tmp, g_free);
    }
  p.name = (char *) (name && *name ? name : id);
  p.is_shape = shape != NULL;
  if (shape)
    {
      p.shape = *shape;
      p.shape.side_px = 0;
    }
  if (suggested_level >= 0 && suggested_level < EDITOR_N_LEVELS)
    {
      p.samples = skc_quality_levels[suggested_level].samples;
      p.layers = skc_quality_levels[suggested_level].layers;
    }
  p.n_complexes = (int) refs->len;
  p.complexes = (char **) refs->pdata;
  s = skc_preset_save (&p, path);
  if (s != SKC_OK)
    {
      g_set_error (error, EDITOR_ERROR, EDITOR_ERROR_IO,
                   _("Could not write '%s': %s"), path, skc_status_message (s));
      /* the preset was not replaced: take the new companions away again,
       * unless they overwrote the old preset's own files */
      for (guint i = 0; i < pending->len && !old; i++)
        g_unlink (((PendingFile *) g_ptr_array_index (pending, i))->final);
      goto out;
    }

  /* the old version's companions that are no longer referenced */
  if (old)
    {
      const char *files[SKC_MAX_LAYERS + 2];
      int         n = 0;

      if (old->kernel_image)
        files[n++] = old->kernel_image;
      for (int i = 0; i < old->n_complexes && n < (int) G_N_ELEMENTS (files); i++)
        files[n++] = old->complexes[i];
      for (int i = 0; i < n; i++)
        {
          gboolean kept = FALSE;

          for (guint j = 0; j < pending->len; j++)
            kept |= strcmp (files[i], ((PendingFile *) g_ptr_array_index (pending, j))->final) == 0;
          if (!kept && is_companion (user_dir, id, files[i], NULL))
            g_unlink (files[i]);
        }
    }
  ok = TRUE;
  if (path_out)
    *path_out = g_strdup (path);

out:
  g_free (p.kernel_image);
  skc_preset_free (old);
  g_ptr_array_unref (refs);
  g_ptr_array_unref (pending);
  g_free (path);
  return ok;
}

/* ---------------------------------------------------------------- rename */

/* Copy companion @from to @to; a complex gets @id as its kernel name. */
static gboolean
copy_companion (const char *from, const char *to, const char *id, GError **error)
{
  if (g_str_has_suffix (from, ".skc"))
    {
      GError     *e = NULL;
      SkcComplex *c = skc_complex_load_file (from, &e);
      SkcStatus   s = c ? SKC_OK : e->code;

      g_clear_error (&e);
      if (s == SKC_OK)
        {
          g_strlcpy (c->kernel_name, id, sizeof c->kernel_name);
          s = skc_complex_save (c, to);
        }
      skc_complex_free (c);
      if (s != SKC_OK)
        g_set_error (error, EDITOR_ERROR, EDITOR_ERROR_IO,
                     _("Could not copy '%s' to '%s': %s"), from, to,
                     skc_status_message (s));
      return s == SKC_OK;
    }
  else
    {
      /* a kernel image: 1025 x 1025 x 16-bit is about 2 MB */
      char     *data = NULL;
      size_t    len = 0;
      SkcStatus s = skc_file_read (from, 64 << 20, 0, &data, &len);

      if (s == SKC_OK)
        s = skc_file_write (to, data, len);
      free (data);
      if (s != SKC_OK)
        g_set_error (error, EDITOR_ERROR, EDITOR_ERROR_IO,
                     _("Could not copy '%s' to '%s': %s"), from, to,
                     skc_status_message (s));
      return s == SKC_OK;
    }
}

gboolean
editor_preset_rename (const char *builtin_dir, const char *user_dir,
                      const char *old_id, const char *new_id,
                      const char *new_name, char **path_out, GError **error)
{
  char      *old_path, *new_path = NULL;
  SkcPreset *p = NULL;
  GPtrArray *created = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *obsolete = g_ptr_array_new_with_free_func (g_free);
  gboolean   same, ok = FALSE;
  GError    *e = NULL;
  SkcStatus  s;

  if (path_out)
    *path_out = NULL;
  old_path = existing_user_preset (builtin_dir, user_dir, old_id, _("renamed"), error);
  if (!old_path || !id_check (new_id, _("New name"), error))
    goto out;
  same = strcmp (old_id, new_id) == 0;
  new_path = preset_path (user_dir, new_id);
  if (!same && g_file_test (new_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, EDITOR_ERROR, EDITOR_ERROR_EXISTS,
                   _("A user preset '%s' exists already."), new_id);
      goto out;
    }
  if (skc_preset_load (old_path, &p, &e) != SKC_OK)
    {
      g_set_error (error, EDITOR_ERROR, EDITOR_ERROR_INPUT,
                   _("Could not read the preset: %s"), e->message);
      g_clear_error (&e);
      goto out;
    }

  /* copy its own companion files under the new id and point the preset
   * at the copies; the originals go only once the new preset is written */
  {
    char **files[SKC_MAX_LAYERS + 1];
    int    n = 0;

    if (p->kernel_image)
      files[n++] = &p->kernel_image;
    for (int i = 0; i < p->n_complexes && n < (int) G_N_ELEMENTS (files); i++)
      files[n++] = &p->complexes[i];
    for (int i = 0; i < n; i++)
      {
        const char *suffix;
        char       *to, *d;

        if (!same && is_companion (user_dir, old_id, *files[i], &suffix))
          {
            char *base = g_strconcat (new_id, suffix, NULL);

            to = g_build_filename (user_dir, base, NULL);
            g_free (base);
            if (!copy_companion (*files[i], to, new_id, error))
              {
                g_unlink (to);
                g_free (to);
                goto out;
              }
            g_ptr_array_add (created, g_strdup (to));
            g_ptr_array_add (obsolete, g_strdup (*files[i]));
          }
        else
          to = g_strdup (*files[i]);
        /* relative when in the user folder, as the editor writes them */
        d = g_path_get_dirname (to);
        g_free (*files[i]);
        *files[i] = same_dir (d, user_dir) ? g_path_get_basename (to) : g_strdup (to);
        g_free (d);
        g_free (to);
      }
  }
  if (new_name && *new_name)
    {
      g_free (p->name);
      p->name = g_strdup (new_name);
    }
  else if (!same)
    {
      g_free (p->name);
      p->name = g_strdup (new_id);
    }
  s = skc_preset_save (p, new_path);
  if (s != SKC_OK)
    {
      g_set_error (error, EDITOR_ERROR, EDITOR_ERROR_IO,
                   _("Could not write '%s': %s"), new_path, skc_status_message (s));
      goto out;
    }
  if (!same)
    g_unlink (old_path);
  for (guint i = 0; i < obsolete->len; i++)
    g_unlink (g_ptr_array_index (obsolete, i));
  g_ptr_array_set_size (created, 0);   /* keep them */
  ok = TRUE;
  if (path_out)
    *path_out = g_strdup (new_path);

out:
  for (guint i = 0; i < created->len; i++)   /* on failure only */
    g_unlink (g_ptr_array_index (created, i));
  g_ptr_array_unref (created);
  g_ptr_array_unref (obsolete);
  skc_preset_free (p);
  g_free (old_path);
  g_free (new_path);
  return ok;
}

/* ---------------------------------------------------------------- delete */

gboolean
editor_preset_delete (const char *builtin_dir, const char *user_dir,
                      const char *id, GError **error)
{
  char      *path;
  SkcPreset *p = NULL;

  path = existing_user_preset (builtin_dir, user_dir, id, _("deleted"), error);
  if (!path)
    return FALSE;
  /* a preset that no longer parses is still removed, without companions */
  skc_preset_load (path, &p, NULL);
  if (g_unlink (path) != 0)
    {
      set_io_error (error, _("remove"), path, errno);
      skc_preset_free (p);
      g_free (path);
      return FALSE;
    }
  if (p)
    {
      if (p->kernel_image && is_companion (user_dir, id, p->kernel_image, NULL))
        g_unlink (p->kernel_image);
      for (int i = 0; i < p->n_complexes; i++)
        if (is_companion (user_dir, id, p->complexes[i], NULL))
          g_unlink (p->complexes[i]);
    }
  skc_preset_free (p);
  g_free (path);
  return TRUE;
}
