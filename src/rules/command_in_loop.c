/* RL302 command-in-loop: a per-item client command inside a for loop or a
 * comprehension: one network round trip per item instead of one batch. */
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

#include "rule_util.h"
#include "../strset.h"

#define SMALL_LITERAL 4 /* loops over fewer literal items are not worth batching */

static bool is_loop_kind(const Loop *l) { return !node_is(l->node, SYM.while_statement); }

typedef struct PollSearch {
  RuleCtx *ctx;
  bool found;
  bool sleeps_only; /* an early return or break does not count */
} PollSearch;

static bool visit_poll(TSNode n, void *data) {
  PollSearch *q = data;
  const char *type = ts_node_type(n);
  if (!strcmp(type, "return_statement") || !strcmp(type, "break_statement")) {
    q->found = !q->sleeps_only;
  } else if (nsym(n) == SYM.call) {
    const char *qn = model_qualname(q->ctx->model, ts_node_child_by_field_id(n, SYM.f_function),
                                    model_scope_at(q->ctx->model, nstart(n)));
    q->found = qn && (!strcmp(qn, "time.sleep") || !strcmp(qn, "asyncio.sleep") ||
                      !strcmp(qn, "gevent.sleep") || !strcmp(qn, "eventlet.sleep"));
  }
  return !q->found;
}

/* `range(r.llen(k))`, `range(0, n)` with `n = r.zcard(k)`: the loop walks a
 * Redis collection by index, one LINDEX/ZRANGE per position. Leaving early
 * does not make that a search worth its round trips: one LRANGE (or LPOS,
 * ZSCORE, a companion set) answers it. */
static bool walks_redis_length(RuleCtx *ctx, const Loop *l) {
  static const char *const LENGTHS[] = {"llen", "zcard", "scard", "hlen", "xlen"};
  TSNode it = l->iterable;
  if (ts_node_is_null(it) || nsym(it) != SYM.call) return false;
  TSNode fn = ts_node_child_by_field_id(it, SYM.f_function), args = ts_node_child_by_field_id(it, SYM.f_arguments);
  if (!node_text_eq(ctx->src, fn, "range")) return false;
  uint32_t na = ts_node_named_child_count(args);
  if (na < 1 || na > 2) return false;
  int scope = model_scope_at(ctx->model, nstart(it));
  TSNode end = model_resolve(ctx->model, ts_node_named_child(args, na - 1), &scope);
  if (ts_node_is_null(end) || nsym(end) != SYM.call) return false;
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (!ts_node_eq(cs->node, end)) continue;
    for (size_t k = 0; k < sizeof LENGTHS / sizeof *LENGTHS; k++)
      if (!strcmp(cs->method, LENGTHS[k])) return true;
    return false;
  }
  return false;
}

/* Is the loop a poll or a search rather than bulk work? Its body sleeps
 * (time.sleep, asyncio.sleep) or leaves early (return, break), unless it
 * walks a Redis collection by index. */
static bool polls_or_searches(RuleCtx *ctx, const Loop *l) {
  PollSearch q = {ctx, false, walks_redis_length(ctx, l)};
  node_walk(l->node, visit_poll, &q);
  return q.found;
}

/* A cleanup call in an `except` handler of the loop body runs on the error path only. */
static bool in_except_handler(const CallSite *cs, const Loop *l) {
  for (TSNode n = ts_node_parent(cs->node); !ts_node_is_null(n) && !ts_node_eq(n, l->node);
       n = ts_node_parent(n))
    if (!strcmp(ts_node_type(n), "except_clause")) return true;
  return false;
}

typedef struct Returns {
  RuleCtx *ctx;
  TSNode body; /* the function's body: nested definitions are not its returns */
  int scope;
  bool any, big; /* a return seen; one that is not a small literal (or a yield) */
} Returns;

static bool visit_return(TSNode n, void *data) {
  Returns *q = data;
  if (nsym(n) == SYM.yield) {
    q->big = true;
  } else if (nsym(n) == SYM.return_statement) {
    /* only the function's own returns: not those of a def or lambda inside it */
    for (TSNode p = ts_node_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, q->body);
         p = ts_node_parent(p))
      if (nsym(p) == SYM.function_definition || nsym(p) == SYM.lambda) return true;
    int64_t count;
    TSNode v = ts_node_named_child(n, 0);
    q->any = true;
    q->big = ts_node_is_null(v) ||
             iterable_bound(q->ctx->model, v, q->scope, &count, SMALL_LITERAL - 1) != ITER_BOUNDED ||
             count < 0 || count >= SMALL_LITERAL;
  }
  return !q->big;
}

/* `for t in domain_types():` where `def domain_types(): return ["i2p",
 * "onion", "web"]` is a function of this module: every return is a literal
 * of fewer than 4 items (or a name bound to one), so the loop is as small as
 * a literal one. Checked before iterable_bound, whose name heuristics call a
 * `get_all_*()` unbounded. */
static bool small_helper_loop(RuleCtx *ctx, const Loop *l) {
  TSNode it = l->iterable;
  if (!node_is(it, SYM.call)) return false;
  TSNode fn = ts_node_child_by_field_id(it, SYM.f_function);
  /* sorted(domain_types()), enumerate(domain_types()) */
  static const char *const WRAP[] = {"enumerate", "sorted", "list", "tuple", "set", "reversed", NULL};
  TSNode inner = call_arg(ts_node_child_by_field_id(it, SYM.f_arguments), 0);
  for (size_t i = 0; WRAP[i] && node_is(fn, SYM.identifier) && node_is(inner, SYM.call); i++)
    if (node_text_eq(ctx->src, fn, WRAP[i])) {
      it = inner;
      fn = ts_node_child_by_field_id(it, SYM.f_function);
      break;
    }
  if (!node_is(fn, SYM.identifier)) return false;
  const char *name = ctx_text(ctx, fn);
  /* a local or a parameter of that name is not the module's function */
  int scope = model_scope_at(ctx->model, nstart(it));
  Reaching rc = model_reaching(ctx->model, scope, name, strlen(name), nstart(it));
  if (rc.found && rc.value) return false;
  const char *params[32];
  size_t np = func_params(ctx, l->func, params, 32);
  for (size_t i = 0; i < np; i++)
    if (!strcmp(params[i], name)) return false;
  bool seen = false;
  for (size_t fi = 0; fi < model_nfunctions(ctx->model); fi++) {
    const Function *f = model_function(ctx->model, (int)fi);
    if (f->parent != -1 || f->cls != -1 || strcmp(f->name, name)) continue;
    /* every definition of that name (a module may define it twice, under an `if`) */
    Returns q = {ctx, ts_node_child_by_field_id(f->node, SYM.f_body), f->scope, false, false};
    node_walk(q.body, visit_return, &q);
    if (!q.any || q.big) return false;
    seen = true;
  }
  return seen;
}

static bool small_literal_loop(RuleCtx *ctx, const CallSite *cs, const Loop *l) {
  int64_t count;
  if (small_helper_loop(ctx, l)) return true;
  TSNode it = l->iterable;
  /* `for i in range(len(attrs)):` walks as many items as attrs has */
  if (node_is(it, SYM.call) &&
      node_text_eq(ctx->src, ts_node_child_by_field_id(it, SYM.f_function), "range")) {
    TSNode args = ts_node_child_by_field_id(it, SYM.f_arguments), n = call_arg(args, 0);
    if (call_npositional(args) == 1 && node_is(n, SYM.call) &&
        node_text_eq(ctx->src, ts_node_child_by_field_id(n, SYM.f_function), "len") &&
        call_npositional(ts_node_child_by_field_id(n, SYM.f_arguments)) == 1)
      it = call_arg(ts_node_child_by_field_id(n, SYM.f_arguments), 0);
  }
  IterBound b = iterable_bound(ctx->model, it, cs->scope, &count, SMALL_LITERAL - 1);
  return b == ITER_BOUNDED && count >= 0 && count < SMALL_LITERAL;
}

/* delete(k) / unlink(k) / exists(k) / touch(k) with one key: per item. A
 * multi-key command given a list or several keys batches (mget(chunk)). */
static bool single_key_call(const CallSite *cs) {
  static const char *const VARIADIC[] = {"delete", "unlink", "exists", "touch", NULL};
  if (call_method_in(cs, VARIADIC))
    return call_npositional(cs->args) == 1 && !call_has_splat(cs->args);
  /* sinter(keys[i]), sunion(f"tags:{t}"), mget("k"): commands that also take
   * a list as their one argument, given one key (an item, a string): a
   * SMEMBERS (a GET) per item, the set algebra done in Python */
  static const char *const LISTY[] = {"sinter", "sunion", "sdiff", "mget", NULL};
  if (!call_method_in(cs, LISTY) || call_npositional(cs->args) != 1 || call_has_splat(cs->args))
    return false;
  TSNode a = call_arg(cs->args, 0);
  return node_is(a, SYM.subscript) || node_is(a, SYM.string) || node_is(a, SYM.concatenated_string);
}

/* `for idx, keys in shards: conn = self.connection(idx); conn.eval(...)`:
 * the receiver is bound again inside the loop, a connection per item (a
 * shard, a server): each iteration already sends to its own server, and a
 * pipeline cannot span them. */
static bool receiver_rebound(RuleCtx *ctx, const CallSite *cs, const Loop *l) {
  TSNode fn = ts_node_child_by_field_id(cs->node, SYM.f_function);
  TSNode obj = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_object) : fn;
  if (!node_is(obj, SYM.identifier)) return false;
  const char *name = ctx_text(ctx, obj);
  Reaching rc = model_reaching(ctx->model, cs->scope, name, strlen(name), nstart(cs->node));
  /* rebound from the item (`self.connection(idx)`): another server each time;
     a client rebuilt the same way every time is the same server (RL401's) */
  return rc.found && rc.value && !rc.param && nstart(rc.expr) > nstart(l->node) &&
         nend(rc.expr) <= nstart(cs->node) && mentions_loop_target(ctx->model, l, rc.expr);
}

/* Items that arrive over time: `as_completed(futures)`, `pubsub.listen()`,
 * a generator of events. Each command answers one arrival (a progress
 * event a UI polls); a pipeline would hold them until the last one. */
static bool arrives_over_time(RuleCtx *ctx, const Loop *l) {
  if (ts_node_is_null(l->iterable) || !node_is(l->iterable, SYM.call)) return false;
  TSNode fn = ts_node_child_by_field_id(l->iterable, SYM.f_function);
  TSNode name = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
  static const char *const LIVE[] = {"as_completed", "listen", "imap_unordered", "watch", NULL};
  for (size_t i = 0; LIVE[i]; i++)
    if (node_text_eq(ctx->src, name, LIVE[i])) return true;
  return false;
}

/* `for offset in range(0, n, chunk):` walks in chunks: each iteration
 * already reads or writes a batch (LRANGE offset..offset+chunk-1), which is
 * how a big list is read without one huge reply. */
