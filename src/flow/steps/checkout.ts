/**
 * Step 3, Create checkout: one logical operation, one Idempotency-Key. A 409
 * means the first attempt is applied or in flight: reuse its result, never
 * submit another. An expired session gets a new checkout under a new key.
 */
import type { SubscriptionCheckout } from '../../beacon/client.js';
import { BeaconApiError } from '../../errors.js';
import { abortableSleep } from '../../beacon/retrying-fetch.js';
import { fail, pass, type Outcome } from '../outcome.js';
import type { FlowDeps, FlowState } from '../types.js';

/** How often a 409 "in flight" is re-asked with the same key before giving up. */
const CONFLICT_REPLAYS = 5;
const KEY_REUSE_CODES = new Set(['idempotency_key_reused', 'idempotency_error']);

export function checkoutKey(operationId: string, attempt = 0): string {
  return attempt === 0 ? `chk_${operationId}` : `chk_${operationId}_r${attempt}`;
}

function requestBody(deps: FlowDeps, state: FlowState) {
  return {
    organizationId: state.organizationId!,
    plan: deps.config.plan,
    billingCycle: deps.config.billingCycle,
    mode: 'test' as const,
    returnUrl: deps.returns.url,
  };
}

interface CreateResult {
  checkout: SubscriptionCheckout;
  replayed: boolean;
  conflicts: Array<{ status: number; code: string | null; requestId: string | null }>;
}

/** Creates (or re-reads, after a 409) the checkout for one key. */
async function createOnce(
  deps: FlowDeps,
  state: FlowState,
  key: string,
): Promise<CreateResult> {
  const conflicts: CreateResult['conflicts'] = [];
  for (let attempt = 0; ; attempt += 1) {
    try {
      const result = await deps.beacon.createCheckout(requestBody(deps, state), key);
      return { checkout: result.checkout, replayed: result.replayed, conflicts };
    } catch (error) {
      const inFlight =
        error instanceof BeaconApiError &&
        error.status === 409 &&
        !KEY_REUSE_CODES.has(error.code ?? '');
      if (!inFlight || attempt >= CONFLICT_REPLAYS) throw error;
      conflicts.push({
        status: error.status,
        code: error.code,
        requestId: error.requestId,
      });
      // The same key and body again asks for the first result; it is not a new submission.
      await abortableSleep(150 * 2 ** attempt, deps.signal);
    }
  }
}

async function created(
  deps: FlowDeps,
  state: FlowState,
  attempt: number,
): Promise<Outcome> {
  const key = checkoutKey(deps.operationId, attempt);
  state.idempotencyKey = key;
  try {
    const { checkout, replayed, conflicts } = await createOnce(deps, state, key);
    state.checkoutSessionId = checkout.checkoutSessionId;
    state.checkoutUrl = checkout.checkoutUrl;
    if (!state.sessionsCreated.includes(checkout.checkoutSessionId)) {
      state.sessionsCreated.push(checkout.checkoutSessionId);
    }
    await deps.journal.update((j) => {
      j.idempotencyKey = key;
      if (!j.checkoutSessions.includes(checkout.checkoutSessionId)) {
        j.checkoutSessions.push(checkout.checkoutSessionId);
      }
    });
    deps.returns.expect(checkout.checkoutSessionId);
    const evidence = {
      idempotencyKey: key,
      checkoutSessionId: checkout.checkoutSessionId,
      expiresAt: checkout.expiresAt,
      replayed,
      retries: deps.log.retriedCalls().length,
      ...(conflicts.length > 0
        ? {
            reason: 'duplicate-operation',
            conflicts,
            resolvedBy: 'replay of the first result',
          }
        : {}),
    };
    const note =
      conflicts.length > 0
        ? ` after ${conflicts.length} 409 conflict(s), first result reused`
        : '';
    return pass(`Session ${checkout.checkoutSessionId} under ${key}${note}`, evidence);
  } catch (error) {
    if (error instanceof BeaconApiError && KEY_REUSE_CODES.has(error.code ?? '')) {
      return fail(
        `The key ${key} was already used for another request`,
        'idempotency-key-reuse',
        {
          idempotencyKey: key,
          status: error.status,
          code: error.code,
          requestId: error.requestId,
        },
      );
    }
    if (error instanceof BeaconApiError && error.status === 409) {
      return fail(`Beacon kept answering 409 for ${key}`, 'duplicate-operation', {
        idempotencyKey: key,
        status: 409,
        code: error.code,
        requestId: error.requestId,
      });
    }
    throw error;
  }
}

