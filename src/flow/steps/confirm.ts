/**
 * Step 4, Confirm outcome: the return callback, Stripe's view of the session,
 * Beacon's confirm, and the events — received verified, and processed by
 * Beacon — correlated by event id. A redirect alone never proves success.
 */
import type Stripe from 'stripe';
import { BeaconApiError } from '../../errors.js';
import { isNotVerifiable } from '../../beacon/client.js';
import { abortableSleep } from '../../beacon/retrying-fetch.js';
import { observeStripeDate } from '../../stripe/client.js';
import type { StoredEvent } from '../../webhooks/event-store.js';
import { REQUIRED_EVENTS } from '../catalog.js';
import { fail, pass, type Outcome } from '../outcome.js';
import type { FlowDeps, FlowState } from '../types.js';

/** The ids an event of this run may point at. */
function runIds(state: FlowState): Set<string> {
  const ids = new Set<string>();
  for (const id of [state.checkoutSessionId, state.subscriptionId, state.invoiceId])
    if (id) ids.add(id);
  const customer = state.session?.customer;
  if (typeof customer === 'string') ids.add(customer);
  return ids;
}

/** True when an event concerns this run's session, subscription, invoice or customer. */
export function belongsToRun(event: Stripe.Event, ids: Set<string>): boolean {
  const object = event.data.object as unknown as Record<string, unknown>;
  const refs: unknown[] = [
    object.id,
    object.subscription,
    object.customer,
    object.invoice,
  ];
  const parent = object.parent as
    { subscription_details?: { subscription?: unknown } } | undefined;
  refs.push(parent?.subscription_details?.subscription);
  return refs.some((r) => typeof r === 'string' && ids.has(r));
}

function runEvents(deps: FlowDeps, state: FlowState): StoredEvent[] {
  const ids = runIds(state);
  return deps.events.list().filter((e) => belongsToRun(e.event, ids));
}

function remaining(deps: FlowDeps, startedAt: number): number {
  return Math.max(0, deps.config.timeoutMs - (Date.now() - startedAt));
}

export async function runConfirmStep(
  deps: FlowDeps,
  state: FlowState,
  runStartedAt: number,
) {
  const { checks } = deps;
  if (!state.checkoutSessionId || (!state.paid && deps.payer.kind !== 'manual')) {
    const why = state.checkoutSessionId
      ? 'The checkout was not paid'
      : 'No checkout session';
    for (const id of [
      'confirm.return',
      'confirm.session-complete',
      'confirm.subscription',
    ]) {
      checks.skip(id, why);
    }
    checks.skip('confirm.events-received', why);
    checks.skip('confirm.events-processed', why);
    return;
  }

  const earlier = 'Paid by an earlier attempt of this operation: that run received it';
  if (state.paidEarlier) checks.skip('confirm.return', earlier);
  else
    await checks.check('confirm.return', async () => {
      const arrival = await deps.returns.wait(remaining(deps, runStartedAt), deps.signal);
      if (!arrival) {
        return fail('The return callback never arrived', 'no-return', {
          refused: deps.returns.refused.length,
        });
      }
      state.returned = true;
      return pass(`Returned with ${arrival.sessionId}`, {
        checkoutSessionId: arrival.sessionId,
      });
    });

  await checks.check('confirm.session-complete', async () => {
    const session = await deps.stripe.checkout.sessions.retrieve(
      state.checkoutSessionId!,
    );
    observeStripeDate(deps.log, session);
    state.session = session;
    state.subscriptionId =
      typeof session.subscription === 'string'
        ? session.subscription
        : session.subscription?.id;
    state.invoiceId =
      typeof session.invoice === 'string' ? session.invoice : session.invoice?.id;
    const evidence = {
      status: session.status,
      paymentStatus: session.payment_status,
      subscriptionId: state.subscriptionId ?? null,
    };
    if (session.status === 'expired')
      return fail('The session expired', 'checkout-expired', evidence);
    if (
      session.status !== 'complete' ||
      session.payment_status !== 'paid' ||
      !state.subscriptionId
    ) {
      return fail(
        `Session is ${session.status}/${session.payment_status}`,
        'not-paid',
        evidence,
      );
    }
    return pass(`Complete and paid; subscription ${state.subscriptionId}`, evidence);
  });

  if (!state.subscriptionId) {
    checks.skip('confirm.subscription', 'No subscription to confirm');
  } else {
    await checks.check('confirm.subscription', () => confirmSubscription(deps, state));
  }

  if (state.paidEarlier) {
    // The events went to the earlier attempt's endpoint, which is gone now.
    checks.skip('confirm.events-received', earlier);
    checks.skip('confirm.events-processed', earlier);
    return;
  }
  if (!state.endpoint) {
    const why = 'No webhook endpoint was registered for this run (see the webhooks step)';
    checks.skip('confirm.events-received', why);
    checks.skip('confirm.events-processed', why);
    return;
  }
  await checks.check('confirm.events-received', () =>
    eventsReceived(deps, state, runStartedAt),
  );
  const received = runEvents(deps, state);
  if (received.length === 0) {
    checks.skip('confirm.events-processed', 'No event of this run was received');
  } else {
    await checks.check('confirm.events-processed', () =>
      eventsProcessed(deps, state, received),
    );
  }
}

