#!/usr/bin/env bash
# bench/chains.sh - lint time on ever longer chains, against the raw parse of
# the same files (issue: evaluation of method chains and key templates must
# grow linearly with the input, not double with each call).
#
#   BUILD=build bench/chains.sh
#
# For N = 1000, 2000, 4000, 8000 one file holds a method chain of N calls, a
# fluent pipeline chain of N commands and a key built by N `.replace()` calls.
# Printed per N: lint and parse seconds (best of 3) and their ratio; the ratio
# must stay flat when N doubles. Exit 1 when a tool is missing or fails.
set -euo pipefail
BUILD=${BUILD:-build}
LINT="$BUILD/redislint"
PARSE="$BUILD/rl-parse-bench"
[[ -x $LINT && -x $PARSE ]] || { echo "chains: build $LINT and $PARSE first" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
best() { # command... -> best wall seconds of 3
  local b=999 t s e
  for _ in 1 2 3; do
    s=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 || [ $? -eq 1 ]
    e=$EPOCHREALTIME
    t=$(python3 -c "print($e - $s)")
    b=$(python3 -c "print(min($b, $t))")
  done
  echo "$b"
}
printf '%6s %9s %9s %7s\n' N lint parse ratio
for n in 1000 2000 4000 8000; do
  f="$tmp/chain_$n.py"
  python3 - "$n" >"$f" <<'PY'
import sys
n = int(sys.argv[1])
print("import redis")
print("r = redis.Redis(socket_timeout=5)")
print("x = make()" + ".a()" * n)
print("p = r.pipeline()" + '.set("k", 1)' * n + ".execute()")
print("def f(name):")
print('    r.set("user:" + name' + '.replace("a", "")' * n + ", 1)")
PY
  l=$(best "$LINT" check -q -j1 "$f")
  p=$(best "$PARSE" "$f")
  printf '%6s %9.3f %9.3f %7.1f\n' "$n" "$l" "$p" "$(python3 -c "print($l / max($p, 1e-4))")"
done
