/* test_model.c - unit tests of the model (src/model.h): client resolution,
 * bindings, look-alikes that are not clients, decode_responses, loop and
 * async context, key templates, value facts, the project index across
 * files, deep nesting, and the timeout helpers rules share (rule_util.h).
 *
 * Each test parses a Python snippet, builds its model as module "app.mod"
 * (unless said otherwise) and queries it through the public API. Checks are
 * soft (CHECK): every failed expectation of a test is printed, then the test
 * fails once at its end, so one run shows everything that is off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "index.h"
#include "model.h"
#include "rules/rule_util.h"
#include "source.h"

/* ---- soft checks ------------------------------------------------------- */

static int g_failures;

#define CHECK(cond, ...)                                                        \
  do {                                                                          \
    if (!(cond)) {                                                              \
      g_failures++;                                                             \
      print_error("%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond);     \
      print_error(__VA_ARGS__);                                                 \
      print_error("\n");                                                        \
    }                                                                           \
  } while (0)

static int reset_failures(void **state) {
  (void)state;
  g_failures = 0;
  return 0;
}

static void end_test(void) {
  int n = g_failures;
  g_failures = 0;
  if (n) fail_msg("%d check(s) failed", n);
}

/* ---- building a model from a snippet --------------------------------- */

typedef struct Ctx {
  Arena *arena;
  Source src;
  TSParser *parser;
  TSTree *tree;
  Model *m;
} Ctx;

/* Parses `code` as the file `path` of module `module` and builds its model
 * with the given project index (may be NULL). Caller frees with ctx_free. */
static Ctx *ctx_build_ex(const char *code, size_t len, const char *path, const char *module,
                         const ProjectIndex *ix) {
  Ctx *c = calloc(1, sizeof *c);
  assert_non_null(c);
  char *buf = xmalloc(len + 1);
  memcpy(buf, code, len);
  buf[len] = '\0';
  Diags d = {0};
  assert_int_equal(source_from_buffer(&c->src, buf, len, path, &d), 0);
  diags_free(&d);
  c->parser = ts_parser_new();
  assert_true(ts_parser_set_language(c->parser, tree_sitter_python()));
  c->tree = ts_parser_parse_string(c->parser, NULL, c->src.text, c->src.len);
  assert_non_null(c->tree);
  c->arena = arena_new();
  c->m = model_build(c->arena, &c->src, c->tree, module, ix);
  assert_non_null(c->m);
  return c;
}

static Ctx *ctx_build(const char *code) {
  return ctx_build_ex(code, strlen(code), "app/mod.py", "app.mod", NULL);
}

static void ctx_free(Ctx *c) {
  model_free(c->m);
  arena_delete(c->arena);
  ts_tree_delete(c->tree);
  ts_parser_delete(c->parser);
  source_free(&c->src);
  free(c);
}

/* The smallest named node spanning exactly the nth (0-based) occurrence of
 * `text` in the source; a null node (and a failed check) if there is none. */
static TSNode find_nth(Ctx *c, const char *text, int nth) {
  TSNode none = {0};
  const char *p = c->src.text, *end = c->src.text + c->src.len;
  size_t n = strlen(text);
  for (int k = 0;; k++) {
    const char *hit = NULL;
    for (const char *q = p; q + n <= end; q++)
      if (memcmp(q, text, n) == 0) {
        hit = q;
        break;
      }
    if (!hit) {
      CHECK(0, "text not found in snippet: %s (occurrence %d)", text, nth);
      return none;
    }
    if (k == nth) {
      uint32_t s = (uint32_t)(hit - c->src.text), e = s + (uint32_t)n;
      TSNode node =
          ts_node_named_descendant_for_byte_range(ts_tree_root_node(c->tree), s, e);
      if (ts_node_is_null(node) || ts_node_start_byte(node) != s || ts_node_end_byte(node) != e) {
        CHECK(0, "no node spans exactly: %s", text);
        return none;
      }
      return node;
    }
    p = hit + 1;
  }
}

static TSNode find(Ctx *c, const char *text) { return find_nth(c, text, 0); }

/* The call site whose call is the nth occurrence of `text`, or NULL when
 * that call is not a call site. */
static const CallSite *site_nth(Ctx *c, const char *text, int nth) {
  TSNode n = find_nth(c, text, nth);
  if (ts_node_is_null(n)) return NULL;
  for (size_t i = 0; i < model_ncalls(c->m); i++) {
    const CallSite *cs = model_call(c->m, i);
    if (ts_node_eq(cs->node, n)) return cs;
  }
  return NULL;
}

static const CallSite *site(Ctx *c, const char *text) { return site_nth(c, text, 0); }

static Value eval(Ctx *c, const char *text) {
  TSNode n = find(c, text);
  Value none = {0};
  return ts_node_is_null(n) ? none : model_eval(c->m, n);
}

/* model_eval of the receiver of the call at `text` (call site or not). */
static Value recv_eval(Ctx *c, const char *text) {
  TSNode n = find(c, text);
  Value none = {0};
  if (ts_node_is_null(n)) return none;
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  return model_eval(c->m, ts_node_child_by_field_id(fn, SYM.f_object));
}

static const char *key_disp(Ctx *c, const CallSite *cs) {
  return cs ? keytpl_display(c->arena, &cs->key) : "(no call site)";
}

static const char *key_of(Ctx *c, const char *text) {
  TSNode n = find(c, text);
  if (ts_node_is_null(n)) return "(no node)";
  KeyTpl k = model_key(c->m, n);
  return keytpl_display(c->arena, &k);
}

static ValueFact vf_of(Ctx *c, const char *text) {
  TSNode n = find(c, text);
  ValueFact none;
  memset(&none, 0, sizeof none);
  none.size = -1;
  return ts_node_is_null(n) ? none : model_value(c->m, n);
}

static const char *kind_name(int k) {
  static const char *names[] = {"UNKNOWN",     "NONE",     "OTHER",  "CLIENT",
                                "PIPELINE",    "TRANSACTION", "CLIENT_OR_PIPELINE",
                                "CLIENT_CLASS", "CLIENT_FACTORY", "SENTINEL", "POOL",
                                "MODULE",      "CONFLICT"};
  return k >= 0 && k < (int)(sizeof names / sizeof names[0]) ? names[k] : "?";
}

static const char *node_str(Ctx *c, TSNode n) {
  return ts_node_is_null(n) ? "(null)" : node_text(c->arena, &c->src, n);
}

static const char *func_name(Ctx *c, int fi) {
  const Function *f = model_function(c->m, fi);
  return f ? f->name : "(none)";
}

static const char *class_name(Ctx *c, int ci) {
  const Class *k = model_class(c->m, ci);
  return k ? k->name : "(none)";
}

static const char *loop_type(Ctx *c, int li) {
  const Loop *l = model_loop(c->m, li);
  return l ? ts_node_type(l->node) : "(none)";
}

static Value val(uint8_t kind) {
  Value v;
  memset(&v, 0, sizeof v);
  v.kind = kind;
  return v;
}

/* A call site at `text` with receiver kind `kind` (soft-checked). */
#define EXPECT_SITE(c, text, want_)                                                         \
  do {                                                                                     \
    const CallSite *cs_ = site((c), (text));                                               \
    CHECK(cs_ != NULL, "%s is not a call site", (text));                                  \
    if (cs_)                                                                               \
      CHECK(cs_->recv.kind == (want_), "%s: receiver is %s, expected %s", (text),          \
            kind_name(cs_->recv.kind), kind_name(want_));                                   \
  } while (0)

#define EXPECT_NO_SITE(c, text)                                                            \
  do {                                                                                     \
    const CallSite *cs_ = site((c), (text));                                               \
    CHECK(cs_ == NULL, "%s must not be a call site (receiver %s)", (text),                \
          cs_ ? kind_name(cs_->recv.kind) : "");                                           \
  } while (0)

#define EXPECT_STR(got, want, what)                                                        \
  do {                                                                                     \
    const char *g_ = (got), *w_ = (want);                                                  \
    CHECK(g_ && strcmp(g_, w_) == 0, "%s: got '%s', expected '%s'", (what),               \
          g_ ? g_ : "(null)", w_);                                                         \
  } while (0)

/* ======================================================================= */
/* Client resolution                                                        */
/* ======================================================================= */

static void test_import_redis(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "r = redis.Redis(host='localhost')\n"
                     "r.get('k')\n"
                     "r.hset('h', 'f', 'v')\n"
                     "r.frobnicate('x')\n");
  const CallSite *cs = site(c, "r.get('k')");
  CHECK(cs != NULL, "r.get is a call site");
  if (cs) {
    EXPECT_STR(cs->method, "get", "method");
    CHECK(cs->cmd && strcmp(cs->cmd->name, "GET") == 0, "cmd GET");
    CHECK(cs->recv.kind == OBJ_CLIENT, "client, got %s", kind_name(cs->recv.kind));
    CHECK(!cs->recv.is_async && !cs->recv.cluster, "sync, not cluster");
    CHECK(cs->recv.decode == TRI_FALSE, "decode_responses defaults to False");
    CHECK(cs->loop == -1 && cs->func == -1 && cs->cls == -1, "module level");
    CHECK(!cs->in_async && !cs->awaited, "not async");
    EXPECT_STR(key_disp(c, cs), "k", "key");
    CHECK(!cs->key.opaque && cs->key.nholes == 0, "literal key");
    EXPECT_STR(cs->recv_text, "r", "recv_text");
    CHECK(cs->recv.ctor_end > cs->recv.ctor_start, "constructor location known");
    if (cs->recv.ctor_end > cs->recv.ctor_start)
      CHECK(strncmp(c->src.text + cs->recv.ctor_start, "redis.Redis(", 12) == 0,
            "ctor points at redis.Redis(...)");
  }
  cs = site(c, "r.hset('h', 'f', 'v')");
  CHECK(cs && cs->cmd && strcmp(cs->cmd->name, "HSET") == 0, "hset -> HSET");
  /* unknown methods of a client are still call sites, without a command */
  cs = site(c, "r.frobnicate('x')");
  CHECK(cs != NULL && cs->cmd == NULL, "unknown method: call site with cmd NULL");
  CHECK(model_ncalls(c->m) == 3, "3 call sites, got %zu", model_ncalls(c->m));
  CHECK(model_imports(c->m, "redis"), "imports redis");
  CHECK(!model_imports(c->m, "zlib"), "does not import zlib");
  CHECK(!model_imports(c->m, "red"), "prefix of a module name is not an import");
  Value v = eval(c, "redis.Redis");
  CHECK(v.kind == OBJ_CLIENT_CLASS && v.makes == OBJ_CLIENT, "redis.Redis is a client class");
  v = eval(c, "redis");
  CHECK(v.kind == OBJ_MODULE, "redis is a module, got %s", kind_name(v.kind));
  ctx_free(c);
  end_test();
}

static void test_import_alias(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis as rd\n"
                     "c = rd.StrictRedis()\n"
                     "c.set('a', 1)\n"
                     "import redis.asyncio\n"
                     "a = redis.asyncio.Redis()\n"
                     "a.get('b')\n");
  EXPECT_SITE(c, "c.set('a', 1)", OBJ_CLIENT);
  const CallSite *cs = site(c, "a.get('b')");
  CHECK(cs && cs->recv.kind == OBJ_CLIENT && cs->recv.is_async,
        "import redis.asyncio; redis.asyncio.Redis() is an async client");
  ctx_free(c);
  end_test();
}

static void test_from_import(void **state) {
  (void)state;
  Ctx *c = ctx_build("from redis import Redis, StrictRedis, from_url\n"
                     "a = Redis()\n"
                     "b = StrictRedis(port=6380)\n"
                     "u = from_url('redis://localhost:6379/0')\n"
                     "a.get('x')\n"
                     "b.get('x')\n"
                     "u.get('x')\n");
  EXPECT_SITE(c, "a.get('x')", OBJ_CLIENT);
  EXPECT_SITE(c, "b.get('x')", OBJ_CLIENT);
  EXPECT_SITE(c, "u.get('x')", OBJ_CLIENT);
  const CallSite *cs = site(c, "u.get('x')");
  if (cs) {
    CHECK(cs->recv.decode == TRI_FALSE, "from_url without decode_responses: False");
    CHECK(cs->recv.ctor_end > cs->recv.ctor_start, "from_url call is the constructor");
  }
  ctx_free(c);
  end_test();
}

static void test_asyncio_clients(void **state) {
  (void)state;
  Ctx *c = ctx_build("from redis.asyncio import Redis\n"
                     "r = Redis()\n"
                     "async def f(k):\n"
                     "    return await r.get(k)\n");
  const CallSite *cs = site(c, "r.get(k)");
  CHECK(cs != NULL, "async call site");
  if (cs) {
    CHECK(cs->recv.kind == OBJ_CLIENT && cs->recv.is_async, "async client");
    CHECK(cs->in_async && cs->awaited, "in async def, awaited");
    EXPECT_STR(func_name(c, cs->func), "f", "function");
    CHECK(model_function(c->m, cs->func)->is_async, "f is async");
  }
  ctx_free(c);

  c = ctx_build("from redis import asyncio as aioredis\n"
                "r = aioredis.Redis(decode_responses=True)\n"
                "u = aioredis.from_url('redis://h')\n"
                "async def g():\n"
                "    await r.set('a', 1)\n"
                "    await u.set('b', 2)\n");
  cs = site(c, "r.set('a', 1)");
  CHECK(cs && cs->recv.kind == OBJ_CLIENT && cs->recv.is_async, "aioredis.Redis()");
  CHECK(cs && cs->recv.decode == TRI_TRUE, "decode_responses=True");
  cs = site(c, "u.set('b', 2)");
  CHECK(cs && cs->recv.kind == OBJ_CLIENT && cs->recv.is_async, "aioredis.from_url()");
  ctx_free(c);
  end_test();
}

static void test_cluster(void **state) {
  (void)state;
  Ctx *c = ctx_build("from redis.cluster import RedisCluster\n"
                     "rc = RedisCluster(host='h', port=7000)\n"
                     "rc.get('k')\n"
                     "p = rc.pipeline()\n"
                     "p.set('k', 1)\n");
  const CallSite *cs = site(c, "rc.get('k')");
  CHECK(cs && cs->recv.kind == OBJ_CLIENT && cs->recv.cluster && !cs->recv.is_async,
        "RedisCluster is a sync cluster client");
  cs = site(c, "p.set('k', 1)");
  CHECK(cs && cs->recv.kind == OBJ_PIPELINE && cs->recv.cluster,
        "cluster pipeline is non-transactional, got %s", cs ? kind_name(cs->recv.kind) : "-");
  ctx_free(c);
  end_test();
}

static void test_sentinel(void **state) {
  (void)state;
  Ctx *c = ctx_build("from redis.sentinel import Sentinel\n"
                     "s = Sentinel([('h', 26379)], socket_timeout=0.1)\n"
                     "m = s.master_for('mymaster', decode_responses=True)\n"
                     "rep = s.slave_for('mymaster')\n"
                     "m.get('k')\n"
                     "rep.get('k')\n"
                     "s.get('k')\n"
                     "Sentinel([('h', 26379)]).master_for('mm').set('a', 1)\n");
  const CallSite *cs = site(c, "m.get('k')");
  CHECK(cs && cs->recv.kind == OBJ_CLIENT, "master_for gives a client");
  CHECK(cs && cs->recv.decode == TRI_TRUE, "decode from master_for kwargs");
  EXPECT_SITE(c, "rep.get('k')", OBJ_CLIENT);
  EXPECT_NO_SITE(c, "s.get('k')");
  EXPECT_SITE(c, "Sentinel([('h', 26379)]).master_for('mm').set('a', 1)", OBJ_CLIENT);
  Value v = recv_eval(c, "s.get('k')");
  CHECK(v.kind == OBJ_SENTINEL, "s is a Sentinel, got %s", kind_name(v.kind));
  ctx_free(c);
  end_test();
}

static void test_from_url_classmethod(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "from redis import Redis\n"
                     "a = Redis.from_url('redis://h/0')\n"
                     "b = redis.Redis.from_url('redis://h/0?decode_responses=True')\n"
                     "c = redis.from_url('redis://h/0?decode_responses=True')\n"
                     "R = Redis\n"
                     "d = R.from_url('redis://h')\n"
                     "a.get('k')\n"
                     "b.get('k')\n"
                     "c.get('k')\n"
                     "d.get('k')\n");
  EXPECT_SITE(c, "a.get('k')", OBJ_CLIENT);
  EXPECT_SITE(c, "b.get('k')", OBJ_CLIENT);
  EXPECT_SITE(c, "c.get('k')", OBJ_CLIENT);
  EXPECT_SITE(c, "d.get('k')", OBJ_CLIENT);
  const CallSite *cs = site(c, "c.get('k')");
  CHECK(cs && cs->recv.decode == TRI_TRUE, "redis.from_url URL ?decode_responses=True");
  cs = site(c, "b.get('k')");
  CHECK(cs && cs->recv.decode == TRI_TRUE, "Redis.from_url URL ?decode_responses=True");
  ctx_free(c);
  end_test();
}

