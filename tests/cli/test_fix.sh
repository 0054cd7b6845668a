#!/usr/bin/env bash
# --fix, --unsafe-fixes, --diff, --show-fixes from the CLI, and the bad cases:
# read-only file, CRLF, no trailing newline, non-UTF-8 file, stdin.
# Usage: test_fix.sh path/to/redislint
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/cli/lib.sh" "$1"
rl() { timeout 60 "$BIN" "$@" >out 2>err; RC=$?; }
same() { cmp -s "$1" "$2"; }

SECTION="--fix applies safe fixes, idempotently"
printf 'import redis\n\nr = redis.Redis()\n\n\ndef save(k, v):\n    r.set(k, v)  # keep me\n    r.expire(k, 60)\n    r.hmset("h", {"a": 1})\n' >a.py
printf 'import redis\n\nr = redis.Redis()\n\n\ndef save(k, v):\n    r.set(k, v, ex=60)  # keep me\n    r.hset("h", mapping={"a": 1})\n' >a.want
chmod 640 a.py
rl check --fix a.py
check "exit 0 once everything is fixed (got $RC)" [ "$RC" -eq 0 ]
check "the file is rewritten as expected" same a.py a.want
check "the mode is kept" [ "$(stat -c %a a.py)" = 640 ]
check "summary on stderr" grep -q 'applied 2 fixes in 1 file' err
check "no temporary file is left" [ -z "$(ls -A | grep redislint)" ]
cp a.py a.again
rl check --fix a.py
check "a second --fix changes nothing" same a.py a.again
check "and says so" grep -q 'applied 0 fixes' err

SECTION="--diff writes nothing"
printf 'import redis\nr = redis.Redis()\nr.hmset("h", {"a": 1})\n' >d.py
cp d.py d.orig
rl check --diff d.py
check "exit 1: something to change (got $RC)" [ "$RC" -eq 1 ]
check "the file is untouched" same d.py d.orig
check "a unified diff on stdout" grep -q '^+r.hset("h", mapping={"a": 1})$' out
check "with file headers" grep -q '^--- a/d.py$' out
rl check --diff a.py
check "exit 0 when nothing would change (got $RC)" [ "$RC" -eq 0 ]
check "and no diff" [ ! -s out ]

SECTION="unsafe fixes need --unsafe-fixes"
printf 'import redis\nr = redis.Redis()\nfor k in r.keys("tmp:*"):\n    r.delete(k)\n' >u.py
cp u.py u.orig
rl check --fix u.py
check "exit 1: the unsafe finding remains (got $RC)" [ "$RC" -eq 1 ]
check "--fix leaves an unsafe fix alone" same u.py u.orig
check "the summary names --unsafe-fixes" grep -q 'unsafe-fixes' err
rl check --unsafe-fixes u.py
check "--unsafe-fixes alone writes nothing (as ruff)" same u.py u.orig
check "it shows the fix as fixable: [*] on the finding" grep -q '^u.py:3:.*RL301 \[\*\]' out
check "and in the summary" grep -q "2 fixable with \`--fix --unsafe-fixes\`" out
rl check u.py
check "without it: counted as more with --unsafe-fixes ($(tail -1 out))" \
  grep -q "No fixes available (2 with \`--unsafe-fixes\`)" out
check "and not marked" eval '! grep -q "\[\*\]" <(head -1 out)'
rl check --fix --unsafe-fixes --show-fixes u.py
check "--fix --unsafe-fixes applies it" grep -q 'scan_iter(match="tmp:\*")' u.py
check "--show-fixes lists it" grep -q 'u.py:3: RL301 fixed' err

