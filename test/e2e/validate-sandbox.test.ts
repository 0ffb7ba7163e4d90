/** The main job, end to end: the built CLI against its embedded sandbox. */
import { describe, expect, it } from 'vitest';
import { ALL_CHECK_IDS } from '../../src/flow/catalog.js';
import type { Report } from '../../src/report/model.js';
import { cleanEnv, runCli } from '../helpers/cli.js';

describe('validate --sandbox', () => {
  it('passes all five steps and reports a JSON document that correlates the run', async () => {
    const result = await runCli(['validate', '--sandbox', '--json'], { env: cleanEnv() });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.result).toBe('pass');
    expect(report.target).toBe('sandbox');
    expect(report.steps.map((s) => s.id)).toEqual([
      'connect',
      'webhooks',
      'checkout',
      'confirm',
      'operations',
    ]);
    const ids = report.steps.flatMap((s) => s.checks.map((c) => c.id));
    expect(ids).toEqual(ALL_CHECK_IDS);
    expect(
      report.steps.flatMap((s) => s.checks).filter((c) => c.status === 'fail'),
    ).toEqual([]);
    expect(report.correlation.idempotencyKey).toMatch(/^chk_/);
    expect(report.correlation.checkoutSessionId).toMatch(/^cs_/);
    expect(report.correlation.subscriptionId).toMatch(/^sub_/);
    const both = report.correlation.events.filter((e) => e.verified && e.beaconProcessed);
    expect(both.length).toBeGreaterThanOrEqual(3);
    expect(report.correlation.events.some((e) => e.deliveries >= 2)).toBe(true);
    expect(report.diagnoses.filter((d) => d.severity === 'error')).toEqual([]);
    expect(report.timeline.apiCalls.length).toBeGreaterThan(10);
  });

  it('prints a readable terminal report with a summary line', async () => {
    const result = await runCli(['validate', '--sandbox'], { env: cleanEnv() });
    expect(result.exitCode, result.stderr).toBe(0);
    for (const title of [
      'Connect Stripe',
      'Configure webhooks',
      'Create checkout',
      'Confirm outcome',
      'Validate operations',
    ]) {
      expect(result.stdout).toContain(title);
    }
    expect(result.stdout).toMatch(/All \d+ checks passed/);
    expect(result.stdout).not.toContain(String.fromCharCode(27));
  });
});

describe('bad input exits 2 with one clear line and creates nothing', () => {
  it.each([
    ['no credentials in CI', ['validate', '--ci'], {}, /--sandbox/],
    ['no credentials, JSON', ['validate', '--json'], {}, /BEACON_ACCESS_TOKEN/],
    [
      'a live Stripe key',
      ['validate'],
      { BEACON_ACCESS_TOKEN: 'tok', STRIPE_SECRET_KEY: 'sk_live_abc' },
      /live-mode key/,
    ],
    [
      'a non-key',
      ['validate'],
      { BEACON_ACCESS_TOKEN: 'tok', STRIPE_SECRET_KEY: 'hello' },
      /not a Stripe test secret key/,
    ],
    [
      'a malformed Beacon URL',
      ['validate', '--beacon-url', 'not a url'],
      {},
      /--beacon-url is not a valid URL/,
    ],
    [
      'plain http to a public host',
      ['validate', '--beacon-url', 'http://api.beacon.pt/v1'],
      {},
      /must use https/,
    ],
    [
      'a bad billing cycle',
      ['validate', '--sandbox', '--billing-cycle', 'weekly'],
      {},
      /monthly, yearly/,
    ],
    [
      'an unknown plan',
      ['validate', '--sandbox', '--plan', 'platinum'],
      {},
      /no plan "platinum"/,
    ],
    [
      'an unknown scenario',
      ['validate', '--sandbox', '--scenario', 'nope'],
      {},
      /Valid scenarios: happy/,
    ],
    [
      'a scenario without --sandbox',
      ['validate', '--scenario', 'happy'],
      {},
      /needs --sandbox/,
    ],
    ['an unknown flag', ['validate', '--frobnicate'], {}, /unknown option/],
    ['a bad timeout', ['validate', '--sandbox', '--timeout', '-3'], {}, /--timeout/],
  ])('%s', async (_name, args, env, message) => {
    const result = await runCli(args, { env: cleanEnv(env as Record<string, string>) });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain('sk_live_abc');
  });

  it('keeps stdout one JSON document for errors under --json', async () => {
    const result = await runCli(['validate', '--json'], { env: cleanEnv() });
    expect(result.exitCode).toBe(2);
    const body = JSON.parse(result.stdout) as {
      error: { message: string; suggestion: string };
    };
    expect(body.error.suggestion).toContain('--sandbox');
  });
});

describe('the entry point', () => {
  it('prints the version and help, with exit codes documented', async () => {
    const version = await runCli(['--version']);
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runCli(['validate', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('--sandbox');
    expect(help.stdout).toContain('130 interrupted');
  });

  it('lists the scenarios, one line each', async () => {
    const result = await runCli(['scenarios']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(17);
    expect(result.stdout).toMatch(/^confirm-skipped .*missing-confirmation/m);
  });
});
