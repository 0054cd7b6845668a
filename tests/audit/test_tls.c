/* test_tls.c - `redislint audit` over rediss:// (src/rconn.c's TLS, the
 * ssl_ parameters of src/redisurl.c) against real redis-server processes
 * that speak TLS only (--port 0 --tls-port P), with a throwaway CA and
 * certificates the openssl command makes for the test:
 *  - every key seen and measured as over plaintext, by IP and by host name,
 *    with a password and a database;
 *  - a wrong CA, the system's store (which lacks the test CA), a certificate
 *    for another name: one clear line each, no hang; ssl_cert_reqs=none and
 *    ssl_check_hostname=false get through;
 *  - rediss:// against a plaintext port, and redis:// against a TLS port;
 *  - a server that wants a client certificate, with and without one;
 *  - a stopped server (handshake and reply timeouts) and one that dies
 *    mid-scan;
 *  - a 3-primary TLS cluster (--tls-cluster yes): every node reached over
 *    TLS at its TLS port, found by CLUSTER SHARDS and by CLUSTER NODES, and
 *    by the host name the cluster announces.
 * Skipped (77) when redis-server or openssl is not installed. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "audit.h"
#include "audit_scan_hook.h"
#include "hashslot.h"
#include "redis_fixture.h"

#define PASSWORD "tls-s3cret-Pw"
#define NBULK 1000
/* What "no hang" means here: far above any timeout the tests set (a loaded
 * two-core machine), far below forever. */
#define BOUND_MS 60000

static RedisProc srv;   /* TLS, password, the keys below */
static RedisProc other; /* TLS, a certificate for redis.other.test only */
static RedisProc mtls;  /* TLS, wants a client certificate */
static RedisProc plain; /* plaintext */
static RConn conn;      /* the test's own connection to srv */
static long long nkeys_total;
static char ca[600], other_ca[600], client_pem[600], client_key[600], server_key[600];

