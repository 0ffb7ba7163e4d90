import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';

import {
  beacon,
  checkoutBody,
  closeAll,
  createCheckout,
  paidCheckout,
  sandbox,
  stripeFor,
} from './helpers.js';

afterEach(closeAll);

const CHECKOUTS = '/billing/subscription-checkouts';

describe('Beacon checkout creation', () => {
  it('requires an Idempotency-Key', async () => {
    const handle = await sandbox();
    const answer = await beacon(handle, 'POST', CHECKOUTS, {
      body: checkoutBody(handle),
    });
    expect(answer.status).toBe(400);
    expect(handle.counts().checkouts).toBe(0);
  });

  it('creates the Stripe session with Beacon metadata and the return URL', async () => {
    const handle = await sandbox();
    const checkout = await createCheckout(
      handle,
      'k',
      'http://127.0.0.1:9/r?s={CHECKOUT_SESSION_ID}',
    );
    expect(checkout.checkoutUrl).toBe(
      `${handle.stripeUrl}/checkout/${checkout.checkoutSessionId}`,
    );
    expect(Date.parse(checkout.expiresAt)).toBeGreaterThan(Date.now());
    const session = await stripeFor(handle).checkout.sessions.retrieve(
      checkout.checkoutSessionId,
    );
    expect(session.metadata).toEqual({
      organizationId: handle.organizationId,
      plan: 'plus',
      billingCycle: 'monthly',
    });
    expect(session.success_url).toBe('http://127.0.0.1:9/r?s={CHECKOUT_SESSION_ID}');
    expect(session.mode).toBe('subscription');
  });

  it('replays the same key and body with 200, and refuses another body with 409', async () => {
    const handle = await sandbox();
    const headers = { 'Idempotency-Key': 'chk_1' };
    const first = await beacon(handle, 'POST', CHECKOUTS, {
      body: checkoutBody(handle),
      headers,
    });
    const again = await beacon(handle, 'POST', CHECKOUTS, {
      body: checkoutBody(handle),
      headers,
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = { ...checkoutBody(handle), plan: 'basic' };
    const reused = await beacon(handle, 'POST', CHECKOUTS, { body: other, headers });
    expect(reused.status).toBe(409);
    expect(reused.body['code']).toBe('idempotency_key_reused');
    expect(handle.counts().checkouts).toBe(1);
  });

  it('answers 409 operation_in_progress to a concurrent request with the same key', async () => {
    const handle = await sandbox();
    const request = {
      body: checkoutBody(handle),
      headers: { 'Idempotency-Key': 'chk_2' },
    };
    const [a, b] = await Promise.all([
      beacon(handle, 'POST', CHECKOUTS, request),
      beacon(handle, 'POST', CHECKOUTS, request),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect([a.body['code'], b.body['code']]).toContain('operation_in_progress');
    expect(handle.counts().checkouts).toBe(1);
  });

  it('scopes keys per organization', async () => {
    const handle = await sandbox({ extraOrganizations: 1 });
    const other = handle.organizations[1];
    const headers = { 'Idempotency-Key': 'shared' };
    await beacon(handle, 'POST', CHECKOUTS, { body: checkoutBody(handle), headers });
    const second = await beacon(handle, 'POST', CHECKOUTS, {
      body: { ...checkoutBody(handle), organizationId: String(other?.organizationId) },
      headers,
      token: other?.accessToken,
    });
    expect(second.status).toBe(201);
  });

  it('refuses an unknown plan with 400 unknown_plan', async () => {
    const handle = await sandbox();
    const answer = await beacon(handle, 'POST', CHECKOUTS, {
      body: { ...checkoutBody(handle), plan: 'gold' },
      headers: { 'Idempotency-Key': 'k' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body['code']).toBe('unknown_plan');
  });
});

describe('Beacon confirm and intake', () => {
  it('confirm reconciles from Stripe even before any event is processed', async () => {
    const handle = await sandbox({ scenario: 'webhook-dropped' });
    const paid = await paidCheckout(handle);
    const confirm = await beacon(
      handle,
      'POST',
      `/billing/subscriptions/${paid.subscriptionId}/confirm`,
      {
        body: {
          organizationId: handle.organizationId,
          checkoutSessionId: paid.sessionId,
        },
      },
    );
    expect(confirm.body).toMatchObject({
      status: 'active',
      checkoutSessionId: paid.sessionId,
    });
  });

  it('confirm answers 404 when Stripe has no completed checkout for the subscription', async () => {
    const handle = await sandbox();
    const checkout = await createCheckout(handle);
    const answer = await beacon(
      handle,
      'POST',
      '/billing/subscriptions/sub_nope/confirm',
      {
        body: {
          organizationId: handle.organizationId,
          checkoutSessionId: checkout.checkoutSessionId,
        },
      },
    );
    expect(answer.status).toBe(404);
    expect(answer.body['code']).toBe('not_found');
  });

  it('the intake refuses a badly signed event with 400 and counts it in the metrics', async () => {
    const handle = await sandbox();
    const payload = JSON.stringify({
      id: 'evt_forged',
      object: 'event',
      account: handle.stripeAccountId,
    });
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: 'whsec_forged',
    });
    const res = await fetch(`${handle.beaconUrl}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'Stripe-Signature': signature, 'Content-Type': 'application/json' },
      body: payload,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('invalid_signature');
    const metrics = await beacon(handle, 'GET', '/metrics/webhooks');
    expect(metrics.body).toMatchObject({ received: 1, failed: 1, errorRate: 1 });
  });

  it('de-duplicates by event id and counts deliveries', async () => {
    const handle = await sandbox();
    await paidCheckout(handle);
    const events = await stripeFor(handle).events.list({ type: 'invoice.paid' });
    const id = events.data[0]?.id;
    // Both intake endpoints get every event, so each record has at least two deliveries.
    let record = await beacon(handle, 'GET', `/webhooks/events/${id}`);
    for (
      let i = 0;
      i < 50 && ((record.body['deliveries'] as number | undefined) ?? 0) < 2;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 20));
      record = await beacon(handle, 'GET', `/webhooks/events/${id}`);
    }
    expect(record.body['deliveries']).toBeGreaterThanOrEqual(2);
    const docs = await beacon(handle, 'GET', '/fiscal/documents');
    expect(docs.body['data']).toHaveLength(1);
  });
});
