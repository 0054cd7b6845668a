/* test_pyver.c - which redis-py a project pins (src/pyver.h): version
 * specifiers classified against 8.0, and the dependency files found for a
 * linted file in temporary directory trees (the nearest directory decides,
 * lock files win, a repository root stops the search, other distributions
 * whose names contain "redis" are not redis). */
#define _XOPEN_SOURCE 700 /* nftw */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pyver.h"

/* ---- specifiers ---------------------------------------------------------- */

static void expect_class(const char *spec, PyVerClass want) {
  PyVerClass got = pyver_classify(spec);
  if (got != want) fail_msg("pyver_classify(\"%s\") = %d, expected %d", spec, got, want);
}

static void test_classify_pins(void **state) {
  (void)state;
  expect_class("==4.6.0", PYV_BEFORE_8);
  expect_class("===4.6.0", PYV_BEFORE_8);
  expect_class("==8.0.1", PYV_8_OR_LATER);
  expect_class("8.0.1", PYV_8_OR_LATER); /* a lock file's version */
  expect_class("4.6.0", PYV_BEFORE_8);
  expect_class("7.999.999", PYV_BEFORE_8);
  expect_class("8.0.0b1", PYV_8_OR_LATER);
  expect_class("==8.*", PYV_8_OR_LATER);
  expect_class("==7.*", PYV_BEFORE_8);
  expect_class("==4.6.*", PYV_BEFORE_8);
  expect_class(" == 5.0.8 ", PYV_BEFORE_8);
  expect_class("v5.0.1", PYV_BEFORE_8);
}

/* The upper bound of a pin: what an old redis-py cannot do yet (hset(mapping=)
 * arrived in 3.5). */
static void test_upper_bound(void **state) {
  (void)state;
  PyVer v = {PYV_BEFORE_8, "setup.py: redis==2.10.6", pyver_upper("==2.10.6")};
  assert_true(pyver_before(&v, 3, 5));
  v.below = pyver_upper(">=3.0,<3.5");
  assert_true(pyver_before(&v, 3, 5));
  v.below = pyver_upper("<=3.5.0");
  assert_false(pyver_before(&v, 3, 5));
  v.below = pyver_upper(">=3.5");
  assert_int_equal(v.below, 0);
  assert_false(pyver_before(&v, 3, 5));
  v.below = pyver_upper("^4.5 || ^5.0"); /* alternatives: no single bound */
  assert_false(pyver_before(&v, 3, 5));
  PyVer o;
  assert_int_equal(pyver_parse_override("3.4.1", &o), 0);
  assert_true(pyver_before(&o, 3, 5));
  assert_int_equal(pyver_parse_override("3.5", &o), 0);
  assert_false(pyver_before(&o, 3, 5));
}

static void test_classify_ranges(void **state) {
  (void)state;
  expect_class(">=4.5,<6", PYV_BEFORE_8);
  expect_class(">= 4.5, < 6", PYV_BEFORE_8);
  expect_class("<8.0", PYV_BEFORE_8);
  expect_class("<8", PYV_BEFORE_8);
  expect_class("<=7.4.0", PYV_BEFORE_8);
  expect_class("<=8.0", PYV_UNKNOWN); /* 8.0 itself is allowed */
  expect_class(">=8", PYV_8_OR_LATER);
  expect_class(">=8.0.0", PYV_8_OR_LATER);
  expect_class(">7.99", PYV_UNKNOWN);  /* 7.99.1 is allowed */
  expect_class(">7", PYV_UNKNOWN);     /* 7.0.1 is allowed */
  expect_class(">=4.5", PYV_UNKNOWN);  /* 4.5 to the newest */
  expect_class(">=7,<9", PYV_UNKNOWN); /* spans 8.0 */
  expect_class(">=8,<9", PYV_8_OR_LATER);
  expect_class("<6,>=4.5", PYV_BEFORE_8); /* clause order does not matter */
}

