/* RL701 cross-slot-command: on Redis Cluster a command with several keys,
 * and a MULTI/EXEC transaction, must keep all its keys in one hash slot;
 * otherwise the server answers CROSSSLOT (redis-py's cluster client raises
 * before sending). Keys share a slot when they have the same hash tag (the
 * text between the first `{` and the next `}`), or are the same key; fully
 * literal keys are compared by their real slot (CRC16 mod 16384).
 *
 * Only in cluster mode: --cluster, some file of the run builds a
 * RedisCluster, or the receiver is a cluster client. Per file the first two
 * are not known yet: findings on other receivers carry the key PENDING and
 * check_project keeps them only when the run is in cluster mode.
 *
 * Plain cluster pipelines are not transactions: redis-py groups their
 * commands by node, so their keys may live anywhere. RedisCluster's own
 * delete/unlink/exists/touch split their keys by slot: silent there. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../hashslot.h"
#include "../lint.h"
#include "rule_util.h"

#define PENDING "cluster?"
#define MAX_KEYS 32

/* ---------------------------------------------------------------- keys */

typedef struct Key {
  TSNode node;     /* the key expression */
  KeyTpl t;
  size_t call;     /* call site index (transactions) */
  TSNode comp;     /* a comprehension giving one key per item; null otherwise */
} Key;

typedef struct Keys {
  Key k[MAX_KEYS];
  size_t n;
} Keys;

static void add_key(RuleCtx *ctx, Keys *ks, TSNode n, int scope, size_t call) {
  if (ts_node_is_null(n) || ks->n >= MAX_KEYS) return;
  Key *k = &ks->k[ks->n++];
  memset(k, 0, sizeof *k);
  k->node = n;
  k->t = keytpl_eval(ctx->model, n, scope, 0);
  k->call = call;
}

static bool is_comprehension(TSNode n) {
  return node_is(n, SYM.list_comprehension) || node_is(n, SYM.set_comprehension) ||
         node_is(n, SYM.generator_expression);
}

static bool is_sequence(TSNode n) {
  return node_is(n, SYM.list) || node_is(n, SYM.tuple) || node_is(n, SYM.set);
}

/* A list of keys: a literal list/tuple/set (through a name bound to one), a
 * comprehension (one key per item), a dict (its keys); else one key when
 * `single` (redis-py's list_or_args), or nothing (not known). */
static void add_keys(RuleCtx *ctx, Keys *ks, TSNode n, int scope, size_t call, bool single) {
  if (ts_node_is_null(n)) return;
  if (node_is(n, SYM.list_splat)) {
    n = ts_node_named_child(n, 0);
    single = false;
  }
  int sc = scope;
  TSNode v = node_is(n, SYM.identifier) ? model_resolve(ctx->model, n, &sc) : n;
  if (is_sequence(v)) {
    for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
      TSNode e = ts_node_named_child(v, i);
      if (node_is(e, SYM.list_splat) || node_is(e, SYM.comment)) continue;
      add_key(ctx, ks, e, sc, call);
    }
  } else if (node_is(v, SYM.dictionary)) {
    for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
      TSNode p = ts_node_named_child(v, i);
      if (node_is(p, SYM.pair)) add_key(ctx, ks, ts_node_child_by_field_id(p, SYM.f_key), sc, call);
    }
  } else if (is_comprehension(v)) {
    add_key(ctx, ks, ts_node_child_by_field_id(v, SYM.f_body), sc, call);
    if (ks->n) ks->k[ks->n - 1].comp = v;
  } else if (single && !node_is(v, SYM.list_splat) && !node_is(v, SYM.dictionary_splat)) {
    add_key(ctx, ks, n, scope, call);
  }
}

/* Positional arguments from index `from` on, each a key (stops at a splat,
 * which may still be a literal list: `delete(*[a, b])`). */
static void add_positional(RuleCtx *ctx, Keys *ks, TSNode args, uint32_t from, int scope,
                           size_t call) {
  uint32_t pos = 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    TSNode a = ts_node_named_child(args, i);
    if (node_is(a, SYM.keyword_argument) || node_is(a, SYM.comment)) continue;
    if (node_is(a, SYM.dictionary_splat)) break;
    if (node_is(a, SYM.list_splat)) {
      if (pos >= from) add_keys(ctx, ks, a, scope, call, false);
      return;
    }
    if (pos++ >= from) add_key(ctx, ks, a, scope, call);
  }
}

