/* dynlib.h - libraries that only some commands need, loaded when first used.
 *
 * libgit2 (--diff-base, and the diffs of --fix --diff), hiredis and OpenSSL
 * (`redislint audit` against a live server) bring 17 shared libraries with
 * them (libgit2 alone: mbedTLS, libssh2, Kerberos, PCRE2...). Linked
 * normally, the dynamic loader maps and relocates all of them before main()
 * on every run, which measured 4 ms of a 24 ms warm-cache `check` and most
 * of `--version`; a pre-commit hook or an editor pays that on each call for
 * code it never runs. So the binary does not link them: the first call that
 * needs one dlopen()s it by the soname it was built against and resolves
 * the functions it uses (dl_git.h, dl_net.h list them; their types come
 * from the libraries' own headers, so a signature cannot drift).
 *
 * Each loader runs once per process (thread-safe) and returns false with a
 * one-line reason ("libgit2 (libgit2.so.1.5) cannot be loaded: ...") when
 * the library or one of its functions is missing, which the caller reports
 * as its own error. Nothing is ever unloaded. */
#ifndef RL_DYNLIB_H
#define RL_DYNLIB_H
#include <stdbool.h>
#include <stddef.h>

/* libgit2, for diffbase.c and fixer.c. */
bool dynlib_git(char *err, size_t errsize);
/* hiredis and OpenSSL (libssl, libcrypto), for rconn.c and audit_scan.c. */
bool dynlib_net(char *err, size_t errsize);

#endif
