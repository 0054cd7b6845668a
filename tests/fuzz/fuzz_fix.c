/* fuzz_fix.c - `--fix --unsafe-fixes` on arbitrary source read from stdin,
 * with the invariants a user relies on: the fixed source parses whenever
 * the input did, and fixing the fixed source again changes nothing (the
 * fixer runs its passes to a fixed point). A broken invariant aborts (a
 * crash to libFuzzer, a failure to ctest). libFuzzer target with
 * -DREDISLINT_FUZZ=ON; fuzz_main.c drives it otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tree_sitter/api.h>

#include "discover.h"
#include "fixer.h"
#include "lint.h"

#include "fuzz_target.h"

const TSLanguage *tree_sitter_python(void);
const char FUZZ_TARGET_NAME[] = "fuzz_fix";

static bool parses(const char *buf, size_t len) {
  TSParser *p = ts_parser_new();
  ts_parser_set_language(p, tree_sitter_python());
  TSTree *t = ts_parser_parse_string(p, NULL, buf, (uint32_t)len);
  bool ok = t && !ts_node_has_error(ts_tree_root_node(t));
  ts_tree_delete(t);
  ts_parser_delete(p);
  return ok;
}

/* The fixed text of buf (malloc'ed into *out), and whether fixes applied. */
static size_t fix_once(const char *buf, size_t len, char **out, size_t *out_len) {
  Options opt;
  options_defaults(&opt);
  FileList fl = {0};
  filelist_push(&fl, "-");
  char *copy = malloc(len + 1);
  if (!copy) abort();
  memcpy(copy, buf, len);
  LintRun run;
  size_t applied = 0;
  *out = NULL;
  *out_len = 0;
  FILE *fixed = open_memstream(out, out_len);
  if (lint_run(&run, &fl, &opt, copy, len, "fuzz.py") == 0) {
    FixerOptions fo = {FIX_UNSAFE, false, NULL, fixed, NULL, NULL, NULL};
    FixerStats st;
    fixer_run(&run, &fl, &opt, copy, len, "fuzz.py", &fo, &st);
    applied = st.applied;
  }
  fclose(fixed);
  lint_run_free(&run);
  filelist_free(&fl);
  free(copy);
  return applied;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > (1u << 20)) return 0;
  char *once, *twice;
  size_t once_len, twice_len;
  size_t applied = fix_once((const char *)data, size, &once, &once_len);
  if (applied && parses((const char *)data, size) && !parses(once, once_len)) {
    fprintf(stderr, "fuzz_fix: the fixed source no longer parses\n");
    abort();
  }
  if (applied) {
    fix_once(once, once_len, &twice, &twice_len);
    if (twice_len != once_len || memcmp(once, twice, once_len)) {
      fprintf(stderr, "fuzz_fix: a second --fix changed the fixed source\n");
      abort();
    }
    free(twice);
  }
  free(once);
  return 0;
}
