/**
 * What every renderer says about a run as a whole: the result, the counts
 * sentence, and which diagnoses belong to which check.
 */
import { countChecks } from './model.js';
import type { CheckResult, CheckStatus, Diagnosis, Report } from './model.js';
import { formatSeconds } from './text.js';

/** One symbol per status, shared by the terminal and the HTML page. */
export const STATUS_SYMBOLS: Readonly<Record<CheckStatus, string>> = {
  pass: '✔',
  warn: '▲',
  fail: '✖',
  skip: '○',
};

export type CheckCounts = ReturnType<typeof countChecks>;

/** The run's overall status, for the summary symbol and badges. */
export function overallStatus(report: Report): CheckStatus {
  const counts = countChecks(report);
  if (report.result === 'fail' || counts.fail > 0) return 'fail';
  if (counts.warn > 0) return 'warn';
  if (counts.total > 0 && counts.skip === counts.total) return 'skip';
  return 'pass';
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "27 of 29 checks passed, 1 failed, 1 skipped" or "All 29 checks passed". */
export function countsSentence(counts: CheckCounts): string {
  if (counts.total === 0) return 'No checks ran';
  if (counts.pass === counts.total) {
    return counts.total === 1
      ? 'The 1 check passed'
      : `All ${counts.total} checks passed`;
  }

  const parts = [`${counts.pass} of ${plural(counts.total, 'check', 'checks')} passed`];
  if (counts.warn > 0) parts.push(plural(counts.warn, 'warning', 'warnings'));
  if (counts.fail > 0) parts.push(`${counts.fail} failed`);
  if (counts.skip > 0) parts.push(`${counts.skip} skipped`);
  return parts.join(', ');
}

/** The counts sentence followed by the run's duration. */
export function summaryText(report: Report): string {
  const sentence = countsSentence(countChecks(report));
  const interrupted = report.interrupted ? 'Interrupted: ' : '';
  return `${interrupted}${sentence} · ${formatSeconds(report.durationMs)}`;
}

/** Every check of the run, with its step, in report order. */
export function allChecks(report: Report): Array<{ stepId: string; check: CheckResult }> {
  return report.steps.flatMap((step) =>
    step.checks.map((check) => ({ stepId: step.id, check })),
  );
}

/** The diagnoses that name this check, in report order. */
export function diagnosesForCheck(report: Report, checkId: string): Diagnosis[] {
  return report.diagnoses.filter((d) => d.checkIds.includes(checkId));
}

/**
 * Diagnoses not shown under any failed or warned check of the report (they name
 * no check, or only checks that passed or were skipped); shown on their own.
 */
export function unattachedDiagnoses(report: Report): Diagnosis[] {
  const shown = new Set(
    allChecks(report)
      .filter(({ check }) => showsDiagnoses(check.status))
      .map(({ check }) => check.id),
  );
  return report.diagnoses.filter((d) => !d.checkIds.some((id) => shown.has(id)));
}

/** Whether a check's diagnoses are shown under it (failures and warnings only). */
export function showsDiagnoses(status: CheckStatus): boolean {
  return status === 'fail' || status === 'warn';
}
