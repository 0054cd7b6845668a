/* redis_fixture.c - real redis-server processes for the audit tests (see
 * redis_fixture.h). */
#include "redis_fixture.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <cmocka.h>

/* How long a server may take to answer its first PING. Generous: two cores
 * shared with compilers and other test suites. */
#define START_DEADLINE_MS 60000

long long fx_now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) && errno == EINTR) {
  }
}

bool tool_installed(const char *name) {
  const char *path = getenv("PATH");
  if (!path) return false;
  char *copy = strdup(path), *save = NULL;
  bool found = false;
  for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
    char f[4096];
    snprintf(f, sizeof f, "%s/%s", *d ? d : ".", name);
    found = access(f, X_OK) == 0;
  }
  free(copy);
  return found;
}

bool redis_server_installed(void) { return tool_installed("redis-server"); }

static char tmpdir[512];

static void remove_tmpdir(void) {
  if (!tmpdir[0] || getenv("RL_KEEP_TMP")) return;
  DIR *d = opendir(tmpdir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      char f[1024];
      snprintf(f, sizeof f, "%s/%s", tmpdir, e->d_name);
      unlink(f);
    }
    closedir(d);
  }
  rmdir(tmpdir);
}

const char *fixture_tmpdir(void) {
  if (!tmpdir[0]) {
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/rl_audit_XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmpdir)) {
      fprintf(stderr, "mkdtemp %s: %s\n", tmpdir, strerror(errno));
      exit(1);
    }
    atexit(remove_tmpdir);
  }
  return tmpdir;
}

static bool port_free(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons((uint16_t)port);
  bool ok = bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
  close(fd);
  return ok;
}

int free_port(bool cluster_bus) {
  for (int tries = 0; tries < 200; tries++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = {0};
    socklen_t len = sizeof a;
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0; /* the kernel picks */
    if (bind(fd, (struct sockaddr *)&a, sizeof a) || getsockname(fd, (struct sockaddr *)&a, &len)) {
      close(fd);
      return -1;
    }
    close(fd);
    int port = ntohs(a.sin_port);
    if (!cluster_bus) return port;
    if (port + 10000 <= 65535 && port_free(port + 10000)) return port;
  }
  return -1;
}

const char *fixture_path(const char *name, char *buf, size_t size) {
  snprintf(buf, size, "%s/%s", fixture_tmpdir(), name);
  return buf;
}

/* Elliptic-curve keys (fast to make), valid for two days, every file in the
 * fixture's directory. The server certificate has no extended key usage, so
 * a cluster node may also show it as a client on the TLS cluster bus. */
static const char cert_script[] =
    "set -e\n"
    "K='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes'\n"
    "ca() { openssl req -x509 $K -keyout \"$1.key\" -out \"$1.pem\" -days 2 -subj \"/CN=$2\"; }\n"
    "leaf() { printf '%s\\n' \"$3\" basicConstraints=CA:FALSE > \"$1.ext\"\n"
    "  openssl req $K -keyout \"$1.key\" -out \"$1.csr\" -subj \"/CN=$2\"\n"
    "  openssl x509 -req -in \"$1.csr\" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
    "-extfile \"$1.ext\" -out \"$1.pem\"; }\n"
    "ca ca 'redislint test CA'\n"
    "ca other-ca 'redislint other CA'\n"
    "leaf server localhost subjectAltName=DNS:localhost,IP:127.0.0.1\n"
    "leaf other-name redis.other.test subjectAltName=DNS:redis.other.test\n"
    "leaf client redislint-client extendedKeyUsage=clientAuth\n";

int fixture_make_certs(void) {
  static int made; /* 0 not yet, 1 made, -1 failed */
  if (made) return made > 0 ? 0 : -1;
  char log[600];
  fixture_path("certs.log", log, sizeof log);
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    if (chdir(fixture_tmpdir())) _exit(126);
    execlp("sh", "sh", "-c", cert_script, (char *)NULL);
    _exit(127);
  }
  int st = 0;
  made = pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 1 : -1;
  if (made < 0) fprintf(stderr, "making the test certificates failed (see %s)\n", log);
  return made > 0 ? 0 : -1;
}

/* The test side's TLS settings: the server's certificate not checked (the
 * tests of the checks are the audit's), the test client certificate shown
 * to a server that asks for one. */
