/* Kernel sources: what skc:bokeh is told to use, and the target and
 * fitted kernels the dialog shows (see sb-kernel.h).
 *
 * Whatever the source, the op gets the kernel itself, never a name or a
 * path: a shape string (an iris, a preset or shape) or inline data (a
 * brush, a drawn kernel, a kernel file), so a kept effect renders without
 * any file of the profile (plug-ins/PROPERTIES.md).
 *
 * Brush masks are read "as stored" (Y' float): a brush mask is a coverage,
 * and 50 % coverage must weigh half, as a gray 50 % in a kernel image
 * does (skc_kernel_from_image reads stored values too).  An iris is drawn
 * by the core (a polygon with curved blades) on a canvas of size + 2, the
 * core's rule for a kernel of diameter size, and turned by the op's
 * rotation, never here, so turning it never refits.
 */
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sb-kernel.h"

gchar *
sb_profile_dir (const gchar *sub)
{
  gchar *dir = g_build_filename (gimp_directory (), "sparse-bokeh", sub, NULL);

  g_mkdir_with_parents (dir, 0755);
  return dir;
}

typedef struct
{
  gchar  *path;
  gint64  mtime;
} Kept;

static gint
newer_first (gconstpointer a, gconstpointer b)
{
  const Kept *x = a, *y = b;

  return x->mtime < y->mtime ? 1 : x->mtime > y->mtime ? -1 : 0;
}

/* Keep the newest KEEP_FILES files of @prefix in @dir, and @keep:
 * painting a mask or drawing a kernel makes a new file each time it
 * settles. */
#define KEEP_FILES 16

static void
trim_folder (const gchar *dir, const gchar *prefix, const gchar *keep)
{
  GDir        *d = g_dir_open (dir, 0, NULL);
  GArray      *files = g_array_new (FALSE, FALSE, sizeof (Kept));
  const gchar *name;

  while (d && (name = g_dir_read_name (d)))
    if (g_str_has_prefix (name, prefix) && name[strlen (prefix)] == '-'
        && g_str_has_suffix (name, ".pfm"))
      {
        Kept     k = { g_build_filename (dir, name, NULL), 0 };
        GStatBuf st;

        if (g_stat (k.path, &st) == 0)
          k.mtime = (gint64) st.st_mtime;
        g_array_append_val (files, k);
      }
  if (d)
    g_dir_close (d);
  g_array_sort (files, newer_first);
  for (guint i = 0; i < files->len; i++)
    {
      Kept *k = &g_array_index (files, Kept, i);

      if (i >= KEEP_FILES && strcmp (k->path, keep) != 0)
        g_unlink (k->path);
      g_free (k->path);
    }
  g_array_free (files, TRUE);
}

gchar *
sb_profile_store_image (const SkcImage *image, const gchar *sub,
                        const gchar *prefix, GError **error)
{
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  gint32     dims[3] = { image->width, image->height, image->channels };
  gchar     *dir, *name, *path;
  SkcStatus  st;

  g_checksum_update (sum, (const guchar *) dims, sizeof dims);
  g_checksum_update (sum, (const guchar *) image->data,
                     (gsize) image->width * image->height * image->channels
                     * sizeof (float));
  name = g_strdup_printf ("%s-%.16s.pfm", prefix, g_checksum_get_string (sum));
  g_checksum_free (sum);
  dir = sb_profile_dir (sub);
  path = g_build_filename (dir, name, NULL);
  g_free (dir);
  g_free (name);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return path;

  /* skc_image_save is atomic: another process never sees half a file,
   * and the date is that of a complete one. */
  st = skc_image_save (image, path);
  if (st != SKC_OK)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("Cannot write the file '%s': %s"), path,
                   skc_status_message (st));
      g_clear_pointer (&path, g_free);
    }
  else
    {
      gchar *folder = g_path_get_dirname (path);

      trim_folder (folder, prefix, path);
      g_free (folder);
    }
  return path;
}

gchar *
sb_kernel_store (const SkcKernel *kernel, const gchar *prefix, GError **error)
{
  SkcImage *img = NULL;
  gchar    *path = NULL;
  SkcStatus st = skc_kernel_to_image (kernel, &img);

  if (st == SKC_OK)
    path = sb_profile_store_image (img, "kernels", prefix, error);
  else
    g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                 _("Cannot store the kernel: %s"), skc_status_message (st));
  skc_image_free (img);
  return path;
}

static gchar *
iris_kernel (const SbParams *p)
{
  SkcShapeParams sp;

  skc_shape_params_from_name ("polygon", &sp);
  sp.blades = p->iris_blades;
  sp.curvature = (float) p->iris_curvature;
  return skc_bokeh_shape_spec (&sp);
}

