/**
 * `stripe listen` driven through execa, with a fake `stripe` script on PATH:
 * readiness and the whsec_ secret come from its stderr, it is stopped on
 * close, and a missing binary or an early exit has its own failure.
 */
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TunnelError } from '../../src/tunnel/errors.js';
import { openStripeCliTunnel } from '../../src/tunnel/stripe-cli.js';

const FAKE_SECRET = 'whsec_fakeclisecret0123456789';

/** Writes an executable `stripe` into a new directory; returns that directory. */
async function fakeStripe(body: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bq-stripe-'));
  const script = join(dir, 'stripe');
  await writeFile(script, `#!/bin/sh\n${body}\n`);
  await chmod(script, 0o755);
  return dir;
}

function env(dir: string): NodeJS.ProcessEnv {
  return { PATH: `${dir}:/usr/bin:/bin` };
}

describe('stripe listen tunnel', () => {
  it('reads the ready line and the secret from stderr, and stops the CLI on close', async () => {
    const dir = await fakeStripe(
      [
        `echo "$@" > "${'$'}(dirname "$0")/args"`,
        `echo "key:${'$'}{STRIPE_API_KEY:-none}" > "${'$'}(dirname "$0")/env"`,
        `trap 'echo stopped > "${'$'}(dirname "$0")/stopped"; exit 0' TERM`,
        `echo "> Ready! Your webhook signing secret is ${FAKE_SECRET} (^C to quit)" >&2`,
        'while true; do sleep 0.1; done',
      ].join('\n'),
    );
    const tunnel = await openStripeCliTunnel({
      localPort: 4242,
      forwardPath: '/webhooks/stripe',
      stripeSecretKey: 'sk_test_fake',
      env: env(dir),
    });
    expect(tunnel.kind).toBe('stripe-cli');
    expect(tunnel.signingSecrets).toEqual([FAKE_SECRET]);
    expect(tunnel.describe()).not.toContain('whsec_');
    const args = await readFile(join(dir, 'args'), 'utf8');
    expect(args.trim()).toBe('listen --forward-to http://127.0.0.1:4242/webhooks/stripe');
    // The key goes through the environment, never the command line.
    expect(args).not.toContain('sk_test_fake');
    expect(await readFile(join(dir, 'env'), 'utf8')).toContain('key:sk_test_fake');

    await tunnel.close();
    expect((await readFile(join(dir, 'stopped'), 'utf8')).trim()).toBe('stopped');
  });

  it('says clearly when the stripe binary is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bq-empty-'));
    const error = await openStripeCliTunnel({
      localPort: 4242,
      forwardPath: '/webhooks/stripe',
      stripeSecretKey: 'sk_test_fake',
      env: { PATH: dir },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TunnelError);
    expect((error as TunnelError).reason).toBe('stripe-cli-missing');
    expect((error as TunnelError).suggestion).toMatch(/Install the Stripe CLI/);
  });

  it('reports a CLI that exits before it is ready', async () => {
    const dir = await fakeStripe(
      'echo "You have not configured API keys yet." >&2; exit 1',
    );
    const error = await openStripeCliTunnel({
      localPort: 4242,
      forwardPath: '/webhooks/stripe',
      stripeSecretKey: 'sk_test_fake',
      env: env(dir),
    }).catch((e: unknown) => e);
    expect((error as TunnelError).reason).toBe('stripe-cli-failed');
  });

  it('gives up on a CLI that never becomes ready, and stops it', async () => {
    const dir = await fakeStripe(
      `trap 'echo stopped > "${'$'}(dirname "$0")/stopped"; exit 0' TERM\nwhile true; do sleep 0.1; done`,
    );
    const error = await openStripeCliTunnel({
      localPort: 4242,
      forwardPath: '/webhooks/stripe',
      stripeSecretKey: 'sk_test_fake',
      env: env(dir),
      timeoutMs: 300,
    }).catch((e: unknown) => e);
    expect((error as TunnelError).reason).toBe('stripe-cli-timeout');
    expect((await readFile(join(dir, 'stopped'), 'utf8')).trim()).toBe('stopped');
  });
});

describe('init with --tunnel stripe-cli', () => {
  it('says in the report that this proves the handler and secret, not public reachability', async () => {
    const { runInit } = await import('../../src/app/init/run.js');
    const { fakeContext } = await import('../helpers/context.js');
    const { fakeBrowser, recordingSpinner, scriptedPrompter } =
      await import('../init/fakes.js');
    const dir = await fakeStripe(
      `echo "> Ready! Your webhook signing secret is ${FAKE_SECRET} (^C to quit)" >&2\n` +
        'while true; do sleep 0.1; done',
    );
    const { report, exitCode } = await runInit(
      {
        sandbox: true,
        tunnel: 'stripe-cli',
        plan: 'plus',
        billingCycle: 'monthly',
        timeoutSeconds: 20,
        verbose: false,
        store: false,
      },
      fakeContext({ env: env(dir) }),
      {
        prompter: scriptedPrompter(),
        browser: fakeBrowser(),
        spinner: recordingSpinner(),
        skipKey: () => ({ pressed: new Promise(() => undefined), stop: () => undefined }),
      },
    );
    const check = report.steps
      .flatMap((s) => s.checks)
      .find((c) => c.id === 'webhooks.public-url');
    expect(check?.status).toBe('warn');
    expect(check?.message).toMatch(
      /proves the handler and the signing secret, not that a public URL/,
    );
    expect(exitCode).toBe(0);
  });
});
