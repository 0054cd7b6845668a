#!/usr/bin/env bash
# scripts/tsan.sh [DIR...] - the threaded run under ThreadSanitizer.
#
# Builds redislint with -DREDISLINT_TSAN=ON (in build-tsan/) and lints each
# DIR (default: this repository's examples/ and tests/fixtures/, copied to a
# temporary directory) with -j 8: a cold run that writes the result cache, a
# warm run that reads it, and --fix --unsafe-fixes on a copy (the fixer's
# passes lint again with threads). Any ThreadSanitizer report fails it.
# ASLR is turned off for the runs (setarch -R): TSan refuses some kernels'
# high-entropy memory layouts.
# Exit 0 when every run is clean, 1 on a report or a crash, 2 when it cannot
# build.
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${RL_TSAN_BUILD:-$src/build-tsan}
mkdir -p "$build"
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREDISLINT_TSAN=ON \
  -DREDISLINT_TESTS=OFF >"$build/configure.log" 2>&1 &&
  cmake --build "$build" --target redislint >"$build/build.log" 2>&1 ||
  { echo "tsan.sh: build failed, see $build/build.log" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
  cp -r "$src/examples" "$work/examples"
  cp -r "$src/tests/fixtures" "$work/fixtures"
  dirs=("$work/examples" "$work/fixtures")
fi
run() { # label, dir, args...
  local label=$1 dir=$2
  shift 2
  local log="$work/tsan.log"
  (cd "$dir" && TSAN_OPTIONS="halt_on_error=0 exitcode=66" setarch "$(uname -m)" -R \
    "$build/redislint" check -q --exit-zero -j 8 "$@" . >/dev/null 2>"$log")
  local rc=$?
  local n
  n=$(grep -c 'WARNING: ThreadSanitizer' "$log" || true)
  if [ "$rc" -ne 0 ] || [ "$n" -ne 0 ]; then
    echo "tsan.sh: $label $dir: exit $rc, $n ThreadSanitizer reports" >&2
    grep -A30 'WARNING: ThreadSanitizer' "$log" | head -80 >&2
    status=1
  else
    echo "tsan.sh: $label $dir: clean"
  fi
}
status=0
for d in "${dirs[@]}"; do
  rm -rf "$d/.redislint_cache"
  run cold "$d"
  run warm "$d"
  copy="$work/fix-$(basename "$d")"
  cp -r "$d" "$copy"
  run fix "$copy" --no-cache --fix --unsafe-fixes
  rm -rf "$d/.redislint_cache"
done
exit $status
