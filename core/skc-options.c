/* Command-line options from a table (see skc-options.h). */
#include "skc-options.h"
#include "skc-private.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTIONS 64
#define CODE_BASE   256   /* getopt_long's value for option i: CODE_BASE + i */

int
skc_options_error (const char *prog, const char *cmd, const char *format, ...)
{
  const char *sep = cmd && *cmd ? " " : "";
  va_list     ap;

  cmd = cmd ? cmd : "";
  fprintf (stderr, "%s%s%s: ", prog, sep, cmd);
  va_start (ap, format);
  vfprintf (stderr, format, ap);
  va_end (ap);
  fprintf (stderr, "\nTry '%s%s%s --help'.\n", prog, sep, cmd);
  return 2;
}

int
skc_options_int (const char *s, long lo, long hi, int *out)
{
  char *end;
  long  v;

  if (!s || !*s)
    return 0;
  errno = 0;
  v = strtol (s, &end, 10);
  if (errno || *end || v < lo || v > hi)
    return 0;
  *out = (int) v;
  return 1;
}

int
skc_options_u64 (const char *s, uint64_t *out)
{
  char              *end;
  unsigned long long v;

  if (!s || !*s || *s == '-' || *s == '+')
    return 0;
  errno = 0;
  v = strtoull (s, &end, 10);
  if (errno || *end)
    return 0;
  *out = v;
  return 1;
}

int
skc_options_double (const char *s, double lo, double hi, double *out)
{
  char  *end;
  double v;

  if (!s || !*s)
    return 0;
  errno = 0;
  v = skc_ascii_strtod (s, &end);
  if (errno || *end || !isfinite (v) || v < lo || v > hi)
    return 0;
  *out = v;
  return 1;
}

/* Store @value for @o; 0 if it is not a valid value. */
static int
option_set (const SkcOption *o, const char *value)
{
  double d;

  switch (o->kind)
    {
    case SKC_OPT_FLAG:
      *(int *) o->dest = (int) o->lo;
      return 1;
    case SKC_OPT_INT:
      return skc_options_int (value, (long) o->lo, (long) o->hi, o->dest);
    case SKC_OPT_U64:
      return skc_options_u64 (value, o->dest);
    case SKC_OPT_FLOAT:
      if (!skc_options_double (value, o->lo, o->hi, &d))
        return 0;
      *(float *) o->dest = (float) d;
      return 1;
    case SKC_OPT_DOUBLE:
      return skc_options_double (value, o->lo, o->hi, o->dest);
    case SKC_OPT_FLOAT2:
      {
        const char *comma = strchr (value, ',');
        char        first[64];
        double      a, b;

        if (!comma || (size_t) (comma - value) >= sizeof first)
          return 0;
        memcpy (first, value, comma - value);
        first[comma - value] = '\0';
        if (!skc_options_double (first, o->lo, o->hi, &a)
            || !skc_options_double (comma + 1, o->lo, o->hi, &b))
          return 0;
        ((float *) o->dest)[0] = (float) a;
        ((float *) o->dest)[1] = (float) b;
        return 1;
      }
    case SKC_OPT_STRING:
      *(const char **) o->dest = value;
      return 1;
    }
  return 0;
}

static int
bad_value (const char *prog, const char *cmd, const SkcOption *o,
           const char *value)
{
  if (o->range)
    return skc_options_error (prog, cmd, "--%s must be %s, got '%s'", o->name,
                              o->range, value);
  if (o->kind == SKC_OPT_INT)
    return skc_options_error (prog, cmd, "--%s must be %ld..%ld, got '%s'",
                              o->name, (long) o->lo, (long) o->hi, value);
  return skc_options_error (prog, cmd, "--%s must be %g..%g, got '%s'", o->name,
                            o->lo, o->hi, value);
}

int
skc_options_parse (const char *prog, const char *cmd, const char *help,
                   int argc, char **argv, const SkcOption *options,
                   const char **words, int max_words, int *n_words)
{
  struct option longs[MAX_OPTIONS + 2];
  char          shorts[2 * MAX_OPTIONS + 4] = ":h";
  size_t        ns = 2;
  int           n = 0, c;

  for (; options[n].name; n++)
    {
      if (n == MAX_OPTIONS)
        abort ();   /* a program's table, not input */
      longs[n] = (struct option) { options[n].name,
                                   options[n].kind == SKC_OPT_FLAG
                                   ? no_argument : required_argument,
                                   NULL, CODE_BASE + n };
      if (options[n].letter)
        {
          shorts[ns++] = options[n].letter;
          if (options[n].kind != SKC_OPT_FLAG)
            shorts[ns++] = ':';
        }
    }
  shorts[ns] = '\0';
  longs[n] = (struct option) { "help", no_argument, NULL, 'h' };
  longs[n + 1] = (struct option) { NULL, 0, NULL, 0 };

  *n_words = 0;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, shorts, longs, NULL)) != -1)
    {
      const SkcOption *o = NULL;

      if (c == 'h')
        {
          fputs (help, stdout);
          return 0;
        }
      if (c == '?' || c == ':')
        {
          char        letter[3] = { '-', (char) optopt, '\0' };
          const char *what = optopt > 0 && optopt < CODE_BASE && optopt != 'h'
                             ? letter : argv[optind - 1];

          return skc_options_error (prog, cmd, c == ':' ? "option %s needs a value"
                                                        : "unknown option '%s'", what);
        }
      if (c >= CODE_BASE)
        o = &options[c - CODE_BASE];
      else
        for (int i = 0; i < n && !o; i++)
          if (options[i].letter == c)
            o = &options[i];
      if (!option_set (o, optarg))
        return bad_value (prog, cmd, o, optarg);
    }
  for (int i = optind; i < argc; i++)
    {
      if (*n_words == max_words)
        return skc_options_error (prog, cmd, "unexpected argument '%s'", argv[i]);
      words[(*n_words)++] = argv[i];
    }
  return -1;
}
