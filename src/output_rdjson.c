/* output_rdjson.c - Reviewdog Diagnostic Format, rdjson flavour (one
 * DiagnosticResult message of reviewdog's proto/rdf/reviewdog.proto), for
 * `reviewdog -f=rdjson` to post findings as review comments on a pull or
 * merge request, with fixes as suggested changes:
 *
 *   {"source": {"name": "redislint", "url": "https://github.com/redislint/redislint"},
 *    "severity": "ERROR",
 *    "diagnostics": [{"message": "...",
 *      "location": {"path": "app/cache.py",
 *                   "range": {"start": {"line": 3, "column": 5},
 *                             "end": {"line": 3, "column": 17}}},
 *      "severity": "ERROR" | "WARNING" | "INFO",
 *      "code": {"value": "RL101", "url": ".../rules/per-field-keys.md"},
 *      "suggestions": [{"range": {...}, "text": "..."}]}]}
 *
 * Positions follow the proto: lines and columns 1-based, columns count
 * UTF-8 bytes (reviewdog slices the file's lines by them, so a BOM counts on
 * line 1), the end is exclusive. The top-level severity is the worst of the
 * diagnostics (INFO when there are none). Only fields of the proto are
 * written: reviewdog reads the document with protojson, which rejects
 * unknown fields. Run diagnostics (unreadable files) are not diagnostics
 * of the code; they stay on stderr.
 *
 * Suggestions: an applicable fix (safe or unsafe, with edits) becomes ONE
 * suggestion, from its first edit's start to its last edit's end, the
 * original text between the edits included. GitHub (and reviewdog's GitHub
 * reporters) accept one suggested change per comment, over the comment's
 * lines, so a fix split in several suggestions could only be half applied;
 * redislint's multi-edit fixes stay within a few lines. Line breaks in the
 * inserted text follow the file (CRLF files get CRLF), as --fix writes
 * them, so accepting the suggestion gives the same file as --fix. A range
 * that would end at the start of a line ends before the line break instead
 * (see range_break). The message says when the fix is unsafe or
 * display-only. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "output.h"
#include "output_internal.h"

#define RDJSON_SOURCE_URL "https://github.com/redislint/redislint"

static const char *rdjson_severity(Severity s) {
  switch (s) {
  case SEV_ERROR: return "ERROR";
  case SEV_WARNING: return "WARNING";
  default: return "INFO";
  }
}

/* {"line", "column"}: 1-based, the column in UTF-8 bytes of the line as
 * stored (a BOM is part of line 1). */
static cJSON *rdjson_position(const Source *src, uint32_t byte) {
  Position p = source_position(src, byte);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "line", p.line);
  cJSON_AddNumberToObject(o, "column", p.byte_col + 1 + (p.line == 1 ? src->bom_len : 0));
  return o;
}

static cJSON *rdjson_range(const Source *src, uint32_t start, uint32_t end) {
  cJSON *r = cJSON_CreateObject();
  cJSON_AddItemToObject(r, "start", rdjson_position(src, start));
  cJSON_AddItemToObject(r, "end", rdjson_position(src, end < start ? start : end));
  return r;
}

/* ---- suggestions ------------------------------------------------------- */

static int cmp_edit(const void *a, const void *b) {
  const Edit *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  if (x->end != y->end) return x->end < y->end ? -1 : 1;
  return 0;
}

/* Does the file end its lines with CRLF? Its first line break decides, as
 * for the fixer. */
static bool uses_crlf(const Source *src) {
  const char *nl = memchr(src->text, '\n', src->len);
  return nl && nl > src->text && nl[-1] == '\r';
}

/* Appends an edit's text with LF turned into CRLF when crlf (an LF already
 * after a CR stays as it is), exactly as the fixer inserts it. */
static void put_edit_text(FILE *m, const char *text, bool crlf) {
  for (const char *t = text ? text : ""; *t; t++) {
    if (*t == '\n' && crlf && (t == text || t[-1] != '\r')) fputc('\r', m);
    fputc(*t, m);
  }
}

/* Edits sorted, in the file, not overlapping (the fixer's test: two
 * insertions at one place overlap too). A fix failing this is never
 * applied by --fix, so it gets no suggestion either. */
static bool edits_usable(const Edit *eds, size_t n, uint32_t len) {
  for (size_t i = 0; i < n; i++) {
    if (eds[i].start > eds[i].end || eds[i].end > len) return false;
    if (i == 0) continue;
    const Edit *p = &eds[i - 1];
    bool both_empty = p->start == p->end && eds[i].start == eds[i].end;
    if (both_empty ? p->start == eds[i].start : eds[i].start < p->end) return false;
  }
  return true;
}

/* Length of the line break (LF or CRLF) that ends text[start..end), or 0.
 * A range ending there reaches to the start of the next line, which GitHub
 * then counts as part of the suggestion's lines although it is unchanged
 * (and at the end of the file it does not exist): when the replacement ends
 * with the same break, both drop it, the same edit over fewer lines. */
