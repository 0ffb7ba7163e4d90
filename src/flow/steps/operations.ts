/**
 * Step 5, Validate operations: health, the dashboard's view against Stripe,
 * fiscal readiness and the fiscal document, metrics and alerts.
 */
import type Stripe from 'stripe';
import { checkFiscalSetup, checkHealth } from '../shared-checks.js';
import type { FiscalDocument } from '../../beacon/client.js';
import { abortableSleep } from '../../beacon/retrying-fetch.js';
import { summarizeFindings, validateFiscalDocument } from '../../fiscal/index.js';
import { fail, pass, skip, warn, type Outcome } from '../outcome.js';
import type { FlowDeps, FlowState } from '../types.js';

/** Beacon's documented target: under 1% webhook errors per rolling 15 minutes. */
const MAX_ERROR_RATE = 0.01;
const MAX_BACKLOG = 100;

export async function runOperationsStep(deps: FlowDeps, state: FlowState): Promise<void> {
  const { checks } = deps;
  if (state.beaconRejectedToken) {
    for (const step of [
      'health',
      'dashboard-state',
      'fiscal-setup',
      'fiscal-document',
      'metrics',
    ]) {
      checks.skip(`operations.${step}`, 'Beacon rejected the token');
    }
    checks.skip('operations.alerts', 'Beacon rejected the token');
    return;
  }
  await checks.check('operations.health', () => checkHealth(deps.beacon));
  await checks.check('operations.dashboard-state', () => dashboardState(deps, state));
  await checks.check('operations.fiscal-setup', () => checkFiscalSetup(deps.beacon));
  await checks.check('operations.fiscal-document', () => fiscalDocument(deps, state));
  await checks.check('operations.metrics', () => metrics(deps));
  await checks.check('operations.alerts', () => alerts(deps));
}

function stripePlan(sub: Stripe.Subscription) {
  const price = sub.items.data[0]?.price;
  const interval = price?.recurring?.interval;
  return {
    status: sub.status,
    plan: sub.metadata?.plan ?? price?.metadata?.plan ?? null,
    billingCycle:
      interval === 'month'
        ? 'monthly'
        : interval === 'year'
          ? 'yearly'
          : (interval ?? null),
  };
}

async function dashboardState(deps: FlowDeps, state: FlowState): Promise<Outcome> {
  if (!state.subscriptionId) return skip('No subscription from this run');
  const [beacon, stripeSub] = await Promise.all([
    deps.beacon.getSubscription(state.subscriptionId),
    deps.stripe.subscriptions.retrieve(state.subscriptionId),
  ]);
  const expected = stripePlan(stripeSub);
  const timeline = (beacon.timeline ?? []).map((t) => t.type);
  const evidence = {
    beacon: {
      status: beacon.status,
      plan: beacon.plan,
      billingCycle: beacon.billingCycle,
    },
    stripe: expected,
    timeline,
  };
  const mismatches = (['status', 'plan', 'billingCycle'] as const).filter(
    (field) => expected[field] !== null && beacon[field] !== expected[field],
  );
  if (mismatches.length > 0) {
    const detail = mismatches
      .map((f) => `${f} ${beacon[f]} vs ${expected[f]}`)
      .join(', ');
    const reason =
      beacon.status === 'pending_confirmation' ? 'not-confirmed' : 'dashboard-mismatch';
    return fail(`Dashboard differs from Stripe: ${detail}`, reason, evidence);
  }
  if (timeline.length === 0)
    return warn('State matches, but the timeline is empty', evidence);
  return pass(
    `${beacon.status} ${beacon.plan}/${beacon.billingCycle}, ${timeline.length} timeline entries`,
    evidence,
  );
}

