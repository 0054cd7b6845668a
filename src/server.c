/* server.c - `redislint server`: a Language Server over stdio (server.h).
 *
 * Settings. The client's settings for the section "redislint" are asked
 * with workspace/configuration (per workspace folder; a document outside
 * every folder is asked for with its own URI) when it can answer that,
 * else taken from initializationOptions (the same keys) and from the
 * settings a workspace/didChangeConfiguration pushes. They become check's
 * flags (cli_lint_document_flags), so they mean what the flags mean and win
 * over the configuration file as the flags do. A bad value is a
 * window/showMessage warning naming the setting, and that setting keeps its
 * default. A document opened while its folder's settings are being asked
 * waits for the answer, so that its first diagnostics already follow them.
 *
 * Dependencies. Each open document is linted against the files of its
 * project as they are on disk (the buffer replaces only its own file), so
 * an unsaved edit changes that document's diagnostics only; a file that
 * changes on disk (didSave, or workspace/didChangeWatchedFiles for edits
 * made outside the editor) changes the diagnostics of the open documents
 * that import it, directly or through other modules of the project. Each
 * document keeps the dotted names its imports reach (ProjectGraph: every
 * module of the project with the names it imports, read with a line scanner
 * and cached by mtime); a change to module M re-lints the documents one of
 * whose names M is, with the index's own matching (exactly, or as a dotted
 * suffix: "app.ext" is "src.app.ext"). The project rules that gather facts
 * from files a document does not import (RL101's key groups, calls into the
 * document's functions from other modules) are not followed: a save of such
 * a file leaves those documents as they were until their next change. A
 * change to a configuration or pin file (redislint.json, pyproject.toml,
 * requirements*.txt, ...) re-lints every open document below it. */
#include "server.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "arena.h"
#include "cache.h"  /* cache_hash: the content of a file seen on disk */
#include "cli.h"
#include "discover.h"
#include "fsutil.h"
#include "index.h"  /* module_name_for_path */
#include "lint.h"
#include "model.h" /* tree_sitter_python(), the grammar */
#include "output.h"
#include "output_internal.h"
#include "project.h"
#include "rule.h"
#include "strset.h"

#define MAX_MESSAGE ((size_t)96 << 20) /* a 64 MB document, JSON-escaped, fits */
#define MAX_HEADER_LINE 1024
#define MAX_SCANNED_FILE ((size_t)16 << 20) /* larger modules are not read for their imports */

/* JSON-RPC error codes */
enum { E_PARSE = -32700, E_INVALID = -32600, E_METHOD = -32601, E_PARAMS = -32602,
       E_NOT_INIT = -32002 };

/* window/showMessage types */
enum { MSG_ERROR = 1, MSG_WARNING = 2, MSG_INFO = 3 };

/* ---------------------------------------------------------------- settings */

typedef struct Settings {
  bool enable;       /* lint at all (false: no diagnostics, no code actions) */
  bool unsafe_fixes; /* offer unsafe fixes as quick fixes (never in source.fixAll) */
  char *select, *ignore, *extend_select; /* comma lists as the flags take them; NULL: not set */
  char *config_file;                     /* absolute; NULL: the nearest one */
  char *pyver, *target;                  /* versions as written; NULL: not set */
} Settings;

static void settings_free(Settings *st) {
  free(st->select);
  free(st->ignore);
  free(st->extend_select);
  free(st->config_file);
  free(st->pyver);
  free(st->target);
  memset(st, 0, sizeof *st);
}

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

static void settings_copy(Settings *dst, const Settings *src) {
  *dst = *src;
  dst->select = dup_or_null(src->select);
  dst->ignore = dup_or_null(src->ignore);
  dst->extend_select = dup_or_null(src->extend_select);
  dst->config_file = dup_or_null(src->config_file);
  dst->pyver = dup_or_null(src->pyver);
  dst->target = dup_or_null(src->target);
}

static bool same_str(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

static bool settings_eq(const Settings *a, const Settings *b) {
  return a->enable == b->enable && a->unsafe_fixes == b->unsafe_fixes &&
         same_str(a->select, b->select) && same_str(a->ignore, b->ignore) &&
         same_str(a->extend_select, b->extend_select) &&
         same_str(a->config_file, b->config_file) && same_str(a->pyver, b->pyver) &&
         same_str(a->target, b->target);
}

/* The settings as check's flags; at most 12 entries. */
static size_t settings_flags(const Settings *st, const char **out) {
  size_t n = 0;
  const char *const names[] = {"--select", "--ignore", "--extend-select", "--config",
                               "--redis-py-version", "--target-redis-version"};
  const char *const values[] = {st->select, st->ignore, st->extend_select, st->config_file,
                                st->pyver, st->target};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (values[i]) {
      out[n++] = names[i];
      out[n++] = values[i];
    }
  return n;
}

/* ---------------------------------------------------------------- state */

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
  bool linted;   /* its diagnostics were published at least once */
  bool deferred; /* opened while its settings were asked: linted when they come */
  bool failed;   /* its last lint failed (the user was told once) */
  bool dirty;    /* to be linted at the end of the message being handled */
  Settings used; /* the settings of its last lint */
  char *root;    /* its project root; NULL: it is linted alone */
  StrSet deps;   /* the dotted names its imports reach (doc_deps) */
} Doc;

/* Where settings apply: a workspace folder, or one document outside all. */
typedef enum { CFG_NONE, CFG_ASKED, CFG_HAVE } CfgState;
typedef struct Scope {
  char *uri;
  char *path;  /* the folder's directory, or the document's file; NULL: not a file URI */
  bool folder; /* a workspace folder (else a document's own scope) */
  Settings set;
  CfgState state;
} Scope;

/* A request of ours that the client has yet to answer. */
typedef enum { REQ_CONFIG, REQ_REGISTER } ReqKind;
typedef struct Pending {
  long id;
  ReqKind kind;
  char **uris; /* REQ_CONFIG: the scope of each item asked */
  size_t n;
} Pending;

/* A module of a project, with what it imports (read from disk). */
typedef struct ModFile {
  char *path, *module;
  bool init;     /* a package's __init__.py: its relative imports start at itself */
  bool scanned;  /* imports read for the stamp below */
  long long mtime_ns, size, ino;
  StrSet imports; /* absolute dotted names */
} ModFile;

typedef struct Suffix { /* a dotted tail of a module name, as imports may name it */
  const char *s;        /* points into ModFile.module */
  size_t mod;
} Suffix;

typedef struct ProjectGraph {
  char *root;
  ModFile *mods; /* sorted by path */
  size_t n;
  Suffix *suf;   /* sorted by s */
  size_t nsuf;
  bool stale;    /* a file was created or deleted: walk again before use */
} ProjectGraph;

