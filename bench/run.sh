#!/usr/bin/env bash
# bench/run.sh - redislint throughput against the raw tree-sitter parse baseline.
#
#   BUILD=build bench/run.sh [CORPUS_DIR]
#
# CORPUS_DIR defaults to the standard library of this machine's python3 (all
# *.py files below it). Nothing is built here: $BUILD (default "build") must
# hold `redislint` and `rl-parse-bench` (ninja -C "$BUILD" redislint rl-parse-bench).
#
# What is compared: `rl-parse-bench` reads every file and parses it with the
# same tree-sitter-python grammar, nothing else; `redislint check --exit-zero
# --quiet` does the whole job (discover, read, parse, model, rules, output).
# Both are timed from the outside with the same wall clock, whole process
# included. Configurations: parse and lint at -j1 and -j2, alternated within
# each round (so drift of the machine hits all four alike); the median of
# $ROUNDS rounds (default 5) is reported. Targets (reported, not asserted):
#   lint/parse at -j1 <= 1.3      lint -j1 / lint -j2 >= 1.6
#
# Peak RSS of lint -j1 comes from GNU time (/usr/bin/time -f %M); if it is not
# installed (Debian: apt-get install -y time), from getrusage() in a small
# python3 wrapper.
#
# Exit status: 0 when every run succeeded (whether or not targets are met),
# 1 when a tool failed or is missing, 2 on a usage error.
set -euo pipefail

BUILD=${BUILD:-build}
ROUNDS=${ROUNDS:-5}
LINT="$BUILD/redislint"
PARSE="$BUILD/rl-parse-bench"

die() { echo "bench: $*" >&2; exit 1; }

