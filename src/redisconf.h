/* redisconf.h - server thresholds from a redis.conf (--redis-conf).
 *
 * The memory rules compare against the encoding limits of the server the
 * team runs: hash-max-listpack-entries and -value (or their pre-7 names
 * hash-max-ziplist-entries and -value), set-max-intset-entries,
 * set-max-listpack-entries and -value, zset-max-listpack-entries and -value
 * (zset-max-ziplist-...), list-max-listpack-size (list-max-ziplist-size)
 * and proto-max-bulk-len (with units: 512mb, 1gb, 64k). Other directives
 * are ignored; `include` is not followed. */
#ifndef RL_REDISCONF_H
#define RL_REDISCONF_H
#include "diag.h"
#include "options.h"

/* Reads the file into th. 0, or -1 with one diagnostic per problem (an
 * unreadable file, a value that is not a number) naming file and line. */
int redisconf_load(const char *path, Thresholds *th, Diags *d);
/* "512mb" -> 536870912 (Redis' memory units: b, k, kb, m, mb, g, gb; case
 * insensitive; k = 1000, kb = 1024). -1 when not a size. */
long long redisconf_size(const char *text);
#endif
