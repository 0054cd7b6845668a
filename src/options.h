/* options.h - everything that configures a lint run. */
#ifndef RL_OPTIONS_H
#define RL_OPTIONS_H
#include <stdbool.h>
#include <stddef.h>

/* Redis server thresholds the memory rules compare against (server defaults). */
typedef struct Thresholds {
  long hash_max_listpack_entries; /* 512 */
  long hash_max_listpack_value;   /* 64 */
  long set_max_intset_entries;    /* 512 */
  long blob_min_bytes;            /* 1024: literal values at least this big count as blobs */
  int per_field_min_group;        /* 3 (2 when the values come from one object) */
} Thresholds;

typedef struct Options {
  Thresholds th;
  bool enabled[64]; /* by registry index */
  long default_ttl; /* seconds: the TTL fixes add (RL201), 3600 */
  int jobs;         /* worker threads, >= 1 */
  bool list_calls;  /* record every Redis call site (redislint calls) */
} Options;

void options_defaults(Options *self);
#endif
