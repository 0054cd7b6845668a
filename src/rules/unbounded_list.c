/* RL203 unbounded-list: a list or sorted set that code pushes to and nothing
 * in the project ever trims, pops, moves, expires or deletes. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "growth.h"

static const char *const LIST_PUSHES[] = {"lpush", "rpush", "lpushx", "rpushx", NULL};
static const char *const LIST_SHRINKERS[] = {
    "ltrim", "lpop", "rpop", "blpop", "brpop", "lmove", "blmove", "rpoplpush", "brpoplpush",
    "lrem", "lmpop", "blmpop", "delete", "unlink", "getdel", "rename", "renamenx", "expire",
    "pexpire", "expireat", "pexpireat", "setex", NULL};
/* Reads that use a sorted set as an index (by score range, by member):
 * `captures of a domain between two dates`. Such a set holds what it
 * indexes, and trimming it would drop search results. A set read only by
 * rank windows (the latest N of a feed) or not at all is what grows. */
static const char *const ZSET_INDEX_READS[] = {
    "zrangebyscore", "zrevrangebyscore", "zrangebylex", "zrevrangebylex", "zscore", "zmscore",
    "zrank", "zrevrank", "zcount", "zlexcount", NULL};
static const char *const ZSET_SHRINKERS[] = {
    "zremrangebyscore", "zremrangebyrank", "zremrangebylex", "zpopmin", "zpopmax", "bzpopmin",
    "bzpopmax", "zrem", "delete", "unlink", "rename", "renamenx", "expire", "pexpire",
    "expireat", "pexpireat", NULL};

#define KEEP_LAST 1000

static void list_fix(RuleCtx *ctx, Finding *f, const CallSite *cs) {
  bool right = cs->method[0] == 'r';
  TSNode k = call_arg(cs->args, 0);
  const char *key = ts_node_is_null(k) ? "key" : ctx_text(ctx, k);
  const char *call = arena_printf(ctx->arena, "%s%s.ltrim(%s, %s)", cs->awaited ? "await " : "",
                                  cs->recv_text, key, right ? "-1000, -1" : "0, 999");
  /* Not on a pipeline: one more command would shift the replies of
   * execute(). Not for a key computed by a call: it would run twice (and
   * `f"log:{today()}"` may name another key the second time). */
  uint32_t at;
  bool edits = result_unused(cs) && !ts_node_is_null(k) && !value_is_pipeline(cs->recv) &&
               cs->recv.kind != OBJ_CLIENT_OR_PIPELINE && !strchr(key, '(') &&
               !strchr(key, '\n') && statement_own_lines(ctx->src, cs->stmt, &at);
  finding_fix(ctx, f, edits ? FIX_UNSAFE : FIX_DISPLAY,
              "Cap it after each push: `%s` keeps the newest %d entries (readers of older "
              "entries lose them), or give the key a TTL",
              call, KEEP_LAST);
  if (edits) fix_add_statement_after(ctx, f, cs->stmt, at, call);
}

static const char *const QUEUE_WORDS[] = {"queue", "queued", "jobs", "tasks", "inbox", "outbox",
                                          "mailbox", "work", "pending", NULL};

/* Is the key's last word a queue's (`emails:queue`, `jobs`, `worker:inbox`)?
 * Not `jobs:dead` (a dead-letter list only grows) nor `job:{}:archive`. */
static bool queue_named(const char *key) {
  const char *end = key + strlen(key), *w = end;
  while (w > key && !isalpha((unsigned char)w[-1])) w--; /* trailing holes, digits */
  end = w;
  while (w > key && isalpha((unsigned char)w[-1])) w--;
  if (w == end) return false;
  char last[16];
  size_t n = (size_t)(end - w);
  if (n >= sizeof last) return false;
  for (size_t i = 0; i < n; i++) last[i] = (char)tolower((unsigned char)w[i]);
  last[n] = '\0';
  for (const char *const *q = QUEUE_WORDS; *q; q++)
    if (!strcmp(last, *q)) return true;
  return false;
}

/* ---- Indexes of records ----
 * `hset(f"observables:{oid}", ...)` then `zadd("observables", {oid: ts})`:
 * the sorted set lists records the same function stores. When those records
 * never expire and are never deleted, the set is as large as the data it
 * indexes, by design; capping it would lose entries of live records. When
 * the records go (a TTL, a DEL), their ids stay in the set: that is still
 * reported. The file check notes the record write (RECORD_NOTE) and
 * check_project, which sees every file's deletes, decides. */
