/* Kernel resolution and the in-memory fit cache of skc:bokeh.
 *
 * The kernel property is read in this order:
 *   0. inline data ("data:...", skc_inline_decode: a kernel image or a
 *      complex carried by the effect itself) or a shape with its
 *      parameters ("shape:polygon;blades=6;curvature=0.35", written by
 *      skc_bokeh_shape_spec); see plug-ins/PROPERTIES.md;
 *   1. a name ending in .skc is a fitted complex (skc_complex_load);
 *   2. a name ending in .png or .pfm is a kernel image (skc_image_load,
 *      gray values as stored, skc_kernel_from_image);
 *   3. a preset id ("iris-6", "catseye", a user's "my-heart"): the user's
 *      presets first, then the built-in ones (skc-preset.h); a preset is
 *      a shape with its parameters or a kernel image;
 *   4. a shape name known to skc_shape_params_from_name ("heart", "hexagon",
 *      "disk", ...);
 *   5. any other existing file is tried as a kernel image;
 *   6. anything else is an error that lists the shape names.
 *
 * Below the memory cache sits the disk fit cache shared with the plug-ins
 * and skc (skc-cache.h): a fit that the Sparse Bokeh plug-in ran in its own
 * process, with a progress bar, is read back here at once.
 *
 * Sizes are diameters as skc-family.c counts them (a kernel image of side
 * W has diameter W - 2).  What is fitted does not depend on the size, the
 * rotation or the mode (issue 12: dragging the size slider never refits):
 *   - a shape or a kernel image: one size family (skc_family_fit) from
 *     SKC_FAMILY_CANON_MIN to SKC_FAMILY_CANON_TOP px, SKC_FAMILY_CANON_BASES
 *     bases, a kernel image wider than that one basis more (skc.h,
 *     skc_family_canon) (the core draws the shape, or resamples the image, at each basis
 *     diameter).  Every size and mode evaluates it: the uniform mode at the
 *     one size (skc_family_eval: bases interpolated tap by tap below the top
 *     basis, its offsets scaled beyond it; small kernels the dense
 *     kernel itself, skc_family_uniform), the varying modes per pixel.
 *     Measured in tests/bench/results/interactive.md against the per-size
 *     fits this replaces.
 *   - .skc, any mode: no fit; a family of one basis whose size is the
 *     complex's target diameter, so other sizes scale its offsets.
 * Size 0 means a kernel image's or .skc file's own diameter.
 *
 * The cache key is the kernel identity (a file's path, mtime and size, so
 * an edited file refits), samples and layers; a request's size is kept in
 * the SkcBokehFit handed out (a small handle on the shared family).  At
 * most CACHE_MAX families are kept; the least recently used goes first.
 * Entries and handles are reference counted, so eviction never frees a
 * family that a render still uses.
  */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "skc-bokeh-kernels.h"
#include "skc-cache.h"
#include "skc-preset.h"
#include "skc-private.h"   /* skc_family_target */

#define CACHE_MAX        24     /* families kept in memory                 */
#define CHECKS_MAX       256    /* fidelity checks kept per family         */

G_DEFINE_QUARK (skc-bokeh-error-quark, skc_bokeh_error)

typedef enum
{
  SOURCE_SHAPE,
  SOURCE_IMAGE,
  SOURCE_COMPLEX
} SourceKind;

typedef struct
{
  SourceKind     kind;
  SkcShapeParams shape;      /* SOURCE_SHAPE                               */
  gchar         *path;       /* SOURCE_IMAGE, SOURCE_COMPLEX from a file   */
  SkcInline      data;       /* SOURCE_IMAGE, SOURCE_COMPLEX inline        */
  gchar         *identity;
} Source;

/* What a cache entry holds, shared by every SkcBokehFit made from it. */
typedef struct
{
  gint        ref_count;
  gboolean    core_family;   /* from skc_family_fit (vs. built here)       */
  SkcFamily  *family;
  gfloat      native_size;   /* the kernel's own diameter; 0 for a shape  */
  gboolean    has_shape;     /* the dense kernel it stands for: a shape ... */
  SkcShapeParams shape;
  SkcKernel  *image;         /* ... or a kernel image (NULL for a .skc)     */
  /* fidelity checks of uniform renders (skc_bokeh_fit_fidelity): a size
   * and angle's bits -> gdouble PSNR; the key's samples and layers are
   * the entry's own */
  GMutex      checks_lock;
  GHashTable *checks;
} Fitted;

typedef struct
{
  Fitted      *fitted;       /* NULL while pending                         */
  guint64      last_used;
} Entry;