[[ $# -le 1 ]] || { echo "usage: BUILD=dir $0 [CORPUS_DIR]" >&2; exit 2; }
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "bench: ROUNDS must be a positive integer" >&2; exit 2; }
[[ -n ${EPOCHREALTIME:-} ]] || die "bash 5 or newer is needed (EPOCHREALTIME)"
command -v python3 >/dev/null || die "python3 is needed"
[[ -x $PARSE ]] || die "$PARSE not found: ninja -C $BUILD rl-parse-bench"
[[ -x $LINT ]] || die "$LINT not found: ninja -C $BUILD redislint"

if [[ $# -eq 1 ]]; then
  corpus=$1
else
  corpus=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
fi
[[ -d $corpus ]] || die "corpus $corpus is not a directory"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rl-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# --- the file list -----------------------------------------------------------
# Both tools must see exactly the same files. redislint refuses files that are
# not UTF-8 Python source (NUL bytes, invalid UTF-8, > 64 MiB) with an error,
# and its directory walk skips venvs, __pycache__, node_modules and the like.
# So the list is built once: every *.py under the corpus that redislint would
# accept (same checks: strict UTF-8, no NUL, size limit), in sorted order.
# Each accepted file gets a symlink in one flat directory, farm/NNNNNN.py.
# rl-parse-bench reads the list of those farm paths; redislint gets the farm
# directory as its only argument. A flat farm has no subdirectory for the walk
# to skip, symlinks to regular files are linted, and a directory argument has
# no ARG_MAX limit (unlike passing ~10^4 paths on one command line, or xargs,
# which would split the run into several processes).
mkdir "$tmp/farm"
python3 - "$corpus" "$tmp" <<'PY'
import os, sys
corpus, tmp = os.path.abspath(sys.argv[1]), sys.argv[2]
paths = []
for root, dirs, files in os.walk(corpus):
    dirs.sort()
    paths += [os.path.join(root, f) for f in files if f.endswith(".py")]
paths.sort()
kept, skipped, size = [], 0, 0
for p in paths:
    try:
        with open(p, "rb") as f:
            data = f.read(64 * 1024 * 1024 + 1)
        if len(data) > 64 * 1024 * 1024 or b"\0" in data:
            raise ValueError
        data.decode("utf-8")  # strict: no overlongs, surrogates, > U+10FFFF
    except (OSError, ValueError):
        skipped += 1
        continue
    link = os.path.join(tmp, "farm", "%06d.py" % len(kept))
    os.symlink(p, link)
    kept.append(link)
    size += len(data)
with open(os.path.join(tmp, "list"), "w") as f:
    f.write("".join(k + "\n" for k in kept))
with open(os.path.join(tmp, "stats"), "w") as f:
    f.write("%d %d %d\n" % (len(kept), size, skipped))
PY
read -r nfiles nbytes nskipped <"$tmp/stats"
[[ $nfiles -gt 0 ]] || die "no usable *.py files under $corpus"

# --- running -------------------------------------------------------------------
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
  rss_wrap() { /usr/bin/time -f %M -o "$tmp/rss" "$@"; }
else
  rss_wrap() {
    python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$tmp/rss" "$@"
  }
fi

# run NAME JOBS: runs one configuration, appends its wall time to $tmp/NAME-jJOBS.
run() {
  local name=$1 jobs=$2 t0 t1 rc=0
  local -a cmd
  if [[ $name == parse ]]; then
    cmd=("$PARSE" -j "$jobs" -)
  else
    cmd=("$LINT" check --exit-zero --quiet -j "$jobs" "$tmp/farm")
  fi
  t0=$EPOCHREALTIME
  rss_wrap "${cmd[@]}" <"$tmp/list" >"$tmp/out" 2>"$tmp/err" || rc=$?
  t1=$EPOCHREALTIME
  if [[ $rc -ne 0 ]]; then
    echo "bench: $name -j$jobs failed (exit $rc): ${cmd[*]}" >&2
    head -n 20 "$tmp/err" >&2
    exit 1
  fi
  if [[ $name == parse ]] && ! grep -q "^files=$nfiles " "$tmp/out"; then
    die "rl-parse-bench did not parse all $nfiles files: $(cat "$tmp/out")"
  fi
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$tmp/$name-j$jobs"
  if [[ $name == lint && $jobs == 1 ]]; then cat "$tmp/rss" >>"$tmp/rss-lint-j1"; fi
}

median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "corpus: $corpus ($nfiles files; $nskipped skipped as not UTF-8 source)" >&2
echo "warming the page cache..." >&2
xargs -d '\n' cat <"$tmp/list" >/dev/null
run parse 1 && rm -f "$tmp/parse-j1"   # untimed warm-up of both binaries
run lint 1 && rm -f "$tmp/lint-j1" "$tmp/rss-lint-j1"
for ((r = 1; r <= ROUNDS; r++)); do
  echo "round $r/$ROUNDS" >&2
  run parse 1; run lint 1; run parse 2; run lint 2
done

# --- report --------------------------------------------------------------------
p1=$(median "$tmp/parse-j1"); l1=$(median "$tmp/lint-j1")
p2=$(median "$tmp/parse-j2"); l2=$(median "$tmp/lint-j2")
rss=$(sort -n "$tmp/rss-lint-j1" | tail -n 1)
awk -v n="$nfiles" -v bytes="$nbytes" -v rounds="$ROUNDS" -v p1="$p1" -v l1="$l1" \
    -v p2="$p2" -v l2="$l2" -v rss="$rss" 'BEGIN {
  mb = bytes / 1e6
  printf "MB = 10^6 bytes; seconds = median wall time of %d rounds\n\n", rounds
  printf "%-6s %4s %8s %8s %9s %8s\n", "tool", "jobs", "files", "MB", "seconds", "MB/s"
  printf "%-6s %4d %8d %8.1f %9.3f %8.2f\n", "parse", 1, n, mb, p1, mb / p1
  printf "%-6s %4d %8d %8.1f %9.3f %8.2f\n", "lint", 1, n, mb, l1, mb / l1
  printf "%-6s %4d %8d %8.1f %9.3f %8.2f\n", "parse", 2, n, mb, p2, mb / p2
  printf "%-6s %4d %8d %8.1f %9.3f %8.2f\n", "lint", 2, n, mb, l2, mb / l2
  r = l1 / p1; s = l1 / l2
  printf "\nlint/parse at -j1     %5.2f  (target <= 1.3: %s)\n", r, (r <= 1.3 ? "met" : "MISSED")
  printf "lint -j1 / lint -j2   %5.2f  (target >= 1.6: %s)\n", s, (s >= 1.6 ? "met" : "MISSED")
  printf "peak RSS lint -j1     %5.1f MB\n", rss * 1024 / 1e6
}'
