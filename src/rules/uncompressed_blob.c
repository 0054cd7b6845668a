/* RL104 uncompressed-blob: a large or serialized value stored as is. */
#include <ctype.h>
#include <string.h>

#include "rule_util.h"

static const char *const BLOB_WRITES[] = {"set", "setex", "psetex", "setnx", "getset", "hset",
                                          "hsetnx", "hmset", "mset", "msetnx", "rpush",
                                          "lpush", "rpushx", "lpushx", "xadd", NULL};

typedef struct Verdict {
  Severity sev;
  const char *why;
  ValueFact fact;
} Verdict;

/* ---- Visibly small serializer input ----
 * `json.dumps({"name": "probe", "content": "probe " + json.dumps(c)})`: a
 * display whose entries are each a scalar, a short string, a name (a field
 * of unknown value) or itself the serialization of a small display is one
 * record of a fixed shape, written field by field: a few hundred bytes (a
 * game server's 27-field match record was about 500); zlib gains little on
 * it, costs CPU on every write, and its consumers would have to change.
 * Entries past SMALL_ENTRIES (a display that long is a table written out,
 * not a record) or one that is a collection or a body keep it large. */
#define SMALL_ENTRIES 64
#define SMALL_ENTRY_BYTES 64

static bool small_display(RuleCtx *ctx, TSNode n, int depth);
static bool small_input(RuleCtx *ctx, TSNode call, int depth);

static TSNode resolved(RuleCtx *ctx, TSNode e) {
  while (node_is(e, SYM.parenthesized_expression)) e = ts_node_named_child(e, 0);
  if (!node_is(e, SYM.identifier)) return e;
  int scope = model_scope_at(ctx->model, nstart(e));
  return model_resolve(ctx->model, e, &scope);
}

static bool is_display(TSNode e) {
  return node_is(e, SYM.dictionary) || node_is(e, SYM.list) || node_is(e, SYM.tuple) ||
         node_is(e, SYM.set);
}

/* One entry of a display: small when the model says so, or a display /
 * concatenation / serialization made only of small parts. Collections and
 * bodies of unknown size are not. */
static bool small_entry(RuleCtx *ctx, TSNode e, int depth) {
  if (depth > 4 || ts_node_is_null(e)) return false;
  e = resolved(ctx, e);
  if (ts_node_is_null(e)) return true; /* a parameter: a field, not a collection */
  if (is_display(e)) return small_display(ctx, e, depth + 1);
  if (node_is(e, SYM.binary_operator) &&
      node_text_eq(ctx->src, ts_node_child_by_field_id(e, SYM.f_operator), "+"))
    return small_entry(ctx, ts_node_child_by_field_id(e, SYM.f_left), depth + 1) &&
           small_entry(ctx, ts_node_child_by_field_id(e, SYM.f_right), depth + 1);
  ValueFact f = model_value(ctx->model, e);
  if (f.flags & VF_SMALL_LITERAL) return true;
  if (f.flags & (VF_COLLECTION | VF_BULK)) return false;
  if (f.flags & VF_SERIALIZED) return node_is(e, SYM.call) && small_input(ctx, e, depth + 1);
  return f.min_size <= SMALL_ENTRY_BYTES;
}

static bool small_display(RuleCtx *ctx, TSNode n, int depth) {
  uint32_t cnt = ts_node_named_child_count(n);
  if (cnt > SMALL_ENTRIES) return false;
  for (uint32_t i = 0; i < cnt; i++) {
    TSNode c = ts_node_named_child(n, i);
    if (node_is(c, SYM.pair)) c = ts_node_child_by_field_id(c, SYM.f_value);
    if (node_is(c, SYM.dictionary_splat) || node_is(c, SYM.list_splat)) return false;
    if (!small_entry(ctx, c, depth + 1)) return false;
  }
  return true;
}

/* A web session (`session`, `self.session`, `user_session`; not `sessions`):
 * a user's login, a CSRF token, a few flash messages; its size is bounded by
 * what a request puts there, not by data. */
