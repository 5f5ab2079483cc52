/* What went wrong, in words: the loaders and checks that read files from
 * outside (skc-check.c, skc-format.c, skc-preset.c) describe a refusal
 * as an SkcDetail, a code and its values, never as a sentence.  Each
 * code has one English template here, with named places for the values:
 *
 *   {name}  the file or thing checked      {line}  the .skc line
 *   {word}, {word2}  words as read         {n0} .. {n3}  whole numbers
 *   {x0} .. {x2}  reals (%g; {x0:3}: three digits)   {s0}  "s" unless n0 is 1
 *   {error}  the system's or the status's own words (the caller's)
 *
 * skc_detail_format renders the English (the skc command, the tests);
 * the plug-ins render the template's translation (plug-ins/skc-error.c),
 * so a translator reorders the places freely.  The templates are marked
 * for xgettext (N_), the only strings of the core that users read.
 */
#include "skc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_(s) (s)

static const char *const templates[SKC_DETAIL_COUNT] = {
  [SKC_DETAIL_NONE] = "{error}",
  [SKC_DETAIL_KERNEL_TOO_LARGE] =
    N_("kernel image '{name}' is {n0}x{n1} px; a kernel is at most "
       "{n2}x{n2} px"),
  [SKC_DETAIL_KERNEL_UNREADABLE] =
    N_("cannot load kernel image '{name}': {error}"),
  [SKC_DETAIL_KERNEL_NONFINITE] =
    N_("kernel image '{name}' holds {n0} NaN or infinite value{s0} (first "
       "at x {n1}, y {n2}); kernel weights must be finite and not negative"),
  [SKC_DETAIL_KERNEL_NEGATIVE] =
    N_("kernel image '{name}' holds {n0} negative value{s0} (first at x "
       "{n1}, y {n2}); kernel weights must be finite and not negative"),
  [SKC_DETAIL_KERNEL_EMPTY] =
    N_("kernel image '{name}' is empty (no positive weight)"),
  [SKC_DETAIL_KERNEL_UNUSABLE] =
    N_("cannot use kernel image '{name}': {error}"),
  [SKC_DETAIL_COMPLEX_NO_LAYERS] = N_("'{name}': no layers"),
  [SKC_DETAIL_COMPLEX_TAP] = N_("'{name}': tap {n0} is NaN or infinite"),
  [SKC_DETAIL_COMPLEX_GAIN] =
    N_("'{name}': DC gain {x0:3} (the sum of the kernel) is outside "
       "{x1}..{x2}; the weights are zero, negative or far too large"),
  [SKC_DETAIL_COMPLEX_REACH] =
    N_("'{name}': taps reach {n0} px from the centre; a kernel reaches at "
       "most {n1} px ({n2} px wide)"),
  [SKC_DETAIL_SKC_TOO_LARGE] =
    N_("'{name}' is too large for an .skc file (more than {n0} bytes)"),
  [SKC_DETAIL_SKC_UNREADABLE] = N_("cannot open '{name}': {error}"),
  [SKC_DETAIL_SKC_NONFINITE] =
    N_("line {line}: non-finite number '{word}' for {word2}"),
  [SKC_DETAIL_SKC_RANGE] = N_("line {line}: {word2} '{word}' out of range"),
  [SKC_DETAIL_SKC_NOT_NUMBER] =
    N_("line {line}: '{word}' is not a number ({word2})"),
  [SKC_DETAIL_SKC_TRAILING] =
    N_("line {line}: trailing garbage '{word}' after '{word2}'"),
  [SKC_DETAIL_SKC_TAP_WORD] =
    N_("line {line}: expected 3 numbers 'ox oy w' (tap {n0} of {n1} of "
       "layer {n2}), got '{word}'"),
  [SKC_DETAIL_SKC_TAP_COUNT] =
    N_("line {line}: expected 3 numbers 'ox oy w', got {n0}"),
  [SKC_DETAIL_SKC_OFFSET] =
    N_("line {line}: offset ({x0}, {x1}) out of range (|offset| <= {x2})"),
  [SKC_DETAIL_SKC_LAYER_RANGE] =
    N_("line {line}: layer size '{word}' out of range 1..{n0}"),
  [SKC_DETAIL_SKC_LAYER_WORD] =
    N_("line {line}: layer size '{word}' is not an integer"),
  [SKC_DETAIL_SKC_TOO_MANY_LAYERS] = N_("line {line}: more than {n0} layers"),
  [SKC_DETAIL_SKC_BRANCH_SIZE] =
    N_("line {line}: branch size '{word}' is not an integer 1..{n0}"),
  [SKC_DETAIL_SKC_BRANCH_INSIDE] =
    N_("line {line}: 'branch' line inside a branch ({n0} layers read, {n1} "
       "promised)"),
  [SKC_DETAIL_SKC_BRANCHES_TOO_MANY] =
    N_("line {line}: branches hold more than {n0} layers"),
  [SKC_DETAIL_SKC_TOO_LONG] =
    N_("line {line}: {word} longer than {n0} characters"),
  [SKC_DETAIL_SKC_DUPLICATE] = N_("line {line}: duplicate key '{word}'"),
  [SKC_DETAIL_SKC_TAP_EARLY] =
    N_("line {line}: tap line before the first 'layer N'"),
  [SKC_DETAIL_SKC_TAP_BEYOND] =
    N_("line {line}: tap line beyond the {n0} taps of layer {n1}"),
  [SKC_DETAIL_SKC_NOT_KEY] = N_("line {line}: '{word}' is not a key"),
  [SKC_DETAIL_SKC_LINE_TOO_LONG] =
    N_("line {line}: line too long (more than {n0} characters)"),
  [SKC_DETAIL_SKC_NUL] = N_("line {line}: embedded NUL byte"),
  [SKC_DETAIL_SKC_VERSION] = N_("line {line}: unsupported version {word}"),
  [SKC_DETAIL_SKC_NOT_SKC] =
    N_("line {line}: not an .skc file (the first line must be '{word}')"),
  [SKC_DETAIL_SKC_NO_VALUE] = N_("line {line}: key '{word}' has no value"),
  [SKC_DETAIL_SKC_LAYER_SHORT] =
    N_("line {line}: layer {n0} has only {n1} of its {n2} taps before the "
       "end of the file"),
  [SKC_DETAIL_SKC_NO_LAYERS] =
    N_("line {line}: no layers (expected a 'layer N' line)"),
  [SKC_DETAIL_SKC_BRANCH_MISMATCH] =
    N_("line {line}: branches promise {n0} layers but the file has {n1}"),
  [SKC_DETAIL_SKC_BRANCH_EMPTY] =
    N_("line {line}: the last branch has no layers"),
  [SKC_DETAIL_PRESET_UNREADABLE] = N_("{name}: {error}"),
  [SKC_DETAIL_PRESET_SYNTAX] = N_("{name}: {word}"),
  [SKC_DETAIL_PRESET_NO_GROUP] = N_("{name}: no [{word}] group"),
  [SKC_DETAIL_PRESET_ID] =
    N_("{name}: '{word}' is not a valid preset id (lowercase letters, digits "
       "and '-')"),
  [SKC_DETAIL_PRESET_NO_NAME] = N_("{name}: 'name' is missing"),
  [SKC_DETAIL_PRESET_SOURCE] =
    N_("{name}: give exactly one of 'shape' and 'kernel-image'"),
  [SKC_DETAIL_PRESET_SHAPE] = N_("{name}: unknown shape '{word}'"),
  [SKC_DETAIL_PRESET_NUMBER] =
    N_("{name}: '{word}' must be a number in {x0}..{x1}, got '{word2}'"),
  [SKC_DETAIL_PRESET_WHOLE] = N_("{name}: '{word}' must be a whole number"),
};

