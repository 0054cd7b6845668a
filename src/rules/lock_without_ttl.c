/* RL501 lock-without-ttl: a Redis lock that never expires. If the process
 * holding it dies (crash, OOM kill, deploy, network partition) before it
 * deletes the key, nobody can take the lock again until someone deletes it
 * by hand.
 *
 * - setnx(K, v): SETNX has no expiry option; a following expire(K, n) does
 *   not help (a crash between the two commands leaves the lock forever);
 * - set(K, v, nx=True) without ex/px/exat/pxat;
 * - client.lock(name) / redis.lock.Lock(client, name) without timeout=.
 *
 * setnx / set-nx count as a lock when the key names one (lock, mutex,
 * leader, semaphore), or when the result is tested and the same key is
 * deleted in the file (a release) or given a TTL afterwards. A tested SETNX
 * on any other key is a "first caller wins" marker (sent-once flags,
 * idempotency records) whose missing TTL is not a lock problem. */
#include <string.h>

#include "rule_util.h"

static bool is_setnx(const CallSite *cs) { return !strcmp(cs->method, "setnx"); }

static bool is_set_nx(RuleCtx *ctx, const CallSite *cs) {
  if (strcmp(cs->method, "set")) return false;
  TSNode nx = call_kwarg(ctx->src, cs->args, "nx");
  return node_is(nx, SYM.true_) && !ttl_text(ctx, cs)[0];
}

/* The first expire/pexpire of the same key after the call, in its function. */
static const CallSite *later_expire(RuleCtx *ctx, size_t i) {
  const CallSite *cs = model_call(ctx->model, i);
  size_t lo, hi;
  func_calls(ctx->model, i, cs->func, &lo, &hi);
  if (cs->func < 0) hi = i + 1 < model_ncalls(ctx->model) ? i + 8 : i + 1; /* module level: nearby */
  if (hi > model_ncalls(ctx->model)) hi = model_ncalls(ctx->model);
  for (size_t j = i + 1; j < hi; j++) {
    const CallSite *e = model_call(ctx->model, j);
    if (e->func == cs->func && (!strcmp(e->method, "expire") || !strcmp(e->method, "pexpire")) &&
        calls_same_key(ctx, cs, e))
      return e;
  }
  return NULL;
}

/* A key template with some literal text ("lock:{}"), not just a hole. */
static bool key_literal(const KeyTpl *k) {
  return k->text && !k->opaque && strlen(k->text) > k->nholes;
}

/* A delete/unlink of the same key anywhere in the file: the lock's release. */
static bool released(RuleCtx *ctx, const CallSite *cs) {
  for (size_t j = 0; j < model_ncalls(ctx->model); j++) {
    const CallSite *d = model_call(ctx->model, j);
    if ((!strcmp(d->method, "delete") || !strcmp(d->method, "unlink")) &&
        (d->func == cs->func || (key_literal(&cs->key) && key_literal(&d->key))) &&
        calls_same_key(ctx, cs, d))
      return true;
  }
  return false;
}

/* The edit that deletes a separate expire statement, if it can go. */
static bool expire_line(RuleCtx *ctx, const CallSite *e, uint32_t *s, uint32_t *end) {
  if (!e || !result_unused(e) || call_has_splat(e->args) || ts_node_named_child_count(e->args) != 2)
    return false;
  TSNode block = ts_node_parent(e->stmt);
  uint32_t stmts = 0;
  for (uint32_t k = 0; k < ts_node_named_child_count(block); k++)
    stmts += !node_is(ts_node_named_child(block, k), SYM.comment);
  return stmts > 1 && statement_line_range(ctx->src, e->stmt, s, end);
}

