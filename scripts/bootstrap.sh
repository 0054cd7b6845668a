#!/usr/bin/env bash
# First command: install what is missing, build redislint, lint examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target redislint
echo
echo "== build/redislint check examples/"
# Exit status 1 means "findings": that is the point of the demo.
build/redislint check examples/ || [ $? -eq 1 ]
