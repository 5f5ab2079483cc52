/* The .skc text format: a fitted sparse kernel complex on disk.
 *
 * A file is line oriented text (core/FORMAT.md has the full description
 * and an example):
 *
 *     skc-complex 1            magic and format version, exactly
 *     key value                metadata, anywhere outside a layer's taps
 *     layer N                  a layer of N taps, followed by ...
 *     ox oy w                  ... exactly N tap lines (gather convention)
 *
 * '#' starts a comment that runs to the end of the line, blank lines are
 * ignored, "\r\n" line ends are accepted.  Unknown keys are skipped so that
 * newer writers can add metadata, but every key needs a value.
 *
 * The parser treats its input as hostile (fit caches are shared files): it
 * never reads past @length, copies each line into a bounded buffer before
 * looking at it, checks every number against a strict decimal grammar
 * before converting it, bounds every count and offset, and reports the
 * first problem as "line N: ..." with SKC_ERR_FORMAT.
 *
 * Locale: numbers are always written and read with '.' as the decimal
 * point whatever setlocale () the host application (GIMP sets LC_NUMERIC
 * from the user's environment) has chosen.  Both directions switch the
 * calling thread, and only it, to the "C" locale (skc_c_locale_begin,
 * skc-locale.c: POSIX.1-2008 uselocale ()) for the duration of the call
 * and restore the previous one afterwards; strtod () and snprintf () then
 * give correctly rounded results in the C convention.  This is thread
 * safe and leaves the process locale alone.  The grammar check before
 * strtod () also keeps out what strtod () would otherwise accept: hex
 * floats, "nan", "inf" and leading spaces.
 *
 * Floats are written with "%.9g", which reads back to the identical float;
 * doubles (loss, PSNR, time) with "%.17g" for the same reason.
 *
 * Saving is atomic (skc_file_write): the text goes to a fresh temporary
 * file in the target's directory, which is fsync ()ed and then renamed over
 * the target, so a reader sees either the old file or the complete new
 * one; a target that is not a regular file is refused.  Loading reads
 * regular files only, at most SKC_FORMAT_MAX_FILE bytes.
 */
#define _POSIX_C_SOURCE 200809L

#include "skc.h"
#include "skc-private.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SKC_FORMAT_MAGIC     "skc-complex"
#define SKC_FORMAT_VERSION   1
#define SKC_FORMAT_MAX_LINE  4096              /* characters, without "\n" */
#define SKC_FORMAT_MAX_FILE  (16 * 1024 * 1024) /* bytes accepted by load   */
#define MAX_TOKENS           4                 /* tokens remembered a line  */

/* ---------------------------------------------------------------- helpers */

static int
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

/* ---------------------------------------------------------------- numbers */

/* Case-insensitive comparison of @s with the lower-case word @w. */
static int
word_is (const char *s,
         const char *w)
{
  for (; *w; s++, w++)
    if (*s != *w && *s != *w - 'a' + 'A')
      return 0;
  return *s == '\0' || *s == '(';
}

/* "nan", "nan(...)", "inf" or "infinity" in any case: what strtod reads
 * as a non-finite value. */
static int
is_nonfinite_word (const char *s)
{
  return word_is (s, "nan") || word_is (s, "inf") || word_is (s, "infinity");
}

typedef enum
{
  NUM_OK = 0,
  NUM_SYNTAX,      /* not a decimal number             */
  NUM_NONFINITE,   /* nan, inf, or overflows the type  */
  NUM_RANGE        /* an integer out of its range      */
} NumResult;

/* A strict decimal real: [+-] digits [. digits] [(e|E) [+-] digits], with
 * at least one digit in the mantissa.  Must be called in the C locale. */
static NumResult
parse_real (const char *tok,
            double     *value)
{
  const char *p = tok;
  int         digits = 0;
  char       *end;
  double      v;

  if (*p == '+' || *p == '-')
    p++;
  /* strtod would take these; name them so the message can be specific */
  if (is_nonfinite_word (p))
    return NUM_NONFINITE;
  while (is_digit (*p))
    p++, digits++;
  if (*p == '.')
    {
      p++;
      while (is_digit (*p))
        p++, digits++;
    }
  if (digits == 0)
    return NUM_SYNTAX;
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!is_digit (*p))
        return NUM_SYNTAX;
      while (is_digit (*p))
        p++;
    }
  if (*p != '\0')
    return NUM_SYNTAX;

  errno = 0;
  v = strtod (tok, &end);
  if (end != p)
    return NUM_SYNTAX;
  if (!isfinite (v))
    return NUM_NONFINITE;    /* 1e999: ERANGE with HUGE_VAL */
  /* ERANGE with a finite result is underflow to (sub)normal or zero:
   * harmless for a weight or an offset. */
  *value = v;
  return NUM_OK;
}

