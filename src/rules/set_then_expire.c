/* RL202 set-then-expire: SET immediately followed by EXPIRE on the same key:
 * two round trips, and a key that never expires if the second one is lost. */
#include <string.h>

#include "rule_util.h"

/* The call of an expression statement (through `await`), or a null node. */
static TSNode statement_call(TSNode stmt) {
  TSNode none = {0};
  if (!node_is(stmt, SYM.expression_statement) || ts_node_named_child_count(stmt) != 1) return none;
  TSNode e = ts_node_named_child(stmt, 0);
  if (node_is(e, SYM.await)) e = ts_node_named_child(e, 0);
  return node_is(e, SYM.call) ? e : none;
}

/* `recv.expire(key, n)` / `recv.pexpire(key, n)` on the same receiver and key. */
static bool is_matching_expire(RuleCtx *ctx, const CallSite *set, TSNode call, bool *px) {
  TSNode fn = ts_node_child_by_field_id(call, SYM.f_function);
  if (!node_is(fn, SYM.attribute)) return false;
  TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
  *px = node_text_eq(ctx->src, attr, "pexpire");
  if (!*px && !node_text_eq(ctx->src, attr, "expire")) return false;
  if (strcmp(node_text_squeezed(ctx->arena, ctx->src, ts_node_child_by_field_id(fn, SYM.f_object)), set->recv_text)) return false;
  TSNode args = ts_node_child_by_field_id(call, SYM.f_arguments);
  TSNode k1 = call_arg(set->args, 0), k2 = call_arg(args, 0);
  if (ts_node_is_null(k2)) k2 = call_kwarg(ctx->src, args, "name");
  return !ts_node_is_null(k1) && !ts_node_is_null(k2) &&
         !strcmp(node_text_squeezed(ctx->arena, ctx->src, k1), node_text_squeezed(ctx->arena, ctx->src, k2));
}

static void add_fix(RuleCtx *ctx, Finding *f, const CallSite *cs, TSNode exp_stmt, TSNode exp_call,
                    bool px) {
  TSNode args = ts_node_child_by_field_id(exp_call, SYM.f_arguments);
  TSNode ttl = call_arg(args, 1);
  const char *kw = px ? "px" : "ex";
  uint32_t s, e;
  /* Not safe: with nx=/xx= the old code also expired a key SET did not write;
   * on a pipeline the reply list of execute() would lose an entry. */
  bool conditional = !ts_node_is_null(call_kwarg(ctx->src, cs->args, "nx")) ||
                     !ts_node_is_null(call_kwarg(ctx->src, cs->args, "xx"));
  bool edits = !ts_node_is_null(ttl) && ts_node_named_child_count(args) == 2 &&
               !call_has_splat(cs->args) && !conditional && !value_is_pipeline(cs->recv) &&
               cs->recv.kind != OBJ_CLIENT_OR_PIPELINE &&
               statement_line_range(ctx->src, exp_stmt, &s, &e);
  const char *ttl_txt = ts_node_is_null(ttl) ? "n" : ctx_text(ctx, ttl);
  finding_fix(ctx, f, edits ? FIX_SAFE : FIX_DISPLAY, "Set the TTL atomically: `%s.set(..., %s=%s)`",
              cs->recv_text, kw, ttl_txt);
  if (!edits) return;
  fix_add_kwarg(ctx, f, cs, arena_printf(ctx->arena, "%s=%s", kw, ttl_txt));
  finding_edit(ctx, f, s, e, "");
}

static void check(RuleCtx *ctx) {
  bool tests = in_test_code(ctx->src, ctx->opt);
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (strcmp(cs->method, "set") || !result_unused(cs) || ttl_text(ctx, cs)[0]) continue;
    TSNode next = statement_next(cs->stmt, NULL);
    TSNode call = statement_call(next);
    bool px;
    if (ts_node_is_null(call) || !is_matching_expire(ctx, cs, call, &px)) continue;
    bool tx = cs->recv.kind == OBJ_TRANSACTION;
    Finding *f = rule_report(ctx, cs->node, tx || tests ? SEV_INFO : SEV_WARNING,
                             "SET then %s on `%s`: %s; one SET with %s= does both",
                             px ? "PEXPIRE" : "EXPIRE", call_key_display(ctx, cs),
                             tx ? "inside MULTI/EXEC this is atomic but still two commands"
                                : "two round trips, and the key never expires if the second "
                                  "command is lost (timeout, crash, failover)",
                             px ? "px" : "ex");
    finding_related(ctx, f, NULL, nstart(call), nend(call), "the separate expiry");
    add_fix(ctx, f, cs, next, call, px);
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/set-then-expire.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_set_then_expire = {
    .check_file = check,
};
