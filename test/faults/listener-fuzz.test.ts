/**
 * `listen` under a seeded stream of hostile and broken deliveries: it never
 * crashes, accepts no forged, stale or far-future delivery, refuses no valid
 * one, and its memory stays roughly flat.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli, type Spawned } from './support.js';

const SECRET = `whsec_${randomBytes(24).toString('hex')}`;
const FOREIGN = `whsec_${randomBytes(24).toString('hex')}`;
const TOLERANCE = 300;
const MAX_BODY = 1024 * 1024;

/** mulberry32: small, seeded, good enough to pick cases reproducibly. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sign(body: Buffer | string, secret: string, t: number): string {
  return createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
}

interface Delivery {
  kind: string;
  body: Buffer;
  headers: Record<string, string | string[]>;
  method?: string;
  /** Whether a correct listener answers 2xx. */
  valid: boolean;
}

/** Builds one random delivery; `sent` holds earlier valid bodies for duplicates. */
function makeDelivery(random: () => number, index: number, sent: Buffer[]): Delivery {
  const now = Math.floor(Date.now() / 1000);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const event = (): Buffer =>
    Buffer.from(
      JSON.stringify({
        id: `evt_fuzz_${index}_${Math.floor(random() * 1e9)}`,
        object: 'event',
        type: pick(['invoice.paid', 'checkout.session.completed', 'customer.updated']),
        livemode: false,
        data: { object: { id: `obj_${index}` } },
      }),
    );
  const json = { 'content-type': 'application/json' };
  const signed = (body: Buffer, t = now, secret = SECRET) => ({
    ...json,
    'stripe-signature': `t=${t},v1=${sign(body, secret, t)}`,
  });
  const kind = pick([
    'valid',
    'valid',
    'duplicate',
    'forged',
    'tampered',
    'stale',
    'future',
    'near-future',
    'two-v1-one-good',
    'two-v1-both-bad',
    'v0-only',
    'no-signature',
    'garbage-header',
    'repeated-header',
    'non-utf8',
    'truncated-json',
    'empty',
    'oversized',
    'wrong-method',
  ] as const);
  const body = event();
  switch (kind) {
    case 'valid':
      return { kind, body, headers: signed(body), valid: true };
    case 'duplicate': {
      const again = sent.length > 0 ? pick(sent) : body;
      return { kind, body: again, headers: signed(again), valid: true };
    }
    case 'forged':
      return { kind, body, headers: signed(body, now, FOREIGN), valid: false };
    case 'tampered': {
      const headers = signed(body);
      return {
        kind,
        body: Buffer.from(body.toString().replace('false', 'true')),
        headers,
        valid: false,
      };
    }
    case 'stale':
      return {
        kind,
        body,
        headers: signed(body, now - TOLERANCE - 5 - Math.floor(random() * 1e5)),
        valid: false,
      };
    case 'future':
      return {
        kind,
        body,
        headers: signed(body, now + TOLERANCE + 5 + Math.floor(random() * 1e5)),
        valid: false,
      };
    case 'near-future':
      return { kind, body, headers: signed(body, now + 30), valid: true };
    case 'two-v1-one-good': {
      const good = sign(body, SECRET, now);
      const bad = randomBytes(32).toString('hex');
      const order = random() < 0.5 ? [bad, good] : [good, bad];
      return {
        kind,
        body,
        headers: {
          ...json,
          'stripe-signature': `t=${now},v1=${order[0]},v1=${order[1]}`,
        },
        valid: true,
      };
    }
    case 'two-v1-both-bad': {
      const v1 = () => sign(body, FOREIGN, now);
      return {
        kind,
        body,
        headers: {
          ...json,
          'stripe-signature': `t=${now},v1=${v1()},v1=${randomBytes(32).toString('hex')}`,
        },
        valid: false,
      };
    }
    case 'v0-only':
      return {
        kind,
        body,
        headers: {
          ...json,
          'stripe-signature': `t=${now},v0=${sign(body, SECRET, now)}`,
        },
        valid: false,
      };
    case 'no-signature':
      return { kind, body, headers: json, valid: false };
    case 'garbage-header': {
      const junk = pick([
        '',
        't=',
        'v1=',
        ',,,,',
        `t=${now}`,
        `t=abc,v1=${sign(body, SECRET, now)}`,
        `t=${now},v1=zz`,
        `t=${now},v1=${'a'.repeat(4000)}`,
        randomBytes(40).toString('base64'),
        `t=${now};v1=${sign(body, SECRET, now)}`,
      ]);
      return { kind, body, headers: { ...json, 'stripe-signature': junk }, valid: false };
    }
    case 'repeated-header':
      // Two Stripe-Signature header lines: Node joins them; a forged second line must not help.
      return {
        kind,
        body,
        headers: {
          ...json,
          'stripe-signature': [
            `t=${now},v1=${sign(body, FOREIGN, now)}`,
            `t=${now - 10_000}`,
          ],
        },
        valid: false,
      };
    case 'non-utf8': {
      const bytes = Buffer.concat([
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        randomBytes(64),
      ]);
      return { kind, body: bytes, headers: signed(bytes), valid: false };
    }
    case 'truncated-json': {
      const cut = body.subarray(0, Math.max(1, Math.floor(body.length * random())));
      return { kind, body: cut, headers: signed(cut), valid: false };
    }
    case 'empty':
      return {
        kind,
        body: Buffer.alloc(0),
        headers: signed(Buffer.alloc(0)),
        valid: false,
      };
    case 'oversized': {
      const big = Buffer.alloc(MAX_BODY + 1 + Math.floor(random() * 4096), 0x61);
      return { kind, body: big, headers: signed(big), valid: false };
    }
    case 'wrong-method':
      return {
        kind,
        body,
        headers: signed(body),
        method: pick(['GET', 'PUT', 'DELETE']),
        valid: false,
      };
  }
}

