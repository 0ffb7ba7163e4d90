/**
 * Reads a saved run back into a Report, so `report FILE` can re-render it.
 * Checks the fields the renderers depend on and fills the ones an older or
 * hand-edited file may lack; every problem is a ConfigError naming the field.
 */
import { ConfigError } from '../errors.js';
import { SCHEMA_VERSION } from './model.js';
import type {
  ApiCallRecord,
  CheckResult,
  CheckStatus,
  CorrelatedEvent,
  DeliveryRecord,
  Diagnosis,
  Report,
  Severity,
  StepId,
  StepResult,
} from './model.js';

const STATUSES: readonly CheckStatus[] = ['pass', 'warn', 'fail', 'skip'];
const STEP_IDS: readonly StepId[] = [
  'connect',
  'webhooks',
  'checkout',
  'confirm',
  'operations',
];
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const SERVICES: ReadonlyArray<ApiCallRecord['service']> = [
  'beacon',
  'stripe',
  'checkout',
];
const COMMANDS: ReadonlyArray<Report['command']> = ['validate', 'init', 'diagnose'];

const SUGGESTION =
  'Pass a file written by `beacon-quickstart validate --json` (or its --output option), ' +
  'unchanged.';

type Obj = Record<string, unknown>;

/** Thrown inside the reader; turned into one ConfigError naming the source. */
class ShapeError extends Error {}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function fail(path: string, expected: string, got: unknown): never {
  throw new ShapeError(`${path} must be ${expected} (found ${describe(got)})`);
}

function obj(value: unknown, path: string): Obj {
  if (!isObj(value)) fail(path, 'an object', value);
  return value;
}

function arr(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array', value);
  return value;
}

function str(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'a string', value);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(path, `one of ${allowed.join(', ')}`, value);
  }
  return value as T;
}

// Optional fields: absent means the default, a wrong type is still an error.
function optStr(value: unknown, path: string, fallback = ''): string {
  return value === undefined ? fallback : str(value, path);
}

function optNullableStr(value: unknown, path: string): string | null {
  if (value === undefined || value === null) return null;
  return str(value, path);
}

function optNum(value: unknown, path: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a number', value);
  return value;
}

function optBool(value: unknown, path: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') fail(path, 'true or false', value);
  return value;
}

function optEvidence(value: unknown, path: string): Record<string, unknown> {
  return value === undefined ? {} : obj(value, path);
}

function readCheck(value: unknown, path: string): CheckResult {
  const o = obj(value, path);
  const id = str(o.id, `${path}.id`);
  return {
    id,
    title: optStr(o.title, `${path}.title`, id),
    status: oneOf(o.status, STATUSES, `${path}.status`),
    message: optStr(o.message, `${path}.message`),
    evidence: optEvidence(o.evidence, `${path}.evidence`),
    startedAtMs: optNum(o.startedAtMs, `${path}.startedAtMs`),
    durationMs: optNum(o.durationMs, `${path}.durationMs`),
  };
}

function readStep(value: unknown, path: string): StepResult {
  const o = obj(value, path);
  const id = oneOf(o.id, STEP_IDS, `${path}.id`);
  return {
    id,
    title: optStr(o.title, `${path}.title`, id),
    status: oneOf(o.status, STATUSES, `${path}.status`),
    startedAtMs: optNum(o.startedAtMs, `${path}.startedAtMs`),
    durationMs: optNum(o.durationMs, `${path}.durationMs`),
    checks: arr(o.checks, `${path}.checks`).map((c, i) =>
      readCheck(c, `${path}.checks[${i}]`),
    ),
  };
}

function readDiagnosis(value: unknown, path: string): Diagnosis {
  const o = obj(value, path);
  const checkIds = arr(o.checkIds, `${path}.checkIds`).map((c, i) =>
    str(c, `${path}.checkIds[${i}]`),
  );
  const diagnosis: Diagnosis = {
    id: str(o.id, `${path}.id`),
    severity: oneOf(o.severity ?? 'error', SEVERITIES, `${path}.severity`),
    symptom: optStr(o.symptom, `${path}.symptom`),
    diagnosis: optStr(o.diagnosis, `${path}.diagnosis`),
    action: optStr(o.action, `${path}.action`),
    checkIds,
    evidence: optEvidence(o.evidence, `${path}.evidence`),
  };
  if (o.command !== undefined) diagnosis.command = str(o.command, `${path}.command`);
  return diagnosis;
}

function readEvent(value: unknown, path: string): CorrelatedEvent {
  const o = obj(value, path);
  return {
    id: str(o.id, `${path}.id`),
    type: optStr(o.type, `${path}.type`),
    deliveries: optNum(o.deliveries, `${path}.deliveries`),
    verified: optBool(o.verified, `${path}.verified`),
    beaconProcessed: optBool(o.beaconProcessed, `${path}.beaconProcessed`),
  };
}

