/* RL405 sync-client-in-async: the two ways a client and an event loop get
 * mixed up.
 *
 * 1. A command of a sync client (redis.Redis) inside `async def`: the socket
 *    read blocks the event loop, and every other task waits for the round
 *    trip (or for a timeout, on a dead server).
 * 2. A command of an asyncio client (redis.asyncio) that is not awaited: the
 *    call only builds a coroutine; the command is never sent, and a name
 *    bound to it holds a coroutine, not the reply.
 *
 * A call inside a lambda or in a plain `def` nested in the `async def` runs
 * wherever that function is called (usually a thread: run_in_executor,
 * asyncio.to_thread): not reported. Commands queued on an asyncio pipeline
 * return the pipeline and are not awaited; only execute() and watch() are. */
#include <stdlib.h>
#include <string.h>

#include "rule_util.h"

/* Calls that take a coroutine and run it (the call does not need an await). */
static const char *const CONSUMERS[] = {
    "gather", "create_task", "ensure_future", "wait_for", "shield", "wait", "run",
    "run_until_complete", "run_coroutine_threadsafe", "as_completed", "start_soon",
    "spawn", "timeout", "async_to_sync", NULL};
/* Calls that use their argument as a value: a coroutine there is a bug. */
static const char *const VALUE_FUNCS[] = {
    "loads", "int", "float", "str", "bool", "len", "bytes", "list", "dict", "set", "tuple",
    "sorted", "decode", "print", "json", "jsonify", "Response", NULL};

typedef enum { USE_DISCARDED, USE_VALUE, USE_CONSUMED } Use;

static bool name_in(RuleCtx *ctx, TSNode n, const char *const *names) {
  if (node_is(n, SYM.attribute)) n = ts_node_child_by_field_id(n, SYM.f_attribute);
  for (; *names; names++)
    if (node_text_eq(ctx->src, n, *names)) return true;
  return false;
}

/* Is there a lambda between the call and its function? */
static bool in_lambda(RuleCtx *ctx, const CallSite *cs) {
  const Function *fn = model_function(ctx->model, cs->func);
  for (TSNode p = ts_node_parent(cs->node); !ts_node_is_null(p); p = ts_node_parent(p)) {
    if (fn && ts_node_eq(p, fn->node)) return false;
    if (node_is(p, SYM.lambda)) return true;
  }
  return false;
}

/* How the value of expression `e` is used, from its parent. */
static Use use_of(RuleCtx *ctx, TSNode e) {
  TSNode p = ts_node_parent(e);
  while (node_is(p, SYM.parenthesized_expression)) {
    e = p;
    p = ts_node_parent(p);
  }
  if (node_is(p, SYM.expression_statement)) return USE_DISCARDED;
  if (node_is(p, SYM.await)) return USE_CONSUMED;
  if (node_is(p, SYM.list) || node_is(p, SYM.tuple) || node_is(p, SYM.list_splat)) {
    TSNode q = ts_node_parent(p); /* gather(*[...]), wait([...]) */
    if (node_is(q, SYM.argument_list) || node_is(q, SYM.list_splat)) p = node_is(q, SYM.list_splat) ? ts_node_parent(q) : q;
    else return USE_CONSUMED;
  }
  if (node_is(p, SYM.argument_list)) {
    TSNode fn = ts_node_child_by_field_id(ts_node_parent(p), SYM.f_function);
    if (name_in(ctx, fn, CONSUMERS)) return USE_CONSUMED;
    return name_in(ctx, fn, VALUE_FUNCS) ? USE_VALUE : USE_CONSUMED;
  }
  if (node_is(p, SYM.comparison_operator) || node_is(p, SYM.binary_operator) ||
      node_is(p, SYM.boolean_operator) || node_is(p, SYM.not_operator) ||
      node_is(p, SYM.interpolation) || node_is(p, SYM.if_statement) || node_is(p, SYM.while_statement))
    return USE_VALUE;
  if (node_is(p, SYM.conditional_expression)) /* a if COND else b */
    return ts_node_eq(ts_node_named_child(p, 1), e) ? USE_VALUE : use_of(ctx, p);
  if ((node_is(p, SYM.attribute) || node_is(p, SYM.subscript)) &&
      ts_node_eq(ts_node_named_child(p, 0), e))
    return USE_VALUE;
  return USE_CONSUMED;
}

