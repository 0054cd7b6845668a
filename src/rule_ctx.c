/* rule_ctx.c - reporting helpers for rules. */
#include "rule_ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model_internal.h"

static char *vformat(Arena *a, const char *fmt, va_list ap) {
  va_list cp;
  va_copy(cp, ap);
  int n = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  char *s = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
  vsnprintf(s, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
  return s;
}

static Finding *report_v(RuleCtx *ctx, uint32_t s, uint32_t e, Severity sev, const char *fmt,
                         va_list ap) {
  Finding *f = vec_push(ctx->findings);
  f->rule = ctx->rule;
  f->severity = sev;
  f->start = s;
  f->end = e;
  f->message = vformat(ctx->arena, fmt, ap);
  f->fix.applicability = FIX_NONE;
  return f;
}

Finding *rule_report(RuleCtx *ctx, TSNode node, Severity sev, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Finding *f = report_v(ctx, nstart(node), nend(node), sev, fmt, ap);
  va_end(ap);
  return f;
}

Finding *rule_report_span(RuleCtx *ctx, uint32_t start, uint32_t end, Severity sev,
                          const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Finding *f = report_v(ctx, start, end, sev, fmt, ap);
  va_end(ap);
  return f;
}

void finding_fix(RuleCtx *ctx, Finding *f, Applicability a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  f->fix.title = vformat(ctx->arena, fmt, ap);
  va_end(ap);
  f->fix.applicability = a;
}

/* Room for one more item in an arena array of n items with room for *cap:
 * doubled when full (the arena keeps the old block, so growing by one
 * each time would cost n^2 bytes for n items: a fix of 4,000 edits took
 * half a gigabyte). */
static void *arena_grow(Arena *a, void *items, size_t n, size_t *cap, size_t size) {
  if (n < *cap) return items;
  size_t room = n < 4 ? 4 : 2 * n;
  void *more = arena_alloc(a, room * size);
  if (n) memcpy(more, items, n * size);
  *cap = room;
  return more;
}

void finding_edit(RuleCtx *ctx, Finding *f, uint32_t start, uint32_t end, const char *text) {
  Edit *e = arena_grow(ctx->arena, f->fix.edits, f->fix.nedits, &f->fix.cap_edits, sizeof(Edit));
  e[f->fix.nedits].start = start;
  e[f->fix.nedits].end = end;
  e[f->fix.nedits].text = arena_strdup(ctx->arena, text);
  f->fix.edits = e;
  f->fix.nedits++;
}

void finding_related(RuleCtx *ctx, Finding *f, const char *path, uint32_t start, uint32_t end,
                     const char *msg) {
  Related *r = arena_grow(ctx->arena, f->related, f->nrelated, &f->cap_related, sizeof(Related));
  r[f->nrelated].path = path ? arena_strdup(ctx->arena, path) : NULL;
  r[f->nrelated].start = start;
  r[f->nrelated].end = end;
  r[f->nrelated].message = arena_strdup(ctx->arena, msg);
  f->related = r;
  f->nrelated++;
}

const char *ctx_text(RuleCtx *ctx, TSNode n) { return node_text(ctx->arena, ctx->src, n); }

bool call_method_in(const CallSite *cs, const char *const *methods) {
  for (; *methods; methods++)
    if (strcmp(cs->method, *methods) == 0) return true;
  return false;
}

const char *ctx_indent(RuleCtx *ctx, uint32_t at) {
  uint32_t s = at;
  while (s > 0 && ctx->src->text[s - 1] != '\n' && ctx->src->text[s - 1] != '\r') s--;
  uint32_t e = s;
  while (e < ctx->src->len && (ctx->src->text[e] == ' ' || ctx->src->text[e] == '\t')) e++;
  return arena_strndup(ctx->arena, ctx->src->text + s, e - s);
}

static bool is_preamble(TSNode st, bool first) {
  uint16_t s = nsym(st);
  if (s == SYM.expression_statement && first && ts_node_named_child_count(st) == 1 &&
      nsym(ts_node_named_child(st, 0)) == SYM.string)
    return true; /* module docstring */
  return s == SYM.future_import_statement || s == SYM.import_statement ||
         s == SYM.import_from_statement || s == SYM.comment;
}

/* After the module's leading block of docstring, imports and comments, so a
 * new import lands at the end of the existing ones (never before
 * `from __future__`). */
uint32_t ctx_import_insert_at(RuleCtx *ctx) {
  TSNode root = ts_tree_root_node(ctx->model->tree);
  uint32_t at = 0, n = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < n; i++) {
    TSNode st = ts_node_named_child(root, i);
    if (!is_preamble(st, i == 0)) break;
    if (nsym(st) != SYM.comment) at = nend(st);
  }
  if (at == 0) return 0;
  while (at < ctx->src->len && ctx->src->text[at] != '\n') at++;
  return at < ctx->src->len ? at + 1 : at;
}