static bool chunked_range(RuleCtx *ctx, const Loop *l) {
  TSNode iter = l->iterable;
  if (ts_node_is_null(iter) || !node_is(iter, SYM.call)) return false;
  /* enumerate(backup.iter_batches()): what it numbers */
  TSNode efn = ts_node_child_by_field_id(iter, SYM.f_function);
  TSNode inner = call_arg(ts_node_child_by_field_id(iter, SYM.f_arguments), 0);
  if (node_is(efn, SYM.identifier) && node_text_eq(ctx->src, efn, "enumerate") && node_is(inner, SYM.call))
    iter = inner;
  /* `for keys in iter_chunks(...)`, `for batch in batched(ids, 100)`: each
     item is already a batch */
  const char *it = ctx_text(ctx, ts_node_child_by_field_id(iter, SYM.f_function));
  if (strstr(it, "chunk") || strstr(it, "batch")) return true;
  TSNode fn = ts_node_child_by_field_id(iter, SYM.f_function);
  TSNode args = ts_node_child_by_field_id(iter, SYM.f_arguments);
  return node_is(fn, SYM.identifier) && node_text_eq(ctx->src, fn, "range") &&
         call_npositional(args) == 3;
}

/* An inferred client that is a pipeline after all: the function calls
 * `.execute()` on the same receiver, or binds it from an expression that
 * names a pipeline (`conn = pipeline if pipeline is not None else
 * worker.connection`, `conn = self.redis.pipeline()`). */
static bool inferred_pipeline(RuleCtx *ctx, const CallSite *cs, const StrSet *executed) {
  if (!cs->recv.inferred) return false;
  const char *k = arena_printf(ctx->arena, "%d\x02%s", cs->func, cs->recv_text);
  if (strset_has(executed, k, strlen(k))) return true;
  if (!node_is(cs->receiver, SYM.identifier)) return false;
  const char *name = ctx_text(ctx, cs->receiver);
  Reaching rc = model_reaching(ctx->model, cs->scope, name, strlen(name), nstart(cs->node));
  if (!rc.found || !rc.value || ts_node_is_null(rc.expr)) return false;
  const char *t = ctx_text(ctx, rc.expr);
  return strstr(t, "pipeline") != NULL || strstr(t, "pipe") != NULL;
}

/* ---- Per-item commands that follow something else per item ---------------- */

static bool is_if(TSNode n);

/* What the file says once, asked per loop: the first own `yield` of each
 * loop's body, and the calls that talk to another network service. */
typedef struct Facts {
  uint32_t *yield_at; /* by loop index: end of the first own yield; 0 not asked, UINT32_MAX none */
  TSNode *net;        /* calls to another network service, in source order */
  size_t nnet, capnet;
  uint8_t *param;     /* by loop index: ParamVerdict + 1; 0 not asked */
  struct FuncRefs *refs; /* mentions of the module-level functions, gathered when first asked */
  StrSet param_seen;     /* "func\x02name\x02verdict" of each (function, parameter) worked out */
  StrSet passed;         /* names handed to a call as an argument (`f(cb)`, `f(self.cb)`) */
  bool passed_done;      /* ... gathered (once, when first asked) */
  /* by loop index: where its body's first call that is not a Redis command
     starts ([0]: any call, [1]: a method of an object, not of a module),
     + 1; 0 not asked, UINT32_MAX none (acks_after_processing) */
  uint32_t *first_other[2];
} Facts;

/* Names handed to a call as an argument: `helper(_delete_many, x)`,
 * `run(fn=self._flush)` (the attribute's name), gathered in one walk. */
static bool visit_passed(TSNode n, void *data) {
  RuleCtx **cx = data;
  RuleCtx *ctx = cx[0];
  Facts *fx = (Facts *)cx[1];
  if (!node_is(n, SYM.argument_list)) return true;
  for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
    TSNode v = ts_node_named_child(n, i);
    if (node_is(v, SYM.keyword_argument)) v = ts_node_child_by_field_id(v, SYM.f_value);
    if (node_is(v, SYM.attribute)) v = ts_node_child_by_field_id(v, SYM.f_attribute);
    if (node_is(v, SYM.identifier))
      strset_add(&fx->passed, ctx->src->text + nstart(v), nend(v) - nstart(v));
  }
  return true;
}

/* Is function fi handed to a call as a value (`self._pipeline_if_needed(
 * _delete_many, fields)`, `run(self._flush)`)? Its parameters get what that
 * call passes, which this file does not show: a pipeline helper hands its
 * callback a pipeline. */
static bool passed_as_value(RuleCtx *ctx, Facts *fx, int fi) {
  if (!fx->passed_done) {
    fx->passed_done = true;
    void *cx[2] = {ctx, fx};
    node_walk(model_root(ctx->model), visit_passed, cx);
  }
  const Function *f = model_function(ctx->model, fi);
  return f->name && strset_has(&fx->passed, f->name, strlen(f->name));
}

/* An inferred receiver that is a parameter of a callback (passed as a
 * value, never called here): what the helper calling it passes decides. */
static bool callback_receiver(RuleCtx *ctx, const CallSite *cs, Facts *fx) {
  if (!cs->recv.inferred || cs->func < 0 || !node_is(cs->receiver, SYM.identifier)) return false;
  const Function *f = model_function(ctx->model, cs->func);
  TSNode params = ts_node_child_by_field_id(f->node, SYM.f_parameters);
  bool param = false;
  for (uint32_t i = 0; i < ts_node_named_child_count(params) && !param; i++) {
    TSNode p = ts_node_named_child(params, i);
    if (!node_is(p, SYM.identifier)) p = ts_node_child_by_field_id(p, SYM.f_name);
    if (node_is(p, SYM.identifier) && same_expr_text(ctx, p, cs->receiver)) param = true;
    if (node_is(ts_node_named_child(params, i), SYM.typed_parameter) &&
        same_expr_text(ctx, ts_node_named_child(ts_node_named_child(params, i), 0), cs->receiver))
      param = true;
  }
  return param && passed_as_value(ctx, fx, cs->func);
}

typedef struct YieldSearch {
  TSNode loop;
  uint32_t at;
} YieldSearch;

static bool visit_yield(TSNode n, void *data) {
  YieldSearch *q = data;
  if (nsym(n) != SYM.yield) return true;
  /* the loop's own: not a yield of a def or lambda inside it */
  for (TSNode p = ts_node_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, q->loop);
       p = ts_node_parent(p))
    if (nsym(p) == SYM.function_definition || nsym(p) == SYM.lambda) return true;
  q->at = nend(n);
  return false;
}

/* Where the first `yield` of a for loop's body ends, or UINT32_MAX. */
static uint32_t loop_yield_at(Facts *fx, int li, const Loop *l) {
  if (!fx->yield_at[li]) {
    YieldSearch q = {l->node, UINT32_MAX};
    if (node_is(l->node, SYM.for_statement))
      node_walk(ts_node_child_by_field_id(l->node, SYM.f_body), visit_yield, &q);
    fx->yield_at[li] = q.at; /* never 0: a yield ends inside the loop */
  }
  return fx->yield_at[li];
}

/* A generator that hands each item to its caller (`yield fields`) and then
 * acknowledges it (`xack`), or claims it (`xclaim`) right before: each
 * command follows the consumer's work on one item. Batching would ack items
 * not yet processed, or claim items that then wait: the per-item commands
 * are the delivery design. A command after the loop's yield, or any write,
 * is exempt; a read whose reply is yielded (`yield r.hgetall(k)`) still
 * batches. */
static bool around_yield(Facts *fx, const CallSite *cs, const Loop *l) {
  uint32_t at = loop_yield_at(fx, cs->loop, l);
  return at != UINT32_MAX && ((cs->cmd->flags & CMD_WRITE) || nstart(cs->node) >= at);
}

/* A constant a loop counter can equal: `1`, `-1`, `"admin"`, `None`. */
static bool is_constant(TSNode n) {
  if (node_is(n, SYM.unary_operator)) n = ts_node_named_child(n, 0);
  if (node_is(n, SYM.string)) {
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
      if (node_is(ts_node_named_child(n, i), SYM.interpolation)) return false;
    return true;
  }
  return node_is(n, SYM.integer) || node_is(n, SYM.float_) || node_is(n, SYM.true_) ||
         node_is(n, SYM.false_) || node_is(n, SYM.none);
}

/* Is `id` one of the names the loop's target binds (`i` of `for i, w in
 * enumerate(ws)`)? */
static bool is_target_name(RuleCtx *ctx, TSNode target, TSNode id, int depth) {
  if (ts_node_is_null(target) || depth > 8) return false;
  if (node_is(target, SYM.identifier)) return node_same_text(ctx->src, target, id);
  for (uint32_t i = 0; i < ts_node_named_child_count(target); i++)
    if (is_target_name(ctx, ts_node_named_child(target, i), id, depth + 1)) return true;
  return false;
}

/* `i == 1`, `1 == i`, `i == 1 and not w.disabled`: the condition holds for
 * one value of a loop target. */
static bool target_equals_constant(RuleCtx *ctx, const Loop *l, TSNode cond) {
  while (node_is(cond, SYM.parenthesized_expression)) cond = ts_node_named_child(cond, 0);
  if (node_is(cond, SYM.boolean_operator)) {
    TSNode op = ts_node_child_by_field_id(cond, SYM.f_operator);
    return node_text_eq(ctx->src, op, "and") &&
           (target_equals_constant(ctx, l, ts_node_child_by_field_id(cond, SYM.f_left)) ||
            target_equals_constant(ctx, l, ts_node_child_by_field_id(cond, SYM.f_right)));
  }
  if (!node_is(cond, SYM.comparison_operator) || ts_node_named_child_count(cond) != 2 ||
      ts_node_child_count(cond) != 3 || strcmp(ts_node_type(ts_node_child(cond, 1)), "=="))
    return false;
  TSNode a = ts_node_named_child(cond, 0), b = ts_node_named_child(cond, 1);
  return (node_is(a, SYM.identifier) && is_target_name(ctx, l->target, a, 0) && is_constant(b)) ||
         (node_is(b, SYM.identifier) && is_target_name(ctx, l->target, b, 0) && is_constant(a));
}

/* `for i in range(1, replicas + 1): ... if i == 1: r.sadd("enabled", m)`:
 * the command runs in the `if` (or `elif`) branch of a test that a loop
 * target equals a constant: on one iteration, not once per item. The
 * `else` branch of such a test runs for the others, and is reported. */
static bool runs_once(RuleCtx *ctx, const CallSite *cs, const Loop *l) {
  if (!node_is(l->node, SYM.for_statement)) return false;
  for (TSNode c = cs->node, p = ts_node_parent(c); !ts_node_is_null(p) && !ts_node_eq(p, l->node);
       c = p, p = ts_node_parent(p)) {
    if (!is_if(p) || !ts_node_eq(ts_node_child_by_field_id(p, SYM.f_consequence), c)) continue;
    if (target_equals_constant(ctx, l, ts_node_child_by_field_id(p, SYM.f_condition))) return true;
  }
  return false;
}

/* Calls that talk to another network service, proven by name: a function
 * of an HTTP library, a client whose construction connects (SMTP, IMAP,
 * POP3, FTP), or a method of a client object built in this file. Bare
 * `.get(`/`.post(` on an unknown object is not evidence. */
