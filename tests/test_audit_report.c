/* test_audit_report.c - the audit report on synthetic scans: template
 * matching (most specific wins, holes, binary names, unmatched groups),
 * per-template statistics (p50/p99, encoding shares, TTL share, keys without
 * MEMORY USAGE, sampled scaling, per-node counts), the measured evidence of
 * each memory rule on the findings of a linted fixture project
 * (tests/audit_report/app.py), the JSON shape, HTML escaping of hostile key
 * names, SARIF, and deterministic output. Writes the HTML report and its SARIF
 * log to RL_BINARY_DIR for the headless Chromium test and the SARIF
 * validator (tests/audit_report/test_html_chromium.py, tests/sarif). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "audit.h"
#include "audit_internal.h"
#include "commands.h"
#include "fsutil.h"
#include "model.h"
#include "options.h"
#include "rule.h"

/* ---- building scans ------------------------------------------------------ */

static void node_add(AuditResult *res, const char *addr, long long dbsize, size_t scanned) {
  res->nodes = realloc(res->nodes, (res->nnodes + 1) * sizeof(AuditNode));
  AuditNode *n = &res->nodes[res->nnodes++];
  memset(n, 0, sizeof *n);
  n->addr = strdup(addr);
  n->dbsize = dbsize;
  n->scanned = scanned;
}

static KeyStat *key_addn(AuditResult *res, const char *name, size_t len, KeyType type,
                         const char *enc, long long bytes, long long ttl_ms, long long length, int node) {
  if (res->nkeys == res->capkeys) {
    res->capkeys = res->capkeys * 2 + 64;
    res->keys = realloc(res->keys, res->capkeys * sizeof(KeyStat));
  }
  KeyStat *k = &res->keys[res->nkeys++];
  memset(k, 0, sizeof *k);
  k->name = malloc(len + 1);
  memcpy(k->name, name, len);
  k->name[len] = '\0';
  k->name_len = len;
  k->type = type;
  snprintf(k->encoding, sizeof k->encoding, "%s", enc);
  k->bytes = bytes;
  k->ttl_ms = ttl_ms;
  k->length = length;
  k->node = node;
  return k;
}

static KeyStat *key_add(AuditResult *res, const char *name, KeyType type, const char *enc,
                        long long bytes, long long ttl_ms, long long length) {
  return key_addn(res, name, strlen(name), type, enc, bytes, ttl_ms, length, 0);
}

static void res_init(AuditResult *res) {
  memset(res, 0, sizeof *res);
  snprintf(res->server_version, sizeof res->server_version, "7.2.4");
}

static void res_free(AuditResult *res) {
  for (size_t i = 0; i < res->nkeys; i++) free(res->keys[i].name);
  free(res->keys);
  for (size_t i = 0; i < res->nnodes; i++) {
    free(res->nodes[i].addr);
    free(res->nodes[i].error);
  }
  free(res->nodes);
  for (size_t i = 0; i < res->nwarnings; i++) free(res->warnings[i]);
  free(res->warnings);
  free(res->error);
}

static void warn_add(AuditResult *res, const char *w) {
  res->warnings = realloc(res->warnings, (res->nwarnings + 1) * sizeof(char *));
  res->warnings[res->nwarnings++] = strdup(w);
}

/* ---- a lint run of the fixture project ------------------------------------ */

static void lint_fixture(LintRun *run) {
  size_t len = 0;
  char *buf = fs_read(RL_SOURCE_DIR "/tests/audit_report/app.py", 1 << 20, &len);
  assert_non_null(buf);
  Options opt;
  options_defaults(&opt);
  /* not under tests/: the lifecycle rules skip test code */
  assert_int_equal(lint_buffer(run, buf, len, "shop/app.py", &opt), 0);
  free(buf);
  assert_int_equal(run->nfiles, 1);
  assert_false(run->files[0].parse_errors);
}

/* A LintRun by hand: one file whose key uses are the given templates, each
 * used by a call `r.<method>(...)` on its own line. */
static void hand_run(LintRun *run, const char *const *tpls, size_t n) {
  memset(run, 0, sizeof *run);
  run->files = calloc(1, sizeof(FileResult));
  run->nfiles = 1;
  FileResult *fr = &run->files[0];
  char *text = calloc(n * 48 + 1, 1);
  for (size_t i = 0; i < n; i++) snprintf(text + strlen(text), 48, "r.set(k%zu, v)\n", i);
  assert_int_equal(source_from_buffer(&fr->src, text, strlen(text), "hand.py", &run->diags), 0);
  fr->loaded = true;
  fr->arena = arena_new();
  fr->keys = arena_alloc(fr->arena, (n ? n : 1) * sizeof(KeyUse));
  const char *p = fr->src.text;
  for (size_t i = 0; i < n; i++) {
    KeyUse *u = &fr->keys[fr->nkeys++];
    u->key = arena_strdup(fr->arena, tpls[i]);
    u->method = "set";
    u->command = "SET";
    u->cmd_flags = CMD_WRITE | CMD_STRING;
    u->ttl = "";
    u->recv = "r";
    u->start = (uint32_t)(p - fr->src.text);
    const char *nl = strchr(p, '\n');
    u->end = (uint32_t)(nl - fr->src.text);
    p = nl + 1;
  }
}

