/**
 * `init`: the first run, as a guide. It asks only for what flags, the
 * environment, config files and the vault leave open, offers onboarding when
 * the account cannot charge, opens a tunnel and the browser, then runs the
 * same five-step flow as `validate` and prints the same report. Whatever it
 * started (sandbox, server, tunnel, child process, endpoint) is gone when it
 * returns, also after Ctrl-C.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BeaconClient } from '../../beacon/client.js';
import { BEACON_TOKEN, STRIPE_KEY } from '../../config/secrets.js';
import {
  isLoopbackHost,
  loadFileSettings,
  validateBaseUrl,
} from '../../config/settings.js';
import { ConfigError, InterruptedError, UsageError } from '../../errors.js';
import { SandboxHttpPayer, type Payer } from '../../flow/payer.js';
import { buildReport, exitCodeFor } from '../../flow/report.js';
import { ReturnCallback } from '../../flow/return-callback.js';
import { runFlow } from '../../flow/runner.js';
import { initialState, type FlowDeps } from '../../flow/types.js';
import { ApiLog } from '../../io/api-log.js';
import type { BrowserOpener } from '../../io/browser.js';
import type { Context } from '../../io/context.js';
import { stateDir } from '../../io/paths.js';
import { confirmingDefaults, type Prompter } from '../../io/prompt.js';
import type { Spinner } from '../../io/spinner.js';
import type { Report } from '../../report/model.js';
import {
  isScenarioName,
  SCENARIO_NAMES,
  type ScenarioName,
} from '../../sandbox/scenarios.js';
import { assertTestKey, createStripeClient } from '../../stripe/client.js';
import { TunnelError } from '../../tunnel/errors.js';
import { openTunnel, loopbackOnly } from '../../tunnel/index.js';
import type { NgrokModule } from '../../tunnel/ngrok.js';
import type { Tunnel, TunnelKind } from '../../tunnel/types.js';
import { checkPublicWebhookUrl, type Resolver } from '../../tunnel/url-check.js';
import { FileSecretStore } from '../../vault/file-store.js';
import { describeVault, openVault, type SelectedVault } from '../../vault/select.js';
import { toolVersion } from '../../version.js';
import { startLocalServer } from '../../webhooks/local-server.js';
import { newOperationId, newRunId } from '../ids.js';
import { resolveTarget, type ResolvedTarget } from '../target.js';
import { openJournal } from './assembly.js';
import { checkPlanExists } from '../plan-check.js';
import { routeReceiver } from '../../webhooks/run-receiver.js';
import { BrowserPayer } from './browser-payer.js';
import { CheckRecorder } from '../../flow/recorder.js';
import { failedTunnelTarget, openTunnelTarget } from '../../tunnel/outcomes.js';
import {
  chooseOrganization,
  choosePlan,
  chooseTunnel,
  presetAnswers,
} from './choices.js';
import { ensureChargeable } from './onboarding.js';
import { walkthroughProgress } from './progress.js';
import { NGROK_TOKEN, secretOrAsk, TypedSecrets } from './secrets.js';
import { listenForSkip, type SkipKey } from './skip-key.js';

export interface InitOptions {
  sandbox: boolean;
  scenario?: string;
  org?: string;
  plan?: string;
  billingCycle?: string;
  beaconUrl?: string;
  stripeUrl?: string;
  beaconTokenFile?: string;
  stripeKeyFile?: string;
  ngrokTokenFile?: string;
  webhookUrl?: string;
  tunnel?: string;
  /** Local receiver port (0 or unset: any free one); fixed for your own forwarder. */
  port?: number;
  timeoutSeconds: number;
  webhookWaitSeconds?: number;
  verbose: boolean;
  /** false: never store typed secrets (--no-store); otherwise ask. */
  store: boolean;
  /** Sandbox payment without asking: the test card, or the browser. */
  pay?: 'card' | 'browser';
  /** Take the default answer of every yes/no question (--yes). */
  yes?: boolean;
}

/** What `init` talks to besides the context; tests replace each. */
export interface InitDeps {
  prompter: Prompter;
  browser: BrowserOpener;
  spinner: Spinner;
  resolve?: Resolver;
  loadNgrok?: () => Promise<NgrokModule>;
  stripeBinary?: string;
  openVault?: (env: NodeJS.ProcessEnv) => Promise<SelectedVault>;
  skipKey?: (ctx: Context) => SkipKey;
}