static const char *const RECORD_WRITES[] = {"set", "hset", "hmset", "hsetnx", "setnx", "sadd",
                                            NULL};
/* The related note that marks a finding as an index of records, for
 * check_project. */
#define RECORD_NOTE "the record this member names: the project deletes or expires such records, not their index entries"

/* A record write's id expressions (the holes of its key template, and the
 * parts of its key as written: see record_add_written), sorted for lookups. */
typedef struct RecordId {
  int func;
  const char *text; /* squeezed expression text */
  size_t call;
} RecordId;

/* `name[x] = ...` in a function: x goes into the dict `name`. */
typedef struct DictStore {
  int func;
  const char *name;
  uint32_t at;
  TSNode member;
} DictStore;

typedef struct Records {
  bool built;
  Vec ids;    /* RecordId */
  Vec stores; /* DictStore, by function, name, then position */
} Records;

static int store_cmp(const void *a, const void *b) {
  const DictStore *x = a, *y = b;
  if (x->func != y->func) return x->func < y->func ? -1 : 1;
  int c = strcmp(x->name, y->name);
  if (c) return c;
  return x->at < y->at ? -1 : x->at > y->at;
}

typedef struct StoreScan {
  RuleCtx *ctx;
  Vec *out;
} StoreScan;

static bool store_visit(TSNode n, void *data) {
  StoreScan *sc = data;
  if (!node_is(n, SYM.assignment)) return true;
  TSNode left = ts_node_child_by_field_id(n, SYM.f_left);
  if (!node_is(left, SYM.subscript) || ts_node_named_child_count(left) != 2) return true;
  TSNode obj = ts_node_named_child(left, 0);
  int func = model_func_at(sc->ctx->model, nstart(n));
  if (!node_is(obj, SYM.identifier) || func < 0) return true;
  DictStore *d = vec_push(sc->out);
  d->func = func;
  d->name = ctx_text(sc->ctx, obj);
  d->at = nstart(n);
  d->member = ts_node_named_child(left, 1);
  return true;
}

static int record_cmp(const void *a, const void *b) {
  const RecordId *x = a, *y = b;
  if (x->func != y->func) return x->func < y->func ? -1 : 1;
  int c = strcmp(x->text, y->text);
  if (c) return c;
  return x->call < y->call ? -1 : x->call > y->call;
}

static void record_add(RuleCtx *ctx, Records *rs, int func, TSNode e, size_t call) {
  if (ts_node_is_null(e) || node_is(e, SYM.string) || node_is(e, SYM.integer)) return;
  RecordId *r = vec_push(&rs->ids);
  r->func = func;
  r->text = node_text_squeezed(ctx->arena, ctx->src, e);
  r->call = call;
}

/* The id expressions of a key as written: the key itself (`vuln_id`,
 * `identifier`), the interpolations of an f-string, the operands of `%`
 * and `+`, the arguments of `.format()`. The key template's holes may be
 * resolved further (`identifier` to what it was built from). */
static void record_add_written(RuleCtx *ctx, Records *rs, int func, TSNode e, size_t call,
                               int depth) {
  while (node_is(e, SYM.parenthesized_expression)) e = ts_node_named_child(e, 0);
  if (ts_node_is_null(e) || depth > 3) return;
  if (node_is(e, SYM.string)) {
    for (uint32_t i = 0; i < ts_node_named_child_count(e); i++) {
      TSNode in = ts_node_named_child(e, i);
      if (node_is(in, SYM.interpolation)) record_add(ctx, rs, func, ts_node_named_child(in, 0), call);
    }
    return;
  }
  if (node_is(e, SYM.binary_operator)) {
    record_add_written(ctx, rs, func, ts_node_child_by_field_id(e, SYM.f_left), call, depth + 1);
    record_add_written(ctx, rs, func, ts_node_child_by_field_id(e, SYM.f_right), call, depth + 1);
    return;
  }
  if (node_is(e, SYM.tuple)) {
    for (uint32_t i = 0; i < ts_node_named_child_count(e); i++)
      record_add_written(ctx, rs, func, ts_node_named_child(e, i), call, depth + 1);
    return;
  }
  if (node_is(e, SYM.call)) {
    TSNode fn = ts_node_child_by_field_id(e, SYM.f_function);
    if (node_is(fn, SYM.attribute) &&
        node_text_eq(ctx->src, ts_node_child_by_field_id(fn, SYM.f_attribute), "format")) {
      TSNode args = ts_node_child_by_field_id(e, SYM.f_arguments);
      for (uint32_t i = 0; i < ts_node_named_child_count(args); i++)
        record_add(ctx, rs, func, ts_node_named_child(args, i), call);
      return;
    }
  }
  record_add(ctx, rs, func, e, call);
}