static GMutex      cache_lock;
static GCond       cache_cond;
static GHashTable *cache_table;   /* key -> Entry*, under cache_lock       */
static guint64     cache_clock;
static SkcCache   *disk_cache;    /* opened once, under cache_lock        */
static gboolean    disk_cache_tried;
static guint       fit_count;     /* families fitted (not found in a cache) */
static guint       check_count;   /* fidelity checks measured (not cached) */

/* ---------------------------------------------------------------- sources */

static gboolean
has_suffix (const gchar *name, const gchar *suffix)
{
  gsize n = strlen (name), m = strlen (suffix);

  return n > m && g_ascii_strcasecmp (name + n - m, suffix) == 0;
}

static gchar *
shape_names (void)
{
  return g_strdup ("disk, triangle, square, pentagon, hexagon, heptagon, "
                   "octagon, ring, star, heart, gaussian, coma, catseye");
}

gchar *
skc_bokeh_user_preset_dir (void)
{
  const gchar *env = g_getenv ("SKC_USER_PRESET_DIR");
  const gchar *profile = g_getenv ("GIMP3_DIRECTORY");

  if (env && *env)
    return g_strdup (env);
  if (profile && *profile)
    return g_build_filename (profile, "sparse-bokeh", "presets", NULL);
  return g_build_filename (g_get_user_config_dir (), "GIMP", "3.0",
                           "sparse-bokeh", "presets", NULL);
}

static gboolean file_source (const gchar *path, SourceKind kind, Source *src,
                             GError **error);

/* A preset id: the preset's shape or kernel image.  FALSE (no error) when
 * @kernel names no preset; FALSE with @error for a broken preset file. */
static gboolean
preset_source (const gchar *kernel, Source *src, GError **error)
{
  SkcPreset *p = NULL;
  gchar     *user = skc_bokeh_user_preset_dir ();
  SkcStatus  st = skc_preset_find (skc_preset_builtin_dir (), user, kernel, &p);
  gboolean   ok = FALSE;

  g_free (user);
  if (st == SKC_ERR_FORMAT)
    {
      g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                   _("preset '%s' is damaged and cannot be read"), kernel);
      return FALSE;
    }
  if (st != SKC_OK)
    return FALSE;
  if (p->is_shape)
    {
      /* the parameters are part of the identity: an edited preset refits;
       * '.' whatever the locale, since it keys the shared disk cache */
      const gdouble v[5] = { p->shape.curvature, p->shape.rotation_deg,
                             p->shape.inner, p->shape.sigma,
                             p->shape.strength };
      gchar         num[5][G_ASCII_DTOSTR_BUF_SIZE];

      src->kind = SOURCE_SHAPE;
      src->shape = p->shape;
      for (gint i = 0; i < 5; i++)
        g_ascii_formatd (num[i], sizeof num[i], "%g", v[i]);
      src->identity = g_strdup_printf ("preset:%s:%d:%d:%s:%s:%s:%s:%s",
                                       p->id, (int) p->shape.type,
                                       p->shape.blades, num[0], num[1],
                                       num[2], num[3], num[4]);
      ok = TRUE;
    }
  else
    ok = file_source (p->kernel_image, SOURCE_IMAGE, src, error);
  skc_preset_free (p);
  return ok;
}

static gboolean
file_source (const gchar *path, SourceKind kind, Source *src, GError **error)
{
  GStatBuf st;
  gint     e = 0;

  if (g_stat (path, &st) != 0)
    e = errno;
  else if (!S_ISREG (st.st_mode))
    e = S_ISDIR (st.st_mode) ? EISDIR : EINVAL;
  if (e)
    {
      g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                   kind == SOURCE_COMPLEX
                   ? _("cannot read kernel complex '%s': %s")
                   : _("cannot read kernel image '%s': %s"),
                   path, g_strerror (e));
      return FALSE;
    }
  src->kind = kind;
  src->path = g_strdup (path);
  src->identity = g_strdup_printf ("%s:%s@%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                   kind == SOURCE_COMPLEX ? "skc" : "image",
                                   path, (gint64) st.st_mtime,
                                   (gint64) st.st_size);
  return TRUE;
}

/* ------------------------------------------------------------ shape specs */