/* What a file on disk held when the server last looked (didOpen, didSave,
 * a watched-file event): an event that finds the same bytes again (a
 * didSave then the watcher's event for the same write) re-lints nothing. */
typedef struct DiskSeen {
  char *path;
  bool exists;
  uint64_t hash;
} DiskSeen;

typedef struct Server {
  FILE *in, *out;
  bool initialized, shutdown, utf8; /* utf8: positions in UTF-8 code units */
  bool can_configure;  /* the client answers workspace/configuration */
  bool can_watch;      /* it registers didChangeWatchedFiles dynamically */
  Settings base;       /* defaults, then initializationOptions (or pushed settings) */
  Doc *docs;
  size_t ndocs, cap;
  Scope *scopes;
  size_t nscopes;
  Pending *pending;
  size_t npending;
  long next_id;
  ProjectGraph *graphs;
  size_t ngraphs;
  DiskSeen *seen;
  size_t nseen;
} Server;

/* ---------------------------------------------------------------- paths and URIs */

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
  size_t n = strlen(out); /* a folder URI may end with '/' */
  while (n > 1 && out[n - 1] == '/') out[--n] = '\0';
  return out;
}

/* Is path dir itself or below it? */
static bool path_under(const char *path, const char *dir) {
  size_t n = strlen(dir);
  if (n == 1 && dir[0] == '/') return path[0] == '/';
  return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

static bool ends_with(const char *s, const char *tail) {
  size_t a = strlen(s), b = strlen(tail);
  return a >= b && !strcmp(s + a - b, tail);
}

static bool is_python(const char *path) { return ends_with(path, ".py") || ends_with(path, ".pyi"); }

/* Files whose change changes the lint of every file below their directory:
 * the configuration, and the pins the redis-py version is read from. */
static bool is_config_file(const char *path) {
  static const char *const names[] = {"redislint.json", ".redislint.json", "pyproject.toml",
                                      "setup.cfg",      "setup.py",        "Pipfile",
                                      "Pipfile.lock",   "uv.lock",         "poetry.lock",
                                      "pdm.lock"};
  const char *b = base_name(path);
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (!strcmp(b, names[i])) return true;
  return !strncmp(b, "requirements", 12) && ends_with(b, ".txt");
}

/* The module name of a file of the project at root (as the index names it). */
static char *module_of(const char *root, const char *path) {
  size_t n = strlen(root);
  const char *rel = path_under(path, root) && path[n] == '/' ? path + n + 1 : base_name(path);
  return module_name_for_path(rel);
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

static void notify(Server *s, const char *method, cJSON *params) {
  cJSON *m = cJSON_CreateObject();
  cJSON_AddStringToObject(m, "method", method);
  cJSON_AddItemToObject(m, "params", params);
  send_json(s, m);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void show_message(Server *s, int type, const char *fmt, ...) {
  char text[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  fprintf(stderr, "redislint server: %s\n", text); /* the client's log keeps it too */
  cJSON *p = cJSON_CreateObject();
  cJSON_AddNumberToObject(p, "type", type);
  cJSON_AddStringToObject(p, "message", text);
  notify(s, "window/showMessage", p);
}

/* Sends a request of ours; the answer comes back through on_response. */
static Pending *request(Server *s, const char *method, cJSON *params, ReqKind kind) {
  cJSON *m = cJSON_CreateObject();
  long id = ++s->next_id;
  cJSON_AddNumberToObject(m, "id", (double)id);
  cJSON_AddStringToObject(m, "method", method);
  cJSON_AddItemToObject(m, "params", params);
  send_json(s, m);
  s->pending = xrealloc(s->pending, (s->npending + 1) * sizeof *s->pending);
  Pending *p = &s->pending[s->npending++];
  memset(p, 0, sizeof *p);
  p->id = id;
  p->kind = kind;
  return p;
}

static void pending_free(Pending *p) {
  for (size_t i = 0; i < p->n; i++) free(p->uris[i]);
  free(p->uris);
}

/* ---------------------------------------------------------------- reading settings */

static const char *str_at(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The JSON type of v, for messages. */
static const char *json_type(const cJSON *v) {
  return cJSON_IsBool(v) ? "a boolean" : cJSON_IsNumber(v) ? "a number" : cJSON_IsString(v) ? "a string"
         : cJSON_IsArray(v) ? "a list" : cJSON_IsObject(v) ? "an object" : "null";
}

/* A rule list: an array of strings (or one comma-separated string) as a
 * comma list, "" for an empty one; NULL when v is neither. */
static char *rule_list(const cJSON *v) {
  if (cJSON_IsString(v)) return xstrdup(v->valuestring);
  if (!cJSON_IsArray(v)) return NULL;
  size_t n = 1;
  const cJSON *e;
  cJSON_ArrayForEach(e, v) {
    if (!cJSON_IsString(e)) return NULL;
    n += strlen(e->valuestring) + 1;
  }
  char *out = xmalloc(n), *o = out;
  cJSON_ArrayForEach(e, v) {
    size_t k = strlen(e->valuestring);
    if (!k) continue;
    if (o > out) *o++ = ',';
    memcpy(o, e->valuestring, k);
    o += k;
  }
  *o = '\0';
  return out;
}

static const cJSON *first_non_string(const cJSON *list) {
  const cJSON *e;
  cJSON_ArrayForEach(e, list) if (!cJSON_IsString(e)) return e;
  return list;
}

/* A version: a string, or a number as the user typed it (7.2, 8). */
static char *version_of(const cJSON *v) {
  if (cJSON_IsString(v)) return xstrdup(v->valuestring);
  if (!cJSON_IsNumber(v)) return NULL;
  char buf[64];
  snprintf(buf, sizeof buf, "%.15g", v->valuedouble);
  return xstrdup(buf);
}

/* configFile: "~/x" from $HOME, a relative path from dir (the folder). */
static char *config_path(const char *value, const char *dir) {
  const char *home = getenv("HOME");
  if (value[0] == '~' && value[1] == '/' && home && *home) {
    char *p = xmalloc(strlen(home) + strlen(value));
    memcpy(p, home, strlen(home));
    memcpy(p + strlen(home), value + 1, strlen(value));
    return p;
  }
  if (value[0] == '/' || !dir) return xstrdup(value);
  size_t n = strlen(dir) + strlen(value) + 2;
  char *p = xmalloc(n);
  snprintf(p, n, "%s/%s", dir, value);
  return p;
}

/* Reads the settings object o over base into out. dir resolves a relative
 * configFile; where ("" or " for FOLDER") ends the warnings, which name the
 * setting and leave it as in base. Unknown keys are another tool's (the VS
 * Code extension keeps its own under the same section): ignored. */
static void settings_read(Server *s, const cJSON *o, const Settings *base, const char *dir,
                          const char *where, Settings *out) {
  settings_copy(out, base);
  if (!o || cJSON_IsNull(o)) return;
  if (!cJSON_IsObject(o)) {
    show_message(s, MSG_WARNING, "redislint: the settings of redislint%s are %s, not an object: "
                 "the defaults are used", where, json_type(o));
    return;
  }
  const char *bools[] = {"enable", "unsafeFixes"};
  bool *bdst[] = {&out->enable, &out->unsafe_fixes};
  for (size_t i = 0; i < 2; i++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, bools[i]);
    if (!v || cJSON_IsNull(v)) continue;
    if (cJSON_IsBool(v)) *bdst[i] = cJSON_IsTrue(v);
    else
      show_message(s, MSG_WARNING, "redislint: the setting redislint.%s%s is %s, not true or "
                   "false: it is ignored", bools[i], where, json_type(v));
  }
  const char *lists[] = {"select", "ignore", "extendSelect"};
  const char *lflags[] = {"--select", "--ignore", "--extend-select"};
  char **ldst[] = {&out->select, &out->ignore, &out->extend_select};
  for (size_t i = 0; i < 3; i++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, lists[i]);
    if (!v || cJSON_IsNull(v)) continue;
    char *list = rule_list(v), why[512];
    if (!list) {
      show_message(s, MSG_WARNING, "redislint: the setting redislint.%s%s must be a list of rule "
                   "codes, prefixes or slugs (strings), not %s%s: it is ignored", lists[i], where,
                   cJSON_IsArray(v) ? "a list holding " : "",
                   json_type(cJSON_IsArray(v) ? first_non_string(v) : v));
    } else if (!list[strspn(list, ", \t")]) {
      /* [] is "not set" (an editor's default), not "no rules" */
    } else if (cli_check_setting(lflags[i], list, why, sizeof why)) {
      show_message(s, MSG_WARNING, "redislint: the setting redislint.%s%s: %s (see 'redislint "
                   "rules'): it is ignored", lists[i], where, why);
    } else {
      free(*ldst[i]);
      *ldst[i] = list;
      list = NULL;
    }
    free(list);
  }
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "configFile");
  if (v && !cJSON_IsNull(v)) {
    char why[512];
    if (!cJSON_IsString(v)) {
      show_message(s, MSG_WARNING, "redislint: the setting redislint.configFile%s is %s, not a "
                   "path: it is ignored", where, json_type(v));
    } else if (*v->valuestring) {
      char *p = config_path(v->valuestring, dir);
      if (cli_check_setting("--config", p, why, sizeof why)) {
        show_message(s, MSG_WARNING, "redislint: the setting redislint.configFile%s (%s): %s: "
                     "it is ignored", where, p, why);
        free(p);
      } else {
        free(out->config_file);
        out->config_file = p;
      }
    }
  }
  const char *vers[] = {"redisPyVersion", "targetRedisVersion"};
  const char *vflags[] = {"--redis-py-version", "--target-redis-version"};
  char **vdst[] = {&out->pyver, &out->target};
  for (size_t i = 0; i < 2; i++) {
    v = cJSON_GetObjectItemCaseSensitive(o, vers[i]);
    if (!v || cJSON_IsNull(v)) continue;
    char *ver = version_of(v), why[512];
    if (!ver) {
      show_message(s, MSG_WARNING, "redislint: the setting redislint.%s%s is %s, not a version: "
                   "it is ignored", vers[i], where, json_type(v));
    } else if (!*ver) {
      /* "" is "not set" */
    } else if (cli_check_setting(vflags[i], ver, why, sizeof why)) {
      show_message(s, MSG_WARNING, "redislint: the setting redislint.%s%s: %s: it is ignored",
                   vers[i], where, why);
    } else {
      free(*vdst[i]);
      *vdst[i] = ver;
      ver = NULL;
    }
    free(ver);
  }
}

/* The section that holds our keys in initializationOptions or pushed
 * settings: {"redislint": {...}}, or the object itself. */
static const cJSON *our_section(const cJSON *o) {
  const cJSON *sec = cJSON_GetObjectItemCaseSensitive(o, "redislint");
  return sec ? sec : o;
}

/* ---------------------------------------------------------------- scopes */

static Scope *scope_find(Server *s, const char *uri) {
  for (size_t i = 0; i < s->nscopes; i++)
    if (!strcmp(s->scopes[i].uri, uri)) return &s->scopes[i];
  return NULL;
}

static Scope *scope_add(Server *s, const char *uri, bool folder) {
  s->scopes = xrealloc(s->scopes, (s->nscopes + 1) * sizeof *s->scopes);
  Scope *sc = &s->scopes[s->nscopes++];
  memset(sc, 0, sizeof *sc);
  sc->uri = xstrdup(uri);
  sc->path = uri_to_path(uri);
  sc->folder = folder;
  settings_copy(&sc->set, &s->base);
  /* a client that cannot be asked has given all it will: the base */
  sc->state = s->can_configure ? CFG_NONE : CFG_HAVE;
  return sc;
}

static void scope_remove(Server *s, Scope *sc) {
  free(sc->uri);
  free(sc->path);
  settings_free(&sc->set);
  *sc = s->scopes[--s->nscopes];
}

/* The scope of a document: the innermost workspace folder that holds it,
 * else its own (documents outside every folder); NULL: the base settings. */
static Scope *scope_of(Server *s, const Doc *d) {
  Scope *best = NULL;
  for (size_t i = 0; i < s->nscopes; i++) {
    Scope *sc = &s->scopes[i];
    if (sc->folder && sc->path && path_under(d->path, sc->path) &&
        (!best || strlen(sc->path) > strlen(best->path)))
      best = sc;
  }
  return best ? best : scope_find(s, d->uri);
}

/* Asks the client for the settings of every scope not asked yet, in one
 * workspace/configuration request. */
static void ask_settings(Server *s) {
  if (!s->can_configure || !s->initialized) return;
  cJSON *items = cJSON_CreateArray();
  size_t n = 0;
  for (size_t i = 0; i < s->nscopes; i++) n += s->scopes[i].state == CFG_NONE;
  if (!n) {
    cJSON_Delete(items);
    return;
  }
  char **uris = xcalloc(n, sizeof *uris);
  n = 0;
  for (size_t i = 0; i < s->nscopes; i++) {
    Scope *sc = &s->scopes[i];
    if (sc->state != CFG_NONE) continue;
    sc->state = CFG_ASKED;
    cJSON *it = cJSON_CreateObject();
    cJSON_AddStringToObject(it, "scopeUri", sc->uri);
    cJSON_AddStringToObject(it, "section", "redislint");
    cJSON_AddItemToArray(items, it);
    uris[n++] = xstrdup(sc->uri);
  }
  cJSON *params = cJSON_CreateObject();
  cJSON_AddItemToObject(params, "items", items);
  Pending *p = request(s, "workspace/configuration", params, REQ_CONFIG);
  p->uris = uris;
  p->n = n;
}

/* The settings a document is linted with now; NULL while they are asked
 * and it has never been linted (its first diagnostics wait for them). */
static const Settings *settings_of(Server *s, const Doc *d) {
  const Scope *sc = scope_of(s, d);
  if (!sc) return &s->base;
  if (sc->state != CFG_HAVE && !d->linted) return NULL;
  return &sc->set;
}

/* ---------------------------------------------------------------- documents */

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
  Scope *own = scope_find(s, uri);
  if (own && !own->folder) scope_remove(s, own);
  actions_free(d);
  free(d->uri);
  free(d->path);
  free(d->text);
  free(d->root);
  settings_free(&d->used);
  strset_free(&d->deps);
  *d = s->docs[--s->ndocs];
}

/* ---------------------------------------------------------------- imports */

static bool ident_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         (unsigned char)c >= 0x80;
}