/* Built once a file when a push first needs it (the record writes and the
 * `name[x] = ...` stores): then binary searches per push, so a function of
 * many writes stays O(n log n). */
static void records_build(RuleCtx *ctx, Records *rs) {
  if (rs->built) return;
  rs->built = true;
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *c = model_call(ctx->model, i);
    if (c->func < 0 || !call_method_in(c, RECORD_WRITES)) continue;
    if (c->key.text && !c->key.opaque)
      for (uint8_t h = 0; h < c->key.nholes && h < KEY_MAX_HOLES; h++)
        record_add(ctx, rs, c->func, c->key.holes[h], i);
    record_add_written(ctx, rs, c->func, call_key_arg(ctx, c), i, 0);
  }
  if (rs->ids.len > 1) qsort(rs->ids.data, rs->ids.len, sizeof(RecordId), record_cmp);
  StoreScan scan = {ctx, &rs->stores};
  node_walk(model_root(ctx->model), store_visit, &scan);
  if (rs->stores.len > 1) qsort(rs->stores.data, rs->stores.len, sizeof(DictStore), store_cmp);
}

/* The first record write of function `func` with id `e`, or NULL. */
static const CallSite *record_of(RuleCtx *ctx, Records *rs, int func, TSNode e) {
  if (ts_node_is_null(e) || node_is(e, SYM.string) || node_is(e, SYM.integer) ||
      node_is(e, SYM.float_) || node_is(e, SYM.concatenated_string))
    return NULL;
  RecordId key = {func, node_text_squeezed(ctx->arena, ctx->src, e), 0};
  size_t lo = 0, hi = rs->ids.len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (record_cmp(vec_at(&rs->ids, mid), &key) < 0) lo = mid + 1;
    else hi = mid;
  }
  if (lo == rs->ids.len) return NULL;
  const RecordId *r = vec_at(&rs->ids, lo);
  if (r->func != func || strcmp(r->text, key.text)) return NULL;
  return model_call(ctx->model, r->call);
}

#define MAX_MEMBERS 16

typedef struct Members {
  TSNode out[MAX_MEMBERS];
  size_t n;
} Members;

static void members_of_dict(Members *m, TSNode d) {
  while (node_is(d, SYM.parenthesized_expression)) d = ts_node_named_child(d, 0);
  if (node_is(d, SYM.dictionary_comprehension)) d = ts_node_named_child(d, 0); /* the pair */
  if (node_is(d, SYM.pair)) {
    if (m->n < MAX_MEMBERS) m->out[m->n++] = ts_node_child_by_field_id(d, SYM.f_key);
    return;
  }
  if (!node_is(d, SYM.dictionary)) return;
  for (uint32_t i = 0; i < ts_node_named_child_count(d) && m->n < MAX_MEMBERS; i++) {
    TSNode p = ts_node_named_child(d, i);
    if (node_is(p, SYM.pair)) m->out[m->n++] = ts_node_child_by_field_id(p, SYM.f_key);
  }
}

/* The members stored into dict `name` of function `func` before byte `to`
 * (`ids[vid] = ts`), the nearest first. */
static void members_stored(Records *rs, int func, const char *name, uint32_t to, Members *m) {
  DictStore key = {.func = func, .name = name, .at = to};
  size_t lo = 0, hi = rs->stores.len; /* first store at or after `to` */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (store_cmp(vec_at(&rs->stores, mid), &key) < 0) lo = mid + 1;
    else hi = mid;
  }
  while (lo > 0 && m->n < MAX_MEMBERS) {
    const DictStore *d = vec_at(&rs->stores, --lo);
    if (d->func != func || strcmp(d->name, name)) break;
    m->out[m->n++] = d->member;
  }
}

