/* rule_ctx.h - what a rule's check function receives, and how it reports.
 *
 * Everything a rule receives is borrowed; what it creates lives in ctx->arena. */
#ifndef RL_RULE_CTX_H
#define RL_RULE_CTX_H
#include "arena.h"
#include "model.h"
#include "options.h"
#include "rule.h"

typedef struct RuleCtx {
  const Rule *rule;
  const Model *model;
  const Source *src;
  const Options *opt;
  Arena *arena;
  Vec *findings; /* Finding */
  const PyVer *pyver; /* the redis-py the file's project pins (pyver.h) */
  /* Per function of the file, whether it takes a lock or uses WATCH/MULTI
   * (0 not asked yet, 1 no, 2 yes): rule_util's func_atomic_guarded, asked
   * per call, answers each function once. Zeroed with the context. */
  signed char *guarded;
} RuleCtx;

/* A finding on a node's span; message printf-style. Returns it for fixes. */
Finding *rule_report(RuleCtx *ctx, TSNode node, Severity sev, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
Finding *rule_report_span(RuleCtx *ctx, uint32_t start, uint32_t end, Severity sev,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void finding_fix(RuleCtx *ctx, Finding *f, Applicability a, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void finding_edit(RuleCtx *ctx, Finding *f, uint32_t start, uint32_t end, const char *text);
void finding_related(RuleCtx *ctx, Finding *f, const char *path, uint32_t start, uint32_t end,
                     const char *msg);

/* Source text of a node, arena-owned. */
const char *ctx_text(RuleCtx *ctx, TSNode n);
/* Is the call's method one of a NULL-terminated list? */
bool call_method_in(const CallSite *cs, const char *const *methods);
/* Indentation (leading whitespace) of the line holding byte `at`. */
const char *ctx_indent(RuleCtx *ctx, uint32_t at);
/* Byte offset where an `import X` line can be inserted (after the module's
 * docstring, __future__ imports and leading comments). */
uint32_t ctx_import_insert_at(RuleCtx *ctx);
#endif
