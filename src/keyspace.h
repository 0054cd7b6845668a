/* keyspace.h - `redislint keys`: the keyspace the code uses, one row per key
 * template, from the key uses every linted file leaves (FileResult.keys). */
#ifndef RL_KEYSPACE_H
#define RL_KEYSPACE_H
#include <stdio.h>

#include "lint.h"

/* Writes the table (json=false) or the JSON document; 0, or -1 on a write error. */
int keyspace_write(FILE *out, const LintRun *run, int json);

/* One key use and the file it is in. */
typedef struct KeyRef {
  const KeyUse *use;
  const FileResult *file;
} KeyRef;

/* Every key use of the run, sorted by template (strcmp), then path, then
 * position: the uses of one template are consecutive. malloc'ed (free);
 * *n_out is their number. Shared by `keys` and `audit` (audit_report.c). */
KeyRef *keyspace_refs(const LintRun *run, size_t *n_out);
/* Display form of a template, holes as `{}`; malloc'ed (free). */
char *keyspace_display(const char *tpl);
#endif
