/* discover.h - turn the paths given on the command line into a sorted file list. */
#ifndef RL_DISCOVER_H
#define RL_DISCOVER_H
#include <stdbool.h>
#include <stddef.h>
#include "diag.h"

typedef struct FileList {
  char **paths; /* owned; display paths ("./" prefix removed), sorted, unique */
  bool *walked; /* walked[i]: paths[i] was found by walking a directory, not named
                   on the command line (a file both named and walked was named);
                   owned; NULL when nothing was walked */
  size_t len, cap;
} FileList;

/* Files named explicitly are always included (whatever their extension);
 * directories are walked recursively for *.py and *.pyi, skipping .git, .hg,
 * .svn, virtualenvs (a directory holding pyvenv.cfg, or named .venv/venv/.tox/
 * .nox), node_modules, __pycache__, .mypy_cache, .pytest_cache, build dirs of
 * eggs. Symlinked directories are not followed. Missing paths and unreadable
 * directories are DIAG_ERRORs; the walk goes on. Returns 0 if no error was
 * added, -1 otherwise. */
int discover(const char *const *paths, size_t npaths, FileList *out, Diags *diags);
/* Adds a copy of path, as named (not walked). */
void filelist_push(FileList *self, const char *path);
/* Does a path match an exclude pattern? A pattern with a '/' is matched
 * (fnmatch) against the whole path and every tail of it that starts at a
 * directory boundary ("legacy/cache.py", "app/gen/"); one without, against
 * each path component ("migrations", "*_pb2.py"). A trailing '/' matches
 * directories only. "./" prefixes are ignored. */
bool path_excluded(const char *path, const char *const *patterns, size_t n);
/* Drops the files matching the patterns; files named on the command line
 * (`named`) are kept unless `force` (pre-commit passes files by name).
 * "-" stands for stdin_name. */
void filelist_exclude(FileList *self, const char *const *patterns, size_t n,
                      const char *const *named, size_t nnamed, bool force,
                      const char *stdin_name);
void filelist_free(FileList *self);
#endif