function readCorrelation(value: unknown): Report['correlation'] {
  const o = obj(value, 'correlation');
  return {
    idempotencyKey: optNullableStr(o.idempotencyKey, 'correlation.idempotencyKey'),
    checkoutSessionId: optNullableStr(
      o.checkoutSessionId,
      'correlation.checkoutSessionId',
    ),
    subscriptionId: optNullableStr(o.subscriptionId, 'correlation.subscriptionId'),
    events: arr(o.events ?? [], 'correlation.events').map((e, i) =>
      readEvent(e, `correlation.events[${i}]`),
    ),
  };
}

function readApiCall(value: unknown, path: string): ApiCallRecord {
  const o = obj(value, path);
  const status =
    o.status === null || o.status === undefined ? null : optNum(o.status, path);
  const call: ApiCallRecord = {
    service: oneOf(o.service, SERVICES, `${path}.service`),
    method: str(o.method, `${path}.method`),
    path: str(o.path, `${path}.path`),
    status,
    requestId: optNullableStr(o.requestId, `${path}.requestId`),
    idempotencyKey: optNullableStr(o.idempotencyKey, `${path}.idempotencyKey`),
    startedAtMs: optNum(o.startedAtMs, `${path}.startedAtMs`),
    durationMs: optNum(o.durationMs, `${path}.durationMs`),
    attempt: o.attempt === undefined ? 1 : optNum(o.attempt, `${path}.attempt`),
  };
  if (o.error !== undefined) call.error = str(o.error, `${path}.error`);
  return call;
}

function readDelivery(value: unknown, path: string): DeliveryRecord {
  const o = obj(value, path);
  const delivery: DeliveryRecord = {
    eventId: optNullableStr(o.eventId, `${path}.eventId`),
    type: optNullableStr(o.type, `${path}.type`),
    receivedAtMs: optNum(o.receivedAtMs, `${path}.receivedAtMs`),
    verified: optBool(o.verified, `${path}.verified`),
    duplicate: optBool(o.duplicate, `${path}.duplicate`),
  };
  if (o.reason !== undefined) delivery.reason = str(o.reason, `${path}.reason`);
  return delivery;
}

function readTimeline(value: unknown): Report['timeline'] {
  const o = obj(value, 'timeline');
  return {
    apiCalls: arr(o.apiCalls, 'timeline.apiCalls').map((c, i) =>
      readApiCall(c, `timeline.apiCalls[${i}]`),
    ),
    deliveries: arr(o.deliveries, 'timeline.deliveries').map((d, i) =>
      readDelivery(d, `timeline.deliveries[${i}]`),
    ),
  };
}

function readSchemaVersion(o: Obj): typeof SCHEMA_VERSION {
  if (o.schemaVersion === undefined) {
    throw new ShapeError(
      'it has no schemaVersion, so it is not a beacon-quickstart report',
    );
  }
  if (o.schemaVersion !== SCHEMA_VERSION) {
    throw new ShapeError(
      `it uses report schema version ${describe(o.schemaVersion)}; ` +
        `this version of beacon-quickstart reads version ${SCHEMA_VERSION}`,
    );
  }
  return SCHEMA_VERSION;
}

function readReport(value: unknown): Report {
  const o = obj(value, 'the document');
  const schemaVersion = readSchemaVersion(o);
  const tool = o.tool === undefined ? {} : obj(o.tool, 'tool');
  const report: Report = {
    schemaVersion,
    tool: {
      name: optStr(tool.name, 'tool.name', 'beacon-quickstart'),
      version: optStr(tool.version, 'tool.version', 'unknown'),
    },
    command: oneOf(o.command ?? 'validate', COMMANDS, 'command'),
    runId: optStr(o.runId, 'runId', 'unknown'),
    target: oneOf(o.target, ['sandbox', 'beacon'] as const, 'target'),
    // In the saved run's place, so `report --format json` gives back the same bytes.
    ...(o.scenario !== undefined ? { scenario: str(o.scenario, 'scenario') } : {}),
    organizationId: optNullableStr(o.organizationId, 'organizationId'),
    startedAt: optStr(o.startedAt, 'startedAt'),
    finishedAt: optStr(o.finishedAt, 'finishedAt'),
    durationMs: optNum(o.durationMs, 'durationMs'),
    result: oneOf(o.result, ['pass', 'fail'] as const, 'result'),
    ...(o.interrupted === true ? { interrupted: true } : {}),
    steps: arr(o.steps, 'steps').map((s, i) => readStep(s, `steps[${i}]`)),
    diagnoses: arr(o.diagnoses, 'diagnoses').map((d, i) =>
      readDiagnosis(d, `diagnoses[${i}]`),
    ),
    correlation: readCorrelation(o.correlation),
    timeline: readTimeline(o.timeline),
  };
  return report;
}

/** Parses a saved run; throws ConfigError (never a raw SyntaxError) on bad input. */
export function loadReport(text: string, source: string): Report {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : '';
    throw new ConfigError(`${source} is not valid JSON${detail}.`, {
      suggestion: SUGGESTION,
    });
  }

  try {
    return readReport(parsed);
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new ConfigError(`${source} is not a usable report: ${error.message}.`, {
      suggestion: SUGGESTION,
    });
  }
}
