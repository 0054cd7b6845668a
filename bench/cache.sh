#!/usr/bin/env bash
# bench/cache.sh - what the result cache saves on a 1,000-file project.
#
#   BUILD=build bench/cache.sh [PROJECT_DIR]
#
# Without PROJECT_DIR a project is made in a temporary directory: 900 modules
# of this machine's python3 standard library (plain code) and 100 modules that
# use one Redis client from a shared module (the shape that costs the most).
# Timed from the outside, median of $ROUNDS rounds (default 5), in one run:
#   cold       no cache: `redislint check .`
#   unchanged  the same again with a warm cache          (bar: <= 10% of cold)
#   one file   `redislint check FILE` after FILE changed, as the pre-commit
#              hook runs it, warm cache                  (bar: <= 5% of cold)
# Reported, not asserted. Exit 1 when a tool is missing or a run fails.
set -euo pipefail

BUILD=${BUILD:-build}
ROUNDS=${ROUNDS:-5}
BIN=$(cd "$BUILD" && pwd)/redislint
die() { echo "bench: $*" >&2; exit 1; }
[[ -x $BIN ]] || die "$BIN not found: ninja -C $BUILD redislint"
[[ -n ${EPOCHREALTIME:-} ]] || die "bash 5 or newer is needed (EPOCHREALTIME)"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if [[ $# -ge 1 ]]; then
  PROJ=$(cd "$1" && pwd)
  # the file of median size among those naming redis: a typical edit
  CHANGED=$(cd "$PROJ" && { grep -rl --include='*.py' 'redis' . || true; } | xargs -r wc -c |
            grep -v ' total$' | sort -n | awk '{a[NR]=$2} END {print a[int((NR+1)/2)]}')
  [[ -n $CHANGED ]] || die "no file of $PROJ mentions redis"
else
  PROJ=$T/proj
  mkdir -p "$PROJ/.git" "$PROJ/app/std" "$PROJ/app/svc"
  echo 'redis==5.0.8' >"$PROJ/requirements.txt"
  STDLIB=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
  find "$STDLIB" -name '*.py' -size -200k -not -path '*/site-packages/*' -not -path '*/test*' | sort | head -n 900 | {
    i=0
    while read -r f; do cp "$f" "$PROJ/app/std/m$i.py"; i=$((i + 1)); done
  }
  touch "$PROJ/app/__init__.py" "$PROJ/app/std/__init__.py" "$PROJ/app/svc/__init__.py"
  printf 'import redis\n\nredis_client = redis.Redis(host="cache", socket_timeout=5)\n' >"$PROJ/app/ext.py"
  for i in $(seq 0 99); do
    cat >"$PROJ/app/svc/s$i.py" <<PY
from app.ext import redis_client


def save_$i(uid, name, email):
    redis_client.set(f"user$i:{uid}:name", name)
    redis_client.set(f"user$i:{uid}:email", email)
    redis_client.expire(f"user$i:{uid}:name", 60)


def purge_$i():
    for k in redis_client.keys("tmp$i:*"):
        redis_client.delete(k)
PY
  done
  CHANGED=./app/svc/s7.py
fi
NFILES=$(find "$PROJ" -name '*.py' | wc -l)
# a checkout is older than the last 2 seconds: the cache trusts a file's stat
# signature only then (cache_stat_sig); a project made just now must settle
sleep 3

now() { echo "$EPOCHREALTIME"; }
cold=() warm=() one=()
for _ in $(seq "$ROUNDS"); do
  rm -rf "$PROJ/.redislint_cache"
  t0=$(now); (cd "$PROJ" && "$BIN" check -q --exit-zero . >/dev/null); t1=$(now)
  cold+=("$(python3 -c "print($t1 - $t0)")")
  t0=$(now); (cd "$PROJ" && "$BIN" check -q --exit-zero . >/dev/null); t1=$(now)
  warm+=("$(python3 -c "print($t1 - $t0)")")
  printf '\n# edited %s\n' "$t0" >>"$PROJ/$CHANGED"
  t0=$(now); (cd "$PROJ" && "$BIN" check -q --exit-zero "$CHANGED" >/dev/null); t1=$(now)
  one+=("$(python3 -c "print($t1 - $t0)")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
c=$(median "${cold[@]}") w=$(median "${warm[@]}") o=$(median "${one[@]}")
python3 - "$NFILES" "$c" "$w" "$o" "$CHANGED" <<'EOF'
import sys
n, c, w, o = int(sys.argv[1]), *map(float, sys.argv[2:5])
print(f"project: {n} Python files; the changed file: {sys.argv[5]}")
print(f"cold run (no cache):          {c:.3f} s")
print(f"unchanged re-run, warm cache: {w:.3f} s  = {100 * w / c:.1f}% of cold (bar <= 10%)")
print(f"one changed file (pre-commit): {o:.3f} s  = {100 * o / c:.1f}% of cold (bar <= 5%)")
EOF
