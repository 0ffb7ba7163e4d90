/** Beacon's fiscal reads, health, metrics and alerts. */
import type { BeaconCall, BeaconResult } from './call.js';
import type { BeaconDeps } from './deps.js';
import type { Alert, BeaconOrg } from './state.js';

const WINDOW_MINUTES = 15;

/** GET /fiscal/setup-state */
export function fiscalSetupState(call: BeaconCall): BeaconResult {
  if (call.deps.faults.fiscalReady) {
    return {
      status: 200,
      body: {
        ready: true,
        profileValidated: true,
        seriesActive: true,
        providerHealthy: true,
        pending: [],
      },
    };
  }
  const pending = [
    {
      id: 'series.not-communicated',
      severity: 'critical',
      message:
        'The document series for test mode has not been communicated to the tax authority.',
    },
    {
      id: 'profile.logo',
      severity: 'info',
      message: 'No logo uploaded for printed documents.',
    },
  ];
  return {
    status: 200,
    body: {
      ready: false,
      profileValidated: true,
      seriesActive: false,
      providerHealthy: true,
      pending,
    },
  };
}

/** GET /fiscal/documents?subscriptionId=&invoiceId= (oldest first) */
export function fiscalDocuments(call: BeaconCall): BeaconResult {
  const subscriptionId = call.query.get('subscriptionId');
  const invoiceId = call.query.get('invoiceId');
  const data = call.org.documents.filter(
    (d) =>
      (subscriptionId === null || d.subscriptionId === subscriptionId) &&
      (invoiceId === null || d.stripeInvoiceId === invoiceId),
  );
  return { status: 200, body: { data } };
}

/** GET /health — 503 with the same body when a service is down. */
export function health(call: BeaconCall): BeaconResult {
  const down = call.deps.faults.webhooksServiceDown;
  const body = {
    ok: !down,
    timestamp: call.deps.clock.iso(),
    services: { billing: 'up', webhooks: down ? 'down' : 'up', fiscal: 'up' },
  };
  return { status: down ? 503 : 200, body };
}

/**
 * GET /metrics/webhooks — from the intake's own outcomes in the window. The
 * outcomes are not split by organization (a forged delivery names none), so
 * every organization of one sandbox sees the same rate.
 */
export function webhookMetrics(call: BeaconCall): BeaconResult {
  const since = call.deps.clock.nowMs() - WINDOW_MINUTES * 60_000;
  const recent = call.deps.state.intakeLog.filter((o) => o.atMs >= since);
  const failed = recent.filter((o) => !o.ok).length;
  const backlog = [...call.org.events.values()].filter(
    (e) => e.status === 'received',
  ).length;
  return {
    status: 200,
    body: {
      windowMinutes: WINDOW_MINUTES,
      received: recent.length,
      failed,
      errorRate: recent.length === 0 ? 0 : failed / recent.length,
      backlog,
    },
  };
}

/** GET /metrics/fiscal */
export function fiscalMetrics(call: BeaconCall): BeaconResult {
  return {
    status: 200,
    body: {
      windowMinutes: WINDOW_MINUTES,
      issued: call.org.documents.length,
      failed: 0,
      errorRate: 0,
      backlog: 0,
      p95IssuanceMs: 42,
    },
  };
}

/** GET /alerts?status=&severity= (newest first) */
export function listAlerts(call: BeaconCall): BeaconResult {
  const status = call.query.get('status');
  const severity = call.query.get('severity');
  const data = [...call.org.alerts]
    .reverse()
    .filter(
      (a) =>
        (status === null || a.status === status) &&
        (severity === null || a.severity === severity),
    );
  return { status: 200, body: { data } };
}

/** The alerts an organization starts with: one old resolved one, and a P1 if asked. */
export function seedAlerts(org: BeaconOrg, deps: BeaconDeps): void {
  const hourAgo = deps.clock.nowMs() - 3600_000;
  const resolved: Alert = {
    id: `alrt_${org.organizationId.slice(4, 12)}1`,
    severity: 'P3',
    status: 'resolved',
    title: 'Webhook latency above target',
    service: 'webhooks',
    openedAt: deps.clock.iso(hourAgo),
  };
  org.alerts.push(resolved);
  if (!deps.faults.openCriticalAlert) return;
  org.alerts.push({
    id: `alrt_${org.organizationId.slice(4, 12)}2`,
    severity: 'P1',
    status: 'open',
    title: 'Fiscal provider rejecting documents',
    service: 'fiscal',
    openedAt: deps.clock.iso(deps.clock.nowMs() - 600_000),
  });
}
