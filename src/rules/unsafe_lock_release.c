/* RL502 unsafe-lock-release: a Redis lock released in a way that can delete
 * a lock somebody else holds now.
 *
 * - check-then-delete: `if r.get(K) == token: r.delete(K)` (or `!=` then an
 *   early return, then delete). GET and DEL are two commands: the lock can
 *   expire between them and be taken by another process, whose lock the DEL
 *   then removes;
 * - a lock taken with a constant value (`set(K, 1, nx=True, ex=...)`,
 *   `setnx(K, "locked")`) and released with a plain `delete(K)`: there is no
 *   owner token, so a process whose lock expired deletes its successor's;
 * - `getdel(K)` on a lock key, then a comparison with a token: the key is
 *   gone before the check, whoever owned it.
 *
 * Not reported: compare-and-delete in Lua (eval / register_script), redis-py
 * Lock.release(), WATCH/MULTI (a transaction fails if the key changed), a
 * lock whose value is a unique token released with compare-and-delete. */
#include <stdlib.h>
#include <string.h>

#include "rule_util.h"

static bool is_delete(const CallSite *cs) {
  return !strcmp(cs->method, "delete") || !strcmp(cs->method, "unlink");
}

static void release_fix(RuleCtx *ctx, Finding *f) {
  finding_fix(ctx, f, FIX_DISPLAY,
              "Release with a compare-and-delete Lua script (`if redis.call('get', KEYS[1]) == "
              "ARGV[1] then return redis.call('del', KEYS[1]) end return 0`) and a unique token "
              "per acquire, or use redis-py's `r.lock(name, timeout=...)`");
}

/* `name = ...r.get(K)...`: the assigned name, or NULL. */
static const char *read_name(RuleCtx *ctx, const CallSite *g) {
  if (!node_is(g->stmt, SYM.expression_statement)) return NULL;
  TSNode a = ts_node_named_child(g->stmt, 0);
  if (!node_is(a, SYM.assignment)) return NULL;
  TSNode left = ts_node_child_by_field_id(a, SYM.f_left);
  TSNode right = ts_node_child_by_field_id(a, SYM.f_right);
  if (!node_is(left, SYM.identifier) || nstart(g->node) < nstart(right)) return NULL;
  return ctx_text(ctx, left);
}

static bool inside(TSNode inner, TSNode outer) {
  return !ts_node_is_null(outer) && nstart(inner) >= nstart(outer) && nend(inner) <= nend(outer);
}

typedef struct Cmp {
  RuleCtx *ctx;
  TSNode read;       /* the read call (may sit in the comparison) */
  const char *name;  /* or the name it was assigned to */
  TSNode found;      /* the comparison */
} Cmp;

/* `X == tok` / `X != tok` where X is the read or its name, tok not None. */
static bool cmp_visit(TSNode n, void *data) {
  Cmp *c = data;
  if (!ts_node_is_null(c->found)) return false;
  if (!node_is(n, SYM.comparison_operator)) return true;
  bool eq = false, uses = false, none = false;
  for (uint32_t i = 0; i < ts_node_child_count(n); i++) {
    TSNode ch = ts_node_child(n, i);
    if (!ts_node_is_named(ch)) {
      eq |= node_text_eq(c->ctx->src, ch, "==") || node_text_eq(c->ctx->src, ch, "!=");
      continue;
    }
    none |= node_is(ch, SYM.none);
    uses |= inside(c->read, ch) ||
            (c->name && expr_mentions_any(c->ctx, ch, (const char *const[]){c->name}, 1));
  }
  if (eq && uses && !none) c->found = n;
  return true;
}

static TSNode comparison_in(RuleCtx *ctx, TSNode expr, const CallSite *g, const char *name) {
  Cmp c = {.ctx = ctx, .read = g->node, .name = name};
  node_walk(expr, cmp_visit, &c);
  return c.found;
}

typedef struct Guard {
  RuleCtx *ctx;
  const CallSite *g, *d;
  const char *name;
  TSNode found;
} Guard;

/* An if whose condition compares the read, holding the delete or leaving
 * early before it. */
