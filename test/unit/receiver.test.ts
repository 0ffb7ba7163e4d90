import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventStore } from '../../src/webhooks/event-store.js';
import { startLocalServer, type LocalServer } from '../../src/webhooks/local-server.js';
import {
  createWebhookReceiver,
  ProbeRegistry,
  PROBE_HEADER,
  type ReceivedDelivery,
} from '../../src/webhooks/receiver.js';

const SECRET = 'whsec_receiver_test';

function event(id: string, type = 'invoice.paid') {
  return JSON.stringify(
    { id, object: 'event', type, data: { object: { id: 'in_1' } } },
    null,
    2,
  );
}

function signed(body: string, timestamp?: number) {
  return Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: SECRET,
    timestamp,
  });
}

describe('webhook receiver', () => {
  let server: LocalServer;
  let store: EventStore;
  let probes: ProbeRegistry;
  let deliveries: ReceivedDelivery[];

  beforeEach(async () => {
    server = await startLocalServer();
    store = new EventStore();
    probes = new ProbeRegistry();
    deliveries = [];
    server.route(
      '/webhooks/stripe',
      createWebhookReceiver({
        store,
        secrets: () => [SECRET],
        probes,
        maxBodyBytes: 4096,
        onDelivery: (d) => void deliveries.push(d),
      }),
    );
  });
  afterEach(() => server.close());

  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${server.origin}/webhooks/stripe`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', ...headers },
    });

  it('accepts a correctly signed delivery and keeps the exact bytes', async () => {
    const body =
      '{"id": "evt_spaced",   "object": "event", "type": "invoice.paid", "data": {"object": {}}}';
    const response = await post(body, { 'Stripe-Signature': signed(body) });
    expect(response.status).toBe(200);
    expect(store.list().map((e) => e.id)).toEqual(['evt_spaced']);
    expect(deliveries[0]!.raw.toString()).toBe(body);
  });

  it('counts a repeated delivery once, with its delivery count', async () => {
    const body = event('evt_repeat');
    for (let i = 0; i < 3; i += 1) {
      expect((await post(body, { 'Stripe-Signature': signed(body) })).status).toBe(200);
    }
    expect(store.list()).toHaveLength(1);
    expect(store.list()[0]!.deliveries).toBe(3);
    expect(deliveries.map((d) => d.duplicate)).toEqual([false, true, true]);
  });

  it('rejects forged, unsigned and stale deliveries with 4xx and the reason', async () => {
    const body = event('evt_bad');
    const forged = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: 'whsec_someone_else',
    });
    const stale = signed(body, Math.floor(Date.now() / 1000) - 301);
    expect((await post(body, { 'Stripe-Signature': forged })).status).toBe(400);
    expect((await post(body)).status).toBe(400);
    expect((await post(body, { 'Stripe-Signature': stale })).status).toBe(400);
    expect(store.list()).toHaveLength(0);
    expect(store.rejections.map((r) => r.reason)).toEqual([
      'signature-mismatch',
      'missing-signature',
      'timestamp-outside-tolerance',
    ]);
    expect(store.rejections[2]!.ageSeconds).toBeGreaterThanOrEqual(301);
  });

  it('refuses bodies over the cap with 413 and stays up', async () => {
    const response = await post(Buffer.alloc(10_000, 'a'), {
      'Stripe-Signature': 't=1,v1=00',
    });
    expect(response.status).toBe(413);
    const body = event('evt_after');
    expect((await post(body, { 'Stripe-Signature': signed(body) })).status).toBe(200);
  });

  it('answers only POST', async () => {
    const response = await fetch(`${server.origin}/webhooks/stripe`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('hands a probe body to its waiter byte for byte, and refuses unknown nonces', async () => {
    const arrival = probes.expect('nonce-1', 2000);
    const payload = Buffer.from([0, 1, 2, 250, 255]);
    expect((await post(payload, { [PROBE_HEADER]: 'nonce-1' })).status).toBe(200);
    expect(Buffer.compare((await arrival)!, payload)).toBe(0);
    expect((await post('x', { [PROBE_HEADER]: 'nonce-unknown' })).status).toBe(400);
  });

  it('wakes a waiter when the awaited events arrive, in any order', async () => {
    const waiting = store.waitUntil(
      () => store.missing(['a.b', 'c.d']).length === 0,
      5000,
    );
    for (const [id, type] of [
      ['evt_2', 'c.d'],
      ['evt_1', 'a.b'],
    ] as const) {
      const body = event(id, type);
      await post(body, { 'Stripe-Signature': signed(body) });
    }
    expect(await waiting).toBe(true);
  });
});

describe('event store bounds', () => {
  it('forgets the oldest events past its limit, so a long-running listener stays bounded', () => {
    const store = new EventStore({ maxEvents: 2 });
    for (const id of ['evt_a', 'evt_b', 'evt_c']) {
      store.addVerified({ id, type: 'x', object: 'event' } as never, Date.now());
    }
    expect(store.list().map((e) => e.id)).toEqual(['evt_b', 'evt_c']);
    expect(store.get('evt_a')).toBeUndefined();
  });
});
