/* rules/growth.h - shared by the rules about keys that only grow (RL203,
 * RL204): which key templates does some code in the project shrink? */
#ifndef RL_GROWTH_H
#define RL_GROWTH_H
#include "../lint.h"
#include "rule_util.h"

/* Is the template specific enough to be one key family (some literal text of
 * two letters or more besides the holes)? */
bool growth_key_specific(const char *tpl);
/* Does any use of `key` in the project call one of `methods` (NULL-terminated)? */
bool growth_key_used_by(const LintRun *run, const char *key, const char *const *methods);
/* Keeps the first finding per key template in file order; drops findings whose
 * key some code shrinks with one of `methods`. */
void growth_filter(ProjectCtx *ctx, const char *const *methods, bool first_only);
#endif
