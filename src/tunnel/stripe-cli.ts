/**
 * `stripe listen` as the carrier: the Stripe CLI receives the account's
 * events and forwards them to the local receiver, signed with its own
 * whsec_ secret. It proves the handler and the secret, not that a public URL
 * reaches this machine.
 */
import type { ResultPromise } from 'execa';
import { OTHER_TUNNEL_FAILURES, TunnelError } from './errors.js';
import type { Tunnel } from './types.js';

export interface StripeCliOptions {
  localPort: number;
  /** Where the receiver listens, e.g. /webhooks/stripe. */
  forwardPath: string;
  /** Passed in the environment, never on the command line (process lists). */
  stripeSecretKey: string;
  binary?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const READY = /Ready!/;
const SECRET = /\bwhsec_[A-Za-z0-9]+/;
const DEFAULT_TIMEOUT_MS = 30_000;

function failure(key: string, detail?: string): TunnelError {
  return new TunnelError(OTHER_TUNNEL_FAILURES[key]!, null, detail);
}

/** Reads stderr until the ready line and the secret have both appeared. */
function waitForReady(child: ResultPromise, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let secret: string | null = null;
    const finish = (error: TunnelError | null) => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      if (error) reject(error);
      else resolve(secret!);
    };
    const onData = (chunk: Buffer) => {
      // Keep a bounded tail: the secret and the ready line come early.
      seen = (seen + chunk.toString('utf8')).slice(-8192);
      secret ??= seen.match(SECRET)?.[0] ?? null;
      if (secret && READY.test(seen)) finish(null);
    };
    const timer = setTimeout(
      () => finish(failure('stripe-cli-timeout', `${timeoutMs} ms`)),
      timeoutMs,
    );
    child.stderr?.on('data', onData);
    child.then(
      (result) => finish(failure('stripe-cli-failed', `exit ${result.exitCode}`)),
      (error: NodeJS.ErrnoException & { exitCode?: number }) =>
        finish(
          error.code === 'ENOENT'
            ? failure('stripe-cli-missing')
            : failure('stripe-cli-failed', `exit ${error.exitCode ?? 'unknown'}`),
        ),
    );
  });
}

/** Starts `stripe listen --forward-to` the local receiver and waits until it is ready. */
export async function openStripeCliTunnel(options: StripeCliOptions): Promise<Tunnel> {
  const { execa } = await import('execa');
  const target = `http://127.0.0.1:${options.localPort}${options.forwardPath}`;
  const child = execa(options.binary ?? 'stripe', ['listen', '--forward-to', target], {
    env: { ...(options.env ?? process.env), STRIPE_API_KEY: options.stripeSecretKey },
    extendEnv: false,
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
    reject: true,
    // Stop it if this process dies without running its cleanup.
    cleanup: true,
    forceKillAfterDelay: 3_000,
  });
  let stopped = false;
  const close = async () => {
    if (stopped) return;
    stopped = true;
    child.kill('SIGTERM');
    await child.catch(() => undefined);
  };
  let secret: string;
  try {
    secret = await waitForReady(child, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  } catch (error) {
    await close();
    throw error;
  }
  // Keep draining stderr so the child never blocks on a full pipe.
  child.stderr?.resume();
  return {
    kind: 'stripe-cli',
    publicUrl: '',
    signingSecrets: [secret],
    close,
    describe: () => `stripe listen → ${target}`,
  };
}
