/* RL603 unsafe-deserialization: pickle (and its kin) or unsafe YAML applied
 * to a value read from Redis. Anyone who can write that key (a compromised
 * service sharing the instance, an unauthenticated Redis on the network, a
 * key built from user input) runs arbitrary code in this process.
 *
 * The value is "from Redis" when the deserializer's argument contains a read
 * call on a client (`pickle.loads(r.get(k))`, `pickle.load(BytesIO(r.hget(...)))`)
 * or mentions a name that, in the same function, is assigned from such a
 * read or from another such name, or is the target of a loop or
 * comprehension over one (`for raw in r.lrange(...)`, `k, v in
 * r.hgetall(h).items()`). Flow-insensitive within the function, bounded.
 *
 * Severity: warning; info inside a function or class whose name says it is
 * a serializer (serializ, codec, decode, loads, unpickle): a library whose
 * configurable serializer unpickles its own queue data by design. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "rule_util.h"

#define MAX_TAINT 32

static const char *const PICKLERS[] = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", NULL};

typedef enum { DS_NONE, DS_PICKLE, DS_YAML, DS_JSONPICKLE } DsKind;

static bool in_list(const char *s, size_t n, const char *const *list) {
  for (; *list; list++)
    if (strlen(*list) == n && !strncmp(s, *list, n)) return true;
  return false;
}

/* The deserializer a qualified name stands for. */
static DsKind deserializer(const char *qn, const char **fname) {
  const char *dot = strrchr(qn, '.');
  if (!dot) return DS_NONE;
  const char *mod = dot;
  while (mod > qn && mod[-1] != '.') mod--;
  size_t mlen = (size_t)(dot - mod);
  const char *fn = dot + 1;
  *fname = qn;
  if (in_list(mod, mlen, PICKLERS))
    return !strcmp(fn, "loads") || !strcmp(fn, "load") ? DS_PICKLE : DS_NONE;
  if (mlen == 10 && !strncmp(mod, "jsonpickle", 10))
    return !strcmp(fn, "decode") || !strcmp(fn, "loads") ? DS_JSONPICKLE : DS_NONE;
  if (mlen == 4 && !strncmp(mod, "yaml", 4) && strncmp(qn, "yaml.", 5) == 0)
    return !strcmp(fn, "load") || !strcmp(fn, "load_all") || !strcmp(fn, "full_load") ||
                   !strcmp(fn, "full_load_all") || !strcmp(fn, "unsafe_load") ||
                   !strcmp(fn, "unsafe_load_all")
               ? DS_YAML
               : DS_NONE;
  return DS_NONE;
}

/* yaml.load(x, Loader=SafeLoader) / CSafeLoader / BaseLoader: safe. */
static bool yaml_safe(RuleCtx *ctx, const char *qn, TSNode args) {
  const char *fn = strrchr(qn, '.') + 1;
  if (strcmp(fn, "load") && strcmp(fn, "load_all")) return false; /* full/unsafe_load */
  TSNode l = call_kwarg(ctx->src, args, "Loader");
  if (ts_node_is_null(l)) l = call_arg(args, 1);
  if (ts_node_is_null(l)) return false;
  const char *q = model_qualname(ctx->model, l, model_scope_at(ctx->model, nstart(l)));
  const char *t = q ? q : ctx_text(ctx, l);
  return strstr(t, "Safe") || strstr(t, "BaseLoader");
}

static bool is_read(const CallSite *cs) {
  if (!cs->cmd) return false;
  if (value_is_pipeline(cs->recv) || cs->recv.kind == OBJ_CLIENT_OR_PIPELINE)
    return !strcmp(cs->method, "execute");
  return cs->recv.kind == OBJ_CLIENT && (cs->cmd->flags & CMD_READ);
}

/* The first read call site inside [start, end), by binary search: call
 * sites come in tree order. */
static const CallSite *read_within(const Model *m, uint32_t start, uint32_t end) {
  size_t lo = 0, hi = model_ncalls(m);
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (nstart(model_call(m, mid)->node) < start) lo = mid + 1;
    else hi = mid;
  }
  for (size_t i = lo; i < model_ncalls(m); i++) {
    const CallSite *cs = model_call(m, i);
    if (nstart(cs->node) >= end) break;
    if (nend(cs->node) <= end && is_read(cs)) return cs;
  }
  return NULL;
}

/* The call site of `<client>.pubsub()` that `ps` holds in `ps.listen()` /
 * `ps.get_message()` inside [e]: its messages are published by any client of
 * the server, data read from Redis. NULL when there is none. */
typedef struct PubsubScan {
  const Model *m;
  const CallSite *found;
} PubsubScan;

