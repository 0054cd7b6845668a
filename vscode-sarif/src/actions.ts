// Code actions of the extension's own, as plain descriptors; extension.ts
// turns them into vscode.CodeAction objects. Fixes and fix-all come from the
// language server; these are for the results of SARIF files and of
// Lint workspace (suppress, rule documentation), and the documentation of the
// server's diagnostics.

import { DiagnosticData } from './types';

export interface ActionDescriptor {
  title: string;
  kind: 'quickfix';
  command: { id: string; title: string; args: unknown[] };
  /** The diagnostics the action resolves. */
  diagnostics: DiagnosticData[];
}

export const COMMAND_SUPPRESS = 'redislint.suppress';
export const COMMAND_SHOW_RULE = 'redislint.showRuleDocumentation';
/** Selects the word `reason` after the server's suppression action inserted its comment. */
export const COMMAND_SELECT_REASON = 'redislint.selectReason';

export interface QuickFixOptions {
  /** The document's URI, passed to the suppress command. */
  documentUri: string;
}

/** "Show rule documentation for RL310 (deprecated-command)". */
export function docsAction(ruleId: string, slug?: string): ActionDescriptor {
  return {
    title: `Show rule documentation for ${ruleId}${slug ? ` (${slug})` : ''}`,
    kind: 'quickfix',
    command: { id: COMMAND_SHOW_RULE, title: 'Show rule documentation', args: [ruleId] },
    diagnostics: [],
  };
}

/**
 * Quick fixes for diagnostics at the cursor that came from a SARIF log: one
 * "Suppress" per rule and line, then one "Show rule documentation" per rule.
 * No fixes: the text may have changed since the log was written.
 */
export function quickFixes(diags: readonly DiagnosticData[], opts: QuickFixOptions): ActionDescriptor[] {
  const out: ActionDescriptor[] = [];
  const seenSuppress = new Set<string>();
  for (const d of diags) {
    if (!d.ruleSlug) continue;
    const key = `${d.ruleSlug}@${d.range.start.line}`;
    if (seenSuppress.has(key)) continue;
    seenSuppress.add(key);
    out.push({
      title: `Suppress ${d.ruleId} on this line`,
      kind: 'quickfix',
      command: {
        id: COMMAND_SUPPRESS,
        title: `Suppress ${d.ruleId}`,
        args: [opts.documentUri, d.range.start.line, d.ruleSlug],
      },
      diagnostics: diags.filter((x) => x.ruleSlug === d.ruleSlug && x.range.start.line === d.range.start.line),
    });
  }
  const seenRule = new Set<string>();
  for (const d of diags) {
    if (seenRule.has(d.ruleId)) continue;
    seenRule.add(d.ruleId);
    out.push(docsAction(d.ruleId, d.ruleSlug));
  }
  return out;
}