static void hand_run_free(LintRun *run) {
  source_free(&run->files[0].src);
  arena_delete(run->files[0].arena);
  free(run->files);
  diags_free(&run->diags);
}

/* not inlined: GCC's -Wdangling-pointer at -O3 mistakes the open_memstream
   buffer returned here for the local that receives it */
__attribute__((noinline)) static char *report_th(AuditFormat fmt, const AuditResult *res, LintRun *run,
                       const Thresholds *th) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  assert_int_equal(audit_report(f, fmt, res, run, "redis://127.0.0.1:6379/0", th), 0);
  fclose(f);
  return buf;
}

static char *report(AuditFormat fmt, const AuditResult *res, LintRun *run) {
  return report_th(fmt, res, run, NULL);
}

static cJSON *report_json(const AuditResult *res, LintRun *run) {
  char *s = report(AUDIT_JSON, res, run);
  cJSON *doc = cJSON_Parse(s);
  if (!doc) fail_msg("not JSON: %s", s);
  free(s);
  return doc;
}

/* The template (or group) object named name in doc.templates / doc.unmatched. */
static const cJSON *group_of(const cJSON *doc, const char *name) {
  const char *arrays[] = {"templates", "unmatched"}, *fields[] = {"template", "group"};
  for (int a = 0; a < 2; a++) {
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(doc, arrays[a])) {
      const cJSON *n = cJSON_GetObjectItem(it, fields[a]);
      if (n && !strcmp(n->valuestring, name)) return it;
    }
  }
  fail_msg("no group %s", name);
  return NULL;
}

static double num(const cJSON *o, const char *field) {
  const cJSON *v = cJSON_GetObjectItem(o, field);
  if (!cJSON_IsNumber(v)) fail_msg("%s is not a number", field);
  return v->valuedouble;
}

/* ---- matching ---------------------------------------------------------------- */

static void test_tpl_matches(void **state) {
  (void)state;
  assert_true(tpl_matches("user:\x01:name", "user:42:name", 12));
  assert_true(tpl_matches("user:\x01:name", "user:a:b:name", 13)); /* a hole spans ':' */
  assert_false(tpl_matches("user:\x01:name", "user::name", 10));   /* at least one byte */
  assert_false(tpl_matches("user:\x01:name", "user:42:names", 13));
  assert_true(tpl_matches("events", "events", 6));
  assert_false(tpl_matches("events", "events2", 7));
  assert_true(tpl_matches("a\x01" "b\x01" "c", "aXbYbZc", 7));
  assert_false(tpl_matches("a\x01" "b\x01" "c", "abc", 3));
  assert_false(tpl_matches("a\x01" "b\x01" "c", "aXbc", 4));
  assert_true(tpl_matches("a\x01\x01", "abc", 3)); /* two holes: two bytes at least */
  assert_false(tpl_matches("a\x01\x01", "ab", 2));
  assert_true(tpl_matches("\x01:x", "q:x", 3));
  static const char bin[] = "user:\x00\xff:name";
  assert_true(tpl_matches("user:\x01:name", bin, sizeof bin - 1));
}

static void test_most_specific_wins(void **state) {
  (void)state;
  const char *tpls[] = {"user:\x01", "user:\x01:name", "\x01:name", "user:admin:name",
                        "sess:\x01", "k:\x01x", "k\x01:x"};
  TplIndex *ix = tplindex_new(tpls, 7);
  assert_int_equal(tplindex_match(ix, "user:42:name", 12), 1);
  assert_int_equal(tplindex_match(ix, "user:admin:name", 15), 3); /* all literal */
  assert_int_equal(tplindex_match(ix, "user:42", 7), 0);
  assert_int_equal(tplindex_match(ix, "user:42:cart", 12), 0);     /* the looser one */
  assert_int_equal(tplindex_match(ix, "shop:name", 9), 2);        /* starts with a hole */
  assert_int_equal(tplindex_match(ix, "user:", 5), -1);
  assert_int_equal(tplindex_match(ix, "other", 5), -1);
  /* equal literal bytes and holes: the smaller text ("k\x01:x" < "k:\x01x") */
  assert_int_equal(tplindex_match(ix, "k:a:x", 5), 6);
  static const char bin[] = "user:\x00\xff:name";
  assert_int_equal(tplindex_match(ix, bin, sizeof bin - 1), 1);
  tplindex_free(ix);
}

/* 300 templates, 100,000 keys: the prefix index keeps it fast (seconds
 * would mean it tries every template per key). */
