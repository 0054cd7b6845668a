/* rules/rule_util.c - helpers shared by rules. */
#include "rule_util.h"

#include "../discover.h"
#include "../project.h"
#include "../strset.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static size_t push(Stored *out, size_t n, size_t cap, TSNode field, TSNode value) {
  if (n < cap && !ts_node_is_null(value)) {
    out[n].field = field;
    out[n].value = value;
    return n + 1;
  }
  return n;
}

static size_t dict_entries(TSNode dict, Stored *out, size_t n, size_t cap) {
  uint32_t cnt = ts_node_named_child_count(dict);
  for (uint32_t i = 0; i < cnt; i++) {
    TSNode p = ts_node_named_child(dict, i);
    if (nsym(p) != SYM.pair) continue;
    n = push(out, n, cap, ts_node_child_by_field_id(p, SYM.f_key),
             ts_node_child_by_field_id(p, SYM.f_value));
  }
  return n;
}

/* mapping={...}, a dict comprehension (its one key/value pair), or a local
 * name bound to either. */
static size_t mapping_entries(const Model *m, const CallSite *cs, TSNode mapping, Stored *out,
                              size_t n, size_t cap, TSNode *mapping_out) {
  if (ts_node_is_null(mapping)) return n;
  int scope = cs->scope;
  TSNode v = model_resolve(m, mapping, &scope);
  if (nsym(v) == SYM.dictionary) return dict_entries(v, out, n, cap);
  if (nsym(v) == SYM.dictionary_comprehension) {
    TSNode body = ts_node_child_by_field_id(v, SYM.f_body);
    if (node_is(body, SYM.pair))
      n = push(out, n, cap, ts_node_child_by_field_id(body, SYM.f_key),
               ts_node_child_by_field_id(body, SYM.f_value));
  }
  if (mapping_out) *mapping_out = v;
  return n;
}

static size_t positional_from(const CallSite *cs, uint32_t first, Stored *out, size_t n,
                              size_t cap) {
  for (uint32_t i = first; i < first + MAX_VALUES; i++) {
    TSNode a = call_arg(cs->args, i);
    if (ts_node_is_null(a)) break;
    n = push(out, n, cap, (TSNode){0}, a);
  }
  return n;
}

static TSNode arg_or_kw(const Model *m, const CallSite *cs, uint32_t pos, const char *kw) {
  TSNode a = call_arg(cs->args, pos);
  return ts_node_is_null(a) ? call_kwarg(model_source(m), cs->args, kw) : a;
}

size_t stored_values(const Model *m, const CallSite *cs, Stored *out, size_t cap,
                     TSNode *mapping_out) {
  const char *me = cs->method;
  TSNode none = {0};
  size_t n = 0;
  if (mapping_out) *mapping_out = none;
  if (!strcmp(me, "set") || !strcmp(me, "setnx") || !strcmp(me, "getset"))
    return push(out, n, cap, none, arg_or_kw(m, cs, 1, "value"));
  if (!strcmp(me, "setex") || !strcmp(me, "psetex"))
    return push(out, n, cap, none, arg_or_kw(m, cs, 2, "value"));
  if (!strcmp(me, "hset") || !strcmp(me, "hsetnx")) {
    n = push(out, n, cap, arg_or_kw(m, cs, 1, "key"), arg_or_kw(m, cs, 2, "value"));
    return mapping_entries(m, cs, call_kwarg(model_source(m), cs->args, "mapping"), out, n, cap, mapping_out);
  }
  if (!strcmp(me, "hmset"))
    return mapping_entries(m, cs, arg_or_kw(m, cs, 1, "mapping"), out, n, cap, mapping_out);
  if (!strcmp(me, "mset") || !strcmp(me, "msetnx"))
    return mapping_entries(m, cs, arg_or_kw(m, cs, 0, "mapping"), out, n, cap, mapping_out);
  if (!strcmp(me, "xadd"))
    return mapping_entries(m, cs, arg_or_kw(m, cs, 1, "fields"), out, n, cap, mapping_out);
  if (!strcmp(me, "rpush") || !strcmp(me, "lpush") || !strcmp(me, "rpushx") ||
      !strcmp(me, "lpushx"))
    return positional_from(cs, 1, out, n, cap);
  return 0;
}

/* A TTL keyword that redis-py does not have (`REDIS_CONN.set(k, v, exp=ttl)`,
 * `bus.rpush(k, msg, expiration=86400)`): it can only be a project wrapper's,
 * and a wrapper takes it to expire the key. `timeout=` counts on `set` alone:
 * blocking commands and locks have a `timeout` of their own. */
static const char *wrapper_ttl_kw(RuleCtx *ctx, const CallSite *cs) {
  static const char *const own[] = {"exp", "expire", "expires", "expiry", "expiration", "ttl",
                                    "timeout", "expire_in", "expires_in", "ttl_seconds"};
  bool set = !strcmp(cs->method, "set");
  uint32_t na = ts_node_named_child_count(cs->args);
  for (uint32_t a = 0; a < na && a < 8; a++) { /* one pass over the keywords */
    TSNode kw = ts_node_named_child(cs->args, a);
    if (!node_is(kw, SYM.keyword_argument)) continue;
    TSNode name = ts_node_child_by_field_id(kw, SYM.f_name), o = ts_node_child_by_field_id(kw, SYM.f_value);
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
      if ((set || strcmp(own[i], "timeout")) && node_text_eq(ctx->src, name, own[i]) &&
          !node_is(o, SYM.none))
        return arena_printf(ctx->arena, "%s=%s", own[i], ctx_text(ctx, o));
  }
  return "";
}

const char *ttl_text(RuleCtx *ctx, const CallSite *cs) {
  const char *me = cs->method;
  if (!strcmp(me, "setex") || !strcmp(me, "psetex")) {
    TSNode t = call_arg(cs->args, 1);
    if (ts_node_is_null(t)) t = call_kwarg(ctx->src, cs->args, "time");
    return ts_node_is_null(t) ? "?" : ctx_text(ctx, t);
  }
  if (strcmp(me, "set") != 0) return wrapper_ttl_kw(ctx, cs);
  static const char *const kws[] = {"ex", "px", "exat", "pxat", "keepttl"};
  for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++) {
    TSNode t = call_kwarg(ctx->src, cs->args, kws[i]);
    if (!ts_node_is_null(t) && !node_is(t, SYM.none))
      return arena_printf(ctx->arena, "%s=%s", kws[i], ctx_text(ctx, t));
  }
  TSNode t = call_arg(cs->args, 2); /* set(name, value, ex) */
  if (!ts_node_is_null(t) && !node_is(t, SYM.none))
    return arena_printf(ctx->arena, "ex=%s", ctx_text(ctx, t));
  if (call_has_splat(cs->args)) return "**";
  return wrapper_ttl_kw(ctx, cs);
}

static const char *const UNBOUNDED_METHODS[] = {
    "all", "fetchall", "iterator", "scan_iter", "sscan_iter", "hscan_iter", "zscan_iter",
    "readlines", "iterrows", "itertuples", "find", "objects", "select", "query", "stream",
    "values_list", "smembers", "hgetall", "lrange", "zrange", "keys", NULL};

static bool method_in(const Model *m, TSNode attr, const char *const *list) {
  for (; *list; list++)
    if (node_text_eq(model_source(m), attr, *list)) return true;
  return false;
}

static IterBound call_bound(const Model *m, TSNode n, int scope, int64_t *count, long limit) {
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  TSNode args = ts_node_child_by_field_id(n, SYM.f_arguments);
  if (node_text_eq(model_source(m), fn, "range")) {
    TSNode hi = call_arg(args, call_npositional(args) >= 2 ? 1 : 0);
    if (!node_is(hi, SYM.integer)) return ITER_UNKNOWN;
    *count = strtoll(model_source(m)->text + nstart(hi), NULL, 0);
    return *count > limit ? ITER_UNBOUNDED : ITER_BOUNDED;
  }
  if (node_text_eq(model_source(m), fn, "enumerate") || node_text_eq(model_source(m), fn, "sorted") ||
      node_text_eq(model_source(m), fn, "list") || node_text_eq(model_source(m), fn, "reversed"))
    return iterable_bound(m, call_arg(args, 0), scope, count, limit);
  if (node_text_eq(model_source(m), fn, "open")) return ITER_UNBOUNDED;
  const char *qn = model_qualname(m, fn, scope);
  if (qn && (!strcmp(qn, "os.listdir") || !strcmp(qn, "os.scandir") || !strcmp(qn, "os.walk") ||
             !strcmp(qn, "glob.glob") || !strcmp(qn, "glob.iglob") || !strcmp(qn, "csv.reader") ||
             !strcmp(qn, "csv.DictReader")))
    return ITER_UNBOUNDED;
  TSNode fname = nsym(fn) == SYM.attribute ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
  if (node_is(fname, SYM.identifier)) {
    const char *t = model_source(m)->text + nstart(fname);
    size_t len = nend(fname) - nstart(fname);
    if ((len >= 9 && !memcmp(t, "fetch_all", 9)) || (len > 7 && !memcmp(t, "get_all", 7)) ||
        (len > 8 && !memcmp(t, "load_all", 8)) || (len >= 8 && !memcmp(t, "list_all", 8)))
      return ITER_UNBOUNDED;
  }
  if (nsym(fn) == SYM.attribute) {
    TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
    if (method_in(m, attr, UNBOUNDED_METHODS)) return ITER_UNBOUNDED;
    if (node_text_eq(model_source(m), attr, "items") || node_text_eq(model_source(m), attr, "values") ||
        node_text_eq(model_source(m), attr, "filter") || node_text_eq(model_source(m), attr, "order_by"))
      return iterable_bound(m, ts_node_child_by_field_id(fn, SYM.f_object), scope, count, limit);
  }
  return ITER_UNKNOWN;
}

