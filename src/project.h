/* project.h - the project around the paths named on the command line.
 *
 * A file's Redis clients often come from another module of its project
 * (`from app.extensions import redis_client`). When the paths named are a
 * subset of a project (the pre-commit hook, an editor buffer, one file on
 * the command line), the rest of the project is read too, to build the
 * index and the inference, and findings are reported for the named files
 * only: a file's findings are the same alone as with its whole project.
 *
 * A project root is the nearest directory, from the named path upwards,
 * that holds redislint.json, .redislint.json, pyproject.toml, setup.py,
 * setup.cfg or .git. The file system root and $HOME are never a project
 * root (a dotfiles repository in $HOME is not the project of every file
 * below it). With no marker, a file in a package (a directory with
 * __init__.py) belongs to the directory that holds its outermost package.
 * Module names are taken relative to the root, so that
 * `cd app && redislint check views.py` names the module `app.views` as a
 * run from the root does. */
#ifndef RL_PROJECT_H
#define RL_PROJECT_H
#include <stdbool.h>
#include <stddef.h>

#include "discover.h"

typedef struct Project {
  char **roots; /* absolute (lexically normalised, no trailing '/'), sorted, unique */
  size_t nroots;
  char *cwd;    /* the working directory when the roots were found */
} Project;

/* The absolute, lexically normalised form of path ("." and ".." resolved
 * against the working directory without following symlinks). Malloc'd;
 * NULL when the working directory is unknown. */
char *project_abs_path(const char *path);

/* The project root of a path (a file or a directory), malloc'd, or NULL. */
char *project_root_of(const char *path);

/* Fills pj with the roots of the named arguments (args: the paths as given,
 * "-" standing for stdin_name) and context with every other Python file
 * below those roots that a directory walk would lint (the same skipped
 * directories, minus the exclude patterns), as display paths relative to
 * the working directory. Files named already are not repeated, nor are
 * roots that a named directory covers. Problems of the walk (unreadable
 * directories) are not the user's files: they are dropped. */
void project_expand(const char *const *args, size_t nargs, const char *stdin_name,
                    const FileList *named, const char *const *exclude, size_t nexclude,
                    Project *pj, FileList *context);

/* The module name of a file: relative to the longest root that holds it,
 * else from its display path (module_name_for_path). Malloc'd. */
char *project_module(const Project *pj, const char *path);

/* The path relative to the longest root that holds it, malloc'd; NULL when
 * no root holds it (or pj is NULL or empty). */
char *project_relative(const Project *pj, const char *path);

void project_free(Project *pj);
#endif
