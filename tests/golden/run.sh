#!/usr/bin/env bash
# run.sh - golden tests of the redislint CLI: every output format and the
# exit codes, on the small project in tests/golden/input.
#
#   tests/golden/run.sh REDISLINT [--update]
#
# For each case below the runner runs, from the repository root,
#   REDISLINT check --color never <args> tests/golden/input
# and compares stdout byte for byte with tests/golden/expected/<case>.out
# (`diff -u` on failure). It also checks
#   - the exit status against tests/golden/expected/exit-codes (1: findings),
#   - that stderr is empty,
#   - that the same run with --exit-zero exits 0 with the same output,
#   - a clean file (exit 0) and a usage error (exit 2),
#   - the JSON report with python3: every position's byte offset matches its
#     line and column (code points), every fix's edits, applied to the file,
#     give code that still parses (ast.parse) and that no longer has the
#     finding, and the SARIF regions are the same positions in UTF-16 units,
#   - the SARIF report with tests/sarif/validate.mjs (schema + GitHub rules).
#
# redislint's version appears in the JSON and SARIF reports; it is replaced
# by @VERSION@ on both sides before comparing, so a version bump does not
# touch the goldens.
#
# --update rewrites the expected files from the current output. Use it only
# for an intentional change of the output, and read the resulting diff
# (`git diff tests/golden/expected`) before committing it.
#
# node/npm or python3 missing: those checks are skipped with a message; under
# CI (CI set to a non-empty value other than "false") that is a failure.
set -u

if [ $# -lt 1 ] || [ $# -gt 2 ] || { [ $# -eq 2 ] && [ "$2" != "--update" ]; }; then
  echo "usage: $0 REDISLINT [--update]" >&2
  exit 2
fi
bin=$1
update=0
[ "${2:-}" = "--update" ] && update=1

# Absolute path to the binary before changing directory.
case $bin in
  /*) ;;
  */*) bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin") ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 2

input=tests/golden/input
expected=tests/golden/expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

in_ci() {
  case ${CI:-} in
    "" | false | False | FALSE | 0) return 1 ;;
    *) return 0 ;;
  esac
}

fail() {
  echo "golden: FAIL: $*"
  status=1
}

# A check that cannot run: skipped locally, a failure under CI.
unavailable() {
  if in_ci; then
    fail "$1 (CI is set, so this is an error, not a skip)"
  else
    echo "golden: SKIPPED: $1"
  fi
}

version=$("$bin" --version 2>/dev/null | sed -n 's/^redislint \([^ ]*\)$/\1/p')
if [ -z "$version" ]; then
  echo "golden: cannot read the version from '$bin --version'"
  exit 1
fi

# Replace the tool's version in "version"/"semanticVersion" members.
normalize() {
  sed -e "s/\"version\": \"$version\"/\"version\": \"@VERSION@\"/g" \
      -e "s/\"semanticVersion\": \"$version\"/\"semanticVersion\": \"@VERSION@\"/g"
}

# case name | arguments (word-split; no quoting needed)
cases='text|--format text
text-quiet|--format text -q
statistics|--format text --statistics
json|--format json
sarif|--format sarif
github|--format github
gitlab|--format gitlab
rdjson|--format rdjson
junit|--format junit'

exit_codes=$tmp/exit-codes
: >"$exit_codes"

# run NAME EXPECTED_FILE ARGS... : run the CLI, compare its output.
run_case() {
  local name=$1 want=$2 rc
  shift 2
  "$bin" check --color never "$@" >"$tmp/$name.raw" 2>"$tmp/$name.err"
  rc=$?
  normalize <"$tmp/$name.raw" >"$tmp/$name.out"
  echo "$name $rc" >>"$exit_codes"
  if [ -s "$tmp/$name.err" ]; then
    fail "$name: unexpected output on stderr:"
    cat "$tmp/$name.err"
  fi
  if [ "$update" = 1 ]; then
    cp "$tmp/$name.out" "$want"
  elif ! diff -u "$want" "$tmp/$name.out"; then
    fail "$name: output differs from $want (diff above: - expected, + actual)"
  fi
}

while IFS='|' read -r name args; do
  # shellcheck disable=SC2086
  run_case "$name" "$expected/$name.out" $args "$input"
  # --exit-zero: same report, exit status 0.
  # shellcheck disable=SC2086
  "$bin" check --color never --exit-zero $args "$input" >"$tmp/$name.ez" 2>/dev/null
  rc=$?
  [ "$rc" = 0 ] || fail "$name: --exit-zero exited $rc, expected 0"
  cmp -s "$tmp/$name.raw" "$tmp/$name.ez" || fail "$name: --exit-zero changed the report"
done <<EOF
$cases
EOF

# A file without findings: exit 0 and a short summary.
run_case clean "$expected/clean.out" --format text "$input/blog/clean.py"

# Usage error: exit 2, nothing on stdout.
"$bin" check --color never --format no-such-format "$input" >"$tmp/usage.out" 2>"$tmp/usage.err"
rc=$?
echo "usage-error $rc" >>"$exit_codes"
[ -s "$tmp/usage.out" ] && fail "usage error: unexpected output on stdout"
[ -s "$tmp/usage.err" ] || fail "usage error: no message on stderr"

if [ "$update" = 1 ]; then
  cp "$exit_codes" "$expected/exit-codes"
  echo "golden: expected files updated in $expected; review them with git diff"
elif ! diff -u "$expected/exit-codes" "$exit_codes"; then
  fail "exit codes differ from $expected/exit-codes (diff above)"
fi

