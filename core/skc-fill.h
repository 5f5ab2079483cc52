/* Filling unknown pixels front by front (skc-fill.c). */
#ifndef SKC_FILL_H
#define SKC_FILL_H

#include <stdint.h>

#include "skc.h"

/* A pixel's state for skc_fill_fronts: known, or not (yet). */
#define SKC_FILL_KNOWN   0
#define SKC_FILL_UNKNOWN UINT16_MAX
/* The largest front skc_fill_fronts reaches. */
#define SKC_FILL_MAX     (UINT16_MAX - 1)

/* Fill the unknown pixels of a @width x @height block of @values
 * (@channels floats per pixel, 1..8, rows packed) from the known ones, in
 * fronts: front d holds the unknown pixels at chessboard distance d from
 * the nearest known pixel, d = 1 .. @limit (at most SKC_FILL_MAX), and
 * each takes the weighted mean of its 8 neighbours in fronts before its
 * own (weight 1 across an edge, 1/sqrt 2 across a corner).  @state
 * marks each pixel SKC_FILL_KNOWN or SKC_FILL_UNKNOWN on entry; on return
 * a filled pixel holds its front d, a pixel farther than @limit stays
 * SKC_FILL_UNKNOWN and its values are 0.
 *
 * A filled value depends only on the known pixels and values within its
 * own distance d: a caller that fills a block reaching @limit px beyond
 * the pixels it reads gets the same values whatever the block (tiles
 * agree bit for bit).  O(pixels x channels); SKC_ERR_NOMEM if the
 * front lists cannot be had, SKC_ERR_INVALID for bad arguments. */
SkcStatus skc_fill_fronts (float *values, int channels, uint16_t *state,
                           int width, int height, int limit);

#endif
