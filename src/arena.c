/* arena.c - region allocator and small allocation helpers. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (64u * 1024u)
#define ARENA_ALIGN 16u

typedef struct Block {
  struct Block *next;
  size_t used, size;
  _Alignas(16) unsigned char data[];
} Block;

struct Arena {
  Block *head;
};

static void oom(size_t n) {
  fprintf(stderr, "redislint: out of memory (allocating %zu bytes)\n", n);
  abort();
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) oom(n);
  return p;
}

void *xcalloc(size_t n, size_t m) {
  void *p = calloc(n ? n : 1, m ? m : 1);
  if (!p) oom(n * m);
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) oom(n);
  return q;
}

char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = xmalloc(n);
  memcpy(d, s, n);
  return d;
}

Arena *arena_new(void) { return xcalloc(1, sizeof(Arena)); }

void arena_delete(Arena *self) {
  if (!self) return;
  Block *b = self->head;
  while (b) {
    Block *next = b->next;
    free(b);
    b = next;
  }
  free(self);
}

void *arena_alloc(Arena *self, size_t size) {
  size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
  Block *b = self->head;
  if (!b || b->size - b->used < size) {
    size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
    Block *nb = xmalloc(sizeof(Block) + cap);
    nb->size = cap;
    nb->used = 0;
    /* A big one-off allocation goes behind the current block so that the
     * current block's free space stays usable. */
    if (b && size > ARENA_BLOCK) {
      nb->next = b->next;
      b->next = nb;
    } else {
      nb->next = b;
      self->head = nb;
    }
    b = nb;
  }
  void *p = b->data + b->used;
  b->used += size;
  memset(p, 0, size);
  return p;
}

char *arena_strndup(Arena *self, const char *s, size_t n) {
  char *d = arena_alloc(self, n + 1);
  if (n) memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *arena_strdup(Arena *self, const char *s) { return arena_strndup(self, s, strlen(s)); }

char *arena_printf(Arena *self, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  char *d = arena_alloc(self, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(d, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return d;
}

void vec_init(Vec *v, size_t elem) {
  v->data = NULL;
  v->len = v->cap = 0;
  v->elem = elem;
}

void *vec_push(Vec *v) {
  if (v->len == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 8;
    v->data = xrealloc(v->data, v->cap * v->elem);
  }
  void *slot = (char *)v->data + v->len * v->elem;
  memset(slot, 0, v->elem);
  v->len++;
  return slot;
}

void *vec_at(const Vec *v, size_t i) { return (char *)v->data + i * v->elem; }

void vec_free(Vec *v) {
  free(v->data);
  v->data = NULL;
  v->len = v->cap = 0;
}

/* ---- interned strings ---------------------------------------------------- */

#include <pthread.h>

/* FNV-1a: short dotted names, a table of a few hundred */
static size_t intern_hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return (size_t)h;
}

static pthread_mutex_t intern_mu = PTHREAD_MUTEX_INITIALIZER;
static char **intern_tab; /* open addressing, a power of two, at most half full */
static size_t intern_cap, intern_len;

static void intern_put(char **tab, size_t cap, char *s) {
  size_t i = intern_hash(s, strlen(s)) & (cap - 1);
  while (tab[i]) i = (i + 1) & (cap - 1);
  tab[i] = s;
}

const char *str_intern(const char *s, size_t n) {
  size_t h = intern_hash(s, n);
  pthread_mutex_lock(&intern_mu);
  if (2 * (intern_len + 1) > intern_cap) {
    size_t cap = intern_cap ? 2 * intern_cap : 256;
    char **tab = xcalloc(cap, sizeof *tab);
    for (size_t i = 0; i < intern_cap; i++)
      if (intern_tab[i]) intern_put(tab, cap, intern_tab[i]);
    free(intern_tab);
    intern_tab = tab;
    intern_cap = cap;
  }
  size_t i = h & (intern_cap - 1);
  for (; intern_tab[i]; i = (i + 1) & (intern_cap - 1))
    if (!strncmp(intern_tab[i], s, n) && intern_tab[i][n] == '\0') {
      const char *hit = intern_tab[i];
      pthread_mutex_unlock(&intern_mu);
      return hit;
    }
  char *d = xmalloc(n + 1);
  memcpy(d, s, n);
  d[n] = '\0';
  intern_tab[i] = d;
  intern_len++;
  pthread_mutex_unlock(&intern_mu);
  return d;
}