/* Is `name` filled between `from` and `to` in text (`users.append(...)`,
 * `users += ...`)? Then the literal it was bound to says nothing of its
 * size. Scans are remembered per binding (a few per thread), so many loops
 * over one name cost one pass over the text between them. */
typedef struct GrowMemo {
  const char *text;
  uint64_t gen;  /* rl_tree_generation() when filled */
  size_t nl;
  uint32_t from, scanned, grown; /* grown: first fill at or after from, UINT32_MAX if none yet */
} GrowMemo;
enum { GROW_MEMO = 8 };
static _Thread_local GrowMemo grow_memo[GROW_MEMO];
static _Thread_local unsigned grow_next;

static bool grown_between(const Source *src, const char *name, size_t nl, uint32_t from, uint32_t to) {
  GrowMemo *e = NULL;
  uint64_t gen = rl_tree_generation();
  for (unsigned i = 0; i < GROW_MEMO && !e; i++)
    if (grow_memo[i].text == src->text && grow_memo[i].gen == gen && grow_memo[i].from == from &&
        grow_memo[i].nl == nl)
      e = &grow_memo[i];
  if (!e) {
    e = &grow_memo[grow_next++ % GROW_MEMO];
    *e = (GrowMemo){src->text, gen, nl, from, from, UINT32_MAX};
  }
  static const char *const GROW[] = {".append(", ".extend(", ".add(", ".insert(", ".update(",
                                     " += ", ".setdefault("};
  const char *t = src->text;
  for (uint32_t at = e->scanned; e->grown == UINT32_MAX && at + nl < to && at + nl < src->len; at++) {
    e->scanned = at + 1;
    if (memcmp(t + at, name, nl) || (at > 0 && (isalnum((unsigned char)t[at - 1]) || t[at - 1] == '_' || t[at - 1] == '.')))
      continue;
    for (size_t g = 0; g < sizeof GROW / sizeof *GROW; g++) {
      size_t gl = strlen(GROW[g]);
      if (at + nl + gl <= src->len && !memcmp(t + at + nl, GROW[g], gl)) e->grown = at;
    }
  }
  return e->grown < to;
}

/* Does the assignment whose value is v run on every path to `use`? Its
 * statement sits in the function's (or module's) own body, in a `with` or
 * `try` body on the way there, or in a block that holds the use too. */
static bool assign_reaches_always(TSNode v, TSNode use) {
  for (TSNode b = ts_node_parent(v); !ts_node_is_null(b); b = ts_node_parent(b)) {
    if (nsym(b) == SYM.module) return true;
    if (nsym(b) != SYM.block) continue;
    if (nstart(use) >= nstart(b) && nend(use) <= nend(b)) return true;
    uint16_t owner = nsym(ts_node_parent(b));
    if (owner == SYM.function_definition || owner == SYM.class_definition) return true;
    if (owner != SYM.with_statement && owner != SYM.try_statement &&
        strcmp(ts_node_type(ts_node_parent(b)), "finally_clause"))
      return false;
  }
  return true;
}

/* Do the assignments (their values) fill every branch of one
 * `if`/`elif`/`else` chain that always runs before the use, each as a
 * statement of the branch's own block? Then no other value gets past it. */
static bool fills_if_chain(const TSNode *vals, int n, TSNode use) {
  TSNode blk = ts_node_parent(ts_node_parent(ts_node_parent(vals[0])));
  TSNode els = ts_node_parent(blk);
  if (!node_is(blk, SYM.block) || strcmp(ts_node_type(els), "else_clause")) return false;
  TSNode ifs = ts_node_parent(els);
  if (!node_is(ifs, SYM.if_statement) || !assign_reaches_always(ifs, use)) return false;
  for (uint32_t k = 0; k < ts_node_named_child_count(ifs); k++) {
    TSNode c = ts_node_named_child(ifs, k);
    TSNode b = node_is(c, SYM.block) ? c
               : !strcmp(ts_node_type(c), "elif_clause") ? ts_node_child_by_field_id(c, SYM.f_consequence)
               : ts_node_eq(c, els) ? blk : (TSNode){0};
    if (ts_node_is_null(b)) continue; /* the condition */
    bool filled = false;
    for (int j = 0; j < n && !filled; j++)
      filled = ts_node_eq(ts_node_parent(ts_node_parent(ts_node_parent(vals[j]))), b);
    if (!filled) return false;
  }
  return true;
}

/* `if only: asns = {only}` / `else: asns = r.smembers(day)`: the reaching
 * assignment sits in a branch, and the other branch's value reaches the
 * loop too. Every assignment before it, back to one that always runs, must
 * be bounded as well; the largest count is the bound. Without one that
 * always runs, the branches must fill an if/elif/else chain; else unknown
 * (a parameter may reach). */
static IterBound branch_bound(const Model *m, TSNode use, Reaching a, int64_t *count, long limit) {
  const char *name = model_source(m)->text + nstart(use);
  size_t len = nend(use) - nstart(use);
  int64_t most = 0;
  TSNode seen[8];
  for (int i = 0; i < 8 && a.value && !a.param; i++) {
    seen[i] = a.expr;
    int64_t c;
    uint16_t as = nsym(a.expr);
    if ((as == SYM.list || as == SYM.set || as == SYM.dictionary) &&
        grown_between(model_source(m), name, len, nend(a.expr), nstart(use)))
      return ITER_UNKNOWN;
    IterBound b = iterable_bound(m, a.expr, a.scope, &c, limit);
    if (b != ITER_BOUNDED) return b;
    if (c < 0) return ITER_UNKNOWN;
    if (c > most) most = c;
    if (assign_reaches_always(a.expr, use)) {
      *count = most;
      return most > limit ? ITER_UNBOUNDED : ITER_BOUNDED;
    }
    TSNode st = ts_node_parent(a.expr); /* the assignment: the one before it */
    Reaching prev = model_reaching(m, a.scope, name, len, nstart(st));
    if (prev.value && nstart(prev.expr) >= nstart(a.expr)) break;
    if (!prev.value) {
      /* no value before (none, or a parameter without a default): only a
         chain whose every branch assigns keeps it from reaching */
      if (!fills_if_chain(seen, i + 1, use)) break;
      *count = most;
      return most > limit ? ITER_UNBOUNDED : ITER_BOUNDED;
    }
    a = prev;
  }
  return ITER_UNKNOWN;
}

IterBound iterable_bound(const Model *m, TSNode n, int scope, int64_t *count, long limit) {
  *count = -1;
  for (int depth = 0; depth < 8 && !ts_node_is_null(n); depth++) {
    uint16_t s = nsym(n);
    if (s == SYM.list || s == SYM.tuple || s == SYM.set || s == SYM.dictionary ||
        s == SYM.string) {
      *count = ts_node_named_child_count(n);
      return *count > limit ? ITER_UNBOUNDED : ITER_BOUNDED;
    }
    if (s == SYM.call) return call_bound(m, n, scope, count, limit);
    if (s == SYM.await || s == SYM.parenthesized_expression) {
      n = ts_node_named_child(n, 0);
      continue;
    }
    if (s == SYM.subscript) { /* qs[:100] */
      TSNode sl = ts_node_named_child(n, 1);
      if (node_is(sl, SYM.slice)) {
        TSNode hi = {0};
        int colons = 0;
        for (uint32_t i = 0; i < ts_node_child_count(sl); i++) {
          TSNode c = ts_node_child(sl, i);
          if (!ts_node_is_named(c)) colons++;
          else if (colons == 1 && ts_node_is_null(hi)) hi = c;
        }
        if (node_is(hi, SYM.integer)) {
          *count = strtoll(model_source(m)->text + nstart(hi), NULL, 0);
          return *count > limit ? ITER_UNBOUNDED : ITER_BOUNDED;
        }
      }
      return ITER_UNKNOWN;
    }
    if (s == SYM.attribute) {
      TSNode attr = ts_node_child_by_field_id(n, SYM.f_attribute);
      if (node_text_eq(model_source(m), attr, "objects")) return ITER_UNBOUNDED;
      return ITER_UNKNOWN;
    }
    if (s != SYM.identifier) return ITER_UNKNOWN;
    const char *name = model_source(m)->text + nstart(n);
    size_t len = nend(n) - nstart(n);
    Reaching a = model_reaching(m, scope, name, len, nstart(n));
    if (!a.value) return ITER_UNKNOWN;
    if (!a.param && !assign_reaches_always(a.expr, n)) return branch_bound(m, n, a, count, limit);
    /* `users = []`, then `users.append(...)` before the loop: not small */
    uint16_t as = ts_node_is_null(a.expr) ? 0 : nsym(a.expr);
    if ((as == SYM.list || as == SYM.set || as == SYM.dictionary) &&
        grown_between(model_source(m), name, len, nend(a.expr), nstart(n)))
      return ITER_UNKNOWN;
    n = a.expr;
    scope = a.scope;
  }
  return ITER_UNKNOWN;
}

static bool mentions_name(const Model *m, TSNode expr, const char *name, size_t len, int depth) {
  if (ts_node_is_null(expr) || depth > 20) return false;
  if (nsym(expr) == SYM.identifier)
    return (size_t)(nend(expr) - nstart(expr)) == len &&
           memcmp(model_source(m)->text + nstart(expr), name, len) == 0;
  uint32_t n = ts_node_named_child_count(expr);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_named_child(expr, i);
    /* obj.attr: only the object can name a variable */
    if (nsym(expr) == SYM.attribute && i > 0) break;
    if (nsym(expr) == SYM.keyword_argument && i == 0) continue;
    if (mentions_name(m, c, name, len, depth + 1)) return true;
  }
  return false;
}