static void test_match_many(void **state) {
  (void)state;
  enum { T = 300, K = 100000 };
  char **tpls = calloc(T, sizeof(char *));
  for (size_t t = 0; t < T; t++) {
    tpls[t] = malloc(48);
    snprintf(tpls[t], 48, "app:%s%zu:\x01:f%zu", t % 2 ? "obj" : "item", t / 10, t % 10);
  }
  TplIndex *ix = tplindex_new((const char *const *)tpls, T);
  clock_t c0 = clock();
  size_t hits = 0;
  for (size_t k = 0; k < K; k++) {
    size_t t = k % T;
    char key[64];
    int n = snprintf(key, sizeof key, "app:%s%zu:%zu:f%zu", t % 2 ? "obj" : "item", t / 10, k, t % 10);
    long m = tplindex_match(ix, key, (size_t)n);
    assert_int_equal(m, (long)t);
    hits++;
  }
  double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
  print_message("matched %zu keys against %d templates in %.3f s\n", hits, T, secs);
  tplindex_free(ix);
  for (size_t t = 0; t < T; t++) free(tpls[t]);
  free(tpls);
}

static void check_group(const char *key, const char *want) {
  char out[256];
  size_t n = audit_prefix_group(key, strlen(key), out, sizeof out);
  assert_int_equal(n, strlen(want));
  assert_string_equal(out, want);
}

static void test_prefix_groups(void **state) {
  (void)state;
  check_group("sess:8f3a09c1e2d4aa01", "sess:{}");
  check_group("user:42:cart", "user:{}:*");
  check_group("counter12", "counter{}");
  check_group("job:123e4567-e89b-12d3-a456-426614174000", "job:{}");
  check_group("job:123e4567-e89b-12d3-a456-426614174000:state", "job:{}:*");
  check_group("v2:items", "v{}:items");
  check_group("plain", "plain");
  check_group("a:b:c:d", "a:b:*");
  check_group("deadbeefdeadbeef:x", "{}:x");
  check_group("tmp:migration-flag", "tmp:migration-flag");
  check_group("img:thumb_640x480", "img:thumb_{}x{}");
}

static void test_safe_name(void **state) {
  (void)state;
  char *s = audit_safe_name("\x1b[31mred", 8, 100);
  assert_string_equal(s, "\\x1b[31mred");
  free(s);
  s = audit_safe_name("caf\xc3\xa9:\xff\x00:a\\b", 12, 100);
  assert_string_equal(s, "caf\xc3\xa9:\\xff\\x00:a\\\\b");
  free(s);
  s = audit_safe_name("abcdefghij", 10, 4);
  assert_string_equal(s, "abcd...");
  free(s);
  s = audit_safe_name("\xc2\x85x", 3, 100); /* U+0085, a C1 control */
  assert_string_equal(s, "\\xc2\\x85x");
  free(s);
}

/* ---- statistics ---------------------------------------------------------- */

