/* audit_html.c - the audit report as one self-contained HTML page.
 *
 * No network resource and no script: inline CSS, an inline SVG bar chart of
 * memory by group (the code's templates and the unmatched groups, the
 * biggest first), each bar stacked by (type, encoding): one <rect
 * class="bar"> per group and encoding with bytes, so a test can count them.
 * A Content-Security-Policy forbids everything but the inline style, so even
 * a page that a bug let markup into could load nothing.
 *
 * Key names come from the server and are hostile until proven otherwise:
 * every string the page shows goes through audit_safe_name (for server
 * strings) and html_text (for all), attribute values included. */
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"
#include "output_internal.h"
#include "rule.h"

#define CHART_ROWS 40     /* groups in the chart at most (the rest: a note) */
#define CHART_WIDTH 1100
#define LABEL_WIDTH 300   /* group names, right-aligned before the bars */
#define BAR_WIDTH 640     /* the biggest group's bar */
#define ROW_HEIGHT 22
#define KEY_CUT 120       /* bytes of a key name shown */
#define LABEL_CHARS 44    /* characters of a chart label (the row's full name is its <title>) */

/* s with &, <, >, " and ' as entities: safe in text and in quoted attributes. */
static void html_text(FILE *out, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    case '\'': fputs("&#39;", out); break;
    default: fputc(*s, out);
    }
  }
}

/* The first `max` characters of s (UTF-8), "..." when cut, escaped. */
static void html_cut(FILE *out, const char *s, size_t max) {
  size_t i = 0, chars = 0;
  while (s[i] && chars < max) {
    i++;
    while (((unsigned char)s[i] & 0xC0) == 0x80) i++;
    chars++;
  }
  char *head = xmalloc(i + 4);
  memcpy(head, s, i);
  memcpy(head + i, s[i] ? "..." : "", s[i] ? 4 : 1);
  html_text(out, head);
  free(head);
}

/* A string from the server (version, node address, warning): made safe
 * first, then escaped. */
static void html_server(FILE *out, const char *s) {
  char *safe = audit_safe_name(s ? s : "", s ? strlen(s) : 0, 1000);
  html_text(out, safe);
  free(safe);
}

static void html_key(FILE *out, const KeyStat *k) {
  char *safe = audit_safe_name(k->name, k->name_len, KEY_CUT);
  html_text(out, safe);
  free(safe);
}

/* The colour of an encoding in the chart and its legend. */
static const char *enc_colour(const char *enc) {
  static const struct {
    const char *enc, *colour;
  } COLOURS[] = {
      {"listpack", "#4e79a7"},   {"hashtable", "#e15759"}, {"intset", "#59a14f"},
      {"embstr", "#76b7b2"},     {"raw", "#f28e2b"},       {"int", "#edc948"},
      {"quicklist", "#b07aa1"},  {"skiplist", "#ff9da7"},  {"stream", "#9c755f"},
      {"listpackex", "#86bcb6"}, {"ziplist", "#8cd17d"},   {"linkedlist", "#d4a6c8"},
  };
  for (size_t i = 0; i < sizeof COLOURS / sizeof *COLOURS; i++)
    if (!strcmp(COLOURS[i].enc, enc)) return COLOURS[i].colour;
  return "#bab0ac";
}

static const char STYLE[] =
    "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#222}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}"
    ".meta{color:#555;margin:2px 0}"
    "table{border-collapse:collapse;width:100%;font-size:13px}"
    "th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}"
    "th{background:#f4f4f4}td.n{text-align:right;white-space:nowrap}"
    "code,.k{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}"
    ".legend span{display:inline-block;margin-right:14px}"
    ".sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}"
    ".small{color:#666;font-size:12px}svg text{font:12px system-ui,sans-serif;fill:#222}"
    "li{margin:4px 0}";

static void html_header(FILE *out, const AuditReport *r) {
  const AuditResult *res = r->res;
  char k[48], b[48], s[48];
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">\n<title>redislint audit: ",
        out);
  html_text(out, r->url);
  fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>redislint audit: ", STYLE);
  html_text(out, r->url);
  fputs("</h1>\n<p class=\"meta\">Redis ", out);
  html_server(out, res->server_version[0] ? res->server_version : "?");
  fprintf(out, ", %zu %s%s, %s%s keys, %s%s</p>\n", res->nnodes, res->nnodes == 1 ? "node" : "nodes",
          res->cluster ? " (cluster)" : "", audit_approx(r),
          audit_count((long long)(r->est_keys + 0.5), k, sizeof k), audit_approx(r),
          audit_bytes(r->est_bytes, b, sizeof b));
  if (res->sampled)
    fprintf(out, "<p class=\"meta\">Sampled: %s keys read; numbers marked \xe2\x89\x88 are scaled "
                 "by DBSIZE/keys read on each node.</p>\n",
            audit_count((long long)r->nkeys, s, sizeof s));
  else fputs("<p class=\"meta\">Every key read (not sampled).</p>\n", out);
  if (r->nbytes < r->nkeys)
    fprintf(out, "<p class=\"meta\">%s keys without MEMORY USAGE are left out of the bytes.</p>\n",
            audit_count((long long)(r->nkeys - r->nbytes), s, sizeof s));
}

