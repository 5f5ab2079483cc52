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
 *   new small size     the heart at 9, 11, 13 px: rendered by the dense
 *                      kernel itself (skc_family_uniform)
 *   polished           the heart at 25 px (cached), then at 19, 21, 23 px
 *                      (new): between the dense sizes and the top basis,
 *                      where each build polishes the complex at its size
 *                      (skc_family_polish)
 *   gegl:gaussian-blur std-dev size / 4, and gegl:lens-blur radius size / 2,
 *                      in the same run: the floor and the peer
 * Each skc:bokeh row also gives the op's own account of building the
 * render for its settings (its debug line, read here): looking the fit up
 * (or fitting), making the kernel at the size and rotation, and the
 * fidelity check (and the exact kernel when one is needed).  Every timed
 * render is a new op instance, so every row builds; in GIMP, dragging a
 * slider rebuilds one instance, so a new size costs this build on top of
 * the pixels, and repainting the same settings costs no build.
 */
#include "skc.h"
#include "skc-options.h"
#include "bench-common.h"

#include <gegl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 4000
#define H 3000

static GeglBuffer *photo;
/* The op's own account of its last render build (its debug line "render
 * built in T s: fit F s, kernel K s, fidelity and exact X s"): what a new
 * setting costs on top of the pixels. */
static double      build[4];

static void
on_debug (const gchar *domain, GLogLevelFlags level, const gchar *message,
          gpointer data)
{
  double b[4];

  if (sscanf (message, "render built in %lf s: fit %lf s, kernel %lf s, "
              "fidelity and exact %lf s", &b[0], &b[1], &b[2], &b[3]) == 4)
    memcpy (build, b, sizeof b);
}

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
  memset (build, 0, sizeof build);
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
  double c[16];

  memcpy (c, t, sizeof *t * (size_t) n);
  qsort (c, (size_t) n, sizeof *c, bench_cmp_double);
  return c[n / 2];
}

/* Per repetition: the render's seconds and the op's build seconds. */
static double times[16], builds[4][16];

static void
take (int r, double t)
{
  times[r] = t;
  for (int k = 0; k < 4; k++)
    builds[k][r] = build[k];
}

/* A row: median render seconds (and its difference from @ref when >= 0),
 * and the medians of the op's build and its parts. */
static double
row (const char *label, int n, double ref)
{
  double m = median (times, n);

  printf ("| %s | %.2f", label, m);
  if (ref >= 0.0)
    printf (" (%+.2f)", m - ref);
  if (builds[0][0] > 0.0)
    printf (" | %.3f (%.3f + %.3f + %.3f) |\n", median (builds[0], n),
            median (builds[1], n), median (builds[2], n),
            median (builds[3], n));
  else
    printf (" | |\n");
  fflush (stdout);
  return m;
}

