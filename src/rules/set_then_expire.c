/* RL202 set-then-expire: SET immediately followed by EXPIRE on the same key:
 * two round trips, and a key that never expires if the second one is lost. */
#include <ctype.h>
#include <string.h>

#include "rule_util.h"

/* Why a SET and a separate expiry are a risk, in every message of the pair. */
#define LOST_EXPIRY \
  "two round trips, and the key never expires if the second command is lost (timeout, crash, failover)"

/* The call of an expression statement (through `await`), or a null node. */
static TSNode statement_call(TSNode stmt) {
  TSNode none = {0};
  if (!node_is(stmt, SYM.expression_statement) || ts_node_named_child_count(stmt) != 1) return none;
  TSNode e = ts_node_named_child(stmt, 0);
  if (node_is(e, SYM.await)) e = ts_node_named_child(e, 0);
  return node_is(e, SYM.call) ? e : none;
}

/* `recv.expire(key, n)` / `recv.pexpire(key, n)` on the same receiver and
 * key; with *at, `expireat(key, when)` / `pexpireat(key, when)` too. */
static bool is_matching_expire_at(RuleCtx *ctx, const CallSite *set, TSNode call, bool *px, bool *at) {
  TSNode fn = ts_node_child_by_field_id(call, SYM.f_function);
  if (!node_is(fn, SYM.attribute)) return false;
  TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
  *at = node_text_eq(ctx->src, attr, "expireat") || node_text_eq(ctx->src, attr, "pexpireat");
  *px = node_text_eq(ctx->src, attr, "pexpire") || node_text_eq(ctx->src, attr, "pexpireat");
  if (!*px && !*at && !node_text_eq(ctx->src, attr, "expire")) return false;
  if (strcmp(node_text_squeezed(ctx->arena, ctx->src, ts_node_child_by_field_id(fn, SYM.f_object)), set->recv_text)) return false;
  TSNode args = ts_node_child_by_field_id(call, SYM.f_arguments);
  TSNode k1 = call_arg(set->args, 0), k2 = call_arg(args, 0);
  if (ts_node_is_null(k2)) k2 = call_kwarg(ctx->src, args, "name");
  return !ts_node_is_null(k1) && !ts_node_is_null(k2) &&
         !strcmp(node_text_squeezed(ctx->arena, ctx->src, k1), node_text_squeezed(ctx->arena, ctx->src, k2));
}

static bool is_matching_expire(RuleCtx *ctx, const CallSite *set, TSNode call, bool *px) {
  bool at;
  return is_matching_expire_at(ctx, set, call, px, &at) && !at;
}

static void add_fix(RuleCtx *ctx, Finding *f, const CallSite *cs, TSNode exp_stmt, TSNode exp_call,
                    bool px) {
  TSNode args = ts_node_child_by_field_id(exp_call, SYM.f_arguments);
  TSNode ttl = call_arg(args, 1);
  const char *kw = px ? "px" : "ex";
  uint32_t s, e;
  /* Not safe: with nx=/xx= the old code also expired a key SET did not write;
   * on a pipeline the reply list of execute() would lose an entry. */
  bool conditional = !ts_node_is_null(call_kwarg(ctx->src, cs->args, "nx")) ||
                     !ts_node_is_null(call_kwarg(ctx->src, cs->args, "xx"));
  bool edits = !ts_node_is_null(ttl) && ts_node_named_child_count(args) == 2 &&
               !call_has_splat(cs->args) && !conditional && !value_is_pipeline(cs->recv) &&
               cs->recv.kind != OBJ_CLIENT_OR_PIPELINE &&
               statement_line_range(ctx->src, exp_stmt, &s, &e);
  const char *ttl_txt = ts_node_is_null(ttl) ? "n" : ctx_text(ctx, ttl);
  finding_fix(ctx, f, edits ? FIX_SAFE : FIX_DISPLAY, "Set the TTL atomically: `%s.set(..., %s=%s)`",
              cs->recv_text, kw, ttl_txt);
  if (!edits) return;
  fix_add_kwarg(ctx, f, cs, arena_printf(ctx->arena, "%s=%s", kw, ttl_txt));
  finding_edit(ctx, f, s, e, "");
}

