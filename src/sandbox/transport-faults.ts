/**
 * Transport faults for resilience tests: connection resets, answers held past
 * a client's timeout, and bursts of 5xx/429 on the API routes. Resets and
 * slow answers are injected after the request was served, so the client
 * cannot tell whether it was applied: the case idempotency exists for.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http.js';
import { StripeHttpError } from './stripe/errors.js';

export interface TransportFaults {
  /** Only API requests whose path starts with this count (all API requests when absent). */
  pathPrefix?: string;
  /** Only requests with this method count (any when absent). */
  method?: string;
  /** Every Nth counted request is served, then its connection is reset unanswered. */
  resetEvery?: number;
  /** At most this many resets (unlimited when absent). */
  resetLimit?: number;
  /** Every Nth counted request is served, then answered only after `slowMs`. */
  slowEvery?: number;
  slowMs?: number;
  /** At most this many slow answers (unlimited when absent). */
  slowLimit?: number;
  /** Counted requests `from` to `from + count - 1` (1-based) get `status`, unserved. */
  burst?: {
    status: 429 | 500 | 502 | 503;
    from: number;
    count: number;
    retryAfterSeconds?: number;
  };
  /** Awaited before every API request is served, so a test can hold the run there. */
  gate?: (request: { method: string; path: string }) => Promise<void> | void;
}

export interface TransportFaultCounts {
  counted: number;
  resets: number;
  slowed: number;
  burst: number;
}

/** Decides, per API request, which fault (if any) it meets. */
export class TransportFaultInjector {
  private readonly tally: TransportFaultCounts = {
    counted: 0,
    resets: 0,
    slowed: 0,
    burst: 0,
  };

  constructor(private readonly faults: TransportFaults) {}

  /** How many requests were counted and how many met each fault. */
  counts(): TransportFaultCounts {
    return { ...this.tally };
  }

  /**
   * Applies the faults to one API request; returns true when the request was
   * answered here and must not be served.
   */
  async intercept(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    headers: Record<string, string>,
  ): Promise<boolean> {
    const method = req.method ?? 'GET';
    await this.faults.gate?.({ method, path });
    if (!this.applies(method, path)) return false;
    const n = (this.tally.counted += 1);
    const burst = this.faults.burst;
    if (burst && n >= burst.from && n < burst.from + burst.count) {
      this.tally.burst += 1;
      req.resume();
      const retry: Record<string, string> = {};
      if (burst.retryAfterSeconds !== undefined) {
        retry['Retry-After'] = String(burst.retryAfterSeconds);
      }
      sendJson(res, burst.status, errorBody(path, burst.status, headers), {
        ...headers,
        ...retry,
      });
      return true;
    }
    const resetsLeft = this.tally.resets < (this.faults.resetLimit ?? Infinity);
    if (resetsLeft && every(this.faults.resetEvery, n)) {
      this.tally.resets += 1;
      res.end = (() => {
        req.socket.destroy();
        return res;
      }) as ServerResponse['end'];
      return false;
    }
    const slowLeft = this.tally.slowed < (this.faults.slowLimit ?? Infinity);
    if (slowLeft && every(this.faults.slowEvery, n)) {
      this.tally.slowed += 1;
      const realEnd = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      const delay = this.faults.slowMs ?? 0;
      res.end = ((...args: unknown[]) => {
        // Unref'd: a held answer must never keep a closing sandbox alive.
        setTimeout(() => {
          if (!res.destroyed) realEnd(...args);
        }, delay).unref();
        return res;
      }) as ServerResponse['end'];
    }
    return false;
  }

  private applies(method: string, path: string): boolean {
    if (this.faults.method && this.faults.method.toUpperCase() !== method) return false;
    return (
      this.faults.pathPrefix === undefined || path.startsWith(this.faults.pathPrefix)
    );
  }
}

function every(n: number | undefined, index: number): boolean {
  return n !== undefined && n > 0 && index % n === 0;
}

/** Each API's own error shape, so the clients parse an injected failure as a real one. */
function errorBody(path: string, status: number, headers: Record<string, string>) {
  const limited = status === 429;
  const message = limited ? 'Injected rate limit.' : 'Injected server error.';
  if (path.startsWith('/v1/')) {
    const type = limited ? 'rate_limit_error' : 'api_error';
    return new StripeHttpError(
      status,
      type,
      message,
      limited ? 'rate_limit' : undefined,
    ).body();
  }
  return {
    code: limited ? 'rate_limited' : 'unavailable',
    message,
    request_id: headers['X-Request-Id'] ?? null,
  };
}