static const char *const NET_FUNCS[] = {
    "requests.get", "requests.post", "requests.put", "requests.patch", "requests.delete",
    "requests.head", "requests.options", "requests.request", "httpx.get", "httpx.post",
    "httpx.put", "httpx.patch", "httpx.delete", "httpx.head", "httpx.options", "httpx.request",
    "httpx.stream", "urllib.request.urlopen", "urllib2.urlopen", "urllib.urlopen",
    "aiohttp.request", "socket.create_connection", "urllib.request.urlretrieve",
    /* feedparser.parse(url) downloads the feed */
    "feedparser.parse", NULL};
/* constructions that connect */
static const char *const NET_CONNECT[] = {
    "smtplib.SMTP", "smtplib.SMTP_SSL", "smtplib.LMTP", "imaplib.IMAP4", "imaplib.IMAP4_SSL",
    "poplib.POP3", "poplib.POP3_SSL", "ftplib.FTP", "ftplib.FTP_TLS", "imapclient.IMAPClient",
    "imapclient.imapclient.IMAPClient", NULL};
/* constructions whose methods send requests */
static const char *const NET_CLIENTS[] = {
    "requests.Session", "requests.session", "requests.sessions.Session", "httpx.Client",
    "httpx.AsyncClient", "aiohttp.ClientSession", "urllib3.PoolManager",
    "http.client.HTTPConnection", "http.client.HTTPSConnection", "pymisp.PyMISP",
    "pymisp.ExpandedPyMISP",
    /* cloud and model APIs: every method call is an HTTPS request (an
       embedding or a completion takes hundreds of milliseconds) */
    "boto3.client", "boto3.resource", "openai.OpenAI", "openai.AsyncOpenAI",
    "openai.AzureOpenAI", "openai.AsyncAzureOpenAI", "anthropic.Anthropic",
    "anthropic.AsyncAnthropic", "langchain_aws.BedrockEmbeddings", "langchain_aws.ChatBedrock",
    "langchain_openai.OpenAIEmbeddings", "langchain_openai.ChatOpenAI",
    "langchain_openai.AzureOpenAIEmbeddings", NULL};
static const char *const NET_MODULES[] = {"requests", "httpx", "urllib", "urllib2", "urllib3",
                                          "aiohttp", "smtplib", "imaplib", "poplib", "ftplib",
                                          "imapclient", "pymisp", "http", "socket", "boto3",
                                          "openai", "anthropic", "langchain_aws",
                                          "langchain_openai", "feedparser", NULL};

static bool str_in(const char *s, const char *const *list) {
  for (size_t i = 0; s && list[i]; i++)
    if (!strcmp(s, list[i])) return true;
  return false;
}

/* Does a call build a network client (`smtplib.SMTP(host)`, `requests.Session()`)? */
static bool builds_net_client(RuleCtx *ctx, TSNode call) {
  if (!node_is(call, SYM.call)) return false;
  const char *qn = model_qualname(ctx->model, ts_node_child_by_field_id(call, SYM.f_function),
                                  model_scope_at(ctx->model, nstart(call)));
  return str_in(qn, NET_CONNECT) || str_in(qn, NET_CLIENTS);
}

typedef struct NetGather {
  RuleCtx *ctx;
  Facts *fx;
  StrSet bound; /* "scope\x02name" of `with SMTP(...) as name`; "self.attr" of `self.attr = PyMISP(...)` */
} NetGather;

static bool visit_net_binding(TSNode n, void *data) {
  NetGather *g = data;
  RuleCtx *ctx = g->ctx;
  if (node_is(n, SYM.as_pattern) && node_is(ts_node_parent(n), SYM.with_item) &&
      builds_net_client(ctx, ts_node_named_child(n, 0))) {
    TSNode alias = ts_node_child_by_field_id(n, SYM.f_alias);
    if (node_is(alias, SYM.as_pattern_target)) alias = ts_node_named_child(alias, 0);
    if (node_is(alias, SYM.identifier)) {
      const char *k = arena_printf(ctx->arena, "%d\x02%s", model_scope_at(ctx->model, nstart(n)),
                                   ctx_text(ctx, alias));
      strset_add(&g->bound, k, strlen(k));
    }
  } else if (node_is(n, SYM.assignment) &&
             node_is(ts_node_child_by_field_id(n, SYM.f_left), SYM.attribute) &&
             builds_net_client(ctx, ts_node_child_by_field_id(n, SYM.f_right))) {
    const char *k = ctx_text(ctx, ts_node_child_by_field_id(n, SYM.f_left));
    strset_add(&g->bound, k, strlen(k));
  }
  return true;
}

/* Is the object a network client: a name assigned or `with`-bound from a
 * construction of one, or `self.misp` assigned `PyMISP(...)` in this file? */
static bool net_client_object(NetGather *g, TSNode obj) {
  RuleCtx *ctx = g->ctx;
  const char *t = ctx_text(ctx, obj);
  if (node_is(obj, SYM.attribute)) return strset_has(&g->bound, t, strlen(t));
  if (!node_is(obj, SYM.identifier)) return false;
  int scope = model_scope_at(ctx->model, nstart(obj));
  Reaching rc = model_reaching(ctx->model, scope, t, strlen(t), nstart(obj));
  if (rc.found && rc.value && !rc.param) return builds_net_client(ctx, rc.expr);
  const char *k = arena_printf(ctx->arena, "%d\x02%s", scope, t);
  return strset_has(&g->bound, k, strlen(k));
}

static bool visit_net_call(TSNode n, void *data) {
  NetGather *g = data;
  RuleCtx *ctx = g->ctx;
  if (!node_is(n, SYM.call)) return true;
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  const char *qn = model_qualname(ctx->model, fn, model_scope_at(ctx->model, nstart(n)));
  bool net = str_in(qn, NET_FUNCS) || str_in(qn, NET_CONNECT);
  if (!net && node_is(fn, SYM.attribute)) {
    /* client.add_flags(uid, ...), smtp.send_message(m), self.misp.add_event(e) */
    static const char *const LOCAL[] = {"close", "mount", "prepare_request", "build_request", NULL};
    TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
    net = !str_in(ctx_text(ctx, attr), LOCAL) &&
          net_client_object(g, ts_node_child_by_field_id(fn, SYM.f_object));
  }
  if (net) {
    Facts *fx = g->fx;
    if (fx->nnet == fx->capnet)
      fx->net = xrealloc(fx->net, (fx->capnet = fx->capnet ? 2 * fx->capnet : 16) * sizeof(TSNode));
    fx->net[fx->nnet++] = n; /* a pre-order walk: in source order */
  }
  return true;
}

static int by_start(const void *a, const void *b) {
  uint32_t x = nstart(*(const TSNode *)a), y = nstart(*(const TSNode *)b);
  return (x > y) - (x < y);
}

/* Calls of the file's own helpers that talk to another service: `fetch(x)`
 * of a module-level function, `self.fetch_item(x)` of a method of the
 * enclosing class, whose body makes one of the calls above (one level). */
typedef struct NetHelpers {
  RuleCtx *ctx;
  Facts *fx;
  StrSet talks; /* "cls\x02name" of the functions that talk (cls -1: module level) */
  size_t added;
} NetHelpers;

static bool visit_helper_call(TSNode n, void *data) {
  NetHelpers *h = data;
  RuleCtx *ctx = h->ctx;
  if (!node_is(n, SYM.call)) return true;
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function), name = fn;
  int cls = -1;
  if (node_is(fn, SYM.attribute)) {
    TSNode obj = ts_node_child_by_field_id(fn, SYM.f_object);
    int here = model_func_at(ctx->model, nstart(n));
    const Function *cur = here >= 0 ? model_function(ctx->model, here) : NULL;
    if (!cur || cur->cls < 0 || !node_is(obj, SYM.identifier) ||
        !(node_text_eq(ctx->src, obj, "self") || node_text_eq(ctx->src, obj, "cls")))
      return true;
    cls = cur->cls;
    name = ts_node_child_by_field_id(fn, SYM.f_attribute);
  } else if (!node_is(fn, SYM.identifier)) {
    return true;
  }
  const char *k = arena_printf(ctx->arena, "%d\x02%s", cls, ctx_text(ctx, name));
  if (!strset_has(&h->talks, k, strlen(k))) return true;
  Facts *fx = h->fx;
  if (fx->nnet == fx->capnet)
    fx->net = xrealloc(fx->net, (fx->capnet = fx->capnet ? 2 * fx->capnet : 16) * sizeof(TSNode));
  fx->net[fx->nnet++] = n;
  h->added++;
  return true;
}

static size_t net_from(const Facts *fx, uint32_t start);

static void net_helpers(RuleCtx *ctx, Facts *fx) {
  size_t nf = model_nfunctions(ctx->model);
  if (!fx->nnet || !nf) return;
  NetHelpers h = {ctx, fx, {0}, 0};
  for (size_t fi = 0; fi < nf; fi++) {
    const Function *g = model_function(ctx->model, (int)fi);
    size_t k = net_from(fx, nstart(g->node));
    if (!g->name || (g->cls < 0 && g->parent >= 0) || k >= fx->nnet || nstart(fx->net[k]) >= nend(g->node))
      continue;
    const char *key = arena_printf(ctx->arena, "%d\x02%s", g->cls, g->name);
    strset_add(&h.talks, key, strlen(key));
  }
  if (h.talks.n) node_walk(model_root(ctx->model), visit_helper_call, &h);
  if (h.added) qsort(fx->net, fx->nnet, sizeof(TSNode), by_start);
  strset_free(&h.talks);
}

static void net_gather(RuleCtx *ctx, Facts *fx) {
  bool any = false;
  for (size_t i = 0; NET_MODULES[i] && !any; i++) any = model_imports(ctx->model, NET_MODULES[i]);
  if (!any) return;
  NetGather g = {ctx, fx, {0}};
  node_walk(model_root(ctx->model), visit_net_binding, &g);
  node_walk(model_root(ctx->model), visit_net_call, &g);
  strset_free(&g.bound);
  net_helpers(ctx, fx);
}

/* Does the step from child c to its parent p keep c's code running
 * whenever p runs (no branch, loop, handler or nested definition)? */
static bool step_unconditional(TSNode c, TSNode p) {
  uint16_t s = nsym(p);
  if (s == SYM.if_statement) return ts_node_eq(ts_node_child_by_field_id(p, SYM.f_condition), c);
  if (s == SYM.boolean_operator) return ts_node_eq(ts_node_child_by_field_id(p, SYM.f_left), c);
  if (s == SYM.for_statement) return ts_node_eq(ts_node_child_by_field_id(p, SYM.f_right), c);
  static const char *const BRANCH[] = {"elif_clause", "else_clause", "except_clause", "case_clause",
                                       "match_statement", "conditional_expression", "lambda",
                                       "function_definition", "class_definition", "while_statement",
                                       "list_comprehension", "set_comprehension", "dictionary_comprehension",
                                       "generator_expression", NULL};
  return !str_in(ts_node_type(p), BRANCH);
}

/* Does network call e run in the iteration before command c on every path
 * to c (c null: on every iteration that gets that far)? Up from e: a step
 * into a branch stops it; a block (or any construct) holding c after e's
 * part, or c's own arguments, means e came first. */
static bool net_runs_before(TSNode e, TSNode c, TSNode body) {
  for (TSNode k = e, p = ts_node_parent(e); !ts_node_is_null(p); k = p, p = ts_node_parent(p)) {
    if (!step_unconditional(k, p)) return false;
    if (!ts_node_is_null(c) && (ts_node_eq(p, c) || (nstart(c) >= nend(k) && nend(c) <= nend(p))))
      return true;
    if (ts_node_eq(p, body)) return ts_node_is_null(c);
  }
  return false;
}

