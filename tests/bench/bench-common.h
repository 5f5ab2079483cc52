/* Small helpers shared by the benchmark programs. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <string.h>

/* qsort comparator for doubles (medians of timings). */
static inline int
bench_cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* 1 if @id is an item of the comma-separated @list (NULL: every id). */
static inline int
bench_in_list (const char *list, const char *id)
{
  size_t      n = strlen (id);
  const char *p = list;

  if (!list)
    return 1;
  while ((p = strstr (p, id)))
    {
      if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
        return 1;
      p += n;
    }
  return 0;
}

#endif
