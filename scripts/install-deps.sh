#!/usr/bin/env bash
# Installs what redislint needs to build and test, when it is missing.
# Debian/Ubuntu: apt-get (as root, or through sudo). Elsewhere: prints what to
# install and fails.
set -euo pipefail

PKGS=(build-essential cmake ninja-build pkg-config libtree-sitter-dev libcjson-dev
      libcmocka-dev nodejs npm python3 git)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
else
  cat >&2 <<'MSG'
redislint: this is not a Debian/Ubuntu system. Install by hand:
  a C11 compiler, CMake >= 3.18, pkg-config, the tree-sitter runtime (0.20.x, ABI 14),
  cJSON, cmocka, Node.js with npm (fetches the grammar, validates SARIF), python3.
  Fedora: dnf install gcc cmake ninja-build pkgconf libtree-sitter-devel cjson-devel libcmocka-devel nodejs npm python3
  macOS:  brew install cmake ninja pkg-config tree-sitter cjson cmocka node python
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