static void url_for(RedisUrl *u, const char *fmt, ...) {
  char buf[2048], err[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (redis_url_parse(buf, u, err, sizeof err)) fail_msg("%s: %s", buf, err);
}

/* n commands "CMD KEY A B" (B may be NULL), each of KEY, A and B formatted
 * with the command's index, pipelined 100 at a time over the TLS link. */
static void fill_n(RConn *c, const char *cmd, const char *kfmt, const char *afmt, const char *bfmt, int from,
                   int n) {
  enum { BATCH = 100 };
  RCmd cmds[BATCH];
  char buf[BATCH][3][48];
  redisReply *rep[BATCH];
  for (int done = 0; done < n;) {
    int m = n - done < BATCH ? n - done : BATCH;
    for (int j = 0; j < m; j++) {
      int i = from + done + j;
      RCmd *x = &cmds[j];
      memset(x, 0, sizeof *x);
      x->argv[x->argc++] = cmd;
      const char *fmts[3] = {kfmt, afmt, bfmt};
      for (int f = 0; f < 3 && fmts[f]; f++) {
        snprintf(buf[j][f], sizeof buf[j][f], fmts[f], i);
        x->argv[x->argc++] = buf[j][f];
      }
      for (int a = 0; a < x->argc; a++) x->len[a] = strlen(x->argv[a]);
    }
    if (rconn_pipeline(c, cmds, (size_t)m, rep)) fail_msg("fill: %s", c->err);
    for (int j = 0; j < m; j++) {
      if (rep[j]->type == REDIS_REPLY_ERROR) fail_msg("fill %s: %s", cmd, rep[j]->str);
      freeReplyObject(rep[j]);
    }
    done += m;
  }
}

static const char bin_key[] = "bin\0\xff:key";
#define BIN_KEY_LEN (sizeof bin_key - 1)

/* The layouts of the plaintext test (test_scan.c), written over TLS. */
static void fill(RConn *c) {
  fx_tls_ok(c, "SET", "str:small", "hello", NULL);
  fx_tls_ok(c, "SET", "str:int", "12345", NULL);
  char raw[101];
  memset(raw, 'x', 100);
  raw[100] = '\0';
  fx_tls_ok(c, "SET", "str:raw", raw, NULL);
  const char *argv[3] = {"SET", bin_key, "v"};
  size_t lens[3] = {3, BIN_KEY_LEN, 1};
  redisReply *r = rconn_command(c, 3, argv, lens);
  assert_non_null(r);
  freeReplyObject(r);
  fill_n(c, "HSET", "hash:big", "field:%d", "value:%d", 0, 600);
  fx_tls_ok(c, "HSET", "hash:small", "a", "1", "b", "2", NULL);
  fill_n(c, "SADD", "set:ints", "%d", NULL, 1, 100);
  fx_tls_ok(c, "SADD", "set:strs", "alpha", "beta", "gamma", NULL);
  fill_n(c, "RPUSH", "list:l", "item-%d", NULL, 0, 50);
  fill_n(c, "ZADD", "zset:small", "%d", "m%d", 0, 10);
  fill_n(c, "ZADD", "zset:big", "%d", "member-%d", 0, 200);
  for (int i = 0; i < 20; i++) {
    char v[16];
    snprintf(v, sizeof v, "%d", i);
    fx_tls_ok(c, "XADD", "stream:s", "*", "f", v, NULL);
  }
  fx_tls_ok(c, "SET", "ttl:a", "v", "PX", "1000000", NULL);
  fill_n(c, "SET", "bulk:%d", "value-%d", NULL, 0, NBULK);
  fx_tls_ok(c, "SELECT", "3", NULL); /* one key in another database */
  fx_tls_ok(c, "SET", "db3:only", "here", NULL);
  fx_tls_ok(c, "SELECT", "0", NULL);
}

static int group_setup(void **state) {
  (void)state;
  if (fixture_make_certs()) return -1;
  fixture_path("ca.pem", ca, sizeof ca);
  fixture_path("other-ca.pem", other_ca, sizeof other_ca);
  fixture_path("client.pem", client_pem, sizeof client_pem);
  fixture_path("client.key", client_key, sizeof client_key);
  fixture_path("server.key", server_key, sizeof server_key);
  const char *pw[] = {"--requirepass", PASSWORD, NULL};
  const char *want_cert[] = {"--tls-auth-clients", "yes", NULL};
  if (redis_start_tls(&srv, "server", pw, false) || redis_start_tls(&other, "other-name", NULL, false) ||
      redis_start_tls(&mtls, "server", want_cert, false) || redis_start(&plain, NULL, false))
    return -1;
  fixture_connect_tls(&conn, srv.port, PASSWORD);
  fill(&conn);
  redisReply *r = fx_tls_cmd(&conn, "DBSIZE", NULL);
  nkeys_total = r->integer;
  freeReplyObject(r);
  return 0;
}

static int group_teardown(void **state) {
  (void)state;
  rconn_close(&conn);
  redis_stop(&srv);
  redis_stop(&other);
  redis_stop(&mtls);
  redis_stop(&plain);
  return 0;
}

static const KeyStat *find_key(const AuditResult *res, const char *name, size_t len) {
  const KeyStat *hit = NULL;
  for (size_t i = 0; i < res->nkeys; i++)
    if (res->keys[i].name_len == len && !memcmp(res->keys[i].name, name, len)) {
      assert_null(hit); /* each key once */
      hit = &res->keys[i];
    }
  return hit;
}

/* A command about key k over the test's own TLS connection. */
static redisReply *key_cmd(const char *c1, const char *c2, const KeyStat *k, const char *c3, const char *c4) {
  const char *argv[5];
  size_t lens[5];
  int argc = 0;
  argv[argc++] = c1;
  if (c2) argv[argc++] = c2;
  argv[argc++] = k->name;
  if (c3) argv[argc++] = c3;
  if (c4) argv[argc++] = c4;
  for (int i = 0; i < argc; i++) lens[i] = argv[i] == k->name ? k->name_len : strlen(argv[i]);
  redisReply *r = rconn_command(&conn, argc, argv, lens);
  if (!r) fail_msg("%s: %s", c1, conn.err);
  return r;
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

/* A KeyStat against the server's own direct answers. */
static void check_key(const KeyStat *k) {
  redisReply *r = key_cmd("TYPE", NULL, k, NULL, NULL);
  assert_string_equal(r->str, key_type_name(k->type));
  freeReplyObject(r);
  r = key_cmd("MEMORY", "USAGE", k, "SAMPLES", "0");
  assert_int_equal(k->bytes, r->integer);
  freeReplyObject(r);
  r = key_cmd("OBJECT", "ENCODING", k, NULL, NULL);
  assert_string_equal(k->encoding, r->str);
  freeReplyObject(r);
  r = key_cmd("PTTL", NULL, k, NULL, NULL);
  if (r->integer == -1) assert_int_equal(k->ttl_ms, -1);
  else assert_true(k->ttl_ms >= r->integer && k->ttl_ms <= r->integer + 120000);
  freeReplyObject(r);
  r = key_cmd(length_cmd(k->type), NULL, k, NULL, NULL);
  assert_int_equal(k->length, r->integer);
  freeReplyObject(r);
}

/* A failed audit: -1, one line naming the address, never the password, in
 * well under BOUND_MS. The message is returned for more checks (freed with
 * the result by the caller). */
static const char *expect_failure(const char *url, long timeout_ms, AuditResult *res, int port) {
  RedisUrl u;
  url_for(&u, "%s", url);
  AuditScanOptions opt = {.timeout_ms = timeout_ms};
  long long t0 = fx_now_ms();
  int rc = audit_scan(&u, &opt, res);
  long long ms = fx_now_ms() - t0;
  redis_url_free(&u);
  if (rc != -1) fail_msg("%s: the audit did not fail", url);
  assert_non_null(res->error);
  if (ms >= BOUND_MS) fail_msg("%s: %lld ms to fail", url, ms);
  assert_null(strchr(res->error, '\n'));
  assert_null(strstr(res->error, PASSWORD));
  char addr[64];
  snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
  if (!strstr(res->error, addr)) fail_msg("no address in: %s", res->error);
  return res->error;
}

static void expect_in(const char *msg, const char *needle) {
  if (!strstr(msg, needle)) fail_msg("'%s' not in: %s", needle, msg);
}

/* Every key, measured exactly as the plaintext test measures it. */
static void test_full_audit_over_tls(void **state) {
  (void)state;
  RedisUrl u;
  url_for(&u, "rediss://:%s@127.0.0.1:%d?ssl_ca_certs=%s", PASSWORD, srv.port, ca);
  AuditScanOptions opt = {.count = 100};
  AuditResult res;
  assert_int_equal(audit_scan(&u, &opt, &res), 0);
  assert_null(res.error);
  assert_int_equal(res.nwarnings, 0);
  assert_false(res.cluster);
  assert_true(strtol(res.server_version, NULL, 10) >= 6); /* INFO read over TLS */
  assert_int_equal(res.nnodes, 1);
  char addr[64];
  snprintf(addr, sizeof addr, "127.0.0.1:%d", srv.port);
  assert_string_equal(res.nodes[0].addr, addr);
  assert_null(res.nodes[0].error);
  assert_int_equal(res.nodes[0].dbsize, nkeys_total);
  assert_int_equal(res.nkeys, nkeys_total);
  for (size_t i = 0; i < res.nkeys; i++) {
    assert_true(find_key(&res, res.keys[i].name, res.keys[i].name_len) == &res.keys[i]);
    check_key(&res.keys[i]);
  }
  assert_non_null(find_key(&res, bin_key, BIN_KEY_LEN));
  assert_string_equal(find_key(&res, "hash:big", 8)->encoding, "hashtable");
  assert_string_equal(find_key(&res, "set:ints", 8)->encoding, "intset");
  char shown[256], want[128];
  snprintf(want, sizeof want, "rediss://:***@127.0.0.1:%d/0", srv.port);
  assert_string_equal(redis_url_display(&u, shown, sizeof shown), want);
  audit_result_free(&res);
  redis_url_free(&u);
}

/* A host name: SNI, the name checked against the certificate's DNS entry,
 * and every address localhost resolves to tried (::1 may come first, and
 * the server listens on 127.0.0.1 only). A database other than 0. */
static void test_host_name_and_database(void **state) {
  (void)state;
  RedisUrl u;
  url_for(&u, "rediss://:%s@localhost:%d/3?ssl_ca_certs=%s&ssl_cert_reqs=required", PASSWORD, srv.port, ca);
  AuditResult res;
  assert_int_equal(audit_scan(&u, NULL, &res), 0);
  assert_int_equal(res.nkeys, 1);
  assert_string_equal(res.keys[0].name, "db3:only");
  audit_result_free(&res);
  redis_url_free(&u);
}

static void test_wrong_ca(void **state) {
  (void)state;
  char url[1024];
  AuditResult res;
  snprintf(url, sizeof url, "rediss://:%s@127.0.0.1:%d?ssl_ca_certs=%s", PASSWORD, srv.port, other_ca);
  const char *e = expect_failure(url, 0, &res, srv.port);
  expect_in(e, "TLS certificate verify failed");
  /* OpenSSL's reason: the chain Redis sends ends at a CA nobody trusts */
  if (!strstr(e, "self-signed certificate in certificate chain") && !strstr(e, "unable to get local issuer"))
    fail_msg("no reason in: %s", e);
  expect_in(e, other_ca);
  audit_result_free(&res);

  /* ssl_cert_reqs=optional is required's check on a client, as in Python */
  snprintf(url, sizeof url, "rediss://:%s@127.0.0.1:%d?ssl_ca_certs=%s&ssl_cert_reqs=optional", PASSWORD,
           srv.port, other_ca);
  expect_in(expect_failure(url, 0, &res, srv.port), "certificate verify failed");
  audit_result_free(&res);

  /* no CA named: the system's store, which does not hold the test CA */
  snprintf(url, sizeof url, "rediss://:%s@127.0.0.1:%d", PASSWORD, srv.port);
  e = expect_failure(url, 0, &res, srv.port);
  expect_in(e, "certificate verify failed");
  expect_in(e, "ssl_ca_certs=");
  audit_result_free(&res);

  snprintf(url, sizeof url, "rediss://127.0.0.1:%d?ssl_ca_certs=%s/no-such-ca.pem", srv.port, fixture_tmpdir());
  e = expect_failure(url, 0, &res, srv.port);
  expect_in(e, "cannot read ssl_ca_certs=");
  expect_in(e, "No such file");
  audit_result_free(&res);

  snprintf(url, sizeof url, "rediss://127.0.0.1:%d?ssl_ca_certs=%s", srv.port, client_key); /* not a certificate */
  e = expect_failure(url, 0, &res, srv.port);
  expect_in(e, "cannot load the CA certificates of ssl_ca_certs=");
  audit_result_free(&res);
}

/* ssl_cert_reqs=none: encrypted, nothing verified; no CA needed, a wrong
 * one and a wrong name do not matter. */
static void test_cert_reqs_none(void **state) {
  (void)state;
  static const char *const tails[] = {"", "&ssl_ca_certs=%s"};
  for (int i = 0; i < 2; i++) {
    char fmt[256];
    snprintf(fmt, sizeof fmt, "rediss://:%%s@127.0.0.1:%%d?ssl_cert_reqs=none%s", tails[i]);
    RedisUrl u;
    url_for(&u, fmt, PASSWORD, srv.port, other_ca);
    AuditResult res;
    assert_int_equal(audit_scan(&u, NULL, &res), 0);
    assert_int_equal(res.nkeys, nkeys_total);
    audit_result_free(&res);
    redis_url_free(&u);
  }
  RedisUrl u;
  url_for(&u, "rediss://127.0.0.1:%d?ssl_cert_reqs=none", other.port);
  AuditResult res;
  assert_int_equal(audit_scan(&u, NULL, &res), 0);
  audit_result_free(&res);
  redis_url_free(&u);
}

/* A certificate signed by the trusted CA, but for redis.other.test. */
static void test_hostname_mismatch(void **state) {
  (void)state;
  char url[1024];
  AuditResult res;
  snprintf(url, sizeof url, "rediss://127.0.0.1:%d?ssl_ca_certs=%s", other.port, ca);
  const char *e = expect_failure(url, 0, &res, other.port);
  expect_in(e, "TLS hostname mismatch");
  expect_in(e, "is for redis.other.test, not 127.0.0.1");
  expect_in(e, "ssl_check_hostname=false");
  audit_result_free(&res);

  /* by name (SSL_set1_host rather than the IP check): the same refusal */
  snprintf(url, sizeof url, "rediss://localhost:%d?ssl_ca_certs=%s", other.port, ca);
  RedisUrl u;
  url_for(&u, "%s", url);
  assert_int_equal(audit_scan(&u, NULL, &res), -1);
  expect_in(res.error, "is for redis.other.test, not localhost");
  audit_result_free(&res);
  redis_url_free(&u);

  /* the chain is still verified without the name check */
  url_for(&u, "rediss://127.0.0.1:%d?ssl_ca_certs=%s&ssl_check_hostname=false", other.port, ca);
  assert_int_equal(audit_scan(&u, NULL, &res), 0);
  assert_int_equal(res.nkeys, 0);
  assert_null(res.error);
  audit_result_free(&res);
  redis_url_free(&u);
  snprintf(url, sizeof url, "rediss://127.0.0.1:%d?ssl_ca_certs=%s&ssl_check_hostname=false", other.port,
           other_ca);
  expect_in(expect_failure(url, 0, &res, other.port), "certificate verify failed");
  audit_result_free(&res);
}

/* The wrong port for the scheme, both ways: a clear failure, no hang. A
 * plaintext Redis either answers the ClientHello with an error (seen at
 * once) or waits for the rest of what it takes for an inline command (the
 * handshake timeout, 5 s by default); both say TLS. */
static void test_scheme_port_mismatch(void **state) {
  (void)state;
  char url[1024];
  AuditResult res;
  snprintf(url, sizeof url, "rediss://127.0.0.1:%d?ssl_ca_certs=%s", plain.port, ca);
  const char *e = expect_failure(url, 0, &res, plain.port);
  if (!strstr(e, "answered in plaintext") && !strstr(e, "during the TLS handshake")) fail_msg("%s", e);
  expect_in(e, "redis://");
  audit_result_free(&res);

  snprintf(url, sizeof url, "redis://:%s@127.0.0.1:%d", PASSWORD, srv.port);
  e = expect_failure(url, 0, &res, srv.port);
  expect_in(e, "rediss://");
  audit_result_free(&res);
}

/* --tls-auth-clients yes: the client certificate from the URL. */
static void test_client_certificate(void **state) {
  (void)state;
  RedisUrl u;
  AuditResult res;
  url_for(&u, "rediss://127.0.0.1:%d?ssl_ca_certs=%s&ssl_certfile=%s&ssl_keyfile=%s", mtls.port, ca, client_pem,
          client_key);
  assert_int_equal(audit_scan(&u, NULL, &res), 0);
  assert_null(res.error);
  audit_result_free(&res);
  redis_url_free(&u);

  char url[2048];
  snprintf(url, sizeof url, "rediss://127.0.0.1:%d?ssl_ca_certs=%s", mtls.port, ca);
  expect_in(expect_failure(url, 0, &res, mtls.port), "client certificate");
  audit_result_free(&res);

  snprintf(url, sizeof url, "rediss://127.0.0.1:%d?ssl_ca_certs=%s&ssl_certfile=%s/none.pem", mtls.port, ca,
           fixture_tmpdir());
  expect_in(expect_failure(url, 0, &res, mtls.port), "cannot read ssl_certfile=");
  audit_result_free(&res);

  snprintf(url, sizeof url, "rediss://127.0.0.1:%d?ssl_ca_certs=%s&ssl_certfile=%s", mtls.port, ca, client_key);
  expect_in(expect_failure(url, 0, &res, mtls.port), "cannot load the client certificate ssl_certfile=");
  audit_result_free(&res);

  snprintf(url, sizeof url, "rediss://127.0.0.1:%d?ssl_ca_certs=%s&ssl_certfile=%s&ssl_keyfile=%s", mtls.port, ca,
           client_pem, server_key);
  expect_in(expect_failure(url, 0, &res, mtls.port), "does not belong to the certificate");
  audit_result_free(&res);
}

/* AUTH goes through the TLS link like every command; its failures read as
 * over plaintext, and the password is never shown. */
static void test_auth_over_tls(void **state) {
  (void)state;
  char url[1024];
  AuditResult res;
  snprintf(url, sizeof url, "rediss://:Wrong-%s@127.0.0.1:%d?ssl_ca_certs=%s", PASSWORD, srv.port, ca);
  expect_in(expect_failure(url, 0, &res, srv.port), "authentication failed");
  audit_result_free(&res);
  snprintf(url, sizeof url, "rediss://127.0.0.1:%d?ssl_ca_certs=%s", srv.port, ca);
  expect_in(expect_failure(url, 0, &res, srv.port), "requires authentication");
  audit_result_free(&res);
}

/* A stopped server: the kernel still accepts the connection, nobody
 * answers the ClientHello; then, stopped after SCAN, nobody answers the
 * reads. Each ends at the timeout (the default 5 s: every reply before the
 * stop must come within it, on a loaded machine too). */
static void stop_hook(AuditHookPoint at, const AuditNode *node, const KeyStat *keys, size_t n, void *arg) {
  (void)node, (void)keys, (void)n;
  if (at == AUDIT_HOOK_SCANNED && !*(bool *)arg) {
    *(bool *)arg = true;
    kill(srv.pid, SIGSTOP);
  }
}

static void test_timeouts(void **state) {
  (void)state;
  char url[1024];
  AuditResult res;
  snprintf(url, sizeof url, "rediss://:%s@127.0.0.1:%d?ssl_ca_certs=%s", PASSWORD, srv.port, ca);
  kill(srv.pid, SIGSTOP);
  const char *e = expect_failure(url, 0, &res, srv.port);
  kill(srv.pid, SIGCONT);
  expect_in(e, "timed out after 5000 ms during the TLS handshake");
  audit_result_free(&res);

  bool stopped = false;
  audit_scan_set_hook(stop_hook, &stopped);
  e = expect_failure(url, 0, &res, srv.port);
  audit_scan_set_hook(NULL, NULL);
  kill(srv.pid, SIGCONT);
  assert_true(stopped);
  expect_in(e, "timed out after 5000 ms while waiting for a reply");
  audit_result_free(&res);
}

/* The server dies at the third SCAN batch: what was read, and the node's
 * error, over TLS as over plaintext. */
static RedisProc doomed;
static int doomed_batches;

static void kill_hook(AuditHookPoint at, const AuditNode *node, const KeyStat *keys, size_t n, void *arg) {
  (void)node, (void)keys, (void)n, (void)arg;
  if (at == AUDIT_HOOK_SCANNED && ++doomed_batches == 3) redis_kill(&doomed);
}

static void test_server_dies_mid_scan(void **state) {
  (void)state;
  assert_int_equal(redis_start_tls(&doomed, "server", NULL, false), 0);
  RConn c;
  fixture_connect_tls(&c, doomed.port, NULL);
  fill_n(&c, "SET", "k:%d", "v", NULL, 0, 300);
  rconn_close(&c);
  doomed_batches = 0;
  audit_scan_set_hook(kill_hook, NULL);
  RedisUrl u;
  url_for(&u, "rediss://127.0.0.1:%d?ssl_ca_certs=%s", doomed.port, ca);
  AuditScanOptions opt = {.count = 50};
  AuditResult res;
  int rc = audit_scan(&u, &opt, &res);
  audit_scan_set_hook(NULL, NULL);
  redis_stop(&doomed);
  assert_int_equal(rc, 0);
  assert_null(res.error);
  assert_non_null(res.nodes[0].error);
  expect_in(res.nodes[0].error, "partial");
  assert_true(res.nkeys >= 2 && res.nkeys < 300);
  assert_int_equal(res.nodes[0].scanned, res.nkeys);
  audit_result_free(&res);
  redis_url_free(&u);
}

/* ---- a TLS cluster ------------------------------------------------------ */

#define NODES 3
#define NKEYS 300
#define CLUSTER_DEADLINE_MS 120000

static RedisProc node[NODES];
static RConn nc[NODES];
static const int first_slot[NODES] = {0, 5461, 10923}, last_slot[NODES] = {5460, 10922, 16383};
static long long per_node[NODES];

static bool cluster_ok(RConn *c) {
  redisReply *r = fx_tls_cmd(c, "CLUSTER", "INFO", NULL);
  bool ok = r->type == REDIS_REPLY_STRING && strstr(r->str, "cluster_state:ok") &&
            strstr(r->str, "cluster_known_nodes:3");
  freeReplyObject(r);
  return ok;
}

static int cluster_setup(void **state) {
  (void)state;
  for (int i = 0; i < NODES; i++) {
    if (redis_start_tls(&node[i], "server", NULL, true)) return -1;
    fixture_connect_tls(&nc[i], node[i].port, NULL);
    char a[16], b[16];
    snprintf(a, sizeof a, "%d", first_slot[i]);
    snprintf(b, sizeof b, "%d", last_slot[i]);
    fx_tls_ok(&nc[i], "CLUSTER", "ADDSLOTSRANGE", a, b, NULL);
  }
  for (int i = 1; i < NODES; i++) { /* the bus: TLS too, at the TLS port + 10000 */
    char p[16];
    snprintf(p, sizeof p, "%d", node[i].port);
    fx_tls_ok(&nc[0], "CLUSTER", "MEET", "127.0.0.1", p, NULL);
  }
  long long deadline = fx_now_ms() + CLUSTER_DEADLINE_MS;
  for (;;) {
    bool ok = true;
    for (int i = 0; i < NODES && ok; i++) ok = cluster_ok(&nc[i]);
    if (ok) break;
    if (fx_now_ms() > deadline) {
      fprintf(stderr, "the TLS cluster did not reach cluster_state:ok in %d ms\n", CLUSTER_DEADLINE_MS);
      return -1;
    }
    struct timespec ts = {0, 100 * 1000000L};
    nanosleep(&ts, NULL);
  }
  for (int i = 0; i < NKEYS; i++) {
    char k[64], v[32];
    snprintf(k, sizeof k, "user:%d:profile", i);
    snprintf(v, sizeof v, "value-%d", i);
    unsigned slot = key_hash_slot(k, strlen(k));
    int owner = slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2;
    fx_tls_ok(&nc[owner], "SET", k, v, NULL);
    per_node[owner]++;
  }
  for (int i = 0; i < NODES; i++) {
    if (per_node[i] < 20) return -1; /* spread over the three */
    /* one user who may not run CLUSTER NODES, one who may not run CLUSTER
     * SHARDS: each discovery path has to find the TLS ports alone */
    fx_tls_ok(&nc[i], "ACL", "SETUSER", "shards", "on", ">pw", "~*", NULL);
    fx_tls_ok(&nc[i], "ACL", "SETUSER", "shards", "+@read", "+info", NULL);
    fx_tls_ok(&nc[i], "ACL", "SETUSER", "shards", "+cluster|shards", "+cluster|myid", NULL);
    fx_tls_ok(&nc[i], "ACL", "SETUSER", "legacy", "on", ">pw", "~*", NULL);
    fx_tls_ok(&nc[i], "ACL", "SETUSER", "legacy", "+@read", "+info", NULL);
    fx_tls_ok(&nc[i], "ACL", "SETUSER", "legacy", "+cluster|nodes", "+cluster|myid", NULL);
  }
  return 0;
}

static int cluster_teardown(void **state) {
  (void)state;
  for (int i = 0; i < NODES; i++) {
    rconn_close(&nc[i]);
    redis_stop(&node[i]);
  }
  return 0;
}

static void check_cluster(const char *user, int seed) {
  RedisUrl u;
  url_for(&u, "rediss://%s%s127.0.0.1:%d?ssl_ca_certs=%s", user, *user ? ":pw@" : "", node[seed].port, ca);
  AuditScanOptions opt = {.count = 25};
  AuditResult res;
  assert_int_equal(audit_scan(&u, &opt, &res), 0);
  assert_null(res.error);
  assert_true(res.cluster);
  assert_int_equal(res.nwarnings, 0);
  assert_int_equal(res.nnodes, NODES);
  for (int i = 0; i < NODES; i++) {
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", node[i].port); /* the TLS ports */
    assert_string_equal(res.nodes[i].addr, addr);
    if (res.nodes[i].error) fail_msg("%s: %s", user, res.nodes[i].error);
    assert_int_equal(res.nodes[i].scanned, per_node[i]);
  }
  assert_int_equal(res.nkeys, NKEYS);
  audit_result_free(&res);
  redis_url_free(&u);
}

static void test_tls_cluster(void **state) {
  (void)state;
  check_cluster("", 1);
  check_cluster("shards", 0);
  check_cluster("legacy", 2);
}

/* A node's certificate is checked as the seed's: against the address the
 * cluster gives for it (the test CA is the only one trusted). */
static void test_tls_cluster_wrong_ca(void **state) {
  (void)state;
  char url[1024];
  AuditResult res;
  snprintf(url, sizeof url, "rediss://127.0.0.1:%d?ssl_ca_certs=%s", node[0].port, other_ca);
  expect_in(expect_failure(url, 0, &res, node[0].port), "certificate verify failed");
  audit_result_free(&res);
}

static int hostnames_known(RConn *c) {
  redisReply *r = fx_tls_cmd(c, "CLUSTER", "NODES", NULL);
  int n = 0;
  for (const char *q = r->str; (q = strstr(q, ",localhost ")); q++) n++;
  freeReplyObject(r);
  return n;
}

/* A cluster that announces host names (cluster-preferred-endpoint-type
 * hostname): the nodes are reached, and their certificates checked, by the
 * name CLUSTER SHARDS gives as their endpoint. Run last: it reconfigures
 * the nodes, and puts them back. */
static void test_tls_cluster_hostnames(void **state) {
  (void)state;
  for (int i = 0; i < NODES; i++) {
    fx_tls_ok(&nc[i], "CONFIG", "SET", "cluster-announce-hostname", "localhost", NULL);
    fx_tls_ok(&nc[i], "CONFIG", "SET", "cluster-preferred-endpoint-type", "hostname", NULL);
  }
  long long deadline = fx_now_ms() + CLUSTER_DEADLINE_MS; /* the names travel by gossip */
  while (hostnames_known(&nc[0]) < NODES) {
    if (fx_now_ms() > deadline) fail_msg("the host names did not spread in %d ms", CLUSTER_DEADLINE_MS);
    struct timespec ts = {0, 100 * 1000000L};
    nanosleep(&ts, NULL);
  }
  RedisUrl u;
  url_for(&u, "rediss://localhost:%d?ssl_ca_certs=%s", node[0].port, ca);
  AuditResult res;
  assert_int_equal(audit_scan(&u, NULL, &res), 0);
  assert_int_equal(res.nnodes, NODES);
  for (int i = 0; i < NODES; i++) {
    char addr[64];
    snprintf(addr, sizeof addr, "localhost:%d", node[i].port);
    assert_string_equal(res.nodes[i].addr, addr);
    if (res.nodes[i].error) fail_msg("%s", res.nodes[i].error);
    assert_int_equal(res.nodes[i].scanned, per_node[i]);
  }
  audit_result_free(&res);
  redis_url_free(&u);
  for (int i = 0; i < NODES; i++)
    fx_tls_ok(&nc[i], "CONFIG", "SET", "cluster-preferred-endpoint-type", "ip", NULL);
}

int main(void) {
  unsetenv("REDISLINT_REDIS_PASSWORD"); /* the developer's own must not leak in */
  if (!redis_server_installed()) {
    fprintf(stderr, "SKIP: redis-server is not installed (Debian: apt-get install redis-server)\n");
    return SKIP_EXIT;
  }
  if (!tool_installed("openssl")) {
    fprintf(stderr, "SKIP: the openssl command is not installed (Debian: apt-get install openssl)\n");
    return SKIP_EXIT;
  }
  /* The test's own connections write close_notify when they close, maybe to
   * a server a test killed: EPIPE rather than the signal (the audit does
   * the same for its own). */
  signal(SIGPIPE, SIG_IGN);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full_audit_over_tls),
      cmocka_unit_test(test_host_name_and_database),
      cmocka_unit_test(test_wrong_ca),
      cmocka_unit_test(test_cert_reqs_none),
      cmocka_unit_test(test_hostname_mismatch),
      cmocka_unit_test(test_scheme_port_mismatch),
      cmocka_unit_test(test_client_certificate),
      cmocka_unit_test(test_auth_over_tls),
      cmocka_unit_test(test_timeouts),
      cmocka_unit_test(test_server_dies_mid_scan),
  };
  const struct CMUnitTest cluster_tests[] = {
      cmocka_unit_test(test_tls_cluster),
      cmocka_unit_test(test_tls_cluster_wrong_ca),
      cmocka_unit_test(test_tls_cluster_hostnames),
  };
  int rc = cmocka_run_group_tests_name("tls", tests, group_setup, group_teardown);
  redis_stop(&doomed); /* a failed test may have left it */
  rc |= cmocka_run_group_tests_name("tls cluster", cluster_tests, cluster_setup, cluster_teardown);
  return rc;
}
