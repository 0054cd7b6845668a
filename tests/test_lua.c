/* test_lua.c - the Lua tokenizer, the redis.call recognizer and Redis
 * Cluster hash slots (slots checked against CLUSTER KEYSLOT of Redis 7). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arena.h"
#include "hashslot.h"
#include "lua.h"

static unsigned slot(const char *k) { return key_hash_slot(k, strlen(k)); }

static void test_slots(void **state) {
  (void)state;
  assert_int_equal(crc16_xmodem("123456789", 9), 0x31C3);
  assert_int_equal(slot("foo"), 12182);
  assert_int_equal(slot("bar"), 5061);
  assert_int_equal(slot("user:1"), 10778);
  assert_int_equal(slot("cart:1"), 1420);
  assert_int_equal(slot(""), 0);
  assert_int_equal(slot("{user1000}.following"), 3443);
  assert_int_equal(slot("{user1000}.followers"), 3443);
  assert_int_equal(slot("{user:1}:cart"), slot("user:1"));
  assert_int_equal(slot("foo{}{bar}"), 8363);   /* `{}`: the whole key */
  assert_int_equal(slot("foo{{bar}}zap"), 4015); /* tag "{bar" */
  assert_int_equal(slot("foo{bar}{zap}"), 5061); /* the first tag only */
  assert_int_equal(slot("{}"), 15257);
}

static size_t tokens(Arena *a, const char *s, LuaTok **t) { return lua_tokenize(a, s, strlen(s), t); }

static const char *tok_text(Arena *a, const char *s, const LuaTok *t) {
  return arena_strndup(a, s + t->start, t->end - t->start);
}

static void test_tokens(void **state) {
  (void)state;
  Arena *a = arena_new();
  LuaTok *t;
  const char *s = "-- redis.call('KEYS', '*')\n"
                  "--[==[ redis.call('KEYS') ]] still comment ]==]\n"
                  "local s = [[redis.call('KEYS')]] .. [=[a]]b]=] .. 'x\\'y' .. \"\\z\n   z\"\n"
                  "x = 0x1F + 1e-3 ... #t ~= 2";
  size_t n = tokens(a, s, &t);
  const char *want[] = {"local", "s", "=", "[[redis.call('KEYS')]]", "..", "[=[a]]b]=]", "..",
                        "'x\\'y'", "..", "\"\\z\n   z\"", "x", "=", "0x1F", "+", "1e-3", "...",
                        "#", "t", "~=", "2"};
  assert_int_equal(n, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < n; i++) assert_string_equal(tok_text(a, s, &t[i]), want[i]);
  size_t len;
  assert_string_equal(lua_string_value(a, s, &t[3], &len), "redis.call('KEYS')");
  assert_string_equal(lua_string_value(a, s, &t[5], &len), "a]]b");
  assert_string_equal(lua_string_value(a, s, &t[7], &len), "x'y");
  assert_string_equal(lua_string_value(a, s, &t[9], &len), "z");
  /* unterminated string: ends at the newline; the next line still lexes */
  n = tokens(a, "local a = 'open\nredis.call('GET', KEYS[1])", &t);
  assert_int_equal(n, 15);
  assert_int_equal(t[4].kind, LT_NAME);
  arena_delete(a);
}

/* The origin of argument `arg` of the only (or `which`) redis.call. */
static int origin(const char *script, size_t which, uint32_t arg) {
  Arena *a = arena_new();
  LuaCall *c;
  size_t n = lua_scan(a, script, strlen(script), &c);
  int r = which < n && arg < c[which].nargs ? c[which].args[arg].src : -1;
  arena_delete(a);
  return r;
}