gchar *
skc_bokeh_shape_spec (const SkcShapeParams *p)
{
  gchar c[G_ASCII_DTOSTR_BUF_SIZE], r[G_ASCII_DTOSTR_BUF_SIZE];
  gchar i[G_ASCII_DTOSTR_BUF_SIZE], s[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup_printf ("shape:%s;blades=%d;curvature=%s;rotation=%s;"
                          "inner=%s;strength=%s", skc_shape_name (p->type),
                          p->blades,
                          g_ascii_formatd (c, sizeof c, "%.9g", p->curvature),
                          g_ascii_formatd (r, sizeof r, "%.9g", p->rotation_deg),
                          g_ascii_formatd (i, sizeof i, "%.9g", p->inner),
                          g_ascii_formatd (s, sizeof s, "%.9g", p->strength));
}

/* A number of a shape spec, the whole of @text, in @lo .. @hi. */
static gboolean
spec_number (const gchar *text, gdouble lo, gdouble hi, gdouble *out)
{
  gchar *end;

  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && *out >= lo && *out <= hi;
}

gboolean
skc_bokeh_shape_spec_parse (const gchar *spec, SkcShapeParams *p,
                            GError **error)
{
  gchar  **parts;
  gboolean ok;

  if (!g_str_has_prefix (spec, "shape:"))
    return FALSE;
  parts = g_strsplit (spec + 6, ";", -1);
  ok = skc_shape_params_from_name (parts[0], p) == SKC_OK;
  for (gint k = 1; ok && parts[k]; k++)
    {
      gchar  *eq = strchr (parts[k], '=');
      gdouble v = 0.0;

      if (!eq)
        {
          ok = FALSE;
          break;
        }
      *eq++ = '\0';
      if (strcmp (parts[k], "blades") == 0)
        ok = spec_number (eq, 3, 12, &v) && v == (gint) v
             && ((p->blades = (gint) v), TRUE);
      else if (strcmp (parts[k], "curvature") == 0)
        ok = spec_number (eq, 0.0, 1.0, &v) && ((p->curvature = v), TRUE);
      else if (strcmp (parts[k], "rotation") == 0)
        ok = spec_number (eq, -3600.0, 3600.0, &v)
             && ((p->rotation_deg = v), TRUE);
      else if (strcmp (parts[k], "inner") == 0)
        ok = spec_number (eq, 0.0, 1.0, &v) && ((p->inner = v), TRUE);
      else if (strcmp (parts[k], "strength") == 0)
        ok = spec_number (eq, 0.0, 1.0, &v) && ((p->strength = v), TRUE);
      /* other keys: ignored, for newer writers */
    }
  g_strfreev (parts);
  if (!ok)
    g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                 _("malformed shape '%s': expected shape:NAME;blades=N;"
                   "curvature=C;rotation=DEG;inner=R;strength=S"), spec);
  return ok;
}

/* Inline data: decoded now, so that bad data is reported at once. */
static gboolean
inline_source (const gchar *kernel, Source *src, GError **error)
{
  SkcStatus st = skc_inline_decode (kernel, &src->data);
  gchar    *sum;

  if (st == SKC_OK && src->data.map_width > 0)
    {
      skc_inline_clear (&src->data);
      st = SKC_ERR_FORMAT;   /* a map is not a kernel */
    }
  if (st != SKC_OK)
    {
      g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                   _("cannot read the stored kernel (inline data, %zu "
                     "characters): %s"), strlen (kernel),
                   skc_status_message (st));
      return FALSE;
    }
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, kernel, -1);
  src->kind = src->data.complex ? SOURCE_COMPLEX : SOURCE_IMAGE;
  src->identity = g_strdup_printf ("data:%.16s", sum);
  g_free (sum);
  return TRUE;
}

static gboolean
source_resolve (const gchar *kernel, Source *src, GError **error)
{
  memset (src, 0, sizeof *src);
  if (!kernel || !*kernel)
    {
      g_set_error_literal (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                           _("no kernel given: name a shape, a kernel image "
                             "(.png, .pfm) or a .skc file"));
      return FALSE;
    }
  if (skc_inline_is_data (kernel))
    return inline_source (kernel, src, error);
  if (g_str_has_prefix (kernel, "shape:"))
    {
      if (!skc_bokeh_shape_spec_parse (kernel, &src->shape, error))
        return FALSE;
      src->kind = SOURCE_SHAPE;
      src->identity = skc_bokeh_shape_spec (&src->shape);
      return TRUE;
    }
  if (has_suffix (kernel, ".skc"))
    return file_source (kernel, SOURCE_COMPLEX, src, error);
  if (has_suffix (kernel, ".png") || has_suffix (kernel, ".pfm"))
    return file_source (kernel, SOURCE_IMAGE, src, error);
  {
    /* preset ids are lowercase; "Heart" finds the preset "heart" */
    gchar   *id = g_ascii_strdown (kernel, -1);
    GError  *perr = NULL;
    gboolean found = skc_preset_id_valid (id) && preset_source (id, src, &perr);

    g_free (id);
    if (found)
      return TRUE;
    if (perr)
      {
        g_propagate_error (error, perr);
        return FALSE;
      }
  }
  if (skc_shape_params_from_name (kernel, &src->shape) == SKC_OK)
    {
      src->kind = SOURCE_SHAPE;
      src->identity = g_strdup_printf ("shape:%s", kernel);
      for (gchar *p = src->identity; *p; p++)
        *p = g_ascii_tolower (*p);
      return TRUE;
    }
  if (g_file_test (kernel, G_FILE_TEST_IS_REGULAR))
    return file_source (kernel, SOURCE_IMAGE, src, error);
  {
    gchar *names = shape_names ();

    g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                 _("unknown kernel '%s': not a shape (%s) and not an "
                   "existing .png, .pfm or .skc file"), kernel, names);
    g_free (names);
  }
  return FALSE;
}

