/** `beacon-quickstart validate`: flags only; the work is in app/validate.ts. */
import { Option, type Command } from 'commander';
import { parseSeconds } from '../config/settings.js';
import { UsageError } from '../errors.js';
import type { CommandRuntime } from './runtime.js';

interface ValidateFlags {
  sandbox?: boolean;
  scenario?: string;
  fiscalRule?: string;
  seed?: string;
  ci?: boolean;
  json?: boolean;
  org?: string;
  plan?: string;
  billingCycle?: string;
  beaconUrl?: string;
  stripeUrl?: string;
  beaconTokenFile?: string;
  stripeKeyFile?: string;
  webhookUrl?: string;
  timeout: string;
  webhookWait?: string;
  verbose?: boolean;
}

export function registerValidate(program: Command, runtime: CommandRuntime): void {
  program
    .command('validate')
    .description('Run the five quickstart steps and report pass/fail with diagnoses')
    .option(
      '--sandbox',
      'run against the embedded Beacon + Stripe sandbox on this machine',
    )
    .option(
      '--scenario <name>',
      'sandbox fault scenario (see `beacon-quickstart scenarios`)',
    )
    .addOption(
      new Option(
        '--fiscal-rule <id>',
        'with --scenario fiscal-invalid: the rule to break',
      ).hideHelp(),
    )
    .addOption(
      new Option('--seed <n>', 'sandbox seed for shuffling and fault choice').hideHelp(),
    )
    .option('--ci', 'no prompts, no animation, bounded by --timeout')
    .option('--json', 'print exactly one JSON report on stdout')
    .option('--org <id>', 'Beacon organization id (env BEACON_ORGANIZATION_ID)')
    .option('--plan <name>', 'plan to check out (env BEACON_PLAN)', undefined)
    .option('--billing-cycle <cycle>', 'monthly or yearly (env BEACON_BILLING_CYCLE)')
    .option('--beacon-url <url>', 'Beacon API base URL (env BEACON_API_URL)')
    .option('--stripe-url <url>', 'Stripe API base URL (env STRIPE_API_URL)')
    .option(
      '--beacon-token-file <path>',
      'read the Beacon token from a file, or - for stdin',
    )
    .option(
      '--stripe-key-file <path>',
      'read the Stripe test key from a file, or - for stdin',
    )
    .option('--webhook-url <url>', 'public HTTPS URL that forwards to this machine')
    .option('--timeout <seconds>', 'bound on the whole run', '120')
    .option('--webhook-wait <seconds>', 'how long to wait for events after payment')
    .option('--verbose', 'log each API call and delivery to stderr (secrets redacted)')
    .addHelpText(
      'after',
      '\nCredentials (real mode): BEACON_ACCESS_TOKEN and STRIPE_SECRET_KEY, or the --…-file flags.\n' +
        'Exit codes: 0 all checks passed, 1 a check failed, 2 usage or configuration error, 130 interrupted.\n' +
        '\nExamples:\n  beacon-quickstart validate --sandbox\n  beacon-quickstart validate --sandbox --scenario confirm-skipped --json\n',
    )
    .action(async (flags: ValidateFlags) => {
      runtime.setOutputMode({
        json: Boolean(flags.json),
        verbose: Boolean(flags.verbose),
      });
      const seed = flags.seed === undefined ? undefined : Number(flags.seed);
      if (seed !== undefined && !Number.isInteger(seed))
        throw new UsageError(`--seed must be an integer: ${flags.seed}`);
      const { runValidate } = await import('../app/validate.js');
      const ctx = runtime.context();
      const { report, exitCode } = await runValidate(
        {
          sandbox: Boolean(flags.sandbox),
          scenario: flags.scenario,
          fiscalRule: flags.fiscalRule,
          seed,
          ci: Boolean(flags.ci) || ctx.ci,
          json: Boolean(flags.json),
          org: flags.org,
          plan: flags.plan,
          billingCycle: flags.billingCycle,
          beaconUrl: flags.beaconUrl,
          stripeUrl: flags.stripeUrl,
          beaconTokenFile: flags.beaconTokenFile,
          stripeKeyFile: flags.stripeKeyFile,
          webhookUrl: flags.webhookUrl,
          timeoutSeconds: parseSeconds(flags.timeout, '--timeout'),
          webhookWaitSeconds: flags.webhookWait
            ? parseSeconds(flags.webhookWait, '--webhook-wait')
            : undefined,
          verbose: Boolean(flags.verbose),
        },
        ctx,
      );
      const { renderJson, renderTerminal } = await import('../report/index.js');
      ctx.stdout.write(
        flags.json
          ? renderJson(report)
          : renderTerminal(report, {
              color: ctx.colorStdout,
              verbose: Boolean(flags.verbose),
            }),
      );
      runtime.setExitCode(exitCode);
    });
}
