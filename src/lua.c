/* lua.c - Lua tokenizer and redis.call recognizer (see lua.h). */
#include "lua.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


/* ---------------------------------------------------------------- tokens */

static bool name_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static bool name_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* At t[i] == '[': the level + 1 of a long bracket `[==[` opening there, or 0. */
static size_t long_open(const char *t, size_t len, size_t i) {
  size_t j = i + 1;
  while (j < len && t[j] == '=') j++;
  return j < len && t[j] == '[' ? j - i : 0;
}

/* Index just past the `]==]` closing a long bracket of `level` (level + 1 as
 * long_open gives it) whose content starts at i; len when unterminated. */
static size_t long_close(const char *t, size_t len, size_t i, size_t level) {
  for (; i < len; i++) {
    if (t[i] != ']') continue;
    size_t j = i + 1, eq = 0;
    while (j < len && t[j] == '=') j++, eq++;
    if (eq + 1 == level && j < len && t[j] == ']') return j + 1;
  }
  return len;
}

/* Index just past a quoted string opened at t[i]; at an unescaped newline
 * (an unterminated string) the token ends before it. */
static size_t quoted_end(const char *t, size_t len, size_t i) {
  char q = t[i];
  size_t j = i + 1;
  while (j < len) {
    char c = t[j];
    if (c == q) return j + 1;
    if (c == '\n' || c == '\r') return j;
    if (c == '\\' && j + 1 < len) {
      char e = t[j + 1];
      if (e == 'z') { /* \z skips the following whitespace, newlines included */
        j += 2;
        while (j < len && isspace((unsigned char)t[j])) j++;
        continue;
      }
      j += (e == '\r' && j + 2 < len && t[j + 2] == '\n') ? 3 : 2;
      continue;
    }
    j++;
  }
  return len;
}

static size_t number_end(const char *t, size_t len, size_t i) {
  size_t j = i;
  bool hex = t[j] == '0' && j + 1 < len && (t[j + 1] == 'x' || t[j + 1] == 'X');
  if (hex) j += 2;
  char ex1 = hex ? 'p' : 'e', ex2 = hex ? 'P' : 'E';
  while (j < len) {
    char c = t[j];
    if ((c == ex1 || c == ex2) && j + 1 < len && (t[j + 1] == '+' || t[j + 1] == '-')) j += 2;
    else if (isalnum((unsigned char)c) || c == '.' || c == '_') j++;
    else break;
  }
  return j;
}

static const char *const OPS3[] = {"...", NULL};
static const char *const OPS2[] = {"..", "==", "~=", "<=", ">=", "//", "::", "<<", ">>", NULL};

static size_t op_len(const char *t, size_t len, size_t i) {
  for (const char *const *o = OPS3; *o; o++)
    if (i + 3 <= len && !memcmp(t + i, *o, 3)) return 3;
  for (const char *const *o = OPS2; *o; o++)
    if (i + 2 <= len && !memcmp(t + i, *o, 2)) return 2;
  return 1;
}

size_t lua_tokenize(Arena *a, const char *t, size_t len, LuaTok **out) {
  size_t cap = 64, n = 0;
  LuaTok *toks = arena_alloc(a, cap * sizeof *toks);
  size_t i = 0;
  while (i < len) {
    char c = t[i];
    if (isspace((unsigned char)c)) {
      i++;
      continue;
    }
    if (c == '-' && i + 1 < len && t[i + 1] == '-') { /* comment */
      size_t lvl = i + 2 < len && t[i + 2] == '[' ? long_open(t, len, i + 2) : 0;
      if (lvl) {
        i = long_close(t, len, i + 2 + lvl + 1, lvl);
      } else {
        while (i < len && t[i] != '\n') i++;
      }
      continue;
    }
    LuaTok tok = {0, (uint32_t)i, 0};
    size_t lvl = c == '[' ? long_open(t, len, i) : 0;
    if (lvl) {
      tok.kind = LT_STRING;
      i = long_close(t, len, i + lvl + 1, lvl);
    } else if (c == '"' || c == '\'') {
      tok.kind = LT_STRING;
      i = quoted_end(t, len, i);
    } else if (isdigit((unsigned char)c) || (c == '.' && i + 1 < len && isdigit((unsigned char)t[i + 1]))) {
      tok.kind = LT_NUMBER;
      i = number_end(t, len, i);
    } else if (name_start(c)) {
      tok.kind = LT_NAME;
      while (i < len && name_char(t[i])) i++;
    } else if (c == LUA_HOLE) {
      tok.kind = LT_HOLE;
      while (i < len && t[i] == LUA_HOLE) i++;
    } else {
      tok.kind = LT_OP;
      i += op_len(t, len, i);
    }
    tok.end = (uint32_t)i;
    if (n == cap) {
      LuaTok *bigger = arena_alloc(a, cap * 2 * sizeof *toks);
      memcpy(bigger, toks, n * sizeof *toks);
      toks = bigger;
      cap *= 2;
    }
    toks[n++] = tok;
  }
  *out = toks;
  return n;
}

