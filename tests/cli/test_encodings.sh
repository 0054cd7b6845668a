#!/usr/bin/env bash
# test_encodings.sh - source files that are not UTF-8 (PEP 263), end to end:
# a declared encoding is decoded with iconv and linted, with columns in
# characters; --fix writes back in the file's own encoding, --diff shows
# UTF-8; a file found by walking a directory that cannot be decoded is a
# warning (stderr, JSON errors, SARIF notification) and the exit status is
# the findings'; one named on the command line is an error (exit 2).
# Usage: test_encodings.sh path/to/redislint
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/cli/lib.sh" "$1"
rl() { "$BIN" "$@" >out 2>err; RC=$?; }
rl_in() {
  local input=$1
  shift
  "$BIN" "$@" <"$input" >out 2>err
  RC=$?
}
same() { cmp -s "$1" "$2"; }
# lines of stderr that name a file
err_count() { grep -c -- "$1" err; }
# a Python expression over the JSON document in out (d)
py_true() { python3 -c "import json,sys; d=json.load(open('out')); sys.exit(0 if ($1) else 1)"; }
show_err() { tr '\n' '|' <err | head -c 400; }
U_E_ACUTE=$(printf '\303\251')                                    # é in UTF-8
U_PRIVET=$(printf '\320\237\321\200\320\270\320\262\320\265\321\202') # Привет in UTF-8

SECTION="a tree of files in latin-1, koi8-r and euc-jp"
mkdir tree
printf '# -*- coding: latin-1 -*-\nimport redis\nr = redis.Redis()\ngreeting = "caf\351 cr\350me"; r.keys("*")\n' >tree/latin.py
printf '#!/usr/bin/env python\n# vim: set fileencoding=koi8-r :\nimport redis\nr = redis.Redis()\nr.hmset("\360\322\311\327\305\324", {"a": 1})\n' >tree/cyr.py
printf '# -*- coding: euc-jp -*-\nimport redis\nr = redis.Redis()\nx = "\244\242\244\244"; r.keys("*")\n' >tree/jp.py
rl check -q tree
check "exit 1 on the findings (got $RC)" [ "$RC" -eq 1 ]
check "nothing on stderr: $(show_err)" [ ! -s err ]
# columns count characters: r is the 26th of its line in latin-1 (one byte
# each, two bytes each in UTF-8) and the 11th in euc-jp (あい: 4 bytes in
# the file, 6 in UTF-8)
check "latin-1 linted, column in characters" grep -q '^tree/latin.py:4:26: RL301 ' out
check "koi8-r linted (declared on line 2)" grep -q '^tree/cyr.py:5:1: RL310 ' out
check "euc-jp linted, column in characters" grep -q '^tree/jp.py:4:11: RL301 ' out
rl check tree
check "the code frame shows the koi8-r line in UTF-8" grep -q "r.hmset(\"$U_PRIVET\"" out
rl check --format json tree
check "JSON: three findings, no errors" py_true 'len(d["findings"]) == 3 and d["errors"] == []'
check "JSON: end column in characters" \
  py_true '[(f["start"]["column"], f["end"]["column"]) for f in d["findings"] if f["path"] == "tree/latin.py"] == [(26, 37)]'
rl check --format sarif tree
check "SARIF: columns in UTF-16 units of the decoded text" \
  py_true 'sorted(r["locations"][0]["physicalLocation"]["region"]["startColumn"] for r in d["runs"][0]["results"]) == [1, 11, 26]'
rl_in tree/latin.py check -q --stdin-filename s.py -
check "stdin: decoded by its declaration (got $RC: $(show_err))" grep -q '^s.py:4:26: RL301 ' out

SECTION="--fix writes the file's own encoding"
mkdir fix
printf '# -*- coding: latin-1 -*-\nimport redis\nr = redis.Redis()\nr.hmset("caf\351", {"cr\350me": 1})\n' >fix/l.py
printf '# -*- coding: latin-1 -*-\nimport redis\nr = redis.Redis()\nr.hset("caf\351", mapping={"cr\350me": 1})\n' >want.py
cp fix/l.py orig.py
rl check --diff fix/l.py
check "--diff: exit 1 (got $RC)" [ "$RC" -eq 1 ]
check "--diff: shown in UTF-8" grep -q "^+r.hset(\"caf$U_E_ACUTE\", mapping=" out
check "--diff: the file is untouched" same fix/l.py orig.py
rl check --fix fix/l.py
check "--fix: exit 0, all fixed (got $RC: $(show_err))" [ "$RC" -eq 0 ]
check "--fix: fixed, the non-ASCII bytes still latin-1: $(od -c fix/l.py | tail -3 | head -2 | tr -s ' ')" \
  same fix/l.py want.py
