/**
 * The one place the Stripe SDK is built: pointed at the target's host, test
 * keys only, bounded retries, and every response recorded in the ApiLog.
 */
import Stripe from 'stripe';
import { ConfigError } from '../errors.js';
import type { ApiLog } from '../io/api-log.js';

export const DEFAULT_STRIPE_URL = 'https://api.stripe.com';

export interface StripeClientOptions {
  secretKey: string;
  /** Base URL of the Stripe API (scheme, host, port); the SDK adds `/v1`. */
  baseUrl?: string;
  /** Acting for a connected account from a platform key. */
  stripeAccount?: string;
  timeoutMs?: number;
  maxNetworkRetries?: number;
  log: ApiLog;
}

/** Refuses anything but a test-mode secret or restricted key. */
export function assertTestKey(key: string): void {
  const trimmed = key.trim();
  if (/^(sk|rk)_live_/.test(trimmed)) {
    throw new ConfigError(
      'The Stripe key is a live-mode key; beacon-quickstart runs in test mode.',
      {
        suggestion:
          'Use a test key (sk_test_… or rk_test_…) from the Stripe dashboard in test mode.',
      },
    );
  }
  if (!/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(trimmed)) {
    throw new ConfigError('The Stripe key is not a Stripe test secret key.', {
      suggestion:
        'Set STRIPE_SECRET_KEY (or --stripe-key-file) to an sk_test_… or rk_test_… key.',
    });
  }
}

/** Splits a base URL into the SDK's host/port/protocol settings. */
export function stripeHostConfig(baseUrl: string) {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(`--stripe-url is not a URL: ${baseUrl}`, {
      suggestion:
        'Give a base URL such as https://api.stripe.com or http://127.0.0.1:12111.',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`--stripe-url must be http or https: ${baseUrl}`);
  }
  if (url.username || url.password) {
    throw new ConfigError('--stripe-url must not carry credentials.');
  }
  const protocol = url.protocol === 'https:' ? ('https' as const) : ('http' as const);
  const port = url.port ? Number(url.port) : protocol === 'https' ? 443 : 80;
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port, protocol };
}

/** Builds the SDK client for the target. */
export function createStripeClient(options: StripeClientOptions): Stripe {
  assertTestKey(options.secretKey);
  const stripe = new Stripe(options.secretKey.trim(), {
    ...stripeHostConfig(options.baseUrl ?? DEFAULT_STRIPE_URL),
    maxNetworkRetries: options.maxNetworkRetries ?? 3,
    timeout: options.timeoutMs ?? 20_000,
    telemetry: false,
    appInfo: { name: 'beacon-quickstart' },
    ...(options.stripeAccount ? { stripeAccount: options.stripeAccount } : {}),
  });
  const { log } = options;
  stripe.on('response', (event: Stripe.ResponseEvent) => {
    log.record({
      service: 'stripe',
      method: event.method,
      path: event.path,
      status: event.status,
      requestId: event.request_id,
      idempotencyKey: event.idempotency_key ?? null,
      startedAtMs: log.sinceStart(event.request_start_time),
      durationMs: event.elapsed,
      attempt: 1,
    });
  });
  return stripe;
}

/** Notes the `Date` header of an SDK result, for clock-skew checks. */
export function observeStripeDate(
  log: ApiLog,
  result: { lastResponse?: { headers?: unknown } },
) {
  const headers = result.lastResponse?.headers as Record<string, string> | undefined;
  log.observeDate('stripe', headers?.date ?? null);
}