/** The document is issued after invoice.paid, asynchronously: re-read briefly. */
async function findDocument(
  deps: FlowDeps,
  state: FlowState,
): Promise<FiscalDocument | null> {
  for (let round = 0; round < 6; round += 1) {
    if (round > 0) await abortableSleep(100 * 2 ** (round - 1), deps.signal);
    const { data } = await deps.beacon.listFiscalDocuments({
      subscriptionId: state.subscriptionId,
    });
    const match = data.find((d) => d.stripeInvoiceId === state.invoiceId) ?? data[0];
    if (match) return match;
  }
  return null;
}

async function fiscalDocument(deps: FlowDeps, state: FlowState): Promise<Outcome> {
  if (!state.subscriptionId) return skip('No subscription from this run');
  const doc = await findDocument(deps, state);
  if (!doc) {
    return fail(
      'No fiscal document was issued for the first invoice',
      'fiscal-document-missing',
      {
        subscriptionId: state.subscriptionId,
        invoiceId: state.invoiceId ?? null,
      },
    );
  }
  // The organization's other documents let the validator check the series numbering.
  const series = await deps.beacon
    .listFiscalDocuments({})
    .then((r) => r.data.filter((d) => d.id !== doc.id))
    .catch(() => [] as FiscalDocument[]);
  const findings = validateFiscalDocument(doc, { previous: series });
  const errors = findings.filter((f) => f.severity === 'error');
  const evidence = {
    documentNumber: doc.number,
    atcud: doc.atcud,
    issueDate: doc.issueDate,
    gross: doc.totals.gross,
    seriesDocumentsCompared: series.length,
    findings: findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      field: f.field,
      value: f.value,
      message: f.message,
    })),
  };
  if (errors.length > 0) {
    return fail(
      `${doc.number}: ${summarizeFindings(errors)}`,
      'fiscal-document-invalid',
      evidence,
    );
  }
  if (findings.length > 0)
    return warn(`${doc.number}: ${summarizeFindings(findings)}`, evidence);
  return pass(`${doc.number} (ATCUD ${doc.atcud}) meets every rule checked`, evidence);
}

async function metrics(deps: FlowDeps): Promise<Outcome> {
  const [webhooks, fiscal] = await Promise.all([
    deps.beacon.getWebhookMetrics(),
    deps.beacon.getFiscalMetrics(),
  ]);
  const evidence = {
    webhookErrorRate: webhooks.errorRate,
    webhookBacklog: webhooks.backlog,
    fiscalErrorRate: fiscal.errorRate,
    fiscalBacklog: fiscal.backlog,
    windowMinutes: webhooks.windowMinutes,
  };
  const problems: string[] = [];
  if (webhooks.errorRate >= MAX_ERROR_RATE)
    problems.push(`webhook errors ${(webhooks.errorRate * 100).toFixed(1)}%`);
  if (fiscal.errorRate >= MAX_ERROR_RATE)
    problems.push(`fiscal errors ${(fiscal.errorRate * 100).toFixed(1)}%`);
  if (webhooks.backlog > MAX_BACKLOG)
    problems.push(`webhook backlog ${webhooks.backlog}`);
  if (fiscal.backlog > MAX_BACKLOG) problems.push(`fiscal backlog ${fiscal.backlog}`);
  if (problems.length > 0)
    return fail(
      `Out of target: ${problems.join(', ')}`,
      'metrics-out-of-target',
      evidence,
    );
  return pass(
    `Webhook errors ${(webhooks.errorRate * 100).toFixed(2)}% (< 1%), backlogs ${webhooks.backlog}/${fiscal.backlog}`,
    evidence,
  );
}

async function alerts(deps: FlowDeps): Promise<Outcome> {
  const { data } = await deps.beacon.listAlerts({ status: 'open', severity: 'P1' });
  const p1 = data.filter((a) => a.severity === 'P1' && a.status === 'open');
  const evidence = {
    open: p1.map((a) => ({ id: a.id, title: a.title, service: a.service ?? null })),
  };
  if (p1.length > 0) {
    return fail(
      `${p1.length} open P1 alert(s): ${p1.map((a) => a.title).join('; ')}`,
      'critical-alert',
      evidence,
    );
  }
  return pass('No open P1 alerts', evidence);
}
