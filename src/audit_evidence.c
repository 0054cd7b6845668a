/* audit_evidence.c - the static findings of the memory rules, confirmed or
 * refuted by the keys of their template as the server holds them.
 *
 * Each finding of RL101-RL105, RL201, RL203 and RL204 is tied to a key
 * template (the finding's key, else the key use whose call contains it) and
 * gets the numbers of that template's keys appended to its message, so that
 * every writer (text, JSON, HTML, and the SARIF writer of the lint run)
 * carries them:
 *
 *   RL101  the string keys of the entity (every template `P:field` of the
 *          same prefix P) as measured, against one listpack hash per entity
 *          estimated from their measured fields and values (below);
 *   RL102, RL103  how many hashes of the template really are hashtable, and
 *          their bytes; HLEN p99/max;
 *   RL104  STRLEN p50/max of the strings;
 *   RL105  sets that are hashtable or listpack where an intset would do;
 *   RL201  keys that never expire (PTTL -1);
 *   RL203, RL204  measured lengths (LLEN/ZCARD, XLEN) p99/max.
 *
 * A template without keys in the data is "not seen in the data". On a
 * sampled scan, counts and bytes are estimates (≈, scaled per node). */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"
#include "commands.h"
#include "model.h"
#include "rule.h"

#define EVIDENCE_MARK " [measured: "

/* The encoding limits (hash-max-listpack-entries, ...) are the server
 * defaults the rules use (AuditReport.th, options_defaults): the audit reads
 * no CONFIG (it may be refused, and the audit sends read-only commands only). */

typedef struct Measured {
  const char *code;
  uint32_t cmd; /* the kind of command the finding is about (its key use) */
} Measured;

static const Measured MEASURED[] = {
    {"RL101", CMD_STRING}, {"RL102", CMD_HASH}, {"RL103", CMD_HASH},
    {"RL104", CMD_STRING}, {"RL105", CMD_SET},  {"RL201", CMD_WRITE},
    {"RL203", CMD_LIST | CMD_ZSET}, {"RL204", CMD_STREAM},
};

static const Measured *measured(const Finding *f) {
  if (!f->rule || !f->rule->code) return NULL;
  for (size_t i = 0; i < sizeof MEASURED / sizeof *MEASURED; i++)
    if (!strcmp(f->rule->code, MEASURED[i].code)) return &MEASURED[i];
  return NULL;
}

bool audit_rule_measured(const Finding *f) { return measured(f) != NULL; }

long audit_finding_group(const AuditReport *r, const FileResult *fr, const Finding *f) {
  const Measured *m = measured(f);
  if (f->key) {
    long g = audit_template_group(r, f->key);
    if (g >= 0) return g;
  }
  /* several key uses contain the finding when calls nest, or a multi-key
   * call left one per key: the command kind the rule is about first, then
   * the innermost call, then the first key */
  const KeyUse *best = NULL;
  bool best_fit = false;
  for (size_t k = 0; k < fr->nkeys; k++) {
    const KeyUse *u = &fr->keys[k];
    if (f->start < u->start || f->start >= u->end) continue;
    bool fit = !m || (u->cmd_flags & m->cmd);
    if (!best || (fit && !best_fit) ||
        (fit == best_fit && u->end - u->start < best->end - best->start)) {
      best = u;
      best_fit = fit;
    }
  }
  return best ? audit_template_group(r, best->key) : -1;
}

const char *audit_evidence_of(const Finding *f, size_t *len) {
  const char *m = f->message ? strstr(f->message, EVIDENCE_MARK) : NULL;
  if (!m) {
    *len = 0;
    return "";
  }
  m += strlen(EVIDENCE_MARK);
  size_t n = strlen(m);
  *len = n && m[n - 1] == ']' ? n - 1 : n;
  return m;
}

/* ---- text --------------------------------------------------------------- */

typedef struct Text {
  char buf[1024];
  size_t len;
} Text;

