/* cache.c - the result cache (see cache.h), in JSON read and written with cJSON. */
#include "cache.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "arena.h"
#include "fsutil.h"
#include "rule.h"
#include "suppress.h"

#define CACHE_FORMAT 4
/* One file per key (results-<key>.jsonl): an editor with its own rule
 * selection and the command line keep their caches side by side instead of
 * evicting each other; the few most recently written are kept. */
#define CACHE_KEEP_FILES 4
#define CACHE_MAX_BYTES (512u << 20)
/* a temporary file older than this (seconds) is no run's work in progress */
#define CACHE_TMP_AGE 3600

/* The file is JSON Lines: a header object, then one object per file. An
 * entry kept from the last run is written back as the very line it was read
 * from (no printing again), so a run that changes one file writes one new
 * line among verbatim ones. */
typedef struct Slot {
  const char *path; /* borrowed from the entry's JSON */
  cJSON *item;      /* the parsed entry */
  const char *line; /* its line in the file read (no newline) */
  size_t len;
} Slot;

typedef struct Out {
  const char *line; /* verbatim, or NULL: print item */
  size_t len;
  cJSON *item;      /* owned when line is NULL */
} Out;

struct ResultCache {
  Arena *parsed;  /* the memory of header and slots (see cache_open) */
  char *dir;
  uint64_t key;
  char *text;     /* the file read, or NULL */
  cJSON *header;  /* its first line */
  Slot *slots;    /* its entries by path */
  size_t nslots;
  Out *out;       /* what the next file will hold, in order */
  size_t nout, capout;
};

/* ---- keys --------------------------------------------------------------- */

uint64_t cache_hash(const void *data, size_t len) { return XXH3_64bits(data, len); }

/* The identity of the running binary (Linux: /proc/self/exe), computed
 * once: a rebuild with other rules or another grammar never reuses old
 * results. Its stat signature, not its bytes: any write to the file or a copy
 * of it changes the change time or the inode, and reading 2 MB on every run
 * cost a warm run more than the rest of its I/O. 0 when it cannot be read
 * (then only the version tells builds apart). */
