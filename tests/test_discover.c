/* test_discover.c - walking directories into a sorted, unique file list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "discover.h"

#define DEEP 100 /* nesting depth of the d/d/.../x.py chain */

typedef struct Fixture {
  char *root;   /* temp tree, absolute; owned */
  char *oldcwd; /* owned */
} Fixture;

/* ---- temp tree helpers ------------------------------------------------- */

static void touch(const char *path) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("x = 1\n", f);
  assert_int_equal(fclose(f), 0);
}

static void make_dir(const char *path) { assert_int_equal(mkdir(path, 0755), 0); }

static void make_link(const char *target, const char *path) {
  assert_int_equal(symlink(target, path), 0);
}

/* Removes a tree without following symlinks; restores permissions first. */
static void rm_rf(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return;
  if (!S_ISDIR(st.st_mode)) {
    unlink(path);
    return;
  }
  chmod(path, 0700);
  DIR *d = opendir(path);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d))) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      size_t n = strlen(path) + strlen(e->d_name) + 2;
      char *child = xmalloc(n);
      snprintf(child, n, "%s/%s", path, e->d_name);
      rm_rf(child);
      free(child);
    }
    closedir(d);
  }
  rmdir(path);
}

/* The d/d/.../x.py chain, DEEP directories deep. */
static void make_deep_chain(void) {
  char path[DEEP * 2 + 8] = "";
  size_t k = 0;
  for (int i = 0; i < DEEP; i++) {
    memcpy(path + k, i ? "/d" : "d", i ? 3 : 2);
    k += i ? 2 : 1;
    make_dir(path);
  }
  memcpy(path + k, "/x.py", 6);
  touch(path);
}

static void make_tree(void) {
  touch("a.py");
  touch("b.pyi");
  touch("notes.txt");
  make_dir("pkg");
  touch("pkg/__init__.py");
  make_dir("pkg/sub");
  touch("pkg/sub/deep.py");
  touch("pkg/sub/data.txt");
  make_dir("pkg/__pycache__");
  touch("pkg/__pycache__/c.py");
  make_dir(".git");
  make_dir(".git/hooks");
  touch(".git/hooks/hook.py");
  make_dir("venv");
  touch("venv/site.py");
  make_dir("env2"); /* a virtualenv by its pyvenv.cfg, whatever its name */
  touch("env2/pyvenv.cfg");
  make_dir("env2/lib");
  touch("env2/lib/y.py");
  make_dir("node_modules");
  touch("node_modules/m.py");
  make_dir(".mypy_cache");
  touch(".mypy_cache/z.py");
  make_dir("foo.egg-info");
  touch("foo.egg-info/e.py");
  make_dir("loop");
  make_link(".", "loop/self");         /* symlinked dir: never followed */
  make_link("../pkg", "loop/pkg.py");  /* symlink named .py to a dir: skipped */
  make_link("me.py", "loop/me.py");    /* symlink loop */
  make_link("nowhere.py", "loop/dangling.py");
  make_link("../a.py", "loop/link.py"); /* symlink to a regular file: linted */
  make_deep_chain();
}

static int setup(void **state) {
  Fixture *fx = xcalloc(1, sizeof *fx);
  fx->oldcwd = getcwd(NULL, 0);
  const char *base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  size_t n = strlen(base) + sizeof "/rl-discover-XXXXXX";
  fx->root = xmalloc(n);
  snprintf(fx->root, n, "%s/rl-discover-XXXXXX", base);
  if (!fx->oldcwd || !mkdtemp(fx->root) || chdir(fx->root) != 0) return -1;
  make_tree();
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  Fixture *fx = *state;
  int rc = chdir(fx->oldcwd);
  rm_rf(fx->root);
  free(fx->root);
  free(fx->oldcwd);
  free(fx);
  return rc;
}

/* ---- assertions -------------------------------------------------------- */

