#!/usr/bin/env bash
# tests/cli/test_project.sh BIN - partial runs see the whole project.
#
# A file named alone (pre-commit hook, editor buffer on stdin, one path on the
# command line) must get the findings the whole-project run reports for it:
# the rest of its project is read for the index, never reported.
EX=$(cd "$(dirname "$0")/../../examples" && pwd) || exit 2
source "$(dirname "$0")/lib.sh"

py() { python3 -c "$1" "${@:2}"; }
# "line code" of every finding of FILE in a JSON report on stdin, sorted
findings_of() { py 'import json,sys
d=json.load(sys.stdin)
print("\n".join(sorted("%d %s" % (f["start"]["line"], f["code"]) for f in d["findings"] if f["path"].endswith(sys.argv[1]))))' "$1"; }
count() { py 'import json,sys; print(len(json.load(sys.stdin)["findings"]))'; }

# ---- examples/: every file alone = its share of the whole run --------------
SECTION=examples
cp -r "$EX" ex
whole=$(cd ex && "$BIN" check --exit-zero --format json . 2>/dev/null)
total=$(printf '%s' "$whole" | count)
check "the whole run finds something (got $total)" test "$total" -gt 10
sum=0
for f in ex/shopapp/*.py; do
  rel=${f#ex/}
  want=$(printf '%s' "$whole" | findings_of "$rel")
  alone=$(cd ex && "$BIN" check --exit-zero --format json "$rel" 2>/dev/null | findings_of "$rel")
  check "$rel alone (from the root) = its share of the whole run" test "$alone" = "$want"
  inside=$(cd ex/shopapp && "$BIN" check --exit-zero --format json "$(basename "$f")" 2>/dev/null |
    findings_of "$(basename "$f")")
  check "$rel alone (from its directory) = its share of the whole run" test "$inside" = "$want"
  piped=$(cd ex && "$BIN" check --exit-zero --format json --stdin-filename "$rel" - <"$rel" 2>/dev/null |
    findings_of "$rel")
  check "$rel on stdin with --stdin-filename = its share of the whole run" test "$piped" = "$want"
  n=$(printf '%s\n' "$alone" | grep -c .)
  sum=$((sum + n))
done
check "the files alone add up to the whole run ($sum of $total)" test "$sum" -eq "$total"

# the report names only the named file
others=$(cd ex && "$BIN" check --exit-zero --format json shopapp/stock.py 2>/dev/null |
  py 'import json,sys; print(sorted({f["path"] for f in json.load(sys.stdin)["findings"]}))')
check "only the named file is reported (got $others)" test "$others" = "['shopapp/stock.py']"

# ---- a two-file project: the client comes from another module ---------------
SECTION=two-files
mkdir -p app/pkg
cat >app/pyproject.toml <<'EOF'
[project]
name = "app"
dependencies = ["redis>=8"]
EOF
cat >app/pkg/extensions.py <<'EOF'
import redis

store = redis.Redis(host="cache", socket_timeout=5, socket_connect_timeout=5)
EOF
cat >app/pkg/views.py <<'EOF'
from pkg.extensions import store


def profile(uid, fields):
    for name, value in fields.items():
        store.set(f"user:{uid}:{name}", value)
EOF
alone=$(cd app && "$BIN" calls pkg/views.py 2>/dev/null | cut -f2 | sort -u)
check "views.py alone: its client is known from extensions.py (got '$alone')" test "$alone" = client
isolated=$(cd app && "$BIN" calls --no-project pkg/views.py 2>/dev/null | cut -f2 | sort -u)
check "--no-project: only the named file is read (got '$isolated')" test -z "$isolated"
n=$(cd app/pkg && "$BIN" check --exit-zero --format json views.py 2>/dev/null | count)
m=$(cd app && "$BIN" check --exit-zero --format json . 2>/dev/null | findings_of pkg/views.py | grep -c .)
check "from its own directory: the same findings as the whole run ($n, $m)" test "$n" -eq "$m" -a "$m" -gt 0

# an editor buffer replaces the file on disk: the buffer's content is linted,
# the rest of the project still comes from disk
buffer=$(printf 'from pkg.extensions import store\n\ndef ok(uid):\n    return store.get(f"user:{uid}")\n')
got=$(cd app && printf '%s\n' "$buffer" | "$BIN" check --exit-zero --format json --stdin-filename pkg/views.py - 2>/dev/null | count)
check "the buffer on stdin, not the file on disk, is linted (got $got findings)" test "$got" -eq 0
got=$(cd app && printf '%s\n' "$buffer" | "$BIN" check --exit-zero --format json --stdin-filename pkg/views.py - 2>&1 >/dev/null)
check "no diagnostics for the project around the buffer: '$got'" test -z "$got"

# the rest of the project may hold anything: a file that cannot be read or
# decoded there is not the user's problem and does not change the exit status
printf 'x = "\xff\xfe"\n' >app/pkg/legacy.py
printf 'import redis\nr = redis.Redis(\n' >app/pkg/broken.py
(cd app && "$BIN" check --format json pkg/views.py >"$T/out.json" 2>"$T/err.txt")
rc=$?
check "a bad file elsewhere in the project: exit 1, not 2 (got $rc)" test "$rc" -eq 1
check "... and nothing about it on stderr: '$(cat "$T/err.txt")'" test ! -s "$T/err.txt"
rm app/pkg/legacy.py app/pkg/broken.py

# excluded files are not part of the project
got=$(cd app && "$BIN" calls --no-project pkg/views.py 2>/dev/null | wc -l)
got2=$(cd app && "$BIN" check --exit-zero --exclude extensions.py --format json pkg/views.py 2>/dev/null |
  py 'import json,sys; print(len([f for f in json.load(sys.stdin)["findings"] if f["code"] == "RL302"]))')
check "--exclude drops a file from the project too (calls $got, RL302 $got2)" test "$got" -eq 0 -a "$got2" -eq 0

# ---- no project root: only the named files -----------------------------------
SECTION=no-root
mkdir -p loose
cp app/pkg/extensions.py loose/
sed 's/from pkg.extensions/from extensions/' app/pkg/views.py >loose/views.py
got=$(cd loose && HOME="$T/loose" "$BIN" calls views.py 2>/dev/null | wc -l)
check "\$HOME is never a project root: nothing around views.py is read (got $got)" test "$got" -eq 0
touch loose/setup.cfg
got=$(cd loose && HOME="$T/loose" "$BIN" calls views.py 2>/dev/null | cut -f2 | sort -u)
check "setup.cfg marks a project root below \$HOME... unless it is \$HOME (got '$got')" test -z "$got"
got=$(cd loose && HOME=/nonexistent "$BIN" calls views.py 2>/dev/null | cut -f2 | sort -u)
check "setup.cfg marks a project root (got '$got')" test "$got" = client

# RL402's fix must not shorten the socket timeout of a client that another
# module uses for BLPOP: with the project, the fix is advice only
SECTION=blocking-elsewhere
mkdir -p q/svc
printf 'redis==5.0.8\n' >q/requirements.txt
touch q/svc/__init__.py q/setup.cfg
printf 'import redis\n\n\ndef get_client():\n    return redis.Redis(host="queue")\n' >q/svc/factory.py
printf 'from svc.factory import get_client\n\n\ndef consume():\n    while True:\n        item = get_client().blpop(["jobs"], timeout=120)\n        if item:\n            print(item)\n' >q/svc/consumer.py
d1=$(cd q && "$BIN" check --exit-zero --unsafe-fixes --diff svc/factory.py 2>/dev/null)
d2=$(cd q && "$BIN" check --exit-zero --unsafe-fixes --diff --no-project svc/factory.py 2>/dev/null)
check "a client factory of a project that sends BLPOP elsewhere: no edit (got '$d1')" test -z "$d1"
check "... alone, with nothing blocking in sight, the edit is offered" grep -q 'socket_timeout=5' <<<"$d2"
msg=$(cd q && "$BIN" check --exit-zero --format json svc/factory.py 2>/dev/null |
  py 'import json,sys; print(json.load(sys.stdin)["findings"][0]["fix"]["title"])')
check "the advice names the module: $msg" grep -q 'svc.consumer' <<<"$msg"

# project rules weigh the findings of files that are not named: RL203 reports
# a list once, at its first push in the project, also when another file is
# linted alone
SECTION=first-in-project
mkdir -p feed/app
touch feed/pyproject.toml
printf 'redis>=8\n' >feed/requirements.txt
printf 'import redis\n\nr = redis.Redis()\n\n\ndef post(uid, msg):\n    r.lpush(f"timeline:{uid}", msg)\n' >feed/app/a_post.py
printf 'import redis\n\nr = redis.Redis()\n\n\ndef repost(uid, msg):\n    r.lpush(f"timeline:{uid}", msg)\n' >feed/app/b_repost.py
whole=$(cd feed && "$BIN" check --exit-zero --format json . 2>/dev/null | findings_of app/b_repost.py)
alone=$(cd feed && "$BIN" check --exit-zero --format json app/b_repost.py 2>/dev/null | findings_of app/b_repost.py)
first=$(cd feed && "$BIN" check --exit-zero --format json . 2>/dev/null | findings_of app/a_post.py)
check "the whole run reports the list at its first push (got '$first')" grep -q RL203 <<<"$first"
check "b_repost.py alone: what the whole run reports for it ('$alone' = '$whole')" test "$alone" = "$whole"

# test code is told by the directories inside the project, not above it (a CI
# runner's checkout under /builds/test/...)
SECTION=test-dirs
mkdir -p runner/test/proj/app
touch runner/test/proj/pyproject.toml
printf 'redis==5.0.8\n' >runner/test/proj/requirements.txt
printf 'import redis\n\n\ndef view(k):\n    r = redis.Redis(host="h")\n    return r.get(k)\n' >runner/test/proj/app/views.py
got=$("$BIN" check --exit-zero --format json "$T/runner/test/proj/app/views.py" 2>/dev/null |
  py 'import json,sys; print(" ".join(sorted({f["code"] for f in json.load(sys.stdin)["findings"]})))')
check "a project under a directory named test/ is not test code (got '$got': RL402 joins RL401's finding)" test "$got" = "RL401"

# no marker at all, but packages: the directory holding the outermost package
SECTION=packages
mkdir -p bare/app/sub
touch bare/app/__init__.py bare/app/sub/__init__.py
cp app/pkg/extensions.py bare/app/ext.py
printf 'from app.ext import store\n\n\ndef f(uid):\n    return store.get(f"user:{uid}")\n' >bare/app/sub/views.py
got=$(cd bare/app/sub && HOME=/nonexistent "$BIN" calls views.py 2>/dev/null | cut -f2 | sort -u)
check "a package with no marker above: its project is the directory holding it (got '$got')" test "$got" = client

finish test_project
