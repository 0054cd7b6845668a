import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCommandLine, interpretLintRun, RunResult, runProcess, SpawnError } from '../src/runner';

const node = process.execPath;

describe('runProcess', () => {
  it('passes stdin and collects stdout, stderr and the exit status', async () => {
    const script =
      "let s='';process.stdin.on('data',d=>s+=d);process.stdin.on('end',()=>{process.stdout.write(s.toUpperCase());process.stderr.write('e');process.exit(1)})";
    const r = await runProcess({ command: node, args: ['-e', script], input: 'café 😀' });
    assert.equal(r.stdout, 'CAFÉ 😀');
    assert.equal(r.stderr, 'e');
    assert.equal(r.exitCode, 1);
    assert.equal(r.cancelled, false);
    assert.ok(r.durationMs >= 0);
  });

  it('kills the child when cancelled', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const p = runProcess({ command: node, args: ['-e', 'setTimeout(()=>{}, 60000)'], signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    const r = await p;
    assert.equal(r.cancelled, true);
    assert.equal(r.signal, 'SIGTERM');
    assert.ok(Date.now() - started < 10000);
  });

  it('does not start when already cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await runProcess({ command: '/nonexistent/binary', args: [], signal: ac.signal });
    assert.equal(r.cancelled, true);
  });

  it('stops a child that runs too long', async () => {
    const r = await runProcess({ command: node, args: ['-e', 'setTimeout(()=>{}, 60000)'], timeoutMs: 100 });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
  });

  it('tolerates a child that exits without reading stdin', async () => {
    const r = await runProcess({ command: node, args: ['-e', 'process.exit(0)'], input: 'x'.repeat(4 * 1024 * 1024) });
    assert.equal(r.exitCode, 0);
  });

  it('rejects with the error code when the program does not exist', async () => {
    await assert.rejects(runProcess({ command: '/nonexistent/redislint', args: [] }), (e: unknown) => {
      assert.ok(e instanceof SpawnError);
      assert.equal(e.code, 'ENOENT');
      return true;
    });
  });
});

describe('formatCommandLine', () => {
  it('quotes what a shell would split', () => {
    assert.equal(
      formatCommandLine('/usr/bin/redislint', ['check', '--stdin-filename', 'my app/x.py', "it's", '-']),
      "/usr/bin/redislint check --stdin-filename 'my app/x.py' 'it'\\''s' -",
    );
  });
});

describe('interpretLintRun', () => {
  const base: RunResult = { exitCode: 0, signal: null, stdout: '', stderr: '', durationMs: 1, cancelled: false, timedOut: false };
  const sarif = '{"version":"2.1.0","runs":[]}';
  it('reads the SARIF of exit 0 and 1', () => {
    assert.equal(interpretLintRun({ ...base, stdout: sarif }).kind, 'ok');
    assert.equal(interpretLintRun({ ...base, exitCode: 1, stdout: sarif }).kind, 'ok');
  });
  it('reports exit 2 with the first lines of stderr', () => {
    const o = interpretLintRun({ ...base, exitCode: 2, stderr: "redislint: unknown option '--bogus'\nTry 'redislint --help'.\n" });
    assert.deepEqual(o, {
      kind: 'error',
      message: "redislint failed (exit status 2): redislint: unknown option '--bogus' | Try 'redislint --help'.",
    });
  });
  it('uses a SARIF log printed with exit 2, with a warning', () => {
    const o = interpretLintRun({ ...base, exitCode: 2, stdout: sarif, stderr: 'invalid UTF-8' });
    assert.equal(o.kind, 'ok');
    assert.equal(o.kind === 'ok' && o.warning, 'invalid UTF-8');
  });
  it('reports broken output, signals, time-outs and other statuses', () => {
    assert.match((interpretLintRun({ ...base, stdout: 'oops' }) as { message: string }).message, /no valid SARIF/);
    assert.match((interpretLintRun({ ...base, stdout: '' }) as { message: string }).message, /printed nothing/);
    assert.match((interpretLintRun({ ...base, exitCode: null, signal: 'SIGSEGV' }) as { message: string }).message, /SIGSEGV/);
    assert.match((interpretLintRun({ ...base, exitCode: null, timedOut: true }) as { message: string }).message, /time limit/);
    assert.match((interpretLintRun({ ...base, exitCode: 139, stderr: 'boom' }) as { message: string }).message, /exit status 139\): boom/);
  });
  it('reports cancellation as such', () => {
    assert.deepEqual(interpretLintRun({ ...base, cancelled: true, exitCode: null }), { kind: 'cancelled' });
  });
});
