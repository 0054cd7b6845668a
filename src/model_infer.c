/* model_infer.c - clients known from how the code uses them (duck typing).
 *
 * A receiver the model cannot prove, on which the code calls a method only a
 * Redis client has (commands_distinctive(): hset, zadd, xadd, scan_iter...),
 * is an *inferred* client. Its binding (a name, a parameter, `self.attr`)
 * gets the inferred value as a fallback that any proven value overrides, so
 * pipelines made from it, attributes set from it and functions returning it
 * follow, and its ambiguous calls (get, set, delete) count as commands too.
 *
 * Never inferred: receivers proven to be something else (literals, None
 * only, a class or module), modules brought by `import x`, `self`/`cls`, and
 * method names that a class of the project defines (a wrapper's own hset:
 * index_defines()). Evidence needs the call to look like redis-py's:
 * `expire(name, time)` has two arguments (cachetools' `expire()` has none),
 * `pipeline()` takes no data. Values carry `inferred`; rules that need the
 * construction ask for the proven view (model_view_proven). */
#include <ctype.h>
#include <string.h>

#include "model_internal.h"
#include "rules/rule_util.h" /* in_test_code: the one notion of test code */

static size_t nargs(TSNode args) {
  size_t n = 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    uint16_t s = nsym(ts_node_named_child(args, i));
    if (s == SYM.list_splat || s == SYM.dictionary_splat) return 99;
    if (s != SYM.comment) n++;
  }
  return n;
}

/* Does the call look like redis-py's method of that name? */
static bool call_shape_ok(const Model *m, const char *meth, TSNode args) {
  size_t n = nargs(args);
  if (!strncmp(meth, "expire", 6) || !strncmp(meth, "pexpire", 7)) {
    /* SQLAlchemy's session.expire(obj, ["attr"]) names attributes where
       redis-py's expire(name, time) takes a time */
    TSNode t = ts_node_named_child(args, 1);
    uint16_t s = ts_node_is_null(t) ? 0 : nsym(t);
    if (s == SYM.list || s == SYM.tuple || s == SYM.set || s == SYM.string) return false;
    for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
      TSNode a = ts_node_named_child(args, i);
      if (node_is(a, SYM.keyword_argument) &&
          node_text_eq(m->src, ts_node_child_by_field_id(a, SYM.f_name), "attribute_names"))
        return false;
    }
    return n >= 2;
  }
  if (!strcmp(meth, "pipeline")) {
    for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
      TSNode a = ts_node_named_child(args, i);
      uint16_t s = nsym(a);
      if (s == SYM.true_ || s == SYM.false_ || s == SYM.comment) continue;
      if (s == SYM.keyword_argument) {
        TSNode k = ts_node_child_by_field_id(a, SYM.f_name);
        if (node_text_eq(m->src, k, "transaction") || node_text_eq(m->src, k, "shard_hint"))
          continue;
      }
      return false;
    }
    return true;
  }
  return n >= 1 || !strcmp(meth, "flushdb") || !strcmp(meth, "flushall");
}

/* Does a class of this file, other than a client class, define `meth`? */
static bool defined_here(Model *m, const char *meth) {
  model_method_tables(m);
  int di = commands_distinctive_index(meth, (uint32_t)strlen(meth));
  return m->defined_local && di >= 0 && m->defined_local[di];
}

static const char *evidence_of(Model *m, const PendingCall *p);

/* The method name of a pending call when it is evidence; NULL otherwise.
 * Worked out once per call and analysis (both passes here ask). */
static const char *evidence(Model *m, const PendingCall *p) {
  /* with aioredis 1.x in the project, an object with hset() and friends may
   * be one of its clients, whose API differs (set(k, v, expire=...)) */
  if (model_uses_aioredis1(m) || (m->index && index_aioredis1(m->index))) {
    if (m->index) m->used_index = true;
    return NULL;
  }
  size_t i = (size_t)(p - (const PendingCall *)m->pending.data);
  if (!m->evidence) {
    m->evidence = arena_alloc(m->arena, (m->pending.len + 1) * sizeof(char *));
    memset(m->evidence, 0, (m->pending.len + 1) * sizeof(char *));
  }
  if (!m->evidence[i]) {
    const char *e = evidence_of(m, p);
    m->evidence[i] = e ? e : "";
  }
  return m->evidence[i][0] ? m->evidence[i] : NULL;
}

static const char *evidence_of(Model *m, const PendingCall *p) {
  TSNode fn = ts_node_child_by_field_id(p->node, SYM.f_function);
  TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
  uint32_t len = nend(attr) - nstart(attr);
  if (!commands_distinctive(m->src->text + nstart(attr), len)) return NULL;
  const char *meth = node_text(m->arena, m->src, attr);
  if (!call_shape_ok(m, meth, ts_node_child_by_field_id(p->node, SYM.f_arguments))) return NULL;
  if (defined_here(m, meth)) return NULL;
  if (m->index && index_defines(m->index, meth, in_test_code(m->src, NULL))) {
    m->used_index = true;
    return NULL;
  }
  return meth;
}

