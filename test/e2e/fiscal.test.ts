/** Step 5's fiscal check end to end: a clean document passes field by field; each broken rule is named. */
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { BREAKABLE_FISCAL_RULES } from '../../src/sandbox/fiscal-issuer.js';
import { cleanEnv, runCli } from '../helpers/cli.js';

function fiscalCheck(report: Report) {
  return report.steps
    .flatMap((s) => s.checks)
    .find((c) => c.id === 'operations.fiscal-document')!;
}

describe('the fiscal document in step 5', () => {
  it('passes in the happy sandbox, with the document number and ATCUD in the evidence', async () => {
    const result = await runCli(['validate', '--sandbox', '--json'], { env: cleanEnv() });
    const check = fiscalCheck(JSON.parse(result.stdout) as Report);
    expect(check.status).toBe('pass');
    expect(check.evidence.documentNumber).toMatch(/^FR \S+\/\d+$/);
    expect(check.evidence.atcud).toMatch(/^[A-Z0-9]{8}-\d+$/);
    expect(check.evidence.findings).toEqual([]);
  });

  describe.concurrent('fiscal-invalid breaks one rule per run', () => {
    for (const rule of BREAKABLE_FISCAL_RULES) {
      it(rule, async () => {
        const result = await runCli(
          [
            'validate',
            '--sandbox',
            '--scenario',
            'fiscal-invalid',
            '--fiscal-rule',
            rule,
            '--json',
          ],
          { env: cleanEnv(), timeoutMs: 90_000 },
        );
        expect(result.exitCode).toBe(1);
        const report = JSON.parse(result.stdout) as Report;
        const check = fiscalCheck(report);
        expect(check.status).toBe('fail');
        const findings = check.evidence.findings as Array<{
          rule: string;
          field: string;
          severity: string;
        }>;
        const broken = findings.filter((f) => f.rule === rule && f.severity === 'error');
        expect(broken.length, JSON.stringify(findings)).toBeGreaterThan(0);
        expect(check.message).toContain(rule);
        expect(check.message).toContain(broken[0]!.field);
        expect(report.diagnoses.map((d) => d.id)).toContain('fiscal-document-invalid');
      });
    }
  });

  it('refuses an unknown --fiscal-rule with exit 2 naming the valid ones', async () => {
    const result = await runCli(
      [
        'validate',
        '--sandbox',
        '--scenario',
        'fiscal-invalid',
        '--fiscal-rule',
        'no.such-rule',
      ],
      { env: cleanEnv() },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(BREAKABLE_FISCAL_RULES[0]);
  });
});
