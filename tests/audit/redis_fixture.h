/* redis_fixture.h - real redis-server processes for the audit tests: each on
 * a free loopback port, no persistence, a child of the test killed by pid at
 * the end (and, on Linux, when the test itself dies); plaintext, or TLS only
 * with a throwaway CA and certificates made by the openssl command. */
#ifndef RL_TEST_REDIS_FIXTURE_H
#define RL_TEST_REDIS_FIXTURE_H
#include <stdbool.h>
#include <sys/types.h>

#include <hiredis/hiredis.h>

#include "rconn.h"

#define SKIP_EXIT 77 /* ctest SKIP_RETURN_CODE */

typedef struct RedisProc {
  pid_t pid; /* 0: not running */
  int port;  /* a TLS server's TLS port (its plaintext port is off) */
  bool tls;
  char dir[512];  /* its working directory (logs, cluster config) */
  char log[600];
  char cert[600], key[600]; /* a TLS server's certificate and key */
} RedisProc;

/* Is the program on PATH? */
bool tool_installed(const char *name);
/* Is redis-server on PATH? */
bool redis_server_installed(void);
/* A fresh temporary directory (under $TMPDIR or /tmp) for the servers. */
const char *fixture_tmpdir(void);
/* A loopback port nothing listens on (found by binding port 0); with
 * cluster_bus also port+10000 free. */
int free_port(bool cluster_bus);
/* Starts redis-server with the extra arguments (NULL-terminated, may be
 * NULL) and waits until it answers. 0, or -1 (the log says why). */
int redis_start(RedisProc *p, const char *const *extra, bool cluster_bus);
/* The TLS material, made once with the openssl command in fixture_tmpdir():
 *   ca.pem, ca.key            the test CA (Redis trusts it for client certificates)
 *   other-ca.pem              another CA, which signed none of these
 *   server.pem, server.key    signed by the CA, for localhost and 127.0.0.1
 *   other-name.pem, .key      signed by the CA, for redis.other.test only
 *   client.pem, client.key    signed by the CA, a client certificate
 * 0, or -1 (certs.log there says why). */
int fixture_make_certs(void);
/* "<fixture_tmpdir()>/<name>" in buf. */
const char *fixture_path(const char *name, char *buf, size_t size);
/* redis_start over TLS only (--port 0 --tls-port P) with the certificate and
 * key of fixture_make_certs() named (e.g. "server"); client certificates are
 * not asked for unless extra says --tls-auth-clients yes; a cluster node also
 * speaks TLS on its bus (--tls-cluster yes). */
int redis_start_tls(RedisProc *p, const char *cert, const char *const *extra, bool cluster_bus);
/* SIGTERM, then SIGKILL when it lingers; reaps it. Idempotent. */
void redis_stop(RedisProc *p);
/* SIGKILL now (a node dying), reaped. */
void redis_kill(RedisProc *p);
/* A test-side connection (AUTH with password when not NULL), 10 s timeout. */
redisContext *fixture_connect(int port, const char *password);
/* The test's own connection to a TLS server (rconn, the certificate not
 * checked), AUTH with password when not NULL; fails the test on an error. */
void fixture_connect_tls(RConn *rc, int port, const char *password);
/* One command over it (the arguments as strings, NULL-terminated); fails the
 * test on an I/O error or an error reply. */
void fx_tls_ok(RConn *rc, const char *arg, ...);
/* The reply to a command (NULL-terminated arguments); fails on an I/O error. */
redisReply *fx_tls_cmd(RConn *rc, const char *arg, ...);
/* One command, printf-style as redisCommand; fails the test on an I/O error. */
redisReply *fx_cmd(redisContext *c, const char *fmt, ...);
/* fx_cmd, reply checked not to be an error, then freed. */
void fx_ok(redisContext *c, const char *fmt, ...);
/* Milliseconds on CLOCK_MONOTONIC. */
long long fx_now_ms(void);
#endif
