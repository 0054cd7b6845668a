/* diffbase.c - the lines a change added, from libgit2 (see diffbase.h). */
#include "diffbase.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "dl_git.h"
#include "source.h"

typedef struct ChangedFile {
  char *path;      /* relative to the working tree, '/'-separated */
  uint32_t *lines; /* added lines of the new side, ascending */
  size_t n, cap;
} ChangedFile;

struct ChangedLines {
  char *workdir;   /* real path of the working tree, with a trailing '/' */
  ChangedFile *files; /* sorted by path once loaded */
  size_t nfiles, cap;
  char commit[16];
  git_repository *repo; /* kept open for a buffer's diff (stdin) */
  git_tree *tree;       /* the merge-base's tree */
  ChangedFile buffer;   /* the lines a --stdin-filename buffer changed */
};

static int file_cmp(const void *a, const void *b) {
  return strcmp(((const ChangedFile *)a)->path, ((const ChangedFile *)b)->path);
}

static ChangedFile *file_for(ChangedLines *cl, const char *path) {
  /* libgit2 reports each file's lines together: the last file is the one */
  if (cl->nfiles && !strcmp(cl->files[cl->nfiles - 1].path, path)) return &cl->files[cl->nfiles - 1];
  if (cl->nfiles == cl->cap) {
    cl->cap = cl->cap ? cl->cap * 2 : 16;
    cl->files = xrealloc(cl->files, cl->cap * sizeof *cl->files);
  }
  ChangedFile *f = &cl->files[cl->nfiles++];
  memset(f, 0, sizeof *f);
  f->path = xstrdup(path);
  return f;
}

static void add_line(ChangedFile *f, const git_diff_line *line) {
  if (f->n == f->cap) {
    f->cap = f->cap ? f->cap * 2 : 16;
    f->lines = xrealloc(f->lines, f->cap * sizeof *f->lines);
  }
  f->lines[f->n++] = (uint32_t)line->new_lineno;
}

static int on_line(const git_diff_delta *delta, const git_diff_hunk *hunk, const git_diff_line *line,
                   void *payload) {
  (void)hunk;
  if (line->origin == GIT_DIFF_LINE_ADDITION && line->new_lineno > 0)
    add_line(file_for(payload, delta->new_file.path), line);
  return 0;
}

static int on_buffer_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
                          const git_diff_line *line, void *payload) {
  (void)delta, (void)hunk;
  if (line->origin == GIT_DIFF_LINE_ADDITION && line->new_lineno > 0) add_line(payload, line);
  return 0;
}

static int u32_cmp(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static void set_git_err(char *err, size_t errsize, const char *what) {
  const git_error *e = git_error_last();
  snprintf(err, errsize, "%s%s%s", what, e && e->message ? ": " : "", e && e->message ? e->message : "");
}

/* The merge-base of rev and HEAD, diffed against the working tree. */
static int load(ChangedLines *cl, git_repository *repo, const char *rev, char *err, size_t errsize) {
  git_object *obj = NULL;
  git_commit *base_commit = NULL;
  git_diff *diff = NULL;
  git_oid head, base;
  int rc = -1;
  if (git_revparse_single(&obj, repo, rev) != 0) {
    snprintf(err, errsize, "--diff-base: unknown revision '%s'", rev);
    goto out;
  }
  git_object *peeled = NULL;
  if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) != 0) {
    snprintf(err, errsize, "--diff-base: '%s' does not name a commit", rev);
    goto out;
  }
  git_oid rev_oid = *git_object_id(peeled);
  git_object_free(peeled);
  if (git_reference_name_to_id(&head, repo, "HEAD") != 0) {
    set_git_err(err, errsize, "--diff-base: the repository has no HEAD commit");
    goto out;
  }
  if (git_merge_base(&base, repo, &head, &rev_oid) != 0) {
    snprintf(err, errsize, "--diff-base: '%s' and HEAD have no common ancestor", rev);
    goto out;
  }
  git_oid_tostr(cl->commit, sizeof cl->commit, &base);
  if (git_commit_lookup(&base_commit, repo, &base) != 0 || git_commit_tree(&cl->tree, base_commit) != 0) {
    set_git_err(err, errsize, "--diff-base: cannot read the merge-base commit");
    goto out;
  }
  git_diff_options o;
  git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
  o.context_lines = 0;
  o.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
            GIT_DIFF_SHOW_UNTRACKED_CONTENT;
  if (git_diff_tree_to_workdir_with_index(&diff, repo, cl->tree, &o) != 0) {
    set_git_err(err, errsize, "--diff-base: cannot diff the working tree");
    goto out;
  }
  /* a moved file counts by its edits, not as all new */
  git_diff_find_options fo;
  git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
  fo.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_FOR_UNTRACKED;
  if (git_diff_find_similar(diff, &fo) != 0 ||
      git_diff_foreach(diff, NULL, NULL, NULL, on_line, cl) != 0) {
    set_git_err(err, errsize, "--diff-base: cannot read the diff");
    goto out;
  }
  rc = 0;
