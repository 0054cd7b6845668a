/* strset.c - a set of strings (see strset.h). */
#include "strset.h"

#include <string.h>

#include "arena.h"

uint64_t strset_hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

static char **slot(const StrSet *s, const char *k, size_t n) {
  size_t h = strset_hash(k, n) & (s->cap - 1);
  while (s->keys[h] && (strncmp(s->keys[h], k, n) || s->keys[h][n])) h = (h + 1) & (s->cap - 1);
  return &s->keys[h];
}

bool strset_has(const StrSet *s, const char *k, size_t n) { return s->cap && *slot(s, k, n); }

bool strset_add(StrSet *s, const char *k, size_t n) {
  if (2 * (s->n + 1) > s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 64;
    StrSet g = {xcalloc(cap, sizeof(char *)), cap, s->n};
    for (size_t i = 0; i < s->cap; i++)
      if (s->keys[i]) *slot(&g, s->keys[i], strlen(s->keys[i])) = s->keys[i];
    free(s->keys);
    *s = g;
  }
  char **at = slot(s, k, n);
  if (*at) return false;
  *at = xmalloc(n + 1);
  memcpy(*at, k, n);
  (*at)[n] = '\0';
  s->n++;
  return true;
}

void strset_free(StrSet *s) {
  for (size_t i = 0; i < s->cap; i++) free(s->keys[i]);
  free(s->keys);
  memset(s, 0, sizeof *s);
}
