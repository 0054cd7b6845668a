/* rules/rule_util.h - helpers shared by rules: stored values of write
 * commands, loop iterables, redis-py TTL arguments. */
#ifndef RL_RULE_UTIL_H
#define RL_RULE_UTIL_H
#include "../model.h"
#include "../index.h"
#include "../rule_ctx.h"

#define MAX_VALUES 64

/* A field/value pair or a bare value written by a command. */
typedef struct Stored {
  TSNode field; /* hash field / stream field name; null for plain values */
  TSNode value;
} Stored;

/* The values a write command stores (set value, hset field+value and
 * mapping entries, list pushes, xadd fields...). Returns the count. When the
 * mapping is not a literal, *mapping_out (may be NULL) gets its node. */
size_t stored_values(const Model *m, const CallSite *cs, Stored *out, size_t cap,
                     TSNode *mapping_out);

/* TTL argument of a set/setex/psetex call as written ("" when none). */
const char *ttl_text(RuleCtx *ctx, const CallSite *cs);
#define rule_ttl_text ttl_text

typedef enum { ITER_BOUNDED, ITER_UNKNOWN, ITER_UNBOUNDED } IterBound;
/* How many items a loop's iterable can yield, from evidence. *count gets a
 * literal bound when known (else -1). */
IterBound iterable_bound(const Model *m, TSNode iterable, int scope, int64_t *count,
                         long limit);

/* Does `expr` mention an identifier bound by the loop's target? */
bool mentions_loop_target(const Model *m, const Loop *loop, TSNode expr);
/* Text of the key template for messages: "user:{}:name". */
const char *key_display(RuleCtx *ctx, const KeyTpl *k);
/* The key of a call for messages: its template, or its source text when the
 * template says nothing ("key" rather than "{}"). */
const char *call_key_display(RuleCtx *ctx, const CallSite *cs);
/* Where to report a value: the value itself when it is written in the call,
 * else the call (a mapping built on an earlier line). */
TSNode report_node(const CallSite *cs, TSNode n);
/* Is the file test code? A `tests/`, `test/`, `testing/` or `t/` directory on its
 * path, `test_*.py`, `*_test.py`, `*_tests.py`, `tests.py`, `test.py`,
 * `testing.py`, `conftest.py`, a configured test-paths glob, or a module
 * declaring tests (a top-level `class X(...TestCase)`, or `import pytest` and
 * a top-level `def test_...`).
 * Rules document their policy. */
bool in_test_code(const Source *src, const Options *opt);
/* Example, benchmark or one-off script code: a file under an examples/,
 * example/, demo/, demos/, bench/ or benchmarks/ directory of its project,
 * and with_scripts, scripts/ too. Code that runs once per invocation, or
 * shows a shape. */
bool in_example_code(const Source *src, const Options *opt, bool with_scripts);
/* Where code runs, for the engine's per-rule policies (front matter
 * `examples:` and `scripts:`): example code is a file under an examples/,
 * example/, demo/, demos/, docs/, doc/, tutorial/, tutorials/, bench/ or
 * benchmarks/ directory of its project or an options.example-paths glob;
 * a one-off script is a file under scripts/ or bin/, an options.script-paths
 * glob, or a module's `if __name__ == "__main__":` block (code_role_at).
 * Test code (in_test_code) comes first and is each rule's own decision. */
typedef enum { CODE_PRODUCTION, CODE_TEST, CODE_EXAMPLE, CODE_SCRIPT } CodeRole;
/* A one-off upgrade or migration step (a file under an update/, updates/,
 * upgrade/, upgrades/, migrations/ or migration/ directory, or a file whose
 * name starts with migrate or migration): run once per version by an
 * operator, like a script (code_role says CODE_SCRIPT). */
bool path_is_upgrade_step(const char *path);
CodeRole code_role(const Source *src, const Options *opt);
/* The `if __name__ == "__main__":` blocks of a module (top level, found in
 * the text): n ranges [start, end) into *ranges (malloc'ed; NULL when none). */
size_t main_blocks(const Source *src, uint32_t (**ranges)[2]);

/* The first word of `text` (split on non-letters and camelCase) that is, or
 * starts, a word of `list` ("caches" matches "cache"), or NULL. */
