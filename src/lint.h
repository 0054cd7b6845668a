/* lint.h - a whole lint run: files in, findings per file out. */
#ifndef RL_LINT_H
#define RL_LINT_H
#include <stdbool.h>
#include "arena.h"
#include "diag.h"
#include "discover.h"
#include "finding.h"
#include "options.h"
#include "source.h"

/* One use of a key template by a Redis command (the project key index). */
typedef struct KeyUse {
  const char *key;     /* template, holes as KEY_HOLE (model.h) */
  const char *method;  /* redis-py method */
  const char *command; /* Redis command name */
  uint32_t cmd_flags;  /* CMD_* of the command */
  const char *func;    /* enclosing function, NULL at module level */
  const char *ttl;     /* TTL argument as written, "" when none */
  const char *recv;    /* receiver text */
  uint32_t start, end; /* the call */
} KeyUse;

typedef struct FileResult {
  Source src;         /* valid when loaded */
  bool loaded;        /* false: file could not be read (see run diags) */
  bool parse_errors;  /* tree had ERROR/MISSING nodes; still linted */
  Finding *findings;  /* sorted by start byte, then rule code; in arena */
  size_t nfindings;
  Arena *arena;       /* owns findings and their strings */
  const char **calls; /* with Options.list_calls: one line per Redis call site */
  size_t ncalls;
  const char **unresolved; /* with Options.list_unresolved: one line per receiver */
  size_t nunresolved;
  KeyUse *keys;       /* key uses in file order (arena) */
  size_t nkeys;
  PyVer pyver;        /* the redis-py version its project pins (or --redis-py-version) */
  bool cluster_client; /* the file constructs a Redis Cluster client */
  uint8_t opaque_consumer; /* CONSUMES_* bits: the file pops or trims a sorted set / list
                              whose key it holds in a parameter or an attribute (a queue
                              class given its key): it may consume any key of the project */
  bool cluster_mode;   /* --cluster, or a file of its (sub-)project constructs one */
  struct Suppression *supp; /* suppression comments (arena) */
  size_t nsupp;
  Finding *suppressed; /* findings a suppression comment silenced (arena) */
  size_t nsuppressed;
} FileResult;

enum { CONSUMES_ZSET = 1, CONSUMES_LIST = 2 };

typedef struct LintRun {
  FileResult *files; /* same order as the FileList: sorted paths */
  size_t nfiles;
  size_t nfindings;  /* total */
  Diags diags;       /* run-level diagnostics, sorted by path */
  bool cluster;      /* --cluster, or some file constructs a cluster client (per file:
                        FileResult.cluster_mode) */
  struct PyVerCache *pyver_cache; /* owns the FileResult.pyver sources */
} LintRun;

/* Lints the files; stdin_buf (may be NULL) is the content for a path "-",
 * reported under stdin_name. Returns 0, or -1 on an internal error (diags say). */
int lint_run(LintRun *self, const FileList *files, const Options *opt,
             char *stdin_buf, size_t stdin_len, const char *stdin_name);
void lint_run_free(LintRun *self);

/* Lints one in-memory buffer (tests, docs checks). buf is copied. */
int lint_buffer(LintRun *self, const char *buf, size_t len, const char *path,
                const Options *opt);
#endif
