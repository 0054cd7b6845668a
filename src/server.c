/* server.c - `redislint server`: a Language Server over stdio (server.h). */
#include "server.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "model.h" /* tree_sitter_python(), the grammar */
#include "cli.h"
#include "lint.h"
#include "output.h"
#include "output_internal.h"
#include "rule.h"

#define MAX_MESSAGE ((size_t)96 << 20) /* a 64 MB document, JSON-escaped, fits */
#define MAX_HEADER_LINE 1024

/* JSON-RPC error codes */
enum { E_PARSE = -32700, E_INVALID = -32600, E_METHOD = -32601, E_PARAMS = -32602,
       E_NOT_INIT = -32002 };

/* ---------------------------------------------------------------- documents */

typedef struct Action { /* a fix or a suppression of the last lint, in LSP terms */
  char *title;
  bool safe;
  bool suppress; /* a suppression comment, not a fix */
  uint32_t sl, sc, el, ec; /* the finding's range (LSP units) */
  cJSON *edits;            /* array of TextEdit, owned */
} Action;

typedef struct Doc {
  char *uri, *path;
  char *text;
  size_t len;
  Action *actions;
  size_t nactions;
} Doc;

typedef struct Server {
  FILE *in, *out;
  bool initialized, shutdown, utf8; /* utf8: positions in UTF-8 code units */
  Doc *docs;
  size_t ndocs, cap;
} Server;

static void actions_free(Doc *d) {
  for (size_t i = 0; i < d->nactions; i++) {
    free(d->actions[i].title);
    cJSON_Delete(d->actions[i].edits);
  }
  free(d->actions);
  d->actions = NULL;
  d->nactions = 0;
}

static Doc *doc_find(Server *s, const char *uri) {
  for (size_t i = 0; i < s->ndocs; i++)
    if (!strcmp(s->docs[i].uri, uri)) return &s->docs[i];
  return NULL;
}

static void doc_close(Server *s, const char *uri) {
  Doc *d = doc_find(s, uri);
  if (!d) return;
  actions_free(d);
  free(d->uri);
  free(d->path);
  free(d->text);
  *d = s->docs[--s->ndocs];
}

/* file:///a%20b/c.py -> /a b/c.py; NULL for other schemes. */
static char *uri_to_path(const char *uri) {
  if (strncmp(uri, "file://", 7)) return NULL;
  const char *p = uri + 7;
  if (strncmp(p, "localhost/", 10) == 0) p += 9;
  char *out = xmalloc(strlen(p) + 1), *o = out;
  for (; *p; p++) {
    if (*p == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
      char hex[3] = {p[1], p[2], 0};
      *o++ = (char)strtol(hex, NULL, 16);
      p += 2;
    } else {
      *o++ = *p;
    }
  }
  *o = '\0';
  if (out[0] != '/' || memchr(out, '\0', (size_t)(o - out))) { /* %00 */
    free(out);
    return NULL;
  }
  return out;
}

/* ---------------------------------------------------------------- positions */

/* Byte offset of LSP position (line, character) in text; clamped. */
static size_t offset_of(const Server *s, const char *t, size_t len, long line, long ch) {
  size_t i = 0;
  for (long l = 0; l < line && i < len; i++)
    if (t[i] == '\n') l++;
  if (line < 0) return 0;
  for (long c = 0; c < ch && i < len && t[i] != '\n' && t[i] != '\r';) {
    unsigned char b = (unsigned char)t[i];
    size_t n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    if (i + n > len) n = len - i;
    c += s->utf8 ? (long)n : (n == 4 ? 2 : 1);
    i += n;
  }
  return i;
}

/* Where each line of a document starts, built once per lint: a position
 * is then a binary search and a walk along one line, not a scan from the
 * top (a 10 MB document with thousands of findings). */
typedef struct Lines {
  const char *text;
  size_t len;
  size_t *start; /* byte offset of each line */
  size_t n;
} Lines;

static Lines lines_of(const char *t, size_t len) {
  Lines L = {t, len, NULL, 1};
  for (size_t i = 0; i < len; i++) L.n += t[i] == '\n';
  L.start = xcalloc(L.n + 1, sizeof(size_t));
  size_t k = 1;
  for (size_t i = 0; i < len; i++)
    if (t[i] == '\n') L.start[k++] = i + 1;
  return L;
}

