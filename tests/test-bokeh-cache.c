/* The fit cache of skc:bokeh (plug-ins/skc-bokeh-kernels.c), without GEGL:
 * a setting is fitted once and then shared, rotation never refits, threads
 * asking at once share one fit, an edited kernel file refits, and bad
 * kernels give clear errors that are not cached.
 */
#include "test-common.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <utime.h>

#include "skc-bokeh-kernels.h"

#define N_THREADS 4

static SkcBokehFit *
get (const gchar *kernel, gint size, gboolean family, GError **error)
{
  SkcBokehRequest req = { .kernel = kernel, .size = size, .samples = 8,
                          .layers = 2, .family = family };

  return skc_bokeh_fit_get (&req, error);
}

static gpointer
thread_get (gpointer data)
{
  return get ((const gchar *) data, 13, FALSE, NULL);
}

static gboolean
error_has (GError *error, const gchar *what)
{
  return error && strstr (error->message, what) != NULL;
}

static void
test_hits (void)
{
  SkcBokehFit *a, *b, *c;
  double       t0, t_miss, t_hit;

  t0 = skc_time_now ();
  a = get ("heart", 15, FALSE, NULL);
  t_miss = skc_time_now () - t0;
  t0 = skc_time_now ();
  b = get ("HEART", 15, FALSE, NULL);
  t_hit = skc_time_now () - t0;
  CHECK (a && a == b, "a second request for heart at 15 px did not hit");
  CHECK (t_hit < 0.01 + 0.1 * t_miss, "hit took %.3f s, miss %.3f s",
         t_hit, t_miss);
  CHECK (a && a->family && a->family->n_bases == 1 && a->size == 15.0f,
         "uniform fit: one basis at 15 px");
  c = get ("heart", 17, FALSE, NULL);
  CHECK (c && c != a, "another size must be another fit");
  skc_bokeh_fit_unref (c);
  c = get ("heart", 15, TRUE, NULL);
  CHECK (c && c != a && c->family->n_bases > 1,
         "a family is another entry with several bases");
  skc_bokeh_fit_unref (c);
  skc_bokeh_fit_unref (a);
  skc_bokeh_fit_unref (b);
}

static void
test_threads (void)
{
  GThread     *t[N_THREADS];
  SkcBokehFit *f[N_THREADS];

  skc_bokeh_fit_cache_clear ();
  for (int i = 0; i < N_THREADS; i++)
    t[i] = g_thread_new ("get", thread_get, (gpointer) "star");
  for (int i = 0; i < N_THREADS; i++)
    f[i] = g_thread_join (t[i]);
  for (int i = 1; i < N_THREADS; i++)
    CHECK (f[i] && f[i] == f[0], "thread %d got its own fit", i);
  for (int i = 0; i < N_THREADS; i++)
    skc_bokeh_fit_unref (f[i]);
}

static void
test_files (const gchar *dir)
{
  gchar       *path = g_build_filename (dir, "k.pfm", NULL);
  gchar       *missing = g_build_filename (dir, "missing.png", NULL);
  SkcImage    *img = NULL;
  SkcBokehFit *a, *b;
  GError      *error = NULL;
  GStatBuf     st;

  CHECK (!get (missing, 0, FALSE, &error)
         && error_has (error, "cannot read kernel image")
         && error_has (error, missing),
         "missing image: %s", error ? error->message : "no error");
  g_clear_error (&error);

  CHECK_OK (skc_image_new (7, 5, 1, &img));
  for (int i = 0; i < 35; i++)
    img->data[i] = (i % 7 > 1 && i % 7 < 5) ? 1.0f : 0.0f;
  CHECK_OK (skc_image_save (img, path));
  a = get (path, 0, FALSE, &error);
  CHECK (a && a->size == 5.0f, "a 7x5 image at size 0 has diameter 5: %s",
         error ? error->message : "");
  g_clear_error (&error);
  b = get (path, 0, FALSE, NULL);
  CHECK (a && a == b, "the same file again did not hit");
  skc_bokeh_fit_unref (b);

  /* Edit the file (a later mtime): the cache must fit it again. */
  img->data[0] = 1.0f;
  CHECK_OK (skc_image_save (img, path));
  if (g_stat (path, &st) == 0)
    {
      struct utimbuf tb = { st.st_atime, st.st_mtime + 10 };

      g_utime (path, &tb);
    }
  b = get (path, 0, FALSE, NULL);
  CHECK (b && b != a, "an edited kernel file was not fitted again");
  skc_bokeh_fit_unref (a);
  skc_bokeh_fit_unref (b);

  /* Not an image at all. */
  g_file_set_contents (path, "junk", -1, NULL);
  CHECK (!get (path, 0, FALSE, &error)
         && error_has (error, "cannot load kernel image"),
         "junk image: %s", error ? error->message : "no error");
  g_clear_error (&error);

  skc_image_free (img);
  g_remove (path);
  g_free (path);
  g_free (missing);
}

static void
test_errors (void)
{
  GError *error = NULL;

  CHECK (!get ("blob", 9, FALSE, &error)
         && error_has (error, "unknown kernel 'blob'")
         && error_has (error, "heart"),
         "unknown name: %s", error ? error->message : "no error");
  g_clear_error (&error);
  CHECK (!get ("heart", 0, FALSE, &error)
         && error_has (error, "needs a size above 0"),
         "shape at size 0: %s", error ? error->message : "no error");
  g_clear_error (&error);
  CHECK (!get ("", 9, FALSE, &error) && error_has (error, "no kernel"),
         "empty name: %s", error ? error->message : "no error");
  g_clear_error (&error);
  CHECK (!get (NULL, 9, FALSE, &error) && error_has (error, "no kernel"),
         "NULL name: %s", error ? error->message : "no error");
  g_clear_error (&error);
  CHECK (!get ("/nonexistent.skc", 0, FALSE, &error)
         && error_has (error, "cannot read kernel complex"),
         "missing .skc: %s", error ? error->message : "no error");
  g_clear_error (&error);
}

int
main (void)
{
  gchar *dir = g_dir_make_tmp ("skc-bokeh-cache-XXXXXX", NULL);

  test_hits ();
  test_threads ();
  test_files (dir);
  test_errors ();
  g_rmdir (dir);
  g_free (dir);
  return test_finish ();
}