/* The network calls inside [start, end): an index range of fx->net. */
static size_t net_from(const Facts *fx, uint32_t start) {
  size_t lo = 0, hi = fx->nnet;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (nstart(fx->net[mid]) < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* `for rid in r.zscan_iter(done): resp = requests.post(api, ...); ...
 * r.hset(k, "remote", resp.json()["id"])`: each iteration talks to another
 * service over the network (HTTP, SMTP, IMAP, a REST client), proven by the
 * call's name. Its round trip, often tens of milliseconds, dwarfs Redis's,
 * and the commands follow from its reply: batching them saves little and
 * needs the loop restructured. With c, is c behind such a call in its
 * iteration; with c null, does every iteration make one? */
static bool behind_network(const Facts *fx, const Loop *l, TSNode c) {
  if (!fx->nnet || !node_is(l->node, SYM.for_statement)) return false;
  TSNode body = ts_node_child_by_field_id(l->node, SYM.f_body);
  for (size_t i = net_from(fx, nstart(body)); i < fx->nnet && nstart(fx->net[i]) < nend(body); i++)
    if (net_runs_before(fx->net[i], c, body)) return true;
  return false;
}

/* ---- A loop over a parameter: what the project's callers pass ----------- */

/* `def create_events(e_array): for e in e_array: r.set(...)` called only as
 * `create_events(__events__)`, `__events__` a literal of 3 items, or
 * `def index(obj, attrs=FACETS)` whose callers never pass attrs: the loop is
 * as small as one over the literal itself. One pass over the file collects
 * every mention of a module-level function's name; each question is then a
 * binary search. */
typedef struct FuncMention {
  const char *name; /* arena text of the identifier */
  TSNode node;
} FuncMention;

typedef struct FuncRefs {
  bool done;
  FuncMention *v;
  size_t n, cap;
} FuncRefs;

typedef enum { PARAM_NA = 0, PARAM_SMALL, PARAM_BIG } ParamVerdict;

typedef struct RefGather {
  RuleCtx *ctx;
  StrSet funcs; /* names of the module-level functions */
  FuncRefs *out;
} RefGather;

static bool visit_func_ref(TSNode n, void *data) {
  RefGather *g = data;
  if (!node_is(n, SYM.identifier)) return true;
  const char *t = g->ctx->src->text + nstart(n);
  size_t len = nend(n) - nstart(n);
  if (!strset_has(&g->funcs, t, len)) return true;
  TSNode up = ts_node_parent(n);
  /* the def itself, `obj.name`, a keyword's name: not the function */
  if ((node_is(up, SYM.function_definition) && ts_node_eq(ts_node_child_by_field_id(up, SYM.f_name), n)) ||
      (node_is(up, SYM.attribute) && ts_node_eq(ts_node_child_by_field_id(up, SYM.f_attribute), n)) ||
      (node_is(up, SYM.keyword_argument) && ts_node_eq(ts_node_child_by_field_id(up, SYM.f_name), n)))
    return true;
  FuncRefs *r = g->out;
  if (r->n == r->cap) r->v = xrealloc(r->v, (r->cap = r->cap ? 2 * r->cap : 16) * sizeof *r->v);
  r->v[r->n++] = (FuncMention){ctx_text(g->ctx, n), n};
  return true;
}

static int cmp_mention(const void *a, const void *b) {
  const FuncMention *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  return c ? c : (nstart(x->node) > nstart(y->node)) - (nstart(x->node) < nstart(y->node));
}

static void refs_gather(RuleCtx *ctx, FuncRefs *r) {
  r->done = true;
  RefGather g = {ctx, {0}, r};
  for (size_t fi = 0; fi < model_nfunctions(ctx->model); fi++) {
    const Function *f = model_function(ctx->model, (int)fi);
    if (f->name && f->cls < 0 && f->parent < 0) strset_add(&g.funcs, f->name, strlen(f->name));
  }
  if (g.funcs.n) node_walk(model_root(ctx->model), visit_func_ref, &g);
  strset_free(&g.funcs);
  if (r->n > 1) qsort(r->v, r->n, sizeof *r->v, cmp_mention);
}

/* The name a loop walks, through `range(len(x))`, `enumerate(x)`,
 * `sorted(x)`, `x.items()`: x, or a null node. */
static TSNode walked_name(RuleCtx *ctx, TSNode it) {
  static const char *const WRAP[] = {"enumerate", "sorted", "list",  "tuple", "set",
                                     "reversed",  "len",    "range", NULL};
  for (int depth = 0; depth < 4 && node_is(it, SYM.call); depth++) {
    TSNode fn = ts_node_child_by_field_id(it, SYM.f_function);
    TSNode args = ts_node_child_by_field_id(it, SYM.f_arguments);
    if (node_is(fn, SYM.attribute)) { /* x.items(), x.values(), x.keys() */
      TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
      if (call_npositional(args) || !(node_text_eq(ctx->src, attr, "items") ||
                                       node_text_eq(ctx->src, attr, "values") ||
                                       node_text_eq(ctx->src, attr, "keys")))
        return (TSNode){0};
      it = ts_node_child_by_field_id(fn, SYM.f_object);
      continue;
    }
    bool wrap = false;
    for (size_t i = 0; WRAP[i] && !wrap; i++)
      wrap = node_is(fn, SYM.identifier) && node_text_eq(ctx->src, fn, WRAP[i]);
    /* range(len(x)) only: range(n) counts, it walks nothing */
    uint32_t npos = call_npositional(args);
    if (!wrap || !(npos == 1 || (npos == 2 && node_text_eq(ctx->src, fn, "enumerate"))) ||
        call_has_splat(args) ||
        (node_text_eq(ctx->src, fn, "range") && !node_is(call_arg(args, 0), SYM.call)))
      return (TSNode){0};
    it = call_arg(args, 0);
    if (node_text_eq(ctx->src, fn, "range") &&
        !node_text_eq(ctx->src, ts_node_child_by_field_id(it, SYM.f_function), "len"))
      return (TSNode){0};
  }
  return node_is(it, SYM.identifier) ? it : (TSNode){0};
}

/* Does the function body bind `name` again or grow it (`name = ...`, `for
 * name in`, `name += ...`, `name.append(...)`, `name[k] = v`)? Then what the
 * callers pass is not what the loop walks. */
typedef struct Rebind {
  RuleCtx *ctx;
  const char *name;
  bool found;
} Rebind;

static bool visit_rebind(TSNode n, void *data) {
  Rebind *q = data;
  if (!node_is(n, SYM.identifier) || !node_text_eq(q->ctx->src, n, q->name)) return !q->found;
  TSNode up = ts_node_parent(n);
  uint16_t s = nsym(up);
  if (s == SYM.attribute && ts_node_eq(ts_node_child_by_field_id(up, SYM.f_object), n)) {
    static const char *const GROW[] = {"append", "extend", "insert", "add", "update", "setdefault", NULL};
    TSNode attr = ts_node_child_by_field_id(up, SYM.f_attribute);
    q->found = str_in(ctx_text(q->ctx, attr), GROW);
    return !q->found;
  }
  if (s == SYM.subscript) { /* name[k] = v, name[k] += v */
    TSNode st = ts_node_parent(up);
    q->found = (node_is(st, SYM.assignment) || node_is(st, SYM.augmented_assignment)) &&
               ts_node_eq(ts_node_child_by_field_id(st, SYM.f_left), up);
    return !q->found;
  }
  /* a binding position: the left of an assignment or for, an alias, a
     walrus, `global`/`nonlocal`/`del` (in a pattern or directly) */
  for (TSNode c = n, p = up; !ts_node_is_null(p); c = p, p = ts_node_parent(p)) {
    uint16_t ps = nsym(p);
    if (ps == SYM.pattern_list || ps == SYM.tuple_pattern || ps == SYM.list_splat_pattern ||
        !strcmp(ts_node_type(p), "list_pattern"))
      continue;
    if (ps == SYM.assignment || ps == SYM.augmented_assignment || ps == SYM.for_statement ||
        !strcmp(ts_node_type(p), "for_in_clause"))
      q->found = ts_node_eq(ts_node_child_by_field_id(p, SYM.f_left), c);
    else if (ps == SYM.as_pattern_target || ps == SYM.named_expression || ps == SYM.global_statement ||
             ps == SYM.delete_statement || !strcmp(ts_node_type(p), "nonlocal_statement"))
      q->found = true;
    break;
  }
  return !q->found;
}

/* Is the argument a small literal (fewer than 4 items), directly or through
 * a name bound to one? A parameter of the caller is not followed. */
static bool small_argument(RuleCtx *ctx, TSNode arg, int scope) {
  if (node_is(arg, SYM.identifier)) {
    const char *t = ctx_text(ctx, arg);
    Reaching rc = model_reaching(ctx->model, scope, t, strlen(t), nstart(arg));
    if (!rc.found || !rc.value || rc.param) return false;
  }
  int64_t count;
  return iterable_bound(ctx->model, arg, scope, &count, SMALL_LITERAL - 1) == ITER_BOUNDED &&
         count >= 0 && count < SMALL_LITERAL;
}

/* What a call of the function passes for parameter `name` (positional slot
 * `pos`, -1 after `*`): small, or anything else (a splat, a value not proven
 * small). Missing: the default, which must then be small. */
static bool call_passes_small(RuleCtx *ctx, TSNode call, const char *name, int pos, TSNode dflt) {
  TSNode args = ts_node_child_by_field_id(call, SYM.f_arguments);
  if (!node_is(args, SYM.argument_list)) return false; /* f(x for x in xs): a generator */
  int at = 0;
  TSNode given = {0};
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    TSNode a = ts_node_named_child(args, i);
    if (node_is(a, SYM.comment)) continue;
    if (node_is(a, SYM.list_splat) || node_is(a, SYM.dictionary_splat)) return false;
    if (node_is(a, SYM.keyword_argument)) {
      if (node_text_eq(ctx->src, ts_node_child_by_field_id(a, SYM.f_name), name))
        given = ts_node_child_by_field_id(a, SYM.f_value);
      continue;
    }
    if (pos >= 0 && at++ == pos) given = a;
  }
  int scope = model_scope_at(ctx->model, nstart(call));
  if (!ts_node_is_null(given)) return small_argument(ctx, given, scope);
  return !ts_node_is_null(dflt) && small_argument(ctx, dflt, 0);
}

/* The loop walks parameter `name` of a module-level function of this file
 * (not rebound in it): PARAM_SMALL when every call of the function in the
 * project passes a literal of fewer than 4 items for it (or, with none
 * passing it, its default is one), PARAM_BIG when a call in this file passes
 * anything else, PARAM_NA when the callers are not all known (the function
 * is decorated, handed around as a value, called from another module).
 * PARAM_NA leaves the verdict to iterable_bound, which trusts a default. */
static ParamVerdict param_walk(RuleCtx *ctx, FuncRefs *refs, const Loop *l) {
  TSNode x = walked_name(ctx, l->iterable);
  const Function *f = l->func >= 0 ? model_function(ctx->model, l->func) : NULL;
  if (ts_node_is_null(x) || !f || !f->name || f->cls >= 0 || f->parent >= 0 ||
      node_is(ts_node_parent(f->node), SYM.decorated_definition))
    return PARAM_NA;
  const char *name = ctx_text(ctx, x);
  /* the parameter: its positional slot and default */
  TSNode ps = ts_node_child_by_field_id(f->node, SYM.f_parameters), dflt = {0};
  int pos = -1, at = 0;
  bool found = false, positional = true;
  for (uint32_t i = 0; i < ts_node_named_child_count(ps) && !found; i++) {
    TSNode p = ts_node_named_child(ps, i), id = p, d = {0};
    uint16_t s = nsym(p);
    if (!strcmp(ts_node_type(p), "positional_separator")) continue; /* `/`: still positional after it */
    if (s == SYM.typed_parameter) id = ts_node_named_child(p, 0);
    else if (s == SYM.default_parameter || s == SYM.typed_default_parameter) {
      id = ts_node_child_by_field_id(p, SYM.f_name);
      d = ts_node_child_by_field_id(p, SYM.f_value);
    }
    if (s == SYM.keyword_separator || node_is(id, SYM.list_splat_pattern) ||
        node_is(id, SYM.dictionary_splat_pattern)) {
      positional = false;
      if (!node_is(id, SYM.keyword_separator) && node_text_eq(ctx->src, ts_node_named_child(id, 0), name))
        return PARAM_NA; /* the loop walks *items: a tuple of whatever the callers pass */
      continue;
    }
    if (!node_is(id, SYM.identifier)) continue;
    if (node_text_eq(ctx->src, id, name)) {
      found = true;
      pos = positional ? at : -1;
      dflt = d;
    }
    at++;
  }
  if (!found) return PARAM_NA;
  Rebind rb = {ctx, name, false};
  node_walk(ts_node_child_by_field_id(f->node, SYM.f_body), visit_rebind, &rb);
  if (rb.found || model_call_context(ctx->model, f->name)) return PARAM_NA;
  if (!refs->done) refs_gather(ctx, refs);
  /* the mentions of the function's name: a binary search for the first */
  size_t lo = 0, hi = refs->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(refs->v[mid].name, f->name) < 0) lo = mid + 1;
    else hi = mid;
  }
  size_t ncalls = 0;
  for (size_t i = lo; i < refs->n && !strcmp(refs->v[i].name, f->name); i++) {
    TSNode n = refs->v[i].node, call = ts_node_parent(n);
    int scope = model_scope_at(ctx->model, nstart(n));
    Reaching rc = model_reaching(ctx->model, scope, f->name, strlen(f->name), nstart(n));
    if (rc.found && rc.value) continue; /* a local of that name, not the function */
    /* handed around as a value (`map(load, xs)`, `Thread(target=load)`) */
    if (!node_is(call, SYM.call) || !ts_node_eq(ts_node_child_by_field_id(call, SYM.f_function), n))
      return PARAM_NA;
    if (!call_passes_small(ctx, call, name, pos, dflt)) return PARAM_BIG;
    ncalls++;
  }
  /* no caller: only the default can reach */
  if (!ncalls && !(!ts_node_is_null(dflt) && small_argument(ctx, dflt, 0))) return PARAM_NA;
  return PARAM_SMALL;
}

