/* commands.c - the redis-py method table. Keep sorted by method (a test checks). */
#include "commands.h"

#include <stdlib.h>
#include <string.h>

/* add a command here (sorted by method) */
static const Command COMMANDS[] = {
    {"append", "APPEND", 0, -2, CMD_WRITE | CMD_STRING, "key"},
    {"bitcount", "BITCOUNT", 0, -2, CMD_READ | CMD_STRING, "key"},
    {"bitop", "BITOP", 1, -1, CMD_WRITE | CMD_STRING | CMD_MULTI_KEY, "dest"},
    {"bitpos", "BITPOS", 0, -2, CMD_READ | CMD_STRING, "key"},
    {"blmove", "BLMOVE", 0, 1, CMD_READ | CMD_WRITE | CMD_LIST | CMD_BLOCKING | CMD_MULTI_KEY, "first_list"},
    {"blmpop", "BLMPOP", 2, -1, CMD_READ | CMD_WRITE | CMD_LIST | CMD_BLOCKING | CMD_MULTI_KEY, NULL},
    {"blpop", "BLPOP", 0, -1, CMD_READ | CMD_WRITE | CMD_LIST | CMD_BLOCKING | CMD_MULTI_KEY, "keys"},
    {"brpop", "BRPOP", 0, -1, CMD_READ | CMD_WRITE | CMD_LIST | CMD_BLOCKING | CMD_MULTI_KEY, "keys"},
    {"brpoplpush", "BRPOPLPUSH", 0, 1, CMD_READ | CMD_WRITE | CMD_LIST | CMD_BLOCKING | CMD_DEPRECATED | CMD_MULTI_KEY, "src"},
    {"bzmpop", "BZMPOP", 2, -1, CMD_READ | CMD_WRITE | CMD_ZSET | CMD_BLOCKING | CMD_MULTI_KEY, NULL},
    {"bzpopmax", "BZPOPMAX", 0, -1, CMD_READ | CMD_WRITE | CMD_ZSET | CMD_BLOCKING | CMD_MULTI_KEY, "keys"},
    {"bzpopmin", "BZPOPMIN", 0, -1, CMD_READ | CMD_WRITE | CMD_ZSET | CMD_BLOCKING | CMD_MULTI_KEY, "keys"},
    {"config_get", "CONFIG GET", -1, -1, CMD_ADMIN | CMD_SERVER, NULL},
    {"config_resetstat", "CONFIG RESETSTAT", -1, -1, CMD_ADMIN | CMD_SERVER, NULL},
    {"config_rewrite", "CONFIG REWRITE", -1, -1, CMD_ADMIN | CMD_SERVER, NULL},
    {"config_set", "CONFIG SET", -1, -1, CMD_ADMIN | CMD_SERVER, NULL},
    {"copy", "COPY", 0, 1, CMD_WRITE | CMD_KEYSPACE | CMD_MULTI_KEY, "source"},
    {"dbsize", "DBSIZE", -1, -1, CMD_READ | CMD_SERVER, NULL},
    {"debug_object", "DEBUG OBJECT", 0, -2, CMD_ADMIN | CMD_SERVER, "key"},
    {"debug_segfault", "DEBUG SEGFAULT", -1, -1, CMD_ADMIN | CMD_SERVER, NULL},
    {"decr", "DECR", 0, -2, CMD_WRITE | CMD_STRING, "name"},
    {"decrby", "DECRBY", 0, -2, CMD_WRITE | CMD_STRING, "name"},
    {"delete", "DEL", 0, -1, CMD_WRITE | CMD_KEYSPACE | CMD_MULTI_KEY, NULL},
    {"dump", "DUMP", 0, -2, CMD_READ | CMD_KEYSPACE, "name"},
    {"eval", "EVAL", -1, -1, CMD_WRITE | CMD_SCRIPT, NULL},
    {"eval_ro", "EVAL_RO", -1, -1, CMD_READ | CMD_SCRIPT, NULL},
    {"evalsha", "EVALSHA", -1, -1, CMD_WRITE | CMD_SCRIPT, NULL},
    {"evalsha_ro", "EVALSHA_RO", -1, -1, CMD_READ | CMD_SCRIPT, NULL},
    {"execute", "EXEC", -1, -1, CMD_PIPELINE, NULL},
    {"execute_command", "(dynamic)", -1, -1, 0, NULL},
    {"exists", "EXISTS", 0, -1, CMD_READ | CMD_KEYSPACE | CMD_MULTI_KEY, NULL},
    {"expire", "EXPIRE", 0, -2, CMD_WRITE | CMD_KEYSPACE | CMD_SETS_TTL, "name"},
    {"expireat", "EXPIREAT", 0, -2, CMD_WRITE | CMD_KEYSPACE | CMD_SETS_TTL, "name"},
    {"fcall", "FCALL", -1, -1, CMD_WRITE | CMD_SCRIPT, NULL},
    {"flushall", "FLUSHALL", -1, -1, CMD_WRITE | CMD_ADMIN | CMD_SERVER | CMD_ON, NULL},
    {"flushdb", "FLUSHDB", -1, -1, CMD_WRITE | CMD_ADMIN | CMD_SERVER | CMD_ON, NULL},
    {"geoadd", "GEOADD", 0, -2, CMD_WRITE | CMD_ZSET, "name"},
    {"geodist", "GEODIST", 0, -2, CMD_READ | CMD_ZSET, "name"},
    {"geopos", "GEOPOS", 0, -2, CMD_READ | CMD_ZSET, "name"},
    {"georadius", "GEORADIUS", 0, -2, CMD_READ | CMD_ZSET | CMD_DEPRECATED, "name"},
    {"geosearch", "GEOSEARCH", 0, -2, CMD_READ | CMD_ZSET, "name"},
    {"get", "GET", 0, -2, CMD_READ | CMD_STRING, "name"},
    {"getbit", "GETBIT", 0, -2, CMD_READ | CMD_STRING, "name"},
    {"getdel", "GETDEL", 0, -2, CMD_READ | CMD_WRITE | CMD_STRING, "name"},
    {"getex", "GETEX", 0, -2, CMD_READ | CMD_WRITE | CMD_STRING | CMD_SETS_TTL, "name"},
    {"getrange", "GETRANGE", 0, -2, CMD_READ | CMD_STRING, "key"},
    {"getset", "GETSET", 0, -2, CMD_READ | CMD_WRITE | CMD_STRING | CMD_DEPRECATED, "name"},
    {"hdel", "HDEL", 0, -2, CMD_WRITE | CMD_HASH, "name"},
    {"hexists", "HEXISTS", 0, -2, CMD_READ | CMD_HASH, "name"},
    {"hget", "HGET", 0, -2, CMD_READ | CMD_HASH, "name"},
    {"hgetall", "HGETALL", 0, -2, CMD_READ | CMD_HASH | CMD_ON, "name"},
    {"hincrby", "HINCRBY", 0, -2, CMD_WRITE | CMD_HASH, "name"},
    {"hincrbyfloat", "HINCRBYFLOAT", 0, -2, CMD_WRITE | CMD_HASH, "name"},
    {"hkeys", "HKEYS", 0, -2, CMD_READ | CMD_HASH | CMD_ON, "name"},
    {"hlen", "HLEN", 0, -2, CMD_READ | CMD_HASH, "name"},
    {"hmget", "HMGET", 0, -2, CMD_READ | CMD_HASH, "name"},
    {"hmset", "HMSET", 0, -2, CMD_WRITE | CMD_HASH | CMD_DEPRECATED, "name"},
    {"hrandfield", "HRANDFIELD", 0, -2, CMD_READ | CMD_HASH, "key"},
    {"hscan", "HSCAN", 0, -2, CMD_READ | CMD_HASH, "name"},
    {"hscan_iter", "HSCAN", 0, -2, CMD_READ | CMD_HASH | CMD_ITER, "name"},
    {"hset", "HSET", 0, -2, CMD_WRITE | CMD_HASH, "name"},
    {"hsetnx", "HSETNX", 0, -2, CMD_WRITE | CMD_HASH, "name"},
    {"hstrlen", "HSTRLEN", 0, -2, CMD_READ | CMD_HASH, "name"},
    {"hvals", "HVALS", 0, -2, CMD_READ | CMD_HASH | CMD_ON, "name"},
    {"incr", "INCRBY", 0, -2, CMD_WRITE | CMD_STRING, "name"},
    {"incrby", "INCRBY", 0, -2, CMD_WRITE | CMD_STRING, "name"},
    {"incrbyfloat", "INCRBYFLOAT", 0, -2, CMD_WRITE | CMD_STRING, "name"},
    {"info", "INFO", -1, -1, CMD_READ | CMD_SERVER, NULL},
    {"keys", "KEYS", -1, -1, CMD_READ | CMD_KEYSPACE | CMD_ON, NULL},
    {"lindex", "LINDEX", 0, -2, CMD_READ | CMD_LIST, "name"},
    {"linsert", "LINSERT", 0, -2, CMD_WRITE | CMD_LIST, "name"},
    {"llen", "LLEN", 0, -2, CMD_READ | CMD_LIST, "name"},
    {"lmove", "LMOVE", 0, 1, CMD_READ | CMD_WRITE | CMD_LIST | CMD_MULTI_KEY, "first_list"},
    {"lmpop", "LMPOP", 1, -1, CMD_READ | CMD_WRITE | CMD_LIST | CMD_MULTI_KEY, NULL},
    {"lock", "(lock)", 0, -2, CMD_WRITE | CMD_STRING, "name"},
    {"lpop", "LPOP", 0, -2, CMD_READ | CMD_WRITE | CMD_LIST, "name"},
    {"lpos", "LPOS", 0, -2, CMD_READ | CMD_LIST, "name"},
    {"lpush", "LPUSH", 0, -2, CMD_WRITE | CMD_LIST, "name"},
    {"lpushx", "LPUSHX", 0, -2, CMD_WRITE | CMD_LIST, "name"},
    {"lrange", "LRANGE", 0, -2, CMD_READ | CMD_LIST, "name"},
    {"lrem", "LREM", 0, -2, CMD_WRITE | CMD_LIST, "name"},
    {"lset", "LSET", 0, -2, CMD_WRITE | CMD_LIST, "name"},
    {"ltrim", "LTRIM", 0, -2, CMD_WRITE | CMD_LIST, "name"},
    {"memory_usage", "MEMORY USAGE", 0, -2, CMD_READ | CMD_KEYSPACE, "key"},
    {"mget", "MGET", 0, -1, CMD_READ | CMD_STRING | CMD_MULTI_KEY, "keys"},
    {"monitor", "MONITOR", -1, -1, CMD_ADMIN | CMD_SERVER, NULL},
    {"move", "MOVE", 0, -2, CMD_WRITE | CMD_KEYSPACE, "name"},
    {"mset", "MSET", -1, -1, CMD_WRITE | CMD_STRING | CMD_MULTI_KEY, NULL},
    {"msetnx", "MSETNX", -1, -1, CMD_WRITE | CMD_STRING | CMD_MULTI_KEY, NULL},
    {"multi", "MULTI", -1, -1, CMD_PIPELINE, NULL},
    {"object", "OBJECT", 1, -2, CMD_READ | CMD_KEYSPACE, "key"},
    {"persist", "PERSIST", 0, -2, CMD_WRITE | CMD_KEYSPACE, "name"},
    {"pexpire", "PEXPIRE", 0, -2, CMD_WRITE | CMD_KEYSPACE | CMD_SETS_TTL, "name"},
    {"pexpireat", "PEXPIREAT", 0, -2, CMD_WRITE | CMD_KEYSPACE | CMD_SETS_TTL, "name"},
    {"pfadd", "PFADD", 0, -2, CMD_WRITE | CMD_STRING, "name"},
    {"pfcount", "PFCOUNT", 0, -1, CMD_READ | CMD_STRING | CMD_MULTI_KEY, NULL},
    {"pfmerge", "PFMERGE", 0, -1, CMD_WRITE | CMD_STRING | CMD_MULTI_KEY, "dest"},
    {"ping", "PING", -1, -1, CMD_SERVER, NULL},
    {"psetex", "PSETEX", 0, -2, CMD_WRITE | CMD_STRING | CMD_SETS_TTL, "name"},
    {"pttl", "PTTL", 0, -2, CMD_READ | CMD_KEYSPACE, "name"},
    {"publish", "PUBLISH", -1, -1, CMD_PUBSUB, NULL},
    {"randomkey", "RANDOMKEY", -1, -1, CMD_READ | CMD_KEYSPACE, NULL},
    {"rename", "RENAME", 0, 1, CMD_WRITE | CMD_KEYSPACE | CMD_MULTI_KEY, "src"},
    {"renamenx", "RENAMENX", 0, 1, CMD_WRITE | CMD_KEYSPACE | CMD_MULTI_KEY, "src"},
    {"restore", "RESTORE", 0, -2, CMD_WRITE | CMD_KEYSPACE | CMD_SETS_TTL, "name"},
    {"rpop", "RPOP", 0, -2, CMD_READ | CMD_WRITE | CMD_LIST, "name"},
    {"rpoplpush", "RPOPLPUSH", 0, 1, CMD_READ | CMD_WRITE | CMD_LIST | CMD_DEPRECATED | CMD_MULTI_KEY, "src"},
    {"rpush", "RPUSH", 0, -2, CMD_WRITE | CMD_LIST, "name"},
    {"rpushx", "RPUSHX", 0, -2, CMD_WRITE | CMD_LIST, "name"},
    {"sadd", "SADD", 0, -2, CMD_WRITE | CMD_SET, "name"},
    {"scan", "SCAN", -1, -1, CMD_READ | CMD_KEYSPACE, NULL},
    {"scan_iter", "SCAN", -1, -1, CMD_READ | CMD_KEYSPACE | CMD_ITER, NULL},
    {"scard", "SCARD", 0, -2, CMD_READ | CMD_SET, "name"},
    {"script_flush", "SCRIPT FLUSH", -1, -1, CMD_ADMIN | CMD_SCRIPT, NULL},
    {"script_load", "SCRIPT LOAD", -1, -1, CMD_SCRIPT, NULL},
    {"sdiff", "SDIFF", 0, -1, CMD_READ | CMD_SET | CMD_MULTI_KEY | CMD_ON, "keys"},
    {"sdiffstore", "SDIFFSTORE", 0, -1, CMD_WRITE | CMD_SET | CMD_MULTI_KEY | CMD_ON, "dest"},
    {"set", "SET", 0, -2, CMD_WRITE | CMD_STRING | CMD_SETS_TTL, "name"},
    {"setbit", "SETBIT", 0, -2, CMD_WRITE | CMD_STRING, "name"},
    {"setex", "SETEX", 0, -2, CMD_WRITE | CMD_STRING | CMD_SETS_TTL, "name"},
    {"setnx", "SETNX", 0, -2, CMD_WRITE | CMD_STRING | CMD_DEPRECATED, "name"},
    {"setrange", "SETRANGE", 0, -2, CMD_WRITE | CMD_STRING, "name"},
    {"shutdown", "SHUTDOWN", -1, -1, CMD_ADMIN | CMD_SERVER, NULL},
    {"sinter", "SINTER", 0, -1, CMD_READ | CMD_SET | CMD_MULTI_KEY | CMD_ON, "keys"},
    {"sintercard", "SINTERCARD", 1, -1, CMD_READ | CMD_SET | CMD_MULTI_KEY | CMD_ON, NULL},
    {"sinterstore", "SINTERSTORE", 0, -1, CMD_WRITE | CMD_SET | CMD_MULTI_KEY | CMD_ON, "dest"},
    {"sismember", "SISMEMBER", 0, -2, CMD_READ | CMD_SET, "name"},
    {"smembers", "SMEMBERS", 0, -2, CMD_READ | CMD_SET | CMD_ON, "name"},
    {"smismember", "SMISMEMBER", 0, -2, CMD_READ | CMD_SET, "name"},
    {"smove", "SMOVE", 0, 1, CMD_WRITE | CMD_SET | CMD_MULTI_KEY, "src"},
    {"sort", "SORT", 0, -2, CMD_READ | CMD_WRITE | CMD_LIST | CMD_ON, "name"},
    {"spop", "SPOP", 0, -2, CMD_READ | CMD_WRITE | CMD_SET, "name"},
    {"srandmember", "SRANDMEMBER", 0, -2, CMD_READ | CMD_SET, "name"},
    {"srem", "SREM", 0, -2, CMD_WRITE | CMD_SET, "name"},
    {"sscan", "SSCAN", 0, -2, CMD_READ | CMD_SET, "name"},
    {"sscan_iter", "SSCAN", 0, -2, CMD_READ | CMD_SET | CMD_ITER, "name"},
    {"strlen", "STRLEN", 0, -2, CMD_READ | CMD_STRING, "name"},
    {"sunion", "SUNION", 0, -1, CMD_READ | CMD_SET | CMD_MULTI_KEY | CMD_ON, "keys"},
    {"sunionstore", "SUNIONSTORE", 0, -1, CMD_WRITE | CMD_SET | CMD_MULTI_KEY | CMD_ON, "dest"},
    {"touch", "TOUCH", 0, -1, CMD_READ | CMD_KEYSPACE | CMD_MULTI_KEY, NULL},
    {"ttl", "TTL", 0, -2, CMD_READ | CMD_KEYSPACE, "name"},
    {"type", "TYPE", 0, -2, CMD_READ | CMD_KEYSPACE, "name"},
    {"unlink", "UNLINK", 0, -1, CMD_WRITE | CMD_KEYSPACE | CMD_MULTI_KEY, NULL},
    {"unwatch", "UNWATCH", -1, -1, CMD_PIPELINE, NULL},
    {"watch", "WATCH", 0, -1, CMD_PIPELINE | CMD_MULTI_KEY, NULL},
    {"xack", "XACK", 0, -2, CMD_WRITE | CMD_STREAM, "name"},
    {"xadd", "XADD", 0, -2, CMD_WRITE | CMD_STREAM, "name"},
    {"xautoclaim", "XAUTOCLAIM", 0, -2, CMD_READ | CMD_WRITE | CMD_STREAM, "name"},
    {"xclaim", "XCLAIM", 0, -2, CMD_READ | CMD_WRITE | CMD_STREAM, "name"},
    {"xdel", "XDEL", 0, -2, CMD_WRITE | CMD_STREAM, "name"},
    {"xgroup_create", "XGROUP CREATE", 0, -2, CMD_WRITE | CMD_STREAM, "name"},
    {"xinfo_stream", "XINFO STREAM", 0, -2, CMD_READ | CMD_STREAM, "name"},
    {"xlen", "XLEN", 0, -2, CMD_READ | CMD_STREAM, "name"},
    {"xpending", "XPENDING", 0, -2, CMD_READ | CMD_STREAM, "name"},
    {"xrange", "XRANGE", 0, -2, CMD_READ | CMD_STREAM, "name"},
    {"xread", "XREAD", -1, -1, CMD_READ | CMD_STREAM | CMD_MULTI_KEY, NULL},
    {"xreadgroup", "XREADGROUP", -1, -1, CMD_READ | CMD_WRITE | CMD_STREAM | CMD_MULTI_KEY, NULL},
    {"xrevrange", "XREVRANGE", 0, -2, CMD_READ | CMD_STREAM, "name"},
    {"xtrim", "XTRIM", 0, -2, CMD_WRITE | CMD_STREAM, "name"},
    {"zadd", "ZADD", 0, -2, CMD_WRITE | CMD_ZSET, "name"},
    {"zcard", "ZCARD", 0, -2, CMD_READ | CMD_ZSET, "name"},
    {"zcount", "ZCOUNT", 0, -2, CMD_READ | CMD_ZSET, "name"},
    {"zincrby", "ZINCRBY", 0, -2, CMD_WRITE | CMD_ZSET, "name"},
    {"zinterstore", "ZINTERSTORE", 0, -2, CMD_WRITE | CMD_ZSET | CMD_MULTI_KEY | CMD_ON, "dest"},
    {"zmscore", "ZMSCORE", 0, -2, CMD_READ | CMD_ZSET, "key"},
    {"zpopmax", "ZPOPMAX", 0, -2, CMD_READ | CMD_WRITE | CMD_ZSET, "name"},
    {"zpopmin", "ZPOPMIN", 0, -2, CMD_READ | CMD_WRITE | CMD_ZSET, "name"},
    {"zrange", "ZRANGE", 0, -2, CMD_READ | CMD_ZSET, "name"},
    {"zrangebyscore", "ZRANGEBYSCORE", 0, -2, CMD_READ | CMD_ZSET, "name"},
    {"zrank", "ZRANK", 0, -2, CMD_READ | CMD_ZSET, "name"},
    {"zrem", "ZREM", 0, -2, CMD_WRITE | CMD_ZSET, "name"},
    {"zremrangebylex", "ZREMRANGEBYLEX", 0, -2, CMD_WRITE | CMD_ZSET, "name"},
    {"zremrangebyrank", "ZREMRANGEBYRANK", 0, -2, CMD_WRITE | CMD_ZSET, "name"},
    {"zremrangebyscore", "ZREMRANGEBYSCORE", 0, -2, CMD_WRITE | CMD_ZSET, "name"},
    {"zrevrange", "ZREVRANGE", 0, -2, CMD_READ | CMD_ZSET, "name"},
    {"zrevrangebyscore", "ZREVRANGEBYSCORE", 0, -2, CMD_READ | CMD_ZSET, "name"},
    {"zrevrank", "ZREVRANK", 0, -2, CMD_READ | CMD_ZSET, "name"},
    {"zscan", "ZSCAN", 0, -2, CMD_READ | CMD_ZSET, "name"},
    {"zscan_iter", "ZSCAN", 0, -2, CMD_READ | CMD_ZSET | CMD_ITER, "name"},
    {"zscore", "ZSCORE", 0, -2, CMD_READ | CMD_ZSET, "name"},
    {"zunionstore", "ZUNIONSTORE", 0, -2, CMD_WRITE | CMD_ZSET | CMD_MULTI_KEY | CMD_ON, "dest"},
};

