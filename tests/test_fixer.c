/* test_fixer.c - the fix engine's guards that the CLI cannot reach
 * deterministically: a file changed or deleted between linting and writing
 * is never overwritten, and the message says why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixer.h"
#include "lint.h"

static const char SRC[] = "import redis\nr = redis.Redis(socket_timeout=5)\nr.hmset(\"h\", {\"a\": 1})\n";

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static char *read_file(const char *path) {
  static char buf[4096];
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return buf;
}

static bool diag_says(const LintRun *run, const char *needle) {
  for (size_t i = 0; i < run->diags.len; i++)
    if (strstr(run->diags.items[i].message, needle)) return true;
  return false;
}

/* Lints `path`, lets `meddle` change the disk, then runs --fix. */
static void fix_after(const char *path, void (*meddle)(const char *), LintRun *run,
                      FixerStats *st) {
  Options opt;
  options_defaults(&opt);
  FileList fl = {0};
  filelist_push(&fl, path);
  assert_int_equal(lint_run(run, &fl, &opt, NULL, 0, NULL), 0);
  assert_true(run->nfindings > 0);
  meddle(path);
  FixerOptions fo = {.min = FIX_SAFE, .write = true};
  fixer_run(run, &fl, &opt, NULL, 0, NULL, &fo, st);
  filelist_free(&fl);
}

static void edit_it(const char *path) { write_file(path, "# edited by someone else\n"); }
static void delete_it(const char *path) { assert_int_equal(unlink(path), 0); }
static void leave_it(const char *path) { (void)path; }

static char *tmp_path(char *buf, size_t n) {
  const char *dir = getenv("TMPDIR");
  snprintf(buf, n, "%s/rl_fixer_XXXXXX", dir && *dir ? dir : "/tmp"); /* TMPDIR, else POSIX's default */
  int fd = mkstemp(buf);
  assert_true(fd >= 0);
  close(fd);
  return buf;
}

static void test_changed_on_disk(void **state) {
  (void)state;
  char path[4096];
  write_file(tmp_path(path, sizeof path), SRC);
  LintRun run;
  FixerStats st;
  fix_after(path, edit_it, &run, &st);
  assert_string_equal(read_file(path), "# edited by someone else\n");
  assert_true(diag_says(&run, "changed on disk during the run"));
  assert_int_equal(st.write_errors, 1);
  lint_run_free(&run);
  unlink(path);
}

static void test_deleted(void **state) {
  (void)state;
  char path[4096];
  write_file(tmp_path(path, sizeof path), SRC);
  LintRun run;
  FixerStats st;
  fix_after(path, delete_it, &run, &st);
  assert_null(read_file(path));
  assert_true(diag_says(&run, "deleted during the run"));
  lint_run_free(&run);
}

static void test_written_when_untouched(void **state) {
  (void)state;
  char path[4096];
  write_file(tmp_path(path, sizeof path), SRC);
  LintRun run;
  FixerStats st;
  fix_after(path, leave_it, &run, &st);
  assert_non_null(strstr(read_file(path), "r.hset(\"h\", mapping={\"a\": 1})"));
  assert_int_equal(st.applied, 1);
  assert_int_equal(st.files_changed, 1);
  assert_int_equal(st.write_errors, 0);
  assert_int_equal(run.nfindings, 0); /* the run now describes the fixed file */
  lint_run_free(&run);
  unlink(path);
}

/* Writes `text` (two deprecated HMSETs) to a fresh file and lints it. */
static void lint_two_hmsets(char *path, size_t size, const char *text, Options *opt, FileList *fl,
                            LintRun *run) {
  write_file(tmp_path(path, size), text);
  options_defaults(opt);
  filelist_push(fl, path);
  assert_int_equal(lint_run(run, fl, opt, NULL, 0, NULL), 0);
  assert_int_equal(run->nfindings, 2);
}

/* A rule whose fix breaks the file, or leaves its finding, is a bug: the
 * fix is dropped, reported, and the file keeps its other fixes. The run's
 * first fix is doctored to simulate such a rule. */
