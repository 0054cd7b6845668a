/* baseline.h - adopting redislint on an existing code base.
 *
 * `--write-baseline FILE` records the current findings; `--baseline FILE`
 * then reports only findings that are not in it. A finding is keyed by its
 * fingerprint (rule, path, the flagged code with whitespace normalized, and
 * its occurrence index among identical ones: not the line number), so
 * unrelated edits above it do not resurrect it. The file is JSON:
 *
 *   {"version": 1, "tool": "redislint",
 *    "findings": [{"rule": "RL301", "path": "app/jobs.py",
 *                  "fingerprint": "9f0c...", "message": "..."}]}
 */
#ifndef RL_BASELINE_H
#define RL_BASELINE_H
#include <stddef.h>

#include "lint.h"

/* Writes the run's findings; 0, or -1 with a message on stderr. */
int baseline_write(const char *path, const LintRun *run);

typedef struct BaselineStats {
  size_t matched; /* findings dropped because the baseline has them */
  size_t fixed;   /* baseline entries with no finding any more */
} BaselineStats;

/* Drops the findings the baseline lists. 0, or -1 with a message on stderr
 * naming the file and the problem (unreadable, not JSON, wrong shape). */
int baseline_apply(const char *path, LintRun *run, BaselineStats *st);
#endif
