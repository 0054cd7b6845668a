/* RL309 unbounded-read: one command that returns a whole collection
 * (LRANGE 0 -1, SMEMBERS, HGETALL, XRANGE without COUNT...). Off by default;
 * a warning when the project key index shows the key only grows. */
#include <string.h>

#include "growth.h"

/* Always whole: the command has no range. */
static const char *const WHOLE[] = {"smembers", "hgetall", "hkeys", "hvals", NULL};
static const char *const RANGE_0_M1[] = {"lrange", "zrange", "zrevrange", NULL};
static const char *const BY_SCORE[] = {"zrangebyscore", "zrevrangebyscore", NULL};
static const char *const STREAM[] = {"xrange", "xrevrange", NULL};

/* Hashes are left out: HSET of a fixed set of fields (a status or job
 * record) rewrites, it does not grow, and the key index does not see fields. */
static const char *const GROWERS[] = {"lpush", "rpush", "lpushx", "rpushx", "sadd",
                                      "zadd",  "xadd",  NULL};
static const char *const SHRINKERS[] = {
    "ltrim", "lpop", "rpop", "blpop", "brpop", "lmove", "blmove", "rpoplpush", "brpoplpush",
    "lrem", "lmpop", "blmpop", "srem", "spop", "smove", "hdel", "zrem", "zremrangebyscore",
    "zremrangebyrank", "zremrangebylex", "zpopmin", "zpopmax", "bzpopmin", "bzpopmax", "xtrim",
    "xdel", "delete", "unlink", "getdel", "rename", "renamenx", "expire", "pexpire", "expireat",
    "pexpireat", "setex", NULL};

static bool literal_int(RuleCtx *ctx, TSNode n, const char *value) {
  if (node_is(n, SYM.integer)) return node_text_eq(ctx->src, n, value);
  if (node_is(n, SYM.unary_operator) && value[0] == '-') {
    TSNode arg = ts_node_named_child(n, 0);
    return node_is(arg, SYM.integer) && node_text_eq(ctx->src, arg, value + 1) &&
           ctx_text(ctx, n)[0] == '-';
  }
  return false;
}

static TSNode arg_or_kw(RuleCtx *ctx, const CallSite *cs, uint32_t i, const char *kw) {
  TSNode n = call_arg(cs->args, i);
  return ts_node_is_null(n) ? call_kwarg(ctx->src, cs->args, kw) : n;
}

/* What the call reads whole, or NULL when it is bounded. */
static const char *whole_read(RuleCtx *ctx, const CallSite *cs) {
  if (call_has_splat(cs->args)) return NULL;
  if (call_method_in(cs, WHOLE)) return !strcmp(cs->method, "smembers") ? "set" : "hash";
  if (call_method_in(cs, RANGE_0_M1)) {
    if (!ts_node_is_null(call_kwarg(ctx->src, cs->args, "byscore")) ||
        !ts_node_is_null(call_kwarg(ctx->src, cs->args, "bylex")))
      return NULL; /* 0 and -1 are scores or lex bounds there, not ranks */
    if (!literal_int(ctx, arg_or_kw(ctx, cs, 1, "start"), "0") ||
        !literal_int(ctx, arg_or_kw(ctx, cs, 2, "end"), "-1"))
      return NULL;
    return cs->method[0] == 'l' ? "list" : "sorted set";
  }
  if (call_method_in(cs, BY_SCORE)) {
    bool paged = !ts_node_is_null(call_kwarg(ctx->src, cs->args, "num")) ||
                 !ts_node_is_null(call_arg(cs->args, 4));
    return paged ? NULL : "sorted set";
  }
  if (call_method_in(cs, STREAM)) {
    bool paged = !ts_node_is_null(call_kwarg(ctx->src, cs->args, "count")) ||
                 !ts_node_is_null(call_arg(cs->args, 3));
    return paged ? NULL : "stream";
  }
  return NULL;
}

static const char *paged_alternative(const char *method) {
  if (!strcmp(method, "lrange")) return "read pages: `lrange(key, start, start + 999)`";
  if (!strcmp(method, "smembers")) return "iterate: `sscan_iter(key, count=1000)`";
  if (!strncmp(method, "h", 1)) return "iterate: `hscan_iter(key, count=1000)`";
  if (!strncmp(method, "x", 1))
    return "read pages: `xrange(key, min=last_id, count=1000)`, the last id as the next min";
  if (strstr(method, "byscore")) return "read pages with `start=` and `num=`";
  return "read pages: `zrange(key, start, start + 999)`, or `zscan_iter(key, count=1000)`";
}

static void check(RuleCtx *ctx) {
  if (in_test_code(ctx->src, ctx->opt)) return; /* test keys are small */
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    const char *what = whole_read(ctx, cs);
    if (!what) continue;
    Finding *f = rule_report(ctx, cs->node, SEV_INFO,
                             "%s(`%s`) reads the whole %s in one reply: O(N) on the server while "
                             "every other client waits, and the reply is held in memory on both "
                             "sides",
                             cs->method, call_key_display(ctx, cs), what);
    if (cs->key.text && !cs->key.opaque && growth_key_specific(cs->key.text))
      f->key = arena_strdup(ctx->arena, cs->key.text);
    finding_fix(ctx, f, FIX_DISPLAY, "Bound the read or %s", paged_alternative(cs->method));
  }
}

/* Keys that something grows and nothing shrinks: a warning. */
static void check_project(ProjectCtx *ctx) {
  StrSet grown = {0}, shrunk = {0};
  growth_keys_used_by(ctx->run, GROWERS, &grown);
  growth_keys_used_by(ctx->run, SHRINKERS, &shrunk);
  for (size_t fi = 0; fi < ctx->run->nfiles; fi++) {
    FileResult *fr = &ctx->run->files[fi];
    for (size_t k = 0; k < fr->nfindings; k++) {
      Finding *f = &fr->findings[k];
      if (f->rule != ctx->rule || !f->key) continue;
      if (!growth_has(&grown, f->key) || growth_has(&shrunk, f->key)) continue;
      f->severity = SEV_WARNING;
      f->message = arena_printf(fr->arena,
                                "%s; the project adds to this key and nothing removes from it, "
                                "so N only grows",
                                f->message);
    }
  }
  strset_free(&grown);
  strset_free(&shrunk);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/unbounded-read.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_unbounded_read = {
    .check_file = check,
    .check_project = check_project,
};