static void run_doctored(const char *edit_text, const char *why, bool *file_fixed) {
  char path[4096];
  Options opt;
  FileList fl = {0};
  LintRun run;
  lint_two_hmsets(path, sizeof path,
                  "import redis\nr = redis.Redis(socket_timeout=5)\nr.hmset(\"a\", {\"x\": 1})\n"
                  "r.hmset(\"b\", {\"y\": 2})\n",
                  &opt, &fl, &run);
  Finding *f = &run.files[0].findings[0]; /* RL310 on line 3 */
  assert_true(f->fix.nedits >= 1);
  f->fix.edits[0].text = edit_text;
  FixerOptions fo = {.min = FIX_SAFE, .write = true};
  FixerStats st;
  fixer_run(&run, &fl, &opt, NULL, 0, NULL, &fo, &st);
  assert_int_equal(st.bugs, 1);
  assert_true(diag_says(&run, why));
  assert_true(diag_says(&run, "RL310 at line 3"));
  assert_true(diag_says(&run, "a bug in redislint"));
  const char *now = read_file(path);
  *file_fixed = strstr(now, "r.hset(\"b\", mapping={\"y\": 2})") != NULL;
  assert_non_null(strstr(now, "r.hmset(\"a\""));  /* the bad fix was not applied */
  lint_run_free(&run);
  filelist_free(&fl);
  unlink(path);
}

static void test_fix_breaking_syntax(void **state) {
  (void)state;
  bool other_fixed;
  run_doctored("hset(((", "the result does not parse", &other_fixed);
  assert_true(other_fixed); /* the good fix of line 4 still applies */
}

static void test_fix_leaving_its_finding(void **state) {
  (void)state;
  bool other_fixed;
  run_doctored("hmset", "its finding is still reported", &other_fixed);
  assert_true(other_fixed);
}

/* A file in another encoding is fixed in it; a fix that writes a character
 * the encoding lacks is skipped (not a bug in the rule: said once, plainly),
 * and the file keeps its other fixes, in its own bytes. */
static void test_fix_unencodable(void **state) {
  (void)state;
  char path[4096];
  Options opt;
  FileList fl = {0};
  LintRun run;
  lint_two_hmsets(path, sizeof path,
                  "# -*- coding: latin-1 -*-\nimport redis\nr = redis.Redis(socket_timeout=5)\n"
                  "r.hmset(\"a\", {\"x\": 1})\nr.hmset(\"caf\xE9\", {\"y\": 2})\n",
                  &opt, &fl, &run);
  Finding *f = &run.files[0].findings[0]; /* RL310 on line 4 */
  assert_true(f->fix.nedits >= 1);
  f->fix.edits[0].text = "hset\xC5\x81"; /* Ł: not in Latin-1 */
  FixerOptions fo = {.min = FIX_SAFE, .write = true};
  FixerStats st;
  fixer_run(&run, &fl, &opt, NULL, 0, NULL, &fo, &st);
  assert_int_equal(st.bugs, 0);
  assert_int_equal(st.applied, 1);
  assert_true(diag_says(&run, "the fix of RL310 at line 4 was not applied: it writes U+0141, "
                              "which latin-1 cannot encode"));
  assert_false(diag_says(&run, "a bug in redislint"));
  const char *now = read_file(path);
  assert_non_null(strstr(now, "r.hmset(\"a\""));
  assert_non_null(strstr(now, "r.hset(\"caf\xE9\", mapping={\"y\": 2})")); /* still Latin-1 */
  lint_run_free(&run);
  filelist_free(&fl);
  unlink(path);
}

/* Bytes that decode but would not encode back the same (CP932 has two codes
 * for some characters) are never rewritten. */
static void test_fix_not_round_tripping(void **state) {
  (void)state;
  char path[4096];
  static const char src[] = "# coding: cp932\nimport redis\nr = redis.Redis(socket_timeout=5)\n"
                            "r.hmset(\"\xFA\x54\", {\"y\": 2})\n";
  write_file(tmp_path(path, sizeof path), src);
  LintRun run;
  FixerStats st;
  fix_after(path, leave_it, &run, &st);
  assert_int_equal(st.applied, 0);
  assert_true(diag_says(&run, "fixes not applied: its text does not convert back into the same "
                              "cp932 bytes"));
  assert_string_equal(read_file(path), src);
  lint_run_free(&run);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_changed_on_disk),
      cmocka_unit_test(test_deleted),
      cmocka_unit_test(test_written_when_untouched),
      cmocka_unit_test(test_fix_breaking_syntax),
      cmocka_unit_test(test_fix_leaving_its_finding),
      cmocka_unit_test(test_fix_unencodable),
      cmocka_unit_test(test_fix_not_round_tripping),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
