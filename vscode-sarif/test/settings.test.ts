import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  checkOptionArgs,
  DEFAULTS,
  effectiveValue,
  folderCheckArgs,
  Inspected,
  normalizeRules,
  readSettings,
  resolveCommand,
  SERVER_ARGS,
  SERVER_CONFIGURATION_KEYS,
  serverConfiguration,
  Settings,
} from '../src/settings';

function inspector(values: Record<string, Inspected<unknown>>) {
  return (key: string): Inspected<unknown> => ({ defaultValue: (DEFAULTS as unknown as Record<string, unknown>)[key], ...values[key] });
}

describe('effectiveValue', () => {
  const i = { defaultValue: 'd', globalValue: 'u', workspaceValue: 'w', workspaceFolderValue: 'f' };
  it('follows VS Code precedence when workspace values are trusted', () => {
    assert.deepEqual(effectiveValue(i, true), { value: 'f', source: 'workspaceFolder', ignoredWorkspaceValue: false });
    assert.equal(effectiveValue({ ...i, workspaceFolderValue: undefined }, true).source, 'workspace');
  });
  it('uses only user and default values otherwise', () => {
    assert.deepEqual(effectiveValue(i, false), { value: 'u', source: 'user', ignoredWorkspaceValue: true });
    assert.deepEqual(effectiveValue({ defaultValue: 'd', workspaceValue: 'w' }, false), {
      value: 'd',
      source: 'default',
      ignoredWorkspaceValue: true,
    });
    assert.deepEqual(effectiveValue({ defaultValue: 'd' }, false), { value: 'd', source: 'default', ignoredWorkspaceValue: false });
  });
});

describe('readSettings', () => {
  const values = {
    path: { globalValue: '/usr/local/bin/redislint', workspaceValue: './evil' },
    select: { workspaceValue: ['RL3, RL1', ' per-field-keys '] },
    ignore: { globalValue: ['RL309'] },
    configFile: { workspaceValue: ' conf/redislint.json ' },
    redisPyVersion: { workspaceValue: '5.0.1' },
    sarifFolder: { workspaceFolderValue: 'ci-results' },
  };
  it('takes every value from the workspace when it is trusted', () => {
    const rs = readSettings(inspector(values), true);
    assert.deepEqual(rs.settings, {
      ...DEFAULTS,
      path: './evil',
      select: ['RL3', 'RL1', 'per-field-keys'],
      ignore: ['RL309'],
      configFile: 'conf/redislint.json',
      redisPyVersion: '5.0.1',
      sarifFolder: 'ci-results',
    } satisfies Settings);
    assert.deepEqual(rs.notes, []);
  });
  it('ignores the workspace path when it is not trusted, and says so; other settings apply', () => {
    const rs = readSettings(inspector(values), false);
    assert.equal(rs.settings.path, '/usr/local/bin/redislint');
    assert.equal(rs.pathSource, 'user');
    assert.deepEqual(rs.settings.select, ['RL3', 'RL1', 'per-field-keys']);
    assert.equal(rs.settings.configFile, 'conf/redislint.json');
    assert.equal(rs.settings.sarifFolder, 'ci-results');
    assert.deepEqual(rs.notes, ['redislint.path from the workspace settings is ignored: the workspace is not trusted']);
  });
  it('replaces invalid values by the defaults', () => {
    const rs = readSettings(
      inspector({
        select: { globalValue: [1, 2] },
        ignore: { globalValue: ['RL1; rm -rf /'] },
        extendSelect: { globalValue: 'RL1' },
        unsafeFixes: { globalValue: 'yes' },
        targetRedisVersion: { globalValue: 'latest' },
        path: { globalValue: ' ' },
      }),
      true,
    );
    assert.deepEqual(rs.settings, DEFAULTS);
    assert.equal(rs.notes.length, 6);
    assert.match(rs.notes[0], /redislint\.path has an invalid value " "; using "redislint"/);
  });
  it('notes settings of earlier versions that are set', () => {
    const rs = readSettings(inspector({ args: { globalValue: ['--select', 'RL3'] }, run: { workspaceValue: 'onSave' } }), true);
    assert.equal(rs.notes.length, 2);
    assert.match(rs.notes[0], /redislint\.args is no longer used: .*redislint\.select/);
    assert.match(rs.notes[1], /redislint\.run is no longer used/);
  });
});

describe('normalizeRules', () => {
  it('splits commas, trims and drops empty entries', () => {
    assert.deepEqual(normalizeRules(['RL1,RL3 ', '', ' , x']), ['RL1', 'RL3', 'x']);
    assert.equal(normalizeRules('RL1'), null);
    assert.equal(normalizeRules([1]), null);
  });
});

