import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { resolveArtifact } from '../src/uris';

const WS = path.resolve('/ws/project');
const WS2 = path.resolve('/ws/other');
const existing = (...paths: string[]) => {
  const set = new Set(paths.map((p) => path.resolve(p)));
  return (p: string) => set.has(path.resolve(p));
};

describe('resolveArtifact', () => {
  it('resolves %SRCROOT% to the workspace folder', () => {
    assert.equal(resolveArtifact({ uri: 'app/x.py', uriBaseId: '%SRCROOT%' }, { roots: [WS] }), path.join(WS, 'app', 'x.py'));
  });

  it('resolves a relative uri without base id against the workspace folder', () => {
    assert.equal(resolveArtifact({ uri: 'x.py' }, { roots: [WS] }), path.join(WS, 'x.py'));
  });

  it('decodes percent-escapes and normalizes dot segments', () => {
    assert.equal(resolveArtifact({ uri: 'app/./my%20file.py' }, { roots: [WS] }), path.join(WS, 'app', 'my file.py'));
  });

  it('maps an originalUriBaseIds directory of another machine to the workspace folder', () => {
    const opts = {
      roots: [WS],
      exists: existing(path.join(WS, 'app/x.py')),
      originalUriBaseIds: { '%SRCROOT%': { uri: 'file:///home/runner/work/project/' } },
    };
    assert.equal(resolveArtifact({ uri: 'app/x.py', uriBaseId: '%SRCROOT%' }, opts), path.join(WS, 'app', 'x.py'));
  });

  it('follows chained base ids', () => {
    const opts = {
      roots: [WS],
      originalUriBaseIds: {
        SRC: { uri: 'src/', uriBaseId: 'REPO' },
        REPO: { uri: 'file:///ci/checkout/' },
      },
    };
    assert.equal(resolveArtifact({ uri: 'pkg/a.py', uriBaseId: 'SRC' }, opts), path.join(WS, 'src', 'pkg', 'a.py'));
  });

  it('uses an originalUriBaseIds directory that exists on this machine', () => {
    const elsewhere = path.resolve('/data/checkout');
    const opts = {
      roots: [WS],
      exists: existing(elsewhere, path.join(elsewhere, 'a.py')),
      originalUriBaseIds: { ROOT: { uri: pathToFileURL(elsewhere).href + '/' } },
    };
    assert.equal(resolveArtifact({ uri: 'a.py', uriBaseId: 'ROOT' }, opts), path.join(elsewhere, 'a.py'));
  });

  it('keeps absolute file: URIs that exist', () => {
    const p = path.join(WS, 'app', 'x.py');
    assert.equal(resolveArtifact({ uri: pathToFileURL(p).href }, { roots: [WS], exists: existing(p) }), p);
    assert.equal(resolveArtifact({ uri: pathToFileURL(p).href }, { roots: [] }), p);
  });

  it('matches absolute URIs of another machine by their longest existing suffix', () => {
    const local = path.join(WS, 'app', 'x.py');
    const opts = { roots: [WS], exists: existing(local, path.join(WS, 'x.py')) };
    assert.equal(resolveArtifact({ uri: 'file:///home/runner/work/project/app/x.py' }, opts), local);
  });

  it('prefers the workspace folder where the file exists', () => {
    const opts = { roots: [WS, WS2], exists: existing(path.join(WS2, 'lib', 'b.py')) };
    assert.equal(resolveArtifact({ uri: 'lib/b.py', uriBaseId: '%SRCROOT%' }, opts), path.join(WS2, 'lib', 'b.py'));
    assert.equal(resolveArtifact({ uri: 'lib/c.py', uriBaseId: '%SRCROOT%' }, opts), path.join(WS, 'lib', 'c.py'));
  });

  it('reads locations given by artifact index', () => {
    const opts = { roots: [WS], artifacts: [{ location: { uri: 'i.py', uriBaseId: '%SRCROOT%' } }] };
    assert.equal(resolveArtifact({ index: 0 }, opts), path.join(WS, 'i.py'));
  });

  it('gives null for other schemes and missing uris', () => {
    assert.equal(resolveArtifact({ uri: 'https://example.org/a.py' }, { roots: [WS] }), null);
    assert.equal(resolveArtifact({}, { roots: [WS] }), null);
    assert.equal(resolveArtifact(undefined, { roots: [WS] }), null);
    assert.equal(resolveArtifact({ uri: 'a.py' }, { roots: [] }), null);
  });
});
