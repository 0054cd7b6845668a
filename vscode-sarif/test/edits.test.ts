import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, EditConflictError, lineStarts, offsetAt } from '../src/edits';
import { END_OF_LINE } from '../src/sarif';
import { Rng } from '../src/types';

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
