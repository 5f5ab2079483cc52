/* Minimal test harness shared by the unit tests.
 *
 * CHECK (cond, fmt, ...) records a failure with file:line and a message but
 * goes on; CHECK_NEAR compares doubles with an absolute tolerance and prints
 * both values and the tolerance on failure.  A test's main() ends with
 * `return test_finish ();`, which prints "N passed, N failed" for the file
 * and returns non-zero if anything failed.
 */
#ifndef TEST_COMMON_H
#define TEST_COMMON_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include "skc.h"

extern int test_passed;
extern int test_failed;

void test_fail (const char *file, int line, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));
int  test_finish (void);

/* Path of a file in tests/data (static buffer, overwritten per call). */
const char *test_data_path (const char *name);
/* A new private folder /tmp/skc-@name-XXXXXX, its path in @dir (@size
 * bytes); 0 (and a failed check) if it cannot be made. */
int         test_make_dir (const char *name, char *dir, size_t size);
/* @dir/@name, in one of four static buffers used in turn. */
const char *test_path_in (const char *dir, const char *name);
/* Remove @dir and everything in it (a note if that fails). */
void        test_remove_dir (const char *dir);
/* The whole file, NUL-terminated (caller frees), its length in *@len
 * (@len may be NULL); NULL if it cannot be read. */
char       *test_read_file (const char *path, size_t *len);
/* 1 when the test runs under the sanitizers (SKC_TEST_SANITIZED=1, set by
 * ./dev's sanitizer run): heavy tests then take smaller workloads (fewer
 * sizes, smaller images) and assert the same properties with the same
 * floors.  Prints a note the first time it says yes. */
int         test_sanitized (void);
/* A deterministic pseudo-random generator for tests. */
double      test_rand (uint64_t *state);
/* A linear-light luminance plane of a test photo (caller frees).  */
float      *test_load_photo_plane (const char *name, int *width, int *height);
/* A linear-light RGBA crop (alpha 1) of a test photo: @w x @h pixels from
 * (@x0, @y0), rows of 4 w floats (caller frees); NULL, with a failed
 * check, if the photo does not load or is too small. */
float      *test_load_photo_rgba (const char *name, int x0, int y0, int w, int h);

/* A PNG chunk's CRC (ISO 3309, over its type and data) and a big-endian
 * 32-bit field: for test files that lie in their headers. */
uint32_t    test_png_crc         (const unsigned char *p, size_t n);
void        test_put_be32        (unsigned char *p, uint32_t v);

static inline SkcRect
test_rect (int x, int y, int w, int h)
{
  return (SkcRect) { x, y, w, h };
}

#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (cond) test_passed++;                               \
    else test_fail (__FILE__, __LINE__, __VA_ARGS__);      \
  } while (0)

#define CHECK_OK(expr)                                                  \
  do {                                                                  \
    SkcStatus s_ = (expr);                                              \
    CHECK (s_ == SKC_OK, "%s returned %s", #expr, skc_status_string (s_)); \
  } while (0)

#define CHECK_NEAR(a, b, tol, what)                                     \
  do {                                                                  \
    double a_ = (a), b_ = (b), t_ = (tol);                              \
    CHECK (fabs (a_ - b_) <= t_ && !isnan (a_) && !isnan (b_),          \
           "%s: %.9g vs %.9g (|diff| %.3g > tol %.3g)", what, a_, b_,   \
           fabs (a_ - b_), t_);                                         \
  } while (0)

#endif
