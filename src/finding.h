/* finding.h - what a rule reports, and the fix that comes with it. */
#ifndef RL_FINDING_H
#define RL_FINDING_H
#include <stddef.h>
#include <stdint.h>

typedef enum { SEV_INFO = 0, SEV_WARNING = 1, SEV_ERROR = 2 } Severity;

/* Ordered from least to most automatic. */
typedef enum {
  FIX_NONE = 0,    /* no fix at all (never used by wave-1 rules: every finding has a title) */
  FIX_DISPLAY = 1, /* shown, never applied */
  FIX_UNSAFE = 2,  /* applied with --unsafe-fixes */
  FIX_SAFE = 3     /* applied with --fix */
} Applicability;

typedef struct Edit {
  uint32_t start, end; /* byte range in Source.text being replaced */
  const char *text;    /* replacement */
} Edit;

typedef struct Fix {
  const char *title; /* what to do, with the rewritten call when known */
  Applicability applicability;
  Edit *edits;       /* empty for FIX_DISPLAY */
  size_t nedits;
  size_t cap_edits;  /* room in edits (finding_edit grows it by doubling) */
} Fix;

typedef struct Related {
  const char *path; /* NULL: the finding's own file; else a path of the run */
  uint32_t start, end;
  const char *message;
} Related;

struct Rule;

typedef struct Finding {
  const struct Rule *rule;
  Severity severity;   /* may be lower than the rule default ("likely" cases) */
  uint32_t start, end; /* byte span in Source.text */
  const char *message;
  Fix fix;
  Related *related;
  size_t nrelated;
  size_t cap_related; /* room in related (finding_related grows it by doubling) */
  /* Project-dependent findings: the key template (holes as \x01) whose uses
   * elsewhere in the project decide whether the finding stands; the rule's
   * check_project filters them (project_filter). NULL for ordinary findings. */
  const char *key;
} Finding;

const char *severity_name(Severity s);     /* "info" | "warning" | "error" */
const char *applicability_name(Applicability a); /* "none"|"display"|"unsafe"|"safe" */
/* The order of a file's findings (qsort): start byte, rule code, end, message. */
int finding_cmp(const void *a, const void *b);
#endif
