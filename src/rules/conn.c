/* rules/conn.c - connection facts of constructions (see conn.h). */
#include "conn.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *ctor_display(RuleCtx *ctx, const Ctor *c) {
  TSNode fn = ts_node_child_by_field_id(c->node, SYM.f_function);
  return arena_printf(ctx->arena, "%s(...)", node_text_squeezed(ctx->arena, ctx->src, fn));
}

const char *ctor_callee(RuleCtx *ctx, const Ctor *c) {
  TSNode fn = ts_node_child_by_field_id(c->node, SYM.f_function);
  TSNode last = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
  return ctx_text(ctx, last);
}

TSNode ctor_kwarg(RuleCtx *ctx, const Ctor *c, const char *name) {
  return call_kwarg(ctx->src, c->args, name);
}

bool ctor_is_sentinel_child(RuleCtx *ctx, const Ctor *c) {
  const char *callee = ctor_callee(ctx, c);
  return !strcmp(callee, "master_for") || !strcmp(callee, "slave_for");
}

TSNode ctor_url_arg(RuleCtx *ctx, const Ctor *c) {
  TSNode none = {0};
  if (!c->from_url) return none;
  TSNode u = call_arg(c->args, 0);
  if (ts_node_is_null(u)) u = call_kwarg(ctx->src, c->args, "url");
  return node_is(u, SYM.list_splat) ? none : u;
}

const char *literal_text(RuleCtx *ctx, TSNode n, int scope, TSNode *lit) {
  if (ts_node_is_null(n)) return NULL;
  int sc = scope;
  TSNode v = model_resolve(ctx->model, n, &sc);
  if (!node_is(v, SYM.string) && !node_is(v, SYM.concatenated_string)) return NULL;
  KeyTpl t = keytpl_eval(ctx->model, v, sc, 0);
  if (!t.text || t.nholes || t.opaque) return NULL;
  if (lit) *lit = v;
  return t.text;
}

const char *ctor_url(RuleCtx *ctx, const Ctor *c, TSNode *lit) {
  TSNode u = ctor_url_arg(ctx, c);
  if (ts_node_is_null(u)) return NULL;
  int sc = c->scope;
  TSNode v = model_resolve(ctx->model, u, &sc);
  KeyTpl t = keytpl_eval(ctx->model, v, sc, 0);
  if (!t.text || t.opaque) return NULL;
  if (lit) *lit = (node_is(v, SYM.string) || node_is(v, SYM.concatenated_string)) ? v : (TSNode){0};
  return t.text;
}

bool url_query_has(const char *url, const char *name) {
  const char *q = strchr(url, '?');
  size_t n = strlen(name);
  while (q) {
    q++;
    if (!strncmp(q, name, n) && q[n] == '=') return true;
    q = strchr(q, '&');
  }
  return false;
}

bool url_authority(const char *url, const char **start, const char **at, const char **end) {
  const char *s = strstr(url, "://");
  if (!s) return false;
  s += 3;
  *start = s;
  *end = s + strcspn(s, "/?#");
  *at = NULL;
  for (const char *p = s; p < *end; p++)
    if (*p == '@') *at = p; /* the last one: a password may hold an '@' */
  return true;
}

bool url_host(const char *url, char *buf, size_t cap) {
  const char *s, *at, *end;
  if (!strncasecmp(url, "unix", 4) || cap == 0 || !url_authority(url, &s, &at, &end)) return false;
  if (at) s = at + 1;
  const char *h_end;
  if (*s == '[') { /* [::1]:6379 */
    const char *close = memchr(s, ']', (size_t)(end - s));
    if (!close) return false;
    s++;
    h_end = close;
  } else {
    h_end = memchr(s, ':', (size_t)(end - s));
    if (!h_end) h_end = end;
  }
  size_t n = (size_t)(h_end - s);
  if (n == 0 || n >= cap || memchr(s, KEY_HOLE, n)) return false;
  memcpy(buf, s, n);
  buf[n] = '\0';
  return true;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && !strcasecmp(s + a - b, suffix);
}

bool host_loopback(const char *host) {
  return !strcasecmp(host, "localhost") || !strncmp(host, "127.", 4) || !strcmp(host, "::1") ||
         !strcmp(host, "[::1]");
}

HostKind host_kind(const char *host) {
  if (!strcasecmp(host, "localhost") || !strncmp(host, "127.", 4) || !strcmp(host, "::1") ||
      !strcmp(host, "0.0.0.0") || !strcasecmp(host, "host.docker.internal") ||
      ends_with(host, ".localhost") || ends_with(host, ".local") ||
      ends_with(host, ".localdomain"))
    return HOST_LOCAL;
  if (!strchr(host, '.') && !strchr(host, ':')) return HOST_LOCAL; /* compose service name */
  if (!strncmp(host, "10.", 3) || !strncmp(host, "192.168.", 8)) return HOST_PRIVATE;
  if (!strncmp(host, "172.", 4)) {
    long b = strtol(host + 4, NULL, 10);
    if (b >= 16 && b <= 31) return HOST_PRIVATE;
  }
  static const char *const internal[] = {".internal", ".svc", ".cluster.local", ".lan", ".corp",
                                         ".intra", ".intranet", ".home.arpa"};
  for (size_t i = 0; i < sizeof internal / sizeof internal[0]; i++)
    if (ends_with(host, internal[i])) return HOST_PRIVATE;
  return HOST_PUBLIC;
}

typedef struct Escape {
  RuleCtx *ctx;
  const char *name;
  bool escapes;
  TSNode body; /* the function's body: its `global` statements */
  int depth;   /* locals followed: `broker = Broker(pool=pool); return broker` */
} Escape;

static bool escapes_from(RuleCtx *ctx, TSNode body, const char *name, int depth);

