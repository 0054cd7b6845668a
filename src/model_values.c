/* model_values.c - what is statically known about a value argument: literal
 * sizes, serializer output, bulk sources, compression on the def-use path. */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

typedef struct Producer {
  const char *name; /* qualified name, or ".method" for any receiver */
  uint32_t flags;
} Producer;

/* add a serializer, bulk source or compressor here */
static const Producer PRODUCERS[] = {
    {"json.dumps", VF_SERIALIZED | VF_STR},
    {"simplejson.dumps", VF_SERIALIZED | VF_STR},
    {"ujson.dumps", VF_SERIALIZED | VF_STR},
    {"rapidjson.dumps", VF_SERIALIZED | VF_STR},
    {"orjson.dumps", VF_SERIALIZED | VF_BYTES},
    {"yaml.dump", VF_SERIALIZED | VF_STR},
    {"yaml.safe_dump", VF_SERIALIZED | VF_STR},
    {"pickle.dumps", VF_SERIALIZED | VF_BYTES | VF_BINARY},
    {"cPickle.dumps", VF_SERIALIZED | VF_BYTES | VF_BINARY},
    {"_pickle.dumps", VF_SERIALIZED | VF_BYTES | VF_BINARY},
    {"dill.dumps", VF_SERIALIZED | VF_BYTES | VF_BINARY},
    {"cloudpickle.dumps", VF_SERIALIZED | VF_BYTES | VF_BINARY},
    {"marshal.dumps", VF_SERIALIZED | VF_BYTES | VF_BINARY},
    {"msgpack.packb", VF_SERIALIZED | VF_BYTES | VF_BINARY},
    {"msgpack.dumps", VF_SERIALIZED | VF_BYTES | VF_BINARY},
    {"ormsgpack.packb", VF_SERIALIZED | VF_BYTES | VF_BINARY},
    {"zlib.compress", VF_COMPRESSED | VF_BYTES | VF_BINARY},
    {"gzip.compress", VF_COMPRESSED | VF_BYTES | VF_BINARY},
    {"bz2.compress", VF_COMPRESSED | VF_BYTES | VF_BINARY},
    {"lzma.compress", VF_COMPRESSED | VF_BYTES | VF_BINARY},
    {"lz4.frame.compress", VF_COMPRESSED | VF_BYTES | VF_BINARY},
    {"lz4.block.compress", VF_COMPRESSED | VF_BYTES | VF_BINARY},
    {"zstd.compress", VF_COMPRESSED | VF_BYTES | VF_BINARY},
    {"zstandard.compress", VF_COMPRESSED | VF_BYTES | VF_BINARY},
    {"snappy.compress", VF_COMPRESSED | VF_BYTES | VF_BINARY},
    {"brotli.compress", VF_COMPRESSED | VF_BYTES | VF_BINARY},
    {"blosc.compress", VF_COMPRESSED | VF_BYTES | VF_BINARY},
    {"blosc2.compress", VF_COMPRESSED | VF_BYTES | VF_BINARY},
    {".compress", VF_COMPRESSED | VF_BYTES | VF_BINARY},
    {"base64.b64encode", VF_BULK | VF_BYTES},
    {"base64.urlsafe_b64encode", VF_BULK | VF_BYTES},
    {"base64.b85encode", VF_BULK | VF_BYTES},
    {"base64.encodebytes", VF_BULK | VF_BYTES},
    {".model_dump_json", VF_SERIALIZED | VF_STR | VF_ENTITY},
    {".to_json", VF_SERIALIZED | VF_STR},
    {".to_csv", VF_BULK | VF_STR | VF_COLLECTION},
    {".to_parquet", VF_BULK | VF_BYTES | VF_BINARY | VF_COLLECTION},
    {".to_feather", VF_BULK | VF_BYTES | VF_BINARY | VF_COLLECTION},
    {".read", VF_BULK},
    {".read_bytes", VF_BULK | VF_BYTES},
    {".read_text", VF_BULK | VF_STR},
    {".readlines", VF_BULK | VF_COLLECTION},
    {".all", VF_COLLECTION},
    {".fetchall", VF_COLLECTION},
    {".values_list", VF_COLLECTION},
    {".iterrows", VF_COLLECTION},
    {"list", VF_COLLECTION},
    {"sorted", VF_COLLECTION},
    {"dict", VF_COLLECTION},
    {"str", VF_STR},
    {"repr", VF_STR},
    {"int", VF_NUMBER | VF_INTLIKE},
    {"len", VF_NUMBER | VF_INTLIKE},
    {"float", VF_NUMBER},
    {"bytes", VF_BYTES},
};

