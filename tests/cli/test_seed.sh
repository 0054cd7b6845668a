#!/usr/bin/env bash
# The project's seed document (../shared/seed/memory-efficient-data-structures.md,
# beside the repository in CI): its "Incorrect" block gets the memory findings
# it illustrates (per-field keys, a long hash value) and no MSET advice; its
# "Correct" block gets no memory finding, only its real decode_responses + zlib
# bug. Usage: test_seed.sh path/to/redislint (exit 77 when the document is absent)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
DOC=$SRC/../shared/seed/memory-efficient-data-structures.md
[ -f "$DOC" ] || { echo "SKIP: $DOC not found"; exit 77; }
. "$SRC/tests/cli/lib.sh" "$1"
python3 - "$DOC" <<'PY'
import re, sys
blocks = re.findall(r"```python\n(.*?)```", open(sys.argv[1]).read(), re.S)
open("incorrect.py", "w").write(blocks[0])
open("correct.py", "w").write(blocks[1])
PY
"$BIN" check -q --no-cache --redis-py-version 8 incorrect.py >out 2>&1
check "Incorrect: per-field keys of user:1 ($(tr '\n' '|' <out | cut -c1-300))" grep -q 'RL101 \[per-field-keys\] 3 string keys hold fields of one `user:1`' out
check "Incorrect: the 1000-byte hash value" grep -q 'RL102' out
check "Incorrect: no MSET advice for a per-field group" eval '! grep -q RL303 out'
"$BIN" check -q --no-cache --redis-py-version 8 correct.py >out 2>&1
check "Correct: no memory finding ($(grep -o 'RL[12][0-9][0-9]' out | sort -u | tr '\n' ' '))" \
  eval '! grep -qE "RL10[1-5]|RL20[1-5]" out'
check "Correct: the decode_responses + zlib bug stays" grep -q 'RL106' out
finish test_seed.sh