static void
source_clear (Source *src)
{
  skc_inline_clear (&src->data);
  g_clear_pointer (&src->path, g_free);
  g_clear_pointer (&src->identity, g_free);
}

gchar *
skc_bokeh_kernel_identity (const gchar *kernel, GError **error)
{
  Source src;
  gchar *id;

  if (!source_resolve (kernel, &src, error))
    return NULL;
  id = g_steal_pointer (&src.identity);
  source_clear (&src);
  return id;
}

/* ---------------------------------------------------------------- fits */

/* The kernel image of @src: its stored copy, or its file read and checked
 * by the core (size from the header, finite, non-negative, not empty). */
static SkcKernel *
source_image (const Source *src, GError **error)
{
  SkcKernel *k = NULL;
  SkcStatus  st;

  if (!src->data.image)
    return skc_kernel_load_file (src->path, error);
  st = skc_kernel_from_image (src->data.image, &k);
  if (st != SKC_OK)
    g_set_error_literal (error, SKC_ERROR, st, skc_status_message (st));
  return k;
}

/* The status a failed source_image or source_complex set in @e (SKC_OK
 * if none); @e is cleared. */
static SkcStatus
take_status (GError **e)
{
  SkcStatus st = *e ? (SkcStatus) (*e)->code : SKC_OK;

  g_clear_error (e);
  return st;
}

/* The complex of @src, a copy of its stored one or read from its file. */
static SkcComplex *
source_complex (const Source *src, GError **error)
{
  SkcComplex *c = NULL;
  SkcStatus   st;

  if (!src->data.complex)
    return skc_complex_load_file (src->path, error);
  st = skc_complex_copy (src->data.complex, &c);
  if (st != SKC_OK)
    g_set_error_literal (error, SKC_ERROR, st, skc_status_message (st));
  return c;
}

/* A family of one basis that owns @complex. */
static SkcFamily *
family_of_one (SkcComplex *complex, gfloat size)
{
  SkcFamily *f = g_new0 (SkcFamily, 1);

  f->n_bases = 1;
  f->sizes[0] = size;
  f->bases[0] = complex;
  return f;
}

static void
fitted_unref (Fitted *f)
{
  if (!f || !g_atomic_int_dec_and_test (&f->ref_count))
    return;
  if (f->family)
    {
      if (f->core_family)
        skc_family_free (f->family);
      else
        {
          for (gint i = 0; i < f->family->n_bases; i++)
            skc_complex_free (f->family->bases[i]);
          g_free (f->family);
        }
    }
  skc_kernel_free (f->image);
  if (f->checks)
    g_hash_table_destroy (f->checks);
  g_mutex_clear (&f->checks_lock);
  g_free (f);
}

SkcBokehFit *
skc_bokeh_fit_ref (SkcBokehFit *fit)
{
  g_atomic_int_inc (&fit->ref_count);
  return fit;
}

void
skc_bokeh_fit_unref (SkcBokehFit *fit)
{
  if (fit && g_atomic_int_dec_and_test (&fit->ref_count))
    {
      fitted_unref (fit->shared);
      g_free (fit->identity);
      g_free (fit);
    }
}

/* A handle on @f for a request of diameter @size (0: the kernel's own). */
static SkcBokehFit *
fit_handle (Fitted *f, gint size, const gchar *identity)
{
  SkcBokehFit *fit = g_new0 (SkcBokehFit, 1);

  g_atomic_int_inc (&f->ref_count);
  fit->ref_count = 1;
  fit->shared = f;
  fit->family = f->family;
  fit->size = size > 0 ? (gfloat) size : f->native_size;
  fit->identity = g_strdup (identity);
  return fit;
}