/* Does the loop iterate a collection read from the key the call removes
 * its item from (`for job, cap in r.hgetall("to_notify").items():` then
 * `r.hdel("to_notify", job)`): a work queue kept in a hash, set or sorted
 * set, whose removal is the item's acknowledgement? */
static bool removes_from_iterated(RuleCtx *ctx, const CallSite *cs, const Loop *l) {
  static const char *const removes[] = {"hdel", "srem", "zrem", NULL};
  static const char *const reads[] = {"hgetall", "hkeys", "smembers", "zrange", "zrangebyscore",
                                      "zrevrange", "zrevrangebyscore", "hscan_iter", "sscan_iter",
                                      "zscan_iter", NULL};
  if (!str_in(cs->method, removes) || !cs->key.text || ts_node_is_null(l->iterable)) return false;
  for (size_t i = first_call_from(ctx->model, nstart(l->iterable)); i < model_ncalls(ctx->model); i++) {
    const CallSite *it = model_call(ctx->model, i);
    if (nstart(it->node) >= nend(l->iterable)) break;
    if (str_in(it->method, reads) && it->key.text && !strcmp(it->key.text, cs->key.text) &&
        !strcmp(it->recv_text, cs->recv_text))
      return true;
  }
  return false;
}

/* The first call of the loop's body that is not a Redis command: any call
 * (`handle(fields)`), or with `object`, a method of an object that is not a
 * module (`self.api.get_status(c)`, `client.post(...)`; not
 * `json.loads(x)`): work with an outside party. Its start byte; UINT32_MAX
 * when none. One walk per loop (memo in Facts). */
typedef struct OtherCall {
  RuleCtx *ctx;
  bool object;
  uint32_t first;
} OtherCall;

static bool visit_other_call(TSNode n, void *data) {
  OtherCall *o = data;
  if (nstart(n) >= o->first) return false;
  if (nsym(n) != SYM.call) return true;
  size_t i = first_call_from(o->ctx->model, nstart(n));
  if (i < model_ncalls(o->ctx->model) && ts_node_eq(model_call(o->ctx->model, i)->node, n))
    return true; /* a Redis command */
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  if (o->object) {
    if (!node_is(fn, SYM.attribute)) return true;
    TSNode obj = ts_node_child_by_field_id(fn, SYM.f_object);
    Value v = model_eval(o->ctx->model, obj);
    /* a module imported (`json.loads`, `ujson.loads`): a name the imports qualify */
    if (v.kind == OBJ_MODULE ||
        (node_is(obj, SYM.identifier) &&
         model_qualname(o->ctx->model, obj, model_scope_at(o->ctx->model, nstart(obj)))))
      return true;
  }
  o->first = nstart(n);
  return false;
}

static uint32_t first_other_call(RuleCtx *ctx, Facts *fx, const Loop *l, int li, bool object) {
  uint32_t *memo = &fx->first_other[object][li];
  if (!*memo) {
    OtherCall o = {ctx, object, UINT32_MAX};
    node_walk(ts_node_child_by_field_id(l->node, SYM.f_body), visit_other_call, &o);
    *memo = o.first == UINT32_MAX ? UINT32_MAX : o.first + 1;
  }
  return *memo == UINT32_MAX ? UINT32_MAX : *memo - 1;
}

/* A stream consumer that acknowledges each entry once it is processed
 * (`handle(fields)` then `r.xack(stream, group, entry_id)`): at-least-once
 * delivery, entry by entry; acknowledging the batch after the loop would
 * redeliver every processed entry after a crash. Some work that is not a
 * Redis command comes before the XACK in the iteration (likewise a removal from the
 * collection the loop iterates: removes_from_iterated). */
static bool acks_after_processing(RuleCtx *ctx, const CallSite *cs, const Loop *l, Facts *fx) {
  bool ack = !strcmp(cs->method, "xack");
  if (!ack && !removes_from_iterated(ctx, cs, l)) return false;
  TSNode body = ts_node_child_by_field_id(l->node, SYM.f_body);
  if (ts_node_is_null(body) || nstart(cs->node) <= nstart(body)) return false;
  /* a removal acknowledges work done with an object, not a parse */
  return first_other_call(ctx, fx, l, cs->loop, !ack) < nstart(cs->node);
}

/* param_walk() once per (function, name): a function of many loops over
 * one parameter walks its body once, not once per loop. */
static ParamVerdict param_memo(RuleCtx *ctx, Facts *fx, const Loop *l) {
  TSNode x = walked_name(ctx, l->iterable);
  if (ts_node_is_null(x) || l->func < 0) return param_walk(ctx, fx->refs, l);
  char key[160];
  int n = snprintf(key, sizeof key, "%d\x02%s\x02", l->func, ctx_text(ctx, x));
  if (n < 0 || (size_t)n + 2 > sizeof key) return param_walk(ctx, fx->refs, l);
  for (int v = PARAM_NA; v <= PARAM_BIG; v++) {
    key[n] = (char)('0' + v);
    if (strset_has(&fx->param_seen, key, (size_t)n + 1)) return (ParamVerdict)v;
  }
  ParamVerdict v = param_walk(ctx, fx->refs, l);
  key[n] = (char)('0' + v);
  strset_add(&fx->param_seen, key, (size_t)n + 1);
  return v;
}

static bool per_item_command(RuleCtx *ctx, const CallSite *cs, const Loop **loop_out,
                             const StrSet *executed, Facts *fx) {
  const Loop *l = model_loop(ctx->model, cs->loop);
  if (!l || l->func != cs->func || !is_loop_kind(l) || cs->recv.kind != OBJ_CLIENT || !cs->cmd ||
      !strcmp(cs->method, "lock")) /* locks cannot be batched */
    return false;
  uint32_t f = cs->cmd->flags;
  if (f & (CMD_BLOCKING | CMD_ITER | CMD_PIPELINE | CMD_PUBSUB | CMD_SERVER)) return false;
  if ((f & CMD_MULTI_KEY) && !single_key_call(cs)) return false; /* already batches a chunk */
  if (!mentions_loop_target(ctx->model, l, cs->args)) return false;
  /* `execute_command("INFO", target_nodes=[node])` for each node of a
     cluster: each goes to another server, no pipeline can carry them */
  TSNode tn = call_kwarg(ctx->src, cs->args, "target_nodes");
  if (ts_node_is_null(tn)) tn = call_kwarg(ctx->src, cs->args, "target_node");
  if (!ts_node_is_null(tn) && mentions_loop_target(ctx->model, l, tn)) return false;
  /* a loop over a parameter: what the callers pass decides, before a default does */
  if (!fx->param[cs->loop]) fx->param[cs->loop] = (uint8_t)(param_memo(ctx, fx, l) + 1);
  ParamVerdict pv = (ParamVerdict)(fx->param[cs->loop] - 1);
  if (pv == PARAM_SMALL || (pv == PARAM_NA && small_literal_loop(ctx, cs, l))) return false;
  if (receiver_rebound(ctx, cs, l) || arrives_over_time(ctx, l) || chunked_range(ctx, l)) return false;
  if (inferred_pipeline(ctx, cs, executed) || callback_receiver(ctx, cs, fx)) return false;
  if (runs_once(ctx, cs, l) || around_yield(fx, cs, l) || behind_network(fx, l, cs->node) ||
      acks_after_processing(ctx, cs, l, fx))
    return false;
  /* `r.xack(stream, group, *done)`, `r.srem(key, *expired)`: the item
     brings a batch of its own, sent in one command */
  for (uint32_t a = 0; a < ts_node_named_child_count(cs->args); a++)
    if (node_is(ts_node_named_child(cs->args, a), SYM.list_splat)) return false;
  *loop_out = l;
  return true;
}

static bool has_comment(TSNode n, void *data) {
  if (nsym(n) == SYM.comment) *(bool *)data = true;
  return !*(bool *)data;
}

/* An asyncio command whose coroutine is kept, not awaited where it is made
 * (`gather(*(r.set(k, v) for ...))`, `tasks.append(r.get(k))`,
 * `create_task(r.incr(k))`): the loop starts them, they run together. A
 * bare `r.set(k, v)` statement, never awaited, is not that. */
