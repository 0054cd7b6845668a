/* model_callers.c - what the project's callers pass: parameters from call sites.
 *
 * `def schedule(conn, job)` says nothing about `conn`; its callers may. Every
 * call of a function or class of this file (`schedule(r, j)`, `Dao(r)`,
 * `self.flush(r)`) and, through the project index, of other files
 * (`from app.jobs import schedule`) gives each parameter the value passed.
 * A parameter whose callers all pass a client (and that the function never
 * rebinds) is that client; one unknown argument anywhere leaves it unknown.
 *
 * Outgoing facts are exports named "#call.<module>.<func>#<slot>" (slot: the
 * positional index, or "k:<name>" for a keyword), merged per file here and
 * across files by the index (index_call_fact). */
#include <stdio.h>
#include <string.h>

#include "model_internal.h"
#include "rules/rule_util.h" /* in_test_code: the one notion of test code */

enum { DKEYS_MAX = 8 };

typedef struct FCall {
  TSNode node;  /* call */
  int scope;
  int callee;   /* local function index, -1 when none */
  int offset;   /* 1 when the callee's first parameter is self (methods, __init__) */
  const char *remote; /* canonical qualified name of a project callee in another file */
} FCall;

/* Parameter names of function fi in order, up to `*` or *args (positional
 * mapping stops there); `kwonly` gets the rest. */
typedef struct Params {
  const char *names[32];
  int n;      /* mappable by position */
  int total;  /* including keyword-only */
  const char *star, *dstar; /* the names of *args and **kwargs, or NULL */
  bool cut;   /* more than 32 names: the rest are not listed */
  /* the keys the body reads from its `**kwargs` (`kwargs["redis"]`,
     `kwargs.get("redis")`), and what callers pass by those keywords */
  const char **dkeys; /* DKEYS_MAX slots, only for a function with **kwargs keys */
  Binding *dkb;
  int ndkeys;
} Params;

static void params_scan(const Model *m, int fi, Params *out);

/* `kwargs["k"]`, `kwargs.get("k", ...)`, `kwargs.pop("k", ...)` of the
 * function's own `**kwargs`: the literal key, else NULL. */
static const char *dkey_read(const Model *m, TSNode n, const char *dstar) {
  TSNode x = {0}, k = {0};
  if (nsym(n) == SYM.subscript) {
    x = ts_node_named_child(n, 0); /* value[subscript] */
    k = ts_node_named_child(n, 1);
  } else if (nsym(n) == SYM.call) {
    TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
    TSNode attr = nsym(fn) == SYM.attribute ? ts_node_child_by_field_id(fn, SYM.f_attribute) : (TSNode){0};
    if (ts_node_is_null(attr) ||
        !(node_text_eq(m->src, attr, "get") || node_text_eq(m->src, attr, "pop")))
      return NULL;
    x = ts_node_child_by_field_id(fn, SYM.f_object);
    k = ts_node_named_child(ts_node_child_by_field_id(n, SYM.f_arguments), 0);
  }
  if (!node_is(x, SYM.identifier) || !node_text_eq(m->src, x, dstar)) return NULL;
  size_t len;
  const char *t = model_name_literal(m, k, &len);
  return t && len ? arena_strndup(m->arena, t, len) : NULL;
}

typedef struct DScan {
  const Model *m;
  Params *out;
} DScan;

static bool dkeys_visit(TSNode n, void *data) {
  DScan *d = data;
  if (nsym(n) == SYM.function_definition || nsym(n) == SYM.class_definition) return false;
  const char *k = dkey_read(d->m, n, d->out->dstar);
  if (!k) return true;
  for (int i = 0; i < d->out->ndkeys; i++)
    if (!strcmp(d->out->dkeys[i], k)) return true;
  if (!d->out->dkeys) {
    d->out->dkeys = arena_alloc(d->m->arena, DKEYS_MAX * sizeof(const char *));
    d->out->dkb = arena_alloc(d->m->arena, DKEYS_MAX * sizeof(Binding)); /* zeroed */
  }
  if (d->out->ndkeys < DKEYS_MAX) d->out->dkeys[d->out->ndkeys++] = k;
  return true;
}

static void dkeys_scan(const Model *m, const Function *f, Params *out) {
  DScan d = {m, out};
  TSNode body = ts_node_child_by_field_id(f->node, SYM.f_body);
  for (uint32_t i = 0; i < ts_node_named_child_count(body); i++)
    node_walk(ts_node_named_child(body, i), dkeys_visit, &d);
}

/* Parameters of function fi, computed once per model (m->params). */
static const Params *params_of_cached(Model *m, int fi) {
  if (!m->params || (size_t)fi >= m->nparams) { /* functions added since: more slots */
    Params **slots = arena_alloc(m->arena, (m->funcs.len + 1) * sizeof(Params *));
    memset(slots, 0, (m->funcs.len + 1) * sizeof(Params *));
    if (m->params) memcpy(slots, m->params, m->nparams * sizeof(Params *));
    m->params = slots;
    m->nparams = m->funcs.len + 1;
  }
  Params **slot = (Params **)m->params + fi;
  if (!*slot) {
    *slot = arena_alloc(m->arena, sizeof(Params));
    params_scan(m, fi, *slot);
  }
  return *slot;
}

static void params_scan(const Model *m, int fi, Params *out) {
  const Function *f = vec_at(&m->funcs, (size_t)fi);
  TSNode ps = ts_node_child_by_field_id(f->node, SYM.f_parameters);
  out->n = out->total = 0;
  out->star = out->dstar = NULL;
  out->cut = false;
  out->ndkeys = 0;
  out->dkeys = NULL;
  out->dkb = NULL;
  bool positional = true;
  for (uint32_t i = 0; i < ts_node_named_child_count(ps); i++) {
    TSNode p = ts_node_named_child(ps, i);
    uint16_t s = nsym(p);
    if (s == SYM.typed_parameter && (nsym(ts_node_named_child(p, 0)) == SYM.list_splat_pattern ||
                                     nsym(ts_node_named_child(p, 0)) == SYM.dictionary_splat_pattern)) {
      p = ts_node_named_child(p, 0); /* `*values: str` */
      s = nsym(p);
    }
    TSNode name = p;
    if (s == SYM.typed_parameter) name = ts_node_named_child(p, 0);
    else if (s == SYM.default_parameter || s == SYM.typed_default_parameter)
      name = ts_node_child_by_field_id(p, SYM.f_name);
    else if (s == SYM.list_splat_pattern || s == SYM.keyword_separator || s == SYM.dictionary_splat_pattern) {
      TSNode id = ts_node_named_child(p, 0);
      if (node_is(id, SYM.identifier) && s == SYM.list_splat_pattern) out->star = node_text(m->arena, m->src, id);
      if (node_is(id, SYM.identifier) && s == SYM.dictionary_splat_pattern) out->dstar = node_text(m->arena, m->src, id);
      positional = false;
      continue;
    }
    if (out->total == 32) {
      out->cut = true;
      continue;
    }
    if (nsym(name) != SYM.identifier) {
      positional = false;
      continue;
    }
    out->names[out->total++] = node_text(m->arena, m->src, name);
    if (positional) out->n = out->total;
  }  if (out->dstar) dkeys_scan(m, f, out);
}

/* The method `name` of class cls (its first definition), or -1: through the
 * class body's binding, O(1). */
static int method_named(const Model *m, int cls, const char *name) {
  const Class *c = vec_at(&m->classes, (size_t)cls);
  int b = model_binding_find(m, c->scope, name, strlen(name));
  for (const Assign *a = b >= 0 ? model_first_assign(m, b) : NULL; a; a = model_next_assign(m, a)) {
    if (a->kind != A_FUNC) continue;
    if (((const Function *)vec_at(&m->funcs, (size_t)a->index))->cls == cls) return a->index;
  }
  return -1;
}

/* The method `name` an instance of class cls runs: its own, or the first
 * one along its bases in this file (bounded depth). */
static int inherited_method(const Model *m, int cls, const char *name, int depth) {
  int fi = method_named(m, cls, name);
  if (fi >= 0 || depth > 8) return fi;
  const Class *c = vec_at(&m->classes, (size_t)cls);
  TSNode supers = ts_node_child_by_field_id(c->node, SYM.f_superclasses);
  uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
  for (uint32_t i = 0; i < n; i++) {
    TSNode sup = ts_node_named_child(supers, i);
    if (nsym(sup) != SYM.identifier) continue;
    size_t first, same = model_classes_named(m, sup, &first);
    for (size_t k = 0; k < same; k++) {
      int ci = m->class_order[first + k];
      if (ci == cls) continue;
      int b = inherited_method(m, ci, name, depth + 1);
      if (b >= 0) return b;
    }
  }
  return -1;
}

/* The __init__ a call of class cls runs. */
static int init_of(const Model *m, int cls, int depth) { return inherited_method(m, cls, "__init__", depth); }

/* The one function or class a name in scope is bound to (never rebound).
 * A module function defined again further down (a tutorial's listing shows
 * each version of it) is the definition live where the call runs: inside a
 * function, which runs after the module is loaded, the last one; at module
 * level, the last one before the call. */
static const Assign *sole_def(const Model *m, TSNode id, int scope) {
  int b = model_name_binding(m, scope, m->src->text + nstart(id), nend(id) - nstart(id));
  const Assign *a = b >= 0 ? model_first_assign(m, b) : NULL;
  if (!a || (a->kind != A_FUNC && a->kind != A_CLASS)) return NULL;
  if (!model_next_assign(m, a)) return a;
  bool later = scope_at(m, scope)->kind != SCOPE_MODULE;
  const Assign *live = NULL;
  for (const Assign *x = a; x; x = model_next_assign(m, x)) {
    if (x->kind != A_FUNC || scope_at(m, x->scope)->kind != SCOPE_MODULE) return NULL;
    if (((const Function *)vec_at(&m->funcs, (size_t)x->index))->cls >= 0) return NULL;
    if (later || x->at <= nstart(id)) live = x;
  }
  return live;
}

/* A method class cls inherits from a base in another file, none of its
 * bases in this file defining it (inherited_method): the canonical name of
 * the first base along them that is the project's (through the bases of a
 * base of this file: `class Deque(List)`, `class List(RedisCollection)`
 * from another module). NULL when none. */
