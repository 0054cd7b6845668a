/* RL101 per-field-keys: several string keys that are the fields of one
 * entity (user:{}:name, user:{}:email, user:{}:age) instead of one hash. */
#include <ctype.h>
#include <string.h>

#include <stdlib.h>

#include "per_field_keys.h"

#define MAX_WRITES 256
#define WRAP_AT 88 /* columns: a longer HSET gets one field a line */

typedef struct Write {
  const CallSite *cs;
  KeyTpl key;         /* the key written (an mset writes several) */
  TSNode at;          /* the call, or the key inside an mset mapping */
  TSNode value;
  const char *prefix; /* template up to the last ':' */
  const char *field;  /* last literal segment */
  const char *ttl;
  const char *obj;    /* "user" when the value is user.name / user["name"] */
  bool grouped;
} Write;

const char *const PER_FIELD_STRING_WRITES[] = {"set", "setex", "psetex", "setnx", "incr",
                                               "incrby", "incrbyfloat", "decr", "decrby", NULL};
#define STRING_WRITES PER_FIELD_STRING_WRITES

/* Last segment names a field: an identifier-like word, not a number or id. */
bool per_field_like(const char *s) {
  if (!*s || !(isalpha((unsigned char)*s) || *s == '_')) return false;
  for (const char *c = s; *c; c++)
    if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-') return false;
  return true;
}

/* Base object of a value written: `user.name`, `user["name"]`, `user.get("name")`. */
static const char *value_object(RuleCtx *ctx, TSNode v) {
  if (node_is(v, SYM.attribute) || node_is(v, SYM.subscript))
    return ctx_text(ctx, ts_node_named_child(v, 0));
  if (node_is(v, SYM.call)) {
    TSNode fn = ts_node_child_by_field_id(v, SYM.f_function);
    if (node_is(fn, SYM.attribute) &&
        node_text_eq(ctx->src, ts_node_child_by_field_id(fn, SYM.f_attribute), "get"))
      return ctx_text(ctx, ts_node_child_by_field_id(fn, SYM.f_object));
  }
  return NULL;
}

bool per_entity_prefix(const char *p, size_t n) {
  if (memchr(p, KEY_HOLE, n)) return true; /* user:{uid} */
  /* a literal id as the last segment: user:1, session:8f3a9c01 (the seed
     document's own `user:1:name`, `user:1:email`) */
  size_t s = n;
  while (s > 0 && p[s - 1] != ':') s--;
  if (s == 0 || s == n) return false;
  size_t digits = 0, hex = 0;
  for (size_t i = s; i < n; i++) {
    digits += isdigit((unsigned char)p[i]) != 0;
    hex += isxdigit((unsigned char)p[i]) != 0 || p[i] == '-';
  }
  return digits == n - s || (hex == n - s && n - s >= 8 && digits > 0);
}

static bool split_key(RuleCtx *ctx, const KeyTpl *k, Write *w) {
  if (!k->text || k->opaque) return false;
  const char *colon = strrchr(k->text, ':');
  if (!colon || !per_field_like(colon + 1)) return false;
  if (!per_entity_prefix(k->text, (size_t)(colon - k->text))) return false; /* per entity */
  w->prefix = arena_strndup(ctx->arena, k->text, (size_t)(colon - k->text));
  w->field = colon + 1;
  return true;
}

static const char *const MSETS[] = {"mset", "msetnx", NULL};

/* mset({f"user:{uid}:name": n, f"user:{uid}:email": e}): one write per key. */
static size_t collect_mset(RuleCtx *ctx, const CallSite *cs, Write *out, size_t n, size_t cap) {
  Stored st[MAX_VALUES];
  size_t k = stored_values(ctx->model, cs, st, MAX_VALUES, NULL);
  for (size_t i = 0; i < k && n < cap; i++) {
    Write w = {0};
    w.cs = cs;
    w.key = model_key(ctx->model, st[i].field);
    w.at = st[i].field;
    w.value = st[i].value;
    if (!split_key(ctx, &w.key, &w)) continue;
    w.ttl = "";
    w.obj = value_object(ctx, st[i].value);
    out[n++] = w;
  }
  return n;
}