static RConnTls *test_tls(void) {
  static char cert[600], key[600];
  static RConnTls tls = {.verify = RCONN_VERIFY_NONE, .cert_file = cert, .key_file = key};
  fixture_path("client.pem", cert, sizeof cert);
  fixture_path("client.key", key, sizeof key);
  return &tls;
}

/* A TLS server: PING over TLS (whether it is up is the question here, not
 * who it is). */
static bool answers_tls(int port) {
  RConnAuth a = {.timeout_ms = 5000, .tls = test_tls()};
  RConn rc;
  if (rconn_open(&rc, "127.0.0.1", port, NULL, &a)) return false;
  const char *argv[] = {"PING"};
  redisReply *r = rconn_command(&rc, 1, argv, NULL);
  bool ok = r && (r->type == REDIS_REPLY_STATUS ||
                  (r->type == REDIS_REPLY_ERROR && !strncmp(r->str, "NOAUTH", 6)));
  if (r) freeReplyObject(r);
  rconn_close(&rc);
  return ok;
}

/* Does the server at port answer (PONG, or NOAUTH when it has a password)? */
static bool answers(int port) {
  struct timeval tv = {1, 0};
  redisContext *c = redisConnectWithTimeout("127.0.0.1", port, tv);
  bool ok = false;
  if (c && !c->err && redisSetTimeout(c, (struct timeval){5, 0}) == REDIS_OK) {
    redisReply *r = redisCommand(c, "PING");
    ok = r && (r->type == REDIS_REPLY_STATUS ||
               (r->type == REDIS_REPLY_ERROR && !strncmp(r->str, "NOAUTH", 6)));
    if (r) freeReplyObject(r);
  }
  if (c) redisFree(c);
  return ok;
}

static pid_t spawn(RedisProc *p, const char *const *extra, bool cluster) {
  char port[16], conf[64], ca[600];
  snprintf(port, sizeof port, "%d", p->port);
  snprintf(conf, sizeof conf, "nodes-%d.conf", p->port);
  fixture_path("ca.pem", ca, sizeof ca);
  const char *argv[80];
  int argc = 0;
  const char *base[] = {"redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no", "--daemonize", "no", "--dir", p->dir, "--logfile", ""};
  for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) argv[argc++] = base[i];
  if (p->tls) { /* TLS only: the plaintext port off */
    argv[2] = "0";
    const char *t[] = {"--tls-port", port, "--tls-cert-file", p->cert, "--tls-key-file", p->key,
                       "--tls-ca-cert-file", ca, "--tls-auth-clients", "no"};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) argv[argc++] = t[i];
    if (cluster) {
      argv[argc++] = "--tls-cluster";
      argv[argc++] = "yes";
    }
  }
  if (cluster) {
    const char *cl[] = {"--cluster-enabled", "yes", "--cluster-config-file", conf,
                        /* a killed node stays a primary for the test's duration */
                        "--cluster-node-timeout", "60000"};
    for (size_t i = 0; i < sizeof cl / sizeof cl[0]; i++) argv[argc++] = cl[i];
  }
  for (int i = 0; extra && extra[i] && argc < 78; i++) argv[argc++] = extra[i];
  argv[argc] = NULL;
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid != 0) return pid;
#ifdef __linux__
  prctl(PR_SET_PDEATHSIG, SIGKILL); /* the test crashed: no stray server */
  if (getppid() != parent) _exit(1);
#endif
  (void)parent;
  int fd = open(p->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    dup2(fd, 1);
    dup2(fd, 2);
    close(fd);
  }
  execvp("redis-server", (char *const *)argv);
  _exit(127);
}

static int start(RedisProc *p, const char *const *extra, bool cluster) {
  snprintf(p->dir, sizeof p->dir, "%s", fixture_tmpdir());
  for (int attempt = 0; attempt < 5; attempt++) { /* another process may take the port meanwhile */
    p->port = free_port(cluster);
    if (p->port < 0) return -1;
    snprintf(p->log, sizeof p->log, "%s/redis-%d.log", p->dir, p->port);
    p->pid = spawn(p, extra, cluster);
    if (p->pid < 0) return -1;
    long long deadline = fx_now_ms() + START_DEADLINE_MS;
    bool exited = false;
    while (fx_now_ms() < deadline) {
      if (p->tls ? answers_tls(p->port) : answers(p->port)) return 0;
      int st;
      if (waitpid(p->pid, &st, WNOHANG) == p->pid) {
        exited = true;
        break;
      }
      sleep_ms(50);
    }
    if (!exited) {
      redis_kill(p);
      fprintf(stderr, "redis-server on port %d did not answer within %d ms (see %s)\n", p->port,
              START_DEADLINE_MS, p->log);
      return -1;
    }
    fprintf(stderr, "redis-server on port %d exited; retrying on another port\n", p->port);
    p->pid = 0;
  }
  return -1;
}

