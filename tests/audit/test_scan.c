/* test_scan.c - the audit scanner (src/audit_scan.c, src/rconn.c) against a
 * real redis-server: every KeyStat checked against the server's own answers,
 * --match, --sample, --rate, progress, and the faults (no server, a stopped
 * server, wrong password, ACL refusals, keys deleted or rewritten between
 * SCAN and the reads, the server dying mid-scan). Skipped (77) when
 * redis-server is not installed. */
#include <arpa/inet.h>
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
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "audit.h"
#include "audit_scan_hook.h"
#include "redis_fixture.h"

#define PASSWORD "s3cret-audit"
#define NBULK 500

static RedisProc server;
static char sock_path[600];
static redisContext *conn; /* the test's own connection to `server` */
static long long nkeys_total;

static const char bin_key[] = "bin\0\xff:key";
#define BIN_KEY_LEN (sizeof bin_key - 1)

static void fill(redisContext *c) {
  fx_ok(c, "SET str:small hello");
  fx_ok(c, "SET str:int 12345");
  char raw[101];
  memset(raw, 'x', 100);
  raw[100] = '\0';
  fx_ok(c, "SET str:raw %s", raw);
  fx_ok(c, "SET %b v", bin_key, BIN_KEY_LEN);
  for (int i = 0; i < 600; i++) redisAppendCommand(c, "HSET hash:big field:%d value:%d", i, i);
  for (int i = 0; i < 600; i++) {
    redisReply *r;
    assert_int_equal(redisGetReply(c, (void **)&r), REDIS_OK);
    freeReplyObject(r);
  }
  fx_ok(c, "HSET hash:small a 1 b 2 c 3");
  for (int i = 1; i <= 100; i++) fx_ok(c, "SADD set:ints %d", i);
  fx_ok(c, "SADD set:strs alpha beta gamma");
  for (int i = 0; i < 50; i++) fx_ok(c, "RPUSH list:l item-%d", i);
  for (int i = 0; i < 10; i++) fx_ok(c, "ZADD zset:small %d m%d", i, i);
  for (int i = 0; i < 200; i++) fx_ok(c, "ZADD zset:big %d member-%d", i, i);
  for (int i = 0; i < 20; i++) fx_ok(c, "XADD stream:s * f %d", i);
  fx_ok(c, "SET ttl:a v PX 1000000");
  fx_ok(c, "HSET ttl:h f v");
  fx_ok(c, "EXPIRE ttl:h 2000");
  for (int i = 0; i < NBULK; i++) redisAppendCommand(c, "SET bulk:%d value-%d", i, i);
  for (int i = 0; i < NBULK; i++) {
    redisReply *r;
    assert_int_equal(redisGetReply(c, (void **)&r), REDIS_OK);
    freeReplyObject(r);
  }
  fx_ok(c, "SELECT 3"); /* one key in another database */
  fx_ok(c, "SET db3:only here");
  fx_ok(c, "SELECT 0");
}

static int group_setup(void **state) {
  (void)state;
  snprintf(sock_path, sizeof sock_path, "%s/redis.sock", fixture_tmpdir());
  const char *extra[] = {"--requirepass", PASSWORD, "--unixsocket", sock_path, "--unixsocketperm", "700", NULL};
  if (redis_start(&server, extra, false)) return -1;
  conn = fixture_connect(server.port, PASSWORD);
  fill(conn);
  redisReply *r = fx_cmd(conn, "DBSIZE");
  nkeys_total = r->integer;
  freeReplyObject(r);
  return 0;
}

static int group_teardown(void **state) {
  (void)state;
  if (conn) redisFree(conn);
  redis_stop(&server);
  return 0;
}

static int reset_hook(void **state) {
  (void)state;
  audit_scan_set_hook(NULL, NULL);
  return 0;
}

