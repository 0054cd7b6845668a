/* source.c - read a file, check that it is UTF-8 Python source, index its lines.
 *
 * Checks, in order: readable, not a directory, not larger than
 * SOURCE_MAX_BYTES, no NUL byte (binary), strictly valid UTF-8 (no overlongs,
 * no surrogates, nothing above U+10FFFF). Each failure is one DIAG_ERROR. */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"

#define MIB (1024.0 * 1024.0)
#define COOKIE_MAX 64 /* longest encoding name we report */

/* ---- reading ---------------------------------------------------------- */

static void add_errno_diag(Diags *diags, const char *display, int err) {
  if (err == ENOENT || err == ENOTDIR) {
    diags_add(diags, DIAG_ERROR, display, 0, "no such file or directory");
    return;
  }
  if (err == EISDIR) {
    diags_add(diags, DIAG_ERROR, display, 0, "is a directory, not a file");
    return;
  }
  char buf[256];
  if (strerror_r(err, buf, sizeof buf) != 0) snprintf(buf, sizeof buf, "error %d", err);
  diags_add(diags, DIAG_ERROR, display, 0, "cannot read file: %s", buf);
}

static void add_too_large_diag(Diags *diags, const char *display, double bytes) {
  diags_add(diags, DIAG_ERROR, display, 0, "file is %.1f MB; the limit is %u MB",
            bytes / MIB, SOURCE_MAX_BYTES / (1024u * 1024u));
}

/* Reads fd to EOF into a malloc'ed buffer (caller owns *out). Stops once more
 * than SOURCE_MAX_BYTES were read and sets *too_big. Returns 0 or an errno. */
static int read_all(int fd, size_t hint, char **out, size_t *out_len, int *too_big) {
  size_t cap = hint + 1 < 4096 ? 4096 : hint + 1, len = 0;
  char *buf = xmalloc(cap);
  *too_big = 0;
  for (;;) {
    if (len == cap) {
      cap *= 2;
      buf = xrealloc(buf, cap);
    }
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      free(buf);
      return err;
    }
    if (n == 0) break;
    len += (size_t)n;
    if (len > SOURCE_MAX_BYTES) {
      *too_big = 1;
      break;
    }
  }
  *out = buf;
  *out_len = len;
  return 0;
}

/* Opens and reads `path` ("-" = stdin). On success *buf is malloc'ed and owned
 * by the caller. On failure adds one diagnostic and returns -1. */
static int read_path(const char *path, const char *display, char **buf, size_t *len,
                     Diags *diags) {
  int is_stdin = strcmp(path, "-") == 0, rc = -1, too_big = 0;
  int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    add_errno_diag(diags, display, errno);
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    add_errno_diag(diags, display, errno);
    goto out;
  }
  if (S_ISDIR(st.st_mode)) {
    add_errno_diag(diags, display, EISDIR);
    goto out;
  }
  size_t hint = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size : 0;
  if (hint > SOURCE_MAX_BYTES) {
    add_too_large_diag(diags, display, (double)st.st_size);
    goto out;
  }
  int err = read_all(fd, hint, buf, len, &too_big);
  if (err) {
    add_errno_diag(diags, display, err);
  } else if (too_big) {
    free(*buf);
    *buf = NULL;
    diags_add(diags, DIAG_ERROR, display, 0, "input exceeds the limit of %u MB",
              SOURCE_MAX_BYTES / (1024u * 1024u));
  } else {
    rc = 0;
  }
out:
  if (!is_stdin) close(fd);
  return rc;
}

/* ---- validation ------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if it is invalid
 * (truncated, overlong, surrogate, above U+10FFFF, stray continuation). */
static size_t utf8_seq_len(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) need = 2;
  else if (c == 0xE0) need = 3, lo = 0xA0;
  else if (c >= 0xE1 && c <= 0xEF) need = 3, hi = c == 0xED ? 0x9F : 0xBF;
  else if (c == 0xF0) need = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) need = 4;
  else if (c == 0xF4) need = 4, hi = 0x8F;
  else return 0;
  if (n < need || s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < need; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  return need;
}

/* Byte offset of the first invalid UTF-8 sequence, or len if all is valid. */
static size_t utf8_find_invalid(const unsigned char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    if (len - i >= 8) { /* ASCII fast path */
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (!(w & UINT64_C(0x8080808080808080))) {
        i += 8;
        continue;
      }
    }
    size_t k = utf8_seq_len(s + i, len - i);
    if (!k) return i;
    i += k;
  }
  return len;
}

