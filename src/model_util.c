/* model_util.c - grammar symbols and small node helpers. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "model_internal.h"

Syms SYM;
static pthread_once_t syms_once = PTHREAD_ONCE_INIT;
static int syms_status;
static char syms_msg[200];

static uint16_t sym(const TSLanguage *l, const char *name, bool named) {
  return ts_language_symbol_for_name(l, name, (uint32_t)strlen(name), named);
}

static uint16_t fld(const TSLanguage *l, const char *name) {
  return ts_language_field_id_for_name(l, name, (uint32_t)strlen(name));
}

static void init_symbols(const TSLanguage *l) {
#define S(f, n) SYM.f = sym(l, n, true)
  S(call, "call"); S(attribute, "attribute"); S(identifier, "identifier");
  S(argument_list, "argument_list"); S(keyword_argument, "keyword_argument");
  S(string, "string"); S(string_content, "string_content");
  S(string_start, "string_start"); S(string_end, "string_end");
  S(interpolation, "interpolation"); S(escape_sequence, "escape_sequence");
  S(concatenated_string, "concatenated_string"); S(binary_operator, "binary_operator");
  S(integer, "integer"); S(float_, "float"); S(true_, "true"); S(false_, "false");
  S(none, "none"); S(dictionary, "dictionary"); S(pair, "pair");
  S(dictionary_comprehension, "dictionary_comprehension"); S(list, "list");
  S(tuple, "tuple"); S(set, "set"); S(list_comprehension, "list_comprehension");
  S(set_comprehension, "set_comprehension"); S(generator_expression, "generator_expression");
  S(for_in_clause, "for_in_clause"); S(elif_clause, "elif_clause"); S(assignment, "assignment");
  S(augmented_assignment, "augmented_assignment");
  S(expression_statement, "expression_statement");
  S(function_definition, "function_definition"); S(class_definition, "class_definition");
  S(decorated_definition, "decorated_definition"); S(decorator, "decorator");
  S(import_statement, "import_statement"); S(import_from_statement, "import_from_statement");
  S(aliased_import, "aliased_import"); S(dotted_name, "dotted_name");
  S(relative_import, "relative_import"); S(wildcard_import, "wildcard_import");
  S(with_statement, "with_statement"); S(with_item, "with_item");
  S(as_pattern, "as_pattern"); S(as_pattern_target, "as_pattern_target");
  S(for_statement, "for_statement"); S(while_statement, "while_statement");
  S(return_statement, "return_statement"); S(await, "await");
  S(typed_parameter, "typed_parameter"); S(typed_default_parameter, "typed_default_parameter");
  S(default_parameter, "default_parameter"); S(parameters, "parameters");
  S(list_splat, "list_splat"); S(dictionary_splat, "dictionary_splat");
  S(parenthesized_expression, "parenthesized_expression");
  S(boolean_operator, "boolean_operator"); S(conditional_expression, "conditional_expression");
  S(subscript, "subscript"); S(global_statement, "global_statement");
  S(try_statement, "try_statement"); S(lambda, "lambda"); S(comment, "comment");
  S(except_clause, "except_clause");
  S(finally_clause, "finally_clause");
  S(named_expression, "named_expression");
  S(block, "block"); S(module, "module"); S(type, "type"); S(if_statement, "if_statement");
  S(unary_operator, "unary_operator"); S(keyword_separator, "keyword_separator");
  S(list_splat_pattern, "list_splat_pattern");
  S(dictionary_splat_pattern, "dictionary_splat_pattern");
  S(pattern_list, "pattern_list"); S(tuple_pattern, "tuple_pattern");
  S(format_specifier, "format_specifier"); S(comparison_operator, "comparison_operator");
  S(not_operator, "not_operator"); S(expression_list, "expression_list");
  S(delete_statement, "delete_statement"); S(raise_statement, "raise_statement");
  S(assert_statement, "assert_statement"); S(pass_statement, "pass_statement");
  S(yield, "yield");
  S(slice, "slice"); S(future_import_statement, "future_import_statement");
#undef S
  SYM.async_kw = sym(l, "async", false);
  SYM.return_kw = sym(l, "return", false);
#define F(f, n) SYM.f = fld(l, n)
  F(f_function, "function"); F(f_arguments, "arguments"); F(f_object, "object");
  F(f_attribute, "attribute"); F(f_name, "name"); F(f_value, "value"); F(f_left, "left");
  F(f_right, "right"); F(f_body, "body"); F(f_parameters, "parameters");
  F(f_superclasses, "superclasses"); F(f_module_name, "module_name"); F(f_alias, "alias");
  F(f_operator, "operator"); F(f_type, "type"); F(f_condition, "condition");
  F(f_alternative, "alternative"); F(f_consequence, "consequence"); F(f_key, "key");
  F(f_return_type, "return_type"); F(f_definition, "definition");
#undef F
}

static void init_once(void) {
  const TSLanguage *l = tree_sitter_python();
  uint32_t v = ts_language_version(l);
  if (v < TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION || v > TREE_SITTER_LANGUAGE_VERSION) {
    snprintf(syms_msg, sizeof syms_msg,
             "the tree-sitter-python grammar has ABI %u but the tree-sitter runtime "
             "accepts %d to %d; rebuild with a matching grammar",
             v, TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION, TREE_SITTER_LANGUAGE_VERSION);
    syms_status = -1;
    return;
  }
  init_symbols(l);
}

int model_init(char *msg, size_t msgsize) {
  pthread_once(&syms_once, init_once);
  if (syms_status && msg && msgsize) snprintf(msg, msgsize, "%s", syms_msg);
  return syms_status;
}

bool node_is(TSNode n, uint16_t s) { return !ts_node_is_null(n) && ts_node_symbol(n) == s; }

const char *node_text(Arena *a, const Source *src, TSNode n) {
  if (ts_node_is_null(n)) return "";
  return arena_strndup(a, src->text + nstart(n), nend(n) - nstart(n));
}

char *text_squeeze(char *s) {
  char *o = s;
  for (const char *c = s; *c; c++)
    if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r' && *c != '\\') *o++ = *c;
  *o = '\0';
  return s;
}

const char *node_text_squeezed(Arena *a, const Source *src, TSNode n) {
  if (ts_node_is_null(n)) return ""; /* node_text's "" is a literal: never write to it */
  return text_squeeze(arena_strndup(a, src->text + ts_node_start_byte(n),
                                    ts_node_end_byte(n) - ts_node_start_byte(n)));
}