static ValueFact fact(uint32_t flags, TSNode origin) {
  ValueFact f;
  memset(&f, 0, sizeof f);
  f.flags = flags;
  f.size = -1;
  f.origin = origin;
  return f;
}

static bool name_is_idlike(const char *t, size_t n) {
  if ((n == 4 && !memcmp(t, "uuid", 4)) || (n == 4 && !memcmp(t, "guid", 4))) return false;
  if (n >= 5 && (!memcmp(t + n - 5, "_uuid", 5) || !memcmp(t + n - 5, "_guid", 5))) return false;
  if (n == 2 && memcmp(t, "id", 2) == 0) return true;
  if (n == 2 && memcmp(t, "pk", 2) == 0) return true;
  if (n >= 3 && memcmp(t + n - 3, "_id", 3) == 0) return true;
  if (n >= 3 && memcmp(t + n - 3, "_pk", 3) == 0) return true;
  if (n >= 3 && n <= 4 && t[n - 2] == 'i' && t[n - 1] == 'd') return true; /* uid, pid, oid */
  return false;
}

/* Literal content length in bytes (escapes counted as written: close enough
 * for a threshold check). f-strings: their literal parts only. */
static void string_size(const Model *m, TSNode s, int64_t *min, bool *exact, bool *bytes) {
  unsigned pf = string_prefix(m->src, s);
  *bytes |= (pf & STR_BYTES) != 0;
  uint32_t n = ts_node_child_count(s);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_child(s, i);
    if (nsym(c) == SYM.interpolation) *exact = false;
    else if (nsym(c) == SYM.string_content)
      *min += (int64_t)string_content_decode(m->src, c, pf & STR_RAW, pf & STR_BYTES, NULL, 0);
  }
}

static ValueFact vf_string(const Model *m, TSNode n) {
  int64_t size = 0;
  bool exact = true, bytes = false;
  if (nsym(n) == SYM.concatenated_string) {
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
      string_size(m, ts_node_named_child(n, i), &size, &exact, &bytes);
  } else {
    string_size(m, n, &size, &exact, &bytes);
  }
  ValueFact f = fact(bytes ? VF_BYTES : VF_STR, n);
  f.min_size = size;
  f.size = exact ? size : -1;
  return f;
}

static int64_t int_literal(const Model *m, TSNode n, int scope) {
  n = model_resolve(m, n, &scope);
  if (!node_is(n, SYM.integer)) return -1;
  char buf[32];
  size_t len = nend(n) - nstart(n), j = 0;
  for (size_t i = 0; i < len && j < sizeof buf - 1; i++) {
    char c = m->src->text[nstart(n) + i];
    if (c != '_') buf[j++] = c;
  }
  buf[j] = '\0';
  char *end;
  long long v = strtoll(buf, &end, 0);
  return *end ? -1 : v;
}