static bool names_session(RuleCtx *ctx, TSNode e) {
  if (node_is(e, SYM.attribute)) e = ts_node_child_by_field_id(e, SYM.f_attribute);
  if (!node_is(e, SYM.identifier)) return false;
  const char *t = ctx_text(ctx, e);
  size_t n = strlen(t);
  return n >= 7 && (!strcmp(t + n - 7, "session") || !strcmp(t + n - 7, "Session"));
}

/* The serializer call's input is visibly small: a small display (through a
 * name too), or a web session, as is or copied (`dict(session)`). */
static bool small_input(RuleCtx *ctx, TSNode call, int depth) {
  if (!node_is(call, SYM.call) || depth > 4) return false;
  TSNode a0 = call_arg(ts_node_child_by_field_id(call, SYM.f_arguments), 0);
  if (ts_node_is_null(a0)) return false;
  TSNode in = resolved(ctx, a0);
  if (ts_node_is_null(in)) in = a0; /* a parameter */
  if (is_display(in)) return small_display(ctx, in, depth + 1);
  if (node_is(in, SYM.call)) { /* dict(session) */
    TSNode fn = ts_node_child_by_field_id(in, SYM.f_function);
    TSNode args = ts_node_child_by_field_id(in, SYM.f_arguments);
    if (node_is(fn, SYM.identifier) && node_text_eq(ctx->src, fn, "dict") &&
        ts_node_named_child_count(args) == 1)
      in = ts_node_named_child(args, 0);
  }
  return names_session(ctx, in);
}

/* ---- Already compressed media ----
 * A favicon, a screenshot, a PNG/JPEG/PDF or audio/video body read from a
 * file or a response is compressed by its own format: zlib gains nothing on
 * it. Told by the names the code gives it: the stored expression, where its
 * bytes come from, or the key. */
static bool names_media(const char *t) {
  static const char *const words[] = {"icon",  "image", "img",   "png",        "jpg",
                                      "jpeg",  "gif",   "webp",  "thumbnail",  "screenshot",
                                      "avatar", "photo", "video", "audio",     "mp3",
                                      "mp4",   "pdf",   "woff",  "gzip",       NULL};
  if (!t) return false;
  char low[256];
  size_t n = 0;
  for (; t[n] && n + 1 < sizeof low; n++) low[n] = (char)tolower((unsigned char)t[n]);
  low[n] = '\0';
  for (size_t i = 0; words[i]; i++)
    if (strstr(low, words[i])) return true;
  return false;
}

static bool media_value(RuleCtx *ctx, const CallSite *cs, const Stored *st, const ValueFact *f) {
  if (names_media(ctx_text(ctx, st->value))) return true;
  if (!ts_node_is_null(st->field) && names_media(ctx_text(ctx, st->field))) return true;
  if (!ts_node_is_null(f->origin) && names_media(ctx_text(ctx, f->origin))) return true;
  return cs->key.text && names_media(cs->key.text);
}

static bool judge(RuleCtx *ctx, TSNode n, Verdict *v) {
  ValueFact f = model_value(ctx->model, n);
  v->fact = f;
  if (f.flags & (VF_COMPRESSED | VF_SMALL_LITERAL)) return false;
  int64_t size = f.size >= 0 ? f.size : f.min_size;
  if (size >= ctx->opt->th.blob_min_bytes) {
    v->sev = SEV_WARNING;
    v->why = arena_printf(ctx->arena, "a %lld-byte value", (long long)size);
    return true;
  }
  if ((f.flags & VF_SERIALIZED) && (f.flags & VF_COLLECTION)) {
    /* a serialized collection that is visibly small: a message of a few
       fields, a web session; nothing says it can be large */
    if (small_input(ctx, f.origin, 0)) return false;
    v->sev = SEV_WARNING;
    v->why = arena_printf(ctx->arena, "%s output of a collection", f.what);
    return true;
  }
  if (f.flags & VF_BULK) {
    v->sev = SEV_WARNING;
    v->why = arena_printf(ctx->arena, "a bulk body (%s)", f.what ? f.what : ctx_text(ctx, f.origin));
    return true;
  }
  /* Serializer output of one object: compressing a few hundred bytes gains
   * little, so it is not reported (RULES.md: "at most I"). */
  return false;
}

