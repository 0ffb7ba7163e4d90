/** One interface for every way Stripe's deliveries can reach this machine. */
export const TUNNEL_KINDS = ['ngrok', 'stripe-cli', 'url', 'none'] as const;
export type TunnelKind = (typeof TUNNEL_KINDS)[number];

export interface Tunnel {
  readonly kind: TunnelKind;
  /**
   * The public base URL that forwards to the local server ('' when nothing
   * public exists: `none`, and `stripe-cli`, which forwards events itself).
   */
  readonly publicUrl: string;
  /** Secrets the forwarded deliveries are signed with (the Stripe CLI's own). */
  readonly signingSecrets: readonly string[];
  /** Idempotent; safe on every exit path. */
  close(): Promise<void>;
  /** One line for people: what carries the deliveries. */
  describe(): string;
}

export function isTunnelKind(value: string): value is TunnelKind {
  return (TUNNEL_KINDS as readonly string[]).includes(value);
}
