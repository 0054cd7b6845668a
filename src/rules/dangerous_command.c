/* RL305 dangerous-command: destructive or admin commands in application code. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule_util.h"

typedef struct Danger {
  const char *method;  /* redis-py method */
  const char *command; /* what execute_command would be given */
  const char *sub;     /* required second word, or NULL */
  const char *why;
  const char *fix; /* what to do instead */
} Danger;

static const char FIX_KEYS[] =
    "Delete only your own keys (SCAN with a prefix + UNLINK in batches) and take the permission "
    "away from the application user: `ACL SETUSER app -@dangerous`";
static const char FIX_CONFIG[] =
    "Set it in redis.conf or through whoever runs the server, check it at start-up with CONFIG "
    "GET (fail loudly when it is wrong) and take the permission away from the application "
    "user: `ACL SETUSER app -config`";

/* add a dangerous command here */
static const Danger DANGERS[] = {
    {"flushall", "FLUSHALL", NULL, "deletes every key of every database", FIX_KEYS},
    {"flushdb", "FLUSHDB", NULL, "deletes every key of the database", FIX_KEYS},
    {"config_set", "CONFIG", "SET", "changes the server's configuration at run time", FIX_CONFIG},
    {"config_rewrite", "CONFIG", "REWRITE", "rewrites the server's redis.conf", FIX_CONFIG},
    {"config_resetstat", "CONFIG", "RESETSTAT", "resets the server's statistics", FIX_CONFIG},
    {"shutdown", "SHUTDOWN", NULL, "stops the server",
     "Stop the server from its service manager (systemd, the container runtime), not from "
     "application code, and take the permission away from the application user: `ACL SETUSER "
     "app -shutdown`"},
    {"debug_object", "DEBUG", NULL, "is a debugging command",
     "Remove it from application code; take the permission away: `ACL SETUSER app -debug`"},
    {"debug_segfault", "DEBUG", NULL, "crashes the server",
     "Remove it from application code; take the permission away: `ACL SETUSER app -debug`"},
    {"script_flush", "SCRIPT", "FLUSH", "drops every cached Lua script of every client",
     "Leave the script cache alone: load your own scripts (`register_script`, which reloads "
     "them on NOSCRIPT) and take the permission away: `ACL SETUSER app -script|flush`"},
    {"monitor", "MONITOR", NULL, "streams every command of every client (costly, leaks data)",
     "Watch the server with SLOWLOG, LATENCY and INFO commandstats instead, and take the "
     "permission away: `ACL SETUSER app -monitor`"},
};

static const Danger *by_method(const char *m) {
  for (size_t i = 0; i < sizeof DANGERS / sizeof DANGERS[0]; i++)
    if (!strcmp(DANGERS[i].method, m)) return &DANGERS[i];
  return NULL;
}

static bool literal_is(RuleCtx *ctx, TSNode n, const char *word) {
  if (!node_is(n, SYM.string)) return false;
  KeyTpl k = model_key(ctx->model, n);
  return k.text && !strcasecmp(k.text, word);
}

/* execute_command("FLUSHALL") / execute_command("CONFIG", "SET", ...) */
static const Danger *by_command(RuleCtx *ctx, const CallSite *cs) {
  TSNode a0 = call_arg(cs->args, 0), a1 = call_arg(cs->args, 1);
  for (size_t i = 0; i < sizeof DANGERS / sizeof DANGERS[0]; i++) {
    const Danger *d = &DANGERS[i];
    if (literal_is(ctx, a0, d->command) && (!d->sub || literal_is(ctx, a1, d->sub))) return d;
  }
  return NULL;
}

/* A module that launches a Redis server of its own (a process started with
 * `redis-server` or a run_redis script) stops it with SHUTDOWN, the clean
 * way. */
