/* The fit cache on disk (skc-cache.c).  Plain C declarations; the
 * implementation uses GLib and lives in its own library, libskc-cache, so
 * the numeric core stays GLib-free.
 *
 * Thread safety: one SkcCache may be used from several threads; several
 * processes may share one folder (entries are replaced atomically). */
#ifndef SKC_CACHE_H
#define SKC_CACHE_H

#include "skc.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SKC_CACHE_KEY_SIZE      65                  /* 64 hex digits + NUL */
#define SKC_CACHE_DEFAULT_BYTES (64u * 1024 * 1024)

typedef struct SkcCache SkcCache;

/* Open (creating) the cache folder @dir; NULL or "" means $SKC_CACHE_DIR if
 * set, else $XDG_CACHE_HOME/sparse-bokeh/fits.  @max_bytes bounds the
 * folder's size (0: SKC_CACHE_DEFAULT_BYTES).  SKC_ERR_IO if the folder
 * cannot be created. */
SkcStatus   skc_cache_open  (const char *dir, size_t max_bytes, SkcCache **out);
void        skc_cache_close (SkcCache *cache);
const char *skc_cache_dir   (const SkcCache *cache);

/* The key of a fit: SHA-256 (hex) of the kernel, every option that changes
 * the result, @method and the cache/library versions. */
SkcStatus   skc_cache_key   (const SkcKernel *kernel, const SkcFitOptions *options,
                             const char *method, char key[SKC_CACHE_KEY_SIZE]);

/* A valid entry for @key whose structure matches @options, or an error
 * (SKC_ERR_IO: none; SKC_ERR_FORMAT: the entry was corrupt, foreign or
 * stale, and has been deleted). */
SkcStatus   skc_cache_lookup (SkcCache *cache, const char *key,
                              const SkcFitOptions *options, SkcComplex **out);
/* Store atomically, then trim the folder to its budget (oldest first). */
SkcStatus   skc_cache_store  (SkcCache *cache, const char *key, const SkcComplex *complex);
void        skc_cache_trim   (SkcCache *cache);

/* skc_fit through the cache: a valid entry is returned at once (*hit = 1),
 * otherwise the fit runs and its result is stored.  @cache NULL: plain fit. */
SkcStatus   skc_cache_fit    (SkcCache *cache, const SkcKernel *target,
                              const SkcFitOptions *options, SkcComplex **out,
                              int *hit);

/* The same for a family of complexes (skc_family_fit): every basis is
 * stored as its own entry ("KEY-k", with its diameter); a family is used
 * only when all its bases are valid, else the whole family is refitted. */
SkcStatus   skc_cache_family_key (const SkcShapeParams *shape, const SkcKernel *kernel,
                                  float min_size, float max_size, int n_bases,
                                  const SkcFitOptions *options,
                                  char key[SKC_CACHE_KEY_SIZE]);
SkcStatus   skc_cache_family_fit (SkcCache *cache, const SkcShapeParams *shape,
                                  const SkcKernel *kernel, float min_size,
                                  float max_size, int n_bases,
                                  const SkcFitOptions *options, SkcFamily **out,
                                  int *hit);

#ifdef __cplusplus
}
#endif

#endif
