/* RL310 deprecated-command: HMSET, GETSET, RPOPLPUSH, BRPOPLPUSH, SETNX. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rule_util.h"

/* "lock" as a word of the key expression (lock:x, x:lock, self.lock_key),
 * not inside another word (clock:, blocklist:). */
static bool mentions_lock(RuleCtx *ctx, const CallSite *cs) {
  const char *k = ctx_text(ctx, call_arg(cs->args, 0));
  for (const char *p = k; *p; p++)
    if (!strncasecmp(p, "lock", 4) && (p == k || !isalpha((unsigned char)p[-1]))) return true;
  return false;
}

/* Replies of a pipeline come back from execute(): changing a command changes them. */
static bool reply_unused(const CallSite *cs) {
  return result_unused(cs) && !value_is_pipeline(cs->recv) && cs->recv.kind != OBJ_CLIENT_OR_PIPELINE;
}

static const char *args_text(RuleCtx *ctx, const CallSite *cs) {
  const char *t = ctx_text(ctx, cs->args); /* "(a, b)" */
  size_t n = strlen(t);
  return n >= 2 ? arena_strndup(ctx->arena, t + 1, n - 2) : "";
}

/* What replaces each deprecated command, and the first redis-py release
 * that has the replacement's method or keyword (read in redis-py's history:
 * set(nx=) came in 2.7.4, hset(mapping=) in 3.5.0, lmove(), blmove() and
 * set(get=) in 4.0.0; 3.5.3 was the last 3.x release). */
typedef struct Repl {
  const char *method;  /* the deprecated method */
  const char *cmd;     /* its command, for messages */
  const char *since;   /* Redis release that deprecated it */
  const char *instead; /* "HSET with several fields" */
  int server;          /* Redis release with the replacement, major*100+minor */
  const char *with;    /* the replacement method... */
  const char *kwarg;   /* ...and the keyword that makes it one (NULL: none) */
  const char *sig;     /* the replacement as messages show it */
  const char *py;      /* redis-py release with it, for messages */
  long long py_since;  /* the same, encoded as PyVer.below */
} Repl;

#define PYV(a, b, c) ((long long)(a) * 1000000 + (long long)(b) * 1000 + (c))
static const Repl REPLS[] = {
    {"hmset", "HMSET", "4.0.0", "HSET with several fields", 400, "hset", "mapping",
     "hset(mapping=...)", "3.5", PYV(3, 5, 0)},
    /* server 0: SET NX (2.6.12) is older than any server still in use */
    {"setnx", "SETNX", "2.6.12", "SET with NX", 0, "set", "nx", "set(nx=True)", "2.7.4",
     PYV(2, 7, 4)},
    {"getset", "GETSET", "6.2.0", "SET with GET", 602, "set", "get", "set(get=True)", "4.0",
     PYV(4, 0, 0)},
    {"rpoplpush", "RPOPLPUSH", "6.2.0", "LMOVE", 602, "lmove", NULL, "lmove()", "4.0",
     PYV(4, 0, 0)},
    {"brpoplpush", "BRPOPLPUSH", "6.2.0", "BLMOVE", 602, "blmove", NULL, "blmove()", "4.0",
     PYV(4, 0, 0)},
};

/* Does the pinned redis-py stop before the release that has the
 * replacement? Every version the pin allows then lacks it. No pin, or one
 * without an upper bound: no. */
static bool pin_lacks(RuleCtx *ctx, const Repl *r) {
  return ctx->pyver && ctx->pyver->below > 0 && ctx->pyver->below <= r->py_since;
}

static const char *pin_source(RuleCtx *ctx) {
  return ctx->pyver && ctx->pyver->source ? ctx->pyver->source : "the pinned version is older";
}

static Finding *report(RuleCtx *ctx, const CallSite *cs, const Repl *r) {
  if (pin_lacks(ctx, r))
    /* Still worth an info finding: the pin is the project's own choice, in
     * the same repository, and the command will not get the replacement's
     * options until it moves. The message says that the upgrade comes first. */
    return rule_report(ctx, cs->node, SEV_INFO,
                       "%s is deprecated since Redis %s; %s replaces it, but `%s` needs "
                       "redis-py %s or later (%s): upgrade redis-py first",
                       r->cmd, r->since, r->instead, r->sig, r->py, pin_source(ctx));
  return rule_report(ctx, cs->node, SEV_INFO, "%s is deprecated since Redis %s; use %s", r->cmd,
                     r->since, r->instead);
}

static void hmset(RuleCtx *ctx, const CallSite *cs, const Repl *r) {
  Finding *f = report(ctx, cs, r);
  if (pin_lacks(ctx, r)) {
    finding_fix(ctx, f, FIX_DISPLAY,
                "Once on redis-py 3.5 or later (%s), use `%s.hset(<key>, mapping=<dict>)`",
                pin_source(ctx), cs->recv_text);
    return;
  }
  TSNode map = call_arg(cs->args, 1);
  bool kw = ts_node_is_null(map) && !ts_node_is_null(call_kwarg(ctx->src, cs->args, "mapping"));
  bool edits = reply_unused(cs) && !call_has_splat(cs->args) && (kw || !ts_node_is_null(map)) &&
               call_npositional(cs->args) <= 2;
  finding_fix(ctx, f, edits ? FIX_SAFE : FIX_DISPLAY, "Use `%s.hset(<key>, mapping=<dict>)`",
              cs->recv_text);
  if (!edits) return;
  fix_rename_method(ctx, f, cs, "hset");
  if (!kw) finding_edit(ctx, f, nstart(map), nstart(map), "mapping=");
}