/* Line (1-based) and column (1-based, code points) of byte `off` in text.
 * The column is exact when text[0..off) is valid UTF-8. */
static void locate(const char *text, size_t off, unsigned *line, unsigned *col) {
  unsigned l = 1, c = 1;
  for (size_t i = 0; i < off; i++) {
    unsigned char b = (unsigned char)text[i];
    if (b == '\n' || (b == '\r' && !(i + 1 < off && text[i + 1] == '\n'))) {
      l++;
      c = 1;
    } else if ((b & 0xC0) != 0x80 && b != '\r') {
      c++;
    }
  }
  *line = l;
  *col = c;
}

/* ---- PEP 263 coding cookie --------------------------------------------- */

static int is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.';
}

/* Looks for "coding[:=] NAME" in a comment line [s, e); copies NAME to name. */
static int cookie_in_line(const char *s, const char *e, char *name, size_t cap) {
  while (s < e && (*s == ' ' || *s == '\t' || *s == '\f')) s++;
  if (s == e || *s != '#') return 0;
  for (const char *p = s; p + 7 <= e; p++) {
    if (memcmp(p, "coding", 6) != 0 || (p[6] != ':' && p[6] != '=')) continue;
    const char *q = p + 7;
    while (q < e && (*q == ' ' || *q == '\t')) q++;
    size_t n = 0;
    while (q + n < e && is_name_char(q[n])) n++;
    if (n == 0) continue;
    if (n >= cap) n = cap - 1;
    memcpy(name, q, n);
    name[n] = '\0';
    return 1;
  }
  return 0;
}

/* End of the line starting at s (points at its terminator or at e). */
static const char *line_end(const char *s, const char *e) {
  while (s < e && *s != '\n' && *s != '\r') s++;
  return s;
}

static const char *next_line(const char *s, const char *e) {
  if (s < e && *s == '\r') s++;
  if (s < e && *s == '\n') s++;
  return s;
}

static int blank_or_comment(const char *s, const char *e) {
  while (s < e && (*s == ' ' || *s == '\t' || *s == '\f')) s++;
  return s == e || *s == '#';
}

/* PEP 263: the cookie is on line 1, or on line 2 if line 1 is blank or a
 * comment. Returns 1 and fills name if one was found. */
static int find_cookie(const char *text, size_t len, char *name, size_t cap) {
  const char *e = text + len, *l1 = text, *l1e = line_end(l1, e);
  if (cookie_in_line(l1, l1e, name, cap)) return 1;
  if (!blank_or_comment(l1, l1e)) return 0;
  const char *l2 = next_line(l1e, e);
  return l2 < e && cookie_in_line(l2, line_end(l2, e), name, cap);
}

/* "utf-8", "UTF8", "utf_8", "utf-8-unix"... as Python's tokenizer normalises. */
static int is_utf8_name(const char *name) {
  char n[COOKIE_MAX];
  size_t i = 0;
  for (; name[i] && i + 1 < sizeof n; i++) {
    char c = name[i];
    n[i] = c == '_' ? '-' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
  }
  n[i] = '\0';
  return strcmp(n, "utf8") == 0 || strcmp(n, "utf-8") == 0 ||
         strncmp(n, "utf-8-", 6) == 0 || strncmp(n, "utf8-", 5) == 0;
}

/* Adds a diagnostic and returns -1 if text is not acceptable Python source. */
static int check_text(const char *text, size_t len, const char *display, Diags *diags) {
  const char *nul = memchr(text, '\0', len);
  unsigned line, col;
  if (nul) {
    locate(text, (size_t)(nul - text), &line, &col);
    diags_add(diags, DIAG_ERROR, display, 0,
              "binary file (NUL byte at line %u); not Python source", line);
    return -1;
  }
  size_t bad = utf8_find_invalid((const unsigned char *)text, len);
  if (bad == len) return 0;
  char enc[COOKIE_MAX];
  if (find_cookie(text, len, enc, sizeof enc) && !is_utf8_name(enc)) {
    diags_add(diags, DIAG_ERROR, display, 0,
              "declares encoding %s; only UTF-8 is supported", enc);
    return -1;
  }
  locate(text, bad, &line, &col);
  diags_add(diags, DIAG_ERROR, display, 0,
            "invalid UTF-8 at line %u, column %u; Python source must be UTF-8", line, col);
  return -1;
}

