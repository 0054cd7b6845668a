/* rconn.c - a blocking hiredis connection for the audit scanner (see
 * rconn.h). Written against hiredis 0.14 (Debian 12's libhiredis-dev):
 * redisConnectWithTimeout bounds the connect, redisSetTimeout (SO_RCVTIMEO
 * and SO_SNDTIMEO) bounds every read and write; a read that runs into the
 * timeout fails with EAGAIN, which is how a timeout is told apart below.
 *
 * rediss:// goes around hiredis' I/O, which 0.14 cannot replace: our own
 * non-blocking TCP connect, OpenSSL for the handshake and the records, and
 * hiredis only for RESP (redisFormatCommandArgv out, a redisReader in). The
 * socket stays non-blocking and every wait is a poll() with the timeout, so
 * the bounds are the same as hiredis' on a plaintext connection: the
 * connect, the handshake, and each wait for bytes of a reply. (The other way
 * to feed hiredis, a socketpair whose far end a pump thread copies to and
 * from the SSL connection, costs a thread, two more descriptors and a copy
 * per byte, and a TLS error in the thread would reach hiredis as a bare EOF.) */
#include "rconn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "dl_net.h"

#define RCONN_DEFAULT_TIMEOUT_MS 5000

static void set_err(RConn *rc, RConnError cls, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(RConn *rc, RConnError cls, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(rc->err, sizeof rc->err, fmt, ap);
  va_end(ap);
  rc->last = cls;
}

/* Appends more to rc->err: a hint after the reason. */
static void add_hint(RConn *rc, const char *more) {
  size_t n = strlen(rc->err);
  snprintf(rc->err + n, sizeof rc->err - n, "%s", more);
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
  /* A TLS port drops a plaintext client (a reset, or an alert record where
   * a RESP type byte should be) before anything that looks like a reply. */
  if (!rc->answered && c && c->connection_type == REDIS_CONN_TCP &&
      (rc->last == RC_LOST || type == REDIS_ERR_PROTOCOL))
    add_hint(rc, "; no reply came at all: if this port speaks TLS, use rediss://");
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

/* ---- TLS (rediss://) ---------------------------------------------------- */

struct RConnTlsLink {
  int fd;
  SSL_CTX *ctx;
  SSL *ssl;
  bool cert_asked; /* the server asked for a client certificate, and the URL gives none */
  redisReader *reader;
  char *out; /* the formatted commands of one batch */
  size_t outcap;
};

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Waits until fd is readable (or writable) or the deadline passes: 1 ready
 * (an error or hangup counts: the next call reports it), 0 timed out, -1
 * poll failed (errno). */
static int wait_fd(int fd, bool for_write, long long deadline) {
  for (;;) {
    long long left = deadline - now_ms();
    if (left <= 0) return 0;
    struct pollfd p = {.fd = fd, .events = for_write ? POLLOUT : POLLIN};
    int n = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
    if (n > 0) return 1;
    if (n < 0 && errno != EINTR) return -1;
  }
}

/* The reason of the oldest OpenSSL error in the queue, the root cause
 * ("no start line" under "PEM lib"; "wrong version number"...), or NULL when
 * the queue is empty. */
static const char *ssl_reason(char *buf, size_t size) {
  unsigned long e = ERR_peek_error();
  if (!e) return NULL;
  const char *r = ERR_reason_error_string(e);
  if (r) snprintf(buf, size, "%s", r);
  else ERR_error_string_n(e, buf, size);
  return buf;
}

/* Appends s[0..n) to buf at *used, control characters as '?': a name from a
 * certificate is the peer's text, and a message stays one line. */
static void append_clean(char *buf, size_t size, size_t *used, const char *s, size_t n) {
  for (size_t i = 0; i < n && *used + 1 < size; i++) {
    unsigned char c = (unsigned char)s[i];
    buf[(*used)++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
  }
  buf[*used] = '\0';
}

/* The names the server's certificate is for (its subjectAltName DNS and IP
 * entries, else its CN), "a, b, c", for a hostname-mismatch message. The
 * chain is kept after a failed verification, the leaf first. */
static void cert_names(SSL *ssl, char *buf, size_t size) {
  buf[0] = '\0';
  STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
  X509 *leaf = chain && sk_X509_num(chain) > 0 ? sk_X509_value(chain, 0) : NULL;
  if (!leaf) return;
  size_t used = 0;
  int shown = 0;
  GENERAL_NAMES *names = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
    const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
    char one[INET6_ADDRSTRLEN + 1];
    const char *text = NULL;
    size_t n = 0;
    if (g->type == GEN_DNS) {
      text = (const char *)ASN1_STRING_get0_data(g->d.dNSName);
      n = (size_t)ASN1_STRING_length(g->d.dNSName);
    } else if (g->type == GEN_IPADD) {
      int len = ASN1_STRING_length(g->d.iPAddress);
      const unsigned char *ip = ASN1_STRING_get0_data(g->d.iPAddress);
      if ((len == 4 || len == 16) && inet_ntop(len == 4 ? AF_INET : AF_INET6, ip, one, sizeof one)) {
        text = one;
        n = strlen(one);
      }
    }
    if (!text) continue;
    if (shown == 4) {
      append_clean(buf, size, &used, ", ...", 5);
      break;
    }
    if (shown++) append_clean(buf, size, &used, ", ", 2);
    append_clean(buf, size, &used, text, n > 100 ? 100 : n);
  }
  GENERAL_NAMES_free(names);
  if (!shown) {
    char cn[128];
    int n = X509_NAME_get_text_by_NID(X509_get_subject_name(leaf), NID_commonName, cn, sizeof cn);
    if (n > 0) append_clean(buf, size, &used, cn, (size_t)n);
  }
}

static bool is_ip_literal(const char *host) {
  unsigned char a[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, host, a) == 1 || inet_pton(AF_INET6, host, a) == 1;
}

/* A non-blocking TCP connection to host:port within the timeout (every
 * address the name resolves to, in order, until one answers). The socket,
 * or -1 with rc->err set. */
static int tcp_connect(RConn *rc, const char *host, int port) {
  struct addrinfo hints, *list = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  char service[16];
  snprintf(service, sizeof service, "%d", port);
  int g = getaddrinfo(host, service, &hints, &list);
  if (g) {
    set_err(rc, RC_OTHER, "cannot connect to %s: cannot resolve the host name (%s)", rc->addr,
            g == EAI_SYSTEM ? strerror(errno) : gai_strerror(g));
    return -1;
  }
  long long deadline = now_ms() + rc->timeout_ms;
  int fd = -1, err = 0;
  bool timed_out = false;
  for (struct addrinfo *ai = list; ai && fd < 0 && !timed_out; ai = ai->ai_next) {
    int s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (s < 0) {
      err = errno;
      continue;
    }
    if (fcntl(s, F_SETFD, FD_CLOEXEC) || fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK)) {
      err = errno;
      close(s);
      continue;
    }
    if (connect(s, ai->ai_addr, ai->ai_addrlen) == 0) {
      fd = s;
      break;
    }
    if (errno != EINPROGRESS) {
      err = errno;
      close(s);
      continue;
    }
    int w = wait_fd(s, true, deadline);
    if (w == 1) {
      int soerr = 0;
      socklen_t len = sizeof soerr;
      if (getsockopt(s, SOL_SOCKET, SO_ERROR, &soerr, &len)) soerr = errno;
      if (!soerr) {
        fd = s;
        break;
      }
      err = soerr;
    } else if (w == 0) {
      timed_out = true;
    } else {
      err = errno;
    }
    close(s);
  }
  freeaddrinfo(list);
  if (fd < 0) {
    if (timed_out)
      set_err(rc, RC_TIMEOUT, "%s: timed out after %ld ms while connecting", rc->addr, rc->timeout_ms);
    else if (err == ECONNREFUSED)
      set_err(rc, RC_REFUSED, "cannot connect to %s: connection refused (is the server running?)", rc->addr);
    else
      set_err(rc, RC_OTHER, "cannot connect to %s: %s", rc->addr, strerror(err ? err : EIO));
    return -1;
  }
  int one = 1; /* replies are small and pipelined: no Nagle delay (hiredis does the same) */
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

#define CLIENT_CERT_HINT \
  "; the server asked for a client certificate and the URL gives none (ssl_certfile= and ssl_keyfile=)"

/* Called by OpenSSL when the server asks for a client certificate and none
 * is set: none is sent (a server may ask without insisting), but a refusal
 * that follows can then say why. */
static int note_cert_asked(SSL *ssl, X509 **x509, EVP_PKEY **pkey) {
  (void)x509, (void)pkey;
  RConnTlsLink *l = SSL_get_app_data(ssl);
  if (l) l->cert_asked = true;
  return 0;
}

/* An encrypted key would make OpenSSL prompt on the terminal: say no, and
 * the load fails with a message instead of waiting for a person. */
static int no_passphrase(char *buf, int size, int rwflag, void *u) {
  (void)buf, (void)size, (void)rwflag, (void)u;
  return -1;
}

/* A file the URL names can be read (else rc->err says why, in the words
 * of the system rather than OpenSSL's "system lib"). */
static int readable(RConn *rc, const char *param, const char *path) {
  FILE *f = fopen(path, "r");
  if (f) {
    fclose(f);
    return 0;
  }
  set_err(rc, RC_OTHER, "%s: cannot read %s=%s (%s)", rc->addr, param, path, strerror(errno));
  return -1;
}

/* The SSL_CTX of one connection: what to trust, what to show. */
static int tls_context(RConn *rc, const RConnTls *t, RConnTlsLink *l) {
  char why[256];
  if ((t->verify != RCONN_VERIFY_NONE && t->ca_file && readable(rc, "ssl_ca_certs", t->ca_file)) ||
      (t->cert_file && readable(rc, "ssl_certfile", t->cert_file)) ||
      (t->key_file && readable(rc, "ssl_keyfile", t->key_file)))
    return -1;
  ERR_clear_error();
  l->ctx = SSL_CTX_new(TLS_client_method());
  if (!l->ctx) {
    set_err(rc, RC_OTHER, "%s: cannot set up TLS (%s)", rc->addr, ssl_reason(why, sizeof why) ? why : "OpenSSL");
    return -1;
  }
  SSL_CTX_set_min_proto_version(l->ctx, TLS1_2_VERSION); /* as Redis itself (tls-protocols) */
  /* SSL_write may then return after part of a big batch; the loop resumes
   * from where it stopped, at a moved buffer after a resize. */
  SSL_CTX_set_mode(l->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
  /* A server that closes without close_notify is a lost connection, as on
   * plaintext: RESP frames its own replies, so no truncation goes unseen. */
  SSL_CTX_set_options(l->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
  SSL_CTX_set_default_passwd_cb(l->ctx, no_passphrase);
  if (t->verify == RCONN_VERIFY_NONE) {
    SSL_CTX_set_verify(l->ctx, SSL_VERIFY_NONE, NULL);
  } else {
    SSL_CTX_set_verify(l->ctx, SSL_VERIFY_PEER, NULL);
    /* A named CA is trusted alone: a private CA is why one is named, and the
     * public ones would only widen who can pose as the server. */
    if (t->ca_file ? SSL_CTX_load_verify_locations(l->ctx, t->ca_file, NULL) != 1
                   : SSL_CTX_set_default_verify_paths(l->ctx) != 1) {
      if (t->ca_file)
        set_err(rc, RC_OTHER, "%s: cannot load the CA certificates of ssl_ca_certs=%s (%s)", rc->addr, t->ca_file,
                ssl_reason(why, sizeof why) ? why : "unreadable");
      else
        set_err(rc, RC_OTHER, "%s: cannot load the system's CA certificates (%s): name a CA bundle with "
                "ssl_ca_certs=", rc->addr, ssl_reason(why, sizeof why) ? why : "unreadable");
      return -1;
    }
  }
  if (!t->cert_file) SSL_CTX_set_client_cert_cb(l->ctx, note_cert_asked);
  if (t->cert_file) {
    const char *key = t->key_file ? t->key_file : t->cert_file;
    if (SSL_CTX_use_certificate_chain_file(l->ctx, t->cert_file) != 1) {
      set_err(rc, RC_OTHER, "%s: cannot load the client certificate ssl_certfile=%s (%s)", rc->addr, t->cert_file,
              ssl_reason(why, sizeof why) ? why : "unreadable");
      return -1;
    }
    if (SSL_CTX_use_PrivateKey_file(l->ctx, key, SSL_FILETYPE_PEM) != 1) {
      if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH)
        set_err(rc, RC_OTHER, "%s: the client key %s does not belong to the certificate %s", rc->addr, key,
                t->cert_file);
      else
        set_err(rc, RC_OTHER, "%s: cannot load the client key %s=%s (%s: want an unencrypted private key, PEM)",
                rc->addr, t->key_file ? "ssl_keyfile" : "ssl_certfile", key,
                ssl_reason(why, sizeof why) ? why : "unreadable");
      return -1;
    }
    if (SSL_CTX_check_private_key(l->ctx) != 1) {
      set_err(rc, RC_OTHER, "%s: the client key %s does not belong to the certificate %s", rc->addr, key,
              t->cert_file);
      return -1;
    }
  }
  return 0;
}

/* Why the handshake failed, in one line, with the way out where there is
 * one. */
static void handshake_error(RConn *rc, const RConnTls *t, const char *host, int ssl_err, int saved_errno) {
  RConnTlsLink *l = rc->tls;
  char why[256], names[300];
  long vr = t->verify == RCONN_VERIFY_NONE ? X509_V_OK : SSL_get_verify_result(l->ssl);
  if (vr == X509_V_ERR_HOSTNAME_MISMATCH || vr == X509_V_ERR_IP_ADDRESS_MISMATCH) {
    cert_names(l->ssl, names, sizeof names);
    set_err(rc, RC_OTHER, "TLS hostname mismatch at %s: the server's certificate is for %s, not %s "
            "(ssl_check_hostname=false skips this check)", rc->addr, names[0] ? names : "other names", host);
  } else if (vr != X509_V_OK) {
    if (t->ca_file)
      set_err(rc, RC_OTHER, "TLS certificate verify failed at %s: %s (is ssl_ca_certs=%s the CA that signed "
              "the server's certificate?)", rc->addr, X509_verify_cert_error_string(vr), t->ca_file);
    else
      set_err(rc, RC_OTHER, "TLS certificate verify failed at %s: %s (name the CA that signed the server's "
              "certificate with ssl_ca_certs=/path/ca.pem)", rc->addr, X509_verify_cert_error_string(vr));
  } else if (ssl_err == SSL_ERROR_SSL && ssl_reason(why, sizeof why)) {
    set_err(rc, RC_OTHER, "TLS handshake with %s failed: %s", rc->addr, why);
    if (l->cert_asked) add_hint(rc, CLIENT_CERT_HINT);
  } else if (l->cert_asked) {
    set_err(rc, RC_LOST, "TLS handshake with %s failed: %s", rc->addr,
            saved_errno && saved_errno != EAGAIN ? strerror(saved_errno) : "the server closed the connection");
    add_hint(rc, CLIENT_CERT_HINT);
  } else if (saved_errno && saved_errno != EAGAIN) {
    set_err(rc, saved_errno == ECONNRESET || saved_errno == EPIPE ? RC_LOST : RC_OTHER,
            "TLS handshake with %s failed: %s (is %s its TLS port?)", rc->addr, strerror(saved_errno), rc->addr);
  } else {
    set_err(rc, RC_LOST, "TLS handshake with %s failed: the server closed the connection (is %s its TLS port?)",
            rc->addr, rc->addr);
  }
}

/* SNI, the name to check, and the handshake within the timeout. */
static int tls_handshake(RConn *rc, const RConnTls *t, const char *host) {
  RConnTlsLink *l = rc->tls;
  char why[256];
  ERR_clear_error();
  l->ssl = SSL_new(l->ctx);
  if (!l->ssl || SSL_set_fd(l->ssl, l->fd) != 1) {
    set_err(rc, RC_OTHER, "%s: cannot set up TLS (%s)", rc->addr, ssl_reason(why, sizeof why) ? why : "OpenSSL");
    return -1;
  }
  SSL_set_app_data(l->ssl, l);
  bool ip = is_ip_literal(host);
  /* SNI names a host, never an address (RFC 6066): a server with several
   * certificates picks by it. */
  if (!ip) SSL_set_tlsext_host_name(l->ssl, host);
  if (t->verify != RCONN_VERIFY_NONE && t->check_hostname) {
    int ok;
    if (ip) {
      ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(l->ssl), host);
    } else {
      SSL_set_hostflags(l->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS); /* as Python's ssl */
      ok = SSL_set1_host(l->ssl, host);
    }
    if (ok != 1) {
      set_err(rc, RC_OTHER, "%s: cannot check the certificate against '%s'", rc->addr, host);
      return -1;
    }
  }
  long long deadline = now_ms() + rc->timeout_ms;
  bool peeked = false;
  for (;;) {
    ERR_clear_error();
    errno = 0;
    int r = SSL_connect(l->ssl);
    if (r == 1) return 0;
    int e = SSL_get_error(l->ssl, r), saved = errno;
    if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
      handshake_error(rc, t, host, e, saved);
      return -1;
    }
    int w = wait_fd(l->fd, e == SSL_ERROR_WANT_WRITE, deadline);
    if (w == 0) {
      /* A plaintext Redis port takes the ClientHello for the start of an
       * inline command and waits for its end: silence, then this. */
      set_err(rc, RC_TIMEOUT, "%s: timed out after %ld ms during the TLS handshake (is %s a TLS port? a "
              "plaintext Redis port waits silently; use redis:// there)", rc->addr, rc->timeout_ms, rc->addr);
      return -1;
    }
    if (w < 0) {
      set_err(rc, RC_OTHER, "%s: %s during the TLS handshake", rc->addr, strerror(errno));
      return -1;
    }
    if (e == SSL_ERROR_WANT_READ && !peeked) {
      /* The server's first byte: a TLS record starts with 0x14-0x18 (0x16, a
       * handshake, here), a Redis reply with a printable RESP type byte:
       * "-ERR unknown command" is a plaintext port answering the ClientHello. */
      unsigned char b;
      if (recv(l->fd, &b, 1, MSG_PEEK) == 1) {
        peeked = true;
        if (b >= 0x20 && b < 0x7f) {
          set_err(rc, RC_OTHER, "TLS handshake with %s failed: the server answered in plaintext (starting "
                  "'%c'): it is not a TLS port; use redis:// there, or the server's tls-port", rc->addr, b);
          return -1;
        }
      }
    }
  }
}

/* An I/O failure of SSL_read/SSL_write after the handshake: one line. */
static void tls_io_error(RConn *rc, int ssl_err, int saved_errno, const char *doing) {
  char why[256];
  const char *reason = ssl_err == SSL_ERROR_SSL ? ssl_reason(why, sizeof why) : NULL;
  rc->dead = true;
  if (ssl_err == SSL_ERROR_ZERO_RETURN || (ssl_err == SSL_ERROR_SYSCALL && !saved_errno) ||
      (reason && strstr(reason, "unexpected eof"))) {
    set_err(rc, RC_LOST, "%s: the server closed the connection while %s", rc->addr, doing);
  } else if (ssl_err == SSL_ERROR_SYSCALL && (saved_errno == ECONNRESET || saved_errno == EPIPE)) {
    set_err(rc, RC_LOST, "%s: connection lost while %s (%s)", rc->addr, doing, strerror(saved_errno));
  } else if (reason) {
    set_err(rc, RC_OTHER, "%s: TLS error while %s: %s", rc->addr, doing, reason);
  } else {
    set_err(rc, RC_OTHER, "%s: %s while %s", rc->addr, strerror(saved_errno ? saved_errno : EIO), doing);
  }
  /* TLS 1.3 finishes the client's side of the handshake before the server
   * has judged the (missing) client certificate: the refusal, an alert or
   * just a reset connection, comes where the first reply should. */
  if (rc->tls->cert_asked && !rc->answered) add_hint(rc, CLIENT_CERT_HINT);
}

/* Waits out SSL_ERROR_WANT_READ/WRITE for one timeout: 0 to retry, -1
 * failed (rc->err set). */
static int tls_wait(RConn *rc, int ssl_err, const char *doing) {
  int w = wait_fd(rc->tls->fd, ssl_err == SSL_ERROR_WANT_WRITE, now_ms() + rc->timeout_ms);
  if (w == 1) return 0;
  rc->dead = true;
  if (w == 0) set_err(rc, RC_TIMEOUT, "%s: timed out after %ld ms while %s", rc->addr, rc->timeout_ms, doing);
  else set_err(rc, RC_OTHER, "%s: %s while %s", rc->addr, strerror(errno), doing);
  return -1;
}

static int tls_write_all(RConn *rc, const char *buf, size_t len) {
  RConnTlsLink *l = rc->tls;
  size_t off = 0;
  while (off < len) {
    ERR_clear_error();
    errno = 0;
    int n = SSL_write(l->ssl, buf + off, len - off > INT_MAX ? INT_MAX : (int)(len - off));
    if (n > 0) {
      off += (size_t)n;
      continue;
    }
    int e = SSL_get_error(l->ssl, n), saved = errno;
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      if (tls_wait(rc, e, "sending commands")) return -1;
      continue;
    }
    tls_io_error(rc, e, saved, "sending commands");
    return -1;
  }
  return 0;
}