const char *lua_string_value(Arena *a, const char *t, const LuaTok *tok, size_t *len) {
  size_t s = tok->start, e = tok->end;
  char *o = arena_alloc(a, e - s + 1);
  size_t n = 0;
  if (t[s] == '[') {
    size_t lvl = long_open(t, e, s);
    size_t from = s + lvl + 1, to = e >= from + lvl + 1 ? e - lvl - 1 : from;
    if (from < to && t[from] == '\r') from++;
    if (from < to && t[from] == '\n') from++;
    if (to > from) memcpy(o, t + from, to - from);
    n = to > from ? to - from : 0;
  } else {
    char q = t[s];
    size_t to = e > s + 1 && t[e - 1] == q ? e - 1 : e;
    for (size_t i = s + 1; i < to; i++) {
      if (t[i] != '\\' || i + 1 >= to) {
        o[n++] = t[i];
        continue;
      }
      char c = t[++i];
      switch (c) {
      case 'n': o[n++] = '\n'; break;
      case 't': o[n++] = '\t'; break;
      case 'r': o[n++] = '\r'; break;
      case 'a': o[n++] = '\a'; break;
      case 'b': o[n++] = '\b'; break;
      case 'f': o[n++] = '\f'; break;
      case 'v': o[n++] = '\v'; break;
      case 'z':
        while (i + 1 < to && isspace((unsigned char)t[i + 1])) i++;
        break;
      case 'x':
        if (i + 2 < to && isxdigit((unsigned char)t[i + 1]) && isxdigit((unsigned char)t[i + 2])) {
          char hx[3] = {t[i + 1], t[i + 2], 0};
          o[n++] = (char)strtol(hx, NULL, 16);
          i += 2;
        }
        break;
      default:
        if (isdigit((unsigned char)c)) { /* \ddd, up to three decimal digits */
          int v = 0, k = 0;
          for (; k < 3 && i < to && isdigit((unsigned char)t[i]); k++, i++) v = v * 10 + (t[i] - '0');
          i--;
          o[n++] = (char)(v & 0xff);
        } else {
          o[n++] = c; /* \\ \" \' and an escaped newline */
        }
      }
    }
  }
  o[n] = '\0';
  *len = n;
  return o;
}

/* ---------------------------------------------------------------- scripts */

typedef enum { AS_UNKNOWN, AS_EXPR, AS_FORIN } AssignKind;

/* `name = expr` in text order; `pos` is the token of the name. */
typedef struct LAssign {
  uint32_t name_start, name_len;
  size_t pos;
  size_t at;      /* token from which the name has this value */
  uint8_t kind;   /* AssignKind */
  uint8_t index;  /* position in a name list (for-in: 0 is the key) */
  size_t ea, eb;  /* expression (for-in: the iterator expression) */
} LAssign;

typedef struct S {
  Arena *a;
  const char *t;
  const LuaTok *tok;
  size_t n;
  LAssign *as;
  size_t nas, cap;
  long budget; /* classification steps left: bounded work per script */
} S;

static bool is_tok(const S *s, size_t i, uint8_t kind, const char *text) {
  if (i >= s->n || s->tok[i].kind != kind) return false;
  size_t k = strlen(text);
  return s->tok[i].end - s->tok[i].start == k && !memcmp(s->t + s->tok[i].start, text, k);
}
static bool is_op(const S *s, size_t i, const char *op) { return is_tok(s, i, LT_OP, op); }
static bool is_name(const S *s, size_t i, const char *name) { return is_tok(s, i, LT_NAME, name); }