static uint64_t binary_identity(void) {
  static uint64_t id;
  static bool done;
  if (done) return id;
  struct stat st;
  if (stat("/proc/self/exe", &st) == 0) {
    const long long f[] = {(long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                           (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
                           (long long)st.st_ino, (long long)st.st_dev};
    id = XXH3_64bits(f, sizeof f);
  }
  done = true;
  return id;
}

/* Every option that changes a file's results goes into the key (a new
 * option in options.h must be added here). */
uint64_t cache_options_key(const Options *o, const char *cwd_rel) {
  XXH3_state_t *st = XXH3_createState();
  XXH3_64bits_reset(st);
#define PUT(x) XXH3_64bits_update(st, &(x), sizeof(x))
#define PUTS(s) XXH3_64bits_update(st, (s) ? (s) : "", (s) ? strlen(s) + 1 : 1)
  int format = CACHE_FORMAT;
  PUT(format);
  PUTS(REDISLINT_VERSION);
  uint64_t exe = binary_identity(); /* a rebuilt binary may have other rules */
  PUT(exe);
  PUTS(cwd_rel);
  PUT(o->th);
  size_t n = rules_count();
  for (size_t i = 0; i < n; i++) PUT(o->enabled[i]);
  PUT(o->default_ttl);
  PUT(o->lock_ttl);
  PUT(o->socket_timeout);
  PUT(o->block_timeout);
  PUT(o->cluster);
  for (size_t i = 0; i < o->ntest_globs; i++) PUTS(o->test_globs[i]);
  PUTS("|");
  for (size_t i = 0; i < o->ncache_globs; i++) PUTS(o->cache_globs[i]);
  PUTS("|");
  for (size_t i = 0; i < o->nexample_globs; i++) PUTS(o->example_globs[i]);
  PUTS("|");
  for (size_t i = 0; i < o->nscript_globs; i++) PUTS(o->script_globs[i]);
  PUT(o->target_redis);
  PUT(o->bare_noqa);
  PUT(o->pyver_set);
  if (o->pyver_set) PUTS(o->pyver.source);
  PUT(o->list_calls);
  PUT(o->list_unresolved);
#undef PUT
#undef PUTS
  uint64_t h = XXH3_64bits_digest(st);
  XXH3_freeState(st);
  return h;
}

/* 16 lowercase hex digits (what "%016llx" prints, without printf: this runs
 * for every file of every run) */
static void hex64(uint64_t v, char out[17]) {
  static const char digits[] = "0123456789abcdef";
  for (int i = 15; i >= 0; i--, v >>= 4) out[i] = digits[v & 15];
  out[16] = '\0';
}

/* ---- reading ------------------------------------------------------------ */

static int slot_cmp(const void *a, const void *b) {
  return strcmp(((const Slot *)a)->path, ((const Slot *)b)->path);
}

/* The entries read are parsed into one arena, freed at once by cache_close:
 * a warm run's cost was mostly cJSON's malloc and free, one call per value of
 * every entry. cJSON's hooks are process-wide, so they point at the arena only
 * while this (single-threaded: no worker runs yet) function parses; items
 * made later (new entries, copies of kept ones) use malloc as usual, and no
 * item of the arena is ever given to cJSON_Delete after that. */
static _Thread_local Arena *parse_arena;
static void *parse_alloc(size_t n) { return arena_alloc(parse_arena, n); }
static void parse_free(void *p) { (void)p; /* the arena goes at once */ }

static void parse_into(Arena *a) {
  parse_arena = a;
  cJSON_Hooks h = {parse_alloc, parse_free};
  cJSON_InitHooks(&h);
}

static void parse_done(void) {
  cJSON_InitHooks(NULL);
  parse_arena = NULL;
}

ResultCache *cache_open(const char *dir, uint64_t key) {
  ResultCache *c = xcalloc(1, sizeof *c);
  c->dir = xstrdup(dir);
  c->key = key;
  size_t n = strlen(dir) + 48, len;
  char *path = xmalloc(n);
  snprintf(path, n, "%s/results-%016llx.jsonl", dir, (unsigned long long)key);
  char *buf = fs_read(path, CACHE_MAX_BYTES, &len);
  free(path);
  if (!buf) return c;
  c->parsed = arena_new();
  parse_into(c->parsed);
  const char *nl = memchr(buf, '\n', len);
  cJSON *head = nl ? cJSON_ParseWithLength(buf, (size_t)(nl - buf)) : NULL;
  char want[17];
  hex64(key, want);
  const cJSON *k = cJSON_GetObjectItemCaseSensitive(head, "key");
  if (!cJSON_IsString(k) || strcmp(k->valuestring, want)) { /* another version or options */
    parse_done();
    free(buf);
    return c;
  }
  c->text = buf;
  c->header = head;
  size_t cap = 0;
  for (const char *p = nl + 1; p < buf + len;) {
    const char *e = memchr(p, '\n', (size_t)(buf + len - p));
    if (!e) break; /* a line without its newline: torn, ignored */
    cJSON *item = cJSON_ParseWithLength(p, (size_t)(e - p));
    const cJSON *ip = cJSON_GetObjectItemCaseSensitive(item, "path");
    if (cJSON_IsString(ip)) {
      if (c->nslots == cap) c->slots = xrealloc(c->slots, (cap = cap * 2 + 64) * sizeof(Slot));
      c->slots[c->nslots++] = (Slot){ip->valuestring, item, p, (size_t)(e - p)};
    }
    p = e + 1;
  }
  parse_done();
  if (c->nslots > 1) qsort(c->slots, c->nslots, sizeof(Slot), slot_cmp);
  return c;
}

void cache_close(ResultCache *c) {
  if (!c) return;
  for (size_t i = 0; i < c->nout; i++) cJSON_Delete(c->out[i].item);
  if (c->parsed) arena_delete(c->parsed); /* the header and the slots' items */
  free(c->out);
  free(c->slots);
  free(c->text);
  free(c->dir);
  free(c);
}

const CacheEntry *cache_entry(const ResultCache *c, const char *path) {
  if (!c || !c->nslots) return NULL;
  Slot key = {.path = path};
  const Slot *s = bsearch(&key, c->slots, c->nslots, sizeof(Slot), slot_cmp);
  return s ? (const CacheEntry *)s->item : NULL;
}

size_t cache_npaths(const ResultCache *c) { return c ? c->nslots : 0; }
const char *cache_path_at(const ResultCache *c, size_t i) { return c->slots[i].path; }

static const cJSON *get(const CacheEntry *e, const char *name) {
  return cJSON_GetObjectItemCaseSensitive((const cJSON *)e, name);
}

static const char *str_or_null(const cJSON *j) {
  return cJSON_IsString(j) ? j->valuestring : NULL;
}

static long long num(const cJSON *j) { return cJSON_IsNumber(j) ? (long long)j->valuedouble : 0; }

bool cache_entry_matches(const CacheEntry *e, uint64_t hash, const char *pyver) {
  char h[17];
  hex64(hash, h);
  const char *eh = str_or_null(get(e, "hash")), *ep = str_or_null(get(e, "pyver"));
  return eh && ep && !strcmp(eh, h) && !strcmp(ep, pyver ? pyver : "");
}

bool cache_defined(const ResultCache *c, bool *defined, size_t n) {
  const char *d = c && c->header ? str_or_null(cJSON_GetObjectItemCaseSensitive(c->header, "defined")) : NULL;
  if (!d || strlen(d) != n) return false;
  for (size_t i = 0; i < n; i++) defined[i] = d[i] == '1';
  return true;
}

/* ---- numbers ------------------------------------------------------------ */

/* Several small integers in one JSON string ("3 0 17"): a number is a JSON
 * item of its own, and parsing thousands of them (strtod, one allocation
 * each) was most of a warm run's cost of reading the cache. */
static cJSON *nums_json(const long long *v, size_t n) {
  char buf[32 * 24];
  size_t len = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n && len < sizeof buf - 24; i++)
    len += (size_t)snprintf(buf + len, sizeof buf - len, i ? " %lld" : "%lld", v[i]);
  return cJSON_CreateString(buf);
}

/* The n integers of such a string; false unless there are exactly n. */
static bool nums_from(const cJSON *j, long long *v, size_t n) {
  const char *p = cJSON_IsString(j) ? j->valuestring : NULL;
  if (!p) return false;
  for (size_t i = 0; i < n; i++) {
    char *end;
    errno = 0;
    v[i] = strtoll(p, &end, 10);
    if (end == p || errno || (*end != ' ' && *end != '\0') || (*end == '\0' && i + 1 < n))
      return false;
    p = end + (*end == ' ');
  }
  return *p == '\0';
}

/* ---- exports ------------------------------------------------------------ */

static cJSON *export_json(const Export *x) {
  const Value *v = &x->value;
  cJSON *a = cJSON_CreateArray();
  cJSON_AddItemToArray(a, cJSON_CreateString(x->name));
  cJSON_AddItemToArray(a, x->base ? cJSON_CreateString(x->base) : cJSON_CreateNull());
  const long long f[] = {v->kind,    v->makes,     v->via_property, v->is_async,   v->cluster,
                         v->decode,  v->inferred,  v->ctor_start,   v->ctor_end,   v->cls,
                         v->standalone, v->fresh, v->timeout_set, v->facade, v->arg_class};
  cJSON_AddItemToArray(a, nums_json(f, sizeof f / sizeof *f));
  if (v->rcls) cJSON_AddItemToArray(a, cJSON_CreateString(v->rcls));
  return a;
}

static bool export_from(const cJSON *a, Export *x) {
  const cJSON *name_j = cJSON_IsArray(a) ? a->child : NULL;
  const cJSON *base_j = name_j ? name_j->next : NULL, *nums_j = base_j ? base_j->next : NULL;
  const cJSON *rcls_j = nums_j ? nums_j->next : NULL;
  const char *name = str_or_null(name_j);
  long long f[15];
  if (!name || !nums_j || (rcls_j && rcls_j->next) || !nums_from(nums_j, f, 15)) return false;
  memset(x, 0, sizeof *x);
  x->name = xstrdup(name);
  const char *base = str_or_null(base_j);
  x->base = base ? xstrdup(base) : NULL;
  Value *v = &x->value;
  v->kind = (uint8_t)f[0];
  v->makes = (uint8_t)f[1];
  v->via_property = f[2];
  v->is_async = f[3];
  v->cluster = f[4];
  v->decode = (uint8_t)f[5];
  v->inferred = f[6];
  v->ctor_start = (uint32_t)f[7];
  v->ctor_end = (uint32_t)f[8];
  v->cls = (int16_t)f[9];
  v->standalone = f[10];
  v->fresh = f[11];
  v->timeout_set = f[12];
  v->facade = f[13];
  v->arg_class = (uint8_t)f[14];
  const char *rcls = str_or_null(rcls_j);
  v->rcls = rcls ? str_intern(rcls, strlen(rcls)) : NULL;
  return true;
}

size_t cache_entry_exports(const CacheEntry *e, Export **out) {
  const cJSON *arr = get(e, "exports");
  size_t n = cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0, k = 0;
  *out = xcalloc(n + 1, sizeof(Export));
  const cJSON *a;
  cJSON_ArrayForEach(a, arr) if (export_from(a, &(*out)[k])) k++;
  return k;
}

void cache_exports_free(Export *ex, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free((char *)ex[i].name);
    free((char *)ex[i].base);
  }
  free(ex);
}

