import { afterEach, describe, expect, it } from 'vitest';

import type { SandboxHandle } from '../../src/sandbox/types.js';
import { responseValidator } from './contract-helpers.js';
import type { Answer } from './helpers.js';
import {
  beacon,
  checkoutBody,
  closeAll,
  payPage,
  sandbox,
  sessionIdOf,
  stripeFor,
  waitFor,
} from './helpers.js';

afterEach(closeAll);

interface Seen {
  method: string;
  path: string;
  answer: Answer;
}

/** Calls Beacon and remembers the answer for the contract check. */
function recorder(handle: SandboxHandle, seen: Seen[]) {
  return async (
    method: string,
    path: string,
    options: Parameters<typeof beacon>[3] = {},
  ) => {
    const answer = await beacon(handle, method, path, options);
    seen.push({ method, path: path.split('?')[0] ?? path, answer });
    return answer;
  };
}

describe('Beacon answers match the contract', () => {
  it('every response of a happy run validates against its declared schema', async () => {
    const handle = await sandbox();
    const seen: Seen[] = [];
    const call = recorder(handle, seen);
    const org = handle.organizationId;

    await call('GET', '/auth/token');
    await call('GET', `/organizations/${org}/stripe-connection`);
    await call('GET', '/billing/plans');
    await call('POST', '/connect/accounts/onboarding-links', {
      body: {
        organizationId: org,
        mode: 'test',
        returnUrl: 'http://127.0.0.1:9/r',
        refreshUrl: 'http://127.0.0.1:9/f',
      },
    });
    const headers = { 'Idempotency-Key': 'chk_contract' };
    const body = checkoutBody(
      handle,
      'http://127.0.0.1:9/return?session_id={CHECKOUT_SESSION_ID}',
    );
    const created = await call('POST', '/billing/subscription-checkouts', {
      body,
      headers,
    });
    expect(created.status).toBe(201);
    const replay = await call('POST', '/billing/subscription-checkouts', {
      body,
      headers,
    });
    expect(replay.status).toBe(200);

    const paid = await payPage(String(created.body['checkoutUrl']));
    const sessionId = sessionIdOf(paid.headers.get('location'));
    const session = await stripeFor(handle).checkout.sessions.retrieve(sessionId);
    const sub = String(session.subscription);
    await call('POST', `/billing/subscriptions/${sub}/confirm`, {
      body: { organizationId: org, checkoutSessionId: sessionId },
    });
    await call('GET', `/billing/subscriptions/${sub}`);

    const events = await stripeFor(handle).events.list({ limit: 100 });
    const completed = events.data.find((e) => e.type === 'checkout.session.completed');
    await waitFor(
      async () =>
        (await beacon(handle, 'GET', `/webhooks/events/${completed?.id}`)).status === 200,
    );
    await call('GET', `/webhooks/events/${completed?.id}`);
    await call('GET', '/webhooks/events/evt_unknown');
    await call('GET', '/fiscal/setup-state');
    await waitFor(async () => {
      const docs = await beacon(handle, 'GET', `/fiscal/documents?subscriptionId=${sub}`);
      return (docs.body['data'] as unknown[]).length > 0;
    });
    await call('GET', `/fiscal/documents?subscriptionId=${sub}`);
    await call('GET', '/health');
    await call('GET', '/metrics/fiscal');
    await call('GET', '/metrics/webhooks');
    await call('GET', '/alerts?status=open&severity=P1');
    await call('GET', '/alerts');
    // Errors, too, must match the Error schema.
    await call('GET', '/billing/subscriptions/sub_missing');
    await call('POST', '/billing/subscription-checkouts', {
      body: { plan: 'plus' },
      headers: { 'Idempotency-Key': 'x' },
    });
    await call('GET', '/auth/token', { token: 'bqs_sandbox_wrong' });

    for (const { method, path, answer } of seen) {
      const validate = responseValidator(method, path, answer.status);
      const valid = validate(answer.body);
      expect({
        method,
        path,
        status: answer.status,
        valid,
        errors: validate.errors,
      }).toMatchObject({ valid: true });
      expect(answer.headers.get('x-request-id')).toMatch(/^req_/);
      expect(answer.headers.get('date')).toBeTruthy();
    }
    // The check itself bites: a body missing required fields fails.
    expect(responseValidator('GET', '/health', 200)({ ok: true })).toBe(false);
    expect(seen.map((s) => s.answer.status)).toEqual(
      expect.arrayContaining([200, 201, 400, 401, 404]),
    );
  });

  it('names the invalid field in a 400 invalid_payload', async () => {
    const handle = await sandbox();
    const answer = await beacon(handle, 'POST', '/billing/subscription-checkouts', {
      body: { organizationId: handle.organizationId, plan: 'plus', mode: 'test' },
      headers: { 'Idempotency-Key': 'k' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'invalid_payload' });
    expect(String(answer.body['message'])).toContain('billingCycle');
  });
});