static NumResult
parse_float (const char *tok,
             float      *value)
{
  double    v;
  NumResult r = parse_real (tok, &v);

  if (r != NUM_OK)
    return r;
  if (fabs (v) > FLT_MAX)
    return NUM_NONFINITE;
  *value = (float) v;
  return NUM_OK;
}

/* An unsigned decimal integer [+]digits no larger than @max. */
static NumResult
parse_uint (const char *tok,
            uint64_t    max,
            uint64_t   *value)
{
  const char *p = tok;
  uint64_t    v = 0;

  if (*p == '+')
    p++;
  if (!is_digit (*p))
    return *p == '-' && is_digit (p[1]) ? NUM_RANGE : NUM_SYNTAX;
  for (; is_digit (*p); p++)
    {
      unsigned d = (unsigned) (*p - '0');

      if (v > (UINT64_MAX - d) / 10)
        {
          while (is_digit (*p))
            p++;
          return *p ? NUM_SYNTAX : NUM_RANGE;
        }
      v = v * 10 + d;
    }
  if (*p != '\0')
    return NUM_SYNTAX;
  if (v > max)
    return NUM_RANGE;
  *value = v;
  return NUM_OK;
}

/* ---------------------------------------------------------------- parser */

typedef struct
{
  SkcDetail *detail;                 /* what is wrong, or NULL         */
  int     line_no;
  /* the current line, comment and trailing blanks removed ... */
  char    line[SKC_FORMAT_MAX_LINE + 1];
  /* ... and a copy cut into NUL-terminated tokens */
  char    toks[SKC_FORMAT_MAX_LINE + 1];
  char   *tok[MAX_TOKENS];
  int     n_tok;                      /* all tokens, even beyond MAX_TOKENS */

  /* what has been read so far */
  int     n_layers;
  int     n_samples[SKC_MAX_LAYERS];
  int     layer_line[SKC_MAX_LAYERS];
  int     n_taps;                     /* taps read into the current layer */
  int     n_branches;                 /* 'branch N' lines read            */
  int     branch_layers[SKC_MAX_LAYERS];
  int     branch_total;               /* layers promised by those lines   */
  SkcTap *taps;                       /* room for every possible tap      */
  int     total;
  unsigned seen;                      /* bit per known key, duplicates   */
  SkcComplex meta;                    /* metadata fields only            */
} Parser;

/* A syntax error at the current line: @code with the words @word and
 * @word2 (cut to 40 characters) and the numbers @n0 .. @n2. */
static SkcStatus
fail (Parser        *ps,
      SkcDetailCode  code,
      const char    *word,
      const char    *word2,
      long long      n0,
      long long      n1,
      long long      n2)
{
  SkcDetail *d = ps->detail;

  if (d)
    {
      skc_detail_set (d, SKC_ERR_FORMAT, code, NULL);
      d->line = ps->line_no;
      skc_detail_word (d->word, sizeof d->word, word, 40);
      skc_detail_word (d->word2, sizeof d->word2, word2, 40);
      d->n[0] = n0;
      d->n[1] = n1;
      d->n[2] = n2;
    }
  return SKC_ERR_FORMAT;
}

/* Split ps->line (already without comment) into ps->toks / ps->tok. */
static void
tokenize (Parser *ps)
{
  char *p;

  memcpy (ps->toks, ps->line, sizeof ps->toks);
  ps->n_tok = 0;
  p = ps->toks;
  for (;;)
    {
      while (is_space (*p))
        *p++ = '\0';
      if (*p == '\0')
        break;
      if (ps->n_tok < MAX_TOKENS)
        ps->tok[ps->n_tok] = p;
      ps->n_tok++;
      while (*p && !is_space (*p))
        p++;
    }
}

/* The line from the second token on: a value that may contain blanks. */
static const char *
rest_of_line (const Parser *ps)
{
  return ps->line + (ps->tok[1] - ps->toks);
}

static SkcStatus
number_error (Parser     *ps,
              NumResult   r,
              const char *tok,
              const char *what)
{
  return fail (ps, r == NUM_NONFINITE ? SKC_DETAIL_SKC_NONFINITE
                  : r == NUM_RANGE ? SKC_DETAIL_SKC_RANGE
                  : SKC_DETAIL_SKC_NOT_NUMBER, tok, what, 0, 0, 0);
}

