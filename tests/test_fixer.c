/* test_fixer.c - the fix engine's guards that the CLI cannot reach
 * deterministically: a file changed or deleted between linting and writing
 * is never overwritten, and the message says why; a user's save in the last
 * window before the rename (injected through fs_replace_hook, not timed) is
 * kept; owner, mode, extended attributes, hard links and symbolic link
 * chains survive a fix; a run killed while writing leaves no file behind. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixer.h"
#include "fsutil.h"
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

/* ---- writing: what a fix keeps ---------------------------------------- */

static const char FIXED_PART[] = "r.hset(\"h\", mapping={\"a\": 1})";

/* A user's editor saving in the window between the new content reaching the
 * disk and the rename: in place (same inode) or by renaming a new file over
 * it (most editors). Either way the save wins. */
static const char USER_TEXT[] = "# saved by the user meanwhile\n";
static void save_in_place(const char *target) {
  write_file(target, USER_TEXT);
  fs_replace_hook = NULL;
}
static void save_by_rename(const char *target) {
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.editor-swap", target);
  write_file(tmp, USER_TEXT);
  assert_int_equal(rename(tmp, target), 0);
  fs_replace_hook = NULL;
}

static void run_with_hook(void (*hook)(const char *), bool hard_link) {
  char path[4096], other[4200];
  write_file(tmp_path(path, sizeof path), SRC);
  snprintf(other, sizeof other, "%s.link", path);
  if (hard_link) assert_int_equal(link(path, other), 0);
  LintRun run;
  FixerStats st;
  fs_replace_hook = hook;
  fix_after(path, leave_it, &run, &st);
  fs_replace_hook = NULL;
  assert_string_equal(read_file(path), USER_TEXT);
  assert_true(diag_says(&run, "changed on disk during the run"));
  assert_int_equal(st.write_errors, 1);
  lint_run_free(&run);
  unlink(path);
  if (hard_link) unlink(other);
}

static void test_save_in_window_in_place(void **state) {
  (void)state;
  run_with_hook(save_in_place, false);
}
static void test_save_in_window_by_rename(void **state) {
  (void)state;
  run_with_hook(save_by_rename, false);
}
static void test_save_in_window_hard_linked(void **state) {
  (void)state;
  run_with_hook(save_in_place, true);
}

/* While the new content is written and not yet renamed, no name of ours
 * exists in the directory: a run killed there leaves nothing behind (on a
 * file system with O_TMPFILE; elsewhere a hidden name is used). */
static int g_stray;
static void count_strays(const char *target) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", target);
  char *slash = strrchr(dir, '/');
  assert_non_null(slash);
  *slash = '\0';
  DIR *d = opendir(dir);
  assert_non_null(d);
  const char *base = slash + 1 - dir + target;
  for (struct dirent *e; (e = readdir(d));)
    if (strstr(e->d_name, ".redislint-") && strstr(e->d_name, base)) g_stray++;
  closedir(d);
}

static void test_nothing_named_while_writing(void **state) {
  (void)state;
  char path[4096];
  write_file(tmp_path(path, sizeof path), SRC);
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  *strrchr(dir, '/') = '\0';
  int probe = open(dir, O_TMPFILE | O_WRONLY, 0600);
  if (probe < 0) {
    unlink(path);
    skip(); /* no O_TMPFILE here: the hidden-name fallback is used */
  }
  close(probe);
  g_stray = 0;
  fs_replace_hook = count_strays;
  LintRun run;
  FixerStats st;
  fix_after(path, leave_it, &run, &st);
  fs_replace_hook = NULL;
  assert_int_equal(g_stray, 0);
  assert_non_null(strstr(read_file(path), FIXED_PART));
  count_strays(path);
  assert_int_equal(g_stray, 0);
  lint_run_free(&run);
  unlink(path);
}