static bool target_mentioned(const Model *m, TSNode target, TSNode expr, int depth) {
  if (ts_node_is_null(target) || depth > 8) return false;
  if (nsym(target) == SYM.identifier)
    return mentions_name(m, expr, model_source(m)->text + nstart(target), nend(target) - nstart(target), 0);
  uint32_t n = ts_node_named_child_count(target);
  for (uint32_t i = 0; i < n; i++)
    if (target_mentioned(m, ts_node_named_child(target, i), expr, depth + 1)) return true;
  return false;
}

/* Does a name in expr hold a value the loop body derived from the loop
 * target (`k = f"user:{uid}"` before `r.hget(k, ...)`)? Its reaching
 * assignment lies in the loop and mentions the target (or such a name). */
typedef struct Derived {
  const Model *m;
  const Loop *loop;
  int depth;
  bool found;
} Derived;

/* How far before a use the text is searched for the container it reads
 * (`row = {}` ... `row[h] = v` ... `row["id"]`): a bound per use, so that a
 * long loop body of many uses stays linear. */
#define FRESH_WINDOW 4096u

/* `{}`, `[]`, `set()`, `dict()`, `list()`: a container made empty. */
static bool fresh_container(const Model *m, TSNode e) {
  if ((node_is(e, SYM.dictionary) || node_is(e, SYM.list) || node_is(e, SYM.set)) &&
      ts_node_named_child_count(e) == 0)
    return true;
  if (!node_is(e, SYM.call)) return false;
  TSNode fn = ts_node_child_by_field_id(e, SYM.f_function);
  TSNode args = ts_node_child_by_field_id(e, SYM.f_arguments);
  if (!node_is(fn, SYM.identifier) || ts_node_named_child_count(args) != 0) return false;
  const char *t = model_source(m)->text + nstart(fn);
  uint32_t n = nend(fn) - nstart(fn);
  return (n == 4 && (!memcmp(t, "dict", 4) || !memcmp(t, "list", 4))) || (n == 3 && !memcmp(t, "set", 3));
}

/* Is the container `name` filled between bytes from and to of the file
 * (`name[k] = v`, `name.append(`, `.update(`, `.add(`, `.extend(`)? */
static bool filled_between(const Model *m, const char *name, size_t len, uint32_t from, uint32_t to) {
  const char *t = model_source(m)->text;
  static const char *const ops[] = {"[", ".append(", ".update(", ".add(", ".extend(", NULL};
  for (uint32_t p = from; p + len < to; p++) {
    if (memcmp(t + p, name, len) || (p > 0 && (isalnum((unsigned char)t[p - 1]) || t[p - 1] == '_')))
      continue;
    for (size_t o = 0; ops[o]; o++) {
      size_t ol = strlen(ops[o]);
      if (p + len + ol > to || memcmp(t + p + len, ops[o], ol)) continue;
      if (o > 0) return true;
      /* `name[...] = `: a store, not a read (brackets may nest:
         `row[headers[i]] = v`) */
      const char *close = NULL;
      int depth = 0;
      for (const char *c = t + p + len; c < t + to && !close; c++) {
        if (*c == '[') depth++;
        else if (*c == ']' && --depth == 0) close = c;
        else if (*c == '\n') break;
      }
      if (!close) continue;
      const char *q = close + 1;
      while (q < t + to && (*q == ' ' || *q == '\t')) q++;
      if (q < t + to && *q == '=' && q + 1 < t + to && q[1] != '=') return true;
    }
  }
  return false;
}

/* Where the last `name = {}` (`[]`, `dict()`, `list()`, `set()`) between
 * bytes from and to ends, or 0. */
static uint32_t fresh_in_loop(const Model *m, const char *name, size_t len, uint32_t from, uint32_t to) {
  const char *t = model_source(m)->text;
  static const char *const empties[] = {"{}", "[]", "dict()", "list()", "set()", NULL};
  uint32_t last = 0;
  for (uint32_t p = from; p + len < to; p++) {
    if (memcmp(t + p, name, len) || (p > 0 && (isalnum((unsigned char)t[p - 1]) || t[p - 1] == '_')))
      continue;
    const char *q = t + p + len;
    while (q < t + to && *q == ' ') q++;
    if (q >= t + to || *q != '=' || q[1] == '=') continue;
    q++;
    while (q < t + to && *q == ' ') q++;
    for (size_t e = 0; empties[e]; e++) {
      size_t el = strlen(empties[e]);
      if (q + el <= t + to && !memcmp(q, empties[e], el)) last = (uint32_t)(q + el - t);
    }
  }
  return last;
}

static bool derived_visit(TSNode n, void *data) {
  Derived *d = data;
  if (d->found) return false;
  if (!node_is(n, SYM.identifier)) return true;
  TSNode up = ts_node_parent(n);
  if (node_is(up, SYM.attribute) && !ts_node_eq(ts_node_child_by_field_id(up, SYM.f_object), n))
    return true; /* obj.attr: the attribute names no variable */
  if (node_is(up, SYM.keyword_argument) && ts_node_eq(ts_node_child_by_field_id(up, SYM.f_name), n))
    return true;
  const char *name = model_source(d->m)->text + nstart(n);
  size_t len = nend(n) - nstart(n);
  Reaching rc = model_reaching(d->m, model_scope_at(d->m, nstart(n)), name, len, nstart(n));
  if (rc.found && !rc.value) { /* `row = {}` then `row[k] = v` stores hide the plain binding */
    uint32_t from = nstart(d->loop->node), to = nstart(n);
    if (to - from > FRESH_WINDOW) from = to - FRESH_WINDOW;
    uint32_t at = fresh_in_loop(d->m, name, len, from, to);
    if (at && filled_between(d->m, name, len, at, nstart(n))) d->found = true;
    return !d->found;
  }
  if (!rc.found || !rc.value || rc.param || ts_node_is_null(rc.expr)) return true;
  if (nstart(rc.expr) <= nstart(d->loop->node) || nend(rc.expr) > nstart(n)) return true;
  if (target_mentioned(d->m, d->loop->target, rc.expr, 0)) d->found = true;
  else if (fresh_container(d->m, rc.expr) && nstart(n) - nend(rc.expr) <= FRESH_WINDOW &&
           filled_between(d->m, name, len, nend(rc.expr), nstart(n)))
    d->found = true; /* `row = {}` each item, filled from it (`row[h] = v`), then `row["id"]` */
  else if (d->depth < 3) { /* k = base + ":x" where base = f"u:{uid}" */
    Derived sub = {d->m, d->loop, d->depth + 1, false};
    node_walk(rc.expr, derived_visit, &sub);
    d->found = sub.found;
  }
  return !d->found;
}

bool mentions_loop_target(const Model *m, const Loop *loop, TSNode expr) {
  if (!loop) return false;
  if (target_mentioned(m, loop->target, expr, 0)) return true;
  if (ts_node_is_null(expr) || ts_node_is_null(loop->node) || nstart(expr) < nstart(loop->node)) return false;
  Derived d = {m, loop, 0, false};
  node_walk(expr, derived_visit, &d);
  return d.found;
}

TSNode report_node(const CallSite *cs, TSNode n) {
  if (!ts_node_is_null(n) && nstart(n) >= nstart(cs->node) && nend(n) <= nend(cs->node)) return n;
  return cs->node;
}

const char *key_display(RuleCtx *ctx, const KeyTpl *k) { return keytpl_display(ctx->arena, k); }

const char *call_key_display(RuleCtx *ctx, const CallSite *cs) {
  if (cs->key.text && !cs->key.opaque) return key_display(ctx, &cs->key);
  TSNode k = call_key_arg(ctx, cs); /* also hset(name=key, ...) */
  return ts_node_is_null(k) ? "the key" : ctx_text(ctx, k);
}

/* A key segment that is a literal id: digits (`user:1`), or 8+ hex digits
 * and dashes with a digit among them (`session:8f3a9c01`). */
static bool id_segment(const char *p, size_t n) {
  size_t digits = 0, hex = 0;
  for (size_t i = 0; i < n; i++) {
    digits += isdigit((unsigned char)p[i]) != 0;
    hex += isxdigit((unsigned char)p[i]) != 0 || p[i] == '-';
  }
  return n > 0 && (digits == n || (hex == n && n >= 8 && digits > 0));
}

bool key_is_singleton(const CallSite *cs) {
  if (!cs->key.text || cs->key.opaque || cs->key.nholes) return false;
  /* `user:1` is one entity of many written with a literal id (the seed
   * document's shape), not a singleton */
  for (const char *seg = cs->key.text;;) {
    const char *end = strchr(seg, ':');
    size_t n = end ? (size_t)(end - seg) : strlen(seg);
    if (id_segment(seg, n)) return false;
    if (!end) return true;
    seg = end + 1;
  }
}

unsigned line_of(const Source *src, uint32_t byte) { return source_position(src, byte).line; }

static bool path_has_dir(const char *path, const char *dir) {
  size_t n = strlen(dir);
  for (const char *p = path; (p = strstr(p, dir)); p += n)
    if ((p == path || p[-1] == '/') && p[n] == '/') return true;
  return false;
}

/* Is `dir` the directory that holds the file itself (`bin/tool.py`, not
 * `bin/lib/store.py`)? */
