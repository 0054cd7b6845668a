/* RL401 client-per-call: a client (and so a connection pool) built inside a
 * function each time it runs, used and dropped. Each call pays a TCP
 * connect (plus TLS, AUTH, SELECT, HELLO) before its first command, the
 * server sees a storm of short connections, and sockets pile up in
 * TIME_WAIT. Also classes whose __init__ builds a client, instantiated per
 * call. Clients meant to live long are left alone: module level, stored on
 * self/globals/attributes, returned by factories, lazily created singletons,
 * entry points and fixtures. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "conn.h"
#include "../strset.h"

/* Function names that run once per process or hand the client to a caller. */
static bool once_name(const char *name) {
  static const char *const exact[] = {"main", "cli", "run", "__init__", "__enter__",
                                      "__aenter__", "lifespan", "startup", "on_startup",
                                      "create_app", "make_app", "app_factory", "setUp",
                                      "setUpClass", "asyncSetUp", "__post_init__"};
  for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
    if (!strcmp(name, exact[i])) return true;
  static const char *const prefixes[] = {"setup", "init", "connect", "create_", "make_", "build_",
                                         "get_redis", "get_client", "new_", "open_"};
  const char *bare = name; /* `_init`, `_connect`: private helpers of the same kind */
  while (bare[0] == '_' && bare[1] && bare[1] != '_') bare++;
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
    if (!strncasecmp(bare, prefixes[i], strlen(prefixes[i]))) return true;
  size_t n = strlen(name);
  return (n > 8 && !strcmp(name + n - 8, "_factory")) || strstr(name, "client") ||
         strstr(name, "connection") || strstr(name, "_redis") || strstr(name, "_pool") ||
         strstr(name, "startup"); /* dispatch_startup(), on_worker_startup() */
}

/* Decorators that make a function run once (caches), or mark an entry
 * point or fixture. */
static bool once_decorated(RuleCtx *ctx, const Function *fn) {
  TSNode parent = ts_node_parent(fn->node);
  if (!node_is(parent, SYM.decorated_definition)) return false;
  static const char *const marks[] = {"cache", "property", "fixture", "command", "group",
                                      "on_event", "contextmanager", "singleton", "memoize",
                                      "main", "once", "receiver", "setup"};
  for (uint32_t i = 0; i < ts_node_named_child_count(parent); i++) {
    TSNode d = ts_node_named_child(parent, i);
    if (!node_is(d, SYM.decorator)) continue;
    /* the decorator's name, not its arguments: @router.get("/cache/stats") */
    const char *t = ctx_text(ctx, d);
    t = arena_strndup(ctx->arena, t, strcspn(t, "("));
    for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++)
      if (contains_ci(t, marks[k])) return true;
  }
  return false;
}

/* A Django management command's handle(): runs once per invocation. */
static bool command_handle(RuleCtx *ctx, const Function *fn) {
  if (strcmp(fn->name, "handle") || fn->cls < 0) return false;
  const Class *c = model_class(ctx->model, fn->cls);
  TSNode bases = ts_node_child_by_field_id(c->node, SYM.f_superclasses);
  return !ts_node_is_null(bases) && strstr(ctx_text(ctx, bases), "Command");
}

/* Does the function body guard with `if X is None` / `if not X` (a lazy
 * singleton kept elsewhere)? Any `is None`/`not` condition above the node. */
static bool lazily_guarded(RuleCtx *ctx, TSNode n, TSNode fn_node) {
  for (TSNode p = ts_node_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, fn_node);
       p = ts_node_parent(p)) {
    if (!node_is(p, SYM.if_statement)) continue;
    const char *cond = ctx_text(ctx, ts_node_child_by_field_id(p, SYM.f_condition));
    if (strstr(cond, "None") || !strncmp(cond, "not ", 4) || strstr(cond, "hasattr") ||
        strstr(cond, " not in "))
      return true;
  }
  return false;
}

typedef enum { USE_NONE, USE_LOCAL, USE_DIRECT } Use;

/* `g.store = Store()` or `setattr(g, name, Store())`, g Flask's
 * application context global: it lives for one request, so a client kept
 * there is built again for the next one. */
static bool flask_g_store(RuleCtx *ctx, TSNode n) {
  TSNode p = ts_node_parent(n);
  while (node_is(p, SYM.await) || node_is(p, SYM.parenthesized_expression)) {
    n = p;
    p = ts_node_parent(p);
  }
  TSNode obj;
  if (node_is(p, SYM.argument_list)) { /* setattr(g, name, Store()) */
    TSNode call = ts_node_parent(p);
    TSNode f = ts_node_child_by_field_id(call, SYM.f_function);
    if (!node_is(f, SYM.identifier) || !node_text_eq(ctx->src, f, "setattr") ||
        !ts_node_eq(call_arg(p, 2), n))
      return false;
    obj = call_arg(p, 0);
  } else {
    if (!node_is(p, SYM.assignment) || !ts_node_eq(ts_node_child_by_field_id(p, SYM.f_right), n))
      return false;
    TSNode left = ts_node_child_by_field_id(p, SYM.f_left);
    if (!node_is(left, SYM.attribute)) return false;
    obj = ts_node_child_by_field_id(left, SYM.f_object);
  }
  if (!node_is(obj, SYM.identifier)) return false;
  const char *qn = model_qualname(ctx->model, obj, model_scope_at(ctx->model, nstart(obj)));
  return qn && !strcmp(qn, "flask.g");
}

/* How the value of call `n` is used: bound to a local (name set), used as a
 * receiver or in `with`, or something else (escapes: silent). */
static Use use_of(RuleCtx *ctx, TSNode n, const char **name) {
  TSNode p = ts_node_parent(n);
  while (node_is(p, SYM.await) || node_is(p, SYM.parenthesized_expression)) {
    n = p;
    p = ts_node_parent(p);
  }
  if (node_is(p, SYM.assignment) && ts_node_eq(ts_node_child_by_field_id(p, SYM.f_right), n)) {
    TSNode left = ts_node_child_by_field_id(p, SYM.f_left);
    if (!node_is(left, SYM.identifier)) return USE_NONE;
    *name = ctx_text(ctx, left);
    return USE_LOCAL;
  }
  if (node_is(p, SYM.attribute) && ts_node_eq(ts_node_child_by_field_id(p, SYM.f_object), n))
    return USE_DIRECT; /* Redis().get(k) */
  if (node_is(p, SYM.as_pattern) || node_is(p, SYM.with_item)) return USE_DIRECT;
  /* `for m in [Stats(), QueueStats()]:` each used in the body, then dropped */
  if ((node_is(p, SYM.list) || node_is(p, SYM.tuple)) && node_is(ts_node_parent(p), SYM.for_statement) &&
      ts_node_eq(ts_node_child_by_field_id(ts_node_parent(p), SYM.f_right), p))
    return USE_DIRECT;
  return USE_NONE;
}

