#!/usr/bin/env bash
# Property: on every fixture and every examples/ file, `--fix --unsafe-fixes`
# produces files that still parse (Python's own parser, ast.parse), and no fix
# is dropped as a rule bug (a fix that breaks parsing or leaves its finding).
# Usage: property.sh path/to/redislint  (run from the repository root)
set -uo pipefail
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cp -r tests/fixtures "$T/fixtures"
cp -r examples "$T/examples"
cd "$T" || exit 2
fail=0
for dir in fixtures/* examples; do
  [ -d "$dir" ] || continue
  timeout 300 "$BIN" check --fix --unsafe-fixes --select ALL -q "$dir" >out 2>err
  rc=$?
  if [ $rc -ge 2 ] && ! grep -q 'fixes not written' err; then
    echo "FAIL: $dir: exit $rc"; cat err; fail=1
  fi
  if grep -q 'a bug in redislint' err; then
    echo "FAIL: $dir: a fix was dropped as a rule bug:"; grep 'a bug in redislint' err; fail=1
  fi
done
python3 - <<'PY' || fail=1
import ast, pathlib, sys
bad = 0
for p in sorted(pathlib.Path(".").rglob("*.py")):
    try:
        ast.parse(p.read_bytes(), filename=str(p))
    except SyntaxError as e:
        print(f"FAIL: {p}:{e.lineno}: does not parse after the fixes: {e.msg}")
        bad += 1
print(f"property: {len(list(pathlib.Path('.').rglob('*.py')))} files parse after --fix --unsafe-fixes" if not bad else "")
sys.exit(1 if bad else 0)
PY
exit $fail