static void test_origins(void **state) {
  (void)state;
  assert_int_equal(origin("return redis.call('GET', KEYS[1])", 0, 0), LUA_SRC_KEYS);
  assert_int_equal(origin("local k = KEYS[1]\nreturn redis.call('GET', k)", 0, 0), LUA_SRC_KEYS);
  assert_int_equal(origin("redis.call('GET', 'config:flag')", 0, 0), LUA_SRC_LITERAL);
  assert_int_equal(origin("redis.call('INCR', 'counter:' .. ARGV[1])", 0, 0), LUA_SRC_ARGV);
  assert_int_equal(origin("redis.call('INCR', KEYS[1] .. ':n')", 0, 0), LUA_SRC_KEYS_DERIVED);
  assert_int_equal(origin("local p = ARGV[1]\nredis.call('DEL', p)", 0, 0), LUA_SRC_ARGV);
  assert_int_equal(origin("for _, k in ipairs(KEYS) do redis.call('DEL', k) end", 0, 0), LUA_SRC_KEYS);
  assert_int_equal(origin("for i, k in ipairs(KEYS) do redis.call('DEL', i) end", 0, 0), LUA_SRC_UNKNOWN);
  assert_int_equal(origin("local ks = redis.call('KEYS', ARGV[1])\n"
                          "for _, k in ipairs(ks) do redis.call('DEL', k) end", 1, 0), LUA_SRC_DATA);
  assert_int_equal(origin("redis.call('DEL', unpack(KEYS))", 0, 0), LUA_SRC_KEYS);
  assert_int_equal(origin("redis.call('DEL', table.unpack(KEYS, 1, 2))", 0, 0), LUA_SRC_KEYS);
  assert_int_equal(origin("local a, b = KEYS[1], ARGV[1]\nredis.call('SET', b, a)", 0, 0), LUA_SRC_ARGV);
  assert_int_equal(origin("local a, b = KEYS[1], ARGV[1]\nredis.call('SET', b, a)", 0, 1), LUA_SRC_KEYS);
  assert_int_equal(origin("local a, b = unpack(KEYS)\nredis.call('SET', b, 1)", 0, 0), LUA_SRC_KEYS);
  assert_int_equal(origin("local function f(key) return redis.call('GET', key) end", 0, 0), LUA_SRC_UNKNOWN);
  assert_int_equal(origin("local k = KEYS[1]\nlocal function f(k) return redis.call('GET', k) end", 0, 0),
                   LUA_SRC_UNKNOWN);
  assert_int_equal(origin("local k = 'x'\nk = k .. ARGV[1]\nredis.call('GET', k)", 0, 0), LUA_SRC_ARGV);
  assert_int_equal(origin("local k\nif x then k = KEYS[1] end\nredis.call('GET', k)", 0, 0), LUA_SRC_KEYS);
  assert_int_equal(origin("redis.call('GET', string.format('lock:%s', ARGV[1]))", 0, 0), LUA_SRC_ARGV);
  assert_int_equal(origin("redis.call('GET', tostring(KEYS[2]))", 0, 0), LUA_SRC_KEYS);
  assert_int_equal(origin("redis.call('GET', KEYS[2] or KEYS[1])", 0, 0), LUA_SRC_KEYS);
  assert_int_equal(origin("redis.call('GET', key_for(ARGV[1]))", 0, 0), LUA_SRC_UNKNOWN);
  assert_int_equal(origin("redis.call('GET', \x01)", 0, 0), LUA_SRC_UNKNOWN);
  assert_int_equal(origin("local d = cjson.decode(ARGV[1])\nredis.call('GET', d.key)", 0, 0), LUA_SRC_UNKNOWN);
  /* comments and strings are not calls */
  assert_int_equal(origin("-- redis.call('GET', 'x')\nlocal s = \"redis.call('GET', 'y')\"", 0, 0), -1);
}

static void test_calls(void **state) {
  (void)state;
  Arena *a = arena_new();
  LuaCall *c;
  const char *s = "local v = redis.pcall( \"HGET\" , KEYS[1], 'f')\n"
                  "return redis.call(ARGV[1], KEYS[1]) + redis.call('MSET', 'a', 1, 'b', 2)";
  size_t n = lua_scan(a, s, strlen(s), &c);
  assert_int_equal(n, 3);
  assert_true(c[0].pcall);
  assert_string_equal(c[0].command, "hget");
  assert_int_equal(c[0].nargs, 2);
  assert_null(c[1].command);
  assert_string_equal(c[2].command, "mset");
  uint32_t idx[8];
  assert_int_equal(lua_key_args(&c[0], idx, 8), 1);
  assert_int_equal(lua_key_args(&c[1], idx, 8), 0);
  assert_int_equal(lua_key_args(&c[2], idx, 8), 2);
  assert_int_equal(idx[1], 2);
  arena_delete(a);
}

/* Random token soup: every prefix of unbalanced brackets, quotes and
 * comments must scan without reading out of bounds (run under ASan). */
static void test_garbage(void **state) {
  (void)state;
  static const char *const parts[] = {
      "redis", ".", "call", "pcall", "(", ")", "'", "\"", "[[", "]]", "[=[", "]=]", "--",
      "--[[", "\\", "\\z", "KEYS", "ARGV", "[", "]", "=", "==", "local", "function", "end",
      "for", "in", "ipairs", "do", ",", "..", "\x01", "\n", " ", "k", "1", "0x", "unpack", "{",
      "}", ":", "sub", "or", "not", "#"};
  const size_t np = sizeof parts / sizeof parts[0];
  uint32_t seed = 12345;
  char buf[512];
  for (int round = 0; round < 3000; round++) {
    size_t n = 0;
    int len = 1 + (int)(seed % 60);
    for (int k = 0; k < len; k++) {
      seed = seed * 1103515245u + 12345u;
      const char *p = parts[(seed >> 16) % np];
      size_t pl = strlen(p);
      if (n + pl >= sizeof buf) break;
      memcpy(buf + n, p, pl);
      n += pl;
    }
    Arena *a = arena_new();
    LuaCall *c;
    size_t nc = lua_scan(a, buf, n, &c);
    uint32_t idx[LUA_MAX_ARGS];
    for (size_t i = 0; i < nc; i++) {
      assert_true(c[i].start <= c[i].end && c[i].end <= n);
      for (uint32_t k = 0; k < c[i].nargs; k++) assert_true(c[i].args[k].end <= n);
      lua_key_args(&c[i], idx, LUA_MAX_ARGS);
    }
    arena_delete(a);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_slots),
      cmocka_unit_test(test_tokens),
      cmocka_unit_test(test_origins),
      cmocka_unit_test(test_calls),
      cmocka_unit_test(test_garbage),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
