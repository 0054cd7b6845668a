#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` from the build directory, its control
# fields (Depends computed by dpkg-shlibdeps: the package of every shared
# library the binary links, the tree-sitter runtime among them), its contents,
# then a real `dpkg -i` into a throwaway root with a dpkg database of its own,
# and the installed binary, man page and completions.
#
# The host's dpkg database is only read (dpkg-query): the throwaway database
# is seeded with the host's records of the packages Depends names, so dpkg
# checks the Depends (names and versions) against what is really installed
# while installing nowhere but the temporary directory. The test checks that
# the host's database is unchanged afterwards.
#
# Usage: test_deb.sh BUILD_DIR CPACK
# Exit 77 (skipped) only when dpkg or cpack do not exist (not a Debian system).
set -euo pipefail
build=$(cd "$1" && pwd)
cpack=${2:-}
skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

for tool in dpkg dpkg-deb dpkg-query; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool is not available (not a Debian system)"
done
if [ -z "$cpack" ] || [ ! -x "$cpack" ]; then skip "cpack is not available"; fi
for tool in dpkg-shlibdeps file readelf strings; do
  command -v "$tool" >/dev/null 2>&1 ||
    fail "$tool is missing (scripts/install-deps.sh --test installs dpkg-dev, file and binutils)"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -d "$tmp" ] || [ "$tmp" = / ]; then fail "no temporary directory"; fi
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
[ -n "$version" ] || fail "no CMAKE_PROJECT_VERSION in $build/CMakeCache.txt"

# --- build the package (outside the build directory) ---
if ! "$cpack" -G DEB -B "$tmp/pkg" --config "$build/CPackConfig.cmake" >"$tmp/cpack.log" 2>&1; then
  cat "$tmp/cpack.log" >&2
  fail "cpack -G DEB failed"
fi
debs=("$tmp"/pkg/*.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then fail "cpack made no single package: ${debs[*]}"; fi
deb=${debs[0]}

# --- control fields ---
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = redislint ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', the project's is $version"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture is '$(field Architecture)'"
[ "$(field Section)" = devel ] || fail "Section is '$(field Section)'"
[[ $(field Maintainer) =~ ^[^\<]+\ \<[^@\>]+@[^\>]+\>$ ]] || fail "Maintainer is '$(field Maintainer)'"
description=$(field Description)
[[ $(head -n1 <<<"$description") == *Redis* ]] || fail "Description's first line: '$description'"
[ "$(wc -l <<<"$description")" -ge 2 ] || fail "Description has no extended description"
depends=$(field Depends)
[ -n "$depends" ] || fail "no Depends (dpkg-shlibdeps did not run?)"
# the package names Depends lists, without versions, alternatives split
dep_names=$(sed -e 's/([^)]*)//g' -e 's/:any//' -e 's/[[:space:]]//g' <<<"${depends//[,|]/$'\n'}" | sed '/^$/d')
grep -q '^libtree-sitter' <<<"$dep_names" || fail "Depends does not list the tree-sitter runtime: $depends"
# every library the binary needs comes from a package Depends lists
dpkg-deb -x "$deb" "$tmp/x"
needed=$(readelf -d "$tmp/x/usr/bin/redislint" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || fail "readelf found no NEEDED libraries"
# LIB comes from a package Depends lists (HOW: how the binary needs it)
from_depends() {
  local lib=$1 how=$2 owners
  # "pkg:arch, pkg2: /path" lines; diversion lines are not owners
  owners=$(dpkg-query -S "*/$lib" 2>/dev/null | grep -v '^diversion ' | sed -n 's/: \/.*//p' |
           tr ',' '\n' | sed -e 's/:.*//' -e 's/[[:space:]]//g' | sort -u)
  [ -n "$owners" ] || fail "no installed package holds $lib ($how)"
  grep -qxF -f <(printf '%s\n' "$owners") <<<"$dep_names" ||
    fail "$lib ($how) comes from $(tr '\n' ' ' <<<"$owners")which Depends does not list: $depends"
}
while read -r lib; do from_depends "$lib" linked; done <<<"$needed"
# the libraries it loads on demand (src/dynlib.c: sonames kept as strings)
ondemand=$(strings -a "$tmp/x/usr/bin/redislint" | grep -xE 'lib[A-Za-z0-9_+-]+\.so\.[0-9.]+' | sort -u)
for lib in libgit2 libhiredis libssl libcrypto; do
  grep -q "^$lib\.so\." <<<"$ondemand" || fail "the binary names no $lib soname to load on demand"
