#!/usr/bin/env bash
# --write-baseline / --baseline: recorded findings stay quiet across unrelated
# edits, new ones are reported, fixed entries are counted, bad files are
# clear errors. Usage: test_baseline.sh path/to/redislint
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/cli/lib.sh" "$1"
rl() { timeout 60 "$BIN" "$@" >out 2>err; RC=$?; }

mkdir app
printf 'import redis\nr = redis.Redis()\n\ndef purge():\n    r.keys("a:*")\n    r.keys("a:*")\n' >app/jobs.py
rl check --write-baseline base.json app
check "writing the baseline exits 0 (got $RC)" [ "$RC" -eq 0 ]
check "it says how many" grep -q 'recorded 2 findings in base.json' err
check "the file is a redislint baseline" python3 -c '
import json,sys; d=json.load(open("base.json")); sys.exit(0 if d["version"]==1 and len(d["findings"])==2 else 1)'
rl check --baseline base.json app
check "nothing new: exit 0 (got $RC)" [ "$RC" -eq 0 ]

# unrelated edits above move the lines: still known
printf 'import redis\n\n# a comment\nIMPORTANT = 1\nr = redis.Redis()\n\ndef purge():\n    r.keys("a:*")\n    r.keys( "a:*" )\n' >app/jobs.py
rl check --baseline base.json app
check "moved and reformatted findings are still known (got $RC)" [ "$RC" -eq 0 ]

# a third identical call is new (occurrence index)
printf 'import redis\nr = redis.Redis()\n\ndef purge():\n    r.keys("a:*")\n    r.keys("a:*")\n    r.keys("a:*")\n' >app/jobs.py
rl check -q --baseline base.json app
check "a new identical finding is reported (got $RC)" [ "$RC" -eq 1 ]
check "only that one" [ "$(wc -l <out)" -eq 1 ]

# one fixed: counted
printf 'import redis\nr = redis.Redis()\n\ndef purge():\n    r.keys("a:*")\n' >app/jobs.py
rl check --baseline base.json app
check "exit 0 with a fixed entry (got $RC)" [ "$RC" -eq 0 ]
check "the fixed entry is counted" grep -q '1 baseline entry is no longer found' err

printf 'not json' >bad.json
rl check --baseline bad.json app
check "a bad baseline: exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "with a message naming it" grep -q 'bad.json: not a redislint baseline' err
rl check --baseline missing.json app
check "a missing baseline: exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "named" grep -q 'missing.json: cannot read the baseline' err
finish test_baseline.sh
