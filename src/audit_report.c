/* audit_report.c - the measured keyspace, per key template of the code.
 *
 * Every key the scanner read is matched to the most specific template of the
 * lint run's key uses (audit_match.c); keys no template matches are grouped
 * by their prefix, "written by code outside these paths". Per group: keys,
 * bytes and their p50/p99/max, types, encodings, TTLs, the biggest keys and,
 * on a cluster, the numbers per node. A sampled scan (--sample) stops before
 * the end of a node's keyspace: counts and bytes are then scaled by that
 * node's DBSIZE/scanned and shown as estimates (≈); the distributions
 * (p50, p99, shares) are the sample's.
 *
 * Keys whose MEMORY USAGE is unknown (bytes -1: an ACL refused MEMORY) count
 * as keys but not in the byte totals, and the rows say how many there were.
 * Keys deleted between SCAN and the reads (KT_GONE) are left out.
 *
 * Cost: one pass over the keys to match them, a counting sort to list each
 * group's keys, a sort of each group's sizes for the percentiles: linear in
 * the keys plus the per-group sorts. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"
#include "output.h"
#include "output_internal.h"
#include "strset.h"

#define GROUP_NAME_MAX 200 /* bytes of an unmatched group's name */

/* ---- formatting helpers shared by the writers --------------------------- */

const char *audit_count(long long v, char *buf, size_t size) {
  char digits[32];
  int n = snprintf(digits, sizeof digits, "%lld", v);
  size_t o = 0;
  for (int i = 0; i < n && o + 2 < size; i++) {
    int left = n - i; /* digits from here on, the sign not counted */
    if (i && digits[i - 1] != '-' && left % 3 == 0) buf[o++] = ',';
    buf[o++] = digits[i];
  }
  buf[o] = '\0';
  return buf;
}

const char *audit_bytes(double v, char *buf, size_t size) {
  static const char *const UNITS[] = {"KiB", "MiB", "GiB", "TiB"};
  if (v < 1024) {
    snprintf(buf, size, "%lld B", (long long)llround(v));
    return buf;
  }
  int u = 0;
  v /= 1024;
  while (v >= 1024 && u < 3) {
    v /= 1024;
    u++;
  }
  snprintf(buf, size, "%.1f %s", v, UNITS[u]);
  return buf;
}

double audit_pct(double part, double whole) { return whole > 0 ? 100.0 * part / whole : 0; }

bool audit_estimated(const AuditReport *r) { return r->res->sampled; }

