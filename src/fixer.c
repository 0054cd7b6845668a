/* fixer.c - applying fixes in passes (see fixer.h). */
#include "fixer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tree_sitter/api.h>

#include "arena.h"
#include "dl_git.h"
#include "fsutil.h"
#include "model.h"
#include "rule.h"

#define MAX_PASSES 10

typedef struct Applied {
  const Rule *rule;
  char *message;  /* of the finding the fix belongs to (owned) */
  char *title;    /* the fix's title (owned) */
  char *span;     /* the flagged code before the fix (owned) */
  uint32_t start; /* where that finding starts in the new text */
  unsigned line;  /* its line in the old text, for reports */
} Applied;

typedef struct Bad { /* fixes never to apply again */
  size_t file;
  const Rule *rule;
  char *message;
  char *span; /* the flagged code: identical messages on other lines stay fixable */
} Bad;

typedef struct FileFix {
  char *orig;     /* the file as first read (raw bytes) */
  size_t orig_len;
  char *cur;      /* current content (raw bytes, in the file's encoding) */
  size_t cur_len;
  bool changed;
  bool had_errors; /* the original did not parse cleanly: no syntax check */
  bool encoded;    /* the file declares an encoding other than UTF-8 */
  bool no_fixes;   /* ... whose bytes do not convert back unchanged: never fixed */
  size_t napplied; /* fixes kept in cur, over all passes */
} FileFix;

typedef struct Fixer {
  const FileList *files;
  const Options *opt;
  const FixerOptions *fo;
  char *stdin_buf;
  size_t stdin_len;
  const char *stdin_name;
  FileFix *ff;
  size_t n;
  Bad *bad;
  size_t nbad, capbad;
  Diags bugs;
  TSParser *parser;
} Fixer;

static bool same_span(const Source *src, const Finding *f, const char *span) {
  size_t n = f->end > f->start && f->end <= src->len ? f->end - f->start : 0;
  return strlen(span) == n && !memcmp(src->text + f->start, span, n);
}

static bool is_bad(const Fixer *fx, size_t file, const Source *src, const Finding *f) {
  for (size_t i = 0; i < fx->nbad; i++)
    if (fx->bad[i].file == file && fx->bad[i].rule == f->rule &&
        !strcmp(fx->bad[i].message, f->message) && same_span(src, f, fx->bad[i].span))
      return true;
  return false;
}

static void add_bad(Fixer *fx, size_t file, const Rule *rule, const char *message,
                    const char *span, size_t span_len) {
  if (fx->nbad == fx->capbad)
    fx->bad = xrealloc(fx->bad, (fx->capbad = fx->capbad ? fx->capbad * 2 : 8) * sizeof *fx->bad);
  char *sp = xmalloc(span_len + 1);
  memcpy(sp, span, span_len);
  sp[span_len] = '\0';
  fx->bad[fx->nbad++] = (Bad){file, rule, xstrdup(message), sp};
}

static void add_bad_finding(Fixer *fx, size_t file, const Source *src, const Finding *f) {
  size_t n = f->end > f->start && f->end <= src->len ? f->end - f->start : 0;
  add_bad(fx, file, f->rule, f->message, src->text + f->start, n);
}

static bool parses_cleanly(Fixer *fx, const char *buf, size_t len) {
  TSTree *t = ts_parser_parse_string(fx->parser, NULL, buf, (uint32_t)len);
  bool ok = t && !ts_node_has_error(ts_tree_root_node(t));
  if (t) ts_tree_delete(t);
  return ok;
}

/* ---------------------------------------------------------------- edits */

typedef struct Ed {
  uint32_t start, end;
  const char *text;
} Ed;

static int cmp_ed_desc(const void *a, const void *b) {
  const Ed *x = a, *y = b;
  if (x->start != y->start) return x->start > y->start ? -1 : 1;
  if (x->end != y->end) return x->end > y->end ? -1 : 1;
  return 0;
}

static bool overlaps(const Ed *a, const Ed *b) {
  if (a->start == a->end && b->start == b->end) return a->start == b->start;
  return a->start < b->end && b->start < a->end;
}

