/* RL304 read-modify-write: a key read, then written with a value computed
 * from what was read (or a check-then-act on it), as two commands. Two
 * clients running this at once both read the old value: one update is lost,
 * or both pass a limit check. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "rule_util.h"

static const char *const READS[] = {"get", "hget", NULL};
static const char *const CHECKS[] = {"exists", "hexists", "sismember", NULL};
static const char *const SETS[] = {"set", "setex", "psetex", "hset", "hsetnx", "sadd", NULL};
static const char *const INCRS[] = {"incr", "incrby", "decr", "decrby", "hincrby",
                                    "incrbyfloat", "hincrbyfloat", NULL};
/* Commands that make a read and a write atomic, or show the code knows. */
static const char *const GUARDS[] = {"watch", "multi", "transaction", "lock", NULL};

#define MAX_TAINT 32

/* A command on a part of the key: a hash field, or a set member (SISMEMBER,
 * SADD of one member): the second argument names it. */
static bool is_hash(const CallSite *cs) {
  return cs->method[0] == 'h' || !strcmp(cs->method, "sismember") || !strcmp(cs->method, "sadd");
}
static bool is_set(const CallSite *cs) {
  return !strcmp(cs->method, "sismember") || !strcmp(cs->method, "sadd");
}

static TSNode field_arg(RuleCtx *ctx, const CallSite *cs) {
  TSNode k = call_arg(cs->args, 1);
  if (ts_node_is_null(k)) k = call_kwarg(ctx->src, cs->args, "key");
  return ts_node_is_null(k) ? call_kwarg(ctx->src, cs->args, "amount") : k;
}

/* Same key (and the same field for hash commands). */
static bool same_target(RuleCtx *ctx, const CallSite *r, const CallSite *w) {
  if (!calls_same_key(ctx, r, w) || is_hash(r) != is_hash(w) || is_set(r) != is_set(w)) return false;
  if (is_set(w) && ts_node_named_child_count(w->args) != 2) return false; /* one member */
  if (!is_hash(r)) return true;
  TSNode rf = call_arg(r->args, 1), wf = call_arg(w->args, 1);
  if (ts_node_is_null(rf)) rf = call_kwarg(ctx->src, r->args, "key");
  if (ts_node_is_null(wf)) wf = call_kwarg(ctx->src, w->args, "key");
  return same_expr_text(ctx, rf, wf);
}

bool value_made_before(RuleCtx *ctx, const CallSite *w, const CallSite *r) {
  TSNode v = written_value(ctx, w);
  if (!node_is(v, SYM.identifier)) return false;
  const char *nm = ctx_text(ctx, v);
  Reaching rc = model_reaching(ctx->model, w->scope, nm, strlen(nm), nstart(w->node));
  return rc.found && rc.value &&
         (rc.param || (!ts_node_is_null(rc.expr) && nend(rc.expr) <= nstart(r->node)));
}

/* `if not r.get(K):` (maybe awaited, inside `and`/`or`): the read is only a
 * presence test, its value is not kept. */
static bool tested_in_place(const CallSite *r) {
  TSNode n = r->node, p = ts_node_parent(n);
  while (node_is(p, SYM.not_operator) || node_is(p, SYM.parenthesized_expression) ||
         node_is(p, SYM.boolean_operator) || node_is(p, SYM.await)) {
    n = p;
    p = ts_node_parent(p);
  }
  return node_is(p, SYM.if_statement) && ts_node_eq(ts_node_child_by_field_id(p, SYM.f_condition), n);
}

/* The value a SET-family call writes. */
TSNode written_value(RuleCtx *ctx, const CallSite *w) {
  uint32_t pos = !strcmp(w->method, "set") ? 1 : is_hash(w) ? 2 : 2; /* setex(name, time, value) */
  TSNode v = call_arg(w->args, pos);
  if (ts_node_is_null(v)) v = call_kwarg(ctx->src, w->args, "value");
  if (ts_node_is_null(v) && is_hash(w)) v = call_kwarg(ctx->src, w->args, "mapping");
  return v;
}

/* `v = ...r.get(K)...`: the assigned name, or a null node. */
static TSNode read_target(const CallSite *r) {
  TSNode none = {0};
  if (!node_is(r->stmt, SYM.expression_statement)) return none;
  TSNode a = ts_node_named_child(r->stmt, 0);
  if (!node_is(a, SYM.assignment)) return none;
  TSNode left = ts_node_child_by_field_id(a, SYM.f_left);
  TSNode right = ts_node_child_by_field_id(a, SYM.f_right);
  if (!node_is(left, SYM.identifier) || nstart(r->node) < nstart(right)) return none;
  return left;
}

typedef struct Taint {
  RuleCtx *ctx;
  const char *names[MAX_TAINT];
  size_t n;
  uint32_t from, to; /* assignments in this byte range propagate */
  bool grew;
} Taint;

static bool taint_has(const Taint *t, const char *s) {
  for (size_t i = 0; i < t->n; i++)
    if (!strcmp(t->names[i], s)) return true;
  return false;
}

static void taint_add(Taint *t, const char *s) {
  if (t->n < MAX_TAINT && !taint_has(t, s)) {
    t->names[t->n++] = s;
    t->grew = true;
  }
}

/* The name an assignment target writes: `x`, `data["k"]` -> data, `o.a` -> o. */
static TSNode target_root(TSNode left) {
  while (node_is(left, SYM.subscript) || node_is(left, SYM.attribute))
    left = ts_node_named_child(left, 0);
  return left;
}

