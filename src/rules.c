/* rules.c - the rule registry: RL_RULES, generated at build time from the
 * front matter of rules/<slug>.md (scripts/embed_docs.cmake), in code order.
 * To add a rule: rules/<slug>.md with its front matter, src/rules/<file>.c
 * defining `const RuleImpl RL_IMPL_<slug with _ for ->`, and its fixtures. */
#include "rule.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* Generated from the rule docs at build time (scripts/embed_docs.cmake). */
typedef struct RuleDocEntry {
  const char *slug;
  const char *text;
} RuleDocEntry;
extern const RuleDocEntry RL_RULE_DOCS[];
extern const size_t RL_RULE_DOCS_LEN;
extern const Rule RL_RULES[];
extern const size_t RL_NRULES;

size_t rules_count(void) { return RL_NRULES; }

const Rule *rules_at(size_t i) { return i < RL_NRULES ? &RL_RULES[i] : NULL; }

const Rule *rules_find(const char *code_or_slug) {
  for (size_t i = 0; i < RL_NRULES; i++)
    if (strcasecmp(RL_RULES[i].code, code_or_slug) == 0 || strcmp(RL_RULES[i].slug, code_or_slug) == 0)
      return &RL_RULES[i];
  return NULL;
}

size_t rules_index(const Rule *rule) {
  if (rule >= RL_RULES && rule < RL_RULES + RL_NRULES) return (size_t)(rule - RL_RULES);
  for (size_t i = 0; i < RL_NRULES; i++) /* a copy of a registry entry (tests) */
    if (!strcmp(RL_RULES[i].code, rule->code)) return i;
  return 0;
}

const char *rule_doc(const Rule *rule) {
  for (size_t i = 0; i < RL_RULE_DOCS_LEN; i++)
    if (RL_RULE_DOCS[i].slug && strcmp(RL_RULE_DOCS[i].slug, rule->slug) == 0)
      return RL_RULE_DOCS[i].text;
  return NULL;
}
