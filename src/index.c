/* index.c - project index of exported clients and factories. */
#include "index.h"

#include <stdlib.h>
#include <string.h>

typedef struct ModExports {
  char *module;
  char **names;
  Value *values;
  size_t n;
} ModExports;

/* Every module name and each of its dotted suffixes ("src.app.ext",
 * "app.ext", "ext") maps to the module, or to AMBIGUOUS when two modules
 * share a suffix; an exact name always wins over a suffix. */
#define AMBIGUOUS (-2)
typedef struct Slot {
  char *key;
  int mod;    /* module index, or AMBIGUOUS */
  bool exact; /* key is the module's full name */
} Slot;

struct ProjectIndex {
  ModExports *mods;
  size_t len, cap;
  Slot *slots;
  size_t nslots, used;
};

ProjectIndex *index_new(void) { return xcalloc(1, sizeof(ProjectIndex)); }

static void mod_clear(ModExports *m) {
  for (size_t i = 0; i < m->n; i++) free(m->names[i]);
  free(m->names);
  free(m->values);
  m->names = NULL;
  m->values = NULL;
  m->n = 0;
}

void index_delete(ProjectIndex *self) {
  if (!self) return;
  for (size_t i = 0; i < self->len; i++) {
    mod_clear(&self->mods[i]);
    free(self->mods[i].module);
  }
  free(self->mods);
  for (size_t i = 0; i < self->nslots; i++) free(self->slots[i].key);
  free(self->slots);
  free(self);
}

