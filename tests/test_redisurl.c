/* test_redisurl.c - the --url of `redislint audit` (src/redisurl.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "audit.h"

static int setup(void **state) {
  (void)state;
  unsetenv("REDISLINT_REDIS_PASSWORD"); /* the developer's own must not leak in */
  return 0;
}

static void parse_ok(const char *url, RedisUrl *u) {
  char err[256] = "";
  int rc = redis_url_parse(url, u, err, sizeof err);
  if (rc) fail_msg("%s: %s", url, err);
}

/* The one-line reason of a bad URL. */
static const char *parse_err(const char *url) {
  static char err[256];
  RedisUrl u;
  err[0] = '\0';
  assert_int_equal(redis_url_parse(url, &u, err, sizeof err), -1);
  assert_true(err[0] != '\0');
  assert_null(strchr(err, '\n'));
  assert_null(u.host); /* nothing left to free */
  assert_null(u.password);
  return err;
}

static void test_defaults(void **state) {
  (void)state;
  RedisUrl u;
  parse_ok("redis://cache.internal", &u);
  assert_false(u.tls);
  assert_string_equal(u.host, "cache.internal");
  assert_int_equal(u.port, 6379);
  assert_int_equal(u.db, 0);
  assert_null(u.user);
  assert_null(u.password);
  assert_null(u.socket);
  redis_url_free(&u);
  parse_ok("redis://", &u); /* the local server, as redis-cli */
  assert_string_equal(u.host, "127.0.0.1");
  assert_int_equal(u.port, 6379);
  redis_url_free(&u);
  parse_ok("REDIS://h:7000/", &u); /* scheme case-insensitive; "/" is db 0 */
  assert_string_equal(u.host, "h");
  assert_int_equal(u.port, 7000);
  assert_int_equal(u.db, 0);
  redis_url_free(&u);
}

static void test_forms(void **state) {
  (void)state;
  RedisUrl u;
  parse_ok("redis://alice:s3cret@10.0.0.5:6380/3", &u);
  assert_string_equal(u.user, "alice");
  assert_string_equal(u.password, "s3cret");
  assert_string_equal(u.host, "10.0.0.5");
  assert_int_equal(u.port, 6380);
  assert_int_equal(u.db, 3);
  redis_url_free(&u);

  parse_ok("redis://:onlypass@h", &u); /* AUTH password, no user */
  assert_null(u.user);
  assert_string_equal(u.password, "onlypass");
  redis_url_free(&u);

  parse_ok("redis://bob@h", &u); /* a user without a password */
  assert_string_equal(u.user, "bob");
  assert_null(u.password);
  redis_url_free(&u);

  parse_ok("redis://bob:@h", &u); /* empty password: none, as redis-py */
  assert_string_equal(u.user, "bob");
  assert_null(u.password);
  redis_url_free(&u);

  parse_ok("redis://h?db=5", &u);
  assert_int_equal(u.db, 5);
  redis_url_free(&u);
  parse_ok("redis://h/5?db=5", &u); /* the same database twice is fine */
  assert_int_equal(u.db, 5);
  redis_url_free(&u);

  parse_ok("redis://[::1]:7001/2", &u);
  assert_string_equal(u.host, "::1");
  assert_int_equal(u.port, 7001);
  assert_int_equal(u.db, 2);
  redis_url_free(&u);

  parse_ok("rediss://u:p@secure.example:6390", &u);
  assert_true(u.tls);
  assert_string_equal(u.host, "secure.example");
  assert_int_equal(u.port, 6390);
  redis_url_free(&u);

  parse_ok("unix:///run/redis/redis.sock", &u);
  assert_null(u.host);
  assert_string_equal(u.socket, "/run/redis/redis.sock");
  assert_int_equal(u.db, 0);
  redis_url_free(&u);

  parse_ok("unix://auditor:pw@/tmp/my%20redis.sock?db=4", &u);
  assert_string_equal(u.user, "auditor");
  assert_string_equal(u.password, "pw");
  assert_string_equal(u.socket, "/tmp/my redis.sock");
  assert_int_equal(u.db, 4);
  redis_url_free(&u);
}

static void test_percent_decoding(void **state) {
  (void)state;
  RedisUrl u;
  parse_ok("redis://us%65r%3Aname:p%40ss%2Fw%3Ard%25@h:1", &u);
  assert_string_equal(u.user, "user:name");
  assert_string_equal(u.password, "p@ss/w:rd%");
  redis_url_free(&u);
  /* An unescaped '@' in the password: the last '@' ends the userinfo. */
  parse_ok("redis://:a@b@h", &u);
  assert_string_equal(u.password, "a@b");
  assert_string_equal(u.host, "h");
  redis_url_free(&u);
  assert_non_null(strstr(parse_err("redis://:bad%zzescape@h"), "percent-escape"));
  assert_non_null(strstr(parse_err("redis://:trunc%4@h"), "percent-escape"));
  assert_non_null(strstr(parse_err("redis://u%00:p@h"), "percent-escape")); /* NUL */
}

