#!/usr/bin/env bash
# Test code, example code and one-off scripts: each rule's policy (front
# matter tests:, examples:, scripts:) applied by the engine; production code
# keeps every finding; example-paths and script-paths in the configuration.
# Usage: test_roles.sh path/to/redislint
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/cli/lib.sh" "$1"
has() { grep -qE -- "$1" "$2"; }

mkdir -p proj/.git proj/app proj/tests proj/examples proj/docs proj/scripts proj/samples proj/ops \
  proj/chaos proj/loadtest proj/doctests && cd proj || exit 2
echo 'redis==4.6.0' >requirements.txt
body='import redis

r = redis.Redis(host="cache")


def purge():
    for k in r.keys("tmp:*"):
        r.delete(k)


def flag(k):
    return r.get(k) == "yes"
'
for d in app tests examples docs scripts samples ops chaos loadtest doctests; do printf '%s' "$body" >"$d/mod.py"; done
printf '%s\n\nif __name__ == "__main__":\n    for k in r.keys("x:*"):\n        r.delete(k)\n' "$body" >app/cli.py
# one-off commands known by their content: a __main__ block that reads its
# arguments (or asks its user), and nothing that keeps the process running
main='
if __name__ == "__main__":
    import argparse
    argparse.ArgumentParser().parse_args()
    purge()
'
printf '%s%s' "$body" "$main" >clean.py
printf '%s\n\ndef serve():\n    while True:\n        purge()\n%s' "$body" "$main" >daemon.py
printf '%s\n\ndef ask():\n    while True:\n        if input("more? ") != "y":\n            break\n%s' "$body" "$main" >interactive.py
mkdir -p tools app/management/commands
printf '%s' "$body" >tools/reset.py
printf '%s\n\ndef consume():\n    while True:\n        r.blpop(["q"], timeout=5)\n' "$body" >tools/consumer.py
printf '%s' "$body" >app/management/commands/fix_keys.py
mkdir -p update/v5.0 app/migrations app/updates_feed
printf '%s' "$body" >update/v5.0/migrate.py
printf '%s' "$body" >app/migrations/0002_keys.py
printf '%s' "$body" >app/updates_feed/mod.py
printf '%s' "$body" >migrate_v2.py
printf '%s\n\ndef ask():\n    while True:\n        if raw_input("more? ") != "y":\n            break\n%s' "$body" "$main" >legacy_tool.py

"$BIN" check -q --no-cache . >out 2>err
check "production code: KEYS (error)" has '^app/mod.py:7:14: RL301' out
check "production code: the loop" has '^app/mod.py:8:9: RL302' out
check "production code: the missing timeout" has '^app/mod.py:3:5: RL402' out
check "test code: no KEYS (tests: silent)" eval '! grep -q "^tests/mod.py:7:.*RL301" out'
check "test code: no missing timeout" eval '! grep -q "^tests/mod.py:.*RL402" out'
check "examples/: nothing at all" eval '! grep -q "^examples/" out'
check "docs/: nothing at all" eval '! grep -q "^docs/" out'
check "chaos/ (a test harness): no KEYS" eval '! grep -q "^chaos/mod.py:7:.*RL301" out'
check "loadtest/: nothing at all" eval '! grep -q "^loadtest/" out'
check "doctests/: nothing at all" eval '! grep -q "^doctests/" out'
"$BIN" check --format json --no-cache . >out.json 2>/dev/null
sev() { python3 -c 'import json,sys; print(",".join(sorted(f["severity"] for f in json.load(open("out.json"))["findings"] if f["path"]==sys.argv[1] and f["code"]==sys.argv[2])))' "$1" "$2"; }
check "scripts/: KEYS as in production ($(sev scripts/mod.py RL301))" [ "$(sev scripts/mod.py RL301)" = error ]
check "scripts/: the loop as info ($(sev scripts/mod.py RL302))" [ "$(sev scripts/mod.py RL302)" = info ]
check "scripts/: the timeout as info ($(sev scripts/mod.py RL402))" [ "$(sev scripts/mod.py RL402)" = info ]
check "a __main__ block is a script: its loop as info ($(sev app/cli.py RL302))" [ "$(sev app/cli.py RL302)" = "info,warning" ]
check "the same module's functions stay production" has '"path": "app/cli.py"' out.json
check "a top-level CLI with argparse is a script ($(sev clean.py RL302))" [ "$(sev clean.py RL302)" = info ]
check "a CLI with a while-True loop is a daemon: production ($(sev daemon.py RL302))" \
  [ "$(sev daemon.py RL302)" = warning ]
check "an interactive program (input()) is a script ($(sev interactive.py RL302))" \
  [ "$(sev interactive.py RL302)" = info ]
check "tools/ at the top is a script ($(sev tools/reset.py RL402))" [ "$(sev tools/reset.py RL402)" = info ]
check "... unless it runs on, a consumer ($(sev tools/consumer.py RL402))" \
  [ "$(sev tools/consumer.py RL402)" = warning ]
check "a Django management command is a script ($(sev app/management/commands/fix_keys.py RL302))" \
  [ "$(sev app/management/commands/fix_keys.py RL302)" = info ]
check "an upgrade step is a script ($(sev update/v5.0/migrate.py RL302))" \
  [ "$(sev update/v5.0/migrate.py RL302)" = info ]
check "a migration is a script ($(sev app/migrations/0002_keys.py RL402))" \
  [ "$(sev app/migrations/0002_keys.py RL402)" = info ]
check "a migration by its name is a script ($(sev migrate_v2.py RL302))" [ "$(sev migrate_v2.py RL302)" = info ]
check "a Python 2 raw_input() program is interactive: a script ($(sev legacy_tool.py RL302))" \
  [ "$(sev legacy_tool.py RL302)" = info ]
check "... but not a directory that merely starts with the word ($(sev app/updates_feed/mod.py RL302))" \
  [ "$(sev app/updates_feed/mod.py RL302)" = warning ]
check "a str compared with bytes in test code is still reported (tests: same)" \
  [ "$(sev tests/mod.py RL311)" = error ]
check "a configured glob: samples/ is production until named ($(sev samples/mod.py RL301))" \
  [ "$(sev samples/mod.py RL301)" = error ]
# how often code runs: a static helper nothing calls is reported at info
mkdir -p mgr && cp "$SRC/tests/fixtures/client-per-call/static_admin_helper.py" mgr/
"$BIN" check --format json --no-cache --select RL401 mgr >mgr.json 2>/dev/null
lsev() { python3 -c 'import json,sys; print(",".join(f["severity"] for f in json.load(open("mgr.json"))["findings"] if f["start"]["line"]==int(sys.argv[1])))' "$1"; }
check "RL401: a static method nothing calls is info ($(lsev 12))" [ "$(lsev 12)" = info ]
check "RL401: ... called from a handler, warning ($(lsev 17))" [ "$(lsev 17)" = warning ]
check "RL401: a module function nothing calls is info ($(lsev 26))" [ "$(lsev 26)" = info ]
check "RL401: the message says why" has 'no caller in the project shows how often it runs' mgr.json
rm -rf mgr mgr.json
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
