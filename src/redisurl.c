/* redisurl.c - the --url of `redislint audit` (see audit.h).
 *
 * The forms redis-py's from_url() takes, with the query parameters that
 * matter to an audit:
 *   redis://[[user][:password]@]host[:port][/db][?db=N]
 *   rediss://...[?ssl_cert_reqs=none|optional|required&ssl_ca_certs=PATH
 *                &ssl_certfile=PATH&ssl_keyfile=PATH&ssl_check_hostname=false]
 *   unix://[[user][:password]@]/path[?db=N]
 * The ssl_ parameters keep redis-py's names and meanings, so the URL an
 * application already uses works here unchanged: ssl_cert_reqs=optional is
 * what Python's ssl makes of it on a client, the same check as required (a
 * TLS server always shows a certificate); ssl_cert_reqs=none verifies nothing
 * and so checks no host name either. On a redis:// or unix:// URL they are an
 * error, as in redis-py, rather than a TLS setting that silently does nothing.
 * User, password and socket path are percent-decoded (a password with `@`,
 * `:` or `/` must be written %40, %3A, %2F, as in any URL). An empty user or
 * password counts as none, as in redis-py. The password is a secret: no error
 * message quotes it, or the URL that contains it, and redis_url_display()
 * shows it as `***`. */
#include "audit.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"

#define REDIS_DEFAULT_PORT 6379

static int fail(char *err, size_t errsize, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errsize, const char *fmt, ...) {
  if (err && errsize) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errsize, fmt, ap);
    va_end(ap);
  }
  return -1;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* s[0..n) percent-decoded into a new string, or NULL when an escape is
 * malformed or decodes to NUL (a C string could not carry it). */
static char *pct_decode(const char *s, size_t n) {
  char *out = xmalloc(n + 1), *o = out;
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '%') {
      *o++ = s[i];
      continue;
    }
    if (i + 2 >= n) { /* fewer than two characters follow */
      free(out);
      return NULL;
    }
    int h = hexval((unsigned char)s[i + 1]), l = hexval((unsigned char)s[i + 2]);
    if (h < 0 || l < 0 || (h == 0 && l == 0)) {
      free(out);
      return NULL;
    }
    *o++ = (char)(h * 16 + l);
    i += 2;
  }
  *o = '\0';
  return out;
}

/* A database number: 0..INT_MAX-ish, digits only. */
static int parse_db(const char *s, size_t n, int *db) {
  if (n == 0 || n > 9) return -1;
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isdigit((unsigned char)s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  *db = v;
  return 0;
}

/* redis-py's to_bool() on ssl_check_hostname: "0", "f", "false", "n", "no"
 * are false. Any other word is true there; here only the true ones are, so
 * that a typo is an error rather than a guess. */
static int parse_bool(const char *s, size_t n, bool *out) {
  static const char *const no[] = {"0", "f", "false", "n", "no"}, *const yes[] = {"1", "t", "true", "y", "yes"};
  for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
    if (strlen(no[i]) == n && !strncasecmp(s, no[i], n)) {
      *out = false;
      return 0;
    }
    if (strlen(yes[i]) == n && !strncasecmp(s, yes[i], n)) {
      *out = true;
      return 0;
    }
  }
  return -1;
}

/* What the query string said, for the checks that need all of it. */
typedef struct QuerySeen {
  bool db, cert_reqs, check_hostname;
} QuerySeen;

/* A path parameter (ssl_ca_certs=, ssl_certfile=, ssl_keyfile=): given once,
 * not empty, percent-decoded. */
static int query_path(const char *name, const char *v, size_t n, char **out, char *err, size_t errsize) {
  if (*out) return fail(err, errsize, "the URL gives %s twice", name);
  if (!n) return fail(err, errsize, "the URL's %s= is empty (want a file's path)", name);
  *out = pct_decode(v, n);
  if (!*out) return fail(err, errsize, "bad percent-escape in the URL's %s=", name);
  return 0;
}

