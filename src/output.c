/* output.c - format dispatch and the helpers every renderer shares. */
#include "output.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "output_internal.h"

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)

#define RULE_URL_BASE "https://github.com/redislint/redislint/blob/main/rules/"

int output_write(FILE *out, const LintRun *run, const OutputOptions *oo) {
  switch (oo->format) {
  case FORMAT_JSON: return output_json(out, run, oo);
  case FORMAT_SARIF: return output_sarif(out, run, oo);
  case FORMAT_GITHUB: return output_github(out, run, oo);
  case FORMAT_GITLAB: return output_gitlab(out, run, oo);
  case FORMAT_RDJSON: return output_rdjson(out, run, oo);
  case FORMAT_JUNIT: return output_junit(out, run, oo);
  case FORMAT_TEXT: break;
  }
  return output_text(out, run, oo);
}

/* Writes the URL into buf (truncated to bufsize) and returns buf. */
const char *output_rule_url(const char *slug, char *buf, size_t bufsize) {
  if (bufsize == 0) return buf;
  snprintf(buf, bufsize, "%s%s.md", RULE_URL_BASE, slug ? slug : "");
  return buf;
}

void output_summary(const LintRun *run, OutputSummary *sum) {
  memset(sum, 0, sizeof *sum);
  for (size_t i = 0; i < run->nfiles; i++) {
    const FileResult *fr = &run->files[i];
    if (fr->loaded) sum->files++;
    sum->suppressed += fr->nsuppressed;
    for (size_t j = 0; j < fr->nfindings; j++) {
      sum->findings++;
      switch (fr->findings[j].severity) {
      case SEV_ERROR: sum->errors++; break;
      case SEV_WARNING: sum->warnings++; break;
      case SEV_INFO: sum->infos++; break;
      }
    }
  }
}

const char *output_code(const Finding *f) {
  return f->rule && f->rule->code ? f->rule->code : "?";
}

const char *output_slug(const Finding *f) {
  return f->rule && f->rule->slug ? f->rule->slug : "?";
}

const char *output_related_path(const FileResult *fr, const Related *r) {
  return r->path ? r->path : fr->src.path;
}

const Source *output_related_source(const LintRun *run, const FileResult *fr,
                                    const Related *r) {
  if (!r->path || (fr->src.path && strcmp(r->path, fr->src.path) == 0))
    return fr->loaded ? &fr->src : NULL;
  for (size_t i = 0; i < run->nfiles; i++) {
    const FileResult *o = &run->files[i];
    if (o->loaded && o->src.path && strcmp(o->src.path, r->path) == 0) return &o->src;
  }
  return NULL;
}

bool output_has_fix(const Fix *fix) {
  return fix->applicability != FIX_NONE && fix->title && fix->title[0];
}

/* cJSON_Print indents with tabs and puts a tab after each key's colon. Raw
 * tabs never occur inside printed strings (they are escaped as \t), so every
 * tab is layout: after ':' it becomes one space, elsewhere two spaces. */
static size_t retab(const char *in, char *out) {
  size_t n = 0;
  for (const char *p = in; *p; p++) {
    if (*p != '\t') {
      out[n++] = *p;
    } else if (n > 0 && out[n - 1] == ':') {
      out[n++] = ' ';
    } else {
      out[n++] = ' ';
      out[n++] = ' ';
    }
  }
  return n;
}

int output_print_json(FILE *out, const cJSON *root) {
  char *s = cJSON_Print(root);
  if (!s) return -1;
  char *buf = xmalloc(2 * strlen(s) + 2);
  size_t n = retab(s, buf);
  buf[n++] = '\n';
  int rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
  free(buf);
  cJSON_free(s);
  return rc;
}

int output_finish(FILE *out) {
  if (fflush(out) != 0) return -1;
  return ferror(out) ? -1 : 0;
}

/* ---- fingerprints ------------------------------------------------------ */

static uint64_t fnv_bytes(uint64_t h, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= FNV_PRIME;
  }
  return h;
}

static uint64_t fnv_str(uint64_t h, const char *s) {
  return fnv_bytes(h, s ? s : "", (s ? strlen(s) : 0) + 1); /* with the NUL */
}

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         (unsigned char)c >= 0x80;
}

/* Hashes text[start..end) without layout: whitespace is dropped, except one
 * space where it separates two words (`not x`), so reformatting the flagged
 * code (`f( a )` vs `f(a)`, a call split over lines) keeps the hash. */
static uint64_t fnv_normalized(uint64_t h, const char *text, uint32_t start, uint32_t end) {
  bool pending = false;
  char last = 0;
  for (uint32_t i = start; i < end; i++) {
    if (is_space(text[i]) || (text[i] == '\\' && i + 1 < end && is_space(text[i + 1]))) {
      pending = last != 0;
      continue;
    }
    if (pending && ident_char(last) && ident_char(text[i])) h = fnv_bytes(h, " ", 1);
    h = fnv_bytes(h, text + i, 1);
    last = text[i];
    pending = false;
  }
  return fnv_bytes(h, "", 1);
}

/* Hash of the (code, path, normalized text) triple of a finding. */
static uint64_t fingerprint_key(const FileResult *fr, const Finding *f) {
  uint32_t end = f->end > fr->src.len ? fr->src.len : f->end;
  uint64_t h = fnv_str(FNV_OFFSET, output_code(f));
  h = fnv_str(h, fr->src.path);
  return fnv_normalized(h, fr->src.text, f->start < end ? f->start : end, end);
}

/* One fingerprint per finding of fr, as 16 hex digits in fps[i]. */
void output_fingerprints(const FileResult *fr, char (*fps)[17]) {
  uint64_t *keys = xmalloc((fr->nfindings ? fr->nfindings : 1) * sizeof *keys);
  for (size_t i = 0; i < fr->nfindings; i++) {
    keys[i] = fingerprint_key(fr, &fr->findings[i]);
    unsigned long occurrence = 0;
    for (size_t j = 0; j < i; j++) occurrence += keys[j] == keys[i];
    char num[32];
    int n = snprintf(num, sizeof num, "%lu", occurrence);
    uint64_t h = fnv_bytes(keys[i], num, (size_t)n);
    snprintf(fps[i], 17, "%016" PRIx64, h);
  }
  free(keys);
}