static void test_async_from_url(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis.asyncio\n"
                     "async def main():\n"
                     "    r = await redis.asyncio.from_url('redis://h')\n"
                     "    await r.get('k')\n"
                     "    r2 = await redis.asyncio.Redis.from_url('redis://h')\n"
                     "    await r2.get('k')\n");
  const CallSite *cs = site(c, "r.get('k')");
  CHECK(cs && cs->recv.kind == OBJ_CLIENT && cs->recv.is_async,
        "await redis.asyncio.from_url(...) is an async client");
  CHECK(cs && cs->in_async && cs->awaited, "awaited in async def");
  cs = site(c, "r2.get('k')");
  CHECK(cs && cs->recv.kind == OBJ_CLIENT && cs->recv.is_async,
        "await redis.asyncio.Redis.from_url(...) is an async client");
  ctx_free(c);
  end_test();
}

static void test_project_subclass(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "class MyRedis(redis.Redis):\n"
                     "    def get_user(self, uid):\n"
                     "        return self.get(f'user:{uid}')\n"
                     "c = MyRedis(host='h')\n"
                     "c.set('k', 'v')\n"
                     "class Plain:\n"
                     "    def get_user(self, uid):\n"
                     "        return self.get(uid)\n");
  const CallSite *cs = site(c, "self.get(f'user:{uid}')");
  CHECK(cs && cs->recv.kind == OBJ_CLIENT, "self.get() inside a Redis subclass");
  if (cs) {
    EXPECT_STR(class_name(c, cs->cls), "MyRedis", "class");
    EXPECT_STR(func_name(c, cs->func), "get_user", "function");
    EXPECT_STR(key_disp(c, cs), "user:{}", "key");
    CHECK(model_class(c->m, cs->cls)->is_client_class, "MyRedis is a client class");
  }
  EXPECT_SITE(c, "c.set('k', 'v')", OBJ_CLIENT);
  EXPECT_NO_SITE(c, "self.get(uid)");
  Value v = eval(c, "MyRedis(host='h')");
  CHECK(v.kind == OBJ_CLIENT, "MyRedis(...) is a client, got %s", kind_name(v.kind));
  ctx_free(c);
  end_test();
}

static void test_django_redis(void **state) {
  (void)state;
  Ctx *c = ctx_build("from django_redis import get_redis_connection\n"
                     "import django_redis\n"
                     "r = get_redis_connection('default')\n"
                     "r2 = django_redis.get_redis_connection()\n"
                     "r.get('k')\n"
                     "r2.get('k')\n");
  EXPECT_SITE(c, "r.get('k')", OBJ_CLIENT);
  EXPECT_SITE(c, "r2.get('k')", OBJ_CLIENT);
  ctx_free(c);
  end_test();
}

/* ======================================================================= */
/* Bindings                                                                 */
/* ======================================================================= */

static void test_module_and_local_names(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "r = redis.Redis()\n"
                     "def f():\n"
                     "    c = redis.Redis()\n"
                     "    c.get('a')\n"
                     "    r.get('b')\n"
                     "def g():\n"
                     "    c.get('c')\n");
  EXPECT_SITE(c, "c.get('a')", OBJ_CLIENT);
  EXPECT_SITE(c, "r.get('b')", OBJ_CLIENT);
  EXPECT_NO_SITE(c, "c.get('c')"); /* c is local to f */
  const CallSite *cs = site(c, "r.get('b')");
  CHECK(cs && strcmp(func_name(c, cs->func), "f") == 0, "func f");
  ctx_free(c);
  end_test();
}

static void test_instance_attribute(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "class Store:\n"
                     "    def __init__(self, host):\n"
                     "        self.r = redis.Redis(host=host)\n"
                     "    def load(self, k):\n"
                     "        return self.r.get(k)\n"
                     "class Other:\n"
                     "    def load(self, k):\n"
                     "        return self.r.get(k)\n");
  const CallSite *cs = site_nth(c, "self.r.get(k)", 0);
  CHECK(cs && cs->recv.kind == OBJ_CLIENT, "self.r set in __init__, used in load");
  if (cs) {
    EXPECT_STR(class_name(c, cs->cls), "Store", "class");
    EXPECT_STR(func_name(c, cs->func), "load", "function");
    EXPECT_STR(cs->recv_text, "self.r", "recv_text");
  }
  cs = site_nth(c, "self.r.get(k)", 1);
  CHECK(cs == NULL, "self.r of another class is not the client");
  ctx_free(c);
  end_test();
}