static bool path_parent_is(const char *path, const char *dir) {
  const char *slash = strrchr(path, '/');
  if (!slash) return false;
  size_t n = strlen(dir);
  return (size_t)(slash - path) >= n && !memcmp(slash - n, dir, n) &&
         (slash - n == path || slash[-(long)n - 1] == '/');
}

/* Does line i of src start with `prefix`? Sets *rest to the rest of it. */
static bool line_starts_with(const Source *src, uint32_t i, const char *prefix, const char **rest,
                             size_t *rest_len) {
  uint32_t a = src->line_starts[i], b = i + 1 < src->nlines ? src->line_starts[i + 1] : src->len;
  size_t n = strlen(prefix);
  if (b - a < n || memcmp(src->text + a, prefix, n)) return false;
  *rest = src->text + a + n;
  *rest_len = b - a - n;
  return true;
}

/* A test module by its content: a top-level class deriving from a TestCase
 * (unittest's, Django's, DRF's, IsolatedAsyncioTestCase), or a module that
 * imports pytest and defines a top-level test_ function. Django keeps its
 * tests in `tests.py` files nothing else names. */
static bool declares_tests_scan(const Source *src);

static bool declares_tests(const Source *src) {
  /* asked by many rules, per call site too: one scan per file, kept in the
   * file's Source (written only by the thread that lints the file) */
  if (!src->declares_tests) ((Source *)src)->declares_tests = declares_tests_scan(src) ? 2 : 1;
  return src->declares_tests == 2;
}

static bool declares_tests_scan(const Source *src) {
  bool pytest = false, test_fn = false;
  for (uint32_t i = 0; i < src->nlines; i++) {
    const char *r;
    size_t n;
    if (line_starts_with(src, i, "class ", &r, &n)) {
      const char *open = memchr(r, '(', n), *end = memchr(r, ':', n);
      if (open && end && open < end)
        for (const char *q = open; q + 8 <= end; q++)
          if (!memcmp(q, "TestCase", 8)) return true;
    } else if (line_starts_with(src, i, "import pytest", &r, &n) ||
               line_starts_with(src, i, "from pytest ", &r, &n)) {
      pytest = true;
    } else if (line_starts_with(src, i, "def test_", &r, &n) ||
               line_starts_with(src, i, "async def test_", &r, &n)) {
      test_fn = true;
    }
    if (pytest && test_fn) return true;
  }
  return false;
}

bool in_test_code(const Source *src, const Options *opt) {
  const char *path = src->path ? src->path : "";
  if (opt && opt->ntest_globs && path_excluded(path, opt->test_globs, opt->ntest_globs)) return true;
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strlen(base);
  if (!strncmp(base, "test_", 5) || !strcmp(base, "conftest.py")) return true;
  if (n > 8 && !strcmp(base + n - 8, "_test.py")) return true;
  /* Django's app/tests.py, and test.py / testing.py helper modules */
  if (!strcmp(base, "tests.py") || !strcmp(base, "test.py") || !strcmp(base, "testing.py") ||
      (n > 9 && !strcmp(base + n - 9, "_tests.py")))
    return true;
  if (src->line_starts && declares_tests(src)) return true;
  /* the directories inside the project only: a checkout under /builds/test/
   * (a CI runner) is not test code */
  char *rel = opt ? project_relative(opt->project, path) : NULL;
  if (rel) path = rel;
  /* "t/": celery and kombu keep their tests there; e2e/, chaos/ (a chaos
     harness that runs against a throwaway server), integration_tests/ and
     functional_tests/ are tests by name */
  static const char *const dirs[] = {"tests", "test", "testing", "t", "e2e", "chaos",
                                     "integration_tests", "functional_tests"};
  bool in = false;
  for (size_t i = 0; i < sizeof dirs / sizeof *dirs && !in; i++) in = path_has_dir(path, dirs[i]);
  free(rel);
  return in;
}

bool in_example_code(const Source *src, const Options *opt, bool with_scripts) {
  const char *path = src->path ? src->path : "";
  char *rel = opt ? project_relative(opt->project, path) : NULL;
  if (rel) path = rel;
  static const char *const dirs[] = {"examples", "example", "demo", "demos", "bench",
                                     "benchmarks", "scripts"};
  size_t n = sizeof dirs / sizeof dirs[0] - (with_scripts ? 0 : 1); /* scripts/ is last */
  bool in = false;
  for (size_t i = 0; i < n && !in; i++) in = path_has_dir(path, dirs[i]);
  free(rel);
  return in;
}

/* Does the file hold a loop or a call that keeps a process running (a
 * daemon, a consumer, a server, a poller)? Text markers: these are what
 * such programs are made of, and a one-off command has none of them. */
static bool runs_on(const Source *src) {
  static const char *const markers[] = {
      "while True", "while 1:", "while not ", "while self.", "while running", ".listen",
      "serve(", "serve_forever", "run_forever", "start_server", "reactor.", "app.run(",
      "uvicorn.run", "web.run_app", "Flask(", "FastAPI(", "Application(", "sleep(",
      "blpop(", "brpop(", "brpoplpush(", "blmove(", "bzpopmin(", "bzpopmax(", "xread(",
      "xreadgroup(", ".subscribe(", ".psubscribe(", "start_consuming", ".work(", "Thread(",
      "Process(", "schedule", "signal.signal("};
  for (size_t i = 0; i < sizeof markers / sizeof *markers; i++)
    if (source_contains(src, markers[i])) return true;
  return false;
}

/* `name(` called as a builtin: not an attribute (`x.input(`) or part of a
 * longer name (`raw_input(`, `user_input(`). */
static bool calls_builtin(const Source *src, const char *name) {
  size_t k = strlen(name);
  const char *t = src->text, *end = t + src->len;
  for (const char *p = t; p + k < end && (p = memchr(p, name[0], (size_t)(end - p - k))); p++) {
    if (memcmp(p, name, k) || p[k] != '(') continue;
    char b = p > t ? p[-1] : ' ';
    if (!isalnum((unsigned char)b) && b != '_' && b != '.') return true;
  }
  return false;
}

/* A one-off command-line program by its content: a `__main__` block, and
 * either it asks its user for input, or it reads its arguments (argparse,
 * sys.argv, click, ...) and nothing in it keeps the process running (a
 * daemon with a CLI is production code). Cleanup tools, migrations and
 * admin commands at a repository's top level look like this. */
static bool one_off_cli(const Source *src) {
  if (!source_contains(src, "__main__")) return false;
  uint32_t(*blocks)[2];
  size_t n = main_blocks(src, &blocks);
  free(blocks);
  if (!n) return false;
  if (calls_builtin(src, "input") || calls_builtin(src, "raw_input")) return true; /* interactive */
  static const char *const args[] = {"argparse", "sys.argv", "import click", "from click",
                                     "import typer", "optparse", "getopt", "docopt"};
  bool cli = false;
  for (size_t i = 0; i < sizeof args / sizeof *args && !cli; i++) cli = source_contains(src, args[i]);
  return cli && !runs_on(src);
}

/* A serverless function's entry point: `def lambda_handler(event,
 * context)` (AWS Lambda), any `def name(event, context)`. It runs on every
 * request, wherever the file sits and whatever its shebang says. */
static bool serverless_handler(const Source *src) {
  if (source_contains(src, "def lambda_handler(")) return true;
  const char *t = src->text, *end = t + src->len;
  for (const char *p = t; p < end && (p = memchr(p, '(', (size_t)(end - p))); p++) {
    const char *q = p + 1;
    while (q < end && (*q == ' ' || *q == '\n')) q++;
    if ((size_t)(end - q) < 5 || memcmp(q, "event", 5)) continue;
    q += 5;
    while (q < end && *q != ',' && *q != ')' && *q != '\n') q++; /* `: dict` */
    if (q >= end || *q != ',') continue;
    q++;
    while (q < end && (*q == ' ' || *q == '\n')) q++;
    if ((size_t)(end - q) < 7 || memcmp(q, "context", 7)) continue;
    /* the parenthesis closes a `def NAME` on the same line */
    const char *ls = p;
    while (ls > t && ls[-1] != '\n') ls--;
    while (ls < p && (*ls == ' ' || *ls == '\t')) ls++;
    if (p - ls > 4 && (!memcmp(ls, "def ", 4) || (p - ls > 10 && !memcmp(ls, "async def ", 10))))
      return true;
  }
  return false;
}

bool path_is_upgrade_step(const char *path) {
  static const char *const DIRS[] = {"update", "updates", "upgrade", "upgrades", "migrations",
                                     "migration", NULL};
  if (!path) return false;
  /* a migration by its file name: migrate.py, migrate_v2.py, migration_1_2.py */
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if (!strncmp(base, "migrate", 7) || !strncmp(base, "migration", 9)) return true;
  for (size_t i = 0; DIRS[i]; i++) {
    size_t n = strlen(DIRS[i]);
    for (const char *p = path; (p = strstr(p, DIRS[i])); p += n)
      if ((p == path || p[-1] == '/') && p[n] == '/') return true;
  }
  return false;
}

