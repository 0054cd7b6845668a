/* output_junit.c - JUnit XML, for the test report views of CI services
 * (GitLab's `artifacts:reports:junit`, Jenkins, Azure Pipelines, ...):
 *
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <testsuites name="redislint" tests="2" failures="1" errors="0" time="0">
 *     <testsuite name="redislint" tests="2" failures="1" errors="0" skipped="0" time="0">
 *       <testcase classname="app/cache.py" name="app/cache.py" file="app/cache.py" time="0">
 *         <failure message="3 SETs write fields of one user" type="RL101">app/cache.py:3:5: RL101
 *   [per-field-keys] 3 SETs write fields of one user            (one line, wrapped here)
 *   fix: Store the fields in one hash with HSET (unsafe)
 *   docs: https://github.com/redislint/redislint/blob/main/rules/per-field-keys.md</failure>
 *       </testcase>
 *       <testcase classname="app/ok.py" name="app/ok.py" file="app/ok.py" time="0"/>
 *     </testsuite>
 *   </testsuites>
 *
 * One testcase per linted file, passing when it has no finding; one
 * <failure> per finding (columns in code points, as in the text format). A
 * file that could not be read is a testcase with an <error>. The counts
 * count testcases, as JUnit does, so tests >= failures + errors holds and
 * dashboards compute passes right: `failures` is the number of files with
 * findings, not of findings. Other run diagnostics (syntax errors, notes)
 * go to <system-err>, of the file's testcase when they name one. Nothing
 * is timed (time="0"), so the report is deterministic.
 *
 * XML is written by hand; every text goes through xml_put, which escapes
 * markup, keeps line breaks in attributes as character references, and
 * replaces what XML 1.0 cannot carry at all (C0 controls other than tab,
 * LF and CR, U+FFFE/U+FFFF, invalid UTF-8, e.g. in a path) with U+FFFD. */
#include <stdint.h>
#include <string.h>

#include "output.h"
#include "output_internal.h"

#define REPLACEMENT_CHAR "\xEF\xBF\xBD" /* U+FFFD */

/* ---- XML escaping ------------------------------------------------------ */

/* Length of the well-formed UTF-8 sequence at p (shortest form, no
 * surrogates, at most U+10FFFF), storing its code point; 0 if malformed. */
static size_t utf8_decode(const unsigned char *p, uint32_t *cp) {
  if (p[0] < 0x80) {
    *cp = p[0];
    return 1;
  }
  size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 0;
  if (n == 0 || p[0] > 0xF4) return 0;
  uint32_t c = p[0] & (0x7F >> n);
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xC0) != 0x80) return 0; /* also stops at the NUL */
    c = (c << 6) | (p[i] & 0x3F);
  }
  static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  *cp = c;
  return n;
}

/* XML 1.0's Char production. */
static bool xml_char(uint32_t c) {
  if (c < 0x20) return c == '\t' || c == '\n' || c == '\r';
  return c != 0xFFFE && c != 0xFFFF;
}

/* Writes s as character data, or as an attribute value (in double quotes)
 * when attr. In attributes tab and line breaks become references, else a
 * parser would normalise them to spaces; CR is a reference in text too, or
 * it would be read back as LF. ">" is escaped so "]]>" cannot occur. */
static void xml_put(FILE *out, const char *s, bool attr) {
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  while (*p) {
    uint32_t c = 0;
    size_t n = utf8_decode(p, &c);
    if (n == 0 || !xml_char(c)) {
      fputs(REPLACEMENT_CHAR, out);
      p += n ? n : 1;
      continue;
    }
    switch (c) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': attr ? fputs("&quot;", out) : fputc('"', out); break;
    case '\t': attr ? fputs("&#9;", out) : fputc('\t', out); break;
    case '\n': attr ? fputs("&#10;", out) : fputc('\n', out); break;
    case '\r': fputs("&#13;", out); break;
    default: fwrite(p, 1, n, out);
    }
    p += n;
  }
}

