#!/usr/bin/env bash
# Test code, example code and one-off scripts: each rule's policy (front
# matter tests:, examples:, scripts:) applied by the engine; production code
# keeps every finding; example-paths and script-paths in the configuration.
# Usage: test_roles.sh path/to/redislint
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/cli/lib.sh" "$1"
has() { grep -qE -- "$1" "$2"; }

mkdir -p proj/.git proj/app proj/tests proj/examples proj/docs proj/scripts proj/samples proj/ops && cd proj || exit 2
echo 'redis==4.6.0' >requirements.txt
body='import redis

r = redis.Redis(host="cache")


def purge():
    for k in r.keys("tmp:*"):
        r.delete(k)


def flag(k):
    return r.get(k) == "yes"
'
for d in app tests examples docs scripts samples ops; do printf '%s' "$body" >"$d/mod.py"; done
printf '%s\n\nif __name__ == "__main__":\n    for k in r.keys("x:*"):\n        r.delete(k)\n' "$body" >app/cli.py

"$BIN" check -q --no-cache . >out 2>err
check "production code: KEYS (error)" has '^app/mod.py:7:14: RL301' out
check "production code: the loop" has '^app/mod.py:8:9: RL302' out
check "production code: the missing timeout" has '^app/mod.py:3:5: RL402' out
check "test code: no KEYS (tests: silent)" eval '! grep -q "^tests/mod.py:7:.*RL301" out'
check "test code: no missing timeout" eval '! grep -q "^tests/mod.py:.*RL402" out'
check "examples/: nothing at all" eval '! grep -q "^examples/" out'
check "docs/: nothing at all" eval '! grep -q "^docs/" out'
"$BIN" check --format json --no-cache . >out.json 2>/dev/null
sev() { python3 -c 'import json,sys; print(",".join(sorted(f["severity"] for f in json.load(open("out.json"))["findings"] if f["path"]==sys.argv[1] and f["code"]==sys.argv[2])))' "$1" "$2"; }
check "scripts/: KEYS as in production ($(sev scripts/mod.py RL301))" [ "$(sev scripts/mod.py RL301)" = error ]
check "scripts/: the loop as info ($(sev scripts/mod.py RL302))" [ "$(sev scripts/mod.py RL302)" = info ]
check "scripts/: the timeout as info ($(sev scripts/mod.py RL402))" [ "$(sev scripts/mod.py RL402)" = info ]
check "a __main__ block is a script: its loop as info ($(sev app/cli.py RL302))" [ "$(sev app/cli.py RL302)" = "info,warning" ]
check "the same module's functions stay production" has '"path": "app/cli.py"' out.json
check "a str compared with bytes in test code is still reported (tests: same)" \
  [ "$(sev tests/mod.py RL311)" = error ]
check "a configured glob: samples/ is production until named ($(sev samples/mod.py RL301))" \
  [ "$(sev samples/mod.py RL301)" = error ]
printf '{"options": {"example-paths": ["samples/"], "script-paths": ["ops/*.py"]}}\n' >redislint.json
"$BIN" check --format json --no-cache . >out.json 2>/dev/null
check "options.example-paths: samples/ is example code" eval '[ -z "$(sev samples/mod.py RL301)" ]'
check "options.script-paths: ops/ is a script ($(sev ops/mod.py RL302))" [ "$(sev ops/mod.py RL302)" = info ]
"$BIN" config . >cfg 2>&1
check "redislint config shows them" has '"example-paths": \["samples/"\]' cfg
printf '{"options": {"exampel-paths": ["x/"]}}\n' >redislint.json
"$BIN" check -q . >/dev/null 2>err
check "a mistyped key: $(cat err)" has "did you mean 'example-paths'" err
rm redislint.json
"$BIN" rule RL301 >doc
check "the rule's doc states its policies" has 'Examples and scripts' doc
check "... and its test-code policy" has 'Test code' doc
finish test_roles.sh
