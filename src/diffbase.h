/* diffbase.h - --diff-base REV: only the findings a change introduced.
 *
 * The lines added or changed since the merge-base of REV and HEAD, in the
 * working tree (commits, staged and unstaged edits, and untracked files), are
 * read with libgit2 (renames followed, no context lines). A finding is kept
 * when its span, or one of its related locations in the same file, touches
 * such a line; findings in files the change does not touch are dropped. */
#ifndef RL_DIFFBASE_H
#define RL_DIFFBASE_H
#include <stddef.h>

#include "lint.h"

typedef struct ChangedLines ChangedLines;

/* The repository is the one holding the working directory. NULL on error,
 * with a one-line reason in err ("unknown revision 'x'", "not a git
 * repository", ...). */
ChangedLines *diffbase_load(const char *rev, char *err, size_t errsize);

/* Drops the findings (and suppressed findings) that touch no changed line.
 * The file named `stdin_name` (may be NULL) was read from stdin: its lines
 * are diffed against the merge-base's version of that path. Returns how
 * many findings were dropped. */
size_t diffbase_filter(ChangedLines *cl, LintRun *run, const char *stdin_name);

/* The merge-base commit, abbreviated (for messages). */
const char *diffbase_commit(const ChangedLines *cl);

void diffbase_free(ChangedLines *cl);
#endif