static bool started_together(const CallSite *cs) {
  return cs->recv.is_async && !cs->awaited &&
         !node_is(ts_node_parent(cs->node), SYM.expression_statement);
}

/* [r.get(E) for T in NAME] -> (r.mget([E for T in NAME]) if NAME else []) */
static void comprehension_fix(RuleCtx *ctx, Finding *f, const CallSite *cs, const Loop *l) {
  TSNode comp = l->node;
  TSNode body = ts_node_child_by_field_id(comp, SYM.f_body);
  TSNode key = call_arg(cs->args, 0);
  bool one_clause = ts_node_named_child_count(comp) == 2; /* body + one for_in_clause */
  bool comments = false;
  node_walk(comp, has_comment, &comments);
  if (!node_is(comp, SYM.list_comprehension) || !ts_node_eq(body, cs->node) || comments ||
      cs->recv.cluster || /* cluster MGET fails when keys span hash slots */
      strcmp(cs->method, "get") || ts_node_named_child_count(cs->args) != 1 ||
      !node_is(l->iterable, SYM.identifier) || !one_clause || ts_node_is_null(key)) {
    finding_fix(ctx, f, FIX_DISPLAY,
                "Batch it: one multi-key command (MGET, HMGET, UNLINK) or a pipeline: `%s"
                "%s.pipeline(transaction=False) as pipe:` queue the commands in the loop%s, then "
                "`%spipe.execute()` (when a command needs an earlier reply, in two passes: queue "
                "and execute the reads, then the writes that use them)",
                pipe_with(cs), cs->recv_text, cs->recv.is_async ? " (not awaited)" : "",
                pipe_await(cs));
    return;
  }
  TSNode clause = ts_node_named_child(comp, 1);
  const char *it = ctx_text(ctx, l->iterable);
  const char *repl = arena_printf(ctx->arena, "(%s.mget([%s %s]) if %s else [])", cs->recv_text,
                                  ctx_text(ctx, key), ctx_text(ctx, clause), it);
  finding_fix(ctx, f, FIX_SAFE, "Fetch all keys in one round trip: `%s`", repl);
  finding_edit(ctx, f, nstart(comp), nend(comp), repl);
}

/* Does any string in the node span lines (re-indenting would change it)? */
static bool visit_multiline_string(TSNode n, void *data) {
  if (nsym(n) == SYM.string && ts_node_start_point(n).row != ts_node_end_point(n).row)
    *(bool *)data = true;
  return !*(bool *)data;
}

/* Is `word` an identifier anywhere in the text (a name the rewrite would shadow)? */
static bool uses_word(const char *text, const char *word) {
  size_t n = strlen(word);
  for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
    bool before = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
    bool after = !(isalnum((unsigned char)p[n]) || p[n] == '_');
    if (before && after) return true;
  }
  return false;
}

/* A for loop whose body only sends writes on one client whose replies are
 * not used:
 *     for x in xs:                 with r.pipeline(transaction=False) as pipe:
 *         r.set(f"k:{x}", v)   ->       for x in xs:
 *                                           pipe.set(f"k:{x}", v)
 *                                       pipe.execute()
 * Unsafe: the writes are sent together at the end (an exception in the loop
 * now sends none of them), and a huge loop buffers its commands in memory. */
static bool pipeline_fix(RuleCtx *ctx, Finding *f, const CallSite *cs, const Loop *l, size_t first) {
  TSNode loop = l->node;
  if (!node_is(loop, SYM.for_statement) || cs->recv.is_async ||
      !ts_node_is_null(ts_node_child_by_field_id(loop, SYM.f_alternative)))
    return false;
  TSNode body = ts_node_child_by_field_id(loop, SYM.f_body);
  uint32_t nstmt = 0;
  for (uint32_t k = 0; k < ts_node_named_child_count(body); k++) {
    TSNode st = ts_node_named_child(body, k);
    if (node_is(st, SYM.comment)) continue;
    nstmt++;
    if (!node_is(st, SYM.expression_statement)) return false;
  }
  /* every statement is one unused write on this client */
  size_t hits = 0;
  for (size_t j = first; j < model_ncalls(ctx->model); j++) {
    const CallSite *o = model_call(ctx->model, j);
    if (nstart(o->node) >= nend(loop)) break;
    if (nstart(o->node) < nstart(body)) continue;
    bool ok = !strcmp(o->recv_text, cs->recv_text) && o->recv.kind == OBJ_CLIENT && o->cmd &&
              (o->cmd->flags & CMD_WRITE) && !(o->cmd->flags & (CMD_BLOCKING | CMD_READ)) &&
              result_unused(o) && ts_node_eq(ts_node_parent(o->stmt), body);
    if (!ok) return false;
    hits++;
  }
  if (hits != nstmt || !nstmt) return false;
  bool multiline = false;
  node_walk(loop, visit_multiline_string, &multiline);
  const Function *fn = model_function(ctx->model, cs->func);
  /* Source.text is not NUL-terminated: the module's text through the arena */
  const char *scope_text = ctx_text(ctx, fn ? fn->node : model_root(ctx->model));
  const char *indent = ctx_indent(ctx, nstart(loop));
  if (multiline || strchr(indent, '\t') || uses_word(scope_text, "pipe")) return false;
  /* the for line must start its line */
  uint32_t ls = nstart(loop) - (uint32_t)strlen(indent);
  if (ls > 0 && ctx->src->text[ls - 1] != '\n') return false;
  finding_fix(ctx, f, FIX_UNSAFE,
              "Queue the writes on a pipeline and send them in one round trip: `with "
              "%s.pipeline(transaction=False) as pipe:` around the loop, `pipe.` for `%s.` in it, "
              "then `pipe.execute()`",
              cs->recv_text, cs->recv_text);
  finding_edit(ctx, f, ls, ls,
               arena_printf(ctx->arena, "%swith %s.pipeline(transaction=False) as pipe:\n    ",
                            indent, cs->recv_text));
  /* re-indent the loop's other lines */
  unsigned first_line = line_of(ctx->src, nstart(loop)), last_line = line_of(ctx->src, nend(loop));
  for (unsigned ln = first_line + 1; ln <= last_line; ln++) {
    uint32_t s = ctx->src->line_starts[ln - 1], e = s;
    while (e < ctx->src->len && (ctx->src->text[e] == ' ' || ctx->src->text[e] == '\t')) e++;
    if (e >= ctx->src->len || ctx->src->text[e] == '\n' || ctx->src->text[e] == '\r') continue;
    finding_edit(ctx, f, s, s, "    ");
  }
  for (size_t j = first; j < model_ncalls(ctx->model); j++) {
    const CallSite *o = model_call(ctx->model, j);
    if (nstart(o->node) >= nend(loop)) break;
    if (nstart(o->node) >= nstart(body))
      finding_edit(ctx, f, nstart(o->receiver), nend(o->receiver), "pipe");
  }
  /* after the loop's last line (and its trailing comment) */
  uint32_t end = nend(loop);
  while (end < ctx->src->len && ctx->src->text[end] != '\n' && ctx->src->text[end] != '\r') end++;
  finding_edit(ctx, f, end, end, arena_printf(ctx->arena, "\n%s    pipe.execute()", indent));
  return true;
}

/* Where the file takes a lock (lock(), SETNX, SET NX, any `.acquire()`: a
 * redis-py Lock, python-redis-lock, a project's own wrapper) or WATCHes
 * keys: sorted byte offsets, gathered once. A loop with one inside takes a
 * guard per item, and its commands depend on replies read under it: one
 * pipeline would break the per-item atomicity. */
typedef struct Guards {
  RuleCtx *ctx;
  uint32_t *at;
  size_t n, cap;
} Guards;

static void guard_add(Guards *g, uint32_t at) {
  if (g->n == g->cap) g->at = xrealloc(g->at, (g->cap = g->cap ? 2 * g->cap : 16) * sizeof(uint32_t));
  g->at[g->n++] = at;
}