/* ` name="value"` */
static void xml_attr(FILE *out, const char *name, const char *value) {
  fprintf(out, " %s=\"", name);
  xml_put(out, value, true);
  fputc('"', out);
}

/* ---- what goes where --------------------------------------------------- */

/* The loaded file of the run with this display path, or NULL. */
static const FileResult *loaded_file(const LintRun *run, const char *path) {
  for (size_t i = 0; path && i < run->nfiles; i++) {
    const FileResult *fr = &run->files[i];
    if (fr->loaded && fr->src.path && strcmp(fr->src.path, path) == 0) return fr;
  }
  return NULL;
}

static bool same_path(const char *a, const char *b) {
  return a && b && strcmp(a, b) == 0;
}

/* Does some DIAG_ERROR name this path (the file could not be linted)? */
static bool has_error_diag(const Diags *d, const char *path) {
  for (size_t i = 0; i < d->len; i++)
    if (d->items[i].level == DIAG_ERROR && same_path(d->items[i].path, path)) return true;
  return false;
}

/* Is diag k the first DIAG_ERROR of a path that no loaded file has? Each
 * such path gets one error testcase. */
static bool error_case_head(const LintRun *run, size_t k) {
  const Diag *d = &run->diags.items[k];
  if (d->level != DIAG_ERROR || !d->path || loaded_file(run, d->path)) return false;
  for (size_t i = 0; i < k; i++)
    if (run->diags.items[i].level == DIAG_ERROR && same_path(run->diags.items[i].path, d->path))
      return false;
  return true;
}

/* Does a testcase carry diagnostics naming this path? */
static bool has_testcase(const LintRun *run, const char *path) {
  return path && (loaded_file(run, path) || has_error_diag(&run->diags, path));
}

typedef struct JunitCounts {
  size_t tests, failures, errors;
} JunitCounts;

/* A testcase fails with findings and errs with an error diagnostic (which
 * wins: its findings, if any, are incomplete). */
static JunitCounts junit_count(const LintRun *run) {
  JunitCounts c = {0, 0, 0};
  for (size_t i = 0; i < run->nfiles; i++) {
    const FileResult *fr = &run->files[i];
    if (!fr->loaded) continue;
    c.tests++;
    if (has_error_diag(&run->diags, fr->src.path)) c.errors++;
    else if (fr->nfindings) c.failures++;
  }
  for (size_t k = 0; k < run->diags.len; k++)
    if (error_case_head(run, k)) c.tests++, c.errors++;
  return c;
}

/* ---- elements ---------------------------------------------------------- */

static void put_failure(FILE *out, const FileResult *fr, const Finding *f) {
  char url[512];
  Position p = source_position(&fr->src, f->start);
  fputs("      <failure", out);
  xml_attr(out, "message", f->message);
  xml_attr(out, "type", output_code(f));
  fputc('>', out);
  xml_put(out, fr->src.path, false);
  fprintf(out, ":%u:%u: ", p.line, p.column);
  xml_put(out, output_code(f), false);
  fputs(" [", out);
  xml_put(out, output_slug(f), false);
  fputs("] ", out);
  xml_put(out, f->message, false);
  if (output_has_fix(&f->fix)) {
    fputs(f->fix.applicability == FIX_DISPLAY ? "\nhelp: " : "\nfix: ", out);
    xml_put(out, f->fix.title, false);
    if (f->fix.applicability == FIX_UNSAFE) fputs(" (unsafe)", out);
  }
  fputs("\ndocs: ", out);
  xml_put(out, output_rule_url(output_slug(f), url, sizeof url), false);
  fputs("</failure>\n", out);
}

static void put_error(FILE *out, const Diag *d) {
  fputs("      <error", out);
  xml_attr(out, "message", d->message);
  fputs(" type=\"error\"/>\n", out);
}

static const char *diag_level_name(DiagLevel l) {
  switch (l) {
  case DIAG_ERROR: return "error";
  case DIAG_WARNING: return "warning";
  default: return "note";
  }
}

typedef bool (*DiagFilter)(const LintRun *run, const Diag *d, const char *path);