/* Writes that create a key without a TTL of their own (SET has EX=). */
static const char *const WRITES[] = {"incr", "incrby", "incrbyfloat", "decr", "decrby", "hset",
                                     "hincrby", "hincrbyfloat", "lpush", "rpush", "sadd", "zadd",
                                     "zincrby", "xadd", "pfadd", "append", "setbit", NULL};

/* The name a statement assigns the call's reply to (`n = r.incr(k)`), or NULL. */
static const char *assigned_name(RuleCtx *ctx, const CallSite *cs) {
  TSNode st = cs->stmt;
  if (!node_is(st, SYM.expression_statement) || ts_node_named_child_count(st) != 1) return NULL;
  TSNode a = ts_node_named_child(st, 0);
  if (!node_is(a, SYM.assignment)) return NULL;
  TSNode right = ts_node_child_by_field_id(a, SYM.f_right), left = ts_node_child_by_field_id(a, SYM.f_left);
  if (node_is(right, SYM.await)) right = ts_node_named_child(right, 0);
  if (!ts_node_eq(right, cs->node) || !node_is(left, SYM.identifier)) return NULL;
  return ctx_text(ctx, left);
}

/* Does the condition test the reply for a first write: `n == 1`, `1 == n`,
 * `n <= 1`? */
static bool first_write_test(RuleCtx *ctx, TSNode cond, const char *name) {
  if (node_is(cond, SYM.parenthesized_expression)) cond = ts_node_named_child(cond, 0);
  if (!node_is(cond, SYM.comparison_operator) || ts_node_named_child_count(cond) != 2) return false;
  TSNode x = ts_node_named_child(cond, 0), y = ts_node_named_child(cond, 1);
  const char *op = NULL;
  for (uint32_t i = 0; i < ts_node_child_count(cond); i++)
    if (!ts_node_is_named(ts_node_child(cond, i))) op = ts_node_type(ts_node_child(cond, i));
  if (!op) return false;
  bool named_left = node_is(x, SYM.identifier) && node_text_eq(ctx->src, x, name) &&
                    node_is(y, SYM.integer) && node_text_eq(ctx->src, y, "1");
  bool named_right = node_is(y, SYM.identifier) && node_text_eq(ctx->src, y, name) &&
                     node_is(x, SYM.integer) && node_text_eq(ctx->src, x, "1");
  return (named_left && (!strcmp(op, "==") || !strcmp(op, "<="))) ||
         (named_right && (!strcmp(op, "==") || !strcmp(op, ">=")));
}

/* INCR, LPUSH, SADD... then EXPIRE on the same key in an `if` on the reply
 * being 1: the TTL is set on the first write only, so a lost EXPIRE leaves
 * a key that never expires (a rate-limit counter that locks its client out
 * for good). An EXPIRE after every write heals on the next one: not
 * reported. */
static void check_write(RuleCtx *ctx, const CallSite *cs, bool tests) {
  if (!call_method_in(cs, WRITES) || !cs->cmd || ts_node_is_null(cs->stmt)) return;
  TSNode next = statement_next(cs->stmt, NULL), call;
  bool px;
  const char *name = assigned_name(ctx, cs);
  if (!name || !node_is(next, SYM.if_statement)) return;
  TSNode cond = ts_node_child_by_field_id(next, SYM.f_condition);
  TSNode body = ts_node_child_by_field_id(next, SYM.f_consequence);
  if (!first_write_test(ctx, cond, name) || ts_node_named_child_count(body) < 1) return;
  call = statement_call(ts_node_named_child(body, 0));
  if (ts_node_is_null(call) || !is_matching_expire(ctx, cs, call, &px)) return;
  if (value_is_pipeline(cs->recv) || cs->recv.kind == OBJ_CLIENT_OR_PIPELINE) return; /* one round trip */
  char *cmd = arena_strdup(ctx->arena, cs->method); /* as written: INCR, not INCRBY */
  for (char *c = cmd; *c; c++) *c = (char)toupper((unsigned char)*c);
  const char *exp = px ? "PEXPIRE" : "EXPIRE";
  Finding *f = rule_report(ctx, cs->node, tests ? SEV_INFO : SEV_WARNING,
                           "%s then %s only when it created `%s`, in a second command: if that one "
                           "is lost (timeout, crash, failover) the key never expires: a counter or "
                           "rate limit built on it never resets, or a key per window is left "
                           "behind",
                           cmd, exp, call_key_display(ctx, cs));
  finding_fix(ctx, f, FIX_DISPLAY,
              "Send both in one transaction: `pipe = %s.pipeline()` with `pipe.%s(...)` and "
              "`pipe.%s(..., nx=True)` (Redis 7: only when the key has no TTL), then "
              "`%spipe.execute()`; or a Lua script",
              cs->recv_text, cs->method, px ? "pexpire" : "expire", pipe_await(cs));
  finding_related(ctx, f, NULL, nstart(call), nend(call), "the separate expiry");
}

