import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TextEdit } from 'vscode-languageclient/node';
import { answerConfiguration, editsOverlap, findFixAll, slugFromHref, textEditsFor } from '../src/lsp';
import { DEFAULTS, serverConfiguration } from '../src/settings';
import { placeholderAfterEdit } from '../src/suppress';

const e = (sl: number, sc: number, el: number, ec: number, newText = ''): TextEdit => ({
  range: { start: { line: sl, character: sc }, end: { line: el, character: ec } },
  newText,
});

describe('answerConfiguration', () => {
  const ours = (scope: string | undefined) => serverConfiguration({ ...DEFAULTS, select: [scope ?? 'none'] }, '/ws');
  it('answers section redislint per scope, keys of it, and passes other sections on', async () => {
    const asked: unknown[] = [];
    const answer = await answerConfiguration(
      [
        { section: 'redislint', scopeUri: 'file:///ws/a.py' },
        { section: 'editor' },
        { section: 'redislint.select' },
        { section: 'redislint.nope' },
        { section: 'python.analysis', scopeUri: 'file:///ws/a.py' },
      ],
      ours,
      async (items) => {
        asked.push(...items);
        return items.map((i) => `vscode:${i.section}`);
      },
    );
    assert.deepEqual(answer, [
      { ...serverConfiguration(DEFAULTS, '/ws'), select: ['file:///ws/a.py'] },
      'vscode:editor',
      ['none'],
      null,
      'vscode:python.analysis',
    ]);
    assert.deepEqual(asked, [{ section: 'editor' }, { section: 'python.analysis', scopeUri: 'file:///ws/a.py' }]);
  });
  it('does not ask VS Code when only redislint is asked for, and survives a failed answer', async () => {
    let calls = 0;
    const others = async () => {
      calls++;
      return 'error' as unknown as unknown[];
    };
    assert.equal((await answerConfiguration([{ section: 'redislint' }], ours, others)).length, 1);
    assert.equal(calls, 0);
    assert.deepEqual(await answerConfiguration([{ section: 'x' }], ours, others), [null]);
  });
});

describe('fix-all edits', () => {
  const uri = 'file:///ws/a.py';
  it('finds the fix-all action and its edits for the document', () => {
    const fixAll = { title: 'all', kind: 'source.fixAll.redislint', edit: { changes: { [uri]: [e(0, 0, 0, 1, 'x')], 'file:///other.py': [] } } };
    const action = findFixAll([{ title: 'cmd', command: 'x' }, { title: 'q', kind: 'quickfix', edit: { changes: {} } }, fixAll]);
    assert.equal(action, fixAll);
    assert.deepEqual(textEditsFor(action!.edit!, uri), { edits: [e(0, 0, 0, 1, 'x')], otherFiles: 1 });
    assert.equal(findFixAll(null), undefined);
    assert.equal(findFixAll([{ title: 'all', kind: 'source.fixAll.redislint' }]), undefined);
  });
  it('reads documentChanges too', () => {
    const edit = {
      documentChanges: [
        { textDocument: { uri, version: 3 }, edits: [e(1, 0, 1, 0, 'y')] },
        { kind: 'create' as const, uri: 'file:///new.py' },
      ],
    };
    assert.deepEqual(textEditsFor(edit, uri), { edits: [e(1, 0, 1, 0, 'y')], otherFiles: 1 });
  });
  it('tells overlapping edits from edits that only touch', () => {
    assert.equal(editsOverlap([e(0, 0, 0, 3), e(0, 2, 0, 5)]), true);
    assert.equal(editsOverlap([e(0, 3, 0, 5), e(0, 0, 0, 3)]), false);
    assert.equal(editsOverlap([e(0, 3, 0, 3), e(0, 3, 0, 5), e(0, 5, 0, 5), e(0, 5, 0, 5)]), false);
    assert.equal(editsOverlap([e(0, 0, 2, 0), e(1, 4, 1, 4)]), true);
    assert.equal(editsOverlap([e(0, 0, 5, 0), e(1, 0, 1, 1), e(3, 0, 3, 1)]), true);
    assert.equal(editsOverlap([]), false);
  });
});

describe('slugFromHref', () => {
  it('takes the file name of the rule page', () => {
    assert.equal(slugFromHref('https://github.com/redislint/redislint/blob/main/rules/deprecated-command.md'), 'deprecated-command');
    assert.equal(slugFromHref('https://example.org/rules/set-then-expire.md#fix'), 'set-then-expire');
    assert.equal(slugFromHref('https://example.org/rules/'), undefined);
    assert.equal(slugFromHref(undefined), undefined);
  });
});

describe('placeholderAfterEdit', () => {
  const comment = '# redislint: ignore[deprecated-command] -- reason';
  it("finds 'reason' in a comment inserted above a line", () => {
    assert.deepEqual(placeholderAfterEdit(e(4, 0, 4, 0, `    ${comment}\n`)), {
      start: { line: 4, character: 4 + comment.length - 6 },
      end: { line: 4, character: 4 + comment.length },
    });
    assert.deepEqual(placeholderAfterEdit(e(4, 0, 4, 0, `${comment}\r\n`))?.start, { line: 4, character: comment.length - 6 });
  });
  it("finds 'reason' in a comment appended to a line, or after a line break", () => {
    assert.deepEqual(placeholderAfterEdit(e(2, 10, 2, 12, `  ${comment}`))?.start, { line: 2, character: 12 + comment.length - 6 });
    assert.deepEqual(placeholderAfterEdit(e(2, 10, 2, 10, `\n  ${comment}`))?.start, { line: 3, character: 2 + comment.length - 6 });
  });
  it('ignores other edits', () => {
    assert.equal(placeholderAfterEdit(e(0, 0, 0, 5, 'hset')), null);
    assert.equal(placeholderAfterEdit(e(0, 0, 0, 0, '# redislint: ignore[x] -- legacy code\n')), null);
  });
});
