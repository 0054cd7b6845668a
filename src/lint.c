/* lint.c - the run: read and parse files (in parallel), build the project
 * index from files that can define clients, then model every file and run
 * the rules (in parallel), then project-wide rules. Output order never
 * depends on -j: results are stored per file and emitted in file order. */
#include "lint.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdatomic.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cache.h"
#include "fsutil.h"
#include "index.h"
#include "project.h"
#include "model.h"
#include "rule.h"
#include "rule_ctx.h"
#include "strset.h"
#include "suppress.h"
#include "rules/rule_util.h"

typedef struct FileWork {
  TSTree *tree;    /* parsed in pass 1 when the file can export clients */
  Arena *marena;   /* the kept model of a relevant file, and its arena */
  Model *model;
  char *module;    /* dotted module name, malloc'ed */
  Diags diags;     /* this file's diagnostics, merged in order at the end */
  bool relevant;
  bool script;     /* a Lua script file (`.lua`): only rules' check_script run on it */
  bool by_want;    /* made relevant only because a model wanted its module */
  bool stale;      /* the index changed since its model was analysed */
  bool deferred;   /* relevant, but its tree is not kept between rounds (memory) */
  bool caller_checked; /* a file not relevant by itself, looked at for builder names */
  uint64_t heads_checked; /* index_heads_sum it was found not to mention (0: never looked) */
  char *rhs;       /* identifiers right of `=` on its module-level lines, NUL-separated
                      (pass 1 of a file not modelled): tested against the index's names
                      without reading the file again; NULL: too many, read it */
  size_t rhs_len;
  bool modelled;   /* a deferred file's model was built and its exports recorded */
  bool looked;     /* ... and that model consulted the index */
  bool fresh;      /* ... exports copied this round, not yet in the index */
  IndexDeps deps;  /* what its last analysis consulted in the index */
  Export *ex;      /* a deferred file's exports, copied (malloc'ed) before its model went */
  size_t nex;
  bool defined[INDEX_MAX_DISTINCT]; /* Redis-only method names it defines */
  bool test_code;
  bool context;    /* a file of the project that was not named: read for the index and
                      the project rules, never reported (project.h); no syntax
                      warnings, no suppressions */
  /* result cache (cache.h) */
  char *rel;       /* project-relative path: the entry's name; NULL without a cache */
  uint64_t hash;   /* of the file's bytes */
  char *pyver;     /* the redis-py verdict that applied, as the entry records it */
  const CacheEntry *old; /* the entry of this path from the last run, if any */
  const CacheEntry *hit; /* ... when it holds this very file: nothing to compute */
  CacheEntry *entry;     /* what this run found, for the next run */
  char sig[112];         /* the stat signature of the bytes read (cache_stat_sig), or "" */
} FileWork;

typedef struct Run {
  LintRun *out;
  const FileList *files;
  const Options *opt;
  FileWork *work;
  ProjectIndex *index;
  char *stdin_buf;
  size_t stdin_len;
  const char *stdin_name;
  ResultCache *cache; /* NULL: no result cache */
  bool lookup;        /* use its entries (false on the run that follows a stale cache) */
  atomic_size_t next;
  atomic_size_t kept; /* estimated bytes of the trees kept from pass 1 */
  size_t budget;      /* ... at most (tree_budget()) */
  void (*job)(struct Run *, TSParser *, size_t);
  /* progress on a terminal (Options.progress) */
  const char *phase;       /* "reading", "linting" */
  atomic_size_t done;      /* files done in this phase */
  atomic_long shown_ms;    /* when the line was last written; -1 never */
  long delay_ms;           /* nothing before this much time has passed */
  struct timespec t0;      /* the run's start */
  pthread_mutex_t out_mu;  /* one writer of the line at a time */
} Run;

/* ---------------------------------------------------------------- helpers */

/* Does the text name redis (redis, Redis(, aioredis, redis_client,
 * RedisCluster) rather than a word that merely contains it (Redistribution,
 * a license header classic)? */
static bool mentions_word(const Source *s, const char *needle, size_t k);

static bool mentions_redis(const Source *s) {
  return mentions_word(s, "redis", 5) || mentions_word(s, "valkey", 6);
}

/* Does the text hold `needle` (lower case, matched case-insensitively) not
 * followed by a lower-case letter? */
static bool mentions_word(const Source *s, const char *needle, size_t k) {
  for (uint32_t i = 0; i + k <= s->len; i++) {
    if ((s->text[i] | 0x20) != needle[0]) continue;
    size_t j = 1;
    while (j < k && (s->text[i + j] | 0x20) == needle[j]) j++;
    if (j < k) continue;
    char next = i + k < s->len ? s->text[i + k] : ' ';
    if (!(next >= 'a' && next <= 'z')) return true;
  }
  return false;
}

/* Does the text call a method only a Redis client has (`.hset(`)? Such a
 * file is modelled even when it never names redis: its receivers may be
 * clients handed over from elsewhere (model_infer.c). */
static bool calls_distinctive(const Source *s) {
  const char *t = s->text, *end = s->text + s->len;
  for (const char *p = t; p < end && (p = memchr(p, '.', (size_t)(end - p)));) {
    const char *q = ++p;
    while (q < end && ((*q >= 'a' && *q <= 'z') || *q == '_')) q++;
    if (q < end && *q == '(' && q > p && commands_distinctive(p, (uint32_t)(q - p))) return true;
    p = q;
  }
  return false;
}

/* The "#star" exports of a file that is not modelled, read from its text:
 * each module-level `from X import *` (relative ones resolved against the
 * file's package) passes X's names on, as a Flask app's core.py does with
 * `from app.extensions import *`. A modelled file gets the same entries
 * from its model. Malloc'ed into w->ex. */
static bool is_init_file(const char *path);

/* The identifiers right of `=` on module-level lines (`sentinel =
 * Sentinel()`, `cache: Redis = ext.redis`), for index_is_head later. */
#define RHS_MAX 2048
static void rhs_names(FileWork *w, const Source *s) {
  const char *t = s->text;
  size_t len = s->len, n = 0;
  char buf[RHS_MAX];
  for (size_t i = 0; i < len;) {
    const char *nl = memchr(t + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - t) : len, j = i;
    bool id0 = t[i] == '_' || ((t[i] | 0x20) >= 'a' && (t[i] | 0x20) <= 'z');
    while (id0 && j < e && (t[j] == '_' || ((t[j] | 0x20) >= 'a' && (t[j] | 0x20) <= 'z') ||
                            (t[j] >= '0' && t[j] <= '9')))
      j++;
    while (id0 && j < e && t[j] == ' ') j++;
    if (id0 && j < e && t[j] == ':')
      while (j < e && t[j] != '=') j++;
    if (id0 && j + 1 < e && t[j] == '=' && t[j + 1] != '=') {
      for (size_t k = j + 1; k < e;) {
        if (!(t[k] == '_' || ((t[k] | 0x20) >= 'a' && (t[k] | 0x20) <= 'z'))) {
          k++;
          if (k < e && t[k - 1] >= '0' && t[k - 1] <= '9')
            while (k < e && (t[k] == '_' || ((t[k] | 0x20) >= 'a' && (t[k] | 0x20) <= 'z') ||
                             (t[k] >= '0' && t[k] <= '9')))
              k++; /* the tail of a number (`1e5`, `0xff`) is no name */
          continue;
        }
        size_t a = k;
        while (k < e && (t[k] == '_' || ((t[k] | 0x20) >= 'a' && (t[k] | 0x20) <= 'z') ||
                         (t[k] >= '0' && t[k] <= '9')))
          k++;
        if (n + (k - a) + 1 > sizeof buf) { /* too many: pass 2 style, the text is read again */
          free(w->rhs);
          w->rhs = NULL;
          w->rhs_len = SIZE_MAX;
          return;
        }
        memcpy(buf + n, t + a, k - a);
        n += k - a;
        buf[n++] = '\0';
      }
    }
    i = e + 1;
  }
  w->rhs = n ? xmalloc(n) : NULL;
  if (n) memcpy(w->rhs, buf, n);
  w->rhs_len = n;
}

static bool reload(Run *r, size_t i);

/* Does a module-level line of the file bind a name from what the index
 * looks for? From the names kept in pass 1, or from the text. */
static bool binds_from_head(Run *r, size_t i) {
  FileWork *w = &r->work[i];
  if (w->rhs_len != SIZE_MAX) {
    for (size_t k = 0; k < w->rhs_len;) {
      size_t n = strlen(w->rhs + k);
      if (index_is_head(r->index, w->rhs + k, n)) return true;
      k += n + 1;
    }
    return false;
  }
  FileResult *fr = &r->out->files[i];
  return reload(r, i) && index_binds_from_head(r->index, fr->src.text, fr->src.len);
}

