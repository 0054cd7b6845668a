/* RL404 blocking-exceeds-socket-timeout: a blocking command (BLPOP, BRPOP,
 * BLMOVE, BZPOPMIN, XREAD BLOCK...) that may wait longer than the client's
 * socket_timeout. The server is silent while it blocks, so redis-py's read
 * times out first and raises TimeoutError (the connection is dropped and the
 * item the server may hand out at that moment can be lost). redis-py 8
 * turns this on by default: every client gets a 5 s socket timeout.
 * In test code the finding is info: a test may block past the timeout on
 * purpose (`with pytest.raises(TimeoutError)`). */
#include <string.h>

#include "conn.h"

/* "5 s", "0.5 s", "30 s" */
static const char *secs(RuleCtx *ctx, double s) {
  if (s < 1e9 && s == (double)(long)s) return arena_printf(ctx->arena, "%.0f s", s);
  return arena_printf(ctx->arena, "%g s", s);
}

/* Did the 5 s come from redis-py 8's default rather than from the code? */
static bool from_default(RuleCtx *ctx, TSNode ctor) {
  if (!ctx->pyver || ctx->pyver->cls != PYV_8_OR_LATER) return false;
  TSNode args = ts_node_child_by_field_id(ctor, SYM.f_arguments);
  return ts_node_is_null(call_kwarg(ctx->src, args, "socket_timeout")) &&
         !strstr(ctx_text(ctx, ctor), "socket_timeout");
}

static void check_call(RuleCtx *ctx, const CallSite *cs) {
  if (cs->recv.kind != OBJ_CLIENT) return; /* queued on a pipeline: sent at execute() */
  double t, s;
  TSNode arg, ctor;
  if (!blocking_timeout(ctx, cs, &t, &arg)) return;
  if (!client_socket_timeout(ctx, cs, &s, &ctor)) return;
  if (t != 0 && t < s) return;
  unsigned line = line_of(ctx->src, nstart(ctor));
  const char *whose =
      from_default(ctx, ctor)
          ? arena_printf(ctx->arena, "the client (line %u) has redis-py 8's default socket_timeout "
                                     "of %s (%s)",
                         line, secs(ctx, s), ctx->pyver->source ? ctx->pyver->source : "pinned")
          : arena_printf(ctx->arena, "the client's socket_timeout is %s (line %u)", secs(ctx, s),
                         line);
  const char *call = call_short(ctx, cs);
  Severity sev = in_test_code(ctx->src, ctx->opt) ? SEV_INFO : SEV_ERROR;
  Finding *f;
  if (t == 0)
    f = rule_report(ctx, cs->node, sev,
                    "`%s` blocks until data arrives (%s), but %s: when nothing arrives "
                    "for %s, redis-py raises TimeoutError instead of waiting",
                    call, cs->method[0] == 'x' ? "block=0" : "timeout 0", whose, secs(ctx, s));
  else
    f = rule_report(ctx, cs->node, sev,
                    "`%s` blocks up to %s, but %s: when nothing arrives for %s, redis-py "
                    "raises TimeoutError before the server answers",
                    call, secs(ctx, t), whose, secs(ctx, s));
  finding_related(ctx, f, NULL, nstart(ctor), nend(ctor), "the client's construction");
  finding_fix(ctx, f, FIX_DISPLAY,
              "Block for less than the socket timeout (e.g. %s) and loop on an empty reply, or "
              "use a separate client for blocking calls whose socket_timeout exceeds the block "
              "time (e.g. %s)",
              secs(ctx, s > 1 ? s - 1 : s / 2), secs(ctx, (t > s ? t : s) + 5));
}

/* ---- Pub/Sub: listen() on a client with a socket timeout ----
 * `ps = client.pubsub()` then `for m in ps.listen():` waits for the next
 * message as long as none comes; with a socket timeout the read raises
 * TimeoutError after that many silent seconds and the consumer ends. */
/* Inside a `try:` body with an except clause: the code handles the error
 * (and may restart the loop); judged in review, not reported. */
