/* output_sarif.c - SARIF 2.1.0 for code scanning (GitHub and other viewers).
 *
 * One run. tool.driver lists every registered rule (ruleIndex = registry
 * index) with its embedded documentation as help. Results carry one physical
 * location relative to %SRCROOT% (the upload action resolves it, so no
 * machine path is written: originalUriBaseIds is left out), regions in UTF-16
 * code units (columnKind "utf16CodeUnits", endColumn exclusive), a
 * partialFingerprints entry under "redislint/v1" (primaryLocationLineHash is
 * left to the upload action), and fixes[] for fixes that have edits. Run
 * diagnostics become invocations[0].toolExecutionNotifications.
 *
 * Fingerprint: FNV-1a 64 over code, path, the flagged text with whitespace
 * runs collapsed to one space, and the index of this (code, path, text)
 * among the file's findings; so it survives edits elsewhere in the file
 * and reformatting within the span, and tells apart identical lines. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "output.h"
#include "docs.h"
#include "output_internal.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_INFO_URI "https://github.com/redislint/redislint"
#define SARIF_BASE_ID "%SRCROOT%"
#define SARIF_FINGERPRINT_KEY "redislint/v1"

#ifndef REDISLINT_VERSION
#define REDISLINT_VERSION "0.0.0"
#endif

static const char *sarif_level(Severity s) {
  switch (s) {
  case SEV_ERROR: return "error";
  case SEV_WARNING: return "warning";
  default: return "note";
  }
}

static cJSON *sarif_message(const char *text) {
  cJSON *m = cJSON_CreateObject();
  cJSON_AddStringToObject(m, "text", text && text[0] ? text : "(no message)");
  return m;
}

/* ---- URIs -------------------------------------------------------------- */

static bool uri_keep(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
}

/* RFC 3986 percent-encoding of a path: everything but unreserved characters
 * and "/" becomes %XX per UTF-8 byte. Caller owns the result (free). */
static char *uri_encode(const char *prefix, const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  size_t plen = strlen(prefix), n = plen;
  char *out = xmalloc(plen + 3 * strlen(path) + 1);
  memcpy(out, prefix, plen);
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if (uri_keep(*p)) {
      out[n++] = (char)*p;
      continue;
    }
    out[n++] = '%';
    out[n++] = hex[*p >> 4];
    out[n++] = hex[*p & 15];
  }
  out[n] = '\0';
  return out;
}

/* artifactLocation for a display path: relative paths against %SRCROOT%,
 * absolute ones as file:// URIs without a base. Caller owns the result. */
static cJSON *sarif_artifact(const char *path) {
  cJSON *a = cJSON_CreateObject();
  if (!path || strcmp(path, "-") == 0) path = "stdin";
  bool absolute = path[0] == '/';
  char *uri = uri_encode(absolute ? "file://" : "", path);
  cJSON_AddStringToObject(a, "uri", uri);
  if (!absolute) cJSON_AddStringToObject(a, "uriBaseId", SARIF_BASE_ID);
  free(uri);
  return a;
}

/* ---- regions and locations -------------------------------------------- */

/* 1-based lines, UTF-16 columns; endColumn is just after the span. */
static cJSON *sarif_region(const Source *src, uint32_t start, uint32_t end) {
  Position s = source_position(src, start);
  Position e = source_position(src, end < start ? start : end);
  cJSON *r = cJSON_CreateObject();
  cJSON_AddNumberToObject(r, "startLine", s.line);
  cJSON_AddNumberToObject(r, "startColumn", s.utf16);
  cJSON_AddNumberToObject(r, "endLine", e.line);
  cJSON_AddNumberToObject(r, "endColumn", e.utf16);
  return r;
}

/* physicalLocation; src NULL means the file is unknown to the run (no region). */
static cJSON *sarif_physical(const char *path, const Source *src, uint32_t start,
                             uint32_t end) {
  cJSON *p = cJSON_CreateObject();
  cJSON_AddItemToObject(p, "artifactLocation", sarif_artifact(path));
  if (src) cJSON_AddItemToObject(p, "region", sarif_region(src, start, end));
  return p;
}

static cJSON *sarif_locations(const FileResult *fr, const Finding *f) {
  cJSON *arr = cJSON_CreateArray(), *loc = cJSON_CreateObject();
  cJSON_AddItemToObject(loc, "physicalLocation",
                        sarif_physical(fr->src.path, &fr->src, f->start, f->end));
  cJSON_AddItemToArray(arr, loc);
  return arr;
}