static ValueFact vf_binop(const Model *m, TSNode n, int scope, int depth) {
  TSNode op = ts_node_child_by_field_id(n, SYM.f_operator);
  TSNode l = ts_node_child_by_field_id(n, SYM.f_left);
  TSNode r = ts_node_child_by_field_id(n, SYM.f_right);
  ValueFact a = valuefact_eval(m, l, scope, depth + 1);
  ValueFact b = valuefact_eval(m, r, scope, depth + 1);
  if (node_text_eq(m->src, op, "*")) {
    ValueFact s = (a.flags & (VF_STR | VF_BYTES)) ? a : b;
    int64_t k = int_literal(m, (a.flags & (VF_STR | VF_BYTES)) ? r : l, scope);
    if ((s.flags & (VF_STR | VF_BYTES)) && s.size >= 0 && k >= 0) {
      ValueFact f = fact(s.flags & (VF_STR | VF_BYTES), n);
      f.size = f.min_size = s.size * k;
      return f;
    }
    return fact(0, n);
  }
  if (node_text_eq(m->src, op, "+") && (a.flags & (VF_STR | VF_BYTES))) {
    ValueFact f = fact(a.flags & (VF_STR | VF_BYTES), n);
    f.flags |= (a.flags | b.flags) & (VF_SERIALIZED | VF_BULK);
    f.min_size = a.min_size + b.min_size;
    f.size = (a.size >= 0 && b.size >= 0) ? a.size + b.size : -1;
    return f;
  }
  if (node_text_eq(m->src, op, "%") && (a.flags & VF_STR)) {
    ValueFact f = fact(VF_STR, n);
    f.min_size = a.min_size;
    return f;
  }
  return fact(VF_NUMBER, n);
}

static ValueFact vf_collection_literal(const Model *m, TSNode n, int scope, int depth) {
  uint32_t cnt = ts_node_named_child_count(n);
  ValueFact f = fact(0, n);
  f.count = cnt;
  bool small = cnt <= 16;
  for (uint32_t i = 0; i < cnt && small; i++) {
    TSNode c = ts_node_named_child(n, i);
    if (nsym(c) == SYM.pair) c = ts_node_child_by_field_id(c, SYM.f_value);
    if (nsym(c) == SYM.dictionary_splat || nsym(c) == SYM.list_splat) continue; /* {**extra} */
    ValueFact e = valuefact_eval(m, c, scope, depth + 1);
    if (e.flags & (VF_COLLECTION | VF_BULK | VF_SERIALIZED)) small = false;
    if (e.min_size > 64) small = false;
  }
  f.flags = small ? VF_SMALL_LITERAL : VF_COLLECTION;
  return f;
}

static const Producer *producer_for(const Model *m, TSNode fn, int scope) {
  const char *qn = model_qualname(m, fn, scope);
  if (!qn && nsym(fn) == SYM.identifier) qn = node_text(m->arena, m->src, fn);
  TSNode attr = nsym(fn) == SYM.attribute ? ts_node_child_by_field_id(fn, SYM.f_attribute)
                                          : (TSNode){0};
  for (size_t i = 0; i < sizeof PRODUCERS / sizeof PRODUCERS[0]; i++) {
    const char *p = PRODUCERS[i].name;
    if (p[0] == '.') {
      if (!ts_node_is_null(attr) && node_text_eq(m->src, attr, p + 1)) return &PRODUCERS[i];
    } else if (qn && strcmp(qn, p) == 0) {
      return &PRODUCERS[i];
    }
  }
  return NULL;
}

static bool name_is_collection_source(const Model *m, TSNode fn) {
  TSNode name = nsym(fn) == SYM.attribute ? ts_node_child_by_field_id(fn, SYM.f_attribute) : fn;
  if (!node_is(name, SYM.identifier)) return false;
  const char *t = m->src->text + nstart(name);
  size_t n = nend(name) - nstart(name);
  static const char *prefixes[] = {"fetch_all", "get_all", "load_all", "list_all", "all_"};
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
    if (n >= strlen(prefixes[i]) && memcmp(t, prefixes[i], strlen(prefixes[i])) == 0) return true;
  return false;
}

static bool contains(const char *t, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (!memcmp(t + i, needle, k)) return true;
  return false;
}

/* `df`, `orders_df`, `frame`: names that hold pandas DataFrames by convention. */
static bool name_is_frame(const Model *m, TSNode obj) {
  if (!node_is(obj, SYM.identifier)) return false;
  const char *t = m->src->text + nstart(obj);
  size_t n = nend(obj) - nstart(obj);
  return (n == 2 && !memcmp(t, "df", 2)) || (n > 3 && !memcmp(t + n - 3, "_df", 3)) ||
         (n > 3 && !memcmp(t, "df_", 3)) || contains(t, n, "frame");
}

