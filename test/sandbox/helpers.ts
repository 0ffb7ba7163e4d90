/** Shared test doubles: the SDK pointed at a sandbox, a Beacon caller, a webhook receiver. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import Stripe from 'stripe';

import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle, SandboxOptions } from '../../src/sandbox/types.js';

export const open: SandboxHandle[] = [];

/** Starts a sandbox that the test file's afterEach closes. */
export async function sandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const handle = await startSandbox({ seed: 7, ...options });
  open.push(handle);
  return handle;
}

/** Closes every sandbox started with `sandbox()`. */
export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((h) => h.close()));
}

/** The real SDK aimed at the sandbox, as the product builds it. */
export function stripeFor(
  handle: SandboxHandle,
  maxNetworkRetries = 0,
  key = handle.stripeSecretKey,
): Stripe {
  const port = Number(new URL(handle.stripeUrl).port);
  return new Stripe(key, {
    host: '127.0.0.1',
    port,
    protocol: 'http',
    telemetry: false,
    maxNetworkRetries,
  });
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** Calls Beacon with the handle's token (or the one given). */
export async function beacon(
  handle: SandboxHandle,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; token?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${options.token ?? handle.accessToken}`,
    ...options.headers,
  };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${handle.beaconUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown>,
  };
}

/** A checkout request body for the handle's organization. */
export function checkoutBody(
  handle: SandboxHandle,
  returnUrl?: string,
): Record<string, string> {
  const body: Record<string, string> = {
    organizationId: handle.organizationId,
    plan: 'plus',
    billingCycle: 'monthly',
    mode: 'test',
  };
  if (returnUrl) body['returnUrl'] = returnUrl;
  return body;
}

/** Creates a Beacon checkout and returns its body. */
export async function createCheckout(
  handle: SandboxHandle,
  key = `chk_${Math.random().toString(36).slice(2)}`,
  returnUrl?: string,
): Promise<{ checkoutSessionId: string; checkoutUrl: string; expiresAt: string }> {
  const answer = await beacon(handle, 'POST', '/billing/subscription-checkouts', {
    body: checkoutBody(handle, returnUrl),
    headers: { 'Idempotency-Key': key },
  });
  if (answer.status !== 201) throw new Error(`checkout answered ${answer.status}`);
  return answer.body as never;
}

/** Pays a hosted checkout page with a card; returns the raw response (no redirect follow). */
export async function payPage(
  checkoutUrl: string,
  card = '4242 4242 4242 4242',
): Promise<Response> {
  const form = new URLSearchParams({ email: 'buyer@example.com', card_number: card });
  return fetch(`${checkoutUrl}/pay`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
}

export interface Delivery {
  raw: Buffer;
  signature: string;
  headers: http.IncomingHttpHeaders;
  id: string;
  type: string;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  /** Status to answer for the next deliveries (default 200). */
  answer: (status: number) => void;
  close(): Promise<void>;
}

/** A local webhook receiver on 127.0.0.1 that keeps the raw bytes. */
export async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const parsed = JSON.parse(raw.toString('utf8')) as { id: string; type: string };
      deliveries.push({
        raw,
        signature: String(req.headers['stripe-signature']),
        headers: req.headers,
        id: parsed.id,
        type: parsed.type,
      });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    deliveries,
    answer: (next) => {
      status = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Polls until `check` returns a truthy value (or gives up after `ms`). */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  ms = 5000,
): Promise<Exclude<T, undefined | null | false>> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, undefined | null | false>;
    if (Date.now() > until) throw new Error('Condition not met in time.');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The session id in a success redirect. */
export function sessionIdOf(location: string | null): string {
  return new URL(location ?? 'http://x/').searchParams.get('session_id') ?? '';
}

/** Runs a checkout to payment: create, pay, return the session id and the Stripe subscription. */
export async function paidCheckout(
  handle: SandboxHandle,
  returnUrl = 'http://127.0.0.1:9/return?session_id={CHECKOUT_SESSION_ID}',
): Promise<{ sessionId: string; subscriptionId: string; invoiceId: string }> {
  const checkout = await createCheckout(handle, undefined, returnUrl);
  const paid = await payPage(checkout.checkoutUrl);
  if (paid.status !== 303) throw new Error(`pay answered ${paid.status}`);
  const session = await stripeFor(handle, 3).checkout.sessions.retrieve(
    checkout.checkoutSessionId,
  );
  return {
    sessionId: session.id,
    subscriptionId: String(session.subscription),
    invoiceId: String(session.invoice),
  };
}