static bool key_is(const char *k, size_t klen, const char *name) {
  return klen == strlen(name) && !strncmp(k, name, klen);
}

/* The query string: db=N, and the ssl_ parameters of rediss:// (see the top
 * of the file). Anything else is an error rather than silently ignored
 * (redis-py's socket_timeout=... and friends have their own redislint
 * options, or none). */
static int parse_query(const char *q, size_t n, int *db, RedisUrl *out, QuerySeen *seen, char *err,
                       size_t errsize) {
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && q[j] != '&') j++;
    const char *k = q + i, *eq = memchr(k, '=', j - i);
    size_t klen = eq ? (size_t)(eq - k) : j - i;
    const char *v = eq ? eq + 1 : q + j;
    size_t vlen = (size_t)(q + j - v);
    int rc = 0;
    if (key_is(k, klen, "db")) {
      if (!eq || parse_db(v, vlen, db))
        return fail(err, errsize, "bad database number in the URL's ?db= (want 0, 1, 2...)");
      seen->db = true;
    } else if (klen > 4 && !strncmp(k, "ssl_", 4) && !out->tls) {
      return fail(err, errsize, "the URL parameter %.*s is for TLS: use a rediss:// URL",
                  (int)(klen > 40 ? 40 : klen), k);
    } else if (key_is(k, klen, "ssl_cert_reqs")) {
      if (seen->cert_reqs) return fail(err, errsize, "the URL gives ssl_cert_reqs twice");
      if (vlen == 4 && !strncasecmp(v, "none", 4)) out->ssl_cert_reqs = RL_CERT_NONE;
      else if (vlen == 8 && !strncasecmp(v, "optional", 8)) out->ssl_cert_reqs = RL_CERT_OPTIONAL;
      else if (vlen == 8 && !strncasecmp(v, "required", 8)) out->ssl_cert_reqs = RL_CERT_REQUIRED;
      else return fail(err, errsize, "bad ssl_cert_reqs in the URL (want none, optional or required)");
      seen->cert_reqs = true;
    } else if (key_is(k, klen, "ssl_check_hostname")) {
      if (seen->check_hostname) return fail(err, errsize, "the URL gives ssl_check_hostname twice");
      if (parse_bool(v, vlen, &out->ssl_check_hostname))
        return fail(err, errsize, "bad ssl_check_hostname in the URL (want true or false)");
      seen->check_hostname = true;
    } else if (key_is(k, klen, "ssl_ca_certs")) {
      rc = query_path("ssl_ca_certs", v, vlen, &out->ssl_ca_certs, err, errsize);
    } else if (key_is(k, klen, "ssl_certfile")) {
      rc = query_path("ssl_certfile", v, vlen, &out->ssl_certfile, err, errsize);
    } else if (key_is(k, klen, "ssl_keyfile")) {
      rc = query_path("ssl_keyfile", v, vlen, &out->ssl_keyfile, err, errsize);
    } else if (j > i) {
      return fail(err, errsize, "unknown URL parameter '%.*s' (understood: db%s)", (int)(klen > 40 ? 40 : klen), k,
                  out->tls ? ", ssl_cert_reqs, ssl_ca_certs, ssl_certfile, ssl_keyfile, ssl_check_hostname" : "");
    }
    if (rc) return rc;
    i = j + 1;
  }
  if (out->ssl_keyfile && !out->ssl_certfile)
    return fail(err, errsize, "the URL gives ssl_keyfile without ssl_certfile (the client certificate)");
  if (out->ssl_cert_reqs == RL_CERT_NONE) {
    /* Python's ssl refuses a host name check without verification; so do we
     * when asked for one, and otherwise none means none. */
    if (seen->check_hostname && out->ssl_check_hostname)
      return fail(err, errsize, "ssl_check_hostname=true needs a verified certificate, and ssl_cert_reqs=none "
                  "verifies none");
    out->ssl_check_hostname = false;
  }
  return 0;
}

