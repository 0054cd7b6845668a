/* RL201 cache-without-ttl: a key that is a cache (cache-aside shape, or its
 * name says so) written without a TTL. It never expires; under the default
 * noeviction policy a full server rejects writes, and volatile-* policies
 * can only evict keys that have a TTL. Durable state (counters, flags,
 * indexes, queues, job records) is not a cache. */
#include <ctype.h>
#include <fnmatch.h>
#include <string.h>

#include "growth.h"

static const char *const WRITES[] = {"set", "hset", "hmset", "mset", NULL};
static const char *const READS[] = {"get", "hget", "hgetall", "hmget", "exists", NULL};
static const char *const EXPIRES[] = {"expire", "pexpire", "expireat", "pexpireat", "getex",
                                      NULL};
/* A word of the key, function or class name that makes the key a cache. */
static const char *const CACHE_WORDS[] = {"cache", "session", "token", "otp", "tmp", "temp",
                                          NULL};
/* Words of a function or class name that make its writes a cache's: fewer
 * than for a key, as a function is named for what it does (`set_user_token`
 * writes the user's record; `create_user_otp` its secret). */
static const char *const NAME_CACHE_WORDS[] = {"cache", "session", "tmp", "temp", NULL};
/* Words of durable state: they win over cache words in the key. */
static const char *const DURABLE_WORDS[] = {"lock", "counter", "count", "seq", "sequence",
                                            "index", "idx", "queue", "job", "stats", "flag",
                                            "config", "version", "schema", NULL};
/* Parameters that let the caller choose the TTL (cache facades). */
static const char *const TTL_PARAMS[] = {"ttl", "timeout", "expire", "expires", "expiry", "ex",
                                         "px", "max_age", "lifetime", "expiration", "expire_in",
                                         "expires_in", "ttl_seconds", "cache_timeout", NULL};


static bool in_list(const char *s, const char *const *list) {
  for (; *list; list++)
    if (!strcmp(s, *list)) return true;
  return false;
}

/* Calls of a project helper named for an expiry (`self.expire(key)`, `await
 * self.aexpire(key)`, `self._set_ttl(key)`), in tree order: gathered by one
 * walk over the file when a write first needs them. */
typedef struct Helpers {
  bool done;
  Vec calls; /* TSNode */
  bool listed;
  Vec reads, expires; /* size_t: indices of the READS and EXPIRES call sites */
  KeyGroups read_keys, expire_keys; /* the same, grouped by key */
  Vec found;                        /* size_t: a key_groups_find() answer */
  int pipe_named;    /* -1 not yet known; else whether the file mentions "pipe" */
  int del_func;      /* deleted_before(): the function whose first DEL/UNLINK is known */
  bool del_known;
  size_t first_del;  /* ... its index, SIZE_MAX for none */
} Helpers;

/* The READS and EXPIRES call sites of the file, listed once (the checks per
 * write then look only at those, not at every call of the function). */
static void list_calls(RuleCtx *ctx, Helpers *hs) {
  if (hs->listed) return;
  hs->listed = true;
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (call_method_in(cs, READS)) *(size_t *)vec_push(&hs->reads) = i;
    if (call_method_in(cs, EXPIRES)) *(size_t *)vec_push(&hs->expires) = i;
  }
  key_groups_build(ctx, &hs->read_keys, hs->reads.data, hs->reads.len);
  key_groups_build(ctx, &hs->expire_keys, hs->expires.data, hs->expires.len);
}

typedef struct HelperScan {
  RuleCtx *ctx;
  Vec *out;
} HelperScan;

static bool helper_visit(TSNode n, void *data) {
  HelperScan *h = data;
  if (!node_is(n, SYM.call)) return true;
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  TSNode name = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
  if (!node_is(name, SYM.identifier)) return true;
  const char *t = ctx_text(h->ctx, name);
  if (strstr(t, "expire") || strstr(t, "ttl")) *(TSNode *)vec_push(h->out) = n;
  return true;
}

/* A helper call after the write, in its function, given the same key. */
static bool helper_expires(RuleCtx *ctx, Helpers *hs, const CallSite *w) {
  const Function *fn = model_function(ctx->model, w->func);
  TSNode key = call_arg(w->args, 0);
  if (!fn || ts_node_is_null(key)) return false;
  if (!hs->done) {
    hs->done = true;
    HelperScan scan = {ctx, &hs->calls};
    node_walk(model_root(ctx->model), helper_visit, &scan);
  }
  size_t lo = 0, hi = hs->calls.len; /* first helper call after the write */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (nstart(*(TSNode *)vec_at(&hs->calls, mid)) <= nend(w->node)) lo = mid + 1;
    else hi = mid;
  }
  for (size_t i = lo; i < hs->calls.len; i++) {
    TSNode n = *(TSNode *)vec_at(&hs->calls, i);
    if (nstart(n) >= nend(fn->node)) break;
    TSNode a0 = call_arg(ts_node_child_by_field_id(n, SYM.f_arguments), 0);
    if (!ts_node_is_null(a0) && node_same_text(ctx->src, a0, key)) return true;
  }
  return false;
}

