/* RL204 stream-without-maxlen: XADD with no MAXLEN/MINID to a stream nothing
 * in the project trims, expires or deletes. */
#include <string.h>

#include "growth.h"

static const char *const STREAM_SHRINKERS[] = {"xtrim", "delete", "unlink", "expire", "pexpire",
                                               "expireat", "pexpireat", "rename", NULL};

/* A cap given as an argument: maxlen=/minid= (or maxlen, the 4th positional)
 * that is not a literal None. */
static bool given(TSNode v) { return !ts_node_is_null(v) && !node_is(v, SYM.none); }

static bool capped(RuleCtx *ctx, const CallSite *cs) {
  return given(call_kwarg(ctx->src, cs->args, "maxlen")) ||
         given(call_kwarg(ctx->src, cs->args, "minid")) || given(call_arg(cs->args, 3)) ||
         call_has_splat(cs->args);
}

/* maxlen=10000 where `maxlen=None` (or a positional None) was written, else
 * added; approximate=True unless approximate= is already given (a second
 * keyword of the same name does not compile). */
static void add_fix(RuleCtx *ctx, Finding *f, const CallSite *cs) {
  TSNode none = call_kwarg(ctx->src, cs->args, "maxlen");
  if (ts_node_is_null(none)) none = call_arg(cs->args, 3);
  bool approx = !ts_node_is_null(call_kwarg(ctx->src, cs->args, "approximate")) ||
                !ts_node_is_null(call_arg(cs->args, 4));
  if (!ts_node_is_null(none)) {
    finding_edit(ctx, f, nstart(none), nend(none), "10000");
    if (!approx) fix_add_kwarg(ctx, f, cs, "approximate=True");
  } else {
    fix_add_kwarg(ctx, f, cs, approx ? "maxlen=10000" : "maxlen=10000, approximate=True");
  }
}

static void on_call(RuleCtx *ctx, const CallSite *cs) {
  if (in_test_code(ctx->src, ctx->opt)) return;
  if (strcmp(cs->method, "xadd") || capped(ctx, cs) || !cs->key.text || cs->key.opaque ||
      !growth_key_specific(cs->key.text))
    return;
  Finding *f = rule_report(ctx, cs->node, SEV_WARNING,
                           "stream `%s` has no length cap: XADD without MAXLEN/MINID, and "
                           "nothing in the project trims, expires or deletes it, so every "
                           "entry stays in memory",
                           key_display(ctx, &cs->key));
  f->key = arena_strdup(ctx->arena, cs->key.text); /* outlives the model */
  finding_fix(ctx, f, FIX_UNSAFE,
              "Cap the stream as you add: `%s.xadd(..., maxlen=10000, approximate=True)` "
              "(consumers lose entries older than the newest ~10000)",
              cs->recv_text);
  add_fix(ctx, f, cs);
}

static void check_project(ProjectCtx *ctx) { growth_filter(ctx, STREAM_SHRINKERS, false); }

/* The rule's code, title, severity, category, fix and flags are in
 * rules/stream-without-maxlen.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_stream_without_maxlen = {
    .on_call = on_call,
    .check_project = check_project,
};
