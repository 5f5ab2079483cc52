/* Integer stencils (skc-stencil.c): a layer's bilinear taps folded once
 * into sparse integer offsets, as both apply engines gather with them.
 * Not installed, not part of the API. */
#ifndef SKC_STENCIL_H
#define SKC_STENCIL_H

#include "skc.h"

#include <stddef.h>
#include <stdint.h>

/* out (p) = sum_e w[e] in (p + (dx[e], dy[e])), entries sorted by
 * (dy, dx), no two alike. */
typedef struct
{
  int    n;                  /* entries, >= 1                            */
  int   *dx, *dy;
  float *w;
  int    x0, x1, y0, y1;     /* box of the entries                       */
} SkcStencil;

/* Scratch of one thread's folds: a merge table for up to @max_taps taps. */
typedef struct
{
  double   *acc;             /* merged weights                           */
  uint64_t *key;             /* merge table: packed (dx, dy)             */
  uint32_t *gen_of;          /* the fold each slot belongs to            */
  int      *index;
  int       bits;
  uint32_t  gen;
} SkcStencilFolder;

SkcStatus skc_stencil_folder_init  (SkcStencilFolder *folder, int max_taps);
void      skc_stencil_folder_clear (SkcStencilFolder *folder);

/* Fold @n taps (offset (@x[i], @y[i]), weight @w[i]) into @st, whose
 * arrays hold 4 @n entries; @float_fraction: the bilinear fractions in
 * float (the varying apply's rule) rather than exact (skc-stencil.c).
 * Deterministic: the result depends on the taps alone. */
void      skc_stencil_fold (SkcStencilFolder *folder, const float *x,
                            const float *y, const float *w, int n,
                            int float_fraction, SkcStencil *st);

#endif
