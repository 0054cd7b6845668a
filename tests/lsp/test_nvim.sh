#!/usr/bin/env bash
# tests/lsp/test_nvim.sh REDISLINT - a real editor as redislint's LSP client:
# headless Neovim opens a file of a two-file project, receives diagnostics
# (one needs the client built in the other file; its settings, passed as
# init_options, apply) and applies a quick fix.
# Exit 77 (skipped) when nvim is missing, unless CI is set (then a failure).
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
if ! command -v nvim >/dev/null 2>&1; then
  case ${CI:-} in "" | false | 0) echo "nvim not found: skipped"; exit 77 ;; esac
  echo "nvim not found and CI is set"; exit 1
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/app/pkg"
printf '[project]\nname = "app"\ndependencies = ["redis>=8"]\n' >"$T/app/pyproject.toml"
printf 'import redis\n\nstore = redis.Redis(host="cache")\n' >"$T/app/pkg/extensions.py"
printf 'from pkg.extensions import store\n\n\ndef profile(uid, fields):\n    for name, value in fields.items():\n        store.set(f"user:{uid}:{name}", value)\n\n\ndef save(k):\n    store.set(k, 1)\n    store.expire(k, 60)\n' >"$T/app/pkg/views.py"
cd "$T/app" || exit 2
RL_BIN=$BIN RL_FILE="$T/app/pkg/views.py" RL_OUT="$T/out" RL_ROOT="$T/app" \
  nvim --headless --clean -n -c "luafile $HERE/nvim_client.lua" >/dev/null 2>"$T/err"
N=0 F=0
check() { N=$((N + 1)); if ! eval "$2"; then F=$((F + 1)); echo "FAIL: $1" >&2; fi; }
check "a diagnostic that needs extensions.py (RL302): $(tr '\n' ' ' <"$T/out")" 'grep -q "^diagnostic RL302 5" "$T/out"'
check "RL202 on line 10" 'grep -q "^diagnostic RL202 9" "$T/out"'
check "the settings (init_options: ignore per-field-keys) apply: no RL101" '! grep -q "^diagnostic RL101" "$T/out"'
check "a quick fix offered and applied" 'grep -q "^applied" "$T/out"'
check "the file now sets the TTL in the SET: $(sed -n 10p pkg/views.py)" 'grep -q "store.set(k, 1, ex=60)" pkg/views.py'
echo "test_nvim.sh: $N checks, $F failed"
[ "$F" -eq 0 ]
