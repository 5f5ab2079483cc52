/* The core's one way to run work on threads.
 *
 * skc_thread_count turns a caller's request into a thread count: a
 * positive request is taken as it is, 0 means every CPU this process may
 * run on (its affinity mask, so a container or `taskset` limit is
 * honoured, not the machine's CPU count), both capped at SKC_MAX_THREADS.
 *
 * skc_parallel_run calls func (data, i) for i = 0 .. n - 1 at the same
 * time: the caller runs 0, and one thread started here runs each other
 * index; it returns when all have returned.  An index whose thread cannot
 * be started runs on the caller afterwards, so every index runs exactly
 * once whatever happens.  Threads live for one call only: nothing is left
 * behind for fork () or exit (), and a func may itself call
 * skc_parallel_run.  Every engine distributes its work dynamically or in
 * fixed parts through this, and none lets the thread count change a
 * result (see each engine).
 */
#define _GNU_SOURCE
#include "skc-private.h"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

int
skc_thread_count (int requested)
{
  long n = requested;

  if (n <= 0)
    {
      cpu_set_t set;

      CPU_ZERO (&set);
      if (sched_getaffinity (0, sizeof set, &set) == 0)
        n = CPU_COUNT (&set);
      else
        n = sysconf (_SC_NPROCESSORS_ONLN);
    }
  return n < 1 ? 1 : n > SKC_MAX_THREADS ? SKC_MAX_THREADS : (int) n;
}

typedef struct
{
  SkcParallelFunc func;
  void           *data;
  int             index;
} Task;

static void *
task_thread (void *data)
{
  Task *t = data;

  t->func (t->data, t->index);
  return NULL;
}

void
skc_parallel_run (int n, SkcParallelFunc func, void *data)
{
  pthread_t threads[SKC_MAX_THREADS];
  Task      tasks[SKC_MAX_THREADS];
  int       started[SKC_MAX_THREADS] = { 0 };

  if (n < 1)
    return;
  for (int i = 1; i < n && i < SKC_MAX_THREADS; i++)
    {
      tasks[i] = (Task) { func, data, i };
      started[i] = pthread_create (&threads[i], NULL, task_thread,
                                   &tasks[i]) == 0;
    }
  func (data, 0);
  for (int i = 1; i < n; i++)
    if (i < SKC_MAX_THREADS && started[i])
      pthread_join (threads[i], NULL);
    else
      func (data, i);
}
