/* RL303 sequential-round-trips: three or more independent GETs (or plain
 * SETs, or DELs/UNLINKs) in a row on one client, where one MGET (MSET, or one
 * DEL/UNLINK of all the keys) does the same work in one round trip. */
#include <string.h>

#include "per_field_keys.h"

#define MIN_RUN 3
#define MIN_WRITE_RUN 4 /* writes of different kinds: a pipeline, not one command */
#define MAX_RUN 64
#define WRAP_AT 88

typedef struct Item {
  const CallSite *cs;
  TSNode stmt;
  TSNode target; /* GET: the assigned name */
} Item;

typedef enum { RUN_NONE, RUN_GET, RUN_SET, RUN_DEL, RUN_WRITE } RunKind;

static TSNode unawait(TSNode e) { return node_is(e, SYM.await) ? ts_node_named_child(e, 0) : e; }

/* Is the call site one statement of a run, and of which kind? */
static RunKind item_kind(RuleCtx *ctx, const CallSite *cs, TSNode *target) {
  if (cs->recv.kind != OBJ_CLIENT || cs->recv.cluster || call_has_splat(cs->args)) return RUN_NONE;
  /* a facade of the project (`def delete(self, key)` around a client) or a
     client known from use only may lack MGET or take one key: the rewrite
     would raise TypeError */
  if (cs->recv.inferred || cs->recv.facade) return RUN_NONE;
  uint32_t nargs = ts_node_named_child_count(cs->args), npos = call_npositional(cs->args);
  if (nargs != npos) return RUN_NONE; /* keywords: options MGET/MSET do not have */
  if (!strcmp(cs->method, "set") && npos == 2 && result_unused(cs)) return RUN_SET;
  if ((!strcmp(cs->method, "delete") || !strcmp(cs->method, "unlink")) && npos >= 1 &&
      result_unused(cs))
    return RUN_DEL;
  /* any other write whose reply is unused, one statement of its own: a run
     of them is one pipeline (ZINCRBY x5 per message, EXPIRE x7) */
  if (cs->cmd && (cs->cmd->flags & CMD_WRITE) && !(cs->cmd->flags & (CMD_READ | CMD_BLOCKING)) &&
      strcmp(cs->method, "set") && strcmp(cs->method, "get") && result_unused(cs) &&
      cs->loop < 0 && node_is(cs->stmt, SYM.expression_statement) &&
      ts_node_eq(unawait(ts_node_named_child(cs->stmt, 0)), cs->node))
    return RUN_WRITE;
  if (strcmp(cs->method, "get") || npos != 1) return RUN_NONE;
  if (!node_is(cs->stmt, SYM.expression_statement) || ts_node_named_child_count(cs->stmt) != 1)
    return RUN_NONE;
  TSNode a = ts_node_named_child(cs->stmt, 0);
  if (!node_is(a, SYM.assignment)) return RUN_NONE;
  TSNode left = ts_node_child_by_field_id(a, SYM.f_left);
  TSNode right = ts_node_child_by_field_id(a, SYM.f_right);
  if (!node_is(left, SYM.identifier) || !ts_node_eq(unawait(right), cs->node) ||
      !ts_node_is_null(ts_node_child_by_field_id(a, SYM.f_type)))
    return RUN_NONE;
  (void)ctx;
  *target = left;
  return RUN_GET;
}

/* Index of the call site whose statement is `stmt`, searching from `from`;
 * -1 if none. */
static long site_of(const Model *m, TSNode stmt, size_t from) {
  for (size_t j = from; j < model_ncalls(m); j++) {
    const CallSite *cs = model_call(m, j);
    if (nstart(cs->node) > nend(stmt)) break;
    if (ts_node_eq(cs->stmt, stmt)) return (long)j;
  }
  return -1;
}

static bool same_run(const CallSite *a, const CallSite *b, RunKind kind) {
  return (kind == RUN_WRITE || !strcmp(a->method, b->method)) &&
         !strcmp(a->recv_text, b->recv_text) && a->awaited == b->awaited;
}

/* Fields of one entity (`user:{}:name`, `user:{}:email`): the prefix of a
 * key whose last segment names a field, or NULL. */
static const char *entity_prefix(RuleCtx *ctx, const KeyTpl *k) {
  if (!k->text || k->opaque) return NULL;
  const char *colon = strrchr(k->text, ':');
  if (!colon || !per_field_like(colon + 1) || !per_entity_prefix(k->text, (size_t)(colon - k->text)))
    return NULL;
  return arena_strndup(ctx->arena, k->text, (size_t)(colon - k->text));
}

