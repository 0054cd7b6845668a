/* cache.h - the result cache: unchanged files cost a read and a hash.
 *
 * One file, <cache-dir>/results.json (default cache-dir: .redislint_cache at
 * the project root, with a .gitignore of `*` inside), written atomically
 * (a temporary file renamed over it) so that two runs sharing it never read
 * a torn file; the last writer wins, and either content is valid.
 *
 * Its key is everything the per-file results depend on besides the file:
 * the redislint version, the grammar, the effective options (rules,
 * thresholds, test and cache globs, target versions, cluster mode...) and
 * the working directory relative to the project root (paths in messages).
 * Per file (by path): the hash of its bytes (XXH3), the redis-py version
 * that applied to it, what it exports to the project index, and what the
 * per-file pass produced before the project rules ran: findings, key uses,
 * suppressions, syntax warnings, whether it builds a cluster client.
 *
 * lint.c decides validity across files: a cached result stands only while
 * the project index it was computed against is the same (see lint_run). */
#ifndef RL_CACHE_H
#define RL_CACHE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "lint.h"
#include "model.h"

typedef struct ResultCache ResultCache;
typedef struct CacheEntry CacheEntry;

/* The key of a run's options (see above); cwd_rel is the working directory
 * relative to the project root ("" at the root). */
uint64_t cache_options_key(const Options *opt, const char *cwd_rel);
/* XXH3 of a file's bytes. */
uint64_t cache_hash(const void *data, size_t len);

/* Reads <dir>/results.json when its key is `key`; an absent, unreadable,
 * malformed or foreign file gives an empty cache (never an error: the run
 * just does all the work). */
ResultCache *cache_open(const char *dir, uint64_t key);
void cache_close(ResultCache *c);

/* The entry of `path` (a project-relative path), whatever its hash; NULL if none. */
const CacheEntry *cache_entry(const ResultCache *c, const char *path);
/* Does the entry hold the results of these bytes under this redis-py version? */
bool cache_entry_matches(const CacheEntry *e, uint64_t hash, const char *pyver);
/* The entry's exports (names and bases malloc'ed; free with cache_exports_free). */
size_t cache_entry_exports(const CacheEntry *e, Export **out);
void cache_exports_free(Export *ex, size_t n);
/* Do two export lists say the same (order included)? */
bool cache_exports_equal(const Export *a, size_t na, const Export *b, size_t nb);
/* The project-relative paths of every entry, in the order read. */
size_t cache_npaths(const ResultCache *c);
const char *cache_path_at(const ResultCache *c, size_t i);
/* The union of the files' `defined` flags (index_scan_defined) the cache was
 * computed with; false when the cache holds none. */
bool cache_defined(const ResultCache *c, bool *defined, size_t n);

/* Fills fr (loaded, with its arena) from the entry: findings, key uses,
 * suppressions, cluster_client, parse_errors; the syntax warning goes to d. */
void cache_restore(const CacheEntry *e, FileResult *fr, Diags *d);

/* A file's results for the next run (thread-safe: touches no shared state). */
CacheEntry *cache_entry_new(const char *path, uint64_t hash, const char *pyver,
                            const FileResult *fr, const Diags *d, const Export *ex, size_t nex,
                            const bool *defined, size_t ndefined);
/* Does the entry hold findings, key uses, suppressions or a syntax warning
 * (that need the file's text for their positions)? */
bool cache_entry_has_results(const CacheEntry *e);
/* The file's `defined` flags (index_scan_defined), as recorded. */
void cache_entry_defined(const CacheEntry *e, bool *defined, size_t n);
/* Adds an entry to what cache_save writes (takes it; with c NULL, frees it). */
void cache_add(ResultCache *c, CacheEntry *e);
/* Keeps the old entry of a path unchanged (a cache hit). */
void cache_keep(ResultCache *c, const char *path);
/* The same, with the file's stat signature recorded (or replaced). */
void cache_keep_stat(ResultCache *c, const char *path, const char *sig);

/* A file's stat signature (size, mtime, ctime, inode, device) as an entry
 * records it: when the file on disk still has it, its bytes are the ones the
 * entry was computed from, and the run need not read them. Only a file left
 * alone for 2 seconds gets one (a write within the file system's timestamp
 * granularity would otherwise go unseen). False for anything but a settled
 * regular file. */
bool cache_stat_sig(const char *path, char *out, size_t n);
/* The entry's recorded signature, or NULL. */
const char *cache_entry_stat(const CacheEntry *e);
/* The entry's hash of the file's bytes; false when it has none. */
bool cache_entry_hash(const CacheEntry *e, uint64_t *hash);
/* Records a signature on a new entry. */
void cache_entry_set_stat(CacheEntry *e, const char *sig);
/* Records that the file is test code (in_test_code, which reads its text),
 * and asks it of an entry. */
void cache_entry_set_test(CacheEntry *e);
bool cache_entry_test(const CacheEntry *e);
/* Writes the entries put or kept, with the defined flags; 0, or -1 with a
 * reason in err. */
int cache_save(ResultCache *c, const bool *defined, size_t n, char *err, size_t errsize);
#endif