typedef struct Mentions {
  RuleCtx *ctx;
  const char *name;
  uint32_t after;
  bool consumed, value, rebound;
} Mentions;

static bool mention_visit(TSNode n, void *data) {
  Mentions *m = data;
  if (m->consumed) return false;
  if (!node_is(n, SYM.identifier) || nstart(n) < m->after || !node_text_eq(m->ctx->src, n, m->name))
    return true;
  TSNode p = ts_node_parent(n);
  if (node_is(p, SYM.attribute) && !ts_node_eq(ts_node_named_child(p, 0), n)) return true;
  if (node_is(p, SYM.keyword_argument) && ts_node_eq(ts_node_child_by_field_id(p, SYM.f_name), n))
    return true;
  if ((node_is(p, SYM.assignment) || node_is(p, SYM.augmented_assignment)) &&
      ts_node_eq(ts_node_child_by_field_id(p, SYM.f_left), n)) {
    m->consumed = true; /* rebound: later mentions are another value */
    return false;
  }
  if (use_of(m->ctx, n) == USE_VALUE) m->value = true;
  else m->consumed = true;
  return true;
}

/* `x = r.get(k)`: is x ever awaited or handed on? */
static Use assigned_use(RuleCtx *ctx, const CallSite *cs, const char **name) {
  TSNode a = ts_node_parent(cs->node);
  if (!node_is(a, SYM.assignment) || !ts_node_eq(ts_node_child_by_field_id(a, SYM.f_right), cs->node))
    return USE_CONSUMED;
  TSNode left = ts_node_child_by_field_id(a, SYM.f_left);
  const Function *fn = model_function(ctx->model, cs->func);
  if (!node_is(left, SYM.identifier) || !fn) return USE_CONSUMED;
  Mentions m = {.ctx = ctx, .name = ctx_text(ctx, left), .after = nend(a)};
  node_walk(ts_node_child_by_field_id(fn->node, SYM.f_body), mention_visit, &m);
  *name = m.name;
  if (m.consumed) return USE_CONSUMED;
  return m.value ? USE_VALUE : USE_DISCARDED;
}

static void sync_in_async(RuleCtx *ctx, const CallSite *cs) {
  const Function *fn = model_function(ctx->model, cs->func);
  Finding *f = rule_report(ctx, cs->node, SEV_ERROR,
                           "sync redis client call `%s` inside `async def %s`: it blocks the "
                           "event loop for a full round trip, and every other task waits; use "
                           "redis.asyncio.Redis and await it",
                           call_short(ctx, cs), fn->name);
  size_t ml = strlen(cs->method);
  if (ml > 5 && !strcmp(cs->method + ml - 5, "_iter")) {
    /* scan_iter and friends: an iterator, each step a round trip */
    finding_fix(ctx, f, FIX_DISPLAY,
                "Use a `redis.asyncio.Redis` client and iterate with `async for x in %s.%s(...)`, "
                "or collect it in a thread: `await asyncio.to_thread(lambda: list(%s.%s(...)))`",
                cs->recv_text, cs->method, cs->recv_text, cs->method);
    return;
  }
  finding_fix(ctx, f, FIX_DISPLAY,
              "Use a `redis.asyncio.Redis` client and `await %s.%s(...)`, or run the sync call in "
              "a thread: `await asyncio.to_thread(%s.%s, ...)`",
              cs->recv_text, cs->method, cs->recv_text, cs->method);
}

