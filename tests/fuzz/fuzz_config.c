/* fuzz_config.c - the configuration readers on arbitrary bytes: the bytes
 * as redislint.json and as pyproject.toml ([tool.redislint] through the
 * TOML shim), loaded and printed back (`redislint config`). Each input is
 * written to a file of this process under TMPDIR. Built with
 * -DREDISLINT_FUZZ=ON it is a libFuzzer target; fuzz_main.c drives it
 * otherwise (ctest `fuzz_config_smoke`). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "options.h"

#include "fuzz_target.h"

const char FUZZ_TARGET_NAME[] = "fuzz_config";

static void load_as(const char *name, const uint8_t *data, size_t size, FILE *sink) {
  const char *dir = getenv("TMPDIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/rl-fuzz-%ld-%s", dir && *dir ? dir : "/tmp", (long)getpid(), name);
  FILE *f = fopen(path, "wb");
  if (!f) abort();
  if (size && fwrite(data, 1, size, f) != size) abort();
  fclose(f);
  Config cfg;
  config_init(&cfg);
  Diags d = {0};
  if (config_load(&cfg, path, NULL, &d) == 0 && sink) {
    Options opt;
    options_defaults(&opt);
    config_print(sink, &cfg, &opt);
  }
  diags_free(&d);
  config_free(&cfg);
  unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *sink;
  if (!sink) sink = fopen("/dev/null", "w");
  load_as("redislint.json", data, size, sink);
  load_as("pyproject.toml", data, size, sink);
  return 0;
}
