/** `beacon-quickstart validate`: flags only; the work is in app/validate.ts. */
import { Option, type Command } from 'commander';
import { parseSeconds } from '../config/settings.js';
import { ConfigError, UsageError } from '../errors.js';
import { EXIT_CODES_HELP, type CommandRuntime } from './runtime.js';

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
  tunnel?: string;
  ngrokTokenFile?: string;
  timeout: string;
  webhookWait?: string;
  verbose?: boolean;
  resume?: boolean;
  complete?: string;
  junit?: string;
  summary?: string;
  output?: string;
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
    .option(
      '--tunnel <kind>',
      'none, url, ngrok or stripe-cli (default: url with --webhook-url, else none)',
    )
    .option(
      '--ngrok-token-file <path>',
      'read the ngrok authtoken from a file (env NGROK_AUTHTOKEN)',
    )
    .option('--timeout <seconds>', 'bound on the whole run', '120')
    .option('--webhook-wait <seconds>', 'how long to wait for events after payment')
    .option(
      '--complete <mode>',
      'who pays on the checkout page: auto, browser, manual or skip (skip: no payment, ' +
        'the checks that need it are skipped)',
    )
    .option('--junit <file>', 'also write a JUnit XML report (a testcase per check)')
    .option('--summary <file>', 'also write the Markdown summary (as on GitHub)')
    .option(
      '--output <file>',
      'also save the JSON report, for `beacon-quickstart report`',
    )
    .option('--verbose', 'log each API call and delivery to stderr (secrets redacted)')
    .option(
      '--resume',
      'continue the last interrupted run under its Idempotency-Key (not with --sandbox)',
    )
    .addHelpText(
      'after',
      '\nCredentials (real mode): BEACON_ACCESS_TOKEN and STRIPE_SECRET_KEY, or the --…-file flags.\n' +
        EXIT_CODES_HELP +
        'On GitHub Actions (GITHUB_ACTIONS=true) failed checks become ::error annotations\n' +
        'on stderr, and the summary is appended to $GITHUB_STEP_SUMMARY.\n' +
        '\nExamples:\n  beacon-quickstart validate --sandbox\n  beacon-quickstart validate --sandbox --scenario confirm-skipped --json\n' +
        '  beacon-quickstart validate --ci --complete skip --junit junit.xml --output run.json\n',
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
      const { parseCompleteMode } = await import('../app/payers.js');
      const { planOutputs, publishOutputs } = await import('../app/outputs.js');
      const ctx = runtime.context();
      const complete = parseCompleteMode(flags.complete);
      const timeoutSeconds = parseSeconds(flags.timeout, '--timeout');
      // Checked before the run creates anything: a bad path is exit 2, not a lost report.
      const outputs = await planOutputs(
        { junit: flags.junit, summary: flags.summary, output: flags.output },
        ctx,
      );
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
          tunnel: flags.tunnel,
          ngrokTokenFile: flags.ngrokTokenFile,
          timeoutSeconds,
          webhookWaitSeconds: flags.webhookWait
            ? parseSeconds(flags.webhookWait, '--webhook-wait')
            : undefined,
          verbose: Boolean(flags.verbose),
          complete,
          resume: Boolean(flags.resume),
        },
        ctx,
      );
      const failures = await publishOutputs(report, outputs, ctx);
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
      if (failures.length > 0) {
        // The report is already on stdout; the error must not add a second JSON document.
        runtime.setOutputMode({ json: false, verbose: Boolean(flags.verbose) });
        const list = failures.map((f) => `${f.label} ${f.path} (${f.detail})`);
        throw new ConfigError(`Could not write ${list.join('; ')}.`, {
          suggestion: 'The other outputs were written; fix the path and run again.',
        });
      }
    });
}