static void not_awaited(RuleCtx *ctx, const CallSite *cs, Use use, const char *name) {
  bool tests = in_test_code(ctx->src, ctx->opt);
  const char *what = value_is_pipeline(cs->recv) ? "pipeline" : "client";
  Finding *f;
  if (use == USE_DISCARDED && !name)
    f = rule_report(ctx, cs->node, SEV_ERROR,
                    "`%s` on an asyncio %s is never awaited: the command is not sent "
                    "(the coroutine is discarded)%s",
                    call_short(ctx, cs), what, tests ? ", so the test does not do what it says" : "");
  else if (name)
    f = rule_report(ctx, cs->node, SEV_ERROR,
                    "`%s` on an asyncio %s is not awaited: `%s` holds a coroutine, not the "
                    "reply, and the command is never sent",
                    call_short(ctx, cs), what, name);
  else
    f = rule_report(ctx, cs->node, SEV_ERROR,
                    "`%s` on an asyncio %s is used without await: the expression sees a "
                    "coroutine, not the reply, and the command is never sent",
                    call_short(ctx, cs), what);
  if (!cs->in_async) {
    finding_fix(ctx, f, FIX_DISPLAY,
                "Await it from an `async def` (`await %s.%s(...)`), or use a sync "
                "`redis.Redis` client here",
                cs->recv_text, cs->method);
    return;
  }
  finding_fix(ctx, f, FIX_SAFE, "Await the call: `await %s.%s(...)`", cs->recv_text, cs->method);
  TSNode p = ts_node_parent(cs->node);
  bool paren = (node_is(p, SYM.attribute) || node_is(p, SYM.subscript)) &&
               ts_node_eq(ts_node_named_child(p, 0), cs->node);
  finding_edit(ctx, f, nstart(cs->node), nstart(cs->node), paren ? "(await " : "await ");
  if (paren) finding_edit(ctx, f, nend(cs->node), nend(cs->node), ")");
}

/* Does the call do I/O by itself (and, on redis.asyncio, return a
 * coroutine)? Not lock() / monitor() (they build objects), multi() (a flag
 * on the pipeline), nor commands queued on a pipeline. */
static bool sends(const CallSite *cs) {
  if (!cs->cmd || !strcmp(cs->method, "lock") || !strcmp(cs->method, "monitor") ||
      !strcmp(cs->method, "multi"))
    return false;
  if (value_is_pipeline(cs->recv))
    return !strcmp(cs->method, "execute") || !strcmp(cs->method, "watch");
  return cs->recv.kind == OBJ_CLIENT;
}

/* ---- one level down ------------------------------------------------------
 * `async def on_message(...)` calling `self.get_count(...)`, a plain `def`
 * of the file that sends a command on a sync client: the helper runs on the
 * event loop too, and blocks it for the round trip. Reported at the helper
 * call, once per call, as a warning (the helper may also run elsewhere). */

typedef struct Down {
  RuleCtx *ctx;
  const HelperNames *names;
  const size_t *first; /* per function: 1 + its first sync command, 0 none */
  int func;            /* the async def walked */
  const Function *fn;
} Down;

static bool down_visit(TSNode n, void *data) {
  Down *d = data;
  uint16_t s = nsym(n);
  if (s == SYM.function_definition || s == SYM.lambda || s == SYM.class_definition) return false;
  if (s != SYM.call) return true;
  int fi = helper_of(d->ctx, d->names, n, d->func);
  if (fi < 0 || fi == d->func || !d->first[fi]) return true;
  const Function *hf = model_function(d->ctx->model, fi);
  const CallSite *cs = model_call(d->ctx->model, d->first[fi] - 1);
  Finding *f = rule_report(d->ctx, n, SEV_WARNING,
                           "`%s()` sends a sync redis command (`%s`, line %u) and is called inside "
                           "`async def %s`: it blocks the event loop for the round trip, and every "
                           "other task waits",
                           hf->name, call_short(d->ctx, cs), line_of(d->ctx->src, nstart(cs->node)),
                           d->fn->name);
  finding_related(d->ctx, f, NULL, nstart(cs->node), nend(cs->node), "the sync command");
  finding_fix(d->ctx, f, FIX_DISPLAY,
              "Make `%s` async on a `redis.asyncio.Redis` client and await it, or run it in a "
              "thread: `await asyncio.to_thread(%s, ...)`",
              hf->name, ctx_text(d->ctx, ts_node_child_by_field_id(n, SYM.f_function)));
  return true;
}

