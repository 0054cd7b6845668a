/* discover.c - command-line paths -> sorted, unique list of files to lint.
 *
 * Directories are walked with an explicit stack (no recursion), so depth is
 * bounded only by memory. Entries are classified with fstatat(AT_SYMLINK_NOFOLLOW)
 * relative to the open directory: symlinked directories are never entered
 * (so symlink loops cannot hang the walk), symlinked files are linted only
 * when they resolve to a regular file. */
#include "discover.h"

#include <dirent.h>
#include <fnmatch.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"

/* Directory names never entered during a walk (add a name here). Names given
 * explicitly on the command line are walked anyway. */
static const char *const skip_dirs[] = {
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "node_modules",
    "__pycache__", ".mypy_cache", ".pytest_cache", ".eggs",
};

/* A stack of directory paths still to walk; paths are malloc'ed and owned. */
typedef struct DirStack {
  char **items;
  size_t len, cap;
} DirStack;

static void stack_push(DirStack *self, char *path) {
  if (self->len == self->cap) {
    self->cap = self->cap ? self->cap * 2 : 16;
    self->items = xrealloc(self->items, self->cap * sizeof *self->items);
  }
  self->items[self->len++] = path;
}

void filelist_push(FileList *self, const char *path) {
  if (self->len == self->cap) {
    self->cap = self->cap ? self->cap * 2 : 64;
    self->paths = xrealloc(self->paths, self->cap * sizeof *self->paths);
  }
  self->paths[self->len++] = xstrdup(path);
}

void filelist_free(FileList *self) {
  for (size_t i = 0; i < self->len; i++) free(self->paths[i]);
  free(self->paths);
  self->paths = NULL;
  self->len = self->cap = 0;
}

static int has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static int is_python_name(const char *name) {
  return has_suffix(name, ".py") || has_suffix(name, ".pyi");
}

static int is_skipped_dir(int parent_fd, const char *name) {
  for (size_t i = 0; i < sizeof skip_dirs / sizeof *skip_dirs; i++)
    if (strcmp(name, skip_dirs[i]) == 0) return 1;
  if (has_suffix(name, ".egg-info")) return 1;
  /* A virtualenv, whatever its name. */
  size_t n = strlen(name);
  char *cfg = xmalloc(n + sizeof "/pyvenv.cfg");
  memcpy(cfg, name, n);
  memcpy(cfg + n, "/pyvenv.cfg", sizeof "/pyvenv.cfg");
  struct stat st;
  int venv = fstatat(parent_fd, cfg, &st, 0) == 0;
  free(cfg);
  return venv;
}

/* "dir" + "/" + "name", or "name" when dir is "" (the cwd). Caller owns. */
static char *path_join(const char *dir, const char *name) {
  size_t a = strlen(dir), b = strlen(name);
  char *p = xmalloc(a + b + 2);
  size_t k = 0;
  if (a) {
    memcpy(p, dir, a);
    k = a;
    if (p[k - 1] != '/') p[k++] = '/';
  }
  memcpy(p + k, name, b + 1);
  return p;
}

/* Normalises a command-line path: "./" prefixes and repeated or trailing
 * slashes removed; "." and "./" become "" (the cwd). Caller owns. */
static char *normalize(const char *path) {
  size_t n = strlen(path), k = 0;
  char *out = xmalloc(n + 1);
  const char *p = path;
  while (p[0] == '.' && p[1] == '/') {
    p += 2;
    while (*p == '/') p++;
  }
  if (strcmp(p, ".") == 0) p++;
  for (; *p; p++) {
    if (*p == '/' && k > 0 && out[k - 1] == '/') continue;
    out[k++] = *p;
  }
  while (k > 1 && out[k - 1] == '/') k--;
  out[k] = '\0';
  return out;
}

/* Adds "<what>: <strerror(err)>" for path ("." when path is the cwd). */
static void add_errno_diag(Diags *diags, const char *path, const char *what, int err) {
  char buf[256];
  if (strerror_r(err, buf, sizeof buf) != 0) snprintf(buf, sizeof buf, "error %d", err);
  diags_add(diags, DIAG_ERROR, *path ? path : ".", 0, "%s: %s", what, buf);
}

/* Classifies one directory entry: lints files, queues subdirectories.
 * Returns 0, or an errno if the entry could not be examined. */
static int visit_entry(int dfd, const char *dir, const char *name, FileList *out,
                       DirStack *todo) {
  struct stat st;
  if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT ? 0 : errno; /* ENOENT: removed since readdir */
  if (S_ISDIR(st.st_mode)) {
    if (!is_skipped_dir(dfd, name)) stack_push(todo, path_join(dir, name));
    return 0;
  }
  if (!is_python_name(name)) return 0;
  if (S_ISLNK(st.st_mode) && fstatat(dfd, name, &st, 0) != 0)
    return 0; /* dangling or looping symlink */
  if (!S_ISREG(st.st_mode)) return 0;
  char *path = path_join(dir, name);
  filelist_push(out, path);
  free(path);
  return 0;
}

