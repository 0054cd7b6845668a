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

/* For `redislint server` (an editor's settings as check's flags): the same,
 * with flags (e.g. "--select", "RL301", "--config", "/p/redislint.json")
 * applied as on the command line, over the configuration file. */
int cli_lint_document_flags(const char *path, const char *text, size_t len,
                            const char *const *flags, size_t nflags, struct LintRun *run);
/* Is value a valid value of check's flag (--select, --ignore,
 * --extend-select, --redis-py-version, --target-redis-version, --config,
 * which it reads)? 0, or -1 with the reason in why (nothing on stderr). */
int cli_check_setting(const char *flag, const char *value, char *why, size_t size);
#endif
