/**
 * `validate`: the five steps against the chosen target, then the report.
 * Everything is validated before anything is created, and every server,
 * endpoint and temporary file this run made is gone when it returns.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BeaconClient } from '../beacon/client.js';
import {
  isLoopbackHost,
  loadFileSettings,
  pick,
  validateBaseUrl,
  validateBillingCycle,
  validateOrganizationId,
  validatePlan,
} from '../config/settings.js';
import { UsageError } from '../errors.js';
import { findResumableRun, Journal, startRunServer } from '../flow/journal.js';
import { buildReport, exitCodeFor } from '../flow/report.js';
import { ReturnCallback } from '../flow/return-callback.js';
import { runFlow } from '../flow/runner.js';
import { initialState, type FlowConfig } from '../flow/types.js';
import { ApiLog } from '../io/api-log.js';
import type { Context } from '../io/context.js';
import { stateDir } from '../io/paths.js';
import type { Report } from '../report/model.js';
import {
  isScenarioName,
  SCENARIO_NAMES,
  type ScenarioName,
} from '../sandbox/scenarios.js';
import { createStripeClient } from '../stripe/client.js';
import { FileSecretStore } from '../vault/file-store.js';
import { openVault } from '../vault/select.js';
import { toolVersion } from '../version.js';
import { routeReceiver } from '../webhooks/run-receiver.js';
import { BoundedRecorder } from './bounded-recorder.js';
import { RunDeadline } from './deadline.js';
import { newOperationId, newRunId } from './ids.js';
import { checkPlanExists } from './plan-check.js';
import { choosePayer, type CompleteMode, type Opener } from './payers.js';
import { resolveTarget } from './target.js';

export interface ValidateOptions {
  sandbox: boolean;
  scenario?: string;
  fiscalRule?: string;
  seed?: number;
  ci: boolean;
  json: boolean;
  org?: string;
  plan?: string;
  billingCycle?: string;
  beaconUrl?: string;
  stripeUrl?: string;
  beaconTokenFile?: string;
  stripeKeyFile?: string;
  webhookUrl?: string;
  /** none | url | ngrok | stripe-cli (default: url with --webhook-url, else none). */
  tunnel?: string;
  ngrokTokenFile?: string;
  timeoutSeconds: number;
  webhookWaitSeconds?: number;
  verbose: boolean;
  /** Who completes the checkout (`--complete`); `auto` when not given. */
  complete?: CompleteMode;
  /** Opens the checkout page for `--complete browser`; tests pass a fake. */
  opener?: Opener;
  /** `--resume`: continue the newest unfinished run under its Idempotency-Key. */
  resume?: boolean;
}

export interface ValidateResult {
  report: Report;
  exitCode: number;
}

function checkScenario(options: ValidateOptions): ScenarioName | undefined {
  if (options.scenario === undefined) return undefined;
  if (!options.sandbox) {
    throw new UsageError('--scenario needs --sandbox.', {
      suggestion:
        'For a standalone sandbox, use `beacon-quickstart sandbox --scenario NAME`.',
    });
  }
  if (!isScenarioName(options.scenario)) {
    throw new UsageError(`Unknown scenario "${options.scenario}".`, {
      suggestion: `Valid scenarios: ${SCENARIO_NAMES.join(', ')} (see \`beacon-quickstart scenarios\`).`,
    });
  }
  return options.scenario;
}