static uint64_t hash_str(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

static Slot *slot_find(const ProjectIndex *self, const char *key, size_t n) {
  if (!self->nslots) return NULL;
  size_t h = hash_str(key, n) & (self->nslots - 1);
  while (self->slots[h].key) {
    if (!strncmp(self->slots[h].key, key, n) && self->slots[h].key[n] == '\0') return &self->slots[h];
    h = (h + 1) & (self->nslots - 1);
  }
  return NULL;
}

static void slot_put(ProjectIndex *self, const char *key, size_t n, int mod, bool exact);

static void slots_grow(ProjectIndex *self) {
  Slot *old = self->slots;
  size_t on = self->nslots;
  self->nslots = on ? on * 2 : 256;
  self->slots = xcalloc(self->nslots, sizeof(Slot));
  self->used = 0;
  for (size_t i = 0; i < on; i++) {
    if (!old[i].key) continue;
    slot_put(self, old[i].key, strlen(old[i].key), old[i].mod, old[i].exact);
    free(old[i].key);
  }
  free(old);
}

static void slot_put(ProjectIndex *self, const char *key, size_t n, int mod, bool exact) {
  if ((self->used + 1) * 2 > self->nslots) slots_grow(self);
  Slot *sl = slot_find(self, key, n);
  if (sl) {
    if (sl->exact) return;
    if (exact) {
      sl->mod = mod;
      sl->exact = true;
    } else if (sl->mod != mod) {
      sl->mod = AMBIGUOUS;
    }
    return;
  }
  size_t h = hash_str(key, n) & (self->nslots - 1);
  while (self->slots[h].key) h = (h + 1) & (self->nslots - 1);
  char *k = xmalloc(n + 1);
  memcpy(k, key, n);
  k[n] = '\0';
  self->slots[h].key = k;
  self->slots[h].mod = mod;
  self->slots[h].exact = exact;
  self->used++;
}

/* The module and each dotted suffix of its name. */
static void slots_add_module(ProjectIndex *self, int mod) {
  const char *name = self->mods[mod].module;
  slot_put(self, name, strlen(name), mod, true);
  for (const char *d = strchr(name, '.'); d; d = strchr(d + 1, '.'))
    slot_put(self, d + 1, strlen(d + 1), mod, false);
}

static ModExports *find_mod(const ProjectIndex *self, const char *module) {
  const Slot *sl = slot_find(self, module, strlen(module));
  return sl && sl->exact ? &self->mods[sl->mod] : NULL;
}

static bool same_value(Value a, Value b) {
  return a.kind == b.kind && a.is_async == b.is_async && a.cluster == b.cluster &&
         a.decode == b.decode && a.makes == b.makes && a.via_property == b.via_property;
}

static bool same_exports(const ModExports *m, const Export *ex, size_t n) {
  if (m->n != n) return false;
  for (size_t i = 0; i < n; i++)
    if (strcmp(m->names[i], ex[i].name) || !same_value(m->values[i], ex[i].value))
      return false;
  return true;
}

static ModExports *mod_new(ProjectIndex *self, const char *module) {
  if (self->len == self->cap) {
    self->cap = self->cap ? self->cap * 2 : 16;
    self->mods = xrealloc(self->mods, self->cap * sizeof(ModExports));
  }
  ModExports *m = &self->mods[self->len++];
  memset(m, 0, sizeof *m);
  m->module = xstrdup(module);
  slots_add_module(self, (int)self->len - 1);
  return &self->mods[self->len - 1];
}

void index_add_module(ProjectIndex *self, const char *module) {
  if (!find_mod(self, module)) mod_new(self, module);
}

bool index_set_exports(ProjectIndex *self, const char *module, const Export *ex, size_t n) {
  ModExports *m = find_mod(self, module);
  if (m && same_exports(m, ex, n)) return false;
  if (!m && n == 0) return false;
  if (!m) m = mod_new(self, module);
  mod_clear(m);
  m->names = xcalloc(n, sizeof(char *));
  m->values = xcalloc(n, sizeof(Value));
  for (size_t i = 0; i < n; i++) {
    m->names[i] = xstrdup(ex[i].name);
    m->values[i] = ex[i].value;
    /* A constructor location means nothing in another file. */
    m->values[i].ctor_start = m->values[i].ctor_end = 0;
  }
  m->n = n;
  return true;
}

static const ModExports *resolve_module(const ProjectIndex *self, const char *want,
                                        size_t wlen) {
  const Slot *sl = slot_find(self, want, wlen);
  return sl && sl->mod >= 0 ? &self->mods[sl->mod] : NULL;
}

bool index_lookup(const ProjectIndex *self, const char *qualname, Value *out) {
  if (!self) return false;
  const char *dot = strrchr(qualname, '.');
  if (!dot) return false;
  const ModExports *m = resolve_module(self, qualname, (size_t)(dot - qualname));
  if (!m) return false;
  for (size_t i = 0; i < m->n; i++) {
    if (strcmp(m->names[i], dot + 1) == 0) {
      *out = m->values[i];
      return true;
    }
  }
  return false;
}

size_t index_nmodules(const ProjectIndex *self) { return self->len; }


char *module_name_for_path(const char *path) {
  while (path[0] == '.' && path[1] == '/') path += 2;
  while (*path == '/') path++;
  size_t n = strlen(path);
  char *s = xmalloc(n + 1);
  memcpy(s, path, n + 1);
  if (n >= 4 && strcmp(s + n - 4, ".pyi") == 0) s[n - 4] = '\0';
  else if (n >= 3 && strcmp(s + n - 3, ".py") == 0) s[n - 3] = '\0';
  n = strlen(s);
  if (n >= 9 && strcmp(s + n - 9, "/__init__") == 0) s[n - 9] = '\0';
  else if (strcmp(s, "__init__") == 0) s[0] = '\0';
  for (char *c = s; *c; c++)
    if (*c == '/') *c = '.';
  return s;
}

static bool mentions(const char *text, size_t len, const char *word) {
  size_t k = strlen(word);
  if (!k || k > len) return false;
  for (const char *p = text; (p = memchr(p, word[0], len - (size_t)(p - text) - k + 1)); p++)
    if (!memcmp(p, word, k)) return true;
  return false;
}

bool index_mentioned_in(const ProjectIndex *self, const char *text, size_t len) {
  for (size_t i = 0; self && i < self->len; i++)
    for (size_t k = 0; k < self->mods[i].n; k++)
      if (mentions(text, len, self->mods[i].names[k])) return true;
  return false;
}

/* Does "a.b.c" or one of its dotted prefixes ("a.b", "a") name a project module? */
bool index_matches_module(const ProjectIndex *self, const char *qualname) {
  if (!self || !self->len) return false;
  size_t n = strlen(qualname);
  for (;;) {
    if (resolve_module(self, qualname, n)) return true;
    while (n > 0 && qualname[n - 1] != '.') n--;
    if (n == 0) return false;
    n--; /* drop the dot */
  }
}