static void test_hard_link_kept(void **state) {
  (void)state;
  char path[4096], other[4200];
  write_file(tmp_path(path, sizeof path), SRC);
  snprintf(other, sizeof other, "%s.link", path);
  assert_int_equal(link(path, other), 0);
  LintRun run;
  FixerStats st;
  fix_after(path, leave_it, &run, &st);
  assert_int_equal(st.write_errors, 0);
  struct stat a, b;
  assert_int_equal(stat(path, &a), 0);
  assert_int_equal(stat(other, &b), 0);
  assert_true(a.st_ino == b.st_ino && a.st_nlink == 2);
  assert_non_null(strstr(read_file(other), FIXED_PART));
  lint_run_free(&run);
  unlink(path);
  unlink(other);
}

static void test_symlink_chain(void **state) {
  (void)state;
  char c[4096], b[4200], a[4200];
  write_file(tmp_path(c, sizeof c), SRC);
  snprintf(b, sizeof b, "%s.b", c);
  snprintf(a, sizeof a, "%s.a", c);
  assert_int_equal(symlink(c, b), 0);
  assert_int_equal(symlink(b, a), 0);
  LintRun run;
  FixerStats st;
  fix_after(a, leave_it, &run, &st);
  struct stat sa, sb;
  assert_int_equal(lstat(a, &sa), 0);
  assert_int_equal(lstat(b, &sb), 0);
  assert_true(S_ISLNK(sa.st_mode) && S_ISLNK(sb.st_mode));
  assert_non_null(strstr(read_file(c), FIXED_PART));
  lint_run_free(&run);
  unlink(a);
  unlink(b);
  unlink(c);
}

/* Mode always; owner when the test runs as root (it can give the file to
 * another user); a user extended attribute where the file system has them. */
static void test_mode_owner_xattrs_kept(void **state) {
  (void)state;
  char path[4096];
  write_file(tmp_path(path, sizeof path), SRC);
  assert_int_equal(chmod(path, 0640), 0);
  bool root = geteuid() == 0;
  if (root) assert_int_equal(chown(path, 65534, 65534), 0);
  bool xattrs = setxattr(path, "user.redislint.test", "kept", 4, 0) == 0;
  LintRun run;
  FixerStats st;
  fix_after(path, leave_it, &run, &st);
  assert_int_equal(st.write_errors, 0);
  assert_non_null(strstr(read_file(path), FIXED_PART));
  struct stat s;
  assert_int_equal(stat(path, &s), 0);
  assert_int_equal(s.st_mode & 07777, 0640);
  if (root) assert_true(s.st_uid == 65534 && s.st_gid == 65534);
  if (xattrs) {
    char val[16] = {0};
    assert_int_equal(getxattr(path, "user.redislint.test", val, sizeof val), 4);
    assert_string_equal(val, "kept");
  }
  lint_run_free(&run);
  unlink(path);
}

/* fs_write_atomic (baselines, -o reports, cache entries): a new file gets
 * the umask's mode, not mkstemp's 0600; an existing one keeps its mode. */
static void test_write_atomic_modes(void **state) {
  (void)state;
  char path[4096];
  tmp_path(path, sizeof path);
  unlink(path);
  mode_t mask = umask(022);
  assert_int_equal(fs_write_atomic(path, "{}\n", 3), 0);
  struct stat s;
  assert_int_equal(stat(path, &s), 0);
  assert_int_equal(s.st_mode & 0777, 0644);
  assert_int_equal(chmod(path, 0600), 0);
  assert_int_equal(fs_write_atomic(path, "[]\n", 3), 0);
  assert_int_equal(stat(path, &s), 0);
  assert_int_equal(s.st_mode & 0777, 0600);
  assert_string_equal(read_file(path), "[]\n");
  umask(mask);
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
      cmocka_unit_test(test_save_in_window_in_place),
      cmocka_unit_test(test_save_in_window_by_rename),
      cmocka_unit_test(test_save_in_window_hard_linked),
      cmocka_unit_test(test_nothing_named_while_writing),
      cmocka_unit_test(test_hard_link_kept),
      cmocka_unit_test(test_symlink_chain),
      cmocka_unit_test(test_mode_owner_xattrs_kept),
      cmocka_unit_test(test_write_atomic_modes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