/* Is statement `st` a loop that serves for good: `while True:` (`while 1`,
 * `while running`, `while not self.stopped`) or `async for msg in
 * pubsub.listen():`? */
static bool serving_loop(RuleCtx *ctx, TSNode st) {
  if (node_is(st, SYM.for_statement)) {
    TSNode it = ts_node_child_by_field_id(st, SYM.f_right);
    TSNode f = node_is(it, SYM.call) ? ts_node_child_by_field_id(it, SYM.f_function) : (TSNode){0};
    return node_is(f, SYM.attribute) &&
           node_text_eq(ctx->src, ts_node_child_by_field_id(f, SYM.f_attribute), "listen");
  }
  if (!node_is(st, SYM.while_statement)) return false;
  TSNode cond = ts_node_child_by_field_id(st, SYM.f_condition);
  return node_is(cond, SYM.true_) || node_is(cond, SYM.integer) || node_is(cond, SYM.identifier) ||
         node_is(cond, SYM.attribute) || node_is(cond, SYM.not_operator);
}

/* A serving loop after `n` among the statements of `block`, at the top of
 * a `try:` / `with` block after `n` (the client is closed in `finally:`),
 * or inside the `try:` / `with` block of it that holds `n` (a run loop
 * restarted on failure). */
static bool loop_after_in(RuleCtx *ctx, TSNode n, TSNode block, int depth) {
  for (uint32_t i = 0; i < ts_node_named_child_count(block); i++) {
    TSNode st = ts_node_named_child(block, i);
    if (nstart(st) > nstart(n)) {
      if (serving_loop(ctx, st)) return true;
      /* `client = make()` then `try: while True: ... finally: close()` */
      if (depth < 3 && (node_is(st, SYM.try_statement) || node_is(st, SYM.with_statement))) {
        TSNode body = ts_node_child_by_field_id(st, SYM.f_body);
        if (!ts_node_is_null(body) && loop_after_in(ctx, n, body, depth + 1)) return true;
      }
    } else if (nend(st) > nstart(n) && depth < 3 &&
               (node_is(st, SYM.try_statement) || node_is(st, SYM.with_statement))) {
      TSNode body = ts_node_child_by_field_id(st, SYM.f_body);
      if (!ts_node_is_null(body) && loop_after_in(ctx, n, body, depth + 1)) return true;
    }
  }
  return false;
}

/* name_escapes per (function, name), asked for every construction bound to
 * the name: answered once per file (set in check) */
typedef struct EscapeMemo {
  StrSet yes, no;
  /* per function: 1 + where its last serving loop starts (run_loop_after),
     0 not computed yet; UINT32_MAX... never: a start fits below it */
  uint32_t *last_loop;
} EscapeMemo;
static _Thread_local EscapeMemo *g_escape;

/* Where the last serving loop that loop_after_in can reach starts (the
 * statements of `block`, and of the `try:` / `with` bodies among them, to
 * depth 3), plus one; 0 when none. A loop after n is one of these starting
 * after n: a statement before n that does not hold n ends before n, and so
 * does every loop in it. */
static uint32_t last_loop_in(RuleCtx *ctx, TSNode block, int depth) {
  uint32_t last = 0;
  TSTreeCursor cur = ts_tree_cursor_new(block);
  for (bool ok = ts_tree_cursor_goto_first_child(&cur); ok; ok = ts_tree_cursor_goto_next_sibling(&cur)) {
    TSNode st = ts_tree_cursor_current_node(&cur);
    if (!ts_node_is_named(st)) continue;
    if (serving_loop(ctx, st) && nstart(st) + 1 > last) last = nstart(st) + 1;
    if (depth < 3 && (node_is(st, SYM.try_statement) || node_is(st, SYM.with_statement))) {
      TSNode body = ts_node_child_by_field_id(st, SYM.f_body);
      uint32_t in = ts_node_is_null(body) ? 0 : last_loop_in(ctx, body, depth + 1);
      if (in > last) last = in;
    }
  }
  ts_tree_cursor_delete(&cur);
  return last;
}

/* Does the function run a long loop after the construction at `n` (of its
 * own body, not of a nested function)? Then it is a worker's run loop: it
 * builds its client once and serves for the life of the process. Asked per
 * construction: the function's last loop is found once (a function of
 * thousands of constructions stays linear). */
static bool run_loop_after(RuleCtx *ctx, TSNode n, TSNode fn_node, int func) {
  if (!g_escape || func < 0) return loop_after_in(ctx, n, ts_node_child_by_field_id(fn_node, SYM.f_body), 0);
  if (!g_escape->last_loop) g_escape->last_loop = xcalloc(model_nfunctions(ctx->model) + 1, sizeof(uint32_t));
  uint32_t *slot = &g_escape->last_loop[func];
  if (!*slot) {
    uint32_t last = last_loop_in(ctx, ts_node_child_by_field_id(fn_node, SYM.f_body), 0);
    *slot = last ? last + 1 : 1; /* 1: none */
  }
  return *slot > 1 && *slot - 2 > nstart(n);
}

/* Is function `fn` (module level) only called, in its file, where code runs
 * once per process: at module level (a startup registration), or in a
 * function that itself runs once (main, a command's handle(), a startup
 * hook, or a plain function called only from such places)? At least one
 * caller, none elsewhere. Callers in other files are not seen: a miss there
 * stays silent rather than wrong. The file's calls by name are collected
 * once (sorted), so each question costs a binary search. */
typedef struct CallRec {
  const char *name;
  uint32_t len;
  int caller;    /* enclosing function index, -1 at module level */
  bool via_self; /* `self.name(...)`/`cls.name(...)`, after all plain `name(...)` */
  TSNode node;   /* the call */
} CallRec;

typedef struct CallIndex {
  CallRec *recs;
  size_t n, cap;
  int8_t *memo; /* per function: 0 unknown, 1 no, 2 yes, 3 being computed */
} CallIndex;

static _Thread_local CallIndex *g_calls; /* of the file being checked (set in check) */

/* The names the file uses as a callee or a value (`name(`, `.name(`,
 * `target=name,`), its `def name` excluded: gathered in one pass over the
 * text when first asked, so each "called from anywhere?" is one lookup. */
typedef struct UsedNames {
  bool built;
  StrSet names;
} UsedNames;
static _Thread_local UsedNames *g_used;

static bool name_escapes_memo(RuleCtx *ctx, int func, const char *name) {
  if (!g_escape) return name_escapes(ctx, func, name);
  char key[256];
  int k = snprintf(key, sizeof key, "%d\x02%s", func, name);
  if (k < 0 || (size_t)k >= sizeof key) return name_escapes(ctx, func, name);
  if (strset_has(&g_escape->yes, key, (size_t)k)) return true;
  if (strset_has(&g_escape->no, key, (size_t)k)) return false;
  bool e = name_escapes(ctx, func, name);
  strset_add(e ? &g_escape->yes : &g_escape->no, key, (size_t)k);
  return e;
}