/* userinfo "user:password", ":password", "user" (already split from '@'). */
static int parse_userinfo(const char *s, size_t n, RedisUrl *out, char *err, size_t errsize) {
  const char *colon = memchr(s, ':', n);
  size_t ulen = colon ? (size_t)(colon - s) : n;
  if (ulen) {
    out->user = pct_decode(s, ulen);
    if (!out->user) return fail(err, errsize, "bad percent-escape in the URL's user name");
  }
  if (colon && n - ulen - 1 > 0) {
    out->password = pct_decode(colon + 1, n - ulen - 1);
    if (!out->password) return fail(err, errsize, "bad percent-escape in the URL's password");
  }
  return 0;
}

static int parse_hostport(const char *s, size_t n, RedisUrl *out, char *err, size_t errsize) {
  const char *h = s, *port = NULL;
  size_t hlen;
  if (n && s[0] == '[') { /* [IPv6]:port */
    const char *close = memchr(s, ']', n);
    if (!close) return fail(err, errsize, "unclosed '[' in the URL's host");
    h = s + 1;
    hlen = (size_t)(close - h);
    const char *rest = close + 1;
    if (rest < s + n) {
      if (*rest != ':') return fail(err, errsize, "unexpected text after ']' in the URL's host");
      port = rest + 1;
    }
  } else {
    const char *colon = memchr(s, ':', n);
    hlen = colon ? (size_t)(colon - s) : n;
    if (colon) port = colon + 1;
  }
  if (port) {
    size_t plen = (size_t)(s + n - port);
    long v = 0;
    bool ok = plen > 0 && plen <= 5;
    for (size_t i = 0; ok && i < plen; i++) {
      ok = isdigit((unsigned char)port[i]);
      v = v * 10 + (port[i] - '0');
    }
    if (!ok || v < 1 || v > 65535)
      return fail(err, errsize, "bad port '%.*s' in the URL (want 1-65535)", (int)(plen > 12 ? 12 : plen), port);
    out->port = (int)v;
  }
  if (hlen == 0) { /* redis:// or redis://:6380: the local server, as redis-cli */
    out->host = xstrdup("127.0.0.1");
    return 0;
  }
  for (size_t i = 0; i < hlen; i++)
    if (isspace((unsigned char)h[i]) || h[i] == '%' || h[i] == '@' || h[i] == '[' || h[i] == ']')
      return fail(err, errsize, "bad character in the URL's host");
  out->host = xmalloc(hlen + 1);
  memcpy(out->host, h, hlen);
  out->host[hlen] = '\0';
  return 0;
}