static void star_exports(FileWork *w, const Source *s) {
  const char *t = s->text;
  size_t len = s->len;
  for (size_t i = 0; i < len;) {
    const char *nl = memchr(t + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - t) : len, j = i + 4;
    if (e - i > 13 && !memcmp(t + i, "from", 4) && (t[j] == ' ' || t[j] == '\t')) {
      while (j < e && (t[j] == ' ' || t[j] == '\t')) j++;
      size_t ms = j;
      while (j < e && (t[j] == '.' || t[j] == '_' || ((t[j] | 0x20) >= 'a' && (t[j] | 0x20) <= 'z') ||
                       (t[j] >= '0' && t[j] <= '9')))
        j++;
      size_t me = j;
      while (j < e && (t[j] == ' ' || t[j] == '\t')) j++;
      if (me > ms && e - j >= 6 && !memcmp(t + j, "import", 6)) {
        j += 6;
        while (j < e && (t[j] == ' ' || t[j] == '\t')) j++;
        size_t k = j + 1;
        while (k < e && (t[k] == ' ' || t[k] == '\t' || t[k] == '\r')) k++;
        if (j < e && t[j] == '*' && (k == e || t[k] == '#')) {
          /* relative: each leading dot past the first climbs one package */
          size_t dots = 0;
          while (ms + dots < me && t[ms + dots] == '.') dots++;
          char *base = NULL;
          if (!dots) {
            base = xmalloc(me - ms + 1);
            memcpy(base, t + ms, me - ms);
            base[me - ms] = '\0';
          } else if (w->module) {
            char *pkg = xstrdup(w->module);
            if (!is_init_file(s->path)) { char *d = strrchr(pkg, '.'); if (d) *d = '\0'; else pkg[0] = '\0'; }
            for (size_t d = 1; d < dots; d++) { char *x = strrchr(pkg, '.'); if (x) *x = '\0'; else pkg[0] = '\0'; }
            size_t rest = me - ms - dots;
            size_t n = strlen(pkg) + rest + 2;
            base = xmalloc(n);
            if (!rest) snprintf(base, n, "%s", pkg);
            else if (!pkg[0]) snprintf(base, n, "%.*s", (int)rest, t + ms + dots);
            else snprintf(base, n, "%s.%.*s", pkg, (int)rest, t + ms + dots);
            free(pkg);
          }
          if (base && base[0]) {
            w->ex = xrealloc(w->ex, (w->nex + 1) * sizeof(Export));
            memset(&w->ex[w->nex], 0, sizeof(Export));
            w->ex[w->nex].name = xstrdup("#star");
            w->ex[w->nex].base = base;
            w->ex[w->nex].value.kind = OBJ_OTHER;
            w->nex++;
          } else {
            free(base);
          }
        }
      }
    }
    i = e + 1;
  }
}

static bool is_init_file(const char *path) {
  size_t n = strlen(path);
  return n >= 11 && strcmp(path + n - 11, "__init__.py") == 0;
}

static TSTree *parse(TSParser *p, const Source *s) {
  return ts_parser_parse_string(p, NULL, s->text, s->len);
}

/* Line of the first ERROR or MISSING node, iteratively. */
static unsigned first_error_line(TSNode root) {
  TSTreeCursor c = ts_tree_cursor_new(root);
  unsigned line = 0;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    if ((strcmp(ts_node_type(n), "ERROR") == 0) || ts_node_is_missing(n)) {
      line = ts_node_start_point(n).row + 1;
      break;
    }
    if (ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&c)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&c))
      if (!ts_tree_cursor_goto_parent(&c)) goto out;
  }
out:
  ts_tree_cursor_delete(&c);
  return line;
}

/* ---------------------------------------------------------------- pass 1 */

/* Takes buf: the content of "-", or an override of file i. */
static int load_buffer(Run *r, size_t i, char *buf, size_t len, Source *src, Diags *d) {
  const char *path = r->files->paths[i];
  if (strcmp(path, "-")) return source_from_buffer(src, buf, len, path, d);
  if (r->opt->stdin_is_text) return source_from_text(src, buf, len, r->stdin_name, d);
  return source_from_buffer(src, buf, len, r->stdin_name, d);
}

/* A file found by walking a directory that is not text (not UTF-8, nor in
 * the encoding it declares) is skipped with a warning: the exit status stays
 * the findings'. A file named on the command line stays an error (exit 2). */
static int lower_undecodable(Run *r, size_t i, int rc, Diags *d) {
  if (rc == SOURCE_UNDECODABLE && r->files->walked && r->files->walked[i] && d->len)
    d->items[d->len - 1].level = DIAG_WARNING;
  return rc;
}

/* Loads file i from disk, or from its override (a --fix pass). */
static int load_file(Run *r, size_t i, Source *src, Diags *d) {
  const char *path = r->files->paths[i];
  for (size_t k = 0; k < r->opt->noverrides; k++) {
    const SourceOverride *o = &r->opt->overrides[k];
    if (strcmp(o->path, path)) continue;
    char *buf = xmalloc(o->len + 1);
    memcpy(buf, o->buf, o->len);
    return lower_undecodable(r, i, load_buffer(r, i, buf, o->len, src, d), d);
  }
  return lower_undecodable(r, i, source_load(src, path, path, d), d);
}

/* Trees of the relevant files are kept from pass 1 to the rules (no second
 * parse) while they fit a budget; a tree costs about 25 bytes per byte of
 * source. Files past it are parsed again when modelled, which bounds the
 * memory of a large project at the cost of some parsing. Which files are
 * kept depends on timing with several threads, but never the results. */
#define TREE_BYTES_PER_SOURCE_BYTE 25
#define TREE_BUDGET_DEFAULT ((size_t)256 << 20) /* about 10 MB of source */

/* REDISLINT_TREE_BUDGET (bytes, 0 = parse every file again when needed)
 * overrides the default: a knob for small machines, and for the tests. */
static size_t tree_budget(void) {
  const char *e = getenv("REDISLINT_TREE_BUDGET");
  if (!e || !*e) return TREE_BUDGET_DEFAULT;
  char *end;
  unsigned long long v = strtoull(e, &end, 10);
  return *end ? TREE_BUDGET_DEFAULT : (size_t)v;
}

static bool keep_tree(Run *r, size_t source_len) {
  size_t est = source_len * TREE_BYTES_PER_SOURCE_BYTE;
  size_t before = atomic_fetch_add(&r->kept, est);
  if (before + est <= r->budget) return true;
  atomic_fetch_sub(&r->kept, est);
  return false;
}

static char *pyver_key(const PyVer *v);

/* A Lua script file (`.lua`)? */
static bool is_script_file(const char *path) {
  size_t n = strlen(path);
  return n > 4 && !strcmp(path + n - 4, ".lua");
}

/* Does the script send Redis commands (`redis.call(`, `redis.pcall(`)? */
static bool redis_script_text(const Source *s) {
  return mentions_word(s, "redis.call", 10) || mentions_word(s, "redis.pcall", 11);
}


/* A file the cache holds, by its bytes: read and hashed, nothing more (no
 * UTF-8 check, no line index, no scans: the entry has what they would give;
 * the text is read again only when its results need positions). With
 * stat_only, only a file whose stat signature the entry records (not read
 * at all). */
static bool cache_fast_hit(Run *r, size_t i, bool stat_only) {
  if (!r->cache || !r->lookup) return false;
  FileResult *fr = &r->out->files[i];
  FileWork *w = &r->work[i];
  const char *path = r->files->paths[i];
  char *rel = project_relative(r->opt->project, path);
  const CacheEntry *e = rel ? cache_entry(r->cache, rel) : NULL;
  if (!e) {
    free(rel);
    return false;
  }
  char *pv = pyver_key(&fr->pyver);
  uint64_t h = 0;
  char before[sizeof w->sig], after[sizeof w->sig];
  bool settled = cache_stat_sig(path, before, sizeof before);
  const char *was = cache_entry_stat(e);
  bool same = settled && was && !strcmp(was, before) && cache_entry_hash(e, &h);
  if (same) { /* the file the entry was computed from, untouched: not even read */
    snprintf(w->sig, sizeof w->sig, "%s", before);
  } else if (stat_only) {
    free(rel);
    free(pv);
    return false; /* read and hashed by a worker (job_load) */
  } else {
    size_t len;
    char *buf = fs_read(path, SOURCE_MAX_BYTES, &len);
    h = buf ? cache_hash(buf, len) : 0;
    /* the signature describes these bytes only if nothing moved meanwhile */
    if (buf && settled && cache_stat_sig(path, after, sizeof after) && !strcmp(before, after))
      snprintf(w->sig, sizeof w->sig, "%s", before);
    if (!buf) {
      free(rel);
      free(pv);
      return false; /* load it the usual way (which reports what is wrong) */
    }
    free(buf);
  }
  if (!cache_entry_matches(e, h, pv)) {
    w->sig[0] = '\0';
    free(rel);
    free(pv);
    return false; /* load it the usual way (which reports what is wrong) */
  }
  fr->loaded = true;
  fr->src.path = xstrdup(path);
  fr->src.text = "";
  w->rel = rel;
  w->pyver = pv;
  w->hash = h;
  w->old = w->hit = e;
  w->script = is_script_file(path);
  w->module = w->script ? NULL : project_module(r->opt->project, path);
  w->test_code = cache_entry_test(e); /* by its text too, which is not read here */
  cache_entry_defined(e, w->defined, INDEX_MAX_DISTINCT);
  return true;
}

