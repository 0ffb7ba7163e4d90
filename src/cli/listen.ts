/** `beacon-quickstart listen`: flags only; the work is in app/listen.ts. */
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import type { CommandRuntime } from './runtime.js';

interface ListenFlags {
  tunnel: string;
  webhookUrl?: string;
  ngrokTokenFile?: string;
  stripeKeyFile?: string;
  port: string;
  webhookSecretFile?: string;
  forwardTo?: string;
  json?: boolean;
}

const TUNNELS = ['none', 'ngrok', 'stripe-cli', 'url'];

export function registerListen(program: Command, runtime: CommandRuntime): void {
  program
    .command('listen')
    .description(
      'Receive Stripe webhooks locally, verify each one, print it, optionally forward it',
    )
    .addOption(
      new Option('--tunnel <kind>', 'how deliveries reach this machine')
        .choices(TUNNELS)
        .default('none'),
    )
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', '0')
    .option(
      '--webhook-url <url>',
      'with --tunnel url: your public URL that forwards here',
    )
    .option(
      '--ngrok-token-file <path>',
      'with --tunnel ngrok: the authtoken file (env NGROK_AUTHTOKEN)',
    )
    .option(
      '--stripe-key-file <path>',
      'with --tunnel stripe-cli: the test key (env STRIPE_SECRET_KEY)',
    )
    .option(
      '--webhook-secret-file <path>',
      'read the whsec_ signing secret from a file, or - for stdin',
    )
    .option('--forward-to <url>', 'relay verified deliveries to this URL, byte for byte')
    .option('--json', 'print one JSON object per delivery')
    .addHelpText(
      'after',
      '\nSecret: --webhook-secret-file, env STRIPE_WEBHOOK_SECRET, or the vault entry ' +
        '"webhook-secret:listen".\n' +
        'Deliveries go to POST http://127.0.0.1:PORT/webhooks/stripe. Ctrl-C stops (exit 130).\n' +
        '\nExample:\n  stripe listen --forward-to 127.0.0.1:4242/webhooks/stripe &\n' +
        '  beacon-quickstart listen --port 4242 --webhook-secret-file whsec.txt \\\n' +
        '    --forward-to http://127.0.0.1:3000/webhooks/stripe\n',
    )
    .action(async (flags: ListenFlags) => {
      runtime.setOutputMode({ json: Boolean(flags.json), verbose: false });
      const port = Number(flags.port);
      if (!Number.isInteger(port))
        throw new UsageError(`--port must be a number: ${flags.port}`);
      const { runListen } = await import('../app/listen.js');
      const code = await runListen(
        {
          tunnel: flags.tunnel,
          webhookUrl: flags.webhookUrl,
          ngrokTokenFile: flags.ngrokTokenFile,
          stripeKeyFile: flags.stripeKeyFile,
          port,
          webhookSecretFile: flags.webhookSecretFile,
          forwardTo: flags.forwardTo,
          json: Boolean(flags.json),
        },
        runtime.context(),
      );
      runtime.setExitCode(code);
    });
}
