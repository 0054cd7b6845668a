/* audit.h - `redislint audit`: the live keyspace measured and tied back to
 * the code that writes it.
 *
 * Two halves meet here:
 *  - the scanner (audit_scan.c, over hiredis: rconn.c) walks a server or
 *    every primary of a Redis Cluster with SCAN and reads, pipelined, each
 *    key's TYPE, MEMORY USAGE, OBJECT ENCODING, PTTL and length; read-only
 *    commands only, never KEYS;
 *  - the report (audit_report.c) matches every key to the code's key
 *    templates (the key uses of a lint run, as `redislint keys` shows them),
 *    totals them per template, attaches the measured evidence to the static
 *    findings (RL101, RL102/RL103, RL104, RL105, RL201, RL203/RL204) and
 *    writes text, JSON, SARIF or a self-contained HTML page. */
#ifndef RL_AUDIT_H
#define RL_AUDIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lint.h"

/* ---- where to connect ------------------------------------------------- */

/* ssl_cert_reqs= of a rediss:// URL, as redis-py names it. */
typedef enum { RL_CERT_REQUIRED, RL_CERT_OPTIONAL, RL_CERT_NONE } RedisCertReqs;

typedef struct RedisUrl {
  bool tls;          /* rediss:// */
  char *host;        /* NULL for unix:// */
  int port;          /* 6379 by default */
  char *socket;      /* unix:// path, else NULL */
  int db;            /* /N or ?db=N, 0 by default */
  char *user;        /* NULL: none (AUTH password alone) */
  char *password;    /* from the URL, else REDISLINT_REDIS_PASSWORD, else NULL */
  /* rediss:// only: the query parameters redis-py's from_url() takes. */
  RedisCertReqs ssl_cert_reqs; /* verify the server's certificate (required by default) */
  bool ssl_check_hostname;     /* ...and that it is for the host (true unless =false or cert_reqs none) */
  char *ssl_ca_certs;          /* the CA bundle to verify with (PEM); NULL: the system's store */
  char *ssl_certfile;          /* a client certificate (PEM), NULL: none */
  char *ssl_keyfile;           /* its private key; NULL: in ssl_certfile */
} RedisUrl;

/* Parses redis://[[user][:password]@]host[:port][/db], rediss://...[?ssl_...],
 * unix://[[user][:password]@]/path[?db=N]; percent-escapes decoded. 0, or -1
 * with a one-line reason in err (the password never appears in it). */
int redis_url_parse(const char *url, RedisUrl *out, char *err, size_t errsize);
void redis_url_free(RedisUrl *u);
/* "redis://host:port/db" with the password masked, for messages. */
const char *redis_url_display(const RedisUrl *u, char *buf, size_t size);

/* ---- what the scanner measures ---------------------------------------- */

typedef enum {
  KT_STRING, KT_LIST, KT_SET, KT_ZSET, KT_HASH, KT_STREAM, KT_OTHER, KT_GONE /* deleted meanwhile */
} KeyType;

typedef struct KeyStat {
  char *name;        /* the key (binary-safe: name_len bytes, NUL-terminated too) */
  size_t name_len;
  KeyType type;
  char encoding[16]; /* OBJECT ENCODING: "listpack", "hashtable", "intset", "embstr"... ("" unknown) */
  long long bytes;   /* MEMORY USAGE k SAMPLES 0 (every element measured: exact totals), -1 unknown */
  long long ttl_ms;  /* PTTL: -1 no expiry, >= 0 remaining, -2 gone, -3 unknown (PTTL refused) */
  long long length;  /* STRLEN / LLEN / SCARD / ZCARD / HLEN / XLEN, -1 unknown */
  int node;          /* index into AuditResult.nodes */
} KeyStat;

typedef struct AuditNode {
  char *addr;        /* "127.0.0.1:7001" */
  long long dbsize;  /* DBSIZE at the start */
  size_t scanned;    /* keys read */
  char *error;       /* NULL, or why this node's audit is partial */
} AuditNode;

typedef struct AuditScanOptions {
  const char *match;    /* SCAN MATCH pattern, NULL: all */
  long count;           /* SCAN COUNT hint (default 1000) */
  size_t sample;        /* stop after this many keys per node (0: all) */
  double rate;          /* at most this many commands per second (0: no cap) */
  long timeout_ms;      /* connect and per-reply timeout (default 5000) */
  FILE *progress;       /* a terminal for "keys done", or NULL */
} AuditScanOptions;

typedef struct AuditResult {
  KeyStat *keys;
  size_t nkeys, capkeys;
  AuditNode *nodes;     /* one for a standalone server, one per primary of a cluster */
  size_t nnodes;
  bool cluster;
  bool sampled;         /* --sample stopped before the end: totals are estimates */
  char *error;          /* NULL, or a fatal problem (could not connect at all, ...) */
  char **warnings;      /* ACL refusals, keys that changed meanwhile, ... (one line each) */
  size_t nwarnings;
  char server_version[32]; /* INFO server redis_version */
} AuditResult;

/* Walks the keyspace. Returns 0 when at least part of it was read (node
 * errors and warnings in the result: a partial report), -1 when nothing
 * could be read (result->error says why). Never sends a write command. */
int audit_scan(const RedisUrl *url, const AuditScanOptions *opt, AuditResult *result);
void audit_result_free(AuditResult *r);
const char *key_type_name(KeyType t); /* "string", "hash", ... */

/* ---- the report --------------------------------------------------------- */

typedef enum { AUDIT_TEXT, AUDIT_JSON, AUDIT_SARIF, AUDIT_HTML } AuditFormat;

/* Matches the measured keys to the key templates of `run` (the linted code;
 * th: the encoding thresholds the estimates use, NULL for the server defaults;
 * most specific template wins), totals them per template and writes the
 * report. `run`'s findings of the memory rules get the measured evidence
 * (the SARIF report carries them). 0, or -1 on a write error. */
int audit_report(FILE *out, AuditFormat fmt, const AuditResult *res, LintRun *run,
                 const char *url_display, const Thresholds *th);
#endif