static void job_load(Run *r, TSParser *p, size_t i) {
  FileResult *fr = &r->out->files[i];
  FileWork *w = &r->work[i];
  const char *path = r->files->paths[i];
  int rc;
  bool overridden = false;
  for (size_t k = 0; k < r->opt->noverrides; k++) overridden |= !strcmp(r->opt->overrides[k].path, path);
  if (fr->loaded) return; /* a cache hit of the first pass (cache_hits_first) */
  if (!overridden && strcmp(path, "-") && cache_fast_hit(r, i, false)) return;
  char before[sizeof w->sig], after[sizeof w->sig];
  bool settled = r->cache && !overridden && strcmp(path, "-") &&
                 cache_stat_sig(path, before, sizeof before);
  if (overridden || strcmp(path, "-")) {
    rc = load_file(r, i, &fr->src, &w->diags);
    if (rc == 0 && settled && cache_stat_sig(path, after, sizeof after) && !strcmp(before, after))
      snprintf(w->sig, sizeof w->sig, "%s", before); /* these bytes, untouched since */
  } else {
    char *buf = xmalloc(r->stdin_len + 1);
    memcpy(buf, r->stdin_buf ? r->stdin_buf : "", r->stdin_len);
    rc = load_buffer(r, i, buf, r->stdin_len, &fr->src, &w->diags);
  }
  if (rc != 0) return;
  fr->loaded = true;
  w->test_code = in_test_code(&fr->src, r->opt);
  /* a Lua script: no module, nothing for the index, no tree */
  w->script = strcmp(path, "-") && is_script_file(fr->src.path);
  if (!w->script) {
    w->module = project_module(r->opt->project, fr->src.path);
    index_scan_defined(fr->src.text, fr->src.len, w->defined);
    w->relevant = mentions_redis(&fr->src) || is_init_file(fr->src.path) ||
                  calls_distinctive(&fr->src);
    if (!w->relevant && w->module) star_exports(w, &fr->src);
    if (!w->relevant) rhs_names(w, &fr->src);
  }
  if (r->cache && (w->rel = project_relative(r->opt->project, fr->src.path))) {
    w->hash = cache_hash(fr->src.raw, fr->src.raw_len);
    w->pyver = pyver_key(&fr->pyver);
    w->old = cache_entry(r->cache, w->rel);
    if (r->lookup && w->old && cache_entry_matches(w->old, w->hash, w->pyver)) {
      w->hit = w->old; /* read and hashed: that is all this file costs */
      if (!w->relevant && strcmp(path, "-") != 0) source_release(&fr->src);
      return;
    }
  }
  if (w->script) { /* kept for the lint when it sends Redis commands */
    if (!redis_script_text(&fr->src)) source_release(&fr->src);
    return;
  }
  if (w->relevant && keep_tree(r, fr->src.len)) w->tree = parse(p, &fr->src);
  else if (w->relevant) w->deferred = true; /* parsed when modelled, not kept */
  else if (strcmp(path, "-") != 0) source_release(&fr->src); /* pass 2 reads it again */
}

/* The redis-py verdict of a file as the cache records it (messages quote
 * its source). Malloc'd. */
static char *pyver_key(const PyVer *v) {
  char buf[512];
  snprintf(buf, sizeof buf, "%d|%lld|%s", (int)v->cls, v->below, v->source ? v->source : "");
  return xstrdup(buf);
}

/* Reads a file released after pass 1 again (memory stays bounded by the
 * files in flight, not the corpus). False if it changed into something
 * unreadable meanwhile (reported). */
static bool reload(Run *r, size_t i) {
  FileResult *fr = &r->out->files[i];
  if (fr->src.raw) return true;
  source_free(&fr->src);
  if (load_file(r, i, &fr->src, &r->work[i].diags) == 0) return true;
  fr->loaded = false;
  return false;
}

/* Models a relevant file against the current index (read-only meanwhile). */
static void exports_free(FileWork *w) {
  for (size_t k = 0; k < w->nex; k++) {
    free((char *)w->ex[k].name);
    free((char *)w->ex[k].base);
  }
  free(w->ex);
  w->ex = NULL;
  w->nex = 0;
}

/* The model's exports, copied into the work item (they outlive the model). */
static void keep_exports(FileWork *w, const Model *m) {
  exports_free(w);
  size_t n = model_nexports(m);
  w->ex = xcalloc(n + 1, sizeof(Export));
  w->nex = 0;
  for (size_t k = 0; k < n; k++) {
    const Export *e = model_export(m, k);
    /* a test double's methods (`class AsyncMockRedis(AsyncRedis)` with its
       own `ttl`): they answer for the double in its file, not for every
       client of the project (that hid all TTL/EXPIRE/DEL calls) */
    if (w->test_code && !strncmp(e->name, "#override.", 10)) continue;
    Export *x = &w->ex[w->nex++];
    *x = *e;
    x->name = xstrdup(e->name);
    x->base = e->base ? xstrdup(e->base) : NULL;
  }
}

static void job_model_file(Run *r, TSParser *p, size_t i);

static void job_model(Run *r, TSParser *p, size_t i) {
  index_importer(r->work[i].module);
  index_wants_allowed(!r->work[i].by_want);
  job_model_file(r, p, i);
  index_wants_allowed(true);
  index_importer(NULL);
}

static void job_model_file(Run *r, TSParser *p, size_t i) {
  FileWork *w = &r->work[i];
  if (w->deferred && (!w->modelled || w->stale)) {
    /* parse, model, keep the exports, drop the rest: one file at a time */
    w->stale = false;
    TSTree *tree = parse(p, &r->out->files[i].src);
    Arena *a = arena_new();
    index_deps_record(&w->deps);
    Model *m = model_build(a, &r->out->files[i].src, tree, w->module, r->index);
    index_deps_record(NULL);
    keep_exports(w, m);
    w->looked = model_used_index(m);
    w->modelled = true;
    w->fresh = true;
    model_free(m);
    arena_delete(a);
    ts_tree_delete(tree);
    return;
  }
  if (!w->tree && w->relevant && !w->deferred && !w->model && r->out->files[i].src.text)
    w->tree = parse(p, &r->out->files[i].src); /* promoted during the rounds */
  if (!w->tree || (w->model && !w->stale)) return;
  w->stale = false;
  index_deps_record(&w->deps);
  if (w->model) {
    model_refresh(w->model, r->index); /* the walk is kept: only the analysis is redone */
  } else {
    w->marena = arena_new();
    w->model = model_build(w->marena, &r->out->files[i].src, w->tree, w->module, r->index);
  }
  index_deps_record(NULL);
}

/* ---------------------------------------------------------------- pass 2 */

/* A safe fix on a call whose client is only inferred from use becomes
 * unsafe: one clue is not proof enough for --fix to rewrite code. */
static void weaken_inferred_fix(const Model *m, Finding *f) {
  if (f->fix.applicability < FIX_UNSAFE) return;
  /* call sites are in tree order (by start byte): the calls inside the
   * finding's span, and the few just before it that may enclose it */
  size_t n = model_ncalls(m), lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ts_node_start_byte(model_call(m, mid)->node) < f->start) lo = mid + 1;
    else hi = mid;
  }
  for (size_t i = lo >= 4 ? lo - 4 : 0; i < n; i++) {
    const CallSite *cs = model_call(m, i);
    if (ts_node_start_byte(cs->node) >= f->end) break;
    if ((!cs->recv.inferred && !(cs->recv.facade & FACADE_FWD)) || ts_node_end_byte(cs->node) <= f->start)
      continue;
    if (cs->recv.facade & FACADE_FWD) { /* a facade's method: it may not take the rewrite */
      f->fix.applicability = FIX_DISPLAY;
      f->fix.nedits = 0;
      return;
    }
    if (f->fix.applicability == FIX_SAFE) f->fix.applicability = FIX_UNSAFE;
    return;
  }
}

/* One walk over the file's call sites for the rules that take them one by
 * one (RuleImpl.on_call), in registry order per call. */
static void dispatch_calls(Run *r, RuleCtx *ctx, const Model *m, Vec *found) {
  const Rule *takers[64];
  size_t nt = 0;
  for (size_t k = 0; k < rules_count() && nt < sizeof takers / sizeof takers[0]; k++) {
    const Rule *rule = rules_at(k);
    if (r->opt->enabled[k] && rule->impl && rule->impl->on_call) takers[nt++] = rule;
  }
  if (!nt) return;
  for (size_t i = 0; i < model_ncalls(m); i++) {
    const CallSite *cs = model_call(m, i);
    for (size_t k = 0; k < nt; k++) {
      if (takers[k]->proven_only && cs->recv.inferred) continue;
      ctx->rule = takers[k];
      size_t before = found->len;
      takers[k]->impl->on_call(ctx, cs);
      for (size_t f = before; f < found->len && (cs->recv.inferred || (cs->recv.facade & FACADE_FWD)); f++) {
        Finding *fd = vec_at(found, f);
        if (cs->recv.facade & FACADE_FWD) { /* a facade's method: it may not take the rewrite */
          fd->fix.applicability = FIX_DISPLAY;
          fd->fix.nedits = 0;
        } else if (fd->fix.applicability == FIX_SAFE) {
          fd->fix.applicability = FIX_UNSAFE;
        }
      }
    }
  }
}