static bool taint_visit(TSNode n, void *data) {
  Taint *t = data;
  if (nstart(n) >= t->to) return false;
  if ((!node_is(n, SYM.assignment) && !node_is(n, SYM.augmented_assignment)) ||
      nstart(n) < t->from)
    return true;
  TSNode left = ts_node_child_by_field_id(n, SYM.f_left);
  TSNode right = ts_node_child_by_field_id(n, SYM.f_right);
  if (!expr_mentions_any(t->ctx, right, t->names, t->n)) return true;
  if (node_is(left, SYM.pattern_list) || node_is(left, SYM.tuple_pattern)) {
    for (uint32_t i = 0; i < ts_node_named_child_count(left); i++) {
      TSNode r = target_root(ts_node_named_child(left, i));
      if (node_is(r, SYM.identifier)) taint_add(t, ctx_text(t->ctx, r));
    }
  } else {
    TSNode r = target_root(left);
    if (node_is(r, SYM.identifier)) taint_add(t, ctx_text(t->ctx, r));
  }
  return true;
}

typedef struct Last {
  RuleCtx *ctx;
  const char *name;
  uint32_t from, to;
  TSNode right; /* right side of the last plain `name = ...` in range */
} Last;

static bool last_visit(TSNode n, void *data) {
  Last *l = data;
  if (nstart(n) >= l->to) return false;
  if (!node_is(n, SYM.assignment) || nstart(n) < l->from) return true;
  TSNode left = ts_node_child_by_field_id(n, SYM.f_left);
  if (node_is(left, SYM.identifier) && node_text_eq(l->ctx->src, left, l->name))
    l->right = ts_node_child_by_field_id(n, SYM.f_right);
  return true;
}

typedef struct Fill {
  RuleCtx *ctx;
  const Taint *t;
  const char *name;
  uint32_t from, to;
  bool yes;
} Fill;

/* `name[k] = <from the read>` in range: a container filled from the read. */
static bool fill_visit(TSNode n, void *data) {
  Fill *f = data;
  if (f->yes || nstart(n) >= f->to) return false;
  if (!node_is(n, SYM.assignment) || nstart(n) < f->from) return true;
  TSNode left = ts_node_child_by_field_id(n, SYM.f_left);
  if (!node_is(left, SYM.subscript)) return true;
  TSNode root = ts_node_child_by_field_id(left, SYM.f_value);
  f->yes = node_is(root, SYM.identifier) && node_text_eq(f->ctx->src, root, f->name) &&
           expr_mentions_any(f->ctx, ts_node_child_by_field_id(n, SYM.f_right), f->t->names, f->t->n);
  return !f->yes;
}

/* Does `value` still carry the read? A tainted name whose last assignment
 * before the write is from something else (`v = compute()` after a miss)
 * does not, unless it is then filled from the read (`updates = {}` then
 * `updates[f] = convert(data[f])`). */
/* `value` evaluated at `at`: its tainted names are followed to their last
 * assignment before `at`, and from there on (`payload = json.dumps(result)`
 * carries the read only if that `result` still does: not after `result =
 * func()` on a miss). */
static bool carries_at(RuleCtx *ctx, TSNode value, uint32_t at, const Taint *t, TSNode body,
                       int depth) {
  for (size_t i = 0; i < t->n; i++) {
    const char *one[1] = {t->names[i]};
    if (!expr_mentions_any(ctx, value, one, 1)) continue;
    Last l = {.ctx = ctx, .name = t->names[i], .from = t->from, .to = at};
    range_walk(body, l.from, l.to, last_visit, &l);
    if (ts_node_is_null(l.right)) return true; /* the read's own target */
    if (expr_mentions_any(ctx, l.right, t->names, t->n) &&
        (depth >= 4 || carries_at(ctx, l.right, nstart(l.right), t, body, depth + 1)))
      return true;
    Fill f = {.ctx = ctx, .t = t, .name = t->names[i], .from = nend(l.right), .to = at};
    range_walk(body, f.from, f.to, fill_visit, &f);
    if (f.yes) return true;
  }
  return false;
}

static bool carries(RuleCtx *ctx, TSNode value, const Taint *t, TSNode body) {
  return carries_at(ctx, value, t->to, t, body, 0);
}

/* Names whose value comes from `v` between the read and the write. */
static void taint_spread(Taint *t, TSNode func_body) {
  for (int pass = 0; pass < 4; pass++) {
    t->grew = false;
    range_walk(func_body, t->from, t->to, taint_visit, t);
    if (!t->grew) break;
  }
}

typedef struct Guard {
  Taint *t;
  TSNode read;    /* the read call itself may sit in the condition */
  TSNode write;
  uint32_t after; /* only ifs that start after the read statement... */
  TSNode found;
  bool exits; /* found as an early exit (`if ...: return`) before the write */
  bool in_else; /* the write is in an else/elif branch of the if */
} Guard;

static bool cond_uses(Guard *g, TSNode cond) {
  if (ts_node_is_null(cond)) return false;
  if (nstart(g->read) >= nstart(cond) && nend(g->read) <= nend(cond)) return true;
  return expr_mentions_any(g->t->ctx, cond, g->t->names, g->t->n) != NULL;
}

static bool inside(TSNode inner, TSNode outer) {
  return nstart(inner) >= nstart(outer) && nend(inner) <= nend(outer);
}

static bool guard_visit(TSNode n, void *data) {
  Guard *g = data;
  if (!ts_node_is_null(g->found) || nstart(n) >= nstart(g->write)) return false;
  if (!node_is(n, SYM.if_statement) || nend(n) < g->after) return true;
  TSNode cond = ts_node_child_by_field_id(n, SYM.f_condition);
  if (!cond_uses(g, cond)) return true;
  if (inside(g->write, n) && !inside(g->write, cond)) {
    g->found = n;
    g->in_else = !inside(g->write, ts_node_child_by_field_id(n, SYM.f_consequence));
  } else if (nend(n) <= nstart(g->write) &&
             block_exits(ts_node_child_by_field_id(n, SYM.f_consequence))) {
    g->found = n;
    g->exits = true;
  }
  return true;
}