SkcKernel *
skc_bokeh_fit_target (const SkcBokehFit *fit, gfloat angle)
{
  return fit ? skc_bokeh_fit_target_at (fit, fit->size, angle) : NULL;
}

SkcKernel *
skc_bokeh_fit_target_at (const SkcBokehFit *fit, gfloat size, gfloat angle)
{
  const Fitted *f = fit ? fit->shared : NULL;
  SkcKernel    *k = NULL;

  if (!f || (!f->has_shape && !f->image))
    return NULL;
  if (skc_kernel_target (f->has_shape ? &f->shape : NULL, f->image,
                         size, angle, &k) != SKC_OK)
    return NULL;
  return k;
}

/* Diameters follow skc-family.c: a kernel on a canvas of side W (the
 * larger side) has diameter W - 2, the canvas keeping a pixel of
 * anti-aliasing margin on each side. */
static gfloat
kernel_diameter (gint width, gint height)
{
  gint side = MAX (width, height);

  return side > 3 ? (gfloat) (side - 2) : 1.0f;
}

/* A loaded complex's diameter: its recorded target's, else its reach's. */
static gfloat
complex_diameter (const SkcComplex *c)
{
  if (c->target_width > 0 && c->target_height > 0)
    return kernel_diameter (c->target_width, c->target_height);
  return (gfloat) MAX (2 * (skc_complex_reach (c) - 1), 1);
}

static void
fit_options (const SkcBokehRequest *req, SkcFitOptions *o)
{
  skc_fit_options_init (o);
  o->n_samples = req->samples;
  o->n_layers = req->layers;
  o->n_threads = 0;   /* all cores; the result does not depend on it */
  o->progress = req->progress;
  o->progress_data = req->progress_data;
}

/* The process's disk cache, or NULL if it cannot be opened (then every
 * fit simply runs).  $SKC_NO_DISK_CACHE=1 turns it off, for tests. */
static SkcCache *
disk_cache_get (void)
{
  SkcCache *c;

  g_mutex_lock (&cache_lock);
  if (!disk_cache_tried)
    {
      const gchar *off = g_getenv ("SKC_NO_DISK_CACHE");

      disk_cache_tried = TRUE;
      if (!(off && *off && strcmp (off, "0") != 0)
          && skc_cache_open (NULL, 0, &disk_cache) != SKC_OK)
        g_warning ("skc:bokeh: the fit cache folder cannot be created; "
                   "fits are not kept between sessions");
    }
  c = disk_cache;
  g_mutex_unlock (&cache_lock);
  return c;
}

/* The family for @src (see the top of the file), or NULL with @error. */
static Fitted *
fit_run (const SkcBokehRequest *req, Source *src, GError **error)
{
  Fitted       *f = g_new0 (Fitted, 1);
  SkcFitOptions o;
  SkcKernel    *k = NULL;
  SkcComplex   *c = NULL;
  SkcStatus     st = SKC_OK;
  const gchar  *name = src->path ? src->path
                       : skc_inline_is_data (req->kernel) ? src->identity
                       : req->kernel;
  int           hit = 0, n_bases;
  gfloat        top;

  f->ref_count = 1;
  g_mutex_init (&f->checks_lock);
  fit_options (req, &o);

  if (src->kind == SOURCE_COMPLEX)
    {
      GError *e = NULL;

      c = source_complex (src, &e);
      if (!c)
        g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                     _("cannot load kernel complex '%s': %s"), name,
                     e->message);
      /* zero or huge weights, a far tap: refused, not a black layer */
      else if (!skc_complex_check_usable (c, src->path ? src->path : name, &e))
        g_set_error_literal (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                             e->message);
      if (e)
        {
          g_error_free (e);
          skc_complex_free (c);
          fitted_unref (f);
          return NULL;
        }
      f->native_size = complex_diameter (c);
      f->family = family_of_one (c, f->native_size);
      return f;
    }

  if (src->kind == SOURCE_IMAGE)
    {
      GError *e = NULL;

      k = source_image (src, &e);
      if (!k)
        {
          /* too large or bad values: the core's explanation says it all */
          if (e->code == SKC_ERR_TOO_LARGE || e->code == SKC_ERR_INVALID)
            g_set_error_literal (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                                 e->message);
          else
            g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                         _("cannot load kernel image '%s': %s"), name,
                         skc_status_message (e->code));
          g_error_free (e);
          fitted_unref (f);
          return NULL;
        }
      f->native_size = kernel_diameter (k->width, k->height);
    }

  /* The core draws the shape (or resamples the image) at every basis. */
  skc_family_canon (src->kind == SOURCE_SHAPE ? NULL : k, &top, &n_bases);
  st = skc_cache_family_fit (disk_cache_get (),
                             src->kind == SOURCE_SHAPE ? &src->shape : NULL,
                             src->kind == SOURCE_SHAPE ? NULL : k,
                             SKC_FAMILY_CANON_MIN, top, n_bases, &o,
                             &f->family, &hit);
  f->core_family = TRUE;
  f->has_shape = src->kind == SOURCE_SHAPE;
  f->shape = src->shape;
  f->image = k;   /* the exact path's truth (skc_bokeh_fit_target) */

  if (st != SKC_OK)
    {
      if (st == SKC_ERR_CANCELLED)
        g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_FIT,
                     _("fit cancelled for '%s'"), name);
      else
        g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_FIT,
                     _("cannot fit kernel '%s': %s"), name,
                     skc_status_message (st));
      fitted_unref (f);
      return NULL;
    }
  if (!hit)
    g_atomic_int_inc (&fit_count);
  g_debug ("skc:bokeh: %s %s, %d x %d", hit ? "found" : "fitted",
           src->identity, req->samples, req->layers);
  return f;
}

