/* suggest.c - "did you mean" (see suggest.h). */
#include "suggest.h"

#include <string.h>

size_t suggest_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64) return 99;
  size_t row[65];
  for (size_t j = 0; j <= lb; j++) row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t prev = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t cur = row[j];
      size_t sub = prev + (a[i - 1] != b[j - 1]);
      size_t del = row[j] + 1, ins = row[j - 1] + 1;
      row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
      prev = cur;
    }
  }
  return row[lb];
}

const char *suggest_nearest(const char *word, const char *const *names, size_t n, size_t stride) {
  const char *best = NULL;
  size_t bd = 99;
  for (size_t i = 0; i < n; i++) {
    const char *cand = *(const char *const *)((const char *)names + i * stride);
    if (!cand) continue;
    size_t d = suggest_distance(word, cand);
    if (d < bd) {
      bd = d;
      best = cand;
    }
  }
  return bd <= 3 && bd < strlen(word) ? best : NULL;
}

const char *suggest_better(const char *word, const char *a, const char *b) {
  if (!a || !b) return a ? a : b;
  return suggest_distance(word, b) < suggest_distance(word, a) ? b : a;
}