static void run_rules(Run *r, FileResult *fr, const Model *m, Vec *found) {
  RuleCtx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.model = m;
  ctx.src = &fr->src;
  ctx.opt = r->opt;
  ctx.arena = fr->arena;
  ctx.findings = found;
  ctx.pyver = &fr->pyver;
  for (size_t k = 0; k < rules_count(); k++) {
    const Rule *rule = rules_at(k);
    if (!r->opt->enabled[k] || !rule->impl || !rule->impl->check_file) continue;
    ctx.rule = rule;
    model_view_proven(m, rule->proven_only);
    size_t before = found->len;
    rule->impl->check_file(&ctx);
    for (size_t f = before; f < found->len; f++) weaken_inferred_fix(m, vec_at(found, f));
  }
  model_view_proven(m, false);
  dispatch_calls(r, &ctx, m, found);
}

static int cmp_edit(const void *a, const void *b) {
  const Edit *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return x->end < y->end ? -1 : x->end > y->end;
}

static void store_findings(FileResult *fr, Vec *found) {
  if (!found->len) return;
  for (size_t i = 0; i < found->len; i++) { /* edits in file order, for every consumer */
    Finding *f = vec_at(found, i);
    if (f->fix.nedits > 1) qsort(f->fix.edits, f->fix.nedits, sizeof(Edit), cmp_edit);
  }
  fr->nfindings = found->len;
  fr->findings = arena_alloc(fr->arena, (found->len ? found->len : 1) * sizeof(Finding));
  if (found->len) memcpy(fr->findings, found->data, found->len * sizeof(Finding));
  qsort(fr->findings, fr->nfindings, sizeof(Finding), finding_cmp);
}

static const char *kind_name_proven(Value v);

static const char *kind_name(Value v) {
  if (!v.inferred) return kind_name_proven(v);
  switch (v.kind) {
  case OBJ_PIPELINE: return "inferred-pipeline";
  case OBJ_TRANSACTION: return "inferred-transaction";
  case OBJ_CLIENT_OR_PIPELINE: return "inferred-client-or-pipeline";
  default: return v.is_async ? "inferred-async-client" : "inferred-client";
  }
}

static const char *kind_name_proven(Value v) {
  switch (v.kind) {
  case OBJ_PIPELINE: return "pipeline";
  case OBJ_TRANSACTION: return "transaction";
  case OBJ_CLIENT_OR_PIPELINE: return "client-or-pipeline";
  default: return v.cluster ? (v.is_async ? "async-cluster" : "cluster")
                            : (v.is_async ? "async-client" : "client");
  }
}

/* "12:5 client r.hset HSET user:{}:name" per call site. */
static void record_calls(FileResult *fr, const Model *m) {
  size_t n = model_ncalls(m);
  if (!n) return;
  fr->calls = arena_alloc(fr->arena, n * sizeof(char *));
  for (size_t k = 0; k < n; k++) {
    const CallSite *cs = model_call(m, k);
    Position pos = source_position(&fr->src, ts_node_start_byte(cs->node));
    const char *key = cs->key.text ? keytpl_display(fr->arena, &cs->key) : "-";
    fr->calls[k] = arena_printf(fr->arena, "%u:%u\t%s\t%s.%s\t%s\t%s%s", pos.line, pos.column,
                                kind_name(cs->recv), cs->recv_text, cs->method,
                                cs->cmd ? cs->cmd->name : "?", key,
                                cs->loop >= 0 ? "\tin-loop" : "");
  }
  fr->ncalls = n;
}

/* "12:5\tself.conn\t3\thset,zadd\tinferred\twhy" per receiver and reason,
 * in order of first appearance. */
/* The model the comparator below reads (qsort has no context argument). */
static _Thread_local const Model *unres_m;

/* Order of entries: by receiver and reason, then by position. */
static int unres_cmp(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  const Unresolved *u = model_unresolved(unres_m, x), *v = model_unresolved(unres_m, y);
  int c = strcmp(u->recv, v->recv);
  if (!c) c = strcmp(u->why, v->why);
  return c ? c : (x < y ? -1 : x > y);
}

typedef struct UGroup {
  size_t from, to; /* a run of the sorted entries */
} UGroup;

static int ugroup_cmp(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b; /* first entry indices */
  return x < y ? -1 : x > y;
}

/* Adds `meth` to the comma list unless it is there (the list is bounded). */
static void add_method(char *list, size_t cap, size_t *used, const char *meth) {
  size_t k = strlen(meth);
  for (const char *p = list; (p = strstr(p, meth)); p += k)
    if ((p == list || p[-1] == ',') && (p[k] == ',' || p[k] == '\0')) return;
  int w = snprintf(list + *used, cap - *used, "%s%s", *used ? "," : "", meth);
  if (w > 0 && (size_t)w < cap - *used) *used += (size_t)w;
}

static void record_unresolved(FileResult *fr, const Model *m) {
  size_t n = model_nunresolved(m);
  if (!n) return;
  size_t *order = xcalloc(n, sizeof(size_t));
  for (size_t k = 0; k < n; k++) order[k] = k;
  unres_m = m;
  qsort(order, n, sizeof(size_t), unres_cmp);
  /* groups as (first entry index, run start, run end), in order of appearance */
  size_t *groups = xcalloc(3 * n, sizeof(size_t)), ng = 0;
  for (size_t k = 0; k < n;) {
    size_t e = k + 1;
    while (e < n && !strcmp(model_unresolved(m, order[e])->recv, model_unresolved(m, order[k])->recv) &&
           !strcmp(model_unresolved(m, order[e])->why, model_unresolved(m, order[k])->why))
      e++;
    groups[3 * ng] = order[k];
    groups[3 * ng + 1] = k;
    groups[3 * ng + 2] = e;
    ng++;
    k = e;
  }
  qsort(groups, ng, 3 * sizeof(size_t), ugroup_cmp);
  fr->unresolved = arena_alloc(fr->arena, ng * sizeof(char *));
  for (size_t g = 0; g < ng; g++) {
    const Unresolved *f = model_unresolved(m, groups[3 * g]);
    Position pos = source_position(&fr->src, ts_node_start_byte(f->node));
    char methods[256] = "";
    size_t used = 0, count = groups[3 * g + 2] - groups[3 * g + 1];
    for (size_t k = groups[3 * g + 1]; k < groups[3 * g + 2]; k++)
      add_method(methods, sizeof methods, &used, model_unresolved(m, order[k])->method);
    fr->unresolved[g] = arena_printf(fr->arena, "%u:%u\t%s\t%zu\t%s\t%s\t%s", pos.line,
                                     pos.column, f->recv, count, methods,
                                     f->inferred ? "inferred" : "unresolved", f->why);
  }
  fr->nunresolved = ng;
  free(groups);
  free(order);
}

#define MAX_KEYS_PER_CALL 8

static void fill_use(KeyUse *u, FileResult *fr, RuleCtx *ctx, const CallSite *cs, const char *key);

/* Further keys of a multi-key command: blpop(["a", "b"]), delete(k1, k2). */
static size_t extra_keys(const Model *m, const CallSite *cs, KeyTpl *out) {
  if (!(cs->cmd->flags & CMD_MULTI_KEY) || cs->cmd->first_key < 0) return 0;
  TSNode a0 = call_arg(cs->args, (uint32_t)cs->cmd->first_key);
  size_t n = 0;
  if (node_is(a0, SYM.list) || node_is(a0, SYM.tuple)) {
    for (uint32_t i = 0; i < ts_node_named_child_count(a0) && n < MAX_KEYS_PER_CALL; i++)
      out[n++] = model_key(m, ts_node_named_child(a0, i));
    return n;
  }
  if (cs->cmd->last_key != -1) return 0;
  for (uint32_t i = (uint32_t)cs->cmd->first_key + 1; n < MAX_KEYS_PER_CALL; i++) {
    TSNode a = call_arg(cs->args, i);
    if (ts_node_is_null(a)) break;
    out[n++] = model_key(m, a);
  }
  return n;
}

/* A key held in a parameter or an attribute, whatever it is (`self.key`
 * of a queue class, `key` of a helper): its template is not known here. */
static bool opaque_key_holder(const Source *src, const CallSite *cs) {
  if (cs->key.text && !cs->key.opaque && strcmp(cs->key.text, "\x01")) return false;
  TSNode a = call_arg(cs->args, (uint32_t)(cs->cmd->first_key < 0 ? 0 : cs->cmd->first_key));
  if (node_is(a, SYM.identifier)) return true;
  if (!node_is(a, SYM.attribute)) return false;
  TSNode obj = ts_node_child_by_field_id(a, SYM.f_object);
  return node_is(obj, SYM.identifier) && (node_text_eq(src, obj, "self") || node_text_eq(src, obj, "cls"));
}

