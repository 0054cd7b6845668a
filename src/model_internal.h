/* model_internal.h - the Model's insides, shared by model*.c only. */
#ifndef RL_MODEL_INTERNAL_H
#define RL_MODEL_INTERNAL_H
#include "index.h"
#include "model.h"

#define EVAL_MAX_DEPTH 48

typedef enum { SCOPE_MODULE, SCOPE_CLASS, SCOPE_FUNCTION, SCOPE_INSTANCE } ScopeKind;

typedef struct Scope {
  ScopeKind kind;
  int parent;  /* enclosing scope, -1 for the module */
  int func;    /* function index for SCOPE_FUNCTION */
  int cls;     /* class index for SCOPE_CLASS / SCOPE_INSTANCE */
  uint32_t start, end;
} Scope;

typedef struct Binding {
  int scope;
  const char *name;
  Value val;   /* value from the previous resolution round (what lookups see) */
  Value next;  /* accumulating in the current round */
  Value typed; /* merged annotations (A_TYPE) of the current round */
  Value known; /* the current round's assigned values that are not unknown, merged */
  bool has_known, partial; /* ... and whether some assigned value is unknown */
  bool partial_other; /* ... unknown other than a parameter or a call (a loop target, an
                         attribute, a subscript): then no inference from the known part */
  Value inferred; /* from use (model_infer.c): the fallback when nothing is proven */
  Value callers;  /* what the project's calls pass, for parameters (model_callers.c) */
  Value remote;   /* ... the part passed from other files (index facts) */
  Value fixture;  /* A_FIXTURE: the conftest fixture's value, once looked up */
  bool fixture_done;
  bool has_next, has_typed, has_inferred, has_callers, callers_ok, has_remote;
  bool appended; /* `name.append(x)` somewhere: `name = []` is then a list being built */
  bool dict_built; /* `name = {}` (seen by the walk): `name[k] = x` after it is A_SETITEM */
  bool itemset;  /* ... and there is one: `name = {}` is then a dict being built */
  int first_assign; /* head of this binding's assignments (Assign.next_same), -1 */
  int by_at, nassign; /* its assignments in Model.assign_by_at[by_at ..+ nassign) */
  int last_import;    /* ... the highest Import index among them (A_IMPORT), -1 none */
} Binding;

typedef enum {
  A_VALUE,     /* name = <expr> */
  A_TYPE,      /* name: <annotation> (parameters, class attributes) */
  A_FUNC,      /* def name */
  A_CLASS,     /* class name */
  A_WITH,      /* with <expr> as name */
  A_IMPORT,    /* import x / from m import x (index: import) */
  A_PIPE_PARAM, /* `pipeline=None` parameter: callers may pass a pipeline */
  A_FIXTURE,   /* a test's parameter: the pytest fixture of that name (this file,
                  then conftest.py of each enclosing package) */
  A_ITER,      /* for name in <expr>: an item of a client registry, else unknown */
  A_ITER_VALUE, /* for key, name in <expr>.items(): likewise */
  A_APPEND,    /* name.append(<expr>): an item of a list built empty (never reaching) */
  A_SETITEM,   /* name[k] = <expr>: a value of a dict built empty (never reaching) */
  A_ITEM,      /* a, b = <call>: item `index` of the tuple the called function returns */
  A_OPAQUE     /* rebinding to something unknown (for targets, tuple unpacking) */
} AssignKind;

typedef struct Assign {
  AssignKind kind;
  int binding;     /* index into bindings */
  int scope;       /* scope the value expression is evaluated in */
  TSNode value;    /* expression, annotation, ... */
  int index;       /* function or class index for A_FUNC / A_CLASS */
  uint32_t at;     /* byte where the binding takes effect (def-use order) */
  int next_same;   /* next assignment of the same binding, -1 */
  bool param;      /* a parameter's default: one possible value, not the value */
} Assign;

typedef struct Import {
  int scope;
  const char *local;     /* name bound in the scope */
  const char *qualified; /* dotted name it stands for */
  bool module;           /* `import x` / `import x as y`: a module object */
  bool star;             /* `from x import *` (local "*", binds nothing itself) */
} Import;

typedef struct PendingCall {
  TSNode node, stmt;
  int scope, loop, func, cls;
  bool in_async, awaited;
} PendingCall;

typedef struct Ret {
  int func;
  TSNode value; /* null node for a bare return */
} Ret;

/* Assignments of binding b: for (const Assign *a = first_of(m, b); a; a = next_of(m, a)) */
const Assign *model_first_assign(const Model *m, int binding);
const Assign *model_next_assign(const Model *m, const Assign *a);

/* `if isinstance(x, T):` (or `elif`, or an operand of `and`): in the
 * body, bytes [start, end), x is what T says (model_eval.c). */
typedef struct Guard {
  uint32_t start, end;
  TSNode type;         /* T: a class, or a tuple of classes */
  uint32_t name_start, name_len; /* x's text */
} Guard;