out:
  git_diff_free(diff);
  git_commit_free(base_commit);
  git_object_free(obj);
  return rc;
}

ChangedLines *diffbase_load(const char *rev, char *err, size_t errsize) {
  char why[512];
  if (!dynlib_git(why, sizeof why)) {
    snprintf(err, errsize, "--diff-base: %s", why);
    return NULL;
  }
  git_libgit2_init();
  ChangedLines *cl = xcalloc(1, sizeof *cl);
  git_repository *repo = NULL;
  int rc = -1;
  if (git_repository_open_ext(&repo, ".", 0, NULL) != 0) {
    snprintf(err, errsize, "--diff-base: the working directory is not in a git repository");
  } else if (git_repository_is_bare(repo)) {
    snprintf(err, errsize, "--diff-base: the repository has no working tree");
  } else {
    char real[PATH_MAX];
    if (!realpath(git_repository_workdir(repo), real)) {
      snprintf(err, errsize, "--diff-base: cannot resolve the working tree");
    } else {
      cl->workdir = xmalloc(strlen(real) + 2);
      snprintf(cl->workdir, strlen(real) + 2, "%s%s", real, real[strlen(real) - 1] == '/' ? "" : "/");
      rc = load(cl, repo, rev, err, errsize);
    }
  }
  cl->repo = repo; /* freed with cl */
  if (rc) {
    diffbase_free(cl);
    return NULL;
  }
  /* renamed files may come back to a path: merge runs of one path */
  if (cl->nfiles > 1) qsort(cl->files, cl->nfiles, sizeof *cl->files, file_cmp);
  for (size_t i = 0; i < cl->nfiles; i++)
    if (cl->files[i].n > 1) qsort(cl->files[i].lines, cl->files[i].n, sizeof(uint32_t), u32_cmp);
  return cl;
}

const char *diffbase_commit(const ChangedLines *cl) { return cl->commit; }

void diffbase_free(ChangedLines *cl) {
  if (!cl) return;
  git_tree_free(cl->tree);
  git_repository_free(cl->repo);
  git_libgit2_shutdown();
  free(cl->buffer.lines);
  for (size_t i = 0; i < cl->nfiles; i++) {
    free(cl->files[i].path);
    free(cl->files[i].lines);
  }
  free(cl->files);
  free(cl->workdir);
  free(cl);
}

/* The changed file a linted path is, or NULL. Paths are made absolute and
 * real (symbolic links resolved; a path that does not exist, such as a
 * --stdin-filename name, through its directory) and taken relative to the
 * working tree. */
