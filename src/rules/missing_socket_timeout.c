/* RL402 missing-socket-timeout: a client or pool built without
 * socket_timeout. Before redis-py 8 the default is None: a command sent to
 * a server that stopped answering (a failover, a network partition, a
 * paused VM) waits forever, and so does the thread or request holding it.
 * The verdict depends on the redis-py version the project pins (pyver.h). */
#include <ctype.h>
#include <string.h>

#include "conn.h"

/* What the version verdict rests on, for the message. */
static const char *version_said(RuleCtx *ctx) {
  const PyVer *v = ctx->pyver;
  if (v && v->cls == PYV_BEFORE_8)
    return arena_printf(ctx->arena, "with redis-py < 8 (%s),", v->source ? v->source : "pinned");
  if (v && v->source)
    return arena_printf(ctx->arena, "%s allows redis-py < 8, where", v->source);
  return "no redis-py pin was found (--redis-py-version sets it); before redis-py 8";
}

static bool none_literal(TSNode n) { return node_is(n, SYM.none); }

/* A blocking command this file sends (BLPOP, BRPOP, XREAD BLOCK, ...), or
 * NULL: a client that serves them must not get a short socket timeout. */
static const CallSite *blocking_call(RuleCtx *ctx) {
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (model_call_blocks(cs)) return cs;
  }
  return NULL;
}

/* Does the file hand connections to a job-queue worker (rq, which waits in
 * BLPOP for minutes and quits on a socket timeout)? */
static bool feeds_worker(RuleCtx *ctx) {
  return source_contains(ctx->src, "from rq ") || source_contains(ctx->src, "import rq") ||
         source_contains(ctx->src, "from rq.");
}

/* The last plain `name = {...}` before `before` in a function (a later
 * `name = <other>` clears it). */
typedef struct LastDict {
  RuleCtx *ctx;
  const char *name;
  uint32_t before;
  TSNode dict;
  bool copied; /* the last binding copies a client's settings (`dict(c.connection_pool.connection_kwargs)`) */
} LastDict;

static bool last_dict_visit(TSNode n, void *data) {
  LastDict *l = data;
  if (nstart(n) >= l->before) return false;
  if (!node_is(n, SYM.assignment)) return true;
  TSNode left = ts_node_child_by_field_id(n, SYM.f_left);
  TSNode right = ts_node_child_by_field_id(n, SYM.f_right);
  if (node_is(left, SYM.identifier) && node_text_eq(l->ctx->src, left, l->name)) {
    l->dict = node_is(right, SYM.dictionary) ? right : (TSNode){0}; /* rebound to something else */
    l->copied = strstr(ctx_text(l->ctx, right), ".connection_kwargs") != NULL;
  }
  return true;
}

/* What a `**name` argument of the construction holds, when `name` is a dict
 * literal this code builds (`opts = {"host": h}` in the function or the
 * module): SPLAT_WITH_TIMEOUT when it has a "socket_timeout" key (or the
 * function puts a connection_pool into it), SPLAT_NONE
 * when it has none (and no `**` of its own), SPLAT_UNKNOWN otherwise. */
typedef enum { SPLAT_NONE, SPLAT_WITH_TIMEOUT, SPLAT_UNKNOWN } SplatKnown;

