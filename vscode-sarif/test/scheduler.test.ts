import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LintScheduler, Timers } from '../src/scheduler';

class FakeTimers implements Timers {
  now = 0;
  private next = 1;
  private readonly queue = new Map<number, { at: number; fn: () => void }>();
  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.queue.set(id, { at: this.now + ms, fn });
    return id;
  }
  clear(h: unknown): void {
    this.queue.delete(h as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.queue].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= this.now && this.queue.delete(id)) t.fn();
    }
  }
  get size(): number {
    return this.queue.size;
  }
}

interface Call {
  key: string;
  version: number;
  signal: AbortSignal;
  finish: (v: string) => void;
}

function setup() {
  const timers = new FakeTimers();
  const versions = new Map<string, number>();
  const calls: Call[] = [];
  const delivered: Array<[string, number, string]> = [];
  const s = new LintScheduler<string>({
    delayMs: 300,
    timers,
    currentVersion: (k) => versions.get(k),
    run: (key, version, signal) =>
      new Promise<string>((resolve) => {
        calls.push({ key, version, signal, finish: resolve });
      }),
    deliver: (k, v, r) => delivered.push([k, v, r]),
  });
  return { s, timers, versions, calls, delivered };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

describe('LintScheduler', () => {
  it('debounces: only the last change within the delay runs', async () => {
    const { s, timers, versions, calls, delivered } = setup();
    for (let v = 1; v <= 5; v++) {
      versions.set('a', v);
      s.schedule('a', v);
      timers.advance(100);
    }
    assert.equal(calls.length, 0);
    timers.advance(300);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].version, 5);
    calls[0].finish('r5');
    await flush();
    assert.deepEqual(delivered, [['a', 5, 'r5']]);
  });

  it('drops a result when the document changed during the run', async () => {
    const { s, timers, versions, calls, delivered } = setup();
    versions.set('a', 1);
    s.schedule('a', 1, 0);
    timers.advance(0);
    versions.set('a', 2); // typed while linting
    s.schedule('a', 2);
    calls[0].finish('stale');
    await flush();
    assert.deepEqual(delivered, []);
    timers.advance(300);
    // The new run aborted nothing (the old one had ended) and delivers.
    calls[1].finish('fresh');
    await flush();
    assert.deepEqual(delivered, [['a', 2, 'fresh']]);
  });

  it('aborts the run in flight when a newer one starts', async () => {
    const { s, timers, versions, calls, delivered } = setup();
    versions.set('a', 1);
    s.schedule('a', 1, 0);
    timers.advance(0);
    versions.set('a', 2);
    s.schedule('a', 2);
    timers.advance(300);
    assert.equal(calls[0].signal.aborted, true);
    assert.equal(calls[1].signal.aborted, false);
    calls[0].finish('old');
    calls[1].finish('new');
    await flush();
    assert.deepEqual(delivered, [['a', 2, 'new']]);
  });

  it('cancels timer and run on close', async () => {
    const { s, timers, versions, calls, delivered } = setup();
    versions.set('a', 1);
    versions.set('b', 1);
    s.schedule('a', 1, 0);
    s.schedule('b', 1);
    timers.advance(0);
    assert.equal(s.isRunning('a'), true);
    s.cancel('a');
    s.cancel('b');
    versions.delete('a');
    assert.equal(calls[0].signal.aborted, true);
    assert.equal(s.isPending('b'), false);
    assert.equal(timers.size, 0);
    calls[0].finish('late');
    await flush();
    timers.advance(1000);
    assert.equal(calls.length, 1);
    assert.deepEqual(delivered, []);
  });

  it('runNow reuses a run in flight for the same version and returns its result', async () => {
    const { s, versions, calls } = setup();
    versions.set('a', 3);
    const p1 = s.runNow('a', 3);
    const p2 = s.runNow('a', 3);
    await flush();
    assert.equal(calls.length, 1);
    calls[0].finish('r');
    assert.equal(await p1, 'r');
    assert.equal(await p2, 'r');
  });

  it('keeps documents apart and reports errors', async () => {
    const errors: unknown[] = [];
    const s = new LintScheduler<string>({
      delayMs: 0,
      currentVersion: () => 1,
      run: async (key) => {
        if (key === 'bad') throw new Error('boom');
        return key;
      },
      deliver: () => undefined,
      onError: (_k, e) => errors.push(e),
    });
    assert.equal(await s.runNow('good', 1), 'good');
    assert.equal(await s.runNow('bad', 1), undefined);
    assert.equal((errors[0] as Error).message, 'boom');
    s.dispose();
  });
});
