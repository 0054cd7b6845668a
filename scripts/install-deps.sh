#!/usr/bin/env bash
# Installs what redislint needs to build and test, when it is missing.
# Debian/Ubuntu: apt-get (as root, or through sudo). Elsewhere: prints what to
# install and fails.
set -euo pipefail

# package:how to tell it is already there (a command, a pkg-config module, or
# a python3 module).
# Tools found on PATH count even when they did not come from a Debian package
# (e.g. Node.js from nodesource or nvm).
PKGS=(build-essential:cmd:cc cmake:cmd:cmake ninja-build:cmd:ninja pkg-config:cmd:pkg-config
      libtree-sitter-dev:pc:tree-sitter libcjson-dev:pc:libcjson libcmocka-dev:pc:cmocka
      libgit2-dev:pc:libgit2 libtomlplusplus-dev:pc:tomlplusplus libhiredis-dev:pc:hiredis libssl-dev:pc:openssl libxxhash-dev:pc:libxxhash g++:cmd:g++
      nodejs:cmd:node npm:cmd:npm python3:cmd:python3 git:cmd:git
      dpkg-dev:cmd:dpkg-shlibdeps file:cmd:file) # `cpack -G DEB`: Depends by dpkg-shlibdeps
# --test: also what only the test suite needs (the pre-commit integration test,
# the man page check of the install test, the headless Neovim LSP client test,
# readelf for the .deb test, PyYAML for the GitHub Action test, zsh and fish
# to check the completion scripts, a real Redis server and redis-cli for the
# audit tests, and the openssl command that makes their throwaway TLS CA and
# certificates).
if [ "${1:-}" = "--test" ]; then
  PKGS+=(pre-commit:cmd:pre-commit man-db:cmd:man neovim:cmd:nvim binutils:cmd:readelf
         python3-yaml:py:yaml zsh:cmd:zsh fish:cmd:fish
         redis-server:cmd:redis-server redis-tools:cmd:redis-cli openssl:cmd:openssl
         chromium:cmd:chromium) # the audit's HTML report in headless Chromium
fi

present() { # kind name
  case $1 in
    cmd) command -v "$2" >/dev/null 2>&1 ;;
    pc) command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$2" ;;
    py) command -v python3 >/dev/null 2>&1 && python3 -c "import $2" 2>/dev/null ;;
  esac
}

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for entry in "${PKGS[@]}"; do
    IFS=: read -r pkg kind name <<<"$entry"
    present "$kind" "$name" || missing+=("$pkg")
  done
else
  cat >&2 <<'MSG'
redislint: this is not a Debian/Ubuntu system. Install by hand:
  a C11 compiler, CMake >= 3.18, pkg-config, the tree-sitter runtime (0.20.x, ABI 14),
  cJSON, cmocka, libgit2, hiredis, OpenSSL, xxHash, toml++ (with a C++17 compiler), Node.js with npm (fetches the grammar, validates SARIF), python3.
  Fedora: dnf install gcc gcc-c++ cmake ninja-build pkgconf libtree-sitter-devel cjson-devel libcmocka-devel libgit2-devel hiredis-devel openssl-devel xxhash-devel tomlplusplus-devel nodejs npm python3
  macOS:  brew install cmake ninja pkg-config tree-sitter cjson cmocka libgit2 hiredis openssl@3 xxhash tomlplusplus node python
(Newer tree-sitter runtimes accept the pinned ABI-14 grammar too.)
MSG
  exit 1
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "redislint: installing ${missing[*]}" >&2
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "redislint: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