typedef struct GlobalName {
  RuleCtx *ctx;
  TSNode name;
  bool found;
} GlobalName;

static bool visit_global(TSNode n, void *data) {
  GlobalName *g = data;
  if (g->found) return false;
  uint16_t s = ts_node_symbol(n);
  if (s == SYM.function_definition || s == SYM.class_definition || s == SYM.lambda) return false;
  if (s != SYM.global_statement && strcmp(ts_node_type(n), "nonlocal_statement")) return true;
  for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
    TSNode id = ts_node_named_child(n, i);
    uint32_t a = nstart(id), b = nend(id), c = nstart(g->name), d = nend(g->name);
    if (b - a == d - c && !memcmp(g->ctx->src->text + a, g->ctx->src->text + c, b - a))
      g->found = true;
  }
  return false;
}

/* Is `id` declared `global` or `nonlocal` in the function body? */
static bool declared_global(RuleCtx *ctx, TSNode body, TSNode id) {
  GlobalName g = {ctx, id, false};
  for (uint32_t i = 0; i < ts_node_named_child_count(body) && !g.found; i++)
    node_walk(ts_node_named_child(body, i), visit_global, &g);
  return g.found;
}

static bool is_name(RuleCtx *ctx, TSNode n, const char *name) {
  return node_is(n, SYM.identifier) && node_text_eq(ctx->src, n, name);
}

typedef struct Carry {
  RuleCtx *ctx;
  const char *name;
  bool found;
} Carry;

/* Methods whose result keeps the client (its pool) alive. */
static bool handle_method(RuleCtx *ctx, TSNode attr) {
  static const char *const keep[] = {"pipeline", "pubsub", "lock", "register_script", "monitor",
                                     "json", "ts", "ft", "bf", "cf", "graph"};
  for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
    if (node_text_eq(ctx->src, attr, keep[i])) return true;
  return false;
}

static bool visit_carry(TSNode n, void *data) {
  Carry *c = data;
  if (c->found) return false;
  if (!node_is(n, SYM.identifier) || !node_text_eq(c->ctx->src, n, c->name)) return true;
  TSNode p = ts_node_parent(n);
  if (node_is(p, SYM.keyword_argument) && ts_node_eq(ts_node_child_by_field_id(p, SYM.f_name), n))
    return true;
  if (node_is(p, SYM.attribute)) {
    if (!ts_node_eq(ts_node_child_by_field_id(p, SYM.f_object), n)) return true; /* x.r */
    /* r.get(k): the reply, not the client; r.pipeline(): keeps it */
    TSNode call = ts_node_parent(p);
    if (node_is(call, SYM.call) && ts_node_eq(ts_node_child_by_field_id(call, SYM.f_function), p) &&
        !handle_method(c->ctx, ts_node_child_by_field_id(p, SYM.f_attribute)))
      return true;
  }
  c->found = true;
  return false;
}

/* Can the value of `n` be the client bound to `name` (or hold it)? Not when
 * the name only appears as the receiver of a command: `return r.get(k)`. */
static bool mentions(RuleCtx *ctx, TSNode n, const char *name) {
  if (ts_node_is_null(n)) return false;
  Carry c = {ctx, name, false};
  node_walk(n, visit_carry, &c);
  return c.found;
}

static bool visit_escape(TSNode n, void *data) {
  Escape *e = data;
  if (e->escapes) return false;
  uint16_t s = ts_node_symbol(n);
  if (s == SYM.function_definition || s == SYM.class_definition || s == SYM.lambda)
    return true; /* nested scopes: a closure keeping the client also keeps it alive */
  if (s == SYM.return_statement || ts_node_type(n)[0] == 'y') { /* return / yield */
    if (mentions(e->ctx, n, e->name)) e->escapes = true;
    return !e->escapes;
  }
  if (s == SYM.global_statement || !strcmp(ts_node_type(n), "nonlocal_statement")) {
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
      if (is_name(e->ctx, ts_node_named_child(n, i), e->name)) e->escapes = true;
    return false;
  }
  if (s == SYM.assignment) {
    TSNode left = ts_node_child_by_field_id(n, SYM.f_left);
    TSNode right = ts_node_child_by_field_id(n, SYM.f_right);
    if ((node_is(left, SYM.attribute) || node_is(left, SYM.subscript)) &&
        mentions(e->ctx, right, e->name))
      e->escapes = true; /* self.client = r, registry[k] = r */
    else if (node_is(left, SYM.identifier) && !is_name(e->ctx, left, e->name) &&
             mentions(e->ctx, right, e->name) && declared_global(e->ctx, e->body, left))
      e->escapes = true; /* global client; client = Redis(connection_pool=pool) */
    else if (node_is(left, SYM.identifier) && !is_name(e->ctx, left, e->name) &&
             node_is(right, SYM.call) && mentions(e->ctx, right, e->name) && e->depth < 3 &&
             escapes_from(e->ctx, e->body, ctx_text(e->ctx, left), e->depth + 1))
      e->escapes = true; /* broker = Broker(connection_pool=pool); return broker */
  }
  return true;
}

static bool escapes_from(RuleCtx *ctx, TSNode body, const char *name, int depth) {
  Escape e = {ctx, name, false, body, depth};
  for (uint32_t i = 0; i < ts_node_named_child_count(body) && !e.escapes; i++)
    node_walk(ts_node_named_child(body, i), visit_escape, &e);
  return e.escapes;
}

bool name_escapes(RuleCtx *ctx, int func, const char *name) {
  const Function *fn = model_function(ctx->model, func);
  if (!fn) return true;
  return escapes_from(ctx, ts_node_child_by_field_id(fn->node, SYM.f_body), name, 0);
}