/* An expire of the same key later in the same function (any receiver). */
static bool expired_later(RuleCtx *ctx, Helpers *hs, const CallSite *w, size_t wi) {
  if (helper_expires(ctx, hs, w)) return true;
  size_t lo, hi;
  func_calls(ctx->model, wi, w->func, &lo, &hi);
  list_calls(ctx, hs);
  /* SET drops a TTL the key had; HSET keeps it, so for a hash an EXPIRE
     earlier in the function (after the key was created) counts too */
  bool keeps_ttl = w->method[0] == 'h';
  key_groups_find(ctx, &hs->expire_keys, w, keeps_ttl ? lo : wi + 1, hi, &hs->found);
  for (size_t k = 0; k < hs->found.len; k++) {
    size_t i = *(size_t *)vec_at(&hs->found, k);
    const CallSite *cs = model_call(ctx->model, i);
    if (cs->func == w->func && (keeps_ttl || nstart(cs->node) > nstart(w->node)) &&
        calls_same_key(ctx, cs, w))
      return true;
  }
  return false;
}

/* A constant written as a value (`"1"`, `True`, `0`, a short literal): a
 * marker (seen, done, onboarded, ready), whose whole point is to stay; a
 * cache holds data computed from somewhere. */
/* A constant: a literal number, True/False, a short string, a named
 * constant (ALL_CAPS), or str()/int()/bool()/float() of one: `str(True)` is
 * a default or a flag, not data computed to be served. */
static bool constant_value(RuleCtx *ctx, TSNode v) {
  if (ts_node_is_null(v)) return false;
  if (node_is(v, SYM.call)) {
    TSNode fn = ts_node_child_by_field_id(v, SYM.f_function), args = ts_node_child_by_field_id(v, SYM.f_arguments);
    static const char *const CASTS[] = {"str", "int", "bool", "float", NULL};
    if (!node_is(fn, SYM.identifier) || !in_list(ctx_text(ctx, fn), CASTS) ||
        ts_node_named_child_count(args) != 1)
      return false;
    v = ts_node_named_child(args, 0);
  }
  if (node_is(v, SYM.integer) || node_is(v, SYM.float_) || node_is(v, SYM.true_) || node_is(v, SYM.false_))
    return true;
  if (node_is(v, SYM.identifier)) {
    const char *t = ctx_text(ctx, v);
    bool upper = false;
    for (; *t; t++) {
      if (islower((unsigned char)*t)) return false;
      upper |= isupper((unsigned char)*t) != 0;
    }
    return upper;
  }
  if (!node_is(v, SYM.string) || (string_prefix(ctx->src, v) & STR_F)) return false;
  return nend(v) - nstart(v) <= 12; /* "1", "yes", "done", "ready" with quotes */
}

static bool marker_value(RuleCtx *ctx, const CallSite *w) {
  /* SET k "1", or HSET k field 1: a flag on a record (a job's "not_queued") */
  if (strcmp(w->method, "set") && !(!strcmp(w->method, "hset") && call_npositional(w->args) == 3))
    return false;
  return constant_value(ctx, written_value(ctx, w));
}

typedef struct Tested {
  RuleCtx *ctx;
  const char *name;
  TSNode read;
  uint32_t from, to;
  bool yes;
} Tested;

/* Is `e` the read's value: the assigned name or the read call itself? */
static bool is_value(Tested *t, TSNode e) {
  while (node_is(e, SYM.parenthesized_expression)) e = ts_node_named_child(e, 0);
  if (node_is(e, SYM.await)) e = ts_node_named_child(e, 0);
  if (ts_node_eq(e, t->read)) return true;
  return t->name && node_is(e, SYM.identifier) && node_text_eq(t->ctx->src, e, t->name);
}

/* A hit-or-miss test of the value: `v`, `not v`, `v is None`, `v is not
 * None`, `v == None`, or one side of `and`/`or`. Comparisons with anything
 * else (`stock < qty`) test the data, not its presence. */
