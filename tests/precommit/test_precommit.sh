#!/usr/bin/env bash
# The real pre-commit tool runs the hook defined in .pre-commit-hooks.yaml
# against a scratch repository: a commit adding a file with a finding is
# refused, a clean commit goes through, and an excluded file is skipped even
# though pre-commit names it (--force-exclude).
# Usage: test_precommit.sh BUILD_DIR (the redislint binary's directory)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
if ! command -v pre-commit >/dev/null 2>&1; then
  if [ -n "${CI:-}" ]; then echo "FAIL: pre-commit is not installed" >&2; exit 1; fi
  echo "SKIP: pre-commit is not installed (apt-get install pre-commit)"; exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export PATH="$build:$PATH" PRE_COMMIT_HOME="$tmp/cache" HOME="$tmp/home"
mkdir -p "$HOME"
g() { git -c user.name=test -c user.email=test@example.invalid -c init.defaultBranch=main "$@"; }

# a hook repository holding only our hooks file, at a commit pre-commit can pin
g init -q "$tmp/hooks"
cp "$src/.pre-commit-hooks.yaml" "$tmp/hooks/"
g -C "$tmp/hooks" add .pre-commit-hooks.yaml
g -C "$tmp/hooks" commit -q -m hooks
rev=$(git -C "$tmp/hooks" rev-parse HEAD)

g init -q "$tmp/app"
cd "$tmp/app"
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $tmp/hooks
    rev: $rev
    hooks:
      - id: redislint
        args: [--exclude, legacy/]
YAML
g add .pre-commit-config.yaml
g commit -q -m config
pre-commit install >/dev/null

# bad: KEYS in application code
printf 'import redis\nr = redis.Redis(socket_timeout=5)\n\ndef purge():\n    for k in r.keys("tmp:*"):\n        r.delete(k)\n' >bad.py
g add bad.py
if g commit -q -m bad >"$tmp/bad.log" 2>&1; then
  cat "$tmp/bad.log"; fail "the commit with a finding went through"
fi
grep -q 'RL301' "$tmp/bad.log" || { cat "$tmp/bad.log"; fail "the hook output does not name RL301"; }
g reset -q HEAD bad.py
rm bad.py

# good: a clean file, and the same bad code under an excluded directory
printf 'import redis\nr = redis.Redis(socket_timeout=5)\n\ndef get(k):\n    return r.get(k)\n' >good.py
mkdir legacy
printf 'import redis\nr = redis.Redis(socket_timeout=5)\nr.keys("*")\n' >legacy/old.py
g add good.py legacy/old.py
g commit -q -m good >"$tmp/good.log" 2>&1 || { cat "$tmp/good.log"; fail "the clean commit was refused"; }
echo "pre-commit: ok"
