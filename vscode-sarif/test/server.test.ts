// The language-client path end to end: extension.ts with the real
// vscode-languageclient (node transport, stdio) starts the real
// `redislint server` (path in $REDISLINT) in the fake VS Code of
// fake-vscode.ts. Checks diagnostics that need another file of the project,
// positions in UTF-16 after non-ASCII and astral characters, quick fixes and
// suppressions applied through the client and linted again, fix-all (the
// command and source.fixAll.redislint) against the repository's fix pairs,
// redislint.enable, and the settings the server asks for.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, it, TestContext } from 'node:test';
import * as fake from './fake-vscode';
import { actionTitled, activate, deactivate, lineRange, live, waitFor } from './harness';
import { fixture, ROOT } from './helpers';

const BINARY = process.env.REDISLINT;
const missing = !BINARY ? 'REDISLINT is not set' : !fs.existsSync(BINARY) ? `REDISLINT=${BINARY} does not exist` : '';
if (missing && process.env.CI) {
  // In CI the language-client test must run: fail loudly instead of skipping.
  describe('the redislint language server through vscode-languageclient', () => {
    it('needs the redislint binary', () => {
      assert.fail(`${missing}: build redislint and pass its path in REDISLINT`);
    });
  });
}
const skip = missing ? `${missing}; set REDISLINT to the built binary to run the language-client test` : false;
const it_ = (name: string, fn: (t: TestContext) => Promise<void>) => it(name, { skip }, fn);

// A project of two files: `kv` is a Redis client only for whom reads extensions.py.
const EXTENSIONS_PY = 'import redis\n\nkv = redis.Redis(host="localhost", socket_timeout=5, socket_connect_timeout=5)\n';
const VIEWS_PY =
  'from .extensions import kv\n\n\n' +
  'def card(product_id, render):\n' +
  '    html = kv.get(f"card:{product_id}")\n' +
  '    if html is None:\n' +
  '        html = render(product_id)\n' +
  '        kv.set(f"card:{product_id}", html)\n' +
  '    return html\n\n\n' +
  'def save(user):\n' +
  '    name = "Zoë 😀"; kv.hmset(f"user:{user}", {"name": name})\n' +
  '    kv.hmset("legacy", {"a": 1})  # old\n';

let work = '';
let views = '';

function start(folder: string, configure?: () => void): void {
  activate(folder, () => {
    fake.setSetting('path', 'globalValue', BINARY);
    configure?.();
  });
}

/** Opens a file and waits for the server's first diagnostics (possibly none). */
async function open(file: string): Promise<fake.FakeDocument> {
  const doc = fake.openDocument(file);
  await waitFor(`diagnostics of ${file}`, () => (live().updates.get(doc.uri.toString()) ?? 0) > 0);
  return doc;
}

/** Waits until the server has published again (after an edit). */
async function republished(doc: fake.FakeDocument, before: number): Promise<fake.Diagnostic[]> {
  await waitFor('new diagnostics', () => (live().updates.get(doc.uri.toString()) ?? 0) > before);
  return live().get(doc.uri) ?? [];
}

const updates = (doc: fake.FakeDocument): number => live().updates.get(doc.uri.toString()) ?? 0;
const codesAt = (diags: fake.Diagnostic[]) => diags.map((d) => `${(d.code as { value: string }).value}@${d.range.start.line}`);