/* The members a zadd adds: the keys of its mapping, written in the call
 * (`{oid: ts}`, a comprehension), assigned to a name, or stored into a
 * local dict before it (`ids[vid] = ts` ... `zadd(k, ids)`). */
static size_t zadd_members(RuleCtx *ctx, Records *rs, const CallSite *cs, Members *m) {
  TSNode map = call_arg(cs->args, 1);
  if (ts_node_is_null(map)) map = call_kwarg(ctx->src, cs->args, "mapping");
  m->n = 0;
  if (node_is(map, SYM.identifier)) {
    const char *nm = ctx_text(ctx, map);
    Reaching rc = model_reaching(ctx->model, cs->scope, nm, strlen(nm), nstart(cs->node));
    if (!rc.found || rc.param) return 0;
    if (rc.value && !ts_node_is_null(rc.expr)) members_of_dict(m, rc.expr);
    members_stored(rs, cs->func, nm, nstart(cs->node), m);
  } else {
    members_of_dict(m, map);
  }
  return m->n;
}

/* The values a list push adds: its arguments after the key
 * (`lpush("users", user_id)`). */
static size_t push_members(const CallSite *cs, Members *m) {
  m->n = 0;
  for (int i = 1; m->n < MAX_MEMBERS; i++) {
    TSNode v = call_arg(cs->args, i);
    if (ts_node_is_null(v)) break;
    m->out[m->n++] = v;
  }
  return m->n;
}

/* The record write whose id the zadd (or the list push) adds, in its
 * function, with no TTL of its own, or NULL: check_project looks its key
 * template up. */
static const CallSite *record_index(RuleCtx *ctx, Records *rs, const CallSite *cs, bool zset) {
  if (cs->func < 0) return NULL;
  records_build(ctx, rs);
  Members m;
  if (!(zset ? zadd_members(ctx, rs, cs, &m) : push_members(cs, &m))) return NULL;
  for (size_t i = 0; i < m.n; i++) {
    const CallSite *r = record_of(ctx, rs, cs->func, m.out[i]);
    if (!r) continue;
    return ttl_text(ctx, r)[0] ? NULL : r; /* a record that expires leaves its id behind */
  }
  return NULL;
}

/* ---- Keys deleted through a collection ----
 * `to_delete.update([day_key, ...])` ... `r.delete(*to_delete)`: the key's
 * name is gathered into a local collection that one DEL/UNLINK removes
 * (a day's aggregates, recomputed from scratch). */
typedef struct Gathers {
  const Source *src;
  const char *coll, *key; /* the collection's name, the key's name */
  bool yes;
} Gathers;

static bool mentions_visit(TSNode n, void *data) {
  Gathers *g = data;
  if (g->yes) return false;
  if (node_is(n, SYM.identifier) && node_text_eq(g->src, n, g->key)) g->yes = true;
  return !g->yes;
}

static bool mentions_name(Gathers *g, TSNode n) {
  bool before = g->yes;
  g->yes = false;
  node_walk(n, mentions_visit, g);
  bool r = g->yes;
  g->yes = before;
  return r;
}

static bool gathers_visit(TSNode n, void *data) {
  Gathers *g = data;
  if (g->yes) return false;
  if (node_is(n, SYM.assignment)) { /* coll = set([key, ...]) */
    TSNode left = ts_node_child_by_field_id(n, SYM.f_left);
    if (node_is(left, SYM.identifier) && node_text_eq(g->src, left, g->coll) &&
        mentions_name(g, ts_node_child_by_field_id(n, SYM.f_right)))
      g->yes = true;
  } else if (node_is(n, SYM.call)) { /* coll.add(key), coll.update([key]) */
    TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
    static const char *const ADDS[] = {"add", "update", "append", "extend", NULL};
    if (node_is(fn, SYM.attribute) &&
        node_text_eq(g->src, ts_node_child_by_field_id(fn, SYM.f_object), g->coll)) {
      TSNode a = ts_node_child_by_field_id(fn, SYM.f_attribute);
      for (const char *const *w = ADDS; *w; w++)
        if (node_text_eq(g->src, a, *w) &&
            mentions_name(g, ts_node_child_by_field_id(n, SYM.f_arguments))) {
          g->yes = true;
          break;
        }
    }
  }
  return !g->yes;
}

static const char *const COLLECTION_DELETES[] = {"delete", "unlink", NULL};