/* A line "KEY VALUE" holds one value: anything after it is an error.
 * @key as the message names it ("layer N", "seed"). */
static SkcStatus
single_value (Parser *ps, const char *key)
{
  if (ps->n_tok > 2)
    return fail (ps, SKC_DETAIL_SKC_TRAILING, ps->tok[2], key, 0, 0, 0);
  return SKC_OK;
}

/* A count 1..@max (layer and branch sizes). */
static NumResult
parse_count (const char *tok, uint64_t max, uint64_t *n)
{
  NumResult r = parse_uint (tok, UINT64_MAX, n);

  if (r == NUM_OK && (*n < 1 || *n > max))
    r = NUM_RANGE;
  return r;
}

static SkcStatus
parse_tap (Parser *ps)
{
  static const char *const names[3] = { "ox", "oy", "w" };
  SkcTap  *tap = ps->taps + ps->total;
  float    v[3];
  int      layer = ps->n_layers - 1;

  if (ps->n_tok < 3)
    {
      if (ps->n_tok >= 1 && !is_digit (ps->tok[0][0]) && ps->tok[0][0] != '-'
          && ps->tok[0][0] != '+' && ps->tok[0][0] != '.')
        return fail (ps, SKC_DETAIL_SKC_TAP_WORD, ps->tok[0], NULL,
                     ps->n_taps + 1, ps->n_samples[layer], layer + 1);
      return fail (ps, SKC_DETAIL_SKC_TAP_COUNT, NULL, NULL, ps->n_tok, 0, 0);
    }
  for (int i = 0; i < 3; i++)
    {
      NumResult r = parse_float (ps->tok[i], &v[i]);

      if (r != NUM_OK)
        return number_error (ps, r, ps->tok[i], names[i]);
    }
  if (ps->n_tok > 3)
    return fail (ps, SKC_DETAIL_SKC_TRAILING, ps->tok[3], "ox oy w", 0, 0, 0);
  if (fabsf (v[0]) > SKC_MAX_OFFSET || fabsf (v[1]) > SKC_MAX_OFFSET)
    {
      fail (ps, SKC_DETAIL_SKC_OFFSET, NULL, NULL, 0, 0, 0);
      if (ps->detail)
        {
          ps->detail->x[0] = v[0];
          ps->detail->x[1] = v[1];
          ps->detail->x[2] = SKC_MAX_OFFSET;
        }
      return SKC_ERR_FORMAT;
    }
  tap->ox = v[0];
  tap->oy = v[1];
  tap->w = v[2];
  ps->total++;
  ps->n_taps++;
  return SKC_OK;
}

static SkcStatus
parse_layer (Parser *ps)
{
  uint64_t  n;
  NumResult r;
  SkcStatus st = single_value (ps, "layer N");

  if (st != SKC_OK)
    return st;
  r = parse_count (ps->tok[1], SKC_MAX_SAMPLES, &n);
  if (r != NUM_OK)
    {
      if (r == NUM_RANGE)
        return fail (ps, SKC_DETAIL_SKC_LAYER_RANGE, ps->tok[1], NULL,
                     SKC_MAX_SAMPLES, 0, 0);
      return fail (ps, SKC_DETAIL_SKC_LAYER_WORD, ps->tok[1], NULL, 0, 0, 0);
    }
  if (ps->n_layers >= SKC_MAX_LAYERS)
    return fail (ps, SKC_DETAIL_SKC_TOO_MANY_LAYERS, NULL, NULL,
                 SKC_MAX_LAYERS, 0, 0);
  ps->layer_line[ps->n_layers] = ps->line_no;
  ps->n_samples[ps->n_layers] = (int) n;
  ps->n_layers++;
  ps->n_taps = 0;
  return SKC_OK;
}

/* 'branch N': the next N layers form one chain whose output is summed
 * with the other chains' (LowRank).  It must come right before the
 * branch's first layer, after the previous branch is complete. */