static bool in_lock(RuleCtx *ctx, TSNode n, TSNode func) {
  for (TSNode p = ts_node_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, func);
       p = ts_node_parent(p)) {
    if (!node_is(p, SYM.with_statement)) continue;
    TSNode body = ts_node_child_by_field_id(p, SYM.f_body);
    uint32_t end = ts_node_is_null(body) ? nend(p) : nstart(body);
    const char *t = ctx->src->text + nstart(p);
    for (uint32_t i = 0; i + 4 <= end - nstart(p); i++)
      if (!strncasecmp(t + i, "lock", 4)) return true;
  }
  return false;
}

/* Does the function take a lock or use WATCH/MULTI/transaction()? */
static bool func_guarded(RuleCtx *ctx, int func, TSNode fnode, size_t lo, size_t hi) {
  for (size_t i = lo; i < hi; i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (cs->func != func || !call_method_in(cs, GUARDS)) continue;
    /* WATCH guards only on the pipeline that runs the transaction: redis-py's
       Redis.watch() sends nothing (a DeprecationWarning) */
    if (!strcmp(cs->method, "watch") && cs->recv.kind == OBJ_CLIENT) continue;
    return true;
  }
  const char *t = ctx->src->text + nstart(fnode);
  size_t len = nend(fnode) - nstart(fnode);
  for (size_t i = 0; i + 9 <= len; i++)
    if (!strncmp(t + i, ".acquire(", 9) || !strncmp(t + i, ".lock(", 6)) return true;
  return false;
}

/* The numeric type the last `name = ...` in [from, to) gives: int(...) or
 * float(...). False when it is anything else (bytes from a GET, a str). */
static bool number_assigned(RuleCtx *ctx, TSNode body, const char *name, uint32_t from,
                            uint32_t to, bool *flt) {
  Last l = {.ctx = ctx, .name = name, .from = from, .to = to};
  node_walk(body, last_visit, &l);
  if (!node_is(l.right, SYM.call)) return false;
  TSNode fn = ts_node_child_by_field_id(l.right, SYM.f_function);
  *flt = node_text_eq(ctx->src, fn, "float");
  return *flt || node_text_eq(ctx->src, fn, "int");
}

/* `int(v) + N`, `int(v or 0) - N`, `float(v) + N`, `v + N` where `v =
 * int(...)` or `float(...)` since the read: the increment. A bare `v` of
 * unknown type may be a str (`title + suffix` is no increment). A float
 * amount makes the increment a float one. */
static bool increment_of(RuleCtx *ctx, TSNode value, const Taint *t, TSNode body, uint32_t from,
                         bool *minus, bool *flt, TSNode *amount) {
  if (!node_is(value, SYM.binary_operator)) return false;
  TSNode op = ts_node_child_by_field_id(value, SYM.f_operator);
  TSNode l = ts_node_child_by_field_id(value, SYM.f_left);
  TSNode r = ts_node_child_by_field_id(value, SYM.f_right);
  *minus = node_text_eq(ctx->src, op, "-");
  if (!*minus && !node_text_eq(ctx->src, op, "+")) return false;
  *flt = false;
  bool converted = false;
  if (node_is(l, SYM.call)) {
    TSNode fn = ts_node_child_by_field_id(l, SYM.f_function);
    *flt = node_text_eq(ctx->src, fn, "float");
    if (!*flt && !node_text_eq(ctx->src, fn, "int")) return false;
    TSNode args = ts_node_child_by_field_id(l, SYM.f_arguments);
    if (ts_node_named_child_count(args) != 1) return false;
    l = ts_node_named_child(args, 0);
    if (node_is(l, SYM.boolean_operator)) l = ts_node_child_by_field_id(l, SYM.f_left);
    converted = true;
  }
  if (!node_is(l, SYM.identifier) || !taint_has(t, ctx_text(ctx, l))) return false;
  if (!converted && !number_assigned(ctx, body, ctx_text(ctx, l), from, t->to, flt)) return false;
  if (!node_is(r, SYM.integer) && !node_is(r, SYM.float_) && !node_is(r, SYM.identifier))
    return false;
  if (node_is(r, SYM.identifier) && taint_has(t, ctx_text(ctx, r))) return false;
  *flt |= node_is(r, SYM.float_);
  *amount = r;
  return true;
}

/* Is there an `if` between the guard `g` (or the function, for an early
 * exit) and the write, other than the guard itself? */
static bool extra_condition(TSNode write, TSNode guard, TSNode func) {
  for (TSNode p = ts_node_parent(write); !ts_node_is_null(p) && !ts_node_eq(p, func);
       p = ts_node_parent(p)) {
    if (ts_node_eq(p, guard)) return false;
    if (node_is(p, SYM.if_statement)) return true;
  }
  return false;
}

/* The value written is a short constant: "1", 1, True, "done". */
static bool constant_value(RuleCtx *ctx, const CallSite *w) {
  TSNode v = written_value(ctx, w);
  if (ts_node_is_null(v)) return false;
  if (node_is(v, SYM.integer) || node_is(v, SYM.true_) || node_is(v, SYM.false_)) return true;
  if (!node_is(v, SYM.string) || (string_prefix(ctx->src, v) & STR_F)) return false;
  return nend(v) - nstart(v) <= 12;
}

bool value_from_read(RuleCtx *ctx, const CallSite *r, const CallSite *w, TSNode value) {
  const Function *fn = model_function(ctx->model, w->func);
  if (!fn) return false;
  Taint t = {.ctx = ctx, .from = nend(r->node), .to = nstart(w->node)};
  TSNode v = read_target(r);
  if (ts_node_is_null(v)) return false;
  taint_add(&t, ctx_text(ctx, v));
  TSNode body = ts_node_child_by_field_id(fn->node, SYM.f_body);
  taint_spread(&t, body);
  return carries(ctx, value, &t, body);
}

