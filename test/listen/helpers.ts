/** A downstream server that records what the listener relays, and signing helpers. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export const SECRET = `whsec_${'listenTestSecret'.repeat(2)}`;

export interface Received {
  body: Buffer;
  headers: IncomingHttpHeaders;
}

export interface Downstream {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** Records every request byte for byte and answers `status`. */
export async function startDownstream(status = 200): Promise<Downstream> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks), headers: req.headers });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An event body with odd spacing and non-ASCII text, so any re-encoding shows. */
export function eventBody(id: string, type = 'checkout.session.completed'): Buffer {
  return Buffer.from(
    `{\n  "id": "${id}",  "object": "event", "type": "${type}",\n` +
      `  "livemode": false, "data": {"object": {"name": "Conceição ☕"}}}`,
    'utf8',
  );
}

export function sign(body: Buffer, secret = SECRET, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload: body.toString('utf8'),
    secret,
    ...(timestamp !== undefined ? { timestamp } : {}),
  });
}

/** Posts raw bytes; returns the status. */
export async function post(
  url: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: new Uint8Array(body),
  });
  await response.body?.cancel();
  return response.status;
}