static void helpers_in_async(RuleCtx *ctx) {
  size_t nf = model_nfunctions(ctx->model);
  bool any_async = false;
  for (size_t i = 0; i < nf && !any_async; i++) any_async = model_function(ctx->model, (int)i)->is_async;
  if (!any_async) return;
  size_t *first = xcalloc(nf + 1, sizeof(size_t));
  bool any = false;
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (cs->func < 0 || first[cs->func] || !sends(cs) || cs->recv.is_async || cs->recv.inferred ||
        in_lambda(ctx, cs))
      continue;
    if (model_function(ctx->model, cs->func)->is_async) continue; /* reported where it is */
    first[cs->func] = i + 1;
    any = true;
  }
  if (any) {
    HelperNames names = {0};
    helper_names_build(ctx, &names);
    for (size_t i = 0; i < nf; i++) {
      const Function *fn = model_function(ctx->model, (int)i);
      if (!fn->is_async) continue;
      Down d = {ctx, &names, first, (int)i, fn};
      node_walk(ts_node_child_by_field_id(fn->node, SYM.f_body), down_visit, &d);
    }
    helper_names_free(&names);
  }
  free(first);
}

/* ---- sync locks taken inside async def -----------------------------------
 * `with r.lock(name):`, `lk = r.lock(name)` then `lk.acquire()`, and
 * `Lock(r, name)` of redis.lock on a sync client, inside `async def`:
 * acquiring sends SET NX and, while another holder has the lock, sleeps in
 * time.sleep() between tries (up to blocking_timeout, or for good): the
 * whole event loop stops with it. */

/* Where the lock built by `call` is taken in function fn: the `with` of
 * it, or the first `<name>.acquire(...)` of the name it is assigned to. */
static TSNode lock_taken(RuleCtx *ctx, TSNode call, const Function *fn, MethodCalls *acquires) {
  TSNode p = ts_node_parent(call);
  if (node_is(p, SYM.as_pattern)) p = ts_node_parent(p); /* with r.lock(k) as lk: */
  if (node_is(p, SYM.with_item)) return call;
  if (!node_is(p, SYM.assignment) || !ts_node_eq(ts_node_child_by_field_id(p, SYM.f_right), call))
    return (TSNode){0};
  TSNode left = ts_node_child_by_field_id(p, SYM.f_left);
  if (!node_is(left, SYM.identifier)) return (TSNode){0};
  method_calls_index(ctx, acquires, ts_node_child_by_field_id(fn->node, SYM.f_body), "acquire");
  return method_calls_first(acquires, ctx_text(ctx, left), nend(p), NULL);
}

static void report_sync_lock(RuleCtx *ctx, TSNode at, const char *built, const Function *fn) {
  Finding *f = rule_report(ctx, at, SEV_ERROR,
                           "sync redis lock `%s` taken inside `async def %s`: acquiring sends SET NX "
                           "and, while another holder has the lock, sleeps in time.sleep() between "
                           "tries (up to blocking_timeout, or for good): the event loop stops with it",
                           built, fn->name);
  finding_fix(ctx, f, FIX_DISPLAY,
              "Take the lock of a `redis.asyncio.Redis` client with `async with client.lock(...)` "
              "(its waits are `await asyncio.sleep`), or acquire it in a thread: `await "
              "asyncio.to_thread(lock.acquire)`");
}