/* Skips blanks; inside parentheses newlines and comments too; a backslash
 * continues the line. */
static size_t skip_blank(const char *t, size_t len, size_t i, bool paren) {
  for (;;) {
    if (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\f')) i++;
    else if (i + 1 < len && t[i] == '\\' && (t[i + 1] == '\n' || t[i + 1] == '\r')) i += 2;
    else if (paren && i < len && (t[i] == '\n' || t[i] == '\r')) i++;
    else if (paren && i < len && t[i] == '#')
      while (i < len && t[i] != '\n') i++;
    else return i;
  }
}

/* The word w at i, as a whole word. */
static bool word_at(const char *t, size_t len, size_t i, const char *w) {
  size_t n = strlen(w);
  return i + n <= len && !memcmp(t + i, w, n) && (i + n == len || !ident_byte(t[i + n]));
}

/* A dotted name at *i ("a.b.c", blanks allowed around the dots) into buf;
 * its length (0: none). */
static size_t dotted_at(const char *t, size_t len, size_t *i, bool paren, char *buf, size_t size) {
  size_t n = 0, j = *i;
  for (;;) {
    size_t k = j;
    while (k < len && ident_byte(t[k])) k++;
    if (k == j || (t[j] >= '0' && t[j] <= '9')) break;
    if (n + (k - j) + 2 > size) return 0; /* absurdly long: not a module name */
    if (n) buf[n++] = '.';
    memcpy(buf + n, t + j, k - j);
    n += k - j;
    j = skip_blank(t, len, k, paren);
    if (j < len && t[j] == '.') {
      size_t after = skip_blank(t, len, j + 1, paren);
      if (after < len && ident_byte(t[after])) {
        j = after;
        continue;
      }
    }
    break;
  }
  buf[n] = '\0';
  if (n) *i = j;
  return n;
}

/* Adds "base.name" (or the one that is not empty) to out. */
static void add_name(StrSet *out, const char *base, const char *name) {
  char buf[1024];
  int n = snprintf(buf, sizeof buf, "%s%s%s", base, *base && *name ? "." : "", name);
  if (n > 0 && (size_t)n < sizeof buf) strset_add(out, buf, (size_t)n);
}

/* The absolute dotted names the imports of a module reach: `import a.b`
 * gives a.b; `from a import b, c` gives a, a.b and a.c (b may be a module);
 * relative imports are resolved against module (`init`: it is a package's
 * __init__). A line scanner, not a parse: import statements start a line
 * (or follow a ';'), so an `import` in a string or a compound statement's
 * line costs at worst a name too many, a re-lint too many. */
static void scan_imports(const char *t, size_t len, const char *module, bool init, StrSet *out) {
  char name[512], base[1024];
  for (size_t i = 0; i < len;) {
    i = skip_blank(t, len, i, false);
    for (;;) { /* the statements of one line, separated by ';' */
      if (word_at(t, len, i, "import")) {
        i = skip_blank(t, len, i + 6, false);
        while (dotted_at(t, len, &i, false, name, sizeof name)) {
          strset_add(out, name, strlen(name));
          if (word_at(t, len, i, "as")) {
            i = skip_blank(t, len, i + 2, false);
            while (i < len && ident_byte(t[i])) i++;
            i = skip_blank(t, len, i, false);
          }
          if (i >= len || t[i] != ',') break;
          i = skip_blank(t, len, i + 1, false);
        }
      } else if (word_at(t, len, i, "from")) {
        i = skip_blank(t, len, i + 4, false);
        size_t level = 0;
        while (i < len && t[i] == '.') {
          level++;
          i = skip_blank(t, len, i + 1, false);
        }
        size_t n = dotted_at(t, len, &i, false, name, sizeof name);
        if (!word_at(t, len, i, "import") || (!n && !level)) break;
        i = skip_blank(t, len, i + 6, false);
        /* the package a relative import starts from */
        base[0] = '\0';
        bool ok = true;
        if (level) {
          snprintf(base, sizeof base, "%s", module);
          for (size_t up = init ? 1 : 0; up < level; up++) {
            char *dot = strrchr(base, '.');
            if (dot) *dot = '\0';
            else if (*base) base[0] = '\0';
            else ok = false; /* above the project root */
          }
        }
        if (!ok) break;
        if (n) {
          size_t b = strlen(base);
          snprintf(base + b, sizeof base - b, "%s%s", b ? "." : "", name);
        }
        if (*base) strset_add(out, base, strlen(base));
        bool paren = i < len && t[i] == '(';
        if (paren) i = skip_blank(t, len, i + 1, true);
        while (i < len && ident_byte(t[i])) {
          size_t j = i;
          while (j < len && ident_byte(t[j])) j++;
          char word[256];
          snprintf(word, sizeof word, "%.*s", (int)(j - i < 255 ? j - i : 255), t + i);
          add_name(out, base, word);
          i = skip_blank(t, len, j, paren);
          if (word_at(t, len, i, "as")) {
            i = skip_blank(t, len, i + 2, paren);
            while (i < len && ident_byte(t[i])) i++;
            i = skip_blank(t, len, i, paren);
          }
          if (i >= len || t[i] != ',') break;
          i = skip_blank(t, len, i + 1, paren);
        }
      }
      i = skip_blank(t, len, i, false);
      if (i < len && t[i] == ';') {
        i = skip_blank(t, len, i + 1, false);
        continue;
      }
      break;
    }
    while (i < len && t[i] != '\n') i++;
    i++;
  }
}

/* ---------------------------------------------------------------- project graphs */

static int cmp_suffix(const void *a, const void *b) {
  return strcmp(((const Suffix *)a)->s, ((const Suffix *)b)->s);
}

static void modfile_free(ModFile *m) {
  free(m->path);
  free(m->module);
  strset_free(&m->imports);
}

/* (Re)walks the project: its Python files as a directory walk of the
 * command line finds them. Files seen before keep their scanned imports. */
static void graph_walk(ProjectGraph *g) {
  const char *args[1] = {g->root};
  FileList found = {0};
  Diags quiet = {0};
  discover(args, 1, &found, &quiet);
  diags_free(&quiet);
  ModFile *mods = xcalloc(found.len + 1, sizeof *mods);
  size_t n = 0, k = 0;
  for (size_t i = 0; i < found.len; i++) {
    const char *p = found.paths[i];
    if (!is_python(p) || p[0] != '/') continue;
    while (k < g->n && strcmp(g->mods[k].path, p) < 0) modfile_free(&g->mods[k++]);
    if (k < g->n && !strcmp(g->mods[k].path, p)) {
      mods[n++] = g->mods[k++]; /* moved: its scan stays */
      continue;
    }
    ModFile *m = &mods[n++];
    m->path = xstrdup(p);
    m->module = module_of(g->root, p);
    m->init = !strcmp(base_name(p), "__init__.py") || !strcmp(base_name(p), "__init__.pyi");
  }
  while (k < g->n) modfile_free(&g->mods[k++]);
  free(g->mods);
  filelist_free(&found);
  g->mods = mods;
  g->n = n;
  /* every dotted tail of every module name: "src.app.ext", "app.ext", "ext" */
  free(g->suf);
  g->nsuf = 0;
  size_t cap = 0;
  for (size_t i = 0; i < n; i++) {
    cap++;
    for (const char *c = mods[i].module; *c; c++) cap += *c == '.';
  }
  g->suf = xcalloc(cap + 1, sizeof *g->suf);
  for (size_t i = 0; i < n; i++) {
    const char *m = mods[i].module;
    if (!*m) continue;
    g->suf[g->nsuf++] = (Suffix){m, i};
    for (const char *c = m; *c; c++)
      if (*c == '.' && c[1]) g->suf[g->nsuf++] = (Suffix){c + 1, i};
  }
  qsort(g->suf, g->nsuf, sizeof *g->suf, cmp_suffix);
  g->stale = false;
}

static ProjectGraph *graph_for(Server *s, const char *root) {
  for (size_t i = 0; i < s->ngraphs; i++)
    if (!strcmp(s->graphs[i].root, root)) {
      if (s->graphs[i].stale) graph_walk(&s->graphs[i]);
      return &s->graphs[i];
    }
  s->graphs = xrealloc(s->graphs, (s->ngraphs + 1) * sizeof *s->graphs);
  ProjectGraph *g = &s->graphs[s->ngraphs++];
  memset(g, 0, sizeof *g);
  g->root = xstrdup(root);
  graph_walk(g);
  return g;
}

/* The imports of a module file, read again when its stamp changed. */
static const StrSet *mod_imports(ModFile *m) {
  struct stat st;
  if (stat(m->path, &st) != 0) {
    strset_free(&m->imports);
    m->scanned = false;
    return &m->imports;
  }
  long long mt = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
  if (m->scanned && m->mtime_ns == mt && m->size == (long long)st.st_size &&
      m->ino == (long long)st.st_ino)
    return &m->imports;
  strset_free(&m->imports);
  size_t len = 0;
  char *text = fs_read(m->path, MAX_SCANNED_FILE, &len);
  if (text) scan_imports(text, len, m->module, m->init, &m->imports);
  free(text);
  m->scanned = true;
  m->mtime_ns = mt;
  m->size = (long long)st.st_size;
  m->ino = (long long)st.st_ino;
  return &m->imports;
}

/* The modules a dotted name can be, by the index's rule: a module whose
 * name is it, or ends with "." and it. [*lo, *hi) of g->suf. */
static void graph_lookup(const ProjectGraph *g, const char *name, size_t *lo, size_t *hi) {
  size_t a = 0, b = g->nsuf;
  while (a < b) {
    size_t mid = a + (b - a) / 2;
    if (strcmp(g->suf[mid].s, name) < 0) a = mid + 1;
    else b = mid;
  }
  *lo = a;
  while (b < g->nsuf && !strcmp(g->suf[b].s, name)) b++;
  *hi = b < a ? a : b;
}

/* Does the module name `module` answer the imported dotted name `name`? */
static bool module_matches(const char *module, const char *name) {
  size_t m = strlen(module), n = strlen(name);
  if (!n) return false;
  if (m == n) return !strcmp(module, name);
  return m > n && module[m - n - 1] == '.' && !strcmp(module + m - n, name);
}

/* Refreshes d->deps: the names its buffer imports, then, through the
 * modules of its project they resolve to (read from disk), the names those
 * import, to the end. A few stats per module when nothing changed. */
static void doc_deps(Server *s, Doc *d) {
  strset_free(&d->deps);
  free(d->root);
  d->root = project_root_of(d->path);
  if (!d->root) return; /* linted alone: it depends on nothing else */
  char *module = module_of(d->root, d->path);
  const char *b = base_name(d->path);
  scan_imports(d->text, d->len, module, !strcmp(b, "__init__.py") || !strcmp(b, "__init__.pyi"),
               &d->deps);
  free(module);
  ProjectGraph *g = graph_for(s, d->root);
  bool *visited = xcalloc(g->n + 1, sizeof *visited);
  /* a work list of names (copies: the set may grow while it is walked) */
  size_t nq = 0, cap = d->deps.n + 16;
  char **queue = xcalloc(cap, sizeof *queue);
  for (size_t i = 0; i < d->deps.cap; i++)
    if (d->deps.keys[i]) queue[nq++] = xstrdup(d->deps.keys[i]);
  while (nq) {
    char *name = queue[--nq];
    size_t lo, hi;
    graph_lookup(g, name, &lo, &hi);
    for (size_t k = lo; k < hi; k++) {
      size_t mi = g->suf[k].mod;
      if (visited[mi] || !strcmp(g->mods[mi].path, d->path)) continue;
      visited[mi] = true;
      const StrSet *im = mod_imports(&g->mods[mi]);
      for (size_t j = 0; j < im->cap; j++) {
        const char *n2 = im->keys[j];
        if (!n2 || !strset_add(&d->deps, n2, strlen(n2))) continue;
        if (nq == cap) queue = xrealloc(queue, (cap *= 2) * sizeof *queue);
        queue[nq++] = xstrdup(n2);
      }
    }
    free(name);
  }
  free(queue);
  free(visited);
}

/* Does the open document d depend on the module file at path? */
static bool doc_depends_on(const Doc *d, const char *path) {
  if (!d->root || !path_under(path, d->root)) return false;
  char *module = module_of(d->root, path);
  bool dep = false;
  for (size_t i = 0; i < d->deps.cap && !dep; i++)
    dep = d->deps.keys[i] && module_matches(module, d->deps.keys[i]);
  free(module);
  return dep;
}

/* Records what path holds on disk now (*exists: whether it does); false
 * when it held the same bytes when last seen (nothing changed for whoever
 * reads it). */
static bool disk_changed(Server *s, const char *path, bool *exists) {
  size_t len = 0;
  char *text = fs_read(path, SIZE_MAX >> 1, &len);
  uint64_t h = text ? cache_hash(text, len) : 0;
  *exists = text != NULL;
  free(text);
  for (size_t i = 0; i < s->nseen; i++) {
    DiskSeen *e = &s->seen[i];
    if (strcmp(e->path, path)) continue;
    bool same = e->exists == *exists && e->hash == h;
    e->exists = *exists;
    e->hash = h;
    return !same;
  }
  s->seen = xrealloc(s->seen, (s->nseen + 1) * sizeof *s->seen);
  s->seen[s->nseen++] = (DiskSeen){xstrdup(path), *exists, h};
  return true;
}

/* Is path a module of the graph (as last walked)? */
static bool graph_has(const ProjectGraph *g, const char *path) {
  size_t a = 0, b = g->n;
  while (a < b) {
    size_t mid = a + (b - a) / 2;
    int c = strcmp(g->mods[mid].path, path);
    if (!c) return true;
    if (c < 0) a = mid + 1;
    else b = mid;
  }
  return false;
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

static void publish(Server *s, const char *uri, cJSON *diags) {
  cJSON *p = cJSON_CreateObject();
  cJSON_AddStringToObject(p, "uri", uri);
  cJSON_AddItemToObject(p, "diagnostics", diags);
  notify(s, "textDocument/publishDiagnostics", p);
}

/* Lints d with its project and publishes its diagnostics; keeps its fixes
 * for code actions. Waits (d->deferred) while its settings are asked. */
static void lint_doc(Server *s, Doc *d) {
  d->dirty = false;
  const Settings *st = settings_of(s, d);
  if (!st) {
    d->deferred = true;
    return;
  }
  d->deferred = false;
  Settings now;
  settings_copy(&now, st); /* st may move (scopes grow) before the end */
  settings_free(&d->used);
  d->used = now;
  actions_free(d);
  d->linted = true;
  cJSON *diags = cJSON_CreateArray();
  if (!now.enable) {
    publish(s, d->uri, diags); /* clears what an earlier lint showed */
    return;
  }
  LintRun run;
  memset(&run, 0, sizeof run);
  const char *flags[16];
  size_t nflags = settings_flags(&now, flags);
  int rc = cli_lint_document_flags(d->path, d->text, d->len, flags, nflags, &run);
  if (rc != 0 && !d->failed) /* the reason is on stderr, the client's log */
    show_message(s, MSG_WARNING, "redislint: %s could not be linted (a configuration error?): see "
                 "the server's log", d->path);
  d->failed = rc != 0;
  if (rc == 0 && run.nfiles == 1) {
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
      /* unsafe fixes only when the settings ask for them, as --unsafe-fixes */
      if (f->fix.nedits == 0 || f->fix.applicability < FIX_UNSAFE ||
          (f->fix.applicability == FIX_UNSAFE && !now.unsafe_fixes))
        continue;
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
  publish(s, d->uri, diags);
}

/* Lints the documents marked dirty, each once. */
static void lint_dirty(Server *s) {
  for (size_t i = 0; i < s->ndocs; i++)
    if (s->docs[i].dirty) lint_doc(s, &s->docs[i]);
}

/* Marks the documents whose settings are not those of their last lint (or
 * that wait for theirs and have them now). */
static void mark_settings_changed(Server *s) {
  for (size_t i = 0; i < s->ndocs; i++) {
    Doc *d = &s->docs[i];
    const Settings *st = settings_of(s, d);
    if (st && (d->deferred || !settings_eq(st, &d->used))) d->dirty = true;
  }
}

/* Files changed on disk (saved from the editor, or created, changed or
 * deleted outside it): marks the open documents whose lint reads them. A
 * document is not marked for its own file: its buffer, not the disk, is
 * what it is linted as. Each document's dependencies are refreshed once
 * for the whole batch (a checkout changes hundreds of files at once). */
static void disk_events(Server *s, char *const *paths, size_t n) {
  const char **changed = xcalloc(n + 1, sizeof *changed);
  size_t nchanged = 0;
  for (size_t k = 0; k < n; k++) {
    const char *path = paths[k];
    if (is_config_file(path)) { /* everything below its directory */
      char *dir = xstrdup(path);
      size_t cut = (size_t)(base_name(dir) - dir);
      dir[cut > 1 ? cut - 1 : cut] = '\0'; /* "/a/b/x.toml" -> "/a/b", "/x.toml" -> "/" */
      for (size_t i = 0; i < s->ndocs; i++)
        if (path_under(s->docs[i].path, dir) && s->docs[i].linted) s->docs[i].dirty = true;
      free(dir);
    }
    if (!is_python(path)) { /* a directory, perhaps: modules may have come or gone */
      for (size_t i = 0; i < s->ngraphs; i++)
        if (path_under(path, s->graphs[i].root) || path_under(s->graphs[i].root, path))
          s->graphs[i].stale = true;
      continue;
    }
    bool exists;
    if (!disk_changed(s, path, &exists)) continue; /* the same bytes as when last seen */
    for (size_t i = 0; i < s->ngraphs; i++) /* a module created or deleted: walk again */
      if (path_under(path, s->graphs[i].root) && graph_has(&s->graphs[i], path) != exists)
        s->graphs[i].stale = true;
    changed[nchanged++] = path;
  }
  for (size_t i = 0; i < s->ndocs && nchanged; i++) {
    Doc *d = &s->docs[i];
    if (!d->linted || d->dirty || !d->used.enable) continue;
    doc_deps(s, d);
    for (size_t k = 0; k < nchanged && !d->dirty; k++)
      if (strcmp(d->path, changed[k]) && doc_depends_on(d, changed[k])) d->dirty = true;
  }
  free(changed);
}

/* ---------------------------------------------------------------- methods */

static void on_initialize(Server *s, const cJSON *id, const cJSON *params) {
  /* positionEncodings offered by the client: UTF-8 when it offers it */
  const cJSON *caps = cJSON_GetObjectItemCaseSensitive(params, "capabilities");
  const cJSON *gen = cJSON_GetObjectItemCaseSensitive(caps, "general");
  const cJSON *encs = cJSON_GetObjectItemCaseSensitive(gen, "positionEncodings");
  const cJSON *e;
  s->utf8 = false;
  cJSON_ArrayForEach(e, encs) if (cJSON_IsString(e) && !strcmp(e->valuestring, "utf-8")) s->utf8 = true;
  const cJSON *ws = cJSON_GetObjectItemCaseSensitive(caps, "workspace");
  s->can_configure = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ws, "configuration"));
  s->can_watch = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(ws, "didChangeWatchedFiles"), "dynamicRegistration"));
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
  cJSON *wsf = cJSON_AddObjectToObject(cJSON_AddObjectToObject(c, "workspace"), "workspaceFolders");
  cJSON_AddBoolToObject(wsf, "supported", true);
  cJSON_AddBoolToObject(wsf, "changeNotifications", true);
  cJSON *info = cJSON_AddObjectToObject(r, "serverInfo");
  cJSON_AddStringToObject(info, "name", "redislint");
  cJSON_AddStringToObject(info, "version", REDISLINT_VERSION);
  reply(s, id, r);
  /* after the reply: its warnings are notifications the client may not
     take before it */
  const cJSON *init = cJSON_GetObjectItemCaseSensitive(params, "initializationOptions");
  Settings base;
  settings_read(s, our_section(init), &s->base, NULL, " (initializationOptions)", &base);
  settings_free(&s->base);
  s->base = base;
  /* the workspace folders, else the root */
  const cJSON *folders = cJSON_GetObjectItemCaseSensitive(params, "workspaceFolders");
  cJSON_ArrayForEach(e, folders) {
    const char *uri = str_at(e, "uri");
    if (uri && !scope_find(s, uri)) scope_add(s, uri, true);
  }
  if (!s->nscopes) {
    const char *root = str_at(params, "rootUri");
    if (root && !scope_find(s, root)) scope_add(s, root, true);
  }
}

