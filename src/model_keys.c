/* model_keys.c - key templates: f"user:{uid}:name", "user:%s:name" % uid,
 * "user:{}:name".format(uid), "user:" + uid + ":name", module constants and
 * one level of key-builder helpers all become "user:\x01:name". */
#include <string.h>

#include "model_internal.h"

#define KEY_MAX_LEN 400

typedef struct KB {
  char buf[KEY_MAX_LEN + 1];
  size_t len;
  KeyTpl *out;
  const Model *m;
  int scope;
} KB;

static void kb_put(KB *kb, const char *s, size_t n) {
  if (kb->len + n > KEY_MAX_LEN) n = KEY_MAX_LEN - kb->len;
  memcpy(kb->buf + kb->len, s, n);
  kb->len += n;
}

static void kb_hole(KB *kb, TSNode expr) {
  if (kb->len && kb->buf[kb->len - 1] == KEY_HOLE) return; /* adjacent holes merge */
  char h = KEY_HOLE;
  kb_put(kb, &h, 1);
  if (kb->out->nholes < KEY_MAX_HOLES) kb->out->holes[kb->out->nholes] = expr;
  kb->out->nholes++;
}

static void kb_expr(KB *kb, TSNode n, int depth);

static void kb_string(KB *kb, TSNode s, int depth) {
  unsigned pf = string_prefix(kb->m->src, s);
  uint32_t n = ts_node_child_count(s);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_child(s, i);
    uint16_t sym = nsym(c);
    if (sym == SYM.string_content) {
      char buf[KEY_MAX_LEN];
      size_t len = string_content_decode(kb->m->src, c, pf & STR_RAW, pf & STR_BYTES, buf,
                                         sizeof buf);
      kb_put(kb, buf, len < sizeof buf ? len : sizeof buf);
    } else if (sym == SYM.interpolation) {
      kb_expr(kb, ts_node_named_child(c, 0), depth + 1);
    }
  }
}

static bool string_is_f(const Model *m, TSNode s) { return string_prefix(m->src, s) & STR_F; }

/* "a:%s:%d" % args */
static void kb_percent(KB *kb, TSNode fmt, TSNode args, int depth) {
  (void)depth;
  const char *t = kb->m->src->text + nstart(fmt);
  size_t n = nend(fmt) - nstart(fmt);
  size_t q = 0;
  while (q < n && t[q] != '"' && t[q] != '\'') q++;
  size_t qlen = (q + 2 < n && t[q + 1] == t[q] && t[q + 2] == t[q]) ? 3 : 1;
  size_t i = q + qlen, end = n >= qlen ? n - qlen : n;
  uint32_t argi = 0;
  bool tuple = node_is(args, SYM.tuple);
  while (i < end) {
    if (t[i] == '%' && i + 1 < end && t[i + 1] == '%') {
      kb_put(kb, "%", 1);
      i += 2;
    } else if (t[i] == '%') {
      i++;
      if (i < end && t[i] == '(') while (i < end && t[i] != ')') i++;
      while (i < end && strchr("()#0- +.*123456789", t[i])) i++;
      i++; /* conversion char */
      TSNode h = tuple ? ts_node_named_child(args, argi++) : args;
      kb_hole(kb, h);
    } else {
      kb_put(kb, t + i, 1);
      i++;
    }
  }
}

/* "a:{}:{name}".format(x, name=y) */
static void kb_format(KB *kb, TSNode fmt, TSNode args) {
  const char *t = kb->m->src->text + nstart(fmt);
  size_t n = nend(fmt) - nstart(fmt);
  size_t q = 0;
  while (q < n && t[q] != '"' && t[q] != '\'') q++;
  size_t qlen = (q + 2 < n && t[q + 1] == t[q] && t[q + 2] == t[q]) ? 3 : 1;
  size_t i = q + qlen, end = n >= qlen ? n - qlen : n;
  uint32_t argi = 0;
  while (i < end) {
    if ((t[i] == '{' || t[i] == '}') && i + 1 < end && t[i + 1] == t[i]) {
      kb_put(kb, t + i, 1);
      i += 2;
    } else if (t[i] == '{') {
      size_t j = i + 1;
      while (j < end && t[j] != '}') j++;
      TSNode h = call_arg(args, argi++);
      if (j > i + 1 && t[i + 1] != ':' && t[i + 1] != '!') {
        size_t nl = j - i - 1;
        char name[64];
        if (nl >= sizeof name) nl = sizeof name - 1;
        memcpy(name, t + i + 1, nl);
        name[nl] = '\0';
        h = (name[0] >= '0' && name[0] <= '9') ? call_arg(args, (uint32_t)(name[0] - '0'))
                                               : call_kwarg(kb->m->src, args, name);
      }
      kb_hole(kb, h);
      i = j + 1;
    } else {
      kb_put(kb, t + i, 1);
      i++;
    }
  }
}

static bool is_plain_string(const Model *m, TSNode n) {
  return node_is(n, SYM.string) && !string_is_f(m, n);
}

