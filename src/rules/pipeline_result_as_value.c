/* RL308 pipeline-result-as-value: the return value of a queued pipeline
 * command is the pipeline, not the reply; using it as data is a bug. */
#include <string.h>

#include "rule_util.h"

/* Is the call's value used as data (not chained, not a statement, not stored)? */
static bool used_as_data(RuleCtx *ctx, TSNode use) {
  TSNode p = ts_node_parent(use);
  if (node_is(p, SYM.attribute)) { /* p.get(k).decode() is data, p.get(k).expire() chains */
    TSNode attr = ts_node_child_by_field_id(p, SYM.f_attribute);
    const Command *c = commands_find(ctx->src->text + nstart(attr), nend(attr) - nstart(attr));
    return !c;
  }
  if (node_is(p, SYM.argument_list) || node_is(p, SYM.comparison_operator) ||
      node_is(p, SYM.subscript) || node_is(p, SYM.binary_operator) ||
      node_is(p, SYM.not_operator) || node_is(p, SYM.boolean_operator) ||
      node_is(p, SYM.keyword_argument) || node_is(p, SYM.interpolation))
    return true;
  /* if p.get(k): / while p.exists(k): */
  return (node_is(p, SYM.if_statement) || node_is(p, SYM.while_statement)) &&
         ts_node_eq(ts_node_child_by_field_id(p, SYM.f_condition), use);
}

typedef struct WatchScan {
  RuleCtx *ctx;
  const char *recv;
  uint32_t before;
  uint32_t last_watch, last_multi; /* last positions before `before`, 0 none */
  bool multi_after;                 /* a p.multi() after `before` */
} WatchScan;

static bool visit(TSNode n, void *data) {
  WatchScan *q = data;
  if (nsym(n) != SYM.call) return true;
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  if (!node_is(fn, SYM.attribute)) return true;
  TSNode obj = ts_node_child_by_field_id(fn, SYM.f_object);
  if (!node_text_eq(q->ctx->src, obj, q->recv)) return true;
  TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
  if (nstart(n) >= q->before) {
    if (node_text_eq(q->ctx->src, attr, "multi")) q->multi_after = true;
    return true;
  }
  if (node_text_eq(q->ctx->src, attr, "watch")) q->last_watch = nstart(n) + 1;
  if (node_text_eq(q->ctx->src, attr, "multi")) q->last_multi = nstart(n) + 1;
  return true;
}

/* After p.watch() and before p.multi() a pipeline executes immediately. A
 * p.multi() later in the function with none before the command says the same
 * when the WATCH is elsewhere: a helper (`with self._watch() as p:`) that
 * hands out a watching pipeline; only a watching pipeline needs an explicit
 * MULTI. */
static bool immediate_mode(RuleCtx *ctx, const CallSite *cs) {
  const Function *fn = model_function(ctx->model, cs->func);
  WatchScan q = {ctx, cs->recv_text, nstart(cs->node), 0, 0, false};
  node_walk(fn ? fn->node : model_root(ctx->model), visit, &q);
  if (q.last_watch && q.last_watch > q.last_multi) return true;
  return !q.last_multi && q.multi_after;
}

/* Was the receiver built in sight, `p = r.pipeline(...)` or `with
 * r.pipeline() as p:` in the function (or the module)? A pipeline handed
 * out by a helper (`with self._watch() as p:`) or passed in may already be
 * WATCHing, where commands return real replies: its mode is not known. */
typedef struct Origin {
  RuleCtx *ctx;
  const char *recv;
  uint32_t before;
  bool built;
} Origin;

static bool pipeline_call(RuleCtx *ctx, TSNode v) {
  while (node_is(v, SYM.await)) v = ts_node_named_child(v, 0);
  if (!node_is(v, SYM.call)) return false;
  TSNode f = ts_node_child_by_field_id(v, SYM.f_function);
  return node_is(f, SYM.attribute) &&
         node_text_eq(ctx->src, ts_node_child_by_field_id(f, SYM.f_attribute), "pipeline");
}

