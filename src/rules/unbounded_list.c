/* RL203 unbounded-list: a list or sorted set that code pushes to and nothing
 * in the project ever trims, pops, moves, expires or deletes. */
#include <ctype.h>
#include <string.h>

#include "growth.h"

static const char *const LIST_PUSHES[] = {"lpush", "rpush", "lpushx", "rpushx", NULL};
static const char *const LIST_SHRINKERS[] = {
    "ltrim", "lpop", "rpop", "blpop", "brpop", "lmove", "blmove", "rpoplpush", "brpoplpush",
    "lrem", "lmpop", "blmpop", "delete", "unlink", "getdel", "rename", "renamenx", "expire",
    "pexpire", "expireat", "pexpireat", "setex", NULL};
/* Reads that use a sorted set as an index (by score range, by member):
 * `captures of a domain between two dates`. Such a set holds what it
 * indexes, and trimming it would drop search results. A set read only by
 * rank windows (the latest N of a feed) or not at all is what grows. */
static const char *const ZSET_INDEX_READS[] = {
    "zrangebyscore", "zrevrangebyscore", "zrangebylex", "zrevrangebylex", "zscore", "zmscore",
    "zrank", "zrevrank", "zcount", "zlexcount", NULL};
static const char *const ZSET_SHRINKERS[] = {
    "zremrangebyscore", "zremrangebyrank", "zremrangebylex", "zpopmin", "zpopmax", "bzpopmin",
    "bzpopmax", "zrem", "delete", "unlink", "rename", "renamenx", "expire", "pexpire",
    "expireat", "pexpireat", NULL};

#define KEEP_LAST 1000

static void list_fix(RuleCtx *ctx, Finding *f, const CallSite *cs) {
  bool right = cs->method[0] == 'r';
  TSNode k = call_arg(cs->args, 0);
  const char *key = ts_node_is_null(k) ? "key" : ctx_text(ctx, k);
  const char *call = arena_printf(ctx->arena, "%s%s.ltrim(%s, %s)", cs->awaited ? "await " : "",
                                  cs->recv_text, key, right ? "-1000, -1" : "0, 999");
  /* Not on a pipeline: one more command would shift the replies of
   * execute(). Not for a key computed by a call: it would run twice (and
   * `f"log:{today()}"` may name another key the second time). */
  uint32_t at;
  bool edits = result_unused(cs) && !ts_node_is_null(k) && !value_is_pipeline(cs->recv) &&
               cs->recv.kind != OBJ_CLIENT_OR_PIPELINE && !strchr(key, '(') &&
               !strchr(key, '\n') && statement_own_lines(ctx->src, cs->stmt, &at);
  finding_fix(ctx, f, edits ? FIX_UNSAFE : FIX_DISPLAY,
              "Cap it after each push: `%s` keeps the newest %d entries (readers of older "
              "entries lose them), or give the key a TTL",
              call, KEEP_LAST);
  if (edits) fix_add_statement_after(ctx, f, cs->stmt, at, call);
}

static const char *const QUEUE_WORDS[] = {"queue", "queued", "jobs", "tasks", "inbox", "outbox",
                                          "mailbox", "work", "pending", NULL};

/* Is the key's last word a queue's (`emails:queue`, `jobs`, `worker:inbox`)?
 * Not `jobs:dead` (a dead-letter list only grows) nor `job:{}:archive`. */
static bool queue_named(const char *key) {
  const char *end = key + strlen(key), *w = end;
  while (w > key && !isalpha((unsigned char)w[-1])) w--; /* trailing holes, digits */
  end = w;
  while (w > key && isalpha((unsigned char)w[-1])) w--;
  if (w == end) return false;
  char last[16];
  size_t n = (size_t)(end - w);
  if (n >= sizeof last) return false;
  for (size_t i = 0; i < n; i++) last[i] = (char)tolower((unsigned char)w[i]);
  last[n] = '\0';
  for (const char *const *q = QUEUE_WORDS; *q; q++)
    if (!strcmp(last, *q)) return true;
  return false;
}

