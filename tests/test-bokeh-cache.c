/* The fit cache of skc:bokeh (plug-ins/skc-bokeh-kernels.c), without GEGL:
 * a kernel is fitted once and then shared, no size or mode refits (fits
 * counted); rotation never refits: 24 angles, each through what a render
 * does (a request, the family evaluated at the angle, the dense target at
 * the angle), fit nothing, and the evaluated complex is the unturned one
 * turned (checked against test-truth.c's rotation); the halo known from
 * the settings covers every render, threads asking at once share one fit,
 * an edited kernel file refits, and bad kernels give clear errors that are
 * not cached: a kernel file that fails, then is repaired with the very same
 * identity (path, size and mtime), fits at once.  The fidelity check of a
 * uniform render (skc_bokeh_fit_fidelity, the exact fallback's decision)
 * is kept with the fit per size and angle: asked again, through another
 * handle, it is not measured again, and it equals the core's check made
 * here from scratch.
 */
#include "test-common.h"
#include "test-truth.h"

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
  guint        fits = skc_bokeh_fit_count ();
  double       t0, t_miss, t_hit;

  t0 = skc_time_now ();
  a = get ("heart", 15, FALSE, NULL);
  t_miss = skc_time_now () - t0;
  t0 = skc_time_now ();
  b = get ("HEART", 15, FALSE, NULL);
  t_hit = skc_time_now () - t0;
  CHECK (a && b && a->family == b->family,
         "a second request for heart at 15 px did not hit");
  CHECK (t_hit < 0.01 + 0.1 * t_miss, "hit took %.3f s, miss %.3f s",
         t_hit, t_miss);
  CHECK (a && a->family && a->family->n_bases == SKC_FAMILY_CANON_BASES
         && a->family->sizes[a->family->n_bases - 1] == SKC_FAMILY_CANON_TOP
         && a->size == 15.0f,
         "a fit is the canonical family, handed out at 15 px");
  CHECK (skc_bokeh_fit_count () == fits + 1, "%u fits for one kernel",
         skc_bokeh_fit_count () - fits);
  skc_bokeh_fit_unref (b);

  /* Issue 12: no other size (below, between and beyond the bases), mode
   * or rotation (not in the request) fits again. */
  for (gint size = 1; size <= 301; size += 20)
    {
      c = get ("heart", size, size % 40 == 1, NULL);
      CHECK (c && a && c->family == a->family && c->size == (gfloat) size,
             "heart at %d px is not the same family at its size", size);
      skc_bokeh_fit_unref (c);
    }
  CHECK (skc_bokeh_fit_count () == fits + 1,
         "%u fits for one kernel at 16 sizes", skc_bokeh_fit_count () - fits);
  c = get ("heart", 15, TRUE, NULL);
  CHECK (c && a && c->family == a->family, "the varying modes fit again");
  skc_bokeh_fit_unref (c);
  {
    SkcBokehRequest req = { .kernel = "heart", .size = 15, .samples = 12,
                            .layers = 2 };

    c = skc_bokeh_fit_get (&req, NULL);
    CHECK (c && a && c->family != a->family
           && skc_bokeh_fit_count () == fits + 2,
           "other samples must be another fit");
    skc_bokeh_fit_unref (c);
  }
  skc_bokeh_fit_unref (a);
}

/* Turning the kernel evaluates the one family at another angle: 24
 * renders' worth of requests, evaluations and dense targets fit nothing. */
