/* RL403 blocking-without-timeout: a blocking pop or XREAD that waits forever
 * (timeout 0). A dead connection, a failover or a shutdown request is never
 * noticed while the call waits, and a worker cannot stop cleanly.
 *
 * "Forever" is what the call says (blocking_timeout: omitted, 0, None,
 * block=0, a name bound to 0) or an idiom that falls back to 0: `t or 0`,
 * `cfg.get("timeout", 0)`, `getattr(o, "timeout", 0)`, a parameter whose
 * default is 0 (or None for the pops) passed through unchanged. When the
 * client's socket_timeout is known to be finite the call cannot block
 * forever (redis-py raises TimeoutError instead): RL404 reports that. */
#include <string.h>

#include "rule_util.h"

typedef struct Forever {
  const char *why;  /* for the message: "timeout omitted", "`t or 0`"... */
  TSNode literal;   /* the literal 0/None to replace, or null */
  bool omitted;     /* add timeout=N */
} Forever;

/* Is the expression 0 (or None where None means 0)? */
static bool zero_like(RuleCtx *ctx, TSNode n, int scope, bool ms) {
  double v;
  int sc = scope;
  TSNode r = model_resolve(ctx->model, n, &sc);
  if (node_is(r, SYM.none)) return !ms;
  return number_value(ctx, n, scope, &v) && v == 0;
}

/* `name` is a parameter of the enclosing function whose default is 0/None
 * and that is not reassigned before the call. */
static bool param_default_zero(RuleCtx *ctx, const CallSite *cs, TSNode id, bool ms,
                               const char **fname, const char **dflt) {
  if (!node_is(id, SYM.identifier) || cs->func < 0) return false;
  const char *name = ctx->src->text + nstart(id);
  size_t len = nend(id) - nstart(id);
  const Function *fn = model_function(ctx->model, cs->func);
  Reaching a = model_reaching(ctx->model, fn->scope, name, len, nstart(id));
  if (!a.value || !a.param) return false; /* only the function's own parameter */
  *fname = fn->name;
  *dflt = ctx_text(ctx, a.expr);
  return zero_like(ctx, a.expr, a.scope, ms);
}

/* ---- callers that always pass the timeout --------------------------------
 *
 * `def consume(self, queues, timeout=0): return self.redis.blpop(queues,
 * timeout=timeout)` mirrors redis-py's own default; when every call of it
 * passes a finite timeout the 0 is never used. Only the calls in this file
 * are seen (the project index knows what callers in other files pass only
 * as client values, and files that never name redis are not modelled), so a
 * call elsewhere that omits it is missed; a function this file never calls,
 * or names without calling (`Thread(target=self.consume)`), keeps the
 * report: its callers are unknown, and a library's public default of 0 used
 * by outside callers blocks forever. */

/* Where parameter `name` of function fn sits: *pos its index among the
 * parameters that can be passed by position (-1 when keyword-only), *offset
 * 1 when calls through an attribute bind the first parameter (self, cls).
 * False when fn has no such parameter. */
static bool param_slot(RuleCtx *ctx, const Function *fn, const char *name, int *pos, int *offset) {
  TSNode ps = ts_node_child_by_field_id(fn->node, SYM.f_parameters);
  bool positional = true;
  int at = 0;
  *offset = fn->cls >= 0 && fn->self_name ? 1 : 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(ps); i++) {
    TSNode p = ts_node_named_child(ps, i);
    TSNode id = p;
    if (node_is(p, SYM.typed_parameter)) id = ts_node_named_child(p, 0);
    else if (node_is(p, SYM.default_parameter) || node_is(p, SYM.typed_default_parameter))
      id = ts_node_child_by_field_id(p, SYM.f_name);
    else if (node_is(p, SYM.list_splat_pattern) || node_is(p, SYM.keyword_separator) ||
             node_is(p, SYM.dictionary_splat_pattern)) {
      positional = false;
      continue;
    }
    if (!node_is(id, SYM.identifier)) continue; /* the `/` marker */
    if (node_text_eq(ctx->src, id, name)) {
      *pos = positional ? at : -1;
      return true;
    }
    at++;
  }
  return false;
}

