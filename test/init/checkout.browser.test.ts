/**
 * The checkout in a real browser: Debian's Chromium, driven by
 * playwright-core, opens the sandbox's hosted page, pays with the test card,
 * and lands on the local return page that sends the person back to the
 * terminal. Everything is on loopback.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BeaconClient } from '../../src/beacon/client.js';
import { RETURN_PATH, ReturnCallback } from '../../src/flow/return-callback.js';
import { SANDBOX_TEST_CARD } from '../../src/flow/payer.js';
import { ApiLog } from '../../src/io/api-log.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/types.js';
import { startLocalServer, type LocalServer } from '../../src/webhooks/local-server.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);

describe.skipIf(!available)('sandbox checkout in Chromium', () => {
  let browser: Browser;
  let sandbox: SandboxHandle;
  let server: LocalServer;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    sandbox = await startSandbox({ scenario: 'happy' });
    server = await startLocalServer();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sandbox?.close();
  });

  it('pays on the hosted page and lands on the return page', async () => {
    const returns = new ReturnCallback(server);
    const beacon = new BeaconClient({
      baseUrl: sandbox.beaconUrl,
      accessToken: sandbox.accessToken,
      log: new ApiLog({ now: () => Date.now() }, Date.now()),
    });
    const { checkout } = await beacon.createCheckout(
      {
        organizationId: sandbox.organizationId,
        plan: 'plus',
        billingCycle: 'monthly',
        mode: 'test',
        returnUrl: returns.url,
      },
      `chk_browser_${Date.now()}`,
    );
    returns.expect(checkout.checkoutSessionId);

    const page = await browser.newPage();
    // Only the two loopback servers of this test may be reached.
    const allowed = [new URL(sandbox.beaconUrl).origin, server.origin];
    const elsewhere: string[] = [];
    await page.route('**/*', (route) => {
      const origin = new URL(route.request().url()).origin;
      if (allowed.includes(origin)) return route.continue();
      elsewhere.push(route.request().url());
      return route.abort();
    });

    await page.goto(checkout.checkoutUrl);
    await page.getByTestId('email').fill('quickstart@example.com');
    await page.getByTestId('card-number').fill(SANDBOX_TEST_CARD);
    await page.getByTestId('pay').click();
    await page.waitForURL((url) => url.pathname === RETURN_PATH);

    expect(new URL(page.url()).origin).toBe(server.origin);
    await expect
      .poll(() => page.getByTestId('return-message').textContent())
      .toContain('You can go back to the terminal');
    expect(returns.arrived?.sessionId).toBe(checkout.checkoutSessionId);
    expect(elsewhere).toEqual([]);
    const counts = sandbox.counts();
    expect(counts.subscriptions).toBeGreaterThanOrEqual(1);
  });
});
