// Code actions as plain descriptors; extension.ts turns them into
// vscode.CodeAction objects.

import { planFixAll } from './edits';
import { DiagnosticData, EditData } from './types';

export const FIX_ALL_TITLE = 'Fix all safe redislint problems';

export type ActionKind = 'quickfix' | 'source.fixAll.redislint';

export interface ActionDescriptor {
  title: string;
  kind: ActionKind;
  isPreferred?: boolean;
  edits?: EditData[];
  command?: { id: string; title: string; args: unknown[] };
  /** The diagnostics the action resolves. */
  diagnostics: DiagnosticData[];
}

export const COMMAND_SUPPRESS = 'redislint.suppress';
export const COMMAND_SHOW_RULE = 'redislint.showRuleDocumentation';

export interface QuickFixOptions {
  /** The fixes match the document's current text (same version). */
  fixesUsable: boolean;
  /** The document's URI, passed to the suppress command. */
  documentUri: string;
}

/**
 * Quick fixes for the diagnostics at the cursor: each diagnostic's fixes
 * (safe ones preferred, unsafe ones labelled), then one "Suppress" per rule
 * and line, then one "Show rule documentation" per rule.
 */
export function quickFixes(diags: readonly DiagnosticData[], opts: QuickFixOptions): ActionDescriptor[] {
  const out: ActionDescriptor[] = [];
  if (opts.fixesUsable) {
    for (const d of diags) {
      for (const f of d.fixes) {
        out.push({
          title: f.applicability === 'unsafe' ? `${f.title} (unsafe)` : f.title,
          kind: 'quickfix',
          isPreferred: f.applicability === 'safe',
          edits: f.edits,
          diagnostics: [d],
        });
      }
    }
  }
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
    out.push({
      title: `Show rule documentation for ${d.ruleId}${d.ruleSlug ? ` (${d.ruleSlug})` : ''}`,
      kind: 'quickfix',
      command: { id: COMMAND_SHOW_RULE, title: 'Show rule documentation', args: [d.ruleId] },
      diagnostics: [],
    });
  }
  return out;
}

/** The "fix all" action for one file, or null when no safe fix applies. */
export function fixAllAction(
  diags: readonly DiagnosticData[],
  location: string,
  kind: ActionKind = 'source.fixAll.redislint',
): ActionDescriptor | null {
  const plan = planFixAll(diags, location);
  if (plan.edits.length === 0) return null;
  return {
    title: FIX_ALL_TITLE,
    kind,
    edits: plan.edits,
    diagnostics: diags.filter((d) => d.fixes.some((f) => plan.applied.includes(f))),
  };
}