static size_t range_break(const Source *src, uint32_t start, uint32_t end) {
  if (end <= start || src->text[end - 1] != '\n') return 0;
  return end - 1 > start && src->text[end - 2] == '\r' ? 2 : 1;
}

/* The suggestion of an applicable fix (see the header), or NULL. */
static cJSON *rdjson_suggestion(const Source *src, const Fix *fix) {
  if (!output_has_fix(fix) || fix->nedits == 0 || fix->applicability < FIX_UNSAFE) return NULL;
  Edit *eds = xmalloc(fix->nedits * sizeof *eds);
  memcpy(eds, fix->edits, fix->nedits * sizeof *eds);
  qsort(eds, fix->nedits, sizeof *eds, cmp_edit);
  cJSON *s = NULL;
  char *text = NULL;
  size_t n = 0;
  FILE *m = NULL;
  if (!edits_usable(eds, fix->nedits, src->len) || !(m = open_memstream(&text, &n))) goto out;
  bool crlf = uses_crlf(src);
  for (size_t i = 0; i < fix->nedits; i++) {
    if (i) fwrite(src->text + eds[i - 1].end, 1, eds[i].start - eds[i - 1].end, m);
    put_edit_text(m, eds[i].text, crlf);
  }
  if (fclose(m) != 0) goto out;
  uint32_t start = eds[0].start, end = eds[fix->nedits - 1].end;
  size_t brk = range_break(src, start, end);
  if (brk && n >= brk && memcmp(text + n - brk, src->text + end - brk, brk) == 0) {
    end -= (uint32_t)brk;
    text[n -= brk] = '\0';
  }
  s = cJSON_CreateObject();
  cJSON_AddItemToObject(s, "range", rdjson_range(src, start, end));
  cJSON_AddStringToObject(s, "text", text);
out:
  free(text);
  free(eds);
  return s;
}

/* ---- diagnostics ------------------------------------------------------- */

/* The finding's message, and what to do: the fix title, marked when the
 * suggestion is unsafe or when there is nothing to apply. Caller frees. */
static char *rdjson_message(const Finding *f) {
  const char *msg = f->message ? f->message : "";
  if (!output_has_fix(&f->fix)) return xstrdup(msg);
  const char *kind = f->fix.applicability == FIX_UNSAFE ? "unsafe fix"
                     : f->fix.applicability == FIX_SAFE && f->fix.nedits ? "fix"
                                                                         : "help";
  size_t n = strlen(msg) + strlen(kind) + strlen(f->fix.title) + sizeof " (: )";
  char *s = xmalloc(n);
  snprintf(s, n, "%s (%s: %s)", msg, kind, f->fix.title);
  return s;
}

static cJSON *rdjson_diagnostic(const FileResult *fr, const Finding *f) {
  char url[512];
  cJSON *d = cJSON_CreateObject();
  char *msg = rdjson_message(f);
  cJSON_AddStringToObject(d, "message", msg);
  free(msg);
  cJSON *loc = cJSON_AddObjectToObject(d, "location");
  cJSON_AddStringToObject(loc, "path", fr->src.path);
  cJSON_AddItemToObject(loc, "range", rdjson_range(&fr->src, f->start, f->end));
  cJSON_AddStringToObject(d, "severity", rdjson_severity(f->severity));
  cJSON *code = cJSON_AddObjectToObject(d, "code");
  cJSON_AddStringToObject(code, "value", output_code(f));
  cJSON_AddStringToObject(code, "url", output_rule_url(output_slug(f), url, sizeof url));
  cJSON *sug = rdjson_suggestion(&fr->src, &f->fix);
  if (sug) cJSON_AddItemToArray(cJSON_AddArrayToObject(d, "suggestions"), sug);
  return d;
}

/* The whole document. Caller owns the result (cJSON_Delete). */
static cJSON *rdjson_document(const LintRun *run) {
  cJSON *root = cJSON_CreateObject();
  cJSON *source = cJSON_AddObjectToObject(root, "source");
  cJSON_AddStringToObject(source, "name", "redislint");
  cJSON_AddStringToObject(source, "url", RDJSON_SOURCE_URL);
  Severity worst = SEV_INFO;
  cJSON *diags = cJSON_CreateArray();
  for (size_t i = 0; i < run->nfiles; i++) {
    const FileResult *fr = &run->files[i];
    if (!fr->loaded) continue;
    for (size_t j = 0; j < fr->nfindings; j++) {
      const Finding *f = &fr->findings[j];
      if (f->severity > worst) worst = f->severity;
      cJSON_AddItemToArray(diags, rdjson_diagnostic(fr, f));
    }
  }
  cJSON_AddStringToObject(root, "severity", rdjson_severity(worst));
  cJSON_AddItemToObject(root, "diagnostics", diags);
  return root;
}

int output_rdjson(FILE *out, const LintRun *run, const OutputOptions *oo) {
  (void)oo;
  cJSON *root = rdjson_document(run);
  int rc = output_print_json(out, root);
  cJSON_Delete(root);
  if (output_finish(out) != 0) rc = -1;
  return rc;
}
