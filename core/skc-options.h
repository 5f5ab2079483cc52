/* Command-line options for the project's programs (skc-options.c): the
 * skc command and the benchmarks.  A program declares its options once,
 * in a table; getopt_long reads them, and every number goes through the
 * locale-proof strict parser (the whole string, finite, within its
 * range).  Messages name the command and the option:
 *
 *   skc fit: --samples must be 1..256, got '0'
 *   Try 'skc fit --help'.
 */
#ifndef SKC_OPTIONS_H
#define SKC_OPTIONS_H

#include <stdint.h>

typedef enum
{
  SKC_OPT_FLAG,     /* no value: *(int *) dest = (int) lo                 */
  SKC_OPT_INT,      /* int within lo..hi                                  */
  SKC_OPT_U64,      /* uint64_t (decimal, no sign)                        */
  SKC_OPT_FLOAT,    /* float, finite, within lo..hi                       */
  SKC_OPT_DOUBLE,   /* double, finite, within lo..hi                      */
  SKC_OPT_FLOAT2,   /* "A,B": float[2], each finite, within lo..hi        */
  SKC_OPT_STRING    /* const char *, the argument itself                  */
} SkcOptKind;

typedef struct
{
  const char *name;     /* long name, without "--"; NULL ends a table     */
  char        letter;   /* also -LETTER, or 0                             */
  SkcOptKind  kind;
  void       *dest;
  double      lo, hi;
  const char *range;    /* the message's "must be RANGE"; NULL: "LO..HI"  */
} SkcOption;

/* Parse @argv[1..] (@argv[0] is the command, "@prog @cmd" its name in
 * messages; @cmd may be NULL) against @options: values into their dest, the other words
 * into @words (at most @max_words; *@n_words gets their number).
 * -h and --help print @help.  Returns -1 to go on, else the exit status:
 * 0 after the help, 2 after a message on stderr. */
int  skc_options_parse   (const char      *prog,
                          const char      *cmd,
                          const char      *help,
                          int              argc,
                          char           **argv,
                          const SkcOption *options,
                          const char     **words,
                          int              max_words,
                          int             *n_words);

/* "PROG CMD: MESSAGE" and "Try 'PROG CMD --help'." on stderr (without
 * CMD when it is NULL); returns 2. */
int  skc_options_error   (const char      *prog,
                          const char      *cmd,
                          const char      *format,
                          ...) __attribute__ ((format (printf, 3, 4)));

/* The strict parsers (also for list items): the whole of @s, in range. */
int  skc_options_int     (const char *s, long lo, long hi, int *out);
int  skc_options_u64     (const char *s, uint64_t *out);
int  skc_options_double  (const char *s, double lo, double hi, double *out);

#endif
