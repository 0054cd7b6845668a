/* test_fixtures.c - the fixture driver.
 *
 * Every fixture file tests/fixtures/<slug>/NAME.py (not NAME.fixed.py) is linted with the
 * default rules and <slug>'s own rule enabled. A comment `# expect: <slug>[, <slug>...]` marks a line where
 * a finding of that rule must start; `# ok: <slug>` marks a look-alike line
 * that must stay silent. The set of (line, rule) pairs found must equal the
 * set expected, exactly. Annotations are read from comment nodes of the
 * parsed file, so text inside strings never counts. Each rule directory must
 * hold at least MIN_EXPECT positives and MIN_OK negatives for its own rule.
 * Files under a `project/` directory are linted together, as one project
 * (project-wide rules: keys expired in another file, databases across files). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "lint.h"
#include "model.h"
#include "rule.h"

#define MIN_EXPECT 6
#define MIN_OK 6
#define MAX_MARKS 4096

typedef struct Mark {
  unsigned line;
  char slug[64];
  bool ok;
} Mark;

typedef struct Fixture {
  char path[1536];
  char dir_slug[256];
} Fixture;

static size_t add_marks(const char *text, unsigned line, Mark *marks, size_t n) {
  const char *kinds[] = {"expect:", "ok:"};
  for (int k = 0; k < 2; k++) {
    const char *p = strstr(text, kinds[k]);
    if (!p || (p != text && p[-1] != ' ' && p[-1] != '#')) continue;
    p += strlen(kinds[k]);
    while (*p && n < MAX_MARKS) {
      while (*p == ' ' || *p == ',') p++;
      size_t len = strcspn(p, " ,\n\r");
      if (!len) break;
      if (len < sizeof marks[n].slug) {
        memcpy(marks[n].slug, p, len);
        marks[n].slug[len] = '\0';
        marks[n].line = line;
        marks[n].ok = k == 1;
        n++;
      }
      p += len;
      while (*p == ' ') p++;
      if (*p != ',') break; /* `# ok: slug -- why` : text after the list is a note */
    }
  }
  return n;
}

/* Comment nodes of the file, iteratively. */
static size_t read_marks(const Source *src, Mark *marks) {
  TSParser *p = ts_parser_new();
  ts_parser_set_language(p, tree_sitter_python());
  TSTree *tree = ts_parser_parse_string(p, NULL, src->text, src->len);
  TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
  size_t n = 0;
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&c);
    if (ts_node_symbol(node) == SYM.comment) {
      uint32_t s = ts_node_start_byte(node), e = ts_node_end_byte(node);
      char buf[512];
      size_t len = e - s < sizeof buf - 1 ? e - s : sizeof buf - 1;
      memcpy(buf, src->text + s, len);
      buf[len] = '\0';
      n = add_marks(buf, ts_node_start_point(node).row + 1, marks, n);
    }
    if (ts_tree_cursor_goto_first_child(&c)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&c))
      if (!ts_tree_cursor_goto_parent(&c)) goto done;
  }
done:
  ts_tree_cursor_delete(&c);
  ts_tree_delete(tree);
  ts_parser_delete(p);
  return n;
}

static bool has_mark(const Mark *m, size_t n, unsigned line, const char *slug, bool ok) {
  for (size_t i = 0; i < n; i++)
    if (m[i].line == line && m[i].ok == ok && !strcmp(m[i].slug, slug)) return true;
  return false;
}

/* The path a fixture is linted under: relative to its rule directory, so
 * tests/fixtures/dangerous-command/tests/test_x.py is "tests/test_x.py" (test
 * code) while tests/fixtures/dangerous-command/app.py is application code. */
static const char *display_path(const Fixture *fx) {
  const char *p = strstr(fx->path, "/tests/fixtures/");
  p = p ? p + strlen("/tests/fixtures/") : fx->path;
  const char *slash = strchr(p, '/');
  return slash ? slash + 1 : p;
}

/* A fixture under a `project/` directory is linted together with every
 * other file of that directory, as one project (for project-wide rules),
 * under its path relative to it. Returns the index of the fixture's result. */