const char *
skc_detail_template (SkcDetailCode code)
{
  if ((int) code < 0 || code >= SKC_DETAIL_COUNT || !templates[code])
    return templates[SKC_DETAIL_NONE];
  return templates[code];
}

void
skc_detail_set (SkcDetail *detail, SkcStatus status, SkcDetailCode code,
                const char *name)
{
  if (!detail)
    return;
  memset (detail, 0, sizeof *detail);
  detail->status = status;
  detail->code = code;
  detail->name = name;
}

/* @s into @dest (of @size), cut to fit, control characters as '?'. */
void
skc_detail_word (char *dest, size_t size, const char *s, size_t max_len)
{
  size_t n = 0;

  if (!dest || size == 0)
    return;
  for (; s && s[n] && n < max_len && n + 1 < size; n++)
    dest[n] = (unsigned char) s[n] < 0x20 || s[n] == 0x7f ? '?' : s[n];
  dest[n] = '\0';
}

/* Appends to @buf (of @size, @len used so far, always NUL-terminated)
 * the output of snprintf; returns the new length, cut at @size - 1. */
static size_t
append (char *buf, size_t size, size_t len, const char *fmt, ...)
  __attribute__ ((format (printf, 4, 5)));

static size_t
append (char *buf, size_t size, size_t len, const char *fmt, ...)
{
  va_list ap;
  int     n;

  if (len + 1 >= size)
    return len;
  va_start (ap, fmt);
  n = vsnprintf (buf + len, size - len, fmt, ap);
  va_end (ap);
  if (n < 0)
    return len;
  return len + (size_t) n < size ? len + (size_t) n : size - 1;
}

