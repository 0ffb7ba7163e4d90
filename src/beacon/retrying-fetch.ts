/**
 * The transport under the Beacon client: per-attempt timeout, bounded retries
 * with exponential backoff and full jitter on 429/5xx (honouring
 * Retry-After), and a record of every attempt in the ApiLog.
 */
import type { ApiLog } from '../io/api-log.js';

export interface RetryPolicy {
  maxRetries: number;
  /** First backoff in ms; doubles each attempt up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  timeoutMs: 15_000,
};

export interface RetryingFetchOptions {
  policy: RetryPolicy;
  log: ApiLog;
  /** The run's abort signal (Ctrl-C, overall timeout). */
  signal?: AbortSignal;
  /** Strips the base path so the log shows `/billing/...`, not the full URL. */
  basePath: string;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A 429 is never applied; a 5xx may have been, so only keyed POSTs retry it. */
function isRetryable(method: string, status: number, hasKey: boolean): boolean {
  if (status === 429) return true;
  if (status < 500) return false;
  return method === 'GET' || method === 'HEAD' || hasKey;
}

/** Retry-After in seconds or as an HTTP date; null when absent or unusable. */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

/** Exponential backoff with full jitter, never below what the server asked for. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  if (retryAfterMs === null) return jittered;
  return Math.min(Math.max(retryAfterMs, jittered), policy.maxDelayMs * 2);
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Builds the fetch function openapi-fetch calls for every request. */
export function createRetryingFetch(options: RetryingFetchOptions) {
  const { policy, log } = options;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;

  return async function retryingFetch(request: Request): Promise<Response> {
    const method = request.method.toUpperCase();
    const url = new URL(request.url);
    const path = url.pathname.startsWith(options.basePath)
      ? url.pathname.slice(options.basePath.length) || '/'
      : url.pathname;
    const key = request.headers.get('idempotency-key');
    const body =
      method === 'GET' || method === 'HEAD' ? undefined : await request.arrayBuffer();

    for (let attempt = 1; ; attempt += 1) {
      const started = Date.now();
      const timeout = AbortSignal.timeout(policy.timeoutMs);
      const signal = options.signal
        ? AbortSignal.any([options.signal, timeout])
        : timeout;
      let response: Response;
      try {
        response = await fetch(request.url, {
          method,
          headers: request.headers,
          body,
          signal,
          redirect: 'manual',
        });
      } catch (error) {
        const aborted = options.signal?.aborted === true;
        const timedOut = timeout.aborted;
        log.record({
          service: 'beacon',
          method,
          path,
          status: null,
          requestId: null,
          idempotencyKey: key,
          startedAtMs: log.sinceStart(started),
          durationMs: Date.now() - started,
          attempt,
          error: timedOut
            ? `timed out after ${policy.timeoutMs}ms`
            : networkReason(error),
        });
        // GETs and keyed POSTs are safe to resend after a network failure.
        if (aborted || attempt > policy.maxRetries || (method !== 'GET' && !key))
          throw error;
        await sleep(backoffDelay(attempt, policy, null, random), options.signal);
        continue;
      }

      log.observeDate('beacon', response.headers.get('date'));
      log.record({
        service: 'beacon',
        method,
        path,
        status: response.status,
        requestId: response.headers.get('x-request-id'),
        idempotencyKey: key,
        startedAtMs: log.sinceStart(started),
        durationMs: Date.now() - started,
        attempt,
      });
      if (
        attempt > policy.maxRetries ||
        !isRetryable(method, response.status, key !== null)
      ) {
        return response;
      }
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      await response.body?.cancel();
      await sleep(backoffDelay(attempt, policy, retryAfter, random), options.signal);
    }
  };
}

function networkReason(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause;
    return cause?.code ? `${error.message} (${cause.code})` : error.message;
  }
  return String(error);
}