static const char *remote_method(Model *m, int cls, const char *name, int depth) {
  if (depth > 8) return NULL;
  const Class *k = vec_at(&m->classes, (size_t)cls);
  TSNode supers = ts_node_child_by_field_id(k->node, SYM.f_superclasses);
  int outer = scope_at(m, k->scope)->parent;
  for (uint32_t i = 0; !ts_node_is_null(supers) && i < ts_node_named_child_count(supers); i++) {
    TSNode sup = ts_node_named_child(supers, i);
    if (nsym(sup) != SYM.identifier && nsym(sup) != SYM.attribute) continue;
    const Assign *d = nsym(sup) == SYM.identifier ? sole_def(m, sup, outer) : NULL;
    if (d) { /* a base of this file: its own bases */
      if (d->kind != A_CLASS || d->index == cls) return NULL;
      const char *r = remote_method(m, d->index, name, depth + 1);
      if (r) return r;
      continue;
    }
    const char *qn = model_qualname(m, sup, outer);
    if (!qn || !index_matches_module(m->index, qn)) continue;
    return index_canonical(m->index, m->arena, arena_printf(m->arena, "%s.%s", qn, name));
  }
  return NULL;
}

/* A class of this file that class cls keeps in its class body under `name`
 * (`stream_class = Stream`, its only assignment), or -1. */
static int held_class(const Model *m, int cls, const char *name) {
  const Class *c = vec_at(&m->classes, (size_t)cls);
  int b = model_binding_find(m, c->scope, name, strlen(name));
  const Assign *a = b >= 0 ? model_first_assign(m, b) : NULL;
  if (!a || a->kind != A_VALUE || a->param || model_next_assign(m, a) || nsym(a->value) != SYM.identifier)
    return -1;
  const Assign *d = sole_def(m, a->value, a->scope);
  return d && d->kind == A_CLASS ? d->index : -1;
}

/* Does function f carry a decorator whose text holds `word`? */
static bool decorated_with(const Model *m, const Function *f, const char *word) {
  TSNode parent = ts_node_parent(f->node);
  if (!node_is(parent, SYM.decorated_definition)) return false;
  for (uint32_t i = 0; i < ts_node_named_child_count(parent); i++) {
    TSNode d = ts_node_named_child(parent, i);
    if (node_is(d, SYM.decorator) && strstr(node_text(m->arena, m->src, d), word)) return true;
  }
  return false;
}

static int class_function(const Model *m, int ci, const char *name) {
  return model_class_function(m, ci, name, strlen(name));
}

int model_class_function(const Model *m, int ci, const char *name, size_t len) {
  const Class *c = vec_at(&m->classes, (size_t)ci);
  int b = model_binding_find(m, c->scope, name, len);
  for (const Assign *a = b >= 0 ? model_first_assign(m, b) : NULL; a; a = model_next_assign(m, a))
    if (a->kind == A_FUNC && model_function_owner(m, a->index) == ci) return a->index;
  return -1;
}

/* `super().__init__(client, "cli:")` (or `super(Cls, self).x(...)`) in a
 * method of class meth->cls: the base's method, a caller like any other
 * (its parameters after self get these arguments). The first base that
 * has it in this file, along its own bases; else the first base, of another
 * module: `__init__` there is the class's constructor (its "#call.<cls>"
 * slots), another method is "<cls>.<method>". */
static void super_callee(Model *m, FCall *c, const Function *meth, TSNode attr) {
  const Class *k = vec_at(&m->classes, (size_t)meth->cls);
  TSNode supers = ts_node_child_by_field_id(k->node, SYM.f_superclasses);
  uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
  const char *name = node_text(m->arena, m->src, attr);
  c->offset = 1;
  for (uint32_t i = 0; i < n; i++) {
    TSNode sup = ts_node_named_child(supers, i);
    if (nsym(sup) == SYM.keyword_argument) continue; /* metaclass=... */
    size_t first, same = nsym(sup) == SYM.identifier ? model_classes_named(m, sup, &first) : 0;
    for (size_t j = 0; j < same; j++) {
      int ci = m->class_order[first + j];
      if (ci == meth->cls) continue;
      c->callee = inherited_method(m, ci, name, 0);
      if (c->callee >= 0) return;
    }
    if (same || !m->index) continue;
    const char *qn = model_qualname(m, sup, k->scope);
    if (!qn || !index_matches_module(m->index, qn)) return; /* a library's base: not ours */
    c->remote = index_canonical(m->index, m->arena, strcmp(name, "__init__") ? arena_printf(m->arena, "%s.%s", qn, name) : qn);
    return;
  }
}

static void resolve_callee(Model *m, FCall *c) {
  TSNode fn = ts_node_child_by_field_id(c->node, SYM.f_function);
  c->callee = -1;
  c->remote = NULL;
  if (nsym(fn) == SYM.identifier) {
    /* `return cls(rds, key)` in a @classmethod: its class's constructor */
    int encl = model_scope_function(m, c->scope);
    const Function *ef = encl >= 0 ? vec_at(&m->funcs, (size_t)encl) : NULL;
    if (ef && ef->cls >= 0 && ef->self_name && node_text_eq(m->src, fn, ef->self_name) &&
        decorated_with(m, ef, "classmethod")) {
      c->callee = init_of(m, ef->cls, 0);
      c->offset = 1;
      return;
    }
    const Assign *a = sole_def(m, fn, c->scope);
    if (!a) { /* `enq = _enqueue_call` (its only value) then `enq(conn, ...)` */
      int b = model_name_binding(m, c->scope, m->src->text + nstart(fn), nend(fn) - nstart(fn));
      const Assign *al = b >= 0 ? model_first_assign(m, b) : NULL;
      if (al && al->kind == A_VALUE && !al->param && !model_next_assign(m, al) &&
          nsym(al->value) == SYM.identifier) {
        const Assign *to = sole_def(m, al->value, al->scope);
        if (to && to->kind == A_FUNC) a = to;
      }
    }
    if (a && a->kind == A_FUNC) {
      const Function *f = vec_at(&m->funcs, (size_t)a->index);
      c->callee = a->index;
      c->offset = f->cls >= 0 ? 1 : 0;
      if (f->cls >= 0) c->callee = -1; /* a method called by bare name: not ours to map */
      return;
    }
    if (a && a->kind == A_CLASS) {
      c->callee = init_of(m, a->index, 0);
      c->offset = 1;
      return;
    }
  } else if (nsym(fn) == SYM.attribute) {
    TSNode obj = ts_node_child_by_field_id(fn, SYM.f_object);
    const Function *meth = model_enclosing_method(m, c->scope);
    if (meth && node_is(obj, SYM.call) &&
        node_text_eq(m->src, ts_node_child_by_field_id(obj, SYM.f_function), "super")) {
      super_callee(m, c, meth, ts_node_child_by_field_id(fn, SYM.f_attribute));
      return;
    }
    if (meth && node_is(obj, SYM.identifier) && node_text_eq(m->src, obj, meth->self_name)) {
      TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
      const char *name = node_text(m->arena, m->src, attr);
      c->callee = inherited_method(m, meth->cls, name, 0); /* its own, or a base's in this file */
      c->offset = 1;
      if (c->callee >= 0) return;
      int held = held_class(m, meth->cls, name);
      if (held >= 0) { /* `self.stream_class(db, key)`: `stream_class = Stream` in the class body */
        c->callee = init_of(m, held, 0);
        return;
      }
      if (!m->index) return;
      c->remote = remote_method(m, meth->cls, name, 0);
      return;
    }
  }
  if (node_is(fn, SYM.attribute) && node_is(ts_node_child_by_field_id(fn, SYM.f_object), SYM.identifier)) {
    /* `Keys.touch(r, k)` on a class of this file: a @classmethod (past cls),
       a @staticmethod, or a plain function given its self explicitly */
    TSNode obj = ts_node_child_by_field_id(fn, SYM.f_object);
    const Assign *d = sole_def(m, obj, c->scope);
    if (d && d->kind == A_CLASS) {
      int fi = class_function(m, d->index, node_text(m->arena, m->src, ts_node_child_by_field_id(fn, SYM.f_attribute)));
      if (fi >= 0) {
        const Function *f = vec_at(&m->funcs, (size_t)fi);
        c->callee = fi;
        c->offset = f->cls >= 0 && decorated_with(m, f, "classmethod") ? 1 : 0;
        return;
      }
    }
  }
  /* `Counter("k").incr(pipe)`, or `c.incr(pipe)` where c's one value is
     `Counter("k")`: a method of a class, on an instance of that very class */
  TSNode inst = {0};
  int isc = c->scope;
  if (node_is(fn, SYM.attribute)) {
    TSNode obj = ts_node_child_by_field_id(fn, SYM.f_object);
    inst = node_is(obj, SYM.call) ? obj : node_is(obj, SYM.identifier) ? sole_value_but_none(m, obj, c->scope, &isc)
                                                                       : (TSNode){0};
    if (!node_is(inst, SYM.call)) inst = (TSNode){0};
  }
  TSNode cls_name = ts_node_is_null(inst) ? (TSNode){0} : ts_node_child_by_field_id(inst, SYM.f_function);
  if (node_is(cls_name, SYM.identifier)) {
    const Assign *a = sole_def(m, cls_name, isc);
    if (a && a->kind == A_CLASS) {
      c->callee = method_named(m, a->index, node_text(m->arena, m->src, ts_node_child_by_field_id(fn, SYM.f_attribute)));
      c->offset = 1;
      if (c->callee >= 0 && ((const Function *)vec_at(&m->funcs, (size_t)c->callee))->cls != a->index) c->callee = -1;
      return;
    }
  }
  if (!m->index) return;
  const char *qn = model_qualname(m, fn, c->scope);
  if (!qn && !ts_node_is_null(cls_name) && (node_is(cls_name, SYM.identifier) || node_is(cls_name, SYM.attribute))) {
    const char *cls = model_qualname(m, cls_name, isc);
    if (cls)
      qn = arena_printf(m->arena, "%s.%s", cls,
                        node_text(m->arena, m->src, ts_node_child_by_field_id(fn, SYM.f_attribute)));
  }
  if (qn && index_matches_module(m->index, qn)) {
    c->remote = index_canonical(m->index, m->arena, qn);
  }
}

static void gather_remote(Model *m);
static void gather_handed(Model *m);

/* The function a reference names, if this file defines it: a function
 * (module-level or nested), or a method of the enclosing class through self;
 * where its parameters start (offset: 1 past self). -1 when none. */
static int function_ref(Model *m, TSNode a, int scope, int *offset) {
  if (node_is(a, SYM.identifier)) {
    const Assign *d = sole_def(m, a, scope);
    if (!d || d->kind != A_FUNC || ((const Function *)vec_at(&m->funcs, (size_t)d->index))->cls >= 0)
      return -1;
    *offset = 0;
    return d->index;
  }
  const Function *meth = model_enclosing_method(m, scope);
  TSNode obj = node_is(a, SYM.attribute) ? ts_node_child_by_field_id(a, SYM.f_object) : (TSNode){0};
  if (!meth || !node_is(obj, SYM.identifier) || !node_text_eq(m->src, obj, meth->self_name)) return -1;
  *offset = 1;
  return inherited_method(m, meth->cls, node_text(m->arena, m->src, ts_node_child_by_field_id(a, SYM.f_attribute)), 0);
}

