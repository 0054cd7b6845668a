// Text edits on plain strings: positions → offsets and applying a set of edits.

import { EditData, Pos } from './types';

/** Start offsets of each line of `text` (after `\n`, `\r\n` or `\r`). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Offset of a position; the character is clamped to the line's content,
 *  a line past the end gives the end of the text (as VS Code does). */
export function offsetAt(text: string, pos: Pos, starts: number[] = lineStarts(text)): number {
  if (pos.line < 0) return 0;
  if (pos.line >= starts.length) return text.length;
  const start = starts[pos.line];
  let end = pos.line + 1 < starts.length ? starts[pos.line + 1] : text.length;
  // The line's content stops before its line break.
  if (end > start && text.charCodeAt(end - 1) === 10) end--;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return start + Math.min(Math.max(0, pos.character), end - start);
}

/** Lines of `text` without their line breaks. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export class EditConflictError extends Error {}

/** Applies edits (all to the same text) and returns the new text. */
export function applyEdits(text: string, edits: ReadonlyArray<Pick<EditData, 'range' | 'newText'>>): string {
  const starts = lineStarts(text);
  const spans = edits
    .map((e, i) => ({ from: offsetAt(text, e.range.start, starts), to: offsetAt(text, e.range.end, starts), text: e.newText, i }))
    .sort((x, y) => x.from - y.from || x.to - y.to || x.i - y.i);
  for (let k = 1; k < spans.length; k++) {
    if (spans[k].from < spans[k - 1].to) throw new EditConflictError('overlapping edits');
  }
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.from) + s.text;
    at = Math.max(at, s.to);
  }
  return out + text.slice(at);
}