/* Does the run hold a group of SETs to fields of one entity (RL101's)? */
static bool has_entity_group(RuleCtx *ctx, const Item *it, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const char *p = entity_prefix(ctx, &it[i].cs->key);
    size_t same = 0;
    for (size_t j = 0; p && j < n; j++) {
      const char *q = entity_prefix(ctx, &it[j].cs->key);
      same += q && !strcmp(p, q);
    }
    if (same >= MIN_RUN) return true;
  }
  return false;
}

static const char *join_args(RuleCtx *ctx, const Item *it, size_t n, RunKind kind, bool wrap,
                             const char *indent) {
  const char *b = "";
  for (size_t i = 0; i < n; i++) {
    const char *k = ctx_text(ctx, call_arg(it[i].cs->args, 0));
    if (kind == RUN_DEL) /* every key of every call, in order */
      for (uint32_t a = 1; a < call_npositional(it[i].cs->args); a++)
        k = arena_printf(ctx->arena, "%s, %s", k, ctx_text(ctx, call_arg(it[i].cs->args, a)));
    const char *v = kind == RUN_SET
                        ? arena_printf(ctx->arena, ": %s", ctx_text(ctx, call_arg(it[i].cs->args, 1)))
                        : "";
    if (wrap) b = arena_printf(ctx->arena, "%s\n%s    %s%s,", b, indent, k, v);
    else b = arena_printf(ctx->arena, "%s%s%s%s", b, i ? ", " : "", k, v);
  }
  return wrap ? arena_printf(ctx->arena, "%s\n%s", b, indent) : b;
}

static const char *rewrite(RuleCtx *ctx, const Item *it, size_t n, RunKind kind, bool wrap) {
  const CallSite *cs = it[0].cs;
  const char *indent = ctx_indent(ctx, nstart(it[0].stmt));
  const char *aw = cs->awaited ? "await " : "";
  const char *args = join_args(ctx, it, n, kind, wrap, indent);
  if (kind == RUN_SET)
    return arena_printf(ctx->arena, "%s%s.mset({%s})", aw, cs->recv_text, args);
  if (kind == RUN_DEL)
    return arena_printf(ctx->arena, "%s%s.%s(%s)", aw, cs->recv_text, cs->method, args);
  const char *t = "";
  for (size_t i = 0; i < n; i++)
    t = arena_printf(ctx->arena, "%s%s%s", t, i ? ", " : "", ctx_text(ctx, it[i].target));
  return arena_printf(ctx->arena, "%s = %s%s.mget(%s)", t, aw, cs->recv_text, args);
}

static void report(RuleCtx *ctx, Item *it, size_t n, RunKind kind, bool comments,
                   const char *trailing) {
  const CallSite *cs = it[0].cs;
  bool get = kind == RUN_GET, del = kind == RUN_DEL;
  const char *cmd = get ? "MGET" : del ? (!strcmp(cs->method, "unlink") ? "UNLINK" : "DEL") : "MSET";
  Finding *f = rule_report(ctx, cs->node, SEV_INFO,
                           "%zu %s in a row on `%s`: %zu round trips where one %s %s", n,
                           get ? "GETs" : del ? (!strcmp(cs->method, "unlink") ? "UNLINKs" : "DELs")
                                              : "SETs",
                           cs->recv_text, n, cmd,
                           get ? "returns the same values"
                           : del ? "of all the keys removes the same keys"
                                 : "writes the same keys");
  for (size_t i = 1; i < n; i++)
    finding_related(ctx, f, NULL, nstart(it[i].cs->node), nend(it[i].cs->node),
                    "another round trip");
  const char *one = rewrite(ctx, it, n, kind, false);
  const char *indent = ctx_indent(ctx, nstart(it[0].stmt));
  bool wrap = strlen(indent) + strlen(one) > WRAP_AT;
  if (wrap)
    finding_fix(ctx, f, comments ? FIX_DISPLAY : FIX_SAFE, del ? "One round trip: `%s%s.%s(...)` with the keys of the %zu calls" : "One round trip: `%s%s.%s(...)` with the %zu keys",
                cs->awaited ? "await " : "", cs->recv_text,
                get ? "mget" : del ? cs->method : "mset", n);
  else
    finding_fix(ctx, f, comments ? FIX_DISPLAY : FIX_SAFE, "One round trip: `%s`", one);
  if (comments) return;
  finding_edit(ctx, f, nstart(it[0].stmt), nend(it[n - 1].stmt),
               arena_printf(ctx->arena, "%s%s", wrap ? rewrite(ctx, it, n, kind, true) : one,
                            trailing));
}

/* A run of writes of any kind: one pipeline sends them in one round trip.
 * Display only: the replies change shape (one list from execute()), and an
 * exception now stops every write, not just the ones after it. */
