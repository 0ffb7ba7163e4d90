/**
 * Why a tunnel could not be opened, as data: each failure has a reason code
 * (the diagnosis table keys on it), what it means, and what to do. ngrok's
 * own `ERR_NGROK_…` codes map one to one.
 */
import { ConfigError } from '../errors.js';

export interface TunnelFailureKind {
  reason: string;
  meaning: string;
  action: string;
  command?: string;
}

/** ngrok's error codes (without the ERR_NGROK_ prefix) and what each asks of the user. */
export const NGROK_FAILURES: Readonly<Record<string, TunnelFailureKind>> = {
  '4018': {
    reason: 'ngrok-4018',
    meaning: 'ngrok needs an authtoken and none was given.',
    action:
      'Set NGROK_AUTHTOKEN to the authtoken from the ngrok dashboard (or let init store ' +
      'it in the vault), then run again.',
  },
  '105': {
    reason: 'ngrok-105',
    meaning: 'The ngrok authtoken is malformed.',
    action:
      'Copy the authtoken again from the ngrok dashboard (the whole value, no spaces) ' +
      'and replace the stored one.',
    command: 'beacon-quickstart vault delete ngrok-authtoken',
  },
  '107': {
    reason: 'ngrok-107',
    meaning: 'ngrok refused the authtoken: it is invalid or was revoked.',
    action: 'Create a new authtoken in the ngrok dashboard and replace the stored one.',
    command: 'beacon-quickstart vault delete ngrok-authtoken',
  },
  '108': {
    reason: 'ngrok-108',
    meaning: 'The ngrok account already runs as many agent sessions as its plan allows.',
    action:
      'Stop the other ngrok agents on this account (ngrok dashboard: Agents), or use ' +
      '--tunnel stripe-cli or --webhook-url.',
  },
  '313': {
    reason: 'ngrok-313',
    meaning: 'The requested ngrok domain needs a reserved domain on a paid plan.',
    action:
      'Reserve the domain in the ngrok dashboard, or run without a custom domain so ' +
      'ngrok assigns one.',
  },
  '334': {
    reason: 'ngrok-334',
    meaning: 'The ngrok domain is already served by another agent session.',
    action:
      'Stop the other agent that serves this domain (ngrok dashboard: Endpoints), ' +
      'then run again.',
  },
  '121': {
    reason: 'ngrok-121',
    meaning: 'The ngrok service refuses this agent version as too old.',
    action: 'Update beacon-quickstart, which brings a current @ngrok/ngrok agent.',
  },
  '8012': {
    reason: 'ngrok-8012',
    meaning: 'ngrok reached the tunnel but nothing answered on the local port.',
    action:
      'Keep the run alive while Stripe delivers; make sure nothing else stopped the ' +
      'local receiver, then run again.',
  },
};

/** Failures that are not ngrok codes: timeouts, the Stripe CLI, unknown codes. */
export const OTHER_TUNNEL_FAILURES: Readonly<Record<string, TunnelFailureKind>> = {
  'ngrok-timeout': {
    reason: 'ngrok-timeout',
    meaning: 'ngrok did not open a tunnel in time.',
    action:
      'Check that this machine reaches the ngrok service (proxy, firewall), or use ' +
      '--webhook-url with a URL you already have.',
  },
  'ngrok-error': {
    reason: 'ngrok-error',
    meaning: 'ngrok failed with an error this tool does not know.',
    action: 'Look the ERR_NGROK code up in the ngrok error reference, then run again.',
  },
  'stripe-cli-missing': {
    reason: 'stripe-cli-missing',
    meaning: 'The stripe command is not installed or not on PATH.',
    action:
      'Install the Stripe CLI (https://docs.stripe.com/stripe-cli) and log in, or ' +
      'choose another --tunnel.',
  },
  'stripe-cli-failed': {
    reason: 'stripe-cli-failed',
    meaning: '`stripe listen` stopped before it was ready.',
    action: 'Run `stripe listen` by hand to see its error (often: not logged in).',
    command: 'stripe login',
  },
  'stripe-cli-timeout': {
    reason: 'stripe-cli-timeout',
    meaning: '`stripe listen` did not report it was ready in time.',
    action: 'Run `stripe listen` by hand to see whether it connects.',
  },
};

/** A tunnel that could not be opened; `reason` keys the diagnosis. */
export class TunnelError extends ConfigError {
  constructor(
    readonly kind: TunnelFailureKind,
    readonly code: string | null,
    detail?: string,
  ) {
    super(detail ? `${kind.meaning} (${detail})` : kind.meaning, {
      suggestion: kind.action,
    });
  }

  get reason(): string {
    return this.kind.reason;
  }
}

/** Maps an error from @ngrok/ngrok (it carries `errorCode: 'ERR_NGROK_…'`). */
export function ngrokFailure(error: unknown): TunnelError {
  const raw = (error as { errorCode?: unknown } | null)?.errorCode;
  const code = typeof raw === 'string' ? raw.replace(/^ERR_NGROK_/, '') : null;
  const known = code ? NGROK_FAILURES[code] : undefined;
  if (known) return new TunnelError(known, `ERR_NGROK_${code}`);
  const unknown = OTHER_TUNNEL_FAILURES['ngrok-error']!;
  return new TunnelError(unknown, code ? `ERR_NGROK_${code}` : null, code ?? undefined);
}

/** Every failure kind, for the diagnosis table. */
export function allTunnelFailures(): TunnelFailureKind[] {
  return [...Object.values(NGROK_FAILURES), ...Object.values(OTHER_TUNNEL_FAILURES)];
}