static void say(Text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(Text *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int w = t->len < sizeof t->buf ? vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap) : -1;
  va_end(ap);
  if (w < 0 || (size_t)w >= sizeof t->buf - t->len) t->len = sizeof t->buf - 1;
  else t->len += (size_t)w;
}

/* A count: exact, or "≈N" scaled when the scan was sampled. */
static const char *qty(const AuditReport *r, size_t exact, double est, char *buf, size_t size) {
  char c[32];
  if (!audit_estimated(r)) return audit_count((long long)exact, buf, size);
  snprintf(buf, size, "\xe2\x89\x88%s", audit_count((long long)(est + 0.5), c, sizeof c));
  return buf;
}

static const char *qbytes(const AuditReport *r, double est, char *buf, size_t size) {
  char c[32];
  snprintf(buf, size, "%s%s", audit_estimated(r) ? "\xe2\x89\x88" : "", audit_bytes(est, c, sizeof c));
  return buf;
}

/* ---- the keys of a group, by type ---------------------------------------- */

static double key_scale(const AuditReport *r, const KeyStat *k) {
  return k->node >= 0 && (size_t)k->node < r->res->nnodes ? r->scale[k->node] : 1.0;
}

typedef struct Slice {
  size_t keys;
  double est_keys, est_bytes;
  long long *len; /* known lengths, sorted */
  size_t nlen;
} Slice;

/* Keys of group g of one of the types (bit per KeyType) and, when enc is
 * given, of that encoding (or not of it, with negate). */
static void slice(const AuditReport *r, long g, unsigned types, const char *enc, bool negate, Slice *s) {
  memset(s, 0, sizeof *s);
  size_t n = r->off[g + 1] - r->off[g];
  s->len = xcalloc(n ? n : 1, sizeof(long long));
  for (size_t m = r->off[g]; m < r->off[g + 1]; m++) {
    const KeyStat *k = &r->res->keys[r->members[m]];
    if (!(types & (1u << k->type))) continue;
    if (enc && (strncmp(k->encoding, enc, sizeof k->encoding) == 0) == negate) continue;
    double sc = key_scale(r, k);
    s->keys++;
    s->est_keys += sc;
    if (k->bytes >= 0) s->est_bytes += (double)k->bytes * sc;
    if (k->length >= 0) s->len[s->nlen++] = k->length;
  }
  qsort(s->len, s->nlen, sizeof(long long), audit_cmp_ll);
}

/* One key read, and no estimate: said of the key, not of "1 of 1". */
static bool single(const AuditReport *r, const Slice *s) { return s->keys == 1 && !audit_estimated(r); }

static long long pct_of(const Slice *s, unsigned p) {
  return s->nlen ? audit_percentile(s->len, s->nlen, p) : -1;
}

/* ---- RL101: the fields of an entity as string keys, against one hash ----- */

/* listpack.c: a listpack is a 6-byte header (total bytes, number of entries)
 * then its entries, then one end byte (LP_HDR_SIZE, LP_EOF). An entry is an
 * encoding header with the data, then its back length (lpEncodeBacklen):
 * 1 byte for an entry (header + data) up to 127 bytes, 2 up to 16383, 3 up to
 * 2097151, 4 up to 268435455, else 5. lpEncodeGetType stores a string that is
 * a canonical 64-bit integer (lpStringToInt64) as an integer: 1 byte for
 * 0..127 (LP_ENCODING_7BIT_UINT), 2 for a 13-bit, 3 for a 16-bit, 4 for a
 * 24-bit, 5 for a 32-bit and 9 for a 64-bit integer (header included);
 * other strings have a 1-byte header up to 63 bytes (6BIT_STR), 2 up to 4095
 * (12BIT_STR), else 5 (32BIT_STR). */
#define LP_HEADER 6
#define LP_END 1