static bool miss_test(Tested *t, TSNode c, int depth) {
  while (node_is(c, SYM.parenthesized_expression)) c = ts_node_named_child(c, 0);
  if (depth > 4 || ts_node_is_null(c)) return false;
  if (is_value(t, c)) return true;
  if (node_is(c, SYM.not_operator)) return miss_test(t, ts_node_named_child(c, 0), depth + 1);
  if (node_is(c, SYM.boolean_operator))
    return miss_test(t, ts_node_child_by_field_id(c, SYM.f_left), depth + 1) ||
           miss_test(t, ts_node_child_by_field_id(c, SYM.f_right), depth + 1);
  if (node_is(c, SYM.comparison_operator) && ts_node_named_child_count(c) == 2) {
    TSNode a = ts_node_named_child(c, 0), b = ts_node_named_child(c, 1);
    return (is_value(t, a) && node_is(b, SYM.none)) || (is_value(t, b) && node_is(a, SYM.none));
  }
  return false;
}

/* Is the value compared with data (`v != str(new)`, `v == expected`, `new >
 * v`) in the condition? A write when the stored value is missing *or
 * differs* keeps a setting in sync with its source, and one when it is
 * missing *or smaller* keeps a running maximum (a loader's "latest date
 * loaded" marker): durable state, not a cache fill; a TTL would drop it. */
/* `str(v)`, `int(v)`, `v.decode()`: v itself, for a comparison */
static TSNode unwrap_conversion_once(Tested *t, TSNode e) {
  if (!node_is(e, SYM.call)) return e;
  TSNode fn = ts_node_child_by_field_id(e, SYM.f_function);
  TSNode args = ts_node_child_by_field_id(e, SYM.f_arguments);
  if (node_is(fn, SYM.identifier) && ts_node_named_child_count(args) == 1 &&
      (node_text_eq(t->ctx->src, fn, "str") || node_text_eq(t->ctx->src, fn, "int") ||
       node_text_eq(t->ctx->src, fn, "float") || node_text_eq(t->ctx->src, fn, "bytes")))
    return ts_node_named_child(args, 0);
  if (node_is(fn, SYM.attribute) &&
      node_text_eq(t->ctx->src, ts_node_child_by_field_id(fn, SYM.f_attribute), "decode"))
    return ts_node_child_by_field_id(fn, SYM.f_object);
  return e;
}

/* `int(v.decode())`: a few conversions deep */
static TSNode unwrap_conversion(Tested *t, TSNode e) {
  for (int i = 0; i < 3; i++) {
    TSNode u = unwrap_conversion_once(t, e);
    if (ts_node_eq(u, e)) break;
    e = u;
  }
  return e;
}

/* The comparison's operator is an ordering or an equality (`<`, `>=`, `==`,
 * `!=`), not `is`, `in`: those test presence or membership, not the data. */
static bool value_operator(TSNode c) {
  static const char *const OPS[] = {"==", "!=", "<", ">", "<=", ">=", "<>", NULL};
  for (uint32_t i = 0; i < ts_node_child_count(c); i++) {
    TSNode k = ts_node_child(c, i);
    if (!ts_node_is_named(k)) return in_list(ts_node_type(k), OPS);
  }
  return false;
}

static bool compares_value(Tested *t, TSNode c, int depth) {
  while (node_is(c, SYM.parenthesized_expression)) c = ts_node_named_child(c, 0);
  if (depth > 4 || ts_node_is_null(c)) return false;
  if (node_is(c, SYM.not_operator)) return compares_value(t, ts_node_named_child(c, 0), depth + 1);
  if (node_is(c, SYM.boolean_operator))
    return compares_value(t, ts_node_child_by_field_id(c, SYM.f_left), depth + 1) ||
           compares_value(t, ts_node_child_by_field_id(c, SYM.f_right), depth + 1);
  if (node_is(c, SYM.comparison_operator) && ts_node_named_child_count(c) == 2) {
    TSNode a = unwrap_conversion(t, ts_node_named_child(c, 0));
    TSNode b = unwrap_conversion(t, ts_node_named_child(c, 1));
    return value_operator(c) && ((is_value(t, a) && !node_is(b, SYM.none)) || (is_value(t, b) && !node_is(a, SYM.none)));
  }
  return false;
}

static bool tested_visit(TSNode n, void *data) {
  Tested *t = data;
  if (t->yes || nstart(n) >= t->to) return false;
  if (nend(n) < t->from) return true;
  if (node_is(n, SYM.if_statement)) {
    TSNode c = ts_node_child_by_field_id(n, SYM.f_condition);
    /* the write must be on the miss path: inside the if, or after an if
       whose branch leaves (`if v: return v`); `if old: <clean up>` followed
       by an unconditional write is an update of a record, not a fill */
    bool on_path = t->to < nend(n) ||
                   block_exits(ts_node_child_by_field_id(n, SYM.f_consequence));
    t->yes = on_path && miss_test(t, c, 0) && !compares_value(t, c, 0);
  } else if (node_is(n, SYM.conditional_expression))
    t->yes = miss_test(t, ts_node_named_child(n, 1), 0);
  return true;
}