static TSNode arg_or_kw(RuleCtx *ctx, TSNode args, uint32_t i, const char *kw) {
  TSNode a = call_arg(args, i);
  return ts_node_is_null(a) && kw ? call_kwarg(ctx->src, args, kw) : a;
}

typedef enum {
  MK_ALL,          /* every positional argument: delete(*names), pfmerge(dest, *srcs) */
  MK_LIST_OR_ARGS, /* keys (a list or one key) + *args: mget, sinter */
  MK_DEST_LIST_OR_ARGS, /* dest, keys + *args: sinterstore */
  MK_DEST_LIST,    /* dest, keys (list or dict of weights): zunionstore */
  MK_LIST,         /* keys as a list (first argument): zunion, blpop */
  MK_SECOND_LIST,  /* numkeys, keys: sintercard */
  MK_TWO,          /* source and destination: rename, smove, lmove */
  MK_MAPPING,      /* {key: value}: mset */
  MK_STREAMS,      /* {stream: id}: xread */
  MK_STREAMS3,     /* group, consumer, {stream: id}: xreadgroup */
  MK_NUMKEYS,      /* script, numkeys, keys..., args...: eval */
  MK_FROM_SECOND   /* op, dest, *keys: bitop; func, *watches: transaction */
} Shape;

typedef struct Multi {
  const char *method;
  uint8_t shape;
  bool split;       /* RedisCluster sends one command per slot */
  const char *kw0, *kw1;
} Multi;

static const Multi MULTI[] = {
    {"mget", MK_LIST_OR_ARGS, false, "keys", NULL},
    {"mset", MK_MAPPING, false, "mapping", NULL},
    {"msetnx", MK_MAPPING, false, "mapping", NULL},
    {"delete", MK_ALL, true, NULL, NULL},
    {"unlink", MK_ALL, true, NULL, NULL},
    {"exists", MK_ALL, true, NULL, NULL},
    {"touch", MK_ALL, true, NULL, NULL},
    {"sinter", MK_LIST_OR_ARGS, false, "keys", NULL},
    {"sunion", MK_LIST_OR_ARGS, false, "keys", NULL},
    {"sdiff", MK_LIST_OR_ARGS, false, "keys", NULL},
    {"sinterstore", MK_DEST_LIST_OR_ARGS, false, "dest", "keys"},
    {"sunionstore", MK_DEST_LIST_OR_ARGS, false, "dest", "keys"},
    {"sdiffstore", MK_DEST_LIST_OR_ARGS, false, "dest", "keys"},
    {"zunionstore", MK_DEST_LIST, false, "dest", "keys"},
    {"zinterstore", MK_DEST_LIST, false, "dest", "keys"},
    {"zdiffstore", MK_DEST_LIST, false, "dest", "keys"},
    {"zunion", MK_LIST, false, "keys", NULL},
    {"zinter", MK_LIST, false, "keys", NULL},
    {"zdiff", MK_LIST, false, "keys", NULL},
    {"sintercard", MK_SECOND_LIST, false, "keys", NULL},
    {"zintercard", MK_SECOND_LIST, false, "keys", NULL},
    {"smove", MK_TWO, false, "src", "dst"},
    {"lmove", MK_TWO, false, "first_list", "second_list"},
    {"blmove", MK_TWO, false, "first_list", "second_list"},
    {"rpoplpush", MK_TWO, false, "src", "dst"},
    {"brpoplpush", MK_TWO, false, "src", "dst"},
    {"rename", MK_TWO, false, "src", "dst"},
    {"renamenx", MK_TWO, false, "src", "dst"},
    {"copy", MK_TWO, false, "source", "destination"},
    {"pfmerge", MK_ALL, false, NULL, NULL},
    {"pfcount", MK_ALL, false, NULL, NULL},
    {"eval", MK_NUMKEYS, false, NULL, NULL},
    {"evalsha", MK_NUMKEYS, false, NULL, NULL},
    {"eval_ro", MK_NUMKEYS, false, NULL, NULL},
    {"evalsha_ro", MK_NUMKEYS, false, NULL, NULL},
    {"fcall", MK_NUMKEYS, false, NULL, NULL},
    {"fcall_ro", MK_NUMKEYS, false, NULL, NULL},
    {"xread", MK_STREAMS, false, "streams", NULL},
    {"xreadgroup", MK_STREAMS3, false, "streams", NULL},
    {"blpop", MK_LIST, false, "keys", NULL},
    {"brpop", MK_LIST, false, "keys", NULL},
    {"bzpopmin", MK_LIST, false, "keys", NULL},
    {"bzpopmax", MK_LIST, false, "keys", NULL},
    {"bitop", MK_FROM_SECOND, false, NULL, NULL},
    {"transaction", MK_FROM_SECOND, false, NULL, NULL},
};

