/* test-i18n-catalog: the built German catalogue is found and used.
 *
 *   test-i18n-catalog LOCALEDIR DOMAIN RECORDS
 *
 * Binds DOMAIN to LOCALEDIR (the build's po/ folder, which meson lays out
 * as <lang>/LC_MESSAGES/DOMAIN.mo) the way the GEGL op and libgimp do, then
 * looks every message of RECORDS up with dgettext/dngettext and compares it
 * with the expected msgstr.  RECORDS holds NUL-separated fields, six per
 * message: context flag ("1" or ""), context, msgid, plural form index ("" or
 * "0", "1", ...), msgid_plural, msgstr (tests/test-i18n.sh writes it from
 * po/de.po with msgexec).  Run under LANGUAGE=de LANG=de_DE.UTF-8; without
 * that locale, C.UTF-8 with LANGUAGE=de is used (glibc honours LANGUAGE
 * for any locale but "C").
 *
 * Plural forms: n = 1 for form 0 and n = 2 for form 1 (German and English,
 * nplurals=2; plural=(n != 1)). */
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
read_all (const char *path, size_t *len)
{
  FILE  *f = fopen (path, "rb");
  char  *buf = NULL;
  size_t cap = 0, n = 0, got;

  if (!f)
    return NULL;
  do
    {
      if (n + 4096 > cap)
        {
          cap = cap ? cap * 2 : 65536;
          buf = realloc (buf, cap);
          if (!buf)
            exit (2);
        }
      got = fread (buf + n, 1, cap - n, f);
      n += got;
    }
  while (got > 0);
  fclose (f);
  *len = n;
  return buf;
}

int
main (int argc, char **argv)
{
  const char *locale;
  const char *domain;
  char       *data;
  size_t      len, pos = 0;
  int         total = 0, bad = 0, differ = 0;

  if (argc != 4)
    {
      fprintf (stderr, "usage: %s LOCALEDIR DOMAIN RECORDS\n", argv[0]);
      return 2;
    }
  domain = argv[2];
  locale = setlocale (LC_ALL, "");
  if (!locale)
    {
      locale = setlocale (LC_ALL, "C.UTF-8");
      printf ("locale from the environment missing; using %s with LANGUAGE=%s\n",
              locale ? locale : "(none)", getenv ("LANGUAGE") ? getenv ("LANGUAGE") : "");
    }
  if (!bindtextdomain (domain, argv[1]) || !bind_textdomain_codeset (domain, "UTF-8"))
    {
      perror ("bindtextdomain");
      return 1;
    }
  data = read_all (argv[3], &len);
  if (!data)
    {
      perror (argv[3]);
      return 1;
    }

  while (pos < len)
    {
      const char *field[6];
      const char *got;
      char       *key;

      for (int i = 0; i < 6; i++)
        {
          const char *end = memchr (data + pos, '\0', len - pos);

          if (!end)
            {
              fprintf (stderr, "truncated record after %d messages\n", total);
              return 1;
            }
          field[i] = data + pos;
          pos = (size_t) (end - data) + 1;
        }
      if (field[0][0])   /* msgctxt: looked up as CONTEXT \004 MSGID */
        {
          key = malloc (strlen (field[1]) + strlen (field[2]) + 2);
          sprintf (key, "%s\004%s", field[1], field[2]);
        }
      else
        key = strdup (field[2]);
      if (field[3][0])
        got = dngettext (domain, key, field[4], atoi (field[3]) == 0 ? 1 : 2);
      else
        got = dgettext (domain, key);
      total++;
      if (strcmp (got, field[5]) != 0)
        {
          if (bad++ < 10)
            printf ("FAIL: \"%s\"%s%s%s\n  expected \"%s\"\n  got      \"%s\"\n",
                    field[2], field[0][0] ? " (context " : "", field[1],
                    field[0][0] ? ")" : "", field[5], got);
        }
      else if (strcmp (got, field[2]) != 0)
        {
          if (differ++ == 0)
            printf ("locale %s, LANGUAGE=%s: \"%s\" -> \"%s\"\n", locale ? locale : "(none)",
                    getenv ("LANGUAGE") ? getenv ("LANGUAGE") : "", field[2], got);
        }
      free (key);
    }
  printf ("%d messages looked up, %d translated from the catalogue, %d wrong\n",
          total, differ, bad);
  free (data);
  if (total == 0 || differ == 0)
    {
      printf ("FAIL: no message came back translated: the catalogue is not used\n");
      return 1;
    }
  return bad ? 1 : 0;
}