/* ------------------------------------------------------- inline kernels */

gchar *
skc_bokeh_kernel_data (const SkcKernel *kernel, GError **error)
{
  SkcImage *img = NULL;
  gchar    *text = NULL;
  char     *data = NULL;
  SkcStatus st = skc_kernel_to_image (kernel, &img);

  if (st == SKC_OK)
    st = skc_inline_encode_image (img, 0, 0, &data);
  skc_image_free (img);
  if (st != SKC_OK)
    {
      g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                   _("cannot store the kernel in the effect: %s"),
                   skc_status_message (st));
      return NULL;
    }
  text = g_strdup (data);
  free (data);
  return text;
}

/* The kernel image or complex of a file source, inline. */
static gchar *
file_data (const Source *src, GError **error)
{
  SkcKernel  *k;
  SkcComplex *c;
  char       *data = NULL;
  gchar      *text;
  GError     *e = NULL;
  SkcStatus   st;

  if (src->kind == SOURCE_IMAGE)
    {
      k = skc_kernel_load_file (src->path, &e);
      if (k)
        {
          text = skc_bokeh_kernel_data (k, error);
          skc_kernel_free (k);
          return text;
        }
    }
  else if ((c = skc_complex_load_file (src->path, &e)))
    {
      st = skc_inline_encode_complex (c, &data);
      skc_complex_free (c);
      if (st == SKC_OK)
        {
          text = g_strdup (data);
          free (data);
          return text;
        }
      g_set_error_literal (&e, SKC_ERROR, st, skc_status_message (st));
    }
  g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
               src->kind == SOURCE_IMAGE
               ? _("cannot load kernel image '%s': %s")
               : _("cannot load kernel complex '%s': %s"), src->path,
               e->message);
  g_error_free (e);
  return NULL;
}

gchar *
skc_bokeh_kernel_inline (const gchar *kernel, GError **error)
{
  Source src;
  gchar *text;

  if (!source_resolve (kernel, &src, error))
    return NULL;
  if (src.kind == SOURCE_SHAPE)
    text = skc_bokeh_shape_spec (&src.shape);
  else if (!src.path)
    text = g_strdup (kernel);   /* inline data already */
  else
    text = file_data (&src, error);
  source_clear (&src);
  return text;
}

SkcKernel *
skc_bokeh_kernel_target (const gchar *kernel, gint size, GError **error)
{
  Source     src;
  SkcKernel *k = NULL, *t = NULL;
  SkcStatus  st = SKC_OK;

  if (!source_resolve (kernel, &src, error))
    return NULL;
  if (src.kind == SOURCE_SHAPE)
    {
      src.shape.side_px = size + 2;   /* diameter size, canvas size + 2 */
      st = size > 0 ? skc_shape_render (&src.shape, &k) : SKC_ERR_INVALID;
    }
  else if (src.kind == SOURCE_COMPLEX)
    {
      GError     *e = NULL;
      SkcComplex *c = source_complex (&src, &e);
      gint        side;

      st = take_status (&e);
      if (st == SKC_OK)
        {
          side = MAX (c->target_width, c->target_height);
          if (side <= 0)
            side = 2 * skc_complex_reach (c) + 1;
          st = skc_kernel_new (side | 1, side | 1, &k);
          if (st == SKC_OK)
            st = skc_complex_synthesize (c, k->width, k->height, k->data);
        }
      skc_complex_free (c);
    }
  else
    {
      /* A kernel image, resampled as the core's families do. */
      GError *e = NULL;

      k = source_image (&src, &e);
      st = take_status (&e);
      if (st == SKC_OK && size > 0)
        {
          st = skc_family_target (NULL, k, (float) size, 0.0f, &t);
          skc_kernel_free (k);
          k = t;
        }
    }
  if (st != SKC_OK)
    {
      g_clear_pointer (&k, skc_kernel_free);
      g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                   _("cannot make the kernel '%s' at %d pixels: %s"),
                   src.path ? src.path : src.identity, size,
                   skc_status_message (st));
    }
  source_clear (&src);
  return k;
}

