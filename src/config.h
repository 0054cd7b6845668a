/* config.h - the project configuration file, redislint.json.
 *
 * Found by searching upward from the first linted path (or the working
 * directory) for `redislint.json` or `.redislint.json`, stopping at the
 * repository root (a directory holding .git or .hg); `--config FILE` names
 * one, `--isolated` ignores them. Read with cJSON. Every key:
 *
 *   {"select": ["RL1", "RL301"], "ignore": ["RL205"], "extend-select": ["RL309"],
 *    "per-file-ignores": {"scripts/x.py": ["RL301"], "tests/": ["RL4"]},
 *    "exclude": ["migrations/", "*_pb2.py"],
 *    "severity": {"RL303": "warning"},
 *    "cluster": false, "redis-py-version": "5.0.8", "redis-conf": "deploy/redis.conf",
 *    "target-redis-version": "6.0", "cache-dir": ".redislint_cache",
 *    "noqa": false,
 *    "options": {"default-ttl": 3600, "lock-ttl": 30, "socket-timeout": 5,
 *                "block-timeout": 5, "hash-max-listpack-entries": 512,
 *                "hash-max-listpack-value": 64, "set-max-intset-entries": 512,
 *                "blob-min-bytes": 1024, "per-field-min-group": 3,
 *                "test-paths": ["qa/", "*_spec.py"], "cache-keys": ["page:*", "render:*"],
 *                "example-paths": ["samples/"], "script-paths": ["ops/"]}}
 *
 * Unknown keys and bad values are errors naming the file, the key and the
 * nearest valid key. Command-line flags override the file. */
#ifndef RL_CONFIG_H
#define RL_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "finding.h"
#include "options.h"

#define CONFIG_MAX_LIST 128

typedef struct PerFileIgnore {
  char *glob;
  char *rules; /* comma list, as for --ignore */
} PerFileIgnore;

typedef struct SeverityOverride {
  char *rule; /* code or slug */
  Severity sev;
} SeverityOverride;

typedef struct Config {
  char *path;                 /* the file read, NULL when none */
  char *select, *ignore, *extend_select; /* comma lists, NULL when absent */
  char *exclude[CONFIG_MAX_LIST];
  size_t nexclude;
  PerFileIgnore pfi[CONFIG_MAX_LIST];
  size_t npfi;
  SeverityOverride sev[CONFIG_MAX_LIST];
  size_t nsev;
  char *test_paths[CONFIG_MAX_LIST]; /* options.test-paths */
  size_t ntest_paths;
  char *cache_keys[CONFIG_MAX_LIST];  /* options.cache-keys */
  size_t ncache_keys;
  char *example_paths[CONFIG_MAX_LIST]; /* options.example-paths */
  size_t nexample_paths;
  char *script_paths[CONFIG_MAX_LIST];  /* options.script-paths */
  size_t nscript_paths;
  char *redis_py_version, *redis_conf;
  char *cache_dir;            /* "cache-dir", resolved against the file's dir; NULL absent */
  int target_redis;           /* "target-redis-version": major*100+minor, 0 absent */ /* redis_conf resolved against the file's dir */
  int cluster;                /* -1 absent, 0, 1 */
  int noqa;                   /* -1 absent, 0, 1: honour a bare `# noqa` */
  /* options.*: -1 when absent */
  long default_ttl, lock_ttl, socket_timeout, block_timeout, hash_max_listpack_entries,
      hash_max_listpack_value, set_max_intset_entries, blob_min_bytes, per_field_min_group;
} Config;

/* The config file that applies: `explicit` when given, else the nearest
 * redislint.json/.redislint.json from `start` (a path to lint) upward.
 * Returns 0 (cfg->path NULL when there is none), or -1 with diagnostics. */
int config_load(Config *cfg, const char *explicit_path, const char *start, Diags *d);
/* An empty configuration (every key absent). */
void config_init(Config *cfg);
void config_free(Config *cfg);
/* "7.2" / "6.2.14" / "7" -> 702 / 602 / 700; -1 when not a version. */
int config_redis_version(const char *s);
/* Writes the effective configuration (options after the file and flags) as
 * JSON to `out`. */
struct OutputOptions;
void config_print(FILE *out, const Config *cfg, const Options *opt);
#endif
