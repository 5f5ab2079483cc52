/* Tests of inline data (core/skc-inline.c), what skc:bokeh's kernel-data
 * and map-data properties hold (plug-ins/PROPERTIES.md).
 *
 * A 16-bit kernel image and a complex come back bit for bit; the string
 * is the documented data: URI; other versions, media types and damaged
 * base64 are refused.  A map is reduced by the area average (checked
 * against sums done here) and sampled back bilinearly: a linear ramp,
 * which bilinear interpolation of cell means reproduces exactly, comes
 * back to float rounding away from the edges, and every value stays
 * within the map's range.
 */
#include "test-common.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void
test_kernel_image (void)
{
  uint64_t  rng = 7;
  SkcImage *img = NULL;
  SkcInline in;
  char     *text = NULL;
  int       same = 1;

  skc_image_new (23, 17, 1, &img);
  for (int i = 0; i < 23 * 17; i++)
    img->data[i] = (float) ((int) (test_rand (&rng) * 65535.0) / 65535.0);
  CHECK (skc_inline_encode_image (img, 0, 0, &text) == SKC_OK, "encode");
  CHECK (text && strncmp (text, "data:image/png;skc=1;base64,iVBOR", 33) == 0,
         "not the documented form: %.40s", text ? text : "(null)");
  CHECK (skc_inline_decode (text, &in) == SKC_OK, "decode");
  CHECK (in.image && !in.complex && in.map_width == 0 && in.map_height == 0,
         "a kernel image decodes as one");
  if (in.image)
    {
      CHECK (in.image->width == 23 && in.image->height == 17
             && in.image->channels == 1, "size %dx%d", in.image->width,
             in.image->height);
      for (int i = 0; i < 23 * 17; i++)
        same &= in.image->data[i] == img->data[i];
      CHECK (same, "16-bit values changed on the way");
    }
  skc_inline_clear (&in);
  free (text);
  skc_image_free (img);
}

static void
test_complex (void)
{
  int         ns[2] = { 3, 2 };
  SkcComplex *c = NULL;
  SkcInline   in;
  char       *text = NULL;

  skc_complex_new (2, ns, &c);
  for (int i = 0; i < 5; i++)
    {
      c->taps[i].ox = 0.25f * i - 1.0f;
      c->taps[i].oy = 1.0f / (i + 3);
      c->taps[i].w = 0.2f + 0.01f * i;
    }
  c->target_width = c->target_height = 9;
  CHECK (skc_inline_encode_complex (c, &text) == SKC_OK, "encode complex");
  CHECK (text && strncmp (text, "data:text/x-skc;skc=1;base64,", 29) == 0,
         "not the documented form: %.40s", text ? text : "(null)");
  CHECK (skc_inline_decode (text, &in) == SKC_OK && in.complex && !in.image,
         "decode complex");
  if (in.complex)
    {
      int same = in.complex->n_layers == 2 && in.complex->target_width == 9;

      for (int i = 0; same && i < 5; i++)
        same = memcmp (&in.complex->taps[i], &c->taps[i], sizeof (SkcTap)) == 0;
      CHECK (same, "the complex changed on the way");
    }
  skc_inline_clear (&in);
  free (text);
  skc_complex_free (c);
}

static void
test_refused (void)
{
  static const char *const bad[] = {
    "",
    "data:",
    "data:image/png;base64,iVBORw0KGgo=",             /* no version       */
    "data:image/png;skc=2;base64,iVBORw0KGgo=",       /* a newer version  */
    "data:image/jpeg;skc=1;base64,iVBORw0KGgo=",      /* another type     */
    "data:image/png;skc=1;iVBORw0KGgo=",              /* not base64       */
    "data:image/png;skc=1;base64,iVBO*w0KGgo=",       /* bad character    */
    "data:image/png;skc=1;base64,iVBORw0KGg",         /* bad length       */
    "data:image/png;skc=1;base64,iVBORw0KGgo=",       /* a truncated PNG  */
    "data:image/png;skc=1;size=0,5;base64,iVBORw0KGgo=",
    "data:image/png;skc=1;size=5;base64,iVBORw0KGgo=",
    "data:text/x-skc;skc=1;base64,bm90IGEgY29tcGxleA==",  /* "not a complex" */
    "/home/me/kernel.png",
  };

  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      SkcInline in;
      SkcStatus s = skc_inline_decode (bad[i], &in);

      CHECK (s != SKC_OK && !in.image && !in.complex, "accepted '%s'", bad[i]);
    }
  CHECK (skc_inline_is_data ("data:x") && !skc_inline_is_data ("/data:x")
         && !skc_inline_is_data (NULL), "skc_inline_is_data");
}

