/**
 * A bounded loopback load generator: signed Stripe-style deliveries, each a
 * distinct event, sent over a keep-alive agent with fixed concurrency.
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** A Stripe-Signature header for `body` signed now with `secret`. */
export function signatureHeader(body, secret, timestamp = Math.floor(Date.now() / 1000)) {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

function eventBody(index) {
  return JSON.stringify({
    id: `evt_bench_${index}_${randomBytes(6).toString('hex')}`,
    object: 'event',
    type: 'invoice.paid',
    livemode: false,
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: `in_${index}`, object: 'invoice', amount_paid: 1299 } },
  });
}

function post(agent, port, body, header) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/webhooks/stripe',
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'Stripe-Signature': header,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends up to `count` deliveries (stopping after `maxMs`) with `concurrency`
 * in flight; returns deliveries/s, p99 latency and how many were accepted.
 */
export async function generateLoad({ port, secret, count, concurrency, maxMs }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  let accepted = 0;
  let sent = 0;
  const started = performance.now();
  const worker = async () => {
    while (sent < count && performance.now() - started < maxMs) {
      const index = sent++;
      const body = eventBody(index);
      const header = signatureHeader(body, secret);
      const t0 = performance.now();
      const status = await post(agent, port, body, header);
      latencies.push(performance.now() - t0);
      if (status === 200) accepted += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const p99 =
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))];
  return {
    perSecond: latencies.length / seconds,
    p99Ms: p99,
    accepted,
    sent: latencies.length,
  };
}
