/* audit_scan.c - the scanner of `redislint audit` (see audit.h).
 *
 * One server, or every primary of a Redis Cluster (SCAN walks one node's
 * keyspace only), walked with SCAN. For each SCAN batch the keys are read in
 * pipelined rounds, one round trip each:
 *   1. TYPE k, MEMORY USAGE k SAMPLES 0, OBJECT ENCODING k, PTTL k;
 *   2. the length by type (STRLEN, LLEN, SCARD, ZCARD, HLEN, XLEN), then
 *      TYPE k again: the key may have been deleted or rewritten meanwhile;
 *   3. only for keys whose type changed between 1 and 2: rounds 1 and 2
 *      again in one, so the stat describes the later value.
 * A key gone before its reads finished (TYPE "none", a nil MEMORY USAGE or
 * OBJECT ENCODING, PTTL -2) is kept as KT_GONE for the report to skip.
 *
 * MEMORY USAGE samples 5 elements of an aggregate by default and
 * extrapolates (2.5% low on a hash of a million fields here); SAMPLES 0
 * measures every element, so the totals are exact, at the price of
 * O(elements) work per key on a server that serves nobody else meanwhile:
 * that hash costs about 0.2 s (Redis 7.0, against 6 ms sampled). Small keys
 * cost the same either way. A key big enough to take longer than the reply
 * timeout ends its node's scan with a timeout error; --rate and --sample
 * bound the load of the whole audit.
 *
 * Only read-only commands: INFO, DBSIZE, SCAN, TYPE, MEMORY USAGE, OBJECT
 * ENCODING, PTTL, the length commands and CLUSTER SHARDS/NODES/MYID (and
 * AUTH/SELECT on connect). Never KEYS, never a write.
 *
 * Memory is linear in the keys: one KeyStat (and its name) per key, an index
 * set per node to drop the duplicates SCAN may return, and buffers the size
 * of one batch. */
#include "audit.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "arena.h"
#include "audit_scan_hook.h"
#include "dl_net.h"
#include "rconn.h"
#include "strset.h"

#define DEFAULT_COUNT 1000

/* The commands a key read may run, for the per-command refusal and error
 * bookkeeping. */
enum {
  C_TYPE, C_MEMORY, C_ENCODING, C_PTTL,
  C_STRLEN, C_LLEN, C_SCARD, C_ZCARD, C_HLEN, C_XLEN,
  C_DBSIZE,
  C_TYPE_AGAIN, /* round 2/3's second TYPE: a change check, not a measurement */
  NCMDS
};
static const char *const cmd_names[NCMDS] = {
    "TYPE", "MEMORY USAGE", "OBJECT ENCODING", "PTTL", "STRLEN", "LLEN", "SCARD", "ZCARD",
    "HLEN", "XLEN", "DBSIZE", "TYPE"};
/* What a refusal of the command costs the report. */
static const char *const cmd_loss[NCMDS] = {
    "", "key sizes are unknown (bytes -1)", "encodings are unknown", "TTLs are unknown",
    "string lengths are unknown", "list lengths are unknown", "set sizes are unknown",
    "sorted set sizes are unknown", "hash sizes are unknown", "stream lengths are unknown",
    "key counts per node are unknown", ""};

typedef struct CmdState {
  bool refused;    /* NOPERM once: not sent again */
  size_t failed;   /* other error replies */
  char first[240]; /* the first of them */
} CmdState;

/* One pipelined command: which key (index into the batch) and what it reads. */
typedef struct Slot {
  size_t key;
  int cmd;
} Slot;

/* Key flags within a batch. */
enum { KF_CHANGED = 1 };

typedef struct Scanner {
  AuditResult *res;
  RConnAuth auth;
  const char *match;
  long count;
  size_t sample;
  double rate;
  FILE *progress;
  long progress_delay_ms;
  struct timespec t0;
  double sent;             /* commands sent, for --rate */
  long last_progress_ms;   /* -1: never shown */
  long long total_hint;    /* sum of DBSIZE, -1 unknown */
  size_t done;             /* keys read, all nodes */
  CmdState cmd[NCMDS];
  size_t gone, changed;
  /* pipelining buffers, one batch big */
  RCmd *cmds;
  Slot *slots;
  redisReply **replies;
  size_t cap;
  unsigned char *kflags;
  size_t kcap;
  /* the keys of the current node, by name (key index + 1; 0 empty) */
  size_t *seen;
  size_t seen_cap, seen_n;
} Scanner;

static AuditScanHook test_hook;
static void *test_hook_arg;

void audit_scan_set_hook(AuditScanHook fn, void *arg) {
  test_hook = fn;
  test_hook_arg = arg;
}

const char *key_type_name(KeyType t) {
  switch (t) {
  case KT_STRING: return "string";
  case KT_LIST: return "list";
  case KT_SET: return "set";
  case KT_ZSET: return "zset";
  case KT_HASH: return "hash";
  case KT_STREAM: return "stream";
  case KT_OTHER: return "other";
  case KT_GONE: return "gone";
  }
  return "other";
}

static KeyType type_from_reply(const redisReply *r) {
  static const struct {
    const char *name;
    KeyType t;
  } types[] = {{"string", KT_STRING}, {"list", KT_LIST}, {"set", KT_SET}, {"zset", KT_ZSET},
               {"hash", KT_HASH},     {"stream", KT_STREAM}, {"none", KT_GONE}};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (r->len == strlen(types[i].name) && !memcmp(r->str, types[i].name, r->len)) return types[i].t;
  return KT_OTHER; /* a module's type ("ReJSON-RL", "MBbloom--"...) */
}

