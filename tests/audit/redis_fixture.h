/* redis_fixture.h - real redis-server processes for the audit tests: each on
 * a free loopback port, no persistence, a child of the test killed by pid at
 * the end (and, on Linux, when the test itself dies). */
#ifndef RL_TEST_REDIS_FIXTURE_H
#define RL_TEST_REDIS_FIXTURE_H
#include <stdbool.h>
#include <sys/types.h>

#include <hiredis/hiredis.h>

#define SKIP_EXIT 77 /* ctest SKIP_RETURN_CODE */

typedef struct RedisProc {
  pid_t pid; /* 0: not running */
  int port;
  char dir[512];  /* its working directory (logs, cluster config) */
  char log[600];
} RedisProc;

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
/* SIGTERM, then SIGKILL when it lingers; reaps it. Idempotent. */
void redis_stop(RedisProc *p);
/* SIGKILL now (a node dying), reaped. */
void redis_kill(RedisProc *p);
/* A test-side connection (AUTH with password when not NULL), 10 s timeout. */
redisContext *fixture_connect(int port, const char *password);
/* One command, printf-style as redisCommand; fails the test on an I/O error. */
redisReply *fx_cmd(redisContext *c, const char *fmt, ...);
/* fx_cmd, reply checked not to be an error, then freed. */
void fx_ok(redisContext *c, const char *fmt, ...);
/* Milliseconds on CLOCK_MONOTONIC. */
long long fx_now_ms(void);
#endif
