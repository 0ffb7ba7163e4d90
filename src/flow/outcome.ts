/** What a check function returns, and how thrown errors become outcomes. */
import Stripe from 'stripe';
import { isNotVerifiable } from '../beacon/client.js';
import { BeaconApiError, BeaconNetworkError, describeError } from '../errors.js';
import type { CheckStatus, Evidence } from '../report/model.js';

export interface Outcome {
  status: CheckStatus;
  message: string;
  evidence?: Evidence;
}

export const pass = (message: string, evidence: Evidence = {}): Outcome => ({
  status: 'pass',
  message,
  evidence,
});
export const warn = (message: string, evidence: Evidence = {}): Outcome => ({
  status: 'warn',
  message,
  evidence,
});
/** A failure; `reason` is the stable code the diagnosis rules key on. */
export const fail = (
  message: string,
  reason: string,
  evidence: Evidence = {},
): Outcome => ({
  status: 'fail',
  message,
  evidence: { reason, ...evidence },
});
export const skip = (message: string, evidence: Evidence = {}): Outcome => ({
  status: 'skip',
  message,
  evidence,
});

/** Maps Beacon statuses to reason codes shared with the diagnosis table. */
function beaconReason(error: BeaconApiError): string {
  if (error.status === 401) return 'invalid-token';
  if (error.status === 403) return 'missing-scope';
  if (error.status === 429) return 'throttled';
  if (error.status >= 500) return 'beacon-unavailable';
  return 'beacon-error';
}

/** A thrown error becomes a failed (or not-verifiable) check, never an abort. */
export function outcomeFromError(error: unknown): Outcome {
  if (isNotVerifiable(error)) {
    const e = error as BeaconApiError;
    return warn(
      `Not verifiable: this Beacon has no ${e.method} ${e.path} (an assumed endpoint)`,
      {
        reason: 'not-verifiable',
        status: 404,
        requestId: e.requestId,
      },
    );
  }
  if (error instanceof BeaconApiError) {
    return fail(error.message, beaconReason(error), {
      status: error.status,
      code: error.code,
      requestId: error.requestId,
    });
  }
  if (error instanceof BeaconNetworkError) {
    return fail(`${error.message}: ${describeError(error.cause)}`, 'beacon-unreachable');
  }
  if (error instanceof Stripe.errors.StripeError) {
    const reason =
      error instanceof Stripe.errors.StripeAuthenticationError
        ? 'stripe-auth'
        : error instanceof Stripe.errors.StripeRateLimitError
          ? 'throttled'
          : error instanceof Stripe.errors.StripeConnectionError
            ? 'stripe-unreachable'
            : 'stripe-error';
    return fail(`Stripe: ${error.message}`, reason, {
      status: error.statusCode ?? null,
      code: error.code ?? null,
      requestId: error.requestId ?? null,
    });
  }
  return fail(`Unexpected error: ${describeError(error)}`, 'internal-error');
}
