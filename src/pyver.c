/* pyver.c - which redis-py the project pins (see pyver.h). */
#include "pyver.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "fsutil.h"
#include "source.h"

#define V_INF INT64_MAX
#define V_8 ((int64_t)8 * 1000000)
#define DEP_MAX_BYTES (8u << 20) /* dependency files larger than this are not read */

/* ---------------------------------------------------------------- versions */

/* "4.6.0" -> 4006000 (major*1e6 + minor*1e3 + patch). *parts gets how many
 * numbers were written; *wild is set for a trailing ".*". -1 if no number. */
static int64_t parse_version(const char *s, int *parts, bool *wild) {
  int64_t v[3] = {0, 0, 0};
  int n = 0;
  *wild = false;
  while (isspace((unsigned char)*s)) s++;
  if (*s == 'v') s++;
  while (n < 3 && isdigit((unsigned char)*s)) {
    int64_t x = 0;
    while (isdigit((unsigned char)*s)) {
      if (x < 100000) x = x * 10 + (*s - '0');
      s++;
    }
    v[n++] = x > 999 ? 999 : x;
    if (*s != '.') break;
    s++;
    if (*s == '*') {
      *wild = true;
      break;
    }
  }
  *parts = n;
  if (n == 0) return -1;
  return v[0] * 1000000 + v[1] * 1000 + v[2];
}

/* The version just after everything that starts with v's first `keep` numbers
 * (next major, minor or patch). */
static int64_t bump(int64_t v, int keep) {
  if (keep <= 1) return (v / 1000000 + 1) * 1000000;
  if (keep == 2) return (v / 1000 + 1) * 1000;
  return v + 1;
}

/* Poetry's alternatives, "^4.5 || ^5.0": each is classified; they must agree. */
static PyVerClass classify_alternatives(const char *spec) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", spec);
  PyVerClass all = PYV_UNKNOWN;
  bool first = true;
  for (char *save = NULL, *alt = strtok_r(buf, "|", &save); alt; alt = strtok_r(NULL, "|", &save)) {
    PyVerClass c = pyver_classify(alt);
    if (first) all = c;
    else if (c != all) return PYV_UNKNOWN;
    first = false;
  }
  return all;
}

static PyVerClass classify_range(const char *spec, int64_t *hi_out, int64_t *lo_out);

PyVerClass pyver_classify(const char *spec) {
  int64_t hi, lo;
  return classify_range(spec, &hi, &lo);
}

long long pyver_upper(const char *spec) {
  int64_t hi, lo;
  classify_range(spec, &hi, &lo);
  return hi == V_INF ? 0 : hi;
}

long long pyver_lower(const PyVer *v) {
  if (!v || !v->source) return 0;
  /* an override ("--redis-py-version 4.6", "redislint.json: redis-py-version
     4.6") names one version: below is just after it */
  if (strstr(v->source, "redis-py-version ")) return v->below > 0 ? v->below - 1 : 0;
  /* "<file>: redis==4.6.0", or a lock's "<file>: redis 5.0.1" (decide_dir) */
  const char *at = NULL;
  for (const char *p = strstr(v->source, ": redis"); p; p = strstr(p + 1, ": redis")) at = p;
  if (!at) return 0;
  at += 7;
  char spec[160];
  snprintf(spec, sizeof spec, "%s%s", *at == ' ' ? "==" : "", *at == ' ' ? at + 1 : at);
  if (strchr(spec, '(')) return 0; /* "redis (no version)" */
  int64_t hi, lo;
  classify_range(spec, &hi, &lo);
  return lo;
}

/* The class, in *hi_out the exclusive upper bound of the versions the spec
 * allows (V_INF: none; alternatives: none), and in *lo_out the inclusive
 * lower bound (0: none; alternatives: none). */
