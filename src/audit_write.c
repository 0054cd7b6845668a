/* audit_write.c - the audit report as text and as JSON.
 *
 * Text: a header (server, version, nodes, keys, bytes, sampled or not), one
 * table of the code's templates by memory, the groups of keys no template
 * matches after it, the templates not seen in the data, then the findings
 * with their measured evidence and the scan's warnings.
 *
 * JSON: the same, built with cJSON (the project's rule for every JSON write);
 * the schema is docs/audit-json.md (version 1). Numbers are exact counts and
 * bytes; with a sampled scan, the *_estimate fields carry the scaled totals.
 *
 * Both are deterministic: no clock, rows in a total order, keys named by the
 * server shown through audit_safe_name (escaped and cut). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"
#include "commands.h"
#include "output_internal.h"
#include "rule.h"

#define JSON_VERSION 1
#define NAME_WIDTH 40    /* columns of the TEMPLATE column at most */
#define ENC_WIDTH 40     /* columns of the ENCODINGS column at most */
#define KEY_CUT_TEXT 60  /* bytes of a key name shown in text */
#define KEY_CUT_JSON 256 /* ... in JSON and HTML */

#ifndef REDISLINT_VERSION
#define REDISLINT_VERSION "0.0.0"
#endif

const char *audit_approx(const AuditReport *r) { return audit_estimated(r) ? "\xe2\x89\x88" : ""; }

/* A string from the server (version, address, warning), safe to print. */
static void put_server(FILE *out, const char *s) {
  char *safe = audit_safe_name(s ? s : "?", s ? strlen(s) : 1, 1000);
  fputs(safe, out);
  free(safe);
}

static cJSON *json_server_string(const char *s) {
  char *safe = audit_safe_name(s ? s : "", s ? strlen(s) : 0, 1000);
  cJSON *j = cJSON_CreateString(safe);
  free(safe);
  return j;
}

/* ---- cells -------------------------------------------------------------- */

static void where_cell(const AuditReport *r, const AuditGroup *g, char *buf, size_t size) {
  buf[0] = '\0';
  if (!g->tpl) {
    snprintf(buf, size, "outside these paths");
    return;
  }
  size_t writes = 0, shown = 0;
  const KeyRef *first = NULL;
  for (size_t i = g->first_ref; i < g->first_ref + g->nrefs; i++) {
    const KeyRef *k = &r->refs[i];
    if (!(k->use->cmd_flags & CMD_WRITE)) continue;
    if (!writes++) first = k;
  }
  bool read_only = !first;
  if (!first) first = &r->refs[g->first_ref];
  Position p = source_position(&first->file->src, first->use->start);
  size_t o = (size_t)snprintf(buf, size, "%s:%u %s", first->file->src.path, p.line, first->use->command);
  shown = 1;
  size_t more = (read_only ? g->nrefs : writes) - shown;
  if (o < size && more) o += (size_t)snprintf(buf + o, size - o, " (+%zu)", more);
  if (o < size && read_only) snprintf(buf + o, size - o, " (read only)");
}

void audit_cells(const AuditReport *r, const AuditGroup *g, AuditCells *c) {
  memset(c, 0, sizeof *c);
  char n[48];
  const char *ap = audit_approx(r);
  snprintf(c->keys, sizeof c->keys, "%s%s", ap, audit_count((long long)(g->est_keys + 0.5), n, sizeof n));
  snprintf(c->bytes, sizeof c->bytes, "%s%s", g->nbytes ? ap : "", g->nbytes ? audit_bytes(g->est_bytes, n, sizeof n) : "?");
  snprintf(c->share, sizeof c->share, "%.1f%%", audit_pct(g->est_bytes, r->est_bytes));
  if (g->p50 >= 0) {
    audit_bytes((double)g->p50, c->p50, sizeof c->p50);
    audit_bytes((double)g->p99, c->p99, sizeof c->p99);
    audit_bytes((double)g->max, c->max, sizeof c->max);
  } else {
    snprintf(c->p50, sizeof c->p50, "?");
    snprintf(c->p99, sizeof c->p99, "?");
    snprintf(c->max, sizeof c->max, "?");
  }
  snprintf(c->ttl, sizeof c->ttl, "%.0f%%", audit_pct((double)g->with_ttl, (double)g->nkeys));
  audit_types(g, c->types, sizeof c->types);
  audit_encodings(g, c->enc, sizeof c->enc);
  where_cell(r, g, c->where, sizeof c->where);
  if (g->nbytes < g->nkeys)
    snprintf(c->unknown, sizeof c->unknown, "%s of %s keys without MEMORY USAGE",
             audit_count((long long)(g->nkeys - g->nbytes), n, sizeof n),
             audit_count((long long)g->nkeys, n + 24, sizeof n - 24));
}

