/* test_output.c - renderers on synthetic runs: text frames, colour, quiet and
 * statistics modes, JSON structure, SARIF columns/URIs/fingerprints/fixes,
 * GitHub escaping, rdjson positions and suggestions, JUnit escaping and
 * counts. Rules come from the registry (whatever it holds); the
 * SARIF log of the richest run is also written to RL_BINARY_DIR for the
 * schema validator (tests/sarif). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "arena.h"
#include "output.h"
#include "rule.h"

#define MAX_FINDINGS 8
#define MAX_FILES 4

/* ---- fixtures ------------------------------------------------------- */

/* Used only when the registry is empty (early builds). */
static const Rule FALLBACK[] = {
    {"RL901", "test-warning", "A warning rule", "memory", SEV_WARNING, FIX_UNSAFE, true,
     false, false, ROLE_SAME, ROLE_SAME, ROLE_SAME, NULL},
    {"RL902", "test-error", "An error rule", "commands", SEV_ERROR, FIX_SAFE, true, false,
     false, ROLE_SAME, ROLE_SAME, ROLE_SAME, NULL},
    {"RL903", "test-info", "An info rule", "memory", SEV_INFO, FIX_DISPLAY, true, false,
     false, ROLE_SAME, ROLE_SAME, ROLE_SAME, NULL},
};

static const Rule *rule_n(size_t i) {
  size_t n = rules_count();
  return n ? rules_at(i % n) : &FALLBACK[i % 3];
}

static void run_init(LintRun *run) {
  memset(run, 0, sizeof *run);
  run->files = calloc(MAX_FILES, sizeof(FileResult));
}

/* Adds a loaded file with the given content; returns its result. */
static FileResult *add_file(LintRun *run, const char *path, const char *text) {
  assert_true(run->nfiles < MAX_FILES);
  FileResult *fr = &run->files[run->nfiles++];
  size_t len = strlen(text);
  char *buf = xmalloc(len + 1);
  memcpy(buf, text, len + 1);
  assert_int_equal(source_from_buffer(&fr->src, buf, len, path, &run->diags), 0);
  fr->loaded = true;
  fr->arena = arena_new();
  fr->findings = arena_alloc(fr->arena, MAX_FINDINGS * sizeof(Finding));
  return fr;
}

/* Byte range of the first occurrence of needle in the file. */
static void span_of(const FileResult *fr, const char *needle, uint32_t *s, uint32_t *e) {
  const char *p = strstr(fr->src.text, needle);
  assert_non_null(p);
  *s = (uint32_t)(p - fr->src.text);
  *e = *s + (uint32_t)strlen(needle);
}

/* Adds a finding on the first occurrence of needle. */
static Finding *add_finding(LintRun *run, FileResult *fr, const Rule *rule,
                            const char *needle, const char *message) {
  assert_true(fr->nfindings < MAX_FINDINGS);
  Finding *f = &fr->findings[fr->nfindings++];
  run->nfindings++;
  f->rule = rule;
  f->severity = rule->severity;
  span_of(fr, needle, &f->start, &f->end);
  f->message = message;
  return f;
}

static void set_fix(FileResult *fr, Finding *f, Applicability a, const char *title,
                    const char *needle, const char *replacement) {
  f->fix.title = title;
  f->fix.applicability = a;
  if (!needle) return;
  f->fix.edits = arena_alloc(fr->arena, sizeof(Edit));
  f->fix.nedits = 1;
  span_of(fr, needle, &f->fix.edits[0].start, &f->fix.edits[0].end);
  f->fix.edits[0].text = replacement;
}

static void add_related(FileResult *fr, Finding *f, const char *path, uint32_t start,
                        uint32_t end, const char *message) {
  Related *r = arena_alloc(fr->arena, (f->nrelated + 1) * sizeof(Related));
  if (f->nrelated) memcpy(r, f->related, f->nrelated * sizeof(Related));
  r[f->nrelated] = (Related){path, start, end, message};
  f->related = r;
  f->nrelated++;
}

static void run_free(LintRun *run) {
  for (size_t i = 0; i < run->nfiles; i++) {
    source_free(&run->files[i].src);
    arena_delete(run->files[i].arena);
  }
  free(run->files);
  diags_free(&run->diags);
}

/* Renders the run; caller frees the result. */
/* not inlined: GCC's -Wdangling-pointer at -O3 mistakes the open_memstream
   buffer returned here for the local that receives it */
__attribute__((noinline)) static char *render(const LintRun *run, OutputFormat format, bool color, bool quiet,
                    bool stats) {
  OutputOptions oo = {.format = format, .color = color, .quiet = quiet, .statistics = stats};
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  assert_int_equal(output_write(f, run, &oo), 0);
  fclose(f);
  return buf;
}

static char *render_fmt(const LintRun *run, OutputFormat format) {
  return render(run, format, false, false, false);
}

static cJSON *render_json(const LintRun *run, OutputFormat format) {
  char *s = render_fmt(run, format);
  cJSON *root = cJSON_Parse(s);
  assert_non_null(root);
  free(s);
  return root;
}

/* cJSON path lookup: keys separated by '.', array indexes as numbers. */
static const cJSON *jget(const cJSON *node, const char *path) {
  char key[64];
  while (node && *path) {
    size_t n = strcspn(path, ".");
    assert_true(n < sizeof key);
    memcpy(key, path, n);
    key[n] = '\0';
    path += n + (path[n] == '.');
    if (cJSON_IsArray(node)) node = cJSON_GetArrayItem(node, (int)strtol(key, NULL, 10));
    else node = cJSON_GetObjectItemCaseSensitive(node, key);
  }
  return node;
}