static const CallSite *call_at(const Model *m, TSNode call) {
  size_t lo = 0, hi = model_ncalls(m);
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (nstart(model_call(m, mid)->node) < nstart(call)) lo = mid + 1;
    else hi = mid;
  }
  for (; lo < model_ncalls(m) && nstart(model_call(m, lo)->node) == nstart(call); lo++)
    if (ts_node_eq(model_call(m, lo)->node, call)) return model_call(m, lo);
  return NULL;
}

/* The call a `with <call> as name:` around n binds to `name`, or a null
 * node. */
static TSNode with_value(const Model *m, TSNode n, TSNode name) {
  const Source *src = model_source(m);
  for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p)) {
    if (node_is(p, SYM.function_definition)) break;
    if (!node_is(p, SYM.with_statement)) continue;
    TSNode clause = ts_node_named_child(p, 0);
    for (uint32_t i = 0; i < ts_node_named_child_count(clause); i++) {
      TSNode item = ts_node_named_child(clause, i);
      TSNode v = node_is(item, SYM.with_item) ? ts_node_child_by_field_id(item, SYM.f_value) : item;
      if (!node_is(v, SYM.as_pattern)) continue;
      TSNode call = ts_node_named_child(v, 0), alias = ts_node_named_child(v, 1);
      if (node_is(alias, SYM.as_pattern_target)) alias = ts_node_named_child(alias, 0);
      if (node_is(call, SYM.call) && node_is(alias, SYM.identifier) &&
          nend(alias) - nstart(alias) == nend(name) - nstart(name) &&
          !memcmp(src->text + nstart(alias), src->text + nstart(name), nend(name) - nstart(name)))
        return call;
    }
  }
  return (TSNode){0};
}

static bool pubsub_visit(TSNode n, void *data) {
  PubsubScan *p = data;
  if (p->found) return false;
  if (!node_is(n, SYM.call)) return true;
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  if (!node_is(fn, SYM.attribute)) return true;
  const Source *src = model_source(p->m);
  TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
  if (!node_text_eq(src, attr, "listen") && !node_text_eq(src, attr, "get_message")) return true;
  TSNode obj = ts_node_child_by_field_id(fn, SYM.f_object);
  if (!node_is(obj, SYM.identifier)) return true;
  TSNode made = with_value(p->m, n, obj); /* `async with r.pubsub() as ps:` */
  if (ts_node_is_null(made)) {
    Reaching rc = model_reaching(p->m, model_scope_at(p->m, nstart(n)), src->text + nstart(obj),
                                 nend(obj) - nstart(obj), nstart(n));
    if (!rc.found || !rc.value || !node_is(rc.expr, SYM.call)) return true;
    made = rc.expr;
  }
  const CallSite *cs = call_at(p->m, made);
  if (cs && cs->recv.kind == OBJ_CLIENT && !strcmp(cs->method, "pubsub")) p->found = cs;
  return !p->found;
}

static const CallSite *pubsub_within(const Model *m, TSNode e) {
  PubsubScan p = {m, NULL};
  node_walk(e, pubsub_visit, &p);
  return p.found;
}

typedef struct Taint {
  RuleCtx *ctx;
  const char *names[MAX_TAINT];
  const CallSite *origin[MAX_TAINT];
  size_t n;
  bool grew;
} Taint;

static int taint_find(const Taint *t, const char *s) {
  for (size_t i = 0; i < t->n; i++)
    if (!strcmp(t->names[i], s)) return (int)i;
  return -1;
}

/* Where an expression's data comes from: a read inside it, or a tainted
 * name it mentions. */
static const CallSite *source_of(Taint *t, TSNode e) {
  if (ts_node_is_null(e)) return NULL;
  const CallSite *r = read_within(t->ctx->model, nstart(e), nend(e));
  if (r) return r;
  if ((r = pubsub_within(t->ctx->model, e))) return r;
  const char *name = expr_mentions_any(t->ctx, e, t->names, t->n);
  return name ? t->origin[taint_find(t, name)] : NULL;
}

static void taint_target(Taint *t, TSNode target, const CallSite *origin, int depth) {
  if (depth > 4 || ts_node_is_null(target)) return;
  if (node_is(target, SYM.identifier)) {
    const char *s = ctx_text(t->ctx, target);
    if (taint_find(t, s) < 0 && t->n < MAX_TAINT) {
      t->names[t->n] = s;
      t->origin[t->n++] = origin;
      t->grew = true;
    }
    return;
  }
  if (node_is(target, SYM.pattern_list) || node_is(target, SYM.tuple_pattern) ||
      node_is(target, SYM.list_splat_pattern) || node_is(target, SYM.tuple) ||
      node_is(target, SYM.expression_list) || node_is(target, SYM.list) ||
      !strcmp(ts_node_type(target), "list_pattern"))
    for (uint32_t i = 0; i < ts_node_named_child_count(target); i++)
      taint_target(t, ts_node_named_child(target, i), origin, depth + 1);
}

