/* output_text.c - the default, human-readable format.
 *
 *   app.py:3:5: RL101 [per-field-keys] 3 SETs write fields of one user ...
 *     |
 *   3 |     r.set(f"user:{uid}:name", name)
 *     |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
 *     |
 *     = help: Store the fields in one hash with HSET (unsafe fix)
 *     = note: app.py:4:5: another SET of the group
 *
 *   Found 1 finding (0 errors, 1 warning, 0 infos) in 1 file.
 *
 * Columns are 1-based code points. The frame shows the first line of the
 * span; carets run to its end on that line (at least one caret). Tabs are
 * expanded to stops of TAB_WIDTH in both the frame and the caret line, and
 * control characters print as spaces, so carets stay aligned and the source
 * cannot send escape sequences to the terminal. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "output.h"
#include "output_internal.h"

#define TAB_WIDTH 4u
#define ANSI_RESET "\033[0m"
#define ANSI_BOLD "\033[1m"

typedef struct TextOut {
  FILE *out;
  const LintRun *run;
  bool color;
  bool unsafe; /* --unsafe-fixes: unsafe fixes count as fixable */
} TextOut;

static const char *severity_color(Severity s) {
  switch (s) {
  case SEV_ERROR: return "\033[31m";
  case SEV_WARNING: return "\033[33m";
  default: return "\033[34m";
  }
}

/* ---- sanitised text -------------------------------------------------- */

/* Length in bytes of the code point starting with byte b (1 for bad bytes). */
static uint32_t cp_len(unsigned char b) {
  if (b >= 0xF0) return 4;
  if (b >= 0xE0) return 3;
  if (b >= 0xC0) return 2;
  return 1;
}

/* C0 controls, DEL, and C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F). */
static bool is_control(const char *s, uint32_t n) {
  unsigned char b = (unsigned char)s[0];
  if (b < 0x20 || b == 0x7F) return true;
  return b == 0xC2 && n >= 2 && (unsigned char)s[1] < 0xA0;
}

/* Writes s[0..n) with every control character (tabs too) as one space. */
static void put_clean(FILE *out, const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint32_t k = cp_len((unsigned char)s[i]);
    if (k > n - i) k = (uint32_t)(n - i);
    if (is_control(s + i, k)) fputc(' ', out);
    else fwrite(s + i, 1, k, out);
    i += k;
  }
}

static void put_str(FILE *out, const char *s) {
  if (s) put_clean(out, s, strlen(s));
}

static void put_spaces(FILE *out, uint32_t n) {
  while (n--) fputc(' ', out);
}

/* ---- code frame ------------------------------------------------------ */

