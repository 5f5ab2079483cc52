/* The quality levels (see skc-quality.h).
 *
 * Fidelity per level, from tests/bench/results/fit.md (49 px disk,
 * hexagon, star, heart, ring and coma, the lowest and highest of the six):
 * "photo" is the sample photo blurred by the complex against the exact
 * dense blur in linear light; "point" is the complex's impulse response
 * against the kernel with the kernel's peak as the peak: one isolated
 * point light at full brightness, where the taps show as grain.
 */
#include <glib/gi18n-lib.h>

#include "skc-quality.h"

const SkcQualityLevel skc_quality_levels[SKC_N_QUALITIES] = {
  { "fast",   NULL,       N_("Fast"),   12, 4 },
  { "normal", "balanced", N_("Normal"), 24, 4 },
  { "high",   "fine",     N_("High"),   32, 4 },
  { "best",   NULL,       N_("Best"),   48, 6 },
};

static const struct
{
  int photo_lo, photo_hi, point_lo, point_hi;
} measured[SKC_N_QUALITIES] = {
  { 52, 58, 12, 19 },
  { 61, 64, 16, 21 },
  { 63, 68, 17, 22 },
  { 66, 72, 18, 24 },
};

gchar *
skc_quality_label (int level)
{
  const SkcQualityLevel *q = &skc_quality_levels[level];

  /* TRANSLATORS: a quality level, its taps per layer x layers */
  return g_strdup_printf (_("%s (%d x %d)"), _(q->label), q->samples,
                          q->layers);
}

gchar *
skc_quality_help (int level)
{
  const SkcQualityLevel *q = &skc_quality_levels[level];
  const SkcQualityLevel *n = &skc_quality_levels[SKC_QUALITY_DEFAULT];
  int                    taps = q->samples * q->layers;

  return g_strdup_printf (_("%d taps per pixel (%.1fx Normal's work).  "
                            "Against the exact blur: photos %d-%d dB, an "
                            "isolated point light %d-%d dB (lower shows "
                            "as grain inside bright bokeh)."),
                          taps, (double) taps / (n->samples * n->layers),
                          measured[level].photo_lo, measured[level].photo_hi,
                          measured[level].point_lo, measured[level].point_hi);
}
