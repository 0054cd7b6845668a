#!/usr/bin/env bash
# bench/audit.sh - `redislint audit` speed on loopback, and the load it puts
# on the server.
#
#   BUILD=build bench/audit.sh [SCALE]
#
# Starts a throwaway redis-server on a free loopback port (no persistence;
# stopped by pid at the end), fills it with tests/audit/e2e/fill.py (about
# 100,000 keys x SCALE, default 1, across the shop's key templates) through
# `redis-cli --pipe`, then audits it with the shop's code:
#   - unthrottled, $ROUNDS times (default 5): keys audited per second (median),
#     aim >= 50,000 keys/s on one core;
#   - with --rate 20000: the commands per second the server really saw
#     (INFO commandstats before and after, over the wall time), which must stay
#     at or under the cap.
# Reported, not asserted. Exit 1 when a tool is missing or a run fails.
set -euo pipefail

BUILD=${BUILD:-build}
ROUNDS=${ROUNDS:-5}
SCALE=${1:-1}
BIN=$(cd "$BUILD" && pwd)/redislint
HERE=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "bench: $*" >&2; exit 1; }
[[ -x $BIN ]] || die "$BIN not found: ninja -C $BUILD redislint"
command -v redis-server >/dev/null || die "redis-server is needed (apt-get install redis-server)"
command -v redis-cli >/dev/null || die "redis-cli is needed (apt-get install redis-tools)"
[[ -n ${EPOCHREALTIME:-} ]] || die "bash 5 or newer is needed (EPOCHREALTIME)"

T=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$T" >/dev/null &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$T"' EXIT
until redis-cli -p "$PORT" ping >/dev/null 2>&1; do
  kill -0 $PID 2>/dev/null || die "redis-server did not start"
  sleep 0.1
done
python3 "$HERE/tests/audit/e2e/fill.py" "$SCALE" | redis-cli -p "$PORT" --pipe >/dev/null
KEYS=$(redis-cli -p "$PORT" dbsize)
cp -r "$HERE/tests/audit/e2e/shop" "$T/shop"

times=()
for _ in $(seq "$ROUNDS"); do
  t0=$EPOCHREALTIME
  (cd "$T/shop" && "$BIN" audit --url "redis://127.0.0.1:$PORT" --format json -j 1 . >/dev/null)
  t1=$EPOCHREALTIME
  times+=("$(python3 -c "print($t1 - $t0)")")
done
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

calls() { redis-cli -p "$PORT" info commandstats | awk -F'[=,:]' '/^cmdstat_/ {s += $3} END {print s}'; }
RATE=20000
c0=$(calls)
t0=$EPOCHREALTIME
(cd "$T/shop" && "$BIN" audit --url "redis://127.0.0.1:$PORT" --format json --rate "$RATE" . >/dev/null)
t1=$EPOCHREALTIME
c1=$(calls)

python3 - "$KEYS" "$median" "$c0" "$c1" "$t0" "$t1" "$RATE" <<'EOF'
import sys
keys, median, c0, c1, t0, t1, rate = (float(x) for x in sys.argv[1:])
print(f"keys in the server:        {int(keys):,}")
print(f"audit (median of runs):    {median:.2f} s  ->  {keys / median:,.0f} keys/s (aim >= 50,000)")
cps = (c1 - c0 - 1) / (t1 - t0)  # minus the INFO that measured
print(f"with --rate {int(rate)}:         {cps:,.0f} commands/s seen by the server, "
      f"{(t1 - t0):.1f} s ({'within' if cps <= rate * 1.02 else 'OVER'} the cap)")
EOF