static void url_for(RedisUrl *u, const char *fmt, ...) {
  char buf[1024], err[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (redis_url_parse(buf, u, err, sizeof err)) fail_msg("%s: %s", buf, err);
}

static void main_url(RedisUrl *u) { url_for(u, "redis://:%s@127.0.0.1:%d", PASSWORD, server.port); }

static const KeyStat *find_key(const AuditResult *res, const char *name, size_t len) {
  const KeyStat *hit = NULL;
  for (size_t i = 0; i < res->nkeys; i++)
    if (res->keys[i].name_len == len && !memcmp(res->keys[i].name, name, len)) {
      assert_null(hit); /* each key once */
      hit = &res->keys[i];
    }
  return hit;
}

static const char *length_cmd(KeyType t) {
  switch (t) {
  case KT_STRING: return "STRLEN";
  case KT_LIST: return "LLEN";
  case KT_SET: return "SCARD";
  case KT_ZSET: return "ZCARD";
  case KT_HASH: return "HLEN";
  case KT_STREAM: return "XLEN";
  default: return NULL;
  }
}

/* Every KeyStat against the server's own direct answers. */
static void check_key(redisContext *c, const KeyStat *k, bool memory) {
  assert_true(k->name[k->name_len] == '\0');
  redisReply *r = fx_cmd(c, "TYPE %b", k->name, k->name_len);
  assert_string_equal(r->str, key_type_name(k->type));
  freeReplyObject(r);
  r = fx_cmd(c, "MEMORY USAGE %b SAMPLES 0", k->name, k->name_len);
  assert_int_equal(r->type, REDIS_REPLY_INTEGER);
  if (memory) assert_int_equal(k->bytes, r->integer);
  else assert_int_equal(k->bytes, -1);
  freeReplyObject(r);
  r = fx_cmd(c, "OBJECT ENCODING %b", k->name, k->name_len);
  assert_string_equal(k->encoding, r->str);
  freeReplyObject(r);
  r = fx_cmd(c, "PTTL %b", k->name, k->name_len);
  if (r->integer == -1) {
    assert_int_equal(k->ttl_ms, -1);
  } else { /* read earlier by the audit: at least as much left, not long ago */
    assert_true(k->ttl_ms >= r->integer);
    assert_true(k->ttl_ms <= r->integer + 120000);
  }
  freeReplyObject(r);
  const char *lc = length_cmd(k->type);
  assert_non_null(lc);
  r = fx_cmd(c, "%s %b", lc, k->name, k->name_len);
  assert_int_equal(k->length, r->integer);
  freeReplyObject(r);
}

static void expect_encoding(const AuditResult *res, const char *name, const char *type, const char *enc) {
  const KeyStat *k = find_key(res, name, strlen(name));
  if (!k) fail_msg("%s not in the audit", name);
  assert_string_equal(key_type_name(k->type), type);
  assert_string_equal(k->encoding, enc);
}

/* The commands the server ran since CONFIG RESETSTAT are all read-only ones
 * the scanner may send (plus the test's own INFO). */
static void check_read_only(redisContext *c) {
  static const char *const allowed[] = {
      "info", "dbsize", "scan", "type", "memory|usage", "object|encoding", "pttl", "strlen", "llen",
      "scard", "zcard", "hlen", "xlen", "auth", "select", "cluster|shards", "cluster|nodes",
      "cluster|myid", "config|resetstat"};
  redisReply *r = fx_cmd(c, "INFO commandstats");
  size_t seen = 0;
  for (const char *p = strstr(r->str, "cmdstat_"); p; p = strstr(p + 1, "cmdstat_")) {
    size_t n = strcspn(p + 8, ":");
    bool ok = false;
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0] && !ok; i++)
      ok = strlen(allowed[i]) == n && !strncmp(p + 8, allowed[i], n);
    if (!ok) fail_msg("the audit ran %.*s", (int)n, p + 8);
    seen++;
  }
  assert_true(seen >= 8); /* the stats are there at all */
  freeReplyObject(r);
}