static size_t lint_project(const Fixture *fx, LintRun *run, const Options *opt) {
  const char *mark = strstr(fx->path, "/project/");
  char root[1024], cwd[1024];
  snprintf(root, sizeof root, "%.*s", (int)(mark - fx->path + (int)strlen("/project")), fx->path);
  assert_non_null(getcwd(cwd, sizeof cwd));
  assert_int_equal(chdir(root), 0);
  FileList files = {0};
  Diags dg = {0};
  const char *dot = ".";
  assert_int_equal(discover(&dot, 1, &files, &dg), 0);
  assert_int_equal(lint_run(run, &files, opt, NULL, 0, NULL), 0);
  assert_int_equal(chdir(cwd), 0);
  const char *rel = mark + strlen("/project/");
  size_t at = run->nfiles;
  for (size_t i = 0; i < run->nfiles; i++)
    if (!strcmp(run->files[i].src.path, rel)) at = i;
  filelist_free(&files);
  diags_free(&dg);
  if (at == run->nfiles) fail_msg("%s: not linted as part of its project", fx->path);
  return at;
}

static void run_fixture(void **state) {
  const Fixture *fx = *state;
  Options opt;
  options_defaults(&opt);
  /* default rules, plus the directory's own rule when it is off by default */
  const Rule *own = rules_find(fx->dir_slug);
  if (own) opt.enabled[rules_index(own)] = true;
  LintRun run;
  size_t at = 0;
  if (strstr(fx->path, "/project/")) {
    at = lint_project(fx, &run, &opt);
  } else {
    Source file;
    Diags dg = {0};
    assert_int_equal(source_load(&file, fx->path, fx->path, &dg), 0);
    /* linted from its rule directory, so the display path names the real
     * file and the dependency files around it (the redis-py pin) are found */
    const char *disp = display_path(fx);
    char dir[1536], cwd[1024];
    snprintf(dir, sizeof dir, "%.*s", (int)(disp - fx->path - 1), fx->path);
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(lint_buffer(&run, file.raw, file.raw_len, disp, &opt), 0);
    assert_int_equal(chdir(cwd), 0);
    source_free(&file);
    diags_free(&dg);
  }
  assert_true(run.files[at].loaded);
  const FileResult *fr = &run.files[at];
  /* The marks come from the file itself: a lint run releases the text of a
   * file it found nothing in, and its `# expect:` lines must still count. */
  Source marked;
  Diags mdg = {0};
  assert_int_equal(source_load(&marked, fx->path, fx->path, &mdg), 0);
  Mark *marks = calloc(MAX_MARKS, sizeof(Mark));
  size_t nm = read_marks(&marked, marks);
  source_free(&marked);
  diags_free(&mdg);
  int failures = 0;
  for (size_t i = 0; i < nm; i++)
    if (!rules_find(marks[i].slug)) {
      print_error("%s:%u: unknown rule in annotation: %s\n", fx->path, marks[i].line, marks[i].slug);
      failures++;
    }
  for (size_t i = 0; i < fr->nfindings; i++) {
    const Finding *f = &fr->findings[i];
    unsigned line = source_position(&fr->src, f->start).line;
    if (!has_mark(marks, nm, line, f->rule->slug, false)) {
      print_error("%s:%u: unexpected %s: %s\n", fx->path, line, f->rule->slug, f->message);
      failures++;
    }
  }
  for (size_t i = 0; i < nm; i++) {
    if (marks[i].ok) continue;
    bool found = false;
    for (size_t k = 0; k < fr->nfindings && !found; k++)
      found = source_position(&fr->src, fr->findings[k].start).line == marks[i].line &&
              !strcmp(fr->findings[k].rule->slug, marks[i].slug);
    if (!found) {
      print_error("%s:%u: expected %s, not reported\n", fx->path, marks[i].line, marks[i].slug);
      failures++;
    }
  }
  free(marks);
  lint_run_free(&run);
  assert_int_equal(failures, 0);
}

static Fixture FIXTURES[512];
static size_t NFIXTURES;

