/* RL305 dangerous-command: destructive or admin commands in application code. */
#include <string.h>
#include <strings.h>

#include "rule_util.h"

typedef struct Danger {
  const char *method;  /* redis-py method */
  const char *command; /* what execute_command would be given */
  const char *sub;     /* required second word, or NULL */
  const char *why;
} Danger;

/* add a dangerous command here */
static const Danger DANGERS[] = {
    {"flushall", "FLUSHALL", NULL, "deletes every key of every database"},
    {"flushdb", "FLUSHDB", NULL, "deletes every key of the database"},
    {"config_set", "CONFIG", "SET", "changes the server's configuration at run time"},
    {"config_rewrite", "CONFIG", "REWRITE", "rewrites the server's redis.conf"},
    {"config_resetstat", "CONFIG", "RESETSTAT", "resets the server's statistics"},
    {"shutdown", "SHUTDOWN", NULL, "stops the server"},
    {"debug_object", "DEBUG", NULL, "is a debugging command"},
    {"debug_segfault", "DEBUG", NULL, "crashes the server"},
    {"script_flush", "SCRIPT", "FLUSH", "drops every cached Lua script of every client"},
    {"monitor", "MONITOR", NULL, "streams every command of every client (costly, leaks data)"},
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

static void on_call(RuleCtx *ctx, const CallSite *cs) {
  const Danger *d = by_method(cs->method);
  if (!d && !strcmp(cs->method, "execute_command")) d = by_command(ctx, cs);
  if (!d || in_test_code(ctx->src, ctx->opt)) return; /* tests flush their own databases */
  bool shutdown = !strcmp(d->command, "SHUTDOWN");
  if (shutdown && launches_processes(ctx)) return; /* its own server's lifecycle */
  /* a benchmark or a demo resets its own database on purpose: still worth a
   * note (pointed at the wrong server it wipes it), not an error */
  bool example = in_example_code(ctx->src, ctx->opt, false); /* a deploy script is not a demo */
  Finding *f = rule_report(ctx, cs->node, example ? SEV_INFO : SEV_ERROR,
                           "%s%s%s %s: %s",
                           d->command, d->sub ? " " : "", d->sub ? d->sub : "", d->why,
                           example ? "in an example or a benchmark it resets a database on "
                                     "purpose; pointed at a shared server it wipes that one"
                                   : "one call in application code is an outage or data loss "
                                     "waiting to happen");
  if (shutdown)
    finding_fix(ctx, f, FIX_DISPLAY,
                "Stop the server from its service manager (systemd, the container runtime), not "
                "from application code, and take the permission away from the application user: "
                "`ACL SETUSER app -shutdown`");
  else
    finding_fix(ctx, f, FIX_DISPLAY,
                "Delete only your own keys (SCAN with a prefix + UNLINK in batches) and take the "
                "permission away from the application user: `ACL SETUSER app -@dangerous`");
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/dangerous-command.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_dangerous_command = {
    .on_call = on_call,
};