/* resp.content / resp.text / resp.body of an HTTP response. */
static bool is_http_body(const Model *m, TSNode n, int scope) {
  TSNode attr = ts_node_child_by_field_id(n, SYM.f_attribute);
  if (!node_text_eq(m->src, attr, "content") && !node_text_eq(m->src, attr, "text") &&
      !node_text_eq(m->src, attr, "body"))
    return false;
  TSNode obj = ts_node_child_by_field_id(n, SYM.f_object);
  int sc = scope;
  TSNode v = model_resolve(m, obj, &sc);
  if (node_is(v, SYM.await)) v = ts_node_named_child(v, 0);
  if (node_is(v, SYM.call)) {
    const char *qn = model_qualname(m, ts_node_child_by_field_id(v, SYM.f_function), sc);
    if (qn && (!strncmp(qn, "requests.", 9) || !strncmp(qn, "httpx.", 6) ||
               !strncmp(qn, "urllib.request.urlopen", 22) || !strncmp(qn, "aiohttp.", 8)))
      return true;
  }
  if (!node_is(obj, SYM.identifier)) return false;
  const char *t = m->src->text + nstart(obj);
  size_t len = nend(obj) - nstart(obj);
  return contains(t, len, "resp");
}

static ValueFact vf_call(const Model *m, TSNode n, int scope, int depth) {
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  TSNode args = ts_node_child_by_field_id(n, SYM.f_arguments);
  const Producer *p = producer_for(m, fn, scope);
  if (!p) {
    if (name_is_collection_source(m, fn)) return fact(VF_COLLECTION, n);
    if (nsym(fn) == SYM.attribute) {
      TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
      bool enc = node_text_eq(m->src, attr, "encode");
      if (enc || node_text_eq(m->src, attr, "decode") || node_text_eq(m->src, attr, "hex")) {
        ValueFact f = valuefact_eval(m, ts_node_child_by_field_id(fn, SYM.f_object), scope, depth + 1);
        f.flags &= ~(VF_STR | VF_BYTES);
        f.flags |= enc ? VF_BYTES : VF_STR;
        if (!enc) f.flags &= ~VF_BINARY; /* text again (base64 / hex / decoded) */
        return f;
      }
    }
    return fact(0, n);
  }
  /* dict(host=..., port=...): one record written out by its fields, like a
   * dict display, not a collection built from data */
  if (!strcmp(p->name, "dict") && ts_node_named_child_count(args) > 0) {
    bool keywords = true;
    for (uint32_t i = 0; i < ts_node_named_child_count(args) && keywords; i++)
      keywords = node_is(ts_node_named_child(args, i), SYM.keyword_argument);
    if (keywords) return fact(0, n);
  }
  ValueFact f = fact(p->flags, n);
  f.what = p->name[0] == '.' ? arena_printf(m->arena, "%s()", p->name) : arena_printf(m->arena, "%s()", p->name);
  TSNode a0 = call_arg(args, 0);
  if (!strncmp(p->name, "base64.", 7)) { /* an encoding keeps what it encodes */
    ValueFact in = valuefact_eval(m, a0, scope, depth + 1);
    f.flags |= in.flags & (VF_COMPRESSED | VF_SERIALIZED | VF_COLLECTION); /* ASCII: not binary */
    if (in.flags & VF_COMPRESSED) f.flags &= ~VF_BULK;
    return f;
  }
  if (!strcmp(p->name, ".to_json") && name_is_frame(m, ts_node_child_by_field_id(fn, SYM.f_object)))
    f.flags |= VF_COLLECTION; /* df.to_json(): a DataFrame export */
  if (!ts_node_is_null(a0) && (p->flags & (VF_SERIALIZED | VF_COMPRESSED))) {
    ValueFact in = valuefact_eval(m, a0, scope, depth + 1);
    if (p->flags & VF_SERIALIZED) {
      if (in.flags & (VF_COLLECTION | VF_BULK)) f.flags |= VF_COLLECTION;
      else if (in.flags & VF_SMALL_LITERAL) f.flags |= VF_SMALL_LITERAL;
      else f.flags |= VF_ENTITY;
    }
    f.flags |= in.flags & VF_COMPRESSED;
  }
  if ((p->flags & VF_STR) && strcmp(p->name, "str") == 0 && !ts_node_is_null(a0))
    f.flags |= valuefact_eval(m, a0, scope, depth + 1).flags & VF_INTLIKE;
  return f;
}