bool func_atomic_guarded(RuleCtx *ctx, size_t i) {
  const CallSite *cs = model_call(ctx->model, i);
  const Function *fn = model_function(ctx->model, cs->func);
  if (!fn) return false;
  if (!ctx->guarded) {
    size_t nf = model_nfunctions(ctx->model) + 1;
    ctx->guarded = arena_alloc(ctx->arena, nf);
    memset(ctx->guarded, 0, nf);
  }
  if (!ctx->guarded[cs->func]) {
    size_t lo, hi;
    func_calls(ctx->model, i, cs->func, &lo, &hi);
    ctx->guarded[cs->func] = func_guarded(ctx, cs->func, fn->node, lo, hi) ? 2 : 1;
  }
  return ctx->guarded[cs->func] == 2 || in_lock(ctx, cs->node, fn->node);
}

/* `r.set(K, int(v) + n)` -> `r.incrby(K, n)`: the method renamed and the
 * value replaced in place, so the call's layout and comments stay. */
static void fix_computed(RuleCtx *ctx, Finding *f, const CallSite *r, const CallSite *w,
                         TSNode value, const Taint *t) {
  bool minus, flt;
  TSNode amount;
  const char *generic = "Make it atomic: an atomic command (INCRBY, HINCRBY, SET NX), "
                        "`r.transaction(func, key)` (WATCH/MULTI/EXEC retried on conflict), or "
                        "a Lua script";
  const Function *fn = model_function(ctx->model, w->func);
  TSNode body = ts_node_child_by_field_id(fn->node, SYM.f_body);
  uint32_t nargs = 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(w->args); i++)
    nargs += !node_is(ts_node_named_child(w->args, i), SYM.comment);
  bool shape = (!strcmp(w->method, "set") || !strcmp(w->method, "hset")) &&
               increment_of(ctx, value, t, body, nstart(r->stmt), &minus, &flt, &amount) &&
               result_unused(w) && !call_has_splat(w->args) &&
               nargs == (is_hash(w) ? 3u : 2u) && call_npositional(w->args) == nargs;
  if (!shape || (flt && minus)) {
    finding_fix(ctx, f, FIX_DISPLAY, "%s", generic);
    return;
  }
  const char *method = is_hash(w) ? (flt ? "hincrbyfloat" : "hincrby")
                                  : flt ? "incrbyfloat" : minus ? "decrby" : "incrby";
  const char *amt = arena_printf(ctx->arena, "%s%s", is_hash(w) && minus ? "-" : "",
                                 ctx_text(ctx, amount));
  const char *call =
      is_hash(w) ? arena_printf(ctx->arena, "%s.%s(%s, %s, %s)", w->recv_text, method,
                                ctx_text(ctx, call_key_arg(ctx, w)), ctx_text(ctx, field_arg(ctx, w)),
                                amt)
                 : arena_printf(ctx->arena, "%s.%s(%s, %s)", w->recv_text, method,
                                ctx_text(ctx, call_key_arg(ctx, w)), amt);
  finding_fix(ctx, f, FIX_UNSAFE,
              "One atomic command: `%s` (a missing key counts as 0; a non-numeric value is a "
              "server error)",
              call);
  fix_rename_method(ctx, f, w, method);
  finding_edit(ctx, f, nstart(value), nend(value), amt);
}

/* Does the if statement's branch send another Redis command than `w`? */
static bool branch_does_more(RuleCtx *ctx, TSNode ifs, const CallSite *w) {
  TSNode body = ts_node_child_by_field_id(ifs, SYM.f_consequence);
  uint32_t a = nstart(body), b = nend(body);
  /* the call sites are in file order: from the first inside the branch */
  for (size_t i = first_call_from(ctx->model, a); i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (nstart(cs->node) >= b) break;
    if (cs != w && cs->cmd && nend(cs->node) <= b) return true;
  }
  return false;
}

/* Work between the check and the write: a call that is neither a Redis
 * command nor logging or a conversion (`run_delete(table, part)` between
 * `if r.sismember(done, m): continue` and `r.sadd(done, m)`). Then the write
 * records that the work succeeded: SADD first would mark a failed attempt
 * done. */
typedef struct Work {
  RuleCtx *ctx;
  uint32_t from, to;
  bool found;
} Work;

static bool work_visit(TSNode n, void *data) {
  Work *wk = data;
  if (wk->found) return false;
  if (!node_is(n, SYM.call) || nstart(n) < wk->from || nend(n) > wk->to) return true;
  /* a Redis command (branch_does_more() weighs those): the call sites that
     start where n does, found by binary search */
  for (size_t i = first_call_from(wk->ctx->model, nstart(n));
       i < model_ncalls(wk->ctx->model) && nstart(model_call(wk->ctx->model, i)->node) == nstart(n); i++)
    if (model_call(wk->ctx->model, i)->cmd) return true;
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  const char *name = ctx_text(wk->ctx, node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn);
  static const char *const PASSIVE[] = {"print", "str", "int", "float", "bool", "len", "repr",
                                        "format", "isinstance", "debug", "info", "warning",
                                        "warn", "error", "exception", "critical", "log",
                                        "append", "get", "encode", "decode", "join", "now",
                                        "time", NULL};
  for (const char *const *p = PASSIVE; *p; p++)
    if (!strcmp(name, *p)) return true;
  wk->found = true;
  return false;
}

/* Walks only what lies between the check and the write (range_walk):
 * one such check per SADD stays local. */
static bool work_in(RuleCtx *ctx, TSNode span, uint32_t from, uint32_t to) {
  Work wk = {ctx, from, to, false};
  range_walk(span, from, to, work_visit, &wk);
  return wk.found;
}

static bool work_between(RuleCtx *ctx, TSNode span, TSNode from_node, TSNode to_node) {
  return work_in(ctx, span, nend(from_node), nstart(to_node));
}

/* A counter initialised when missing: `set(K, 0)` in the branch, then an
 * INCR-family command on K later in the function (up to `hi`, the end of its
 * call sites). Returns that call, or NULL. */
/* The file's INCR-family calls by key template, then position: built once
 * a file when a zero marker first asks (a function of thousands of them
 * stays O(n log n)). */
typedef struct IncrAt {
  const char *key;
  const CallSite *cs;
} IncrAt;