bool node_text_eq(const Source *src, TSNode n, const char *s) {
  if (ts_node_is_null(n)) return false;
  size_t len = nend(n) - nstart(n);
  return strlen(s) == len && memcmp(src->text + nstart(n), s, len) == 0;
}

static bool is_positional(TSNode a) {
  uint16_t s = nsym(a);
  return s != SYM.keyword_argument && s != SYM.dictionary_splat && s != SYM.comment;
}

TSNode call_arg(TSNode args, uint32_t i) {
  TSNode none = {0};
  if (ts_node_is_null(args) || nsym(args) != SYM.argument_list) return none;
  uint32_t n = ts_node_named_child_count(args), k = 0;
  for (uint32_t j = 0; j < n; j++) {
    TSNode a = ts_node_named_child(args, j);
    if (!is_positional(a)) continue;
    if (nsym(a) == SYM.list_splat) return none; /* position unknowable past *args */
    if (k++ == i) return a;
  }
  return none;
}

uint32_t call_npositional(TSNode args) {
  if (ts_node_is_null(args) || nsym(args) != SYM.argument_list) return 0;
  uint32_t n = ts_node_named_child_count(args), k = 0;
  for (uint32_t j = 0; j < n; j++)
    if (is_positional(ts_node_named_child(args, j))) k++;
  return k;
}