static const Multi *multi_of(const CallSite *cs) {
  for (size_t i = 0; i < sizeof MULTI / sizeof MULTI[0]; i++)
    if (!strcmp(cs->method, MULTI[i].method)) return &MULTI[i];
  return NULL;
}

/* The keys a multi-key call names. */
static void multi_keys(RuleCtx *ctx, const CallSite *cs, const Multi *mk, size_t call, Keys *ks) {
  TSNode a = cs->args;
  int sc = cs->scope;
  switch (mk->shape) {
  case MK_ALL: add_positional(ctx, ks, a, 0, sc, call); break;
  case MK_LIST_OR_ARGS: {
    TSNode first = arg_or_kw(ctx, a, 0, mk->kw0);
    if (ts_node_is_null(first)) { /* mget(*keys) */
      add_positional(ctx, ks, a, 0, sc, call);
      break;
    }
    add_keys(ctx, ks, first, sc, call, true);
    add_positional(ctx, ks, a, 1, sc, call);
    break;
  }
  case MK_DEST_LIST_OR_ARGS:
    add_key(ctx, ks, arg_or_kw(ctx, a, 0, mk->kw0), sc, call);
    add_keys(ctx, ks, arg_or_kw(ctx, a, 1, mk->kw1), sc, call, true);
    add_positional(ctx, ks, a, 2, sc, call);
    break;
  case MK_DEST_LIST:
    add_key(ctx, ks, arg_or_kw(ctx, a, 0, mk->kw0), sc, call);
    add_keys(ctx, ks, arg_or_kw(ctx, a, 1, mk->kw1), sc, call, false);
    break;
  case MK_LIST: add_keys(ctx, ks, arg_or_kw(ctx, a, 0, mk->kw0), sc, call, false); break;
  case MK_SECOND_LIST: add_keys(ctx, ks, arg_or_kw(ctx, a, 1, mk->kw0), sc, call, false); break;
  case MK_TWO:
    add_key(ctx, ks, arg_or_kw(ctx, a, 0, mk->kw0), sc, call);
    add_key(ctx, ks, arg_or_kw(ctx, a, 1, mk->kw1), sc, call);
    break;
  case MK_MAPPING: add_keys(ctx, ks, arg_or_kw(ctx, a, 0, mk->kw0), sc, call, false); break;
  case MK_STREAMS: add_keys(ctx, ks, arg_or_kw(ctx, a, 0, mk->kw0), sc, call, false); break;
  case MK_STREAMS3: add_keys(ctx, ks, arg_or_kw(ctx, a, 2, mk->kw0), sc, call, false); break;
  case MK_NUMKEYS: {
    TSNode nk = call_arg(a, 1);
    if (!node_is(nk, SYM.integer)) break;
    long n = strtol(ctx_text(ctx, nk), NULL, 10);
    for (long i = 0; i < n && i < MAX_KEYS; i++) {
      TSNode k = call_arg(a, (uint32_t)(2 + i));
      if (ts_node_is_null(k) || node_is(k, SYM.list_splat)) break;
      add_key(ctx, ks, k, sc, call);
    }
    break;
  }
  case MK_FROM_SECOND: add_positional(ctx, ks, a, 1, sc, call); break;
  }
}