static bool guard_visit(TSNode n, void *data) {
  Guard *gd = data;
  if (!ts_node_is_null(gd->found) || nstart(n) >= nstart(gd->d->node)) return false;
  if (!node_is(n, SYM.if_statement) || nend(n) < nstart(gd->g->node)) return true;
  TSNode cond = ts_node_child_by_field_id(n, SYM.f_condition);
  TSNode cmp = comparison_in(gd->ctx, cond, gd->g, gd->name);
  if (ts_node_is_null(cmp)) return true;
  TSNode then = ts_node_child_by_field_id(n, SYM.f_consequence);
  bool holds = inside(gd->d->node, n) && !inside(gd->d->node, cond);
  bool exits = nend(n) <= nstart(gd->d->node) && block_exits(then);
  /* which way the comparison goes where the delete runs: a release deletes
     when the value is the owner's token (`== token` then delete, `!= token`
     then leave); deleting on a mismatch (`if code == stored: ... else:
     delete(k)`) invalidates a one-time code, it releases nothing */
  bool eq = false, ne = false;
  for (uint32_t i = 0; i < ts_node_child_count(cmp); i++) {
    TSNode c = ts_node_child(cmp, i);
    if (ts_node_is_named(c)) continue;
    eq |= node_text_eq(gd->ctx->src, c, "==");
    ne |= node_text_eq(gd->ctx->src, c, "!=");
  }
  bool negated = node_is(cond, SYM.not_operator);
  if (eq != ne && !negated) { /* one plain comparison: its polarity is known */
    bool in_then = inside(gd->d->node, then);
    bool deletes_on_match = holds ? (in_then == eq) : ne; /* exits: the if left on a mismatch */
    if (!deletes_on_match) return true;
  }
  if (holds || exits) gd->found = n;
  return true;
}

/* A key template with some literal text ("lock:{}"), not just a hole. */
static bool key_literal(const KeyTpl *k) {
  return k->text && !k->opaque && strlen(k->text) > k->nholes;
}

/* The NX acquires of the file whose key template has literal text, sorted
 * by it: a release in another function is matched by template. */
typedef struct Acq {
  const char *key;
  size_t call;
  int func, cls;    /* where it is */
  bool constant;    /* it writes a constant (constant_value) */
  bool expiry;      /* with ex= or px= */
} Acq;

static int acq_cmp(const void *a, const void *b) {
  int c = strcmp(((const Acq *)a)->key, ((const Acq *)b)->key);
  if (c) return c;
  return ((const Acq *)a)->call < ((const Acq *)b)->call ? -1 : 1;
}

/* Is d's key a lock: named for one, or taken with NX somewhere in the file
 * (same key template)? A one-time code consumed when it matches (`if
 * stored != code: return error`, then `delete(k)`) has the shape of a
 * release, and releases nothing. */