/* `r.transaction(fn, *watches)` (fcall c): redis-py calls fn(pipe) with a
 * transaction pipeline of r, watching the keys, until EXEC succeeds. The
 * function fn names, if this file defines it (a function, or a method of the
 * enclosing class through self), and where its pipeline parameter is
 * (offset); -1 when none. */
static int transaction_callback(Model *m, const FCall *c, int *offset) {
  TSNode fn = ts_node_child_by_field_id(c->node, SYM.f_function);
  if (c->callee >= 0 || !node_is(fn, SYM.attribute) ||
      !node_text_eq(m->src, ts_node_child_by_field_id(fn, SYM.f_attribute), "transaction"))
    return -1;
  TSNode args = ts_node_child_by_field_id(c->node, SYM.f_arguments), a0 = {0};
  for (uint32_t i = 0; i < ts_node_named_child_count(args) && ts_node_is_null(a0); i++)
    if (nsym(ts_node_named_child(args, i)) != SYM.comment) a0 = ts_node_named_child(args, i);
  return ts_node_is_null(a0) ? -1 : function_ref(m, a0, c->scope, offset);
}

/* ---- functions handed on ------------------------------------------------
 * `def _transaction(self, fn): ... def trans(pipe): fn(pipe) ...`: a helper
 * that calls one of its parameters. What it passes (a pipeline) goes to the
 * first parameter of each function its callers hand it (`self._transaction(
 * pop_trans)`), in this file or, through "#call.<callee>#h<slot>.<arg>"
 * facts, in another. */

typedef struct HCall {
  int fi;    /* the helper (a function of this file) */
  int param; /* which of its parameters is called (its position, self included) */
  size_t at; /* the call, in m->fcalls */
} HCall;

/* If call c calls a parameter of an enclosing function (maybe from a nested
 * def), that function; its position in *param. -1 when not. */
static int called_param(Model *m, const FCall *c, int *param) {
  TSNode fn = ts_node_child_by_field_id(c->node, SYM.f_function);
  if (!node_is(fn, SYM.identifier)) return -1;
  int b = model_name_binding(m, c->scope, m->src->text + nstart(fn), nend(fn) - nstart(fn));
  if (b < 0) return -1;
  const Binding *bd = binding_at(m, b);
  const Scope *s = scope_at(m, bd->scope);
  if (s->kind != SCOPE_FUNCTION || s->func < 0) return -1;
  for (const Assign *a = model_first_assign(m, b); a; a = model_next_assign(m, a))
    if (!a->param) return -1; /* rebound: not only what the callers pass */
  const Params *ps = params_of_cached(m, s->func);
  for (int k = 0; k < ps->n; k++)
    if (!strcmp(ps->names[k], bd->name)) {
      *param = k;
      return s->func;
    }
  return -1;
}

static int hcall_cmp(const void *a, const void *b) {
  const HCall *x = a, *y = b;
  return x->fi != y->fi ? (x->fi < y->fi ? -1 : 1) : (x->at < y->at ? -1 : x->at > y->at);
}

/* The calls of parameters in this file, by helper (m->hcalls), once. */
static void gather_hcalls(Model *m) {
  m->hcalls.len = 0;
  for (size_t i = 0; i < m->fcalls.len; i++) {
    int k, fi = called_param(m, vec_at(&m->fcalls, i), &k);
    if (fi < 0) continue;
    HCall *h = vec_push(&m->hcalls);
    *h = (HCall){fi, k, i};
  }
  if (m->hcalls.len > 1) qsort(m->hcalls.data, m->hcalls.len, sizeof(HCall), hcall_cmp);
  if (m->hcalls.len) m->any_callers = true;
}

/* The positional argument `pos` of call node `call`, or a null node. */
static TSNode positional(TSNode call, int pos) {
  TSNode args = ts_node_child_by_field_id(call, SYM.f_arguments);
  int at = 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    TSNode a = ts_node_named_child(args, i);
    uint16_t s = nsym(a);
    if (s == SYM.comment) continue;
    if (s == SYM.keyword_argument || s == SYM.list_splat || s == SYM.dictionary_splat) break;
    if (at++ == pos) return a;
  }
  return (TSNode){0};
}

void model_callers_prepare(Model *m) {
  for (size_t i = 0; i < m->fcalls.len; i++) {
    FCall *c = vec_at(&m->fcalls, i);
    resolve_callee(m, c);
    if (c->callee >= 0 && params_of_cached(m, c->callee)->total > c->offset) m->any_callers = true;
    int off;
    if (transaction_callback(m, c, &off) >= 0) m->any_callers = true;
  }
  gather_hcalls(m);
  gather_remote(m);
  gather_handed(m);
}

void model_callers_refresh(Model *m) {
  m->fn_called = NULL; /* callees may resolve differently now */
  /* the index changed since the walk: a callee in another module may have a
     new canonical name now (a package __init__ re-exporting it) */
  for (size_t i = 0; i < m->fcalls.len; i++) {
    FCall *c = vec_at(&m->fcalls, i);
    if (c->callee < 0) resolve_callee(m, c);
    int off;
    if (!m->any_callers) /* as model_callers_prepare found it (model_refresh resets it) */
      m->any_callers = (c->callee >= 0 && params_of_cached(m, c->callee)->total > c->offset) ||
                       transaction_callback(m, c, &off) >= 0;
  }
  if (m->hcalls.len) m->any_callers = true;
  gather_remote(m);
  gather_handed(m);
}

void model_note_fcall(Model *m, TSNode node, int scope) {
  FCall *c = vec_push(&m->fcalls);
  c->node = node;
  c->scope = scope;
  c->callee = -1;
}

size_t model_fcall_size(void) { return sizeof(FCall); }
size_t model_hcall_size(void) { return sizeof(HCall); }

/* The binding of parameter `name` of function fi. */
static Binding *param_binding(const Model *m, int fi, const char *name) {
  const Function *f = vec_at(&m->funcs, (size_t)fi);
  int b = model_binding_find(m, f->scope, name, strlen(name));
  return b < 0 ? NULL : binding_at(m, b);
}

static void give(Binding *b, Value v) {
  if (!b) return;
  if (v.kind == OBJ_CONFLICT) v.kind = OBJ_UNKNOWN;
  if (!b->has_callers) {
    b->callers = v;
    b->has_callers = true;
    return;
  }
  Value a = b->callers;
  bool ap = value_is_pipeline(a) || a.kind == OBJ_CLIENT_OR_PIPELINE,
       vp = value_is_pipeline(v) || v.kind == OBJ_CLIENT_OR_PIPELINE;
  if (a.kind == OBJ_NONE) b->callers = v;
  else if (v.kind == OBJ_NONE) return;
  else if (a.kind != v.kind && a.is_async == v.is_async && (a.kind == OBJ_CLIENT || ap) &&
           (v.kind == OBJ_CLIENT || vp) && (a.kind == OBJ_CLIENT) != (v.kind == OBJ_CLIENT)) {
    /* one caller hands the client, another a pipeline of it: the commands
       are the client's, their replies may be queued */
    b->callers.kind = OBJ_CLIENT_OR_PIPELINE;
    b->callers.inferred |= v.inferred;
    if (a.decode != v.decode) b->callers.decode = TRI_UNKNOWN;
    b->callers.ctor_start = b->callers.ctor_end = 0;
  } else if (a.kind != v.kind || a.is_async != v.is_async ||
             (a.kind == OBJ_INSTANCE && (a.cls != v.cls || a.rcls != v.rcls)))
    b->callers.kind = OBJ_UNKNOWN;
  else {
    b->callers.inferred |= v.inferred;
    if (b->callers.rcls != v.rcls) b->callers.rcls = NULL;
    b->callers.cluster &= v.cluster;
    b->callers.standalone &= v.standalone;
    if (a.decode != v.decode) b->callers.decode = TRI_UNKNOWN;
    b->callers.ctor_start = b->callers.ctor_end = 0;
  }
}

/* Each argument of call c, as (positional index or keyword name, value). */
typedef void (*ArgFn)(Model *m, void *data, int pos, const char *kw, Value v);

/* What an argument says of the parameter it fills. In test code a test
 * double (MagicMock()) stands in for whatever the code under test gets
 * from its real callers: no evidence either way (neutral, like None), so
 * a unit test does not undo what production callers prove. */
/* Is `a` a parameter, never rebound, of a @classmethod nothing in the
 * project calls (an alternative constructor of a library's public API:
 * `def from_dict(cls, database, key)` then `cls(database, key)`)? What the
 * application passes there is no evidence either way. */
static bool uncalled_param(Model *m, TSNode a, int scope) {
  if (nsym(a) != SYM.identifier) return false;
  int fi = model_scope_function(m, scope);
  if (fi < 0) return false;
  const Function *f = vec_at(&m->funcs, (size_t)fi);
  if (f->cls < 0 || f->parent >= 0 || !f->self_name || node_text_eq(m->src, a, f->self_name) ||
      !decorated_with(m, f, "classmethod"))
    return false;
  const Params *pp = params_of_cached(m, fi);
  bool named = false;
  for (int k = 1; k < pp->total && !named; k++) named = node_text_eq(m->src, a, pp->names[k]);
  if (!named) return false;
  int b = model_binding_find(m, f->scope, m->src->text + nstart(a), nend(a) - nstart(a));
  TSNode ps = ts_node_child_by_field_id(f->node, SYM.f_parameters);
  for (const Assign *x = b >= 0 ? model_first_assign(m, b) : NULL; x; x = model_next_assign(m, x))
    if (!x->param && x->at > nend(ps)) return false; /* rebound in the body */
  if (b < 0 || binding_at(m, b)->has_remote) return false;
  if (!m->fn_called) {
    m->fn_called = arena_alloc(m->arena, m->funcs.len + 1);
    for (size_t i = 0; i < m->fcalls.len; i++) {
      const FCall *c = vec_at(&m->fcalls, i);
      if (c->callee >= 0) m->fn_called[c->callee] = true;
    }
  }
  if (m->fn_called[fi]) return false;
  for (int k = 0; k < pp->total; k++) { /* a caller in another file fills some parameter */
    Binding *pb = param_binding(m, fi, pp->names[k]);
    if (pb && pb->has_remote) return false;
  }
  return true;
}