static SkcStatus
parse_branch (Parser *ps)
{
  uint64_t  n;
  SkcStatus st = single_value (ps, "branch N");

  if (st != SKC_OK)
    return st;
  if (parse_count (ps->tok[1], SKC_MAX_LAYERS, &n) != NUM_OK)
    return fail (ps, SKC_DETAIL_SKC_BRANCH_SIZE, ps->tok[1], NULL,
                 SKC_MAX_LAYERS, 0, 0);
  if (ps->n_layers != ps->branch_total)
    return fail (ps, SKC_DETAIL_SKC_BRANCH_INSIDE, NULL, NULL, ps->n_layers,
                 ps->branch_total, 0);
  if (ps->branch_total + (int) n > SKC_MAX_LAYERS)
    return fail (ps, SKC_DETAIL_SKC_BRANCHES_TOO_MANY, NULL, NULL,
                 SKC_MAX_LAYERS, 0, 0);
  ps->branch_layers[ps->n_branches++] = (int) n;
  ps->branch_total += (int) n;
  return SKC_OK;
}

enum
{
  KEY_TARGET_WIDTH, KEY_TARGET_HEIGHT, KEY_METHOD, KEY_INIT, KEY_KERNEL,
  KEY_STEPS, KEY_SEED, KEY_LOSS, KEY_KERNEL_PSNR, KEY_FIT_SECONDS, N_KEYS
};

static const char *const key_names[N_KEYS] = {
  "target-width", "target-height", "method", "init", "kernel",
  "steps", "seed", "loss", "kernel-psnr", "fit-seconds"
};

/* Control characters in string values read as '_', as the writer writes
 * them, so that format and parse agree on every string. */
static void
replace_controls (char *s)
{
  for (; *s; s++)
    if ((unsigned char) *s < 0x20 || *s == 0x7f)
      *s = '_';
}

/* A one-word string value into a fixed buffer. */
static SkcStatus
parse_word (Parser     *ps,
            const char *key,
            char       *dest,
            size_t      dest_size)
{
  size_t len = strlen (ps->tok[1]);

  if (len >= dest_size)
    return fail (ps, SKC_DETAIL_SKC_TOO_LONG, key, NULL,
                 (long long) dest_size - 1, 0, 0);
  memcpy (dest, ps->tok[1], len + 1);
  replace_controls (dest);
  return SKC_OK;
}

static SkcStatus
parse_meta (Parser *ps)
{
  const char *key = ps->tok[0];
  SkcComplex *m = &ps->meta;
  int         k;
  NumResult   r;
  uint64_t    u;
  double      d;

  for (k = 0; k < N_KEYS; k++)
    if (strcmp (key, key_names[k]) == 0)
      break;
  if (k == N_KEYS)
    return SKC_OK;          /* unknown key: a newer writer's metadata */
  if (ps->seen & (1u << k))
    return fail (ps, SKC_DETAIL_SKC_DUPLICATE, key, NULL, 0, 0, 0);
  ps->seen |= 1u << k;
  if (k != KEY_KERNEL)        /* every key but 'kernel' has one word */
    {
      SkcStatus st = single_value (ps, key);

      if (st != SKC_OK)
        return st;
    }

  switch (k)
    {
    case KEY_TARGET_WIDTH:
    case KEY_TARGET_HEIGHT:
    case KEY_STEPS:
      r = parse_uint (ps->tok[1], k == KEY_STEPS ? INT32_MAX
                                                 : SKC_MAX_IMAGE_SIDE, &u);
      if (r != NUM_OK)
        return number_error (ps, r, ps->tok[1], key);
      if (k == KEY_TARGET_WIDTH)
        m->target_width = (int) u;
      else if (k == KEY_TARGET_HEIGHT)
        m->target_height = (int) u;
      else
        m->steps = (int) u;
      return SKC_OK;

    case KEY_SEED:
      r = parse_uint (ps->tok[1], UINT64_MAX, &u);
      if (r != NUM_OK)
        return number_error (ps, r, ps->tok[1], key);
      m->seed = u;
      return SKC_OK;

    case KEY_LOSS:
    case KEY_KERNEL_PSNR:
    case KEY_FIT_SECONDS:
      r = parse_real (ps->tok[1], &d);
      if (r != NUM_OK)
        return number_error (ps, r, ps->tok[1], key);
      if (k == KEY_LOSS)
        m->loss = d;
      else if (k == KEY_KERNEL_PSNR)
        m->kernel_psnr = d;
      else
        m->fit_seconds = d;
      return SKC_OK;

    case KEY_METHOD:
      return parse_word (ps, key, m->method, sizeof m->method);

    case KEY_INIT:
      return parse_word (ps, key, m->init, sizeof m->init);

    case KEY_KERNEL:
      {
        const char *value = rest_of_line (ps);
        size_t      len = strlen (value);

        if (len >= sizeof m->kernel_name)
          return fail (ps, SKC_DETAIL_SKC_TOO_LONG, "kernel", NULL,
                       (long long) sizeof m->kernel_name - 1, 0, 0);
        memcpy (m->kernel_name, value, len + 1);
        replace_controls (m->kernel_name);
        return SKC_OK;
      }

    default:
      return SKC_OK;
    }
}