/* The length command of a type, or -1. */
static int length_cmd(KeyType t) {
  switch (t) {
  case KT_STRING: return C_STRLEN;
  case KT_LIST: return C_LLEN;
  case KT_SET: return C_SCARD;
  case KT_ZSET: return C_ZCARD;
  case KT_HASH: return C_HLEN;
  case KT_STREAM: return C_XLEN;
  default: return -1;
  }
}

/* ------------------------------------------------------------ bookkeeping */

static void add_warning(AuditResult *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_warning(AuditResult *r, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  r->warnings = xrealloc(r->warnings, (r->nwarnings + 1) * sizeof *r->warnings);
  r->warnings[r->nwarnings++] = xstrdup(buf);
}

static void set_fatal(Scanner *s, const char *msg) {
  if (s->res->error) return;
  s->res->error = xstrdup(msg);
}

static long elapsed_ms(const Scanner *s) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long)(now.tv_sec - s->t0.tv_sec) * 1000 + (now.tv_nsec - s->t0.tv_nsec) / 1000000;
}

/* --rate: a round of m commands may start once the commands before it fit
 * the rate since the start; the sleep is computed on CLOCK_MONOTONIC (wall
 * clock steps must not stretch or skip it) and resumed after a signal. */
static void rate_wait(Scanner *s, size_t m) {
  if (s->rate <= 0) return;
  double due = s->sent / s->rate;
  for (;;) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double t = (double)(now.tv_sec - s->t0.tv_sec) + (double)(now.tv_nsec - s->t0.tv_nsec) / 1e9;
    if (t >= due) break;
    double d = due - t;
    struct timespec ts = {(time_t)d, (long)((d - (double)(time_t)d) * 1e9)};
    if (ts.tv_nsec >= 1000000000L) ts.tv_nsec = 999999999L;
    nanosleep(&ts, NULL); /* EINTR: the loop recomputes what is left */
  }
  s->sent += (double)m;
}

/* REDISLINT_PROGRESS_DELAY_MS, as for a lint run: a short audit shows none. */
static long progress_delay(void) {
  const char *e = getenv("REDISLINT_PROGRESS_DELAY_MS");
  char *end;
  long v = e && *e ? strtol(e, &end, 10) : -1;
  return e && *e && !*end && v >= 0 ? v : 1000;
}

/* "redislint: audit: N keys (of ~DBSIZE)", at most 10 times a second. */
static void progress_tick(Scanner *s) {
  if (!s->progress) return;
  long now = elapsed_ms(s);
  if (now < s->progress_delay_ms) return;
  if (s->last_progress_ms >= 0 && now - s->last_progress_ms < 100) return;
  s->last_progress_ms = now;
  if (s->total_hint >= 0)
    fprintf(s->progress, "\r\033[Kredislint: audit: %zu keys (of ~%lld)", s->done, s->total_hint);
  else
    fprintf(s->progress, "\r\033[Kredislint: audit: %zu keys", s->done);
  fflush(s->progress);
}

static void progress_end(Scanner *s) {
  if (!s->progress || s->last_progress_ms < 0) return;
  fputs("\r\033[K", s->progress); /* leave the line clean */
  fflush(s->progress);
}

/* An error reply to a key read: NOPERM stops the command for the rest of the
 * audit (one warning at the end); WRONGTYPE is a key rewritten meanwhile (the
 * second TYPE sees it); anything else is counted, the first one kept. */
static void note_error(Scanner *s, int cmd, const redisReply *r) {
  CmdState *c = &s->cmd[cmd];
  RConnError cls = rconn_reply_class(r);
  if (cls == RC_NOPERM) {
    c->refused = true;
    return;
  }
  if (r->len >= 9 && !strncmp(r->str, "WRONGTYPE", 9)) return;
  if (!c->failed++)
    snprintf(c->first, sizeof c->first, "%.*s", (int)(r->len > 200 ? 200 : r->len), r->str ? r->str : "");
}

static void emit_warnings(Scanner *s) {
  AuditResult *res = s->res;
  const char *user = s->auth.user ? s->auth.user : "default";
  for (int i = 0; i < NCMDS; i++) {
    const CmdState *c = &s->cmd[i];
    if (c->refused && cmd_loss[i][0])
      add_warning(res, "the ACL user '%s' may not run %s (NOPERM): the audit went on without it; %s",
                  user, cmd_names[i], cmd_loss[i]);
    if (c->failed)
      add_warning(res, "%s failed for %zu key%s (%s): those values are unknown", cmd_names[i], c->failed,
                  c->failed == 1 ? "" : "s", c->first);
  }
  if (s->gone)
    add_warning(res, "%zu key%s deleted or expired between SCAN and the reads: left out of the totals",
                s->gone, s->gone == 1 ? " was" : "s were");
  if (s->changed)
    add_warning(res, "%zu key%s type between the reads: the later reads are reported", s->changed,
                s->changed == 1 ? " changed its" : "s changed their");
}

/* ------------------------------------------------------------ the keys */

static void reserve_slots(Scanner *s, size_t n) {
  if (n <= s->cap) return;
  size_t cap = s->cap ? s->cap : 256;
  while (cap < n) cap *= 2;
  s->cmds = xrealloc(s->cmds, cap * sizeof *s->cmds);
  s->slots = xrealloc(s->slots, cap * sizeof *s->slots);
  s->replies = xrealloc(s->replies, cap * sizeof *s->replies);
  s->cap = cap;
}