static Value arg_value(Model *m, TSNode a, int scope) {
  if (m->test_code < 0) m->test_code = in_test_code(m->src, NULL);
  if (m->test_code && model_is_test_double(m, a, scope)) return mkval(OBJ_NONE);
  if (uncalled_param(m, a, scope)) return mkval(OBJ_NONE);
  const Function *meth = nsym(a) == SYM.identifier ? model_enclosing_method(m, scope) : NULL;
  if (meth && node_text_eq(m->src, a, meth->self_name) && meth->cls >= 0) {
    /* `Controller(self)`: the instance of the method's class (a client
       subclass's self is a client: evaluated as usual) */
    const Class *c = vec_at(&m->classes, (size_t)meth->cls);
    if (!c->is_client_class) {
      Value v = mkval(OBJ_INSTANCE);
      v.cls = (int16_t)meth->cls;
      return v;
    }
  }
  return model_eval_in(m, a, scope, 0);
}

static void each_arg(Model *m, const FCall *c, ArgFn fn, void *data) {
  TSNode args = ts_node_child_by_field_id(c->node, SYM.f_arguments);
  int pos = 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    TSNode a = ts_node_named_child(args, i);
    uint16_t s = nsym(a);
    if (s == SYM.comment) continue;
    if (s == SYM.list_splat || s == SYM.dictionary_splat) {
      fn(m, data, -1, NULL, (Value){0}); /* *args: every later slot unknown */
      return;
    }
    if (s == SYM.keyword_argument) {
      TSNode k = ts_node_child_by_field_id(a, SYM.f_name);
      Value v = arg_value(m, ts_node_child_by_field_id(a, SYM.f_value), c->scope);
      fn(m, data, -1, node_text(m->arena, m->src, k), v);
      continue;
    }
    fn(m, data, pos++, NULL, arg_value(m, a, c->scope));
  }
}

/* The name other files call function fi by, relative to this module: a
 * module-level function, or "Class.method" of a module-level class (offset
 * 1: past self); NULL for any other. */
static const char *callable_owner(Model *m, int fi, int *offset) {
  const Function *f = vec_at(&m->funcs, (size_t)fi);
  *offset = 0;
  if (f->parent >= 0) return NULL;
  if (f->cls < 0) {
    int owner = model_function_owner(m, fi); /* a @staticmethod: no self to skip */
    if (owner < 0) return scope_at(m, f->scope)->parent == 0 ? f->name : NULL;
    const Class *c = vec_at(&m->classes, (size_t)owner);
    return scope_at(m, c->scope)->parent == 0 ? arena_printf(m->arena, "%s.%s", c->name, f->name) : NULL;
  }
  const Class *c = vec_at(&m->classes, (size_t)f->cls);
  if (scope_at(m, c->scope)->parent != 0) return NULL;
  *offset = 1;
  return arena_printf(m->arena, "%s.%s", c->name, f->name);
}

/* Index facts for the module-level functions and classes of this file:
 * fixed while the model is built, so gathered once (model_callers_prepare)
 * into each parameter's `remote` value. */
static void gather_remote(Model *m) {
  if (!m->index) return;
  /* module-level functions, then module-level classes (through the __init__
   * they run, maybe a base's) */
  for (size_t k = 0; k < m->funcs.len + m->classes.len; k++) {
    const char *owner = NULL;
    int offset = 0;
    size_t fi = k;
    if (k < m->funcs.len) {
      /* a module function, or a method of a module-level class called on an
         instance elsewhere (__init__: through its class, below) */
      const Function *f = vec_at(&m->funcs, k);
      if (f->cls < 0 || strcmp(f->name, "__init__")) owner = callable_owner(m, (int)k, &offset);
    } else {
      const Class *c = vec_at(&m->classes, k - m->funcs.len);
      int init = scope_at(m, c->scope)->parent == 0 ? init_of(m, (int)(k - m->funcs.len), 0) : -1;
      if (init < 0) continue;
      fi = (size_t)init;
      owner = c->name;
      offset = 1;
    }
    if (!owner) continue;
    const Params *pp = params_of_cached(m, (int)fi);
    const char *base = m->module[0] ? arena_printf(m->arena, "%s.%s", m->module, owner) : owner;
    for (int i = offset; i < pp->total; i++) {
      Value v;
      int found = 0;
      if (i < pp->n) found |= index_call_fact(m->index, base, arena_printf(m->arena, "%d", i - offset), &v);
      Value kv;
      int kfound = index_call_fact(m->index, base, arena_printf(m->arena, "k:%s", pp->names[i]), &kv);
      m->used_index = true; /* facts may arrive in a later round */
      Binding *b = param_binding(m, (int)fi, pp->names[i]);
      if (!b) continue;
      Binding acc = {0};
      if (found) give(&acc, v);
      if (kfound) give(&acc, kv);
      if (!acc.has_callers) continue;
      b->remote = acc.callers;
      b->has_remote = true;
      m->any_callers = true;
    }
    for (int j = 0; j < pp->ndkeys; j++) { /* keywords its **kwargs takes */
      Value kv;
      if (!index_call_fact(m->index, base, arena_printf(m->arena, "k:%s", pp->dkeys[j]), &kv)) continue;
      Binding *d = &((Params *)pp)->dkb[j];
      d->remote = kv;
      d->has_remote = true;
      m->any_callers = true;
    }
  }
}

/* Functions handed to a helper of another file (`self._transaction(
 * pop_trans)`, the helper in a base class there): the "#call.<helper>#h<slot>.
 * <arg>" facts its module exports say what their parameters get. */
static void gather_handed(Model *m) {
  if (!m->index) return;
  for (size_t i = 0; i < m->fcalls.len; i++) {
    const FCall *c = vec_at(&m->fcalls, i);
    if (!c->remote) continue;
    for (int j = 0; j < 16; j++) {
      TSNode a = positional(c->node, j);
      if (ts_node_is_null(a)) break;
      int goff, g = function_ref(m, a, c->scope, &goff);
      if (g < 0) continue;
      const Params *gp = params_of_cached(m, g);
      for (int k = 0; goff + k < gp->n; k++) {
        Value v;
        m->used_index = true; /* facts may arrive in a later round */
        if (!index_call_fact(m->index, c->remote, arena_printf(m->arena, "h%d.%d", j, k), &v)) continue;
        Binding *b = param_binding(m, g, gp->names[goff + k]);
        if (!b) continue;
        Binding acc = {0};
        if (b->has_remote) give(&acc, b->remote);
        give(&acc, v);
        b->remote = acc.callers;
        b->has_remote = true;
        m->any_callers = true;
      }
    }
  }
}

/* What callers may hand over: clients and pipelines, pools, sentinels,
 * client classes (`_get_client(redis.Redis, request)` then `cls.from_url()`)
 * and instances of the project's classes (`Controller(self)` in a driver:
 * `self.driver.connection` in the controller is the driver's). */
static bool usable(Value v) {
  return value_is_clientish(v) || v.kind == OBJ_POOL || v.kind == OBJ_SENTINEL ||
         v.kind == OBJ_CLIENT_CLASS || (v.kind == OBJ_INSTANCE && (v.cls >= 0 || v.rcls));
}

/* `def poll(n, **read_kwargs): return read_batch(**read_kwargs)`: what the
 * callers of poll (this file's, and the index's "k:<name>" facts) pass as
 * keyword `name`, for read_batch's parameter `name`. NONE when no caller
 * passes it (the callee's default applies); unknown when the splat is not
 * the enclosing function's own `**` parameter, or a caller of it splats. */
enum { KWARGS_FORWARDS_MAX = 64 }; /* each scans the file's calls: bounded */

/* `f(**parameters)` with `parameters = {"red": red, "fmt": "json"}` (the
 * assignment that reaches the call), or `f(**{"red": red})`: the value of
 * key `name` (NONE when the display has no such key); false when x is not
 * such a display (a key that is not a plain string, a `**` inside). */
static bool splat_display(Model *m, TSNode x, int scope, uint32_t before, const char *name, Value *out) {
  TSNode d = x;
  int dscope = scope;
  if (node_is(x, SYM.identifier)) {
    const Assign *a = model_reaching_assign(m, model_scope_function(m, scope) >= 0 ? scope : 0,
                                            m->src->text + nstart(x), nend(x) - nstart(x), before);
    if (!a || a->kind != A_VALUE || a->param) return false;
    d = a->value;
    dscope = a->scope;
  }
  if (!node_is(d, SYM.dictionary)) return false;
  *out = mkval(OBJ_NONE);
  bool found = false;
  for (uint32_t i = 0; i < ts_node_named_child_count(d); i++) {
    TSNode pair = ts_node_named_child(d, i);
    if (nsym(pair) == SYM.comment) continue;
    if (strcmp(ts_node_type(pair), "pair")) return false; /* {**other, ...} */
    size_t n;
    const char *t = model_name_literal(m, ts_node_child_by_field_id(pair, SYM.f_key), &n);
    if (!t) return false; /* a key that is not a plain name: maybe anything */
    if (!found && n == strlen(name) && !memcmp(t, name, n)) {
      *out = arg_value(m, ts_node_child_by_field_id(pair, SYM.f_value), dscope);
      found = true;
    }
  }
  return true;
}

static Value kwargs_forwarded(Model *m, const FCall *c, TSNode dsplat, const char *name, int *forwards) {
  Value unknown = {0};
  TSNode x = ts_node_named_child(dsplat, 0);
  Value dv;
  if (splat_display(m, x, c->scope, nstart(c->node), name, &dv)) return dv;
  int fi = model_scope_function(m, c->scope);
  if (!node_is(x, SYM.identifier) || fi < 0 || ++*forwards > KWARGS_FORWARDS_MAX) return unknown;
  const Function *f = vec_at(&m->funcs, (size_t)fi);
  const char *dstar = params_of_cached(m, fi)->dstar;
  if (!dstar || !node_text_eq(m->src, x, dstar)) return unknown;
  int xb = model_binding_find(m, f->scope, m->src->text + nstart(x), nend(x) - nstart(x));
  for (const Assign *xa = xb >= 0 ? model_first_assign(m, xb) : NULL; xa; xa = model_next_assign(m, xa))
    if (!xa->param) return unknown; /* rebound in the body */
  Binding acc = {0};
  for (size_t i = 0; i < m->fcalls.len; i++) { /* this file's callers of f */
    const FCall *o = vec_at(&m->fcalls, i);
    if (o->callee != fi) continue;
    TSNode args = ts_node_child_by_field_id(o->node, SYM.f_arguments);
    bool found = false, splat = false;
    for (uint32_t k = 0; k < ts_node_named_child_count(args) && !found; k++) {
      TSNode a = ts_node_named_child(args, k);
      if (node_is(a, SYM.dictionary_splat)) splat = true;
      if (node_is(a, SYM.keyword_argument) &&
          node_text_eq(m->src, ts_node_child_by_field_id(a, SYM.f_name), name)) {
        give(&acc, arg_value(m, ts_node_child_by_field_id(a, SYM.f_value), o->scope));
        found = true;
      }
    }
    if (!found && splat) return unknown;
  }
  int off;
  const char *owner = m->index ? callable_owner(m, fi, &off) : NULL;
  if (owner) { /* callers in other files */
    const char *qn = m->module[0] ? arena_printf(m->arena, "%s.%s", m->module, owner) : owner;
    Value v;
    if (index_call_fact(m->index, qn, arena_printf(m->arena, "k:%s", name), &v)) give(&acc, v);
  }
  return acc.has_callers ? acc.callers : mkval(OBJ_NONE);
}