static double jnum(const cJSON *node, const char *path) {
  const cJSON *n = jget(node, path);
  assert_true(cJSON_IsNumber(n));
  return n->valuedouble;
}

static const char *jstr(const cJSON *node, const char *path) {
  const cJSON *n = jget(node, path);
  assert_true(cJSON_IsString(n));
  return n->valuestring;
}

/* ---- text ----------------------------------------------------------- */

/* A tab and a non-ASCII character before the span: column counts code
 * points (15), the frame expands the tab to 4 columns, carets line up. */
static void test_text_frame_tabs_nonascii(void **state) {
  (void)state;
  LintRun run;
  run_init(&run);
  FileResult *fr = add_file(&run, "app.py", "import redis\n\tname = \"n\xC3\xA9\"; r.set(name, 1)\n");
  const Rule *rule = rule_n(0);
  Finding *f = add_finding(&run, fr, rule, "r.set(name, 1)", "SET of one field");
  set_fix(fr, f, FIX_UNSAFE, "Store the fields in one hash", NULL, NULL);
  add_related(fr, f, NULL, 0, 6, "imported here");
  char *out = render_fmt(&run, FORMAT_TEXT), expect[1024];
  snprintf(expect, sizeof expect,
           "app.py:2:15: %s [%s] SET of one field\n"
           "  |\n"
           "2 |     name = \"n\xC3\xA9\"; r.set(name, 1)\n"
           "  |                  ^^^^^^^^^^^^^^\n"
           "  |\n"
           "  = help: Store the fields in one hash (unsafe fix)\n"
           "  = note: app.py:1:1: imported here\n"
           "\n"
           "Found 1 finding (%d error%s, %d warning%s, %d info%s) in 1 file.\n",
           rule->code, rule->slug, rule->severity == SEV_ERROR,
           rule->severity == SEV_ERROR ? "" : "s", rule->severity == SEV_WARNING,
           rule->severity == SEV_WARNING ? "" : "s", rule->severity == SEV_INFO,
           rule->severity == SEV_INFO ? "" : "s");
  assert_string_equal(out, expect);
  free(out);
  run_free(&run);
}

/* Multi-line span: carets to the end of the first line; wide line numbers
 * widen the gutter; safe and display fixes are labelled accordingly. */
static void test_text_multiline_and_fix_labels(void **state) {
  (void)state;
  LintRun run;
  run_init(&run);
  const char *text = "\n\n\n\n\n\n\n\n\nr.mset({\n  'a': 1})\nr.keys('*')\n";
  FileResult *fr = add_file(&run, "m.py", text);
  Finding *f1 = add_finding(&run, fr, rule_n(0), "r.mset({\n  'a': 1})", "multi");
  set_fix(fr, f1, FIX_SAFE, "Do it", "r.mset", "r.hset");
  Finding *f2 = add_finding(&run, fr, rule_n(1), "r.keys('*')", "keys");
  set_fix(fr, f2, FIX_DISPLAY, "Use SCAN", NULL, NULL);
  char *out = render_fmt(&run, FORMAT_TEXT);
  assert_non_null(strstr(out, "m.py:10:1: "));
  assert_non_null(strstr(out, "   |\n10 | r.mset({\n   | ^^^^^^^^\n   |\n   = help: Do it (safe fix)\n"));
  assert_null(strstr(out, "11 |")); /* only the first line of the span */
  assert_non_null(strstr(out, "   = help: Use SCAN\n\n"));
  assert_non_null(strstr(out, "Found 2 findings"));
  free(out);
  run_free(&run);
}

static void test_text_color(void **state) {
  (void)state;
  LintRun run;
  run_init(&run);
  FileResult *fr = add_file(&run, "c.py", "r.keys('*')\n");
  Finding *f = add_finding(&run, fr, rule_n(0), "r.keys('*')", "msg");
  f->severity = SEV_ERROR;
  char *plain = render(&run, FORMAT_TEXT, false, false, false);
  assert_null(strchr(plain, '\033'));
  char *color = render(&run, FORMAT_TEXT, true, false, false), expect[128];
  snprintf(expect, sizeof expect, "c.py:1:1: \033[1m\033[31m%s\033[0m [", rule_n(0)->code);
  assert_non_null(strstr(color, expect));
  assert_non_null(strstr(color, "  | \033[31m^^^^^^^^^^^\033[0m\n"));
  f->severity = SEV_INFO;
  char *info = render(&run, FORMAT_TEXT, true, false, false);
  assert_non_null(strstr(info, "\033[34m^"));
  free(plain);
  free(color);
  free(info);
  run_free(&run);
}

/* Control characters in the source never reach the terminal raw. */
static void test_text_sanitizes_controls(void **state) {
  (void)state;
  LintRun run;
  run_init(&run);
  FileResult *fr = add_file(&run, "e.py", "x = '\033[2J'; r.keys('*')\n");
  add_finding(&run, fr, rule_n(0), "r.keys('*')", "bad \033]0;title\a");
  char *out = render_fmt(&run, FORMAT_TEXT);
  assert_null(strchr(out, '\033'));
  assert_null(strchr(out, '\a'));
  assert_non_null(strstr(out, "1 | x = ' [2J'; r.keys('*')\n"
                          "  |" "             " "^^^^^^^^^^^\n"));
  free(out);
  run_free(&run);
}

