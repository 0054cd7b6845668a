/* hook.h - `redislint install-hook [--force]`. */
#ifndef RL_HOOK_H
#define RL_HOOK_H
#include <stdbool.h>

/* Writes the git pre-commit hook; refuses to replace a hook it did not
 * write unless force. Returns the exit status (0, or 2 with a message). */
int hook_install(bool force);
#endif