/* The next reply: from what the reader holds, else from SSL_read, each wait
 * for bytes bounded by the timeout (as SO_RCVTIMEO bounds hiredis' reads). */
static int tls_read_reply(RConn *rc, redisReply **out) {
  RConnTlsLink *l = rc->tls;
  for (;;) {
    void *r = NULL;
    if (redisReaderGetReply(l->reader, &r) != REDIS_OK) {
      rc->dead = true;
      set_err(rc, RC_OTHER, "%s: not a Redis server? (%s)", rc->addr, l->reader->errstr);
      return -1;
    }
    if (r) {
      *out = r;
      rc->answered = true;
      return 0;
    }
    char buf[16384];
    ERR_clear_error();
    errno = 0;
    int n = SSL_read(l->ssl, buf, sizeof buf);
    if (n > 0) {
      if (redisReaderFeed(l->reader, buf, (size_t)n) != REDIS_OK) {
        rc->dead = true;
        set_err(rc, RC_OTHER, "%s: out of memory reading a reply", rc->addr);
        return -1;
      }
      continue;
    }
    int e = SSL_get_error(l->ssl, n), saved = errno;
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      if (tls_wait(rc, e, "waiting for a reply")) return -1;
      continue;
    }
    tls_io_error(rc, e, saved, "waiting for a reply");
    return -1;
  }
}

