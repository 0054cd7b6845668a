/* source.h - a file's bytes, its text, and the position arithmetic on it.
 *
 * The text is UTF-8: the file's bytes with a UTF-8 BOM removed (bom_len says
 * how many bytes were removed, for writers of file offsets), or, for a file
 * that declares another encoding (PEP 263: `# -*- coding: latin-1 -*-` on
 * line 1 or 2), its bytes converted with iconv. Byte offsets used everywhere
 * in the core are offsets into `text`; columns count code points, so they are
 * the same in the file whatever its encoding. */
#ifndef RL_SOURCE_H
#define RL_SOURCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "diag.h"

typedef struct Source {
  char *path;       /* display path, as discovered or --stdin-filename; owned */
  char *raw;        /* whole file as read, in its own encoding; owned */
  size_t raw_len;
  const char *text; /* UTF-8: raw + bom_len, or `decoded` */
  uint32_t len;
  uint32_t bom_len;
  char *decoded;    /* the text converted from `encoding`; owned; NULL for UTF-8 */
  char *encoding;   /* the encoding the file declares, as written, when it is not
                       UTF-8 ("latin-1"); owned; NULL for UTF-8 */
  uint32_t *line_starts; /* byte offset of each line start; owned */
  uint32_t nlines;
  uint8_t declares_tests; /* memo of rule_util's test-module scan: 0 not yet, 1 no, 2 yes */
} Source;

typedef struct Position {
  uint32_t line;     /* 1-based */
  uint32_t column;   /* 1-based, in Unicode code points (text, json, github) */
  uint32_t utf16;    /* 1-based, in UTF-16 code units (SARIF, editors) */
  uint32_t byte_col; /* 0-based byte offset within the line */
} Position;

#define SOURCE_MAX_BYTES (64u * 1024u * 1024u)

/* source_load's result when the bytes are not text: invalid UTF-8 in a file
 * that declares no other encoding, bytes invalid in the encoding declared, an
 * encoding iconv cannot convert, or a UTF-8 BOM on a file declaring another. */
#define SOURCE_UNDECODABLE (-2)

/* Reads `path` (or stdin when path is "-"; display_path names it then).
 * Returns 0 on success; on failure appends one DIAG_ERROR naming the file and
 * the problem and returns -1 (unreadable, directory, binary, too large) or
 * SOURCE_UNDECODABLE. A caller that found the file by walking a directory may
 * lower that diagnostic to a warning: the file is skipped. */
int source_load(Source *self, const char *path, const char *display_path, Diags *diags);
/* Takes ownership of buf (malloc'ed, len bytes). Same checks as source_load. */
int source_from_buffer(Source *self, char *buf, size_t len, const char *display_path,
                       Diags *diags);
/* The same for text that is decoded already (an editor's buffer): it is
 * UTF-8 whatever encoding its first lines declare. */
int source_from_text(Source *self, char *buf, size_t len, const char *display_path,
                     Diags *diags);
/* The bytes of a file of this source's encoding holding `text` (UTF-8, len
 * bytes): the text itself, with the BOM put back when the file had one, or
 * the text converted back into the encoding the file declares. Returns 0 and
 * a malloc'ed *out (caller owns), or -1 when the encoding cannot represent a
 * character of the text: *bad is then its byte offset in text. */
int source_encode(const Source *self, const char *text, size_t len, char **out, size_t *out_len,
                  size_t *bad);
void source_free(Source *self);
/* Drops the text and line index but keeps the path (a linted file with
 * nothing to report needs no text for the output). */
void source_release(Source *self);

Position source_position(const Source *self, uint32_t byte);
/* Does the text hold `needle` (bounded by len: the text need not end in NUL)? */
bool source_contains(const Source *self, const char *needle);
/* Line text without its terminator: [*start, *end). line is 1-based. */
void source_line_span(const Source *self, uint32_t line, uint32_t *start, uint32_t *end);
#endif