/* Is the push's key a name that its function adds to a collection which a
 * DEL/UNLINK of that function removes (`delete(*to_delete)`)? */
static bool deleted_through_collection(RuleCtx *ctx, size_t i, const CallSite *cs) {
  TSNode k = call_key_arg(ctx, cs);
  const Function *fn = model_function(ctx->model, cs->func);
  if (!node_is(k, SYM.identifier) || !fn) return false;
  size_t lo, hi;
  func_calls(ctx->model, i, cs->func, &lo, &hi);
  for (size_t j = lo; j < hi; j++) {
    const CallSite *d = model_call(ctx->model, j);
    if (d->func != cs->func || !call_method_in(d, COLLECTION_DELETES)) continue;
    for (uint32_t a = 0; a < ts_node_named_child_count(d->args); a++) {
      TSNode sp = ts_node_named_child(d->args, a);
      TSNode coll = node_is(sp, SYM.list_splat) ? ts_node_named_child(sp, 0) : (TSNode){0};
      if (!node_is(coll, SYM.identifier)) continue;
      Gathers g = {ctx->src, ctx_text(ctx, coll), ctx_text(ctx, k), false};
      node_walk(ts_node_child_by_field_id(fn->node, SYM.f_body), gathers_visit, &g);
      if (g.yes) return true;
    }
  }
  return false;
}

/* Is one of the key's holes a time window (`f"{day}|{source}|prefixes"`,
 * `f"scores:{date.isoformat()}"`, `f"top:{hour}"`)? A sorted set per
 * window ranks that window's members: it stops growing when the window
 * ends, and the sets, one per window, are a history kept on purpose (what
 * a ranking API serves by date), not a key that only grows. */
static bool window_key(RuleCtx *ctx, const CallSite *cs) {
  static const char *const WORDS[] = {"day", "date", "hour", "minute", "week", "month", "year",
                                      "strftime", "isoformat", NULL};
  for (uint8_t h = 0; h < cs->key.nholes; h++) {
    if (ts_node_is_null(cs->key.holes[h])) continue;
    const char *t = ctx_text(ctx, cs->key.holes[h]);
    for (size_t w = 0; WORDS[w]; w++)
      for (const char *p = t; *p; p++)
        if (!strncasecmp(p, WORDS[w], strlen(WORDS[w]))) return true;
  }
  return false;
}

/* `zadd(key, {"alice": 1, "bob": 2})`: members written in the code. A
 * sorted set holds each member once, so this call never makes it hold more
 * than those (a list would: it keeps duplicates). Keys with holes still
 * pile up, one per value of the hole. */
static bool literal_members(const CallSite *cs) {
  TSNode d = call_arg(cs->args, 1);
  if (!node_is(d, SYM.dictionary) || ts_node_named_child_count(d) == 0) return false;
  for (uint32_t i = 0; i < ts_node_named_child_count(d); i++) {
    TSNode p = ts_node_named_child(d, i);
    if (node_is(p, SYM.comment)) continue;
    TSNode k = node_is(p, SYM.pair) ? ts_node_child_by_field_id(p, SYM.f_key) : (TSNode){0};
    if (node_is(k, SYM.integer)) continue;
    if (!node_is(k, SYM.string)) return false;
    for (uint32_t j = 0; j < ts_node_named_child_count(k); j++)
      if (node_is(ts_node_named_child(k, j), SYM.interpolation)) return false;
  }
  return true;
}

