// SARIF 2.1.0 log → plain diagnostic data (see types.ts).
//
// Regions: SARIF lines and columns are 1-based, endColumn is exclusive; VS Code
// positions are 0-based. Columns are UTF-16 code units (`columnKind`
// `utf16CodeUnits`, what redislint writes), the unit of VS Code positions too.
// For `unicodeCodePoints` logs the columns are converted when the line text is
// known. A missing startColumn means 1, a missing endLine the start line and a
// missing endColumn the end of the end line.

import { ArtifactLocation, ResolveOptions, resolveArtifact } from './uris';
import {
  Applicability,
  DiagnosticData,
  EditData,
  FixData,
  RelatedData,
  Rng,
  Severity,
  Tag,
} from './types';

// ---- the subset of SARIF that is read -------------------------------------

export interface SarifRegion {
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

export interface SarifPhysicalLocation {
  artifactLocation?: ArtifactLocation;
  region?: SarifRegion;
}

export interface SarifLocation {
  id?: number;
  physicalLocation?: SarifPhysicalLocation;
  message?: SarifMessage;
}

export interface SarifMessage {
  text?: string;
  markdown?: string;
  id?: string;
  arguments?: string[];
}

export interface SarifReplacement {
  deletedRegion?: SarifRegion;
  insertedContent?: { text?: string };
}

export interface SarifFix {
  description?: SarifMessage;
  artifactChanges?: Array<{ artifactLocation?: ArtifactLocation; replacements?: SarifReplacement[] }>;
  properties?: Record<string, unknown>;
}

export interface SarifRule {
  id?: string;
  name?: string;
  shortDescription?: SarifMessage;
  fullDescription?: SarifMessage;
  help?: SarifMessage;
  helpUri?: string;
  messageStrings?: Record<string, SarifMessage>;
  defaultConfiguration?: { level?: string; enabled?: boolean };
  properties?: Record<string, unknown>;
}

export interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  rule?: { id?: string; index?: number };
  kind?: string;
  level?: string;
  message?: SarifMessage;
  locations?: SarifLocation[];
  relatedLocations?: SarifLocation[];
  partialFingerprints?: Record<string, string>;
  fixes?: SarifFix[];
  suppressions?: Array<{ status?: string; kind?: string }>;
  baselineState?: string;
  properties?: Record<string, unknown>;
}

export interface SarifRun {
  tool?: { driver?: { name?: string; rules?: SarifRule[] } };
  results?: SarifResult[];
  originalUriBaseIds?: Record<string, ArtifactLocation>;
  artifacts?: Array<{ location?: ArtifactLocation }>;
  columnKind?: string;
  invocations?: Array<{
    executionSuccessful?: boolean;
    toolExecutionNotifications?: Array<{ level?: string; message?: SarifMessage }>;
  }>;
}

export interface SarifLog {
  version?: string;
  runs: SarifRun[];
}

export class SarifError extends Error {}