static PyVerClass classify_range(const char *spec, int64_t *hi_out, int64_t *lo_out) {
  *hi_out = V_INF;
  *lo_out = 0;
  if (strchr(spec, '|')) return classify_alternatives(spec);
  int64_t lo = 0, hi = V_INF;
  const char *p = spec;
  bool any = false;
  while (*p) {
    const char *end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    char clause[128];
    if (len >= sizeof clause) len = sizeof clause - 1;
    memcpy(clause, p, len);
    clause[len] = '\0';
    p = end ? end + 1 : p + strlen(p);
    char *c = clause;
    while (isspace((unsigned char)*c)) c++;
    if (!*c || *c == '*') continue;
    static const char *const ops[] = {"===", "==", "~=", ">=", "<=", "!=", ">", "<", "^", "~"};
    const char *op = "";
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
      if (!strncmp(c, ops[k], strlen(ops[k]))) {
        op = ops[k];
        break;
      }
    int parts;
    bool wild;
    int64_t v = parse_version(c + strlen(op), &parts, &wild);
    if (v < 0) continue;
    any = true;
    if (!strcmp(op, "==") || !strcmp(op, "===") || !*op) {
      if (v > lo) lo = v;
      int64_t h = wild ? bump(v, parts) : v + 1;
      if (h < hi) hi = h;
    } else if (!strcmp(op, "~=")) {
      if (v > lo) lo = v;
      int64_t h = bump(v, parts > 1 ? parts - 1 : 1);
      if (h < hi) hi = h;
    } else if (!strcmp(op, ">=")) {
      if (v > lo) lo = v;
    } else if (!strcmp(op, ">")) {
      if (v + 1 > lo) lo = v + 1;
    } else if (!strcmp(op, "<")) {
      if (v < hi) hi = v;
    } else if (!strcmp(op, "<=")) {
      if (v + 1 < hi) hi = v + 1;
    } else if (!strcmp(op, "^")) { /* poetry: up to the next left-most non-zero part */
      if (v > lo) lo = v;
      int64_t h = v >= 1000000 ? bump(v, 1) : bump(v, 2);
      if (h < hi) hi = h;
    } else if (!strcmp(op, "~")) { /* poetry: ~4.5 -> <4.6, ~4 -> <5 */
      if (v > lo) lo = v;
      int64_t h = bump(v, parts >= 2 ? 2 : 1);
      if (h < hi) hi = h;
    } /* != narrows nothing that matters here */
  }
  if (!any) return PYV_UNKNOWN;
  *hi_out = hi;
  *lo_out = lo;
  if (hi <= V_8) return PYV_BEFORE_8;
  if (lo >= V_8) return PYV_8_OR_LATER;
  return PYV_UNKNOWN;
}

int pyver_parse_override(const char *text, PyVer *out) {
  int parts;
  bool wild;
  int64_t v = parse_version(text, &parts, &wild);
  if (v < 0) return -1;
  const char *s = text;
  while (isdigit((unsigned char)*s) || *s == '.') s++;
  if (*s) return -1; /* "8.0rc1", "abc": say so rather than guess */
  out->cls = v >= V_8 ? PYV_8_OR_LATER : PYV_BEFORE_8;
  out->below = v + 1;
  return 0;
}

/* ---------------------------------------------------------------- scanning */