static void reserve_flags(Scanner *s, size_t n) {
  if (n <= s->kcap) return;
  size_t cap = s->kcap ? s->kcap : 256;
  while (cap < n) cap *= 2;
  s->kflags = xrealloc(s->kflags, cap);
  s->kcap = cap;
}

/* A command about key k: w0 [w1] KEY [w2 w3]. */
static void push_cmd(Scanner *s, size_t *n, size_t key, int cmd, const KeyStat *k, const char *w0,
                     const char *w1, const char *w2, const char *w3) {
  RCmd *c = &s->cmds[*n];
  c->argc = 0;
  const char *before[2] = {w0, w1}, *after[2] = {w2, w3};
  for (int i = 0; i < 2; i++)
    if (before[i]) {
      c->argv[c->argc] = before[i];
      c->len[c->argc++] = strlen(before[i]);
    }
  c->argv[c->argc] = k->name;
  c->len[c->argc++] = k->name_len;
  for (int i = 0; i < 2; i++)
    if (after[i]) {
      c->argv[c->argc] = after[i];
      c->len[c->argc++] = strlen(after[i]);
    }
  s->slots[*n] = (Slot){key, cmd};
  (*n)++;
}

static void push_read(Scanner *s, size_t *n, size_t key, int cmd, const KeyStat *k) {
  static const char *const words[NCMDS][4] = {
      [C_TYPE] = {"TYPE"},
      [C_MEMORY] = {"MEMORY", "USAGE", "SAMPLES", "0"},
      [C_ENCODING] = {"OBJECT", "ENCODING"},
      [C_PTTL] = {"PTTL"},
      [C_STRLEN] = {"STRLEN"},
      [C_LLEN] = {"LLEN"},
      [C_SCARD] = {"SCARD"},
      [C_ZCARD] = {"ZCARD"},
      [C_HLEN] = {"HLEN"},
      [C_XLEN] = {"XLEN"},
      [C_TYPE_AGAIN] = {"TYPE"},
  };
  if (s->cmd[cmd].refused) return;
  push_cmd(s, n, key, cmd, k, words[cmd][0], words[cmd][1], words[cmd][2], words[cmd][3]);
}

static void mark_gone(KeyStat *k) {
  k->type = KT_GONE;
  k->bytes = -1;
  k->length = -1;
  k->ttl_ms = -2;
  k->encoding[0] = '\0';
}

/* Applies one reply to its key. */
static void apply(Scanner *s, KeyStat *k, unsigned char *flags, int cmd, const redisReply *r) {
  if (r->type == REDIS_REPLY_ERROR) {
    note_error(s, cmd == C_TYPE_AGAIN ? C_TYPE : cmd, r);
    return;
  }
  if (k->type == KT_GONE) return;
  bool nil = r->type == REDIS_REPLY_NIL;
  switch (cmd) {
  case C_TYPE:
    if (r->type == REDIS_REPLY_STATUS || r->type == REDIS_REPLY_STRING) k->type = type_from_reply(r);
    if (k->type == KT_GONE) mark_gone(k);
    break;
  case C_TYPE_AGAIN:
    if (r->type == REDIS_REPLY_STATUS || r->type == REDIS_REPLY_STRING) {
      KeyType t = type_from_reply(r);
      if (t == KT_GONE) {
        mark_gone(k);
      } else if (t != k->type) {
        k->type = t;
        k->length = -1; /* measured on the earlier value */
        *flags |= KF_CHANGED;
      }
    }
    break;
  case C_MEMORY:
    if (nil) mark_gone(k);
    else if (r->type == REDIS_REPLY_INTEGER) k->bytes = r->integer;
    break;
  case C_ENCODING:
    if (nil) {
      mark_gone(k);
    } else if (r->type == REDIS_REPLY_STATUS || r->type == REDIS_REPLY_STRING) {
      size_t n = r->len < sizeof k->encoding - 1 ? r->len : sizeof k->encoding - 1;
      memcpy(k->encoding, r->str, n);
      k->encoding[n] = '\0';
    }
    break;
  case C_PTTL:
    if (r->type == REDIS_REPLY_INTEGER) {
      if (r->integer == -2) mark_gone(k);
      else k->ttl_ms = r->integer;
    }
    break;
  default: /* a length */
    if (r->type == REDIS_REPLY_INTEGER) k->length = r->integer;
    break;
  }
}

/* Sends slots [0, n) as one pipeline and applies the replies to keys.
 * -1: the connection failed. */
static int run_round(Scanner *s, RConn *rc, KeyStat *keys, size_t n) {
  if (!n) return 0;
  rate_wait(s, n);
  if (rconn_pipeline(rc, s->cmds, n, s->replies)) return -1;
  for (size_t i = 0; i < n; i++) {
    const Slot *sl = &s->slots[i];
    apply(s, &keys[sl->key], &s->kflags[sl->key], sl->cmd, s->replies[i]);
    freeReplyObject(s->replies[i]);
    s->replies[i] = NULL;
  }
  return 0;
}

static void call_hook(AuditHookPoint at, const AuditNode *node, const KeyStat *keys, size_t n) {
  if (test_hook) test_hook(at, node, keys, n, test_hook_arg);
}

/* Reads keys[0..n) (all of node `node`) in the rounds described at the
 * top. 0, or -1 when the connection failed (the keys are then unread). */