done
while read -r lib; do from_depends "$lib" "loaded on demand"; done <<<"$ondemand"

# --- contents ---
dpkg-deb -c "$deb" | awk '{print $NF}' >"$tmp/contents"
for f in ./usr/bin/redislint ./usr/share/man/man1/redislint.1.gz \
         ./usr/share/bash-completion/completions/redislint \
         ./usr/share/zsh/vendor-completions/_redislint \
         ./usr/share/fish/vendor_completions.d/redislint.fish; do
  grep -qx -- "$f" "$tmp/contents" || fail "the package has no $f"
done

# --- dpkg -i into a throwaway root ---
root=$tmp/root
admin=$root/var/lib/dpkg
mkdir -p "$admin/info" "$admin/updates" "$admin/triggers"
: >"$admin/available"
# the host's records of the packages Depends names (read only), trimmed to
# what dependency checks use
while read -r name; do
  dpkg-query -s "$name" 2>/dev/null |
    awk '/^(Package|Status|Architecture|Multi-Arch|Version|Provides|Maintainer):/ {print}
         /^Description:/ {print} /^$/ {print}' || true
  echo
done <<<"$dep_names" >"$admin/status"
host_db=$(cat /var/lib/dpkg/status)
# --path-include: dpkg.cfg.d of minimal images may exclude manual pages
dpkg_root=(dpkg --root="$root" --admindir="$admin" --log="$tmp/dpkg.log" --force-not-root
           --path-include='/usr/share/man/*')
if ! "${dpkg_root[@]}" -i "$deb" >"$tmp/dpkg.out" 2>&1; then
  cat "$tmp/dpkg.out" >&2
  fail "dpkg -i into the throwaway root failed"
fi
[ "$(cat /var/lib/dpkg/status)" = "$host_db" ] || fail "the host's dpkg database changed"
[ "$(dpkg-query --admindir="$admin" -W -f='${Status} ${Version}' redislint)" = "install ok installed $version" ] ||
  fail "dpkg does not list redislint $version as installed in the throwaway root"

# --- the installed files ---
bin=$root/usr/bin/redislint
[ -x "$bin" ] || fail "no installed binary"
[ "$("$bin" --version)" = "redislint $version" ] || fail "--version printed '$("$bin" --version)'"
printf 'import redis\nr = redis.Redis(socket_timeout=5)\nr.keys("*")\n' >"$tmp/app.py"
set +e
"$bin" check -q "$tmp/app.py" >"$tmp/out.txt"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "installed binary exit $rc on a file with a finding"
grep -q 'RL301' "$tmp/out.txt" || fail "installed binary did not report RL301"

page=$root/usr/share/man/man1/redislint.1.gz
[ -f "$page" ] || fail "no installed man page"
gzip -t "$page" || fail "the man page is not gzip"
zcat "$page" | grep -q "redislint $version" || fail "the man page does not carry the version"
if command -v man >/dev/null 2>&1; then
  text=$(MANPATH=$root/usr/share/man MANWIDTH=80 man -P cat redislint 2>&1) || fail "man failed: $text"
  grep -q 'redislint - lint Redis usage' <<<"$text" || fail "man page has no NAME line"
fi
bash -n "$root/usr/share/bash-completion/completions/redislint" || fail "bash completion does not parse"
if command -v zsh >/dev/null 2>&1; then zsh -n "$root/usr/share/zsh/vendor-completions/_redislint"; fi
if command -v fish >/dev/null 2>&1; then fish -n "$root/usr/share/fish/vendor_completions.d/redislint.fish"; fi

# --- and removal leaves nothing behind ---
"${dpkg_root[@]}" --purge redislint >"$tmp/dpkg.out" 2>&1 || { cat "$tmp/dpkg.out" >&2; fail "dpkg --purge failed"; }
left=$(find "$root" -path "$admin" -prune -o -type f -print)
[ -z "$left" ] || fail "files left after purge: $left"
[ "$(cat /var/lib/dpkg/status)" = "$host_db" ] || fail "the host's dpkg database changed"
echo "deb: ok ($(basename "$deb"); Depends: $depends)"