/* What call c passes to each parameter of its callee in this file. A `*x`
 * leaves the positional parameters from its place on unknown; a `**x`
 * leaves those not given explicitly unknown, unless x is the enclosing
 * function's own `**` parameter (kwargs_forwarded). */
static void give_call(Model *m, const FCall *c, int *forwards) {
  const Params *ps = params_of_cached(m, c->callee);
  TSNode args = ts_node_child_by_field_id(c->node, SYM.f_arguments), dsplat = {0};
  bool given[32] = {0};
  unsigned dgiven = 0;
  int pos = 0, star_from = -1;
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    TSNode a = ts_node_named_child(args, i);
    uint16_t sy = nsym(a);
    if (sy == SYM.comment) continue;
    if (sy == SYM.list_splat) {
      if (star_from < 0) star_from = pos + c->offset;
    } else if (sy == SYM.dictionary_splat) {
      dsplat = a;
    } else if (sy == SYM.keyword_argument) {
      const char *kw = node_text(m->arena, m->src, ts_node_child_by_field_id(a, SYM.f_name));
      Value v = arg_value(m, ts_node_child_by_field_id(a, SYM.f_value), c->scope);
      bool named = false;
      for (int k = 0; k < ps->total; k++)
        if (!strcmp(ps->names[k], kw)) {
          give(param_binding(m, c->callee, kw), v);
          given[k] = named = true;
        }
      for (int j = 0; !named && j < ps->ndkeys; j++) /* into its **kwargs */
        if (!strcmp(ps->dkeys[j], kw)) {
          give(&((Params *)ps)->dkb[j], v);
          dgiven |= 1u << j;
        }
    } else if (star_from < 0) {
      int at = pos + c->offset;
      if (at < ps->n) {
        give(param_binding(m, c->callee, ps->names[at]), arg_value(m, a, c->scope));
        given[at] = true;
      }
      pos++;
    }
  }
  for (int k = star_from >= 0 ? star_from : ps->n; k < ps->n; k++)
    if (!given[k]) { /* past a *x: any of them */
      give(param_binding(m, c->callee, ps->names[k]), (Value){0});
      given[k] = true;
    }
  if (ts_node_is_null(dsplat)) return;
  for (int k = c->offset; k < ps->total; k++)
    if (!given[k]) give(param_binding(m, c->callee, ps->names[k]), kwargs_forwarded(m, c, dsplat, ps->names[k], forwards));
  for (int j = 0; j < ps->ndkeys; j++)
    if (!(dgiven & (1u << j))) give(&((Params *)ps)->dkb[j], kwargs_forwarded(m, c, dsplat, ps->dkeys[j], forwards));
}

Value model_kwarg_value(const Model *cm, TSNode n, int scope) {
  Model *m = (Model *)cm; /* the parameter lists are computed once, lazily */
  Value unknown = mkval(OBJ_UNKNOWN);
  TSNode x = nsym(n) == SYM.subscript ? ts_node_named_child(n, 0)
             : nsym(n) == SYM.call   ? ts_node_child_by_field_id(ts_node_child_by_field_id(n, SYM.f_function), SYM.f_object)
                                     : (TSNode){0};
  if (!node_is(x, SYM.identifier)) return unknown; /* not `name[...]` nor `name.get(...)` */
  int fi = model_scope_function(m, scope);
  if (fi < 0) return unknown;
  const Params *ps = params_of_cached(m, fi);
  if (!ps->ndkeys) return unknown;
  const char *k = dkey_read(m, n, ps->dstar);
  if (!k) return unknown;
  const Function *f = vec_at(&m->funcs, (size_t)fi);
  int xb = model_binding_find(m, f->scope, ps->dstar, strlen(ps->dstar));
  for (const Assign *xa = xb >= 0 ? model_first_assign(m, xb) : NULL; xa; xa = model_next_assign(m, xa))
    if (!xa->param) return unknown; /* rebound or changed in the body */
  for (int j = 0; j < ps->ndkeys; j++) {
    if (strcmp(ps->dkeys[j], k)) continue;
    if (!ps->dkb[j].has_callers || !usable(ps->dkb[j].callers)) return unknown;
    /* kwargs.get("pipeline", self.redis): a caller that does not pass it
       gets the default, and no fact tells which callers do */
    TSNode dflt = nsym(n) == SYM.call ? ts_node_named_child(ts_node_child_by_field_id(n, SYM.f_arguments), 1)
                                      : (TSNode){0};
    if (ts_node_is_null(dflt) || node_is(dflt, SYM.keyword_argument)) return ps->dkb[j].callers;
    Binding acc = {0};
    give(&acc, ps->dkb[j].callers);
    give(&acc, model_eval_in(m, dflt, scope, 1));
    return usable(acc.callers) ? acc.callers : unknown;
  }
  return unknown;
}

/* `@count_calls` on methods of a class of this file, count_calls a
 * module-level function returning its inner `wrapper(self, *args)`: the
 * wrapper runs in the method's place, so its first parameter is an instance
 * of that class (`self._redis.incr(key)` in it is the class's client). A
 * decorator used in two classes gives both: unknown. */
static void give_decorated(Model *m) {
  for (size_t i = 0; i < m->funcs.len; i++) {
    const Function *meth = vec_at(&m->funcs, i);
    if (meth->cls < 0 || !meth->self_name) continue;
    TSNode dd = ts_node_parent(meth->node);
    if (!node_is(dd, SYM.decorated_definition)) continue;
    for (uint32_t k = 0; k < ts_node_named_child_count(dd); k++) {
      TSNode d = ts_node_named_child(dd, k);
      TSNode e = node_is(d, SYM.decorator) ? ts_node_named_child(d, 0) : (TSNode){0};
      if (!node_is(e, SYM.identifier)) continue;
      int b = model_binding_find(m, 0, m->src->text + nstart(e), nend(e) - nstart(e));
      const Assign *a = b >= 0 ? model_first_assign(m, b) : NULL;
      if (!a || a->kind != A_FUNC || model_next_assign(m, a)) continue;
      int deco = a->index;
      Value inst = mkval(OBJ_INSTANCE);
      inst.cls = (int16_t)meth->cls;
      /* the inner functions it returns by name (bounded: a decorator has
         a return or two and one wrapper, and this runs per decorated method) */
      for (int r = m->ret_start[deco]; r < m->ret_start[deco + 1] && r - m->ret_start[deco] < 8; r++) {
        TSNode rv = ((const Ret *)vec_at(&m->rets, (size_t)r))->value;
        if (!node_is(rv, SYM.identifier)) continue;
        for (size_t w = (size_t)deco + 1; w < m->funcs.len && w <= (size_t)deco + 64; w++) {
          const Function *inner = vec_at(&m->funcs, w);
          if (nstart(inner->node) >= nend(((const Function *)vec_at(&m->funcs, (size_t)deco))->node)) break;
          if (inner->parent != deco || !inner->name || !node_text_eq(m->src, rv, inner->name)) continue;
          const Params *ps = params_of_cached(m, (int)w);
          if (ps->n > 0) give(param_binding(m, (int)w, ps->names[0]), inst);
        }
      }
    }
  }
}

/* Marks the bindings whose callers' value may stand for them: parameters the
 * function never rebinds. */
static void mark_usable(Model *m) {
  for (size_t i = 0; i < m->bindings.len; i++) {
    Binding *b = binding_at(m, (int)i);
    b->callers_ok = false;
    if (!b->has_callers || !usable(b->callers)) continue;
    bool only_params = true;
    for (const Assign *a = model_first_assign(m, (int)i); a && only_params; a = model_next_assign(m, a))
      only_params = a->param || a->kind == A_PIPE_PARAM;
    b->callers_ok = only_params;
  }
}

void model_callers_round(Model *m) {
  if (!m->any_callers) return;
  for (size_t i = 0; i < m->bindings.len; i++) {
    Binding *b = binding_at(m, (int)i);
    b->has_callers = b->has_remote;
    b->callers = b->remote;
  }
  for (size_t fi = 0; m->params && fi < m->nparams; fi++) {
    Params *ps = ((Params **)m->params)[fi];
    for (int j = 0; ps && j < ps->ndkeys; j++) {
      ps->dkb[j].has_callers = ps->dkb[j].has_remote;
      ps->dkb[j].callers = ps->dkb[j].remote;
    }
  }
  int forwards = 0;
  for (size_t i = 0; i < m->fcalls.len; i++) {
    const FCall *c = vec_at(&m->fcalls, i);
    if (c->callee < 0) continue;
    give_call(m, c, &forwards);
  }
  give_decorated(m);
  for (size_t i = 0; i < m->fcalls.len; i++) { /* r.transaction(fn, ...): fn(pipe) */
    const FCall *c = vec_at(&m->fcalls, i);
    int off, fi = transaction_callback(m, c, &off);
    if (fi < 0) continue;
    const Params *ps = params_of_cached(m, fi);
    if (ps->n <= off) continue;
    TSNode fn = ts_node_child_by_field_id(c->node, SYM.f_function);
    Value v = model_eval_in(m, ts_node_child_by_field_id(fn, SYM.f_object), c->scope, 0);
    if (v.kind != OBJ_CLIENT) v = (Value){0}; /* another transaction(): the callback is not ours */
    else {
      v.kind = OBJ_TRANSACTION;
      v.ctor_start = v.ctor_end = 0;
    }
    give(param_binding(m, fi, ps->names[off]), v);
  }
  /* a helper of this file that calls a parameter: what it passes goes to
     the functions its callers here hand it */
  for (size_t i = 0; m->hcalls.len && i < m->fcalls.len; i++) {
    const FCall *c = vec_at(&m->fcalls, i);
    if (c->callee < 0) continue;
    HCall key = {c->callee, 0, 0};
    size_t lo = 0, hi = m->hcalls.len;
    while (lo < hi) { /* the first HCall of the callee */
      size_t mid = lo + (hi - lo) / 2;
      if (((const HCall *)vec_at(&m->hcalls, mid))->fi < key.fi) lo = mid + 1;
      else hi = mid;
    }
    for (; lo < m->hcalls.len; lo++) {
      const HCall *h = vec_at(&m->hcalls, lo);
      if (h->fi != c->callee) break;
      int goff, g = function_ref(m, positional(c->node, h->param - c->offset), c->scope, &goff);
      if (g < 0) continue;
      const FCall *hc = vec_at(&m->fcalls, h->at);
      const Params *gp = params_of_cached(m, g);
      for (int k = 0; goff + k < gp->n; k++) {
        TSNode a = positional(hc->node, k);
        if (ts_node_is_null(a)) break;
        give(param_binding(m, g, gp->names[goff + k]), model_eval_in(m, a, hc->scope, 0));
      }
    }
  }
  mark_usable(m);
}