static void test_full_audit(void **state) {
  (void)state;
  RedisUrl u;
  main_url(&u);
  AuditScanOptions opt = {.count = 100};
  AuditResult res;
  fx_ok(conn, "CONFIG RESETSTAT");
  assert_int_equal(audit_scan(&u, &opt, &res), 0);
  check_read_only(conn);
  assert_null(res.error);
  assert_int_equal(res.nwarnings, 0);
  assert_false(res.cluster);
  assert_false(res.sampled);
  redisReply *r = fx_cmd(conn, "INFO server");
  char want[64];
  const char *v = strstr(r->str, "redis_version:");
  assert_non_null(v);
  snprintf(want, sizeof want, "%.*s", (int)strcspn(v + 14, "\r\n"), v + 14);
  freeReplyObject(r);
  assert_string_equal(res.server_version, want);
  bool v7 = strtol(res.server_version, NULL, 10) >= 7; /* listpack replaced ziplist in 7.0 */
  assert_int_equal(res.nnodes, 1);
  char addr[64];
  snprintf(addr, sizeof addr, "127.0.0.1:%d", server.port);
  assert_string_equal(res.nodes[0].addr, addr);
  assert_null(res.nodes[0].error);
  assert_int_equal(res.nodes[0].dbsize, nkeys_total);
  assert_int_equal(res.nodes[0].scanned, nkeys_total);
  assert_int_equal(res.nkeys, nkeys_total); /* each key once: SCAN duplicates dropped */
  for (size_t i = 0; i < res.nkeys; i++) {
    assert_int_equal(res.keys[i].node, 0);
    assert_true(find_key(&res, res.keys[i].name, res.keys[i].name_len) == &res.keys[i]);
    check_key(conn, &res.keys[i], true);
  }
  expect_encoding(&res, "str:small", "string", "embstr");
  expect_encoding(&res, "str:int", "string", "int");
  expect_encoding(&res, "str:raw", "string", "raw");
  expect_encoding(&res, "hash:big", "hash", "hashtable");
  expect_encoding(&res, "hash:small", "hash", v7 ? "listpack" : "ziplist");
  expect_encoding(&res, "set:ints", "set", "intset");
  expect_encoding(&res, "zset:small", "zset", v7 ? "listpack" : "ziplist");
  expect_encoding(&res, "zset:big", "zset", "skiplist");
  expect_encoding(&res, "stream:s", "stream", "stream");
  const KeyStat *k = find_key(&res, "hash:big", 8);
  assert_int_equal(k->length, 600);
  assert_true(k->bytes > 600 * 16); /* SAMPLES 0: every field counted */
  k = find_key(&res, bin_key, BIN_KEY_LEN);
  assert_non_null(k);
  assert_int_equal(k->length, 1);
  k = find_key(&res, "ttl:a", 5);
  assert_true(k->ttl_ms > 0 && k->ttl_ms <= 1000000);
  k = find_key(&res, "ttl:h", 5);
  assert_true(k->ttl_ms > 0 && k->ttl_ms <= 2000000);
  assert_int_equal(find_key(&res, "str:small", 9)->ttl_ms, -1);
  assert_null(find_key(&res, "db3:only", 8)); /* database 0 only */
  audit_result_free(&res);
  assert_null(res.keys);
  redis_url_free(&u);
}

static void test_db_and_unix_socket(void **state) {
  (void)state;
  RedisUrl u;
  url_for(&u, "redis://:%s@127.0.0.1:%d/3", PASSWORD, server.port);
  AuditResult res;
  assert_int_equal(audit_scan(&u, NULL, &res), 0);
  assert_int_equal(res.nkeys, 1);
  assert_memory_equal(res.keys[0].name, "db3:only", 9);
  audit_result_free(&res);
  redis_url_free(&u);

  setenv("REDISLINT_REDIS_PASSWORD", PASSWORD, 1); /* the password from the environment */
  url_for(&u, "unix://%s", sock_path);
  unsetenv("REDISLINT_REDIS_PASSWORD");
  assert_int_equal(audit_scan(&u, NULL, &res), 0);
  assert_int_equal(res.nkeys, nkeys_total);
  assert_string_equal(res.nodes[0].addr, sock_path);
  audit_result_free(&res);
  redis_url_free(&u);
}

static void test_match(void **state) {
  (void)state;
  RedisUrl u;
  main_url(&u);
  FILE *prog = tmpfile();
  assert_non_null(prog);
  setenv("REDISLINT_PROGRESS_DELAY_MS", "0", 1);
  AuditScanOptions opt = {.match = "hash:*", .count = 7, .progress = prog};
  AuditResult res;
  assert_int_equal(audit_scan(&u, &opt, &res), 0);
  unsetenv("REDISLINT_PROGRESS_DELAY_MS");
  char text[4096];
  rewind(prog);
  size_t n = fread(text, 1, sizeof text - 1, prog);
  text[n] = '\0';
  fclose(prog);
  assert_non_null(strstr(text, "redislint: audit: ")); /* the first batch shows at once */
  assert_null(strstr(text, "(of ~")); /* how many match is not known */
  assert_int_equal(res.nkeys, 2);
  assert_non_null(find_key(&res, "hash:big", 8));
  assert_non_null(find_key(&res, "hash:small", 10));
  assert_false(res.sampled);
  audit_result_free(&res);
  redis_url_free(&u);
}