static void test_class_attribute(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "class Cache:\n"
                     "    client = redis.Redis()\n"
                     "    def one(self, k):\n"
                     "        return self.client.get(k)\n"
                     "    @classmethod\n"
                     "    def two(cls, k):\n"
                     "        return cls.client.get(k)\n"
                     "Cache.client.get('x')\n");
  EXPECT_SITE(c, "self.client.get(k)", OBJ_CLIENT);
  EXPECT_SITE(c, "cls.client.get(k)", OBJ_CLIENT);
  EXPECT_SITE(c, "Cache.client.get('x')", OBJ_CLIENT);
  ctx_free(c);
  end_test();
}

static void test_with_client_and_pipelines(void **state) {
  (void)state;
  Ctx *c = ctx_build("from redis import Redis\n"
                     "with Redis() as w:\n"
                     "    w.get('k')\n"
                     "r = Redis()\n"
                     "with r.pipeline() as p:\n"
                     "    p.set('a', 1)\n"
                     "    p.execute()\n"
                     "q = r.pipeline(transaction=False)\n"
                     "q.set('b', 2)\n"
                     "t = r.pipeline(True)\n"
                     "t.set('b', 3)\n"
                     "r.pipeline().set('c', 3).execute()\n"
                     "r.pipeline(transaction=False).set('d', 4).execute()\n");
  EXPECT_SITE(c, "w.get('k')", OBJ_CLIENT);
  EXPECT_SITE(c, "p.set('a', 1)", OBJ_TRANSACTION);
  EXPECT_SITE(c, "p.execute()", OBJ_TRANSACTION);
  EXPECT_SITE(c, "q.set('b', 2)", OBJ_PIPELINE);
  EXPECT_SITE(c, "t.set('b', 3)", OBJ_TRANSACTION);
  EXPECT_SITE(c, "r.pipeline().set('c', 3)", OBJ_TRANSACTION);
  EXPECT_SITE(c, "r.pipeline().set('c', 3).execute()", OBJ_TRANSACTION);
  EXPECT_SITE(c, "r.pipeline(transaction=False).set('d', 4)", OBJ_PIPELINE);
  EXPECT_SITE(c, "r.pipeline(transaction=False).set('d', 4).execute()", OBJ_PIPELINE);
  /* the pipeline() call itself is a call on the client */
  EXPECT_SITE(c, "r.pipeline()", OBJ_CLIENT);
  const CallSite *cs = site(c, "p.execute()");
  CHECK(cs && cs->cmd && (cs->cmd->flags & CMD_PIPELINE), "execute is a pipeline command");
  CHECK(value_is_pipeline(eval(c, "r.pipeline()")), "r.pipeline() is a pipeline");
  ctx_free(c);
  end_test();
}

static void test_annotations(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "from typing import Optional\n"
                     "from redis import Redis\n"
                     "from redis.client import Pipeline\n"
                     "def a(r: Redis, k):\n"
                     "    r.get(k)\n"
                     "def b(r: 'Redis', k):\n"
                     "    r.hget(k, 'f')\n"
                     "def c(r: Optional[redis.Redis], k):\n"
                     "    r.hgetall(k)\n"
                     "def d(r: Redis | None, k):\n"
                     "    r.hlen(k)\n"
                     "def e(r: \"redis.Redis\", k):\n"
                     "    r.llen(k)\n"
                     "def g(r: redis.asyncio.Redis, k):\n"
                     "    r.scard(k)\n"
                     "def h(p: Pipeline, k):\n"
                     "    p.incr(k)\n"
                     "def i(r: Redis = None, k=''):\n"
                     "    r.strlen(k)\n"
                     "def j(r: dict, k):\n"
                     "    r.get(k)\n");
  const char *sites[] = {"r.get(k)", "r.hget(k, 'f')", "r.hgetall(k)", "r.hlen(k)",
                         "r.llen(k)", "r.scard(k)", "r.strlen(k)"};
  for (size_t i = 0; i < sizeof sites / sizeof sites[0]; i++) {
    const CallSite *cs = site(c, sites[i]);
    CHECK(cs && cs->recv.kind == OBJ_CLIENT, "annotated parameter: %s", sites[i]);
    if (cs)
      CHECK(cs->recv.decode == TRI_UNKNOWN, "%s: decode of a parameter is unknown", sites[i]);
  }
  const CallSite *cs = site(c, "r.scard(k)");
  CHECK(cs && cs->recv.is_async, "redis.asyncio.Redis annotation is async");
  EXPECT_SITE(c, "p.incr(k)", OBJ_PIPELINE);
  cs = site_nth(c, "r.get(k)", 1);
  CHECK(cs == NULL, "r: dict is not a client");
  ctx_free(c);
  end_test();
}

/* Evidence beyond plain annotations: isinstance assertions, string
 * annotations with generics inside Union (fastapi-cache, jumpserver). */
static void test_narrowing(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "from typing import Union\n"
                     "from redis.asyncio.client import Redis\n"
                     "from redis.asyncio.cluster import RedisCluster\n"
                     "def get_client():\n"
                     "    client = cache.client.get_client()\n"
                     "    assert isinstance(client, redis.Redis)\n"
                     "    client.get('a')\n"
                     "    return client\n"
                     "def other(x):\n"
                     "    assert isinstance(x, dict)\n"
                     "    x.get('b')\n"
                     "class Backend:\n"
                     "    def __init__(self, redis: Union[\"Redis[bytes]\", \"RedisCluster[bytes]\"]):\n"
                     "        self.redis = redis\n"
                     "    async def f(self, k):\n"
                     "        await self.redis.get(k)\n"
                     "def use():\n"
                     "    get_client().set('c', 1)\n");
  EXPECT_SITE(c, "client.get('a')", OBJ_CLIENT);
  CHECK(site(c, "x.get('b')") == NULL, "isinstance(x, dict) is not a client");
  const CallSite *cs = site(c, "self.redis.get(k)");
  CHECK(cs && cs->recv.kind == OBJ_CLIENT && cs->recv.is_async, "Union of string generics");
  EXPECT_SITE(c, "get_client().set('c', 1)", OBJ_CLIENT);
  ctx_free(c);
  end_test();
}

static void test_factories(void **state) {
  (void)state;
  Ctx *c = ctx_build("from functools import lru_cache\n"
                     "import redis\n"
                     "from redis import Redis\n"
                     "def get_redis():\n"
                     "    return Redis(host='h')\n"
                     "get_redis().get('k')\n"
                     "x = get_redis()\n"
                     "x.get('k2')\n"
                     "@lru_cache(maxsize=None)\n"
                     "def client():\n"
                     "    return redis.Redis()\n"
                     "client().get('k3')\n"
                     "@lru_cache\n"
                     "def client2() -> redis.Redis:\n"
                     "    return redis.Redis()\n"
                     "client2().get('k4')\n"
                     "def not_a_factory():\n"
                     "    return {}\n"
                     "not_a_factory().get('k5')\n");
  EXPECT_SITE(c, "get_redis().get('k')", OBJ_CLIENT);
  EXPECT_SITE(c, "x.get('k2')", OBJ_CLIENT);
  EXPECT_SITE(c, "client().get('k3')", OBJ_CLIENT);
  EXPECT_SITE(c, "client2().get('k4')", OBJ_CLIENT);
  EXPECT_NO_SITE(c, "not_a_factory().get('k5')");
  Value v = eval(c, "get_redis");
  CHECK(v.kind == OBJ_CLIENT_FACTORY && v.makes == OBJ_CLIENT, "get_redis is a factory, got %s",
        kind_name(v.kind));
  ctx_free(c);
  end_test();
}

static void test_lazy_global(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "_c = None\n"
                     "def get_client():\n"
                     "    global _c\n"
                     "    if _c is None:\n"
                     "        _c = redis.Redis()\n"
                     "    return _c\n"
                     "def use(k):\n"
                     "    get_client().get(k)\n"
                     "    _c.get(k)\n");
  EXPECT_SITE(c, "get_client().get(k)", OBJ_CLIENT);
  EXPECT_SITE(c, "_c.get(k)", OBJ_CLIENT);
  ctx_free(c);
  end_test();
}

static void test_property(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "class S:\n"
                     "    def __init__(self):\n"
                     "        self._r = redis.Redis()\n"
                     "    @property\n"
                     "    def client(self):\n"
                     "        return self._r\n"
                     "    def load(self, k):\n"
                     "        return self.client.get(k)\n");
  EXPECT_SITE(c, "self.client.get(k)", OBJ_CLIENT);
  Value v = eval(c, "self._r");
  CHECK(v.kind == OBJ_CLIENT, "self._r in the property is a client, got %s", kind_name(v.kind));
  ctx_free(c);
  end_test();
}

static void test_client_or_pipeline(void **state) {
  (void)state;
  Ctx *c = ctx_build("from typing import Optional\n"
                     "import redis\n"
                     "from redis.client import Pipeline\n"
                     "class Repo:\n"
                     "    def __init__(self):\n"
                     "        self.redis = redis.Redis()\n"
                     "    def save(self, k, pipe: Optional[Pipeline] = None):\n"
                     "        conn = pipe or self.redis\n"
                     "        conn.set(k, 1)\n"
                     "    def save2(self, k):\n"
                     "        p = self.redis.pipeline()\n"
                     "        conn = p if k else self.redis\n"
                     "        conn.set(k, 2)\n");
  EXPECT_SITE(c, "conn.set(k, 1)", OBJ_CLIENT_OR_PIPELINE);
  EXPECT_SITE(c, "conn.set(k, 2)", OBJ_CLIENT_OR_PIPELINE);
  const CallSite *cs = site(c, "conn.set(k, 1)");
  CHECK(cs && value_is_clientish(cs->recv) && !value_is_pipeline(cs->recv),
        "client-or-pipeline: clientish, not surely a pipeline");
  ctx_free(c);
  end_test();
}