/* ---------------------------------------------------------------- slots */

/* The hashed part of a key: its tag, or all of it. */
typedef struct Part {
  bool known;      /* false: a hole may carry a hash tag we cannot see */
  const char *text;
  size_t len;
  uint8_t hole0;   /* index of the first hole inside the part */
  uint8_t nholes;  /* holes inside the part */
  bool tagged;
} Part;

/* A hole whose value may hold a hash tag: a configured key prefix. */
static bool prefix_like(RuleCtx *ctx, TSNode hole) {
  if (ts_node_is_null(hole)) return true;
  const char *t = ctx_text(ctx, hole);
  return contains_ci(t, "prefix") || contains_ci(t, "namespace") || contains_ci(t, "hash_tag") ||
         contains_ci(t, "hashtag");
}

static Part part_of(RuleCtx *ctx, const Key *k) {
  Part p = {0};
  const KeyTpl *t = &k->t;
  if (!t->text || t->opaque || t->nholes > KEY_MAX_HOLES) return p;
  size_t len = strlen(t->text), start, n;
  key_hash_part(t->text, len, &start, &n, &p.tagged);
  p.text = t->text + start;
  p.len = n;
  for (size_t i = 0; i < start; i++) p.hole0 += t->text[i] == KEY_HOLE;
  for (size_t i = 0; i < n; i++) p.nholes += p.text[i] == KEY_HOLE;
  if (!p.tagged) { /* a key prefix from settings may carry the tag: `{app}` */
    if (t->nholes && t->text[0] == KEY_HOLE) return p;
    for (uint8_t h = 0; h < t->nholes; h++)
      if (prefix_like(ctx, t->holes[h])) return p;
  }
  p.known = true;
  return p;
}

typedef enum { SLOT_UNKNOWN, SLOT_SAME, SLOT_DIFFERENT } SlotCmp;

static SlotCmp compare(RuleCtx *ctx, const Key *a, const Key *b) {
  if (same_expr_text(ctx, a->node, b->node)) return SLOT_SAME;
  Part pa = part_of(ctx, a), pb = part_of(ctx, b);
  if (!pa.known || !pb.known) return SLOT_UNKNOWN;
  if (!pa.nholes && !pb.nholes)
    return key_hash_slot(pa.text, pa.len) == key_hash_slot(pb.text, pb.len) ? SLOT_SAME
                                                                             : SLOT_DIFFERENT;
  if (pa.len != pb.len || memcmp(pa.text, pb.text, pa.len) || pa.nholes != pb.nholes)
    return SLOT_DIFFERENT;
  for (uint8_t h = 0; h < pa.nholes; h++)
    if (!same_expr_text(ctx, a->t.holes[pa.hole0 + h], b->t.holes[pb.hole0 + h]))
      return SLOT_DIFFERENT;
  return SLOT_SAME;
}

/* ---------------------------------------------------------------- comprehensions */

typedef struct Mention {
  RuleCtx *ctx;
  const char *names[8];
  size_t n;
  bool found;
} Mention;

static bool visit_target(TSNode n, void *data) {
  Mention *m = data;
  if (node_is(n, SYM.identifier) && m->n < 8) m->names[m->n++] = ctx_text(m->ctx, n);
  return true;
}

static bool visit_mention(TSNode n, void *data) {
  Mention *m = data;
  if (m->found) return false;
  if (node_is(n, SYM.identifier))
    for (size_t i = 0; i < m->n && !m->found; i++) m->found = node_text_eq(m->ctx->src, n, m->names[i]);
  return !m->found;
}

/* Does a comprehension's key differ per item, in its hashed part? */
static bool spreads_per_item(RuleCtx *ctx, const Key *k) {
  Part p = part_of(ctx, k);
  if (!p.known || !k->t.nholes) return false;
  Mention m = {ctx, {0}, 0, false};
  for (uint32_t i = 0; i < ts_node_named_child_count(k->comp); i++) {
    TSNode c = ts_node_named_child(k->comp, i);
    if (node_is(c, SYM.for_in_clause)) node_walk(ts_node_child_by_field_id(c, SYM.f_left), visit_target, &m);
  }
  if (!m.n) return false;
  for (uint8_t h = 0; h < p.nholes && !m.found; h++) node_walk(k->t.holes[p.hole0 + h], visit_mention, &m);
  return m.found;
}