/* ---- text ----------------------------------------------------------------- */

/* Columns (code points) of a UTF-8 string. */
static size_t width(const char *s) {
  size_t w = 0;
  for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
  return w;
}

/* s padded (or cut, with "...") to w columns. */
static void cell(FILE *out, const char *s, size_t w, bool right) {
  size_t n = width(s);
  if (n > w) {
    size_t cols = 0, i = 0;
    while (s[i] && cols < w - 3) {
      i++;
      while (((unsigned char)s[i] & 0xC0) == 0x80) i++;
      cols++;
    }
    fprintf(out, "%.*s...", (int)i, s);
    return;
  }
  if (right) fprintf(out, "%*s%s", (int)(w - n), "", s);
  else fprintf(out, "%s%*s", s, (int)(w - n), "");
}

typedef struct Widths {
  size_t name, enc;
} Widths;

static void text_head(FILE *out, const Widths *w, const char *first) {
  cell(out, first, w->name, false);
  fprintf(out, "  %-13s %10s %11s %6s %10s %10s %5s  ", "TYPE", "KEYS", "BYTES", "SHARE", "P50", "P99", "TTL");
  cell(out, "ENCODINGS", w->enc, false);
  fprintf(out, "  WHERE\n");
}

static void text_row(FILE *out, const AuditReport *r, const AuditGroup *g, const Widths *w) {
  AuditCells c;
  audit_cells(r, g, &c);
  cell(out, g->name, w->name, false);
  fputs("  ", out);
  cell(out, c.types, 13, false);
  fputc(' ', out);
  cell(out, c.keys, 10, true);
  fputc(' ', out);
  cell(out, c.bytes, 11, true);
  fprintf(out, " %6s %10s %10s %5s  ", c.share, c.p50, c.p99, c.ttl);
  cell(out, c.enc, w->enc, false);
  fprintf(out, "  %s\n", c.where);
  if (g->ntop) {
    fputs("    biggest:", out);
    for (size_t i = 0; i < g->ntop; i++) {
      const KeyStat *k = &r->res->keys[g->top[i]];
      char *name = audit_safe_name(k->name, k->name_len, KEY_CUT_TEXT), b[48];
      fprintf(out, "%s %s (%s)", i ? "," : "", name, audit_bytes((double)k->bytes, b, sizeof b));
      free(name);
    }
    fputc('\n', out);
  }
  if (c.unknown[0]) fprintf(out, "    bytes: %s\n", c.unknown);
  if (g->node_keys) {
    fputs("    nodes:", out);
    for (size_t i = 0; i < r->res->nnodes; i++) {
      char n[48], b[48];
      fputs(i ? ", " : " ", out);
      put_server(out, r->res->nodes[i].addr);
      fprintf(out, " %s (%s)", audit_count((long long)g->node_keys[i], n, sizeof n),
              audit_bytes((double)g->node_bytes[i], b, sizeof b));
    }
    fputc('\n', out);
  }
}

static void text_header(FILE *out, const AuditReport *r) {
  const AuditResult *res = r->res;
  char k[48], b[48], s[48], d[48];
  long long dbsize = 0;
  for (size_t i = 0; i < res->nnodes; i++) dbsize += res->nodes[i].dbsize;
  fprintf(out, "redislint audit of %s: Redis ", r->url);
  put_server(out, res->server_version[0] ? res->server_version : "?");
  fprintf(out, ", %zu %s%s, %s%s keys, %s%s\n", res->nnodes,
          res->nnodes == 1 ? "node" : "nodes", res->cluster ? " (cluster)" : "", audit_approx(r),
          audit_count((long long)(r->est_keys + 0.5), k, sizeof k), audit_approx(r),
          audit_bytes(r->est_bytes, b, sizeof b));
  if (res->sampled)
    fprintf(out, "sampled: %s keys read of %s (DBSIZE); numbers marked \xe2\x89\x88 are scaled by "
                 "DBSIZE/keys read on each node\n",
            audit_count((long long)r->nkeys, s, sizeof s), audit_count(dbsize, d, sizeof d));
  else fprintf(out, "every key read (not sampled)\n");
  if (r->nbytes < r->nkeys)
    fprintf(out, "%s keys without MEMORY USAGE are left out of the bytes\n",
            audit_count((long long)(r->nkeys - r->nbytes), s, sizeof s));
  if (r->gone) fprintf(out, "%s keys were deleted during the scan and are left out\n",
                       audit_count((long long)r->gone, s, sizeof s));
}

