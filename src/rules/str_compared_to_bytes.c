/* RL311 str-compared-to-bytes: replies of a client without
 * decode_responses=True are bytes; comparing them with a str is always False. */
#include <string.h>

#include "rule_util.h"

static const char *const VALUE_READS[] = {"get", "hget", "lindex", "lpop", "rpop", "getdel",
                                          "getset", "srandmember", "spop", "getex", "getrange",
                                          "hrandfield", "type", NULL};
static const char *const COLLECTION_READS[] = {"smembers", "lrange", "hkeys", "hvals", "hgetall",
                                               "keys", "zrange", "zrevrange", "sinter", "sunion",
                                               "sdiff", "mget", "hmget", "sscan_iter",
                                               "scan_iter", NULL};

/* A str literal (no b prefix), with its text for the message. */
static bool is_str_literal(RuleCtx *ctx, TSNode n) {
  if (!node_is(n, SYM.string) && !node_is(n, SYM.concatenated_string)) return false;
  TSNode first = node_is(n, SYM.string) ? n : ts_node_named_child(n, 0);
  return !(string_prefix(ctx->src, first) & STR_BYTES);
}

/* The two operands of a comparison (comments between them skipped); false
 * for a chain (`a == b == c`). */
static bool operands(TSNode cmp, TSNode *a, TSNode *b) {
  TSNode op[2];
  uint32_t n = 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(cmp); i++) {
    TSNode c = ts_node_named_child(cmp, i);
    if (node_is(c, SYM.comment)) continue;
    if (n == 2) return false;
    op[n++] = c;
  }
  if (n != 2) return false;
  *a = op[0];
  *b = op[1];
  return true;
}

/* The comparison's operator between its two operands ("==", "in", "notin"). */
static const char *operator_of(RuleCtx *ctx, TSNode cmp) {
  TSNode a, b;
  if (!operands(cmp, &a, &b)) return NULL;
  const char *op = "";
  for (uint32_t i = 0; i < ts_node_child_count(cmp); i++) {
    TSNode c = ts_node_child(cmp, i);
    if (!ts_node_is_named(c) && nstart(c) >= nend(a) && nend(c) <= nstart(b))
      op = arena_printf(ctx->arena, "%s%s", op, ctx_text(ctx, c));
  }
  return text_squeeze(arena_strdup(ctx->arena, op)); /* `not in` -> "notin" */
}

static void report(RuleCtx *ctx, const CallSite *cs, TSNode cmp, TSNode lit, bool eq) {
  Finding *f = rule_report(
      ctx, cmp, SEV_ERROR,
      "`%s` returns bytes (its client, line %u, does not set decode_responses=True), so "
      "comparing it with the str %s is always %s",
      cs->method, line_of(ctx->src, cs->recv.ctor_start), ctx_text(ctx, lit), eq ? "False" : "True");
  finding_related(ctx, f, NULL, cs->recv.ctor_start, cs->recv.ctor_end, "client built here");
  const char *t = ctx_text(ctx, lit);
  bool ascii = true, plain = node_is(lit, SYM.string) && !(string_prefix(ctx->src, lit) & STR_F);
  for (const char *c = t; *c; c++) ascii &= (unsigned char)*c < 0x80;
  /* \u, \U and \N{} are not escapes in bytes literals: b"caf\u00e9" differs */
  ascii &= !strstr(t, "\\u") && !strstr(t, "\\U") && !strstr(t, "\\N");
  bool edits = ascii && plain && (t[0] == '"' || t[0] == '\'' || t[0] == 'r' || t[0] == 'R');
  finding_fix(ctx, f, edits ? FIX_UNSAFE : FIX_DISPLAY,
              "Compare with bytes (`b%s`) or decode the reply first", edits ? t : "\"...\"");
  if (edits) finding_edit(ctx, f, nstart(lit), nstart(lit), "b");
}

/* `use` (the call, or the name it was stored in) in a comparison with a str. */
static void check_comparison(RuleCtx *ctx, const CallSite *cs, TSNode use, TSNode cmp, bool value) {
  const char *op = operator_of(ctx, cmp);
  if (!op) return;
  TSNode a, b;
  operands(cmp, &a, &b);
  bool eq = !strcmp(op, "=="), ne = !strcmp(op, "!=");
  bool in = !strcmp(op, "in"), notin = !strcmp(op, "notin");
  if (value && (eq || ne)) {
    TSNode other = ts_node_eq(a, use) ? b : ts_node_eq(b, use) ? a : (TSNode){0};
    if (is_str_literal(ctx, other)) report(ctx, cs, cmp, other, eq);
  } else if (!value && (in || notin) && ts_node_eq(b, use) && is_str_literal(ctx, a)) {
    report(ctx, cs, cmp, a, in);
  }
}

/* A read of a bytes reply this rule checks: `value` says a single value
 * (compared with ==/!=) rather than a collection (compared with in). */
static bool checked_read(const CallSite *cs, bool *value) {
  if (cs->recv.decode != TRI_FALSE || !cs->recv.ctor_end || cs->recv.kind != OBJ_CLIENT)
    return false; /* a pipeline's command returns the pipeline, not a reply (RL308's business) */
  *value = call_method_in(cs, VALUE_READS);
  return *value || call_method_in(cs, COLLECTION_READS);
}

/* The call site whose node is `call`, or NULL: call sites are in tree order,
 * so it is among those starting at its first byte (a chain shares it). */
static const CallSite *call_site_of(const Model *m, TSNode call) {
  for (size_t i = first_call_from(m, nstart(call)); i < model_ncalls(m); i++) {
    const CallSite *cs = model_call(m, i);
    if (nstart(cs->node) != nstart(call)) break;
    if (ts_node_eq(cs->node, call)) return cs;
  }
  return NULL;
}

/* node_walk visitor: a comparison one of whose operands is a name bound to
 * a checked read (`v = r.get(k)` ... `if v == "x":`). Each comparison
 * resolves its names once, so a function with many reads and many
 * comparisons costs their sum, not their product. */
static bool visit_comparison(TSNode n, void *data) {
  RuleCtx *ctx = data;
  if (nsym(n) != SYM.comparison_operator) return true;
  for (uint32_t i = 0; i < 2; i++) {
    TSNode op = ts_node_named_child(n, i);
    if (!node_is(op, SYM.identifier)) continue;
    int scope = model_scope_at(ctx->model, nstart(op)), sc = scope;
    TSNode v = model_resolve_name(ctx->model, op, scope, &sc);
    if (node_is(v, SYM.await)) v = ts_node_named_child(v, 0);
    if (!node_is(v, SYM.call) || nstart(n) <= nend(v)) continue;
    const CallSite *cs = call_site_of(ctx->model, v);
    bool value;
    if (cs && checked_read(cs, &value)) check_comparison(ctx, cs, op, n, value);
  }
  return true;
}

static void check(RuleCtx *ctx) {
  bool named = false; /* some checked read is stored in a name */
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    bool value;
    if (!checked_read(cs, &value)) continue;
    TSNode use = cs->node, parent = ts_node_parent(use);
    if (node_is(parent, SYM.await)) {
      use = parent;
      parent = ts_node_parent(use);
    }
    if (node_is(parent, SYM.comparison_operator)) check_comparison(ctx, cs, use, parent, value);
    else if (node_is(parent, SYM.assignment) &&
             node_is(ts_node_child_by_field_id(parent, SYM.f_left), SYM.identifier))
      named = true;
  }
  if (named) node_walk(model_root(ctx->model), visit_comparison, ctx);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/str-compared-to-bytes.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_str_compared_to_bytes = {
    .check_file = check,
};