static int read_keys(Scanner *s, RConn *rc, const AuditNode *node, KeyStat *keys, size_t n) {
  reserve_slots(s, 5 * n);
  reserve_flags(s, n);
  memset(s->kflags, 0, n);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) { /* round 1 */
    push_read(s, &m, i, C_TYPE, &keys[i]);
    push_read(s, &m, i, C_MEMORY, &keys[i]);
    push_read(s, &m, i, C_ENCODING, &keys[i]);
    push_read(s, &m, i, C_PTTL, &keys[i]);
  }
  if (run_round(s, rc, keys, m)) return -1;
  if (s->cmd[C_TYPE].refused) return 0; /* the caller stops the node */
  call_hook(AUDIT_HOOK_ROUND1, node, keys, n);
  m = 0;
  for (size_t i = 0; i < n; i++) { /* round 2 */
    if (keys[i].type == KT_GONE) continue;
    int lc = length_cmd(keys[i].type);
    if (lc >= 0) push_read(s, &m, i, lc, &keys[i]);
    push_read(s, &m, i, C_TYPE_AGAIN, &keys[i]);
  }
  if (run_round(s, rc, keys, m)) return -1;
  call_hook(AUDIT_HOOK_ROUND2, node, keys, n);
  m = 0;
  for (size_t i = 0; i < n; i++) { /* round 3: the keys rewritten meanwhile */
    if (!(s->kflags[i] & KF_CHANGED) || keys[i].type == KT_GONE) continue;
    push_read(s, &m, i, C_MEMORY, &keys[i]);
    push_read(s, &m, i, C_ENCODING, &keys[i]);
    push_read(s, &m, i, C_PTTL, &keys[i]);
    int lc = length_cmd(keys[i].type);
    if (lc >= 0) push_read(s, &m, i, lc, &keys[i]);
    push_read(s, &m, i, C_TYPE_AGAIN, &keys[i]); /* changed yet again: length -1, no 4th round */
  }
  if (run_round(s, rc, keys, m)) return -1;
  for (size_t i = 0; i < n; i++) {
    if (keys[i].type == KT_GONE) s->gone++;
    else if (s->kflags[i] & KF_CHANGED) s->changed++;
  }
  return 0;
}

/* --- the keys of a node, by name: SCAN may return a key more than once */

static size_t *seen_slot(Scanner *s, const char *name, size_t len) {
  size_t mask = s->seen_cap - 1, h = (size_t)strset_hash(name, len) & mask;
  for (;;) {
    size_t v = s->seen[h];
    if (!v) return &s->seen[h];
    const KeyStat *k = &s->res->keys[v - 1];
    if (k->name_len == len && !memcmp(k->name, name, len)) return &s->seen[h];
    h = (h + 1) & mask;
  }
}

/* Records key index idx under its name; false when the name is there. */
static bool seen_add(Scanner *s, const char *name, size_t len, size_t idx) {
  if (2 * (s->seen_n + 1) > s->seen_cap) {
    size_t old_cap = s->seen_cap, *old = s->seen;
    s->seen_cap = old_cap ? 2 * old_cap : 1024;
    s->seen = xcalloc(s->seen_cap, sizeof *s->seen);
    for (size_t i = 0; i < old_cap; i++)
      if (old[i]) {
        const KeyStat *k = &s->res->keys[old[i] - 1];
        *seen_slot(s, k->name, k->name_len) = old[i];
      }
    free(old);
  }
  size_t *at = seen_slot(s, name, len);
  if (*at) return false;
  *at = idx + 1;
  s->seen_n++;
  return true;
}

static void seen_reset(Scanner *s) {
  free(s->seen);
  s->seen = NULL;
  s->seen_cap = s->seen_n = 0;
}

static KeyStat *append_key(AuditResult *res, const char *name, size_t len, int node) {
  if (res->nkeys == res->capkeys) {
    res->capkeys = res->capkeys ? 2 * res->capkeys : 1024;
    res->keys = xrealloc(res->keys, res->capkeys * sizeof *res->keys);
  }
  KeyStat *k = &res->keys[res->nkeys++];
  memset(k, 0, sizeof *k);
  k->name = xmalloc(len + 1);
  memcpy(k->name, name, len);
  k->name[len] = '\0';
  k->name_len = len;
  k->type = KT_OTHER;
  k->bytes = -1;
  k->ttl_ms = -3; /* unknown until PTTL answers */
  k->length = -1;
  k->node = node;
  return k;
}

static void drop_keys_from(AuditResult *res, size_t first) {
  for (size_t i = first; i < res->nkeys; i++) free(res->keys[i].name);
  res->nkeys = first;
}

/* ------------------------------------------------------------ one node */