static void report_writes(RuleCtx *ctx, const Item *it, size_t n) {
  const CallSite *cs = it[0].cs;
  const char *cmds = "";
  size_t shown = 0;
  for (size_t i = 0; i < n; i++) {
    bool seen = false;
    for (size_t j = 0; j < i && !seen; j++) seen = !strcmp(it[j].cs->cmd->name, it[i].cs->cmd->name);
    if (seen || shown == 4) continue;
    cmds = arena_printf(ctx->arena, "%s%s%s", cmds, shown++ ? ", " : "", it[i].cs->cmd->name);
  }
  /* the same variadic command on one key (SADD x4, HDEL x4): one command
     with all the members or fields, no pipeline needed */
  static const char *const VARIADIC[] = {"sadd", "srem", "hdel", "zrem", "rpush", "lpush", NULL};
  bool one_key = call_method_in(cs, VARIADIC) || !strcmp(cs->method, "hset");
  for (size_t i = 1; i < n && one_key; i++)
    one_key = !strcmp(it[i].cs->method, cs->method) && calls_same_key(ctx, cs, it[i].cs) &&
              (strcmp(cs->method, "hset") || call_npositional(it[i].cs->args) == 3);
  if (one_key && !strcmp(cs->method, "hset")) one_key = call_npositional(cs->args) == 3;
  if (one_key) {
    Finding *f = rule_report(ctx, cs->node, SEV_INFO,
                             "%zu %s of `%s` in a row: %zu round trips where one %s %s",
                             n, cs->cmd->name, call_key_display(ctx, cs), n, cs->cmd->name,
                             !strcmp(cs->method, "hset") ? "with a mapping writes every field"
                                                         : "takes them all");
    for (size_t i = 1; i < n; i++)
      finding_related(ctx, f, NULL, nstart(it[i].cs->node), nend(it[i].cs->node),
                      "another round trip");
    if (!strcmp(cs->method, "hset"))
      finding_fix(ctx, f, FIX_DISPLAY, "One round trip: `%s%s.hset(%s, mapping={...})` with the %zu fields",
                  cs->awaited ? "await " : "", cs->recv_text, ctx_text(ctx, call_arg(cs->args, 0)), n);
    else
      finding_fix(ctx, f, FIX_DISPLAY, "One round trip: `%s%s.%s(%s, ...)` with the %zu %s",
                  cs->awaited ? "await " : "", cs->recv_text, cs->method,
                  ctx_text(ctx, call_arg(cs->args, 0)), n,
                  !strcmp(cs->method, "hdel") ? "fields" : "values");
    return;
  }
  Finding *f = rule_report(ctx, cs->node, SEV_INFO,
                           "%zu writes in a row on `%s` (%s): %zu round trips where one pipeline "
                           "sends them together",
                           n, cs->recv_text, cmds, n);
  for (size_t i = 1; i < n; i++)
    finding_related(ctx, f, NULL, nstart(it[i].cs->node), nend(it[i].cs->node),
                    "another round trip");
  finding_fix(ctx, f, FIX_DISPLAY,
              "Queue them on `%s%s.pipeline(transaction=False) as pipe:` (`pipe.` for `%s.`%s) "
              "and send them with `%spipe.execute()`",
              pipe_with(cs), cs->recv_text, cs->recv_text, cs->recv.is_async ? ", not awaited" : "",
              pipe_await(cs));
}

/* Does `expr` use a name assigned by an earlier GET of the run? */
static bool depends(RuleCtx *ctx, TSNode expr, const Item *it, size_t n) {
  const char *names[MAX_RUN];
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!ts_node_is_null(it[i].target)) names[k++] = ctx_text(ctx, it[i].target);
  return expr_mentions_any(ctx, expr, names, k) != NULL;
}

/* A list push whose reply is dropped, then LLEN of the same list in the
 * next statement: the push's reply is that length (SADD, ZADD and HSET answer
 * how many they added, XADD the entry id: only list pushes do this).
 * `r.rpush(k, v)` + `n = r.llen(k)` -> `n = r.rpush(k, v)`. */