/* `self`/`cls` of the enclosing method, or a plain `import x` module. */
static bool never_a_client(const Model *m, TSNode id, int scope) {
  const char *t = m->src->text + nstart(id);
  size_t len = nend(id) - nstart(id);
  if ((len == 4 && !memcmp(t, "self", 4)) || (len == 3 && !memcmp(t, "cls", 3))) return true;
  for (int s = scope; s >= 0; s = scope_at(m, s)->parent) {
    const Import *im = model_import_find(m, s, t, len);
    if (im) return im->module;
    if (model_binding_find(m, s, t, len) >= 0) return false;
  }
  return false;
}

/* The binding a receiver names: an identifier in scope, or `self.attr` (the
 * class's instance binding, added when the class never assigns it: a base
 * class in another file does). -1 when it names none. */
static int receiver_binding(Model *m, TSNode recv, int scope) {
  if (nsym(recv) == SYM.identifier)
    return model_name_binding(m, scope, m->src->text + nstart(recv), nend(recv) - nstart(recv));
  if (nsym(recv) != SYM.attribute) return -1;
  TSNode obj = ts_node_child_by_field_id(recv, SYM.f_object);
  TSNode attr = ts_node_child_by_field_id(recv, SYM.f_attribute);
  const Function *meth = model_enclosing_method(m, scope);
  if (!meth || !node_is(obj, SYM.identifier) || !node_text_eq(m->src, obj, meth->self_name))
    return -1;
  const Class *c = vec_at(&m->classes, (size_t)meth->cls);
  return model_binding_get(m, c->inst_scope, m->src->text + nstart(attr), nend(attr) - nstart(attr));
}

/* What the use says the receiver is: a pipeline when it is made by
 * `.pipeline(...)` or named for one, a client otherwise. */
static Value inferred_value(const Model *m, TSNode recv, const PendingCall *p) {
  Value v = mkval(OBJ_CLIENT);
  v.inferred = true;
  v.decode = TRI_UNKNOWN;
  v.is_async = p->awaited;
  TSNode name = recv;
  if (nsym(recv) == SYM.attribute) name = ts_node_child_by_field_id(recv, SYM.f_attribute);
  if (nsym(recv) == SYM.call) {
    TSNode fn = ts_node_child_by_field_id(recv, SYM.f_function);
    if (node_is(fn, SYM.attribute) &&
        node_text_eq(m->src, ts_node_child_by_field_id(fn, SYM.f_attribute), "pipeline"))
      v.kind = model_pipeline_kind(m, ts_node_child_by_field_id(recv, SYM.f_arguments), false);
    return v;
  }
  if (model_names_pipeline(m->src->text + nstart(name), nend(name) - nstart(name)))
    v.kind = OBJ_PIPELINE;
  return v;
}

/* Nothing proven: unknown, None only, or an instance of a class of the
 * project (one that defined the method was ruled out by evidence()). */
static bool unknown(Value v) {
  return v.kind == OBJ_UNKNOWN || v.kind == OBJ_NONE || v.kind == OBJ_INSTANCE;
}

bool model_infer_bindings(Model *m) {
  bool any = false;
  for (size_t i = 0; i < m->pending.len; i++) {
    const PendingCall *p = vec_at(&m->pending, i);
    if (!evidence(m, p)) continue;
    TSNode fn = ts_node_child_by_field_id(p->node, SYM.f_function);
    TSNode recv = ts_node_child_by_field_id(fn, SYM.f_object);
    if (nsym(recv) == SYM.identifier && never_a_client(m, recv, p->scope)) continue;
    if (!unknown(model_eval_in(m, recv, p->scope, 0))) continue;
    int b = receiver_binding(m, recv, p->scope);
    if (b < 0) continue;
    Binding *bd = binding_at(m, b);
    Value v = inferred_value(m, recv, p);
    if (!bd->has_inferred) {
      bd->inferred = v;
      bd->has_inferred = true;
      any = true;
    } else {
      bd->inferred.is_async |= v.is_async;
    }
  }
  if (any) model_resolve_bindings(m);
  return any;
}

/* The leftmost name of an attribute/call chain. */
static TSNode chain_root(TSNode n) {
  for (int i = 0; i < 4096; i++) {
    uint16_t s = nsym(n);
    if (s == SYM.attribute) n = ts_node_child_by_field_id(n, SYM.f_object);
    else if (s == SYM.call) n = ts_node_child_by_field_id(n, SYM.f_function);
    else if (s == SYM.subscript) n = ts_node_child_by_field_id(n, SYM.f_value);
    else if (s == SYM.await || s == SYM.parenthesized_expression) n = ts_node_named_child(n, 0);
    else break;
  }
  return n;
}

