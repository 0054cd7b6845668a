import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  DEFAULTS,
  effectiveValue,
  folderCheckArgs,
  Inspected,
  readSettings,
  resolveCommand,
  sanitizeArgs,
  stdinCheckArgs,
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
    args: { workspaceValue: ['--select', 'RL3'] },
    run: { workspaceValue: 'onSave' },
    sarifFolder: { workspaceFolderValue: 'ci-results' },
  };
  it('takes every value from the workspace when it is trusted', () => {
    const rs = readSettings(inspector(values), true);
    assert.deepEqual(rs.settings, { enable: true, path: './evil', args: ['--select', 'RL3'], run: 'onSave', sarifFolder: 'ci-results' });
    assert.deepEqual(rs.notes, []);
  });
  it('ignores workspace path and args when it is not trusted, and says so', () => {
    const rs = readSettings(inspector(values), false);
    assert.equal(rs.settings.path, '/usr/local/bin/redislint');
    assert.equal(rs.pathSource, 'user');
    assert.deepEqual(rs.settings.args, []);
    // Unrestricted settings still apply.
    assert.equal(rs.settings.run, 'onSave');
    assert.equal(rs.settings.sarifFolder, 'ci-results');
    assert.equal(rs.notes.length, 2);
    assert.match(rs.notes[0], /redislint\.path .* not trusted/);
  });
  it('replaces invalid values by the defaults', () => {
    const rs = readSettings(inspector({ args: { globalValue: [1, 2] }, run: { globalValue: 'sometimes' }, path: { globalValue: ' ' } }), true);
    assert.deepEqual(rs.settings.args, []);
    assert.equal(rs.settings.run, 'onType');
    assert.equal(rs.settings.path, 'redislint');
    assert.equal(rs.notes.length, 3);
  });
});

describe('arguments', () => {
  it('drops the options the extension sets itself', () => {
    assert.deepEqual(sanitizeArgs(['--select', 'RL3', '--format', 'text', '-o', 'f', '--output=x', '-oy', '--ignore=RL309', '--color', 'always']), {
      args: ['--select', 'RL3', '--ignore=RL309'],
      dropped: ['--format', 'text', '-o', 'f', '--output=x', '-oy', '--color', 'always'],
    });
  });
  it('builds the check command lines', () => {
    assert.deepEqual(stdinCheckArgs(['--select', 'RL3'], 'app/x.py'), [
      'check',
      '--format',
      'sarif',
      '--select',
      'RL3',
      '--stdin-filename',
      'app/x.py',
      '-',
    ]);
    assert.deepEqual(folderCheckArgs([], '/ws'), ['check', '--format', 'sarif', '/ws']);
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