/* Every string write of the file, in call order (one pass over the calls). */
static size_t collect(RuleCtx *ctx, Write *out, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < model_ncalls(ctx->model) && n < cap; i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (call_method_in(cs, MSETS)) {
      n = collect_mset(ctx, cs, out, n, cap);
      continue;
    }
    if (!call_method_in(cs, STRING_WRITES)) continue;
    Write w = {0};
    w.cs = cs;
    w.key = cs->key;
    w.at = cs->node;
    if (!split_key(ctx, &cs->key, &w)) continue;
    w.ttl = ttl_text(ctx, cs);
    Stored st[2];
    if (stored_values(ctx->model, cs, st, 2, NULL) == 1) {
      w.value = st[0].value;
      w.obj = value_object(ctx, st[0].value);
    }
    out[n++] = w;
  }
  return n;
}

static bool same_group(const Write *a, const Write *b) {
  return !strcmp(a->prefix, b->prefix) && !strcmp(a->cs->recv_text, b->cs->recv_text);
}

/* `f"user:{uid}:name"` -> `f"user:{uid}"`: the key's source without its last
 * segment, when the segment ends the last string literal. NULL otherwise. */
static const char *prefix_source(RuleCtx *ctx, TSNode key, const char *field) {
  const char *t = ctx_text(ctx, key);
  size_t n = strlen(t), fl = strlen(field);
  if (!node_is(key, SYM.string) || n < fl + 3) return NULL;
  char q = t[n - 1];
  if (q != '"' && q != '\'') return NULL;
  if (memcmp(t + n - 1 - fl, field, fl) != 0 || t[n - 2 - fl] != ':') return NULL;
  return arena_printf(ctx->arena, "%.*s%c", (int)(n - 2 - fl), t, q);
}

static const char *mapping_text(RuleCtx *ctx, Write *g[], size_t n) {
  const char *s = "{";
  for (size_t i = 0; i < n; i++)
    s = arena_printf(ctx->arena, "%s%s\"%s\": %s", s, i ? ", " : "", g[i]->field,
                     ts_node_is_null(g[i]->value) ? "..." : ctx_text(ctx, g[i]->value));
  return arena_printf(ctx->arena, "%s}", s);
}

static KeyTpl pk_of(RuleCtx *ctx, const Write *w) {
  (void)ctx;
  KeyTpl k = w->key;
  k.text = w->prefix;
  return k;
}

/* Edits are produced only for plain `r.set(key, value)` statements in one block. */
static bool rewritable(Write *g[], size_t n) {
  for (size_t i = 0; i < n; i++) {
    const CallSite *cs = g[i]->cs;
    if (strcmp(cs->method, "set") || !ts_node_eq(g[i]->at, cs->node) ||
        call_npositional(cs->args) != 2 ||
        ts_node_named_child_count(cs->args) != 2 || g[i]->ttl[0])
      return false;
    if (!node_is(cs->stmt, SYM.expression_statement) ||
        !ts_node_eq(ts_node_named_child(cs->stmt, 0), cs->node))
      return false;
    if (i && !ts_node_eq(ts_node_parent(cs->stmt), ts_node_parent(g[0]->cs->stmt))) return false;
  }
  return true;
}

/* The writes are consecutive statements (blank lines between them are
 * fine): evaluating every value first, in the one HSET, then runs no code
 * before it was run (`label = make(); r.set(K:label, label)` between two
 * writes would be hoisted above its assignment). A comment ending the first
 * statement's line moves to the end of the rewrite (*trailing); any other
 * comment inside the run belongs to its statement, and blocks the edit. */