static bool is_compress_call(const Model *m, TSNode v, int scope) {
  if (!node_is(v, SYM.call)) return false;
  const Producer *p = producer_for(m, ts_node_child_by_field_id(v, SYM.f_function), scope);
  return p && (p->flags & VF_COMPRESSED);
}

/* Follow a name to the assignment reaching it in its function (or a module
 * constant); note any compression among the name's earlier assignments. */
static ValueFact vf_name(const Model *m, TSNode n, int scope, int depth) {
  const char *name = m->src->text + nstart(n);
  size_t len = nend(n) - nstart(n);
  ValueFact f = fact(name_is_idlike(name, len) ? VF_INTLIKE : 0, n);
  int s = scope;
  while (s >= 0 && model_binding_find(m, s, name, len) < 0)
    s = ((Scope *)vec_at(&m->scopes, (size_t)s))->parent;
  if (s < 0) return f;
  const Assign *a = model_reaching_assign(m, s, name, len, s == scope ? nstart(n) : UINT32_MAX);
  if (!a || a->kind != A_VALUE) return f;
  ValueFact r = valuefact_eval(m, a->value, a->scope, depth + 1);
  r.flags |= f.flags & VF_INTLIKE;
  int b = model_binding_find(m, s, name, len);
  for (const Assign *o = model_first_assign(m, b); o; o = model_next_assign(m, o))
    if (o->kind == A_VALUE && o->at < nstart(n) && is_compress_call(m, o->value, o->scope))
      r.flags |= VF_COMPRESSED;
  return r;
}

ValueFact valuefact_eval(const Model *m, TSNode n, int scope, int depth) {
  if (ts_node_is_null(n) || depth > EVAL_MAX_DEPTH) return fact(0, n);
  uint16_t s = nsym(n);
  if (s == SYM.string || s == SYM.concatenated_string) return vf_string(m, n);
  if (s == SYM.integer) {
    ValueFact f = fact(VF_NUMBER | VF_INTLIKE, n);
    f.size = f.min_size = nend(n) - nstart(n);
    return f;
  }
  if (s == SYM.float_) return fact(VF_NUMBER, n);
  if (s == SYM.true_ || s == SYM.false_) return fact(VF_BOOL, n);
  if (s == SYM.none) return fact(VF_NONE, n);
  if (s == SYM.binary_operator) return vf_binop(m, n, scope, depth);
  if (s == SYM.dictionary || s == SYM.list || s == SYM.tuple || s == SYM.set)
    return vf_collection_literal(m, n, scope, depth);
  if (s == SYM.list_comprehension || s == SYM.dictionary_comprehension ||
      s == SYM.set_comprehension || s == SYM.generator_expression)
    return fact(VF_COLLECTION, n);
  if (s == SYM.call) return vf_call(m, n, scope, depth);
  if (s == SYM.identifier) return vf_name(m, n, scope, depth);
  if (s == SYM.await || s == SYM.parenthesized_expression)
    return valuefact_eval(m, ts_node_named_child(n, 0), scope, depth + 1);
  if (s == SYM.attribute) {
    if (is_http_body(m, n, scope)) {
      ValueFact f = fact(VF_BULK, n);
      f.what = arena_printf(m->arena, "%s", node_text(m->arena, m->src, n));
      return f;
    }
    TSNode attr = ts_node_child_by_field_id(n, SYM.f_attribute);
    const char *t = m->src->text + nstart(attr);
    size_t len = nend(attr) - nstart(attr);
    if (name_is_idlike(t, len)) return fact(VF_INTLIKE, n);
  }
  return fact(0, n);
}