static bool visit_acquire(TSNode n, void *data) {
  Guards *g = data;
  if (!node_is(n, SYM.call)) return true;
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  if (node_is(fn, SYM.attribute) &&
      node_text_eq(g->ctx->src, ts_node_child_by_field_id(fn, SYM.f_attribute), "acquire"))
    guard_add(g, nstart(n));
  return true;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static void guards_gather(RuleCtx *ctx, Guards *g) {
  g->ctx = ctx;
  node_walk(model_root(ctx->model), visit_acquire, g);
  for (size_t j = 0; j < model_ncalls(ctx->model); j++) {
    const CallSite *o = model_call(ctx->model, j);
    if (!strcmp(o->method, "watch") || !strcmp(o->method, "lock") || !strcmp(o->method, "setnx") ||
        (!strcmp(o->method, "set") && node_is(call_kwarg(ctx->src, o->args, "nx"), SYM.true_)))
      guard_add(g, nstart(o->node));
  }
  if (g->n > 1) qsort(g->at, g->n, sizeof(uint32_t), cmp_u32);
}

/* Is there a guard in [start, end)? */
static bool guarded_in(const Guards *g, uint32_t start, uint32_t end) {
  size_t lo = 0, hi = g->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (g->at[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < g->n && g->at[lo] < end;
}

/* Does a block do something for its effect: a call that is a statement of
 * its own (`notify(chat)`, `bot.send_message(...)`, `r.delete(k)`), or a
 * raise? Collecting the reply (`found.append(x)`, `seen.add(x)`, `d[k] = v`)
 * is not: a batch collects the same. */
typedef struct Effect {
  RuleCtx *ctx;
  bool found;
} Effect;

static bool visit_effect(TSNode n, void *data) {
  Effect *q = data;
  if (nsym(n) == SYM.raise_statement) {
    q->found = true;
  } else if (nsym(n) == SYM.expression_statement) {
    TSNode e = ts_node_named_child(n, 0);
    if (node_is(e, SYM.await)) e = ts_node_named_child(e, 0);
    if (node_is(e, SYM.call)) {
      static const char *const COLLECT[] = {"append", "extend", "add", "update", "insert",
                                            "setdefault", "appendleft", NULL};
      TSNode fn = ts_node_child_by_field_id(e, SYM.f_function);
      bool collect = false;
      if (node_is(fn, SYM.attribute)) {
        TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
        for (size_t i = 0; COLLECT[i] && !collect; i++)
          collect = node_text_eq(q->ctx->src, attr, COLLECT[i]);
      }
      q->found = !collect;
    }
  }
  return !q->found;
}

/* The branches an `if`/`elif` decides: its consequence and every elif/else
 * body, without the conditions. */
static bool branches_have_effect(RuleCtx *ctx, TSNode ifs) {
  Effect q = {ctx, false};
  node_walk(ts_node_child_by_field_id(ifs, SYM.f_consequence), visit_effect, &q);
  for (uint32_t k = 0; k < ts_node_named_child_count(ifs) && !q.found; k++) {
    TSNode c = ts_node_named_child(ifs, k);
    const char *type = ts_node_type(c);
    if (!strcmp(type, "elif_clause")) node_walk(ts_node_child_by_field_id(c, SYM.f_consequence), visit_effect, &q);
    else if (!strcmp(type, "else_clause")) node_walk(ts_node_child_by_field_id(c, SYM.f_body), visit_effect, &q);
  }
  return q.found;
}

static bool is_if(TSNode n) {
  return node_is(n, SYM.if_statement) || !strcmp(ts_node_type(n), "elif_clause");
}

/* The `if` (or `elif`) inside the loop body whose condition is `n` or holds it. */
static TSNode tested_by(TSNode n, TSNode body) {
  for (TSNode c = n, p = ts_node_parent(n); !ts_node_is_null(p) && !ts_node_eq(c, body);
       c = p, p = ts_node_parent(p)) {
    if (is_if(p) && ts_node_eq(ts_node_child_by_field_id(p, SYM.f_condition), c))
      return node_is(p, SYM.if_statement) ? p : ts_node_parent(p);
    if (nsym(p) == SYM.block || nsym(p) == SYM.function_definition || nsym(p) == SYM.lambda) break;
  }
  return (TSNode){0};
}

typedef struct NameTest {
  RuleCtx *ctx;
  const char *name;
  uint32_t after;
  bool found;
} NameTest;

static bool visit_name_test(TSNode n, void *data) {
  NameTest *q = data;
  if (nstart(n) >= q->after && is_if(n) &&
      expr_mentions_any(q->ctx, ts_node_child_by_field_id(n, SYM.f_condition), &q->name, 1)) {
    TSNode ifs = node_is(n, SYM.if_statement) ? n : ts_node_parent(n);
    q->found = branches_have_effect(q->ctx, ifs);
  }
  return !q->found;
}

/* Is the reply of `o` tested by an `if` of the loop body that then does
 * something for its effect? Directly (`if r.scard(key) == limit:`), or
 * through a name assigned from it (`n = str(r.scard(key))` ... `if int(n)
 * == limit:`). */
static bool reply_decides(RuleCtx *ctx, const CallSite *o, TSNode body) {
  TSNode ifs = tested_by(o->node, body);
  if (!ts_node_is_null(ifs)) return branches_have_effect(ctx, ifs);
  TSNode st = o->stmt;
  TSNode a = node_is(st, SYM.expression_statement) ? ts_node_named_child(st, 0) : st;
  if (!node_is(a, SYM.assignment)) return false;
  TSNode left = ts_node_child_by_field_id(a, SYM.f_left);
  if (!node_is(left, SYM.identifier)) return false;
  NameTest q = {ctx, ctx_text(ctx, left), nend(st), false};
  node_walk(body, visit_name_test, &q);
  return q.found;
}

/* `for m in new_members: r.sadd(key, m); if r.scard(key) == limit:
 * notify()`: a key every iteration shares is written in the loop and a
 * reply about it decides, in the same iteration, something done for its
 * effect. The reply depends on what the earlier iterations wrote (the
 * threshold is crossed at one item): a variadic SADD or a batch of the writes
 * first would skip the crossing or move the effect. Not a batching miss.
 * Replies only collected (appended, stored) are still reported. */
static bool reply_dependent_loop(RuleCtx *ctx, const Loop *l, size_t first) {
  if (!node_is(l->node, SYM.for_statement)) return false;
  TSNode body = ts_node_child_by_field_id(l->node, SYM.f_body);
  size_t end = first_call_from(ctx->model, nend(l->node));
  /* the loop's writes, grouped by key once: each read asks only its key's
     (a body of many commands stays linear) */
  Vec writes = VEC_INIT(size_t), found = VEC_INIT(size_t);
  for (size_t w = first; w < end; w++) {
    const CallSite *x = model_call(ctx->model, w);
    /* a write queued on a pipeline executed in the iteration counts too */
    if (value_is_clientish(x->recv) && x->cmd && (x->cmd->flags & CMD_WRITE) && nstart(x->node) >= nstart(body))
      *(size_t *)vec_push(&writes) = w;
  }
  KeyGroups by_key;
  key_groups_build(ctx, &by_key, writes.data, writes.len);
  bool dependent = false;
  for (size_t t = first; t < end && !dependent; t++) {
    const CallSite *o = model_call(ctx->model, t);
    if (o->recv.kind != OBJ_CLIENT || !o->cmd || !(o->cmd->flags & (CMD_READ | CMD_WRITE)) ||
        nstart(o->node) < nstart(body))
      continue;
    /* a per-item key: each iteration reads its own state, which batches */
    TSNode key = call_key_arg(ctx, o);
    if (ts_node_is_null(key) || mentions_loop_target(ctx->model, l, key)) continue;
    bool own = false; /* `key = f"c:{x}"` in the body, then r.get(key) */
    for (uint8_t h = 0; h < o->key.nholes && h < KEY_MAX_HOLES && !own; h++)
      own = mentions_loop_target(ctx->model, l, o->key.holes[h]);
    if (own) continue;
    bool written = false;
    key_groups_find(ctx, &by_key, o, first, end, &found);
    for (size_t k = 0; k < found.len && !written; k++)
      written = calls_same_key(ctx, o, model_call(ctx->model, *(size_t *)vec_at(&found, k)));
    dependent = written && reply_decides(ctx, o, body);
  }
  key_groups_free(&by_key);
  vec_free(&writes);
  vec_free(&found);
  return dependent;
}

/* ---- One level through the file's own helpers ----
 * `for u in uids: out.append(load(u))` with `def load(uid): return
 * r.hgetall(...)`: the round trip is one call away. A helper counts when it
 * sends at least one command on a client (or executes a pipeline) that is
 * not under a condition or a loop of its own: every call pays it. */
typedef struct Trips {
  const CallSite *first; /* the helper's first unconditional round trip */
  size_t n;              /* how many */
  bool other;            /* it also does other work, or talks to a client it is given */
} Trips;

/* Calls a thin accessor may make besides its Redis commands: conversions,
 * (de)serialization, string and container methods. Anything else (a mail, an
 * HTTP request, another helper) is work the loop pays for anyway. */
static bool passive_call(RuleCtx *ctx, TSNode call) {
  TSNode fn = ts_node_child_by_field_id(call, SYM.f_function);
  TSNode last = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
  static const char *const names[] = {
      "str", "int", "float", "bool", "len", "list", "dict", "set", "tuple", "sorted", "reversed",
      "min", "max", "sum", "round", "isinstance", "loads", "dumps", "decode", "encode", "format",
      "join", "split", "rsplit", "strip", "lower", "upper", "replace", "startswith", "endswith",
      "get", "items", "keys", "values", "append", "extend", "update", "pop", "add", "zip",
      "enumerate", "map", "filter", "range", "pipeline", "execute", "fromtimestamp", "strftime",
      "timestamp", "now", "time", "cls", NULL};
  for (size_t i = 0; names[i]; i++)
    if (node_text_eq(ctx->src, last, names[i])) return true;
  return false;
}

typedef struct Thin {
  RuleCtx *ctx;
  const HelperNames *names; /* NULL: no helper counts as passive */
  signed char *pure;        /* per function: 0 not asked, 1 pure, -1 not */
  int func;
  bool other;
} Thin;

static bool is_redis_call(RuleCtx *ctx, TSNode n) {
  for (size_t i = first_call_from(ctx->model, nstart(n));
       i < model_ncalls(ctx->model) && nstart(model_call(ctx->model, i)->node) == nstart(n); i++)
    if (ts_node_eq(model_call(ctx->model, i)->node, n)) return true;
  return false;
}

/* A function of the file that only computes (`def key(self, slug): return
 * f"m:{slug}"`): every call in it passive, no Redis command. */
static bool pure_visit(TSNode n, void *data) {
  Thin *t = data;
  if (t->other) return false;
  if (node_is(n, SYM.call) && (is_redis_call(t->ctx, n) || !passive_call(t->ctx, n))) t->other = true;
  return !t->other;
}

static bool pure_function(Thin *t, int fi) {
  if (!t->pure[fi]) {
    Thin p = {t->ctx, NULL, NULL, fi, false};
    node_walk(ts_node_child_by_field_id(model_function(t->ctx->model, fi)->node, SYM.f_body), pure_visit, &p);
    t->pure[fi] = p.other ? -1 : 1;
  }
  return t->pure[fi] > 0;
}

static bool thin_visit(TSNode n, void *data) {
  Thin *t = data;
  if (t->other) return false;
  if (!node_is(n, SYM.call)) return true;
  if (is_redis_call(t->ctx, n)) return true;
  if (passive_call(t->ctx, n)) return true;
  /* a key-format helper of the file (`self.make_key(slug)`) is no work */
  int h = t->names ? helper_of(t->ctx, t->names, n, t->func) : -1;
  if (h < 0 || h == t->func || !pure_function(t, h)) t->other = true;
  return !t->other;
}

/* Is name a parameter of function func (the client is the caller's: one per
 * server in a loop over servers, not a batch)? */
static bool param_of(RuleCtx *ctx, int func, const char *name) {
  const char *ps[64];
  size_t n = func_params(ctx, func, ps, sizeof ps / sizeof *ps);
  for (size_t i = 0; i < n; i++)
    if (!strcmp(ps[i], name)) return true;
  return false;
}

static bool unconditional(const CallSite *cs, TSNode fn) {
  for (TSNode p = ts_node_parent(cs->node); !ts_node_is_null(p) && !ts_node_eq(p, fn);
       p = ts_node_parent(p)) {
    uint16_t s = nsym(p);
    if (s == SYM.if_statement || s == SYM.for_statement || s == SYM.while_statement ||
        s == SYM.conditional_expression || s == SYM.boolean_operator ||
        !strcmp(ts_node_type(p), "except_clause") || s == SYM.lambda ||
        s == SYM.list_comprehension || s == SYM.generator_expression)
      return false;
  }
  return true;
}

/* Where the function's first `return` (or `raise`) starts, its own, not a
 * nested function's; UINT32_MAX when none: a command after an early return
 * runs on some calls only. */
typedef struct FirstExit {
  uint32_t at;
  TSNode root;
  RuleCtx *ctx;
  int func;
} FirstExit;

/* `not p`, `p is None`, `p == None`, or an `or` of them, every p a
 * parameter of func: a check of the arguments. */
static bool argument_check(RuleCtx *ctx, TSNode c, int func, int depth) {
  while (node_is(c, SYM.parenthesized_expression)) c = ts_node_named_child(c, 0);
  if (depth > 8) return false;
  if (node_is(c, SYM.boolean_operator))
    return node_text_eq(ctx->src, ts_node_child_by_field_id(c, SYM.f_operator), "or") &&
           argument_check(ctx, ts_node_child_by_field_id(c, SYM.f_left), func, depth + 1) &&
           argument_check(ctx, ts_node_child_by_field_id(c, SYM.f_right), func, depth + 1);
  TSNode id = {0};
  if (node_is(c, SYM.not_operator)) id = ts_node_named_child(c, 0);
  else if (node_is(c, SYM.comparison_operator) && ts_node_named_child_count(c) == 2 &&
           node_is(ts_node_named_child(c, 1), SYM.none))
    id = ts_node_named_child(c, 0);
  return node_is(id, SYM.identifier) && param_of(ctx, func, ctx_text(ctx, id));
}

/* `if item is None or word is None: return False` at the top of a helper:
 * a check of its arguments, not a path that skips its commands on calls
 * the loop makes (it passes real items). */
static bool argument_guard(const FirstExit *e, TSNode n) {
  if (!node_is(n, SYM.if_statement) || !e->ctx || e->func < 0) return false;
  if (ts_node_named_child_count(n) != 2) return false; /* condition and body: no elif/else */
  TSNode body = ts_node_child_by_field_id(n, SYM.f_consequence);
  if (ts_node_named_child_count(body) != 1 || !node_is(ts_node_named_child(body, 0), SYM.return_statement))
    return false;
  return argument_check(e->ctx, ts_node_child_by_field_id(n, SYM.f_condition), e->func, 0);
}

static bool exit_visit(TSNode n, void *data) {
  FirstExit *e = data;
  if (nstart(n) >= e->at) return false;
  uint16_t s = nsym(n);
  if (!ts_node_eq(n, e->root) && (s == SYM.function_definition || s == SYM.lambda)) return false;
  if (argument_guard(e, n)) return false;
  if (s == SYM.return_statement || !strcmp(ts_node_type(n), "raise_statement")) {
    e->at = nstart(n);
    return false;
  }
  return true;
}

static uint32_t first_exit(RuleCtx *ctx, TSNode fn, int func) {
  FirstExit e = {UINT32_MAX, fn, ctx, func};
  node_walk(ts_node_child_by_field_id(fn, SYM.f_body), exit_visit, &e);
  return e.at;
}

static Trips *trips_build(RuleCtx *ctx, const HelperNames *names) {
  size_t nf = model_nfunctions(ctx->model);
  Trips *t = xcalloc(nf + 1, sizeof *t);
  signed char *pure = xcalloc(nf + 1, 1);
  uint32_t *exit_at = xcalloc(nf + 1, sizeof *exit_at); /* 0: not computed yet */
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (cs->func < 0 || (size_t)cs->func >= nf || !cs->cmd) continue;
    bool exec = value_is_pipeline(cs->recv) && !strcmp(cs->method, "execute");
    bool trip = cs->recv.kind == OBJ_CLIENT && !cs->recv.inferred &&
                !(cs->cmd->flags & (CMD_BLOCKING | CMD_ITER | CMD_PIPELINE | CMD_PUBSUB | CMD_SERVER)) &&
                strcmp(cs->method, "lock");
    if (!exec && !trip) continue;
    const Function *f = model_function(ctx->model, cs->func);
    if (param_of(ctx, cs->func, cs->recv_text)) t[cs->func].other = true;
    if (!unconditional(cs, f->node)) continue;
    if (!exit_at[cs->func]) exit_at[cs->func] = first_exit(ctx, f->node, cs->func);
    /* the return that carries this very call's reply is not an early one */
    if (exit_at[cs->func] < nstart(cs->stmt)) continue;
    if (!t[cs->func].n) t[cs->func].first = cs;
    t[cs->func].n++;
  }
  for (size_t fi = 0; fi < nf; fi++) {
    if (!t[fi].n || t[fi].other) continue;
    Thin th = {ctx, names, pure, (int)fi, false};
    node_walk(ts_node_child_by_field_id(model_function(ctx->model, fi)->node, SYM.f_body), thin_visit, &th);
    t[fi].other = th.other;
  }
  free(exit_at);
  free(pure);
  return t;
}

/* The file's functions and classes by name, sorted once a file: a call asks
 * by binary search (a file of thousands of calls and helpers stays
 * O(n log n)). */
typedef struct HelperWalk {
  RuleCtx *ctx;
  const Loop *l;
  const Trips *trips;
  const HelperNames *names;
  TSNode call;        /* the first helper call found */
  int helper;
} HelperWalk;

static bool helper_visit(TSNode n, void *data) {
  HelperWalk *h = data;
  if (h->helper >= 0) return false;
  uint16_t s = nsym(n);
  if (!ts_node_eq(n, h->l->node) &&
      (s == SYM.for_statement || s == SYM.while_statement || s == SYM.list_comprehension ||
       s == SYM.generator_expression || s == SYM.dictionary_comprehension ||
       s == SYM.set_comprehension || s == SYM.function_definition || s == SYM.lambda))
    return false; /* its own loops, its own functions */
  if (s != SYM.call) return true;
  int fi = helper_of(h->ctx, h->names, n, h->l->func);
  if (fi < 0 || fi == h->l->func || !h->trips[fi].n || h->trips[fi].other) return true;
  if (!mentions_loop_target(h->ctx->model, h->l, ts_node_child_by_field_id(n, SYM.f_arguments)))
    return true;
  h->call = n;
  h->helper = fi;
  return false;
}

static void helpers_in_loops(RuleCtx *ctx, const bool *reported, int maxloop, bool tests) {
  Trips *trips = NULL;
  HelperNames names = {0};
  for (size_t li = 0; li < model_nloops(ctx->model); li++) {
    if ((int)li <= maxloop && reported[li]) continue; /* a command of its own was reported */
    const Loop *l = model_loop(ctx->model, (int)li);
    if (!is_loop_kind(l) || ts_node_is_null(l->iterable) || l->func < 0) continue;
    if (!trips) {
      helper_names_build(ctx, &names);
      trips = trips_build(ctx, &names);
    }
    HelperWalk h = {.ctx = ctx, .l = l, .trips = trips, .names = &names, .helper = -1};
    TSNode body = ts_node_child_by_field_id(l->node, SYM.f_body);
    node_walk(ts_node_is_null(body) ? l->node : body, helper_visit, &h);
    if (h.helper < 0) continue;
    int64_t count;
    int scope = model_scope_at(ctx->model, nstart(l->node));
    if (iterable_bound(ctx->model, l->iterable, scope, &count, 4) == ITER_BOUNDED) continue;
    if (polls_or_searches(ctx, l)) continue;
    if (chunked_range(ctx, l)) continue; /* each item a batch: the helper's trip is per batch */
    const Function *hf = model_function(ctx->model, h.helper);
    const Trips *t = &trips[h.helper];
    Finding *f = rule_report(
        ctx, h.call, tests ? SEV_INFO : SEV_WARNING,
        "`%s()` sends %zu Redis round trip%s per item of `%s` (%s on line %u first): the loop "
        "costs N x the latency instead of one batch",
        hf->name, t->n, t->n == 1 ? "" : "s", ctx_text(ctx, l->iterable),
        t->first->cmd ? t->first->cmd->name : t->first->method,
        line_of(ctx->src, nstart(t->first->node)));
    finding_related(ctx, f, NULL, nstart(t->first->node), nend(t->first->node), "the round trip");
    finding_fix(ctx, f, FIX_DISPLAY,
                "Batch it: give `%s()` a bulk form (one MGET/HMGET or a pipeline for all the "
                "items), or let it take a pipeline to queue on and `execute()` once after the loop",
                hf->name);
  }
  free(trips);
  helper_names_free(&names);
}

/* One pass each, then a lookup per loop: nested loops each reported made
 * the scans per loop quadratic in the nesting depth. */
static void check(RuleCtx *ctx) {
  bool tests = in_test_code(ctx->src, ctx->opt);
  size_t n = model_ncalls(ctx->model);
  int maxloop = -1;
  for (size_t i = 0; i < n; i++)
    if (model_call(ctx->model, i)->loop > maxloop) maxloop = model_call(ctx->model, i)->loop;
  bool *reported = xcalloc((size_t)maxloop + 2, sizeof(bool)); /* by loop index */
  size_t *per = xcalloc((size_t)maxloop + 2, sizeof(size_t));  /* per-item commands by loop */
  bool *item = xcalloc(n + 1, sizeof(bool));
  StrSet executed = {0}; /* "func\x02receiver" of every execute() call */
  for (size_t i = 0; i < n; i++) {
    const CallSite *o = model_call(ctx->model, i);
    if (strcmp(o->method, "execute")) continue;
    const char *k = arena_printf(ctx->arena, "%d\x02%s", o->func, o->recv_text);
    strset_add(&executed, k, strlen(k));
  }
  FuncRefs refs = {0};
  Facts fx = {.yield_at = xcalloc((size_t)maxloop + 2, sizeof(uint32_t)),
              .param = xcalloc((size_t)maxloop + 2, sizeof(uint8_t)),
              .refs = &refs,
              .first_other = {xcalloc((size_t)maxloop + 2, sizeof(uint32_t)),
                              xcalloc((size_t)maxloop + 2, sizeof(uint32_t))}};
  net_gather(ctx, &fx);
  for (size_t i = 0; i < n; i++) {
    const Loop *l;
    item[i] = per_item_command(ctx, model_call(ctx->model, i), &l, &executed, &fx);
    if (item[i]) per[model_call(ctx->model, i)->loop]++;
  }
  Guards g = {0};
  guards_gather(ctx, &g);
  for (size_t i = 0; i < n; i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (!item[i]) continue;
    const Loop *l = model_loop(ctx->model, cs->loop);
    int li = cs->loop;
    if (reported[li] || polls_or_searches(ctx, l) || in_except_handler(cs, l)) continue;
    reported[li] = true;
    size_t first = first_call_from(ctx->model, nstart(l->node));
    if (guarded_in(&g, nstart(l->node), nend(l->node)) || reply_dependent_loop(ctx, l, first) ||
        behind_network(&fx, l, (TSNode){0}))
      continue;
    if (started_together(cs)) {
      /* `asyncio.gather(*(r.set(k, v) for ...))`, tasks collected: the
         commands run at once, about one round trip in all, but each on a
         connection of its own from the pool */
      Finding *f = rule_report(ctx, cs->node, SEV_INFO,
                               "%zu Redis command%s per item of `%s` (%s first), started together "
                               "(not awaited one by one): each takes its own connection from the "
                               "pool, up to N at once, where one batch sends them on one "
                               "connection",
                               per[li], per[li] == 1 ? "" : "s", ctx_text(ctx, l->iterable),
                               cs->cmd->name);
      finding_fix(ctx, f, FIX_DISPLAY,
                  "Batch it: one multi-key command (MGET, MSET, UNLINK) or `%s%s.pipeline("
                  "transaction=False) as pipe:` with the commands queued in the loop, then "
                  "`%spipe.execute()`%s",
                  pipe_with(cs), cs->recv_text, pipe_await(cs),
                  cs->recv.cluster ? " (a cluster pipeline splits the commands by node)" : "");
      continue;
    }
    Finding *f = rule_report(ctx, cs->node, tests ? SEV_INFO : SEV_WARNING,
                             "%zu Redis command%s per item of `%s` (%s first): one network round "
                             "trip each, so the loop costs N x the latency instead of one batch",
                             per[li], per[li] == 1 ? "" : "s", ctx_text(ctx, l->iterable),
                             cs->cmd->name);
    if (!pipeline_fix(ctx, f, cs, l, first)) comprehension_fix(ctx, f, cs, l);
  }
  helpers_in_loops(ctx, reported, maxloop, tests);
  free(g.at);
  free(fx.yield_at);
  free(fx.param);
  free(fx.first_other[0]);
  free(fx.first_other[1]);
  strset_free(&fx.passed);
  strset_free(&fx.param_seen);
  free(refs.v);
  free(fx.net);
  free(item);
  strset_free(&executed);
  free(per);
  free(reported);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/command-in-loop.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_command_in_loop = {
    .check_file = check,
};