static bool consecutive(RuleCtx *ctx, Write *g[], size_t n, const char **trailing) {
  *trailing = "";
  for (size_t i = 1; i < n; i++)
    if (!ts_node_eq(statement_next(g[i - 1]->cs->stmt, NULL), g[i]->cs->stmt)) return false;
  TSNode first = g[0]->cs->stmt, last = g[n - 1]->cs->stmt;
  for (TSNode c = ts_node_next_named_sibling(first); !ts_node_is_null(c) && nstart(c) < nstart(last);
       c = ts_node_next_named_sibling(c)) {
    if (!node_is(c, SYM.comment)) continue;
    if (!ts_node_eq(ts_node_prev_sibling(c), first) ||
        line_of(ctx->src, nend(first)) != line_of(ctx->src, nstart(c)))
      return false;
    *trailing = arena_printf(ctx->arena, "%s  %s", *trailing, ctx_text(ctx, c));
  }
  return true;
}

static void add_fix(RuleCtx *ctx, Finding *f, Write *g[], size_t n) {
  const CallSite *first = g[0]->cs;
  TSNode key = call_arg(first->args, 0);
  const char *pfx = prefix_source(ctx, key, g[0]->field);
  KeyTpl pk = pk_of(ctx, g[0]);
  const char *call = arena_printf(ctx->arena, "%s.hset(%s, mapping=%s)", first->recv_text,
                                  pfx ? pfx : key_display(ctx, &pk),
                                  mapping_text(ctx, g, n));
  const char *trailing = "";
  bool edits = pfx && rewritable(g, n) && consecutive(ctx, g, n, &trailing);
  for (size_t i = 1; i < n && edits; i++)
    edits = prefix_source(ctx, call_arg(g[i]->cs->args, 0), g[i]->field) &&
            !strcmp(prefix_source(ctx, call_arg(g[i]->cs->args, 0), g[i]->field), pfx);
  finding_fix(ctx, f, edits ? FIX_UNSAFE : FIX_DISPLAY,
              "Store the fields in one hash: `%s` (readers must switch to HGET/HGETALL)", call);
  if (!edits) return;
  /* the run of statements becomes the one HSET (blank lines inside go too);
   * longer than WRAP_AT columns, one field a line (as RL303 writes MSET) */
  const char *indent = ctx_indent(ctx, nstart(first->stmt));
  if (strlen(indent) + strlen(call) > WRAP_AT) {
    call = arena_printf(ctx->arena, "%s.hset(%s, mapping={", first->recv_text, pfx);
    for (size_t i = 0; i < n; i++)
      call = arena_printf(ctx->arena, "%s\n%s    \"%s\": %s,", call, indent, g[i]->field,
                          ctx_text(ctx, g[i]->value));
    call = arena_printf(ctx->arena, "%s\n%s})", call, indent);
  }
  finding_edit(ctx, f, nstart(first->stmt), nend(g[n - 1]->cs->stmt),
               arena_printf(ctx->arena, "%s%s", call, trailing));
}

static void report_group(RuleCtx *ctx, Write *g[], size_t n) {
  const char *fields = "";
  for (size_t i = 0; i < n; i++)
    fields = arena_printf(ctx->arena, "%s%s%s", fields, i ? ", " : "", g[i]->field);
  KeyTpl pk = {0};
  pk.text = g[0]->prefix;
  const char *pd = key_display(ctx, &pk);
  Finding *f = rule_report(ctx, g[0]->cs->node, SEV_WARNING, /* the call, also for an mset */
                           "%zu string keys hold fields of one `%s` entity (%s): every key pays "
                           "Redis' per-key overhead; one hash `%s` stays listpack-encoded up to "
                           "hash-max-listpack-entries (%ld) fields",
                           n, pd, fields, pd, ctx->opt->th.hash_max_listpack_entries);
  for (size_t i = 1; i < n; i++)
    finding_related(ctx, f, NULL, nstart(g[i]->at), nend(g[i]->at),
                    arena_printf(ctx->arena, "field `%s` written here", g[i]->field));
  add_fix(ctx, f, g, n);
}

static bool distinct_field(Write *g[], size_t n, const char *field) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(g[i]->field, field)) return false;
  return true;
}

