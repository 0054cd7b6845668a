/* audit_internal.h - what the files of the audit report share (audit_*.c
 * only): the template index (audit_match.c), the per-template totals and the
 * evidence (audit_report.c, audit_evidence.c) and the writers (audit_write.c,
 * audit_html.c). */
#ifndef RL_AUDIT_INTERNAL_H
#define RL_AUDIT_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "audit.h"
#include "keyspace.h"
#include "options.h"

/* ---- matching (audit_match.c) ------------------------------------------ */

/* The key templates of the code, indexed by their literal prefix (a trie):
 * a key is tried only against the templates whose text before the first hole
 * is a prefix of it, the most specific first. */
typedef struct TplIndex TplIndex;

/* tpls[0..n): distinct templates (holes as KEY_HOLE), borrowed for the life
 * of the index. */
TplIndex *tplindex_new(const char *const *tpls, size_t n);
void tplindex_free(TplIndex *ix);
/* Index (into tpls) of the most specific template the key matches: the most
 * literal bytes, then the fewest holes, then the smallest text (strcmp);
 * -1 when none does. */
long tplindex_match(const TplIndex *ix, const char *key, size_t len);
/* Does the key match the template? Every hole matches one or more bytes, any
 * bytes, ':' included: an f-string can put a ':' in a hole, and the most
 * specific template wins over a looser one that also matches. */
bool tpl_matches(const char *tpl, const char *key, size_t len);
/* The group of a key no template matches: its first two ':'-separated
 * segments (the first one only when there is no ':'), with numbers, UUIDs and
 * hex ids written `{}`, and `:*` when more segments follow: "sess:8f3a09c1e2"
 * -> "sess:{}", "user:42:cart" -> "user:{}:*". Written to out (NUL-terminated,
 * cut to fit cap); returns its length. Raw bytes: escape before showing. */
size_t audit_prefix_group(const char *key, size_t len, char *out, size_t cap);
/* A name safe to show anywhere (terminal, JSON, HTML before escaping): valid
 * UTF-8 kept, control characters, invalid bytes and '\' as \xNN (\\), cut
 * after `cut` input bytes with "..." appended. malloc'ed (free). */
char *audit_safe_name(const char *s, size_t n, size_t cut);

/* ---- the totals (audit_report.c) --------------------------------------- */

/* One (type, encoding) of a group's keys. */
typedef struct AuditEnc {
  KeyType type;
  char enc[16];
  size_t keys;
  double est_keys, est_bytes; /* scaled by the node's DBSIZE/scanned when sampled */
} AuditEnc;

#define AUDIT_TOP 3

/* A key template of the code, or a group of keys no template matches. */
typedef struct AuditGroup {
  char *name;          /* shown: `{}` for holes; safe (audit_safe_name) for groups */
  const char *tpl;     /* template text (KEY_HOLE holes); NULL for an unmatched group */
  size_t first_ref, nrefs; /* the template's key uses: AuditReport.refs[first_ref..] */
  size_t nkeys;        /* keys read (gone ones excluded) */
  size_t nbytes;       /* of them, with a MEMORY USAGE (bytes >= 0) */
  long long bytes;     /* sum of the known bytes */
  double est_keys, est_bytes; /* = nkeys, bytes unless sampled */
  long long p50, p99, max; /* bytes, nearest rank over the known; -1: none known */
  size_t type_keys[KT_GONE + 1];
  AuditEnc *encs;      /* sorted by type, then keys descending, then name */
  size_t nencs;
  size_t with_ttl, no_ttl; /* PTTL >= 0, PTTL == -1 */
  size_t top[AUDIT_TOP], ntop; /* biggest keys (indexes into res->keys) */
  size_t *node_keys;   /* per node, when res->nnodes > 1 (else NULL) */
  long long *node_bytes;
} AuditGroup;