/* Is the argument a positive number: a literal or constant (number_value),
 * or a parameter of the calling function that defaults to one and reaches
 * the call unchanged (`def next_task(self, timeout=5): self.consume(q,
 * timeout=timeout)`)? */
static bool positive_arg(RuleCtx *ctx, TSNode arg) {
  if (ts_node_is_null(arg)) return false;
  int scope = model_scope_at(ctx->model, nstart(arg));
  double v;
  if (number_value(ctx, arg, scope, &v)) return v > 0;
  if (!node_is(arg, SYM.identifier)) return false;
  Reaching a = model_reaching(ctx->model, scope, ctx->src->text + nstart(arg), nend(arg) - nstart(arg),
                              nstart(arg));
  return a.value && a.param && number_value(ctx, a.expr, a.scope, &v) && v > 0;
}

typedef struct Callers {
  RuleCtx *ctx;
  const char *fname, *param;
  int pos, offset;
  int calls;
  bool unknown; /* a call that may omit it, or a use that is not a call */
} Callers;

static bool callers_visit(TSNode n, void *data) {
  Callers *c = data;
  if (!node_is(n, SYM.identifier) || !node_text_eq(c->ctx->src, n, c->fname)) return true;
  TSNode parent = ts_node_parent(n), call = {0};
  bool attr = false;
  if (node_is(parent, SYM.function_definition) &&
      ts_node_eq(ts_node_child_by_field_id(parent, SYM.f_name), n))
    return true; /* its own definition, or an override's */
  if (node_is(parent, SYM.keyword_argument) &&
      ts_node_eq(ts_node_child_by_field_id(parent, SYM.f_name), n))
    return true; /* `f(consume=...)`: a keyword, not the function */
  if (node_is(parent, SYM.attribute) && ts_node_eq(ts_node_child_by_field_id(parent, SYM.f_attribute), n)) {
    TSNode gp = ts_node_parent(parent);
    if (node_is(gp, SYM.call) && ts_node_eq(ts_node_child_by_field_id(gp, SYM.f_function), parent))
      call = gp;
    attr = true;
  } else if (node_is(parent, SYM.call) && ts_node_eq(ts_node_child_by_field_id(parent, SYM.f_function), n)) {
    call = parent;
  }
  if (ts_node_is_null(call)) { /* passed around, aliased, decorated: callers unknown */
    c->unknown = true;
    return false;
  }
  c->calls++;
  TSNode args = ts_node_child_by_field_id(call, SYM.f_arguments);
  TSNode a = call_kwarg(c->ctx->src, args, c->param);
  /* by position: `self.consume(q, 5)` binds self first, `consume(q, 5)` not;
   * a method called by its bare name is some other function */
  if (ts_node_is_null(a) && c->pos >= 0 && (attr ? c->offset <= c->pos : c->offset == 0)) {
    uint32_t i = (uint32_t)(c->pos - (attr ? c->offset : 0));
    if (i < call_npositional(args)) a = call_arg(args, i);
  }
  if (!positive_arg(c->ctx, a)) {
    c->unknown = true;
    return false;
  }
  return true;
}

/* Does every call of function fn in this file pass parameter `param` a
 * positive number, with at least one call and no other use of the name? */
static bool callers_pass(RuleCtx *ctx, const Function *fn, const char *param) {
  if (!fn->name) return false;
  Callers c = {.ctx = ctx, .fname = fn->name, .param = param};
  if (!param_slot(ctx, fn, param, &c.pos, &c.offset)) return false;
  node_walk(model_root(ctx->model), callers_visit, &c);
  return c.calls > 0 && !c.unknown;
}