static bool origin_visit(TSNode n, void *data) {
  Origin *o = data;
  if (o->built || nstart(n) >= o->before) return false;
  if (node_is(n, SYM.assignment)) {
    TSNode left = ts_node_child_by_field_id(n, SYM.f_left);
    if (node_text_eq(o->ctx->src, left, o->recv) &&
        pipeline_call(o->ctx, ts_node_child_by_field_id(n, SYM.f_right)))
      o->built = true;
  } else if (node_is(n, SYM.as_pattern)) { /* with r.pipeline() as p */
    TSNode target = ts_node_child_by_field_id(n, SYM.f_alias);
    if (ts_node_is_null(target)) target = ts_node_named_child(n, 1);
    if (node_is(target, SYM.as_pattern_target)) target = ts_node_named_child(target, 0);
    if (node_text_eq(o->ctx->src, target, o->recv) && pipeline_call(o->ctx, ts_node_named_child(n, 0)))
      o->built = true;
  }
  return !o->built;
}

static bool built_in_sight(RuleCtx *ctx, const CallSite *cs) {
  const Function *fn = model_function(ctx->model, cs->func);
  Origin o = {ctx, cs->recv_text, nstart(cs->node), false};
  node_walk(fn ? fn->node : model_root(ctx->model), origin_visit, &o);
  return o.built;
}

/* `added = p.sadd(...)` then `if added:`: the name, assigned the queued
 * command's return value, is used as data later in the function (before
 * it is assigned again). */
typedef struct LaterUse {
  RuleCtx *ctx;
  const char *name;
  uint32_t from;
  TSNode origin; /* the assignment of the queued command's return value */
  uint32_t skip_to; /* the walk passes over nodes before this byte (another branch) */
  bool data, rebound;
} LaterUse;

/* Are a and b in two branches of one `if` (its body, an `elif`, the
 * `else`)? Then a path through a never runs b. */
static bool other_branch(TSNode a, TSNode b) {
  TSNode lca = {0};
  for (TSNode p = ts_node_parent(a); !ts_node_is_null(p); p = ts_node_parent(p))
    if (nstart(p) <= nstart(b) && nend(b) <= nend(p)) {
      lca = p;
      break;
    }
  if (!node_is(lca, SYM.if_statement)) return false;
  TSNode ca = a, cb = b;
  while (!ts_node_eq(ts_node_parent(ca), lca)) ca = ts_node_parent(ca);
  while (!ts_node_eq(ts_node_parent(cb), lca)) cb = ts_node_parent(cb);
  TSNode cond = ts_node_child_by_field_id(lca, SYM.f_condition);
  return !ts_node_eq(ca, cb) && !ts_node_eq(ca, cond) && !ts_node_eq(cb, cond);
}

static bool later_visit(TSNode n, void *data) {
  LaterUse *u = data;
  if (u->data || u->rebound) return false;
  if (nend(n) <= u->from || nstart(n) < u->skip_to) return true;
  if (node_is(n, SYM.assignment) && nstart(n) >= u->from) {
    TSNode left = ts_node_child_by_field_id(n, SYM.f_left);
    if (node_is(left, SYM.identifier) && node_text_eq(u->ctx->src, left, u->name)) {
      /* `else: persisted = r.get(k)` after `if ...: persisted = p.get(k)`:
         not on the pipeline's path, which goes on to the use */
      if (other_branch(u->origin, n)) { /* node_walk stops on false: step over it */
        u->skip_to = nend(n);
        return true;
      }
      /* the right side is read before the name is bound again */
      node_walk(ts_node_child_by_field_id(n, SYM.f_right), later_visit, u);
      u->rebound = true;
      return false;
    }
  }
  if (node_is(n, SYM.identifier) && nstart(n) >= u->from && node_text_eq(u->ctx->src, n, u->name)) {
    TSNode p = ts_node_parent(n);
    /* `client.pipeline()`, `f(pipeline=x)`: a member or keyword, not the name */
    if ((node_is(p, SYM.attribute) && !ts_node_eq(ts_node_child_by_field_id(p, SYM.f_object), n)) ||
        (node_is(p, SYM.keyword_argument) && ts_node_eq(ts_node_child_by_field_id(p, SYM.f_name), n)))
      return true;
    if (node_is(p, SYM.attribute)) { /* `pipeline = p.lrange(...)` then `pipeline.execute()` */
      TSNode attr = ts_node_child_by_field_id(p, SYM.f_attribute);
      static const char *const PIPE[] = {"execute", "multi", "watch", "unwatch", "reset",
                                         "discard", "immediate_execute_command", NULL};
      for (size_t k = 0; PIPE[k]; k++)
        if (node_text_eq(u->ctx->src, attr, PIPE[k])) return true;
    }
    u->data = used_as_data(u->ctx, n);
  }
  return true;
}

