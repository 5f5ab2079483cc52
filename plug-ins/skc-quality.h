/* The quality levels of Sparse Bokeh, declared once for the filter, its
 * scripts and the kernel editor (skc-quality.c): a name, the complex's
 * structure (taps per layer x layers) and what a level buys, in the
 * measured numbers of tests/bench/results/fit.md.  GLib only.
 *
 * The filter offers every level (and Custom); the kernel editor fits the
 * first SKC_QUALITY_EDITOR_LEVELS of them.  Script values of earlier
 * versions (the editor's "balanced" and "fine") stay accepted as aliases.
 */
#ifndef SKC_QUALITY_H
#define SKC_QUALITY_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *nick;     /* script value: "fast", "normal", ...           */
  const char *alias;    /* an older script value for it, or NULL         */
  const char *label;    /* N_() marked: translate at use                 */
  int         samples;  /* taps per layer                                */
  int         layers;
} SkcQualityLevel;

#define SKC_N_QUALITIES            4
#define SKC_QUALITY_DEFAULT        1   /* normal                         */
#define SKC_QUALITY_EDITOR_LEVELS  3   /* the editor fits fast..high     */

extern const SkcQualityLevel skc_quality_levels[SKC_N_QUALITIES];

/* "Normal (24 x 4)", translated; g_free it. */
gchar *skc_quality_label (int level);

/* What @level means, translated, for a tooltip or a procedure's help:
 * taps per pixel, cost against Normal, and the measured fidelity on
 * photos and on isolated point lights.  g_free it. */
gchar *skc_quality_help  (int level);

G_END_DECLS

#endif
