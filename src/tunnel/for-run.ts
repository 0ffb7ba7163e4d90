/**
 * Opens the carrier a non-interactive run asked for (`--tunnel`,
 * `--webhook-url`) and returns where Stripe should deliver. A tunnel that
 * fails to open becomes the public-URL check's failure, not an abort.
 */
import { NGROK_TOKEN, resolveSecret } from '../config/secrets.js';
import { UsageError } from '../errors.js';
import type { WebhookTarget } from '../flow/types.js';
import type { Context } from '../io/context.js';
import type { SecretStore } from '../vault/store.js';
import { TunnelError } from './errors.js';
import {
  isTunnelKind,
  loopbackOnly,
  openTunnel,
  TUNNEL_KINDS,
  type TunnelKind,
} from './index.js';
import { failedTunnelTarget, openTunnelTarget } from './outcomes.js';

export interface RunTunnelRequest {
  tunnel?: string;
  webhookUrl?: string;
  ngrokTokenFile?: string;
  stripeSecretKey: string;
  localPort: number;
  localOrigin: string;
  stripeOnLoopback: boolean;
}

/** `--tunnel` defaults to `url` when a URL is given, else `none`. */
export function tunnelKindFor(
  tunnel: string | undefined,
  webhookUrl: string | undefined,
): TunnelKind {
  if (tunnel === undefined) return webhookUrl ? 'url' : 'none';
  if (!isTunnelKind(tunnel)) {
    throw new UsageError(
      `--tunnel "${tunnel}" is not one of ${TUNNEL_KINDS.join(', ')}.`,
    );
  }
  if (webhookUrl && tunnel !== 'url') {
    throw new UsageError(`--webhook-url goes with --tunnel url, not --tunnel ${tunnel}.`);
  }
  return tunnel;
}

export interface RunCarrier {
  webhook: WebhookTarget;
  /** Secrets the carrier signs with itself (`stripe listen`); empty otherwise. */
  signingSecrets: readonly string[];
  close: () => Promise<void>;
  describe: string;
}

/** Opens the tunnel; the returned `close` must run on every exit path. */
export async function openRunTunnel(
  request: RunTunnelRequest,
  ctx: Context,
  vault: SecretStore | null,
): Promise<RunCarrier> {
  const kind = tunnelKindFor(request.tunnel, request.webhookUrl);
  if (kind === 'none') {
    const tunnel = loopbackOnly();
    return {
      webhook: openTunnelTarget(tunnel, request.localOrigin, request.stripeOnLoopback),
      signingSecrets: [],
      close: async () => undefined,
      describe: tunnel.describe(),
    };
  }
  const ngrokToken =
    kind === 'ngrok'
      ? await resolveSecret(
          NGROK_TOKEN,
          request.ngrokTokenFile,
          ctx.env,
          vault,
          ctx.stdin,
        )
      : null;
  try {
    const tunnel = await openTunnel(kind, {
      localPort: request.localPort,
      ...(request.webhookUrl ? { webhookUrl: request.webhookUrl } : {}),
      ngrokAuthtoken: ngrokToken?.value ?? null,
      stripeSecretKey: request.stripeSecretKey,
      env: ctx.env,
    });
    return {
      webhook: openTunnelTarget(tunnel, request.localOrigin, request.stripeOnLoopback),
      signingSecrets: tunnel.signingSecrets,
      close: () => tunnel.close(),
      describe: tunnel.describe(),
    };
  } catch (error) {
    if (!(error instanceof TunnelError)) throw error;
    return {
      webhook: failedTunnelTarget(kind, error),
      signingSecrets: [],
      close: async () => undefined,
      describe: kind,
    };
  }
}