static void record_keys(FileResult *fr, const Model *m, const Options *opt) {
  size_t n = model_ncalls(m), k = 0;
  if (!n) return;
  fr->keys = arena_alloc(fr->arena, n * (MAX_KEYS_PER_CALL + 1) * sizeof(KeyUse));
  RuleCtx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.model = m;
  ctx.src = &fr->src;
  ctx.arena = fr->arena;
  ctx.opt = opt;
  static const char *const zpops[] = {"zpopmin", "zpopmax", "bzpopmin", "bzpopmax",
                                      "zremrangebyrank", "zremrangebyscore", "zrem", NULL};
  static const char *const lpops[] = {"lpop", "rpop", "blpop", "brpop", "lmove", "blmove",
                                      "rpoplpush", "brpoplpush", "ltrim", "lmpop", "blmpop", NULL};
  for (size_t i = 0; i < n; i++) {
    const CallSite *cs = model_call(m, i);
    if (!cs->cmd) continue;
    if (opaque_key_holder(&fr->src, cs)) {
      if (call_method_in(cs, zpops)) fr->opaque_consumer |= CONSUMES_ZSET;
      if (call_method_in(cs, lpops)) fr->opaque_consumer |= CONSUMES_LIST;
    }
    KeyTpl keys[MAX_KEYS_PER_CALL + 1];
    keys[0] = cs->key;
    size_t nk = 1 + extra_keys(m, cs, keys + 1);
    for (size_t j = 0; j < nk; j++) {
      if (!keys[j].text || keys[j].opaque) continue;
      KeyUse *u = &fr->keys[k++];
      fill_use(u, fr, &ctx, cs, keys[j].text);
    }
  }
  fr->nkeys = k;
}

static void fill_use(KeyUse *u, FileResult *fr, RuleCtx *ctx, const CallSite *cs, const char *key) {
  u->key = arena_strdup(fr->arena, key);
  u->method = arena_strdup(fr->arena, cs->method);
  u->command = cs->cmd->name;
  u->cmd_flags = cs->cmd->flags;
  const Function *f = model_function(ctx->model, cs->func);
  u->func = f ? arena_strdup(fr->arena, f->name) : NULL;
  u->ttl = rule_ttl_text(ctx, cs);
  u->recv = arena_strdup(fr->arena, cs->recv_text);
  u->start = ts_node_start_byte(cs->node);
  u->end = ts_node_end_byte(cs->node);
}

static void lint_file(Run *r, TSParser *p, size_t i);
static void lint_script(Run *r, size_t i);

/* A file's new cache entry, added to the cache in file order after the run. */
static void cache_entry_free_later(FileWork *w, CacheEntry *e) { w->entry = e; }

static void job_lint(Run *r, TSParser *p, size_t i) {
  FileResult *fr = &r->out->files[i];
  FileWork *w = &r->work[i];
  if (!fr->loaded) return;
  if (w->hit && !cache_entry_has_results(w->hit)) { /* nothing to restore, no text needed */
    fr->arena = arena_new();
    cache_restore(w->hit, fr, &w->diags); /* the cluster-client flag */
    return;
  }
  if (!reload(r, i)) return;
  fr->arena = arena_new();
  if (w->hit) { /* the results of these very bytes, against the same index */
    cache_restore(w->hit, fr, &w->diags);
    if (!fr->nfindings && !fr->nkeys && !fr->nsupp) source_release(&fr->src);
    return;
  }
  index_importer(w->module);
  if (w->script) lint_script(r, i);
  else lint_file(r, p, i);
  index_importer(NULL);
  /* the per-file results, before the project rules weigh them: the entry is
     the same whether the file was named or context (both are computed) */
  if (w->rel) {
    cache_entry_free_later(w, cache_entry_new(w->rel, w->hash, w->pyver, fr, &w->diags, w->ex,
                                              w->nex, w->defined, INDEX_MAX_DISTINCT));
    if (w->sig[0]) cache_entry_set_stat(w->entry, w->sig);
    if (w->test_code) cache_entry_set_test(w->entry);
  }
  if (!fr->nfindings && !fr->nkeys && !fr->ncalls && !fr->nsupp && !fr->nunresolved)
    source_release(&fr->src);
}

/* The per-file pass of a Lua script file: the rules that read scripts. */
static void lint_script(Run *r, size_t i) {
  FileResult *fr = &r->out->files[i];
  if (!fr->src.raw || !redis_script_text(&fr->src)) return;
  Vec found;
  vec_init(&found, sizeof(Finding));
  RuleCtx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.src = &fr->src;
  ctx.opt = r->opt;
  ctx.arena = fr->arena;
  ctx.findings = &found;
  ctx.pyver = &fr->pyver;
  for (size_t k = 0; k < rules_count(); k++) {
    const Rule *rule = rules_at(k);
    if (!r->opt->enabled[k] || !rule->impl || !rule->impl->check_script) continue;
    ctx.rule = rule;
    rule->impl->check_script(&ctx);
  }
  store_findings(fr, &found);
  vec_free(&found);
}

/* The per-file pass of a file that the cache did not answer. */
static void lint_file(Run *r, TSParser *p, size_t i) {
  FileResult *fr = &r->out->files[i];
  FileWork *w = &r->work[i];
  bool modelled = w->model || w->relevant || index_mentioned_in(r->index, fr->src.text, fr->src.len) ||
                  (w->module && index_called(r->index, w->module));
  bool supp = suppress_maybe(&fr->src);
  if (!modelled && !supp) {
    /* nothing in it names Redis, calls a Redis-only method or uses what the
     * project exports, and it has no suppression comment: no rule can say
     * anything about it, so it is not even parsed (most files of a big
     * project; this is what keeps a run cheaper than parsing everything) */
    return;
  }
  TSTree *tree = w->tree ? w->tree : parse(p, &fr->src);
  w->tree = NULL;
  TSNode root = ts_tree_root_node(tree);
  if (ts_node_has_error(root)) { /* a context file's diagnostics are dropped in finish() */
    fr->parse_errors = true;
    diags_add(&w->diags, DIAG_WARNING, fr->src.path, first_error_line(root),
              "syntax error at line %u; findings after it may be incomplete",
              first_error_line(root));
  }
  if (modelled) {
    Vec found;
    vec_init(&found, sizeof(Finding));
    Arena *scratch = w->marena ? w->marena : arena_new();
    Model *m = w->model ? w->model : model_build(scratch, &fr->src, tree, w->module, r->index);
    if (w->model && w->stale) model_refresh(m, r->index); /* the last round changed the index */
    w->model = NULL;
    w->marena = NULL;
    for (size_t k = 0; k < model_nctors(m) && !fr->cluster_client; k++) {
      const Ctor *c = model_ctor(m, k);
      fr->cluster_client = c->v.kind == OBJ_CLIENT && c->v.cluster;
    }
    /* context files too: project rules weigh every file's findings (RL203
     * reports a key once, at its first push in the project) */
    run_rules(r, fr, m, &found);
    store_findings(fr, &found);
    if (r->opt->list_calls) record_calls(fr, m);
    if (r->opt->list_unresolved) record_unresolved(fr, m);
    record_keys(fr, m, r->opt);
    vec_free(&found);
    model_free(m);
    arena_delete(scratch);
  }
  /* context files too (unused: only named files apply suppressions), so that
     the cached results of a file do not depend on how it was named */
  if (supp) fr->nsupp = suppress_scan(fr->arena, &fr->src, tree, r->opt->bare_noqa, &fr->supp);
  ts_tree_delete(tree);
}

/* ---------------------------------------------------------------- threads */

/* REDISLINT_PROGRESS_DELAY_MS: how long a run goes before it shows progress
 * (default 1000). */
static long progress_delay_ms(void) {
  const char *e = getenv("REDISLINT_PROGRESS_DELAY_MS");
  char *end;
  long v = e && *e ? strtol(e, &end, 10) : -1;
  return e && *e && !*end && v >= 0 ? v : 1000;
}

static long elapsed_ms(const Run *r) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long)(now.tv_sec - r->t0.tv_sec) * 1000 + (now.tv_nsec - r->t0.tv_nsec) / 1000000;
}

/* "redislint: linting 120/851 files" on the terminal, rewritten in place at
 * most 10 times a second, once the run has taken longer than delay_ms. */
static void progress_tick(Run *r) {
  size_t done = atomic_fetch_add(&r->done, 1) + 1;
  if (!r->opt->progress) return;
  long now = elapsed_ms(r);
  if (now < r->delay_ms) return;
  long last = atomic_load(&r->shown_ms);
  if (last >= 0 && now - last < 100 && done != r->files->len) return;
  if (!atomic_compare_exchange_strong(&r->shown_ms, &last, now)) return; /* another thread does */
  pthread_mutex_lock(&r->out_mu);
  fprintf(r->opt->progress, "\r\033[Kredislint: %s %zu/%zu files", r->phase, done, r->files->len);
  fflush(r->opt->progress);
  pthread_mutex_unlock(&r->out_mu);
}

static void *worker(void *arg) {
  Run *r = arg;
  TSParser *p = ts_parser_new();
  ts_parser_set_language(p, tree_sitter_python());
  for (;;) {
    size_t i = atomic_fetch_add(&r->next, 1);
    if (i >= r->files->len) break;
    r->job(r, p, i);
    progress_tick(r);
  }
  ts_parser_delete(p);
  return NULL;
}

