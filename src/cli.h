/* cli.h - command-line front end (kept out of main.c so tests can drive it). */
#ifndef RL_CLI_H
#define RL_CLI_H
#include <stdbool.h>
#include <stddef.h>
/* Runs redislint with argv; returns the exit code (0 clean, 1 findings, 2 error). */
int cli_main(int argc, char **argv);

struct LintRun;
/* Lints an editor buffer standing for `path`, exactly as `redislint check
 * --stdin-filename path -` would (configuration found from path, the rest of
 * its project read from disk). 0, or -1 (messages on stderr). Free the run
 * with lint_run_free. */
int cli_lint_document(const char *path, const char *text, size_t len, struct LintRun *run,
                      bool *quiet_diags);
#endif