static bool name_char(char c) { return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.'; }

/* Does a requirement start at s with the distribution name `redis` (any
 * case)? Returns the text after the name, or NULL. */
static const char *redis_name(const char *s) {
  if (strncasecmp(s, "redis", 5) != 0 || name_char(s[5])) return NULL;
  return s + 5;
}

/* Could this be a version specifier (">=4.5", "^5.0", "4.6.0", "*", "")
 * rather than some other text after the word redis ("Redis cache for
 * Django" in a description, ["redis>=4.5"] as a TOML array)? */
static bool spec_like(const char *s) {
  while (isspace((unsigned char)*s)) s++;
  return !*s || isdigit((unsigned char)*s) || strchr("=<>!~^*", *s);
}

/* The version specifier of a PEP 508 requirement after its name:
 * "[hiredis]>=4.5,<6 ; python_version>'3'" -> ">=4.5,<6". Copies into out
 * (trimmed); false for a URL requirement (`redis @ https://...`). */
static bool req_spec(const char *after, size_t len, char *out, size_t cap) {
  size_t i = 0;
  while (i < len && isspace((unsigned char)after[i])) i++;
  if (i < len && after[i] == '[') {
    while (i < len && after[i] != ']') i++;
    if (i < len) i++;
  }
  while (i < len && isspace((unsigned char)after[i])) i++;
  if (i < len && after[i] == '@') return false;
  size_t n = 0;
  while (i < len && after[i] != ';' && after[i] != '#' && after[i] != '"' && after[i] != '\'' &&
         n + 1 < cap) {
    if (after[i] == '(' || after[i] == ')') { /* "redis (>=4)" old style */
      i++;
      continue;
    }
    out[n++] = after[i++];
  }
  while (n && isspace((unsigned char)out[n - 1])) n--;
  out[n] = '\0';
  return spec_like(out);
}

typedef struct Found {
  char spec[128];   /* the specifier, "" when unpinned */
  char shown[160];  /* as shown: "redis==4.6.0", "redis 5.0.1" */
  bool found;
  bool exact;       /* from a lock file */
} Found;

static void found_set(Found *f, const char *spec, bool exact) {
  if (f->found && (f->spec[0] || !spec[0])) return; /* the first pinned mention wins */
  snprintf(f->spec, sizeof f->spec, "%s", spec);
  if (exact)
    snprintf(f->shown, sizeof f->shown, "redis %s", spec);
  else
    snprintf(f->shown, sizeof f->shown, "redis%s%s", spec[0] ? "" : " (no version)", spec);
  f->found = true;
  f->exact = exact;
}

/* One line of a requirements file or setup.cfg list. */
static void scan_req_line(const char *line, size_t len, Found *f) {
  while (len && isspace((unsigned char)*line)) line++, len--;
  if (!len || *line == '-' || *line == '#') return;
  char tmp[256];
  if (len >= sizeof tmp) return;
  memcpy(tmp, line, len);
  tmp[len] = '\0';
  const char *after = redis_name(tmp);
  if (!after) return;
  const char *eq = after + strspn(after, " \t");
  if (*eq == '=' && eq[1] != '=') { /* setup.cfg extras: `redis = redis>=4.5` */
    scan_req_line(eq + 1, strlen(eq + 1), f);
    return;
  }
  char spec[128];
  if (req_spec(after, strlen(after), spec, sizeof spec)) found_set(f, spec, false);
}

static void scan_lines(const char *text, size_t n, Found *f) {
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && text[j] != '\n') j++;
    scan_req_line(text + i, j - i, f);
    i = j + 1;
  }
}

/* Quoted requirement strings ("redis>=4.5" in setup.py) and TOML
 * `redis = "^4.5"` / `redis = { version = "^4.5" }` lines (Pipfile). */
static void scan_toml_like(const char *text, size_t n, Found *f) {
  for (size_t i = 0; i < n; i++) {
    char q = text[i];
    if ((q == '"' || q == '\'') && i + 1 < n) {
      const char *s = text + i + 1;
      const char *close = memchr(s, q, n - i - 1);
      if (!close) break;
      const char *after = redis_name(s);
      if (after && after <= close && !memchr(s, '\n', (size_t)(close - s))) {
        char spec[128];
        if (req_spec(after, (size_t)(close - after), spec, sizeof spec)) found_set(f, spec, false);
      }
      i = (size_t)(close - text);
      continue;
    }
    bool line_start = i == 0 || text[i - 1] == '\n';
    if (!line_start) continue;
    size_t k = i;
    while (k < n && (text[k] == ' ' || text[k] == '\t')) k++;
    if (k >= n) break;
    const char *after = redis_name(text + k);
    if (!after) continue;
    const char *e = memchr(after, '\n', n - (size_t)(after - text));
    size_t len = e ? (size_t)(e - after) : n - (size_t)(after - text);
    char line[256];
    if (len >= sizeof line) continue;
    memcpy(line, after, len);
    line[len] = '\0';
    char *eq = line;
    while (*eq == ' ' || *eq == '\t') eq++;
    if (*eq != '=') continue;
    char *val = strstr(eq, "version");
    char *qs = strpbrk(val ? val : eq, "\"'");
    if (!qs) continue;
    char *qe = strchr(qs + 1, *qs);
    if (!qe) continue;
    *qe = '\0';
    if (spec_like(qs + 1)) found_set(f, qs + 1, false); /* not `redis = ["redis>=4"]` */
  }
}

/* ---- pyproject.toml: only the tables that say what gets installed. Any
 * other table may hold requirement-looking strings that install nothing the
 * code runs with (`[tool.lint-python] extra-requirements = "redis<5.0.0"`,
 * a linter's stub pin), and reading them gave wrong pins in both directions. */

/* After the TOML string that starts at p (a quote; basic, literal, and their
 * multi-line forms). *s,*e get its content (a single-line string only: the
 * multi-line ones hold prose, never a requirement). */