/* After `initialized`: ask for the settings, watch the files. */
static void on_initialized(Server *s) {
  ask_settings(s);
  if (!s->can_watch) return;
  static const char *const globs[] = {"**/*.py", "**/*.pyi", "**/redislint.json",
                                      "**/.redislint.json", "**/pyproject.toml", "**/setup.cfg",
                                      "**/Pipfile", "**/Pipfile.lock", "**/uv.lock",
                                      "**/poetry.lock", "**/pdm.lock", "**/requirements*.txt"};
  cJSON *params = cJSON_CreateObject(), *regs = cJSON_AddArrayToObject(params, "registrations");
  cJSON *reg = cJSON_CreateObject();
  cJSON_AddStringToObject(reg, "id", "redislint-watched-files");
  cJSON_AddStringToObject(reg, "method", "workspace/didChangeWatchedFiles");
  cJSON *watchers = cJSON_AddArrayToObject(cJSON_AddObjectToObject(reg, "registerOptions"), "watchers");
  for (size_t i = 0; i < sizeof globs / sizeof *globs; i++) {
    cJSON *w = cJSON_CreateObject();
    cJSON_AddStringToObject(w, "globPattern", globs[i]);
    cJSON_AddItemToArray(watchers, w);
  }
  cJSON_AddItemToArray(regs, reg);
  request(s, "client/registerCapability", params, REQ_REGISTER);
}

