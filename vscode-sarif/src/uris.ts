// Resolution of SARIF artifact locations to files of this machine.
//
// - an absolute `file:` URI is used as is when the file exists here; a file
//   that does not exist (a log written on a CI machine) is matched by its
//   longest path suffix that exists under a workspace folder;
// - a relative URI is resolved against its `uriBaseId`. A base id defined in
//   the run's `originalUriBaseIds` is followed (it may itself be relative to
//   another base id); the chain ends at the workspace folder unless it names
//   an absolute directory that exists here. `%SRCROOT%`, any undefined base id
//   and no base id at all mean the workspace folder;
// - with several workspace folders, the first candidate that exists wins.

import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface ArtifactLocation {
  uri?: string;
  uriBaseId?: string;
  index?: number;
}

export interface ResolveOptions {
  /** Workspace folder paths, in order of preference. */
  roots: readonly string[];
  originalUriBaseIds?: Record<string, ArtifactLocation | undefined>;
  /** `run.artifacts`, for locations given by index only. */
  artifacts?: ReadonlyArray<{ location?: ArtifactLocation } | undefined>;
  /** Whether a path exists; without it, every candidate is taken to exist. */
  exists?: (p: string) => boolean;
}

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
const DRIVE = /^[a-zA-Z]:[\\/]/;
const MAX_CHAIN = 16;

function hasScheme(uri: string): boolean {
  return SCHEME.test(uri) && !DRIVE.test(uri);
}

function asDirUrl(dir: string): URL {
  const u = pathToFileURL(dir);
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u;
}

function fileUriToPath(uri: string): string | null {
  if (!/^file:/i.test(uri)) return null;
  try {
    return path.normalize(fileURLToPath(uri));
  } catch {
    return null;
  }
}

/** The directory a base id stands for, relative to one workspace root. */
function resolveBase(id: string | undefined, root: string, opts: ResolveOptions, depth: number): string {
  if (!id || depth > MAX_CHAIN) return root;
  const entry = opts.originalUriBaseIds?.[id];
  if (!entry || !entry.uri) {
    return entry?.uriBaseId ? resolveBase(entry.uriBaseId, root, opts, depth + 1) : root;
  }
  if (hasScheme(entry.uri)) {
    const p = fileUriToPath(entry.uri);
    // A directory of the machine that wrote the log: stands for the workspace.
    if (p && opts.exists && opts.exists(p)) return p;
    return root;
  }
  const base = resolveBase(entry.uriBaseId, root, opts, depth + 1);
  return relativeToDir(entry.uri, base) ?? base;
}

function relativeToDir(rel: string, dir: string): string | null {
  try {
    return path.normalize(fileURLToPath(new URL(rel.replace(/\\/g, '/'), asDirUrl(dir))));
  } catch {
    return null;
  }
}

/** A path of another machine: find the longest suffix of it under a root. */
function matchSuffix(foreign: string, roots: readonly string[], exists: (p: string) => boolean): string | null {
  const parts = foreign.split(/[\\/]+/).filter((s) => s.length > 0);
  for (let i = 0; i < parts.length; i++) {
    const suffix = parts.slice(i);
    for (const root of roots) {
      const candidate = path.join(root, ...suffix);
      if (exists(candidate)) return candidate;
    }
  }
  return null;
}

export function resolveArtifact(loc: ArtifactLocation | undefined, opts: ResolveOptions): string | null {
  if (!loc) return null;
  let uri = loc.uri;
  let baseId = loc.uriBaseId;
  if (uri === undefined && loc.index !== undefined) {
    const art = opts.artifacts?.[loc.index]?.location;
    uri = art?.uri;
    baseId = baseId ?? art?.uriBaseId;
  }
  if (!uri) return null;
  if (hasScheme(uri)) {
    const p = fileUriToPath(uri);
    if (!p) return null;
    if (!opts.exists || opts.exists(p)) return p;
    return matchSuffix(p, opts.roots, opts.exists) ?? p;
  }
  if (path.isAbsolute(uri) || DRIVE.test(uri)) {
    // Not a URI but a plain absolute path: tolerated.
    const p = path.normalize(uri);
    if (!opts.exists || opts.exists(p)) return p;
    return matchSuffix(p, opts.roots, opts.exists) ?? p;
  }
  const candidates: string[] = [];
  for (const root of opts.roots) {
    const p = relativeToDir(uri, resolveBase(baseId, root, opts, 0));
    if (p) candidates.push(p);
  }
  if (candidates.length === 0) return null;
  if (opts.exists) {
    const found = candidates.find((c) => opts.exists!(c));
    if (found) return found;
  }
  return candidates[0];
}

/** Key for comparing paths (case-insensitive file systems aside). */
export function samePath(a: string, b: string): boolean {
  return path.normalize(a) === path.normalize(b);
}