static void test_env_password(void **state) {
  (void)state;
  RedisUrl u;
  setenv("REDISLINT_REDIS_PASSWORD", "from-env", 1);
  parse_ok("redis://h", &u);
  assert_string_equal(u.password, "from-env");
  redis_url_free(&u);
  parse_ok("redis://auditor@h", &u); /* with an ACL user */
  assert_string_equal(u.user, "auditor");
  assert_string_equal(u.password, "from-env");
  redis_url_free(&u);
  parse_ok("redis://:from-url@h", &u); /* the URL's own wins */
  assert_string_equal(u.password, "from-url");
  redis_url_free(&u);
  setenv("REDISLINT_REDIS_PASSWORD", "", 1); /* empty: none */
  parse_ok("redis://h", &u);
  assert_null(u.password);
  redis_url_free(&u);
  unsetenv("REDISLINT_REDIS_PASSWORD");
}

static void test_display_masks(void **state) {
  (void)state;
  RedisUrl u;
  char buf[256];
  parse_ok("redis://alice:TOPSECRET@h:6380/3", &u);
  assert_string_equal(redis_url_display(&u, buf, sizeof buf), "redis://alice:***@h:6380/3");
  redis_url_free(&u);
  parse_ok("redis://:TOPSECRET@h", &u);
  assert_string_equal(redis_url_display(&u, buf, sizeof buf), "redis://:***@h:6379/0");
  redis_url_free(&u);
  parse_ok("redis://h", &u);
  assert_string_equal(redis_url_display(&u, buf, sizeof buf), "redis://h:6379/0");
  redis_url_free(&u);
  setenv("REDISLINT_REDIS_PASSWORD", "TOPSECRET", 1);
  parse_ok("rediss://[::1]:7000", &u);
  assert_string_equal(redis_url_display(&u, buf, sizeof buf), "rediss://:***@[::1]:7000/0");
  redis_url_free(&u);
  unsetenv("REDISLINT_REDIS_PASSWORD");
  parse_ok("unix://u:TOPSECRET@/tmp/r.sock?db=2", &u);
  assert_string_equal(redis_url_display(&u, buf, sizeof buf), "unix://u:***@/tmp/r.sock?db=2");
  redis_url_free(&u);
  parse_ok("unix:///tmp/r.sock", &u);
  assert_string_equal(redis_url_display(&u, buf, sizeof buf), "unix:///tmp/r.sock");
  /* a small buffer truncates, never overflows */
  char small[8];
  assert_string_equal(redis_url_display(&u, small, sizeof small), "unix://");
  redis_url_free(&u);
}

static void test_errors(void **state) {
  (void)state;
  assert_non_null(strstr(parse_err(""), "empty"));
  assert_non_null(strstr(parse_err("localhost:6379"), "not a Redis URL"));
  assert_non_null(strstr(parse_err("http://h:80"), "scheme 'http'"));
  assert_non_null(strstr(parse_err("redis://h:0"), "bad port"));
  assert_non_null(strstr(parse_err("redis://h:65536"), "bad port"));
  assert_non_null(strstr(parse_err("redis://h:63x9"), "bad port"));
  assert_non_null(strstr(parse_err("redis://h:"), "bad port"));
  assert_non_null(strstr(parse_err("redis://h/one"), "database"));
  assert_non_null(strstr(parse_err("redis://h/-1"), "database"));
  assert_non_null(strstr(parse_err("redis://h/1?db=2"), "two different databases"));
  assert_non_null(strstr(parse_err("redis://h?db=x"), "database"));
  assert_non_null(strstr(parse_err("redis://h?socket_timeout=5"), "unknown URL parameter 'socket_timeout'"));
  assert_non_null(strstr(parse_err("redis://h#frag"), "fragment"));
  assert_non_null(strstr(parse_err("redis://[::1:6379"), "'['"));
  assert_non_null(strstr(parse_err("unix://host/tmp/r.sock"), "no host"));
  assert_non_null(strstr(parse_err("unix://"), "path"));
  /* the password is never quoted back */
  const char *e = parse_err("redis://u:Hunter2Secret@h:99999");
  assert_null(strstr(e, "Hunter2Secret"));
  e = parse_err("redis://u:Hunter2Secret@h/notadb");
  assert_null(strstr(e, "Hunter2Secret"));
  e = parse_err("redis://u:Hunter2Secret%zz@h");
  assert_null(strstr(e, "Hunter2Secret"));
}

