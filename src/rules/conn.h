/* rules/conn.h - what a client, pool or sentinel construction says about its
 * connection: URL parts, keyword arguments, hosts. Shared by RL401, RL402,
 * RL404, RL601 and RL602. */
#ifndef RL_RULES_CONN_H
#define RL_RULES_CONN_H
#include "rule_util.h"

/* "redis.Redis(...)", "Redis.from_url(...)": the callee as written. */
const char *ctor_display(RuleCtx *ctx, const Ctor *c);
/* The callee's last name: "Redis", "from_url", "master_for". */
const char *ctor_callee(RuleCtx *ctx, const Ctor *c);
TSNode ctor_kwarg(RuleCtx *ctx, const Ctor *c, const char *name);
/* The URL argument of a from_url construction (first positional or url=),
 * null node otherwise. */
TSNode ctor_url_arg(RuleCtx *ctx, const Ctor *c);
/* The URL's text when it is known (a literal, or names bound to literals),
 * holes as KEY_HOLE; NULL otherwise. *lit (may be NULL) gets the string
 * literal it was written as, when that is one literal. */
const char *ctor_url(RuleCtx *ctx, const Ctor *c, TSNode *lit);
/* The literal text of an expression (through module constants), NULL when
 * any part of it is not literal. *lit (may be NULL) gets the literal. */
const char *literal_text(RuleCtx *ctx, TSNode n, int scope, TSNode *lit);
/* Does the URL's query name the parameter ("socket_timeout")? */
bool url_query_has(const char *url, const char *name);
/* The authority of a URL, "user:pw@host:port" in "redis://user:pw@host:port/0":
 * [*start, *end), *at its last '@' or NULL. False without "://". */
bool url_authority(const char *url, const char **start, const char **at, const char **end);
/* The host of a URL ("redis://:pw@cache.example.com:6379/0" -> cache.example.com),
 * written into buf; false for unix:// URLs and unknown hosts. */
bool url_host(const char *url, char *buf, size_t cap);
/* Sentinel's master_for / slave_for: connection settings come from the Sentinel. */
bool ctor_is_sentinel_child(RuleCtx *ctx, const Ctor *c);

/* This machine by address: localhost, 127.x.x.x, ::1 (not a compose
 * service name, which is another container). */
bool host_loopback(const char *host);

typedef enum { HOST_LOCAL, HOST_PRIVATE, HOST_PUBLIC } HostKind;
/* Loopback, single-label service names and *.local are local; RFC 1918
 * addresses and internal domains (.internal, .svc, .lan, .corp) private. */
HostKind host_kind(const char *host);

/* Is `name` an attribute target, global or returned/yielded in function
 * `func` — does a client bound to it outlive the call? */
bool name_escapes(RuleCtx *ctx, int func, const char *name);
#endif
