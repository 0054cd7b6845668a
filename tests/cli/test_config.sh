#!/usr/bin/env bash
# redislint.json: found upward (not past the repository root), every key
# applied, flags over the file, --config and --isolated, bad files named
# with a hint, and `redislint config`. Usage: test_config.sh path/to/redislint
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/cli/lib.sh" "$1"
rl() { timeout 60 "$BIN" "$@" >out 2>err; RC=$?; }
has() { grep -qE -- "$1" "$2"; }

mkdir -p repo/.git repo/app/deep repo/scripts
cd repo || exit 2
echo 'redis>=8.0' >requirements.txt
cat >redislint.json <<'JSON'
{
  "select": ["RL3"],
  "extend-select": ["RL309"],
  "ignore": ["RL303"],
  "per-file-ignores": {"scripts/": ["keys-command"], "*_admin.py": ["RL305"]},
  "severity": {"RL301": "warning"},
  "noqa": true,
  "options": {"default-ttl": 600}
}
JSON
printf 'import redis\nr = redis.Redis(host="cache")\nr.keys("*")\nr.smembers("s")\nr.flushall()\nr.hset("h:1", "f", "x" * 100)\n' >app/deep/a.py
cp app/deep/a.py scripts/b.py
cp app/deep/a.py app/site_admin.py
printf 'import redis\nr = redis.Redis(host="cache")\n\n\ndef cached(k):\n    v = r.get(f"cache:{k}")\n    if v is None:\n        r.set(f"cache:{k}", "x")  # noqa\n    return v\n' >app/bare.py
cd app/deep || exit 2
rl check --format json .
check "found from a subdirectory: RL301 as a warning (severity override)" \
  python3 -c 'import json,sys; d=json.load(open("out")); f=[x for x in d["findings"] if x["code"]=="RL301"]; sys.exit(0 if f and f[0]["severity"]=="warning" else 1)'
check "select RL3 drops RL102" eval '! grep -q RL102 out'
check "extend-select turns on RL309" grep -q RL309 out
cd ../.. || exit 2
rl check -q .
check "per-file-ignores by directory" eval '! grep -q "^scripts/b.py:3:.*RL301" out'
check "per-file-ignores by name glob" eval '! grep -q "^app/site_admin.py:5:.*RL305" out'
check "other files keep them" grep -q '^app/site_admin.py:3:.*RL301' out
check "a bare noqa is honoured when configured" eval '! grep -q "^app/bare.py:8" out'
rl check -q --select RL102 .
check "--select overrides the file's select" grep -q RL102 out
rl check -q --isolated app/deep/a.py
check "--isolated: defaults (RL102 on, RL301 an error)" grep -q 'RL102' out
rl config app
check "config prints the file it used" has '"config-file": "redislint.json"' out
check "and the options" has '"default-ttl": 600' out
check "and the effective rules" has '"RL309"' out
check "not RL303 (ignored)" eval '! grep -q "\"RL303\"" out'

# the search stops at the repository root
mkdir -p ../outer/.git ../outer/inner
cd ../outer/inner || exit 2
printf '{"select": ["RL1"]}\n' >../../redislint.json
rl config .
check "not past the repository root" has '"config-file": null' out
cd ../../repo || exit 2

printf '{"selct": ["RL1"], "options": {"default-tl": 5, "lock-ttl": -3}, "severity": {"RL301": "fatal"}, "select": ["RL999"]}\n' >bad.json
rl check --config bad.json .
check "a bad file: exit 2 (got $RC)" [ "$RC" -eq 2 ]