#define NCOMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

static int cmp_method(const char *m, uint32_t len, const char *entry) {
  int c = strncmp(m, entry, len);
  if (c) return c;
  return entry[len] ? -1 : 0;
}

const Command *commands_find(const char *method, uint32_t len) {
  size_t lo = 0, hi = NCOMMANDS;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = cmp_method(method, len, COMMANDS[mid].method);
    if (c == 0) return &COMMANDS[mid];
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return NULL;
}

size_t commands_count(void) { return NCOMMANDS; }

const Command *commands_at(size_t i) { return i < NCOMMANDS ? &COMMANDS[i] : NULL; }

/* Method names that only a Redis client (or pipeline) has: calling one is
 * evidence that the receiver is a client (model_infer.c). Names that other
 * common libraries share are left out: get/set/delete/keys, incr (statsd),
 * mget (Elasticsearch), unlink (os, pathlib), persist (Spark), ttl, publish.
 * Keep sorted (a test checks). */
static const char *const DISTINCTIVE[] = {
    "blmove", "blpop", "brpop", "brpoplpush", "bzpopmax", "bzpopmin", "decrby", "evalsha",
    "expire", "expireat", "flushall", "flushdb", "geoadd", "geosearch", "getdel", "getex",
    "getset", "hdel", "hexists", "hget", "hgetall", "hincrby", "hincrbyfloat", "hkeys", "hlen",
    "hmget", "hmset", "hscan_iter", "hset", "hsetnx", "hvals", "incrby", "incrbyfloat", "lindex",
    "llen", "lmove", "lpop", "lpush", "lpushx", "lrange", "lrem", "lset", "ltrim", "pexpire",
    "pexpireat", "pfadd", "pfcount", "pfmerge", "pipeline", "psetex", "pttl", "register_script",
    "rpop", "rpoplpush", "rpush", "rpushx", "sadd", "scan_iter", "scard", "script_load", "sdiff",
    "sdiffstore", "setex", "setnx", "sinter", "sinterstore", "sismember", "smembers",
    "smismember", "smove", "spop", "srandmember", "srem", "sscan_iter", "sunion", "sunionstore",
    "xack", "xadd", "xautoclaim", "xclaim", "xdel", "xgroup_create", "xlen", "xpending", "xrange",
    "xread", "xreadgroup", "xrevrange", "xtrim", "zadd", "zcard", "zcount", "zincrby",
    "zinterstore", "zpopmax", "zpopmin", "zrange", "zrangebyscore", "zrank", "zrem",
    "zremrangebyrank", "zremrangebyscore", "zrevrange", "zrevrangebyscore", "zrevrank",
    "zscan_iter", "zscore", "zunionstore",
};

static int cmp_distinct(const void *key, const void *elem) {
  const char *const *e = elem;
  return strcmp((const char *)key, *e);
}

int commands_distinctive_index(const char *method, uint32_t len) {
  char buf[32];
  if (len == 0 || len >= sizeof buf) return -1;
  memcpy(buf, method, len);
  buf[len] = '\0';
  const char *const *hit = bsearch(buf, DISTINCTIVE, sizeof DISTINCTIVE / sizeof DISTINCTIVE[0],
                                   sizeof DISTINCTIVE[0], cmp_distinct);
  return hit ? (int)(hit - DISTINCTIVE) : -1;
}

bool commands_distinctive(const char *method, uint32_t len) {
  return commands_distinctive_index(method, len) >= 0;
}

size_t commands_ndistinctive(void) { return sizeof DISTINCTIVE / sizeof DISTINCTIVE[0]; }
const char *commands_distinctive_at(size_t i) {
  return i < commands_ndistinctive() ? DISTINCTIVE[i] : NULL;
}
