/* fuzz_main.c - the driver of a fuzz target in builds without libFuzzer
 * (ctest `fuzz_*_smoke`, plain and under ASan/UBSan): it feeds the target
 * every file named on the command line, every prefix of each at a stride,
 * and a deterministic stream of mutations of each (tokens that break
 * Python, JSON and LSP framing inserted at pseudo-random places), so every
 * CI run exercises the same entry points libFuzzer does. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"

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

static int g_rounds = 8; /* mutations per file; --rounds=N */

static void mutate_and_run(const unsigned char *buf, size_t len, uint32_t *seed) {
  static const char *tokens[] = {
      "(", ")", "[", "{", "\"", "'''", "\\", "\n    ", "\t", "f\"{", "r.set(", "redis.Redis(",
      "\xff", "\xe2\x82", "\0", "#", ":", "\r\n", "}", "]", ",", "null", "1e999", "-1",
      "\"\\u0000\"", "Content-Length: 99999999\r\n\r\n", "{\"jsonrpc\":\"2.0\",", "\"select\":"};
  unsigned char *m = malloc(len + 64);
  if (!m) abort();
  for (int round = 0; round < g_rounds && len; round++) {
    memcpy(m, buf, len);
    size_t at = next_rand(seed) % len, n = len;
    const char *t = tokens[next_rand(seed) % (sizeof tokens / sizeof tokens[0])];
    size_t tl = strlen(t) ? strlen(t) : 1;
    memmove(m + at + tl, m + at, len - at);
    memcpy(m + at, t, tl);
    n += tl;
    if (next_rand(seed) % 4 == 0 && n > 1) n -= next_rand(seed) % (n / 2 + 1); /* and cut */
    LLVMFuzzerTestOneInput(m, n);
  }
  free(m);
}

int main(int argc, char **argv) {
  uint32_t seed = 0x9e3779b9u;
  size_t inputs = 0;
  for (int i = 1; i < argc; i++) {
    if (!strncmp(argv[i], "--rounds=", 9)) {
      g_rounds = atoi(argv[i] + 9);
      continue;
    }
    size_t len;
    unsigned char *buf = read_all(argv[i], &len);
    if (!buf) {
      fprintf(stderr, "%s: cannot read %s\n", FUZZ_TARGET_NAME, argv[i]);
      return 1;
    }
    LLVMFuzzerTestOneInput(buf, len), inputs++;
    /* prefixes: the file as it is typed (at most 48 per file) */
    size_t stride = len / 48 > 97 ? len / 48 : 97;
    for (size_t cut = 1; cut < len; cut += stride) LLVMFuzzerTestOneInput(buf, cut), inputs++;
    mutate_and_run(buf, len, &seed);
    inputs += (size_t)g_rounds;
    free(buf);
  }
  printf("%s: %zu inputs, no crash\n", FUZZ_TARGET_NAME, inputs);
  return 0;
}