static void fix_nx(RuleCtx *ctx, Finding *f, const CallSite *cs, const CallSite *exp) {
  bool px = exp && !strcmp(exp->method, "pexpire");
  TSNode ttl = exp ? call_arg(exp->args, 1) : (TSNode){0};
  const char *n = !ts_node_is_null(ttl) ? ctx_text(ctx, ttl)
                                        : arena_printf(ctx->arena, "%ld", ctx->opt->lock_ttl);
  const char *kw = arena_printf(ctx->arena, "%s=%s", px ? "px" : "ex", n);
  TSNode key = call_key_arg(ctx, cs), val = call_arg(cs->args, 1);
  if (ts_node_is_null(val)) val = call_kwarg(ctx->src, cs->args, "value");
  /* The expire must go with its line: one that shares its line with a
   * comment or other code stays, and so does the advice (as in RL202). */
  uint32_t s = 0, e = 0;
  bool edits = !call_has_splat(cs->args) && !ts_node_is_null(key) && !ts_node_is_null(val) &&
               (!exp || (!ts_node_is_null(ttl) && expire_line(ctx, exp, &s, &e)));
  const char *repl = is_setnx(cs) && edits
                         ? arena_printf(ctx->arena, "%s.set(%s, %s, nx=True, %s)", cs->recv_text,
                                        ctx_text(ctx, key), ctx_text(ctx, val), kw)
                         : NULL;
  finding_fix(ctx, f, edits ? FIX_UNSAFE : FIX_DISPLAY,
              "Take the lock and its expiry in one command: `%s.set(key, token, nx=True, %s)` "
              "(returns None instead of False when the lock is taken)%s",
              cs->recv_text, kw, exp ? ", and drop the separate expire" : "");
  if (!edits) return;
  if (repl) finding_edit(ctx, f, nstart(cs->node), nend(cs->node), repl);
  else fix_add_kwarg(ctx, f, cs, kw);
  if (exp) finding_edit(ctx, f, s, e, "");
}

static void check_nx(RuleCtx *ctx, size_t i, bool tests) {
  const CallSite *cs = model_call(ctx->model, i);
  if (cs->recv.kind != OBJ_CLIENT || (!is_setnx(cs) && !is_set_nx(ctx, cs))) return;
  const CallSite *exp = later_expire(ctx, i);
  bool lock = key_names_lock(ctx, cs);
  if (!lock && (result_unused(cs) || (!exp && !released(ctx, cs)))) return;
  const char *call = call_short(ctx, cs);
  Finding *f;
  if (exp)
    f = rule_report(ctx, cs->node, tests ? SEV_INFO : SEV_ERROR,
                    "`%s` takes a lock and %s() on line %u gives it a TTL in a second command: "
                    "if the process dies between the two, the lock `%s` never expires and "
                    "nobody can take it again",
                    call, exp->method, line_of(ctx->src, nstart(exp->node)),
                    call_key_display(ctx, cs));
  else
    f = rule_report(ctx, cs->node, tests ? SEV_INFO : SEV_ERROR,
                    "`%s` takes a lock with no expiry: if the holder dies before deleting `%s`, "
                    "the lock is held forever and every later caller is locked out",
                    call, call_key_display(ctx, cs));
  if (exp) finding_related(ctx, f, NULL, nstart(exp->node), nend(exp->node), "the separate expiry");
  fix_nx(ctx, f, cs, exp);
}

/* Reports a lock built without timeout; `timeout` is the argument (null if
 * absent), `call` the call node and `args` its argument list. */
/* `timeout=lock_timeout` where `lock_timeout` is a parameter of the
 * enclosing function that defaults to None (and is not assigned again):
 * unless a caller passes one, the lock never expires. */
static bool param_none(RuleCtx *ctx, TSNode id, int scope, uint32_t at) {
  if (!node_is(id, SYM.identifier)) return false;
  const char *name = ctx_text(ctx, id);
  Reaching rc = model_reaching(ctx->model, scope, name, strlen(name), at);
  return rc.found && rc.value && rc.param && node_is(rc.expr, SYM.none);
}

/* `options.pop("lock_timeout", None)`, `options.get("lock_timeout")`: None
 * unless the option is given. */
static bool option_or_none(RuleCtx *ctx, TSNode v) {
  if (!node_is(v, SYM.call)) return false;
  TSNode fn = ts_node_child_by_field_id(v, SYM.f_function);
  if (!node_is(fn, SYM.attribute)) return false;
  TSNode meth = ts_node_child_by_field_id(fn, SYM.f_attribute);
  bool get = node_text_eq(ctx->src, meth, "get"), pop = node_text_eq(ctx->src, meth, "pop");
  if (!get && !pop) return false;
  TSNode args = ts_node_child_by_field_id(v, SYM.f_arguments);
  if (!node_is(call_arg(args, 0), SYM.string) || call_has_splat(args)) return false;
  TSNode dflt = call_arg(args, 1);
  return ts_node_is_null(dflt) ? get && call_npositional(args) == 1 : node_is(dflt, SYM.none);
}

