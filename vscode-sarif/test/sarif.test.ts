import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { convertLog, END_OF_LINE, groupByLocation, parseSarif, regionToRange, SarifError, tagsFor } from '../src/sarif';
import { fixture } from './helpers';

const WS = path.resolve('/ws/project');
const X = path.join(WS, 'app', 'x.py');
const Y = path.join(WS, 'app', 'y.py');

function sample() {
  return convertLog(parseSarif(fixture('sample.sarif')), { roots: [WS] });
}

describe('parseSarif', () => {
  it('rejects text that is not JSON', () => {
    assert.throws(() => parseSarif('{nope'), SarifError);
  });
  it('rejects JSON without runs', () => {
    assert.throws(() => parseSarif('{"version":"2.1.0"}'), /no "runs" array/);
  });
  it('rejects other SARIF versions', () => {
    assert.throws(() => parseSarif('{"version":"1.0.0","runs":[]}'), /unsupported SARIF version/);
  });
  it('accepts a byte order mark', () => {
    assert.deepEqual(parseSarif('\ufeff{"version":"2.1.0","runs":[]}').runs, []);
  });
});

describe('regionToRange', () => {
  it('turns 1-based inclusive-start, exclusive-end columns into 0-based positions', () => {
    assert.deepEqual(regionToRange({ startLine: 4, startColumn: 3, endLine: 4, endColumn: 8 }), {
      start: { line: 3, character: 2 },
      end: { line: 3, character: 7 },
    });
  });
  it('keeps a region that ends at column 1 of the next line', () => {
    assert.deepEqual(regionToRange({ startLine: 6, startColumn: 1, endLine: 7, endColumn: 1 }), {
      start: { line: 5, character: 0 },
      end: { line: 6, character: 0 },
    });
  });
  it('defaults: startColumn 1, endLine = startLine, endColumn = end of line', () => {
    assert.deepEqual(regionToRange({ startLine: 2 }), {
      start: { line: 1, character: 0 },
      end: { line: 1, character: END_OF_LINE },
    });
    assert.deepEqual(regionToRange(undefined), { start: { line: 0, character: 0 }, end: { line: 0, character: END_OF_LINE } });
  });
  it('converts code point columns when the log says unicodeCodePoints', () => {
    const line = 'r.hmset("k😀", {"a": 1})';
    // "{" is the 15th code point (column 15) but the 16th UTF-16 unit.
    const r = regionToRange(
      { startLine: 1, startColumn: 15, endColumn: 24 },
      { location: null, codePoints: true, lineText: () => line },
    );
    assert.equal(r.start.character, 15);
    assert.equal(line.slice(r.start.character, r.end.character), '{"a": 1})');
  });
});

describe('tagsFor', () => {
  it('maps deprecation and unused tags, nothing else', () => {
    assert.deepEqual(tagsFor(['commands', 'deprecation']), ['deprecated']);
    assert.deepEqual(tagsFor(['deprecated'], ['unused']), ['deprecated', 'unnecessary']);
    assert.deepEqual(tagsFor(['dead-code']), ['unnecessary']);
    assert.deepEqual(tagsFor(['performance', 'data-structures']), []);
    assert.deepEqual(tagsFor(undefined, 'deprecation'), []);
  });
});