rl_in orig.py check --fix --stdin-filename fix/l.py -
check "stdin --fix: the fixed source on stdout, in latin-1" same out want.py
printf '# coding: koi8-r\nimport redis\nr = redis.Redis()\nr.hmset("\360", {"a": 1})\n' >fix/k.py
rl check --fix fix/k.py
check "koi8-r: fixed in koi8-r" grep -q "$(printf 'r.hset("\360", mapping=')" fix/k.py

SECTION="a walked file that cannot be decoded: a warning"
mkdir walk
printf 'x = "\377"\n' >walk/c.py
printf 'import redis\nr = redis.Redis()\nr.keys("*")\n' >walk/a.py
rl check -q walk
check "exit 1: decided by the findings (got $RC)" [ "$RC" -eq 1 ]
check "the other file is linted" grep -q '^walk/a.py:3:1: RL301 ' out
check "one stderr line naming the file and the problem: $(show_err)" \
  grep -qx 'redislint: warning: walk/c.py: invalid UTF-8 at line 1, column 6; .*' err
check "and nothing else on stderr: $(show_err)" [ "$(wc -l <err)" -eq 1 ]
rl check -q --exit-zero walk
check "--exit-zero: exit 0 (got $RC)" [ "$RC" -eq 0 ]
rl check -q --select RL101 walk
check "no findings: exit 0 (got $RC)" [ "$RC" -eq 0 ]
rl check --format json walk
check "JSON errors: the file, level warning" \
  py_true 'd["errors"] == [e for e in d["errors"] if e["path"] == "walk/c.py" and e["level"] == "warning" and "UTF-8" in e["message"]] and len(d["errors"]) == 1'
rl check --format sarif walk
cp out walk.sarif.json
check "SARIF: a warning notification in invocations[0] naming the file" py_true '
[(n["level"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
 for n in d["runs"][0]["invocations"][0]["toolExecutionNotifications"]] == [("warning", "walk/c.py")]
and "UTF-8" in d["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]'
check "SARIF: the execution still succeeded" py_true 'd["runs"][0]["invocations"][0]["executionSuccessful"] is True'
if command -v node >/dev/null 2>&1 && [ -d "$SRC/tests/sarif/node_modules" ]; then
  check "SARIF: valid SARIF 2.1.0" sh "$SRC/tests/sarif/selftest.sh" --no-selftest "$T/walk.sarif.json"
elif [ -n "${CI:-}" ]; then
  check "node and the SARIF validator are available under CI" false
fi
printf '# coding: cp1252\nx = "\201"\n' >walk/w.py
printf '# coding: klingon\nx = 1\n' >walk/k.py
rl check -q walk
check "bytes the declared encoding lacks, an unknown encoding: warnings, exit 1 (got $RC)" [ "$RC" -eq 1 ]
check "cp1252 named: $(show_err)" grep -q 'warning: walk/w.py: bytes that are not cp1252 .*line 2, column 6' err
check "klingon named: $(show_err)" grep -q 'warning: walk/k.py: declares encoding klingon, which iconv cannot convert' err

SECTION="a file named on the command line that cannot be decoded: exit 2"
rl check -q walk/c.py walk/a.py
check "exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "an error line: $(show_err)" grep -q '^redislint: error: walk/c.py: invalid UTF-8' err
check "the other file is still linted" grep -q '^walk/a.py:3:1: RL301 ' out
rl check -q walk walk/c.py
check "named and walked: named wins, exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "reported once: $(show_err)" [ "$(err_count walk/c.py)" -eq 1 ]
rl_in walk/c.py check -q --stdin-filename s.py -
check "stdin: exit 2 (got $RC)" [ "$RC" -eq 2 ]

SECTION="each problem is reported once"
mkdir proj
touch proj/pyproject.toml
printf 'x = "caf\351"\n' >proj/bad.py
printf 'import redis\nr = redis.Redis()\nr.hmset("h", {"a": 1})\n' >proj/a.py
cp proj/a.py a.orig
rl check -q proj
check "a walk of the project: one line: $(show_err)" [ "$(err_count bad.py)" -eq 1 ]
rl check -q proj/a.py
check "the rest of the project is read, never reported: $(show_err)" [ "$(err_count bad.py)" -eq 0 ]
check "exit 1 (got $RC)" [ "$RC" -eq 1 ]
rl check -q proj/bad.py
check "named in a project: exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "named in a project: one line: $(show_err)" [ "$(err_count bad.py)" -eq 1 ]
rl check -q --fix proj
check "--fix: one line: $(show_err)" [ "$(err_count bad.py)" -eq 1 ]
check "--fix: exit 0 once fixed (got $RC)" [ "$RC" -eq 0 ]
check "--fix: the good file is fixed" grep -q 'hset("h", mapping=' proj/a.py

finish test_encodings.sh