static bool defaults_to_none(RuleCtx *ctx, TSNode timeout) {
  int scope = model_scope_at(ctx->model, nstart(timeout));
  if (param_none(ctx, timeout, scope, nstart(timeout))) return true;
  /* `self.lock_timeout`, set once from such a parameter or option */
  int sc = scope;
  TSNode v = model_member_value(ctx->model, timeout, scope, &sc);
  if (ts_node_is_null(v)) return false;
  return param_none(ctx, v, sc, nstart(v)) || option_or_none(ctx, v);
}

static void report_lock(RuleCtx *ctx, TSNode call, TSNode args, TSNode timeout, const char *what,
                        bool tests, const CallSite *cs) {
  /* `return client.lock(key, timeout=timeout)`: a wrapper with redis-py's
     own signature hands the lock and the choice to its caller */
  TSNode up = ts_node_parent(call);
  while (node_is(up, SYM.await) || node_is(up, SYM.parenthesized_expression)) up = ts_node_parent(up);
  bool handed_out = node_is(up, SYM.return_statement);
  /* or a facade method named like the call (`def lock(self, name,
     timeout=None): return Wrapped(self._r.lock(name, timeout=timeout))`) */
  int fi = cs ? cs->func : -1;
  const Function *fn = fi >= 0 ? model_function(ctx->model, fi) : NULL;
  if (fn && fn->name && cs && !strcmp(fn->name, cs->method)) handed_out = true;
  /* a timeout from the object's settings (`self.lock_timeout`) is no
     choice the caller of a returned lock makes */
  bool member = node_is(timeout, SYM.attribute);
  if (!ts_node_is_null(timeout) && (!handed_out || member) && defaults_to_none(ctx, timeout)) {
    Finding *f = rule_report(ctx, call, tests ? SEV_INFO : SEV_WARNING,
                             "`%s` takes its timeout from `%s`, which defaults to None: unless "
                             "%s, the lock never expires, and if the "
                             "process holding it dies every later acquire() waits forever",
                             what, ctx_text(ctx, timeout),
                             member ? "it is configured" : "every caller passes one");
    finding_fix(ctx, f, FIX_DISPLAY,
                "Give `%s` a finite default (e.g. %ld seconds, longer than the work it protects)",
                ctx_text(ctx, timeout), ctx->opt->lock_ttl);
    return;
  }
  if (!ts_node_is_null(timeout) && !node_is(timeout, SYM.none)) return;
  if (ts_node_is_null(timeout) && call_has_splat(args)) return; /* **kwargs may carry it */
  long n = ctx->opt->lock_ttl;
  Finding *f = rule_report(ctx, call, tests ? SEV_INFO : SEV_ERROR,
                           "`%s` has no timeout: if the process holding the lock dies, it is "
                           "never released and every later acquire() waits forever",
                           what);
  finding_fix(ctx, f, FIX_UNSAFE,
              "Give the lock a timeout longer than the work it protects: `timeout=%ld` (seconds; "
              "extend() it for longer work)",
              n);
  const char *t = arena_printf(ctx->arena, "%ld", n);
  if (!ts_node_is_null(timeout)) {
    finding_edit(ctx, f, nstart(timeout), nend(timeout), t);
  } else if (cs) {
    fix_add_kwarg(ctx, f, cs, arena_printf(ctx->arena, "timeout=%s", t));
  } else {
    CallSite tmp = {.node = call, .args = args};
    fix_add_kwarg(ctx, f, &tmp, arena_printf(ctx->arena, "timeout=%s", t));
  }
}

static TSNode timeout_arg(RuleCtx *ctx, TSNode args, uint32_t pos) {
  TSNode t = call_kwarg(ctx->src, args, "timeout");
  return ts_node_is_null(t) ? call_arg(args, pos) : t;
}

typedef struct LockWalk {
  RuleCtx *ctx;
  bool tests;
} LockWalk;

