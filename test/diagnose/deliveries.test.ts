/**
 * After a run whose deliveries were rejected (wrong signing secret), diagnose
 * finds the events Stripe lists as undelivered and says so, without
 * retrying or changing anything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runDiagnose } from '../../src/app/diagnose/run.js';
import { runValidate } from '../../src/app/validate.js';
import type { Report } from '../../src/report/model.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/types.js';
import { isolatedContext, settledCounts } from './helpers.js';

describe('diagnose.deliveries', () => {
  let sandbox: SandboxHandle | null = null;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = null;
  });

  it('reports events with failed deliveries as webhook-not-delivered', async () => {
    sandbox = await startSandbox({ scenario: 'wrong-signing-secret', seed: 11 });
    const env = {
      BEACON_ACCESS_TOKEN: sandbox.accessToken,
      STRIPE_SECRET_KEY: sandbox.stripeSecretKey,
    };
    const common = {
      org: sandbox.organizationId,
      beaconUrl: sandbox.beaconUrl,
      stripeUrl: sandbox.stripeUrl,
      json: true,
      verbose: false,
    };
    await runValidate(
      { ...common, sandbox: false, ci: true, timeoutSeconds: 60, webhookWaitSeconds: 1 },
      isolatedContext(env).ctx,
    );
    const before = await settledCounts(sandbox);

    const { ctx } = isolatedContext(env);
    const exitCode = await runDiagnose(common, ctx);
    const report = JSON.parse(ctx.out()) as Report;
    const check = report.steps
      .flatMap((s) => s.checks)
      .find((c) => c.id === 'diagnose.deliveries');

    expect(exitCode).toBe(1);
    expect(check?.status).toBe('fail');
    expect(check?.evidence.reason).toBe('deliveries-failed');
    expect(check?.evidence.failedCount).toBeGreaterThan(0);
    expect(report.diagnoses.map((d) => d.id)).toContain('webhook-not-delivered');
    expect(await settledCounts(sandbox)).toEqual(before);
  });
});