/* The answer to a request of ours. */
static void on_response(Server *s, const cJSON *msg) {
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
  size_t k = 0;
  while (k < s->npending && !(cJSON_IsNumber(id) && (long)id->valuedouble == s->pending[k].id)) k++;
  if (k == s->npending) return; /* not ours, or answered twice */
  Pending p = s->pending[k];
  s->pending[k] = s->pending[--s->npending];
  const cJSON *err = cJSON_GetObjectItemCaseSensitive(msg, "error");
  if (err)
    fprintf(stderr, "redislint server: the client refused our request %ld: %s\n", p.id,
            str_at(err, "message") ? str_at(err, "message") : "(no message)");
  if (p.kind == REQ_CONFIG) {
    /* one item per scope asked; an error or a short answer: the base */
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(msg, "result");
    for (size_t i = 0; i < p.n; i++) {
      Scope *sc = scope_find(s, p.uris[i]);
      if (!sc) continue; /* closed, or the folder removed, meanwhile */
      const cJSON *o = cJSON_IsArray(items) ? cJSON_GetArrayItem(items, (int)i) : NULL;
      char where[600] = "";
      if (s->nscopes > 1) snprintf(where, sizeof where, " for %.500s", sc->path ? sc->path : sc->uri);
      /* a relative configFile: from the folder, or a lone document's directory */
      char *dir = sc->path ? xstrdup(sc->path) : NULL;
      if (dir && !sc->folder) dir[base_name(dir) - dir > 1 ? base_name(dir) - dir - 1 : 1] = '\0';
      Settings set;
      settings_read(s, o, &s->base, dir, where, &set);
      free(dir);
      sc = scope_find(s, p.uris[i]); /* the same: reading settings adds no scope */
      settings_free(&sc->set);
      sc->set = set;
      sc->state = CFG_HAVE;
    }
    mark_settings_changed(s);
    lint_dirty(s);
  }
  pending_free(&p);
}