bool cache_exports_equal(const Export *a, size_t na, const Export *b, size_t nb) {
  if (na != nb) return false;
  for (size_t i = 0; i < na; i++) {
    cJSON *x = export_json(&a[i]), *y = export_json(&b[i]);
    bool same = cJSON_Compare(x, y, true);
    cJSON_Delete(x);
    cJSON_Delete(y);
    if (!same) return false;
  }
  return true;
}

/* ---- a file's results ---------------------------------------------------- */

static cJSON *str_json(const char *s) { return s ? cJSON_CreateString(s) : cJSON_CreateNull(); }

static cJSON *finding_json(const Finding *f) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "r", f->rule ? f->rule->code : "");
  const long long n[] = {f->severity, f->start, f->end, f->fix.applicability};
  cJSON_AddItemToObject(o, "n", nums_json(n, 4));
  cJSON_AddItemToObject(o, "m", str_json(f->message));
  cJSON_AddItemToObject(o, "k", str_json(f->key));
  cJSON *fx = cJSON_AddObjectToObject(o, "f");
  cJSON_AddItemToObject(fx, "t", str_json(f->fix.title));
  if (f->fix.nedits) {
    cJSON *ed = cJSON_AddArrayToObject(fx, "x");
    for (size_t i = 0; i < f->fix.nedits; i++) {
      cJSON *x = cJSON_CreateArray();
      const long long at[] = {f->fix.edits[i].start, f->fix.edits[i].end};
      cJSON_AddItemToArray(x, nums_json(at, 2));
      cJSON_AddItemToArray(x, str_json(f->fix.edits[i].text));
      cJSON_AddItemToArray(ed, x);
    }
  }
  if (f->nrelated) {
    cJSON *rel = cJSON_AddArrayToObject(o, "l");
    for (size_t i = 0; i < f->nrelated; i++) {
      const Related *r = &f->related[i];
      cJSON *x = cJSON_CreateArray();
      const long long at[] = {r->start, r->end};
      cJSON_AddItemToArray(x, str_json(r->path));
      cJSON_AddItemToArray(x, nums_json(at, 2));
      cJSON_AddItemToArray(x, str_json(r->message));
      cJSON_AddItemToArray(rel, x);
    }
  }
  return o;
}