static bool launches_processes(RuleCtx *ctx) {
  bool spawns = source_contains(ctx->src, "Popen(") || source_contains(ctx->src, "subprocess.") ||
                source_contains(ctx->src, "os.system(") || source_contains(ctx->src, "check_call(");
  return spawns && (source_contains(ctx->src, "redis-server") || source_contains(ctx->src, "run_redis") ||
                    source_contains(ctx->src, "start_redis") || source_contains(ctx->src, "launch_redis"));
}

/* A flag that is true only in a debug or test deployment: `app.debug`,
 * `settings.DEBUG`, `TESTING`, `app.config["TESTING"]`,
 * `os.environ.get("DEBUG")`, `ENV == "test"`, `ENV in ("dev", "test")`. */
static bool flag_word(RuleCtx *ctx, TSNode n) {
  static const char *const WORDS[] = {"debug", "testing", "test", "test_mode", "testing_mode",
                                      "debug_mode", "is_test", "is_testing", "is_debug",
                                      "dev_mode", "is_dev", "development", NULL};
  const char *t;
  if (node_is(n, SYM.string)) {
    KeyTpl k = model_key(ctx->model, n);
    if (!k.text || k.nholes) return false;
    t = k.text;
  } else if (node_is(n, SYM.identifier)) {
    t = ctx_text(ctx, n);
  } else {
    return false;
  }
  for (size_t i = 0; WORDS[i]; i++)
    if (!strcasecmp(t, WORDS[i])) return true;
  return !strcasecmp(t, "dev");
}

static bool debug_flag(RuleCtx *ctx, TSNode c) {
  uint16_t s = nsym(c);
  if (s == SYM.parenthesized_expression) return debug_flag(ctx, ts_node_named_child(c, 0));
  if (s == SYM.identifier) return flag_word(ctx, c);
  if (s == SYM.attribute) return flag_word(ctx, ts_node_child_by_field_id(c, SYM.f_attribute));
  if (s == SYM.subscript) /* app.config["TESTING"] */
    return flag_word(ctx, ts_node_named_child(c, 1));
  if (s == SYM.call) { /* settings.get("DEBUG"), getattr(settings, "TESTING", False) */
    TSNode fn = ts_node_child_by_field_id(c, SYM.f_function), args = ts_node_child_by_field_id(c, SYM.f_arguments);
    if (node_is(fn, SYM.identifier) && node_text_eq(ctx->src, fn, "getattr"))
      return flag_word(ctx, call_arg(args, 1));
    return node_is(fn, SYM.attribute) &&
           node_text_eq(ctx->src, ts_node_child_by_field_id(fn, SYM.f_attribute), "get") &&
           flag_word(ctx, call_arg(args, 0));
  }
  if (s == SYM.boolean_operator) {
    /* `a or b`: each side a flag; `a and b`: one side suffices */
    bool l = debug_flag(ctx, ts_node_child_by_field_id(c, SYM.f_left));
    bool r = debug_flag(ctx, ts_node_child_by_field_id(c, SYM.f_right));
    TSNode op = ts_node_child_by_field_id(c, SYM.f_operator);
    return node_text_eq(ctx->src, op, "and") ? l || r : l && r;
  }
  if (s == SYM.comparison_operator && ts_node_named_child_count(c) == 2) {
    /* ENV == "test", ENV in ("dev", "test"): not `!=` nor `not in` */
    TSNode rhs = ts_node_named_child(c, 1);
    const char *text = ctx_text(ctx, c);
    if (strstr(text, "!=") || strstr(text, " not in ") || strstr(text, " is not ")) return false;
    if (node_is(rhs, SYM.string)) return flag_word(ctx, rhs);
    if (!node_is(rhs, SYM.tuple) && !node_is(rhs, SYM.list) && !node_is(rhs, SYM.set)) return false;
    for (uint32_t i = 0; i < ts_node_named_child_count(rhs); i++)
      if (!flag_word(ctx, ts_node_named_child(rhs, i))) return false;
    return ts_node_named_child_count(rhs) > 0;
  }
  return false;
}