export interface InitResult {
  report: Report;
  exitCode: number;
}

function checkScenario(options: InitOptions): ScenarioName | undefined {
  if (options.scenario === undefined) return undefined;
  if (!options.sandbox) throw new UsageError('--scenario needs --sandbox.');
  if (!isScenarioName(options.scenario)) {
    throw new UsageError(`Unknown scenario "${options.scenario}".`, {
      suggestion: `Valid scenarios: ${SCENARIO_NAMES.join(', ')}.`,
    });
  }
  return options.scenario;
}

/** Everything that can be refused without creating or sending anything. */
async function checkFlags(options: InitOptions, deps: InitDeps) {
  const scenario = checkScenario(options);
  if (options.sandbox && (options.beaconUrl || options.stripeUrl)) {
    throw new UsageError('--sandbox cannot be combined with --beacon-url/--stripe-url.');
  }
  for (const [flag, file] of [
    ['--beacon-token-file', options.beaconTokenFile],
    ['--stripe-key-file', options.stripeKeyFile],
    ['--ngrok-token-file', options.ngrokTokenFile],
  ] as const) {
    // init owns the terminal's stdin for its questions.
    if (file === '-')
      throw new UsageError(`init cannot read ${flag} from stdin; give a file.`);
  }
  if (options.webhookUrl) await checkPublicWebhookUrl(options.webhookUrl, deps.resolve);
  return {
    scenario,
    beaconUrl: options.beaconUrl && validateBaseUrl(options.beaconUrl, '--beacon-url'),
    stripeUrl: options.stripeUrl && validateBaseUrl(options.stripeUrl, '--stripe-url'),
  };
}

