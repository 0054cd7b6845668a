/* output_github.c - GitHub Actions workflow commands (annotations).
 *
 *   ::warning file=app.py,line=3,col=5,endLine=3,endColumn=20,title=RL101 [per-field-keys]::msg
 *
 * One line per finding (error / warning / notice by the finding's severity),
 * then one per run diagnostic. Columns are 1-based code points, endColumn is
 * just after the span (as for the other formats). GitHub only accepts columns
 * when the annotation starts and ends on the same line, so col and endColumn
 * are left out for multi-line spans. Escaping follows the Actions toolkit:
 * in the message "%", CR and LF become %25, %0D, %0A; property values also
 * escape ":" and "," as %3A and %2C. */
#include <string.h>

#include "output.h"
#include "output_internal.h"

static const char *github_level(Severity s) {
  switch (s) {
  case SEV_ERROR: return "error";
  case SEV_WARNING: return "warning";
  default: return "notice";
  }
}

static const char *github_diag_level(DiagLevel l) {
  switch (l) {
  case DIAG_ERROR: return "error";
  case DIAG_WARNING: return "warning";
  default: return "notice";
  }
}

/* Writes s escaped as command data, or as a property value when `property`. */
static void put_escaped(FILE *out, const char *s, bool property) {
  for (; s && *s; s++) {
    switch (*s) {
    case '%': fputs("%25", out); break;
    case '\r': fputs("%0D", out); break;
    case '\n': fputs("%0A", out); break;
    case ':': property ? fputs("%3A", out) : fputc(':', out); break;
    case ',': property ? fputs("%2C", out) : fputc(',', out); break;
    default: fputc(*s, out);
    }
  }
}

static void put_position(FILE *out, const Source *src, const Finding *f) {
  Position s = source_position(src, f->start);
  Position e = source_position(src, f->end < f->start ? f->start : f->end);
  fprintf(out, ",line=%u", s.line);
  if (s.line == e.line) fprintf(out, ",col=%u", s.column);
  fprintf(out, ",endLine=%u", e.line);
  if (s.line == e.line) fprintf(out, ",endColumn=%u", e.column);
}

static void put_finding(FILE *out, const FileResult *fr, const Finding *f) {
  fprintf(out, "::%s file=", github_level(f->severity));
  put_escaped(out, fr->src.path, true);
  put_position(out, &fr->src, f);
  fputs(",title=", out);
  put_escaped(out, output_code(f), true);
  fputs(" [", out);
  put_escaped(out, output_slug(f), true);
  fputs("]::", out);
  put_escaped(out, f->message, false);
  fputc('\n', out);
}

static void put_diag(FILE *out, const Diag *d) {
  fprintf(out, "::%s", github_diag_level(d->level));
  if (d->path) {
    fputs(" file=", out);
    put_escaped(out, d->path, true);
    if (d->line) fprintf(out, ",line=%u", d->line);
  }
  fputs("::", out);
  put_escaped(out, d->message, false);
  fputc('\n', out);
}

int output_github(FILE *out, const LintRun *run, const OutputOptions *oo) {
  (void)oo;
  for (size_t i = 0; i < run->nfiles; i++) {
    const FileResult *fr = &run->files[i];
    if (!fr->loaded) continue;
    for (size_t j = 0; j < fr->nfindings; j++) put_finding(out, fr, &fr->findings[j]);
  }
  for (size_t i = 0; i < run->diags.len; i++) put_diag(out, &run->diags.items[i]);
  return output_finish(out);
}