/* How this file can call zlib.compress: `zlib.compress`, `z.compress` after
 * `import zlib as z`, `compress` after `from zlib import compress`; NULL
 * when zlib must be imported first. */
static const char *compress_callee(RuleCtx *ctx) {
  const char *local = model_local_for(ctx->model, "zlib.compress");
  if (local) return local;
  local = model_local_for(ctx->model, "zlib");
  return local ? arena_printf(ctx->arena, "%s.compress", local) : NULL;
}

/* The file's reads and writes by key template, sorted once per file: a
 * file of thousands of SETs asks for each of them. Not KeyGroups: its
 * lookups hand back every call of the key, where this one stops at the
 * fifth (thousands of SETs of one key would make that quadratic). */
typedef struct KeyUses {
  const CallSite **cs;
  size_t n;
  bool built;
} KeyUses;

static int by_key(const void *a, const void *b) {
  const CallSite *x = *(const CallSite *const *)a, *y = *(const CallSite *const *)b;
  int c = strcmp(x->key.text, y->key.text);
  return c ? c : (nstart(x->node) > nstart(y->node)) - (nstart(x->node) < nstart(y->node));
}

static void key_uses_build(RuleCtx *ctx, KeyUses *ku) {
  ku->built = true;
  ku->cs = xmalloc((model_ncalls(ctx->model) + 1) * sizeof *ku->cs);
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *o = model_call(ctx->model, i);
    if (!o->cmd || !o->key.text || o->key.opaque) continue;
    if (!(o->cmd->flags & (CMD_READ | CMD_WRITE)) || (o->cmd->flags & CMD_KEYSPACE)) continue;
    ku->cs[ku->n++] = o;
  }
  if (ku->n > 1) qsort(ku->cs, ku->n, sizeof *ku->cs, by_key);
}

/* Lines of the file's other commands on the same key template ("12, 40"),
 * or NULL: writers that stay uncompressed and readers that do not decompress
 * would break if only this write changed. */
static const char *other_users(RuleCtx *ctx, KeyUses *ku, const CallSite *cs) {
  if (!cs->key.text || cs->key.opaque) return NULL;
  if (!ku->built) key_uses_build(ctx, ku);
  size_t lo = 0, hi = ku->n; /* the first entry with this key */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(ku->cs[mid]->key.text, cs->key.text) < 0) lo = mid + 1;
    else hi = mid;
  }
  const char *lines = NULL;
  size_t n = 0;
  for (size_t i = lo; i < ku->n && !strcmp(ku->cs[i]->key.text, cs->key.text); i++) {
    if (ku->cs[i] == cs) continue;
    unsigned line = ts_node_start_point(ku->cs[i]->node).row + 1;
    if (n++ < 4) lines = lines ? arena_printf(ctx->arena, "%s, %u", lines, line)
                               : arena_printf(ctx->arena, "%u", line);
    else break;
  }
  return n > 4 ? arena_printf(ctx->arena, "%s, ...", lines) : lines;
}