function stripeKeyProblem(value: string): true | string {
  try {
    assertTestKey(value);
    return true;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Runs the walk-through; the caller prints the report and exits with exitCode. */
export async function runInit(
  options: InitOptions,
  ctx: Context,
  deps: InitDeps,
): Promise<InitResult> {
  const flags = await checkFlags(options, deps);
  if (options.yes) deps = { ...deps, prompter: confirmingDefaults(deps.prompter) };
  const say = (line: string) => deps.spinner.line(line);
  const files = await loadFileSettings(ctx.cwd, ctx.env);
  const preset = presetAnswers(options, ctx.env, files);
  say('beacon-quickstart init walks your setup through the five quickstart steps.');

  const cleanups: Array<() => Promise<unknown>> = [];
  const tempDir = options.sandbox
    ? await mkdtemp(join(tmpdir(), 'beacon-quickstart-'))
    : null;
  cleanups.push(async () => tempDir && rm(tempDir, { recursive: true, force: true }));
  try {
    // Sandbox secrets are throwaway: they stay out of the user's vault.
    const vault: SelectedVault = tempDir
      ? sandboxVault(tempDir)
      : await (deps.openVault ?? ((env) => openVault({ env })))(ctx.env);
    if (!tempDir) say(`Secrets: ${describeVault(vault)}`);
    const secrets = new TypedSecrets(vault.store);

    if (!options.sandbox) {
      await secretOrAsk(
        { spec: BEACON_TOKEN, file: options.beaconTokenFile },
        ctx,
        secrets,
        deps.prompter,
      );
      await secretOrAsk(
        { spec: STRIPE_KEY, file: options.stripeKeyFile, check: stripeKeyProblem },
        ctx,
        secrets,
        deps.prompter,
      );
    }
    deps.spinner.start(options.sandbox ? 'Starting the sandbox…' : 'Connecting…');
    const target = await resolveTarget(
      {
        sandbox: options.sandbox,
        scenario: flags.scenario,
        beaconUrl: flags.beaconUrl || undefined,
        stripeUrl: flags.stripeUrl || undefined,
        verbose: options.verbose,
      },
      ctx,
      secrets,
      (line) => say(line),
    );
    deps.spinner.stop();
    cleanups.unshift(() => target.close());
    if (options.sandbox) say(`Sandbox running at ${new URL(target.beaconUrl).origin}`);

    const result = await walkthrough(options, ctx, deps, {
      target,
      vault,
      secrets,
      preset,
      scenario: flags.scenario,
      workDir: tempDir,
      cleanups,
    });
    // Only credentials the services accepted are worth keeping.
    const accepted = credentialsAccepted(result.report);
    if (!ctx.signal.aborted && accepted)
      await offerToStore(options, deps, secrets, vault);
    return result;
  } finally {
    deps.spinner.stop();
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

function sandboxVault(dir: string): SelectedVault {
  const file = new FileSecretStore(dir);
  return { store: file, kind: 'file', file, fallbackReason: 'sandbox run' };
}

interface Session {
  target: ResolvedTarget;
  vault: SelectedVault;
  secrets: TypedSecrets;
  preset: ReturnType<typeof presetAnswers>;
  scenario: ScenarioName | undefined;
  /** The sandbox run's temporary directory (journal, vault); null for real runs. */
  workDir: string | null;
  cleanups: Array<() => Promise<unknown>>;
}

/** Opens the carrier of deliveries; a failure becomes the public-URL check's outcome. */
async function openCarrier(
  kind: TunnelKind,
  options: InitOptions,
  ctx: Context,
  deps: InitDeps,
  session: Session,
  localPort: number,
): Promise<{ tunnel: Tunnel; failure: TunnelError | null }> {
  if (kind === 'none') return { tunnel: loopbackOnly(), failure: null };
  let webhookUrl = options.webhookUrl;
  if (kind === 'url' && !webhookUrl) {
    webhookUrl = await deps.prompter.input({
      message: 'Public HTTPS URL that forwards to this machine (--webhook-url)',
    });
  }
  const ngrokAuthtoken =
    kind === 'ngrok'
      ? await secretOrAsk(
          { spec: NGROK_TOKEN, file: options.ngrokTokenFile },
          ctx,
          session.secrets,
          deps.prompter,
        )
      : null;
  deps.spinner.start(`Opening the ${kind} tunnel…`);
  try {
    const tunnel = await openTunnel(kind, {
      localPort,
      ...(webhookUrl ? { webhookUrl } : {}),
      ngrokAuthtoken,
      stripeSecretKey: session.target.stripeSecretKey,
      ...(deps.resolve ? { resolve: deps.resolve } : {}),
      ...(deps.loadNgrok ? { loadNgrok: deps.loadNgrok } : {}),
      ...(deps.stripeBinary ? { stripeBinary: deps.stripeBinary } : {}),
      env: ctx.env,
    });
    session.cleanups.unshift(() => tunnel.close());
    deps.spinner.line(`Deliveries: ${tunnel.describe()}`);
    return { tunnel, failure: null };
  } catch (error) {
    if (!(error instanceof TunnelError)) throw error;
    return { tunnel: loopbackOnly(), failure: error };
  } finally {
    deps.spinner.stop();
  }
}

async function walkthrough(
  options: InitOptions,
  ctx: Context,
  deps: InitDeps,
  session: Session,
): Promise<InitResult> {
  const { target } = session;
  const say = (line: string) => deps.spinner.line(line);
  const startedAt = ctx.clock.now();
  const log = new ApiLog(
    ctx.clock,
    startedAt,
    options.verbose ? (l) => say(`[api] ${l}`) : undefined,
  );
  const beacon = new BeaconClient({
    baseUrl: target.beaconUrl,
    accessToken: target.accessToken,
    log,
    signal: ctx.signal,
  });
  const stripe = createStripeClient({
    secretKey: target.stripeSecretKey,
    baseUrl: target.stripeUrl,
    log,
  });
  const stripeOnLoopback = isLoopbackHost(new URL(target.stripeUrl).hostname);

  const tokenOrg = target.organizationId ?? (await tokenOrganization(beacon));
  const organizationId =
    target.organizationId && !session.preset.org
      ? target.organizationId
      : await chooseOrganization(session.preset.org, tokenOrg, deps.prompter);
  const { plan, billingCycle } = await choosePlan(session.preset, beacon, deps.prompter);
  // A typed or flagged plan Beacon does not sell is refused before the endpoint exists.
  await checkPlanExists(beacon, plan, billingCycle);
  const tunnelKind = await chooseTunnel(
    options.tunnel,
    {
      ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}),
      stripeOnLoopback,
    },
    deps.prompter,
  );

  const server = await startLocalServer(options.port ?? 0);
  session.cleanups.unshift(() => server.close());
  const { tunnel, failure } = await openCarrier(
    tunnelKind,
    options,
    ctx,
    deps,
    session,
    server.port,
  );

  const onboarding = await ensureChargeable({
    beacon,
    stripe,
    prompter: deps.prompter,
    browser: deps.browser,
    server,
    organizationId,
    sandbox: options.sandbox,
    timeoutMs: options.timeoutSeconds * 1000,
    signal: ctx.signal,
    say,
    skipKey: () => (deps.skipKey ?? listenForSkip)(ctx),
  });
  if (onboarding === 'completed') say('The account can accept charges now.');
  if (onboarding === 'skipped' || onboarding === 'timeout') {
    say('Stopped waiting for onboarding; the Connect checks show what is still due.');
  }

  const payer = await choosePayer(options, deps, log);
  const flowState = initialState();
  const returns = new ReturnCallback(server);
  const { events, probes } = routeReceiver(server, log, flowState, tunnel.signingSecrets);
  const runId = newRunId(startedAt);
  const operationId = newOperationId();
  const journal = await openJournal({
    dir: session.workDir ?? stateDir(ctx.env),
    runId,
    operationId,
    target: target.kind,
    stripeUrl: target.stripeUrl,
    organizationId,
    startedAt,
  });

  const checks = new CheckRecorder(
    () => log.sinceStart(),
    walkthroughProgress(deps.spinner, ctx.colorStderr),
    ctx.signal,
  );
  const flowDeps: FlowDeps = {
    ctx,
    config: {
      target: target.kind,
      organizationId,
      plan,
      billingCycle,
      beaconUrl: target.beaconUrl,
      stripeUrl: target.stripeUrl,
      timeoutMs: options.timeoutSeconds * 1000,
      webhookWaitMs: (options.webhookWaitSeconds ?? (stripeOnLoopback ? 5 : 60)) * 1000,
      ...(session.scenario ? { scenario: session.scenario } : {}),
    },
    beacon,
    stripe,
    log,
    vault: session.vault.store,
    journal,
    server,
    events,
    probes,
    webhook: failure
      ? failedTunnelTarget(tunnelKind, failure)
      : openTunnelTarget(tunnel, server.origin, stripeOnLoopback),
    payer,
    returns,
    checks,
    runId,
    operationId,
    signal: ctx.signal,
    note: say,
  };
  const outcome = await runFlow(flowDeps, flowState);
  deps.spinner.stop();

  const report = buildReport({
    command: 'init',
    toolVersion: toolVersion(),
    runId,
    target: target.kind,
    scenario: session.scenario,
    organizationId: outcome.state.organizationId ?? organizationId,
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
}

/** The organization the token belongs to, as the prompt's default. */
async function tokenOrganization(beacon: BeaconClient): Promise<string | null> {
  try {
    return (await beacon.getToken()).organizationId;
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    // The Connect step reports a rejected token; here it only means no default.
    return null;
  }
}

/** Sandbox: pay with the test card (default) or in the browser. Real: the browser. */
async function choosePayer(
  options: InitOptions,
  deps: InitDeps,
  log: ApiLog,
): Promise<Payer> {
  const browserPayer = new BrowserPayer(deps.browser, (line) => deps.spinner.line(line));
  if (!options.sandbox || options.pay === 'browser') return browserPayer;
  if (options.pay === 'card') return new SandboxHttpPayer(log);
  const useCard = await deps.prompter.confirm({
    message: 'Pay the sandbox checkout with its test card (4242 4242 4242 4242)?',
    default: true,
  });
  return useCard ? new SandboxHttpPayer(log) : browserPayer;
}

/** Beacon took the token and Stripe the key: the checks that use each passed. */
function credentialsAccepted(report: Report): boolean {
  const status = (id: string) =>
    report.steps.flatMap((s) => s.checks).find((c) => c.id === id)?.status;
  return status('connect.token') === 'pass' && status('connect.account') === 'pass';
}

/** Asks before writing typed secrets to the vault; never stores without a yes. */
async function offerToStore(
  options: InitOptions,
  deps: InitDeps,
  secrets: TypedSecrets,
  vault: SelectedVault,
): Promise<void> {
  const names = secrets.typedNames;
  if (names.length === 0 || options.sandbox || !options.store) return;
  const yes = await deps.prompter.confirm({
    message: `Store ${names.join(', ')} in the ${vault.kind} vault for later runs?`,
    default: true,
  });
  if (!yes) return;
  try {
    await secrets.persist();
    deps.spinner.line(`Stored ${names.join(', ')} in ${vault.store.description}.`);
  } catch (error) {
    throw new ConfigError(`Could not store the secrets: ${(error as Error).message}`, {
      suggestion: 'Set them as environment variables instead (see `init --help`).',
    });
  }
}
