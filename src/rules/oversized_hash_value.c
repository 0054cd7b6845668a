/* RL102 oversized-hash-value: a hash field name or value longer than
 * hash-max-listpack-value converts the whole hash to a hashtable. */
#include <string.h>

#include "rule_util.h"

static const char *const HASH_WRITES[] = {"hset", "hsetnx", "hmset", NULL};

/* `str(x)`: x; a null node for any other call. */
static TSNode str_of(RuleCtx *ctx, TSNode call) {
  TSNode fn = ts_node_child_by_field_id(call, SYM.f_function);
  TSNode args = ts_node_child_by_field_id(call, SYM.f_arguments);
  if (!node_is(fn, SYM.identifier) || !node_text_eq(ctx->src, fn, "str") ||
      ts_node_named_child_count(args) != 1)
    return (TSNode){0};
  return ts_node_named_child(args, 0);
}

typedef struct Verdict {
  Severity sev;
  const char *why; /* "value is 1000 bytes" */
} Verdict;

typedef struct Used {
  RuleCtx *ctx;
  const char *name;
  bool record;
} Used;

/* `name[...]`, `name.x`: the parameter is used as a record. */
static bool record_use(TSNode n, void *data) {
  Used *u = data;
  if (u->record) return false;
  if (!node_is(n, SYM.subscript) && !node_is(n, SYM.attribute)) return true;
  TSNode obj = ts_node_child_by_field_id(n, node_is(n, SYM.subscript) ? SYM.f_value : SYM.f_object);
  u->record = node_is(obj, SYM.identifier) && !strcmp(ctx_text(u->ctx, obj), u->name);
  return !u->record;
}

/* `x` or `str(x)` where x is a parameter of the call's function that no
 * assignment before `at` replaces; its name, else NULL. */
static const char *bare_param(RuleCtx *ctx, const CallSite *cs, TSNode x) {
  if (node_is(x, SYM.call) && ts_node_is_null(x = str_of(ctx, x))) return NULL;
  if (cs->func < 0 || !node_is(x, SYM.identifier)) return NULL;
  const char *params[32];
  size_t np = func_params(ctx, cs->func, params, 32);
  const char *name = ctx_text(ctx, x);
  bool is_param = false;
  for (size_t i = 0; i < np && !is_param; i++) is_param = !strcmp(params[i], name);
  if (!is_param) return NULL;
  Reaching r = model_reaching(ctx->model, cs->scope, name, strlen(name), ts_node_start_byte(x));
  return r.value && !r.param ? NULL : name;
}

/* A generic storage helper: `def put(self, key, item, value):
 * hset(key, item, pickle.dumps(value))`, the field name and the serialized
 * value both parameters of the function, the value never read as a record
 * there (`value["id"]`, `value.name`). It stores what its callers hand it,
 * and nothing says an object: a literal field (`"cart"`) or a record says
 * more. */
static bool generic_helper_value(RuleCtx *ctx, const CallSite *cs, TSNode field, TSNode ser) {
  if (ts_node_is_null(field) || !bare_param(ctx, cs, field) || !node_is(ser, SYM.call)) return false;
  const Function *fn = model_function(ctx->model, cs->func);
  if (!fn || ts_node_start_byte(ser) < ts_node_start_byte(fn->node) ||
      ts_node_end_byte(ser) > ts_node_end_byte(fn->node))
    return false;
  const char *name = bare_param(ctx, cs, call_arg(ts_node_child_by_field_id(ser, SYM.f_arguments), 0));
  if (!name) return false;
  Used u = {ctx, name, false};
  node_walk(ts_node_child_by_field_id(fn->node, SYM.f_body), record_use, &u);
  return !u.record;
}

/* `json.dumps(v)` of a value of a mapping, field by field (`{k: json.dumps(v)
 * for k, v in meta.items()}`, `for v in meta.values()`): each field's own
 * value, of any size; nothing says a document (an item of a list of
 * records, `for inst in instances`, is one). */
static bool serializes_item(RuleCtx *ctx, TSNode ser) {
  if (!node_is(ser, SYM.call)) return false;
  TSNode a0 = call_arg(ts_node_child_by_field_id(ser, SYM.f_arguments), 0);
  if (!node_is(a0, SYM.identifier)) return false;
  const char *name = ctx_text(ctx, a0);
  int sc = model_scope_at(ctx->model, nstart(a0));
  Reaching r = model_reaching(ctx->model, sc, name, strlen(name), nstart(a0));
  /* a comprehension binds its target after the expression that uses it */
  if (r.found && !r.value && !r.iterated) r = model_reaching(ctx->model, sc, name, strlen(name), UINT32_MAX);
  if (!r.found || r.value || !r.iterated || !node_is(r.iterable, SYM.call)) return false;
  TSNode fn = ts_node_child_by_field_id(r.iterable, SYM.f_function);
  TSNode attr = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : (TSNode){0};
  return node_text_eq(ctx->src, attr, "items") || node_text_eq(ctx->src, attr, "values");
}

/* A project that works with RediSearch (`r.ft("idx")`, redis.commands.search,
 * the redisearch, redisvl or redis_om packages, FT.* commands; this file or
 * another): its hashes may be indexed documents, whose text fields must
 * stay in the hash to be searched. Asked once per file. */
static bool uses_search(RuleCtx *ctx) { return model_project_search(ctx->model); }