static const char *const KEYWORDS[] = {"and", "break", "do", "else", "elseif", "end", "false",
                                       "for", "function", "goto", "if", "in", "local", "nil",
                                       "not", "or", "repeat", "return", "then", "true", "until",
                                       "while", NULL};

static bool is_keyword(const S *s, size_t i) {
  for (const char *const *k = KEYWORDS; *k; k++)
    if (is_name(s, i, *k)) return true;
  return false;
}

/* A name that is not a keyword. */
static bool is_ident(const S *s, size_t i) {
  return i < s->n && s->tok[i].kind == LT_NAME && !is_keyword(s, i);
}

static bool is_open(const S *s, size_t i) {
  return is_op(s, i, "(") || is_op(s, i, "[") || is_op(s, i, "{");
}
static bool is_close(const S *s, size_t i) {
  return is_op(s, i, ")") || is_op(s, i, "]") || is_op(s, i, "}");
}

/* Index of the bracket closing the one at i, or n. */
static size_t match_close(const S *s, size_t i) {
  int depth = 0;
  for (size_t j = i; j < s->n; j++) {
    if (is_open(s, j)) depth++;
    else if (is_close(s, j) && --depth == 0) return j;
  }
  return s->n;
}

/* Index just past the `end` of a function literal or block opened at i. */
static size_t block_end(const S *s, size_t i) {
  int depth = 0;
  for (size_t j = i; j < s->n; j++) {
    if (is_name(s, j, "function") || is_name(s, j, "if") || is_name(s, j, "do") ||
        is_name(s, j, "repeat"))
      depth++;
    else if ((is_name(s, j, "end") || is_name(s, j, "until")) && --depth == 0)
      return j + 1;
  }
  return s->n;
}

static const char *const BINOPS[] = {"+", "-", "*", "/", "//", "%", "^", "..", "==", "~=", "<",
                                     "<=", ">", ">=", "&", "|", "~", "<<", ">>", NULL};

static bool is_binop(const S *s, size_t i) {
  if (is_name(s, i, "and") || is_name(s, i, "or")) return true;
  for (const char *const *o = BINOPS; *o; o++)
    if (is_op(s, i, *o)) return true;
  return false;
}

static bool is_unop(const S *s, size_t i) {
  return is_op(s, i, "-") || is_op(s, i, "#") || is_op(s, i, "~") || is_name(s, i, "not");
}

/* Past a primary expression with its suffixes (`.x`, `[k]`, `:m(...)`, calls). */
static size_t skip_primary(const S *s, size_t i) {
  while (i < s->n && is_unop(s, i)) i++;
  if (i >= s->n) return i;
  const LuaTok *t = &s->tok[i];
  if (is_name(s, i, "function")) return block_end(s, i);
  if (is_op(s, i, "{")) return match_close(s, i) + 1;
  if (t->kind == LT_STRING || t->kind == LT_NUMBER || is_name(s, i, "nil") ||
      is_name(s, i, "true") || is_name(s, i, "false") || is_op(s, i, "..."))
    return i + 1;
  if (is_op(s, i, "(")) i = match_close(s, i) + 1;
  else if (is_ident(s, i) || t->kind == LT_HOLE) i++;
  else return i;
  for (;;) {
    if (is_op(s, i, ".") && is_ident(s, i + 1)) i += 2;
    else if (is_op(s, i, ":") && is_ident(s, i + 1)) i += 2;
    else if (is_op(s, i, "[") || is_op(s, i, "(") || is_op(s, i, "{")) i = match_close(s, i) + 1;
    else if (i < s->n && s->tok[i].kind == LT_STRING) i++;
    else if (i < s->n && s->tok[i].kind == LT_HOLE) i++;
    else break;
  }
  return i < s->n ? i : s->n;
}

static size_t skip_expr(const S *s, size_t i) {
  size_t e = skip_primary(s, i);
  while (e > i && e < s->n && is_binop(s, e)) {
    size_t next = skip_primary(s, e + 1);
    if (next <= e + 1) break;
    e = next;
  }
  return e;
}

