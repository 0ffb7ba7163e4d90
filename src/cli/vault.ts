/** `beacon-quickstart vault list|delete|clear`: flags only; the work is in vault/command.ts. */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { promptsAllowed } from '../io/context.js';
import type { CommandRuntime } from './runtime.js';

async function selected(runtime: CommandRuntime) {
  const { openVault } = await import('../vault/select.js');
  return openVault({ env: runtime.context().env });
}

export function registerVault(program: Command, runtime: CommandRuntime): void {
  const vault = program
    .command('vault')
    .description(
      'List or delete the secrets beacon-quickstart keeps (values are never shown)',
    )
    .addHelpText(
      'after',
      '\nSecrets live in the OS keychain when one is available, otherwise in\n' +
        '$XDG_CONFIG_HOME/beacon-quickstart/secrets.json (mode 0600).\n' +
        'BEACON_QUICKSTART_VAULT=keychain|file forces one of them.\n',
    );

  vault
    .command('list')
    .description('Show the names of stored secrets and where each is kept')
    .option('--json', 'print one JSON document')
    .action(async (flags: { json?: boolean }) => {
      runtime.setOutputMode({ json: Boolean(flags.json), verbose: false });
      const { listSecrets } = await import('../vault/command.js');
      const { describeVault } = await import('../vault/select.js');
      const ctx = runtime.context();
      const chosen = await selected(runtime);
      const entries = await listSecrets(chosen);
      if (flags.json) {
        const doc = { store: chosen.store.description, secrets: entries };
        ctx.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
        return;
      }
      ctx.stderr.write(`Vault: ${describeVault(chosen)}\n`);
      if (entries.length === 0) ctx.stderr.write('No secrets stored.\n');
      const width = Math.max(0, ...entries.map((e) => e.name.length));
      for (const entry of entries) {
        ctx.stdout.write(`${entry.name.padEnd(width)}  ${entry.store}\n`);
      }
    });

  vault
    .command('delete <name>')
    .description('Delete one stored secret by name (see `vault list`)')
    .action(async (name: string) => {
      const { deleteSecret } = await import('../vault/command.js');
      const where = await deleteSecret(await selected(runtime), name);
      runtime.context().stderr.write(`Deleted ${name} from ${where.join(' and ')}.\n`);
    });

  vault
    .command('clear')
    .description('Delete every stored secret')
    .option('--yes', 'do not ask for confirmation')
    .action(async (flags: { yes?: boolean }) => {
      const ctx = runtime.context();
      if (!flags.yes) {
        if (!promptsAllowed(ctx)) {
          throw new UsageError(
            'vault clear deletes every stored secret: confirm with --yes.',
          );
        }
        const { inquirerPrompter } = await import('../io/prompt.js');
        const sure = await inquirerPrompter(ctx).confirm({
          message: 'Delete every secret beacon-quickstart has stored?',
          default: false,
        });
        if (!sure) return;
      }
      const { clearSecrets } = await import('../vault/command.js');
      const removed = await clearSecrets(await selected(runtime));
      runtime.context().stderr.write(`Deleted ${removed} stored secret(s).\n`);
    });
}
