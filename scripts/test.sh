#!/usr/bin/env bash
# Second command: the whole test suite, in a normal build and again under
# AddressSanitizer + UndefinedBehaviorSanitizer; the threaded run under
# ThreadSanitizer (scripts/tsan.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
jobs=$(nproc 2>/dev/null || echo 2)

run_suite() { # build-dir, extra cmake args...
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs"
}

echo "== tests (RelWithDebInfo, -Wall -Wextra -Werror)"
run_suite build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREDISLINT_WERROR=ON
echo "== tests under ASan + UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DREDISLINT_SANITIZE=ON -DREDISLINT_WERROR=ON
echo "== the threaded run (-j 8) under ThreadSanitizer"
scripts/tsan.sh
echo "== VS Code extension (vscode-sarif)"
REDISLINT="$PWD/build-test/redislint" vscode-sarif/scripts/ci.sh
echo "== all tests passed"