/* Runs job on every file, on up to --jobs threads; as many as there are
 * files that busy() says need real work, at most (all when busy is NULL):
 * cache hits cost microseconds each, less than what a thread costs to start
 * and what threads cost each other in the allocator. */
static void run_parallel(Run *r, void (*job)(Run *, TSParser *, size_t), const char *phase,
                         bool (*busy)(const Run *, size_t)) {
  int n = r->opt->jobs < 1 ? 1 : r->opt->jobs;
  size_t work = r->files->len;
  if (busy) {
    work = 0;
    for (size_t i = 0; i < r->files->len && work < (size_t)n; i++) work += busy(r, i);
  }
  if ((size_t)n > work) n = work ? (int)work : 1;
  r->job = job;
  r->phase = phase;
  atomic_store(&r->next, 0);
  atomic_store(&r->done, 0);
  if (n == 1) {
    worker(r);
    return;
  }
  pthread_t *t = xcalloc((size_t)n, sizeof(pthread_t));
  int started = 0;
  for (; started < n; started++)
    if (pthread_create(&t[started], NULL, worker, r) != 0) break;
  if (started == 0) worker(r); /* could not start threads: do the work here */
  for (int k = 0; k < started; k++) pthread_join(t[k], NULL);
  free(t);
}

/* Which files a phase has real work for (run_parallel). */
static bool load_busy(const Run *r, size_t i) { return !r->out->files[i].loaded; }
static bool lint_busy(const Run *r, size_t i) {
  return r->out->files[i].loaded && !r->work[i].hit;
}
static bool model_busy(const Run *r, size_t i) {
  const FileWork *w = &r->work[i];
  if (w->deferred) return !w->modelled || w->stale;
  return (w->tree || w->relevant) && (!w->model || w->stale); /* as job_model_file decides */
}

/* The files whose stat signature the cache records, on this thread before
 * any worker starts: an unchanged project costs no thread at all. */
static void cache_hits_first(Run *r) {
  if (!r->cache || !r->lookup) return;
  for (size_t i = 0; i < r->files->len; i++) {
    const char *path = r->files->paths[i];
    bool overridden = false;
    for (size_t k = 0; k < r->opt->noverrides; k++) overridden |= !strcmp(r->opt->overrides[k].path, path);
    if (!overridden && strcmp(path, "-")) cache_fast_hit(r, i, true);
  }
}

/* ---------------------------------------------------------------- index */

/* Exports of relevant files, in rounds until stable: a module's exports can
 * depend on another module's (re-exports, factories calling factories). All
 * project modules are registered first, so a model knows whether it resolved
 * anything against the project; only those models are rebuilt in later
 * rounds, and the last model of every relevant file is kept for the rules. */
static void build_index(Run *r) {
  for (size_t i = 0; i < r->files->len; i++) {
    FileWork *w = &r->work[i];
    if (w->module) index_add_module(r->index, w->module);
    index_add_defined(r->index, w->defined, w->test_code);
    if (w->hit) { /* what it exported last time stands: no model */
      w->nex = cache_entry_exports(w->hit, &w->ex);
      if (w->nex) index_set_exports(r->index, w->module, w->ex, w->nex);
    } else if (w->nex && !w->relevant) { /* a file not modelled: its `import *` lines */
      index_set_exports(r->index, w->module, w->ex, w->nex);
    }
  }
  for (int round = 0; round < 4; round++) {
    index_seal(r->index);
    run_parallel(r, job_model, "indexing", model_busy);
    index_changes_reset(r->index);
    bool changed = false;
    for (size_t i = 0; i < r->files->len; i++) {
      FileWork *w = &r->work[i];
      if (w->deferred) {
        if (w->fresh) changed |= index_set_exports(r->index, w->module, w->ex, w->nex);
        w->fresh = false;
        continue;
      }
      Model *m = w->model;
      if (!m) continue;
      keep_exports(w, m); /* kept (copied) for the index and the result cache */
      changed |= index_set_exports(r->index, w->module, w->ex, w->nex);
    }
    index_seal(r->index);
    /* files that call a function of the project that builds clients are
       modelled too: where they call it from is an index fact; and files
       that bind a module-level name from what the project exports
       (`sentinel = Sentinel()` of a class with client members, in a module
       that never says redis): what they export in turn is one for others */
    uint64_t heads = index_heads_sum(r->index);
    bool builders = index_nbuilders(r->index) > 0, wants = index_nwanted(r->index) > 0;
    for (size_t i = 0; i < r->files->len && (builders || heads || wants); i++) {
      FileWork *w = &r->work[i];
      FileResult *fr = &r->out->files[i];
      if (w->relevant || w->hit || !fr->loaded) continue;
      bool for_builders = builders && !w->caller_checked, for_heads = heads && w->heads_checked != heads;
      /* a module whose class a model asked about (a base keeping a
         constructor's parameter, an instance's class) */
      bool wanted = wants && w->module && index_wanted(r->index, w->module);
      if (!for_builders && !for_heads && !wanted) continue;
      w->caller_checked |= for_builders;
      w->heads_checked = heads;
      bool binds = wanted || (for_heads && binds_from_head(r, i));
      if (!binds && !for_builders) continue;
      if (!reload(r, i)) continue;
      bool by_builder = !binds && index_mentions_builder(r->index, fr->src.text, fr->src.len);
      if (binds || by_builder) {
        w->by_want = wanted && !by_builder && !(for_heads && binds_from_head(r, i));
        /* modelled from now on like a file relevant from the start: its tree
           and model are kept for the rules while they fit the budget (no
           second parse in pass 2), else it is parsed again when needed */
        w->relevant = true;
        w->deferred = !keep_tree(r, fr->src.len);
        changed = true;
      } else if (strcmp(r->files->paths[i], "-") != 0) {
        source_release(&fr->src);
      }
    }
    if (!changed) break;
    /* the index changed: models that looked at it must be analysed again */
    for (size_t i = 0; i < r->files->len; i++) {
      FileWork *w = &r->work[i];
      bool looked = (w->model && model_used_index(w->model)) || (w->deferred && w->looked);
      if (looked && index_deps_changed(r->index, &w->deps)) w->stale = true;
    }
  }
}

/* The directory of the nearest pyproject.toml, setup.py or setup.cfg above
 * path (malloc'ed; "" when none): a sub-project of a repository of samples
 * or services, deployed on its own. */
static char *subproject_of(const char *path) {
  static const char *const markers[] = {"pyproject.toml", "setup.py", "setup.cfg"};
  char *d = xstrdup(path);
  char *s = strrchr(d, '/');
  if (!s) {
    d[0] = '\0';
    return d;
  }
  *s = '\0';
  for (;;) {
    for (size_t k = 0; k < sizeof markers / sizeof *markers; k++) {
      size_t n = strlen(d) + strlen(markers[k]) + 2;
      char *f = xmalloc(n);
      snprintf(f, n, "%s/%s", d[0] ? d : "/", markers[k]);
      struct stat st;
      bool found = stat(f, &st) == 0 && S_ISREG(st.st_mode);
      free(f);
      if (found) return d;
    }
    if (!(s = strrchr(d, '/'))) break;
    *s = '\0';
  }
  d[0] = '\0';
  return d;
}

/* Cluster mode per file: a RedisCluster built in one sub-project (its own
 * pyproject.toml, setup.py or setup.cfg) says nothing of a sibling's
 * standalone server. Directories are only looked at when some file builds
 * a cluster client and --cluster is not given. */
static void cluster_modes(LintRun *self, const Options *opt) {
  if (opt->cluster || !self->cluster) {
    for (size_t i = 0; i < self->nfiles; i++) self->files[i].cluster_mode = self->cluster;
    return;
  }
  char **sub = xcalloc(self->nfiles + 1, sizeof(char *));
  StrSet clustered = {0};
  for (size_t i = 0; i < self->nfiles; i++) {
    const char *p = self->files[i].src.path;
    sub[i] = subproject_of(p ? p : "");
    if (self->files[i].cluster_client) strset_add(&clustered, sub[i], strlen(sub[i]));
  }
  for (size_t i = 0; i < self->nfiles; i++) {
    self->files[i].cluster_mode = strset_has(&clustered, sub[i], strlen(sub[i]));
    free(sub[i]);
  }
  free(sub);
  strset_free(&clustered);
}

/* ---------------------------------------------------------------- public */

static void run_project_rules(Run *r) {
  ProjectCtx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.opt = r->opt;
  ctx.run = r->out;
  for (size_t k = 0; k < rules_count(); k++) {
    const Rule *rule = rules_at(k);
    if (!r->opt->enabled[k] || !rule->impl || !rule->impl->check_project) continue;
    ctx.rule = rule;
    rule->impl->check_project(&ctx);
  }
  for (size_t i = 0; i < r->files->len; i++) {
    FileResult *fr = &r->out->files[i];
    if (fr->nfindings > 1) qsort(fr->findings, fr->nfindings, sizeof(Finding), finding_cmp);
  }
}