static void test_more_bindings(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "import redis.asyncio\n"
                     "from redis import Redis as R\n"
                     "a = b = redis.Redis()\n"
                     "a.get('a')\n"
                     "b.get('b')\n"
                     "alias = a\n"
                     "alias.get('alias')\n"
                     "x, y = redis.Redis(), 1\n"
                     "x.get('tuple')\n"
                     "s, *t = redis.Redis(), 1, 2\n"
                     "s.get('starred')\n"
                     "R().get('R')\n"
                     "def init():\n"
                     "    global G\n"
                     "    G = redis.Redis()\n"
                     "def use():\n"
                     "    G.get('G')\n"
                     "    import redis as rr\n"
                     "    rr.Redis().get('local import')\n"
                     "class C:\n"
                     "    @staticmethod\n"
                     "    def make():\n"
                     "        return redis.Redis()\n"
                     "C.make().get('static')\n"
                     "async def main():\n"
                     "    async with redis.asyncio.Redis() as ar:\n"
                     "        await ar.get('async with')\n"
                     "pool = redis.ConnectionPool(max_connections=10)\n"
                     "pool.get_connection('x')\n"
                     "viapool = redis.Redis(connection_pool=pool)\n"
                     "viapool.get('pool')\n");
  EXPECT_SITE(c, "a.get('a')", OBJ_CLIENT);
  EXPECT_SITE(c, "b.get('b')", OBJ_CLIENT);
  EXPECT_SITE(c, "alias.get('alias')", OBJ_CLIENT);
  EXPECT_SITE(c, "x.get('tuple')", OBJ_CLIENT); /* one value per name */
  EXPECT_NO_SITE(c, "s.get('starred')"); /* a starred target: opaque */
  EXPECT_SITE(c, "R().get('R')", OBJ_CLIENT);
  EXPECT_SITE(c, "G.get('G')", OBJ_CLIENT);
  EXPECT_SITE(c, "rr.Redis().get('local import')", OBJ_CLIENT);
  EXPECT_SITE(c, "C.make().get('static')", OBJ_CLIENT);
  const CallSite *cs = site(c, "ar.get('async with')");
  CHECK(cs && cs->recv.kind == OBJ_CLIENT && cs->recv.is_async && cs->awaited, "async with");
  EXPECT_NO_SITE(c, "pool.get_connection('x')");
  Value v = recv_eval(c, "pool.get_connection('x')");
  CHECK(v.kind == OBJ_POOL, "ConnectionPool instance, got %s", kind_name(v.kind));
  EXPECT_SITE(c, "viapool.get('pool')", OBJ_CLIENT);
  ctx_free(c);
  end_test();
}

/* An annotation on an assignment is evidence like a parameter's, whatever
 * the value expression is; a bare annotated class attribute too. */
static void test_annotated_assignments(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "from redis import Redis\n"
                     "r: Redis = make_client()\n"
                     "r.get('module')\n"
                     "class S:\n"
                     "    client: redis.Redis\n"
                     "    def __init__(self, cfg):\n"
                     "        self.other: Redis = build(cfg)\n"
                     "    def f(self, k):\n"
                     "        self.client.get(k)\n"
                     "        self.other.get(k)\n"
                     "def g(r: Redis = default_client()):\n"
                     "    r.get('param')\n");
  EXPECT_SITE(c, "self.client.get(k)", OBJ_CLIENT);
  EXPECT_SITE(c, "r.get('module')", OBJ_CLIENT);
  EXPECT_SITE(c, "self.other.get(k)", OBJ_CLIENT);
  EXPECT_SITE(c, "r.get('param')", OBJ_CLIENT);
  ctx_free(c);
  end_test();
}

/* `try: import redis / except ImportError: redis = None` is a common
 * optional-dependency idiom; None is neutral when merging bindings, so
 * redis is still the module. */
static void test_optional_import(void **state) {
  (void)state;
  Ctx *c = ctx_build("try:\n"
                     "    import redis\n"
                     "except ImportError:\n"
                     "    redis = None\n"
                     "r = redis.Redis()\n"
                     "r.get('k')\n");
  EXPECT_SITE(c, "r.get('k')", OBJ_CLIENT);
  ctx_free(c);
  end_test();
}

static void test_relative_imports(void **state) {
  (void)state;
  ProjectIndex *ix = index_new();
  Export ex[] = {{"client", val(OBJ_CLIENT), NULL}};
  index_set_exports(ix, "app.core.ext", ex, 1);
  static const char B[] = "from ..core.ext import client\n"
                          "from ..core import ext\n"
                          "from .. import core\n"
                          "client.get('a')\n"
                          "ext.client.get('b')\n"
                          "core.ext.client.get('c')\n";
  Ctx *c = ctx_build_ex(B, strlen(B), "app/web/views.py", "app.web.views", ix);
  EXPECT_SITE(c, "client.get('a')", OBJ_CLIENT);
  EXPECT_SITE(c, "ext.client.get('b')", OBJ_CLIENT);
  EXPECT_SITE(c, "core.ext.client.get('c')", OBJ_CLIENT);
  ctx_free(c);
  index_delete(ix);
  end_test();
}

/* A facade class of the project over a client: its instances are clients
 * known from use (inferred), never constructions; a class forwarding to an
 * attribute that is not a Redis client is no facade. */
static void test_facade_class(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "class Facade:\n"
                     "    def __init__(self, client: redis.Redis):\n"
                     "        self.client = client\n"
                     "    def get(self, name):\n"
                     "        return self.client.get('t:' + name)\n"
                     "    def hset(self, name, key, value):\n"
                     "        return self.client.hset('t:' + name, key, value)\n"
                     "    def zadd(self, name, mapping):\n"
                     "        return self.client.zadd('t:' + name, mapping)\n"
                     "class Other:\n"
                     "    def __init__(self, make):\n"
                     "        self.client = make()\n"
                     "    def get(self, name):\n"
                     "        return self.client.get(name)\n"
                     "    def hset(self, name, key, value):\n"
                     "        return self.client.hset(name, key, value)\n"
                     "    def zadd(self, name, mapping):\n"
                     "        return self.client.zadd(name, mapping)\n"
                     "f = Facade(redis.Redis(socket_timeout=5))\n"
                     "f.hset('u', 'a', 1)\n"
                     "o = Other(object)\n"
                     "o.get('u')\n");
  const CallSite *cs = site(c, "f.hset('u', 'a', 1)");
  CHECK(cs && cs->recv.kind == OBJ_CLIENT && cs->recv.inferred && cs->cmd,
        "a facade's instance is an inferred client and hset a command");
  CHECK(cs && !cs->recv.ctor_end, "a facade is not a construction");
  EXPECT_NO_SITE(c, "o.get('u')");
  CHECK(model_nctors(c->m) == 1, "one construction (the inner Redis), got %zu", model_nctors(c->m));
  ctx_free(c);
  end_test();
}

/* SQLAlchemy's session.expire(obj, ["attr"]) is no evidence of a Redis
 * client; expire(key, seconds) on the same kind of receiver is. */
static void test_infer_expire_shape(void **state) {
  (void)state;
  Ctx *c = ctx_build("def touch(session, obj):\n"
                     "    session.get(obj)\n"
                     "    session.expire(obj, ['owner'])\n"
                     "    session.expire(obj, attribute_names=['a'])\n"
                     "def keep(conn, key):\n"
                     "    conn.get(key)\n"
                     "    conn.expire(key, 60)\n");
  EXPECT_NO_SITE(c, "session.get(obj)");
  EXPECT_NO_SITE(c, "session.expire(obj, ['owner'])");
  EXPECT_NO_SITE(c, "session.expire(obj, attribute_names=['a'])");
  const CallSite *cs = site(c, "conn.expire(key, 60)");
  CHECK(cs && cs->recv.inferred, "expire(key, 60) infers a client");
  CHECK(site(c, "conn.get(key)") != NULL, "and its get() is a command");
  ctx_free(c);
  end_test();
}

/* ======================================================================= */
/* Look-alikes that are not clients                                         */
/* ======================================================================= */

static void test_negatives(void **state) {
  (void)state;
  Ctx *c = ctx_build("import queue\n"
                     "import threading\n"
                     "import redis\n"
                     "from django.core.cache import cache\n"
                     "d = {}\n"
                     "d.get('k')\n"
                     "cache.set('k', 1)\n"
                     "cache.get('k')\n"
                     "def f(r, k):\n"
                     "    r.get(k)\n"
                     "q = queue.Queue()\n"
                     "q.get()\n"
                     "queue.Queue().get()\n"
                     "ev = threading.Event()\n"
                     "ev.set()\n"
                     "redis.get('k')\n"
                     "redis.Redis.get('k')\n");
  EXPECT_NO_SITE(c, "d.get('k')");
  EXPECT_NO_SITE(c, "cache.set('k', 1)");
  EXPECT_NO_SITE(c, "cache.get('k')");
  EXPECT_NO_SITE(c, "r.get(k)");
  EXPECT_NO_SITE(c, "q.get()");
  EXPECT_NO_SITE(c, "queue.Queue().get()");
  EXPECT_NO_SITE(c, "ev.set()");
  EXPECT_NO_SITE(c, "redis.get('k')");
  EXPECT_NO_SITE(c, "redis.Redis.get('k')");
  CHECK(model_ncalls(c->m) == 0, "no call sites at all, got %zu", model_ncalls(c->m));
  Value v = recv_eval(c, "d.get('k')");
  CHECK(v.kind == OBJ_OTHER, "a dict is proven not a client, got %s", kind_name(v.kind));
  ctx_free(c);
  end_test();
}

static void test_conflicting_bindings(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "r = redis.Redis()\n"
                     "r = {}\n"
                     "r.get('k')\n"
                     "def f(x):\n"
                     "    if x:\n"
                     "        c = redis.Redis()\n"
                     "    else:\n"
                     "        c = dict()\n"
                     "    c.get('a')\n"
                     "def g(x):\n"
                     "    c = redis.Redis() if x else {}\n"
                     "    c.get('b')\n");
  EXPECT_NO_SITE(c, "r.get('k')");
  EXPECT_NO_SITE(c, "c.get('a')");
  EXPECT_NO_SITE(c, "c.get('b')");
  Value v = recv_eval(c, "r.get('k')");
  CHECK(v.kind == OBJ_UNKNOWN, "conflicting bindings evaluate to unknown, got %s",
        kind_name(v.kind));
  ctx_free(c);
  end_test();
}

static void test_shadowing_scopes(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "r = redis.Redis()\n"
                     "f = lambda r: r.get('lam')\n"
                     "vals = [x.get('comp') for x in items]\n"
                     "r.get('real')\n");
  EXPECT_NO_SITE(c, "r.get('lam')");
  EXPECT_NO_SITE(c, "x.get('comp')");
  EXPECT_SITE(c, "r.get('real')", OBJ_CLIENT);
  ctx_free(c);
  end_test();
}

/* Python 3: a comprehension's variable is local to the comprehension; it does
 * not rebind the same name outside it. */