/* Does the file end its lines with CRLF (its first line break decides)? */
static bool uses_crlf(const char *buf, size_t len) {
  const char *nl = memchr(buf, '\n', len);
  return nl && nl > buf && nl[-1] == '\r';
}

/* Applies edits (offsets in text) to text. Returns a malloc'ed buffer. */
static char *apply(const char *text, size_t text_len, Ed *eds, size_t ne, bool crlf,
                   size_t *out_len) {
  qsort(eds, ne, sizeof *eds, cmp_ed_desc);
  size_t cap = text_len + 1;
  for (size_t i = 0; i < ne; i++) cap += 2 * strlen(eds[i].text) + 1;
  char *out = xmalloc(cap);
  /* build front to back: edits in ascending order */
  size_t o = 0, at = 0;
  for (size_t k = ne; k-- > 0;) {
    size_t s = eds[k].start, e = eds[k].end;
    if (s < at || e > text_len || s > e) continue; /* cannot happen for chosen edits */
    memcpy(out + o, text + at, s - at);
    o += s - at;
    for (const char *t = eds[k].text; *t; t++) {
      if (*t == '\n' && crlf && (t == eds[k].text || t[-1] != '\r')) out[o++] = '\r';
      out[o++] = *t;
    }
    at = e;
  }
  memcpy(out + o, text + at, text_len - at);
  o += text_len - at;
  *out_len = o;
  return out;
}

/* The fixes of one file chosen for this pass: applicable, not known bad,
 * not overlapping one chosen before (by position). */
static size_t choose(Fixer *fx, size_t file, const FileResult *fr, const Finding **out) {
  size_t n = 0;
  Ed *taken = NULL;
  size_t nt = 0, capt = 0;
  for (size_t k = 0; k < fr->nfindings; k++) {
    const Finding *f = &fr->findings[k];
    if (f->fix.applicability < fx->fo->min || !f->fix.nedits || is_bad(fx, file, &fr->src, f))
      continue;
    bool clash = false;
    for (size_t e = 0; e < f->fix.nedits && !clash; e++) {
      Ed a = {f->fix.edits[e].start, f->fix.edits[e].end, f->fix.edits[e].text};
      if (a.end > fr->src.len || a.start > a.end) clash = true;
      for (size_t t = 0; t < nt && !clash; t++) clash = overlaps(&a, &taken[t]);
      for (size_t e2 = 0; e2 < e && !clash; e2++) { /* the fix's own edits */
        Ed b = {f->fix.edits[e2].start, f->fix.edits[e2].end, f->fix.edits[e2].text};
        clash = overlaps(&a, &b);
      }
    }
    if (clash) continue; /* retried next pass */
    for (size_t e = 0; e < f->fix.nedits; e++) {
      if (nt == capt) taken = xrealloc(taken, (capt = capt ? capt * 2 : 16) * sizeof *taken);
      taken[nt++] = (Ed){f->fix.edits[e].start, f->fix.edits[e].end, f->fix.edits[e].text};
    }
    out[n++] = f;
  }
  free(taken);
  return n;
}

static char *span_dup(const Source *src, const Finding *f) {
  size_t n = f->end > f->start && f->end <= src->len ? f->end - f->start : 0;
  char *s = xmalloc(n + 1);
  memcpy(s, src->text + f->start, n);
  s[n] = '\0';
  return s;
}

/* Applies the chosen fixes to the file's current text (UTF-8, no BOM). */
static char *apply_fixes(const FileResult *fr, const Finding *const *fs, size_t n, bool crlf,
                         size_t *len) {
  size_t ne = 0;
  for (size_t i = 0; i < n; i++) ne += fs[i]->fix.nedits;
  Ed *eds = xmalloc((ne ? ne : 1) * sizeof *eds);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t e = 0; e < fs[i]->fix.nedits; e++)
      eds[k++] = (Ed){fs[i]->fix.edits[e].start, fs[i]->fix.edits[e].end, fs[i]->fix.edits[e].text};
  char *out = apply(fr->src.text, fr->src.len, eds, ne, crlf, len);
  free(eds);
  return out;
}

typedef enum { TRY_OK, TRY_PARSE, TRY_ENCODE } TryResult;