typedef struct AuditReport {
  const AuditResult *res;
  LintRun *run;
  const char *url;
  KeyRef *refs;          /* keyspace_refs(run) */
  size_t nrefs;
  AuditGroup *groups;    /* [0, ntpl): templates in strcmp order; then unmatched groups */
  size_t ntpl, ngroups;
  size_t *members, *off; /* keys of group g: members[off[g] .. off[g+1]) (res->keys indexes) */
  size_t *rows;          /* groups with keys, by est_bytes descending (then keys, name) */
  size_t nrows;
  double *scale;         /* per node: DBSIZE/scanned when sampled, else 1 */
  size_t nkeys, nbytes, gone;
  long long bytes;
  double est_keys, est_bytes;
  Thresholds th;         /* the server defaults the rules use (options_defaults) */
} AuditReport;

/* Group of a template text, or -1 (binary search over the templates). */
long audit_template_group(const AuditReport *r, const char *tpl);
/* "1,234" into buf; returns buf. */
const char *audit_count(long long v, char *buf, size_t size);
/* "512 B", "12.3 KiB", "4.0 MiB" into buf; returns buf. */
const char *audit_bytes(double v, char *buf, size_t size);
/* The encoding shares of a group, one type after the other:
 * "hash: 93% listpack, 7% hashtable; string: 100% embstr". */
void audit_encodings(const AuditGroup *g, char *buf, size_t size);
/* The types of a group's keys: "hash, string". */
void audit_types(const AuditGroup *g, char *buf, size_t size);
/* qsort order of long longs. */
int audit_cmp_ll(const void *a, const void *b);
/* Nearest rank: the smallest of the sorted v[0..n) (n > 0) with at least p%
 * of the values at or below it (p50 of 1..100 is 50, p99 is 99). */
long long audit_percentile(const long long *v, size_t n, unsigned p);
/* Percentage of part in whole, 0 when whole is 0. */
double audit_pct(double part, double whole);
/* Whether totals are estimates (a sampled scan). */
bool audit_estimated(const AuditReport *r);

/* ---- evidence (audit_evidence.c) --------------------------------------- */

/* Does the audit attach evidence to findings of this rule (RL101-RL105,
 * RL201, RL203, RL204)? */
bool audit_rule_measured(const Finding *f);
/* The group a finding is about: its key template (f->key), else the
 * template of the key use of the same file whose call contains the finding
 * (of the command kind the rule is about, the innermost call); -1 if none. */
long audit_finding_group(const AuditReport *r, const FileResult *fr, const Finding *f);
/* Appends the measured evidence to the message of every measured finding of
 * the run (in the file's arena); a second call replaces the first's. */
void audit_attach_evidence(AuditReport *r);
/* The evidence in a finding's message, without its brackets (*len bytes;
 * "" and 0 when it has none). */
const char *audit_evidence_of(const Finding *f, size_t *len);
/* Bytes of the listpack entry of the string s[0..n), as listpack.c encodes
 * it (see audit_evidence.c), and the allocator's size class of n bytes. */
size_t audit_listpack_entry_str(const char *s, size_t n);
size_t audit_alloc_class(size_t n);

/* ---- writers (audit_write.c, audit_html.c) ------------------------------ */

/* The cells of a row of the tables, as text and HTML show them. */
typedef struct AuditCells {
  char keys[48], bytes[48], share[16], p50[32], p99[32], max[32], ttl[16];
  char types[64];  /* "string", "hash, string" */
  char enc[256];   /* audit_encodings */
  char where[512]; /* "app.py:12 SET (+2)": where the code writes it */
  char unknown[64]; /* "50 keys without MEMORY USAGE" or "" */
} AuditCells;

void audit_cells(const AuditReport *r, const AuditGroup *g, AuditCells *c);
/* "≈" when the numbers are estimates, else "". */
const char *audit_approx(const AuditReport *r);

int audit_write_text(FILE *out, const AuditReport *r);
int audit_write_json(FILE *out, const AuditReport *r);
int audit_write_html(FILE *out, const AuditReport *r);
#endif