/* Lists one directory. Returns 0, or -1 after adding one diagnostic. */
static int walk_one(const char *dir, FileList *out, DirStack *todo, Diags *diags) {
  DIR *d = opendir(*dir ? dir : ".");
  if (!d) {
    add_errno_diag(diags, dir, "cannot read directory", errno);
    return -1;
  }
  int dfd = dirfd(d), err = 0;
  struct dirent *e;
  for (;;) {
    errno = 0;
    if (!(e = readdir(d))) {
      if (errno) err = errno;
      break;
    }
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    int entry_err = visit_entry(dfd, dir, e->d_name, out, todo);
    if (entry_err && !err) err = entry_err;
  }
  closedir(d);
  if (err) add_errno_diag(diags, dir, "cannot read directory", err);
  return err ? -1 : 0;
}

/* Walks root and everything below it. Returns the number of errors added. */
static int walk(const char *root, FileList *out, Diags *diags) {
  DirStack todo = {0};
  int errors = 0;
  stack_push(&todo, xstrdup(root));
  while (todo.len) {
    char *dir = todo.items[--todo.len];
    if (walk_one(dir, out, &todo, diags) != 0) errors++;
    free(dir);
  }
  free(todo.items);
  return errors;
}

/* Handles one command-line path. Returns the number of errors added. */
static int discover_one(const char *arg, FileList *out, Diags *diags) {
  if (strcmp(arg, "-") == 0) {
    filelist_push(out, "-");
    return 0;
  }
  char *path = normalize(arg);
  int errors = 0;
  struct stat st;
  if (stat(*path ? path : ".", &st) != 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR)
      diags_add(diags, DIAG_ERROR, arg, 0, "no such file or directory");
    else
      add_errno_diag(diags, arg, "cannot access", err);
    errors = 1;
  } else if (S_ISDIR(st.st_mode)) {
    errors = walk(path, out, diags);
  } else {
    filelist_push(out, path); /* explicit files: always, whatever the name */
  }
  free(path);
  return errors;
}

static int cmp_paths(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts with strcmp and drops duplicates. */
static void sort_unique(FileList *self) {
  if (self->len < 2) return;
  qsort(self->paths, self->len, sizeof *self->paths, cmp_paths);
  size_t k = 1;
  for (size_t i = 1; i < self->len; i++) {
    if (strcmp(self->paths[i], self->paths[k - 1]) == 0) free(self->paths[i]);
    else self->paths[k++] = self->paths[i];
  }
  self->len = k;
}

int discover(const char *const *paths, size_t npaths, FileList *out, Diags *diags) {
  int errors = 0;
  for (size_t i = 0; i < npaths; i++) errors += discover_one(paths[i], out, diags);
  sort_unique(out);
  return errors ? -1 : 0;
}

/* ---------------------------------------------------------------- exclude */

/* pat against every tail of path that starts at a directory boundary: the
 * tail itself (unless dir_only) and each of its directory prefixes. */
static bool match_tail(const char *pat, const char *path, bool dir_only) {
  for (const char *t = path; t && *t;) {
    if (!dir_only && fnmatch(pat, t, FNM_PATHNAME) == 0) return true;
    for (const char *q = strchr(t, '/'); q; q = strchr(q + 1, '/')) {
      char buf[4096];
      size_t n = (size_t)(q - t);
      if (n >= sizeof buf) break;
      memcpy(buf, t, n);
      buf[n] = '\0';
      if (fnmatch(pat, buf, FNM_PATHNAME) == 0) return true;
    }
    const char *slash = strchr(t, '/');
    t = slash ? slash + 1 : NULL;
  }
  return false;
}

bool path_excluded(const char *path, const char *const *patterns, size_t n) {
  while (!strncmp(path, "./", 2)) path += 2;
  for (size_t i = 0; i < n; i++) {
    char pat[1024];
    const char *src = patterns[i];
    while (!strncmp(src, "./", 2)) src += 2;
    size_t len = strlen(src);
    if (len == 0 || len >= sizeof pat) continue;
    memcpy(pat, src, len + 1);
    bool dir_only = pat[len - 1] == '/';
    if (dir_only) pat[--len] = '\0';
    if (strchr(pat, '/')) {
      if (match_tail(pat, path, dir_only)) return true;
      continue;
    }
    /* each component; the last one (the file) only for file patterns */
    const char *c = path;
    while (*c) {
      const char *slash = strchr(c, '/');
      size_t cl = slash ? (size_t)(slash - c) : strlen(c);
      char comp[1024];
      if (cl < sizeof comp) {
        memcpy(comp, c, cl);
        comp[cl] = '\0';
        if ((slash || !dir_only) && fnmatch(pat, comp, 0) == 0) return true;
      }
      if (!slash) break;
      c = slash + 1;
    }
  }
  return false;
}

void filelist_exclude(FileList *self, const char *const *patterns, size_t n,
                      const char *const *named, size_t nnamed, bool force,
                      const char *stdin_name) {
  if (n == 0) return;
  size_t out = 0;
  for (size_t i = 0; i < self->len; i++) {
    const char *p = self->paths[i];
    const char *shown = !strcmp(p, "-") && stdin_name ? stdin_name : p;
    bool was_named = false;
    for (size_t k = 0; k < nnamed && !was_named; k++) {
      const char *a = named[k], *b = p;
      while (!strncmp(a, "./", 2)) a += 2;
      was_named = !strcmp(a, b);
    }
    if ((!was_named || force) && path_excluded(shown, patterns, n)) {
      free(self->paths[i]);
      continue;
    }
    self->paths[out++] = self->paths[i];
  }
  self->len = out;
}
