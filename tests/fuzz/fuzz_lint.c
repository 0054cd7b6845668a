/* fuzz_lint.c - the per-file pipeline on arbitrary bytes.
 *
 * Built with -DREDISLINT_FUZZ=ON (clang) it is a libFuzzer target:
 *   build-fuzz/tests/fuzz_lint -max_len=65536 tests/fixtures
 * Otherwise it is a plain program (ctest `fuzz_smoke`) that feeds it every
 * file named on the command line, every prefix of each at a stride, and a
 * deterministic stream of mutated inputs, so the sanitizer build exercises
 * the same entry point on every CI run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

#ifndef RL_LIBFUZZER
static unsigned char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  unsigned char *buf = NULL;
  size_t cap = 0, n = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      buf = realloc(buf, cap);
      if (!buf) abort();
    }
    size_t r = fread(buf + n, 1, cap - n, f);
    n += r;
    if (!r) break;
  }
  fclose(f);
  *len = n;
  return buf;
}

/* xorshift: the same "random" mutations on every run. */
static uint32_t next_rand(uint32_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

static void mutate_and_run(const unsigned char *buf, size_t len, uint32_t *seed) {
  static const char *tokens[] = {"(", ")", "[", "{", "\"", "'''", "\\", "\n    ", "\t", "f\"{",
                                 "r.set(", "redis.Redis(", "\xff", "\xe2\x82", "\0", "#", ":"};
  unsigned char *m = malloc(len + 64);
  for (int round = 0; round < 8 && len; round++) {
    memcpy(m, buf, len);
    size_t at = next_rand(seed) % len, n = len;
    const char *t = tokens[next_rand(seed) % (sizeof tokens / sizeof tokens[0])];
    size_t tl = strlen(t) ? strlen(t) : 1;
    memmove(m + at + tl, m + at, len - at);
    memcpy(m + at, t, tl);
    n += tl;
    LLVMFuzzerTestOneInput(m, n);
  }
  free(m);
}

int main(int argc, char **argv) {
  uint32_t seed = 0x9e3779b9u;
  size_t inputs = 0;
  for (int i = 1; i < argc; i++) {
    size_t len;
    unsigned char *buf = read_all(argv[i], &len);
    if (!buf) {
      fprintf(stderr, "fuzz_lint: cannot read %s\n", argv[i]);
      return 1;
    }
    LLVMFuzzerTestOneInput(buf, len);
    for (size_t cut = 1; cut < len; cut += 97) LLVMFuzzerTestOneInput(buf, cut), inputs++;
    mutate_and_run(buf, len, &seed);
    inputs += 9;
    free(buf);
  }
  printf("fuzz_lint: %zu inputs, no crash\n", inputs);
  return 0;
}
#endif