static void test_stats(void **state) {
  (void)state;
  const char *tpls[] = {"views:\x01", "user:\x01:name"};
  LintRun run;
  hand_run(&run, tpls, 2);
  AuditResult res;
  res_init(&res);
  node_add(&res, "127.0.0.1:6379", 108, 108);
  for (int i = 1; i <= 100; i++) {
    char name[32];
    snprintf(name, sizeof name, "views:%d", i);
    key_add(&res, name, KT_HASH, i <= 93 ? "listpack" : "hashtable", i, i <= 25 ? 60000 : -1, 10);
  }
  /* MEMORY refused: counted as keys, not in the bytes */
  key_add(&res, "views:x1", KT_HASH, "listpack", -1, -1, 10);
  key_add(&res, "views:x2", KT_HASH, "listpack", -1, -1, 10);
  static const char bin[] = "user:\x00\xff\x1b:name";
  key_addn(&res, bin, sizeof bin - 1, KT_STRING, "embstr", 80, -1, 5, 0);
  key_add(&res, "user:7:name", KT_STRING, "embstr", 72, -1, 5);
  key_add(&res, "gone:1", KT_GONE, "", -1, -2, -1);
  key_add(&res, "legacy:1", KT_STRING, "embstr", 60, -1, 3);
  key_add(&res, "legacy:22", KT_STRING, "embstr", 61, -1, 3);
  key_add(&res, "legacy:x", KT_STRING, "embstr", 62, -1, 3);

  cJSON *doc = report_json(&res, &run);
  const cJSON *v = group_of(doc, "views:{}");
  assert_int_equal((int)num(v, "keys"), 102);
  assert_int_equal((int)num(v, "bytes"), 5050);
  assert_int_equal((int)num(v, "keys_without_bytes"), 2);
  assert_int_equal((int)num(v, "p50"), 50);
  assert_int_equal((int)num(v, "p99"), 99);
  assert_int_equal((int)num(v, "max"), 100);
  assert_int_equal((int)(num(v, "ttl_share") * 100 + 0.5), 25);
  const cJSON *encs = cJSON_GetObjectItem(v, "encodings");
  assert_int_equal(cJSON_GetArraySize(encs), 2);
  assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(encs, 0), "encoding")->valuestring, "listpack");
  assert_int_equal((int)num(cJSON_GetArrayItem(encs, 0), "keys"), 95);
  const cJSON *big = cJSON_GetObjectItem(v, "biggest");
  assert_int_equal(cJSON_GetArraySize(big), 3);
  assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(big, 0), "name")->valuestring, "views:100");
  assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(big, 2), "name")->valuestring, "views:98");
  /* the binary name matched the template, and is shown escaped */
  const cJSON *u = group_of(doc, "user:{}:name");
  assert_int_equal((int)num(u, "keys"), 2);
  assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(u, "biggest"), 0), "name")->valuestring,
                      "user:\\x00\\xff\\x1b:name");
  /* unmatched keys by prefix, gone keys left out */
  const cJSON *l = group_of(doc, "legacy:{}");
  assert_int_equal((int)num(l, "keys"), 2);
  assert_int_equal((int)num(group_of(doc, "legacy:x"), "keys"), 1);
  const cJSON *tot = cJSON_GetObjectItem(doc, "totals");
  assert_int_equal((int)num(tot, "keys"), 107);
  assert_int_equal((int)num(tot, "keys_gone"), 1);
  cJSON_Delete(doc);

  char *text = report(AUDIT_TEXT, &res, &run);
  assert_non_null(strstr(text, "hash: 93% listpack, 7% hashtable"));
  assert_non_null(strstr(text, "2 of 102 keys without MEMORY USAGE"));
  assert_non_null(strstr(text, "every key read (not sampled)"));
  assert_non_null(strstr(text, "Written by code outside these paths"));
  assert_null(strstr(text, "\x1b")); /* no terminal escape from a key name */
  /* memory order: views (5,050 B) before user (152 B) before the legacy group */
  char *pv = strstr(text, "\nviews:{}"), *pu = strstr(text, "\nuser:{}:name"), *pl = strstr(text, "\nlegacy:{}");
  assert_true(pv && pu && pl && pv < pu && pu < pl);
  free(text);
  res_free(&res);
  hand_run_free(&run);
}

/* Encodings: 93/7 by key count, but an encoding with less than 1% is "<1%". */
static void test_encoding_shares(void **state) {
  (void)state;
  AuditGroup g;
  memset(&g, 0, sizeof g);
  AuditEnc encs[3] = {{KT_HASH, "listpack", 999, 0, 0}, {KT_HASH, "hashtable", 1, 0, 0},
                      {KT_STRING, "embstr", 4, 0, 0}};
  g.encs = encs;
  g.nencs = 3;
  g.type_keys[KT_HASH] = 1000;
  g.type_keys[KT_STRING] = 4;
  char buf[256];
  audit_encodings(&g, buf, sizeof buf);
  assert_string_equal(buf, "hash: >99% listpack, <1% hashtable; string: 100% embstr");
  char small[16];
  audit_encodings(&g, small, sizeof small); /* cut, still terminated */
  assert_true(strlen(small) < sizeof small);
}

static void test_sampled_scaling(void **state) {
  (void)state;
  const char *tpls[] = {"item:\x01"};
  LintRun run;
  hand_run(&run, tpls, 1);
  AuditResult res;
  res_init(&res);
  res.cluster = true;
  res.sampled = true;
  node_add(&res, "127.0.0.1:7001", 1000, 100);
  node_add(&res, "127.0.0.1:7002", 400, 100);
  for (int i = 0; i < 100; i++) {
    char name[32];
    snprintf(name, sizeof name, "item:%d", i);
    key_addn(&res, name, strlen(name), KT_STRING, "embstr", 10, -1, 3, i < 50 ? 0 : 1);
  }
  cJSON *doc = report_json(&res, &run);
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "sampled")));
  const cJSON *g = group_of(doc, "item:{}");
  assert_int_equal((int)num(g, "keys"), 100);
  assert_int_equal((int)num(g, "keys_estimate"), 50 * 10 + 50 * 4);
  assert_int_equal((int)num(g, "bytes_estimate"), 7000);
  const cJSON *nodes = cJSON_GetObjectItem(g, "nodes");
  assert_int_equal(cJSON_GetArraySize(nodes), 2);
  assert_int_equal((int)num(cJSON_GetArrayItem(nodes, 1), "keys"), 50);
  assert_int_equal((int)num(cJSON_GetArrayItem(nodes, 1), "bytes"), 500);
  cJSON_Delete(doc);
  char *text = report(AUDIT_TEXT, &res, &run);
  assert_non_null(strstr(text, "\xe2\x89\x88" "700"));
  assert_non_null(strstr(text, "sampled: 100 keys read of 1,400"));
  assert_non_null(strstr(text, "nodes: 127.0.0.1:7001 50 (500 B), 127.0.0.1:7002 50 (500 B)"));
  free(text);
  res_free(&res);
  hand_run_free(&run);
}

