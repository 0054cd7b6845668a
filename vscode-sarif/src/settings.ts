// Settings, with workspace trust applied; the configuration they give the
// language server (`workspace/configuration`, section `redislint`) and the
// options they give a `redislint check` run (Lint workspace).
//
// In an untrusted workspace the restricted setting (`redislint.path`) is
// taken only from the user's settings or the default; a value set by the
// workspace or a folder is ignored, a relative `path` is refused (it would
// name a file of the workspace), and the PATH lookup of a bare command name
// skips relative PATH entries.

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

export interface Settings {
  enable: boolean;
  path: string;
  sarifFolder: string;
  /** Rule selectors (codes, code prefixes, slugs, ALL); empty: not set. */
  select: string[];
  ignore: string[];
  extendSelect: string[];
  unsafeFixes: boolean;
  /** Empty: not set (the nearest configuration file is used). */
  configFile: string;
  redisPyVersion: string;
  targetRedisVersion: string;
}

export const DEFAULTS: Settings = {
  enable: true,
  path: 'redislint',
  sarifFolder: '.sarif',
  select: [],
  ignore: [],
  extendSelect: [],
  unsafeFixes: false,
  configFile: '',
  redisPyVersion: '',
  targetRedisVersion: '',
};

export const RESTRICTED_KEYS: ReadonlyArray<keyof Settings> = ['path'];

/** Settings of earlier versions, and what replaced them. */
export const RETIRED_KEYS: Readonly<Record<string, string>> = {
  args: 'the language server takes no arguments: use redislint.select, redislint.ignore, redislint.extendSelect, redislint.configFile and the other settings instead',
  run: 'the language server lints on every change',
};

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
  /** Source of the restricted setting. */
  pathSource: ValueSource;
  /** Human-readable notes: ignored workspace values, invalid or retired settings. */
  notes: string[];
}

/** `["RL1, RL3", " per-field-keys "]` → `["RL1", "RL3", "per-field-keys"]`; null when not a list of strings. */
export function normalizeRules(v: unknown): string[] | null {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return null;
  return (v as string[]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x.length > 0);
}

const RULE_SELECTOR = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const VERSION = /^\d+(\.\d+){0,2}$/;

function validRules(v: unknown): boolean {
  const rules = normalizeRules(v);
  return rules !== null && rules.every((r) => RULE_SELECTOR.test(r));
}

function validVersion(v: unknown): boolean {
  return typeof v === 'string' && (v.trim() === '' || VERSION.test(v.trim()));
}

export function readSettings(inspect: InspectFn, trusted: boolean): ReadSettings {
  const notes: string[] = [];
  const get = <K extends keyof Settings>(key: K, valid: (v: unknown) => boolean): { value: Settings[K]; source: ValueSource } => {
    const restricted = RESTRICTED_KEYS.includes(key);
    const eff = effectiveValue(inspect(key), trusted || !restricted);
    if (eff.ignoredWorkspaceValue) {
      notes.push(`redislint.${key} from the workspace settings is ignored: the workspace is not trusted`);
    }
    if (eff.value === undefined || eff.value === null) return { value: DEFAULTS[key], source: 'default' };
    if (!valid(eff.value)) {
      notes.push(`redislint.${key} has an invalid value ${JSON.stringify(eff.value)}; using ${JSON.stringify(DEFAULTS[key])}`);
      return { value: DEFAULTS[key], source: 'default' };
    }
    return { value: eff.value as Settings[K], source: eff.source };
  };
  const str = (v: unknown): boolean => typeof v === 'string';
  const bool = (v: unknown): boolean => typeof v === 'boolean';
  const p = get('path', (v) => typeof v === 'string' && v.trim().length > 0);
  const settings: Settings = {
    enable: get('enable', bool).value,
    path: p.value.trim(),
    sarifFolder: get('sarifFolder', str).value,
    select: normalizeRules(get('select', validRules).value)!,
    ignore: normalizeRules(get('ignore', validRules).value)!,
    extendSelect: normalizeRules(get('extendSelect', validRules).value)!,
    unsafeFixes: get('unsafeFixes', bool).value,
    configFile: get('configFile', str).value.trim(),
    redisPyVersion: get('redisPyVersion', validVersion).value.trim(),
    targetRedisVersion: get('targetRedisVersion', validVersion).value.trim(),
  };
  for (const [key, why] of Object.entries(RETIRED_KEYS)) {
    const i = inspect(key);
    if (i && (i.globalValue !== undefined || i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined)) {
      notes.push(`redislint.${key} is no longer used: ${why}`);
    }
  }
  return { settings, pathSource: p.source, notes };
}

// ---- the configuration of the language server --------------------------------

/**
 * The answer to a `workspace/configuration` request for section `redislint`.
 * `null` means "not set": the project's configuration file (or redislint's
 * defaults) decides.
 */
export interface ServerConfiguration {
  enable: boolean;
  select: string[] | null;
  ignore: string[] | null;
  extendSelect: string[] | null;
  unsafeFixes: boolean;
  /** Absolute when it can be: `~/` expanded, relative to the workspace folder. */
  configFile: string | null;
  redisPyVersion: string | null;
  targetRedisVersion: string | null;
}

export const SERVER_CONFIGURATION_KEYS: ReadonlyArray<keyof ServerConfiguration> = [
  'select',
  'ignore',
  'extendSelect',
  'unsafeFixes',
  'configFile',
  'redisPyVersion',
  'targetRedisVersion',
  'enable',
];

export function expandHome(p: string, home: string = os.homedir()): string {
  return p === '~' || p.startsWith('~/') || p.startsWith('~\\') ? path.join(home, p.slice(1)) : p;
}

/** `folder`: the workspace folder of the resource asked about, if any. */
export function serverConfiguration(s: Settings, folder: string | undefined, home?: string): ServerConfiguration {
  const list = (v: string[]): string[] | null => (v.length > 0 ? [...v] : null);
  const text = (v: string): string | null => (v.length > 0 ? v : null);
  let configFile = text(s.configFile);
  if (configFile) {
    configFile = expandHome(configFile, home);
    if (!path.isAbsolute(configFile) && folder) configFile = path.resolve(folder, configFile);
  }
  return {
    enable: s.enable,
    select: list(s.select),
    ignore: list(s.ignore),
    extendSelect: list(s.extendSelect),
    unsafeFixes: s.unsafeFixes,
    configFile,
    redisPyVersion: text(s.redisPyVersion),
    targetRedisVersion: text(s.targetRedisVersion),
  };
}

/** The same configuration as options of `redislint check`. */
export function checkOptionArgs(c: ServerConfiguration): string[] {
  const args: string[] = [];
  if (c.select) args.push('--select', c.select.join(','));
  if (c.extendSelect) args.push('--extend-select', c.extendSelect.join(','));
  if (c.ignore) args.push('--ignore', c.ignore.join(','));
  if (c.unsafeFixes) args.push('--unsafe-fixes');
  if (c.configFile) args.push('--config', c.configFile);
  if (c.redisPyVersion) args.push('--redis-py-version', c.redisPyVersion);
  if (c.targetRedisVersion) args.push('--target-redis-version', c.targetRedisVersion);
  return args;
}

/** `check` arguments for a whole folder. */
export function folderCheckArgs(optionArgs: readonly string[], folder: string): string[] {
  return ['check', '--format', 'sarif', ...optionArgs, folder];
}

/** The language server: `<command> server`, speaking LSP on stdin/stdout. */
export const SERVER_ARGS: readonly string[] = ['server'];

// ---- the executable --------------------------------------------------------------

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