static bool taint_visit(TSNode n, void *data) {
  Taint *t = data;
  TSNode left = {0}, right = {0};
  if (node_is(n, SYM.assignment) || node_is(n, SYM.augmented_assignment)) {
    left = ts_node_child_by_field_id(n, SYM.f_left);
    right = ts_node_child_by_field_id(n, SYM.f_right);
  } else if (node_is(n, SYM.named_expression)) { /* `if blob := r.get(k):` */
    left = ts_node_child_by_field_id(n, SYM.f_name);
    right = ts_node_child_by_field_id(n, SYM.f_value);
  } else if (node_is(n, SYM.for_statement) || node_is(n, SYM.for_in_clause)) {
    left = ts_node_child_by_field_id(n, SYM.f_left);
    right = ts_node_child_by_field_id(n, SYM.f_right);
  } else {
    return true;
  }
  const CallSite *origin = source_of(t, right);
  if (origin) taint_target(t, left, origin, 0);
  return true;
}

/* Names in `body` holding data read from Redis. */
static void taint_spread(Taint *t, TSNode body) {
  for (int pass = 0; pass < 4; pass++) {
    t->grew = false;
    node_walk(body, taint_visit, t);
    if (!t->grew) break;
  }
}

static bool serializer_name(const char *s) {
  static const char *const words[] = {"serializ", "codec", "decode", "loads", "unpickle",
                                      "unpack", "deserial"};
  size_t n = s ? strlen(s) : 0;
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
      if (!strncasecmp(s + i, words[k], strlen(words[k]))) return true;
  return false;
}

/* Is the call inside a serializer component (function or class by name)? */
static bool in_serializer(RuleCtx *ctx, int func) {
  for (const Function *fn = model_function(ctx->model, func); fn;
       fn = fn->parent >= 0 ? model_function(ctx->model, fn->parent) : NULL) {
    if (serializer_name(fn->name)) return true;
    if (fn->cls >= 0 && serializer_name(model_class(ctx->model, fn->cls)->name)) return true;
  }
  return false;
}

typedef struct Walk {
  RuleCtx *ctx;
  int func;      /* function whose taint is cached, -2 none */
  Taint taint;
} Walk;

/* Does the code rewrite what it unpickles as JSON: `json.dumps(pickle.loads(raw))`,
 * or `item = pickle.loads(raw)` and `json.dumps(item)` later in the same
 * block (a loop body), with no `pickle.dumps(item)` there? A migration off
 * pickle: storing JSON is what it does. */
static bool converts_to_json(RuleCtx *ctx, TSNode call, int func) {
  (void)func;
  TSNode p = ts_node_parent(call);
  if (node_is(p, SYM.argument_list)) {
    TSNode outer = ts_node_parent(p);
    if (node_is(outer, SYM.call)) {
      const char *t = ctx_text(ctx, ts_node_child_by_field_id(outer, SYM.f_function));
      if (!strcmp(t, "json.dumps")) return true;
    }
  }
  if (!node_is(p, SYM.assignment)) return false;
  TSNode left = ts_node_child_by_field_id(p, SYM.f_left);
  if (!node_is(left, SYM.identifier)) return false;
  TSNode block = p;
  while (!ts_node_is_null(block) && !node_is(block, SYM.block) && !node_is(block, SYM.module))
    block = ts_node_parent(block);
  if (ts_node_is_null(block)) return false;
  uint32_t from = nend(call), to = nend(block);
  char *rest = arena_strndup(ctx->arena, ctx->src->text + from, to - from);
  const char *name = ctx_text(ctx, left);
  size_t n = strlen(name);
  bool json = false;
  for (int k = 0; k < 2; k++) {
    const char *call_name = k ? "pickle.dumps(" : "json.dumps(";
    size_t cl = strlen(call_name);
    for (const char *d = strstr(rest, call_name); d; d = strstr(d + 1, call_name)) {
      const char *a = d + cl;
      if (strncmp(a, name, n) || (a[n] != ')' && a[n] != ',' && a[n] != ' ')) continue;
      if (k) return false; /* pickled again: not a migration off pickle */
      json = true;
    }
  }
  return json;
}

