/* test_cluster.c - the audit scanner across a real 3-primary Redis Cluster
 * on loopback ports (redis-server --cluster-enabled yes x3, slots assigned
 * with CLUSTER ADDSLOTSRANGE, joined with CLUSTER MEET): every key seen
 * once, on the node that owns its slot; discovery with CLUSTER SHARDS and,
 * for a user who may only run CLUSTER NODES, with that; a primary dying in
 * the middle of its scan, and one down before the audit. Skipped (77) when
 * redis-server is not installed. */
#include <setjmp.h>
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

#define NODES 3
#define NKEYS 300
#define CLUSTER_DEADLINE_MS 120000

static RedisProc node[NODES];
static redisContext *nc[NODES];
static const int first_slot[NODES] = {0, 5461, 10923}, last_slot[NODES] = {5460, 10922, 16383};
static int owner[NKEYS];      /* key i's node */
static long long per_node[NODES];

static int slot_owner(unsigned slot) {
  for (int i = 0; i < NODES; i++)
    if ((int)slot >= first_slot[i] && (int)slot <= last_slot[i]) return i;
  return -1;
}

static void key_name(int i, char *buf, size_t size) {
  /* a third with a hash tag: the tag decides the slot */
  if (i % 3 == 0) snprintf(buf, size, "{tenant%d}:user:%d", i % 7, i);
  else snprintf(buf, size, "user:%d:profile", i);
}

static bool cluster_ok(redisContext *c) {
  redisReply *r = fx_cmd(c, "CLUSTER INFO");
  bool ok = r->type == REDIS_REPLY_STRING && strstr(r->str, "cluster_state:ok") &&
            strstr(r->str, "cluster_known_nodes:3");
  freeReplyObject(r);
  return ok;
}

static int group_setup(void **state) {
  (void)state;
  for (int i = 0; i < NODES; i++) {
    if (redis_start(&node[i], NULL, true)) return -1;
    nc[i] = fixture_connect(node[i].port, NULL);
    fx_ok(nc[i], "CLUSTER ADDSLOTSRANGE %d %d", first_slot[i], last_slot[i]);
  }
  for (int i = 1; i < NODES; i++) fx_ok(nc[0], "CLUSTER MEET 127.0.0.1 %d", node[i].port);
  /* Gossip takes a few heartbeats; a loaded machine may take longer. */
  long long deadline = fx_now_ms() + CLUSTER_DEADLINE_MS;
  for (;;) {
    bool ok = true;
    for (int i = 0; i < NODES && ok; i++) ok = cluster_ok(nc[i]);
    if (ok) break;
    if (fx_now_ms() > deadline) {
      fprintf(stderr, "the cluster did not reach cluster_state:ok in %d ms\n", CLUSTER_DEADLINE_MS);
      return -1;
    }
    struct timespec ts = {0, 100 * 1000000L};
    nanosleep(&ts, NULL);
  }
  for (int i = 0; i < NKEYS; i++) {
    char k[64];
    key_name(i, k, sizeof k);
    owner[i] = slot_owner(key_hash_slot(k, strlen(k)));
    if (i % 2) fx_ok(nc[owner[i]], "SET %s value-%d", k, i);
    else fx_ok(nc[owner[i]], "HSET %s name n%d age %d", k, i, i);
    per_node[owner[i]]++;
  }
  for (int i = 0; i < NODES; i++) assert_true(per_node[i] > 20); /* spread over the three */
  return 0;
}

static int group_teardown(void **state) {
  (void)state;
  for (int i = 0; i < NODES; i++) {
    if (nc[i]) redisFree(nc[i]);
    redis_stop(&node[i]);
  }
  return 0;
}

