/* rules/per_field_keys.h - shared by the two halves of RL101. */
#ifndef RL_PER_FIELD_KEYS_H
#define RL_PER_FIELD_KEYS_H
#include "../lint.h"
#include "rule_util.h"

/* redis-py methods that write one string key. */
extern const char *const PER_FIELD_STRING_WRITES[];
/* A key's last segment names a field: identifier-like, not a number or id. */
bool per_field_like(const char *segment);
/* Is `prefix` (n bytes, a key up to its last ':') one entity's: it has a hole
 * (`user:{uid}`) or ends in a literal id (`user:1`)? */
bool per_entity_prefix(const char *prefix, size_t n);
/* The project-wide pass (rule.h check_project). */
void per_field_keys_project(ProjectCtx *ctx);
#endif
