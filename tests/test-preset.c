/* Presets: every built-in preset loads and renders; malformed files are
 * rejected with a message naming the problem; save/load round-trips; user
 * presets shadow built-ins; kernel-image presets resolve relative paths
 * and resample.
 */
#include "test-common.h"
#include "skc-preset.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];

static void
write_file (const char *name, const char *text)
{
  char  path[512];
  FILE *f;

  snprintf (path, sizeof path, "%s/%s", dir, name);
  f = fopen (path, "w");
  fputs (text, f);
  fclose (f);
}

static void
expect_bad (const char *name, const char *text, const char *needle)
{
  char       path[512];
  SkcPreset *p = NULL;
  SkcStatus  s;
  GError    *error = NULL;

  write_file (name, text);
  snprintf (path, sizeof path, "%s/%s", dir, name);
  s = skc_preset_load (path, &p, &error);
  CHECK (s == SKC_ERR_FORMAT && !p && error
         && error->domain == SKC_PRESET_ERROR && error->code == s
         && strstr (error->message, needle),
         "%s rejected mentioning '%s' (status %s, message '%s')", name, needle,
         skc_status_string (s), error ? error->message : "(no error)");
  g_clear_error (&error);
  unlink (path);
}

int
main (void)
{
  SkcPreset **list = NULL;
  int         n;
  char        builtin[512];

  snprintf (builtin, sizeof builtin, "%s/../../presets", test_data_path (""));
  snprintf (dir, sizeof dir, "/tmp/skc-preset-test-XXXXXX");
  CHECK (mkdtemp (dir) != NULL, "temp dir");

  /* every built-in */
  n = skc_preset_list (builtin, NULL, &list);
  CHECK (n >= 12, "at least 12 built-in presets (%d)", n);
  for (int i = 0; i < n; i++)
    {
      SkcKernel *k = NULL;

      CHECK (list[i]->builtin && list[i]->name && *list[i]->name, "%s has a name", list[i]->id);
      CHECK_OK (skc_preset_kernel (list[i], 31, &k));
      CHECK (k && k->width == 31 && fabs (skc_kernel_sum (k) - 1.0) < 1e-5,
             "%s renders a unit-sum 31 px kernel", list[i]->id);
      CHECK (list[i]->samples == 24 && list[i]->layers == 4, "%s suggests 24x4", list[i]->id);
      skc_kernel_free (k);
    }
  {
    static const char *const want[] = { "iris-5", "iris-6", "iris-7", "iris-8", "iris-9",
                                        "disk", "catseye", "heart", "star", "ring", "coma" };
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++)
      {
        int found = 0;
        for (int i = 0; i < n; i++)
          found |= strcmp (list[i]->id, want[w]) == 0;
        CHECK (found, "built-in preset %s exists", want[w]);
      }
  }
  skc_preset_list_free (list, n);

  /* malformed */
  expect_bad ("a.preset", "[Sparse Bokeh Preset]\nname=A\nshape=blob\n", "unknown shape");
  expect_bad ("b.preset", "[Sparse Bokeh Preset]\nname=B\nshape=polygon\nblades=seven\n", "blades");
  expect_bad ("c.preset", "[Sparse Bokeh Preset]\nname=C\nshape=polygon\ncurvature=2\n", "curvature");
  expect_bad ("d.preset", "[Sparse Bokeh Preset]\nname=D\nshape=disk\nkernel-image=k.png\n", "exactly one");
  expect_bad ("e.preset", "[Sparse Bokeh Preset]\nname=E\n", "exactly one");
  expect_bad ("f.preset", "[Sparse Bokeh Preset]\nshape=disk\n", "name");
  expect_bad ("g.preset", "[Other]\nname=G\nshape=disk\n", "group");
  expect_bad ("Bad Name.preset", "[Sparse Bokeh Preset]\nname=H\nshape=disk\n", "not a valid preset id");
  expect_bad ("i.preset", "this is not a key file\n\x01\x02", "i.preset");
  expect_bad ("j.preset", "[Sparse Bokeh Preset]\nname=J\nshape=polygon\nblades=4.5\n", "whole number");
  expect_bad ("k.preset", "[Sparse Bokeh Preset]\nname=K\nshape=ring\ninner=nan\n", "inner");
  {
    SkcPreset *p = NULL;
    GError    *error = NULL;

    CHECK (skc_preset_load ("/nonexistent/x.preset", &p, &error) == SKC_ERR_IO
           && error && strstr (error->message, "/nonexistent/x.preset"),
           "missing file: IO, naming the file");
    g_clear_error (&error);
  }

  /* save / load round trip, user shadowing, find */
  {
    SkcPreset *p = NULL, *q = NULL, **l = NULL;
    char       path[512];
    int        m, found = 0;

    CHECK_OK (skc_preset_find (builtin, NULL, "heart", &p));
    free (p->name);
    p->name = strdup ("My heart");
    p->shape.rotation_deg = 12.5f;
    snprintf (path, sizeof path, "%s/heart.preset", dir);
    CHECK_OK (skc_preset_save (p, path));
    CHECK_OK (skc_preset_load (path, &q, NULL));
    CHECK (q && strcmp (q->name, "My heart") == 0 && q->shape.rotation_deg == 12.5f
           && q->shape.type == SKC_SHAPE_HEART, "round trip keeps name and parameters");
    skc_preset_free (q);
    q = NULL;
    CHECK_OK (skc_preset_find (builtin, dir, "heart", &q));
    CHECK (q && !q->builtin && strcmp (q->name, "My heart") == 0, "user preset shadows the built-in");
    skc_preset_free (q);
    m = skc_preset_list (builtin, dir, &l);
    for (int i = 0; i < m; i++)
      if (strcmp (l[i]->id, "heart") == 0)
        found = !l[i]->builtin && strcmp (l[i]->name, "My heart") == 0;
    CHECK (found, "list shows the user's heart");
    skc_preset_list_free (l, m);
    CHECK (skc_preset_find (builtin, dir, "nothing-here", &q) == SKC_ERR_IO, "unknown id: IO");
    CHECK (skc_preset_find (builtin, dir, "../etc", &q) == SKC_ERR_INVALID, "bad id: INVALID");
    skc_preset_free (p);
  }

  /* kernel-image preset, relative path */
  {
    SkcShapeParams sp;
    SkcKernel     *k = NULL, *r = NULL;
    SkcImage      *img = NULL;
    SkcPreset     *p = NULL;
    char           path[512];

    skc_shape_params_from_name ("star", &sp);
    sp.side_px = 21;
    skc_shape_render (&sp, &k);
    skc_kernel_to_image (k, &img);
    snprintf (path, sizeof path, "%s/star-kernel.png", dir);
    CHECK_OK (skc_image_save (img, path));
    write_file ("mystar.preset", "[Sparse Bokeh Preset]\nname=Mine\nkernel-image=star-kernel.png\n");
    snprintf (path, sizeof path, "%s/mystar.preset", dir);
    CHECK_OK (skc_preset_load (path, &p, NULL));
    CHECK (p && !p->is_shape && strstr (p->kernel_image, dir) == p->kernel_image,
           "kernel-image resolved against the preset's folder");
    CHECK_OK (skc_preset_kernel (p, 0, &r));
    CHECK (r && r->width == 21, "size 0: the image's own size");
    if (r)
      {
        double md = 0.0;
        for (int i = 0; i < 21 * 21; i++)
          md = fmax (md, fabs (r->data[i] - k->data[i]));
        CHECK (md < 1e-5 * skc_kernel_peak (k) * 100, "same weights as the image (%.3g)", md);
      }
    skc_kernel_free (r);
    r = NULL;
    CHECK_OK (skc_preset_kernel (p, 15, &r));
    CHECK (r && fabs (skc_kernel_sum (r) - 1.0) < 1e-5, "resampled kernel has unit sum");
    skc_kernel_free (r);
    skc_kernel_free (k);
    skc_image_free (img);
    skc_preset_free (p);
  }

  test_remove_dir (dir);
  return test_finish ();
}