/* Keys are words: a letter, then letters, digits, '-' or '_'. */
static int
is_key (const char *tok)
{
  if (!((*tok >= 'a' && *tok <= 'z') || (*tok >= 'A' && *tok <= 'Z')))
    return 0;
  for (; *tok; tok++)
    if (!((*tok >= 'a' && *tok <= 'z') || (*tok >= 'A' && *tok <= 'Z')
          || is_digit (*tok) || *tok == '-' || *tok == '_'))
      return 0;
  return 1;
}

/* A line that is neither a tap nor "key value": most likely a tap too
 * many, so say so. */
static SkcStatus
bad_key (Parser *ps)
{
  const char *t = ps->tok[0];
  double      d;

  if (parse_real (t, &d) != NUM_SYNTAX)
    {
      if (ps->n_layers == 0)
        return fail (ps, SKC_DETAIL_SKC_TAP_EARLY, NULL, NULL, 0, 0, 0);
      return fail (ps, SKC_DETAIL_SKC_TAP_BEYOND, NULL, NULL,
                   ps->n_samples[ps->n_layers - 1], ps->n_layers, 0);
    }
  return fail (ps, SKC_DETAIL_SKC_NOT_KEY, t, NULL, 0, 0, 0);
}

/* Copies the line [start, start + len) into ps->line, checks it and cuts
 * the comment off. */
static SkcStatus
load_line (Parser     *ps,
           const char *start,
           size_t      len)
{
  const char *hash;

  if (len > 0 && start[len - 1] == '\r')
    len--;
  if (len > SKC_FORMAT_MAX_LINE)
    return fail (ps, SKC_DETAIL_SKC_LINE_TOO_LONG, NULL, NULL,
                 SKC_FORMAT_MAX_LINE, 0, 0);
  if (memchr (start, '\0', len))
    return fail (ps, SKC_DETAIL_SKC_NUL, NULL, NULL, 0, 0, 0);
  hash = memchr (start, '#', len);
  if (hash)
    len = (size_t) (hash - start);
  while (len > 0 && is_space (start[len - 1]))
    len--;
  memcpy (ps->line, start, len);
  ps->line[len] = '\0';
  return SKC_OK;
}

static SkcStatus
check_magic (Parser     *ps,
             const char *start,
             size_t      len)
{
  static const char magic[] = SKC_FORMAT_MAGIC " ";
  const size_t      mlen = sizeof magic - 1;
  char              want[32];
  int               want_len;

  want_len = snprintf (want, sizeof want, "%s %d", SKC_FORMAT_MAGIC,
                       SKC_FORMAT_VERSION);
  if (len > 0 && start[len - 1] == '\r')
    len--;
  if (len == (size_t) want_len && memcmp (start, want, len) == 0)
    return SKC_OK;
  if (len > mlen && memcmp (start, magic, mlen) == 0)
    {
      size_t i = mlen;

      while (i < len && is_digit (start[i]))
        i++;
      if (i == len && len - mlen <= 20)
        {
          char version[24];

          memcpy (version, start + mlen, len - mlen);
          version[len - mlen] = '\0';
          return fail (ps, SKC_DETAIL_SKC_VERSION, version, NULL, 0, 0, 0);
        }
    }
  return fail (ps, SKC_DETAIL_SKC_NOT_SKC, want, NULL, 0, 0, 0);
}

