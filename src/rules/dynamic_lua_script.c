/* RL306 dynamic-lua-script: a Lua script whose text is built at run time.
 * Every distinct text is a new script in the server's script cache, EVALSHA
 * never hits, and caller data spliced into the text is code (injection). */
#include <ctype.h>
#include <string.h>

#include "rule_util.h"

static const char *const SCRIPT_CALLS[] = {"eval", "eval_ro", "register_script", "script_load",
                                           NULL};
static const char *const CONST_FUNCS[] = {"str", "int", "float", "len", "repr", "round", NULL};
/* str methods that give the same text for the same inputs */
static const char *const CONST_METHODS[] = {"format", "replace", "join", "strip", "lstrip",
                                            "rstrip", "lower", "upper", NULL};

#define CONST_DEPTH 8

/* FOO, MAX_LEN, TTL2: the convention for constants. */
static bool all_caps(const char *s) {
  bool letter = false;
  for (; *s; s++) {
    if (isupper((unsigned char)*s)) letter = true;
    else if (!isdigit((unsigned char)*s) && *s != '_') return false;
  }
  return letter;
}

static bool expr_constant(RuleCtx *ctx, TSNode e, int scope, int depth);

static bool children_constant(RuleCtx *ctx, TSNode e, int scope, int depth) {
  for (uint32_t i = 0; i < ts_node_named_child_count(e); i++) {
    TSNode c = ts_node_named_child(e, i);
    if (node_is(c, SYM.comment)) continue;
    if (!expr_constant(ctx, c, scope, depth + 1)) return false;
  }
  return true;
}

/* Is the expression the same on every call: literals, module constants,
 * ALL_CAPS names, and str()/int()/len() of those? */
static bool expr_constant(RuleCtx *ctx, TSNode e, int scope, int depth) {
  if (ts_node_is_null(e)) return true; /* nothing known to vary */
  if (depth > CONST_DEPTH) return false;
  uint16_t s = nsym(e);
  if (s == SYM.integer || s == SYM.float_ || s == SYM.true_ || s == SYM.false_ || s == SYM.none)
    return true;
  if (s == SYM.string) {
    for (uint32_t i = 0; i < ts_node_named_child_count(e); i++) {
      TSNode c = ts_node_named_child(e, i);
      if (node_is(c, SYM.interpolation) &&
          !expr_constant(ctx, ts_node_named_child(c, 0), scope, depth + 1))
        return false;
    }
    return true;
  }
  if (s == SYM.concatenated_string || s == SYM.parenthesized_expression || s == SYM.tuple ||
      s == SYM.list || s == SYM.dictionary || s == SYM.pair || s == SYM.binary_operator ||
      s == SYM.unary_operator || s == SYM.set)
    return children_constant(ctx, e, scope, depth);
  if (s == SYM.attribute)
    return all_caps(ctx_text(ctx, ts_node_child_by_field_id(e, SYM.f_attribute)));
  if (s == SYM.identifier) {
    if (all_caps(ctx_text(ctx, e))) return true;
    int sc = scope;
    TSNode v = model_resolve_name(ctx->model, e, scope, &sc);
    if (ts_node_is_null(v) || ts_node_eq(v, e)) return false;
    return model_scope_is_module(ctx->model, sc) && expr_constant(ctx, v, sc, depth + 1);
  }
  if (s == SYM.call) {
    TSNode fn = ts_node_child_by_field_id(e, SYM.f_function);
    bool known = false;
    if (node_is(fn, SYM.attribute)) { /* TEMPLATE.format(a="KEYS[1]") */
      TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
      for (const char *const *f = CONST_METHODS; *f && !known; f++)
        known = node_text_eq(ctx->src, attr, *f);
      return known && expr_constant(ctx, ts_node_child_by_field_id(fn, SYM.f_object), scope, depth + 1) &&
             children_constant(ctx, ts_node_child_by_field_id(e, SYM.f_arguments), scope, depth);
    }
    for (const char *const *f = CONST_FUNCS; *f && !known; f++) known = node_text_eq(ctx->src, fn, *f);
    return known && children_constant(ctx, ts_node_child_by_field_id(e, SYM.f_arguments), scope,
                                      depth);
  }
  if (s == SYM.argument_list) return children_constant(ctx, e, scope, depth);
  if (s == SYM.keyword_argument)
    return expr_constant(ctx, ts_node_child_by_field_id(e, SYM.f_value), scope, depth + 1);
  return false;
}

/* The expression for a message: squeezed, and cut at 40 bytes. */
static const char *short_text(RuleCtx *ctx, TSNode n) {
  const char *t = node_text_squeezed(ctx->arena, ctx->src, n);
  return strlen(t) <= 40 ? t : arena_printf(ctx->arena, "%.37s...", t);
}

