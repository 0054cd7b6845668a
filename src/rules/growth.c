/* rules/growth.c - project facts for keys that only grow. */
#include "growth.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

bool growth_key_specific(const char *tpl) {
  int letters = 0;
  for (; *tpl; tpl++) letters += isalpha((unsigned char)*tpl) != 0;
  return letters >= 2;
}

bool growth_key_used_by(const LintRun *run, const char *key, const char *const *methods) {
  for (size_t f = 0; f < run->nfiles; f++)
    for (size_t k = 0; k < run->files[f].nkeys; k++) {
      const KeyUse *u = &run->files[f].keys[k];
      if (strcmp(u->key, key)) continue;
      for (const char *const *m = methods; *m; m++)
        if (!strcmp(u->method, *m)) return true;
    }
  return false;
}

typedef struct Seen {
  const char *const *methods;
  bool first_only;
  const char **keys; /* templates already reported */
  size_t n, cap;
} Seen;

static bool keep(ProjectCtx *ctx, size_t file, const Finding *f, void *data) {
  (void)file;
  Seen *s = data;
  if (!f->key) return true;
  if (growth_key_used_by(ctx->run, f->key, s->methods)) return false;
  if (!s->first_only) return true;
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->keys[i], f->key)) return false;
  if (s->n == s->cap) s->keys = xrealloc(s->keys, (s->cap = s->cap ? s->cap * 2 : 16) * sizeof(char *));
  s->keys[s->n++] = f->key;
  return true;
}

void growth_filter(ProjectCtx *ctx, const char *const *methods, bool first_only) {
  Seen s = {methods, first_only, NULL, 0, 0};
  project_filter(ctx, keep, &s);
  free(s.keys);
}
