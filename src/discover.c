/* discover.c - command-line paths -> sorted, unique list of files to lint.
 *
 * Directories are walked with an explicit stack (no recursion), so depth is
 * bounded only by memory. Entries are classified with fstatat(AT_SYMLINK_NOFOLLOW)
 * relative to the open directory: symlinked directories are never entered
 * (so symlink loops cannot hang the walk), symlinked files are linted only
 * when they resolve to a regular file. The type readdir reports spares that
 * stat for plain files and directories. */
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

static void push(FileList *self, const char *path, bool walked) {
  if (self->len == self->cap) {
    self->cap = self->cap ? self->cap * 2 : 64;
    self->paths = xrealloc(self->paths, self->cap * sizeof *self->paths);
    if (self->walked) self->walked = xrealloc(self->walked, self->cap * sizeof *self->walked);
  }
  if (walked && !self->walked) self->walked = xcalloc(self->cap, sizeof *self->walked);
  if (self->walked) self->walked[self->len] = walked;
  self->paths[self->len++] = xstrdup(path);
}

void filelist_push(FileList *self, const char *path) { push(self, path, false); }

void filelist_free(FileList *self) {
  for (size_t i = 0; i < self->len; i++) free(self->paths[i]);
  free(self->paths);
  free(self->walked);
  self->paths = NULL;
  self->walked = NULL;
  self->len = self->cap = 0;
}

