/**
 * Beacon's Stripe intake: verify the signature on the raw bytes, answer at
 * once, de-duplicate by event id per organization, then process.
 */
import Stripe from 'stripe';

import type { BeaconDeps } from './deps.js';
import { BeaconHttpError } from './errors.js';
import { issueForInvoice } from './fiscal.js';
import type { BeaconOrg, IntakePath, WebhookEventRecord } from './state.js';
import { addTimeline, ensureRecord } from './subscriptions.js';

/** How long after the answer Beacon processes an event (it works asynchronously). */
const PROCESSING_DELAY_MS = 5;
const TOLERANCE_S = 300;

// Verification needs no key; the client exists only for its webhooks helper.
const verifier = new Stripe('sk_test_sandbox_verifier', { telemetry: false });

export interface IntakeAck {
  received: boolean;
  duplicate: boolean;
}

/** Handles one delivery to an intake path; throws BeaconHttpError(400) when it is refused. */
export function receiveEvent(
  path: IntakePath,
  raw: Buffer,
  signature: string | undefined,
  deps: BeaconDeps,
): IntakeAck {
  try {
    const event = verify(path, raw, signature, deps);
    deps.state.intakeLog.push({ atMs: deps.clock.nowMs(), ok: true });
    return record(event.org, event.event, deps);
  } catch (error) {
    deps.state.intakeLog.push({ atMs: deps.clock.nowMs(), ok: false });
    throw error;
  }
}

function verify(
  path: IntakePath,
  raw: Buffer,
  signature: string | undefined,
  deps: BeaconDeps,
): { org: BeaconOrg; event: Stripe.Event } {
  const org = orgOfPayload(raw, deps);
  const secret = org?.intakeSecrets.get(path);
  if (!org || !secret) {
    throw new BeaconHttpError(
      400,
      'unknown_account',
      'The event names no organization here.',
    );
  }
  try {
    const event = verifier.webhooks.constructEvent(
      raw,
      signature ?? '',
      secret,
      TOLERANCE_S,
      undefined,
      deps.clock.nowSeconds(),
    );
    return { org, event };
  } catch (error) {
    const reason =
      error instanceof Error ? error.message.split('\n')[0] : 'invalid signature';
    deps.log(`beacon: intake ${path} refused an event: ${reason}`);
    throw new BeaconHttpError(
      400,
      'invalid_signature',
      `Signature verification failed: ${reason}`,
    );
  }
}

/** Reads the account from the unverified payload only to pick the secret to verify with. */
function orgOfPayload(raw: Buffer, deps: BeaconDeps): BeaconOrg | undefined {
  try {
    const parsed = JSON.parse(raw.toString('utf8')) as { account?: unknown };
    return typeof parsed.account === 'string'
      ? deps.state.orgForAccount(parsed.account)
      : undefined;
  } catch {
    return undefined;
  }
}

function record(org: BeaconOrg, event: Stripe.Event, deps: BeaconDeps): IntakeAck {
  const known = org.events.get(event.id);
  if (known) {
    known.deliveries = (known.deliveries ?? 1) + 1;
    return { received: true, duplicate: true };
  }
  const entry: WebhookEventRecord = {
    eventId: event.id,
    type: event.type,
    organizationId: org.organizationId,
    status: 'received',
    receivedAt: deps.clock.iso(),
    processedAt: null,
    deliveries: 1,
  };
  org.events.set(event.id, entry);
  deps.scope.later(PROCESSING_DELAY_MS, () => processEvent(org, event, entry, deps));
  return { received: true, duplicate: false };
}

function processEvent(
  org: BeaconOrg,
  event: Stripe.Event,
  entry: WebhookEventRecord,
  deps: BeaconDeps,
): void {
  try {
    applyEvent(org, event, deps);
    entry.status = 'processed';
  } catch (error) {
    entry.status = 'failed';
    deps.log(`beacon: processing ${event.id} failed: ${String(error)}`);
  }
  entry.processedAt = deps.clock.iso();
}

/** The business effect of one event; any order of arrival converges. */
function applyEvent(org: BeaconOrg, event: Stripe.Event, deps: BeaconDeps): void {
  const subscriptionId = subscriptionOfEvent(event);
  const subscription =
    subscriptionId === undefined
      ? undefined
      : deps.stripe.store.ledger(org.stripeAccountId)?.subscriptions.get(subscriptionId);
  if (!subscription) return;
  const record = ensureRecord(org, subscription, deps);
  if (event.type === 'checkout.session.completed') {
    record.checkoutSessionId = (event.data.object as { id: string }).id;
  }
  if (event.type === 'invoice.paid')
    issueForInvoice(org, event.data.object.id ?? '', deps);
  const entry = TIMELINE_TYPES[event.type];
  if (entry) addTimeline(record, entry, event.id, deps);
}

const TIMELINE_TYPES: Record<string, string> = {
  'checkout.session.completed': 'billing.checkout.completed',
  'customer.subscription.created': 'billing.subscription.created',
  'customer.subscription.updated': 'billing.subscription.updated',
  'invoice.paid': 'billing.invoice.paid',
  'invoice.payment_succeeded': 'billing.invoice.payment_succeeded',
};

function subscriptionOfEvent(event: Stripe.Event): string | undefined {
  const object = event.data.object as unknown as Record<string, unknown>;
  if (event.type.startsWith('customer.subscription.')) return object['id'] as string;
  if (event.type === 'checkout.session.completed') return asId(object['subscription']);
  if (event.type.startsWith('invoice.')) {
    const parent = object['parent'] as {
      subscription_details?: { subscription?: unknown };
    } | null;
    return asId(parent?.subscription_details?.subscription);
  }
  return undefined;
}

function asId(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