static const char *astr(Arena *a, const cJSON *j) {
  const char *s = str_or_null(j);
  return s ? arena_strdup(a, s) : NULL;
}

static bool finding_from(Arena *a, const cJSON *o, Finding *f) {
  const char *code = str_or_null(cJSON_GetObjectItemCaseSensitive(o, "r"));
  const Rule *rule = code ? rules_find(code) : NULL;
  long long n[4];
  if (!rule || !nums_from(cJSON_GetObjectItemCaseSensitive(o, "n"), n, 4)) return false;
  memset(f, 0, sizeof *f);
  f->rule = rule;
  f->severity = (Severity)n[0];
  f->start = (uint32_t)n[1];
  f->end = (uint32_t)n[2];
  f->fix.applicability = (Applicability)n[3];
  f->message = astr(a, cJSON_GetObjectItemCaseSensitive(o, "m"));
  f->key = astr(a, cJSON_GetObjectItemCaseSensitive(o, "k"));
  const cJSON *fx = cJSON_GetObjectItemCaseSensitive(o, "f");
  f->fix.title = astr(a, cJSON_GetObjectItemCaseSensitive(fx, "t"));
  const cJSON *ed = cJSON_GetObjectItemCaseSensitive(fx, "x");
  size_t ne = cJSON_IsArray(ed) ? (size_t)cJSON_GetArraySize(ed) : 0;
  if (ne) {
    f->fix.edits = arena_alloc(a, ne * sizeof(Edit));
    const cJSON *x;
    cJSON_ArrayForEach(x, ed) {
      long long at[2];
      if (!cJSON_IsArray(x) || !nums_from(x->child, at, 2)) continue;
      Edit *e = &f->fix.edits[f->fix.nedits++];
      e->start = (uint32_t)at[0];
      e->end = (uint32_t)at[1];
      e->text = astr(a, x->child->next);
      if (!e->text) e->text = "";
    }
  }
  const cJSON *rel = cJSON_GetObjectItemCaseSensitive(o, "l");
  size_t nr = cJSON_IsArray(rel) ? (size_t)cJSON_GetArraySize(rel) : 0;
  if (nr) {
    f->related = arena_alloc(a, nr * sizeof(Related));
    const cJSON *x;
    cJSON_ArrayForEach(x, rel) {
      long long at[2];
      const cJSON *p = cJSON_IsArray(x) ? x->child : NULL, *ns = p ? p->next : NULL;
      if (!ns || !nums_from(ns, at, 2)) continue;
      Related *r = &f->related[f->nrelated++];
      r->path = astr(a, p);
      r->start = (uint32_t)at[0];
      r->end = (uint32_t)at[1];
      r->message = astr(a, ns->next);
    }
  }
  return true;
}

