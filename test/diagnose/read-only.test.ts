/**
 * diagnose only ever reads: behind a proxy that refuses (and records) every
 * mutating request, no POST, DELETE or PATCH reaches Stripe or Beacon, and
 * the sandbox's inspection counts are identical before and after.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runDiagnose } from '../../src/app/diagnose/run.js';
import type { Report } from '../../src/report/model.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { ScenarioName } from '../../src/sandbox/scenarios.js';
import type { SandboxHandle } from '../../src/sandbox/types.js';
import {
  isolatedContext,
  settledCounts,
  startRecordingProxy,
  type RecordingProxy,
} from './helpers.js';

describe('diagnose is read-only', () => {
  let sandbox: SandboxHandle | null = null;
  let proxy: RecordingProxy | null = null;
  afterEach(async () => {
    await proxy?.close();
    await sandbox?.close();
    proxy = sandbox = null;
  });

  /** Through the recording proxy, or straight to the sandbox (Beacon's intake URLs match). */
  async function diagnoseScenario(scenario: ScenarioName, viaProxy: boolean) {
    sandbox = await startSandbox({ scenario, seed: 7 });
    proxy = viaProxy ? await startRecordingProxy(sandbox.stripeUrl) : null;
    const origin = proxy?.origin ?? sandbox.stripeUrl;
    const before = await settledCounts(sandbox);
    const { ctx } = isolatedContext({
      BEACON_ACCESS_TOKEN: sandbox.accessToken,
      STRIPE_SECRET_KEY: sandbox.stripeSecretKey,
    });
    const exitCode = await runDiagnose(
      {
        org: sandbox.organizationId,
        beaconUrl: `${origin}/beacon/v1`,
        stripeUrl: origin,
        json: true,
        verbose: false,
      },
      ctx,
    );
    const report = JSON.parse(ctx.out()) as Report;
    return { exitCode, report, before, after: await settledCounts(sandbox), ctx };
  }

  it('sends only GETs, and confirm-skipped ends in missing-confirmation', async () => {
    const { exitCode, report, before, after } = await diagnoseScenario(
      'confirm-skipped',
      true,
    );
    const mutating = proxy!.seen.filter((r) => r.method !== 'GET');
    expect(mutating, JSON.stringify(mutating)).toEqual([]);
    expect(proxy!.seen.some((r) => r.path.startsWith('/v1/'))).toBe(true);
    expect(proxy!.seen.some((r) => r.path.startsWith('/beacon/v1/'))).toBe(true);
    expect(after).toEqual(before);
    expect(exitCode).toBe(1);
    expect(report.command).toBe('diagnose');
    expect(report.diagnoses.map((d) => d.id)).toContain('missing-confirmation');
  });

  it.each([
    ['happy', 0, null],
    ['charges-disabled', 1, 'charges-disabled'],
    ['not-connected', 1, 'not-connected'],
    ['invalid-token', 1, 'invalid-token'],
    ['missing-scope', 1, 'missing-scope'],
    ['intake-missing', 1, 'events-not-processed'],
    ['critical-alert', 1, 'critical-alert'],
    ['degraded', 1, 'platform-degraded'],
    ['fiscal-not-ready', 1, 'fiscal-not-ready'],
    ['clock-drift', 1, 'clock-drift'],
  ] as const)('%s: exit %i with %s, and nothing changed', async (scenario, code, id) => {
    const { exitCode, report, before, after } = await diagnoseScenario(scenario, false);
    expect(after).toEqual(before);
    expect(exitCode, JSON.stringify(report.diagnoses.map((d) => d.id))).toBe(code);
    if (id) expect(report.diagnoses.map((d) => d.id)).toContain(id);
    else expect(report.diagnoses.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it.each(['happy', 'not-connected', 'invalid-token', 'intake-missing'] as const)(
    '%s: still nothing but GETs reach either API',
    async (scenario) => {
      await diagnoseScenario(scenario, true);
      expect(proxy!.seen.length).toBeGreaterThan(0);
      expect(proxy!.seen.filter((r) => r.method !== 'GET')).toEqual([]);
    },
  );

  it('sends Stripe-Account when acting for a connected account', async () => {
    sandbox = await startSandbox({ scenario: 'happy', seed: 7 });
    const headers: Array<string | undefined> = [];
    const { createServer } = await import('node:http');
    const { request } = await import('node:http');
    const upstream = new URL(sandbox.stripeUrl);
    const spy = createServer((req, res) => {
      if (req.url?.startsWith('/v1/'))
        headers.push(req.headers['stripe-account'] as string);
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(out);
    });
    await new Promise<void>((resolve) => spy.listen(0, '127.0.0.1', resolve));
    const port = (spy.address() as { port: number }).port;
    const { ctx } = isolatedContext({
      BEACON_ACCESS_TOKEN: sandbox.accessToken,
      STRIPE_SECRET_KEY: sandbox.stripeSecretKey,
    });
    try {
      await runDiagnose(
        {
          org: sandbox.organizationId,
          beaconUrl: sandbox.beaconUrl,
          stripeUrl: `http://127.0.0.1:${port}`,
          stripeAccount: sandbox.stripeAccountId,
          json: true,
          verbose: false,
        },
        ctx,
      );
    } finally {
      spy.closeAllConnections();
      spy.close();
    }
    expect(headers.length).toBeGreaterThan(0);
    expect(new Set(headers)).toEqual(new Set([sandbox.stripeAccountId]));
  });
});
