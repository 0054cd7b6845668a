#!/usr/bin/env bash
# bench/dense.sh - one Redis-dense file: lint time and peak memory against the
# raw tree-sitter parse of the same file, in one run.
#
#   BUILD=build bench/dense.sh [MEGABYTES]
#
# Writes a file of MEGABYTES (default 10) of Redis-dense Python: functions of
# ten lines, each a hash write, a cache-aside read and fill, a SADD in a loop
# and a pipeline (every line a Redis command or the control flow around one;
# the shape that costs a linter the most per byte). Then, alternated within
# each round so drift of the machine hits both alike, $ROUNDS rounds (default
# 3) of
#   parse   rl-parse-bench FILE             (read and parse, nothing else)
#   lint    redislint check --no-cache -j1 FILE
# and prints the medians of wall time and peak RSS (each process's own
# getrusage), the ratios, and the bars of issue 15: lint within 3x of the
# parse time, and peak memory within 20x of the file size. Reported, not
# asserted. Exit 1 when a tool is missing or fails.
set -euo pipefail
BUILD=${BUILD:-build}
ROUNDS=${ROUNDS:-3}
MB=${1:-10}
LINT="$BUILD/redislint"
PARSE="$BUILD/rl-parse-bench"
[[ -x $LINT && -x $PARSE ]] || { echo "dense: build $LINT and $PARSE first" >&2; exit 1; }
[[ $MB =~ ^[1-9][0-9]*$ ]] || { echo "usage: BUILD=dir $0 [MEGABYTES]" >&2; exit 2; }
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "dense: ROUNDS must be a positive integer" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/dense.py" "$MB" "$LINT" "$PARSE" "$ROUNDS" <<'PY'
import os, statistics, sys, time

path, mb, lint, parse, rounds = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
parts, size, i = ["import redis", "r = redis.Redis(socket_timeout=5, socket_connect_timeout=5)", ""], 0, 0
while size < mb * 1024 * 1024:
    f = (f"def f{i}(uid, items):\n"
         f"    r.hset(f'user:{{uid}}:{i}', 'name', 'x')\n"
         f"    v = r.get(f'cache:{i}:{{uid}}')\n"
         f"    if v is None:\n"
         f"        r.set(f'cache:{i}:{{uid}}', 'y')\n"
         f"    for it in items:\n"
         f"        r.sadd('s:{i}', it)\n"
         f"    p = r.pipeline()\n"
         f"    p.incr('c:{i}')\n"
         f"    p.execute()\n")
    parts.append(f)
    size += len(f)
    i += 1
with open(path, "w") as out:
    out.write("\n".join(parts))
nbytes = os.path.getsize(path)

def run(argv, ok):
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.execv(argv[0], argv)
    _, status, ru = os.wait4(pid, 0)
    wall = time.monotonic() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        sys.exit(f"dense: {argv[0]} exited with {code}")
    return wall, ru.ru_maxrss * 1024

cmds = {"parse": ([parse, path], (0,)),
        "lint": ([lint, "check", "--no-cache", "-q", "--exit-zero", "-j1", path], (0,))}
res = {k: [] for k in cmds}
for _ in range(rounds):
    for k, (argv, ok) in cmds.items():
        res[k].append(run(argv, ok))
med = {k: (statistics.median(w for w, _ in v), statistics.median(m for _, m in v)) for k, v in res.items()}
print(f"file: {nbytes / 1e6:.1f} MB, {i} functions; median of {rounds} rounds")
print(f"{'':6} {'seconds':>8} {'peak MB':>8}")
for k in cmds:
    print(f"{k:6} {med[k][0]:8.2f} {med[k][1] / 1e6:8.0f}")
t = med["lint"][0] / med["parse"][0]
m = med["lint"][1] / nbytes
print(f"lint/parse time   {t:5.2f}x   (bar: <= 3x)")
print(f"lint peak / size  {m:5.1f}x   (bar: <= 20x; the parse alone: {med['parse'][1] / nbytes:.1f}x)")
PY