static int has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static int is_python_name(const char *name) {
  /* and Lua scripts (whose redis.call sites the lint reads; a .lua file
     that calls none costs a read) */
  return has_suffix(name, ".py") || has_suffix(name, ".pyi") || has_suffix(name, ".lua");
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

/* ---------------------------------------------------------------- .gitignore
 *
 * Walks honour the .gitignore files of the walked directories and of their
 * ancestors up to the repository root (the directory holding .git), plus
 * .git/info/exclude: blank lines and # comments skipped, `!` re-includes,
 * a trailing `/` matches directories only, a pattern with a `/` before its
 * end is anchored to its file's directory, one without matches the name at
 * any depth, `**` spans directories. The last matching pattern wins, the
 * deeper file after the shallower. An ignored directory is not entered (as
 * in git, nothing below it can be re-included). Files named on the command
 * line are linted anyway. */

typedef struct IgnorePat {
  char *pat;     /* without `!`, leading `/` and trailing `/` */
  bool negate, dir_only, anchored;
  /* how an unanchored pattern is matched against a name: most lines of a
   * .gitignore are a plain name or `*` and a suffix, and fnmatch for every
   * pattern and every entry of a large tree cost more than the walk */
  enum { PAT_GLOB, PAT_NAME, PAT_SUFFIX } shape;
  size_t tail_len; /* PAT_SUFFIX: strlen(pat + 1) */
} IgnorePat;

typedef struct IgnoreFile {
  char *base; /* absolute directory, no trailing slash ("" for /) */
  IgnorePat *pats;
  size_t n;
} IgnoreFile;

typedef struct Ignores {
  IgnoreFile *files;
  size_t n, cap;
  char **seen; /* directories whose .gitignore was looked for */
  size_t nseen, capseen;
} Ignores;

static void ignores_free(Ignores *ig) {
  for (size_t i = 0; i < ig->n; i++) {
    for (size_t k = 0; k < ig->files[i].n; k++) free(ig->files[i].pats[k].pat);
    free(ig->files[i].pats);
    free(ig->files[i].base);
  }
  for (size_t i = 0; i < ig->nseen; i++) free(ig->seen[i]);
  free(ig->files);
  free(ig->seen);
}

/* Reads one ignore file (a missing one adds nothing). */
static void ignores_load(Ignores *ig, const char *base, const char *file) {
  FILE *f = fopen(file, "r");
  if (!f) return;
  IgnoreFile gf = {xstrdup(base), NULL, 0};
  size_t cap = 0;
  char line[4096];
  while (fgets(line, sizeof line, f)) {
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ')) line[--n] = '\0';
    char *p = line;
    if (!*p || *p == '#') continue;
    IgnorePat ip = {0};
    if (*p == '!') {
      ip.negate = true;
      p++;
    } else if (*p == '\\' && (p[1] == '#' || p[1] == '!')) {
      p++;
    }
    n = strlen(p);
    if (n && p[n - 1] == '/') {
      ip.dir_only = true;
      p[--n] = '\0';
    }
    if (!strncmp(p, "**/", 3)) p += 3; /* any depth: same as unanchored */
    else if (strchr(p, '/')) ip.anchored = true;
    if (*p == '/') p++;
    if (!*p) continue;
    ip.pat = xstrdup(p);
    if (!strpbrk(p, "*?[\\")) ip.shape = PAT_NAME;
    else if (p[0] == '*' && !strpbrk(p + 1, "*?[\\")) ip.shape = PAT_SUFFIX, ip.tail_len = strlen(p + 1);
    if (gf.n == cap) gf.pats = xrealloc(gf.pats, (cap = cap ? cap * 2 : 8) * sizeof *gf.pats);
    gf.pats[gf.n++] = ip;
  }
  fclose(f);
  if (!gf.n) {
    free(gf.base);
    free(gf.pats);
    return;
  }
  if (ig->n == ig->cap) ig->files = xrealloc(ig->files, (ig->cap = ig->cap ? ig->cap * 2 : 8) * sizeof *ig->files);
  ig->files[ig->n++] = gf;
}

/* The absolute, lexically normalized form of a walk path ("" = the cwd). */
static char *absolute(const char *path) {
  char cwd[4096];
  if (path[0] != '/' && !getcwd(cwd, sizeof cwd)) return xstrdup(path);
  size_t n = strlen(path) + (path[0] == '/' ? 0 : strlen(cwd)) + 2;
  char *in = xmalloc(n), *out = xmalloc(n);
  if (path[0] == '/') snprintf(in, n, "%s", path);
  else snprintf(in, n, "%s/%s", cwd, path);
  size_t k = 0;
  for (char *tok = in; *tok;) {
    char *slash = strchr(tok, '/');
    size_t len = slash ? (size_t)(slash - tok) : strlen(tok);
    if (len == 0 || (len == 1 && tok[0] == '.')) {
    } else if (len == 2 && tok[0] == '.' && tok[1] == '.') {
      while (k > 0 && out[k - 1] != '/') k--;
      if (k > 0) k--;
    } else {
      out[k++] = '/';
      memcpy(out + k, tok, len);
      k += len;
    }
    if (!slash) break;
    tok = slash + 1;
  }
  out[k] = '\0';
  free(in);
  return out;
}

static bool seen_dir(Ignores *ig, const char *abs) {
  for (size_t i = 0; i < ig->nseen; i++)
    if (!strcmp(ig->seen[i], abs)) return true;
  if (ig->nseen == ig->capseen)
    ig->seen = xrealloc(ig->seen, (ig->capseen = ig->capseen ? ig->capseen * 2 : 16) * sizeof *ig->seen);
  ig->seen[ig->nseen++] = xstrdup(abs);
  return false;
}

static void load_dir(Ignores *ig, const char *abs) {
  if (seen_dir(ig, abs)) return;
  char *f = path_join(*abs ? abs : "/", ".gitignore");
  ignores_load(ig, abs, f);
  free(f);
}

/* Before walking root: when root is inside a git repository, the ignore
 * files of its ancestors up to the repository root (outermost first), and
 * the repository's .git/info/exclude. Outside a repository: none. */
static void load_ancestors(Ignores *ig, const char *root_abs) {
  char *chain[256];
  size_t n = 0;
  char *cur = xstrdup(root_abs);
  bool found = false;
  for (int depth = 0; depth < 256; depth++) {
    char *git = path_join(*cur ? cur : "/", ".git");
    struct stat st;
    found = stat(git, &st) == 0;
    if (found && S_ISDIR(st.st_mode)) {
      char *ex = path_join(git, "info/exclude");
      if (!seen_dir(ig, ex)) ignores_load(ig, cur, ex);
      free(ex);
    }
    free(git);
    if (found) break;
    char *slash = strrchr(cur, '/');
    if (!slash) break;
    *slash = '\0';
    chain[n++] = xstrdup(cur);
  }
  free(cur);
  while (n) {
    if (found) load_dir(ig, chain[n - 1]);
    free(chain[--n]);
  }
}

static bool pat_matches(const IgnorePat *ip, const char *rel, bool is_dir) {
  if (ip->dir_only && !is_dir) return false;
  if (ip->anchored) {
    int flags = strstr(ip->pat, "**") ? 0 : FNM_PATHNAME;
    return fnmatch(ip->pat, rel, flags) == 0;
  }
  const char *base = strrchr(rel, '/');
  base = base ? base + 1 : rel;
  if (ip->shape == PAT_NAME) return !strcmp(ip->pat, base);
  if (ip->shape == PAT_SUFFIX) { /* `*` matches any run of characters, `/` included: none here */
    size_t n = strlen(base);
    return n >= ip->tail_len && !memcmp(base + n - ip->tail_len, ip->pat + 1, ip->tail_len);
  }
  return fnmatch(ip->pat, base, 0) == 0;
}

/* Is the entry (absolute path) ignored? */
static bool ignored(const Ignores *ig, const char *abs, bool is_dir) {
  bool ign = false;
  for (size_t i = 0; i < ig->n; i++) {
    const IgnoreFile *gf = &ig->files[i];
    size_t bl = strlen(gf->base);
    if (strncmp(abs, gf->base, bl) || abs[bl] != '/') continue;
    const char *rel = abs + bl + 1;
    for (size_t k = 0; k < gf->n; k++)
      if (pat_matches(&gf->pats[k], rel, is_dir)) ign = !gf->pats[k].negate;
  }
  return ign;
}

/* Classifies one directory entry: lints files, queues subdirectories.
 * Returns 0, or an errno if the entry could not be examined. */
static int visit_entry(int dfd, const char *dir, const char *abs_dir, const char *name,
                       unsigned char type, FileList *out, DirStack *todo, const Ignores *ig) {
  struct stat st;
  /* the type readdir gives (most file systems do) spares a stat per entry;
   * symlinks and DT_UNKNOWN are looked at */
  if (type == DT_REG || type == DT_DIR) {
    st.st_mode = type == DT_REG ? S_IFREG : S_IFDIR;
  } else if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return errno == ENOENT ? 0 : errno; /* ENOENT: removed since readdir */
  }
  bool is_dir = S_ISDIR(st.st_mode);
  if (!is_dir && !is_python_name(name)) return 0;
  if (ig->n) {
    char *abs = path_join(*abs_dir ? abs_dir : "/", name);
    bool ign = ignored(ig, abs, is_dir);
    free(abs);
    if (ign) return 0;
  }
  if (is_dir) {
    if (!is_skipped_dir(dfd, name)) stack_push(todo, path_join(dir, name));
    return 0;
  }
  if (S_ISLNK(st.st_mode) && fstatat(dfd, name, &st, 0) != 0)
    return 0; /* dangling or looping symlink */
  if (!S_ISREG(st.st_mode)) return 0;
  char *path = path_join(dir, name);
  push(out, path, true);
  free(path);
  return 0;
}

