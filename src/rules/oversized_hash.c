/* RL103 oversized-hash: one hash that will hold more fields than
 * hash-max-listpack-entries (a huge literal mapping, a mapping built from an
 * unbounded iterable, or a field per item of an unbounded loop). */
#include <string.h>

#include "rule_util.h"

static const char *const FIELD_WRITES[] = {"hset", "hsetnx", "hincrby", "hincrbyfloat", NULL};

static const char *bound_text(RuleCtx *ctx, IterBound b, int64_t count, TSNode it) {
  if (count >= 0) return arena_printf(ctx->arena, "%lld items", (long long)count);
  return b == ITER_UNBOUNDED ? arena_printf(ctx->arena, "`%s`, which grows with the data",
                                            ctx_text(ctx, it))
                             : arena_printf(ctx->arena, "`%s`", ctx_text(ctx, it));
}

static void fix(RuleCtx *ctx, Finding *f, const CallSite *cs) {
  finding_fix(ctx, f, FIX_DISPLAY,
              "Shard the hash so each part stays under hash-max-listpack-entries (%ld), e.g. "
              "`%s:{id // 500}`, or use one small hash per object",
              ctx->opt->th.hash_max_listpack_entries, call_key_display(ctx, cs));
}

/* Does the iterable hold the fields of a hash Redis already has: the reply
 * of HGETALL/HKEYS/HVALS/HSCAN (`for f in src.hgetall(k)`, or a name bound
 * to it, or its .items()/.keys()/.values())? Copying it makes a hash as big
 * as that one, whose encoding is already what it is: not new growth. */
static bool from_hash_reply(RuleCtx *ctx, TSNode it, int scope) {
  for (int depth = 0; depth < 4 && !ts_node_is_null(it); depth++) {
    while (node_is(it, SYM.parenthesized_expression)) it = ts_node_named_child(it, 0);
    if (node_is(it, SYM.identifier)) {
      int sc = scope;
      TSNode r = model_resolve(ctx->model, it, &sc);
      if (ts_node_is_null(r) || ts_node_eq(r, it)) return false;
      it = r;
      scope = sc;
      continue;
    }
    if (node_is(it, SYM.await)) {
      it = ts_node_named_child(it, 0);
      continue;
    }
    if (!node_is(it, SYM.call)) return false;
    TSNode fn = ts_node_child_by_field_id(it, SYM.f_function);
    if (!node_is(fn, SYM.attribute)) return false;
    TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
    static const char *const reads[] = {"hgetall", "hkeys", "hvals", "hscan_iter", "hscan", NULL};
    for (size_t i = 0; reads[i]; i++)
      if (node_text_eq(ctx->src, attr, reads[i])) return true;
    if (!node_text_eq(ctx->src, attr, "items") && !node_text_eq(ctx->src, attr, "keys") &&
        !node_text_eq(ctx->src, attr, "values"))
      return false;
    it = ts_node_child_by_field_id(fn, SYM.f_object);
  }
  return false;
}