# --- JSON positions, fixes and SARIF regions (python3) ----------------------
if command -v python3 >/dev/null 2>&1; then
  if ! python3 - "$bin" "$tmp/json.raw" "$tmp/sarif.raw" "$tmp" <<'PY'
import ast, json, os, subprocess, sys

bin_, json_path, sarif_path, tmp = sys.argv[1:5]
report = json.load(open(json_path, encoding="utf-8"))
sarif = json.load(open(sarif_path, encoding="utf-8"))
errors = []
sources = {}

def source(path):
    if path not in sources:
        sources[path] = open(path, "rb").read()
    return sources[path]

def line_col(data, byte):
    """1-based line, code-point column and UTF-16 column of a byte offset."""
    if byte < 0 or byte > len(data):
        return None
    start = data.rfind(b"\n", 0, byte) + 1
    prefix = data[start:byte].decode("utf-8")  # fails if byte splits a character
    line = data.count(b"\n", 0, byte) + 1
    utf16 = len(prefix.encode("utf-16-le")) // 2
    return line, len(prefix) + 1, utf16 + 1

def check_pos(where, path, pos):
    try:
        got = line_col(source(path), pos["byte"])
    except UnicodeDecodeError:
        errors.append(f"{where}: byte {pos['byte']} is inside a UTF-8 sequence")
        return None
    if got is None:
        errors.append(f"{where}: byte {pos['byte']} is outside {path}")
        return None
    if (pos["line"], pos["column"]) != got[:2]:
        errors.append(f"{where}: line/column {pos['line']}:{pos['column']} but byte "
                      f"{pos['byte']} is at {got[0]}:{got[1]}")
    return got

def codes_in(path, text):
    """Rule codes redislint reports on TEXT linted alone as PATH's basename."""
    d = os.path.join(tmp, "fixcheck")
    os.makedirs(d, exist_ok=True)
    f = os.path.join(d, os.path.basename(path))
    open(f, "wb").write(text)
    out = subprocess.run([bin_, "check", "--format", "json", "--exit-zero", f],
                         capture_output=True, check=False).stdout
    os.remove(f)
    return [x["code"] for x in json.loads(out)["findings"]]

results = sarif["runs"][0]["results"]
if len(results) != len(report["findings"]):
    errors.append(f"SARIF has {len(results)} results, JSON {len(report['findings'])} findings")

for i, f in enumerate(report["findings"]):
    where = f"finding {i} ({f['path']}:{f['start']['line']} {f['code']})"
    start = check_pos(where + " start", f["path"], f["start"])
    end = check_pos(where + " end", f["path"], f["end"])
    for j, r in enumerate(f["related"]):
        if "start" in r:
            check_pos(f"{where} related {j} start", r["path"], r["start"])
            check_pos(f"{where} related {j} end", r["path"], r["end"])
    if i < len(results) and start and end:
        region = results[i]["locations"][0]["physicalLocation"]["region"]
        want = {"startLine": start[0], "startColumn": start[2],
                "endLine": end[0], "endColumn": end[2]}
        if region != want:
            errors.append(f"{where}: SARIF region {region}, expected UTF-16 {want}")
    fix = f["fix"]
    if not fix or not fix["edits"]:
        if fix and fix["applicability"] != "display":
            errors.append(f"{where}: {fix['applicability']} fix without edits")
        continue
    data = source(f["path"])
    edits = sorted(fix["edits"], key=lambda e: (e["start"]["byte"], e["end"]["byte"]))
    for k, e in enumerate(edits):
        check_pos(f"{where} edit {k} start", f["path"], e["start"])
        check_pos(f"{where} edit {k} end", f["path"], e["end"])
        if e["start"]["byte"] > e["end"]["byte"]:
            errors.append(f"{where}: edit {k} ends before it starts")
        if k and edits[k - 1]["end"]["byte"] > e["start"]["byte"]:
            errors.append(f"{where}: edits {k - 1} and {k} overlap")
    fixed = data
    for e in reversed(edits):
        fixed = (fixed[:e["start"]["byte"]] + e["content"].encode("utf-8")
                 + fixed[e["end"]["byte"]:])
    try:
        ast.parse(fixed, filename=f["path"])
    except SyntaxError as exc:
        errors.append(f"{where}: the fixed file does not parse: {exc}\n"
                      + fixed.decode("utf-8", "replace"))
        continue
    before = codes_in(f["path"], data).count(f["code"])
    after = codes_in(f["path"], fixed).count(f["code"])
    # a finding that needs the rest of the project (a client imported from
    # another file) cannot be re-checked on the file alone; the fix engine
    # re-lints the whole project itself
    if before and after >= before:
        errors.append(f"{where}: after the fix {f['code']} is still reported "
                      f"({before} before, {after} after)")

for e in errors:
    print("golden: FAIL:", e)
sys.exit(1 if errors else 0)
PY
  then
    fail "JSON positions/fixes check (see above)"
  fi
else
  unavailable "python3 not found: JSON positions and fixes not checked"
fi

# --- SARIF validation (node) ------------------------------------------------
# selftest.sh installs the validator's dependencies (npm ci) when needed and
# exits 77 when it cannot (no node/npm, offline); under CI it exits 1.
sh tests/sarif/selftest.sh --no-selftest "$tmp/sarif.raw"
rc=$?
case $rc in
  0) ;;
  77) unavailable "SARIF report not validated (node/npm or npm ci unavailable)" ;;
  *) fail "the SARIF report is not valid (see above)" ;;
esac

if [ "$status" = 0 ]; then
  echo "golden: ok"
fi
exit $status