/* The first acquire with key template `key` (nacq when none). */
static size_t first_acq(const Acq *acq, size_t nacq, const char *key) {
  size_t lo = 0, hi = nacq;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(acq[mid].key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static bool lock_key(RuleCtx *ctx, const CallSite *d, const Acq *acq, size_t nacq) {
  if (key_names_lock(ctx, d) || (d->key.text && text_names_lock(d->key.text))) return true;
  if (!key_literal(&d->key)) return false;
  size_t lo = first_acq(acq, nacq, d->key.text);
  return lo < nacq && !strcmp(acq[lo].key, d->key.text);
}

/* check-then-delete: a get(K) compared in an if that guards delete(K). */
static bool check_then_delete(RuleCtx *ctx, size_t di, bool tests, const Acq *acq, size_t nacq) {
  const CallSite *d = model_call(ctx->model, di);
  const Function *fn = model_function(ctx->model, d->func);
  if (!fn || !lock_key(ctx, d, acq, nacq)) return false;
  size_t lo, hi;
  func_calls(ctx->model, di, d->func, &lo, &hi);
  for (size_t gi = di; gi-- > lo;) {
    const CallSite *g = model_call(ctx->model, gi);
    if (g->func != d->func || strcmp(g->method, "get") || g->recv.kind != OBJ_CLIENT ||
        !calls_same_key(ctx, g, d))
      continue;
    Guard gd = {.ctx = ctx, .g = g, .d = d, .name = read_name(ctx, g)};
    node_walk(ts_node_child_by_field_id(fn->node, SYM.f_body), guard_visit, &gd);
    if (ts_node_is_null(gd.found)) continue;
    if (func_atomic_guarded(ctx, di)) return false;
    Finding *f = rule_report(ctx, d->node, tests ? SEV_INFO : SEV_ERROR,
                             "`%s` releases `%s` after checking its value with get() on line "
                             "%u in a separate command: the lock can expire and be taken by "
                             "another process in between, and this delete then removes that "
                             "process's lock",
                             call_short(ctx, d), call_key_display(ctx, d),
                             line_of(ctx->src, nstart(g->node)));
    finding_related(ctx, f, NULL, nstart(g->node), nend(g->node), "the check");
    release_fix(ctx, f);
    return true;
  }
  return false;
}

/* setnx(K, v) / set(K, v, nx=True) on a client. */
static bool nx_acquire(RuleCtx *ctx, const CallSite *a) {
  return a->recv.kind == OBJ_CLIENT && !expected_to_raise(ctx->src, a->node) &&
         (!strcmp(a->method, "setnx") ||
          (!strcmp(a->method, "set") && node_is(call_kwarg(ctx->src, a->args, "nx"), SYM.true_)));
}

/* The value an NX acquire writes, when it is a constant (literal). */
static TSNode constant_value(RuleCtx *ctx, const CallSite *a) {
  TSNode none = {0};
  TSNode v = call_arg(a->args, 1);
  if (ts_node_is_null(v)) v = call_kwarg(ctx->src, a->args, "value");
  int scope = a->scope;
  TSNode r = model_resolve(ctx->model, v, &scope);
  if (node_is(r, SYM.integer) || node_is(r, SYM.true_) || node_is(r, SYM.float_)) return v;
  if (node_is(r, SYM.string)) { /* a plain literal, not an f-string with holes */
    for (uint32_t i = 0; i < ts_node_named_child_count(r); i++)
      if (node_is(ts_node_named_child(r, i), SYM.interpolation)) return none;
    return v;
  }
  return none;
}


/* Reports `d` as the plain release of acquire `a`, when it is one: `a` took
 * the lock with a constant value, or with a token in d's own function or in
 * another method of d's class (acquire() / release()). */
/* Does the delete undo a marker rather than release a lock: in an `except`
 * handler or an `if not ...:` branch of its function (the work failed: "let
 * the next attempt retry")? */
static bool rollback(RuleCtx *ctx, const CallSite *d) {
  const Function *fn = d->func >= 0 ? model_function(ctx->model, d->func) : NULL;
  TSNode prev = d->node;
  for (TSNode p = ts_node_parent(d->node); !ts_node_is_null(p) && !(fn && ts_node_eq(p, fn->node));
       p = ts_node_parent(p)) {
    if (node_is(p, SYM.finally_clause)) return false;
    if (node_is(p, SYM.except_clause)) return true;
    if (node_is(p, SYM.if_statement) &&
        ts_node_eq(prev, ts_node_child_by_field_id(p, SYM.f_consequence)) &&
        node_is(ts_node_child_by_field_id(p, SYM.f_condition), SYM.not_operator))
      return true;
    prev = p;
  }
  return false;
}

/* Is a constant-value NX key a lock: named for one (key or value:
 * "lock:{}", "locked"), or released in a `finally:`, or else not rolled
 * back on a failure path (an `except` handler, `if not ...:`) and not named
 * for a marker (cooldown, debounce, queued, emitted...)? A dedupe or
 * cooldown marker holds nobody out of shared work: deleting a newer one
 * only allows a retry. */
static bool const_lock(RuleCtx *ctx, const CallSite *d, const CallSite *a, TSNode v) {
  if ((d->key.text && text_names_lock(d->key.text)) || text_names_lock(ctx_text(ctx, v)) ||
      text_names_lock(ctx_text(ctx, call_arg(d->args, 0))))
    return true;
  for (TSNode p = ts_node_parent(d->node); !ts_node_is_null(p); p = ts_node_parent(p))
    if (node_is(p, SYM.finally_clause)) return true;
  if (rollback(ctx, d)) return false;
  /* a key named for a marker that only spaces out or dedupes work */
  static const char *const MARKERS[] = {"cooldown", "debounce", "throttle", "queued", "emitted",
                                        "dedup", "idempot", "notified", "sent", "replay", NULL};
  const char *k = d->key.text ? d->key.text : ctx_text(ctx, call_arg(d->args, 0));
  (void)a;
  return !find_word(k, MARKERS) && !find_word(ctx_text(ctx, call_arg(d->args, 0)), MARKERS);
}

static bool report_plain(RuleCtx *ctx, const CallSite *d, const CallSite *a, bool tests) {
  TSNode v = constant_value(ctx, a);
  Finding *f;
  if (!ts_node_is_null(v) && !const_lock(ctx, d, a, v)) return false;
  if (!ts_node_is_null(v))
    f = rule_report(ctx, d->node, tests ? SEV_INFO : SEV_ERROR,
                    "`%s` releases a lock taken with the constant value `%s` (line %u): with no "
                    "owner token, a process whose lock expired deletes the lock another "
                    "process holds now",
                    call_short(ctx, d), ctx_text(ctx, v), line_of(ctx->src, nstart(a->node)));
  else if (a->func == d->func && a->func >= 0 && nstart(a->node) < nstart(d->node))
    f = rule_report(ctx, d->node, tests ? SEV_INFO : SEV_ERROR,
                    "`%s` releases the lock taken on line %u without checking its token: if "
                    "the lock expired and another process took it, this deletes that "
                    "process's lock",
                    call_short(ctx, d), line_of(ctx->src, nstart(a->node)));
  else if (a->cls >= 0 && a->cls == d->cls && a->func >= 0 && a->func != d->func)
    /* acquire() and release() of one class: the value written is never
       checked before the DEL, whatever it is */
    f = rule_report(ctx, d->node, tests ? SEV_INFO : SEV_ERROR,
                    "`%s` releases the lock that `%s()` takes (line %u) without checking its "
                    "value: if the lock expired and another process took it, this deletes that "
                    "process's lock",
                    call_short(ctx, d), model_function(ctx->model, a->func)->name,
                    line_of(ctx->src, nstart(a->node)));
  else
    return false;
  finding_related(ctx, f, NULL, nstart(a->node), nend(a->node), "the acquire");
  release_fix(ctx, f);
  return true;
}

/* "\x02<class> self.<attr>": the Acq key of an NX acquire or a delete whose
 * key is an attribute of self (its template unknown: the constructor's
 * parameter), in a method of class cls; NULL for any other. */
static const char *self_key(RuleCtx *ctx, const CallSite *c) {
  const Function *f = model_function(ctx->model, c->func);
  TSNode k = call_arg(c->args, 0);
  if (!f || !f->self_name || c->cls < 0 || !node_is(k, SYM.attribute) ||
      !node_text_eq(ctx->src, ts_node_child_by_field_id(k, SYM.f_object), f->self_name))
    return NULL;
  return arena_printf(ctx->arena, "\x02%d %s", c->cls, ctx_text(ctx, k));
}

/* `r.delete(self.key)` in release() of a class whose acquire() takes
 * `r.set(self.key, token, nx=True, ex=...)`: one attribute of self names the
 * key both times. With an expiry only: a marker set once may not expire. */
static void self_key_release(RuleCtx *ctx, const CallSite *d, const Acq *acq, size_t nacq, bool tests) {
  const char *key = self_key(ctx, d);
  if (!key) return;
  for (size_t lo = first_acq(acq, nacq, key); lo < nacq && !strcmp(acq[lo].key, key); lo++)
    if (acq[lo].func != d->func && acq[lo].expiry &&
        report_plain(ctx, d, model_call(ctx->model, acq[lo].call), tests))
      return;
}

/* A delete of a key an NX acquire set: in the same function (same key), or
 * anywhere in the file to a constant (same key template). */
static void plain_release(RuleCtx *ctx, size_t di, const Acq *acq, size_t nacq, bool tests) {
  const CallSite *d = model_call(ctx->model, di);
  if (d->func >= 0) {
    size_t lo, hi;
    func_calls(ctx->model, di, d->func, &lo, &hi);
    for (size_t j = lo; j < hi; j++) {
      const CallSite *a = model_call(ctx->model, j);
      /* a DEL before the acquire (outside a loop) is a clean start, no release */
      if (a->func == d->func && (nstart(a->node) < nstart(d->node) || a->loop >= 0) &&
          nx_acquire(ctx, a) && calls_same_key(ctx, a, d) && report_plain(ctx, d, a, tests))
        return;
    }
  }
  if (!key_literal(&d->key)) {
    self_key_release(ctx, d, acq, nacq, tests);
    return;
  }
  bool named = text_names_lock(d->key.text);
  for (size_t lo = first_acq(acq, nacq, d->key.text); lo < nacq && !strcmp(acq[lo].key, d->key.text); lo++) {
    /* across functions, the acquire must look like a lock: a key named for
     * one, or NX with an expiry (a test's SET NX of "a" and another test's
     * DEL of "a" are no lock and release); and report_plain takes only a
     * constant value or a method of d's class (checked here from what was
     * worked out once per acquire, so many deletes of one key stay cheap) */
    const Acq *q = &acq[lo];
    if (q->func == d->func || !(named || q->expiry) || !(q->constant || (q->cls >= 0 && q->cls == d->cls)))
      continue;
    if (report_plain(ctx, d, model_call(ctx->model, q->call), tests)) return;
  }
}

/* getdel(K) on a lock key, its value then compared with a token. */
static void getdel_compare(RuleCtx *ctx, size_t gi, bool tests) {
  const CallSite *g = model_call(ctx->model, gi);
  const Function *fn = model_function(ctx->model, g->func);
  if (!fn || !key_names_lock(ctx, g)) return;
  const char *name = read_name(ctx, g);
  TSNode body = ts_node_child_by_field_id(fn->node, SYM.f_body);
  TSNode cmp = comparison_in(ctx, body, g, name);
  if (ts_node_is_null(cmp) || nend(cmp) < nstart(g->node)) return;
  Finding *f = rule_report(ctx, g->node, tests ? SEV_INFO : SEV_ERROR,
                           "`%s` deletes the lock `%s` before comparing its value with the "
                           "token (line %u): when the lock expired and another process took "
                           "it, that process's lock is already gone",
                           call_short(ctx, g), call_key_display(ctx, g),
                           line_of(ctx->src, nstart(cmp)));
  finding_related(ctx, f, NULL, nstart(cmp), nend(cmp), "the comparison");
  release_fix(ctx, f);
}

static void check(RuleCtx *ctx) {
  bool tests = in_test_code(ctx->src, ctx->opt);
  size_t n = model_ncalls(ctx->model), nacq = 0;
  Acq *acq = arena_alloc(ctx->arena, (n ? n : 1) * sizeof *acq);
  for (size_t i = 0; i < n; i++) {
    const CallSite *a = model_call(ctx->model, i);
    if (!nx_acquire(ctx, a)) continue;
    /* by key template; a key that is an attribute of self by class and text */
    const char *key = key_literal(&a->key) ? a->key.text : self_key(ctx, a);
    if (key)
      acq[nacq++] = (Acq){key, i, a->func, a->cls, !ts_node_is_null(constant_value(ctx, a)),
                          !ts_node_is_null(call_kwarg(ctx->src, a->args, "ex")) ||
                              !ts_node_is_null(call_kwarg(ctx->src, a->args, "px"))};
  }
  qsort(acq, nacq, sizeof *acq, acq_cmp);
  for (size_t i = 0; i < n; i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (cs->recv.kind != OBJ_CLIENT) continue;
    if (!strcmp(cs->method, "getdel")) getdel_compare(ctx, i, tests);
    else if (is_delete(cs) && call_npositional(cs->args) == 1 && !check_then_delete(ctx, i, tests, acq, nacq))
      plain_release(ctx, i, acq, nacq, tests);
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/unsafe-lock-release.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_unsafe_lock_release = {
    .check_file = check,
};