static gchar *
brush_kernel (const SbParams *p, GError **error)
{
  GeglBuffer *mask;
  SkcImage   *img = NULL;
  SkcKernel  *k = NULL;
  SkcStatus   st = SKC_ERR_INVALID;
  gchar      *data = NULL;

  if (!p->brush)
    {
      g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0,
                           _("The kernel comes from a brush, but no brush "
                             "is chosen."));
      return NULL;
    }
  mask = gimp_brush_get_mask (p->brush, 0, 0, babl_format ("Y' float"));
  if (mask)
    {
      const GeglRectangle *r = gegl_buffer_get_extent (mask);

      st = skc_image_new (r->width, r->height, 1, &img);
      if (st == SKC_OK)
        {
          gegl_buffer_get (mask, r, 1.0, babl_format ("Y' float"), img->data,
                           GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
          st = skc_kernel_from_image (img, &k);
        }
      g_object_unref (mask);
    }
  if (st != SKC_OK)
    {
      gchar *name = gimp_resource_get_name (GIMP_RESOURCE (p->brush));

      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("The brush '%s' cannot be used as a kernel: %s"),
                   name, skc_status_message (st));
      g_free (name);
    }
  else
    data = skc_bokeh_kernel_data (k, error);
  skc_image_free (img);
  skc_kernel_free (k);
  return data;
}

gchar *
sb_kernel_resolve (const SbParams *p, GError **error)
{
  gchar  *kernel = NULL;
  gchar  *inline_kernel;
  GError *err = NULL;

  switch (p->source)
    {
    case SB_SOURCE_PRESET:
      kernel = g_strdup (p->kernel);
      break;
    case SB_SOURCE_IRIS:
      kernel = iris_kernel (p);
      break;
    case SB_SOURCE_BRUSH:
      kernel = brush_kernel (p, error);
      break;
    case SB_SOURCE_FILE:
      if (!p->kernel_file)
        g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0,
                             _("The kernel comes from an image file, but no "
                               "file is chosen."));
      else
        kernel = g_strdup (p->kernel_file);
      break;
    case SB_SOURCE_DRAWN:
      if (!*p->drawn_kernel)
        g_set_error_literal (error, GIMP_PLUG_IN_ERROR, 0,
                             _("The kernel is drawn in the dialog, but "
                               "nothing has been drawn yet."));
      else
        kernel = g_strdup (p->drawn_kernel);
      break;
    }
  if (!kernel)
    return NULL;

  /* The op's own resolver: its messages name the problem exactly.  What
   * the effect gets is the kernel itself (a shape string or inline data),
   * never a name or path it could lose. */
  inline_kernel = skc_bokeh_kernel_inline (kernel, &err);
  g_free (kernel);
  if (!inline_kernel)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0, "%s", err->message);
      g_error_free (err);
    }
  return inline_kernel;
}

static SkcKernel *
complex_kernel (const SkcComplex *c, gint width, gint height)
{
  SkcKernel *k = NULL;

  if (skc_kernel_new (width | 1, height | 1, &k) != SKC_OK)
    return NULL;
  if (skc_complex_synthesize (c, k->width, k->height, k->data) != SKC_OK)
    g_clear_pointer (&k, skc_kernel_free);
  return k;
}

SkcKernel *
sb_kernel_target (const gchar *kernel, gint size, GError **error)
{
  GError    *err = NULL;
  SkcKernel *k = skc_bokeh_kernel_target (kernel, size, &err);

  if (!k)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0, "%s", err->message);
      g_error_free (err);
    }
  return k;
}

gboolean
sb_kernel_is_complex (const gchar *kernel)
{
  return g_str_has_prefix (kernel, "data:text/x-skc;")
         || g_str_has_suffix (kernel, ".skc");
}

SkcComplex *
sb_kernel_complex (const SkcBokehFit *fit)
{
  SkcComplex *c = NULL;

  if (skc_complex_copy (fit->family->bases[0], &c) != SKC_OK)
    return NULL;
  if (skc_family_eval (fit->family, fit->size, 0.0f, c) != SKC_OK)
    {
      skc_complex_free (c);
      return NULL;
    }
  return c;
}

SkcKernel *
sb_kernel_fitted (const SkcBokehFit *fit, gint width, gint height)
{
  SkcComplex *c = sb_kernel_complex (fit);
  SkcKernel  *k = c ? complex_kernel (c, width, height) : NULL;

  skc_complex_free (c);
  return k;
}