static SkcStatus
parse_text (Parser     *ps,
            const char *text,
            size_t      length)
{
  size_t    pos = 0;
  SkcStatus st;

  ps->line_no = 1;
  {
    const char *eol = memchr (text, '\n', length);
    size_t      len = eol ? (size_t) (eol - text) : length;

    st = check_magic (ps, text, len);
    if (st != SKC_OK)
      return st;
    pos = eol ? len + 1 : length;
  }

  while (pos < length)
    {
      const char *start = text + pos;
      const char *eol = memchr (start, '\n', length - pos);
      size_t      len = eol ? (size_t) (eol - start) : length - pos;

      ps->line_no++;
      pos += eol ? len + 1 : len;
      st = load_line (ps, start, len);
      if (st != SKC_OK)
        return st;
      tokenize (ps);
      if (ps->n_tok == 0)
        continue;

      if (ps->n_layers > 0 && ps->n_taps < ps->n_samples[ps->n_layers - 1])
        st = parse_tap (ps);
      else if (!is_key (ps->tok[0]) || is_nonfinite_word (ps->tok[0]))
        st = bad_key (ps);
      else if (ps->n_tok == 1)
        st = fail (ps, SKC_DETAIL_SKC_NO_VALUE, ps->tok[0], NULL, 0, 0, 0);
      else if (strcmp (ps->tok[0], "layer") == 0)
        st = parse_layer (ps);
      else if (strcmp (ps->tok[0], "branch") == 0)
        st = parse_branch (ps);
      else
        st = parse_meta (ps);
      if (st != SKC_OK)
        return st;
    }

  if (ps->n_layers > 0 && ps->n_taps < ps->n_samples[ps->n_layers - 1])
    {
      int l = ps->n_layers - 1;

      ps->line_no = ps->layer_line[l];
      return fail (ps, SKC_DETAIL_SKC_LAYER_SHORT, NULL, NULL, l + 1,
                   ps->n_taps, ps->n_samples[l]);
    }
  if (ps->n_layers == 0)
    return fail (ps, SKC_DETAIL_SKC_NO_LAYERS, NULL, NULL, 0, 0, 0);
  if (ps->n_branches > 0 && ps->branch_total != ps->n_layers)
    return fail (ps, SKC_DETAIL_SKC_BRANCH_MISMATCH, NULL, NULL,
                 ps->branch_total, ps->n_layers, 0);
  if (ps->n_branches > 0 && ps->n_layers > 0
      && ps->branch_total - ps->branch_layers[ps->n_branches - 1] >= ps->n_layers)
    return fail (ps, SKC_DETAIL_SKC_BRANCH_EMPTY, NULL, NULL, 0, 0, 0);
  return SKC_OK;
}

SkcStatus
skc_complex_parse (const char  *text,
                   size_t       length,
                   SkcComplex **out,
                   char        *err,
                   size_t       err_size)
{
  SkcDetail d;
  SkcStatus st = skc_complex_parse_detail (text, length, out, &d);

  skc_detail_format (&d, err, err_size);
  return st;
}

SkcStatus
skc_complex_load (const char  *path,
                  SkcComplex **out,
                  char        *err,
                  size_t       err_size)
{
  SkcDetail d;
  SkcStatus st = skc_complex_load_detail (path, out, &d);

  skc_detail_format (&d, err, err_size);
  return st;
}

SkcStatus
skc_complex_parse_detail (const char  *text,
                          size_t       length,
                          SkcComplex **out,
                          SkcDetail   *detail)
{
  Parser     *ps;
  SkcComplex *c = NULL;
  SkcCLocale  saved;
  SkcStatus   st;

  skc_detail_set (detail, SKC_OK, SKC_DETAIL_NONE, NULL);
  if (out)
    *out = NULL;
  if (!out || (!text && length > 0))
    {
      skc_detail_set (detail, SKC_ERR_INVALID, SKC_DETAIL_NONE, NULL);
      return SKC_ERR_INVALID;
    }

  ps = calloc (1, sizeof *ps);
  if (ps)
    ps->taps = malloc ((size_t) SKC_MAX_LAYERS * SKC_MAX_SAMPLES
                       * sizeof *ps->taps);
  if (!ps || !ps->taps)
    {
      free (ps);
      skc_detail_set (detail, SKC_ERR_NOMEM, SKC_DETAIL_NONE, NULL);
      return SKC_ERR_NOMEM;
    }
  ps->detail = detail;

  if (!skc_c_locale_begin (&saved))
    {
      free (ps->taps);
      free (ps);
      skc_detail_set (detail, SKC_ERR_NOMEM, SKC_DETAIL_NONE, NULL);
      return SKC_ERR_NOMEM;
    }
  st = parse_text (ps, text ? text : "", length);
  skc_c_locale_end (&saved);

  if (st == SKC_OK)
    st = skc_complex_new (ps->n_layers, ps->n_samples, &c);
  if (st == SKC_OK)
    {
      memcpy (c->taps, ps->taps, (size_t) ps->total * sizeof *c->taps);
      c->target_width = ps->meta.target_width;
      c->target_height = ps->meta.target_height;
      memcpy (c->method, ps->meta.method, sizeof c->method);
      memcpy (c->init, ps->meta.init, sizeof c->init);
      memcpy (c->kernel_name, ps->meta.kernel_name, sizeof c->kernel_name);
      c->steps = ps->meta.steps;
      c->seed = ps->meta.seed;
      c->loss = ps->meta.loss;
      c->kernel_psnr = ps->meta.kernel_psnr;
      c->fit_seconds = ps->meta.fit_seconds;
      if (ps->n_branches > 1)
        {
          c->n_branches = ps->n_branches;
          memcpy (c->branch_layers, ps->branch_layers,
                  sizeof c->branch_layers);
        }
      *out = c;
    }
  else if (st != SKC_ERR_FORMAT)
    skc_detail_set (detail, st, SKC_DETAIL_NONE, NULL);

  free (ps->taps);
  free (ps);
  return st;
}

