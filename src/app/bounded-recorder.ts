/**
 * The check recorder a validate run uses: the catalogue's recorder, bounded by
 * the run's deadline and aware of `--complete skip`. When the deadline passes,
 * the check that is waiting fails with reason `timeout` and every later check
 * is skipped with that reason; with `skip`, the checks that need a payment are
 * skipped without running, and everything else runs as usual.
 */
import { ConfigError, InterruptedError } from '../errors.js';
import { STEPS } from '../flow/catalog.js';
import { fail, type Outcome } from '../flow/outcome.js';
import { CheckRecorder, type ProgressListener } from '../flow/recorder.js';
import type { CheckResult, StepId, StepResult } from '../report/model.js';
import { DeadlineReached, TIMED_OUT, type RunDeadline } from './deadline.js';

export const PAYMENT_SKIPPED_REASON = 'payment skipped (--complete skip)';

/** Checks that can only be made once someone has paid on the checkout page. */
export const PAYMENT_CHECKS: ReadonlySet<string> = new Set([
  'checkout.redirect',
  'confirm.return',
  'confirm.session-complete',
  'confirm.subscription',
  'confirm.events-received',
  'confirm.events-processed',
  'operations.dashboard-state',
  'operations.fiscal-document',
]);

export interface RecorderPolicy {
  deadline: RunDeadline;
  /** `--complete skip`: nobody pays, so the checks that need a payment are skipped. */
  skipPayment: boolean;
}

export class BoundedRecorder extends CheckRecorder {
  private timeoutRecorded = false;

  constructor(
    sinceStart: () => number,
    private readonly policy: RecorderPolicy,
    /** Ctrl-C only; the deadline must never read as an interruption. */
    interrupt?: AbortSignal,
    progress: ProgressListener = {},
  ) {
    super(sinceStart, progress, interrupt);
  }

  /** True once a check failed because the run reached its deadline. */
  get timedOut(): boolean {
    return this.timeoutRecorded;
  }

  override step(id: StepId, run: () => Promise<void>): Promise<StepResult> {
    return super.step(id, async () => {
      if (!this.policy.deadline.passed) await run();
      await this.fillAfterDeadline(id);
    });
  }

  override check(id: string, run: () => Promise<Outcome>): Promise<CheckResult> {
    if (this.policy.skipPayment && PAYMENT_CHECKS.has(id)) {
      return Promise.resolve(this.skip(id, PAYMENT_SKIPPED_REASON));
    }
    if (this.timeoutRecorded) return Promise.resolve(this.skip(id, this.notRun()));
    return super.check(id, () => this.bounded(run));
  }

  override skip(id: string, message: string): CheckResult {
    if (this.policy.skipPayment && PAYMENT_CHECKS.has(id)) {
      return super.skip(id, PAYMENT_SKIPPED_REASON);
    }
    return super.skip(id, this.timeoutRecorded ? this.notRun() : message);
  }

  /** Runs a check function, but stops waiting for it when the deadline passes. */
  private async bounded(run: () => Promise<Outcome>): Promise<Outcome> {
    const { deadline } = this.policy;
    if (deadline.passed) return this.timeoutOutcome('before this check could start');
    try {
      const outcome = await deadline.race(run());
      if (outcome === TIMED_OUT) return this.timeoutOutcome('while this check waited');
      // A wait cut short by the deadline reports its own failure; the cause is the deadline.
      if (outcome.status === 'fail' && deadline.passed) {
        return this.timeoutOutcome('while this check waited', outcome);
      }
      return outcome;
    } catch (error) {
      const endsRun = error instanceof InterruptedError || error instanceof ConfigError;
      if (endsRun || !deadline.passed) throw error;
      return this.timeoutOutcome('while this check waited');
    }
  }

  /** After the deadline, a step's unrecorded checks fail (the first) or skip (the rest). */
  private async fillAfterDeadline(id: StepId): Promise<void> {
    if (!this.policy.deadline.passed) return;
    const definition = STEPS.find((s) => s.id === id);
    for (const check of definition?.checks ?? []) {
      if (this.find(check.id)) continue;
      await this.check(check.id, () =>
        Promise.reject(new DeadlineReached(this.policy.deadline.timeoutSeconds)),
      );
    }
  }

  private timeoutOutcome(when: string, cutShort?: Outcome): Outcome {
    this.timeoutRecorded = true;
    const seconds = this.policy.deadline.timeoutSeconds;
    return fail(
      `Timed out: the run reached --timeout (${seconds} s) ${when}`,
      'timeout',
      {
        timeoutSeconds: seconds,
        ...(cutShort ? { beforeTimeout: cutShort.message } : {}),
      },
    );
  }

  private notRun(): string {
    return `Not run: the run reached --timeout (${this.policy.deadline.timeoutSeconds} s)`;
  }
}
