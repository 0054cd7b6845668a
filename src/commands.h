/* commands.h - the hand-written table of redis-py client methods.
 *
 * Maps a method name as called in Python (`hset`, `scan_iter`) to the Redis
 * command it sends, where its keys are, and what kind of command it is. */
#ifndef RL_COMMANDS_H
#define RL_COMMANDS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
  CMD_READ = 1u << 0,
  CMD_WRITE = 1u << 1,
  CMD_BLOCKING = 1u << 2,
  CMD_ON = 1u << 3,        /* O(N) in the size of the key or keyspace */
  CMD_ADMIN = 1u << 4,
  CMD_DEPRECATED = 1u << 5,
  CMD_MULTI_KEY = 1u << 6,
  CMD_SETS_TTL = 1u << 7,  /* sets or may set an expiry */
  CMD_STRING = 1u << 8,
  CMD_HASH = 1u << 9,
  CMD_LIST = 1u << 10,
  CMD_SET = 1u << 11,
  CMD_ZSET = 1u << 12,
  CMD_STREAM = 1u << 13,
  CMD_SCRIPT = 1u << 14,
  CMD_PUBSUB = 1u << 15,
  CMD_KEYSPACE = 1u << 16, /* generic key commands: del, expire, ttl, rename... */
  CMD_SERVER = 1u << 17,   /* connection/server commands, no key */
  CMD_PIPELINE = 1u << 18, /* pipeline control: execute, watch, multi */
  CMD_ITER = 1u << 19      /* client-side iterator (scan_iter): many round trips */
};

typedef struct Command {
  const char *method;  /* redis-py method name */
  const char *name;    /* Redis command, upper case */
  int8_t first_key;    /* positional index of the first key, -1: no key */
  int8_t last_key;     /* positional index of the last key; -1: all remaining
                          positional args (variadic), -2: same as first_key */
  uint32_t flags;
  const char *key_kw;  /* keyword name of the first key ("name", "keys"...) */
} Command;

/* NULL if the method is not a known redis-py command method. */
const Command *commands_find(const char *method, uint32_t len);
size_t commands_count(void);
/* Is `method` a name only a Redis client has (hset, zadd, xadd, scan_iter)?
 * Evidence for clients inferred from use. The list, sorted, for tests. */
bool commands_distinctive(const char *method, uint32_t len);
int commands_distinctive_index(const char *method, uint32_t len); /* -1: not one */
size_t commands_ndistinctive(void);
const char *commands_distinctive_at(size_t i);
const Command *commands_at(size_t i);
#endif