/* `x or 0`, `d.get("k", 0)`, `getattr(o, "k", 0)`: falls back to forever. */
static bool fallback_zero(RuleCtx *ctx, const CallSite *cs, TSNode t, bool ms, TSNode *lit) {
  TSNode dflt = {0};
  if (node_is(t, SYM.parenthesized_expression))
    return fallback_zero(ctx, cs, ts_node_named_child(t, 0), ms, lit);
  if (node_is(t, SYM.binary_operator)) { /* (t or 0) // 1000, (t or 0) * 1000: still 0 */
    TSNode op = ts_node_child_by_field_id(t, SYM.f_operator), inner;
    bool zero = (node_text_eq(ctx->src, op, "//") || node_text_eq(ctx->src, op, "*") ||
                 node_text_eq(ctx->src, op, "/")) &&
                fallback_zero(ctx, cs, ts_node_child_by_field_id(t, SYM.f_left), ms, &inner);
    /* The 0 is in other units (`(t or 5) // 1000` is 0 again): not edited. */
    if (zero) *lit = (TSNode){0};
    return zero;
  }
  if (node_is(t, SYM.boolean_operator) &&
      node_text_eq(ctx->src, ts_node_child_by_field_id(t, SYM.f_operator), "or")) {
    dflt = ts_node_child_by_field_id(t, SYM.f_right);
  } else if (node_is(t, SYM.call)) {
    TSNode fn = ts_node_child_by_field_id(t, SYM.f_function);
    TSNode args = ts_node_child_by_field_id(t, SYM.f_arguments);
    if (node_is(fn, SYM.attribute) &&
        node_text_eq(ctx->src, ts_node_child_by_field_id(fn, SYM.f_attribute), "get"))
      dflt = call_arg(args, 1);
    else if (node_text_eq(ctx->src, fn, "getattr"))
      dflt = call_arg(args, 2);
    else if (node_text_eq(ctx->src, fn, "int") || node_text_eq(ctx->src, fn, "float"))
      return fallback_zero(ctx, cs, call_arg(args, 0), ms, lit); /* int(t or 0) */
  }
  if (ts_node_is_null(dflt) || !zero_like(ctx, dflt, cs->scope, ms)) return false;
  *lit = node_is(dflt, SYM.integer) || node_is(dflt, SYM.float_) || node_is(dflt, SYM.none)
             ? dflt
             : (TSNode){0};
  return true;
}

/* The call sits in the body of an `if`/`while` whose condition tests the
 * timeout name (`if timeout > 0:`, `if timeout:`), or the function leaves
 * early on it (`if timeout == 0: raise ...`). */
static bool guarded_by(RuleCtx *ctx, const CallSite *cs, TSNode id) {
  const char *name[1] = {ctx_text(ctx, id)};
  const Function *fn = model_function(ctx->model, cs->func);
  for (TSNode p = ts_node_parent(cs->node); !ts_node_is_null(p); p = ts_node_parent(p)) {
    if (fn && ts_node_eq(p, fn->node)) break;
    if (!node_is(p, SYM.if_statement) && !node_is(p, SYM.while_statement) &&
        !node_is(p, SYM.conditional_expression))
      continue;
    TSNode cond = node_is(p, SYM.conditional_expression) ? ts_node_named_child(p, 1)
                                                         : ts_node_child_by_field_id(p, SYM.f_condition);
    if (!(nstart(cs->node) >= nstart(cond) && nend(cs->node) <= nend(cond)) &&
        expr_mentions_any(ctx, cond, name, 1))
      return true;
  }
  if (!fn) return false;
  /* an earlier `if <mentions timeout>: raise/return` in the function body */
  TSNode body = ts_node_child_by_field_id(fn->node, SYM.f_body);
  for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
    TSNode st = ts_node_named_child(body, i);
    if (nstart(st) >= nstart(cs->node)) break;
    if (!node_is(st, SYM.if_statement)) continue;
    TSNode cons = ts_node_child_by_field_id(st, SYM.f_consequence);
    TSNode last = ts_node_named_child(cons, ts_node_named_child_count(cons) - 1);
    if ((node_is(last, SYM.raise_statement) || node_is(last, SYM.return_statement)) &&
        expr_mentions_any(ctx, ts_node_child_by_field_id(st, SYM.f_condition), name, 1))
      return true;
  }
  return false;
}

