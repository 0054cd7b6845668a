#!/usr/bin/env bash
# The result cache (.redislint_cache at the project root): a warm run gives
# exactly what a run without the cache gives, after every kind of change
# (an edited file, changed exports, a new or deleted file, the redis-py pin,
# the configuration), it is really used, a broken cache is only a slower run,
# two runs at once leave a valid cache, and --no-cache / cache-dir work.
# Usage: test_cache.sh path/to/redislint
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/cli/lib.sh" "$1"
has() { grep -qE -- "$1" "$2"; }

mkdir -p proj/.git proj/app && cd proj || exit 2
echo 'redis==4.6.0' >requirements.txt
cat >app/ext.py <<'PY'
import redis

redis_client = redis.Redis(host="cache")
PY
cat >app/views.py <<'PY'
from app.ext import redis_client


def purge():
    for k in redis_client.keys("tmp:*"):
        redis_client.delete(k)


def save(uid, name, email, age):
    redis_client.set(f"user:{uid}:name", name)
    redis_client.set(f"user:{uid}:email", email)
    redis_client.set(f"user:{uid}:age", age)
PY
printf 'import os\n\nX = os.sep\n' >app/plain.py

# same() RUN-ARGS...: a run with the cache and one without give the same
# report (JSON, stderr too) and exit status
same() {
  "$BIN" check --format json "$@" >warm.json 2>warm.err
  local a=$?
  "$BIN" check --format json --no-cache "$@" >cold.json 2>cold.err
  local b=$?
  cmp -s warm.json cold.json && cmp -s warm.err cold.err && [ "$a" -eq "$b" ]
}

check "first run (writes the cache) = no cache" same .
# one results file per configuration key
cachefile() { ls "${1:-.redislint_cache}"/results-*.jsonl 2>/dev/null | head -n 1; }
check "the cache is at the project root" test -s "$(cachefile)"
check "with a .gitignore that ignores it" grep -qx '\*' .redislint_cache/.gitignore
check "and a cache directory tag" grep -q 'Signature: 8a477f597d28d172789f06886806bc55' .redislint_cache/CACHEDIR.TAG
check "a warm run = no cache" same .
check "it has findings to compare ($(grep -o '"code": *"RL[0-9]*"' cold.json | sort -u | tr '\n' ' '))" \
  has '"RL101"' cold.json

# the cache is really used: doctor a cached message (same key, same hash)
python3 - <<'PY'
import json
import glob
p = glob.glob(".redislint_cache/results-*.jsonl")[0]
lines = [json.loads(l) for l in open(p)]
for e in lines[1:]:
    for f in e.get("findings", []):
        f["m"] = "FROM THE CACHE " + f["m"]
open(p, "w").write("".join(json.dumps(e) + "\n" for e in lines))
PY
"$BIN" check -q . >out 2>&1
check "unchanged files are answered by the cache (a doctored message shows)" has 'FROM THE CACHE' out
"$BIN" check -q --no-cache . >out 2>&1
check "--no-cache does not read it" eval '! grep -q "FROM THE CACHE" out'
rm -rf .redislint_cache
"$BIN" check -q --no-cache . >/dev/null 2>&1
check "--no-cache does not write it" test ! -e .redislint_cache

"$BIN" check -q . >/dev/null 2>&1
printf '\n\ndef more():\n    redis_client.set("k", 1)\n    redis_client.expire("k", 5)\n' >>app/views.py
check "an edited file = no cache" same .
check "  (its new finding is there)" has '"RL202"' warm.json
cp warm.json before.json
printf 'import redis\n\nredis_client = {"not": "a client"}\n' >app/ext.py
check "changed exports (no client any more) = no cache" same .
check "  (and the findings did change)" eval '! cmp -s warm.json before.json'
printf 'import redis\n\nredis_client = redis.Redis(host="cache")\n' >app/ext.py
check "and back = no cache" same .
printf 'from app.ext import redis_client\n\n\ndef flush():\n    redis_client.flushall()\n' >app/admin.py
check "a new file = no cache" same .
rm app/admin.py
check "a deleted file = no cache" same .
echo 'redis==5.0.8' >requirements.txt
check "another redis-py pin = no cache" same .
printf '{"select": ["RL3"]}\n' >redislint.json
check "another configuration = no cache" same .
rm redislint.json
check "one file named (a partial run) = no cache" same app/views.py
printf 'from app.ext import redis_client\nredis_client.keys("*")\n' | "$BIN" check -q --stdin-filename app/views.py - >out 2>&1
check "stdin standing for a file: its own content is linted ($(head -c 100 out))" has '^app/views.py:2:1: RL301' out
check "  and the file's entry on disk still answers for it" same app/views.py

for f in .redislint_cache/results-*.jsonl; do echo 'not json {' >"$f"; done
check "a broken cache is only a slower run" same .
newest='import glob, json, os; f = max(glob.glob(".redislint_cache/results-*.jsonl"), key=os.path.getmtime); [json.loads(l) for l in open(f)]'
check "  and is written again (the file of this configuration)" python3 -c "$newest"