static const char *toml_string(const char *p, const char *end, const char **s, const char **e) {
  char q = *p;
  bool triple = end - p >= 3 && p[1] == q && p[2] == q;
  *s = *e = NULL;
  p += triple ? 3 : 1;
  const char *start = p;
  while (p < end) {
    if (q == '"' && *p == '\\') {
      p += end - p >= 2 ? 2 : 1;
      continue;
    }
    if (*p == q) {
      if (!triple) {
        *s = start, *e = p;
        return p + 1;
      }
      if (end - p >= 3 && p[1] == q && p[2] == q) {
        p += 3;
        for (int extra = 0; extra < 2 && p < end && *p == q; extra++) p++; /* `""""` ends in a quote */
        return p;
      }
    } else if (*p == '\n' && !triple) {
      return p; /* unterminated: the line ends it */
    }
    p++;
  }
  return end;
}

/* A TOML key or table header (`project.optional-dependencies`,
 * `tool.poetry.group."dev".dependencies`) from [p, end) with the blanks and
 * quotes left out, appended to out after a dot when out is not empty. */
static void toml_key(const char *p, const char *end, char *out, size_t cap) {
  size_t n = strlen(out);
  if (n && n + 1 < cap) out[n++] = '.';
  for (; p < end && n + 1 < cap; p++)
    if (*p != ' ' && *p != '\t' && *p != '"' && *p != '\'') out[n++] = *p;
  out[n] = '\0';
}

/* Is `path` the table `base` or inside it? */
static bool toml_under(const char *path, const char *base) {
  size_t n = strlen(base);
  return !strncmp(path, base, n) && (path[n] == '\0' || path[n] == '.');
}

static bool ends_with(const char *s, const char *tail) {
  size_t a = strlen(s), b = strlen(tail);
  return a >= b && !strcmp(s + a - b, tail);
}

/* A key whose value lists PEP 508 requirement strings: PEP 621 runtime and
 * optional dependencies, PEP 735 dependency groups (uv, PDM), PDM's older
 * dev-dependencies, uv's dev/constraint/override lists, Rye's
 * dev-dependencies and Hatch environments' dependencies. */
static bool pep508_key(const char *path) {
  if (!strcmp(path, "project.dependencies") || toml_under(path, "project.optional-dependencies") ||
      toml_under(path, "dependency-groups") || toml_under(path, "tool.pdm.dev-dependencies") ||
      !strcmp(path, "tool.uv.dev-dependencies") || !strcmp(path, "tool.uv.constraint-dependencies") ||
      !strcmp(path, "tool.uv.override-dependencies") || !strcmp(path, "tool.rye.dev-dependencies"))
    return true;
  return !strncmp(path, "tool.hatch.envs.", 16) &&
         (ends_with(path, ".dependencies") || ends_with(path, ".extra-dependencies"));
}

/* `redis` in a Poetry dependency table: [tool.poetry.dependencies],
 * [tool.poetry.dev-dependencies], [tool.poetry.group.<name>.dependencies]. */
static bool poetry_redis_key(const char *path) {
  const char *dot = strrchr(path, '.');
  if (!dot || strcasecmp(dot + 1, "redis")) return false;
  size_t n = (size_t)(dot - path);
  char table[256];
  if (n >= sizeof table) return false;
  memcpy(table, path, n);
  table[n] = '\0';
  return !strcmp(table, "tool.poetry.dependencies") || !strcmp(table, "tool.poetry.dev-dependencies") ||
         (!strncmp(table, "tool.poetry.group.", 18) && ends_with(table, ".dependencies"));
}

/* The requirement strings in a value: `["django>=4.2", "redis[hiredis]>=5"]`. */
static void scan_pep508_value(const char *p, const char *end, Found *f) {
  while (p < end) {
    if (*p == '#') {
      while (p < end && *p != '\n') p++;
    } else if (*p == '"' || *p == '\'') {
      const char *s, *e;
      p = toml_string(p, end, &s, &e);
      const char *after = s ? redis_name(s) : NULL;
      char spec[128];
      if (after && after <= e && req_spec(after, (size_t)(e - after), spec, sizeof spec))
        found_set(f, spec, false);
    } else {
      p++;
    }
  }
}

/* Poetry's `redis = "^5.0"`, `redis = { version = "^5.0", extras = [...] }`
 * (a `git`/`path`/`url` source without a version gives none). */
