/* docs.h - reading the embedded rule documents (front matter and sections). */
#ifndef RL_DOCS_H
#define RL_DOCS_H
#include <stddef.h>

/* Value of `key: value` in the doc's front matter; malloc'ed, NULL if absent. */
char *doc_front_matter(const char *doc, const char *key);
/* First paragraph under `## heading`, lines joined with spaces; malloc'ed,
 * NULL if absent. */
char *doc_first_paragraph(const char *doc, const char *heading);
/* Items of a `[a, b, c]` front-matter list: fills out (up to cap malloc'ed
 * strings) and returns the count. */
size_t doc_list_items(const char *value, char **out, size_t cap);
#endif