static bool ident_byte(char c) { return isalnum((unsigned char)c) || c == '_'; }

static void used_names_build(RuleCtx *ctx, UsedNames *u) {
  u->built = true;
  const char *t = ctx->src->text, *end = t + ctx->src->len;
  for (const char *p = t; p < end;) {
    if (!ident_byte(*p) || isdigit((unsigned char)*p)) {
      p++;
      continue;
    }
    const char *s = p;
    while (p < end && ident_byte(*p)) p++;
    const char *q = p;
    while (q < end && (*q == ' ' || *q == '\t')) q++;
    if (q >= end || (*q != '(' && *q != ',' && *q != ')' && *q != '=' && *q != '\n')) continue;
    if (s - t >= 4 && !memcmp(s - 4, "def ", 4)) continue; /* its own definition */
    strset_add(&u->names, s, (size_t)(p - s));
  }
}

static int cmp_rec(const void *a, const void *b) {
  const CallRec *x = a, *y = b;
  if (x->via_self != y->via_self) return x->via_self - y->via_self;
  uint32_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->name, y->name, n);
  return c ? c : (x->len > y->len) - (x->len < y->len);
}

typedef struct CollectCalls {
  RuleCtx *ctx;
  CallIndex *ci;
  const uint32_t *starts, *ends; /* function nodes, by function index */
  size_t nfuncs;                 /* 0 when they are not in source order */
  size_t next, depth;            /* next function to open; open ones on stack */
  size_t *stack;
} CollectCalls;

static bool collect_visit(TSNode n, void *data) {
  CollectCalls *cc = data;
  if (!node_is(n, SYM.call)) return true;
  TSNode f = ts_node_child_by_field_id(n, SYM.f_function);
  bool via_self = false;
  if (node_is(f, SYM.attribute)) { /* self.name(...): for the methods' callers */
    TSNode obj = ts_node_child_by_field_id(f, SYM.f_object);
    if (!node_text_eq(cc->ctx->src, obj, "self") && !node_text_eq(cc->ctx->src, obj, "cls")) return true;
    f = ts_node_child_by_field_id(f, SYM.f_attribute);
    via_self = true;
  } else if (!node_is(f, SYM.identifier)) {
    return true;
  }
  /* the enclosing function: calls come in source order, so a stack of the
     functions open at this point (model functions are in source order)
     gives the innermost one without walking up the tree */
  uint32_t at = nstart(n);
  while (cc->next < cc->nfuncs && cc->starts[cc->next] <= at) {
    while (cc->depth && cc->ends[cc->stack[cc->depth - 1]] <= cc->starts[cc->next]) cc->depth--;
    cc->stack[cc->depth++] = cc->next++;
  }
  while (cc->depth && cc->ends[cc->stack[cc->depth - 1]] < nend(n)) cc->depth--;
  int caller = cc->nfuncs == 0 ? -2 : cc->depth ? (int)cc->stack[cc->depth - 1] : -1;
  CallIndex *ci = cc->ci;
  if (ci->n == ci->cap) {
    ci->cap = ci->cap ? ci->cap * 2 : 64;
    CallRec *grown = arena_alloc(cc->ctx->arena, ci->cap * sizeof *grown);
    if (ci->n) memcpy(grown, ci->recs, ci->n * sizeof *grown);
    ci->recs = grown;
  }
  ci->recs[ci->n++] = (CallRec){cc->ctx->src->text + nstart(f), nend(f) - nstart(f), caller, via_self, n};
  return true;
}

static bool called_once_at(RuleCtx *ctx, int fi, int depth);

static bool runs_once(RuleCtx *ctx, const Function *g) {
  return once_name(g->name) || once_decorated(ctx, g) || command_handle(ctx, g);
}

static bool called_once_at(RuleCtx *ctx, int fi, int depth) {
  const Function *fn = model_function(ctx->model, fi);
  CallIndex *ci = g_calls;
  if (!ci || fn->parent >= 0 || !fn->name) return false;
  /* callers in other modules (the project index): none, all run once, or
     some hot */
  int owner = model_function_owner(ctx->model, fi);
  const char *name = owner >= 0 ? arena_printf(ctx->arena, "%s.%s",
                                               model_class(ctx->model, owner)->name, fn->name)
                                : fn->name;
  int remote = model_call_context(ctx->model, name);
  if (remote == 2) return false;
  if (owner >= 0) return remote == 1; /* methods: only what the index says */
  if (ci->memo[fi]) return ci->memo[fi] == 2;
  if (depth > 3) return false;
  ci->memo[fi] = 3; /* a cycle reads as "not once" */
  CallRec key = {.name = fn->name, .len = (uint32_t)strlen(fn->name)};
  size_t lo = 0, hi = ci->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cmp_rec(&ci->recs[mid], &key) < 0) lo = mid + 1;
    else hi = mid;
  }
  size_t seen = 0;
  bool once = true;
  for (size_t k = lo; k < ci->n && !cmp_rec(&ci->recs[k], &key) && once; k++) {
    int c = ci->recs[k].caller;
    if (c == fi) continue; /* recursion: no new evidence */
    if (++seen > 64 || c == -2) once = false;
    if (c < 0 || !once) continue; /* module level runs once */
    bool cond = false;
    for (int g = c; g >= 0 && !cond; g = model_function(ctx->model, g)->parent)
      cond = runs_once(ctx, model_function(ctx->model, g));
    if (!cond) cond = called_once_at(ctx, c, depth + 1);
    once = cond;
  }
  once = once && (seen > 0 || remote == 1);
  ci->memo[fi] = once ? 2 : 1;
  return once;
}

static bool called_once_per_process(RuleCtx *ctx, int func) {
  return called_once_at(ctx, func, 0);
}

/* A reconnect loop: the loop that builds the client catches the failure and
 * waits (`except ConnectionError: await asyncio.sleep(5)`) or serves a
 * subscription inside (`async for msg in pubsub.listen()`): one client per
 * connection attempt, not per item. */
typedef struct Reconnect {
  RuleCtx *ctx;
  bool yes;
} Reconnect;

static bool reconnect_visit(TSNode n, void *data) {
  Reconnect *r = data;
  if (r->yes) return false;
  if (node_is(n, SYM.function_definition) || node_is(n, SYM.lambda)) return false;
  if (node_is(n, SYM.except_clause)) {
    const char *t = ctx_text(r->ctx, n);
    if (strstr(t, "sleep(")) r->yes = true;
    return !r->yes;
  }
  if (node_is(n, SYM.call)) {
    TSNode f = ts_node_child_by_field_id(n, SYM.f_function);
    if (node_is(f, SYM.attribute) &&
        node_text_eq(r->ctx->src, ts_node_child_by_field_id(f, SYM.f_attribute), "listen"))
      r->yes = true;
  }
  return !r->yes;
}