/* <system-err> with the run diagnostics that keep(run, d, path) selects, one
 * a line; nothing when there are none. */
static void put_system_err(FILE *out, const LintRun *run, const char *path, DiagFilter keep,
                           const char *indent) {
  bool open = false;
  for (size_t i = 0; i < run->diags.len; i++) {
    const Diag *d = &run->diags.items[i];
    if (!keep(run, d, path)) continue;
    if (!open) fprintf(out, "%s<system-err>", indent);
    open = true;
    if (d->path) {
      xml_put(out, d->path, false);
      if (d->line) fprintf(out, ":%u", d->line);
      fputs(": ", out);
    }
    fprintf(out, "%s: ", diag_level_name(d->level));
    xml_put(out, d->message, false);
    fputc('\n', out);
  }
  if (open) fputs("</system-err>\n", out);
}

/* Diagnostics of a testcase's file that are not <error> elements. */
static bool keep_case_note(const LintRun *run, const Diag *d, const char *path) {
  (void)run;
  return d->level != DIAG_ERROR && same_path(d->path, path);
}

/* Diagnostics no testcase carries. */
static bool keep_suite_note(const LintRun *run, const Diag *d, const char *path) {
  (void)path;
  return !has_testcase(run, d->path);
}

static void open_testcase(FILE *out, const char *path) {
  fputs("    <testcase", out);
  xml_attr(out, "classname", path);
  xml_attr(out, "name", path);
  xml_attr(out, "file", path);
  fputs(" time=\"0\"", out);
}

/* The testcase of a file; its error diagnostics too (a file that was read
 * but could not be written by --fix, say). */
static void put_file_case(FILE *out, const LintRun *run, const FileResult *fr) {
  const char *path = fr->src.path;
  open_testcase(out, path);
  bool errs = has_error_diag(&run->diags, path);
  bool notes = false;
  for (size_t i = 0; i < run->diags.len; i++)
    notes |= keep_case_note(run, &run->diags.items[i], path);
  if (!fr->nfindings && !errs && !notes) {
    fputs("/>\n", out);
    return;
  }
  fputs(">\n", out);
  for (size_t i = 0; i < run->diags.len; i++)
    if (run->diags.items[i].level == DIAG_ERROR && same_path(run->diags.items[i].path, path))
      put_error(out, &run->diags.items[i]);
  for (size_t j = 0; j < fr->nfindings; j++) put_failure(out, fr, &fr->findings[j]);
  put_system_err(out, run, path, keep_case_note, "      ");
  fputs("    </testcase>\n", out);
}

/* The testcase of a path that could not be linted: its errors, then the
 * other diagnostics about it. */
static void put_error_case(FILE *out, const LintRun *run, const char *path) {
  open_testcase(out, path);
  fputs(">\n", out);
  for (size_t i = 0; i < run->diags.len; i++)
    if (run->diags.items[i].level == DIAG_ERROR && same_path(run->diags.items[i].path, path))
      put_error(out, &run->diags.items[i]);
  put_system_err(out, run, path, keep_case_note, "      ");
  fputs("    </testcase>\n", out);
}

static void put_counts(FILE *out, const JunitCounts *c) {
  fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\"", c->tests, c->failures,
          c->errors);
}

int output_junit(FILE *out, const LintRun *run, const OutputOptions *oo) {
  (void)oo;
  JunitCounts c = junit_count(run);
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"redislint\"", out);
  put_counts(out, &c);
  fputs(" time=\"0\">\n  <testsuite name=\"redislint\"", out);
  put_counts(out, &c);
  fputs(" skipped=\"0\" time=\"0\">\n", out);
  for (size_t i = 0; i < run->nfiles; i++)
    if (run->files[i].loaded) put_file_case(out, run, &run->files[i]);
  for (size_t k = 0; k < run->diags.len; k++)
    if (error_case_head(run, k)) put_error_case(out, run, run->diags.items[k].path);
  put_system_err(out, run, NULL, keep_suite_note, "    ");
  fputs("  </testsuite>\n</testsuites>\n", out);
  return output_finish(out);
}