/* ---------------------------------------------------------------- cache */

static void
entry_free (gpointer data)
{
  Entry *e = data;

  fitted_unref (e->fitted);
  g_free (e);
}

/* Under cache_lock: drop least recently used finished entries beyond
 * CACHE_MAX. */
static void
cache_trim (void)
{
  while (g_hash_table_size (cache_table) > CACHE_MAX)
    {
      GHashTableIter iter;
      gpointer       key, value, oldest = NULL;
      guint64        best = G_MAXUINT64;

      g_hash_table_iter_init (&iter, cache_table);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Entry *e = value;

          if (e->fitted && e->last_used < best)
            {
              best = e->last_used;
              oldest = key;
            }
        }
      if (!oldest)
        break;
      g_hash_table_remove (cache_table, oldest);
    }
}

static gboolean
request_valid (const SkcBokehRequest *req, GError **error)
{
  if (req->size < 0 || req->size > SKC_MAX_KERNEL_SIZE
      || req->samples < 1 || req->samples > SKC_MAX_SAMPLES
      || req->layers < 1 || req->layers > SKC_MAX_LAYERS)
    {
      g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_SETTINGS,
                   _("size %d, samples %d or layers %d out of range"),
                   req->size, req->samples, req->layers);
      return FALSE;
    }
  return TRUE;
}

SkcBokehFit *
skc_bokeh_fit_get (const SkcBokehRequest *req, GError **error)
{
  Fitted      *f = NULL;
  SkcBokehFit *fit = NULL;
  Source       src;
  gchar       *key;
  Entry       *e;

  g_return_val_if_fail (req != NULL, NULL);

  if (!request_valid (req, error) || !source_resolve (req->kernel, &src, error))
    return NULL;
  if (src.kind == SOURCE_SHAPE && req->size == 0)
    {
      g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_SETTINGS,
                   _("kernel '%s' is a shape: it needs a size above 0 "
                     "(size 0 keeps a kernel image's own size)"),
                   req->kernel);
      source_clear (&src);
      return NULL;
    }
  /* Not the size, the rotation or the mode: one family serves them all. */
  key = g_strdup_printf ("%s|%d|%d", src.identity, req->samples, req->layers);

  g_mutex_lock (&cache_lock);
  if (!cache_table)
    cache_table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         entry_free);
  for (;;)
    {
      e = g_hash_table_lookup (cache_table, key);
      if (!e)
        break;
      if (e->fitted)
        {
          e->last_used = ++cache_clock;
          f = e->fitted;
          fit = fit_handle (f, req->size, src.identity);
          break;
        }
      /* Another thread fits it; if that one is cancelled, the entry goes
       * and this one fits. */
      g_cond_wait (&cache_cond, &cache_lock);
    }
  if (fit)
    {
      g_mutex_unlock (&cache_lock);
      g_free (key);
      source_clear (&src);
      return fit;
    }
  e = g_new0 (Entry, 1);                        /* pending */
  g_hash_table_insert (cache_table, g_strdup (key), e);
  g_mutex_unlock (&cache_lock);

  f = fit_run (req, &src, error);

  g_mutex_lock (&cache_lock);
  if (f)
    {
      e->fitted = f;                            /* the entry's reference */
      e->last_used = ++cache_clock;
      fit = fit_handle (f, req->size, src.identity);
      cache_trim ();
    }
  else
    g_hash_table_remove (cache_table, key);
  g_cond_broadcast (&cache_cond);
  g_mutex_unlock (&cache_lock);

  g_free (key);
  source_clear (&src);
  return fit;
}

guint
skc_bokeh_fit_count (void)
{
  return g_atomic_int_get (&fit_count);
}

/* A size and an angle as the key of a fidelity check: their bits, so
 * the same settings always find it and any other size or angle never. */
static gchar *
check_key (gfloat size, gfloat angle)
{
  guint32 a, b;

  memcpy (&a, &size, sizeof a);
  memcpy (&b, &angle, sizeof b);
  return g_strdup_printf ("%08x:%08x", a, b);
}

