/** Stripe events: recorded on the account's ledger, snapshotting the object. */
import type Stripe from 'stripe';

import type { SandboxClock } from '../clock.js';
import { prefixedId } from '../random.js';
import { API_VERSION } from './objects.js';
import { stripeObject } from './shape.js';
import type { AccountLedger, EndpointRecord, EventRecord } from './store.js';

export interface EventInput {
  type: string;
  object: object;
  previousAttributes?: Record<string, unknown>;
  idempotencyKey?: string | null;
}

/** Whether an endpoint subscribes to an event type. */
export function endpointWants(record: EndpointRecord, type: string): boolean {
  const { endpoint } = record;
  if (endpoint.status !== 'enabled') return false;
  return endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type);
}

/** The enabled endpoints of the ledger that want `type`. */
export function targetsFor(ledger: AccountLedger, type: string): EndpointRecord[] {
  return [...ledger.endpoints.values()].filter((record) => endpointWants(record, type));
}

/** Records an event on the ledger; deliveries are started separately. */
export function recordEvent(
  ledger: AccountLedger,
  input: EventInput,
  clock: SandboxClock,
): EventRecord {
  const targets = targetsFor(ledger, input.type);
  const data: Record<string, unknown> = { object: structuredClone(input.object) };
  if (input.previousAttributes) data['previous_attributes'] = input.previousAttributes;
  const base = stripeObject<Stripe.EventBase>({
    id: prefixedId('evt', 24),
    object: 'event',
    api_version: API_VERSION,
    created: clock.nowSeconds(),
    livemode: false,
    account: ledger.account.id,
    pending_webhooks: targets.length,
    request: { id: prefixedId('req', 14), idempotency_key: input.idempotencyKey ?? null },
  });
  // Stripe.Event is a union keyed by `type`; the emulator fills any member the same way.
  const event = { ...base, type: input.type, data } as unknown as Stripe.Event;
  const record: EventRecord = { event, deliveries: new Map() };
  for (const target of targets) {
    record.deliveries.set(target.endpoint.id, {
      attempts: 0,
      succeeded: false,
      lastStatus: null,
    });
  }
  ledger.events.push(record);
  return record;
}

/** Whether any endpoint's delivery of the event has failed and not yet succeeded. */
export function deliveryFailed(record: EventRecord): boolean {
  for (const state of record.deliveries.values()) {
    if (!state.succeeded && state.lastStatus !== null) return true;
  }
  return false;
}