int redis_start(RedisProc *p, const char *const *extra, bool cluster) {
  memset(p, 0, sizeof *p);
  return start(p, extra, cluster);
}

int redis_start_tls(RedisProc *p, const char *cert, const char *const *extra, bool cluster) {
  memset(p, 0, sizeof *p);
  if (fixture_make_certs()) return -1;
  p->tls = true;
  char name[64];
  snprintf(name, sizeof name, "%s.pem", cert);
  fixture_path(name, p->cert, sizeof p->cert);
  snprintf(name, sizeof name, "%s.key", cert);
  fixture_path(name, p->key, sizeof p->key);
  return start(p, extra, cluster);
}

static void reap(RedisProc *p, int sig, long wait_ms) {
  if (p->pid <= 0) return;
  kill(p->pid, sig);
  long long deadline = fx_now_ms() + wait_ms;
  for (;;) {
    int st;
    pid_t r = waitpid(p->pid, &st, WNOHANG);
    if (r == p->pid || (r < 0 && errno == ECHILD)) {
      p->pid = 0;
      return;
    }
    if (fx_now_ms() >= deadline) break;
    sleep_ms(20);
  }
  kill(p->pid, SIGKILL);
  waitpid(p->pid, NULL, 0);
  p->pid = 0;
}

void redis_stop(RedisProc *p) { reap(p, SIGTERM, 10000); }

void redis_kill(RedisProc *p) { reap(p, SIGKILL, 10000); }

redisContext *fixture_connect(int port, const char *password) {
  struct timeval tv = {10, 0};
  redisContext *c = redisConnectWithTimeout("127.0.0.1", port, tv);
  if (!c || c->err) fail_msg("connect to 127.0.0.1:%d: %s", port, c ? c->errstr : "out of memory");
  redisSetTimeout(c, tv);
  if (password) fx_ok(c, "AUTH %s", password);
  return c;
}

static redisReply *vcmd(redisContext *c, const char *fmt, va_list ap) {
  redisReply *r = redisvCommand(c, fmt, ap);
  if (!r) fail_msg("%s: %s", fmt, c->errstr);
  return r;
}

redisReply *fx_cmd(redisContext *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  redisReply *r = vcmd(c, fmt, ap);
  va_end(ap);
  return r;
}

void fx_ok(redisContext *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  redisReply *r = vcmd(c, fmt, ap);
  va_end(ap);
  if (r->type == REDIS_REPLY_ERROR) fail_msg("%s: %s", fmt, r->str);
  freeReplyObject(r);
}

void fixture_connect_tls(RConn *rc, int port, const char *password) {
  RConnAuth a = {.password = password, .timeout_ms = 10000, .tls = test_tls()};
  if (rconn_open(rc, "127.0.0.1", port, NULL, &a)) fail_msg("%s", rc->err);
}

static redisReply *tls_vcmd(RConn *rc, const char *arg, va_list ap) {
  const char *argv[RCMD_MAX_ARGS];
  int argc = 0;
  for (const char *a = arg; a; a = va_arg(ap, const char *)) {
    if (argc == RCMD_MAX_ARGS) fail_msg("fx_tls: more than %d arguments", RCMD_MAX_ARGS);
    argv[argc++] = a;
  }
  redisReply *r = rconn_command(rc, argc, argv, NULL);
  if (!r) fail_msg("%s: %s", arg, rc->err);
  return r;
}

redisReply *fx_tls_cmd(RConn *rc, const char *arg, ...) {
  va_list ap;
  va_start(ap, arg);
  redisReply *r = tls_vcmd(rc, arg, ap);
  va_end(ap);
  return r;
}

void fx_tls_ok(RConn *rc, const char *arg, ...) {
  va_list ap;
  va_start(ap, arg);
  redisReply *r = tls_vcmd(rc, arg, ap);
  va_end(ap);
  if (r->type == REDIS_REPLY_ERROR) fail_msg("%s: %s", arg, r->str);
  freeReplyObject(r);
}
