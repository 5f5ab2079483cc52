/* Filling unknown pixels front by front: holes in a depth map, and the
 * parts of a depth layer hidden behind nearer ones (skc-occlusion.c).
 *
 * A breadth-first growth from the known pixels: front 1 is every unknown
 * pixel touching a known one (8 neighbours), front d + 1 every unknown
 * pixel touching front d.  A pixel of front d takes the mean of its
 * neighbours of fronts 0 .. d - 1, edge neighbours weighted 1 and corner
 * neighbours 1/sqrt 2 (so a diagonal edge does not pull harder than a
 * straight one).  The mean diffuses the colours of a hole's rim inwards
 * instead of repeating the nearest pixel, which would draw streaks and
 * cells (a Voronoi pattern) that a small blur leaves visible.
 *
 * Each front depends only on the fronts before it, so the result does not
 * depend on the order in which a front's pixels are listed, and a pixel at
 * distance d depends only on what lies within d of it: a tile filled
 * with @limit px of margin agrees with any other tiling.  Cost: every
 * pixel is listed once, then reads its 8 neighbours.
 */
#include "skc-fill.h"

#include <stdlib.h>
#include <string.h>

/* Neighbour offsets in a fixed order (the sum's order), and weights. */
static const int   NB_DX[8] = { -1, 0, 1, -1, 1, -1, 0, 1 };
static const int   NB_DY[8] = { -1, -1, -1, 0, 0, 1, 1, 1 };
static const float NB_W[8] = { 0.70710678f, 1.0f, 0.70710678f, 1.0f, 1.0f,
                               0.70710678f, 1.0f, 0.70710678f };

static int
touches (const uint16_t *state, int w, int h, int x, int y, uint16_t what)
{
  for (int k = 0; k < 8; k++)
    {
      int nx = x + NB_DX[k], ny = y + NB_DY[k];

      if (nx >= 0 && nx < w && ny >= 0 && ny < h
          && state[(size_t) ny * w + nx] == what)
        return 1;
    }
  return 0;
}

SkcStatus
skc_fill_fronts (float *values, int channels, uint16_t *state, int width,
                 int height, int limit)
{
  size_t   n, n_cur = 0;
  int32_t *cur, *next;

  if (!values || !state || channels < 1 || channels > 8 || width < 0
      || height < 0 || width > SKC_MAX_IMAGE_SIDE
      || height > SKC_MAX_IMAGE_SIDE || limit < 0 || limit > SKC_FILL_MAX)
    return SKC_ERR_INVALID;
  n = (size_t) width * height;
  if (n == 0)
    return SKC_OK;
  if (n > (size_t) INT32_MAX)
    return SKC_ERR_NOMEM;
  cur = malloc (n * sizeof *cur);
  next = malloc (n * sizeof *next);
  if (!cur || !next)
    {
      free (cur);
      free (next);
      return SKC_ERR_NOMEM;
    }

  /* Front 0: the known pixels on the rim of the unknown ones. */
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if (state[(size_t) y * width + x] == SKC_FILL_KNOWN
          && touches (state, width, height, x, y, SKC_FILL_UNKNOWN))
        cur[n_cur++] = (int32_t) ((size_t) y * width + x);

  for (int d = 1; d <= limit && n_cur > 0; d++)
    {
      size_t n_next = 0;

      for (size_t i = 0; i < n_cur; i++)
        {
          int x = cur[i] % width, y = cur[i] / width;

          for (int k = 0; k < 8; k++)
            {
              int    nx = x + NB_DX[k], ny = y + NB_DY[k];
              size_t q;

              if (nx < 0 || nx >= width || ny < 0 || ny >= height)
                continue;
              q = (size_t) ny * width + nx;
              if (state[q] == SKC_FILL_UNKNOWN)
                {
                  state[q] = (uint16_t) d;
                  next[n_next++] = (int32_t) q;
                }
            }
        }
      for (size_t i = 0; i < n_next; i++)
        {
          int    x = next[i] % width, y = next[i] / width;
          float  acc[8] = { 0 }, wsum = 0.0f;
          float *v = values + (size_t) next[i] * channels;

          for (int k = 0; k < 8; k++)
            {
              int          nx = x + NB_DX[k], ny = y + NB_DY[k];
              size_t       q;
              const float *u;

              if (nx < 0 || nx >= width || ny < 0 || ny >= height)
                continue;
              q = (size_t) ny * width + nx;
              if (state[q] >= d)
                continue;
              u = values + q * channels;
              for (int c = 0; c < channels; c++)
                acc[c] += NB_W[k] * u[c];
              wsum += NB_W[k];
            }
          for (int c = 0; c < channels; c++)
            v[c] = acc[c] / wsum;   /* wsum > 0: a front touches the one before */
        }
      {
        int32_t *t = cur;

        cur = next;
        next = t;
        n_cur = n_next;
      }
    }

  for (size_t i = 0; i < n; i++)
    if (state[i] == SKC_FILL_UNKNOWN)
      memset (values + i * channels, 0, (size_t) channels * sizeof *values);
  free (cur);
  free (next);
  return SKC_OK;
}
