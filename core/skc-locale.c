/* Numbers in files, independent of the process locale.
 *
 * Every number the core writes to or reads from a file (PFM headers, .skc
 * complexes, kernel names stored in them, command-line values) uses '.' as
 * the decimal point, whatever setlocale () the host program chose: GIMP
 * and its plug-ins set LC_NUMERIC from the user's environment, and under
 * de_DE.UTF-8 plain strtod ("-1.0") stops at the '.' and printf ("%g")
 * writes "0,5".
 *
 * The helpers switch the calling thread, and only it, to the "C" locale
 * with POSIX.1-2008 uselocale () for the duration of one call (or of a
 * begin/end pair around a longer job) and restore what the thread used
 * before.  strtod () and vsnprintf () then give their usual correctly
 * rounded results in the C convention.  The process locale is never
 * touched, so this is thread safe.  The C locale object is created once
 * (newlocale, under pthread_once) and kept for the life of the process.
 */
#define _POSIX_C_SOURCE 200809L

#include "skc-private.h"

#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_once_t c_once = PTHREAD_ONCE_INIT;
static locale_t       c_locale_obj = (locale_t) 0;

static void
c_locale_create (void)
{
  c_locale_obj = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
}

int
skc_c_locale_begin (SkcCLocale *saved)
{
  pthread_once (&c_once, c_locale_create);
  if (c_locale_obj == (locale_t) 0)
    return 0;
  saved->previous = uselocale (c_locale_obj);
  return saved->previous != (locale_t) 0;
}

void
skc_c_locale_end (const SkcCLocale *saved)
{
  uselocale (saved->previous);
}

double
skc_ascii_strtod (const char *s,
                  char      **end)
{
  SkcCLocale saved;
  double     v;

  if (!skc_c_locale_begin (&saved))
    {
      /* No C locale object (out of memory): read nothing. */
      if (end)
        *end = (char *) s;
      return 0.0;
    }
  v = strtod (s, end);
  skc_c_locale_end (&saved);
  return v;
}

int
skc_ascii_snprintf (char       *buf,
                    size_t      size,
                    const char *format,
                    ...)
{
  SkcCLocale saved;
  va_list    ap;
  int        n;

  if (!skc_c_locale_begin (&saved))
    {
      if (size > 0)
        buf[0] = '\0';
      return -1;
    }
  va_start (ap, format);
  n = vsnprintf (buf, size, format, ap);
  va_end (ap);
  skc_c_locale_end (&saved);
  return n;
}
