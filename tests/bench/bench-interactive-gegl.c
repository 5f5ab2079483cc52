/* skc-bench-interactive-gegl: how fast skc:bokeh follows a size or
 * rotation change, in one process through GEGL, as GIMP runs it (issue 12).
 *
 *   skc-bench-interactive-gegl [--repeat R] [--size PX]
 *
 * The sample photo mirror-tiled to 4000 x 3000 (12 MP, linear RGBA float)
 * goes through gegl:buffer-source -> the op -> gegl:buffer-sink, on 2 GEGL
 * threads; every timed render is a new graph (so GEGL's own caches never
 * answer) and the time is gegl_node_process of the sink, conversions
 * included.  The fit cache is the process's: the caller points
 * $SKC_CACHE_DIR at an empty folder.  Rows (medians of --repeat, each
 * repetition at a size or angle not seen before):
 *   first render       a never-seen kernel (a different shape per size,
 *                      25/49/101/151/301 px): fit + render
 *   cached             the heart at --size (75) again: render only
 *   new size           the heart at sizes not rendered before
 *   new rotation       the heart at --size turned by angles not seen before
 *   turned again       the heart at --size turned by 30 degrees once more:
 *                      what rendering a turned kernel costs by itself
 *   gegl:gaussian-blur std-dev size / 4, and gegl:lens-blur radius size / 2,
 *                      in the same run: the floor and the peer
 */
#include "skc.h"
#include "bench-common.h"

#include <gegl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 4000
#define H 3000

static GeglBuffer *photo;

static void
die (const char *what, const char *arg)
{
  fprintf (stderr, "skc-bench-interactive-gegl: %s%s\n", what,
           arg ? arg : "");
  exit (1);
}

static GeglBuffer *
make_photo (void)
{
  SkcImage     *im = NULL;
  float        *px;
  GeglBuffer   *b;
  GeglRectangle all = { 0, 0, W, H };

  if (skc_image_load (SKC_SAMPLE_PHOTO, &im) != SKC_OK || im->channels < 3)
    die ("cannot load ", SKC_SAMPLE_PHOTO);
  px = malloc (sizeof (float) * 4 * W * H);
  if (!px)
    die ("out of memory", NULL);
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        int          xx = x % (2 * im->width), yy = y % (2 * im->height);
        const float *s;
        float       *d = px + 4 * ((size_t) y * W + x);

        xx = xx < im->width ? xx : 2 * im->width - 1 - xx;
        yy = yy < im->height ? yy : 2 * im->height - 1 - yy;
        s = im->data + (size_t) im->channels * ((size_t) yy * im->width + xx);
        for (int c = 0; c < 3; c++)
          d[c] = skc_srgb_to_linear (s[c]);
        d[3] = 1.0f;
      }
  b = gegl_buffer_new (&all, babl_format ("RGBA float"));
  gegl_buffer_set (b, &all, 0, babl_format ("RGBA float"), px,
                   GEGL_AUTO_ROWSTRIDE);
  free (px);
  skc_image_free (im);
  return b;
}

/* Seconds to render the photo through a new graph with @op and its
 * properties (a NULL-terminated list, as gegl_node_new_child takes). */
static double
render (const char *op, const char *first, ...)
{
  GeglNode   *g = gegl_node_new ();
  GeglNode   *src, *f, *sink;
  GeglBuffer *out = NULL;
  va_list     ap;
  double      t0, t;

  src = gegl_node_new_child (g, "operation", "gegl:buffer-source",
                             "buffer", photo, NULL);
  f = gegl_node_new_child (g, "operation", op, NULL);
  va_start (ap, first);
  if (first)
    gegl_node_set_valist (f, first, ap);
  va_end (ap);
  sink = gegl_node_new_child (g, "operation", "gegl:buffer-sink",
                              "buffer", &out, NULL);
  gegl_node_link_many (src, f, sink, NULL);
  t0 = skc_time_now ();
  gegl_node_process (sink);
  t = skc_time_now () - t0;
  if (!out)
    die ("no output from ", op);
  g_object_unref (out);
  g_object_unref (g);
  return t;
}

static double
median (double *t, int n)
{
  qsort (t, (size_t) n, sizeof *t, bench_cmp_double);
  return t[n / 2];
}