/* ---------------------------------------------------------------- exports */

static bool usable(Value v);

typedef struct Out {
  Vec *facts; /* Export, merged per name */
  const char *callee;
} Out;

static void merge_fact(Model *m, Vec *facts, const char *name, Value v) {
  for (size_t i = 0; i < facts->len; i++) {
    Export *e = vec_at(facts, i);
    if (strcmp(e->name, name)) continue;
    Binding tmp = {0};
    tmp.callers = e->value;
    tmp.has_callers = true;
    give(&tmp, v);
    e->value = tmp.callers;
    return;
  }
  Export *e = vec_push(facts);
  e->name = arena_strdup(m->arena, name);
  e->value = v.kind == OBJ_CONFLICT ? (Value){0} : v;
  e->value.ctor_start = e->value.ctor_end = 0;
}

enum { INHERITED_BASES = 8 }; /* classes a keyword of a construction also goes to */

static void out_arg(Model *m, void *data, int pos, const char *kw, Value v) {
  Out *o = data;
  if (pos < 0 && !kw) return; /* after a splat the callee cannot map slots: nothing sent */
  /* `controllers.ClaimController(self)` where controllers binds the name to
     another module's class (`ClaimController = claims.ClaimController`) but
     says nothing of Redis: when what is passed matters, that module is
     modelled from the next round, and its alias then names the callee */
  const char *last = strrchr(o->callee, '.');
  if (usable(v) && last && last[1] >= 'A' && last[1] <= 'Z' && !index_has_class(m->index, o->callee))
    index_want_class(m->index, o->callee);
  const char *name = kw ? arena_printf(m->arena, "#call.%s#k:%s", o->callee, kw)
                        : arena_printf(m->arena, "#call.%s#%d", o->callee, pos);
  merge_fact(m, o->facts, name, model_instance_export(m, v));
  /* `Collection(redis=r)` of a class whose bases take **kwargs on through
     super().__init__(**kwargs): the keyword may be what a base reads
     (`self.redis = kwargs["redis"]`); a base that names the parameter gets
     it the same way. Keywords only: positions may shift along the chain. */
  if (!kw) return;
  const char *queue[INHERITED_BASES];
  size_t head = 0, tail = 0;
  queue[tail++] = o->callee;
  while (head < tail) { /* its bases and theirs, breadth first, bounded */
    const char *bases[4];
    size_t nb = index_class_bases(m->index, queue[head++], bases, 4);
    for (size_t i = 0; i < nb && tail < INHERITED_BASES; i++) {
      const char *canon = index_canonical(m->index, m->arena, bases[i]);
      const char *b = canon ? canon : bases[i];
      merge_fact(m, o->facts, arena_printf(m->arena, "#call.%s#k:%s", b, kw), model_instance_export(m, v));
      queue[tail++] = b;
    }
  }
}

/* Does function fi run once per process: an entry point by its name (main,
 * cli, a management command's handle(), a startup hook), or a click/typer
 * command? (The callee side, RL401, weighs the same words.) */
static bool entry_function(const Model *m, int fi) {
  if (fi < 0 || (size_t)fi >= m->funcs.len) return false;
  const Function *f = vec_at(&m->funcs, (size_t)fi);
  if (!f->name) return false;
  static const char *const names[] = {"main", "cli", "run", "startup", "on_startup", "lifespan",
                                      "create_app", "setup", "__main__"};
  for (size_t k = 0; k < sizeof names / sizeof *names; k++)
    if (!strcmp(f->name, names[k])) return true;
  if (!strcmp(f->name, "handle") && f->cls >= 0) { /* a Django management command */
    const Class *c = vec_at(&m->classes, (size_t)f->cls);
    TSNode bases = ts_node_child_by_field_id(c->node, SYM.f_superclasses);
    if (!ts_node_is_null(bases) && strstr(node_text(m->arena, m->src, bases), "Command")) return true;
  }
  TSNode parent = ts_node_parent(f->node);
  if (node_is(parent, SYM.decorated_definition)) {
    for (uint32_t k = 0; k < ts_node_named_child_count(parent); k++) {
      TSNode d = ts_node_named_child(parent, k);
      if (node_is(d, SYM.decorator) && strstr(node_text(m->arena, m->src, d), "command")) return true;
    }
  }
  return false;
}

/* The context of a call: once per process (module level, an entry point, a
 * file of management commands, bin/ or scripts/), else hot. */
static bool call_runs_once(const Model *m, const FCall *c) {
  const char *path = m->src->path ? m->src->path : "";
  static const char *const dirs[] = {"management/commands/", "bin/", "scripts/", "tools/"};
  for (size_t k = 0; k < sizeof dirs / sizeof *dirs; k++) {
    const char *at = strstr(path, dirs[k]);
    /* bin/: its own files only (an application may keep packages in bin/lib/) */
    if (at && (at == path || at[-1] == '/') && (k != 1 || !strchr(at + 4, '/'))) return true;
  }
  for (int sc = c->scope; sc >= 0; sc = scope_at(m, sc)->parent) {
    const Scope *s = scope_at(m, sc);
    if (s->kind == SCOPE_FUNCTION && s->func >= 0 && (size_t)s->func < m->funcs.len)
      return entry_function(m, s->func); /* the innermost function decides */
  }
  return true; /* module level */
}

/* `class Queue(Feed)` keeping the __init__ of Feed, a class of another
 * module: what the project passes to `Queue(hub, name)` (the index's
 * "#call.<module>.Queue#<slot>" facts) is what Feed's __init__ gets, so it
 * goes on as "#call.<Feed>#<slot>" (positional slots; a keyword's name is
 * the base's to know). A chain of such classes forwards a step per round. */
enum { INHERITED_SLOTS = 8 };

static void forward_inherited_init(Model *m, Vec *facts) {
  if (!m->index || !m->module[0]) return;
  for (size_t ci = 0; ci < m->classes.len; ci++) {
    const Class *k = vec_at(&m->classes, ci);
    if (!k->name || scope_at(m, k->scope)->parent != 0 || init_of(m, (int)ci, 0) >= 0) continue;
    TSNode supers = ts_node_child_by_field_id(k->node, SYM.f_superclasses);
    TSNode sup = {0};
    for (uint32_t i = 0; !ts_node_is_null(supers) && i < ts_node_named_child_count(supers); i++) {
      TSNode s = ts_node_named_child(supers, i);
      if (nsym(s) == SYM.keyword_argument) continue; /* metaclass=... */
      sup = s;
      break;
    }
    size_t first;
    if (ts_node_is_null(sup) || (nsym(sup) == SYM.identifier && model_classes_named(m, sup, &first)))
      continue; /* no base, or one of this file (its own __init__ or none) */
    const char *qn = model_qualname(m, sup, k->scope);
    if (!qn || !index_matches_module(m->index, qn)) continue;
    const char *canon = index_canonical(m->index, m->arena, qn);
    const char *self_qn = arena_printf(m->arena, "%s.%s", m->module, k->name);
    m->used_index = true; /* its callers' facts may arrive in a later round */
    for (int slot = 0; slot < INHERITED_SLOTS; slot++) {
      Value v;
      if (index_call_fact(m->index, self_qn, arena_printf(m->arena, "%d", slot), &v))
        merge_fact(m, facts, arena_printf(m->arena, "#call.%s#%d", canon ? canon : qn, slot), v);
    }
    Value ctx;
    if (index_call_fact(m->index, self_qn, "ctx", &ctx))
      merge_fact(m, facts, arena_printf(m->arena, "#call.%s#ctx", canon ? canon : qn), ctx);
  }
}

void model_callers_export(Model *m) {
  Vec facts;
  vec_init(&facts, sizeof(Export));
  for (size_t i = 0; i < m->fcalls.len; i++) {
    const FCall *c = vec_at(&m->fcalls, i);
    if (!c->remote) continue;
    Out o = {&facts, c->remote};
    each_arg(m, c, out_arg, &o);
    /* "#call.<callee>#ctx": where the project calls it from; OBJ_MODULE
       for a place that runs once, OBJ_OTHER for any other (merged: one hot
       caller anywhere makes it unknown) */
    Value ctx = {0};
    ctx.kind = call_runs_once(m, c) ? OBJ_MODULE : OBJ_OTHER;
    merge_fact(m, &facts, arena_printf(m->arena, "#call.%s#ctx", c->remote), ctx);
  }
  /* "#call.<helper>#h<slot>.<arg>": what a helper passes to the function
     in its parameter <slot> (self not counted) as argument <arg> */
  for (size_t i = 0; m->index && m->module[0] && i < m->hcalls.len; i++) {
    const HCall *h = vec_at(&m->hcalls, i);
    int off;
    const char *owner = callable_owner(m, h->fi, &off);
    if (!owner || h->param < off) continue;
    const FCall *hc = vec_at(&m->fcalls, h->at);
    for (int k = 0; k < 16; k++) {
      TSNode a = positional(hc->node, k);
      if (ts_node_is_null(a)) break;
      merge_fact(m, &facts, arena_printf(m->arena, "#call.%s.%s#h%d.%d", m->module, owner, h->param - off, k),
                 model_instance_export(m, model_eval_in(m, a, hc->scope, 0)));
    }
  }
  forward_inherited_init(m, &facts);
  for (size_t i = 0; i < facts.len; i++) *(Export *)vec_push(&m->exports) = *(Export *)vec_at(&facts, i);
  vec_free(&facts);
}