static void check(RuleCtx *ctx) {
  if (in_test_code(ctx->src, ctx->opt)) return; /* tests push to throwaway lists */
  Records rs = {.ids = VEC_INIT(RecordId), .stores = VEC_INIT(DictStore)};
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    bool list = call_method_in(cs, LIST_PUSHES), zset = !strcmp(cs->method, "zadd");
    if ((!list && !zset) || !cs->key.text || cs->key.opaque || !growth_key_specific(cs->key.text))
      continue;
    /* a push at module level, outside any loop, runs once per process: the
       list does not grow with the traffic (a snippet, a seed at start-up) */
    if (cs->func < 0 && cs->loop < 0) continue;
    /* a sorted set per day (hour, month...): a ranking of that window,
       bounded by its distinct members (a log list per day still grows
       with the traffic, and its keys pile up: still reported) */
    if (zset && window_key(ctx, cs)) continue;
    /* one key (no holes) whose members are all written here: a podium */
    if (zset && cs->key.nholes == 0 && literal_members(cs)) continue;
    /* through a facade whose methods set expiries themselves (`def
       rpush(self, key, value, expiration=3600)`): the list may expire */
    if (cs->recv.facade & FACADE_TTL) continue;
    /* a TTL keyword redis-py's push has not (`bus.rpush(k, m, expiration=86400)`):
       a wrapper that expires the list, whatever class it is */
    if (ttl_text(ctx, cs)[0]) continue;
    /* a queue, an inbox, a job list: named for being consumed, by a worker
       this project may not hold (another service, another language) */
    if (list && queue_named(cs->key.text)) continue;
    /* the key's name goes into a collection that a DEL of the function
       removes: deleted, only through a name the key index does not see */
    if (deleted_through_collection(ctx, i, cs)) continue;
    const CallSite *rec = record_index(ctx, &rs, cs, zset);
    Finding *f = rule_report(ctx, cs->node, SEV_WARNING,
                             "%s `%s` only grows: nothing in the project %s, expires or deletes "
                             "it, so it takes memory without bound",
                             list ? "list" : "sorted set", key_display(ctx, &cs->key),
                             list ? "trims, pops or moves from" : "removes members from");
    f->key = arena_strdup(ctx->arena, cs->key.text); /* outlives the model */
    if (rec)
      finding_related(ctx, f, NULL, nstart(rec->node), nend(rec->node), RECORD_NOTE);
    if (list) {
      list_fix(ctx, f, cs);
    } else {
      finding_fix(ctx, f, FIX_DISPLAY,
                  "Cap it after adding: `%s.zremrangebyrank(%s, 0, -%d)` keeps the %d highest "
                  "scores, or give the key a TTL",
                  cs->recv_text, ctx_text(ctx, call_arg(cs->args, 0)), KEEP_LAST + 1, KEEP_LAST);
    }
  }
  vec_free(&rs.ids);
  vec_free(&rs.stores);
}

static bool is_zset_finding(const Finding *f) { return strstr(f->message, "sorted set") != NULL; }

#define MAX_GENERIC 64

typedef struct Shrunk {
  StrSet zsets, lists; /* templates the project trims, as sorted sets and as lists */
  /* shrinking templates whose first part is a hole (`{index}|{entry}|captures`,
     the prefix chosen at run time): matched with holes as wildcards */
  const char *generic[MAX_GENERIC];
  bool generic_zset[MAX_GENERIC];
  size_t ngeneric;
  uint8_t consumers; /* CONSUMES_*: some file pops a key it holds in a parameter or attribute */
} Shrunk;

/* Does template `pat` (holes match one or more characters) match `key`
 * (its holes are text like any other)? Bounded backtracking. */
static bool tpl_match(const char *pat, const char *key, int depth) {
  if (depth > 16) return false;
  for (; *pat; pat++, key++) {
    if (*pat == KEY_HOLE) {
      if (!*key) return false;
      for (const char *k = key + 1; ; k++) {
        if (tpl_match(pat + 1, k, depth + 1)) return true;
        if (!*k) return false;
      }
    }
    if (*pat != *key) return false;
  }
  return !*key;
}

static void collect_generic(const LintRun *run, const char *const *methods, bool zset, Shrunk *s) {
  for (size_t f = 0; f < run->nfiles; f++)
    for (size_t k = 0; k < run->files[f].nkeys && s->ngeneric < MAX_GENERIC; k++) {
      const KeyUse *u = &run->files[f].keys[k];
      if (u->key[0] != KEY_HOLE || !growth_key_specific(u->key)) continue;
      for (const char *const *m = methods; *m; m++)
        if (!strcmp(u->method, *m)) {
          s->generic_zset[s->ngeneric] = zset;
          s->generic[s->ngeneric++] = u->key;
          break;
        }
    }
}

static bool keep(ProjectCtx *ctx, size_t file, const Finding *f, void *data) {
  (void)file;
  (void)ctx;
  const Shrunk *s = data;
  if (!f->key) return true;
  bool zset = is_zset_finding(f);
  /* a queue class given its key pops whatever key it is handed: which ones
     cannot be told here, so none is said to only grow (when unsure, silent) */
  if (s->consumers & (zset ? CONSUMES_ZSET : CONSUMES_LIST)) return false;
  if (growth_has(zset ? &s->zsets : &s->lists, f->key)) return false;
  for (size_t i = 0; i < s->ngeneric; i++)
    if (s->generic_zset[i] == zset && tpl_match(s->generic[i], f->key, 0)) return false;
  return true;
}

