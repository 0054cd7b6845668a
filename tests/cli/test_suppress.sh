#!/usr/bin/env bash
# Suppression comments from the CLI: noqa, ignore[...] on the line and alone
# above it, ignore-file, multi-line statements, other tools' codes, and the
# bad ones (RL001): unused, unknown, malformed. SARIF with
# --include-suppressed is validated against the SARIF 2.1.0 schema.
# Usage: test_suppress.sh path/to/redislint
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/cli/lib.sh" "$1"
reported() { grep -q "^s.py:$1:[0-9]*: $2 " out; }
not_reported() { ! grep -q "^s.py:$1:[0-9]*: $2 " out; }

cat >s.py <<'PY'
import redis

r = redis.Redis()


def purge():
    r.keys("a:*")  # noqa: RL301
    r.keys("b:*")  # noqa: E501, RL301 -- with another tool's code
    r.keys("c:*")  # redislint: ignore[keys-command] -- maintenance
    # redislint: ignore[RL301] -- the next statement, all of it
    r.keys(
        "d:*")
    r.keys("e:*")  # noqa
    r.get("x")  # noqa: RL301
    r.keys("f:*")  # noqa: RL999
    r.keys("g:*")  # redislint: ignore keys-command
    r.keys("h:*")  # redislint: ignore[]
    s = "# noqa: RL301 inside a string is not a comment"
    r.keys("i:*")  # redislint: ignore[keys-command, per-field-keys]
PY
timeout 60 "$BIN" check -q s.py >out 2>err
RC=$?
check "exit 1 (got $RC)" [ "$RC" -eq 1 ]
check "noqa on the line suppresses" not_reported 7 RL301
check "noqa with another tool's code suppresses ours" not_reported 8 RL301
check "ignore[slug] suppresses" not_reported 9 RL301
check "ignore alone above covers the multi-line statement" not_reported 11 RL301
check "bare noqa is not honoured" reported 13 RL301
check "bare noqa is not reported either" not_reported 13 RL001
check "unused noqa reported" reported 14 RL001
check "unknown rule reported" reported 15 RL001
check "a line with an unknown rule is not suppressed" reported 15 RL301
check "missing brackets reported as malformed" reported 16 RL001
check "empty list reported as malformed" reported 17 RL001
check "text in a string is not a suppression" not_reported 18 RL001
check "one used and one unused code: the unused one is reported" reported 19 RL001
check "and the used one suppresses" not_reported 19 RL301
check "unknown message names the rule" grep -q "unknown rule \`RL999\`" out

timeout 60 "$BIN" check s.py >out 2>err
check "the summary counts the suppressed findings" grep -q '(5 suppressed)' out
timeout 60 "$BIN" check --ignore RL301 -q s.py >out 2>err
check "unused suppressions of a disabled rule are not reported" not_reported 14 RL001
timeout 60 "$BIN" check --ignore RL001 -q s.py >out 2>err
check "--ignore RL001 drops the reports" eval '! grep -q RL001 out'

printf 'import redis\n# redislint: ignore-file[keys-command] -- a maintenance module\nr = redis.Redis()\nr.keys("*")\nr.keys("x*")\n' >whole.py
timeout 60 "$BIN" check -q whole.py >out 2>err
check "ignore-file suppresses the whole file" [ ! -s out ]
printf 'import redis\n# redislint: ignore-file[hardcoded-credentials]\nr = redis.Redis()\n' >unused_file.py
timeout 60 "$BIN" check -q unused_file.py >out 2>err
check "an unused ignore-file is reported" grep -q 'unused_file.py:2:1: RL001 .*in this file' out

timeout 60 "$BIN" check --format sarif --include-suppressed s.py >sup.sarif 2>err
check "SARIF lists the 5 suppressed results as inSource" python3 -c '
import json,sys
d=json.load(open("sup.sarif"))
s=[r for r in d["runs"][0]["results"] if r.get("suppressions")]
sys.exit(0 if len(s)==5 and all(r["suppressions"]==[{"kind":"inSource"}] for r in s) else 1)'
timeout 60 "$BIN" check --format sarif s.py >plain.sarif 2>err
check "without --include-suppressed SARIF has none" python3 -c '
import json,sys
d=json.load(open("plain.sarif"))
sys.exit(1 if any(r.get("suppressions") for r in d["runs"][0]["results"]) else 0)'
if command -v node >/dev/null 2>&1 && [ -d "$SRC/tests/sarif/node_modules" ]; then
  cp sup.sarif sup.json
  check "the SARIF with suppressions is valid SARIF 2.1.0" sh "$SRC/tests/sarif/selftest.sh" --no-selftest "$T/sup.json"
elif [ -n "${CI:-}" ]; then
  check "node and the SARIF validator are available under CI" false
fi

finish test_suppress.sh
