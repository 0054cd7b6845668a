#!/usr/bin/env bash
# tests/cli/test_cli_docs.sh REDISLINT - the CLI's own help is the reference:
# every subcommand of `redislint --help` and every long option of
# `redislint check --help` must appear in the man page and in the bash, zsh
# and fish completions, so none of them drifts when a flag is added.
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/cli/lib.sh" "$1"
MAN=$SRC/man/redislint.1.in
BASH_C=$SRC/completions/redislint.bash
ZSH_C=$SRC/completions/_redislint
FISH_C=$SRC/completions/redislint.fish

cmds=$("$BIN" --help | sed -n 's/^ *\(Usage: \)\{0,1\}redislint \([a-z][a-z-]*\).*/\2/p' | sort -u)
check "--help lists subcommands ($(echo $cmds))" test "$(echo "$cmds" | wc -w)" -ge 7
for c in $cmds; do
  man_c=$(printf '%s' "$c" | sed 's/-/\\\\-/g')
  check "man page: redislint $c" grep -q "^\.B redislint $c\|^\.B redislint $man_c" "$MAN"
  check "bash completion: $c" grep -q "cmds=\".*\b$c\b" "$BASH_C"
  check "zsh completion: $c" grep -q "'$c:" "$ZSH_C"
  check "fish completion: $c" grep -q "^set -l cmds.*\b$c\b" "$FISH_C"
done

flags=$("$BIN" check --help | grep -oE '^ +(-[a-z], )?--[a-z-]+' | sed 's/.*--/--/' | sort -u)
check "check --help lists options ($(echo "$flags" | wc -l))" test "$(echo "$flags" | wc -l)" -ge 20
for f in $flags; do
  [ "$f" = --help ] && continue
  man_f=$(printf '%s' "$f" | sed 's/-/\\\\-/g')
  check "man page: $f" grep -q -- "$man_f" "$MAN"
  check "bash completion: $f" grep -q -- "$f" "$BASH_C"
  check "zsh completion: $f" grep -q -- "'$f\[\|'\*$f\[\|,$f}'\|{-[a-z],$f}" "$ZSH_C"
  check "fish completion: $f" grep -q -- "-l ${f#--}\b" "$FISH_C"
done
finish test_cli_docs.sh
