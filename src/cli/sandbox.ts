/** `beacon-quickstart sandbox`: the emulator as a standalone service, until Ctrl-C. */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { CommandRuntime } from './runtime.js';

interface SandboxFlags {
  port: string;
  scenario: string;
  fiscalRule?: string;
  seed?: string;
  orgs: string;
  json?: boolean;
  verbose?: boolean;
}

export function registerSandbox(program: Command, runtime: CommandRuntime): void {
  program
    .command('sandbox')
    .description(
      'Run the Beacon + Stripe sandbox on loopback for your own code and other commands',
    )
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', '0')
    .option(
      '--scenario <name>',
      'fault scenario (see `beacon-quickstart scenarios`)',
      'happy',
    )
    .option('--fiscal-rule <id>', 'with --scenario fiscal-invalid: the rule to break')
    .option('--seed <n>', 'seed for shuffling and fault choice')
    .option(
      '--orgs <n>',
      'extra organizations to seed, each with its own credentials',
      '0',
    )
    .option('--json', 'print the connection details as one JSON line first')
    .option('--verbose', 'log what the sandbox does to stderr')
    .action(async (flags: SandboxFlags) => {
      runtime.setOutputMode({
        json: Boolean(flags.json),
        verbose: Boolean(flags.verbose),
      });
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UsageError(`--port must be 0 to 65535: ${flags.port}`);
      }
      const orgs = Number(flags.orgs);
      if (!Number.isInteger(orgs) || orgs < 0 || orgs > 1000) {
        throw new UsageError(`--orgs must be 0 to 1000: ${flags.orgs}`);
      }
      const seed = flags.seed === undefined ? undefined : Number(flags.seed);
      if (seed !== undefined && !Number.isInteger(seed))
        throw new UsageError(`--seed must be an integer: ${flags.seed}`);
      const { runSandboxService } = await import('../app/sandbox-service.js');
      const code = await runSandboxService(
        {
          port,
          scenario: flags.scenario,
          fiscalRule: flags.fiscalRule,
          seed,
          extraOrganizations: orgs,
          json: Boolean(flags.json),
          verbose: Boolean(flags.verbose),
        },
        runtime.context(),
      );
      runtime.setExitCode(code);
    });
}