/* The chosen fixes applied: the new text must parse (unless the original
 * did not) and the file's encoding must represent it. TRY_OK: *bytes holds
 * the file's new content (malloc'ed), in its encoding. TRY_ENCODE: *cp is
 * the code point that the encoding lacks. */
static TryResult try_fixes(Fixer *fx, const FileResult *fr, const FileFix *ff,
                           const Finding *const *fs, size_t n, bool crlf, char **bytes,
                           size_t *len, uint32_t *cp) {
  size_t tl, bad;
  char *text = apply_fixes(fr, fs, n, crlf, &tl);
  *bytes = NULL;
  if (!ff->had_errors && !parses_cleanly(fx, text, tl)) {
    free(text);
    return TRY_PARSE;
  }
  int rc = source_encode(&fr->src, text, tl, bytes, len, &bad);
  if (rc != 0) {
    const unsigned char *u = (const unsigned char *)text + bad;
    *cp = bad >= tl ? 0 : u[0] < 0xE0 ? (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F)
          : u[0] < 0xF0 ? (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F)
                        : (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
                              (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
  }
  free(text);
  return rc == 0 ? TRY_OK : TRY_ENCODE;
}

/* Does the file's text convert back into exactly its bytes? (The fixes of
 * a file in another encoding change only their spans.) */
static bool round_trips(const Source *src) {
  char *back;
  size_t n, bad;
  if (source_encode(src, src->text, src->len, &back, &n, &bad) != 0) return false;
  bool same = n == src->raw_len && !memcmp(back, src->raw, n);
  free(back);
  return same;
}

/* Where a finding that started at `start` starts after the edits of the
 * chosen fixes: shifted by the edits that end before it. */
static uint32_t shifted(uint32_t start, const Finding *const *fs, size_t n, bool crlf) {
  int64_t d = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t e = 0; e < fs[i]->fix.nedits; e++) {
      const Edit *ed = &fs[i]->fix.edits[e];
      if (ed->end > start || (ed->start == ed->end && ed->start == start)) continue;
      int64_t ins = (int64_t)strlen(ed->text);
      if (crlf)
        for (const char *t = ed->text; *t; t++) ins += *t == '\n' && (t == ed->text || t[-1] != '\r');
      d += ins - (int64_t)(ed->end - ed->start);
    }
  return (uint32_t)((int64_t)start + d);
}

/* ---------------------------------------------------------------- passes */

static void relint(Fixer *fx, LintRun *run) {
  SourceOverride *ov = xcalloc(fx->n ? fx->n : 1, sizeof *ov);
  size_t nov = 0;
  for (size_t i = 0; i < fx->n; i++)
    if (fx->ff[i].changed)
      ov[nov++] = (SourceOverride){fx->files->paths[i], fx->ff[i].cur, fx->ff[i].cur_len};
  Options o = *fx->opt;
  o.overrides = ov;
  o.noverrides = nov;
  lint_run_free(run);
  lint_run(run, fx->files, &o, fx->stdin_buf, fx->stdin_len, fx->stdin_name);
  if (fx->fo->filter) fx->fo->filter(run, fx->fo->filter_data);
  free(ov);
}

static void report_bug(Fixer *fx, size_t file, const Rule *rule, unsigned line, const char *why) {
  diags_add(&fx->bugs, DIAG_WARNING, fx->files->paths[file], line,
            "the fix of %s at line %u was not applied: %s (a bug in redislint's rule: please "
            "report it)",
            rule->code, line, why);
}

static const char *shown_path(const Fixer *fx, size_t file) {
  return strcmp(fx->files->paths[file], "-") ? fx->files->paths[file] : fx->stdin_name;
}

/* One pass over every file. Returns the number of fixes applied; *retry is
 * set when a file's pass was reverted (its good fixes get another pass). */
static size_t pass(Fixer *fx, LintRun *run, FixerStats *st, bool *retry) {
  *retry = false;
  size_t nf = run->nfiles;
  Applied **applied = xcalloc(nf ? nf : 1, sizeof *applied);
  size_t *napplied = xcalloc(nf ? nf : 1, sizeof *napplied);
  char **prev = xcalloc(nf ? nf : 1, sizeof *prev);
  size_t *prev_len = xcalloc(nf ? nf : 1, sizeof *prev_len);
  bool *prev_changed = xcalloc(nf ? nf : 1, sizeof *prev_changed);
  size_t total = 0;
  for (size_t i = 0; i < nf; i++) {
    const FileResult *fr = &run->files[i];
    FileFix *ff = &fx->ff[i];
    if (!fr->loaded || !fr->nfindings || !fr->src.raw) continue;
    if (!ff->orig) {
      ff->orig = xmalloc(fr->src.raw_len + 1);
      memcpy(ff->orig, fr->src.raw, fr->src.raw_len);
      ff->orig_len = fr->src.raw_len;
      ff->had_errors = fr->parse_errors;
      ff->encoded = fr->src.encoding != NULL;
      if (ff->encoded && !round_trips(&fr->src)) {
        ff->no_fixes = true;
        diags_add(&fx->bugs, DIAG_WARNING, shown_path(fx, i), 0,
                  "fixes not applied: its text does not convert back into the same %s bytes",
                  fr->src.encoding);
      }
    }
    if (ff->no_fixes) continue;
    const Finding **fs = xmalloc(fr->nfindings * sizeof *fs);
    size_t n = choose(fx, i, fr, fs);
    if (!n) {
      free(fs);
      continue;
    }
    bool crlf = uses_crlf(fr->src.text, fr->src.len);
    size_t len;
    uint32_t cp;
    char *out;
    if (try_fixes(fx, fr, ff, fs, n, crlf, &out, &len, &cp) != TRY_OK) {
      /* find the culprits one by one; keep the fixes that work alone */
      size_t keep = 0;
      for (size_t k = 0; k < n; k++) {
        size_t l1;
        char *one;
        unsigned line = source_position(&fr->src, fs[k]->start).line;
        TryResult tr = try_fixes(fx, fr, ff, &fs[k], 1, crlf, &one, &l1, &cp);
        if (tr == TRY_OK) {
          fs[keep++] = fs[k];
        } else if (tr == TRY_PARSE) {
          report_bug(fx, i, fs[k]->rule, line, "the result does not parse");
          add_bad_finding(fx, i, &fr->src, fs[k]);
          st->bugs++;
        } else { /* not a bug: the file's encoding is too small for the fix */
          diags_add(&fx->bugs, DIAG_WARNING, shown_path(fx, i), line,
                    "the fix of %s at line %u was not applied: it writes U+%04X, which %s "
                    "cannot encode",
                    fs[k]->rule->code, line, (unsigned)cp, fr->src.encoding);
          add_bad_finding(fx, i, &fr->src, fs[k]);
        }
        free(one);
      }
      n = keep;
      if (n && try_fixes(fx, fr, ff, fs, n, crlf, &out, &len, &cp) != TRY_OK) {
        /* fine alone, broken together: next pass */
        n = 1;
        if (try_fixes(fx, fr, ff, fs, 1, crlf, &out, &len, &cp) != TRY_OK) n = 0;
      }
    }
    if (n && out) {
      prev[i] = ff->cur;
      prev_len[i] = ff->cur_len;
      prev_changed[i] = ff->changed;
      ff->cur = out;
      ff->cur_len = len;
      ff->changed = true;
      applied[i] = xcalloc(n, sizeof(Applied));
      for (size_t k = 0; k < n; k++)
        applied[i][k] = (Applied){fs[k]->rule,
                                  xstrdup(fs[k]->message),
                                  xstrdup(fs[k]->fix.title),
                                  span_dup(&fr->src, fs[k]),
                                  shifted(fs[k]->start, fs, n, crlf),
                                  source_position(&fr->src, fs[k]->start).line};
      napplied[i] = n;
      total += n;
    } else {
      free(out);
    }
    free(fs);
  }
  if (total) {
    relint(fx, run);
    /* a fix whose finding is still there did not do its job: revert the
     * file's pass, remember the fix as bad, lint again */
    bool reverted = false;
    for (size_t i = 0; i < nf; i++) {
      bool file_bad = false;
      for (size_t k = 0; k < napplied[i]; k++) {
        const Applied *a = &applied[i][k];
        const FileResult *fr = &run->files[i];
        for (size_t j = 0; j < fr->nfindings; j++) {
          const Finding *f = &fr->findings[j];
          if (f->rule == a->rule && f->start == a->start && !strcmp(f->message, a->message)) {
            report_bug(fx, i, a->rule, a->line, "its finding is still reported after the fix");
            /* keyed by the code it flags in the reverted (original) text */
            add_bad(fx, i, a->rule, a->message, a->span, strlen(a->span));
            st->bugs++;
            file_bad = true;
            break;
          }
        }
      }
      if (file_bad) {
        free(fx->ff[i].cur);
        fx->ff[i].cur = prev[i];
        fx->ff[i].cur_len = prev_len[i];
        fx->ff[i].changed = prev_changed[i];
        prev[i] = NULL;
        total -= napplied[i];
        for (size_t k = 0; k < napplied[i]; k++) {
          free(applied[i][k].message);
          free(applied[i][k].title);
          free(applied[i][k].span);
        }
        napplied[i] = 0;
        reverted = true;
      }
    }
    if (reverted) {
      relint(fx, run);
      *retry = true;
    }
    for (size_t i = 0; i < nf; i++) fx->ff[i].napplied += napplied[i];
    if (fx->fo->show)
      for (size_t i = 0; i < nf; i++)
        for (size_t k = 0; k < napplied[i]; k++)
            fprintf(fx->fo->show, "%s:%u: %s fixed: %s\n",
                      strcmp(fx->files->paths[i], "-") ? fx->files->paths[i] : fx->stdin_name,
                      applied[i][k].line, applied[i][k].rule->code, applied[i][k].title);
  }
  for (size_t i = 0; i < nf; i++) {
    for (size_t k = 0; k < napplied[i]; k++) {
      free(applied[i][k].message);
      free(applied[i][k].title);
      free(applied[i][k].span);
    }
    free(applied[i]);
    free(prev[i]);
  }
  free(applied);
  free(napplied);
  free(prev);
  free(prev_len);
  free(prev_changed);
  return total;
}

/* ---------------------------------------------------------------- output */

/* A copy of bytes of a file in another encoding, as UTF-8 text (in *src). */
static bool decode_copy(Source *src, const char *bytes, size_t len, const char *path) {
  char *copy = xmalloc(len + 1);
  memcpy(copy, bytes, len);
  Diags quiet = {0}; /* both versions were decoded before */
  bool ok = source_from_buffer(src, copy, len, path, &quiet) == 0;
  diags_free(&quiet);
  return ok;
}

/* The diff is for a terminal: a file in another encoding is shown in UTF-8
 * (what --fix writes is in the file's own encoding). */
static void print_diff(FILE *out, const char *path, const FileFix *ff) {
  const char *a = ff->orig, *b = ff->cur;
  size_t alen = ff->orig_len, blen = ff->cur_len;
  Source sa, sb;
  bool decoded = ff->encoded && decode_copy(&sa, a, alen, path);
  if (decoded && !decode_copy(&sb, b, blen, path)) {
    source_free(&sa);
    decoded = false;
  }
  if (decoded) {
    a = sa.text, alen = sa.len;
    b = sb.text, blen = sb.len;
  }
  git_patch *patch = NULL;
  git_diff_options o;
  git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
  o.context_lines = 3;
  git_buf buf = {0};
  if (git_patch_from_buffers(&patch, a, alen, path, b, blen, path, &o) == 0 &&
      git_patch_to_buf(&buf, patch) == 0) {
    /* drop git's "diff --git" line: a plain unified diff */
    const char *p = buf.ptr;
    if (!strncmp(p, "diff --git ", 11)) {
      const char *nl = strchr(p, '\n');
      p = nl ? nl + 1 : p;
    }
    fputs(p, out);
  }
  git_buf_dispose(&buf);
  git_patch_free(patch); /* it points into the buffers: they go after it */
  if (decoded) {
    source_free(&sa);
    source_free(&sb);
  }
}

/* Writes the new content over path, atomically; false with *why set. */
static bool write_atomic(const char *path, const FileFix *ff, const char **why) {
  char target[8192];
  struct stat st;
  if (lstat(path, &st) != 0) {
    *why = "it was deleted during the run";
    return false;
  }
  if (S_ISLNK(st.st_mode)) {
    /* write the file at the end of the chain (a -> b -> c: c), keep every link */
    char *real = realpath(path, NULL);
    if (!real || stat(real, &st) != 0) {
      free(real);
      *why = "its symbolic link points nowhere";
      return false;
    }
    if (strlen(real) >= sizeof target) {
      free(real);
      *why = "its path is too long";
      return false;
    }
    memcpy(target, real, strlen(real) + 1);
    free(real);
  } else {
    snprintf(target, sizeof target, "%s", path);
  }
  /* no write permission, or no write bit at all (root could write it, but
   * the owner marked it read-only) */
  if (access(target, W_OK) != 0 || !(st.st_mode & 0222)) {
    *why = "it is read-only";
    return false;
  }
  /* the compare with what was read happens at the last moment, under a
   * lock; owner, attributes and hard links are kept (fsutil.h) */
  return fs_replace(target, ff->cur, ff->cur_len, ff->orig, ff->orig_len, why) == 0;
}

void fixer_run(LintRun *run, const FileList *files, const Options *opt, char *stdin_buf,
               size_t stdin_len, const char *stdin_name, const FixerOptions *fo,
               FixerStats *st) {
  memset(st, 0, sizeof *st);
  Fixer fx;
  memset(&fx, 0, sizeof fx);
  fx.files = files;
  fx.opt = opt;
  fx.fo = fo;
  fx.stdin_buf = stdin_buf;
  fx.stdin_len = stdin_len;
  fx.stdin_name = stdin_name;
  fx.n = run->nfiles;
  fx.ff = xcalloc(fx.n ? fx.n : 1, sizeof *fx.ff);
  fx.parser = ts_parser_new();
  ts_parser_set_language(fx.parser, tree_sitter_python());
  for (int p = 0; p < MAX_PASSES; p++) {
    bool retry;
    size_t n = pass(&fx, run, st, &retry);
    st->applied += n;
    if (!n && !retry) break;
  }
  /* libgit2 only diffs: a run that prints no diff does not load it */
  char gitwhy[512];
  bool git = fo->diff && dynlib_git(gitwhy, sizeof gitwhy);
  if (fo->diff && !git) diags_add(&fx.bugs, DIAG_ERROR, NULL, 0, "--diff: %s", gitwhy);
  if (git) git_libgit2_init();
  bool rerun = false;
  for (size_t i = 0; i < fx.n; i++) {
    FileFix *ff = &fx.ff[i];
    const char *path = files->paths[i];
    bool is_stdin = !strcmp(path, "-");
    if (is_stdin && fo->stdout_fixed) {
      if (ff->changed) fwrite(ff->cur, 1, ff->cur_len, fo->stdout_fixed);
      else if (stdin_buf) fwrite(stdin_buf, 1, stdin_len, fo->stdout_fixed);
    }
    if (!ff->changed || (ff->cur_len == ff->orig_len && !memcmp(ff->cur, ff->orig, ff->orig_len)))
      continue;
    st->files_changed++;
    const char *shown = is_stdin ? stdin_name : path;
    if (git) print_diff(fo->diff, shown, ff);
    if (!fo->write || is_stdin) continue;
    const char *why = NULL;
    if (!write_atomic(path, ff, &why)) {
      diags_add(&fx.bugs, DIAG_ERROR, path, 0, "fixes not written: %s", why);
      st->write_errors++;
      /* the summary counts what reached the disk */
      st->applied -= ff->napplied < st->applied ? ff->napplied : st->applied;
      st->unwritten += ff->napplied;
      st->files_changed--;
      ff->changed = false; /* the run reports the file as it is on disk */
      rerun = true;
    }
  }
  if (git) git_libgit2_shutdown();
  if (rerun) relint(&fx, run);
  diags_move(&run->diags, &fx.bugs);
  for (size_t i = 0; i < fx.n; i++) {
    free(fx.ff[i].orig);
    free(fx.ff[i].cur);
  }
  for (size_t i = 0; i < fx.nbad; i++) {
    free(fx.bad[i].message);
    free(fx.bad[i].span);
  }
  free(fx.bad);
  free(fx.ff);
  diags_free(&fx.bugs);
  ts_parser_delete(fx.parser);
}
