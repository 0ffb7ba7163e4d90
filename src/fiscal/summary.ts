/**
 * One line that sums findings up for a report message.
 */
import type { FiscalFinding } from './types.js';

// A report line stays readable; the findings themselves carry the rest.
const MAX_LISTED = 5;

/** "2 rules broken: <message> [rule]; …", or a line saying nothing is broken. */
export function summarizeFindings(findings: readonly FiscalFinding[]): string {
  const errors = findings.filter((finding) => finding.severity === 'error');
  const warnings = findings.filter((finding) => finding.severity === 'warning');

  if (errors.length === 0 && warnings.length === 0) return 'no fiscal rule broken';

  const warningCount = plural(warnings.length, 'warning');

  if (errors.length === 0)
    return `no fiscal rule broken, ${warningCount}: ${listed(warnings)}`;

  const ruleCount = plural(new Set(errors.map((finding) => finding.rule)).size, 'rule');
  const tail = warnings.length === 0 ? '' : ` (and ${warningCount})`;

  return `${ruleCount} broken: ${listed(errors)}${tail}`;
}

function listed(findings: readonly FiscalFinding[]): string {
  const shown = findings
    .slice(0, MAX_LISTED)
    .map((finding) => `${finding.message.replace(/\.$/, '')} [${finding.rule}]`);
  const more = findings.length - MAX_LISTED;

  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