async function idempotent(deps: FlowDeps, state: FlowState): Promise<Outcome> {
  const key = state.idempotencyKey!;
  const again = await deps.beacon.createCheckout(requestBody(deps, state), key);
  const evidence = {
    idempotencyKey: key,
    first: state.checkoutSessionId,
    second: again.checkout.checkoutSessionId,
    replayed: again.replayed,
  };
  if (again.checkout.checkoutSessionId !== state.checkoutSessionId) {
    if (!state.sessionsCreated.includes(again.checkout.checkoutSessionId)) {
      state.sessionsCreated.push(again.checkout.checkoutSessionId);
    }
    return fail(
      'The same key returned a different session: a duplicate checkout',
      'duplicate-checkout',
      evidence,
    );
  }
  return pass('Replaying the request returned the same session', evidence);
}

async function sessionOpen(deps: FlowDeps, state: FlowState): Promise<Outcome> {
  const session = await deps.stripe.checkout.sessions.retrieve(state.checkoutSessionId!);
  const evidence = {
    status: session.status,
    mode: session.mode,
    livemode: session.livemode,
    expiresAt: new Date(session.expires_at * 1000).toISOString(),
    amountTotal: session.amount_total,
    currency: session.currency,
  };
  if (session.status === 'expired')
    return fail('The session is already expired', 'checkout-expired', evidence);
  if (session.status === 'complete' && session.mode === 'subscription') {
    // A resumed operation: an earlier attempt under this key already paid.
    state.paid = true;
    state.paidEarlier = true;
    return pass(
      'Already complete: paid by an earlier attempt of this operation',
      evidence,
    );
  }
  if (session.livemode) return fail('The session is in live mode', 'live-mode', evidence);
  if (session.status !== 'open' || session.mode !== 'subscription') {
    return fail(
      `Expected an open subscription session, got ${session.status}/${session.mode}`,
      'checkout-state',
      evidence,
    );
  }
  return pass(
    `Open, subscription mode, ${(session.amount_total ?? 0) / 100} ${session.currency?.toUpperCase()}`,
    evidence,
  );
}

/** Sends the payer to the page; one retry with a fresh checkout if the session expired. */
async function redirect(deps: FlowDeps, state: FlowState): Promise<Outcome> {
  if (state.paid) {
    // Paying again would need a second checkout for the same operation.
    return pass('Not sent to the page again: the session is already paid', {
      checkoutSessionId: state.checkoutSessionId,
    });
  }
  const expired: string[] = [];
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (attempt > 0) {
      const again = await created(deps, state, attempt);
      if (again.status !== 'pass') return again;
    }
    const result = await deps.payer.pay(state.checkoutUrl!, deps.signal);
    const evidence = {
      payer: deps.payer.kind,
      checkoutSessionId: state.checkoutSessionId,
      detail: result.detail,
    };
    if (result.status === 'paid' || result.status === 'handed-over') {
      state.paid = result.status === 'paid';
      const note =
        expired.length > 0
          ? ` (after ${expired[0]} expired; new key ${state.idempotencyKey})`
          : '';
      return pass(`${result.detail}${note}`, { ...evidence, expiredSessions: expired });
    }
    if (result.status !== 'expired')
      return fail(result.detail, `checkout-${result.status}`, evidence);
    expired.push(state.checkoutSessionId!);
    deps.note(
      `Checkout session ${state.checkoutSessionId} expired; creating a new one under a new key`,
    );
  }
  return fail(
    `Checkout expired before payment, twice (${expired.join(', ')})`,
    'checkout-expired',
    {
      expiredSessions: expired,
      idempotencyKeys: [
        checkoutKey(deps.operationId, 0),
        checkoutKey(deps.operationId, 1),
      ],
    },
  );
}

export async function runCheckoutStep(deps: FlowDeps, state: FlowState): Promise<void> {
  const { checks } = deps;
  const blocked = !state.organizationId
    ? 'No organization id'
    : state.beaconRejectedToken
      ? 'Beacon rejected the token'
      : state.canCharge === false
        ? 'The account cannot accept charges'
        : null;
  if (blocked) {
    for (const id of [
      'checkout.created',
      'checkout.idempotent',
      'checkout.session-open',
      'checkout.redirect',
    ]) {
      checks.skip(id, blocked);
    }
    return;
  }
  const first = await checks.check('checkout.created', () => created(deps, state, 0));
  if (first.status !== 'pass') return;
  await checks.check('checkout.idempotent', () => idempotent(deps, state));
  await checks.check('checkout.session-open', () => sessionOpen(deps, state));
  await checks.check('checkout.redirect', () => redirect(deps, state));
}
