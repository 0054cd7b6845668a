// Placement of a suppression comment `# redislint: ignore[<slug>] -- <reason>`.
//
// The comment goes at the end of the finding's line, two spaces after the
// code. When that is not possible — the line already ends with a comment, ends
// inside a string or with a backslash continuation, or starts inside a string
// — it goes alone on the line above, with the same indentation as the line it
// precedes; when the finding's line continues an earlier line (backslash or
// multi-line string), "above" means above the first line of the statement.

import { EditData, Rng } from './types';

export const REASON_PLACEHOLDER = 'reason';

export function suppressionComment(slug: string): string {
  return `# redislint: ignore[${slug}] -- ${REASON_PLACEHOLDER}`;
}

type StringState = { quote: string; triple: boolean } | null;

interface LineScan {
  /** Offset of a `#` comment outside strings, or -1. */
  commentAt: number;
  /** The logical line goes on to the next physical line (backslash or open string). */
  continues: boolean;
  /** String state at the end of the line. */
  state: StringState;
}

/** Tokenizes one physical line of Python just enough to find strings and comments. */
export function scanLine(text: string, state: StringState): LineScan {
  let s = state;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (s) {
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (s.triple ? text.startsWith(s.quote.repeat(3), i) : c === s.quote) {
        i += s.triple ? 3 : 1;
        s = null;
        continue;
      }
      i++;
      continue;
    }
    if (c === '#') return { commentAt: i, continues: false, state: null };
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      s = { quote: c, triple };
      i += triple ? 3 : 1;
      continue;
    }
    i++;
  }
  const backslash = /\\$/.test(text);
  if (s && !s.triple) {
    // A one-line string only continues after a backslash; otherwise it is a
    // syntax error and the next line starts afresh.
    return { commentAt: -1, continues: backslash, state: backslash ? s : null };
  }
  return { commentAt: -1, continues: backslash || s !== null, state: s };
}

/** A suppression comment whose reason is still the placeholder. */
const PLACEHOLDER_COMMENT = /# redislint: ignore\[[^\]\r\n]*\] -- (reason)(?:\r?\n)?$/;

/**
 * Where the word `reason` of a suppression comment ends up once `edit` is
 * applied (the edit inserts the comment, e.g. a code action of the language
 * server), or null when the edit is not such an insertion.
 */
export function placeholderAfterEdit(edit: Pick<EditData, 'range' | 'newText'>): Rng | null {
  const m = PLACEHOLDER_COMMENT.exec(edit.newText);
  if (!m) return null;
  const at = m.index + m[0].indexOf(REASON_PLACEHOLDER, m[0].indexOf(' -- '));
  const before = edit.newText.slice(0, at);
  const breaks = before.split(/\r\n|\r|\n/);
  const line = edit.range.start.line + breaks.length - 1;
  const character = (breaks.length === 1 ? edit.range.start.character : 0) + breaks[breaks.length - 1].length;
  return { start: { line, character }, end: { line, character: character + REASON_PLACEHOLDER.length } };
}

function slugsIn(comment: string): string[] {
  const m = /redislint:\s*ignore\[([^\]]*)\]/.exec(comment);
  return m ? m[1].split(',').map((x) => x.trim()) : [];
}

export interface SuppressionPlan {
  edit: EditData;
  /** Where the word `reason` ends up once the edit is applied. */
  placeholder: Rng;
  placement: 'append' | 'above';
}

/**
 * The edit that suppresses `slug` on `line` (0-based) of `lines`, or null when
 * the line is already suppressed for that rule. `location` is copied into the
 * edit; `eol` is the document's line break.
 */
export function planSuppression(
  lines: readonly string[],
  line: number,
  slug: string,
  eol = '\n',
  location: string | null = null,
): SuppressionPlan | null {
  if (line < 0 || line >= lines.length) return null;
  const comment = suppressionComment(slug);
  const reasonAt = comment.lastIndexOf(REASON_PLACEHOLDER);

  // Scan from the top to know the state at each line start.
  let state: StringState = null;
  let continued = false;
  let statementStart = 0;
  for (let i = 0; i < line; i++) {
    if (!continued) statementStart = i;
    const scan = scanLine(lines[i], state);
    state = scan.state;
    continued = scan.continues;
  }
  if (!continued) statementStart = line;
  const text = lines[line];
  const scan = scanLine(text, state);

  if (scan.commentAt >= 0 && slugsIn(text.slice(scan.commentAt)).includes(slug)) return null;
  const above = statementStart > 0 ? lines[statementStart - 1] : undefined;
  if (above !== undefined && /^\s*#/.test(above) && slugsIn(above).includes(slug)) return null;

  const canAppend = !continued && scan.commentAt < 0 && !scan.continues;
  if (canAppend) {
    const code = text.replace(/\s+$/, '');
    const newText = (code.length > 0 ? '  ' : '') + comment;
    const at = code.length + newText.length - comment.length + reasonAt;
    return {
      placement: 'append',
      edit: {
        location,
        range: { start: { line, character: code.length }, end: { line, character: text.length } },
        newText,
      },
      placeholder: { start: { line, character: at }, end: { line, character: at + REASON_PLACEHOLDER.length } },
    };
  }
  const target = statementStart;
  const indent = /^[ \t]*/.exec(lines[target])![0];
  const at = indent.length + reasonAt;
  return {
    placement: 'above',
    edit: {
      location,
      range: { start: { line: target, character: 0 }, end: { line: target, character: 0 } },
      newText: indent + comment + eol,
    },
    placeholder: { start: { line: target, character: at }, end: { line: target, character: at + REASON_PLACEHOLDER.length } },
  };
}
