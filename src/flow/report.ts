/** Assembles the report model from a finished run. */
import { EXIT } from '../errors.js';
import { diagnose } from '../diagnose/engine.js';
import type { ApiLog } from '../io/api-log.js';
import {
  SCHEMA_VERSION,
  type Report,
  type StepResult,
  type Target,
} from '../report/model.js';
import type { EventStore } from '../webhooks/event-store.js';
import { PROBE_EVENT_TYPE } from './steps/webhooks.js';
import type { FlowState } from './types.js';

export interface ReportInput {
  command: Report['command'];
  toolVersion: string;
  runId: string;
  target: Target;
  scenario?: string;
  organizationId: string | null;
  startedAt: number;
  finishedAt: number;
  steps: StepResult[];
  state: FlowState | null;
  events: EventStore | null;
  log: ApiLog;
  interrupted?: boolean;
}

export function buildReport(input: ReportInput): Report {
  const diagnoses = diagnose(input.steps);
  const failed =
    input.interrupted === true ||
    input.steps.some((s) => s.checks.some((c) => c.status === 'fail'));
  const state = input.state;
  // Only this run's events: the ones the confirm step matched and looked up at Beacon.
  const looked = state?.eventsProcessed;
  const events = (input.events?.list() ?? [])
    .filter((e) => e.type !== PROBE_EVENT_TYPE)
    .filter((e) => !looked || looked.size === 0 || looked.has(e.id))
    .map((e) => ({
      id: e.id,
      type: e.type,
      deliveries: e.deliveries,
      verified: true,
      beaconProcessed: state?.eventsProcessed.get(e.id) ?? false,
    }));
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'beacon-quickstart', version: input.toolVersion },
    command: input.command,
    runId: input.runId,
    target: input.target,
    ...(input.scenario ? { scenario: input.scenario } : {}),
    organizationId: input.organizationId,
    startedAt: new Date(input.startedAt).toISOString(),
    finishedAt: new Date(input.finishedAt).toISOString(),
    durationMs: input.finishedAt - input.startedAt,
    result: failed ? 'fail' : 'pass',
    ...(input.interrupted ? { interrupted: true } : {}),
    steps: input.steps,
    diagnoses,
    correlation: {
      idempotencyKey: state?.idempotencyKey ?? null,
      checkoutSessionId: state?.checkoutSessionId ?? null,
      subscriptionId: state?.subscriptionId ?? null,
      events,
    },
    timeline: { apiCalls: input.log.calls, deliveries: input.log.deliveries },
  };
}

/** 130 when interrupted, else 0 for a passing report and 1 for a failing one. */
export function exitCodeFor(report: Report): number {
  if (report.interrupted) return EXIT.interrupted;
  return report.result === 'pass' ? EXIT.ok : EXIT.checksFailed;
}
