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

struct ProjectIndex {
  ModExports *mods;
  size_t len, cap;
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
  free(self);
}

static ModExports *find_mod(const ProjectIndex *self, const char *module) {
  for (size_t i = 0; i < self->len; i++)
    if (strcmp(self->mods[i].module, module) == 0) return &self->mods[i];
  return NULL;
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

bool index_set_exports(ProjectIndex *self, const char *module, const Export *ex, size_t n) {
  ModExports *m = find_mod(self, module);
  if (m && same_exports(m, ex, n)) return false;
  if (!m && n == 0) return false;
  if (!m) {
    if (self->len == self->cap) {
      self->cap = self->cap ? self->cap * 2 : 16;
      self->mods = xrealloc(self->mods, self->cap * sizeof(ModExports));
    }
    m = &self->mods[self->len++];
    memset(m, 0, sizeof *m);
    m->module = xstrdup(module);
  }
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

/* Does module name `full` equal `want` or end with "." + want? */
static bool module_matches(const char *full, const char *want, size_t wlen) {
  size_t flen = strlen(full);
  if (flen < wlen) return false;
  if (memcmp(full + flen - wlen, want, wlen) != 0) return false;
  return flen == wlen || full[flen - wlen - 1] == '.';
}

static const ModExports *resolve_module(const ProjectIndex *self, const char *want,
                                        size_t wlen) {
  const ModExports *found = NULL;
  for (size_t i = 0; i < self->len; i++) {
    const ModExports *m = &self->mods[i];
    if (!module_matches(m->module, want, wlen)) continue;
    if (strlen(m->module) == wlen) return m; /* exact match wins */
    if (found) return NULL;                  /* ambiguous suffix */
    found = m;
  }
  return found;
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
