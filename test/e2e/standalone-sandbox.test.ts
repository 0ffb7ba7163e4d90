/**
 * validate reaches a standalone sandbox by URL and credentials, exactly as it
 * would reach real servers, and leaves exactly one checkout and no temporary
 * endpoint behind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runValidate } from '../../src/app/validate.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/types.js';
import type { ScenarioName } from '../../src/sandbox/scenarios.js';
import { fakeContext } from '../helpers/context.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('validate against a standalone sandbox', () => {
  let sandbox: SandboxHandle | null = null;
  afterEach(async () => sandbox?.close());

  async function run(scenario: ScenarioName) {
    sandbox = await startSandbox({ scenario });
    const before = sandbox.counts();
    const home = mkdtempSync(join(tmpdir(), 'bq-home-'));
    const ctx = fakeContext({
      env: {
        BEACON_ACCESS_TOKEN: sandbox.accessToken,
        STRIPE_SECRET_KEY: sandbox.stripeSecretKey,
        XDG_CONFIG_HOME: join(home, 'config'),
        XDG_STATE_HOME: join(home, 'state'),
      },
    });
    const result = await runValidate(
      {
        sandbox: false,
        ci: true,
        json: true,
        org: sandbox.organizationId,
        beaconUrl: sandbox.beaconUrl,
        stripeUrl: sandbox.stripeUrl,
        timeoutSeconds: 60,
        verbose: false,
      },
      ctx,
    );
    return { result, before, after: sandbox.counts(), ctx };
  }

  it('passes, with one checkout and the endpoint count back where it started', async () => {
    const { result, before, after } = await run('happy');
    expect(result.exitCode, JSON.stringify(result.report.diagnoses)).toBe(0);
    expect(result.report.target).toBe('beacon');
    expect(after.checkouts - before.checkouts).toBe(1);
    expect(after.subscriptions - before.subscriptions).toBe(1);
    expect(after.webhookEndpoints).toBe(before.webhookEndpoints);
  });

  it.each(['duplicate-submit', 'flaky-api'] as const)(
    '%s still leaves exactly one checkout',
    async (scenario) => {
      const { result, before, after } = await run(scenario);
      expect(result.exitCode, JSON.stringify(result.report.diagnoses)).toBe(0);
      expect(after.checkouts - before.checkouts).toBe(1);
      expect(after.webhookEndpoints).toBe(before.webhookEndpoints);
    },
  );

  it('keeps the credentials it was given out of the report and the output', async () => {
    const { ctx, result } = await run('happy');
    const everything = ctx.out() + ctx.err() + JSON.stringify(result.report);
    expect(everything).not.toContain(sandbox!.accessToken);
    expect(everything).not.toContain(sandbox!.stripeSecretKey);
    expect(everything).not.toMatch(/whsec_[A-Za-z0-9]{8,}/);
  });
});