/* `v = r.get(K)` and v tested before the write (or the read is itself a
 * condition): the write fills the cache on a miss. Returns the read. */
static bool marker_value(RuleCtx *ctx, const CallSite *w);

/* A marker's value: a constant, or when it happened (`str(time.time())`,
 * `datetime.now().isoformat()`). */
static bool stamp_value(RuleCtx *ctx, const CallSite *w) {
  if (marker_value(ctx, w)) return true;
  TSNode v = written_value(ctx, w);
  if (ts_node_is_null(v)) return false;
  const char *t = ctx_text(ctx, v);
  return strstr(t, "time.time()") || strstr(t, ".now(") || strstr(t, ".utcnow(") ||
         strstr(t, "time.monotonic()");
}

static const CallSite *cache_aside_read(RuleCtx *ctx, Helpers *hs, const CallSite *w, size_t wi,
                                        bool *rmw) {
  const Function *fn = model_function(ctx->model, w->func);
  size_t lo, hi;
  func_calls(ctx->model, wi, w->func, &lo, &hi);
  list_calls(ctx, hs);
  key_groups_find(ctx, &hs->read_keys, w, lo, wi, &hs->found);
  for (size_t k = 0; k < hs->found.len; k++) {
    size_t i = *(size_t *)vec_at(&hs->found, k);
    const CallSite *r = model_call(ctx->model, i);
    if (r->func != w->func || nend(r->node) > nstart(w->node)) continue;
    if (!calls_same_key(ctx, r, w)) continue;
    /* `if not r.exists(k): r.hset(k, ...)` creates a record once (a
       coordination entry, a registration): it reads no value to serve. A
       SET after the same check still fills a cache (`page:/` rendered) */
    if (!strcmp(r->method, "exists") && w->method[0] == 'h') continue;
    TSNode value = written_value(ctx, w);
    if (!ts_node_is_null(value) && value_from_read(ctx, r, w, value)) {
      *rmw = true; /* a read-modify-write (RL304), not a cache fill */
      return NULL;
    }
    Tested t = {.ctx = ctx, .read = r->node, .from = nstart(r->node), .to = nstart(w->node)};
    if (node_is(r->stmt, SYM.expression_statement)) {
      TSNode a = ts_node_named_child(r->stmt, 0);
      TSNode left = node_is(a, SYM.assignment) ? ts_node_child_by_field_id(a, SYM.f_left) : a;
      if (node_is(a, SYM.assignment) && node_is(left, SYM.identifier))
        t.name = ctx_text(ctx, left);
    }
    /* a read tested in place (`if r.get(k): return`) that guards writing a
       constant or a timestamp: a seen/done marker, not a cache (a page
       rendered on a miss still is one) */
    if (!t.name && stamp_value(ctx, w)) continue;
    /* nor one that guards writing a value made before the check (`uid =
       r.incr(...)`, then `if not r.get(f"user:{name}"): r.set(..., uid)`):
       nothing is computed on the miss, the key is claimed
       (a registration, a check-then-set race for RL304), not filled */
    if (!t.name && value_made_before(ctx, w, r)) continue;
    /* the test lies between the read and the write */
    range_walk(ts_node_child_by_field_id(fn->node, SYM.f_body), t.from, t.to + 1, tested_visit, &t);
    if (t.yes) return r;
  }
  return NULL;
}

/* The key's literal text (holes dropped) for word matching; for MSET, the
 * keys of its mapping. */
static const char *key_words_text(RuleCtx *ctx, const CallSite *w) {
  const char *text = w->key.text;
  if (!strcmp(w->method, "mset")) {
    Stored st[MAX_VALUES];
    size_t n = stored_values(ctx->model, w, st, MAX_VALUES, NULL);
    text = "";
    for (size_t i = 0; i < n; i++) {
      KeyTpl k = model_key(ctx->model, st[i].field);
      if (k.text) text = arena_printf(ctx->arena, "%s %s", text, k.text);
    }
  }
  if (!text) return "";
  char *t = arena_strdup(ctx->arena, text);
  for (char *p = t; *p; p++)
    if (*p == KEY_HOLE) *p = ' ';
  return t;
}

/* An object hash: the HSET and its new EXPIRE in one MULTI/EXEC pipeline
 * (set-then-expire reports an HSET followed by a separate EXPIRE):
 *     with r.pipeline() as pipe:
 *         pipe.hset(...)
 *         pipe.expire(key, ttl)
 *         pipe.execute()
 * False when the statement is not the call alone or the key is not simple. */