static cJSON *sarif_related(const LintRun *run, const FileResult *fr, const Finding *f) {
  cJSON *arr = cJSON_CreateArray();
  for (size_t i = 0; i < f->nrelated; i++) {
    const Related *r = &f->related[i];
    const Source *src = output_related_source(run, fr, r);
    cJSON *loc = cJSON_CreateObject();
    cJSON_AddNumberToObject(loc, "id", (double)(i + 1));
    cJSON_AddItemToObject(loc, "physicalLocation",
                          sarif_physical(output_related_path(fr, r), src, r->start, r->end));
    if (r->message && r->message[0])
      cJSON_AddItemToObject(loc, "message", sarif_message(r->message));
    cJSON_AddItemToArray(arr, loc);
  }
  return arr;
}

/* ---- fixes ------------------------------------------------------------- */

/* fixes[] for a fix that can be applied (safe or unsafe, with edits), else NULL. */
static cJSON *sarif_fixes(const FileResult *fr, const Fix *fix) {
  if (!output_has_fix(fix) || fix->nedits == 0 || fix->applicability < FIX_UNSAFE)
    return NULL;
  cJSON *fixobj = cJSON_CreateObject();
  bool unsafe = fix->applicability == FIX_UNSAFE;
  size_t n = strlen(fix->title) + sizeof " (unsafe)";
  char *desc = xmalloc(n);
  snprintf(desc, n, "%s%s", fix->title, unsafe ? " (unsafe)" : "");
  cJSON_AddItemToObject(fixobj, "description", sarif_message(desc));
  free(desc);
  cJSON *change = cJSON_CreateObject();
  cJSON_AddItemToObject(change, "artifactLocation", sarif_artifact(fr->src.path));
  cJSON *reps = cJSON_AddArrayToObject(change, "replacements");
  for (size_t i = 0; i < fix->nedits; i++) {
    const Edit *e = &fix->edits[i];
    cJSON *rep = cJSON_CreateObject(), *ins = cJSON_CreateObject();
    cJSON_AddItemToObject(rep, "deletedRegion", sarif_region(&fr->src, e->start, e->end));
    cJSON_AddStringToObject(ins, "text", e->text ? e->text : "");
    cJSON_AddItemToObject(rep, "insertedContent", ins);
    cJSON_AddItemToArray(reps, rep);
  }
  cJSON *changes = cJSON_AddArrayToObject(fixobj, "artifactChanges");
  cJSON_AddItemToArray(changes, change);
  cJSON *arr = cJSON_CreateArray();
  cJSON_AddItemToArray(arr, fixobj);
  return arr;
}

/* ---- results ----------------------------------------------------------- */

/* Registry index of a rule (the position in tool.driver.rules), or -1 when
 * it is not registered. Scans rather than trusting rules_index() with a rule
 * the registry may not know; the registry is a few dozen entries. */
static long registry_index(const Rule *rule) {
  if (!rule || !rule->code) return -1;
  for (size_t i = 0; i < rules_count(); i++) {
    const Rule *r = rules_at(i);
    if (r == rule || (r->code && strcmp(r->code, rule->code) == 0)) return (long)i;
  }
  return -1;
}

static void sarif_result_extras(cJSON *res, const FileResult *fr, const Finding *f) {
  cJSON *fixes = sarif_fixes(fr, &f->fix);
  if (fixes) cJSON_AddItemToObject(res, "fixes", fixes);
  if (!output_has_fix(&f->fix)) return;
  cJSON *props = cJSON_AddObjectToObject(res, "properties");
  cJSON_AddStringToObject(props, "fixTitle", f->fix.title);
  cJSON_AddStringToObject(props, "fixApplicability",
                          applicability_name(f->fix.applicability));
}

static cJSON *sarif_result(const LintRun *run, const FileResult *fr, const Finding *f,
                           const char *fingerprint) {
  cJSON *res = cJSON_CreateObject();
  cJSON_AddStringToObject(res, "ruleId", output_code(f));
  long idx = registry_index(f->rule);
  if (idx >= 0) cJSON_AddNumberToObject(res, "ruleIndex", (double)idx);
  cJSON_AddStringToObject(res, "level", sarif_level(f->severity));
  cJSON_AddItemToObject(res, "message", sarif_message(f->message));
  cJSON_AddItemToObject(res, "locations", sarif_locations(fr, f));
  if (f->nrelated)
    cJSON_AddItemToObject(res, "relatedLocations", sarif_related(run, fr, f));
  cJSON *fps = cJSON_AddObjectToObject(res, "partialFingerprints");
  cJSON_AddStringToObject(fps, SARIF_FINGERPRINT_KEY, fingerprint);
  sarif_result_extras(res, fr, f);
  return res;
}

/* Results of the findings; with include_suppressed also the suppressed
 * ones, marked `suppressions: [{kind: inSource}]` (GitHub shows them as
 * open alerts, hence opt-in). */
