/* index.c - project index of exported clients and factories. */
#include "index.h"
#include "strset.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>

typedef struct ModExports {
  char *module;
  atomic_bool wanted; /* a model asked for a member of one of its classes (index_want_class) */
  bool exports_changed; /* since index_changes_reset() */
  bool calls_changed;   /* the call facts naming its functions changed (index_seal) */
  uint64_t new_sum;     /* index_seal's running checksum */
  uint64_t calls_sum;   /* checksum of those facts at the last seal */
  bool called; /* index_seal: some "#call." fact names a function of it */
  char **names;
  Value *values;
  char **bases; /* per export: NULL, or the qualified base class of class `names[i]` */
  size_t n;
  size_t nreexports; /* how many are "#reexport." (a package's __init__): none, no scan */
  size_t nstars;     /* how many are "#star" (`from X import *`): none, no scan */
  uint64_t *changed; /* since index_changes_reset(): hashes of the export names that
                        changed (added, removed, another value or base) */
  size_t nchanged, capchanged;
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

/* "#..." exports (call facts, overrides) of every module, merged by name:
 * built by index_seal() between rounds, read-only while models are built. */
typedef struct Fact {
  char *name;
  Value v;
} Fact;

struct ProjectIndex {
  atomic_size_t nwanted; /* modules marked wanted */
  const char *blocking; /* the first module (by name) that sends a blocking command */
  bool aioredis1;       /* some module uses aioredis 1.x ("#aioredis1") */
  StrSet heads; /* names whose mention makes a file worth modelling (index_seal) */
  uint64_t heads_sum; /* order-free checksum of heads: a file checked against it need not be again */
  StrSet builders; /* functions and classes that build clients when called ("#builds.") */
  StrSet hot;   /* "MOD:Cls" of classes and instances with client members, through bases */
  Fact *facts;
  size_t nfacts, factcap; /* open addressing, power of two */
  bool *overridden;       /* per commands_at() index: a client subclass overrides it */
  uint64_t overrides_sum; /* checksum of the #override facts at the last seal */
  bool overrides_changed;
  bool dirty;             /* exports changed since the last index_seal() */
  bool defined[INDEX_MAX_DISTINCT];      /* by commands_distinctive_at() index */
  bool defined_test[INDEX_MAX_DISTINCT]; /* ... in test code only (fakes) */
  ModExports *mods;
  size_t len, cap;
  Slot *slots;
  size_t nslots, used;
};

ProjectIndex *index_new(void) { return xcalloc(1, sizeof(ProjectIndex)); }

static void mod_clear(ModExports *m) {
  for (size_t i = 0; i < m->n; i++) {
    free(m->names[i]);
    free(m->bases[i]);
  }
  free(m->names);
  free(m->values);
  free(m->bases);
  m->names = NULL;
  m->values = NULL;
  m->bases = NULL;
  m->n = 0;
}

void index_delete(ProjectIndex *self) {
  if (!self) return;
  strset_free(&self->heads);
  strset_free(&self->builders);
  strset_free(&self->hot);
  for (size_t i = 0; i < self->len; i++) {
    mod_clear(&self->mods[i]);
    free(self->mods[i].module);
    free(self->mods[i].changed);
  }
  free(self->mods);
  for (size_t i = 0; i < self->nslots; i++) free(self->slots[i].key);
  free(self->slots);
  for (size_t i = 0; i < self->factcap; i++) free(self->facts[i].name);
  free(self->facts);
  free(self->overridden);
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
         a.decode == b.decode && a.makes == b.makes && a.via_property == b.via_property &&
         a.inferred == b.inferred && a.standalone == b.standalone && a.fresh == b.fresh &&
         a.timeout_set == b.timeout_set && a.facade == b.facade && a.arg_class == b.arg_class &&
         a.rcls == b.rcls;
}

/* The same exports apart from "#call." facts (what the module passes to the
 * functions it calls): those reach their readers through the callee's call
 * facts (calls_changed, index_seal), not through this module's exports. */
static bool is_call_fact(const char *name) { return !strncmp(name, "#call.", 6); }

static bool same_public_exports(const ModExports *m, const Export *ex, size_t n) {
  size_t i = 0, k = 0;
  for (;;) {
    while (i < m->n && is_call_fact(m->names[i])) i++;
    while (k < n && is_call_fact(ex[k].name)) k++;
    if (i == m->n || k == n) return i == m->n && k == n;
    if (strcmp(m->names[i], ex[k].name) || !same_value(m->values[i], ex[k].value) ||
        !m->bases[i] != !ex[k].base || (ex[k].base && strcmp(m->bases[i], ex[k].base)))
      return false;
    i++, k++;
  }
}

static bool same_exports(const ModExports *m, const Export *ex, size_t n) {
  if (m->n != n) return false;
  for (size_t i = 0; i < n; i++)
    if (strcmp(m->names[i], ex[i].name) || !same_value(m->values[i], ex[i].value) ||
        !m->bases[i] != !ex[i].base || (ex[i].base && strcmp(m->bases[i], ex[i].base)))
      return false;
  return true;
}

static uint64_t name_hash(const char *s, size_t n);
static uint64_t fact_sum(const char *name, Value v);

static void add_changed(ModExports *m, const char *name) {
  if (m->nchanged == m->capchanged) {
    m->capchanged = m->capchanged ? m->capchanged * 2 : 16;
    m->changed = xrealloc(m->changed, m->capchanged * sizeof(uint64_t));
  }
  m->changed[m->nchanged++] = name_hash(name, strlen(name));
}

static uint64_t entry_sum(const char *name, const char *base, Value v) {
  uint64_t h = hash_str(name, strlen(name)) * 31 + (base ? hash_str(base, strlen(base)) : 7);
  return h ^ fact_sum(name, v);
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* The names of the entries (not "#call." facts) that are in one of m's old
 * exports and the new ones but not both, same name, base and value: each
 * sorted by an entry checksum, then merged, O(n log n). */
static void note_changed_names(ModExports *m, const Export *ex, size_t n) {
  uint64_t *a = xcalloc(m->n + 1, sizeof(uint64_t) * 2), *b = xcalloc(n + 1, sizeof(uint64_t) * 2);
  size_t na = 0, nb = 0;
  for (size_t i = 0; i < m->n; i++)
    if (!is_call_fact(m->names[i])) {
      a[2 * na] = entry_sum(m->names[i], m->bases[i], m->values[i]);
      a[2 * na++ + 1] = i;
    }
  for (size_t i = 0; i < n; i++)
    if (!is_call_fact(ex[i].name)) {
      b[2 * nb] = entry_sum(ex[i].name, ex[i].base, ex[i].value);
      b[2 * nb++ + 1] = i;
    }
  qsort(a, na, 2 * sizeof(uint64_t), cmp_u64);
  qsort(b, nb, 2 * sizeof(uint64_t), cmp_u64);
  size_t i = 0, k = 0;
  while (i < na || k < nb) {
    if (k == nb || (i < na && a[2 * i] < b[2 * k])) add_changed(m, m->names[a[2 * i++ + 1]]);
    else if (i == na || b[2 * k] < a[2 * i]) add_changed(m, ex[b[2 * k++ + 1]].name);
    else i++, k++;
  }
  free(a);
  free(b);
  if (m->nchanged > 1) qsort(m->changed, m->nchanged, sizeof *m->changed, cmp_u64);
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
  bool public_same = m && same_public_exports(m, ex, n);
  if (!m) m = mod_new(self, module);
  self->dirty = true;
  if (!public_same) {
    m->exports_changed = true;
    note_changed_names(m, ex, n);
  }
  mod_clear(m);
  m->names = xcalloc(n + 1, sizeof(char *));
  m->values = xcalloc(n + 1, sizeof(Value));
  m->bases = xcalloc(n + 1, sizeof(char *));
  for (size_t i = 0; i < n; i++) {
    m->names[i] = xstrdup(ex[i].name);
    m->bases[i] = ex[i].base ? xstrdup(ex[i].base) : NULL;
    m->values[i] = ex[i].value;
    /* A constructor location means nothing in another file. */
    m->values[i].ctor_start = m->values[i].ctor_end = 0;
  }
  m->n = n;
  m->nreexports = 0;
  m->nstars = 0;
  for (size_t i = 0; i < n; i++) {
    m->nreexports += !strncmp(m->names[i], "#reexport.", 10);
    m->nstars += !strcmp(m->names[i], "#star");
  }
  return true;
}

/* What the model being built on this thread consults (index_deps_record). */
static _Thread_local IndexDeps *recorder;

/* A dependency on dep, on one export name of it (hash) or on all (0). */
static void record_name(int dep, uint64_t name) {
  IndexDeps *d = recorder;
  if (!d || (d->n && d->ids[d->n - 1] == dep && d->names[d->n - 1] == name)) return;
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 16;
    d->ids = xrealloc(d->ids, d->cap * sizeof(int));
    d->names = xrealloc(d->names, d->cap * sizeof(uint64_t));
  }
  d->ids[d->n] = dep;
  d->names[d->n++] = name;
}

static void record(int dep) { record_name(dep, 0); }

/* The hash an export name is recorded by: never 0, which stands for "any". */
static uint64_t name_hash(const char *s, size_t n) {
  uint64_t h = hash_str(s, n);
  return h ? h : 1;
}

/* The module whose model is built on this thread (index_importer). */
static _Thread_local const char *importer;
/* Whether the model built on this thread may mark modules wanted: not one
 * of a file modelled only because it was wanted (one level, no cascade). */
static _Thread_local bool wants_off;

void index_wants_allowed(bool on) { wants_off = !on; }

void index_importer(const char *module) { importer = module; }

/* A name two modules share (`util.connection` in src/util/ and in
 * src/week4/util/) is the one next to the importing file: a script's own
 * directory comes first on sys.path, and a package's sibling is what a
 * reader assumes. Only that directory is tried; else it stays ambiguous. */
static const Slot *sibling_of_importer(const ProjectIndex *self, const char *want, size_t wlen) {
  const char *dot = importer ? strrchr(importer, '.') : NULL;
  if (!dot) return NULL;
  size_t plen = (size_t)(dot - importer), n = plen + 1 + wlen;
  char buf[512];
  if (n >= sizeof buf) return NULL;
  memcpy(buf, importer, plen + 1);
  memcpy(buf + plen + 1, want, wlen);
  const Slot *sl = slot_find(self, buf, n);
  return sl && sl->exact ? sl : NULL;
}

/* The module a dotted name stands for, without recording a dependency: which
 * modules exist is settled before the rounds (index_add_module). */
static const ModExports *find_module(const ProjectIndex *self, const char *want, size_t wlen) {
  const Slot *sl = slot_find(self, want, wlen);
  if (sl && sl->mod == AMBIGUOUS) {
    const Slot *near = sibling_of_importer(self, want, wlen);
    if (near) sl = near;
  }
  return sl && sl->mod >= 0 ? &self->mods[sl->mod] : NULL;
}

/* ... recording a dependency on all of its exports. */
static const ModExports *resolve_module(const ProjectIndex *self, const char *want,
                                        size_t wlen) {
  const ModExports *m = find_module(self, want, wlen);
  if (m) record(2 * (int)(m - self->mods));
  return m;
}

/* A dependency on the export names `name` (and `more`, when not NULL) of m. */
static void record_names(const ProjectIndex *self, const ModExports *m, const char *name,
                         size_t n, const char *more) {
  int dep = 2 * (int)(m - self->mods);
  record_name(dep, name_hash(name, n));
  if (more) record_name(dep, name_hash(more, strlen(more)));
  record_name(dep, name_hash("#star", 5)); /* lookups that miss follow `import *` */
}

/* `from X import *` in module m: X's names are m's too (bounded chains:
 * core imports * from extensions, which imports * from clients). */
#define STAR_DEPTH 4
static const ModExports *star_source(const ProjectIndex *self, const ModExports *m, size_t *k) {
  while (*k < m->n) {
    size_t i = (*k)++;
    const char *b = m->bases[i];
    if (!b || strcmp(m->names[i], "#star")) continue;
    const ModExports *sm = resolve_module(self, b, strlen(b));
    if (sm && sm != m) return sm;
  }
  return NULL;
}

static bool lookup_in(const ProjectIndex *self, const ModExports *m, const char *name, Value *out,
                      int depth) {
  for (size_t i = 0; i < m->n; i++) {
    if (!m->bases[i] && strcmp(m->names[i], name) == 0) {
      *out = m->values[i];
      return true;
    }
  }
  if (depth >= STAR_DEPTH || !m->nstars) return false;
  const ModExports *sm;
  for (size_t k = 0; (sm = star_source(self, m, &k));)
    if (lookup_in(self, sm, name, out, depth + 1)) return true;
  return false;
}

bool index_lookup(const ProjectIndex *self, const char *qualname, Value *out) {
  if (!self) return false;
  const char *dot = strrchr(qualname, '.');
  if (!dot) return false;
  const ModExports *m = find_module(self, qualname, (size_t)(dot - qualname));
  if (!m) return false;
  record_names(self, m, dot + 1, strlen(dot + 1), NULL); /* stars record their sources */
  return lookup_in(self, m, dot + 1, out, 0);
}

/* Dotted components two names share from the start. */
static size_t common_parts(const char *a, const char *b) {
  size_t n = 0, i = 0;
  for (; a[i] && a[i] == b[i]; i++)
    if (a[i] == '.') n++;
  if ((!a[i] || a[i] == '.') && (!b[i] || b[i] == '.')) n++;
  return n;
}

const char *index_nearest_module(const ProjectIndex *self, const char *last) {
  if (!self || !importer) return NULL;
  size_t ll = strlen(last), best = 0;
  const char *pick = NULL;
  bool tie = false;
  for (size_t i = 0; i < self->len; i++) {
    const char *mn = self->mods[i].module;
    size_t n = strlen(mn);
    if (n < ll || strcmp(mn + n - ll, last) || (n > ll && mn[n - ll - 1] != '.')) continue;
    size_t c = common_parts(mn, importer);
    if (!pick || c > best) {
      pick = mn;
      best = c;
      tie = false;
    } else if (c == best) {
      tie = true;
    }
  }
  return tie ? NULL : pick;
}

/* Member `attr` of class `cls` of module m, or of its bases (bounded depth). */
static bool member_in(const ProjectIndex *self, const ModExports *m, const char *cls, size_t clen,
                      const char *attr, Value *out, int depth) {
  if (depth > 8) return false;
  size_t alen = strlen(attr);
  for (size_t i = 0; i < m->n; i++) { /* "Cls.attr" */
    const char *nm = m->names[i];
    if (!m->bases[i] && !strncmp(nm, cls, clen) && nm[clen] == '.' && !strcmp(nm + clen + 1, attr)) {
      *out = m->values[i];
      return true;
    }
  }
  (void)alen;
  for (size_t i = 0; i < m->n; i++) {
    if (!m->bases[i] || strncmp(m->names[i], cls, clen) || m->names[i][clen]) continue;
    const char *b = m->bases[i], *dot = strrchr(b, '.');
    if (!dot) continue;
    const ModExports *bm = resolve_module(self, b, (size_t)(dot - b));
    if (bm && member_in(self, bm, dot + 1, strlen(dot + 1), attr, out, depth + 1)) return true;
  }
  if (!m->nstars) return false;
  const ModExports *sm; /* `sentinel` of `from app.extensions import *` */
  for (size_t k = 0; (sm = star_source(self, m, &k));)
    if (member_in(self, sm, cls, clen, attr, out, depth + 1)) return true;
  return false;
}

static const char *reexport_of(const ModExports *m, const char *name, size_t n);

/* What to do with each module visited on the way to a class's own module. */
typedef enum {
  HOP_RECORD_NAME,   /* depend on its "#reexport.<Name>" (index_member) */
  HOP_RECORD_MODULE, /* depend on all of it (index_has_class) */
  HOP_WANT           /* mark it wanted (index_want_class) */
} HopAct;

/* The module that defines the class *qualname names, following a package's
 * re-exports (`pkg.Store` of pkg.core, bounded); *qualname becomes the
 * class's own name there. Each module on the way gets `act`, whether or not
 * it re-exports the name: a package modelled later (a wanted module) may
 * re-export it then. NULL when no module of the project holds it. */
static ModExports *class_home(const ProjectIndex *self, const char **qualname, HopAct act) {
  for (int hop = 0; self; hop++) {
    const char *qn = *qualname, *dot = strrchr(qn, '.');
    ModExports *m = dot ? (ModExports *)find_module(self, qn, (size_t)(dot - qn)) : NULL;
    if (!m) return NULL;
    int dep = 2 * (int)(m - self->mods);
    if (act == HOP_WANT) {
      if (!atomic_exchange(&m->wanted, true)) atomic_fetch_add(&((ProjectIndex *)self)->nwanted, 1);
    } else if (act == HOP_RECORD_MODULE) {
      record(dep);
    } else {
      char rx[512];
      int rn = snprintf(rx, sizeof rx, "#reexport.%s", dot + 1);
      if (rn > 0 && (size_t)rn < sizeof rx) record_name(dep, name_hash(rx, (size_t)rn));
      else record(dep);
    }
    const char *from = reexport_of(m, dot + 1, strlen(dot + 1));
    if (!from || !strcmp(from, qn) || hop == 3) return m;
    *qualname = from;
  }
  return NULL;
}

bool index_member(const ProjectIndex *self, const char *class_qualname, const char *attr,
                  Value *out) {
  const ModExports *m = class_home(self, &class_qualname, HOP_RECORD_NAME);
  if (!m) return false;
  const char *dot = strrchr(class_qualname, '.');
  /* "Cls.attr", and "Cls" (its bases' entries); bases and stars record their modules */
  char member[512];
  int k = snprintf(member, sizeof member, "%s.%s", dot + 1, attr);
  if (k > 0 && (size_t)k < sizeof member) record_names(self, m, dot + 1, strlen(dot + 1), member);
  else record(2 * (int)(m - self->mods));
  return member_in(self, m, dot + 1, strlen(dot + 1), attr, out, 0);
}

size_t index_nmodules(const ProjectIndex *self) { return self->len; }

void index_want_class(const ProjectIndex *self, const char *class_qualname) {
  if (!wants_off) (void)class_home(self, &class_qualname, HOP_WANT); /* the packages on the way too */
}

size_t index_class_bases(const ProjectIndex *self, const char *class_qualname, const char **out,
                         size_t cap) {
  const ModExports *m = class_home(self, &class_qualname, HOP_RECORD_MODULE);
  if (!m) return 0;
  const char *name = strrchr(class_qualname, '.') + 1;
  size_t n = 0;
  for (size_t i = 0; i < m->n && n < cap; i++)
    if (m->bases[i] && !strcmp(m->names[i], name) && index_matches_module(self, m->bases[i]))
      out[n++] = m->bases[i];
  return n;
}

bool index_has_class(const ProjectIndex *self, const char *class_qualname) {
  /* any change of those modules may make it one */
  const ModExports *m = class_home(self, &class_qualname, HOP_RECORD_MODULE);
  if (!m) return false;
  const char *dot = strrchr(class_qualname, '.');
  size_t n = strlen(dot + 1);
  for (size_t i = 0; i < m->n; i++) {
    const char *nm = m->names[i];
    /* members, or a base in the project: `RedisClientType = TypeVar(...)`
       is exported as deriving from typing.TypeVar, and is no class here */
    if (!strncmp(nm, dot + 1, n) &&
        (nm[n] == '.' || (!nm[n] && m->bases[i] && index_matches_module(self, m->bases[i]))))
      return true;
  }
  return false;
}

size_t index_nwanted(const ProjectIndex *self) { return self ? atomic_load(&self->nwanted) : 0; }

bool index_wanted(const ProjectIndex *self, const char *module) {
  const ModExports *m = self && module ? find_mod(self, module) : NULL;
  return m && atomic_load(&m->wanted);
}


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

static bool ident_char(char c);

/* Does the text hold, as a whole identifier, a name of `names` (followed by
 * `(` when `calls`)? One pass over the text, a set lookup per identifier. */
static bool text_mentions(const StrSet *names, const char *text, size_t len, bool calls) {
  if (!names->n) return false;
  for (size_t i = 0; i < len;) {
    char c = text[i];
    if (!ident_char(c)) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < len && ident_char(text[j])) j++;
    if (!(c >= '0' && c <= '9') && (!calls || (j < len && text[j] == '(')) &&
        strset_has(names, text + i, j - i))
      return true;
    i = j;
  }
  return false;
}