static bool reconnect_loop(RuleCtx *ctx, int loop) {
  if (loop < 0) return false;
  const Loop *l = model_loop(ctx->model, loop);
  if (!node_is(l->node, SYM.while_statement) && !node_is(l->node, SYM.for_statement)) return false;
  Reconnect r = {ctx, false};
  node_walk(ts_node_child_by_field_id(l->node, SYM.f_body), reconnect_visit, &r);
  return r.yes;
}

/* Should the construction at `n` (in function `func`) be reported? */
static bool per_call(RuleCtx *ctx, TSNode n, int func) {
  const Function *fn = model_function(ctx->model, func);
  if (!fn || !fn->name) return false;
  /* kept on Flask's g: once per request, whatever the function is named */
  if (flask_g_store(ctx, n)) return true;
  for (int f = func; f >= 0; f = model_function(ctx->model, f)->parent) {
    const Function *g = model_function(ctx->model, f);
    if (once_name(g->name) || once_decorated(ctx, g) || command_handle(ctx, g)) return false;
    if (g->cls >= 0 && !strcmp(g->name, "ready")) { /* Django's AppConfig.ready(): once per process */
      TSNode bases = ts_node_child_by_field_id(model_class(ctx->model, g->cls)->node, SYM.f_superclasses);
      if (!ts_node_is_null(bases) && strstr(ctx_text(ctx, bases), "AppConfig")) return false;
    }
  }
  const char *name = NULL;
  Use u = use_of(ctx, n, &name);
  if (u == USE_NONE) return false;
  if (u == USE_LOCAL && name_escapes_memo(ctx, func, name)) return false;
  if (run_loop_after(ctx, n, fn->node, func)) return false;
  if (called_once_per_process(ctx, func)) return false;
  return !lazily_guarded(ctx, n, fn->node);
}

static const char *const FIX =
    "Create the client once (module level, or at app startup) and reuse it; a client is "
    "thread-safe and pools its connections. Where a client per call is needed, pass a shared "
    "`connection_pool=`";

/* Decorated by something other than staticmethod/classmethod/abstractmethod
 * (a route, a task, a signal receiver): a framework calls it. */
static bool framework_decorated(RuleCtx *ctx, const Function *fn) {
  TSNode parent = ts_node_parent(fn->node);
  if (!node_is(parent, SYM.decorated_definition)) return false;
  for (uint32_t i = 0; i < ts_node_named_child_count(parent); i++) {
    TSNode d = ts_node_named_child(parent, i);
    if (!node_is(d, SYM.decorator)) continue;
    const char *t = ctx_text(ctx, d);
    if (!strstr(t, "staticmethod") && !strstr(t, "classmethod") && !strstr(t, "abstractmethod"))
      return true;
  }
  return false;
}

/* Nothing shows how often a module function or static method runs: no
 * call of its name in this file (`name(`, `.name(`) other than its own
 * definition, none known to the project index, and no framework decorator. An operator's helper of a
 * manager class (`clear_running()`, `force_shutdown()`) looks like this;
 * the finding then says so, at info. */
/* `def lambda_handler(event, context)`: the platform calls it on every
 * request; no caller in the project is expected. */
static bool serverless_entry(RuleCtx *ctx, const Function *fn) {
  if (!strcmp(fn->name, "lambda_handler")) return true;
  TSNode params = ts_node_child_by_field_id(fn->node, SYM.f_parameters);
  if (ts_node_named_child_count(params) != 2) return false;
  TSNode a = ts_node_named_child(params, 0), b = ts_node_named_child(params, 1);
  if (node_is(a, SYM.typed_parameter)) a = ts_node_named_child(a, 0);
  if (node_is(b, SYM.typed_parameter)) b = ts_node_named_child(b, 0);
  return node_text_eq(ctx->src, a, "event") && node_text_eq(ctx->src, b, "context");
}

static bool no_known_caller(RuleCtx *ctx, int func) {
  const Function *fn = model_function(ctx->model, func);
  if (!fn->name || fn->parent >= 0 || framework_decorated(ctx, fn)) return false;
  if (serverless_entry(ctx, fn)) return false; /* called per request, by the platform */
  int owner = model_function_owner(ctx->model, func);
  /* a method is reached through instances the project hands around, which
     a text search does not see; a static method is called by its class */
  TSNode dec = ts_node_parent(fn->node);
  if (owner >= 0 && !(node_is(dec, SYM.decorated_definition) &&
                      strstr(ctx_text(ctx, ts_node_named_child(dec, 0)), "staticmethod")))
    return false;
  const char *qn = owner >= 0 ? arena_printf(ctx->arena, "%s.%s",
                                             model_class(ctx->model, owner)->name, fn->name)
                              : fn->name;
  if (model_call_context(ctx->model, qn)) return false;
  if (!g_used) return false;
  if (!g_used->built) used_names_build(ctx, g_used);
  /* called, or passed on as a callback, anywhere in the file */
  return !strset_has(&g_used->names, fn->name, strlen(fn->name));
}

static void report(RuleCtx *ctx, TSNode at, int func, int loop, const char *what,
                   const char *extra) {
  const Function *fn = model_function(ctx->model, func);
  if (loop < 0 && flask_g_store(ctx, at)) { /* g.store = Store(): per request, guarded or not */
    Finding *g = rule_report(ctx, at, SEV_WARNING,
                             "`%s` %s and kept on Flask's `g` in `%s()`, which lasts one request: "
                             "each request opens a new connection pool and TCP connection (and "
                             "TLS/AUTH/SELECT) before the first command, and throws it away",
                             what, extra, fn->name);
    finding_fix(ctx, g, FIX_DISPLAY, "%s", FIX);
    return;
  }
  bool unknown = loop < 0 && no_known_caller(ctx, func);
  Finding *f = rule_report(
      ctx, at, loop >= 0 ? SEV_ERROR : unknown ? SEV_INFO : SEV_WARNING,
      "`%s` %s on every %s `%s()`: each time a new connection pool opens a TCP connection (and "
      "TLS/AUTH/SELECT) before the first command, and throws it away%s",
      what, extra, loop >= 0 ? "iteration of a loop in" : "call of", fn->name,
      unknown ? " (no caller in the project shows how often it runs)" : "");
  finding_fix(ctx, f, FIX_DISPLAY, "%s", FIX);
}

/* Classes of this file whose __init__ builds a client (not from a pool). */
typedef struct Wrapper {
  const char *name;
  const char *owner; /* the class whose __init__ builds it (name, or a base's) */
  TSNode ctor;
} Wrapper;

static int wrapper_named(const Wrapper *w, size_t nw, RuleCtx *ctx, TSNode id) {
  for (size_t i = 0; i < nw; i++)
    if (node_text_eq(ctx->src, id, w[i].name)) return (int)i;
  return -1;
}

/* Does class k keep the __init__ of its base `base`: none of its own, or
 * one that calls super().__init__(...) / Base.__init__(self, ...)? */
