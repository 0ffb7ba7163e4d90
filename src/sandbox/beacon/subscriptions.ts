/** Beacon's subscription records, kept in step with the Stripe store. */
import type Stripe from 'stripe';

import type { BeaconDeps } from './deps.js';
import type { BeaconOrg, SubscriptionRecord } from './state.js';

/** The record of a Stripe subscription, created on first sight. */
export function ensureRecord(
  org: BeaconOrg,
  subscription: Stripe.Subscription,
  deps: BeaconDeps,
): SubscriptionRecord {
  const existing = org.subscriptions.get(subscription.id);
  if (existing) return existing;
  const record: SubscriptionRecord = {
    id: subscription.id,
    organizationId: org.organizationId,
    status: 'pending_confirmation',
    plan: subscription.metadata['plan'] ?? 'unknown',
    billingCycle: subscription.metadata['billingCycle'] ?? 'unknown',
    checkoutSessionId: sessionOf(org, subscription.id, deps)?.id ?? null,
    stripeCustomerId:
      typeof subscription.customer === 'string' ? subscription.customer : null,
    confirmedAt: null,
    currentPeriodEnd: periodEnd(subscription, deps),
    timeline: [],
  };
  org.subscriptions.set(record.id, record);
  return record;
}

/** The completed session that created a subscription, if any. */
export function sessionOf(
  org: BeaconOrg,
  subscriptionId: string,
  deps: BeaconDeps,
): Stripe.Checkout.Session | undefined {
  const ledger = deps.stripe.store.ledger(org.stripeAccountId);
  if (!ledger) return undefined;
  return [...ledger.sessions.values()].find((s) => s.subscription === subscriptionId);
}

function periodEnd(subscription: Stripe.Subscription, deps: BeaconDeps): string | null {
  const end = subscription.items.data[0]?.current_period_end;
  return end === undefined ? null : deps.clock.iso(end * 1000);
}

/** Appends a timeline entry. */
export function addTimeline(
  record: SubscriptionRecord,
  type: string,
  eventId: string | null,
  deps: BeaconDeps,
): void {
  record.timeline ??= [];
  record.timeline.push({ at: deps.clock.iso(), type, eventId });
}
