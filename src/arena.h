/* arena.h - region allocator: everything allocated from an arena is freed at once.
 *
 * Ownership: memory returned by arena_* belongs to the arena and lives until
 * arena_delete(). Allocation failure aborts with a message (out of memory is
 * not a recoverable condition for a linter). */
#ifndef RL_ARENA_H
#define RL_ARENA_H
#include <stddef.h>

typedef struct Arena Arena;

Arena *arena_new(void);
void arena_delete(Arena *self);
/* Zeroed, aligned for any type. */
void *arena_alloc(Arena *self, size_t size);
char *arena_strndup(Arena *self, const char *s, size_t n);
char *arena_strdup(Arena *self, const char *s);
char *arena_printf(Arena *self, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Growable array of pointers or PODs, stored in the heap (not the arena). */
typedef struct Vec {
  void *data;
  size_t len, cap, elem;
} Vec;
#define VEC_INIT(T) {NULL, 0, 0, sizeof(T)}
void vec_init(Vec *v, size_t elem);
void *vec_push(Vec *v); /* returns zeroed slot */
void *vec_at(const Vec *v, size_t i);
void vec_free(Vec *v);

/* Like malloc/realloc/strdup but abort on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* The one copy of the n bytes at s, NUL-terminated, for the life of the
 * process: equal strings get the same pointer (compare with ==). Thread-safe. */
const char *str_intern(const char *s, size_t n);
#endif