static void add_fix(RuleCtx *ctx, KeyUses *ku, Finding *f, const CallSite *cs, TSNode n,
                    const Verdict *v) {
  const char *expr = ctx_text(ctx, n);
  bool bytes = v->fact.flags & VF_BYTES, str = v->fact.flags & VF_STR;
  const char *callee = compress_callee(ctx);
  bool need_import = callee == NULL;
  if (need_import) callee = "zlib.compress";
  /* `.encode()` binds tighter than an operator: `"-" * n` needs parentheses */
  bool primary = node_is(n, SYM.identifier) || node_is(n, SYM.attribute) ||
                 node_is(n, SYM.subscript) || node_is(n, SYM.call) || node_is(n, SYM.string) ||
                 node_is(n, SYM.concatenated_string) || node_is(n, SYM.parenthesized_expression);
  if (str && !bytes && !primary) expr = arena_printf(ctx->arena, "(%s)", expr);
  const char *wrapped = arena_printf(ctx->arena, "%s(%s%s)", callee, expr,
                                     bytes ? "" : str ? ".encode()" : "");
  if (cs->recv.decode == TRI_TRUE) {
    finding_fix(ctx, f, FIX_DISPLAY,
                "Compress with `%s` through a client built with decode_responses=False (this "
                "client decodes replies and would fail on compressed bytes)", wrapped);
    return;
  }
  if (!bytes && !str) {
    finding_fix(ctx, f, FIX_DISPLAY,
                "Compress the value, e.g. `%s` (readers must decompress)", wrapped);
    return;
  }
  const char *others = other_users(ctx, ku, cs);
  if (others) { /* one edit here would leave the key half compressed */
    finding_fix(ctx, f, FIX_DISPLAY,
                "Compress the value, `%s`, together with the other reads and writes of this "
                "key in this file (line%s %s): each must compress or `zlib.decompress`",
                wrapped, strchr(others, ',') ? "s" : "", others);
    return;
  }
  finding_fix(ctx, f, FIX_UNSAFE,
              "Compress the value: `%s` (readers must `zlib.decompress` it)", wrapped);
  if (need_import) {
    uint32_t at = ctx_import_insert_at(ctx);
    finding_edit(ctx, f, at, at, "import zlib\n");
  }
  finding_edit(ctx, f, nstart(n), nend(n), wrapped);
}

static void check(RuleCtx *ctx) {
  /* test data lives on a throwaway server, and its format must be the one
   * the code under test reads: compressing it only breaks the test */
  if (in_test_code(ctx->src, ctx->opt)) return;
  KeyUses ku = {0};
  for (size_t i = 0; i < model_ncalls(ctx->model); i++) {
    const CallSite *cs = model_call(ctx->model, i);
    if (!call_method_in(cs, BLOB_WRITES)) continue;
    Stored st[MAX_VALUES];
    size_t n = stored_values(ctx->model, cs, st, MAX_VALUES, NULL);
    for (size_t k = 0; k < n; k++) {
      Verdict v;
      if (!judge(ctx, st[k].value, &v)) continue;
      if ((v.fact.flags & VF_BULK) && !(v.fact.flags & VF_SERIALIZED) &&
          media_value(ctx, cs, &st[k], &v.fact))
        continue; /* a PNG or a PDF does not shrink */
      const char *where = call_key_display(ctx, cs);
      if (cs->cmd->first_key < 0 && !ts_node_is_null(st[k].field)) { /* mset: the pair's key */
        KeyTpl kt = model_key(ctx->model, st[k].field);
        where = kt.opaque ? ctx_text(ctx, st[k].field) : key_display(ctx, &kt);
      }
      Finding *f = rule_report(ctx, report_node(cs, st[k].value), v.sev,
                               "%s is stored uncompressed in `%s`: Redis keeps every byte in "
                               "RAM, and serialized collections, which repeat their keys, shrink "
                               "several-fold with zlib",
                               v.why, where);
      if (ts_node_eq(report_node(cs, st[k].value), st[k].value)) add_fix(ctx, &ku, f, cs, st[k].value, &v);
      else finding_fix(ctx, f, FIX_DISPLAY, "Compress the value with zlib.compress() where it is built (readers must decompress)");
    }
  }
  free(ku.cs);
}

/* The rule's code, title, severity, category, fix and flags are in
 * rules/uncompressed-blob.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_uncompressed_blob = {
    .check_file = check,
};
