/**
 * The report model: one shape for every renderer (terminal, JSON, JUnit,
 * Markdown, HTML) and for saved runs. Field names are part of the public
 * interface; bump SCHEMA_VERSION when one changes meaning.
 */
export const SCHEMA_VERSION = 1;

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';
export type StepId = 'connect' | 'webhooks' | 'checkout' | 'confirm' | 'operations';
export type Target = 'sandbox' | 'beacon';
export type Severity = 'error' | 'warning' | 'info';

/** Evidence values are plain JSON; never secrets. */
export type Evidence = Record<string, unknown>;

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  message: string;
  evidence: Evidence;
  /** Milliseconds since the run started; lets the timeline place the check. */
  startedAtMs: number;
  durationMs: number;
}

export interface StepResult {
  id: StepId;
  title: string;
  status: CheckStatus;
  startedAtMs: number;
  durationMs: number;
  checks: CheckResult[];
}

export interface Diagnosis {
  id: string;
  severity: Severity;
  symptom: string;
  diagnosis: string;
  action: string;
  /** A command the user can run, where one exists. */
  command?: string;
  checkIds: string[];
  evidence: Evidence;
}

export interface CorrelatedEvent {
  id: string;
  type: string;
  deliveries: number;
  verified: boolean;
  beaconProcessed: boolean;
}

export interface Correlation {
  idempotencyKey: string | null;
  checkoutSessionId: string | null;
  subscriptionId: string | null;
  events: CorrelatedEvent[];
}

/** One API call, as the timeline and `--verbose` see it (no bodies). */
export interface ApiCallRecord {
  service: 'beacon' | 'stripe' | 'checkout';
  method: string;
  path: string;
  status: number | null;
  requestId: string | null;
  idempotencyKey: string | null;
  startedAtMs: number;
  durationMs: number;
  attempt: number;
  error?: string;
}

/** One webhook delivery reaching the local listener. */
export interface DeliveryRecord {
  eventId: string | null;
  type: string | null;
  receivedAtMs: number;
  verified: boolean;
  duplicate: boolean;
  reason?: string;
}

export interface Timeline {
  apiCalls: ApiCallRecord[];
  deliveries: DeliveryRecord[];
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: string; version: string };
  command: 'validate' | 'init' | 'diagnose';
  runId: string;
  target: Target;
  scenario?: string;
  organizationId: string | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  result: 'pass' | 'fail';
  /** Set when Ctrl-C ended the run: the result is then `fail`, whatever ran before. */
  interrupted?: boolean;
  steps: StepResult[];
  diagnoses: Diagnosis[];
  correlation: Correlation;
  timeline: Timeline;
}

/** A step's status is its worst check's: fail > warn > pass; all-skip is skip. */
export function worstStatus(statuses: CheckStatus[]): CheckStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.length > 0 && statuses.every((s) => s === 'skip')) return 'skip';
  if (statuses.includes('warn')) return 'warn';
  return 'pass';
}

/** Counts used by every renderer's summary line. */
export function countChecks(
  report: Report,
): Record<CheckStatus, number> & { total: number } {
  const counts = { pass: 0, warn: 0, fail: 0, skip: 0, total: 0 };
  for (const step of report.steps) {
    for (const check of step.checks) {
      counts[check.status] += 1;
      counts.total += 1;
    }
  }
  return counts;
}
