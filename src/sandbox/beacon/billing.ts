/** Beacon's billing endpoints: plans, subscription checkouts, subscriptions, confirm. */
import type Stripe from 'stripe';

import type { components } from '../../beacon/schema.generated.js';
import { PLAN_CATALOGUE, findPlan } from '../catalogue.js';
import { fingerprintOf } from '../idempotency.js';
import type { BeaconCall, BeaconResult } from './call.js';
import { idOf, sameOrganization, validBody } from './call.js';
import { BeaconHttpError, notFound } from './errors.js';
import { issueForInvoice } from './fiscal.js';
import { addTimeline, ensureRecord } from './subscriptions.js';

type CheckoutRequest = components['schemas']['SubscriptionCheckoutRequest'];
type ConfirmRequest = components['schemas']['ConfirmRequest'];
type Checkout = components['schemas']['SubscriptionCheckout'];

/** How long a Beacon checkout stays payable. */
const CHECKOUT_LIFETIME_S = 3600;
/** Simulated time Beacon spends creating the session, so double submits can overlap. */
const CREATE_WORK_MS = 25;

/** GET /billing/plans */
export function listPlans(): BeaconResult {
  const data = PLAN_CATALOGUE.map((p) => ({
    plan: p.plan,
    billingCycle: p.billingCycle,
    amount: p.amount,
    currency: p.currency,
    stripePriceId: p.stripePriceId,
  }));
  return { status: 200, body: { data } };
}

/** POST /billing/subscription-checkouts */
export async function createCheckout(call: BeaconCall): Promise<BeaconResult> {
  const key = call.idempotencyKey;
  if (!key) {
    throw new BeaconHttpError(
      400,
      'idempotency_key_required',
      'Send an Idempotency-Key header.',
    );
  }
  const body = validBody<CheckoutRequest>(call, 'SubscriptionCheckoutRequest');
  sameOrganization(call, body.organizationId);
  const { idempotency } = call.deps;
  const scope = call.org.organizationId;
  const outcome = idempotency.begin(scope, key, fingerprintOf(body));
  if (outcome.kind === 'mismatch') throw keyReused();
  if (outcome.kind === 'in-flight') throw inProgress();
  if (outcome.kind === 'replay') {
    return {
      status: 200,
      body: outcome.saved.body,
      headers: { 'Idempotent-Replayed': 'true' },
    };
  }
  try {
    const created = await createSession(call, body);
    idempotency.save(scope, key, { status: 201, body: created });
    call.deps.log(`beacon: checkout ${created.checkoutSessionId} created (key ${key})`);
    if (call.deps.faults.firstCheckoutInFlight) throw inProgress();
    return { status: 201, body: created };
  } catch (error) {
    idempotency.release(scope, key);
    throw error;
  }
}

function keyReused(): BeaconHttpError {
  return new BeaconHttpError(
    409,
    'idempotency_key_reused',
    'This Idempotency-Key was used with a different request body.',
  );
}

function inProgress(): BeaconHttpError {
  return new BeaconHttpError(
    409,
    'operation_in_progress',
    'An operation with this Idempotency-Key is already in progress.',
  );
}

async function createSession(call: BeaconCall, body: CheckoutRequest): Promise<Checkout> {
  const { deps, org } = call;
  const plan = findPlan(body.plan, body.billingCycle);
  if (!plan) {
    throw new BeaconHttpError(
      400,
      'unknown_plan',
      `No plan "${body.plan}" billed ${body.billingCycle}.`,
    );
  }
  if (body.mode !== 'test') {
    throw new BeaconHttpError(
      422,
      'live_mode_unavailable',
      'The sandbox runs in test mode only.',
    );
  }
  const ledger = deps.stripe.store.ledger(org.stripeAccountId);
  if (!org.connected || !ledger) {
    throw new BeaconHttpError(
      422,
      'not_connected',
      'The organization has no Stripe connection.',
    );
  }
  if (!ledger.account.charges_enabled) {
    throw new BeaconHttpError(
      422,
      'account_cannot_charge',
      'The connected account cannot accept charges yet.',
    );
  }
  await new Promise((resolve) =>
    deps.scope.later(CREATE_WORK_MS, () => resolve(undefined)),
  );
  const session = deps.stripe.createSession(ledger, {
    plan,
    quantity: 1,
    successUrl:
      body.returnUrl ??
      `${deps.baseUrl()}/checkout/return?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${deps.baseUrl()}/checkout/cancelled`,
    clientReferenceId: org.organizationId,
    metadata: {
      organizationId: org.organizationId,
      plan: plan.plan,
      billingCycle: plan.billingCycle,
    },
    expiresAt: deps.clock.nowSeconds() + CHECKOUT_LIFETIME_S,
  });
  return {
    checkoutSessionId: session.id,
    checkoutUrl: `${deps.baseUrl()}/checkout/${session.id}`,
    expiresAt: deps.clock.iso(session.expires_at * 1000),
  };
}

/** GET /billing/subscriptions/:id */
export function getSubscription(call: BeaconCall): BeaconResult {
  const record = call.org.subscriptions.get(idOf(call));
  if (!record) throw notFound(`Subscription ${idOf(call)}`);
  return { status: 200, body: record };
}

/**
 * POST /billing/subscriptions/:id/confirm — reconciles from Stripe, events or
 * not. Confirming twice changes nothing, so its Idempotency-Key is not tracked.
 */
export function confirmSubscription(call: BeaconCall): BeaconResult {
  const body = validBody<ConfirmRequest>(call, 'ConfirmRequest');
  sameOrganization(call, body.organizationId);
  const { deps, org } = call;
  const found = completedCheckout(call, body.checkoutSessionId);
  const record = ensureRecord(org, found.subscription, deps);
  record.checkoutSessionId = found.session.id;
  if (typeof found.session.invoice === 'string')
    issueForInvoice(org, found.session.invoice, deps);
  if (!deps.faults.confirmActivates) {
    deps.log(`beacon: confirm of ${record.id} left it ${record.status}`);
    return { status: 200, body: record };
  }
  if (record.confirmedAt == null) {
    record.status = found.subscription.status === 'active' ? 'active' : 'incomplete';
    record.confirmedAt = deps.clock.iso();
    addTimeline(record, 'billing.subscription.confirmed', null, deps);
  }
  return { status: 200, body: record };
}

function completedCheckout(
  call: BeaconCall,
  sessionId: string,
): { session: Stripe.Checkout.Session; subscription: Stripe.Subscription } {
  const id = idOf(call);
  const ledger = call.deps.stripe.store.ledger(call.org.stripeAccountId);
  const subscription = ledger?.subscriptions.get(id);
  const session = ledger?.sessions.get(sessionId);
  const matches = session?.status === 'complete' && session.subscription === id;
  if (!subscription || !session || !matches) {
    throw notFound(`A completed checkout ${sessionId} for subscription ${id}`);
  }
  return { session, subscription };
}