static bool pipeline_fix(RuleCtx *ctx, Helpers *hs, Finding *f, const CallSite *w, const char *key,
                         long ttl) {
  if (!result_unused(w) || value_is_pipeline(w->recv) || w->recv.kind == OBJ_CLIENT_OR_PIPELINE ||
      ts_node_is_null(call_key_arg(ctx, w)) || strchr(key, '(') || strchr(key, '\n'))
    return false;
  uint32_t at;
  if (!statement_own_lines(ctx->src, w->stmt, &at)) return false;
  const char *ind = ctx_indent(ctx, nstart(w->stmt));
  if (hs->pipe_named < 0) hs->pipe_named = source_contains(ctx->src, "pipe"); /* once a file */
  const char *p = hs->pipe_named ? "ttl_pipe" : "pipe";
  /* the arguments as written, their continuation lines one level deeper */
  const char *args = ctx_text(ctx, w->args);
  size_t len = 0, lines = 0;
  for (const char *c = args; *c; c++, len++) lines += *c == '\n';
  char *moved = arena_alloc(ctx->arena, len + 4 * lines + 1), *o = moved;
  for (const char *c = args; *c; c++) {
    *o++ = *c;
    if (*c == '\n') o = memcpy(o, "    ", 4), o += 4;
  }
  *o = 0;
  const char *aw = w->awaited ? "await " : "", *as = w->awaited ? "async " : "";
  const char *text = arena_printf(ctx->arena,
                                  "%swith %s.pipeline() as %s:\n%s    %s.%s%s\n%s    %s.expire(%s, "
                                  "%ld)\n%s    %s%s.execute()",
                                  as, w->recv_text, p, ind, p, w->method, moved, ind, p, key, ttl, ind,
                                  aw, p);
  finding_fix(ctx, f, FIX_UNSAFE,
              "Give it a TTL in the same MULTI/EXEC: `%swith %s.pipeline() as %s:` with the "
              "%s, `%s.expire(%s, %ld)` and `%s%s.execute()`",
              as, w->recv_text, p, w->method, p, key, ttl, aw, p);
  finding_edit(ctx, f, nstart(w->stmt), nend(w->stmt), text);
  return true;
}

static void add_fix(RuleCtx *ctx, Helpers *hs, Finding *f, const CallSite *w) {
  long ttl = ctx->opt->default_ttl;
  if (!strcmp(w->method, "mset")) {
    finding_fix(ctx, f, FIX_DISPLAY,
                "MSET cannot set TTLs: write each key with `set(k, v, ex=%ld)` in one "
                "`pipeline(transaction=False)`",
                ttl);
    return;
  }
  const char *key = ctx_text(ctx, call_key_arg(ctx, w));
  if (!strcmp(w->method, "set")) {
    bool edits = !call_has_splat(w->args) && !ts_node_is_null(call_arg(w->args, 1));
    finding_fix(ctx, f, edits ? FIX_UNSAFE : FIX_DISPLAY,
                "Give it a TTL: `%s.set(..., ex=%ld)`: pick how long the data may be stale",
                w->recv_text, ttl);
    if (edits) fix_add_kwarg(ctx, f, w, arena_printf(ctx->arena, "ex=%ld", ttl));
    return;
  }
  if ((!strcmp(w->method, "hset") || !strcmp(w->method, "hmset")) && w->loop < 0 &&
      !w->recv.inferred && pipeline_fix(ctx, hs, f, w, key, ttl))
    return;
  const char *call = arena_printf(ctx->arena, "%s%s.expire(%s, %ld)", w->awaited ? "await " : "",
                                  w->recv_text, key, ttl);
  /* On a pipeline an extra command would shift the replies of execute(). */
  uint32_t at;
  bool edits = result_unused(w) && !value_is_pipeline(w->recv) &&
               w->recv.kind != OBJ_CLIENT_OR_PIPELINE && !ts_node_is_null(call_key_arg(ctx, w)) &&
               !strchr(key, '(') && !strchr(key, '\n') && statement_own_lines(ctx->src, w->stmt, &at);
  finding_fix(ctx, f, edits ? FIX_UNSAFE : FIX_DISPLAY,
              "Give it a TTL after writing: `%s` (better: both in one MULTI pipeline)", call);
  if (edits) fix_add_statement_after(ctx, f, w->stmt, at, call);
}

/* The write sits in the branch taken when a configured TTL is unset: `if
 * settings.CACHE_TTL: r.setex(k, ttl, v) else: r.set(k, v)`. No expiry is
 * then the configuration's choice, like a TTL parameter's caller's. */