static void scan_poetry_value(const char *p, const char *end, Found *f) {
  const char *from = p;
  while (from < end && (*from == ' ' || *from == '\t')) from++;
  if (from < end && *from != '"' && *from != '\'') {
    from = NULL;
    for (const char *k = p; k + 7 <= end; k++)
      if (!strncmp(k, "version", 7) && (k == p || !name_char(k[-1])) && !name_char(k[7])) {
        from = k + 7;
        break;
      }
    while (from && from < end && *from != '"' && *from != '\'') from++;
  }
  if (!from || from >= end) return;
  const char *s, *e;
  toml_string(from, end, &s, &e);
  char spec[128];
  if (!s || (size_t)(e - s) >= sizeof spec) return;
  memcpy(spec, s, (size_t)(e - s));
  spec[e - s] = '\0';
  if (spec_like(spec)) found_set(f, spec, false);
}

static void scan_pyproject(const char *text, size_t n, Found *f) {
  const char *p = text, *end = text + n;
  char table[256] = "";
  while (p < end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
    if (p >= end) break;
    if (*p == '#') {
      while (p < end && *p != '\n') p++;
      continue;
    }
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol) eol = end;
    if (*p == '[') { /* [table] or [[array.of.tables]] */
      const char *h = p + 1 + (p + 1 < eol && p[1] == '[');
      const char *close = memchr(h, ']', (size_t)(eol - h));
      table[0] = '\0';
      if (close) toml_key(h, close, table, sizeof table);
      p = eol;
      continue;
    }
    /* key = value: the key ends at the `=` outside quotes */
    const char *k = p, *eq = NULL;
    while (k < eol) {
      if (*k == '"' || *k == '\'') {
        const char *s, *e;
        k = toml_string(k, eol, &s, &e);
      } else if (*k == '=') {
        eq = k;
        break;
      } else {
        k++;
      }
    }
    if (!eq) { /* not TOML this scanner knows: skip the line */
      p = eol;
      continue;
    }
    char path[512];
    snprintf(path, sizeof path, "%s", table);
    toml_key(p, eq, path, sizeof path);
    /* the value runs to the end of its line, or over several lines while an
     * array or inline table is open */
    const char *v = eq + 1, *q = v;
    int depth = 0;
    while (q < end) {
      if (*q == '"' || *q == '\'') {
        const char *s, *e;
        q = toml_string(q, end, &s, &e);
        continue;
      }
      if (*q == '#') {
        while (q < end && *q != '\n') q++;
        continue;
      }
      if (*q == '[' || *q == '{') depth++;
      else if ((*q == ']' || *q == '}') && depth > 0) depth--;
      else if (*q == '\n' && depth == 0) break;
      q++;
    }
    if (pep508_key(path)) scan_pep508_value(v, q, f);
    else if (poetry_redis_key(path)) scan_poetry_value(v, q, f);
    p = q;
  }
}

/* `[[package]]` blocks of uv.lock, poetry.lock, pdm.lock. */
static void scan_lock(const char *text, size_t n, Found *f) {
  const char *p = text, *end = text + n;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    if (le - p >= 14 && !strncmp(p, "name = \"redis\"", 14)) {
      for (const char *q = nl ? nl + 1 : end; q < end;) {
        const char *qn = memchr(q, '\n', (size_t)(end - q));
        const char *qe = qn ? qn : end;
        if (qe - q >= 2 && q[0] == '[') break;
        if (qe - q > 11 && !strncmp(q, "version = \"", 11)) {
          char v[64];
          size_t vl = 0;
          for (const char *c = q + 11; c < qe && *c != '"' && vl + 1 < sizeof v; c++) v[vl++] = *c;
          v[vl] = '\0';
          found_set(f, v, true);
          return;
        }
        q = qn ? qn + 1 : end;
      }
    }
    p = nl ? nl + 1 : end;
  }
}

static void scan_pipfile_lock(const char *text, size_t n, Found *f) {
  cJSON *root = cJSON_ParseWithLength(text, n);
  if (!root) return;
  const char *sections[] = {"default", "develop"};
  for (size_t i = 0; i < 2 && !f->found; i++) {
    cJSON *pkg = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, sections[i]),
                                                  "redis");
    cJSON *v = cJSON_GetObjectItemCaseSensitive(pkg, "version");
    if (cJSON_IsString(v) && v->valuestring) {
      const char *s = v->valuestring;
      while (*s == '=') s++;
      found_set(f, s, true);
    }
  }
  cJSON_Delete(root);
}

