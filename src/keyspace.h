/* keyspace.h - `redislint keys`: the keyspace the code uses, one row per key
 * template, from the key uses every linted file leaves (FileResult.keys). */
#ifndef RL_KEYSPACE_H
#define RL_KEYSPACE_H
#include <stdio.h>

#include "lint.h"

/* Writes the table (json=false) or the JSON document; 0, or -1 on a write error. */
int keyspace_write(FILE *out, const LintRun *run, int json);
#endif
