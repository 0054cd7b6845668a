/* RL310 deprecated-command: HMSET, GETSET, RPOPLPUSH, BRPOPLPUSH, SETNX. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "rule_util.h"

/* "lock" as a word of the key expression (lock:x, x:lock, self.lock_key),
 * not inside another word (clock:, blocklist:). */
static bool mentions_lock(RuleCtx *ctx, const CallSite *cs) {
  const char *k = ctx_text(ctx, call_arg(cs->args, 0));
  for (const char *p = k; *p; p++)
    if (!strncasecmp(p, "lock", 4) && (p == k || !isalpha((unsigned char)p[-1]))) return true;
  return false;
}

/* Replies of a pipeline come back from execute(): changing a command changes them. */
static bool reply_unused(const CallSite *cs) {
  return result_unused(cs) && !value_is_pipeline(cs->recv) && cs->recv.kind != OBJ_CLIENT_OR_PIPELINE;
}

static const char *args_text(RuleCtx *ctx, const CallSite *cs) {
  const char *t = ctx_text(ctx, cs->args); /* "(a, b)" */
  size_t n = strlen(t);
  return n >= 2 ? arena_strndup(ctx->arena, t + 1, n - 2) : "";
}

static Finding *report(RuleCtx *ctx, const CallSite *cs, const char *cmd, const char *since,
                       const char *instead) {
  return rule_report(ctx, cs->node, SEV_INFO, "%s is deprecated since Redis %s; use %s", cmd,
                     since, instead);
}

static void hmset(RuleCtx *ctx, const CallSite *cs) {
  Finding *f = report(ctx, cs, "HMSET", "4.0.0", "HSET with several fields");
  if (pyver_before(ctx->pyver, 3, 5)) { /* hset(mapping=) arrived in redis-py 3.5 */
    finding_fix(ctx, f, FIX_DISPLAY,
                "Once on redis-py 3.5 or later (%s), use `%s.hset(<key>, mapping=<dict>)`",
                ctx->pyver->source ? ctx->pyver->source : "the pinned version is older",
                cs->recv_text);
    return;
  }
  TSNode map = call_arg(cs->args, 1);
  bool kw = ts_node_is_null(map) && !ts_node_is_null(call_kwarg(ctx->src, cs->args, "mapping"));
  bool edits = reply_unused(cs) && !call_has_splat(cs->args) && (kw || !ts_node_is_null(map)) &&
               call_npositional(cs->args) <= 2;
  finding_fix(ctx, f, edits ? FIX_SAFE : FIX_DISPLAY, "Use `%s.hset(<key>, mapping=<dict>)`",
              cs->recv_text);
  if (!edits) return;
  fix_rename_method(ctx, f, cs, "hset");
  if (!kw) finding_edit(ctx, f, nstart(map), nstart(map), "mapping=");
}

static void setnx(RuleCtx *ctx, const CallSite *cs) {
  if (mentions_lock(ctx, cs)) return; /* a lock: the lock rules' business */
  Finding *f = report(ctx, cs, "SETNX", "2.6.12", "SET with NX");
  bool edits = reply_unused(cs) && !call_has_splat(cs->args) && call_npositional(cs->args) == 2 &&
               ts_node_named_child_count(cs->args) == 2;
  finding_fix(ctx, f, edits ? FIX_SAFE : FIX_DISPLAY,
              "Use `%s.set(%s, nx=True)`%s", cs->recv_text, args_text(ctx, cs),
              edits ? "" : " (it returns True or None where SETNX returned True or False)");
  if (!edits) return;
  fix_rename_method(ctx, f, cs, "set");
  fix_add_kwarg(ctx, f, cs, "nx=True");
}

/* Does the server the code targets have the replacement (`since` as
 * major*100+minor)? Unknown target: assume a current server. */
static bool target_has(RuleCtx *ctx, int since) {
  return !ctx->opt->target_redis || ctx->opt->target_redis >= since;
}

/* Is the call in the branch of an `if` that tests the server's version
 * (`if version < (6, 2, 0):`, `if self.redis_version >= ...`)? The code
 * already keeps the old command for old servers on purpose. */
static bool version_gated(RuleCtx *ctx, const CallSite *cs) {
  for (TSNode n = ts_node_parent(cs->node); !ts_node_is_null(n); n = ts_node_parent(n)) {
    if (node_is(n, SYM.function_definition)) return false;
    if (!node_is(n, SYM.if_statement)) continue;
    const char *cond = ctx_text(ctx, ts_node_child_by_field_id(n, SYM.f_condition));
    if (strstr(cond, "version") || strstr(cond, "(6, 2") || strstr(cond, "(6,2")) return true;
  }
  return false;
}

static void on_call(RuleCtx *ctx, const CallSite *cs) {
  if (version_gated(ctx, cs)) return;
  {
    const char *m = cs->method;
    /* the replacements of GETSET, RPOPLPUSH and BRPOPLPUSH arrived in 6.2 */
    if ((!strcmp(m, "getset") || !strcmp(m, "rpoplpush") || !strcmp(m, "brpoplpush")) &&
        !target_has(ctx, 602))
      return;
    if (!strcmp(m, "hmset") && !target_has(ctx, 400)) return;
    if (!strcmp(m, "hmset")) {
      hmset(ctx, cs);
    } else if (!strcmp(m, "setnx")) {
      setnx(ctx, cs);
    } else if (!strcmp(m, "getset")) {
      Finding *f = report(ctx, cs, "GETSET", "6.2.0", "SET with GET");
      finding_fix(ctx, f, FIX_DISPLAY, "Use `%s.set(%s, get=True)` (Redis >= 6.2)",
                  cs->recv_text, args_text(ctx, cs));
    } else if (!strcmp(m, "rpoplpush")) {
      Finding *f = report(ctx, cs, "RPOPLPUSH", "6.2.0", "LMOVE");
      finding_fix(ctx, f, FIX_DISPLAY, "Use `%s.lmove(%s, \"RIGHT\", \"LEFT\")` (Redis >= 6.2)",
                  cs->recv_text, args_text(ctx, cs));
    } else if (!strcmp(m, "brpoplpush")) {
      Finding *f = report(ctx, cs, "BRPOPLPUSH", "6.2.0", "BLMOVE");
      finding_fix(ctx, f, FIX_DISPLAY,
                  "Use `%s.blmove(<src>, <dst>, <timeout>, \"RIGHT\", \"LEFT\")` (Redis >= 6.2)",
                  cs->recv_text);
    }
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/deprecated-command.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_deprecated_command = {
    .on_call = on_call,
};