typedef struct Incrs {
  IncrAt *at;
  size_t n;
  bool built;
} Incrs;

static int incr_cmp(const void *a, const void *b) {
  const IncrAt *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : (nstart(x->cs->node) > nstart(y->cs->node)) - (nstart(x->cs->node) < nstart(y->cs->node));
}

/* What two calls on the same key share: the template, or the key
 * expression as written when it has none (`key`, a parameter). */
static const char *incr_key(RuleCtx *ctx, const CallSite *cs) {
  if (cs->key.text && !cs->key.opaque) return cs->key.text;
  TSNode k = call_key_arg(ctx, cs);
  return ts_node_is_null(k) ? NULL : arena_printf(ctx->arena, "\x02%s", ctx_text(ctx, k));
}

static const CallSite *incremented_after(RuleCtx *ctx, Incrs *in, const CallSite *w) {
  TSNode v = written_value(ctx, w);
  const char *wk = incr_key(ctx, w);
  if (ts_node_is_null(v) || !wk) return NULL;
  const char *t = ctx_text(ctx, v);
  if (strcmp(t, "0") && strcmp(t, "\"0\"") && strcmp(t, "'0'")) return NULL;
  if (!in->built) {
    static const char *const incrs[] = {"incr", "incrby", "incrbyfloat", "decr", "decrby",
                                        "hincrby", "hincrbyfloat", NULL};
    in->built = true;
    in->at = xmalloc((model_ncalls(ctx->model) + 1) * sizeof *in->at);
    for (size_t j = 0; j < model_ncalls(ctx->model); j++) {
      const CallSite *o = model_call(ctx->model, j);
      const char *k = call_method_in(o, incrs) ? incr_key(ctx, o) : NULL;
      if (k) in->at[in->n++] = (IncrAt){k, o};
    }
    if (in->n > 1) qsort(in->at, in->n, sizeof *in->at, incr_cmp);
  }
  size_t lo = 0, hi = in->n; /* the first with this key */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(in->at[mid].key, wk) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (size_t j = lo; j < in->n && !strcmp(in->at[j].key, wk); j++) {
    const CallSite *o = in->at[j].cs;
    if (o->func == w->func && nstart(o->node) > nend(w->node) && calls_same_key(ctx, w, o)) return o;
  }
  return NULL;
}

/* Work after the write in the branch (`if not r.exists(k): r.setex(k, ttl,
 * 1); submit(item)`): the marker claims the item before the work, so two
 * callers that both saw it missing both do the work. */
static bool work_after_write(RuleCtx *ctx, const Guard *g, const CallSite *w) {
  /* the write's branch; after an early exit (`if r.exists(k): return`), the
     block the write sits in */
  TSNode body = {0};
  if (g->exits || g->in_else) {
    body = ts_node_parent(w->node);
    while (!ts_node_is_null(body) && !node_is(body, SYM.block) && !node_is(body, SYM.module))
      body = ts_node_parent(body);
  } else {
    body = ts_node_child_by_field_id(g->found, SYM.f_consequence);
  }
  return !ts_node_is_null(body) && work_in(ctx, body, nend(w->node), nend(body));
}

/* Is `c` a test that the value named `name` is missing: `not v`, `v is
 * None`, `v == None`, or such a test on one side of `or`? */
static bool missing_test(RuleCtx *ctx, TSNode c, const char *name, int depth) {
  while (node_is(c, SYM.parenthesized_expression)) c = ts_node_named_child(c, 0);
  if (depth > 4 || ts_node_is_null(c)) return false;
  if (node_is(c, SYM.not_operator)) {
    TSNode v = ts_node_named_child(c, 0);
    while (node_is(v, SYM.parenthesized_expression)) v = ts_node_named_child(v, 0);
    return node_is(v, SYM.identifier) && node_text_eq(ctx->src, v, name);
  }
  if (node_is(c, SYM.boolean_operator) && node_text_eq(ctx->src, ts_node_child_by_field_id(c, SYM.f_operator), "or"))
    return missing_test(ctx, ts_node_child_by_field_id(c, SYM.f_left), name, depth + 1) ||
           missing_test(ctx, ts_node_child_by_field_id(c, SYM.f_right), name, depth + 1);
  if (node_is(c, SYM.comparison_operator) && ts_node_named_child_count(c) == 2) {
    const char *t = ctx_text(ctx, c);
    TSNode a = ts_node_named_child(c, 0), b = ts_node_named_child(c, 1);
    bool eq = strstr(t, " is not ") == NULL && strstr(t, "!=") == NULL;
    return eq && ((node_is(a, SYM.identifier) && node_text_eq(ctx->src, a, name) && node_is(b, SYM.none)) ||
                  (node_is(b, SYM.identifier) && node_text_eq(ctx->src, b, name) && node_is(a, SYM.none)));
  }
  return false;
}

/* Is the write in the branch taken when the read found nothing (`v =
 * r.get(k); if not v: v = compute(); r.set(k, v)`)? That fills a cache on
 * a miss (cache-without-ttl's shape): the value written does not come from
 * what was read. */
static bool on_miss_path(RuleCtx *ctx, const CallSite *r, const CallSite *w, TSNode fn) {
  TSNode target = read_target(r);
  if (ts_node_is_null(target)) return false;
  const char *name = ctx_text(ctx, target);
  TSNode prev = w->node;
  for (TSNode p = ts_node_parent(w->node); !ts_node_is_null(p) && !ts_node_eq(p, fn); p = ts_node_parent(p)) {
    if (node_is(p, SYM.if_statement) && nstart(p) > nstart(r->node) &&
        ts_node_eq(prev, ts_node_child_by_field_id(p, SYM.f_consequence)) &&
        missing_test(ctx, ts_node_child_by_field_id(p, SYM.f_condition), name, 0))
      return true;
    prev = p;
  }
  return false;
}

/* Does a write of w's key sit in the other branch of the if statement
 * `ifs` (its else/elif)? */