static bool keeps_base_init(RuleCtx *ctx, int init, const char *base) {
  if (init < 0) return true;
  const Function *f = model_function(ctx->model, init);
  uint32_t a = nstart(f->node), b = nend(f->node);
  const char *t = ctx->src->text;
  size_t blen = strlen(base);
  for (uint32_t j = a; j + 9 < b; j++) {
    if (t[j] != '_' || strncmp(t + j, "__init__(", 9)) continue;
    if (j >= 8 && !strncmp(t + j - 8, "super().", 8)) return true;
    if (j >= blen + 1 && t[j - 1] == '.' && !strncmp(t + j - 1 - blen, base, blen)) return true;
  }
  return false;
}

/* Subclasses in this file of a wrapper that keep its __init__ build the same
 * client (`class QueueStats(Stats): def __init__(self): super().__init__("q")`). */
static size_t add_subclass_wrappers(RuleCtx *ctx, Wrapper *w, size_t nw, size_t cap) {
  if (!nw) return nw;
  size_t nc = model_nclasses(ctx->model);
  int *init = arena_alloc(ctx->arena, (nc + 1) * sizeof *init); /* each class's own __init__ */
  for (size_t k = 0; k < nc; k++) init[k] = -1;
  for (size_t i = 0; i < model_nfunctions(ctx->model); i++) {
    const Function *f = model_function(ctx->model, (int)i);
    if (f->cls >= 0 && (size_t)f->cls < nc && f->parent < 0 && f->name && !strcmp(f->name, "__init__"))
      init[f->cls] = (int)i;
  }
  for (bool grew = true; grew && nw < cap;) {
    grew = false;
    for (size_t k = 0; k < model_nclasses(ctx->model) && nw < cap; k++) {
      const Class *cl = model_class(ctx->model, k);
      bool known = false;
      for (size_t i = 0; i < nw && !known; i++) known = !strcmp(w[i].name, cl->name);
      if (known) continue;
      TSNode sup = ts_node_child_by_field_id(cl->node, SYM.f_superclasses);
      if (ts_node_is_null(sup)) continue;
      for (uint32_t j = 0; j < ts_node_named_child_count(sup); j++) {
        TSNode b = ts_node_named_child(sup, j);
        int at = node_is(b, SYM.identifier) ? wrapper_named(w, nw, ctx, b) : -1;
        if (at < 0 || !keeps_base_init(ctx, init[k], w[at].name)) continue;
        w[nw++] = (Wrapper){cl->name, w[at].owner, w[at].ctor};
        grew = true;
        break;
      }
    }
  }
  return nw;
}

/* Is n inside a loop or comprehension of the function whose node is fnode? */
static bool in_loop_of(TSNode n, TSNode fnode) {
  TSNode prev = n;
  for (TSNode p = ts_node_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, fnode);
       prev = p, p = ts_node_parent(p)) {
    /* a for's iterable runs once, before the loop */
    if (node_is(p, SYM.for_statement) && ts_node_eq(prev, ts_node_child_by_field_id(p, SYM.f_right)))
      continue;
    if (node_is(p, SYM.for_statement) || node_is(p, SYM.while_statement) ||
        node_is(p, SYM.list_comprehension) || node_is(p, SYM.generator_expression))
      return true;
  }
  return false;
}

typedef struct Inst {
  RuleCtx *ctx;
  Wrapper *w;
  size_t nw;
} Inst;

/* Reports `n`, a call of class `name` whose __init__ (owner's, maybe in
 * another module: ctor null) builds a client, when it runs per call. */
static void report_inst(RuleCtx *ctx, TSNode n, const char *name, const char *owner, TSNode ctor) {
  int func = model_func_at(ctx->model, nstart(n));
  if (func < 0 || !per_call(ctx, n, func)) return;
  const Function *f = model_function(ctx->model, func);
  if (f->cls >= 0 && !strcmp(model_class(ctx->model, f->cls)->name, name))
    return; /* a classmethod building its own instance */
  int loop = in_loop_of(n, f->node) ? 0 : -1;
  bool own = !strcmp(owner, name);
  const char *how = ts_node_is_null(ctor)
                        ? arena_printf(ctx->arena, "builds a Redis client in its __init__ (in "
                                                   "another module), so one is built")
                        : arena_printf(ctx->arena, "builds a Redis client in %s%s__init__ (line %u), "
                                                   "so one is built",
                                       own ? "its " : owner, own ? "" : ".",
                                       line_of(ctx->src, nstart(ctor)));
  report(ctx, n, func, loop, arena_printf(ctx->arena, "%s()", name), how);
  if (ts_node_is_null(ctor)) return;
  finding_related(ctx, (Finding *)vec_at(ctx->findings, ctx->findings->len - 1), NULL,
                  nstart(ctor), nend(ctor),
                  own ? "the client built in __init__"
                      : arena_printf(ctx->arena, "the client built in %s.__init__", owner));
}

static bool visit_inst(TSNode n, void *data) {
  Inst *in = data;
  RuleCtx *ctx = in->ctx;
  if (!node_is(n, SYM.call)) return true;
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  if (node_is(fn, SYM.identifier)) {
    for (size_t i = 0; i < in->nw; i++) {
      if (!node_text_eq(ctx->src, fn, in->w[i].name)) continue;
      report_inst(ctx, n, in->w[i].name, in->w[i].owner, in->w[i].ctor);
      return true;
    }
  }
  /* `RedisClient()` of a storage module of the project */
  if ((node_is(fn, SYM.identifier) || node_is(fn, SYM.attribute)) &&
      model_builds_client_object(ctx->model, fn, model_scope_at(ctx->model, nstart(n)))) {
    const char *name = ctx_text(ctx, fn);
    report_inst(ctx, n, name, name, (TSNode){0});
  }
  return true;
}

static bool fn_names_callee(RuleCtx *ctx, TSNode fn, const char *name);

/* Calls of a factory that builds a new client (and pool) each time it runs
 * (`def get_client(): return redis.Redis(...)`, here or in another module),
 * made per call of a function: `get_client().get(k)` in a view. One
 * finding per factory and file, at its first such call, the others as
 * related locations: the fix is one, in the factory. Methods reached
 * through self/cls are left alone: an object per target (a database
 * engine of an admin tool) builds its connection per use on purpose. */
#define MAX_FACTORIES 16
#define MAX_SITES 64

typedef struct FactoryUse {
  const char *name; /* the callee's text */
  TSNode first;
  int func, loop;
  TSNode more[MAX_SITES];
  size_t nmore, extra; /* extra: past MAX_SITES */
} FactoryUse;

typedef struct FactoryCalls {
  RuleCtx *ctx;
  FactoryUse uses[MAX_FACTORIES];
  size_t n;
} FactoryCalls;