static void on_change_configuration(Server *s, const cJSON *params) {
  if (s->can_configure) { /* pull: ask again, re-lint what changed when the answer comes */
    for (size_t i = 0; i < s->nscopes; i++) s->scopes[i].state = CFG_NONE;
    ask_settings(s);
    return;
  }
  /* push: the settings come with the notification */
  const cJSON *set = cJSON_GetObjectItemCaseSensitive(params, "settings");
  if (!cJSON_IsObject(set)) return;
  Settings base;
  settings_read(s, our_section(set), &s->base, NULL, "", &base);
  settings_free(&s->base);
  s->base = base;
  for (size_t i = 0; i < s->nscopes; i++) {
    settings_free(&s->scopes[i].set);
    settings_copy(&s->scopes[i].set, &s->base);
  }
  mark_settings_changed(s);
  lint_dirty(s);
}

static void on_change_folders(Server *s, const cJSON *params) {
  const cJSON *ev = cJSON_GetObjectItemCaseSensitive(params, "event"), *e;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(ev, "removed")) {
    Scope *sc = str_at(e, "uri") ? scope_find(s, str_at(e, "uri")) : NULL;
    if (sc && sc->folder) scope_remove(s, sc);
  }
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(ev, "added")) {
    const char *uri = str_at(e, "uri");
    if (uri && !scope_find(s, uri)) scope_add(s, uri, true);
  }
  ask_settings(s);
  mark_settings_changed(s); /* documents now in another folder */
  lint_dirty(s);
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
  if (!scope_of(s, d) && s->can_configure) scope_add(s, uri, false); /* outside every folder */
  ask_settings(s);
  lint_doc(s, d);
  /* what its file holds on disk now: a save of the same bytes changes
     nothing for the documents that import it */
  bool exists;
  disk_changed(s, d->path, &exists);
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
  /* only this document: the others read its file from disk, unchanged */
  lint_doc(s, d);
}