/* ---- evidence --------------------------------------------------------------- */

/* The keys the evidence test reads: one template per rule of the fixture. */
static void fixture_keys(AuditResult *res) {
  node_add(res, "127.0.0.1:6379", 0, 0);
  /* RL101: one entity, worked by hand in test_evidence */
  key_add(res, "user:1:name", KT_STRING, "embstr", 72, -1, 5);
  key_add(res, "user:1:age", KT_STRING, "int", 56, -1, 2);
  key_add(res, "user:1:email", KT_STRING, "embstr", 80, -1, 13);
  /* RL102: two of three hashes converted by a long value */
  key_add(res, "site:1:settings", KT_HASH, "hashtable", 400, -1, 2);
  key_add(res, "site:2:settings", KT_HASH, "listpack", 120, -1, 1);
  key_add(res, "site:3:settings", KT_HASH, "hashtable", 410, -1, 2);
  /* RL103 */
  key_add(res, "users:by_email", KT_HASH, "hashtable", 41136, -1, 513);
  /* RL105 */
  key_add(res, "brand:1:followers", KT_SET, "hashtable", 2800, -1, 50);
  key_add(res, "brand:2:followers", KT_SET, "hashtable", 2800, -1, 50);
  /* RL104 and RL201 */
  key_add(res, "orders:recent:1", KT_STRING, "raw", 1050, -1, 1000);
  key_add(res, "orders:recent:2", KT_STRING, "raw", 2050, -1, 2000);
  key_add(res, "orders:recent:3", KT_STRING, "raw", 3050, -1, 3000);
  key_add(res, "orders:recent:4", KT_STRING, "raw", 10050, 300000, 10000);
  /* RL203, RL204 */
  key_add(res, "events", KT_LIST, "quicklist", 200000, -1, 5000);
  key_add(res, "stream:events", KT_STREAM, "stream", 100000, -1, 2000);
  key_add(res, "views:1", KT_HASH, "listpack", 136, -1, 10);
  for (int i = 0; i < 10; i++) {
    char name[32];
    snprintf(name, sizeof name, "session:%08x", i * 7919);
    key_add(res, name, KT_STRING, "raw", 136, 3600000, 48);
  }
  /* written elsewhere, and a hostile name */
  key_add(res, "legacy:1", KT_STRING, "embstr", 60, -1, 3);
  key_add(res, "<script>alert(1)</script>", KT_STRING, "embstr", 64, -1, 3);
  key_add(res, "sess:\"><img src=x onerror=alert(1)>", KT_STRING, "embstr", 66, -1, 3);
  res->nodes[0].dbsize = (long long)res->nkeys;
  res->nodes[0].scanned = res->nkeys;
}

/* The message of the finding of `code` on line `line` of the fixture. */
static const char *message_of(const LintRun *run, const char *code, unsigned line) {
  const FileResult *fr = &run->files[0];
  for (size_t i = 0; i < fr->nfindings; i++)
    if (!strcmp(fr->findings[i].rule->code, code) &&
        source_position(&fr->src, fr->findings[i].start).line == line)
      return fr->findings[i].message;
  fail_msg("no %s finding on line %u", code, line);
  return NULL;
}

static void expect_in(const char *msg, const char *part) {
  if (!strstr(msg, part)) fail_msg("expected\n  %s\nin\n  %s", part, msg);
}

