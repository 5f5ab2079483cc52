/* Small shared helpers of libskc: status descriptions and a clock.
 *
 * Nothing here allocates or keeps state.  The status strings are static
 * English text for logs and command-line tools; the GIMP layer translates
 * statuses itself, so the core carries no translatable strings.  The clock
 * is CLOCK_MONOTONIC, which never jumps with wall-clock changes, so
 * differences of two readings are safe to report as durations.
 */
#define _POSIX_C_SOURCE 200809L

#include "skc.h"
#include "skc-private.h"

#include <time.h>

const char *
skc_status_string (SkcStatus status)
{
  switch (status)
    {
    case SKC_OK:
      return "success";
    case SKC_ERR_INVALID:
      return "invalid argument";
    case SKC_ERR_NOMEM:
      return "out of memory or size too large";
    case SKC_ERR_IO:
      return "input/output error";
    case SKC_ERR_FORMAT:
      return "unsupported or corrupt file format";
    case SKC_ERR_EMPTY:
      return "kernel has no positive mass";
    case SKC_ERR_CANCELLED:
      return "cancelled";
    case SKC_ERR_NOT_FILE:
      return "not a regular file (a directory, device, FIFO or symbolic link); refused";
    case SKC_ERR_TOO_LARGE:
      return "too large (over the size or pixel budget); refused";
    }
  return "unknown status";
}

double
skc_time_now (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_MONOTONIC, &ts) != 0)
    return 0.0;
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

int
skc_progress_part_report (double fraction, double loss, void *part)
{
  const SkcProgressPart *p = part;

  return p->func ((p->part + fraction) / p->n_parts, loss, p->data);
}