static void html_chart(FILE *out, const AuditReport *r) {
  size_t rows = r->nrows < CHART_ROWS ? r->nrows : CHART_ROWS;
  double top = 0;
  for (size_t i = 0; i < rows; i++)
    if (r->groups[r->rows[i]].est_bytes > top) top = r->groups[r->rows[i]].est_bytes;
  size_t height = rows * ROW_HEIGHT + 8;
  fputs("<h2>Memory by key template and encoding</h2>\n", out);
  fprintf(out, "<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%zu\" "
               "viewBox=\"0 0 %d %zu\" role=\"img\" aria-label=\"Memory by key template and encoding\">\n",
          CHART_WIDTH, height, CHART_WIDTH, height);
  for (size_t i = 0; i < rows; i++) {
    const AuditGroup *g = &r->groups[r->rows[i]];
    size_t y = i * ROW_HEIGHT + 4;
    fputs("<g class=\"row\"><title>", out);
    html_text(out, g->name);
    fprintf(out, "</title><text x=\"%d\" y=\"%zu\" text-anchor=\"end\">", LABEL_WIDTH - 8, y + 14);
    html_cut(out, g->name, g->tpl ? LABEL_CHARS : LABEL_CHARS - 10);
    fputs(g->tpl ? "" : " (outside)", out);
    fputs("</text>", out);
    double x = LABEL_WIDTH;
    for (size_t e = 0; e < g->nencs; e++) {
      const AuditEnc *en = &g->encs[e];
      if (en->est_bytes <= 0) continue;
      double w = top > 0 ? BAR_WIDTH * en->est_bytes / top : 0;
      if (w < 1) w = 1; /* visible however small */
      char b[48];
      fprintf(out, "<rect class=\"bar\" x=\"%.1f\" y=\"%zu\" width=\"%.1f\" height=\"%d\" fill=\"%s\" "
                   "data-encoding=\"%s/",
              x, y, w, ROW_HEIGHT - 6, enc_colour(en->enc), key_type_name(en->type));
      html_text(out, en->enc);
      fputs("\"><title>", out);
      html_text(out, g->name);
      fprintf(out, ": %s/", key_type_name(en->type));
      html_text(out, en->enc);
      fprintf(out, ", %s%s</title></rect>", audit_approx(r), audit_bytes(en->est_bytes, b, sizeof b));
      x += w;
    }
    char b[48];
    fprintf(out, "<text x=\"%.1f\" y=\"%zu\">%s%s</text></g>\n", x + 6, y + 14, audit_approx(r),
            audit_bytes(g->est_bytes, b, sizeof b));
  }
  fputs("</svg>\n", out);
  if (r->nrows > rows)
    fprintf(out, "<p class=\"small\">%zu smaller groups are in the tables only.</p>\n", r->nrows - rows);
  /* the legend: one swatch per encoding present, in first-seen order */
  fputs("<p class=\"legend\">", out);
  const char *seen[64];
  size_t nseen = 0;
  for (size_t i = 0; i < rows; i++) {
    const AuditGroup *g = &r->groups[r->rows[i]];
    for (size_t e = 0; e < g->nencs && nseen < 64; e++) {
      bool dup = false;
      for (size_t k = 0; k < nseen && !dup; k++) dup = !strcmp(seen[k], g->encs[e].enc);
      if (dup) continue;
      seen[nseen++] = g->encs[e].enc;
      fprintf(out, "<span><span class=\"sw\" style=\"background:%s\"></span>", enc_colour(g->encs[e].enc));
      html_text(out, g->encs[e].enc[0] ? g->encs[e].enc : "?");
      fputs("</span>", out);
    }
  }
  fputs("</p>\n", out);
}