static void add_assign(S *s, size_t name, uint8_t kind, uint8_t index, size_t ea, size_t eb) {
  if (s->nas == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 32;
    LAssign *bigger = arena_alloc(s->a, cap * sizeof *bigger);
    if (s->nas) memcpy(bigger, s->as, s->nas * sizeof *bigger);
    s->as = bigger;
    s->cap = cap;
  }
  /* `local k = k .. 'x'`: the name takes the value after its expression */
  size_t at = kind == AS_UNKNOWN ? name : eb;
  s->as[s->nas++] = (LAssign){s->tok[name].start, s->tok[name].end - s->tok[name].start, name,
                              at, kind, index, ea, eb};
}

/* `function f(a, b)`, `local function f(a)`, `function(a)`: parameters are unknown. */
static void collect_params(S *s, size_t i) {
  size_t j = i + 1;
  while (is_ident(s, j) || is_op(s, j, ".") || is_op(s, j, ":")) j++;
  if (!is_op(s, j, "(")) return;
  size_t close = match_close(s, j);
  for (size_t k = j + 1; k < close; k++)
    if (is_ident(s, k)) add_assign(s, k, AS_UNKNOWN, 0, 0, 0);
}

/* `for k, v in iter do` / `for i = a, b do`. */
static void collect_for(S *s, size_t i) {
  size_t names[8], nn = 0;
  size_t j = i + 1;
  while (is_ident(s, j) && nn < 8) {
    names[nn++] = j++;
    if (!is_op(s, j, ",")) break;
    j++;
  }
  if (is_name(s, j, "in")) {
    size_t eb = skip_expr(s, j + 1);
    for (size_t k = 0; k < nn; k++) add_assign(s, names[k], AS_FORIN, (uint8_t)k, j + 1, eb);
  } else {
    for (size_t k = 0; k < nn; k++) add_assign(s, names[k], AS_UNKNOWN, 0, 0, 0);
  }
}

/* `local a, b` without a value: nil until assigned. */
static void collect_local(S *s, size_t i) {
  size_t j = i + 1;
  if (is_name(s, j, "function")) return;
  size_t first = j;
  while (is_ident(s, j)) {
    j++;
    if (!is_op(s, j, ",")) break;
    j++;
  }
  if (is_op(s, j, "=")) return; /* collect_assign sees it */
  for (size_t k = first; k < j; k++)
    if (is_ident(s, k)) add_assign(s, k, AS_UNKNOWN, 0, 0, 0);
}

/* `a, b = e1, e2` (with or without `local`), at the `=` token e. */
static void collect_assign(S *s, size_t e) {
  size_t names[8], nn = 0;
  size_t k = e;
  while (k > 0 && is_ident(s, k - 1) && nn < 8) {
    names[nn++] = k - 1;
    if (k >= 2 && is_op(s, k - 2, ",")) k -= 2;
    else break;
  }
  if (!nn) return;
  size_t before = names[nn - 1];
  if (before > 0 && (is_op(s, before - 1, ".") || is_op(s, before - 1, ":") ||
                     is_name(s, before - 1, "for")))
    return; /* a field, or a numeric for (collect_for) */
  size_t ea = e + 1, idx = 0;
  size_t last_a = 0, last_b = 0;
  for (size_t v = nn; v-- > 0; idx++) {
    if (ea < s->n && (idx == 0 || is_op(s, ea - 1, ","))) {
      size_t eb = skip_expr(s, ea);
      if (eb <= ea) {
        add_assign(s, names[v], AS_UNKNOWN, 0, 0, 0);
        continue;
      }
      add_assign(s, names[v], AS_EXPR, (uint8_t)idx, ea, eb);
      last_a = ea;
      last_b = eb;
      ea = is_op(s, eb, ",") ? eb + 1 : s->n;
    } else if (last_b > last_a && is_op(s, last_b - 1, ")")) {
      add_assign(s, names[v], AS_EXPR, (uint8_t)idx, last_a, last_b); /* f() returns several */
    } else {
      add_assign(s, names[v], AS_UNKNOWN, 0, 0, 0);
    }
  }
}

/* ---------------------------------------------------------------- origins */

static uint8_t classify(S *s, size_t a, size_t b, int depth);

