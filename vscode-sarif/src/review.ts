// Results of SARIF files loaded for code review (a CI artifact, the files of
// the `redislint.sarifFolder` folder), kept per source file and merged per
// target file. Running nothing, this works in untrusted workspaces too.

import { convertLog, ConvertOptions, parseSarif, RuleInfo } from './sarif';
import { DiagnosticData } from './types';

export interface LoadedSarif {
  diagnostics: DiagnosticData[];
  unresolved: number;
  rules: Map<string, RuleInfo>;
}

/** Parses a SARIF text and resolves its results against the workspace. */
export function loadSarifText(text: string, opts: ConvertOptions): LoadedSarif {
  const c = convertLog(parseSarif(text), opts);
  return { diagnostics: c.diagnostics.filter((d) => d.location !== null), unresolved: c.unresolved, rules: c.rules };
}

function identity(d: DiagnosticData): string {
  const r = d.range;
  return [d.location, d.ruleId, r.start.line, r.start.character, r.end.line, r.end.character, d.message].join('\u0000');
}

export class ReviewStore {
  private readonly sources = new Map<string, DiagnosticData[]>();

  /** Replaces the results that came from `source` (a SARIF file's path). */
  set(source: string, diags: DiagnosticData[]): void {
    this.sources.set(source, diags);
  }

  delete(source: string): boolean {
    return this.sources.delete(source);
  }

  clear(): void {
    this.sources.clear();
  }

  sourceNames(): string[] {
    return [...this.sources.keys()].sort();
  }

  /** Files that had results from `source` (to clear them on reload). */
  locationsOf(source: string): Set<string> {
    return new Set((this.sources.get(source) ?? []).map((d) => d.location!).filter(Boolean));
  }

  /** All results by target file; the same finding from two logs appears once. */
  byLocation(): Map<string, DiagnosticData[]> {
    const out = new Map<string, DiagnosticData[]>();
    const seen = new Set<string>();
    for (const source of this.sourceNames()) {
      for (const d of this.sources.get(source)!) {
        if (!d.location) continue;
        const id = identity(d);
        if (seen.has(id)) continue;
        seen.add(id);
        const list = out.get(d.location);
        if (list) list.push(d);
        else out.set(d.location, [d]);
      }
    }
    return out;
  }
}
