/* hook.c - `redislint install-hook`: a plain git pre-commit hook that lints
 * the staged Python files, for teams that do not use the pre-commit tool. */
#include "hook.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HOOK_MARK "# installed by redislint install-hook"

static const char HOOK[] =
    "#!/bin/sh\n" HOOK_MARK "\n"
    "# Lints the Python files of the commit with redislint; a finding stops the\n"
    "# commit (skip once with `git commit --no-verify`). Reinstall or remove with\n"
    "# `redislint install-hook [--force]` / by deleting this file.\n"
    "command -v redislint >/dev/null 2>&1 || {\n"
    "  echo 'redislint: not found on PATH; install it or remove .git/hooks/pre-commit' >&2\n"
    "  exit 1\n"
    "}\n"
    "list=$(mktemp) || exit 1\n"
    "trap 'rm -f \"$list\"' EXIT\n"
    "git diff --cached --name-only -z --diff-filter=ACMR -- '*.py' '*.pyi' '*.lua' >\"$list\" || exit 1\n"
    "[ -s \"$list\" ] || exit 0\n"
    "xargs -0 redislint check --force-exclude <\"$list\"\n";

/* .git/hooks/pre-commit of the repository around the working directory
 * (worktrees and core.hooksPath included: git itself says). */
static int hook_path(char *out, size_t cap) {
  FILE *p = popen("git rev-parse --git-path hooks/pre-commit 2>/dev/null", "r");
  if (!p) return -1;
  if (!fgets(out, (int)cap, p)) {
    pclose(p);
    return -1;
  }
  int st = pclose(p);
  size_t n = strlen(out);
  while (n && (out[n - 1] == '\n' || out[n - 1] == '\r')) out[--n] = '\0';
  return st == 0 && n ? 0 : -1;
}

int hook_install(bool force) {
  char path[4096];
  if (hook_path(path, sizeof path) != 0) {
    fprintf(stderr, "redislint: error: not inside a git repository (or git is not installed)\n");
    return 2;
  }
  FILE *old = fopen(path, "r");
  if (old) {
    char buf[256];
    bool ours = false;
    for (int i = 0; i < 3 && fgets(buf, sizeof buf, old); i++) ours |= !!strstr(buf, HOOK_MARK);
    fclose(old);
    if (!ours && !force) {
      fprintf(stderr,
              "redislint: error: %s: a pre-commit hook that redislint did not install is "
              "there; keep it, call redislint from it, or replace it with --force\n",
              path);
      return 2;
    }
  }
  /* hooks/ may not exist in a fresh repository */
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash) {
    *slash = '\0';
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
      fprintf(stderr, "redislint: error: %s: %s\n", dir, strerror(errno));
      return 2;
    }
  }
  FILE *f = fopen(path, "w");
  if (!f || fputs(HOOK, f) == EOF || fclose(f) != 0 || chmod(path, 0755) != 0) {
    fprintf(stderr, "redislint: error: cannot write %s: %s\n", path, strerror(errno));
    return 2;
  }
  printf("redislint: installed the pre-commit hook %s\n", path);
  return 0;
}