static bool visit_factory_call(TSNode n, void *data) {
  FactoryCalls *fc = data;
  RuleCtx *ctx = fc->ctx;
  if (!node_is(n, SYM.call)) return true;
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  if (!node_is(fn, SYM.identifier) && !node_is(fn, SYM.attribute)) return true;
  if (node_is(fn, SYM.attribute)) {
    TSNode obj = ts_node_child_by_field_id(fn, SYM.f_object);
    if (!node_is(obj, SYM.identifier) || node_text_eq(ctx->src, obj, "self") ||
        node_text_eq(ctx->src, obj, "cls"))
      return true;
  }
  int func = model_func_at(ctx->model, nstart(n));
  if (func < 0) return true;
  Value v = model_eval(ctx->model, fn);
  if (v.kind != OBJ_CLIENT_FACTORY || !v.fresh || v.via_property || v.inferred) return true;
  const Function *f = model_function(ctx->model, func);
  if (f->name && fn_names_callee(ctx, fn, f->name)) return true; /* recursion, a wrapper */
  if (!per_call(ctx, n, func)) return true;
  int loop = in_loop_of(n, f->node) ? 0 : -1;
  const char *name = ctx_text(ctx, fn);
  for (size_t i = 0; i < fc->n; i++) {
    FactoryUse *u = &fc->uses[i];
    if (strcmp(u->name, name)) continue;
    if (u->nmore < MAX_SITES) u->more[u->nmore++] = n;
    else u->extra++;
    return true;
  }
  if (fc->n == MAX_FACTORIES) return true;
  FactoryUse *u = &fc->uses[fc->n++];
  memset(u, 0, sizeof *u);
  u->name = name;
  u->first = n;
  u->func = func;
  u->loop = loop;
  return true;
}

static void report_factory_uses(FactoryCalls *fc) {
  RuleCtx *ctx = fc->ctx;
  for (size_t i = 0; i < fc->n; i++) {
    FactoryUse *u = &fc->uses[i];
    size_t others = u->nmore + u->extra;
    const char *extra =
        others ? arena_printf(ctx->arena,
                              "builds a new client with a connection pool of its own each time "
                              "it runs (%zu more call%s in this file), and is called",
                              others, others == 1 ? "" : "s")
               : "builds a new client with a connection pool of its own each time it runs, and "
                 "is called";
    report(ctx, u->first, u->func, u->loop, arena_printf(ctx->arena, "%s()", u->name), extra);
    Finding *f = vec_at(ctx->findings, ctx->findings->len - 1);
    for (size_t k = 0; k < u->nmore; k++)
      finding_related(ctx, f, NULL, nstart(u->more[k]), nend(u->more[k]),
                      "another call that builds a client");
  }
}

/* Is `fn` (the callee) the function `name` itself? */
static bool fn_names_callee(RuleCtx *ctx, TSNode fn, const char *name) {
  TSNode last = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
  return node_text_eq(ctx->src, last, name);
}

/* ---- one client per target server ---------------------------------------
 * `def node_memory(addr): host, port = addr.split(":"); c = Redis(host=host,
 * port=port)` called for each node of a list (`[node_memory(a) for a in
 * nodes]`): each call talks to another server, named by its caller, and
 * no shared client could serve them. */

typedef struct Tainted {
  RuleCtx *ctx;
  StrSet names; /* the function's parameters and the names made from them */
  TSNode body;
  uint32_t before;
} Tainted;

static bool mentions_tainted(Tainted *t, TSNode n) {
  if (node_is(n, SYM.identifier)) {
    const char *x = ctx_text(t->ctx, n);
    return strset_has(&t->names, x, strlen(x));
  }
  uint32_t k = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < k && i < 64; i++)
    if (mentions_tainted(t, ts_node_named_child(n, i))) return true;
  return false;
}

static void taint_targets(Tainted *t, TSNode left) {
  if (node_is(left, SYM.identifier)) {
    const char *x = ctx_text(t->ctx, left);
    strset_add(&t->names, x, strlen(x));
    return;
  }
  uint32_t k = ts_node_named_child_count(left);
  for (uint32_t i = 0; i < k && i < 16; i++) taint_targets(t, ts_node_named_child(left, i));
}

static bool taint_visit(TSNode n, void *data) {
  Tainted *t = data;
  if (nstart(n) >= t->before) return false;
  if (node_is(n, SYM.assignment)) {
    TSNode right = ts_node_child_by_field_id(n, SYM.f_right);
    if (!ts_node_is_null(right) && mentions_tainted(t, right))
      taint_targets(t, ts_node_child_by_field_id(n, SYM.f_left));
  }
  return true;
}

/* Does the construction's server (host, URL, socket path, first argument,
 * or the dict its `**` names) name one of t's names? (Frees them.) */
static bool server_tainted(RuleCtx *ctx, const Ctor *c, Tainted *t);

/* ... from the function's parameter `param`? */
static bool server_from_param(RuleCtx *ctx, const Ctor *c, TSNode param) {
  const Function *fn = model_function(ctx->model, c->func);
  Tainted t = {ctx, {0}, ts_node_child_by_field_id(fn->node, SYM.f_body), nstart(c->node)};
  const char *x = ctx_text(ctx, param);
  strset_add(&t.names, x, strlen(x));
  node_walk(t.body, taint_visit, &t);
  return server_tainted(ctx, c, &t);
}

/* ... from the item of the loop around it (`for addr in masters: host, port
 * = addr.split(":"); Redis(host=host, ...)`)? Each iteration talks to
 * another server: no shared client could serve them. */
static bool names_server(RuleCtx *ctx, const Ctor *c);

static bool server_from_loop(RuleCtx *ctx, const Ctor *c, int loop) {
  if (!names_server(ctx, c)) return false;
  TSNode ln = model_loop(ctx->model, loop)->node, target = {0}, body = {0};
  if (node_is(ln, SYM.for_statement)) {
    target = ts_node_child_by_field_id(ln, SYM.f_left);
    body = ts_node_child_by_field_id(ln, SYM.f_body);
  } else if (node_is(ln, SYM.list_comprehension) || node_is(ln, SYM.generator_expression)) {
    for (uint32_t i = 0; i < ts_node_named_child_count(ln) && ts_node_is_null(target); i++) {
      TSNode k = ts_node_named_child(ln, i);
      if (node_is(k, SYM.for_in_clause)) target = ts_node_child_by_field_id(k, SYM.f_left);
    }
    body = ln;
  }
  if (ts_node_is_null(target) || ts_node_is_null(body)) return false;
  Tainted t = {ctx, {0}, body, nstart(c->node)};
  taint_targets(&t, target);
  node_walk(t.body, taint_visit, &t);
  return server_tainted(ctx, c, &t);
}

