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
/* Writes data to path atomically (fs_replace without a compare; the file at
 * the end of a symbolic link chain is the one written): a reader sees the
 * old content or the new, never a torn one, and a full disk leaves the old
 * file as it was. 0, or -1 with errno set (nothing left behind). */
int fs_write_atomic(const char *path, const void *data, size_t len);
/* The same for a file that can be made again (the result cache): a temporary
 * file next to path renamed over it, without fsync, locks or the old file's
 * owner and attributes. A reader still sees the old content or the new; a
 * crash may leave the new one empty or short, which a reader must check. */
int fs_write_scratch(const char *path, const void *data, size_t len);
/* Replaces the content of the regular file `target` with data[0..len)
 * (fsreplace.c): a new unnamed file in its directory takes its mode, owner
 * and extended attributes and is renamed over it; a file with several hard
 * links, or whose owner or attributes a new file cannot take, is rewritten
 * in place (space reserved first). With `expect`, the target must still be
 * the inode it was and hold exactly expect[0..elen) at the last moment
 * before the rename ("changed on disk during the run" otherwise). The file
 * is locked (flock) meanwhile, so concurrent runs never mix. A target that
 * does not exist is created (without `expect`). 0, or -1 with errno and
 * *why (a phrase: "it changed on disk during the run"). */
int fs_replace(const char *target, const void *data, size_t len, const void *expect, size_t elen,
               const char **why);
/* Tests only: called once the new content is on disk, just before the last
 * compare (a user's save in the window must be kept). */
extern void (*fs_replace_hook)(const char *target);
#endif
