// Runs extension.ts with the real vscode-languageclient against the
// hand-written `vscode` stand-in of fake-vscode.ts and a fake redislint
// executable (fake-redislint.ts: `server` is a small language server), to
// check the wiring: the server's command line, document sync, diagnostics,
// code actions, fix-all, the settings it pulls, trust, and the CLI commands
// and SARIF review that stay in the extension.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { DEFAULTS, RETIRED_KEYS, SERVER_CONFIGURATION_KEYS } from '../src/settings';
import * as fake from './fake-vscode';
import { actionTitled, activate, deactivate, errors, lineRange, live, manifest, manifestDefaults, sleep, waitFor } from './harness';
import { ROOT } from './helpers';

const FAKE_BIN = path.join(__dirname, 'fake-redislint.js');
const X_TEXT = 'import redis\nr = redis.Redis()\nr.hmset("k😀", {"a": 1})  # old\n';

let ws = '';
let xPath = '';
let argsLog = '';
let lspLog = '';

/** The argument lists the fake executable was started with. */
const calls = (): string[][] =>
  fs.existsSync(argsLog) ? fs.readFileSync(argsLog, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
}
/** Every message the fake server received. */
const received = (): Message[] =>
  fs.existsSync(lspLog) ? fs.readFileSync(lspLog, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const receivedMethod = (method: string): Message[] => received().filter((m) => m.method === method);
/** The answers to the server's workspace/configuration requests. */
const configurations = (): unknown[][] => received().filter((m) => m.method === undefined && Array.isArray(m.result)).map((m) => m.result as unknown[]);

function start(configure?: () => void): void {
  activate(ws, () => {
    fake.setSetting('path', 'globalValue', FAKE_BIN);
    configure?.();
  });
}

/** Activates, opens x.py and waits for the server's diagnostics. */
async function startWithX(configure?: () => void): Promise<fake.FakeDocument> {
  start(configure);
  const doc = fake.openDocument(xPath);
  await waitFor('diagnostics', () => live().get(doc.uri));
  return doc;
}

const at = (d: fake.Diagnostic) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];