static void setnx(RuleCtx *ctx, const CallSite *cs, const Repl *r) {
  if (mentions_lock(ctx, cs)) return; /* a lock: the lock rules' business */
  Finding *f = report(ctx, cs, r);
  if (pin_lacks(ctx, r)) {
    finding_fix(ctx, f, FIX_DISPLAY, "Once on redis-py %s or later (%s), use `%s.set(%s, nx=True)`",
                r->py, pin_source(ctx), cs->recv_text, args_text(ctx, cs));
    return;
  }
  bool edits = reply_unused(cs) && !call_has_splat(cs->args) && call_npositional(cs->args) == 2 &&
               ts_node_named_child_count(cs->args) == 2;
  finding_fix(ctx, f, edits ? FIX_SAFE : FIX_DISPLAY,
              "Use `%s.set(%s, nx=True)`%s", cs->recv_text, args_text(ctx, cs),
              edits ? "" : " (it returns True or None where SETNX returned True or False)");
  if (!edits) return;
  fix_rename_method(ctx, f, cs, "set");
  fix_add_kwarg(ctx, f, cs, "nx=True");
}

/* Does the server the code targets have the replacement (`since` as
 * major*100+minor)? Unknown target: assume a current server. */
static bool target_has(RuleCtx *ctx, int since) {
  return !ctx->opt->target_redis || ctx->opt->target_redis >= since;
}

/* Does a condition choose between the old and the new command: a version
 * test (`version < (6, 2, 0)`, `redis.VERSION >= (3, 5)`,
 * `redis.__version__`, `self.redis_version`) or a test for the replacement's
 * method (`hasattr(r, "lmove")`)? */
static bool condition_selects(RuleCtx *ctx, TSNode cond, const Repl *r) {
  const char *c = ctx_text(ctx, cond);
  if (contains_ci(c, "version") || strstr(c, "(6, 2") || strstr(c, "(6,2")) return true;
  if (!strstr(c, "hasattr")) return false;
  char q1[32], q2[32];
  snprintf(q1, sizeof q1, "\"%s\"", r->with);
  snprintf(q2, sizeof q2, "'%s'", r->with);
  return strstr(c, q1) || strstr(c, q2);
}

/* Is the call in a branch of an `if` (or of `a if cond else b`) whose
 * condition chooses by version or feature? The code already keeps the old
 * command for old servers or an old redis-py on purpose. */
static bool version_gated(RuleCtx *ctx, const CallSite *cs, const Repl *r) {
  for (TSNode n = ts_node_parent(cs->node); !ts_node_is_null(n); n = ts_node_parent(n)) {
    if (node_is(n, SYM.function_definition) || node_is(n, SYM.lambda)) return false;
    if (node_is(n, SYM.if_statement) &&
        condition_selects(ctx, ts_node_child_by_field_id(n, SYM.f_condition), r))
      return true;
    /* conditional_expression: body `if` condition `else` alternative */
    if (node_is(n, SYM.conditional_expression) && ts_node_named_child_count(n) == 3 &&
        condition_selects(ctx, ts_node_named_child(n, 1), r))
      return true;
  }
  return false;
}

/* Does `n` contain a call of the replacement (`x.hset(..., mapping=...)`,
 * `x.lmove(...)`)? */
static bool calls_replacement(RuleCtx *ctx, TSNode n, const Repl *r) {
  if (node_is(n, SYM.call)) {
    TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
    TSNode args = ts_node_child_by_field_id(n, SYM.f_arguments);
    if (node_is(fn, SYM.attribute) &&
        node_text_eq(ctx->src, ts_node_child_by_field_id(fn, SYM.f_attribute), r->with) &&
        (!r->kwarg || (!ts_node_is_null(args) &&
                       !ts_node_is_null(call_kwarg(ctx->src, args, r->kwarg)))))
      return true;
  }
  uint32_t k = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < k; i++)
    if (calls_replacement(ctx, ts_node_named_child(n, i), r)) return true;
  return false;
}

/* Does the handler catch what an old redis-py or an old server raises for
 * the replacement: TypeError (no such keyword), AttributeError (no such
 * method), ResponseError (unknown command or option), or anything (a bare
 * `except:`, Exception, RedisError)? A handler for ConnectionError or
 * TimeoutError is a failover, not a compatibility fallback. */