/* rediss://'s query parameters, with redis-py's names and meanings. */
static void test_tls_params(void **state) {
  (void)state;
  RedisUrl u;
  parse_ok("rediss://h:6390", &u); /* the safe defaults */
  assert_true(u.tls);
  assert_int_equal(u.ssl_cert_reqs, RL_CERT_REQUIRED);
  assert_true(u.ssl_check_hostname);
  assert_null(u.ssl_ca_certs);
  assert_null(u.ssl_certfile);
  assert_null(u.ssl_keyfile);
  redis_url_free(&u);

  parse_ok("rediss://:pw@h:6390/2?ssl_ca_certs=/etc/redis/ca%20bundle.pem&ssl_certfile=/c/client.pem"
           "&ssl_keyfile=/c/client.key&ssl_cert_reqs=optional&db=2", &u);
  assert_string_equal(u.ssl_ca_certs, "/etc/redis/ca bundle.pem");
  assert_string_equal(u.ssl_certfile, "/c/client.pem");
  assert_string_equal(u.ssl_keyfile, "/c/client.key");
  assert_int_equal(u.ssl_cert_reqs, RL_CERT_OPTIONAL);
  assert_true(u.ssl_check_hostname);
  assert_int_equal(u.db, 2);
  assert_string_equal(u.password, "pw");
  redis_url_free(&u);
  assert_null(u.ssl_ca_certs); /* freed and reset */

  parse_ok("rediss://h?ssl_cert_reqs=NONE", &u); /* none verifies nothing, names included */
  assert_int_equal(u.ssl_cert_reqs, RL_CERT_NONE);
  assert_false(u.ssl_check_hostname);
  redis_url_free(&u);
  parse_ok("rediss://h?ssl_cert_reqs=none&ssl_check_hostname=false", &u);
  assert_false(u.ssl_check_hostname);
  redis_url_free(&u);
  parse_ok("rediss://h?ssl_cert_reqs=required&ssl_check_hostname=False", &u);
  assert_int_equal(u.ssl_cert_reqs, RL_CERT_REQUIRED);
  assert_false(u.ssl_check_hostname);
  redis_url_free(&u);
  static const char *const falses[] = {"0", "f", "no", "N", "FALSE"}, *const trues[] = {"1", "t", "yes", "Y", "True"};
  for (size_t i = 0; i < 5; i++) {
    char url[96];
    snprintf(url, sizeof url, "rediss://h?ssl_check_hostname=%s", falses[i]);
    parse_ok(url, &u);
    assert_false(u.ssl_check_hostname);
    redis_url_free(&u);
    snprintf(url, sizeof url, "rediss://h?ssl_check_hostname=%s", trues[i]);
    parse_ok(url, &u);
    assert_true(u.ssl_check_hostname);
    redis_url_free(&u);
  }
  parse_ok("rediss://h?ssl_certfile=/c/both.pem", &u); /* the key in the same file */
  assert_string_equal(u.ssl_certfile, "/c/both.pem");
  assert_null(u.ssl_keyfile);
  redis_url_free(&u);

  assert_non_null(strstr(parse_err("redis://h?ssl_cert_reqs=none"), "use a rediss:// URL"));
  assert_non_null(strstr(parse_err("unix:///r.sock?ssl_ca_certs=/ca.pem"), "use a rediss:// URL"));
  assert_non_null(strstr(parse_err("rediss://h?ssl_cert_reqs=maybe"), "none, optional or required"));
  assert_non_null(strstr(parse_err("rediss://h?ssl_check_hostname=perhaps"), "true or false"));
  assert_non_null(strstr(parse_err("rediss://h?ssl_check_hostname=true&ssl_cert_reqs=none"), "verifies none"));
  assert_non_null(strstr(parse_err("rediss://h?ssl_keyfile=/k.pem"), "without ssl_certfile"));
  assert_non_null(strstr(parse_err("rediss://h?ssl_ca_certs="), "empty"));
  assert_non_null(strstr(parse_err("rediss://h?ssl_ca_certs=/a&ssl_ca_certs=/b"), "twice"));
  assert_non_null(strstr(parse_err("rediss://h?ssl_cert_reqs=none&ssl_cert_reqs=none"), "twice"));
  assert_non_null(strstr(parse_err("rediss://h?ssl_ca_certs=/a%zz"), "percent-escape"));
  const char *e = parse_err("rediss://h?ssl_ca_path=/etc/ssl/certs");
  assert_non_null(strstr(e, "unknown URL parameter 'ssl_ca_path'"));
  assert_non_null(strstr(e, "ssl_ca_certs")); /* the ones understood are listed */
  e = parse_err("rediss://:Hunter2Secret@h?ssl_cert_reqs=bad");
  assert_null(strstr(e, "Hunter2Secret"));
}

static void test_free_twice(void **state) {
  (void)state;
  RedisUrl u;
  parse_ok("redis://u:p@h", &u);
  redis_url_free(&u);
  redis_url_free(&u); /* reset by the first: harmless */
  redis_url_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_defaults),        cmocka_unit_test(test_forms),
      cmocka_unit_test(test_percent_decoding), cmocka_unit_test(test_env_password),
      cmocka_unit_test(test_display_masks),   cmocka_unit_test(test_errors),
      cmocka_unit_test(test_tls_params),      cmocka_unit_test(test_free_twice),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
