/**
 * The bound on a whole run (`--timeout`). When it passes, its signal aborts
 * every wait that listens, and `race` lets a caller stop waiting for work
 * that does not listen (an SDK call with its own, longer timeout).
 */

/** The reason the deadline's signal carries; never an InterruptedError, so no exit 130. */
export class DeadlineReached extends Error {
  constructor(readonly timeoutSeconds: number) {
    super(`The run reached --timeout (${timeoutSeconds} s)`);
    this.name = 'DeadlineReached';
  }
}

/** What `race` resolves with when the deadline passes first. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

export class RunDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly timeoutSeconds: number) {
    this.timer = setTimeout(
      () => this.controller.abort(new DeadlineReached(timeoutSeconds)),
      timeoutSeconds * 1000,
    );
    // The deadline bounds a run; it must not be what keeps the process alive.
    this.timer.unref();
  }

  /** Aborted when the deadline passes. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get passed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Resolves with the work's result, or TIMED_OUT if the deadline passes first. */
  race<T>(work: Promise<T>): Promise<T | typeof TIMED_OUT> {
    // A rejection after the deadline won must not become an unhandled rejection.
    work.catch(() => undefined);
    if (this.passed) return Promise.resolve(TIMED_OUT);
    return new Promise((resolve, reject) => {
      const onDeadline = () => resolve(TIMED_OUT);
      this.signal.addEventListener('abort', onDeadline, { once: true });
      work.then(
        (value) => {
          this.signal.removeEventListener('abort', onDeadline);
          resolve(value);
        },
        (error: unknown) => {
          this.signal.removeEventListener('abort', onDeadline);
          reject(error);
        },
      );
    });
  }

  /** Stops the timer once the run is over. */
  dispose(): void {
    clearTimeout(this.timer);
  }
}