/* ---------------------------------------------------------------- reports */

/* A call for messages: whitespace runs as one space, cut at 60 bytes. */
static const char *shown_call(RuleCtx *ctx, TSNode n) {
  const char *t = ctx_text(ctx, n);
  char buf[64];
  size_t k = 0;
  for (; *t && k < 60; t++) {
    if (isspace((unsigned char)*t)) {
      if (k && buf[k - 1] != ' ' && buf[k - 1] != '(') buf[k++] = ' ';
    } else {
      buf[k++] = *t;
    }
  }
  buf[k] = '\0';
  return arena_printf(ctx->arena, "%s%s", buf, *t ? "..." : "");
}

/* `user:1` (slot 10778) for literal keys, the expression as written
 * (`f"user:{uid}:cart"`) otherwise. */
static const char *shown_key(RuleCtx *ctx, const Key *k) {
  if (!k->t.nholes && k->t.text)
    return arena_printf(ctx->arena, "`%s` (slot %u)", key_display(ctx, &k->t),
                        key_hash_slot(k->t.text, strlen(k->t.text)));
  const char *t = node_text_squeezed(ctx->arena, ctx->src, k->node);
  return strlen(t) <= 40 ? arena_printf(ctx->arena, "`%s`", t)
                         : arena_printf(ctx->arena, "`%.37s...`", t);
}

static Severity severity(RuleCtx *ctx, Severity sev) {
  return in_test_code(ctx->src, ctx->opt) ? SEV_INFO : sev;
}

/* Provisional unless the receiver or --cluster makes it a cluster for sure. */
static void settle(RuleCtx *ctx, Finding *f, const CallSite *cs) {
  if (!cs->recv.cluster && !ctx->opt->cluster) f->key = PENDING;
}

static void fix_multi(RuleCtx *ctx, Finding *f, const CallSite *cs) {
  bool cluster_client = cs->recv.cluster && cs->recv.kind == OBJ_CLIENT;
  if (cluster_client && (!strcmp(cs->method, "mget") || !strcmp(cs->method, "mset")))
    finding_fix(ctx, f, FIX_DISPLAY,
                "Give the keys one hash tag so they share a slot, or use `%s.%s_nonatomic(...)`, "
                "which sends one %s per slot (not atomic)",
                cs->recv_text, cs->method, cs->method[1] == 'g' ? "MGET" : "MSET");
  else
    finding_fix(ctx, f, FIX_DISPLAY,
                "Give the keys one hash tag (the same `{...}` part, e.g. `{user:42}:profile` and "
                "`{user:42}:cart`) so they share a slot, or send one command per key");
}

static void check_multi(RuleCtx *ctx, size_t i, const CallSite *cs, const Multi *mk) {
  bool cluster_client = cs->recv.cluster && cs->recv.kind == OBJ_CLIENT;
  if (mk->split && cluster_client) return; /* RedisCluster splits DEL/EXISTS/... by slot */
  /* Nor where the project merely has cluster clients somewhere: the client
     that reaches a cluster there is a RedisCluster, which splits (a plain
     client on a cluster node fails on MOVED for any key). Only --cluster
     (a proxy in front of a cluster) makes a plain client's DEL k1 k2 risky. */
  if (mk->split && !ctx->opt->cluster) return;
  Keys ks = {0};
  multi_keys(ctx, cs, mk, i, &ks);
  Severity sev = mk->split && cs->recv.kind == OBJ_CLIENT ? SEV_WARNING : SEV_ERROR;
  for (size_t b = 1; b < ks.n; b++)
    for (size_t a = 0; a < b; a++) {
      if (!ts_node_is_null(ks.k[a].comp) || !ts_node_is_null(ks.k[b].comp) || compare(ctx, &ks.k[a], &ks.k[b]) != SLOT_DIFFERENT)
        continue;
      bool tx = !strcmp(cs->method, "transaction");
      Finding *f = rule_report(ctx, cs->node, severity(ctx, sev),
                               "`%s` %s keys in different hash slots (%s, %s): Redis Cluster %s; "
                               "give them one hash tag",
                               shown_call(ctx, cs->node), tx ? "watches" : "touches",
                               shown_key(ctx, &ks.k[a]), shown_key(ctx, &ks.k[b]),
                               tx ? "refuses the transaction (CROSSSLOT)" : "answers CROSSSLOT");
      settle(ctx, f, cs);
      fix_multi(ctx, f, cs);
      return;
    }
  for (size_t a = 0; a < ks.n; a++) {
    if (ts_node_is_null(ks.k[a].comp) || !spreads_per_item(ctx, &ks.k[a])) continue;
    Finding *f = rule_report(ctx, cs->node, severity(ctx, SEV_WARNING),
                             "`%s` sends one key per item (%s), and those keys spread over hash "
                             "slots: Redis Cluster answers CROSSSLOT; give them one hash tag",
                             shown_call(ctx, cs->node), shown_key(ctx, &ks.k[a]));
    settle(ctx, f, cs);
    fix_multi(ctx, f, cs);
    return;
  }
}