/* LSP position of byte offset `at` (0-based line and character). */
static void position_of(const Server *s, const Lines *L, size_t at, uint32_t *line, uint32_t *ch) {
  if (at > L->len) at = L->len;
  size_t lo = 0, hi = L->n; /* the last line starting at or before `at` */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (L->start[mid] <= at) lo = mid;
    else hi = mid;
  }
  uint32_t c = 0;
  for (size_t i = L->start[lo]; i < at;) {
    unsigned char b = (unsigned char)L->text[i];
    size_t n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    c += s->utf8 ? (uint32_t)n : (n == 4 ? 2 : 1);
    i += n;
  }
  *line = (uint32_t)lo;
  *ch = c;
}

static cJSON *range_json(uint32_t sl, uint32_t sc, uint32_t el, uint32_t ec) {
  cJSON *r = cJSON_CreateObject(), *a = cJSON_AddObjectToObject(r, "start"),
        *b = cJSON_AddObjectToObject(r, "end");
  cJSON_AddNumberToObject(a, "line", sl);
  cJSON_AddNumberToObject(a, "character", sc);
  cJSON_AddNumberToObject(b, "line", el);
  cJSON_AddNumberToObject(b, "character", ec);
  return r;
}

/* ---------------------------------------------------------------- output */

static void send_json(Server *s, cJSON *msg) {
  cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
  char *body = cJSON_PrintUnformatted(msg);
  cJSON_Delete(msg);
  if (!body) return;
  fprintf(s->out, "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
  fflush(s->out);
  free(body);
}

static void reply(Server *s, const cJSON *id, cJSON *result) {
  cJSON *m = cJSON_CreateObject();
  cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
  cJSON_AddItemToObject(m, "result", result ? result : cJSON_CreateNull());
  send_json(s, m);
}

static void reply_error(Server *s, const cJSON *id, int code, const char *msg) {
  cJSON *m = cJSON_CreateObject();
  cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
  cJSON *e = cJSON_AddObjectToObject(m, "error");
  cJSON_AddNumberToObject(e, "code", code);
  cJSON_AddStringToObject(e, "message", msg);
  send_json(s, m);
}

/* ---------------------------------------------------------------- suppressions */

/* Where a suppression comment for the finding at byte `at` goes: alone on
 * the line above the statement that holds it ("covers the next line, the
 * whole statement"), indented like it. A statement never starts inside a
 * string, so the comment cannot land in one. Byte offset of that line's
 * start and its indentation length; false when there is no statement. */
static bool suppress_at(TSParser *p, TSTree **tree, const Doc *d, uint32_t at, size_t *line_start,
                        size_t *indent) {
  if (!*tree) *tree = ts_parser_parse_string(p, NULL, d->text, (uint32_t)d->len);
  if (!*tree) return false;
  TSNode root = ts_tree_root_node(*tree);
  TSNode n = ts_node_descendant_for_byte_range(root, at, at);
  while (!ts_node_is_null(n) && !ts_node_is_null(ts_node_parent(n))) {
    const char *pt = ts_node_type(ts_node_parent(n));
    if (!strcmp(pt, "block") || !strcmp(pt, "module")) break;
    n = ts_node_parent(n);
  }
  if (ts_node_is_null(n) || ts_node_eq(n, root)) return false;
  size_t s = ts_node_start_byte(n);
  while (s > 0 && d->text[s - 1] != '\n') s--;
  size_t i = s;
  while (i < d->len && (d->text[i] == ' ' || d->text[i] == '\t')) i++;
  if (i != ts_node_start_byte(n)) return false; /* `x = 1; r.keys()`: not alone on its line */
  *line_start = s;
  *indent = i - s;
  return true;
}

/* ---------------------------------------------------------------- linting */

static int lsp_severity(Severity sev) { return sev == SEV_ERROR ? 1 : sev == SEV_WARNING ? 2 : 3; }

/* Lints d with its project and publishes its diagnostics; keeps its fixes
 * for code actions. */
static void lint_doc(Server *s, Doc *d) {
  actions_free(d);
  LintRun run;
  memset(&run, 0, sizeof run);
  cJSON *diags = cJSON_CreateArray();
  if (cli_lint_document(d->path, d->text, d->len, &run, NULL) == 0 && run.nfiles == 1) {
    const FileResult *fr = &run.files[0];
    d->actions = xcalloc(2 * fr->nfindings + 1, sizeof(Action));
    TSParser *parser = ts_parser_new();
    ts_parser_set_language(parser, tree_sitter_python());
    TSTree *tree = NULL;
    bool crlf = memchr(d->text, '\r', d->len) != NULL;
    Lines L = lines_of(d->text, d->len);
    for (size_t i = 0; i < fr->nfindings; i++) {
      const Finding *f = &fr->findings[i];
      uint32_t sl, sc, el, ec;
      position_of(s, &L, f->start, &sl, &sc);
      position_of(s, &L, f->end, &el, &ec);
      cJSON *g = cJSON_CreateObject();
      cJSON_AddItemToObject(g, "range", range_json(sl, sc, el, ec));
      cJSON_AddNumberToObject(g, "severity", lsp_severity(f->severity));
      cJSON_AddStringToObject(g, "code", f->rule ? f->rule->code : "RL000");
      char url[256];
      cJSON *cd = cJSON_AddObjectToObject(g, "codeDescription");
      cJSON_AddStringToObject(cd, "href", output_rule_url(output_slug(f), url, sizeof url));
      cJSON_AddStringToObject(g, "source", "redislint");
      cJSON_AddStringToObject(g, "message", f->message ? f->message : "");
      if (f->rule && strstr(f->rule->slug, "deprecated")) {
        cJSON *tags = cJSON_AddArrayToObject(g, "tags");
        cJSON_AddItemToArray(tags, cJSON_CreateNumber(2)); /* Deprecated */
      }
      cJSON *rel = NULL;
      for (size_t k = 0; k < f->nrelated; k++) {
        const Related *r = &f->related[k];
        if (r->path) continue; /* another file: its text is not at hand */
        if (!rel) rel = cJSON_AddArrayToObject(g, "relatedInformation");
        uint32_t a, b, c, e;
        position_of(s, &L, r->start, &a, &b);
        position_of(s, &L, r->end, &c, &e);
        cJSON *ri = cJSON_CreateObject(), *loc = cJSON_AddObjectToObject(ri, "location");
        cJSON_AddStringToObject(loc, "uri", d->uri);
        cJSON_AddItemToObject(loc, "range", range_json(a, b, c, e));
        cJSON_AddStringToObject(ri, "message", r->message ? r->message : "");
        cJSON_AddItemToArray(rel, ri);
      }
      cJSON_AddItemToArray(diags, g);
      size_t ls, ind;
      if (f->rule && strcmp(f->rule->code, "RL001") &&
          suppress_at(parser, &tree, d, f->start, &ls, &ind)) {
        Action *sa = &d->actions[d->nactions++];
        sa->title = xstrdup(arena_printf(fr->arena, "Suppress %s (%s) on this statement, with a reason",
                                         f->rule->code, f->rule->slug));
        sa->suppress = true;
        sa->sl = sl, sa->sc = sc, sa->el = el, sa->ec = ec;
        uint32_t l, c;
        position_of(s, &L, ls, &l, &c);
        char *line = arena_printf(fr->arena, "%.*s# redislint: ignore[%s] -- reason%s", (int)ind,
                                  d->text + ls, f->rule->slug, crlf ? "\r\n" : "\n");
        sa->edits = cJSON_CreateArray();
        cJSON *te = cJSON_CreateObject();
        cJSON_AddItemToObject(te, "range", range_json(l, 0, l, 0));
        cJSON_AddStringToObject(te, "newText", line);
        cJSON_AddItemToArray(sa->edits, te);
      }
      if (f->fix.nedits == 0 || f->fix.applicability < FIX_UNSAFE) continue;
      Action *act = &d->actions[d->nactions++];
      act->title = xstrdup(f->fix.title ? f->fix.title : "Apply the fix");
      act->safe = f->fix.applicability == FIX_SAFE;
      act->sl = sl, act->sc = sc, act->el = el, act->ec = ec;
      act->edits = cJSON_CreateArray();
      for (size_t k = 0; k < f->fix.nedits; k++) {
        const Edit *e = &f->fix.edits[k];
        uint32_t a, b, c, x;
        position_of(s, &L, e->start, &a, &b);
        position_of(s, &L, e->end, &c, &x);
        cJSON *te = cJSON_CreateObject();
        cJSON_AddItemToObject(te, "range", range_json(a, b, c, x));
        cJSON_AddStringToObject(te, "newText", e->text ? e->text : "");
        cJSON_AddItemToArray(act->edits, te);
      }
    }
    if (tree) ts_tree_delete(tree);
    ts_parser_delete(parser);
    free(L.start);
  }
  lint_run_free(&run);
  cJSON *m = cJSON_CreateObject();
  cJSON_AddStringToObject(m, "method", "textDocument/publishDiagnostics");
  cJSON *p = cJSON_AddObjectToObject(m, "params");
  cJSON_AddStringToObject(p, "uri", d->uri);
  cJSON_AddItemToObject(p, "diagnostics", diags);
  send_json(s, m);
}

/* ---------------------------------------------------------------- methods */

static const char *str_at(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void on_initialize(Server *s, const cJSON *id, const cJSON *params) {
  /* positionEncodings offered by the client: UTF-8 when it offers it */
  const cJSON *caps = cJSON_GetObjectItemCaseSensitive(params, "capabilities");
  const cJSON *gen = cJSON_GetObjectItemCaseSensitive(caps, "general");
  const cJSON *encs = cJSON_GetObjectItemCaseSensitive(gen, "positionEncodings");
  const cJSON *e;
  s->utf8 = false;
  cJSON_ArrayForEach(e, encs) if (cJSON_IsString(e) && !strcmp(e->valuestring, "utf-8")) s->utf8 = true;
  s->initialized = true;
  cJSON *r = cJSON_CreateObject(), *c = cJSON_AddObjectToObject(r, "capabilities");
  cJSON_AddStringToObject(c, "positionEncoding", s->utf8 ? "utf-8" : "utf-16");
  cJSON *sync = cJSON_AddObjectToObject(c, "textDocumentSync");
  cJSON_AddBoolToObject(sync, "openClose", true);
  cJSON_AddNumberToObject(sync, "change", 2); /* incremental */
  cJSON *save = cJSON_AddObjectToObject(sync, "save");
  cJSON_AddBoolToObject(save, "includeText", false);
  cJSON *ca = cJSON_AddObjectToObject(c, "codeActionProvider");
  cJSON *kinds = cJSON_AddArrayToObject(ca, "codeActionKinds");
  cJSON_AddItemToArray(kinds, cJSON_CreateString("quickfix"));
  cJSON_AddItemToArray(kinds, cJSON_CreateString("source.fixAll.redislint"));
  cJSON *info = cJSON_AddObjectToObject(r, "serverInfo");
  cJSON_AddStringToObject(info, "name", "redislint");
  cJSON_AddStringToObject(info, "version", REDISLINT_VERSION);
  reply(s, id, r);
}

static void on_open(Server *s, const cJSON *params) {
  const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
  const char *uri = str_at(td, "uri"), *text = str_at(td, "text");
  if (!uri || !text) return;
  char *path = uri_to_path(uri);
  if (!path) {
    fprintf(stderr, "redislint server: %s: not a file URI, not linted\n", uri);
    return;
  }
  doc_close(s, uri);
  if (s->ndocs == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 8;
    s->docs = xrealloc(s->docs, s->cap * sizeof(Doc));
  }
  Doc *d = &s->docs[s->ndocs++];
  memset(d, 0, sizeof *d);
  d->uri = xstrdup(uri);
  d->path = path;
  d->len = strlen(text);
  d->text = xmalloc(d->len + 1);
  memcpy(d->text, text, d->len + 1);
  lint_doc(s, d);
}

static void on_change(Server *s, const cJSON *params) {
  const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
  Doc *d = doc_find(s, str_at(td, "uri") ? str_at(td, "uri") : "");
  if (!d) return;
  const cJSON *ch;
  cJSON_ArrayForEach(ch, cJSON_GetObjectItemCaseSensitive(params, "contentChanges")) {
    const char *text = str_at(ch, "text");
    if (!text) continue;
    const cJSON *range = cJSON_GetObjectItemCaseSensitive(ch, "range");
    size_t a = 0, b = d->len;
    if (range) { /* incremental: replace [start, end) */
      const cJSON *st = cJSON_GetObjectItemCaseSensitive(range, "start");
      const cJSON *en = cJSON_GetObjectItemCaseSensitive(range, "end");
      const cJSON *sl = cJSON_GetObjectItemCaseSensitive(st, "line");
      const cJSON *sc = cJSON_GetObjectItemCaseSensitive(st, "character");
      const cJSON *el = cJSON_GetObjectItemCaseSensitive(en, "line");
      const cJSON *ec = cJSON_GetObjectItemCaseSensitive(en, "character");
      if (!cJSON_IsNumber(sl) || !cJSON_IsNumber(sc) || !cJSON_IsNumber(el) || !cJSON_IsNumber(ec))
        continue;
      a = offset_of(s, d->text, d->len, (long)sl->valuedouble, (long)sc->valuedouble);
      b = offset_of(s, d->text, d->len, (long)el->valuedouble, (long)ec->valuedouble);
      if (b < a) b = a;
    }
    size_t n = strlen(text), len = d->len - (b - a) + n;
    char *t = xmalloc(len + 1);
    memcpy(t, d->text, a);
    memcpy(t + a, text, n);
    memcpy(t + a + n, d->text + b, d->len - b);
    t[len] = '\0';
    free(d->text);
    d->text = t;
    d->len = len;
  }
  lint_doc(s, d);
}

static bool overlaps(const Action *a, const cJSON *range) {
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(range, "start");
  const cJSON *en = cJSON_GetObjectItemCaseSensitive(range, "end");
  const cJSON *sl = cJSON_GetObjectItemCaseSensitive(st, "line");
  const cJSON *el = cJSON_GetObjectItemCaseSensitive(en, "line");
  if (!cJSON_IsNumber(sl) || !cJSON_IsNumber(el)) return true;
  return a->sl <= (uint32_t)el->valuedouble && a->el >= (uint32_t)sl->valuedouble;
}

static cJSON *code_action(const Doc *d, const char *title, const char *kind, const cJSON *edits,
                          bool preferred) {
  cJSON *ca = cJSON_CreateObject();
  cJSON_AddStringToObject(ca, "title", title);
  cJSON_AddStringToObject(ca, "kind", kind);
  if (preferred) cJSON_AddBoolToObject(ca, "isPreferred", true);
  cJSON *we = cJSON_AddObjectToObject(ca, "edit"), *changes = cJSON_AddObjectToObject(we, "changes");
  cJSON_AddItemToObject(changes, d->uri, cJSON_Duplicate(edits, 1));
  return ca;
}

static void on_code_action(Server *s, const cJSON *id, const cJSON *params) {
  const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
  const Doc *d = doc_find(s, str_at(td, "uri") ? str_at(td, "uri") : "");
  cJSON *out = cJSON_CreateArray();
  if (d) {
    const cJSON *range = cJSON_GetObjectItemCaseSensitive(params, "range");
    const cJSON *only = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(params, "context"), "only");
    bool want_fix = !only, want_all = !only;
    const cJSON *k;
    cJSON_ArrayForEach(k, only) {
      if (!cJSON_IsString(k)) continue;
      if (!strncmp(k->valuestring, "quickfix", 8)) want_fix = true;
      if (!strncmp("source.fixAll.redislint", k->valuestring, strlen(k->valuestring))) want_all = true;
    }
    for (int pass = 0; pass < 2; pass++) /* the fixes first, then the suppressions */
      for (size_t i = 0; want_fix && i < d->nactions; i++)
        if (d->actions[i].suppress == (pass == 1) && overlaps(&d->actions[i], range))
          cJSON_AddItemToArray(out, code_action(d, d->actions[i].title, "quickfix",
                                                d->actions[i].edits,
                                                d->actions[i].safe && !d->actions[i].suppress));
    cJSON *all = cJSON_CreateArray();
    for (size_t i = 0; want_all && i < d->nactions; i++) {
      if (!d->actions[i].safe || d->actions[i].suppress) continue;
      const cJSON *e;
      cJSON_ArrayForEach(e, d->actions[i].edits) cJSON_AddItemToArray(all, cJSON_Duplicate(e, 1));
    }
    if (cJSON_GetArraySize(all))
      cJSON_AddItemToArray(out, code_action(d, "Apply every safe redislint fix",
                                            "source.fixAll.redislint", all, false));
    cJSON_Delete(all);
  }
  reply(s, id, out);
}

/* ---------------------------------------------------------------- framing */

/* Reads one message body (malloc'd) into *body; 1 on success, 0 at the end
 * of the stream, -1 on a bad header or size (reported, stream resynced
 * where possible). */
static int read_message(Server *s, char **body, size_t *len) {
  char line[MAX_HEADER_LINE];
  long long clen = -1;
  bool any = false;
  for (;;) {
    if (!fgets(line, sizeof line, s->in)) return any ? -1 : 0;
    any = true;
    size_t n = strlen(line);
    if (n == sizeof line - 1 && line[n - 1] != '\n') { /* an endless header line */
      int c;
      while ((c = fgetc(s->in)) != EOF && c != '\n') {}
      return -1;
    }
    if (!strcmp(line, "\r\n") || !strcmp(line, "\n")) break;
    if (!strncasecmp(line, "Content-Length:", 15)) {
      char *end;
      errno = 0;
      clen = strtoll(line + 15, &end, 10);
      while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n') end++;
      if (errno || *end || clen < 0) clen = -2;
    }
  }
  if (clen < 0) return -1;
  if ((unsigned long long)clen > MAX_MESSAGE) { /* drop it without holding it */
    char buf[65536];
    for (long long left = clen; left > 0;) {
      size_t got = fread(buf, 1, left < (long long)sizeof buf ? (size_t)left : sizeof buf, s->in);
      if (!got) return 0;
      left -= (long long)got;
    }
    fprintf(stderr, "redislint server: a message of %lld bytes is over the %zu-byte limit: "
            "dropped\n", clen, MAX_MESSAGE);
    return -1;
  }
  char *b = malloc((size_t)clen + 1);
  if (!b) return -1;
  size_t got = fread(b, 1, (size_t)clen, s->in);
  if (got != (size_t)clen) {
    free(b);
    return 0;
  }
  b[clen] = '\0';
  *body = b;
  *len = (size_t)clen;
  return 1;
}

int server_main(FILE *in, FILE *out) {
  Server s;
  memset(&s, 0, sizeof s);
  s.in = in;
  s.out = out;
  int code = 1;
  for (;;) {
    char *body = NULL;
    size_t len = 0;
    int r = read_message(&s, &body, &len);
    if (r == 0) break;
    if (r < 0) {
      reply_error(&s, NULL, E_INVALID, "bad message header (Content-Length)");
      continue;
    }
    cJSON *msg = cJSON_ParseWithLength(body, len);
    free(body);
    if (!msg || !cJSON_IsObject(msg)) {
      reply_error(&s, NULL, E_PARSE, "the message is not a JSON object");
      cJSON_Delete(msg);
      continue;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    const char *method = str_at(msg, "method");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
    bool request = id && !cJSON_IsNull(id);
    if (!method) {
      if (request) reply_error(&s, id, E_INVALID, "no method");
      cJSON_Delete(msg); /* a response to us, or garbage: nothing to do */
      continue;
    }
    if (!strcmp(method, "exit")) {
      code = s.shutdown ? 0 : 1;
      cJSON_Delete(msg);
      break;
    }
    if (s.shutdown && request) {
      reply_error(&s, id, E_INVALID, "the server is shutting down");
    } else if (!strcmp(method, "initialize")) {
      on_initialize(&s, id, params);
    } else if (!s.initialized) {
      if (request) reply_error(&s, id, E_NOT_INIT, "not initialized");
    } else if (!strcmp(method, "shutdown")) {
      s.shutdown = true;
      reply(&s, id, NULL);
    } else if (!strcmp(method, "textDocument/didOpen")) {
      on_open(&s, params);
    } else if (!strcmp(method, "textDocument/didChange")) {
      on_change(&s, params);
    } else if (!strcmp(method, "textDocument/didSave")) {
      for (size_t i = 0; i < s.ndocs; i++) lint_doc(&s, &s.docs[i]); /* the project changed */
    } else if (!strcmp(method, "textDocument/didClose")) {
      const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
      const char *uri = str_at(td, "uri");
      if (uri) {
        doc_close(&s, uri);
        cJSON *m = cJSON_CreateObject(); /* clear its diagnostics */
        cJSON_AddStringToObject(m, "method", "textDocument/publishDiagnostics");
        cJSON *p = cJSON_AddObjectToObject(m, "params");
        cJSON_AddStringToObject(p, "uri", uri);
        cJSON_AddArrayToObject(p, "diagnostics");
        send_json(&s, m);
      }
    } else if (!strcmp(method, "textDocument/codeAction")) {
      if (request) on_code_action(&s, id, params);
    } else if (request) {
      reply_error(&s, id, E_METHOD, "method not supported");
    } /* other notifications ($/..., initialized, workspace/...): nothing to do */
    (void)E_PARAMS;
    cJSON_Delete(msg);
  }
  while (s.ndocs) doc_close(&s, s.docs[0].uri);
  free(s.docs);
  return code;
}