/* What concatenated parts make: ARGV and data dominate, then KEYS. */
static uint8_t combine(const uint8_t *parts, size_t n) {
  bool argv = false, data = false, keys = false, unknown = false;
  for (size_t i = 0; i < n; i++) {
    argv |= parts[i] == LUA_SRC_ARGV;
    data |= parts[i] == LUA_SRC_DATA;
    keys |= parts[i] == LUA_SRC_KEYS || parts[i] == LUA_SRC_KEYS_DERIVED;
    unknown |= parts[i] == LUA_SRC_UNKNOWN;
  }
  if (argv) return LUA_SRC_ARGV;
  if (data) return LUA_SRC_DATA;
  if (keys) return LUA_SRC_KEYS_DERIVED;
  return unknown ? LUA_SRC_UNKNOWN : LUA_SRC_LITERAL;
}

static const LAssign *lookup(const S *s, size_t name, size_t before) {
  const LuaTok *t = &s->tok[name];
  uint32_t len = t->end - t->start;
  const LAssign *best = NULL;
  for (size_t i = 0; i < s->nas; i++) {
    const LAssign *x = &s->as[i];
    if (x->at > before || x->pos >= before || x->name_len != len || memcmp(s->t + x->name_start, s->t + t->start, len))
      continue;
    if (!best || x->pos > best->pos) best = x;
  }
  return best;
}

/* The value the iterator of a for-in gives its variable `index`:
 * ipairs(X)/pairs(X) values and gmatch matches come from X. */
static uint8_t classify_forin(S *s, const LAssign *x, int depth) {
  size_t i = x->ea, e = x->eb;
  size_t open = 0;
  if ((is_name(s, i, "ipairs") || is_name(s, i, "pairs")) && is_op(s, i + 1, "(")) {
    if (x->index == 0) return LUA_SRC_UNKNOWN; /* the index */
    open = i + 1;
  } else if (is_name(s, i, "string") && is_op(s, i + 1, ".") && is_name(s, i + 2, "gmatch") &&
             is_op(s, i + 3, "(")) {
    open = i + 3;
  } else {
    return LUA_SRC_UNKNOWN;
  }
  size_t close = match_close(s, open);
  if (close + 1 != e) return LUA_SRC_UNKNOWN;
  size_t arg_end = skip_expr(s, open + 1);
  if (arg_end > close) arg_end = close;
  return classify(s, open + 1, arg_end, depth + 1);
}

static uint8_t classify_assign(S *s, const LAssign *x, int depth) {
  if (!x || x->kind == AS_UNKNOWN) return LUA_SRC_UNKNOWN;
  if (x->kind == AS_FORIN) return classify_forin(s, x, depth);
  return classify(s, x->ea, x->eb, depth + 1);
}

/* unpack(X), table.unpack(X), tostring(X), string.lower(X)...: X's origin;
 * string.format(f, ...): its parts joined. Returns the index of the `(`
 * (0 if the callee is none of those); *join says whether all arguments count. */
static size_t passthrough_call(const S *s, size_t i, bool *join) {
  *join = false;
  if ((is_name(s, i, "unpack") || is_name(s, i, "tostring")) && is_op(s, i + 1, "(")) return i + 1;
  bool table = is_name(s, i, "table"), string = is_name(s, i, "string");
  if ((table || string) && is_op(s, i + 1, ".") && is_op(s, i + 3, "(")) {
    if (table && is_name(s, i + 2, "unpack")) return i + 3;
    if (string && (is_name(s, i + 2, "lower") || is_name(s, i + 2, "upper") ||
                   is_name(s, i + 2, "sub")))
      return i + 3;
    if (string && is_name(s, i + 2, "format")) {
      *join = true;
      return i + 3;
    }
  }
  return 0;
}

