/* diag.c - run diagnostics sink. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

void diags_add(Diags *self, DiagLevel level, const char *path, unsigned line,
               const char *fmt, ...) {
  if (self->len == self->cap) {
    self->cap = self->cap ? self->cap * 2 : 8;
    self->items = xrealloc(self->items, self->cap * sizeof(Diag));
  }
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *msg = xmalloc((size_t)(n < 0 ? 0 : n) + 1);
  va_start(ap, fmt);
  vsnprintf(msg, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
  va_end(ap);
  /* One line: fold any newline a caller let through. */
  for (char *c = msg; *c; c++)
    if (*c == '\n' || *c == '\r') *c = ' ';
  Diag *d = &self->items[self->len++];
  d->level = level;
  d->path = path ? xstrdup(path) : NULL;
  d->line = line;
  d->message = msg;
}

void diags_move(Diags *self, Diags *src) {
  for (size_t i = 0; i < src->len; i++) {
    if (self->len == self->cap) {
      self->cap = self->cap ? self->cap * 2 : 8;
      self->items = xrealloc(self->items, self->cap * sizeof(Diag));
    }
    self->items[self->len++] = src->items[i];
  }
  free(src->items);
  src->items = NULL;
  src->len = src->cap = 0;
}

int diags_has_errors(const Diags *self) {
  for (size_t i = 0; i < self->len; i++)
    if (self->items[i].level == DIAG_ERROR) return 1;
  return 0;
}

void diags_free(Diags *self) {
  for (size_t i = 0; i < self->len; i++) {
    free(self->items[i].path);
    free(self->items[i].message);
  }
  free(self->items);
  self->items = NULL;
  self->len = self->cap = 0;
}