static void text_findings(FILE *out, const AuditReport *r) {
  bool any = false;
  for (size_t i = 0; r->run && i < r->run->nfiles; i++) {
    const FileResult *fr = &r->run->files[i];
    for (size_t j = 0; j < fr->nfindings; j++) {
      const Finding *f = &fr->findings[j];
      if (!audit_rule_measured(f)) continue;
      if (!any) fprintf(out, "\nFindings against the data:\n");
      any = true;
      Position p = source_position(&fr->src, f->start);
      fprintf(out, "%s:%u:%u: %s %s: %s\n", fr->src.path, p.line, p.column, output_code(f),
              output_slug(f), f->message);
    }
  }
}

static void text_warnings(FILE *out, const AuditReport *r) {
  const AuditResult *res = r->res;
  bool any = res->error || res->nwarnings;
  for (size_t i = 0; i < res->nnodes; i++) any |= res->nodes[i].error != NULL;
  if (!any) return;
  fprintf(out, "\nWarnings:\n");
  if (res->error) {
    fputs("  error: ", out);
    put_server(out, res->error);
    fputc('\n', out);
  }
  for (size_t i = 0; i < res->nnodes; i++)
    if (res->nodes[i].error) {
      fputs("  ", out);
      put_server(out, res->nodes[i].addr);
      fputs(": ", out);
      put_server(out, res->nodes[i].error);
      fputc('\n', out);
    }
  for (size_t i = 0; i < res->nwarnings; i++) {
    fputs("  ", out);
    put_server(out, res->warnings[i]);
    fputc('\n', out);
  }
}

int audit_write_text(FILE *out, const AuditReport *r) {
  text_header(out, r);
  Widths w = {strlen("TEMPLATE"), strlen("ENCODINGS")};
  for (size_t i = 0; i < r->nrows; i++) {
    const AuditGroup *g = &r->groups[r->rows[i]];
    AuditCells c;
    audit_cells(r, g, &c);
    if (width(g->name) > w.name) w.name = width(g->name);
    if (width(c.enc) > w.enc) w.enc = width(c.enc);
  }
  if (w.name > NAME_WIDTH) w.name = NAME_WIDTH;
  if (w.enc > ENC_WIDTH) w.enc = ENC_WIDTH;
  for (int pass = 0; pass < 2; pass++) {
    bool head = false;
    for (size_t i = 0; i < r->nrows; i++) {
      const AuditGroup *g = &r->groups[r->rows[i]];
      if ((g->tpl != NULL) != (pass == 0)) continue;
      if (!head) {
        if (pass) fprintf(out, "\nWritten by code outside these paths (no template matches):\n");
        else fputc('\n', out);
        text_head(out, &w, pass ? "GROUP" : "TEMPLATE");
        head = true;
      }
      text_row(out, r, g, &w);
    }
  }
  size_t unseen = 0;
  for (size_t t = 0; t < r->ntpl; t++) {
    if (r->groups[t].nkeys) continue;
    fprintf(out, "%s%s", unseen++ ? ", " : "\nTemplates of the code not seen in the data: ", r->groups[t].name);
  }
  if (unseen) fputc('\n', out);
  text_findings(out, r);
  text_warnings(out, r);
  return ferror(out) ? -1 : 0;
}

/* ---- JSON --------------------------------------------------------------- */

static cJSON *json_bytes_or_null(long long v) {
  return v >= 0 ? cJSON_CreateNumber((double)v) : cJSON_CreateNull();
}

static cJSON *json_uses(const AuditReport *r, const AuditGroup *g) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = g->first_ref; g->tpl && i < g->first_ref + g->nrefs; i++) {
    const KeyRef *k = &r->refs[i];
    Position p = source_position(&k->file->src, k->use->start);
    cJSON *u = cJSON_CreateObject();
    cJSON_AddStringToObject(u, "path", k->file->src.path);
    cJSON_AddNumberToObject(u, "line", p.line);
    cJSON_AddNumberToObject(u, "column", p.column);
    cJSON_AddStringToObject(u, "command", k->use->command);
    cJSON_AddBoolToObject(u, "write", (k->use->cmd_flags & CMD_WRITE) != 0);
    cJSON_AddStringToObject(u, "function", k->use->func ? k->use->func : "");
    cJSON_AddItemToArray(a, u);
  }
  return a;
}