/* Hash writes: an object (a session, a task, a profile) is usually written
 * once and then read, so a lost EXPIRE is never healed by the next write.
 * Pushes and counters expired on every write (LPUSH, SADD, INCR then EXPIRE)
 * heal on their next write and are left alone. */
static const char *const COLLECTION_WRITES[] = {"hset", "hmset", NULL};

/* HSET then EXPIRE of the same key in the next statement, outside a
 * pipeline and outside a loop (command-in-loop's pipeline covers that):
 * two round trips, and the object keeps no TTL if the EXPIRE is lost. */
static void check_collection_then_expire(RuleCtx *ctx, const CallSite *cs, bool tests) {
  if (!call_method_in(cs, COLLECTION_WRITES) || !result_unused(cs) || cs->loop >= 0) return;
  /* a client known only from the commands called on it may be a pipeline
     (`conn = pipe if pipe else r.pipeline()`): then both are one round trip */
  if (value_is_pipeline(cs->recv) || cs->recv.kind == OBJ_CLIENT_OR_PIPELINE || cs->recv.inferred)
    return;
  TSNode next = statement_next(cs->stmt, NULL);
  TSNode call = statement_call(next);
  bool px;
  if (ts_node_is_null(call) || !is_matching_expire(ctx, cs, call, &px)) return;
  char *cmd = arena_strdup(ctx->arena, cs->method);
  for (char *c = cmd; *c; c++) *c = (char)toupper((unsigned char)*c);
  Finding *f = rule_report(ctx, cs->node, tests ? SEV_INFO : SEV_WARNING,
                           "%s then %s on `%s`: two round trips, and if the second command is "
                           "lost (timeout, crash, failover) the key keeps no TTL until it is "
                           "written again, for good if it never is",
                           cmd, px ? "PEXPIRE" : "EXPIRE", call_key_display(ctx, cs));
  finding_related(ctx, f, NULL, nstart(call), nend(call), "the separate expiry");
  finding_fix(ctx, f, FIX_DISPLAY,
              "Send both in one MULTI/EXEC: `%s%s.pipeline() as pipe:` then `pipe.%s(...)`, "
              "`pipe.%s(...)`, `%spipe.execute()` (one round trip, and the key never exists "
              "without its TTL)",
              pipe_with(cs), cs->recv_text, cs->method, px ? "pexpire" : "expire", pipe_await(cs));
}

/* `r.set(k, v)` then `if ttl: r.expire(k, ttl)` (ttl a name or an
 * attribute, `self.cache_ttl`; tested for truth only: `if ttl is not None:`
 * also expires at once on 0, which SET EX cannot), nothing else in the if: a TTL that is
 * optional, still sent as a second command. `set(k, v, ex=ttl or None)`
 * does both: None (and 0) give no expiry, as when the if was skipped.
 * Reported; true when it was. */