function send(port: number, agent: http.Agent, d: Delivery): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/webhooks/stripe',
        method: d.method ?? 'POST',
        agent,
        headers: { ...d.headers, 'content-length': String(d.body.length) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    // An oversized body may be refused before it is all written; the status still counts.
    req.on('error', (error) => (d.kind === 'oversized' ? resolve(413) : reject(error)));
    req.end(d.body);
  });
}

/** A request whose body stops short of its Content-Length, then the socket closes. */
function sendTruncated(port: number, random: () => number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      const declared = 2000 + Math.floor(random() * 5000);
      socket.write(
        `POST /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
          `Content-Type: application/json\r\nStripe-Signature: t=1,v1=00\r\n` +
          `Content-Length: ${declared}\r\n\r\n{"id":"evt_cut`,
      );
      setTimeout(() => socket.destroy(), 5);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

/** Malformed HTTP: bad request lines, header garbage, non-ASCII header bytes. */
function sendRawGarbage(port: number, random: () => number): Promise<void> {
  const samples = [
    'GARBAGE\r\n\r\n',
    'POST /webhooks/stripe HTTP/1.1\r\nContent-Length: -5\r\n\r\n',
    'POST /webhooks/stripe HTTP/1.1\r\nHost: x\r\nStripe-Signature: \u0000\u0001\r\n\r\n',
    `POST /webhooks/stripe HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(70_000)}\r\n\r\n`,
    'POST /webhooks/stripe HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  ];
  const raw = samples[Math.floor(random() * samples.length)]!;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(Buffer.concat([Buffer.from(raw, 'latin1'), randomBytes(8)]));
      setTimeout(() => socket.destroy(), 20);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

let dir = '';
let listener: Spawned;
let port = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bq-fuzz-'));
  const secretFile = join(dir, 'whsec.txt');
  await writeFile(secretFile, SECRET, { mode: 0o600 });
  const env = { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: join(dir, 'config') };
  listener = spawnCli(
    ['listen', '--tunnel', 'none', '--port', '0', '--webhook-secret-file', secretFile],
    env,
  );
  const deadline = Date.now() + 20_000;
  while (!/Listening on http:\/\/127\.0\.0\.1:(\d+)/.test(listener.stderr())) {
    if (Date.now() > deadline) throw new Error(`listen not ready: ${listener.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  port = Number(/127\.0\.0\.1:(\d+)/.exec(listener.stderr())![1]);
});

afterAll(async () => {
  listener?.child.kill('SIGINT');
  await listener?.exited;
  await rm(dir, { recursive: true, force: true });
});

describe('listen under fuzzed deliveries', () => {
  it('never crashes, never accepts a bad delivery, never refuses a good one', async () => {
    const random = seeded(20_240_611);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const sent: Buffer[] = [];
    const wrong: string[] = [];
    const kinds = new Set<string>();
    let baseline = 0;
    const total = 4000;

    for (let i = 0; i < total; i += 8) {
      if (i === 1000) baseline = rssMb(listener.child.pid!);
      const batch = Array.from({ length: 8 }, (_, j) =>
        makeDelivery(random, i + j, sent),
      );
      const statuses = await Promise.all(batch.map((d) => send(port, agent, d)));
      batch.forEach((d, j) => {
        const status = statuses[j]!;
        kinds.add(d.kind);
        const accepted = status >= 200 && status < 300;
        if (accepted !== d.valid) wrong.push(`${d.kind} answered ${status}`);
        if (accepted && d.kind === 'valid') sent.push(d.body);
      });
      if (i % 64 === 0) await sendTruncated(port, random);
      if (i % 96 === 0) await sendRawGarbage(port, random);
    }
    agent.destroy();
    const end = rssMb(listener.child.pid!);

    expect(wrong).toEqual([]);
    expect(kinds.size).toBeGreaterThanOrEqual(18);
    expect(listener.child.exitCode).toBeNull();
    // Roughly flat: the de-duplication table grows by a few hundred small events at most.
    expect(end - baseline).toBeLessThan(60);
    const after = await send(port, new http.Agent(), makeValid());
    expect(after).toBe(200);
  }, 90_000);
});

function makeValid(): Delivery {
  const body = Buffer.from(
    JSON.stringify({
      id: `evt_last_${Date.now()}`,
      object: 'event',
      type: 'invoice.paid',
      data: { object: {} },
    }),
  );
  const t = Math.floor(Date.now() / 1000);
  return {
    kind: 'valid',
    body,
    headers: {
      'content-type': 'application/json',
      'stripe-signature': `t=${t},v1=${sign(body, SECRET, t)}`,
    },
    valid: true,
  };
}
