/* rconn.c - a blocking hiredis connection for the audit scanner (see
 * rconn.h). Written against hiredis 0.14 (Debian 12's libhiredis-dev):
 * redisConnectWithTimeout bounds the connect, redisSetTimeout (SO_RCVTIMEO
 * and SO_SNDTIMEO) bounds every read and write; a read that runs into the
 * timeout fails with EAGAIN, which is how a timeout is told apart below. */
#include "rconn.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#define RCONN_DEFAULT_TIMEOUT_MS 5000

static void set_err(RConn *rc, RConnError cls, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(RConn *rc, RConnError cls, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(rc->err, sizeof rc->err, fmt, ap);
  va_end(ap);
  rc->last = cls;
}

/* The context failed (connect, write or read): one line by class. errno is
 * the one saved right after the failing hiredis call. `doing` says what was
 * under way, for the timeout message. */
static void context_error(RConn *rc, int saved_errno, const char *doing) {
  redisContext *c = rc->ctx;
  int type = c ? c->err : REDIS_ERR_OOM;
  const char *text = c && c->errstr[0] ? c->errstr : "out of memory";
  rc->dead = true;
  if (type == REDIS_ERR_EOF) {
    set_err(rc, RC_LOST, "%s: the server closed the connection while %s", rc->addr, doing);
  } else if (type == REDIS_ERR_IO && saved_errno == ENOENT) {
    set_err(rc, RC_REFUSED, "cannot connect to %s: no such socket (is the server running?)", rc->addr);
  } else if (type == REDIS_ERR_IO && (saved_errno == ECONNREFUSED || strstr(text, "refused"))) {
    set_err(rc, RC_REFUSED, "cannot connect to %s: connection refused (is the server running?)", rc->addr);
  } else if (type == REDIS_ERR_IO && (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK ||
                                      saved_errno == ETIMEDOUT || saved_errno == EINPROGRESS ||
                                      strstr(text, "timed out") || strstr(text, "temporarily"))) {
    set_err(rc, RC_TIMEOUT, "%s: timed out after %ld ms while %s", rc->addr, rc->timeout_ms, doing);
  } else if (type == REDIS_ERR_PROTOCOL) {
    set_err(rc, RC_OTHER, "%s: not a Redis server? (%s)", rc->addr, text);
  } else if (type == REDIS_ERR_IO && (saved_errno == ECONNRESET || saved_errno == EPIPE)) {
    set_err(rc, RC_LOST, "%s: connection lost while %s (%s)", rc->addr, doing, strerror(saved_errno));
  } else {
    set_err(rc, RC_OTHER, "%s: %s while %s", rc->addr, text, doing);
  }
}

static bool starts_with(const char *s, size_t n, const char *prefix) {
  size_t k = strlen(prefix);
  return n >= k && !strncmp(s, prefix, k);
}

RConnError rconn_reply_class(const redisReply *r) {
  if (!r || r->type != REDIS_REPLY_ERROR) return RC_OK;
  const char *s = r->str ? r->str : "";
  size_t n = r->str ? r->len : 0;
  if (starts_with(s, n, "NOAUTH")) return RC_NOAUTH;
  if (starts_with(s, n, "WRONGPASS") || starts_with(s, n, "ERR invalid password") ||
      starts_with(s, n, "ERR invalid username-password") || starts_with(s, n, "ERR AUTH"))
    return RC_WRONGPASS;
  if (starts_with(s, n, "ERR Client sent AUTH, but no password is set")) return RC_WRONGPASS;
  if (starts_with(s, n, "NOPERM")) return RC_NOPERM;
  return RC_OTHER;
}

RConnError rconn_reply_error(RConn *rc, const redisReply *r, const char *what) {
  RConnError cls = rconn_reply_class(r);
  const char *s = r && r->str ? r->str : "";
  int n = r && r->str ? (int)(r->len > 200 ? 200 : r->len) : 0;
  switch (cls) {
  case RC_OK: break;
  case RC_NOAUTH:
    set_err(rc, cls, "%s requires authentication (NOAUTH): give the password in the URL or in "
            "REDISLINT_REDIS_PASSWORD", rc->addr);
    break;
  case RC_WRONGPASS:
    /* The server's text is about the password, never the password itself,
     * but a fixed sentence is safer and says the same. */
    if (starts_with(s, (size_t)n, "ERR AUTH") || starts_with(s, (size_t)n, "ERR Client sent AUTH"))
      set_err(rc, cls, "authentication failed at %s: a password was given but the server has none "
              "configured for the default user", rc->addr);
    else
      set_err(rc, cls, "authentication failed at %s: wrong user name or password (WRONGPASS)", rc->addr);
    break;
  case RC_NOPERM:
    set_err(rc, cls, "%s: the ACL user '%s' may not run %s (NOPERM)", rc->addr,
            rc->user ? rc->user : "default", what);
    break;
  default:
    set_err(rc, cls, "%s: %s failed: %.*s", rc->addr, what, n, s);
    break;
  }
  return cls;
}

/* AUTH and SELECT on a fresh connection. */
static int handshake(RConn *rc, const RConnAuth *a) {
  if (a->password || a->user) {
    const char *argv[3];
    int argc = 0;
    argv[argc++] = "AUTH";
    if (a->user) argv[argc++] = a->user; /* ACL user (Redis >= 6) */
    argv[argc++] = a->password ? a->password : "";
    redisReply *r = rconn_command(rc, argc, argv, NULL);
    if (!r) return -1;
    if (r->type == REDIS_REPLY_ERROR) {
      RConnError cls = rconn_reply_class(r);
      if (cls == RC_WRONGPASS)
        rconn_reply_error(rc, r, "AUTH");
      else if (a->user && r->str && strstr(r->str, "wrong number of arguments"))
        set_err(rc, RC_WRONGPASS, "authentication failed at %s: the server predates ACL users "
                "(Redis < 6): give a password without a user name", rc->addr);
      else
        set_err(rc, cls == RC_OK ? RC_OTHER : cls, "authentication failed at %s (%.*s)", rc->addr,
                (int)(r->len > 60 ? 60 : r->len), r->str ? r->str : "");
      freeReplyObject(r);
      return -1;
    }
    freeReplyObject(r);
  }
  if (a->db) {
    char db[16];
    snprintf(db, sizeof db, "%d", a->db);
    const char *argv[2] = {"SELECT", db};
    redisReply *r = rconn_command(rc, 2, argv, NULL);
    if (!r) return -1;
    if (r->type == REDIS_REPLY_ERROR) {
      if (rconn_reply_error(rc, r, "SELECT") == RC_OTHER)
        set_err(rc, RC_OTHER, "%s: cannot select database %d (%.*s)", rc->addr, a->db,
                (int)(r->len > 80 ? 80 : r->len), r->str ? r->str : "");
      freeReplyObject(r);
      return -1;
    }
    freeReplyObject(r);
  }
  return 0;
}

int rconn_open(RConn *rc, const char *host, int port, const char *path, const RConnAuth *a) {
  memset(rc, 0, sizeof *rc);
  rc->timeout_ms = a->timeout_ms > 0 ? a->timeout_ms : RCONN_DEFAULT_TIMEOUT_MS;
  rc->user = a->user;
  if (path)
    snprintf(rc->addr, sizeof rc->addr, "%s", path);
  else
    snprintf(rc->addr, sizeof rc->addr, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
  struct timeval tv = {rc->timeout_ms / 1000, (rc->timeout_ms % 1000) * 1000};
  errno = 0;
  rc->ctx = path ? redisConnectUnixWithTimeout(path, tv) : redisConnectWithTimeout(host, port, tv);
  int e = errno;
  if (!rc->ctx || rc->ctx->err) {
    context_error(rc, e, "connecting");
    if (rc->last == RC_LOST || rc->last == RC_OTHER)
      set_err(rc, rc->last, "cannot connect to %s: %s", rc->addr,
              rc->ctx && rc->ctx->errstr[0] ? rc->ctx->errstr : "out of memory");
    if (rc->ctx) redisFree(rc->ctx);
    rc->ctx = NULL;
    return -1;
  }
  /* hiredis 0.14 bounds only the connect; every read and write from here on
   * gets the same limit. */
  if (redisSetTimeout(rc->ctx, tv) != REDIS_OK) {
    context_error(rc, errno, "setting the timeout");
    rconn_close(rc);
    return -1;
  }
  if (handshake(rc, a)) {
    redisFree(rc->ctx);
    rc->ctx = NULL;
    return -1;
  }
  return 0;
}

void rconn_close(RConn *rc) {
  if (rc->ctx) redisFree(rc->ctx);
  rc->ctx = NULL;
  rc->dead = true;
}

redisReply *rconn_command(RConn *rc, int argc, const char **argv, const size_t *lens) {
  RCmd cmd = {.argc = argc};
  if (argc > RCMD_MAX_ARGS) {
    set_err(rc, RC_OTHER, "%s: internal error: too many arguments", rc->addr);
    return NULL;
  }
  for (int i = 0; i < argc; i++) {
    cmd.argv[i] = argv[i];
    cmd.len[i] = lens ? lens[i] : strlen(argv[i]);
  }
  redisReply *r = NULL;
  return rconn_pipeline(rc, &cmd, 1, &r) ? NULL : r;
}

int rconn_pipeline(RConn *rc, const RCmd *cmds, size_t n, redisReply **replies) {
  for (size_t i = 0; i < n; i++) replies[i] = NULL;
  if (rc->dead || !rc->ctx) {
    if (!rc->err[0]) set_err(rc, RC_LOST, "%s: not connected", rc->addr);
    return -1;
  }
  for (size_t i = 0; i < n; i++) /* (0.14's prototype lacks a const it does not need) */
    if (redisAppendCommandArgv(rc->ctx, cmds[i].argc, (const char **)cmds[i].argv, cmds[i].len) != REDIS_OK) {
      context_error(rc, errno, "sending commands");
      return -1;
    }
  /* The first redisGetReply writes the whole buffer, then every call reads
   * one reply: the server answers the batch while we read. */
  for (size_t i = 0; i < n; i++) {
    void *r = NULL;
    errno = 0;
    if (redisGetReply(rc->ctx, &r) != REDIS_OK || !r) {
      context_error(rc, errno, "waiting for a reply");
      for (size_t j = 0; j < i; j++) {
        freeReplyObject(replies[j]);
        replies[j] = NULL;
      }
      return -1;
    }
    replies[i] = r;
  }
  return 0;
}
