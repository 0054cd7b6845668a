// Plain data shared by the modules. Nothing here depends on the VS Code API:
// positions are 0-based lines and 0-based UTF-16 code unit offsets, exactly
// what vscode.Position uses, so extension.ts converts them one to one.

export interface Pos {
  line: number;
  character: number;
}

export interface Rng {
  start: Pos;
  end: Pos;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type Tag = 'deprecated' | 'unnecessary';

export type Applicability = 'safe' | 'unsafe' | 'display';

/** One text edit. `location` is an absolute file system path, or null when the
 *  SARIF location could not be resolved to a file of this machine. */
export interface EditData {
  location: string | null;
  range: Rng;
  newText: string;
}

export interface FixData {
  title: string;
  applicability: Applicability;
  edits: EditData[];
}

export interface RelatedData {
  location: string | null;
  range: Rng;
  message: string;
}

export interface DiagnosticData {
  /** Absolute path of the file the finding is in, or null if unresolved. */
  location: string | null;
  /** The SARIF uri as written, for messages about unresolved files. */
  rawUri: string;
  range: Rng;
  severity: Severity;
  message: string;
  ruleId: string;
  /** The rule's slug (`name` in the SARIF rule metadata), used by suppressions. */
  ruleSlug?: string;
  helpUri?: string;
  tags: Tag[];
  related: RelatedData[];
  /** Fixes that carry edits (safe or unsafe). */
  fixes: FixData[];
  /** Title of a display-only fix: shown in the message, never applied. */
  displayFix?: string;
  fingerprint?: string;
}

export function comparePos(a: Pos, b: Pos): number {
  return a.line - b.line || a.character - b.character;
}

export function rangesIntersect(a: Rng, b: Rng): boolean {
  // Touching ranges count: a cursor at the end of a finding still gets its actions.
  return comparePos(a.start, b.end) <= 0 && comparePos(b.start, a.end) <= 0;
}