void
skc_detail_render (const char *tmpl, const SkcDetail *d,
                   const char *error_text, char *buf, size_t size)
{
  size_t len = 0;

  if (!buf || size == 0)
    return;
  buf[0] = '\0';
  for (const char *p = tmpl ? tmpl : ""; *p; )
    {
      const char *end = *p == '{' ? strchr (p, '}') : NULL;
      char        key[16];
      size_t      k = end ? (size_t) (end - p - 1) : 0;

      if (!end || k == 0 || k >= sizeof key)
        {
          len = append (buf, size, len, "%c", *p++);
          continue;
        }
      memcpy (key, p + 1, k);
      key[k] = '\0';
      p = end + 1;
      if (strcmp (key, "name") == 0)
        len = append (buf, size, len, "%s", d->name ? d->name : "");
      else if (strcmp (key, "line") == 0)
        len = append (buf, size, len, "%d", d->line);
      else if (strcmp (key, "word") == 0)
        len = append (buf, size, len, "%s", d->word);
      else if (strcmp (key, "word2") == 0)
        len = append (buf, size, len, "%s", d->word2);
      else if (strcmp (key, "error") == 0)
        len = append (buf, size, len, "%s", error_text ? error_text : "");
      else if (strcmp (key, "s0") == 0)
        len = append (buf, size, len, "%s", d->n[0] == 1 ? "" : "s");
      else if (key[0] == 'n' && key[1] >= '0' && key[1] <= '3' && !key[2])
        len = append (buf, size, len, "%lld", d->n[key[1] - '0']);
      else if (key[0] == 'x' && key[1] >= '0' && key[1] <= '2'
               && (!key[2] || (key[2] == ':' && key[3] >= '1'
                               && key[3] <= '9' && !key[4])))
        len = append (buf, size, len, "%.*g",
                      key[2] ? key[3] - '0' : 6, d->x[key[1] - '0']);
      else
        len = append (buf, size, len, "{%s}", key);
    }
}

void
skc_detail_format (const SkcDetail *d, char *buf, size_t size)
{
  const char *error_text;

  if (!buf || size == 0)
    return;
  if (!d)
    {
      buf[0] = '\0';
      return;
    }
  error_text = d->sys_errno ? strerror (d->sys_errno)
                            : skc_status_string (d->status);
  if (d->code == SKC_DETAIL_NONE && d->status == SKC_OK)
    error_text = "";
  skc_detail_render (skc_detail_template (d->code), d, error_text, buf, size);
}
