/* server.h - `redislint server`: a Language Server over stdio.
 *
 * JSON-RPC 2.0 with Content-Length framing (cJSON for every message).
 * Documents are kept in memory; each is linted with its project exactly as
 * `redislint check --stdin-filename PATH -` lints it (cli_lint_document),
 * and its findings are published as diagnostics. Fixes are code actions.
 * The client's settings (section "redislint": select, ignore, extendSelect,
 * unsafeFixes, configFile, redisPyVersion, targetRedisVersion, enable) are
 * asked per workspace folder with workspace/configuration, or read from
 * initializationOptions, and applied as check's flags. A file that changes
 * on disk (didSave, didChangeWatchedFiles) re-lints the open documents that
 * import it, directly or through other modules, and no other.
 * Malformed or hostile input gets a JSON-RPC error (or is dropped with a
 * line on stderr when no reply is possible), never a crash; a bad setting
 * is a window/showMessage warning. */
#ifndef RL_SERVER_H
#define RL_SERVER_H
#include <stdio.h>

/* Serves until `exit` or the end of `in`: 0 after shutdown + exit, 1 when
 * the client exits without shutdown or the stream ends. */
int server_main(FILE *in, FILE *out);
#endif