async function confirmSubscription(deps: FlowDeps, state: FlowState): Promise<Outcome> {
  const subscriptionId = state.subscriptionId!;
  const confirmed = await deps.beacon.confirmSubscription(
    subscriptionId,
    {
      organizationId: state.organizationId!,
      checkoutSessionId: state.checkoutSessionId!,
    },
    `cfm_${deps.operationId}`,
  );
  const stripeSub = await deps.stripe.subscriptions.retrieve(subscriptionId);
  const evidence = {
    subscriptionId,
    beaconStatus: confirmed.status,
    stripeStatus: stripeSub.status,
    confirmedAt: confirmed.confirmedAt ?? null,
    plan: confirmed.plan,
    billingCycle: confirmed.billingCycle,
  };
  if (confirmed.status === 'pending_confirmation' || !confirmed.confirmedAt) {
    return fail(
      `Stripe shows ${stripeSub.status}, but Beacon still shows ${confirmed.status}`,
      'not-confirmed',
      evidence,
    );
  }
  if (confirmed.status !== stripeSub.status) {
    return fail(
      `Beacon shows ${confirmed.status}, Stripe ${stripeSub.status}`,
      'state-mismatch',
      evidence,
    );
  }
  if (
    confirmed.plan !== deps.config.plan ||
    confirmed.billingCycle !== deps.config.billingCycle
  ) {
    return fail(
      `Beacon confirmed ${confirmed.plan}/${confirmed.billingCycle}, not ${deps.config.plan}/${deps.config.billingCycle}`,
      'state-mismatch',
      evidence,
    );
  }
  return pass(`Beacon confirmed ${confirmed.status}, consistent with Stripe`, evidence);
}

async function eventsReceived(
  deps: FlowDeps,
  state: FlowState,
  runStartedAt: number,
): Promise<Outcome> {
  const wait = Math.min(deps.config.webhookWaitMs, remaining(deps, runStartedAt));
  const startedWaiting = Date.now();
  const missing = () => {
    const events = runEvents(deps, state);
    return REQUIRED_EVENTS.filter((t) => !events.some((e) => e.type === t));
  };
  // Wake on each delivery; stop early once rejections show nothing will verify.
  await deps.events.waitUntil(
    () =>
      missing().length === 0 ||
      deps.events.rejections.length >= REQUIRED_EVENTS.length * 2,
    wait,
    deps.signal,
  );
  const events = runEvents(deps, state);
  const stillMissing = missing();
  const rejections = deps.events.rejections;
  const evidence = {
    received: events.map((e) => ({ id: e.id, type: e.type, deliveries: e.deliveries })),
    missing: stillMissing,
    rejected: rejections.length,
    waitedMs: Date.now() - startedWaiting,
  };
  if (stillMissing.length === 0) {
    const repeats = events.filter((e) => e.deliveries > 1).length;
    return pass(
      `${REQUIRED_EVENTS.length} required events verified (${events.length} in all, ${repeats} delivered more than once)`,
      evidence,
    );
  }
  const stale = rejections.filter((r) => r.reason === 'timestamp-outside-tolerance');
  const mismatched = rejections.filter((r) => r.reason === 'signature-mismatch');
  if (stale.length > 0) {
    const ages = stale.map((r) => r.ageSeconds ?? 0);
    return fail(
      `${stale.length} deliveries rejected: signature timestamp outside the 300 s tolerance`,
      'clock-drift',
      {
        ...evidence,
        signatureAgeSeconds: Math.max(...ages),
        clockOffsets: deps.log.clockOffsets(),
      },
    );
  }
  if (mismatched.length > 0) {
    return fail(
      `${mismatched.length} deliveries rejected: signature does not match the vaulted secret`,
      'invalid-signature',
      evidence,
    );
  }
  if (rejections.length > 0) {
    return fail(
      `${rejections.length} deliveries rejected (${rejections[0]!.reason})`,
      'invalid-signature',
      evidence,
    );
  }
  return fail(
    `No delivery of ${stillMissing.join(', ')} within ${Math.round(wait / 1000)} s`,
    'webhook-not-delivered',
    evidence,
  );
}

/** Beacon processes asynchronously, so its records are re-read with backoff. */
async function eventsProcessed(
  deps: FlowDeps,
  state: FlowState,
  received: StoredEvent[],
): Promise<Outcome> {
  const pending = new Set(received.map((e) => e.id));
  for (let round = 0; round < 6 && pending.size > 0; round += 1) {
    if (round > 0) await abortableSleep(100 * 2 ** (round - 1), deps.signal);
    const lookups = [...pending].map(async (id) => {
      try {
        const record = await deps.beacon.getWebhookEvent(id);
        if (record.status === 'processed') {
          state.eventsProcessed.set(id, true);
          pending.delete(id);
        }
      } catch (error) {
        if (isNotVerifiable(error)) throw error;
        if (!(error instanceof BeaconApiError && error.status === 404)) throw error;
      }
    });
    await Promise.all(lookups);
  }
  for (const id of pending) state.eventsProcessed.set(id, false);
  const evidence = {
    processed: received.length - pending.size,
    unknownToBeacon: [...pending],
  };
  if (pending.size === received.length) {
    return fail(
      `Beacon has no record of any of the ${received.length} events received here`,
      'events-not-processed',
      evidence,
    );
  }
  if (pending.size > 0) {
    return fail(
      `${pending.size} of ${received.length} events not processed by Beacon`,
      'events-not-processed',
      evidence,
    );
  }
  return pass(
    `Beacon processed all ${received.length} events (matched by event.id)`,
    evidence,
  );
}