static void node_error(AuditNode *node, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void node_error(AuditNode *node, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  free(node->error);
  node->error = xstrdup(buf);
}

static void lost_node(AuditNode *node, const RConn *rc) {
  if (node->scanned)
    node_error(node, "%s (after %zu keys: this node's keys are partial)", rc->err, node->scanned);
  else
    node_error(node, "%s", rc->err);
}

/* The SCAN loop of one node; the node's keys go to res->keys. */
static void scan_node(Scanner *s, RConn *rc, int ni) {
  AuditResult *res = s->res;
  char cursor[32] = "0", count[24];
  snprintf(count, sizeof count, "%ld", s->count);
  size_t taken = 0;
  /* With --rate, rounds stay small so a burst is about a tenth of a
   * second's worth of commands (5 per key at most). */
  size_t chunk = s->rate > 0 ? (size_t)(s->rate / 50) : SIZE_MAX;
  if (chunk == 0) chunk = 1;
  seen_reset(s);
  do {
    const char *argv[6];
    size_t lens[6];
    int argc = 0;
    argv[argc++] = "SCAN";
    argv[argc++] = cursor;
    if (s->match) {
      argv[argc++] = "MATCH";
      argv[argc++] = s->match;
    }
    argv[argc++] = "COUNT";
    argv[argc++] = count;
    for (int i = 0; i < argc; i++) lens[i] = strlen(argv[i]);
    rate_wait(s, 1);
    redisReply *r = rconn_command(rc, argc, argv, lens);
    AuditNode *node = &res->nodes[ni];
    if (!r) {
      lost_node(node, rc);
      return;
    }
    if (r->type == REDIS_REPLY_ERROR) {
      rconn_reply_error(rc, r, "SCAN");
      freeReplyObject(r);
      lost_node(node, rc);
      return;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 || r->element[0]->type != REDIS_REPLY_STRING ||
        r->element[0]->len >= sizeof cursor || r->element[1]->type != REDIS_REPLY_ARRAY) {
      freeReplyObject(r);
      node_error(node, "%s: unexpected reply to SCAN", rc->addr);
      return;
    }
    memcpy(cursor, r->element[0]->str, r->element[0]->len);
    cursor[r->element[0]->len] = '\0';
    const redisReply *batch = r->element[1];
    size_t first = res->nkeys;
    for (size_t i = 0; i < batch->elements; i++) {
      const redisReply *e = batch->element[i];
      if (e->type != REDIS_REPLY_STRING) continue;
      if (s->sample && taken >= s->sample) {
        res->sampled = true; /* keys of this batch left unread */
        break;
      }
      if (!seen_add(s, e->str, e->len, res->nkeys)) continue; /* returned before */
      append_key(res, e->str, e->len, ni);
      taken++;
    }
    freeReplyObject(r);
    if (s->sample && taken >= s->sample && strcmp(cursor, "0")) res->sampled = true;
    for (size_t at = first; at < res->nkeys;) {
      size_t n = res->nkeys - at < chunk ? res->nkeys - at : chunk;
      call_hook(AUDIT_HOOK_SCANNED, node, &res->keys[at], n);
      if (read_keys(s, rc, node, &res->keys[at], n)) {
        drop_keys_from(res, at); /* unread: not in the report */
        lost_node(node, rc);
        return;
      }
      if (s->cmd[C_TYPE].refused) {
        drop_keys_from(res, at);
        node_error(node, "%s: the ACL user '%s' may not run TYPE (NOPERM): the audit needs SCAN and TYPE",
                   rc->addr, s->auth.user ? s->auth.user : "default");
        return;
      }
      for (size_t i = at; i < at + n; i++)
        if (res->keys[i].type != KT_GONE) node->scanned++;
      s->done += n;
      at += n;
      progress_tick(s);
    }
  } while (strcmp(cursor, "0") && !(s->sample && taken >= s->sample));
}

/* ------------------------------------------------------------ the nodes */

/* One primary of a cluster as CLUSTER SHARDS / NODES describe it. */
typedef struct Primary {
  char ip[256]; /* an IP, or the host name the cluster announces as the node's endpoint */
  int port;
  char id[48];
  bool myself, failed;
  long minslot; /* for a stable order: the node owning slot 0 first */
} Primary;

typedef struct Primaries {
  Primary *v;
  size_t n, cap;
} Primaries;

static Primary *add_primary(Primaries *ps) {
  if (ps->n == ps->cap) {
    ps->cap = ps->cap ? 2 * ps->cap : 8;
    ps->v = xrealloc(ps->v, ps->cap * sizeof *ps->v);
  }
  Primary *p = &ps->v[ps->n++];
  memset(p, 0, sizeof *p);
  p->minslot = LONG_MAX;
  return p;
}

static int cmp_primary(const void *a, const void *b) {
  const Primary *x = a, *y = b;
  if (x->minslot != y->minslot) return x->minslot < y->minslot ? -1 : 1;
  int c = strcmp(x->ip, y->ip);
  return c ? c : (x->port > y->port) - (x->port < y->port);
}

static bool reply_is(const redisReply *r, const char *s) {
  return r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) && r->len == strlen(s) &&
         !memcmp(r->str, s, r->len);
}

/* The value of key in a flat [key, value, key, value...] array (RESP2's
 * form of a map). */
static const redisReply *map_get(const redisReply *m, const char *key) {
  if (!m || m->type != REDIS_REPLY_ARRAY) return NULL;
  for (size_t i = 0; i + 1 < m->elements; i += 2)
    if (reply_is(m->element[i], key)) return m->element[i + 1];
  return NULL;
}

static void copy_str(char *dst, size_t size, const redisReply *r) {
  dst[0] = '\0';
  if (!r || (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS)) return;
  size_t n = r->len < size - 1 ? r->len : size - 1;
  memcpy(dst, r->str, n);
  dst[n] = '\0';
}

static long reply_long(const redisReply *r) {
  if (!r) return -1;
  if (r->type == REDIS_REPLY_INTEGER) return (long)r->integer;
  if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) {
    char buf[32];
    copy_str(buf, sizeof buf, r);
    char *end;
    long v = strtol(buf, &end, 10);
    return end != buf && !*end ? v : -1;
  }
  return -1;
}

/* CLUSTER SHARDS (Redis >= 7.0): the primary of every shard. A node lists
 * "port" (plaintext) and "tls-port" as it has them: a TLS audit goes to the
 * TLS port, and to "port" only on a node without one. */