# two runs at once: both right, the cache valid afterwards
printf '\n# touched\n' >>app/plain.py
("$BIN" check --format json . >p1.json 2>/dev/null) &
("$BIN" check --format json . >p2.json 2>/dev/null) &
wait
"$BIN" check --format json --no-cache . >p0.json 2>/dev/null
check "two runs at once: the first right" cmp -s p0.json p1.json
check "two runs at once: the second right" cmp -s p0.json p2.json
check "  and the cache is valid JSON" python3 -c "$newest"
check "no temporary file left in the cache" eval '[ -z "$(ls -A .redislint_cache | grep tmp)" ]'

# cache-dir in the configuration, relative to the file
printf '{"cache-dir": "build/lint-cache"}\n' >redislint.json
"$BIN" check -q . >/dev/null 2>&1
check "cache-dir: the cache goes there" test -s "$(cachefile build/lint-cache)"
check "cache-dir: redislint config" eval '"$BIN" config . | grep -q "\"cache-dir\": \".*build/lint-cache\""'
printf '{"cache-dir": 5}\n' >redislint.json
"$BIN" check -q . >/dev/null 2>err
check "a bad cache-dir names the key: $(cat err)" has "cache-dir. must be a path" err
rm redislint.json

# a stdin run on a cold cache warms it (the buffer's own entry stands in)
rm -rf .redislint_cache
"$BIN" check -q --stdin-filename app/views.py - <app/views.py >/dev/null 2>&1
python3 - <<'PY'
import glob, json
p = glob.glob(".redislint_cache/results-*.jsonl")[0]
lines = [json.loads(l) for l in open(p)]
for e in lines[1:]:
    for f in e.get("findings", []):
        f["m"] = "FROM THE CACHE " + f["m"]
open(p, "w").write("".join(json.dumps(e) + "\n" for e in lines))
PY
"$BIN" check -q --stdin-filename app/views.py - <app/views.py >out 2>&1
check "a second stdin run is answered by the cache" grep -q 'FROM THE CACHE' out

# another configuration keeps its own file: the default one is not evicted
rm -rf .redislint_cache
"$BIN" check -q . >/dev/null 2>&1
"$BIN" check -q --select RL3 . >/dev/null 2>&1
check "two configurations, two files ($(ls .redislint_cache | tr '\n' ' '))" \
  [ "$(ls .redislint_cache/results-*.jsonl | wc -l)" -eq 2 ]
for i in 1 2 3 4 5; do "$BIN" check -q --select "RL30$i" . >/dev/null 2>&1; done
check "at most four are kept ($(ls .redislint_cache/results-*.jsonl | wc -l))" \
  [ "$(ls .redislint_cache/results-*.jsonl | wc -l)" -le 4 ]

# stat signatures: a file left alone for 2 s is not read again while its
# size, mtime, ctime and inode stay; any write changes its ctime
rm -rf .redislint_cache
sleep 3 # settled: the ctime of every file 2 s behind the clock (not a timeout)
"$BIN" check -q . >/dev/null 2>&1
check "a settled file's entry records its stat signature" \
  grep -q '"path":"app/views.py".*"stat":"' "$(cachefile)"
check "a warm run on settled files = no cache" same .
mtime=$(stat -c %Y app/views.py)
sed -i 's/redis_client.keys("tmp:\*")/redis_client.kexs("tmp:*")/' app/views.py
touch -d "@$mtime" app/views.py # same size, same mtime: only the ctime tells
check "an edit that keeps size and mtime is still seen" same .
check "... (the KEYS finding is gone)" eval '! grep -q "RL301" cold.json'
sed -i 's/redis_client.kexs("tmp:\*")/redis_client.keys("tmp:*")/' app/views.py
check "a file written just now gets no signature, and is read" same .
check "... its entry has none yet" eval '! grep -q "\"path\":\"app/views.py\".*\"stat\":\"" "$(cachefile)"'

# test code by its text (a TestCase in a module not named test_*): the
# verdict is kept in the entry, since a settled file is not read again
cat >app/checks.py <<'PY'
import unittest


class Fake:
    def hset(self, *a):
        return 0


class T(unittest.TestCase):
    def test_x(self):
        self.assertTrue(Fake())
PY
rm -rf .redislint_cache
sleep 3 # settled, as above
"$BIN" check -q . >/dev/null 2>&1
check "a test module by its text is recorded as test code" \
  grep -q '"path":"app/checks.py".*"test":true' "$(cachefile)"
check "... and a warm run that does not read it = no cache" same .
rm -f app/checks.py

# a cache that cannot be written: the run is right anyway
rm -rf .redislint_cache && printf 'not a directory\n' >.redislint_cache
check "an unwritable cache location = no cache" same .
rm -f .redislint_cache
finish test_cache.sh