int model_call_context(const Model *m, const char *name) {
  if (!m->index || !m->module[0] || !name) return 0;
  const char *qn = arena_printf(m->arena, "%s.%s", m->module, name);
  const char *canon = index_canonical(m->index, m->arena, qn);
  Value v;
  if (!index_call_fact(m->index, canon ? canon : qn, "ctx", &v)) return 0;
  return v.kind == OBJ_MODULE ? 1 : 2;
}

/* ---- constructor parameters kept on self, for subclasses elsewhere ------- */

/* "Cls.#param.<attr>": self.<attr> of a module-level class is what its own
 * __init__ got in one parameter (`self.driver = driver`), and nothing else
 * assigns it. The fact's value is a marker (OBJ_MODULE) whose cls is the
 * parameter's positional slot past self (-1: keyword-only) and whose rcls is
 * its name. A subclass in another module that keeps that __init__ reads its
 * own callers for the attribute (model_forwarded_member). */
void model_export_init_params(Model *m) {
  for (size_t i = 0; i < m->bindings.len; i++) {
    const Binding *b = binding_at(m, (int)i);
    const Scope *sc = scope_at(m, b->scope);
    if (sc->kind != SCOPE_INSTANCE || sc->cls < 0 || b->first_assign < 0) continue;
    const Class *c = vec_at(&m->classes, (size_t)sc->cls);
    if (c->is_client_class || !c->name || scope_at(m, c->scope)->parent != 0) continue;
    int init = method_named(m, sc->cls, "__init__");
    if (init < 0) continue;
    const Function *f = vec_at(&m->funcs, (size_t)init);
    const char *pname = NULL;
    for (const Assign *a = model_first_assign(m, (int)i); a; a = model_next_assign(m, a)) {
      if (a->kind != A_VALUE || a->param || model_scope_function(m, a->scope) != init ||
          nsym(a->value) != SYM.identifier) {
        pname = NULL;
        break;
      }
      const char *nm = node_text(m->arena, m->src, a->value);
      if (pname && strcmp(pname, nm)) {
        pname = NULL;
        break;
      }
      pname = nm;
    }
    const char *via = pname ? NULL : model_self_call_method(m, (int)i);
    if (via) { /* "Cls.#via.<attr>": set by a template method (see via_method) */
      Export *e = vec_push(&m->exports);
      e->name = arena_printf(m->arena, "%s.#via.%s", c->name, b->name);
      e->value.kind = OBJ_MODULE;
      e->value.rcls = str_intern(via, strlen(via));
      continue;
    }
    if (!pname || (f->self_name && !strcmp(pname, f->self_name))) continue;
    const Params *pp = params_of_cached(m, init);
    int slot = -2;
    for (int k = 1; k < pp->total; k++)
      if (!strcmp(pp->names[k], pname)) slot = k < pp->n ? k - 1 : -1;
    if (slot == -2) continue; /* not a parameter */
    Binding *pb = param_binding(m, init, pname);
    bool only_param = pb != NULL;
    for (const Assign *a = pb ? model_first_assign(m, (int)(pb - binding_at(m, 0))) : NULL; a && only_param;
         a = model_next_assign(m, a))
      only_param = a->param || a->kind == A_PIPE_PARAM || a->kind == A_TYPE;
    if (!only_param) continue;
    Export *e = vec_push(&m->exports);
    e->name = arena_printf(m->arena, "%s.#param.%s", c->name, b->name);
    e->value.kind = OBJ_MODULE;
    e->value.cls = (int16_t)slot;
    e->value.rcls = str_intern(pname, strlen(pname));
  }
}

/* The method M when every assignment of instance binding b is
 * `self.M(...)` in a method of its class (the same M each time): a template
 * method, whose subclasses decide the value by overriding M. NULL else. */
const char *model_self_call_method(const Model *m, int b) {
  const char *via = NULL;
  for (const Assign *a = model_first_assign(m, b); a; a = model_next_assign(m, a)) {
    if (a->kind != A_VALUE || a->param || !node_is(a->value, SYM.call)) return NULL;
    int fi = model_scope_function(m, a->scope);
    const Function *f = fi >= 0 ? vec_at(&m->funcs, (size_t)fi) : NULL;
    TSNode fn = ts_node_child_by_field_id(a->value, SYM.f_function);
    if (!f || !f->self_name || !node_is(fn, SYM.attribute) ||
        !node_text_eq(m->src, ts_node_child_by_field_id(fn, SYM.f_object), f->self_name))
      return NULL;
    const char *nm = node_text(m->arena, m->src, ts_node_child_by_field_id(fn, SYM.f_attribute));
    if (via && strcmp(via, nm)) return NULL;
    via = nm;
  }
  return via;
}

/* The first base along class cls's bases (in order, depth first, 8 levels)
 * that decides: a base of this file that `local` says decides (NULL: none
 * does, look through it), or a base in another module whose index entry
 * has the fact "<Cls>.<fact>" as a marker (OBJ_MODULE, in *out). A module
 * the index has no such entry for is wanted (modelled from the next
 * round). Returns the local base, -2 for another module's, -1 for none. */
typedef bool (*LocalBaseFn)(const Model *m, int base, void *data);

static int first_base_fact(const Model *m, int cls, const char *fact, Value *out, LocalBaseFn local,
                           void *data, int depth) {
  const Class *c = vec_at(&m->classes, (size_t)cls);
  TSNode supers = ts_node_child_by_field_id(c->node, SYM.f_superclasses);
  uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
  for (uint32_t i = 0; i < n && depth < 8; i++) {
    TSNode sup = ts_node_named_child(supers, i);
    if (nsym(sup) == SYM.keyword_argument) continue;
    size_t first;
    if (nsym(sup) == SYM.identifier && model_classes_named(m, sup, &first)) {
      int base = m->class_order[first];
      if (base == cls) continue;
      if (local && local(m, base, data)) return base;
      int r = first_base_fact(m, base, fact, out, local, data, depth + 1);
      if (r != -1) return r;
      continue;
    }
    if (!m->index) continue;
    const char *qn = model_qualname(m, sup, scope_at(m, c->scope)->parent);
    if (!qn || !index_matches_module(m->index, qn)) continue;
    ((Model *)m)->used_index = true;
    if (index_member(m->index, qn, fact, out) && out->kind == OBJ_MODULE) return -2;
    index_want_class(m->index, qn); /* modelled from the next round on, if it was not */
  }
  return -1;
}

/* The template method of attribute `name` that class cls inherits: the
 * first base that assigns the attribute decides (this file's: how it
 * assigns it; another module's: its "#via.<name>" fact). True when one
 * assigns it; *via is then its method (NULL: assigned otherwise) and
 * *owner the base of this file (-1: another module's). */
typedef struct ViaAsk {
  const char *name;
  size_t len;
  const char *via;
} ViaAsk;

static bool assigns_attr(const Model *m, int base, void *data) {
  ViaAsk *q = data;
  const Class *lc = vec_at(&m->classes, (size_t)base);
  int b = model_binding_find(m, lc->inst_scope, q->name, q->len);
  if (b < 0 || binding_at(m, b)->first_assign < 0) return false;
  q->via = model_self_call_method(m, b);
  return true;
}

static bool via_method(const Model *m, int cls, const char *name, size_t len, const char **via, int *owner) {
  ViaAsk q = {name, len, NULL};
  Value f;
  int r = first_base_fact(m, cls, arena_printf(m->arena, "#via.%.*s", (int)len, name), &f, assigns_attr, &q, 0);
  if (r == -1 || (r == -2 && !f.rcls)) return false;
  *via = r == -2 ? f.rcls : q.via;
  *owner = r == -2 ? -1 : r;
  return true;
}

/* The class of this file whose body defines `name` (a method, static or
 * not), cls or the first along its bases here; -1 when none does. */
static int defining_class(const Model *m, int cls, const char *name, int depth) {
  const Class *c = vec_at(&m->classes, (size_t)cls);
  int b = model_binding_find(m, c->scope, name, strlen(name));
  for (const Assign *a = b >= 0 ? model_first_assign(m, b) : NULL; a; a = model_next_assign(m, a))
    if (a->kind == A_FUNC) return cls;
  TSNode supers = ts_node_child_by_field_id(c->node, SYM.f_superclasses);
  uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
  for (uint32_t i = 0; i < n && depth < 8; i++) {
    TSNode sup = ts_node_named_child(supers, i);
    size_t first;
    if (nsym(sup) != SYM.identifier || !model_classes_named(m, sup, &first)) continue;
    int local = m->class_order[first];
    int d = local != cls ? defining_class(m, local, name, depth + 1) : -1;
    if (d >= 0) return d;
  }
  return -1;
}

bool model_virtual_method(const Model *m, int cls, const char *name, size_t len, int *def_cls,
                          const char **via) {
  int owner = -1;
  *via = NULL;
  if (!via_method(m, cls, name, len, via, &owner) || !*via) return false;
  *def_cls = defining_class(m, cls, *via, 0);
  return *def_cls >= 0 && *def_cls != owner;
}

/* ---- faithful forwarders of facade classes ------------------------------ */

/* Is method `name` of class ci a faithful forwarder: its body (past a
 * docstring) is the one statement `return self.<attr>.<name>(...)` (or that
 * call alone, maybe awaited) on a proven client, whose arguments are the
 * method's parameters, each passed on once and unchanged: the positional
 * ones in order, the others as `ex=ex`, `*args`, `**kwargs`? Then
 * `facade.<name>(a, b)` sends what `client.<name>(a, b)` sends, as long as
 * it passes no more positional arguments than the method passes on by
 * position. Returns that number, or -1. */
/* Is `a` the key parameter `key` put through a helper with nothing else of
 * the call's (`_prefix_key(self._prefix, name)`, `self.k(name)`): a tenant
 * or namespace prefix, the same for every key the facade sends. */
static bool prefixed_key(const Model *m, const Function *f, TSNode a, const char *key) {
  TSNode args = ts_node_child_by_field_id(a, SYM.f_arguments);
  if (!node_is(args, SYM.argument_list)) return false;
  int seen = 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    TSNode x = ts_node_named_child(args, i);
    if (node_is(x, SYM.identifier) && node_text_eq(m->src, x, key)) {
      seen++;
      continue;
    }
    if (node_is(x, SYM.attribute) &&
        node_text_eq(m->src, ts_node_child_by_field_id(x, SYM.f_object), f->self_name))
      continue; /* self._prefix */
    if (node_is(x, SYM.string) || node_is(x, SYM.integer)) continue;
    return false;
  }
  return seen == 1;
}

