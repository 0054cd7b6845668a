#!/usr/bin/env bash
# test_cli.sh - redislint's command line, end to end, on bad and unusual input.
#
# Usage: test_cli.sh PATH/TO/redislint
#
# Works in a temporary directory (removed on exit). Prints one line per failed
# check ("FAIL: ..."), a summary, and exits 1 if any check failed.
# RL_CLI_TIMEOUT (seconds, default 120) bounds every single run of the tool.
set -u

if [ $# -ne 1 ]; then
  echo "usage: $0 PATH/TO/redislint" >&2
  exit 2
fi
BIN=$1
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
if [ ! -x "$BIN" ]; then
  echo "test_cli.sh: not an executable: $BIN" >&2
  exit 2
fi
TIMEOUT=${RL_CLI_TIMEOUT:-120}
PY=$(command -v python3 || true)
if [ -z "$PY" ]; then
  echo "test_cli.sh: python3 is needed to read JSON and generate inputs" >&2
  exit 2
fi

T=$(mktemp -d)
cleanup() {
  chmod -R u+rwx "$T" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
cd "$T" || exit 2
# The scratch files are code for redis-py 8 (5 s socket timeouts by default):
# missing-socket-timeout stays out of checks about other things. Sections
# about it pass --redis-py-version or pin their own.
echo 'redis>=8.0' >requirements.txt
export LC_ALL=C.UTF-8 2>/dev/null || true
# The inputs below run on redis-py 8 (5 s socket timeouts by default), so
# RL402 missing-socket-timeout stays out of checks about other things; the
# RL402 section pins its own version.
printf 'redis>=8.0\n' >requirements.txt
unset NO_COLOR

NCHECKS=0
NFAILS=0
CURRENT=""

fail() {
  NFAILS=$((NFAILS + 1))
  echo "FAIL: [$CURRENT] $*"
}

section() { CURRENT=$1; }

# check COND_CMD... -- DESCRIPTION: counts a check; fails with DESCRIPTION.
check() {
  local desc=$1
  shift
  NCHECKS=$((NCHECKS + 1))
  if ! "$@"; then fail "$desc"; fi
}

# rl ARGS...: runs the tool; stdout in $T/out, stderr in $T/err, exit code in RC.
rl() {
  timeout "$TIMEOUT" "$BIN" "$@" >"$T/out" 2>"$T/err"
  RC=$?
  if [ $RC -eq 124 ]; then fail "timed out after ${TIMEOUT}s: redislint $*"; fi
  if [ $RC -ge 125 ] && [ $RC -ne 124 ]; then
    fail "crashed or killed (exit $RC): redislint $*"
  fi
}

# rl_in INPUTFILE ARGS...: like rl, with stdin from INPUTFILE.
rl_in() {
  local input=$1
  shift
  timeout "$TIMEOUT" "$BIN" "$@" <"$input" >"$T/out" 2>"$T/err"
  RC=$?
  if [ $RC -eq 124 ]; then fail "timed out after ${TIMEOUT}s: redislint $*"; fi
  if [ $RC -ge 125 ] && [ $RC -ne 124 ]; then
    fail "crashed or killed (exit $RC): redislint $*"
  fi
}

rc_is() { [ "$RC" -eq "$1" ]; }
nlines() { awk 'END { print NR }' "$1"; }
err_lines_are() { [ "$(nlines "$T/err")" -eq "$1" ]; }
err_has() { grep -qE -- "$1" "$T/err"; }
out_has() { grep -qE -- "$1" "$T/out"; }
out_empty() { [ ! -s "$T/out" ]; }
err_empty() { [ ! -s "$T/err" ]; }
show_err() { head -c 600 "$T/err" | tr '\n' '|'; }
no_cr() { ! grep -q "$(printf '\r')" "$T/out"; }

# Every stderr line that names a problem is one line of the form
# "redislint: LEVEL: PATH[:LINE]: message"; the line about PATH must exist,
# exactly once, and match PATTERN.
err_one_line_for() {
  local path=$1 pattern=$2
  local n
  n=$(grep -cF -- "$path" "$T/err")
  [ "$n" -eq 1 ] && grep -F -- "$path" "$T/err" | grep -qE -- "^redislint: (error|warning): $pattern"
}

# py EXPR [FILE]: evaluates a Python expression with d = the JSON in FILE
# (default $T/out) and prints it.
py() {
  "$PY" -c 'import json, sys
d = json.load(open(sys.argv[2], encoding="utf-8"))
print(eval(sys.argv[1]))' "$1" "${2:-$T/out}" 2>/dev/null
}

# py_is EXPR WANT [FILE]
py_is() {
  local got
  got=$(py "$1" "${3:-$T/out}")
  if [ "$got" != "$2" ]; then
    echo "      $1 = '$got', expected '$2'"
    return 1
  fi
}

# ---- inputs ----------------------------------------------------------------

# One RL102 finding: line 4, columns 22-31 (the value "x" * 100).
write_finding() {
  printf 'import redis\nr = redis.Redis()\ndef f(uid, rows):\n    r.hset(uid, "f", "x" * 100)\n' >"$1"
}
write_finding good.py

# Byte offsets in JSON are offsets in the file (BOM included): the bytes of
# the file at [start.byte, end.byte) must be the value expression.
span_bytes_are() {
  local file=$1 want=$2
  "$PY" - "$T/out" "$file" "$want" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
raw = open(sys.argv[2], "rb").read()
f = d["findings"][0]
got = raw[f["start"]["byte"]:f["end"]["byte"]].decode("utf-8", "replace")
if got != sys.argv[3]:
    print("      bytes [%d, %d) of %s are %r, expected %r" % (
        f["start"]["byte"], f["end"]["byte"], sys.argv[2], got, sys.argv[3]))
    sys.exit(1)
EOF
}

# The text frame's caret starts under the first character of the span, as a
# terminal displays it (tabs expanded to TAB_WIDTH 4, wide characters take two
# columns). Reads the frame of the first finding in $T/out.
caret_aligned() {
  local needle=$1
  "$PY" - "$T/out" "$needle" <<'EOF'
import sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
needle = sys.argv[2]
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
for i in range(len(lines) - 1):
    if needle in lines[i] and " | " in lines[i] and "^" in lines[i + 1]:
        code, caret = lines[i], lines[i + 1]
        break
else:
    print("      no code frame with %r" % needle)
    sys.exit(1)
want = width(code[:code.index(needle)])
got = caret.index("^")
if want != got:
    print("      caret at display column %d, the span starts at %d:\n      %s\n      %s"
          % (got, want, code, caret))
    sys.exit(1)
EOF
}

# ---- unreadable input ---------------------------------------------------------

section "binary file"
printf 'import redis\n\000\000\001\002\003binary\n' >x.py
rl check x.py good.py
check "exit 2 (got $RC)" rc_is 2
check "one stderr line naming x.py as binary: $(show_err)" err_one_line_for x.py 'x\.py: binary file'
check "stderr has nothing else: $(show_err)" err_lines_are 1
check "good.py still linted" out_has '^good\.py:4:22: RL102 '
rl check --format sarif x.py good.py
check "SARIF: executionSuccessful false" \
  py_is 'd["runs"][0]["invocations"][0]["executionSuccessful"]' False
check "SARIF: an error notification for x.py" \
  py_is '[(n["level"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for n in d["runs"][0]["invocations"][0]["toolExecutionNotifications"]]' "[('error', 'x.py')]"
rl check --format json x.py good.py
check "JSON: x.py in errors" py_is '[(e["path"], e["level"]) for e in d["errors"]]' "[('x.py', 'error')]"

section "file over the size limit"
truncate -s 65M huge.py 2>/dev/null || dd if=/dev/zero of=huge.py bs=1M count=0 seek=65 2>/dev/null
rl check huge.py good.py
check "exit 2 (got $RC)" rc_is 2
check "one stderr line naming huge.py and the limit: $(show_err)" err_one_line_for huge.py 'huge\.py: .*(MB|limit)'
check "good.py still linted" out_has '^good\.py:4:22: RL102 '

section "invalid UTF-8"
printf 'import redis\nx = "caf\351"\n' >latin1.py
rl check latin1.py good.py
check "exit 2 (got $RC)" rc_is 2
check "one stderr line naming latin1.py and UTF-8: $(show_err)" \
  err_one_line_for latin1.py 'latin1\.py: .*UTF-8'
check "message says line 2 and UTF-8: $(show_err)" err_has 'latin1\.py: .*line 2.*UTF-8|latin1\.py: .*UTF-8.*line 2'
check "stderr has nothing else: $(show_err)" err_lines_are 1
check "good.py still linted" out_has '^good\.py:4:22: RL102 '

section "NUL byte in a valid file"
printf 'import redis\nr = redis.Redis()\nx = 1\000\nr.get("k")\n' >nul.py
rl check nul.py
check "exit 2 (got $RC)" rc_is 2
check "one stderr line naming nul.py, NUL, line 3: $(show_err)" err_one_line_for nul.py 'nul\.py: .*NUL.*line 3'
check "stderr has nothing else: $(show_err)" err_lines_are 1

section "missing path"
rl check good.py nope.py nodir/
check "exit 2 (got $RC)" rc_is 2
check "one line naming nope.py: $(show_err)" err_one_line_for nope.py 'nope\.py: .*(no such|not found)'
check "one line naming nodir: $(show_err)" err_one_line_for nodir 'nodir/?: .*(no such|not found)'
check "stderr has nothing else: $(show_err)" err_lines_are 2
check "good.py still linted" out_has '^good\.py:4:22: RL102 '
ln -s loop.py loop.py
ln -s nowhere.py dangling.py
rl check loop.py dangling.py good.py
check "symlink loop and dangling symlink: exit 2 (got $RC)" rc_is 2
check "one line naming loop.py: $(show_err)" err_one_line_for loop.py 'loop\.py: '
check "one line naming dangling.py: $(show_err)" err_one_line_for dangling.py 'dangling\.py: '
check "good.py still linted" out_has '^good\.py:4:22: RL102 '

section "FIFOs, devices and directories where a file is expected"
# none of these may block: a FIFO with no writer, /dev/zero as redis.conf
mkfifo fifo.py fifo.conf
mkdir conf.d
rl check fifo.py good.py
check "a FIFO nobody writes to: exit 2 (got $RC)" rc_is 2
check "one line naming fifo.py: $(show_err)" err_one_line_for fifo.py 'fifo\.py: is a FIFO'
check "good.py still linted" out_has '^good\.py:4:22: RL102 '
rl check <(cat good.py)
check "a pipe with a writer (process substitution) is read: $(show_err)" out_has ':4:22: RL102 '
rl check /dev/null good.py
check "a character device: exit 2 (got $RC)" rc_is 2
check "one line naming /dev/null: $(show_err)" err_one_line_for /dev/null '/dev/null: is a character device'
for conf in fifo.conf /dev/zero conf.d; do
  rl check --redis-conf "$conf" good.py
  check "--redis-conf $conf: exit 2 (got $RC)" rc_is 2
  check "--redis-conf $conf: one line saying what it is: $(show_err)" \
    err_one_line_for "$conf" "$conf: cannot read the redis.conf: is a (FIFO|character device|directory)"
done
rl check --config fifo.conf good.py
check "--config FIFO: says FIFO, not directory: $(show_err)" err_has 'fifo\.conf: cannot read the configuration: is a FIFO'
rl check --baseline fifo.conf good.py
check "--baseline FIFO: exit 2 (got $RC)" rc_is 2
check "--baseline FIFO: says FIFO: $(show_err)" err_has 'fifo\.conf: cannot read the baseline: is a FIFO'
rm -f fifo.py fifo.conf
rmdir conf.d

section "directory without permission"
mkdir locked
write_finding locked/in.py
chmod 000 locked
if ls locked >/dev/null 2>&1; then
  echo "SKIP: [$CURRENT] permissions are not enforced for this user (root?)"
else
  rl check locked good.py
  check "exit 2 (got $RC)" rc_is 2
  check "one stderr line naming locked: $(show_err)" err_one_line_for locked 'locked/?: .*(ermission|cannot)'
  check "good.py still linted" out_has '^good\.py:4:22: RL102 '
fi
chmod 755 locked

# ---- positions ------------------------------------------------------------------

section "CRLF line endings"
printf 'import redis\r\nr = redis.Redis()\r\ndef f(uid, rows):\r\n    r.hset(uid, "f", "x" * 100)\r\n' >crlf.py
rl check --format json crlf.py
check "exit 1 (got $RC)" rc_is 1
check "one finding" py_is 'len(d["findings"])' 1
check "start line 4" py_is 'd["findings"][0]["start"]["line"]' 4
check "start column 22" py_is 'd["findings"][0]["start"]["column"]' 22
check "end line 4, column 31" py_is '(d["findings"][0]["end"]["line"], d["findings"][0]["end"]["column"])' '(4, 31)'
check "byte offsets" span_bytes_are crlf.py '"x" * 100'
rl check crlf.py
check "text output carries no carriage return" no_cr
check "text caret under the value" caret_aligned '"x" * 100'

section "UTF-8 BOM"
printf '\357\273\277import redis\nr = redis.Redis()\ndef f(uid, rows):\n    r.hset(uid, "f", "x" * 100)\n' >bom.py
rl check --format json bom.py
check "exit 1 (got $RC)" rc_is 1
check "line 4 column 22" py_is '(d["findings"][0]["start"]["line"], d["findings"][0]["start"]["column"])' '(4, 22)'
check "byte offsets count the BOM (file offsets)" span_bytes_are bom.py '"x" * 100'
printf '\357\273\277import redis; r = redis.Redis(); r.hset("1", "f", "x" * 100)\n' >bom1.py
rl check --format json bom1.py
check "finding on line 1 of a BOM file: column 51 (the BOM is not a character)" \
  py_is '(d["findings"][0]["start"]["line"], d["findings"][0]["start"]["column"])' '(1, 51)'
check "byte offsets on line 1" span_bytes_are bom1.py '"x" * 100'
rl check --format sarif bom1.py
check "SARIF startColumn 51 on line 1" \
  py_is 'd["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"]' 51

section "tabs and non-ASCII before a finding"
# tab, é (2 bytes, 1 code point, 1 UTF-16 unit), 😀 (4 bytes, 1 code point, 2 UTF-16 units)
printf 'import redis\nr = redis.Redis()\ndef f(uid, rows):\n\tr.hset(uid, "\303\251\360\237\230\200", "x" * 100)\n' >uni.py
rl check --format json uni.py
check "exit 1 (got $RC)" rc_is 1
check "JSON start column 20 (code points)" py_is 'd["findings"][0]["start"]["column"]' 20
check "JSON end column 29 (code points)" py_is 'd["findings"][0]["end"]["column"]' 29
check "byte offsets" span_bytes_are uni.py '"x" * 100'
rl check --format sarif uni.py
check "SARIF columnKind utf16CodeUnits" py_is 'd["runs"][0]["columnKind"]' utf16CodeUnits
check "SARIF startColumn 21 (UTF-16 units)" \
  py_is 'd["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"]' 21
check "SARIF endColumn 30 (UTF-16 units)" \
  py_is 'd["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["endColumn"]' 30
rl check --format github uni.py
check "github col=20: $(head -c 200 "$T/out")" out_has 'line=4,col=20,endLine=4,endColumn=29'
rl check uni.py
check "text header column 20" out_has '^uni\.py:4:20: RL102 '
printf 'import redis\nr = redis.Redis()\ndef f(uid, rows):\n\tr.hset(uid, "caf\303\251", "x" * 100)\n' >tab.py
rl check tab.py
check "text caret under the value after a tab and é" caret_aligned '"x" * 100'
rl check uni.py
check "text caret under the value after a wide character (😀 is two columns wide)" \
  caret_aligned '"x" * 100'

# ---- files that parse badly or are unusual --------------------------------------

section "syntax error"
printf 'import redis\nr = redis.Redis()\ndef f(uid, rows):\n    r.hset(uid, "f", "x" * 100)\ndef broken(:\n    pass\n' >syn.py
rl check syn.py
check "exit 1, not 2 (got $RC)" rc_is 1
check "finding before the error reported" out_has '^syn\.py:4:22: RL102 '
check "one warning line naming syn.py and line 5: $(show_err)" \
  err_one_line_for syn.py 'syn\.py:5: .*syntax error'
check "stderr has nothing else: $(show_err)" err_lines_are 1
# Python 3.14 (PEP 758): `except A, B:` without parentheses, and except*
printf 'import redis\nr = redis.Redis()\ntry:\n    r.get("a")\nexcept ValueError, TypeError:\n    pass\ntry:\n    pass\nexcept* OSError:\n    pass\nr.keys("*")\n' >py314.py
rl check -q py314.py
check "except A, B: parses, no syntax warning: $(show_err)" err_empty
check "and the file is linted to its end" out_has '^py314\.py:11:1: RL301 '
# three names (PEP 758) are beyond the pinned grammar: a warning, as the README says
printf 'import redis\ntry:\n    pass\nexcept A, B, C:\n    pass\n' >py314b.py
rl check -q py314b.py
check "except A, B, C: one syntax warning naming line 4: $(show_err)" err_one_line_for py314b.py 'py314b\.py:4: .*syntax error'

section "standard input that cannot be read"
printf 'import redis\n' >ok.py
"$BIN" check - <&- >"$T/out" 2>"$T/err"
RC=$?
check "closed stdin: exit 2, not an empty file linted (got $RC)" rc_is 2
check "the message says stdin cannot be read: $(show_err)" err_has 'cannot read standard input'
rl_in "$T" check -
check "a directory as stdin: exit 2 (got $RC)" rc_is 2
rl check --select "" ok.py
check "--select \"\": a usage error, not every rule off (got $RC)" rc_is 2
check "it says the list is empty: $(show_err)" err_has 'empty rule list'

section "empty file"
: >empty.py
rl check empty.py
check "exit 0 (got $RC)" rc_is 0
check "nothing on stderr: $(show_err)" err_empty
rl check --format json empty.py
check "no findings in JSON" py_is 'len(d["findings"])' 0

section "10 MB file"
"$PY" - <<'EOF'
head = "import json\nimport redis\n\nr = redis.Redis()\n\n\n"
blk = ("def save_{i}(uid, rows, user):\n"
       "    key = f\"user:{{uid}}:{i}\"\n"
       "    r.hset(key, \"f\", \"x\" * 100)\n"
       "    r.set(f\"orders:{{uid}}\", json.dumps([o.to_dict() for o in rows]))\n"
       "    return r.get(key)\n\n\n")
out, n, i = [head], len(head), 0
while n < 10 * 1024 * 1024:
    s = blk.format(i=i)
    out.append(s)
    n += len(s)
    i += 1
open("big.py", "w").write("".join(out))
EOF
rl check -q big.py
check "exit 0 or 1 (got $RC)" eval '[ $RC -eq 0 ] || [ $RC -eq 1 ]'
check "findings reported" out_has '^big\.py:[0-9]+:[0-9]+: RL'

section "deep nesting"
"$PY" - <<'EOF'
n = 3000
open("deep.py", "w").write(
    "import redis\nr = redis.Redis()\nr.hset(\"1\", \"f\", \"x\" * 100)\n"
    + "a = " + "[" * n + "]" * n + "\n"
    + "b = " + "(" * n + "1" + ")" * n + "\n"
    + "c = " + "{" * n + "}" * n + "\n"
    + "r.set(" + "(" * n + "'k'" + ")" * n + ", " + "[" * n + "]" * n + ")\n"
    + "d = " + "f(" * n + ")" * n + "\n"
    + "e = " + "x." * n + "y\n")
EOF
rl check deep.py
check "exit 0 or 1, no crash (got $RC)" eval '[ $RC -eq 0 ] || [ $RC -eq 1 ]'
check "finding before the nesting reported" out_has '^deep\.py:3:18: RL102 '

# ---- flags ------------------------------------------------------------------------

section "bad flags"
# A usage error: exit 2, nothing on stdout, a first stderr line
# "redislint: <message naming the bad value>", optionally followed by the
# "Try 'redislint --help'." hint, and nothing else.
usage_error_ok() {
  local what=$1
  [ "$RC" -eq 2 ] || { echo "      exit $RC"; return 1; }
  out_empty || { echo "      stdout not empty"; return 1; }
  head -n 1 "$T/err" | grep -qE "^redislint: .*$what" || { echo "      $(show_err)"; return 1; }
  local n
  n=$(nlines "$T/err")
  [ "$n" -eq 1 ] || { [ "$n" -eq 2 ] && sed -n 2p "$T/err" | grep -q -- "--help"; } ||
    { echo "      $(show_err)"; return 1; }
}
rl check --format xml good.py
check "--format xml" usage_error_ok 'xml'
rl check -j 0 good.py
check "-j 0" usage_error_ok "'0'"
rl check -j many good.py
check "-j many" usage_error_ok 'many'
rl check --select RL999 good.py
check "--select RL999" usage_error_ok 'RL999'
rl check --ignore no-such-rule good.py
check "--ignore no-such-rule" usage_error_ok 'no-such-rule'
rl check --no-such-option good.py
check "unknown option" usage_error_ok 'no-such-option'
rl check --color sometimes good.py
check "--color sometimes" usage_error_ok 'sometimes'
rl check good.py -j
check "-j without a value" usage_error_ok "'-j'"
rl frobnicate
check "unknown command" usage_error_ok 'frobnicate'
rl check --redis-py-version abc good.py
check "--redis-py-version abc" usage_error_ok "--redis-py-version needs a version number.*'abc'"
rl check --redis-py-version '>=8' good.py
check "--redis-py-version '>=8' (a version, not a range)" usage_error_ok "'>=8'"

section "did you mean"
rl check --selct RL1 good.py
check "a mistyped flag names the nearest one" usage_error_ok "unknown option '--selct' \(did you mean '--select'\?\)"
rl check --fix-onyl good.py
check "--fix-onyl" usage_error_ok "did you mean '--fix-only'"
rl check --select RL3011 good.py
check "a mistyped code" usage_error_ok "unknown rule 'RL3011' \(did you mean 'RL301'\?\)"
rl check --ignore keys-comand good.py
check "a mistyped slug" usage_error_ok "did you mean 'keys-command'"
rl check --select RL9 good.py
check "no far-fetched hint for a code prefix that does not exist" usage_error_ok "unknown rule 'RL9' \(see"
rl chek good.py
check "a mistyped command" usage_error_ok "unknown command 'chek' \(did you mean 'check'\?\)"
rl calls --unresolvd .
check "calls: a mistyped flag is not a path" usage_error_ok "did you mean '--unresolved'"
rl rule rl3011
check "rule: a mistyped code" usage_error_ok "did you mean 'RL301'"
rl --hepl
check "a mistyped top-level flag" usage_error_ok "did you mean '--help'"
rl check --xyzzy good.py
check "no hint when nothing is near" usage_error_ok "unknown option '--xyzzy'\$"

section "--help on every subcommand"
for sub in check calls keys rules rule config install-hook server; do
  rl "$sub" --help
  check "$sub --help: exit 0 (got $RC)" rc_is 0
  check "$sub --help: its own usage: $(head -c 80 "$T/out")" out_has "^Usage: redislint $sub"
done

section "--extend-select"
printf 'import redis\nr = redis.Redis()\nr.keys("*")\n' >keys.py
rl check -q --select RL102 --extend-select RL301 keys.py good.py
check "adds to --select (exit $RC)" out_has 'RL301'
check "keeps the selection" out_has 'RL102'
rl check -q --extend-select unbounded-read,RL999 good.py
check "an unknown rule in it is a usage error" usage_error_ok 'RL999'

section "stdin"
rl_in good.py check --stdin-filename pkg/mod.py
check "--stdin-filename without '-' reads stdin: exit 1 (got $RC)" rc_is 1
check "and names the finding after it" out_has '^pkg/mod\.py:4:22: RL102 '
rl_in good.py check --stdin-filename pkg/mod.py -
check "exit 1 (got $RC)" rc_is 1
check "finding under the --stdin-filename name" out_has '^pkg/mod\.py:4:22: RL102 '
rl_in good.py check --format json --stdin-filename pkg/mod.py -
check "JSON path is the --stdin-filename name" py_is 'd["findings"][0]["path"]' pkg/mod.py
rl_in good.py check -
check "stdin without a name: exit 1 (got $RC)" rc_is 1
printf 'x = "\377"\n' >badstdin
rl_in badstdin check --stdin-filename s.py -
check "bad bytes on stdin: exit 2 (got $RC)" rc_is 2
check "message names the --stdin-filename name: $(show_err)" err_one_line_for s.py 's\.py: .*UTF-8'

section "--exit-zero"
rl check --exit-zero good.py
check "exit 0 (got $RC)" rc_is 0
check "finding still reported" out_has '^good\.py:4:22: RL102 '

section "--quiet"
rl check --quiet good.py
check "exit 1 (got $RC)" rc_is 1
check "exactly one line" eval '[ "$(nlines "$T/out")" -eq 1 ]'
check "the line is the finding" out_has '^good\.py:4:22: RL102 \[oversized-hash-value\] '
rl check -q empty.py
check "no findings: nothing on stdout" out_empty

section "--statistics"
rl check --statistics good.py crlf.py
check "exit 1 (got $RC)" rc_is 1
check "count per rule: $(head -c 300 "$T/out" | tr '\n' '|')" out_has '^ *2 +RL102 '

section "colour"
ESC=$(printf '\033')
rl check --color always good.py
check "--color always: ANSI escapes" out_has "$ESC\\["
rl check --color never good.py
check "--color never: no escapes" eval '! grep -q "$ESC" "$T/out"'
rl check good.py
check "not a TTY: no escapes" eval '! grep -q "$ESC" "$T/out"'
rl check --format json --color always good.py
check "--color always does not touch JSON" py_is 'len(d["findings"])' 1
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
  script -qec "'$BIN' check good.py" /dev/null >tty_out 2>&1
  check "TTY: colour by default" grep -q "$ESC\\[" tty_out
  NO_COLOR=1 script -qec "'$BIN' check good.py" /dev/null >tty_out 2>&1
  check "TTY with NO_COLOR=1: no escapes" eval '! grep -q "$ESC" tty_out'
  NO_COLOR='' script -qec "'$BIN' check good.py" /dev/null >tty_out 2>&1
  check "TTY with empty NO_COLOR: colour" grep -q "$ESC\\[" tty_out
else
  echo "SKIP: [$CURRENT] no usable 'script' to fake a TTY"
fi

section "-o FILE"
rl check --format json good.py
cp "$T/out" expected.json
rl check --format json -o report.json good.py
check "exit 1 (got $RC)" rc_is 1
check "nothing on stdout" out_empty
check "report written to the file, same as stdout" cmp -s report.json expected.json
rl check -o nodir/sub/report.txt good.py
check "unwritable -o: exit 2 (got $RC)" rc_is 2
check "message names the file: $(show_err)" err_has 'nodir/sub/report\.txt'
# a write that fails midway (the file size limit stands in for a full disk:
# writes fail with EFBIG) keeps the previous report and baseline whole
printf '{"previous": true}\n' >keep.json
cp keep.json keep-baseline.json
for i in 1 2 3 4 5 6 7 8; do write_finding "many$i.py"; done
fsize_limited() { (trap '' XFSZ; ulimit -f 1; "$BIN" "$@" >"$T/out" 2>"$T/err"); RC=$?; }
fsize_limited check --no-cache --format json -o keep.json many1.py many2.py many3.py many4.py many5.py many6.py many7.py many8.py
check "-o on a full disk: exit 2 (got $RC)" rc_is 2
check "-o on a full disk: says the previous file is unchanged: $(show_err)" err_has 'keep\.json: .*previous file is unchanged'
check "-o on a full disk: the previous report is whole" grep -qx '{"previous": true}' keep.json
fsize_limited check --no-cache --write-baseline keep-baseline.json many1.py many2.py many3.py many4.py many5.py many6.py many7.py many8.py
check "--write-baseline on a full disk: exit 2 (got $RC)" rc_is 2
check "--write-baseline on a full disk: the previous baseline is whole" grep -qx '{"previous": true}' keep-baseline.json
check "no temporary file left behind" test -z "$(ls -A | grep redislint- || true)"
rm -f many?.py keep.json keep-baseline.json
# -o keeps a symbolic link and writes its target; a new report gets the umask's mode
printf 'old\n' >real-report.json
ln -s real-report.json link-report.json
rl check --no-cache --format json -o link-report.json good.py
check "-o through a symlink: the link stays" test -L link-report.json
check "-o through a symlink: the target gets the report" grep -q '"findings"' real-report.json
rm -f link-report.json real-report.json
(umask 022; "$BIN" check --no-cache -o fresh-report.txt good.py >/dev/null 2>&1)
check "a new report is 0644 under umask 022 (got $(stat -c %a fresh-report.txt))" test "$(stat -c %a fresh-report.txt)" = 644
rm -f fresh-report.txt

# ---- subcommands -------------------------------------------------------------------

section "rules"
rl rules
check "exit 0 (got $RC)" rc_is 0
check "lists RL101 per-field-keys" out_has '^RL101 +per-field-keys '
check "each code once" eval '[ -z "$(grep -oE "^RL[0-9]{3}" "$T/out" | sort | uniq -d)" ]'
check "RL309 is listed as off by default" out_has '^RL309 +unbounded-read +info +display +off '
check "RL101 is listed as on by default, its fix sometimes unsafe" \
  out_has '^RL101 +per-field-keys +warning +sometimes unsafe +on '
check "RL204 always has its fix" out_has '^RL204 +stream-without-maxlen +warning +unsafe +on '

section "rule"
rl rule RL101
check "rule RL101: exit 0 (got $RC)" rc_is 0
check "rule RL101 shows its doc" out_has 'per-field-keys'
cp "$T/out" rule_code.txt
rl rule per-field-keys
check "rule per-field-keys: exit 0 (got $RC)" rc_is 0
check "same doc by code and by slug" cmp -s "$T/out" rule_code.txt
rl rule RL999
check "unknown rule: exit 2 (got $RC)" rc_is 2
check "names it: $(show_err)" err_has 'RL999'
rl rule
check "rule without an argument: exit 2 (got $RC)" rc_is 2

section "--version"
rl --version
check "exit 0 (got $RC)" rc_is 0
check "prints 'redislint X.Y.Z': $(head -c 100 "$T/out")" \
  eval '[ "$(nlines "$T/out")" -eq 1 ] && grep -qE "^redislint [0-9]+\.[0-9]+\.[0-9]+$" "$T/out"'

# ---- determinism ----------------------------------------------------------------------

section "same output for any -j"
mkdir -p proj/app proj/jobs
"$PY" - <<'EOF'
import os
os.makedirs("proj/app", exist_ok=True)
open("proj/app/__init__.py", "w").write("")
open("proj/app/ext.py", "w").write("import redis\n\nredis_client = redis.Redis()\n")
for i in range(30):
    d = "proj/app" if i % 2 else "proj/jobs"
    open("%s/m%02d.py" % (d, i), "w").write(
        "import json\n"
        "import redis\n"
        "from app.ext import redis_client\n"
        "r = redis.Redis()\n\n\n"
        "def save_%d(uid, rows, user):\n"
        "    r.hset(f\"user:{uid}\", \"f\", \"x\" * %d)\n"
        "    r.set(f\"user:{uid}:name\", user.name)\n"
        "    r.set(f\"user:{uid}:email\", user.email)\n"
        "    r.set(f\"user:{uid}:age\", user.age)\n"
        "    redis_client.set(f\"orders:{uid}\", json.dumps([o.to_dict() for o in rows]))\n"
        "    r.sadd(\"ids\", f\"user:{uid}\")\n" % (i, 65 + i))
open("proj/jobs/syntax.py", "w").write("import redis\nr = redis.Redis()\nr.hset('1', 'f', 'x' * 99)\ndef (:\n")
open("proj/jobs/binary.py", "wb").write(b"import redis\n\x00\x01")
EOF
for fmt in text json sarif github; do
  for j in 1 2 8; do
    rl check --format "$fmt" --color never -j "$j" proj
    cp "$T/out" "out.$fmt.$j"
    cp "$T/err" "err.$fmt.$j"
    RC_J[$j]=$RC
  done
  check "$fmt: exit 2 for -j 1, 2, 8 (binary file) (got ${RC_J[1]} ${RC_J[2]} ${RC_J[8]})" \
    eval '[ ${RC_J[1]} -eq 2 ] && [ ${RC_J[2]} -eq 2 ] && [ ${RC_J[8]} -eq 2 ]'
  check "$fmt: stdout of -j 2 identical to -j 1" cmp -s "out.$fmt.1" "out.$fmt.2"
  check "$fmt: stdout of -j 8 identical to -j 1" cmp -s "out.$fmt.1" "out.$fmt.8"
  check "$fmt: stderr of -j 2 identical to -j 1" cmp -s "err.$fmt.1" "err.$fmt.2"
  check "$fmt: stderr of -j 8 identical to -j 1" cmp -s "err.$fmt.1" "err.$fmt.8"
done
check "the run has findings in every generated file" \
  py_is 'len({f["path"] for f in d["findings"]})' 31 out.json.1
check "the cross-file client is resolved (RL104 on redis_client)" \
  eval 'grep -q "RL104" out.text.1'

section "numbered-databases across files, with and without a cluster client"
mkdir -p dbproj/app
printf 'import redis\ncache = redis.Redis(host="cache", db=0)\n' >dbproj/app/cache.py
printf 'import redis\nq = redis.Redis.from_url("redis://q:6379/2", db=5)\n' >dbproj/app/queue.py
printf 'import redis\nt = redis.Redis(db=9)\n' >dbproj/app/test_queue.py
rl check --select RL205 --format json dbproj
check "one finding, for database 2 (the URL beats db=) (got rc $RC)" \
  py_is '[(f["path"], f["severity"], f["message"][:20]) for f in d["findings"]]' \
  "[('dbproj/app/queue.py', 'info', 'database 2 selected ')]"
check "related location: database 0 in the other file" \
  py_is 'd["findings"][0]["related"][0]["path"]' dbproj/app/cache.py
printf 'from redis.cluster import RedisCluster\nrc = RedisCluster(host="c")\n' >dbproj/app/cluster.py
rl check --select RL205 --format json dbproj
check "with a cluster client the non-zero database is an error" \
  py_is '[(f["path"], f["severity"]) for f in d["findings"]]' "[('dbproj/app/queue.py', 'error')]"

section "missing-socket-timeout: the redis-py version"
mkdir -p pins/old pins/new pins/none/.git
printf 'redis==4.6.0\n' >pins/old/requirements.txt
printf '[project]\ndependencies = ["redis>=8.0"]\n' >pins/new/pyproject.toml
for d in old new none; do
  printf 'import redis\n\nr = redis.Redis(host="cache", port=6379)\n' >pins/$d/app.py
done
rl check --select RL402 -q pins/old/app.py
check "redis==4.6.0 in requirements.txt: reported, exit 1 (got $RC)" rc_is 1
check "the message names the pin" out_has 'with redis-py < 8 \(pins/old/requirements.txt: redis==4.6.0\)'
rl check --select RL402 -q pins/new/app.py
check "redis>=8.0 in pyproject.toml: silent, exit 0 (got $RC)" rc_is 0
rl check --select RL402 -q pins/none/app.py
check "no pin up to the repository root: reported (got $RC)" rc_is 1
check "the message says no pin was found" out_has 'no redis-py pin was found \(--redis-py-version sets it\)'
rl check --select RL402 -q --redis-py-version 8.0 pins/old/app.py pins/none/app.py
check "--redis-py-version 8.0 overrides every pin: silent, exit 0 (got $RC)" rc_is 0
rl check --select RL402 -q --redis-py-version 4.6 pins/new/app.py
check "--redis-py-version 4.6 overrides redis>=8.0: reported (got $RC)" rc_is 1
check "the message names the option" out_has 'with redis-py < 8 \(--redis-py-version 4.6\)'
rl check --select RL402 --format json --redis-py-version 4.6 pins/new/app.py
check "the fix adds both timeouts" \
  py_is '[e["content"] for e in d["findings"][0]["fix"]["edits"]]' \
  "[', socket_timeout=5, socket_connect_timeout=5']"

section "hardcoded-credentials"
printf 'import redis\n\nr = redis.Redis(host="cache", password="Hn4$tq9zW")\n' >creds.py
printf 'BROKER_URL = "redis://:s3cr3t-pw@cache:6379/0"\n' >broker.py
printf 'import os\nimport redis\n\nr = redis.Redis(host="cache", password=os.environ["P"])\n' >creds_env.py
rl check --select RL601 -q creds.py broker.py creds_env.py
check "a password= literal and a URL with a password: exit 1 (got $RC)" rc_is 1
check "two findings" eval '[ "$(nlines "$T/out")" -eq 2 ]'
check "the password literal, masked" out_has '^creds.py:3:40: RL601 .*`Hn…`'
check "the URL in a settings constant" out_has '^broker.py:1:14: RL601 .*`s3…`'
check "the secret is not echoed" eval '! grep -qE "tq9zW|cr3t-pw" "$T/out"'
rl check --select RL601 -q creds_env.py
check "a password from the environment: exit 0 (got $RC)" rc_is 0

section "blocking-without-timeout: redis-py version decides (RL403)"
mkdir -p blk8 blk5
printf 'import redis\nr = redis.Redis(host="q")\n\n\ndef work():\n    return r.blpop("jobs")\n' >blk5/worker.py
cp blk5/worker.py blk8/worker.py
printf 'redis==5.0.8\n' >blk5/requirements.txt
printf 'redis>=8.0\n' >blk8/requirements.txt
rl check --select RL403 -q blk5
check "redis-py 5: blpop without timeout reported, exit 1 (got $RC)" rc_is 1
check "names the call" out_has '^blk5/worker\.py:6:12: RL403 \[blocking-without-timeout\] `r\.blpop\("jobs"\)` blocks forever'
rl check --select RL403 -q blk8
check "redis-py 8 (5 s socket timeout): silent, RL404's case (got $RC)" rc_is 0
rl check --select RL403 -q --redis-py-version 4.6 blk8
check "--redis-py-version 4.6 overrides the pin (got $RC)" rc_is 1

section "blocking-exceeds-socket-timeout (RL404)"
printf 'import redis\nr = redis.Redis(host="q", socket_timeout=2)\n\n\ndef work():\n    return r.blpop("jobs", timeout=30)\n' >sock_long.py
printf 'import redis\nr = redis.Redis(host="q", socket_timeout=2)\n\n\ndef work():\n    return r.blpop("jobs", timeout=1)\n' >sock_short.py
rl check --select RL404 -q sock_long.py
check "blpop 30 s on a 2 s socket timeout: exit 1 (got $RC)" rc_is 1
check "names the call and the socket timeout" \
  out_has '^sock_long\.py:6:12: RL404 \[blocking-exceeds-socket-timeout\] `r\.blpop\("jobs", timeout=30\)` blocks up to 30 s, but the client.s socket_timeout is 2 s \(line 2\)'
rl check --select RL404 -q sock_short.py
check "a 1 s block under a 2 s socket timeout: silent (got $RC)" rc_is 0
rl check --select RL404 -q blk8
check "redis-py 8 pinned, blpop forever: exit 1 (got $RC)" rc_is 1
check "names redis-py 8's default and the pin" \
  out_has "redis-py 8's default socket_timeout of 5 s \\(blk8/requirements\\.txt: redis>=8\\.0\\)"
rl check --select RL404 -q blk5
check "redis-py 5 without socket_timeout: silent (got $RC)" rc_is 0

section "sync-client-in-async and its safe fix (RL405)"
printf 'from redis import asyncio as aioredis\nar = aioredis.Redis()\n\n\nasync def save(k):\n    ar.set(k, 1)\n' >aw.py
rl check --select RL405 --format json aw.py
check "missing await: exit 1 (got $RC)" rc_is 1
check "error with a safe edit inserting await" \
  py_is '[(f["severity"], f["fix"]["applicability"], [e["content"] for e in f["fix"]["edits"]]) for f in d["findings"]]' \
  "[('error', 'safe', ['await '])]"

section "lock-without-ttl, unsafe-lock-release (RL501, RL502)"
printf 'import redis\nr = redis.Redis(socket_timeout=5)\n\n\ndef job():\n    if r.setnx("lock:job", 1):\n        r.delete("lock:job")\n' >lk.py
rl check --select RL501,RL502 -q lk.py
check "exit 1 (got $RC)" rc_is 1
check "RL501 on the setnx" out_has '^lk\.py:6:8: RL501 \[lock-without-ttl\]'
check "RL502 on the delete of the constant-value lock" out_has '^lk\.py:7:9: RL502 \[unsafe-lock-release\]'
printf 'import threading\nlock = threading.Lock()\n\n\ndef job():\n    with lock:\n        pass\n' >tlk.py
rl check --select RL501,RL502 tlk.py
check "threading.Lock: exit 0 (got $RC)" rc_is 0

section "unsafe-deserialization (RL603)"
mkdir -p pk/tests
printf 'import pickle\nimport redis\nr = redis.Redis(socket_timeout=5)\n\n\ndef cart(k):\n    return pickle.loads(r.get(k))\n' >pk/cart.py
cp pk/cart.py pk/tests/test_cart.py
rl check --select RL603 -q pk
check "exit 1 (got $RC)" rc_is 1
check "reported in application code" out_has '^pk/cart\.py:7:12: RL603 \[unsafe-deserialization\]'
check "silent in test code" eval '! grep -q "pk/tests/" "$T/out"'
section "cross-slot-command: cluster mode from the project or --cluster"
mkdir -p slots/app
printf 'import redis\n\ndef load(r: redis.Redis, uid):\n    return r.mget(f"user:{uid}:profile", f"cart:{uid}")\n' >slots/app/carts.py
rl check --select RL701 slots
check "no cluster client and no --cluster: silent (got rc $RC)" test "$RC" -eq 0
rl check --select RL701 --cluster --format json slots
check "--cluster turns RL701 on for a file without a RedisCluster (got rc $RC)" \
  py_is '[(f["code"], f["path"], f["severity"]) for f in d["findings"]]' \
  "[('RL701', 'slots/app/carts.py', 'error')]"
printf 'from redis.cluster import RedisCluster\nrc = RedisCluster(host="c")\n' >slots/app/cluster.py
rl check --select RL701 -q slots
check "a RedisCluster built in another file turns it on too (got rc $RC)" \
  eval '[ "$RC" -eq 1 ] && grep -q "app/carts.py:4:12: RL701" out'

section "lua-hardcoded-keys: warning, error in cluster mode"
mkdir -p lua/app
printf 'import redis\nr = redis.Redis()\nLUA = "redis.call(\x27INCR\x27, \x27hits:total\x27) return redis.call(\x27INCR\x27, KEYS[1])"\nhits = r.register_script(LUA)\n' >lua/app/hits.py
rl check --select RL702 --format json lua
check "a hardcoded key in a Lua script is a warning at the key (got rc $RC)" \
  py_is '[(f["code"], f["severity"], f["start"]["line"], f["start"]["column"]) for f in d["findings"]]' \
  "[('RL702', 'warning', 3, 27)]"
rl check --select RL702 --cluster --format json lua
check "--cluster makes it an error (got rc $RC)" \
  py_is '[f["severity"] for f in d["findings"]]' "['error']"

section "Lua script files: KEYS inside a .lua script the project ships"
mkdir -p luafiles/app/scripts
printf 'import redis\nr = redis.Redis(socket_timeout=5)\n' >luafiles/app/broker.py
printf -- '-- flush.lua\nlocal pattern = ARGV[1] .. "/*"\nfor _, key in ipairs(redis.call("keys", pattern)) do\n  redis.call("del", key)\nend\n' >luafiles/app/scripts/flush.lua
printf 'return redis.call("GET", KEYS[1])\n' >luafiles/app/scripts/get.lua
printf 'print("not a Redis script: keys")\n' >luafiles/app/scripts/tool.lua
rl check --no-cache --format json luafiles
check "RL301 at the KEYS call of the .lua file, nothing else (got rc $RC)" \
  py_is '[(f["code"], f["path"].split("/")[-1], f["start"]["line"], f["start"]["column"], f["fix"]["applicability"]) for f in d["findings"]]' \
  "[('RL301', 'flush.lua', 3, 22, 'display')]"
rl check --no-cache -q luafiles/app/scripts/flush.lua
check "named alone, the same (got rc $RC)" grep -q 'flush.lua:3:22: RL301' out
rl check -q luafiles
rl check -q luafiles
check "from the cache, the same (got rc $RC)" grep -q 'flush.lua:3:22: RL301' out
rl check --no-cache --ignore RL301 -q luafiles
check "--ignore RL301 silences it (got rc $RC)" eval '[ "$RC" -eq 0 ]'
rl --help
check "--help says .lua files are walked" grep -q '\*\.lua files' out

# ---------------------------------------------------------------------------------------
echo "test_cli.sh: $NCHECKS checks, $NFAILS failed"
[ "$NFAILS" -eq 0 ]
