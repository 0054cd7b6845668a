/* test_docs.c - the embedded rule docs agree with the registry and with the
 * linter: front matter matches, the Example fires the rule, Use instead does
 * not; the README's rule table lists every rule exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lint.h"
#include "rule.h"

/* Value of `key: value` in the front matter, copied into buf. */
static bool front_matter(const char *doc, const char *key, char *buf, size_t n) {
  if (strncmp(doc, "---\n", 4) != 0) return false;
  const char *end = strstr(doc + 4, "\n---");
  size_t klen = strlen(key);
  for (const char *line = doc + 4; line && line < end; line = strchr(line, '\n')) {
    if (*line == '\n') line++;
    if (!strncmp(line, key, klen) && line[klen] == ':') {
      const char *v = line + klen + 1;
      while (*v == ' ') v++;
      size_t len = strcspn(v, "\n");
      if (len >= n) len = n - 1;
      memcpy(buf, v, len);
      buf[len] = '\0';
      return true;
    }
  }
  return false;
}

/* First ```python block after the heading; malloc'ed or NULL. */
static char *code_block(const char *doc, const char *heading) {
  if (!doc) return NULL; /* reported by test_front_matter */
  const char *h = strstr(doc, heading);
  if (!h) return NULL;
  const char *s = strstr(h, "```python\n");
  if (!s) return NULL;
  s += 10;
  const char *e = strstr(s, "\n```");
  if (!e) return NULL;
  size_t len = (size_t)(e - s) + 1;
  char *out = malloc(len + 1);
  memcpy(out, s, len);
  out[len] = '\0';
  return out;
}

static size_t count_rule(const char *code, const Rule *rule, const char *name) {
  Options opt;
  options_defaults(&opt);
  for (size_t k = 0; k < rules_count(); k++) opt.enabled[k] = true; /* off-by-default rules too */
  LintRun run;
  assert_int_equal(lint_buffer(&run, code, strlen(code), name, &opt), 0);
  size_t n = 0;
  for (size_t i = 0; i < run.files[0].nfindings; i++)
    n += run.files[0].findings[i].rule == rule;
  assert_false(run.files[0].parse_errors);
  lint_run_free(&run);
  return n;
}

static void test_front_matter(void **state) {
  (void)state;
  for (size_t i = 0; i < rules_count(); i++) {
    const Rule *r = rules_at(i);
    const char *doc = rule_doc(r);
    if (!doc) fail_msg("rule %s has no rules/%s.md", r->code, r->slug);
    char v[256];
    assert_true(front_matter(doc, "code", v, sizeof v));
    assert_string_equal(v, r->code);
    assert_true(front_matter(doc, "slug", v, sizeof v));
    assert_string_equal(v, r->slug);
    assert_true(front_matter(doc, "severity", v, sizeof v));
    assert_string_equal(v, severity_name(r->severity));
    assert_true(front_matter(doc, "fix", v, sizeof v));
    assert_string_equal(v, applicability_name(r->fix));
    assert_true(front_matter(doc, "title", v, sizeof v));
    assert_string_equal(v, r->title);
    assert_true(front_matter(doc, "category", v, sizeof v));
    assert_string_equal(v, r->category);
    const char *sections[] = {"## What it finds", "## Why it matters", "## Example",
                              "## Use instead", "## Fix safety", "## Options", "## References"};
    for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++)
      if (!strstr(doc, sections[k])) fail_msg("%s lacks section %s", r->slug, sections[k]);
  }
}

/* Does the `[a, b, c]` list hold item? */
static bool list_has(const char *list, const char *item) {
  size_t n = strlen(item);
  for (const char *p = list; (p = strstr(p, item)) != NULL; p += n) {
    bool starts = p == list || p[-1] == '[' || p[-1] == ' ' || p[-1] == ',';
    bool ends = p[n] == ']' || p[n] == ',' || p[n] == ' ' || p[n] == '\0';
    if (starts && ends) return true;
  }
  return false;
}

/* The rules of the security category, and the ones tagged security, state a
 * SARIF security-severity (GitHub ranks their alerts by it): a score from
 * 0.1 to 10.0 with one decimal, explained in the doc's body; no other rule
 * has one, since GitHub would count its results as security alerts. */
static void test_security_severity(void **state) {
  (void)state;
  for (size_t i = 0; i < rules_count(); i++) {
    const Rule *r = rules_at(i);
    const char *doc = rule_doc(r);
    char tags[256] = "", score[32], said[96];
    front_matter(doc, "tags", tags, sizeof tags);
    bool security = !strcmp(r->category, "security") || list_has(tags, "security");
    bool has = front_matter(doc, "security-severity", score, sizeof score);
    if (security && !has) fail_msg("%s: a security rule without security-severity", r->slug);
    if (!security && has) fail_msg("%s: security-severity on a rule not about security", r->slug);
    if (!has) continue;
    unsigned whole = 0, tenth = 0;
    char rest = 0;
    if (sscanf(score, "%2u.%1u%c", &whole, &tenth, &rest) != 2 ||
        whole * 10 + tenth < 1 || whole * 10 + tenth > 100)
      fail_msg("%s: security-severity `%s` is not a score 0.1-10.0 like 7.5", r->slug, score);
    snprintf(said, sizeof said, "`security-severity` is %s,", score);
    if (!strstr(doc, said)) fail_msg("%s: the doc does not explain its score (\"%s\")", r->slug, said);
  }
}

static void test_examples(void **state) {
  (void)state;
  for (size_t i = 0; i < rules_count(); i++) {
    const Rule *r = rules_at(i);
    char *ex = code_block(rule_doc(r), "## Example");
    char *ok = code_block(rule_doc(r), "## Use instead");
    if (!ex || !ok) fail_msg("%s: Example or Use instead has no python block", r->slug);
    if (count_rule(ex, r, "example.py") == 0) fail_msg("%s: the Example does not fire", r->slug);
    if (count_rule(ok, r, "use_instead.py") != 0) fail_msg("%s: Use instead fires", r->slug);
    free(ex);
    free(ok);
  }
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  size_t got = fread(buf, 1, (size_t)n, f);
  buf[got] = '\0';
  fclose(f);
  return buf;
}

/* README: one table row per rule `| RL101 | `per-field-keys` | warning | title |`,
 * and no row for a rule that does not exist. */
static void test_readme_table(void **state) {
  (void)state;
  char *readme = read_file(RL_SOURCE_DIR "/README.md");
  assert_non_null(readme);
  for (size_t i = 0; i < rules_count(); i++) {
    const Rule *r = rules_at(i);
    char row[512];
    snprintf(row, sizeof row, "| %s | `%s` | %s | %s |", r->code, r->slug,
             severity_name(r->severity), r->title);
    if (!strstr(readme, row)) fail_msg("README lacks the row: %s", row);
  }
  for (const char *p = strstr(readme, "| RL"); p; p = strstr(p + 1, "| RL")) {
    char code[8] = {0};
    memcpy(code, p + 2, 5);
    if (!rules_find(code)) fail_msg("README lists unknown rule %s", code);
  }
  free(readme);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_front_matter),
      cmocka_unit_test(test_security_severity),
      cmocka_unit_test(test_examples),
      cmocka_unit_test(test_readme_table),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