TSNode call_kwarg(const Source *src, TSNode args, const char *name) {
  TSNode none = {0};
  if (ts_node_is_null(args) || nsym(args) != SYM.argument_list) return none;
  uint32_t n = ts_node_named_child_count(args);
  for (uint32_t j = 0; j < n; j++) {
    TSNode a = ts_node_named_child(args, j);
    if (nsym(a) != SYM.keyword_argument) continue;
    if (node_text_eq(src, ts_node_child_by_field_id(a, SYM.f_name), name))
      return ts_node_child_by_field_id(a, SYM.f_value);
  }
  return none;
}

bool call_has_splat(TSNode args) {
  if (ts_node_is_null(args)) return false;
  uint32_t n = ts_node_named_child_count(args);
  for (uint32_t j = 0; j < n; j++) {
    uint16_t s = nsym(ts_node_named_child(args, j));
    if (s == SYM.list_splat || s == SYM.dictionary_splat) return true;
  }
  return false;
}

bool value_is_clientish(Value v) {
  return v.kind == OBJ_CLIENT || v.kind == OBJ_PIPELINE || v.kind == OBJ_TRANSACTION ||
         v.kind == OBJ_CLIENT_OR_PIPELINE;
}

bool value_is_pipeline(Value v) {
  return v.kind == OBJ_PIPELINE || v.kind == OBJ_TRANSACTION;
}

/* ---- string literal contents ------------------------------------------ */

static size_t utf8_put(uint32_t cp, char *out) {
  if (cp < 0x80) { out[0] = (char)cp; return 1; }
  if (cp < 0x800) { out[0] = (char)(0xC0 | cp >> 6); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | cp >> 12); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | cp >> 18); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Decodes one escape sequence (text starts with a backslash) into out (>= 4 bytes). */
static size_t decode_escape(const char *t, size_t n, bool bytes, char *out) {
  if (n < 2) return 0;
  switch (t[1]) {
  case '\n': case '\r': return 0; /* line continuation */
  case 'n': out[0] = '\n'; return 1;
  case 't': out[0] = '\t'; return 1;
  case 'r': out[0] = '\r'; return 1;
  case 'x': case 'o': case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
    out[0] = (char)strtol(t + (t[1] == 'x' ? 2 : 1), NULL, t[1] == 'x' ? 16 : 8);
    return 1;
  case 'u': case 'U': {
    char hex[9] = {0};
    size_t k = t[1] == 'u' ? 4 : 8;
    if (n < k + 2 || bytes) { /* b"\u1234" is six literal bytes */
      size_t c = n < 4 ? n : 4;
      memcpy(out, t, c);
      return c;
    }
    memcpy(hex, t + 2, k);
    return utf8_put((uint32_t)strtoul(hex, NULL, 16), out);
  }
  case 'N': return 3; /* \N{NAME}: most named characters take 2-3 bytes */
  default: out[0] = t[1]; return 1;
  }
}

/* Appends the decoded text of a string_content node to out (cap bytes);
 * returns the decoded length (which may exceed cap: then out is truncated). */
size_t string_content_decode(const Source *src, TSNode content, bool raw, bool bytes, char *out,
                             size_t cap) {
  size_t len = 0;
  uint32_t pos = ts_node_start_byte(content), end = ts_node_end_byte(content);
  uint32_t n = raw ? 0 : ts_node_child_count(content);
  char buf[8] = {0};
  for (uint32_t i = 0; i <= n; i++) {
    TSNode c = i < n ? ts_node_child(content, i) : (TSNode){0};
    uint32_t cs = i < n ? ts_node_start_byte(c) : end;
    for (; pos < cs; pos++, len++)
      if (len < cap) out[len] = src->text[pos];
    if (i == n) break;
    size_t k = 0;
    if (nsym(c) == SYM.escape_sequence)
      k = decode_escape(src->text + cs, ts_node_end_byte(c) - cs, bytes, buf);
    else if (ts_node_end_byte(c) > cs) /* escape_interpolation: {{ or }} */
      buf[k++] = src->text[cs];
    for (size_t j = 0; j < k && j < sizeof buf; j++, len++)
      if (len < cap) out[len] = buf[j];
    pos = ts_node_end_byte(c);
  }
  return len;
}

