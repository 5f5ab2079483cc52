/* Safe files: every file the project writes goes through an atomic save,
 * and files it reads are opened so that a hostile path cannot hang or
 * exhaust it.
 *
 * Saving (skc_save_begin / skc_save_commit):
 *   - the target is checked first with lstat (): a missing file or a
 *     regular file may be written; a directory, device, FIFO, socket or
 *     symbolic link is refused with SKC_ERR_NOT_FILE.  Symbolic links are
 *     refused rather than followed or replaced: writing through a link
 *     would let a planted link redirect the output, and replacing it would
 *     silently turn the user's link into a plain file.  Give the real path.
 *   - the data goes to a new temporary file (O_EXCL) in the target's own
 *     folder, with the existing file's permissions if there is one;
 *   - commit flushes and fsync ()s it, checks the target again and renames
 *     the temporary file over it, then fsync ()s the folder.  A failure at
 *     any step (disk full, I/O error, a target that changed kind) removes
 *     only the temporary file: an existing file is never removed or
 *     truncated, a reader sees the old file or the whole new one.
 *
 * Reading (skc_file_open_read, skc_file_read): the file is opened with
 * O_NONBLOCK (a FIFO never blocks the open), optionally O_NOFOLLOW, and
 * must then be a regular file (fstat); reads are bounded in size.
 */
#define _POSIX_C_SOURCE 200809L

#include "skc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct SkcSave
{
  char *path;
  char *tmp;
  FILE *fp;
};

/* SKC_OK if @path may be replaced: missing, or a regular file. */
SkcStatus
skc_file_check_target (const char *path)
{
  struct stat st;

  if (!path || !path[0])
    return SKC_ERR_INVALID;
  if (lstat (path, &st) != 0)
    return errno == ENOENT ? SKC_OK : SKC_ERR_IO;
  return S_ISREG (st.st_mode) ? SKC_OK : SKC_ERR_NOT_FILE;
}

/* Open a new file next to @path (same folder), never an existing one. */
static int
open_temp (const char *path, mode_t mode, char **tmp_path)
{
  size_t          size = strlen (path) + 64;
  char           *name = malloc (size);
  struct timespec ts;

  if (!name)
    return -1;
  clock_gettime (CLOCK_REALTIME, &ts);
  for (unsigned attempt = 0; attempt < 100; attempt++)
    {
      int fd;

      snprintf (name, size, "%s.%ld.%lx.tmp", path, (long) getpid (),
                (unsigned long) ts.tv_nsec + attempt * 7919ul);
      fd = open (name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                 mode);
      if (fd >= 0)
        {
          *tmp_path = name;
          return fd;
        }
      if (errno != EEXIST)
        break;
    }
  free (name);
  return -1;
}

SkcStatus
skc_save_begin (const char *path, SkcSave **out)
{
  struct stat st;
  SkcSave    *save;
  mode_t      mode = 0666;
  SkcStatus   s;
  int         fd;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  s = skc_file_check_target (path);
  if (s != SKC_OK)
    return s;
  if (lstat (path, &st) == 0)
    mode = st.st_mode & 07777;

  save = calloc (1, sizeof *save);
  if (!save || !(save->path = strdup (path)))
    {
      free (save);
      return SKC_ERR_NOMEM;
    }
  fd = open_temp (path, mode, &save->tmp);
  if (fd < 0)
    {
      free (save->path);
      free (save);
      return SKC_ERR_IO;
    }
  /* open () applies the umask; an existing file keeps its own mode. */
  if (mode != 0666)
    (void) fchmod (fd, mode);
  save->fp = fdopen (fd, "wb");
  if (!save->fp)
    {
      close (fd);
      skc_save_abort (save);
      return SKC_ERR_NOMEM;
    }
  *out = save;
  return SKC_OK;
}

FILE *
skc_save_stream (SkcSave *save)
{
  return save ? save->fp : NULL;
}

void
skc_save_abort (SkcSave *save)
{
  if (!save)
    return;
  if (save->fp)
    fclose (save->fp);
  if (save->tmp)
    unlink (save->tmp);
  free (save->tmp);
  free (save->path);
  free (save);
}

/* Make the rename itself durable; failure here is not an error of the
 * save (the data is written and renamed), so it is ignored. */
