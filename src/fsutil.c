/* fsutil.c - see fsutil.h. */
#include "fsutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"

bool fs_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

bool fs_is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool fs_is_repo_root(const char *dir) {
  char probe[4200];
  snprintf(probe, sizeof probe, "%s/.git", *dir ? dir : "/");
  if (fs_exists(probe)) return true;
  snprintf(probe, sizeof probe, "%s/.hg", *dir ? dir : "/");
  return fs_exists(probe);
}

/* what the last non-regular file was: 1 FIFO, 2 character device, 3 block
 * device, 4 socket, 0 another */
static _Thread_local int g_last_kind;

int fs_check_regular(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) return errno;
  if (S_ISREG(st.st_mode)) return 0;
  g_last_kind = S_ISFIFO(st.st_mode)  ? 1
                : S_ISCHR(st.st_mode) ? 2
                : S_ISBLK(st.st_mode) ? 3
                : S_ISSOCK(st.st_mode) ? 4 : 0;
  return S_ISDIR(st.st_mode) ? EISDIR : ENODEV;
}

const char *fs_error(int err) {
  if (err == EISDIR) return "is a directory, not a file";
  if (err == ENODEV)
    switch (g_last_kind) {
    case 1: return "is a FIFO (named pipe), not a regular file";
    case 2: return "is a character device, not a regular file";
    case 3: return "is a block device, not a regular file";
    case 4: return "is a socket, not a regular file";
    default: return "not a regular file";
    }
  if (err == EFBIG) return "file too large";
  return strerror(err);
}

char *fs_read(const char *path, size_t max, size_t *len) {
  struct stat st;
  int bad = fs_check_regular(path);
  if (bad) {
    errno = bad;
    return NULL;
  }
  if (stat(path, &st) != 0) return NULL;
  if ((unsigned long long)st.st_size > max) {
    errno = EFBIG;
    return NULL;
  }
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = (size_t)st.st_size + 1, n = 0, r;
  char *buf = xmalloc(cap + 1);
  /* the size may have changed since stat: read until EOF, up to max */
  while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) {
      if (cap > max) break;
      buf = xrealloc(buf, (cap *= 2) + 1);
    }
  }
  bool err = ferror(f);
  fclose(f);
  if (err || n > max) {
    free(buf);
    errno = err ? EIO : EFBIG;
    return NULL;
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}
