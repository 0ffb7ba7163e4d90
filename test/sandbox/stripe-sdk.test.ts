import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';

import { closeAll, paidCheckout, sandbox, stripeFor } from './helpers.js';

afterEach(closeAll);

describe('the real stripe SDK against the emulator', () => {
  it('reads the connected Standard account', async () => {
    const handle = await sandbox();
    const stripe = stripeFor(handle);
    const own = await stripe.accounts.retrieveCurrent();
    const byId = await stripe.accounts.retrieve(handle.stripeAccountId);
    expect(own.id).toBe(handle.stripeAccountId);
    expect(byId.type).toBe('standard');
    expect(own.charges_enabled && own.details_submitted).toBe(true);
    expect(own.requirements?.currently_due).toEqual([]);
    expect(own.capabilities?.card_payments).toBe('active');
  });

  it('creates, lists, updates and deletes webhook endpoints; the secret shows once', async () => {
    const handle = await sandbox();
    const stripe = stripeFor(handle);
    const created = await stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/hook',
      enabled_events: ['checkout.session.completed', 'invoice.paid'],
      description: 'probe',
      metadata: { run: 'r1' },
    });
    expect(created.secret).toMatch(/^whsec_/);
    const read = await stripe.webhookEndpoints.retrieve(created.id);
    expect(read.secret).toBeUndefined();
    const list = await stripe.webhookEndpoints.list({ limit: 2 });
    expect(list.data[0]?.id).toBe(created.id);
    // Beacon's two intake endpoints are there too, so a page of two has more.
    expect(list.has_more).toBe(true);
    const updated = await stripe.webhookEndpoints.update(created.id, { disabled: true });
    expect(updated.status).toBe('disabled');
    const deleted = await stripe.webhookEndpoints.del(created.id);
    expect(deleted).toMatchObject({
      id: created.id,
      object: 'webhook_endpoint',
      deleted: true,
    });
    await expect(stripe.webhookEndpoints.retrieve(created.id)).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
  });

  it('pages the endpoint list with starting_after', async () => {
    const handle = await sandbox();
    const stripe = stripeFor(handle);
    for (let i = 0; i < 3; i++) {
      await stripe.webhookEndpoints.create({
        url: `http://127.0.0.1:9/h${i}`,
        enabled_events: ['*'],
      });
    }
    const first = await stripe.webhookEndpoints.list({ limit: 3 });
    const rest = await stripe.webhookEndpoints.list({
      limit: 3,
      starting_after: first.data[2]?.id,
    });
    expect(first.has_more).toBe(true);
    expect(rest.data.map((e) => e.url)).toEqual(
      expect.arrayContaining([expect.stringMatching(/webhooks\/stripe/)]),
    );
    expect(rest.has_more).toBe(false);
  });

  it('refuses a 17th endpoint', async () => {
    const handle = await sandbox();
    const stripe = stripeFor(handle);
    for (let i = 0; i < 14; i++) {
      await stripe.webhookEndpoints.create({
        url: `http://127.0.0.1:9/h${i}`,
        enabled_events: ['*'],
      });
    }
    const error = await stripe.webhookEndpoints
      .create({ url: 'http://127.0.0.1:9/over', enabled_events: ['*'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((error as Stripe.errors.StripeError).statusCode).toBe(400);
  });

  it('creates, retrieves, lists and expires a subscription session', async () => {
    const handle = await sandbox();
    const stripe = stripeFor(handle);
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: 'price_sandbox_plus_monthly', quantity: 1 }],
      success_url: 'http://127.0.0.1:9/ok?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://127.0.0.1:9/cancel',
      client_reference_id: 'ref-1',
      metadata: { plan: 'plus' },
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.status).toBe('open');
    expect(session.url).toContain(`/checkout/${session.id}`);
    expect(session.amount_total).toBe(3567);
    const read = await stripe.checkout.sessions.retrieve(session.id);
    expect(read.metadata).toEqual({ plan: 'plus' });
    const list = await stripe.checkout.sessions.list({ limit: 1 });
    expect(list.data[0]?.id).toBe(session.id);
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired.status).toBe('expired');
    expect(expired.url).toBeNull();
    const events = await stripe.events.list({ type: 'checkout.session.expired' });
    expect(events.data).toHaveLength(1);
  });

  it('parses the subscription, invoice, customer, price and events of a paid checkout', async () => {
    const handle = await sandbox();
    const stripe = stripeFor(handle);
    const paid = await paidCheckout(handle);
    const session = await stripe.checkout.sessions.retrieve(paid.sessionId);
    expect(session).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      url: null,
    });
    const subscription = await stripe.subscriptions.retrieve(paid.subscriptionId);
    expect(subscription.status).toBe('active');
    expect(subscription.metadata).toMatchObject({
      plan: 'plus',
      billingCycle: 'monthly',
    });
    expect(subscription.metadata['organizationId']).toBe(handle.organizationId);
    const invoice = await stripe.invoices.retrieve(paid.invoiceId);
    expect(invoice.parent?.subscription_details?.subscription).toBe(paid.subscriptionId);
    expect(invoice).toMatchObject({
      status: 'paid',
      total: 3567,
      amount_paid: 3567,
      currency: 'eur',
    });
    const invoices = await stripe.invoices.list({ subscription: paid.subscriptionId });
    expect(invoices.data.map((i) => i.id)).toEqual([paid.invoiceId]);
    const subscriptions = await stripe.subscriptions.list();
    expect(subscriptions.data.map((s) => s.id)).toContain(paid.subscriptionId);
    const customer = await stripe.customers.retrieve(String(session.customer));
    expect(customer.id).toBe(session.customer);
    const price = await stripe.prices.retrieve('price_sandbox_plus_yearly');
    expect(price).toMatchObject({
      unit_amount: 29000,
      lookup_key: 'plus_yearly',
      currency: 'eur',
    });
    expect(price.recurring?.interval).toBe('year');
    const events = await stripe.events.list({ limit: 100 });
    expect(events.data.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'customer.created',
        'payment_method.attached',
        'customer.subscription.created',
        'invoice.created',
        'invoice.finalized',
        'payment_intent.succeeded',
        'charge.succeeded',
        'invoice.paid',
        'invoice.payment_succeeded',
        'customer.subscription.updated',
        'checkout.session.completed',
      ]),
    );
    const updated = events.data.find((e) => e.type === 'customer.subscription.updated');
    expect(updated?.data.previous_attributes).toEqual({ status: 'incomplete' });
    const created = events.data.find((e) => e.type === 'customer.subscription.created');
    expect((created?.data.object as Stripe.Subscription).status).toBe('incomplete');
    expect(created?.account).toBe(handle.stripeAccountId);
    const one = await stripe.events.retrieve(String(created?.id));
    expect(one.id).toBe(created?.id);
  });

  it('answers Request-Id and Date on every response', async () => {
    const handle = await sandbox();
    const res = await fetch(`${handle.stripeUrl}/v1/account`, {
      headers: { Authorization: `Bearer ${handle.stripeSecretKey}` },
    });
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(Math.abs(Date.parse(res.headers.get('date') ?? '') - Date.now())).toBeLessThan(
      5000,
    );
  });
});