/* Appends to buf at *o; false once it is full. */
static bool append(char *buf, size_t size, size_t *o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool append(char *buf, size_t size, size_t *o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int w = *o < size ? vsnprintf(buf + *o, size - *o, fmt, ap) : -1;
  va_end(ap);
  if (w < 0 || (size_t)w >= size - *o) {
    *o = size ? size - 1 : 0;
    return false;
  }
  *o += (size_t)w;
  return true;
}

/* "93%", "<1%" and ">99%" rather than a rounded 0% or 100% next to others. */
static void share_text(double pct, char *buf, size_t size) {
  if (pct > 0 && pct < 1) snprintf(buf, size, "<1%%");
  else if (pct > 99 && pct < 100) snprintf(buf, size, ">99%%");
  else snprintf(buf, size, "%.0f%%", pct);
}

void audit_encodings(const AuditGroup *g, char *buf, size_t size) {
  size_t o = 0;
  if (size) buf[0] = '\0';
  for (size_t i = 0; i < g->nencs; i++) {
    const AuditEnc *e = &g->encs[i];
    char pct[16];
    share_text(audit_pct((double)e->keys, (double)g->type_keys[e->type]), pct, sizeof pct);
    bool first = !i || g->encs[i - 1].type != e->type;
    if (!(first ? append(buf, size, &o, "%s%s: ", i ? "; " : "", key_type_name(e->type))
                : append(buf, size, &o, ", ")) ||
        !append(buf, size, &o, "%s %s", pct, e->enc[0] ? e->enc : "?"))
      return;
  }
}

void audit_types(const AuditGroup *g, char *buf, size_t size) {
  size_t o = 0;
  if (size) buf[0] = '\0';
  for (int t = KT_STRING; t <= KT_OTHER; t++)
    if (g->type_keys[t] && !append(buf, size, &o, "%s%s", o ? ", " : "", key_type_name((KeyType)t))) return;
}

/* ---- groups -------------------------------------------------------------- */

long audit_template_group(const AuditReport *r, const char *tpl) {
  size_t lo = 0, hi = r->ntpl;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(r->groups[mid].tpl, tpl);
    if (!c) return (long)mid;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

/* The unmatched groups by name (binary-safe): open addressing; a slot holds
 * the group's number among the unmatched ones, plus one (0: empty). */
typedef struct GroupMap {
  size_t *slot;
  char **names;
  size_t *lens;
  size_t cap, n;
} GroupMap;

static size_t *map_slot(const GroupMap *m, const char *s, size_t n) {
  size_t mask = m->cap - 1, i = (size_t)strset_hash(s, n) & mask;
  while (m->slot[i] && !(m->lens[m->slot[i] - 1] == n && !memcmp(m->names[m->slot[i] - 1], s, n)))
    i = (i + 1) & mask;
  return &m->slot[i];
}

/* The number of the group named s[0..n); *added when it is new. */
static size_t map_get(GroupMap *m, const char *s, size_t n, bool *added) {
  if ((m->n + 1) * 2 > m->cap) {
    free(m->slot);
    m->cap = m->cap ? m->cap * 2 : 64;
    m->slot = xcalloc(m->cap, sizeof(size_t));
    for (size_t k = 0; k < m->n; k++) *map_slot(m, m->names[k], m->lens[k]) = k + 1;
  }
  size_t *slot = map_slot(m, s, n);
  *added = !*slot;
  if (*slot) return *slot - 1;
  m->names = xrealloc(m->names, (m->n + 1) * sizeof(char *));
  m->lens = xrealloc(m->lens, (m->n + 1) * sizeof(size_t));
  m->names[m->n] = xmalloc(n + 1);
  memcpy(m->names[m->n], s, n);
  m->names[m->n][n] = '\0';
  m->lens[m->n] = n;
  *slot = ++m->n;
  return m->n - 1;
}

static void map_free(GroupMap *m) {
  for (size_t k = 0; k < m->n; k++) free(m->names[k]);
  free(m->names);
  free(m->lens);
  free(m->slot);
}

static AuditGroup *group_push(AuditReport *r, size_t *cap) {
  if (r->ngroups == *cap) r->groups = xrealloc(r->groups, (*cap = *cap * 2 + 16) * sizeof(AuditGroup));
  AuditGroup *g = &r->groups[r->ngroups++];
  memset(g, 0, sizeof *g);
  g->p50 = g->p99 = g->max = -1;
  return g;
}

static double node_scale(const AuditReport *r, int node) {
  return node >= 0 && (size_t)node < r->res->nnodes ? r->scale[node] : 1.0;
}

static void enc_add(AuditGroup *g, const KeyStat *k, double scale) {
  AuditEnc *e = NULL;
  for (size_t i = 0; i < g->nencs && !e; i++)
    if (g->encs[i].type == k->type && !strcmp(g->encs[i].enc, k->encoding)) e = &g->encs[i];
  if (!e) {
    g->encs = xrealloc(g->encs, (g->nencs + 1) * sizeof(AuditEnc));
    e = &g->encs[g->nencs++];
    memset(e, 0, sizeof *e);
    e->type = k->type;
    snprintf(e->enc, sizeof e->enc, "%.*s", (int)strnlen(k->encoding, sizeof k->encoding), k->encoding);
  }
  e->keys++;
  e->est_keys += scale;
  if (k->bytes >= 0) e->est_bytes += (double)k->bytes * scale;
}

static int cmp_enc(const void *a, const void *b) {
  const AuditEnc *x = a, *y = b;
  if (x->type != y->type) return x->type < y->type ? -1 : 1;
  if (x->keys != y->keys) return x->keys > y->keys ? -1 : 1;
  return strcmp(x->enc, y->enc);
}

int audit_cmp_ll(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return x < y ? -1 : x > y;
}

long long audit_percentile(const long long *v, size_t n, unsigned p) {
  size_t rank = (p * n + 99) / 100;
  return v[rank ? rank - 1 : 0];
}

/* Bigger first; equal sizes by name, so the order does not depend on SCAN's. */
static bool bigger(const KeyStat *a, const KeyStat *b) {
  if (a->bytes != b->bytes) return a->bytes > b->bytes;
  size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
  int c = memcmp(a->name, b->name, n);
  return c ? c < 0 : a->name_len < b->name_len;
}

static void top_add(AuditGroup *g, const AuditResult *res, size_t k) {
  if (res->keys[k].bytes < 0) return;
  size_t at = g->ntop;
  while (at > 0 && bigger(&res->keys[k], &res->keys[g->top[at - 1]])) at--;
  if (at >= AUDIT_TOP) return;
  size_t n = g->ntop < AUDIT_TOP ? g->ntop : AUDIT_TOP - 1;
  memmove(g->top + at + 1, g->top + at, (n - at) * sizeof(size_t));
  g->top[at] = k;
  if (g->ntop < AUDIT_TOP) g->ntop++;
}

static void group_stats(AuditReport *r, size_t gi, long long *sizes) {
  const AuditResult *res = r->res;
  AuditGroup *g = &r->groups[gi];
  size_t ns = 0;
  if (res->nnodes > 1) {
    g->node_keys = xcalloc(res->nnodes, sizeof(size_t));
    g->node_bytes = xcalloc(res->nnodes, sizeof(long long));
  }
  for (size_t m = r->off[gi]; m < r->off[gi + 1]; m++) {
    size_t ki = r->members[m];
    const KeyStat *k = &res->keys[ki];
    double s = node_scale(r, k->node);
    g->nkeys++;
    g->est_keys += s;
    g->type_keys[k->type]++;
    enc_add(g, k, s);
    if (k->ttl_ms >= 0) g->with_ttl++;
    else if (k->ttl_ms == -1) g->no_ttl++;
    if (k->bytes >= 0) {
      g->nbytes++;
      g->bytes += k->bytes;
      g->est_bytes += (double)k->bytes * s;
      sizes[ns++] = k->bytes;
      top_add(g, res, ki);
    }
    if (g->node_keys && k->node >= 0 && (size_t)k->node < res->nnodes) {
      g->node_keys[k->node]++;
      if (k->bytes >= 0) g->node_bytes[k->node] += k->bytes;
    }
  }
  if (ns) {
    qsort(sizes, ns, sizeof(long long), audit_cmp_ll);
    g->p50 = audit_percentile(sizes, ns, 50);
    g->p99 = audit_percentile(sizes, ns, 99);
    g->max = sizes[ns - 1];
  }
  if (g->nencs) qsort(g->encs, g->nencs, sizeof(AuditEnc), cmp_enc);
}

static const AuditGroup *g_rows_groups; /* qsort has no context argument (C11) */

static int cmp_row(const void *a, const void *b) {
  const AuditGroup *x = &g_rows_groups[*(const size_t *)a], *y = &g_rows_groups[*(const size_t *)b];
  if (x->est_bytes != y->est_bytes) return x->est_bytes > y->est_bytes ? -1 : 1;
  if (x->nkeys != y->nkeys) return x->nkeys > y->nkeys ? -1 : 1;
  return strcmp(x->name, y->name);
}

/* The templates of the run, in strcmp order (the order of the refs). */
static void add_templates(AuditReport *r, size_t *cap) {
  for (size_t i = 0; i < r->nrefs; i++) {
    const char *t = r->refs[i].use->key;
    if (r->ngroups && !strcmp(r->groups[r->ngroups - 1].tpl, t)) {
      r->groups[r->ngroups - 1].nrefs++;
      continue;
    }
    AuditGroup *g = group_push(r, cap);
    g->tpl = t;
    g->name = keyspace_display(t);
    g->first_ref = i;
    g->nrefs = 1;
  }
  r->ntpl = r->ngroups;
}

/* The group of every key (SIZE_MAX: gone), unmatched groups added. */
static size_t *match_keys(AuditReport *r, size_t *cap) {
  const AuditResult *res = r->res;
  const char **tpls = xcalloc(r->ntpl ? r->ntpl : 1, sizeof(char *));
  for (size_t t = 0; t < r->ntpl; t++) tpls[t] = r->groups[t].tpl;
  TplIndex *ix = tplindex_new(tpls, r->ntpl);
  GroupMap map = {0};
  size_t *gof = xcalloc(res->nkeys ? res->nkeys : 1, sizeof(size_t));
  for (size_t k = 0; k < res->nkeys; k++) {
    const KeyStat *ks = &res->keys[k];
    if (ks->type == KT_GONE) {
      gof[k] = SIZE_MAX;
      r->gone++;
      continue;
    }
    long t = tplindex_match(ix, ks->name, ks->name_len);
    if (t >= 0) {
      gof[k] = (size_t)t;
      continue;
    }
    char name[GROUP_NAME_MAX + 1];
    size_t n = audit_prefix_group(ks->name, ks->name_len, name, sizeof name);
    bool added;
    size_t u = map_get(&map, name, n, &added);
    if (added) group_push(r, cap)->name = audit_safe_name(name, n, GROUP_NAME_MAX);
    gof[k] = r->ntpl + u;
  }
  map_free(&map);
  tplindex_free(ix);
  free(tpls);
  return gof;
}

static void build(AuditReport *r) {
  const AuditResult *res = r->res;
  size_t cap = 0;
  r->refs = r->run ? keyspace_refs(r->run, &r->nrefs) : NULL;
  add_templates(r, &cap);
  r->scale = xcalloc(res->nnodes ? res->nnodes : 1, sizeof(double));
  for (size_t i = 0; i < res->nnodes; i++) {
    const AuditNode *n = &res->nodes[i];
    r->scale[i] = res->sampled && n->scanned && n->dbsize > (long long)n->scanned
                      ? (double)n->dbsize / (double)n->scanned
                      : 1.0;
  }
  size_t *gof = match_keys(r, &cap);
  /* counting sort: each group's keys, in key order */
  r->off = xcalloc(r->ngroups + 1, sizeof(size_t));
  for (size_t k = 0; k < res->nkeys; k++)
    if (gof[k] != SIZE_MAX) r->off[gof[k] + 1]++;
  size_t biggest = 0;
  for (size_t g = 0; g < r->ngroups; g++) {
    if (r->off[g + 1] > biggest) biggest = r->off[g + 1];
    r->off[g + 1] += r->off[g];
  }
  r->members = xcalloc(r->off[r->ngroups] ? r->off[r->ngroups] : 1, sizeof(size_t));
  size_t *fill = xcalloc(r->ngroups ? r->ngroups : 1, sizeof(size_t));
  for (size_t k = 0; k < res->nkeys; k++)
    if (gof[k] != SIZE_MAX) r->members[r->off[gof[k]] + fill[gof[k]]++] = k;
  free(fill);
  free(gof);
  long long *sizes = xcalloc(biggest ? biggest : 1, sizeof(long long));
  r->rows = xcalloc(r->ngroups ? r->ngroups : 1, sizeof(size_t));
  for (size_t g = 0; g < r->ngroups; g++) {
    group_stats(r, g, sizes);
    const AuditGroup *gr = &r->groups[g];
    r->nkeys += gr->nkeys;
    r->nbytes += gr->nbytes;
    r->bytes += gr->bytes;
    r->est_keys += gr->est_keys;
    r->est_bytes += gr->est_bytes;
    if (gr->nkeys) r->rows[r->nrows++] = g;
  }
  free(sizes);
  g_rows_groups = r->groups;
  qsort(r->rows, r->nrows, sizeof(size_t), cmp_row);
  g_rows_groups = NULL;
}

static void report_free(AuditReport *r) {
  for (size_t g = 0; g < r->ngroups; g++) {
    free(r->groups[g].name);
    free(r->groups[g].encs);
    free(r->groups[g].node_keys);
    free(r->groups[g].node_bytes);
  }
  free(r->groups);
  free(r->refs);
  free(r->off);
  free(r->members);
  free(r->rows);
  free(r->scale);
}

/* ---- SARIF: the run's SARIF writer on the measured findings only -------- */

static int write_sarif(FILE *out, const AuditReport *r) {
  LintRun copy;
  memset(&copy, 0, sizeof copy);
  if (r->run) copy = *r->run;
  copy.files = xcalloc(copy.nfiles ? copy.nfiles : 1, sizeof(FileResult));
  copy.nfindings = 0;
  for (size_t i = 0; i < copy.nfiles; i++) {
    FileResult *fr = &copy.files[i];
    *fr = r->run->files[i];
    fr->findings = xcalloc(fr->nfindings ? fr->nfindings : 1, sizeof(Finding));
    fr->nfindings = 0;
    fr->nsuppressed = 0;
    for (size_t j = 0; j < r->run->files[i].nfindings; j++)
      if (audit_rule_measured(&r->run->files[i].findings[j]))
        fr->findings[fr->nfindings++] = r->run->files[i].findings[j];
    copy.nfindings += fr->nfindings;
  }
  OutputOptions oo;
  memset(&oo, 0, sizeof oo);
  oo.format = FORMAT_SARIF;
  int rc = output_sarif(out, &copy, &oo);
  for (size_t i = 0; i < copy.nfiles; i++) free(copy.files[i].findings);
  free(copy.files);
  return rc;
}

int audit_report(FILE *out, AuditFormat fmt, const AuditResult *res, LintRun *run,
                 const char *url_display, const Thresholds *th) {
  AuditReport r;
  memset(&r, 0, sizeof r);
  r.res = res;
  r.run = run;
  r.url = url_display ? url_display : "";
  Options defaults;
  options_defaults(&defaults);
  r.th = th ? *th : defaults.th; /* the server's own (--redis-conf), else its defaults */
  build(&r);
  audit_attach_evidence(&r);
  int rc;
  switch (fmt) {
  case AUDIT_JSON: rc = audit_write_json(out, &r); break;
  case AUDIT_SARIF: rc = write_sarif(out, &r); break;
  case AUDIT_HTML: rc = audit_write_html(out, &r); break;
  default: rc = audit_write_text(out, &r); break;
  }
  report_free(&r);
  return rc || output_finish(out) ? -1 : 0;
}