static SplatKnown known_splat(RuleCtx *ctx, const Ctor *c) {
  SplatKnown verdict = SPLAT_NONE;
  for (uint32_t i = 0; i < ts_node_named_child_count(c->args); i++) {
    TSNode a = ts_node_named_child(c->args, i);
    if (node_is(a, SYM.list_splat)) return SPLAT_UNKNOWN;
    if (!node_is(a, SYM.dictionary_splat)) continue;
    TSNode name = ts_node_named_child(a, 0);
    if (!node_is(name, SYM.identifier) && !node_is(name, SYM.attribute)) return SPLAT_UNKNOWN;
    const char *t = ctx_text(ctx, name); /* `options`, or `self.options` */
    /* `**client.connection_pool.connection_kwargs`: a copy of another
       client's settings, its timeout included (checked where it is built) */
    if (strstr(t, ".connection_kwargs")) return SPLAT_WITH_TIMEOUT;
    /* `options["connection_pool"] = pool` before the call (in its function):
       the pool's settings apply, checked where the pool is built */
    if (c->func >= 0) {
      TSNode fnode = model_function(ctx->model, c->func)->node;
      for (int q = 0; q < 2; q++) {
        const char *needle = arena_printf(ctx->arena, "%s[%cconnection_pool%c]", t, q ? '\'' : '"',
                                          q ? '\'' : '"');
        size_t nl = strlen(needle);
        for (uint32_t at = nstart(fnode); at + nl <= nstart(c->node); at++)
          if (!memcmp(ctx->src->text + at, needle, nl)) return SPLAT_WITH_TIMEOUT;
      }
    }
    if (!node_is(name, SYM.identifier)) return SPLAT_UNKNOWN;
    Reaching rc = model_reaching(ctx->model, c->scope, t, strlen(t), nstart(c->node));
    if (rc.found && rc.value && !rc.param && !ts_node_is_null(rc.expr) &&
        strstr(ctx_text(ctx, rc.expr), ".connection_kwargs"))
      return SPLAT_WITH_TIMEOUT; /* kwargs = dict(client.connection_pool.connection_kwargs) */
    /* the enclosing function's own `**kwargs`: a wrapper that forwards its
       caller's options; the callers decide (like a TTL parameter) */
    if (c->func >= 0 && !(rc.found && rc.value && !rc.param)) { /* not rebound locally */
      TSNode params = ts_node_child_by_field_id(model_function(ctx->model, c->func)->node,
                                                SYM.f_parameters);
      for (uint32_t k = 0; k < ts_node_named_child_count(params); k++) {
        TSNode pk = ts_node_named_child(params, k);
        if (node_is(pk, SYM.typed_parameter)) pk = ts_node_named_child(pk, 0); /* **kw: Any */
        if (node_is(pk, SYM.dictionary_splat_pattern) &&
            node_text_eq(ctx->src, ts_node_named_child(pk, 0), t))
          return SPLAT_WITH_TIMEOUT;
      }
    }
    /* `kwargs = connection_kwargs(...)`, a function of this file whose
       returned dict names socket_timeout; or a method of the class
       (`options = cls.redis_options(config)`, `self._conn_kwargs()`) */
    if (rc.found && rc.value && !rc.param && node_is(rc.expr, SYM.call)) {
      TSNode callee = ts_node_child_by_field_id(rc.expr, SYM.f_function);
      bool method = node_is(callee, SYM.attribute);
      if (method) {
        TSNode obj = ts_node_child_by_field_id(callee, SYM.f_object);
        method = c->cls >= 0 && node_is(obj, SYM.identifier) &&
                 (node_text_eq(ctx->src, obj, "self") || node_text_eq(ctx->src, obj, "cls") ||
                  node_text_eq(ctx->src, obj, model_class(ctx->model, c->cls)->name));
        callee = method ? ts_node_child_by_field_id(callee, SYM.f_attribute) : (TSNode){0};
      }
      for (size_t fi = 0; node_is(callee, SYM.identifier) && fi < model_nfunctions(ctx->model); fi++) {
        const Function *g = model_function(ctx->model, (int)fi);
            if (!g->name || !node_text_eq(ctx->src, callee, g->name)) continue;
        /* through self/cls: a method of this class or of a base class in this
           file (any of the file's functions of that name: a @staticmethod's
           cls is -1) */
        if (!method && (g->parent >= 0 || g->cls >= 0)) continue;
        const char *body = ctx_text(ctx, g->node);
        if (strstr(body, "\"socket_timeout\"") || strstr(body, "'socket_timeout'") ||
            strstr(body, "socket_timeout="))
          return SPLAT_WITH_TIMEOUT;
      }
    }
    if (!(rc.found && rc.value && !rc.param && node_is(rc.expr, SYM.dictionary)) && c->func >= 0) {
      /* `opts[...] = x` after `opts = {...}` hides the dict from the
         reaching definition: take the last plain `opts = {...}` before */
      LastDict ld = {ctx, t, nstart(c->node), {{0}, 0, 0}, false};
      node_walk(model_function(ctx->model, c->func)->node, last_dict_visit, &ld);
      if (ld.copied) return SPLAT_WITH_TIMEOUT; /* then changed: `kwargs["parser_class"] = ...` */
      if (!ts_node_is_null(ld.dict)) {
        rc.found = rc.value = true;
        rc.param = false;
        rc.expr = ld.dict;
      }
    }
    if (!rc.found || !rc.value || rc.param || !node_is(rc.expr, SYM.dictionary)) return SPLAT_UNKNOWN;
    for (uint32_t k = 0; k < ts_node_named_child_count(rc.expr); k++) {
      TSNode pair = ts_node_named_child(rc.expr, k);
      if (!node_is(pair, SYM.pair)) return SPLAT_UNKNOWN; /* **more inside */
      TSNode key = ts_node_child_by_field_id(pair, SYM.f_key);
      if (!node_is(key, SYM.string)) return SPLAT_UNKNOWN;
      const char *kt = ctx_text(ctx, key);
      if (strstr(kt, "socket_timeout") && !strstr(kt, "socket_connect_timeout")) verdict = SPLAT_WITH_TIMEOUT;
    }
    /* a dict changed between where it is built and the construction
       (`opts["socket_timeout"] = 5`, `opts.update(...)`) */
    uint32_t from = nend(rc.expr), to = nstart(c->node);
    const char *ops[] = {"[", ".update(", ".setdefault(", ".pop(", "|="};
    for (size_t o = 0; o < sizeof ops / sizeof *ops && from < to; o++) {
      const char *needle = arena_printf(ctx->arena, "%s%s", t, ops[o]);
      size_t nl = strlen(needle);
      for (uint32_t at = from; at + nl <= to; at++) {
        if (memcmp(ctx->src->text + at, needle, nl)) continue;
        /* `kwargs["password"] = pw`: another literal key leaves the timeout
           as it was (the name must end there: not `xkwargs[`) */
        if (at > 0 && (isalnum((unsigned char)ctx->src->text[at - 1]) || ctx->src->text[at - 1] == '_'))
          continue;
        if (o == 0 && verdict == SPLAT_WITH_TIMEOUT) {
          const char *k = ctx->src->text + at + nl;
          size_t rest = to - (at + nl);
          if (rest > 1 && (*k == '"' || *k == '\'')) {
            const char *close = memchr(k + 1, *k, rest - 1);
            if (close && close[1] == ']' && !(close - k - 1 == 14 && !memcmp(k + 1, "socket_timeout", 14)))
              continue;
          }
        }
        return SPLAT_UNKNOWN;
      }
    }
  }
  return verdict;
}