static uint8_t classify_primary(S *s, size_t a, size_t b, int depth) {
  if (is_unop(s, a)) return LUA_SRC_UNKNOWN;
  const LuaTok *t = &s->tok[a];
  if (b == a + 1 && (t->kind == LT_STRING || t->kind == LT_NUMBER)) return LUA_SRC_LITERAL;
  if (is_op(s, a, "(") && match_close(s, a) == b - 1) return classify(s, a + 1, b - 1, depth + 1);
  if (!is_ident(s, a)) return LUA_SRC_UNKNOWN;
  if (is_name(s, a, "redis") && is_op(s, a + 1, ".") &&
      (is_name(s, a + 2, "call") || is_name(s, a + 2, "pcall")))
    return LUA_SRC_DATA;
  bool join;
  size_t open = passthrough_call(s, a, &join);
  if (open) {
    size_t close = match_close(s, open);
    if (close + 1 != b) return LUA_SRC_UNKNOWN;
    uint8_t parts[LUA_MAX_ARGS];
    size_t np = 0;
    for (size_t i = open + 1; i < close && np < LUA_MAX_ARGS;) {
      size_t e = skip_expr(s, i);
      if (e <= i || e > close) return LUA_SRC_UNKNOWN;
      parts[np++] = classify(s, i, e, depth + 1);
      if (!join) break;
      i = is_op(s, e, ",") ? e + 1 : close;
    }
    if (!np) return LUA_SRC_UNKNOWN;
    return join ? combine(parts, np) : parts[0];
  }
  uint8_t base;
  if (is_name(s, a, "KEYS")) base = LUA_SRC_KEYS;
  else if (is_name(s, a, "ARGV")) base = LUA_SRC_ARGV;
  else base = classify_assign(s, lookup(s, a, a), depth);
  /* indexing, fields and string methods keep the origin; calling a value does not */
  for (size_t i = a + 1; i < b;) {
    if (is_op(s, i, "[")) i = match_close(s, i) + 1;
    else if (is_op(s, i, ".") && is_ident(s, i + 1)) i += 2;
    else if (is_op(s, i, ":") && is_ident(s, i + 1) && is_op(s, i + 2, "(")) i = match_close(s, i + 2) + 1;
    else return LUA_SRC_UNKNOWN;
  }
  return base;
}

static uint8_t classify(S *s, size_t a, size_t b, int depth) {
  if (a >= b || b > s->n || depth > 12 || --s->budget < 0) return LUA_SRC_UNKNOWN;
  uint8_t parts[32];
  size_t np = 0;
  bool concat = true, logical = true;
  for (size_t i = a;;) {
    size_t e = skip_primary(s, i);
    if (e <= i || e > b) return LUA_SRC_UNKNOWN;
    if (np < 32) parts[np++] = e == b && i == a ? 0 : classify_primary(s, i, e, depth);
    if (e == b) break;
    if (!is_binop(s, e)) return LUA_SRC_UNKNOWN;
    concat &= is_op(s, e, "..");
    logical &= is_name(s, e, "or") || is_name(s, e, "and");
    i = e + 1;
  }
  if (np == 1) return classify_primary(s, a, b, depth);
  if (concat) return combine(parts, np);
  if (logical) { /* `KEYS[2] or KEYS[1]`: one origin for all alternatives */
    for (size_t i = 1; i < np; i++)
      if (parts[i] != parts[0]) return LUA_SRC_UNKNOWN;
    return parts[0];
  }
  return LUA_SRC_UNKNOWN;
}

/* ---------------------------------------------------------------- calls */

static void lower(char *p) {
  for (; *p; p++) *p = (char)tolower((unsigned char)*p);
}

/* redis.call( at i: fills c; returns false when it is not one. */
static bool read_call(S *s, size_t i, LuaCall *c) {
  if (!is_name(s, i, "redis") || !is_op(s, i + 1, ".") || !is_op(s, i + 3, "(")) return false;
  if (i > 0 && (is_op(s, i - 1, ".") || is_op(s, i - 1, ":"))) return false; /* x.redis.call */
  bool pcall = is_name(s, i + 2, "pcall");
  if (!pcall && !is_name(s, i + 2, "call")) return false;
  size_t close = match_close(s, i + 3);
  memset(c, 0, sizeof *c);
  c->pcall = pcall;
  c->start = s->tok[i].start;
  c->end = close < s->n ? s->tok[close].end : s->tok[s->n - 1].end;
  /* arguments: split at commas outside brackets */
  size_t arg = 0;
  for (size_t j = i + 4; j < close;) {
    size_t e = j;
    int depth = 0;
    while (e < close && (depth > 0 || !is_op(s, e, ","))) {
      if (is_open(s, e)) depth++;
      else if (is_close(s, e)) depth--;
      else if (is_name(s, e, "function")) e = block_end(s, e) - 1;
      e++;
    }
    if (e > close) e = close;
    if (arg == 0) {
      c->cmd_start = s->tok[j].start;
      c->cmd_end = s->tok[e > j ? e - 1 : j].end;
      if (e == j + 1 && s->tok[j].kind == LT_STRING) {
        size_t n;
        char *name = (char *)lua_string_value(s->a, s->t, &s->tok[j], &n);
        if (strlen(name) == n) {
          lower(name);
          c->command = name;
        }
      }
    } else if (c->nargs < LUA_MAX_ARGS && e > j) {
      LuaArg *x = &c->args[c->nargs++];
      x->start = s->tok[j].start;
      x->end = s->tok[e - 1].end;
      x->src = classify(s, j, e, 0);
    }
    arg++;
    j = e + 1;
  }
  return true;
}