static int parse_shards(const redisReply *r, const char *myid, bool tls, Primaries *ps) {
  if (r->type != REDIS_REPLY_ARRAY) return -1;
  for (size_t i = 0; i < r->elements; i++) {
    const redisReply *shard = r->element[i], *slots = map_get(shard, "slots"), *nodes = map_get(shard, "nodes");
    if (!nodes || nodes->type != REDIS_REPLY_ARRAY) return -1;
    long minslot = LONG_MAX;
    if (slots && slots->type == REDIS_REPLY_ARRAY)
      for (size_t j = 0; j < slots->elements; j++) {
        long v = reply_long(slots->element[j]);
        if (v >= 0 && v < minslot) minslot = v;
      }
    for (size_t j = 0; j < nodes->elements; j++) {
      const redisReply *nd = nodes->element[j];
      if (!reply_is(map_get(nd, "role"), "master")) continue;
      Primary *p = add_primary(ps);
      /* The node's preferred endpoint: its IP, or with cluster-preferred-
       * endpoint-type hostname the name its clients use, which is also what
       * its TLS certificate names; "?" or none: the IP. */
      copy_str(p->ip, sizeof p->ip, map_get(nd, "endpoint"));
      if (!p->ip[0] || !strcmp(p->ip, "?")) copy_str(p->ip, sizeof p->ip, map_get(nd, "ip"));
      copy_str(p->id, sizeof p->id, map_get(nd, "id"));
      const redisReply *port = tls ? map_get(nd, "tls-port") : NULL;
      p->port = (int)reply_long(port ? port : map_get(nd, "port"));
      p->failed = reply_is(map_get(nd, "health"), "fail");
      p->myself = myid[0] && !strcmp(p->id, myid);
      p->minslot = minslot;
      if (p->port <= 0) return -1;
    }
  }
  return 0;
}

/* CLUSTER NODES: "<id> <ip:port@cport[,hostname]> <flags> <master> <ping>
 * <pong> <epoch> <link> <slot>...", one node a line. (Asked over TLS, a
 * tls-cluster node shows the TLS ports.) */
static int parse_nodes(const redisReply *r, Primaries *ps) {
  if (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS) return -1;
  char *text = xmalloc(r->len + 1), *save = NULL;
  memcpy(text, r->str, r->len);
  text[r->len] = '\0';
  int rc = 0;
  for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *f[8] = {0}, *fsave = NULL, *end;
    size_t nf = 0;
    long minslot = LONG_MAX;
    for (char *t = strtok_r(line, " \r", &fsave); t; t = strtok_r(NULL, " \r", &fsave)) {
      if (nf < 8) {
        f[nf++] = t;
      } else if (*t != '[') { /* a slot or a range; "[...]" is one being migrated */
        long v = strtol(t, &end, 10);
        if (end != t && v < minslot) minslot = v;
      }
    }
    if (nf < 8) continue;
    char flags[128];
    snprintf(flags, sizeof flags, ",%s,", f[2]);
    if (!strstr(flags, ",master,") || strstr(flags, ",handshake,")) continue;
    Primary *p = add_primary(ps);
    snprintf(p->id, sizeof p->id, "%s", f[0]);
    p->myself = strstr(flags, ",myself,") != NULL;
    p->failed = strstr(flags, ",fail,") || strstr(flags, ",noaddr,");
    char *at = strchr(f[1], '@'), *comma = strchr(f[1], ',');
    if (at) *at = '\0';
    if (comma) *comma = '\0';
    char *colon = strrchr(f[1], ':'); /* an IPv6 address has colons of its own */
    if (!colon) {
      rc = -1;
      break;
    }
    *colon = '\0';
    p->port = (int)strtol(colon + 1, &end, 10);
    p->minslot = minslot;
    snprintf(p->ip, sizeof p->ip, "%s", f[1]);
  }
  free(text);
  return rc;
}

/* The primaries of the cluster `seed` belongs to: 1 found, 0 not a cluster
 * (cluster support disabled), -1 unknown (refused: rc->err says why). */
static int cluster_primaries(RConn *seed, Primaries *ps) {
  char myid[48] = "";
  const char *argv[2] = {"CLUSTER", "MYID"};
  redisReply *r = rconn_command(seed, 2, argv, NULL);
  if (!r) return -1;
  copy_str(myid, sizeof myid, r);
  freeReplyObject(r);
  const char *shards[2] = {"CLUSTER", "SHARDS"}, *nodes[2] = {"CLUSTER", "NODES"};
  r = rconn_command(seed, 2, shards, NULL);
  if (!r) return -1;
  if (r->type == REDIS_REPLY_ERROR && r->str && strstr(r->str, "cluster support disabled")) {
    freeReplyObject(r);
    return 0;
  }
  if (r->type != REDIS_REPLY_ERROR && !parse_shards(r, myid, seed->tls != NULL, ps) && ps->n) {
    freeReplyObject(r);
    return 1;
  }
  ps->n = 0;
  /* Before Redis 7.0, or refused, or unreadable: CLUSTER NODES. */
  RConnError shards_cls = rconn_reply_class(r);
  freeReplyObject(r);
  r = rconn_command(seed, 2, nodes, NULL);
  if (!r) return -1;
  if (r->type == REDIS_REPLY_ERROR) {
    bool disabled = r->str && strstr(r->str, "cluster support disabled");
    rconn_reply_error(seed, r, shards_cls == RC_NOPERM ? "CLUSTER SHARDS or CLUSTER NODES" : "CLUSTER NODES");
    freeReplyObject(r);
    return disabled ? 0 : -1;
  }
  int rc = parse_nodes(r, ps);
  freeReplyObject(r);
  if (rc || !ps->n) {
    snprintf(seed->err, sizeof seed->err, "%s: unexpected reply to CLUSTER NODES", seed->addr);
    return -1;
  }
  return 1;
}

