/* diag.h - diagnostics about the run itself (unreadable files, parse errors,
 * bad options). The core never prints: it appends here, the CLI renders them
 * on stderr and as SARIF toolExecutionNotifications. */
#ifndef RL_DIAG_H
#define RL_DIAG_H
#include <stddef.h>

typedef enum {
  DIAG_NOTE,    /* informational */
  DIAG_WARNING, /* file linted, but results may be incomplete (syntax errors); or a
                   file found by walking a directory could not be decoded and was
                   skipped: the exit status stays the findings' */
  DIAG_ERROR    /* a requested file or path could not be linted: exit 2 */
} DiagLevel;

typedef struct Diag {
  DiagLevel level;
  char *path;    /* may be NULL; owned */
  unsigned line; /* 0 if none */
  char *message; /* owned, one line */
} Diag;

typedef struct Diags {
  Diag *items;
  size_t len, cap;
} Diags;

void diags_add(Diags *self, DiagLevel level, const char *path, unsigned line,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Moves all entries of src to the end of self; src is left empty. */
void diags_move(Diags *self, Diags *src);
int diags_has_errors(const Diags *self);
void diags_free(Diags *self);
#endif
