/* RL205 numbered-databases: the project splits its data over logical
 * databases (SELECT n). They share one server's memory, eviction policy and
 * persistence, FLUSHALL wipes them all, and Redis Cluster only has db 0.
 *
 * Per file, every client or pool construction with a known database number
 * becomes a provisional finding whose key is the number ("3"), and every
 * cluster client one whose key is "cluster". The project pass decides. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../lint.h"
#include "conn.h"

#define CLUSTER_KEY "cluster"
#define DB_UNKNOWN -1

static long literal_db(RuleCtx *ctx, TSNode n) {
  if (!node_is(n, SYM.integer)) return DB_UNKNOWN;
  const char *t = ctx_text(ctx, n);
  char *end;
  long v = strtol(t, &end, 10);
  return *end || v < 0 ? DB_UNKNOWN : v;
}

/* Database of a redis URL: "redis://h:6379/4", "unix:///tmp/r.sock?db=2";
 * 0 when the URL names none. */
static long url_db(const char *url) {
  const char *q = strstr(url, "db=");
  if (q && (q[-1] == '?' || q[-1] == '&')) return isdigit((unsigned char)q[3]) ? strtol(q + 3, NULL, 10) : DB_UNKNOWN;
  const char *s = strstr(url, "://");
  if (!s || strncmp(url, "unix", 4) == 0) return 0;
  const char *path = strchr(s + 3, '/');
  if (!path || !path[1] || path[1] == '?') return 0;
  if (!isdigit((unsigned char)path[1])) return DB_UNKNOWN;
  char *end;
  long v = strtol(path + 1, &end, 10);
  return (*end == '\0' || *end == '?') ? v : DB_UNKNOWN;
}

/* Does the URL say which database (so db= is ignored)? */
static bool url_names_db(const char *url) {
  const char *q = strstr(url, "db=");
  if (q && (q[-1] == '?' || q[-1] == '&')) return true;
  const char *s = strstr(url, "://");
  const char *path = s ? strchr(s + 3, '/') : NULL;
  return path && isdigit((unsigned char)path[1]);
}

/* The database a construction selects, or DB_UNKNOWN. */
static long construction_db(RuleCtx *ctx, const Ctor *c) {
  TSNode args = c->args;
  TSNode db = call_kwarg(ctx->src, args, "db");
  if (c->from_url) {
    /* redis-py: a database in the URL (path or ?db=) beats the db= keyword */
    const char *url = call_has_splat(args) ? NULL : ctor_url(ctx, c, NULL);
    if (!url || strchr(url, KEY_HOLE)) return DB_UNKNOWN;
    long in_url = url_db(url);
    if (in_url != 0 || ts_node_is_null(db)) return in_url;
    return url_names_db(url) ? 0 : literal_db(ctx, db);
  }
  /* redis-py: given a pool, the client takes the pool's connections and
     ignores db= (`Redis(connection_pool=pool, db=1)` stays on the pool's) */
  if (!ts_node_is_null(call_kwarg(ctx->src, args, "connection_pool"))) return DB_UNKNOWN;
  if (!ts_node_is_null(db)) return literal_db(ctx, db);
  if (ctor_is_sentinel_child(ctx, c))
    return DB_UNKNOWN; /* Sentinel: the db comes from connection_kwargs */
  if (call_has_splat(args) || !ts_node_is_null(call_kwarg(ctx->src, args, "connection_pool")))
    return DB_UNKNOWN;
  if (c->v.kind == OBJ_CLIENT) {
    TSNode third = call_arg(args, 2); /* Redis(host, port, db) */
    if (!ts_node_is_null(third)) return literal_db(ctx, third);
  }
  return 0;
}

/* Every client or pool construction (the model lists them). */
static void check(RuleCtx *ctx) {
  if (in_test_code(ctx->src, ctx->opt)) return; /* tests pick a throwaway database on purpose */
  for (size_t i = 0; i < model_nctors(ctx->model); i++) {
    const Ctor *c = model_ctor(ctx->model, i);
    if (c->v.kind != OBJ_CLIENT && c->v.kind != OBJ_POOL) continue;
    if (c->v.cluster) {
      Finding *f = rule_report(ctx, c->node, SEV_ERROR, "Redis Cluster client");
      f->key = CLUSTER_KEY;
      continue;
    }
    long db = construction_db(ctx, c);
    if (db == DB_UNKNOWN) continue;
    Finding *f = rule_report(ctx, c->node, SEV_INFO, "database %ld", db);
    f->key = arena_printf(ctx->arena, "%ld", db);
  }
}

/* ---- project pass ------------------------------------------------------ */

