/* strset.h - a set of strings (open addressing, FNV-1a), for lookups that
 * must stay O(1) on large projects: the index's mention set, the project
 * rules' key sets. */
#ifndef RL_STRSET_H
#define RL_STRSET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct StrSet {
  char **keys;   /* owned copies */
  size_t cap, n; /* cap: 0 or a power of two */
} StrSet;

uint64_t strset_hash(const char *s, size_t n);
/* Is k[0..n) in the set? */
bool strset_has(const StrSet *s, const char *k, size_t n);
/* Adds a copy of k[0..n) unless present; true when it was added. */
bool strset_add(StrSet *s, const char *k, size_t n);
void strset_free(StrSet *s);
#endif