int redis_url_parse(const char *url, RedisUrl *out, char *err, size_t errsize) {
  memset(out, 0, sizeof *out);
  out->port = REDIS_DEFAULT_PORT;
  out->ssl_check_hostname = true; /* redis-py 6's default, and the only safe one */
  if (!url || !*url) return fail(err, errsize, "empty URL (want redis://HOST:PORT/DB)");
  bool is_unix = false;
  size_t skip;
  if (!strncasecmp(url, "redis://", 8)) {
    skip = 8;
  } else if (!strncasecmp(url, "rediss://", 9)) {
    skip = 9;
    out->tls = true;
  } else if (!strncasecmp(url, "unix://", 7)) {
    skip = 7;
    is_unix = true;
  } else {
    const char *colon = strstr(url, "://");
    if (colon && colon - url <= 16)
      return fail(err, errsize, "unknown URL scheme '%.*s' (want redis://, rediss:// or unix://)",
                  (int)(colon - url), url);
    return fail(err, errsize, "not a Redis URL (want redis://HOST:PORT/DB, rediss://... or unix:///PATH)");
  }
  const char *p = url + skip, *end = url + strlen(url);
  if (memchr(p, '#', (size_t)(end - p))) {
    redis_url_free(out);
    return fail(err, errsize, "a Redis URL has no #fragment");
  }
  /* The authority ends at the first '/' or '?'; a '@' in it splits off the
   * userinfo (the last '@', as urllib: an unescaped '@' in a password). */
  const char *auth_end = p;
  while (auth_end < end && *auth_end != '/' && *auth_end != '?') auth_end++;
  const char *at = NULL;
  for (const char *q = p; q < auth_end; q++)
    if (*q == '@') at = q;
  const char *hp = p;
  int rc = 0;
  if (at) {
    rc = parse_userinfo(p, (size_t)(at - p), out, err, errsize);
    hp = at + 1;
  }
  const char *query = memchr(auth_end, '?', (size_t)(end - auth_end));
  const char *path_end = query ? query : end;
  bool db_seen = false;
  if (!rc && is_unix) {
    if (hp != auth_end) {
      rc = fail(err, errsize, "a unix:// URL has no host: write unix:///path/to/redis.sock");
    } else if (path_end - auth_end < 2) {
      rc = fail(err, errsize, "a unix:// URL needs the socket's path: unix:///path/to/redis.sock");
    } else {
      out->socket = pct_decode(auth_end, (size_t)(path_end - auth_end));
      if (!out->socket) rc = fail(err, errsize, "bad percent-escape in the socket path");
    }
  } else if (!rc) {
    rc = parse_hostport(hp, (size_t)(auth_end - hp), out, err, errsize);
    if (!rc && path_end - auth_end > 1) { /* "/N"; a bare "/" is db 0 */
      if (parse_db(auth_end + 1, (size_t)(path_end - auth_end - 1), &out->db))
        rc = fail(err, errsize, "bad database number '/%.*s' in the URL (want /0, /1, /2...)",
                  (int)(path_end - auth_end - 1 > 20 ? 20 : path_end - auth_end - 1), auth_end + 1);
      else
        db_seen = true;
    }
  }
  if (!rc && query) {
    int qdb = out->db;
    QuerySeen qseen = {0};
    rc = parse_query(query + 1, (size_t)(end - query - 1), &qdb, out, &qseen, err, errsize);
    if (!rc && qseen.db && db_seen && qdb != out->db)
      rc = fail(err, errsize, "the URL names two different databases (/%d and ?db=%d)", out->db, qdb);
    if (!rc) out->db = qdb;
  }
  if (rc) {
    redis_url_free(out);
    return -1;
  }
  if (!out->password) { /* kept out of shell history and process lists */
    const char *env = getenv("REDISLINT_REDIS_PASSWORD");
    if (env && *env) out->password = xstrdup(env);
  }
  return 0;
}

void redis_url_free(RedisUrl *u) {
  if (!u) return;
  free(u->host);
  free(u->socket);
  free(u->user);
  free(u->ssl_ca_certs);
  free(u->ssl_certfile);
  free(u->ssl_keyfile);
  if (u->password) { /* do not leave the secret in freed memory */
    volatile char *v = u->password;
    while (*v) *v++ = 0;
    free(u->password);
  }
  memset(u, 0, sizeof *u);
  u->port = REDIS_DEFAULT_PORT;
  u->ssl_check_hostname = true;
}

const char *redis_url_display(const RedisUrl *u, char *buf, size_t size) {
  if (!size) return buf;
  char cred[160] = "";
  if (u->user || u->password)
    snprintf(cred, sizeof cred, "%s%s@", u->user ? u->user : "", u->password ? ":***" : "");
  if (u->socket) {
    char db[24] = "";
    if (u->db) snprintf(db, sizeof db, "?db=%d", u->db);
    snprintf(buf, size, "unix://%s%s%s", cred, u->socket, db);
  } else {
    const char *h = u->host ? u->host : "127.0.0.1";
    bool v6 = strchr(h, ':') != NULL;
    snprintf(buf, size, "%s://%s%s%s%s:%d/%d", u->tls ? "rediss" : "redis", cred, v6 ? "[" : "", h,
             v6 ? "]" : "", u->port, u->db);
  }
  return buf;
}