SECTION="--fix-only and --exit-non-zero-on-fix"
printf 'import redis\nr = redis.Redis()\nr.hmset("h", {"a": 1})\nr.keys("x*")\n' >fo.py
cp fo.py fo.orig
rl check --fix-only fo.py
check "--fix-only applies the safe fix" grep -q 'r.hset("h", mapping={"a": 1})' fo.py
check "reports nothing that remains" [ ! -s out ]
check "and exits 0 although RL301 remains (got $RC)" [ "$RC" -eq 0 ]
check "the summary still goes to stderr" grep -q 'applied 1 fix in 1 file' err
cp fo.orig fo.py
rl check --fix --exit-non-zero-on-fix --select RL310 fo.py
check "--exit-non-zero-on-fix: exit 1 when something was fixed, nothing remains (got $RC)" [ "$RC" -eq 1 ]
rl check --fix --exit-non-zero-on-fix --select RL310 fo.py
check "and 0 when nothing was (got $RC)" [ "$RC" -eq 0 ]
cp fo.orig fo.py
rl check --fix-only --exit-non-zero-on-fix fo.py
check "--fix-only --exit-non-zero-on-fix: 1 after fixing (got $RC)" [ "$RC" -eq 1 ]
rl check --statistics fo.orig.py 2>/dev/null; cp fo.orig fo2.py
rl check --statistics fo2.py
check "--statistics: the severity reported and a fixable count ($(cat out))" \
  grep -qE '^1  RL310  deprecated-command +[a-z]+ +\[\*\] 1 fixable$' out
check "a row without fixes has no trailing blanks" grep -qE '^1  RL301  keys-command +error$' out
rl check --statistics --select RL301 --config /dev/null fo2.py
printf '{"severity": {"RL301": "info"}}\n' >sev.json
rl check --statistics --config sev.json fo2.py
check "--statistics shows the severity actually reported (a config override)" \
  grep -qE '^1  RL301  keys-command +info$' out

SECTION="what the user silenced is not fixed"
mkdir -p silenced/.git silenced/legacy && cd silenced || exit 2
printf 'import redis\nr = redis.Redis(socket_timeout=5)\nr.hmset("h", {"a": 1})\n' >legacy/a.py
cp legacy/a.py a.orig
printf '{"per-file-ignores": {"legacy/": ["RL310"]}}\n' >redislint.json
rl check --fix .
check "per-file-ignores: the file is not touched" same legacy/a.py a.orig
rm redislint.json
rl check --write-baseline b.json .
rl check --fix --baseline b.json .
check "baseline: the recorded finding is not fixed" same legacy/a.py a.orig
check "  and not reported as gone ($(cat err))" eval '! grep -q "no longer found" err'
check "  exit 0: nothing new (got $RC)" [ "$RC" -eq 0 ]
rl check --fix .
check "without them, --fix fixes it" grep -q 'r.hset("h", mapping=' legacy/a.py
cd .. || exit 2

SECTION="CRLF and no trailing newline"
printf 'import redis\r\nr = redis.Redis()\r\nr.set("k", 1)\r\nr.expire("k", 5)\r\n' >crlf.py
rl check --fix crlf.py
printf 'import redis\r\nr = redis.Redis()\r\nr.set("k", 1, ex=5)\r\n' >crlf.want
check "CRLF kept, the expire line removed with its CRLF" same crlf.py crlf.want
printf 'import redis\nr = redis.Redis()\nr.hmset("h", {"a": 1})' >nonl.py
rl check --fix nonl.py
printf 'import redis\nr = redis.Redis()\nr.hset("h", mapping={"a": 1})' >nonl.want
check "no newline added at the end" same nonl.py nonl.want

SECTION="files that must not be written"
printf 'import redis\nr = redis.Redis()\nr.hmset("h", {"a": 1})\n' >ro.py
cp ro.py ro.orig
chmod 444 ro.py
rl check --fix ro.py
check "read-only: exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "read-only: untouched" same ro.py ro.orig
check "read-only: one clear line" grep -q 'ro.py: fixes not written: it is read-only' err
printf 'import redis\nr = redis.Redis()\nr.hmset("h", {"caf\351": 1})\n' >latin1.py
cp latin1.py latin1.orig
rl check --fix latin1.py
check "non-UTF-8: exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "non-UTF-8: untouched" same latin1.py latin1.orig
check "non-UTF-8: named in the message" grep -q 'latin1.py: invalid UTF-8' err

SECTION="stdin"
printf 'import redis\nr = redis.Redis()\nr.hmset("h", {"a": 1})\n' >s.py
timeout 60 "$BIN" check --fix --stdin-filename s.py - <s.py >out 2>err
RC=$?
check "exit 0 (got $RC)" [ "$RC" -eq 0 ]
check "the fixed source on stdout" grep -qx 'r.hset("h", mapping={"a": 1})' out
check "the file on disk is untouched" grep -q 'hmset' s.py