static void
test_rotation (void)
{
  SkcBokehFit *a = get ("heart", 21, FALSE, NULL);
  SkcComplex  *c0 = NULL;
  guint        fits = skc_bokeh_fit_count ();
  gdouble      worst = 0.0;
  gint         targets = 0;

  CHECK (a != NULL, "heart at 21 px: no fit");
  if (!a)
    return;
  CHECK_OK (skc_complex_copy (a->family->bases[0], &c0));
  CHECK_OK (skc_family_eval (a->family, a->size, 0.0f, c0));
  for (gint i = 1; i <= 24; i++)
    {
      gfloat       angle = (gfloat) (i * G_PI / 12.0 + 0.1);
      SkcBokehFit *f = get ("heart", 21, FALSE, NULL);
      SkcComplex  *c = NULL, *want;
      SkcKernel   *t;

      if (!f)
        {
          CHECK (0, "heart at 21 px, angle %d: no fit", i);
          continue;
        }
      CHECK (f->family == a->family, "angle %d: another family", i);
      CHECK_OK (skc_complex_copy (f->family->bases[0], &c));
      CHECK_OK (skc_family_eval (f->family, f->size, angle, c));
      t = skc_bokeh_fit_target (f, angle);
      targets += t != NULL;
      want = truth_turn (c0, 1.0, angle);
      for (gint k = 0; c && want && k < skc_complex_total_taps (c); k++)
        worst = MAX (worst, MAX (fabs (c->taps[k].ox - want->taps[k].ox),
                                 fabs (c->taps[k].oy - want->taps[k].oy)));
      skc_kernel_free (t);
      skc_complex_free (want);
      skc_complex_free (c);
      skc_bokeh_fit_unref (f);
    }
  printf ("24 rotations: %u fits, %d dense targets, taps within %.2g px of "
          "the unturned complex turned\n", skc_bokeh_fit_count () - fits,
          targets, worst);
  CHECK (skc_bokeh_fit_count () == fits, "24 rotations fitted %u times",
         skc_bokeh_fit_count () - fits);
  CHECK (targets == 24, "%d of 24 dense targets", targets);
  CHECK (worst < 1e-3, "the complex at an angle is not the unturned one "
         "turned: %.3g px off", worst);
  skc_complex_free (c0);
  skc_bokeh_fit_unref (a);
}

static int
cancel_soon (double fraction, double loss, void *data)
{
  gint *calls = data;

  return ++*calls >= 2;
}

/* A fit whose caller stops it (the op: its settings changed) is not
 * cached and leaves no entry behind: the next request fits. */
static void
test_cancel (void)
{
  gint            calls = 0;
  guint           fits = skc_bokeh_fit_count ();
  GError         *error = NULL;
  SkcBokehRequest req = { .kernel = "catseye", .size = 40, .samples = 8,
                          .layers = 2, .progress = cancel_soon,
                          .progress_data = &calls };
  SkcBokehFit    *f = skc_bokeh_fit_get (&req, &error);

  CHECK (!f && error_has (error, "cancelled") && calls == 2,
         "a cancelled fit: %s after %d calls",
         error ? error->message : "no error", calls);
  CHECK (skc_bokeh_fit_count () == fits, "a cancelled fit was counted");
  g_clear_error (&error);
  skc_bokeh_fit_unref (f);
  req.progress = NULL;
  f = skc_bokeh_fit_get (&req, &error);
  CHECK (f && skc_bokeh_fit_count () == fits + 1,
         "after a cancelled fit the next request must fit: %s",
         error ? error->message : "");
  g_clear_error (&error);
  skc_bokeh_fit_unref (f);
}

/* The halo from the settings alone covers what the render needs at every
 * size up to the setting's and every rotation (the op asks for it on
 * GIMP's main thread, before any fit): the family's complex there, and
 * what the uniform filter renders from it (skc_family_uniform). */