/* A name whose mention makes the file worth modelling. */
bool index_mentioned_in(const ProjectIndex *self, const char *text, size_t len) {
  return self && text_mentions(&self->heads, text, len, false);
}

/* A module-level binding from what the project exports, on one line:
 * `sentinel = Sentinel()`, `r: Redis = get_redis()`, `cache = ext.redis`.
 * Only such a file can pass a client on to other modules; the others that
 * merely use one are modelled in pass 2, once, against the final index. */
bool index_binds_from_head(const ProjectIndex *self, const char *text, size_t len) {
  if (!self || !self->heads.n) return false;
  for (size_t i = 0; i < len;) {
    const char *nl = memchr(text + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - text) : len;
    if (ident_char(text[i]) && !(text[i] >= '0' && text[i] <= '9')) {
      size_t j = i;
      while (j < e && ident_char(text[j])) j++;
      while (j < e && text[j] == ' ') j++;
      if (j < e && text[j] == ':') /* an annotation: up to the `=` */
        while (j < e && text[j] != '=') j++;
      if (j + 1 < e && text[j] == '=' && text[j + 1] != '=' &&
          text_mentions(&self->heads, text + j + 1, e - j - 1, false))
        return true;
    }
    i = e + 1;
  }
  return false;
}

bool index_is_head(const ProjectIndex *self, const char *name, size_t n) {
  return self && strset_has(&self->heads, name, n);
}