check "unknown key with a hint" has "bad.json: unknown key 'selct' \(did you mean 'select'\?\)" err
check "unknown option with a hint" has "unknown option 'options.default-tl' \(did you mean 'default-ttl'\?\)" err
check "out-of-range value" has 'options.lock-ttl. must be a whole number' err
check "bad severity" has 'severity.RL301. must be "error", "warning" or "info"' err
check "unknown rule" has "unknown rule 'RL999'" err
check "nothing linted" [ ! -s out ]
printf '{"select": [\n' >broken.json
rl check --config broken.json .
check "broken JSON: exit 2 with file and line" has 'broken.json:[0-9]+: not valid JSON' err
rl check --config missing.json .
check "a missing --config: exit 2" has 'missing.json: cannot read the configuration' err
printf '{"redis-py-version": "4.6", "select": ["RL402"]}\n' >old.json
rl check -q --config old.json app/deep/a.py
check "redis-py-version from the file" has 'old.json: redis-py-version 4.6' out
rl check -q --config old.json --redis-py-version 8 app/deep/a.py
check "--redis-py-version over the file (got $RC)" [ "$RC" -eq 0 ]
# options.test-paths and options.cache-keys
mkdir -p qa
printf 'import redis\nr = redis.Redis()\nr.flushall()\n' >qa/smoke.py
printf 'import redis\nr = redis.Redis()\n\n\ndef render(p, html):\n    r.set(f"page:{p}", html)\n' >app/pages.py
printf '{"select": ["RL201", "RL305"]}\n' >plain.json
printf '{"select": ["RL201", "RL305"], "options": {"test-paths": ["qa/"], "cache-keys": ["page:*"]}}\n' >opts.json
rl check -q --config plain.json qa/smoke.py app/pages.py
check "without test-paths: FLUSHALL in qa/ is application code" grep -q '^qa/smoke.py:3:.*RL305' out
check "without cache-keys: page:{} is not known to be a cache" eval '! grep -q "^app/pages.py" out'
rl check -q --config opts.json qa/smoke.py app/pages.py
check "test-paths: qa/ is test code (RL305 silent there)" eval '! grep -q "^qa/smoke.py" out'
check "cache-keys: page:{} written without a TTL is reported" grep -q '^app/pages.py:6:.*RL201.*configured cache key pattern `page:\*`' out
# --isolated keeps the defaults (thresholds are not zeroed by an absent file)
printf 'import redis\nr = redis.Redis()\nr.hset("h", "f", "short")\n' >small.py
rl check -q --isolated small.py
check "--isolated: a short hash value is fine (got $RC)" [ "$RC" -eq 0 ]
# target-redis-version: no advice that needs a newer server
printf 'import redis\nr = redis.Redis()\nr.rpoplpush("a", "b")\n' >old_server.py
rl check -q --isolated --select RL310 old_server.py
check "RL310 suggests LMOVE for a current server" grep -q 'LMOVE' out
rl check -q --isolated --select RL310 --target-redis-version 6.0 old_server.py
check "--target-redis-version 6.0: no LMOVE advice (got $RC)" [ "$RC" -eq 0 ]
printf '{"target-redis-version": "6.0", "select": ["RL310"]}\n' >t60.json
rl check -q --config t60.json old_server.py
check "target-redis-version in the file (got $RC)" [ "$RC" -eq 0 ]
printf '{"target-redis-version": "seven"}\n' >tbad.json
rl check -q --config tbad.json old_server.py
check "a bad target-redis-version is an error" has 'target-redis-version. must be a Redis version' err

# a key given twice: an error naming it, not a silent pick (nor a leak)
printf '{"select": ["RL301"], "options": {"lock-ttl": 5, "lock-ttl": 9}, "select": ["RL101"]}\n' >dup.json
rl check --config dup.json .
check "a duplicate key: exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "the message names the file and the key: $(cat err)" has "dup.json: the key '(select|lock-ttl)' appears twice" err
# pyproject.toml [tool.redislint]: same keys, same discovery; redislint.json
# wins in the same directory; a pyproject.toml without the table is skipped
SECTION=pyproject
mkdir -p "$T/py/.git" "$T/py/pkg/sub"
cd "$T/py" || exit 2
echo 'redis>=8.0' >requirements.txt
cat >pyproject.toml <<'TOML'
[project]
name = "demo"

[tool.redislint]
select = ["RL3"]
ignore = ["RL305"]
severity = { RL301 = "warning" }

[tool.redislint.options]
default-ttl = 90
TOML
printf 'import redis\nr = redis.Redis()\nr.keys("*")\nr.flushall()\nr.hset("h:1", "f", "x" * 100)\n' >pkg/sub/a.py
rl check --format json pkg/sub/a.py
check "the table applies: RL301 a warning" \
  python3 -c 'import json,sys; d=json.load(open("out")); f=[x for x in d["findings"] if x["code"]=="RL301"]; sys.exit(0 if f and f[0]["severity"]=="warning" else 1)'
check "select and ignore apply (no RL305, no RL102)" eval '! grep -qE "RL305|RL102" out'
rl config pkg
check "config shows the file and the table" has '"config-table": "tool.redislint"' out
check "and its options" has '"default-ttl": 90' out
printf '[tool.black]\nline-length = 100\n' >pkg/pyproject.toml
rl config pkg/sub
check "a pyproject.toml without the table is skipped: $(head -c 80 out)" has '"config-file": "pyproject.toml"' out
printf '{"select": ["RL1"]}\n' >redislint.json
rl config .
check "redislint.json wins in the same directory" has '"config-file": "redislint.json"' out
rm redislint.json
printf '[tool.redislint]\nselect = ["RL3"\n' >pkg/pyproject.toml
rl check pkg/sub
check "invalid TOML: exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "with the file and line: $(cat err)" has 'pkg/pyproject.toml:2: not valid TOML' err
printf '[tool.redislint]\nselekt = ["RL3"]\n' >pkg/pyproject.toml
rl check pkg/sub
check "an unknown key named with a hint: $(cat err)" has "pyproject.toml: unknown key 'selekt' \(did you mean 'select'\?\)" err
printf '[tool.redislint]\nselect = ["RL1"]\nselect = ["RL3"]\n' >pkg/pyproject.toml
rl check pkg/sub
check "a key given twice: exit 2 (got $RC)" [ "$RC" -eq 2 ]
printf '[tool]\nredislint = 3\n' >pkg/pyproject.toml
rl check pkg/sub
check "tool.redislint not a table: $(cat err)" has 'tool.redislint. is not a table' err
printf '[tool.black]\nx = 1\n' >pkg/pyproject.toml
rl check --config pkg/pyproject.toml pkg/sub
check "--config names a pyproject.toml without the table: $(cat err)" has 'has no \[tool.redislint\] table' err
rl check -q --config pyproject.toml --isolated pkg/sub/a.py
check "--isolated ignores it" has 'RL102' out
unset SECTION
finish test_config.sh