static void test_comprehension_variable_does_not_leak(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "r = redis.Redis()\n"
                     "names = [r for r in range(3)]\n"
                     "r.get('module')\n"
                     "def f(items):\n"
                     "    c = redis.Redis()\n"
                     "    n = [c.upper() for c in items]\n"
                     "    c.get('func')\n");
  EXPECT_NO_SITE(c, "c.upper()");
  EXPECT_SITE(c, "r.get('module')", OBJ_CLIENT);
  EXPECT_SITE(c, "c.get('func')", OBJ_CLIENT);
  ctx_free(c);
  end_test();
}

/* ======================================================================= */
/* decode_responses                                                         */
/* ======================================================================= */

static void test_decode_responses(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "def f(flag, **kw):\n"
                     "    a = redis.Redis(decode_responses=True)\n"
                     "    b = redis.Redis(decode_responses=False)\n"
                     "    c = redis.Redis()\n"
                     "    d = redis.Redis(**kw)\n"
                     "    e = redis.Redis(decode_responses=flag)\n"
                     "    u = redis.from_url('redis://h:6379/0?decode_responses=True')\n"
                     "    v = redis.from_url('redis://h:6379/0')\n"
                     "    w = redis.from_url(flag)\n"
                     "    p = redis.Redis(connection_pool=redis.ConnectionPool())\n"
                     "    a.get('a')\n"
                     "    b.get('b')\n"
                     "    c.get('c')\n"
                     "    d.get('d')\n"
                     "    e.get('e')\n"
                     "    u.get('u')\n"
                     "    v.get('v')\n"
                     "    w.get('w')\n"
                     "    p.get('p')\n");
  struct {
    const char *call;
    int decode;
  } want[] = {{"a.get('a')", TRI_TRUE},     {"b.get('b')", TRI_FALSE},
              {"c.get('c')", TRI_FALSE},    {"d.get('d')", TRI_UNKNOWN},
              {"e.get('e')", TRI_UNKNOWN},  {"u.get('u')", TRI_TRUE},
              {"v.get('v')", TRI_FALSE},    {"w.get('w')", TRI_UNKNOWN},
              {"p.get('p')", TRI_UNKNOWN}};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const CallSite *cs = site(c, want[i].call);
    CHECK(cs != NULL, "%s is a call site", want[i].call);
    if (cs)
      CHECK(cs->recv.decode == want[i].decode, "%s: decode %d, expected %d", want[i].call,
            cs->recv.decode, want[i].decode);
  }
  ctx_free(c);
  end_test();
}

/* ======================================================================= */
/* Loops and async context                                                  */
/* ======================================================================= */

static void test_loops(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "def f(keys, r: redis.Redis):\n"
                     "    for k in r.smembers('s'):\n"
                     "        r.get(k)\n"
                     "    while True:\n"
                     "        r.ping()\n"
                     "    [r.exists(k) for k in keys]\n"
                     "    {k: r.ttl(k) for k in r.keys('x*')}\n"
                     "    for a in keys:\n"
                     "        for b in r.lrange(a, 0, -1):\n"
                     "            r.set(a, b)\n"
                     "    r.type('after')\n");
  const CallSite *cs = site(c, "r.smembers('s')");
  CHECK(cs && cs->loop == -1, "call in a for's iterable is not in that loop (loop %d)",
        cs ? cs->loop : -9);
  cs = site(c, "r.get(k)");
  CHECK(cs && cs->loop >= 0, "r.get in a for body");
  if (cs && cs->loop >= 0) {
    const Loop *l = model_loop(c->m, cs->loop);
    EXPECT_STR(loop_type(c, cs->loop), "for_statement", "loop kind");
    EXPECT_STR(node_str(c, l->iterable), "r.smembers('s')", "iterable");
    EXPECT_STR(node_str(c, l->target), "k", "target");
    CHECK(l->parent == -1, "outermost loop");
    EXPECT_STR(func_name(c, l->func), "f", "loop function");
  }
  cs = site(c, "r.ping()");
  CHECK(cs && cs->loop >= 0, "r.ping in a while body");
  if (cs && cs->loop >= 0) {
    EXPECT_STR(loop_type(c, cs->loop), "while_statement", "loop kind");
    CHECK(ts_node_is_null(model_loop(c->m, cs->loop)->iterable), "while has no iterable");
  }
  cs = site(c, "r.exists(k)");
  CHECK(cs && cs->loop >= 0, "call in a list comprehension");
  if (cs && cs->loop >= 0) {
    EXPECT_STR(loop_type(c, cs->loop), "list_comprehension", "loop kind");
    EXPECT_STR(node_str(c, model_loop(c->m, cs->loop)->iterable), "keys", "iterable");
  }
  cs = site(c, "r.ttl(k)");
  CHECK(cs && cs->loop >= 0, "call in a dict comprehension");
  if (cs && cs->loop >= 0) EXPECT_STR(loop_type(c, cs->loop), "dictionary_comprehension", "kind");
  cs = site(c, "r.keys('x*')");
  CHECK(cs && cs->loop == -1, "call in a comprehension's iterable is outside it");
  cs = site(c, "r.lrange(a, 0, -1)");
  CHECK(cs && cs->loop >= 0, "iterable of an inner for is in the outer for");
  if (cs && cs->loop >= 0) {
    const Loop *l = model_loop(c->m, cs->loop);
    EXPECT_STR(node_str(c, l->target), "a", "outer loop target");
    CHECK(l->parent == -1, "outer loop is outermost");
  }
  cs = site(c, "r.set(a, b)");
  CHECK(cs && cs->loop >= 0, "nested loop body");
  if (cs && cs->loop >= 0) {
    const Loop *l = model_loop(c->m, cs->loop);
    EXPECT_STR(node_str(c, l->target), "b", "inner loop target");
    CHECK(l->parent >= 0 && strcmp(node_str(c, model_loop(c->m, l->parent)->target), "a") == 0,
          "inner loop's parent is the outer loop");
  }
  cs = site(c, "r.type('after')");
  CHECK(cs && cs->loop == -1, "after the loops");
  ctx_free(c);
  end_test();
}

static void test_async_context(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis.asyncio as aioredis\n"
                     "import redis\n"
                     "ar = aioredis.Redis()\n"
                     "sr = redis.Redis()\n"
                     "async def f(k):\n"
                     "    await ar.get(k)\n"
                     "    sr.get(k)\n"
                     "    x = [await ar.exists(j) for j in k]\n"
                     "    def inner():\n"
                     "        sr.ttl(k)\n"
                     "def g(k):\n"
                     "    sr.strlen(k)\n");
  const CallSite *cs = site(c, "ar.get(k)");
  CHECK(cs && cs->in_async && cs->awaited && cs->recv.is_async, "awaited async call");
  cs = site(c, "sr.get(k)");
  CHECK(cs && cs->in_async && !cs->awaited && !cs->recv.is_async,
        "sync client called in async def");
  cs = site(c, "ar.exists(j)");
  CHECK(cs && cs->awaited && cs->loop >= 0, "awaited inside a comprehension");
  cs = site(c, "sr.ttl(k)");
  CHECK(cs && !cs->in_async, "a sync def nested in an async def is not async");
  if (cs) EXPECT_STR(func_name(c, cs->func), "inner", "function");
  cs = site(c, "sr.strlen(k)");
  CHECK(cs && !cs->in_async && !cs->awaited, "sync def");
  ctx_free(c);
  end_test();
}

/* ======================================================================= */
/* Key templates                                                            */
/* ======================================================================= */

static void test_key_templates(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "r = redis.Redis()\n"
                     "PREFIX = 'user'\n"
                     "NS = 'a'\n"
                     "NS = 'b'\n"
                     "def user_key(uid):\n"
                     "    return f'user:{uid}'\n"
                     "def f(uid, x, a, b, k):\n"
                     "    r.get(f'user:{uid}:name')\n"
                     "    r.get('user:%s:name' % uid)\n"
                     "    r.get('user:{}:name'.format(uid))\n"
                     "    r.get('user:' + uid + ':name')\n"
                     "    r.get(f'{PREFIX}:{uid}')\n"
                     "    key = f'order:{uid}:items'\n"
                     "    r.get(key)\n"
                     "    r.get(user_key(uid))\n"
                     "    r.get(':'.join(['a', x]))\n"
                     "    r.get(k)\n"
                     "    r.get('plain')\n"
                     "    r.get('pair:%s:%s' % (a, b))\n"
                     "    r.get(f'{{user:{uid}}}:cart')\n"
                     "    r.get(f'{NS}:x')\n"
                     "    r.get('user:{id}:name'.format(id=uid))\n"
                     "    r.get(name=f'kw:{uid}')\n"
                     "    r.get(\"dq:\" \"concat\")\n");
  struct {
    const char *call, *key;
    int nholes;
    bool opaque;
  } want[] = {
      {"r.get(f'user:{uid}:name')", "user:{}:name", 1, false},
      {"r.get('user:%s:name' % uid)", "user:{}:name", 1, false},
      {"r.get('user:{}:name'.format(uid))", "user:{}:name", 1, false},
      {"r.get('user:' + uid + ':name')", "user:{}:name", 1, false},
      {"r.get(f'{PREFIX}:{uid}')", "user:{}", 1, false},
      {"r.get(key)", "order:{}:items", 1, false},
      {"r.get(user_key(uid))", "user:{}", 1, false},
      {"r.get(':'.join(['a', x]))", "a:{}", 1, false},
      {"r.get(k)", "{}", 1, true},
      {"r.get('plain')", "plain", 0, false},
      {"r.get('pair:%s:%s' % (a, b))", "pair:{}:{}", 2, false},
      {"r.get(f'{NS}:x')", "{}:x", 1, false}, /* NS assigned twice: not a constant */
      {"r.get('user:{id}:name'.format(id=uid))", "user:{}:name", 1, false},
      {"r.get(name=f'kw:{uid}')", "kw:{}", 1, false},
      {"r.get(\"dq:\" \"concat\")", "dq:concat", 0, false},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const CallSite *cs = site(c, want[i].call);
    CHECK(cs != NULL, "%s is a call site", want[i].call);
    if (!cs) continue;
    EXPECT_STR(key_disp(c, cs), want[i].key, want[i].call);
    CHECK(cs->key.nholes == want[i].nholes, "%s: %u holes, expected %d", want[i].call,
          cs->key.nholes, want[i].nholes);
    CHECK(cs->key.opaque == want[i].opaque, "%s: opaque %d", want[i].call, cs->key.opaque);
  }
  /* hole expressions point at the code */
  const CallSite *cs = site(c, "r.get(f'user:{uid}:name')");
  if (cs && cs->key.nholes == 1) EXPECT_STR(node_str(c, cs->key.holes[0]), "uid", "hole");
  cs = site(c, "r.get('pair:%s:%s' % (a, b))");
  if (cs && cs->key.nholes == 2) {
    EXPECT_STR(node_str(c, cs->key.holes[0]), "a", "hole 0");
    EXPECT_STR(node_str(c, cs->key.holes[1]), "b", "hole 1");
  }
  /* model_key on any expression */
  EXPECT_STR(key_of(c, "f'user:{uid}'"), "user:{}", "model_key on the helper's f-string");
  ctx_free(c);
  end_test();
}

