/* project.c - the project around the named paths (see project.h). */
#include "project.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "index.h"

static char *cwd_dup(void) {
  size_t cap = 256;
  for (;;) {
    char *buf = xmalloc(cap);
    if (getcwd(buf, cap)) return buf;
    free(buf);
    if (errno != ERANGE || cap > (1u << 20)) return NULL;
    cap *= 2;
  }
}

/* path made absolute against base (a working directory), lexically. */
static char *abs_join(const char *base_in, const char *path) {
  char *base = xstrdup(path[0] == '/' ? "" : base_in);
  size_t blen = strlen(base), plen = strlen(path);
  char *out = xmalloc(blen + plen + 3);
  size_t n = 0;
  /* components of base then path, "." dropped, ".." pops */
  const char *parts[2] = {base, path};
  for (int k = 0; k < 2; k++) {
    const char *p = parts[k];
    while (*p) {
      while (*p == '/') p++;
      const char *e = p;
      while (*e && *e != '/') e++;
      size_t len = (size_t)(e - p);
      if (len == 0) break;
      if (len == 1 && p[0] == '.') {
        /* nothing */
      } else if (len == 2 && p[0] == '.' && p[1] == '.') {
        while (n > 0 && out[n - 1] != '/') n--;
        if (n > 0) n--; /* the slash */
      } else {
        out[n++] = '/';
        memcpy(out + n, p, len);
        n += len;
      }
      p = e;
    }
  }
  if (n == 0) out[n++] = '/';
  out[n] = '\0';
  free(base);
  return out;
}

char *project_abs_path(const char *path) {
  char *cwd = path[0] == '/' ? NULL : cwd_dup();
  if (path[0] != '/' && !cwd) return NULL;
  char *abs = abs_join(cwd ? cwd : "", path);
  free(cwd);
  return abs;
}

static bool exists_in(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = xmalloc(n);
  snprintf(p, n, "%s/%s", strcmp(dir, "/") ? dir : "", name);
  struct stat st;
  bool ok = lstat(p, &st) == 0;
  free(p);
  return ok;
}

static bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *project_root_of(const char *path) {
  static const char *const markers[] = {"redislint.json", ".redislint.json", "pyproject.toml",
                                        "setup.py",       "setup.cfg",       ".git"};
  char *dir = project_abs_path(path);
  if (!dir) return NULL;
  if (!is_dir(dir)) { /* a file, or a name that only stdin holds: start at its directory */
    char *slash = strrchr(dir, '/');
    if (slash == dir) dir[1] = '\0';
    else if (slash) *slash = '\0';
  }
  const char *home = getenv("HOME");
  char *home_abs = home && home[0] == '/' ? project_abs_path(home) : NULL;
  char *root = NULL;
  char *pkg_top = NULL; /* the outermost package above the start (no marker found) */
  bool in_pkg = true;
  for (;;) {
    if (in_pkg && exists_in(dir, "__init__.py")) {
      free(pkg_top);
      pkg_top = xstrdup(dir);
    } else {
      in_pkg = false;
    }
    if (!strcmp(dir, "/") || (home_abs && !strcmp(dir, home_abs))) break;
    for (size_t i = 0; i < sizeof markers / sizeof markers[0] && !root; i++)
      if (exists_in(dir, markers[i])) root = xstrdup(dir);
    if (root) break;
    char *slash = strrchr(dir, '/');
    if (!slash) break;
    if (slash == dir) dir[1] = '\0';
    else *slash = '\0';
  }
  if (!root && pkg_top) { /* no marker: the directory holding the outermost package */
    char *slash = strrchr(pkg_top, '/');
    if (slash && slash != pkg_top) {
      *slash = '\0';
      if (!(home_abs && !strcmp(pkg_top, home_abs))) root = xstrdup(pkg_top);
    }
  }
  free(pkg_top);
  free(home_abs);
  free(dir);
  return root;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_str(char *const *v, size_t n, const char *s) {
  return n && bsearch(&s, v, n, sizeof *v, cmp_str) != NULL;
}

/* Is path equal to dir or below it? */
static bool under(const char *path, const char *dir) {
  size_t n = strlen(dir);
  if (!strcmp(dir, "/")) return true;
  return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* root as a path relative to the working directory (cwd), malloc'd. */
static char *relative_to(const char *root, const char *cwd) {
  if (!strcmp(root, cwd)) return xstrdup(".");
  if (under(root, cwd)) return xstrdup(root + (strcmp(cwd, "/") ? strlen(cwd) + 1 : 1));
  /* up from cwd to the common ancestor, then down */
  size_t common = 0;
  for (size_t i = 0; root[i] && root[i] == cwd[i]; i++)
    if (root[i] == '/') common = i;
  if (under(cwd, root)) common = strlen(root);
  size_t ups = 0;
  for (const char *p = cwd + common; *p; p++) ups += *p == '/';
  const char *down = root + common;
  while (*down == '/') down++;
  size_t len = 3 * ups + strlen(down) + 2;
  char *out = xmalloc(len), *o = out;
  for (size_t i = 0; i < ups; i++) {
    memcpy(o, "../", 3);
    o += 3;
  }
  if (*down) memcpy(o, down, strlen(down) + 1);
  else if (o > out) o[-1] = '\0';
  else memcpy(o, ".", 2);
  return out;
}

void project_expand(const char *const *args, size_t nargs, const char *stdin_name,
                    const FileList *named, const char *const *exclude, size_t nexclude,
                    Project *pj, FileList *context) {
  memset(pj, 0, sizeof *pj);
  char *cwd = cwd_dup();
  if (!cwd) return;
  pj->cwd = xstrdup(cwd);
  char *home = getenv("HOME") ? abs_join(cwd, getenv("HOME")) : NULL;
  /* the named files, by absolute path */
  size_t nnamed = 0;
  char **seen = xcalloc(named->len + 2, sizeof(char *));
  for (size_t i = 0; i < named->len; i++) {
    const char *p = strcmp(named->paths[i], "-") ? named->paths[i] : stdin_name;
    if (p && (seen[nnamed] = abs_join(cwd, p))) nnamed++;
  }
  qsort(seen, nnamed, sizeof(char *), cmp_str);
  /* the roots, and the directories named (their walk covers what is below) */
  char **dirs = xcalloc(nargs + 1, sizeof(char *));
  size_t ndirs = 0;
  pj->roots = xcalloc(nargs + 1, sizeof(char *));
  for (size_t i = 0; i < nargs; i++) {
    const char *p = strcmp(args[i], "-") ? args[i] : stdin_name;
    if (!p) continue;
    if (strcmp(args[i], "-") && is_dir(p) && (dirs[ndirs] = abs_join(cwd, p))) ndirs++;
    char *root = project_root_of(p);
    if (root && has_str(pj->roots, pj->nroots, root)) {
      free(root);
      continue;
    }
    if (root) {
      pj->roots[pj->nroots++] = root;
      qsort(pj->roots, pj->nroots, sizeof(char *), cmp_str);
    }
  }
  for (size_t r = 0; r < pj->nroots; r++) {
    bool covered = false;
    for (size_t d = 0; d < ndirs && !covered; d++) covered = under(pj->roots[r], dirs[d]);
    /* a root inside another root's walk is walked once */
    for (size_t o = 0; o < pj->nroots && !covered; o++)
      covered = o != r && under(pj->roots[r], pj->roots[o]);
    if (covered) continue;
    char *rel = relative_to(pj->roots[r], cwd);
    const char *walk[1] = {rel};
    FileList found = {0};
    Diags quiet = {0};
    discover(walk, 1, &found, &quiet);
    diags_free(&quiet);
    filelist_exclude(&found, exclude, nexclude, NULL, 0, true, NULL);
    for (size_t i = 0; i < found.len; i++) {
      char *abs = abs_join(cwd, found.paths[i]);
      if (abs && !has_str(seen, nnamed, abs) && !(home && !strcmp(abs, home)))
        filelist_push(context, found.paths[i]);
      free(abs);
    }
    filelist_free(&found);
    free(rel);
  }
  for (size_t i = 0; i < nnamed; i++) free(seen[i]);
  for (size_t i = 0; i < ndirs; i++) free(dirs[i]);
  free(seen);
  free(dirs);
  free(home);
  free(cwd);
}

char *project_relative(const Project *pj, const char *path) {
  if (!pj || !pj->nroots) return NULL;
  /* asked by several rules per file: the working directory is the one
   * project_expand saw, not a getcwd() per question */
  char *abs = pj->cwd ? abs_join(pj->cwd, path) : project_abs_path(path);
  const char *best = NULL;
  for (size_t r = 0; abs && r < pj->nroots; r++)
    if (under(abs, pj->roots[r]) && strcmp(abs, pj->roots[r]) &&
        (!best || strlen(pj->roots[r]) > strlen(best)))
      best = pj->roots[r];
  char *rel = best ? xstrdup(abs + (strcmp(best, "/") ? strlen(best) + 1 : 1)) : NULL;
  free(abs);
  return rel;
}

char *project_module(const Project *pj, const char *path) {
  char *rel = project_relative(pj, path);
  char *m = module_name_for_path(rel ? rel : path);
  free(rel);
  return m;
}

void project_free(Project *pj) {
  free(pj->cwd);
  for (size_t i = 0; i < pj->nroots; i++) free(pj->roots[i]);
  free(pj->roots);
  memset(pj, 0, sizeof *pj);
}