static bool optional_ttl(RuleCtx *ctx, const CallSite *cs, TSNode next, bool tests) {
  if (!node_is(next, SYM.if_statement) || cs->recv.kind == OBJ_TRANSACTION ||
      value_is_pipeline(cs->recv) || cs->recv.kind == OBJ_CLIENT_OR_PIPELINE ||
      !ts_node_is_null(ts_node_child_by_field_id(next, SYM.f_alternative)))
    return false;
  TSNode cond = ts_node_child_by_field_id(next, SYM.f_condition);
  TSNode body = ts_node_child_by_field_id(next, SYM.f_consequence);
  TSNode call = ts_node_named_child_count(body) == 1 ? statement_call(ts_node_named_child(body, 0))
                                                      : (TSNode){0};
  bool px;
  if (!(node_is(cond, SYM.identifier) || node_is(cond, SYM.attribute)) || ts_node_is_null(call) ||
      !is_matching_expire(ctx, cs, call, &px))
    return false;
  TSNode args = ts_node_child_by_field_id(call, SYM.f_arguments);
  TSNode ttl = call_arg(args, 1);
  if (ts_node_is_null(ttl)) ttl = call_kwarg(ctx->src, args, "time");
  if (!(node_is(ttl, SYM.identifier) || node_is(ttl, SYM.attribute)) ||
      strcmp(ctx_text(ctx, ttl), ctx_text(ctx, cond)))
    return false;
  const char *name = ctx_text(ctx, ttl), *kw = px ? "px" : "ex";
  Finding *f = rule_report(ctx, cs->node, tests ? SEV_INFO : SEV_WARNING,
                           "SET then %s on `%s` when `%s` is set: two round trips, and the key "
                           "never expires if the second command is lost (timeout, crash, "
                           "failover); one SET with %s= does both",
                           px ? "PEXPIRE" : "EXPIRE", call_key_display(ctx, cs), name, kw);
  finding_related(ctx, f, NULL, nstart(call), nend(call), "the separate expiry");
  finding_fix(ctx, f, FIX_DISPLAY,
              "Set the TTL with the value: `%s.set(..., %s=%s or None)` and drop the `if` (None, "
              "and 0, give no expiry, as when the if was skipped)",
              cs->recv_text, kw, name);
  return true;
}

/* The same key template, or the helper's a hole followed by the end of
 * the SET's (`{cart_key}:promo` in the helper, where cart_key is built
 * by another function, against `cart:{sid}:promo`). */
static bool same_template(const char *helper, const char *set) {
  if (!strcmp(helper, set)) return true;
  size_t hl = strlen(helper), sl = strlen(set);
  return helper[0] == '\x01' && hl > 2 && hl <= sl && strchr(set, '\x01') &&
         !strchr(helper + 1, '\x01') && !strcmp(set + sl - (hl - 1), helper + 1) &&
         set + sl - (hl - 1) > strchr(set, '\x01');
}

/* The EXPIRE of the same key that the helper called at `call` sends (a
 * function of this file whose Redis commands are all EXPIRE or PEXPIRE, one
 * on the receiver the SET used, of a key with the same template with holes:
 * `_touch(sid)` doing `r.expire(f"basket:{sid}:coupon", TTL)`); NULL if
 * none. Only the helper's own call sites are read (they are in tree order). */
static const CallSite *helper_expire(RuleCtx *ctx, const HelperNames *nm, const CallSite *set,
                                     TSNode call) {
  int fi = helper_of(ctx, nm, call, set->func);
  if (fi < 0 || fi == set->func || !set->key.text || !set->key.nholes) return NULL;
  TSNode hn = model_function(ctx->model, fi)->node;
  const CallSite *found = NULL;
  for (size_t i = first_call_from(ctx->model, nstart(hn)); i < model_ncalls(ctx->model); i++) {
    const CallSite *c = model_call(ctx->model, i);
    if (nstart(c->node) >= nend(hn)) break;
    if (c->func != fi) continue;
    if (strcmp(c->method, "expire") && strcmp(c->method, "pexpire")) return NULL; /* it does more */
    if (!found && !strcmp(c->recv_text, set->recv_text) && c->key.text && c->loop < 0 &&
        same_template(c->key.text, set->key.text))
      found = c;
  }
  return found;
}