static cJSON *sarif_results(const LintRun *run, bool include_suppressed) {
  cJSON *arr = cJSON_CreateArray();
  for (size_t i = 0; i < run->nfiles; i++) {
    const FileResult *fr = &run->files[i];
    if (!fr->loaded) continue;
    if (fr->nfindings) {
      char(*fps)[17] = xmalloc(fr->nfindings * sizeof *fps);
      output_fingerprints(fr, fps);
      for (size_t j = 0; j < fr->nfindings; j++)
        cJSON_AddItemToArray(arr, sarif_result(run, fr, &fr->findings[j], fps[j]));
      free(fps);
    }
    if (include_suppressed && fr->nsuppressed) {
      FileResult sup = *fr; /* fingerprints of the suppressed findings as a list of their own */
      sup.findings = fr->suppressed;
      sup.nfindings = fr->nsuppressed;
      char(*fps)[17] = xmalloc(sup.nfindings * sizeof *fps);
      output_fingerprints(&sup, fps);
      for (size_t j = 0; j < sup.nfindings; j++) {
        cJSON *res = sarif_result(run, fr, &sup.findings[j], fps[j]);
        cJSON *s = cJSON_AddArrayToObject(res, "suppressions");
        cJSON *one = cJSON_CreateObject();
        cJSON_AddStringToObject(one, "kind", "inSource");
        cJSON_AddItemToArray(s, one);
        cJSON_AddItemToArray(arr, res);
      }
      free(fps);
    }
  }
  return arr;
}

/* ---- rules ------------------------------------------------------------- */

/* The documentation without its YAML front matter ("---" ... "---" lines)
 * and the blank lines after it. Borrowed from doc. */
static const char *doc_body(const char *doc) {
  if (strncmp(doc, "---\n", 4) != 0 && strncmp(doc, "---\r\n", 5) != 0) return doc;
  const char *p = strchr(doc, '\n') + 1;
  while (*p) {
    const char *eol = strchr(p, '\n');
    size_t len = eol ? (size_t)(eol - p) : strlen(p);
    if (len > 0 && p[len - 1] == '\r') len--;
    if (len == 3 && strncmp(p, "---", 3) == 0) {
      p = eol ? eol + 1 : p + strlen(p);
      while (*p == '\n' || *p == '\r') p++;
      return p;
    }
    if (!eol) break;
    p = eol + 1;
  }
  return doc; /* unterminated front matter: keep everything */
}

static cJSON *sarif_text(const char *text) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "text", text ? text : "");
  return o;
}

static cJSON *sarif_rule_help(const Rule *r) {
  const char *doc = rule_doc(r);
  cJSON *help = cJSON_CreateObject();
  if (!doc) {
    cJSON_AddStringToObject(help, "text", r->title ? r->title : r->code);
    return help;
  }
  const char *body = doc_body(doc);
  cJSON_AddStringToObject(help, "text", body);
  cJSON_AddStringToObject(help, "markdown", body);
  return help;
}

static bool has_tag(const cJSON *tags, const char *tag) {
  const cJSON *t;
  cJSON_ArrayForEach(t, tags) {
    if (cJSON_IsString(t) && strcmp(t->valuestring, tag) == 0) return true;
  }
  return false;
}

/* GitHub code scanning shows a rule's results as security alerts, ranked
 * critical (9.0 and up), high (7.0), medium (4.0) or low, when the rule's
 * properties hold "security-severity" (a score from 0.1 to 10.0, as a
 * string) and its tags "security". The score comes from the rule doc's
 * front matter (`security-severity: 7.5`), where the security rules state it
 * and their docs say why; test_docs checks the values. */
static void sarif_security_severity(cJSON *props, cJSON *tags, const Rule *r) {
  char *score = doc_front_matter(rule_doc(r), "security-severity");
  if (!score) return;
  if (!has_tag(tags, "security")) cJSON_AddItemToArray(tags, cJSON_CreateString("security"));
  cJSON_AddStringToObject(props, "security-severity", score);
  free(score);
}

/* properties: tags (the category first, then the doc's tags), the security
 * severity of security rules, precision. Caller owns the result. */
static cJSON *sarif_rule_properties(const Rule *r) {
  cJSON *props = cJSON_CreateObject();
  cJSON *tags = cJSON_AddArrayToObject(props, "tags");
  if (r->category) cJSON_AddItemToArray(tags, cJSON_CreateString(r->category));
  char *list = doc_front_matter(rule_doc(r), "tags"), *items[16];
  size_t n = doc_list_items(list, items, 16);
  for (size_t i = 0; i < n; i++) {
    if (!r->category || strcmp(items[i], r->category)) cJSON_AddItemToArray(tags, cJSON_CreateString(items[i]));
    free(items[i]);
  }
  free(list);
  sarif_security_severity(props, tags, r);
  cJSON_AddStringToObject(props, "precision", "high");
  return props;
}

