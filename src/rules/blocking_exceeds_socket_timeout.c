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

static void check(RuleCtx *ctx) {
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) check_call(ctx, model_call(ctx->model, i));
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/blocking-exceeds-socket-timeout.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_blocking_exceeds_socket_timeout = {
    .check_file = check,
};