/* String prefix letters (f, r, b, u) of a string node. */
unsigned string_prefix(const Source *src, TSNode s) {
  unsigned flags = 0;
  /* a string the parser recovered from an error may have no children */
  if (ts_node_is_null(s) || ts_node_child_count(s) == 0) return flags;
  TSNode st = ts_node_child(s, 0);
  for (uint32_t i = ts_node_start_byte(st); i < ts_node_end_byte(st); i++) {
    char c = src->text[i];
    if (c == '"' || c == '\'') break;
    if (c == 'f' || c == 'F') flags |= STR_F;
    if (c == 'r' || c == 'R') flags |= STR_RAW;
    if (c == 'b' || c == 'B') flags |= STR_BYTES;
  }
  return flags;
}

/* Node tables: rules walk the same tree many times (a whole-file walk per
 * rule, a walk per function per rule) and climb from calls to their
 * statements, and tree-sitter's cursor and ts_node_parent() are slow at both
 * (hidden nodes; a parent is found by descending from the root). On a file
 * where that is worth it, one cursor walk writes every visible node in
 * pre-order, with its parent and the end of its subtree; node_walk() then
 * reads a range of that array and rl_ts_parent() one entry. Built when a
 * walk covers a whole tree, or after PARENT_MISSES parents of one tree were
 * asked for; freed by rl_ts_tree_delete(). Pre-order start bytes never
 * decrease, so a node is found by binary search on its start byte. */
#undef ts_node_parent
#undef ts_tree_delete
#undef ts_node_symbol
#undef ts_node_child_count
typedef struct {
  uint32_t ctx[4];
  const void *id;
  uint32_t parent, end, nchild;
  uint16_t sym;
} NodeRow;
typedef struct {
  const TSTree *tree;
  NodeRow *rows;
  uint32_t n;
} NodeTable;

static pthread_mutex_t tables_lock = PTHREAD_MUTEX_INITIALIZER;
static NodeTable **tables;
static size_t ntables, captables;
/* counts deleted trees: a thread's remembered table or parent from before
 * the last delete is never trusted (a new tree may reuse the addresses) */
static uint64_t rl_tree_gen = 1;

typedef struct {
  const void *id;
  const TSTree *tree;
  uint64_t gen;
  TSNode parent;
} ParentSlot;
enum { PARENT_SLOTS = 1 << 13, PARENT_MISSES = 512 };
static _Thread_local ParentSlot parent_cache[PARENT_SLOTS];
static _Thread_local struct {
  const TSTree *tree;
  uint64_t gen;
  NodeTable *table;
  uint32_t misses;
} tl_table;

static _Thread_local struct {
  const void *id;
  uint32_t nchild;
  uint16_t sym;
} tl_sym;

TSSymbol rl_ts_symbol(TSNode n) {
  if (n.id && n.id == tl_sym.id) return tl_sym.sym;
  return ts_node_symbol(n);
}

uint32_t rl_ts_child_count(TSNode n) {
  if (ts_node_is_null(n)) return 0;
  if (n.id == tl_sym.id) return tl_sym.nchild;
  return ts_node_child_count(n);
}

