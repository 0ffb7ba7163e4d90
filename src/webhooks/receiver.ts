/**
 * The local webhook receiver: reads the raw body (capped), verifies it,
 * de-duplicates by event id and answers Stripe the way Stripe expects.
 * Nonce-bound probes share the path so the public-URL round trip is proven
 * through the very route deliveries take.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeliveryRecord } from '../report/model.js';
import type { EventStore } from './event-store.js';
import { verifyDelivery } from './verify.js';

export const PROBE_HEADER = 'x-beacon-quickstart-probe';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface ReceivedDelivery extends DeliveryRecord {
  raw: Buffer;
  signature: string | undefined;
}

export interface ReceiverOptions {
  store: EventStore;
  /** Current signing secrets, read per delivery (the endpoint may be created later). */
  secrets: () => readonly string[];
  tolerance?: number;
  maxBodyBytes?: number;
  now?: () => number;
  /** Milliseconds since the run started, for the timeline. */
  sinceStart?: (at: number) => number;
  onDelivery?: (delivery: ReceivedDelivery) => void | Promise<void>;
  probes?: ProbeRegistry;
}

/** Expected probe nonces and the bytes that arrived for each. */
export class ProbeRegistry {
  private readonly expected = new Map<string, (body: Buffer) => void>();

  /** Registers a nonce; resolves with the body that arrives for it. */
  expect(nonce: string, timeoutMs: number): Promise<Buffer | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.expected.delete(nonce);
        resolve(null);
      }, timeoutMs);
      this.expected.set(nonce, (body) => {
        clearTimeout(timer);
        this.expected.delete(nonce);
        resolve(body);
      });
    });
  }

  /** Returns true when the nonce was expected (and consumes it). */
  deliver(nonce: string, body: Buffer): boolean {
    const handler = this.expected.get(nonce);
    if (!handler) return false;
    handler(body);
    return true;
  }
}

class BodyTooLarge extends Error {}

/** Reads the whole body as bytes, refusing more than `limit`. */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: object, headers = {}) {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Id and type from an unverified body, for evidence only. */
function peek(raw: Buffer): { id: string | null; type: string | null } {
  try {
    const parsed = JSON.parse(raw.toString('utf8')) as { id?: unknown; type?: unknown };
    return {
      id: typeof parsed.id === 'string' ? parsed.id.slice(0, 80) : null,
      type: typeof parsed.type === 'string' ? parsed.type.slice(0, 80) : null,
    };
  } catch {
    return { id: null, type: null };
  }
}

/** Builds the request handler for the webhook path. */
export function createWebhookReceiver(options: ReceiverOptions) {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const now = options.now ?? Date.now;
  const sinceStart = options.sinceStart ?? (() => 0);

  return async function receive(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    if (req.method !== 'POST') {
      req.resume();
      return answer(res, 405, { error: 'Only POST is accepted here' }, { Allow: 'POST' });
    }
    let raw: Buffer;
    try {
      raw = await readRawBody(req, limit);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        return answer(
          res,
          413,
          { error: `Body larger than ${limit} bytes` },
          { Connection: 'close' },
        );
      }
      return answer(res, 400, { error: 'Could not read the body' });
    }

    const nonce = req.headers[PROBE_HEADER];
    if (typeof nonce === 'string' && options.probes) {
      const known = options.probes.deliver(nonce, raw);
      return answer(res, known ? 200 : 400, { probe: known });
    }

    const receivedAt = now();
    const header = req.headers['stripe-signature'];
    const signature = Array.isArray(header) ? header.join(',') : header;
    const result = verifyDelivery(raw, signature, options.secrets(), {
      tolerance: options.tolerance,
      receivedAtMs: receivedAt,
    });

    if (!result.ok) {
      const ageSeconds =
        result.signedAt === null ? null : receivedAt / 1000 - result.signedAt;
      options.store.addRejection({
        reason: result.reason,
        detail: result.detail,
        receivedAt,
        ageSeconds: ageSeconds === null ? null : Math.round(ageSeconds),
      });
      const unverified = peek(raw);
      await options.onDelivery?.({
        eventId: unverified.id,
        type: unverified.type,
        receivedAtMs: sinceStart(receivedAt),
        verified: false,
        duplicate: false,
        reason: result.reason,
        raw,
        signature,
      });
      return answer(res, 400, { error: result.reason });
    }

    const duplicate = options.store.addVerified(result.event, receivedAt);
    await options.onDelivery?.({
      eventId: result.event.id,
      type: result.event.type,
      receivedAtMs: sinceStart(receivedAt),
      verified: true,
      duplicate,
      raw,
      signature,
    });
    answer(res, 200, { received: true, duplicate });
  };
}
