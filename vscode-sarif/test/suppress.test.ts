import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, splitLines } from '../src/edits';
import { planSuppression, scanLine, suppressionComment } from '../src/suppress';

function suppress(text: string, line: number, slug = 'deprecated-command', eol = '\n') {
  const plan = planSuppression(splitLines(text), line, slug, eol);
  if (!plan) return null;
  const out = applyEdits(text, [plan.edit]);
  const outLines = splitLines(out);
  const p = plan.placeholder;
  return { out, placement: plan.placement, placeholder: outLines[p.start.line].slice(p.start.character, p.end.character) };
}

describe('scanLine', () => {
  it('finds comments outside strings only', () => {
    assert.equal(scanLine('x = "#no" # yes', null).commentAt, 10);
    assert.equal(scanLine("x = '#' + \"'#\"", null).commentAt, -1);
    assert.equal(scanLine('x = "a\\"#b"', null).commentAt, -1);
  });
  it('tracks triple-quoted strings across lines and backslash continuations', () => {
    const s = scanLine('x = """start # not a comment', null);
    assert.equal(s.continues, true);
    assert.equal(scanLine('end""" # c', s.state).commentAt, 7);
    assert.equal(scanLine('x = 1 + \\', null).continues, true);
  });
});

describe('planSuppression', () => {
  it('appends the comment two spaces after the code', () => {
    const s = suppress('import redis\n    r.hmset("k😀", {"a": 1})   \nx = 1\n', 1);
    assert.equal(s?.placement, 'append');
    assert.equal(
      s?.out,
      'import redis\n    r.hmset("k😀", {"a": 1})  # redislint: ignore[deprecated-command] -- reason\nx = 1\n',
    );
    assert.equal(s?.placeholder, 'reason');
  });

  it('puts it on the line above when the line ends with a comment', () => {
    const s = suppress('def f():\n    r.hmset("k", {})  # keep\n', 1);
    assert.equal(s?.placement, 'above');
    assert.equal(s?.out, 'def f():\n    # redislint: ignore[deprecated-command] -- reason\n    r.hmset("k", {})  # keep\n');
    assert.equal(s?.placeholder, 'reason');
  });

  it('uses the document line break and tabs of the line', () => {
    const s = suppress('if x:\r\n\tr.setnx("k", 1)  # old\r\n', 1, 'deprecated-command', '\r\n');
    assert.equal(s?.out, 'if x:\r\n\t# redislint: ignore[deprecated-command] -- reason\r\n\tr.setnx("k", 1)  # old\r\n');
  });

  it('does not append after a backslash continuation', () => {
    const s = suppress('x = r.hmset("k", {}) + \\\n    1\n', 0);
    assert.equal(s?.placement, 'above');
    assert.equal(s?.out.split('\n')[0], suppressionComment('deprecated-command'));
  });

  it('goes above the first line of a statement continued by backslash', () => {
    const s = suppress('y = 0\nx = 1 + \\\n    r.getset("k", 1)  # c\n', 2);
    assert.equal(s?.out, 'y = 0\n# redislint: ignore[deprecated-command] -- reason\nx = 1 + \\\n    r.getset("k", 1)  # c\n');
  });

  it('does not append inside a multi-line string', () => {
    const s = suppress('r.set("k", """a\nb""")\n', 0);
    assert.equal(s?.placement, 'above');
    assert.equal(s?.out, '# redislint: ignore[deprecated-command] -- reason\nr.set("k", """a\nb""")\n');
  });

  it('appends after an open bracket (a comment is valid there)', () => {
    const s = suppress('r.hmset(\n    "k", {})\n', 0);
    assert.equal(s?.out, 'r.hmset(  # redislint: ignore[deprecated-command] -- reason\n    "k", {})\n');
  });

  it('returns null when the rule is already suppressed', () => {
    assert.equal(suppress('r.hmset("k", {})  # redislint: ignore[deprecated-command] -- legacy\n', 0), null);
    assert.equal(suppress('# redislint: ignore[x, deprecated-command] -- legacy\nr.hmset("k", {})\n', 1), null);
    assert.notEqual(suppress('r.hmset("k", {})  # redislint: ignore[other] -- legacy\n', 0), null);
  });

  it('returns null for a line outside the text', () => {
    assert.equal(planSuppression(['a'], 3, 's'), null);
  });
});