/* Each rule's directory holds enough positives and look-alike negatives. */
static void check_counts(void **state) {
  (void)state;
  int failures = 0;
  for (size_t r = 0; r < rules_count(); r++) {
    const char *slug = rules_at(r)->slug;
    size_t expect = 0, ok = 0;
    for (size_t f = 0; f < NFIXTURES; f++) {
      if (strcmp(FIXTURES[f].dir_slug, slug)) continue;
      Source src;
      Diags dg = {0};
      if (source_load(&src, FIXTURES[f].path, FIXTURES[f].path, &dg) != 0) continue;
      Mark *marks = calloc(MAX_MARKS, sizeof(Mark));
      size_t nm = read_marks(&src, marks);
      for (size_t i = 0; i < nm; i++) {
        if (strcmp(marks[i].slug, slug)) continue;
        if (marks[i].ok) ok++;
        else expect++;
      }
      free(marks);
      source_free(&src);
      diags_free(&dg);
    }
    if (expect < MIN_EXPECT || ok < MIN_OK) {
      print_error("fixtures for %s: %zu positives, %zu negatives (need %d and %d)\n", slug,
                  expect, ok, MIN_EXPECT, MIN_OK);
      failures++;
    }
  }
  assert_int_equal(failures, 0);
}

/* Fixture files below dir (subdirectories too: tests/ inside a rule's
 * directory holds the test-code fixtures). */
static size_t add_dir(const char *dir, const char *slug, Fixture *out, size_t n, size_t cap,
                      int depth) {
  DIR *sd = opendir(dir);
  for (struct dirent *f; sd && (f = readdir(sd)) && n < cap;) {
    size_t len = strlen(f->d_name);
    if (f->d_name[0] == '.') continue;
    if (depth < 3 && !strchr(f->d_name, '.')) {
      char sub[1536];
      int w = snprintf(sub, sizeof sub, "%s/%s", dir, f->d_name);
      if (w > 0 && (size_t)w < sizeof sub) n = add_dir(sub, slug, out, n, cap, depth + 1);
      continue;
    }
    if (len < 3 || strcmp(f->d_name + len - 3, ".py") || strstr(f->d_name, ".fixed.py")) continue;
    int w1 = snprintf(out[n].path, sizeof out[n].path, "%s/%s", dir, f->d_name);
    int w2 = snprintf(out[n].dir_slug, sizeof out[n].dir_slug, "%s", slug);
    if (w1 < 0 || (size_t)w1 >= sizeof out[n].path || w2 < 0 || (size_t)w2 >= sizeof out[n].dir_slug)
      continue; /* a path too long for the driver: skip rather than truncate */
    n++;
  }
  if (sd) closedir(sd);
  return n;
}

static size_t find_fixtures(Fixture *out, size_t cap) {
  char root[512];
  snprintf(root, sizeof root, "%s/tests/fixtures", RL_SOURCE_DIR);
  size_t n = 0;
  DIR *d = opendir(root);
  for (struct dirent *e; d && (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", root, e->d_name);
    n = add_dir(dir, e->d_name, out, n, cap, 0);
  }
  if (d) closedir(d);
  return n;
}

static int cmp_fixture(const void *a, const void *b) {
  return strcmp(((const Fixture *)a)->path, ((const Fixture *)b)->path);
}

int main(void) {
  model_init(NULL, 0);
  Fixture *fx = FIXTURES;
  size_t n = NFIXTURES = find_fixtures(fx, sizeof FIXTURES / sizeof FIXTURES[0]);
  qsort(fx, n, sizeof fx[0], cmp_fixture);
  struct CMUnitTest *tests = calloc(n + 1, sizeof *tests);
  for (size_t i = 0; i < n; i++) {
    tests[i].name = fx[i].path + strlen(RL_SOURCE_DIR) + 1;
    tests[i].test_func = run_fixture;
    tests[i].initial_state = &fx[i];
  }
  tests[n].name = "fixture counts per rule";
  tests[n].test_func = check_counts;
  int rc = _cmocka_run_group_tests("fixtures", tests, n + 1, NULL, NULL);
  free(tests);
  return rc;
}
