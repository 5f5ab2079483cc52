/* The cat's eye of skc:bokeh: the clip family of a fit (issue 15).
 *
 * The size family the op fits once per kernel (skc-bokeh-kernels.c) gives
 * the plain complex at min (size, SKC_FAMILY_CANON_TOP) px, turned by the
 * rotation; skc_cateye_family refines the clipped bases from it (about a
 * second on 2 cores, 24x4) and scales them to the size.  The family
 * depends on the kernel, the size, the rotation and the structure only,
 * never on the strength, start or frame, so dragging those never refits.
 * The last CACHE_SIZE families are kept in memory, most recent first.
 */
#include <glib/gi18n-lib.h>
#include <math.h>

#include "skc-bokeh-cateye.h"
#include "skc-error.h"

#define CACHE_SIZE 4

static GMutex  cache_lock;
static GQueue  cache = G_QUEUE_INIT;   /* SkcBokehCateye *, newest first */

static SkcBokehCateye *
cateye_ref (SkcBokehCateye *c)
{
  g_atomic_int_inc (&c->ref_count);
  return c;
}

void
skc_bokeh_cateye_unref (SkcBokehCateye *c)
{
  if (!c || !g_atomic_int_dec_and_test (&c->ref_count))
    return;
  skc_family_free (c->family);
  g_free (c->key);
  g_free (c);
}

static SkcBokehCateye *
cache_find (const gchar *key)
{
  SkcBokehCateye *found = NULL;

  g_mutex_lock (&cache_lock);
  for (GList *l = cache.head; l; l = l->next)
    if (g_strcmp0 (((SkcBokehCateye *) l->data)->key, key) == 0)
      {
        found = cateye_ref (l->data);
        g_queue_unlink (&cache, l);
        g_queue_push_head_link (&cache, l);
        break;
      }
  g_mutex_unlock (&cache_lock);
  return found;
}

static void
cache_add (SkcBokehCateye *c)
{
  g_mutex_lock (&cache_lock);
  g_queue_push_head (&cache, cateye_ref (c));
  while (g_queue_get_length (&cache) > CACHE_SIZE)
    skc_bokeh_cateye_unref (g_queue_pop_tail (&cache));
  g_mutex_unlock (&cache_lock);
}

SkcBokehCateye *
skc_bokeh_cateye_get (const SkcBokehFit *fit, gfloat angle, gint samples,
                      gint layers, SkcProgressFunc progress,
                      gpointer progress_data, GError **error)
{
  gfloat          fit_d = MIN (fit->size, SKC_FAMILY_CANON_TOP);
  gchar          *key;
  SkcBokehCateye *c;
  SkcKernel      *target;
  SkcComplex     *plain = NULL;
  SkcFitOptions   o;
  SkcStatus       st;

  key = g_strdup_printf ("%s|%.9g|%.9g|%d|%d", fit->identity,
                         (double) fit->size, (double) angle, samples, layers);
  c = cache_find (key);
  if (c)
    {
      g_free (key);
      return c;
    }
  target = skc_bokeh_fit_target_at (fit, fit_d, angle);
  if (!target)
    {
      g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_SETTINGS,
                   _("the cat's eye needs a shape or a kernel image, not a "
                     "fitted .skc file (%s)"), fit->identity);
      g_free (key);
      return NULL;
    }
  st = skc_complex_copy (fit->family->bases[0], &plain);
  if (st == SKC_OK)
    {
      skc_family_eval (fit->family, fit_d, angle, plain);
      skc_fit_options_init (&o);
      o.n_samples = samples;
      o.n_layers = layers;
      o.progress = progress;
      o.progress_data = progress_data;
      c = g_new0 (SkcBokehCateye, 1);
      c->ref_count = 1;
      c->key = g_steal_pointer (&key);
      c->size = fit->size;
      st = skc_cateye_family (plain, target, fit_d, fit->size,
                              SKC_CATEYE_BASES, &o, &c->family);
    }
  skc_complex_free (plain);
  skc_kernel_free (target);
  g_free (key);
  if (st != SKC_OK)
    {
      g_set_error (error, SKC_BOKEH_ERROR, SKC_BOKEH_ERROR_FIT,
                   _("cannot fit the cat's eye of %s: %s"), fit->identity,
                   skc_status_message (st));
      skc_bokeh_cateye_unref (c);
      return NULL;
    }
  c->halo = skc_family_halo (c->family, 2.0f * c->size);
  cache_add (c);
  return c;
}
