/* index.h - the project index: what each module exports that is a Redis
 * client, a client class or a client factory, so that `from app.ext import
 * redis_client` resolves across files. Built in pass 1, read-only in pass 2. */
#ifndef RL_INDEX_H
#define RL_INDEX_H
#include <stdbool.h>
#include <stddef.h>
#include "model.h"

typedef struct ProjectIndex ProjectIndex;

ProjectIndex *index_new(void);
void index_delete(ProjectIndex *self);
/* Replaces the exports of `module`. Returns true when they changed. */
bool index_set_exports(ProjectIndex *self, const char *module, const Export *ex, size_t n);
/* Value of a dotted name "app.ext.redis_client": the module part matches a
 * module of the project exactly or as a dotted suffix ("src.app.ext" matches
 * "app.ext"); ambiguous suffixes resolve to nothing. */
bool index_lookup(const ProjectIndex *self, const char *qualname, Value *out);
/* Member `attr` (class or instance attribute, @property factory) of the
 * project class "pkg.mod.Cls", looked up along its bases in other modules. */
bool index_member(const ProjectIndex *self, const char *class_qualname, const char *attr,
                  Value *out);
/* What the project's calls pass to parameter slot `slot` ("0", "k:conn") of
 * callee "pkg.mod.func" (canonical module name), merged over all callers. */
bool index_call_fact(const ProjectIndex *self, const char *callee, const char *slot, Value *out);
/* "app.ext.func" with its module part as the project module's full name
 * ("src.app.ext.func"); NULL when no module matches or it names a module. */
const char *index_canonical(const ProjectIndex *self, Arena *a, const char *qualname);
/* Rebuilds the merged "#" facts after index_set_exports() calls; lookups
 * from several threads need it done first. */
void index_seal(ProjectIndex *self);
/* Does a call fact name a function or class of `module` (so its parameters
 * may be clients even when the file never names redis)? After index_seal. */
bool index_called(const ProjectIndex *self, const char *module);
/* The first module (by name) of the project that sends a blocking command
 * (BLPOP, XREAD BLOCK, ...): a "#blocking" export. NULL when none does. */
const char *index_blocking_module(const ProjectIndex *self);
/* Does "a.b" name a project module itself (`from a import b` of a module)? */
bool index_is_module(const ProjectIndex *self, const char *qualname);
/* Does some module of the project use aioredis 1.x (create_redis_pool,
 * create_redis, ...: an API unlike redis-py's, "#aioredis1")? */
bool index_aioredis1(const ProjectIndex *self);
/* Does a client subclass of the project override redis-py's method `cmd`? */
bool index_overridden(const ProjectIndex *self, const Command *cmd);
size_t index_nmodules(const ProjectIndex *self);
/* Registers a module of the project with no exports yet (so that imports of
 * it are recognised as project imports before its exports are known). */
void index_add_module(ProjectIndex *self, const char *module);
/* Does the module part of a dotted name match a project module? */
bool index_matches_module(const ProjectIndex *self, const char *qualname);
/* A model needs what the module of a class (a base, an instance's class)
 * exports, though nothing there mentions Redis: the module is marked, and
 * the run models its file from the next round on (lint.c build_index).
 * Safe from several threads. */
void index_want_class(const ProjectIndex *self, const char *class_qualname);
size_t index_nwanted(const ProjectIndex *self); /* how many modules are marked */
/* For the model built next on this thread: may it mark modules (false for a
 * file modelled only because it was wanted, so that wants do not cascade). */
void index_wants_allowed(bool on);
/* Is the qualified name a class of the project the index knows members,
 * facts or bases of (through re-exports)? (Its module is a dependency.) */
bool index_has_class(const ProjectIndex *self, const char *class_qualname);
/* The bases in the project of class `class_qualname` (qualified as the
 * class's module names them), in order, at most cap; how many. */
size_t index_class_bases(const ProjectIndex *self, const char *class_qualname, const char **out,
                         size_t cap);