/* Is the call inside the body of an `if`/`elif` whose condition holds only
 * in debug or test deployments (`if app.debug or app.testing:` around a
 * `/tests/reset` route, `if settings.DEBUG:` in a view)? That code is test
 * scaffolding, not production. The `else` of such an `if` is production. */
static bool under_debug_guard(RuleCtx *ctx, TSNode n) {
  for (TSNode c = n, p = ts_node_parent(n); !ts_node_is_null(p); c = p, p = ts_node_parent(p)) {
    bool elif = !strcmp(ts_node_type(p), "elif_clause");
    if ((node_is(p, SYM.if_statement) || elif) &&
        ts_node_eq(ts_node_child_by_field_id(p, SYM.f_consequence), c) &&
        debug_flag(ctx, ts_node_child_by_field_id(p, SYM.f_condition)))
      return true;
  }
  return false;
}

/* Is the call in a module's `if __name__ == "__main__":` block? */
static bool in_main_block(RuleCtx *ctx, TSNode n) {
  uint32_t(*blocks)[2] = NULL;
  size_t nb = main_blocks(ctx->src, &blocks);
  bool in = false;
  for (size_t b = 0; b < nb && !in; b++) in = nstart(n) >= blocks[b][0] && nstart(n) < blocks[b][1];
  free(blocks);
  return in;
}

static void on_call(RuleCtx *ctx, const CallSite *cs) {
  const Danger *d = by_method(cs->method);
  if (!d && !strcmp(cs->method, "execute_command")) d = by_command(ctx, cs);
  if (!d || in_test_code(ctx->src, ctx->opt)) return; /* tests flush their own databases */
  if (under_debug_guard(ctx, cs->node)) return;        /* test scaffolding of the app */
  bool shutdown = !strcmp(d->command, "SHUTDOWN");
  if (shutdown && launches_processes(ctx)) return; /* its own server's lifecycle */
  /* a one-off script or an upgrade step resets a database on purpose, run by
   * hand: still worth a note (pointed at the wrong server it wipes it), not
   * an error. The engine lowers scripts/, bin/ and `__main__` blocks to info
   * (front matter `scripts: info`); upgrade directories are this rule's own. */
  bool upgrade = path_is_upgrade_step(ctx->src->path);
  bool script = upgrade || code_role(ctx->src, ctx->opt) == CODE_SCRIPT || in_main_block(ctx, cs->node);
  if (!strcmp(d->method, "debug_object") && !strcmp(cs->method, "debug_object")) {
    /* it only reads a key's internals; the harm is that it is not there */
    Finding *g = rule_report(ctx, cs->node, script || upgrade ? SEV_INFO : SEV_WARNING,
                             "DEBUG OBJECT reads a key's internals, but DEBUG is disabled by "
                             "default since Redis 7.0 (enable-debug-command no) and on managed "
                             "services: the call fails with an error there");
    finding_fix(ctx, g, FIX_DISPLAY,
                "Ask with the commands made for it: `OBJECT ENCODING key`, `MEMORY USAGE key`, "
                "`OBJECT FREQ`/`IDLETIME` (redis-py: `object(\"encoding\", key)`, `memory_usage(key)`)");
    return;
  }
  Finding *f = rule_report(ctx, cs->node, upgrade ? SEV_INFO : SEV_ERROR,
                           "%s%s%s %s: %s",
                           d->command, d->sub ? " " : "", d->sub ? d->sub : "", d->why,
                           script ? "in a one-off script or upgrade step it is run on purpose, by "
                                    "hand; pointed at a shared server or the wrong database it "
                                    "wipes that one"
                                  : "one call in application code is an outage or data loss "
                                    "waiting to happen");
  finding_fix(ctx, f, FIX_DISPLAY, "%s", d->fix);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/dangerous-command.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_dangerous_command = {
    .on_call = on_call,
};