static void group_function(RuleCtx *ctx, Write *w, size_t n) {
  Write *g[MAX_WRITES];
  for (size_t i = 0; i < n; i++) {
    if (w[i].grouped) continue;
    size_t k = 0;
    bool same_ttl = true, same_obj = w[i].obj != NULL;
    for (size_t j = i; j < n; j++) {
      if (w[j].grouped || !same_group(&w[i], &w[j])) continue;
      w[j].grouped = true;
      if (!distinct_field(g, k, w[j].field)) continue;
      same_ttl &= !strcmp(w[i].ttl, w[j].ttl);
      same_obj &= w[j].obj && w[i].obj && !strcmp(w[i].obj, w[j].obj);
      g[k++] = &w[j];
    }
    int min = same_obj ? 2 : ctx->opt->th.per_field_min_group;
    if (min < 2) min = 2;
    if (k >= (size_t)min && same_ttl) report_group(ctx, g, k);
  }
}

/* for field, value in data.items(): r.set(f"user:{uid}:{field}", value) */
static void check_loop_writes(RuleCtx *ctx) {
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    const Loop *l = model_loop(ctx->model, cs->loop);
    if (!l || ts_node_is_null(l->iterable) || !call_method_in(cs, STRING_WRITES)) continue;
    const KeyTpl *k = &cs->key;
    size_t len = k->text ? strlen(k->text) : 0;
    if (len < 3 || k->text[len - 1] != KEY_HOLE || k->text[len - 2] != ':' || k->nholes < 2 ||
        k->nholes > KEY_MAX_HOLES)
      continue;
    TSNode last = k->holes[k->nholes - 1];
    TSNode it = l->iterable;
    bool dict_iter = node_is(it, SYM.call) &&
                     (node_text_eq(ctx->src, ts_node_child_by_field_id(
                                                 ts_node_child_by_field_id(it, SYM.f_function),
                                                 SYM.f_attribute), "items") ||
                      node_text_eq(ctx->src, ts_node_child_by_field_id(
                                                 ts_node_child_by_field_id(it, SYM.f_function),
                                                 SYM.f_attribute), "keys"));
    if (!dict_iter || !node_is(last, SYM.identifier) || !mentions_loop_target(ctx->model, l, last))
      continue;
    TSNode src = ts_node_child_by_field_id(ts_node_child_by_field_id(it, SYM.f_function), SYM.f_object);
    KeyTpl pk = *k;
    pk.text = arena_strndup(ctx->arena, k->text, len - 2);
    Finding *f = rule_report(ctx, cs->node, SEV_WARNING,
                             "one string key per field of `%s` (`%s`): every key pays Redis' "
                             "per-key overhead; store the fields in one hash `%s`",
                             ctx_text(ctx, src), key_display(ctx, k), key_display(ctx, &pk));
    finding_fix(ctx, f, FIX_DISPLAY,
                "Write the dict as one hash: `%s.hset(<key %s>, mapping=%s)` (readers must "
                "switch to HGET/HGETALL)",
                cs->recv_text, key_display(ctx, &pk), ctx_text(ctx, src));
  }
}

static int cmp_write_func(const void *a, const void *b) {
  const Write *x = a, *y = b;
  if (x->cs->func != y->cs->func) return x->cs->func < y->cs->func ? -1 : 1;
  uint32_t sx = nstart(x->at), sy = nstart(y->at);
  return sx < sy ? -1 : sx > sy;
}

static void check(RuleCtx *ctx) {
  size_t cap = model_ncalls(ctx->model) * 4 + 16;
  Write *w = xcalloc(cap, sizeof(Write));
  size_t n = collect(ctx, w, cap);
  qsort(w, n, sizeof(Write), cmp_write_func); /* by function, then position */
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && w[j].cs->func == w[i].cs->func) j++;
    if (j - i >= 2) group_function(ctx, w + i, j - i < MAX_WRITES ? j - i : MAX_WRITES);
    i = j;
  }
  free(w);
  check_loop_writes(ctx);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/per-field-keys.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_per_field_keys = {
    .check_file = check,
    .check_project = per_field_keys_project,
};