static bool assigned_then_used(RuleCtx *ctx, const CallSite *cs, TSNode use) {
  TSNode p = ts_node_parent(use);
  if (!node_is(p, SYM.assignment)) return false;
  TSNode left = ts_node_child_by_field_id(p, SYM.f_left);
  if (!node_is(left, SYM.identifier) || !ts_node_eq(ts_node_child_by_field_id(p, SYM.f_right), use))
    return false;
  const Function *fn = model_function(ctx->model, cs->func);
  LaterUse u = {ctx, ctx_text(ctx, left), nend(p), p, 0, false, false};
  node_walk(fn ? fn->node : model_root(ctx->model), later_visit, &u);
  return u.data;
}

static bool scan_iter_method(const char *m) {
  return !strcmp(m, "scan_iter") || !strcmp(m, "sscan_iter") || !strcmp(m, "hscan_iter") ||
         !strcmp(m, "zscan_iter");
}

static void check(RuleCtx *ctx) {
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (value_is_pipeline(cs->recv) && !cs->recv.inferred && scan_iter_method(cs->method) &&
        !immediate_mode(ctx, cs) && built_in_sight(ctx, cs)) {
      /* a generator of the client's: called on a pipeline it queues nothing
         until iterated, and iterated its SCAN returns the pipeline, not a
         cursor */
      Finding *f = rule_report(ctx, cs->node, SEV_ERROR,
                               "`%s.%s(...)` on a pipeline: it is a generator that sends SCAN "
                               "one page at a time and reads each cursor, which a pipeline only "
                               "queues; nothing reaches `%s.execute()`, and iterating it fails",
                               cs->recv_text, cs->method, cs->recv_text);
      finding_fix(ctx, f, FIX_DISPLAY,
                  "Iterate `%s` on the client (`for key in r.%s(...)`), then queue what you do "
                  "with each key on the pipeline",
                  cs->method, cs->method);
      continue;
    }
    /* any command: a queued SADD or SET NX returns the pipeline as well */
    if (!value_is_pipeline(cs->recv) || !cs->cmd || (cs->cmd->flags & CMD_PIPELINE)) continue;
    TSNode use = cs->node;
    if (node_is(ts_node_parent(use), SYM.await)) use = ts_node_parent(use);
    if (!used_as_data(ctx, use) && !assigned_then_used(ctx, cs, use)) continue;
    if (immediate_mode(ctx, cs) || !built_in_sight(ctx, cs)) continue;
    Finding *f = rule_report(ctx, cs->node, SEV_ERROR,
                             "`%s.%s(...)` on a pipeline only queues the command and returns the "
                             "pipeline itself; the reply comes from `%s.execute()`",
                             cs->recv_text, cs->method, cs->recv_text);
    finding_fix(ctx, f, FIX_DISPLAY,
                "Read the reply from the list `%s.execute()` returns (e.g. `value = "
                "%s.execute()[0]`), or read it with the client before building the pipeline",
                cs->recv_text, cs->recv_text);
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/pipeline-result-as-value.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_pipeline_result_as_value = {
    .check_file = check,
};
