/* test_redisconf.c - redis.conf thresholds (--redis-conf). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "redisconf.h"

static void test_sizes(void **state) {
  (void)state;
  assert_true(redisconf_size("512mb") == 512LL * 1024 * 1024);
  assert_true(redisconf_size("1GB") == 1024LL * 1024 * 1024);
  assert_true(redisconf_size("64k") == 64000);
  assert_true(redisconf_size("64kb") == 65536);
  assert_true(redisconf_size("1000") == 1000);
  assert_true(redisconf_size("12xb") == -1);
  assert_true(redisconf_size("") == -1);
  assert_true(redisconf_size("-5") == -1);
}

static const char *write_tmp(const char *text) {
  static char path[4096];
  const char *dir = getenv("TMPDIR");
  snprintf(path, sizeof path, "%s/rl_conf_XXXXXX", dir && *dir ? dir : "/tmp"); /* TMPDIR, else POSIX's default */
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  return path;
}

static void test_load(void **state) {
  (void)state;
  Thresholds th = {512, 64, 512, 1024, 3, 128, 64, 128, 64, -2, 512LL << 20};
  Diags d = {0};
  const char *p = write_tmp("# a comment\n  hash-max-ziplist-entries 1024\nhash-max-listpack-value \"128\"\n"
                            "ZSET-MAX-LISTPACK-ENTRIES 256\nlist-max-listpack-size -3\n"
                            "proto-max-bulk-len 1gb\nmaxmemory 2gb\ninclude /etc/other.conf\n");
  assert_int_equal(redisconf_load(p, &th, &d), 0);
  assert_int_equal(d.len, 0);
  assert_int_equal(th.hash_max_listpack_entries, 1024); /* the pre-7 name */
  assert_int_equal(th.hash_max_listpack_value, 128);
  assert_int_equal(th.zset_max_listpack_entries, 256);
  assert_int_equal(th.list_max_listpack_size, -3);
  assert_true(th.proto_max_bulk_len == 1024LL * 1024 * 1024);
  assert_int_equal(th.set_max_intset_entries, 512); /* untouched */
  unlink(p);
}

static void test_bad(void **state) {
  (void)state;
  Thresholds th = {0};
  Diags d = {0};
  const char *p = write_tmp("hash-max-listpack-entries lots\nproto-max-bulk-len 5parsecs\n"
                            "set-max-intset-entries -1\n");
  assert_int_equal(redisconf_load(p, &th, &d), -1);
  assert_int_equal(d.len, 3);
  assert_int_equal(d.items[0].line, 1);
  assert_non_null(strstr(d.items[0].message, "hash-max-listpack-entries: 'lots'"));
  assert_non_null(strstr(d.items[1].message, "size"));
  diags_free(&d);
  unlink(p);
  assert_int_equal(redisconf_load("/nonexistent/redis.conf", &th, &d), -1);
  assert_non_null(strstr(d.items[0].message, "cannot read"));
  diags_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sizes),
      cmocka_unit_test(test_load),
      cmocka_unit_test(test_bad),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