static cJSON *sarif_rule(const Rule *r) {
  char url[512];
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "id", r->code);
  cJSON_AddStringToObject(o, "name", r->slug);
  cJSON_AddItemToObject(o, "shortDescription", sarif_text(r->title));
  char *full = doc_first_paragraph(rule_doc(r), "What it finds");
  cJSON_AddItemToObject(o, "fullDescription", sarif_text(full ? full : r->title));
  free(full);
  cJSON_AddItemToObject(o, "help", sarif_rule_help(r));
  cJSON_AddStringToObject(o, "helpUri", output_rule_url(r->slug, url, sizeof url));
  cJSON *conf = cJSON_AddObjectToObject(o, "defaultConfiguration");
  cJSON_AddStringToObject(conf, "level", sarif_level(r->severity));
  if (!r->default_enabled) cJSON_AddBoolToObject(conf, "enabled", 0);
  cJSON_AddItemToObject(o, "properties", sarif_rule_properties(r));
  return o;
}

static cJSON *sarif_tool(void) {
  cJSON *tool = cJSON_CreateObject(), *d = cJSON_AddObjectToObject(tool, "driver");
  cJSON_AddStringToObject(d, "name", "redislint");
  cJSON_AddStringToObject(d, "version", REDISLINT_VERSION);
  cJSON_AddStringToObject(d, "semanticVersion", REDISLINT_VERSION);
  cJSON_AddStringToObject(d, "informationUri", SARIF_INFO_URI);
  cJSON *rules = cJSON_AddArrayToObject(d, "rules");
  for (size_t i = 0; i < rules_count(); i++)
    cJSON_AddItemToArray(rules, sarif_rule(rules_at(i)));
  return tool;
}

/* ---- invocation --------------------------------------------------------- */

static const char *diag_sarif_level(DiagLevel l) {
  switch (l) {
  case DIAG_ERROR: return "error";
  case DIAG_WARNING: return "warning";
  default: return "note";
  }
}

static cJSON *sarif_notification(const Diag *d) {
  cJSON *n = cJSON_CreateObject();
  cJSON_AddStringToObject(n, "level", diag_sarif_level(d->level));
  cJSON_AddItemToObject(n, "message", sarif_message(d->message));
  if (!d->path) return n;
  cJSON *phys = cJSON_CreateObject(), *loc = cJSON_CreateObject();
  cJSON_AddItemToObject(phys, "artifactLocation", sarif_artifact(d->path));
  if (d->line) {
    cJSON *region = cJSON_AddObjectToObject(phys, "region");
    cJSON_AddNumberToObject(region, "startLine", d->line);
  }
  cJSON_AddItemToObject(loc, "physicalLocation", phys);
  cJSON *locs = cJSON_AddArrayToObject(n, "locations");
  cJSON_AddItemToArray(locs, loc);
  return n;
}

static cJSON *sarif_invocations(const Diags *diags) {
  cJSON *arr = cJSON_CreateArray(), *inv = cJSON_CreateObject();
  cJSON_AddBoolToObject(inv, "executionSuccessful", !diags_has_errors(diags));
  if (diags->len) {
    cJSON *notes = cJSON_AddArrayToObject(inv, "toolExecutionNotifications");
    for (size_t i = 0; i < diags->len; i++)
      cJSON_AddItemToArray(notes, sarif_notification(&diags->items[i]));
  }
  cJSON_AddItemToArray(arr, inv);
  return arr;
}

/* The whole log. Caller owns the result (cJSON_Delete). */
static cJSON *sarif_document(const LintRun *run, const OutputOptions *oo) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "$schema", SARIF_SCHEMA);
  cJSON_AddStringToObject(root, "version", "2.1.0");
  cJSON *runs = cJSON_AddArrayToObject(root, "runs"), *r = cJSON_CreateObject();
  cJSON_AddItemToObject(r, "tool", sarif_tool());
  cJSON_AddItemToObject(r, "invocations", sarif_invocations(&run->diags));
  cJSON_AddStringToObject(r, "columnKind", "utf16CodeUnits");
  cJSON_AddItemToObject(r, "results", sarif_results(run, oo->include_suppressed));
  cJSON_AddItemToArray(runs, r);
  return root;
}

int output_sarif(FILE *out, const LintRun *run, const OutputOptions *oo) {
  (void)oo;
  cJSON *root = sarif_document(run, oo);
  int rc = output_print_json(out, root);
  cJSON_Delete(root);
  if (output_finish(out) != 0) rc = -1;
  return rc;
}
