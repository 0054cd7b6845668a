#!/usr/bin/env bash
# tests/cli/test_cli_docs.sh REDISLINT - one option table (src/cli_opts.c)
# makes --help, the man page and the bash, zsh and fish completions. The
# build writes the man page and the completions next to the binary; this test
# checks what it wrote against --help (every subcommand, every long option of
# check, config and calls), that `redislint completions SHELL` is what was
# installed, that each script parses in its shell, and that the completions
# complete.
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/cli/lib.sh" "$1"
OUT=$(dirname "$BIN")
MAN=$OUT/redislint.1
BASH_C=$OUT/completions/redislint.bash
ZSH_C=$OUT/completions/_redislint
FISH_C=$OUT/completions/redislint.fish
for f in "$MAN" "$BASH_C" "$ZSH_C" "$FISH_C"; do
  check "the build wrote $(basename "$f")" test -s "$f"
done
for sh in bash zsh fish; do
  case $sh in bash) want=$BASH_C ;; zsh) want=$ZSH_C ;; fish) want=$FISH_C ;; esac
  "$BIN" completions "$sh" >gen.$sh
  check "completions $sh = the built file" cmp -s gen.$sh "$want"
done
"$BIN" completions tcsh >/dev/null 2>err
check "an unknown shell is a usage error" grep -q "no completions for the shell 'tcsh'" err

cmds=$("$BIN" --help | sed -n 's/^ *\(Usage: \)\{0,1\}redislint \([a-z][a-z-]*\).*/\2/p' | sort -u)
check "--help lists subcommands ($(echo $cmds))" test "$(echo "$cmds" | wc -w)" -ge 9
for c in $cmds; do
  man_c=$(printf '%s' "$c" | sed 's/-/\\\\-/g')
  check "man page: redislint $c" grep -q "^\.B redislint $c\|^\.B redislint $man_c" "$MAN"
  check "bash completion: $c" grep -q "compgen -W \"[^\"]*\b$c\b" "$BASH_C"
  check "zsh completion: $c" grep -q "'$c:" "$ZSH_C"
  check "fish completion: $c" grep -q "^set -l cmds.*\b$c\b" "$FISH_C"
done

flags=$( ("$BIN" check --help; "$BIN" calls --help) | grep -oE '^ +(-[a-z], )?--[a-z-]+' | sed 's/.*--/--/' | sort -u)
check "check --help lists options ($(echo "$flags" | wc -l))" test "$(echo "$flags" | wc -l)" -ge 30
for f in $flags; do
  [ "$f" = --help ] && continue
  man_f=$(printf '%s' "$f" | sed 's/-/\\\\-/g')
  check "man page: $f" grep -q -- "$man_f" "$MAN"
  check "bash completion: $f" grep -q -- "$f\b" "$BASH_C"
  check "zsh completion: $f" grep -q -- "'$f\[\|'\*$f\[\|,$f}'\|{-[a-z],$f}" "$ZSH_C"
  check "fish completion: $f" grep -q -- "-l ${f#--}\b" "$FISH_C"
done
check "the man page renders without warnings" \
  eval '[ -z "$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$MAN" 2>&1 >/dev/null)" ]'

# each script parses, and completes
check "bash -n" bash -n "$BASH_C"
got=$(bash -c '. "$1"; COMP_WORDS=(redislint check --diff); COMP_CWORD=2; _redislint; echo "${COMPREPLY[*]}"' _ "$BASH_C")
check "bash completes --diff to --diff --diff-base ($got)" [ "$got" = "--diff --diff-base" ]
got=$(bash -c '. "$1"; COMP_WORDS=(redislint check --format s); COMP_CWORD=3; _redislint; echo "${COMPREPLY[*]}"' _ "$BASH_C")
check "bash completes a --format value ($got)" [ "$got" = "sarif" ]
got=$(bash -c '. "$1"; COMP_WORDS=(redislint calls --un); COMP_CWORD=2; _redislint; echo "${COMPREPLY[*]}"' _ "$BASH_C")
check "bash: calls has its own options ($got)" [ "$got" = "--unresolved" ]
if command -v zsh >/dev/null 2>&1; then
  check "zsh -n" zsh -n "$ZSH_C"
else
  echo "SKIP: zsh is not installed (scripts/install-deps.sh --test installs it)"
fi
if command -v fish >/dev/null 2>&1; then
  check "fish -n" fish -n "$FISH_C"
  got=$(fish -c "source $FISH_C; complete -C 'redislint check --fix-'" | cut -f1 | tr '\n' ' ')
  check "fish completes --fix- ($got)" [ "$got" = "--fix-only " ]
  got=$(fish -c "source $FISH_C; complete -C 'redislint check --color '" | cut -f1 | tr '\n' ' ')
  check "fish completes a --color value ($got)" [ "$got" = "always auto never " ]
else
  echo "SKIP: fish is not installed (scripts/install-deps.sh --test installs it)"
fi
finish test_cli_docs.sh