int model_forwarder(const Model *m, int ci, const char *name) {
  int fi = method_named(m, ci, name);
  if (fi < 0) return -1;
  const Function *f = vec_at(&m->funcs, (size_t)fi);
  if (!f->self_name || f->is_property) return -1;
  TSNode body = ts_node_child_by_field_id(f->node, SYM.f_body), st = {0};
  for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
    TSNode k = ts_node_named_child(body, i);
    if (node_is(k, SYM.comment)) continue;
    if (ts_node_is_null(st) && node_is(k, SYM.expression_statement) &&
        node_is(ts_node_named_child(k, 0), SYM.string) && i == 0)
      continue; /* the docstring */
    if (!ts_node_is_null(st)) return -1;
    st = k;
  }
  if (!node_is(st, SYM.return_statement) && !node_is(st, SYM.expression_statement)) return -1;
  TSNode call = ts_node_named_child(st, 0);
  if (node_is(call, SYM.await)) call = ts_node_named_child(call, 0);
  if (!node_is(call, SYM.call)) return -1;
  TSNode fn = ts_node_child_by_field_id(call, SYM.f_function);
  if (node_is(fn, SYM.identifier) && node_text_eq(m->src, fn, "cast")) { /* cast(int, self.r.incr(...)) */
    TSNode cargs = ts_node_child_by_field_id(call, SYM.f_arguments);
    if (ts_node_named_child_count(cargs) != 2) return -1;
    call = ts_node_named_child(cargs, 1);
    if (node_is(call, SYM.await)) call = ts_node_named_child(call, 0);
    if (!node_is(call, SYM.call)) return -1;
    fn = ts_node_child_by_field_id(call, SYM.f_function);
  }
  if (!node_is(fn, SYM.attribute) || !node_text_eq(m->src, ts_node_child_by_field_id(fn, SYM.f_attribute), name))
    return -1;
  TSNode obj = ts_node_child_by_field_id(fn, SYM.f_object);
  if (!node_is(obj, SYM.attribute) ||
      !node_text_eq(m->src, ts_node_child_by_field_id(obj, SYM.f_object), f->self_name))
    return -1;
  Value iv = model_eval_in(m, obj, f->scope, 0);
  if (!value_is_clientish(iv) || iv.inferred) return -1;
  /* the parameters past self: plain ones (positional or keyword), then
     keyword-only; the splats by name */
  const Params *pp = params_of_cached((Model *)m, fi);
  if (pp->cut || pp->total < 1) return -1;
  const char *const *names = pp->names + 1, *star = pp->star, *dstar = pp->dstar;
  int np = pp->total - 1, npos = pp->n > 0 ? pp->n - 1 : 0;
  bool used[32] = {0};
  TSNode args = ts_node_child_by_field_id(call, SYM.f_arguments);
  int pos = 0;
  bool star_used = false, dstar_used = false;
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    TSNode a = ts_node_named_child(args, i);
    uint16_t sy = nsym(a);
    if (sy == SYM.comment) continue;
    if (sy == SYM.call && pos == 0 && npos > 0 && prefixed_key(m, f, a, names[0])) {
      used[pos++] = true; /* the key, prefixed: `_prefix_key(self._prefix, name)` */
    } else if (sy == SYM.identifier) { /* the next positional parameter, in order */
      if (pos >= npos || !node_text_eq(m->src, a, names[pos])) return -1;
      used[pos++] = true;
    } else if (sy == SYM.keyword_argument) { /* ex=ex */
      TSNode k = ts_node_child_by_field_id(a, SYM.f_name), v = ts_node_child_by_field_id(a, SYM.f_value);
      if (!node_is(v, SYM.identifier) || !node_is(k, SYM.identifier)) return -1;
      const char *vn = node_text(m->arena, m->src, v);
      if (!node_text_eq(m->src, k, vn)) return -1;
      int j = 0;
      while (j < np && strcmp(names[j], vn)) j++;
      if (j == np || used[j]) return -1;
      used[j] = true;
    } else if (sy == SYM.list_splat || sy == SYM.dictionary_splat) {
      TSNode id = ts_node_named_child(a, 0);
      const char *want = sy == SYM.list_splat ? star : dstar;
      if (!want || !node_text_eq(m->src, id, want)) return -1;
      if (sy == SYM.list_splat) star_used = true;
      else dstar_used = true;
    } else {
      return -1;
    }
  }
  for (int j = 0; j < np; j++)
    if (!used[j]) return -1;
  if ((star && !star_used) || (dstar && !dstar_used)) return -1;
  /* `lpush(self, name, *values)` passing `name, *values`: any number */
  return star_used && pos == npos ? 255 : pos;
}

/* "Cls.#fwd.<method>": the faithful forwarders of the file's module-level
 * facade classes, for their instances' calls in other modules (the
 * marker's cls: the positional parameters passed on). */
void model_export_forwarders(Model *m) {
  /* one pass over the functions; each class asked once whether it is a
     module-level facade over a proven client */
  signed char *facade = NULL;
  for (size_t i = 0; i < m->funcs.len; i++) {
    const Function *f = vec_at(&m->funcs, i);
    if (f->cls < 0 || !f->name || f->name[0] == '_' || !commands_find(f->name, (uint32_t)strlen(f->name)))
      continue;
    if (!facade) facade = arena_alloc(m->arena, m->classes.len + 1); /* zeroed: not asked yet */
    if (!facade[f->cls]) {
      const Class *c = vec_at(&m->classes, (size_t)f->cls);
      int b = c->name && !c->is_client_class && scope_at(m, c->scope)->parent == 0
                  ? model_binding_find(m, 0, c->name, strlen(c->name))
                  : -1;
      Value cv = b >= 0 ? binding_at(m, b)->val : mkval(OBJ_UNKNOWN);
      facade[f->cls] = cv.kind == OBJ_CLIENT_CLASS && cv.inferred && (cv.facade & FACADE_KIND) ? 1 : -1;
    }
    if (facade[f->cls] < 0) continue;
    int n = model_forwarder(m, f->cls, f->name);
    if (n < 0) continue;
    const Class *c = vec_at(&m->classes, (size_t)f->cls);
    Export *e = vec_push(&m->exports);
    memset(e, 0, sizeof *e);
    e->name = arena_printf(m->arena, "%s.#fwd.%s", c->name, f->name);
    e->value.kind = OBJ_MODULE;
    e->value.cls = (int16_t)n;
  }
}

/* Is the call p of `recv.<method>(...)`, recv an instance of a facade class
 * (v.rcls), a call of a faithful forwarder that passes no more positional
 * arguments than it forwards by position (and no splat)? */
bool model_forwarded_call(const Model *m, TSNode call, const char *rcls, const char *method) {
  if (!rcls) return false;
  int npos = -1, lc = model_class_of(m, rcls);
  if (lc >= 0) {
    npos = model_forwarder(m, lc, method);
  } else if (m->index) {
    Value f;
    ((Model *)m)->used_index = true;
    if (index_member(m->index, rcls, arena_printf(m->arena, "#fwd.%s", method), &f) && f.kind == OBJ_MODULE)
      npos = f.cls;
  }
  if (npos < 0) return false;
  TSNode args = ts_node_child_by_field_id(call, SYM.f_arguments);
  int pos = 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    TSNode a = ts_node_named_child(args, i);
    uint16_t sy = nsym(a);
    if (sy == SYM.list_splat || sy == SYM.dictionary_splat) return false;
    if (sy != SYM.keyword_argument && sy != SYM.comment) pos++;
  }
  return pos <= npos;
}

/* `def __init__(self, *args, **kwargs)` whose body passes both on to
 * `super().__init__(*args, **kwargs)`: a subclass's constructor that keeps
 * its base's parameters. */
static bool pure_forwarder(const Model *m, int fi) {
  const Function *f = vec_at(&m->funcs, (size_t)fi);
  TSNode ps = ts_node_child_by_field_id(f->node, SYM.f_parameters);
  if (ts_node_named_child_count(ps) != 3 || nsym(ts_node_named_child(ps, 1)) != SYM.list_splat_pattern ||
      nsym(ts_node_named_child(ps, 2)) != SYM.dictionary_splat_pattern)
    return false;
  TSNode body = ts_node_child_by_field_id(f->node, SYM.f_body);
  for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
    TSNode st = ts_node_named_child(body, i);
    TSNode call = node_is(st, SYM.expression_statement) ? ts_node_named_child(st, 0) : (TSNode){0};
    if (!node_is(call, SYM.call)) continue;
    TSNode fn = ts_node_child_by_field_id(call, SYM.f_function);
    TSNode obj = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_object) : (TSNode){0};
    if (!node_text_eq(m->src, ts_node_child_by_field_id(fn, SYM.f_attribute), "__init__") ||
        !node_is(obj, SYM.call) || !node_text_eq(m->src, ts_node_child_by_field_id(obj, SYM.f_function), "super"))
      continue;
    TSNode args = ts_node_child_by_field_id(call, SYM.f_arguments);
    return ts_node_named_child_count(args) == 2 && nsym(ts_node_named_child(args, 0)) == SYM.list_splat &&
           nsym(ts_node_named_child(args, 1)) == SYM.dictionary_splat;
  }
  return false;
}

/* The "#param.<name>" fact of the first base of class cls in another
 * module that has one (through bases of this file). */
static bool param_fact(const Model *m, int cls, const char *name, Value *out) {
  return first_base_fact(m, cls, arena_printf(m->arena, "#param.%s", name), out, NULL, NULL, 0) == -2;
}

Value model_forwarded_member(const Model *m, int cls, const char *name, size_t len) {
  Value none = mkval(OBJ_UNKNOWN);
  if (!m->index || !m->module[0] || cls < 0 || (size_t)cls >= m->classes.len) return none;
  const Class *c = vec_at(&m->classes, (size_t)cls);
  if (!c->name || scope_at(m, c->scope)->parent != 0) return none;
  int init = inherited_method(m, cls, "__init__", 0);
  if (init >= 0 && !pure_forwarder(m, init)) return none;
  Value p;
  const char *nm = arena_strndup(m->arena, name, len);
  if (!param_fact(m, cls, nm, &p)) return none;
  const char *self_qn = arena_printf(m->arena, "%s.%s", m->module, c->name);
  Binding acc = {0};
  Value v;
  if (p.cls >= 0 && index_call_fact(m->index, self_qn, arena_printf(m->arena, "%d", p.cls), &v)) give(&acc, v);
  if (p.rcls && index_call_fact(m->index, self_qn, arena_printf(m->arena, "k:%s", p.rcls), &v)) give(&acc, v);
  if (!acc.has_callers || !usable(acc.callers) || acc.callers.inferred) return none;
  return acc.callers;
}