/* ":".join([a, b, c]) */
static bool kb_join(KB *kb, TSNode sep, TSNode args, int depth) {
  TSNode list = call_arg(args, 0);
  if (!node_is(list, SYM.list) && !node_is(list, SYM.tuple)) return false;
  uint32_t n = ts_node_named_child_count(list);
  for (uint32_t i = 0; i < n; i++) {
    if (i) kb_string(kb, sep, depth);
    kb_expr(kb, ts_node_named_child(list, i), depth + 1);
  }
  return true;
}

/* The class whose method `obj.<name>(...)` calls, from `scope`: the
 * enclosing method's class for its `self` or `cls`, or the one class of this
 * file named `obj` (`QuoteStore._key(s)`); -1 otherwise. */
static int helper_class(const Model *m, TSNode obj, int scope) {
  if (nsym(obj) != SYM.identifier) return -1;
  const char *name = m->src->text + nstart(obj);
  size_t len = nend(obj) - nstart(obj);
  const Function *meth = model_enclosing_method(m, scope);
  if (meth && meth->cls >= 0 &&
      ((meth->self_name && strlen(meth->self_name) == len && !memcmp(meth->self_name, name, len)) ||
       (len == 3 && !memcmp(name, "cls", 3))))
    return meth->cls;
  size_t first;
  return model_classes_named(m, obj, &first) == 1 ? m->class_order[first] : -1;
}

/* A helper returning a key: def user_key(uid): return f"user:{uid}"; also a
 * method of the class (`self._key(symbol)`, `cls.key_for(uid)`,
 * `Store._key(uid)`). */
static int helper_func(const Model *m, TSNode fn, int scope) {
  int b = -1;
  if (nsym(fn) == SYM.attribute) {
    int cls = helper_class(m, ts_node_child_by_field_id(fn, SYM.f_object), scope);
    TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
    return cls < 0 ? -1 : model_class_function(m, cls, m->src->text + nstart(attr), nend(attr) - nstart(attr));
  }
  if (nsym(fn) == SYM.identifier) {
    const char *name = m->src->text + nstart(fn);
    size_t len = nend(fn) - nstart(fn);
    for (int s = scope; s >= 0 && b < 0; s = ((Scope *)vec_at(&m->scopes, (size_t)s))->parent)
      b = model_binding_find(m, s, name, len);
  }
  if (b < 0) return -1;
  int found = -1;
  for (const Assign *a = model_first_assign(m, b); a; a = model_next_assign(m, a)) {
    if (a->kind != A_FUNC || found >= 0) return -1;
    found = a->index;
  }
  return found;
}

static bool kb_helper(KB *kb, TSNode call, int depth) {
  if (depth > 2) return false;
  int fi = helper_func(kb->m, ts_node_child_by_field_id(call, SYM.f_function), kb->scope);
  if (fi < 0) return false;
  if (kb->m->ret_start[fi + 1] - kb->m->ret_start[fi] != 1) return false;
  const Ret *only = vec_at(&kb->m->rets, (size_t)kb->m->ret_start[fi]);
  if (!only || ts_node_is_null(only->value)) return false;
  uint16_t s = nsym(only->value);
  if (s != SYM.string && s != SYM.binary_operator && s != SYM.call &&
      s != SYM.concatenated_string)
    return false;
  int saved = kb->scope;
  kb->scope = ((const Function *)vec_at(&kb->m->funcs, (size_t)fi))->scope;
  kb_expr(kb, only->value, depth + 2);
  kb->scope = saved;
  return true;
}

static bool kb_call(KB *kb, TSNode n, int depth) {
  TSNode fn = ts_node_child_by_field_id(n, SYM.f_function);
  TSNode args = ts_node_child_by_field_id(n, SYM.f_arguments);
  if (nsym(fn) == SYM.attribute) {
    TSNode obj = ts_node_child_by_field_id(fn, SYM.f_object);
    TSNode attr = ts_node_child_by_field_id(fn, SYM.f_attribute);
    if (node_is(obj, SYM.identifier)) { /* USER_KEY.format(uid), USER_KEY a constant */
      int sc;
      TSNode v = model_resolve_name(kb->m, obj, kb->scope, &sc);
      if (is_plain_string(kb->m, v)) obj = v;
    }
    if (is_plain_string(kb->m, obj) && node_text_eq(kb->m->src, attr, "format")) {
      kb_format(kb, obj, args);
      return true;
    }
    if (is_plain_string(kb->m, obj) && node_text_eq(kb->m->src, attr, "join"))
      return kb_join(kb, obj, args, depth);
  }
  return kb_helper(kb, n, depth);
}

