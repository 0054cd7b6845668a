/* ts_safe.h - null-safe tree-sitter node accessors for our code.
 *
 * Error recovery leaves grammar fields empty (a `call` without arguments, a
 * comprehension without a body), and tree-sitter's accessors dereference a
 * null node. Every file of ours that includes model.h gets these instead: a
 * null node in gives a null node (or 0) out. The fuzzer found two crashes of
 * this kind before this header existed. */
#ifndef RL_TS_SAFE_H
#define RL_TS_SAFE_H
#include <tree_sitter/api.h>

static inline TSNode rl_ts_field(TSNode n, TSFieldId f) {
  return ts_node_is_null(n) ? n : ts_node_child_by_field_id(n, f);
}
static inline TSNode rl_ts_named_child(TSNode n, uint32_t i) {
  return ts_node_is_null(n) ? n : ts_node_named_child(n, i);
}
static inline TSNode rl_ts_child(TSNode n, uint32_t i) {
  return ts_node_is_null(n) ? n : ts_node_child(n, i);
}
static inline uint32_t rl_ts_named_child_count(TSNode n) {
  return ts_node_is_null(n) ? 0 : ts_node_named_child_count(n);
}
/* tree-sitter's ts_node_parent() descends from the root every time; ours
 * remembers parents (model_util.c), which rules ask for again and again
 * when they climb from a call to its statement, loop or function. Every
 * ts_tree_delete() of ours goes through rl_ts_tree_delete(), which forgets
 * them (a new tree may reuse the old one's addresses). */
TSNode rl_ts_parent(TSNode n);
void rl_ts_tree_delete(TSTree *t);
/* Counts deleted trees: what a thread remembers of a file is stale once it
 * changes (a new file may reuse the old one's addresses). */
uint64_t rl_tree_generation(void);
TSSymbol rl_ts_symbol(TSNode n);
uint32_t rl_ts_child_count(TSNode n); /* 0 for a null node */
static inline bool rl_ts_is_named(TSNode n) { return !ts_node_is_null(n) && ts_node_is_named(n); }

#define ts_node_child_by_field_id rl_ts_field
#define ts_node_named_child rl_ts_named_child
#define ts_node_child rl_ts_child
#define ts_node_named_child_count rl_ts_named_child_count
#define ts_node_child_count rl_ts_child_count
#define ts_node_parent rl_ts_parent
#define ts_tree_delete rl_ts_tree_delete
#define ts_node_symbol rl_ts_symbol
#define ts_node_is_named rl_ts_is_named
#endif
