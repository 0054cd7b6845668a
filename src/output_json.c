/* output_json.c - machine-readable output, schema version 1.
 *
 * The schema is documented in docs/output-json.md; in short:
 *
 *   {"version": 1,
 *    "tool": {"name": "redislint", "version": "0.1.0"},
 *    "findings": [{"code", "slug", "severity", "path",
 *                  "start": {"line", "column", "byte"}, "end": {...},
 *                  "message", "url",
 *                  "fix": null | {"title", "applicability",
 *                                 "edits": [{"start", "end", "content"}]},
 *                  "related": [{"path", "start"?, "end"?, "message"}]}],
 *    "errors": [{"path"?, "line"?, "level", "message"}],
 *    "summary": {"files", "findings", "errors", "warnings", "infos", "suppressed"}}
 *
 * Lines and columns are 1-based, columns in Unicode code points, "end" is the
 * position just after the span. "byte" is a 0-based offset in the file as
 * stored on disk (a UTF-8 BOM counts). Built with cJSON only; printed with
 * two-space indentation. */
#include <cjson/cJSON.h>

#include "output.h"
#include "output_internal.h"

#define JSON_SCHEMA_VERSION 1

#ifndef REDISLINT_VERSION
#define REDISLINT_VERSION "0.0.0"
#endif

/* {"line", "column", "byte"} of a byte offset in src. Caller owns the result. */
static cJSON *json_position(const Source *src, uint32_t byte) {
  Position p = source_position(src, byte);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "line", p.line);
  cJSON_AddNumberToObject(o, "column", p.column);
  cJSON_AddNumberToObject(o, "byte", (double)byte + src->bom_len);
  return o;
}

static void json_add_span(cJSON *o, const Source *src, uint32_t start, uint32_t end) {
  cJSON_AddItemToObject(o, "start", json_position(src, start));
  cJSON_AddItemToObject(o, "end", json_position(src, end));
}

/* The fix object, or JSON null when the finding has none. */
static cJSON *json_fix(const Source *src, const Fix *fix) {
  if (!output_has_fix(fix)) return cJSON_CreateNull();
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "title", fix->title);
  cJSON_AddStringToObject(o, "applicability", applicability_name(fix->applicability));
  cJSON *edits = cJSON_AddArrayToObject(o, "edits");
  for (size_t i = 0; i < fix->nedits; i++) {
    const Edit *e = &fix->edits[i];
    cJSON *je = cJSON_CreateObject();
    json_add_span(je, src, e->start, e->end);
    cJSON_AddStringToObject(je, "content", e->text ? e->text : "");
    cJSON_AddItemToArray(edits, je);
  }
  return o;
}

static cJSON *json_related(const LintRun *run, const FileResult *fr, const Finding *f) {
  cJSON *arr = cJSON_CreateArray();
  for (size_t i = 0; i < f->nrelated; i++) {
    const Related *r = &f->related[i];
    const Source *src = output_related_source(run, fr, r);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "path", output_related_path(fr, r));
    if (src) json_add_span(o, src, r->start, r->end);
    cJSON_AddStringToObject(o, "message", r->message ? r->message : "");
    cJSON_AddItemToArray(arr, o);
  }
  return arr;
}

static cJSON *json_finding(const LintRun *run, const FileResult *fr, const Finding *f) {
  char url[512];
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "code", output_code(f));
  cJSON_AddStringToObject(o, "slug", output_slug(f));
  cJSON_AddStringToObject(o, "severity", severity_name(f->severity));
  cJSON_AddStringToObject(o, "path", fr->src.path);
  json_add_span(o, &fr->src, f->start, f->end);
  cJSON_AddStringToObject(o, "message", f->message ? f->message : "");
  cJSON_AddStringToObject(o, "url", output_rule_url(output_slug(f), url, sizeof url));
  cJSON_AddItemToObject(o, "fix", json_fix(&fr->src, &f->fix));
  cJSON_AddItemToObject(o, "related", json_related(run, fr, f));
  return o;
}

static const char *diag_level_name(DiagLevel l) {
  switch (l) {
  case DIAG_ERROR: return "error";
  case DIAG_WARNING: return "warning";
  default: return "note";
  }
}

static cJSON *json_errors(const Diags *diags) {
  cJSON *arr = cJSON_CreateArray();
  for (size_t i = 0; i < diags->len; i++) {
    const Diag *d = &diags->items[i];
    cJSON *o = cJSON_CreateObject();
    if (d->path) cJSON_AddStringToObject(o, "path", d->path);
    if (d->line) cJSON_AddNumberToObject(o, "line", d->line);
    cJSON_AddStringToObject(o, "level", diag_level_name(d->level));
    cJSON_AddStringToObject(o, "message", d->message ? d->message : "");
    cJSON_AddItemToArray(arr, o);
  }
  return arr;
}

static cJSON *json_summary(const LintRun *run) {
  OutputSummary s;
  output_summary(run, &s);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "files", (double)s.files);
  cJSON_AddNumberToObject(o, "findings", (double)s.findings);
  cJSON_AddNumberToObject(o, "errors", (double)s.errors);
  cJSON_AddNumberToObject(o, "warnings", (double)s.warnings);
  cJSON_AddNumberToObject(o, "infos", (double)s.infos);
  cJSON_AddNumberToObject(o, "suppressed", (double)s.suppressed);
  return o;
}

/* The whole document. Caller owns the result (cJSON_Delete). */
static cJSON *json_document(const LintRun *run) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddNumberToObject(root, "version", JSON_SCHEMA_VERSION);
  cJSON *tool = cJSON_AddObjectToObject(root, "tool");
  cJSON_AddStringToObject(tool, "name", "redislint");
  cJSON_AddStringToObject(tool, "version", REDISLINT_VERSION);
  cJSON *findings = cJSON_AddArrayToObject(root, "findings");
  for (size_t i = 0; i < run->nfiles; i++) {
    const FileResult *fr = &run->files[i];
    if (!fr->loaded) continue;
    for (size_t j = 0; j < fr->nfindings; j++)
      cJSON_AddItemToArray(findings, json_finding(run, fr, &fr->findings[j]));
  }
  cJSON_AddItemToObject(root, "errors", json_errors(&run->diags));
  cJSON_AddItemToObject(root, "summary", json_summary(run));
  return root;
}

int output_json(FILE *out, const LintRun *run, const OutputOptions *oo) {
  (void)oo;
  cJSON *root = json_document(run);
  int rc = output_print_json(out, root);
  cJSON_Delete(root);
  if (output_finish(out) != 0) rc = -1;
  return rc;
}