static size_t lp_backlen(size_t l) {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

static size_t lp_int(long long v) {
  size_t l = v >= 0 && v <= 127                 ? 1
             : v >= -4096 && v <= 4095           ? 2
             : v >= -32768 && v <= 32767         ? 3
             : v >= -8388608 && v <= 8388607     ? 4
             : v >= INT32_MIN && v <= INT32_MAX  ? 5
                                                 : 9;
  return l + lp_backlen(l);
}

static size_t lp_str(size_t n) {
  size_t l = (n < 64 ? 1 : n < 4096 ? 2 : 5) + n;
  return l + lp_backlen(l);
}

/* A canonical int64 as string2ll accepts it: no sign but '-', no leading
 * zero, no "-0", at most 20 bytes, in range. */
static bool canonical_int(const char *s, size_t n, long long *v) {
  if (!n || n > 20 || (s[0] == '-' && n == 1)) return false;
  size_t i = s[0] == '-';
  if (s[i] == '0' && n > i + 1) return false;
  if (s[i] == '0' && i) return false;
  unsigned long long acc = 0, lim = s[0] == '-' ? (unsigned long long)INT64_MAX + 1 : INT64_MAX;
  for (; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    unsigned d = (unsigned)(s[i] - '0');
    if (acc > (lim - d) / 10) return false;
    acc = acc * 10 + d;
  }
  *v = s[0] == '-' ? (acc == (unsigned long long)INT64_MAX + 1 ? INT64_MIN : -(long long)acc)
                   : (long long)acc;
  return true;
}

size_t audit_listpack_entry_str(const char *s, size_t n) {
  long long v;
  return canonical_int(s, n, &v) ? lp_int(v) : lp_str(n);
}

/* A value known by its STRLEN and OBJECT ENCODING only: "int" is an integer
 * of that many characters (sized as the largest such number, so the estimate
 * errs high), anything else a string of that many bytes. */
static size_t lp_value(const KeyStat *k) {
  long long n = k->length < 0 ? 0 : k->length;
  if (strncmp(k->encoding, "int", sizeof k->encoding)) return lp_str((size_t)n);
  long long v = 9;
  for (long long d = 1; d < n && d < 18; d++) v = v * 10 + 9;
  return n > 18 ? lp_int(INT64_MAX) : lp_int(v);
}

/* jemalloc's size classes (Redis' default allocator): what zmalloc_size
 * reports for an allocation of n bytes. 8, then multiples of 16 up to 128,
 * then four classes per doubling (160, 192, 224, 256, 320, ...). */
size_t audit_alloc_class(size_t n) {
  if (n <= 8) return 8;
  if (n <= 128) return (n + 15) & ~(size_t)15;
  size_t lg = 0;
  for (size_t v = n - 1; v > 1; v >>= 1) lg++;
  size_t step = (size_t)1 << (lg - 2);
  return (n + step - 1) & ~(step - 1);
}

static const KeyStat *g_ent_keys; /* qsort has no context argument (C11) */

/* The entity of a key: its name up to the last ':' (0 when there is none). */
static size_t entity_len(const KeyStat *k) {
  for (size_t i = k->name_len; i > 0; i--)
    if (k->name[i - 1] == ':') return i - 1;
  return 0;
}

static int entity_cmp(const KeyStat *x, const KeyStat *y) {
  size_t lx = entity_len(x), ly = entity_len(y), n = lx < ly ? lx : ly;
  int c = memcmp(x->name, y->name, n);
  return c ? c : lx < ly ? -1 : lx > ly;
}

static int cmp_entity(const void *a, const void *b) {
  return entity_cmp(&g_ent_keys[*(const size_t *)a], &g_ent_keys[*(const size_t *)b]);
}

/* Templates P:x of the entity prefix P of group g (g's own text up to its
 * last ':'); the string keys of them all, into *keys. */
static size_t entity_keys(const AuditReport *r, long g, size_t **keys, char **prefix_shown) {
  const char *tpl = r->groups[g].tpl, *colon = strrchr(tpl, ':');
  size_t pn = colon ? (size_t)(colon - tpl) : strlen(tpl), n = 0, cap = 0;
  *keys = NULL;
  for (size_t t = 0; t < r->ntpl; t++) {
    const char *o = r->groups[t].tpl;
    bool same = colon ? !strncmp(o, tpl, pn) && o[pn] == ':' && !strchr(o + pn + 1, ':')
                      : (long)t == g;
    for (size_t m = r->off[t]; same && m < r->off[t + 1]; m++) {
      if (r->res->keys[r->members[m]].type != KT_STRING) continue;
      if (n == cap) *keys = xrealloc(*keys, (cap = cap * 2 + 64) * sizeof(size_t));
      (*keys)[n++] = r->members[m];
    }
  }
  char *p = xmalloc(pn + 1);
  memcpy(p, tpl, pn);
  p[pn] = '\0';
  *prefix_shown = keyspace_display(p);
  free(p);
  return n;
}

/* Bytes allocated for a key's name: sds.c (sdsReqType) gives a name below 32
 * bytes a 1-byte header (SDS_TYPE_5), below 256 a 3-byte one (sdshdr8),
 * below 65536 5 bytes, else 9; plus the terminating NUL. */
static size_t key_alloc(size_t n) {
  size_t hdr = n < 32 ? 1 : n < 256 ? 3 : n < 65536 ? 5 : 9;
  return audit_alloc_class(hdr + n + 1);
}

/* What a key costs beyond its name and its value, as the server measures
 * it (MEMORY USAGE - the name's allocation - the value's bytes; an "int"
 * string keeps its value in the object: none), for the cheapest of these
 * keys: the object header and dictionary entry every key pays, which the
 * hash pays too. A string can only cost more than that (its value's header
 * and rounding), so the smallest is the tightest bound, and the estimate
 * errs high, if at all, and the saving low. */
static long long per_key_cost(const AuditReport *r, const size_t *keys, size_t n) {
  long long best = -1;
  for (size_t i = 0; i < n; i++) {
    const KeyStat *ks = &r->res->keys[keys[i]];
    if (ks->bytes < 0) continue;
    long long val = strncmp(ks->encoding, "int", sizeof ks->encoding) && ks->length > 0 ? ks->length : 0;
    long long c = ks->bytes - (long long)key_alloc(ks->name_len) - val;
    if (c < 0) c = 0;
    if (best < 0 || c < best) best = c;
  }
  return best < 0 ? 0 : best;
}

/* Fields per entity F from a sample: with a share p of the keys read, an
 * entity of F fields shows each with probability p, so the entities seen
 * show on average m = F p / (1 - (1-p)^F) fields (the mean of a binomial
 * given at least one); m grows with F, so bisection finds F. */
static double fields_per_entity(double m, double p) {
  if (p >= 1 || m <= 0) return m > 0 ? m : 1;
  double lo = 1, hi = 1e7;
  for (int it = 0; it < 200 && hi - lo > 1e-6; it++) {
    double f = (lo + hi) / 2, seen = f * p / (1 - pow(1 - p, f));
    if (seen < m) lo = f;
    else hi = f;
  }
  return (lo + hi) / 2;
}

typedef struct Entities {
  size_t keys, seen, too_big, unknown; /* keys, entities seen, over a limit, without bytes */
  double est_keys, now, as_hash;       /* bytes measured now, and as hashes */
  double fields;                       /* fields per entity (estimated from a sample) */
  double entities;                     /* entities (estimated from a sample) */
} Entities;

/* One listpack hash per entity, from the sorted keys. Unsampled: each
 * entity's own listpack. Sampled, an entity's keys are split by the sample:
 * the fields per entity are estimated (fields_per_entity) and every entity
 * taken as F of the average measured (field, value) entries. Entities whose
 * field or value passes hash-max-listpack-value, or with more fields than
 * hash-max-listpack-entries, would be hashtables: counted as they are. */
static void entities_as_hashes(const AuditReport *r, const size_t *keys, size_t n, long long cost, Entities *e) {
  const KeyStat *ks_all = r->res->keys;
  double pairs = 0, names = 0;
  memset(e, 0, sizeof *e);
  e->keys = n;
  for (size_t i = 0; i < n;) {
    const KeyStat *first = &ks_all[keys[i]];
    size_t j = i, elen = entity_len(first), lp = LP_HEADER + LP_END;
    bool fits = true, known = true;
    double now = 0, sc = key_scale(r, first);
    while (j < n && !entity_cmp(first, &ks_all[keys[j]])) j++;
    for (size_t k = i; k < j; k++) {
      const KeyStat *ks = &ks_all[keys[k]];
      size_t at = elen + (elen < ks->name_len && ks->name[elen] == ':'), flen = ks->name_len - at;
      size_t pair = audit_listpack_entry_str(ks->name + at, flen) + lp_value(ks);
      lp += pair;
      pairs += (double)pair;
      fits &= (long)flen <= r->th.hash_max_listpack_value && ks->length <= r->th.hash_max_listpack_value;
      known &= ks->bytes >= 0;
      now += (double)(ks->bytes >= 0 ? ks->bytes : 0) * key_scale(r, ks);
      e->est_keys += key_scale(r, ks);
    }
    fits &= (long)(j - i) <= r->th.hash_max_listpack_entries;
    e->seen++;
    names += (double)key_alloc(elen);
    if (!known) {
      e->unknown++;
    } else {
      e->now += now;
      e->too_big += !fits;
      if (!fits) e->as_hash += now;
      if (fits && !audit_estimated(r))
        e->as_hash += (double)(cost + (long long)key_alloc(elen) + (long long)audit_alloc_class(lp)) * sc;
    }
    i = j;
  }
  e->fields = (double)n / (double)e->seen;
  e->entities = (double)e->seen;
  if (!audit_estimated(r) || e->seen == e->unknown) return;
  /* sampled: F from the share of the keys read, then every fitting entity
   * as F average entries */
  e->fields = fields_per_entity((double)n / (double)e->seen, (double)n / e->est_keys);
  e->entities = e->est_keys / e->fields;
  if (e->fields > (double)r->th.hash_max_listpack_entries) {
    e->as_hash = e->now;
    e->too_big = e->seen - e->unknown;
    return;
  }
  double fit_share = 1.0 - (double)e->too_big / (double)(e->seen - e->unknown);
  size_t lp = LP_HEADER + LP_END + (size_t)(e->fields * pairs / (double)n + 0.5);
  double per_entity = (double)cost + names / (double)e->seen + (double)audit_alloc_class(lp);
  e->as_hash += e->entities * (1.0 - (double)e->unknown / (double)e->seen) * fit_share * per_entity;
}

static void evidence_rl101(const AuditReport *r, long g, Text *t) {
  size_t *keys, n;
  char *shown;
  n = entity_keys(r, g, &keys, &shown);
  char a[48], b[48], c[48], d[48], e[48];
  if (!n || !strchr(r->groups[g].tpl, ':')) { /* RL101 templates have a ':' (per_field_keys.c) */
    if (n) say(t, "%s string keys of `%s`", qty(r, n, (double)n, a, sizeof a), r->groups[g].name);
    else say(t, "not seen in the data: no string key of `%s:...`", shown);
    free(keys);
    free(shown);
    return;
  }
  long long cost = per_key_cost(r, keys, n);
  g_ent_keys = r->res->keys;
  qsort(keys, n, sizeof(size_t), cmp_entity);
  g_ent_keys = NULL;
  Entities en;
  entities_as_hashes(r, keys, n, cost, &en);
  say(t, "%s string keys of `%s:...` for %s entities (%.1f fields each) take %s",
      qty(r, n, en.est_keys, a, sizeof a), shown, qty(r, en.seen, en.entities, b, sizeof b),
      en.fields, qbytes(r, en.now, c, sizeof c));
  say(t, "; as one listpack hash per entity %s (listpack entry sizes of the measured fields "
         "and values, plus the %lld B the cheapest key here costs beyond its name and value)",
      qbytes(r, en.as_hash, d, sizeof d), cost);
  if (en.now > 0) {
    double saved = en.now - en.as_hash, mag = saved < 0 ? -saved : saved;
    say(t, ": %s %s (%.0f%%)", qbytes(r, mag, e, sizeof e), saved >= 0 ? "less" : "more",
        audit_pct(mag, en.now));
  }
  if (en.too_big)
    say(t, "; %zu entities would pass the listpack limits (%d fields, %d-byte values) and are "
           "counted as they are",
        en.too_big, (int)r->th.hash_max_listpack_entries, (int)r->th.hash_max_listpack_value);
  if (en.unknown) say(t, "; %zu entities without MEMORY USAGE left out", en.unknown);
  free(keys);
  free(shown);
}

/* ---- the other rules ------------------------------------------------------ */

static bool wrong_type(const AuditReport *r, long g, unsigned types, const char *want, Text *t) {
  const AuditGroup *gr = &r->groups[g];
  for (int k = KT_STRING; k <= KT_OTHER; k++)
    if ((types & (1u << k)) && gr->type_keys[k]) return false;
  char seen[128], a[48];
  audit_types(gr, seen, sizeof seen);
  say(t, "the %s keys of `%s` are %s, not %s", qty(r, gr->nkeys, gr->est_keys, a, sizeof a),
      gr->name, seen, want);
  return true;
}

static void evidence_hash(const AuditReport *r, long g, bool values, Text *t) {
  if (wrong_type(r, g, 1u << KT_HASH, "hash", t)) return;
  Slice all, ht;
  slice(r, g, 1u << KT_HASH, NULL, false, &all);
  slice(r, g, 1u << KT_HASH, "hashtable", false, &ht);
  char a[48], b[48], c[48], d[48], e[48], f[48];
  if (single(r, &all)) { /* a key without holes: one hash */
    const KeyStat *k = &r->res->keys[r->members[r->off[g]]];
    say(t, "hash `%s` is %s-encoded (%s)", r->groups[g].name, k->encoding[0] ? k->encoding : "?",
        qbytes(r, all.est_bytes, c, sizeof c));
    if (all.nlen) say(t, "; HLEN %s", audit_count(all.len[0], e, sizeof e));
  } else if (ht.keys) {
    say(t, "%s of %s hashes of `%s` are hashtable-encoded (%s of %s)", qty(r, ht.keys, ht.est_keys, a, sizeof a),
        qty(r, all.keys, all.est_keys, b, sizeof b), r->groups[g].name,
        qbytes(r, ht.est_bytes, c, sizeof c), qbytes(r, all.est_bytes, d, sizeof d));
  } else {
    say(t, "none of the %s hashes of `%s` is hashtable-encoded (%s)", qty(r, all.keys, all.est_keys, a, sizeof a),
        r->groups[g].name, qbytes(r, all.est_bytes, c, sizeof c));
  }
  if (all.nlen && !single(r, &all))
    say(t, "; HLEN p99 %s, max %s", audit_count(pct_of(&all, 99), e, sizeof e),
        audit_count(all.len[all.nlen - 1], f, sizeof f));
  if (values && ht.keys && ht.nlen && ht.len[ht.nlen - 1] <= r->th.hash_max_listpack_entries)
    say(t, " (the hashtable ones have at most %d fields: a value over %d bytes converted them)",
        (int)r->th.hash_max_listpack_entries, (int)r->th.hash_max_listpack_value);
  free(all.len);
  free(ht.len);
}

static void evidence_rl104(const AuditReport *r, long g, Text *t) {
  if (wrong_type(r, g, 1u << KT_STRING, "string", t)) return;
  Slice s;
  slice(r, g, 1u << KT_STRING, NULL, false, &s);
  char a[48], b[48], c[48], d[48];
  say(t, "%s strings of `%s`", qty(r, s.keys, s.est_keys, a, sizeof a), r->groups[g].name);
  if (s.nlen)
    say(t, ": STRLEN p50 %s, max %s", audit_bytes((double)pct_of(&s, 50), b, sizeof b),
        audit_bytes((double)s.len[s.nlen - 1], c, sizeof c));
  say(t, "; %s in all", qbytes(r, s.est_bytes, d, sizeof d));
  free(s.len);
}

static void evidence_rl105(const AuditReport *r, long g, Text *t) {
  if (wrong_type(r, g, 1u << KT_SET, "set", t)) return;
  Slice all, is, ht, lp;
  slice(r, g, 1u << KT_SET, NULL, false, &all);
  slice(r, g, 1u << KT_SET, "intset", false, &is);
  slice(r, g, 1u << KT_SET, "hashtable", false, &ht);
  slice(r, g, 1u << KT_SET, "listpack", false, &lp);
  char a[48], b[48], c[48], d[48], e[48], f[48], h[48];
  say(t, "of %s sets of `%s`, %s are hashtable (%s), %s listpack (%s), %s intset",
      qty(r, all.keys, all.est_keys, a, sizeof a), r->groups[g].name,
      qty(r, ht.keys, ht.est_keys, b, sizeof b), qbytes(r, ht.est_bytes, c, sizeof c),
      qty(r, lp.keys, lp.est_keys, d, sizeof d), qbytes(r, lp.est_bytes, e, sizeof e),
      qty(r, is.keys, is.est_keys, f, sizeof f));
  /* intset.c: an intset is an 8-byte header (encoding, length) and the
   * members at the width of the widest (2, 4 or 8 bytes); 8 here, so the
   * estimate errs high. Sets over set-max-intset-entries stay hashtable. */
  size_t fit = 0;
  double est_fit = 0, intsets = 0, now = 0;
  for (size_t m = r->off[g]; m < r->off[g + 1]; m++) {
    const KeyStat *k = &r->res->keys[r->members[m]];
    if (k->type != KT_SET || !strncmp(k->encoding, "intset", sizeof k->encoding) || k->length < 0 ||
        k->length > r->th.set_max_intset_entries)
      continue;
    double sc = key_scale(r, k);
    fit++;
    est_fit += sc;
    intsets += (double)audit_alloc_class(8 + 8 * (size_t)k->length) * sc;
    if (k->bytes >= 0) now += (double)k->bytes * sc;
  }
  if (fit)
    say(t, "; with integer members the %s of them with at most %d members would be intsets "
           "holding %s of members (8-byte integers), against %s they take now",
        qty(r, fit, est_fit, a, sizeof a), (int)r->th.set_max_intset_entries, qbytes(r, intsets, b, sizeof b),
        qbytes(r, now, h, sizeof h));
  free(all.len);
  free(is.len);
  free(ht.len);
  free(lp.len);
}

static void evidence_rl201(const AuditReport *r, long g, Text *t) {
  const AuditGroup *gr = &r->groups[g];
  double never = 0, never_bytes = 0;
  for (size_t m = r->off[g]; m < r->off[g + 1]; m++) {
    const KeyStat *k = &r->res->keys[r->members[m]];
    if (k->ttl_ms != -1) continue;
    never += key_scale(r, k);
    if (k->bytes >= 0) never_bytes += (double)k->bytes * key_scale(r, k);
  }
  char a[48], b[48], c[48], d[48];
  if (gr->no_ttl)
    say(t, "%s of %s keys of `%s` never expire (PTTL -1), holding %s", qty(r, gr->no_ttl, never, a, sizeof a),
        qty(r, gr->nkeys, gr->est_keys, b, sizeof b), gr->name, qbytes(r, never_bytes, c, sizeof c));
  else
    say(t, "all %s keys of `%s` have a TTL in the data (set by code outside these paths?)",
        qty(r, gr->nkeys, gr->est_keys, b, sizeof b), gr->name);
  if (gr->no_ttl && gr->with_ttl)
    say(t, "; %s have a TTL", qty(r, gr->with_ttl, gr->est_keys - never, d, sizeof d));
}

static void evidence_length(const AuditReport *r, long g, bool stream, Text *t) {
  unsigned types = stream ? 1u << KT_STREAM : (1u << KT_LIST) | (1u << KT_ZSET);
  if (wrong_type(r, g, types, stream ? "stream" : "list or sorted set", t)) return;
  const AuditGroup *gr = &r->groups[g];
  bool zset = !stream && gr->type_keys[KT_ZSET] > gr->type_keys[KT_LIST];
  Slice s;
  slice(r, g, stream ? 1u << KT_STREAM : zset ? 1u << KT_ZSET : 1u << KT_LIST, NULL, false, &s);
  char a[48], b[48], c[48], d[48];
  const char *len = stream ? "XLEN" : zset ? "ZCARD" : "LLEN";
  if (single(r, &s)) { /* a key without holes: one list, sorted set or stream */
    say(t, "%s `%s`", stream ? "stream" : zset ? "sorted set" : "list", gr->name);
    if (s.nlen) say(t, ": %s %s", len, audit_count(s.len[0], b, sizeof b));
  } else {
    say(t, "%s %s of `%s`", qty(r, s.keys, s.est_keys, a, sizeof a),
        stream ? "streams" : zset ? "sorted sets" : "lists", gr->name);
    if (s.nlen)
      say(t, ": %s p99 %s, max %s", len, audit_count(pct_of(&s, 99), b, sizeof b),
          audit_count(s.len[s.nlen - 1], c, sizeof c));
  }
  say(t, "; %s", qbytes(r, s.est_bytes, d, sizeof d));
  free(s.len);
}

static void evidence(const AuditReport *r, const Finding *f, long g, Text *t) {
  const char *code = f->rule->code;
  if (g < 0) {
    say(t, "not matched: the key is not known statically");
    return;
  }
  const AuditGroup *gr = &r->groups[g];
  if (!strcmp(code, "RL101")) {
    evidence_rl101(r, g, t);
    return;
  }
  if (!gr->nkeys) {
    say(t, "not seen in the data: no key matches `%s`%s", gr->name,
        audit_estimated(r) ? " in the sample" : "");
    return;
  }
  if (!strcmp(code, "RL102") || !strcmp(code, "RL103")) evidence_hash(r, g, code[4] == '2', t);
  else if (!strcmp(code, "RL104")) evidence_rl104(r, g, t);
  else if (!strcmp(code, "RL105")) evidence_rl105(r, g, t);
  else if (!strcmp(code, "RL201")) evidence_rl201(r, g, t);
  else if (!strcmp(code, "RL203")) evidence_length(r, g, false, t);
  else evidence_length(r, g, true, t);
}

void audit_attach_evidence(AuditReport *r) {
  for (size_t i = 0; r->run && i < r->run->nfiles; i++) {
    FileResult *fr = &r->run->files[i];
    for (size_t j = 0; j < fr->nfindings; j++) {
      Finding *f = &fr->findings[j];
      if (!measured(f)) continue;
      Text t = {{0}, 0};
      evidence(r, f, audit_finding_group(r, fr, f), &t);
      const char *msg = f->message ? f->message : "";
      const char *old = strstr(msg, EVIDENCE_MARK);
      int keep = old ? (int)(old - msg) : (int)strlen(msg);
      f->message = arena_printf(fr->arena, "%.*s%s%s]", keep, msg, EVIDENCE_MARK, t.buf);
    }
  }
}
