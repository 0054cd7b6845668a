/* RL105 non-integer-set-members: set members that are integers with a
 * constant prefix ("user:42") lose the compact intset encoding. */
#include <string.h>

#include "rule_util.h"

static const char *const SET_MEMBER_WRITES[] = {"sadd", "srem", NULL};

/* "user:" + hole, where the hole is an integer or id-like value. */
static bool prefixed_int(RuleCtx *ctx, TSNode member, const char **prefix) {
  if (node_is(member, SYM.integer) || node_is(member, SYM.identifier)) return false;
  KeyTpl k = model_key(ctx->model, member);
  size_t n = k.text ? strlen(k.text) : 0;
  if (n < 2 || k.nholes != 1 || k.text[n - 1] != KEY_HOLE) return false;
  TSNode hole = k.holes[0];
  if (ts_node_is_null(hole)) return false;
  ValueFact f = model_value(ctx->model, hole);
  if (!(f.flags & VF_INTLIKE)) return false;
  *prefix = arena_strndup(ctx->arena, k.text, n - 1);
  return true;
}

static void check(RuleCtx *ctx) {
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (!call_method_in(cs, SET_MEMBER_WRITES)) continue;
    uint32_t nargs = ts_node_named_child_count(cs->args);
    for (uint32_t a = 1; a < nargs && a < 1 + MAX_VALUES; a++) {
      TSNode mem = ts_node_named_child(cs->args, a);
      if (node_is(mem, SYM.keyword_argument) || node_is(mem, SYM.comment)) continue;
      if (node_is(mem, SYM.list_splat)) { /* *[f"user:{m}" for m in ids] */
        TSNode comp = ts_node_named_child(mem, 0);
        if (!node_is(comp, SYM.list_comprehension) && !node_is(comp, SYM.generator_expression) &&
            !node_is(comp, SYM.set_comprehension))
          continue;
        mem = ts_node_child_by_field_id(comp, SYM.f_body);
      }
      const char *prefix;
      if (!prefixed_int(ctx, mem, &prefix)) continue;
      Finding *f = rule_report(
          ctx, mem, SEV_INFO,
          "set member is an integer with the constant prefix \"%s\": members that are all "
          "integers are stored as an intset (up to set-max-intset-entries, %ld); one prefixed "
          "member makes `%s` a hashtable, several times its size as an intset",
          prefix, ctx->opt->th.set_max_intset_entries, call_key_display(ctx, cs));
      finding_fix(ctx, f, FIX_DISPLAY,
                  "Store the bare integer id (the key already says what it is), e.g. "
                  "`%s.%s(%s, %s)`",
                  cs->recv_text, cs->method, ctx_text(ctx, call_arg(cs->args, 0)),
                  ctx_text(ctx, model_key(ctx->model, mem).holes[0]));
    }
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/non-integer-set-members.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_non_integer_set_members = {
    .check_file = check,
};