/* rconn_pipeline over TLS: the batch formatted into one buffer, written
 * (one TLS record per 16 KiB, not one per command), then the replies read. */
static int tls_pipeline(RConn *rc, const RCmd *cmds, size_t n, redisReply **replies) {
  RConnTlsLink *l = rc->tls;
  size_t len = 0;
  for (size_t i = 0; i < n; i++) {
    char *cmd = NULL;
    int clen = redisFormatCommandArgv(&cmd, cmds[i].argc, (const char **)cmds[i].argv, cmds[i].len);
    if (clen < 0 || !cmd) {
      set_err(rc, RC_OTHER, "%s: out of memory formatting a command", rc->addr);
      return -1;
    }
    if (len + (size_t)clen > l->outcap) {
      l->outcap = (len + (size_t)clen) * 2;
      l->out = xrealloc(l->out, l->outcap);
    }
    memcpy(l->out + len, cmd, (size_t)clen);
    len += (size_t)clen;
    redisFreeCommand(cmd);
  }
  if (tls_write_all(rc, l->out, len)) return -1;
  for (size_t i = 0; i < n; i++)
    if (tls_read_reply(rc, &replies[i])) {
      for (size_t j = 0; j < i; j++) {
        freeReplyObject(replies[j]);
        replies[j] = NULL;
      }
      return -1;
    }
  return 0;
}

