/**
 * The built CLI end to end: `listen --tunnel none --port P
 * --webhook-secret-file F --forward-to URL` answers 2xx to a signed event
 * and 4xx to a forged one, relays the exact bytes, and exits 130 on Ctrl-C.
 */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';
import { eventBody, post, SECRET, sign, startDownstream } from './helpers.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('listen (built CLI)', () => {
  it('verifies, relays byte for byte, rejects forgeries and exits 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bq-listen-e2e-'));
    const secretFile = join(dir, 'whsec.txt');
    writeFileSync(secretFile, `${SECRET}\n`);
    const downstream = await startDownstream();
    const port = await freePort();
    const child = execa(
      process.execPath,
      [
        BIN,
        'listen',
        '--tunnel',
        'none',
        '--port',
        String(port),
        '--webhook-secret-file',
        secretFile,
        '--forward-to',
        downstream.url,
      ],
      { reject: false, env: { ...cleanEnv(), NO_COLOR: '1', HOME: dir } },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        let err = '';
        child.stderr!.on('data', (chunk: Buffer) => {
          err += chunk.toString();
          if (err.includes('Listening on')) resolve();
        });
        child.once('exit', () => reject(new Error(`listen exited: ${err}`)));
      });
      const url = `http://127.0.0.1:${port}/webhooks/stripe`;
      const body = eventBody('evt_cli_good');
      const signature = sign(body);
      expect(await post(url, body, { 'Stripe-Signature': signature })).toBe(200);
      const forged = eventBody('evt_cli_forged');
      expect(
        await post(url, forged, { 'Stripe-Signature': sign(forged, 'whsec_forged') }),
      ).toBe(400);
      for (let i = 0; i < 200 && downstream.received.length === 0; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(downstream.received).toHaveLength(1);
      expect(downstream.received[0]!.body.equals(body)).toBe(true);
      expect(downstream.received[0]!.headers['stripe-signature']).toBe(signature);
    } finally {
      child.kill('SIGINT');
      await downstream.close();
    }
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stdout).toMatch(/evt_cli_good {2}verified {2}-> forwarded 200/);
    expect(result.stdout).toMatch(
      /evt_cli_forged\(unverified\) {2}rejected: signature-mismatch/,
    );
    expect(result.stderr).toMatch(/2 delivery\(ies\), 1 verified/);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('exits 2 naming whsec_ when the secret file holds an API key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bq-listen-e2e-'));
    const file = join(dir, 'key.txt');
    writeFileSync(file, 'sk_test_notASigningSecret123\n');
    const result = await runCli(['listen', '--webhook-secret-file', file], {
      env: { ...cleanEnv(), HOME: dir },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^error: .*API key/m);
    expect(result.stderr).toMatch(/^hint: .*whsec_/m);
    expect(result.stderr).not.toContain('sk_test_notASigningSecret123');
  });
});