/* ---------------------------------------------------------------- the cache */

typedef struct Entry {
  char *dir;    /* absolute */
  PyVer ver;
  bool decided; /* a dependency file here mentions redis, or this is a root */
} Entry;

struct PyVerCache {
  Entry *e;
  size_t n, cap;
  char cwd[PATH_MAX];
  Arena *arena; /* source strings */
  /* the last directory asked about, as written, and its verdict: files come
     in path order, so most questions repeat the one before (no realpath) */
  char *last_dir;
  PyVer last;
};

PyVerCache *pyver_cache_new(void) {
  PyVerCache *c = xcalloc(1, sizeof *c);
  if (!getcwd(c->cwd, sizeof c->cwd)) c->cwd[0] = '\0';
  c->arena = arena_new();
  return c;
}

void pyver_cache_free(PyVerCache *c) {
  if (!c) return;
  for (size_t i = 0; i < c->n; i++) free(c->e[i].dir);
  free(c->e);
  free(c->last_dir);
  arena_delete(c->arena);
  free(c);
}

typedef void (*Scanner)(const char *, size_t, Found *);

/* A dependency file saved as UTF-16 (a BOM: Windows editors, PowerShell's
 * `pip freeze > requirements.txt`) converted to UTF-8 with iconv; the text
 * itself otherwise. NULL when the conversion fails. */
static char *utf8_text(char *text, size_t *len) {
  if (*len < 2) return text;
  unsigned char a = (unsigned char)text[0], b = (unsigned char)text[1];
  const char *from = a == 0xFF && b == 0xFE ? "UTF-16LE" : a == 0xFE && b == 0xFF ? "UTF-16BE" : NULL;
  if (!from) return text;
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == (iconv_t)-1) {
    free(text);
    return NULL;
  }
  size_t inleft = *len - 2, outcap = 2 * *len + 1, outleft = outcap;
  char *out = xmalloc(outcap + 1), *in = text + 2, *o = out;
  size_t rc = iconv(cd, &in, &inleft, &o, &outleft);
  iconv_close(cd);
  free(text);
  if (rc == (size_t)-1) {
    free(out);
    return NULL;
  }
  *len = outcap - outleft;
  out[*len] = '\0';
  return out;
}

static bool try_file(const char *dir, const char *name, Scanner scan, Found *f, char *which,
                     size_t wcap) {
  char path[PATH_MAX];
  if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) return false;
  size_t len;
  /* unreadable or huge: not an error, the verdict stays unknown */
  char *text = fs_read(path, DEP_MAX_BYTES, &len);
  if (text) text = utf8_text(text, &len);
  if (!text) return false;
  Found here = {0};
  scan(text, len, &here);
  free(text);
  if (!here.found) return false;
  if (!f->found || (!f->spec[0] && here.spec[0])) {
    *f = here;
    snprintf(which, wcap, "%s", name);
  }
  return f->spec[0] != '\0';
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* requirements*.txt in dir, and *.txt in dir/requirements/, sorted. */
static void try_requirements(const char *dir, Found *f, char *which, size_t wcap) {
  const char *subs[] = {"", "requirements/"};
  for (size_t s = 0; s < 2 && !(f->found && f->spec[0]); s++) {
    char d[PATH_MAX];
    snprintf(d, sizeof d, "%s/%s", dir, subs[s]);
    DIR *dp = opendir(d);
    if (!dp) continue;
    char *names[256];
    size_t nn = 0;
    struct dirent *de;
    while ((de = readdir(dp)) && nn < 256) {
      size_t l = strlen(de->d_name);
      bool txt = l > 4 && !strcmp(de->d_name + l - 4, ".txt");
      bool req = s == 1 ? txt : txt && !strncmp(de->d_name, "requirements", 12);
      if (req || (s == 0 && l > 3 && !strcmp(de->d_name + l - 3, ".in") &&
                  !strncmp(de->d_name, "requirements", 12)))
        names[nn++] = xstrdup(de->d_name);
    }
    closedir(dp);
    qsort(names, nn, sizeof names[0], cmp_str);
    for (size_t i = 0; i < nn; i++) {
      char rel[PATH_MAX];
      snprintf(rel, sizeof rel, "%s%s", subs[s], names[i]);
      if (!(f->found && f->spec[0])) try_file(dir, rel, scan_lines, f, which, wcap);
      free(names[i]);
    }
  }
}

