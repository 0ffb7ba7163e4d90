/** How an opened (or failed) carrier shows in the public-URL check. */
import { fail, warn } from '../flow/outcome.js';
import type { WebhookTarget } from '../flow/types.js';
import type { TunnelError } from './errors.js';
import type { Tunnel } from './types.js';
import { webhookTargetFor } from './index.js';

/** The target for a tunnel that failed to open: no URL, and the failure as the check's outcome. */
export function failedTunnelTarget(kind: string, error: TunnelError): WebhookTarget {
  return {
    url: '',
    kind: 'none',
    unavailableReason: error.message,
    preset: fail(`The ${kind} tunnel did not open: ${error.message}`, error.reason, {
      tunnel: kind,
      code: error.code,
      action: error.suggestion ?? null,
    }),
  };
}

/** The target for an open tunnel; `stripe listen` proves the handler and secret only. */
export function openTunnelTarget(
  tunnel: Tunnel,
  localOrigin: string,
  stripeOnLoopback: boolean,
): WebhookTarget {
  const target = webhookTargetFor(tunnel, localOrigin, stripeOnLoopback);
  if (tunnel.kind !== 'stripe-cli') return target;
  return {
    ...target,
    preset: warn(
      'stripe listen forwards the events: this proves the handler and the signing ' +
        'secret, not that a public URL reaches this machine',
      { tunnel: tunnel.kind, via: tunnel.describe() },
    ),
  };
}
