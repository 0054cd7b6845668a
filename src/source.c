/* source.c - read a file, decode it into UTF-8 Python source, index its lines.
 *
 * Checks, in order: readable, not a directory or device (a FIFO is read when
 * a process writes to it, never waited for), not larger than
 * SOURCE_MAX_BYTES, no NUL byte (binary), then, as Python reads source
 * (PEP 263, PEP 3120): a file that declares an encoding other than UTF-8 on
 * line 1 or 2 is converted from it with iconv (an encoding that keeps ASCII
 * as ASCII, no invalid bytes, no UTF-8 BOM); any other is strictly valid
 * UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). Each failure
 * is one DIAG_ERROR. */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <poll.h>
#include <stdbool.h>
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
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      /* a FIFO opened without blocking: its writer is there, wait for it */
      struct pollfd p = {.fd = fd, .events = POLLIN};
      if (poll(&p, 1, -1) < 0 && errno != EINTR) {
        int err = errno;
        free(buf);
        return err;
      }
      continue;
    }
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
  /* O_NONBLOCK: opening a FIFO nobody writes to must not wait forever */
  int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
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
  if (!is_stdin && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISSOCK(st.st_mode))) {
    diags_add(diags, DIAG_ERROR, display, 0, "is a %s, not a file",
              S_ISCHR(st.st_mode) ? "character device" : S_ISBLK(st.st_mode) ? "block device" : "socket");
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
  } else if (!is_stdin && S_ISFIFO(st.st_mode) && *len == 0) {
    /* no writer (or one that wrote nothing): an empty result would pass */
    free(*buf);
    *buf = NULL;
    diags_add(diags, DIAG_ERROR, display, 0, "is a FIFO (named pipe) and no process was writing to it");
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

/* ---- encodings --------------------------------------------------------- */

/* The name as Python's tokenizer normalises it before looking the codec up:
 * lower case, '_' and ' ' as '-'. */
static void normalise_name(const char *name, char *out, size_t cap) {
  size_t i = 0;
  for (; name[i] && i + 1 < cap; i++) {
    char c = name[i];
    out[i] = c == '_' || c == ' ' ? '-' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
  }
  out[i] = '\0';
}

/* The normalised name without '-' and '.', to compare aliases with
 * ("latin1", "latin-1" and "Latin_1" are one name). */
static void compact_name(const char *norm, char *out, size_t cap) {
  size_t k = 0;
  for (; *norm && k + 1 < cap; norm++)
    if (*norm != '-' && *norm != '.') out[k++] = *norm;
  out[k] = '\0';
}

static int starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "utf-8", "UTF8", "utf_8", "utf-8-unix", "utf-8-sig"... (normalised). */
static int is_utf8_name(const char *norm) {
  char c[COOKIE_MAX];
  compact_name(norm, c, sizeof c);
  return !strcmp(norm, "utf-8") || starts_with(norm, "utf-8-") || starts_with(norm, "utf8-") ||
         !strcmp(c, "utf8") || !strcmp(c, "u8") || !strcmp(c, "utf") || !strcmp(c, "cp65001");
}

/* Python codec names (compacted) that glibc's iconv spells differently or
 * maps differently (add an alias here). Python's shift_jis decodes 0x5C as a
 * backslash, glibc's SHIFT_JIS as a yen sign: CP932 agrees with Python on
 * every Shift_JIS byte sequence. */
static const struct {
  const char *py, *iconv;
} ENCODING_ALIASES[] = {
    {"latin1", "ISO-8859-1"},   {"latin", "ISO-8859-1"},    {"l1", "ISO-8859-1"},
    {"8859", "ISO-8859-1"},     {"cp819", "ISO-8859-1"},    {"ibm819", "ISO-8859-1"},
    {"isolatin1", "ISO-8859-1"}, {"isoir100", "ISO-8859-1"}, {"csisolatin1", "ISO-8859-1"},
    {"latin2", "ISO-8859-2"},   {"l2", "ISO-8859-2"},       {"latin3", "ISO-8859-3"},
    {"l3", "ISO-8859-3"},       {"latin4", "ISO-8859-4"},   {"l4", "ISO-8859-4"},
    {"cyrillic", "ISO-8859-5"}, {"arabic", "ISO-8859-6"},   {"greek", "ISO-8859-7"},
    {"greek8", "ISO-8859-7"},   {"hebrew", "ISO-8859-8"},   {"latin5", "ISO-8859-9"},
    {"l5", "ISO-8859-9"},       {"latin6", "ISO-8859-10"},  {"l6", "ISO-8859-10"},
    {"thai", "ISO-8859-11"},    {"latin7", "ISO-8859-13"},  {"l7", "ISO-8859-13"},
    {"latin8", "ISO-8859-14"},  {"l8", "ISO-8859-14"},      {"latin9", "ISO-8859-15"},
    {"l9", "ISO-8859-15"},      {"latin10", "ISO-8859-16"}, {"l10", "ISO-8859-16"},
    {"ascii", "ASCII"},         {"usascii", "ASCII"},       {"646", "ASCII"},
    {"koi8r", "KOI8-R"},        {"koi8u", "KOI8-U"},        {"koi8t", "KOI8-T"},
    {"eucjp", "EUC-JP"},        {"ujis", "EUC-JP"},         {"shiftjis", "CP932"},
    {"sjis", "CP932"},          {"csshiftjis", "CP932"},    {"mskanji", "CP932"},
    {"ms932", "CP932"},         {"gbk", "GBK"},             {"cp936", "GBK"},
    {"ms936", "GBK"},           {"936", "GBK"},             {"gb2312", "EUC-CN"},
    {"euccn", "EUC-CN"},        {"chinese", "EUC-CN"},      {"eucgb2312cn", "EUC-CN"},
    {"gb18030", "GB18030"},     {"big5", "BIG5"},           {"big5tw", "BIG5"},
    {"csbig5", "BIG5"},         {"big5hkscs", "BIG5-HKSCS"}, {"hkscs", "BIG5-HKSCS"},
    {"euckr", "EUC-KR"},        {"korean", "EUC-KR"},       {"ksc5601", "EUC-KR"},
    {"ksx1001", "EUC-KR"},      {"uhc", "CP949"},           {"ms949", "CP949"},
    {"ms950", "CP950"},         {"macroman", "MACINTOSH"},  {"macintosh", "MACINTOSH"},
    {"maccyrillic", "MAC-CYRILLIC"}, {"tis620", "TIS-620"},
};

/* The iconv name of a (normalised) Python encoding name, in buf. */
static const char *iconv_name(const char *norm, char *buf, size_t cap) {
  /* Python's tokenizer reads these, and names that start with them and a
   * '-' ("latin-1-unix"), as Latin-1 */
  static const char *const latin1[] = {"latin-1", "iso-8859-1", "iso-latin-1"};
  for (size_t i = 0; i < sizeof latin1 / sizeof *latin1; i++) {
    size_t n = strlen(latin1[i]);
    if (!strncmp(norm, latin1[i], n) && (norm[n] == '\0' || norm[n] == '-')) return "ISO-8859-1";
  }
  char c[COOKIE_MAX];
  compact_name(norm, c, sizeof c);
  for (size_t i = 0; i < sizeof ENCODING_ALIASES / sizeof *ENCODING_ALIASES; i++)
    if (!strcmp(c, ENCODING_ALIASES[i].py)) return ENCODING_ALIASES[i].iconv;
  const char *num = starts_with(c, "iso8859") ? c + 7 : starts_with(c, "windows") ? c + 7
                    : starts_with(c, "cp") || starts_with(c, "ms") ? c + 2 : NULL;
  if (num && *num && strspn(num, "0123456789") == strlen(num)) {
    snprintf(buf, cap, "%s%s", starts_with(c, "iso") ? "ISO-8859-" : "CP", num);
    return buf;
  }
  return norm; /* iconv knows many Python names as they are: euc-jp, koi8-r, cp1251 */
}

/* Converts len bytes at in with cd into a malloc'ed buffer (*out, *out_len,
 * NUL-terminated). Returns 0, or -1 when a byte sequence does not convert
 * (*done: how many input bytes did; *out holds their conversion). With
 * `exact`, a conversion iconv calls irreversible fails too (*done = len). */
static int convert(iconv_t cd, const char *in, size_t len, bool exact, char **out,
                   size_t *out_len, size_t *done) {
  size_t cap = len + len / 2 + 16, used = 0;
  char *buf = xmalloc(cap);
  char *ip = (char *)in;
  size_t left = len;
  int rc = 0;
  for (int flushing = 0;;) {
    char *op = buf + used;
    size_t room = cap - used - 1; /* one byte kept for the NUL */
    size_t r = flushing ? iconv(cd, NULL, NULL, &op, &room) : iconv(cd, &ip, &left, &op, &room);
    int err = r == (size_t)-1 ? errno : 0;
    used = (size_t)(op - buf);
    if (err == E2BIG) {
      cap *= 2;
      buf = xrealloc(buf, cap);
      continue;
    }
    if (err || (exact && r && r != (size_t)-1)) {
      rc = -1;
      break;
    }
    if (flushing) break; /* the shift sequence back to the initial state is out */
    flushing = 1;
  }
  buf[used] = '\0';
  *out = buf;
  *out_len = used;
  *done = len - left;
  return rc;
}

/* Opens a converter between UTF-8 and an encoding (to_utf8: from it)
 * that Python could use for source code: ASCII bytes must stay themselves.
 * (iconv_t)-1 when there is none. */
static iconv_t open_encoding(const char *declared, bool to_utf8) {
  char norm[COOKIE_MAX], buf[COOKIE_MAX + 16];
  normalise_name(declared, norm, sizeof norm);
  const char *name = iconv_name(norm, buf, sizeof buf);
  iconv_t cd = to_utf8 ? iconv_open("UTF-8", name) : iconv_open(name, "UTF-8");
  if (cd == (iconv_t)-1) return cd;
  static const char probe[] = "\t\n\f\r !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                              "[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
  char *out;
  size_t n, done;
  int rc = convert(cd, probe, sizeof probe - 1, true, &out, &n, &done);
  bool ascii = rc == 0 && n == sizeof probe - 1 && !memcmp(out, probe, n);
  free(out);
  iconv(cd, NULL, NULL, NULL, NULL); /* back to the initial state */
  if (ascii) return cd;
  iconv_close(cd);
  return (iconv_t)-1;
}

/* ---- checks and decoding ------------------------------------------------ */

/* Converts text[0..len) from the encoding it declares (enc) into *out.
 * Returns 0, or adds a diagnostic and returns SOURCE_UNDECODABLE. */
static int decode_declared(const char *text, size_t len, const char *enc, const char *display,
                           Diags *diags, char **out, size_t *out_len) {
  iconv_t cd = open_encoding(enc, true);
  if (cd == (iconv_t)-1) {
    diags_add(diags, DIAG_ERROR, display, 0,
              "declares encoding %s, which iconv cannot convert; not linted", enc);
    return SOURCE_UNDECODABLE;
  }
  size_t done;
  int rc = convert(cd, text, len, false, out, out_len, &done);
  iconv_close(cd);
  if (rc == 0) return 0;
  unsigned line, col; /* counted in what converted before the bad bytes */
  locate(*out, *out_len, &line, &col);
  diags_add(diags, DIAG_ERROR, display, 0,
            "bytes that are not %s (the encoding it declares) at line %u, column %u; not linted",
            enc, line, col);
  free(*out);
  *out = NULL;
  return SOURCE_UNDECODABLE;
}

/* Checks text[0..len) (after a BOM of bom bytes) and decodes it when it
 * declares an encoding other than UTF-8 (*decoded, *enc_out; else NULL).
 * Returns 0, or adds a diagnostic and returns -1 or SOURCE_UNDECODABLE. */
static int check_text(const char *text, size_t len, size_t bom, bool is_text, const char *display,
                      Diags *diags, char **decoded, size_t *decoded_len, char **enc_out) {
  const char *nul = memchr(text, '\0', len);
  unsigned line, col;
  if (nul) {
    locate(text, (size_t)(nul - text), &line, &col);
    diags_add(diags, DIAG_ERROR, display, 0,
              "binary file (NUL byte at line %u); not Python source", line);
    return -1;
  }
  char enc[COOKIE_MAX], norm[COOKIE_MAX];
  if (!is_text && find_cookie(text, len, enc, sizeof enc)) {
    normalise_name(enc, norm, sizeof norm);
    if (!is_utf8_name(norm) && bom) {
      diags_add(diags, DIAG_ERROR, display, 0,
                "declares encoding %s but starts with a UTF-8 byte order mark; not linted", enc);
      return SOURCE_UNDECODABLE;
    }
    if (!is_utf8_name(norm)) {
      if (decode_declared(text, len, enc, display, diags, decoded, decoded_len) != 0)
        return SOURCE_UNDECODABLE;
      *enc_out = xstrdup(enc);
      return 0;
    }
  }
  size_t bad = utf8_find_invalid((const unsigned char *)text, len);
  if (bad == len) return 0;
  locate(text, bad, &line, &col);
  diags_add(diags, DIAG_ERROR, display, 0,
            "invalid UTF-8 at line %u, column %u; not linted: Python source is UTF-8 unless "
            "it declares its encoding (PEP 263)",
            line, col);
  return SOURCE_UNDECODABLE;
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

static int from_buffer(Source *self, char *buf, size_t len, const char *display_path,
                       bool is_text, Diags *diags) {
  memset(self, 0, sizeof *self);
  if (len > SOURCE_MAX_BYTES) {
    add_too_large_diag(diags, display_path, (double)len);
    free(buf);
    return -1;
  }
  size_t bom = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  char *decoded = NULL, *enc = NULL;
  size_t dlen = 0;
  int rc = check_text(buf + bom, len - bom, bom, is_text, display_path, diags, &decoded, &dlen,
                      &enc);
  if (rc == 0 && dlen > UINT32_MAX) {
    add_too_large_diag(diags, display_path, (double)len);
    rc = -1;
  }
  if (rc != 0) {
    free(decoded);
    free(enc);
    free(buf);
    return rc;
  }
  self->path = xstrdup(display_path ? display_path : "-");
  self->raw = buf;
  self->raw_len = len;
  self->bom_len = (uint32_t)bom;
  self->decoded = decoded;
  self->encoding = enc;
  self->text = decoded ? decoded : buf + bom;
  self->len = (uint32_t)(decoded ? dlen : len - bom);
  self->line_starts = index_lines(self->text, self->len, &self->nlines);
  return 0;
}

int source_from_buffer(Source *self, char *buf, size_t len, const char *display_path,
                       Diags *diags) {
  return from_buffer(self, buf, len, display_path, false, diags);
}

int source_from_text(Source *self, char *buf, size_t len, const char *display_path,
                     Diags *diags) {
  return from_buffer(self, buf, len, display_path, true, diags);
}

int source_encode(const Source *self, const char *text, size_t len, char **out, size_t *out_len,
                  size_t *bad) {
  *bad = 0;
  if (!self->encoding) {
    *out = xmalloc(self->bom_len + len + 1);
    memcpy(*out, "\xEF\xBB\xBF", self->bom_len);
    memcpy(*out + self->bom_len, text, len);
    *out_len = self->bom_len + len;
    return 0;
  }
  iconv_t cd = open_encoding(self->encoding, false);
  if (cd == (iconv_t)-1) { /* it was decoded with it: cannot happen */
    *out = NULL;
    return -1;
  }
  size_t done;
  int rc = convert(cd, text, len, true, out, out_len, &done);
  iconv_close(cd);
  if (rc != 0) {
    free(*out);
    *out = NULL;
    *bad = done;
  }
  return rc;
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
  free(self->decoded);
  free(self->encoding);
  free(self->line_starts);
  memset(self, 0, sizeof *self);
}

void source_release(Source *self) {
  free(self->raw);
  free(self->decoded);
  free(self->encoding);
  free(self->line_starts);
  self->raw = NULL;
  self->decoded = NULL;
  self->encoding = NULL;
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