SECTION="no rewrite the pinned redis-py cannot run"
mkdir legacy
printf 'redis==2.10.6\n' >legacy/requirements.txt
printf 'import redis\nr = redis.Redis(socket_timeout=5, socket_connect_timeout=5)\nr.hmset("h", {"a": 1})\n' >legacy/t.py
cp legacy/t.py legacy/t.orig
"$BIN" check --fix legacy/t.py >out 2>err
check "HMSET stays: hset(mapping=) needs redis-py 3.5" same legacy/t.py legacy/t.orig
check "the finding says why" grep -q 'Once on redis-py 3.5 or later' out
printf 'redis==3.5.3\n' >legacy/requirements.txt
"$BIN" check --fix legacy/t.py >out 2>err
check "with redis-py 3.5 it is rewritten" grep -q 'hset("h", mapping=' legacy/t.py

SECTION="RL402 never shortens the timeout of a client that serves a subscriber"
mkdir -p sse && cd sse || exit 2
printf 'redis==5.0.8\n' >requirements.txt
printf 'import redis\n\nr = redis.Redis(host="chat")\n\n\ndef event_stream():\n    p = r.pubsub()\n    p.subscribe("messages")\n    for message in p.listen():\n        yield message\n' >stream.py
rl check --unsafe-fixes --diff stream.py
check "no edit: pubsub().listen() waits longer than any short timeout (got: $(cat out))" \
  eval '! grep -q socket_timeout out'
rl check --format json stream.py
check "a client that only subscribes is not reported: listen() waits by design" \
  eval '! grep -q RL402 out'
printf 'import redis\n\nr = redis.Redis(host="chat")\n\n\ndef event_stream():\n    p = r.pubsub()\n    p.subscribe("messages")\n    for message in p.listen():\n        yield message\n\n\ndef last(room):\n    return r.get(f"last:{room}")\n' >both.py
rl check --unsafe-fixes --diff both.py
check "a client that also sends short commands: no edit" eval '! grep -q socket_timeout out'
rl check --format json both.py
check "... but the finding stays, with advice" grep -q 'subscribes through pubsub' out
cd .. || exit 2

SECTION="RL402 never shortens the timeout of a client that reads a stream with BLOCK"
mkdir -p xblock && cd xblock || exit 2
printf 'redis==4.5.4\n' >requirements.txt
printf 'import redis\n\n\ndef consume():\n    r = redis.Redis(host="streams")\n    wait_ms = 5000\n    while True:\n        for _s, entries in r.xreadgroup("g", "c1", {"jobs": ">"}, None, wait_ms) or []:\n            for entry_id, _fields in entries:\n                r.xack("jobs", "g", entry_id)\n' >consumer.py
rl check --unsafe-fixes --diff consumer.py
check "no edit: XREADGROUP blocks 5 s, a positional BLOCK (got: $(cat out))" \
  eval '! grep -q socket_timeout out'
rl check --format json consumer.py
check "the finding stays, naming the blocking read" grep -q 'also sends XREADGROUP' out
cd .. || exit 2

SECTION="RL104 does not compress one write of a key the file also reads"
mkdir -p blob && cd blob || exit 2
cp "$SRC/tests/fixtures/uncompressed-blob/shared_key_writers.py" opts.py
rl check --select RL104 --unsafe-fixes --diff opts.py
check "no edit: the reader at line 18 would break (got: $(cat out))" eval '! grep -q zlib.compress out'
rl check --select RL104 --format json opts.py
check "the fix names the other use of the key" grep -q 'in this file (line 18)' out
cd .. || exit 2

SECTION="a UTF-16 requirements.txt still pins redis-py"
mkdir -p u16 && cd u16 || exit 2
printf 'redis==3.5.3\nflask==2.0\n' | iconv -f UTF-8 -t UTF-16 >requirements.txt
printf 'import redis\nr = redis.Redis(host="h")\n' >a.py
rl check a.py
check "the pin is read from the UTF-16 file: $(head -c 300 out)" grep -q 'requirements.txt: redis==3.5.3' out
cd .. || exit 2