static cJSON *json_group(const AuditReport *r, const AuditGroup *g) {
  const AuditResult *res = r->res;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, g->tpl ? "template" : "group", g->name);
  cJSON_AddNumberToObject(o, "keys", (double)g->nkeys);
  cJSON_AddNumberToObject(o, "bytes", (double)g->bytes);
  cJSON_AddNumberToObject(o, "keys_estimate", (double)(long long)(g->est_keys + 0.5));
  cJSON_AddNumberToObject(o, "bytes_estimate", (double)(long long)(g->est_bytes + 0.5));
  cJSON_AddNumberToObject(o, "keys_without_bytes", (double)(g->nkeys - g->nbytes));
  cJSON_AddNumberToObject(o, "share", audit_pct(g->est_bytes, r->est_bytes) / 100.0);
  cJSON_AddItemToObject(o, "p50", json_bytes_or_null(g->p50));
  cJSON_AddItemToObject(o, "p99", json_bytes_or_null(g->p99));
  cJSON_AddItemToObject(o, "max", json_bytes_or_null(g->max));
  cJSON *types = cJSON_AddObjectToObject(o, "types");
  for (int t = KT_STRING; t <= KT_OTHER; t++)
    if (g->type_keys[t]) cJSON_AddNumberToObject(types, key_type_name((KeyType)t), (double)g->type_keys[t]);
  cJSON *encs = cJSON_AddArrayToObject(o, "encodings");
  for (size_t i = 0; i < g->nencs; i++) {
    const AuditEnc *e = &g->encs[i];
    cJSON *je = cJSON_CreateObject();
    cJSON_AddStringToObject(je, "type", key_type_name(e->type));
    cJSON_AddStringToObject(je, "encoding", e->enc);
    cJSON_AddNumberToObject(je, "keys", (double)e->keys);
    cJSON_AddNumberToObject(je, "share", audit_pct((double)e->keys, (double)g->type_keys[e->type]) / 100.0);
    cJSON_AddNumberToObject(je, "bytes_estimate", (double)(long long)(e->est_bytes + 0.5));
    cJSON_AddItemToArray(encs, je);
  }
  cJSON_AddNumberToObject(o, "ttl_share", audit_pct((double)g->with_ttl, (double)g->nkeys) / 100.0);
  cJSON_AddNumberToObject(o, "keys_without_ttl", (double)g->no_ttl);
  cJSON *big = cJSON_AddArrayToObject(o, "biggest");
  for (size_t i = 0; i < g->ntop; i++) {
    const KeyStat *k = &res->keys[g->top[i]];
    char *name = audit_safe_name(k->name, k->name_len, KEY_CUT_JSON);
    cJSON *jk = cJSON_CreateObject();
    cJSON_AddStringToObject(jk, "name", name);
    cJSON_AddStringToObject(jk, "type", key_type_name(k->type));
    cJSON_AddNumberToObject(jk, "bytes", (double)k->bytes);
    cJSON_AddNumberToObject(jk, "length", (double)k->length);
    cJSON_AddNumberToObject(jk, "node", k->node);
    cJSON_AddItemToArray(big, jk);
    free(name);
  }
  if (g->tpl) cJSON_AddItemToObject(o, "uses", json_uses(r, g));
  if (g->node_keys) {
    cJSON *nodes = cJSON_AddArrayToObject(o, "nodes");
    for (size_t i = 0; i < res->nnodes; i++) {
      cJSON *jn = cJSON_CreateObject();
      cJSON_AddItemToObject(jn, "addr", json_server_string(res->nodes[i].addr));
      cJSON_AddNumberToObject(jn, "keys", (double)g->node_keys[i]);
      cJSON_AddNumberToObject(jn, "bytes", (double)g->node_bytes[i]);
      cJSON_AddItemToArray(nodes, jn);
    }
  }
  return o;
}

static cJSON *json_server(const AuditReport *r) {
  const AuditResult *res = r->res;
  cJSON *s = cJSON_CreateObject();
  cJSON_AddStringToObject(s, "url", r->url);
  cJSON_AddItemToObject(s, "version", json_server_string(res->server_version));
  cJSON_AddBoolToObject(s, "cluster", res->cluster);
  cJSON *nodes = cJSON_AddArrayToObject(s, "nodes");
  for (size_t i = 0; i < res->nnodes; i++) {
    const AuditNode *n = &res->nodes[i];
    cJSON *jn = cJSON_CreateObject();
    cJSON_AddItemToObject(jn, "addr", json_server_string(n->addr));
    cJSON_AddNumberToObject(jn, "dbsize", (double)n->dbsize);
    cJSON_AddNumberToObject(jn, "scanned", (double)n->scanned);
    cJSON_AddItemToObject(jn, "error", n->error ? json_server_string(n->error) : cJSON_CreateNull());
    cJSON_AddItemToArray(nodes, jn);
  }
  return s;
}

