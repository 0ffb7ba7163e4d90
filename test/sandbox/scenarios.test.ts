import type Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';

import { REQUIRED_EVENTS } from '../../src/flow/catalog.js';
import { SCENARIO_NAMES } from '../../src/sandbox/scenarios.js';
import type { Receiver } from './helpers.js';
import {
  beacon,
  checkoutBody,
  closeAll,
  createCheckout,
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

async function hookOn(stripe: Stripe): Promise<{ hook: Receiver; secret: string }> {
  const hook = await startReceiver();
  receivers.push(hook);
  const endpoint = await stripe.webhookEndpoints.create({
    url: hook.url,
    enabled_events: ['*'],
  });
  return { hook, secret: String(endpoint.secret) };
}

const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

describe('scenarios', () => {
  it('every scenario starts and reports itself on the inspect endpoint', async () => {
    for (const scenario of SCENARIO_NAMES) {
      const handle = await sandbox({ scenario });
      const inspect = (await (await fetch(handle.inspectUrl)).json()) as {
        scenario: string;
      };
      expect(inspect.scenario).toBe(scenario);
      await handle.close();
    }
  });

  it('happy: a paid, confirmed checkout is active, processed and has a fiscal document', async () => {
    const handle = await sandbox();
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
      plan: 'plus',
      billingCycle: 'monthly',
    });
    expect(confirm.body['confirmedAt']).toEqual(expect.any(String));
    const events = await stripeFor(handle).events.list({ limit: 100 });
    const wanted: readonly string[] = REQUIRED_EVENTS;
    const ids = events.data.filter((e) => wanted.includes(e.type)).map((e) => e.id);
    expect(ids).toHaveLength(REQUIRED_EVENTS.length);
    await waitFor(async () => {
      const records = await Promise.all(
        ids.map((id) => beacon(handle, 'GET', `/webhooks/events/${id}`)),
      );
      return records.every((r) => r.body['status'] === 'processed');
    });
    const record = await beacon(
      handle,
      'GET',
      `/billing/subscriptions/${paid.subscriptionId}`,
    );
    const timeline = (record.body['timeline'] as { type: string }[]).map((t) => t.type);
    expect(timeline).toEqual(
      expect.arrayContaining([
        'billing.subscription.confirmed',
        'billing.checkout.completed',
      ]),
    );
    const docs = await beacon(
      handle,
      'GET',
      `/fiscal/documents?invoiceId=${paid.invoiceId}`,
    );
    expect(docs.body['data']).toHaveLength(1);
    const metrics = await beacon(handle, 'GET', '/metrics/webhooks');
    expect(metrics.body).toMatchObject({ failed: 0, errorRate: 0, backlog: 0 });
  });

  it('charges-disabled: the account and the connection show the requirements; checkout is refused', async () => {
    const handle = await sandbox({ scenario: 'charges-disabled' });
    const account = await stripeFor(handle).accounts.retrieveCurrent();
    expect(account).toMatchObject({ charges_enabled: false, details_submitted: false });
    expect(account.requirements?.disabled_reason).toBe('requirements.past_due');
    expect(account.requirements?.currently_due).toEqual(
      expect.arrayContaining(['external_account', 'tos_acceptance.date']),
    );
    const connection = await beacon(
      handle,
      'GET',
      `/organizations/${handle.organizationId}/stripe-connection`,
    );
    expect(connection.body).toMatchObject({ status: 'connected', chargesEnabled: false });
    const checkout = await beacon(handle, 'POST', '/billing/subscription-checkouts', {
      body: checkoutBody(handle),
      headers: { 'Idempotency-Key': 'k' },
    });
    expect(checkout.status).toBe(422);
    expect(checkout.body['code']).toBe('account_cannot_charge');
  });

  it('charges-disabled: the onboarding page enables charges, emits account.updated, redirects', async () => {
    const handle = await sandbox({ scenario: 'charges-disabled' });
    const link = await beacon(handle, 'POST', '/connect/accounts/onboarding-links', {
      body: {
        organizationId: handle.organizationId,
        mode: 'test',
        returnUrl: 'http://127.0.0.1:9/done',
        refreshUrl: 'http://127.0.0.1:9/again',
      },
    });
    expect(link.status).toBe(201);
    const url = String(link.body['onboardingUrl']);
    expect(url).toContain(`/connect/onboarding/${handle.stripeAccountId}`);
    expect(await (await fetch(url)).text()).toContain('<button');
    const done = await fetch(url, { method: 'POST', redirect: 'manual' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('http://127.0.0.1:9/done');
    const stripe = stripeFor(handle);
    expect((await stripe.accounts.retrieveCurrent()).charges_enabled).toBe(true);
    const updated = await stripe.events.list({ type: 'account.updated' });
    expect(updated.data[0]?.data.previous_attributes).toMatchObject({
      charges_enabled: false,
    });
  });

  it('not-connected: no connection, no account id; checkout answers 422 not_connected', async () => {
    const handle = await sandbox({ scenario: 'not-connected' });
    const connection = await beacon(
      handle,
      'GET',
      `/organizations/${handle.organizationId}/stripe-connection`,
    );
    expect(connection.body).toMatchObject({
      status: 'not_connected',
      stripeAccountId: null,
    });
    const checkout = await beacon(handle, 'POST', '/billing/subscription-checkouts', {
      body: checkoutBody(handle),
      headers: { 'Idempotency-Key': 'k' },
    });
    expect(checkout.body['code']).toBe('not_connected');
  });

  it('invalid-token: Beacon answers 401 to the right token', async () => {
    const handle = await sandbox({ scenario: 'invalid-token' });
    for (const path of ['/auth/token', '/health', '/billing/plans']) {
      const answer = await beacon(handle, 'GET', path);
      expect(answer.status).toBe(401);
      expect(answer.body['code']).toBe('invalid_token');
    }
  });

  it('missing-scope: the token lacks integration, and other calls answer 403', async () => {
    const handle = await sandbox({ scenario: 'missing-scope' });
    const token = await beacon(handle, 'GET', '/auth/token');
    expect(token.status).toBe(200);
    expect(token.body['scopes']).not.toContain('integration');
    const plans = await beacon(handle, 'GET', '/billing/plans');
    expect(plans.status).toBe(403);
    expect(plans.body['code']).toBe('insufficient_scope');
  });

  it('wrong-signing-secret: our endpoint cannot verify, Beacon still can', async () => {
    const handle = await sandbox({ scenario: 'wrong-signing-secret' });
    const stripe = stripeFor(handle);
    const { hook, secret } = await hookOn(stripe);
    await paidCheckout(handle);
    await waitFor(() => hook.deliveries.length >= 11);
    const first = hook.deliveries[0];
    expect(() =>
      stripe.webhooks.constructEvent(first?.raw ?? '', String(first?.signature), secret),
    ).toThrow(/No signatures found matching/);
    await waitFor(
      async () =>
        (await beacon(handle, 'GET', `/webhooks/events/${first?.id}`)).status === 200,
    );
  });

  it('clock-drift: Date headers and signature timestamps are ten minutes behind', async () => {
    const handle = await sandbox({ scenario: 'clock-drift' });
    const stripe = stripeFor(handle);
    const { hook, secret } = await hookOn(stripe);
    const res = await fetch(`${handle.beaconUrl}/health`, {
      headers: { Authorization: `Bearer ${handle.accessToken}` },
    });
    const lag = Date.now() - Date.parse(res.headers.get('date') ?? '');
    expect(lag).toBeGreaterThan(590_000);
    expect(lag).toBeLessThan(610_000);
    await paidCheckout(handle);
    await waitFor(() => hook.deliveries.length >= 1);
    const first = hook.deliveries[0];
    const t = Number(/t=(\d+)/.exec(String(first?.signature))?.[1]);
    expect(Date.now() / 1000 - t).toBeGreaterThan(590);
    expect(() =>
      stripe.webhooks.constructEvent(first?.raw ?? '', String(first?.signature), secret),
    ).toThrow(/Timestamp outside the tolerance zone/);
    await waitFor(
      async () =>
        (await beacon(handle, 'GET', `/webhooks/events/${first?.id}`)).status === 200,
    );
  });

  it('confirm-skipped: a seeded paid checkout stays pending, and confirm changes nothing', async () => {
    const handle = await sandbox({ scenario: 'confirm-skipped' });
    const stripe = stripeFor(handle);
    const seeded = await stripe.checkout.sessions.list({ status: 'complete' });
    expect(seeded.data).toHaveLength(1);
    const old = String(seeded.data[0]?.subscription);
    // Readable at once, as a read-only diagnose needs it.
    const record = await beacon(handle, 'GET', `/billing/subscriptions/${old}`);
    expect(record.body).toMatchObject({
      status: 'pending_confirmation',
      confirmedAt: null,
    });
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
    expect(confirm.status).toBe(200);
    expect(confirm.body).toMatchObject({
      status: 'pending_confirmation',
      confirmedAt: null,
    });
  });

  it('duplicate-submit: the first create answers 409 in flight; the key then replays one session', async () => {
    const handle = await sandbox({ scenario: 'duplicate-submit' });
    const request = {
      body: checkoutBody(handle),
      headers: { 'Idempotency-Key': 'chk_dup' },
    };
    const first = await beacon(
      handle,
      'POST',
      '/billing/subscription-checkouts',
      request,
    );
    expect(first.status).toBe(409);
    expect(first.body['code']).toBe('operation_in_progress');
    const second = await beacon(
      handle,
      'POST',
      '/billing/subscription-checkouts',
      request,
    );
    const third = await beacon(
      handle,
      'POST',
      '/billing/subscription-checkouts',
      request,
    );
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(third.body['checkoutSessionId']).toBe(second.body['checkoutSessionId']);
    expect(handle.counts().checkouts).toBe(1);
  });

  it('webhook-dropped: nothing is delivered; events show failed delivery', async () => {
    const handle = await sandbox({ scenario: 'webhook-dropped' });
    const stripe = stripeFor(handle);
    const { hook } = await hookOn(stripe);
    await paidCheckout(handle);
    await settle();
    expect(hook.deliveries).toEqual([]);
    const failed = await stripe.events.list({ delivery_success: false, limit: 100 });
    expect(failed.data.length).toBeGreaterThanOrEqual(11);
    const any = failed.data[0];
    expect((await beacon(handle, 'GET', `/webhooks/events/${any?.id}`)).status).toBe(404);
  });

  it('intake-missing: Beacon has no endpoints at Stripe and records no event', async () => {
    const handle = await sandbox({ scenario: 'intake-missing' });
    const stripe = stripeFor(handle);
    expect((await stripe.webhookEndpoints.list()).data).toEqual([]);
    const { hook } = await hookOn(stripe);
    await paidCheckout(handle);
    await waitFor(() => hook.deliveries.length >= 11);
    await settle(100);
    for (const id of new Set(hook.deliveries.map((d) => d.id))) {
      expect((await beacon(handle, 'GET', `/webhooks/events/${id}`)).status).toBe(404);
    }
  });

  it('flaky-api: both APIs fail sometimes; retries get through with no duplicate checkout', async () => {
    const handle = await sandbox({ scenario: 'flaky-api' });
    const headers = { 'Idempotency-Key': 'chk_flaky' };
    const body = checkoutBody(handle);
    const first = await beacon(handle, 'POST', '/billing/subscription-checkouts', {
      body,
      headers,
    });
    expect(first.status).toBeGreaterThanOrEqual(500);
    const retry = await beacon(handle, 'POST', '/billing/subscription-checkouts', {
      body,
      headers,
    });
    expect(retry.status).toBe(200);
    expect(handle.counts().checkouts).toBe(1);
    const statuses: number[] = [];
    const retryAfter: (string | null)[] = [];
    for (let i = 0; i < 16; i++) {
      const answer = await beacon(handle, 'GET', '/health');
      statuses.push(answer.status);
      if (answer.status === 429) retryAfter.push(answer.headers.get('retry-after'));
    }
    expect(statuses.filter((s) => s >= 500).length).toBeGreaterThanOrEqual(2);
    expect(retryAfter).toEqual(['1']);
    // The SDK's own retries (it keys every POST) absorb Stripe's faults.
    const stripe = stripeFor(handle, 2);
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: 'price_sandbox_plus_monthly', quantity: 1 }],
      success_url: 'http://127.0.0.1:9/ok',
    });
    expect(session.status).toBe('open');
    expect(handle.counts().checkouts).toBe(2);
    const plain = stripeFor(handle, 0);
    const results = await Promise.allSettled(
      [1, 2, 3, 4].map(() => plain.accounts.retrieveCurrent()),
    );
    expect(results.some((r) => r.status === 'rejected')).toBe(true);
  });

  it('checkout-expired: the page answers 410 and the session expires with an event', async () => {
    const handle = await sandbox({ scenario: 'checkout-expired' });
    const checkout = await createCheckout(handle);
    const session = await stripeFor(handle).checkout.sessions.retrieve(
      checkout.checkoutSessionId,
    );
    expect(session.status).toBe('open');
    const page = await fetch(checkout.checkoutUrl);
    expect(page.status).toBe(410);
    expect(await page.text()).toMatch(/expired/);
    const after = await stripeFor(handle).checkout.sessions.retrieve(
      checkout.checkoutSessionId,
    );
    expect(after).toMatchObject({ status: 'expired', url: null });
    const events = await stripeFor(handle).events.list({
      type: 'checkout.session.expired',
    });
    expect(events.data).toHaveLength(1);
  });

  it('fiscal-invalid: the chosen rule is broken in the document and its QR alike', async () => {
    const handle = await sandbox({
      scenario: 'fiscal-invalid',
      fiscalRule: 'nif.buyer.check-digit',
    });
    const paid = await paidCheckout(handle);
    const docs = await waitFor(async () => {
      const answer = await beacon(
        handle,
        'GET',
        `/fiscal/documents?subscriptionId=${paid.subscriptionId}`,
      );
      return (answer.body['data'] as Record<string, unknown>[])[0];
    });
    expect(docs['buyer']).toMatchObject({ taxId: '501964842', country: 'PT' });
    expect(String(docs['qrPayload'])).toContain('*B:501964842*');
  });

  it('fiscal-invalid: an unknown rule id is refused, naming the valid ones', async () => {
    await expect(
      sandbox({ scenario: 'fiscal-invalid', fiscalRule: 'no.such-rule' }),
    ).rejects.toThrow(/no\.such-rule.*nif\.buyer\.check-digit/);
  });

  it('fiscal-not-ready: setup-state is not ready with a critical item', async () => {
    const handle = await sandbox({ scenario: 'fiscal-not-ready' });
    const state = await beacon(handle, 'GET', '/fiscal/setup-state');
    expect(state.body['ready']).toBe(false);
    expect(state.body['pending']).toEqual(
      expect.arrayContaining([expect.objectContaining({ severity: 'critical' })]),
    );
  });

  it('critical-alert: one open P1 alert', async () => {
    const handle = await sandbox({ scenario: 'critical-alert' });
    const alerts = await beacon(handle, 'GET', '/alerts?status=open&severity=P1');
    expect(alerts.body['data']).toHaveLength(1);
    const happy = await sandbox();
    const none = await beacon(happy, 'GET', '/alerts?status=open&severity=P1');
    expect(none.body['data']).toEqual([]);
  });

  it('degraded: health answers 503 with webhooks down', async () => {
    const handle = await sandbox({ scenario: 'degraded' });
    const health = await beacon(handle, 'GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({
      ok: false,
      services: { webhooks: 'down', billing: 'up' },
    });
  });
});