/* A unix socket: `unix_socket_path=` or a unix:// URL. */
static bool unix_socket(RuleCtx *ctx, const Ctor *c, const char *url) {
  TSNode cc = ctor_kwarg(ctx, c, "connection_class"); /* ConnectionPool(connection_class=Unix...) */
  return !ts_node_is_null(ctor_kwarg(ctx, c, "unix_socket_path")) ||
         (url && !strncmp(url, "unix://", 7)) ||
         (!ts_node_is_null(cc) && strstr(ctx_text(ctx, cc), "UnixDomainSocket"));
}

/* What RL402 needs to know of the file once, not per construction. */
typedef struct Blocking {
  const CallSite *call;  /* a blocking command or pubsub() of this file, or NULL */
  const char *elsewhere; /* ... else another module of the project that sends one */
  bool worker;           /* the file hands connections to an rq worker */
} Blocking;

/* `AppRedis()`, a client subclass of this file whose __init__ handles the
 * socket timeout (a default it passes to super().__init__). */
static bool subclass_sets_timeout(RuleCtx *ctx, const Ctor *c) {
  TSNode fn = ts_node_child_by_field_id(c->node, SYM.f_function);
  if (!node_is(fn, SYM.identifier)) return false;
  for (size_t i = 0; i < model_nfunctions(ctx->model); i++) {
    const Function *f = model_function(ctx->model, i);
    if (f->cls < 0 || f->parent >= 0 || !f->name || strcmp(f->name, "__init__")) continue;
    const Class *k = model_class(ctx->model, f->cls);
    if (!k->is_client_class || !node_text_eq(ctx->src, fn, k->name)) continue;
    const char *body = ctx_text(ctx, f->node);
    if (strstr(body, "socket_timeout")) return true;
  }
  return false;
}

