// Runs the real redislint binary (path in $REDISLINT) the way the extension
// does and checks diagnostics and fix edits character by character, on lines
// with non-ASCII (é, ë) and astral (😀, two UTF-16 code units) characters
// before the finding.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it, TestContext } from 'node:test';
import { fixAllAction, quickFixes } from '../src/actions';
import { applyEdits, splitLines } from '../src/edits';
import { interpretLintRun, runProcess } from '../src/runner';
import { convertLog, groupByLocation, SarifLog } from '../src/sarif';
import { folderCheckArgs, stdinCheckArgs } from '../src/settings';
import { planSuppression } from '../src/suppress';
import { DiagnosticData, Rng } from '../src/types';
import { FIXTURES, fixture, ROOT } from './helpers';

const BINARY = process.env.REDISLINT;
const missing = !BINARY ? 'REDISLINT is not set' : !fs.existsSync(BINARY) ? `REDISLINT=${BINARY} does not exist` : '';
if (missing && process.env.CI) {
  // In CI the integration test must run: fail loudly instead of skipping.
  describe('integration with the redislint binary', () => {
    it('needs the redislint binary', () => {
      assert.fail(`${missing}: build redislint and pass its path in REDISLINT`);
    });
  });
}
const skip = missing ? `${missing}; set REDISLINT to the built binary to run the integration test` : false;

// Only the rules under test: new rules of the linter must not change these
// expectations (this also passes user arguments the way the extension does).
const SELECT = ['--select', 'RL202,RL310'];

/** What the extension does for one buffer: stdin run, then conversion. */
async function lintBuffer(text: string, stdinName: string, cwd: string): Promise<DiagnosticData[]> {
  const r = await runProcess({ command: BINARY!, args: stdinCheckArgs(SELECT, stdinName), cwd, input: text, timeoutMs: 30000 });
  const o = interpretLintRun(r);
  assert.equal(o.kind, 'ok', JSON.stringify(o));
  const doc = path.join(cwd, stdinName);
  const lines = splitLines(text);
  return convertLog((o as { log: SarifLog }).log, {
    roots: [cwd],
    forceLocation: doc,
    lineText: (_loc, line) => lines[line],
  }).diagnostics;
}

/** Each test is skipped (and counted as skipped) without the binary. */
const it_ = (name: string, fn: (t: TestContext) => Promise<void>) => it(name, { skip }, fn);

function slice(text: string, r: Rng): string {
  const lines = splitLines(text);
  assert.equal(r.start.line, r.end.line, 'single-line range expected');
  return lines[r.start.line].slice(r.start.character, r.end.character);
}

