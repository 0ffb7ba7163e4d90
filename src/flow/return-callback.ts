/**
 * The local page Stripe's checkout returns the user to. It accepts only the
 * run's nonce and the session the run is waiting for, so another page cannot
 * complete a run by guessing the port.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalServer } from '../webhooks/local-server.js';

export const RETURN_PATH = '/checkout/return';

export interface ReturnArrival {
  sessionId: string;
  at: number;
}

export class ReturnCallback {
  private expectedSession: string | null = null;
  private arrival: ReturnArrival | null = null;
  private waiters: Array<(arrival: ReturnArrival) => void> = [];
  readonly refused: Array<{ at: number; why: string }> = [];

  constructor(
    private readonly server: LocalServer,
    /** A resumed run passes its predecessor's nonce, so its return URL is the same. */
    private readonly nonce: string = randomBytes(16).toString('hex'),
  ) {
    server.route(RETURN_PATH, (req, res) => this.handle(req, res));
  }

  /** The return URL to give Beacon; Stripe substitutes the session id. */
  get url(): string {
    return `${this.server.origin}${RETURN_PATH}?state=${this.nonce}&session_id={CHECKOUT_SESSION_ID}`;
  }

  /** Only this session may complete the wait. */
  expect(sessionId: string): void {
    this.expectedSession = sessionId;
  }

  get arrived(): ReturnArrival | null {
    return this.arrival;
  }

  /** Resolves with the arrival, or null when the time runs out or the signal aborts. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<ReturnArrival | null> {
    if (this.arrival) return Promise.resolve(this.arrival);
    return new Promise((resolve) => {
      const finish = (value: ReturnArrival | null) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(value);
      };
      const waiter = (arrival: ReturnArrival) => finish(arrival);
      const onAbort = () => finish(null);
      const timer = setTimeout(() => finish(null), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const state = url.searchParams.get('state');
    const sessionId = url.searchParams.get('session_id');
    if (req.method !== 'GET') return this.page(res, 405, 'Only GET is accepted here.');
    if (state !== this.nonce) {
      this.refused.push({ at: Date.now(), why: 'state does not match this run' });
      return this.page(
        res,
        403,
        'This return link does not belong to the running check.',
      );
    }
    if (!sessionId || (this.expectedSession && sessionId !== this.expectedSession)) {
      this.refused.push({ at: Date.now(), why: 'unexpected checkout session' });
      return this.page(res, 403, 'This checkout session is not the one being checked.');
    }
    this.arrival ??= { sessionId, at: Date.now() };
    for (const waiter of this.waiters) waiter(this.arrival);
    this.page(res, 200, 'Payment received. You can go back to the terminal.');
  }

  private page(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    });
    res.end(
      '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
        '<title>beacon-quickstart</title><style>body{font:16px system-ui,sans-serif;' +
        'margin:15vh auto;max-width:32rem;text-align:center}</style></head>' +
        `<body><h1>beacon-quickstart</h1><p data-testid="return-message">${text}</p></body></html>`,
    );
  }
}
