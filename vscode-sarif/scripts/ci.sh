#!/usr/bin/env bash
# CI for the VS Code extension: install, type-check and build, test (with the
# redislint binary named by $REDISLINT), package, and check the .vsix.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${REDISLINT:-}" ]; then
  [ -x "$REDISLINT" ] || { echo "ci.sh: REDISLINT=$REDISLINT is not an executable file" >&2; exit 1; }
  export REDISLINT
fi

echo "-- npm ci"
npm ci --no-audit --no-fund

echo "-- TypeScript build"
npm run --silent build

echo "-- tests"
npm test

echo "-- package"
version=$(node -p "require('./package.json').version")
vsix="redislint-${version}.vsix"
rm -f "$vsix"
npm run --silent package

echo "-- check $vsix"
[ -s "$vsix" ] || { echo "ci.sh: $vsix was not produced" >&2; exit 1; }
node - "$vsix" <<'JS'
// A .vsix is a zip: find extension/package.json in its central directory.
const fs = require('node:fs');
const file = process.argv[2];
const buf = fs.readFileSync(file);
if (buf.readUInt32LE(0) !== 0x04034b50) throw new Error(`${file} is not a zip file`);
const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
if (eocd < 0) throw new Error(`${file}: no zip end-of-central-directory record`);
const count = buf.readUInt16LE(eocd + 10);
let at = buf.readUInt32LE(eocd + 16);
const names = [];
for (let i = 0; i < count; i++) {
  if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry`);
  const nameLen = buf.readUInt16LE(at + 28);
  const extraLen = buf.readUInt16LE(at + 30);
  const commentLen = buf.readUInt16LE(at + 32);
  names.push(buf.toString('utf8', at + 46, at + 46 + nameLen));
  at += 46 + nameLen + extraLen + commentLen;
}
for (const need of ['extension/package.json', 'extension/out/src/extension.js', 'extension/readme.md']) {
  if (!names.some((n) => n.toLowerCase() === need)) throw new Error(`${file} lacks ${need} (has: ${names.join(', ')})`);
}
if (names.some((n) => n.startsWith('extension/out/test/') || n.startsWith('extension/src/'))) {
  throw new Error(`${file} contains test or source files`);
}
console.log(`${file}: zip with ${names.length} entries, including extension/package.json`);
JS
echo "-- vscode-sarif OK"
