/** Stripe-Signature headers, built the way Stripe builds them. */
import { createHmac, randomBytes } from 'node:crypto';

/** HMAC-SHA256 hex of `<t>.<payload>` keyed by the whole whsec_ string. */
export function signPayload(payload: string, secret: string, timestamp: number): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.${payload}`, 'utf8')
    .digest('hex');
}

/** `t=…,v1=…,v0=…`; v0 is random, as in test-mode events. */
export function signatureHeader(
  payload: string,
  secret: string,
  timestamp: number,
): string {
  const v1 = signPayload(payload, secret, timestamp);
  const v0 = randomBytes(32).toString('hex');
  return `t=${timestamp},v1=${v1},v0=${v0}`;
}
