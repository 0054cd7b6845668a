// Runs extension.ts against the hand-written `vscode` stand-in of
// fake-vscode.ts and a fake redislint executable (fake-redislint.ts), to
// check the wiring: events, collections, code actions, commands, trust.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { DEFAULTS } from '../src/settings';
import * as fake from './fake-vscode';
import { ROOT } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require('node:module') as { _load: (request: string, ...rest: unknown[]) => unknown };
const original = Module._load;
Module._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? fake : original.call(this, request, ...rest);
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ext = require('../src/extension') as typeof import('../src/extension');
Module._load = original;

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const manifestDefaults: Record<string, unknown> = Object.fromEntries(
  Object.entries(manifest.contributes.configuration.properties).map(([k, v]) => [k, (v as { default: unknown }).default]),
);
const FAKE_BIN = path.join(__dirname, 'fake-redislint.js');
const X_TEXT = 'import redis\nr = redis.Redis()\nr.hmset("k😀", {"a": 1})  # old\n';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(what: string, fn: () => T | undefined | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

let ws = '';
let xPath = '';
let subscriptions: Array<{ dispose(): unknown }> = [];

function activate(configure?: () => void): void {
  fake.reset(manifestDefaults);
  fake.state.folders = [{ uri: fake.Uri.file(ws), name: 'ws', index: 0 }];
  fake.setSetting('path', 'globalValue', FAKE_BIN);
  configure?.();
  subscriptions = [];
  ext.activate({ subscriptions } as never);
}

const live = () => fake.collection('redislint');
const review = () => fake.collection('redislint-sarif');
const errors = () => fake.state.messages.filter((m) => m.level === 'error');

async function codeActions(doc: fake.FakeDocument, line: number, only?: fake.CodeActionKind): Promise<fake.CodeAction[]> {
  const p = fake.state.codeActionProviders[0].provider;
  const range = new fake.Range(line, 0, line, 100);
  return (await p.provideCodeActions(doc, range, { diagnostics: [], only, triggerKind: 1 })) as fake.CodeAction[];
}

describe('extension (fake VS Code, fake redislint)', () => {
  before(() => {
    fs.chmodSync(FAKE_BIN, 0o755);
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'redislint-ws-'));
    fs.mkdirSync(path.join(ws, 'app'));
    xPath = path.join(ws, 'app', 'x.py');
  });
  beforeEach(() => {
    fs.writeFileSync(xPath, X_TEXT);
    delete process.env.FAKE_DELAY_MS;
    delete process.env.FAKE_LOG;
  });
  afterEach(() => {
    for (const s of subscriptions) s.dispose();
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('registers the contributed commands, collections, providers and settings', () => {
    activate();
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command);
    for (const id of contributed) assert.ok(fake.state.commands.has(id), `${id} is not registered`);
    assert.deepEqual([...fake.state.commands.keys()].filter((id) => !contributed.includes(id)), ['redislint.suppress']);
    assert.deepEqual(fake.state.collections.map((c) => c.name), ['redislint', 'redislint-sarif']);
    assert.deepEqual([...fake.state.contentProviders.keys()], ['redislint-rule']);
    assert.deepEqual(
      fake.state.codeActionProviders[0].metadata.providedCodeActionKinds.map((k) => k.value),
      ['quickfix', 'source.fixAll.redislint'],
    );
    for (const [key, value] of Object.entries(DEFAULTS)) assert.deepEqual(manifestDefaults[`redislint.${key}`], value, key);
    assert.equal(manifest.contributes.configuration.properties['redislint.path'].scope, 'machine');
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces, {
      supported: 'limited',
      description: manifest.capabilities.untrustedWorkspaces.description,
      restrictedConfigurations: ['redislint.path', 'redislint.args'],
    });
    assert.equal(`^${manifest.devDependencies['@types/vscode']}`, manifest.engines.vscode);
  });

  it('lints a Python file on open into diagnostics, and logs the run', async () => {
    activate();
    const doc = fake.openDocument(xPath);
    const [d] = await waitFor('diagnostics', () => live().get(doc.uri));
    assert.deepEqual([d.range.start, d.range.end], [new fake.Position(2, 2), new fake.Position(2, 7)]);
    assert.equal(d.source, 'redislint');
    assert.equal(d.severity, fake.DiagnosticSeverity.Information);
    assert.deepEqual(d.tags, [fake.DiagnosticTag.Deprecated]);
    const code = d.code as { value: string; target: fake.Uri };
    assert.equal(code.value, 'RL310');
    assert.equal(code.target.toString(), 'https://example.org/rules/deprecated-command.md');
    const line = fake.state.output.find((l) => l.includes('--stdin-filename'));
    assert.match(line ?? '', /fake-redislint\.js check --format sarif --stdin-filename app\/x\.py - {2}\(cwd .*\) → exit 1 in \d+ ms/);
    // Other languages are not linted.
    fake.openDocument(path.join(ROOT, 'README.md'), 'markdown');
    await sleep(50);
    assert.equal(live().entries.size, 1);
  });

  it('debounces typing and drops the result of an older version', async () => {
    process.env.FAKE_DELAY_MS = '1000';
    activate();
    const sets: string[] = [];
    const c = live();
    const set = c.set.bind(c);
    c.set = (uri, diags) => {
      sets.push(diags.map((d) => `${d.range.start.line}:${d.range.start.character}`).join(','));
      set(uri, diags);
    };
    const doc = fake.openDocument(xPath);
    await sleep(50); // the first run is under way
    fake.changeDocument(doc, `# new first line\n${X_TEXT}`);
    fake.changeDocument(doc, `# new first line\n\n${X_TEXT}`);
    await waitFor('diagnostics', () => sets.length > 0 && c.get(doc.uri));
    await sleep(100);
    assert.deepEqual(sets, ['4:2']);
  });

  it('kills the run when the document is closed', async () => {
    process.env.FAKE_DELAY_MS = '3000';
    activate();
    const doc = fake.openDocument(xPath);
    await sleep(150); // the run is under way
    const started = Date.now();
    fake.closeDocument(doc);
    await waitFor('cancelled run', () => fake.state.output.some((l) => l.includes('→ cancelled')));
    assert.ok(Date.now() - started < 2000);
    assert.equal(live().get(doc.uri), undefined);
  });

  it('offers the fix, suppress and docs actions, and fix-all after an edit', async () => {
    activate();
    const doc = fake.openDocument(xPath);
    await waitFor('diagnostics', () => live().get(doc.uri));
    const actions = await codeActions(doc, 2);
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind.value, a.isPreferred ?? false]),
      [
        ['Use hset', 'quickfix', true],
        ['Suppress RL310 on this line', 'quickfix', false],
        ['Show rule documentation for RL310 (deprecated-command)', 'quickfix', false],
      ],
    );
    assert.equal(actions[0].diagnostics?.[0], live().get(doc.uri)![0]);
    // Edited but not linted yet: no stale fixes in the light bulb...
    doc.setText(`\n${doc.getText()}`);
    assert.deepEqual((await codeActions(doc, 3)).map((a) => a.title).filter((t) => t === 'Use hset'), []);
    // ...but fix all (as on save) lints the current text first.
    const [fixAll] = await codeActions(doc, 0, fake.CodeActionKind.SourceFixAll);
    assert.equal(fixAll.title, 'Fix all safe redislint problems');
    assert.equal(fixAll.kind.value, 'source.fixAll.redislint');
    await fake.workspace.applyEdit(fixAll.edit!);
    assert.equal(doc.getText(), `\n${X_TEXT.replace('hmset', 'hset')}`);
  });

  it('suppresses a finding with the comment above a commented line, selecting "reason"', async () => {
    activate();
    const doc = fake.openDocument(xPath);
    fake.state.activeEditor = { document: doc, revealRange: () => undefined };
    await fake.commands.executeCommand('redislint.suppress', doc.uri.toString(), 2, 'deprecated-command');
    assert.equal(
      doc.getText(),
      'import redis\nr = redis.Redis()\n# redislint: ignore[deprecated-command] -- reason\nr.hmset("k😀", {"a": 1})  # old\n',
    );
    const sel = fake.state.activeEditor.selection!;
    assert.deepEqual([sel.start, sel.end], [new fake.Position(2, 43), new fake.Position(2, 49)]);
  });

  it('shows rule documentation from `redislint rule`, or the SARIF help', async () => {
    activate();
    await fake.commands.executeCommand('redislint.showRuleDocumentation', 'RL310');
    assert.equal(fake.state.shown[0].languageId, 'markdown');
    assert.equal(fake.state.shown[0].getText(), '# RL310 fake documentation\n');
    assert.equal(fake.state.shown[0].uri.toString(), 'redislint-rule:/RL310.md');
    await fake.commands.executeCommand('redislint.showRuleDocumentation', 'NOPE');
    assert.match(fake.state.shown[1].getText(), /could not be loaded: redislint: unknown rule 'NOPE'/);
  });

  it('reports a missing executable once until the settings change', async () => {
    activate(() => fake.setSetting('path', 'globalValue', path.join(ws, 'no-such-redislint')));
    const doc = fake.openDocument(xPath);
    for (let i = 0; i < 3; i++) {
      fake.changeDocument(doc, doc.getText() + '\n');
      fake.state.events.save.fire(doc);
      await sleep(30);
    }
    await sleep(100);
    assert.equal(errors().length, 1);
    assert.match(errors()[0].text, /no-such-redislint" was not found\. Install redislint .*redislint\.path/);
    fake.state.events.config.fire({ affectsConfiguration: (s) => s === 'redislint' || s === 'redislint.path' });
    await waitFor('second message', () => errors().length === 2);
  });

  it('reports a failing run (exit 2) once, with its message', async () => {
    activate();
    fs.writeFileSync(xPath, 'BOOM\n');
    const doc = fake.openDocument(xPath);
    await waitFor('error', () => errors().length === 1);
    fake.state.events.save.fire(doc);
    await sleep(200);
    assert.equal(errors().length, 1);
    assert.match(errors()[0].text, /exit status 2\): redislint: error: boom/);
  });

  it('in an untrusted workspace runs only the user executable and arguments', async () => {
    const logFile = path.join(ws, 'args.log');
    fs.rmSync(logFile, { force: true });
    process.env.FAKE_LOG = logFile;
    activate(() => {
      fake.state.trusted = false;
      fake.setSetting('path', 'workspaceValue', path.join(ws, 'evil-redislint'));
      fake.setSetting('args', 'workspaceValue', ['--select', 'RL1']);
      fake.setSetting('args', 'globalValue', ['--ignore', 'RL309']);
    });
    const doc = fake.openDocument(xPath);
    await waitFor('diagnostics', () => live().get(doc.uri));
    const calls = fs.readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(calls[0], ['check', '--format', 'sarif', '--ignore', 'RL309', '--stdin-filename', 'app/x.py', '-']);
    assert.ok(fake.state.output.some((l) => l.includes('redislint.path from the workspace settings is ignored')));
    // Granting trust applies the workspace values: the "evil" path is now used.
    fake.state.trusted = true;
    fake.state.events.trust.fire();
    await waitFor('not-found message', () => errors().find((m) => m.text.includes('evil-redislint')));
  });

  it('loads SARIF files from .sarif/ and from the command, and clears them', async () => {
    const sarifDir = path.join(ws, '.sarif');
    fs.mkdirSync(sarifDir, { recursive: true });
    const log = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'sample.sarif'), 'utf8');
    const ci = JSON.parse(log);
    ci.runs[0].originalUriBaseIds = { '%SRCROOT%': { uri: 'file:///home/runner/work/project/' } };
    fs.writeFileSync(path.join(sarifDir, 'ci.sarif'), JSON.stringify(ci));
    try {
      activate();
      const xUri = fake.Uri.file(xPath);
      const diags = await waitFor('review diagnostics', () => review().get(xUri));
      assert.deepEqual(diags.map((d) => d.source), ['redislint (SARIF)', 'redislint (SARIF)']);
      assert.equal(diags[1].relatedInformation?.[0].message, 'the separate expiry');
      assert.equal(live().entries.size, 0);
      // Deleting the file removes its results.
      fake.state.watchers[0].del.fire(fake.Uri.file(path.join(sarifDir, 'ci.sarif')));
      assert.equal(review().entries.size, 0);
      // Loading by command.
      fake.state.openDialogResult = [fake.Uri.file(path.join(sarifDir, 'ci.sarif'))];
      await fake.commands.executeCommand('redislint.loadSarif');
      assert.equal(review().get(xUri)?.length, 2);
      assert.match(fake.state.messages.at(-1)!.text, /loaded 4 result\(s\) in 2 file\(s\)/);
      // Review results offer no fixes, only suppress and docs.
      const doc = fake.openDocument(xPath);
      fake.state.activeEditor = undefined;
      await waitFor('live diagnostics', () => live().get(doc.uri));
      const titles = (await codeActions(doc, 4)).map((a) => a.title);
      assert.deepEqual(titles, [
        'Suppress RL202 on this line',
        'Show rule documentation for RL202 (set-then-expire)',
      ]);
      await fake.commands.executeCommand('redislint.clearSarif');
      assert.equal(review().entries.size, 0);
    } finally {
      fs.rmSync(sarifDir, { recursive: true, force: true });
    }
  });

  it('lints the workspace in one run', async () => {
    const logFile = path.join(ws, 'args.log');
    fs.rmSync(logFile, { force: true });
    process.env.FAKE_LOG = logFile;
    const yPath = path.join(ws, 'app', 'y.py');
    fs.writeFileSync(yPath, 'r.hmset("a", {})\n');
    try {
      activate();
      await fake.commands.executeCommand('redislint.lintWorkspace');
      assert.equal(live().get(fake.Uri.file(xPath))?.length, 1);
      assert.equal(live().get(fake.Uri.file(yPath))?.length, 1);
      const calls = fs.readFileSync(logFile, 'utf8').trim().split('\n');
      assert.deepEqual(calls.map((l) => JSON.parse(l)), [['check', '--format', 'sarif', ws]]);
      assert.match(fake.state.messages.at(-1)!.text, /2 finding\(s\) in 2 file\(s\)/);
    } finally {
      fs.rmSync(yPath);
    }
  });
});
