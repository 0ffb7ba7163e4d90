/** `beacon-quickstart diagnose`: flags only; the work is in app/diagnose/. */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { CommandRuntime } from './runtime.js';

interface DiagnoseFlags {
  org?: string;
  orgs?: string;
  credentialsFile?: string;
  concurrency: string;
  outDir?: string;
  checkoutSession?: string;
  subscription?: string;
  stripeAccount?: string;
  beaconUrl?: string;
  stripeUrl?: string;
  beaconTokenFile?: string;
  stripeKeyFile?: string;
  bundle?: string;
  recent: string;
  json?: boolean;
  verbose?: boolean;
}

function integer(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n))
    throw new UsageError(`${flag} must be a whole number: ${value}`);
  return n;
}

export function registerDiagnose(program: Command, runtime: CommandRuntime): void {
  program
    .command('diagnose')
    .description(
      "Read-only checks of an organization's existing setup, with the same diagnoses",
    )
    .option('--org <id>', 'Beacon organization id (env BEACON_ORGANIZATION_ID)')
    .option('--orgs <file>', 'diagnose every organization in FILE (one id a line)')
    .option(
      '--credentials-file <file>',
      'with --orgs: JSON {"org_…": {"beaconToken", "stripeKey", "stripeAccount"}}',
    )
    .option(
      '--concurrency <n>',
      'with --orgs: organizations diagnosed at once (1-64)',
      '4',
    )
    .option(
      '--out-dir <dir>',
      'with --orgs: where each report is saved (default: state dir)',
    )
    .option('--checkout-session <cs_id>', 'focus on one checkout session')
    .option('--subscription <sub_id>', 'focus on one subscription')
    .option(
      '--stripe-account <acct_id>',
      'act for this connected account from a platform key (sends Stripe-Account)',
    )
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
    .option('--bundle <file.tar.gz>', 'also write a redacted support bundle')
    .option('--recent <n>', 'recent checkout sessions and events to read (1-100)', '20')
    .option('--json', 'print exactly one JSON document on stdout')
    .option('--verbose', 'log each API call to stderr (secrets redacted)')
    .addHelpText(
      'after',
      [
        '',
        'Nothing is created or changed: diagnose only reads from Beacon and Stripe.',
        'Credentials: BEACON_ACCESS_TOKEN and STRIPE_SECRET_KEY, the --…-file flags,',
        'or the vault. With --orgs, --credentials-file gives organizations their own.',
        'Exit codes: 0 all checks passed, 1 a check failed, 2 usage or configuration',
        'error, 130 interrupted.',
        '',
        'Examples:',
        '  beacon-quickstart diagnose --org org_123 --bundle ticket-4711.tar.gz',
        '  beacon-quickstart diagnose --orgs customers.txt --concurrency 8',
        '',
      ].join('\n'),
    )
    .action(async (flags: DiagnoseFlags) => {
      runtime.setOutputMode({
        json: Boolean(flags.json),
        verbose: Boolean(flags.verbose),
      });
      const { runDiagnose } = await import('../app/diagnose/run.js');
      const code = await runDiagnose(
        {
          org: flags.org,
          orgsFile: flags.orgs,
          credentialsFile: flags.credentialsFile,
          concurrency: integer(flags.concurrency, '--concurrency'),
          outDir: flags.outDir,
          checkoutSession: flags.checkoutSession,
          subscription: flags.subscription,
          stripeAccount: flags.stripeAccount,
          beaconUrl: flags.beaconUrl,
          stripeUrl: flags.stripeUrl,
          beaconTokenFile: flags.beaconTokenFile,
          stripeKeyFile: flags.stripeKeyFile,
          bundle: flags.bundle,
          recent: integer(flags.recent, '--recent'),
          json: Boolean(flags.json),
          verbose: Boolean(flags.verbose),
        },
        runtime.context(),
      );
      runtime.setExitCode(code);
    });
}