/* Code point of the UTF-8 sequence at s (valid: sources are validated). */
static uint32_t decode_cp(const unsigned char *s) {
  if (s[0] < 0x80) return s[0];
  if (s[0] < 0xE0) return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
  if (s[0] < 0xF0) return (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
  return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
         (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}

/* Terminal cells of a code point: 2 for East Asian Wide/Fullwidth and emoji
 * (the ranges terminals draw double-width), 0 for combining marks, else 1. */
static uint32_t cp_width(uint32_t c) {
  static const uint32_t wide[][2] = {
      {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0},
      {0x23F3, 0x23F3}, {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F},
      {0x2693, 0x2693}, {0x26A1, 0x26A1}, {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5},
      {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5},
      {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728},
      {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
      {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
      {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF},
      {0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6F},
      {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF},
      {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E},
      {0x1F191, 0x1F19A}, {0x1F200, 0x1F2FF}, {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF},
      {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x3FFFD}};
  if ((c >= 0x0300 && c <= 0x036F) || c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F)) return 0;
  for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
    if (c >= wide[i][0] && c <= wide[i][1]) return 2;
  return 1;
}

/* Display column (0-based) after advancing from col over the code point at s. */
static uint32_t advance(const char *s, uint32_t col) {
  if (*s == '\t') return (col / TAB_WIDTH + 1) * TAB_WIDTH;
  if ((unsigned char)*s < 0x80) return col + 1;
  return col + cp_width(decode_cp((const unsigned char *)s));
}

/* Display column (0-based, tabs expanded) of byte `to` in line [from, ...). */
static uint32_t display_col(const char *text, uint32_t from, uint32_t to) {
  uint32_t col = 0;
  for (uint32_t i = from; i < to; i += cp_len((unsigned char)text[i]))
    col = advance(text + i, col);
  return col;
}

/* Writes text[from..to) with tabs expanded and controls as spaces. */
static void put_expanded(FILE *out, const char *text, uint32_t from, uint32_t to) {
  uint32_t col = 0;
  for (uint32_t i = from; i < to;) {
    uint32_t k = cp_len((unsigned char)text[i]), next = advance(text + i, col);
    if (k > to - i) k = to - i;
    if (text[i] == '\t' || is_control(text + i, k)) put_spaces(out, next - col);
    else fwrite(text + i, 1, k, out);
    col = next;
    i += k;
  }
}

static int digits(uint32_t n) {
  int d = 1;
  while (n >= 10) n /= 10, d++;
  return d;
}

/* Blank gutter: as wide as the line number, then " |". */
static void put_gutter(const TextOut *t, int width) {
  fprintf(t->out, "%*s |", width, "");
}

static void color_on(const TextOut *t, Severity sev, bool bold) {
  if (!t->color) return;
  if (bold) fputs(ANSI_BOLD, t->out);
  fputs(severity_color(sev), t->out);
}

static void color_off(const TextOut *t) {
  if (t->color) fputs(ANSI_RESET, t->out);
}

/* The first line of the finding's span, and carets under the span. */
static void put_frame(const TextOut *t, const Source *src, const Finding *f) {
  Position p = source_position(src, f->start);
  uint32_t ls, le;
  source_line_span(src, p.line, &ls, &le);
  uint32_t start = f->start < ls ? ls : f->start > le ? le : f->start;
  uint32_t end = f->end > le ? le : f->end < start ? start : f->end;
  uint32_t a = display_col(src->text, ls, start), b = display_col(src->text, ls, end);
  int w = digits(p.line);
  put_gutter(t, w);
  fprintf(t->out, "\n%*u |", w, p.line);
  if (le > ls) {
    fputc(' ', t->out);
    put_expanded(t->out, src->text, ls, le);
  }
  fputc('\n', t->out);
  put_gutter(t, w);
  put_spaces(t->out, a + 1);
  color_on(t, f->severity, false);
  for (uint32_t i = 0; i < (b > a ? b - a : 1); i++) fputc('^', t->out);
  color_off(t);
  fputc('\n', t->out);
  put_gutter(t, w);
  fputc('\n', t->out);
}

/* ---- findings ------------------------------------------------------- */

/* Would `--fix` (with the run's --unsafe-fixes) apply this finding's fix?
   Marked `[*]`, as ruff does. */
static bool fixable(const TextOut *t, const Finding *f) {
  if (!output_has_fix(&f->fix) || !f->fix.nedits) return false;
  return f->fix.applicability == FIX_SAFE || (f->fix.applicability == FIX_UNSAFE && t->unsafe);
}

static void put_header(const TextOut *t, const FileResult *fr, const Finding *f) {
  Position p = source_position(&fr->src, f->start);
  put_str(t->out, fr->src.path);
  fprintf(t->out, ":%u:%u: ", p.line, p.column);
  color_on(t, f->severity, true);
  put_str(t->out, output_code(f));
  color_off(t);
  if (fixable(t, f)) fputs(" [*]", t->out);
  fputs(" [", t->out);
  put_str(t->out, output_slug(f));
  fputs("] ", t->out);
  put_str(t->out, f->message);
  fputc('\n', t->out);
}

static const char *fix_suffix(Applicability a) {
  switch (a) {
  case FIX_SAFE: return " (safe fix)";
  case FIX_UNSAFE: return " (unsafe fix)";
  default: return "";
  }
}

static void put_related(const TextOut *t, const FileResult *fr, const Related *r, int w) {
  const Source *src = output_related_source(t->run, fr, r);
  fprintf(t->out, "%*s = note: ", w, "");
  put_str(t->out, output_related_path(fr, r));
  if (src) {
    Position p = source_position(src, r->start);
    fprintf(t->out, ":%u:%u", p.line, p.column);
  }
  if (r->message && r->message[0]) {
    fputs(": ", t->out);
    put_str(t->out, r->message);
  }
  fputc('\n', t->out);
}

/* Help and note lines under the frame, "=" aligned with the gutter's "|". */
static void put_footer(const TextOut *t, const FileResult *fr, const Finding *f) {
  int w = digits(source_position(&fr->src, f->start).line);
  if (output_has_fix(&f->fix)) {
    fprintf(t->out, "%*s = help: ", w, "");
    put_str(t->out, f->fix.title);
    fprintf(t->out, "%s\n", fix_suffix(f->fix.applicability));
  }
  for (size_t i = 0; i < f->nrelated; i++) put_related(t, fr, &f->related[i], w);
}

static void put_findings(const TextOut *t, bool quiet) {
  for (size_t i = 0; i < t->run->nfiles; i++) {
    const FileResult *fr = &t->run->files[i];
    if (!fr->loaded) continue;
    for (size_t j = 0; j < fr->nfindings; j++) {
      const Finding *f = &fr->findings[j];
      put_header(t, fr, f);
      if (quiet) continue;
      put_frame(t, &fr->src, f);
      put_footer(t, fr, f);
      fputc('\n', t->out);
    }
  }
}

/* ---- statistics ----------------------------------------------------- */

typedef struct RuleStat {
  const char *code, *slug; /* borrowed from the rule */
  size_t count;
  size_t by_sev[3];        /* findings reported at each severity (index: Severity) */
  size_t fixable;          /* findings `--fix` would fix */
} RuleStat;

static int stat_cmp(const void *pa, const void *pb) {
  const RuleStat *a = pa, *b = pb;
  if (a->count != b->count) return a->count > b->count ? -1 : 1;
  return strcmp(a->code, b->code);
}

static void stat_count(const TextOut *t, RuleStat *r, const Finding *f) {
  r->count++;
  if ((unsigned)f->severity < 3) r->by_sev[f->severity]++;
  r->fixable += fixable(t, f);
}

/* Adds one finding to its rule's row (rows keyed by code; the rows are few,
   at most one per rule, so the scan is bounded by the registry). */
static void stat_add(const TextOut *t, Vec *rows, const Finding *f) {
  for (size_t i = 0; i < rows->len; i++) {
    RuleStat *r = vec_at(rows, i);
    if (strcmp(r->code, output_code(f)) == 0) {
      stat_count(t, r, f);
      return;
    }
  }
  RuleStat *r = vec_push(rows);
  memset(r, 0, sizeof *r);
  r->code = output_code(f);
  r->slug = output_slug(f);
  stat_count(t, r, f);
}

/* The severities the row's findings were reported at: "error", "warning+info". */
static const char *stat_severities(const RuleStat *r, char *buf, size_t size) {
  static const Severity order[] = {SEV_ERROR, SEV_WARNING, SEV_INFO};
  size_t k = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < 3; i++)
    if (r->by_sev[order[i]] && k + 16 < size)
      k += (size_t)snprintf(buf + k, size - k, "%s%s", k ? "+" : "", severity_name(order[i]));
  return buf;
}

/* The most severe severity reported, for the code's colour. */
static Severity stat_top(const RuleStat *r) {
  return r->by_sev[SEV_ERROR] ? SEV_ERROR : r->by_sev[SEV_WARNING] ? SEV_WARNING : SEV_INFO;
}

/* COUNT CODE SLUG SEVERITY FIXABLE: the severity column lists what was
   reported (a rule may report at several), the fixable column how many
   `--fix` would fix. */
static void put_stat_rows(const TextOut *t, const Vec *rows) {
  int wn = 1, wc = 1, ws = 1, wv = 8;
  char sev[48];
  for (size_t i = 0; i < rows->len; i++) {
    const RuleStat *r = vec_at(rows, i);
    if (digits((uint32_t)r->count) > wn) wn = digits((uint32_t)r->count);
    if ((int)strlen(r->code) > wc) wc = (int)strlen(r->code);
    if ((int)strlen(r->slug) > ws) ws = (int)strlen(r->slug);
    if ((int)strlen(stat_severities(r, sev, sizeof sev)) > wv) wv = (int)strlen(sev);
  }
  for (size_t i = 0; i < rows->len; i++) {
    const RuleStat *r = vec_at(rows, i);
    fprintf(t->out, "%*zu  ", wn, r->count);
    color_on(t, stat_top(r), true);
    put_str(t->out, r->code);
    color_off(t);
    put_spaces(t->out, (uint32_t)(wc - (int)strlen(r->code) + 2));
    fprintf(t->out, "%-*s  ", ws, r->slug);
    if (r->fixable)
      fprintf(t->out, "%-*s  [*] %zu fixable", wv, stat_severities(r, sev, sizeof sev), r->fixable);
    else
      fputs(stat_severities(r, sev, sizeof sev), t->out);
    fputc('\n', t->out);
  }
}

static void put_statistics(const TextOut *t) {
  Vec rows = VEC_INIT(RuleStat);
  for (size_t i = 0; i < t->run->nfiles; i++) {
    const FileResult *fr = &t->run->files[i];
    for (size_t j = 0; j < fr->nfindings; j++) stat_add(t, &rows, &fr->findings[j]);
  }
  if (rows.len > 1) qsort(rows.data, rows.len, sizeof(RuleStat), stat_cmp);
  put_stat_rows(t, &rows);
  vec_free(&rows);
}

/* ---- summary -------------------------------------------------------- */

static const char *plural(size_t n, const char *one, const char *many) {
  return n == 1 ? one : many;
}

/* "[*] 3 fixable with `--fix` (2 more with `--unsafe-fixes`)." */
static void put_fixable(const TextOut *t) {
  size_t safe = 0, unsafe = 0;
  for (size_t i = 0; i < t->run->nfiles; i++) {
    const FileResult *fr = &t->run->files[i];
    for (size_t j = 0; j < fr->nfindings; j++) {
      const Fix *x = &fr->findings[j].fix;
      if (!output_has_fix(x) || !x->nedits) continue;
      safe += x->applicability == FIX_SAFE;
      unsafe += x->applicability == FIX_UNSAFE;
    }
  }
  if (t->unsafe && safe + unsafe)
    fprintf(t->out, "[*] %zu fixable with `--fix --unsafe-fixes`.\n", safe + unsafe);
  else if (safe && unsafe)
    fprintf(t->out, "[*] %zu fixable with `--fix` (%zu more with `--unsafe-fixes`).\n", safe, unsafe);
  else if (safe)
    fprintf(t->out, "[*] %zu fixable with `--fix`.\n", safe);
  else if (unsafe)
    fprintf(t->out, "No fixes available (%zu with `--unsafe-fixes`).\n", unsafe);
}

static void put_summary(const TextOut *t) {
  OutputSummary s;
  output_summary(t->run, &s);
  char sup[64] = "";
  if (s.suppressed) snprintf(sup, sizeof sup, " (%zu suppressed)", s.suppressed);
  if (s.findings == 0) {
    fprintf(t->out, "No findings in %zu %s%s.\n", s.files, plural(s.files, "file", "files"), sup);
    return;
  }
  fprintf(t->out, "Found %zu %s (%zu %s, %zu %s, %zu %s) in %zu %s%s.\n", s.findings,
          plural(s.findings, "finding", "findings"), s.errors,
          plural(s.errors, "error", "errors"), s.warnings,
          plural(s.warnings, "warning", "warnings"), s.infos,
          plural(s.infos, "info", "infos"), s.files, plural(s.files, "file", "files"), sup);
  put_fixable(t);
}

int output_text(FILE *out, const LintRun *run, const OutputOptions *oo) {
  TextOut t = {out, run, oo->color, oo->unsafe_fixes};
  if (oo->statistics) put_statistics(&t);
  else put_findings(&t, oo->quiet);
  if (!oo->quiet) put_summary(&t);
  return output_finish(out);
}