static void test_classify_compatible(void **state) {
  (void)state;
  expect_class("~=8.0", PYV_8_OR_LATER);   /* >=8.0, ==8.* */
  expect_class("~=8.0.0", PYV_8_OR_LATER); /* >=8.0.0, ==8.0.* */
  expect_class("~=7.4", PYV_BEFORE_8);     /* >=7.4, ==7.* */
  expect_class("~=7.4.0", PYV_BEFORE_8);
  expect_class("^5.0", PYV_BEFORE_8); /* poetry: >=5.0,<6 */
  expect_class("^7.4", PYV_BEFORE_8);
  expect_class("^8.0", PYV_8_OR_LATER);
  expect_class("^0.4", PYV_BEFORE_8);
  expect_class("~4.5", PYV_BEFORE_8); /* poetry: >=4.5,<4.6 */
  expect_class("~7", PYV_BEFORE_8);   /* poetry: >=7,<8 */
  expect_class("~8", PYV_8_OR_LATER);
}

static void test_classify_unknown(void **state) {
  (void)state;
  expect_class("", PYV_UNKNOWN);
  expect_class("*", PYV_UNKNOWN);
  expect_class("  ", PYV_UNKNOWN);
  expect_class("!=5.0.2", PYV_UNKNOWN);
  expect_class("!=5.0.2,<6", PYV_BEFORE_8);
  expect_class(">=8.0,!=8.0.1", PYV_8_OR_LATER);
  expect_class("latest", PYV_UNKNOWN);
  /* poetry alternatives: every one must agree */
  expect_class("^4.5 || ^5.0", PYV_BEFORE_8);
  expect_class("^4.5 || ^8.0", PYV_UNKNOWN);
  expect_class("^8.0 || ^9.0", PYV_8_OR_LATER);
  expect_class("^8.0 || ^9.0", PYV_8_OR_LATER);
}

static void test_override(void **state) {
  (void)state;
  PyVer v = {PYV_UNKNOWN, NULL, 0};
  assert_int_equal(pyver_parse_override("8", &v), 0);
  assert_int_equal(v.cls, PYV_8_OR_LATER);
  assert_int_equal(pyver_parse_override("8.0.1", &v), 0);
  assert_int_equal(v.cls, PYV_8_OR_LATER);
  assert_int_equal(pyver_parse_override("7.4.0", &v), 0);
  assert_int_equal(v.cls, PYV_BEFORE_8);
  assert_int_equal(pyver_parse_override("4.6", &v), 0);
  assert_int_equal(v.cls, PYV_BEFORE_8);
  assert_int_equal(pyver_parse_override("abc", &v), -1);
  assert_int_equal(pyver_parse_override("", &v), -1);
  assert_int_equal(pyver_parse_override("8.0rc1", &v), -1);
  assert_int_equal(pyver_parse_override(">=8", &v), -1);
}

/* ---- directory trees ------------------------------------------------------ */

static char g_root[PATH_MAX];