static void check_ctor(RuleCtx *ctx, const Ctor *c, const Blocking *bl) {
  if (c->v.kind != OBJ_CLIENT && c->v.kind != OBJ_POOL) return;
  if (c->in_process) return; /* fakeredis: no socket to time out */
  if (c->v.timeout_set || subclass_sets_timeout(ctx, c)) return;
  /* a client built to send SHUTDOWN: SHUTDOWN SAVE answers after the whole
     RDB is written, and redis-py's shutdown() swallows only ConnectionError:
     a short timeout would abort the stop midway */
  if (c->func >= 0 && strstr(ctx_text(ctx, model_function(ctx->model, c->func)->node), ".shutdown("))
    return;
  if (ctor_is_sentinel_child(ctx, c)) return;
  if (!ts_node_is_null(ctor_kwarg(ctx, c, "connection_pool"))) return; /* checked at the pool */
  TSNode st = ctor_kwarg(ctx, c, "socket_timeout");
  TSNode ct = ctor_kwarg(ctx, c, "socket_connect_timeout");
  const char *url = c->from_url ? ctor_url(ctx, c, NULL) : NULL;
  if (c->from_url && !url) return; /* an unknown URL may carry ?socket_timeout= */
  bool st_ok = (!ts_node_is_null(st) && !none_literal(st)) ||
               (url && url_query_has(url, "socket_timeout"));
  bool ct_ok = (!ts_node_is_null(ct) && !none_literal(ct)) ||
               (url && url_query_has(url, "socket_connect_timeout"));
  if (st_ok) return;
  bool splat = call_has_splat(c->args);
  if (splat) {
    SplatKnown k = known_splat(ctx, c);
    if (k == SPLAT_WITH_TIMEOUT) return; /* the dict this code builds sets it */
    splat = k == SPLAT_UNKNOWN;        /* a known dict without it: no hedge */
  }
  bool local = unix_socket(ctx, c, url);
  const char *what = ctor_display(ctx, c);
  const char *explicit_none = !ts_node_is_null(st) ? " (socket_timeout=None)" : "";
  /* an example or a one-off script that hangs is stopped by hand: a note */
  bool example = in_example_code(ctx->src, ctx->opt, true);
  /* a unix socket has no network to partition, but a server that stops
     answering (a long command, a paused process) still blocks forever */
  Finding *f = local
      ? rule_report(ctx, c->node, SEV_INFO,
                    "`%s` has no socket timeout on a unix socket: no network partition can "
                    "strand it, but %s a server that stops answering (a long script, a paused "
                    "process) blocks its caller forever%s",
                    what, version_said(ctx), splat ? "; the `**` arguments may set one" : "")
      : rule_report(
            ctx, c->node, splat || example ? SEV_INFO : SEV_WARNING,
            "`%s` has no socket timeout%s%s: %s a command sent to a server that stops answering "
            "(failover, network partition) waits forever and blocks its caller%s",
            what, explicit_none, ct_ok ? "" : " and no connect timeout", version_said(ctx),
            splat ? "; the `**` arguments may set one" : "");
  const char *add_st = arena_printf(ctx->arena, "socket_timeout=%ld", ctx->opt->socket_timeout);
  const char *add_ct =
      arena_printf(ctx->arena, "socket_connect_timeout=%ld", ctx->opt->socket_timeout);
  if (!ts_node_is_null(st)) { /* socket_timeout=None: replace the value */
    finding_fix(ctx, f, FIX_UNSAFE, "Set a finite timeout: `socket_timeout=%ld`",
                ctx->opt->socket_timeout);
    finding_edit(ctx, f, nstart(st), nend(st),
                 arena_printf(ctx->arena, "%ld", ctx->opt->socket_timeout));
    return;
  }
  /* socket_connect_timeout exists from redis-py 2.10 on: an older pin gets
   * socket_timeout alone (an unknown keyword raises TypeError) */
  if (pyver_before(ctx->pyver, 2, 10)) ct_ok = true;
  const char *add = ct_ok ? add_st : arena_printf(ctx->arena, "%s, %s", add_st, add_ct);
  const CallSite *blocking = bl->call;
  const char *elsewhere = bl->elsewhere;
  if (blocking || elsewhere || bl->worker) {
    /* a short timeout would break the blocking reads this code relies on:
     * say what to do, do not write it */
    const char *why =
        blocking ? arena_printf(ctx->arena, "this file also %s (line %u), which waits "
                                "longer than a short socket timeout allows",
                                blocking->cmd ? arena_printf(ctx->arena, "sends %s", blocking->cmd->name)
                                              : "subscribes through pubsub()",
                                ts_node_start_point(blocking->node).row + 1)
        : elsewhere ? arena_printf(ctx->arena, "the project also sends blocking commands (module "
                                   "`%s`), maybe through clients built here", elsewhere)
                    : "this file hands connections to an rq worker, which waits in BLPOP for "
                      "minutes and stops on a socket timeout";
    finding_fix(ctx, f, FIX_DISPLAY,
                "Add `%s` to the clients that serve short commands; %s: give that one a "
                "socket_timeout above its blocking timeout, or a client of its own",
                add, why);
    return;
  }
  /* `**options` may already hold socket_timeout: adding it again raises
   * TypeError (multiple values for a keyword argument). */
  finding_fix(ctx, f, splat ? FIX_DISPLAY : FIX_UNSAFE,
              "Add `%s` (seconds; blocking commands then need a client with a larger timeout, "
              "and slow commands raise TimeoutError)%s",
              add, splat ? ", unless the `**` arguments already set it" : "");
  if (!splat) fix_add_kwarg_to(ctx, f, c->args, add);
}

static void check(RuleCtx *ctx) {
  if (ctx->pyver && ctx->pyver->cls == PYV_8_OR_LATER) return; /* 5 s defaults */
  if (in_test_code(ctx->src, ctx->opt)) return; /* a test's client talks to a local throwaway server */
  Blocking bl = {blocking_call(ctx), NULL, feeds_worker(ctx)};
  if (!bl.call) bl.elsewhere = model_project_blocking(ctx->model);
  for (size_t i = 0; i < model_nctors(ctx->model); i++) check_ctor(ctx, model_ctor(ctx->model, i), &bl);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/missing-socket-timeout.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_missing_socket_timeout = {
    .check_file = check,
};