static bool server_tainted(RuleCtx *ctx, const Ctor *c, Tainted *t0) {
  Tainted t = *t0;
  bool hit = false;
  static const char *const where[] = {"host", "url", "unix_socket_path", "address", "startup_nodes"};
  for (size_t k = 0; k < sizeof where / sizeof *where && !hit; k++) {
    TSNode a = ctor_kwarg(ctx, c, where[k]);
    hit = !ts_node_is_null(a) && mentions_tainted(&t, a);
  }
  TSNode first = call_arg(c->args, 0);
  if (!hit && !ts_node_is_null(first) && !node_is(first, SYM.keyword_argument))
    hit = mentions_tainted(&t, first);
  for (uint32_t i = 0; !hit && i < ts_node_named_child_count(c->args); i++) {
    TSNode a = ts_node_named_child(c->args, i);
    if (node_is(a, SYM.dictionary_splat)) hit = mentions_tainted(&t, ts_node_named_child(a, 0));
  }
  strset_free(&t.names);
  return hit;
}

/* The parameters (bit i: the i-th, self/cls not counted) that the
 * construction's server comes from; 0 when none. */
/* Does the construction name its server at all (host=, url=, a socket
 * path, a first argument, a `**` dict)? `Redis()` with none has nothing a
 * parameter could reach: no walk of the function for it. */
static bool names_server(RuleCtx *ctx, const Ctor *c) {
  static const char *const where[] = {"host", "url", "unix_socket_path", "address", "startup_nodes"};
  for (size_t k = 0; k < sizeof where / sizeof *where; k++)
    if (!ts_node_is_null(ctor_kwarg(ctx, c, where[k]))) return true;
  TSNode first = call_arg(c->args, 0);
  if (!ts_node_is_null(first) && !node_is(first, SYM.keyword_argument)) return true;
  for (uint32_t i = 0; i < ts_node_named_child_count(c->args); i++)
    if (node_is(ts_node_named_child(c->args, i), SYM.dictionary_splat)) return true;
  return false;
}

static uint32_t server_params(RuleCtx *ctx, const Ctor *c) {
  if (!names_server(ctx, c)) return 0;
  const Function *fn = model_function(ctx->model, c->func);
  TSNode params = ts_node_child_by_field_id(fn->node, SYM.f_parameters);
  uint32_t mask = 0, pos = 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(params) && pos < 32; i++) {
    TSNode p = ts_node_named_child(params, i);
    if (!node_is(p, SYM.identifier)) p = ts_node_named_child(p, 0); /* typed, default */
    if (!node_is(p, SYM.identifier)) break; /* *args, **kwargs, `*`: positions end */
    if (fn->cls >= 0 && pos == 0 && i == 0 &&
        (node_text_eq(ctx->src, p, "self") || node_text_eq(ctx->src, p, "cls")))
      continue;
    if (server_from_param(ctx, c, p)) mask |= 1u << pos;
    pos++;
  }
  return mask;
}

typedef struct PerItem {
  RuleCtx *ctx;
  const char *name;
  int cls; /* the function's class: calls through self/cls; -1 a module function */
  uint32_t mask; /* the parameters the server comes from (server_params) */
  TSNode params;
  size_t calls, in_loops;
} PerItem;

/* Does an identifier of `tree` name one bound by `target` (a loop target
 * pattern)? */
static bool names_target(RuleCtx *ctx, TSNode tree, TSNode target, int depth) {
  if (depth > 16) return false;
  if (node_is(tree, SYM.identifier)) {
    if (node_is(target, SYM.identifier)) return node_text_eq(ctx->src, tree, ctx_text(ctx, target));
    for (uint32_t i = 0; i < ts_node_named_child_count(target) && i < 16; i++)
      if (names_target(ctx, tree, ts_node_named_child(target, i), depth + 1)) return true;
    return false;
  }
  for (uint32_t i = 0; i < ts_node_named_child_count(tree) && i < 64; i++)
    if (names_target(ctx, ts_node_named_child(tree, i), target, depth + 1)) return true;
  return false;
}

/* The arguments of the call that go to the parameters in `mask`:
 * positional ones by position, keyword ones by the parameter's name. */
static bool arg_names_target(RuleCtx *ctx, TSNode args, uint32_t mask, TSNode params, int cls,
                             TSNode target) {
  uint32_t pos = 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    TSNode a = ts_node_named_child(args, i);
    if (node_is(a, SYM.keyword_argument)) {
      TSNode kname = ts_node_child_by_field_id(a, SYM.f_name);
      uint32_t pp = 0;
      for (uint32_t k = 0; k < ts_node_named_child_count(params) && pp < 32; k++) {
        TSNode p = ts_node_named_child(params, k);
        if (!node_is(p, SYM.identifier)) p = ts_node_named_child(p, 0);
        if (!node_is(p, SYM.identifier)) break;
        if (cls >= 0 && k == 0 && (node_text_eq(ctx->src, p, "self") || node_text_eq(ctx->src, p, "cls")))
          continue;
        if ((mask & (1u << pp)) && node_text_eq(ctx->src, kname, ctx_text(ctx, p)) &&
            names_target(ctx, ts_node_child_by_field_id(a, SYM.f_value), target, 0))
          return true;
        pp++;
      }
      continue;
    }
    if (node_is(a, SYM.list_splat) || node_is(a, SYM.dictionary_splat)) return false;
    if (pos < 32 && (mask & (1u << pos)) && names_target(ctx, a, target, 0)) return true;
    pos++;
  }
  return false;
}

/* Is the call made for each item of a loop or comprehension around it, with
 * the item in an argument the server comes from (`node_memory(addr)` for
 * addr in nodes)? */
static bool called_with_item(PerItem *q, TSNode call) {
  RuleCtx *ctx = q->ctx;
  TSNode args = ts_node_child_by_field_id(call, SYM.f_arguments);
  for (TSNode p = ts_node_parent(call); !ts_node_is_null(p); p = ts_node_parent(p)) {
    if (node_is(p, SYM.function_definition) || node_is(p, SYM.lambda)) return false;
    TSNode target = {0};
    if (node_is(p, SYM.for_statement)) {
      target = ts_node_child_by_field_id(p, SYM.f_left);
    } else if (node_is(p, SYM.list_comprehension) || node_is(p, SYM.set_comprehension) ||
               node_is(p, SYM.dictionary_comprehension) || node_is(p, SYM.generator_expression)) {
      for (uint32_t i = 0; i < ts_node_named_child_count(p); i++) {
        TSNode c = ts_node_named_child(p, i);
        if (!strcmp(ts_node_type(c), "for_in_clause")) target = ts_node_child_by_field_id(c, SYM.f_left);
      }
    }
    if (!ts_node_is_null(target) && arg_names_target(ctx, args, q->mask, q->params, q->cls, target))
      return true;
  }
  return false;
}

/* Is every call of the function in this file made for each item of a loop
 * or comprehension, with the item among its arguments (and there is one)?
 * `for job in jobs: get_client(settings.URL)` is not: the same server each
 * time, and a shared client would serve it. */
