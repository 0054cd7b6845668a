/* fsutil.h - small file-system facts shared by the parts that read files
 * next to the linted code (dependency pins, configuration, baselines,
 * .gitignore). */
#ifndef RL_FSUTIL_H
#define RL_FSUTIL_H
#include <stdbool.h>
#include <stddef.h>

bool fs_exists(const char *path);
bool fs_is_file(const char *path); /* a regular file (after symlinks) */
/* Is dir the root of a repository (it holds .git or .hg)? */
bool fs_is_repo_root(const char *dir);
/* The whole file, NUL-terminated, malloc'ed; NULL when it cannot be read,
 * is not a regular file or holds more than max bytes (errno says why:
 * EISDIR a directory, ENODEV a FIFO, device or socket, EFBIG the size;
 * fs_error words it). */
char *fs_read(const char *path, size_t max, size_t *len);
/* Why fs_read (or a stat of a file to read) failed, in words: "is a
 * directory", "is a FIFO, not a regular file", ..., else strerror. */
const char *fs_error(int err);
/* 0 when path is a regular file (after symlinks), else an errno as fs_read
 * sets it. */
int fs_check_regular(const char *path);
/* Writes data to path atomically: a temporary file in the same directory,
 * flushed to disk, renamed over path; a reader sees the old content or the
 * new, never a torn one, and a full disk leaves the old file as it was.
 * 0, or -1 with errno set (the temporary file removed). */
int fs_write_atomic(const char *path, const void *data, size_t len);
#endif
