/* fuzz_lint.c - the per-file pipeline on arbitrary bytes.
 *
 * Built with -DREDISLINT_FUZZ=ON (clang) it is a libFuzzer target:
 *   build-fuzz/tests/fuzz_lint -max_len=65536 tests/fixtures
 * Otherwise fuzz_main.c drives it (ctest `fuzz_smoke`). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "output.h"

#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *sink;
  if (!sink) sink = fopen("/dev/null", "w");
  Options opt;
  options_defaults(&opt);
  LintRun run;
  if (lint_buffer(&run, (const char *)data, size, "fuzz.py", &opt) == 0 && sink) {
    OutputOptions oo = {0};
    for (int f = FORMAT_TEXT; f <= FORMAT_GITHUB; f++) {
      oo.format = (OutputFormat)f;
      output_write(sink, &run, &oo);
    }
  }
  lint_run_free(&run);
  return 0;
}

const char FUZZ_TARGET_NAME[] = "fuzz_lint";