CodeRole code_role(const Source *src, const Options *opt) {
  if (in_test_code(src, opt)) return CODE_TEST;
  const char *path = src->path ? src->path : "";
  if (opt && opt->nexample_globs && path_excluded(path, opt->example_globs, opt->nexample_globs))
    return CODE_EXAMPLE;
  if (opt && opt->nscript_globs && path_excluded(path, opt->script_globs, opt->nscript_globs))
    return CODE_SCRIPT;
  char *rel = opt ? project_relative(opt->project, path) : NULL;
  if (rel) path = rel;
  static const char *const examples[] = {"examples", "example", "demo",     "demos",
                                         "docs",     "doc",     "doctests", "doctest",
                                         "tutorial", "tutorials", "homework", "exercises",
                                         "exercise", "lessons",
                                         "bench",    "benchmarks", "loadtest", "loadtests",
                                         "load_tests", "stress", "locust"};
  CodeRole role = CODE_PRODUCTION;
  for (size_t i = 0; i < sizeof examples / sizeof *examples && !role; i++)
    if (path_has_dir(path, examples[i])) role = CODE_EXAMPLE;
  /* a benchmark by its file name: bench.py, benchmark_x.py, x_bench.py,
     forgetful-bench.py */
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if (!role && (!strncmp(base, "bench", 5) || strstr(base, "_bench") || strstr(base, "-bench")))
    role = CODE_EXAMPLE;
  /* a Lambda handler runs per request even under tools/ with a shebang */
  bool serverless = !role && serverless_handler(src);
  /* bin/: the scripts directly in it; an application that keeps its
     packages under bin/ (bin/lib/, bin/modules/) is not one-off code */
  if (!role && !serverless && (path_has_dir(path, "scripts") || path_parent_is(path, "bin")))
    role = CODE_SCRIPT;
  /* a top-level tools/ directory and Django management commands hold
     maintenance commands, unless the command is a worker that runs on */
  if (!role && !serverless && (!strncmp(path, "tools/", 6) || path_has_dir(path, "management/commands")) &&
      !runs_on(src))
    role = CODE_SCRIPT;
  if (!role && !serverless && one_off_cli(src)) role = CODE_SCRIPT;
  if (!role && !serverless && path_is_upgrade_step(path)) role = CODE_SCRIPT;
  free(rel);
  return role;
}

/* Does the line at text[i..] start `if __name__ == "__main__":` (either
 * quote, either order, any spacing)? */
static bool main_guard(const char *t, uint32_t i, uint32_t end) {
  uint32_t e = i;
  while (e < end && t[e] != '\n') e++;
  if (e - i < 3 || strncmp(t + i, "if ", 3)) return false;
  char line[160];
  size_t k = 0;
  for (uint32_t j = i + 3; j < e && k + 1 < sizeof line; j++)
    if (t[j] != ' ' && t[j] != '\t' && t[j] != '(' && t[j] != ')') line[k++] = t[j] == '\'' ? '"' : t[j];
  line[k] = '\0';
  return !strncmp(line, "__name__==\"__main__\":", 21) || !strncmp(line, "\"__main__\"==__name__:", 21);
}

size_t main_blocks(const Source *src, uint32_t (**ranges)[2]) {
  *ranges = NULL;
  const char *t = src->text;
  uint32_t n = src->len;
  if (!n || !source_contains(src, "__main__")) return 0;
  size_t count = 0, cap = 0;
  for (uint32_t i = 0; i < n;) { /* line by line */
    if (main_guard(t, i, n)) {
      uint32_t start = i, j = i;
      while (j < n && t[j] != '\n') j++;
      /* the block: every following line that is blank, a comment, or indented */
      while (j < n) {
        uint32_t next = j + 1;
        if (next < n && t[next] != '\n' && t[next] != ' ' && t[next] != '\t' && t[next] != '#' &&
            t[next] != '\r')
          break;
        j = next;
        while (j < n && t[j] != '\n') j++;
      }
      if (count == cap) *ranges = xrealloc(*ranges, (cap = cap * 2 + 2) * sizeof **ranges);
      (*ranges)[count][0] = start;
      (*ranges)[count][1] = j;
      count++;
      i = j;
    }
    while (i < n && t[i] != '\n') i++;
    i++;
  }
  return count;
}

#define WORD_MAX 32

static bool word_matches(const char *w, size_t n, const char *p) {
  size_t pn = strlen(p);
  if (n < pn || strncmp(w, p, pn)) return false;
  const char *rest = w + pn;
  size_t rn = n - pn;
  if (!rn) return true;
  if (!strcmp(p, "cache")) return true; /* cached, caches, cachekey */
  return (rn == 1 && (*rest == 's' || *rest == 'd')) || (rn == 2 && !strncmp(rest, "ed", 2));
}

/* The first word of `text` (split on non-letters and camelCase) matching a
 * word of `list`, or NULL. */
const char *find_word(const char *text, const char *const *list) {
  char w[WORD_MAX + 1];
  size_t n = 0;
  for (const char *p = text;; p++) {
    bool letter = isalpha((unsigned char)*p);
    bool boundary = !letter || (n && isupper((unsigned char)*p) && islower((unsigned char)p[-1]));
    if (boundary && n) {
      w[n] = '\0';
      for (const char *const *l = list; *l; l++)
        if (word_matches(w, n, *l)) return *l;
      n = 0;
    }
    if (!*p) return NULL;
    if (letter && n < WORD_MAX) w[n++] = (char)tolower((unsigned char)*p);
  }
}

bool result_unused(const CallSite *cs) {
  if (!node_is(cs->stmt, SYM.expression_statement) || ts_node_named_child_count(cs->stmt) != 1)
    return false;
  TSNode e = ts_node_named_child(cs->stmt, 0);
  if (node_is(e, SYM.await)) e = ts_node_named_child(e, 0);
  return ts_node_eq(e, cs->node);
}

/* A call written one argument per line with a trailing comma (`f(\n    a,
 * # note\n)`): where the new argument's own line goes (the end of the last
 * argument's line, after its comment) and that line's indentation. */
static bool one_per_line(RuleCtx *ctx, TSNode last, uint32_t comma, uint32_t *at, uint32_t *ind) {
  const char *t = ctx->src->text;
  uint32_t e = comma + 1, s = nstart(last);
  while (e < ctx->src->len && (t[e] == ' ' || t[e] == '\t')) e++;
  if (e < ctx->src->len && t[e] == '#')
    while (e < ctx->src->len && t[e] != '\n' && t[e] != '\r') e++;
  if (e >= ctx->src->len || (t[e] != '\n' && t[e] != '\r')) return false;
  while (s > 0 && (t[s - 1] == ' ' || t[s - 1] == '\t')) s--;
  if (s == 0 || (t[s - 1] != '\n' && t[s - 1] != '\r')) return false;
  *at = e;
  *ind = s;
  return true;
}

/* After the call's last argument (comments skipped), or after its trailing
 * comma: `f(a,  # note` + `)` becomes `f(a, kw=v  # note` + `)`; a call written
 * one argument per line with a trailing comma gets `kw=v,` on a line of its
 * own, indented as the last argument. */
void fix_add_kwarg_to(RuleCtx *ctx, Finding *f, TSNode args, const char *kwarg) {
  TSNode last = {0};
  for (uint32_t i = ts_node_named_child_count(args); i-- > 0 && ts_node_is_null(last);)
    if (!node_is(ts_node_named_child(args, i), SYM.comment)) last = ts_node_named_child(args, i);
  if (ts_node_is_null(last)) {
    finding_edit(ctx, f, nstart(args) + 1, nstart(args) + 1, kwarg);
    return;
  }
  const char *t = ctx->src->text;
  uint32_t p = nend(last), q = p, at, ind;
  while (q < nend(args) && strchr(" \t\r\n", t[q])) q++;
  bool comma = t[q] == ',';
  if (comma && one_per_line(ctx, last, q, &at, &ind)) {
    /* one line per argument: split `a=1, b=f(x, y)` at its top-level commas */
    const char *nl = t[at] == '\r' ? "\r\n" : "\n", *out = "";
    int depth = 0, indent = (int)(nstart(last) - ind);
    char quote = 0;
    size_t from = 0, n = strlen(kwarg);
    for (size_t i = 0; i <= n; i++) {
      char c = kwarg[i];
      if (quote) {
        if (c == '\\' && i + 1 < n) i++;
        else if (c == quote) quote = 0;
        continue;
      }
      if (c == '"' || c == '\'') quote = c;
      else if (c == '(' || c == '[' || c == '{') depth++;
      else if (c == ')' || c == ']' || c == '}') depth--;
      if (c && (c != ',' || depth)) continue;
      while (kwarg[from] == ' ') from++;
      out = arena_printf(ctx->arena, "%s%s%.*s%.*s,", out, nl, indent, t + ind, (int)(i - from),
                         kwarg + from);
      from = i + 1;
    }
    finding_edit(ctx, f, at, at, out);
    return;
  }
  finding_edit(ctx, f, comma ? q + 1 : p, comma ? q + 1 : p,
               arena_printf(ctx->arena, "%s%s", comma ? " " : ", ", kwarg));
}

void fix_add_kwarg(RuleCtx *ctx, Finding *f, const CallSite *cs, const char *kwarg) {
  fix_add_kwarg_to(ctx, f, cs->args, kwarg);
}

void fix_rename_method(RuleCtx *ctx, Finding *f, const CallSite *cs, const char *method) {
  TSNode attr = ts_node_child_by_field_id(ts_node_child_by_field_id(cs->node, SYM.f_function),
                                          SYM.f_attribute);
  finding_edit(ctx, f, nstart(attr), nend(attr), method);
}

bool statement_line_range(const Source *src, TSNode stmt, uint32_t *start, uint32_t *end) {
  uint32_t s = nstart(stmt), e = nend(stmt);
  while (s > 0 && (src->text[s - 1] == ' ' || src->text[s - 1] == '\t')) s--;
  if (s > 0 && src->text[s - 1] != '\n' && src->text[s - 1] != '\r') return false;
  while (e < src->len && (src->text[e] == ' ' || src->text[e] == '\t')) e++;
  if (e < src->len && src->text[e] == '\r') e++;
  if (e < src->len && src->text[e] == '\n') e++;
  else if (e < src->len) return false; /* a comment or another statement follows */
  *start = s;
  *end = e;
  return true;
}

