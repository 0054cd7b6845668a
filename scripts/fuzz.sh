#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] [TARGET...] - a libFuzzer campaign on each fuzz
# target (clang, ASan + UBSan): fuzz_lint (the per-file pipeline),
# fuzz_project (four files linted as one project: index, call facts), fuzz_fix
# (--fix --unsafe-fixes: the result parses, a second --fix changes nothing),
# fuzz_config (redislint.json and pyproject.toml), fuzz_baseline and
# fuzz_lsp (the Language Server's input stream). SECONDS per target (default
# 3600). Each target starts from its seeds (the same files ctest's
# fuzz_*_smoke tests use) in a corpus directory under build-fuzz/corpus/,
# with -timeout (a hang is a failure) and -rss_limit_mb (a blow-up is one).
# Prints one line per target: executions, coverage (cov/ft), corpus size, and
# whether it found anything; crash inputs are left in build-fuzz/artifacts/.
# Exit 1 when any target found a crash, a timeout or an out-of-memory input.
set -euo pipefail
secs=${1:-3600}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_lint fuzz_project fuzz_fix fuzz_config fuzz_baseline fuzz_lsp)
src=$(cd "$(dirname "$0")/.." && pwd)
build=${RL_FUZZ_BUILD:-$src/build-fuzz}
command -v clang >/dev/null && command -v clang++ >/dev/null ||
  { echo "fuzz.sh: clang and clang++ are needed (apt-get install clang)" >&2; exit 2; }
mkdir -p "$build"
blog="$build/build.log"
CC=clang CXX=clang++ cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DREDISLINT_FUZZ=ON -DREDISLINT_SANITIZE=ON >"$blog" 2>&1 ||
  { echo "fuzz.sh: configure failed, see $blog" >&2; exit 2; }
cmake --build "$build" --target "${targets[@]}" >>"$blog" 2>&1 ||
  { echo "fuzz.sh: build failed, see $blog" >&2; exit 2; }
seeds() {
  case $1 in
  fuzz_lint) find "$src/tests/fixtures" "$src/examples" -name '*.py'; find "$src/tests/fuzz/regressions" -type f ;;
  fuzz_fix) find "$src/tests/fixtures" -name '*fixes.py' ;;
  fuzz_config) find "$src/tests/fuzz/seeds/config" -type f ;;
  fuzz_baseline) find "$src/tests/fuzz/seeds/baseline" -type f ;;
  fuzz_lsp) find "$src/tests/fuzz/seeds/lsp" -type f ;;
  fuzz_project) find "$src/tests/fuzz/seeds/project" -type f ;;
  esac
}
status=0
mkdir -p "$build/artifacts"
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  seeds "$t" | while read -r f; do cp -n "$f" "$corpus/" 2>/dev/null || true; done
  log="$build/$t.log"
  set +e
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 TMPDIR=${TMPDIR:-/tmp} \
    "$build/tests/$t" -max_total_time="$secs" -timeout=30 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$build/artifacts/$t-" -print_final_stats=1 "$corpus" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9a-zA-Z]+' || echo '?')
  if [ $rc -eq 0 ]; then
    echo "$t: ${secs}s, $runs executions, $last, no finding"
  else
    echo "$t: FOUND something after $runs executions (exit $rc): see $log and $build/artifacts/"
    status=1
  fi
done
exit $status