describe('convertLog', () => {
  it('skips suppressed results and keeps the others in order', () => {
    const c = sample();
    assert.deepEqual(
      c.diagnostics.map((d) => d.message.split('\n')[0]),
      ['HMSET is deprecated', 'SET then EXPIRE on `x`', 'value of 120 bytes in field orders', 'unsafe one'],
    );
    assert.equal(c.unresolved, 0);
  });

  it('fills rule code, help link, severity, tags and source file', () => {
    const [hmset, setex, big] = sample().diagnostics;
    assert.equal(hmset.location, X);
    assert.equal(hmset.ruleId, 'RL310');
    assert.equal(hmset.ruleSlug, 'deprecated-command');
    assert.equal(hmset.helpUri, 'https://example.org/rules/deprecated-command.md');
    assert.equal(hmset.severity, 'information');
    assert.deepEqual(hmset.tags, ['deprecated']);
    assert.equal(hmset.fingerprint, '4f150fd8f36117fc');
    assert.deepEqual(hmset.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 24 } });
    // No level on the result: the rule's default level.
    assert.equal(setex.severity, 'warning');
    assert.equal(big.severity, 'error');
    assert.deepEqual(big.tags, ['unnecessary']);
    assert.equal(big.location, Y);
  });

  it('reads related locations with their messages', () => {
    const setex = sample().diagnostics[1];
    assert.deepEqual(setex.related, [
      { location: X, range: { start: { line: 5, character: 0 }, end: { line: 5, character: 17 } }, message: 'the separate expiry' },
    ]);
  });

  it('reads fixes with their applicability', () => {
    const [hmset, setex, big, unsafe] = sample().diagnostics;
    assert.equal(hmset.fixes.length, 1);
    assert.equal(hmset.fixes[0].applicability, 'safe');
    assert.equal(hmset.fixes[0].title, 'Use `r.hset(<key>, mapping=<dict>)`');
    assert.deepEqual(hmset.fixes[0].edits, [
      { location: X, range: { start: { line: 3, character: 2 }, end: { line: 3, character: 7 } }, newText: 'hset' },
      { location: X, range: { start: { line: 3, character: 15 }, end: { line: 3, character: 15 } }, newText: 'mapping=' },
    ]);
    assert.deepEqual(setex.fixes[0].edits[1], {
      location: X,
      range: { start: { line: 5, character: 0 }, end: { line: 6, character: 0 } },
      newText: '',
    });
    assert.equal(unsafe.fixes[0].applicability, 'unsafe');
    assert.equal(big.fixes.length, 0);
  });

  it('shows display-only fixes in the message, not as fixes', () => {
    const big = sample().diagnostics[2];
    assert.equal(big.displayFix, 'Move the value to its own key');
    assert.equal(big.message, 'value of 120 bytes in field orders\nSuggested change (not automatic): Move the value to its own key');
  });

  it('collects the rules with their documentation', () => {
    const c = sample();
    assert.equal(c.rules.get('RL202')?.helpMarkdown, '# RL202 `set-then-expire`');
    assert.equal(c.rules.get('RL310')?.slug, 'deprecated-command');
  });

  it('puts every result of a stdin run in the forced file', () => {
    const c = convertLog(parseSarif(fixture('sample.sarif')), { roots: [WS], forceLocation: '/elsewhere/doc.py' });
    assert.ok(c.diagnostics.every((d) => d.location === '/elsewhere/doc.py'));
    // Secondary locations naming the same artifact follow the primary one.
    assert.equal(c.diagnostics[1].related[0].location, '/elsewhere/doc.py');
    assert.equal(c.diagnostics[0].fixes[0].edits[0].location, '/elsewhere/doc.py');
  });

  it('finds the rule by id when ruleIndex disagrees', () => {
    const log = parseSarif(
      JSON.stringify({
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { rules: [{ id: 'A', name: 'a' }, { id: 'B', name: 'b' }] } },
            results: [{ ruleId: 'B', ruleIndex: 0, message: { text: 'm' }, locations: [] }],
          },
        ],
      }),
    );
    const [d] = convertLog(log, { roots: [WS] }).diagnostics;
    assert.equal(d.ruleSlug, 'b');
    assert.equal(d.location, null);
    assert.equal(d.severity, 'warning');
  });

  it('treats fixes without applicability as unsafe and reports notifications', () => {
    const log = parseSarif(
      JSON.stringify({
        version: '2.1.0',
        runs: [
          {
            invocations: [
              {
                executionSuccessful: false,
                toolExecutionNotifications: [{ level: 'error', message: { text: 'invalid UTF-8 at line 1' } }],
              },
            ],
            results: [
              {
                ruleId: 'Z1',
                message: { text: 'm' },
                locations: [{ physicalLocation: { artifactLocation: { uri: 'z.py' }, region: { startLine: 1 } } }],
                fixes: [
                  {
                    artifactChanges: [
                      { artifactLocation: { uri: 'z.py' }, replacements: [{ deletedRegion: { startLine: 1, startColumn: 1, endColumn: 2 } }] },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    const c = convertLog(log, { roots: [WS] });
    assert.equal(c.diagnostics[0].fixes[0].applicability, 'unsafe');
    assert.equal(c.diagnostics[0].fixes[0].title, 'Apply fix');
    assert.equal(c.diagnostics[0].fixes[0].edits[0].newText, '');
    assert.equal(c.diagnostics[0].location, path.join(WS, 'z.py'));
    assert.deepEqual(c.notifications, ['invalid UTF-8 at line 1']);
  });

  it('groups diagnostics by file', () => {
    const g = groupByLocation(sample().diagnostics);
    assert.deepEqual([...g.keys()], [X, Y]);
    assert.equal(g.get(X)?.length, 2);
  });
});