static bool ttl_unset_branch(RuleCtx *ctx, const CallSite *w) {
  TSNode prev = w->node;
  for (TSNode p = ts_node_parent(w->node); !ts_node_is_null(p); prev = p, p = ts_node_parent(p)) {
    if (node_is(p, SYM.function_definition)) return false;
    TSNode cond = {0};
    bool in_else = false;
    if (node_is(p, SYM.if_statement)) {
      cond = ts_node_child_by_field_id(p, SYM.f_condition);
      in_else = !ts_node_eq(prev, ts_node_child_by_field_id(p, SYM.f_consequence)) &&
                !ts_node_eq(prev, cond);
    } else if (node_is(p, SYM.conditional_expression)) {
      cond = ts_node_named_child(p, 1);
      in_else = ts_node_eq(prev, ts_node_named_child(p, 2));
    }
    if (ts_node_is_null(cond)) continue;
    const char *t = ctx_text(ctx, cond);
    bool negated = !strncmp(t, "not ", 4) || strstr(t, " is None") || strstr(t, "== 0");
    static const char *const TTL_WORDS[] = {"ttl", "timeout", "expire", "expiry", "expiration",
                                            "lifetime", NULL};
    if (in_else != negated && find_word(t, TTL_WORDS)) return true;
  }
  return false;
}

/* What a file does to its keys, gathered in one pass when a cache-aside
 * write first needs it: the keys written twice in one function ("func\x02key")
 * and the keys whose fields it HDELs. Keys by their template text, or the
 * key expression as written. */
typedef struct KeyFacts {
  bool done;
  StrSet twice; /* "func\x02key" written twice in that function */
  StrSet hdel;  /* keys whose fields the file HDELs */
  StrSet multi; /* constant keys written from two functions or more */
  StrSet multi_tpl; /* key templates (holes too) written from two functions or more */
} KeyFacts;

static const char *key_id(RuleCtx *ctx, const CallSite *c) {
  if (c->key.text && !c->key.opaque) return c->key.text;
  TSNode k = call_key_arg(ctx, c);
  return ts_node_is_null(k) ? NULL : ctx_text(ctx, k);
}

static void key_facts(RuleCtx *ctx, KeyFacts *kf) {
  if (kf->done) return;
  kf->done = true;
  StrSet once = {0}, keys = {0};
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *c = model_call(ctx->model, i);
    const char *k = key_id(ctx, c);
    if (!k) continue;
    if (!strcmp(c->method, "hdel")) strset_add(&kf->hdel, k, strlen(k));
    if (!call_method_in(c, WRITES)) continue;
    const char *fk = arena_printf(ctx->arena, "%d\x02%s", c->func, k);
    if (!strset_add(&once, fk, strlen(fk))) {
      strset_add(&kf->twice, fk, strlen(fk)); /* this function again */
    } else if (c->key.text && !c->key.opaque && !strset_add(&keys, k, strlen(k))) {
      strset_add(&kf->multi_tpl, k, strlen(k)); /* a template, from a second function */
      if (!c->key.nholes) strset_add(&kf->multi, k, strlen(k)); /* a constant key */
    }
  }
  strset_free(&once);
  strset_free(&keys);
}

/* Another write of w's key in its function (the hit path writes it too),
 * or an HDEL of it anywhere in the file (for a hash). */
static bool written_twice_or_hdel(RuleCtx *ctx, const CallSite *w, KeyFacts *kf) {
  key_facts(ctx, kf);
  const char *k = key_id(ctx, w);
  if (!k) return false;
  const char *fk = arena_printf(ctx->arena, "%d\x02%s", w->func, k);
  if (strset_has(&kf->twice, fk, strlen(fk))) return true;
  return w->method[0] == 'h' && strset_has(&kf->hdel, k, strlen(k));
}

/* A DEL or UNLINK earlier in w's function (call sites come in tree order):
 * the function's first one is found once, when its first write asks. */
static bool deleted_before(RuleCtx *ctx, Helpers *hs, const CallSite *w, size_t wi) {
  if (hs->del_func != w->func || !hs->del_known) {
    size_t lo, hi;
    func_calls(ctx->model, wi, w->func, &lo, &hi);
    hs->del_func = w->func;
    hs->del_known = true;
    hs->first_del = SIZE_MAX;
    for (size_t k = lo; k < hi && hs->first_del == SIZE_MAX; k++) {
      const CallSite *c = model_call(ctx->model, k);
      if (c->func == w->func && (!strcmp(c->method, "delete") || !strcmp(c->method, "unlink")))
        hs->first_del = k;
    }
  }
  return hs->first_del < wi;
}

