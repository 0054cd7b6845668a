# bash completion for redislint
_redislint() {
  local cur prev words cword
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  local cmds="check calls keys rules rule install-hook config server"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "$cmds --version --help" -- "$cur"))
    return
  fi
  case $prev in
    --format) COMPREPLY=($(compgen -W "text json sarif github gitlab" -- "$cur")); return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    -o|--output|--stdin-filename|--exclude|--baseline|--write-baseline|--redis-conf|--config) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --select|--ignore|rule)
      COMPREPLY=($(compgen -W "$(redislint rules 2>/dev/null | awk 'NR>1 {print $1, $2}')" -- "$cur"))
      return ;;
    -j|--jobs|--redis-py-version|--target-redis-version) return ;;
  esac
  if [[ $cur == -* && ${COMP_WORDS[1]} == calls ]]; then
    COMPREPLY=($(compgen -W "--unresolved --no-project --help" -- "$cur"))
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "--format --output --select --ignore --exit-zero --color --jobs
      --quiet --statistics --stdin-filename --redis-py-version --exclude --force-exclude --no-project
      --cluster --fix --unsafe-fixes --diff --show-fixes --include-suppressed --baseline
      --write-baseline --redis-conf --config --isolated --target-redis-version --help" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _redislint redislint