static void test_text_quiet(void **state) {
  (void)state;
  LintRun run;
  run_init(&run);
  FileResult *fr = add_file(&run, "q.py", "a()\nb()\n");
  Finding *f = add_finding(&run, fr, rule_n(0), "a()", "first");
  set_fix(fr, f, FIX_SAFE, "fix it", "a()", "c()");
  add_finding(&run, fr, rule_n(1), "b()", "second");
  char *out = render(&run, FORMAT_TEXT, false, true, false), expect[256];
  /* the safe fix --fix would apply: marked [*] as ruff does */
  snprintf(expect, sizeof expect, "q.py:1:1: %s [*] [%s] first\nq.py:2:1: %s [%s] second\n",
           rule_n(0)->code, rule_n(0)->slug, rule_n(1)->code, rule_n(1)->slug);
  assert_string_equal(out, expect);
  free(out);
  run_free(&run);
}

static void test_text_no_findings(void **state) {
  (void)state;
  LintRun run;
  run_init(&run);
  add_file(&run, "a.py", "x = 1\n");
  add_file(&run, "b.py", "");
  char *out = render_fmt(&run, FORMAT_TEXT);
  assert_string_equal(out, "No findings in 2 files.\n");
  free(out);
  run.nfiles = 1;
  out = render_fmt(&run, FORMAT_TEXT);
  assert_string_equal(out, "No findings in 1 file.\n");
  free(out);
  run.nfiles = 2;
  run_free(&run);
}

/* Rows sorted by count (descending), then code; then the summary. */
static void test_text_statistics(void **state) {
  (void)state;
  LintRun run;
  run_init(&run);
  FileResult *fr = add_file(&run, "s.py", "a()\nb()\nc()\n");
  const Rule *r0 = rule_n(0), *r1 = rule_n(1);
  if (r0 == r1) skip();
  add_finding(&run, fr, r0, "a()", "x");
  add_finding(&run, fr, r1, "b()", "x");
  add_finding(&run, fr, r1, "c()", "x");
  char *out = render(&run, FORMAT_TEXT, false, false, true);
  const char *l1 = strstr(out, r1->code), *l2 = strstr(out, r0->code);
  assert_non_null(l1);
  assert_non_null(l2);
  assert_true(l1 < l2);
  assert_true(out[0] == '2' && l1 == out + 3);
  assert_non_null(strstr(l1, r1->slug));
  assert_non_null(strstr(l1, severity_name(r1->severity)));
  assert_non_null(strstr(out, "\nFound 3 findings"));
  assert_null(strstr(out, " | "));
  free(out);
  run_free(&run);
}

/* ---- JSON ----------------------------------------------------------- */

static void build_json_run(LintRun *run) {
  run_init(run);
  FileResult *fr = add_file(run, "pkg/a.py", "\xEF\xBB\xBFx = '\xC3\xA9'\nr.set(k, v)\n");
  Finding *f = add_finding(run, fr, rule_n(0), "r.set(k, v)", "msg \"quoted\"");
  set_fix(fr, f, FIX_SAFE, "Rewrite", "set", "hset");
  add_related(fr, f, NULL, 0, 1, "see here");
  add_finding(run, fr, rule_n(1), "x", "no fix");
  diags_add(&run->diags, DIAG_ERROR, "missing.py", 0, "no such file or directory");
  diags_add(&run->diags, DIAG_WARNING, "pkg/a.py", 3, "syntax error");
}

static void test_json_structure(void **state) {
  (void)state;
  LintRun run;
  build_json_run(&run);
  cJSON *root = render_json(&run, FORMAT_JSON);
  assert_int_equal((int)jnum(root, "version"), 1);
  assert_string_equal(jstr(root, "tool.name"), "redislint");
  assert_string_equal(jstr(root, "tool.version"), REDISLINT_VERSION);
  const cJSON *f = jget(root, "findings.0");
  assert_string_equal(jstr(f, "code"), rule_n(0)->code);
  assert_string_equal(jstr(f, "slug"), rule_n(0)->slug);
  assert_string_equal(jstr(f, "severity"), severity_name(rule_n(0)->severity));
  assert_string_equal(jstr(f, "path"), "pkg/a.py");
  assert_string_equal(jstr(f, "message"), "msg \"quoted\"");
  assert_int_equal((int)jnum(f, "start.line"), 2);
  assert_int_equal((int)jnum(f, "start.column"), 1);
  assert_int_equal((int)jnum(f, "start.byte"), 3 + 9); /* BOM counts */
  assert_int_equal((int)jnum(f, "end.column"), 12);
  assert_int_equal((int)jnum(f, "end.byte"), 3 + 20);
  char url[256];
  output_rule_url(rule_n(0)->slug, url, sizeof url);
  assert_string_equal(jstr(f, "url"), url);
  assert_string_equal(jstr(f, "fix.title"), "Rewrite");
  assert_string_equal(jstr(f, "fix.applicability"), "safe");
  assert_int_equal((int)jnum(f, "fix.edits.0.start.column"), 3);
  assert_int_equal((int)jnum(f, "fix.edits.0.start.byte"), 3 + 11);
  assert_string_equal(jstr(f, "fix.edits.0.content"), "hset");
  assert_string_equal(jstr(f, "related.0.path"), "pkg/a.py");
  assert_int_equal((int)jnum(f, "related.0.start.line"), 1);
  assert_string_equal(jstr(f, "related.0.message"), "see here");
  assert_true(cJSON_IsNull(jget(root, "findings.1.fix")));
  assert_int_equal(cJSON_GetArraySize(jget(root, "findings.1.related")), 0);
  cJSON_Delete(root);
  run_free(&run);
}