/* ---------------------------------------------------------------- transactions */

/* The call sites of one MULTI/EXEC: same pipeline construction, same
 * function, up to its execute(). */
static bool same_tx(const CallSite *a, const CallSite *b) {
  if (b->recv.kind != OBJ_TRANSACTION || a->func != b->func) return false;
  if (a->recv.ctor_start || b->recv.ctor_start)
    return a->recv.ctor_start == b->recv.ctor_start && a->recv.ctor_end == b->recv.ctor_end;
  return !strcmp(a->recv_text, b->recv_text);
}

/* The keys a queued command names. */
static void queued_keys(RuleCtx *ctx, const CallSite *cs, size_t i, Keys *ks) {
  const Multi *mk = multi_of(cs);
  if (mk && mk->shape != MK_FROM_SECOND) {
    multi_keys(ctx, cs, mk, i, ks);
  } else if (!strcmp(cs->method, "watch")) {
    add_positional(ctx, ks, cs->args, 0, cs->scope, i);
  } else if (cs->cmd && cs->cmd->first_key >= 0 && cs->key.text) {
    TSNode k = call_arg(cs->args, (uint32_t)cs->cmd->first_key);
    if (ts_node_is_null(k) && cs->cmd->key_kw) k = call_kwarg(ctx->src, cs->args, cs->cmd->key_kw);
    if (ts_node_is_null(k) || node_is(k, SYM.list_splat)) return;
    if (ks->n >= MAX_KEYS) return;
    Key *key = &ks->k[ks->n++];
    memset(key, 0, sizeof *key);
    key->node = k;
    key->t = cs->key;
    key->call = i;
  }
}

/* A loop inside the transaction (after the pipeline is made) whose variable
 * the key's hashed part depends on: one key per iteration, each its own slot. */
static const Loop *per_iteration(RuleCtx *ctx, const CallSite *c0, const CallSite *cs,
                                 const Key *k) {
  if (!c0->recv.ctor_start) return NULL;
  Part p = part_of(ctx, k);
  if (!p.known || !p.nholes) return NULL;
  for (int l = cs->loop; l >= 0;) {
    const Loop *loop = model_loop(ctx->model, l);
    if (nstart(loop->node) < c0->recv.ctor_start) break;
    for (uint8_t h = 0; h < p.nholes; h++)
      if (mentions_loop_target(ctx->model, loop, k->t.holes[p.hole0 + h])) return loop;
    l = loop->parent;
  }
  return NULL;
}

static void done_rest(const Model *m, const CallSite *c0, size_t from, size_t hi, bool *done) {
  for (size_t r = from; r < hi; r++)
    if (same_tx(c0, model_call(m, r))) {
      done[r] = true;
      if (!strcmp(model_call(m, r)->method, "execute")) break;
    }
}