/* A name reassigned from itself: `key = key + ":name"` reads the previous
 * value of key, not the assignment being made. */
static void test_key_template_self_reassignment(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "r = redis.Redis()\n"
                     "def f(uid):\n"
                     "    key = 'user:' + uid\n"
                     "    key = key + ':name'\n"
                     "    r.get(key)\n");
  const CallSite *cs = site(c, "r.get(key)");
  CHECK(cs != NULL, "call site");
  if (cs) EXPECT_STR(key_disp(c, cs), "user:{}:name", "key built in two steps");
  ctx_free(c);
  end_test();
}

/* Literal text around escapes (`\t`, `{{`) stays in the template, escapes
 * decoded (the key Redis sees): in this grammar such string_content nodes
 * have named children (escape_sequence, escape_interpolation) that do not
 * cover the plain text between them. */
static void test_escapes_in_strings(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "r = redis.Redis()\n"
                     "def f(uid, k):\n"
                     "    r.set(k, 'abc\\ndef')\n"
                     "    r.set(k, f'{{{uid}}}')\n"
                     "    r.get('a\\tb')\n"
                     "    r.get(f'user:\\t{uid}:name')\n"
                     "    r.get(f'{{tag:{uid}}}:cart')\n");
  const CallSite *cs = site(c, "r.get('a\\tb')");
  CHECK(cs != NULL, "call site");
  if (cs) EXPECT_STR(key_disp(c, cs), "a\tb", "plain string with an escape (decoded)");
  cs = site(c, "r.get(f'user:\\t{uid}:name')");
  if (cs) EXPECT_STR(key_disp(c, cs), "user:\t{}:name", "f-string with an escape (decoded)");
  cs = site(c, "r.get(f'{{tag:{uid}}}:cart')");
  if (cs) {
    EXPECT_STR(key_disp(c, cs), "{tag:{}}:cart", "f-string hash tag with {{ }}");
    CHECK(!cs->key.opaque, "hash-tagged key is not opaque");
  }
  ValueFact v = vf_of(c, "'abc\\ndef'");
  CHECK(v.size == 7 && v.min_size == 7, "'abc\\ndef' is 7 bytes: size %lld min %lld",
        (long long)v.size, (long long)v.min_size);
  v = vf_of(c, "f'{{{uid}}}'");
  CHECK(v.min_size == 2, "f'{{{uid}}}' has 2 literal bytes: min %lld", (long long)v.min_size);
  ctx_free(c);
  end_test();
}

/* ======================================================================= */
/* Value facts                                                              */
/* ======================================================================= */

static void test_value_facts_literals(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "r = redis.Redis()\n"
                     "def f(k, user_id, uid, pk, u):\n"
                     "    r.set(k, 'x' * 100)\n"
                     "    r.set(k, 100 * 'y')\n"
                     "    r.set(k, '0123456789012345678901234567890123456789012345678901234567890123456789')\n"
                     "    r.set(k, b'abc')\n"
                     "    r.set(k, 42)\n"
                     "    r.set(k, {'a': 1, 'b': 'x'})\n"
                     "    r.set(k, user_id)\n"
                     "    r.set(k, uid)\n"
                     "    r.set(k, pk)\n"
                     "    r.set(k, u.id)\n"
                     "    r.set(k, str(user_id))\n"
                     "    r.set(k, f'v:{uid}')\n"
                     "    r.set(k, True)\n"

                     "    r.set(k, None)\n");
  ValueFact v = vf_of(c, "'x' * 100");
  CHECK(v.size == 100 && (v.flags & VF_STR), "'x' * 100: size %lld flags %#x",
        (long long)v.size, v.flags);
  v = vf_of(c, "100 * 'y'");
  CHECK(v.size == 100, "100 * 'y': size %lld", (long long)v.size);
  v = vf_of(c, "'0123456789012345678901234567890123456789012345678901234567890123456789'");
  CHECK(v.size == 70 && v.min_size == 70 && (v.flags & VF_STR), "70-char literal: %lld",
        (long long)v.size);
  v = vf_of(c, "b'abc'");
  CHECK(v.size == 3 && (v.flags & VF_BYTES) && !(v.flags & VF_STR), "bytes literal: %lld %#x",
        (long long)v.size, v.flags);
  v = vf_of(c, "42");
  CHECK((v.flags & VF_NUMBER) && (v.flags & VF_INTLIKE), "int literal %#x", v.flags);
  v = vf_of(c, "{'a': 1, 'b': 'x'}");
  CHECK((v.flags & VF_SMALL_LITERAL) && v.count == 2, "small dict: %#x count %u", v.flags,
        v.count);
  const char *idlike[] = {"r.set(k, user_id)", "r.set(k, uid)", "r.set(k, pk)",
                          "r.set(k, u.id)"};
  for (size_t i = 0; i < sizeof idlike / sizeof idlike[0]; i++) {
    const CallSite *cs = site(c, idlike[i]);
    CHECK(cs != NULL, "%s", idlike[i]);
    if (cs) {
      ValueFact f = model_value(c->m, call_arg(cs->args, 1));
      CHECK(f.flags & VF_INTLIKE, "%s: value is id-like (flags %#x)", idlike[i], f.flags);
    }
  }
  v = vf_of(c, "str(user_id)");
  CHECK((v.flags & VF_STR) && (v.flags & VF_INTLIKE), "str(user_id): %#x", v.flags);
  v = vf_of(c, "f'v:{uid}'");
  CHECK((v.flags & VF_STR) && v.size == -1 && v.min_size == 2, "f-string: size %lld min %lld",
        (long long)v.size, (long long)v.min_size);
  CHECK(vf_of(c, "True").flags & VF_BOOL, "True");
  CHECK(vf_of(c, "None").flags & VF_NONE, "None");
  ctx_free(c);
  end_test();
}

static void test_value_facts_producers(void **state) {
  (void)state;
  Ctx *c = ctx_build("import json, pickle, zlib\n"
                     "import redis\n"
                     "r = redis.Redis()\n"
                     "def f(k, orders, obj, path):\n"
                     "    r.set(k, json.dumps([o.to_dict() for o in orders]))\n"
                     "    r.set(k, json.dumps(obj))\n"
                     "    r.set(k, pickle.dumps(obj))\n"
                     "    r.set(k, zlib.compress(b'data'))\n"
                     "    with open(path) as fh:\n"
                     "        r.set(k, fh.read())\n"
                     "    r.set(k, json.dumps({'a': 1}))\n"
                     "    r.set(k, json.dumps(Order.objects.all()))\n"
                     "def g(k, x):\n"
                     "    data = json.dumps(x)\n"
                     "    data = zlib.compress(data.encode())\n"
                     "    r.set(k, data)\n"
                     "def h(k, x):\n"
                     "    payload = json.dumps(x)\n"
                     "    r.set(k, payload)\n");
  ValueFact v = vf_of(c, "json.dumps([o.to_dict() for o in orders])");
  CHECK((v.flags & VF_SERIALIZED) && (v.flags & VF_COLLECTION) && (v.flags & VF_STR),
        "json.dumps(list comp): %#x", v.flags);
  CHECK(v.what && strstr(v.what, "json.dumps"), "what: %s", v.what ? v.what : "(null)");
  v = vf_of(c, "json.dumps(obj)");
  CHECK((v.flags & VF_SERIALIZED) && (v.flags & VF_ENTITY) && !(v.flags & VF_COLLECTION),
        "json.dumps(obj): %#x", v.flags);
  v = vf_of(c, "pickle.dumps(obj)");
  CHECK((v.flags & VF_SERIALIZED) && (v.flags & VF_BINARY) && (v.flags & VF_BYTES),
        "pickle.dumps: %#x", v.flags);
  v = vf_of(c, "zlib.compress(b'data')");
  CHECK((v.flags & VF_COMPRESSED) && (v.flags & VF_BINARY), "zlib.compress: %#x", v.flags);
  v = vf_of(c, "fh.read()");
  CHECK(v.flags & VF_BULK, "f.read(): %#x", v.flags);
  v = vf_of(c, "json.dumps({'a': 1})");
  CHECK((v.flags & VF_SERIALIZED) && (v.flags & VF_SMALL_LITERAL), "json.dumps(small dict): %#x",
        v.flags);
  v = vf_of(c, "json.dumps(Order.objects.all())");
  CHECK((v.flags & VF_SERIALIZED) && (v.flags & VF_COLLECTION), "json.dumps(.all()): %#x",
        v.flags);
  const CallSite *cs = site(c, "r.set(k, data)");
  CHECK(cs != NULL, "r.set(k, data)");
  if (cs) {
    v = model_value(c->m, call_arg(cs->args, 1));
    CHECK(v.flags & VF_COMPRESSED, "compression on the def-use path: %#x", v.flags);
  }
  cs = site(c, "r.set(k, payload)");
  if (cs) {
    v = model_value(c->m, call_arg(cs->args, 1));
    CHECK((v.flags & VF_SERIALIZED) && (v.flags & VF_ENTITY), "def-use: %#x", v.flags);
    EXPECT_STR(node_str(c, v.origin), "json.dumps(x)", "origin after def-use");
  }
  ctx_free(c);
  end_test();
}

/* `data = data.encode()` reads the earlier value of data (def-use through a
 * self-referencing reassignment). */
static void test_value_fact_self_reassignment(void **state) {
  (void)state;
  Ctx *c = ctx_build("import json\n"
                     "import redis\n"
                     "r = redis.Redis()\n"
                     "def f(k, x):\n"
                     "    data = json.dumps(x)\n"
                     "    data = data.encode()\n"
                     "    r.set(k, data)\n");
  const CallSite *cs = site(c, "r.set(k, data)");
  CHECK(cs != NULL, "call site");
  if (cs) {
    ValueFact v = model_value(c->m, call_arg(cs->args, 1));
    CHECK((v.flags & VF_SERIALIZED) && (v.flags & VF_BYTES),
          "json.dumps(x).encode() through a reassignment: flags %#x", v.flags);
  }
  ctx_free(c);
  end_test();
}

/* ======================================================================= */
/* Project index                                                            */
/* ======================================================================= */