/* Lists one directory. Returns 0, or -1 after adding one diagnostic. */
static int walk_one(const char *dir, FileList *out, DirStack *todo, Diags *diags, Ignores *ig) {
  char *abs_dir = absolute(dir);
  load_dir(ig, abs_dir);
  DIR *d = opendir(*dir ? dir : ".");
  if (!d) {
    add_errno_diag(diags, dir, "cannot read directory", errno);
    free(abs_dir);
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
    int entry_err = visit_entry(dfd, dir, abs_dir, e->d_name, e->d_type, out, todo, ig);
    if (entry_err && !err) err = entry_err;
  }
  closedir(d);
  free(abs_dir);
  if (err) add_errno_diag(diags, dir, "cannot read directory", err);
  return err ? -1 : 0;
}

/* Walks root and everything below it. Returns the number of errors added. */
static int walk(const char *root, FileList *out, Diags *diags) {
  DirStack todo = {0};
  Ignores ig = {0};
  int errors = 0;
  char *root_abs = absolute(root);
  load_ancestors(&ig, root_abs);
  free(root_abs);
  stack_push(&todo, xstrdup(root));
  while (todo.len) {
    char *dir = todo.items[--todo.len];
    if (walk_one(dir, out, &todo, diags, &ig) != 0) errors++;
    free(dir);
  }
  free(todo.items);
  ignores_free(&ig);
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

typedef struct Entry {
  char *path;
  bool walked;
} Entry;

static int cmp_entries(const void *a, const void *b) {
  return strcmp(((const Entry *)a)->path, ((const Entry *)b)->path);
}

/* Sorts with strcmp and drops duplicates (named if any copy was). */
static void sort_unique(FileList *self) {
  if (self->len < 2) return;
  Entry *e = xmalloc(self->len * sizeof *e);
  for (size_t i = 0; i < self->len; i++) e[i] = (Entry){self->paths[i], self->walked && self->walked[i]};
  qsort(e, self->len, sizeof *e, cmp_entries);
  size_t k = 1;
  for (size_t i = 1; i < self->len; i++) {
    if (strcmp(e[i].path, e[k - 1].path) == 0) {
      e[k - 1].walked = e[k - 1].walked && e[i].walked;
      free(e[i].path);
    } else {
      e[k++] = e[i];
    }
  }
  for (size_t i = 0; i < k; i++) {
    self->paths[i] = e[i].path;
    if (self->walked) self->walked[i] = e[i].walked;
  }
  self->len = k;
  free(e);
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
    if (self->walked) self->walked[out] = self->walked[i];
    self->paths[out++] = self->paths[i];
  }
  self->len = out;
}
