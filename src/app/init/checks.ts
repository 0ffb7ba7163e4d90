/**
 * The recorder `init` runs the flow with: the same CheckRecorder, plus
 * outcomes `init` already knows before the flow asks (a tunnel that would
 * not open, or a carrier whose proof is partial).
 */
import { CheckRecorder, type ProgressListener } from '../../flow/recorder.js';
import { fail, warn, type Outcome } from '../../flow/outcome.js';
import type { CheckResult } from '../../report/model.js';
import type { TunnelError } from '../../tunnel/errors.js';
import type { Tunnel } from '../../tunnel/types.js';

export class WalkthroughChecks extends CheckRecorder {
  private readonly known = new Map<string, Outcome>();

  constructor(sinceStart: () => number, progress: ProgressListener, signal: AbortSignal) {
    super(sinceStart, progress, signal);
  }

  /** Makes the check `id` record `outcome` instead of running its own test. */
  settle(id: string, outcome: Outcome): void {
    this.known.set(id, outcome);
  }

  override check(id: string, run: () => Promise<Outcome>): Promise<CheckResult> {
    const known = this.known.get(id);
    return super.check(id, known ? async () => known : run);
  }
}

/** The public-URL check's outcome when the tunnel failed to open. */
export function tunnelFailedOutcome(kind: string, error: TunnelError): Outcome {
  return fail(`The ${kind} tunnel did not open: ${error.message}`, error.reason, {
    tunnel: kind,
    code: error.code,
    action: error.suggestion ?? null,
  });
}

/** The public-URL check's outcome for `stripe listen`, which proves less. */
export function stripeCliOutcome(tunnel: Tunnel): Outcome {
  return warn(
    'stripe listen forwards the events: this proves the handler and the signing ' +
      'secret, not that a public URL reaches this machine',
    { tunnel: tunnel.kind, via: tunnel.describe() },
  );
}