SkcStatus
skc_complex_load_detail (const char  *path,
                         SkcComplex **out,
                         SkcDetail   *detail)
{
  char     *buf = NULL;
  size_t    len = 0;
  SkcStatus st;

  skc_detail_set (detail, SKC_OK, SKC_DETAIL_NONE, path);
  if (out)
    *out = NULL;
  if (!path || !out)
    {
      skc_detail_set (detail, SKC_ERR_INVALID, SKC_DETAIL_NONE, path);
      return SKC_ERR_INVALID;
    }

  st = skc_file_read (path, SKC_FORMAT_MAX_FILE, 0, &buf, &len);
  if (st == SKC_ERR_TOO_LARGE)
    {
      skc_detail_set (detail, SKC_ERR_FORMAT, SKC_DETAIL_SKC_TOO_LARGE, path);
      if (detail)
        detail->n[0] = SKC_FORMAT_MAX_FILE;
      return SKC_ERR_FORMAT;
    }
  if (st != SKC_OK)
    {
      int e = errno;

      skc_detail_set (detail, st, SKC_DETAIL_SKC_UNREADABLE, path);
      if (detail && st == SKC_ERR_IO)
        detail->sys_errno = e;
      return st;
    }
  st = skc_complex_parse_detail (buf, len, out, detail);
  if (detail && detail->code != SKC_DETAIL_NONE && !detail->name)
    detail->name = path;
  free (buf);
  return st;
}

/* ---------------------------------------------------------------- writer */

typedef struct
{
  char  *data;
  size_t len;
  size_t cap;
  int    failed;
} Buf;

