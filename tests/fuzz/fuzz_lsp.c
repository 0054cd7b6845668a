/* fuzz_lsp.c - `redislint server` (the Language Server) on an arbitrary
 * byte stream as its stdin: Content-Length framing, JSON-RPC, requests and
 * notifications of any shape. Runs in an empty directory of its own, so a
 * document the stream opens has no project to read. libFuzzer target with
 * -DREDISLINT_FUZZ=ON; fuzz_main.c drives it otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server.h"

#include "fuzz_target.h"

const char FUZZ_TARGET_NAME[] = "fuzz_lsp";

static char lsp_dir[4096];

static void cleanup(void) {
  if (chdir("/") == 0) rmdir(lsp_dir); /* empty unless the stream wrote into it */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *sink;
  static int cwd_set;
  if (!cwd_set) {
    const char *dir = getenv("TMPDIR");
    char *path = lsp_dir;
    snprintf(lsp_dir, sizeof lsp_dir, "%s/rl-fuzz-lsp-%ld", dir && *dir ? dir : "/tmp", (long)getpid());
    atexit(cleanup);
    mkdir(path, 0700);
    if (chdir(path) != 0) abort();
    cwd_set = 1;
  }
  if (!sink) sink = fopen("/dev/null", "w");
  if (!size) return 0;
  FILE *in = fmemopen((void *)data, size, "r");
  if (!in) return 0;
  FILE *saved = stderr; /* the server logs protocol errors there */
  stderr = sink;
  server_main(in, sink);
  stderr = saved;
  fclose(in);
  return 0;
}
