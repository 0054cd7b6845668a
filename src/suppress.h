/* suppress.h - suppression comments.
 *
 *   r.set(k, v)  # noqa: RL201              (codes; other tools' codes ignored)
 *   r.set(k, v)  # redislint: ignore[cache-without-ttl] -- filled by a cron job
 *   # redislint: ignore[RL201] -- reason    (alone on a line: the next line)
 *   # redislint: ignore-file[RL402]         (anywhere: the whole file)
 *
 * Codes or slugs, comma-separated. A suppression on the first line of a
 * statement covers the whole statement (multi-line calls). A bare `# noqa`
 * is another tool's business and is not honoured. Suppressions that
 * suppress nothing, name unknown rules or are malformed are reported as
 * RL001 unused-suppression. */
#ifndef RL_SUPPRESS_H
#define RL_SUPPRESS_H
#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "arena.h"
#include "source.h"

#define SUPP_MAX_CODES 16

typedef struct Suppression {
  uint32_t start, end;   /* the comment */
  unsigned first, last;  /* lines covered (1-based), unless file-wide */
  bool file_wide;
  bool all_rules;        /* a bare `# noqa` (only when configured) */
  const char *problem;   /* malformed: why (reported as RL001); NULL if fine */
  const char *codes[SUPP_MAX_CODES]; /* as written */
  size_t ncodes;
  bool used[SUPP_MAX_CODES];
} Suppression;

/* Does the text contain anything that may be a suppression (cheap gate)? */
bool suppress_maybe(const Source *src);
/* The suppression comments of a parsed file, in the file's arena. */
size_t suppress_scan(Arena *a, const Source *src, TSTree *tree, bool bare_noqa, Suppression **out);

struct FileResult;
struct Rule;
/* Moves the suppressed findings of fr to fr->suppressed and, when `report`
 * (RL001 enabled), adds RL001 findings for unknown or malformed
 * suppressions and for unused ones of enabled rules (`enabled` by registry
 * index). Keeps fr->findings sorted. */
void suppress_apply(struct FileResult *fr, bool report, const bool *enabled);
#endif
