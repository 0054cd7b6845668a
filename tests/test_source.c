/* test_source.c - reading files, UTF-8 checks, line index and positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "source.h"

/* ---- helpers ----------------------------------------------------------- */

/* Loads len bytes of s through source_from_buffer; returns its result. */
static int load_mem(Source *src, const char *s, size_t len, Diags *diags) {
  char *buf = xmalloc(len ? len : 1);
  memcpy(buf, s, len);
  return source_from_buffer(src, buf, len, "mem.py", diags);
}

#define LOAD_OK(src, lit)                                                     \
  do {                                                                        \
    Diags d_ = {0};                                                           \
    assert_int_equal(load_mem((src), (lit), sizeof(lit) - 1, &d_), 0);       \
    assert_int_equal(d_.len, 0);                                              \
    diags_free(&d_);                                                          \
  } while (0)

/* Asserts that loading s fails (returning rc) with exactly one error `msg`
 * for mem.py. */
static void expect_mem_error(const char *s, size_t len, int rc, const char *msg) {
  Source src;
  Diags d = {0};
  assert_int_equal(load_mem(&src, s, len, &d), rc);
  assert_int_equal(d.len, 1);
  assert_int_equal(d.items[0].level, DIAG_ERROR);
  assert_string_equal(d.items[0].path, "mem.py");
  assert_int_equal(d.items[0].line, 0);
  assert_string_equal(d.items[0].message, msg);
  assert_null(src.raw);
  diags_free(&d);
}
#define EXPECT_ERR(lit, msg) expect_mem_error((lit), sizeof(lit) - 1, -1, (msg))
/* ... for bytes that are not text (SOURCE_UNDECODABLE). */
#define EXPECT_UNDECODABLE(lit, msg) \
  expect_mem_error((lit), sizeof(lit) - 1, SOURCE_UNDECODABLE, (msg))

static void expect_position(const Source *src, uint32_t byte, uint32_t line,
                            uint32_t column, uint32_t utf16, uint32_t byte_col) {
  Position p = source_position(src, byte);
  assert_int_equal(p.line, line);
  assert_int_equal(p.column, column);
  assert_int_equal(p.utf16, utf16);
  assert_int_equal(p.byte_col, byte_col);
}

static void expect_span(const Source *src, uint32_t line, uint32_t start, uint32_t end) {
  uint32_t s, e;
  source_line_span(src, line, &s, &e);
  assert_int_equal(s, start);
  assert_int_equal(e, end);
}

/* Temp dir for file tests; the path is malloc'ed (caller owns). */
static char *make_tmpdir(void) {
  const char *base = getenv("TMPDIR");
  size_t n = strlen(base && *base ? base : "/tmp") + sizeof "/rl-source-XXXXXX";
  char *dir = xmalloc(n);
  snprintf(dir, n, "%s/rl-source-XXXXXX", base && *base ? base : "/tmp");
  assert_non_null(mkdtemp(dir));
  return dir;
}

/* dir + "/" + name; caller owns. */
static char *join(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = xmalloc(n);
  snprintf(p, n, "%s/%s", dir, name);
  return p;
}

