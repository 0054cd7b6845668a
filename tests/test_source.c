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

/* Asserts that loading s fails with exactly one error `msg` for mem.py. */
static void expect_mem_error(const char *s, size_t len, const char *msg) {
  Source src;
  Diags d = {0};
  assert_int_equal(load_mem(&src, s, len, &d), -1);
  assert_int_equal(d.len, 1);
  assert_int_equal(d.items[0].level, DIAG_ERROR);
  assert_string_equal(d.items[0].path, "mem.py");
  assert_int_equal(d.items[0].line, 0);
  assert_string_equal(d.items[0].message, msg);
  assert_null(src.raw);
  diags_free(&d);
}
#define EXPECT_ERR(lit, msg) expect_mem_error((lit), sizeof(lit) - 1, (msg))

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

#define BAD_UTF8(l, c) \
  "invalid UTF-8 at line " #l ", column " #c "; Python source must be UTF-8"

static void test_invalid_utf8(void **state) {
  (void)state;
  EXPECT_ERR("x\n ab\x80", BAD_UTF8(2, 4));                 /* stray continuation */
  EXPECT_ERR("\xC0\xAF", BAD_UTF8(1, 1));                   /* overlong '/' */
  EXPECT_ERR("s = '\xC1\xBF'", BAD_UTF8(1, 6));             /* overlong 2-byte */
  EXPECT_ERR("a\r\n\xE0\x80\xAF", BAD_UTF8(2, 1));          /* overlong 3-byte */
  EXPECT_ERR("a\rb\xF0\x80\x80\xAF", BAD_UTF8(2, 2));       /* overlong 4-byte */
  EXPECT_ERR("# \xED\xA0\x80", BAD_UTF8(1, 3));             /* surrogate U+D800 */
  EXPECT_ERR("# \xED\xBF\xBF", BAD_UTF8(1, 3));             /* surrogate U+DFFF */
  EXPECT_ERR("\xF4\x90\x80\x80", BAD_UTF8(1, 1));           /* U+110000 */
  EXPECT_ERR("\xF5\x80\x80\x80", BAD_UTF8(1, 1));           /* lead byte F5 */
  EXPECT_ERR("\xFF", BAD_UTF8(1, 1));
  EXPECT_ERR("x = 1\n\xE2\x82", BAD_UTF8(2, 1));            /* truncated at EOF */
  EXPECT_ERR("\xE2\x82x", BAD_UTF8(1, 1));                  /* truncated mid-file */
  EXPECT_ERR("\xC3\xA9\xE2\x82\xAC\xFE", BAD_UTF8(1, 3));   /* column in code points */
  EXPECT_ERR("aaaaaaaaaaaaaaaaaaaa\x80", BAD_UTF8(1, 21));  /* after the ASCII fast path */
  EXPECT_ERR("\xEF\xBB\xBF\n\t\xC3", BAD_UTF8(2, 2));       /* counted after the BOM */
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

static void test_coding_cookie(void **state) {
  (void)state;
  const char *latin = "declares encoding latin-1; only UTF-8 is supported";
  EXPECT_ERR("# -*- coding: latin-1 -*-\nx = '\xE9'\n", latin);
  EXPECT_ERR("#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\n'\xE9'", latin);
  EXPECT_ERR("\n#coding=cp1252\n'\x93'", "declares encoding cp1252; only UTF-8 is supported");
  /* Ignored: on line 3, on line 2 after code, or naming UTF-8. */
  EXPECT_ERR("#!/bin/python\n\n# coding: latin-1\n'\xE9'", BAD_UTF8(4, 2));
  EXPECT_ERR("import os\n# coding: latin-1\n'\xE9'", BAD_UTF8(3, 2));
  EXPECT_ERR("# coding: UTF_8\n'\xE9'", BAD_UTF8(2, 2));
  EXPECT_ERR("# -*- coding: utf-8-unix -*-\n'\xE9'", BAD_UTF8(2, 2));
  /* A non-UTF-8 cookie on a file that is valid UTF-8 is fine. */
  Source src;
  LOAD_OK(&src, "# coding: latin-1\nx = 1\n");
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
      cmocka_unit_test(test_load_file),
      cmocka_unit_test(test_missing_and_directory),
      cmocka_unit_test(test_permission_denied),
      cmocka_unit_test(test_too_large),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