describe('extension (fake VS Code, real language client, fake redislint)', () => {
  before(() => {
    fs.chmodSync(FAKE_BIN, 0o755);
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'redislint-ws-'));
    fs.mkdirSync(path.join(ws, 'app'));
    xPath = path.join(ws, 'app', 'x.py');
    argsLog = path.join(ws, 'args.log');
    lspLog = path.join(ws, 'lsp.log');
  });
  beforeEach(() => {
    fs.writeFileSync(xPath, X_TEXT);
    fs.rmSync(argsLog, { force: true });
    fs.rmSync(lspLog, { force: true });
    process.env.FAKE_LOG = argsLog;
    process.env.FAKE_LSP_LOG = lspLog;
    delete process.env.FAKE_SERVER_FAIL;
  });
  afterEach(async () => {
    await deactivate();
  });
  after(() => {
    delete process.env.FAKE_LOG;
    delete process.env.FAKE_LSP_LOG;
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('registers the contributed commands, collections, providers and settings', async () => {
    start();
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command);
    for (const id of contributed) assert.ok(fake.state.commands.has(id), `${id} is not registered`);
    assert.deepEqual(
      [...fake.state.commands.keys()].filter((id) => !contributed.includes(id)),
      ['redislint.suppress', 'redislint.selectReason'],
    );
    assert.deepEqual([...fake.state.contentProviders.keys()], ['redislint-rule']);
    // The extension's provider (SARIF and workspace results, documentation), then the client's.
    await waitFor('language client', () => fake.state.codeActionProviders.length === 2);
    assert.deepEqual(
      fake.state.codeActionProviders.map((p) => p.metadata?.providedCodeActionKinds?.map((k) => k.value)),
      [['quickfix'], ['quickfix', 'source.fixAll.redislint']],
    );
    assert.deepEqual(JSON.parse(JSON.stringify(fake.state.codeActionProviders[1].selector)), [{ scheme: 'file', language: 'python' }]);
    assert.deepEqual(fake.state.collections.map((c) => c.name), ['redislint-workspace', 'redislint-sarif', 'redislint']);

    // Settings: the defaults of the code are the manifest's; every key the
    // server is given is a setting with a description; retired ones are gone.
    const props = manifest.contributes.configuration.properties;
    for (const [key, value] of Object.entries(DEFAULTS)) assert.deepEqual(manifestDefaults[`redislint.${key}`], value, key);
    // redislint.trace.server is read by the language client itself.
    assert.deepEqual(Object.keys(props).sort(), [...Object.keys(DEFAULTS).map((k) => `redislint.${k}`), 'redislint.trace.server'].sort());
    assert.deepEqual(props['redislint.trace.server'].enum, ['off', 'messages', 'verbose']);
    for (const key of SERVER_CONFIGURATION_KEYS) {
      const p = props[`redislint.${key}`];
      assert.ok(p, `no setting redislint.${key}`);
      assert.ok((p.markdownDescription ?? p.description ?? '').length > 20, `redislint.${key} has no description`);
    }
    for (const key of Object.keys(RETIRED_KEYS)) assert.equal(props[`redislint.${key}`], undefined);
    assert.equal(props['redislint.path'].scope, 'machine');
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces, {
      supported: 'limited',
      description: manifest.capabilities.untrustedWorkspaces.description,
      restrictedConfigurations: ['redislint.path'],
    });
    assert.equal(`^${manifest.devDependencies['@types/vscode']}`, manifest.engines.vscode);
    // vscode-languageclient 9 (VS Code ^1.82), within the engine of the extension.
    assert.match(manifest.dependencies['vscode-languageclient'], /^9\.\d+\.\d+$/);
    const lc = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'vscode-languageclient', 'package.json'), 'utf8'));
    const minor = (range: string) => Number(/^\^1\.(\d+)/.exec(range)![1]);
    assert.ok(minor(lc.engines.vscode) <= minor(manifest.engines.vscode), `${lc.engines.vscode} vs ${manifest.engines.vscode}`);
  });

  it('starts `<path> server` and shows the diagnostics of an opened Python file', async () => {
    const doc = await startWithX();
    assert.deepEqual(calls(), [['server']]);
    const [init] = receivedMethod('initialize');
    const caps = init.params!.capabilities as { workspace: { configuration: boolean }; general: { positionEncodings: string[] } };
    assert.equal(caps.workspace.configuration, true);
    assert.deepEqual(caps.general.positionEncodings, ['utf-16']);
    assert.equal(init.params!.rootUri, fake.Uri.file(ws).toString());
    assert.ok(fake.state.output.some((l) => /starting .*fake-redislint\.js server {2}\(cwd /.test(l)));
    assert.ok(fake.state.output.some((l) => l.includes('language server running: fake-redislint 0')));

    const [d] = live().get(doc.uri)!;
    assert.deepEqual(at(d), [2, 2, 2, 7]);
    assert.equal(d.source, 'redislint');
    assert.equal(d.severity, fake.DiagnosticSeverity.Information);
    assert.deepEqual(d.tags, [fake.DiagnosticTag.Deprecated]);
    const code = d.code as { value: string; target: fake.Uri };
    assert.equal(code.value, 'RL310');
    assert.equal(code.target.toString(), 'https://example.org/rules/deprecated-command.md');

    // Only Python files on disk go to the server.
    fake.openDocument(path.join(ROOT, 'README.md'), 'markdown');
    fake.openUntitled('Untitled-1', 'python', 'r.hmset("k", {})\n');
    await sleep(200);
    assert.deepEqual(
      receivedMethod('textDocument/didOpen').map((m) => (m.params!.textDocument as { uri: string }).uri),
      [doc.uri.toString()],
    );
  });

  it('keeps the server in sync with incremental changes, several per event too', async () => {
    const doc = await startWithX();
    fake.editDocument(doc, [{ range: new fake.Range(0, 0, 0, 0), newText: '# first\n' }]);
    await waitFor('moved diagnostic', () => live().get(doc.uri)?.[0].range.start.line === 3);
    // Two edits in one event (as a workspace edit gives them): after the emoji, and above.
    fake.editDocument(doc, [
      { range: new fake.Range(3, 9, 3, 9), newText: '😀' },
      { range: new fake.Range(1, 0, 1, 0), newText: 'r.hmset("a", {})\n' },
    ]);
    await waitFor('two diagnostics', () => live().get(doc.uri)?.length === 2);
    assert.deepEqual(live().get(doc.uri)!.map(at), [
      [1, 2, 1, 7],
      [4, 2, 4, 7],
    ]);
    const changes = receivedMethod('textDocument/didChange');
    assert.equal(changes.length, 2);
    for (const c of changes) for (const cc of c.params!.contentChanges as Array<{ range?: unknown }>) assert.ok(cc.range, 'not incremental');
    // Closing the file clears its diagnostics.
    fake.closeDocument(doc);
    await waitFor('cleared diagnostics', () => !live().get(doc.uri));
  });

  it("offers the server's quick fixes and the rule documentation; the fix applies", async () => {
    const doc = await startWithX();
    const actions = await fake.codeActions(doc, lineRange(doc, 2));
    assert.deepEqual(
      actions.map((a) => [a.title, a instanceof fake.CodeAction ? a.kind?.value : 'command', (a as fake.CodeAction).isPreferred ?? false]),
      [
        ['Show rule documentation for RL310 (deprecated-command)', 'quickfix', false],
        ['Use hset', 'quickfix', true],
        ['Suppress RL310 (deprecated-command) on this statement, with a reason', 'quickfix', false],
      ],
    );
    const docs = actionTitled(actions, /^Show rule documentation/);
    assert.deepEqual(docs.command, { command: 'redislint.showRuleDocumentation', title: 'Show rule documentation', arguments: ['RL310'] });
    await fake.runCodeAction(actionTitled(actions, 'Use hset'));
    assert.equal(doc.getText(), X_TEXT.replace('hmset', 'hset'));
    await waitFor('no diagnostics', () => !live().get(doc.uri));
    assert.deepEqual(await fake.codeActions(doc, lineRange(doc, 2)), []);
  });

  it('the suppress action of the server inserts its comment, then "reason" is selected', async () => {
    const doc = await startWithX();
    fake.state.activeEditor = { document: doc, revealRange: () => undefined };
    const action = actionTitled(await fake.codeActions(doc, lineRange(doc, 2)), /^Suppress RL310/);
    assert.equal(action.command?.command, 'redislint.selectReason');
    await fake.runCodeAction(action);
    const comment = '# redislint: ignore[deprecated-command] -- reason';
    assert.equal(doc.getText(), X_TEXT.replace('r.hmset', `${comment}\nr.hmset`));
    const sel = fake.state.activeEditor.selection!;
    assert.deepEqual([sel.start, sel.end], [new fake.Position(2, comment.length - 6), new fake.Position(2, comment.length)]);
  });

  it("fixAll applies the server's source.fixAll.redislint action", async () => {
    fs.writeFileSync(xPath, `${X_TEXT}def f(c):\n    c.hmset("k2", {})\n`);
    const doc = await startWithX();
    fake.state.activeEditor = { document: doc, revealRange: () => undefined };
    // The action that editor.codeActionsOnSave asks for...
    const [source] = await fake.codeActions(doc, lineRange(doc, 0), fake.CodeActionKind.SourceFixAll.append('redislint'));
    assert.equal((source as fake.CodeAction).kind?.value, 'source.fixAll.redislint');
    // ...is what the command applies.
    await fake.commands.executeCommand('redislint.fixAll');
    assert.equal(doc.getText(), `${X_TEXT}def f(c):\n    c.hmset("k2", {})\n`.replace(/hmset/g, 'hset'));
    await waitFor('no diagnostics', () => !live().get(doc.uri));
    await fake.commands.executeCommand('redislint.fixAll');
    assert.equal(fake.state.messages.at(-1)?.text, 'redislint: no safe fix to apply.');
    assert.deepEqual((receivedMethod('textDocument/codeAction').at(-1)!.params!.context as { only: string[] }).only, ['source.fixAll.redislint']);
  });

  it('passes the settings to the server through workspace/configuration', async () => {
    const doc = await startWithX(() => {
      fake.setSetting('select', 'workspaceValue', ['RL3, RL1 ']);
      fake.setSetting('extendSelect', 'globalValue', ['per-field-keys']);
      fake.setSetting('unsafeFixes', 'workspaceValue', true);
      fake.setSetting('configFile', 'workspaceValue', 'conf/redislint.json');
      fake.setSetting('redisPyVersion', 'globalValue', '5.0');
      fake.setSetting('targetRedisVersion', 'workspaceFolderValue', ' 7.2 ');
      fake.setSetting('args', 'globalValue', ['--select', 'RL1']); // retired
    });
    const want = {
      enable: true,
      select: ['RL3', 'RL1'],
      ignore: null,
      extendSelect: ['per-field-keys'],
      unsafeFixes: true,
      configFile: path.join(ws, 'conf', 'redislint.json'),
      redisPyVersion: '5.0',
      targetRedisVersion: '7.2',
    };
    assert.deepEqual(configurations().at(-1), [want]);
    assert.deepEqual(Object.keys(configurations().at(-1)![0] as object).sort(), [...SERVER_CONFIGURATION_KEYS].sort());
    assert.ok(fake.state.output.some((l) => l.includes('redislint.args is no longer used')));
    assert.equal(live().get(doc.uri)?.length, 1);

    // A change is announced (pull model: no settings in the notification); the server asks again.
    fake.changeSetting('ignore', 'workspaceValue', ['deprecated-command']);
    await waitFor('diagnostics gone', () => !live().get(doc.uri));
    assert.deepEqual(receivedMethod('workspace/didChangeConfiguration').map((m) => m.params), [{ settings: null }]);
    assert.deepEqual(configurations().at(-1), [{ ...want, ignore: ['deprecated-command'] }]);
    assert.deepEqual(calls(), [['server']], 'a settings change does not restart the server');

    fake.changeSetting('ignore', 'workspaceValue', []);
    await waitFor('diagnostics back', () => live().get(doc.uri));
    fake.changeSetting('enable', 'workspaceValue', false);
    await waitFor('diagnostics gone', () => !live().get(doc.uri));
    await waitFor('enable: false pulled', () => (configurations().at(-1)![0] as { enable: boolean }).enable === false);
    assert.deepEqual(await fake.codeActions(doc, lineRange(doc, 2)), []);
  });

  it('in an untrusted workspace starts only the executable of the user settings', async () => {
    const evil = path.join(ws, 'evil-redislint');
    const doc = await startWithX(() => {
      fake.state.trusted = false;
      fake.setSetting('path', 'workspaceValue', evil);
      fake.setSetting('select', 'workspaceValue', ['RL3']);
    });
    assert.deepEqual(calls(), [['server']]);
    assert.ok(fake.state.output.some((l) => l.includes('redislint.path from the workspace settings is ignored')));
    // Other settings are not restricted.
    assert.deepEqual((configurations().at(-1)![0] as { select: string[] }).select, ['RL3']);
    assert.ok(live().get(doc.uri));
    // Granting trust applies the workspace's path: the "evil" one, which is not there.
    fake.state.trusted = true;
    fake.state.events.trust.fire();
    await waitFor('not-found message', () => errors().find((m) => m.text.includes('evil-redislint" was not found')));
    await waitFor('server stopped', () => receivedMethod('exit').length === 1);
    assert.deepEqual(receivedMethod('shutdown').length, 1);
  });

  it('reports a missing executable once until the settings change', async () => {
    activate(ws, () => fake.setSetting('path', 'globalValue', path.join(ws, 'no-such-redislint')));
    const doc = fake.openDocument(xPath);
    for (let i = 0; i < 3; i++) {
      fake.changeDocument(doc, doc.getText() + '\n');
      fake.state.events.save.fire(doc);
      await sleep(30);
    }
    await waitFor('error', () => errors().length === 1);
    await sleep(100);
    assert.equal(errors().length, 1);
    assert.match(errors()[0].text, /no-such-redislint" was not found\. Install redislint .*redislint\.path/);
    fake.changeSetting('path', 'globalValue', path.join(ws, 'still-no-redislint'));
    await waitFor('second message', () => errors().length === 2);
    assert.deepEqual(calls(), []);
  });

  it('a redislint without a language server: its message is logged and an error shown', async () => {
    process.env.FAKE_SERVER_FAIL = '1';
    start();
    await waitFor('failed start', () => fake.state.output.some((l) => l.includes('the language server did not start')));
    assert.ok(fake.state.output.some((l) => l.includes("redislint: unknown command 'server'")));
    await sleep(300);
    // One message (the client's, with a button to the log); no restarts.
    assert.deepEqual(errors().map((m) => m.text), ["redislint client: couldn't create connection to server."]);
    assert.deepEqual(calls(), [['server']]);
    // The restart command tries again (and fails again).
    await fake.commands.executeCommand('redislint.restartServer');
    assert.deepEqual(calls(), [['server'], ['server']]);
  });

  it('a server that keeps stopping is restarted 4 times, then reported once', async () => {
    start();
    await waitFor('server running', () => fake.state.output.some((l) => l.includes('language server running')));
    fs.writeFileSync(path.join(ws, 'app', 'crash.py'), 'CRASH\n');
    try {
      fake.openDocument(path.join(ws, 'app', 'crash.py'));
      await waitFor('report', () => errors().length > 0);
      assert.deepEqual(calls(), [['server'], ['server'], ['server'], ['server'], ['server']]);
      assert.equal(fake.state.output.filter((l) => l.includes('the language server stopped; restarting it')).length, 4);
      assert.deepEqual(
        errors().map((m) => m.text),
        [
          'redislint: the language server stopped 5 times in 3 minutes and was not restarted; see the log, and run "redislint: Restart the language server" once it is fixed',
        ],
      );
    } finally {
      fs.rmSync(path.join(ws, 'app', 'crash.py'));
    }
  });

  it('restartServer starts a new server; deactivation shuts it down', async () => {
    const doc = await startWithX();
    await fake.commands.executeCommand('redislint.restartServer');
    assert.deepEqual(calls(), [['server'], ['server']]);
    assert.equal(receivedMethod('shutdown').length, 1);
    await waitFor('diagnostics from the new server', () => receivedMethod('textDocument/didOpen').length === 2 && live().get(doc.uri));
    await deactivate();
    await waitFor('exit of the second server', () => receivedMethod('exit').length === 2);
  });

  it('loads SARIF files from .sarif/ and from the command, and clears them', async () => {
    const sarifDir = path.join(ws, '.sarif');
    fs.mkdirSync(sarifDir, { recursive: true });
    const log = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'sample.sarif'), 'utf8');
    const ci = JSON.parse(log);
    ci.runs[0].originalUriBaseIds = { '%SRCROOT%': { uri: 'file:///home/runner/work/project/' } };
    fs.writeFileSync(path.join(sarifDir, 'ci.sarif'), JSON.stringify(ci));
    const review = () => fake.collection('redislint-sarif');
    try {
      start();
      const xUri = fake.Uri.file(xPath);
      const diags = await waitFor('review diagnostics', () => review().get(xUri));
      assert.deepEqual(diags.map((d) => d.source), ['redislint (SARIF)', 'redislint (SARIF)']);
      assert.equal(diags[1].relatedInformation?.[0].message, 'the separate expiry');
      // Deleting the file removes its results.
      fake.state.watchers[0].del.fire(fake.Uri.file(path.join(sarifDir, 'ci.sarif')));
      assert.equal(review().entries.size, 0);
      // Loading by command.
      fake.state.openDialogResult = [fake.Uri.file(path.join(sarifDir, 'ci.sarif'))];
      await fake.commands.executeCommand('redislint.loadSarif');
      assert.equal(review().get(xUri)?.length, 2);
      assert.match(fake.state.messages.at(-1)!.text, /loaded 4 result\(s\) in 2 file\(s\)/);
      // Review results offer no fixes, only suppress and docs; the live ones come from the server.
      const doc = fake.openDocument(xPath);
      await waitFor('live diagnostics', () => live().get(doc.uri));
      const titles = (await fake.codeActions(doc, new fake.Range(4, 0, 4, 100))).map((a) => a.title);
      assert.deepEqual(titles, ['Suppress RL202 on this line', 'Show rule documentation for RL202 (set-then-expire)']);
      // Suppressing a review result: the comment at the end of the line, "reason" selected.
      fake.state.activeEditor = { document: doc, revealRange: () => undefined };
      await fake.commands.executeCommand('redislint.suppress', doc.uri.toString(), 1, 'set-then-expire');
      assert.equal(doc.getText().split('\n')[1], 'r = redis.Redis()  # redislint: ignore[set-then-expire] -- reason');
      const sel = fake.state.activeEditor.selection!;
      assert.deepEqual([sel.start.line, doc.getText().split('\n')[1].slice(sel.start.character, sel.end.character)], [1, 'reason']);
      await fake.commands.executeCommand('redislint.clearSarif');
      assert.equal(review().entries.size, 0);
    } finally {
      fs.rmSync(sarifDir, { recursive: true, force: true });
    }
  });

  it('lints the workspace in one `check` run with the options of the settings', async () => {
    const yPath = path.join(ws, 'app', 'y.py');
    fs.writeFileSync(yPath, 'r.hmset("a", {})\n');
    const results = () => fake.collection('redislint-workspace');
    try {
      start(() => {
        fake.setSetting('select', 'workspaceValue', ['RL310']);
        fake.setSetting('ignore', 'globalValue', ['RL1', 'RL2']);
        fake.setSetting('targetRedisVersion', 'globalValue', '6.2');
      });
      await fake.commands.executeCommand('redislint.lintWorkspace');
      assert.equal(results().get(fake.Uri.file(xPath))?.length, 1);
      assert.equal(results().get(fake.Uri.file(yPath))?.length, 1);
      assert.deepEqual(
        calls().filter((c) => c[0] === 'check'),
        [['check', '--format', 'sarif', '--select', 'RL310', '--ignore', 'RL1,RL2', '--target-redis-version', '6.2', ws]],
      );
      assert.match(fake.state.messages.at(-1)!.text, /2 finding\(s\) in 2 file\(s\)/);
      // Results of the workspace run offer suppress and docs.
      const y = fake.openDocument(yPath);
      // Opened: the server's diagnostics replace the workspace results.
      assert.equal(results().get(y.uri), undefined);
      await waitFor('live diagnostics', () => live().get(y.uri));
      const x = fake.openDocument(xPath);
      await waitFor('live diagnostics', () => live().get(x.uri));
      // A run with open files leaves them to the server.
      await fake.commands.executeCommand('redislint.lintWorkspace');
      assert.equal(results().entries.size, 0);
    } finally {
      fs.rmSync(yPath);
    }
  });

  it('reports a failing workspace run (exit 2) with its message', async () => {
    start();
    fs.writeFileSync(xPath, 'BOOM\n');
    await fake.commands.executeCommand('redislint.lintWorkspace');
    await waitFor('error', () => errors().length === 1);
    assert.match(errors()[0].text, /exit status 2\): redislint: error: boom/);
  });

  it('shows rule documentation from `redislint rule`, or the SARIF help', async () => {
    start();
    await fake.commands.executeCommand('redislint.showRuleDocumentation', 'RL310');
    assert.equal(fake.state.shown[0].languageId, 'markdown');
    assert.equal(fake.state.shown[0].getText(), '# RL310 fake documentation\n');
    assert.equal(fake.state.shown[0].uri.toString(), 'redislint-rule:/RL310.md');
    await fake.commands.executeCommand('redislint.showRuleDocumentation', 'NOPE');
    assert.match(fake.state.shown[1].getText(), /could not be loaded: redislint: unknown rule 'NOPE'/);
  });
});
