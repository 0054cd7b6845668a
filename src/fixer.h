/* fixer.h - applying fixes: --fix, --unsafe-fixes, --diff.
 *
 * Passes (bounded): in each file, the applicable fixes that do not overlap
 * an already chosen one are applied together (the others wait for the next
 * pass); the result must still parse where the original did, else each fix
 * is tried alone and the ones that break the file are dropped and reported
 * as bugs in their rule. The whole project is linted again on the new
 * contents (project-wide rules see every change); a fix whose own finding is
 * still there is reverted and reported the same way. Inserted line breaks
 * follow the file's convention (CRLF files stay CRLF); a UTF-8 BOM is kept.
 * A file in another encoding (PEP 263) is fixed on its UTF-8 text and
 * written back in its encoding: a fix that would write a character the
 * encoding lacks is skipped with a warning, and a file whose text does not
 * convert back into its very bytes is not fixed at all. --diff shows such a
 * file in UTF-8 (for a terminal); stdout_fixed gets its own encoding.
 *
 * Writing (not with --diff): atomically (a temporary file in the same
 * directory, renamed over the original, with the original's mode), only
 * when something changed, and never over a file that changed on disk since
 * it was read. */
#ifndef RL_FIXER_H
#define RL_FIXER_H
#include <stdbool.h>
#include <stdio.h>

#include "discover.h"
#include "lint.h"

typedef struct FixerOptions {
  Applicability min; /* FIX_SAFE (--fix) or FIX_UNSAFE (--unsafe-fixes) */
  bool write;        /* write the files (--fix); false: only compute (--diff) */
  FILE *diff;        /* print a unified diff here (--diff), or NULL */
  FILE *stdout_fixed; /* stdin input: the fixed source goes here, or NULL */
  FILE *show;         /* --show-fixes: one line per applied fix, or NULL */
  /* What the user silenced outside the code (per-file-ignores, severity
   * overrides, the baseline): applied to every run the fixer lints, so a
   * silenced finding is never fixed. NULL: none. */
  void (*filter)(LintRun *run, void *data);
  void *filter_data;
} FixerOptions;

typedef struct FixerStats {
  size_t applied;       /* fixes applied (or that would be, with --diff) */
  size_t files_changed;
  size_t bugs;          /* fixes dropped: broken syntax or finding not gone */
  size_t write_errors;  /* files that could not be written (reported) */
  size_t unwritten;     /* fixes of those files (not counted in applied) */
} FixerStats;

/* Runs the passes from the findings of `run` (linted from `files` with
 * `opt`). On return *run holds the findings of the final contents (the
 * remaining ones) and its diags gain one line per bug or write problem.
 * stdin_buf/len/name as for lint_run. */
void fixer_run(LintRun *run, const FileList *files, const Options *opt, char *stdin_buf,
               size_t stdin_len, const char *stdin_name, const FixerOptions *fo,
               FixerStats *stats);
#endif
