#!/usr/bin/env node
// Checks a .vsix (a zip file) built by `vsce package`:
// - it holds the manifest, README and compiled extension, and no tests or sources;
// - it holds every runtime dependency of package-lock.json (vscode-languageclient
//   and what it needs: the extension is not bundled) and no development one;
// - once extracted, the extension loads: every module it requires (other than
//   `vscode`, given by the fake of out/test/fake-vscode.js) comes from the package.
// Usage: node scripts/check-vsix.js FILE.vsix
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');

const file = process.argv[2];
const root = path.resolve(__dirname, '..');
const buf = fs.readFileSync(file);
const fail = (msg) => {
  console.error(`check-vsix: ${file}: ${msg}`);
  process.exit(1);
};

// ---- the central directory ---------------------------------------------------
if (buf.readUInt32LE(0) !== 0x04034b50) fail('not a zip file');
const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
if (eocd < 0) fail('no zip end-of-central-directory record');
const count = buf.readUInt16LE(eocd + 10);
let at = buf.readUInt32LE(eocd + 16);
const entries = [];
for (let i = 0; i < count; i++) {
  if (buf.readUInt32LE(at) !== 0x02014b50) fail('bad central directory entry');
  const method = buf.readUInt16LE(at + 10);
  const compressedSize = buf.readUInt32LE(at + 20);
  const nameLen = buf.readUInt16LE(at + 28);
  const extraLen = buf.readUInt16LE(at + 30);
  const commentLen = buf.readUInt16LE(at + 32);
  const localHeader = buf.readUInt32LE(at + 42);
  entries.push({ name: buf.toString('utf8', at + 46, at + 46 + nameLen), method, compressedSize, localHeader });
  at += 46 + nameLen + extraLen + commentLen;
}
const names = entries.map((e) => e.name);
const has = (n) => names.some((x) => x.toLowerCase() === n.toLowerCase());

for (const need of ['extension/package.json', 'extension/out/src/extension.js', 'extension/readme.md']) {
  if (!has(need)) fail(`lacks ${need} (has: ${names.join(', ')})`);
}
if (names.some((n) => n.startsWith('extension/out/test/') || n.startsWith('extension/src/') || n.startsWith('extension/scripts/'))) {
  fail('contains test, source or script files');
}

// ---- dependencies ------------------------------------------------------------
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const runtime = [];
const dev = [];
for (const [where, info] of Object.entries(lock.packages)) {
  if (!where.startsWith('node_modules/')) continue;
  (info.dev ? dev : runtime).push(where);
}
if (!runtime.includes('node_modules/vscode-languageclient')) fail('package-lock.json has no runtime vscode-languageclient');
for (const dep of runtime) {
  if (!has(`extension/${dep}/package.json`)) fail(`lacks the runtime dependency ${dep}`);
}
for (const dep of dev) {
  if (names.some((n) => n.startsWith(`extension/${dep}/`))) fail(`contains the development dependency ${dep}`);
}

// ---- extract, and load the extension from the package ------------------------
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislint-vsix-'));
try {
  for (const e of entries) {
    if (e.name.endsWith('/')) continue;
    const h = e.localHeader;
    if (buf.readUInt32LE(h) !== 0x04034b50) fail(`bad local header for ${e.name}`);
    const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
    const data = buf.subarray(start, start + e.compressedSize);
    const out = path.join(dir, ...e.name.split('/'));
    if (!out.startsWith(dir + path.sep)) fail(`entry outside the package: ${e.name}`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    if (e.method === 0) fs.writeFileSync(out, data);
    else if (e.method === 8) fs.writeFileSync(out, zlib.inflateRawSync(data));
    else fail(`${e.name}: compression method ${e.method}`);
  }
  const ext = path.join(dir, 'extension');
  const fake = require(path.join(root, 'out', 'test', 'fake-vscode.js'));
  const Module = require('node:module');
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? fake : load.call(this, request, ...rest);
  };
  const before = new Set(Object.keys(require.cache));
  const main = require(path.join(ext, JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8')).main));
  if (typeof main.activate !== 'function' || typeof main.deactivate !== 'function') fail('the extension exports no activate/deactivate');
  const loaded = Object.keys(require.cache).filter((m) => !before.has(m));
  const outside = loaded.filter((m) => !m.startsWith(ext + path.sep));
  if (outside.length > 0) fail(`the packaged extension loads modules from outside the package: ${outside.join(', ')}`);
  if (!loaded.some((m) => m.startsWith(path.join(ext, 'node_modules', 'vscode-languageclient') + path.sep))) {
    fail('the packaged extension did not load vscode-languageclient');
  }
  console.log(
    `${file}: zip with ${names.length} entries: extension/package.json, ${runtime.length} runtime dependencies; ` +
      `the extension loads ${loaded.length} modules, all from the package`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
