/**
 * Realistic reports for the renderer tests: a passing run covering every
 * check of the catalogue, and a failing one with diagnoses, warnings, skips
 * and messages full of characters each output format must escape.
 */
import { STEPS } from '../../src/flow/catalog.js';
import { SCHEMA_VERSION, worstStatus } from '../../src/report/model.js';
import type {
  ApiCallRecord,
  CheckResult,
  CheckStatus,
  DeliveryRecord,
  Diagnosis,
  Report,
  StepResult,
} from '../../src/report/model.js';

/** Text that exercises every escaping rule at once. */
export const TRICKY_MESSAGE =
  'Subscription "sub_1Q" is \'incomplete\' <pending> & 100% unconfirmed, at 12:00, ' +
  'retry 3\nsecond line 🚀 | done';

/** Evidence whose values must come back byte for byte from XML. */
export const TRICKY_EVIDENCE = {
  beaconStatus: 'incomplete <pending> & "waiting" \'now\'',
  returnUrl: 'https://example.test/return?session={CHECKOUT_SESSION_ID}&nonce=a1',
  attempts: 3,
};

const MESSAGES: Record<string, string> = {
  'connect.token': 'Token accepted; scopes: integration, read',
  'connect.test-mode': 'sk_test key, test account, Beacon mode test',
  'connect.account': 'acct_1PqR connected (standard)',
  'checkout.created': 'cs_test_a1 created with chk_op_7f3a',
  'confirm.events-received': '4 required events, 5 deliveries, all verified',
};

function checkFor(id: string, title: string, startedAtMs: number): CheckResult {
  return {
    id,
    title,
    status: 'pass',
    message: MESSAGES[id] ?? 'OK',
    evidence: { requestId: `req_${id.replace(/\W/g, '')}` },
    startedAtMs,
    durationMs: 40,
  };
}

function passingSteps(): StepResult[] {
  let clock = 0;
  return STEPS.map((def) => {
    const startedAtMs = clock;
    const checks = def.checks.map((c) => {
      const check = checkFor(c.id, c.title, clock);
      clock += 50;
      return check;
    });
    clock += 20;
    return {
      id: def.id,
      title: def.title,
      status: 'pass' as CheckStatus,
      startedAtMs,
      durationMs: clock - startedAtMs - 10,
      checks,
    };
  });
}

function apiCalls(): ApiCallRecord[] {
  const call = (
    service: ApiCallRecord['service'],
    method: string,
    path: string,
    startedAtMs: number,
    extra: Partial<ApiCallRecord> = {},
  ): ApiCallRecord => ({
    service,
    method,
    path,
    status: 200,
    requestId: `req_${startedAtMs}`,
    idempotencyKey: null,
    startedAtMs,
    durationMs: 35,
    attempt: 1,
    ...extra,
  });
  return [
    call('beacon', 'GET', '/v1/me', 5),
    call('stripe', 'GET', '/v1/account', 20),
    call('beacon', 'GET', '/v1/organizations/org_123/stripe-connection', 60),
    call('stripe', 'POST', '/v1/webhook_endpoints', 330, { status: 201 }),
    call('stripe', 'GET', '/v1/webhook_endpoints', 340),
    call('beacon', 'POST', '/v1/checkout-sessions', 760, {
      status: 201,
      idempotencyKey: 'chk_op_7f3a',
      durationMs: 120,
    }),
    call('beacon', 'POST', '/v1/checkout-sessions', 800, {
      status: 201,
      idempotencyKey: 'chk_op_7f3a',
    }),
    call('checkout', 'GET', '/pay/cs_test_a1', 900, { durationMs: 60 }),
    call('stripe', 'GET', '/v1/checkout/sessions/cs_test_a1', 1010),
    call('beacon', 'POST', '/v1/subscriptions/sub_1Q/confirm', 1100),
    call('beacon', 'GET', '/v1/health', 1290),
  ];
}

function deliveries(): DeliveryRecord[] {
  const d = (
    type: string,
    eventId: string,
    receivedAtMs: number,
    extra: Partial<DeliveryRecord> = {},
  ): DeliveryRecord => ({
    eventId,
    type,
    receivedAtMs,
    verified: true,
    duplicate: false,
    ...extra,
  });
  return [
    d('invoice.payment_succeeded', 'evt_3', 1040),
    d('checkout.session.completed', 'evt_1', 1055),
    d('customer.subscription.created', 'evt_2', 1062),
    d('invoice.paid', 'evt_4', 1070),
    d('checkout.session.completed', 'evt_1', 1120, { duplicate: true }),
  ];
}

const REQUIRED = [
  ['evt_1', 'checkout.session.completed', 2],
  ['evt_2', 'customer.subscription.created', 1],
  ['evt_3', 'invoice.payment_succeeded', 1],
  ['evt_4', 'invoice.paid', 1],
] as const;

/** A run where all 29 checks of the catalogue pass. */
export function passingReport(): Report {
  const steps = passingSteps();
  const last = steps[steps.length - 1];
  const durationMs = last ? last.startedAtMs + last.durationMs + 5 : 0;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'beacon-quickstart', version: '0.1.0' },
    command: 'validate',
    runId: 'run_2026-12-03T22-00-00Z_5c1e',
    target: 'sandbox',
    scenario: 'happy',
    organizationId: 'org_123',
    startedAt: '2026-12-03T22:00:00.000Z',
    finishedAt: '2026-12-03T22:00:01.500Z',
    durationMs,
    result: 'pass',
    steps,
    diagnoses: [],
    correlation: {
      idempotencyKey: 'chk_op_7f3a',
      checkoutSessionId: 'cs_test_a1',
      subscriptionId: 'sub_1Q',
      events: REQUIRED.map(([id, type, n]) => ({
        id,
        type,
        deliveries: n,
        verified: true,
        beaconProcessed: true,
      })),
    },
    timeline: { apiCalls: apiCalls(), deliveries: deliveries() },
  };
}