static bool blocks_forever(RuleCtx *ctx, const CallSite *cs, Forever *f) {
  uint32_t pos;
  const char *kw;
  bool ms, dflt;
  if (!blocking_timeout_param(cs, &pos, &kw, &ms, &dflt)) return false;
  double secs;
  TSNode t = {0};
  memset(f, 0, sizeof *f);
  if (blocking_timeout(ctx, cs, &secs, &t)) {
    if (secs != 0) return false;
    if (ts_node_is_null(t)) {
      f->omitted = true;
      f->why = "timeout omitted, 0 by default";
    } else if (node_is(t, SYM.none) || node_is(t, SYM.integer) || node_is(t, SYM.float_)) {
      f->literal = t;
      f->why = arena_printf(ctx->arena, "%s=%s", kw, ctx_text(ctx, t));
    } else {
      f->why = arena_printf(ctx->arena, "`%s` is 0", ctx_text(ctx, t));
    }
    return true;
  }
  if (ts_node_is_null(t)) return false;
  if (node_is(t, SYM.keyword_argument)) t = ts_node_child_by_field_id(t, SYM.f_value);
  const char *fname, *dv;
  if (fallback_zero(ctx, cs, t, ms, &f->literal)) {
    f->why = arena_printf(ctx->arena, "`%s` falls back to 0", ctx_text(ctx, t));
    return true;
  }
  if (node_is(t, SYM.identifier) && guarded_by(ctx, cs, t)) return false;
  int scope = cs->scope;
  TSNode v = model_resolve(ctx->model, t, &scope);
  TSNode lit;
  if (!ts_node_eq(v, t) && fallback_zero(ctx, cs, v, ms, &lit)) {
    f->why = arena_printf(ctx->arena, "`%s` is `%s`, 0 when no timeout is set", ctx_text(ctx, t),
                          ctx_text(ctx, v));
    return true;
  }
  if (param_default_zero(ctx, cs, t, ms, &fname, &dv)) {
    /* the default is never used when every caller passes a finite timeout */
    if (callers_pass(ctx, model_function(ctx->model, cs->func), ctx_text(ctx, t))) return false;
    /* `def blpop(self, keys, timeout=0): return self._r.blpop(keys,
       timeout=timeout)`: a facade method of the same name mirrors
       redis-py's default and leaves the choice to its callers */
    if (!strcmp(fname, cs->method)) return false;
    f->why = arena_printf(ctx->arena, "parameter `%s` of %s() defaults to %s", ctx_text(ctx, t),
                          fname, dv);
    return true;
  }
  return false;
}

static void add_fix(RuleCtx *ctx, Finding *fd, const CallSite *cs, const Forever *f) {
  uint32_t pos;
  const char *kw;
  bool ms, dflt;
  blocking_timeout_param(cs, &pos, &kw, &ms, &dflt);
  long n = ctx->opt->block_timeout;
  const char *val = ms ? arena_printf(ctx->arena, "%ld", n * 1000) : arena_printf(ctx->arena, "%ld", n);
  bool edits = f->omitted || !ts_node_is_null(f->literal);
  finding_fix(ctx, fd, edits ? FIX_UNSAFE : FIX_DISPLAY,
              "Block for at most %ld s (`%s=%s`) and loop: the call then returns %s when nothing "
              "arrived, so callers must handle it",
              n, kw, val, ms ? "an empty list" : "None");
  if (f->omitted) fix_add_kwarg(ctx, fd, cs, arena_printf(ctx->arena, "%s=%s", kw, val));
  else if (!ts_node_is_null(f->literal))
    finding_edit(ctx, fd, nstart(f->literal), nend(f->literal), val);
}

static void on_call(RuleCtx *ctx, const CallSite *cs) {
  bool tests = in_test_code(ctx->src, ctx->opt);
  if (!cs->cmd || cs->recv.kind != OBJ_CLIENT) return; /* pipelines do not block here */
  Forever f;
  if (!blocks_forever(ctx, cs, &f)) return;
  double sock;
  if (client_socket_timeout(ctx, cs, &sock, NULL)) return; /* raises instead: RL404 */
  Finding *fd = rule_report(ctx, cs->node, tests ? SEV_INFO : SEV_WARNING,
                            "`%s` blocks forever (%s): a dead connection or a shutdown request "
                            "is never noticed while it waits; pass a finite timeout and loop "
                            "on %s",
                            call_short(ctx, cs), f.why,
                            cs->method[0] == 'x' ? "an empty reply" : "None");
  add_fix(ctx, fd, cs, &f);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/blocking-without-timeout.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_blocking_without_timeout = {
    .on_call = on_call,
};