/* mapping={...} literal with too many entries, or built by a comprehension. */
static void check_mapping(RuleCtx *ctx, const CallSite *cs) {
  TSNode arg = call_kwarg(ctx->src, cs->args, "mapping");
  if (ts_node_is_null(arg) && !strcmp(cs->method, "hmset")) arg = call_arg(cs->args, 1);
  if (ts_node_is_null(arg)) return;
  int scope = cs->scope;
  TSNode map = model_resolve(ctx->model, arg, &scope);
  long limit = ctx->opt->th.hash_max_listpack_entries;
  uint32_t pairs = 0;
  for (uint32_t i = 0; node_is(map, SYM.dictionary) && i < ts_node_named_child_count(map); i++)
    pairs += node_is(ts_node_named_child(map, i), SYM.pair);
  if (pairs > (uint32_t)limit) {
    Finding *f = rule_report(ctx, arg, SEV_WARNING,
                             "mapping has %u fields, over hash-max-listpack-entries (%ld): hash "
                             "`%s` is stored as a hashtable, which takes about twice the memory "
                             "of the listpack it would be",
                             pairs, limit, call_key_display(ctx, cs));
    fix(ctx, f, cs);
    return;
  }
  /* dict(<generator>) builds the same thing as a dict comprehension */
  if (node_is(map, SYM.call) &&
      node_text_eq(ctx->src, ts_node_child_by_field_id(map, SYM.f_function), "dict")) {
    TSNode args = ts_node_child_by_field_id(map, SYM.f_arguments);
    TSNode g = node_is(args, SYM.generator_expression) ? args : call_arg(args, 0); /* dict(x for ..) */
    if (node_is(g, SYM.generator_expression) || node_is(g, SYM.list_comprehension)) map = g;
  }
  if (!node_is(map, SYM.dictionary_comprehension) && !node_is(map, SYM.generator_expression) &&
      !node_is(map, SYM.list_comprehension))
    return;
  TSNode clause = {0};
  for (uint32_t i = 0; i < ts_node_named_child_count(map) && ts_node_is_null(clause); i++)
    if (node_is(ts_node_named_child(map, i), SYM.for_in_clause)) clause = ts_node_named_child(map, i);
  TSNode it = ts_node_child_by_field_id(clause, SYM.f_right);
  int64_t count;
  IterBound b = iterable_bound(ctx->model, it, scope, &count, limit);
  if (b != ITER_UNBOUNDED || from_hash_reply(ctx, it, scope)) return;
  Finding *f = rule_report(ctx, arg, SEV_WARNING,
                           "mapping has a field per item of %s: past hash-max-listpack-entries "
                           "(%ld) the hash converts to a hashtable, about twice the memory of "
                           "a listpack",
                           bound_text(ctx, b, count, it), limit);
  fix(ctx, f, cs);
}

/* for item in items: r.hset("all", item.id, ...) with a fixed key. */
static void check_loop(RuleCtx *ctx, const CallSite *cs) {
  const Loop *l = model_loop(ctx->model, cs->loop);
  if (!l || ts_node_is_null(l->iterable) || !call_method_in(cs, FIELD_WRITES)) return;
  TSNode key = call_arg(cs->args, 0), field = call_arg(cs->args, 1);
  if (ts_node_is_null(key) || ts_node_is_null(field)) return;
  if (!mentions_loop_target(ctx->model, l, field)) return;
  /* the key must not change per iteration, in this loop or an outer one */
  for (const Loop *o = l; o; o = model_loop(ctx->model, o->parent))
    if (mentions_loop_target(ctx->model, o, key)) return;
  for (uint8_t h = 0; h < cs->key.nholes && h < KEY_MAX_HOLES; h++)
    for (const Loop *o = l; o; o = model_loop(ctx->model, o->parent))
      if (mentions_loop_target(ctx->model, o, cs->key.holes[h])) return;
  int64_t count;
  IterBound b = iterable_bound(ctx->model, l->iterable, cs->scope, &count,
                               ctx->opt->th.hash_max_listpack_entries);
  if (b != ITER_UNBOUNDED) return; /* RULES.md: unbounded iterables only */
  if (from_hash_reply(ctx, l->iterable, cs->scope)) return;
  Finding *f = rule_report(
      ctx, cs->node, SEV_WARNING,
      "hash `%s` gets a field per item of %s: past hash-max-listpack-entries (%ld) it converts "
      "to a hashtable, about twice the memory of a listpack",
      call_key_display(ctx, cs), bound_text(ctx, b, count, l->iterable),
      ctx->opt->th.hash_max_listpack_entries);
  fix(ctx, f, cs);
}

static void check(RuleCtx *ctx) {
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (!strcmp(cs->method, "hset") || !strcmp(cs->method, "hmset")) check_mapping(ctx, cs);
    check_loop(ctx, cs);
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/oversized-hash.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_oversized_hash = {
    .check_file = check,
};