/* What `dir` says, if anything. */
static bool decide_dir(PyVerCache *c, const char *dir, PyVer *out) {
  Found f = {0};
  char which[PATH_MAX] = "";
  static const struct {
    const char *name;
    Scanner scan;
  } files[] = {{"uv.lock", scan_lock},           {"poetry.lock", scan_lock},
               {"pdm.lock", scan_lock},          {"Pipfile.lock", scan_pipfile_lock},
               {"pyproject.toml", scan_pyproject}, {"setup.cfg", scan_lines},
               {"setup.py", scan_toml_like},     {"Pipfile", scan_toml_like}};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
    if (try_file(dir, files[i].name, files[i].scan, &f, which, sizeof which)) break;
  if (!(f.found && f.spec[0])) try_requirements(dir, &f, which, sizeof which);
  if (!f.found) return false;
  out->cls = f.spec[0] ? pyver_classify(f.spec) : PYV_UNKNOWN;
  out->below = f.spec[0] ? pyver_upper(f.spec) : 0;
  /* the dependency file as the user would name it: relative to the working
   * directory ("requirements.txt", "svc/pyproject.toml", "../poetry.lock"),
   * never a path of the machine */
  char shown[PATH_MAX * 2];
  const char *cwd = c->cwd;
  size_t common = 0, i = 0;
  for (; cwd[i] && dir[i] && cwd[i] == dir[i]; i++)
    if (cwd[i] == '/') common = i;
  if (!cwd[i] && (!dir[i] || dir[i] == '/')) common = i; /* cwd is dir or above it */
  else if (!dir[i] && cwd[i] == '/') common = i;         /* dir is above cwd */
  size_t ups = 0;
  for (size_t k = common; cwd[k]; k++) ups += cwd[k] == '/';
  size_t o = 0;
  for (size_t u = 0; u < ups && o + 4 < sizeof shown; u++) o += (size_t)snprintf(shown + o, sizeof shown - o, "../");
  const char *rest = dir + common;
  while (*rest == '/') rest++;
  snprintf(shown + o, sizeof shown - o, "%s%s%s", rest, *rest ? "/" : "", which);
  out->source = arena_printf(c->arena, "%s: %s", shown, f.shown);
  return true;
}

static Entry *lookup(PyVerCache *c, const char *dir) {
  for (size_t i = c->n; i-- > 0;)
    if (!strcmp(c->e[i].dir, dir)) return &c->e[i];
  return NULL;
}

static PyVer resolve_dir(PyVerCache *c, const char *dir, int depth) {
  PyVer none = {PYV_UNKNOWN, NULL, 0};
  Entry *hit = lookup(c, dir);
  if (hit) return hit->ver;
  PyVer v = none;
  bool decided = decide_dir(c, dir, &v);
  if (!decided && depth < 64) {
    char *slash = strrchr(dir, '/');
    if (!fs_is_repo_root(dir) && slash && slash != dir) {
      char parent[PATH_MAX];
      size_t pl = (size_t)(slash - dir);
      memcpy(parent, dir, pl);
      parent[pl] = '\0';
      v = resolve_dir(c, parent, depth + 1);
    }
  }
  if (c->n == c->cap) c->e = xrealloc(c->e, (c->cap = c->cap ? c->cap * 2 : 16) * sizeof *c->e);
  c->e[c->n++] = (Entry){xstrdup(dir), v, decided};
  return v;
}

PyVer pyver_for_file(PyVerCache *c, const char *path) {
  PyVer none = {PYV_UNKNOWN, NULL, 0};
  char dir[PATH_MAX];
  const char *slash = strrchr(path, '/');
  if (!slash)
    snprintf(dir, sizeof dir, ".");
  else if (slash == path)
    snprintf(dir, sizeof dir, "/");
  else
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
  if (c->last_dir && !strcmp(c->last_dir, dir)) return c->last;
  char abs[PATH_MAX];
  PyVer v = none;
  /* a --stdin-filename may name a directory that does not exist: the
   * working directory's pins apply then */
  if ((realpath(dir, abs) || realpath(".", abs)) && strcmp(abs, "/")) v = resolve_dir(c, abs, 0);
  free(c->last_dir);
  c->last_dir = xstrdup(dir);
  c->last = v;
  return v;
}
