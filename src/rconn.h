/* rconn.h - one blocking connection to a Redis server for the audit scanner,
 * over hiredis 0.14 (RESP2, no TLS): connect with a timeout, AUTH, SELECT,
 * pipelined batches, and every failure turned into one line that names the
 * address (the password never appears in it).
 *
 * Every connect and every reply has the timeout: a dead or stuck server
 * costs at most that long per call, never a hang. (Name resolution of a
 * host name is getaddrinfo's, which hiredis 0.14 cannot bound.) */
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

typedef struct RConnAuth {
  const char *user;     /* NULL: `AUTH password` */
  const char *password; /* NULL: no AUTH */
  int db;               /* SELECT when not 0 */
  long timeout_ms;      /* connect and per reply; <= 0: 5000 */
} RConnAuth;

typedef struct RConn {
  redisContext *ctx;
  char addr[300];   /* "127.0.0.1:6379", "[::1]:6379" or the socket path */
  const char *user; /* for messages about ACL refusals (borrowed) */
  long timeout_ms;
  bool dead;        /* an I/O error: every further call fails at once */
  RConnError last;  /* the class of the last failure */
  char err[512];    /* its one-line message */
} RConn;

/* Connects to host:port, or to the unix socket when path is not NULL, then
 * AUTH and SELECT as `a` says. 0, or -1 with rc->err/rc->last set (rc then
 * holds no connection). */
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