const char *find_word(const char *text, const char *const *list);

/* The call's key is one constant name ("myapp_status", a module constant)
 * with no literal id in it (`user:1` is not): the code writes a single key
 * there, not one per entity, so a per-key cost is paid once. */
bool key_is_singleton(const CallSite *cs);
/* The call is a statement of its own (its result is not used). */
bool result_unused(const CallSite *cs);
/* Adds an edit inserting `kw=value` as the call's last argument (on a line
 * of its own when the call has one argument per line and a trailing comma). */
void fix_add_kwarg(RuleCtx *ctx, Finding *f, const CallSite *cs, const char *kwarg);
/* The same for an argument list. */
void fix_add_kwarg_to(RuleCtx *ctx, Finding *f, TSNode args, const char *kwarg);
/* Replaces the method name of the call (`r.hmset(` -> `r.hset(`). */
void fix_rename_method(RuleCtx *ctx, Finding *f, const CallSite *cs, const char *method);
/* Byte range of a whole statement's line(s), for deleting it: from the start
 * of its line through its newline. False when the line holds anything else
 * (another statement or a comment) that deleting would lose. */
bool statement_line_range(const Source *src, TSNode stmt, uint32_t *start, uint32_t *end);
/* Does the statement have its line(s) to itself (a comment may end the
 * last one)? *after gets the end of its last line, where a statement can be
 * added after it. False for `if x: stmt` and `stmt; other()`: a new line
 * there would leave the block, or run before `other()`. */
bool statement_own_lines(const Source *src, TSNode stmt, uint32_t *after);
/* Adds an edit inserting `code` on a new line at `after` (from
 * statement_own_lines), with the indentation of `stmt`. */
void fix_add_statement_after(RuleCtx *ctx, Finding *f, TSNode stmt, uint32_t after,
                             const char *code);
/* Parameter names of function `func` and of the functions enclosing it
(closures see them too), without `self`/`cls`. Returns the count; names
are arena-owned. */
size_t func_params(RuleCtx *ctx, int func, const char **out, size_t cap);
/* The calls `<holder>.<method>(...)` in root (holder a name or an attribute
 * chain, as squeezed text: `ps`, `self.pubsub`), indexed once by holder and
 * position: asking for each of n holders in a function stays O(n log n). */
typedef struct MethodCalls {
  TSNode root;  /* what was indexed (null: nothing yet) */
  const char *method;
  struct MethodCall *v;
  size_t n;
} MethodCalls;
/* (Re)builds idx for root and method unless it holds them already. */
void method_calls_index(RuleCtx *ctx, MethodCalls *idx, TSNode root, const char *method);
/* The first indexed call of holder starting at or after `after` that accept
 * (if given) keeps; a null node when none. */
TSNode method_calls_first(const MethodCalls *idx, const char *holder, uint32_t after,
                          bool (*accept)(TSNode call));
void method_calls_free(MethodCalls *idx);
/* Does the source text of node n contain `needle`? Reads the source in
 * place (no copy of n's text). */
bool node_text_has(const RuleCtx *ctx, TSNode n, const char *needle);
/* The first identifier in `expr` (not an attribute name or keyword name) that
is one of `names`, or NULL. */
const char *expr_mentions_any(RuleCtx *ctx, TSNode expr, const char *const *names, size_t n);
/* The call sites inside function `func` as an index range [*lo, *hi) around
call site i (which must be in it): call sites come in tree order, so the
ones of a function are contiguous. */
void func_calls(const Model *m, size_t i, int func, size_t *lo, size_t *hi);
/* The first call site starting at or after `byte` (call sites are in tree
 * order): with it, the calls inside a node are a range [from(start), from(end)). */
size_t first_call_from(const Model *m, uint32_t byte);
/* node_walk of root restricted to [from, to): root and each node on the way
 * down that overlaps the range are visited, the nodes inside it are walked,
 * the rest is skipped (a cursor finds the first child by byte). A check
 * between a read and its write costs what lies between them, not the whole
 * function: many pairs in one function stay linear. */
void range_walk(TSNode root, uint32_t from, uint32_t to, bool (*visit)(TSNode n, void *data),
                void *data);
