// Debounced, cancellable lint runs per document, with stale results dropped.
//
// - schedule(key, version) (re)starts the debounce timer of the document;
// - when it fires, a run already in flight for the document is aborted and a
//   new one starts for the version it was scheduled with;
// - a finished run is delivered only if it was not aborted and the document
//   still has the version it was started for (currentVersion);
// - cancel(key) (document closed) clears the timer and aborts the run.

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface SchedulerOptions<R> {
  delayMs: number;
  run: (key: string, version: number, signal: AbortSignal) => Promise<R>;
  /** The document's version now, or undefined once it is closed. */
  currentVersion: (key: string) => number | undefined;
  deliver: (key: string, version: number, result: R) => void;
  onError?: (key: string, error: unknown) => void;
  timers?: Timers;
}

interface InFlight<R> {
  version: number;
  controller: AbortController;
  promise: Promise<R | undefined>;
}

export class LintScheduler<R> {
  private readonly timers: Timers;
  private readonly pending = new Map<string, unknown>();
  private readonly inFlight = new Map<string, InFlight<R>>();

  constructor(private readonly opts: SchedulerOptions<R>) {
    this.timers = opts.timers ?? realTimers;
  }

  /** Debounced run; `delayMs` 0 runs on the next timer tick. */
  schedule(key: string, version: number, delayMs = this.opts.delayMs): void {
    this.clearTimer(key);
    const handle = this.timers.set(() => {
      this.pending.delete(key);
      void this.runNow(key, version);
    }, delayMs);
    this.pending.set(key, handle);
  }

  /**
   * Runs at once (cancelling a pending timer and any run in flight) and
   * resolves with the result, or undefined when it was cancelled, failed or
   * became stale. A run in flight for the same version is reused.
   */
  runNow(key: string, version: number): Promise<R | undefined> {
    this.clearTimer(key);
    const current = this.inFlight.get(key);
    if (current && current.version === version && !current.controller.signal.aborted) return current.promise;
    current?.controller.abort();
    const controller = new AbortController();
    const entry: InFlight<R> = { version, controller, promise: Promise.resolve(undefined) };
    entry.promise = (async (): Promise<R | undefined> => {
      try {
        const result = await this.opts.run(key, version, controller.signal);
        if (controller.signal.aborted || this.opts.currentVersion(key) !== version) return undefined;
        this.opts.deliver(key, version, result);
        return result;
      } catch (e) {
        if (!controller.signal.aborted) this.opts.onError?.(key, e);
        return undefined;
      } finally {
        if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, entry);
    return entry.promise;
  }

  /** Stops everything for a document (closed). */
  cancel(key: string): void {
    this.clearTimer(key);
    const current = this.inFlight.get(key);
    if (current) {
      current.controller.abort();
      this.inFlight.delete(key);
    }
  }

  isPending(key: string): boolean {
    return this.pending.has(key);
  }

  isRunning(key: string): boolean {
    return this.inFlight.has(key);
  }

  dispose(): void {
    for (const key of [...this.pending.keys(), ...this.inFlight.keys()]) this.cancel(key);
  }

  private clearTimer(key: string): void {
    const h = this.pending.get(key);
    if (h !== undefined) {
      this.timers.clear(h);
      this.pending.delete(key);
    }
  }
}
