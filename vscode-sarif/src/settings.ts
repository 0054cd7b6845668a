// Settings, with workspace trust applied, and the command line they give.
//
// In an untrusted workspace the restricted settings (`redislint.path`,
// `redislint.args`) are taken only from the user's settings or the defaults;
// values set by the workspace or a folder are ignored, a relative `path` is
// refused (it would name a file of the workspace), and the PATH lookup of a
// bare command name skips relative PATH entries.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The shape of `WorkspaceConfiguration.inspect()` that is used. */
export interface Inspected<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

export type InspectFn = (key: string) => Inspected<unknown> | undefined;

export type RunMode = 'onType' | 'onSave';

export interface Settings {
  enable: boolean;
  path: string;
  args: string[];
  run: RunMode;
  sarifFolder: string;
}

export const DEFAULTS: Settings = {
  enable: true,
  path: 'redislint',
  args: [],
  run: 'onType',
  sarifFolder: '.sarif',
};

export const RESTRICTED_KEYS: ReadonlyArray<keyof Settings> = ['path', 'args'];

export type ValueSource = 'workspaceFolder' | 'workspace' | 'user' | 'default';

export interface Effective<T> {
  value: T | undefined;
  source: ValueSource;
  /** A workspace or folder value existed but was not used (untrusted). */
  ignoredWorkspaceValue: boolean;
}

export function effectiveValue<T>(i: Inspected<T> | undefined, trustWorkspaceValues: boolean): Effective<T> {
  const hasWs = i?.workspaceFolderValue !== undefined || i?.workspaceValue !== undefined;
  if (trustWorkspaceValues) {
    if (i?.workspaceFolderValue !== undefined) return { value: i.workspaceFolderValue, source: 'workspaceFolder', ignoredWorkspaceValue: false };
    if (i?.workspaceValue !== undefined) return { value: i.workspaceValue, source: 'workspace', ignoredWorkspaceValue: false };
  }
  if (i?.globalValue !== undefined) return { value: i.globalValue, source: 'user', ignoredWorkspaceValue: hasWs && !trustWorkspaceValues };
  return { value: i?.defaultValue, source: 'default', ignoredWorkspaceValue: hasWs && !trustWorkspaceValues };
}

export interface ReadSettings {
  settings: Settings;
  /** Sources of the restricted settings. */
  pathSource: ValueSource;
  /** Human-readable notes: ignored workspace values, invalid values. */
  notes: string[];
}

export function readSettings(inspect: InspectFn, trusted: boolean): ReadSettings {
  const notes: string[] = [];
  const get = <K extends keyof Settings>(key: K, valid: (v: unknown) => boolean): { value: Settings[K]; source: ValueSource } => {
    const restricted = RESTRICTED_KEYS.includes(key);
    const eff = effectiveValue(inspect(key), trusted || !restricted);
    if (eff.ignoredWorkspaceValue) {
      notes.push(`redislint.${key} from the workspace settings is ignored: the workspace is not trusted`);
    }
    if (eff.value === undefined) return { value: DEFAULTS[key], source: 'default' };
    if (!valid(eff.value)) {
      notes.push(`redislint.${key} has an invalid value ${JSON.stringify(eff.value)}; using ${JSON.stringify(DEFAULTS[key])}`);
      return { value: DEFAULTS[key], source: 'default' };
    }
    return { value: eff.value as Settings[K], source: eff.source };
  };
  const p = get('path', (v) => typeof v === 'string' && v.trim().length > 0);
  const settings: Settings = {
    enable: get('enable', (v) => typeof v === 'boolean').value,
    path: (p.value as string).trim(),
    args: get('args', (v) => Array.isArray(v) && v.every((x) => typeof x === 'string')).value,
    run: get('run', (v) => v === 'onType' || v === 'onSave').value,
    sarifFolder: get('sarifFolder', (v) => typeof v === 'string').value,
  };
  return { settings, pathSource: p.source, notes };
}

// Options the extension sets itself: taken out of `redislint.args`.
const OWN_OPTIONS_WITH_VALUE = new Set(['--format', '-o', '--output', '--stdin-filename', '--color']);

/** Removes options from user arguments that would break the SARIF on stdout. */
export function sanitizeArgs(args: readonly string[]): { args: string[]; dropped: string[] } {
  const out: string[] = [];
  const dropped: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (OWN_OPTIONS_WITH_VALUE.has(name)) {
      dropped.push(a);
      if (name === a && i + 1 < args.length) dropped.push(args[++i]);
      continue;
    }
    if (a.startsWith('-o') && a.length > 2 && !a.startsWith('--')) {
      dropped.push(a); // -oFILE
      continue;
    }
    out.push(a);
  }
  return { args: out, dropped };
}

/** `check` arguments for a buffer given on stdin. */
export function stdinCheckArgs(userArgs: readonly string[], stdinName: string): string[] {
  return ['check', '--format', 'sarif', ...userArgs, '--stdin-filename', stdinName, '-'];
}

/** `check` arguments for a whole folder. */
export function folderCheckArgs(userArgs: readonly string[], folder: string): string[] {
  return ['check', '--format', 'sarif', ...userArgs, folder];
}

export interface ResolveCommandEnv {
  trusted: boolean;
  /** Folder a relative `path` setting is relative to (trusted workspaces only). */
  cwd?: string;
  envPath?: string;
  platform?: NodeJS.Platform;
  pathExt?: string;
  home?: string;
  isExecutable?: (p: string) => boolean;
}

export type ResolvedCommand =
  | { ok: true; command: string }
  | { ok: false; reason: 'not-found' | 'refused'; message: string };

function defaultIsExecutable(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Turns `redislint.path` into the executable to spawn. */
export function resolveCommand(setting: string, env: ResolveCommandEnv): ResolvedCommand {
  const isExec = env.isExecutable ?? defaultIsExecutable;
  const platform = env.platform ?? process.platform;
  const pathMod = platform === 'win32' ? path.win32 : path.posix;
  let p = setting.trim();
  if (p === '~' || p.startsWith('~/')) p = pathMod.join(env.home ?? os.homedir(), p.slice(1));
  const exts = platform === 'win32' ? ['', ...(env.pathExt ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean)] : [''];
  const tryFile = (f: string): string | null => {
    for (const e of exts) if (isExec(f + e)) return f + e;
    return null;
  };
  const notFound = (what: string): ResolvedCommand => ({
    ok: false,
    reason: 'not-found',
    message: `the redislint executable ${what} was not found`,
  });
  if (pathMod.isAbsolute(p)) {
    return tryFile(p) ? { ok: true, command: tryFile(p)! } : notFound(`"${p}"`);
  }
  if (p.includes('/') || (platform === 'win32' && p.includes('\\'))) {
    if (!env.trusted) {
      return {
        ok: false,
        reason: 'refused',
        message: `redislint.path "${p}" is relative to the workspace, which is not trusted; use an absolute path`,
      };
    }
    if (!env.cwd) return notFound(`"${p}" (relative, and no workspace folder)`);
    const f = tryFile(pathMod.resolve(env.cwd, p));
    return f ? { ok: true, command: f } : notFound(`"${p}" (relative to ${env.cwd})`);
  }
  const dirs = (env.envPath ?? process.env.PATH ?? '').split(platform === 'win32' ? ';' : ':');
  for (const d of dirs) {
    if (!d) continue;
    if (!pathMod.isAbsolute(d) && !env.trusted) continue;
    const f = tryFile(pathMod.resolve(env.cwd ?? '.', d, p));
    if (f) return { ok: true, command: f };
  }
  return notFound(`"${p}" (looked up on PATH)`);
}
