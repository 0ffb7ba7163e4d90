/**
 * Records step and check results in catalogue order. A check function that
 * throws becomes a failed check; checks a step never reached become `skip`.
 */
import { ConfigError, InterruptedError } from '../errors.js';
import type { CheckResult, StepId, StepResult } from '../report/model.js';
import { worstStatus } from '../report/model.js';
import { STEPS, type StepDefinition } from './catalog.js';
import { outcomeFromError, type Outcome } from './outcome.js';

export interface ProgressListener {
  stepStarted?(step: { id: StepId; title: string; index: number; total: number }): void;
  checkFinished?(check: CheckResult): void;
  stepFinished?(step: StepResult): void;
}

export class CheckRecorder {
  readonly steps: StepResult[] = [];
  private current: StepResult | null = null;

  constructor(
    private readonly sinceStart: () => number,
    private readonly progress: ProgressListener = {},
    private readonly signal?: AbortSignal,
    /** The step and check titles; other commands bring their own catalogue. */
    private readonly catalogue: ReadonlyArray<StepDefinition> = STEPS,
  ) {}

  /** Runs one step; unrecorded checks are filled in as skipped. */
  async step(id: StepId, run: () => Promise<void>): Promise<StepResult> {
    const definition = this.catalogue.find((s) => s.id === id);
    if (!definition) throw new Error(`Unknown step ${id}`);
    const result: StepResult = {
      id,
      title: definition.title,
      status: 'pass',
      startedAtMs: this.sinceStart(),
      durationMs: 0,
      checks: [],
    };
    this.current = result;
    this.steps.push(result);
    this.progress.stepStarted?.({
      id,
      title: definition.title,
      index: this.catalogue.indexOf(definition) + 1,
      total: this.catalogue.length,
    });
    try {
      await run();
    } finally {
      for (const check of definition.checks) {
        if (!result.checks.some((c) => c.id === check.id)) {
          this.record(check.id, {
            status: 'skip',
            message: this.signal?.aborted
              ? 'Interrupted before this check'
              : 'Not reached',
          });
        }
      }
      result.checks.sort(
        (a, b) =>
          definition.checks.findIndex((c) => c.id === a.id) -
          definition.checks.findIndex((c) => c.id === b.id),
      );
      result.status = worstStatus(result.checks.map((c) => c.status));
      result.durationMs = this.sinceStart() - result.startedAtMs;
      this.current = null;
      this.progress.stepFinished?.(result);
    }
    return result;
  }

  /** Runs a check function and records its outcome. */
  async check(id: string, run: () => Promise<Outcome>): Promise<CheckResult> {
    const started = this.sinceStart();
    let outcome: Outcome;
    try {
      outcome = await run();
    } catch (error) {
      // Interruptions and configuration errors end the run; anything else is a failed check.
      if (error instanceof InterruptedError || error instanceof ConfigError) throw error;
      if (this.signal?.aborted) throw new InterruptedError();
      outcome = outcomeFromError(error);
    }
    if (this.signal?.aborted) {
      this.record(id, { status: 'skip', message: 'Interrupted' }, started);
      throw new InterruptedError();
    }
    return this.record(id, outcome, started);
  }

  /** Records a check as skipped with the reason. */
  skip(id: string, message: string): CheckResult {
    return this.record(id, { status: 'skip', message });
  }

  private record(id: string, outcome: Outcome, started = this.sinceStart()): CheckResult {
    const step = this.current;
    if (!step) throw new Error(`Check ${id} recorded outside a step`);
    const title =
      this.catalogue.find((s) => s.id === step.id)?.checks.find((c) => c.id === id)
        ?.title ?? id;
    const result: CheckResult = {
      id,
      title,
      status: outcome.status,
      message: outcome.message,
      evidence: outcome.evidence ?? {},
      startedAtMs: started,
      durationMs: this.sinceStart() - started,
    };
    const existing = step.checks.findIndex((c) => c.id === id);
    if (existing >= 0) step.checks[existing] = result;
    else step.checks.push(result);
    this.progress.checkFinished?.(result);
    return result;
  }

  /** The recorded result of a check, if any. */
  find(id: string): CheckResult | undefined {
    for (const step of this.steps) {
      const found = step.checks.find((c) => c.id === id);
      if (found) return found;
    }
    return undefined;
  }
}