describe('integration with the redislint binary', () => {
  let work = '';
  before(() => {
    if (skip) return;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'redislint-vsx-'));
  });
  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it_('RL310 after an emoji: range, tag, code link and the safe fix', async () => {
    const text = fixture('deprecated.py');
    const diags = await lintBuffer(text, 'app/deprecated.py', work);
    assert.equal(diags.length, 1);
    const [d] = diags;
    assert.equal(d.ruleId, 'RL310');
    assert.equal(d.ruleSlug, 'deprecated-command');
    assert.equal(d.severity, 'information');
    assert.deepEqual(d.tags, ['deprecated']);
    assert.match(d.helpUri ?? '', /deprecated-command/);
    assert.equal(d.location, path.join(work, 'app', 'deprecated.py'));
    // `r.hmset("k😀", {"a": 1})`: 23 characters, 24 UTF-16 code units.
    assert.deepEqual(d.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 24 } });
    assert.equal(slice(text, d.range), 'r.hmset("k😀", {"a": 1})');

    assert.equal(d.fixes.length, 1);
    const fix = d.fixes[0];
    assert.equal(fix.applicability, 'safe');
    // "hmset" is at UTF-16 offsets 2..7; "{" follows the emoji at offset 15.
    assert.deepEqual(
      fix.edits.map((e) => [e.range, e.newText]),
      [
        [{ start: { line: 3, character: 2 }, end: { line: 3, character: 7 } }, 'hset'],
        [{ start: { line: 3, character: 15 }, end: { line: 3, character: 15 } }, 'mapping='],
      ],
    );
    assert.equal(slice(text, fix.edits[0].range), 'hmset');
    assert.equal(applyEdits(text, fix.edits), 'import redis\n\nr = redis.Redis()\nr.hset("k😀", mapping={"a": 1})\n');

    const actions = quickFixes(diags, { fixesUsable: true, documentUri: 'file:///x' });
    assert.equal(actions[0].title, 'Use `r.hset(<key>, mapping=<dict>)`');
    assert.equal(actions[0].isPreferred, true);
  });

  it_('RL202 after "café": range, related location, and the two-part fix', async () => {
    const text = fixture('set_expire.py');
    const [d, ...rest] = await lintBuffer(text, 'app/set_expire.py', work);
    assert.deepEqual(rest, []);
    assert.equal(d.ruleId, 'RL202');
    assert.equal(d.ruleSlug, 'set-then-expire');
    assert.equal(d.severity, 'warning');
    assert.deepEqual(d.tags, []);
    // `x = "café"; ` is 12 code units (é is one), so r.set starts at 12.
    assert.deepEqual(d.range, { start: { line: 3, character: 12 }, end: { line: 3, character: 25 } });
    assert.equal(slice(text, d.range), 'r.set("x", 1)');
    assert.equal(d.related.length, 1);
    assert.equal(d.related[0].location, d.location);
    assert.equal(slice(text, d.related[0].range), 'r.expire("x", 10)');

    const fix = d.fixes[0];
    assert.equal(fix.applicability, 'safe');
    assert.deepEqual(
      fix.edits.map((e) => [e.range, e.newText]),
      [
        [{ start: { line: 3, character: 24 }, end: { line: 3, character: 24 } }, ', ex=10'],
        [{ start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, ''],
      ],
    );
    assert.equal(
      applyEdits(text, fix.edits),
      'import redis\n\nr = redis.Redis()\nx = "café"; r.set("x", 1, ex=10)\nprint(x)\n',
    );
  });

  it_('fix all on an indented file with both findings, LF and CRLF', async () => {
    const lf = fixture('combined.py');
    const expected =
      'import redis\n\nr = redis.Redis()\n\n\ndef save(user):\n' +
      '    name = "Zoë 😀"; r.hset(f"user:{user}", mapping={"name": name})  # legacy\n' +
      '    x = "café"; r.set("x", 1, ex=10)\n    return x\n';
    for (const [text, want] of [
      [lf, expected],
      [lf.replace(/\n/g, '\r\n'), expected.replace(/\n/g, '\r\n')],
    ]) {
      const diags = await lintBuffer(text, 'app/combined.py', work);
      assert.deepEqual(diags.map((d) => d.ruleId), ['RL310', 'RL202']);
      assert.equal(slice(text, diags[0].range), 'r.hmset(f"user:{user}", {"name": name})');
      assert.deepEqual(diags[0].range.start, { line: 6, character: 21 });
      const action = fixAllAction(diags, path.join(work, 'app', 'combined.py'));
      assert.ok(action?.edits);
      assert.equal(applyEdits(text, action.edits), want);
      // The fixed text is clean.
      assert.deepEqual(await lintBuffer(want, 'app/combined.py', work), []);
    }
  });

  it_('suppression comments land on the finding line or above it, and silence the finding', async () => {
    const text = fixture('combined.py');
    const diags = await lintBuffer(text, 'app/combined.py', work);
    const lines = splitLines(text);
    const hm = planSuppression(lines, diags[0].range.start.line, diags[0].ruleSlug!)!;
    const ex = planSuppression(lines, diags[1].range.start.line, diags[1].ruleSlug!)!;
    // The RL310 line ends with "# legacy": the comment goes above, indented.
    assert.equal(hm.placement, 'above');
    assert.equal(ex.placement, 'append');
    const out = applyEdits(text, [hm.edit, ex.edit]);
    const outLines = splitLines(out);
    assert.equal(outLines[6], '    # redislint: ignore[deprecated-command] -- reason');
    assert.equal(outLines[8], '    x = "café"; r.set("x", 1)  # redislint: ignore[set-then-expire] -- reason');
    // redislint honours the comments it suggests: both findings are gone.
    const after = await lintBuffer(out, 'app/combined.py', work);
    assert.deepEqual(after.map((d) => d.ruleId), []);
  });

  it_('a folder run (Lint workspace) resolves absolute and %SRCROOT% URIs to the files', async () => {
    const app = path.join(work, 'proj', 'app');
    fs.mkdirSync(app, { recursive: true });
    for (const f of ['deprecated.py', 'set_expire.py']) fs.copyFileSync(path.join(FIXTURES, f), path.join(app, f));
    const root = path.join(work, 'proj');
    for (const target of [root, '.']) {
      const r = await runProcess({ command: BINARY!, args: folderCheckArgs(SELECT, target), cwd: root, timeoutMs: 60000 });
      const o = interpretLintRun(r);
      assert.equal(o.kind, 'ok');
      const byFile = groupByLocation(convertLog((o as { log: SarifLog }).log, { roots: [root], exists: fs.existsSync }).diagnostics);
      assert.deepEqual([...byFile.keys()].sort(), [path.join(app, 'deprecated.py'), path.join(app, 'set_expire.py')]);
      const d = byFile.get(path.join(app, 'deprecated.py'))![0];
      assert.deepEqual(d.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 24 } });
      assert.equal(d.fixes[0].edits[0].location, path.join(app, 'deprecated.py'));
    }
  });

  it_("fix all gives the repository's *.fixed.py of every fix pair", async (t) => {
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
        // `*unsafe*` pairs are about --unsafe-fixes, which fix-all never applies
        else if (e.name.endsWith('.fixed.py') && !e.name.includes('unsafe')) pairs.push(p);
      }
    };
    walk(fixtures);
    assert.ok(pairs.length > 0);
    for (const fixed of pairs.sort()) {
      const src = fixed.slice(0, -'.fixed.py'.length) + '.py';
      const ruleDir = path.join(fixtures, path.relative(fixtures, src).split(path.sep)[0]);
      const name = path.relative(ruleDir, src).split(path.sep).join('/');
      const text = fs.readFileSync(src, 'utf8');
      const want = fs.readFileSync(fixed, 'utf8');
      // All rules: the pairs are about every safe fix of the file. Each fixture
      // is a file of its own, not a part of the repository's project.
      const r = await runProcess({ command: BINARY!, args: stdinCheckArgs(['--no-project'], name), cwd: ruleDir, input: text, timeoutMs: 30000 });
      const o = interpretLintRun(r);
      assert.equal(o.kind, 'ok', `${src}: ${JSON.stringify(o)}`);
      const doc = path.join(ruleDir, name);
      const diags = convertLog((o as { log: SarifLog }).log, { roots: [ruleDir], forceLocation: doc }).diagnostics;
      const action = fixAllAction(diags, doc);
      const safe = diags.filter((d) => d.fixes.some((f) => f.applicability === 'safe')).length;
      assert.ok(action?.edits, `${src}: no safe fix`);
      assert.equal(action.diagnostics.length, safe, `${src}: some safe fixes were left out`);
      assert.equal(applyEdits(text, action.edits), want, `${src}: fix all does not give ${path.basename(fixed)}`);
    }
    t.diagnostic(`${pairs.length} fix pairs checked`);
  });

  it_('rule documentation and usage errors', async () => {
    const doc = await runProcess({ command: BINARY!, args: ['rule', 'RL310'], timeoutMs: 30000 });
    assert.equal(doc.exitCode, 0);
    assert.match(doc.stdout, /deprecated-command/);
    const bad = await runProcess({ command: BINARY!, args: stdinCheckArgs(['--select', 'RL999'], 'a.py'), input: 'x = 1\n', timeoutMs: 30000 });
    const o = interpretLintRun(bad);
    assert.equal(o.kind, 'error');
    assert.match((o as { message: string }).message, /exit status 2.*RL999/);
  });
});