/* Deep chain path "d/d/.../x.py" with an optional prefix; caller owns. */
static char *deep_path(const char *prefix) {
  size_t n = strlen(prefix) + DEEP * 2 + 8, k = strlen(prefix);
  char *p = xmalloc(n);
  memcpy(p, prefix, k);
  for (int i = 0; i < DEEP; i++, k += 2) memcpy(p + k, "d/", 2);
  memcpy(p + k, "x.py", 5);
  return p;
}

static void expect_list(const FileList *got, const char *const *want, size_t n) {
  for (size_t i = 0; i < got->len && i < n; i++) assert_string_equal(got->paths[i], want[i]);
  assert_int_equal(got->len, n);
}

/* Runs discover on args and expects exactly `want` and no diagnostics. */
static void expect_discover(const char *const *args, size_t nargs, const char *const *want,
                            size_t n) {
  FileList fl = {0};
  Diags d = {0};
  assert_int_equal(discover(args, nargs, &fl, &d), 0);
  assert_int_equal(d.len, 0);
  expect_list(&fl, want, n);
  filelist_free(&fl);
  diags_free(&d);
}

/* ---- tests ------------------------------------------------------------- */

static void test_walk_cwd(void **state) {
  (void)state;
  char *deep = deep_path("");
  const char *want[] = {"a.py", "b.pyi", deep, "loop/link.py", "pkg/__init__.py",
                        "pkg/sub/deep.py"};
  const char *dot[] = {"."}, *dotslash[] = {"./"}, *twice[] = {".", "./", "."};
  expect_discover(dot, 1, want, 6);
  expect_discover(dotslash, 1, want, 6);
  expect_discover(twice, 3, want, 6); /* de-duplicated */
  free(deep);
}

static void test_walk_absolute(void **state) {
  Fixture *fx = *state;
  size_t n = strlen(fx->root) + 32;
  char *slash = xmalloc(n), *pkg = xmalloc(n), *sub = xmalloc(n);
  snprintf(slash, n, "%s/", fx->root);
  snprintf(pkg, n, "%s/pkg/__init__.py", fx->root);
  snprintf(sub, n, "%s/pkg/sub/deep.py", fx->root);
  char *deep = deep_path(slash);
  const char *args[] = {slash};
  FileList fl = {0};
  Diags d = {0};
  assert_int_equal(discover(args, 1, &fl, &d), 0);
  assert_int_equal(fl.len, 6);
  assert_string_equal(fl.paths[2], deep);
  assert_string_equal(fl.paths[4], pkg);
  assert_string_equal(fl.paths[5], sub); /* no "//" after a trailing slash */
  filelist_free(&fl);
  diags_free(&d);
  free(deep);
  free(slash);
  free(pkg);
  free(sub);
}

static void test_explicit_paths(void **state) {
  (void)state;
  const char *args[] = {"pkg/sub/", "notes.txt", "./a.py", "a.py", "-", "pkg",
                        ".//pkg/sub/deep.py", "node_modules", "-", "pkg/sub/data.txt"};
  const char *want[] = {"-", "a.py", "node_modules/m.py", "notes.txt",
                        "pkg/__init__.py", "pkg/sub/data.txt", "pkg/sub/deep.py"};
  expect_discover(args, 10, want, 7);
}

static void test_missing_path(void **state) {
  (void)state;
  const char *args[] = {"a.py", "missing.py", "pkg"};
  const char *want[] = {"a.py", "pkg/__init__.py", "pkg/sub/deep.py"};
  FileList fl = {0};
  Diags d = {0};
  assert_int_equal(discover(args, 3, &fl, &d), -1);
  assert_int_equal(d.len, 1);
  assert_int_equal(d.items[0].level, DIAG_ERROR);
  assert_string_equal(d.items[0].path, "missing.py");
  assert_string_equal(d.items[0].message, "no such file or directory");
  expect_list(&fl, want, 3); /* the rest is still discovered */
  filelist_free(&fl);
  diags_free(&d);
}

