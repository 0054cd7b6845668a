// Runs the real redislint CLI (path in $REDISLINT) and checks what the
// extension makes of its SARIF (the format of code review and of
// Lint workspace) character by character, on lines with non-ASCII (é, ë) and
// astral (😀, two UTF-16 code units) characters before the finding; and that
// the options the settings give `check` are accepted. The language server is
// tested in server.test.ts.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it, TestContext } from 'node:test';
import { applyEdits, splitLines } from '../src/edits';
import { interpretLintRun, runProcess } from '../src/runner';
import { convertLog, groupByLocation, SarifLog } from '../src/sarif';
import { checkOptionArgs, DEFAULTS, folderCheckArgs, serverConfiguration } from '../src/settings';
import { planSuppression } from '../src/suppress';
import { DiagnosticData, Rng } from '../src/types';
import { FIXTURES, fixture } from './helpers';

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
// expectations (given the way the extension turns settings into options).
const SELECT = checkOptionArgs(serverConfiguration({ ...DEFAULTS, select: ['RL202', 'RL310'] }, undefined));

/** A buffer on stdin (as pre-commit hooks and CI logs of changed files see it), then conversion. */
async function lintBuffer(text: string, stdinName: string, cwd: string): Promise<DiagnosticData[]> {
  const args = ['check', '--format', 'sarif', ...SELECT, '--stdin-filename', stdinName, '-'];
  const r = await runProcess({ command: BINARY!, args, cwd, input: text, timeoutMs: 30000 });
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
    assert.equal(fix.title, 'Use `r.hset(<key>, mapping=<dict>)`');
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

  it_('rule documentation and usage errors', async () => {
    const doc = await runProcess({ command: BINARY!, args: ['rule', 'RL310'], timeoutMs: 30000 });
    assert.equal(doc.exitCode, 0);
    assert.match(doc.stdout, /deprecated-command/);
    const dir = path.join(work, 'usage');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'a.py'), 'x = 1\n');
    const options = checkOptionArgs(serverConfiguration({ ...DEFAULTS, select: ['RL999'] }, dir));
    const bad = await runProcess({ command: BINARY!, args: folderCheckArgs(options, dir), cwd: dir, timeoutMs: 30000 });
    const o = interpretLintRun(bad);
    assert.equal(o.kind, 'error');
    assert.match((o as { message: string }).message, /exit status 2.*RL999/);
  });

  it_('every setting turns into options that `check` accepts (Lint workspace)', async () => {
    const root = path.join(work, 'options');
    fs.mkdirSync(path.join(root, 'app'), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, 'combined.py'), path.join(root, 'app', 'combined.py'));
    fs.writeFileSync(path.join(root, 'other.json'), '{"severity": {"RL310": "error"}}\n');
    const settings = {
      ...DEFAULTS,
      select: ['RL2', 'RL3'],
      extendSelect: ['RL402'],
      ignore: ['RL309'],
      unsafeFixes: true,
      configFile: 'other.json',
      redisPyVersion: '5.0',
      targetRedisVersion: '7.2',
    };
    const options = checkOptionArgs(serverConfiguration(settings, root));
    assert.equal(options.length, 13);
    const r = await runProcess({ command: BINARY!, args: folderCheckArgs(options, root), cwd: root, timeoutMs: 60000 });
    const o = interpretLintRun(r);
    assert.equal(o.kind, 'ok', JSON.stringify(o));
    const diags = convertLog((o as { log: SarifLog }).log, { roots: [root], exists: fs.existsSync }).diagnostics;
    // RL202 and RL310 selected, RL402 added; the configuration file given makes RL310 an error.
    assert.deepEqual([...new Set(diags.map((d) => `${d.ruleId} ${d.severity}`))].sort(), ['RL202 warning', 'RL310 error', 'RL402 warning']);
  });
});