/* The module whose last name is `last` ("settings") sharing the most
 * leading parts with the module being modelled; NULL when none or a tie. */
const char *index_nearest_module(const ProjectIndex *self, const char *last);
bool index_wanted(const ProjectIndex *self, const char *module);
/* Does text mention any exported name? A file that mentions neither "redis"
 * nor an exported name cannot reach a client, so it needs no model. */
bool index_mentioned_in(const ProjectIndex *self, const char *text, size_t len);
/* Does text mention a function or class of the project that builds a client
 * when called ("#builds." exports)? Such a file says where it calls it from
 * (RL401's "runs once per process"), so the index needs its model. */
bool index_mentions_builder(const ProjectIndex *self, const char *text, size_t len);
size_t index_nbuilders(const ProjectIndex *self);
/* A checksum of the names index_mentioned_in looks for (0: none): a file
 * found not to mention them need not be read again while it is unchanged. */
uint64_t index_heads_sum(const ProjectIndex *self);
/* Does a module-level line bind a name from what index_mentioned_in looks
 * for (`sentinel = Sentinel()`)? Such a file may export a client. */
bool index_binds_from_head(const ProjectIndex *self, const char *text, size_t len);
/* Is `name` one of the names index_mentioned_in looks for? */
bool index_is_head(const ProjectIndex *self, const char *name, size_t n);
/* A "#state.<name>" fact: what the project assigns to `app.state.<name>`
 * (merged over every module that does). */
bool index_state_fact(const ProjectIndex *self, const char *name, Value *out);

/* Method names only a Redis client has (commands_distinctive) that a class
 * of the project defines: a wrapper's own `hset` is not evidence of a client.
 * index_scan_defined() scans a file's text for `def NAME` (thread-safe: it
 * fills `defined`, INDEX_MAX_DISTINCT flags by commands_distinctive_at()
 * index); index_add_defined() merges a file's flags. */
#define INDEX_MAX_DISTINCT 256
/* The last slot is no command: the file works with RediSearch (`.ft(`, the
 * redisearch, redisvl or redis_om packages, redis.commands.search, FT.*),
 * so the project's hashes may be indexed documents (RL102). */
#define INDEX_SEARCH_SLOT (INDEX_MAX_DISTINCT - 1)
void index_scan_defined(const char *text, size_t len, bool *defined);
/* Does some file of the project work with RediSearch (INDEX_SEARCH_SLOT)? */
bool index_uses_search(const ProjectIndex *self);
/* ... does this text (what index_scan_defined notes in that slot)? */
bool index_text_uses_search(const char *text, size_t len);
/* A fake client class in test code blocks the evidence in test code only. */
void index_add_defined(ProjectIndex *self, const bool *defined, bool test_code);
bool index_defines(const ProjectIndex *self, const char *method, bool test_code);

/* What a model consulted, so that it is analysed again only when that
 * changed: the modules whose exports it looked up, the call facts about its
 * own functions, the overrides of client methods. index_deps_record(d) makes
 * the index record into d (cleared) every look-up made on this thread until
 * index_deps_record(NULL). index_changes_reset() starts a round; after its
 * index_set_exports() calls and index_seal(), index_deps_changed() says
 * whether anything d depends on changed. */
typedef struct IndexDeps {
  int *ids;
  uint64_t *names; /* per id: the hash of the one export name looked up, 0 for any */
  size_t n, cap;
} IndexDeps;
void index_deps_record(IndexDeps *d);
/* The module whose file this thread models or checks (NULL: none): a module
 * name two project modules share resolves to the one beside it. */
void index_importer(const char *module);
void index_deps_free(IndexDeps *d);
void index_changes_reset(ProjectIndex *self);
bool index_deps_changed(const ProjectIndex *self, const IndexDeps *d);

/* Dotted module name of a path: "src/app/ext.py" -> "src.app.ext",
 * "app/__init__.py" -> "app". Returns malloc'ed string (caller frees). */
char *module_name_for_path(const char *path);
#endif
