/* rules/rules.h - one declaration per rule; the list is in rules.c. */
#ifndef RL_RULES_RULES_H
#define RL_RULES_RULES_H
#include "rule.h"

extern const Rule RULE_UNUSED_SUPPRESSION;           /* RL001 (suppress.c) */
extern const Rule RULE_PER_FIELD_KEYS;               /* RL101 */
extern const Rule RULE_OVERSIZED_HASH_VALUE;         /* RL102 */
extern const Rule RULE_OVERSIZED_HASH;               /* RL103 */
extern const Rule RULE_UNCOMPRESSED_BLOB;            /* RL104 */
extern const Rule RULE_NON_INTEGER_SET_MEMBERS;      /* RL105 */
extern const Rule RULE_BINARY_WITH_DECODE_RESPONSES; /* RL106 */
extern const Rule RULE_CACHE_WITHOUT_TTL;           /* RL201 */
extern const Rule RULE_SET_THEN_EXPIRE;              /* RL202 */
extern const Rule RULE_UNBOUNDED_LIST;               /* RL203 */
extern const Rule RULE_STREAM_WITHOUT_MAXLEN;        /* RL204 */
extern const Rule RULE_NUMBERED_DATABASES;          /* RL205 */
extern const Rule RULE_KEYS_COMMAND;                 /* RL301 */
extern const Rule RULE_COMMAND_IN_LOOP;              /* RL302 */
extern const Rule RULE_SEQUENTIAL_ROUND_TRIPS;      /* RL303 */
extern const Rule RULE_READ_MODIFY_WRITE;           /* RL304 */
extern const Rule RULE_DANGEROUS_COMMAND;            /* RL305 */
extern const Rule RULE_DYNAMIC_LUA_SCRIPT;          /* RL306 */
extern const Rule RULE_PIPELINE_NEVER_EXECUTED;      /* RL307 */
extern const Rule RULE_PIPELINE_RESULT_AS_VALUE;     /* RL308 */
extern const Rule RULE_UNBOUNDED_READ;              /* RL309 */
extern const Rule RULE_DEPRECATED_COMMAND;           /* RL310 */
extern const Rule RULE_STR_COMPARED_TO_BYTES;        /* RL311 */
extern const Rule RULE_LIST_AS_SET;                  /* RL312 */
extern const Rule RULE_CLIENT_PER_CALL;              /* RL401 */
extern const Rule RULE_MISSING_SOCKET_TIMEOUT;       /* RL402 */
extern const Rule RULE_BLOCKING_WITHOUT_TIMEOUT;     /* RL403 */
extern const Rule RULE_BLOCKING_EXCEEDS_SOCKET_TIMEOUT; /* RL404 */
extern const Rule RULE_SYNC_CLIENT_IN_ASYNC;         /* RL405 */
extern const Rule RULE_LOCK_WITHOUT_TTL;             /* RL501 */
extern const Rule RULE_UNSAFE_LOCK_RELEASE;          /* RL502 */
extern const Rule RULE_HARDCODED_CREDENTIALS;        /* RL601 */
extern const Rule RULE_PLAINTEXT_CONNECTION;         /* RL602 */
extern const Rule RULE_UNSAFE_DESERIALIZATION;       /* RL603 */
extern const Rule RULE_CROSS_SLOT_COMMAND;           /* RL701 */
extern const Rule RULE_LUA_HARDCODED_KEYS;           /* RL702 */
#endif