describe('serverConfiguration', () => {
  const ws = path.resolve('/ws');
  it('sends null for what is not set', () => {
    assert.deepEqual(serverConfiguration(DEFAULTS, ws), {
      enable: true,
      select: null,
      ignore: null,
      extendSelect: null,
      unsafeFixes: false,
      configFile: null,
      redisPyVersion: null,
      targetRedisVersion: null,
    });
    assert.deepEqual(Object.keys(serverConfiguration(DEFAULTS, ws)).sort(), [...SERVER_CONFIGURATION_KEYS].sort());
  });
  it('passes the values, with the configuration file made absolute', () => {
    const s: Settings = {
      ...DEFAULTS,
      enable: false,
      select: ['RL3'],
      ignore: ['RL309', 'per-field-keys'],
      extendSelect: ['RL5'],
      unsafeFixes: true,
      configFile: 'conf/redislint.json',
      redisPyVersion: '4.6',
      targetRedisVersion: '7.2',
    };
    const c = serverConfiguration(s, ws);
    assert.deepEqual(c, {
      enable: false,
      select: ['RL3'],
      ignore: ['RL309', 'per-field-keys'],
      extendSelect: ['RL5'],
      unsafeFixes: true,
      configFile: path.join(ws, 'conf', 'redislint.json'),
      redisPyVersion: '4.6',
      targetRedisVersion: '7.2',
    });
    assert.equal(serverConfiguration({ ...s, configFile: '~/rl.toml' }, ws, '/home/u').configFile, path.join('/home/u', 'rl.toml'));
    assert.equal(serverConfiguration({ ...s, configFile: '/etc/rl.json' }, ws).configFile, '/etc/rl.json');
    assert.equal(serverConfiguration({ ...s, configFile: 'rl.json' }, undefined).configFile, 'rl.json');
  });
});

describe('command lines', () => {
  it('runs the server with no other argument', () => {
    assert.deepEqual(SERVER_ARGS, ['server']);
  });
  it('turns the configuration into check options', () => {
    assert.deepEqual(checkOptionArgs(serverConfiguration(DEFAULTS, '/ws')), []);
    const c = serverConfiguration(
      {
        ...DEFAULTS,
        select: ['RL3', 'RL1'],
        ignore: ['RL309'],
        extendSelect: ['per-field-keys'],
        unsafeFixes: true,
        configFile: '/ws/rl.json',
        redisPyVersion: '5.0',
        targetRedisVersion: '7.2',
      },
      '/ws',
    );
    assert.deepEqual(checkOptionArgs(c), [
      '--select',
      'RL3,RL1',
      '--extend-select',
      'per-field-keys',
      '--ignore',
      'RL309',
      '--unsafe-fixes',
      '--config',
      '/ws/rl.json',
      '--redis-py-version',
      '5.0',
      '--target-redis-version',
      '7.2',
    ]);
    assert.deepEqual(folderCheckArgs(['--select', 'RL3'], '/ws'), ['check', '--format', 'sarif', '--select', 'RL3', '/ws']);
  });
});

describe('resolveCommand', () => {
  const bin = path.resolve('/opt/rl/bin/redislint');
  const wsBin = path.resolve('/ws/tools/redislint');
  const isExecutable = (p: string) => p === bin || p === wsBin;
  const base = { platform: 'linux' as const, isExecutable, cwd: path.resolve('/ws') };

  it('looks a bare name up on PATH', () => {
    assert.deepEqual(resolveCommand('redislint', { ...base, trusted: true, envPath: '/usr/bin:/opt/rl/bin' }), { ok: true, command: bin });
  });
  it('skips relative PATH entries in an untrusted workspace', () => {
    assert.deepEqual(resolveCommand('redislint', { ...base, trusted: true, envPath: 'tools' }), { ok: true, command: wsBin });
    const r = resolveCommand('redislint', { ...base, trusted: false, envPath: 'tools' });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason, 'not-found');
  });
  it('accepts absolute paths and reports missing ones', () => {
    assert.deepEqual(resolveCommand(bin, { ...base, trusted: false }), { ok: true, command: bin });
    const r = resolveCommand('/nowhere/redislint', { ...base, trusted: true });
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.message : '', /"\/nowhere\/redislint" was not found/);
  });
  it('resolves a relative path in the workspace only when it is trusted', () => {
    assert.deepEqual(resolveCommand('./tools/redislint', { ...base, trusted: true }), { ok: true, command: wsBin });
    const r = resolveCommand('./tools/redislint', { ...base, trusted: false });
    assert.equal(!r.ok && r.reason, 'refused');
  });
  it('expands ~/ to the home folder', () => {
    assert.deepEqual(resolveCommand('~/bin/redislint', { ...base, trusted: false, home: '/opt/rl' }), { ok: true, command: bin });
  });
});
