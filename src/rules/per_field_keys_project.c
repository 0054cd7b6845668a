/* RL101 per-field-keys across the project: the fields of one entity written
 * from several functions or files, found in the key uses every file leaves
 * behind (FileResult.keys). Groups inside one function are the per-file
 * check's (per_field_keys.c). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "per_field_keys.h"

#define MAX_FIELDS 256

/* ---- across the project: the fields of one entity written from several
 * functions or files (the key index). */

typedef struct Use {
  const char *prefix, *field, *func, *ttl;
  size_t file;
  uint32_t start, end;
} Use;

static int cmp_use(const void *a, const void *b) {
  const Use *x = a, *y = b;
  int c = strcmp(x->prefix, y->prefix);
  if (c) return c;
  if (x->file != y->file) return x->file < y->file ? -1 : 1;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* A prefix specific enough to name an entity across files: some literal
 * text of at least two letters besides the holes. */
static bool specific_prefix(const char *p) {
  int letters = 0;
  for (; *p; p++) letters += isalpha((unsigned char)*p) != 0;
  return letters >= 2;
}

static bool same_func(const Use *a, const Use *b) {
  return a->file == b->file && ((!a->func && !b->func) || (a->func && b->func && !strcmp(a->func, b->func)));
}

static size_t collect_project(ProjectCtx *ctx, Use **out) {
  size_t cap = 0, n = 0;
  Use *u = NULL;
  for (size_t f = 0; f < ctx->run->nfiles; f++) {
    const FileResult *fr = &ctx->run->files[f];
    for (size_t k = 0; k < fr->nkeys; k++) {
      const KeyUse *ku = &fr->keys[k];
      bool write = false;
      for (const char *const *w = PER_FIELD_STRING_WRITES; *w && !write; w++) write = !strcmp(*w, ku->method);
      const char *colon = write ? strrchr(ku->key, ':') : NULL;
      if (!colon || !per_field_like(colon + 1) || !per_entity_prefix(ku->key, (size_t)(colon - ku->key)))
        continue;
      if (n == cap) u = xrealloc(u, (cap = cap ? cap * 2 : 64) * sizeof(Use));
      u[n].prefix = arena_strndup(fr->arena, ku->key, (size_t)(colon - ku->key));
      if (!specific_prefix(u[n].prefix)) continue;
      u[n].field = colon + 1;
      u[n].func = ku->func;
      u[n].ttl = ku->ttl;
      u[n].file = f;
      u[n].start = ku->start;
      u[n].end = ku->end;
      n++;
    }
  }
  *out = u;
  return n;
}

/* Number of distinct fields written by the uses that share g[i]'s function. */
static size_t fields_in_func(const Use *g, size_t n, size_t i) {
  size_t count = 0;
  for (size_t a = 0; a < n; a++) {
    if (!same_func(&g[a], &g[i])) continue;
    bool seen = false;
    for (size_t b = 0; b < a && !seen; b++) seen = same_func(&g[b], &g[i]) && !strcmp(g[b].field, g[a].field);
    count += !seen;
  }
  return count;
}

static void project_group(ProjectCtx *ctx, const Use *g, size_t n) {
  size_t min = (size_t)(ctx->opt->th.per_field_min_group < 2 ? 2 : ctx->opt->th.per_field_min_group);
  const Use *firsts[MAX_FIELDS];
  size_t nf = 0;
  bool several_funcs = false;
  for (size_t i = 0; i < n; i++) {
    if (fields_in_func(g, n, i) >= min) return; /* reported inside that function */
    if (strcmp(g[i].ttl, g[0].ttl)) return;     /* different lifetimes: not one entity */
    several_funcs |= !same_func(&g[i], &g[0]);
    bool seen = false;
    for (size_t k = 0; k < nf && !seen; k++) seen = !strcmp(firsts[k]->field, g[i].field);
    if (!seen && nf < MAX_FIELDS) firsts[nf++] = &g[i];
  }
  if (nf < min || !several_funcs) return;
  KeyTpl pk = {0};
  pk.text = g[0].prefix;
  const char *pd = keytpl_display(ctx->run->files[g[0].file].arena, &pk);
  char fields[512] = "";
  for (size_t k = 0, len = 0; k < nf && len < sizeof fields - 70; k++)
    len += (size_t)snprintf(fields + len, sizeof fields - len, "%s%s", k ? ", " : "", firsts[k]->field);
  Finding *f = project_report(ctx, g[0].file, g[0].start, g[0].end, SEV_WARNING,
                              "%zu string keys across the project hold fields of one `%s` entity "
                              "(%s): every key pays Redis' per-key overhead; one hash `%s` stays "
                              "listpack-encoded up to hash-max-listpack-entries (%ld) fields",
                              nf, pd, fields, pd, ctx->opt->th.hash_max_listpack_entries);
  for (size_t k = 1; k < nf; k++) {
    char msg[160];
    snprintf(msg, sizeof msg, "field `%s` written here", firsts[k]->field);
    project_related(ctx, g[0].file, f, firsts[k]->file, firsts[k]->start, firsts[k]->end, msg);
  }
  project_fix(ctx, g[0].file, f, FIX_DISPLAY,
              "Store the fields in one hash `%s` (HSET key field value) and read them with "
              "HGET/HMGET/HGETALL; every reader and writer of these keys must change", pd);
}

void per_field_keys_project(ProjectCtx *ctx) {
  Use *u;
  size_t n = collect_project(ctx, &u);
  if (n > 1) qsort(u, n, sizeof(Use), cmp_use);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && !strcmp(u[j].prefix, u[i].prefix)) j++;
    project_group(ctx, u + i, j - i);
    i = j;
  }
  free(u);
}