static cJSON *json_findings(const AuditReport *r) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; r->run && i < r->run->nfiles; i++) {
    const FileResult *fr = &r->run->files[i];
    for (size_t j = 0; j < fr->nfindings; j++) {
      const Finding *f = &fr->findings[j];
      if (!audit_rule_measured(f)) continue;
      long g = audit_finding_group(r, fr, f);
      Position p = source_position(&fr->src, f->start);
      size_t elen;
      const char *ev = audit_evidence_of(f, &elen);
      cJSON *o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "code", output_code(f));
      cJSON_AddStringToObject(o, "slug", output_slug(f));
      cJSON_AddStringToObject(o, "severity", severity_name(f->severity));
      cJSON_AddStringToObject(o, "path", fr->src.path);
      cJSON_AddNumberToObject(o, "line", p.line);
      cJSON_AddNumberToObject(o, "column", p.column);
      if (g >= 0) cJSON_AddStringToObject(o, "template", r->groups[g].name);
      else cJSON_AddNullToObject(o, "template");
      cJSON_AddBoolToObject(o, "seen", g >= 0 && r->groups[g].nkeys > 0);
      cJSON_AddStringToObject(o, "message", f->message ? f->message : "");
      char *e = xmalloc(elen + 1);
      memcpy(e, ev, elen);
      e[elen] = '\0';
      cJSON_AddStringToObject(o, "evidence", e);
      free(e);
      cJSON_AddItemToArray(a, o);
    }
  }
  return a;
}

int audit_write_json(FILE *out, const AuditReport *r) {
  const AuditResult *res = r->res;
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddNumberToObject(doc, "version", JSON_VERSION);
  cJSON *tool = cJSON_AddObjectToObject(doc, "tool");
  cJSON_AddStringToObject(tool, "name", "redislint");
  cJSON_AddStringToObject(tool, "version", REDISLINT_VERSION);
  cJSON_AddItemToObject(doc, "server", json_server(r));
  cJSON_AddBoolToObject(doc, "sampled", res->sampled);
  cJSON *tot = cJSON_AddObjectToObject(doc, "totals");
  cJSON_AddNumberToObject(tot, "keys", (double)r->nkeys);
  cJSON_AddNumberToObject(tot, "bytes", (double)r->bytes);
  cJSON_AddNumberToObject(tot, "keys_estimate", (double)(long long)(r->est_keys + 0.5));
  cJSON_AddNumberToObject(tot, "bytes_estimate", (double)(long long)(r->est_bytes + 0.5));
  cJSON_AddNumberToObject(tot, "keys_without_bytes", (double)(r->nkeys - r->nbytes));
  cJSON_AddNumberToObject(tot, "keys_gone", (double)r->gone);
  cJSON *tpls = cJSON_AddArrayToObject(doc, "templates");
  cJSON *unm = cJSON_AddArrayToObject(doc, "unmatched");
  for (size_t i = 0; i < r->nrows; i++) {
    const AuditGroup *g = &r->groups[r->rows[i]];
    cJSON_AddItemToArray(g->tpl ? tpls : unm, json_group(r, g));
  }
  for (size_t t = 0; t < r->ntpl; t++) /* not seen in the data: last, in name order */
    if (!r->groups[t].nkeys) cJSON_AddItemToArray(tpls, json_group(r, &r->groups[t]));
  cJSON_AddItemToObject(doc, "findings", json_findings(r));
  cJSON *warn = cJSON_AddArrayToObject(doc, "warnings");
  for (size_t i = 0; i < res->nnodes; i++)
    if (res->nodes[i].error) {
      const char *a = res->nodes[i].addr ? res->nodes[i].addr : "";
      size_t n = strlen(a) + strlen(res->nodes[i].error) + 3;
      char *line = xmalloc(n);
      snprintf(line, n, "%s: %s", a, res->nodes[i].error);
      cJSON_AddItemToArray(warn, json_server_string(line));
      free(line);
    }
  for (size_t i = 0; i < res->nwarnings; i++) cJSON_AddItemToArray(warn, json_server_string(res->warnings[i]));
  cJSON_AddItemToObject(doc, "error", res->error ? json_server_string(res->error) : cJSON_CreateNull());
  int rc = output_print_json(out, doc);
  cJSON_Delete(doc);
  return rc;
}