/* How the script text is put together, for the message. */
static const char *how_built(RuleCtx *ctx, TSNode script, int scope) {
  TSNode n = model_resolve(ctx->model, script, &scope);
  if (node_is(n, SYM.string) || node_is(n, SYM.concatenated_string)) return "an f-string";
  if (node_is(n, SYM.binary_operator)) {
    TSNode op = ts_node_child_by_field_id(n, SYM.f_operator);
    return node_text_eq(ctx->src, op, "%") ? "% formatting" : "+ concatenation";
  }
  if (node_is(n, SYM.call)) {
    TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
    if (node_is(fn, SYM.attribute) &&
        node_text_eq(ctx->src, ts_node_child_by_field_id(fn, SYM.f_attribute), "join"))
      return "str.join()";
    return ".format()";
  }
  return "run-time values";
}

/* The text under `.encode()`, `.strip()` and `textwrap.dedent(...)`: they
 * change the bytes, not whether the script is constant (a bytes script built
 * from an f-string is as dynamic as the f-string). */
static TSNode unwrap_script(RuleCtx *ctx, TSNode n, int *scope) {
  for (int depth = 0; depth < 4; depth++) {
    TSNode r = model_resolve(ctx->model, n, scope);
    if (!node_is(r, SYM.call)) return n;
    TSNode fn = ts_node_child_by_field_id(r, SYM.f_function);
    TSNode args = ts_node_child_by_field_id(r, SYM.f_arguments);
    if (node_is(fn, SYM.attribute)) {
      TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
      if (!node_text_eq(ctx->src, attr, "encode") && !node_text_eq(ctx->src, attr, "strip") &&
          !node_text_eq(ctx->src, attr, "dedent"))
        return n;
      if (node_text_eq(ctx->src, attr, "dedent")) { /* textwrap.dedent(x) */
        n = call_arg(args, 0);
        if (ts_node_is_null(n)) return r;
      } else {
        n = ts_node_child_by_field_id(fn, SYM.f_object);
      }
    } else if (node_is(fn, SYM.identifier) && node_text_eq(ctx->src, fn, "dedent")) {
      n = call_arg(args, 0);
      if (ts_node_is_null(n)) return r;
    } else {
      return n;
    }
  }
  return n;
}

/* `self.job_class.key_prefix`: an attribute chain off self or cls, without
 * calls or subscripts: a setting of the object (a key namespace), one text
 * per class rather than per call. Not injection (no caller data), and not a
 * script cache filling up: left alone unless a parameter flows in too. */
static bool self_setting(RuleCtx *ctx, TSNode n) {
  while (node_is(n, SYM.attribute)) n = ts_node_child_by_field_id(n, SYM.f_object);
  return node_is(n, SYM.identifier) &&
         (node_text_eq(ctx->src, n, "self") || node_text_eq(ctx->src, n, "cls"));
}

static void check(RuleCtx *ctx) {
  bool tests = in_test_code(ctx->src, ctx->opt);
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (!call_method_in(cs, SCRIPT_CALLS)) continue;
    TSNode script = call_arg(cs->args, 0);
    if (ts_node_is_null(script)) script = call_kwarg(ctx->src, cs->args, "script");
    if (ts_node_is_null(script)) continue;
    int sscope = cs->scope;
    script = unwrap_script(ctx, script, &sscope);
    KeyTpl t = keytpl_eval(ctx->model, script, sscope, 0);
    if (!t.text || t.opaque || !t.nholes) continue; /* constant, or unknown as a whole */
    const char *params[64];
    size_t np = func_params(ctx, cs->func, params, 64);
    const char *injected = NULL, *shown = NULL;
    bool varies = false; /* a hole other than configuration read off self/cls */
    uint8_t nh = t.nholes < KEY_MAX_HOLES ? t.nholes : KEY_MAX_HOLES;
    for (uint8_t h = 0; h < nh; h++) {
      if (expr_constant(ctx, t.holes[h], sscope, 0)) continue;
      varies |= !self_setting(ctx, t.holes[h]);
      if (!shown) shown = short_text(ctx, t.holes[h]);
      const char *p = expr_mentions_any(ctx, t.holes[h], params, np);
      if (p && !injected) {
        injected = p;
        shown = short_text(ctx, t.holes[h]);
      }
    }
    if (!shown || (!injected && !varies)) continue;
    Severity sev = tests ? SEV_INFO : injected ? SEV_ERROR : SEV_WARNING;
    const char *how = how_built(ctx, script, sscope);
    Finding *f;
    if (injected)
      f = rule_report(ctx, cs->node, sev,
                      "parameter `%s` flows into the Lua script passed to %s() (%s, `%s`): caller "
                      "data becomes code the server runs (Lua injection), and every distinct text "
                      "is a new script the server caches",
                      injected, cs->method, how, shown);
    else
      f = rule_report(ctx, cs->node, sev,
                      "Lua script passed to %s() is built at run time with %s (`%s`): every "
                      "distinct text is a new script the server caches and EVALSHA never reuses; "
                      "pass values in ARGV and keys in KEYS",
                      cs->method, how, shown);
    finding_fix(ctx, f, FIX_DISPLAY,
                "Make the script a constant: keys in KEYS[] (`keys=[...]`), values in ARGV[] "
                "(`args=[...]`), registered once: `SCRIPT = %s.register_script(LUA)` at module "
                "level",
                cs->recv_text);
  }
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/dynamic-lua-script.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_dynamic_lua_script = {
    .check_file = check,
};
