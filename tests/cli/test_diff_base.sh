#!/usr/bin/env bash
# --diff-base REV: only the findings on lines a change added or changed since
# the merge-base of REV and HEAD, in every format and with the baseline.
# Usage: test_diff_base.sh path/to/redislint
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/cli/lib.sh" "$1"
rl() { "$BIN" "$@" >out 2>err; RC=$?; }
has() { grep -qE -- "$1" "$2"; }
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME=$T

mkdir repo && cd repo || exit 2
git init -q -b main . && echo 'redis>=8.0' >requirements.txt
mkdir app
# old code with findings: KEYS in one file, FLUSHALL in another
printf 'import redis\n\nr = redis.Redis()\n\n\ndef purge():\n    for k in r.keys("tmp:*"):\n        r.delete(k)\n' >app/old.py
printf 'import redis\n\nr = redis.Redis()\nr.flushall()\n' >app/admin.py
printf 'import redis\n\nr = redis.Redis()\n\n\ndef get(k):\n    return r.get(k)\n' >app/cache.py
git add -A && git commit -qm base
git checkout -qb feature
# the change: one new finding (KEYS) in an existing file, an untouched old one stays
printf 'import redis\n\nr = redis.Redis()\n\n\ndef get(k):\n    return r.get(k)\n\n\ndef every():\n    return r.keys("*")\n' >app/cache.py
git commit -qam "add every()"

rl check -q .
check "without --diff-base: old and new findings ($RC)" has 'app/old.py:7:.*RL301' out
check "... FLUSHALL too" has 'app/admin.py:4:.*RL305' out
check "... and the new one" has 'app/cache.py:11:.*RL301' out
rl check -q --diff-base main .
check "exit 1 on the new finding (got $RC)" [ "$RC" -eq 1 ]
check "only the new finding: $(tr '\n' '|' <out)" [ "$(wc -l <out)" -eq 1 ]
check "it is the line added" has '^app/cache.py:11:12: RL301' out
check "stderr says how many were left out: $(cat err)" has '--diff-base: [0-9]+ findings on lines unchanged since [0-9a-f]{7}' err
for fmt in json sarif github gitlab rdjson; do
  rl check --format "$fmt" --diff-base main .
  check "$fmt: the new finding only (exit $RC)" eval 'grep -q "cache.py" out && ! grep -q "old.py" out && ! grep -q "admin.py" out'
done
rl check --format junit --diff-base main .
check "junit: one failure, in cache.py (exit $RC)" \
  python3 -c 'import sys, xml.etree.ElementTree as E; f=[c.get("classname") for c in E.parse("out").iter("testcase") if c.find("failure") is not None]; sys.exit(0 if f == ["app/cache.py"] else 1)'

rl check --format text --diff-base main .
check "text: the summary counts one finding" has '^Found 1 finding ' out

# uncommitted edits and untracked files count too
printf 'import redis\nr = redis.Redis()\nr.flushdb()\n' >app/new.py
printf '\n\ndef wipe():\n    r.flushall()\n' >>app/old.py
rl check -q --diff-base main .
check "an untracked file's findings ($(tr '\n' '|' <out))" has '^app/new.py:3:1: RL305' out
check "an unstaged edit's finding" has '^app/old.py:12:5: RL305' out
check "the old finding of that file stays out" eval '! grep -q "^app/old.py:7:" out'
git checkout -q app/old.py && rm app/new.py

# a finding whose group spans old and new lines is kept when a new line is in it
printf 'import redis\n\nr = redis.Redis()\n\n\ndef save(u):\n    r.set(f"user:{u.id}:name", u.name)\n    r.set(f"user:{u.id}:email", u.email)\n' >app/profile.py
git add app/profile.py && git commit -qm profile
printf '    r.set(f"user:{u.id}:age", u.age)\n' >>app/profile.py
rl check -q --diff-base HEAD app/profile.py
check "a group finding with a new member: kept ($(tr '\n' '|' <out))" has '^app/profile.py:7:.*RL101' out
git checkout -q app/profile.py

# the baseline and --diff-base together
rl check --write-baseline base.json .
printf '\n\ndef more():\n    return r.keys("x*")\n' >>app/cache.py
rl check -q --baseline base.json --diff-base main .
check "with a baseline: only what neither records nor predates ($(tr '\n' '|' <out))" \
  eval '[ "$(wc -l <out)" -eq 1 ] && grep -q "^app/cache.py:15:" out'
git checkout -q app/cache.py

# a file moved and edited counts by its edits
git mv app/admin.py app/ops.py && printf 'r.keys("y*")\n' >>app/ops.py
rl check -q --diff-base main .
check "a renamed file: only its new line ($(tr '\n' '|' <out))" \
  eval 'grep -q "^app/ops.py:5:" out && ! grep -q "^app/ops.py:4:" out'
git reset -q --hard

# stdin: the buffer's lines against the file's base
printf 'import redis\n\nr = redis.Redis()\nr.flushall()\nr.keys("z*")\n' | "$BIN" check -q --diff-base main --stdin-filename app/admin.py - >out 2>err
check "stdin: the added line of the buffer only ($(tr '\n' '|' <out))" \
  eval 'grep -q "^app/admin.py:5:" out && ! grep -q "^app/admin.py:4:" out'

# errors
rl check --diff-base no-such-branch .
check "an unknown revision: exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "named: $(cat err)" has "unknown revision 'no-such-branch'" err
rl check --diff-base main --fix .
check "with --fix: a usage error (got $RC)" [ "$RC" -eq 2 ]
cd "$T" && mkdir plain && cd plain && printf 'import redis\nredis.Redis().keys("*")\n' >a.py
rl check --diff-base main a.py
check "outside a repository: exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "said so: $(cat err)" has 'not in a git repository' err
finish test_diff_base.sh