function project(dir: string): string {
  fs.mkdirSync(path.join(dir, 'app'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '');
  fs.writeFileSync(path.join(dir, 'app', '__init__.py'), '');
  fs.writeFileSync(path.join(dir, 'app', 'extensions.py'), EXTENSIONS_PY);
  fs.writeFileSync(path.join(dir, 'app', 'views.py'), VIEWS_PY);
  return path.join(dir, 'app', 'views.py');
}

describe('the redislint language server through vscode-languageclient', () => {
  before(() => {
    if (skip) return;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'redislint-lsp-'));
    views = project(path.join(work, 'proj'));
  });
  afterEach(async () => {
    await deactivate();
  });
  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it_('diagnostics that need another file of the project, with UTF-16 positions', async () => {
    start(path.join(work, 'proj'));
    const doc = await open(views);
    const diags = live().get(doc.uri)!;
    assert.deepEqual(codesAt(diags), ['RL201@7', 'RL310@12', 'RL310@13']);
    const line = VIEWS_PY.split('\n')[12];
    const call = 'kv.hmset(f"user:{user}", {"name": name})';
    const d = diags[1];
    // After "Zoë 😀": 1 code unit for ë, 2 for the emoji.
    assert.deepEqual(
      [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
      [12, line.indexOf(call), 12, line.indexOf(call) + call.length],
    );
    assert.equal(d.range.start.character, 21);
    assert.equal(d.source, 'redislint');
    assert.equal(d.severity, fake.DiagnosticSeverity.Information);
    assert.deepEqual(d.tags, [fake.DiagnosticTag.Deprecated]);
    const code = d.code as { value: string; target: fake.Uri };
    assert.equal(code.value, 'RL310');
    assert.match(code.target.toString(), /\/deprecated-command\.md$/);
    assert.match(diags[0].message, /without a TTL/);

    // With extensions.py, `kv` is proven to be a client: RL310 comes with its fix.
    const titles = async (d: fake.FakeDocument) => (await fake.codeActions(d, lineRange(d, 13))).map((a) => a.title);
    assert.ok((await titles(doc)).includes('Use `kv.hset(<key>, mapping=<dict>)`'));
    // Alone (no extensions.py next to it), `kv` is only inferred from its methods: no fix.
    const alone = path.join(work, 'alone');
    fs.mkdirSync(alone, { recursive: true });
    fs.writeFileSync(path.join(alone, 'views.py'), VIEWS_PY);
    const aloneDoc = await open(path.join(alone, 'views.py'));
    assert.ok(codesAt(live().get(aloneDoc.uri)!).includes('RL310@13'));
    assert.ok(!(await titles(aloneDoc)).some((t) => t.startsWith('Use ')), (await titles(aloneDoc)).join(' | '));

    // Closing a file clears its diagnostics.
    const n = updates(doc);
    fake.closeDocument(doc);
    assert.deepEqual(await republished(doc, n), []);
  });

  it_('edits reach the server incrementally and are linted again', async () => {
    start(path.join(work, 'proj'));
    const doc = await open(views);
    let n = updates(doc);
    // An astral character before the finding moves it by two code units.
    fake.editDocument(doc, [{ range: new fake.Range(12, 4, 12, 4), newText: '😀 = 1; ' }]);
    let diags = await republished(doc, n);
    assert.deepEqual(codesAt(diags), ['RL201@7', 'RL310@12', 'RL310@13']);
    assert.equal(diags[1].range.start.character, 21 + '😀 = 1; '.length);
    // Lines inserted above, and a line removed, in one change event.
    n = updates(doc);
    fake.editDocument(doc, [
      { range: new fake.Range(0, 0, 0, 0), newText: '# header\n# header\n' },
      { range: new fake.Range(12, 0, 13, 0), newText: '' },
    ]);
    diags = await republished(doc, n);
    assert.deepEqual(codesAt(diags), ['RL201@9', 'RL310@14']);
  });

  it_("the server's quick fix, applied through the client, and the documentation action", async () => {
    start(path.join(work, 'proj'));
    const doc = await open(views);
    const actions = await fake.codeActions(doc, lineRange(doc, 13));
    assert.deepEqual(
      actions.map((a) => a.title),
      [
        'Show rule documentation for RL310 (deprecated-command)',
        'Use `kv.hset(<key>, mapping=<dict>)`',
        'Suppress RL310 (deprecated-command) on this statement, with a reason',
      ],
    );
    const fix = actionTitled(actions, /^Use /);
    assert.equal(fix.isPreferred, true);
    const n = updates(doc);
    await fake.runCodeAction(fix);
    assert.equal(doc.getText().split('\n')[13], '    kv.hset("legacy", mapping={"a": 1})  # old');
    assert.deepEqual(codesAt(await republished(doc, n)), ['RL201@7', 'RL310@12']);
  });

  it_('the suppression of the server: the comment above, "reason" selected, the finding gone', async () => {
    start(path.join(work, 'proj'));
    const doc = await open(views);
    fake.state.activeEditor = { document: doc, revealRange: () => undefined };
    const action = actionTitled(await fake.codeActions(doc, lineRange(doc, 13)), /^Suppress RL310/);
    const n = updates(doc);
    await fake.runCodeAction(action);
    const lines = doc.getText().split('\n');
    assert.equal(lines[13], '    # redislint: ignore[deprecated-command] -- reason');
    const sel = fake.state.activeEditor.selection!;
    assert.equal(sel.start.line, 13);
    assert.equal(lines[13].slice(sel.start.character, sel.end.character), 'reason');
    assert.deepEqual(codesAt(await republished(doc, n)), ['RL201@7', 'RL310@12']);
  });

  it_('fix all (the command, and source.fixAll.redislint) on LF and CRLF files', async () => {
    const dir = path.join(work, 'fixall');
    fs.mkdirSync(path.join(dir, 'app'), { recursive: true });
    const file = path.join(dir, 'app', 'combined.py');
    const lf = fixture('combined.py');
    const expected =
      'import redis\n\nr = redis.Redis(host="cache")\n\n\ndef save(user):\n' +
      '    name = "Zoë 😀"; r.hset(f"user:{user}", mapping={"name": name})  # legacy\n' +
      '    x = "café"; r.set("x", 1, ex=10)\n    return x\n';
    for (const [text, want] of [
      [lf, expected],
      [lf.replace(/\n/g, '\r\n'), expected.replace(/\n/g, '\r\n')],
    ]) {
      fs.writeFileSync(file, text);
      start(dir);
      const doc = await open(file);
      assert.deepEqual(codesAt(live().get(doc.uri)!), ['RL402@2', 'RL310@6', 'RL202@7']);
      const related = live().get(doc.uri)![2].relatedInformation!;
      assert.equal(related[0].message, 'the separate expiry');
      assert.equal(doc.getText(related[0].location.range), 'r.expire("x", 10)');
      // What editor.codeActionsOnSave asks for.
      const [source] = await fake.codeActions(doc, lineRange(doc, 0), fake.CodeActionKind.SourceFixAll.append('redislint'));
      assert.equal((source as fake.CodeAction).kind?.value, 'source.fixAll.redislint');
      fake.state.activeEditor = { document: doc, revealRange: () => undefined };
      const n = updates(doc);
      await fake.commands.executeCommand('redislint.fixAll');
      assert.equal(doc.getText(), want);
      // RL402's fix is unsafe: it stays.
      assert.deepEqual(codesAt(await republished(doc, n)), ['RL402@2']);
      await deactivate();
    }
  });

  it_("fix all gives the repository's *.fixed.py of every safe fix pair", async (t) => {
    // tests/fixtures/<slug>/X.py + X.fixed.py of the linter's own test suite.
    const fixtures = path.join(ROOT, '..', 'tests', 'fixtures');
    if (!fs.existsSync(fixtures)) {
      t.skip('no tests/fixtures next to the extension');
      return;
    }
    const pairs: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        // `*unsafe*` pairs are about --unsafe-fixes, which fix-all does not apply
        else if (e.name.endsWith('.fixed.py') && !e.name.includes('unsafe')) pairs.push(p);
      }
    };
    walk(fixtures);
    assert.ok(pairs.length > 0);
    const root = path.join(work, 'pairs');
    start(root);
    for (const [i, fixed] of pairs.sort().entries()) {
      const src = fixed.slice(0, -'.fixed.py'.length) + '.py';
      // Each fixture is a file of its own, not a part of the repository's project.
      const dir = path.join(root, String(i));
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, path.basename(src));
      fs.copyFileSync(src, file);
      const doc = await open(file);
      fake.state.activeEditor = { document: doc, revealRange: () => undefined };
      await fake.commands.executeCommand('redislint.fixAll');
      assert.equal(doc.getText(), fs.readFileSync(fixed, 'utf8'), `${src}: fix all does not give ${path.basename(fixed)}`);
      fake.closeDocument(doc);
    }
    t.diagnostic(`${pairs.length} fix pairs checked`);
  });

  it_('redislint.enable: false hides the diagnostics and code actions, true brings them back', async () => {
    start(path.join(work, 'proj'));
    const doc = await open(views);
    fake.changeSetting('enable', 'workspaceValue', false);
    await waitFor('hidden', () => !live().get(doc.uri));
    assert.deepEqual(await fake.codeActions(doc, lineRange(doc, 13)), []);
    fake.state.activeEditor = { document: doc, revealRange: () => undefined };
    await fake.commands.executeCommand('redislint.fixAll');
    assert.match(fake.state.messages.at(-1)!.text, /turned off for this file/);
    fake.changeSetting('enable', 'workspaceValue', true);
    await waitFor('shown again', () => live().get(doc.uri)?.length === 3);
  });

  /** Whether the server asked for its settings (seen in the client's trace of the messages). */
  const askedForSettings = () => fake.state.output.some((l) => l.includes("Received request 'workspace/configuration"));
  const tracing = () => fake.setSetting('trace.server', 'globalValue', 'messages');

  it_('settings reach the server through workspace/configuration, and their changes', async (t) => {
    start(path.join(work, 'proj'), () => {
      tracing();
      fake.setSetting('ignore', 'workspaceValue', ['deprecated-command']);
    });
    const doc = await open(views);
    if (!askedForSettings()) {
      t.skip('this redislint server does not ask for workspace/configuration');
      return;
    }
    assert.deepEqual(codesAt(live().get(doc.uri)!), ['RL201@7']);
    let n = updates(doc);
    fake.changeSetting('ignore', 'workspaceValue', []);
    assert.deepEqual(codesAt(await republished(doc, n)), ['RL201@7', 'RL310@12', 'RL310@13']);
    n = updates(doc);
    fake.changeSetting('select', 'workspaceValue', ['RL2']);
    assert.deepEqual(codesAt(await republished(doc, n)), ['RL201@7']);
    // No warning from the server about any value the extension sent.
    assert.deepEqual(fake.state.messages.filter((m) => m.level !== 'info'), []);
  });

  it_('unsafeFixes offers the unsafe fixes as quick fixes; fix all still leaves them', async (t) => {
    const dir = path.join(work, 'unsafe');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'combined.py');
    fs.writeFileSync(file, fixture('combined.py'));
    start(dir, () => {
      tracing();
      fake.setSetting('unsafeFixes', 'globalValue', true);
    });
    const doc = await open(file);
    if (!askedForSettings()) {
      t.skip('this redislint server does not ask for workspace/configuration');
      return;
    }
    const fix = actionTitled(await fake.codeActions(doc, lineRange(doc, 2)), /^Add `socket_timeout=5/);
    assert.notEqual(fix.isPreferred, true);
    fake.state.activeEditor = { document: doc, revealRange: () => undefined };
    let n = updates(doc);
    await fake.commands.executeCommand('redislint.fixAll');
    assert.equal(doc.getText().split('\n')[2], 'r = redis.Redis(host="cache")');
    assert.deepEqual(codesAt(await republished(doc, n)), ['RL402@2']);
    n = updates(doc);
    fake.changeSetting('unsafeFixes', 'globalValue', false);
    await republished(doc, n);
    assert.ok(!(await fake.codeActions(doc, lineRange(doc, 2))).some((a) => a.title.startsWith('Add `socket_timeout')));
  });
});