static void length_after_push(RuleCtx *ctx, size_t i) {
  static const char *const PUSHES[] = {"rpush", "lpush", "rpushx", "lpushx", NULL};
  const CallSite *p = model_call(ctx->model, i);
  if (!p->cmd || !call_method_in(p, PUSHES) || !result_unused(p) || p->recv.kind != OBJ_CLIENT ||
      p->recv.inferred || p->recv.facade)
    return;
  const char *len = "llen";
  TSNode next = statement_next(p->stmt, NULL);
  long j = ts_node_is_null(next) ? -1 : site_of(ctx->model, next, i + 1);
  if (j < 0) return;
  const CallSite *l = model_call(ctx->model, (size_t)j);
  if (strcmp(l->method, len) || strcmp(l->recv_text, p->recv_text) || l->awaited != p->awaited ||
      !calls_same_key(ctx, p, l) || result_unused(l))
    return;
  Finding *f = rule_report(ctx, l->node, SEV_INFO,
                           "%s() right after %s() of the same list: a second round trip for "
                           "what %s already returns, the list's new length",
                           l->method, p->method, p->method);
  finding_related(ctx, f, NULL, nstart(p->node), nend(p->node), "the push");
  finding_fix(ctx, f, FIX_DISPLAY, "Use the push's reply: `n = %s%s` instead of a separate %s",
              p->awaited ? "await " : "", ctx_text(ctx, p->node), l->method);
}

static void check(RuleCtx *ctx) {
  if (in_test_code(ctx->src, ctx->opt)) return; /* setup code: latency does not matter */
  const Model *m = ctx->model;
  for (size_t i = 0; i < model_ncalls(m); i++) length_after_push(ctx, i);
  for (size_t i = 0; i < model_ncalls(m); i++) {
    const CallSite *first = model_call(m, i);
    TSNode target = {0};
    RunKind kind = item_kind(ctx, first, &target);
    if (kind == RUN_NONE) continue;
    TSNode prev = statement_prev(first->stmt, NULL);
    long pi = ts_node_is_null(prev) ? -1 : site_of(m, prev, i > 64 ? i - 64 : 0);
    const CallSite *pc = pi < 0 ? NULL : model_call(m, (size_t)pi);
    TSNode pt = {0};
    if (pc && pc != first && item_kind(ctx, pc, &pt) == kind && same_run(pc, first, kind) &&
        (kind == RUN_SET || !depends(ctx, call_arg(first->args, 0), &(Item){pc, prev, pt}, 1)))
      continue; /* not the start of the run */
    Item it[MAX_RUN];
    size_t n = 0;
    it[n++] = (Item){first, first->stmt, target};
    for (size_t from = i + 1; n < MAX_RUN;) {
      TSNode next = statement_next(it[n - 1].stmt, NULL);
      if (ts_node_is_null(next)) break;
      long ci = site_of(m, next, from);
      const CallSite *cs = ci < 0 ? NULL : model_call(m, (size_t)ci);
      TSNode t = {0};
      if (!cs || item_kind(ctx, cs, &t) != kind || !same_run(cs, first, kind)) break;
      bool dep = kind != RUN_WRITE && (depends(ctx, call_arg(cs->args, 0), it, n) ||
                                       (kind == RUN_SET && depends(ctx, call_arg(cs->args, 1), it, n)));
      if (dep) break;
      it[n++] = (Item){cs, next, t};
      from = (size_t)ci + 1;
    }
    if (n < (kind == RUN_WRITE ? MIN_WRITE_RUN : MIN_RUN)) continue;
    if (kind == RUN_WRITE) {
      /* a write then EXPIRE of its key: set-then-expire (RL202) gives the run
         its MULTI/EXEC, so the key never lives without its TTL */
      bool expiry = false;
      for (size_t k = 1; k < n && !expiry; k++)
        expiry = (!strcmp(it[k].cs->method, "expire") || !strcmp(it[k].cs->method, "pexpire")) &&
                 calls_same_key(ctx, it[k - 1].cs, it[k].cs);
      if (!expiry) report_writes(ctx, it, n);
      continue;
    }
    if (kind == RUN_SET && has_entity_group(ctx, it, n)) continue; /* RL101 reports it */
    /* Comments inside the run: one trailing the first statement (`a =
     * r.get(k)  # note`) moves to the end of the rewrite; any other belongs to
     * its own statement and blocks the edit. */
    bool own_line = false;
    const char *trailing = "";
    for (TSNode c = ts_node_next_named_sibling(it[0].stmt);
         !ts_node_is_null(c) && nstart(c) < nstart(it[n - 1].stmt); c = ts_node_next_named_sibling(c)) {
      if (!node_is(c, SYM.comment)) continue;
      TSNode before = ts_node_prev_sibling(c);
      if (ts_node_is_null(before) || !ts_node_eq(before, it[0].stmt) ||
          line_of(ctx->src, nend(before)) != line_of(ctx->src, nstart(c)))
        own_line = true;
      else
        trailing = arena_printf(ctx->arena, "%s  %s", trailing, ctx_text(ctx, c));
    }
    report(ctx, it, n, kind, own_line, trailing);
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/sequential-round-trips.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_sequential_round_trips = {
    .check_file = check,
};
