/* suppress.c - suppression comments (see suppress.h). */
#include "suppress.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint.h"
#include "model.h"
#include "rule.h"

static const char *find_ci(const char *s, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (!strncasecmp(s + i, needle, k)) return s + i;
  return NULL;
}

/* Only text after a `#` can be a suppression: jump from `#` to `#` and look
 * at the rest of each such line (a few percent of the file). */
bool suppress_maybe(const Source *src) {
  const char *t = src->text, *end = t + src->len;
  while (t < end && (t = memchr(t, '#', (size_t)(end - t)))) {
    const char *nl = memchr(t, '\n', (size_t)(end - t));
    size_t n = (size_t)((nl ? nl : end) - t);
    if (find_ci(t, n, "noqa") || find_ci(t, n, "redislint:")) return true;
    t = nl ? nl + 1 : end;
  }
  return false;
}

/* The node a line's first statement is: the largest node starting where the
 * line's code starts that is not a compound statement or block. */
static TSNode statement_at(TSTree *tree, const Source *src, unsigned line) {
  TSNode none = {0};
  if (line == 0 || line > src->nlines) return none;
  uint32_t at = src->line_starts[line - 1];
  while (at < src->len && (src->text[at] == ' ' || src->text[at] == '\t')) at++;
  if (at >= src->len || src->text[at] == '\n' || src->text[at] == '#') return none;
  TSNode n = ts_node_descendant_for_byte_range(ts_tree_root_node(tree), at, at);
  for (;;) {
    TSNode p = ts_node_parent(n);
    if (ts_node_is_null(p) || ts_node_start_byte(p) != at) break;
    const char *t = ts_node_type(p);
    if (!strcmp(t, "module") || !strcmp(t, "block") || strstr(t, "definition") ||
        strstr(t, "_statement") || !strcmp(t, "decorated_definition"))
      if (strcmp(t, "expression_statement") && strcmp(t, "return_statement") &&
          strcmp(t, "assert_statement") && strcmp(t, "delete_statement") &&
          strcmp(t, "raise_statement"))
        break;
    n = p;
  }
  return n;
}

/* Splits "a, b c" into codes (arena copies). */
static size_t split_codes(Arena *a, const char *s, size_t n, const char **out, bool only_ours) {
  size_t k = 0, i = 0;
  while (i < n && k < SUPP_MAX_CODES) {
    while (i < n && (s[i] == ',' || s[i] == ' ' || s[i] == '\t')) i++;
    size_t j = i;
    while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '-' || s[j] == '_')) j++;
    if (j == i) break;
    if (!only_ours || (j - i >= 3 && !strncasecmp(s + i, "RL", 2) && isdigit((unsigned char)s[i + 2])))
      out[k++] = arena_strndup(a, s + i, j - i);
    i = j;
  }
  return k;
}

/* Parses one comment; false when it is not a suppression at all. */
static bool parse_comment(Arena *a, const char *c, size_t n, bool bare_noqa, Suppression *s) {
  const char *q = find_ci(c, n, "redislint:");
  if (q) {
    const char *p = q + 10, *end = c + n;
    while (p < end && *p == ' ') p++;
    bool file = (size_t)(end - p) >= 11 && !strncmp(p, "ignore-file", 11);
    bool line = !file && (size_t)(end - p) >= 6 && !strncmp(p, "ignore", 6);
    if (!file && !line) {
      s->problem = "unknown directive after `redislint:` (use `ignore[...]` or `ignore-file[...]`)";
      return true;
    }
    p += file ? 11 : 6;
    const char *close = p < end && *p == '[' ? memchr(p, ']', (size_t)(end - p)) : NULL;
    if (!close) {
      s->problem = "expected a rule list in brackets: `ignore[RL101]` or `ignore[per-field-keys]`";
      return true;
    }
    s->file_wide = file;
    s->ncodes = split_codes(a, p + 1, (size_t)(close - p - 1), s->codes, false);
    if (!s->ncodes) s->problem = "empty rule list";
    return true;
  }
  const char *nq = find_ci(c, n, "noqa");
  if (!nq) return false;
  const char *p = nq + 4, *end = c + n;
  while (p < end && *p == ' ') p++;
  if (p >= end || *p != ':') { /* bare noqa: another tool's, unless configured */
    s->all_rules = bare_noqa;
    return bare_noqa;
  }
  s->ncodes = split_codes(a, p + 1, (size_t)(end - p - 1), s->codes, true);
  return s->ncodes > 0; /* only other tools' codes: not ours */
}

typedef struct Scan {
  Arena *a;
  const Source *src;
  TSTree *tree;
  bool bare_noqa;
  Suppression *v;
  size_t n, cap;
} Scan;