static cJSON *keyuse_json(const KeyUse *u) {
  cJSON *a = cJSON_CreateArray();
  const long long n[] = {u->cmd_flags, u->start, u->end};
  cJSON_AddItemToArray(a, str_json(u->key));
  cJSON_AddItemToArray(a, str_json(u->method));
  cJSON_AddItemToArray(a, str_json(u->command));
  cJSON_AddItemToArray(a, str_json(u->func));
  cJSON_AddItemToArray(a, str_json(u->ttl));
  cJSON_AddItemToArray(a, str_json(u->recv));
  cJSON_AddItemToArray(a, nums_json(n, 3));
  return a;
}

static bool keyuse_from(Arena *a, const cJSON *j, KeyUse *u) {
  const cJSON *it[7] = {0};
  const cJSON *x = cJSON_IsArray(j) ? j->child : NULL;
  for (size_t i = 0; i < 7 && x; i++, x = x->next) it[i] = x;
  long long n[3];
  if (x || !nums_from(it[6], n, 3)) return false;
  memset(u, 0, sizeof *u);
  u->key = astr(a, it[0]);
  u->method = astr(a, it[1]);
  u->command = astr(a, it[2]);
  u->func = astr(a, it[3]);
  u->ttl = astr(a, it[4]);
  u->recv = astr(a, it[5]);
  u->cmd_flags = (uint32_t)n[0];
  u->start = (uint32_t)n[1];
  u->end = (uint32_t)n[2];
  if (!u->key) u->key = "";
  if (!u->method) u->method = "";
  if (!u->command) u->command = "";
  if (!u->ttl) u->ttl = "";
  if (!u->recv) u->recv = "";
  return true;
}

static cJSON *supp_json(const Suppression *s) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "s", s->start);
  cJSON_AddNumberToObject(o, "e", s->end);
  cJSON_AddNumberToObject(o, "a", s->first);
  cJSON_AddNumberToObject(o, "b", s->last);
  cJSON_AddBoolToObject(o, "w", s->file_wide);
  cJSON_AddBoolToObject(o, "n", s->all_rules);
  cJSON_AddItemToObject(o, "p", str_json(s->problem));
  cJSON *codes = cJSON_AddArrayToObject(o, "c");
  for (size_t i = 0; i < s->ncodes; i++) cJSON_AddItemToArray(codes, str_json(s->codes[i]));
  return o;
}

static void supp_from(Arena *a, const cJSON *o, Suppression *s) {
  memset(s, 0, sizeof *s);
  s->start = (uint32_t)num(cJSON_GetObjectItemCaseSensitive(o, "s"));
  s->end = (uint32_t)num(cJSON_GetObjectItemCaseSensitive(o, "e"));
  s->first = (unsigned)num(cJSON_GetObjectItemCaseSensitive(o, "a"));
  s->last = (unsigned)num(cJSON_GetObjectItemCaseSensitive(o, "b"));
  s->file_wide = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "w"));
  s->all_rules = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "n"));
  s->problem = astr(a, cJSON_GetObjectItemCaseSensitive(o, "p"));
  const cJSON *c;
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(o, "c")) {
    if (s->ncodes < SUPP_MAX_CODES) s->codes[s->ncodes++] = astr(a, c);
  }
}