Value model_infer_site(Model *m, const PendingCall *p) {
  if (!evidence(m, p)) return mkval(OBJ_UNKNOWN);
  TSNode fn = ts_node_child_by_field_id(p->node, SYM.f_function);
  TSNode recv = ts_node_child_by_field_id(fn, SYM.f_object);
  TSNode root = chain_root(recv);
  if (nsym(recv) == SYM.identifier && never_a_client(m, recv, p->scope)) return mkval(OBJ_UNKNOWN);
  if (nsym(root) == SYM.identifier && !ts_node_eq(root, recv)) {
    /* os.path..., np.x...: an external module's attribute is not a client */
    const char *t = m->src->text + nstart(root);
    size_t len = nend(root) - nstart(root);
    for (int s = p->scope; s >= 0; s = scope_at(m, s)->parent) {
      const Import *im = model_import_find(m, s, t, len);
      if (im && im->module && !(m->index && index_matches_module(m->index, im->qualified)))
        return mkval(OBJ_UNKNOWN);
      if (im || model_binding_find(m, s, t, len) >= 0) break;
    }
  }
  if (nsym(recv) == SYM.string || nsym(recv) == SYM.list || nsym(recv) == SYM.dictionary)
    return mkval(OBJ_UNKNOWN);
  return inferred_value(m, recv, p);
}

/* ---------------------------------------------------------------- why */

/* A node's text on one line for a message: whitespace runs removed, but
 * one space kept between two words (`await get_client()`, `not x`). */
static const char *readable(Model *m, TSNode n) {
  if (ts_node_is_null(n)) return "";
  const char *t = m->src->text + nstart(n);
  size_t len = nend(n) - nstart(n);
  char *o = arena_alloc(m->arena, len + 1), *w = o;
  bool gap = false;
  for (size_t i = 0; i < len; i++) {
    char c = t[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\') {
      gap = true;
      continue;
    }
    bool word = isalnum((unsigned char)c) || c == '_';
    if (gap && word && w > o && (isalnum((unsigned char)w[-1]) || w[-1] == '_')) *w++ = ' ';
    gap = false;
    *w++ = c;
  }
  *w = '\0';
  return o;
}

static const char *param_why(Model *m, const Assign *a, const char *name) {
  int f = model_scope_function(m, a->scope);
  const Function *fn = func_at(m, f);
  return arena_printf(m->arena, "parameter `%s` of `%s()`: no annotation, default or project "
                      "caller says it is a client", name, fn ? fn->name : "?");
}

const char *model_unresolved_why(Model *m, TSNode recv, int scope) {
  uint16_t s = nsym(recv);
  Value v = model_eval_in(m, recv, scope, 0);
  if (value_is_clientish(v) && v.inferred && s != SYM.call && s != SYM.identifier)
    return arena_printf(m->arena, "`%s` is inferred, not proven, to be a client",
                        readable(m, recv));
  if (s == SYM.call) {
    TSNode fn = ts_node_child_by_field_id(recv, SYM.f_function);
    return arena_printf(m->arena, "the return value of `%s(...)` is not known to be a client",
                        readable(m, fn));
  }
  if (s == SYM.identifier) {
    const char *t = node_text(m->arena, m->src, recv);
    for (int sc = scope; sc >= 0; sc = scope_at(m, sc)->parent) {
      const Import *im = model_import_find(m, sc, t, strlen(t));
      if (im && value_is_clientish(v) && v.inferred)
        return arena_printf(m->arena, "imported from `%s`, which the project infers but does "
                            "not prove to be a client", im->qualified);
      if (im) return arena_printf(m->arena, "imported from `%s`, which the project does not "
                                  "show to be a client", im->qualified);
      int b = model_binding_find(m, sc, t, strlen(t));
      if (b < 0) continue;
      const Assign *a = model_first_assign(m, b);
      if (!a) break;
      if (a->kind == A_FIXTURE)
        return arena_printf(m->arena, "`%s` is a test parameter, and no fixture of that name "
                            "in this module or a conftest.py above it gives a client", t);
      if (a->param) return param_why(m, a, t);
      if (a->kind == A_FUNC)
        return arena_printf(m->arena, "`%s` returns a client on some paths and something not "
                            "known on others", t);
      if (a->kind == A_OPAQUE || a->kind == A_ITER || a->kind == A_ITER_VALUE || a->kind == A_ITEM) return arena_printf(m->arena, "`%s` is bound by a for loop, "
                                                   "unpacking or `except`", t);
      if (a->kind == A_VALUE)
        return arena_printf(m->arena, "`%s` is assigned from `%s`", t,
                            readable(m, a->value));
      if (a->kind == A_WITH)
        return arena_printf(m->arena, "`%s` is bound by `with %s as %s`", t,
                            readable(m, a->value), t);
      break;
    }
    return arena_printf(m->arena, "`%s` is not bound in this file", t);
  }
  if (s == SYM.attribute) {
    TSNode obj = ts_node_child_by_field_id(recv, SYM.f_object);
    if (node_is(obj, SYM.identifier) && (node_text_eq(m->src, obj, "self") ||
                                         node_text_eq(m->src, obj, "cls")))
      return "an attribute no class in the project's hierarchy is seen to set to a client";
    return arena_printf(m->arena, "an attribute of `%s`, which is not known",
                        readable(m, obj));
  }
  return "an expression the model does not follow";
}