export async function runValidate(
  options: ValidateOptions,
  ctx: Context,
): Promise<ValidateResult> {
  const scenario = checkScenario(options);
  if (options.sandbox && (options.beaconUrl || options.stripeUrl)) {
    throw new UsageError(
      '--sandbox starts its own servers; it cannot be combined with --beacon-url/--stripe-url.',
      {
        suggestion:
          'To use a standalone sandbox, drop --sandbox and pass its URLs and credentials.',
      },
    );
  }
  if (options.sandbox && options.resume) {
    throw new UsageError(
      '--resume continues a run against the same servers; --sandbox starts new ones.',
      {
        suggestion:
          'Resume runs against a standalone sandbox or Beacon (--beacon-url/--stripe-url).',
      },
    );
  }
  const files = await loadFileSettings(ctx.cwd, ctx.env);
  const plan = validatePlan(
    pick(options.plan, ctx.env.BEACON_PLAN, files.plan) ?? 'plus',
  );
  const billingCycle = validateBillingCycle(
    pick(options.billingCycle, ctx.env.BEACON_BILLING_CYCLE, files.billingCycle) ??
      'monthly',
  );
  const orgInput = pick(
    options.org,
    ctx.env.BEACON_ORGANIZATION_ID,
    files.organizationId,
  );
  const organizationId = orgInput ? validateOrganizationId(orgInput) : undefined;
  const beaconUrlInput = options.sandbox
    ? undefined
    : pick(options.beaconUrl, ctx.env.BEACON_API_URL, files.beaconUrl);
  const stripeUrlInput = options.sandbox
    ? undefined
    : pick(options.stripeUrl, ctx.env.STRIPE_API_URL, files.stripeUrl);
  const beaconUrl = beaconUrlInput
    ? validateBaseUrl(beaconUrlInput, '--beacon-url')
    : undefined;
  const stripeUrl = stripeUrlInput
    ? validateBaseUrl(stripeUrlInput, '--stripe-url')
    : undefined;
  const { tunnelKindFor } = await import('../tunnel/for-run.js');
  tunnelKindFor(options.tunnel, options.webhookUrl);
  if (options.webhookUrl) {
    // Refused before anything is created: https, no credentials, public unicast only.
    const { checkPublicWebhookUrl } = await import('../tunnel/url-check.js');
    await checkPublicWebhookUrl(options.webhookUrl);
  }

  const startedAt = ctx.clock.now();
  // --timeout bounds the whole run; Ctrl-C stays a separate signal so it alone means 130.
  const deadline = new RunDeadline(options.timeoutSeconds);
  const runSignal = AbortSignal.any([ctx.signal, deadline.signal]);
  const verboseLine = (line: string) => ctx.stderr.write(`${line}\n`);
  const log = new ApiLog(
    ctx.clock,
    startedAt,
    options.verbose ? (l) => verboseLine(`[api] ${l}`) : undefined,
  );
  const note =
    options.json || options.ci
      ? () => undefined
      : (line: string) => ctx.stderr.write(`${line}\n`);

  const tempDir = options.sandbox
    ? await mkdtemp(join(tmpdir(), 'beacon-quickstart-'))
    : null;
  // Sandbox secrets are throwaway: keep them out of the user's vault.
  const vault = tempDir
    ? new FileSecretStore(tempDir)
    : (await openVault({ env: ctx.env })).store;
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const target = await resolveTarget(
      {
        sandbox: options.sandbox,
        scenario,
        fiscalRule: options.fiscalRule,
        seed: options.seed,
        beaconUrl,
        stripeUrl,
        beaconTokenFile: options.beaconTokenFile,
        stripeKeyFile: options.stripeKeyFile,
        verbose: options.verbose,
      },
      ctx,
      options.sandbox ? null : vault,
      verboseLine,
    );
    cleanups.push(() => target.close());

    const beacon = new BeaconClient({
      baseUrl: target.beaconUrl,
      accessToken: target.accessToken,
      log,
      signal: runSignal,
    });
    const stripe = createStripeClient({
      secretKey: target.stripeSecretKey,
      baseUrl: target.stripeUrl,
      log,
    });
    await checkPlanExists(beacon, plan, billingCycle);

    const runsDir = join(tempDir ?? stateDir(ctx.env), 'runs');
    const resumed = options.resume
      ? await findResumableRun(runsDir, target.stripeUrl)
      : null;
    if (options.resume) {
      note(
        resumed
          ? `Resuming run ${resumed.runId} under ${resumed.idempotencyKey}`
          : 'Nothing to resume: starting a new run',
      );
    }
    const server = await startRunServer(resumed);
    cleanups.unshift(() => server.close());
    const { openRunTunnel } = await import('../tunnel/for-run.js');
    const carrier = await openRunTunnel(
      {
        tunnel: options.tunnel,
        webhookUrl: options.webhookUrl,
        ngrokTokenFile: options.ngrokTokenFile,
        stripeSecretKey: target.stripeSecretKey,
        localPort: server.port,
        localOrigin: server.origin,
        stripeOnLoopback: isLoopbackHost(new URL(target.stripeUrl).hostname),
      },
      ctx,
      options.sandbox ? null : vault,
    );
    cleanups.unshift(() => carrier.close());
    if (carrier.webhook.kind !== 'loopback')
      note(`Webhook deliveries: ${carrier.describe}`);
    const flowState = initialState();
    const returns = new ReturnCallback(server, resumed?.returnNonce ?? undefined);
    const { events, probes } = routeReceiver(
      server,
      log,
      flowState,
      carrier.signingSecrets,
    );

    const runId = newRunId(startedAt);
    const operationId = resumed?.operationId ?? newOperationId();
    const journal = await Journal.create(runsDir, {
      runId,
      operationId,
      idempotencyKey: `chk_${operationId}`,
      target: target.kind,
      stripeUrl: target.stripeUrl,
      stripeAccountId: null,
      organizationId: organizationId ?? target.organizationId,
      pid: process.pid,
      status: 'running',
      startedAt: new Date(startedAt).toISOString(),
      endpoints: [],
      checkoutSessions: [],
      localPort: server.port,
      returnUrl: returns.url,
    });

    const onLoopback = isLoopbackHost(new URL(target.stripeUrl).hostname);
    const complete = options.complete ?? 'auto';
    const payer = choosePayer({
      mode: complete,
      onLoopback,
      log,
      announce: (url) => {
        ctx.stderr.write(`Open this checkout page and pay with a test card:\n  ${url}\n`);
        // Nobody is there to pay in an unattended job; say how to run without a payment.
        if (options.ci) ctx.stderr.write('Unattended? Use --complete skip.\n');
      },
      ...(options.opener ? { opener: options.opener } : {}),
    });
    const config: FlowConfig = {
      target: target.kind,
      organizationId: organizationId ?? target.organizationId,
      plan,
      billingCycle,
      beaconUrl: target.beaconUrl,
      stripeUrl: target.stripeUrl,
      timeoutMs: options.timeoutSeconds * 1000,
      webhookWaitMs: (options.webhookWaitSeconds ?? (onLoopback ? 5 : 60)) * 1000,
      ...(scenario ? { scenario } : {}),
    };
    const checks = new BoundedRecorder(
      () => log.sinceStart(),
      { deadline, skipPayment: complete === 'skip' },
      ctx.signal,
      options.verbose ? { stepStarted: (step) => verboseLine(`[step] ${step.id}`) } : {},
    );
    const flowDeps = {
      ctx,
      config,
      beacon,
      stripe,
      log,
      vault,
      journal,
      server,
      events,
      probes,
      webhook: carrier.webhook,
      payer,
      returns,
      checks,
      runId,
      operationId,
      signal: runSignal,
      note,
    };
    const outcome = await runFlow(flowDeps, flowState);

    const report = buildReport({
      command: 'validate',
      toolVersion: toolVersion(),
      runId,
      target: target.kind,
      scenario,
      organizationId: outcome.state.organizationId ?? config.organizationId,
      startedAt,
      finishedAt: ctx.clock.now(),
      steps: checks.steps,
      state: outcome.state,
      events,
      log,
      interrupted: outcome.interrupted,
    });
    const exitCode = exitCodeFor(report);
    return { report, exitCode };
  } finally {
    deadline.dispose();
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}