static void
test_halo (void)
{
  const gint sizes[] = { 1, 4, 9, 21, 33, 34, 60, 151, 301 };
  const gchar *kernels[] = { "heart", "star", "coma", "ring" };
  guint fits;

  for (gsize k = 0; k < G_N_ELEMENTS (kernels); k++)
    for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
      {
        SkcBokehRequest req = { .kernel = kernels[k], .size = sizes[i],
                                .samples = 8, .layers = 2 };
        SkcBokehFit *f;
        gint         bound = -1, plan_max = 0;

        fits = skc_bokeh_fit_count ();
        CHECK (skc_bokeh_halo (&req, &bound, NULL) && bound > 0,
               "%s: no halo at %d px", kernels[k], sizes[i]);
        CHECK (skc_bokeh_fit_count () == fits, "the halo fitted");
        f = skc_bokeh_fit_get (&req, NULL);
        if (!f)
          {
            CHECK (0, "%s: no fit", kernels[k]);
            continue;
          }
        for (gint a = 0; a < 24; a++)
          {
            SkcComplex *c = NULL;
            SkcPlan    *plan = NULL;

            CHECK_OK (skc_complex_copy (f->family->bases[0], &c));
            CHECK_OK (skc_family_eval (f->family, f->size, (gfloat) (a * G_PI / 12.0
                                                                     + 0.1), c));
            CHECK_OK (skc_plan_new (c, &plan));
            plan_max = MAX (plan_max, skc_plan_halo (plan));
            skc_plan_free (plan);
            skc_complex_free (c);
            /* what the uniform filter renders (polished below the top
             * basis, widened beyond it), at two of the angles */
            if (a % 12 == 0)
              {
                gfloat     angle = (gfloat) (a * G_PI / 12.0 + 0.1);
                SkcKernel *t = skc_bokeh_fit_target (f, angle);

                c = NULL;
                plan = NULL;
                CHECK_OK (skc_family_uniform (f->family, t, f->size, angle,
                                              &c, &plan, NULL));
                plan_max = MAX (plan_max, skc_plan_halo (plan));
                skc_plan_free (plan);
                skc_complex_free (c);
                skc_kernel_free (t);
              }
          }
        CHECK (plan_max <= bound
               && skc_family_halo (f->family, f->size) <= bound,
               "%s at %d px: halo %d (plan) / %d (family) beyond the bound %d",
               kernels[k], sizes[i], plan_max,
               skc_family_halo (f->family, f->size), bound);
        /* and no more than about the diameter (the op fetches it), with
         * the widening layers beyond the top basis (up to 12 px each) */
        CHECK (bound <= 1.1 * sizes[i] + 2 * req.layers + 6
                        + 2 * skc_family_blur_radius (sizes[i],
                                                      SKC_FAMILY_CANON_TOP,
                                                      req.layers) + 2,
               "%s at %d px: bound %d", kernels[k], sizes[i], bound);
        skc_bokeh_fit_unref (f);
      }
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
    CHECK (f[i] && f[0] && f[i]->family == f[0]->family,
           "thread %d got its own fit", i);
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
  CHECK (a && b && a->family == b->family, "the same file again did not hit");
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
  CHECK (b && a && b->family != a->family,
         "an edited kernel file was not fitted again");
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

/* Write @len bytes to @path with modification time @mtime. */
static void
put_file (const gchar *path, const gchar *bytes, gsize len, time_t mtime)
{
  struct utimbuf tb = { mtime, mtime };

  CHECK (g_file_set_contents (path, bytes, (gssize) len, NULL)
         && g_utime (path, &tb) == 0, "cannot write %s", path);
}

/* Errors are not cached: a kernel file that fails (NaN weights, then a
 * broken header), then is repaired in place with the same size and mtime,
 * so that the cache sees the very same identity, fits at once. */
static void
test_errors_not_cached (const gchar *dir)
{
  gchar       *path = g_build_filename (dir, "fix.pfm", NULL);
  gchar       *good = NULL, *bad;
  gsize        len = 0;
  SkcImage    *img = NULL;
  SkcBokehFit *f;
  GError      *error = NULL;
  const time_t when = 1700000000;
  guint        fits;
  gchar       *id1, *id2;

  CHECK_OK (skc_image_new (9, 9, 1, &img));
  for (gint i = 0; img && i < 81; i++)
    img->data[i] = (i % 9 > 1 && i % 9 < 7 && i / 9 > 1 && i / 9 < 7) ? 1.0f : 0.0f;
  CHECK_OK (skc_image_save (img, path));
  CHECK (g_file_get_contents (path, &good, &len, NULL) && len > 81 * 4,
         "cannot read back %s", path);
  if (!good)
    return;
  for (gint round = 0; round < 2; round++)
    {
      bad = g_memdup2 (good, len);
      if (round == 0)
        {
          const guint32 nan_bits = 0x7fc00000u;   /* the data: all NaN */

          for (gsize o = len - 81 * 4; o < len; o += 4)
            memcpy (bad + o, &nan_bits, 4);
        }
      else
        bad[0] = 'X';   /* not a PFM any more */
      put_file (path, bad, len, when);
      id1 = skc_bokeh_kernel_identity (path, NULL);
      fits = skc_bokeh_fit_count ();
      f = get (path, 0, FALSE, &error);
      CHECK (!f && error && error_has (error, path),
             "round %d: a broken kernel file: %s", round,
             error ? error->message : "no error");
      printf ("round %d, broken: %s\n", round, error ? error->message : "(none)");
      g_clear_error (&error);
      skc_bokeh_fit_unref (f);
      put_file (path, good, len, when);
      id2 = skc_bokeh_kernel_identity (path, NULL);
      CHECK (id1 && id2 && strcmp (id1, id2) == 0,
             "the repaired file has another identity: %s vs %s", id1, id2);
      f = get (path, 0, FALSE, &error);
      CHECK (f && skc_bokeh_fit_count () == fits + 1,
             "round %d: the repaired file (same identity %s) did not fit: %s",
             round, id2, error ? error->message : "no fit counted");
      g_clear_error (&error);
      skc_bokeh_fit_unref (f);
      skc_bokeh_fit_cache_clear ();
      g_free (id1);
      g_free (id2);
      g_free (bad);
    }
  skc_image_free (img);
  g_remove (path);
  g_free (good);
  g_free (path);
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

/* The fidelity check is measured once per size and angle and kept with
 * the fit; its value is the core's (skc_complex_photo_psnr of the
 * uniform render, made here independently of the cache). */
static void
test_fidelity (void)
{
  SkcBokehFit *a = get ("star", 49, FALSE, NULL);
  SkcBokehFit *b = get ("star", 49, FALSE, NULL);
  SkcBokehFit *c = get ("star", 61, FALSE, NULL);
  SkcBokehFit *s = get ("star", 5, FALSE, NULL);
  guint        n0 = skc_bokeh_fidelity_count ();
  gfloat       angle = 0.3f;
  gdouble      p1 = 0, p2 = 0, p3 = 0, p4 = 0, p_small = 0, want = 0;
  SkcKernel   *t;
  SkcComplex  *cx = NULL;
  SkcPlan     *plan = NULL;
  gint         dense = 1;

  CHECK (a && b && c && s, "star: no fit");
  if (!a || !b || !c || !s)
    return;
  CHECK_OK (skc_bokeh_fit_fidelity (a, angle, NULL, NULL, &p1));
  CHECK (skc_bokeh_fidelity_count () == n0 + 1, "first check: %u measured",
         skc_bokeh_fidelity_count () - n0);
  /* again, through another handle on the same fit: kept */
  CHECK_OK (skc_bokeh_fit_fidelity (b, angle, NULL, NULL, &p2));
  CHECK_OK (skc_bokeh_fit_fidelity (a, angle, NULL, NULL, &p2));
  CHECK (skc_bokeh_fidelity_count () == n0 + 1,
         "the same size and angle measured %u times",
         skc_bokeh_fidelity_count () - n0);
  CHECK (p2 == p1, "kept %.3f dB, measured %.3f dB", p2, p1);
  /* another angle, another size: measured */
  CHECK_OK (skc_bokeh_fit_fidelity (a, angle + 0.5f, NULL, NULL, &p3));
  CHECK_OK (skc_bokeh_fit_fidelity (c, angle, NULL, NULL, &p4));
  CHECK (skc_bokeh_fidelity_count () == n0 + 3,
         "another angle and size: %u measured, want 3",
         skc_bokeh_fidelity_count () - n0);
  /* small sizes render the dense kernel itself: exact */
  CHECK_OK (skc_bokeh_fit_fidelity (s, angle, NULL, NULL, &p_small));
  CHECK (isinf (p_small) && p_small > 0, "5 px: %.1f dB, want +inf "
         "(the dense kernel)", p_small);

  /* the core's check, made here */
  t = skc_bokeh_fit_target (a, angle);
  CHECK (t != NULL, "no dense target");
  if (t)
    {
      CHECK_OK (skc_family_uniform (a->family, t, a->size, angle, &cx,
                                    &plan, &dense));
      CHECK (!dense, "49 px rendered dense");
      if (cx)
        CHECK_OK (skc_complex_photo_psnr (cx, t, &want));
    }
  printf ("fidelity check of star 8 x 2: %.2f dB at 49 px (core: %.2f), "
          "%.2f dB turned 0.5 rad more, %.2f dB at 61 px\n", p1, want, p3,
          p4);
  CHECK (p1 == want, "kept %.4f dB, the core measures %.4f dB", p1, want);
  /* 8 x 2 taps cannot follow a 49 px star to the 50 dB target */
  CHECK (p1 > 20.0 && p1 < SKC_FIDELITY_TARGET_DB, "star 8 x 2 at 49 px: "
         "%.2f dB", p1);
  skc_plan_free (plan);
  skc_complex_free (cx);
  skc_kernel_free (t);
  skc_bokeh_fit_unref (a);
  skc_bokeh_fit_unref (b);
  skc_bokeh_fit_unref (c);
  skc_bokeh_fit_unref (s);
}

int
main (void)
{
  gchar *dir = g_dir_make_tmp ("skc-bokeh-cache-XXXXXX", NULL);

  /* Count fits of this process, not the disk cache's earlier ones. */
  g_setenv ("SKC_NO_DISK_CACHE", "1", TRUE);
  test_hits ();
  test_rotation ();
  test_fidelity ();
  test_cancel ();
  test_halo ();
  test_threads ();
  test_files (dir);
  test_errors ();
  test_errors_not_cached (dir);
  g_rmdir (dir);
  g_free (dir);
  return test_finish ();
}
