/** Applies the diagnosis table to a run's check results. */
import type { CheckResult, Diagnosis, StepResult } from '../report/model.js';
import {
  DIAGNOSIS_RULES,
  RULE_STATUSES_DEFAULT,
  type DiagnosisRule,
  type Trigger,
} from './rules.js';

function matches(trigger: Trigger, check: CheckResult): boolean {
  const idMatches =
    trigger.check === '*' ||
    trigger.check === check.id ||
    (trigger.check.endsWith('.*') && check.id.startsWith(trigger.check.slice(0, -1)));
  if (!idMatches) return false;
  const statuses = trigger.statuses ?? RULE_STATUSES_DEFAULT;
  const reason = check.evidence.reason;
  return (
    statuses.includes(check.status) &&
    typeof reason === 'string' &&
    trigger.reasons.includes(reason)
  );
}

/** Evidence of the triggering checks, minus the reason code itself. */
function gatherEvidence(checks: CheckResult[]): Record<string, unknown> {
  const evidence: Record<string, unknown> = {};
  for (const check of checks) {
    const { reason: _reason, ...rest } = check.evidence;
    evidence[check.id] = rest;
  }
  return evidence;
}

/**
 * Every rule that fires, once per id (the first matching row wins), with the
 * checks that triggered it and their evidence.
 */
export function diagnose(
  steps: StepResult[],
  rules: DiagnosisRule[] = DIAGNOSIS_RULES,
): Diagnosis[] {
  const checks = steps.flatMap((s) => s.checks);
  const found = new Map<string, Diagnosis>();
  for (const rule of rules) {
    if (found.has(rule.id)) continue;
    const triggered = checks.filter((c) => rule.triggers.some((t) => matches(t, c)));
    if (triggered.length === 0) continue;
    found.set(rule.id, {
      id: rule.id,
      severity: rule.severity,
      symptom: rule.symptom,
      diagnosis: rule.diagnosis,
      action: rule.action,
      ...(rule.command ? { command: rule.command } : {}),
      checkIds: triggered.map((c) => c.id),
      evidence: gatherEvidence(triggered),
    });
  }
  const covered = new Set([...found.values()].flatMap((d) => d.checkIds));
  const uncovered = checks.filter((c) => c.status === 'fail' && !covered.has(c.id));
  if (uncovered.length > 0) found.set(FALLBACK_ID, fallback(uncovered));
  return [...found.values()];
}

const FALLBACK_ID = 'check-failed';

/** A failure no row explains still gets a diagnosis: say so, and point at the evidence. */
function fallback(checks: CheckResult[]): Diagnosis {
  return {
    id: FALLBACK_ID,
    severity: 'error',
    symptom: checks.map((c) => `${c.id}: ${c.message}`).join('; '),
    diagnosis: 'No known cause matches this failure.',
    action:
      "Read the check's evidence (request ids, statuses) and run again with --verbose; " +
      'quote the request ids when contacting Beacon support.',
    checkIds: checks.map((c) => c.id),
    evidence: gatherEvidence(checks),
  };
}