SkcStatus
skc_bokeh_fit_fidelity (const SkcBokehFit *fit, gfloat angle,
                        const SkcComplex *complex, const SkcKernel *target,
                        gdouble *psnr)
{
  Fitted     *f = fit->shared;
  gchar      *key = check_key (fit->size, angle);
  gdouble    *found;
  SkcKernel  *k = NULL;
  SkcComplex *c = NULL;
  SkcPlan    *plan = NULL;
  SkcStatus   st = SKC_OK;
  gint        dense = 0;

  *psnr = INFINITY;
  g_mutex_lock (&f->checks_lock);
  found = f->checks ? g_hash_table_lookup (f->checks, key) : NULL;
  if (found)
    *psnr = *found;
  g_mutex_unlock (&f->checks_lock);
  if (found)
    {
      g_free (key);
      return SKC_OK;
    }

  /* Not measured yet: the uniform render as the op builds it. */
  if (!target)
    target = k = skc_bokeh_fit_target (fit, angle);
  if (!target)
    {
      g_free (key);   /* a .skc file: no dense kernel to compare with */
      return SKC_OK;
    }
  if (!complex)
    {
      st = skc_family_uniform (fit->family, target, fit->size, angle, &c,
                               &plan, &dense);
      complex = c;
    }
  if (st == SKC_OK && !dense)
    st = skc_complex_photo_psnr (complex, target, psnr);
  skc_plan_free (plan);
  skc_complex_free (c);
  skc_kernel_free (k);
  if (st != SKC_OK)
    {
      g_free (key);
      return st;
    }
  g_atomic_int_inc (&check_count);
  g_mutex_lock (&f->checks_lock);
  if (!f->checks)
    f->checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       g_free);
  if (g_hash_table_size (f->checks) >= CHECKS_MAX)
    g_hash_table_remove_all (f->checks);
  g_hash_table_replace (f->checks, key, g_memdup2 (psnr, sizeof *psnr));
  g_mutex_unlock (&f->checks_lock);
  return SKC_OK;
}

guint
skc_bokeh_fidelity_count (void)
{
  return g_atomic_int_get (&check_count);
}

gboolean
skc_bokeh_halo (const SkcBokehRequest *req, gint *halo, GError **error)
{
  Source    src;
  SkcStatus st = SKC_OK;
  gfloat    size = (gfloat) req->size;

  *halo = 0;
  if (!request_valid (req, error) || !source_resolve (req->kernel, &src, error))
    return FALSE;
  if (src.kind == SOURCE_COMPLEX)
    {
      /* Not fitted here: its own offsets, scaled to the size. */
      SkcComplex *c = NULL;

      st = src.data.complex ? skc_complex_copy (src.data.complex, &c)
           : skc_complex_load (src.path, &c, NULL, 0);
      if (st == SKC_OK
          && (st = skc_complex_check (c, src.path ? src.path : src.identity,
                                      NULL, 0)) != SKC_OK)
        skc_complex_free (c);
      if (st == SKC_OK)
        {
          SkcFamily *f = family_of_one (c, complex_diameter (c));

          /* the family's halo, and a pixel of stencil per layer for the
           * uniform plan (see skc_family_halo_bound) */
          *halo = skc_family_halo (f, size > 0 ? size : f->sizes[0])
                  + c->n_layers;
          skc_complex_free (c);
          g_free (f);
        }
    }
  else
    {
      if (size <= 0 && src.kind == SOURCE_IMAGE)
        {
          /* The image's own diameter: read, not fitted. */
          GError    *e = NULL;
          SkcKernel *k = source_image (&src, &e);

          st = take_status (&e);
          if (st == SKC_OK)
            size = kernel_diameter (k->width, k->height);
          skc_kernel_free (k);
        }
      if (st == SKC_OK && size > 0)
        *halo = skc_family_halo_bound (size, SKC_FAMILY_CANON_TOP,
                                       req->layers);
    }
  if (st != SKC_OK)
    g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_KERNEL,
                 _("cannot read kernel '%s': %s"),
                 src.path ? src.path : src.identity, skc_status_message (st));
  source_clear (&src);
  return st == SKC_OK;
}

void
skc_bokeh_fit_cache_clear (void)
{
  g_mutex_lock (&cache_lock);
  if (cache_table)
    {
      GHashTableIter iter;
      gpointer       value;

      /* Pending entries stay: their fitter still points at them. */
      g_hash_table_iter_init (&iter, cache_table);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((Entry *) value)->fitted)
          g_hash_table_iter_remove (&iter);
    }
  g_mutex_unlock (&cache_lock);
}