Finding *project_report(ProjectCtx *ctx, size_t file, uint32_t start, uint32_t end,
                        Severity sev, const char *fmt, ...) {
  FileResult *fr = &ctx->run->files[file];
  Finding *nf = arena_alloc(fr->arena, (fr->nfindings + 1) * sizeof(Finding));
  if (fr->nfindings) memcpy(nf, fr->findings, fr->nfindings * sizeof(Finding));
  fr->findings = nf;
  Finding *f = &nf[fr->nfindings++];
  ctx->run->nfindings++;
  f->rule = ctx->rule;
  f->severity = sev;
  f->start = start;
  f->end = end;
  va_list ap;
  va_start(ap, fmt);
  char buf[1024];
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  f->message = arena_strdup(fr->arena, buf);
  return f;
}

void project_related(ProjectCtx *ctx, size_t file, Finding *f, size_t other_file, uint32_t start,
                     uint32_t end, const char *msg) {
  Arena *a = ctx->run->files[file].arena;
  Related *nr = arena_alloc(a, (f->nrelated + 1) * sizeof(Related));
  if (f->nrelated) memcpy(nr, f->related, f->nrelated * sizeof(Related));
  Related *rel = &nr[f->nrelated++];
  rel->path = other_file == file ? NULL : arena_strdup(a, ctx->run->files[other_file].src.path);
  rel->start = start;
  rel->end = end;
  rel->message = arena_strdup(a, msg);
  f->related = nr;
}

void project_fix(ProjectCtx *ctx, size_t file, Finding *f, Applicability ap, const char *fmt, ...) {
  va_list va;
  va_start(va, fmt);
  char buf[1024];
  vsnprintf(buf, sizeof buf, fmt, va);
  va_end(va);
  f->fix.title = arena_strdup(ctx->run->files[file].arena, buf);
  f->fix.applicability = ap;
}

void project_filter(ProjectCtx *ctx, bool (*keep)(ProjectCtx *, size_t, const Finding *, void *),
                    void *data) {
  for (size_t i = 0; i < ctx->run->nfiles; i++) {
    FileResult *fr = &ctx->run->files[i];
    size_t k = 0;
    for (size_t j = 0; j < fr->nfindings; j++) {
      if (fr->findings[j].rule == ctx->rule && !keep(ctx, i, &fr->findings[j], data)) {
        ctx->run->nfindings--;
        continue;
      }
      fr->findings[k++] = fr->findings[j];
    }
    fr->nfindings = k;
  }
}

static void finish(Run *r) {
  LintRun *out = r->out;
  for (size_t i = 0; i < r->files->len; i++) {
    if (r->work[i].context) diags_free(&r->work[i].diags); /* not the user's files */
    else diags_move(&out->diags, &r->work[i].diags);
    out->nfindings += out->files[i].nfindings;
    free(r->work[i].module);
    free(r->work[i].rel);
    free(r->work[i].pyver);
    cache_add(NULL, r->work[i].entry); /* frees one the cache did not take */
    exports_free(&r->work[i]);
    index_deps_free(&r->work[i].deps);
    free(r->work[i].rhs);
    if (r->work[i].tree) ts_tree_delete(r->work[i].tree);
    if (r->work[i].model) model_free(r->work[i].model);
    arena_delete(r->work[i].marena);
  }
}

typedef struct PathOrder {
  const char *path; /* as listed ("-" for stdin) */
  const char *key;  /* what it sorts by: the stdin name for "-" */
  size_t from;      /* index in named + context */
} PathOrder;

static int cmp_path_order(const void *a, const void *b) {
  const PathOrder *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : (x->from < y->from ? -1 : x->from > y->from);
}

/* ---------------------------------------------------------------- roles */

/* The rules' policies for test code, example code and one-off scripts
 * (front matter `tests:`, `examples:`, `scripts:`), applied to the finished
 * findings of a file: dropped, or lowered to info. */
static void apply_code_roles(FileResult *fr, const Options *opt) {
  if (!fr->loaded || !fr->nfindings) return;
  CodeRole file = code_role(&fr->src, opt);
  uint32_t(*blocks)[2] = NULL;
  size_t nblocks = file == CODE_PRODUCTION ? main_blocks(&fr->src, &blocks) : 0;
  if (file == CODE_PRODUCTION && !nblocks) return;
  size_t out = 0;
  for (size_t k = 0; k < fr->nfindings; k++) {
    Finding *f = &fr->findings[k];
    CodeRole role = file;
    for (size_t b = 0; b < nblocks && role == CODE_PRODUCTION; b++)
      if (f->start >= blocks[b][0] && f->start < blocks[b][1]) role = CODE_SCRIPT;
    RolePolicy p = !f->rule || role == CODE_PRODUCTION ? ROLE_SAME
                   : role == CODE_TEST                 ? f->rule->on_tests
                   : role == CODE_EXAMPLE              ? f->rule->on_examples
                                                       : f->rule->on_scripts;
    if (p == ROLE_SILENT) continue;
    if (p == ROLE_INFO) f->severity = SEV_INFO;
    fr->findings[out++] = *f;
  }
  fr->nfindings = out;
  free(blocks);
}

/* A client built on every call (RL401) that also has no socket timeout
 * (RL402) is one construction with two facts: one finding, not two code
 * frames on one line. The RL402 fact joins RL401's message (the fix that
 * matters first is to build the client once); after the suppressions, so
 * that silencing one rule still shows the other. */
static void merge_construction_findings(FileResult *fr) {
  size_t out = 0;
  for (size_t k = 0; k < fr->nfindings; k++) {
    Finding *f = &fr->findings[k];
    if (f->rule && !strcmp(f->rule->code, "RL402")) {
      Finding *pc = NULL;
      for (size_t j = 0; j < fr->nfindings && !pc; j++) {
        Finding *g = &fr->findings[j];
        if (g->rule && !strcmp(g->rule->code, "RL401") && g->start == f->start && g->end == f->end)
          pc = g;
      }
      if (pc) {
        pc->message = arena_printf(fr->arena, "%s; it has no socket timeout either (%s)",
                                   pc->message, f->message);
        if (f->severity > pc->severity) pc->severity = f->severity;
        continue;
      }
    }
    fr->findings[out++] = *f;
  }
  fr->nfindings = out;
}

/* ---------------------------------------------------------------- cache */

/* The `defined` flags of every file, production and test code apart (as
 * index_add_defined weighs them). */
