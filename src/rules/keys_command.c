/* RL301 keys-command: KEYS walks the whole keyspace and blocks the server. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "rule_util.h"

static const char *const SCRIPT_CALLS[] = {"eval", "evalsha", "eval_ro", "register_script",
                                           "script_load", NULL};

/* Does a Lua source call the KEYS command: redis.call('KEYS', ...) / pcall? */
static bool lua_calls_keys(const char *t, size_t n) {
  for (size_t i = 0; i + 10 < n; i++) {
    if (strncmp(t + i, "redis.", 6) != 0) continue;
    size_t j = i + 6;
    if (!strncmp(t + j, "call", 4)) j += 4;
    else if (!strncmp(t + j, "pcall", 5)) j += 5;
    else continue;
    while (j < n && (t[j] == ' ' || t[j] == '\t')) j++;
    if (j >= n || t[j] != '(') continue;
    j++;
    while (j < n && (t[j] == ' ' || t[j] == '\t')) j++;
    if (j + 6 > n || (t[j] != '\'' && t[j] != '"')) continue;
    if (strncasecmp(t + j + 1, "keys", 4) == 0 && t[j + 5] == t[j]) return true;
  }
  return false;
}

/* The Lua source a Python string literal holds (escapes decoded). */
static const char *script_text(RuleCtx *ctx, TSNode s, size_t *len) {
  size_t cap = nend(s) - nstart(s) + 1, n = 0;
  char *buf = arena_alloc(ctx->arena, cap);
  TSNode parts[64];
  uint32_t np = 0;
  if (node_is(s, SYM.concatenated_string))
    for (uint32_t i = 0; i < ts_node_named_child_count(s) && np < 64; i++) parts[np++] = ts_node_named_child(s, i);
  else parts[np++] = s;
  for (uint32_t i = 0; i < np; i++) {
    unsigned pf = string_prefix(ctx->src, parts[i]);
    for (uint32_t c = 0; c < ts_node_child_count(parts[i]); c++) {
      TSNode ch = ts_node_child(parts[i], c);
      if (!node_is(ch, SYM.string_content)) continue;
      n += string_content_decode(ctx->src, ch, pf & STR_RAW, pf & STR_BYTES, buf + n, cap - 1 - n);
      if (n > cap - 1) n = cap - 1;
    }
  }
  *len = n;
  return buf;
}

static void report(RuleCtx *ctx, const CallSite *cs, const char *what) {
  Finding *f = rule_report(ctx, cs->node, in_test_code(ctx->src) ? SEV_INFO : SEV_ERROR,
                           "%s: KEYS scans the whole keyspace in one call and blocks every "
                           "other client until it is done (O(N) in the number of keys)", what);
  finding_fix(ctx, f, FIX_DISPLAY,
              "Iterate with SCAN instead: `for key in %s.scan_iter(match=pattern, count=1000): "
              "...` (delete in batches with UNLINK)",
              cs->recv_text);
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
  Finding *f = rule_report(ctx, cs->node, in_test_code(ctx->src) ? SEV_INFO : SEV_ERROR,
                           "KEYS %s scans the whole keyspace in one call and blocks every other "
                           "client until it is done (O(N) in the number of keys)",
                           ts_node_is_null(pat) ? "*" : ctx_text(ctx, pat));
  bool edits = iterated && ts_node_named_child_count(cs->args) <= 1 && !call_has_splat(cs->args);
  finding_fix(ctx, f, edits ? FIX_UNSAFE : FIX_DISPLAY,
              "Iterate with SCAN: `%s` (SCAN may return a key twice and sees keys changing "
              "during the scan)%s",
              repl, edits ? "" : "; to delete by pattern, UNLINK the scanned keys in batches");
  if (edits) finding_edit(ctx, f, nstart(cs->node), nend(cs->node), repl);
}

static void check(RuleCtx *ctx) {
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (!strcmp(cs->method, "keys")) {
      keys_call(ctx, cs);
    } else if (!strcmp(cs->method, "execute_command")) {
      TSNode a0 = call_arg(cs->args, 0);
      KeyTpl k = model_key(ctx->model, a0);
      if (node_is(a0, SYM.string) && k.text && !strcasecmp(k.text, "keys"))
        report(ctx, cs, "execute_command(\"KEYS\")");
    } else if (call_method_in(cs, SCRIPT_CALLS)) {
      int scope = cs->scope;
      TSNode script = call_arg(cs->args, 0);
      if (ts_node_is_null(script)) script = call_kwarg(ctx->src, cs->args, "script");
      script = model_resolve(ctx->model, script, &scope);
      if (!node_is(script, SYM.string) && !node_is(script, SYM.concatenated_string)) continue;
      size_t n;
      const char *lua = script_text(ctx, script, &n);
      if (lua_calls_keys(lua, n))
        report(ctx, cs, arena_printf(ctx->arena, "the Lua script passed to %s() calls KEYS",
                                     cs->method));
    }
  }
}

const Rule RULE_KEYS_COMMAND = {
    .code = "RL301",
    .slug = "keys-command",
    .title = "KEYS command in application code",
    .category = "commands",
    .severity = SEV_ERROR,
    .fix = FIX_UNSAFE,
    .default_enabled = true,
    .check_file = check,
};