static bool called_per_item(RuleCtx *ctx, const Ctor *c) {
  const Function *fn = model_function(ctx->model, c->func);
  CallIndex *ci = g_calls;
  if (!fn->name || fn->parent >= 0 || !ci) return false;
  uint32_t mask = server_params(ctx, c);
  if (!mask) return false;
  PerItem q = {ctx, fn->name, fn->cls, mask, ts_node_child_by_field_id(fn->node, SYM.f_parameters), 0, 0};
  CallRec key = {.name = fn->name, .len = (uint32_t)strlen(fn->name), .via_self = fn->cls >= 0};
  size_t lo = 0, hi = ci->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cmp_rec(&ci->recs[mid], &key) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (size_t k = lo; k < ci->n && !cmp_rec(&ci->recs[k], &key); k++) {
    q.calls++;
    q.in_loops += called_with_item(&q, ci->recs[k].node);
    if (q.in_loops < q.calls) return false;
  }
  return q.calls > 0 && q.in_loops == q.calls;
}

/* A connection to the server the caller names (host, port or URL from the
 * function's parameters) that the function closes itself (`with`, or
 * `.close()` / `.aclose()` on it): a probe or an admin tool reaching a
 * target, such as a check of what kind of server is there, whose answer
 * decides which client the caller builds. */
static bool closed_by_function(RuleCtx *ctx, const Ctor *c);

static bool probe_of_target(RuleCtx *ctx, const Ctor *c) {
  return server_params(ctx, c) && closed_by_function(ctx, c);
}

/* Is the construction's client closed by its function itself (`with`,
 * `.close()`, `.aclose()` after it)? */
static bool closed_by_function(RuleCtx *ctx, const Ctor *c) {
  TSNode p = ts_node_parent(c->node);
  while (node_is(p, SYM.await) || node_is(p, SYM.parenthesized_expression)) p = ts_node_parent(p);
  if (node_is(p, SYM.with_item) || node_is(p, SYM.as_pattern)) return true;
  const char *name = NULL;
  if (use_of(ctx, c->node, &name) != USE_LOCAL || !name) return false;
  const Function *fn = model_function(ctx->model, c->func);
  const char *t = ctx->src->text;
  for (int k = 0; k < 2; k++) {
    const char *needle = arena_printf(ctx->arena, "%s.%s(", name, k ? "aclose" : "close");
    size_t nl = strlen(needle);
    for (uint32_t i = nend(c->node); i + nl <= nend(fn->node); i++)
      if (!memcmp(t + i, needle, nl) && !(isalnum((unsigned char)t[i - 1]) || t[i - 1] == '_' ||
                                          t[i - 1] == '.'))
        return true;
  }
  return false;
}

static void check(RuleCtx *ctx) {
  if (in_test_code(ctx->src, ctx->opt)) return; /* tests build throwaway clients on purpose */
  /* examples, benchmarks and scripts run once per invocation (one client per
   * worker process of a benchmark is the point) */
  if (in_example_code(ctx->src, ctx->opt, true)) return;
  FactoryCalls *fc = arena_alloc(ctx->arena, sizeof(FactoryCalls));
  memset(fc, 0, sizeof *fc);
  fc->ctx = ctx;
  UsedNames used = {0};
  g_used = &used; /* until the end of the check: every report() may ask it */
  EscapeMemo escape = {{0}, {0}, NULL};
  g_escape = &escape;
  node_walk(model_root(ctx->model), visit_factory_call, fc);
  report_factory_uses(fc);
  CallIndex ci = {0};
  ci.memo = arena_alloc(ctx->arena, model_nfunctions(ctx->model) + 1);
  memset(ci.memo, 0, model_nfunctions(ctx->model) + 1);
  size_t nf = model_nfunctions(ctx->model);
  uint32_t *starts = arena_alloc(ctx->arena, (nf + 1) * sizeof *starts);
  uint32_t *ends = arena_alloc(ctx->arena, (nf + 1) * sizeof *ends);
  bool sorted = true;
  for (size_t k = 0; k < nf; k++) {
    starts[k] = nstart(model_function(ctx->model, (int)k)->node);
    ends[k] = nend(model_function(ctx->model, (int)k)->node);
    if (k && starts[k] < starts[k - 1]) sorted = false;
  }
  CollectCalls cc = {ctx, &ci, starts, ends, sorted ? nf : 0, 0, 0,
                     arena_alloc(ctx->arena, (nf + 1) * sizeof(size_t))};
  node_walk(model_root(ctx->model), collect_visit, &cc);
  if (ci.n) qsort(ci.recs, ci.n, sizeof *ci.recs, cmp_rec);
  g_calls = &ci;
  Wrapper w[16];
  size_t nw = 0;
  for (size_t i = 0; i < model_nctors(ctx->model); i++) {
    const Ctor *c = model_ctor(ctx->model, i);
    if (c->v.kind != OBJ_CLIENT && c->v.kind != OBJ_POOL) continue;
    if (c->in_process) continue; /* fakeredis: no connection to set up */
    if (c->func < 0 || !ts_node_is_null(ctor_kwarg(ctx, c, "connection_pool"))) continue;
    const Function *fn = model_function(ctx->model, c->func);
    if (fn && fn->name && !strcmp(fn->name, "__init__") && fn->cls >= 0 && fn->parent < 0) {
      TSNode p = ts_node_parent(c->node);
      if (node_is(p, SYM.assignment) &&
          node_is(ts_node_child_by_field_id(p, SYM.f_left), SYM.attribute) && nw < 16 &&
          !lazily_guarded(ctx, c->node, fn->node))
        w[nw++] = (Wrapper){model_class(ctx->model, fn->cls)->name,
                            model_class(ctx->model, fn->cls)->name, c->node};
      continue;
    }
    if (!per_call(ctx, c->node, c->func)) continue;
    int loop = c->loop;
    if (loop >= 0 && model_loop(ctx->model, loop)->func != c->func) loop = -1;
    if (reconnect_loop(ctx, loop)) continue;
    if (loop >= 0 && server_from_loop(ctx, c, loop)) {
      /* one client per server the loop's item names: the loop is no waste
         (no shared client could serve them); one that the iteration closes
         is a short look at each server, one left open is built again on
         every call of the function */
      if (closed_by_function(ctx, c)) continue;
      loop = -1;
    }
    /* a client per target server, each call naming another one */
    if (loop < 0 && called_per_item(ctx, c)) continue;
    if (loop < 0 && probe_of_target(ctx, c)) continue;
    report(ctx, c->node, c->func, loop, ctor_display(ctx, c), "is built");
  }
  g_calls = NULL;
  nw = add_subclass_wrappers(ctx, w, nw, sizeof w / sizeof *w);
  Inst in = {ctx, w, nw};
  node_walk(model_root(ctx->model), visit_inst, &in);
  g_used = NULL;
  g_escape = NULL;
  strset_free(&used.names);
  strset_free(&escape.yes);
  strset_free(&escape.no);
  free(escape.last_loop);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/client-per-call.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_client_per_call = {
    .check_file = check,
};
