/** --checkout-session and --subscription narrow the checkout checks to one object. */
import { afterEach, describe, expect, it } from 'vitest';
import { runDiagnose } from '../../src/app/diagnose/run.js';
import { UsageError } from '../../src/errors.js';
import type { CheckResult, Report } from '../../src/report/model.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/types.js';
import { isolatedContext } from './helpers.js';

describe('diagnose focus', () => {
  let sandbox: SandboxHandle | null = null;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = null;
  });

  async function run(extra: Record<string, string>) {
    sandbox ??= await startSandbox({ scenario: 'confirm-skipped', seed: 9 });
    const { ctx } = isolatedContext({
      BEACON_ACCESS_TOKEN: sandbox.accessToken,
      STRIPE_SECRET_KEY: sandbox.stripeSecretKey,
    });
    const exitCode = await runDiagnose(
      {
        org: sandbox.organizationId,
        beaconUrl: sandbox.beaconUrl,
        stripeUrl: sandbox.stripeUrl,
        json: true,
        verbose: false,
        ...extra,
      },
      ctx,
    );
    const report = JSON.parse(ctx.out()) as Report;
    const check = (id: string) =>
      report.steps.flatMap((s) => s.checks).find((c) => c.id === id) as CheckResult;
    return { exitCode, report, check };
  }

  it('finds the unconfirmed subscription by session and by subscription id', async () => {
    const all = await run({});
    const sessions = all.check('diagnose.recent-checkouts').evidence.sessions as Array<{
      id: string;
      subscriptionId: string;
    }>;
    const { id: sessionId, subscriptionId } = sessions[0]!;

    const bySession = await run({ checkoutSession: sessionId });
    expect(bySession.exitCode).toBe(1);
    expect(bySession.check('diagnose.recent-checkouts').evidence.focus).toBe(sessionId);
    expect(bySession.report.correlation.checkoutSessionId).toBe(sessionId);
    expect(bySession.check('diagnose.checkouts').evidence.reason).toBe('not-confirmed');

    const bySub = await run({ subscription: subscriptionId });
    expect(bySub.report.correlation.subscriptionId).toBe(subscriptionId);
    expect(bySub.check('diagnose.checkouts').evidence.reason).toBe('not-confirmed');
    expect(bySub.report.diagnoses.map((d) => d.id)).toContain('missing-confirmation');
  });

  it('fails the checkout check for a session Stripe does not know', async () => {
    const { exitCode, check } = await run({ checkoutSession: 'cs_test_doesNotExist' });
    expect(exitCode).toBe(1);
    expect(check('diagnose.recent-checkouts').status).toBe('fail');
    expect(check('diagnose.checkouts').status).toBe('skip');
  });

  it.each([
    [{ checkoutSession: 'sub_123' }, /--checkout-session/],
    [{ subscription: 'cs_123' }, /--subscription/],
    [{ stripeAccount: 'org_1' }, /--stripe-account/],
  ])('refuses a mistyped id %j', async (extra, message) => {
    const { ctx } = isolatedContext();
    const run = runDiagnose({ org: 'org_1', json: false, verbose: false, ...extra }, ctx);
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(message);
  });
});