static bool handled(TSNode n) {
  for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p)) {
    if (node_is(p, SYM.function_definition)) return false;
    if (!node_is(p, SYM.try_statement)) continue;
    for (uint32_t i = 0; i < ts_node_named_child_count(p); i++)
      if (!strcmp(ts_node_type(ts_node_named_child(p, i)), "except_clause")) return true;
  }
  return false;
}

/* A `listen()` without arguments, outside an error handler. */
static bool plain_listen(TSNode call) {
  return ts_node_named_child_count(ts_node_child_by_field_id(call, SYM.f_arguments)) == 0 && !handled(call);
}

static void check_pubsub(RuleCtx *ctx, const CallSite *cs, MethodCalls *listens) {
  if (cs->recv.kind != OBJ_CLIENT || strcmp(cs->method, "pubsub")) return;
  TSNode asg = ts_node_parent(cs->node);
  if (!node_is(asg, SYM.assignment) || !ts_node_eq(ts_node_child_by_field_id(asg, SYM.f_right), cs->node))
    return;
  TSNode target = ts_node_child_by_field_id(asg, SYM.f_left);
  bool attr = node_is(target, SYM.attribute);
  if (!node_is(target, SYM.identifier) && !attr) return;
  double s;
  TSNode ctor;
  if (!client_socket_timeout(ctx, cs, &s, &ctor) || s <= 0) return;
  /* where its listen() may be: the function (a local), the class (self.x) */
  TSNode scope = {0};
  if (attr && cs->cls >= 0) scope = model_class(ctx->model, cs->cls)->node;
  else if (!attr && cs->func >= 0) scope = model_function(ctx->model, cs->func)->node;
  else if (!attr) scope = model_root(ctx->model);
  if (ts_node_is_null(scope)) return;
  /* retry_on_timeout=True: redis-py reconnects and subscribes again */
  TSNode rot = call_kwarg(ctx->src, ts_node_child_by_field_id(ctor, SYM.f_arguments), "retry_on_timeout");
  if (node_is(rot, SYM.true_)) return;
  const char *holder = node_text_squeezed(ctx->arena, ctx->src, target);
  method_calls_index(ctx, listens, scope, "listen");
  TSNode found = method_calls_first(listens, holder, attr ? 0 : nend(cs->node), plain_listen);
  if (ts_node_is_null(found)) return;
  unsigned line = line_of(ctx->src, nstart(ctor));
  const char *whose =
      from_default(ctx, ctor)
          ? arena_printf(ctx->arena, "redis-py 8's default socket_timeout of %s (%s)", secs(ctx, s),
                         ctx->pyver->source ? ctx->pyver->source : "pinned")
          : arena_printf(ctx->arena, "a socket_timeout of %s (line %u)", secs(ctx, s), line);
  Severity sev = in_test_code(ctx->src, ctx->opt) ? SEV_INFO : SEV_ERROR;
  Finding *f = rule_report(ctx, found, sev,
                           "`%s.listen()` waits for the next message as long as none comes, but the "
                           "client has %s: a quiet spell of %s raises TimeoutError and ends the "
                           "subscriber",
                           holder, whose, secs(ctx, s));
  finding_related(ctx, f, NULL, nstart(ctor), nend(ctor), "the client's construction");
  finding_fix(ctx, f, FIX_DISPLAY,
              "Subscribe on a client of its own with socket_timeout=None (and "
              "health_check_interval=30 to notice a dead connection), or poll with "
              "`get_message(timeout=%g)` in a loop",
              s > 1 ? s - 1 : s / 2);
}

static void check(RuleCtx *ctx) {
  MethodCalls listens = {0}; /* of the scope asked last: a function's pubsub()s share it */
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    check_call(ctx, model_call(ctx->model, i));
    check_pubsub(ctx, model_call(ctx->model, i), &listens);
  }
  method_calls_free(&listens);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/blocking-exceeds-socket-timeout.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_blocking_exceeds_socket_timeout = {
    .check_file = check,
};