static void test_evidence(void **state) {
  (void)state;
  LintRun run;
  lint_fixture(&run);
  AuditResult res;
  res_init(&res);
  fixture_keys(&res);
  char *text = report(AUDIT_TEXT, &res, &run);

  /* RL101 by hand: names of 10 to 12 bytes take 1 + n + 1 bytes, allocated
   * 16; the cheapest key beyond name and value: min(72-16-5, 56-16-0,
   * 80-16-13) = 40 (user:1:age, an int). Listpack = 6 + 1 + name 6 +
   * "alice" 7 + age 5 + int (2 digits) 2 + email 7 + 13 bytes 15 = 49,
   * allocated 64; the hash 40 + "user:1" (1 + 6 + 1: 8) + 64 = 112 */
  const char *m = message_of(&run, "RL101", 12);
  expect_in(m, " [measured: 3 string keys of `user:{}:...` for 1 entities (3.0 fields each) take 208 B");
  expect_in(m, "as one listpack hash per entity 112 B");
  expect_in(m, "plus the 40 B the cheapest key here costs");
  expect_in(m, ": 96 B less (46%)]");
  expect_in(message_of(&run, "RL102", 18),
            "[measured: 2 of 3 hashes of `site:{}:settings` are hashtable-encoded (810 B of 930 B); "
            "HLEN p99 2, max 2 (the hashtable ones have at most 512 fields: a value over 64 bytes "
            "converted them)]");
  expect_in(message_of(&run, "RL103", 27),
            "[measured: hash `users:by_email` is hashtable-encoded (40.2 KiB); HLEN 513]");
  /* intset of 50 8-byte members: 8 + 400 bytes, allocated 448; two of them */
  expect_in(message_of(&run, "RL105", 31),
            "[measured: of 2 sets of `brand:{}:followers`, 2 are hashtable (5.5 KiB), 0 listpack "
            "(0 B), 0 intset; with integer members the 2 of them with at most 512 members would be "
            "intsets holding 896 B of members (8-byte integers), against 5.5 KiB they take now]");
  expect_in(message_of(&run, "RL104", 36),
            "[measured: 4 strings of `orders:recent:{}`: STRLEN p50 2.0 KiB, max 9.8 KiB; 15.8 KiB in all]");
  expect_in(message_of(&run, "RL201", 36),
            "[measured: 3 of 4 keys of `orders:recent:{}` never expire (PTTL -1), holding 6.0 KiB; 1 have a TTL]");
  expect_in(message_of(&run, "RL201", 43), "[measured: not seen in the data: no key matches `cache:page:{}`]");
  expect_in(message_of(&run, "RL203", 48), "[measured: list `events`: LLEN 5,000; 195.3 KiB]");
  expect_in(message_of(&run, "RL204", 52),
            "[measured: stream `stream:events`: XLEN 2,000; 97.7 KiB]");
  /* the text report lists the findings after the tables, and what was not seen */
  expect_in(text, "Findings against the data:\nshop/app.py:12:5: RL101 per-field-keys: ");
  expect_in(text, "Templates of the code not seen in the data: cache:page:{}, coupon:{}");
  assert_null(strstr(text, "RL302")); /* not a memory rule */
  free(text);

  /* a second report replaces the evidence rather than appending to it */
  res.keys[0].bytes = 74;
  text = report(AUDIT_TEXT, &res, &run);
  m = message_of(&run, "RL101", 12);
  expect_in(m, "take 210 B");
  assert_null(strstr(strstr(m, "[measured: ") + 1, "[measured: "));
  free(text);

  /* the server's own limits (--redis-conf): with hash-max-listpack-entries 2
   * the 3-field entity stays as it is, and the estimate says why */
  Options o;
  options_defaults(&o);
  o.th.hash_max_listpack_entries = 2;
  text = report_th(AUDIT_TEXT, &res, &run, &o.th);
  m = message_of(&run, "RL101", 12);
  expect_in(m, "1 entities would pass the listpack limits (2 fields, 64-byte values)");
  free(text);
  res_free(&res);
  lint_run_free(&run);
}

/* A finding whose template holds keys of another type says so. */
static void test_evidence_wrong_type(void **state) {
  (void)state;
  LintRun run;
  lint_fixture(&run);
  AuditResult res;
  res_init(&res);
  node_add(&res, "127.0.0.1:6379", 1, 1);
  key_add(&res, "events", KT_STRING, "embstr", 60, -1, 3);
  char *text = report(AUDIT_TEXT, &res, &run);
  expect_in(message_of(&run, "RL203", 48), "[measured: the 1 keys of `events` are string, not list or sorted set]");
  expect_in(message_of(&run, "RL204", 52), "[measured: not seen in the data: no key matches `stream:events`]");
  free(text);
  res_free(&res);
  lint_run_free(&run);
}

static void test_listpack_sizes(void **state) {
  (void)state;
  assert_int_equal(audit_listpack_entry_str("name", 4), 6);    /* 1 + 4 + backlen 1 */
  assert_int_equal(audit_listpack_entry_str("127", 3), 2);     /* 7-bit uint */
  assert_int_equal(audit_listpack_entry_str("128", 3), 3);     /* 13-bit int */
  assert_int_equal(audit_listpack_entry_str("-1", 2), 3);
  assert_int_equal(audit_listpack_entry_str("40000", 5), 5);   /* 24-bit int */
  assert_int_equal(audit_listpack_entry_str("007", 3), 5);     /* not canonical: a string */
  assert_int_equal(audit_listpack_entry_str("-0", 2), 4);
  char big[200];
  memset(big, 'x', sizeof big);
  assert_int_equal(audit_listpack_entry_str(big, 63), 65);
  assert_int_equal(audit_listpack_entry_str(big, 64), 67);     /* 12-bit string header */
  assert_int_equal(audit_listpack_entry_str(big, 200), 204);   /* 202 bytes: 2-byte backlen */
  assert_int_equal(audit_alloc_class(1), 8);
  assert_int_equal(audit_alloc_class(9), 16);
  assert_int_equal(audit_alloc_class(49), 64);
  assert_int_equal(audit_alloc_class(128), 128);
  assert_int_equal(audit_alloc_class(129), 160);
  assert_int_equal(audit_alloc_class(257), 320);
  assert_int_equal(audit_alloc_class(408), 448);
  assert_int_equal(audit_alloc_class(1025), 1280);
  assert_int_equal(audit_alloc_class(4097), 5120);
}

