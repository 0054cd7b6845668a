#!/usr/bin/env bash
# `cmake --install` into a temporary prefix: the installed binary runs, the
# man page renders, the completions are where shells look and parse.
# Usage: test_install.sh BUILD_DIR
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
bin=$prefix/bin/redislint
[ -x "$bin" ] || fail "no installed binary"
version=$("$bin" --version)
[[ $version =~ ^redislint\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--version printed '$version'"
printf 'import redis\nr = redis.Redis(socket_timeout=5)\nr.keys("*")\n' >"$prefix/app.py"
set +e
"$bin" check -q "$prefix/app.py" >"$prefix/out.txt"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "installed binary exit $rc on a file with a finding"
grep -q 'RL301' "$prefix/out.txt" || fail "installed binary did not report RL301"

page=$prefix/share/man/man1/redislint.1
[ -f "$page" ] || fail "no man page"
if command -v man >/dev/null 2>&1; then
  text=$(MANPATH=$prefix/share/man MANWIDTH=80 man -P cat redislint 2>&1) || fail "man failed: $text"
  grep -q 'redislint - lint Redis usage' <<<"$text" || fail "man page has no NAME line"
  grep -q -- '--redis-py-version' <<<"$text" || fail "man page misses --redis-py-version"
  grep -q "${version#redislint }" <<<"$text" || fail "man page does not carry the version"
elif [ -n "${CI:-}" ]; then
  fail "man is not installed (scripts/install-deps.sh installs man-db)"
fi

bash_c=$prefix/share/bash-completion/completions/redislint
[ -f "$bash_c" ] || fail "no bash completion"
bash -n "$bash_c" || fail "bash completion does not parse"
# the completion offers the subcommands
out=$(bash -c "source '$bash_c'; COMP_WORDS=(redislint ch); COMP_CWORD=1; _redislint; echo \${COMPREPLY[*]}")
[ "$out" = "check" ] || fail "bash completion offered '$out' for 'ch'"
[ -f "$prefix/share/zsh/site-functions/_redislint" ] || fail "no zsh completion"
[ -f "$prefix/share/fish/vendor_completions.d/redislint.fish" ] || fail "no fish completion"
if command -v zsh >/dev/null 2>&1; then zsh -n "$prefix/share/zsh/site-functions/_redislint"; fi
if command -v fish >/dev/null 2>&1; then fish -n "$prefix/share/fish/vendor_completions.d/redislint.fish"; fi
echo "install: ok ($version)"
