/* docs.c - reading the embedded rule documents. */
#include "docs.h"

#include <string.h>

#include <stdio.h>
#include <stdlib.h>

#include "arena.h"

static char *dup_trimmed(const char *s, size_t n) {
  while (n && (*s == ' ' || *s == '\t')) s++, n--;
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
  char *o = xmalloc(n + 1);
  memcpy(o, s, n);
  o[n] = '\0';
  return o;
}

char *doc_front_matter(const char *doc, const char *key) {
  if (!doc || strncmp(doc, "---\n", 4) != 0) return NULL;
  const char *end = strstr(doc + 4, "\n---");
  size_t klen = strlen(key);
  for (const char *line = doc + 4; line && line < end;) {
    if (!strncmp(line, key, klen) && line[klen] == ':') {
      const char *v = line + klen + 1;
      return dup_trimmed(v, strcspn(v, "\n"));
    }
    line = strchr(line, '\n');
    if (line) line++;
  }
  return NULL;
}

char *doc_first_paragraph(const char *doc, const char *heading) {
  if (!doc) return NULL;
  char want[128];
  size_t hl = (size_t)snprintf(want, sizeof want, "\n## %s\n", heading);
  const char *h = hl < sizeof want ? strstr(doc, want) : NULL;
  if (!h) return NULL;
  const char *p = h + hl;
  while (*p == '\n' || *p == '\r') p++;
  const char *e = strstr(p, "\n\n");
  size_t n = e ? (size_t)(e - p) : strlen(p);
  char *o = dup_trimmed(p, n);
  for (char *c = o; *c; c++)
    if (*c == '\n' || *c == '\r') *c = ' ';
  return o;
}

size_t doc_list_items(const char *value, char **out, size_t cap) {
  if (!value) return 0;
  const char *p = value;
  if (*p == '[') p++;
  size_t n = 0;
  while (*p && *p != ']' && n < cap) {
    size_t len = strcspn(p, ",]");
    char *item = dup_trimmed(p, len);
    if (*item) out[n++] = item;
    else free(item);
    p += len;
    if (*p == ',') p++;
  }
  return n;
}