int
main (int argc, char **argv)
{
  static const struct { const char *kernel; int size; } first[] = {
    { "disk", 25 }, { "hexagon", 49 }, { "star", 101 }, { "coma", 151 },
    { "ring", 301 },
  };
  int    repeat = 3, size = 75;
  double t[16], cached;

  for (int i = 1; i + 1 < argc; i += 2)
    if (strcmp (argv[i], "--repeat") == 0)
      repeat = CLAMP (atoi (argv[i + 1]), 1, 16);
    else if (strcmp (argv[i], "--size") == 0)
      size = CLAMP (atoi (argv[i + 1]), 3, 501);
    else
      die ("unknown option ", argv[i]);
  /* our op is GPL3+: GEGL lists it only for applications that say so
   * (before gegl_init, or GEGL loads its modules a second time) */
  g_object_set (gegl_config (), "threads", 2, "application-license", "GPL3",
                NULL);
  gegl_init (&argc, &argv);
  if (!gegl_has_operation ("skc:bokeh"))
    die ("skc:bokeh is not on GEGL_PATH", NULL);
  photo = make_photo ();

  printf ("| render (4000 x 3000, 2 threads) | seconds (median of %d) |\n"
          "|---|---:|\n", repeat);
  for (gsize i = 0; i < G_N_ELEMENTS (first); i++)
    {
      double fit = render ("skc:bokeh", "kernel", first[i].kernel,
                           "size", first[i].size, NULL);
      double again = render ("skc:bokeh", "kernel", first[i].kernel,
                             "size", first[i].size, NULL);

      printf ("| first render, a never-seen %s at %d px (fit + render) "
              "| %.2f |\n| the same again (render only) | %.2f |\n",
              first[i].kernel, first[i].size, fit, again);
      fflush (stdout);
    }
  render ("skc:bokeh", "kernel", "heart", "size", size, NULL);   /* fits */
  for (int r = 0; r < repeat; r++)
    t[r] = render ("skc:bokeh", "kernel", "heart", "size", size, NULL);
  cached = median (t, repeat);
  printf ("| heart at %d px, fit cached | %.2f |\n", size, cached);
  for (int r = 0; r < repeat; r++)
    t[r] = render ("skc:bokeh", "kernel", "heart", "size", size + 2 + r,
                   NULL);
  printf ("| heart at a new size (%d..%d px) | %.2f (%+.2f) |\n", size + 2,
          size + 1 + repeat, median (t, repeat), median (t, repeat) - cached);
  for (int r = 0; r < repeat; r++)
    t[r] = render ("skc:bokeh", "kernel", "heart", "size", size,
                   "rotation", 30.0 + r, NULL);
  printf ("| heart at %d px, a new rotation (30..%d deg) | %.2f (%+.2f) |\n",
          size, 29 + repeat, median (t, repeat), median (t, repeat) - cached);
  for (int r = 0; r < repeat; r++)
    t[r] = render ("skc:bokeh", "kernel", "heart", "size", size,
                   "rotation", 30.0, NULL);
  printf ("| heart at %d px turned 30 deg again (nothing new) | %.2f (%+.2f) "
          "|\n", size, median (t, repeat), median (t, repeat) - cached);
  for (int r = 0; r < repeat; r++)
    t[r] = render ("skc:bokeh", "kernel", "heart", "size", 2 * size + r,
                   NULL);
  printf ("| heart at a new size (%d..%d px) | %.2f |\n", 2 * size,
          2 * size + repeat - 1, median (t, repeat));
  for (int r = 0; r < repeat; r++)
    t[r] = render ("gegl:gaussian-blur", "std-dev-x", size / 4.0,
                   "std-dev-y", size / 4.0, NULL);
  printf ("| gegl:gaussian-blur, std-dev %.2f px | %.2f |\n", size / 4.0,
          median (t, repeat));
  for (int r = 0; r < repeat; r++)
    t[r] = render ("gegl:lens-blur", "radius", size / 2.0, NULL);
  printf ("| gegl:lens-blur, radius %.1f px (a disk) | %.2f |\n", size / 2.0,
          median (t, repeat));
  g_object_unref (photo);
  gegl_exit ();
  return 0;
}
