// Runs a child process with optional stdin, cancellation and a time limit,
// and interprets a redislint run.

import { spawn } from 'node:child_process';
import { parseSarif, SarifLog } from './sarif';

export interface RunOptions {
  command: string;
  args: readonly string[];
  cwd?: string;
  input?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  cancelled: boolean;
  timedOut: boolean;
}

/** The process could not be started (ENOENT, EACCES, ...). */
export class SpawnError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export function runProcess(opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const elapsed = (): number => Number((process.hrtime.bigint() - started) / 1000000n);
    if (opts.signal?.aborted) {
      resolve({ exitCode: null, signal: null, stdout: '', stderr: '', durationMs: 0, cancelled: true, timedOut: false });
      return;
    }
    const child = spawn(opts.command, [...opts.args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let cancelled = false;
    let timedOut = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const kill = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // A child that ignores SIGTERM is killed for good a little later.
      killTimer = setTimeout(() => child.kill('SIGKILL'), 2000);
      killTimer.unref?.();
    };
    const onAbort = (): void => {
      cancelled = true;
      kill();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      opts.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            kill();
          }, opts.timeoutMs)
        : undefined;
    const cleanup = (): void => {
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
    };

    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(new SpawnError(`cannot run ${opts.command}: ${e.message}`, e.code));
    });
    child.on('close', (code, sig) => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve({
        exitCode: code,
        signal: sig,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        durationMs: elapsed(),
        cancelled,
        timedOut,
      });
    });
    // The child may exit before reading all of stdin (EPIPE): not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '', 'utf8');
  });
}

/** A command line for logs, quoted for a POSIX shell. */
export function formatCommandLine(command: string, args: readonly string[]): string {
  const q = (s: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [command, ...args].map(q).join(' ');
}

export type LintOutcome =
  | { kind: 'ok'; log: SarifLog; warning?: string }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string };

function firstLines(s: string, n = 3): string {
  return s
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0)
    .slice(0, n)
    .join(' | ');
}

/**
 * Exit status 0 (no findings) and 1 (findings) carry a SARIF log; 2 is a
 * usage, configuration or input error explained on stderr (a SARIF log
 * printed anyway is still used). Anything else is a failure.
 */
export function interpretLintRun(r: RunResult): LintOutcome {
  if (r.cancelled) return { kind: 'cancelled' };
  if (r.timedOut) return { kind: 'error', message: `redislint did not finish within the time limit (${r.durationMs} ms)` };
  if (r.exitCode === null) return { kind: 'error', message: `redislint was stopped by signal ${r.signal ?? '?'}` };
  const stderr = firstLines(r.stderr);
  if (r.exitCode === 0 || r.exitCode === 1 || r.exitCode === 2) {
    if (r.stdout.trim().length > 0) {
      try {
        const log = parseSarif(r.stdout);
        return r.exitCode === 2 ? { kind: 'ok', log, warning: stderr || 'redislint exited with status 2' } : { kind: 'ok', log };
      } catch (e) {
        if (r.exitCode !== 2) return { kind: 'error', message: `redislint printed no valid SARIF: ${(e as Error).message}` };
      }
    } else if (r.exitCode !== 2) {
      return { kind: 'error', message: 'redislint printed nothing on stdout' };
    }
    return { kind: 'error', message: `redislint failed (exit status 2): ${stderr || 'no message'}` };
  }
  return { kind: 'error', message: `redislint failed (exit status ${r.exitCode})${stderr ? `: ${stderr}` : ''}` };
}