static void test_sample(void **state) {
  (void)state;
  RedisUrl u;
  main_url(&u);
  AuditScanOptions opt = {.count = 100, .sample = 50};
  AuditResult res;
  assert_int_equal(audit_scan(&u, &opt, &res), 0);
  assert_true(res.sampled);
  assert_int_equal(res.nkeys, 50);
  assert_int_equal(res.nodes[0].scanned, 50);
  assert_int_equal(res.nodes[0].dbsize, nkeys_total); /* for the estimate */
  for (size_t i = 0; i < res.nkeys; i++) check_key(conn, &res.keys[i], true);
  audit_result_free(&res);
  opt.sample = 1000000; /* more than there is: not a sample */
  assert_int_equal(audit_scan(&u, &opt, &res), 0);
  assert_false(res.sampled);
  assert_int_equal(res.nkeys, nkeys_total);
  audit_result_free(&res);
  redis_url_free(&u);
}

/* --rate caps the commands per second and still completes; the progress
 * line is written (delay 0) and cleared at the end. */
static void test_rate_and_progress(void **state) {
  (void)state;
  RedisUrl u;
  main_url(&u);
  FILE *prog = tmpfile();
  assert_non_null(prog);
  setenv("REDISLINT_PROGRESS_DELAY_MS", "0", 1);
  const double rate = 8000;
  AuditScanOptions opt = {.count = 100, .rate = rate, .progress = prog};
  AuditResult res;
  long long t0 = fx_now_ms();
  assert_int_equal(audit_scan(&u, &opt, &res), 0);
  long long ms = fx_now_ms() - t0;
  unsetenv("REDISLINT_PROGRESS_DELAY_MS");
  assert_int_equal(res.nkeys, nkeys_total);
  /* 6 commands a key (4 + length + second TYPE) plus the SCANs; only the
   * last round (rate/50 keys) may go without waiting. */
  double cmds = (double)nkeys_total * 6, last = (rate / 50) * 6;
  long long floor_ms = (long long)((cmds - last) / rate * 1000 * 0.9);
  if (ms < floor_ms) fail_msg("%lld ms for %.0f commands at %.0f/s: not rate-limited", ms, cmds, rate);
  audit_result_free(&res);
  char text[8192];
  rewind(prog);
  size_t n = fread(text, 1, sizeof text - 1, prog);
  text[n] = '\0';
  fclose(prog);
  assert_non_null(strstr(text, "\r\033[Kredislint: audit: "));
  char total[64];
  snprintf(total, sizeof total, " keys (of ~%lld)", nkeys_total);
  assert_non_null(strstr(text, total));
  assert_true(n >= 4 && !strcmp(text + n - 4, "\r\033[K")); /* cleared at the end */
  redis_url_free(&u);
}

static void test_not_running(void **state) {
  (void)state;
  int port = free_port(false);
  RedisUrl u;
  url_for(&u, "redis://127.0.0.1:%d", port);
  AuditResult res;
  long long t0 = fx_now_ms();
  assert_int_equal(audit_scan(&u, NULL, &res), -1);
  assert_true(fx_now_ms() - t0 < 5000);
  assert_non_null(res.error);
  assert_non_null(strstr(res.error, "connection refused"));
  char addr[64];
  snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
  assert_non_null(strstr(res.error, addr));
  assert_null(strchr(res.error, '\n'));
  audit_result_free(&res);
  redis_url_free(&u);

  url_for(&u, "unix://%s/no-such.sock", fixture_tmpdir());
  assert_int_equal(audit_scan(&u, NULL, &res), -1);
  assert_non_null(strstr(res.error, "no such socket"));
  audit_result_free(&res);
  redis_url_free(&u);

  /* TLS to a plaintext port: said, at once or at the handshake timeout
   * (test_tls.c tests TLS itself) */
  url_for(&u, "rediss://127.0.0.1:%d", server.port);
  assert_int_equal(audit_scan(&u, NULL, &res), -1);
  assert_non_null(strstr(res.error, "TLS"));
  assert_null(strchr(res.error, '\n'));
  audit_result_free(&res);
  redis_url_free(&u);
}

/* A server that accepts connections but never answers (stopped): the
 * reply timeout ends the audit, no hang. */