static void
test_map (void)
{
  const int w = 1000, h = 601;
  float    *map = malloc (sizeof *map * w * h);
  float     row[1000];
  SkcImage *grid = NULL;
  SkcInline in;
  char     *text = NULL;
  double    worst = 0.0, lo = 1.0, hi = 0.0, cell_err = 0.0;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      map[y * w + x] = (float) (0.2 + 0.6 * x / (w - 1.0) * (y + 300.0) / 900.0);
  CHECK (skc_map_shrink (map, w, h, 512, &grid) == SKC_OK, "shrink");
  /* factor 2: 500 x 301 cells, the last row half a cell of the map */
  CHECK (grid && grid->width == 500 && grid->height == 301,
         "grid %dx%d", grid ? grid->width : 0, grid ? grid->height : 0);
  if (!grid)
    return;
  /* a cell is the mean of the map over its (fractional) area */
  for (int v = 0; v < 300; v += 37)
    for (int u = 0; u < 500; u += 41)
      {
        double sy = 601.0 / 301, sum = 0.0, area = 0.0;

        for (int y = 0; y < h; y++)
          for (int x = 2 * u; x < 2 * u + 2; x++)
            {
              double a = v * sy, b = (v + 1) * sy;
              double o = (y + 1 < b ? y + 1 : b) - (y > a ? y : a);

              if (o > 0)
                {
                  sum += o * map[y * w + x];
                  area += o;
                }
            }
        cell_err = fmax (cell_err, fabs (sum / area - grid->data[v * 500 + u]));
      }
  CHECK (cell_err < 1e-5, "cell means off by %g", cell_err);

  CHECK (skc_inline_encode_image (grid, w, h, &text) == SKC_OK, "encode map");
  CHECK (text && strncmp (text, "data:image/png;skc=1;size=1000,601;base64,",
                          42) == 0, "not the documented form: %.50s",
         text ? text : "(null)");
  CHECK (skc_inline_decode (text, &in) == SKC_OK && in.image
         && in.map_width == w && in.map_height == h, "decode map");
  if (in.image)
    for (int y = -3; y < h + 3; y++)
      {
        skc_map_sample (in.image, w, h, -3, y, 1000, row);
        for (int x = 0; x < 1000; x++)
          {
            int mx = x - 3 < 0 ? 0 : x - 3, my = y < 0 ? 0 : y >= h ? h - 1 : y;

            lo = fmin (lo, row[x]);
            hi = fmax (hi, row[x]);
            /* away from the edges, where the grid clamps */
            if (mx >= 2 && mx < w - 2 && my >= 2 && my < h - 4)
              worst = fmax (worst, fabs (row[x] - map[my * w + mx]));
          }
      }
  /* 16-bit storage: 1/131070 of rounding, plus float arithmetic */
  CHECK (worst < 2e-5, "a linear map came back off by %g", worst);
  CHECK (lo >= 0.2 - 1e-6 && hi <= 0.2 + 0.6 * 900.0 / 900.0 + 1e-6,
         "values outside the map's range: %g .. %g", lo, hi);
  printf ("map 1000x601 -> %dx%d grid: %zu characters, ramp back to %.2g\n",
          grid->width, grid->height, strlen (text), worst);

  /* a map that fits is kept as it is */
  skc_image_free (grid);
  grid = NULL;
  CHECK (skc_map_shrink (map, w, h, 1000, &grid) == SKC_OK && grid
         && grid->width == w && grid->height == h
         && memcmp (grid->data, map, sizeof *map * w * h) == 0,
         "a map within max-side changed");
  skc_inline_clear (&in);
  skc_image_free (grid);
  free (text);
  free (map);
}

int
main (void)
{
  test_kernel_image ();
  test_complex ();
  test_refused ();
  test_map ();
  return test_finish ();
}
