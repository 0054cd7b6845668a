/* suggest.h - "did you mean" for mistyped keys, flags, commands and rules. */
#ifndef RL_SUGGEST_H
#define RL_SUGGEST_H
#include <stddef.h>

/* Levenshtein distance (words longer than 64 bytes are "far": 99). */
size_t suggest_distance(const char *a, const char *b);

/* The candidate nearest to `word`, or NULL when none is close enough to be
 * what was meant (at most 3 edits, and fewer edits than `word` has bytes).
 * `names` points at the first name of an array of n elements `stride` bytes
 * apart (an array of strings, or a name field in an array of structs). */
const char *suggest_nearest(const char *word, const char *const *names, size_t n, size_t stride);

/* The nearer of two suggestions for `word` (either may be NULL). */
const char *suggest_better(const char *word, const char *a, const char *b);
#endif