struct Model {
  Arena *arena;
  const Source *src;
  TSTree *tree;
  const char *module;   /* dotted module name */
  const char *package;  /* for relative imports */
  const ProjectIndex *index;
  Vec scopes, bindings, assigns, imports, funcs, classes, loops, pending, rets,
      calls, exports, globals, pending_ctors, ctors, unresolved, fcalls,
      hcalls; /* calls of a parameter (a function handed on): model_callers.c */
  Vec proven;           /* size_t: indices of calls whose receiver is proven */
  bool view_proven;     /* model_view_proven() */
  bool any_callers;     /* some parameter may get callers' values (model_callers.c) */
  int round;            /* resolution round under way (model_resolve_bindings) */
  bool tables_done;       /* model_method_tables() ran for this analysis */
  int *class_order;       /* class indices sorted by name, then index */
  int *sub_start, *sub_list; /* per class, the classes of this file deriving from it */
  bool *local_overrides;  /* per commands_at() index, or NULL: none in this file */
  bool *defined_local;    /* per distinctive index: a non-client class here defines it */
  const char **evidence;  /* per pending call: its Redis-only method name, "" for none;
                             NULL until model_infer.c needs it */
  void *params;         /* model_callers.c: per-function parameter lists, lazily */
  size_t nparams;       /* ... the functions it has slots for */
  bool *fn_called;      /* model_callers.c: per function, called from this file (lazily) */
  const char *settings_module; /* Django's settings module for this file (index_nearest_module) */
  bool settings_done;          /* ... looked up (the project's modules are fixed before rounds) */
  int *table;           /* open addressing: binding index + 1, 0 empty */
  bool used_index;      /* some name resolved against a project module */
  int nstar_imports;    /* module-level `from <project module> import *`: -1 not counted yet */
  int test_code;        /* the file is test code (in_test_code): -1 not asked yet */
  Vec guards;           /* Guard: `if isinstance(x, T):` bodies, in tree order */
  /* what the file's isinstance() calls test (their first argument's text,
     pointers into the source), so that a name no call tests is never
     walked up for a guard; isi_all: too many to list, walk for all */
  const char *isi_names[32];
  uint16_t isi_lens[32];
  int n_isi;
  bool isi_all;
  uint8_t aioredis1;    /* model_uses_aioredis1, worked out once: 0 not yet, 1 no, 2 yes */
  int *ret_start;       /* per function: first index into rets (sorted by func) */
  int *assign_by_at;    /* per binding a run of assignment indices sorted by Assign.at:
                           the reaching one is a binary search, not a walk */
  size_t table_cap;
};

typedef struct GlobalDecl {
  int func_scope;
  const char *name;
} GlobalDecl;

static inline Binding *binding_at(const Model *m, int i) { return vec_at(&m->bindings, (size_t)i); }
static inline Scope *scope_at(const Model *m, int i) { return vec_at(&m->scopes, (size_t)i); }
static inline const Function *func_at(const Model *m, int i) {
  return i < 0 ? NULL : vec_at(&m->funcs, (size_t)i);
}

/* model.c */
int model_scope_function(const Model *m, int s); /* function index of a scope, or -1 */
int model_binding_find(const Model *m, int scope, const char *name, size_t len);
int model_binding_get(Model *m, int scope, const char *name, size_t len); /* finds or adds */
Value model_eval_in(const Model *m, TSNode node, int scope, int depth);
const Assign *model_reaching_assign(const Model *m, int scope, const char *name, size_t len,
                                    uint32_t before);
const Import *model_import_find(const Model *m, int scope, const char *name, size_t len);


static inline Value mkval(uint8_t kind) {
  Value v = {0};
  v.kind = kind;
  return v;
}

/* model.c */
/* `pipe`, `pipeline`, `redis_pipeline`: a name given to a pipeline. */
bool model_names_pipeline(const char *t, size_t n);
/* The kind `<client>.pipeline(args)` makes: a transaction unless
 * transaction=False (a cluster client's default is a plain pipeline). */
ObjKind model_pipeline_kind(const Model *m, TSNode args, bool cluster);
/* Per-model tables of the methods its classes define (once per analysis):
 * Redis-only names defined by non-client classes (m->defined_local) and
 * command methods client subclasses override (m->local_overrides). */
void model_method_tables(Model *m);
/* Classes of this file named like identifier `id` (several when a name is
 * defined twice): *first gets the index into m->class_order of the first, the
 * count is returned; m->class_order[*first + k] are class indices, ascending.
 * O(log n): the order is built once after the walk. */
size_t model_classes_named(const Model *m, TSNode id, size_t *first);
size_t model_classes_named_str(const Model *m, const char *name, size_t len, size_t *first);

/* The binding a name refers to from `scope` (Python's rule: a class body's
 * names are not seen from its methods), or -1. */
int model_name_binding(const Model *m, int scope, const char *name, size_t len);
/* The one value a name is bound to where its other assignments are only
 * None (`loader = Loader()` ... `loader = None`); null when none (model_eval.c). */
