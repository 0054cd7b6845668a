# tests/cli/lib.sh - shared by the small CLI test scripts (sourced).
# Sets BIN (absolute path of the binary given as $1), T (a scratch directory,
# removed on exit, the working directory), pins redis-py 8 there (see
# test_cli.sh), and provides check DESC CMD... and finish NAME.
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
cd "$T" || exit 2
echo 'redis>=8.0' >requirements.txt
N=0
F=0
check() {
  local desc=$1
  shift
  N=$((N + 1))
  if ! "$@"; then F=$((F + 1)); echo "FAIL: ${SECTION:+[$SECTION] }$desc" >&2; fi
}
finish() {
  echo "$1: $N checks, $F failed"
  [ "$F" -eq 0 ]
}
