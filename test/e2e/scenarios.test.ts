/** Every sandbox scenario ends in the outcome the design's table names. */
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { SCENARIOS } from '../../src/sandbox/scenarios.js';
import { cleanEnv, runCli } from '../helpers/cli.js';

describe.concurrent('validate --sandbox --scenario', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name} → ${scenario.expect}`, async () => {
      const result = await runCli(
        ['validate', '--sandbox', '--scenario', scenario.name, '--json'],
        {
          env: cleanEnv(),
          timeoutMs: 90_000,
        },
      );
      const report = JSON.parse(result.stdout) as Report;
      const ids = report.diagnoses.map((d) => d.id);
      if (scenario.expect === 'pass') {
        expect(result.exitCode, JSON.stringify(report.diagnoses)).toBe(0);
        expect(report.result).toBe('pass');
        expect(report.diagnoses.filter((d) => d.severity === 'error')).toEqual([]);
      } else {
        expect(result.exitCode).toBe(1);
        expect(report.result).toBe('fail');
        expect(ids).toContain(scenario.expect);
        const diagnosis = report.diagnoses.find((d) => d.id === scenario.expect)!;
        expect(diagnosis.checkIds.length).toBeGreaterThan(0);
        expect(diagnosis.action.length).toBeGreaterThan(10);
      }
      if (scenario.name === 'duplicate-submit')
        expect(ids).toContain('duplicate-operation');
      if (scenario.name === 'clock-drift') {
        const skew = report.steps
          .flatMap((s) => s.checks)
          .find((c) => c.id === 'webhooks.clock-skew')!;
        expect(Math.abs(Number(skew.evidence.skewSeconds))).toBeGreaterThanOrEqual(590);
      }
    });
  }
});

describe('terminal output of a failing scenario', () => {
  it('shows symptom, diagnosis and action under the failing check', async () => {
    const result = await runCli(
      ['validate', '--sandbox', '--scenario', 'confirm-skipped'],
      { env: cleanEnv() },
    );
    expect(result.exitCode).toBe(1);
    const lines = result.stdout.split('\n');
    const at = lines.findIndex((l) =>
      l.includes('Beacon confirmed an active subscription'),
    );
    expect(at).toBeGreaterThan(-1);
    const below = lines
      .slice(at, at + 12)
      .join(' ')
      .replace(/\s+/g, ' ');
    expect(below).toMatch(/confirm/i);
    expect(below).toContain('POST /v1/billing/subscriptions/{id}/confirm');
  });
});
