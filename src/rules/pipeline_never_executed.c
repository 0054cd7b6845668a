/* RL307 pipeline-never-executed: commands queued on a function-local pipeline
 * that is never executed (nor handed to someone who could execute it). In
 * redis-py, leaving `with r.pipeline() as p:` resets the pipeline: the queued
 * commands are dropped, not sent. */
#include <string.h>

#include "rule_util.h"

typedef struct PipeUse {
  RuleCtx *ctx;
  TSNode name;      /* the pipeline's local name */
  TSNode binding;   /* the identifier where it is bound (not a use) */
  size_t queued;    /* commands queued on it */
  bool executed, escapes;
  bool watched, multi; /* p.watch(...) / p.multi() seen */
  bool discarded;      /* p.discard() / p.reset(): dropped on purpose */
  TSNode first_write;  /* the first write command after watch(), or null */
} PipeUse;

/* The leftmost identifier of p / p.set(...) / p.set(...).expire(...). */
static TSNode base_name(TSNode n) {
  for (int i = 0; i < 32; i++) {
    if (node_is(n, SYM.identifier)) return n;
    if (node_is(n, SYM.call)) n = ts_node_child_by_field_id(n, SYM.f_function);
    else if (node_is(n, SYM.attribute)) n = ts_node_child_by_field_id(n, SYM.f_object);
    else break;
  }
  return (TSNode){0};
}

/* A use of the name that lets the pipeline leave the function's hands. */
static bool escaping_use(TSNode id) {
  TSNode p = ts_node_parent(id);
  if (node_is(p, SYM.argument_list) || node_is(p, SYM.keyword_argument) ||
      node_is(p, SYM.return_statement) || node_is(p, SYM.list) || node_is(p, SYM.tuple) ||
      node_is(p, SYM.pair) || node_is(p, SYM.dictionary) || node_is(p, SYM.set))
    return true;
  const char *t = ts_node_type(p);
  if (!strcmp(t, "yield") || !strcmp(t, "lambda")) return true;
  /* the right-hand side of an assignment: self.pipe = p, other = p */
  return node_is(p, SYM.assignment) && ts_node_eq(ts_node_child_by_field_id(p, SYM.f_right), id);
}

static bool visit(TSNode n, void *data) {
  PipeUse *q = data;
  const Source *src = q->ctx->src;
  if (nsym(n) == SYM.call) {
    TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
    TSNode base = base_name(fn);
    if (node_is(fn, SYM.attribute) && !ts_node_is_null(base) && node_same_text(src, base, q->name)) {
      TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
      if (node_text_eq(src, attr, "execute")) q->executed = true;
      if (node_text_eq(src, attr, "watch")) q->watched = true;
      if (node_text_eq(src, attr, "multi")) q->multi = true;
      if (node_text_eq(src, attr, "discard") || node_text_eq(src, attr, "reset")) q->discarded = true;
      const Command *c = commands_find(src->text + nstart(attr), nend(attr) - nstart(attr));
      if (c && expected_to_raise(src, n)) c = NULL; /* a test that it fails: nothing queued */
      if (c && !(c->flags & CMD_PIPELINE)) q->queued++;
      if (c && (c->flags & CMD_WRITE) && !(c->flags & CMD_PIPELINE) && q->watched && !q->multi &&
          ts_node_is_null(q->first_write))
        q->first_write = n;
    }
  } else if (nsym(n) == SYM.identifier && !ts_node_eq(n, q->binding) &&
             node_same_text(src, n, q->name) && escaping_use(n)) {
    q->escapes = true;
  }
  return true;
}

/* The local name a pipeline() call is bound to (p = r.pipeline(), with ... as p). */
static TSNode bound_name(const CallSite *cs) {
  TSNode parent = ts_node_parent(cs->node);
  if (node_is(parent, SYM.assignment)) {
    TSNode left = ts_node_child_by_field_id(parent, SYM.f_left);
    return node_is(left, SYM.identifier) && ts_node_eq(ts_node_child_by_field_id(parent, SYM.f_right), cs->node)
               ? left : (TSNode){0};
  }
  if (node_is(parent, SYM.as_pattern)) {
    TSNode alias = ts_node_child_by_field_id(parent, SYM.f_alias);
    if (node_is(alias, SYM.as_pattern_target)) alias = ts_node_named_child(alias, 0);
    return node_is(alias, SYM.identifier) ? alias : (TSNode){0};
  }
  return (TSNode){0};
}

static void check(RuleCtx *ctx) {
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    const Function *fn = model_function(ctx->model, cs->func);
    if (strcmp(cs->method, "pipeline") || cs->recv.kind != OBJ_CLIENT || !fn) continue;
    TSNode name = bound_name(cs);
    if (ts_node_is_null(name)) continue;
    PipeUse q = {ctx, name, name, 0, false, false, false, false, false, {{0}, 0, 0}};
    node_walk(fn->node, visit, &q);
    if (q.discarded) continue; /* the queue is dropped on purpose */
    if (q.watched && !q.multi && !q.escapes && !ts_node_is_null(q.first_write)) {
      /* WATCH and then a write with no MULTI: the write runs at once, on its
         own; nothing makes it conditional on the watched keys */
      const char *nm = ctx_text(ctx, name);
      Finding *f = rule_report(ctx, q.first_write, SEV_WARNING,
                               "`%s` is in WATCH mode and never switched to MULTI: this write runs "
                               "at once, outside any transaction, and WATCH protects nothing (a "
                               "concurrent change to the watched keys goes unnoticed)",
                               nm);
      finding_fix(ctx, f, FIX_DISPLAY,
                  "Call `%s.multi()` after the reads and before the writes, then `%s.execute()` "
                  "(it raises WatchError when a watched key changed: retry)",
                  nm, nm);
      continue;
    }
    if (!q.queued || q.executed || q.escapes) continue;
    /* after watch() and without multi() every command is sent at once */
    if (q.watched && !q.multi) continue;
    const char *nm = ctx_text(ctx, name);
    bool with = node_is(ts_node_parent(cs->node), SYM.as_pattern);
    Finding *f = rule_report(ctx, cs->node, SEV_ERROR,
                             "%zu command%s queued on pipeline `%s`, which is never executed: "
                             "nothing is sent to Redis%s",
                             q.queued, q.queued == 1 ? " is" : "s are", nm,
                             with ? " (leaving the `with` block resets the pipeline, it does not "
                                    "execute it)"
                                  : "");
    finding_fix(ctx, f, FIX_DISPLAY, "Call `%s.execute()` after queuing the commands", nm);
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/pipeline-never-executed.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_pipeline_never_executed = {
    .check_file = check,
};