/* redis.lock.Lock(client, name) / redis.asyncio.lock.Lock(client, name). */
/* `lock = Lock(r, key)` then only `lock.locked()`: nothing in the function
 * takes it (acquire, with, or hands it on by returning it). */
static bool only_inspected(RuleCtx *ctx, TSNode call) {
  TSNode a = ts_node_parent(call);
  if (!node_is(a, SYM.assignment)) return false;
  TSNode left = ts_node_child_by_field_id(a, SYM.f_left);
  if (!node_is(left, SYM.identifier)) return false;
  int fi = model_func_at(ctx->model, nstart(call));
  if (fi < 0) return false;
  TSNode fn = model_function(ctx->model, fi)->node;
  const char *name = ctx_text(ctx, left);
  const char *taken[] = {"%s.acquire(", "with %s", "return %s", "%s.extend(", "%s.do_acquire("};
  bool inspected = false;
  for (size_t k = 0; k < sizeof taken / sizeof *taken; k++) {
    const char *needle = arena_printf(ctx->arena, taken[k], name);
    size_t nl = strlen(needle);
    for (uint32_t at = nend(a); at + nl <= nend(fn); at++) {
      if (memcmp(ctx->src->text + at, needle, nl)) continue;
      char next = at + nl < ctx->src->len ? ctx->src->text[at + nl] : '\n';
      /* `return lock` hands it on; `return lock.locked()` does not */
      if (k == 2 && (next == '.' || next == '_' || (next >= 'a' && next <= 'z') ||
                     (next >= 'A' && next <= 'Z') || (next >= '0' && next <= '9')))
        continue;
      return false;
    }
  }
  const char *look = arena_printf(ctx->arena, "%s.locked(", name);
  size_t ll = strlen(look);
  for (uint32_t at = nend(a); at + ll <= nend(fn) && !inspected; at++)
    inspected = !memcmp(ctx->src->text + at, look, ll);
  return inspected;
}

static bool lock_class_visit(TSNode n, void *data) {
  LockWalk *w = data;
  if (!node_is(n, SYM.call)) return true;
  RuleCtx *ctx = w->ctx;
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  TSNode last = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
  if (!node_is(last, SYM.identifier) || !node_text_eq(ctx->src, last, "Lock")) return true;
  const char *qn = model_qualname(ctx->model, fn, model_scope_at(ctx->model, nstart(n)));
  if (!qn || (strcmp(qn, "redis.lock.Lock") && strcmp(qn, "redis.asyncio.lock.Lock"))) return true;
  TSNode args = ts_node_child_by_field_id(n, SYM.f_arguments);
  TSNode client = call_arg(args, 0);
  if (ts_node_is_null(client)) client = call_kwarg(ctx->src, args, "redis");
  if (ts_node_is_null(client) || model_eval(ctx->model, client).kind != OBJ_CLIENT) return true;
  /* `Lock(r, name).locked()`: built only to look at the lock, never taken */
  TSNode up = ts_node_parent(n);
  if (node_is(up, SYM.attribute)) {
    TSNode attr = ts_node_child_by_field_id(up, SYM.f_attribute);
    if (node_text_eq(ctx->src, attr, "locked") || node_text_eq(ctx->src, attr, "owned")) return true;
  }
  if (only_inspected(ctx, n)) return true;
  const char *what = node_text_squeezed(ctx->arena, ctx->src, n);
  if (strlen(what) > 60) what = arena_printf(ctx->arena, "%s(...)", ctx_text(ctx, fn));
  report_lock(ctx, n, args, timeout_arg(ctx, args, 2), what, w->tests, NULL);
  return true;
}

static void check(RuleCtx *ctx) {
  bool tests = in_test_code(ctx->src, ctx->opt);
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (cs->cmd && !strcmp(cs->method, "lock") && cs->recv.kind == OBJ_CLIENT)
      report_lock(ctx, cs->node, cs->args, timeout_arg(ctx, cs->args, 1), call_short(ctx, cs),
                  tests, cs);
    else
      check_nx(ctx, i, tests);
  }
  if (model_imports(ctx->model, "redis")) {
    LockWalk w = {ctx, tests};
    node_walk(model_root(ctx->model), lock_class_visit, &w);
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/lock-without-ttl.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_lock_without_ttl = {
    .check_file = check,
};