static void check_tx(RuleCtx *ctx, size_t first, bool *done) {
  const Model *m = ctx->model;
  const CallSite *c0 = model_call(m, first);
  size_t lo = first, hi = model_ncalls(m);
  if (c0->func >= 0) func_calls(m, first, c0->func, &lo, &hi);
  Keys ks = {0};
  for (size_t j = first; j < hi; j++) {
    const CallSite *cs = model_call(m, j);
    if (!same_tx(c0, cs)) continue;
    done[j] = true;
    if (!strcmp(cs->method, "execute")) break; /* the next commands are another transaction */
    size_t before = ks.n;
    queued_keys(ctx, cs, j, &ks);
    for (size_t b = before; b < ks.n; b++) {
      if (!ts_node_is_null(ks.k[b].comp)) continue;
      for (size_t a = 0; a < b; a++) {
        if (!ts_node_is_null(ks.k[a].comp) || compare(ctx, &ks.k[a], &ks.k[b]) != SLOT_DIFFERENT)
          continue;
        const CallSite *other = model_call(m, ks.k[a].call);
        Finding *f = rule_report(
            ctx, cs->node, severity(ctx, SEV_ERROR),
            "the transaction on `%s` (MULTI/EXEC) queues %s on line %u and %s here: keys in "
            "different hash slots, so Redis Cluster refuses the transaction (CROSSSLOT)",
            cs->recv_text, shown_key(ctx, &ks.k[a]), line_of(ctx->src, nstart(other->node)),
            shown_key(ctx, &ks.k[b]));
        finding_related(ctx, f, NULL, nstart(other->node), nend(other->node),
                        "the first key of the transaction in another slot");
        settle(ctx, f, cs);
        finding_fix(ctx, f, FIX_DISPLAY,
                    "Give every key of the transaction one hash tag (the same `{...}` part) so "
                    "they share a slot, or use `pipeline(transaction=False)` where the commands "
                    "need not be atomic");
        done_rest(m, c0, j + 1, hi, done); /* one finding per transaction */
        return;
      }
      const Loop *loop = per_iteration(ctx, c0, cs, &ks.k[b]);
      if (!loop) continue;
      Finding *f = rule_report(
          ctx, cs->node, severity(ctx, SEV_WARNING),
          "the transaction on `%s` (MULTI/EXEC) queues one key per iteration of the loop on line "
          "%u (%s): keys in different hash slots, so Redis Cluster refuses the transaction "
          "(CROSSSLOT)",
          cs->recv_text, line_of(ctx->src, nstart(loop->node)), shown_key(ctx, &ks.k[b]));
      settle(ctx, f, cs);
      finding_fix(ctx, f, FIX_DISPLAY,
                  "Use `pipeline(transaction=False)` when the commands need not be atomic (redis-py "
                  "groups them by node), or give the keys one hash tag");
      done_rest(m, c0, j + 1, hi, done);
      return;
    }
  }
}

static void check(RuleCtx *ctx) {
  size_t n = model_ncalls(ctx->model);
  bool *done = arena_alloc(ctx->arena, n + 1);
  memset(done, 0, n + 1);
  for (size_t i = 0; i < n; i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (cs->recv.kind == OBJ_TRANSACTION) {
      if (!done[i] && !(cs->recv.standalone && !cs->recv.cluster)) check_tx(ctx, i, done);
      continue;
    }
    /* a client built in this file as a standalone Redis is not a cluster
     * client, whatever else the project builds: no slots there */
    if (cs->recv.kind == OBJ_CLIENT && (cs->recv.ctor_start || cs->recv.standalone) &&
        !cs->recv.cluster)
      continue;
    const Multi *mk = multi_of(cs);
    if (mk) check_multi(ctx, i, cs, mk);
  }
}

/* ---------------------------------------------------------------- project */

static bool keep(ProjectCtx *ctx, size_t file, const Finding *f, void *data) {
  (void)data;
  return !f->key || ctx->run->files[file].cluster_mode;
}

static void check_project(ProjectCtx *ctx) {
  project_filter(ctx, keep, NULL);
  for (size_t fi = 0; fi < ctx->run->nfiles; fi++) {
    FileResult *fr = &ctx->run->files[fi];
    for (size_t k = 0; k < fr->nfindings; k++)
      if (fr->findings[k].rule == ctx->rule) fr->findings[k].key = NULL;
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/cross-slot-command.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_cross_slot_command = {
    .check_file = check,
    .check_project = check_project,
};
