/**
 * Runs the five steps in order and always cleans up: the temporary endpoint
 * and its vaulted secret are removed on success, failure and interruption.
 */
import { InterruptedError } from '../errors.js';
import type { StepId } from '../report/model.js';
import { removeOwnEndpoints } from './leftovers.js';
import { runCheckoutStep } from './steps/checkout.js';
import { runConfirmStep } from './steps/confirm.js';
import { runConnectStep } from './steps/connect.js';
import { runOperationsStep } from './steps/operations.js';
import { runWebhooksStep } from './steps/webhooks.js';
import { initialState, type FlowDeps, type FlowState } from './types.js';

export interface FlowOutcome {
  state: FlowState;
  interrupted: boolean;
  cleanupFailures: string[];
}

/** Runs the flow; `state` is passed in when the receiver must read it (signing secrets). */
export async function runFlow(
  deps: FlowDeps,
  state: FlowState = initialState(),
): Promise<FlowOutcome> {
  const startedAt = Date.now();
  const { checks } = deps;
  let interrupted = false;
  let cleanupFailures: string[] = [];
  const steps: Array<[StepId, () => Promise<void>]> = [
    ['connect', () => runConnectStep(deps, state)],
    ['webhooks', () => runWebhooksStep(deps, state)],
    ['checkout', () => runCheckoutStep(deps, state)],
    ['confirm', () => runConfirmStep(deps, state, startedAt)],
    ['operations', () => runOperationsStep(deps, state)],
  ];
  try {
    for (const [id, run] of steps) await checks.step(id, run);
  } catch (error) {
    if (!(error instanceof InterruptedError)) throw error;
    interrupted = true;
    // The report still lists every check: those never reached are skipped as interrupted.
    for (const [id] of steps) {
      if (!checks.steps.some((s) => s.id === id))
        await checks.step(id, async () => undefined);
    }
  } finally {
    cleanupFailures = await removeOwnEndpoints(deps);
    await deps.journal
      .update((j) => {
        j.status = interrupted ? 'interrupted' : 'finished';
      })
      .catch(() => undefined);
    if (cleanupFailures.length > 0) {
      deps.note(
        `Could not delete temporary endpoint(s) ${cleanupFailures.join(', ')}; the next run retries.`,
      );
    }
  }
  return { state, interrupted, cleanupFailures };
}