static bool other_branch_writes(RuleCtx *ctx, TSNode ifs, const CallSite *w) {
  TSNode cons = ts_node_child_by_field_id(ifs, SYM.f_consequence);
  bool w_in_cons = nstart(w->node) >= nstart(cons) && nend(w->node) <= nend(cons);
  size_t hi = first_call_from(ctx->model, nend(ifs)); /* the calls inside the if statement */
  for (size_t i = first_call_from(ctx->model, nstart(ifs)); i < hi; i++) {
    const CallSite *o = model_call(ctx->model, i);
    if (o == w || !call_method_in(o, SETS)) continue;
    bool o_in_cons = nstart(o->node) >= nstart(cons) && nend(o->node) <= nend(cons);
    if (o_in_cons != w_in_cons && calls_same_key(ctx, o, w)) return true;
  }
  return false;
}

/* Read and write through two clients built differently in this file
 * (`old_db = Redis(host="ardb")`, `new_db = Redis(host="kvrocks")`): a copy
 * between servers or databases, not an update of one key. */
static bool other_server(RuleCtx *ctx, const CallSite *r, const CallSite *w) {
  if (!strcmp(r->recv_text, w->recv_text)) return false;
  Value a = r->recv, b = w->recv;
  if (a.ctor_end && b.ctor_end && a.ctor_start != b.ctor_start) {
    uint32_t na = a.ctor_end - a.ctor_start, nb = b.ctor_end - b.ctor_start;
    return na != nb || memcmp(ctx->src->text + a.ctor_start, ctx->src->text + b.ctor_start, na);
  }
  /* or two names bound to different factory calls
     (`get_db_conn("Kvrocks_DB")`, `get_redis_conn("ARDB_DB")`) */
  if (!node_is(r->receiver, SYM.identifier) || !node_is(w->receiver, SYM.identifier)) return false;
  int sa = r->scope, sb = w->scope;
  TSNode va = model_resolve_name(ctx->model, r->receiver, r->scope, &sa);
  TSNode vb = model_resolve_name(ctx->model, w->receiver, w->scope, &sb);
  return node_is(va, SYM.call) && node_is(vb, SYM.call) && !ts_node_eq(va, vb) &&
         !node_same_text(ctx->src, va, vb);
}

/* Is the value the write stores a fresh random one (`tok =
 * secrets.token_urlsafe(16)`, `uuid.uuid4().hex`, `os.urandom(8)`), made
 * after the read? Filling a miss with it is no cache fill: two callers
 * racing each hand out their own token, and the later SET replaces the
 * one the first caller was given. */
static bool random_fill(RuleCtx *ctx, const CallSite *r, const CallSite *w) {
  TSNode v = written_value(ctx, w);
  if (node_is(v, SYM.identifier)) {
    const char *nm = ctx_text(ctx, v);
    Reaching rc = model_reaching(ctx->model, w->scope, nm, strlen(nm), nstart(w->node));
    if (!rc.found || !rc.value || rc.param || ts_node_is_null(rc.expr) || nstart(rc.expr) < nend(r->node))
      return false;
    v = rc.expr;
  }
  if (!node_is(v, SYM.call) && !node_is(v, SYM.attribute)) return false;
  static const char *const RANDOM[] = {"secrets.", "token_urlsafe(", "token_hex(", "token_bytes(",
                                       "uuid4()", "uuid1()", "urandom(", "random.", NULL};
  const char *t = ctx_text(ctx, v);
  for (size_t i = 0; RANDOM[i]; i++)
    if (strstr(t, RANDOM[i])) return true;
  return false;
}

static void report_random_fill(RuleCtx *ctx, const CallSite *r, const CallSite *w, unsigned rline) {
  Finding *f = rule_report(ctx, w->node, SEV_INFO,
                           "%s(`%s`) stores a new random value when the %s() on line %u found "
                           "none: two callers racing both miss, each hands out its own value, and "
                           "the later write replaces the one the first caller was given",
                           w->method, call_key_display(ctx, w), r->method, rline);
  finding_related(ctx, f, NULL, nstart(r->node), nend(r->node), "the read");
  finding_fix(ctx, f, FIX_DISPLAY,
              "Claim the key atomically and use what it holds: `%s.set(%s, value, nx=True, ex=...)`, "
              "then `%s.get(%s)` (the winner's value)",
              w->recv_text, ctx_text(ctx, call_arg(w->args, 0)), r->recv_text,
              ctx_text(ctx, call_arg(r->args, 0)));
}

/* Is the name the read bound given another value, not made from it, that
 * reaches the write (`names = r.get(k)`; `if names: return ...`;
 * `names = load(table)`; `r.set(k, ".".join(names))`)? The write then stores
 * what was loaded: a cache fill, not an update of what was read. */
static bool rebound_before(RuleCtx *ctx, const char *name, const CallSite *r, const CallSite *w) {
  Reaching rc = model_reaching(ctx->model, w->scope, name, strlen(name), nstart(w->node));
  if (!rc.found || !rc.value || rc.param || ts_node_is_null(rc.expr)) return false;
  if (nstart(rc.expr) <= nend(r->node)) return false; /* the read's own binding, or older */
  /* the new value must not be made from the old (`names = names + [x]`) */
  size_t n = strlen(name);
  const char *t = ctx_text(ctx, rc.expr);
  for (const char *p = strstr(t, name); p; p = strstr(p + 1, name)) {
    bool start = p == t || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
    bool end = !(isalnum((unsigned char)p[n]) || p[n] == '_');
    if (start && end) return false;
  }
  return true;
}

/* `r.watch(k)` on a client: redis-py's Redis.watch() only warns
 * (DeprecationWarning) and sends nothing; the transaction it was meant to
 * guard runs unguarded. */
