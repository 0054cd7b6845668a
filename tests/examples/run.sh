#!/usr/bin/env bash
# run.sh - redislint must report on examples/ exactly the findings listed in
# examples/EXPECTED.md (its first fenced block: `path:line CODE slug` lines,
# paths relative to examples/).
#
#   tests/examples/run.sh REDISLINT
#
# Runs `REDISLINT check --format json examples/` from the repository root and
# compares the (path, line, code, slug) of every finding with that list, as
# multisets (each list sorted). On a difference prints both sides and a diff.
# Exit status: 0 same, 1 different or redislint failed, 77 skipped (python3
# missing; under CI, CI set to a non-empty value other than "false"/"0",
# that is a failure instead).
set -u

if [ $# -ne 1 ]; then
  echo "usage: $0 REDISLINT" >&2
  exit 2
fi
bin=$1
case $bin in
  /*) ;;
  */*) bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin") ;;
esac
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2

if ! command -v python3 >/dev/null 2>&1; then
  case ${CI:-} in
    "" | false | False | FALSE | 0)
      echo "examples: python3 not found; skipped"
      exit 77
      ;;
  esac
  echo "examples: ERROR: python3 not found and CI=$CI is set"
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" check --color never --format json examples/ >"$tmp/report.json" 2>"$tmp/stderr"
rc=$?
if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
  echo "examples: FAIL: redislint exited $rc"
  cat "$tmp/stderr"
  exit 1
fi

python3 - "$tmp/report.json" examples/EXPECTED.md "$tmp" <<'PY'
import json, re, sys

report_path, expected_md, tmp = sys.argv[1:4]
LINE = re.compile(r"^(\S+):(\d+) (RL\d{3}) ([a-z0-9-]+)$")
status = 0

# Expected: the first fenced block of EXPECTED.md.
expected, block, bad = [], None, []
for n, text in enumerate(open(expected_md, encoding="utf-8"), 1):
    text = text.rstrip("\n")
    if text.startswith("```"):
        if block is None:
            block = True
            continue
        break
    if block and text.strip():
        m = LINE.match(text.strip())
        if m:
            expected.append((m[1], int(m[2]), m[3], m[4]))
        else:
            bad.append(f"{expected_md}:{n}: not `path:line CODE slug`: {text}")
if block is None or bad:
    print("examples: FAIL: cannot read the expected list")
    print("\n".join(bad))
    sys.exit(1)

report = json.load(open(report_path, encoding="utf-8"))
actual = []
for f in report["findings"]:
    path = f["path"]
    if not path.startswith("examples/"):
        print(f"examples: FAIL: finding outside examples/: {path}")
        status = 1
        continue
    actual.append((path[len("examples/"):], f["start"]["line"], f["code"], f["slug"]))
for e in report["errors"]:
    print(f"examples: FAIL: redislint reported an error: {json.dumps(e)}")
    status = 1

fmt = lambda t: f"{t[0]}:{t[1]} {t[2]} {t[3]}"
want = sorted(expected)
got = sorted(actual)
if want != got:
    status = 1
    print("examples: FAIL: findings on examples/ differ from examples/EXPECTED.md")
    print("--- expected (examples/EXPECTED.md)")
    print("\n".join(map(fmt, want)) or "(none)")
    print("--- actual (redislint)")
    print("\n".join(map(fmt, got)) or "(none)")
    missing = [t for t in want if t not in got or want.count(t) > got.count(t)]
    extra = [t for t in got if t not in want or got.count(t) > want.count(t)]
    print("--- difference")
    for t in sorted(set(missing)):
        print("missing:", fmt(t))
    for t in sorted(set(extra)):
        print("extra:  ", fmt(t))
else:
    print(f"examples: ok ({len(got)} findings)")
sys.exit(status)
PY