bool cache_entry_has_results(const CacheEntry *e) {
  return get(e, "findings") || get(e, "keys") || get(e, "supp") || get(e, "syntax");
}

void cache_entry_defined(const CacheEntry *e, bool *defined, size_t n) {
  memset(defined, 0, n * sizeof(bool));
  const cJSON *x;
  cJSON_ArrayForEach(x, get(e, "defined")) {
    long long k = num(x);
    if (k >= 0 && (size_t)k < n) defined[k] = true;
  }
}

CacheEntry *cache_entry_new(const char *path, uint64_t hash, const char *pyver,
                            const FileResult *fr, const Diags *d, const Export *ex, size_t nex,
                            const bool *defined, size_t ndefined) {
  cJSON *o = cJSON_CreateObject();
  char h[17];
  hex64(hash, h);
  cJSON_AddStringToObject(o, "path", path);
  cJSON_AddStringToObject(o, "hash", h);
  cJSON_AddStringToObject(o, "pyver", pyver ? pyver : "");
  cJSON *def = NULL;
  for (size_t i = 0; i < ndefined; i++)
    if (defined[i]) {
      if (!def) def = cJSON_AddArrayToObject(o, "defined");
      cJSON_AddItemToArray(def, cJSON_CreateNumber((double)i));
    }
  if (nex) {
    cJSON *arr = cJSON_AddArrayToObject(o, "exports");
    for (size_t i = 0; i < nex; i++) cJSON_AddItemToArray(arr, export_json(&ex[i]));
  }
  if (fr->nfindings) {
    cJSON *arr = cJSON_AddArrayToObject(o, "findings");
    for (size_t i = 0; i < fr->nfindings; i++) cJSON_AddItemToArray(arr, finding_json(&fr->findings[i]));
  }
  if (fr->nkeys) {
    cJSON *arr = cJSON_AddArrayToObject(o, "keys");
    for (size_t i = 0; i < fr->nkeys; i++) cJSON_AddItemToArray(arr, keyuse_json(&fr->keys[i]));
  }
  if (fr->nsupp) {
    cJSON *arr = cJSON_AddArrayToObject(o, "supp");
    for (size_t i = 0; i < fr->nsupp; i++) cJSON_AddItemToArray(arr, supp_json(&fr->supp[i]));
  }
  for (size_t i = 0; d && i < d->len; i++) /* the per-file pass adds one: a syntax warning */
    if (d->items[i].level == DIAG_WARNING && d->items[i].line) {
      cJSON *w = cJSON_AddArrayToObject(o, "syntax");
      cJSON_AddItemToArray(w, cJSON_CreateNumber(d->items[i].line));
      cJSON_AddItemToArray(w, cJSON_CreateString(d->items[i].message));
      break;
    }
  if (fr->cluster_client) cJSON_AddTrueToObject(o, "cluster");
  if (fr->opaque_consumer) cJSON_AddNumberToObject(o, "consumer", fr->opaque_consumer);
  return (CacheEntry *)o;
}

void cache_restore(const CacheEntry *e, FileResult *fr, Diags *d) {
  Arena *a = fr->arena;
  const cJSON *arr = get(e, "findings");
  size_t n = cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;
  if (n) {
    fr->findings = arena_alloc(a, n * sizeof(Finding));
    const cJSON *o;
    cJSON_ArrayForEach(o, arr) if (finding_from(a, o, &fr->findings[fr->nfindings])) fr->nfindings++;
  }
  arr = get(e, "keys");
  n = cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;
  if (n) {
    fr->keys = arena_alloc(a, n * sizeof(KeyUse));
    const cJSON *o;
    cJSON_ArrayForEach(o, arr) if (keyuse_from(a, o, &fr->keys[fr->nkeys])) fr->nkeys++;
  }
  arr = get(e, "supp");
  n = cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;
  if (n) {
    fr->supp = arena_alloc(a, n * sizeof(Suppression));
    const cJSON *o;
    cJSON_ArrayForEach(o, arr) supp_from(a, o, &fr->supp[fr->nsupp++]);
  }
  const cJSON *syn = get(e, "syntax");
  if (cJSON_IsArray(syn) && d) {
    fr->parse_errors = true;
    const char *msg = str_or_null(cJSON_GetArrayItem(syn, 1));
    diags_add(d, DIAG_WARNING, fr->src.path, (unsigned)num(cJSON_GetArrayItem(syn, 0)), "%s",
              msg ? msg : "syntax error");
  }
  fr->cluster_client = cJSON_IsTrue(get(e, "cluster"));
  const cJSON *consumer = get(e, "consumer");
  fr->opaque_consumer = cJSON_IsNumber(consumer) ? (uint8_t)(consumer->valueint & 3) : 0;
}