static void check(RuleCtx *ctx) {
  if (in_test_code(ctx->src, ctx->opt)) return; /* tests push to throwaway lists */
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    bool list = call_method_in(cs, LIST_PUSHES), zset = !strcmp(cs->method, "zadd");
    if ((!list && !zset) || !cs->key.text || cs->key.opaque || !growth_key_specific(cs->key.text))
      continue;
    /* a push at module level, outside any loop, runs once per process: the
       list does not grow with the traffic (a snippet, a seed at start-up) */
    if (cs->func < 0 && cs->loop < 0) continue;
    /* a queue, an inbox, a job list: named for being consumed, by a worker
       this project may not hold (another service, another language) */
    if (list && queue_named(cs->key.text)) continue;
    Finding *f = rule_report(ctx, cs->node, SEV_WARNING,
                             "%s `%s` only grows: nothing in the project %s, expires or deletes "
                             "it, so it takes memory without bound",
                             list ? "list" : "sorted set", key_display(ctx, &cs->key),
                             list ? "trims, pops or moves from" : "removes members from");
    f->key = arena_strdup(ctx->arena, cs->key.text); /* outlives the model */
    if (list) {
      list_fix(ctx, f, cs);
    } else {
      finding_fix(ctx, f, FIX_DISPLAY,
                  "Cap it after adding: `%s.zremrangebyrank(%s, 0, -%d)` keeps the %d highest "
                  "scores, or give the key a TTL",
                  cs->recv_text, ctx_text(ctx, call_arg(cs->args, 0)), KEEP_LAST + 1, KEEP_LAST);
    }
  }
}

static bool is_zset_finding(const Finding *f) { return strstr(f->message, "sorted set") != NULL; }

#define MAX_GENERIC 64

typedef struct Shrunk {
  StrSet zsets, lists; /* templates the project trims, as sorted sets and as lists */
  /* shrinking templates whose first part is a hole (`{index}|{entry}|captures`,
     the prefix chosen at run time): matched with holes as wildcards */
  const char *generic[MAX_GENERIC];
  bool generic_zset[MAX_GENERIC];
  size_t ngeneric;
} Shrunk;

/* Does template `pat` (holes match one or more characters) match `key`
 * (its holes are text like any other)? Bounded backtracking. */
static bool tpl_match(const char *pat, const char *key, int depth) {
  if (depth > 16) return false;
  for (; *pat; pat++, key++) {
    if (*pat == KEY_HOLE) {
      if (!*key) return false;
      for (const char *k = key + 1; ; k++) {
        if (tpl_match(pat + 1, k, depth + 1)) return true;
        if (!*k) return false;
      }
    }
    if (*pat != *key) return false;
  }
  return !*key;
}

static void collect_generic(const LintRun *run, const char *const *methods, bool zset, Shrunk *s) {
  for (size_t f = 0; f < run->nfiles; f++)
    for (size_t k = 0; k < run->files[f].nkeys && s->ngeneric < MAX_GENERIC; k++) {
      const KeyUse *u = &run->files[f].keys[k];
      if (u->key[0] != KEY_HOLE || !growth_key_specific(u->key)) continue;
      for (const char *const *m = methods; *m; m++)
        if (!strcmp(u->method, *m)) {
          s->generic_zset[s->ngeneric] = zset;
          s->generic[s->ngeneric++] = u->key;
          break;
        }
    }
}

static bool keep(ProjectCtx *ctx, size_t file, const Finding *f, void *data) {
  (void)file;
  (void)ctx;
  const Shrunk *s = data;
  if (!f->key) return true;
  bool zset = is_zset_finding(f);
  if (growth_has(zset ? &s->zsets : &s->lists, f->key)) return false;
  for (size_t i = 0; i < s->ngeneric; i++)
    if (s->generic_zset[i] == zset && tpl_match(s->generic[i], f->key, 0)) return false;
  return true;
}

static void check_project(ProjectCtx *ctx) {
  Shrunk s = {{0}, {0}, {0}, {0}, 0};
  collect_generic(ctx->run, ZSET_SHRINKERS, true, &s);
  collect_generic(ctx->run, LIST_SHRINKERS, false, &s);
  growth_keys_used_by(ctx->run, ZSET_SHRINKERS, &s.zsets);
  growth_keys_used_by(ctx->run, ZSET_INDEX_READS, &s.zsets);
  growth_keys_used_by(ctx->run, LIST_SHRINKERS, &s.lists);
  project_filter(ctx, keep, &s);
  strset_free(&s.zsets);
  strset_free(&s.lists);
  growth_filter(ctx, (const char *const[]){NULL}, true); /* once per key template */
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/unbounded-list.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_unbounded_list = {
    .check_file = check,
    .check_project = check_project,
};