static void kb_expr(KB *kb, TSNode n, int depth) {
  if (ts_node_is_null(n) || depth > 12) {
    kb_hole(kb, n);
    return;
  }
  uint16_t s = nsym(n);
  if (s == SYM.string) return kb_string(kb, n, depth);
  if (s == SYM.concatenated_string) {
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
      kb_string(kb, ts_node_named_child(n, i), depth);
    return;
  }
  if (s == SYM.parenthesized_expression) return kb_expr(kb, ts_node_named_child(n, 0), depth + 1);
  if (s == SYM.binary_operator) {
    TSNode op = ts_node_child_by_field_id(n, SYM.f_operator);
    TSNode l = ts_node_child_by_field_id(n, SYM.f_left);
    TSNode r = ts_node_child_by_field_id(n, SYM.f_right);
    if (node_text_eq(kb->m->src, op, "+")) {
      kb_expr(kb, l, depth + 1);
      kb_expr(kb, r, depth + 1);
      return;
    }
    if (node_text_eq(kb->m->src, op, "%") && node_is(l, SYM.identifier)) {
      int sc; /* KEY_FMT % uid, KEY_FMT a string constant */
      TSNode v = model_resolve_name(kb->m, l, kb->scope, &sc);
      if (is_plain_string(kb->m, v)) l = v;
    }
    if (node_text_eq(kb->m->src, op, "%") && is_plain_string(kb->m, l))
      return kb_percent(kb, l, r, depth);
  }
  if (s == SYM.call && kb_call(kb, n, depth)) return;
  if (s == SYM.attribute) {
    /* `self.done`, assigned once in the class (`self.done = run_id + "_done"`
       in __init__, or `done = "x:done"` in the class body): the key is that
       expression's template */
    TSNode obj = ts_node_child_by_field_id(n, SYM.f_object);
    TSNode attr = ts_node_child_by_field_id(n, SYM.f_attribute);
    const Function *meth = model_enclosing_method(kb->m, kb->scope);
    if (meth && node_is(obj, SYM.identifier) && meth->self_name &&
        node_text_eq(kb->m->src, obj, meth->self_name)) {
      const Class *c = vec_at(&kb->m->classes, (size_t)meth->cls);
      const char *an = kb->m->src->text + nstart(attr);
      size_t alen = nend(attr) - nstart(attr);
      int b = model_binding_find(kb->m, c->inst_scope, an, alen);
      /* or a class attribute no method assigns (`lock_key = "app:lock"`) */
      if (b < 0) b = model_binding_find(kb->m, c->scope, an, alen);
      const Assign *a = b >= 0 ? model_first_assign(kb->m, b) : NULL;
      uint16_t vs = a ? nsym(a->value) : 0;
      if (a && a->kind == A_VALUE && !a->param && !model_next_assign(kb->m, a) &&
          (vs == SYM.string || vs == SYM.binary_operator || vs == SYM.concatenated_string)) {
        KB sub = *kb;
        sub.scope = a->scope;
        kb_expr(&sub, a->value, depth + 1);
        kb->len = sub.len;
        memcpy(kb->buf, sub.buf, sub.len);
        return;
      }
    }
  }
  if (s == SYM.identifier) {
    int sc = kb->scope;
    TSNode v = model_resolve_name(kb->m, n, kb->scope, &sc);
    uint16_t vs = ts_node_is_null(v) ? 0 : nsym(v);
    if (vs == SYM.string || vs == SYM.binary_operator || vs == SYM.concatenated_string ||
        vs == SYM.call || vs == SYM.identifier || vs == SYM.attribute) {
      KB sub = *kb;
      sub.scope = sc;
      size_t before = kb->len;
      uint8_t holes = kb->out->nholes;
      kb_expr(&sub, v, depth + 1);
      /* a call that is not a template gives one opaque hole: keep the name instead */
      if (sub.len == before + 1 && sub.buf[before] == KEY_HOLE &&
          (vs == SYM.call || vs == SYM.attribute)) {
        kb->out->nholes = holes;
        kb_hole(kb, n);
        return;
      }
      kb->len = sub.len;
      memcpy(kb->buf, sub.buf, sub.len);
      return;
    }
  }
  kb_hole(kb, n);
}

KeyTpl keytpl_eval(const Model *m, TSNode node, int scope, int depth) {
  KeyTpl k;
  memset(&k, 0, sizeof k);
  KB kb;
  kb.len = 0;
  kb.out = &k;
  kb.m = m;
  kb.scope = scope;
  kb_expr(&kb, node, depth);
  k.text = arena_strndup(m->arena, kb.buf, kb.len);
  k.opaque = kb.len == 1 && kb.buf[0] == KEY_HOLE;
  return k;
}

const char *keytpl_display(Arena *a, const KeyTpl *k) {
  if (!k->text) return "";
  size_t n = strlen(k->text), holes = 0;
  for (size_t i = 0; i < n; i++) holes += k->text[i] == KEY_HOLE;
  char *o = arena_alloc(a, n + holes + 1);
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    if (k->text[i] == KEY_HOLE) {
      o[j++] = '{';
      o[j++] = '}';
    } else {
      o[j++] = k->text[i];
    }
  }
  o[j] = '\0';
  return o;
}
