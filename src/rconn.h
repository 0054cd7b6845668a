/* rconn.h - one blocking connection to a Redis server for the audit scanner,
 * over hiredis 0.14 (RESP2): connect with a timeout, AUTH, SELECT, pipelined
 * batches, and every failure turned into one line that names the address
 * (the password never appears in it).
 *
 * TLS (rediss://): hiredis 0.14 has none and cannot run over another
 * transport, so rconn opens the TCP connection itself, does the handshake
 * with OpenSSL, and keeps only hiredis' RESP half: commands formatted by
 * redisFormatCommandArgv, replies parsed by a redisReader fed with what
 * SSL_read decrypts. One thread, one socket, the same replies either way.
 *
 * Every connect, TLS handshake and reply has the timeout: a dead or stuck
 * server costs at most that long per call, never a hang. (Name resolution of
 * a host name is getaddrinfo's, which cannot be bounded.) */
#ifndef RL_RCONN_H
#define RL_RCONN_H
#include <stdbool.h>
#include <stddef.h>

#include <hiredis/hiredis.h>

typedef enum {
  RC_OK,
  RC_REFUSED,   /* nothing listens there (or no such socket) */
  RC_TIMEOUT,   /* connect or a reply took longer than the timeout */
  RC_NOAUTH,    /* the server wants a password and got none */
  RC_WRONGPASS, /* AUTH failed: wrong user or password, or no password configured */
  RC_NOPERM,    /* the ACL user may not run the command */
  RC_LOST,      /* the connection broke after it was up */
  RC_OTHER      /* anything else (an error reply, name resolution...) */
} RConnError;

typedef enum {
  RCONN_VERIFY_REQUIRED, /* the server's certificate must verify */
  RCONN_VERIFY_OPTIONAL, /* the same on a client (Python's ssl.CERT_OPTIONAL) */
  RCONN_VERIFY_NONE      /* not verified at all: encryption without authentication */
} RConnVerify;

/* TLS settings (the ssl_ parameters of a rediss:// URL). Strings borrowed. */
typedef struct RConnTls {
  RConnVerify verify;
  bool check_hostname;   /* the certificate must name the host (or IP) connected to */
  const char *ca_file;   /* PEM bundle of trusted CAs; NULL: the system's store */
  const char *cert_file; /* client certificate chain (PEM); NULL: none */
  const char *key_file;  /* its private key (PEM, unencrypted); NULL: in cert_file */
} RConnTls;

typedef struct RConnAuth {
  const char *user;     /* NULL: `AUTH password` */
  const char *password; /* NULL: no AUTH */
  int db;               /* SELECT when not 0 */
  long timeout_ms;      /* connect, TLS handshake and per reply; <= 0: 5000 */
  const RConnTls *tls;  /* NULL: plaintext; else TLS (host:port only) */
} RConnAuth;

typedef struct RConnTlsLink RConnTlsLink; /* the TLS connection (rconn.c) */

typedef struct RConn {
  redisContext *ctx; /* plaintext: hiredis' own connection, else NULL */
  RConnTlsLink *tls; /* TLS: socket, OpenSSL state and RESP reader, else NULL */
  char addr[300];   /* "127.0.0.1:6379", "[::1]:6379" or the socket path */
  const char *user; /* for messages about ACL refusals (borrowed) */
  long timeout_ms;
  bool dead;        /* an I/O error: every further call fails at once */
  bool answered;    /* a reply came (what a failure before the first one means differs) */
  RConnError last;  /* the class of the last failure */
  char err[512];    /* its one-line message */
} RConn;

/* Connects to host:port (over TLS when a->tls), or to the unix socket when
 * path is not NULL, then AUTH and SELECT as `a` says. 0, or -1 with
 * rc->err/rc->last set (rc then holds no connection). An RConn may be
 * copied by value; exactly one copy is closed. */
int rconn_open(RConn *rc, const char *host, int port, const char *path, const RConnAuth *a);
void rconn_close(RConn *rc);

/* One command (binary-safe arguments; lens NULL: C strings). The reply
 * (maybe an error reply: see rconn_reply_error), or NULL when the connection
 * failed (rc->err says why; rc->dead). */
redisReply *rconn_command(RConn *rc, int argc, const char **argv, const size_t *lens);

#define RCMD_MAX_ARGS 6
typedef struct RCmd {
  int argc;
  const char *argv[RCMD_MAX_ARGS];
  size_t len[RCMD_MAX_ARGS];
} RCmd;

/* Appends the n commands, then reads n replies into replies[0..n): one
 * round trip for the lot. Each reply is kept as it is, error replies
 * included (freeReplyObject each). 0, or -1 when the connection failed:
 * then every replies[i] is NULL and rc->err says why. */
int rconn_pipeline(RConn *rc, const RCmd *cmds, size_t n, redisReply **replies);

/* The class of an error reply (RC_OK for any other reply). */
RConnError rconn_reply_class(const redisReply *r);
/* When r is an error reply: sets rc->err/rc->last to a one-line message
 * about `what` (the command, as "MEMORY USAGE") and returns the class; else
 * RC_OK. The server's own text follows for RC_OTHER. */
RConnError rconn_reply_error(RConn *rc, const redisReply *r, const char *what);
#endif