bool statement_own_lines(const Source *src, TSNode stmt, uint32_t *after) {
  uint32_t s = nstart(stmt), e = nend(stmt);
  while (s > 0 && (src->text[s - 1] == ' ' || src->text[s - 1] == '\t')) s--;
  if (s > 0 && src->text[s - 1] != '\n' && src->text[s - 1] != '\r') return false;
  while (e < src->len && (src->text[e] == ' ' || src->text[e] == '\t')) e++;
  if (e < src->len && src->text[e] == '#')
    while (e < src->len && src->text[e] != '\n' && src->text[e] != '\r') e++;
  if (e < src->len && src->text[e] != '\n' && src->text[e] != '\r') return false;
  *after = e;
  return true;
}

void fix_add_statement_after(RuleCtx *ctx, Finding *f, TSNode stmt, uint32_t after,
                             const char *code) {
  const char *t = ctx->src->text;
  bool crlf = after < ctx->src->len && t[after] == '\r';
  finding_edit(ctx, f, after, after,
               arena_printf(ctx->arena, "%s%s%s", crlf ? "\r\n" : "\n",
                            ctx_indent(ctx, nstart(stmt)), code));
}

static void add_param_name(RuleCtx *ctx, TSNode p, const char **out, size_t *n, size_t cap,
                           const char *self_name) {
  TSNode id = p;
  if (!node_is(p, SYM.identifier)) {
    id = ts_node_child_by_field_id(p, SYM.f_name);
    if (!node_is(id, SYM.identifier)) id = ts_node_named_child(p, 0);
  }
  if (!node_is(id, SYM.identifier) || *n >= cap) return;
  const char *name = ctx_text(ctx, id);
  if (self_name && !strcmp(name, self_name)) return;
  out[(*n)++] = name;
}

struct MethodCall {
  const char *holder;
  TSNode call;
};

typedef struct MethodWalk {
  RuleCtx *ctx;
  MethodCalls *idx;
  size_t cap;
} MethodWalk;

static bool method_call_visit(TSNode n, void *data) {
  MethodWalk *w = data;
  if (!node_is(n, SYM.call)) return true;
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  if (!node_is(fn, SYM.attribute) ||
      !node_text_eq(w->ctx->src, ts_node_child_by_field_id(fn, SYM.f_attribute), w->idx->method))
    return true;
  TSNode obj = ts_node_child_by_field_id(fn, SYM.f_object);
  if (!node_is(obj, SYM.identifier) && !node_is(obj, SYM.attribute)) return true;
  if (w->idx->n == w->cap) w->idx->v = xrealloc(w->idx->v, (w->cap = w->cap * 2 + 16) * sizeof *w->idx->v);
  w->idx->v[w->idx->n++] = (struct MethodCall){node_text_squeezed(w->ctx->arena, w->ctx->src, obj), n};
  return true;
}

static int method_call_cmp(const void *a, const void *b) {
  const struct MethodCall *x = a, *y = b;
  int c = strcmp(x->holder, y->holder);
  if (c) return c;
  uint32_t p = ts_node_start_byte(x->call), q = ts_node_start_byte(y->call);
  return p < q ? -1 : p > q;
}

void method_calls_index(RuleCtx *ctx, MethodCalls *idx, TSNode root, const char *method) {
  if (!ts_node_is_null(idx->root) && ts_node_eq(idx->root, root) && idx->method == method) return;
  idx->root = root;
  idx->method = method;
  idx->n = 0;
  MethodWalk w = {ctx, idx, 0};
  free(idx->v);
  idx->v = NULL;
  node_walk(root, method_call_visit, &w);
  if (idx->n > 1) qsort(idx->v, idx->n, sizeof *idx->v, method_call_cmp);
}

TSNode method_calls_first(const MethodCalls *idx, const char *holder, uint32_t after,
                          bool (*accept)(TSNode call)) {
  size_t lo = 0, hi = idx->n; /* the first of holder at or after `after` */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(idx->v[mid].holder, holder);
    if (c < 0 || (c == 0 && ts_node_start_byte(idx->v[mid].call) < after)) lo = mid + 1;
    else hi = mid;
  }
  for (; lo < idx->n && !strcmp(idx->v[lo].holder, holder); lo++)
    if (!accept || accept(idx->v[lo].call)) return idx->v[lo].call;
  return (TSNode){0};
}

void method_calls_free(MethodCalls *idx) {
  free(idx->v);
  memset(idx, 0, sizeof *idx);
}

bool node_text_has(const RuleCtx *ctx, TSNode n, const char *needle) {
  if (ts_node_is_null(n)) return false;
  const char *hay = ctx->src->text + ts_node_start_byte(n);
  size_t len = ts_node_end_byte(n) - ts_node_start_byte(n), m = strlen(needle);
  for (size_t i = 0; m && i + m <= len; i++)
    if (hay[i] == needle[0] && !memcmp(hay + i, needle, m)) return true;
  return false;
}

size_t func_params(RuleCtx *ctx, int func, const char **out, size_t cap) {
  size_t n = 0;
  for (const Function *fn = model_function(ctx->model, func); fn; fn = model_function(ctx->model, fn->parent)) {
    TSNode ps = ts_node_child_by_field_id(fn->node, SYM.f_parameters);
    for (uint32_t i = 0; i < ts_node_named_child_count(ps); i++)
      add_param_name(ctx, ts_node_named_child(ps, i), out, &n, cap, fn->self_name);
  }
  return n;
}

typedef struct Mention {
  RuleCtx *ctx;
  const char *const *names;
  size_t n;
  const char *found;
} Mention;

static bool mention_visit(TSNode node, void *data) {
  Mention *m = data;
  if (m->found) return false;
  if (!node_is(node, SYM.identifier)) return true;
  TSNode parent = ts_node_parent(node);
  if (node_is(parent, SYM.attribute) &&
      ts_node_eq(ts_node_child_by_field_id(parent, SYM.f_attribute), node))
    return true;
  if (node_is(parent, SYM.keyword_argument) &&
      ts_node_eq(ts_node_child_by_field_id(parent, SYM.f_name), node))
    return true;
  for (size_t i = 0; i < m->n; i++)
    if (node_text_eq(m->ctx->src, node, m->names[i])) {
      m->found = m->names[i];
      return false;
    }
  return true;
}

const char *expr_mentions_any(RuleCtx *ctx, TSNode expr, const char *const *names, size_t n) {
  if (ts_node_is_null(expr) || !n) return NULL;
  Mention m = {ctx, names, n, NULL};
  node_walk(expr, mention_visit, &m);
  return m.found;
}

/* The first call site starting at or after `byte` (call sites are in tree
 * order, so by start byte). */
