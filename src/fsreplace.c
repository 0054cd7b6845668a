/* fsreplace.c - replacing a file's content without losing anything (see
 * fsutil.h: fs_replace, fs_write_atomic).
 *
 * The new content goes to an unnamed file in the target's directory
 * (O_TMPFILE; a hidden temporary name where the file system has none),
 * takes the target's mode, owner and extended attributes, is flushed to
 * disk, and is renamed over the target only after a last check that the
 * target is still the file (inode) and the bytes that were read. The target
 * is locked (flock) from before that check to after the rename, so two
 * redislint runs never interleave. A target with several hard links, or
 * whose owner or attributes a new file cannot take, is rewritten in place
 * instead (space reserved first, so a full disk leaves it unchanged). */
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"

void (*fs_replace_hook)(const char *target);

/* Opens and locks the file now at `target`; the lock is on the inode the
 * path names once it is held (a rename by someone else meanwhile: try
 * again). -1 with errno. */
static int lock_target(const char *target, struct stat *st) {
  for (int tries = 0; tries < 400; tries++) {
    int fd = open(target, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      close(fd);
      if (err != EWOULDBLOCK) {
        errno = err;
        return -1;
      }
      struct timespec pause = {0, 25 * 1000 * 1000}; /* another run holds it: wait for it */
      nanosleep(&pause, NULL);
      continue;
    }
    struct stat now;
    if (fstat(fd, st) == 0 && stat(target, &now) == 0 && now.st_dev == st->st_dev &&
        now.st_ino == st->st_ino)
      return fd;
    close(fd);
  }
  errno = EWOULDBLOCK;
  return -1;
}

/* Is `target` still the locked inode, holding exactly expect[0..n)? */
static bool still_as_read(int lfd, const char *target, const void *expect, size_t n) {
  struct stat a, b;
  if (fstat(lfd, &a) != 0 || stat(target, &b) != 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino)
    return false;
  if (!expect) return true;
  if ((unsigned long long)a.st_size != n) return false;
  char buf[65536];
  size_t off = 0;
  while (off < n) {
    size_t want = n - off < sizeof buf ? n - off : sizeof buf;
    ssize_t got = pread(lfd, buf, want, (off_t)off);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0 || memcmp(buf, (const char *)expect + off, (size_t)got) != 0) return false;
    off += (size_t)got;
  }
  return true;
}

static bool write_all(int fd, const void *data, size_t len, off_t at, bool positioned) {
  const char *p = data;
  while (len) {
    ssize_t w = positioned ? pwrite(fd, p, len, at) : write(fd, p, len);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w, len -= (size_t)w, at += w;
  }
  return true;
}

/* Copies every extended attribute of `from` to `to`; false when one cannot
 * be kept (a file system without them counts as nothing to copy). */
static bool copy_xattrs(int from, int to) {
  ssize_t n = flistxattr(from, NULL, 0);
  if (n < 0) return errno == ENOTSUP;
  if (n == 0) return true;
  char *names = xmalloc((size_t)n);
  n = flistxattr(from, names, (size_t)n);
  bool ok = n >= 0;
  for (ssize_t i = 0; ok && i < n; i += (ssize_t)strlen(names + i) + 1) {
    const char *name = names + i;
    ssize_t vn = fgetxattr(from, name, NULL, 0);
    if (vn < 0) {
      ok = false;
      break;
    }
    char *val = xmalloc((size_t)vn + 1);
    vn = fgetxattr(from, name, val, (size_t)vn);
    ok = vn >= 0 && fsetxattr(to, name, val, (size_t)vn, 0) == 0;
    free(val);
  }
  free(names);
  return ok;
}

/* A new file in the directory of `target`: unnamed when the file system
 * allows (nothing is left behind if the process dies), else named into
 * `name` (name[0] == '\0' for an unnamed one). */
static int new_file(const char *target, char *name, size_t cap, mode_t mode) {
  const char *slash = strrchr(target, '/');
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - target) + (slash == target) : 1,
           slash ? target : ".");
  name[0] = '\0';
  int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
  if (fd >= 0) return fd;
  snprintf(name, cap, "%.*s.%s.redislint-XXXXXX", slash ? (int)(slash - target + 1) : 0, target,
           slash ? slash + 1 : target);
  fd = mkstemp(name);
  if (fd < 0) return -1;
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, mode & ~mask) != 0) {
    int err = errno;
    close(fd);
    unlink(name);
    errno = err;
    return -1;
  }
  return fd;
}

/* Gives the finished unnamed file `fd` a hidden name next to target. */
static bool name_it(int fd, const char *target, char *name, size_t cap) {
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  const char *slash = strrchr(target, '/');
  for (int i = 0; i < 100; i++) {
    snprintf(name, cap, "%.*s.%s.redislint-%ld-%d", slash ? (int)(slash - target + 1) : 0, target,
             slash ? slash + 1 : target, (long)getpid(), i);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0) return true;
    if (errno != EEXIST) return false;
  }
  return false;
}

static void sync_dir(const char *target) {
  const char *slash = strrchr(target, '/');
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - target) + (slash == target) : 1,
           slash ? target : ".");
  int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d >= 0) {
    fsync(d); /* the rename itself is durable; best effort */
    close(d);
  }
}

