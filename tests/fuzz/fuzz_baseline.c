/* fuzz_baseline.c - the baseline reader on arbitrary bytes, applied to a
 * run with findings (entries matched, counted, dropped). Each input is
 * written to a file of this process under TMPDIR. libFuzzer target with
 * -DREDISLINT_FUZZ=ON; fuzz_main.c drives it otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "lint.h"

#include "fuzz_target.h"

const char FUZZ_TARGET_NAME[] = "fuzz_baseline";

static const char SRC[] = "import redis\nr = redis.Redis()\nr.keys(\"*\")\nr.flushall()\n"
                          "def f(uid):\n    r.hset(f\"u:{uid}\", \"bio\", \"x\" * 100)\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *dir = getenv("TMPDIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/rl-fuzz-%ld-baseline.json", dir && *dir ? dir : "/tmp",
           (long)getpid());
  FILE *f = fopen(path, "wb");
  if (!f) abort();
  if (size && fwrite(data, 1, size, f) != size) abort();
  fclose(f);
  Options opt;
  options_defaults(&opt);
  LintRun run;
  if (lint_buffer(&run, SRC, sizeof SRC - 1, "app.py", &opt) == 0) {
    BaselineStats st;
    /* stderr carries the reader's one-line complaints: keep the run quiet */
    FILE *saved = stderr;
    stderr = fopen("/dev/null", "w");
    baseline_apply(path, &run, &st);
    if (stderr) fclose(stderr);
    stderr = saved;
  }
  lint_run_free(&run);
  unlink(path);
  return 0;
}