/* ---- outputs --------------------------------------------------------------- */

static void test_json_shape(void **state) {
  (void)state;
  LintRun run;
  lint_fixture(&run);
  AuditResult res;
  res_init(&res);
  fixture_keys(&res);
  warn_add(&res, "ACL: MEMORY refused for user 'audit'");
  res.nodes[0].error = strdup("connection lost after 20 keys");
  cJSON *doc = report_json(&res, &run);
  assert_int_equal((int)num(doc, "version"), 1);
  assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "tool"), "name")->valuestring, "redislint");
  const cJSON *server = cJSON_GetObjectItem(doc, "server");
  assert_string_equal(cJSON_GetObjectItem(server, "url")->valuestring, "redis://127.0.0.1:6379/0");
  assert_string_equal(cJSON_GetObjectItem(server, "version")->valuestring, "7.2.4");
  assert_true(cJSON_IsFalse(cJSON_GetObjectItem(server, "cluster")));
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(server, "nodes")), 1);
  assert_true(cJSON_IsFalse(cJSON_GetObjectItem(doc, "sampled")));
  assert_true(cJSON_IsObject(cJSON_GetObjectItem(doc, "totals")));
  /* templates by memory, then those not seen */
  const cJSON *tpls = cJSON_GetObjectItem(doc, "templates");
  assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(tpls, 0), "template")->valuestring, "events");
  const cJSON *last = cJSON_GetArrayItem(tpls, cJSON_GetArraySize(tpls) - 1);
  assert_string_equal(cJSON_GetObjectItem(last, "template")->valuestring, "coupon:{}");
  assert_int_equal((int)num(last, "keys"), 0);
  assert_true(cJSON_IsNull(cJSON_GetObjectItem(last, "p50")));
  const cJSON *orders = group_of(doc, "orders:recent:{}");
  const cJSON *use = cJSON_GetArrayItem(cJSON_GetObjectItem(orders, "uses"), 0);
  assert_string_equal(cJSON_GetObjectItem(use, "path")->valuestring, "shop/app.py");
  assert_int_equal((int)num(use, "line"), 36);
  assert_string_equal(cJSON_GetObjectItem(use, "command")->valuestring, "SET");
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(use, "write")));
  assert_non_null(group_of(doc, "<script>alert({})</script>")); /* digits as {} */
  /* findings: the memory rules only, with their evidence */
  const cJSON *fs = cJSON_GetObjectItem(doc, "findings");
  assert_int_equal(cJSON_GetArraySize(fs), 9); /* RL302 of the fixture left out */
  const cJSON *f;
  bool saw_unseen = false;
  cJSON_ArrayForEach(f, fs) {
    assert_non_null(cJSON_GetObjectItem(f, "code"));
    assert_true(cJSON_IsString(cJSON_GetObjectItem(f, "evidence")));
    assert_true(strncmp(cJSON_GetObjectItem(f, "evidence")->valuestring, "measured", 8) != 0);
    if (cJSON_IsFalse(cJSON_GetObjectItem(f, "seen"))) {
      saw_unseen = true;
      assert_string_equal(cJSON_GetObjectItem(f, "template")->valuestring, "cache:page:{}");
      assert_string_equal(cJSON_GetObjectItem(f, "evidence")->valuestring,
                          "not seen in the data: no key matches `cache:page:{}`");
    }
  }
  assert_true(saw_unseen);
  const cJSON *w = cJSON_GetObjectItem(doc, "warnings");
  assert_int_equal(cJSON_GetArraySize(w), 2);
  assert_string_equal(cJSON_GetArrayItem(w, 0)->valuestring, "127.0.0.1:6379: connection lost after 20 keys");
  assert_true(cJSON_IsNull(cJSON_GetObjectItem(doc, "error")));
  cJSON_Delete(doc);
  res_free(&res);
  lint_run_free(&run);
}