static NodeTable *table_build(const TSTree *tree) {
  NodeTable *t = xcalloc(1, sizeof *t);
  t->tree = tree;
  uint32_t cap = 1024, depth = 0, dcap = 64;
  t->rows = xrealloc(NULL, cap * sizeof *t->rows);
  uint32_t *stack = xrealloc(NULL, dcap * sizeof *stack);
  TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
  for (bool down = true;;) {
    if (down) { /* a new node: its row, and it is open */
      TSNode n = ts_tree_cursor_current_node(&c);
      if (t->n == cap) t->rows = xrealloc(t->rows, (size_t)(cap *= 2) * sizeof *t->rows);
      NodeRow *r = &t->rows[t->n];
      memcpy(r->ctx, n.context, sizeof r->ctx);
      r->id = n.id;
      r->sym = ts_node_symbol(n);
      r->nchild = ts_node_child_count(n);
      r->parent = depth ? stack[depth - 1] : UINT32_MAX;
      if (depth == dcap) stack = xrealloc(stack, (size_t)(dcap *= 2) * sizeof *stack);
      stack[depth++] = t->n++;
      if (ts_tree_cursor_goto_first_child(&c)) continue;
    }
    t->rows[stack[--depth]].end = t->n; /* the current node is done */
    if ((down = ts_tree_cursor_goto_next_sibling(&c))) continue;
    if (!ts_tree_cursor_goto_parent(&c)) break;
  }
  ts_tree_cursor_delete(&c);
  free(stack);
  return t;
}

static void table_free(NodeTable *t) {
  if (!t) return;
  free(t->rows);
  free(t);
}

/* The table of tree (building it when build), or NULL. */
static NodeTable *table_of(const TSTree *tree, bool build) {
  uint64_t gen = __atomic_load_n(&rl_tree_gen, __ATOMIC_ACQUIRE);
  if (tl_table.tree == tree && tl_table.gen == gen && (tl_table.table || !build)) return tl_table.table;
  if (tl_table.tree != tree || tl_table.gen != gen) tl_table.misses = 0;
  NodeTable *found = NULL;
  pthread_mutex_lock(&tables_lock);
  for (size_t i = 0; i < ntables && !found; i++)
    if (tables[i]->tree == tree) found = tables[i];
  pthread_mutex_unlock(&tables_lock);
  if (!found && build) {
    NodeTable *t = table_build(tree);
    pthread_mutex_lock(&tables_lock);
    for (size_t i = 0; i < ntables && !found; i++)
      if (tables[i]->tree == tree) found = tables[i];
    if (!found) {
      if (ntables == captables) tables = xrealloc(tables, (captables = captables ? 2 * captables : 8) * sizeof *tables);
      tables[ntables++] = found = t;
      t = NULL;
    }
    pthread_mutex_unlock(&tables_lock);
    table_free(t); /* another thread built it first */
  }
  tl_table.tree = tree;
  tl_table.gen = gen;
  tl_table.table = found;
  return found;
}

/* The row of n in t, or UINT32_MAX. */
static uint32_t table_find(const NodeTable *t, TSNode n) {
  uint32_t lo = 0, hi = t->n, start = n.context[0];
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (t->rows[mid].ctx[0] < start) lo = mid + 1;
    else hi = mid;
  }
  for (; lo < t->n && t->rows[lo].ctx[0] == start; lo++)
    if (t->rows[lo].id == n.id) return lo;
  return UINT32_MAX;
}

static TSNode table_node(const NodeTable *t, uint32_t i) {
  TSNode n;
  memcpy(n.context, t->rows[i].ctx, sizeof n.context);
  n.id = t->rows[i].id;
  n.tree = t->tree;
  return n;
}

