import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { COMMAND_SHOW_RULE, COMMAND_SUPPRESS, docsAction, quickFixes } from '../src/actions';
import { ReviewStore, loadSarifText } from '../src/review';
import { convertLog, parseSarif } from '../src/sarif';
import { fixture } from './helpers';

const WS = path.resolve('/ws/project');
const X = path.join(WS, 'app', 'x.py');
const diags = () => convertLog(parseSarif(fixture('sample.sarif')), { roots: [WS] }).diagnostics;

describe('quickFixes (results of SARIF files and of Lint workspace)', () => {
  it('offers one suppress per rule and line, then the documentation of each rule, and no fix', () => {
    const [hmset, , big, unsafe] = diags();
    const actions = quickFixes([hmset, big, unsafe], { documentUri: 'file:///doc.py' });
    assert.deepEqual(
      actions.map((a) => a.title),
      [
        'Suppress RL310 on this line',
        'Suppress RL102 on this line',
        'Suppress RL310 on this line',
        'Show rule documentation for RL310 (deprecated-command)',
        'Show rule documentation for RL102 (oversized-hash-value)',
      ],
    );
    assert.deepEqual(actions[0].command, {
      id: COMMAND_SUPPRESS,
      title: 'Suppress RL310',
      args: ['file:///doc.py', 3, 'deprecated-command'],
    });
    assert.deepEqual(actions[0].diagnostics, [hmset]);
    assert.deepEqual(actions[3].command.args, ['RL310']);
    assert.equal(actions[3].command.id, COMMAND_SHOW_RULE);
    assert.ok(actions.every((a) => a.kind === 'quickfix' && !('edits' in a)));
  });

  it('gives the documentation action of a rule without a slug', () => {
    assert.deepEqual(docsAction('RL999'), {
      title: 'Show rule documentation for RL999',
      kind: 'quickfix',
      command: { id: COMMAND_SHOW_RULE, title: 'Show rule documentation', args: ['RL999'] },
      diagnostics: [],
    });
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