static bool judge(RuleCtx *ctx, const CallSite *cs, TSNode field, TSNode n, const char *what,
                  Verdict *v) {
  if (ts_node_is_null(n)) return false;
  ValueFact f = model_value(ctx->model, n);
  long limit = ctx->opt->th.hash_max_listpack_value;
  if (f.flags & VF_SMALL_LITERAL) return false;
  int64_t size = f.size >= 0 ? f.size : f.min_size;
  if (size > limit) {
    v->sev = SEV_WARNING;
    v->why = arena_printf(ctx->arena, "%s is %s%lld bytes", what, f.size >= 0 ? "" : "at least ",
                          (long long)size);
    return true;
  }
  if (f.size >= 0) return false;
  if ((f.flags & VF_SERIALIZED) && (f.flags & VF_COLLECTION)) {
    v->sev = SEV_WARNING;
    v->why = arena_printf(ctx->arena, "%s is %s output of a collection", what, f.what);
    return true;
  }
  if (f.flags & VF_BULK) {
    v->sev = SEV_WARNING;
    v->why = arena_printf(ctx->arena, "%s is a bulk body (%s)", what,
                          f.what ? f.what : ctx_text(ctx, f.origin));
    return true;
  }
  if ((f.flags & VF_SERIALIZED) && (f.flags & VF_ENTITY) &&
      !generic_helper_value(ctx, cs, field, f.origin) && !serializes_item(ctx, f.origin)) {
    v->sev = SEV_INFO;
    v->why = arena_printf(ctx->arena, "%s is %s output of an object, likely", what, f.what);
    return true;
  }
  return false;
}

/* Is the field name an entity's id (`item_id`, `job.id`, `taskid`,
 * `f"{uuid}"`, `str(c["external_id"])`), not a literal attribute name? Then the hash maps ids to
 * values of one kind (a queue's message store, `{job_id: payload}`): it has
 * a field per entity and no small fields whose cost a big value would raise;
 * with a real population it passes hash-max-listpack-entries and is a
 * hashtable whatever its values, and a key per value costs more. */
static bool field_is_id(RuleCtx *ctx, TSNode n) {
  while (node_is(n, SYM.parenthesized_expression)) n = ts_node_named_child(n, 0);
  if (node_is(n, SYM.string) && ts_node_named_child_count(n) > 0) {
    /* f"{job_id}": an f-string of one interpolation and nothing else */
    TSNode in = {0};
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
      TSNode c = ts_node_named_child(n, i);
      if (node_is(c, SYM.interpolation)) {
        if (!ts_node_is_null(in)) return false;
        in = ts_node_named_child(c, 0);
      } else if (node_is(c, SYM.string_content)) {
        return false;
      }
    }
    n = in;
  }
  if (node_is(n, SYM.call) && ts_node_is_null(n = str_of(ctx, n))) return false; /* str(job_id) */
  if (node_is(n, SYM.attribute)) n = ts_node_child_by_field_id(n, SYM.f_attribute);
  const char *t;
  if (node_is(n, SYM.subscript)) { /* c["new_external_id"]: the literal key names it */
    TSNode k = ts_node_named_child(n, 1); /* value[subscript] */
    if (!node_is(k, SYM.string)) return false;
    KeyTpl kt = model_key(ctx->model, k);
    if (!kt.text || kt.opaque || strchr(kt.text, KEY_HOLE)) return false;
    t = kt.text;
  } else if (node_is(n, SYM.identifier)) {
    t = ctx_text(ctx, n);
  } else {
    return false;
  }
  size_t len = strlen(t);
  static const char *const SUFFIXES[] = {"id", "Id", "ID", "pk", "uuid", "Uuid", "UUID", "guid", NULL};
  for (const char *const *sfx = SUFFIXES; *sfx; sfx++) {
    size_t k = strlen(*sfx);
    if (len >= k && !strcmp(t + len - k, *sfx)) return true;
  }
  return false;
}

static void report(RuleCtx *ctx, const CallSite *cs, TSNode at, Verdict *v) {
  Finding *f = rule_report(ctx, at, v->sev,
                           "%s over hash-max-listpack-value (%ld): one such field converts "
                           "the whole hash `%s` from listpack to hashtable encoding, several "
                           "times the memory of its other fields",
                           v->why, ctx->opt->th.hash_max_listpack_value,
                           call_key_display(ctx, cs));
  finding_fix(ctx, f, FIX_DISPLAY,
              "Move the large value to its own (compressed) key, e.g. `%s.set(f\"<key>:%s\", "
              "zlib.compress(...))`, and keep only a reference in the hash; or raise "
              "hash-max-listpack-value deliberately",
              cs->recv_text, "<field>");
}

static void check(RuleCtx *ctx) {
  if (uses_search(ctx)) return;
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (!call_method_in(cs, HASH_WRITES)) continue;
    /* one hash under a constant name: a hashtable costs a few hundred bytes
     * once (a hash with a field per entity passes 128 fields and is a
     * hashtable whatever its values) */
    if (key_is_singleton(cs)) continue;
    Stored st[MAX_VALUES];
    size_t n = stored_values(ctx->model, cs, st, MAX_VALUES, NULL);
    for (size_t k = 0; k < n; k++) {
      Verdict v;
      if (!ts_node_is_null(st[k].field) && field_is_id(ctx, st[k].field)) continue;
      if (judge(ctx, cs, (TSNode){0}, st[k].field, "field name", &v)) report(ctx, cs, report_node(cs, st[k].field), &v);
      if (judge(ctx, cs, st[k].field, st[k].value, "value", &v)) report(ctx, cs, report_node(cs, st[k].value), &v);
    }
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/oversized-hash-value.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_oversized_hash_value = {
    .check_file = check,
};