SECTION="a symbolic link chain: the file at its end is fixed, every link kept"
mkdir -p chain && cd chain || exit 2
printf 'redis>=8\n' >requirements.txt
printf 'import redis\nr = redis.Redis()\n\n\ndef f(k):\n    r.set(k, 1)\n    r.expire(k, 10)\n' >c.py
ln -s c.py b.py
ln -s b.py a.py
rl check --fix a.py
check "exit 0 (got $RC)" [ "$RC" -eq 0 ]
check "a.py is still a link" [ -L a.py ]
check "b.py is still a link" [ -L b.py ]
check "c.py, the file at the end, is fixed" grep -q 'r.set(k, 1, ex=10)' c.py
cd .. || exit 2

SECTION="two --fix runs on one tree at once never lose or mix content"
mkdir -p par && cd par || exit 2
printf 'redis>=8\n' >requirements.txt
for i in $(seq 1 40); do
  printf 'import redis\nr = redis.Redis()\n\n\ndef f%d(k):\n    r.set(k, %d)\n    r.expire(k, 10)\n    r.hmset("h%d", {"a": 1})\n' "$i" "$i" "$i" >"m$i.py"
  printf 'import redis\nr = redis.Redis()\n\n\ndef f%d(k):\n    r.set(k, %d, ex=10)\n    r.hset("h%d", mapping={"a": 1})\n' "$i" "$i" "$i" >"m$i.want"
done
for round in 1 2 3; do
  for i in $(seq 1 40); do cp "m$i.want" "m$i.py"; sed -i 's/, ex=10)/)\n    r.expire(k, 10)/; s/hset(\(.*\), mapping=/hmset(\1, /; s/hmset(\(.*\), {/hmset(\1, {/' "m$i.py"; done
  "$BIN" check --no-cache -j 2 --fix . >/dev/null 2>err1 &
  p1=$!
  "$BIN" check --no-cache -j 2 --fix . >/dev/null 2>err2 &
  p2=$!
  wait $p1
  wait $p2
  bad=0
  for i in $(seq 1 40); do cmp -s "m$i.py" "m$i.want" || bad=$((bad + 1)); done
  check "round $round: every file is exactly the fixed text ($bad differ)" [ "$bad" -eq 0 ]
  check "round $round: no temporary file is left" [ -z "$(ls -A | grep redislint)" ]
done
cd .. || exit 2

SECTION="fix texts for an asyncio client say async with and await"
mkdir -p asyncfix && cd asyncfix || exit 2
cat >a.py <<'PY'
import redis.asyncio as aioredis

r = aioredis.Redis(host="cache.internal", socket_timeout=5)


async def ranks(uid, modes):
    out = {}
    for mode in modes:
        out[mode] = await r.zrevrank(f"lb:{mode}", uid)
    return out


async def profile(uid, data):
    await r.hset(f"profile:{uid}", mapping=data)
    await r.expire(f"profile:{uid}", 3600)
PY
"$BIN" check --no-cache --exit-zero --format json a.py >out.json 2>/dev/null
fixtext() { python3 -c 'import json,sys; print("\n".join((f.get("fix") or {}).get("title", "") for f in json.load(open("out.json"))["findings"] if f["code"]==sys.argv[1]))' "$1"; }
check "RL302: async with ... await pipe.execute() ($(fixtext RL302))" \
  eval 'fixtext RL302 | grep -q "async with r.pipeline(transaction=False) as pipe:.*await pipe.execute()"'
check "RL202: await pipe.execute() ($(fixtext RL202))" \
  eval 'fixtext RL202 | grep -q "async with r.pipeline() as pipe:.*await pipe.execute()"'
cat >b.py <<'PY'
import aioredis
import redis

sync = redis.Redis(host="cache.internal", socket_timeout=5)
old = aioredis.Redis(host="cache.internal")


async def keys():
    return [k for k in sync.scan_iter(match="x:*")]
PY
"$BIN" check --no-cache --exit-zero --format json b.py >out.json 2>/dev/null
check "RL405 on scan_iter: async for, not await ($(fixtext RL405))" \
  eval 'fixtext RL405 | grep -q "async for x in sync.scan_iter"'
check "RL402 on aioredis: no redis-py pin as the reason" \
  grep -q 'aioredis has no default timeout' out.json
cd .. || exit 2

finish test_fix.sh