/* Writes `text` to root/rel, creating the directories on the way. */
static void put(const char *rel, const char *text) {
  char path[PATH_MAX * 2];
  snprintf(path, sizeof path, "%s/%s", g_root, rel);
  for (char *p = path + strlen(g_root) + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      if (mkdir(path, 0755) && errno != EEXIST) fail_msg("mkdir %s: %s", path, strerror(errno));
      *p = '/';
    }
  size_t n = strlen(path);
  if (path[n - 1] == '/') return; /* a directory */
  FILE *f = fopen(path, "w");
  if (!f) fail_msg("cannot write %s", path);
  fputs(text, f);
  fclose(f);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

/* Every test gets a fresh tree with a .git at its top, so the search never
 * leaves it. */
static int tree_setup(void **state) {
  (void)state;
  const char *tmp = getenv("TMPDIR");
  snprintf(g_root, sizeof g_root, "%s/rl-pyver-XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
  if (!mkdtemp(g_root)) return -1;
  char real[PATH_MAX];
  if (!realpath(g_root, real)) return -1;
  snprintf(g_root, sizeof g_root, "%s", real);
  put(".git/", "");
  return 0;
}

static int tree_teardown(void **state) {
  (void)state;
  return nftw(g_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The verdict for root/rel (a .py file, created empty if missing). */
static PyVer verdict(const char *rel) {
  static char source[PATH_MAX * 2];
  char path[PATH_MAX * 2];
  snprintf(path, sizeof path, "%s/%s", g_root, rel);
  if (access(path, F_OK)) put(rel, "");
  PyVerCache *c = pyver_cache_new();
  PyVer v = pyver_for_file(c, path);
  if (v.source) {
    snprintf(source, sizeof source, "%s", v.source);
    v.source = source;
  }
  pyver_cache_free(c);
  return v;
}

/* The source without the absolute directory: "sub/requirements.txt: redis==4.6.0". */
static const char *rel_source(PyVer v) {
  if (!v.source) return "(none)";
  /* sources are relative to the working directory ("../../tmp/rl-pyver-X/a/
   * requirements.txt" from the build tree): cut through the tree's own name */
  const char *base = strrchr(g_root, '/');
  base = base ? base + 1 : g_root;
  const char *at = strstr(v.source, base);
  if (at && at[strlen(base)] == '/') return at + strlen(base) + 1;
  return v.source;
}

/* A source never names a directory of the machine: no absolute paths. */
static void test_source_is_relative(void **state) {
  (void)state;
  put("requirements.txt", "redis==4.6.0\n");
  PyVer v = verdict("app.py");
  assert_non_null(v.source);
  assert_true(v.source[0] != '/');
}

#define EXPECT(rel, cls_, src_)                                                  \
  do {                                                                           \
    PyVer v_ = verdict(rel);                                                     \
    if (v_.cls != (cls_) || strcmp(rel_source(v_), (src_)))                      \
      fail_msg("%s: class %d from \"%s\", expected %d from \"%s\"", (rel), v_.cls, \
               rel_source(v_), (cls_), (src_));                                  \
  } while (0)

static void test_requirements_txt(void **state) {
  (void)state;
  put("requirements.txt", "# web\nflask==3.0.0\n-r base.txt\n--hash=sha256:00\nredis==4.6.0 ; "
                          "python_version >= \"3.8\"  # pinned for the old cluster\n");
  EXPECT("app/views.py", PYV_BEFORE_8, "requirements.txt: redis==4.6.0");
  EXPECT("app.py", PYV_BEFORE_8, "requirements.txt: redis==4.6.0");
}

static void test_requirements_dir(void **state) {
  (void)state;
  put("requirements/base.txt", "celery[redis]>=5.3\nRedis[hiredis] >=4.5, <6\n");
  put("requirements/dev.txt", "-r base.txt\npytest\n");
  EXPECT("shop/tasks.py", PYV_BEFORE_8, "requirements/base.txt: redis>=4.5, <6");
}

static void test_requirements_variants(void **state) {
  (void)state;
  put("a/requirements-prod.txt", "redis~=8.0\n");
  put("b/requirements.in", "redis<8\n");
  put("c/requirements.txt", "redis (>=3.5, <4.0)\n");
  put("d/requirements.txt", "redis @ https://example.com/redis-5.0.0.tar.gz\n");
  EXPECT("a/x.py", PYV_8_OR_LATER, "a/requirements-prod.txt: redis~=8.0");
  EXPECT("b/x.py", PYV_BEFORE_8, "b/requirements.in: redis<8");
  EXPECT("c/x.py", PYV_BEFORE_8, "c/requirements.txt: redis>=3.5, <4.0");
  EXPECT("d/x.py", PYV_UNKNOWN, "(none)"); /* a URL: no version to read */
}

static void test_unpinned(void **state) {
  (void)state;
  put("requirements.txt", "redis==4.6.0\n");
  put("svc/requirements.txt", "redis\n");
  /* the nearest mention decides, even without a version: the search stops */
  EXPECT("svc/app.py", PYV_UNKNOWN, "svc/requirements.txt: redis (no version)");
}

static void test_pyproject_pep621(void **state) {
  (void)state;
  put("pyproject.toml",
      "[project]\n"
      "name = \"shop\"\n"
      "description = \"Redis cache and queues for the shop\"\n"
      "keywords = [\"redis\", \"cache\"]\n"
      "dependencies = [\n"
      "  \"django>=4.2\",\n"
      "  \"django-redis>=5.4\",\n"
      "  \"redis[hiredis]>=8.0\",\n"
      "]\n"
      "\n"
      "[tool.shop]\n"
      "redis = \"redis://localhost:6379/0\"\n");
  EXPECT("src/shop/cache.py", PYV_8_OR_LATER, "pyproject.toml: redis>=8.0");
}

static void test_pyproject_optional(void **state) {
  (void)state;
  put("pyproject.toml", "[project]\nname = \"jobs\"\ndependencies = [\"click\"]\n\n"
                        "[project.optional-dependencies]\nredis = [\"redis>=4.5,<5\"]\n");
  EXPECT("jobs/queue.py", PYV_BEFORE_8, "pyproject.toml: redis>=4.5,<5");
}

static void test_pyproject_poetry(void **state) {
  (void)state;
  put("pyproject.toml", "[tool.poetry.dependencies]\npython = \"^3.11\"\n"
                        "redis = { extras = [\"hiredis\"], version = \"^5.0\" }\n");
  put("b/pyproject.toml", "[tool.poetry.dependencies]\nredis = \"^8.0\"\n");
  EXPECT("api/app.py", PYV_BEFORE_8, "pyproject.toml: redis^5.0");
  EXPECT("b/app.py", PYV_8_OR_LATER, "b/pyproject.toml: redis^8.0");
}

/* Only the tables that say what gets installed give the pin: a requirement
 * string in any other table (a linter's stub pin, a tool's setting) does not,
 * nor does one in a comment or in a multi-line string. */
static void test_pyproject_other_tables(void **state) {
  (void)state;
  put("a/pyproject.toml", "[project]\nname = \"worker\"\ndynamic = [\"dependencies\"]\n\n"
                          "[tool.lint-python]\nsource = \"worker/\"\n"
                          "extra-requirements = \"redis>=8 botocore-stubs\"\n");
  put("a/requirements.txt", "redis<5\n");
  put("b/pyproject.toml", "[tool.lint-python]\nextra-requirements = \"redis<5.0.0 botocore-stubs\"\n"
                          "[tool.mypy]\nplugins = [\"redis>=8\"]\n"
                          "[project]\ndescription = \"\"\"\nredis>=8\n[tool.poetry.dependencies]\n"
                          "redis = \"^8.0\"\n\"\"\"\n"
                          "# dependencies = [\"redis>=8\"]\n"
                          "dependencies = [\n  \"click\",  # \"redis>=8\" once the cluster moves\n]\n");
  put("c/pyproject.toml", "[tool.something]\nredis = \"^8.0\"\n"
                          "[tool.poetry]\nname = \"x\"\n"
                          "[tool.poetry.group.test.dependencies]\nRedis = { version = \"^5.0\" }\n");
  put("d/pyproject.toml", "[project]\nname = \"d\"\n[dependency-groups]\n"
                          "dev = [\"pytest\", {include-group = \"lint\"}, 'redis==7.4.0']\n");
  put("e/pyproject.toml", "[tool.hatch.envs.default]\ndependencies = [\"redis~=8.0\"]\n");
  put("f/pyproject.toml", "[tool.uv]\ndev-dependencies = [\"redis<6\"]\n");
  put("g/pyproject.toml", "[project]\noptional-dependencies.cache = [\"redis>=8.1\"]\n");
  put("h/pyproject.toml", "[tool.rye]\nmanaged = true\ndev-dependencies = [\"pytest\", \"redis==5.0.3\"]\n");
  /* the tool table is not read: requirements.txt in the same directory decides */
  EXPECT("a/app.py", PYV_BEFORE_8, "a/requirements.txt: redis<5");
  EXPECT("b/app.py", PYV_UNKNOWN, "(none)");
  EXPECT("c/app.py", PYV_BEFORE_8, "c/pyproject.toml: redis^5.0");
  EXPECT("d/app.py", PYV_BEFORE_8, "d/pyproject.toml: redis==7.4.0");
  EXPECT("e/app.py", PYV_8_OR_LATER, "e/pyproject.toml: redis~=8.0");
  EXPECT("f/app.py", PYV_BEFORE_8, "f/pyproject.toml: redis<6");
  EXPECT("g/app.py", PYV_8_OR_LATER, "g/pyproject.toml: redis>=8.1");
  EXPECT("h/app.py", PYV_BEFORE_8, "h/pyproject.toml: redis==5.0.3");
}

static void test_setup_cfg_py(void **state) {
  (void)state;
  put("a/setup.cfg", "[metadata]\nname = worker\n\n[options]\ninstall_requires =\n"
                     "    requests\n    redis>=4.2,<5\n");
  put("b/setup.cfg", "[options]\ninstall_requires = click\n\n"
                     "[options.extras_require]\nredis = redis>=3.5,<4\n");
  put("c/setup.py", "from setuptools import setup\n\nsetup(\n    name='cachekit',\n"
                    "    description='Redis helpers',\n"
                    "    install_requires=['redis>=8.0.0', 'hiredis'],\n)\n");
  EXPECT("a/w.py", PYV_BEFORE_8, "a/setup.cfg: redis>=4.2,<5");
  EXPECT("b/w.py", PYV_BEFORE_8, "b/setup.cfg: redis>=3.5,<4");
  EXPECT("c/w.py", PYV_8_OR_LATER, "c/setup.py: redis>=8.0.0");
}

static void test_pipfile(void **state) {
  (void)state;
  put("a/Pipfile", "[packages]\nflask = \"*\"\nredis = \"==4.6.0\"\n");
  put("b/Pipfile", "[packages]\nredis = {version = \">=8\", extras = [\"hiredis\"]}\n");
  EXPECT("a/x.py", PYV_BEFORE_8, "a/Pipfile: redis==4.6.0");
  EXPECT("b/x.py", PYV_8_OR_LATER, "b/Pipfile: redis>=8");
}

static void test_pipfile_lock(void **state) {
  (void)state;
  put("Pipfile", "[packages]\nredis = \"*\"\n");
  put("Pipfile.lock", "{\n  \"_meta\": {\"hash\": {\"sha256\": \"00\"}},\n"
                      "  \"default\": {\n"
                      "    \"hiredis\": {\"version\": \"==2.3.2\"},\n"
                      "    \"redis\": {\"hashes\": [\"sha256:00\"], \"version\": \"==5.0.1\"}\n"
                      "  },\n  \"develop\": {}\n}\n");
  EXPECT("app.py", PYV_BEFORE_8, "Pipfile.lock: redis 5.0.1");
}

static void test_lock_files(void **state) {
  (void)state;
  const char *poetry = "[[package]]\nname = \"hiredis\"\nversion = \"2.3.2\"\n\n"
                       "[[package]]\nname = \"redis\"\nversion = \"4.6.0\"\n"
                       "description = \"Python client for Redis database and key-value store\"\n"
                       "\n[package.dependencies]\nasync-timeout = \">=4.0.2\"\n";
  put("a/pyproject.toml", "[tool.poetry.dependencies]\nredis = \">=4\"\n");
  put("a/poetry.lock", poetry);
  put("b/uv.lock", "version = 1\n\n[[package]]\nname = \"django-redis\"\nversion = \"5.4.0\"\n"
                   "dependencies = [\n    { name = \"redis\" },\n]\n\n"
                   "[[package]]\nname = \"redis\"\nversion = \"8.1.0\"\nsource = { registry = "
                   "\"https://example.com/simple\" }\n");
  put("b/requirements.txt", "redis==4.6.0\n"); /* the lock wins */
  put("c/pdm.lock", "[[package]]\nname = \"redis\"\nversion = \"7.4.0\"\n");
  put("d/poetry.lock", "[[package]]\nname = \"flask\"\nversion = \"3.0.0\"\n");
  put("d/pyproject.toml", "[tool.poetry.dependencies]\nredis = \"^8.0\"\n");
  EXPECT("a/app.py", PYV_BEFORE_8, "a/poetry.lock: redis 4.6.0");
  EXPECT("b/app.py", PYV_8_OR_LATER, "b/uv.lock: redis 8.1.0");
  EXPECT("c/app.py", PYV_BEFORE_8, "c/pdm.lock: redis 7.4.0");
  /* a lock without redis does not decide: the declaration does */
  EXPECT("d/app.py", PYV_8_OR_LATER, "d/pyproject.toml: redis^8.0");
}

static void test_nearest_directory(void **state) {
  (void)state;
  put("requirements.txt", "redis==4.6.0\n");
  put("services/api/pyproject.toml", "[project]\ndependencies = [\"redis>=8.0\"]\n");
  put("services/worker/README.md", "uses redis 8\n");
  EXPECT("services/api/app/views.py", PYV_8_OR_LATER, "services/api/pyproject.toml: redis>=8.0");
  EXPECT("services/api/main.py", PYV_8_OR_LATER, "services/api/pyproject.toml: redis>=8.0");
  EXPECT("services/worker/tasks.py", PYV_BEFORE_8, "requirements.txt: redis==4.6.0");
  EXPECT("manage.py", PYV_BEFORE_8, "requirements.txt: redis==4.6.0");
}

static void test_repository_root_stops(void **state) {
  (void)state;
  put("requirements.txt", "redis==4.6.0\n");
  put("vendor/lib/.git", "gitdir: ../../.git/modules/lib\n"); /* a submodule: .git is a file */
  put("vendor/other/.hg/", "");
  put("vendor/loose/x.txt", "");
  EXPECT("vendor/lib/lib/client.py", PYV_UNKNOWN, "(none)");
  EXPECT("vendor/other/client.py", PYV_UNKNOWN, "(none)");
  EXPECT("vendor/loose/client.py", PYV_BEFORE_8, "requirements.txt: redis==4.6.0");
}

static void test_other_distributions(void **state) {
  (void)state;
  put("requirements.txt", "hiredis==2.3.2\nredis-py-cluster==2.1.3\ndjango-redis==5.4.0\n"
                          "types-redis==4.6.0.20241004\nredis_om==0.3.1\nredis.lock==1.0\n"
                          "fakeredis==2.20\naioredis==2.0.1\n");
  put("pyproject.toml", "[project]\ndependencies = [\"django-redis>=5\", \"hiredis\", "
                        "\"redis-py-cluster\"]\n[tool.poetry.dependencies]\nredis-om = \"^0.3\"\n");
  put("setup.cfg", "[options]\ninstall_requires =\n    redis_lock>=3\n");
  EXPECT("app.py", PYV_UNKNOWN, "(none)");
}

static void test_source_relative_to_cwd(void **state) {
  (void)state;
  put("proj/requirements.txt", "redis==5.0.8\n");
  char old[PATH_MAX];
  assert_non_null(getcwd(old, sizeof old));
  char dir[PATH_MAX * 2];
  snprintf(dir, sizeof dir, "%s/proj", g_root);
  put("proj/app/tasks.py", "");
  put("proj/tasks.py", "");
  put("proj/views.py", "");
  assert_int_equal(chdir(g_root), 0);
  PyVerCache *c = pyver_cache_new();
  PyVer v = pyver_for_file(c, "proj/app/tasks.py");
  assert_int_equal(v.cls, PYV_BEFORE_8);
  assert_string_equal(v.source, "proj/requirements.txt: redis==5.0.8");
  pyver_cache_free(c);
  assert_int_equal(chdir(dir), 0);
  c = pyver_cache_new();
  v = pyver_for_file(c, "tasks.py");
  assert_string_equal(v.source, "requirements.txt: redis==5.0.8");
  /* cached: a second file of the same directory */
  v = pyver_for_file(c, "./views.py");
  assert_string_equal(v.source, "requirements.txt: redis==5.0.8");
  pyver_cache_free(c);
  assert_int_equal(chdir(old), 0);
}

#define TREE_TEST(f) cmocka_unit_test_setup_teardown(f, tree_setup, tree_teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_classify_pins),
      cmocka_unit_test(test_classify_ranges),
      cmocka_unit_test(test_classify_compatible),
      cmocka_unit_test(test_classify_unknown),
      cmocka_unit_test(test_override),
      cmocka_unit_test(test_upper_bound),
      TREE_TEST(test_source_is_relative),
      TREE_TEST(test_requirements_txt),
      TREE_TEST(test_requirements_dir),
      TREE_TEST(test_requirements_variants),
      TREE_TEST(test_unpinned),
      TREE_TEST(test_pyproject_pep621),
      TREE_TEST(test_pyproject_optional),
      TREE_TEST(test_pyproject_poetry),
      TREE_TEST(test_pyproject_other_tables),
      TREE_TEST(test_setup_cfg_py),
      TREE_TEST(test_pipfile),
      TREE_TEST(test_pipfile_lock),
      TREE_TEST(test_lock_files),
      TREE_TEST(test_nearest_directory),
      TREE_TEST(test_repository_root_stops),
      TREE_TEST(test_other_distributions),
      TREE_TEST(test_source_relative_to_cwd),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