TSNode sole_value_but_none(const Model *m, TSNode id, int scope, int *sc);

/* A plain string literal of an identifier-like name ("redis", 'my_id': no
 * prefix, no escapes, only letters, digits and `_`): its text (in the
 * source, *len bytes), else NULL. */
const char *model_name_literal(const Model *m, TSNode n, size_t *len);
/* `kwargs["redis"]` or `kwargs.get("redis")` of the enclosing function's own
 * `**kwargs`: what every project caller passes as keyword `redis` (this
 * file's calls and the index's "k:redis" facts), or OBJ_UNKNOWN. */
Value model_kwarg_value(const Model *m, TSNode n, int scope);
/* The function `name` defined in class ci's body, a @staticmethod too, or
 * -1: through the class body's binding, O(1) (model_callers.c). */
int model_class_function(const Model *m, int ci, const char *name, size_t len);

/* model_eval.c */
/* The method (function with self, in a class) a scope is in, or NULL. */
const Function *model_enclosing_method(const Model *m, int scope);
/* A Mock()/MagicMock()/AsyncMock() call, or a name bound only to one. */
bool model_is_test_double(const Model *m, TSNode n, int scope);
/* `<x>.state.<name>`, `<x>.registry.<name>`, `app.<name>`, `current_app.<name>`,
 * `celery_app.<name>`: an attribute of an object there is one of per
 * application (a Starlette/FastAPI State, a Pyramid registry, the Flask or
 * Celery app, a chat bot as its extensions see it: `self.bot.<name>`); its
 * attributes are the module-level binding "#state.<name>",
 * exported project-wide, and what every assignment of it gives, merged. */
bool model_state_attr(const Model *m, TSNode t); /* app.state.X, registry.X, app.X, current_app.X */
Value model_qualname_value(const Model *m, const char *qn);
void model_resolve_bindings(Model *m);

/* Attribute `name` as the bases of class cls have it (this file, then the index). */
Value model_bases_member(const Model *m, int cls, const char *name);
/* The module-level class of this file an instance's Value.rcls names, or -1. */
int model_class_of(const Model *m, const char *rcls);
/* A value as other files see it: an instance of a module-level class of this
 * file gets its qualified name (Value.rcls), one of any other class is unknown. */
Value model_instance_export(const Model *m, Value v);

/* Item k of what function fi returns when every return is a tuple of more
 * than k items (`return client, scripts`): their merged values; unknown
 * otherwise. */
Value model_return_item(const Model *m, int fi, int k);

/* model_infer.c */
/* Gives the bindings that receive commands only a client has an inferred
 * value and resolves again; true when any binding got one. */
bool model_infer_bindings(Model *m);
bool model_uses_aioredis1(const Model *m);
/* For a call whose receiver evaluates to nothing known: the inferred value
 * of the receiver (kind 0 when there is no evidence). */
Value model_infer_site(Model *m, const PendingCall *p);
/* Why the chain to a receiver broke, for `calls --unresolved`. */
const char *model_unresolved_why(Model *m, TSNode recv, int scope);

/* model_callers.c */
void model_note_fcall(Model *m, TSNode node, int scope); /* during the walk */
size_t model_fcall_size(void);
size_t model_hcall_size(void);
void model_callers_prepare(Model *m);  /* after the walk: resolve callees */
void model_callers_refresh(Model *m);  /* model_refresh: other files' facts again */
void model_callers_round(Model *m);    /* each resolution round: callers' values */
void model_callers_export(Model *m);   /* "#call.<callee>#<slot>" facts */
void model_export_init_params(Model *m); /* "Cls.#param.<attr>" facts */
/* self.<name> of an instance of class cls that a base in another module
 * sets from its __init__'s parameter, cls keeping that __init__: what
 * cls's own callers pass there (unknown when they do not all agree). */
Value model_forwarded_member(const Model *m, int cls, const char *name, size_t len);
/* `self.conn = self.connect()` in a base, connect() overridden by cls (or a
 * base of cls in this file below that base): the override, `*via` in class
 * *def_cls's body, decides what cls's self.conn is (a template method).
 * False when no such override. */
bool model_virtual_method(const Model *m, int cls, const char *name, size_t len, int *def_cls,
                          const char **via);
const char *model_self_call_method(const Model *m, int b);
/* The instance of a project class function fi returns (every return, or its
 * return annotation), or OBJ_UNKNOWN. */
Value model_function_instance(const Model *m, int fi);
/* Faithful forwarders of facade classes (see model_callers.c). */
int model_forwarder(const Model *m, int ci, const char *name);
void model_export_forwarders(Model *m); /* "Cls.#fwd.<method>" facts */
bool model_forwarded_call(const Model *m, TSNode call, const char *rcls, const char *method);

/* model_util.c */
size_t string_content_decode(const Source *src, TSNode content, bool raw, bool bytes, char *out,
                             size_t cap);

/* model_keys.c */

/* model_values.c */
ValueFact valuefact_eval(const Model *m, TSNode node, int scope, int depth);

#endif
