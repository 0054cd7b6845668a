/* rules/growth.h - shared by the rules about keys that only grow (RL203,
 * RL204): which key templates does some code in the project shrink? */
#ifndef RL_GROWTH_H
#define RL_GROWTH_H
#include "../lint.h"
#include "rule_util.h"
#include "../strset.h"

/* Is the template specific enough to be one key family (some literal text of
 * two letters or more besides the holes)? */
bool growth_key_specific(const char *tpl);
/* The key templates some use of which in the project calls one of `methods`
 * (NULL-terminated), gathered once: then a lookup per finding. */
void growth_keys_used_by(const LintRun *run, const char *const *methods, struct StrSet *out);
bool growth_has(const struct StrSet *keys, const char *key);
/* Keeps the first finding per key template in file order; drops findings whose
 * key some code shrinks with one of `methods`. */
void growth_filter(ProjectCtx *ctx, const char *const *methods, bool first_only);
#endif
