import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';

import { REQUIRED_EVENTS } from '../../src/flow/catalog.js';
import type { Receiver } from './helpers.js';
import {
  closeAll,
  paidCheckout,
  sandbox,
  startReceiver,
  stripeFor,
  waitFor,
} from './helpers.js';

const receivers: Receiver[] = [];
afterEach(async () => {
  await closeAll();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

const PAYMENT_EVENTS = 11;

describe('webhook deliveries', () => {
  it('delivers signed events that constructEvent verifies on the raw bytes', async () => {
    const handle = await sandbox();
    const stripe = stripeFor(handle);
    const hook = await receiver();
    const endpoint = await stripe.webhookEndpoints.create({
      url: hook.url,
      enabled_events: ['*'],
    });
    await paidCheckout(handle);
    await waitFor(() => new Set(hook.deliveries.map((d) => d.id)).size >= PAYMENT_EVENTS);
    for (const delivery of hook.deliveries) {
      const event = stripe.webhooks.constructEvent(
        delivery.raw,
        delivery.signature,
        String(endpoint.secret),
      );
      expect(event.account).toBe(handle.stripeAccountId);
      expect(delivery.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64},v0=[0-9a-f]{64}$/);
      expect(delivery.headers['user-agent']).toBe(
        'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      );
      expect(delivery.headers['content-type']).toMatch(/^application\/json/);
      // Pretty-printed, as Stripe sends it.
      expect(delivery.raw.toString('utf8')).toContain('\n  "id": ');
    }
    const tampered = Buffer.from(
      String(hook.deliveries[0]?.raw).replace('"livemode": false', '"livemode": true'),
    );
    expect(() =>
      stripe.webhooks.constructEvent(
        tampered,
        String(hook.deliveries[0]?.signature),
        String(endpoint.secret),
      ),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it('shuffles the order and delivers some required events twice', async () => {
    const handle = await sandbox({ seed: 11 });
    const stripe = stripeFor(handle);
    const hook = await receiver();
    await stripe.webhookEndpoints.create({ url: hook.url, enabled_events: ['*'] });
    await paidCheckout(handle);
    await waitFor(() => hook.deliveries.length >= PAYMENT_EVENTS + 2);
    await new Promise((r) => setTimeout(r, 100));
    const created = (await stripe.events.list({ limit: 100 })).data
      .reverse()
      .map((e) => e.id);
    const arrived = [...new Set(hook.deliveries.map((d) => d.id))];
    expect(arrived).not.toEqual(created);
    const counts = new Map<string, number>();
    for (const d of hook.deliveries) counts.set(d.type, (counts.get(d.type) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n >= 2).map(([type]) => type);
    expect(twice.length).toBeGreaterThanOrEqual(2);
    expect(twice.length).toBeLessThanOrEqual(3);
    expect(twice.some((t) => (REQUIRED_EVENTS as readonly string[]).includes(t))).toBe(
      true,
    );
  });

  it('puts invoice.payment_succeeded before checkout.session.completed in most runs', async () => {
    let before = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const handle = await sandbox({ seed });
      const hook = await receiver();
      await stripeFor(handle).webhookEndpoints.create({
        url: hook.url,
        enabled_events: ['*'],
      });
      await paidCheckout(handle);
      await waitFor(
        () => new Set(hook.deliveries.map((d) => d.id)).size >= PAYMENT_EVENTS,
      );
      const types = hook.deliveries.map((d) => d.type);
      if (
        types.indexOf('invoice.payment_succeeded') <
        types.indexOf('checkout.session.completed')
      )
        before++;
    }
    expect(before).toBeGreaterThanOrEqual(4);
  });

  it('sends only the subscribed events', async () => {
    const handle = await sandbox();
    const stripe = stripeFor(handle);
    const hook = await receiver();
    await stripe.webhookEndpoints.create({
      url: hook.url,
      enabled_events: ['invoice.paid'],
    });
    await paidCheckout(handle);
    await waitFor(() => hook.deliveries.length >= 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(new Set(hook.deliveries.map((d) => d.type))).toEqual(
      new Set(['invoice.paid']),
    );
  });

  it('retries failures up to three attempts and lists them under delivery_success=false', async () => {
    const handle = await sandbox();
    const stripe = stripeFor(handle);
    const hook = await receiver();
    hook.answer(302);
    await stripe.webhookEndpoints.create({
      url: hook.url,
      enabled_events: ['invoice.paid'],
    });
    await paidCheckout(handle);
    await waitFor(() => hook.deliveries.length >= 3);
    await new Promise((r) => setTimeout(r, 400));
    expect(hook.deliveries).toHaveLength(3);
    const failed = await stripe.events.list({ delivery_success: false });
    expect(failed.data.map((e) => e.type)).toEqual(['invoice.paid']);
    expect(failed.data[0]?.pending_webhooks).toBe(1);
  });

  it('counts pending_webhooks down as endpoints acknowledge', async () => {
    const handle = await sandbox();
    const stripe = stripeFor(handle);
    await paidCheckout(handle);
    // Beacon's two intake endpoints acknowledge every event.
    await waitFor(async () => {
      const events = await stripe.events.list({ limit: 100 });
      return events.data.every((e) => e.pending_webhooks === 0);
    });
    const events = await stripe.events.list({ delivery_success: false });
    expect(events.data).toEqual([]);
  });

  it('resends an unacknowledged event on POST /v1/events/:id/retry', async () => {
    const handle = await sandbox();
    const stripe = stripeFor(handle);
    const hook = await receiver();
    hook.answer(500);
    await stripe.webhookEndpoints.create({
      url: hook.url,
      enabled_events: ['invoice.paid'],
    });
    await paidCheckout(handle);
    await waitFor(() => hook.deliveries.length >= 3);
    await new Promise((r) => setTimeout(r, 300));
    const [failed] = (await stripe.events.list({ delivery_success: false })).data;
    hook.answer(200);
    const retried = await stripe.rawRequest('POST', `/v1/events/${failed?.id}/retry`, {});
    expect(retried.lastResponse.statusCode).toBe(200);
    await waitFor(
      async () =>
        (await stripe.events.retrieve(String(failed?.id))).pending_webhooks === 0,
    );
    expect((await stripe.events.list({ delivery_success: false })).data).toEqual([]);
    expect(hook.deliveries).toHaveLength(4);
  });
});