/* "field:value" of an INFO section, or NULL. */
static const char *info_field(const redisReply *r, const char *field, char *out, size_t size) {
  if (!r || (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS)) return NULL;
  size_t fl = strlen(field);
  const char *p = r->str, *end = r->str + r->len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    if ((size_t)(le - p) > fl && !strncmp(p, field, fl) && p[fl] == ':') {
      const char *v = p + fl + 1, *ve = le;
      while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ')) ve--;
      size_t n = (size_t)(ve - v) < size - 1 ? (size_t)(ve - v) : size - 1;
      memcpy(out, v, n);
      out[n] = '\0';
      return out;
    }
    p = le + 1;
  }
  return NULL;
}

/* INFO <section>: the reply, NULL after a warning-worthy refusal (then
 * *refused), or NULL with *fatal for a dead connection or missing auth. */
static redisReply *info(RConn *rc, const char *section, bool *refused, bool *fatal) {
  const char *argv[2] = {"INFO", section};
  redisReply *r = rconn_command(rc, 2, argv, NULL);
  if (!r) {
    *fatal = true;
    return NULL;
  }
  if (r->type == REDIS_REPLY_ERROR) {
    RConnError cls = rconn_reply_error(rc, r, "INFO");
    freeReplyObject(r);
    if (cls == RC_NOAUTH || cls == RC_WRONGPASS) *fatal = true;
    else *refused = true;
    return NULL;
  }
  return r;
}

static void add_node(AuditResult *res, const char *addr) {
  res->nodes = xrealloc(res->nodes, (res->nnodes + 1) * sizeof *res->nodes);
  AuditNode *n = &res->nodes[res->nnodes++];
  memset(n, 0, sizeof *n);
  n->addr = xstrdup(addr);
  n->dbsize = -1;
}

/* DBSIZE of a connected node. -1: the connection failed. */
static int node_dbsize(Scanner *s, RConn *rc, AuditNode *node) {
  const char *argv[1] = {"DBSIZE"};
  redisReply *r = rconn_command(rc, 1, argv, NULL);
  if (!r) return -1;
  if (r->type == REDIS_REPLY_INTEGER) {
    node->dbsize = r->integer;
  } else if (r->type == REDIS_REPLY_ERROR) {
    RConnError cls = rconn_reply_class(r);
    if (cls == RC_NOAUTH || cls == RC_WRONGPASS) {
      rconn_reply_error(rc, r, "DBSIZE");
      freeReplyObject(r);
      return -1;
    }
    note_error(s, C_DBSIZE, r);
  }
  freeReplyObject(r);
  return 0;
}