typedef struct LockCtor {
  RuleCtx *ctx;
  const Function *fn;
  MethodCalls *acquires;
} LockCtor;

/* `Lock(r, name)` of redis.lock, r a sync client, in an async function. */
static bool lock_ctor_visit(TSNode n, void *data) {
  LockCtor *l = data;
  RuleCtx *ctx = l->ctx;
  if (node_is(n, SYM.function_definition) || node_is(n, SYM.lambda)) return false;
  if (!node_is(n, SYM.call)) return true;
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  TSNode last = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
  if (!node_is(last, SYM.identifier) || !node_text_eq(ctx->src, last, "Lock")) return true;
  const char *qn = model_qualname(ctx->model, fn, model_scope_at(ctx->model, nstart(n)));
  if (!qn || strcmp(qn, "redis.lock.Lock")) return true;
  TSNode args = ts_node_child_by_field_id(n, SYM.f_arguments);
  TSNode client = call_arg(args, 0);
  if (ts_node_is_null(client)) client = call_kwarg(ctx->src, args, "redis");
  Value v = ts_node_is_null(client) ? (Value){0} : model_eval(ctx->model, client);
  if (v.kind != OBJ_CLIENT || v.is_async || v.inferred) return true;
  TSNode at = lock_taken(ctx, n, l->fn, l->acquires);
  if (!ts_node_is_null(at)) {
    const char *what = ctx_text(ctx, n);
    if (strlen(what) > 60 || strchr(what, '\n')) what = arena_printf(ctx->arena, "%s(...)", ctx_text(ctx, fn));
    report_sync_lock(ctx, at, what, l->fn);
  }
  return true;
}

static void sync_locks(RuleCtx *ctx) {
  MethodCalls acquires = {0}; /* `x.acquire()` of the function asked last */
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) { /* r.lock(name) */
    const CallSite *cs = model_call(ctx->model, i);
    if (!cs->in_async || strcmp(cs->method, "lock") || cs->recv.kind != OBJ_CLIENT ||
        cs->recv.is_async || cs->recv.inferred || cs->func < 0)
      continue;
    const Function *fn = model_function(ctx->model, cs->func);
    if (!fn || !fn->is_async) continue;
    TSNode at = lock_taken(ctx, cs->node, fn, &acquires);
    if (!ts_node_is_null(at)) report_sync_lock(ctx, at, call_short(ctx, cs), fn);
  }
  if (!model_imports(ctx->model, "redis")) {
    method_calls_free(&acquires);
    return;
  }
  for (size_t fi = 0; fi < model_nfunctions(ctx->model); fi++) { /* Lock(r, name) */
    const Function *fn = model_function(ctx->model, (int)fi);
    if (!fn->is_async) continue;
    LockCtor l = {ctx, fn, &acquires};
    node_walk(ts_node_child_by_field_id(fn->node, SYM.f_body), lock_ctor_visit, &l);
  }
  method_calls_free(&acquires);
}

static void check(RuleCtx *ctx) {
  bool tests = in_test_code(ctx->src, ctx->opt);
  if (!tests) helpers_in_async(ctx);
  if (!tests) sync_locks(ctx);
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (!sends(cs) || cs->awaited || in_lambda(ctx, cs)) continue;
    if (!cs->recv.is_async) {
      if (cs->in_async && !tests) sync_in_async(ctx, cs);
      continue;
    }
    if (cs->cmd->flags & CMD_ITER) continue; /* async iterators: `async for` */
    const char *name = NULL;
    Use use = use_of(ctx, cs->node);
    if (use == USE_CONSUMED && cs->func >= 0) use = assigned_use(ctx, cs, &name);
    if (use != USE_CONSUMED) not_awaited(ctx, cs, use, name);
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/sync-client-in-async.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_sync_client_in_async = {
    .check_file = check,
};
