/**
 * Who pays on the checkout page. Against the sandbox the tool drives the
 * hosted page over HTTP like a browser would; against real Stripe a person
 * pays (the URL is printed) and the return callback ends the wait.
 */
import type { ApiLog } from '../io/api-log.js';

export type PayResult =
  | { status: 'paid'; detail: string; pageStatus: number }
  | {
      status: 'expired' | 'declined' | 'failed';
      detail: string;
      pageStatus: number | null;
    }
  | { status: 'handed-over'; detail: string };

export interface Payer {
  readonly kind: 'sandbox-http' | 'manual';
  pay(checkoutUrl: string, signal: AbortSignal): Promise<PayResult>;
}

/** The sandbox's test card; the real Stripe test card number is the same. */
export const SANDBOX_TEST_CARD = '4242424242424242';

function formAction(html: string, pageUrl: string): string {
  const match = html.match(/<form[^>]*\baction="([^"]+)"/i);
  return new URL(match?.[1] ?? `${new URL(pageUrl).pathname}/pay`, pageUrl).toString();
}

/** Fills the sandbox's hosted page and follows its redirect to the return URL. */
export class SandboxHttpPayer implements Payer {
  readonly kind = 'sandbox-http' as const;

  constructor(
    private readonly log: ApiLog,
    private readonly email = 'quickstart@example.com',
  ) {}

  private async request(method: string, url: string, init: RequestInit = {}) {
    const started = Date.now();
    const response = await fetch(url, { ...init, method, redirect: 'manual' });
    this.log.record({
      service: 'checkout',
      method,
      path: new URL(url).pathname,
      status: response.status,
      requestId: null,
      idempotencyKey: null,
      startedAtMs: this.log.sinceStart(started),
      durationMs: Date.now() - started,
      attempt: 1,
    });
    return response;
  }

  async pay(checkoutUrl: string, signal: AbortSignal): Promise<PayResult> {
    const page = await this.request('GET', checkoutUrl, { signal });
    const html = await page.text();
    if (page.status === 410)
      return {
        status: 'expired',
        detail: 'The checkout page says the session expired',
        pageStatus: 410,
      };
    if (page.status !== 200) {
      return {
        status: 'failed',
        detail: `The checkout page answered ${page.status}`,
        pageStatus: page.status,
      };
    }

    const form = new URLSearchParams({
      email: this.email,
      card_number: SANDBOX_TEST_CARD,
    });
    const submitted = await this.request('POST', formAction(html, checkoutUrl), {
      signal,
      body: form,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    await submitted.body?.cancel();
    if (submitted.status === 410)
      return {
        status: 'expired',
        detail: 'The session expired before payment',
        pageStatus: 410,
      };
    if (submitted.status === 402)
      return { status: 'declined', detail: 'The card was declined', pageStatus: 402 };
    const location = submitted.headers.get('location');
    if (submitted.status !== 303 || !location) {
      return {
        status: 'failed',
        detail: `Paying answered ${submitted.status}`,
        pageStatus: submitted.status,
      };
    }

    // Follow the redirect as a browser would: this is what lands on the return callback.
    const landed = await this.request('GET', new URL(location, checkoutUrl).toString(), {
      signal,
    });
    await landed.body?.cancel();
    return {
      status: 'paid',
      detail: `Paid with the test card; redirected (${landed.status})`,
      pageStatus: landed.status,
    };
  }
}

/** Hands the URL to a person and lets the return callback end the wait. */
export class ManualPayer implements Payer {
  readonly kind = 'manual' as const;

  constructor(private readonly announce: (url: string) => void) {}

  async pay(checkoutUrl: string): Promise<PayResult> {
    this.announce(checkoutUrl);
    return {
      status: 'handed-over',
      detail: 'Waiting for a person to pay on the checkout page',
    };
  }
}