static void on_save(Server *s, const cJSON *params) {
  const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
  const Doc *d = doc_find(s, str_at(td, "uri") ? str_at(td, "uri") : "");
  char *path = d ? xstrdup(d->path) : str_at(td, "uri") ? uri_to_path(str_at(td, "uri")) : NULL;
  if (!path) return;
  /* its dependents; not itself: it was linted as its buffer already */
  disk_events(s, &path, 1);
  free(path);
  lint_dirty(s);
}

static void on_watched_files(Server *s, const cJSON *params) {
  const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "changes"), *e;
  size_t n = 0, cap = (size_t)cJSON_GetArraySize(changes);
  char **paths = xcalloc(cap + 1, sizeof *paths);
  /* created, changed or deleted alike: what is on disk now is what counts */
  cJSON_ArrayForEach(e, changes) {
    const char *uri = str_at(e, "uri");
    char *path = uri ? uri_to_path(uri) : NULL;
    if (path && n < cap) paths[n++] = path;
    else free(path);
  }
  disk_events(s, paths, n);
  for (size_t i = 0; i < n; i++) free(paths[i]);
  free(paths);
  lint_dirty(s);
}

static bool overlaps(const Action *a, const cJSON *range) {
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(range, "start");
  const cJSON *en = cJSON_GetObjectItemCaseSensitive(range, "end");
  const cJSON *sl = cJSON_GetObjectItemCaseSensitive(st, "line");
  const cJSON *el = cJSON_GetObjectItemCaseSensitive(en, "line");
  if (!cJSON_IsNumber(sl) || !cJSON_IsNumber(el)) return true;
  return a->sl <= (uint32_t)el->valuedouble && a->el >= (uint32_t)sl->valuedouble;
}