static size_t count(const char *hay, const char *needle) {
  size_t n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
  return n;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

static void test_html(void **state) {
  (void)state;
  LintRun run;
  lint_fixture(&run);
  AuditResult res;
  res_init(&res);
  fixture_keys(&res);
  warn_add(&res, "key <b>bold</b> changed type between SCAN and TYPE");
  char *html = report(AUDIT_HTML, &res, &run);
  /* hostile names are text, never markup */
  assert_null(strstr(html, "<script"));
  assert_null(strstr(html, "<img"));
  assert_null(strstr(html, "<b>bold"));
  assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert_non_null(strstr(html, "sess:&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
  /* self-contained: no resource from anywhere */
  assert_null(strstr(html, "src=\""));
  assert_null(strstr(html, "href="));
  assert_null(strstr(html, "url("));
  assert_null(strstr(html, "@import"));
  assert_non_null(strstr(html, "Content-Security-Policy"));
  assert_int_equal(count(html, "http://") + count(html, "https://"), 1); /* the SVG namespace */
  /* the chart: one bar per group and encoding with bytes */
  cJSON *doc = report_json(&res, &run);
  size_t bars = 0;
  const char *arrays[] = {"templates", "unmatched"};
  for (int a = 0; a < 2; a++) {
    const cJSON *g, *e;
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(doc, arrays[a]))
      cJSON_ArrayForEach(e, cJSON_GetObjectItem(g, "encodings")) bars += num(e, "bytes_estimate") > 0;
  }
  cJSON_Delete(doc);
  assert_true(bars >= 12);
  assert_int_equal(count(html, "<svg id=\"chart\""), 1);
  assert_int_equal(count(html, "<rect class=\"bar\""), bars);
  /* for the headless Chromium test: the page and how many bars it must show */
  write_file(RL_BINARY_DIR "/test_audit_report.html", html);
  char n[32];
  snprintf(n, sizeof n, "%zu\n", bars);
  write_file(RL_BINARY_DIR "/test_audit_report.html.bars", n);
  free(html);
  res_free(&res);
  lint_run_free(&run);
}

static void test_sarif(void **state) {
  (void)state;
  LintRun run;
  lint_fixture(&run);
  AuditResult res;
  res_init(&res);
  fixture_keys(&res);
  char *sarif = report(AUDIT_SARIF, &res, &run);
  cJSON *doc = cJSON_Parse(sarif);
  assert_non_null(doc);
  const cJSON *results = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 0), "results");
  assert_int_equal(cJSON_GetArraySize(results), 9); /* RL302 left out */
  const cJSON *r;
  cJSON_ArrayForEach(r, results) {
    const char *text = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "message"), "text")->valuestring;
    assert_non_null(strstr(text, " [measured: "));
    assert_string_not_equal(cJSON_GetObjectItem(r, "ruleId")->valuestring, "RL302");
  }
  cJSON_Delete(doc);
  /* the lint run itself still has every finding */
  assert_int_equal(run.files[0].nfindings, 10);
  write_file(RL_BINARY_DIR "/test_audit_report.sarif", sarif);
  free(sarif);
  res_free(&res);
  lint_run_free(&run);
}

/* Reports do not depend on the order SCAN returned the keys in. */
static void test_deterministic(void **state) {
  (void)state;
  LintRun run;
  lint_fixture(&run);
  AuditResult res;
  res_init(&res);
  fixture_keys(&res);
  /* ties in size among the biggest keys and in memory among groups */
  key_add(&res, "legacy:2", KT_STRING, "embstr", 60, -1, 3);
  key_add(&res, "other:1", KT_STRING, "embstr", 60, -1, 3);
  char *before[4];
  for (int f = 0; f < 4; f++) before[f] = report((AuditFormat)f, &res, &run);
  for (size_t i = res.nkeys - 1; i > 0; i--) { /* a fixed shuffle */
    size_t j = (i * 7919 + 13) % (i + 1);
    KeyStat t = res.keys[i];
    res.keys[i] = res.keys[j];
    res.keys[j] = t;
  }
  for (int f = 0; f < 4; f++) {
    char *after = report((AuditFormat)f, &res, &run);
    assert_string_equal(before[f], after);
    free(after);
    free(before[f]);
  }
  res_free(&res);
  lint_run_free(&run);
}

/* Nothing read at all: the report still says where and why. */
static void test_empty_and_error(void **state) {
  (void)state;
  AuditResult res;
  res_init(&res);
  res.error = strdup("NOAUTH Authentication required.");
  LintRun run;
  memset(&run, 0, sizeof run);
  for (int f = 0; f < 4; f++) {
    char *out = report((AuditFormat)f, &res, &run);
    assert_true(strlen(out) > 0);
    if (f == AUDIT_TEXT) assert_non_null(strstr(out, "error: NOAUTH Authentication required."));
    free(out);
  }
  res_free(&res);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tpl_matches),      cmocka_unit_test(test_most_specific_wins),
      cmocka_unit_test(test_match_many),       cmocka_unit_test(test_prefix_groups),
      cmocka_unit_test(test_safe_name),        cmocka_unit_test(test_stats),
      cmocka_unit_test(test_encoding_shares),  cmocka_unit_test(test_sampled_scaling),
      cmocka_unit_test(test_evidence),         cmocka_unit_test(test_evidence_wrong_type),
      cmocka_unit_test(test_listpack_sizes),   cmocka_unit_test(test_json_shape),
      cmocka_unit_test(test_html),             cmocka_unit_test(test_sarif),
      cmocka_unit_test(test_deterministic),    cmocka_unit_test(test_empty_and_error),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
