/* RL312 list-as-set: a membership test against a whole LRANGE reply. */
#include <string.h>

#include "rule_util.h"

static void report(RuleCtx *ctx, const CallSite *cs, TSNode at) {
  Finding *f = rule_report(ctx, at, SEV_WARNING,
                           "membership test against the whole list `%s`: LRANGE transfers every "
                           "element (O(N) on the server and the wire) to answer yes or no",
                           call_key_display(ctx, cs));
  finding_fix(ctx, f, FIX_DISPLAY,
              "Keep the members in a set and ask `%s.sismember(key, x)` (O(1)), or use "
              "`%s.lpos(key, x)` when the order matters (Redis >= 6.0.6)",
              cs->recv_text, cs->recv_text);
}

/* `x in C` / `x not in C` where C is `use`: the comparison node, else null. */
static TSNode membership_of(RuleCtx *ctx, TSNode use) {
  TSNode p = ts_node_parent(use), none = {0};
  if (!node_is(p, SYM.comparison_operator) || ts_node_named_child_count(p) != 2 ||
      !ts_node_eq(ts_node_named_child(p, 1), use))
    return none;
  TSNode a = ts_node_named_child(p, 0);
  const char *op = ctx->src->text + nend(a);
  size_t n = nstart(use) - nend(a);
  for (size_t i = 0; i + 2 <= n; i++)
    if (op[i] == 'i' && op[i + 1] == 'n') return p;
  return none;
}

/* r.lrange(...).index(x): a search for one element (counting occurrences,
 * .count(x), needs the whole list and is not reported). */
static TSNode search_call(RuleCtx *ctx, TSNode use) {
  TSNode p = ts_node_parent(use), none = {0};
  if (!node_is(p, SYM.attribute) || !node_is(ts_node_parent(p), SYM.call)) return none;
  TSNode attr = ts_node_child_by_field_id(p, SYM.f_attribute);
  if (!node_text_eq(ctx->src, attr, "index")) return none;
  return ts_node_parent(p);
}

#define MAX_TESTS 16

typedef struct NameUses {
  RuleCtx *ctx;
  const CallSite *cs;
  TSNode name;
  TSNode tests[MAX_TESTS]; /* membership tests of the name */
  size_t ntests;
  bool other_use;          /* the list is also used for something else */
} NameUses;

static bool visit(TSNode n, void *data) {
  NameUses *q = data;
  if (nsym(n) != SYM.identifier || nstart(n) <= nend(q->cs->node) ||
      !node_same_text(q->ctx->src, n, q->name))
    return true;
  int scope = model_scope_at(q->ctx->model, nstart(n)), sc = scope;
  TSNode v = model_resolve_name(q->ctx->model, n, scope, &sc);
  if (node_is(v, SYM.await)) v = ts_node_named_child(v, 0);
  if (!ts_node_eq(v, q->cs->node)) return true;
  TSNode at = membership_of(q->ctx, n);
  if (ts_node_is_null(at)) at = search_call(q->ctx, n);
  if (ts_node_is_null(at) || q->ntests == MAX_TESTS) q->other_use = true;
  else q->tests[q->ntests++] = at;
  return true;
}

static void check(RuleCtx *ctx) {
  if (in_test_code(ctx->src, ctx->opt)) return; /* tests read whole lists to assert on them */
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (strcmp(cs->method, "lrange") || cs->recv.kind != OBJ_CLIENT) continue;
    TSNode use = cs->node;
    if (node_is(ts_node_parent(use), SYM.await)) use = ts_node_parent(use);
    TSNode at = membership_of(ctx, use);
    if (ts_node_is_null(at)) at = search_call(ctx, use);
    if (!ts_node_is_null(at)) {
      report(ctx, cs, at);
      continue;
    }
    TSNode parent = ts_node_parent(use);
    TSNode left = ts_node_child_by_field_id(parent, SYM.f_left);
    if (!node_is(parent, SYM.assignment) || !node_is(left, SYM.identifier)) continue;
    const Function *fn = model_function(ctx->model, cs->func);
    NameUses q = {.ctx = ctx, .cs = cs, .name = left};
    node_walk(fn ? fn->node : model_root(ctx->model), visit, &q);
    if (q.other_use) continue; /* the whole list is needed anyway */
    for (size_t k = 0; k < q.ntests; k++) report(ctx, cs, q.tests[k]);
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/list-as-set.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_list_as_set = {
    .check_file = check,
};