static bool catches_compat_error(RuleCtx *ctx, TSNode handler) {
  static const char *const names[] = {"TypeError",   "AttributeError", "ResponseError",
                                      "RedisError",  "Exception",      "BaseException",
                                      "NotImplementedError"};
  TSNode block = {0};
  for (uint32_t i = 0; i < ts_node_named_child_count(handler); i++)
    if (node_is(ts_node_named_child(handler, i), SYM.block)) block = ts_node_named_child(handler, i);
  if (ts_node_is_null(block)) return false;
  const char *src = ctx->src->text;
  uint32_t end = nstart(block);
  bool any = false;
  for (uint32_t p = nstart(handler) + strlen("except"); p < end;) {
    if (!isalpha((unsigned char)src[p]) && src[p] != '_') {
      if (src[p] == '#') break; /* a comment before the block */
      p++;
      continue;
    }
    uint32_t q = p;
    while (q < end && (isalnum((unsigned char)src[q]) || src[q] == '_')) q++;
    any = true;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
      if (q - p == strlen(names[i]) && !strncmp(src + p, names[i], q - p)) return true;
    p = q;
  }
  return !any; /* bare except: */
}

/* Is the call the fallback of a `try` whose body already uses the
 * replacement (`try: r.hset(k, mapping=m)` / `except TypeError: r.hmset(k, m)`)?
 * The old command is there only for an old redis-py or server, and the
 * modern form is the first choice. */
static bool compat_fallback(RuleCtx *ctx, const CallSite *cs, const Repl *r) {
  for (TSNode n = ts_node_parent(cs->node); !ts_node_is_null(n); n = ts_node_parent(n)) {
    if (node_is(n, SYM.function_definition) || node_is(n, SYM.lambda) ||
        node_is(n, SYM.class_definition))
      return false;
    if (!node_is(n, SYM.except_clause)) continue;
    TSNode tr = ts_node_parent(n);
    if (!node_is(tr, SYM.try_statement) || !catches_compat_error(ctx, n)) continue;
    TSNode body = ts_node_child_by_field_id(tr, SYM.f_body);
    if (!ts_node_is_null(body) && calls_replacement(ctx, body, r)) return true;
  }
  return false;
}

/* Is the call in a nested def whose enclosing function defines another
 * helper that calls the replacement (`def _blmove(...)` beside `def
 * _brpoplpush(...)`, one of the two picked by the server's version)? The old
 * command is then the fallback of a choice made there. Old and new side by
 * side in one function is only old code: still reported. */
static bool beside_replacement(RuleCtx *ctx, const CallSite *cs, const Repl *r) {
  TSNode inner = {0}, outer = {0};
  for (TSNode n = ts_node_parent(cs->node); !ts_node_is_null(n); n = ts_node_parent(n)) {
    if (node_is(n, SYM.class_definition)) break;
    if (!node_is(n, SYM.function_definition)) continue;
    if (ts_node_is_null(inner)) {
      inner = n;
      continue;
    }
    outer = n;
    break;
  }
  if (ts_node_is_null(outer)) return false;
  TSNode body = ts_node_child_by_field_id(outer, SYM.f_body);
  for (uint32_t i = 0; !ts_node_is_null(body) && i < ts_node_named_child_count(body); i++) {
    TSNode d = ts_node_named_child(body, i);
    if (node_is(d, SYM.decorated_definition)) d = ts_node_child_by_field_id(d, SYM.f_definition);
    if (node_is(d, SYM.function_definition) && !ts_node_eq(d, inner) && calls_replacement(ctx, d, r))
      return true;
  }
  return false;
}

static void on_call(RuleCtx *ctx, const CallSite *cs) {
  const Repl *r = NULL;
  for (size_t i = 0; i < sizeof REPLS / sizeof *REPLS; i++)
    if (!strcmp(cs->method, REPLS[i].method)) r = &REPLS[i];
  if (!r) return;
  /* The target server has no replacement (SET GET, LMOVE, BLMOVE came in
   * 6.2, multi-field HSET in 4.0). */
  if (!target_has(ctx, r->server)) return;
  if (version_gated(ctx, cs, r) || compat_fallback(ctx, cs, r) || beside_replacement(ctx, cs, r)) return;
  if (r->method[0] == 'h') {
    hmset(ctx, cs, r);
    return;
  }
  if (r->method[0] == 's') {
    setnx(ctx, cs, r);
    return;
  }
  Finding *f = report(ctx, cs, r);
  const char *call = !strcmp(r->method, "getset")
                         ? arena_printf(ctx->arena, "%s.set(%s, get=True)", cs->recv_text,
                                         args_text(ctx, cs))
                     : !strcmp(r->method, "rpoplpush")
                         ? arena_printf(ctx->arena, "%s.lmove(%s, \"RIGHT\", \"LEFT\")",
                                         cs->recv_text, args_text(ctx, cs))
                         : arena_printf(ctx->arena,
                                         "%s.blmove(<src>, <dst>, <timeout>, \"RIGHT\", \"LEFT\")",
                                         cs->recv_text);
  if (pin_lacks(ctx, r))
    finding_fix(ctx, f, FIX_DISPLAY, "Once on redis-py %s or later (%s), use `%s` (Redis >= 6.2)",
                r->py, pin_source(ctx), call);
  else
    finding_fix(ctx, f, FIX_DISPLAY, "Use `%s` (Redis >= 6.2)", call);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/deprecated-command.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_deprecated_command = {
    .on_call = on_call,
};