static void buf_printf (Buf *b, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

static void
buf_printf (Buf        *b,
            const char *fmt,
            ...)
{
  va_list ap;
  int     n;

  if (b->failed)
    return;
  for (;;)
    {
      va_start (ap, fmt);
      n = vsnprintf (b->data + b->len, b->cap - b->len, fmt, ap);
      va_end (ap);
      if (n < 0)
        {
          b->failed = 1;
          return;
        }
      if ((size_t) n < b->cap - b->len)
        {
          b->len += (size_t) n;
          return;
        }
      {
        size_t ncap = b->cap * 2 + (size_t) n + 1;
        char  *nd = realloc (b->data, ncap);

        if (!nd)
          {
            b->failed = 1;
            return;
          }
        b->data = nd;
        b->cap = ncap;
      }
    }
}

/* Copy a metadata string so that it reads back as one value: no comment
 * character, no control characters and, for one-word values, no blanks;
 * surrounding blanks are dropped. */
static void
sanitize (const char *src,
          size_t      src_size,
          int         one_word,
          char       *dest)
{
  size_t len = strnlen (src, src_size - 1);
  size_t a = 0, n = 0;

  while (a < len && is_space (src[a]))
    a++;
  while (len > a && is_space (src[len - 1]))
    len--;
  for (size_t i = a; i < len; i++)
    {
      unsigned char c = (unsigned char) src[i];

      if (c < 0x20 || c == 0x7f || c == '#' || (one_word && c == ' '))
        c = '_';
      dest[n++] = (char) c;
    }
  dest[n] = '\0';
}

static int
complex_is_valid (const SkcComplex *c)
{
  int total = 0;

  if (!c || !c->taps || c->n_layers < 1 || c->n_layers > SKC_MAX_LAYERS)
    return 0;
  for (int l = 0; l < c->n_layers; l++)
    {
      if (c->n_samples[l] < 1 || c->n_samples[l] > SKC_MAX_SAMPLES)
        return 0;
      total += c->n_samples[l];
    }
  for (int i = 0; i < total; i++)
    {
      const SkcTap *t = c->taps + i;

      if (!isfinite (t->ox) || !isfinite (t->oy) || !isfinite (t->w)
          || fabsf (t->ox) > SKC_MAX_OFFSET || fabsf (t->oy) > SKC_MAX_OFFSET)
        return 0;
    }
  return 1;
}

static void
format_body (const SkcComplex *c,
             Buf              *b)
{
  char          str[sizeof c->kernel_name];
  const SkcTap *tap = c->taps;

  buf_printf (b, "%s %d\n", SKC_FORMAT_MAGIC, SKC_FORMAT_VERSION);
  /* Metadata: integers always; strings when set; reals when finite (a
   * missing value reads back as 0, "unknown"). */
  if (c->target_width > 0 && c->target_width <= SKC_MAX_IMAGE_SIDE)
    buf_printf (b, "target-width %d\n", c->target_width);
  if (c->target_height > 0 && c->target_height <= SKC_MAX_IMAGE_SIDE)
    buf_printf (b, "target-height %d\n", c->target_height);
  sanitize (c->method, sizeof c->method, 1, str);
  if (str[0])
    buf_printf (b, "method %s\n", str);
  sanitize (c->init, sizeof c->init, 1, str);
  if (str[0])
    buf_printf (b, "init %s\n", str);
  sanitize (c->kernel_name, sizeof c->kernel_name, 0, str);
  if (str[0])
    buf_printf (b, "kernel %s\n", str);
  if (c->steps > 0)
    buf_printf (b, "steps %d\n", c->steps);
  buf_printf (b, "seed %" PRIu64 "\n", c->seed);
  if (isfinite (c->loss))
    buf_printf (b, "loss %.17g\n", c->loss);
  if (isfinite (c->kernel_psnr))
    buf_printf (b, "kernel-psnr %.17g\n", c->kernel_psnr);
  if (isfinite (c->fit_seconds))
    buf_printf (b, "fit-seconds %.17g\n", c->fit_seconds);

  if (skc_complex_n_branches (c) > 1)
    buf_printf (b, "# %d branches: each 'branch N' chains the next N layers; "
                "the output is the sum of the chains.\n",
                skc_complex_n_branches (c));
  buf_printf (b, "# %d layers, applied in order.  Each tap line is "
              "'ox oy w': a gather\n"
              "#   out(x, y) = sum_i w_i * bilerp (in, x + ox_i, y + oy_i)\n"
              "# offsets in pixels; a tap at offset o puts kernel mass "
              "at -o.\n", c->n_layers);
  for (int l = 0, br = 0, next = 0; l < c->n_layers; l++)
    {
      if (skc_complex_n_branches (c) > 1 && l == next)
        {
          buf_printf (b, "branch %d\n", c->branch_layers[br]);
          next += c->branch_layers[br++];
        }
      buf_printf (b, "layer %d\n", c->n_samples[l]);
      for (int i = 0; i < c->n_samples[l]; i++, tap++)
        buf_printf (b, "%.9g %.9g %.9g\n", (double) tap->ox,
                    (double) tap->oy, (double) tap->w);
    }
}

SkcStatus
skc_complex_format (const SkcComplex *complex,
                    char            **out_text)
{
  Buf        b = { NULL, 0, 0, 0 };
  SkcCLocale saved;

  if (out_text)
    *out_text = NULL;
  if (!out_text || !complex_is_valid (complex))
    return SKC_ERR_INVALID;

  b.cap = 1024 + (size_t) skc_complex_total_taps (complex) * 48;
  b.data = malloc (b.cap);
  if (!b.data)
    return SKC_ERR_NOMEM;

  if (!skc_c_locale_begin (&saved))
    {
      free (b.data);
      return SKC_ERR_NOMEM;
    }
  format_body (complex, &b);
  skc_c_locale_end (&saved);

  if (b.failed)
    {
      free (b.data);
      return SKC_ERR_NOMEM;
    }
  *out_text = b.data;
  return SKC_OK;
}

SkcStatus
skc_complex_save (const SkcComplex *complex,
                  const char       *path)
{
  char     *text = NULL;
  SkcStatus st;

  if (!path || !path[0])
    return SKC_ERR_INVALID;
  st = skc_complex_format (complex, &text);
  if (st != SKC_OK)
    return st;

  st = skc_file_write (path, text, strlen (text));
  free (text);
  return st;
}