static void
sync_directory (const char *path)
{
  const char *slash = strrchr (path, '/');
  char       *dir;
  int         fd;

  if (!slash)
    dir = strdup (".");
  else if (slash == path)
    dir = strdup ("/");
  else
    dir = strndup (path, (size_t) (slash - path));
  if (!dir)
    return;
  fd = open (dir, O_RDONLY | O_CLOEXEC | O_DIRECTORY);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
  free (dir);
}

SkcStatus
skc_save_commit (SkcSave *save)
{
  SkcStatus s = SKC_OK;
  FILE     *fp;

  if (!save)
    return SKC_ERR_INVALID;
  fp = save->fp;
  save->fp = NULL;
  if (fflush (fp) != 0 || ferror (fp) || fsync (fileno (fp)) != 0)
    s = SKC_ERR_IO;
  if (fclose (fp) != 0 && s == SKC_OK)
    s = SKC_ERR_IO;
  /* The target may have changed kind since skc_save_begin. */
  if (s == SKC_OK)
    s = skc_file_check_target (save->path);
  if (s == SKC_OK && rename (save->tmp, save->path) != 0)
    s = SKC_ERR_IO;
  if (s != SKC_OK)
    {
      skc_save_abort (save);
      return s;
    }
  sync_directory (save->path);
  free (save->tmp);
  free (save->path);
  free (save);
  return SKC_OK;
}

SkcStatus
skc_file_write (const char *path, const void *data, size_t length)
{
  SkcSave  *save;
  SkcStatus s = skc_save_begin (path, &save);

  if (s != SKC_OK)
    return s;
  if (length > 0 && fwrite (data, 1, length, save->fp) != length)
    {
      skc_save_abort (save);
      return SKC_ERR_IO;
    }
  return skc_save_commit (save);
}

/* ---------------------------------------------------------------- reading */

int
skc_file_open_read (const char *path, int no_follow, SkcStatus *status)
{
  struct stat st;
  int         fd, flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
  SkcStatus   dummy;

  if (!status)
    status = &dummy;
  if (!path || !path[0])
    {
      *status = SKC_ERR_INVALID;
      return -1;
    }
  if (no_follow)
    flags |= O_NOFOLLOW;
  fd = open (path, flags);
  if (fd < 0)
    {
      *status = errno == ELOOP || errno == ENXIO || errno == EISDIR
                ? SKC_ERR_NOT_FILE : SKC_ERR_IO;
      return -1;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      *status = SKC_ERR_NOT_FILE;
      close (fd);
      return -1;
    }
  /* Regular files never block; plain blocking reads from here on. */
  (void) fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  *status = SKC_OK;
  return fd;
}

FILE *
skc_file_fopen_read (const char *path, SkcStatus *status)
{
  int   fd = skc_file_open_read (path, 0, status);
  FILE *fp;

  if (fd < 0)
    return NULL;
  fp = fdopen (fd, "rb");
  if (!fp)
    {
      close (fd);
      if (status)
        *status = SKC_ERR_NOMEM;
    }
  return fp;
}

SkcStatus
skc_file_read (const char *path, size_t max_bytes, int no_follow,
               char **out, size_t *length)
{
  struct stat st;
  SkcStatus   s;
  char       *buf;
  size_t      len = 0;
  int         fd;

  if (!out)
    return SKC_ERR_INVALID;
  *out = NULL;
  if (length)
    *length = 0;
  fd = skc_file_open_read (path, no_follow, &s);
  if (fd < 0)
    return s;
  if (fstat (fd, &st) != 0)
    {
      close (fd);
      return SKC_ERR_IO;
    }
  if ((unsigned long long) st.st_size > max_bytes)
    {
      close (fd);
      return SKC_ERR_TOO_LARGE;
    }
  /* One byte more than allowed, to notice a file that grew meanwhile. */
  buf = malloc ((size_t) st.st_size + 2);
  if (!buf)
    {
      close (fd);
      return SKC_ERR_NOMEM;
    }
  for (;;)
    {
      size_t  room = (size_t) st.st_size + 1 - len;
      ssize_t n;

      if (room == 0)
        break;
      n = read (fd, buf + len, room);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          close (fd);
          free (buf);
          return SKC_ERR_IO;
        }
      if (n == 0)
        break;
      len += (size_t) n;
    }
  close (fd);
  if (len > (size_t) st.st_size || len > max_bytes)
    {
      free (buf);
      return SKC_ERR_TOO_LARGE;
    }
  buf[len] = '\0';
  *out = buf;
  if (length)
    *length = len;
  return SKC_OK;
}
