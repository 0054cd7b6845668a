/* RL602 plaintext-connection: a client that talks to a remote host without
 * TLS, or with TLS whose certificate checks are turned off. Redis' protocol
 * is plain text: AUTH sends the password as written, and every key and value
 * crosses the network readable and writable by anyone on the path. */
#include <string.h>
#include <strings.h>

#include "conn.h"

/* Is TLS asked for: ssl=True, connection_class=SSLConnection, rediss://?
 * TRI_UNKNOWN when ssl= is not a literal. */
static Tri uses_tls(RuleCtx *ctx, const Ctor *c, const char *url) {
  if (url && !strncasecmp(url, "rediss://", 9)) return TRI_TRUE;
  TSNode ssl = ctor_kwarg(ctx, c, "ssl");
  if (!ts_node_is_null(ssl)) {
    if (node_is(ssl, SYM.true_)) return TRI_TRUE;
    if (!node_is(ssl, SYM.false_)) return TRI_UNKNOWN;
  }
  TSNode cc = ctor_kwarg(ctx, c, "connection_class");
  if (!ts_node_is_null(cc)) {
    const char *t = ctx_text(ctx, cc);
    return strstr(t, "SSL") || strstr(t, "Ssl") ? TRI_TRUE : TRI_UNKNOWN;
  }
  return TRI_FALSE;
}

/* The host the construction connects to, when it is written: host= (or the
 * first positional of Redis/RedisCluster), the URL's host. */
static bool ctor_host(RuleCtx *ctx, const Ctor *c, const char *url, char *buf, size_t cap,
                      TSNode *at) {
  if (c->from_url) {
    if (!url || !url_host(url, buf, cap)) return false;
    *at = ctor_url_arg(ctx, c);
    return true;
  }
  if (c->v.kind == OBJ_SENTINEL || ctor_is_sentinel_child(ctx, c)) return false;
  if (!ts_node_is_null(ctor_kwarg(ctx, c, "unix_socket_path")) ||
      !ts_node_is_null(ctor_kwarg(ctx, c, "connection_pool")))
    return false;
  TSNode h = ctor_kwarg(ctx, c, "host");
  if (ts_node_is_null(h) && c->v.kind == OBJ_CLIENT) h = call_arg(c->args, 0);
  const char *text = literal_text(ctx, h, c->scope, NULL);
  if (!text || !*text || strlen(text) >= cap) return false;
  memcpy(buf, text, strlen(text) + 1);
  *at = h;
  return true;
}

static const char *const VERIFY_FIX =
    "Verify the server: `ssl_cert_reqs=\"required\"` with `ssl_ca_certs=` the CA bundle that "
    "signed it, and `ssl_check_hostname=True`";

/* ssl_cert_reqs="none"/None/ssl.CERT_NONE, ssl_check_hostname=False, or
 * ?ssl_cert_reqs=none in the URL. */
static void check_verification(RuleCtx *ctx, const Ctor *c, const char *url) {
  TSNode reqs = ctor_kwarg(ctx, c, "ssl_cert_reqs");
  TSNode host = ctor_kwarg(ctx, c, "ssl_check_hostname");
  const char *off = NULL;
  TSNode at = {0};
  if (!ts_node_is_null(reqs)) {
    const char *t = ctx_text(ctx, reqs);
    if (node_is(reqs, SYM.none) || strstr(t, "CERT_NONE") || !strcasecmp(t, "\"none\"") ||
        !strcasecmp(t, "'none'")) {
      off = "certificate verification is turned off";
      at = ts_node_parent(reqs);
    }
  }
  if (!off && node_is(host, SYM.false_)) {
    off = "host name verification is turned off";
    at = ts_node_parent(host);
  }
  if (!off && url && (strstr(url, "ssl_cert_reqs=none") || strstr(url, "ssl_cert_reqs=NONE"))) {
    off = "certificate verification is turned off in the URL";
    at = ctor_url_arg(ctx, c);
  }
  if (!off) return;
  Finding *f = rule_report(ctx, at, SEV_WARNING,
                           "TLS to Redis with %s: anyone on the network path can present any "
                           "certificate, read the traffic and the password, and change replies",
                           off);
  finding_fix(ctx, f, FIX_DISPLAY, "%s", VERIFY_FIX);
}