static void test_index_lookup(void **state) {
  (void)state;
  ProjectIndex *ix = index_new();
  Value client = val(OBJ_CLIENT);
  client.ctor_start = 10;
  client.ctor_end = 20;
  Export ex[] = {{"redis_client", client, NULL}, {"get_redis", val(OBJ_CLIENT_FACTORY), NULL}};
  ex[1].value.makes = OBJ_CLIENT;
  CHECK(index_set_exports(ix, "src.app.ext", ex, 2), "new module: changed");
  CHECK(!index_set_exports(ix, "src.app.ext", ex, 2), "same exports: unchanged");
  CHECK(!index_set_exports(ix, "empty.mod", NULL, 0), "new module without exports: unchanged");
  CHECK(index_nmodules(ix) == 1, "1 module, got %zu", index_nmodules(ix));
  Value v;
  memset(&v, 0, sizeof v);
  CHECK(index_lookup(ix, "src.app.ext.redis_client", &v) && v.kind == OBJ_CLIENT, "exact");
  CHECK(v.ctor_start == 0 && v.ctor_end == 0, "constructor location dropped across files");
  CHECK(index_lookup(ix, "app.ext.redis_client", &v) && v.kind == OBJ_CLIENT, "suffix app.ext");
  CHECK(index_lookup(ix, "ext.get_redis", &v) && v.kind == OBJ_CLIENT_FACTORY, "suffix ext");
  CHECK(!index_lookup(ix, "pp.ext.redis_client", &v), "suffix must start at a dot");
  CHECK(!index_lookup(ix, "app.ext.missing", &v), "missing name");
  CHECK(!index_lookup(ix, "redis_client", &v), "no module part");
  CHECK(!index_lookup(ix, "other.redis_client", &v), "other module");
  CHECK(!index_lookup(NULL, "app.ext.redis_client", &v), "NULL index");
  /* a second module with the same suffix makes the suffix ambiguous */
  CHECK(index_set_exports(ix, "lib.app.ext", ex, 1), "second module");
  CHECK(!index_lookup(ix, "app.ext.redis_client", &v), "ambiguous suffix resolves to nothing");
  CHECK(index_lookup(ix, "src.app.ext.redis_client", &v), "full name still resolves");
  CHECK(index_lookup(ix, "lib.app.ext.redis_client", &v), "full name of the other");
  /* replacing exports */
  Export changed[] = {{"redis_client", val(OBJ_TRANSACTION), NULL}};
  CHECK(index_set_exports(ix, "lib.app.ext", changed, 1), "changed exports");
  CHECK(index_lookup(ix, "lib.app.ext.redis_client", &v) && v.kind == OBJ_TRANSACTION,
        "replaced");
  CHECK(index_set_exports(ix, "lib.app.ext", NULL, 0), "exports removed: changed");
  CHECK(!index_lookup(ix, "lib.app.ext.redis_client", &v), "removed");
  CHECK(index_nmodules(ix) == 2, "2 modules, got %zu", index_nmodules(ix));
  index_delete(ix);
  index_delete(NULL);
  end_test();
}

/* An exact module match wins over suffix matches, whatever the order in
 * which modules entered the index (index.h: "exactly or as a dotted suffix"). */
static void test_index_exact_beats_ambiguous_suffix(void **state) {
  (void)state;
  Export sfx[] = {{"redis_client", val(OBJ_CLIENT), NULL}};
  Export exact[] = {{"redis_client", val(OBJ_PIPELINE), NULL}};
  for (int order = 0; order < 2; order++) {
    ProjectIndex *ix = index_new();
    if (order == 1) index_set_exports(ix, "app.ext", exact, 1);
    index_set_exports(ix, "src.app.ext", sfx, 1);
    index_set_exports(ix, "lib.app.ext", sfx, 1);
    if (order == 0) index_set_exports(ix, "app.ext", exact, 1);
    Value v = val(OBJ_UNKNOWN);
    CHECK(index_lookup(ix, "app.ext.redis_client", &v) && v.kind == OBJ_PIPELINE,
          "exact module app.ext wins (added %s the suffix matches): got %s",
          order ? "before" : "after", kind_name(v.kind));
    index_delete(ix);
  }
  end_test();
}

static void test_module_name_for_path(void **state) {
  (void)state;
  struct {
    const char *path, *module;
  } cases[] = {
      {"src/app/ext.py", "src.app.ext"}, {"app/__init__.py", "app"},
      {"./x.py", "x"},                   {"pkg/mod.pyi", "pkg.mod"},
      {"__init__.py", ""},               {"a/b/c/__init__.pyi", "a.b.c"},
      {"./././y.py", "y"},               {"plain.py", "plain"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *m = module_name_for_path(cases[i].path);
    EXPECT_STR(m, cases[i].module, cases[i].path);
    free(m);
  }
  end_test();
}

static const char FILE_A[] = "import redis\n"
                             "redis_client = redis.Redis(decode_responses=True)\n"
                             "def get_redis():\n"
                             "    return redis.Redis()\n"
                             "CONFIG = {'a': 1}\n"
                             "Client = redis.Redis\n";

static const char FILE_B[] = "from app.ext import redis_client, get_redis\n"
                             "from . import ext\n"
                             "from .ext import redis_client as rc\n"
                             "import app.ext\n"
                             "def view(k):\n"
                             "    redis_client.get(k)\n"
                             "    ext.redis_client.get(k)\n"
                             "    rc.get(k)\n"
                             "    get_redis().get(k)\n"
                             "    app.ext.redis_client.get(k)\n"
                             "    ext.CONFIG.get(k)\n";

static void test_two_files(void **state) {
  (void)state;
  Ctx *a = ctx_build_ex(FILE_A, strlen(FILE_A), "app/ext.py", "app.ext", NULL);
  size_t n = model_nexports(a->m);
  bool has_client = false, has_factory = false, has_config = false, has_class = false;
  for (size_t i = 0; i < n; i++) {
    const Export *e = model_export(a->m, i);
    if (!strcmp(e->name, "redis_client")) has_client = e->value.kind == OBJ_CLIENT;
    if (!strcmp(e->name, "get_redis")) has_factory = e->value.kind == OBJ_CLIENT_FACTORY;
    if (!strcmp(e->name, "CONFIG")) has_config = true;
    if (!strcmp(e->name, "Client")) has_class = e->value.kind == OBJ_CLIENT_CLASS;
  }
  CHECK(has_client, "exports redis_client as a client");
  CHECK(has_factory, "exports get_redis as a factory");
  CHECK(has_class, "exports Client as a client class");
  CHECK(!has_config, "does not export a plain dict");
  ProjectIndex *ix = index_new();
  Export *ex = calloc(n + 1, sizeof(Export));
  for (size_t i = 0; i < n; i++) ex[i] = *model_export(a->m, i);
  CHECK(index_set_exports(ix, "app.ext", ex, n), "index takes the exports");
  free(ex);
  ctx_free(a); /* the index owns copies: file A's model may go */

  /* without the index: nothing is known */
  Ctx *b = ctx_build_ex(FILE_B, strlen(FILE_B), "app/views.py", "app.views", NULL);
  CHECK(model_ncalls(b->m) == 0, "without index: no call sites, got %zu", model_ncalls(b->m));
  ctx_free(b);

  b = ctx_build_ex(FILE_B, strlen(FILE_B), "app/views.py", "app.views", ix);
  EXPECT_SITE(b, "redis_client.get(k)", OBJ_CLIENT);
  EXPECT_SITE(b, "ext.redis_client.get(k)", OBJ_CLIENT);
  EXPECT_SITE(b, "rc.get(k)", OBJ_CLIENT);
  EXPECT_SITE(b, "get_redis().get(k)", OBJ_CLIENT);
  EXPECT_SITE(b, "app.ext.redis_client.get(k)", OBJ_CLIENT);
  EXPECT_NO_SITE(b, "ext.CONFIG.get(k)");
  const CallSite *cs = site(b, "redis_client.get(k)");
  CHECK(cs && cs->recv.decode == TRI_TRUE, "decode travels through the index");
  CHECK(cs && cs->recv.ctor_start == 0 && cs->recv.ctor_end == 0,
        "no constructor location from another file");
  ctx_free(b);

  /* the importing file is a package __init__: `from . import ext` is app.ext */
  static const char INIT[] = "from . import ext\next.redis_client.get('k')\n";
  b = ctx_build_ex(INIT, strlen(INIT), "app/__init__.py", "app", ix);
  EXPECT_SITE(b, "ext.redis_client.get('k')", OBJ_CLIENT);
  ctx_free(b);

  /* suffix matching: the project root is above src/ */
  ProjectIndex *ix2 = index_new();
  a = ctx_build_ex(FILE_A, strlen(FILE_A), "src/app/ext.py", "src.app.ext", NULL);
  n = model_nexports(a->m);
  ex = calloc(n + 1, sizeof(Export));
  for (size_t i = 0; i < n; i++) ex[i] = *model_export(a->m, i);
  index_set_exports(ix2, "src.app.ext", ex, n);
  free(ex);
  ctx_free(a);
  static const char C[] = "from app.ext import redis_client\nredis_client.get('k')\n";
  b = ctx_build_ex(C, strlen(C), "src/app/c.py", "src.app.c", ix2);
  EXPECT_SITE(b, "redis_client.get('k')", OBJ_CLIENT);
  ctx_free(b);
  index_delete(ix2);
  index_delete(ix);
  end_test();
}

/* ======================================================================= */
/* Robustness                                                               */
/* ======================================================================= */

static char *repeat(const char *s, size_t n) {
  size_t l = strlen(s);
  char *o = xmalloc(l * n + 1);
  for (size_t i = 0; i < n; i++) memcpy(o + i * l, s, l);
  o[l * n] = '\0';
  return o;
}

static void test_deep_nesting(void **state) {
  (void)state;
  enum { PARENS = 5000, IFS = 500, DEFS = 120 }; /* 2 * DEFS <= 255 columns */
  /* 5000 nested parentheses, as a value, a key and a for target */
  char *open = repeat("(", PARENS), *close = repeat(")", PARENS);
  char *lists_o = repeat("[", PARENS), *lists_c = repeat("]", PARENS);
  size_t cap = 16 * PARENS + 4096;
  char *code = xmalloc(cap);
  int len = snprintf(code, cap,
                     "import redis\n"
                     "r = redis.Redis()\n"
                     "x = %s1%s\n"
                     "r.set(%s'k'%s, %s'v' * 100%s)\n"
                     "r.set('l', %s%s)\n"
                     "for %sy%s in z:\n"
                     "    r.get(y)\n",
                     open, close, open, close, open, close, lists_o, lists_c, open, close);
  assert_true(len > 0 && (size_t)len < cap);
  Ctx *c = ctx_build_ex(code, (size_t)len, "deep.py", "deep", NULL);
  CHECK(model_ncalls(c->m) == 3, "deep parens: 3 call sites, got %zu", model_ncalls(c->m));
  for (size_t i = 0; i < model_ncalls(c->m); i++) {
    const CallSite *cs = model_call(c->m, i);
    (void)keytpl_display(c->arena, &cs->key);
    (void)model_value(c->m, call_arg(cs->args, 1));
    (void)model_eval(c->m, call_arg(cs->args, 0));
  }
  ctx_free(c);
  free(code);

  /* Nested if blocks, one space of indentation each. The grammar's scanner
   * stores indentation widths in a byte, so blocks past column 255 do not
   * parse (ERROR nodes): 500 levels must only be survived; 250 levels must
   * be modelled. */
  const int depths[] = {IFS, 250};
  for (int d = 0; d < 2; d++) {
    int nifs = depths[d];
    size_t icap = (size_t)nifs * ((size_t)nifs + 16) + 4096;
    code = xmalloc(icap);
    size_t o = (size_t)snprintf(code, icap, "import redis\nr = redis.Redis()\ndef f(x):\n");
    for (int i = 0; i < nifs; i++) {
      memset(code + o, ' ', (size_t)i + 1);
      o += (size_t)i + 1;
      o += (size_t)snprintf(code + o, icap - o, "if x:\n");
    }
    memset(code + o, ' ', (size_t)nifs + 1);
    o += (size_t)nifs + 1;
    o += (size_t)snprintf(code + o, icap - o, "r.get('deep')\n");
    c = ctx_build_ex(code, o, "ifs.py", "ifs", NULL);
    if (nifs <= 250) {
      const CallSite *cs = site(c, "r.get('deep')");
      CHECK(!ts_node_has_error(ts_tree_root_node(c->tree)), "%d ifs parse cleanly", nifs);
      CHECK(cs && cs->recv.kind == OBJ_CLIENT && cs->func >= 0, "call under %d ifs", nifs);
    }
    ctx_free(c);
    free(code);
  }

  /* 120 nested functions */
  size_t dcap = (size_t)DEFS * (2 * DEFS + 32) + 4096;
  code = xmalloc(dcap);
  size_t o = (size_t)snprintf(code, dcap, "import redis\nr = redis.Redis()\n");
  for (int i = 0; i < DEFS; i++) {
    memset(code + o, ' ', (size_t)i * 2);
    o += (size_t)i * 2;
    o += (size_t)snprintf(code + o, dcap - o, "def f%d():\n", i);
  }
  memset(code + o, ' ', DEFS * 2);
  o += DEFS * 2;
  o += (size_t)snprintf(code + o, dcap - o, "r.get('inner')\n");
  c = ctx_build_ex(code, o, "defs.py", "defs", NULL);
  const CallSite *cs = site(c, "r.get('inner')");
  CHECK(cs && cs->recv.kind == OBJ_CLIENT, "call in the innermost of 200 functions");
  if (cs) EXPECT_STR(func_name(c, cs->func), "f119", "innermost function");
  CHECK(model_nfunctions(c->m) == DEFS, "%zu functions", model_nfunctions(c->m));
  ctx_free(c);
  free(code);
  free(open);
  free(close);
  free(lists_o);
  free(lists_c);
  end_test();
}

/* Broken code still builds a model. */
static void test_syntax_errors(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "r = redis.Redis()\n"
                     "r.get('before')\n"
                     "def broken(:\n"
                     "    pass\n"
                     "class (\n");
  CHECK(ts_node_has_error(ts_tree_root_node(c->tree)), "the snippet has errors");
  EXPECT_SITE(c, "r.get('before')", OBJ_CLIENT);
  ctx_free(c);
  c = ctx_build("");
  CHECK(model_ncalls(c->m) == 0 && model_nexports(c->m) == 0, "empty file");
  ctx_free(c);
  end_test();
}