static void write_file(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

/* Loads path (displayed as "shown.py") and expects exactly one error msg. */
static void expect_file_error(const char *path, const char *msg) {
  Source src;
  Diags d = {0};
  assert_int_equal(source_load(&src, path, "shown.py", &d), -1);
  assert_int_equal(d.len, 1);
  assert_int_equal(d.items[0].level, DIAG_ERROR);
  assert_string_equal(d.items[0].path, "shown.py");
  assert_string_equal(d.items[0].message, msg);
  diags_free(&d);
}

/* ---- line index and positions ------------------------------------------ */

static void test_empty(void **state) {
  (void)state;
  Source src;
  LOAD_OK(&src, "");
  assert_int_equal(src.len, 0);
  assert_int_equal(src.bom_len, 0);
  assert_int_equal(src.nlines, 1);
  assert_string_equal(src.path, "mem.py");
  expect_position(&src, 0, 1, 1, 1, 0);
  expect_position(&src, 99, 1, 1, 1, 0);
  expect_span(&src, 1, 0, 0);
  source_free(&src);
}

static void test_bom(void **state) {
  (void)state;
  Source src;
  LOAD_OK(&src, "\xEF\xBB\xBFx = 1\ny\n");
  assert_int_equal(src.bom_len, 3);
  assert_int_equal(src.raw_len, 11);
  assert_int_equal(src.len, 8);
  assert_ptr_equal(src.text, src.raw + 3);
  assert_memory_equal(src.text, "x = 1\ny\n", 8);
  assert_int_equal(src.nlines, 3);
  expect_position(&src, 0, 1, 1, 1, 0);
  expect_position(&src, 6, 2, 1, 1, 0);
  source_free(&src);

  LOAD_OK(&src, "\xEF\xBB\xBF"); /* a BOM alone is an empty file */
  assert_int_equal(src.len, 0);
  assert_int_equal(src.nlines, 1);
  source_free(&src);
}

static void test_line_starts(void **state) {
  (void)state;
  Source src;
  LOAD_OK(&src, "a\nb\r\nc\rd");
  assert_int_equal(src.nlines, 4);
  uint32_t want[] = {0, 2, 5, 7};
  for (uint32_t i = 0; i < 4; i++) assert_int_equal(src.line_starts[i], want[i]);
  expect_span(&src, 1, 0, 1);
  expect_span(&src, 2, 2, 3);
  expect_span(&src, 3, 5, 6);
  expect_span(&src, 4, 7, 8);
  expect_span(&src, 5, 8, 8); /* out of range: empty span at the end */
  expect_position(&src, 3, 2, 2, 2, 1); /* the \r of \r\n */
  expect_position(&src, 4, 2, 3, 3, 2); /* the \n of \r\n */
  expect_position(&src, 6, 3, 2, 2, 1); /* the lone \r */
  expect_position(&src, 7, 4, 1, 1, 0);
  source_free(&src);

  LOAD_OK(&src, "\r\r\n\n"); /* lone CR, CRLF, LF: four lines */
  assert_int_equal(src.nlines, 4);
  assert_int_equal(src.line_starts[1], 1);
  assert_int_equal(src.line_starts[2], 3);
  assert_int_equal(src.line_starts[3], 4);
  expect_span(&src, 2, 1, 1);
  source_free(&src);

  LOAD_OK(&src, "x = 1\n"); /* a trailing newline opens an empty last line */
  assert_int_equal(src.nlines, 2);
  expect_span(&src, 1, 0, 5);
  expect_span(&src, 2, 6, 6);
  source_free(&src);
}

static void test_columns(void **state) {
  (void)state;
  Source src;
  /* line 2: tab, U+00E4 (2 bytes), U+20AC (3 bytes), U+1F600 (4 bytes), 'x' */
  LOAD_OK(&src, "pass\r\n\t\xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80x = 1\n");
  uint32_t l2 = 6;
  expect_position(&src, l2 + 0, 2, 1, 1, 0);  /* tab */
  expect_position(&src, l2 + 1, 2, 2, 2, 1);  /* a-umlaut */
  expect_position(&src, l2 + 3, 2, 3, 3, 3);  /* euro */
  expect_position(&src, l2 + 6, 2, 4, 4, 6);  /* emoji */
  expect_position(&src, l2 + 10, 2, 5, 6, 10); /* x: emoji counts 2 in UTF-16 */
  expect_position(&src, l2 + 15, 2, 10, 11, 15); /* the \n */
  expect_position(&src, 1000, 3, 1, 1, 0);  /* clamped to the end */
  expect_span(&src, 2, l2, l2 + 15);
  source_free(&src);
}

static void test_many_lines(void **state) {
  (void)state;
  size_t n = 5000 * 3;
  char *buf = xmalloc(n);
  for (size_t i = 0; i < 5000; i++) memcpy(buf + 3 * i, i % 2 ? "b\r\n" : "a\n\r", 3);
  Source src;
  Diags d = {0};
  assert_int_equal(source_from_buffer(&src, buf, n, "many.py", &d), 0);
  /* Each "a\n\rb\r\n" holds three terminators (LF, lone CR, CRLF). */
  assert_int_equal(src.nlines, 2500 * 3 + 1);
  for (uint32_t line = 1; line <= src.nlines; line++) {
    Position p = source_position(&src, src.line_starts[line - 1]);
    assert_int_equal(p.line, line);
    assert_int_equal(p.column, 1);
  }
  source_free(&src);
  diags_free(&d);
}

/* ---- content checks ---------------------------------------------------- */

static void test_nul_byte(void **state) {
  (void)state;
  EXPECT_ERR("a\nb\r\n\rx\0y", "binary file (NUL byte at line 4); not Python source");
  EXPECT_ERR("\0", "binary file (NUL byte at line 1); not Python source");
  /* NUL wins over invalid UTF-8 before it: binaries are often both. */
  EXPECT_ERR("\x89PNG\r\n\x1a\n\0", "binary file (NUL byte at line 3); not Python source");
}

#define BAD_UTF8(l, c)                                                                 \
  "invalid UTF-8 at line " #l ", column " #c "; not linted: Python source is UTF-8 unless " \
  "it declares its encoding (PEP 263)"

static void test_invalid_utf8(void **state) {
  (void)state;
  EXPECT_UNDECODABLE("x\n ab\x80", BAD_UTF8(2, 4));                 /* stray continuation */
  EXPECT_UNDECODABLE("\xC0\xAF", BAD_UTF8(1, 1));                   /* overlong '/' */
  EXPECT_UNDECODABLE("s = '\xC1\xBF'", BAD_UTF8(1, 6));             /* overlong 2-byte */
  EXPECT_UNDECODABLE("a\r\n\xE0\x80\xAF", BAD_UTF8(2, 1));          /* overlong 3-byte */
  EXPECT_UNDECODABLE("a\rb\xF0\x80\x80\xAF", BAD_UTF8(2, 2));       /* overlong 4-byte */
  EXPECT_UNDECODABLE("# \xED\xA0\x80", BAD_UTF8(1, 3));             /* surrogate U+D800 */
  EXPECT_UNDECODABLE("# \xED\xBF\xBF", BAD_UTF8(1, 3));             /* surrogate U+DFFF */
  EXPECT_UNDECODABLE("\xF4\x90\x80\x80", BAD_UTF8(1, 1));           /* U+110000 */
  EXPECT_UNDECODABLE("\xF5\x80\x80\x80", BAD_UTF8(1, 1));           /* lead byte F5 */
  EXPECT_UNDECODABLE("\xFF", BAD_UTF8(1, 1));
  EXPECT_UNDECODABLE("x = 1\n\xE2\x82", BAD_UTF8(2, 1));            /* truncated at EOF */
  EXPECT_UNDECODABLE("\xE2\x82x", BAD_UTF8(1, 1));                  /* truncated mid-file */
  EXPECT_UNDECODABLE("\xC3\xA9\xE2\x82\xAC\xFE", BAD_UTF8(1, 3));   /* column in code points */
  EXPECT_UNDECODABLE("aaaaaaaaaaaaaaaaaaaa\x80", BAD_UTF8(1, 21));  /* after the ASCII fast path */
  EXPECT_UNDECODABLE("\xEF\xBB\xBF\n\t\xC3", BAD_UTF8(2, 2));       /* counted after the BOM */
}

static void test_valid_utf8_edges(void **state) {
  (void)state;
  Source src;
  LOAD_OK(&src, "# \xF4\x8F\xBF\xBF \xEF\xBF\xBF \xED\x9F\xBF \xEE\x80\x80 \xC2\x80 "
                "\xF0\x90\x80\x80 \x7F");
  Position p = source_position(&src, src.len);
  assert_int_equal(p.column, 16); /* 15 code points, two of them astral */
  assert_int_equal(p.utf16, 18);
  source_free(&src);
}

/* Loads lit and expects it decoded from `enc` into the UTF-8 text `utf8`. */
#define EXPECT_DECODED(lit, enc, utf8)                                            \
  do {                                                                          \
    Source s_;                                                                  \
    LOAD_OK(&s_, lit);                                                          \
    assert_non_null(s_.encoding);                                               \
    assert_string_equal(s_.encoding, (enc));                                    \
    assert_int_equal(s_.len, sizeof(utf8) - 1);                                 \
    assert_memory_equal(s_.text, (utf8), sizeof(utf8) - 1);                     \
    assert_memory_equal(s_.raw, (lit), sizeof(lit) - 1); /* the bytes as read */ \
    source_free(&s_);                                                           \
  } while (0)

#define CANNOT(enc) "declares encoding " enc ", which iconv cannot convert; not linted"

static void test_coding_cookie(void **state) {
  (void)state;
  /* PEP 263: on line 1, or on line 2 after a comment or blank line */
  EXPECT_DECODED("# -*- coding: latin-1 -*-\nx = '\xE9'\n", "latin-1",
                 "# -*- coding: latin-1 -*-\nx = '\xC3\xA9'\n");
  EXPECT_DECODED("#!/usr/bin/env python\n# vim: set fileencoding=koi8-r :\n'\xF0\xD2'",
                 "koi8-r", "#!/usr/bin/env python\n# vim: set fileencoding=koi8-r :\n'\xD0\x9F\xD1\x80'");
  EXPECT_DECODED("\n#coding=cp1252\n'\x93\x80'", "cp1252", "\n#coding=cp1252\n'\xE2\x80\x9C\xE2\x82\xAC'");
  /* Ignored: on line 3, on line 2 after code, or naming UTF-8. */
  EXPECT_UNDECODABLE("#!/bin/python\n\n# coding: latin-1\n'\xE9'", BAD_UTF8(4, 2));
  EXPECT_UNDECODABLE("import os\n# coding: latin-1\n'\xE9'", BAD_UTF8(3, 2));
  EXPECT_UNDECODABLE("# coding: UTF_8\n'\xE9'", BAD_UTF8(2, 2));
  EXPECT_UNDECODABLE("# -*- coding: utf-8-unix -*-\n'\xE9'", BAD_UTF8(2, 2));
  EXPECT_UNDECODABLE("# coding: utf8\n'\xE9'", BAD_UTF8(2, 2));
  /* "coding" without a name goes on to the next one on the line (the regex's .*?) */
  EXPECT_DECODED("# coding: , coding=latin1\n'\xE9'", "latin1", "# coding: , coding=latin1\n'\xC3\xA9'");
  /* ASCII stays ASCII: no mojibake in what all encodings share */
  EXPECT_DECODED("# coding: latin-1\nx = 1\n", "latin-1", "# coding: latin-1\nx = 1\n");
  /* A file is read as Python reads it: by its declaration, even when its
   * bytes would be valid UTF-8 too. */
  EXPECT_DECODED("# coding: latin-1\n'\xC3\xA9'", "latin-1", "# coding: latin-1\n'\xC3\x83\xC2\xA9'");
  /* A UTF-8 BOM and utf-8-sig agree; a BOM and another encoding do not. */
  Source src;
  LOAD_OK(&src, "\xEF\xBB\xBF# -*- coding: utf-8-sig -*-\n'\xC3\xA9'");
  assert_null(src.encoding);
  assert_int_equal(src.bom_len, 3);
  source_free(&src);
  EXPECT_UNDECODABLE("\xEF\xBB\xBF# coding: latin-1\n'\xC3\xA9'",
                     "declares encoding latin-1 but starts with a UTF-8 byte order mark; not linted");
}

/* Python's codec names, normalised as Python does (case, '_' for '-'),
 * and the ones iconv spells or maps differently. */
static void test_encoding_names(void **state) {
  (void)state;
  EXPECT_DECODED("# coding: Latin_1\n'\xE9'", "Latin_1", "# coding: Latin_1\n'\xC3\xA9'");
  EXPECT_DECODED("# coding: l1\n'\xE9'", "l1", "# coding: l1\n'\xC3\xA9'");
  EXPECT_DECODED("# coding: ISO-8859-1\n'\xE9'", "ISO-8859-1", "# coding: ISO-8859-1\n'\xC3\xA9'");
  EXPECT_DECODED("# -*- coding: latin-1-unix -*-\n'\xE9'", "latin-1-unix",
                 "# -*- coding: latin-1-unix -*-\n'\xC3\xA9'");
  EXPECT_DECODED("# coding: iso8859_15\n'\xA4'", "iso8859_15", "# coding: iso8859_15\n'\xE2\x82\xAC'");
  EXPECT_DECODED("# coding: latin9\n'\xA4'", "latin9", "# coding: latin9\n'\xE2\x82\xAC'");
  EXPECT_DECODED("# coding: windows-1251\n'\xC0'", "windows-1251",
                 "# coding: windows-1251\n'\xD0\x90'");
  EXPECT_DECODED("# coding: cp1251\n'\xC0'", "cp1251", "# coding: cp1251\n'\xD0\x90'");
  EXPECT_DECODED("# coding: KOI8_R\n'\xC1'", "KOI8_R", "# coding: KOI8_R\n'\xD0\xB0'");
  EXPECT_DECODED("# coding: euc-jp\n'\xA4\xA2'", "euc-jp", "# coding: euc-jp\n'\xE3\x81\x82'");
  EXPECT_DECODED("# coding: gbk\n'\xC4\xE3'", "gbk", "# coding: gbk\n'\xE4\xBD\xA0'");
  EXPECT_DECODED("# coding: gb2312\n'\xC4\xE3'", "gb2312", "# coding: gb2312\n'\xE4\xBD\xA0'");
  EXPECT_DECODED("# coding: big5\n'\xA7\x41'", "big5", "# coding: big5\n'\xE4\xBD\xA0'");
  /* Shift_JIS: 0x5C is a backslash, as in Python (glibc's SHIFT_JIS: a yen sign) */
  EXPECT_DECODED("# coding: shift_jis\n'\x83\x41\\n'", "shift_jis",
                 "# coding: shift_jis\n'\xE3\x82\xA2\\n'");
  EXPECT_DECODED("# coding: mac-roman\n'\x8E'", "mac-roman", "# coding: mac-roman\n'\xC3\xA9'");
  /* unknown to iconv, or not a source encoding (ASCII is not ASCII in it) */
  EXPECT_UNDECODABLE("# coding: klingon\nx = 1\n", CANNOT("klingon"));
  EXPECT_UNDECODABLE("# coding: utf-16\nx = 1\n", CANNOT("utf-16"));
  EXPECT_UNDECODABLE("# coding: cp037\nx = 1\n", CANNOT("cp037"));
}

static void test_bytes_not_in_declared_encoding(void **state) {
  (void)state;
  /* cp1252 leaves 0x81 undefined; the position counts decoded characters */
  EXPECT_UNDECODABLE("# coding: cp1252\nx = '\x93\x81'",
                     "bytes that are not cp1252 (the encoding it declares) at line 2, column 7; "
                     "not linted");
  EXPECT_UNDECODABLE("# coding: euc-jp\n\xA4\xA2\xA4",
                     "bytes that are not euc-jp (the encoding it declares) at line 2, column 2; "
                     "not linted");
  /* the NUL check comes first, on the bytes */
  EXPECT_ERR("# coding: latin-1\n\xE9\0", "binary file (NUL byte at line 2); not Python source");
}

/* Columns count code points: the same in the file as in its UTF-8 text. */
static void test_decoded_positions(void **state) {
  (void)state;
  Source src;
  LOAD_OK(&src, "# coding: latin-1\nx = '\xE9\xE8' + y\n");
  const char *y = memchr(src.text, 'y', src.len);
  assert_non_null(y);
  /* 'y' is byte 11 of line 2 in the file, byte 13 in the UTF-8 text */
  expect_position(&src, (uint32_t)(y - src.text), 2, 12, 12, 13);
  source_free(&src);
}

/* An editor's buffer is decoded already: its declaration is not applied. */
static void test_from_text(void **state) {
  (void)state;
  static const char lit[] = "# coding: latin-1\nx = '\xC3\xA9'\n";
  char *buf = xmalloc(sizeof lit);
  memcpy(buf, lit, sizeof lit);
  Source src;
  Diags d = {0};
  assert_int_equal(source_from_text(&src, buf, sizeof lit - 1, "ed.py", &d), 0);
  assert_int_equal(d.len, 0);
  assert_null(src.encoding);
  assert_ptr_equal(src.text, src.raw);
  source_free(&src);
}

/* Writing back: in the file's encoding, with its BOM; a character the
 * encoding lacks is refused, with its offset. */
static void test_encode(void **state) {
  (void)state;
  Source src;
  char *out;
  size_t n, bad;
  LOAD_OK(&src, "# coding: latin-1\n'\xE9'\n");
  assert_int_equal(source_encode(&src, src.text, src.len, &out, &n, &bad), 0);
  assert_int_equal(n, src.raw_len);
  assert_memory_equal(out, src.raw, n);
  free(out);
  static const char more[] = "'\xC3\xA9' + '\xC5\x81'"; /* é, then Ł: not in Latin-1 */
  assert_int_equal(source_encode(&src, more, sizeof more - 1, &out, &n, &bad), -1);
  assert_null(out);
  assert_int_equal(bad, 8); /* after 6 one-byte characters and the two bytes of é */
  source_free(&src);
  LOAD_OK(&src, "\xEF\xBB\xBFx = '\xC5\x81'\n");
  assert_int_equal(source_encode(&src, src.text, src.len, &out, &n, &bad), 0);
  assert_int_equal(n, src.raw_len);
  assert_memory_equal(out, src.raw, n); /* the BOM is put back */
  free(out);
  source_free(&src);
}

/* ---- files ------------------------------------------------------------- */

static void test_load_file(void **state) {
  (void)state;
  char *dir = make_tmpdir(), *path = join(dir, "ok.py");
  write_file(path, "import redis\r\nr = redis.Redis()\r\n", 33);
  Source src;
  Diags d = {0};
  assert_int_equal(source_load(&src, path, "pkg/ok.py", &d), 0);
  assert_int_equal(d.len, 0);
  assert_string_equal(src.path, "pkg/ok.py");
  assert_int_equal(src.len, 33);
  assert_int_equal(src.nlines, 3);
  expect_span(&src, 2, 14, 31);
  source_free(&src);
  assert_int_equal(source_load(&src, path, NULL, &d), 0); /* display defaults to path */
  assert_string_equal(src.path, path);
  source_free(&src);
  unlink(path);
  rmdir(dir);
  free(path);
  free(dir);
}

static void test_missing_and_directory(void **state) {
  (void)state;
  char *dir = make_tmpdir(), *missing = join(dir, "nope.py");
  expect_file_error(missing, "no such file or directory");
  expect_file_error(dir, "is a directory, not a file");
  rmdir(dir);
  free(missing);
  free(dir);
}

static void test_permission_denied(void **state) {
  (void)state;
  char *dir = make_tmpdir(), *path = join(dir, "secret.py");
  write_file(path, "x = 1\n", 6);
  assert_int_equal(chmod(path, 0), 0);
  int readable = access(path, R_OK) == 0;
  if (!readable) expect_file_error(path, "cannot read file: Permission denied");
  unlink(path);
  rmdir(dir);
  free(path);
  free(dir);
  if (readable && geteuid() == 0) skip(); /* root bypasses permission checks */
  assert_false(readable);
}

static void test_too_large(void **state) {
  (void)state;
  char *dir = make_tmpdir(), *path = join(dir, "huge.py");
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  assert_true(fd >= 0);
  assert_int_equal(ftruncate(fd, (off_t)(70.2 * 1024 * 1024)), 0); /* sparse */
  expect_file_error(path, "file is 70.2 MB; the limit is 64 MB");
  /* Exactly at the limit is not too large (here: binary, all NUL bytes). */
  assert_int_equal(ftruncate(fd, (off_t)SOURCE_MAX_BYTES), 0);
  expect_file_error(path, "binary file (NUL byte at line 1); not Python source");
  close(fd);
  unlink(path);
  rmdir(dir);
  free(path);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_empty),
      cmocka_unit_test(test_bom),
      cmocka_unit_test(test_line_starts),
      cmocka_unit_test(test_columns),
      cmocka_unit_test(test_many_lines),
      cmocka_unit_test(test_nul_byte),
      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_valid_utf8_edges),
      cmocka_unit_test(test_coding_cookie),
      cmocka_unit_test(test_encoding_names),
      cmocka_unit_test(test_bytes_not_in_declared_encoding),
      cmocka_unit_test(test_decoded_positions),
      cmocka_unit_test(test_from_text),
      cmocka_unit_test(test_encode),
      cmocka_unit_test(test_load_file),
      cmocka_unit_test(test_missing_and_directory),
      cmocka_unit_test(test_permission_denied),
      cmocka_unit_test(test_too_large),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
