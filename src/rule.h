/* rule.h - the rule registry and what a rule gets to work with. */
#ifndef RL_RULE_H
#define RL_RULE_H
#include <stdbool.h>
#include "finding.h"

struct RuleCtx;
struct CallSite;
struct ProjectCtx;

/* What happens to a rule's finding in non-production code. */
typedef enum { ROLE_SAME = 0, ROLE_INFO = 1, ROLE_SILENT = 2 } RolePolicy;

/* What a rule's C file provides: its checks. Everything else about the rule
 * is in the front matter of rules/<slug>.md, from which the registry
 * (RL_RULES) is generated at build time (scripts/embed_docs.cmake). A rule's
 * file defines `const RuleImpl RL_IMPL_<slug with _ for ->`. */
typedef struct RuleImpl {
  /* Runs once per file on its model. May be NULL. */
  void (*check_file)(struct RuleCtx *ctx);
  /* Runs once after all files, on project-wide facts. May be NULL. */
  void (*check_project)(struct ProjectCtx *ctx);
  /* Runs for each call site of the file: the engine walks the call sites
   * once and hands each to every rule that asks (skipping clients inferred
   * from use for `evidence: proven` rules). May be NULL. */
  void (*on_call)(struct RuleCtx *ctx, const struct CallSite *cs);
  /* Runs once per Redis Lua script file (a `.lua` file that calls
   * redis.call or redis.pcall): ctx->model is NULL, ctx->src is the script.
   * May be NULL. */
  void (*check_script)(struct RuleCtx *ctx);
} RuleImpl;

typedef struct Rule {
  const char *code;     /* "RL101": stable, never reused */
  const char *slug;     /* "per-field-keys": names the pattern */
  const char *title;    /* one line, for tables and SARIF shortDescription */
  const char *category; /* "memory", "commands", ... */
  Severity severity;    /* default severity */
  Applicability fix;    /* best applicability the rule offers */
  bool default_enabled; /* front matter `default: off` makes it opt-in */
  /* Sees only call sites whose receiver is proven (a construction, factory or
   * annotation on the chain), not clients inferred from use: for rules that
   * judge the connection's options or its sync/async kind (`evidence: proven`). */
  bool proven_only;
  /* Every finding carries the fix (`fix-coverage: always`); otherwise the fix
   * depends on the code's shape and the rules table says "sometimes". */
  bool fix_always;
  /* Findings in example code and in one-off scripts (code_role in
   * rules/rule_util.h): front matter `examples:` and `scripts:`. */
  RolePolicy on_examples, on_scripts;
  /* Findings in test code: front matter `tests:` (same = the rule decides). */
  RolePolicy on_tests;
  const RuleImpl *impl;
} Rule;

size_t rules_count(void);
const Rule *rules_at(size_t i);
/* By code or slug, case-insensitive for the code. NULL if unknown. */
const Rule *rules_find(const char *code_or_slug);
/* Index of a rule in the registry (SARIF ruleIndex). */
size_t rules_index(const Rule *rule);

/* Project-wide rules see every file's results (read-only except through
 * project_report). */
struct LintRun;
typedef struct ProjectCtx {
  const Rule *rule;
  const struct Options *opt;
  struct LintRun *run;
} ProjectCtx;
Finding *project_report(ProjectCtx *ctx, size_t file, uint32_t start, uint32_t end,
                        Severity sev, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void project_related(ProjectCtx *ctx, size_t file, Finding *f, size_t other_file, uint32_t start,
                     uint32_t end, const char *msg);
void project_fix(ProjectCtx *ctx, size_t file, Finding *f, Applicability a, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Keeps the findings of ctx->rule for which keep() says true, in every file. */
void project_filter(ProjectCtx *ctx, bool (*keep)(ProjectCtx *ctx, size_t file, const Finding *f,
                                                  void *data),
                    void *data);

/* Embedded documentation (rules/<slug>.md). NULL if the rule has none. */
const char *rule_doc(const Rule *rule);
#endif
