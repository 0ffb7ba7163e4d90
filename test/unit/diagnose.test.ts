import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/engine.js';
import { DIAGNOSIS_RULES } from '../../src/diagnose/rules.js';
import type { CheckResult, StepResult } from '../../src/report/model.js';

function check(
  id: string,
  status: CheckResult['status'],
  reason?: string,
  extra = {},
): CheckResult {
  return {
    id,
    title: id,
    status,
    message: id,
    evidence: { ...(reason ? { reason } : {}), ...extra },
    startedAtMs: 0,
    durationMs: 0,
  };
}

function steps(...checks: CheckResult[]): StepResult[] {
  return [
    { id: 'confirm', title: 'x', status: 'fail', startedAtMs: 0, durationMs: 0, checks },
  ];
}

describe('diagnosis engine', () => {
  it('names the missing confirmation from the subscription check, with its evidence', () => {
    const found = diagnose(
      steps(
        check('confirm.subscription', 'fail', 'not-confirmed', {
          beaconStatus: 'pending_confirmation',
        }),
      ),
    );
    expect(found.map((d) => d.id)).toEqual(['missing-confirmation']);
    expect(found[0]!.checkIds).toEqual(['confirm.subscription']);
    expect(found[0]!.evidence['confirm.subscription']).toEqual({
      beaconStatus: 'pending_confirmation',
    });
  });

  it('tells clock drift from an invalid signature by the rejection reason', () => {
    expect(
      diagnose(steps(check('confirm.events-received', 'fail', 'clock-drift'))).map(
        (d) => d.id,
      ),
    ).toEqual(['clock-drift']);
    expect(
      diagnose(steps(check('confirm.events-received', 'fail', 'invalid-signature'))).map(
        (d) => d.id,
      ),
    ).toEqual(['invalid-signature']);
  });

  it('reports a handled 409 as information on a passing check', () => {
    const found = diagnose(
      steps(check('checkout.created', 'pass', 'duplicate-operation')),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ id: 'duplicate-operation', severity: 'info' });
  });

  it('merges checks that share a diagnosis into one entry', () => {
    const found = diagnose(
      steps(
        check('connect.token', 'fail', 'invalid-token'),
        check('connect.account', 'fail', 'invalid-token'),
      ),
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.checkIds).toEqual(['connect.token', 'connect.account']);
  });

  it('still diagnoses a failure that no row explains, naming the check', () => {
    const found = diagnose(steps(check('confirm.return', 'fail', 'something-new')));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      id: 'check-failed',
      severity: 'error',
      checkIds: ['confirm.return'],
    });
  });

  it('raises nothing for passing checks without reasons', () => {
    expect(diagnose(steps(check('confirm.subscription', 'pass')))).toEqual([]);
  });

  it('gives every rule a symptom, a diagnosis and an action', () => {
    for (const rule of DIAGNOSIS_RULES) {
      expect(rule.symptom && rule.diagnosis && rule.action, rule.id).toBeTruthy();
      expect(rule.triggers.length, rule.id).toBeGreaterThan(0);
    }
  });
});
