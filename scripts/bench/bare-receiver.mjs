/**
 * The listener's baseline: a bare node:http server doing the same check as
 * Stripe's scheme (HMAC-SHA256 over "t.body", 300 s tolerance), JSON-parsing
 * the body and nothing else. Prints its port on stdout once listening.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

const secret = process.env.BENCH_SECRET;
const TOLERANCE_SECONDS = 300;

function verified(raw, header) {
  if (typeof header !== 'string') return false;
  let timestamp = null;
  const signatures = [];
  for (const part of header.split(',')) {
    const [key, value] = part.split('=', 2);
    if (key === 't') timestamp = Number(value);
    if (key === 'v1' && value) signatures.push(Buffer.from(value, 'hex'));
  }
  if (!Number.isFinite(timestamp) || signatures.length === 0) return false;
  if (Math.abs(Date.now() / 1000 - timestamp) > TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', secret)
    .update(`${timestamp}.`)
    .update(raw)
    .digest();
  return signatures.some(
    (s) => s.length === expected.length && timingSafeEqual(s, expected),
  );
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const ok = verified(raw, req.headers['stripe-signature']);
    if (ok) JSON.parse(raw.toString('utf8'));
    res.writeHead(ok ? 200 : 400, { 'Content-Type': 'application/json' });
    res.end(ok ? '{"received":true}' : '{"error":"signature"}');
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
