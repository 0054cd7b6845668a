#!/usr/bin/env bash
# `redislint install-hook`: the plain git hook refuses a commit with a
# finding and lets a clean one through; a foreign hook is kept unless --force.
# Usage: test_install_hook.sh BUILD_DIR (the redislint binary's directory)
set -uo pipefail
build=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PATH="$build:$PATH" HOME="$tmp/home"
mkdir -p "$HOME"
N=0
F=0
check() {
  local desc=$1
  shift
  N=$((N + 1))
  if ! "$@"; then F=$((F + 1)); echo "FAIL: $desc" >&2; fi
}
g() { git -c user.name=test -c user.email=test@example.invalid -c init.defaultBranch=main "$@"; }

cd "$tmp" || exit 2
redislint install-hook >out 2>err
check "outside a repository: exit 2" [ $? -eq 2 ]
check "with a message" grep -q 'not inside a git repository' err

g init -q app
cd app || exit 2
echo 'redis>=8.0' >requirements.txt
printf '#!/bin/sh\necho mine\n' >.git/hooks/pre-commit
redislint install-hook >out 2>err
check "a foreign hook is kept: exit 2" [ $? -eq 2 ]
check "and named" grep -q 'did not install' err
check "untouched" grep -q 'echo mine' .git/hooks/pre-commit
redislint install-hook --force >out 2>err
check "--force replaces it" grep -q 'installed by redislint' .git/hooks/pre-commit
check "executable" [ -x .git/hooks/pre-commit ]
redislint install-hook >out 2>err
check "reinstalling over our own hook works" [ $? -eq 0 ]

printf 'import redis\nr = redis.Redis()\nr.keys("*")\n' >bad.py
g add bad.py requirements.txt
g commit -q -m bad >log 2>&1
check "a commit with a finding is refused" [ $? -ne 0 ]
check "the output names the rule" grep -q RL301 log
g reset -q
rm bad.py
printf 'import redis\nr = redis.Redis()\nprint(r.get("k"))\n' >good.py
g add good.py requirements.txt
g commit -q -m good >log 2>&1
check "a clean commit goes through" [ $? -eq 0 ]
g commit -q --allow-empty -m empty >log 2>&1
check "a commit without Python files goes through" [ $? -eq 0 ]
echo "test_install_hook.sh: $N checks, $F failed"
[ "$F" -eq 0 ]