/** Parses and checks the outer shape of a SARIF log. */
export function parseSarif(text: string): SarifLog {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new SarifError(`not JSON: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || !Array.isArray((data as SarifLog).runs)) {
    throw new SarifError('not a SARIF log (no "runs" array)');
  }
  const log = data as SarifLog;
  if (log.version !== undefined && log.version !== '2.1.0') {
    throw new SarifError(`unsupported SARIF version ${JSON.stringify(log.version)} (2.1.0 is read)`);
  }
  return log;
}

// ---- regions ----------------------------------------------------------------

/** Column past any line end: clamped by applyEdits and by VS Code. */
export const END_OF_LINE = Number.MAX_SAFE_INTEGER;

export type LineText = (location: string | null, line: number) => string | undefined;

function int(v: unknown, dflt: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : dflt;
}

/** Code point column (0-based) → UTF-16 offset in `text`. */
function codePointsToUtf16(text: string, cp: number): number {
  let off = 0;
  for (let i = 0; i < cp && off < text.length; i++) {
    const c = text.charCodeAt(off);
    off += c >= 0xd800 && c <= 0xdbff && off + 1 < text.length ? 2 : 1;
  }
  return off + Math.max(0, cp - countCodePoints(text));
}

function countCodePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export interface RegionContext {
  location: string | null;
  codePoints: boolean;
  lineText?: LineText;
}

export function regionToRange(region: SarifRegion | undefined, ctx?: RegionContext): Rng {
  const r = region ?? {};
  const startLine = int(r.startLine, 1) - 1;
  const endLine = Math.max(startLine, int(r.endLine, startLine + 1) - 1);
  let startChar = int(r.startColumn, 1) - 1;
  let endChar = r.endColumn === undefined ? END_OF_LINE : int(r.endColumn, 1) - 1;
  if (ctx?.codePoints && ctx.lineText) {
    const sl = ctx.lineText(ctx.location, startLine);
    if (sl !== undefined) startChar = codePointsToUtf16(sl, startChar);
    if (endChar !== END_OF_LINE) {
      const el = ctx.lineText(ctx.location, endLine);
      if (el !== undefined) endChar = codePointsToUtf16(el, endChar);
    }
  }
  if (endLine === startLine && endChar < startChar) endChar = startChar;
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

// ---- results ---------------------------------------------------------------

export interface ConvertOptions extends Omit<ResolveOptions, 'originalUriBaseIds' | 'artifacts'> {
  /** Text of a line of a file, for `unicodeCodePoints` logs. */
  lineText?: LineText;
  /** Every result of the log belongs to this file (a run on stdin). */
  forceLocation?: string;
}

export interface RuleInfo {
  id: string;
  slug?: string;
  helpUri?: string;
  helpMarkdown?: string;
}

export interface Converted {
  diagnostics: DiagnosticData[];
  /** Results whose file was not found on this machine. */
  unresolved: number;
  rules: Map<string, RuleInfo>;
  /** Error and warning notifications of the tool's invocations. */
  notifications: string[];
}

function severityOf(level: string | undefined): Severity {
  switch (level) {
    case 'error':
      return 'error';
    case 'note':
      return 'information';
    case 'none':
      return 'hint';
    default:
      return 'warning';
  }
}

/**
 * Diagnostic tags from the rule's (and the result's) `properties.tags`:
 * `deprecation`/`deprecated` → Deprecated; `unnecessary`/`unused`/`dead-code`
 * → Unnecessary. Nothing else is tagged.
 */
export function tagsFor(...tagLists: unknown[]): Tag[] {
  const out = new Set<Tag>();
  for (const list of tagLists) {
    if (!Array.isArray(list)) continue;
    for (const t of list) {
      const s = String(t).toLowerCase();
      if (s === 'deprecation' || s === 'deprecated') out.add('deprecated');
      if (s === 'unnecessary' || s === 'unused' || s === 'dead-code') out.add('unnecessary');
    }
  }
  return [...out].sort();
}

function formatMessage(msg: SarifMessage | undefined, rule: SarifRule | undefined): string {
  if (!msg) return rule?.shortDescription?.text ?? '';
  let text = msg.text;
  if (text === undefined && msg.id && rule?.messageStrings?.[msg.id]) {
    text = rule.messageStrings[msg.id].text;
  }
  if (text === undefined) text = msg.markdown ?? rule?.shortDescription?.text ?? '';
  const args = msg.arguments ?? [];
  return text.replace(/\{(\d+)\}/g, (m, n) => (Number(n) < args.length ? String(args[Number(n)]) : m));
}

function isSuppressed(r: SarifResult): boolean {
  if (r.baselineState === 'absent') return true;
  if (r.kind === 'pass' || r.kind === 'notApplicable') return true;
  return (r.suppressions ?? []).some((s) => s.status !== 'rejected' && s.status !== 'underReview');
}

function ruleFor(run: SarifRun, r: SarifResult): SarifRule | undefined {
  const rules = run.tool?.driver?.rules ?? [];
  const idx = r.rule?.index ?? r.ruleIndex;
  const id = r.ruleId ?? r.rule?.id;
  if (idx !== undefined && idx >= 0 && idx < rules.length) {
    const byIndex = rules[idx];
    if (!id || byIndex.id === id) return byIndex;
  }
  return id ? rules.find((x) => x.id === id) : undefined;
}

function applicabilityOf(v: unknown): Applicability | undefined {
  return v === 'safe' || v === 'unsafe' || v === 'display' ? v : undefined;
}

export function convertLog(log: SarifLog, opts: ConvertOptions): Converted {
  const diagnostics: DiagnosticData[] = [];
  const rules = new Map<string, RuleInfo>();
  const notifications: string[] = [];
  let unresolved = 0;

  for (const run of log.runs ?? []) {
    const resolveOpts: ResolveOptions = {
      roots: opts.roots,
      exists: opts.exists,
      originalUriBaseIds: run.originalUriBaseIds,
      artifacts: run.artifacts,
    };
    const codePoints = run.columnKind === 'unicodeCodePoints';
    const resolve = (loc: ArtifactLocation | undefined): string | null =>
      opts.forceLocation ?? resolveArtifact(loc, resolveOpts);
    // Related locations and fix edits of a stdin run name the stdin file too;
    // anything else is resolved normally.
    const resolveSecondary = (loc: ArtifactLocation | undefined, primaryUri: string | undefined): string | null =>
      opts.forceLocation && loc?.uri === primaryUri ? opts.forceLocation : resolveArtifact(loc, resolveOpts);
    const rangeOf = (region: SarifRegion | undefined, location: string | null): Rng =>
      regionToRange(region, { location, codePoints, lineText: opts.lineText });

    for (const rule of run.tool?.driver?.rules ?? []) {
      if (!rule.id) continue;
      rules.set(rule.id, {
        id: rule.id,
        slug: rule.name,
        helpUri: rule.helpUri,
        helpMarkdown: rule.help?.markdown ?? rule.help?.text,
      });
    }
    for (const inv of run.invocations ?? []) {
      for (const n of inv.toolExecutionNotifications ?? []) {
        if (n.level === 'error' || n.level === 'warning') notifications.push(formatMessage(n.message, undefined));
      }
    }

    for (const r of run.results ?? []) {
      if (isSuppressed(r)) continue;
      const rule = ruleFor(run, r);
      const ruleId = r.ruleId ?? r.rule?.id ?? rule?.id ?? 'redislint';
      const primary = r.locations?.[0]?.physicalLocation;
      const primaryUri = primary?.artifactLocation?.uri;
      const location = resolve(primary?.artifactLocation);
      if (!location) unresolved++;

      const related: RelatedData[] = [];
      for (const rl of r.relatedLocations ?? []) {
        const pl = rl.physicalLocation;
        if (!pl) continue;
        const loc = resolveSecondary(pl.artifactLocation, primaryUri);
        related.push({ location: loc, range: rangeOf(pl.region, loc), message: formatMessage(rl.message, undefined) });
      }

      const props = r.properties ?? {};
      const resultApplicability = applicabilityOf(props.fixApplicability);
      const fixes: FixData[] = [];
      let displayFix: string | undefined;
      for (const f of r.fixes ?? []) {
        const title = f.description?.text ?? (typeof props.fixTitle === 'string' ? props.fixTitle : 'Apply fix');
        // Unknown producers: an unlabelled fix is never applied automatically.
        const applicability = applicabilityOf(f.properties?.applicability) ?? resultApplicability ?? 'unsafe';
        const edits: EditData[] = [];
        for (const ch of f.artifactChanges ?? []) {
          const loc = resolveSecondary(ch.artifactLocation, primaryUri);
          for (const rep of ch.replacements ?? []) {
            edits.push({ location: loc, range: rangeOf(rep.deletedRegion, loc), newText: rep.insertedContent?.text ?? '' });
          }
        }
        if (applicability === 'display' || edits.length === 0) {
          displayFix = displayFix ?? title;
        } else {
          fixes.push({ title, applicability, edits });
        }
      }
      if (fixes.length === 0 && !displayFix && resultApplicability === 'display' && typeof props.fixTitle === 'string') {
        displayFix = props.fixTitle;
      }

      let message = formatMessage(r.message, rule);
      if (displayFix) message += `\nSuggested change (not automatic): ${displayFix}`;

      const fingerprints = r.partialFingerprints ?? {};
      diagnostics.push({
        location,
        rawUri: primaryUri ?? '',
        range: rangeOf(primary?.region, location),
        severity: severityOf(r.level ?? rule?.defaultConfiguration?.level),
        message,
        ruleId,
        ruleSlug: rule?.name,
        helpUri: rule?.helpUri,
        tags: tagsFor(rule?.properties?.tags, props.tags),
        related,
        fixes,
        displayFix,
        fingerprint: fingerprints['redislint/v1'] ?? Object.values(fingerprints)[0],
      });
    }
  }
  return { diagnostics, unresolved, rules, notifications };
}

/** Groups diagnostics by file path (unresolved ones are left out). */
export function groupByLocation(diags: readonly DiagnosticData[]): Map<string, DiagnosticData[]> {
  const out = new Map<string, DiagnosticData[]>();
  for (const d of diags) {
    if (!d.location) continue;
    const list = out.get(d.location);
    if (list) list.push(d);
    else out.set(d.location, [d]);
  }
  return out;
}