/* real: PATH_MAX bytes */
static const char *relative(const ChangedLines *cl, const char *path, char *real) {
  char buf[PATH_MAX];
  if (!realpath(path, real)) {
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    if (!*dir) snprintf(dir, sizeof dir, "/");
    if (!realpath(dir, buf)) return NULL;
    int n = snprintf(real, PATH_MAX, "%s/%s", buf, slash ? slash + 1 : path);
    if (n < 0 || n >= PATH_MAX) return NULL;
  }
  size_t wl = strlen(cl->workdir);
  return strncmp(real, cl->workdir, wl) == 0 ? real + wl : NULL;
}

static const ChangedFile *lookup(const ChangedLines *cl, const char *path) {
  char real[PATH_MAX];
  const char *rel = relative(cl, path, real);
  if (!rel || !cl->nfiles) return NULL;
  ChangedFile key = {.path = (char *)rel};
  return bsearch(&key, cl->files, cl->nfiles, sizeof *cl->files, file_cmp);
}

/* The lines a buffer (stdin standing for `path`) adds to the merge-base's
 * version of that file (all of them when the file is new). */
static const ChangedFile *buffer_lines(ChangedLines *cl, const char *path, const char *text,
                                       size_t len) {
  char real[PATH_MAX];
  const char *rel = relative(cl, path, real);
  if (!rel) return NULL;
  git_tree_entry *e = NULL;
  git_blob *blob = NULL;
  if (git_tree_entry_bypath(&e, cl->tree, rel) == 0)
    git_blob_lookup(&blob, cl->repo, git_tree_entry_id(e)); /* NULL on failure: all new */
  git_diff_options o;
  git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
  o.context_lines = 0;
  cl->buffer.n = 0;
  int rc = git_diff_blob_to_buffer(blob, rel, text, len, rel, &o, NULL, NULL, NULL,
                                   on_buffer_line, &cl->buffer);
  git_blob_free(blob);
  git_tree_entry_free(e);
  return rc == 0 ? &cl->buffer : NULL;
}

/* Is any line from a to b (inclusive) changed? */
static int touches(const ChangedFile *f, uint32_t a, uint32_t b) {
  size_t lo = 0, hi = f->n;
  while (lo < hi) { /* first changed line >= a */
    size_t mid = lo + (hi - lo) / 2;
    if (f->lines[mid] < a) lo = mid + 1;
    else hi = mid;
  }
  return lo < f->n && f->lines[lo] <= b;
}

static int finding_touches(const ChangedFile *f, const Source *src, const Finding *x) {
  uint32_t a = source_position(src, x->start).line;
  uint32_t b = source_position(src, x->end > x->start ? x->end - 1 : x->start).line;
  if (touches(f, a, b)) return 1;
  for (size_t i = 0; i < x->nrelated; i++) {
    const Related *r = &x->related[i];
    if (r->path && strcmp(r->path, src->path) != 0) continue;
    if (touches(f, source_position(src, r->start).line, source_position(src, r->end).line))
      return 1;
  }
  return 0;
}

size_t diffbase_filter(ChangedLines *cl, LintRun *run, const char *stdin_name) {
  size_t dropped = 0;
  for (size_t i = 0; i < run->nfiles; i++) {
    FileResult *fr = &run->files[i];
    if (!fr->loaded || (!fr->nfindings && !fr->nsuppressed)) continue;
    const ChangedFile *f = stdin_name && !strcmp(fr->src.path, stdin_name)
                               ? buffer_lines(cl, stdin_name, fr->src.text, fr->src.len)
                               : lookup(cl, fr->src.path);
    size_t out = 0;
    for (size_t j = 0; j < fr->nfindings; j++)
      if (f && finding_touches(f, &fr->src, &fr->findings[j])) fr->findings[out++] = fr->findings[j];
    dropped += fr->nfindings - out;
    run->nfindings -= fr->nfindings - out;
    fr->nfindings = out;
    out = 0;
    for (size_t j = 0; j < fr->nsuppressed; j++)
      if (f && finding_touches(f, &fr->src, &fr->suppressed[j]))
        fr->suppressed[out++] = fr->suppressed[j];
    fr->nsuppressed = out;
  }
  return dropped;
}