static void test_symlink_loop_explicit(void **state) {
  (void)state;
  const char *args[] = {"loop/me.py", "loop/link.py", "loop/self/link.py"};
  const char *want[] = {"loop/link.py", "loop/self/link.py"};
  FileList fl = {0};
  Diags d = {0};
  assert_int_equal(discover(args, 3, &fl, &d), -1);
  assert_int_equal(d.len, 1);
  assert_string_equal(d.items[0].path, "loop/me.py");
  assert_string_equal(d.items[0].message,
                      "cannot access: Too many levels of symbolic links");
  expect_list(&fl, want, 2);
  filelist_free(&fl);
  diags_free(&d);
}

static void test_unreadable_dir(void **state) {
  (void)state;
  make_dir("locked");
  touch("locked/hidden.py");
  assert_int_equal(chmod("locked", 0), 0);
  int readable = access("locked", R_OK | X_OK) == 0;
  const char *args[] = {"pkg", "locked"}, *sub_args[] = {"."};
  FileList fl = {0}, all = {0};
  Diags d = {0}, d2 = {0};
  int rc = discover(args, 2, &fl, &d), rc2 = discover(sub_args, 1, &all, &d2);
  chmod("locked", 0755);
  rm_rf("locked");
  if (readable && geteuid() == 0) {
    filelist_free(&fl), filelist_free(&all), diags_free(&d), diags_free(&d2);
    skip(); /* root bypasses permission checks */
  }
  assert_int_equal(rc, -1);
  assert_int_equal(d.len, 1);
  assert_string_equal(d.items[0].path, "locked");
  assert_string_equal(d.items[0].message, "cannot read directory: Permission denied");
  assert_int_equal(fl.len, 2); /* pkg's files: the walk went on */
  assert_int_equal(rc2, -1);   /* found during a walk: same error */
  assert_int_equal(d2.len, 1);
  assert_string_equal(d2.items[0].path, "locked");
  assert_int_equal(all.len, 6);
  filelist_free(&fl), filelist_free(&all), diags_free(&d), diags_free(&d2);
}

static void test_filelist(void **state) {
  (void)state;
  FileList fl = {0};
  char name[16];
  for (int i = 0; i < 100; i++) {
    snprintf(name, sizeof name, "f%d.py", i);
    filelist_push(&fl, name);
  }
  assert_int_equal(fl.len, 100);
  assert_string_equal(fl.paths[99], "f99.py");
  filelist_free(&fl);
  assert_null(fl.paths);
  assert_int_equal(fl.len, 0);
  filelist_free(&fl); /* twice is harmless */
}

static void write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

static bool listed(const FileList *fl, const char *path) {
  for (size_t i = 0; i < fl->len; i++)
    if (!strcmp(fl->paths[i], path)) return true;
  return false;
}

/* A repository with root, nested and negated .gitignore patterns; walked
 * from the root and from a subdirectory (the root's file still applies). */
static void test_gitignore(void **state) {
  (void)state;
  make_dir("gi");
  make_dir("gi/.git");
  make_dir("gi/.git/info");
  make_dir("gi/src");
  make_dir("gi/src/gen");
  make_dir("gi/src/keep");
  make_dir("gi/build");
  const char *files[] = {"gi/src/a.py", "gi/src/gen/b.py", "gi/src/keep/c.py", "gi/build/d.py",
                         "gi/src/e_pb2.py", "gi/src/keep/f_pb2.py", "gi/src/local.py",
                         "gi/src/keep/g.py"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) touch(files[i]);
  write_text("gi/.gitignore", "# generated\nbuild/\n*_pb2.py\n/src/gen/\n\n");
  write_text("gi/src/.gitignore", "!e_pb2.py\nkeep/g.py\n");
  write_text("gi/.git/info/exclude", "local.py\n");
  FileList fl = {0};
  Diags dg = {0};
  const char *root[] = {"gi"};
  assert_int_equal(discover(root, 1, &fl, &dg), 0);
  assert_true(listed(&fl, "gi/src/a.py"));
  assert_true(listed(&fl, "gi/src/keep/c.py"));
  assert_true(listed(&fl, "gi/src/e_pb2.py"));      /* re-included by the nested file */
  assert_false(listed(&fl, "gi/src/gen/b.py"));     /* anchored directory */
  assert_false(listed(&fl, "gi/build/d.py"));       /* directory pattern */
  assert_false(listed(&fl, "gi/src/keep/f_pb2.py")); /* glob at any depth */
  assert_false(listed(&fl, "gi/src/local.py"));     /* .git/info/exclude */
  assert_false(listed(&fl, "gi/src/keep/g.py"));    /* anchored to the nested file */
  assert_int_equal(fl.len, 3);
  filelist_free(&fl);
  /* from below the root: the root's .gitignore applies too */
  const char *sub[] = {"gi/src/keep"};
  assert_int_equal(discover(sub, 1, &fl, &dg), 0);
  assert_true(listed(&fl, "gi/src/keep/c.py"));
  assert_false(listed(&fl, "gi/src/keep/f_pb2.py"));
  assert_false(listed(&fl, "gi/src/keep/g.py"));
  assert_int_equal(fl.len, 1);
  filelist_free(&fl);
  /* named explicitly: linted anyway */
  const char *named[] = {"gi/build/d.py"};
  assert_int_equal(discover(named, 1, &fl, &dg), 0);
  assert_int_equal(fl.len, 1);
  filelist_free(&fl);
  diags_free(&dg);
}

