/**
 * Building findings. Values come from a remote service, so what goes into a
 * message is escaped and shortened before it can reach a terminal or a report.
 */
import type { FiscalRuleId } from './rules.js';
import type { FindingSeverity, FiscalFinding } from './types.js';

const MAX_VALUE_CHARS = 200;
const MAX_SHOWN_CHARS = 60;
// Anything outside this is quoted so spaces, emptiness and control bytes stay visible.
const BARE_VALUE = /^[^\s\p{C}"]+$/u;

/** An error finding: the document breaks the rule. */
export function fail(
  rule: FiscalRuleId,
  field: string,
  value: string,
  message: string,
): FiscalFinding {
  return build('error', rule, field, value, message);
}

/** A warning finding: suspicious, but not a broken rule by itself. */
export function warn(
  rule: FiscalRuleId,
  field: string,
  value: string,
  message: string,
): FiscalFinding {
  return build('warning', rule, field, value, message);
}

/** A value as it should read inside a message: bare when plain, quoted otherwise. */
export function shown(value: string): string {
  const chars = [...value];
  const short =
    chars.length > MAX_SHOWN_CHARS
      ? `${chars.slice(0, MAX_SHOWN_CHARS).join('')}…`
      : value;

  return BARE_VALUE.test(short) ? short : JSON.stringify(short);
}

/** Any input as the string a finding records: strings as they are, the rest as JSON. */
export function asFound(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;

  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // Cyclic or otherwise unserialisable input still yields a finding.
    return String(value);
  }
}

function build(
  severity: FindingSeverity,
  rule: FiscalRuleId,
  field: string,
  value: string,
  message: string,
): FiscalFinding {
  const chars = [...value];
  const kept =
    chars.length > MAX_VALUE_CHARS
      ? `${chars.slice(0, MAX_VALUE_CHARS).join('')}…`
      : value;

  return { rule, severity, field, value: kept, message };
}
