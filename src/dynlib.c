/* dynlib.c - libgit2, hiredis and OpenSSL, loaded on first use (dynlib.h).
 * The sonames come from the build (CMakeLists.txt reads them from the
 * libraries it found), so the library loaded is the one the headers
 * describe. */
#define RL_DL_DEFINE
#include "dynlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "dl_git.h"
#include "dl_net.h"
#include "dynlib_sonames.h"

#define RL_DL_POINTER(f) __typeof__(f) *rl_dl_##f;
RL_GIT_FUNCS(RL_DL_POINTER)
RL_HIREDIS_FUNCS(RL_DL_POINTER)
RL_SSL_FUNCS(RL_DL_POINTER)
RL_CRYPTO_FUNCS(RL_DL_POINTER)
#undef RL_DL_POINTER

typedef struct {
  const char *name;
  void **slot;
} Sym;

#define RL_DL_SYM(f) {#f, (void **)&rl_dl_##f},
static const Sym GIT_SYMS[] = {RL_GIT_FUNCS(RL_DL_SYM)};
static const Sym HIREDIS_SYMS[] = {RL_HIREDIS_FUNCS(RL_DL_SYM)};
static const Sym SSL_SYMS[] = {RL_SSL_FUNCS(RL_DL_SYM)};
static const Sym CRYPTO_SYMS[] = {RL_CRYPTO_FUNCS(RL_DL_SYM)};
#undef RL_DL_SYM

/* Opens `soname` and resolves syms; false with the reason in why. */
static bool open_lib(const char *what, const char *soname, const Sym *syms, size_t n, char *why,
                     size_t whysize) {
  void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *e = dlerror();
    snprintf(why, whysize, "%s (%s) cannot be loaded: %s", what, soname, e ? e : "unknown error");
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    dlerror();
    void *p = dlsym(h, syms[i].name);
    if (!p) {
      snprintf(why, whysize, "%s (%s) has no function %s: not the version redislint was built with",
               what, soname, syms[i].name);
      return false; /* the handle stays open: nothing else uses it */
    }
    *syms[i].slot = p;
  }
  return true;
}

#define N(a) (sizeof(a) / sizeof *(a))

static pthread_once_t git_once = PTHREAD_ONCE_INIT;
static bool git_ok;
static char git_why[512];

static void load_git(void) {
  git_ok = open_lib("libgit2", RL_SONAME_GIT2, GIT_SYMS, N(GIT_SYMS), git_why, sizeof git_why);
}

bool dynlib_git(char *err, size_t errsize) {
  pthread_once(&git_once, load_git);
  if (!git_ok && err && errsize) snprintf(err, errsize, "%s", git_why);
  return git_ok;
}

static pthread_once_t net_once = PTHREAD_ONCE_INIT;
static bool net_ok;
static char net_why[512];

static void load_net(void) {
  /* libcrypto first: libssl needs it, and its functions are looked up in it */
  net_ok = open_lib("OpenSSL's libcrypto", RL_SONAME_CRYPTO, CRYPTO_SYMS, N(CRYPTO_SYMS), net_why,
                    sizeof net_why) &&
           open_lib("OpenSSL's libssl", RL_SONAME_SSL, SSL_SYMS, N(SSL_SYMS), net_why, sizeof net_why) &&
           open_lib("hiredis", RL_SONAME_HIREDIS, HIREDIS_SYMS, N(HIREDIS_SYMS), net_why, sizeof net_why);
}

bool dynlib_net(char *err, size_t errsize) {
  pthread_once(&net_once, load_net);
  if (!net_ok && err && errsize) snprintf(err, errsize, "%s", net_why);
  return net_ok;
}