static void range_walk_in(TSNode n, uint32_t from, uint32_t to,
                          bool (*visit)(TSNode n, void *data), void *data, int depth) {
  if (!visit(n, data)) return;
  TSTreeCursor c = ts_tree_cursor_new(n);
  if (ts_tree_cursor_goto_first_child_for_byte(&c, from) >= 0) {
    do {
      TSNode ch = ts_tree_cursor_current_node(&c);
      if (nstart(ch) >= to) break;
      if ((nstart(ch) >= from && nend(ch) <= to) || depth > 200) node_walk(ch, visit, data);
      else range_walk_in(ch, from, to, visit, data, depth + 1);
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
}

void range_walk(TSNode root, uint32_t from, uint32_t to, bool (*visit)(TSNode n, void *data),
                void *data) {
  if (!ts_node_is_null(root)) range_walk_in(root, from, to, visit, data, 0);
}

size_t first_call_from(const Model *m, uint32_t byte) {
  size_t lo = 0, hi = model_ncalls(m);
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (nstart(model_call(m, mid)->node) < byte) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

void func_calls(const Model *m, size_t i, int func, size_t *lo, size_t *hi) {
  const Function *fn = model_function(m, func);
  *lo = i;
  *hi = i + 1;
  if (!fn) return;
  *lo = first_call_from(m, nstart(fn->node)); /* O(log n): asked per call by rules */
  *hi = first_call_from(m, nend(fn->node));
}

TSNode call_key_arg(RuleCtx *ctx, const CallSite *cs) {
  TSNode k = call_arg(cs->args, 0);
  return ts_node_is_null(k) ? call_kwarg(ctx->src, cs->args, "name") : k;
}

bool same_expr_text(RuleCtx *ctx, TSNode a, TSNode b) {
  return !ts_node_is_null(a) && !ts_node_is_null(b) &&
         !strcmp(node_text_squeezed(ctx->arena, ctx->src, a),
                 node_text_squeezed(ctx->arena, ctx->src, b));
}

/* A template with no letters or digits of its own (`{}:{}`, the prefix in a
 * setting): equal templates then say nothing about the keys being equal. */
static bool template_blank(const char *t) {
  for (; *t; t++)
    if (isalnum((unsigned char)*t)) return false;
  return true;
}

bool calls_same_key(RuleCtx *ctx, const CallSite *a, const CallSite *b) {
  if (a->key.text && b->key.text && !a->key.opaque && !b->key.opaque &&
      !(template_blank(a->key.text) && a->key.nholes))
    return !strcmp(a->key.text, b->key.text);
  return same_expr_text(ctx, call_key_arg(ctx, a), call_key_arg(ctx, b));
}

/* ---- Calls grouped by key -------------------------------------------------- */

typedef struct KeyEntry {
  uint64_t hash;
  size_t index;
} KeyEntry;

/* The two texts calls_same_key() compares: the template when it decides
 * (part 0), else the key expression's text (part 1); NULL when absent. */
static const char *key_part(RuleCtx *ctx, const CallSite *cs, int part) {
  if (part == 0)
    return cs->key.text && !cs->key.opaque && !(template_blank(cs->key.text) && cs->key.nholes)
               ? cs->key.text
               : NULL;
  TSNode k = call_key_arg(ctx, cs);
  return ts_node_is_null(k) ? NULL : node_text_squeezed(ctx->arena, ctx->src, k);
}

static int entry_cmp(const void *a, const void *b) {
  const KeyEntry *x = a, *y = b;
  if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

void key_groups_build(RuleCtx *ctx, KeyGroups *g, const size_t *calls, size_t n) {
  for (int p = 0; p < 2; p++) {
    g->by[p] = n ? malloc(n * sizeof(KeyEntry)) : NULL;
    g->n[p] = 0;
    if (n && !g->by[p]) abort();
    for (size_t i = 0; i < n; i++) {
      const char *t = key_part(ctx, model_call(ctx->model, calls[i]), p);
      if (t) g->by[p][g->n[p]++] = (KeyEntry){strset_hash(t, strlen(t)), calls[i]};
    }
    if (g->n[p]) qsort(g->by[p], g->n[p], sizeof(KeyEntry), entry_cmp);
  }
}

/* First entry of `e` not before (hash, index). */
static size_t entry_lower(const KeyEntry *e, size_t n, uint64_t hash, size_t index) {
  size_t lo = 0, hi = n;
  KeyEntry k = {hash, index};
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (entry_cmp(&e[mid], &k) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

void key_groups_find(RuleCtx *ctx, const KeyGroups *g, const CallSite *cs, size_t lo, size_t hi,
                     Vec *out) {
  out->len = 0;
  const KeyEntry *run[2] = {NULL, NULL}, *end[2] = {NULL, NULL};
  for (int p = 0; p < 2; p++) {
    const char *t = key_part(ctx, cs, p);
    if (!t || !g->n[p]) continue;
    uint64_t h = strset_hash(t, strlen(t));
    run[p] = g->by[p] + entry_lower(g->by[p], g->n[p], h, lo);
    end[p] = g->by[p] + entry_lower(g->by[p], g->n[p], h, hi);
  }
  /* merge the two ascending runs, each index once */
  while (run[0] < end[0] || run[1] < end[1]) {
    int p = run[0] >= end[0] ? 1 : run[1] >= end[1] ? 0 : run[0]->index <= run[1]->index ? 0 : 1;
    size_t i = run[p]->index;
    run[p]++;
    if (p == 0 && run[1] < end[1] && run[1]->index == i) run[1]++;
    if (out->len && *(size_t *)vec_at(out, out->len - 1) == i) continue;
    *(size_t *)vec_push(out) = i;
  }
}

void key_groups_free(KeyGroups *g) {
  free(g->by[0]);
  free(g->by[1]);
  g->by[0] = g->by[1] = NULL;
}

TSNode statement_next(TSNode stmt, bool *comment) {
  TSNode n = ts_node_next_named_sibling(stmt);
  for (; node_is(n, SYM.comment); n = ts_node_next_named_sibling(n))
    if (comment) *comment = true;
  return n;
}

TSNode statement_prev(TSNode stmt, bool *comment) {
  TSNode n = ts_node_prev_named_sibling(stmt);
  for (; node_is(n, SYM.comment); n = ts_node_prev_named_sibling(n))
    if (comment) *comment = true;
  return n;
}

/* ---- Timeouts ------------------------------------------------------------- */

static bool number_literal(const Source *src, TSNode n, double *out) {
  char buf[64];
  size_t len = 0;
  for (uint32_t i = nstart(n); i < nend(n) && len + 1 < sizeof buf; i++)
    if (src->text[i] != '_') buf[len++] = src->text[i];
  buf[len] = '\0';
  char *end;
  double d = node_is(n, SYM.integer) ? (double)strtoll(buf, &end, 0) : strtod(buf, &end);
  if (end == buf || *end) return false;
  *out = d;
  return true;
}

static bool number_at(RuleCtx *ctx, TSNode n, int scope, double *out, int depth) {
  if (depth > 6 || ts_node_is_null(n)) return false;
  n = model_resolve(ctx->model, n, &scope);
  if (node_is(n, SYM.parenthesized_expression)) return number_at(ctx, ts_node_named_child(n, 0), scope, out, depth + 1);
  if (node_is(n, SYM.integer) || node_is(n, SYM.float_)) return number_literal(ctx->src, n, out);
  if (!node_is(n, SYM.binary_operator)) return false;
  double a, b;
  if (!number_at(ctx, ts_node_child_by_field_id(n, SYM.f_left), scope, &a, depth + 1) ||
      !number_at(ctx, ts_node_child_by_field_id(n, SYM.f_right), scope, &b, depth + 1))
    return false;
  TSNode op = ts_node_child_by_field_id(n, SYM.f_operator);
  if (node_text_eq(ctx->src, op, "*")) *out = a * b;
  else if (node_text_eq(ctx->src, op, "+")) *out = a + b;
  else if (node_text_eq(ctx->src, op, "-")) *out = a - b;
  else if (node_text_eq(ctx->src, op, "/") && b != 0) *out = a / b;
  else return false;
  return true;
}

bool number_value(RuleCtx *ctx, TSNode n, int scope, double *out) {
  return number_at(ctx, n, scope, out, 0);
}

const Ctor *value_ctor(const Model *m, Value v) {
  if (!v.ctor_start && !v.ctor_end) return NULL;
  size_t lo = 0, hi = model_nctors(m);
  while (lo < hi) { /* constructions come in tree order */
    size_t mid = (lo + hi) / 2;
    if (nstart(model_ctor(m, mid)->node) < v.ctor_start) lo = mid + 1;
    else hi = mid;
  }
  const Ctor *c = lo < model_nctors(m) ? model_ctor(m, lo) : NULL;
  return c && nstart(c->node) == v.ctor_start ? c : NULL;
}

typedef enum { ST_NONE, ST_FINITE, ST_UNKNOWN } SockTimeout;

/* `socket_timeout=<number>` in a literal URL's query. */
static SockTimeout url_timeout(RuleCtx *ctx, const Ctor *c, double *out) {
  TSNode url = call_arg(c->args, 0);
  if (ts_node_is_null(url)) url = call_kwarg(ctx->src, c->args, "url");
  int scope = c->scope;
  url = model_resolve(ctx->model, url, &scope);
  if (!node_is(url, SYM.string)) return ST_NONE;
  const char *t = ctx_text(ctx, url), *q = strstr(t, "socket_timeout=");
  if (!q) return ST_NONE;
  char *end;
  *out = strtod(q + 15, &end);
  return end > q + 15 ? ST_FINITE : ST_UNKNOWN;
}

/* What one construction says about socket_timeout. */
static SockTimeout ctor_timeout(RuleCtx *ctx, const Ctor *c, double *out, const Ctor **decides,
                                int depth) {
  if (call_has_splat(c->args) || depth > 3) return ST_UNKNOWN;
  *decides = c;
  TSNode t = call_kwarg(ctx->src, c->args, "socket_timeout");
  if (ts_node_is_null(t) && c->v.kind == OBJ_CLIENT && !c->from_url && !c->v.cluster &&
      call_npositional(c->args) >= 5 && !node_is(ts_node_child_by_field_id(c->node, SYM.f_function), SYM.attribute))
    t = call_arg(c->args, 4); /* Redis(host, port, db, password, socket_timeout) */
  if (!ts_node_is_null(t)) {
    int scope = c->scope;
    if (node_is(model_resolve(ctx->model, t, &scope), SYM.none)) return ST_UNKNOWN; /* forever */
    return number_value(ctx, t, c->scope, out) && *out > 0 ? ST_FINITE : ST_UNKNOWN;
  }
  if (c->from_url) {
    SockTimeout u = url_timeout(ctx, c, out);
    if (u != ST_NONE) return u;
  }
  TSNode pool = call_kwarg(ctx->src, c->args, "connection_pool");
  if (!ts_node_is_null(pool)) {
    const Ctor *pc = value_ctor(ctx->model, model_eval(ctx->model, pool));
    return pc && pc != c ? ctor_timeout(ctx, pc, out, decides, depth + 1) : ST_UNKNOWN;
  }
  TSNode fn = ts_node_child_by_field_id(c->node, SYM.f_function);
  if (node_is(fn, SYM.attribute)) {
    TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
    if (node_text_eq(ctx->src, attr, "master_for") || node_text_eq(ctx->src, attr, "slave_for")) {
      Value sv = model_eval(ctx->model, ts_node_child_by_field_id(fn, SYM.f_object));
      const Ctor *sc = value_ctor(ctx->model, sv);
      if (sc && sc != c) {
        SockTimeout s = ctor_timeout(ctx, sc, out, decides, depth + 1);
        if (s != ST_NONE) return s;
        *decides = c;
      }
    }
  }
  return ST_NONE;
}

bool client_socket_timeout(RuleCtx *ctx, const CallSite *cs, double *seconds, TSNode *ctor) {
  const Ctor *c = value_ctor(ctx->model, cs->recv);
  if (!c) return false;
  const Ctor *decides = c;
  double s = 0;
  switch (ctor_timeout(ctx, c, &s, &decides, 0)) {
  case ST_UNKNOWN: return false;
  case ST_FINITE: break;
  case ST_NONE:
    if (!ctx->pyver || ctx->pyver->cls != PYV_8_OR_LATER) return false;
    s = 5;
    break;
  }
  *seconds = s;
  if (ctor) *ctor = decides->node;
  return true;
}

typedef struct BlockingParam {
  const char *method, *kw;
  uint8_t pos;
  bool ms, dflt;
} BlockingParam;

static const BlockingParam BLOCKING[] = {
    {"blpop", "timeout", 1, false, true},      {"brpop", "timeout", 1, false, true},
    {"brpoplpush", "timeout", 2, false, true}, {"blmove", "timeout", 2, false, false},
    {"bzpopmin", "timeout", 1, false, true},   {"bzpopmax", "timeout", 1, false, true},
    {"blmpop", "timeout", 0, false, false},    {"bzmpop", "timeout", 0, false, false},
    {"xread", "block", 2, true, false},        {"xreadgroup", "block", 4, true, false},
};

bool blocking_timeout_param(const CallSite *cs, uint32_t *pos, const char **kw, bool *ms,
                            bool *dflt) {
  for (size_t i = 0; i < sizeof BLOCKING / sizeof BLOCKING[0]; i++)
    if (!strcmp(cs->method, BLOCKING[i].method)) {
      *pos = BLOCKING[i].pos;
      *kw = BLOCKING[i].kw;
      *ms = BLOCKING[i].ms;
      *dflt = BLOCKING[i].dflt;
      return true;
    }
  return false;
}

bool blocking_timeout(RuleCtx *ctx, const CallSite *cs, double *seconds, TSNode *arg) {
  uint32_t pos;
  const char *kw;
  bool ms, dflt;
  if (!blocking_timeout_param(cs, &pos, &kw, &ms, &dflt)) return false;
  TSNode t = call_kwarg(ctx->src, cs->args, kw);
  if (ts_node_is_null(t)) t = call_arg(cs->args, pos);
  if (arg) *arg = t;
  if (ts_node_is_null(t)) {
    /* omitted, or hidden behind *args / **kwargs */
    if (call_has_splat(cs->args) || !dflt) return false;
    *seconds = 0;
    return true;
  }
  int scope = cs->scope;
  if (node_is(model_resolve(ctx->model, t, &scope), SYM.none)) {
    if (ms) return false; /* block=None: does not block */
    *seconds = 0;
    return true;
  }
  double v;
  if (!number_value(ctx, t, cs->scope, &v) || v < 0) return false;
  *seconds = ms ? v / 1000.0 : v;
  return true;
}

const char *call_short(RuleCtx *ctx, const CallSite *cs) {
  const char *t = ctx_text(ctx, cs->node);
  if (strlen(t) <= 60 && !strchr(t, '\n')) return t;
  return arena_printf(ctx->arena, "%s.%s(...)", cs->recv_text, cs->method);
}

static bool word_at(const char *s, size_t i, const char *w) {
  size_t n = strlen(w);
  for (size_t k = 0; k < n; k++)
    if (!s[i + k] || tolower((unsigned char)s[i + k]) != w[k]) return false;
  unsigned char prev = i ? (unsigned char)s[i - 1] : 0;
  bool start = !isalpha(prev) || (isupper((unsigned char)s[i]) && islower(prev));
  if (!start) return false;
  const char *e = s + i + n;
  static const char *const suffixes[] = {"", "s", "ed", "ing"};
  for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
    size_t sl = strlen(suffixes[k]);
    if (strncmp(e, suffixes[k], sl)) continue;
    unsigned char after = (unsigned char)e[sl];
    if (!isalpha(after) || isupper(after)) return true;
  }
  return false;
}

bool text_names_lock(const char *s) {
  static const char *const words[] = {"lock", "mutex", "leader", "semaphore"};
  for (size_t i = 0; s && s[i]; i++)
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
      if (tolower((unsigned char)s[i]) == words[k][0] && word_at(s, i, words[k])) return true;
  return false;
}

bool key_names_lock(RuleCtx *ctx, const CallSite *cs) {
  if (cs->key.text && text_names_lock(cs->key.text)) return true;
  TSNode k = call_key_arg(ctx, cs);
  return !ts_node_is_null(k) && text_names_lock(ctx_text(ctx, k));
}

bool block_exits(TSNode block) {
  uint32_t n = ts_node_named_child_count(block);
  while (n > 0 && node_is(ts_node_named_child(block, n - 1), SYM.comment)) n--;
  if (!n) return false;
  TSNode last = ts_node_named_child(block, n - 1);
  const char *type = ts_node_type(last);
  return node_is(last, SYM.return_statement) || node_is(last, SYM.raise_statement) ||
         !strcmp(type, "continue_statement") || !strcmp(type, "break_statement");
}

bool contains_ci(const char *s, const char *needle) {
  size_t n = strlen(needle);
  for (; *s; s++)
    if (!strncasecmp(s, needle, n)) return true;
  return false;
}

const char *pipe_with(const CallSite *cs) { return cs->recv.is_async ? "async with " : "with "; }

const char *pipe_await(const CallSite *cs) { return cs->recv.is_async ? "await " : ""; }

/* ---- the file's own helpers (helper_of) -------------------------------- */

static int named_cmp(const void *a, const void *b) {
  const HelperName *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  return c ? c : (x->index > y->index) - (x->index < y->index);
}

void helper_names_build(RuleCtx *ctx, HelperNames *nm) {
  size_t nf = model_nfunctions(ctx->model), nc = model_nclasses(ctx->model);
  nm->v = xmalloc((nf + nc + 1) * sizeof *nm->v);
  for (size_t i = 0; i < nf; i++) {
    const Function *f = model_function(ctx->model, (int)i);
    if (f->name && f->parent < 0) nm->v[nm->n++] = (HelperName){f->name, (int)i, f->cls};
  }
  for (size_t c = 0; c < nc; c++) {
    const Class *k = model_class(ctx->model, (int)c);
    if (k->name) nm->v[nm->n++] = (HelperName){k->name, (int)c, -2};
  }
  if (nm->n > 1) qsort(nm->v, nm->n, sizeof *nm->v, named_cmp);
}

static size_t names_first(const HelperNames *nm, const char *name) {
  size_t lo = 0, hi = nm->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(nm->v[mid].name, name) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* The function of this file a call runs: `name(...)` (a module function
 * defined once), `self.name(...)`/`cls.name(...)` (a method of the enclosing
 * class), `Cls.name(...)` (a method of a class of this file); -1 if none. */
int helper_of(RuleCtx *ctx, const HelperNames *nm, TSNode call, int func) {
  TSNode fn = ts_node_child_by_field_id(call, SYM.f_function);
  const char *name = NULL;
  int cls = -1;
  bool module_fn = false;
  if (node_is(fn, SYM.identifier)) {
    name = ctx_text(ctx, fn);
    module_fn = true;
  } else if (node_is(fn, SYM.attribute)) {
    TSNode obj = ts_node_child_by_field_id(fn, SYM.f_object);
    name = ctx_text(ctx, ts_node_child_by_field_id(fn, SYM.f_attribute));
    if (!node_is(obj, SYM.identifier) && !node_is(obj, SYM.attribute)) return -1;
    const Function *in = model_function(ctx->model, func);
    if (node_is(obj, SYM.identifier) && in && in->cls >= 0 &&
        (node_text_eq(ctx->src, obj, "self") || node_text_eq(ctx->src, obj, "cls"))) {
      cls = in->cls;
    } else if (node_is(obj, SYM.identifier)) {
      const char *on = ctx_text(ctx, obj);
      for (size_t j = names_first(nm, on); j < nm->n && !strcmp(nm->v[j].name, on); j++)
        if (nm->v[j].cls == -2) {
          if (cls >= 0) return -1; /* two classes of that name */
          cls = nm->v[j].index;
        }
    }
    if (cls < 0) { /* an instance of a class of this file: `queue.enqueue(x)`,
                      `self.queue_client.enqueue(x)` */
      Value v = model_eval(ctx->model, obj);
      if (v.kind == OBJ_INSTANCE && v.cls >= 0) cls = v.cls;
    }
    if (cls < 0) return -1;
  } else {
    return -1;
  }
  int found = -1;
  for (size_t j = names_first(nm, name); j < nm->n && !strcmp(nm->v[j].name, name); j++) {
    const HelperName *e = &nm->v[j];
    if (e->cls == -2 || (module_fn ? e->cls >= 0 : e->cls != cls)) continue;
    if (found >= 0) return -1; /* defined twice: not one helper */
    found = e->index;
  }
  return found;
}

void helper_names_free(HelperNames *nm) {
  free(nm->v);
  nm->v = NULL;
  nm->n = 0;
}

bool expected_to_raise(const Source *src, TSNode n) {
  int hops = 0;
  for (TSNode p = ts_node_parent(n); !ts_node_is_null(p) && hops < 64; p = ts_node_parent(p), hops++) {
    if (node_is(p, SYM.function_definition)) return false;
    if (!node_is(p, SYM.with_statement)) continue;
    TSNode clause = ts_node_named_child(p, 0);
    for (uint32_t i = 0; i < ts_node_named_child_count(clause); i++) {
      TSNode item = ts_node_named_child(ts_node_named_child(clause, i), 0);
      if (node_is(item, SYM.as_pattern)) item = ts_node_named_child(item, 0);
      if (!node_is(item, SYM.call)) continue;
      TSNode fn = ts_node_child_by_field_id(item, SYM.f_function);
      TSNode last = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
      uint32_t len = nend(last) - nstart(last);
      const char *t = src->text + nstart(last);
      if ((len == 6 && !memcmp(t, "raises", 6)) || (len >= 12 && !memcmp(t, "assertRaises", 12)))
        return true;
    }
  }
  return false;
}
