/* rules/growth.c - project facts for keys that only grow. */
#include "growth.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../strset.h"

bool growth_key_specific(const char *tpl) {
  int letters = 0;
  for (; *tpl; tpl++) letters += isalpha((unsigned char)*tpl) != 0;
  return letters >= 2;
}

void growth_keys_used_by(const LintRun *run, const char *const *methods, StrSet *out) {
  for (size_t f = 0; f < run->nfiles; f++)
    for (size_t k = 0; k < run->files[f].nkeys; k++) {
      const KeyUse *u = &run->files[f].keys[k];
      for (const char *const *m = methods; *m; m++)
        if (!strcmp(u->method, *m)) {
          strset_add(out, u->key, strlen(u->key));
          break;
        }
    }
}

bool growth_has(const StrSet *keys, const char *key) { return strset_has(keys, key, strlen(key)); }

typedef struct Seen {
  bool first_only;
  StrSet used;     /* templates the project shrinks */
  StrSet reported; /* templates already reported */
} Seen;

static bool keep(ProjectCtx *ctx, size_t file, const Finding *f, void *data) {
  (void)file;
  (void)ctx;
  Seen *s = data;
  if (!f->key) return true;
  size_t n = strlen(f->key);
  if (strset_has(&s->used, f->key, n)) return false;
  return !s->first_only || strset_add(&s->reported, f->key, n);
}

/* One pass over the project's key uses, then a set lookup per finding: a
 * scan of every use per finding was quadratic on a Redis-dense file. */
void growth_filter(ProjectCtx *ctx, const char *const *methods, bool first_only) {
  Seen s = {first_only, {0}, {0}};
  growth_keys_used_by(ctx->run, methods, &s.used);
  project_filter(ctx, keep, &s);
  strset_free(&s.used);
  strset_free(&s.reported);
}
