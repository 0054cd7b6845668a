/* RL601 hardcoded-credentials: a Redis password written in the source: in
 * a client, pool, cluster or sentinel construction (password=, a sentinel's
 * {"password": ...}), or in a redis:// URL literal anywhere in the code
 * (settings modules, Celery broker URLs, Django CACHES). Anyone who can read
 * the repository, its history, a wheel or a container image has it, and
 * rotating it means a code change. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "conn.h"

/* A value written to be replaced, not a secret: ${VAR}, <password>,
 * [[password]], {password}, %(password)s, %s, xxx, ***, ..., your-password,
 * changeme, the word password/secret/pass itself, also as the end of an
 * optional part (`[username:password]`). */
static bool bracketed(const char *v, char open, char close) {
  const char *o = strchr(v, open);
  return o && strchr(o + 1, close);
}

static bool placeholder(const char *v) {
  size_t n = strlen(v);
  if (n == 0) return true;
  /* `redis://[username:password]@host`: the optional part of a documented
     URL format; the password is what the brackets hold */
  if (v[n - 1] == ']' && !strchr(v, '[')) {
    char inner[64];
    if (n - 1 >= sizeof inner) return false;
    memcpy(inner, v, n - 1);
    inner[n - 1] = '\0';
    return placeholder(inner);
  }
  /* marks of a template; a lone $, <, { or % is just a character of a
   * generated password ("Hn4$tq9z", "p%40ss" URL-encoded) */
  if (strstr(v, "${") || bracketed(v, '<', '>') || bracketed(v, '{', '}') || strstr(v, "[[") ||
      strstr(v, "%(") || strstr(v, "%s") || strchr(v, KEY_HOLE))
    return true;
  static const char ident[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";
  if (v[0] == '$' && n > 1 && strspn(v + 1, ident) == n - 1) return true; /* $REDIS_PASSWORD */
  bool same = true;
  for (size_t i = 1; i < n; i++) same &= tolower((unsigned char)v[i]) == tolower((unsigned char)v[0]);
  if (same && (v[0] == 'x' || v[0] == 'X' || v[0] == '*' || v[0] == '.' || v[0] == '-')) return true;
  static const char *const words[] = {"password", "passwd", "pass", "secret", "changeme",
                                      "redacted", "placeholder", "none", "null", "example",
                                      "dummy", "fake", "test", "foobared", "pw", "pwd"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (!strcasecmp(v, words[i])) return true;
  static const char *const prefixes[] = {"your", "my_", "my-", "mypassword", "example", "dummy",
                                         "fake", "changeme", "replace", "insert", "enter",
                                         "pwdstring", "passwordstring"};
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
    if (!strncasecmp(v, prefixes[i], strlen(prefixes[i]))) return true;
  return false;
}

/* "hu…": enough to find it, not enough to leak it again in a report. */
static const char *masked(RuleCtx *ctx, const char *v) {
  return arena_printf(ctx->arena, "%.2s…", v);
}

static const char *const FIX =
    "Read it from the environment or a secret store (`password=os.environ[\"REDIS_PASSWORD\"]`, "
    "`redis.from_url(os.environ[\"REDIS_URL\"])`), and rotate the password: it is in the "
    "history";

static void report_literal(RuleCtx *ctx, TSNode at, const char *what, const char *secret,
                           bool loopback) {
  for (size_t i = 0; i < ctx->findings->len; i++) { /* a constant used by several clients */
    const Finding *g = vec_at(ctx->findings, i);
    if (g->rule == ctx->rule && g->start == nstart(at)) return;
  }
  Finding *f = loopback
      ? rule_report(ctx, at, SEV_INFO,
                    "%s written in the source (`%s`) for a server on this machine (loopback): "
                    "likely a development default, but if production uses the same password, "
                    "anyone with the code has it",
                    what, masked(ctx, secret))
      : rule_report(ctx, at, SEV_ERROR,
                    "%s written in the source (`%s`): anyone with the code, its history "
                    "or a built image has the Redis credentials",
                    what, masked(ctx, secret));
  finding_fix(ctx, f, FIX_DISPLAY, "%s", FIX);
}

/* The password of a redis URL: "redis://user:pw@host" -> "pw"; NULL if none. */
static const char *url_password(RuleCtx *ctx, const char *url) {
  const char *s, *at, *end;
  if (!url_authority(url, &s, &at, &end) || !at) return NULL;
  const char *colon = memchr(s, ':', (size_t)(at - s));
  if (!colon || colon + 1 >= at) return NULL;
  return arena_strndup(ctx->arena, colon + 1, (size_t)(at - colon - 1));
}

/* Does the URL name a server on this machine (localhost, 127.x.x.x, ::1)? */
static bool url_loopback(const char *url) {
  const char *s, *at, *end;
  if (!url_authority(url, &s, &at, &end)) return false;
  const char *h = at ? at + 1 : s;
  size_t n = (size_t)(end - h);
  const char *colon = h[0] == '[' ? NULL : memchr(h, ':', n);
  if (colon) n = (size_t)(colon - h);
  return (n == 9 && !strncasecmp(h, "localhost", 9)) || (n >= 4 && !strncmp(h, "127.", 4)) ||
         (n >= 5 && !strncmp(h, "[::1]", 5));
}

static bool is_docstring(TSNode s) {
  TSNode p = ts_node_parent(s);
  return node_is(p, SYM.expression_statement) && ts_node_named_child_count(p) == 1;
}

/* password= of a construction, and a sentinel's sentinel_kwargs={"password": ...}. */
static void check_ctor(RuleCtx *ctx, const Ctor *c) {
  if (c->in_process) return; /* fakeredis: a password of a fake server */
  TSNode lit = {0};
  const char *pw = literal_text(ctx, ctor_kwarg(ctx, c, "password"), c->scope, &lit);
  if (pw && !placeholder(pw)) report_literal(ctx, lit, "Redis password", pw, false);
  TSNode sk = ctor_kwarg(ctx, c, "sentinel_kwargs");
  if (!node_is(sk, SYM.dictionary)) return;
  for (uint32_t i = 0; i < ts_node_named_child_count(sk); i++) {
    TSNode pair = ts_node_named_child(sk, i);
    if (!node_is(pair, SYM.pair)) continue;
    const char *k = literal_text(ctx, ts_node_child_by_field_id(pair, SYM.f_key), c->scope, NULL);
    if (!k || strcmp(k, "password")) continue;
    TSNode vl = {0};
    const char *v = literal_text(ctx, ts_node_child_by_field_id(pair, SYM.f_value), c->scope, &vl);
    if (v && !placeholder(v)) report_literal(ctx, vl, "Sentinel password", v, false);
  }
}

/* Every string literal holding redis://...:password@ (found by a text search
 * first: most files have none). */
static void check_urls(RuleCtx *ctx) {
  const char *t = ctx->src->text;
  size_t n = ctx->src->len;
  TSNode root = model_root(ctx->model);
  uint32_t last_end = 0;
  for (size_t i = 0; i + 8 < n; i++) {
    if (t[i] != 'r' || (strncmp(t + i, "redis://", 8) && strncmp(t + i, "rediss://", 9))) continue;
    if (i < last_end) continue;
    TSNode s = ts_node_descendant_for_byte_range(root, (uint32_t)i, (uint32_t)i + 1);
    while (!ts_node_is_null(s) && !node_is(s, SYM.string)) s = ts_node_parent(s);
    if (ts_node_is_null(s)) continue; /* a comment */
    last_end = nend(s);
    if (is_docstring(s) || (string_prefix(ctx->src, s) & STR_F)) continue;
    const char *text = literal_text(ctx, s, model_scope_at(ctx->model, nstart(s)), NULL);
    if (!text) continue;
    const char *pw = url_password(ctx, text);
    if (pw && !placeholder(pw)) report_literal(ctx, s, "Password in a Redis URL", pw, url_loopback(text));
  }
}

static void check(RuleCtx *ctx) {
  if (in_test_code(ctx->src, ctx->opt)) return; /* fake passwords of URL-parsing and fixture tests */
  for (size_t i = 0; i < model_nctors(ctx->model); i++) check_ctor(ctx, model_ctor(ctx->model, i));
  check_urls(ctx);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/hardcoded-credentials.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_hardcoded_credentials = {
    .check_file = check,
};