/* ---- line index ------------------------------------------------------- */

/* Line starts: lines end at "\n", "\r\n" or a lone "\r". Returns a malloc'ed
 * array (caller owns) and its length in *nlines (at least 1). */
static uint32_t *index_lines(const char *text, uint32_t len, uint32_t *nlines) {
  uint32_t cap = 64, n = 0;
  uint32_t *starts = xmalloc(cap * sizeof *starts);
  starts[n++] = 0;
  for (uint32_t i = 0; i < len; i++) {
    char c = text[i];
    if (c != '\n' && c != '\r') continue;
    if (c == '\r' && i + 1 < len && text[i + 1] == '\n') i++;
    if (n == cap) {
      cap *= 2;
      starts = xrealloc(starts, cap * sizeof *starts);
    }
    starts[n++] = i + 1;
  }
  *nlines = n;
  return starts;
}

/* ---- public API -------------------------------------------------------- */

int source_from_buffer(Source *self, char *buf, size_t len, const char *display_path,
                       Diags *diags) {
  memset(self, 0, sizeof *self);
  if (len > SOURCE_MAX_BYTES) {
    add_too_large_diag(diags, display_path, (double)len);
    free(buf);
    return -1;
  }
  size_t bom = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  if (check_text(buf + bom, len - bom, display_path, diags) != 0) {
    free(buf);
    return -1;
  }
  self->path = xstrdup(display_path ? display_path : "-");
  self->raw = buf;
  self->raw_len = len;
  self->bom_len = (uint32_t)bom;
  self->text = buf + bom;
  self->len = (uint32_t)(len - bom);
  self->line_starts = index_lines(self->text, self->len, &self->nlines);
  return 0;
}

int source_load(Source *self, const char *path, const char *display_path, Diags *diags) {
  const char *display = display_path ? display_path : path;
  char *buf = NULL;
  size_t len = 0;
  memset(self, 0, sizeof *self);
  if (read_path(path, display, &buf, &len, diags) != 0) return -1;
  return source_from_buffer(self, buf, len, display, diags);
}

void source_free(Source *self) {
  free(self->path);
  free(self->raw);
  free(self->line_starts);
  memset(self, 0, sizeof *self);
}

void source_release(Source *self) {
  free(self->raw);
  free(self->line_starts);
  self->raw = NULL;
  self->text = "";
  self->raw_len = 0;
  self->len = 0;
  self->bom_len = 0;
  self->line_starts = NULL;
  self->nlines = 0;
}

/* Index of the line holding byte (largest i with line_starts[i] <= byte). */
static uint32_t line_index(const Source *self, uint32_t byte) {
  uint32_t lo = 0, hi = self->nlines; /* answer in [lo, hi) */
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (self->line_starts[mid] <= byte) lo = mid;
    else hi = mid;
  }
  return lo;
}

Position source_position(const Source *self, uint32_t byte) {
  if (byte > self->len) byte = self->len;
  uint32_t li = line_index(self, byte), start = self->line_starts[li];
  Position pos = {li + 1, 1, 1, byte - start};
  for (uint32_t i = start; i < byte; i++) {
    unsigned char b = (unsigned char)self->text[i];
    if ((b & 0xC0) == 0x80) continue; /* continuation byte */
    pos.column++;
    pos.utf16 += b >= 0xF0 ? 2 : 1;   /* astral: a surrogate pair */
  }
  return pos;
}

void source_line_span(const Source *self, uint32_t line, uint32_t *start, uint32_t *end) {
  if (line == 0 || line > self->nlines) {
    *start = *end = self->len;
    return;
  }
  uint32_t s = self->line_starts[line - 1];
  uint32_t e = line < self->nlines ? self->line_starts[line] : self->len;
  if (e > s && self->text[e - 1] == '\n') e--;
  if (e > s && self->text[e - 1] == '\r') e--;
  *start = s;
  *end = e;
}

bool source_contains(const Source *self, const char *needle) {
  size_t k = strlen(needle);
  if (!k || !self->text || k > self->len) return false;
  const char *t = self->text, *last = t + (self->len - k);
  for (const char *p = t; p <= last && (p = memchr(p, needle[0], (size_t)(last - p) + 1)); p++)
    if (!memcmp(p, needle, k)) return true;
  return false;
}