int
main (int argc, char **argv)
{
  static const struct { const char *kernel; int size; } first[] = {
    { "disk", 25 }, { "hexagon", 49 }, { "star", 101 }, { "coma", 151 },
    { "ring", 301 },
  };
  int    repeat = 3, size = 75;
  double cached;

  for (int i = 1; i + 1 < argc; i += 2)
    if (strcmp (argv[i], "--repeat") == 0)
      {
        if (!skc_options_int (argv[i + 1], 1, 16, &repeat))
          die ("--repeat must be 1..16, got ", argv[i + 1]);
      }
    else if (strcmp (argv[i], "--size") == 0)
      {
        if (!skc_options_int (argv[i + 1], 3, 501, &size))
          die ("--size must be 3..501, got ", argv[i + 1]);
      }
    else
      die ("unknown option ", argv[i]);
  /* our op is GPL3+: GEGL lists it only for applications that say so
   * (before gegl_init, or GEGL loads its modules a second time) */
  g_object_set (gegl_config (), "threads", 2, "application-license", "GPL3",
                NULL);
  g_setenv ("G_MESSAGES_DEBUG", "skc-bokeh", TRUE);
  g_log_set_handler ("skc-bokeh", G_LOG_LEVEL_DEBUG, on_debug, NULL);
  gegl_init (&argc, &argv);
  if (!gegl_has_operation ("skc:bokeh"))
    die ("skc:bokeh is not on GEGL_PATH", NULL);
  photo = make_photo ();

  printf ("| render (4000 x 3000, 2 threads) | seconds (median of %d) "
          "| of which the op's build: fit lookup + kernel + fidelity check "
          "(s) |\n|---|---:|---:|\n", repeat);
  for (gsize i = 0; i < G_N_ELEMENTS (first); i++)
    {
      char label[128];

      take (0, render ("skc:bokeh", "kernel", first[i].kernel,
                       "size", first[i].size, NULL));
      snprintf (label, sizeof label, "first render, a never-seen %s at %d px "
                "(fit + render)", first[i].kernel, first[i].size);
      row (label, 1, -1.0);
      take (0, render ("skc:bokeh", "kernel", first[i].kernel,
                       "size", first[i].size, NULL));
      row ("the same again (render only)", 1, -1.0);
    }
  render ("skc:bokeh", "kernel", "heart", "size", size, NULL);   /* fits */
  {
    char label[128];

    for (int r = 0; r < repeat; r++)
      take (r, render ("skc:bokeh", "kernel", "heart", "size", size, NULL));
    snprintf (label, sizeof label, "heart at %d px, fit cached", size);
    cached = row (label, repeat, -1.0);
    for (int r = 0; r < repeat; r++)
      take (r, render ("skc:bokeh", "kernel", "heart", "size", size + 2 + r,
                       NULL));
    snprintf (label, sizeof label, "heart at a new size (%d..%d px)",
              size + 2, size + 1 + repeat);
    row (label, repeat, cached);
    for (int r = 0; r < repeat; r++)
      take (r, render ("skc:bokeh", "kernel", "heart", "size", size,
                       "rotation", 30.0 + r, NULL));
    snprintf (label, sizeof label, "heart at %d px, a new rotation "
              "(30..%d deg)", size, 29 + repeat);
    row (label, repeat, cached);
    for (int r = 0; r < repeat; r++)
      take (r, render ("skc:bokeh", "kernel", "heart", "size", size,
                       "rotation", 30.0, NULL));
    snprintf (label, sizeof label, "heart at %d px turned 30 deg again "
              "(nothing new)", size);
    row (label, repeat, cached);
    for (int r = 0; r < repeat; r++)
      take (r, render ("skc:bokeh", "kernel", "heart", "size", 2 * size + r,
                       NULL));
    snprintf (label, sizeof label, "heart at a new size (%d..%d px)",
              2 * size, 2 * size + repeat - 1);
    row (label, repeat, -1.0);
    for (int r = 0; r < repeat; r++)
      take (r, render ("skc:bokeh", "kernel", "heart", "size", 9 + 2 * r,
                       NULL));
    snprintf (label, sizeof label, "heart at a new small size (9..%d px, "
              "dense)", 7 + 2 * repeat);
    row (label, repeat, -1.0);
    /* between the dense sizes and the top basis: polished at the size
     * (skc_family_polish), in every build */
    for (int r = 0; r < repeat; r++)
      take (r, render ("skc:bokeh", "kernel", "heart", "size", 25, NULL));
    cached = row ("heart at 25 px, fit cached (polished)", repeat, -1.0);
    for (int r = 0; r < repeat; r++)
      take (r, render ("skc:bokeh", "kernel", "heart", "size", 19 + 2 * r,
                       NULL));
    snprintf (label, sizeof label, "heart at a new size (19..%d px, "
              "polished)", 17 + 2 * repeat);
    row (label, repeat, cached);
    for (int r = 0; r < repeat; r++)
      take (r, render ("gegl:gaussian-blur", "std-dev-x", size / 4.0,
                       "std-dev-y", size / 4.0, NULL));
    snprintf (label, sizeof label, "gegl:gaussian-blur, std-dev %.2f px",
              size / 4.0);
    row (label, repeat, -1.0);
    for (int r = 0; r < repeat; r++)
      take (r, render ("gegl:lens-blur", "radius", size / 2.0, NULL));
    snprintf (label, sizeof label, "gegl:lens-blur, radius %.1f px (a disk)",
              size / 2.0);
    row (label, repeat, -1.0);
  }
  g_object_unref (photo);
  gegl_exit ();
  return 0;
}
