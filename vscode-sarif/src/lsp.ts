// Plain helpers for the language client (extension.ts wires them up): the
// answer to `workspace/configuration`, the text edits of a fix-all code
// action, and rule slugs from diagnostic links. Nothing here needs VS Code.

import type { CodeAction, Command, ConfigurationItem, TextEdit, WorkspaceEdit } from 'vscode-languageclient/node';
import { comparePos } from './types';
import { ServerConfiguration } from './settings';

export const SECTION = 'redislint';
export const FIX_ALL_KIND = 'source.fixAll.redislint';

/**
 * Answers the items of a `workspace/configuration` request: `redislint` gets
 * the whole configuration of the scope, `redislint.<key>` one value of it (null
 * for an unknown key), and other sections go to `others` (VS Code's own answer).
 */
export async function answerConfiguration(
  items: readonly ConfigurationItem[],
  ours: (scopeUri: string | undefined) => ServerConfiguration,
  others: (items: ConfigurationItem[]) => Promise<unknown[]>,
): Promise<unknown[]> {
  const result: unknown[] = new Array(items.length).fill(null);
  const rest: number[] = [];
  items.forEach((item, i) => {
    const section = item.section ?? '';
    const scope = item.scopeUri ?? undefined;
    if (section === SECTION) {
      result[i] = ours(scope);
    } else if (section.startsWith(`${SECTION}.`)) {
      const key = section.slice(SECTION.length + 1);
      const config = ours(scope) as unknown as Record<string, unknown>;
      result[i] = Object.prototype.hasOwnProperty.call(config, key) ? config[key] : null;
    } else {
      rest.push(i);
    }
  });
  if (rest.length > 0) {
    const answered = await others(rest.map((i) => items[i]));
    rest.forEach((i, k) => (result[i] = Array.isArray(answered) ? (answered[k] ?? null) : null));
  }
  return result;
}

/** The fix-all action among the answer to a `textDocument/codeAction` request. */
export function findFixAll(actions: ReadonlyArray<Command | CodeAction> | null | undefined): CodeAction | undefined {
  return (actions ?? []).find((a): a is CodeAction => 'kind' in a && a.kind === FIX_ALL_KIND && a.edit !== undefined);
}

/** The text edits of a workspace edit for one document (`changes` or `documentChanges`). */
export function textEditsFor(edit: WorkspaceEdit, uri: string): { edits: TextEdit[]; otherFiles: number } {
  const edits: TextEdit[] = [];
  let otherFiles = 0;
  for (const [u, list] of Object.entries(edit.changes ?? {})) {
    if (u === uri) edits.push(...list);
    else otherFiles++;
  }
  for (const change of edit.documentChanges ?? []) {
    if (!('textDocument' in change)) {
      otherFiles++; // create, rename or delete a file
      continue;
    }
    if (change.textDocument.uri === uri) edits.push(...change.edits.filter((e): e is TextEdit => 'range' in e && 'newText' in e));
    else otherFiles++;
  }
  return { edits, otherFiles };
}

/**
 * Whether two edits of the list overlap, which VS Code refuses to apply.
 * Edits that only touch (an insertion at the start or end of another edit,
 * two insertions at one position) do not overlap.
 */
export function editsOverlap(edits: readonly TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => comparePos(a.range.start, b.range.start) || comparePos(a.range.end, b.range.end));
  let end = sorted[0]?.range.end;
  for (let i = 1; i < sorted.length; i++) {
    if (comparePos(sorted[i].range.start, end) < 0) return true;
    if (comparePos(sorted[i].range.end, end) > 0) end = sorted[i].range.end;
  }
  return false;
}

/** `https://…/rules/deprecated-command.md` → `deprecated-command`. */
export function slugFromHref(href: string | undefined): string | undefined {
  const m = href ? /\/([A-Za-z0-9][A-Za-z0-9_-]*)\.md(?:[?#].*)?$/.exec(href) : null;
  return m ? m[1] : undefined;
}