static void test_timeout(void **state) {
  (void)state;
  RedisUrl u;
  main_url(&u);
  AuditScanOptions opt = {.timeout_ms = 300};
  AuditResult res;
  kill(server.pid, SIGSTOP);
  long long t0 = fx_now_ms();
  int rc = audit_scan(&u, &opt, &res);
  long long ms = fx_now_ms() - t0;
  kill(server.pid, SIGCONT);
  assert_int_equal(rc, -1);
  assert_non_null(strstr(res.error, "timed out after 300 ms"));
  assert_true(ms < 10000);
  audit_result_free(&res);
  redis_url_free(&u);
}

/* A listener whose accept queue is full drops new SYNs (Linux): the
 * connect itself times out. (Where the kernel queues it anyway, the first
 * reply times out instead: no hang either way.) */
static void test_connect_timeout(void **state) {
  (void)state;
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {0};
  socklen_t len = sizeof a;
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
  assert_int_equal(listen(lfd, 0), 0);
  assert_int_equal(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
  int fill[4];
  for (int i = 0; i < 4; i++) { /* more than the queue holds */
    fill[i] = socket(AF_INET, SOCK_STREAM, 0);
    fcntl(fill[i], F_SETFL, O_NONBLOCK);
    connect(fill[i], (struct sockaddr *)&a, sizeof a);
  }
  struct timespec ts = {0, 200 * 1000000L}; /* the handshakes settle */
  nanosleep(&ts, NULL);
  RedisUrl u;
  url_for(&u, "redis://127.0.0.1:%d", ntohs(a.sin_port));
  AuditScanOptions opt = {.timeout_ms = 300};
  AuditResult res;
  long long t0 = fx_now_ms();
  assert_int_equal(audit_scan(&u, &opt, &res), -1);
  long long ms = fx_now_ms() - t0;
  for (int i = 0; i < 4; i++) close(fill[i]);
  close(lfd);
  assert_non_null(strstr(res.error, "timed out after 300 ms"));
  assert_true(ms < 10000);
  audit_result_free(&res);
  redis_url_free(&u);
}

static void test_auth_errors(void **state) {
  (void)state;
  RedisUrl u;
  AuditResult res;
  url_for(&u, "redis://:Wrong-Passw0rd@127.0.0.1:%d", server.port);
  assert_int_equal(audit_scan(&u, NULL, &res), -1);
  assert_non_null(strstr(res.error, "authentication"));
  assert_null(strstr(res.error, "Wrong-Passw0rd"));
  audit_result_free(&res);
  redis_url_free(&u);

  url_for(&u, "redis://nosuchuser:Wrong-Passw0rd@127.0.0.1:%d", server.port);
  assert_int_equal(audit_scan(&u, NULL, &res), -1);
  assert_non_null(strstr(res.error, "authentication failed"));
  assert_null(strstr(res.error, "Wrong-Passw0rd"));
  audit_result_free(&res);
  redis_url_free(&u);

  url_for(&u, "redis://127.0.0.1:%d", server.port); /* no password at all */
  assert_int_equal(audit_scan(&u, NULL, &res), -1);
  assert_non_null(strstr(res.error, "requires authentication"));
  audit_result_free(&res);
  redis_url_free(&u);
}

static size_t count_warnings(const AuditResult *res, const char *needle) {
  size_t n = 0;
  for (size_t i = 0; i < res->nwarnings; i++) n += strstr(res->warnings[i], needle) != NULL;
  return n;
}

/* An ACL user without MEMORY: the audit completes without sizes and says
 * so once. Redis 7.0's @read holds SCAN, DBSIZE, TYPE, MEMORY USAGE, OBJECT
 * ENCODING, PTTL and the length commands, but not INFO (@dangerous). */
static void test_acl_without_memory(void **state) {
  (void)state;
  fx_ok(conn, "ACL SETUSER auditor on >pw ~* +@read +info -memory");
  RedisUrl u;
  url_for(&u, "redis://auditor:pw@127.0.0.1:%d", server.port);
  AuditScanOptions opt = {.count = 100};
  AuditResult res;
  assert_int_equal(audit_scan(&u, &opt, &res), 0);
  assert_int_equal(res.nkeys, nkeys_total);
  for (size_t i = 0; i < res.nkeys; i++) check_key(conn, &res.keys[i], false);
  assert_int_equal(res.nwarnings, 1);
  assert_non_null(strstr(res.warnings[0], "MEMORY USAGE"));
  assert_non_null(strstr(res.warnings[0], "auditor"));
  audit_result_free(&res);
  redis_url_free(&u);

  /* Plain +@read: no INFO either; still complete, MEMORY named once. */
  fx_ok(conn, "ACL SETUSER reader on >pw ~* +@read -memory");
  url_for(&u, "redis://reader:pw@127.0.0.1:%d", server.port);
  assert_int_equal(audit_scan(&u, &opt, &res), 0);
  assert_int_equal(res.nkeys, nkeys_total);
  assert_int_equal(count_warnings(&res, "MEMORY USAGE"), 1);
  assert_int_equal(count_warnings(&res, "INFO"), 1);
  assert_string_equal(res.server_version, "");
  audit_result_free(&res);
  redis_url_free(&u);

  /* SCAN itself refused: nothing can be read. */
  fx_ok(conn, "ACL SETUSER noscan on >pw ~* +@read +info -scan");
  url_for(&u, "redis://noscan:pw@127.0.0.1:%d", server.port);
  assert_int_equal(audit_scan(&u, &opt, &res), -1);
  assert_non_null(strstr(res.error, "SCAN"));
  assert_non_null(strstr(res.error, "NOPERM"));
  audit_result_free(&res);
  redis_url_free(&u);
}

/* Keys expiring while they are audited: whatever the timing, every key is
 * either gone (and says so) or fully measured. */
static void test_expiring_keys(void **state) {
  (void)state;
  for (int i = 0; i < 400; i++) redisAppendCommand(conn, "SET exp:%d v PX %d", i, 5 + i);
  for (int i = 0; i < 400; i++) {
    redisReply *r;
    assert_int_equal(redisGetReply(conn, (void **)&r), REDIS_OK);
    freeReplyObject(r);
  }
  RedisUrl u;
  main_url(&u);
  AuditScanOptions opt = {.match = "exp:*", .count = 10, .rate = 3000};
  AuditResult res;
  assert_int_equal(audit_scan(&u, &opt, &res), 0);
  size_t gone = 0;
  for (size_t i = 0; i < res.nkeys; i++) {
    const KeyStat *k = &res.keys[i];
    if (k->type == KT_GONE) {
      gone++;
      assert_int_equal(k->bytes, -1);
      assert_int_equal(k->ttl_ms, -2);
      assert_int_equal(k->length, -1);
    } else {
      assert_int_equal(k->type, KT_STRING);
      assert_true(k->bytes > 0);
      assert_true(k->ttl_ms >= 0);
      assert_int_equal(k->length, 1);
    }
  }
  assert_int_equal(res.nodes[0].scanned, res.nkeys - gone);
  assert_int_equal(count_warnings(&res, "deleted or expired"), gone ? 1 : 0);
  audit_result_free(&res);
  redis_url_free(&u);
}

/* Deterministic changes through the test hook: chg:1-5 deleted after SCAN,
 * chg:6-10 deleted after round 1, chg:11-15 rewritten as hashes after
 * round 1, chg:15 rewritten again as a list after round 2. */
static redisContext *hook_conn;
static int hook_calls[3];

static void change_hook(AuditHookPoint at, const AuditNode *node, const KeyStat *keys, size_t n, void *arg) {
  (void)node, (void)keys, (void)n, (void)arg;
  if (hook_calls[at]++) return;
  if (at == AUDIT_HOOK_SCANNED) {
    for (int i = 1; i <= 5; i++) fx_ok(hook_conn, "DEL chg:%d", i);
  } else if (at == AUDIT_HOOK_ROUND1) {
    for (int i = 6; i <= 10; i++) fx_ok(hook_conn, "DEL chg:%d", i);
    for (int i = 11; i <= 15; i++) {
      fx_ok(hook_conn, "DEL chg:%d", i);
      fx_ok(hook_conn, "HSET chg:%d a 1 b 2", i);
    }
  } else {
    fx_ok(hook_conn, "DEL chg:15");
    fx_ok(hook_conn, "RPUSH chg:15 x y z");
  }
}

static void test_keys_changing_between_reads(void **state) {
  (void)state;
  for (int i = 1; i <= 20; i++) fx_ok(conn, "SET chg:%d value-%d", i, i);
  hook_conn = fixture_connect(server.port, PASSWORD);
  memset(hook_calls, 0, sizeof hook_calls);
  audit_scan_set_hook(change_hook, NULL);
  RedisUrl u;
  main_url(&u);
  AuditScanOptions opt = {.match = "chg:*", .count = 1000000}; /* one SCAN batch */
  AuditResult res;
  assert_int_equal(audit_scan(&u, &opt, &res), 0);
  audit_scan_set_hook(NULL, NULL);
  assert_int_equal(res.nkeys, 20);
  for (int i = 1; i <= 20; i++) {
    char name[16];
    snprintf(name, sizeof name, "chg:%d", i);
    const KeyStat *k = find_key(&res, name, strlen(name));
    assert_non_null(k);
    if (i <= 10) {
      assert_int_equal(k->type, KT_GONE);
      assert_int_equal(k->bytes, -1);
    } else if (i < 15) {
      assert_int_equal(k->type, KT_HASH);
      check_key(hook_conn, k, true); /* the later value, fully */
      assert_int_equal(k->length, 2);
    } else if (i == 15) {
      assert_int_equal(k->type, KT_LIST); /* changed twice: type known, length not */
      assert_int_equal(k->length, -1);
    } else {
      check_key(hook_conn, k, true);
    }
  }
  assert_int_equal(res.nodes[0].scanned, 10);
  assert_int_equal(count_warnings(&res, "10 keys were deleted or expired"), 1);
  assert_int_equal(count_warnings(&res, "5 keys changed their type"), 1);
  audit_result_free(&res);
  redis_url_free(&u);
  redisFree(hook_conn);
  hook_conn = NULL;
}

/* The server dies in the middle of the scan (killed from the hook at the
 * third SCAN batch): the keys read so far, the node's error, return 0. */
static RedisProc doomed;
static int doomed_batches;

static void kill_hook(AuditHookPoint at, const AuditNode *node, const KeyStat *keys, size_t n, void *arg) {
  (void)node, (void)keys, (void)n, (void)arg;
  if (at == AUDIT_HOOK_SCANNED && ++doomed_batches == 3) redis_kill(&doomed);
}

static void test_server_dies_mid_scan(void **state) {
  (void)state;
  assert_int_equal(redis_start(&doomed, NULL, false), 0);
  redisContext *c = fixture_connect(doomed.port, NULL);
  for (int i = 0; i < 300; i++) fx_ok(c, "SET k:%d v", i);
  redisFree(c);
  doomed_batches = 0;
  audit_scan_set_hook(kill_hook, NULL);
  RedisUrl u;
  url_for(&u, "redis://127.0.0.1:%d", doomed.port);
  AuditScanOptions opt = {.count = 50};
  AuditResult res;
  int rc = audit_scan(&u, &opt, &res);
  audit_scan_set_hook(NULL, NULL);
  redis_stop(&doomed);
  assert_int_equal(rc, 0);
  assert_null(res.error);
  assert_non_null(res.nodes[0].error);
  char addr[64];
  snprintf(addr, sizeof addr, "127.0.0.1:%d", doomed.port);
  assert_non_null(strstr(res.nodes[0].error, addr));
  assert_non_null(strstr(res.nodes[0].error, "partial"));
  assert_true(res.nkeys >= 2 && res.nkeys < 300); /* two batches read */
  assert_int_equal(res.nodes[0].scanned, res.nkeys);
  for (size_t i = 0; i < res.nkeys; i++) {
    assert_int_equal(res.keys[i].type, KT_STRING);
    assert_true(res.keys[i].bytes > 0);
  }
  audit_result_free(&res);
  redis_url_free(&u);
}

int main(void) {
  unsetenv("REDISLINT_REDIS_PASSWORD"); /* the developer's own must not leak in */
  if (!redis_server_installed()) {
    fprintf(stderr, "SKIP: redis-server is not installed (Debian: apt-get install redis-server)\n");
    return SKIP_EXIT;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full_audit),
      cmocka_unit_test(test_db_and_unix_socket),
      cmocka_unit_test(test_match),
      cmocka_unit_test(test_sample),
      cmocka_unit_test(test_rate_and_progress),
      cmocka_unit_test(test_not_running),
      cmocka_unit_test(test_timeout),
      cmocka_unit_test(test_connect_timeout),
      cmocka_unit_test(test_auth_errors),
      cmocka_unit_test(test_acl_without_memory),
      cmocka_unit_test_teardown(test_expiring_keys, reset_hook),
      cmocka_unit_test_teardown(test_keys_changing_between_reads, reset_hook),
      cmocka_unit_test_teardown(test_server_dies_mid_scan, reset_hook),
  };
  int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
  redis_stop(&doomed); /* a failed test may have left it */
  return rc;
}