typedef struct Site {
  size_t file;
  Finding *f;
  long db; /* -2 for a cluster client */
} Site;

/* "line 12" in the reporting file, "app/cache.py:12" elsewhere. */
static const char *where(ProjectCtx *ctx, size_t from, const Site *s) {
  FileResult *fr = &ctx->run->files[s->file];
  Arena *a = ctx->run->files[from].arena;
  unsigned line = line_of(&fr->src, s->f->start);
  return from == s->file ? arena_printf(a, "line %u", line)
                         : arena_printf(a, "%s:%u", fr->src.path, line);
}

static const char *const FIX =
    "Keep one database and separate the data with key prefixes (`cache:`, `sess:`), or use "
    "separate Redis instances where the data needs its own eviction policy or persistence";

static bool keep(ProjectCtx *ctx, size_t file, const Finding *f, void *data) {
  (void)ctx, (void)file, (void)data;
  return f->key == NULL; /* the pass below clears the key of what it keeps */
}

static void check_project(ProjectCtx *ctx) {
  Site *sites = NULL;
  size_t n = 0, cap = 0;
  for (size_t fi = 0; fi < ctx->run->nfiles; fi++) {
    FileResult *fr = &ctx->run->files[fi];
    for (size_t k = 0; k < fr->nfindings; k++) {
      Finding *f = &fr->findings[k];
      if (f->rule != ctx->rule || !f->key) continue;
      if (n == cap) sites = xrealloc(sites, (cap = cap ? cap * 2 : 16) * sizeof *sites);
      sites[n++] = (Site){fi, f, strcmp(f->key, CLUSTER_KEY) ? strtol(f->key, NULL, 10) : -2};
    }
  }
  const Site *cluster = NULL;
  for (size_t i = 0; i < n && !cluster; i++)
    if (sites[i].db == -2) cluster = &sites[i];
  /* first site of each database number */
  size_t firsts[64], nfirst = 0;
  for (size_t i = 0; i < n; i++) {
    if (sites[i].db < 0) continue;
    bool seen = false;
    for (size_t j = 0; j < nfirst && !seen; j++) seen = sites[firsts[j]].db == sites[i].db;
    if (!seen && nfirst < 64) firsts[nfirst++] = i;
  }
  if (cluster) {
    for (size_t i = 0; i < n; i++) {
      Site *s = &sites[i];
      if (s->db <= 0) continue;
      Arena *a = ctx->run->files[s->file].arena;
      s->f->severity = SEV_ERROR;
      s->f->message = arena_printf(a,
                                   "database %ld selected, but the project also uses Redis "
                                   "Cluster (%s), which only has database 0: SELECT fails there",
                                   s->db, where(ctx, s->file, cluster));
      project_related(ctx, s->file, s->f, cluster->file, cluster->f->start, cluster->f->end,
                      "the cluster client");
      project_fix(ctx, s->file, s->f, FIX_DISPLAY, "%s", FIX);
      s->f->key = NULL;
    }
  } else if (nfirst >= 2) {
    long lowest = sites[firsts[0]].db;
    for (size_t j = 1; j < nfirst; j++)
      if (sites[firsts[j]].db < lowest) lowest = sites[firsts[j]].db;
    for (size_t j = 0; j < nfirst; j++) {
      Site *s = &sites[firsts[j]];
      if (s->db == lowest) continue;
      Arena *a = ctx->run->files[s->file].arena;
      char others[512] = "";
      size_t len = 0, listed = 0;
      for (size_t o = 0; o < nfirst; o++) {
        const Site *t = &sites[firsts[o]];
        if (t == s) continue;
        if (++listed <= 3) {
          int w = snprintf(others + len, sizeof others - len, "%sdatabase %ld (%s)",
                           len ? ", " : "", t->db, where(ctx, s->file, t));
          if (w > 0) len += (size_t)w;
          if (len >= sizeof others) len = sizeof others - 1;
        }
        project_related(ctx, s->file, s->f, t->file, t->f->start, t->f->end,
                        arena_printf(a, "database %ld", t->db));
      }
      if (listed > 3)
        snprintf(others + len, sizeof others - len, " and %zu more", listed - 3);
      s->f->message = arena_printf(a,
                                   "database %ld selected here while the project also uses %s: "
                                   "logical databases share one server's memory, CPU, eviction "
                                   "policy and FLUSHALL, and Redis Cluster supports only database 0",
                                   s->db, others);
      project_fix(ctx, s->file, s->f, FIX_DISPLAY, "%s", FIX);
      s->f->key = NULL;
    }
  }
  free(sites);
  project_filter(ctx, keep, NULL);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/numbered-databases.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_numbered_databases = {
    .check_file = check,
    .check_project = check_project,
};
