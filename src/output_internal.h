/* output_internal.h - helpers shared by the renderers (output_*.c only). */
#ifndef RL_OUTPUT_INTERNAL_H
#define RL_OUTPUT_INTERNAL_H
#include <stdbool.h>
#include <stdio.h>

#include "lint.h"
#include "rule.h"

struct cJSON;

/* Totals of a run, as every format's summary reports them. */
typedef struct OutputSummary {
  size_t files;    /* files that were read and linted */
  size_t findings; /* all findings */
  size_t errors, warnings, infos; /* findings by (finding) severity */
  size_t suppressed; /* findings silenced by suppression comments */
} OutputSummary;

void output_summary(const LintRun *run, OutputSummary *sum);

/* Rule code and slug of a finding ("?" if it has no rule). Borrowed. */
const char *output_code(const Finding *f);
const char *output_slug(const Finding *f);

/* The source a related location points into: the finding's own file when
 * r->path is NULL or names it, else the loaded file of the run with that
 * path. NULL when that file is not part of the run. Borrowed. */
const Source *output_related_source(const LintRun *run, const FileResult *fr,
                                    const Related *r);
/* Display path of a related location. Borrowed. */
const char *output_related_path(const FileResult *fr, const Related *r);

/* Stable fingerprints of fr's findings (rule, path, normalized flagged text,
 * occurrence index; not the line), 16 hex digits each: SARIF
 * partialFingerprints and GitLab Code Quality. */
void output_fingerprints(const FileResult *fr, char (*fps)[17]);

/* Whether a fix has a title worth showing. */
bool output_has_fix(const Fix *fix);

/* Prints root as indented JSON (2 spaces) plus a newline. Does not take
 * ownership of root. Returns 0, or -1 on a write or allocation error. */
int output_print_json(FILE *out, const struct cJSON *root);

/* Returns 0 if no write error happened on out so far, else -1. */
int output_finish(FILE *out);
#endif