static void report(RuleCtx *ctx, TSNode call, DsKind kind, const char *qn, TSNode arg,
                   const CallSite *read, bool direct, int func) {
  unsigned line = line_of(ctx->src, nstart(read->node));
  const char *via = "";
  if (!direct) {
    const char *a = ctx_text(ctx, arg);
    via = strlen(a) <= 30 && !strchr(a, '\n')
              ? arena_printf(ctx->arena, " on line %u, via `%s`", line, a)
              : arena_printf(ctx->arena, " on line %u", line);
  }
  if (kind != DS_YAML && converts_to_json(ctx, call, func)) {
    Finding *f = rule_report(ctx, call, SEV_INFO,
                             "`%s` of a Redis value (`%s`%s) that this code rewrites as JSON: a "
                             "migration off pickle, but until the old entries are gone anyone who "
                             "can write that key runs code in this process",
                             qn, call_short(ctx, read), via);
    finding_related(ctx, f, NULL, nstart(read->node), nend(read->node), "the Redis read");
    finding_fix(ctx, f, FIX_DISPLAY,
                "Run the migration once, with writes to these keys stopped, and remove the "
                "unpickling afterwards");
    return;
  }
  Finding *f = rule_report(ctx, call, in_serializer(ctx, func) ? SEV_INFO : SEV_WARNING,
                           "`%s` of a Redis value (`%s`%s): anyone who can write that key runs "
                           "code in this process; %s",
                           qn, call_short(ctx, read), via,
                           kind == DS_YAML ? "parse it with yaml.safe_load"
                                           : "store JSON or sign the payload (hmac) before "
                                             "unpickling");
  finding_related(ctx, f, NULL, nstart(read->node), nend(read->node), "the Redis read");
  if (kind == DS_YAML)
    finding_fix(ctx, f, FIX_DISPLAY,
                "Parse with `yaml.safe_load(...)` (plain data only), or store JSON");
  else
    finding_fix(ctx, f, FIX_DISPLAY,
                "Store JSON (or msgpack) instead of pickles, or sign the payload with hmac and "
                "verify the signature before unpickling");
}

static bool ds_visit(TSNode n, void *data) {
  Walk *w = data;
  if (!node_is(n, SYM.call)) return true;
  RuleCtx *ctx = w->ctx;
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  TSNode last = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
  if (!node_is(last, SYM.identifier)) return true;
  const char *lt = ctx->src->text + nstart(last);
  size_t ll = nend(last) - nstart(last);
  if (!(ll >= 4 && (!strncmp(lt, "load", 4) || !strncmp(lt + ll - 4, "load", 4) ||
                    !strncmp(lt + ll - 4, "_all", 4) || !strncmp(lt, "decode", 6))))
    return true; /* cheap filter before resolving names */
  int scope = model_scope_at(ctx->model, nstart(n));
  const char *qn = model_qualname(ctx->model, fn, scope), *fname;
  DsKind kind = qn ? deserializer(qn, &fname) : DS_NONE;
  if (kind == DS_NONE) return true;
  TSNode args = ts_node_child_by_field_id(n, SYM.f_arguments);
  if (kind == DS_YAML && yaml_safe(ctx, qn, args)) return true;
  TSNode arg = call_arg(args, 0);
  static const char *const kws[] = {"data", "s", "string", "stream", "file", "value"};
  for (size_t k = 0; k < sizeof kws / sizeof kws[0] && ts_node_is_null(arg); k++)
    arg = call_kwarg(ctx->src, args, kws[k]);
  if (ts_node_is_null(arg)) return true;
  int func = model_func_at(ctx->model, nstart(n));
  const CallSite *read = read_within(ctx->model, nstart(arg), nend(arg));
  if (read) {
    report(ctx, n, kind, qn, arg, read, true, func);
    return true;
  }
  if (w->func != func) {
    memset(&w->taint, 0, sizeof w->taint);
    w->taint.ctx = ctx;
    w->func = func;
    const Function *f = model_function(ctx->model, func);
    TSNode body = f ? ts_node_child_by_field_id(f->node, SYM.f_body) : model_root(ctx->model);
    taint_spread(&w->taint, body);
  }
  const char *name = expr_mentions_any(ctx, arg, w->taint.names, w->taint.n);
  if (name) report(ctx, n, kind, qn, arg, w->taint.origin[taint_find(&w->taint, name)], false, func);
  return true;
}

static void check(RuleCtx *ctx) {
  if (in_test_code(ctx->src, ctx->opt)) return; /* tests unpickle fixtures they wrote themselves */
  const Model *m = ctx->model;
  if (!model_imports(m, "pickle") && !model_imports(m, "cPickle") && !model_imports(m, "_pickle") &&
      !model_imports(m, "dill") && !model_imports(m, "cloudpickle") &&
      !model_imports(m, "jsonpickle") && !model_imports(m, "yaml") && !model_imports(m, "six"))
    return;
  if (!model_ncalls(m)) return;
  Walk w = {.ctx = ctx, .func = -2};
  node_walk(model_root(m), ds_visit, &w);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/unsafe-deserialization.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_unsafe_deserialization = {
    .check_file = check,
};