size_t index_nbuilders(const ProjectIndex *self) { return self ? self->builders.n : 0; }
uint64_t index_heads_sum(const ProjectIndex *self) { return self ? self->heads_sum : 0; }

/* A call of a function that builds clients: the name, then `(`. */
bool index_mentions_builder(const ProjectIndex *self, const char *text, size_t len) {
  return self && text_mentions(&self->builders, text, len, true);
}

bool index_is_module(const ProjectIndex *self, const char *qualname) {
  return self && self->len && find_module(self, qualname, strlen(qualname)) != NULL;
}

/* Does "a.b.c" or one of its dotted prefixes ("a.b", "a") name a project module? */
bool index_matches_module(const ProjectIndex *self, const char *qualname) {
  if (!self || !self->len) return false;
  size_t n = strlen(qualname);
  for (;;) {
    if (find_module(self, qualname, n)) return true;
    while (n > 0 && qualname[n - 1] != '.') n--;
    if (n == 0) return false;
    n--; /* drop the dot */
  }
}


static bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* After `def NAME`: is the body only `...` or `pass` (a Protocol or stub)? */
static bool stub_body(const char *q, const char *end) {
  int depth = 0;
  for (; q < end; q++) { /* to the signature's colon; a broken one ends at its line */
    if (*q == '(' || *q == '[') depth++;
    else if (*q == ')' || *q == ']') depth--;
    else if (*q == ':' && depth <= 0) break;
    else if (*q == '\n' && depth <= 0) return false;
  }
  for (q++; q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'); q++) {}
  if (end - q >= 3 && !memcmp(q, "...", 3)) return true;
  return end - q >= 4 && !memcmp(q, "pass", 4) && (end - q == 4 || !ident_char(q[4]));
}

/* Does the text work with RediSearch? One pass: `.ft(`, `"FT.`/`'FT.`, and
 * the redisearch, redisvl, redis_om and redis.commands.search modules. */
bool index_text_uses_search(const char *text, size_t len) {
  static const char *const AFTER_REDIS[] = {"earch", "vl", "_om", ".commands.search", NULL};
  for (size_t i = 0; i + 4 <= len; i++) {
    const char *p = text + i;
    size_t rest = len - i;
    if (p[0] == '.' && !memcmp(p, ".ft(", 4)) return true;
    if ((p[0] == '"' || p[0] == '\'') && !memcmp(p + 1, "FT.", 3)) return true;
    if (p[0] != 'r' || rest < 5 || memcmp(p, "redis", 5)) continue;
    for (size_t k = 0; AFTER_REDIS[k]; k++) {
      size_t m = strlen(AFTER_REDIS[k]);
      if (rest >= 5 + m && !memcmp(p + 5, AFTER_REDIS[k], m)) return true;
    }
  }
  return false;
}

void index_scan_defined(const char *text, size_t len, bool *defined) {
  if (!defined[INDEX_SEARCH_SLOT]) defined[INDEX_SEARCH_SLOT] = index_text_uses_search(text, len);
  const char *end = text + len;
  for (const char *p = text; p && p + 4 < end;) {
    p = memchr(p, 'd', (size_t)(end - p));
    if (!p || p + 4 >= end) break;
    const char *ls = p;
    while (ls > text && (ls[-1] == ' ' || ls[-1] == '\t')) ls--;
    bool indented = ls < p && (ls == text || ls[-1] == '\n');
    if (ls > text + 6 && !memcmp(ls - 6, "async ", 6)) { /* async def */
      const char *l2 = ls - 6;
      while (l2 > text && (l2[-1] == ' ' || l2[-1] == '\t')) l2--;
      indented = l2 < ls - 6 && (l2 == text || l2[-1] == '\n');
    }
    if (memcmp(p, "def ", 4) != 0 || (p > text && ident_char(p[-1])) || !indented) {
      p++;
      continue;
    }
    const char *q = p + 4;
    while (q < end && (*q == ' ' || *q == '\t')) q++;
    const char *name = q;
    while (q < end && ident_char(*q)) q++;
    p = q;
    int di = q == name ? -1 : commands_distinctive_index(name, (uint32_t)(q - name));
    if (di < 0 || di >= INDEX_SEARCH_SLOT || stub_body(q, end)) continue;
    defined[di] = true;
  }
}

void index_add_defined(ProjectIndex *self, const bool *defined, bool test_code) {
  bool *into = test_code ? self->defined_test : self->defined;
  for (size_t i = 0; i < INDEX_MAX_DISTINCT; i++) into[i] |= defined[i];
}

bool index_uses_search(const ProjectIndex *self) {
  return self && (self->defined[INDEX_SEARCH_SLOT] || self->defined_test[INDEX_SEARCH_SLOT]);
}

bool index_defines(const ProjectIndex *self, const char *method, bool test_code) {
  int i = commands_distinctive_index(method, (uint32_t)strlen(method));
  return self && i >= 0 && i < INDEX_SEARCH_SLOT &&
         (self->defined[i] || (test_code && self->defined_test[i]));
}

/* Merges two values passed for one parameter: None is neutral, a different
 * kind makes it unknown. */
static Value fact_merge(Value a, Value b) {
  if (a.kind == OBJ_NONE) return b;
  if (b.kind == OBJ_NONE) return a;
  if (a.kind != b.kind || a.is_async != b.is_async || a.makes != b.makes) {
    Value u = {0};
    return u;
  }
  bool kind_proven = value_kind_proven(a) && value_kind_proven(b);
  uint8_t ttl = (a.facade | b.facade) & FACADE_TTL;
  a.inferred |= b.inferred;
  a.facade = (uint8_t)((a.inferred && kind_proven ? FACADE_KIND : 0) | ttl);
  a.cluster = a.cluster && b.cluster;
  a.standalone = a.standalone && b.standalone;
  a.timeout_set = a.timeout_set && b.timeout_set;
  if (a.decode != b.decode) a.decode = TRI_UNKNOWN;
  if (a.arg_class != b.arg_class) a.arg_class = 0;
  return a;
}

static Fact *fact_slot(Fact *facts, size_t cap, const char *name) {
  size_t h = hash_str(name, strlen(name)) & (cap - 1);
  while (facts[h].name && strcmp(facts[h].name, name)) h = (h + 1) & (cap - 1);
  return &facts[h];
}

static uint64_t fact_sum(const char *name, Value v) {
  uint64_t h = hash_str(name, strlen(name));
  h ^= (uint64_t)v.kind * 0x9e3779b97f4a7c15ull + (uint64_t)v.makes * 31 + (uint64_t)v.is_async * 7 +
       (uint64_t)v.cluster * 3 + (uint64_t)v.decode * 11 + (uint64_t)v.inferred * 13 +
       (uint64_t)v.standalone * 17 + (uint64_t)v.timeout_set * 19 + (uint64_t)v.facade * 23 + (uint64_t)v.arg_class * 29;
  return h * 1099511628211ull;
}

/* "app.jobs.schedule#0": the module whose function it names is called. */
static void mark_called(ProjectIndex *self, const char *callee, uint64_t sum) {
  const char *hash = strchr(callee, '#');
  size_t n = hash ? (size_t)(hash - callee) : strlen(callee);
  for (size_t k = n; k > 0; k--) {
    if (k < n && callee[k] != '.') continue;
    Slot *sl = slot_find(self, callee, k);
    if (sl && sl->exact && sl->mod >= 0) {
      self->mods[sl->mod].called = true;
      self->mods[sl->mod].new_sum += sum;
      return;
    }
  }
}

const char *index_blocking_module(const ProjectIndex *self) {
  return self ? self->blocking : NULL;
}

bool index_called(const ProjectIndex *self, const char *module) {
  const ModExports *m = self ? find_mod(self, module) : NULL;
  return m && m->called;
}

/* "MOD:Cls" keys of the hot set. */
static size_t hot_key(char *buf, size_t cap, size_t mod, const char *cls, size_t clen) {
  int w = snprintf(buf, cap, "%zu:%.*s", mod, (int)clen, cls);
  return w < 0 ? 0 : (size_t)w < cap ? (size_t)w : cap - 1;
}

/* The names a file must mention to be modelled for what the project
 * exports: a client (or factory, pool, class) by name, a class with client
 * members, and classes and instances deriving from such a class in any
 * module (to a fixpoint, as deep as index_member looks). Call facts and
 * overrides are not names a file mentions. Plain classes are not: in a big
 * project nearly every file names one, and modelling it finds nothing. */
static void head_add(ProjectIndex *self, const char *nm, size_t n) {
  if (strset_add(&self->heads, nm, n)) self->heads_sum += hash_str(nm, n) | 1;
}

static void seal_mentions(ProjectIndex *self) {
  strset_free(&self->heads);
  self->heads_sum = 0;
  strset_free(&self->builders);
  strset_free(&self->hot);
  char key[300];
  for (size_t i = 0; i < self->len; i++)
    for (size_t k = 0; k < self->mods[i].n; k++) {
      const char *nm = self->mods[i].names[k], *dot = strchr(nm, '.');
      if (!strncmp(nm, "#builds.", 8)) { /* a function that builds clients: its callers matter */
        const char *last = strrchr(nm, '.') + 1; /* "Cls.method": the method's name */
        strset_add(&self->builders, last, strlen(last)); /* build_index models their callers */
        continue;
      }
      if (nm[0] == '#' || self->mods[i].bases[k]) continue;
      /* facts of a class ("Cls.#param.x": a constructor keeps a parameter,
         nearly every class; "Cls.#ctor.m": an alternative constructor) but
         "#client_init", and an override that is no client ("Cls.conn"
         unknown), name no client: their mention is no reason to model a file */
      if ((dot && dot[1] == '#' && strcmp(dot + 1, "#client_init")) || self->mods[i].values[k].kind == OBJ_UNKNOWN)
        continue;
      if (!dot) {
        head_add(self, nm, strlen(nm));
        continue;
      }
      head_add(self, nm, (size_t)(dot - nm));
      strset_add(&self->hot, key, hot_key(key, sizeof key, i, nm, (size_t)(dot - nm)));
    }
  for (int depth = 0; depth <= 8; depth++) { /* member_in's bound */
    bool grew = false;
    for (size_t i = 0; i < self->len; i++)
      for (size_t k = 0; k < self->mods[i].n; k++) {
        const char *b = self->mods[i].bases[k], *nm = self->mods[i].names[k];
        const char *dot = b && nm[0] != '#' ? strrchr(b, '.') : NULL;
        if (!dot) continue;
        const Slot *sl = slot_find(self, b, (size_t)(dot - b));
        if (!sl || sl->mod < 0 ||
            !strset_has(&self->hot, key, hot_key(key, sizeof key, (size_t)sl->mod, dot + 1, strlen(dot + 1))))
          continue;
        if (strset_add(&self->hot, key, hot_key(key, sizeof key, i, nm, strlen(nm)))) {
          head_add(self, nm, strlen(nm));
          grew = true;
        }
      }
    if (!grew) break;
  }
}

void index_seal(ProjectIndex *self) {
  if (!self->dirty) return;
  free(self->overridden);
  self->overridden = xcalloc(commands_count() + 1, sizeof(bool));
  for (size_t i = 0; i < self->len; i++) {
    self->mods[i].called = false;
    self->mods[i].new_sum = 0;
  }
  uint64_t overrides = 0;
  self->blocking = NULL;
  self->aioredis1 = false;
  for (size_t i = 0; i < self->len; i++)
    for (size_t k = 0; k < self->mods[i].n; k++)
      if (!strcmp(self->mods[i].names[k], "#blocking") &&
          (!self->blocking || strcmp(self->mods[i].module, self->blocking) < 0))
        self->blocking = self->mods[i].module;
      else if (!strcmp(self->mods[i].names[k], "#aioredis1"))
        self->aioredis1 = true;
  for (size_t i = 0; i < self->factcap; i++) free(self->facts[i].name);
  free(self->facts);
  size_t n = 0;
  for (size_t i = 0; i < self->len; i++)
    for (size_t k = 0; k < self->mods[i].n; k++) n += self->mods[i].names[k][0] == '#';
  self->factcap = 16;
  while (self->factcap < 2 * n + 2) self->factcap *= 2;
  self->facts = xcalloc(self->factcap, sizeof(Fact));
  self->nfacts = 0;
  for (size_t i = 0; i < self->len; i++)
    for (size_t k = 0; k < self->mods[i].n; k++) {
      const char *nm = self->mods[i].names[k];
      if (nm[0] != '#') continue;
      if (!strncmp(nm, "#call.", 6))
        mark_called(self, nm + 6, fact_sum(nm, self->mods[i].values[k]));
      if (!strcmp(nm, "#aioredis1") || !strncmp(nm, "#state.", 7))
        overrides += fact_sum(nm, self->mods[i].values[k]);
      if (!strncmp(nm, "#override.", 10)) {
        overrides += fact_sum(nm, self->mods[i].values[k]);
        const Command *c = commands_find(nm + 10, (uint32_t)strlen(nm + 10));
        if (c) self->overridden[c - commands_at(0)] = true;
      }
      Fact *f = fact_slot(self->facts, self->factcap, nm);
      if (f->name) {
        f->v = fact_merge(f->v, self->mods[i].values[k]);
      } else {
        f->name = xstrdup(nm);
        f->v = self->mods[i].values[k];
        self->nfacts++;
      }
    }
  for (size_t i = 0; i < self->len; i++) {
    ModExports *m = &self->mods[i];
    if (m->new_sum != m->calls_sum) m->calls_changed = true;
    m->calls_sum = m->new_sum;
  }
  if (overrides != self->overrides_sum) self->overrides_changed = true;
  self->overrides_sum = overrides;
  seal_mentions(self);
  self->dirty = false;
}

/* A "#..." name: through the sealed table, or by a scan while it is stale
 * (single-threaded callers such as unit tests). */
static void record_fact(const ProjectIndex *self, const char *name) {
  if (!recorder) return;
  if (!strncmp(name, "#override.", 10)) {
    record(-1);
    return;
  }
  if (strncmp(name, "#call.", 6)) return;
  const char *callee = name + 6, *hash = strchr(callee, '#');
  size_t n = hash ? (size_t)(hash - callee) : strlen(callee);
  for (size_t k = n; k > 0; k--) {
    if (k < n && callee[k] != '.') continue;
    const Slot *sl = slot_find(self, callee, k);
    if (sl && sl->exact && sl->mod >= 0) {
      record(2 * sl->mod + 1);
      return;
    }
  }
}

static bool fact_get(const ProjectIndex *self, const char *name, Value *out) {
  if (!self) return false;
  record_fact(self, name);
  if (!self->dirty) {
    if (!self->factcap) return false;
    const Fact *f = fact_slot(self->facts, self->factcap, name);
    if (!f->name) return false;
    *out = f->v;
    return true;
  }
  bool found = false;
  for (size_t i = 0; i < self->len; i++)
    for (size_t k = 0; k < self->mods[i].n; k++)
      if (!strcmp(self->mods[i].names[k], name)) {
        *out = found ? fact_merge(*out, self->mods[i].values[k]) : self->mods[i].values[k];
        found = true;
      }
  return found;
}

bool index_state_fact(const ProjectIndex *self, const char *name, Value *out) {
  record(-1); /* state facts are part of the override checksum (index_seal) */
  return fact_get(self, name, out);
}

bool index_call_fact(const ProjectIndex *self, const char *callee, const char *slot, Value *out) {
  char buf[512];
  int n = snprintf(buf, sizeof buf, "#call.%s#%s", callee, slot);
  if (n < 0 || (size_t)n >= sizeof buf) return false;
  return fact_get(self, buf, out);
}

/* The name a package's __init__ re-exports as `name` (n bytes): where it
 * comes from ("#reexport." exports), or NULL. */
static const char *reexport_of(const ModExports *m, const char *name, size_t n) {
  if (!m->nreexports) return NULL; /* most modules: answered without a scan */
  for (size_t i = 0; i < m->n; i++) {
    const char *nm = m->names[i];
    if (!strncmp(nm, "#reexport.", 10) && strlen(nm + 10) == n && !memcmp(nm + 10, name, n))
      return m->bases[i];
  }
  return NULL;
}

const char *index_canonical(const ProjectIndex *self, Arena *a, const char *qualname) {
  for (int depth = 0; depth < 4; depth++) {
    size_t n = strlen(qualname);
    size_t k = n;
    const ModExports *m = NULL;
    for (; k > 0; k--) {
      if (k < n && qualname[k] != '.') continue;
      if ((m = find_module(self, qualname, k))) break;
    }
    if (!m) return NULL;
    if (k == n) return NULL; /* a module, not a name in one */
    /* `pkg.Name...` where pkg/__init__ imports Name from pkg.mod: follow it */
    const char *name = qualname + k + 1, *dot = strchr(name, '.');
    size_t nl = dot ? (size_t)(dot - name) : strlen(name);
    char rx[512];
    int rn = snprintf(rx, sizeof rx, "#reexport.%.*s", (int)nl, name);
    if (rn > 0 && (size_t)rn < sizeof rx) record_name(2 * (int)(m - self->mods), name_hash(rx, (size_t)rn));
    else record(2 * (int)(m - self->mods));
    const char *from = reexport_of(m, name, nl);
    if (from && depth < 3) {
      qualname = arena_printf(a, "%s%s", from, dot ? dot : "");
      continue;
    }
    return arena_printf(a, "%s%s", m->module, qualname + k);
  }
  return NULL;
}

bool index_aioredis1(const ProjectIndex *self) {
  if (!self) return false;
  record(-1); /* changes with the override facts' checksum */
  if (self->dirty) {
    Value v;
    return fact_get(self, "#aioredis1", &v);
  }
  return self->aioredis1;
}

bool index_overridden(const ProjectIndex *self, const Command *cmd) {
  if (!self || !cmd) return false;
  record(-1);
  if (self->dirty) {
    Value v;
    char buf[128];
    snprintf(buf, sizeof buf, "#override.%s", cmd->method);
    return fact_get(self, buf, &v);
  }
  return self->overridden && self->overridden[cmd - commands_at(0)];
}

void index_deps_record(IndexDeps *d) {
  if (d) d->n = 0;
  recorder = d;
}

void index_deps_free(IndexDeps *d) {
  free(d->ids);
  free(d->names);
  memset(d, 0, sizeof *d);
}

void index_changes_reset(ProjectIndex *self) {
  for (size_t i = 0; i < self->len; i++) {
    self->mods[i].exports_changed = self->mods[i].calls_changed = false;
    self->mods[i].nchanged = 0;
  }
  self->overrides_changed = false;
}

/* m->changed is sorted (note_changed_names): a binary search per
 * dependency, so checking a project's files after a round stays
 * O(deps log names). */
static bool name_changed(const ModExports *m, uint64_t name) {
  if (!name) return true;
  size_t lo = 0, hi = m->nchanged;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (m->changed[mid] < name) lo = mid + 1;
    else hi = mid;
  }
  return lo < m->nchanged && m->changed[lo] == name;
}

bool index_deps_changed(const ProjectIndex *self, const IndexDeps *d) {
  for (size_t i = 0; i < d->n; i++) {
    int dep = d->ids[i];
    if (dep == -1) {
      if (self->overrides_changed) return true;
      continue;
    }
    const ModExports *m = &self->mods[dep / 2];
    if (dep % 2 == 0 && m->exports_changed && name_changed(m, d->names[i])) return true;
    if (dep % 2 == 1 && m->calls_changed) return true;
  }
  return false;
}