/* A TextEdit position as one comparable number (line, then character). */
static double pos_key(const cJSON *range, const char *which) {
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(range, which);
  const cJSON *l = cJSON_GetObjectItemCaseSensitive(p, "line");
  const cJSON *c = cJSON_GetObjectItemCaseSensitive(p, "character");
  return (cJSON_IsNumber(l) ? l->valuedouble : 0) * 4294967296.0 + (cJSON_IsNumber(c) ? c->valuedouble : 0);
}

/* Do two TextEdits touch the same text (insertions at one point included)? */
static bool edits_overlap(const cJSON *a, const cJSON *b) {
  const cJSON *ra = cJSON_GetObjectItemCaseSensitive(a, "range");
  const cJSON *rb = cJSON_GetObjectItemCaseSensitive(b, "range");
  double as = pos_key(ra, "start"), ae = pos_key(ra, "end");
  double bs = pos_key(rb, "start"), be = pos_key(rb, "end");
  if (as == ae && bs == be) return as == bs; /* two insertions at one point */
  return as < be && bs < ae ? true : (as == ae && as > bs && as < be) || (bs == be && bs > as && bs < ae);
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
    /* safe fixes only, whatever unsafeFixes says: a fix-all runs unreviewed
       (on save, often) */
    cJSON *all = cJSON_CreateArray();
    for (size_t i = 0; want_all && i < d->nactions; i++) {
      if (!d->actions[i].safe || d->actions[i].suppress) continue;
      /* a fix is taken whole or not at all, and only when none of its edits
         overlaps an edit already taken (an editor rejects overlapping edits;
         --fix applies the rest on its next pass, the editor on the next save) */
      const cJSON *e, *t;
      bool clash = false;
      cJSON_ArrayForEach(e, d->actions[i].edits) {
        cJSON_ArrayForEach(t, all) clash |= edits_overlap(e, t);
      }
      if (clash) continue;
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

static void server_free(Server *s) {
  while (s->ndocs) doc_close(s, s->docs[0].uri);
  free(s->docs);
  while (s->nscopes) scope_remove(s, &s->scopes[0]);
  free(s->scopes);
  for (size_t i = 0; i < s->npending; i++) pending_free(&s->pending[i]);
  free(s->pending);
  for (size_t i = 0; i < s->ngraphs; i++) {
    for (size_t k = 0; k < s->graphs[i].n; k++) modfile_free(&s->graphs[i].mods[k]);
    free(s->graphs[i].mods);
    free(s->graphs[i].suf);
    free(s->graphs[i].root);
  }
  free(s->graphs);
  for (size_t i = 0; i < s->nseen; i++) free(s->seen[i].path);
  free(s->seen);
  settings_free(&s->base);
}

int server_main(FILE *in, FILE *out) {
  Server s;
  memset(&s, 0, sizeof s);
  s.in = in;
  s.out = out;
  s.base.enable = true; /* the defaults: every other setting is "not set" */
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
      if (cJSON_HasObjectItem(msg, "result") || cJSON_HasObjectItem(msg, "error"))
        on_response(&s, msg); /* the client's answer to a request of ours */
      else if (request)
        reply_error(&s, id, E_INVALID, "no method");
      cJSON_Delete(msg); /* otherwise garbage: nothing to do */
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
    } else if (!strcmp(method, "initialized")) {
      on_initialized(&s);
    } else if (!strcmp(method, "shutdown")) {
      s.shutdown = true;
      reply(&s, id, NULL);
    } else if (!strcmp(method, "textDocument/didOpen")) {
      on_open(&s, params);
    } else if (!strcmp(method, "textDocument/didChange")) {
      on_change(&s, params);
    } else if (!strcmp(method, "textDocument/didSave")) {
      on_save(&s, params);
    } else if (!strcmp(method, "textDocument/didClose")) {
      const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
      const char *uri = str_at(td, "uri");
      if (uri) {
        doc_close(&s, uri);
        publish(&s, uri, cJSON_CreateArray()); /* clear its diagnostics */
      }
    } else if (!strcmp(method, "textDocument/codeAction")) {
      if (request) on_code_action(&s, id, params);
    } else if (!strcmp(method, "workspace/didChangeConfiguration")) {
      on_change_configuration(&s, params);
    } else if (!strcmp(method, "workspace/didChangeWatchedFiles")) {
      on_watched_files(&s, params);
    } else if (!strcmp(method, "workspace/didChangeWorkspaceFolders")) {
      on_change_folders(&s, params);
    } else if (request) {
      reply_error(&s, id, E_METHOD, "method not supported");
    } /* other notifications ($/...): nothing to do */
    (void)E_PARAMS;
    cJSON_Delete(msg);
  }
  server_free(&s);
  return code;
}
