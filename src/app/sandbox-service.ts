/** Runs the sandbox until the signal aborts, printing how to reach it. */
import { EXIT, UsageError } from '../errors.js';
import type { Context } from '../io/context.js';
import { isScenarioName, SCENARIO_NAMES } from '../sandbox/scenarios.js';

export interface SandboxServiceOptions {
  port: number;
  scenario: string;
  fiscalRule?: string;
  seed?: number;
  extraOrganizations: number;
  json: boolean;
  verbose: boolean;
}

export async function runSandboxService(
  options: SandboxServiceOptions,
  ctx: Context,
): Promise<number> {
  if (!isScenarioName(options.scenario)) {
    throw new UsageError(`Unknown scenario "${options.scenario}".`, {
      suggestion: `Valid scenarios: ${SCENARIO_NAMES.join(', ')}.`,
    });
  }
  const { startSandbox } = await import('../sandbox/index.js');
  let sandbox;
  try {
    sandbox = await startSandbox({
      scenario: options.scenario,
      port: options.port,
      extraOrganizations: options.extraOrganizations,
      ...(options.fiscalRule ? { fiscalRule: options.fiscalRule } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.verbose
        ? { log: (line: string) => ctx.stderr.write(`[sandbox] ${line}\n`) }
        : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new UsageError(`Port ${options.port} is already in use.`, {
        suggestion: 'Pick another --port, or 0 for a free one.',
      });
    }
    if (error instanceof Error && !code) throw new UsageError(error.message);
    throw error;
  }
  const info = {
    beaconUrl: sandbox.beaconUrl,
    stripeUrl: sandbox.stripeUrl,
    accessToken: sandbox.accessToken,
    stripeSecretKey: sandbox.stripeSecretKey,
    organizationId: sandbox.organizationId,
    inspectUrl: sandbox.inspectUrl,
    scenario: sandbox.scenario,
    organizations: sandbox.organizations,
  };
  // These are throwaway sandbox credentials, printed so that other programs can use them.
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify(info)}\n`);
  } else {
    ctx.stdout.write(
      [
        `Sandbox running (scenario ${sandbox.scenario}). Press Ctrl-C to stop.`,
        `  Beacon URL       ${sandbox.beaconUrl}`,
        `  Stripe URL       ${sandbox.stripeUrl}`,
        `  Organization     ${sandbox.organizationId}`,
        `  Access token     ${sandbox.accessToken}`,
        `  Stripe key       ${sandbox.stripeSecretKey}`,
        `  Inspect          ${sandbox.inspectUrl}`,
        '',
        'Point validate at it:',
        `  BEACON_ACCESS_TOKEN=${sandbox.accessToken} STRIPE_SECRET_KEY=${sandbox.stripeSecretKey} \\`,
        `    beacon-quickstart validate --beacon-url ${sandbox.beaconUrl} --stripe-url ${sandbox.stripeUrl} --org ${sandbox.organizationId}`,
        '',
      ].join('\n'),
    );
  }
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) return resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sandbox.close();
  return EXIT.interrupted;
}
