/* skc-peak-rss CMD [ARGS...]: run CMD, then print its peak resident set
 * (the kernel's ru_maxrss of the child, which counts every page it
 * touched) and wall time on stderr:
 *   peak-rss: 41.2 MB, 12.34 s: CMD
 * Exits with CMD's status.  For results/memory.md (memory.sh). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  struct rusage   ru;
  struct timespec t0, t1;
  pid_t           pid;
  int             status;

  if (argc < 2)
    {
      fprintf (stderr, "usage: skc-peak-rss CMD [ARGS...]\n");
      return 2;
    }
  clock_gettime (CLOCK_MONOTONIC, &t0);
  pid = fork ();
  if (pid < 0)
    {
      perror ("skc-peak-rss: fork");
      return 2;
    }
  if (pid == 0)
    {
      execvp (argv[1], argv + 1);
      perror ("skc-peak-rss: exec");
      _exit (127);
    }
  if (wait4 (pid, &status, 0, &ru) != pid)
    {
      perror ("skc-peak-rss: wait4");
      return 2;
    }
  clock_gettime (CLOCK_MONOTONIC, &t1);
  fprintf (stderr, "peak-rss: %.1f MB, %.2f s:", ru.ru_maxrss / 1024.0,
           (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
  for (int i = 1; i < argc; i++)
    fprintf (stderr, " %s", argv[i]);
  fprintf (stderr, "\n");
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}