static void test_json_errors_and_summary(void **state) {
  (void)state;
  LintRun run;
  build_json_run(&run);
  cJSON *root = render_json(&run, FORMAT_JSON);
  assert_string_equal(jstr(root, "errors.0.path"), "missing.py");
  assert_null(jget(root, "errors.0.line"));
  assert_string_equal(jstr(root, "errors.0.level"), "error");
  assert_string_equal(jstr(root, "errors.0.message"), "no such file or directory");
  assert_int_equal((int)jnum(root, "errors.1.line"), 3);
  assert_string_equal(jstr(root, "errors.1.level"), "warning");
  assert_int_equal((int)jnum(root, "summary.files"), 1);
  assert_int_equal((int)jnum(root, "summary.findings"), 2);
  int e = 0, w = 0, i = 0;
  for (int k = 0; k < 2; k++) {
    Severity s = rule_n((size_t)k)->severity;
    e += s == SEV_ERROR, w += s == SEV_WARNING, i += s == SEV_INFO;
  }
  assert_int_equal((int)jnum(root, "summary.errors"), e);
  assert_int_equal((int)jnum(root, "summary.warnings"), w);
  assert_int_equal((int)jnum(root, "summary.infos"), i);
  cJSON_Delete(root);
  run_free(&run);
}

/* Pretty-printed with spaces, no tabs, deterministic. */
static void test_json_layout(void **state) {
  (void)state;
  LintRun run;
  build_json_run(&run);
  char *a = render_fmt(&run, FORMAT_JSON), *b = render_fmt(&run, FORMAT_JSON);
  assert_string_equal(a, b);
  assert_null(strchr(a, '\t'));
  assert_non_null(strstr(a, "\n  \"findings\": ["));
  assert_true(a[strlen(a) - 1] == '\n');
  free(a);
  free(b);
  run_free(&run);
}

/* ---- SARIF ---------------------------------------------------------- */

/* An astral character before the finding: code points say column 10,
 * UTF-16 says 11 (the emoji is a surrogate pair). */
static void test_sarif_utf16_columns(void **state) {
  (void)state;
  LintRun run;
  run_init(&run);
  FileResult *fr = add_file(&run, "emoji.py", "x = \"\xF0\x9F\x98\x80\"; r.keys('*')\n");
  add_finding(&run, fr, rule_n(0), "r.keys('*')", "KEYS");
  cJSON *root = render_json(&run, FORMAT_SARIF);
  const cJSON *reg = jget(root, "runs.0.results.0.locations.0.physicalLocation.region");
  assert_int_equal((int)jnum(reg, "startLine"), 1);
  assert_int_equal((int)jnum(reg, "startColumn"), 11);
  assert_int_equal((int)jnum(reg, "endLine"), 1);
  assert_int_equal((int)jnum(reg, "endColumn"), 22);
  assert_string_equal(jstr(root, "runs.0.columnKind"), "utf16CodeUnits");
  char *text = render_fmt(&run, FORMAT_TEXT);
  assert_non_null(strstr(text, "emoji.py:1:10: "));
  free(text);
  cJSON_Delete(root);
  run_free(&run);
}

