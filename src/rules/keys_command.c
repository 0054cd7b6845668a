/* RL301 keys-command: KEYS walks the whole keyspace and blocks the server. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "lua_script.h"

/* The first redis.call('KEYS', ...) of a Lua script literal the call sends
 * (comments and strings of the script do not count); NULL if none. */
static const LuaCall *lua_keys_call(RuleCtx *ctx, const CallSite *cs, ScriptText *st) {
  if (!script_of_call(ctx, cs, st)) return NULL;
  for (size_t k = 0; k < st->ncalls; k++)
    if (st->calls[k].command && !strcmp(st->calls[k].command, "keys")) return &st->calls[k];
  return NULL;
}

static void fix_scan(RuleCtx *ctx, const CallSite *cs, Finding *f) {
  finding_fix(ctx, f, FIX_DISPLAY,
              "Iterate with SCAN instead: `for key in %s.scan_iter(match=pattern, count=1000): "
              "...` (delete in batches with UNLINK)",
              cs->recv_text);
}

static void report(RuleCtx *ctx, const CallSite *cs, const char *what) {
  Finding *f = rule_report(ctx, cs->node, in_test_code(ctx->src, ctx->opt) ? SEV_INFO : SEV_ERROR,
                           "%s: KEYS scans the whole keyspace in one call and blocks every "
                           "other client until it is done (O(N) in the number of keys)", what);
  fix_scan(ctx, cs, f);
}

/* r.keys(p) as the iterable of a for loop or comprehension: scan_iter(match=p). */
static void keys_call(RuleCtx *ctx, const CallSite *cs) {
  TSNode parent = ts_node_parent(cs->node);
  bool iterated = (node_is(parent, SYM.for_statement) || node_is(parent, SYM.for_in_clause)) &&
                  ts_node_eq(ts_node_child_by_field_id(parent, SYM.f_right), cs->node);
  TSNode pat = call_arg(cs->args, 0);
  if (ts_node_is_null(pat)) pat = call_kwarg(ctx->src, cs->args, "pattern");
  const char *repl = ts_node_is_null(pat)
                         ? arena_printf(ctx->arena, "%s.scan_iter()", cs->recv_text)
                         : arena_printf(ctx->arena, "%s.scan_iter(match=%s)", cs->recv_text,
                                        ctx_text(ctx, pat));
  Finding *f = rule_report(ctx, cs->node, in_test_code(ctx->src, ctx->opt) ? SEV_INFO : SEV_ERROR,
                           "KEYS %s scans the whole keyspace in one call and blocks every other "
                           "client until it is done (O(N) in the number of keys)",
                           ts_node_is_null(pat) ? "*" : ctx_text(ctx, pat));
  uint32_t nargs = 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(cs->args); i++)
    nargs += !node_is(ts_node_named_child(cs->args, i), SYM.comment);
  bool edits = iterated && nargs <= 1 && !call_has_splat(cs->args);
  finding_fix(ctx, f, edits ? FIX_UNSAFE : FIX_DISPLAY,
              "Iterate with SCAN: `%s` (SCAN may return a key twice and sees keys changing "
              "during the scan)%s",
              repl, edits ? "" : "; to delete by pattern, UNLINK the scanned keys in batches");
  if (!edits) return;
  /* Rename in place, so that the layout and comments of the call stay. */
  fix_rename_method(ctx, f, cs, "scan_iter");
  if (ts_node_is_null(pat)) return;
  TSNode kw = ts_node_parent(pat);
  if (node_is(kw, SYM.keyword_argument)) {
    TSNode name = ts_node_child_by_field_id(kw, SYM.f_name);
    finding_edit(ctx, f, nstart(name), nend(name), "match");
  } else {
    finding_edit(ctx, f, nstart(pat), nstart(pat), "match=");
  }
}

static void on_call(RuleCtx *ctx, const CallSite *cs) {
  if (!strcmp(cs->method, "keys")) {
    keys_call(ctx, cs);
  } else if (!strcmp(cs->method, "execute_command")) {
    TSNode a0 = call_arg(cs->args, 0);
    KeyTpl k = model_key(ctx->model, a0);
    if (node_is(a0, SYM.string) && k.text && !strcasecmp(k.text, "keys"))
      report(ctx, cs, "execute_command(\"KEYS\")");
  } else if (call_method_in(cs, LUA_SCRIPT_METHODS)) {
    ScriptText st;
    const LuaCall *lc = lua_keys_call(ctx, cs, &st);
    if (!lc) return;
    uint32_t s, e;
    script_span(&st, lc->start, lc->end, &s, &e);
    Finding *f = rule_report(ctx, cs->node, in_test_code(ctx->src, ctx->opt) ? SEV_INFO : SEV_ERROR,
                             "the Lua script passed to %s() calls KEYS (line %u): KEYS scans "
                             "the whole keyspace in one call, and inside a script every other "
                             "client waits until the whole script is done",
                             cs->method, line_of(ctx->src, s));
    fix_scan(ctx, cs, f);
    finding_related(ctx, f, NULL, s, e, "KEYS called inside the script");
  }
}

/* A script file of the project (`flush.lua`, loaded by whatever the
 * library uses to read it): each redis.call('KEYS', ...) in it. */
static void check_script(RuleCtx *ctx) {
  LuaCall *calls;
  size_t n = lua_scan(ctx->arena, ctx->src->text, ctx->src->len, &calls);
  for (size_t k = 0; k < n; k++) {
    if (!calls[k].command || strcmp(calls[k].command, "keys")) continue;
    Finding *f = rule_report_span(ctx, calls[k].start, calls[k].end,
                                  in_test_code(ctx->src, ctx->opt) ? SEV_INFO : SEV_ERROR,
                                  "KEYS in a Lua script scans the whole keyspace in one call, and "
                                  "inside a script every other client waits until the whole "
                                  "script is done (O(N) in the number of keys)");
    finding_fix(ctx, f, FIX_DISPLAY,
                "Find the keys outside the script (SCAN with MATCH, in batches) and pass them in "
                "KEYS, or keep an index of them in a set the script reads");
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/keys-command.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_keys_command = {
    .on_call = on_call,
    .check_script = check_script,
};