describe('Stripe errors map to the SDK error classes', () => {
  it('401 with a wrong key is an authentication error', async () => {
    const handle = await sandbox();
    const error = await stripeFor(handle, 0, 'sk_test_wrong')
      .accounts.retrieveCurrent()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect((error as Error).message).not.toContain('sk_test_wrong');
  });

  it('404 for an unknown object is an invalid request with resource_missing', async () => {
    const handle = await sandbox();
    const error = await stripeFor(handle)
      .subscriptions.retrieve('sub_nope')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((error as Stripe.errors.StripeError).code).toBe('resource_missing');
    expect((error as Stripe.errors.StripeError).requestId).toMatch(/^req_/);
  });

  it('a missing parameter names it', async () => {
    const handle = await sandbox();
    const error = await stripeFor(handle)
      .webhookEndpoints.create({
        url: 'http://127.0.0.1:9/x',
      } as Stripe.WebhookEndpointCreateParams)
      .catch((e: unknown) => e);
    expect((error as Stripe.errors.StripeError).param).toBe('enabled_events');
  });
});

describe('Stripe idempotency', () => {
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: 'subscription',
    line_items: [{ price: 'price_sandbox_basic_monthly', quantity: 1 }],
    success_url: 'http://127.0.0.1:9/ok',
  };

  it('replays the saved answer with Idempotent-Replayed and creates nothing new', async () => {
    const handle = await sandbox();
    const stripe = stripeFor(handle);
    const first = await stripe.checkout.sessions.create(params, {
      idempotencyKey: 'k-1',
    });
    const again = await stripe.checkout.sessions.create(params, {
      idempotencyKey: 'k-1',
    });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(again.lastResponse.headers['idempotency-key']).toBe('k-1');
    expect(handle.counts().checkouts).toBe(1);
  });

  it('answers 400 idempotency_error when the parameters change', async () => {
    const handle = await sandbox();
    const stripe = stripeFor(handle);
    await stripe.checkout.sessions.create(params, { idempotencyKey: 'k-2' });
    const error = await stripe.checkout.sessions
      .create({ ...params, client_reference_id: 'other' }, { idempotencyKey: 'k-2' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect((error as Stripe.errors.StripeError).statusCode).toBe(400);
  });

  it('answers 409 idempotency_key_in_use while the first request runs', async () => {
    const handle = await sandbox();
    const stripe = stripeFor(handle);
    const results = await Promise.allSettled([
      stripe.checkout.sessions.create(params, { idempotencyKey: 'k-3' }),
      stripe.checkout.sessions.create(params, { idempotencyKey: 'k-3' }),
    ]);
    const rejected = results.find((r) => r.status === 'rejected');
    const error = (rejected as PromiseRejectedResult).reason as Stripe.errors.StripeError;
    expect(error.statusCode).toBe(409);
    expect(error.code).toBe('idempotency_key_in_use');
    expect(handle.counts().checkouts).toBe(1);
  });

  it('does not save a validation 400, so the key works once fixed', async () => {
    const handle = await sandbox();
    const stripe = stripeFor(handle);
    const bad = { ...params, line_items: [{ price: 'price_nope', quantity: 1 }] };
    await expect(
      stripe.checkout.sessions.create(bad, { idempotencyKey: 'k-4' }),
    ).rejects.toThrow(/price/);
    const good = await stripe.checkout.sessions
      .create(bad, { idempotencyKey: 'k-4' })
      .catch(() => null);
    expect(good).toBeNull();
    const fixed = await fetch(`${handle.stripeUrl}/v1/checkout/sessions`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${handle.stripeSecretKey}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        'Idempotency-Key': 'k-5',
      },
      body: 'mode=subscription&line_items[0][price]=price_sandbox_basic_monthly&success_url=http://127.0.0.1:9/ok',
    });
    expect(fixed.status).toBe(200);
  });
});
