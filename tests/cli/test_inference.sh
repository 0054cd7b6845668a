#!/usr/bin/env bash
# tests/cli/test_inference.sh BIN - client inference across files (Model v2).
#
# Each directory under tests/inference/ is a small project. A line that ends
# with `# calls: KIND` must be listed by `redislint calls` with that receiver
# kind (client, cluster, async-client, inferred-client, inferred-pipeline...);
# `# calls: none` must not be listed. The project is linted as a whole.
SRC=$(cd "$(dirname "$0")/../inference" && pwd) || exit 2
source "$(dirname "$0")/lib.sh"

check_project() { # dir
  local dir=$1 out file line want got
  out=$(cd "$dir" && "$BIN" calls . 2>/dev/null)
  while IFS=: read -r file line want; do
    want=${want##*# calls: }
    want=${want%% *}
    got=$(printf '%s\n' "$out" | awk -F'\t' -v p="${file#./}:$line:" 'index($1, p) == 1 { print $2; exit }')
    if [ "$want" = none ]; then
      check "$(basename "$dir") ${file#./}:$line not a call (got '$got')" test -z "$got"
    else
      check "$(basename "$dir") ${file#./}:$line is $want (got '${got:-nothing}')" test "$got" = "$want"
    fi
  done < <(cd "$dir" && grep -rn --include='*.py' '# calls: ' . | sed 's/^\([^:]*\):\([0-9]*\):.*\(# calls: [a-z-]*\).*/\1:\2:\3/')
}

for d in "$SRC"/*/; do
  SECTION=$(basename "$d") check_project "${d%/}"
done

# Each file named alone (as the pre-commit hook and the editor do) sees the
# rest of its project: its call sites are the ones the whole-project run
# lists for it, with the same kinds (the project root is the directory with
# redislint.json).
for d in "$SRC"/*/; do
  whole=$(cd "$d" && "$BIN" calls . 2>/dev/null | sort)
  while IFS= read -r f; do
    f=${f#./}
    alone=$(cd "$d" && "$BIN" calls "$f" 2>/dev/null | sort)
    want=$(printf '%s\n' "$whole" | awk -F: -v f="$f" '$1 == f' | sort)
    SECTION=$(basename "$d") check "$f alone lists what the whole project lists for it" \
      test "$alone" = "$want"
  done < <(cd "$d" && find . -name '*.py' | sort)
done

# --unresolved lists the inferred receivers with the reason the chain broke.
SECTION=unresolved
out=$(cd "$SRC/duck_typing" && "$BIN" calls --unresolved . 2>/dev/null)
check "schedule's conn is listed as inferred" \
  grep -q $'pkg/site.py:[0-9]*:[0-9]*\tconn\t1\tzadd\tinferred\tparameter `conn` of `schedule()`' <<<"$out"
out=$(cd "$SRC/survey27" && "$BIN" calls --unresolved . 2>/dev/null)
check "the reason keeps the space after await" \
  grep -q $'misc/memo.py:[0-9]*:[0-9]*\tb\t1\tpfadd\tinferred\t`b` is assigned from `await borrowed_connection()`' <<<"$out"
out=$(cd "$SRC/lookalikes" && "$BIN" calls --unresolved . 2>/dev/null)
check "the wrapper's store.hset is unresolved, not inferred" \
  grep -q $'pkg/wrapper.py:[0-9]*:[0-9]*\tstore\t1\thset\tunresolved' <<<"$out"
# Trees past the memory budget are parsed again when needed: same results.
SECTION=budget
for d in "$SRC"/*/; do
  a=$(cd "$d" && "$BIN" calls . 2>/dev/null)
  b=$(cd "$d" && REDISLINT_TREE_BUDGET=0 "$BIN" calls -j 2 . 2>/dev/null)
  check "$(basename "$d"): the same calls with no tree kept" test "$a" = "$b"
done
a=$(cd "$SRC/.." && "$BIN" check --exit-zero --format json fixtures 2>/dev/null)
b=$(cd "$SRC/.." && REDISLINT_TREE_BUDGET=0 "$BIN" check --exit-zero --format json fixtures 2>/dev/null)
check "all fixtures: the same findings with no tree kept" test "$a" = "$b"
check "calls --help documents --unresolved" sh -c "'$BIN' calls --help | grep -q -- --unresolved"
finish test_inference