static void check(RuleCtx *ctx) {
  bool tests = in_test_code(ctx->src, ctx->opt);
  HelperNames names = {0};
  bool names_built = false;
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (strcmp(cs->method, "set")) {
      check_write(ctx, cs, tests);
      check_collection_then_expire(ctx, cs, tests);
      continue;
    }
    /* `ok = r.set(k, v)` too: set(k, v, ex=n) returns the same reply */
    if ((!result_unused(cs) && !assigned_name(ctx, cs)) || ttl_text(ctx, cs)[0]) continue;
    TSNode next = statement_next(cs->stmt, NULL);
    TSNode call = statement_call(next);
    bool px;
    if (optional_ttl(ctx, cs, next, tests)) continue;
    bool at = false;
    if (!ts_node_is_null(call) && is_matching_expire_at(ctx, cs, call, &px, &at) && at) {
      /* SET then EXPIREAT: the same pair; SET takes exat=/pxat= since Redis 6.2 */
      TSNode when = call_arg(ts_node_child_by_field_id(call, SYM.f_arguments), 1);
      Finding *f = rule_report(ctx, cs->node, tests ? SEV_INFO : SEV_WARNING,
                               "SET then %s on `%s`: " LOST_EXPIRY "; one SET with %s= does both "
                               "(Redis 6.2 and later)",
                               px ? "PEXPIREAT" : "EXPIREAT", call_key_display(ctx, cs),
                               px ? "pxat" : "exat");
      finding_related(ctx, f, NULL, nstart(call), nend(call), "the separate expiry");
      finding_fix(ctx, f, FIX_DISPLAY,
                  "Set the expiry atomically: `%s.set(..., %s=%s)` (Redis 6.2+, redis-py 4.0+; "
                  "it takes a datetime or a Unix time in %s)",
                  cs->recv_text, px ? "pxat" : "exat", ts_node_is_null(when) ? "when" : ctx_text(ctx, when),
                  px ? "milliseconds" : "seconds");
      continue;
    }
    if (!ts_node_is_null(call) && !is_matching_expire(ctx, cs, call, &px) && cs->recv.kind == OBJ_CLIENT) {
      if (!names_built) {
        helper_names_build(ctx, &names);
        names_built = true;
      }
      const CallSite *he = helper_expire(ctx, &names, cs, call);
      if (!he) continue;
      /* SET, then a helper of this file that only expires that key */
      px = !strcmp(he->method, "pexpire");
      TSNode hfn = ts_node_child_by_field_id(call, SYM.f_function);
      const char *hname = ctx_text(ctx, node_is(hfn, SYM.attribute) ? ts_node_child_by_field_id(hfn, SYM.f_attribute) : hfn);
      Finding *f = rule_report(ctx, cs->node, tests ? SEV_INFO : SEV_WARNING,
                               "SET then %s on `%s` through `%s()` (line %u): " LOST_EXPIRY
                               "; one SET with %s= does both",
                               px ? "PEXPIRE" : "EXPIRE", call_key_display(ctx, cs), hname,
                               line_of(ctx->src, nstart(he->node)), px ? "px" : "ex");
      finding_related(ctx, f, NULL, nstart(he->node), nend(he->node), "the expiry the helper sends");
      TSNode ttl = call_arg(he->args, 1);
      finding_fix(ctx, f, FIX_DISPLAY,
                  "Set the TTL atomically: `%s.set(..., %s=%s)`, and drop the call of `%s()` here",
                  cs->recv_text, px ? "px" : "ex", ts_node_is_null(ttl) ? "n" : ctx_text(ctx, ttl), hname);
      continue;
    }
    if (ts_node_is_null(call) || !is_matching_expire(ctx, cs, call, &px)) continue;
    bool tx = cs->recv.kind == OBJ_TRANSACTION;
    Finding *f = rule_report(ctx, cs->node, tx || tests ? SEV_INFO : SEV_WARNING,
                             "SET then %s on `%s`: %s; one SET with %s= does both",
                             px ? "PEXPIRE" : "EXPIRE", call_key_display(ctx, cs),
                             tx ? "inside MULTI/EXEC this is atomic but still two commands"
                                : LOST_EXPIRY,
                             px ? "px" : "ex");
    finding_related(ctx, f, NULL, nstart(call), nend(call), "the separate expiry");
    add_fix(ctx, f, cs, next, call, px);
  }
  if (names_built) helper_names_free(&names);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/set-then-expire.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_set_then_expire = {
    .check_file = check,
};