/* Closes the TLS connection: close_notify when it is still up (a dead
 * socket is not written to), then the socket and every OpenSSL object. */
static void tls_free(RConnTlsLink *l, bool graceful) {
  if (!l) return;
  if (l->ssl) {
    if (graceful) {
      ERR_clear_error();
      SSL_shutdown(l->ssl); /* non-blocking: sent or not, no wait for the answer */
    }
    SSL_free(l->ssl);
  }
  if (l->fd >= 0) close(l->fd);
  SSL_CTX_free(l->ctx);
  if (l->reader) redisReaderFree(l->reader);
  free(l->out);
  ERR_clear_error(); /* nothing left over for the next connection's messages */
  free(l);
}

static int tls_open(RConn *rc, const char *host, int port, const RConnTls *t) {
  rc->tls = xcalloc(1, sizeof *rc->tls);
  rc->tls->fd = -1;
  rc->tls->fd = tcp_connect(rc, host, port);
  if (rc->tls->fd < 0 || tls_context(rc, t, rc->tls) || tls_handshake(rc, t, host)) {
    tls_free(rc->tls, false);
    rc->tls = NULL;
    return -1;
  }
  rc->tls->reader = redisReaderCreate();
  if (!rc->tls->reader) {
    set_err(rc, RC_OTHER, "%s: out of memory", rc->addr);
    tls_free(rc->tls, false);
    rc->tls = NULL;
    return -1;
  }
  return 0;
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

/* Drops the connection (after a failure in rconn_open, or at the end). */
static void release(RConn *rc, bool graceful) {
  if (rc->ctx) redisFree(rc->ctx);
  rc->ctx = NULL;
  tls_free(rc->tls, graceful);
  rc->tls = NULL;
}

int rconn_open(RConn *rc, const char *host, int port, const char *path, const RConnAuth *a) {
  memset(rc, 0, sizeof *rc);
  rc->timeout_ms = a->timeout_ms > 0 ? a->timeout_ms : RCONN_DEFAULT_TIMEOUT_MS;
  rc->user = a->user;
  if (path)
    snprintf(rc->addr, sizeof rc->addr, "%s", path);
  else
    snprintf(rc->addr, sizeof rc->addr, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
  char why[512];
  if (!dynlib_net(why, sizeof why)) {
    set_err(rc, RC_OTHER, "cannot connect to %s: %s", rc->addr, why);
    return -1;
  }
  if (a->tls && !path) {
    if (tls_open(rc, host, port, a->tls)) return -1;
    if (handshake(rc, a)) {
      release(rc, !rc->dead);
      return -1;
    }
    return 0;
  }
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
    release(rc, false);
    return -1;
  }
  return 0;
}

void rconn_close(RConn *rc) {
  release(rc, !rc->dead);
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
  if (rc->dead || (!rc->ctx && !rc->tls)) {
    if (!rc->err[0]) set_err(rc, RC_LOST, "%s: not connected", rc->addr);
    return -1;
  }
  if (rc->tls) return tls_pipeline(rc, cmds, n, replies);
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
    rc->answered = true;
  }
  return 0;
}