static void test_exclude_patterns(void **state) {
  (void)state;
  const char *comp[] = {"migrations"};
  assert_true(path_excluded("app/migrations/0001_init.py", comp, 1));
  assert_true(path_excluded("./migrations/x.py", comp, 1));
  assert_false(path_excluded("app/migrations_helper.py", comp, 1));
  const char *glob[] = {"*_pb2.py"};
  assert_true(path_excluded("proto/user_pb2.py", glob, 1));
  assert_false(path_excluded("proto/user.py", glob, 1));
  const char *dir_only[] = {"gen/"};
  assert_true(path_excluded("src/gen/a.py", dir_only, 1));
  assert_false(path_excluded("src/gen", dir_only, 1)); /* a file named gen */
  const char *slash[] = {"app/generated/"};
  assert_true(path_excluded("app/generated/x.py", slash, 1));
  assert_true(path_excluded("repo/app/generated/deep/x.py", slash, 1));
  assert_false(path_excluded("app/generator.py", slash, 1));
  const char *file[] = {"legacy/cache.py"};
  assert_true(path_excluded("legacy/cache.py", file, 1));
  assert_true(path_excluded("svc/legacy/cache.py", file, 1));
  assert_false(path_excluded("legacy/cache2.py", file, 1));
  const char *under[] = {"legacy"};
  assert_true(path_excluded("legacy/sub/x.py", under, 1));
}

static void test_exclude_named_and_forced(void **state) {
  (void)state;
  FileList fl = {0};
  filelist_push(&fl, "app/a.py");
  filelist_push(&fl, "legacy/b.py");
  filelist_push(&fl, "legacy/c.py");
  filelist_push(&fl, "-");
  const char *pat[] = {"legacy"};
  const char *named[] = {"./legacy/b.py", "-"};
  filelist_exclude(&fl, pat, 1, named, 2, false, "legacy/stdin.py");
  assert_int_equal(fl.len, 3); /* c.py dropped; named b.py and stdin kept */
  assert_string_equal(fl.paths[0], "app/a.py");
  assert_string_equal(fl.paths[1], "legacy/b.py");
  assert_string_equal(fl.paths[2], "-");
  filelist_exclude(&fl, pat, 1, named, 2, true, "legacy/stdin.py");
  assert_int_equal(fl.len, 1);
  assert_string_equal(fl.paths[0], "app/a.py");
  filelist_free(&fl);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_walk_cwd),
      cmocka_unit_test(test_walk_absolute),
      cmocka_unit_test(test_explicit_paths),
      cmocka_unit_test(test_missing_path),
      cmocka_unit_test(test_symlink_loop_explicit),
      cmocka_unit_test(test_unreadable_dir),
      cmocka_unit_test(test_filelist),
      cmocka_unit_test_setup_teardown(test_gitignore, setup, teardown),
      cmocka_unit_test(test_exclude_patterns),
      cmocka_unit_test(test_exclude_named_and_forced),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