/* Rewrites the locked file in place (hard links, owner, attributes kept). */
static int rewrite_in_place(int lfd, const char *target, const struct stat *st, const void *data,
                            size_t len, const void *expect, size_t elen, const char **why) {
  int fd = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    *why = "it cannot be opened for writing";
    return -1;
  }
  /* reserve the space first: a full disk must leave the file as it was */
  if ((off_t)len > st->st_size && fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)len) != 0) {
    int e = errno; /* a file system that cannot reserve: written as it comes */
    if (e == ENOSPC || e == EDQUOT) {
      close(fd);
      *why = "writing it failed (disk full); the original is unchanged";
      errno = e;
      return -1;
    }
  }
  if (fs_replace_hook) fs_replace_hook(target);
  if (!still_as_read(lfd, target, expect, elen)) {
    close(fd);
    *why = "it changed on disk during the run";
    errno = ESTALE;
    return -1;
  }
  bool ok = write_all(fd, data, len, 0, true) && ftruncate(fd, (off_t)len) == 0 && fsync(fd) == 0;
  int err = errno;
  ok = close(fd) == 0 && ok;
  if (!ok) {
    *why = "writing it in place failed";
    errno = err ? err : EIO;
    return -1;
  }
  return 0;
}

int fs_replace(const char *target, const void *data, size_t len, const void *expect, size_t elen,
               const char **why) {
  static const char *unused;
  if (!why) why = &unused;
  struct stat st;
  bool exists = true;
  int lfd = lock_target(target, &st);
  if (lfd < 0) {
    if (errno != ENOENT || expect) {
      *why = errno == ENOENT ? "it was deleted during the run"
             : errno == EWOULDBLOCK ? "another process holds a lock on it"
                                    : "it cannot be opened";
      return -1;
    }
    exists = false;
  }
  if (exists && !S_ISREG(st.st_mode)) {
    close(lfd);
    *why = "it is not a regular file";
    errno = EINVAL;
    return -1;
  }
  if (exists && expect && !still_as_read(lfd, target, expect, elen)) {
    close(lfd);
    *why = "it changed on disk during the run";
    errno = ESTALE;
    return -1;
  }
  /* several names for one file: a rename would split them */
  bool in_place = exists && st.st_nlink > 1;
  int rc = -1;
  if (!in_place) {
    char name[PATH_MAX + 64];
    int fd = new_file(target, name, sizeof name, exists ? (st.st_mode & 07777) : 0666);
    if (fd < 0) {
      if (lfd >= 0) close(lfd);
      *why = "its directory is not writable";
      return -1;
    }
    bool ok = true;
    if (exists) {
      ok = fchmod(fd, st.st_mode & 07777) == 0;
      /* a file of another owner that we may write: a new file would be ours */
      if (ok && (st.st_uid != geteuid() || st.st_gid != getegid()) &&
          fchown(fd, st.st_uid, st.st_gid) != 0)
        in_place = true;
      if (ok && !in_place && !copy_xattrs(lfd, fd)) in_place = true;
    }
    if (!in_place) {
      ok = ok && write_all(fd, data, len, 0, false) && fsync(fd) == 0;
      if (ok && fs_replace_hook) fs_replace_hook(target);
      if (ok && exists && !still_as_read(lfd, target, expect, elen)) {
        *why = "it changed on disk during the run";
        errno = ESTALE;
        ok = false;
      } else if (!ok) {
        *why = "writing it failed (disk full?); the original is unchanged";
      }
      if (ok && !name[0] && !name_it(fd, target, name, sizeof name)) {
        *why = "its directory is not writable";
        ok = false;
      }
      int err = errno;
      if (close(fd) != 0 && ok) {
        *why = "writing it failed (disk full?); the original is unchanged";
        err = errno;
        ok = false;
      }
      if (ok && rename(name, target) != 0) {
        *why = "renaming the new content over it failed";
        err = errno;
        ok = false;
      }
      if (!ok && name[0]) unlink(name);
      if (ok) sync_dir(target);
      errno = err;
      rc = ok ? 0 : -1;
    } else {
      close(fd);
      if (name[0]) unlink(name);
    }
  }
  if (in_place) rc = rewrite_in_place(lfd, target, &st, data, len, expect, elen, why);
  if (lfd >= 0) {
    int err = errno;
    close(lfd);
    errno = err;
  }
  return rc;
}

int fs_write_atomic(const char *path, const void *data, size_t len) {
  /* the file at the end of a symbolic link chain is the one written */
  char *real = realpath(path, NULL);
  const char *why;
  int rc = fs_replace(real ? real : path, data, len, NULL, 0, &why);
  int err = errno;
  free(real);
  errno = err ? err : EIO;
  return rc;
}

int fs_write_scratch(const char *path, const void *data, size_t len) {
  size_t n = strlen(path) + 32;
  char *tmp = xmalloc(n);
  int fd = -1;
  for (int i = 0; i < 100 && fd < 0; i++) { /* a name no other run is writing */
    snprintf(tmp, n, "%s.%ld-%d.tmp", path, (long)getpid(), i);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0644);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) {
    int e = errno;
    free(tmp);
    errno = e;
    return -1;
  }
  bool ok = write_all(fd, data, len, 0, false);
  int e = errno;
  ok = close(fd) == 0 && ok;
  ok = ok && rename(tmp, path) == 0;
  if (!ok) {
    e = e ? e : errno;
    unlink(tmp);
  }
  free(tmp);
  errno = ok ? 0 : (e ? e : EIO);
  return ok ? 0 : -1;
}
