/* finding.c - names of severities and fix applicabilities; the findings order. */
#include "finding.h"

#include <string.h>

#include "rule.h"

const char *severity_name(Severity s) {
  switch (s) {
  case SEV_ERROR: return "error";
  case SEV_WARNING: return "warning";
  default: return "info";
  }
}

const char *applicability_name(Applicability a) {
  switch (a) {
  case FIX_SAFE: return "safe";
  case FIX_UNSAFE: return "unsafe";
  case FIX_DISPLAY: return "display";
  default: return "none";
  }
}

int finding_cmp(const void *a, const void *b) {
  const Finding *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  int c = strcmp(x->rule->code, y->rule->code);
  if (c) return c;
  if (x->end != y->end) return x->end < y->end ? -1 : 1;
  return strcmp(x->message, y->message);
}