size_t lua_scan(Arena *a, const char *text, size_t len, LuaCall **out) {
  S s = {0};
  s.a = a;
  s.t = text;
  s.n = lua_tokenize(a, text, len, (LuaTok **)&s.tok);
  s.budget = 200000;
  for (size_t i = 0; i < s.n; i++) {
    if (is_name(&s, i, "function")) collect_params(&s, i);
    else if (is_name(&s, i, "for")) collect_for(&s, i);
    else if (is_name(&s, i, "local")) collect_local(&s, i);
    else if (is_op(&s, i, "=")) collect_assign(&s, i);
  }
  size_t cap = 8, n = 0;
  LuaCall *calls = arena_alloc(a, cap * sizeof *calls);
  for (size_t i = 0; i + 3 < s.n; i++) {
    LuaCall c;
    if (!read_call(&s, i, &c)) continue;
    if (n == cap) {
      LuaCall *bigger = arena_alloc(a, cap * 2 * sizeof *calls);
      memcpy(bigger, calls, n * sizeof *calls);
      calls = bigger;
      cap *= 2;
    }
    calls[n++] = c;
  }
  *out = calls;
  return n;
}

/* ---------------------------------------------------------------- keys */

typedef enum {
  K_FIRST,    /* the first argument (most commands) */
  K_NONE,     /* no keys (or keys this does not locate: XREAD ... STREAMS) */
  K_ALL,      /* every argument */
  K_TWO,      /* the first two */
  K_SECOND,   /* OBJECT ENCODING key, XINFO STREAM key, XGROUP CREATE key */
  K_FROM2ND,  /* BITOP op dest key... */
  K_PAIRS,    /* MSET k v k v */
  K_NUMKEYS,  /* numkeys k1 .. kn (ZUNION, SINTERCARD, LMPOP) */
  K_DEST_NUMKEYS, /* dest numkeys k1 .. kn (ZUNIONSTORE) */
  K_TIMEOUT_NUMKEYS /* timeout numkeys k1 .. kn (BLMPOP) */
} KeySpec;

typedef struct KeyRule {
  const char *name;
  uint8_t spec;
} KeyRule;

