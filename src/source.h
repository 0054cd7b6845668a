/* source.h - a file's bytes and the position arithmetic on them.
 *
 * Byte offsets used everywhere in the core are offsets into `text`, which is
 * the file content with a UTF-8 BOM removed (bom_len says how many bytes were
 * removed, for writers of file offsets). */
#ifndef RL_SOURCE_H
#define RL_SOURCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "diag.h"

typedef struct Source {
  char *path;       /* display path, as discovered or --stdin-filename; owned */
  char *raw;        /* whole file as read; owned */
  size_t raw_len;
  const char *text; /* raw + bom_len */
  uint32_t len;
  uint32_t bom_len;
  uint32_t *line_starts; /* byte offset of each line start; owned */
  uint32_t nlines;
} Source;

typedef struct Position {
  uint32_t line;     /* 1-based */
  uint32_t column;   /* 1-based, in Unicode code points (text, json, github) */
  uint32_t utf16;    /* 1-based, in UTF-16 code units (SARIF, editors) */
  uint32_t byte_col; /* 0-based byte offset within the line */
} Position;

#define SOURCE_MAX_BYTES (64u * 1024u * 1024u)

/* Reads `path` (or stdin when path is "-"; display_path names it then).
 * Returns 0 on success; on failure appends one DIAG_ERROR naming the file and
 * the problem (unreadable, directory, binary, not UTF-8, too large) and returns -1. */
int source_load(Source *self, const char *path, const char *display_path, Diags *diags);
/* Takes ownership of buf (malloc'ed, len bytes). Same checks as source_load. */
int source_from_buffer(Source *self, char *buf, size_t len, const char *display_path,
                       Diags *diags);
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
