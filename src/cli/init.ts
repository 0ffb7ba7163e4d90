/** `beacon-quickstart init`: flags and the terminal guard; the work is in app/init/. */
import { Option, type Command } from 'commander';
import { parseSeconds } from '../config/settings.js';
import { UsageError } from '../errors.js';
import { promptsAllowed } from '../io/context.js';
import { EXIT_CODES_HELP, type CommandRuntime } from './runtime.js';

interface InitFlags {
  sandbox?: boolean;
  scenario?: string;
  org?: string;
  plan?: string;
  billingCycle?: string;
  beaconUrl?: string;
  stripeUrl?: string;
  beaconTokenFile?: string;
  stripeKeyFile?: string;
  ngrokTokenFile?: string;
  tunnel?: string;
  webhookUrl?: string;
  port?: string;
  timeout: string;
  webhookWait?: string;
  store: boolean;
  browser: boolean;
  pay?: string;
  yes?: boolean;
  verbose?: boolean;
}

/** init is a conversation: without a terminal it stops at once and names the CI path. */
function refuseWithoutTerminal(): never {
  throw new UsageError(
    'init is interactive: it needs a terminal on stdin and stdout, outside CI.',
    {
      suggestion:
        'In scripts and CI run `beacon-quickstart validate --ci` with BEACON_ACCESS_TOKEN, ' +
        'STRIPE_SECRET_KEY and BEACON_ORGANIZATION_ID set (or `validate --ci --sandbox`).',
    },
  );
}

export function registerInit(program: Command, runtime: CommandRuntime): void {
  program
    .command('init')
    .description('Walk through the five quickstart steps interactively, then report')
    .option('--sandbox', 'use the embedded Beacon + Stripe sandbox on this machine')
    .addOption(new Option('--scenario <name>', 'sandbox fault scenario').hideHelp())
    .option('--org <id>', 'Beacon organization id (env BEACON_ORGANIZATION_ID)')
    .option('--plan <name>', 'plan to check out (env BEACON_PLAN)')
    .option('--billing-cycle <cycle>', 'monthly or yearly (env BEACON_BILLING_CYCLE)')
    .option('--beacon-url <url>', 'Beacon API base URL (env BEACON_API_URL)')
    .option('--stripe-url <url>', 'Stripe API base URL (env STRIPE_API_URL)')
    .option('--beacon-token-file <path>', 'read the Beacon token from a file')
    .option('--stripe-key-file <path>', 'read the Stripe test key from a file')
    .option(
      '--ngrok-token-file <path>',
      'read the ngrok authtoken from a file (env NGROK_AUTHTOKEN)',
    )
    .option(
      '--tunnel <kind>',
      'how Stripe reaches this machine: ngrok, stripe-cli, url or none',
    )
    .option(
      '--webhook-url <url>',
      'public HTTPS URL that forwards to this machine (--tunnel url)',
    )
    .option('--port <n>', 'local receiver port, for a forwarder you run yourself')
    .option(
      '--timeout <seconds>',
      'bound on each wait for a person (onboarding, payment)',
      '900',
    )
    .option('--webhook-wait <seconds>', 'how long to wait for events after payment')
    .option('--no-store', 'never offer to store typed secrets in the vault')
    .addOption(
      new Option(
        '--pay <how>',
        'sandbox payment: the test card, or in the browser',
      ).choices(['card', 'browser']),
    )
    .option('--yes', 'take the default answer of every yes/no question')
    .option('--no-browser', 'print URLs instead of opening the browser')
    .option('--verbose', 'log each API call and delivery to stderr (secrets redacted)')
    .addHelpText(
      'after',
      '\nAsks only for what flags, environment, config files and the vault leave open.\n' +
        'Needs a terminal; in CI use `beacon-quickstart validate --ci`.\n' +
        EXIT_CODES_HELP +
        '\nExamples:\n  beacon-quickstart init --sandbox\n  beacon-quickstart init --tunnel ngrok\n',
    )
    .action(async (flags: InitFlags) => {
      const ctx = runtime.context();
      runtime.setOutputMode({ json: false, verbose: Boolean(flags.verbose) });
      if (!promptsAllowed(ctx)) refuseWithoutTerminal();
      const timeoutSeconds = parseSeconds(flags.timeout, '--timeout', 7200);
      const port = flags.port === undefined ? undefined : Number(flags.port);
      if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
        throw new UsageError(`--port must be a TCP port number: ${flags.port}`);
      }
      const webhookWaitSeconds = flags.webhookWait
        ? parseSeconds(flags.webhookWait, '--webhook-wait')
        : undefined;

      const [{ runInit }, { inquirerPrompter }, { createSpinner }, browsers] =
        await Promise.all([
          import('../app/init/run.js'),
          import('../io/prompt.js'),
          import('../io/spinner.js'),
          import('../io/browser.js'),
        ]);
      const { report, exitCode } = await runInit(
        {
          sandbox: Boolean(flags.sandbox),
          scenario: flags.scenario,
          org: flags.org,
          plan: flags.plan,
          billingCycle: flags.billingCycle,
          beaconUrl: flags.beaconUrl,
          stripeUrl: flags.stripeUrl,
          beaconTokenFile: flags.beaconTokenFile,
          stripeKeyFile: flags.stripeKeyFile,
          ngrokTokenFile: flags.ngrokTokenFile,
          tunnel: flags.tunnel,
          webhookUrl: flags.webhookUrl,
          ...(port !== undefined ? { port } : {}),
          timeoutSeconds,
          webhookWaitSeconds,
          verbose: Boolean(flags.verbose),
          store: flags.store,
          ...(flags.pay === 'card' || flags.pay === 'browser' ? { pay: flags.pay } : {}),
          yes: Boolean(flags.yes),
        },
        ctx,
        {
          prompter: inquirerPrompter(ctx),
          browser: flags.browser ? browsers.systemBrowser(ctx) : browsers.noBrowser,
          spinner: await createSpinner(ctx),
        },
      );
      const { renderTerminal } = await import('../report/index.js');
      ctx.stdout.write(
        renderTerminal(report, {
          color: ctx.colorStdout,
          verbose: Boolean(flags.verbose),
        }),
      );
      runtime.setExitCode(exitCode);
    });
}
