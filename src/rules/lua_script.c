/* rules/lua_script.c - Lua scripts in Python string literals (lua_script.h). */
#include "lua_script.h"

#include <stdlib.h>
#include <string.h>

const char *const LUA_SCRIPT_METHODS[] = {"eval", "eval_ro", "register_script", "script_load",
                                          NULL};

#define SCRIPT_MAX (256u * 1024u) /* bytes of Lua scanned per script */
#define MAX_DEPTH 8

typedef struct Buf {
  Arena *arena;
  char *text;
  uint32_t *map;
  size_t len, cap;
} Buf;

static void put(Buf *b, char c, uint32_t at) {
  if (b->len >= b->cap) {
    if (b->cap >= SCRIPT_MAX) return;
    size_t cap = b->cap ? b->cap * 2 : 1024;
    char *text = arena_alloc(b->arena, cap + 1);
    uint32_t *map = arena_alloc(b->arena, (cap + 1) * sizeof *map);
    if (b->len) {
      memcpy(text, b->text, b->len);
      memcpy(map, b->map, b->len * sizeof *map);
    }
    b->text = text;
    b->map = map;
    b->cap = cap;
  }
  b->text[b->len] = c;
  b->map[b->len++] = at;
}

/* One escape sequence of a non-raw Python string: its bytes, all mapped to
 * the backslash. Unknown escapes are kept as written (Python does). */
static void put_escape(Buf *b, const char *t, size_t n, uint32_t at, bool bytes) {
  if (n < 2) return;
  char c = t[1];
  switch (c) {
  case '\n': case '\r': return; /* line continuation */
  case 'n': put(b, '\n', at); return;
  case 't': put(b, '\t', at); return;
  case 'r': put(b, '\r', at); return;
  case 'a': put(b, '\a', at); return;
  case 'b': put(b, '\b', at); return;
  case 'f': put(b, '\f', at); return;
  case 'v': put(b, '\v', at); return;
  case '\\': case '\'': case '"': put(b, c, at); return;
  case 'x': {
    char hex[3] = {n > 2 ? t[2] : '0', n > 3 ? t[3] : '0', 0};
    put(b, (char)strtol(hex, NULL, 16), at);
    return;
  }
  case 'u': case 'U': case 'N':
    if (bytes) break;
    put(b, '?', at); /* a non-ASCII character: only ever inside a Lua string */
    return;
  default:
    if (c >= '0' && c <= '7') {
      char oct[4] = {0};
      for (size_t k = 0; k < 3 && k + 1 < n; k++) oct[k] = t[k + 1];
      put(b, (char)strtol(oct, NULL, 8), at);
      return;
    }
  }
  for (size_t k = 0; k < n; k++) put(b, t[k], at + (uint32_t)k);
}

static void put_string(RuleCtx *ctx, Buf *b, TSNode s) {
  unsigned pf = string_prefix(ctx->src, s);
  const char *t = ctx->src->text;
  for (uint32_t i = 0; i < ts_node_child_count(s); i++) {
    TSNode c = ts_node_child(s, i);
    if (node_is(c, SYM.interpolation)) {
      put(b, LUA_HOLE, nstart(c));
      continue;
    }
    if (!node_is(c, SYM.string_content)) continue;
    uint32_t pos = nstart(c), end = nend(c);
    uint32_t nk = (pf & STR_RAW) ? 0 : ts_node_child_count(c);
    for (uint32_t k = 0; k <= nk; k++) {
      TSNode e = k < nk ? ts_node_child(c, k) : (TSNode){0};
      uint32_t es = k < nk ? nstart(e) : end;
      for (; pos < es; pos++) put(b, t[pos], pos);
      if (k == nk) break;
      if (node_is(e, SYM.escape_sequence)) put_escape(b, t + es, nend(e) - es, es, pf & STR_BYTES);
      else if (nend(e) > es) put(b, t[es], es); /* {{ or }} */
      pos = nend(e);
    }
  }
}

static bool is_call_to(RuleCtx *ctx, TSNode fn, const char *const *names) {
  TSNode last = node_is(fn, SYM.attribute) ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
  for (; *names; names++)
    if (node_text_eq(ctx->src, last, *names)) return true;
  return false;
}

static const char *const DEDENT[] = {"dedent", "cleandoc", NULL};
static const char *const TEXT_METHODS[] = {"strip", "lstrip", "rstrip", "encode", NULL};

/* Appends the script text n stands for; false when it is not literal text. */
static bool collect(RuleCtx *ctx, Buf *b, TSNode n, int scope, int depth) {
  if (ts_node_is_null(n) || depth > MAX_DEPTH) return false;
  uint16_t s = nsym(n);
  if (s == SYM.string) {
    put_string(ctx, b, n);
    return true;
  }
  if (s == SYM.concatenated_string) {
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
      TSNode c = ts_node_named_child(n, i);
      if (node_is(c, SYM.string)) put_string(ctx, b, c);
    }
    return true;
  }
  if (s == SYM.parenthesized_expression)
    return collect(ctx, b, ts_node_named_child(n, 0), scope, depth + 1);
  if (s == SYM.binary_operator) {
    if (!node_text_eq(ctx->src, ts_node_child_by_field_id(n, SYM.f_operator), "+")) return false;
    return collect(ctx, b, ts_node_child_by_field_id(n, SYM.f_left), scope, depth + 1) &&
           collect(ctx, b, ts_node_child_by_field_id(n, SYM.f_right), scope, depth + 1);
  }
  if (s == SYM.identifier) {
    int sc = scope;
    TSNode v = model_resolve_name(ctx->model, n, scope, &sc);
    return !ts_node_is_null(v) && !ts_node_eq(v, n) && collect(ctx, b, v, sc, depth + 1);
  }
  if (s == SYM.call) {
    TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
    TSNode args = ts_node_child_by_field_id(n, SYM.f_arguments);
    if (is_call_to(ctx, fn, DEDENT) && ts_node_named_child_count(args) == 1)
      return collect(ctx, b, call_arg(args, 0), scope, depth + 1);
    if (node_is(fn, SYM.attribute) && is_call_to(ctx, fn, TEXT_METHODS))
      return collect(ctx, b, ts_node_child_by_field_id(fn, SYM.f_object), scope, depth + 1);
  }
  return false;
}

bool script_of_call(RuleCtx *ctx, const CallSite *cs, ScriptText *out) {
  if (!call_method_in(cs, LUA_SCRIPT_METHODS)) return false;
  TSNode script = call_arg(cs->args, 0);
  if (ts_node_is_null(script)) script = call_kwarg(ctx->src, cs->args, "script");
  if (ts_node_is_null(script) || node_is(script, SYM.list_splat)) return false;
  Buf b = {0};
  b.arena = ctx->arena;
  if (!collect(ctx, &b, script, cs->scope, 0) || !b.len) return false;
  b.text[b.len] = '\0';
  out->node = script;
  out->text = b.text;
  out->len = b.len;
  out->map = b.map;
  out->ncalls = lua_scan(ctx->arena, b.text, b.len, &out->calls);
  return true;
}

void script_span(const ScriptText *st, uint32_t a, uint32_t b, uint32_t *start, uint32_t *end) {
  if (a >= st->len) a = st->len ? (uint32_t)st->len - 1 : 0;
  if (b <= a) b = a + 1;
  if (b > st->len) b = (uint32_t)st->len;
  *start = st->map[a];
  *end = st->map[b - 1] + 1;
  if (*end <= *start) *end = *start + 1;
}
