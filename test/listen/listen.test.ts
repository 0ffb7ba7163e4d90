/**
 * listen verifies every delivery on its raw bytes, answers 2xx/4xx, counts
 * duplicates, prints one line each, relays valid deliveries byte for byte,
 * and survives oversized bodies, other methods and a failing downstream.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import Stripe from 'stripe';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runListen, type ListenOptions } from '../../src/app/listen.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { FileSecretStore } from '../../src/vault/file-store.js';
import { fakeContext, type FakeContext } from '../helpers/context.js';
import {
  eventBody,
  post,
  SECRET,
  sign,
  startDownstream,
  type Downstream,
} from './helpers.js';

interface Running {
  url: string;
  ctx: FakeContext;
  stop(): Promise<number>;
}

async function waitFor<T>(read: () => T | undefined): Promise<T> {
  for (let i = 0; i < 400; i += 1) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition never held');
}

function secretFile(content = `${SECRET}\n`): string {
  const dir = mkdtempSync(join(tmpdir(), 'bq-listen-'));
  const file = join(dir, 'whsec.txt');
  writeFileSync(file, content);
  return file;
}

async function startListening(options: Partial<ListenOptions> = {}): Promise<Running> {
  const controller = new AbortController();
  const home = mkdtempSync(join(tmpdir(), 'bq-listen-home-'));
  const ctx = fakeContext({
    signal: controller.signal,
    env: { HOME: home, XDG_CONFIG_HOME: join(home, 'config') },
  });
  const done = runListen(
    {
      tunnel: 'none',
      port: 0,
      webhookSecretFile: secretFile(),
      json: false,
      ...options,
    },
    ctx,
  );
  const url = await Promise.race([
    waitFor(() => /Listening on (\S+)/.exec(ctx.err())?.[1]),
    done.then(() => {
      throw new Error(ctx.err());
    }),
  ]);
  return {
    url,
    ctx,
    stop: async () => {
      controller.abort();
      return done;
    },
  };
}

function lines(ctx: FakeContext): string[] {
  return ctx.out().trim().split('\n').filter(Boolean);
}

describe('listen', () => {
  let running: Running | null = null;
  let downstream: Downstream | null = null;
  afterEach(async () => {
    await running?.stop();
    await downstream?.close();
    running = downstream = null;
  });

  it('answers 2xx to a signed event, 4xx to a forged one, and relays exact bytes', async () => {
    downstream = await startDownstream();
    running = await startListening({ forwardTo: downstream.url });
    const body = eventBody('evt_good_1');
    const signature = sign(body);

    expect(await post(running.url, body, { 'Stripe-Signature': signature })).toBe(200);
    const forged = eventBody('evt_forged_1');
    expect(
      await post(running.url, forged, {
        'Stripe-Signature': sign(forged, 'whsec_other'),
      }),
    ).toBe(400);
    await waitFor(() => (lines(running!.ctx).length >= 2 ? true : undefined));

    expect(downstream.received).toHaveLength(1);
    const relayed = downstream.received[0]!;
    expect(relayed.body.equals(body)).toBe(true);
    expect(relayed.headers['stripe-signature']).toBe(signature);
    expect(relayed.headers['content-type']).toBe('application/json; charset=utf-8');
    const [good, bad] = lines(running.ctx);
    expect(good).toMatch(
      / 200 {2}checkout\.session\.completed {2}evt_good_1 {2}verified {2}-> forwarded 200$/,
    );
    expect(bad).toMatch(
      / 400 .*evt_forged_1\(unverified\) {2}rejected: signature-mismatch$/,
    );
  });

  it.each([
    ['no signature', (b: Buffer) => ({ body: b, headers: {} }), 'missing-signature'],
    [
      'a stale signature',
      (b: Buffer) => ({
        body: b,
        headers: {
          'Stripe-Signature': sign(b, SECRET, Math.floor(Date.now() / 1000) - 3600),
        },
      }),
      'timestamp-outside-tolerance',
    ],
    [
      'a body altered after signing',
      (b: Buffer) => ({
        body: Buffer.concat([b, Buffer.from(' ')]),
        headers: { 'Stripe-Signature': sign(b) },
      }),
      'signature-mismatch',
    ],
  ])('rejects %s with a 4xx and the reason', async (_name, build, reason) => {
    downstream = await startDownstream();
    running = await startListening({ forwardTo: downstream.url });
    const { body, headers } = build(eventBody('evt_bad'));
    const status = await post(running.url, body, headers as Record<string, string>);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    await waitFor(() => lines(running!.ctx)[0]);
    expect(lines(running.ctx)[0]).toContain(reason);
    expect(downstream.received).toHaveLength(0);
  });

  it('marks repeat deliveries with their count, in JSON lines', async () => {
    running = await startListening({ json: true });
    const body = eventBody('evt_twice');
    for (let i = 0; i < 3; i += 1)
      expect(await post(running.url, body, { 'Stripe-Signature': sign(body) })).toBe(200);
    await waitFor(() => (lines(running!.ctx).length === 3 ? true : undefined));
    const parsed = lines(running.ctx).map(
      (l) => JSON.parse(l) as Record<string, unknown>,
    );
    expect(parsed.map((p) => [p.duplicate, p.deliveries])).toEqual([
      [false, 1],
      [true, 2],
      [true, 3],
    ]);
    expect(parsed[0]).toMatchObject({
      id: 'evt_twice',
      type: 'checkout.session.completed',
      verified: true,
      status: 200,
      forward: null,
    });
    expect(typeof parsed[0]!.time).toBe('string');
  });

  it('refuses other methods (405) and oversized bodies (413), then keeps working', async () => {
    running = await startListening({ maxBodyBytes: 1024 });
    const get = await fetch(running.url);
    expect(get.status).toBe(405);
    await get.body?.cancel();
    const big = await new Promise<number>((resolve, reject) => {
      const req = request(running!.url, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(Buffer.alloc(64 * 1024, 'a'));
    });
    expect(big).toBe(413);
    const body = eventBody('evt_after');
    expect(await post(running.url, body, { 'Stripe-Signature': sign(body) })).toBe(200);
    await waitFor(() => (lines(running!.ctx).length === 3 ? true : undefined));
    expect(lines(running.ctx)[0]).toMatch(/refused: GET answered 405/);
    expect(lines(running.ctx)[1]).toMatch(/refused: POST answered 413/);
  });

  it('reports a failing downstream in the line and keeps answering the sender', async () => {
    downstream = await startDownstream(503);
    running = await startListening({ forwardTo: downstream.url });
    const body = eventBody('evt_downstream_503');
    expect(await post(running.url, body, { 'Stripe-Signature': sign(body) })).toBe(200);
    // The relay happens after the sender's answer: let it finish before closing.
    await waitFor(() => lines(running!.ctx)[0]);
    await downstream.close();
    const next = eventBody('evt_downstream_gone');
    expect(await post(running.url, next, { 'Stripe-Signature': sign(next) })).toBe(200);
    await waitFor(() => (lines(running!.ctx).length === 2 ? true : undefined));
    expect(lines(running.ctx)[0]).toContain('forward failed (downstream 503)');
    expect(lines(running.ctx)[1]).toMatch(/forward failed \(ECONNREFUSED\)/);
    downstream = null;
  });

  it('prints a one-line summary and returns 130 on Ctrl-C', async () => {
    running = await startListening();
    const body = eventBody('evt_summary');
    await post(running.url, body, { 'Stripe-Signature': sign(body) });
    await post(running.url, body, {});
    const code = await running.stop();
    const ctx = running.ctx;
    running = null;
    expect(code).toBe(130);
    expect(ctx.err()).toMatch(
      /2 request\(s\): 2 delivery\(ies\), 1 verified \(0 duplicate\) and 1 rejected; 0 refused/,
    );
  });

  it('reads the secret from the vault when no file is given', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bq-listen-vault-'));
    const vault = new FileSecretStore(home);
    await vault.set('webhook-secret:listen', SECRET);
    running = await startListening({ webhookSecretFile: undefined, vault });
    const body = eventBody('evt_vault');
    expect(await post(running.url, body, { 'Stripe-Signature': sign(body) })).toBe(200);
  });

  it('never prints the signing secret', async () => {
    running = await startListening({ json: true });
    const body = eventBody('evt_quiet');
    await post(running.url, body, { 'Stripe-Signature': sign(body) });
    await running.stop();
    expect(running.ctx.out() + running.ctx.err()).not.toContain(SECRET);
    running = null;
  });
});

describe('listen refuses bad configuration before listening', () => {
  const ctx = () => fakeContext({ env: { HOME: mkdtempSync(join(tmpdir(), 'bq-l-')) } });
  const base: ListenOptions = { tunnel: 'none', port: 0, json: false };

  it('an API key given as the signing secret names whsec_', async () => {
    const run = runListen(
      { ...base, webhookSecretFile: secretFile('sk_test_abc123\n') },
      ctx(),
    );
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await expect(run).rejects.toThrow(/API key/);
    await expect(run).rejects.toMatchObject({
      suggestion: expect.stringContaining('whsec_'),
    });
  });

  it('a missing secret names the flag, the variable and the vault entry', async () => {
    const run = runListen(base, ctx());
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await expect(run).rejects.toMatchObject({
      suggestion: expect.stringMatching(/--webhook-secret-file.*STRIPE_WEBHOOK_SECRET/),
    });
  });

  it('--tunnel ngrok without an authtoken names NGROK_AUTHTOKEN', async () => {
    const run = runListen(
      { ...base, tunnel: 'ngrok', webhookSecretFile: secretFile() },
      ctx(),
    );
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await expect(run).rejects.toMatchObject({
      suggestion: expect.stringContaining('NGROK_AUTHTOKEN'),
    });
  });

  it('--webhook-url without --tunnel url is refused, not ignored', async () => {
    const run = runListen(
      {
        ...base,
        webhookUrl: 'https://hooks.example.com/x',
        webhookSecretFile: secretFile(),
      },
      ctx(),
    );
    await expect(run).rejects.toThrow(/--webhook-url goes with --tunnel url/);
  });

  it('--tunnel url needs --webhook-url, and refuses a private one', async () => {
    const missing = runListen(
      { ...base, tunnel: 'url', webhookSecretFile: secretFile() },
      ctx(),
    );
    await expect(missing).rejects.toThrow(/--webhook-url/);
    const secret = secretFile();
    const unsafe = runListen(
      {
        ...base,
        tunnel: 'url',
        webhookUrl: 'https://10.0.0.1/hooks',
        webhookSecretFile: secret,
      },
      ctx(),
    );
    await expect(unsafe).rejects.toThrow(/private/);
  });

  it('--tunnel stripe-cli verifies with the secret stripe listen prints', async () => {
    const cliSecret = 'whsec_fromthecli0123456789';
    const dir = mkdtempSync(join(tmpdir(), 'bq-cli-'));
    writeFileSync(
      join(dir, 'stripe'),
      `#!/bin/sh\necho "> Ready! Your webhook signing secret is ${cliSecret} (^C to quit)" >&2\n` +
        'while true; do sleep 0.1; done\n',
      { mode: 0o755 },
    );
    const controller = new AbortController();
    const context = fakeContext({
      env: { HOME: dir, PATH: `${dir}:/usr/bin:/bin`, STRIPE_SECRET_KEY: 'sk_test_cli' },
      signal: controller.signal,
    });
    const running = runListen({ ...base, tunnel: 'stripe-cli' }, context);
    const url = await waitFor(() => context.err().match(/Listening on (\S+)/)?.[1]);
    const body = JSON.stringify({
      id: 'evt_cli',
      object: 'event',
      type: 'invoice.paid',
      data: { object: {} },
    });
    const header = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: cliSecret,
    });
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'Stripe-Signature': header },
    });
    expect(response.status).toBe(200);
    controller.abort();
    expect(await running).toBe(130);
    expect(context.out()).toContain('evt_cli');
    expect(context.out() + context.err()).not.toContain(cliSecret);
  });

  it.each([
    'http://example.com/hooks',
    'ftp://127.0.0.1/x',
    'http://user:pw@127.0.0.1/x',
    'not a url',
  ])('--forward-to %s is refused', async (url) => {
    const run = runListen(
      { ...base, forwardTo: url, webhookSecretFile: secretFile() },
      ctx(),
    );
    await expect(run).rejects.toBeInstanceOf(UsageError);
  });
});

describe('listen output cannot be steered by the sender', () => {
  it('escapes control characters and marks unverified ids', async () => {
    const { formatLine } = await import('../../src/app/listen.js');
    const line = formatLine(
      {
        time: '2026-01-01T00:00:00.000Z',
        type: '\u001b[2J\u001b[32mGREEN',
        id: 'evt_x\n2026  200  checkout.session.completed  evt_REAL  verified',
        verified: false,
        reason: 'missing-signature',
        duplicate: false,
        deliveries: null,
        signedSecondsAgo: null,
        status: 400,
        forward: null,
      },
      false,
    );
    expect(line.split('\n')).toHaveLength(2);
    expect(line).not.toContain('\u001b');
    expect(line).toContain('(unverified)');
  });

  it('reports how old a stale signature was', async () => {
    const { formatLine } = await import('../../src/app/listen.js');
    const line = formatLine(
      {
        time: 't',
        type: 'invoice.paid',
        id: 'evt_1',
        verified: false,
        reason: 'timestamp-outside-tolerance',
        duplicate: false,
        deliveries: null,
        signedSecondsAgo: 301,
        status: 400,
        forward: null,
      },
      false,
    );
    expect(line).toContain('signed 301 s ago');
    expect(line).toContain('clock');
  });
});
