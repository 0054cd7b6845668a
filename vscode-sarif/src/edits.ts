// Text edits on plain strings: positions → offsets, applying a set of edits,
// overlap tests and the selection of fixes for "fix all".

import { comparePos, DiagnosticData, EditData, FixData, Pos, Rng } from './types';

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

export function isEmpty(r: Rng): boolean {
  return comparePos(r.start, r.end) === 0;
}

/**
 * Whether two edits conflict. Ranges are half-open; two edits that only touch
 * do not conflict, except when an insertion sits at the very position of
 * another edit's start or end, where the order of the two would be ambiguous.
 */
export function editsConflict(a: Rng, b: Rng): boolean {
  if (comparePos(a.start, b.end) < 0 && comparePos(b.start, a.end) < 0) return true;
  if (isEmpty(a) || isEmpty(b)) {
    const [p, other] = isEmpty(a) ? [a.start, b] : [b.start, a];
    return comparePos(p, other.start) >= 0 && comparePos(p, other.end) <= 0;
  }
  return false;
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

/** A fix whose own edits overlap cannot be applied. */
export function fixIsConsistent(f: FixData): boolean {
  for (let i = 0; i < f.edits.length; i++) {
    for (let j = i + 1; j < f.edits.length; j++) {
      const a = f.edits[i].range;
      const b = f.edits[j].range;
      if (f.edits[i].location === f.edits[j].location && comparePos(a.start, b.end) < 0 && comparePos(b.start, a.end) < 0) {
        return false;
      }
    }
  }
  return true;
}

export interface FixAllPlan {
  edits: EditData[];
  applied: FixData[];
  /** Safe fixes left out because they overlap an earlier one. */
  skipped: FixData[];
}

/**
 * The safe fixes of the diagnostics of one file whose edits do not overlap,
 * in document order; a fix that overlaps an already chosen one is skipped
 * (a second pass of the linter will offer it again).
 */
export function planFixAll(diags: readonly DiagnosticData[], location: string): FixAllPlan {
  const candidates: FixData[] = [];
  for (const d of diags) {
    for (const f of d.fixes) {
      if (f.applicability !== 'safe' || f.edits.length === 0) continue;
      if (f.edits.some((e) => e.location !== location)) continue;
      if (!fixIsConsistent(f)) continue;
      candidates.push(f);
    }
  }
  const first = (f: FixData): Pos =>
    f.edits.reduce((m, e) => (comparePos(e.range.start, m) < 0 ? e.range.start : m), f.edits[0].range.start);
  candidates.sort((a, b) => comparePos(first(a), first(b)));
  const edits: EditData[] = [];
  const applied: FixData[] = [];
  const skipped: FixData[] = [];
  for (const f of candidates) {
    const clash = f.edits.some((e) => edits.some((x) => editsConflict(e.range, x.range)));
    if (clash) {
      skipped.push(f);
      continue;
    }
    applied.push(f);
    edits.push(...f.edits);
  }
  return { edits, applied, skipped };
}