/* Call sites grouped by key, for checks that pair each write with the
 * reads (or expires) of the same key in its function: asking the groups
 * costs the calls that may share the key, not every call before it, so a
 * function of many keys stays linear. Built once a file from a list of call
 * indices (ascending). */
typedef struct KeyGroups {
  struct KeyEntry *by[2]; /* [0] by key template, [1] by the key's text */
  size_t n[2];
} KeyGroups;
void key_groups_build(RuleCtx *ctx, KeyGroups *g, const size_t *calls, size_t n);
/* The listed calls in [lo, hi) that may have cs's key, ascending, into out
 * (a Vec of size_t, cleared first): candidates for calls_same_key(), which
 * decides. */
void key_groups_find(RuleCtx *ctx, const KeyGroups *g, const CallSite *cs, size_t lo, size_t hi,
                     Vec *out);
void key_groups_free(KeyGroups *g);
/* The key argument of a call: first positional, or `name=`. */
TSNode call_key_arg(RuleCtx *ctx, const CallSite *cs);
/* Do two expressions read the same, ignoring whitespace? False if either is null. */
bool same_expr_text(RuleCtx *ctx, TSNode a, TSNode b);
/* Do two calls address the same key: equal key templates when both are
known, else the same key expression? */
bool calls_same_key(RuleCtx *ctx, const CallSite *a, const CallSite *b);
/* RL304's data flow, shared with RL201. The value a SET-family call
(set/setex/psetex/hset/hsetnx) writes; null node if not visible. */
TSNode written_value(RuleCtx *ctx, const CallSite *w);
/* Is the value write w stores a name whose one reaching assignment lies
 * before the call r (or a parameter's default): made before a check, not
 * on its miss path (read_modify_write.c)? */
bool value_made_before(RuleCtx *ctx, const CallSite *w, const CallSite *r);
/* Does `value` (written by w) carry what read r returned, through names
assigned in between (`v = r.get(k); d = json.loads(v); ...; r.set(k, d)`)? */
bool value_from_read(RuleCtx *ctx, const CallSite *r, const CallSite *w, TSNode value);
/* Is call site i in a function that takes a lock or uses WATCH/MULTI or
transaction(), or inside `with ...lock...:`? */
bool func_atomic_guarded(RuleCtx *ctx, size_t i);
/* The statement after / before `stmt` in its block, skipping comments;
*comment (may be NULL) is set when a comment was skipped. */
TSNode statement_next(TSNode stmt, bool *comment);
TSNode statement_prev(TSNode stmt, bool *comment);
/* Does the block end in return, raise, continue or break (comments skipped)? */
bool block_exits(TSNode block);
/* Does s contain needle, ignoring ASCII case? */
bool contains_ci(const char *s, const char *needle);
/* Line (1-based) of a byte offset. */
unsigned line_of(const Source *src, uint32_t byte);
/* Does the text name a lock: the word lock, mutex, leader or semaphore
 * (any case, plural or -ed/-ing) standing alone in a key or identifier:
 * "lock:report", "LOCK_KEY", "acquireLock", "leader-election"; not "block",
 * "clock", "unlock", "lockout". */
bool text_names_lock(const char *s);
/* Does a call's key name a lock, in its template or in the expression that
 * gives it (`lock_key`, `self.lock_name`)? */
bool key_names_lock(RuleCtx *ctx, const CallSite *cs);

/* A call for messages: its source text when it is one line of at most 60
 * characters, else `recv.method(...)` (arena-owned). */
const char *call_short(RuleCtx *ctx, const CallSite *cs);
/* How fix texts open and send a pipeline on this call's client: "with " and
 * "" for a sync client, "async with " and "await " for an asyncio one
 * (`async with r.pipeline() as pipe:` ... `await pipe.execute()`). */
const char *pipe_with(const CallSite *cs);
const char *pipe_await(const CallSite *cs);

/* ---- Timeouts (RL403 blocking-without-timeout, RL404 blocking-exceeds-socket-timeout) ----
 *
 * The value of a number in seconds as written: an int/float literal
 * (`30`, `2.5`, `30_000`), a product/sum/difference/quotient of two such
 * numbers (`5 * 60`), or a name bound to one (a module constant assigned
 * once, a local's reaching assignment). False for anything else, `None`
 * included. `scope` is the scope `n` sits in. */