static void watch_on_client(RuleCtx *ctx, const CallSite *cs) {
  if (strcmp(cs->method, "watch") || cs->recv.kind != OBJ_CLIENT || cs->recv.inferred ||
      cs->recv.facade || cs->recv.cluster)
    return;
  Finding *f = rule_report(ctx, cs->node, SEV_WARNING,
                           "`%s` on a client, not on the pipeline: redis-py's Redis.watch() "
                           "sends nothing (a DeprecationWarning), so the reads and the "
                           "transaction after it are not guarded",
                           call_short(ctx, cs));
  finding_fix(ctx, f, FIX_DISPLAY,
              "Watch on the pipeline that runs the transaction: `pipe.watch(...)` (its commands "
              "then run at once until `pipe.multi()`), read through `pipe`, then `pipe.multi()` "
              "and the writes; or `%s.transaction(func, *keys)`",
              cs->recv_text);
}

static void check(RuleCtx *ctx) {
  if (in_test_code(ctx->src, ctx->opt)) return; /* tests are single-threaded */
  const Model *m = ctx->model;
  for (size_t i = 0; i < model_ncalls(m); i++) watch_on_client(ctx, model_call(m, i));
  Vec reads; /* size_t: the READS and CHECKS call sites, in order */
  vec_init(&reads, sizeof(size_t));
  for (size_t i = 0; i < model_ncalls(m); i++)
    if (call_method_in(model_call(m, i), READS) || call_method_in(model_call(m, i), CHECKS))
      *(size_t *)vec_push(&reads) = i;
  KeyGroups by_key; /* the same, grouped by key: a write asks only its key's */
  key_groups_build(ctx, &by_key, reads.data, reads.len);
  Vec found = VEC_INIT(size_t);
  Incrs incs = {0};
  for (size_t wi = 0; wi < model_ncalls(m); wi++) {
    const CallSite *w = model_call(m, wi);
    bool set = call_method_in(w, SETS), incr = call_method_in(w, INCRS);
    if ((!set && !incr) || w->func < 0 || value_is_pipeline(w->recv) ||
        w->recv.kind == OBJ_CLIENT_OR_PIPELINE)
      continue;
    if (set && (!ts_node_is_null(call_kwarg(ctx->src, w->args, "nx")) ||
                !strcmp(w->method, "hsetnx")))
      continue; /* atomic by itself */
    const Function *fn = model_function(m, w->func);
    size_t lo, hi;
    func_calls(m, wi, w->func, &lo, &hi);
    /* the reads and checks of the write's key before it, newest first */
    key_groups_find(ctx, &by_key, w, lo, wi, &found);
    for (size_t k = found.len; k-- > 0;) {
      size_t ri = *(size_t *)vec_at(&found, k);
      const CallSite *r = model_call(m, ri);
      if (r->func != w->func || nend(r->node) > nstart(w->node)) continue;
      bool read = call_method_in(r, READS), check = call_method_in(r, CHECKS);
      /* `uid = r.incr(...)` ... `if not r.get(K): r.set(K, uid)`: a GET
         used as a presence check before writing a value made before it
         claims the key, as EXISTS would (not a cache fill, RL201) */
      if (read && set && !strcmp(r->method, "get") && tested_in_place(r) && value_made_before(ctx, w, r)) {
        read = false;
        check = true;
      }
      if ((!read && !check) || value_is_pipeline(r->recv) || r->recv.kind == OBJ_CLIENT_OR_PIPELINE)
        continue;
      if (check && (!set || ts_node_named_child_count(r->args) != (is_hash(r) ? 2u : 1u))) continue;
      if (!same_target(ctx, r, w) || other_server(ctx, r, w)) continue;
      if (func_atomic_guarded(ctx, wi)) break; /* the function's guard is worked out once */
      Taint t = {.ctx = ctx, .from = nend(r->node), .to = nstart(w->node)};
      TSNode v = read_target(r);
      if (!ts_node_is_null(v)) taint_add(&t, ctx_text(ctx, v));
      TSNode span = ts_node_child_by_field_id(fn->node, SYM.f_body);
      if (t.n) taint_spread(&t, span); /* range walks: what lies between read and write */
      unsigned rline = line_of(ctx->src, nstart(r->node));
      const char *wk = call_key_display(ctx, w);
      if (read && set) {
        bool nx = node_is(call_kwarg(ctx->src, w->args, "nx"), SYM.true_) || !strcmp(w->method, "hsetnx");
        if (on_miss_path(ctx, r, w, fn->node)) { /* a cache fill, unless a random one */
          if (!nx && random_fill(ctx, r, w)) report_random_fill(ctx, r, w, rline);
          break;
        }
        /* a fresh random value written after the read on another path too
           (the key found stale and deleted, then replaced): the same race */
        if (!nx && !is_hash(w) && random_fill(ctx, r, w)) {
          report_random_fill(ctx, r, w, rline);
          break;
        }
        TSNode value = written_value(ctx, w);
        if (!ts_node_is_null(v) && t.n && !strcmp(t.names[0], ctx_text(ctx, v)) &&
            rebound_before(ctx, t.names[0], r, w)) { /* `names = load()` between: not the read's */
          if (!nx && random_fill(ctx, r, w) && !strcmp(ctx_text(ctx, written_value(ctx, w)), t.names[0])) {
            report_random_fill(ctx, r, w, rline);
            break;
          }
          memmove(t.names, t.names + 1, (t.n - 1) * sizeof *t.names);
          t.n--;
        }
        if (!t.n || !carries(ctx, value, &t, span)) break;
        Finding *f = rule_report(ctx, w->node, SEV_WARNING,
                                 "%s(`%s`) writes a value computed from the %s() on line %u: two "
                                 "clients running this at once both read the old value and one "
                                 "update is lost",
                                 w->method, wk, r->method, rline);
        finding_related(ctx, f, NULL, nstart(r->node), nend(r->node), "the read");
        fix_computed(ctx, f, r, w, value, &t);
        break;
      }
      Guard g = {.t = &t, .read = r->node, .write = w->node, .after = nstart(r->node)};
      /* the guard lies in the smallest node holding the read and the write:
         walking that, not the function body, keeps a function of many
         check-then-write pairs linear */
      range_walk(span, nstart(r->node), nstart(w->node) + 1, guard_visit, &g);
      if (ts_node_is_null(g.found)) break;
      Finding *f;
      if (check) {
        /* `if not r.exists(K): write` or `if r.exists(K): return` then write */
        TSNode cond = ts_node_child_by_field_id(g.found, SYM.f_condition);
        /* `if ready and not r.exists(K):` the operand holding the check */
        while (node_is(cond, SYM.boolean_operator) &&
               !strcmp(ts_node_type(ts_node_child_by_field_id(cond, SYM.f_operator)), "and")) {
          TSNode l = ts_node_child_by_field_id(cond, SYM.f_left);
          cond = nstart(r->node) >= nstart(l) && nend(r->node) <= nend(l)
                     ? l
                     : ts_node_child_by_field_id(cond, SYM.f_right);
        }
        bool negated = node_is(cond, SYM.not_operator);
        /* the write runs when the key was missing */
        if (negated == (g.exits || g.in_else)) break;
        /* under a further condition of its own (`if not har_files:
           r.sadd(...)`), the write is not the check's answer */
        if (extra_condition(w->node, g.found, fn->node)) break;
        /* both branches write the key (`if r.exists(k): set(k, v,
           keepttl=True) else: set(k, v, ex=ttl)`): the check only picks an
           option, every call writes; NX would stop overwrites */
        if (other_branch_writes(ctx, g.found, w)) break;
        if (is_set(w)) {
          if (work_between(ctx, span, r->node, w->node))
            break; /* SADD records that the work before it succeeded */
          /* SADD is idempotent: the race is in what else the branch does
             (a counter, a notification) for a member that was just added */
          bool more = branch_does_more(ctx, g.found, w);
          f = rule_report(ctx, w->node, more ? SEV_WARNING : SEV_INFO,
                          "sadd(`%s`) runs only when the sismember() on line %u did not find "
                          "the member: %s",
                          wk, rline,
                          more ? "two callers can both see it missing, and both run what the "
                                 "branch does next (a count, a message) for one new member"
                               : "a second round trip where SADD's own reply says whether it "
                                 "added the member");
          finding_related(ctx, f, NULL, nstart(r->node), nend(r->node), "the check");
          finding_fix(ctx, f, FIX_DISPLAY,
                      "Let SADD answer: `if %s.sadd(...):` runs the branch once, for the caller "
                      "that really added the member",
                      w->recv_text);
          break;
        }
        /* a constant marker (`setex(flag, ttl, "1")`) as the branch's last
           act: two callers write the same thing, nothing is lost */
        bool claims = constant_value(ctx, w) && !branch_does_more(ctx, g.found, w);
        const CallSite *inc = claims ? incremented_after(ctx, &incs, w) : NULL;
        if (inc) {
          /* `if not r.exists(k): r.set(k, 0)` ... `r.incr(k)`: the second
             caller's SET resets what the first one counted */
          f = rule_report(ctx, w->node, SEV_WARNING,
                          "%s(`%s`, 0) when the %s() on line %u found no key, then %s() on line "
                          "%u: two callers can both see it missing, and the second one's %s "
                          "resets what the first one's %s counted",
                          w->method, wk, r->method, rline, inc->method,
                          line_of(ctx->src, nstart(inc->node)), w->method, inc->method);
          finding_related(ctx, f, NULL, nstart(r->node), nend(r->node), "the check");
          finding_related(ctx, f, NULL, nstart(inc->node), nend(inc->node), "the increment");
          finding_fix(ctx, f, FIX_DISPLAY,
                      "Drop the check and the %s: %s creates a missing key at 0",
                      w->method, inc->method);
          break;
        }
        if (claims && !work_after_write(ctx, &g, w)) break;
        f = rule_report(ctx, w->node, SEV_WARNING,
                        claims ? "%s(`%s`) claims the item only when the %s() on line %u found no "
                                 "key: two callers can both see it missing, and both do the work "
                                 "that follows"
                               : "%s(`%s`) runs only when the %s() on line %u found no key: two "
                                 "callers can both see it missing and both write",
                        w->method, wk, r->method, rline);
        finding_related(ctx, f, NULL, nstart(r->node), nend(r->node), "the check");
        const char *ttl = !strcmp(w->method, "setex")    ? ", ex=ttl"
                          : !strcmp(w->method, "psetex") ? ", px=ttl"
                          : !ts_node_is_null(call_kwarg(ctx->src, w->args, "ex")) ? ", ex=ttl"
                          : !ts_node_is_null(call_kwarg(ctx->src, w->args, "px")) ? ", px=ttl"
                                                                                  : "";
        finding_fix(ctx, f, FIX_DISPLAY, "Check and write in one command: %s",
                    is_hash(w) ? "`hsetnx(key, field, value)`"
                               : arena_printf(ctx->arena,
                                              "`set(key, value%s, nx=True)` (returns None when "
                                              "the key existed)%s",
                                              ttl, claims ? ", and do the work only when it "
                                                            "returns True" : ""));
      } else if (incr) {
        f = rule_report(ctx, w->node, SEV_WARNING,
                        "%s(`%s`) is guarded by the value the %s() on line %u read: concurrent "
                        "callers pass the check together and go past the limit",
                        w->method, wk, r->method, rline);
        finding_related(ctx, f, NULL, nstart(r->node), nend(r->node), "the read");
        finding_fix(ctx, f, FIX_DISPLAY,
                    "Increment first and check the returned value: `n = %s.%s(...)`, then undo "
                    "or reject when n is over the limit; or a Lua script",
                    w->recv_text, w->method);
      }
      break;
    }
  }
  vec_free(&reads);
  vec_free(&found);
  free(incs.at);
  key_groups_free(&by_key);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/read-modify-write.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_read_modify_write = {
    .check_file = check,
};
