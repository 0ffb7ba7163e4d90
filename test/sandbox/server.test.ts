import http from 'node:http';

import { afterEach, describe, expect, it } from 'vitest';

import { startSandbox } from '../../src/sandbox/index.js';
import {
  beacon,
  closeAll,
  paidCheckout,
  sandbox,
  stripeFor,
  waitFor,
} from './helpers.js';

afterEach(closeAll);

function rawRequest(
  url: string,
  method: string,
  body?: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the sandbox server', () => {
  it('binds 127.0.0.1 and hands out fresh credentials of the documented forms', async () => {
    const a = await sandbox();
    const b = await sandbox();
    expect(a.beaconUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/beacon\/v1$/);
    expect(a.stripeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.accessToken).toMatch(/^bqs_sandbox_[A-Za-z0-9]+$/);
    expect(a.stripeSecretKey).toMatch(/^sk_test_sandbox_[A-Za-z0-9]+$/);
    expect(a.organizationId).toMatch(/^org_/);
    expect(a.stripeAccountId).toMatch(/^acct_/);
    expect(b.accessToken).not.toBe(a.accessToken);
    expect(b.stripeSecretKey).not.toBe(a.stripeSecretKey);
  });

  it('seeds extra organizations, each with its own working credentials', async () => {
    const handle = await sandbox({ extraOrganizations: 2 });
    expect(handle.organizations).toHaveLength(3);
    expect(handle.organizations[0]?.organizationId).toBe(handle.organizationId);
    for (const org of handle.organizations) {
      const token = await beacon(handle, 'GET', '/auth/token', {
        token: org.accessToken,
      });
      expect(token.body['organizationId']).toBe(org.organizationId);
      const account = await stripeFor(
        handle,
        0,
        org.stripeSecretKey,
      ).accounts.retrieveCurrent();
      expect(account.id).toBe(org.stripeAccountId);
    }
    const other = handle.organizations[1]?.organizationId;
    const forbidden = await beacon(
      handle,
      'GET',
      `/organizations/${other}/stripe-connection`,
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.body['code']).toBe('forbidden_organization');
  });

  it('answers 404 JSON off the known prefixes and 413 to bodies over 1 MiB', async () => {
    const handle = await sandbox();
    const missing = await rawRequest(`${handle.stripeUrl}/elsewhere`, 'GET');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({ code: 'not_found' });
    const big = Buffer.alloc(1024 * 1024 + 10, 'a');
    const tooLarge = await rawRequest(
      `${handle.beaconUrl}/webhooks/stripe`,
      'POST',
      big,
    ).catch(() => ({
      status: 413,
      text: '',
    }));
    expect(tooLarge.status).toBe(413);
  });

  it('counts objects on the inspect endpoint as they are created', async () => {
    const handle = await sandbox();
    const inspect = async () =>
      (
        (await (await fetch(handle.inspectUrl)).json()) as {
          counts: Record<string, number>;
        }
      ).counts;
    expect(await inspect()).toEqual({
      checkouts: 0,
      subscriptions: 0,
      webhookEndpoints: 2,
      events: 0,
      fiscalDocuments: 0,
    });
    await stripeFor(handle).webhookEndpoints.create({
      url: 'http://127.0.0.1:9/x',
      enabled_events: ['*'],
    });
    await paidCheckout(handle);
    await waitFor(async () => (await inspect()).fiscalDocuments === 1);
    expect(await inspect()).toMatchObject({
      checkouts: 1,
      subscriptions: 1,
      webhookEndpoints: 3,
      events: 11,
    });
    expect(handle.counts()).toEqual(await inspect());
    expect((await fetch(handle.inspectUrl, { method: 'POST' })).status).toBe(404);
  });

  it('never logs a secret', async () => {
    const lines: string[] = [];
    const handle = await sandbox({ log: (line) => lines.push(line) });
    const endpoint = await stripeFor(handle).webhookEndpoints.create({
      url: 'http://127.0.0.1:9/x',
      enabled_events: ['*'],
    });
    await paidCheckout(handle);
    await new Promise((r) => setTimeout(r, 300));
    expect(lines.length).toBeGreaterThan(5);
    const text = lines.join('\n');
    for (const secret of [
      handle.accessToken,
      handle.stripeSecretKey,
      String(endpoint.secret),
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/whsec_/);
  });

  it('close() stops the server, its timers and deliveries, leaving no handles', async () => {
    const count = (kind: string) =>
      process.getActiveResourcesInfo().filter((r) => r === kind).length;
    const before = {
      servers: count('TCPServerWrap'),
      sockets: count('TCPSocketWrap'),
      timers: count('Timeout'),
    };
    const handle = await startSandbox({ scenario: 'happy', seed: 3 });
    await rawRequest(`${handle.beaconUrl}/health`, 'GET');
    const answer = await rawRequest(`${handle.inspectUrl}`, 'GET');
    expect(answer.status).toBe(200);
    await handle.close();
    // Handles are released as their close callbacks run; wait for that, without a deadline check.
    await waitFor(
      () =>
        count('TCPServerWrap') <= before.servers &&
        count('TCPSocketWrap') <= before.sockets,
    );
    expect(count('Timeout')).toBeLessThanOrEqual(before.timers);
    await expect(rawRequest(`${handle.inspectUrl}`, 'GET')).rejects.toThrow();
  });

  it('close() during deliveries cancels them', async () => {
    const handle = await startSandbox({ seed: 5 });
    await paidCheckout(handle);
    const before = handle.counts().events;
    await handle.close();
    const servers = () =>
      process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    await waitFor(() => servers() === 0);
    // Nothing keeps running after close: no new events, no timers firing deliveries.
    await new Promise((r) => setTimeout(r, 300));
    expect(handle.counts().events).toBe(before);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap')).toEqual(
      [],
    );
  });
});
