/* fuzz_project.c - the whole-project pipeline on arbitrary bytes: the input
 * is cut into up to four Python files at NUL bytes (a package with an
 * __init__.py, modules that import each other's names), written to a fresh
 * directory, and linted as one project: the index rounds, re-exports, call
 * facts between modules, project rules. (A crash in the call facts between
 * modules, found on real code, is what a single-file target could not
 * reach.) libFuzzer target with -DREDISLINT_FUZZ=ON; fuzz_main.c drives it
 * otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "discover.h"
#include "lint.h"

#include "fuzz_target.h"

const char FUZZ_TARGET_NAME[] = "fuzz_project";

static const char *const NAMES[] = {"pkg/__init__.py", "pkg/core.py", "pkg/views.py",
                                    "pkg/management/commands/run.py"};

static char root[4096];

/* Leaves nothing behind in TMPDIR. */
static void cleanup(void) {
  char path[4400];
  for (size_t k = 0; k < sizeof NAMES / sizeof *NAMES; k++) {
    snprintf(path, sizeof path, "%s/%s", root, NAMES[k]);
    unlink(path);
  }
  static const char *const dirs[] = {"pkg/management/commands", "pkg/management", "pkg", ".git", ""};
  for (size_t k = 0; k < sizeof dirs / sizeof *dirs; k++) {
    snprintf(path, sizeof path, "%s/%s", root, dirs[k]);
    rmdir(path);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!root[0]) {
    atexit(cleanup);
    const char *dir = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/rl-fuzz-project-%ld", dir && *dir ? dir : "/tmp", (long)getpid());
    char sub[4200];
    mkdir(root, 0700);
    snprintf(sub, sizeof sub, "%s/pkg", root);
    mkdir(sub, 0700);
    snprintf(sub, sizeof sub, "%s/pkg/management", root);
    mkdir(sub, 0700);
    snprintf(sub, sizeof sub, "%s/pkg/management/commands", root);
    mkdir(sub, 0700);
    snprintf(sub, sizeof sub, "%s/.git", root); /* the project root */
    mkdir(sub, 0700);
  }
  FileList fl = {0};
  size_t at = 0;
  for (size_t k = 0; k < sizeof NAMES / sizeof *NAMES; k++) {
    const uint8_t *end = at < size ? memchr(data + at, 0, size - at) : NULL;
    size_t n = at < size ? (end ? (size_t)(end - (data + at)) : size - at) : 0;
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", root, NAMES[k]);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (n && fwrite(data + at, 1, n, f) != n) abort();
    fclose(f);
    filelist_push(&fl, path);
    at += n + (end ? 1 : 0);
  }
  Options opt;
  options_defaults(&opt);
  LintRun run;
  FILE *saved = stderr; /* files that do not parse are reported there */
  stderr = fopen("/dev/null", "w");
  lint_run(&run, &fl, &opt, NULL, 0, "<stdin>");
  lint_run_free(&run);
  if (stderr) fclose(stderr);
  stderr = saved;
  filelist_free(&fl);
  return 0;
}
