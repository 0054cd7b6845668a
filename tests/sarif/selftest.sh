#!/bin/sh
# selftest.sh - proves the SARIF validator catches what it must, then
# validates any SARIF files given as arguments.
#
#   tests/sarif/selftest.sh [--no-selftest] [FILE.sarif...]
#
# Self-test: cases/valid-*.sarif must pass and every cases/invalid-*.sarif
# must fail (bad level value, two runs, missing fingerprint, ...);
# --no-selftest skips it and only validates the given files.
# Installs the validator's pinned dependencies with `npm ci` first when
# node_modules is missing. NODE and NPM may name the programs to use.
# Exit status: 0 ok, 1 failure, 77 skipped (node/npm missing or npm ci
# failed, e.g. offline; CTest reports 77 as "skipped"). Under CI (CI set to
# a non-empty value other than "false" or "0", as CI services do) a check
# that cannot run is a failure instead: exit 1, so it cannot pass unseen.
set -u
here=$(cd "$(dirname "$0")" && pwd)
NODE=${NODE:-node}
NPM=${NPM:-npm}
status=0

skip() {
  case ${CI:-} in
    "" | false | False | FALSE | 0)
      echo "selftest: $1; skipped"
      exit 77
      ;;
  esac
  echo "selftest: ERROR: $1; CI=$CI is set, so the SARIF checks must run (install node and npm, and allow npm ci to reach the registry)"
  exit 1
}

ensure_deps() {
  command -v "$NODE" >/dev/null 2>&1 || skip "node not found"
  [ -d "$here/node_modules/ajv-draft-04" ] &&
    [ -d "$here/node_modules/@microsoft/jest-sarif" ] && return 0
  command -v "$NPM" >/dev/null 2>&1 || skip "npm not found"
  echo "selftest: installing validator dependencies (npm ci)"
  (cd "$here" && "$NPM" ci --no-audit --no-fund >/dev/null) || skip "npm ci failed (offline?)"
}

run_selftest() {
  for f in "$here"/cases/valid-*.sarif; do
    if ! "$NODE" "$here/validate.mjs" "$f"; then
      echo "selftest: FAIL: valid log rejected: $f"
      status=1
    fi
  done
  for f in "$here"/cases/invalid-*.sarif; do
    if "$NODE" "$here/validate.mjs" "$f" >/dev/null 2>&1; then
      echo "selftest: FAIL: invalid log accepted: $f"
      status=1
    else
      echo "selftest: rejected as expected: $(basename "$f")"
    fi
  done
}

selftest=1
if [ "${1:-}" = "--no-selftest" ]; then
  selftest=0
  shift
fi
ensure_deps
[ "$selftest" = 1 ] && run_selftest
if [ $# -gt 0 ] && ! "$NODE" "$here/validate.mjs" "$@"; then
  status=1
fi
exit $status