/* Is w's key a loop variable over the keyspace's own keys: `for key in
 * r.keys(...)` / `r.scan_iter(...)`, directly or through a name assigned
 * from such a call? */
static bool key_from_keyspace(RuleCtx *ctx, const CallSite *w) {
  TSNode k = call_key_arg(ctx, w);
  if (!node_is(k, SYM.identifier)) return false;
  for (int li = w->loop; li >= 0;) {
    const Loop *l = model_loop(ctx->model, li);
    if (!l) break;
    if (node_is(l->target, SYM.identifier) && node_same_text(ctx->src, l->target, k) &&
        !ts_node_is_null(l->iterable)) {
      TSNode it = l->iterable;
      if (node_is(it, SYM.identifier)) { /* keys = await r.keys(...) */
        const char *nm = ctx_text(ctx, it);
        Reaching rc = model_reaching(ctx->model, w->scope, nm, strlen(nm), nstart(l->node));
        if (rc.found && rc.value && !rc.param && !ts_node_is_null(rc.expr)) it = rc.expr;
      }
      const char *t = ctx_text(ctx, it);
      return strstr(t, ".keys(") || strstr(t, "scan_iter(") || strstr(t, ".scan(");
    }
    li = l->parent;
  }
  return false;
}

static void check(RuleCtx *ctx) {
  if (in_test_code(ctx->src, ctx->opt)) return; /* test keys die with the test database */
  const Model *m = ctx->model;
  Helpers hs = {.calls = VEC_INIT(TSNode),
                .reads = VEC_INIT(size_t),
                .expires = VEC_INIT(size_t),
                .found = VEC_INIT(size_t),
                .pipe_named = -1};
  KeyFacts kf = {0};
  for (size_t i = 0; i < model_ncalls(m); i++) {
    const CallSite *w = model_call(m, i);
    if (!call_method_in(w, WRITES) || ttl_text(ctx, w)[0] || ttl_unset_branch(ctx, w)) continue;
    /* a facade that sets expiries itself (`def mset(self, mapping,
       expiration=None)`, `self.expire_key(key, expiration)`): its write is
       not the bare command */
    if (w->recv.facade & FACADE_TTL) continue;
    /* a module-level write outside a loop runs once per process: one key,
       not a cache that fills with the traffic */
    if (w->func < 0 && w->loop < 0) continue;
    if (!strcmp(w->method, "set") && !ts_node_is_null(call_kwarg(ctx->src, w->args, "nx")))
      continue; /* SET NX: a lock or an idempotency marker */
    const char *kw = key_words_text(ctx, w);
    /* configured cache key patterns ("options.cache-keys") win over words */
    const char *shown = w->key.text ? keytpl_display(ctx->arena, &w->key) : NULL;
    size_t g = 0;
    while (shown && g < ctx->opt->ncache_globs && fnmatch(ctx->opt->cache_globs[g], shown, 0)) g++;
    bool configured = shown && g < ctx->opt->ncache_globs;
    if (!configured && find_word(kw, DURABLE_WORDS)) continue;
    const Function *fn = w->func >= 0 ? model_function(m, w->func) : NULL;
    if (fn) {
      const char *params[64];
      size_t np = func_params(ctx, w->func, params, 64);
      bool caller_decides = false;
      for (size_t p = 0; p < np && !caller_decides; p++)
        caller_decides = in_list(params[p], TTL_PARAMS) || find_word(params[p], TTL_PARAMS);
      if (caller_decides) continue;
    }
    const char *why = NULL;
    bool rmw = false;
    const CallSite *read = fn ? cache_aside_read(ctx, &hs, w, i, &rmw) : NULL;
    if (rmw || (fn && func_atomic_guarded(ctx, i))) continue;
    /* A hash whose key has no hole is one aggregate (`sessions:owner`): its
     * name tells what it indexes, not that it is a cache. */
    bool names = w->method[0] != 'h' || w->key.nholes;
    const char *word;
    if (read)
      why = arena_printf(ctx->arena, "cache-aside: read on line %u, filled here on a miss",
                         line_of(ctx->src, nstart(read->node)));
    else if (configured)
      why = arena_printf(ctx->arena, "the key matches the configured cache key pattern `%s`",
                         ctx->opt->cache_globs[g]);
    else if (names && (word = find_word(kw, CACHE_WORDS)))
      why = arena_printf(ctx->arena, "the key name says %s", word);
    else if (names && fn && (word = find_word(fn->name, NAME_CACHE_WORDS)))
      why = arena_printf(ctx->arena, "the function `%s` says %s", fn->name, word);
    else if (names && fn && fn->cls >= 0 && (word = find_word(model_class(m, fn->cls)->name, NAME_CACHE_WORDS)))
      why = arena_printf(ctx->arena, "the class `%s` says %s", model_class(m, fn->cls)->name, word);
    if (!why || (fn && expired_later(ctx, &hs, w, i)) || marker_value(ctx, w)) continue;
    /* a key found by walking the keyspace (`for key in r.keys("memory:*")`,
       scan_iter): an existing record backfilled by a migration, not a cache
       entry created for an item; a TTL would expire the whole record */
    if (read && key_from_keyspace(ctx, w)) continue;
    /* the key is written on the hit path too (`if not history: hset(...)
       elif history[...] != new: hset(...)`): the code keeps it in sync, it
       does not fill a cache on a miss; and a hash whose fields the file
       removes one by one (HDEL when their owner goes) is managed entry by
       entry */
    if (read && written_twice_or_hdel(ctx, w, &kf)) continue;
    /* one constant key that a setter elsewhere keeps current (write-through):
       nothing accumulates and it is never stale */
    if (read && !w->key.nholes && w->key.text && !w->key.opaque) {
      key_facts(ctx, &kf);
      if (strset_has(&kf.multi, w->key.text, strlen(w->key.text))) continue;
    }
    /* only a function's or class's name says cache, and another function
       writes the same keys too (`warm_cache_settings` rebuilds what
       `on_setting_saved` keeps current): a write-through mirror of a table,
       whose readers may have nothing to fall back on; a TTL would lose it */
    if (!read && !configured && fn && !find_word(kw, CACHE_WORDS) && w->key.text && !w->key.opaque) {
      key_facts(ctx, &kf);
      if (strset_has(&kf.multi_tpl, w->key.text, strlen(w->key.text))) continue;
    }
    /* ... or the function first deletes what it then writes back (`keys =
       r.keys("sys_config:*")`, `r.delete(*keys)`, then a SET per row): it
       rebuilds a mirror of a table at start-up or on a refresh */
    if (!read && !configured && fn && !find_word(kw, CACHE_WORDS) && deleted_before(ctx, &hs, w, i))
      continue;
    Finding *f = rule_report(ctx, w->node, SEV_WARNING,
                             "cache key `%s` is written without a TTL (%s): it never expires; "
                             "under the default noeviction policy a full server rejects writes, "
                             "and volatile-* policies only evict keys that have a TTL",
                             call_key_display(ctx, w), why);
    if (read) finding_related(ctx, f, NULL, nstart(read->node), nend(read->node), "the cache read");
    if (w->key.text && !w->key.opaque && growth_key_specific(w->key.text))
      f->key = arena_strdup(ctx->arena, w->key.text);
    add_fix(ctx, &hs, f, w);
  }
  vec_free(&hs.calls);
  vec_free(&hs.reads);
  vec_free(&hs.expires);
  vec_free(&hs.found);
  key_groups_free(&hs.read_keys);
  key_groups_free(&hs.expire_keys);
  strset_free(&kf.multi);
  strset_free(&kf.multi_tpl);
  strset_free(&kf.twice);
  strset_free(&kf.hdel);
}