/** Changes one check in place; step statuses are recomputed by `finish`. */
export function setCheck(report: Report, id: string, patch: Partial<CheckResult>): void {
  for (const step of report.steps) {
    const check = step.checks.find((c) => c.id === id);
    if (check) Object.assign(check, patch);
  }
}

/** Recomputes step statuses and the result from the checks. */
export function finish(report: Report): Report {
  for (const step of report.steps)
    step.status = worstStatus(step.checks.map((c) => c.status));
  const failed = report.steps.some((s) => s.checks.some((c) => c.status === 'fail'));
  report.result = failed ? 'fail' : 'pass';
  return report;
}

export const FAILING_DIAGNOSES: Diagnosis[] = [
  {
    id: 'missing-confirmation',
    severity: 'error',
    symptom:
      'Checkout is complete in Stripe, but Beacon still shows the subscription as incomplete',
    diagnosis:
      "Nothing called the subscription's confirm endpoint after the return <redirect>",
    action:
      'Call POST /v1/subscriptions/{id}/confirm from the return handler, then verify events',
    command: 'beacon-quickstart diagnose --org org_123 --session cs_test_a1',
    checkIds: ['confirm.subscription', 'operations.dashboard-state'],
    evidence: { subscriptionStatus: 'incomplete', stripeStatus: 'active' },
  },
  {
    id: 'events-not-processed',
    severity: 'error',
    symptom: '4 events received locally, 0 known to Beacon',
    diagnosis: "Beacon's intake endpoint is missing or failing",
    action: 'Register the intake endpoint, then replay by event.id: evt_1, evt_2',
    checkIds: ['confirm.events-processed'],
    evidence: { missing: ['evt_1', 'evt_2', 'evt_3', 'evt_4'] },
  },
  {
    id: 'duplicate-operation',
    severity: 'info',
    symptom: 'The first checkout creation answered 409 (in flight)',
    diagnosis: 'The same operation was already being applied',
    action: 'Nothing to do: the first result was reused; exactly one checkout exists',
    checkIds: ['checkout.created'],
    evidence: { idempotencyKey: 'chk_op_7f3a' },
  },
  {
    id: 'stale-endpoints',
    severity: 'warning',
    symptom: '14 of 16 webhook endpoints in use, 3 from earlier runs',
    diagnosis: 'Temporary endpoints of interrupted runs were left behind',
    action: 'Prune them: beacon-quickstart cleanup --endpoints',
    command: 'beacon-quickstart cleanup --endpoints',
    checkIds: [],
    evidence: { endpoints: 14 },
  },
];

/** A failing run: two failures with diagnoses, two warnings, four skips, tricky text. */
export function failingReport(): Report {
  const report = passingReport();
  report.scenario = 'confirm-skipped';
  setCheck(report, 'connect.requirements', {
    status: 'warn',
    message: 'Not verifiable: requirements endpoint answered 404, 50% of fields read',
  });
  setCheck(report, 'webhooks.clock-skew', {
    status: 'warn',
    message: 'Skew 2.4 s (tolerance 300 s), Date: Thu, 03 Dec 2026 22:00:02 GMT',
  });
  setCheck(report, 'confirm.subscription', {
    status: 'fail',
    message: TRICKY_MESSAGE,
    evidence: { ...TRICKY_EVIDENCE },
  });
  setCheck(report, 'confirm.events-processed', {
    status: 'fail',
    message: 'Beacon knows none of evt_1, evt_2, evt_3, evt_4',
    evidence: { processed: 0, received: 4 },
  });
  for (const id of ['operations.dashboard-state', 'operations.fiscal-setup']) {
    setCheck(report, id, {
      status: 'skip',
      message: 'Skipped: confirm.subscription failed',
    });
  }
  for (const id of ['operations.fiscal-document', 'operations.metrics']) {
    setCheck(report, id, {
      status: 'skip',
      message: 'Skipped: no confirmed subscription',
    });
  }

  report.diagnoses = FAILING_DIAGNOSES.map((d) => ({ ...d, checkIds: [...d.checkIds] }));
  report.correlation.events = report.correlation.events.map((e) => ({
    ...e,
    beaconProcessed: false,
  }));
  report.timeline.apiCalls[5] = {
    ...report.timeline.apiCalls[5]!,
    status: 409,
    error: 'idempotency key in use',
  };
  report.timeline.deliveries.push({
    eventId: null,
    type: null,
    receivedAtMs: 1200,
    verified: false,
    duplicate: false,
    reason: 'signature mismatch',
  });
  return finish(report);
}

/** A run with `fails` failed and `warns` warned checks, to test annotation caps. */
export function manyProblemsReport(fails: number, warns: number): Report {
  const report = passingReport();
  const ids = report.steps.flatMap((s) => s.checks.map((c) => c.id));
  ids.slice(0, fails).forEach((id, i) => {
    setCheck(report, id, { status: 'fail', message: `failure ${i + 1}` });
  });
  ids.slice(fails, fails + warns).forEach((id, i) => {
    setCheck(report, id, { status: 'warn', message: `warning ${i + 1}` });
  });
  return finish(report);
}

/** A run that recorded nothing on its timeline and took no time. */
export function emptyTimelineReport(): Report {
  const report = passingReport();
  report.timeline = { apiCalls: [], deliveries: [] };
  report.durationMs = 0;
  for (const step of report.steps) {
    step.startedAtMs = 0;
    step.durationMs = 0;
  }
  return report;
}