static void html_table(FILE *out, const AuditReport *r, bool templates) {
  bool head = false;
  for (size_t i = 0; i < r->nrows; i++) {
    const AuditGroup *g = &r->groups[r->rows[i]];
    if ((g->tpl != NULL) != templates) continue;
    if (!head) {
      fputs(templates ? "<h2>Key templates of the code</h2>\n"
                      : "<h2>Written by code outside these paths</h2>\n",
            out);
      fprintf(out, "<table>\n<tr><th>%s</th><th>type</th><th>keys</th><th>bytes</th><th>share</th>"
                   "<th>p50</th><th>p99</th><th>max</th><th>TTL</th><th>encodings</th>"
                   "<th>biggest keys</th><th>where</th></tr>\n",
              templates ? "template" : "group");
      head = true;
    }
    AuditCells c;
    audit_cells(r, g, &c);
    fputs("<tr><td class=\"k\">", out);
    html_text(out, g->name);
    fputs("</td><td>", out);
    html_text(out, c.types);
    fprintf(out, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                 "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                 "<td class=\"n\">%s</td><td>",
            c.keys, c.bytes, c.share, c.p50, c.p99, c.max, c.ttl);
    html_text(out, c.enc);
    if (c.unknown[0]) {
      fputs("<br><span class=\"small\">", out);
      html_text(out, c.unknown);
      fputs("</span>", out);
    }
    fputs("</td><td>", out);
    for (size_t k = 0; k < g->ntop; k++) {
      const KeyStat *ks = &r->res->keys[g->top[k]];
      char b[48];
      fputs(k ? "<br><span class=\"k\">" : "<span class=\"k\">", out);
      html_key(out, ks);
      fprintf(out, "</span> (%s)", audit_bytes((double)ks->bytes, b, sizeof b));
    }
    fputs("</td><td>", out);
    html_text(out, c.where);
    if (g->node_keys) {
      for (size_t n = 0; n < r->res->nnodes; n++) {
        char k[48], b[48];
        fputs("<br><span class=\"small\">", out);
        html_server(out, r->res->nodes[n].addr);
        fprintf(out, ": %s keys, %s</span>", audit_count((long long)g->node_keys[n], k, sizeof k),
                audit_bytes((double)g->node_bytes[n], b, sizeof b));
      }
    }
    fputs("</td></tr>\n", out);
  }
  if (head) fputs("</table>\n", out);
}

static void html_findings(FILE *out, const AuditReport *r) {
  bool head = false;
  for (size_t i = 0; r->run && i < r->run->nfiles; i++) {
    const FileResult *fr = &r->run->files[i];
    for (size_t j = 0; j < fr->nfindings; j++) {
      const Finding *f = &fr->findings[j];
      if (!audit_rule_measured(f)) continue;
      if (!head) fputs("<h2>Findings against the data</h2>\n<ul>\n", out);
      head = true;
      Position p = source_position(&fr->src, f->start);
      fputs("<li><code>", out);
      html_text(out, fr->src.path);
      fprintf(out, ":%u:%u</code> <b>%s</b> ", p.line, p.column, output_code(f));
      html_text(out, output_slug(f));
      fputs(": ", out);
      html_text(out, f->message ? f->message : "");
      fputs("</li>\n", out);
    }
  }
  if (head) fputs("</ul>\n", out);
}

static void html_warnings(FILE *out, const AuditReport *r) {
  const AuditResult *res = r->res;
  bool any = res->error || res->nwarnings;
  for (size_t i = 0; i < res->nnodes; i++) any |= res->nodes[i].error != NULL;
  if (!any) return;
  fputs("<h2>Warnings</h2>\n<ul>\n", out);
  if (res->error) {
    fputs("<li>error: ", out);
    html_server(out, res->error);
    fputs("</li>\n", out);
  }
  for (size_t i = 0; i < res->nnodes; i++)
    if (res->nodes[i].error) {
      fputs("<li>", out);
      html_server(out, res->nodes[i].addr);
      fputs(": ", out);
      html_server(out, res->nodes[i].error);
      fputs("</li>\n", out);
    }
  for (size_t i = 0; i < res->nwarnings; i++) {
    fputs("<li>", out);
    html_server(out, res->warnings[i]);
    fputs("</li>\n", out);
  }
  fputs("</ul>\n", out);
}

int audit_write_html(FILE *out, const AuditReport *r) {
  html_header(out, r);
  html_chart(out, r);
  html_table(out, r, true);
  html_table(out, r, false);
  size_t unseen = 0;
  for (size_t t = 0; t < r->ntpl; t++) {
    if (r->groups[t].nkeys) continue;
    fputs(unseen++ ? ", <code>" : "<h2>Templates of the code not seen in the data</h2>\n<p><code>", out);
    html_text(out, r->groups[t].name);
    fputs("</code>", out);
  }
  if (unseen) fputs("</p>\n", out);
  html_findings(out, r);
  html_warnings(out, r);
  fputs("</body>\n</html>\n", out);
  return ferror(out) ? -1 : 0;
}