/* INCR and friends: a key the project increments is a counter or an id
 * sequence (`total_users` behind user:N), not a cache; a TTL would restart
 * it and overwrite what it numbered. */
static const char *const COUNTERS[] = {"incr", "incrby", "decr", "decrby", "incrbyfloat", NULL};

/* Drops findings whose key template some file expires, or increments. */
/* A key the project deletes explicitly has a lifecycle of its own (a
 * registry entry removed when its process stops): a name alone does not make
 * it a cache. A cache-aside fill stays reported: invalidation on update does
 * not remove the keys nobody updates. */
static const char *const DELETES[] = {"delete", "unlink", "getdel", NULL};

static bool keep_unless_deleted(ProjectCtx *ctx, size_t file, const Finding *f, void *data) {
  (void)ctx;
  (void)file;
  if (!f->key || strstr(f->message, "TTL (cache-aside:") || strstr(f->message, "configured cache key pattern"))
    return true;
  return !growth_has(data, f->key);
}

static void check_project(ProjectCtx *ctx) {
  growth_filter(ctx, EXPIRES, false);
  growth_filter(ctx, COUNTERS, false);
  StrSet deleted = {0};
  growth_keys_used_by(ctx->run, DELETES, &deleted);
  project_filter(ctx, keep_unless_deleted, &deleted);
  strset_free(&deleted);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/cache-without-ttl.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_cache_without_ttl = {
    .check_file = check,
    .check_project = check_project,
};
