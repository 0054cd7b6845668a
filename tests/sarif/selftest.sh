#!/bin/sh
# selftest.sh - proves the SARIF validator catches what it must, then
# validates any extra SARIF files given as arguments.
#
#   tests/sarif/selftest.sh [--no-selftest] [FILE.sarif...]
#
# cases/valid-*.sarif must pass; every cases/invalid-*.sarif must fail (bad
# level value, two runs, missing fingerprint, ...); --no-selftest skips these
# and only validates the given files. Installs the validator's
# pinned dependencies with `npm ci` first when node_modules is missing.
# Exit status: 0 ok, 1 failure, 77 skipped (node/npm missing or npm ci failed,
# e.g. offline; CTest maps 77 to "skipped").
set -u
selftest=1
if [ "${1:-}" = "--no-selftest" ]; then
  selftest=0
  shift
fi
here=$(cd "$(dirname "$0")" && pwd)
NODE=${NODE:-node}
NPM=${NPM:-npm}

command -v "$NODE" >/dev/null 2>&1 || { echo "selftest: node not found; skipped"; exit 77; }
if [ ! -d "$here/node_modules/ajv-draft-04" ] ||
   [ ! -d "$here/node_modules/@microsoft/jest-sarif" ]; then
  command -v "$NPM" >/dev/null 2>&1 || { echo "selftest: npm not found; skipped"; exit 77; }
  echo "selftest: installing validator dependencies (npm ci)"
  if ! (cd "$here" && "$NPM" ci --no-audit --no-fund >/dev/null); then
    echo "selftest: npm ci failed (offline?); skipped"
    exit 77
  fi
fi

status=0
[ $selftest = 1 ] && for f in "$here"/cases/valid-*.sarif; do
  if ! "$NODE" "$here/validate.mjs" "$f"; then
    echo "selftest: FAIL: valid log rejected: $f"
    status=1
  fi
done
[ $selftest = 1 ] && for f in "$here"/cases/invalid-*.sarif; do
  if "$NODE" "$here/validate.mjs" "$f" >/dev/null 2>&1; then
    echo "selftest: FAIL: invalid log accepted: $f"
    status=1
  else
    echo "selftest: rejected as expected: $(basename "$f")"
  fi
done
if [ $# -gt 0 ] && ! "$NODE" "$here/validate.mjs" "$@"; then
  status=1
fi
exit $status
