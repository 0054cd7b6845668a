/* output.h - renderers for a finished run. */
#ifndef RL_OUTPUT_H
#define RL_OUTPUT_H
#include <stdbool.h>
#include <stdio.h>
#include "lint.h"

/* In the order of the --format names (cli.c parse_format). */
typedef enum {
  FORMAT_TEXT,
  FORMAT_JSON,
  FORMAT_SARIF,
  FORMAT_GITHUB,
  FORMAT_GITLAB,
  FORMAT_RDJSON, /* reviewdog's Diagnostic Format (rdjson) */
  FORMAT_JUNIT   /* JUnit XML */
} OutputFormat;

typedef struct OutputOptions {
  OutputFormat format;
  bool color;      /* text only */
  bool quiet;      /* text: findings only, no code frames, no summary */
  bool statistics; /* text: per-rule counts instead of findings */
  bool include_suppressed; /* sarif: suppressed findings too, marked inSource */
  bool unsafe_fixes; /* --unsafe-fixes: text counts unsafe fixes as fixable ([*]) */
} OutputOptions;

/* Each writes the whole run. Output is deterministic: files in run order,
 * findings in file order. Return 0, or -1 on a write error. */
int output_text(FILE *out, const LintRun *run, const OutputOptions *oo);
int output_json(FILE *out, const LintRun *run, const OutputOptions *oo);
int output_sarif(FILE *out, const LintRun *run, const OutputOptions *oo);
int output_github(FILE *out, const LintRun *run, const OutputOptions *oo);
int output_gitlab(FILE *out, const LintRun *run, const OutputOptions *oo);
int output_rdjson(FILE *out, const LintRun *run, const OutputOptions *oo);
int output_junit(FILE *out, const LintRun *run, const OutputOptions *oo);
int output_write(FILE *out, const LintRun *run, const OutputOptions *oo);

/* Documentation URL of a rule (README anchor in the repository). */
const char *output_rule_url(const char *slug, char *buf, size_t bufsize);
#endif
