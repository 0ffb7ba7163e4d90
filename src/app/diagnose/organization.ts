/**
 * Diagnoses one organization: builds read-only clients, runs every step's
 * checks in catalogue order and assembles the same Report model `validate`
 * produces, with `command: 'diagnose'`.
 */
import { BeaconClient } from '../../beacon/client.js';
import { EXIT } from '../../errors.js';
import { CheckRecorder } from '../../flow/recorder.js';
import { buildReport } from '../../flow/report.js';
import { ApiLog } from '../../io/api-log.js';
import type { Context } from '../../io/context.js';
import type { Report } from '../../report/model.js';
import { createStripeClient } from '../../stripe/client.js';
import { toolVersion } from '../../version.js';
import { newRunId } from '../ids.js';
import { DIAGNOSE_STEPS } from './catalog.js';
import { runCheckoutChecks, runConfirmChecks } from './checkouts.js';
import { runConnectionChecks } from './connection.js';
import { runOperationsChecks } from './operations.js';
import { initialDiagnoseState, type DiagnoseFocus } from './types.js';
import { runWebhookChecks } from './webhooks.js';

export interface OrganizationRequest {
  organizationId: string;
  beaconUrl: string;
  stripeUrl: string;
  accessToken: string;
  stripeSecretKey: string;
  /** Sent as `Stripe-Account` when a platform key acts for the connected account. */
  stripeAccount?: string;
  focus: DiagnoseFocus;
  recentLimit: number;
  /** Each API call as one line, for --verbose (already prefixed by the caller). */
  onApiLine?: (line: string) => void;
}

export interface OrganizationResult {
  report: Report;
  log: ApiLog;
  exitCode: number;
}

/** Runs every diagnose check for one organization; never writes anything anywhere. */
export async function diagnoseOrganization(
  request: OrganizationRequest,
  ctx: Context,
): Promise<OrganizationResult> {
  const startedAt = ctx.clock.now();
  const log = new ApiLog(ctx.clock, startedAt, request.onApiLine);
  const beacon = new BeaconClient({
    baseUrl: request.beaconUrl,
    accessToken: request.accessToken,
    log,
    signal: ctx.signal,
  });
  const stripe = createStripeClient({
    secretKey: request.stripeSecretKey,
    baseUrl: request.stripeUrl,
    log,
    ...(request.stripeAccount ? { stripeAccount: request.stripeAccount } : {}),
  });
  const checks = new CheckRecorder(
    () => log.sinceStart(),
    {},
    ctx.signal,
    DIAGNOSE_STEPS,
  );
  const deps = {
    beacon,
    stripe,
    log,
    checks,
    organizationId: request.organizationId,
    beaconUrl: beacon.baseUrl,
    focus: request.focus,
    recentLimit: request.recentLimit,
    signal: ctx.signal,
  };
  const state = initialDiagnoseState();

  await checks.step('connect', () => runConnectionChecks(deps, state));
  await checks.step('webhooks', () => runWebhookChecks(deps, state));
  await checks.step('checkout', () => runCheckoutChecks(deps, state));
  await checks.step('confirm', () => runConfirmChecks(deps, state));
  await checks.step('operations', () => runOperationsChecks(deps, state));

  const report = buildReport({
    command: 'diagnose',
    toolVersion: toolVersion(),
    runId: newRunId(startedAt),
    target: 'beacon',
    organizationId: request.organizationId,
    startedAt,
    finishedAt: ctx.clock.now(),
    steps: checks.steps,
    state: null,
    events: null,
    log,
  });
  const focused = request.focus;
  report.correlation.checkoutSessionId = focused.checkoutSessionId ?? null;
  report.correlation.subscriptionId = focused.subscriptionId ?? null;
  const exitCode = report.result === 'pass' ? EXIT.ok : EXIT.checksFailed;
  return { report, log, exitCode };
}