bool number_value(RuleCtx *ctx, TSNode n, int scope, double *out);
/* The construction in this file a value was built by (Value.ctor_start:
 * the Ctor whose call starts there), or NULL. */
const Ctor *value_ctor(const Model *m, Value v);
/* The socket timeout of the client a call is sent on, in seconds, when it is
 * known to be finite:
 * - the receiver's construction in this file (Value.ctor_start) passes a
 *   literal `socket_timeout=` (int/float literal or a module constant bound to
 *   one; `Redis(host, port, db, password, socket_timeout)` positionally too),
 *   or, for from_url, the literal URL has a `socket_timeout=` query parameter;
 * - a client built with `connection_pool=pool`: the pool's construction in
 *   this file, by the same rules; `sentinel.master_for(...)`/`slave_for`: its
 *   own `socket_timeout=`, else the Sentinel(...) construction's;
 * - none of them gives `socket_timeout` and the file's redis-py is >= 8
 *   (ctx->pyver->cls == PYV_8_OR_LATER): 5 s, redis-py 8's default (a
 *   non-literal URL is assumed not to carry a timeout of its own).
 * Sets *seconds and *ctor (the construction that decides: the client's, the
 * pool's or the sentinel's call node) and returns true. Returns false when
 * the timeout is unknown or infinite: no construction visible (a parameter,
 * an import), `**kwargs` in the construction, a non-literal value,
 * `socket_timeout=None`, or no socket_timeout with redis-py < 8 or an unknown
 * version (the client waits forever). */
bool client_socket_timeout(RuleCtx *ctx, const CallSite *cs, double *seconds, TSNode *ctor);
/* The timeout of a blocking command, in seconds, when it is known:
 * blpop/brpop/bzpopmin/bzpopmax(keys, timeout=0), brpoplpush(src, dst,
 * timeout=0), blmove(first, second, timeout, ...), blmpop/bzmpop(timeout,
 * numkeys, ...), xread(streams, count, block) and xreadgroup(group, consumer,
 * streams, count, block) with block= in milliseconds (converted to seconds).
 * 0 means "forever": the timeout omitted (list/zset pops default to 0),
 * a literal 0, `None` for the pops (redis-py sends 0), `block=0`.
 * *arg is the timeout argument (a null node when omitted). Returns false for
 * other commands, for xread/xreadgroup without block= or with block=None
 * (they do not block), for a timeout that is not a number (see
 * number_value: `timeout or 0`, a parameter, `cfg.get("t", 0)` are not
 * known), or when a `*args`/`**kwargs` hides it. */
bool blocking_timeout(RuleCtx *ctx, const CallSite *cs, double *seconds, TSNode *arg);
/* The argument position and keyword of a blocking command's timeout; false
 * for a command that does not block. *ms: block= in milliseconds (xread,
 * xreadgroup); *dflt: omitting it means 0 (forever). */
bool blocking_timeout_param(const CallSite *cs, uint32_t *pos, const char **kw, bool *ms,
                            bool *dflt);

/* The file's functions and classes by name, for helper_of (built once per
 * file; helper_names_free releases it). */
typedef struct HelperName {
  const char *name;
  int index, cls; /* cls: the function's class, -1; for a class entry, -2 */
} HelperName;
typedef struct HelperNames {
  HelperName *v;
  size_t n;
} HelperNames;
void helper_names_build(RuleCtx *ctx, HelperNames *nm);
void helper_names_free(HelperNames *nm);
/* The function of this file a call in function `func` runs: `name(...)` (a
 * module function defined once), `self.name(...)`/`cls.name(...)` (a method
 * of the enclosing class), `Cls.name(...)` (a method of a class of this
 * file); -1 if none. */
int helper_of(RuleCtx *ctx, const HelperNames *nm, TSNode call, int func);

/* Is n inside a block that expects an exception (`with pytest.raises(...)`,
 * `with self.assertRaises(...)`): a test that the call fails on purpose? */
bool expected_to_raise(const Source *src, TSNode n);

#endif
