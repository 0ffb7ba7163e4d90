import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiLog } from '../../src/io/api-log.js';
import {
  backoffDelay,
  createRetryingFetch,
  parseRetryAfter,
} from '../../src/beacon/retrying-fetch.js';

const policy = { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 100, timeoutMs: 500 };

describe('backoff', () => {
  it('grows exponentially with jitter and respects the cap', () => {
    expect(backoffDelay(1, policy, null, () => 0)).toBe(5);
    expect(backoffDelay(1, policy, null, () => 1)).toBe(10);
    expect(backoffDelay(3, policy, null, () => 1)).toBe(40);
    expect(backoffDelay(9, policy, null, () => 1)).toBe(100);
  });

  it('never waits less than Retry-After asks (within a bound)', () => {
    expect(backoffDelay(1, policy, 150, () => 0)).toBe(150);
    expect(backoffDelay(1, policy, 10_000, () => 0)).toBe(200);
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter(new Date(5000).toUTCString(), 0)).toBe(5000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(null, 0)).toBeNull();
  });
});

describe('retrying fetch', () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  async function serve(statuses: number[]) {
    const seen: Array<{ method: string; key: string | undefined }> = [];
    server = createServer((req, res) => {
      seen.push({
        method: req.method!,
        key: req.headers['idempotency-key'] as string | undefined,
      });
      const status = statuses[seen.length - 1] ?? 200;
      res.writeHead(status, { 'Retry-After': '0', 'X-Request-Id': `req_${seen.length}` });
      res.end('{}');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
  }

  const makeFetch = (log: ApiLog) =>
    createRetryingFetch({ policy, log, basePath: '', sleep: async () => undefined });

  it('retries 429 and 5xx on a keyed POST with the same key, then succeeds', async () => {
    const { url, seen } = await serve([429, 503, 201]);
    const log = new ApiLog({ now: Date.now }, Date.now());
    const response = await makeFetch(log)(
      new Request(`${url}/billing/x`, {
        method: 'POST',
        body: '{}',
        headers: { 'Idempotency-Key': 'chk_1' },
      }),
    );
    expect(response.status).toBe(201);
    expect(seen.map((s) => s.key)).toEqual(['chk_1', 'chk_1', 'chk_1']);
    expect(log.calls.map((c) => [c.status, c.attempt])).toEqual([
      [429, 1],
      [503, 2],
      [201, 3],
    ]);
  });

  it('does not resend an unkeyed POST after a 5xx (it may have been applied)', async () => {
    const { url, seen } = await serve([500, 200]);
    const log = new ApiLog({ now: Date.now }, Date.now());
    const response = await makeFetch(log)(
      new Request(`${url}/x`, { method: 'POST', body: '{}' }),
    );
    expect(response.status).toBe(500);
    expect(seen).toHaveLength(1);
  });

  it('gives up after the bounded number of retries', async () => {
    const { url, seen } = await serve([502, 502, 502, 502, 502, 502]);
    const log = new ApiLog({ now: Date.now }, Date.now());
    const response = await makeFetch(log)(new Request(`${url}/health`));
    expect(response.status).toBe(502);
    expect(seen).toHaveLength(policy.maxRetries + 1);
  });

  it('does not retry a 4xx other than 429', async () => {
    const { url, seen } = await serve([400, 200]);
    const log = new ApiLog({ now: Date.now }, Date.now());
    expect((await makeFetch(log)(new Request(`${url}/x`))).status).toBe(400);
    expect(seen).toHaveLength(1);
  });
});
