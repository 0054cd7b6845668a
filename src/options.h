/* options.h - everything that configures a lint run. */
#ifndef RL_OPTIONS_H
#define RL_OPTIONS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "pyver.h"

/* Redis server thresholds the memory rules compare against (server defaults). */
typedef struct Thresholds {
  long hash_max_listpack_entries; /* 512 */
  long hash_max_listpack_value;   /* 64 */
  long set_max_intset_entries;    /* 512 */
  long set_max_listpack_entries;  /* 128 (Redis >= 7.2) */
  long set_max_listpack_value;    /* 64 */
  long zset_max_listpack_entries; /* 128 */
  long zset_max_listpack_value;   /* 64 */
  long list_max_listpack_size;    /* -2 (8 KB per node) */
  long long proto_max_bulk_len;   /* 512 MB */
  long blob_min_bytes;            /* 1024: literal values at least this big count as blobs */
  int per_field_min_group;        /* 3 (2 when the values come from one object) */
} Thresholds;

/* A file's content to lint instead of what is on disk (--fix passes). */
typedef struct SourceOverride {
  const char *path; /* as in the FileList */
  const char *buf;
  size_t len;
} SourceOverride;

typedef struct Options {
  Thresholds th;
  bool enabled[64]; /* by registry index */
  long default_ttl; /* seconds: the TTL fixes add (RL201), 3600 */
  long lock_ttl;    /* seconds: the lock expiry fixes add (RL501), 30 */
  long socket_timeout; /* seconds: the socket timeouts fixes add (RL402), 5 */
  long block_timeout;  /* seconds: the finite blocking timeout fixes use (RL403), 5 */
  bool cluster;     /* --cluster: the code runs against Redis Cluster (RL7xx) even when no
                       RedisCluster is constructed in the linted files */
  const SourceOverride *overrides; /* sorted by nothing; few */
  size_t noverrides;
  const char *const *test_globs;  /* config "options.test-paths": more test code */
  size_t ntest_globs;
  const char *const *cache_globs; /* config "options.cache-keys": keys that are caches */
  size_t ncache_globs;
  const char *const *example_globs; /* config "options.example-paths": more example code */
  size_t nexample_globs;
  const char *const *script_globs;  /* config "options.script-paths": more one-off scripts */
  size_t nscript_globs;
  int target_redis; /* the Redis server version the code targets, major*100+minor; 0 = current */
  bool bare_noqa;   /* honour a bare `# noqa` (all rules on the line); off by default */
  bool pyver_set;   /* --redis-py-version: pyver applies to every file */
  PyVer pyver;
  int jobs;         /* worker threads, >= 1 */
  const struct Project *project; /* roots for module names (project.h); NULL: none */
  const char *cache_dir; /* the result cache (cache.h); NULL: none. Every option
                            above that changes results must be in cache_options_key */
  const struct FileList *context; /* the rest of the named files' project: read, never
                                     reported; NULL: none */
  bool list_calls;  /* record every Redis call site (redislint calls) */
  bool list_unresolved; /* record receivers of Redis-only methods the model
                           could not prove (redislint calls --unresolved) */
  FILE *progress;   /* a terminal: "files done of total" once a run takes more than
                       about a second (REDISLINT_PROGRESS_DELAY_MS); NULL: none */
  bool stdin_is_text; /* the content of "-" is an editor's buffer, decoded already:
                         UTF-8 whatever encoding it declares (redislint server) */
} Options;

void options_defaults(Options *self);
#endif