static void defined_union(const Run *r, bool *u) {
  memset(u, 0, 2 * INDEX_MAX_DISTINCT * sizeof(bool));
  for (size_t i = 0; i < r->files->len; i++) {
    if (!r->out->files[i].loaded) continue;
    bool *half = u + (r->work[i].test_code ? INDEX_MAX_DISTINCT : 0);
    for (size_t k = 0; k < INDEX_MAX_DISTINCT; k++) half[k] |= r->work[i].defined[k];
  }
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* May the cached results stand? They were computed against the project
 * index of the last run; they stand while that index is the same: every
 * changed file exports what it exported, no file came or went (the module
 * set), and the project defines the same Redis-only method names. Otherwise
 * the run starts again without them. */
static bool cache_stale(const Run *r) {
  bool any = false;
  for (size_t i = 0; i < r->files->len && !any; i++) any = r->work[i].hit != NULL;
  if (!any) return false; /* nothing reused: nothing to doubt */
  const char **now = xcalloc(r->files->len + 1, sizeof(char *));
  size_t n = 0;
  bool stale = false;
  for (size_t i = 0; i < r->files->len && !stale; i++) {
    const FileWork *w = &r->work[i];
    if (!r->out->files[i].loaded || !w->rel) continue;
    now[n++] = w->rel;
    if (w->hit) continue;
    if (!w->old) {
      stale = true; /* a new module */
      break;
    }
    Export *ox;
    size_t on = cache_entry_exports(w->old, &ox);
    stale = !cache_exports_equal(w->ex, w->nex, ox, on);
    cache_exports_free(ox, on);
  }
  if (!stale) { /* a file of the last run that is gone */
    qsort(now, n, sizeof(char *), cmp_str);
    for (size_t k = 0; k < cache_npaths(r->cache) && !stale; k++) {
      const char *p = cache_path_at(r->cache, k);
      stale = !bsearch(&p, now, n, sizeof(char *), cmp_str);
    }
  }
  if (!stale) {
    bool u[2 * INDEX_MAX_DISTINCT], was[2 * INDEX_MAX_DISTINCT];
    defined_union(r, u);
    stale = !cache_defined(r->cache, was, 2 * INDEX_MAX_DISTINCT) || memcmp(u, was, sizeof u) != 0;
  }
  free(now);
  return stale;
}

/* The entries of this run, in file order: kept ones for files the cache
 * answered, new ones for the others (an editor's buffer read from stdin
 * keeps the entry of the file on disk). */
static void cache_write(Run *r) {
  size_t kept = 0, added = 0;
  for (size_t i = 0; i < r->files->len; i++) {
    FileWork *w = &r->work[i];
    if (!w->rel) continue;
    /* an editor's buffer keeps the entry of the file on disk; without one,
       it gives its own (else the next run would see a new module) */
    if (w->hit && w->sig[0] &&
        (!cache_entry_stat(w->hit) || strcmp(cache_entry_stat(w->hit), w->sig))) {
      /* the same bytes, now settled (or moved, as a checkout does): the
         entry records the new signature, so the next run need not read them */
      cache_keep_stat(r->cache, w->rel, w->sig);
      added++;
    } else if (w->hit || (!strcmp(r->files->paths[i], "-") && w->old)) {
      cache_keep(r->cache, w->rel);
      kept += w->old != NULL;
    } else if (w->entry) {
      cache_add(r->cache, w->entry);
      w->entry = NULL;
      added++;
    }
  }
  /* every file answered by the cache, none gone: it says it all already */
  if (!added && r->lookup && kept == cache_npaths(r->cache)) return;
  bool u[2 * INDEX_MAX_DISTINCT];
  defined_union(r, u);
  char err[512];
  /* a cache that cannot be written (a read-only checkout) costs the next run
     time, not correctness: not worth a warning on every run */
  (void)cache_save(r->cache, u, 2 * INDEX_MAX_DISTINCT, err, sizeof err);
}

#define LINT_STALE 1

static int lint_run_once(LintRun *self, const FileList *files, const Options *opt, char *stdin_buf,
                         size_t stdin_len, const char *stdin_name, ResultCache *cache, bool lookup) {
  char msg[256];
  memset(self, 0, sizeof *self);
  if (model_init(msg, sizeof msg) != 0) {
    diags_add(&self->diags, DIAG_ERROR, NULL, 0, "%s", msg);
    return -1;
  }
  /* the named files and the rest of their project (opt->context), in path
   * order as a run on the whole project has them (project rules weigh files
   * in that order); the context files are dropped before returning, and the
   * named ones keep the FileList's order */
  FileList all = {0};
  size_t nnamed = files->len, nctx = opt->context ? opt->context->len : 0;
  size_t *named_at = NULL; /* position of named file k in `all` */
  bool *is_named = NULL;
  if (nctx) {
    all.len = all.cap = nnamed + nctx;
    PathOrder *po = xcalloc(all.len, sizeof(PathOrder));
    for (size_t i = 0; i < all.len; i++) {
      const char *p = i < nnamed ? files->paths[i] : opt->context->paths[i - nnamed];
      po[i] = (PathOrder){p, strcmp(p, "-") ? p : (stdin_name ? stdin_name : "<stdin>"), i};
    }
    qsort(po, all.len, sizeof(PathOrder), cmp_path_order);
    all.paths = xcalloc(all.len, sizeof(char *));
    all.walked = xcalloc(all.len, sizeof(bool));
    named_at = xcalloc(nnamed + 1, sizeof(size_t));
    is_named = xcalloc(all.len, sizeof(bool));
    for (size_t i = 0; i < all.len; i++) {
      all.paths[i] = (char *)po[i].path;
      all.walked[i] = po[i].from < nnamed && files->walked && files->walked[po[i].from];
      if (po[i].from < nnamed) {
        named_at[po[i].from] = i;
        is_named[i] = true;
      }
    }
    free(po);
    files = &all;
  }
  Run r;
  memset(&r, 0, sizeof r);
  r.out = self;
  r.files = files;
  r.opt = opt;
  r.stdin_buf = stdin_buf;
  r.stdin_len = stdin_len;
  r.stdin_name = stdin_name ? stdin_name : "<stdin>";
  r.cache = cache;
  r.lookup = lookup;
  self->nfiles = files->len;
  self->files = xcalloc(files->len ? files->len : 1, sizeof(FileResult));
  r.work = xcalloc(files->len ? files->len : 1, sizeof(FileWork));
  for (size_t i = 0; is_named && i < files->len; i++) r.work[i].context = !is_named[i];
  r.index = index_new();
  PyVerCache *pv = opt->pyver_set ? NULL : pyver_cache_new();
  for (size_t i = 0; i < files->len; i++) {
    const char *path = files->paths[i];
    if (!strcmp(path, "-")) path = r.stdin_name;
    self->files[i].pyver = pv ? pyver_for_file(pv, path) : opt->pyver;
  }
  atomic_store(&r.kept, 0);
  r.budget = tree_budget();
  clock_gettime(CLOCK_MONOTONIC, &r.t0);
  atomic_store(&r.shown_ms, -1L);
  r.delay_ms = progress_delay_ms();
  pthread_mutex_init(&r.out_mu, NULL);
  cache_hits_first(&r);
  run_parallel(&r, job_load, "reading", load_busy);
  /* every file answered by the cache: no model is built, and nothing else
     asks the index (the project rules weigh the files' results) */
  bool all_hits = r.cache && r.lookup;
  for (size_t i = 0; i < files->len && all_hits; i++)
    all_hits = !self->files[i].loaded || r.work[i].hit;
  if (!all_hits) build_index(&r);
  index_seal(r.index);
  bool stale = r.cache && r.lookup && cache_stale(&r);
  if (!stale) run_parallel(&r, job_lint, "linting", lint_busy);
  if (opt->progress && atomic_load(&r.shown_ms) >= 0) { /* leave the line clean */
    fputs("\r\033[K", opt->progress);
    fflush(opt->progress);
  }
  pthread_mutex_destroy(&r.out_mu);
  if (!stale && r.cache) cache_write(&r);
  finish(&r);
  if (stale) { /* the caller starts again without the cache's answers */
    free(all.paths);
    free(all.walked);
    free(named_at);
    free(is_named);
    self->pyver_cache = pv;
    index_delete(r.index);
    free(r.work);
    return LINT_STALE;
  }
  self->cluster = opt->cluster;
  for (size_t i = 0; i < self->nfiles; i++) self->cluster |= self->files[i].cluster_client;
  cluster_modes(self, opt);
  run_project_rules(&r);
  if (is_named) { /* the context files go; the named ones in the FileList's order */
    FileResult *kept = xcalloc(nnamed + 1, sizeof(FileResult));
    for (size_t k = 0; k < nnamed; k++) kept[k] = self->files[named_at[k]];
    for (size_t i = 0; i < self->nfiles; i++) {
      if (is_named[i]) continue;
      if (self->files[i].loaded) source_free(&self->files[i].src);
      arena_delete(self->files[i].arena);
    }
    free(self->files);
    self->files = kept;
    self->nfiles = nnamed;
  }
  free(all.paths); /* the paths themselves are the callers' */
  free(all.walked);
  free(named_at);
  free(is_named);
  for (size_t i = 0; i < self->nfiles; i++) apply_code_roles(&self->files[i], opt);
  const Rule *rl001 = rules_find("RL001");
  bool report = rl001 && opt->enabled[rules_index(rl001)];
  self->nfindings = 0;
  for (size_t i = 0; i < self->nfiles; i++) {
    suppress_apply(&self->files[i], report, opt->enabled);
    merge_construction_findings(&self->files[i]);
    self->nfindings += self->files[i].nfindings;
  }
  self->pyver_cache = pv;
  index_delete(r.index);
  free(r.work);
  return 0;
}

/* The working directory relative to the project root ("" at the root), or
 * the whole directory outside it: messages name paths as run from there. */
static char *cwd_rel(const Project *pj) {
  const char *root = pj->roots[0], *cwd = pj->cwd ? pj->cwd : "";
  size_t n = strlen(root);
  if (!strncmp(cwd, root, n) && (cwd[n] == '/' || !cwd[n])) return xstrdup(cwd + n + (cwd[n] == '/'));
  return xstrdup(cwd);
}

int lint_run(LintRun *self, const FileList *files, const Options *opt, char *stdin_buf,
             size_t stdin_len, const char *stdin_name) {
  ResultCache *cache = NULL;
  /* one project root (entries are named relative to it); not for `calls`
     and not for --fix's passes over edited buffers */
  if (opt->cache_dir && opt->project && opt->project->nroots == 1 && !opt->noverrides &&
      !opt->list_calls && !opt->list_unresolved) {
    char *rel = cwd_rel(opt->project);
    cache = cache_open(opt->cache_dir, cache_options_key(opt, rel));
    free(rel);
  }
  int rc = lint_run_once(self, files, opt, stdin_buf, stdin_len, stdin_name, cache, true);
  if (rc == LINT_STALE) {
    lint_run_free(self);
    rc = lint_run_once(self, files, opt, stdin_buf, stdin_len, stdin_name, cache, false);
  }
  cache_close(cache);
  return rc;
}

void lint_run_free(LintRun *self) {
  for (size_t i = 0; i < self->nfiles; i++) {
    if (self->files[i].loaded) source_free(&self->files[i].src);
    arena_delete(self->files[i].arena);
  }
  free(self->files);
  diags_free(&self->diags);
  pyver_cache_free(self->pyver_cache);
  memset(self, 0, sizeof *self);
}

int lint_buffer(LintRun *self, const char *buf, size_t len, const char *path,
                const Options *opt) {
  FileList fl = {0};
  filelist_push(&fl, "-");
  int rc = lint_run(self, &fl, opt, (char *)buf, len, path);
  filelist_free(&fl);
  return rc;
}