static void test_sarif_run_and_rules(void **state) {
  (void)state;
  LintRun run;
  build_json_run(&run);
  cJSON *root = render_json(&run, FORMAT_SARIF);
  assert_string_equal(jstr(root, "version"), "2.1.0");
  assert_string_equal(jstr(root, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
  assert_int_equal(cJSON_GetArraySize(jget(root, "runs")), 1);
  const cJSON *driver = jget(root, "runs.0.tool.driver");
  assert_string_equal(jstr(driver, "name"), "redislint");
  assert_string_equal(jstr(driver, "semanticVersion"), REDISLINT_VERSION);
  const cJSON *rules = jget(driver, "rules");
  assert_int_equal(cJSON_GetArraySize(rules), (int)rules_count());
  const cJSON *res = jget(root, "runs.0.results.0");
  if (rules_count()) {
    int idx = (int)jnum(res, "ruleIndex");
    assert_string_equal(jstr(cJSON_GetArrayItem(rules, idx), "id"), jstr(res, "ruleId"));
  }
  assert_null(jget(root, "runs.0.originalUriBaseIds"));
  assert_false(cJSON_IsTrue(jget(root, "runs.0.invocations.0.executionSuccessful")));
  const cJSON *note = jget(root, "runs.0.invocations.0.toolExecutionNotifications.1");
  assert_string_equal(jstr(note, "level"), "warning");
  assert_int_equal((int)jnum(note, "locations.0.physicalLocation.region.startLine"), 3);
  cJSON_Delete(root);
  run_free(&run);
}

/* Every rule: level by severity, help without YAML front matter. */
static void test_sarif_rule_descriptors(void **state) {
  (void)state;
  if (rules_count() == 0) skip();
  LintRun run;
  run_init(&run);
  cJSON *root = render_json(&run, FORMAT_SARIF);
  static const char *levels[] = {"note", "warning", "error"};
  for (size_t i = 0; i < rules_count(); i++) {
    const Rule *r = rules_at(i);
    const cJSON *d = cJSON_GetArrayItem(jget(root, "runs.0.tool.driver.rules"), (int)i);
    assert_string_equal(jstr(d, "id"), r->code);
    assert_string_equal(jstr(d, "name"), r->slug);
    assert_string_equal(jstr(d, "shortDescription.text"), r->title);
    assert_string_equal(jstr(d, "defaultConfiguration.level"), levels[r->severity]);
    assert_string_equal(jstr(d, "properties.tags.0"), r->category);
    assert_string_equal(jstr(d, "properties.precision"), "high");
    const char *help = jstr(d, "help.text");
    assert_true(strncmp(help, "---", 3) != 0);
    if (rule_doc(r)) assert_string_equal(jstr(d, "help.markdown"), help);
  }
  assert_true(cJSON_IsTrue(jget(root, "runs.0.invocations.0.executionSuccessful")));
  assert_int_equal(cJSON_GetArraySize(jget(root, "runs.0.results")), 0);
  cJSON_Delete(root);
  run_free(&run);
}

static const char *first_uri(const LintRun *run, const cJSON **loc, cJSON **root) {
  *root = render_json(run, FORMAT_SARIF);
  *loc = jget(*root, "runs.0.results.0.locations.0.physicalLocation.artifactLocation");
  return jstr(*loc, "uri");
}

static void check_uri(const char *path, const char *uri, bool base) {
  LintRun run;
  run_init(&run);
  FileResult *fr = add_file(&run, path, "r.keys()\n");
  add_finding(&run, fr, rule_n(0), "r.keys()", "m");
  const cJSON *loc;
  cJSON *root;
  assert_string_equal(first_uri(&run, &loc, &root), uri);
  if (base) assert_string_equal(jstr(loc, "uriBaseId"), "%SRCROOT%");
  else assert_null(jget(loc, "uriBaseId"));
  cJSON_Delete(root);
  run_free(&run);
}

static void test_sarif_uri_encoding(void **state) {
  (void)state;
  check_uri("src/app.py", "src/app.py", true);
  check_uri("dir with space/\xC3\xBC.py", "dir%20with%20space/%C3%BC.py", true);
  check_uri("a:b#c?d%e.py", "a%3Ab%23c%3Fd%25e.py", true);
  check_uri("/abs/x y.py", "file:///abs/x%20y.py", false);
  check_uri("-", "stdin", true);
}

static const char *fingerprint(const cJSON *root, int i) {
  const cJSON *res = cJSON_GetArrayItem(jget(root, "runs.0.results"), i);
  assert_null(jget(res, "partialFingerprints.primaryLocationLineHash"));
  const char *fp = jstr(res, "partialFingerprints.redislint/v1");
  assert_int_equal(strlen(fp), 16);
  return fp;
}

/* Fingerprints for one source: results 0..n-1 copied into out. */
static void fingerprints_of(const char *text, const char *const *needles, size_t n,
                            char out[][17]) {
  LintRun run;
  run_init(&run);
  FileResult *fr = add_file(&run, "fp.py", text);
  for (size_t i = 0; i < n; i++) {
    Finding *f = add_finding(&run, fr, rule_n(0), needles[i], "m");
    if (i > 0 && strcmp(needles[i], needles[i - 1]) == 0) { /* the next occurrence */
      const char *p = strstr(fr->src.text + fr->findings[i - 1].end, needles[i]);
      f->start = (uint32_t)(p - fr->src.text);
      f->end = f->start + (uint32_t)strlen(needles[i]);
    }
  }
  cJSON *root = render_json(&run, FORMAT_SARIF);
  for (size_t i = 0; i < n; i++) memcpy(out[i], fingerprint(root, (int)i), 17);
  cJSON_Delete(root);
  run_free(&run);
}

static void test_sarif_fingerprints(void **state) {
  (void)state;
  const char *const same[] = {"r.keys('*')", "r.keys('*')"};
  char a[2][17], b[2][17], c[1][17], d[1][17], e[1][17];
  fingerprints_of("r.keys('*')\nr.keys('*')\n", same, 2, a);
  assert_string_not_equal(a[0], a[1]); /* identical lines, distinct results */
  fingerprints_of("r.keys('*')\nr.keys('*')\n", same, 2, b);
  assert_string_equal(a[0], b[0]); /* stable across runs */
  assert_string_equal(a[1], b[1]);
  const char *const moved[] = {"r.keys('*')"};
  fingerprints_of("import redis\n\n\n    r.keys('*')\n", moved, 1, c);
  assert_string_equal(a[0], c[0]); /* survives moving lines and indentation */
  const char *const spaced[] = {"r.keys(\n   '*')"};
  const char *const squashed[] = {"r.keys( '*')"};
  fingerprints_of("r.keys(\n   '*')\n", spaced, 1, d);
  fingerprints_of("r.keys( '*')\n", squashed, 1, e);
  assert_string_equal(d[0], e[0]); /* layout does not count */
  assert_string_equal(a[0], d[0]); /* not even against the unspaced form */
  const char *const words1[] = {"r.get(not x)"};
  const char *const words2[] = {"r.get(notx)"};
  fingerprints_of("r.get(not x)\n", words1, 1, d);
  fingerprints_of("r.get(notx)\n", words2, 1, e);
  assert_string_not_equal(d[0], e[0]); /* a space between two words does */
}

static void test_sarif_fixes(void **state) {
  (void)state;
  LintRun run;
  run_init(&run);
  FileResult *fr = add_file(&run, "f.py", "\xF0\x9F\x98\x80 = r.keys('*')\nr.set(a, b)\nr.get(a)\n");
  Finding *f1 = add_finding(&run, fr, rule_n(0), "r.keys('*')", "safe one");
  set_fix(fr, f1, FIX_SAFE, "Use SCAN", "keys('*')", "scan_iter('*')");
  Finding *f2 = add_finding(&run, fr, rule_n(0), "r.set(a, b)", "unsafe one");
  set_fix(fr, f2, FIX_UNSAFE, "Use HSET", "set", "hset");
  Finding *f3 = add_finding(&run, fr, rule_n(0), "r.get(a)", "display one");
  set_fix(fr, f3, FIX_DISPLAY, "Think again", NULL, NULL);
  cJSON *root = render_json(&run, FORMAT_SARIF);
  const cJSON *r0 = jget(root, "runs.0.results.0");
  assert_string_equal(jstr(r0, "fixes.0.description.text"), "Use SCAN");
  const cJSON *rep = jget(r0, "fixes.0.artifactChanges.0.replacements.0");
  assert_int_equal((int)jnum(rep, "deletedRegion.startColumn"), 8); /* UTF-16 */
  assert_int_equal((int)jnum(rep, "deletedRegion.endColumn"), 17);
  assert_string_equal(jstr(rep, "insertedContent.text"), "scan_iter('*')");
  assert_string_equal(jstr(r0, "fixes.0.artifactChanges.0.artifactLocation.uri"), "f.py");
  assert_string_equal(jstr(r0, "properties.fixApplicability"), "safe");
  assert_string_equal(jstr(root, "runs.0.results.1.fixes.0.description.text"),
                      "Use HSET (unsafe)");
  const cJSON *r2 = jget(root, "runs.0.results.2");
  assert_null(jget(r2, "fixes"));
  assert_string_equal(jstr(r2, "properties.fixTitle"), "Think again");
  assert_string_equal(jstr(r2, "properties.fixApplicability"), "display");
  cJSON_Delete(root);
  run_free(&run);
}

/* Related locations: ids 1..n, other files of the run resolved. */
static void test_sarif_related(void **state) {
  (void)state;
  LintRun run;
  run_init(&run);
  FileResult *a = add_file(&run, "a.py", "r.set(x, 1)\n");
  FileResult *b = add_file(&run, "b b.py", "\n\nr.get(x)\n");
  Finding *f = add_finding(&run, a, rule_n(0), "r.set(x, 1)", "m");
  add_related(a, f, "b b.py", 2, 10, "read here");
  add_related(a, f, "gone.py", 0, 1, NULL);
  (void)b;
  cJSON *root = render_json(&run, FORMAT_SARIF);
  const cJSON *rel = jget(root, "runs.0.results.0.relatedLocations");
  assert_int_equal((int)jnum(rel, "0.id"), 1);
  assert_string_equal(jstr(rel, "0.physicalLocation.artifactLocation.uri"), "b%20b.py");
  assert_int_equal((int)jnum(rel, "0.physicalLocation.region.startLine"), 3);
  assert_string_equal(jstr(rel, "0.message.text"), "read here");
  assert_int_equal((int)jnum(rel, "1.id"), 2);
  assert_null(jget(rel, "1.physicalLocation.region"));
  assert_null(jget(rel, "1.message"));
  cJSON_Delete(root);
  run_free(&run);
}

/* A run with everything in it, written out for tests/sarif/validate.mjs. */
static void test_sarif_write_for_validator(void **state) {
  (void)state;
  LintRun run;
  build_json_run(&run);
  FileResult *fr = add_file(&run, "dir with space/\xF0\x9F\x98\x80.py", "r.get(k)\n");
  Finding *f = add_finding(&run, fr, rule_n(2), "r.get(k)", "multi\nline message");
  set_fix(fr, f, FIX_UNSAFE, "Replace", "get", "");
  add_related(fr, f, "pkg/a.py", 0, 1, "other file");
  char *out = render_fmt(&run, FORMAT_SARIF);
  FILE *file = fopen(RL_BINARY_DIR "/test_output.sarif", "w");
  assert_non_null(file);
  fputs(out, file);
  assert_int_equal(fclose(file), 0);
  free(out);
  run_free(&run);
}

/* ---- GitHub --------------------------------------------------------- */

static void test_github(void **state) {
  (void)state;
  LintRun run;
  run_init(&run);
  FileResult *fr = add_file(&run, "a,b:c%.py", "\xC3\xA9 = r.keys('*')\nr.mset({\n})\n");
  Finding *f = add_finding(&run, fr, rule_n(0), "r.keys('*')", "50% of\r\nkeys, a:b");
  f->severity = SEV_INFO;
  Finding *g = add_finding(&run, fr, rule_n(0), "r.mset({\n})", "multi");
  g->severity = SEV_ERROR;
  diags_add(&run.diags, DIAG_ERROR, "missing.py", 0, "no such file or directory");
  diags_add(&run.diags, DIAG_WARNING, "x.py", 7, "syntax error");
  diags_add(&run.diags, DIAG_NOTE, NULL, 0, "%s", "note: 100%");
  char *out = render_fmt(&run, FORMAT_GITHUB), expect[1024];
  const Rule *r = rule_n(0);
  snprintf(expect, sizeof expect,
           "::notice file=a%%2Cb%%3Ac%%25.py,line=1,col=5,endLine=1,endColumn=16,"
           "title=%s [%s]::50%%25 of%%0D%%0Akeys, a:b\n"
           "::error file=a%%2Cb%%3Ac%%25.py,line=2,endLine=3,title=%s [%s]::multi\n"
           "::error file=missing.py::no such file or directory\n"
           "::warning file=x.py,line=7::syntax error\n"
           "::notice::note: 100%%25\n",
           r->code, r->slug, r->code, r->slug);
  assert_string_equal(out, expect);
  free(out);
  run_free(&run);
}

/* ---- rdjson --------------------------------------------------------- */

/* Columns count UTF-8 bytes, a BOM included on line 1; the end is exclusive;
 * the top-level severity is the worst. */
static void test_rdjson_positions(void **state) {
  (void)state;
  LintRun run;
  run_init(&run);
  FileResult *fr = add_file(&run, "a.py", "\xEF\xBB\xBFr.keys('*')\n\xC3\xA9 = r.get(k)\n");
  Finding *f1 = add_finding(&run, fr, rule_n(0), "r.keys('*')", "m1");
  f1->severity = SEV_INFO;
  Finding *f2 = add_finding(&run, fr, rule_n(0), "r.get(k)", "m2");
  f2->severity = SEV_WARNING;
  cJSON *root = render_json(&run, FORMAT_RDJSON);
  assert_string_equal(jstr(root, "source.name"), "redislint");
  assert_string_equal(jstr(root, "source.url"), "https://github.com/redislint/redislint");
  assert_string_equal(jstr(root, "severity"), "WARNING");
  const cJSON *d0 = jget(root, "diagnostics.0"), *d1 = jget(root, "diagnostics.1");
  assert_string_equal(jstr(d0, "message"), "m1");
  assert_string_equal(jstr(d0, "severity"), "INFO");
  assert_string_equal(jstr(d0, "location.path"), "a.py");
  assert_int_equal((int)jnum(d0, "location.range.start.line"), 1);
  assert_int_equal((int)jnum(d0, "location.range.start.column"), 4); /* after the BOM */
  assert_int_equal((int)jnum(d0, "location.range.end.column"), 15);
  assert_int_equal((int)jnum(d1, "location.range.start.line"), 2);
  assert_int_equal((int)jnum(d1, "location.range.start.column"), 6); /* "é = " is 5 bytes */
  assert_int_equal((int)jnum(d1, "location.range.end.column"), 14);
  assert_string_equal(jstr(d1, "code.value"), rule_n(0)->code);
  char url[256];
  assert_string_equal(jstr(d1, "code.url"), output_rule_url(rule_n(0)->slug, url, sizeof url));
  assert_null(jget(d1, "suggestions"));
  cJSON_Delete(root);
  run_free(&run);
  run_init(&run);
  root = render_json(&run, FORMAT_RDJSON); /* nothing found */
  assert_string_equal(jstr(root, "severity"), "INFO");
  assert_int_equal(cJSON_GetArraySize(jget(root, "diagnostics")), 0);
  cJSON_Delete(root);
  run_free(&run);
}

/* Adds an edit replacing the first occurrence of needle, or inserting
 * before it. */
static void add_edit(FileResult *fr, Finding *f, const char *needle, const char *text,
                     bool insert) {
  Edit *e = arena_alloc(fr->arena, (f->fix.nedits + 1) * sizeof(Edit));
  if (f->fix.nedits) memcpy(e, f->fix.edits, f->fix.nedits * sizeof(Edit));
  span_of(fr, needle, &e[f->fix.nedits].start, &e[f->fix.nedits].end);
  if (insert) e[f->fix.nedits].end = e[f->fix.nedits].start;
  e[f->fix.nedits].text = text;
  f->fix.edits = e;
  f->fix.nedits++;
}

/* One suggestion per applicable fix: its edits (in any order) merged with
 * the text between them, LF as CRLF in a CRLF file, a range ending at a
 * line start pulled back before the line break; no suggestion for display
 * fixes or edits that overlap; the message names the fix and its kind. */
static void test_rdjson_suggestions(void **state) {
  (void)state;
  LintRun run;
  run_init(&run);
  FileResult *fr = add_file(&run, "c.py", "r.set(k, v)\r\nr.expire(k, 9)\r\nr.keys('*')\r\nr.get(k)\r\n");
  Finding *f = add_finding(&run, fr, rule_n(0), "r.set(k, v)", "set then expire");
  f->fix.title = "Use ex=";
  f->fix.applicability = FIX_SAFE;
  add_edit(fr, f, "r.expire(k, 9)\r\n", "", false); /* the later edit first */
  add_edit(fr, f, ")\r\nr.expire", ",\nex=9", true);
  Finding *g = add_finding(&run, fr, rule_n(0), "r.keys('*')", "keys");
  set_fix(fr, g, FIX_UNSAFE, "Use SCAN", "keys('*')", "scan_iter('*')");
  Finding *h = add_finding(&run, fr, rule_n(0), "r.get(k)", "get");
  set_fix(fr, h, FIX_DISPLAY, "Think again", NULL, NULL);
  cJSON *root = render_json(&run, FORMAT_RDJSON);
  const cJSON *s = jget(root, "diagnostics.0.suggestions");
  assert_int_equal(cJSON_GetArraySize(s), 1);
  assert_string_equal(jstr(s, "0.text"), ",\r\nex=9)");
  assert_int_equal((int)jnum(s, "0.range.start.line"), 1);
  assert_int_equal((int)jnum(s, "0.range.start.column"), 11);
  assert_int_equal((int)jnum(s, "0.range.end.line"), 2);
  assert_int_equal((int)jnum(s, "0.range.end.column"), 15); /* before the CRLF */
  assert_string_equal(jstr(root, "diagnostics.0.message"), "set then expire (fix: Use ex=)");
  assert_string_equal(jstr(root, "diagnostics.1.suggestions.0.text"), "scan_iter('*')");
  assert_string_equal(jstr(root, "diagnostics.1.message"), "keys (unsafe fix: Use SCAN)");
  assert_null(jget(root, "diagnostics.2.suggestions"));
  assert_string_equal(jstr(root, "diagnostics.2.message"), "get (help: Think again)");
  cJSON_Delete(root);
  add_edit(fr, g, "keys", "k", false); /* overlaps the first edit: --fix never applies it */
  root = render_json(&run, FORMAT_RDJSON);
  assert_null(jget(root, "diagnostics.1.suggestions"));
  cJSON_Delete(root);
  run_free(&run);
}

/* ---- junit ---------------------------------------------------------- */

/* Markup, quotes and line breaks are escaped; what XML 1.0 cannot hold
 * (controls, invalid UTF-8) becomes U+FFFD; counts are testcases. */
static void test_junit_escaping_and_counts(void **state) {
  (void)state;
  LintRun run;
  run_init(&run);
  FileResult *fr = add_file(&run, "a&<b>\".py", "r.keys('*')\n");
  add_finding(&run, fr, rule_n(0), "r.keys('*')",
              "x<y> & \"q\" ]]> \x01\x1b\xff tab\tnl\ncr\r \xC3\xA9 \xEF\xBF\xBE");
  add_file(&run, "ok.py", "x = 1\n");
  diags_add(&run.diags, DIAG_ERROR, "gone.py", 0, "no such file or directory");
  diags_add(&run.diags, DIAG_WARNING, "ok.py", 3, "syntax error");
  diags_add(&run.diags, DIAG_NOTE, NULL, 0, "a <note>");
  char *out = render_fmt(&run, FORMAT_JUNIT);
  assert_non_null(strstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"redislint\""
                              " tests=\"3\" failures=\"1\" errors=\"1\" time=\"0\">\n"));
  assert_non_null(strstr(out, "<testcase classname=\"a&amp;&lt;b&gt;&quot;.py\""));
  char expect[512];
  snprintf(expect, sizeof expect,
           "<failure message=\"x&lt;y&gt; &amp; &quot;q&quot; ]]&gt; \xEF\xBF\xBD\xEF\xBF\xBD"
           "\xEF\xBF\xBD tab&#9;nl&#10;cr&#13; \xC3\xA9 \xEF\xBF\xBD\" type=\"%s\">"
           "a&amp;&lt;b&gt;\".py:1:1: %s [%s] x&lt;y&gt; &amp; \"q\" ]]&gt; "
           "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD tab\tnl\ncr&#13; \xC3\xA9 \xEF\xBF\xBD\n",
           rule_n(0)->code, rule_n(0)->code, rule_n(0)->slug);
  assert_non_null(strstr(out, expect));
  assert_non_null(strstr(out, "<testcase classname=\"ok.py\" name=\"ok.py\" file=\"ok.py\" time=\"0\">\n"
                              "      <system-err>ok.py:3: warning: syntax error\n</system-err>\n"
                              "    </testcase>\n"));
  assert_non_null(strstr(out, "name=\"gone.py\" file=\"gone.py\" time=\"0\">\n"
                              "      <error message=\"no such file or directory\" type=\"error\"/>\n"));
  assert_non_null(strstr(out, "    <system-err>note: a &lt;note&gt;\n</system-err>\n"
                              "  </testsuite>\n</testsuites>\n"));
  free(out);
  run_free(&run);
  run_init(&run);
  add_file(&run, "clean.py", "x = 1\n");
  out = render_fmt(&run, FORMAT_JUNIT);
  assert_non_null(strstr(out, " tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0\">\n"
                              "    <testcase classname=\"clean.py\" name=\"clean.py\" file=\"clean.py\""
                              " time=\"0\"/>\n  </testsuite>\n"));
  free(out);
  run_free(&run);
}

/* ---- dispatch ------------------------------------------------------- */

static void test_rule_url_and_dispatch(void **state) {
  (void)state;
  char buf[128], tiny[8];
  assert_string_equal(output_rule_url("per-field-keys", buf, sizeof buf),
                      "https://github.com/redislint/redislint/blob/main/rules/per-field-keys.md");
  assert_string_equal(output_rule_url("per-field-keys", tiny, sizeof tiny), "https:/");
  LintRun run;
  run_init(&run);
  add_file(&run, "a.py", "x\n");
  char *j = render_fmt(&run, FORMAT_JSON), *s = render_fmt(&run, FORMAT_SARIF);
  char *g = render_fmt(&run, FORMAT_GITHUB);
  assert_true(j[0] == '{' && strstr(j, "\"findings\": []"));
  assert_non_null(strstr(s, "\"version\": \"2.1.0\""));
  assert_string_equal(g, "");
  free(j);
  free(s);
  free(g);
  run_free(&run);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_text_frame_tabs_nonascii),
      cmocka_unit_test(test_text_multiline_and_fix_labels),
      cmocka_unit_test(test_text_color),
      cmocka_unit_test(test_text_sanitizes_controls),
      cmocka_unit_test(test_text_quiet),
      cmocka_unit_test(test_text_no_findings),
      cmocka_unit_test(test_text_statistics),
      cmocka_unit_test(test_json_structure),
      cmocka_unit_test(test_json_errors_and_summary),
      cmocka_unit_test(test_json_layout),
      cmocka_unit_test(test_sarif_utf16_columns),
      cmocka_unit_test(test_sarif_run_and_rules),
      cmocka_unit_test(test_sarif_rule_descriptors),
      cmocka_unit_test(test_sarif_uri_encoding),
      cmocka_unit_test(test_sarif_fingerprints),
      cmocka_unit_test(test_sarif_fixes),
      cmocka_unit_test(test_sarif_related),
      cmocka_unit_test(test_sarif_write_for_validator),
      cmocka_unit_test(test_github),
      cmocka_unit_test(test_rdjson_positions),
      cmocka_unit_test(test_rdjson_suggestions),
      cmocka_unit_test(test_junit_escaping_and_counts),
      cmocka_unit_test(test_rule_url_and_dispatch),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
