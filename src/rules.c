/* rules.c - the rule registry. */
#include "rule.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "rules/rules.h"

/* Generated from the rule docs at build time (scripts/embed_docs.cmake). */
typedef struct RuleDocEntry {
  const char *slug;
  const char *text;
} RuleDocEntry;
extern const RuleDocEntry RL_RULE_DOCS[];
extern const size_t RL_RULE_DOCS_LEN;

/* add a rule here (keep codes in order) */
static const Rule *const RULES[] = {
    &RULE_UNUSED_SUPPRESSION,
    &RULE_PER_FIELD_KEYS,
    &RULE_OVERSIZED_HASH_VALUE,
    &RULE_OVERSIZED_HASH,
    &RULE_UNCOMPRESSED_BLOB,
    &RULE_NON_INTEGER_SET_MEMBERS,
    &RULE_BINARY_WITH_DECODE_RESPONSES,
    &RULE_CACHE_WITHOUT_TTL,
    &RULE_SET_THEN_EXPIRE,
    &RULE_UNBOUNDED_LIST,
    &RULE_STREAM_WITHOUT_MAXLEN,
    &RULE_NUMBERED_DATABASES,
    &RULE_KEYS_COMMAND,
    &RULE_COMMAND_IN_LOOP,
    &RULE_SEQUENTIAL_ROUND_TRIPS,
    &RULE_READ_MODIFY_WRITE,
    &RULE_DANGEROUS_COMMAND,
    &RULE_DYNAMIC_LUA_SCRIPT,
    &RULE_PIPELINE_NEVER_EXECUTED,
    &RULE_PIPELINE_RESULT_AS_VALUE,
    &RULE_UNBOUNDED_READ,
    &RULE_DEPRECATED_COMMAND,
    &RULE_STR_COMPARED_TO_BYTES,
    &RULE_LIST_AS_SET,
    &RULE_CLIENT_PER_CALL,
    &RULE_MISSING_SOCKET_TIMEOUT,
    &RULE_BLOCKING_WITHOUT_TIMEOUT,
    &RULE_BLOCKING_EXCEEDS_SOCKET_TIMEOUT,
    &RULE_SYNC_CLIENT_IN_ASYNC,
    &RULE_LOCK_WITHOUT_TTL,
    &RULE_UNSAFE_LOCK_RELEASE,
    &RULE_HARDCODED_CREDENTIALS,
    &RULE_PLAINTEXT_CONNECTION,
    &RULE_UNSAFE_DESERIALIZATION,
    &RULE_CROSS_SLOT_COMMAND,
    &RULE_LUA_HARDCODED_KEYS,
};

#define NRULES (sizeof RULES / sizeof RULES[0])

size_t rules_count(void) { return NRULES; }

const Rule *rules_at(size_t i) { return i < NRULES ? RULES[i] : NULL; }

const Rule *rules_find(const char *code_or_slug) {
  for (size_t i = 0; i < NRULES; i++)
    if (strcasecmp(RULES[i]->code, code_or_slug) == 0 || strcmp(RULES[i]->slug, code_or_slug) == 0)
      return RULES[i];
  return NULL;
}

size_t rules_index(const Rule *rule) {
  for (size_t i = 0; i < NRULES; i++)
    if (RULES[i] == rule) return i;
  return 0;
}

const char *rule_doc(const Rule *rule) {
  for (size_t i = 0; i < RL_RULE_DOCS_LEN; i++)
    if (RL_RULE_DOCS[i].slug && strcmp(RL_RULE_DOCS[i].slug, rule->slug) == 0)
      return RL_RULE_DOCS[i].text;
  return NULL;
}