static int scan_all(Scanner *s, const RedisUrl *url) {
  AuditResult *res = s->res;
  RConn seed;
  if (rconn_open(&seed, url->host ? url->host : "127.0.0.1", url->port, url->socket, &s->auth)) {
    set_fatal(s, seed.err);
    return -1;
  }
  bool refused = false, fatal = false;
  redisReply *r = info(&seed, "server", &refused, &fatal);
  char v[64];
  if (r && info_field(r, "redis_version", v, sizeof v))
    snprintf(res->server_version, sizeof res->server_version, "%.31s", v);
  freeReplyObject(r);
  int cluster = 0; /* INFO cluster's cluster_enabled */
  if (!fatal && !refused) {
    r = info(&seed, "cluster", &refused, &fatal);
    cluster = r && info_field(r, "cluster_enabled", v, sizeof v) && !strcmp(v, "1");
    freeReplyObject(r);
  }
  if (fatal) {
    set_fatal(s, seed.err);
    rconn_close(&seed);
    return -1;
  }
  Primaries ps = {0};
  if (refused || cluster) { /* INFO refused: ask the cluster commands instead */
    char info_err[sizeof seed.err];
    snprintf(info_err, sizeof info_err, "%s", seed.err);
    int found = cluster_primaries(&seed, &ps);
    if (seed.dead) {
      set_fatal(s, seed.err);
      rconn_close(&seed);
      free(ps.v);
      return -1;
    }
    if (refused)
      add_warning(res, "%s: the server version is unknown%s", info_err,
                  found < 0 ? ", and a Redis Cluster would go unnoticed (only this node is scanned)" : "");
    if (found < 0 && cluster)
      add_warning(res, "%s: only this node is scanned, the other primaries' keys are missing", seed.err);
    cluster = found > 0 ? 1 : cluster;
    if (found <= 0) ps.n = 0;
  }
  res->cluster = cluster > 0;
  RConn *conns;
  size_t nconn;
  /* A failed primary that owns no slots was replaced by a failover: its
   * slots and keys are with the new primary. One that still owns slots is
   * kept: its keys are missing, and its node error will say so. */
  size_t kept = 0;
  for (size_t i = 0; i < ps.n; i++)
    if (!(ps.v[i].failed && ps.v[i].minslot == LONG_MAX)) ps.v[kept++] = ps.v[i];
  ps.n = kept;
  if (ps.n) {
    qsort(ps.v, ps.n, sizeof *ps.v, cmp_primary);
    /* The seed's own entry may lack its address (a node that never met
     * another): the seed connection stands for it. */
    bool seed_used = false;
    conns = xcalloc(ps.n, sizeof *conns);
    nconn = ps.n;
    for (size_t i = 0; i < ps.n; i++) {
      Primary *p = &ps.v[i];
      if (!p->ip[0]) snprintf(p->ip, sizeof p->ip, "%s", url->host ? url->host : "127.0.0.1");
      char addr[300];
      snprintf(addr, sizeof addr, strchr(p->ip, ':') ? "[%s]:%d" : "%s:%d", p->ip, p->port);
      add_node(res, addr);
      if (p->myself && !seed_used) {
        conns[i] = seed;
        seed_used = true;
      } else if (rconn_open(&conns[i], p->ip, p->port, NULL, &s->auth)) {
        node_error(&res->nodes[i], "%s%s", conns[i].err,
                   p->failed ? " (the cluster marks this primary as failing)" : "");
        conns[i].dead = true;
      }
    }
    if (!seed_used) rconn_close(&seed);
  } else {
    conns = xcalloc(1, sizeof *conns);
    nconn = 1;
    conns[0] = seed;
    add_node(res, seed.addr);
  }
  free(ps.v);
  /* DBSIZE of every node first: the progress line's total. */
  s->total_hint = 0;
  for (size_t i = 0; i < nconn; i++) {
    AuditNode *node = &res->nodes[i];
    if (conns[i].dead) continue;
    if (node_dbsize(s, &conns[i], node)) {
      lost_node(node, &conns[i]);
      rconn_close(&conns[i]);
      continue;
    }
    if (node->dbsize < 0 || s->match) s->total_hint = -1; /* how many match is unknown */
    else if (s->total_hint >= 0)
      s->total_hint += s->sample && (size_t)node->dbsize > s->sample ? (long long)s->sample : node->dbsize;
  }
  for (size_t i = 0; i < nconn; i++) {
    if (conns[i].dead) continue;
    scan_node(s, &conns[i], (int)i);
    rconn_close(&conns[i]);
  }
  free(conns);
  seen_reset(s);
  /* Nothing read at all: a failure, not an empty report. */
  bool any = false;
  for (size_t i = 0; i < res->nnodes; i++) any |= !res->nodes[i].error || res->nodes[i].scanned;
  if (!any) {
    if (res->nnodes == 1) {
      set_fatal(s, res->nodes[0].error);
    } else {
      char buf[1024];
      snprintf(buf, sizeof buf, "no node of the cluster could be read: %s", res->nodes[0].error);
      set_fatal(s, buf);
    }
    return -1;
  }
  return 0;
}

int audit_scan(const RedisUrl *url, const AuditScanOptions *opt, AuditResult *result) {
  memset(result, 0, sizeof *result);
  static const AuditScanOptions defaults = {0};
  if (!opt) opt = &defaults;
  Scanner s = {
      .res = result,
      .auth = {url->user, url->password, url->db, opt->timeout_ms > 0 ? opt->timeout_ms : 5000},
      .match = opt->match && *opt->match ? opt->match : NULL,
      .count = opt->count > 0 ? opt->count : DEFAULT_COUNT,
      .sample = opt->sample,
      .rate = opt->rate > 0 ? opt->rate : 0,
      .progress = opt->progress,
      .progress_delay_ms = progress_delay(),
      .last_progress_ms = -1,
      .total_hint = -1,
  };
  /* rediss://: every node of a cluster with the same TLS settings (each
   * certificate checked against the address that node is reached at). */
  RConnTls tls = {
      .verify = url->ssl_cert_reqs == RL_CERT_NONE       ? RCONN_VERIFY_NONE
                : url->ssl_cert_reqs == RL_CERT_OPTIONAL ? RCONN_VERIFY_OPTIONAL
                                                         : RCONN_VERIFY_REQUIRED,
      .check_hostname = url->ssl_check_hostname && url->ssl_cert_reqs != RL_CERT_NONE,
      .ca_file = url->ssl_ca_certs,
      .cert_file = url->ssl_certfile,
      .key_file = url->ssl_keyfile,
  };
  if (url->tls) s.auth.tls = &tls;
  clock_gettime(CLOCK_MONOTONIC, &s.t0);
  /* A server that goes away makes the next write raise SIGPIPE, which
   * would kill the process; hiredis 0.14 and OpenSSL's socket BIO write with
   * write(2), so no MSG_NOSIGNAL: ignore the signal for the audit and get
   * EPIPE instead. */
  struct sigaction ign, old;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  sigemptyset(&ign.sa_mask);
  sigaction(SIGPIPE, &ign, &old);
  int rc = scan_all(&s, url);
  sigaction(SIGPIPE, &old, NULL);
  progress_end(&s);
  emit_warnings(&s);
  free(s.cmds);
  free(s.slots);
  free(s.replies);
  free(s.kflags);
  seen_reset(&s);
  return rc;
}

void audit_result_free(AuditResult *r) {
  if (!r) return;
  for (size_t i = 0; i < r->nkeys; i++) free(r->keys[i].name);
  free(r->keys);
  for (size_t i = 0; i < r->nnodes; i++) {
    free(r->nodes[i].addr);
    free(r->nodes[i].error);
  }
  free(r->nodes);
  free(r->error);
  for (size_t i = 0; i < r->nwarnings; i++) free(r->warnings[i]);
  free(r->warnings);
  memset(r, 0, sizeof *r);
}
