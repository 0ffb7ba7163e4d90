/**
 * Relays a verified delivery downstream exactly as it arrived: the same
 * bytes, the original `Stripe-Signature` and Content-Type, so the
 * downstream handler can verify it with the same secret.
 */
import { isLoopbackHost } from '../config/settings.js';
import { UsageError } from '../errors.js';

export const FORWARD_TIMEOUT_MS = 10_000;

export interface ForwardedDelivery {
  raw: Buffer;
  signature: string | undefined;
  contentType: string | undefined;
}

export type ForwardResult =
  { ok: true; status: number } | { ok: false; status: number | null; error: string };

/** Accepts loopback http(s) or https elsewhere; never credentials in the URL. */
export function validateForwardUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--forward-to is not a valid URL: ${value}`, {
      suggestion: 'Give an absolute URL, e.g. http://127.0.0.1:3000/webhooks/stripe.',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--forward-to must be http or https: ${value}`);
  if (url.username || url.password)
    throw new UsageError('--forward-to must not contain credentials.');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UsageError(`--forward-to must use https unless it is loopback: ${value}`, {
      suggestion:
        'Forward to http://127.0.0.1:PORT/… on this machine, or to an https URL.',
    });
  }
  return url.toString();
}

/** Posts the delivery downstream; a failure is a result, never a throw. */
export async function forwardDelivery(
  url: string,
  delivery: ForwardedDelivery,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ForwardResult> {
  const headers: Record<string, string> = {
    'Content-Type': delivery.contentType ?? 'application/json',
    'User-Agent': 'beacon-quickstart-listen',
  };
  if (delivery.signature !== undefined) headers['Stripe-Signature'] = delivery.signature;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? FORWARD_TIMEOUT_MS);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: new Uint8Array(delivery.raw),
      redirect: 'manual',
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300)
      return { ok: true, status: response.status };
    return { ok: false, status: response.status, error: `downstream ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const reason = timeout.aborted
      ? 'downstream timed out'
      : (cause?.code ?? (error instanceof Error ? error.message : String(error)));
    return { ok: false, status: null, error: reason };
  }
}