/* ---- writing ----------------------------------------------------------- */

static Out *out_push(ResultCache *c) {
  if (c->nout == c->capout) c->out = xrealloc(c->out, (c->capout = c->capout * 2 + 64) * sizeof(Out));
  Out *o = &c->out[c->nout++];
  memset(o, 0, sizeof *o);
  return o;
}

void cache_add(ResultCache *c, CacheEntry *e) {
  if (c) out_push(c)->item = (cJSON *)e;
  else cJSON_Delete((cJSON *)e);
}

void cache_keep(ResultCache *c, const char *path) {
  if (!c || !c->nslots) return;
  Slot key = {.path = path};
  const Slot *s = bsearch(&key, c->slots, c->nslots, sizeof(Slot), slot_cmp);
  if (!s) return;
  Out *o = out_push(c);
  o->line = s->line;
  o->len = s->len;
}

void cache_keep_stat(ResultCache *c, const char *path, const char *sig) {
  if (!c || !c->nslots) return;
  Slot key = {.path = path};
  const Slot *s = bsearch(&key, c->slots, c->nslots, sizeof(Slot), slot_cmp);
  if (!s) return;
  cJSON *dup = cJSON_Duplicate(s->item, 1);
  if (!dup) return cache_keep(c, path);
  cache_entry_set_stat((CacheEntry *)dup, sig);
  out_push(c)->item = dup;
}

/* ---- stat signatures ------------------------------------------------------ */

#define SETTLED_SECONDS 2