/* ---- timeout helpers of the rules (rules/rule_util.h) ------------------- */

/* client_socket_timeout / blocking_timeout, shared by RL403 and RL404. */
static void test_timeout_helpers(void **state) {
  (void)state;
  Ctx *c = ctx_build("import redis\n"
                     "from redis.sentinel import Sentinel\n"
                     "T = 7\n"
                     "plain = redis.Redis()\n"
                     "lit = redis.Redis(socket_timeout=2.5)\n"
                     "const = redis.Redis(socket_timeout=T)\n"
                     "none = redis.Redis(socket_timeout=None)\n"
                     "splat = redis.Redis(**{'host': 'x'})\n"
                     "url = redis.Redis.from_url('redis://h/0?socket_timeout=3')\n"
                     "pool = redis.ConnectionPool(host='h', socket_timeout=4)\n"
                     "pooled = redis.Redis(connection_pool=pool)\n"
                     "s = Sentinel([('h', 26379)], socket_timeout=0.5)\n"
                     "m = s.master_for('mymaster')\n"
                     "def f(param):\n"
                     "    plain.blpop('q')\n"
                     "    lit.blpop('q', 30)\n"
                     "    const.brpop('q', timeout=5 * 60)\n"
                     "    none.blpop('q', timeout=None)\n"
                     "    splat.xread({'s': '$'}, block=1500)\n"
                     "    url.xread({'s': '$'})\n"
                     "    pooled.xreadgroup('g', 'c', {'s': '>'}, block=None)\n"
                     "    m.blmove('a', 'b', 2)\n"
                     "    param.blpop('q')\n"
                     "    plain.brpoplpush('a', 'b', T)\n"
                     "    plain.blpop(*keys)\n"
                     "    plain.get('k')\n");
  Options opt;
  options_defaults(&opt);
  PyVer unknown = {PYV_UNKNOWN, NULL, 0}, v8 = {PYV_8_OR_LATER, "test", 0};
  Vec findings;
  vec_init(&findings, sizeof(Finding));
  RuleCtx ctx = {.model = c->m, .src = &c->src, .opt = &opt, .arena = c->arena,
                 .findings = &findings, .pyver = &unknown};
  struct {
    const char *call;
    bool sock_known;
    double sock, sock8; /* -1: unknown */
    bool block_known;
    double block;
  } cases[] = {
      {"plain.blpop('q')", false, -1, 5, true, 0},
      {"lit.blpop('q', 30)", true, 2.5, 2.5, true, 30},
      {"const.brpop('q', timeout=5 * 60)", true, 7, 7, true, 300},
      {"none.blpop('q', timeout=None)", false, -1, -1, true, 0},
      {"splat.xread({'s': '$'}, block=1500)", false, -1, -1, true, 1.5},
      {"url.xread({'s': '$'})", true, 3, 3, false, 0},
      {"pooled.xreadgroup('g', 'c', {'s': '>'}, block=None)", true, 4, 4, false, 0},
      {"m.blmove('a', 'b', 2)", true, 0.5, 0.5, true, 2},
      {"plain.brpoplpush('a', 'b', T)", false, -1, 5, true, 7},
      {"plain.blpop(*keys)", false, -1, 5, false, 0},
      {"plain.get('k')", false, -1, 5, false, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const CallSite *cs = site(c, cases[i].call);
    CHECK(cs, "no call site: %s", cases[i].call);
    if (!cs) continue;
    double secs = -1, blk = -1;
    TSNode ctor = {0}, arg = {0};
    ctx.pyver = &unknown;
    bool known = client_socket_timeout(&ctx, cs, &secs, &ctor);
    CHECK(known == (cases[i].sock >= 0) && (!known || secs == cases[i].sock),
          "%s: socket timeout %d %g", cases[i].call, known, secs);
    CHECK(!known || !ts_node_is_null(ctor), "%s: no construction", cases[i].call);
    ctx.pyver = &v8;
    secs = -1;
    known = client_socket_timeout(&ctx, cs, &secs, NULL);
    CHECK(known == (cases[i].sock8 >= 0) && (!known || secs == cases[i].sock8),
          "%s: socket timeout with redis-py 8: %d %g", cases[i].call, known, secs);
    known = blocking_timeout(&ctx, cs, &blk, &arg);
    CHECK(known == cases[i].block_known && (!known || blk == cases[i].block),
          "%s: blocking timeout %d %g", cases[i].call, known, blk);
  }
  const CallSite *ps = site(c, "param.blpop('q')");
  CHECK(ps && ps->recv.inferred, "an unannotated parameter is only inferred a client (BLPOP)");
  if (ps) {
    double secs = -1;
    ctx.pyver = &v8;
    CHECK(!client_socket_timeout(&ctx, ps, &secs, NULL),
          "an inferred client's socket timeout is unknown, even with redis-py 8");
  }
  CHECK(text_names_lock("lock:report") && text_names_lock("REPORT_LOCK") &&
            text_names_lock("acquireLock") && text_names_lock("leader-election") &&
            text_names_lock("locks:{}") && !text_names_lock("blocklist:x") &&
            !text_names_lock("clock") && !text_names_lock("unlock") &&
            !text_names_lock("lockout:user"),
        "text_names_lock");
  vec_free(&findings);
  ctx_free(c);
  end_test();
}

#define T(fn) cmocka_unit_test_setup(fn, reset_failures)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_import_redis),
      T(test_import_alias),
      T(test_from_import),
      T(test_asyncio_clients),
      T(test_cluster),
      T(test_sentinel),
      T(test_from_url_classmethod),
      T(test_async_from_url),
      T(test_project_subclass),
      T(test_django_redis),
      T(test_module_and_local_names),
      T(test_instance_attribute),
      T(test_class_attribute),
      T(test_with_client_and_pipelines),
      T(test_annotations),
      T(test_factories),
      T(test_lazy_global),
      T(test_property),
      T(test_client_or_pipeline),
      T(test_more_bindings),
      T(test_annotated_assignments),
      T(test_narrowing),
      T(test_optional_import),
      T(test_relative_imports),
      T(test_negatives),
      T(test_infer_expire_shape),
      T(test_facade_class),
      T(test_conflicting_bindings),
      T(test_shadowing_scopes),
      T(test_comprehension_variable_does_not_leak),
      T(test_decode_responses),
      T(test_loops),
      T(test_async_context),
      T(test_key_templates),
      T(test_key_template_self_reassignment),
      T(test_escapes_in_strings),
      T(test_value_facts_literals),
      T(test_value_facts_producers),
      T(test_value_fact_self_reassignment),
      T(test_index_lookup),
      T(test_index_exact_beats_ambiguous_suffix),
      T(test_module_name_for_path),
      T(test_two_files),
      T(test_deep_nesting),
      T(test_syntax_errors),
      T(test_timeout_helpers),
  };
  char msg[256];
  if (model_init(msg, sizeof msg) != 0) {
    fprintf(stderr, "%s\n", msg);
    return 1;
  }
  return cmocka_run_group_tests(tests, NULL, NULL);
}