/* How the file names redis-py's SSLConnection for the pool (the asyncio one
 * for an asyncio pool): `redis.SSLConnection`, `aioredis.SSLConnection`,
 * `SSLConnection`; NULL when neither it nor its module is imported. */
static const char *ssl_connection_class(RuleCtx *ctx, const Ctor *c) {
  const char *mod = c->v.is_async ? "redis.asyncio" : "redis";
  const char *local = model_local_for(ctx->model, arena_printf(ctx->arena, "%s.SSLConnection", mod));
  if (local) return local;
  local = model_local_for(ctx->model, mod);
  return local ? arena_printf(ctx->arena, "%s.SSLConnection", local) : NULL;
}

static void check_ctor(RuleCtx *ctx, const Ctor *c) {
  if (c->v.kind != OBJ_CLIENT && c->v.kind != OBJ_POOL) return;
  if (c->in_process) return; /* fakeredis: nothing crosses a network */
  TSNode lit = {0};
  const char *url = c->from_url ? ctor_url(ctx, c, &lit) : NULL;
  check_verification(ctx, c, url);
  Tri tls = uses_tls(ctx, c, url);
  if (tls != TRI_FALSE) return;
  char host[256];
  TSNode at = {0};
  if (!ctor_host(ctx, c, url, host, sizeof host, &at)) return;
  /* private addresses and internal names: often plaintext by design inside
   * one network; only hosts with public names are reported */
  if (host_kind(host) != HOST_PUBLIC) return;
  Finding *f = rule_report(ctx, at, SEV_WARNING,
                           "connection to `%s` without TLS: the password (AUTH) and every key "
                           "and value cross the network in clear text",
                           host);
  /* redis:// -> rediss:// inside the literal itself; ssl=True for host= */
  if (c->from_url) {
    TSNode arg = ctor_url_arg(ctx, c);
    if (!ts_node_is_null(lit) && ts_node_eq(lit, arg)) {
      const char *t = ctx->src->text;
      for (uint32_t i = nstart(lit); i + 8 <= nend(lit); i++)
        if (!strncasecmp(t + i, "redis://", 8)) {
          finding_fix(ctx, f, FIX_UNSAFE,
                      "Use TLS: `rediss://` (the server must listen with TLS, e.g. port 6380 on "
                      "managed services)");
          finding_edit(ctx, f, i, i + 8, "rediss://");
          return;
        }
    }
    finding_fix(ctx, f, FIX_DISPLAY, "Use TLS: a `rediss://` URL");
    return;
  }
  /* `**options` may already hold the argument: adding it again raises
   * TypeError (multiple values for a keyword argument). */
  bool splat = call_has_splat(c->args);
  if (c->v.kind == OBJ_POOL) { /* a pool passes ssl= on to Connection(), which rejects it */
    const char *cls = ssl_connection_class(ctx, c);
    finding_fix(ctx, f, cls && !splat ? FIX_UNSAFE : FIX_DISPLAY,
                "Use TLS: a pool takes `connection_class=%s` (not ssl=True; the server must "
                "listen with TLS; verify its certificate with `ssl_ca_certs=`)",
                cls ? cls : "SSLConnection");
    if (cls && !splat)
      fix_add_kwarg_to(ctx, f, c->args, arena_printf(ctx->arena, "connection_class=%s", cls));
    return;
  }
  finding_fix(ctx, f, splat ? FIX_DISPLAY : FIX_UNSAFE,
              "Use TLS: add `ssl=True` (the server must listen with TLS; verify its certificate "
              "with `ssl_ca_certs=`)");
  if (!splat) fix_add_kwarg_to(ctx, f, c->args, "ssl=True");
}

static void check(RuleCtx *ctx) {
  if (in_test_code(ctx->src, ctx->opt)) return; /* tests talk to local or fake servers */
  for (size_t i = 0; i < model_nctors(ctx->model); i++) check_ctor(ctx, model_ctor(ctx->model, i));
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/plaintext-connection.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_plaintext_connection = {
    .check_file = check,
};
