/**
 * Verifies one delivery on its raw bytes with the Stripe SDK, and explains a
 * rejection with a stable reason code that the diagnoses key on.
 */
import { isUtf8 } from 'node:buffer';
import Stripe from 'stripe';

export type RejectionReason =
  | 'missing-signature'
  | 'malformed-signature'
  | 'signature-mismatch'
  | 'timestamp-outside-tolerance'
  | 'empty-body'
  | 'invalid-json'
  | 'invalid-encoding'
  | 'not-an-event';

export type Verification =
  | { ok: true; event: Stripe.Event; signedAt: number | null }
  | { ok: false; reason: RejectionReason; detail: string; signedAt: number | null };

export interface VerifyOptions {
  /** Seconds; Stripe's default is 300. */
  tolerance?: number;
  /** Milliseconds since the epoch at receipt (injected by tests); the SDK takes ms. */
  receivedAtMs?: number;
}

/** The `t=` of a signature header, for evidence only (never for trust). */
export function signatureTimestamp(header: string | undefined): number | null {
  const match = header?.match(/(?:^|,)t=(\d{1,12})(?:,|$)/);
  return match ? Number(match[1]) : null;
}

/** Maps the SDK's messages to reasons; matched by stable prefixes, not whole text. */
function classify(error: unknown): { reason: RejectionReason; detail: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof SyntaxError) return { reason: 'invalid-json', detail: message };
  const rules: Array<[string, RejectionReason]> = [
    ['No webhook payload was provided', 'empty-body'],
    ['No stripe-signature header value', 'missing-signature'],
    ['Unable to extract timestamp and signatures', 'malformed-signature'],
    ['No signatures found with expected scheme', 'malformed-signature'],
    ['Timestamp outside the tolerance zone', 'timestamp-outside-tolerance'],
    ['No signatures found matching the expected signature', 'signature-mismatch'],
  ];
  const found = rules.find(([prefix]) => message.includes(prefix));
  return {
    reason: found?.[1] ?? 'malformed-signature',
    detail: message.split('\n')[0] ?? '',
  };
}

/**
 * Tries each active secret (Stripe signs with old and new while rolling);
 * the most telling rejection wins when none verifies.
 */
export function verifyDelivery(
  raw: Buffer,
  header: string | undefined,
  secrets: readonly string[],
  options: VerifyOptions = {},
): Verification {
  const signedAt = signatureTimestamp(header);
  // Stripe sends UTF-8 JSON; the SDK would decode other bytes lossily and report a mismatch.
  if (raw.length > 0 && !isUtf8(raw)) {
    return {
      ok: false,
      reason: 'invalid-encoding',
      detail: 'The body is not UTF-8',
      signedAt,
    };
  }
  // stripe-node 23 treats 0 as "no tolerance at all": never let that through.
  const tolerance = Math.max(1, options.tolerance ?? 300);
  let rejection: { reason: RejectionReason; detail: string } = {
    reason: 'signature-mismatch',
    detail: 'No signing secret is configured',
  };
  for (const secret of secrets) {
    try {
      const event = Stripe.webhooks.constructEvent(
        raw,
        header ?? '',
        secret,
        tolerance,
        undefined,
        options.receivedAtMs,
      );
      const ahead = aheadSeconds(header, options.receivedAtMs);
      // The SDK bounds only the past; a signature from far ahead is refused the same way.
      if (ahead > tolerance) {
        return {
          ok: false,
          reason: 'timestamp-outside-tolerance',
          detail: `Signed ${Math.round(ahead)} s in the future (tolerance ${tolerance} s)`,
          signedAt,
        };
      }
      if (!looksLikeEvent(event)) {
        return {
          ok: false,
          reason: 'not-an-event',
          detail: 'Correctly signed, but not an event object with an id and a type',
          signedAt,
        };
      }
      return { ok: true, event, signedAt };
    } catch (error) {
      const next = classify(error);
      // A timestamp rejection proves the secret matched, so it explains more.
      if (
        next.reason !== 'signature-mismatch' ||
        rejection.reason === 'signature-mismatch'
      ) {
        rejection = next;
      }
    }
  }
  if (raw.length === 0) rejection = { reason: 'empty-body', detail: 'Empty body' };
  return { ok: false, ...rejection, signedAt };
}

/** How far ahead of receipt the latest `t=` of the header is (a repeated `t` must not hide one). */
function aheadSeconds(
  header: string | undefined,
  receivedAtMs: number | undefined,
): number {
  const stamps = [...(header ?? '').matchAll(/(?:^|,)\s*t=(\d{1,12})/g)].map((m) =>
    Number(m[1]),
  );
  if (stamps.length === 0) return 0;
  return Math.max(...stamps) - (receivedAtMs ?? Date.now()) / 1000;
}

/** A verified body still has to be an event before anyone counts or forwards it. */
function looksLikeEvent(value: unknown): value is Stripe.Event {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { id, type, object } = value as {
    id?: unknown;
    type?: unknown;
    object?: unknown;
  };
  const typed = (typeof type === 'string' && type.length > 0) || object === 'event';
  return typeof id === 'string' && id.length > 0 && typed;
}
