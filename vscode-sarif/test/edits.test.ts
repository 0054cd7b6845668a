import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, EditConflictError, editsConflict, fixIsConsistent, lineStarts, offsetAt, planFixAll } from '../src/edits';
import { END_OF_LINE } from '../src/sarif';
import { DiagnosticData, FixData, Rng } from '../src/types';

const r = (sl: number, sc: number, el: number, ec: number): Rng => ({
  start: { line: sl, character: sc },
  end: { line: el, character: ec },
});

describe('offsetAt', () => {
  const text = 'ab\r\ncdé😀\nlast';
  it('handles CRLF and LF line breaks', () => {
    assert.deepEqual(lineStarts(text), [0, 4, 10]);
    assert.equal(offsetAt(text, { line: 1, character: 0 }), 4);
    assert.equal(offsetAt(text, { line: 2, character: 2 }), 12);
  });
  it('counts UTF-16 code units, like VS Code', () => {
    assert.equal(text.slice(offsetAt(text, { line: 1, character: 3 }), offsetAt(text, { line: 1, character: 5 })), '😀');
  });
  it('clamps the character to the line content', () => {
    assert.equal(offsetAt(text, { line: 0, character: 99 }), 2);
    assert.equal(offsetAt(text, { line: 0, character: END_OF_LINE }), 2);
    assert.equal(offsetAt(text, { line: 9, character: 0 }), text.length);
  });
});

describe('applyEdits', () => {
  it('applies insertions, replacements and whole-line deletions', () => {
    const text = 'a = 1\nr.set("x", 1)\nr.expire("x", 10)\nend\n';
    const out = applyEdits(text, [
      { range: r(2, 0, 3, 0), newText: '' },
      { range: r(1, 12, 1, 12), newText: ', ex=10' },
      { range: r(0, 4, 0, 5), newText: '2' },
    ]);
    assert.equal(out, 'a = 2\nr.set("x", 1, ex=10)\nend\n');
  });
  it('keeps CRLF line breaks outside the edits', () => {
    assert.equal(applyEdits('x\r\ny\r\nz\r\n', [{ range: r(1, 0, 2, 0), newText: '' }]), 'x\r\nz\r\n');
  });
  it('refuses overlapping edits', () => {
    assert.throws(
      () =>
        applyEdits('abcdef', [
          { range: r(0, 0, 0, 3), newText: 'x' },
          { range: r(0, 2, 0, 4), newText: 'y' },
        ]),
      EditConflictError,
    );
  });
  it('applies two insertions at one point in the given order', () => {
    assert.equal(
      applyEdits('ab', [
        { range: r(0, 1, 0, 1), newText: '1' },
        { range: r(0, 1, 0, 1), newText: '2' },
      ]),
      'a12b',
    );
  });
});

describe('editsConflict', () => {
  it('detects overlap but not mere contact of replacements', () => {
    assert.equal(editsConflict(r(0, 0, 0, 3), r(0, 2, 0, 5)), true);
    assert.equal(editsConflict(r(0, 0, 0, 3), r(0, 3, 0, 5)), false);
    assert.equal(editsConflict(r(0, 0, 1, 0), r(1, 0, 1, 1)), false);
  });
  it('treats an insertion at the edge of another edit as a conflict', () => {
    assert.equal(editsConflict(r(0, 3, 0, 3), r(0, 3, 0, 5)), true);
    assert.equal(editsConflict(r(0, 5, 0, 5), r(0, 3, 0, 5)), true);
    assert.equal(editsConflict(r(0, 2, 0, 2), r(0, 2, 0, 2)), true);
    assert.equal(editsConflict(r(0, 2, 0, 2), r(0, 3, 0, 5)), false);
  });
});

function diag(fixes: FixData[]): DiagnosticData {
  return {
    location: '/f.py',
    rawUri: 'f.py',
    range: r(0, 0, 0, 1),
    severity: 'warning',
    message: 'm',
    ruleId: 'RL1',
    tags: [],
    related: [],
    fixes,
  };
}

const fix = (title: string, applicability: FixData['applicability'], ...ranges: Rng[]): FixData => ({
  title,
  applicability,
  edits: ranges.map((range) => ({ location: '/f.py', range, newText: title })),
});

describe('planFixAll', () => {
  it('takes safe fixes in document order and skips overlapping ones', () => {
    const a = fix('a', 'safe', r(2, 0, 2, 4));
    const b = fix('b', 'safe', r(0, 0, 0, 2), r(1, 0, 1, 1));
    const c = fix('c', 'safe', r(2, 2, 2, 6)); // overlaps a
    const u = fix('u', 'unsafe', r(5, 0, 5, 1));
    const plan = planFixAll([diag([a]), diag([c]), diag([b, u])], '/f.py');
    assert.deepEqual(plan.applied.map((f) => f.title), ['b', 'a']);
    assert.deepEqual(plan.skipped.map((f) => f.title), ['c']);
    assert.equal(plan.edits.length, 3);
  });
  it('leaves out fixes that touch other files or overlap themselves', () => {
    const other: FixData = { title: 'o', applicability: 'safe', edits: [{ location: '/g.py', range: r(0, 0, 0, 1), newText: '' }] };
    const broken = fix('x', 'safe', r(0, 0, 0, 4), r(0, 2, 0, 6));
    assert.equal(fixIsConsistent(broken), false);
    assert.deepEqual(planFixAll([diag([other, broken])], '/f.py').edits, []);
  });
});