bool cache_stat_sig(const char *path, char *out, size_t n) {
  struct stat st;
  struct timespec now;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || clock_gettime(CLOCK_REALTIME, &now) != 0)
    return false;
  if (st.st_mtim.tv_sec > now.tv_sec - SETTLED_SECONDS ||
      st.st_ctim.tv_sec > now.tv_sec - SETTLED_SECONDS)
    return false; /* touched just now: the same timestamp may hide a second write */
  /* size, both times to the nanosecond, inode and device, as one hash: the
   * string is compared, never read back, and formatting five numbers per
   * file was a measurable part of a warm run */
  const long long f[] = {(long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                         (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
                         (long long)st.st_ino, (long long)st.st_dev};
  if (n < 17) return false;
  hex64(XXH3_64bits(f, sizeof f), out);
  return true;
}

const char *cache_entry_stat(const CacheEntry *e) { return str_or_null(get(e, "stat")); }

bool cache_entry_hash(const CacheEntry *e, uint64_t *hash) {
  const char *h = str_or_null(get(e, "hash"));
  if (!h || strlen(h) != 16) return false;
  char *end;
  unsigned long long v = strtoull(h, &end, 16);
  if (*end) return false;
  *hash = (uint64_t)v;
  return true;
}

void cache_entry_set_stat(CacheEntry *e, const char *sig) {
  cJSON *o = (cJSON *)e;
  cJSON_DeleteItemFromObjectCaseSensitive(o, "stat");
  cJSON_AddStringToObject(o, "stat", sig);
}

void cache_entry_set_test(CacheEntry *e) { cJSON_AddTrueToObject((cJSON *)e, "test"); }

bool cache_entry_test(const CacheEntry *e) { return cJSON_IsTrue(get(e, "test")); }

typedef struct Aged {
  char *name;
  time_t mtime;
} Aged;

static int aged_newest_first(const void *a, const void *b) {
  time_t x = ((const Aged *)a)->mtime, y = ((const Aged *)b)->mtime;
  return x > y ? -1 : x < y;
}

/* Removes all but the CACHE_KEEP_FILES most recent result files (a file
 * another run is reading stays readable through its open descriptor). */
static void prune(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  Aged *files = NULL;
  size_t n = 0, cap = 0;
  for (struct dirent *e; (e = readdir(d));) {
    size_t l = strlen(e->d_name);
    if (strncmp(e->d_name, "results-", 8) || l < 14) continue;
    bool tmp = !strcmp(e->d_name + l - 4, ".tmp");
    if (!tmp && strcmp(e->d_name + l - 6, ".jsonl")) continue;
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (stat(path, &st) != 0) continue;
    if (tmp) { /* left by a run that was killed while writing (fs_write_scratch) */
      if (st.st_mtime < time(NULL) - CACHE_TMP_AGE) unlink(path);
      continue;
    }
    if (n == cap) files = xrealloc(files, (cap = cap * 2 + 8) * sizeof *files);
    files[n++] = (Aged){xstrdup(path), st.st_mtime};
  }
  closedir(d);
  if (n > 1) qsort(files, n, sizeof *files, aged_newest_first);
  for (size_t i = 0; i < n; i++) {
    if (i >= CACHE_KEEP_FILES) unlink(files[i].name);
    free(files[i].name);
  }
  free(files);
}

/* mkdir -p: the directories of path, then path. */
static int make_dirs(const char *path) {
  char *p = xstrdup(path);
  int rc = 0;
  for (char *s = p + 1; *s && !rc; s++) {
    if (*s != '/') continue;
    *s = '\0';
    if (mkdir(p, 0777) != 0 && errno != EEXIST) rc = -1;
    *s = '/';
  }
  if (!rc && mkdir(p, 0777) != 0 && errno != EEXIST) rc = -1;
  free(p);
  return rc;
}

int cache_save(ResultCache *c, const bool *defined, size_t n, char *err, size_t errsize) {
  if (make_dirs(c->dir) != 0) {
    snprintf(err, errsize, "%s: cannot create the cache directory: %s", c->dir, strerror(errno));
    return -1;
  }
  size_t pn = strlen(c->dir) + 32;
  char *path = xmalloc(pn);
  snprintf(path, pn, "%s/.gitignore", c->dir);
  if (!fs_exists(path)) fs_write_atomic(path, "# written by redislint\n*\n", 25);
  snprintf(path, pn, "%s/CACHEDIR.TAG", c->dir);
  if (!fs_exists(path)) {
    static const char TAG[] = "Signature: 8a477f597d28d172789f06886806bc55\n"
                              "# This file is a cache directory tag created by redislint.\n";
    fs_write_atomic(path, TAG, sizeof TAG - 1);
  }
  cJSON *head = cJSON_CreateObject();
  char k[17];
  hex64(c->key, k);
  cJSON_AddNumberToObject(head, "format", CACHE_FORMAT);
  cJSON_AddStringToObject(head, "key", k);
  char *bits = xmalloc(n + 1);
  for (size_t i = 0; i < n; i++) bits[i] = defined[i] ? '1' : '0';
  bits[n] = '\0';
  cJSON_AddStringToObject(head, "defined", bits);
  free(bits);
  char *h = cJSON_PrintUnformatted(head);
  cJSON_Delete(head);
  /* one buffer: the header, then each entry's line */
  size_t cap = strlen(h) + 2, len = 0;
  char **printed = xcalloc(c->nout + 1, sizeof(char *));
  for (size_t i = 0; i < c->nout; i++) {
    if (!c->out[i].line) printed[i] = cJSON_PrintUnformatted(c->out[i].item);
    cap += (c->out[i].line ? c->out[i].len : (printed[i] ? strlen(printed[i]) : 0)) + 1;
  }
  char *text = xmalloc(cap);
  len = (size_t)snprintf(text, cap, "%s\n", h);
  free(h);
  for (size_t i = 0; i < c->nout; i++) {
    const char *l = c->out[i].line ? c->out[i].line : printed[i];
    size_t ll = c->out[i].line ? c->out[i].len : (l ? strlen(l) : 0);
    if (!l) continue;
    memcpy(text + len, l, ll);
    len += ll;
    text[len++] = '\n';
    free(printed[i]);
  }
  free(printed);
  snprintf(path, pn, "%s/results-%016llx.jsonl", c->dir, (unsigned long long)c->key);
  int rc = fs_write_scratch(path, text, len);
  if (!rc) prune(c->dir);
  if (rc) snprintf(err, errsize, "%s: cannot write the cache: %s", path, strerror(errno));
  free(text);
  free(path);
  return rc;
}
