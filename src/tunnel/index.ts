/**
 * Opens the chosen carrier for webhook deliveries and turns it into the
 * webhook target the flow registers and probes.
 */
import type { WebhookTarget } from '../flow/types.js';
import { UsageError } from '../errors.js';
import { openNgrokTunnel, type NgrokModule } from './ngrok.js';
import { openStripeCliTunnel } from './stripe-cli.js';
import type { Tunnel, TunnelKind } from './types.js';
import { checkPublicWebhookUrl, type Resolver } from './url-check.js';

export type { Tunnel, TunnelKind } from './types.js';
export { isTunnelKind, TUNNEL_KINDS } from './types.js';

import { RECEIVER_PATH } from '../webhooks/run-receiver.js';
export { RECEIVER_PATH };

export interface TunnelOptions {
  localPort: number;
  /** For `url`: the user's public URL. */
  webhookUrl?: string;
  ngrokAuthtoken?: string | null;
  /** For `stripe-cli`. */
  stripeSecretKey?: string;
  resolve?: Resolver;
  loadNgrok?: () => Promise<NgrokModule>;
  stripeBinary?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

function fixed(kind: TunnelKind, publicUrl: string, text: string): Tunnel {
  return {
    kind,
    publicUrl,
    signingSecrets: [],
    close: async () => undefined,
    describe: () => text,
  };
}

/** No tunnel: deliveries reach the receiver only when Stripe runs on this machine. */
export function loopbackOnly(): Tunnel {
  return fixed('none', '', 'loopback only');
}

/** A public URL the user already has; check it first with checkPublicWebhookUrl. */
export function givenUrl(checkedUrl: string): Tunnel {
  return fixed('url', checkedUrl, `your URL ${checkedUrl}`);
}

/** Opens a tunnel of `kind` to the local server; the caller closes it. */
export async function openTunnel(
  kind: TunnelKind,
  options: TunnelOptions,
): Promise<Tunnel> {
  switch (kind) {
    case 'none':
      return loopbackOnly();
    case 'url': {
      if (!options.webhookUrl) {
        throw new UsageError('--tunnel url needs --webhook-url URL.');
      }
      return givenUrl(await checkPublicWebhookUrl(options.webhookUrl, options.resolve));
    }
    case 'ngrok':
      return openNgrokTunnel({
        localPort: options.localPort,
        authtoken: options.ngrokAuthtoken ?? null,
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.loadNgrok ? { load: options.loadNgrok } : {}),
      });
    case 'stripe-cli':
      if (!options.stripeSecretKey) {
        throw new UsageError('--tunnel stripe-cli needs the Stripe secret key.');
      }
      return openStripeCliTunnel({
        localPort: options.localPort,
        forwardPath: RECEIVER_PATH,
        stripeSecretKey: options.stripeSecretKey,
        ...(options.stripeBinary ? { binary: options.stripeBinary } : {}),
        ...(options.env ? { env: options.env } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      });
  }
}

/**
 * Where Stripe delivers for a tunnel. A given URL is used as typed: it is
 * the user's own forwarder and already names its path. Without a tunnel the
 * loopback receiver serves only a Stripe that runs on this machine.
 */
export function webhookTargetFor(
  tunnel: Tunnel,
  localOrigin: string,
  stripeOnLoopback: boolean,
): WebhookTarget {
  const local = { url: `${localOrigin}${RECEIVER_PATH}`, kind: 'loopback' as const };
  switch (tunnel.kind) {
    case 'url':
      return { url: tunnel.publicUrl, kind: 'given' };
    case 'ngrok':
      return { url: `${tunnel.publicUrl}${RECEIVER_PATH}`, kind: 'tunnel' };
    case 'stripe-cli':
      return local;
    case 'none':
      if (stripeOnLoopback) return local;
      return {
        url: '',
        kind: 'none',
        unavailableReason:
          'Stripe needs a public HTTPS URL to deliver webhooks: pass --webhook-url, ' +
          'use --tunnel ngrok or stripe-cli, or use --sandbox',
      };
  }
}
