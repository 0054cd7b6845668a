import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { COMMAND_SHOW_RULE, COMMAND_SUPPRESS, FIX_ALL_TITLE, fixAllAction, quickFixes } from '../src/actions';
import { applyEdits } from '../src/edits';
import { ReviewStore, loadSarifText } from '../src/review';
import { convertLog, parseSarif } from '../src/sarif';
import { fixture } from './helpers';

const WS = path.resolve('/ws/project');
const X = path.join(WS, 'app', 'x.py');
const diags = () => convertLog(parseSarif(fixture('sample.sarif')), { roots: [WS] }).diagnostics;

describe('quickFixes', () => {
  it('offers safe fixes as preferred, labels unsafe ones, then suppress and docs', () => {
    const [hmset, , big, unsafe] = diags();
    const actions = quickFixes([hmset, big, unsafe], { fixesUsable: true, documentUri: 'file:///doc.py' });
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred ?? false]),
      [
        ['Use `r.hset(<key>, mapping=<dict>)`', true],
        ['Rewrite (unsafe)', false],
        ['Suppress RL310 on this line', false],
        ['Suppress RL102 on this line', false],
        ['Suppress RL310 on this line', false],
        ['Show rule documentation for RL310 (deprecated-command)', false],
        ['Show rule documentation for RL102 (oversized-hash-value)', false],
      ],
    );
    assert.deepEqual(actions[2].command, {
      id: COMMAND_SUPPRESS,
      title: 'Suppress RL310',
      args: ['file:///doc.py', 3, 'deprecated-command'],
    });
    assert.deepEqual(actions[5].command?.args, ['RL310']);
    assert.equal(actions[5].command?.id, COMMAND_SHOW_RULE);
    assert.deepEqual(actions[0].diagnostics, [hmset]);
  });

  it('offers no fix from results of an older version of the text', () => {
    const [hmset] = diags();
    const titles = quickFixes([hmset], { fixesUsable: false, documentUri: 'u' }).map((a) => a.title);
    assert.deepEqual(titles, ['Suppress RL310 on this line', 'Show rule documentation for RL310 (deprecated-command)']);
  });

  it('never turns a display-only fix into an action', () => {
    const big = diags()[2];
    assert.ok(quickFixes([big], { fixesUsable: true, documentUri: 'u' }).every((a) => !a.edits));
  });
});

describe('fixAllAction', () => {
  it('applies every safe fix of the file at once', () => {
    const text = 'import redis\n\nr = redis.Redis()\nr.hmset("k😀", {"a": 1})\nx = "café"; r.set("x", 1)\nr.expire("x", 10)\n';
    const a = fixAllAction(diags(), X);
    assert.equal(a?.title, FIX_ALL_TITLE);
    assert.equal(a?.kind, 'source.fixAll.redislint');
    assert.equal(a?.diagnostics.length, 2);
    assert.equal(
      applyEdits(text, a!.edits!),
      'import redis\n\nr = redis.Redis()\nr.hset("k😀", mapping={"a": 1})\nx = "café"; r.set("x", 1, ex=10)\n',
    );
  });
  it('is null when there is nothing safe to apply', () => {
    assert.equal(fixAllAction(diags(), path.join(WS, 'app', 'y.py')), null);
  });
});

describe('ReviewStore', () => {
  it('merges logs, drops duplicates and forgets a removed log', () => {
    const text = fixture('sample.sarif');
    const a = loadSarifText(text, { roots: [WS] });
    assert.equal(a.diagnostics.length, 4);
    const store = new ReviewStore();
    store.set('ci-1.sarif', a.diagnostics);
    store.set('ci-2.sarif', loadSarifText(text, { roots: [WS] }).diagnostics);
    const merged = store.byLocation();
    assert.equal(merged.get(X)?.length, 2);
    assert.equal(merged.get(path.join(WS, 'app', 'y.py'))?.length, 2);
    assert.deepEqual([...store.locationsOf('ci-1.sarif')].sort(), [X, path.join(WS, 'app', 'y.py')]);
    store.delete('ci-1.sarif');
    assert.equal(store.byLocation().get(X)?.length, 2);
    store.clear();
    assert.equal(store.byLocation().size, 0);
  });
  it('counts results whose file is unknown and leaves them out', () => {
    const log = JSON.stringify({
      version: '2.1.0',
      runs: [{ results: [{ ruleId: 'RL1', message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'https://x/y.py' } } }] }] }],
    });
    const l = loadSarifText(log, { roots: [WS] });
    assert.equal(l.diagnostics.length, 0);
    assert.equal(l.unresolved, 1);
  });
});
