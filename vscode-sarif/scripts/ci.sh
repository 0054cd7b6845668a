#!/usr/bin/env bash
# CI for the VS Code extension: install, type-check and build, test (with the
# redislint binary named by $REDISLINT: its CLI and its language server), package,
# and check the .vsix (scripts/check-vsix.js).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${REDISLINT:-}" ]; then
  [ -x "$REDISLINT" ] || { echo "ci.sh: REDISLINT=$REDISLINT is not an executable file" >&2; exit 1; }
  export REDISLINT
fi

echo "-- npm ci"
npm ci --no-audit --no-fund

echo "-- TypeScript build"
npm run --silent build

echo "-- tests"
npm test

echo "-- package"
version=$(node -p "require('./package.json').version")
vsix="redislint-${version}.vsix"
rm -f "$vsix"
npm run --silent package

echo "-- check $vsix"
[ -s "$vsix" ] || { echo "ci.sh: $vsix was not produced" >&2; exit 1; }
# The runtime dependencies (vscode-languageclient, ...) must be inside: the
# extension is not bundled. The check lists the zip, then extracts it and loads
# the extension with every module resolved from the package.
node scripts/check-vsix.js "$vsix"
echo "-- vscode-sarif OK"