static bool visit(TSNode node, void *data) {
  Scan *sc = data;
  if (strcmp(ts_node_type(node), "comment")) return true;
  uint32_t s = ts_node_start_byte(node), e = ts_node_end_byte(node);
  Suppression sup;
  memset(&sup, 0, sizeof sup);
  if (!parse_comment(sc->a, sc->src->text + s, e - s, sc->bare_noqa, &sup)) return true;
  sup.start = s;
  sup.end = e;
  unsigned line = source_position(sc->src, s).line;
  uint32_t ls = sc->src->line_starts[line - 1];
  bool alone = true;
  for (uint32_t i = ls; i < s; i++) alone &= sc->src->text[i] == ' ' || sc->src->text[i] == '\t';
  unsigned target = alone ? line + 1 : line;
  TSNode st = statement_at(sc->tree, sc->src, target);
  sup.first = target;
  sup.last = target;
  if (!ts_node_is_null(st)) {
    unsigned last = source_position(sc->src, ts_node_end_byte(st)).line;
    if (last > target) sup.last = last;
  }
  if (sc->n == sc->cap) {
    size_t cap = sc->cap ? sc->cap * 2 : 8;
    Suppression *nv = arena_alloc(sc->a, cap * sizeof *nv);
    if (sc->n) memcpy(nv, sc->v, sc->n * sizeof *nv);
    sc->v = nv;
    sc->cap = cap;
  }
  sc->v[sc->n++] = sup;
  return true;
}

size_t suppress_scan(Arena *a, const Source *src, TSTree *tree, bool bare_noqa, Suppression **out) {
  Scan sc = {a, src, tree, bare_noqa, NULL, 0, 0};
  node_walk(ts_tree_root_node(tree), visit, &sc);
  *out = sc.v;
  return sc.n;
}

/* ---------------------------------------------------------------- apply */

static bool names_rule(const char *code, const Rule *r) {
  return !strcasecmp(code, r->code) || !strcmp(code, r->slug);
}

static Finding *push(Arena *a, Finding **v, size_t *n, size_t *cap, const Finding *f) {
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 8;
    Finding *nv = arena_alloc(a, c * sizeof *nv);
    if (*n) memcpy(nv, *v, *n * sizeof *nv);
    *v = nv;
    *cap = c;
  }
  (*v)[*n] = *f;
  return &(*v)[(*n)++];
}

static void unused(FileResult *fr, Finding **v, size_t *n, size_t *cap, const Suppression *s,
                   const char *msg) {
  Finding f;
  memset(&f, 0, sizeof f);
  f.rule = rules_find("RL001");
  f.severity = SEV_WARNING;
  f.start = s->start;
  f.end = s->end;
  f.message = msg;
  f.fix.title = "Remove the suppression, or name the rule it is meant for";
  f.fix.applicability = FIX_DISPLAY;
  push(fr->arena, v, n, cap, &f);
}

void suppress_apply(FileResult *fr, bool report, const bool *enabled) {
  if (!fr->nsupp) return;
  Finding *kept = NULL, *gone = NULL;
  size_t nk = 0, ck = 0, ng = 0, cg = 0;
  for (size_t i = 0; i < fr->nfindings; i++) {
    const Finding *f = &fr->findings[i];
    unsigned line = source_position(&fr->src, f->start).line;
    bool hit = false;
    for (size_t k = 0; k < fr->nsupp && !hit; k++) {
      Suppression *s = &fr->supp[k];
      if (s->problem || (!s->file_wide && (line < s->first || line > s->last))) continue;
      if (s->all_rules && strcmp(f->rule->code, "RL001")) {
        hit = true;
        s->used[0] = true;
        continue;
      }
      for (size_t c = 0; c < s->ncodes; c++)
        if (names_rule(s->codes[c], f->rule)) {
          s->used[c] = true;
          hit = true;
        }
    }
    if (hit) push(fr->arena, &gone, &ng, &cg, f);
    else push(fr->arena, &kept, &nk, &ck, f);
  }
  if (report)
    for (size_t k = 0; k < fr->nsupp; k++) {
      const Suppression *s = &fr->supp[k];
      if (s->all_rules) {
        if (!s->used[0])
          unused(fr, &kept, &nk, &ck, s, "unused `# noqa`: no finding on the line it covers");
        continue;
      }
      if (s->problem) {
        unused(fr, &kept, &nk, &ck, s,
               arena_printf(fr->arena, "malformed suppression: %s", s->problem));
        continue;
      }
      for (size_t c = 0; c < s->ncodes; c++) {
        if (!rules_find(s->codes[c]))
          unused(fr, &kept, &nk, &ck, s,
                 arena_printf(fr->arena, "unknown rule `%s` in a suppression (see `redislint "
                                         "rules`)",
                              s->codes[c]));
        else if (!s->used[c] && enabled[rules_index(rules_find(s->codes[c]))])
          unused(fr, &kept, &nk, &ck, s,
                 arena_printf(fr->arena, "unused suppression of `%s`: no %s finding %s", s->codes[c],
                              rules_find(s->codes[c])->code,
                              s->file_wide ? "in this file" : "on the line it covers"));
      }
    }
  if (nk) qsort(kept, nk, sizeof *kept, finding_cmp);
  fr->findings = kept;
  fr->nfindings = nk;
  fr->suppressed = gone;
  fr->nsuppressed = ng;
}

/* RL001 is reported by the suppression pass itself, not by a check. */
/* The rule's code, title, severity, category, fix and flags are in
 * rules/unused-suppression.md (front matter); the registry is generated from it. */
const RuleImpl RL_IMPL_unused_suppression = {
};
