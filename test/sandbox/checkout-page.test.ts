import { afterEach, describe, expect, it } from 'vitest';

import { TEST_CARD_NUMBER } from '../../src/sandbox/index.js';
import { closeAll, createCheckout, payPage, sandbox, stripeFor } from './helpers.js';

afterEach(closeAll);

describe('the hosted checkout page', () => {
  it('shows the plan, the VAT-inclusive price and the form fields', async () => {
    const handle = await sandbox();
    const checkout = await createCheckout(handle);
    const res = await fetch(checkout.checkoutUrl);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(html).toContain('plus');
    expect(html).toContain('35.67');
    for (const id of ['email', 'card-number', 'pay'])
      expect(html).toContain(`data-testid="${id}"`);
    expect(html).not.toMatch(/<(script|link)\b/);
  });

  it('pays with the test card and redirects with the session id substituted', async () => {
    const handle = await sandbox();
    const checkout = await createCheckout(
      handle,
      'k1',
      'http://127.0.0.1:9/back?sid={CHECKOUT_SESSION_ID}&n=1',
    );
    const res = await payPage(checkout.checkoutUrl, TEST_CARD_NUMBER);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(
      `http://127.0.0.1:9/back?sid=${checkout.checkoutSessionId}&n=1`,
    );
    const session = await stripeFor(handle).checkout.sessions.retrieve(
      checkout.checkoutSessionId,
    );
    expect(session.status).toBe('complete');
    expect(handle.counts().subscriptions).toBe(1);
  });

  it('declines the decline card with 402 and leaves the session open', async () => {
    const handle = await sandbox();
    const checkout = await createCheckout(handle);
    const res = await payPage(checkout.checkoutUrl, '4000 0000 0000 0002');
    expect(res.status).toBe(402);
    expect(await res.text()).toMatch(/declined/i);
    const session = await stripeFor(handle).checkout.sessions.retrieve(
      checkout.checkoutSessionId,
    );
    expect(session.status).toBe('open');
  });

  it('answers 410 for a paid session and 404 for an unknown one', async () => {
    const handle = await sandbox();
    const checkout = await createCheckout(handle);
    await payPage(checkout.checkoutUrl);
    expect((await payPage(checkout.checkoutUrl)).status).toBe(410);
    expect((await fetch(checkout.checkoutUrl)).status).toBe(410);
    expect((await fetch(`${handle.stripeUrl}/checkout/cs_test_nope`)).status).toBe(404);
  });
});