static const KeyRule KEY_RULES[] = {
    {"acl", K_NONE}, {"auth", K_NONE}, {"bgrewriteaof", K_NONE}, {"bgsave", K_NONE},
    {"bitop", K_FROM2ND}, {"blmove", K_TWO}, {"blmpop", K_TIMEOUT_NUMKEYS}, {"bzmpop", K_TIMEOUT_NUMKEYS},
    {"brpoplpush", K_TWO}, {"client", K_NONE}, {"cluster", K_NONE}, {"command", K_NONE},
    {"config", K_NONE}, {"copy", K_TWO}, {"dbsize", K_NONE}, {"debug", K_NONE}, {"del", K_ALL},
    {"echo", K_NONE}, {"eval", K_NONE}, {"eval_ro", K_NONE}, {"evalsha", K_NONE},
    {"evalsha_ro", K_NONE}, {"exists", K_ALL}, {"failover", K_NONE}, {"fcall", K_NONE},
    {"fcall_ro", K_NONE}, {"flushall", K_NONE}, {"flushdb", K_NONE}, {"function", K_NONE},
    {"hello", K_NONE}, {"info", K_NONE}, {"keys", K_NONE}, {"lastsave", K_NONE},
    {"latency", K_NONE}, {"lmove", K_TWO}, {"lmpop", K_NUMKEYS}, {"lolwut", K_NONE},
    {"memory", K_SECOND}, {"mget", K_ALL}, {"migrate", K_NONE}, {"module", K_NONE},
    {"monitor", K_NONE}, {"mset", K_PAIRS}, {"msetnx", K_PAIRS}, {"multi", K_NONE},
    {"object", K_SECOND}, {"pfcount", K_ALL}, {"pfmerge", K_ALL}, {"ping", K_NONE},
    {"psync", K_NONE}, {"publish", K_NONE}, {"pubsub", K_NONE}, {"quit", K_NONE},
    {"randomkey", K_NONE}, {"readonly", K_NONE}, {"readwrite", K_NONE}, {"rename", K_TWO},
    {"renamenx", K_TWO}, {"replicaof", K_NONE}, {"reset", K_NONE}, {"role", K_NONE},
    {"rpoplpush", K_TWO}, {"save", K_NONE}, {"scan", K_NONE}, {"script", K_NONE},
    {"sdiff", K_ALL}, {"sdiffstore", K_ALL}, {"select", K_NONE}, {"shutdown", K_NONE},
    {"sinter", K_ALL}, {"sintercard", K_NUMKEYS}, {"sinterstore", K_ALL}, {"slaveof", K_NONE},
    {"slowlog", K_NONE}, {"smove", K_TWO}, {"spublish", K_NONE}, {"sunion", K_ALL},
    {"sunionstore", K_ALL}, {"swapdb", K_NONE}, {"sync", K_NONE}, {"time", K_NONE},
    {"touch", K_ALL}, {"unlink", K_ALL}, {"wait", K_NONE}, {"waitaof", K_NONE},
    {"watch", K_ALL}, {"xgroup", K_SECOND}, {"xinfo", K_SECOND}, {"xread", K_NONE},
    {"xreadgroup", K_NONE}, {"zdiff", K_NUMKEYS}, {"zdiffstore", K_DEST_NUMKEYS},
    {"zinter", K_NUMKEYS}, {"zintercard", K_NUMKEYS}, {"zinterstore", K_DEST_NUMKEYS},
    {"zmpop", K_NUMKEYS}, {"zunion", K_NUMKEYS}, {"zunionstore", K_DEST_NUMKEYS},
};

static uint8_t key_spec(const char *cmd) {
  for (size_t i = 0; i < sizeof KEY_RULES / sizeof KEY_RULES[0]; i++)
    if (!strcmp(KEY_RULES[i].name, cmd)) return KEY_RULES[i].spec;
  return K_FIRST;
}

static void push(uint32_t *idx, size_t cap, size_t *n, uint32_t i, uint32_t nargs) {
  if (i < nargs && *n < cap) idx[(*n)++] = i;
}

size_t lua_key_args(const LuaCall *c, uint32_t *idx, size_t cap) {
  if (!c->command) return 0;
  size_t n = 0;
  uint32_t na = c->nargs;
  switch (key_spec(c->command)) {
  case K_NONE: break;
  case K_FIRST: push(idx, cap, &n, 0, na); break;
  case K_SECOND: push(idx, cap, &n, 1, na); break;
  case K_TWO:
    push(idx, cap, &n, 0, na);
    push(idx, cap, &n, 1, na);
    break;
  case K_ALL:
    for (uint32_t i = 0; i < na; i++) push(idx, cap, &n, i, na);
    break;
  case K_FROM2ND:
    for (uint32_t i = 1; i < na; i++) push(idx, cap, &n, i, na);
    break;
  case K_PAIRS:
    for (uint32_t i = 0; i < na; i += 2) push(idx, cap, &n, i, na);
    break;
  case K_DEST_NUMKEYS:
    push(idx, cap, &n, 0, na);
    push(idx, cap, &n, 2, na); /* the first source */
    break;
  case K_NUMKEYS: push(idx, cap, &n, 1, na); break;
  case K_TIMEOUT_NUMKEYS: push(idx, cap, &n, 2, na); break;
  }
  return n;
}