/* What ends a record: a delete or an expiry of its key template. */
static const char *const RECORD_ENDS[] = {"delete", "unlink", "getdel", "expire", "pexpire",
                                          "expireat", "pexpireat", "getex", NULL};

/* The record write a finding notes (RECORD_NOTE), or NULL. */
static const Related *record_note(const Finding *f) {
  for (size_t i = 0; i < f->nrelated; i++)
    if (!f->related[i].path && !strcmp(f->related[i].message, RECORD_NOTE)) return &f->related[i];
  return NULL;
}

/* Are the noted records kept for good: their key template known, and no
 * file deletes or expires it? A bare-id key (`set(vuln_id, doc)`) has no
 * template to look up: its deletes cannot be told from any other key's,
 * and the push is taken for an index (when unsure, silent). */
static bool records_durable(const FileResult *fr, const Related *rel, const StrSet *ended) {
  for (size_t k = 0; k < fr->nkeys; k++)
    if (fr->keys[k].start == rel->start)
      return !growth_key_specific(fr->keys[k].key) || !growth_has(ended, fr->keys[k].key);
  return true;
}

/* Key templates of sorted sets and of lists that index durable records. */
typedef struct IndexKeys {
  StrSet zsets, lists;
} IndexKeys;

static bool keep_index(ProjectCtx *ctx, size_t file, const Finding *f, void *data) {
  (void)ctx;
  (void)file;
  const IndexKeys *ix = data;
  return !f->key || !growth_has(is_zset_finding(f) ? &ix->zsets : &ix->lists, f->key);
}

/* Sorted sets that index durable records (by any of their pushes): the set
 * is as large as the data, by design. Dropped for every push of the key. */
static void drop_record_indexes(ProjectCtx *ctx) {
  StrSet ended = {0};
  IndexKeys ix = {{0}, {0}};
  growth_keys_used_by(ctx->run, RECORD_ENDS, &ended);
  for (size_t f = 0; f < ctx->run->nfiles; f++)
    for (size_t k = 0; k < ctx->run->files[f].nkeys; k++) {
      const KeyUse *u = &ctx->run->files[f].keys[k];
      if (u->ttl && u->ttl[0]) strset_add(&ended, u->key, strlen(u->key));
    }
  for (size_t fi = 0; fi < ctx->run->nfiles; fi++) {
    const FileResult *fr = &ctx->run->files[fi];
    for (size_t j = 0; j < fr->nfindings; j++) {
      const Finding *f = &fr->findings[j];
      const Related *rel;
      if (f->rule != ctx->rule || !f->key || !(rel = record_note(f))) continue;
      if (records_durable(fr, rel, &ended))
        strset_add(is_zset_finding(f) ? &ix.zsets : &ix.lists, f->key, strlen(f->key));
    }
  }
  if (ix.zsets.n || ix.lists.n) project_filter(ctx, keep_index, &ix);
  strset_free(&ended);
  strset_free(&ix.zsets);
  strset_free(&ix.lists);
}

static void check_project(ProjectCtx *ctx) {
  drop_record_indexes(ctx);
  Shrunk s = {{0}, {0}, {0}, {0}, 0, 0};
  for (size_t f = 0; f < ctx->run->nfiles; f++) s.consumers |= ctx->run->files[f].opaque_consumer;
  collect_generic(ctx->run, ZSET_SHRINKERS, true, &s);
  collect_generic(ctx->run, LIST_SHRINKERS, false, &s);
  growth_keys_used_by(ctx->run, ZSET_SHRINKERS, &s.zsets);
  growth_keys_used_by(ctx->run, ZSET_INDEX_READS, &s.zsets);
  growth_keys_used_by(ctx->run, LIST_SHRINKERS, &s.lists);
  project_filter(ctx, keep, &s);
  strset_free(&s.zsets);
  strset_free(&s.lists);
  growth_filter(ctx, (const char *const[]){NULL}, true); /* once per key template */
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/unbounded-list.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_unbounded_list = {
    .check_file = check,
    .check_project = check_project,
};