TSNode rl_ts_parent(TSNode n) {
  if (ts_node_is_null(n)) return n;
  NodeTable *t = table_of(n.tree, tl_table.misses >= PARENT_MISSES);
  if (t) {
    uint32_t i = table_find(t, n);
    if (i != UINT32_MAX) {
      if (t->rows[i].parent == UINT32_MAX) {
        TSNode null = {0};
        return null;
      }
      return table_node(t, t->rows[i].parent);
    }
  }
  uint64_t gen = tl_table.gen;
  uintptr_t h = (uintptr_t)n.id;
  h ^= h >> 17;
  h *= 0x9E3779B97F4A7C15ull;
  ParentSlot *s = &parent_cache[(h >> 32) & (PARENT_SLOTS - 1)];
  if (s->id == n.id && s->tree == n.tree && s->gen == gen) return s->parent;
  tl_table.misses++;
  TSNode p = ts_node_parent(n);
  *s = (ParentSlot){.id = n.id, .tree = n.tree, .gen = gen, .parent = p};
  return p;
}

uint64_t rl_tree_generation(void) { return __atomic_load_n(&rl_tree_gen, __ATOMIC_ACQUIRE); }

void rl_ts_tree_delete(TSTree *t) {
  if (!t) return;
  NodeTable *gone = NULL;
  pthread_mutex_lock(&tables_lock);
  for (size_t i = 0; i < ntables; i++)
    if (tables[i]->tree == t) {
      gone = tables[i];
      tables[i] = tables[--ntables];
      break;
    }
  if (!ntables) {
    free(tables);
    tables = NULL;
    captables = 0;
  }
  __atomic_add_fetch(&rl_tree_gen, 1, __ATOMIC_ACQ_REL);
  pthread_mutex_unlock(&tables_lock);
  table_free(gone);
  ts_tree_delete(t);
}
#define ts_node_parent rl_ts_parent
#define ts_tree_delete rl_ts_tree_delete
#define ts_node_symbol rl_ts_symbol
#define ts_node_child_count rl_ts_child_count

void node_walk(TSNode root, bool (*visit)(TSNode n, void *data), void *data) {
  if (ts_node_is_null(root)) return;
  /* a walk of a whole tree builds its table; later walks of it read ranges */
  bool whole = root.id == ts_tree_root_node(root.tree).id;
  NodeTable *t = table_of(root.tree, whole);
  uint32_t i = t ? table_find(t, root) : UINT32_MAX;
  if (i != UINT32_MAX) {
    /* the visited node's symbol without a trip to the subtree (a cache miss
       on big files): rl_ts_symbol() answers it while the walk lasts */
    for (uint32_t end = t->rows[i].end; i < end; i++) {
      tl_sym.id = t->rows[i].id;
      tl_sym.sym = t->rows[i].sym;
      tl_sym.nchild = t->rows[i].nchild;
      if (!visit(table_node(t, i), data)) break;
    }
    tl_sym.id = NULL;
    return;
  }
  TSTreeCursor c = ts_tree_cursor_new(root);
  for (;;) {
    if (!visit(ts_tree_cursor_current_node(&c), data)) break;
    if (ts_tree_cursor_goto_first_child(&c)) continue;
    bool more = true;
    while (more && !ts_tree_cursor_goto_next_sibling(&c)) more = ts_tree_cursor_goto_parent(&c);
    if (!more) break;
  }
  ts_tree_cursor_delete(&c);
}

bool node_same_text(const Source *src, TSNode a, TSNode b) {
  uint32_t n = ts_node_end_byte(a) - ts_node_start_byte(a);
  return n == ts_node_end_byte(b) - ts_node_start_byte(b) &&
         !memcmp(src->text + ts_node_start_byte(a), src->text + ts_node_start_byte(b), n);
}

const char *model_name_literal(const Model *m, TSNode n, size_t *len) {
  if (!node_is(n, SYM.string)) return NULL;
  const char *t = m->src->text + nstart(n);
  size_t k = nend(n) - nstart(n);
  if (k < 2 || (t[0] != '"' && t[0] != '\'') || t[k - 1] != t[0]) return NULL;
  for (size_t i = 1; i + 1 < k; i++)
    if (!(t[i] == '_' || (t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
          (t[i] >= '0' && t[i] <= '9')))
      return NULL;
  *len = k - 2;
  return t + 1;
}