static void url_for(RedisUrl *u, const char *fmt, ...) {
  char buf[256], err[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (redis_url_parse(buf, u, err, sizeof err)) fail_msg("%s: %s", buf, err);
}

static int find_key(const AuditResult *res, const char *name) {
  int hit = -1;
  for (size_t i = 0; i < res->nkeys; i++)
    if (res->keys[i].name_len == strlen(name) && !memcmp(res->keys[i].name, name, res->keys[i].name_len)) {
      assert_int_equal(hit, -1); /* once */
      hit = (int)i;
    }
  return hit;
}

/* The whole cluster read: nodes in slot order, each key once, on its owner. */
static void check_full(const AuditResult *res) {
  assert_null(res->error);
  assert_true(res->cluster);
  assert_false(res->sampled);
  assert_int_equal(res->nnodes, NODES);
  for (int i = 0; i < NODES; i++) {
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", node[i].port);
    assert_string_equal(res->nodes[i].addr, addr);
    assert_null(res->nodes[i].error);
    assert_int_equal(res->nodes[i].dbsize, per_node[i]);
    assert_int_equal(res->nodes[i].scanned, per_node[i]);
  }
  assert_int_equal(res->nkeys, NKEYS);
  for (int i = 0; i < NKEYS; i++) {
    char k[64];
    key_name(i, k, sizeof k);
    int at = find_key(res, k);
    if (at < 0) fail_msg("%s not seen", k);
    const KeyStat *ks = &res->keys[at];
    assert_int_equal(ks->node, owner[i]);
    assert_int_equal(ks->type, i % 2 ? KT_STRING : KT_HASH);
    assert_true(ks->bytes > 0);
    assert_int_equal(ks->ttl_ms, -1);
    assert_int_equal(ks->length, i % 2 ? (long long)strlen("value-") + (i >= 10) + (i >= 100) + 1 : 2);
  }
}

/* "calls" or "rejected_calls" of a command in INFO commandstats. */
static long long cmdstat(redisContext *c, const char *cmd, const char *field) {
  redisReply *r = fx_cmd(c, "INFO commandstats");
  char key[64], f[40];
  snprintf(key, sizeof key, "cmdstat_%s:", cmd);
  snprintf(f, sizeof f, "%s=", field);
  long long v = 0;
  const char *p = strstr(r->str, key);
  if (p) {
    const char *eol = p + strcspn(p, "\r\n");
    for (const char *q = strstr(p, f); q && q < eol; q = strstr(q + 1, f))
      if (q[-1] == ':' || q[-1] == ',') {
        v = strtoll(q + strlen(f), NULL, 10);
        break;
      }
  }
  freeReplyObject(r);
  return v;
}

static void test_cluster_shards(void **state) {
  (void)state;
  RedisUrl u;
  url_for(&u, "redis://127.0.0.1:%d", node[1].port); /* any node will do */
  AuditScanOptions opt = {.count = 25};
  AuditResult res;
  long long shards = cmdstat(nc[1], "cluster|shards", "calls");
  assert_int_equal(audit_scan(&u, &opt, &res), 0);
  assert_int_equal(cmdstat(nc[1], "cluster|shards", "calls"), shards + 1);
  check_full(&res);
  assert_int_equal(res.nwarnings, 0);
  audit_result_free(&res);
  redis_url_free(&u);
}

/* A user who may run CLUSTER NODES but not CLUSTER SHARDS: the fallback
 * parser finds the same primaries. (ACLs are per node in a cluster.) */
static void test_cluster_nodes_fallback(void **state) {
  (void)state;
  for (int i = 0; i < NODES; i++)
    fx_ok(nc[i], "ACL SETUSER legacy on >pw ~* +@read +info +cluster|nodes +cluster|myid");
  RedisUrl u;
  url_for(&u, "redis://legacy:pw@127.0.0.1:%d", node[2].port);
  AuditResult res;
  long long nodes = cmdstat(nc[2], "cluster|nodes", "calls");
  long long refused = cmdstat(nc[2], "cluster|shards", "rejected_calls");
  assert_int_equal(audit_scan(&u, NULL, &res), 0);
  assert_int_equal(cmdstat(nc[2], "cluster|nodes", "calls"), nodes + 1);
  assert_int_equal(cmdstat(nc[2], "cluster|shards", "rejected_calls"), refused + 1);
  check_full(&res);
  assert_int_equal(res.nwarnings, 0);
  audit_result_free(&res);
  redis_url_free(&u);
}

static void test_cluster_sample(void **state) {
  (void)state;
  RedisUrl u;
  url_for(&u, "redis://127.0.0.1:%d", node[0].port);
  AuditScanOptions opt = {.count = 10, .sample = 10};
  AuditResult res;
  assert_int_equal(audit_scan(&u, &opt, &res), 0);
  assert_true(res.sampled);
  assert_int_equal(res.nnodes, NODES);
  size_t per[NODES] = {0};
  for (size_t i = 0; i < res.nkeys; i++) per[res.keys[i].node]++;
  for (int i = 0; i < NODES; i++) {
    assert_int_equal(per[i], 10); /* at most N per node, and N there are */
    assert_int_equal(res.nodes[i].scanned, 10);
  }
  audit_result_free(&res);
  redis_url_free(&u);
}

/* The middle primary dies at its second SCAN batch (from the test hook):
 * its keys are partial and its error says so, the last node is still read,
 * and the audit returns 0. */
static int victim_batches;

static void kill_hook(AuditHookPoint at, const AuditNode *an, const KeyStat *keys, size_t n, void *arg) {
  (void)keys, (void)n, (void)arg;
  char addr[64];
  snprintf(addr, sizeof addr, "127.0.0.1:%d", node[1].port);
  if (at == AUDIT_HOOK_SCANNED && !strcmp(an->addr, addr) && ++victim_batches == 2) {
    redisFree(nc[1]);
    nc[1] = NULL;
    redis_kill(&node[1]);
  }
}

static void test_node_dies_mid_scan(void **state) {
  (void)state;
  RedisUrl u;
  url_for(&u, "redis://127.0.0.1:%d", node[0].port);
  AuditScanOptions opt = {.count = 10};
  AuditResult res;
  victim_batches = 0;
  audit_scan_set_hook(kill_hook, NULL);
  int rc = audit_scan(&u, &opt, &res);
  audit_scan_set_hook(NULL, NULL);
  assert_int_equal(rc, 0);
  assert_null(res.error);
  assert_int_equal(res.nnodes, NODES);
  assert_null(res.nodes[0].error);
  assert_null(res.nodes[2].error);
  assert_int_equal(res.nodes[0].scanned, per_node[0]);
  assert_int_equal(res.nodes[2].scanned, per_node[2]); /* scanned after the loss */
  assert_non_null(res.nodes[1].error);
  assert_non_null(strstr(res.nodes[1].error, res.nodes[1].addr));
  assert_non_null(strstr(res.nodes[1].error, "partial"));
  assert_true(res.nodes[1].scanned > 0 && (long long)res.nodes[1].scanned < per_node[1]);
  size_t per[NODES] = {0};
  for (size_t i = 0; i < res.nkeys; i++) per[res.keys[i].node]++;
  assert_int_equal(per[1], res.nodes[1].scanned);
  audit_result_free(&res);
  redis_url_free(&u);
}

/* The same primary, down before the audit starts (the cluster still lists
 * it: node timeout 60 s): a node error, the rest read. */
static void test_node_down_before_audit(void **state) {
  (void)state;
  if (node[1].pid) redis_kill(&node[1]); /* when run alone */
  RedisUrl u;
  url_for(&u, "redis://127.0.0.1:%d", node[2].port);
  AuditResult res;
  long long t0 = fx_now_ms();
  assert_int_equal(audit_scan(&u, NULL, &res), 0);
  assert_true(fx_now_ms() - t0 < 30000);
  assert_int_equal(res.nnodes, NODES);
  assert_non_null(res.nodes[1].error);
  assert_non_null(strstr(res.nodes[1].error, "connection refused"));
  assert_int_equal(res.nodes[1].scanned, 0);
  assert_null(res.nodes[0].error);
  assert_null(res.nodes[2].error);
  assert_int_equal(res.nkeys, per_node[0] + per_node[2]);
  audit_result_free(&res);
  redis_url_free(&u);
}

int main(void) {
  unsetenv("REDISLINT_REDIS_PASSWORD");
  if (!redis_server_installed()) {
    fprintf(stderr, "SKIP: redis-server is not installed (Debian: apt-get install redis-server)\n");
    return SKIP_EXIT;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cluster_shards),
      cmocka_unit_test(test_cluster_nodes_fallback),
      cmocka_unit_test(test_cluster_sample),
      cmocka_unit_test(test_node_dies_mid_scan),
      cmocka_unit_test(test_node_down_before_audit),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
